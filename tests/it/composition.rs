//! Composition (`extends`): the shipped clients equal their versions written out in full, bad
//! compositions fail with a diagnostic in the file that wrote the offending value, and a change
//! of a base makes every client that extends it stale.

use std::path::Path;
use std::process::Command;

use tarmac::compile::{compile, Compiled, Failure, Targets};
use tarmac::diagnostics::SourceFile;

fn compiled(file: &SourceFile) -> Compiled {
    match compile(file, Targets::All) {
        Ok(c) => c,
        Err(Failure::Blueprint(d)) => panic!("{}", file.render(&d, false)),
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => panic!("internal: {m}"),
    }
}

/// The shipped clients that extend a base.
fn composed() -> Vec<std::path::PathBuf> {
    crate::common::blueprints()
        .into_iter()
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("\nextends: "))
        .collect()
}

#[test]
fn composed_clients_synthesize_as_their_full_versions_do() {
    let clients = composed();
    assert!(
        clients.len() >= 2,
        "two shipped clients extend the standard"
    );
    let standard =
        std::fs::read(crate::common::root().join("blueprints/standards/consultancy.yaml")).unwrap();
    for path in clients {
        let file = crate::common::source(&path);
        let name = file.name.clone();
        let composed = compiled(&file);
        // The full version under the client's own name: the kit names the blueprint file.
        let full = compiled(&SourceFile::new(name.clone(), crate::common::text(&path)));
        assert_eq!(
            composed.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            full.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            "{name}"
        );
        for (a, b) in composed.files.iter().zip(&full.files) {
            if a.path != "manifest.json" {
                assert!(a.contents == b.contents, "{name}: {} differs", a.path);
                continue;
            }
            let mut manifest: serde_json::Value = serde_json::from_str(&a.contents).unwrap();
            let bases = manifest
                .as_object_mut()
                .unwrap()
                .shift_remove("bases")
                .expect("the manifest records the bases");
            assert_eq!(
                bases,
                serde_json::json!([{
                    "path": "standards/consultancy.yaml",
                    "sha256": sha256sum(&standard),
                }]),
                "{name}"
            );
            let full_manifest: serde_json::Value = serde_json::from_str(&b.contents).unwrap();
            assert!(full_manifest.get("bases").is_none());
            assert_eq!(manifest, full_manifest, "{name}: the manifests differ");
        }
        assert!(composed.warnings.is_empty() && full.warnings.is_empty());
    }
}

/// The digest `sha256sum` prints, where it is installed (CI machines have coreutils); the
/// digest itself is held to the standard's vectors by the manifest's unit test.
fn sha256sum(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = match Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => panic!("sha256sum (coreutils) is needed by this test"),
    };
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// Each bad composition, the code it fails with and the file the diagnostic must point into
/// (relative to its folder under tests/fixtures/composed/bad/).
const BAD: &[(&str, &str, &str)] = &[
    ("absolute-extends", "TM058", "client.yaml"),
    ("appended-item", "TM002", "client.yaml"),
    ("check-in-base", "TM011", "base.yaml"),
    ("cycle", "TM060", "b.yaml"),
    ("invalid-base", "TM003", "base.yaml"),
    ("missing-base", "TM059", "client.yaml"),
    ("missing-field", "TM004", "client.yaml"),
    ("type-clash", "TM061", "client.yaml"),
    ("unknown-key-in-base", "TM002", "base.yaml"),
];

#[test]
fn bad_compositions_point_into_the_file_that_wrote_the_value() {
    let dir = crate::common::root().join("tests/fixtures/composed/bad");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert_eq!(
        cases,
        BAD.iter().map(|(c, ..)| c.to_string()).collect::<Vec<_>>(),
        "every fixture folder has its row in BAD"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(crate::common::root().join("tests/snapshots/composed"));
    settings.bind(|| {
        for (case, code, in_file) in BAD {
            let file = crate::common::source(&dir.join(case).join("client.yaml"));
            let diagnostics = match compile(&file, Targets::All) {
                Err(Failure::Blueprint(d)) => d,
                other => panic!("{case} should fail, got {other:?}"),
            };
            assert!(
                diagnostics.iter().all(|d| d.code.id == *code),
                "{case}: {diagnostics:?}"
            );
            let json = file.to_json(&diagnostics);
            let expected = format!("tests/fixtures/composed/bad/{case}/{in_file}");
            assert!(
                json.iter().all(|d| d["file"] == expected.as_str()),
                "{case}: {json:?}"
            );
            let rendered = file.render(&diagnostics, false);
            assert!(rendered.contains(&format!(" at {expected}:")), "{rendered}");
            if *in_file != "client.yaml" {
                assert!(
                    rendered.contains(&format!("(a base of {})", file.name)),
                    "{case}: the message names the client too: {rendered}"
                );
            }
            insta::assert_snapshot!(case.to_string(), rendered);
        }
    });
}

#[test]
fn validate_and_synth_refuse_a_bad_composition_and_write_nothing() {
    let out = std::env::temp_dir().join(format!("tarmac-composed-bad-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = |args: &[&str]| crate::common::tarmac().args(args).output().unwrap();
    let bad = "tests/fixtures/composed/bad/missing-base/client.yaml";
    let validate = run(&["validate", "blueprints/wonka-foods.yaml", bad]);
    assert_eq!(
        validate.status.code(),
        Some(1),
        "a missing base is the blueprint's error"
    );
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert!(stderr.contains("blueprints/wonka-foods.yaml: ok") && stderr.contains("TM059"));
    let out_arg = out.display().to_string();
    let synth = run(&[
        "synth",
        "blueprints/wonka-foods.yaml",
        bad,
        "--out",
        &out_arg,
    ]);
    assert_eq!(synth.status.code(), Some(1));
    assert!(
        !out.exists(),
        "nothing is written, for any blueprint of the call"
    );
}

/// Copies the standard and the two shipped clients into a scratch folder, as a consultancy's
/// repository would hold them.
fn consultancy_repo(dir: &Path) {
    let root = crate::common::root();
    std::fs::create_dir_all(dir.join("clients/standards")).unwrap();
    for f in [
        "vandelay-imports.yaml",
        "wonka-foods.yaml",
        "standards/consultancy.yaml",
    ] {
        std::fs::copy(root.join("blueprints").join(f), dir.join("clients").join(f)).unwrap();
    }
}

#[test]
fn a_changed_base_makes_every_client_that_extends_it_stale() {
    let dir = std::env::temp_dir().join(format!("tarmac-composed-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    consultancy_repo(&dir);
    let tarmac = |args: &[&str]| {
        crate::common::tarmac()
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap()
    };
    let clients = ["clients/vandelay-imports.yaml", "clients/wonka-foods.yaml"];
    let synth = tarmac(&[&["synth"][..], &clients[..]].concat());
    assert_eq!(synth.status.code(), Some(0), "{synth:?}");
    let check = tarmac(&[&["synth", "--check"][..], &clients[..]].concat());
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    // A change that moves no output at all: a comment.
    let standard = dir.join("clients/standards/consultancy.yaml");
    let mut text = std::fs::read_to_string(&standard).unwrap();
    text.push_str("# reviewed by the practice lead\n");
    std::fs::write(&standard, text).unwrap();
    let check = tarmac(&[&["synth", "--check", "--format", "json"][..], &clients[..]].concat());
    assert_eq!(check.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let stale: Vec<(&str, Vec<&str>)> = report["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["blueprint"].as_str().unwrap(),
                d["changed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        stale,
        vec![
            (clients[0], vec!["manifest.json"]),
            (clients[1], vec!["manifest.json"])
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

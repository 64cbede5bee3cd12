//! Golden snapshots of every shipped blueprint × every target, file by file. A change here is a
//! change of tarmac's output contract: review it (`cargo insta review`) before accepting it.

use tarmac::compile::{compile, Targets};

#[test]
fn every_blueprint_every_target() {
    let blueprints = crate::common::blueprints();
    assert!(blueprints.len() >= 3, "at least three shipped blueprints");
    let mut expected = std::collections::BTreeSet::new();
    for path in blueprints {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let compiled = compile(&crate::common::source(&path), Targets::All)
            .unwrap_or_else(|_| panic!("{stem} compiles"));
        assert!(
            compiled.warnings.is_empty(),
            "{stem}: shipped blueprints have no warnings"
        );
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_snapshot_path(crate::common::root().join("tests/snapshots"));
        settings.bind(|| {
            for f in &compiled.files {
                let name = format!("{stem}__{}", f.path.replace(['/', '.'], "_"));
                expected.insert(format!("{name}.snap"));
                insta::assert_snapshot!(name, f.contents);
            }
        });
    }
    // A snapshot of a file tarmac no longer writes would pass unnoticed: none may be left.
    let dir = crate::common::root().join("tests/snapshots");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap") && !expected.contains(n))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots of files no longer written (delete them): {orphans:?}"
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    for path in crate::common::blueprints() {
        let a = compile(&crate::common::source(&path), Targets::All).expect("compiles");
        let b = compile(&crate::common::source(&path), Targets::All).expect("compiles");
        assert_eq!(a.files, b.files, "{}", path.display());
    }
}

#[test]
fn targets_select_files() {
    let text = crate::common::startup();
    let cfn = crate::common::compile_text(&text, Targets::Cloudformation);
    assert!(cfn
        .files
        .iter()
        .all(|f| f.path.starts_with("cloudformation/")
            || f.path.starts_with("rollout/")
            || f.path == "manifest.json"));
    let tf = crate::common::compile_text(&text, Targets::Terraform);
    assert!(tf.files.iter().all(|f| f.path.starts_with("terraform/")
        || f.path.starts_with("rollout/")
        || f.path == "manifest.json"));
}

#[test]
fn json_blueprints_compile_like_yaml() {
    let yaml = crate::common::startup();
    let value: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let a = crate::common::compile_text(&yaml, Targets::All);
    let b = crate::common::compile_text(&json, Targets::All);
    assert_eq!(a.files, b.files);
}

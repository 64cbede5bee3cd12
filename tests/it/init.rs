//! `tarmac init`: every value only the client can give is a placeholder that `validate` names,
//! one error each; filled in, the blueprint passes; an existing file is never replaced.

use std::path::Path;
use std::process::{Command, Output};

fn tarmac(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tarmac"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("init", name)
}

/// The client's value for each placeholder, by the field's pointer.
fn value_for(pointer: &str) -> String {
    let fixed = [
        ("/display_name", "Acme Two"),
        ("/organization/id", "o-acmetwo1234"),
        ("/organization/root_id", "r-at01"),
        ("/organization/management_account_id", "111122223333"),
        ("/accounts/0/email", "aws-pilot@acme-two.example"),
        (
            "/identity_center/instance_arn",
            "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        ),
        ("/identity_center/identity_store_id", "d-1234567890"),
        (
            "/identity_center/start_url",
            "https://d-1234567890.awsapps.com/start",
        ),
        ("/identity_center/region", "us-east-1"),
        ("/budgets/alert_emails/0", "aws-billing@acme-two.example"),
        (
            "/budgets/alert_emails/append/0",
            "aws-billing@acme-two.example",
        ),
        ("/networks/0/vpc_cidr", "10.20.0.0/16"),
        ("/networks/0/subnets/0/cidr", "10.20.0.0/24"),
        ("/networks/0/subnets/0/availability_zone_id", "use1-az1"),
        ("/networks/0/subnets/1/cidr", "10.20.1.0/24"),
        ("/networks/0/subnets/1/availability_zone_id", "use1-az2"),
    ];
    if let Some((_, v)) = fixed.iter().find(|(p, _)| *p == pointer) {
        return (*v).to_owned();
    }
    let group = pointer
        .strip_prefix("/identity_center/assignments/")
        .and_then(|r| r.strip_suffix("/group"))
        .unwrap_or_else(|| panic!("no value for the placeholder at {pointer}"));
    format!("acme-two-group-{group}")
}

/// The scaffold as written, snapshotted: what a consultant starts a client from.
fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(crate::common::root().join("tests/snapshots/init"));
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

/// Validates `file` (under `dir`), checks that it fails with exactly one TM062 per placeholder
/// of its text, each at the placeholder's line, then fills them in and checks that it passes.
fn fails_per_placeholder_then_passes(dir: &Path, file: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let placeholders = text.matches("\"<fill in: ").count();
    assert!(placeholders >= 12, "{text}");
    let out = tarmac(dir, &["validate", "--format", "json", file]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = report["diagnostics"].as_array().unwrap();
    assert_eq!(
        found.len(),
        placeholders,
        "one error per placeholder: {report:#}"
    );
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut filled = text.clone();
    for d in found {
        assert_eq!(d["code"], "TM062", "{d}");
        assert_eq!(d["file"], file);
        let pointer = d["pointer"].as_str().unwrap();
        let placeholder = value.pointer(pointer).and_then(|v| v.as_str()).unwrap();
        let what = placeholder
            .strip_prefix("<fill in: ")
            .and_then(|w| w.strip_suffix('>'))
            .unwrap();
        assert!(
            d["message"].as_str().unwrap().contains(what),
            "the message names what to fill in: {d}"
        );
        let line = d["line"].as_u64().unwrap() as usize;
        assert!(text.lines().nth(line - 1).unwrap().contains(placeholder));
        let quoted = serde_json::to_string(placeholder).unwrap();
        assert_eq!(
            filled.matches(&quoted).count(),
            1,
            "{placeholder} is unique"
        );
        filled = filled.replace(
            &quoted,
            &serde_json::to_string(&value_for(pointer)).unwrap(),
        );
    }
    std::fs::write(&path, filled).unwrap();
    let out = tarmac(dir, &["validate", "--deny-warnings", file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_leaves_a_placeholder_for_each_client_value_and_never_replaces_a_file() {
    let dir = scratch("plain");
    let out = tarmac(&dir, &["init", "acme-two"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    snapshot(
        "plain",
        &std::fs::read_to_string(dir.join("acme-two.yaml")).unwrap(),
    );
    fails_per_placeholder_then_passes(&dir, "acme-two.yaml");
    let before = std::fs::read(dir.join("acme-two.yaml")).unwrap();
    let again = tarmac(&dir, &["init", "acme-two", "--out", "acme-two.yaml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(dir.join("acme-two.yaml")).unwrap(), before);
    let bad = tarmac(&dir, &["init", "Acme"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!dir.join("Acme.yaml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_extends_a_standard_and_writes_only_what_the_client_owns() {
    let dir = scratch("extends");
    std::fs::create_dir_all(dir.join("standards")).unwrap();
    std::fs::create_dir_all(dir.join("clients")).unwrap();
    std::fs::copy(
        crate::common::root().join("blueprints/standards/consultancy.yaml"),
        dir.join("standards/consultancy.yaml"),
    )
    .unwrap();
    let out = tarmac(
        &dir,
        &[
            "init",
            "acme-two",
            "--extends",
            "standards/consultancy.yaml",
            "--out",
            "clients/acme-two.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(dir.join("clients/acme-two.yaml")).unwrap();
    snapshot("extends-the-consultancy-standard", &text);
    assert!(
        text.contains("\nextends: \"../standards/consultancy.yaml\"\n"),
        "{text}"
    );
    // The standard's sections are left to it; a group is asked for each of its permission sets.
    for left in [
        "guardrails:",
        "bedrock:",
        "permission_sets:",
        "rollout:",
        "organizational_units:",
    ] {
        assert!(!text.contains(left), "{left} is the standard's: {text}");
    }
    for set in ["PilotBootstrapAdmin", "CodexBedrockUser", "PilotReadOnly"] {
        assert!(
            text.contains(&format!("permission_set: \"{set}\"")),
            "{text}"
        );
    }
    assert!(text.contains("ou: \"GenAI Pilot\""));
    // The standard's alert addresses are kept: the client's is appended.
    assert!(
        text.contains("  alert_emails:\n    append: [\"<fill in: "),
        "{text}"
    );
    fails_per_placeholder_then_passes(&dir, "clients/acme-two.yaml");
    let synth = tarmac(&dir, &["synth", "clients/acme-two.yaml"]);
    assert_eq!(synth.status.code(), Some(0), "{synth:?}");
    let manifest = std::fs::read_to_string(dir.join("out/acme-two/manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"../standards/consultancy.yaml\""));
    // A base that cannot be read is refused before anything is written.
    let missing = tarmac(&dir, &["init", "other", "--extends", "standards/nope.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!dir.join("other.yaml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

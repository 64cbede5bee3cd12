//! No input and no output condition makes tarmac panic or call its own bug: closed and full
//! streams, very long lines, deep nesting, duplicates the planner would trip on, corrupt
//! committed files; and every machine format carries the whole result.

use std::fs;
use std::process::{Command, Output, Stdio};

use crate::common::tarmac;

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("robust", name)
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o: Output = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const BAD: &str = "tests/fixtures/bad/unknown-model.yaml";

#[test]
fn closed_or_full_streams_are_not_a_panic() {
    let bin = env!("CARGO_BIN_EXE_tarmac");
    for redirect in ["2>&-", "2>/dev/full"] {
        let status = Command::new("sh")
            .current_dir(crate::common::root())
            .arg("-c")
            .arg(format!("'{bin}' validate {BAD} {redirect}"))
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(1), "validate with stderr {redirect}");
    }
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = tarmac()
        .args([
            "validate",
            "--format",
            "json",
            "blueprints/acme-startup.yaml",
        ])
        .stdout(Stdio::from(full))
        .status()
        .unwrap();
    assert_eq!(
        status.code(),
        Some(2),
        "a JSON report that cannot be written fails"
    );
}

#[test]
fn an_error_far_along_one_line_is_reported_with_its_position() {
    let dir = scratch("long");
    let yaml = crate::common::startup();
    let value: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let mut value = value;
    value["bedrock"]["runtime_models"] = serde_json::json!(["openai.nope"]);
    let minified = format!("{}{}", " ".repeat(70_000), value);
    let path = dir.join("minified.json");
    fs::write(&path, &minified).unwrap();
    let (code, _, stderr) = run(tarmac().arg("validate").arg(&path));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[TM011](unknown-model)"), "{stderr}");
    assert!(stderr.contains("minified.json:1:"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn runaway_nesting_is_a_diagnostic() {
    let dir = scratch("deep");
    let path = dir.join("deep.yaml");
    let n = 80_000;
    fs::write(
        &path,
        format!("client: acme\nx: {}{}\n", "[".repeat(n), "]".repeat(n)),
    )
    .unwrap();
    let (code, _, stderr) = run(tarmac().arg("validate").arg(&path));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("nested more than 64 levels deep"),
        "{stderr}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

fn startup_with(from: &str, to: &str) -> String {
    let text = crate::common::startup();
    assert!(text.contains(from), "{from}");
    text.replace(from, to)
}

#[test]
fn duplicates_the_planner_would_trip_on_are_diagnostics() {
    let dir = scratch("dups");
    let cases = [
        (
            "alert_emails: [aws-billing@acme-robotics.example]",
            "alert_emails: [aws-billing@acme-robotics.example, AWS-billing@acme-robotics.example]",
            "duplicate alert email",
        ),
        (
            "      - {cidr: 10.20.1.0/24, availability_zone_id: use1-az2}\n",
            "      - {cidr: 10.20.1.0/24, availability_zone_id: use1-az2}\n    endpoints: [bedrock, bedrock-runtime, bedrock]\n",
            "duplicate endpoint `bedrock`",
        ),
    ];
    for (from, to, expected) in cases {
        let path = dir.join("dup.yaml");
        fs::write(&path, startup_with(from, to)).unwrap();
        let (code, _, stderr) = run(tarmac().arg("validate").arg(&path));
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("error[TM020]") && stderr.contains(expected),
            "{stderr}"
        );
        assert!(!stderr.contains("internal error"), "{stderr}");
    }
    // Two mailboxes whose addresses differ only in punctuation are both subscribed.
    let text = startup_with(
        "alert_emails: [aws-billing@acme-robotics.example]",
        "alert_emails: [aws-billing@acme-robotics.example, aws.billing@acme-robotics.example]",
    );
    let compiled = crate::common::compile_text(&text, tarmac::compile::Targets::Terraform);
    let module = crate::common::file(
        &compiled,
        "terraform/modules/members-us-east-1/main.tf.json",
    );
    assert!(module.contains("\"alerts_subscription_aws_billing_acme_robotics_example\""));
    assert!(module.contains("\"alerts_subscription_aws_billing_acme_robotics_example_2\""));
    assert!(module.contains("\"endpoint\": \"aws.billing@acme-robotics.example\""));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupt_committed_files_are_errors_not_diffs() {
    let dir = scratch("corrupt");
    let out = dir.join("out");
    let bp = "blueprints/acme-startup.yaml";
    assert_eq!(run(tarmac().args(["synth", bp, "--out"]).arg(&out)).0, 0);
    let copy = dir.join("copy");
    fs::create_dir_all(&copy).unwrap();
    assert!(Command::new("cp")
        .arg("-r")
        .arg(out.join("acme"))
        .arg(&copy)
        .status()
        .unwrap()
        .success());
    let template = "acme/cloudformation/management.template.json";
    fs::write(out.join(template), "{\"Resources\": {").unwrap();
    fs::write(copy.join(template), "{\"Resources\": [").unwrap();
    let (code, _, stderr) = run(tarmac().args(["synth", "--check", bp, "--out"]).arg(&out));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not valid JSON"), "{stderr}");
    let (code, stdout, stderr) = run(tarmac()
        .arg("diff")
        .arg(out.join("acme"))
        .arg(copy.join("acme")));
    assert_eq!(
        code, 2,
        "two corrupt templates are not 'no changes': {stdout}"
    );
    assert!(
        stderr.contains("management.template.json is not valid JSON"),
        "{stderr}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_speaks_json_and_fails_on_what_it_is_told() {
    let dir = scratch("diffjson");
    let bp = dir.join("bp.yaml");
    fs::write(&bp, crate::common::startup()).unwrap();
    let synth_to = |to: &str| {
        run(tarmac()
            .arg("synth")
            .arg(&bp)
            .arg("--out")
            .arg(dir.join(to)))
        .0
    };
    assert_eq!(synth_to("a"), 0);
    fs::write(
        &bp,
        startup_with("account_monthly_usd: 500", "account_monthly_usd: 600"),
    )
    .unwrap();
    assert_eq!(synth_to("b"), 0);
    let diff = |extra: &[&str]| {
        run(tarmac()
            .arg("diff")
            .args(extra)
            .arg(dir.join("a/acme"))
            .arg(dir.join("b/acme")))
    };
    let (code, stdout, _) = diff(&["--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["summary"]["replaced"], 0);
    let props: Vec<&str> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["properties"].as_array().unwrap())
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        props.contains(&"Parameters[BudgetMonthlyUsd].ParameterValue"),
        "{props:?}"
    );
    // A budget change replaces nothing: `--fail-on replacement` passes it.
    assert_eq!(diff(&["--fail-on", "replacement"]).0, 0);
    assert_eq!(diff(&["--fail-on", "any"]).0, 1);
    // An email change replaces the account.
    fs::write(&bp, startup_with("aws-pilot@", "aws-pilot2@")).unwrap();
    assert_eq!(synth_to("b"), 0);
    assert_eq!(diff(&["--fail-on", "replacement"]).0, 1);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn machine_formats_carry_diagnostics_problems_and_drift() {
    let (code, stdout, stderr) = run(tarmac().args(["validate", "--format", "github", BAD]));
    assert_eq!(code, 1);
    assert!(stderr.is_empty(), "{stderr}");
    let line = stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=tests/fixtures/bad/unknown-model.yaml,line=16,col=20,"),
        "{line}"
    );
    assert!(line.contains("title=TM011 (unknown-model)::"), "{line}");
    assert!(!line.contains('\n') && line.contains("%0Ahelp: "), "{line}");

    let (code, stdout, _) = run(tarmac().args(["validate", "--format", "sarif", BAD]));
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "TM011");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        16
    );
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "TM011"
    );

    let dir = scratch("formats");
    let (code, stdout, _) = run(tarmac()
        .args([
            "synth",
            "--check",
            "--format",
            "json",
            "blueprints/acme-startup.yaml",
            "--out",
        ])
        .arg(&dir));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["errors"], 1, "the drift counts: {doc}");
    assert!(doc["drift"][0]["missing"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("manifest.json")));
    let (code, stdout, _) = run(tarmac().args(["synth", "--format", "json", "no/such.yaml"]));
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(doc["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot read no/such.yaml"));
    fs::remove_dir_all(&dir).unwrap();
}

/// Resolution runs only after the checks pass, yet panics on no blueprint: on every bad fixture
/// that loads it returns, and where the checks refuse an unresolvable reference (an unknown
/// name, a cycle of OUs, an assignment without one principal) it refuses the blueprint too,
/// so the planner is never handed one.
#[test]
fn resolution_refuses_what_it_cannot_resolve_without_panicking() {
    use tarmac::catalog::Catalog;
    const UNRESOLVABLE: &[&str] = &["TM021", "TM022", "TM023"];
    let dir = crate::common::root().join("tests/fixtures/bad");
    let mut refused = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(bp) = tarmac::blueprint::load::load(&crate::common::source(&path)) else {
            continue;
        };
        let checked = tarmac::checks::check(&bp, Catalog::get());
        let resolved = tarmac::resolve::resolve(&bp, Catalog::get());
        if checked.iter().any(|d| UNRESOLVABLE.contains(&d.code.id)) {
            assert!(resolved.is_err(), "{} resolves", path.display());
            refused += 1;
        }
    }
    assert!(refused > 0, "no fixture has an unresolvable reference");
}

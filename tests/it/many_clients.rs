//! `tarmac synth clients/*.yaml`: a summary line per client at the end, and `summary` in the
//! JSON report.

use std::process::Output;

fn tarmac(args: &[&str]) -> Output {
    crate::common::tarmac().args(args).output().unwrap()
}

fn scratch(name: &str) -> String {
    crate::common::scratch("many", name).display().to_string()
}

#[test]
fn synth_of_many_clients_ends_with_a_line_per_client() {
    let out = scratch("human");
    let run = tarmac(&[
        "synth",
        "blueprints/acme-startup.yaml",
        "blueprints/wonka-foods.yaml",
        "--out",
        &out,
    ]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let summary = stderr
        .split_once("summary of 2 clients:\n")
        .unwrap_or_else(|| panic!("no summary: {stderr}"))
        .1;
    assert_eq!(
        summary,
        "  acme   1 account, 2 stacks, 2 modules, 0 warnings  (blueprints/acme-startup.yaml)\n  \
wonka  2 accounts, 3 stacks, 3 modules, 0 warnings  (blueprints/wonka-foods.yaml)\n"
    );
    // `--check` ends with it too; one client has no summary (its "written" line says it all).
    let check = tarmac(&[
        "synth",
        "--check",
        "blueprints/acme-startup.yaml",
        "blueprints/wonka-foods.yaml",
        "--out",
        &out,
    ]);
    assert_eq!(check.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&check.stderr).ends_with(summary));
    let one = tarmac(&["synth", "blueprints/acme-startup.yaml", "--out", &out]);
    assert!(!String::from_utf8_lossy(&one.stderr).contains("summary"));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_json_report_carries_the_summary() {
    let out = scratch("json");
    let run = tarmac(&[
        "synth",
        "--format",
        "json",
        "blueprints/globex-sandbox.yaml",
        "blueprints/vandelay-imports.yaml",
        "--out",
        &out,
    ]);
    assert_eq!(run.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!([
            {"blueprint": "blueprints/globex-sandbox.yaml", "client": "globex", "accounts": 2, "stacks": 4, "modules": 4, "warnings": 0},
            {"blueprint": "blueprints/vandelay-imports.yaml", "client": "vandelay", "accounts": 1, "stacks": 2, "modules": 2, "warnings": 0},
        ])
    );
    assert!(
        run.stderr.is_empty(),
        "machine formats say nothing on stderr"
    );
    // A run that fails before writing has no summary: nothing was made.
    let failed = tarmac(&[
        "synth",
        "--format",
        "json",
        "blueprints/acme-startup.yaml",
        "tests/fixtures/bad/unknown-model.yaml",
        "--out",
        &out,
    ]);
    assert_eq!(failed.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&failed.stdout).unwrap();
    assert!(report.get("summary").is_none(), "{report}");
    // `validate` makes nothing to summarize.
    let validated = tarmac(&[
        "validate",
        "--format",
        "json",
        "blueprints/acme-startup.yaml",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&validated.stdout).unwrap();
    assert!(report.get("summary").is_none());
    std::fs::remove_dir_all(&out).unwrap();
}

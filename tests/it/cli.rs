//! The binary's contract: exit codes, nothing written on failure, stale files replaced.

use crate::common::tarmac;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tarmac-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn synth_writes_every_target_and_the_manifest() {
    let out = scratch("synth");
    let status = tarmac()
        .args(["synth", "blueprints/acme-startup.yaml", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(out.join("acme/manifest.json").is_file());
    assert!(out
        .join("acme/cloudformation/management.template.json")
        .is_file());
    assert!(out.join("acme/terraform/management/main.tf.json").is_file());
    // A file tarmac did not write is the user's: a second synth leaves it, and `--target`
    // leaves the other target's files alone.
    std::fs::write(out.join("acme/cloudformation/stray.template.json"), "{}").unwrap();
    let status = tarmac()
        .args([
            "synth",
            "blueprints/acme-startup.yaml",
            "--target",
            "cloudformation",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(out.join("acme/cloudformation/stray.template.json").exists());
    assert!(out.join("acme/terraform/management/main.tf.json").exists());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_bad_blueprint_exits_1_and_writes_nothing() {
    let out = scratch("bad");
    let output = tarmac()
        .args([
            "synth",
            "blueprints/acme-startup.yaml",
            "tests/fixtures/bad/unknown-model.yaml",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TM011"), "{stderr}");
    assert!(
        stderr.contains("tests/fixtures/bad/unknown-model.yaml:"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written when any blueprint fails");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        tarmac().args(["synth"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        tarmac()
            .args(["synth", "--target", "pulumi", "x.yaml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tarmac()
            .args(["validate", "no/such/blueprint.yaml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tarmac()
            .args(["explain", "TM999"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn validate_and_schema_and_explain() {
    let ok = tarmac()
        .args(["validate", "blueprints/acme-startup.yaml"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let schema = tarmac().arg("schema").output().unwrap();
    assert_eq!(schema.status.code(), Some(0));
    let committed =
        std::fs::read(crate::common::root().join("schemas/blueprint.schema.json")).unwrap();
    assert_eq!(schema.stdout, committed);
    let explain = tarmac()
        .args(["explain", "model-id-family-mismatch"])
        .output()
        .unwrap();
    let explain = String::from_utf8_lossy(&explain.stdout);
    assert!(explain.starts_with("TM012"));
    // What, why, an example and the rule's home.
    for part in [
        tarmac::codes::MODEL_ID_FAMILY.what,
        "\nWhy: ",
        "\nExample:\n    bedrock:\n",
        "Reported by src/checks/models.rs.",
    ] {
        assert!(explain.contains(part), "{part}: {explain}");
    }
}

#[test]
fn synth_check_is_a_drift_gate_that_writes_nothing() {
    let out = scratch("check");
    let check = || {
        tarmac()
            .args(["synth", "--check", "blueprints/acme-startup.yaml", "--out"])
            .arg(&out)
            .output()
            .unwrap()
    };
    // Nothing committed yet: every file is missing, and --check creates nothing.
    let first = check();
    assert_eq!(first.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&first.stderr).contains("missing  manifest.json"));
    assert!(!out.exists());
    // Up to date after a synth.
    assert_eq!(
        tarmac()
            .args(["synth", "blueprints/acme-startup.yaml", "--out"])
            .arg(&out)
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
    assert_eq!(check().status.code(), Some(0));
    // A hand edit and a file tarmac wrote but no longer produces are both reported, with a
    // diff; a file tarmac never wrote is the user's and not reported.
    let manifest = out.join("acme/manifest.json");
    let edited = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"client\": \"acme\"", "\"client\": \"edited\"")
        .replace(
            "\"files\": [",
            "\"files\": [\n    \"cloudformation/old.template.json\",",
        );
    std::fs::write(&manifest, edited).unwrap();
    std::fs::write(out.join("acme/cloudformation/old.template.json"), "{}").unwrap();
    std::fs::write(out.join("acme/cloudformation/mine.json"), "{}").unwrap();
    let stale = check();
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("changed  manifest.json"), "{stderr}");
    assert!(
        stderr.contains("stale    cloudformation/old.template.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("mine.json"), "{stderr}");
    assert!(
        stderr.contains("-  \"client\": \"edited\"") && stderr.contains("+  \"client\": \"acme\""),
        "{stderr}"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn diff_names_resources_and_calls_out_replacements() {
    let root = scratch("diff");
    std::fs::create_dir_all(&root).unwrap();
    let changed = crate::common::startup()
        .replace(
            "email: aws-pilot@acme-robotics.example",
            "email: aws-pilot-2@acme-robotics.example",
        )
        .replace("  account_monthly_usd: 500", "  account_monthly_usd: 750");
    std::fs::write(root.join("changed.yaml"), changed).unwrap();
    let synth = |blueprint: &std::path::Path, out: &str| {
        tarmac()
            .arg("synth")
            .arg(blueprint)
            .arg("--out")
            .arg(root.join(out))
            .status()
            .unwrap()
    };
    assert!(synth(
        &crate::common::root().join("blueprints/acme-startup.yaml"),
        "before"
    )
    .success());
    assert!(synth(&root.join("changed.yaml"), "after").success());
    let same = tarmac()
        .arg("diff")
        .arg(root.join("before/acme"))
        .arg(root.join("before/acme"))
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&same.stdout),
        "no resource changes\n"
    );
    let d = tarmac()
        .arg("diff")
        .arg(root.join("before/acme"))
        .arg(root.join("after/acme"))
        .output()
        .unwrap();
    assert_eq!(d.status.code(), Some(1));
    let text = String::from_utf8_lossy(&d.stdout);
    assert!(
        text.contains(
            "~ AccountAcmePilot (AWS::Organizations::Account)  REPLACEMENT\n      Email\n"
        ),
        "{text}"
    );
    assert!(text.contains("~ aws_organizations_account.account_acme_pilot (aws_organizations_account)  REPLACEMENT"), "{text}");
    // A budget amount is a value of the account's StackSet instance and module call: the
    // parameter and the account are named, not numbered.
    assert!(
        text.contains("~ StackSetMembersUsEast1 (AWS::CloudFormation::StackSet)\n      Parameters[BudgetMonthlyUsd].ParameterValue\n      StackInstancesGroup[account AccountAcmePilot].ParameterOverrides[BudgetMonthlyUsd].ParameterValue\n"),
        "{text}"
    );
    assert!(
        text.contains("terraform/acme-pilot-us-east-1/main.tf.json\n  ~ module.member (module)\n      budget_monthly_usd\n"),
        "{text}"
    );
    assert_eq!(
        tarmac()
            .arg("diff")
            .arg(root.join("nowhere"))
            .arg(root.join("after/acme"))
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    let mut child = tarmac()
        .args(["generate", "20000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one chunk, then close the pipe, as `tarmac generate 20000 | head` does.
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(stderr, "", "no panic, no message");
}

#[test]
fn generate_refuses_zero_accounts() {
    let o = tarmac().args(["generate", "0"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("0 is not in 1..=100000"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let o = tarmac().args(["completions", shell]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(
            script.contains("synth") && script.contains("--deny-warnings"),
            "{shell}"
        );
    }
    let man = tarmac().arg("man").output().unwrap();
    assert_eq!(man.status.code(), Some(0));
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH tarmac 1"), "{page}");
}

#[test]
fn the_project_file_sets_what_every_command_would_repeat() {
    let root = scratch("project");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("tarmac.toml"),
        "out = \"generated\"\ntargets = \"terraform\"\ndeny-warnings = true\n",
    )
    .unwrap();
    let bp = crate::common::root().join("blueprints/acme-startup.yaml");
    let run = |args: &[&str]| {
        tarmac()
            .current_dir(&root)
            .args(args)
            .arg(&bp)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["synth"]).status.code(), Some(0));
    assert!(root
        .join("generated/acme/terraform/management/main.tf.json")
        .is_file());
    assert!(!root.join("generated/acme/cloudformation").exists());
    // --check reads the same settings: no false drift.
    assert_eq!(run(&["synth", "--check"]).status.code(), Some(0));
    // A flag wins over the file.
    assert_eq!(
        run(&["synth", "--check", "--target", "all"]).status.code(),
        Some(1)
    );
    std::fs::write(root.join("tarmac.toml"), "output = \"x\"\n").unwrap();
    let bad = run(&["validate"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("tarmac.toml:1:1: unknown field `output`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn color_never_applies_to_clap_too_and_an_empty_no_color_is_ignored() {
    // CLICOLOR_FORCE asks for colour even on a pipe; `--color never` still wins, for clap's own
    // usage errors as for diagnostics.
    let usage = tarmac()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never", "synth"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        !usage.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&usage.stderr)
    );
    let forced = |no_color: &str| {
        tarmac()
            .env("NO_COLOR", no_color)
            .env("CLICOLOR_FORCE", "1")
            .args(["validate", "tests/fixtures/bad/unknown-model.yaml"])
            .output()
            .unwrap()
            .stderr
    };
    assert!(
        forced("").contains(&0x1b),
        "an empty NO_COLOR does not turn colour off"
    );
    assert!(!forced("1").contains(&0x1b), "NO_COLOR=1 does");
}

/// Each failure `cli::Error` knows that no other test brings about, run from the command line:
/// its exit code (README's table, which `cli::error`'s unit test holds to the code) and the
/// words on stderr that name its cause. A plan that breaks its invariants and a man page that
/// cannot be rendered have no run that produces them.
#[test]
fn every_failure_exits_with_its_code_and_names_its_cause() {
    let dir = scratch("failures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("acme.yaml"), crate::common::startup()).unwrap();
    std::fs::write(dir.join("not-text.yaml"), b"client: \xff\n").unwrap();
    let big = std::fs::File::create(dir.join("big.yaml")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    std::fs::write(dir.join("bad-base.yaml"), "accounts: 5\n").unwrap();
    let cases: &[(&str, i32, &[&str])] = &[
        (
            "validate not-text.yaml",
            2,
            &["cannot read not-text.yaml: it is not UTF-8 text"],
        ),
        (
            "validate big.yaml",
            2,
            &["cannot read big.yaml: it is larger than 64 MiB"],
        ),
        ("explain TM999", 2, &["no diagnostic code `TM999`"]),
        ("init Acme", 2, &["`Acme` is not a client slug"]),
        (
            "init acme-two --out no-such-folder/acme-two.yaml",
            2,
            &["cannot write no-such-folder/acme-two.yaml"],
        ),
        (
            "init acme-two --extends bad-base.yaml",
            1,
            &["TM003", "the base has errors; nothing was written"],
        ),
        (
            "synth acme.yaml --templates acme.yaml --out out",
            2,
            &["cannot read templates folder acme.yaml"],
        ),
        (
            "synth acme.yaml acme.yaml --out out",
            1,
            &[
                "acme.yaml and acme.yaml both describe client `acme`",
                "nothing was written because of the errors above",
            ],
        ),
        (
            "diff no-such-a no-such-b",
            2,
            &["cannot read no-such-a", "cannot read no-such-b"],
        ),
        (
            "--config no-such.toml validate acme.yaml",
            2,
            &["cannot read no-such.toml"],
        ),
    ];
    for (args, code, causes) in cases {
        let o = tarmac()
            .current_dir(&dir)
            .args(args.split(' '))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(*code), "tarmac {args}: {stderr}");
        for cause in *causes {
            assert!(stderr.contains(cause), "tarmac {args}: {stderr}");
        }
    }
    assert!(!dir.join("out").exists(), "no failure wrote anything");
    assert!(!dir.join("acme-two.yaml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

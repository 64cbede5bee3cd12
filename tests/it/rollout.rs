//! The rollout kit: which files a blueprint gets, that its readiness report has its Mermaid
//! diagram (`.ci/run` parses them with the real mermaid parser), that scripts are written executable, and `--templates`, `--format json` and
//! `--deny-warnings` on the command line.

use std::path::Path;
use std::process::Command;

use tarmac::compile::{compile, Targets};
use tarmac::diagnostics::SourceFile;

use crate::common::tarmac;

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("kit", name)
}

fn kit_paths(stem: &str) -> Vec<String> {
    let path = crate::common::root().join(format!("blueprints/{stem}.yaml"));
    compile(&crate::common::source(&path), Targets::All)
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.path)
        .filter(|p| p.starts_with("rollout/"))
        .collect()
}

#[test]
fn codex_configs_exist_only_for_permission_sets_with_mantle_access() {
    // initech: CodexDeveloper (Mantle) is assigned in two accounts; the admin and read-only
    // sets get AWS profiles but no Codex configuration.
    assert_eq!(
        kit_paths("initech-ai-platform"),
        [
            "rollout/READINESS.html",
            "rollout/READINESS.md",
            "rollout/aws/config",
            "rollout/aws/resolve-account-ids.sh",
            "rollout/codex/initech-ai-platform.CodexDeveloper/config.toml",
            "rollout/codex/initech-ai-staging.CodexDeveloper/config.toml",
            "rollout/validate.sh",
        ]
    );
    let c = crate::common::compile_text(&crate::common::startup(), Targets::All);
    let codex = crate::common::file(&c, "rollout/codex/acme-pilot.CodexBedrockUser/config.toml");
    assert!(codex.contains("model_provider = \"amazon-bedrock\""));
    // A Mantle id, never a Runtime one.
    assert!(codex.contains("model = \"openai.gpt-oss-120b\"\n"));
    assert!(codex.contains("profile = \"acme-pilot.CodexBedrockUser\""));
    let aws = crate::common::file(&c, "rollout/aws/config");
    assert!(aws.contains("[sso-session acme]\n"));
    assert!(aws.contains("[profile acme-pilot.CodexBedrockUser]\nsso_session = acme\n"));
}

#[test]
fn existing_accounts_need_no_id_resolution() {
    let text = crate::common::startup().replace(
        "    ou: Sandbox\n",
        "    ou: Sandbox\n    id: \"222233334444\"\n    current_parent: r-ac01\n",
    );
    let c = crate::common::compile_text(&text, Targets::All);
    assert!(!c
        .files
        .iter()
        .any(|f| f.path.ends_with("resolve-account-ids.sh")));
    assert!(
        crate::common::file(&c, "rollout/aws/config").contains("sso_account_id = 222233334444\n")
    );
}

/// The readiness report of every shipped blueprint, and of a 40-account one (past 25 accounts the
/// diagram summarizes per OU), has its Mermaid flowchart. That the diagrams parse with the real
/// mermaid parser is a step of `.ci/run` (node and npm), so `cargo test` needs neither.
#[test]
fn readiness_reports_have_a_mermaid_flowchart() {
    let mut sources: Vec<SourceFile> = crate::common::blueprints()
        .iter()
        .map(|p| crate::common::source(p))
        .collect();
    sources.push(SourceFile::new(
        "scale.yaml",
        tarmac::generate::blueprint(40),
    ));
    for source in &sources {
        let c = compile(source, Targets::All).unwrap();
        let readiness = crate::common::file(&c, "rollout/READINESS.md");
        assert!(
            readiness.contains("```mermaid\nflowchart TD\n"),
            "{}",
            c.client
        );
    }
}

#[test]
fn scripts_are_written_executable() {
    let out = scratch("exec");
    let status = tarmac()
        .args(["synth", "blueprints/acme-startup.yaml", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for script in ["rollout/validate.sh", "rollout/aws/resolve-account-ids.sh"] {
            let mode = std::fs::metadata(out.join("acme").join(script))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "{script}");
        }
        let mode = std::fs::metadata(out.join("acme/rollout/aws/config"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0, "data files are not executable");
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn templates_override_the_built_in_ones() {
    let templates = scratch("templates");
    std::fs::write(
        templates.join("READINESS.md.hbs"),
        "# {{header.display_name}} pilot, by Example Consulting\n\n```mermaid\n{{diagram}}```\n",
    )
    .unwrap();
    let out = scratch("templates-out");
    let status = tarmac()
        .args(["synth", "blueprints/acme-startup.yaml", "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let readiness = std::fs::read_to_string(out.join("acme/rollout/READINESS.md")).unwrap();
    assert!(readiness.starts_with("# Acme Robotics pilot, by Example Consulting\n"));
    // The others stay built in.
    assert!(
        std::fs::read_to_string(out.join("acme/rollout/validate.sh"))
            .unwrap()
            .contains("set -euo pipefail")
    );

    // A template naming a value the kit does not have fails (strict mode) and writes nothing.
    // The kit is rendered after both targets were streamed to the staging folder: the failure
    // comes halfway through writing, and the previous output stays as it was, with no staging
    // folder left beside it.
    std::fs::write(templates.join("READINESS.md.hbs"), "{{header.clinet}}\n").unwrap();
    let output = tarmac()
        .args(["synth", "blueprints/acme-startup.yaml", "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("clinet"));
    assert_eq!(
        std::fs::read_to_string(out.join("acme/rollout/READINESS.md")).unwrap(),
        readiness
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["acme"]);
    let failed = scratch("templates-failed");

    // A file that is not one of the kit's templates is an error, not silently ignored.
    std::fs::remove_file(templates.join("READINESS.md.hbs")).unwrap();
    std::fs::write(templates.join("READYNESS.md.hbs"), "x").unwrap();
    let output = tarmac()
        .args(["synth", "blueprints/acme-startup.yaml", "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&failed)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("READINESS.md.hbs"));
    for dir in [templates, out, failed] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// acme without its recorded Codex choice: valid, with one TM050 warning.
fn warned_blueprint(dir: &Path) -> std::path::PathBuf {
    let text = crate::common::startup();
    let start = text.find("rollout:\n").unwrap();
    let end = text.find("tags:\n").unwrap();
    let path = dir.join("acme-warned.yaml");
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    path
}

#[test]
fn json_diagnostics_and_deny_warnings() {
    let dir = scratch("json");
    let blueprint = warned_blueprint(&dir);
    let output = tarmac()
        .args(["validate", "--format", "json"])
        .arg(&blueprint)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "warnings alone pass");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "TM050");
    assert_eq!(d["name"], "codex-model");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["pointer"], "/bedrock/mantle_models");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(20), Some(18))
    );
    assert!(d["help"].as_str().unwrap().contains("rollout.codex_model"));

    let output = tarmac()
        .args(["validate", "--deny-warnings"])
        .arg(&blueprint)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("TM050"));

    let out = dir.join("out");
    let output = tarmac()
        .args(["synth", "--deny-warnings", "--out"])
        .arg(&out)
        .arg(&blueprint)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists(), "nothing is written when warnings are denied");

    let output = tarmac()
        .args(["synth", "--format", "json", "--out"])
        .arg(&out)
        .arg("tests/fixtures/bad/unknown-model.yaml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "TM011");
    assert_eq!(
        report["diagnostics"][0]["file"],
        "tests/fixtures/bad/unknown-model.yaml"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Stand-ins for validate.sh: `aws` and `curl` log their arguments (curl its URL and body) to
/// `$KIT_LOG` and answer what the script reads; `codex` reports `$CODEX_VERSION`.
const STAND_INS: &[(&str, &str)] = &[
    (
        "aws",
        r#"#!/usr/bin/env bash
echo "aws $*" >>"$KIT_LOG"
profile=""
prev=""
for a in "$@"; do [[ "$prev" == --profile ]] && profile="$a"; prev="$a"; done
case "$1 $2" in
  "configure get") echo 222233334444 ;;
  "sts get-caller-identity") printf '222233334444\tarn:aws:sts::222233334444:assumed-role/AWSReservedSSO_%s_0123abcd/dev\n' "${profile#*.}" ;;
  "configure export-credentials") printf 'AWS_ACCESS_KEY_ID=AKIA\nAWS_SECRET_ACCESS_KEY=secret\nAWS_SESSION_TOKEN=token\n' ;;
  "bedrock list-foundation-models") echo "openai.gpt-oss-120b-1:0" ;;
  "organizations describe-organization") echo ALL ;;
  "organizations list-roots") echo "$SCP_STATUS" ;;
  "organizations list-aws-service-access-for-organization") printf 'cloudtrail.amazonaws.com\tmember.org.stacksets.cloudformation.amazonaws.com\tsso.amazonaws.com\n' ;;
  "sso-admin list-instances") echo arn:aws:sso:::instance/ssoins-0123456789abcdef ;;
  "ce get-cost-and-usage") echo 2025-12-01 ;;
  *) echo end_turn ;;
esac
"#,
    ),
    (
        "curl",
        r#"#!/usr/bin/env bash
url="" data="" prev=""
for a in "$@"; do [[ "$prev" == --data ]] && data="$a"; prev="$a"; url="$a"; done
echo "curl $url $data" >>"$KIT_LOG"
case "$url" in
  */openai/v1/models) echo '{"data":[{"id":"openai.gpt-5.4"}]}' ;;
  *) echo '{"data":[{"id":"openai.gpt-oss-120b"},{"id":"openai.gpt-oss-20b"}]}' ;;
esac
"#,
    ),
    (
        "codex",
        r#"#!/usr/bin/env bash
echo "codex-cli $CODEX_VERSION"
"#,
    ),
];

/// Runs the kit's validate.sh with `args` and the stand-ins (`codex` only when `codex` is
/// given, as its version), with every account id filled in; returns the commands run, the
/// output and whether it passed.
fn validate(
    blueprint: &str,
    args: &[&str],
    codex: Option<&str>,
    scp: &str,
) -> (String, String, bool) {
    let c = crate::common::compile_text(blueprint, Targets::All);
    // Tests run in parallel: each run gets a folder of its own.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("validate-{run}"));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, text) in STAND_INS {
        if *name == "codex" && codex.is_none() {
            continue;
        }
        let p = bin.join(name);
        std::fs::write(&p, text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script = dir.join("validate.sh");
    std::fs::write(&script, crate::common::file(&c, "rollout/validate.sh")).unwrap();
    // resolve-account-ids.sh's work, done: no account left without an id.
    let config: String = crate::common::file(&c, "rollout/aws/config")
        .lines()
        .filter(|l| !l.starts_with("# sso_account_id for "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("config"), config).unwrap();
    let log = dir.join("log");
    let out = Command::new("bash")
        .arg(&script)
        .args(args)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("KIT_LOG", &log)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("CODEX_VERSION", codex.unwrap_or(""))
        .env("SCP_STATUS", scp)
        .output()
        .unwrap();
    (
        std::fs::read_to_string(&log).unwrap_or_default(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        out.status.success(),
    )
}

#[test]
fn mantle_checks_call_the_api_each_model_serves() {
    // initech invokes openai.gpt-5.4, which serves only the Responses API, under /openai/v1.
    let initech =
        std::fs::read_to_string(crate::common::root().join("blueprints/initech-ai-platform.yaml"))
            .unwrap();
    let (log, out, passed) = validate(&initech, &[], Some("0.128.0"), "ENABLED");
    assert!(passed, "{out}");
    assert!(
        log.contains("curl https://bedrock-mantle.us-east-2.api.aws/openai/v1/responses {\"model\":\"openai.gpt-5.4\",\"max_output_tokens\":16,"),
        "{log}"
    );
    assert!(!log.contains("/chat/completions"), "{log}");
    // gpt-5.4, missing from /v1/models here, is found under /openai/v1/models.
    assert!(
        log.contains("curl https://bedrock-mantle.us-east-2.api.aws/openai/v1/models"),
        "{log}"
    );
    assert!(
        out.contains("ok    initech-ai-platform.CodexDeveloper: openai.gpt-5.4 is listed on Mantle in us-east-2"),
        "{out}"
    );
    // acme invokes openai.gpt-oss-120b: Chat Completions under /v1.
    let (log, out, passed) = validate(&crate::common::startup(), &[], Some("0.128.0"), "ENABLED");
    assert!(passed, "{out}");
    assert!(
        log.contains("/v1/chat/completions {\"model\":\"openai.gpt-oss-120b\""),
        "{log}"
    );
    assert!(
        !log.contains("/responses") && !log.contains("/openai/"),
        "{log}"
    );
}

#[test]
fn validate_checks_the_codex_version_when_the_kit_configures_codex() {
    let startup = crate::common::startup();
    let (_, out, passed) = validate(&startup, &[], Some("0.127.9"), "ENABLED");
    assert!(!passed);
    assert!(
        out.contains("FAIL  Codex CLI 0.127.9 is older than 0.128.0"),
        "{out}"
    );
    // Compared number by number, not as text.
    for newer in ["0.128.0", "0.1000.0", "1.0.0"] {
        let (_, out, passed) = validate(&startup, &[], Some(newer), "ENABLED");
        assert!(passed, "{out}");
        assert!(
            out.contains(&format!("ok    Codex CLI {newer} (at least 0.128.0)")),
            "{out}"
        );
    }
    let (_, out, passed) = validate(&startup, &[], Some("unknown"), "ENABLED");
    assert!(
        !passed && out.contains("codex --version printed no version"),
        "{out}"
    );
    // No codex on the PATH: a note, not a failure.
    if !Path::new("/usr/bin/codex").exists() && !Path::new("/bin/codex").exists() {
        let (_, out, passed) = validate(&startup, &[], None, "ENABLED");
        assert!(passed, "{out}");
        assert!(out.contains("note  codex is not on the PATH"), "{out}");
    }
    let c = crate::common::compile_text(&startup, Targets::All);
    let readiness = crate::common::file(&c, "rollout/READINESS.md");
    assert!(
        readiness.contains("Codex CLI 0.128.0 or later"),
        "{readiness}"
    );
    // A kit without Codex configurations checks no Codex version.
    let none = startup.replace(
        "bedrock_access: runtime-and-mantle",
        "bedrock_access: runtime",
    );
    let c = crate::common::compile_text(&none, Targets::All);
    assert!(crate::common::file(&c, "rollout/validate.sh").contains("\ncodex_min=\n"));
}

#[test]
fn validate_checks_the_organization_prerequisites_read_only() {
    let startup = crate::common::startup();
    let (log, out, passed) = validate(&startup, &["--organization"], None, "ENABLED");
    assert!(passed, "{out}");
    assert_eq!(out.matches("  ok    organization: ").count(), 7, "{out}");
    let commands: Vec<&str> = log.lines().collect();
    assert_eq!(commands.len(), 5, "{log}");
    for command in &commands {
        // Read-only: every call describes, lists or gets; no profile of the kit is used.
        let verb = command.split(' ').nth(2).unwrap();
        assert!(
            ["describe-", "list-", "get-"]
                .iter()
                .any(|p| verb.starts_with(p)),
            "{command}"
        );
        assert!(!command.contains("--profile"), "{command}");
    }
    assert!(
        log.contains("aws sso-admin list-instances --region us-east-1 "),
        "{log}"
    );
    let (_, out, passed) = validate(&startup, &["--organization"], None, "");
    assert!(!passed);
    assert!(
        out.contains(
            "FAIL  organization: the SERVICE_CONTROL_POLICY type is not enabled on the root"
        ),
        "{out}"
    );
    let c = crate::common::compile_text(&startup, Targets::All);
    let readiness = crate::common::file(&c, "rollout/READINESS.md");
    for step in [
        "## Organization prerequisites",
        "PolicyTypeNotEnabledException",
        "member.org.stacksets.cloudformation.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "Enable IAM Identity Center",
        "Enable Cost Explorer",
        "--s3-bucket <bucket in us-east-1>",
    ] {
        assert!(readiness.contains(step), "{step}:\n{readiness}");
    }
}

/// The kit states the budgets as deployed: the default, and the accounts that set their own
/// (by number past the accounts the diagrams draw one by one).
#[test]
fn budget_decisions_name_the_accounts_that_set_their_own() {
    let row = |text: &str| {
        let c = crate::common::compile_text(text, Targets::Terraform);
        let md = crate::common::file(&c, "rollout/READINESS.md");
        md.lines()
            .find(|l| l.starts_with("| Account budget, monthly |"))
            .expect("the budget row")
            .to_owned()
    };
    let own = |n: usize| {
        crate::common::generated(n).replacen(
            "    ou: Pilots\n",
            "    ou: Pilots\n    monthly_budget_usd: 250\n",
            1,
        )
    };
    assert_eq!(
        row(&crate::common::generated(3)),
        "| Account budget, monthly | 100 USD per account unless the account overrides it |"
    );
    assert_eq!(
        row(&own(3)),
        "| Account budget, monthly | 100 USD per account, except `pilot-00000` 250 USD |"
    );
    assert_eq!(
        row(&own(30)),
        "| Account budget, monthly | 100 USD per account, except 1 of 30 accounts, which set \
         their own |"
    );
}

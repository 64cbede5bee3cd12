//! The rollout kit: which files a blueprint gets, that its Mermaid diagrams parse with the real
//! mermaid parser, that scripts are written executable, and `--templates`, `--format json` and
//! `--deny-warnings` on the command line.

use std::path::Path;
use std::process::Command;

use tarmac::compile::{compile, Targets};
use tarmac::diagnostics::SourceFile;

fn tarmac() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tarmac"));
    c.current_dir(crate::common::root()).env("NO_COLOR", "1");
    c
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tarmac-kit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
        "    ou: Sandbox\n    id: \"222233334444\"\n",
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

/// Runs tests/mermaid/parse.mjs (mermaid + jsdom from npm) over Markdown files.
pub(crate) fn mermaid_parses(files: &[std::path::PathBuf]) {
    let dir = crate::common::root().join("tests/mermaid");
    if !dir.join("node_modules/mermaid").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .expect("npm is needed to install the mermaid parser (tests/mermaid)");
        assert!(status.success(), "npm ci in tests/mermaid failed");
    }
    let output = Command::new("node")
        .arg("parse.mjs")
        .args(files)
        .current_dir(&dir)
        .output()
        .expect("node is needed to run the mermaid parser");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn readiness_diagrams_parse_with_mermaid() {
    let dir = scratch("mermaid");
    let mut files = Vec::new();
    let mut sources: Vec<SourceFile> = crate::common::blueprints()
        .iter()
        .map(|p| crate::common::source(p))
        .collect();
    // Past 25 accounts the diagram summarizes per OU: parse that form too.
    sources.push(SourceFile::new(
        "scale.yaml",
        tarmac::generate::blueprint(40),
    ));
    for source in &sources {
        let c = compile(source, Targets::All).unwrap();
        let readiness = crate::common::file(&c, "rollout/READINESS.md");
        assert!(readiness.contains("```mermaid\nflowchart TD\n"));
        let path = dir.join(format!("{}.md", c.client));
        std::fs::write(&path, readiness).unwrap();
        files.push(path);
    }
    mermaid_parses(&files);
    std::fs::remove_dir_all(&dir).unwrap();
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

//! What a rollout kit must be whatever the blueprint's free text says: every file parses with a
//! real parser of its syntax and has the structure of a benign blueprint's kit, and the scripts,
//! run with logging `aws` and `curl` stand-ins, execute the same commands. Shared by the
//! property test (tests/it/injection.rs) and the fuzz target (fuzz/fuzz_targets/kit.rs).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use tarmac::compile::{compile, Failure, Targets};
use tarmac::diagnostics::SourceFile;
use tarmac::emit::OutFile;

/// The free text of a blueprint, one field each: every one of them reaches the kit or the
/// templates.
#[derive(Clone, Debug)]
pub struct Values {
    pub file_name: String,
    pub display_name: String,
    pub ou: String,
    pub group: String,
    pub user: String,
    pub owners: [String; 4],
    pub description: String,
    pub justification: String,
    pub start_url: String,
    pub account_email: String,
    pub alert_email: String,
}

/// The fields by name, for the fuzz target to pick one.
pub const FIELDS: usize = 13;

impl Values {
    pub fn benign() -> Values {
        Values {
            file_name: "acme.yaml".into(),
            display_name: "Acme Robotics".into(),
            ou: "Sandbox".into(),
            group: "acme-platform-admins".into(),
            user: "jane.doe".into(),
            owners: [
                "platform team".into(),
                "security team".into(),
                "finance".into(),
                "developers".into(),
            ],
            description: "Bootstrap administration".into(),
            justification: "Bootstrap of the pilot account".into(),
            start_url: "https://d-9067a1b2c3.awsapps.com/start".into(),
            account_email: "aws-pilot@acme-robotics.example".into(),
            alert_email: "aws-billing@acme-robotics.example".into(),
        }
    }

    /// Field `i` (of [`FIELDS`]).
    pub fn field(&mut self, i: usize) -> &mut String {
        match i % FIELDS {
            0 => &mut self.file_name,
            1 => &mut self.display_name,
            2 => &mut self.ou,
            3 => &mut self.group,
            4 => &mut self.user,
            5..=8 => &mut self.owners[i % FIELDS - 5],
            9 => &mut self.description,
            10 => &mut self.justification,
            11 => &mut self.start_url,
            _ => &mut self.account_email,
        }
    }

    /// The blueprint, every value a YAML double-quoted string.
    pub fn blueprint(&self) -> String {
        let q = |s: &str| yaml_string(s);
        format!(
            r#"client: acme
display_name: {display}
organization:
  id: o-acme12345x
  root_id: r-ac01
  management_account_id: "111111111111"
organizational_units:
  - name: {ou}
accounts:
  - name: acme-pilot
    email: {account_email}
    ou: {ou}
bedrock:
  regions: [us-east-1, us-west-2]
  runtime_models: [openai.gpt-oss-120b-1:0]
  mantle_models: [openai.gpt-oss-120b]
identity_center:
  instance_arn: arn:aws:sso:::instance/ssoins-72231a5b3c4d5e6f
  identity_store_id: d-9067a1b2c3
  start_url: {start_url}
  region: us-east-1
  permission_sets:
    - name: PilotAdmin
      description: {description}
      session_duration: PT1H
      managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess]
      admin_justification: {justification}
    - name: CodexBedrockUser
      session_duration: PT8H
      bedrock_access: runtime-and-mantle
  assignments:
    - permission_set: PilotAdmin
      group: {group}
      accounts: [acme-pilot]
    - permission_set: CodexBedrockUser
      user: {user}
      accounts: [acme-pilot]
budgets:
  alert_emails: [{alert_email}]
  account_monthly_usd: 500
  bedrock_monthly_usd: 300
rollout:
  codex_model: openai.gpt-oss-120b
  owners:
    platform: {o0}
    security: {o1}
    finance: {o2}
    developers: {o3}
"#,
            display = q(&self.display_name),
            ou = q(&self.ou),
            account_email = q(&self.account_email),
            start_url = q(&self.start_url),
            description = q(&self.description),
            justification = q(&self.justification),
            group = q(&self.group),
            user = q(&self.user),
            alert_email = q(&self.alert_email),
            o0 = q(&self.owners[0]),
            o1 = q(&self.owners[1]),
            o2 = q(&self.owners[2]),
            o3 = q(&self.owners[3]),
        )
    }
}

/// A YAML double-quoted scalar holding exactly `s`: every character YAML would not take raw
/// (control characters, the BOM, non-characters, line separators) as an escape.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What compiling one blueprint gave.
pub enum Outcome {
    /// Accepted: the kit's files.
    Kit(Vec<OutFile>),
    /// Refused with diagnostics (their codes).
    Refused(Vec<&'static str>),
}

/// Compiles `v`; an internal or template error is a failure of the kit, not a refusal.
pub fn outcome(v: &Values) -> Result<Outcome, String> {
    let text = v.blueprint();
    match compile(&SourceFile::new(v.file_name.clone(), text), Targets::All) {
        Ok(c) => Ok(Outcome::Kit(
            c.files
                .into_iter()
                .filter(|f| f.path.starts_with("rollout/"))
                .collect(),
        )),
        Err(Failure::Blueprint(d)) => Ok(Outcome::Refused(d.iter().map(|d| d.code.id).collect())),
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => {
            Err(format!("not a diagnostic: {m}"))
        }
    }
}

/// Checks an accepted kit against the benign blueprint's (`benign`, with its command log):
/// every file parses and keeps its structure, the scripts run the same commands.
pub fn check_kit(
    kit: &[OutFile],
    benign: &[OutFile],
    benign_log: &[String],
    scratch: &Path,
) -> Result<(), String> {
    let paths = |k: &[OutFile]| k.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    if paths(kit) != paths(benign) {
        return Err(format!("files {:?}, not {:?}", paths(kit), paths(benign)));
    }
    for (f, b) in kit.iter().zip(benign) {
        let path = f.path.as_str();
        let text = f.contents.as_str();
        if path.ends_with(".toml") {
            let parsed: toml::Table = toml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            let want: toml::Table = toml::from_str(&b.contents).expect("benign TOML parses");
            if parsed != want {
                return Err(format!("{path}: {parsed:?}, not {want:?}"));
            }
        } else if path.ends_with("aws/config") {
            let parsed = ini(text).map_err(|e| format!("{path}: {e}"))?;
            if parsed != ini(&b.contents).expect("benign config parses") {
                return Err(format!("{path}: sections or values differ:\n{text}"));
            }
        } else if path.ends_with(".sh") {
            bash_n(path, text)?;
        } else if path.ends_with(".md") {
            markdown(path, text, &b.contents)?;
        } else if path.ends_with(".html") {
            let (got, want) = (html_structure(text)?, html_structure(&b.contents)?);
            if got != want {
                return Err(format!(
                    "{path}: elements differ from the benign page:\n{text}"
                ));
            }
        }
        // No value may add or remove a line: comments, words and cells stay on theirs.
        if !path.ends_with(".md") && text.lines().count() != b.contents.lines().count() {
            return Err(format!(
                "{path}: {} lines, not {}:\n{text}",
                text.lines().count(),
                b.contents.lines().count()
            ));
        }
    }
    let log = run_scripts(kit, scratch)?;
    if log != benign_log {
        return Err(format!("commands run: {log:#?}\nnot {benign_log:#?}"));
    }
    Ok(())
}

/// READINESS.html as an XML parser reads it (the page is written well-formed): its elements in
/// document order, each with its attribute names and the values that are not geometry (the
/// SVG's coordinates and sizes follow the labels' lengths). `code` elements are left out: a value
/// with a `|` is written as text rather than a code span (`escape::code`), in the Markdown and
/// so in the page. A free-text value that added, removed or changed an element, an attribute
/// or a checkbox shows here.
pub fn html_structure(text: &str) -> Result<Vec<String>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("READINESS.html is not well-formed XML: {e}"))?;
    Ok(doc
        .descendants()
        .filter(|n| n.is_element() && !n.has_tag_name("code"))
        .map(|n| {
            let attributes: Vec<String> = n
                .attributes()
                .map(|a| match a.name() {
                    "x" | "y" | "width" | "height" | "viewBox" | "d" => a.name().to_owned(),
                    name => format!("{name}={}", a.value()),
                })
                .collect();
            format!("{} {}", n.tag_name().name(), attributes.join(" "))
        })
        .collect())
}

/// The AWS CLI configuration as the CLI's INI dialect reads it: sections of `key = value`
/// lines, comments, blank lines, and nothing else (no continuation lines, no other keys).
/// The sections of an INI file in order, each with its keys and values.
type Sections = Vec<(String, BTreeMap<String, String>)>;

fn ini(text: &str) -> Result<Sections, String> {
    const KEYS: &[&str] = &[
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_registration_scopes",
        "sso_account_id",
        "sso_role_name",
        "region",
        "output",
    ];
    let mut sections: Sections = Vec::new();
    for line in text.split(['\n', '\r']) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            return Err(format!("continuation line {line:?}"));
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push((name.to_owned(), BTreeMap::new()));
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .ok_or_else(|| format!("not key = value: {line:?}"))?;
        if !KEYS.contains(&key) {
            return Err(format!("unexpected key {key:?}"));
        }
        let (_, keys) = sections
            .last_mut()
            .ok_or_else(|| format!("{key} outside a section"))?;
        if keys.insert(key.to_owned(), value.to_owned()).is_some() {
            return Err(format!("{key} twice in a section"));
        }
    }
    Ok(sections)
}

fn bash_n(path: &str, text: &str) -> Result<(), String> {
    let out = Command::new("bash")
        .args(["-n", "-c", text])
        .output()
        .map_err(|e| format!("bash: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{path}: bash -n: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The cells of a GitHub table row, split as cmark-gfm splits them: at every `|` that is not
/// backslash-escaped (a backslash escapes whatever character follows it).
fn cells(row: &str) -> usize {
    let mut pipes: usize = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes.saturating_sub(1)
}

fn markdown(path: &str, text: &str, benign: &str) -> Result<(), String> {
    // Tables: every row has its header's number of cells.
    let mut header: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            match header {
                None => header = Some(n),
                Some(h) if h != n => {
                    return Err(format!("{path}: row with {n} cells, not {h}: {line}"))
                }
                Some(_) => {}
            }
        } else {
            header = None;
        }
    }
    // Sections keep their lines; warnings may differ (a name can trigger one).
    let sections = |t: &str| -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for line in t.lines() {
            if line.starts_with("## ") || out.is_empty() {
                out.push((line.chars().take(40).collect(), 0));
            }
            out.last_mut().expect("pushed").1 += 1;
        }
        out.retain(|(title, _)| title != "## Open warnings");
        out.iter_mut()
            .filter(|(t, _)| t.starts_with("# "))
            .for_each(|(t, _)| *t = String::from("title"));
        out
    };
    if sections(text) != sections(benign) {
        return Err(format!("{path}: sections differ:\n{text}"));
    }
    // The Mermaid block: closed by its own fence only, every label inside its quotes.
    let block: Vec<&str> = text
        .split("```mermaid\n")
        .nth(1)
        .ok_or("no mermaid block")?
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .collect();
    let expected = benign
        .split("```mermaid\n")
        .nth(1)
        .expect("benign has a diagram")
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .count();
    if block.len() != expected {
        return Err(format!(
            "{path}: mermaid block of {} lines, not {expected}",
            block.len()
        ));
    }
    for line in block {
        if line.matches('"').count() % 2 != 0 || line.contains('`') || line.contains('\t') {
            return Err(format!("{path}: mermaid line {line:?}"));
        }
    }
    Ok(())
}

/// The stand-ins: `aws` and `curl` append their name and argument count to `$KIT_LOG` and
/// print what the scripts expect to read.
const AWS: &str = r#"#!/usr/bin/env bash
echo "aws $# $1 $2" >>"$KIT_LOG"
profile=""
prev=""
for a in "$@"; do [[ "$prev" == --profile ]] && profile="$a"; prev="$a"; done
case "$1 $2" in
  "organizations list-accounts") printf '%s\t%s\n' "$KIT_EMAIL" 222233334444 "root@example.com" 111111111111 ;;
  "configure get") echo 222233334444 ;;
  "sts get-caller-identity") printf '222233334444\tarn:aws:sts::222233334444:assumed-role/AWSReservedSSO_%s_0123abcd/dev\n' "${profile#*.}" ;;
  "configure export-credentials") printf 'AWS_ACCESS_KEY_ID=AKIA\nAWS_SECRET_ACCESS_KEY=secret\nAWS_SESSION_TOKEN=token\n' ;;
  "bedrock list-foundation-models") echo "openai.gpt-oss-120b-1:0" ;;
  *) echo end_turn ;;
esac
"#;
const CURL: &str = r#"#!/usr/bin/env bash
echo "curl $#" >>"$KIT_LOG"
echo '{"data":[{"id":"openai.gpt-oss-120b"}]}'
"#;

/// Writes the kit under `scratch`, runs resolve-account-ids.sh then validate.sh with the
/// stand-ins first on the PATH, and returns the commands they ran.
pub fn run_scripts(kit: &[OutFile], scratch: &Path) -> Result<Vec<String>, String> {
    let _ = std::fs::remove_dir_all(scratch);
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    for (name, text) in [("aws", AWS), ("curl", CURL)] {
        let p = bin.join(name);
        std::fs::write(&p, text).map_err(|e| e.to_string())?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
    }
    for f in kit {
        let p = scratch.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("in rollout/")).map_err(|e| e.to_string())?;
        std::fs::write(&p, &f.contents).map_err(|e| e.to_string())?;
    }
    // The email of the account to resolve, as the organization reports it.
    let email = kit
        .iter()
        .find(|f| f.path.ends_with("resolve-account-ids.sh"))
        .and_then(|f| {
            f.contents
                .lines()
                .find_map(|l| l.strip_prefix("resolve 'acme-pilot' "))
                .map(str::to_owned)
        })
        .ok_or("no resolve line")?;
    let email = Command::new("bash")
        .args(["-c", &format!("printf %s {email}")])
        .output()
        .map_err(|e| e.to_string())?
        .stdout;
    let log = scratch.join("log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for script in ["rollout/aws/resolve-account-ids.sh", "rollout/validate.sh"] {
        let out = Command::new("bash")
            .arg(scratch.join(script))
            .env("PATH", &path)
            .env("KIT_LOG", &log)
            .env("KIT_EMAIL", String::from_utf8_lossy(&email).as_ref())
            .env_remove("AWS_CONFIG_FILE")
            .current_dir(scratch)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() && script.ends_with("resolve-account-ids.sh") {
            return Err(format!(
                "{script} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    Ok(log.lines().map(str::to_owned).collect())
}

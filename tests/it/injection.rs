//! Issue 17, findings 6 and 7: distinct principals are never merged, and no blueprint value
//! injects into the rollout kit. One test per vector the issue lists, one per collision case, and
//! a bounded property test over every free-text field (tests/it/kit_checks.rs holds its checks).

use tarmac::compile::{compile, Failure, Targets};
use tarmac::diagnostics::{Location, SourceFile};

use crate::common::{file, startup};
use crate::kit_checks::{check_kit, outcome, run_scripts, Outcome, Values, FIELDS};

/// The diagnostics of a blueprint that must be refused: (code, pointer, message).
fn refused(text: &str) -> Vec<(String, String, String)> {
    match compile(&SourceFile::new("test.yaml", text), Targets::All) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(Failure::Blueprint(d)) => d
            .iter()
            .map(|d| {
                (
                    d.code.id.to_owned(),
                    match &d.location {
                        Location::Value(p) | Location::Key(p) => p.clone(),
                        Location::Span(_) | Location::In(..) => String::new(),
                    },
                    format!("{} {}", d.message, d.help.clone().unwrap_or_default()),
                )
            })
            .collect(),
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => panic!("not a diagnostic: {m}"),
    }
}

fn has(d: &[(String, String, String)], code: &str, pointer: &str) -> bool {
    d.iter().any(|(c, p, _)| c == code && p == pointer)
}

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tarmac-injection-{name}-{}", std::process::id()))
}

// ---- Finding 7: one test per vector.

#[test]
fn newline_in_display_name_is_refused_before_it_reaches_a_script() {
    let d = refused(&startup().replace(
        "display_name: Acme Robotics",
        "display_name: \"Acme\\ntouch /tmp/tarmac-pwned\"",
    ));
    assert!(has(&d, "TM026", "/display_name"), "{d:?}");
    assert!(d.iter().any(|(_, _, m)| m.contains("U+000A")), "{d:?}");
}

#[test]
fn newline_in_the_blueprint_file_name_stays_inside_comments_and_runs_nothing() {
    // The file name is not the blueprint's to validate: the kit escapes it wherever it lands.
    let mut v = Values::benign();
    v.file_name = "acme.yaml\ntouch /tmp/tarmac-pwned\nmodel_provider = \"evil\"\n".into();
    let benign = kit_of(&Values::benign());
    let Outcome::Kit(kit) = outcome(&v).unwrap() else {
        panic!("refused")
    };
    for f in &kit {
        assert!(
            !f.contents
                .lines()
                .any(|l| l.starts_with("touch ") || l.starts_with("model_provider = \"evil")),
            "{}:\n{}",
            f.path,
            f.contents
        );
    }
    let log = run_scripts(&benign, &scratch("file-benign")).unwrap();
    check_kit(&kit, &benign, &log, &scratch("file")).unwrap();
}

#[test]
fn newline_in_start_url_cannot_add_a_credential_process() {
    let d = refused(&startup().replace(
        "start_url: https://d-9067a1b2c3.awsapps.com/start",
        "start_url: \"https://d-9067a1b2c3.awsapps.com/start\\ncredential_process = /bin/sh -c id\"",
    ));
    assert!(has(&d, "TM027", "/identity_center/start_url"), "{d:?}");
    // Nor can a URL that is not an access portal's.
    let d = refused(&startup().replace(
        "start_url: https://d-9067a1b2c3.awsapps.com/start",
        "start_url: http://portal.example.com/start",
    ));
    assert!(has(&d, "TM027", "/identity_center/start_url"), "{d:?}");
}

#[test]
fn newline_in_display_name_cannot_redirect_codex() {
    let d = refused(&startup().replace(
        "display_name: Acme Robotics",
        "display_name: \"Acme\\nmodel_provider = \\\"evil\\\"\\nbase_url = \\\"https://evil.example\\\"\"",
    ));
    assert!(has(&d, "TM026", "/display_name"), "{d:?}");
    // A carriage return alone ends a TOML comment as well.
    let d = refused(&startup().replace(
        "display_name: Acme Robotics",
        "display_name: \"Acme\\rbase_url = 1\"",
    ));
    assert!(has(&d, "TM026", "/display_name"), "{d:?}");
}

#[test]
fn quote_in_an_email_is_refused_and_no_email_enters_a_query() {
    let d = refused(&startup().replace(
        "email: aws-pilot@acme-robotics.example",
        "email: \"x'] || Accounts[?Id=='111111111111'] || ['@acme.example\"",
    ));
    assert!(has(&d, "TM032", "/accounts/0/email"), "{d:?}");
    let d = refused(&startup().replace(
        "email: aws-pilot@acme-robotics.example",
        "email: \"o'brien@acme-robotics.example\"",
    ));
    assert!(has(&d, "TM032", "/accounts/0/email"), "{d:?}");
    // The script compares emails in bash: the address is a quoted word, not part of a query.
    let c = crate::common::compile_text(&startup(), Targets::All);
    let script = file(&c, "rollout/aws/resolve-account-ids.sh");
    assert!(!script.contains("Email=="), "{script}");
    assert!(script.contains("resolve 'acme-pilot' 'aws-pilot@acme-robotics.example' ||"));
}

#[test]
fn pipes_backticks_and_fences_keep_readiness_tables_and_the_diagram() {
    let hostile = "a | b ` c ``` d \" e ] f [g] <br/> #quot; *h* _i_";
    let mut v = Values::benign();
    v.display_name = hostile.into();
    v.ou = format!("OU {hostile}");
    v.group = format!("admins {hostile}");
    v.user = format!("dev {hostile}");
    v.owners = [0, 1, 2, 3].map(|i| format!("owner{i} {hostile}"));
    let benign = kit_of(&Values::benign());
    let Outcome::Kit(kit) = outcome(&v).unwrap() else {
        panic!("refused")
    };
    let readiness = &kit
        .iter()
        .find(|f| f.path == "rollout/READINESS.md")
        .unwrap()
        .contents;
    // The values are there, escaped, and the fence is closed only by the kit's own.
    assert!(readiness.contains(r"a \| b \` c \`\`\` d"), "{readiness}");
    assert_eq!(
        readiness
            .lines()
            .filter(|l| l.trim_start().starts_with("```"))
            .count(),
        2,
        "{readiness}"
    );
    let log = run_scripts(&benign, &scratch("md-benign")).unwrap();
    check_kit(&kit, &benign, &log, &scratch("md")).unwrap();
    // `.ci/run` reads the diagram of tests/fixtures/hostile/markdown.yaml, the same values,
    // with the real mermaid parser (node is not needed by `cargo test`).
}

#[test]
fn markdown_and_markup_in_every_field_stay_text_in_readiness_html() {
    // The fixture .ci/run loads in headless Chromium: Markdown, Mermaid and HTML delimiters in
    // the display name, an OU, a group and the rest.
    let path = crate::common::root().join("tests/fixtures/hostile/markdown.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let hostile = "a | b ` c ``` d \" e ] f [g] <br/> #quot; *h* _i_";
    let yaml_hostile = "a | b ` c ``` d \\\" e ] f [g] <br/> #quot; *h* _i_";
    assert!(text.contains(yaml_hostile), "the fixture holds the values");
    let page = |text: &str| {
        let c = crate::common::compile_text(text, Targets::All);
        file(&c, "rollout/READINESS.html").to_owned()
    };
    let html = page(&text);
    let benign = page(&text.replace(yaml_hostile, "plain"));
    // Not one element or attribute more or less than with plain names.
    assert_eq!(
        crate::kit_checks::html_structure(&html).unwrap(),
        crate::kit_checks::html_structure(&benign).unwrap()
    );
    // And the values are there as text, whole: the title, and the OU's box in the diagram.
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let title = doc.descendants().find(|n| n.has_tag_name("h1")).unwrap();
    assert_eq!(
        title.text(),
        Some(format!("Pilot readiness: Acme {hostile}").as_str())
    );
    let ou = format!("Sandbox {hostile}");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("name") && n.text() == Some(ou.as_str())),
        "{html}"
    );
    assert!(!html.contains("<br/>"), "{html}");
}

fn kit_of(v: &Values) -> Vec<tarmac::emit::OutFile> {
    match outcome(v).unwrap() {
        Outcome::Kit(k) => k,
        Outcome::Refused(codes) => panic!("refused: {codes:?}"),
    }
}

// ---- Finding 6: one test per collision case.

/// The startup blueprint with a second group getting the developers' set.
fn two_groups(first: &str, second: &str) -> String {
    startup()
        .replace(
            "group: acme-platform-admins",
            &format!("group: \"{first}\""),
        )
        .replace(
            "group: acme-pilot-developers",
            &format!("group: \"{second}\""),
        )
}

fn collides(first: &str, second: &str) {
    let d = refused(&two_groups(first, second));
    let hit = d
        .iter()
        .find(|(c, p, _)| c == "TM025" && p == "/identity_center/assignments/1/group")
        .unwrap_or_else(|| panic!("{first} / {second}: {d:?}"));
    // It names the earlier principal and says how to fix it.
    assert!(hit.2.contains(&format!("`{first}`")), "{hit:?}");
    assert!(hit.2.contains("rename"), "{hit:?}");
}

#[test]
fn space_and_hyphen_collide() {
    collides("dev team", "dev-team");
}

#[test]
fn case_collides() {
    collides("Admins", "admins");
}

#[test]
fn dot_and_hyphen_collide() {
    collides("jane.doe", "jane-doe");
}

#[test]
fn principals_with_known_ids_need_no_lookup_and_do_not_collide() {
    // Each id given: no data source or parameter to share, and the assignments differ by set.
    let text = two_groups("dev team", "dev-team")
        .replace(
            "      group: \"dev team\"\n",
            "      group: \"dev team\"\n      principal_id: 11111111-2222-3333-4444-555555555555\n",
        )
        .replace(
            "      group: \"dev-team\"\n",
            "      group: \"dev-team\"\n      principal_id: 66666666-2222-3333-4444-555555555555\n",
        );
    crate::common::compile_text(&text, Targets::All);
    // The same two names with the same set in the same account would still be one resource.
    let same_set = text.replace(
        "permission_set: PilotAdmin",
        "permission_set: CodexBedrockUser",
    );
    let d = refused(&same_set);
    assert!(
        has(&d, "TM025", "/identity_center/assignments/1/accounts/0"),
        "{d:?}"
    );
}

#[test]
fn users_collide_too() {
    let text = startup()
        .replace("group: acme-platform-admins", "user: jane.doe")
        .replace("group: acme-pilot-developers", "user: jane-doe");
    let d = refused(&text);
    assert!(
        has(&d, "TM025", "/identity_center/assignments/1/user"),
        "{d:?}"
    );
}

#[test]
fn non_ascii_names_get_distinct_identifiers() {
    let c = crate::common::compile_text(&two_groups("開発者", "管理者"), Targets::All);
    let tf = c
        .files
        .iter()
        .filter(|f| f.path.starts_with("terraform/"))
        .map(|f| f.contents.as_str())
        .collect::<String>();
    // Two data sources, each looking up its own group.
    for name in ["開発者", "管理者"] {
        assert!(tf.contains(&format!("\"display_name\": \"{name}\"")) || tf.contains(name));
    }
    let labels: std::collections::BTreeSet<&str> = tf
        .split('"')
        .filter(|s| s.starts_with("group_") && s.ends_with("_id"))
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    // A group and a user of the same name are two principals and never collide.
    let text = startup()
        .replace("group: acme-platform-admins", "group: dev-team")
        .replace("group: acme-pilot-developers", "user: dev-team");
    crate::common::compile_text(&text, Targets::All);
}

#[test]
fn ascii_principal_identifiers_are_unchanged() {
    let c = crate::common::compile_text(&startup(), Targets::All);
    let tf = c
        .files
        .iter()
        .map(|f| f.contents.as_str())
        .collect::<String>();
    assert!(tf.contains("group_acme_pilot_developers_id"));
    assert!(tf.contains("GroupAcmePilotDevelopersId"));
}

// ---- The property test.

/// xorshift64*: a fixed seed, so a failure is a failure of every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that break one syntax or another.
const HOSTILE: &[&str] = &[
    "'", "\"", "`", "```", "$(id)", "${HOME}", "|", "\\", "#", "[", "]", "<", ">", "&", ";", " ",
    "=", "%s", "*", "_", "~", "!", "{{", "}}", "#quot;", "<br/>", "-->", "\\u000A", "\\n", "開発",
    "é", "🙂", "\u{200b}", "a", "Z", "0", "-", ".", "@", "/", ":",
];
/// Characters the checks refuse.
const BREAKING: &[&str] = &[
    "\n", "\r", "\t", "\0", "\u{7f}", "\u{85}", "\u{2028}", "\r\n",
];

fn text(rng: &mut Rng, breaking: bool) -> String {
    let n = rng.below(10);
    let mut s = String::new();
    for _ in 0..=n {
        if breaking && rng.below(3) == 0 {
            s.push_str(BREAKING[rng.below(BREAKING.len())]);
        } else {
            s.push_str(HOSTILE[rng.below(HOSTILE.len())]);
        }
    }
    s
}

#[test]
fn no_free_text_changes_what_the_kit_does() {
    let benign = kit_of(&Values::benign());
    let benign_log = run_scripts(&benign, &scratch("prop-benign")).unwrap();
    assert!(
        benign_log.iter().any(|l| l.starts_with("curl"))
            && benign_log
                .iter()
                .any(|l| l == "aws 6 organizations list-accounts"),
        "{benign_log:#?}"
    );
    let mut rng = Rng(0x7461_726d_6163_0017);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..40 {
        let mut v = Values::benign();
        // Every field hostile but readable; every fourth round one field with a line break.
        // Prefixes keep the principals apart and the emails and URL in shape, so that most
        // blueprints are accepted and their kits checked.
        let breaking = round % 4 == 3;
        // A permission set's description and justification may hold line breaks (AWS allows
        // them; they reach only the templates' JSON): those rounds may be accepted.
        let mut must_refuse = false;
        v.file_name = text(&mut rng, true);
        v.display_name = text(&mut rng, false);
        v.ou = text(&mut rng, false);
        v.group = format!("admins {}", text(&mut rng, false));
        v.user = format!("dev {}", text(&mut rng, false));
        for o in &mut v.owners {
            *o = text(&mut rng, false);
        }
        v.description = text(&mut rng, false);
        v.justification = text(&mut rng, false);
        if breaking {
            let field = 1 + rng.below(FIELDS - 1);
            must_refuse = !matches!(field, 9 | 10);
            let bad = text(&mut rng, true) + BREAKING[rng.below(BREAKING.len())];
            v.field(field).push_str(&bad);
        }
        let dir = scratch(&format!("prop-{round}"));
        match outcome(&v) {
            Err(e) => panic!("round {round}: {e}\n{v:#?}"),
            Ok(Outcome::Refused(codes)) => {
                assert!(must_refuse, "round {round}: refused with {codes:?}: {v:#?}");
                refused += 1;
            }
            Ok(Outcome::Kit(kit)) => {
                assert!(
                    !must_refuse,
                    "round {round}: a line break was accepted: {v:#?}"
                );
                if let Err(e) = check_kit(&kit, &benign, &benign_log, &dir) {
                    panic!("round {round}: {e}\n{v:#?}");
                }
                accepted += 1;
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    // The test checks kits, not only refusals.
    assert!(
        accepted >= 25 && refused >= 5,
        "{accepted} accepted, {refused} refused"
    );
    let _ = std::fs::remove_dir_all(scratch("prop-benign"));
}

//! Invariants of the source tree that ARCHITECTURE.md states, checked on the text of `src/` in
//! the manner of rust-analyzer's `tidy.rs`: std only and fast, so they run with every
//! `cargo test`, and each failure names `file:line` and the rule it breaks. A rule on paper only
//! drifts; a rule here fails the build of the change that breaks it.

use std::fs;
use std::path::Path;

/// A source file: its path from the crate root (with `/`) and its text.
struct Source {
    path: String,
    text: String,
}

impl Source {
    /// Its lines that are code, numbered from 1: comment lines are left out, so that prose may
    /// name a module or a function it does not use.
    fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .filter(|(_, l)| !l.trim_start().starts_with("//"))
    }

    /// Its comment lines, numbered from 1.
    fn comment_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .filter(|(_, l)| l.trim_start().starts_with("//"))
    }
}

/// Every `.rs` file under `dir` (relative to the crate root), in path order.
fn sources(dir: &str) -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                let path = path.strip_prefix(root).unwrap().to_string_lossy();
                out.push(Source {
                    path: path.replace('\\', "/"),
                    text,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(!out.is_empty(), "no source files under {dir}");
    out
}

/// Fails with every finding, one `file:line: rule` a line.
fn report(rule: &str, findings: Vec<String>) {
    assert!(
        findings.is_empty(),
        "{} violation(s) of the rule \"{rule}\":\n{}",
        findings.len(),
        findings
            .iter()
            .map(|f| format!("  {f}: {rule}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The modules a line of code names under `prefix` (`crate::` or `std::`): `crate::plan::x`
/// names `plan`, `crate::{blueprint, plan::x}` names `blueprint` and `plan`. A braced list is
/// read to its end on the same line; rustfmt puts a long one on several lines, and its items
/// that begin a line are read by [`list_items`].
fn named(line: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(list) = rest.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            out.extend(
                list[..end]
                    .split(',')
                    .map(first_ident)
                    .filter(|s| !s.is_empty()),
            );
        } else {
            out.push(first_ident(rest));
        }
    }
    out
}

/// The identifier a path begins with (`plan` of ` plan::value::Name`).
fn first_ident(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The modules named by the items of a multi-line `use crate::{` list, with their line numbers.
fn list_items<'a>(
    source: &'a Source,
    prefix: &'a str,
) -> impl Iterator<Item = (usize, String)> + 'a {
    let mut inside = false;
    source.code_lines().filter_map(move |(n, line)| {
        let t = line.trim();
        if t.starts_with("use ") && t.ends_with(&format!("{prefix}{{")) {
            inside = true;
            return None;
        }
        if inside {
            if t.starts_with('}') {
                inside = false;
                return None;
            }
            return Some((n, first_ident(t)));
        }
        None
    })
}

/// Where a file under `dir` names one of the crate's modules in `forbidden`.
fn imports(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut findings = Vec::new();
    for source in sources(dir) {
        let mut hits: Vec<(usize, String)> = source
            .code_lines()
            .flat_map(|(n, line)| named(line, "crate::").into_iter().map(move |m| (n, m)))
            .chain(list_items(&source, "crate::"))
            .filter(|(_, m)| forbidden.contains(&m.as_str()))
            .collect();
        hits.sort();
        hits.dedup();
        findings.extend(
            hits.into_iter()
                .map(|(n, m)| format!("{}:{n} (crate::{m})", source.path)),
        );
    }
    findings
}

/// The planner decides what will exist; how each target says it and how files reach the disk
/// come after it. A plan that reached into an emitter or the CLI would make a target's syntax
/// or the outside world part of what is deployed.
#[test]
fn plan_imports_neither_emit_nor_cli() {
    report(
        "src/plan/ imports neither crate::emit nor crate::cli",
        imports("src/plan", &["emit", "cli"]),
    );
}

/// The checks say what is wrong with a blueprint; the planner relies on what resolution hands
/// it. Checks that called into the planner would run planning code on blueprints that may not
/// hold what the planner relies on. What both need lives before both: names, principal ids,
/// budget names and quotas in `src/naming.rs`, and what needs a built document (the SCPs, the
/// permission sets' inline policies, the Codex model) in `src/resolve/`.
#[test]
fn checks_do_not_import_plan() {
    report(
        "src/checks/ does not import crate::plan",
        imports("src/checks", &["plan"]),
    );
}

/// Resolution comes before the plan: it hands the planner and the rollout kit typed values, and
/// decides nothing about what a target says or how files reach the disk. A resolver that reached
/// into the planner would make the planner's choices part of what the checks measure.
#[test]
fn resolve_imports_neither_plan_emit_nor_cli() {
    report(
        "src/resolve/ imports neither crate::plan, crate::emit nor crate::cli",
        imports("src/resolve", &["plan", "emit", "cli"]),
    );
}

/// The planner reads the resolved blueprint, never the checks: what a check establishes reaches
/// it as a resolved value, so no planning step depends on a check having run.
#[test]
fn plan_does_not_import_checks() {
    report(
        "src/plan/ does not import crate::checks",
        imports("src/plan", &["checks"]),
    );
}

/// The planner's parts (one module per part of the landing zone) share the frame of
/// `plan/context.rs` and are called by `plan/build.rs` alone: a part that called another would
/// bring back the loop in which every part and `build` imported each other.
#[test]
fn planner_parts_do_not_import_each_other() {
    const PARTS: &[&str] = &[
        "audit",
        "build",
        "cost",
        "guardrails",
        "identity",
        "members",
        "network",
        "organization",
    ];
    let mut findings = Vec::new();
    for source in sources("src/plan") {
        let file = source
            .path
            .trim_start_matches("src/plan/")
            .trim_end_matches(".rs");
        if !PARTS.contains(&file) || file == "build" {
            continue;
        }
        let mut hits: Vec<(usize, String)> = source
            .code_lines()
            .flat_map(|(n, line)| named(line, "super::").into_iter().map(move |m| (n, m)))
            .chain(list_items(&source, "super::"))
            .filter(|(_, m)| PARTS.contains(&m.as_str()))
            .collect();
        hits.sort();
        hits.dedup();
        findings.extend(
            hits.into_iter()
                .map(|(n, m)| format!("{}:{n} (super::{m})", source.path)),
        );
    }
    report(
        "a planner part imports no other part nor plan/build.rs",
        findings,
    );
}

/// "No I/O outside `cli/`": the stages take text and hand files to a `Sink`, so tests and
/// `synth --check` run them without a disk, and the CLI alone decides what is read and written.
#[test]
fn no_file_system_outside_cli() {
    let mut findings = Vec::new();
    for source in sources("src") {
        if source.path.starts_with("src/cli/") {
            continue;
        }
        for (n, line) in source.code_lines() {
            let std_fs = named(line, "std::").iter().any(|m| m == "fs");
            let bare = line
                .match_indices("fs::")
                .any(|(i, _)| !line[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
            if std_fs || bare {
                findings.push(format!("{}:{n}", source.path));
            }
        }
    }
    report("no std::fs outside src/cli/", findings);
}

/// The widest line rustfmt writes; it leaves longer string literals, macro bodies and comments
/// as they are, so they are held here (`tests/` is not held yet). Columns are characters, not bytes: a `é` is one column.
/// A line holding a link is exempt: a URL cannot be wrapped.
const MAX_COLUMNS: usize = 100;

#[test]
fn no_line_is_over_100_columns() {
    let mut findings = Vec::new();
    for source in sources("src") {
        findings.extend(
            source
                .text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.contains("http://") && !l.contains("https://"))
                .filter(|(_, l)| l.chars().count() > MAX_COLUMNS)
                .map(|(i, l)| format!("{}:{} ({} columns)", source.path, i + 1, l.chars().count())),
        );
    }
    report("no line is over 100 columns", findings);
}

/// Units of a duration measured once: `2.5 ms`, `165 ms`.
const TIME_UNITS: &[&str] = &["ms", "µs", "us", "ns", "milliseconds", "microseconds"];

/// A comment says why the code is as it is; how long something took at one commit is history,
/// true of one machine on one day, and it rots in place. Measurements live in
/// `docs/performance.md`, with how they were taken.
#[test]
fn no_measurement_history_in_comments() {
    let mut findings = Vec::new();
    let mut files = sources("src");
    let build = Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs");
    files.push(Source {
        path: String::from("build.rs"),
        text: fs::read_to_string(build).unwrap(),
    });
    for source in &files {
        for (n, line) in source.comment_lines() {
            let words: Vec<&str> = line
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| "(),.;:~`".contains(c)))
                .collect();
            let number = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
            let measured = words.windows(2).any(|w| {
                (number(w[0]) && TIME_UNITS.contains(&w[1]))
                    || (w[0].eq_ignore_ascii_case("took") && number(w[1]))
            });
            if measured {
                findings.push(format!("{}:{n}", source.path));
            }
        }
    }
    report(
        "no measurement history in comments (move it to docs/performance.md)",
        findings,
    );
}

/// Every code has a test that triggers it: each is named by a test (`"TM024"` in `tests/it/`)
/// or rendered in a snapshot (`error[TM024]`, `"code": "TM024"`). A code no test names cannot
/// have a triggering case; the cases themselves assert that their code is reported
/// (`readiness.rs`, `bad_blueprints.rs`, `limits.rs`, …).
#[test]
fn every_code_is_named_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = sources("tests/it")
        .into_iter()
        .filter(|s| s.path != "tests/it/tidy.rs")
        .map(|s| s.text)
        .collect();
    for entry in fs::read_dir(root.join("tests/snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let paths: Vec<_> = if path.is_dir() {
            fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        } else {
            vec![path]
        };
        texts.extend(paths.iter().filter_map(|p| fs::read_to_string(p).ok()));
    }
    let findings = tarmac::codes::ALL
        .iter()
        .filter(|c| {
            let quoted = format!("\"{}\"", c.id);
            let rendered = format!("[{}]", c.id);
            !texts
                .iter()
                .any(|t| t.contains(&quoted) || t.contains(&rendered))
        })
        .map(|c| format!("src/codes.rs:1 ({} {})", c.id, c.name))
        .collect();
    report("every code in codes::ALL is triggered by a test", findings);
}

/// Codes reported from more than one file, each with why. Empty: every rule has one home.
const CODES_WITH_TWO_HOMES: &[(&str, &str)] = &[];

/// Every code is reported from one file, the `home` its entry in `src/codes.rs` names: a rule
/// is then found, read and changed in one place, and `tarmac explain` says where. A family that
/// finds the same problem elsewhere (an unknown region in the state backend) calls the home's
/// function instead of building the diagnostic again. Constants are named as `codes::NAME`, so
/// importing one (`use crate::codes::NAME`) would hide its use: that is refused too.
#[test]
fn every_code_has_one_home() {
    let codes_rs = sources("src")
        .into_iter()
        .find(|s| s.path == "src/codes.rs")
        .unwrap();
    // `NAME = "TM0xx"` in the codes! table: the constant of each id.
    let constants: Vec<(String, String)> = codes_rs
        .code_lines()
        .filter_map(|(_, l)| {
            let (name, rest) = l.trim().split_once(" = \"")?;
            let id = rest.split('"').next()?;
            (id.starts_with("TM") && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .then(|| (name.to_owned(), id.to_owned()))
        })
        .collect();
    assert_eq!(
        constants.len(),
        tarmac::codes::ALL.len(),
        "constants of src/codes.rs"
    );
    let mut uses: Vec<(String, String)> = Vec::new();
    let mut findings = Vec::new();
    for source in sources("src") {
        if source.path == "src/codes.rs" {
            continue;
        }
        for (n, line) in source.code_lines() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let imported = named(line, "codes::")
                .iter()
                .any(|m| m.starts_with(|c: char| c.is_ascii_uppercase()) && m != "ALL");
            if line.trim_start().starts_with("use ") && imported {
                findings.push(format!("{}:{n} (imports a code)", source.path));
            }
            for (i, _) in line.match_indices("codes::") {
                let name = first_ident(&line[i + "codes::".len()..]);
                if name != "ALL" && !name.is_empty() {
                    uses.push((name, source.path.clone()));
                }
            }
        }
    }
    uses.sort();
    uses.dedup();
    for code in tarmac::codes::ALL {
        let (name, _) = constants.iter().find(|(_, id)| id == code.id).unwrap();
        let files: Vec<&str> = uses
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, f)| f.as_str())
            .collect();
        let home = format!("src/{}", code.home);
        let excepted = CODES_WITH_TWO_HOMES.iter().any(|(id, _)| *id == code.id);
        if files.is_empty() {
            findings.push(format!("{home} ({} {name} is reported nowhere)", code.id));
        } else if !files.contains(&home.as_str()) {
            findings.push(format!(
                "{home} ({} is reported from {})",
                code.id,
                files.join(", ")
            ));
        } else if files.len() > 1 && !excepted {
            findings.push(format!(
                "{home} ({} also from {})",
                code.id,
                files.join(", ")
            ));
        }
    }
    report(
        "every code is reported from its home, and only there",
        findings,
    );
}

/// The literals of a file's code before its unit tests (`#[cfg(test)]`): each string literal's
/// text (raw strings included) and each number as written, with the line it is on. Comments and
/// char literals are skipped; a number after `.` is a tuple field, not a literal.
fn literals(text: &str) -> Vec<(usize, String)> {
    let code = text.split("\n#[cfg(test)]").next().unwrap_or(text);
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A char literal; a lifetime has no closing quote after one character.
            i += 2;
            while chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && (i == 0 || !ident(chars[i - 1])) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            let start = i + 2 + hashes;
            let close: String = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            let rest: String = chars[start..].iter().collect();
            let len = rest.find(&close).expect("a raw string closes");
            let body: String = rest[..len].to_owned();
            out.push((line, body.clone()));
            line += body.matches('\n').count();
            i = start + body.chars().count() + close.len();
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while chars[i] != '"' {
                if chars[i] == '\\' {
                    s.push(chars[i]);
                    i += 1;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push((line, s));
        } else if c.is_ascii_digit() && (i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == '.')) {
            let mut s = String::new();
            while i < chars.len()
                && (ident(chars[i])
                    || chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            {
                s.push(chars[i]);
                i += 1;
            }
            out.push((line, s));
        } else {
            i += 1;
        }
    }
    out
}

/// Literals both emitters may write: syntax of the JSON both build, not an AWS setting. Each
/// entry says why; a setting (a number of days, a mode, an AWS enum value) belongs in the plan.
const SHARED_SYNTAX: &[(&str, &str)] = &[
    (
        "${",
        "opens a substitution both in Fn::Sub and in a Terraform template: each emitter escapes \
            it in literals of its own syntax",
    ),
    (
        "${{{}}}",
        "the format string of such a substitution, `${name}`, in either syntax",
    ),
    ("0", "an index: the first item of a list"),
    ("1", "counting from one, and the next index"),
    (
        "id",
        "a key of two unrelated syntaxes: checkov's skip entry (CloudFormation metadata) and \
            Terraform's import block and attribute",
    ),
];

/// "Emitters make no policy decisions": an AWS setting is a typed field of the plan, set by the
/// planner module of its resource, and each emitter maps it to its spelling. The same literal
/// written by both emitters is a setting decided twice (or spelled twice: the AWS API's own
/// spelling of a plan value lives once, in `src/emit/aws.rs`).
#[test]
fn no_aws_setting_is_written_by_both_emitters() {
    let tree = |dir: &str| {
        let mut found: std::collections::BTreeMap<String, String> = Default::default();
        for source in sources(dir) {
            for (n, lit) in literals(&source.text) {
                found
                    .entry(lit)
                    .or_insert_with(|| format!("{}:{n}", source.path));
            }
        }
        found
    };
    let cloudformation = tree("src/emit/cloudformation");
    let terraform = tree("src/emit/terraform");
    let findings = cloudformation
        .iter()
        .filter(|(lit, _)| terraform.contains_key(*lit))
        .filter(|(lit, _)| !SHARED_SYNTAX.iter().any(|(s, _)| s == lit))
        .map(|(lit, at)| format!("{at} and {} ({lit:?})", terraform[lit]))
        .collect();
    report("no literal is written by both emitters", findings);
    let stale = SHARED_SYNTAX
        .iter()
        .filter(|(lit, _)| !(cloudformation.contains_key(*lit) && terraform.contains_key(*lit)))
        .map(|(lit, _)| format!("SHARED_SYNTAX {lit:?}"))
        .collect();
    report(
        "an entry of SHARED_SYNTAX is written by both emitters",
        stale,
    );
}

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

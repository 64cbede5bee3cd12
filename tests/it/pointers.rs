//! Every diagnostic points where it means to: its JSON pointer names a node of the file that
//! wrote the value, not an ancestor reached by the renderer's fallback (`SourceFile::place`),
//! unless the diagnostic says it may name what the blueprint leaves out (`at_nearest`). A
//! mistyped pointer (`/acounts/0/name`) would otherwise underline the parent silently.

use std::path::Path;

use tarmac::compile::{compile, Failure, Targets};
use tarmac::diagnostics::{Diagnostic, SourceFile};

/// The diagnostics of `file`, synthesizing when the checks pass (the limits only the emitters
/// measure are found then).
fn diagnostics(file: &SourceFile) -> Vec<Diagnostic> {
    match compile(file, Targets::All) {
        Ok(c) => c.warnings,
        Err(Failure::Blueprint(d)) => d,
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => panic!("{}: {m}", file.name),
    }
}

/// Each diagnostic of `file` whose pointer does not name a node exactly.
fn inexact(file: &SourceFile) -> Vec<String> {
    diagnostics(file)
        .iter()
        .filter(|d| !d.nearest && !file.resolves_exactly(&d.location))
        .map(|d| {
            format!(
                "{}: {} {:?} ({})",
                file.name, d.code.id, d.location, d.message
            )
        })
        .collect()
}

fn fixtures(dir: &str) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(crate::common::root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_pointer_of_the_bad_fixtures_resolves_exactly() {
    let mut found = Vec::new();
    for path in fixtures("tests/fixtures/bad") {
        found.extend(inexact(&crate::common::source(&path)));
    }
    for dir in fixtures("tests/fixtures/composed/bad") {
        found.extend(inexact(&crate::common::source(&dir.join("client.yaml"))));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_pointer_of_the_shipped_blueprints_resolves_exactly() {
    let mut found = Vec::new();
    for path in crate::common::blueprints() {
        found.extend(inexact(&crate::common::source(Path::new(&path))));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_pointer_of_the_readiness_cases_resolves_exactly() {
    let found: Vec<String> = crate::readiness::blueprints()
        .iter()
        .flat_map(inexact)
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Every property name of the blueprint's JSON Schema, at any depth.
fn schema_fields() -> std::collections::BTreeSet<String> {
    fn walk(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    out.extend(props.keys().cloned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(
        &serde_json::from_str(&tarmac::blueprint::schema::schema_text()).unwrap(),
        &mut out,
    );
    out
}

/// The quoted words of `line` after each `prefix`: the `"x"` of `.field("x")`.
fn quoted_after<'a>(line: &'a str, prefix: &str) -> Vec<&'a str> {
    line.match_indices(prefix)
        .filter_map(|(i, _)| line[i + prefix.len()..].split('"').next())
        .collect()
}

/// The fields a pointer of `src/checks/` or `src/compile.rs` names are fields of the blueprint:
/// `Ptr`'s `.field("…")` and `Ptr::item("…", "…", i)`, and the pointers written as one literal
/// (`"/audit/enabled"`). The exactness tests hold the pointers their blueprints reach; this holds
/// the others too, against a misspelt field.
#[test]
fn every_field_a_pointer_names_is_a_blueprint_field() {
    let fields = schema_fields();
    let schema: serde_json::Value =
        serde_json::from_str(&tarmac::blueprint::schema::schema_text()).unwrap();
    let top: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let root = crate::common::root();
    let mut paths = vec![root.join("src/compile.rs")];
    paths.extend(fixtures("src/checks"));
    let mut found = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let mut named: Vec<&str> = quoted_after(line, ".field(\"");
            for args in quoted_after(line, "Ptr::item(\"") {
                named.push(args);
            }
            if let Some(i) = line.find("Ptr::item(\"") {
                named.extend(line[i..].split('"').nth(3));
            }
            for literal in line.split('"').skip(1).step_by(2) {
                let pointer = literal.len() > 1
                    && literal.starts_with('/')
                    && literal[1..].split('/').all(|s| {
                        !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    });
                // A path of a URL (`"/start"`) is not a pointer: a pointer begins at a section.
                if pointer && top.contains(&literal[1..].split('/').next().unwrap()) {
                    named.extend(literal[1..].split('/'));
                }
            }
            let file = path.strip_prefix(&root).unwrap().display().to_string();
            found.extend(
                named
                    .into_iter()
                    .filter(|f| !fields.contains(*f))
                    .map(|f| format!("{file}:{} `{f}`", n + 1)),
            );
        }
    }
    assert!(
        found.is_empty(),
        "not fields of the blueprint:\n{}",
        found.join("\n")
    );
}

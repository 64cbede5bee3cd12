//! Composition: a blueprint that names a base (`extends: ../standards/consultancy.yaml`), which
//! may name a base of its own.
//!
//! A consultancy keeps its standard (guardrails, permission sets, budget thresholds, owners) in
//! one file and writes per client only what differs. The merge rules are few, so that a reader of
//! two files can tell the result:
//!
//! - mappings merge key by key, recursively;
//! - a scalar or a list from the nearer file (the client, then each base in turn) replaces the
//!   base's;
//! - a list given as `{append: [...]}` extends the base's list instead (with no list in the base,
//!   it is the list).
//!
//! The merge works on parsed values but remembers, for every node of the result, the file and
//! the JSON pointer it was written at ([`Origins`]), so that every diagnostic, found by the schema
//! or a check long after the merge, points at the line of the file that wrote the value. The
//! files themselves are read by the CLI ([`resolve`] takes the reader): nothing here does I/O.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::blueprint::pointer::Ptr;
use crate::codes;
use crate::diagnostics::{Diagnostic, SourceFile};

/// The key that names a base.
pub const EXTENDS: &str = "extends";

/// The key of the explicit form that extends a base's list instead of replacing it.
pub const APPEND: &str = "append";

/// The longest chain of bases: far more than a consultancy standard needs (a standard, a
/// regional variant, an industry variant), and a stop for a chain that loops through links,
/// which a comparison of paths cannot see.
pub const MAX_BASES: usize = 8;

/// One base of a blueprint.
pub struct Base {
    pub file: SourceFile,
    /// Its path relative to the client's folder, with `/` separators, as the manifest records it.
    pub path: String,
}

/// The bases of a client blueprint, nearest first, and what went wrong finding them.
#[derive(Default)]
pub struct Composition {
    pub bases: Vec<Base>,
    /// Bases that could not be read, cycles, `extends` values that are not a relative path.
    pub problems: Vec<Diagnostic>,
    /// Where each node of the merged blueprint was written, set by the loader.
    pub(crate) origins: OnceLock<Origins>,
}

/// For nodes of a merged document, the file (0: the client, `i`: its `i`-th base) and the
/// pointer in that file they were written at. Only nodes where that changes are recorded; any
/// other node is found under its nearest recorded ancestor, with the same path below it.
#[derive(Debug, Default)]
pub struct Origins(BTreeMap<String, (usize, String)>);

impl Origins {
    /// The file and the pointer in it that wrote the node at `pointer` of the merged document.
    pub fn resolve(&self, pointer: &str) -> (usize, String) {
        let mut p = pointer;
        loop {
            if let Some((file, source)) = self.0.get(p) {
                return (*file, format!("{source}{}", &pointer[p.len()..]));
            }
            if p.is_empty() {
                return (0, pointer.to_owned());
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }

    /// Records that `at` (and what is below it, unless recorded) comes from `source` of `file`.
    fn own(&mut self, at: &str, file: usize, source: String) {
        self.0.insert(at.to_owned(), (file, source));
    }

    /// Records `at` as a whole from `source` of `file`, forgetting what was below it.
    fn replace(&mut self, at: &str, file: usize, source: String) {
        let below = format!("{at}/");
        let end = format!("{at}0"); // '0' follows '/' in ASCII
        let gone: Vec<String> = self.0.range(below..end).map(|(k, _)| k.clone()).collect();
        for k in gone {
            self.0.remove(&k);
        }
        self.own(at, file, source);
    }

    /// Records where `at` comes from now, before an ancestor changes owner.
    fn pin(&mut self, at: &str) {
        if !self.0.contains_key(at) {
            let (file, source) = self.resolve(at);
            self.own(at, file, source);
        }
    }
}

/// The items of an `{append: [...]}` form.
fn append_form(value: &Value) -> Option<&Vec<Value>> {
    value
        .as_object()
        .filter(|m| is_append(m))?
        .get(APPEND)?
        .as_array()
}

/// Whether a mapping is an `{append: [...]}` form: `append` its only key, a list its value.
fn is_append(m: &Map<String, Value>) -> bool {
    m.len() == 1 && m.get(APPEND).is_some_and(Value::is_array)
}

/// What kind of node a value is, for a type clash across files: `None` for scalars and null,
/// which replace each other freely (the schema judges their type).
fn shape(value: &Value) -> Option<&'static str> {
    if value.is_array() || append_form(value).is_some() {
        Some("a list")
    } else if value.is_object() {
        Some("a mapping")
    } else {
        None
    }
}

/// A nearer file giving a node another kind than its base: a mapping for a list, a scalar for a
/// mapping.
pub struct Clash {
    /// The file and pointer of the nearer value.
    pub file: usize,
    pub source: String,
    pub near: &'static str,
    /// The file and pointer of the base's value, and its kind.
    pub base_file: usize,
    pub base_source: String,
    pub base: &'static str,
}

/// The merge of one file's value (`near`, of file `file`) over what the farther files gave.
pub struct Merge<'a> {
    pub origins: &'a mut Origins,
    pub clashes: &'a mut Vec<Clash>,
    pub file: usize,
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", super::spans::escape(key))
}

impl Merge<'_> {
    /// `near` over `base` at `at` of the merged document; `near` sits at `source` of its file.
    pub fn overlay(&mut self, base: Option<Value>, near: Value, at: &str, source: &str) -> Value {
        let base = base.filter(|b| !b.is_null());
        let Some(base) = base else {
            self.origins.replace(at, self.file, source.to_owned());
            return self.normalize(near, at, source);
        };
        if !near.is_null() && shape(&base) != shape(&near) {
            let (base_file, base_source) = self.origins.resolve(at);
            self.clashes.push(Clash {
                file: self.file,
                source: source.to_owned(),
                near: shape(&near).unwrap_or("a scalar"),
                base_file,
                base_source,
                base: shape(&base).unwrap_or("a scalar"),
            });
        }
        match (base, near) {
            (Value::Array(mut list), near) if append_form(&near).is_some() => {
                for i in 0..list.len() {
                    self.origins.pin(&format!("{at}/{i}"));
                }
                self.origins.own(at, self.file, source.to_owned());
                let Value::Object(mut form) = near else {
                    unreachable!("an append form is a mapping")
                };
                let Some(Value::Array(items)) = form.remove(APPEND) else {
                    unreachable!("an append form holds a list")
                };
                for (j, item) in items.into_iter().enumerate() {
                    let at = format!("{at}/{}", list.len());
                    let source = format!("{source}/{APPEND}/{j}");
                    self.origins.replace(&at, self.file, source.clone());
                    list.push(self.normalize(item, &at, &source));
                }
                Value::Array(list)
            }
            (Value::Object(mut base), Value::Object(near)) if !is_append(&near) => {
                for key in base.keys() {
                    self.origins.pin(&child(at, key));
                }
                self.origins.own(at, self.file, source.to_owned());
                for (key, value) in near {
                    let merged = self.overlay(
                        base.remove(&key),
                        value,
                        &child(at, &key),
                        &child(source, &key),
                    );
                    // A new key goes after the base's; a merged one keeps its place.
                    base.insert(key, merged);
                }
                Value::Object(base)
            }
            (_, near) => {
                self.origins.replace(at, self.file, source.to_owned());
                self.normalize(near, at, source)
            }
        }
    }

    /// A value of this file alone, with its append forms turned into the lists they give.
    fn normalize(&mut self, value: Value, at: &str, source: &str) -> Value {
        match value {
            Value::Object(mut m) if is_append(&m) => {
                let source = format!("{source}/{APPEND}");
                self.origins.own(at, self.file, source.clone());
                match m.remove(APPEND) {
                    Some(items) => self.normalize(items, at, &source),
                    None => Value::Null,
                }
            }
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| {
                        let v = self.normalize(v, &child(at, &k), &child(source, &k));
                        (k, v)
                    })
                    .collect::<Map<String, Value>>(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| self.normalize(v, &format!("{at}/{i}"), &format!("{source}/{i}")))
                    .collect(),
            ),
            scalar => scalar,
        }
    }
}

/// The `extends` of a blueprint's text, if it has one: a relative path, or the diagnostic that
/// says why the value is not one. A text that does not parse has none here (the loader reports
/// the syntax error with its position).
fn extends_of(file: &SourceFile) -> Option<Result<String, Diagnostic>> {
    // Most blueprints do not compose: do not index them here.
    if !file.text().contains(EXTENDS) {
        return None;
    }
    // The span index (which the loader needs anyway) finds the key; only its value is parsed,
    // not the whole text a second time. A value spanning lines is not a path.
    let pointer = Ptr::root().field(EXTENDS).to_string();
    if !file.spans().contains(&pointer) {
        return None;
    }
    let span = file.spans().value(&pointer)?;
    let text = &file.text()[span.offset..span.offset + span.len];
    let named: Value = serde_yaml_ng::from_str(text).unwrap_or(Value::Null);
    let named = &named;
    let wrong = |why: &str| {
        Diagnostic::error(
            codes::EXTENDS_INVALID,
            pointer.clone(),
            format!("`extends` must be the relative path of a base blueprint; {why}"),
        )
        .with_label("not a relative path")
        .with_help(
            "name the base relative to this file, with `/` between folders, such as \
`extends: ../standards/consultancy.yaml`; an absolute path would tie the blueprint (and the \
manifest that records its bases) to one machine",
        )
    };
    Some(match named.as_str() {
        None => Err(wrong("this is not text")),
        Some("") => Err(wrong("this is empty")),
        Some(p) if Path::new(p).is_absolute() || p.starts_with('/') || p.contains('\\') => {
            Err(wrong("this is an absolute path or uses `\\`"))
        }
        Some(p) => Ok(p.to_owned()),
    })
}

/// `path` with `.` and `name/..` removed, lexically (a leading `..` stays).
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// `path` with `/` separators, for names that must not depend on the platform.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the chain of bases of `client` with `read` (the CLI's reader: a path, as the client's
/// name is, to a file or why it cannot be read) and attaches them. Problems (a base that cannot
/// be read, a cycle, a bad `extends`) are attached too: the loader reports them first, each at
/// the `extends` that names the base.
pub fn resolve(
    client: SourceFile,
    read: &dyn Fn(&Path) -> Result<SourceFile, String>,
) -> SourceFile {
    let mut composition = Composition::default();
    // Path (as read) and path relative to the client's folder of each file of the chain.
    let client_dir = Path::new(&client.name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut chain: Vec<(PathBuf, PathBuf)> = vec![(
        normalize_path(Path::new(&client.name)),
        Path::new(&client.name)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default(),
    )];
    let mut current: &SourceFile = &client;
    loop {
        let index = composition.bases.len();
        let Some(named) = extends_of(current) else {
            break;
        };
        let at = |d: Diagnostic| d.in_file(index);
        let named = match named {
            Ok(n) => n,
            Err(d) => {
                composition.problems.push(at(d));
                break;
            }
        };
        let relative_dir = chain[chain.len() - 1]
            .1
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let relative = normalize_path(&relative_dir.join(&named));
        let path = normalize_path(&client_dir.join(&relative));
        let pointer = Ptr::root().field(EXTENDS).to_string();
        if let Some(first) = chain.iter().position(|(p, _)| *p == path) {
            let names: Vec<String> = chain[first..]
                .iter()
                .map(|(p, _)| slashed(p))
                .chain(std::iter::once(slashed(&path)))
                .collect();
            composition.problems.push(at(Diagnostic::error(
                codes::EXTENDS_CYCLE,
                pointer,
                format!("`extends` goes round in a circle: {}", names.join(" → ")),
            )
            .with_label("back to a file of the chain")
            .with_help(
                "a base cannot extend, directly or through other bases, a file that extends it: \
remove this `extends` or point it at the common standard",
            )));
            break;
        }
        if composition.bases.len() == MAX_BASES {
            composition.problems.push(at(Diagnostic::error(
                codes::EXTENDS_INVALID,
                pointer,
                format!("more than {MAX_BASES} bases in a chain"),
            )
            .with_label("one base too many")
            .with_help(
                "a chain this long is hard to read; merge some of the bases (links that make a \
chain go round also end here)",
            )));
            break;
        }
        let file = match read(&path) {
            Ok(f) => f,
            Err(why) => {
                composition.problems.push(at(Diagnostic::error(
                    codes::EXTENDS_UNREADABLE,
                    pointer,
                    format!("the base `{named}` cannot be read: {why}"),
                )
                .with_label("this base")
                .with_help(format!(
                    "the path is relative to the folder of the file that says `extends` (here \
`{}`)",
                    slashed(&path)
                ))));
                break;
            }
        };
        chain.push((path, relative.clone()));
        composition.bases.push(Base {
            file,
            path: slashed(&relative),
        });
        current = &composition.bases[composition.bases.len() - 1].file;
    }
    if composition.bases.is_empty() && composition.problems.is_empty() {
        return client;
    }
    client.with_composition(composition)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(files: &[&str]) -> (Value, Origins, usize) {
        let mut origins = Origins::default();
        let mut clashes = Vec::new();
        let mut acc: Option<Value> = None;
        for (i, text) in files.iter().enumerate().rev() {
            let value: Value = serde_yaml_ng::from_str(text).unwrap();
            let mut merge = Merge {
                origins: &mut origins,
                clashes: &mut clashes,
                file: i,
            };
            acc = Some(merge.overlay(acc, value, "", ""));
        }
        (acc.unwrap(), origins, clashes.len())
    }

    #[test]
    fn maps_merge_scalars_and_lists_replace_append_extends() {
        let base = "a: {x: 1, y: [1, 2]}\nl: [p, q]\nkeep: k\n";
        let client = "a: {x: 2, z: 3}\nl: {append: [r]}\n";
        let (v, o, clashes) = merged(&[client, base]);
        assert_eq!(clashes, 0);
        assert_eq!(
            v,
            serde_json::json!({
                "a": {"x": 2, "y": [1, 2], "z": 3},
                "l": ["p", "q", "r"],
                "keep": "k",
            })
        );
        assert_eq!(o.resolve("/a/x"), (0, "/a/x".into()));
        assert_eq!(o.resolve("/a/y/1"), (1, "/a/y/1".into()));
        assert_eq!(o.resolve("/a/z"), (0, "/a/z".into()));
        assert_eq!(o.resolve("/l/1"), (1, "/l/1".into()));
        assert_eq!(o.resolve("/l/2"), (0, "/l/append/0".into()));
        assert_eq!(o.resolve("/keep"), (1, "/keep".into()));
        let (v, o, _) = merged(&["l: [z]\n", base]);
        assert_eq!(v["l"], serde_json::json!(["z"]));
        assert_eq!(o.resolve("/l/0"), (0, "/l/0".into()));
    }

    #[test]
    fn chains_fold_from_the_farthest_base() {
        let (v, o, _) = merged(&["l: {append: [c]}\n", "l: {append: [b]}\n", "l: [a]\n"]);
        assert_eq!(v["l"], serde_json::json!(["a", "b", "c"]));
        assert_eq!(o.resolve("/l/0"), (2, "/l/0".into()));
        assert_eq!(o.resolve("/l/1"), (1, "/l/append/0".into()));
        assert_eq!(o.resolve("/l/2"), (0, "/l/append/0".into()));
    }

    #[test]
    fn a_kind_changed_across_files_is_a_clash() {
        assert_eq!(merged(&["a: [1]\n", "a: {x: 1}\n"]).2, 1);
        assert_eq!(merged(&["a: 5\n", "a: {x: 1}\n"]).2, 1);
        assert_eq!(merged(&["a: {append: [1]}\n", "a: text\n"]).2, 1);
        assert_eq!(merged(&["a: 5\n", "a: text\n"]).2, 0);
        assert_eq!(merged(&["a: null\n", "a: {x: 1}\n"]).2, 0);
    }

    /// `resolve` over files held in memory.
    fn resolved(client: &str, files: &[(&str, &str)]) -> SourceFile {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let read = move |path: &Path| {
            let name = slashed(path);
            files
                .iter()
                .find(|(p, _)| *p == name)
                .map(|(p, t)| SourceFile::new(p.clone(), t.clone()))
                .ok_or_else(|| String::from("no such file"))
        };
        let text = files_text(client);
        resolve(SourceFile::new(client, text), &read)
    }

    fn files_text(client: &str) -> String {
        match client {
            "clients/a.yaml" => String::from("extends: ../std/base.yaml\nclient: a\n"),
            "self.yaml" => String::from("extends: ./self.yaml\n"),
            _ => String::from("extends: 5\n"),
        }
    }

    #[test]
    fn chains_are_read_relative_to_each_file_and_recorded_relative_to_the_client() {
        let file = resolved(
            "clients/a.yaml",
            &[
                ("std/base.yaml", "extends: core/base.yaml\n"),
                ("std/core/base.yaml", "tags: {a: b}\n"),
            ],
        );
        let c = file.composition().unwrap();
        assert!(c.problems.is_empty());
        let paths: Vec<&str> = c.bases.iter().map(|b| b.path.as_str()).collect();
        assert_eq!(paths, vec!["../std/base.yaml", "../std/core/base.yaml"]);
        assert_eq!(c.bases[1].file.name, "std/core/base.yaml");
    }

    #[test]
    fn cycles_missing_bases_and_bad_values_are_problems_at_the_extends() {
        let codes_of = |f: &SourceFile| -> Vec<(&'static str, Option<String>)> {
            f.composition()
                .unwrap()
                .problems
                .iter()
                .map(|d| (d.code.id, d.pointer().map(String::from)))
                .collect()
        };
        let extends = Some(String::from("/extends"));
        let cycle = resolved(
            "clients/a.yaml",
            &[("std/base.yaml", "extends: ../clients/a.yaml\n")],
        );
        assert_eq!(
            codes_of(&cycle),
            vec![(codes::EXTENDS_CYCLE.id, extends.clone())]
        );
        assert_eq!(
            cycle.composition().unwrap().problems[0].location,
            crate::diagnostics::Location::In(
                1,
                Box::new(crate::diagnostics::Location::Value(String::from(
                    "/extends"
                )))
            )
        );
        let own = resolved("self.yaml", &[("self.yaml", "extends: ./self.yaml\n")]);
        assert_eq!(
            codes_of(&own),
            vec![(codes::EXTENDS_CYCLE.id, extends.clone())]
        );
        let missing = resolved("clients/a.yaml", &[]);
        assert_eq!(
            codes_of(&missing),
            vec![(codes::EXTENDS_UNREADABLE.id, extends.clone())]
        );
        let number = resolved("n.yaml", &[]);
        assert_eq!(
            codes_of(&number),
            vec![(codes::EXTENDS_INVALID.id, extends)]
        );
        // Without `extends`, the file is left as it is.
        assert!(resolve(SourceFile::new("x.yaml", "client: x\n"), &|_| Err(
            String::new()
        ))
        .composition()
        .is_none());
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            normalize_path(Path::new("clients/../standards/./x.yaml")),
            PathBuf::from("standards/x.yaml")
        );
        assert_eq!(
            normalize_path(Path::new("../a/../../b.yaml")),
            PathBuf::from("../../b.yaml")
        );
    }
}

//! Loading a blueprint: YAML (or JSON) text to a typed [`Blueprint`], or located diagnostics.
//!
//! Three passes, each reporting everything it finds: the YAML parser (syntax), the JSON Schema
//! (every unknown key, wrong type and missing field at once, each at its own line), and serde
//! (the typed model). The schema pass comes first because serde stops at the first error, while
//! a user fixing a blueprint wants the whole list.

use jsonschema::error::ValidationErrorKind;
use serde::Deserialize;
use serde_json::Value;

use super::compose::{Clash, Composition, Merge, Origins, EXTENDS};
use super::model::Blueprint;
use super::schema::schema;
use super::spans::{escape, ByteSpan};
use crate::codes;
use crate::diagnostics::{Diagnostic, Location, Severity, SourceFile};

/// Deeper than any blueprint nests (its deepest value is six levels down) and shallow enough
/// that the YAML parsers, whose work grows with the square of flow nesting, stay instant.
pub const MAX_DEPTH: usize = 64;

/// The offset of the first flow collection (`[`, `{`) nested more than [`MAX_DEPTH`] deep, found
/// by a scan that skips quoted scalars and comments. Block nesting needs indentation, so the
/// size cap on blueprints already bounds it.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' && quote == b'"' {
                        2
                    } else {
                        1
                    };
                }
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses and validates a blueprint; one that `extends` a base is merged with its bases first
/// ([`super::compose`]).
pub fn load(file: &SourceFile) -> Result<Blueprint, Vec<Diagnostic>> {
    if let Some(composition) = file.composition() {
        return load_composed(file, composition);
    }
    if let Some(at) = too_deep(file.text()) {
        return Err(vec![too_deep_error(at)]);
    }
    let parsed = file.index_spans(|| {
        let value: Value =
            serde_yaml_ng::from_str(file.text()).map_err(|e| vec![yaml_error(file, &e)])?;
        let diagnostics = checked(&value, file.text(), true);
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(value)
    });
    // Duplicate keys are reported before anything the parse or the schema found: which of the
    // two values those saw is arbitrary.
    let duplicates = duplicate_errors(file);
    if !duplicates.is_empty() {
        return Err(duplicates);
    }
    // The value passed the schema, which is generated from the model, so it deserializes as it
    // is: parsing the text a second time would cost a fifth of the load of a large organization.
    // Should the two ever disagree, the text is parsed again for an error with a position.
    Blueprint::deserialize(&parsed?)
        .or_else(|_| serde_yaml_ng::from_str(file.text()).map_err(|e| vec![yaml_error(file, &e)]))
}

/// The schema's findings about `value` (without those about missing fields unless `required`),
/// with each placeholder of `tarmac init` reported as one, in place of what the schema says
/// about it (a placeholder is no organization id, but the user needs to hear "fill it in").
fn checked(value: &Value, text: &str, required: bool) -> Vec<Diagnostic> {
    let placeholders = if text.contains(super::scaffold::OPEN) {
        super::scaffold::placeholders(value)
    } else {
        Vec::new()
    };
    let mut found = schema_errors(value, required);
    if placeholders.is_empty() {
        return found;
    }
    found.retain(|d| {
        let p = d.pointer().unwrap_or_default();
        !placeholders.iter().any(|(at, _)| {
            p == at
                || p.strip_prefix(at.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    });
    let mut all: Vec<Diagnostic> = placeholders
        .into_iter()
        .map(|(pointer, what)| super::scaffold::diagnostic(pointer, &what))
        .collect();
    all.append(&mut found);
    all
}

/// A blueprint with bases: each file parsed and checked alone (its unknown keys and wrong types
/// point into it; no field is required of a part), the parts merged onto the farthest base, and
/// the merged blueprint checked as a whole (there, a missing field). Nothing is deserialized
/// until every file is clean.
fn load_composed(
    file: &SourceFile,
    composition: &Composition,
) -> Result<Blueprint, Vec<Diagnostic>> {
    let (merged, origins) = merge(file)?;
    // A second load of the same file merges the same way: the first record stands.
    let _ = composition.origins.set(origins);
    let diagnostics = schema_errors(&merged, true);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Blueprint::deserialize(&merged).map_err(|e| {
        vec![value_not_allowed("", format!("the merged blueprint does not load: {e}")).at_key()]
    })
}

/// A file merged with its bases, if it has any, and checked as a part of a blueprint (no field
/// required): what `tarmac init --extends` reads of a base. Diagnostics are placed in the file
/// that wrote the value.
pub fn part(file: &SourceFile) -> Result<Value, Vec<Diagnostic>> {
    merge(file).map(|(merged, _)| merged)
}

/// The merged value of a file and its bases, and where each node came from.
fn merge(file: &SourceFile) -> Result<(Value, Origins), Vec<Diagnostic>> {
    let empty = Composition::default();
    let composition = file.composition().unwrap_or(&empty);
    if !composition.problems.is_empty() {
        return Err(composition.problems.clone());
    }
    let count = composition.bases.len() + 1;
    let mut found = Vec::new();
    let mut values = Vec::with_capacity(count);
    for i in 0..count {
        match parse_part(file.part(i)) {
            Ok(v) => values.push(v),
            Err(d) => found.extend(d.into_iter().map(|d| d.in_file(i))),
        }
    }
    if !found.is_empty() {
        return Err(found);
    }
    let mut origins = Origins::default();
    let mut clashes = Vec::new();
    let mut merged: Option<Value> = None;
    for (i, mut value) in values.into_iter().enumerate().rev() {
        if let Value::Object(m) = &mut value {
            m.remove(EXTENDS);
        }
        let mut alone = Origins::default();
        let normalized = Merge {
            origins: &mut alone,
            clashes: &mut Vec::new(),
            file: i,
        }
        .overlay(None, value.clone(), "", "");
        found.extend(
            checked(&normalized, file.part(i).text(), false)
                .into_iter()
                .map(|d| relocate(d, &alone)),
        );
        merged = Some(
            Merge {
                origins: &mut origins,
                clashes: &mut clashes,
                file: i,
            }
            .overlay(merged, value, "", ""),
        );
    }
    for clash in &clashes {
        // What the clash says replaces what the schema says about the same value.
        found.retain(|d| {
            !matches!(&d.location, Location::In(f, _) if *f == clash.file)
                || d.pointer() != Some(clash.source.as_str())
        });
        found.push(clash_error(file, clash));
    }
    if !found.is_empty() {
        return Err(found);
    }
    Ok((merged.unwrap_or(Value::Null), origins))
}

/// A diagnostic about one file's value alone, placed in that file. Its message names the field
/// as the file writes it (`permission_sets.append[0]`, not the list's `[0]`).
fn relocate(d: Diagnostic, alone: &Origins) -> Diagnostic {
    let Some(pointer) = d.pointer().map(String::from) else {
        return d;
    };
    let (file, source) = alone.resolve(&pointer);
    let mut message = d.message.clone();
    if source != pointer {
        for (from, to) in [
            (pointer.as_str(), source.as_str()),
            (parent(&pointer), parent(&source)),
        ] {
            message = message.replace(&describe(from), &describe(to));
        }
    }
    let location = match d.location {
        Location::Key(_) => Location::Key(source),
        _ => Location::Value(source),
    };
    Diagnostic {
        message,
        location: Location::In(file, Box::new(location)),
        ..d
    }
}

/// The diagnostic of a value whose kind differs from its base's, naming both files.
fn clash_error(file: &SourceFile, clash: &Clash) -> Diagnostic {
    let base = file.part(clash.base_file);
    let (line, column) = base.line_col(
        base.spans()
            .value(&clash.base_source)
            .map_or(0, |s| s.offset),
    );
    Diagnostic::error(
        codes::EXTENDS_TYPE_CLASH,
        clash.source.clone(),
        format!(
            "{} is {} here but {} in {}",
            describe(&clash.source),
            clash.near,
            clash.base,
            base.name
        ),
    )
    .with_label(format!("{} here", clash.near))
    .with_help(format!(
        "the base sets it at {}:{line}:{column}; a nearer file replaces a base's scalars and \
lists and merges its mappings key by key, but cannot change what kind of value a field is: give \
{} (a list extends the base's as `{{append: [...]}}`)",
        base.name, clash.base
    ))
    .in_file(clash.file)
}

/// One file's text as a value, or its syntax errors and duplicate keys.
fn parse_part(file: &SourceFile) -> Result<Value, Vec<Diagnostic>> {
    if let Some(at) = too_deep(file.text()) {
        return Err(vec![too_deep_error(at)]);
    }
    let value = serde_yaml_ng::from_str(file.text()).map_err(|e| vec![yaml_error(file, &e)]);
    let duplicates = duplicate_errors(file);
    if !duplicates.is_empty() {
        return Err(duplicates);
    }
    value
}

fn too_deep_error(at: usize) -> Diagnostic {
    Diagnostic {
        code: codes::YAML_SYNTAX,
        severity: Severity::Error,
        message: format!("values are nested more than {MAX_DEPTH} levels deep"),
        location: Location::Span(ByteSpan { offset: at, len: 1 }),
        label: String::from("too deep here"),
        help: Some(String::from(
            "no blueprint field nests this deep; check for runaway brackets",
        )),
        nearest: false,
    }
}

/// Every key given twice in one mapping of the file.
fn duplicate_errors(file: &SourceFile) -> Vec<Diagnostic> {
    file.spans()
        .duplicates
        .iter()
        .map(|(pointer, span)| Diagnostic {
            code: codes::DUPLICATE_KEY,
            severity: Severity::Error,
            message: format!("duplicate key in {}", describe(parent(pointer))),
            location: Location::Span(*span),
            label: format!(
                "`{}` is already set above",
                last(pointer).replace("~1", "/").replace("~0", "~")
            ),
            help: Some(String::from(
                "give each key once; YAML would silently keep only one of the values",
            )),
            nearest: false,
        })
        .collect()
}

/// The committed schema, compiled into Rust by jsonschema's `validator` macro when tarmac is
/// built, so that no run pays for compiling it (docs/performance.md); the generated code reports
/// the same errors (kind, instance path, schema path, message). Cargo
/// rebuilds it when the schema file changes, and `committed_schema_is_current` keeps that file
/// equal to the model. Patterns use the `regex` engine: none needs look-around or back-references.
#[jsonschema::validator(
    path = "schemas/blueprint.schema.json",
    draft = Draft7,
    pattern_options = { engine = regex }
)]
struct BlueprintSchema;

/// A syntax or type error from the YAML deserializer, at the position it reports.
fn yaml_error(file: &SourceFile, error: &serde_yaml_ng::Error) -> Diagnostic {
    let offset = error
        .location()
        .map_or(0, |l| l.index())
        .min(file.text().len());
    // To the end of the line, but never more than a screen's width (a line can be huge).
    let len = file.text()[offset..]
        .find('\n')
        .unwrap_or(file.text().len() - offset)
        .clamp(1, 80);
    let message = error.to_string();
    // serde_yaml_ng appends " at line L column C"; the renderer prints the position itself.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let code = if error.location().is_some() && message.contains("unknown field") {
        codes::UNKNOWN_FIELD
    } else if message.contains("missing field") || message.contains("invalid") {
        codes::INVALID_VALUE
    } else {
        codes::YAML_SYNTAX
    };
    // libyaml's word for a tab says what it broke, not what to do.
    let help = message.contains("tab character").then(|| {
        String::from("YAML indents with spaces only: replace the tab with spaces (two per level)")
    });
    Diagnostic {
        code,
        severity: Severity::Error,
        message,
        location: Location::Span(ByteSpan {
            offset,
            len: len.min(file.text().len() - offset),
        }),
        label: String::from("here"),
        help,
        nearest: false,
    }
}

/// What each pattern of the schema means, in words with an example: a regex in an error
/// message helps nobody. A test keeps this list complete.
const PATTERNS: &[(&str, &str)] = &[
    (
        r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$",
        "an IPv4 CIDR block such as `10.20.0.0/16`",
    ),
    (
        r"^PT([1-9]|1[0-2])H$",
        "an ISO 8601 duration of whole hours from `PT1H` to `PT12H`",
    ),
    (
        r"^[0-9]{12}$",
        "a 12-digit AWS account id, quoted: `\"111122223333\"`",
    ),
    (r"^[A-Za-z0-9]+$", "letters and digits only"),
    (
        r"^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$",
        "3 to 128 letters, digits, `.`, `_` or `-`, starting with a letter or digit",
    ),
    (
        r"^[\w+=,.@-]{1,32}$",
        "1 to 32 letters, digits or `+=,.@_-` (an Identity Center permission-set name)",
    ),
    (
        r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        "an S3 bucket name: 3 to 63 lowercase letters, digits, `.` or `-`",
    ),
    (
        r"^[a-z][a-z0-9-]{0,48}[a-z0-9]$",
        "2 to 50 lowercase letters, digits or `-`, starting with a letter, such as `acme-pilot`",
    ),
    (
        r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$",
        "a slug of 3 to 32 lowercase letters, digits or `-`, starting with a letter, such as \
            `acme`",
    ),
    (
        r"^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$",
        "an Identity Center instance ARN such as `arn:aws:sso:::instance/ssoins-72231a5b3c4d5e6f`",
    ),
    (
        r"^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "an identity-store id such as `d-9067a1b2c3`, or a principal's UUID",
    ),
    (
        r"^o-[a-z0-9]{10,32}$",
        "an organization id such as `o-acme12345x`",
    ),
    (
        r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$",
        "an OU id such as `ou-ab12-cdef3456`",
    ),
    (
        r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$",
        "a root id such as `r-ab12` or an OU id such as `ou-ab12-cdef3456`",
    ),
    (r"^r-[0-9a-z]{4,32}$", "a root id such as `r-ab12`"),
    (
        r"^vpc-[0-9a-f]{8,17}$",
        "a VPC id such as `vpc-0a1b2c3d4e5f60789`",
    ),
    (
        r"^[a-z]{2,6}[0-9]{1,2}-az[0-9]{1,2}$",
        "an Availability Zone ID such as `use1-az1` (not a zone name such as `us-east-1a`)",
    ),
    (
        r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        "a date as year-month-day, quoted: `\"2026-11-20\"`",
    ),
    (
        r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$",
        "a path of letters, digits, `.`, `_` or `-` separated by single `/`, without a `/` at \
            either end or a segment starting with `.`, such as `landing-zones/acme`",
    ),
    (
        r"^[A-Za-z0-9_.-]{3,255}$",
        "a DynamoDB table name: 3 to 255 letters, digits, `.`, `_` or `-`",
    ),
    (
        concat!(
            r"^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/",
            r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
        ),
        "a KMS key ARN (not an alias) such as \
            `arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`",
    ),
];

/// The schema node a validation error's schema path ends at (its keyword's parent).
fn schema_node(schema_path: &str) -> Option<&'static Value> {
    schema().pointer(parent(schema_path)).map(resolve)
}

/// A label and help for a value the schema refused, in words: what it is, what would be valid,
/// and an example; the validator's own sentence only where nothing better is known.
fn invalid_value(
    kind: &ValidationErrorKind,
    instance: &Value,
    schema_path: &str,
    pointer: &str,
) -> (String, String) {
    // An item of a list is described by its list: `thresholds`, not `0`.
    let field = if last(pointer).chars().all(|c| c.is_ascii_digit()) {
        last(parent(pointer))
    } else {
        last(pointer)
    };
    let described = field_help(parent(schema_path), field);
    match kind {
        ValidationErrorKind::Enum { options } => {
            let valid: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| match o.as_str() {
                    Some(s) => format!("`{s}`"),
                    None => o.to_string(),
                })
                .collect();
            (
                format!("{instance} is not a valid value"),
                format!("valid values: {}; {described}", valid.join(", ")),
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            let words = PATTERNS
                .iter()
                .find(|(p, _)| p == pattern)
                .map_or("the form the schema describes", |(_, w)| w);
            (format!("{instance} is not {words}"), described)
        }
        ValidationErrorKind::Type { .. } => {
            let node = schema_node(schema_path);
            let wants = node.and_then(|n| n.get("type"));
            let wants_string = wants == Some(&Value::from("string"))
                || wants
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.contains(&Value::from("string")));
            if wants_string && instance.is_number() {
                return (
                    format!("YAML reads {instance} as a number"),
                    format!("quote it to make it text: `{field}: \"{instance}\"`; {described}"),
                );
            }
            let properties: Vec<&String> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().collect())
                .unwrap_or_default();
            if wants == Some(&Value::from("object"))
                && !properties.is_empty()
                && !pointer.is_empty()
            {
                let example = example_of(node.unwrap_or(&Value::Null));
                return (
                    format!("{instance} is not a mapping"),
                    format!(
                        "give a mapping with {}{example}; {described}",
                        properties
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let wanted = match wants.and_then(Value::as_str) {
                Some("array") => "a list",
                Some("object") => "a mapping",
                Some("string") => "text",
                Some("number") => "a number",
                Some("integer") => "a whole number",
                Some("boolean") => "`true` or `false`",
                _ => "of the type this field takes",
            };
            (format!("{instance} is not {wanted}"), described)
        }
        _ => {
            let mut message = kind_message(kind, instance);
            if message.len() > 160 {
                message.truncate(message.char_indices().nth(157).map_or(160, |(i, _)| i));
                message.push_str("...");
            }
            (message, described)
        }
    }
}

/// The validator's sentence for other kinds of error (a number out of range, a list too short).
fn kind_message(kind: &ValidationErrorKind, instance: &Value) -> String {
    match kind {
        ValidationErrorKind::Minimum { limit } => format!("{instance} is less than {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("{instance} is more than {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{instance} must be more than {limit}")
        }
        ValidationErrorKind::MinItems { limit } => format!("at least {limit} item(s) are needed"),
        ValidationErrorKind::MinLength { limit } => {
            format!("at least {limit} character(s) are needed")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("at most {limit} character(s) are allowed")
        }
        _ => format!("{instance} is not valid here"),
    }
}

/// ` (for example `{percent: 50, kind: actual}`)` for a mapping whose fields have an enum or a
/// number to show, required ones first; empty when there is nothing to show.
fn example_of(node: &Value) -> String {
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return String::new();
    };
    let mut names: Vec<&str> = required.clone();
    names.extend(
        properties
            .keys()
            .map(String::as_str)
            .filter(|k| !required.contains(k)),
    );
    let mut parts = Vec::new();
    for name in names {
        let Some(mut p) = properties.get(name).map(resolve) else {
            continue;
        };
        // schemars wraps a described reference as `allOf: [{$ref}]`.
        if let Some(inner) = p
            .get("allOf")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            p = resolve(inner);
        }
        let value = if let Some(first) = p.get("enum").and_then(|e| e.get(0)) {
            first.as_str().map_or(first.to_string(), String::from)
        } else if matches!(
            p.get("type").and_then(Value::as_str),
            Some("number" | "integer")
        ) {
            String::from("50")
        } else {
            continue;
        };
        parts.push(format!("{name}: {value}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" (for example `{{{}}}`)", parts.join(", "))
    }
}

/// Every schema violation, as diagnostics in document order of their pointers; missing fields
/// only when `required` (a base, or a client that extends one, is a part of a blueprint).
fn schema_errors(value: &Value, required: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in BlueprintSchema::iter_errors(value) {
        let pointer = error.instance_path().as_str().to_owned();
        match error.kind() {
            ValidationErrorKind::Required { .. } if !required => {}
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(error.schema_path().as_str());
                for key in unexpected {
                    if let Some(d) = crate::checks::iam::credentials_key(&pointer, key) {
                        out.push(d);
                        continue;
                    }
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!("{pointer}/{}", escape(key)),
                        format!("unknown field `{key}` in {}", describe(&pointer)),
                    )
                    .at_key()
                    .with_label("not a field here");
                    d.help = Some(match suggest(key, &allowed) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("expected one of: {}", allowed.join(", ")),
                    });
                    out.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                if pointer.is_empty() && name == "budgets" {
                    out.push(crate::checks::budgets::no_budgets(&pointer));
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        codes::MISSING_FIELD,
                        pointer.clone(),
                        format!("missing field `{name}` in {}", describe(&pointer)),
                    )
                    .at_key()
                    .with_label(format!("`{name}` is required here"))
                    .with_help(field_help(
                        &format!(
                            "{}/properties/{}",
                            parent(error.schema_path().as_str()),
                            escape(name)
                        ),
                        name,
                    )),
                );
            }
            kind => {
                let (label, help) = invalid_value(
                    kind,
                    error.instance(),
                    error.schema_path().as_str(),
                    &pointer,
                );
                out.push(
                    value_not_allowed(
                        pointer.clone(),
                        format!("invalid value for {}", describe(&pointer)),
                    )
                    .with_label(label)
                    .with_help(help),
                );
            }
        }
    }
    out.sort_by(|a, b| {
        a.pointer()
            .cmp(&b.pointer())
            .then(a.message.cmp(&b.message))
    });
    out
}

/// TM003: a value the blueprint format does not allow; also reported by the checks that hold
/// what the JSON Schema cannot express (a CIDR block, a state lock).
pub fn value_not_allowed(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(codes::INVALID_VALUE, pointer, message)
}

/// A readable name for the node at a pointer: `accounts[1].email`, or `the blueprint`.
pub fn describe(pointer: &str) -> String {
    if pointer.is_empty() {
        return String::from("the blueprint");
    }
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    format!("`{out}`")
}

/// The property names the schema allows at the object whose `additionalProperties` failed.
fn allowed_properties(schema_path: &str) -> Vec<String> {
    let object = parent(schema_path);
    schema()
        .pointer(&format!("{object}/properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The description of the schema node at `node` (a property's schema), as help text.
fn field_help(node: &str, name: &str) -> String {
    if name.is_empty() {
        return String::from(
            "a blueprint is a YAML mapping; start from one of the examples in blueprints/",
        );
    }
    let described = schema()
        .pointer(node)
        .and_then(|p| {
            p.get("description")
                .or_else(|| resolve(p).get("description"))
        })
        .and_then(Value::as_str);
    match described {
        Some(d) => format!("`{name}`: {}", d.replace('\n', " ")),
        None => String::from("run `tarmac schema` for the blueprint format"),
    }
}

/// Follows a local `$ref`, if the node is one.
fn resolve(node: &Value) -> &Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| schema().pointer(p))
        .unwrap_or(node)
}

fn parent(path: &str) -> &str {
    &path[..path.rfind('/').unwrap_or(0)]
}

fn last(path: &str) -> &str {
    &path[path.rfind('/').map_or(0, |i| i + 1)..]
}

/// The closest candidate to a misspelt name, if one is close enough to be a plausible typo.
pub fn suggest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_pattern_is_explained_in_words() {
        fn patterns(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    if let Some(p) = o.get("pattern").and_then(Value::as_str) {
                        out.push(p.to_owned());
                    }
                    o.values().for_each(|v| patterns(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| patterns(v, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        patterns(schema(), &mut found);
        assert!(!found.is_empty());
        for p in found {
            assert!(
                PATTERNS.iter().any(|(known, _)| *known == p),
                "the schema pattern {p} has no words in PATTERNS"
            );
        }
    }

    #[test]
    fn describe_pointers() {
        assert_eq!(describe(""), "the blueprint");
        assert_eq!(describe("/accounts/1/email"), "`accounts[1].email`");
    }

    #[test]
    fn suggestions_only_for_close_names() {
        let c = vec!["session_duration".to_owned(), "name".to_owned()];
        assert_eq!(suggest("sesion_duration", &c), Some("session_duration"));
        assert_eq!(suggest("zzz", &c), None);
    }

    /// A long text is indexed on another thread while it is parsed; what the loader finds must
    /// not depend on which way it went.
    #[test]
    fn long_and_short_texts_load_alike() {
        use crate::diagnostics::SourceFile;
        for accounts in [1, 400] {
            let text = crate::generate::blueprint(accounts);
            assert!(load(&SourceFile::new("g.yaml", text.as_str())).is_ok());
            let twice = text.replacen("client: scale\n", "client: scale\nclient: other\n", 1);
            let found = load(&SourceFile::new("g.yaml", twice)).unwrap_err();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].code, codes::DUPLICATE_KEY);
            assert_eq!(
                found[0].location,
                Location::Span(ByteSpan {
                    offset: 14 + text.find("client: scale").unwrap(),
                    len: 6
                })
            );
        }
        assert!(
            crate::generate::blueprint(400).len() > 64 << 10,
            "the long text takes the thread"
        );
    }
}

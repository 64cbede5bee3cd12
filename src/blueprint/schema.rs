//! The blueprint's JSON Schema, generated from the model so the two never disagree.
//!
//! Draft-07, because the VS Code YAML extension (yaml-language-server) validates instances only
//! against draft-07; schemars' default of 2020-12 would leave editors silently unchecked.
//!
//! Two forms of the same schema: [`generated`] walks the model (schemars), and [`schema`] parses
//! the copy committed under `schemas/`, embedded at build time. The loader validates with the
//! committed copy, compiled into Rust by jsonschema's `validator` macro, and reads [`schema`]
//! only to word a diagnostic (the fields allowed where an unknown one is, a field's
//! description); the test `committed_schema_is_current` fails when the two forms differ, so they
//! cannot drift apart.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::model::Blueprint;

/// The committed schema, as shipped in the binary.
const COMMITTED: &str = include_str!("../../schemas/blueprint.schema.json");

/// The committed schema, as the loader's diagnostics read it.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(COMMITTED).expect("the committed schema is JSON (tested)")
    })
}

/// The schema generated from the model now.
pub fn generated() -> Value {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Blueprint>();
    serde_json::to_value(schema).expect("a generated schema serializes")
}

/// The generated schema as pretty-printed text: what `tarmac schema` prints and what is committed
/// under `schemas/`.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&generated()).expect("a JSON value serializes");
    text.push('\n');
    text
}

/// What the part schema says at its root: the merge rules, where editors show them.
const PART_DESCRIPTION: &str = "A part of a blueprint: a base (a consultancy's standard) or a \
client blueprint that `extends` one. No field is required of a part; `tarmac validate` checks the \
merged blueprint against the full schema (`tarmac schema`). Merge rules, from the farthest base to \
the client: mappings merge key by key; a scalar or a list of the nearer file replaces the base's; \
a list written as `{append: [...]}` extends the base's list instead.";

/// The schema of a part of a blueprint (`tarmac schema --part`, committed as
/// `schemas/blueprint-part.schema.json`), for editors: the blueprint's schema without any
/// required field, with `extends`, and with every list also accepted in its `{append: [...]}`
/// form. tarmac itself does not validate with it: the loader checks each part against the full
/// schema, leaving out missing fields, so a part's errors read exactly as a blueprint's do.
pub fn part(full: &Value) -> Value {
    fn relax(node: &mut Value) {
        match node {
            Value::Object(m) => {
                m.remove("required");
                m.values_mut().for_each(relax);
                if m.get("type") == Some(&Value::from("array")) {
                    let description = m.remove("description");
                    let list = Value::Object(std::mem::take(m));
                    let append = serde_json::json!({
                        "description": "Extends the base's list instead of replacing it.",
                        "type": "object",
                        "properties": { "append": list.clone() },
                        "required": ["append"],
                        "additionalProperties": false,
                    });
                    if let Some(d) = description {
                        m.insert(String::from("description"), d);
                    }
                    m.insert(String::from("anyOf"), Value::Array(vec![list, append]));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(relax),
            _ => {}
        }
    }
    let mut part = full.clone();
    relax(&mut part);
    part["title"] = Value::from("Blueprint part");
    part["description"] = Value::from(PART_DESCRIPTION);
    if let Some(properties) = part.get_mut("properties").and_then(Value::as_object_mut) {
        properties.insert(
            String::from(super::compose::EXTENDS),
            serde_json::json!({
                "description": "The base this file extends: its path relative to this file, such \
                    as `../standards/consultancy.yaml`. A base may extend another.",
                "type": "string",
            }),
        );
    }
    part
}

/// [`part`] of the generated schema as pretty-printed text.
pub fn part_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&part(&generated())).expect("a JSON value serializes");
    text.push('\n');
    text
}

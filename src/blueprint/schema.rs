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

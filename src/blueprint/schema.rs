//! The blueprint's JSON Schema, generated from the model so the two never disagree.
//!
//! Draft-07, because the VS Code YAML extension (yaml-language-server) validates instances only
//! against draft-07; schemars' default of 2020-12 would leave editors silently unchecked.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::model::Blueprint;

/// The schema as a JSON value.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<Blueprint>();
        serde_json::to_value(schema).expect("a generated schema serializes")
    })
}

/// The schema as the pretty-printed text committed under `schemas/`.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(schema()).expect("a JSON value serializes");
    text.push('\n');
    text
}

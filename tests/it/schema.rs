//! The committed JSON Schema must match the model. Regenerate it with
//! `TARMAC_UPDATE_SCHEMA=1 cargo test schema`.

#[test]
fn committed_schema_is_current() {
    let path = crate::common::root().join("schemas/blueprint.schema.json");
    let current = tarmac::blueprint::schema::schema_text();
    if std::env::var_os("TARMAC_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &current).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "schemas/blueprint.schema.json is stale: run `TARMAC_UPDATE_SCHEMA=1 cargo test schema` and commit the result"
    );
}

#[test]
fn schema_is_draft_07() {
    let schema = tarmac::blueprint::schema::schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema.get("definitions").is_some() && schema.get("$defs").is_none());
}

#[test]
fn every_blueprint_points_editors_at_the_schema() {
    for path in crate::common::blueprints()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e != "json"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/blueprint.schema.json\n"),
            "{} must start with the yaml-language-server schema line",
            path.display()
        );
    }
}

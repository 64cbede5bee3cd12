//! The committed JSON Schema must match the model. Regenerate it with
//! `TARMAC_UPDATE_SCHEMA=1 cargo test schema`.

/// Fails when the committed schema at `file` is not `current`, or rewrites it under
/// `TARMAC_UPDATE_SCHEMA`.
fn committed_is_current(file: &str, current: &str) {
    let path = crate::common::root().join(file);
    if std::env::var_os("TARMAC_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, current).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "{file} is stale: run `TARMAC_UPDATE_SCHEMA=1 cargo test schema` and commit the result"
    );
}

#[test]
fn committed_schema_is_current() {
    committed_is_current(
        "schemas/blueprint.schema.json",
        &tarmac::blueprint::schema::schema_text(),
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
        // A blueprint that extends a base is a part: no field is required of it.
        let schema = if text.contains("\nextends: ") {
            "blueprint-part"
        } else {
            "blueprint"
        };
        assert!(
            text.starts_with(&format!(
                "# yaml-language-server: $schema=../schemas/{schema}.schema.json\n"
            )),
            "{} must start with the yaml-language-server line of the {schema} schema",
            path.display()
        );
    }
    let standard = std::fs::read_to_string(
        crate::common::root().join("blueprints/standards/consultancy.yaml"),
    )
    .unwrap();
    assert!(standard
        .starts_with("# yaml-language-server: $schema=../../schemas/blueprint-part.schema.json\n"));
}

#[test]
fn committed_part_schema_is_current() {
    committed_is_current(
        "schemas/blueprint-part.schema.json",
        &tarmac::blueprint::schema::part_text(),
    );
}

/// What an editor does with the modeline: bases, clients that extend them and complete
/// blueprints all pass the part schema; what no part may hold still fails it.
#[test]
fn editors_accept_bases_and_clients_with_the_part_schema() {
    let part = jsonschema::validator_for(
        &serde_json::from_str(&tarmac::blueprint::schema::part_text()).unwrap(),
    )
    .unwrap();
    let full = jsonschema::validator_for(tarmac::blueprint::schema::schema()).unwrap();
    let mut paths = crate::common::blueprints();
    paths.push(crate::common::root().join("blueprints/standards/consultancy.yaml"));
    for path in paths {
        let value: serde_json::Value =
            serde_yaml_ng::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = part.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        if value.get("extends").is_some() || path.ends_with("consultancy.yaml") {
            assert!(
                !full.is_valid(&value),
                "{} is a part, not a whole blueprint",
                path.display()
            );
        }
    }
    for bad in [
        "bedrock: {regions: {append: us-east-1}}",
        "bedrock: {regions: {append: [us-east-1], extra: 1}}",
        "guardrails: {regon_allowlist: true}",
        "extends: 5",
    ] {
        let value: serde_json::Value = serde_yaml_ng::from_str(bad).unwrap();
        assert!(!part.is_valid(&value), "{bad} must fail the part schema");
    }
}

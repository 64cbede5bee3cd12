//! Terraform JSON emitter: one root module per unit (`terraform/<unit>/main.tf.json`).
//!
//! A module must plan on its own, so member-account modules never read the management module:
//! they take the account id as a variable (filled from the management module's output for new
//! accounts) and reach the account through a provider that assumes a role in it. The provider
//! constraint admits hashicorp/aws 5.100 (what offline validation has) and 6.x, and only arguments
//! present in both are used.

mod resources;
mod values;

use serde_json::{json, Map, Value as Json};

use super::{to_pretty_json, Emitted, InputEntry, OutFile, UnitEntry};
use crate::plan::{Kind, Lookup, Plan, Target, Unit};
use values::{escape, resource_type, Lowering};

/// The provider constraint: hashicorp/aws 5.100 up to, not including, 7.0.
pub const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 7.0";

pub fn emit(plan: &Plan) -> Emitted {
    let mut out = Emitted::default();
    for unit in &plan.units {
        let (module, entry) = module(plan, unit);
        let path = format!("terraform/{}/main.tf.json", unit.name);
        out.files.push(OutFile {
            path: path.clone(),
            contents: to_pretty_json(&module),
        });
        out.units.push(UnitEntry {
            files: vec![path],
            ..entry
        });
    }
    out
}

/// Kinds hashicorp/aws has no resource for.
fn unsupported(kind: &Kind) -> bool {
    matches!(kind, Kind::MantleProject { .. })
}

fn module(plan: &Plan, unit: &Unit) -> (Json, UnitEntry) {
    let l = Lowering::new(unit);
    let mut notes = Vec::new();
    let mut inputs = Vec::new();

    let mut provider = Map::new();
    provider.insert("region".into(), json!(unit.region));
    let mut variables = Map::new();
    if let Target::Member(m) = &unit.target {
        let source = format!(
            "output:management.account_id_{}",
            crate::plan::value::Name::new(&[&m.account]).snake()
        );
        let mut v = Map::new();
        v.insert("type".into(), json!("string"));
        v.insert(
            "description".into(),
            json!(format!(
                "Id of account {} (the management module's output account_id_{})",
                m.account,
                crate::plan::value::Name::new(&[&m.account]).snake()
            )),
        );
        match &m.known_id {
            Some(id) => {
                v.insert("default".into(), json!(id));
            }
            None => inputs.push(InputEntry {
                name: String::from("account_id"),
                description: format!("Id of account {}", m.account),
                source,
            }),
        }
        variables.insert("account_id".into(), Json::Object(v));
        provider.insert(
            "assume_role".into(),
            json!({ "role_arn": format!("arn:aws:iam::${{var.account_id}}:role/{}", m.role_name) }),
        );
    }
    if !plan.tags.is_empty() {
        provider.insert("default_tags".into(), json!({ "tags": plan.tags }));
    }

    let mut data: Map<String, Json> = Map::new();
    let mut data_block = |tf_type: &str, label: String, body: Json| {
        let entry = data
            .entry(tf_type.to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(m) = entry {
            m.insert(label, body);
        }
    };
    for input in &unit.inputs {
        let name = input.name.snake();
        match &input.lookup {
            Some(Lookup::Group {
                identity_store_id,
                display_name,
            }) => {
                data_block(
                    "aws_identitystore_group",
                    name.clone(),
                    json!({ "identity_store_id": identity_store_id, "alternate_identifier": { "unique_attribute": { "attribute_path": "DisplayName", "attribute_value": escape(display_name) } } }),
                );
                inputs.push(InputEntry {
                    name,
                    description: input.description.clone(),
                    source: String::from("lookup"),
                });
            }
            Some(Lookup::User {
                identity_store_id,
                user_name,
            }) => {
                data_block(
                    "aws_identitystore_user",
                    name.clone(),
                    json!({ "identity_store_id": identity_store_id, "alternate_identifier": { "unique_attribute": { "attribute_path": "UserName", "attribute_value": escape(user_name) } } }),
                );
                inputs.push(InputEntry {
                    name,
                    description: input.description.clone(),
                    source: String::from("lookup"),
                });
            }
            None => {
                let mut v = Map::new();
                v.insert("type".into(), json!("string"));
                v.insert("description".into(), json!(input.description));
                match &input.default {
                    Some(d) => {
                        v.insert("default".into(), json!(d));
                    }
                    None => inputs.push(InputEntry {
                        name: name.clone(),
                        description: input.description.clone(),
                        source: match &input.source {
                            Some(s) => format!("output:{}.{}", s.unit, s.output.snake()),
                            None => String::from("operator"),
                        },
                    }),
                }
                variables.insert(name, Json::Object(v));
            }
        }
    }
    if l.uses_account_id() {
        data_block("aws_caller_identity", String::from("current"), json!({}));
    }

    let mut resources: Map<String, Json> = Map::new();
    let mut count = 0;
    for r in &unit.resources {
        if unsupported(&r.kind) {
            if let Kind::MantleProject { name } = &r.kind {
                notes.push(format!(
                    "Mantle project `{name}` is not created: hashicorp/aws has no resource for AWS::BedrockMantle::Project \
                     (terraform-provider-aws issue #49543). Create it with the awscc provider (awscc_bedrockmantle_project) \
                     or deploy the CloudFormation output of this unit."
                ));
            }
            continue;
        }
        let mut depends_on: Vec<String> = r
            .depends_on
            .iter()
            .map(|d| {
                let kind = &unit
                    .resources
                    .iter()
                    .find(|x| &x.name == d)
                    .expect("Plan::verify: dependencies resolve")
                    .kind;
                format!("{}.{}", resource_type(kind), d.snake())
            })
            .collect();
        if let Kind::Assignment { permission_set, .. } = &r.kind {
            // Destroying an assignment after its permission set's policies races in Identity Center.
            for reference in permission_set.refs() {
                if let Some(set) = unit.resources.iter().find(|x| x.name == reference.resource) {
                    depends_on.extend(resources::permission_set_attachments(set));
                }
            }
        }
        for mut tf in resources::lower(&l, r, depends_on) {
            if r.kind.retained() && tf.tf_type == resource_type(&r.kind) {
                tf.body
                    .insert("lifecycle".into(), json!({ "prevent_destroy": true }));
            }
            let entry = resources
                .entry(tf.tf_type.to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(m) = entry {
                m.insert(tf.label, Json::Object(tf.body));
            }
            count += 1;
        }
    }

    let mut outputs = Map::new();
    for o in &unit.outputs {
        if resources::mentions(&l, &o.value, unsupported) {
            notes.push(format!(
                "Output `{}` is not available: it reads a resource this target cannot create.",
                o.name.snake()
            ));
            continue;
        }
        outputs.insert(
            o.name.snake(),
            json!({ "description": o.description, "value": l.value(&o.value) }),
        );
    }

    let mut root = Map::new();
    root.insert("//".into(), json!(format!("Generated by tarmac from the {} blueprint. Do not edit: change the blueprint and synthesize again.", plan.client)));
    root.insert(
        "terraform".into(),
        // No `required_version`: checkov's terraform_json parser fails on a scalar in this block
        // (and then scans nothing), and every Terraform that reads JSON configuration is recent enough.
        json!({ "required_providers": { "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION } } }),
    );
    root.insert("provider".into(), json!({ "aws": [provider] }));
    if !variables.is_empty() {
        root.insert("variable".into(), Json::Object(variables));
    }
    if !data.is_empty() {
        root.insert("data".into(), Json::Object(data));
    }
    root.insert("resource".into(), Json::Object(resources));
    if !outputs.is_empty() {
        root.insert("output".into(), Json::Object(outputs));
    }

    let (account, account_id) = match &unit.target {
        Target::Management => (String::from("management"), None),
        Target::Member(m) => (m.account.clone(), m.known_id.clone()),
    };
    let entry = UnitEntry {
        name: unit.name.clone(),
        target: "terraform",
        kind: "root-module",
        account,
        account_id,
        region: unit.region.clone(),
        deploy_order: unit.order,
        files: Vec::new(),
        inputs,
        notes,
        resource_count: count,
    };
    (Json::Object(root), entry)
}

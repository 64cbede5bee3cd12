//! CloudFormation emitter: one template per unit. Member-account templates are also embedded in
//! the management template as `AWS::CloudFormation::StackSet` resources with service-managed
//! permissions, so deploying the management stack rolls the members out through the engine AWS
//! already runs for multi-account deployment. Every template is also written on its own, so it
//! can be linted, reviewed and diffed.

mod resources;
mod values;

use serde_json::{json, Map, Value as Json};

use super::{to_pretty_json, Emitted, InputEntry, OutFile, UnitEntry};
use crate::plan::value::Name;
use crate::plan::{Plan, Target, Unit};
use values::Lowering;

/// The largest template CloudFormation accepts inline (a StackSet's `TemplateBody`).
pub const INLINE_TEMPLATE_LIMIT: usize = 51_200;

pub fn emit(plan: &Plan) -> Emitted {
    let mut out = Emitted::default();
    let mut members: Vec<(&Unit, Json)> = Vec::new();
    for unit in plan
        .units
        .iter()
        .filter(|u| matches!(u.target, Target::Member(_)))
    {
        members.push((unit, template(plan, unit, &[])));
    }
    for unit in &plan.units {
        let template = match unit.target {
            Target::Member(_) => members
                .iter()
                .find(|(u, _)| u.name == unit.name)
                .map(|(_, t)| t.clone())
                .expect("member template built"),
            Target::Management if unit.name == "management" => template(plan, unit, &members),
            Target::Management => template(plan, unit, &[]),
        };
        let path = format!("cloudformation/{}.template.json", unit.name);
        let resource_count = template["Resources"].as_object().map_or(0, Map::len);
        out.files.push(OutFile {
            path: path.clone(),
            contents: to_pretty_json(&template),
        });
        out.units.push(entry(plan, unit, path, resource_count));
    }
    out
}

/// The manifest entry of a unit.
fn entry(plan: &Plan, unit: &Unit, path: String, resource_count: usize) -> UnitEntry {
    let (kind, account, account_id, notes) = match &unit.target {
        Target::Management => ("stack", String::from("management"), None, Vec::new()),
        Target::Member(m) => (
            "stack-set",
            m.account.clone(),
            m.known_id.clone(),
            vec![format!(
                "Deployed by the StackSet {} in cloudformation/management.template.json; this file is the same template, for review.",
                stack_set_name(plan, unit)
            )],
        ),
    };
    let inputs = unit
        .inputs
        .iter()
        .filter(|i| i.default.is_none())
        .map(|i| InputEntry {
            name: i.name.pascal(),
            description: i.description.clone(),
            source: match &i.source {
                Some(s) => format!("output:{}.{}", s.unit, s.output.pascal()),
                None => String::from("operator"),
            },
        })
        .collect();
    UnitEntry {
        name: unit.name.clone(),
        target: "cloudformation",
        kind,
        account,
        account_id,
        region: unit.region.clone(),
        deploy_order: unit.order,
        files: vec![path],
        inputs,
        notes,
        resource_count,
    }
}

/// The StackSet name of a member unit: `<client>-<unit>`.
fn stack_set_name(plan: &Plan, unit: &Unit) -> String {
    format!("{}-{}", plan.client, unit.name)
}

/// The template of one unit; `members` are embedded as StackSets.
fn template(plan: &Plan, unit: &Unit, members: &[(&Unit, Json)]) -> Json {
    let lower = Lowering::new(unit);
    let mut parameters = Map::new();
    for input in &unit.inputs {
        let mut p = Map::new();
        p.insert("Type".into(), json!("String"));
        p.insert("Description".into(), json!(input.description));
        if let Some(d) = &input.default {
            p.insert("Default".into(), json!(d));
        }
        parameters.insert(input.name.pascal(), Json::Object(p));
    }
    let mut resources = Map::new();
    for r in &unit.resources {
        resources.insert(r.name.pascal(), resources::resource(plan, &lower, r));
    }
    for (member, body) in members {
        let Target::Member(m) = &member.target else {
            continue;
        };
        let name = Name::new(&["stack_set", &member.name]);
        let body = serde_json::to_string(body).expect("a JSON value serializes");
        let mut props = Map::new();
        props.insert("StackSetName".into(), json!(stack_set_name(plan, member)));
        props.insert("Description".into(), json!(member.description));
        props.insert("PermissionModel".into(), json!("SERVICE_MANAGED"));
        props.insert("AutoDeployment".into(), json!({ "Enabled": false }));
        props.insert("CallAs".into(), json!("SELF"));
        props.insert("ManagedExecution".into(), json!({ "Active": true }));
        props.insert(
            "OperationPreferences".into(),
            json!({ "FailureToleranceCount": 0, "MaxConcurrentCount": 1, "RegionConcurrencyType": "SEQUENTIAL" }),
        );
        props.insert(
            "StackInstancesGroup".into(),
            json!([{
                "DeploymentTargets": {
                    "OrganizationalUnitIds": [lower.value(&m.ou_id)],
                    "Accounts": [lower.value(&m.account_id)],
                    "AccountFilterType": "INTERSECTION"
                },
                "Regions": [member.region]
            }]),
        );
        props.insert("TemplateBody".into(), json!(body));
        if !plan.tags.is_empty() {
            props.insert("Tags".into(), resources::tags(plan));
        }
        resources.insert(
            name.pascal(),
            json!({ "Type": "AWS::CloudFormation::StackSet", "Properties": props }),
        );
    }
    let mut outputs = Map::new();
    for o in &unit.outputs {
        outputs.insert(
            o.name.pascal(),
            json!({ "Description": o.description, "Value": lower.value(&o.value) }),
        );
    }
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    t.insert(
        "Description".into(),
        json!(format!(
            "{} (generated by tarmac; do not edit)",
            unit.description
        )),
    );
    if !parameters.is_empty() {
        t.insert("Parameters".into(), Json::Object(parameters));
    }
    t.insert("Resources".into(), Json::Object(resources));
    if !outputs.is_empty() {
        t.insert("Outputs".into(), Json::Object(outputs));
    }
    Json::Object(t)
}

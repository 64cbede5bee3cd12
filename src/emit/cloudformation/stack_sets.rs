//! The StackSets of a management stack: one per member shape with accounts in the stack, whose
//! body is the shape's template and whose instances are its accounts, each inside its OU and
//! with its own parameter values. How they roll out is the plan's (`plan::members::STACK_SETS`);
//! this module only writes it in CloudFormation's terms.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::values::Lowering;
use super::{resources, shape_description, Body, Item, Members, StackSetName};
use crate::json::{json, Json, Obj};
use crate::plan::members::STACK_SETS;
use crate::plan::value::Name;
use crate::plan::{
    AccountFilter, CallAs, ConcurrencyMode, PermissionModel, Plan, RegionConcurrency, Shape,
    Target, Unit,
};

/// A StackSet resource of one stack.
pub(super) struct StackSet {
    pub name: StackSetName,
    pub logical_id: String,
    pub resource: Json,
}

/// The StackSets of stack `k`: one per shape with instances in the stack, in order of shapes.
pub(super) fn stack_sets(
    plan: &Plan,
    lower: &Lowering,
    members: Members,
    items: &[Item],
    part: &[usize],
    k: usize,
) -> Vec<StackSet> {
    let mut by_shape: BTreeMap<usize, Vec<&Unit>> = BTreeMap::new();
    for &i in part {
        if let Item::Instance { unit, shape } = &items[i] {
            by_shape.entry(*shape).or_default().push(unit);
        }
    }
    by_shape
        .into_iter()
        .map(|(s, units)| {
            let shape = &members.shapes[s];
            // A shape's StackSets are told apart by the stack holding them; the first stack's
            // keeps the plain name, so that an organization outgrowing one stack renames nothing.
            let name = if k == 0 {
                format!("{}-{}", plan.client, shape.name)
            } else {
                format!("{}-{}-part-{}", plan.client, shape.name, k + 1)
            };
            let logical_id = Name::new(&["stack_set", &shape.name]).pascal();
            let resource = stack_set(plan, lower, shape, &name, &units, &members.bodies[s]);
            StackSet {
                name: StackSetName { shape: s, name },
                logical_id,
                resource,
            }
        })
        .collect()
}

/// The StackSet that deploys a shape's template into `units`' accounts, each inside its OU and
/// with its own parameter values.
fn stack_set(
    plan: &Plan,
    lower: &Lowering,
    shape: &Shape,
    name: &str,
    units: &[&Unit],
    body: &Body,
) -> Json {
    let mut props = Obj::new();
    props.insert("StackSetName", json!(name));
    props.insert("Description", json!(shape_description(plan, shape)));
    let rollout = &STACK_SETS;
    props.insert(
        "PermissionModel",
        json!(match rollout.permission_model {
            PermissionModel::ServiceManaged => "SERVICE_MANAGED",
        }),
    );
    props.insert(
        "AutoDeployment",
        json!({ "Enabled": rollout.auto_deployment }),
    );
    props.insert(
        "CallAs",
        json!(match rollout.call_as {
            CallAs::SelfAccount => "SELF",
        }),
    );
    props.insert(
        "ManagedExecution",
        json!({ "Active": rollout.managed_execution }),
    );
    props.insert(
        "OperationPreferences",
        json!({
            "ConcurrencyMode": match rollout.concurrency_mode {
                ConcurrencyMode::SoftFailureTolerance => "SOFT_FAILURE_TOLERANCE",
            },
            "FailureToleranceCount": rollout.failure_tolerance_count,
            "MaxConcurrentPercentage": rollout.max_concurrent_percentage,
            "RegionConcurrencyType": match rollout.region_concurrency {
                RegionConcurrency::Parallel => "PARALLEL",
            },
        }),
    );
    // A StackSet only takes overrides of parameters it has values for: the first account's.
    props.insert("Parameters", parameters(units[0]));
    let groups: Vec<Json> = units.iter().map(|u| instance(lower, u)).collect();
    props.insert("StackInstancesGroup", Json::Arr(groups));
    props.insert("TemplateBody", Json::Raw(Arc::clone(&body.literal)));
    if !plan.tags.is_empty() {
        props.insert("Tags", resources::tags(plan));
    }
    let mut resource = Obj::new();
    resource.insert("Type", json!("AWS::CloudFormation::StackSet"));
    resource.insert("Properties", Json::Obj(props));
    Json::Obj(resource)
}

/// A member unit's input values as StackSet parameters.
fn parameters(unit: &Unit) -> Json {
    Json::Arr(
        unit.inputs
            .iter()
            .filter_map(|i| {
                let value = i.default.as_ref()?;
                Some(json!({ "ParameterKey": i.name.pascal(), "ParameterValue": value }))
            })
            .collect(),
    )
}

/// One account's instance group: the account, inside its OU, in the shape's region, with its
/// own parameter values.
pub(super) fn instance(lower: &Lowering, unit: &Unit) -> Json {
    let Target::Member(m) = &unit.target else {
        unreachable!("only member units have StackSet instances")
    };
    let mut targets = Obj::new();
    targets.insert(
        "OrganizationalUnitIds",
        Json::Arr(vec![lower.value(&m.ou_id)]),
    );
    targets.insert("Accounts", Json::Arr(vec![lower.value(&m.account_id)]));
    targets.insert(
        "AccountFilterType",
        json!(match STACK_SETS.account_filter {
            AccountFilter::Intersection => "INTERSECTION",
        }),
    );
    let mut group = Obj::new();
    group.insert("DeploymentTargets", Json::Obj(targets));
    group.insert("Regions", json!([&unit.region]));
    if unit.inputs.iter().any(|i| i.default.is_some()) {
        group.insert("ParameterOverrides", parameters(unit));
    }
    Json::Obj(group)
}

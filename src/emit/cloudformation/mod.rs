//! CloudFormation emitter: one template per unit. Member-account templates are also embedded in
//! the management template as `AWS::CloudFormation::StackSet` resources with service-managed
//! permissions, so deploying the management stack rolls the members out through the engine AWS
//! already runs for multi-account deployment. Every template is also written on its own, so it
//! can be linted, reviewed and diffed.

mod resources;
mod split;
mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::json::{compact_literal, json, Json, Obj};

use super::{pretty, Emitted, InputEntry, Oversized, Sink, UnitEntry};
use crate::plan::value::{Name, Ref, Value};
use crate::plan::{Kind, Output, Plan, Resource, Target, Unit};
use split::Node;
use values::Lowering;

/// The largest template CloudFormation accepts inline (a StackSet's `TemplateBody`).
pub const INLINE_TEMPLATE_LIMIT: usize = 51_200;

pub fn emit(plan: &Plan, sink: &dyn Sink) -> Emitted {
    emit_keeping(plan, sink, KEPT_BODIES)
}

/// [`emit`], keeping at most `budget` bytes of member bodies.
fn emit_keeping(plan: &Plan, sink: &dyn Sink, budget: usize) -> Emitted {
    let mut out = Emitted::default();
    let member_units: Vec<&Unit> = plan.member_units().collect();
    let budget = AtomicUsize::new(budget);
    let members = crate::parallel::map(&member_units, |u| member(plan, u, &budget, sink));
    for m in &members {
        if let (Target::Member(t), true) = (&m.unit.target, m.body.bytes > INLINE_TEMPLATE_LIMIT) {
            out.oversized.push(Oversized {
                account: t.account.clone(),
                region: m.unit.region.clone(),
                bytes: m.body.bytes,
                limit: INLINE_TEMPLATE_LIMIT,
            });
        }
    }
    // Stacks of a split management unit deploy one after the other; member units come after all.
    let mut delay = 0;
    let mut stack_set_home = String::new();
    for unit in plan.units.iter().filter(|u| u.target == Target::Management) {
        let embedded: &[MemberTemplate] = if unit.name == "management" {
            &members
        } else {
            &[]
        };
        let stacks = stacks(plan, unit, embedded, sink);
        delay = delay.max(stacks.len() - 1);
        for (k, stack) in stacks.into_iter().enumerate() {
            let path = stack_path(&stack.name);
            if stack.holds_stack_sets {
                stack_set_home = path.clone();
            }
            let mut e = entry(plan, unit, path, stack.resources);
            e.name = stack.name;
            e.deploy_order = unit.order + k as u32;
            out.units.push(e);
        }
    }
    for m in members {
        let mut e = entry(plan, m.unit, stack_path(&m.unit.name), m.resources);
        e.deploy_order = m.unit.order + delay as u32;
        e.notes = vec![format!(
            "Deployed by the StackSet {} in {stack_set_home}; this file is the same template, for review.",
            stack_set_name(plan, m.unit)
        )];
        out.units.push(e);
    }
    out
}

/// The file of the stack (or member template) `name`.
fn stack_path(name: &str) -> String {
    format!("cloudformation/{name}.template.json")
}

/// How many bytes of member bodies [`member`] keeps for the StackSets. Keeping a body saves
/// building its template a second time when the management stack is built (a sixth of the CPU
/// time at 1,000 accounts, whose escaped bodies take 8.4 MB); past this budget, bodies are only
/// measured and made again then, so that 10,000 accounts do not hold 84 MB of them. Which bodies
/// are kept depends on thread timing, but a kept body and a remade one are the same text, so the
/// output does not.
const KEPT_BODIES: usize = 12 << 20;

/// A member unit whose template file is written, with the size of its compact form (the
/// StackSet's `TemplateBody`) and that form itself while the budget lasts.
struct MemberTemplate<'a> {
    unit: &'a Unit,
    body: BodySize,
    /// The body as the JSON string literal the management template holds: escaped once, here,
    /// and then copied as it is.
    kept: Option<Arc<str>>,
    resources: usize,
}

fn member<'a>(
    plan: &Plan,
    unit: &'a Unit,
    budget: &AtomicUsize,
    sink: &dyn Sink,
) -> MemberTemplate<'a> {
    let template = single(plan, unit);
    let literal = compact_literal(&template);
    let body = BodySize::of(&literal);
    let kept = budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(literal.len())
        })
        .is_ok()
        .then_some(literal);
    super::put_pretty(sink, stack_path(&unit.name), &template);
    MemberTemplate {
        unit,
        body,
        kept,
        resources: template
            .get("Resources")
            .and_then(Json::as_object)
            .map_or(0, Obj::len),
    }
}

/// The body of a member unit's StackSet: its compact template as a JSON string literal.
fn body(plan: &Plan, unit: &Unit) -> Arc<str> {
    compact_literal(&single(plan, unit))
}

/// The size of a member's body: the bytes of its compact text, and of that text once escaped as
/// a JSON string (what the management template holds, without the quotes).
#[derive(Debug, Clone, Copy)]
struct BodySize {
    bytes: usize,
    escaped: usize,
}

impl BodySize {
    /// The size of the body whose string literal is `literal`. Compact JSON has no control
    /// characters, so escaping it only put a backslash before each quote and backslash: the
    /// literal's quotes and backslashes, halved, are the bytes escaping added.
    fn of(literal: &str) -> BodySize {
        let escaped = literal.len() - 2;
        let marks = literal.as_bytes()[1..=escaped]
            .iter()
            .filter(|&&b| b == b'"' || b == b'\\')
            .count();
        BodySize {
            bytes: escaped - marks / 2,
            escaped,
        }
    }
}

/// One resource of a management template: a plan resource, or the StackSet of a member unit.
enum Item<'a> {
    Resource(&'a Resource),
    /// A member unit, with the size of its body and maybe the body.
    StackSet(&'a MemberTemplate<'a>),
}

impl Item<'_> {
    fn name(&self) -> Name {
        match self {
            Item::Resource(r) => r.name.clone(),
            Item::StackSet(m) => Name::new(&["stack_set", &m.unit.name]),
        }
    }

    fn values(&self) -> Vec<&Value> {
        match self {
            Item::Resource(r) => r.kind.values(),
            Item::StackSet(m) => match &m.unit.target {
                Target::Member(t) => vec![&t.account_id, &t.ou_id],
                Target::Management => Vec::new(),
            },
        }
    }

    /// What the splitter needs to know of the item; `readers` counts the unit outputs reading
    /// each resource.
    fn node(&self, plan: &Plan, probe: &Lowering, readers: &HashMap<&Name, usize>) -> Node {
        let name = self.name();
        let mut refs: Vec<Name> = self
            .values()
            .iter()
            .flat_map(|v| v.refs())
            .map(|r| r.resource.clone())
            .collect();
        if let Item::Resource(r) = self {
            refs.extend(r.depends_on.iter().cloned());
        }
        let is_account =
            matches!(self, Item::Resource(r) if matches!(r.kind, Kind::Account { .. }));
        let outputs = readers.get(&name).copied().unwrap_or(0);
        // A StackSet is measured without its body, whose escaped length is then added.
        let (body, escaped) = match self {
            Item::Resource(r) => (resources::resource(plan, probe, r, &BTreeSet::new()), 0),
            Item::StackSet(m) => (
                stack_set(plan, probe, m.unit, "\"\"".into()),
                m.body.escaped,
            ),
        };
        // Pretty-printed, with headroom for imports that replace local references.
        let bytes = (pretty(&body).len() - 1 + escaped) * 11 / 10 + name.pascal().len() + 16;
        let inputs = self
            .values()
            .iter()
            .flat_map(|v| v.inputs())
            .map(str::to_owned)
            .collect();
        Node {
            name,
            refs,
            is_account,
            outputs,
            bytes,
            inputs,
        }
    }
}

/// The items of a unit's template: its resources, then the StackSets of `members`.
fn items<'a>(unit: &'a Unit, members: &'a [MemberTemplate<'a>]) -> Vec<Item<'a>> {
    unit.resources
        .iter()
        .map(Item::Resource)
        .chain(members.iter().map(Item::StackSet))
        .collect()
}

/// The template of a member unit, which is never split: it is one StackSet's body.
fn single(plan: &Plan, unit: &Unit) -> Json {
    let items = items(unit, &[]);
    let all: Vec<usize> = (0..items.len()).collect();
    let outputs: Vec<&Output> = unit.outputs.iter().collect();
    template(
        plan,
        unit,
        &Lowering::new(unit),
        &items,
        &all,
        &outputs,
        &[],
        "",
    )
}

/// The stacks of a unit, in deploy order, each put in the sink as soon as it is serialized. A
/// unit of more than 500 resources is split (see `split`); the first stack keeps the unit's name.
fn stacks(plan: &Plan, unit: &Unit, members: &[MemberTemplate], sink: &dyn Sink) -> Vec<Stack> {
    let items = items(unit, members);
    let probe = Lowering::new(unit);
    let mut readers: HashMap<&Name, usize> = HashMap::new();
    for o in &unit.outputs {
        for r in o.value.refs() {
            *readers.entry(&r.resource).or_default() += 1;
        }
    }
    let nodes: Vec<Node> = crate::parallel::map(&items, |item| item.node(plan, &probe, &readers));
    let parts = split::parts(&nodes, split::LIMITS);
    let names: Vec<String> = (0..parts.len())
        .map(|k| {
            if k == 0 {
                unit.name.clone()
            } else {
                format!("{}-part-{}", unit.name, k + 1)
            }
        })
        .collect();
    let prefixes: Vec<String> = names
        .iter()
        .map(|n| format!("{}-{n}", plan.client))
        .collect();
    let mut part_of: HashMap<Name, usize> = HashMap::new();
    for (k, part) in parts.iter().enumerate() {
        for &i in part {
            part_of.insert(items[i].name(), k);
        }
    }
    // Each output goes to the first stack where everything it reads exists.
    let output_part = |o: &Output| {
        o.value
            .refs()
            .iter()
            .map(|r| part_of[&r.resource])
            .max()
            .unwrap_or(0)
    };
    // What each stack must export for later ones.
    let mut exports: Vec<BTreeMap<String, Ref>> = vec![BTreeMap::new(); parts.len()];
    let mut need = |k: usize, values: Vec<&Value>| {
        for v in values {
            for r in v.refs() {
                let home = part_of[&r.resource];
                if home < k {
                    exports[home].insert(format!("{}{:?}", r.resource.pascal(), r.attr), r.clone());
                }
            }
        }
    };
    for (k, part) in parts.iter().enumerate() {
        for &i in part {
            need(k, items[i].values());
        }
    }
    for o in &unit.outputs {
        need(output_part(o), vec![&o.value]);
    }
    let stack_set_part = parts
        .iter()
        .position(|p| p.iter().any(|&i| matches!(items[i], Item::StackSet(..))));
    // Once every item has its stack, the stacks are independent: build them in parallel.
    let indices: Vec<usize> = (0..parts.len()).collect();
    crate::parallel::map(&indices, |&k| {
        let lower = probe.stack(&part_of, &prefixes, k);
        let outputs: Vec<&Output> = unit
            .outputs
            .iter()
            .filter(|o| output_part(o) == k)
            .collect();
        let exported: Vec<Ref> = exports[k].values().cloned().collect();
        let t = template(
            plan,
            unit,
            &lower,
            &items,
            &parts[k],
            &outputs,
            &exported,
            &prefixes[k],
        );
        super::put_pretty(sink, stack_path(&names[k]), &t);
        Stack {
            name: names[k].clone(),
            resources: t
                .get("Resources")
                .and_then(Json::as_object)
                .map_or(0, Obj::len),
            holds_stack_sets: stack_set_part == Some(k),
        }
    })
}

/// One stack of a unit, once written.
struct Stack {
    name: String,
    resources: usize,
    holds_stack_sets: bool,
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

/// The template of the items `part` of a unit, with the unit outputs placed in it and the exports
/// later stacks import (under `export_prefix`).
#[allow(clippy::too_many_arguments)]
fn template(
    plan: &Plan,
    unit: &Unit,
    lower: &Lowering,
    items: &[Item],
    part: &[usize],
    outputs: &[&Output],
    exports: &[Ref],
    export_prefix: &str,
) -> Json {
    let used: BTreeSet<&str> = part
        .iter()
        .flat_map(|&i| items[i].values())
        .chain(outputs.iter().map(|o| &o.value))
        .flat_map(|v| v.inputs())
        .collect();
    let mut parameters = Obj::new();
    for input in unit
        .inputs
        .iter()
        .filter(|i| used.contains(i.name.snake().as_str()))
    {
        let mut p = Obj::new();
        p.insert("Type", json!("String"));
        p.insert("Description", &input.description);
        if let Some(d) = &input.default {
            p.insert("Default", json!(d));
        }
        parameters.insert(input.name.pascal(), Json::Obj(p));
    }
    let local: BTreeSet<Name> = part.iter().map(|&i| items[i].name()).collect();
    let mut resources = Obj::new();
    for &i in part {
        match &items[i] {
            Item::Resource(r) => {
                resources.insert(r.name.pascal(), resources::resource(plan, lower, r, &local));
            }
            Item::StackSet(m) => {
                let body = match &m.kept {
                    Some(kept) => Arc::clone(kept),
                    None => body(plan, m.unit),
                };
                let body = stack_set(plan, lower, m.unit, body);
                resources.insert(items[i].name().pascal(), body);
            }
        }
    }
    let mut out = Obj::new();
    for o in outputs {
        out.insert(
            o.name.pascal(),
            json!({ "Description": &o.description, "Value": lower.value(&o.value) }),
        );
    }
    for r in exports {
        let name = lower.export_name(export_prefix, r);
        out.insert(
            format!("Export{}{:?}", r.resource.pascal(), r.attr),
            json!({ "Description": "Read by a later stack of this unit", "Value": lower.local(r), "Export": { "Name": name } }),
        );
    }
    let mut t = Obj::new();
    t.insert("AWSTemplateFormatVersion", json!("2010-09-09"));
    t.insert(
        "Description",
        json!(format!(
            "{} (generated by tarmac; do not edit)",
            unit.description
        )),
    );
    if !parameters.is_empty() {
        t.insert("Parameters", Json::Obj(parameters));
    }
    t.insert("Resources", Json::Obj(resources));
    if !out.is_empty() {
        t.insert("Outputs", Json::Obj(out));
    }
    Json::Obj(t)
}

/// The StackSet that deploys a member unit into its account, inside its OU. `body` is the
/// member's compact template as a JSON string literal.
fn stack_set(plan: &Plan, lower: &Lowering, member: &Unit, body: Arc<str>) -> Json {
    let Target::Member(m) = &member.target else {
        unreachable!("only member units have StackSets")
    };
    let mut props = Obj::new();
    props.insert("StackSetName", json!(stack_set_name(plan, member)));
    props.insert("Description", &member.description);
    props.insert("PermissionModel", json!("SERVICE_MANAGED"));
    props.insert("AutoDeployment", json!({ "Enabled": false }));
    props.insert("CallAs", json!("SELF"));
    props.insert("ManagedExecution", json!({ "Active": true }));
    props.insert("OperationPreferences",
        json!({ "FailureToleranceCount": 0, "MaxConcurrentCount": 1, "RegionConcurrencyType": "SEQUENTIAL" }),
    );
    let mut targets = Obj::new();
    targets.insert(
        "OrganizationalUnitIds",
        Json::Arr(vec![lower.value(&m.ou_id)]),
    );
    targets.insert("Accounts", Json::Arr(vec![lower.value(&m.account_id)]));
    targets.insert("AccountFilterType", json!("INTERSECTION"));
    let mut group = Obj::new();
    group.insert("DeploymentTargets", Json::Obj(targets));
    group.insert("Regions", json!([&member.region]));
    props.insert("StackInstancesGroup", Json::Arr(vec![Json::Obj(group)]));
    props.insert("TemplateBody", Json::Raw(body));
    if !plan.tags.is_empty() {
        props.insert("Tags", resources::tags(plan));
    }
    let mut resource = Obj::new();
    resource.insert("Type", json!("AWS::CloudFormation::StackSet"));
    resource.insert("Properties", Json::Obj(props));
    Json::Obj(resource)
}

#[cfg(test)]
mod tests {
    use super::BodySize;
    use crate::emit::Collect;

    /// The budget only decides whether a StackSet's body is kept or made again: both give the
    /// same files. Snapshot tests never exhaust it, so this covers the remade bodies.
    #[test]
    fn kept_and_remade_bodies_give_the_same_templates() {
        let plan = crate::plan::shipped("initech-ai-platform.yaml");
        let emit = |budget| {
            let files = Collect::default();
            super::emit_keeping(&plan, &files, budget);
            files.into_sorted()
        };
        let remade = emit(0);
        assert!(remade.len() > 4, "initech has several member stacks");
        assert_eq!(emit(usize::MAX), remade);
    }

    #[test]
    fn body_size_is_the_length_of_the_body_and_of_its_escaped_form() {
        let template = crate::json::json!({
            "Description": "quotes \" and backslashes \\ and a newline \n",
            "Resources": { "Policy": { "Fn::Sub": "arn:aws:s3:::${!aws:PrincipalAccount}/*" } }
        });
        let literal = crate::json::compact_literal(&template);
        let body = serde_json::to_string(&template).unwrap();
        // The literal is the compact text as a JSON string.
        assert_eq!(*literal, serde_json::to_string(&body).unwrap());
        let size = BodySize::of(&literal);
        assert_eq!(size.bytes, body.len());
        // What the body takes inside the management template, without its quotes.
        assert_eq!(size.escaped, literal.len() - 2);
    }
}

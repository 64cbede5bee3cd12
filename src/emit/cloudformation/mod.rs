//! CloudFormation emitter: one template per management unit (split into several stacks past
//! CloudFormation's limits) and one per member [`Shape`]. The management template holds, per
//! shape, an `AWS::CloudFormation::StackSet` with service-managed permissions whose body is the
//! shape's template and whose instances are its accounts, each with its own parameter values:
//! deploying the management stack rolls the members out through the engine AWS already runs for
//! multi-account deployment. Every template is also written on its own, so it can be linted,
//! reviewed and diffed.

mod resources;
mod split;
mod stack_sets;
mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::json::{compact_literal, json, Json, Obj};

use super::{Emitted, InputEntry, Oversized, Sink, UnitEntry};
use crate::plan::value::{Name, Ref, Value};
use crate::plan::{Adoption, InputType, Kind, Output, Plan, Resource, Shape, Target, Unit};
use split::Node;
use values::Lowering;

/// The largest template CloudFormation accepts inline (a StackSet's `TemplateBody`).
pub const INLINE_TEMPLATE_LIMIT: usize = 51_200;

pub fn emit(plan: &Plan, sink: &dyn Sink) -> Emitted {
    let mut out = Emitted::default();
    let bodies = crate::parallel::map(&plan.shapes, |shape| member(plan, shape, sink));
    for (shape, b) in plan.shapes.iter().zip(&bodies) {
        if b.size.bytes > INLINE_TEMPLATE_LIMIT {
            let unit = &plan.units[shape.units[0]];
            out.oversized.push(Oversized {
                account: account_of(unit).to_owned(),
                region: shape.region.clone(),
                bytes: b.size.bytes,
                limit: INLINE_TEMPLATE_LIMIT,
            });
        }
    }
    // Each shape's StackSets, in the order of their stacks, and the stacks holding them.
    let mut homes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut holders: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    // The stack each unit output landed in, by unit and output: a split unit's outputs are
    // spread over its stacks, and a later unit's input must name the one that has it.
    let mut landed: HashMap<(String, String), String> = HashMap::new();
    for unit in plan.units.iter().filter(|u| u.target == Target::Management) {
        let members = if unit.name == plan.management().name {
            Members {
                shapes: &plan.shapes,
                bodies: &bodies,
            }
        } else {
            Members::NONE
        };
        let stacks = stacks(plan, unit, members, sink);
        let mut previous: Option<String> = None;
        for stack in stacks {
            let path = stack_path(&stack.name);
            for set in &stack.stack_sets {
                let shape = plan.shapes[set.shape].name.as_str();
                homes
                    .entry(shape)
                    .or_default()
                    .push(format!("{} in {path}", set.name));
                holders.entry(shape).or_default().push(stack.name.clone());
                out.stack_sets += 1;
            }
            for o in &stack.outputs {
                landed.insert((unit.name.clone(), o.clone()), stack.name.clone());
            }
            let mut e = entry(unit, path, stack.resources, &stack.parameters);
            e.name = stack.name;
            if let Some(imports) = stack.imports {
                e.files.extend(imports.files);
                e.notes.push(imports.note);
            }
            // A later stack of a split unit imports the exports of the earlier ones.
            e.after.extend(previous.replace(e.name.clone()));
            out.units.push(e);
        }
    }
    for e in &mut out.units {
        for i in &mut e.inputs {
            if let Some((unit, output)) = super::source_output(&i.source) {
                let stack = landed
                    .get(&(unit.to_owned(), output.to_owned()))
                    .unwrap_or_else(|| {
                        panic!("tarmac bug: {} reads no output {unit}.{output}", e.name)
                    });
                i.source = super::output_source(stack, output);
            }
        }
    }
    for (shape, b) in plan.shapes.iter().zip(&bodies) {
        let unit = &plan.units[shape.units[0]];
        let mut e = entry(unit, stack_path(&shape.name), b.resources, &BTreeSet::new());
        e.name = shape.name.clone();
        e.accounts = shape
            .units
            .iter()
            .map(|&u| account_of(&plan.units[u]).to_owned())
            .collect();
        // Its StackSets deploy it: listed after the stacks holding them.
        e.after = holders.remove(shape.name.as_str()).unwrap_or_default();
        let sets: Vec<&str> = homes
            .get(shape.name.as_str())
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default();
        e.notes = vec![format!(
            "Deployed to its {} account(s) by the StackSet(s) {}; this file is the template they \
                share, for review.",
            shape.units.len(),
            sets.join(", ")
        )];
        out.units.push(e);
    }
    super::layer(&mut out.units);
    out
}

/// What a shape's template and StackSets are.
fn shape_description(plan: &Plan, shape: &Shape) -> String {
    format!(
        "{} pilot landing zone: member-account baseline {}",
        plan.display_name, shape.name
    )
}

/// The file of a stack or of a shape's template.
fn stack_path(name: &str) -> String {
    format!("cloudformation/{name}.template.json")
}

/// The blueprint name of a member unit's account.
fn account_of(unit: &Unit) -> &str {
    match &unit.target {
        Target::Member(m) => &m.account,
        Target::Management => super::MANAGEMENT_ACCOUNT,
    }
}

/// A shape's template once written: its compact form as the JSON string literal a StackSet's
/// `TemplateBody` holds (escaped once, here, then copied as it is), and its size.
struct Body {
    literal: Arc<str>,
    size: BodySize,
    resources: usize,
}

/// Writes the template of a shape and returns its body.
fn member(plan: &Plan, shape: &Shape, sink: &dyn Sink) -> Body {
    let unit = &plan.units[shape.units[0]];
    let items = items(plan, unit, Members::NONE);
    let all: Vec<usize> = (0..items.len()).collect();
    let outputs: Vec<&Output> = unit.outputs.iter().collect();
    let description = format!(
        "{} (generated by tarmac; do not edit)",
        shape_description(plan, shape)
    );
    let template = template(
        plan,
        Part {
            unit,
            description: &description,
            lower: &Lowering::new(unit),
            items: &items,
            part: &all,
            outputs: &outputs,
            exports: &[],
            export_prefix: "",
            extra: Vec::new(),
        },
    );
    let literal = compact_literal(&template);
    super::put_pretty(sink, stack_path(&shape.name), &template);
    Body {
        size: BodySize::of(&literal),
        literal,
        resources: template
            .get("Resources")
            .and_then(Json::as_object)
            .map_or(0, Obj::len),
    }
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

/// The member shapes a management template deploys, with their bodies.
#[derive(Clone, Copy)]
struct Members<'a> {
    shapes: &'a [Shape],
    bodies: &'a [Body],
}

impl Members<'_> {
    const NONE: Members<'static> = Members {
        shapes: &[],
        bodies: &[],
    };
}

/// One item of a template: a plan resource, or one account's instance of its shape's StackSet.
/// Instances of one shape in one stack make one StackSet resource.
enum Item<'a> {
    Resource(&'a Resource),
    Instance { unit: &'a Unit, shape: usize },
}

impl Item<'_> {
    fn name(&self) -> Name {
        match self {
            Item::Resource(r) => r.name.clone(),
            Item::Instance { unit, .. } => Name::new(&["stack_set_instance", &unit.name]),
        }
    }

    fn values(&self) -> Vec<&Value> {
        match self {
            Item::Resource(r) => r.kind.values(),
            Item::Instance { unit, .. } => match &unit.target {
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
        // An instance is measured as its entry in the StackSet; the StackSet itself and its body
        // are reserved for in the limits (see `stacks`).
        let (body, resources) = match self {
            Item::Resource(r) => (resources::resource(plan, probe, r, &BTreeSet::new()), 1),
            Item::Instance { unit, .. } => (stack_sets::instance(probe, unit), 0),
        };
        // Pretty-printed, with headroom for imports that replace local references.
        let bytes = (super::pretty(&body).len() - 1) * 11 / 10 + name.pascal().len() + 16;
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
            resources,
            outputs,
            bytes,
            inputs,
        }
    }
}

/// The items of a unit's template: its resources, then the instances of `members`.
fn items<'a>(plan: &'a Plan, unit: &'a Unit, members: Members) -> Vec<Item<'a>> {
    let mut instances: Vec<(usize, usize)> = members
        .shapes
        .iter()
        .enumerate()
        .flat_map(|(s, shape)| shape.units.iter().map(move |&u| (u, s)))
        .collect();
    // In plan order: accounts in blueprint order, whatever their shapes.
    instances.sort_unstable();
    unit.resources
        .iter()
        .map(Item::Resource)
        .chain(instances.into_iter().map(|(u, shape)| Item::Instance {
            unit: &plan.units[u],
            shape,
        }))
        .collect()
}

/// The stacks of a unit, in deploy order, each put in the sink as soon as it is serialized. A
/// unit of more than 500 resources is split (see `split`); the first stack keeps the unit's name.
fn stacks(plan: &Plan, unit: &Unit, members: Members, sink: &dyn Sink) -> Vec<Stack> {
    let items = items(plan, unit, members);
    let probe = Lowering::new(unit);
    let mut readers: HashMap<&Name, usize> = HashMap::new();
    for o in &unit.outputs {
        for r in o.value.refs() {
            *readers.entry(&r.resource).or_default() += 1;
        }
    }
    let nodes: Vec<Node> = crate::parallel::map(&items, |item| item.node(plan, &probe, &readers));
    // Any stack may hold one StackSet per shape, with its body: room is kept for all of them.
    let mut limits = split::LIMITS;
    limits.resources -= members.shapes.len().min(limits.resources / 2);
    let bodies: usize = members.bodies.iter().map(|b| b.size.escaped + 1_000).sum();
    limits.bytes = limits.bytes.saturating_sub(bodies).max(limits.bytes / 4);
    let parts = split::parts(&nodes, limits);
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
    // Each output goes to the first stack where everything it reads exists. Found once per
    // output: a large organization has an output per account and a stack per hundred of them.
    let output_parts: Vec<usize> = unit
        .outputs
        .iter()
        .map(|o| {
            o.value
                .refs()
                .iter()
                .map(|r| part_of[&r.resource])
                .max()
                .unwrap_or(0)
        })
        .collect();
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
    for (o, &k) in unit.outputs.iter().zip(&output_parts) {
        need(k, vec![&o.value]);
    }
    // Once every item has its stack, the stacks are independent: build them in parallel.
    let indices: Vec<usize> = (0..parts.len()).collect();
    crate::parallel::map(&indices, |&k| {
        let lower = probe.stack(&part_of, &prefixes, k);
        let outputs: Vec<&Output> = unit
            .outputs
            .iter()
            .zip(&output_parts)
            .filter(|(_, &part)| part == k)
            .map(|(o, _)| o)
            .collect();
        let exported: Vec<Ref> = exports[k].values().cloned().collect();
        let (stack_sets, extra): (Vec<StackSetName>, Vec<(String, Json)>) =
            stack_sets::stack_sets(plan, &lower, members, &items, &parts[k], k)
                .into_iter()
                .map(|s| (s.name, (s.logical_id, s.resource)))
                .unzip();
        let t = template(
            plan,
            Part {
                unit,
                description: &format!("{} (generated by tarmac; do not edit)", unit.description),
                lower: &lower,
                items: &items,
                part: &parts[k],
                outputs: &outputs,
                exports: &exported,
                export_prefix: &prefixes[k],
                extra,
            },
        );
        super::put_pretty(sink, stack_path(&names[k]), &t);
        let adopted: Vec<&Resource> = parts[k]
            .iter()
            .filter_map(|&i| match &items[i] {
                Item::Resource(r) if adopted(r).is_some() => Some(*r),
                _ => None,
            })
            .collect();
        let imports = import_files(plan, &lower, &names[k], &adopted, sink);
        let keys = |section: &str| -> Vec<String> {
            t.get(section)
                .and_then(Json::as_object)
                .map(|o| o.iter().map(|(k, _)| k.to_owned()).collect())
                .unwrap_or_default()
        };
        Stack {
            name: names[k].clone(),
            parameters: keys("Parameters").into_iter().collect(),
            outputs: outputs.iter().map(|o| o.name.pascal()).collect(),
            resources: t
                .get("Resources")
                .and_then(Json::as_object)
                .map_or(0, Obj::len),
            stack_sets,
            imports,
        }
    })
}

/// The adoption of a resource that is an existing account taken over to be moved.
fn adopted(r: &Resource) -> Option<&Adoption> {
    match &r.kind {
        Kind::Account {
            adopted: Some(a), ..
        } => Some(a),
        _ => None,
    }
}

/// The files that import the existing accounts of a stack before the deployment that moves
/// them, and the note of the stack's manifest entry saying how; nothing when it has none.
///
/// CloudFormation moves an account of its own when `ParentIds` changes (the resource's update
/// handler calls MoveAccount, aws-cloudformation/aws-cloudformation-resource-providers-
/// organizations), but it cannot create an account that exists, and an import reads nothing
/// back: it takes the template's word for the resource
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html>
/// recommends drift detection for that reason). So the import template gives each account its
/// current parent, and the stack's next deployment, whose template gives it the OU, is the
/// move. An import change set may only add the imported resources
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html>),
/// hence a template of its own; AWS::Organizations::Account supports import
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html>).
fn import_files(
    plan: &Plan,
    lower: &Lowering,
    stack: &str,
    accounts: &[&Resource],
    sink: &dyn Sink,
) -> Option<Imports> {
    if accounts.is_empty() {
        return None;
    }
    let mut resources = Obj::new();
    let mut to_import = Vec::new();
    for r in accounts {
        let Some(a) = adopted(r) else { continue };
        let mut before = (*r).clone();
        if let Kind::Account { parent, .. } = &mut before.kind {
            *parent = Value::lit(&a.from);
        }
        before.depends_on.clear();
        let id = r.name.pascal();
        resources.insert(
            id.clone(),
            resources::resource(plan, lower, &before, &BTreeSet::new()),
        );
        to_import.push(json!({
            "ResourceType": "AWS::Organizations::Account",
            "LogicalResourceId": &id,
            "ResourceIdentifier": { "AccountId": &a.id },
        }));
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("{} pilot landing zone: existing accounts imported into stack \
            {stack} where they are now, before its deployment moves them (generated by tarmac; do \
                not edit)", plan.display_name),
        "Resources": Json::Obj(resources)
    });
    // Beside `cloudformation/`, which holds the stacks and the templates they deploy: these
    // files are used once, before a stack's deployment, and are no stack of their own.
    let template_path = format!("cloudformation-import/{stack}.template.json");
    let list_path = format!("cloudformation-import/{stack}.resources-to-import.json");
    let text = super::pretty(&template);
    // An import template is a template body too: inline only up to CloudFormation's limit.
    let body = if text.len() > INLINE_TEMPLATE_LIMIT {
        format!(
            "--template-url <{template_path} uploaded to an S3 bucket: it is above 51,200 bytes>"
        )
    } else {
        format!("--template-body file://{template_path}")
    };
    sink.put_text(template_path.clone(), &text);
    super::put_pretty(sink, list_path.clone(), &Json::Arr(to_import));
    let stack_name = format!("{}-{stack}", plan.client);
    let note = format!(
        "Before the first deployment of this stack that holds the existing account(s) {}, import \
            them where they are now: `aws cloudformation create-change-set --stack-name \
                {stack_name} --change-set-name import-existing-accounts --change-set-type IMPORT \
                    {body} --resources-to-import file://{list_path}`, then `aws cloudformation \
                        execute-change-set --stack-name {stack_name} --change-set-name \
                            import-existing-accounts` (READINESS.md, Deploy order). If the stack \
                                exists already, import with its deployed template (`aws \
                                    cloudformation get-template`) plus the resources of \
                                        {template_path} instead: an import may add nothing else. \
                                            The deployment that follows moves each account into \
                                                its OU before any StackSet deploys to it.",
        accounts
            .iter()
            .filter_map(|r| adopted(r).map(|a| format!("`{}`", a.id)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(Imports {
        files: vec![template_path, list_path],
        note,
    })
}

/// The import files of a stack and the note saying how to use them.
struct Imports {
    files: Vec<String>,
    note: String,
}

/// One stack of a unit, once written.
struct Stack {
    name: String,
    /// The parameters its template declares: the unit inputs it reads.
    parameters: BTreeSet<String>,
    /// The unit outputs placed in it, by logical id.
    outputs: Vec<String>,
    resources: usize,
    stack_sets: Vec<StackSetName>,
    /// How the existing accounts it moves are imported first, when it has any.
    imports: Option<Imports>,
}

/// A StackSet a stack holds: its shape and its name.
struct StackSetName {
    shape: usize,
    name: String,
}

/// The manifest entry of a management stack or of a shape's template; a stack lists the inputs
/// its template declares (`parameters`), as the source unit names them (the emitter then
/// names the stack that holds each output).
fn entry(
    unit: &Unit,
    path: String,
    resource_count: usize,
    parameters: &BTreeSet<String>,
) -> UnitEntry {
    // A shape's template is deployed to several accounts: the caller lists them.
    let (kind, account) = match &unit.target {
        Target::Management => ("stack", super::MANAGEMENT_ACCOUNT),
        Target::Member(_) => ("stack-set", "members"),
    };
    // Member inputs all have values: the StackSet passes them.
    let inputs = unit
        .inputs
        .iter()
        .filter(|i| i.default.is_none() && parameters.contains(&i.name.pascal()))
        .map(|i| InputEntry::deploy_time(i, i.name.pascal(), Name::pascal))
        .collect();
    UnitEntry {
        files: vec![path],
        inputs,
        resource_count,
        ..UnitEntry::new(unit, "cloudformation", kind, account)
    }
}

/// What one template of a unit holds: the items `part` of the unit, the unit outputs placed in
/// it, the exports later stacks import (under `export_prefix`), and the `extra` resources (its
/// StackSets).
struct Part<'a, 'p> {
    unit: &'p Unit,
    description: &'a str,
    lower: &'a Lowering<'p>,
    items: &'a [Item<'p>],
    part: &'a [usize],
    outputs: &'a [&'p Output],
    exports: &'a [Ref],
    export_prefix: &'a str,
    extra: Vec<(String, Json)>,
}

/// The template of a [`Part`]. A member unit's template stands for its shape: its parameters
/// have no defaults, each account's values are its StackSet instance's overrides.
fn template(plan: &Plan, t: Part) -> Json {
    let Part {
        unit,
        description,
        lower,
        items,
        part,
        outputs,
        exports,
        export_prefix,
        extra,
    } = t;
    let used: BTreeSet<&str> = part
        .iter()
        .filter(|&&i| matches!(items[i], Item::Resource(_)))
        .flat_map(|&i| items[i].values())
        .chain(outputs.iter().map(|o| &o.value))
        .flat_map(|v| v.inputs())
        .collect();
    let shared = matches!(unit.target, Target::Member(_));
    let mut parameters = Obj::new();
    for input in unit
        .inputs
        .iter()
        .filter(|i| used.contains(i.name.snake().as_str()))
    {
        let mut p = Obj::new();
        p.insert("Type", json!(parameter_type(input.ty)));
        p.insert("Description", &input.description);
        match &input.default {
            Some(d) if !shared => p.insert("Default", json!(d)),
            _ => {}
        }
        parameters.insert(input.name.pascal(), Json::Obj(p));
    }
    let local: BTreeSet<Name> = part.iter().map(|&i| items[i].name()).collect();
    let mut resources = Obj::new();
    for &i in part {
        if let Item::Resource(r) = &items[i] {
            resources.insert(r.name.pascal(), resources::resource(plan, lower, r, &local));
        }
    }
    for (id, resource) in extra {
        resources.insert(id, resource);
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
            json!({ "Description": "Read by a later stack of this \
                unit", "Value": lower.local(r), "Export": { "Name": name } }),
        );
    }
    let mut t = Obj::new();
    t.insert("AWSTemplateFormatVersion", json!("2010-09-09"));
    t.insert("Description", json!(description));
    if !parameters.is_empty() {
        t.insert("Parameters", Json::Obj(parameters));
    }
    t.insert("Resources", Json::Obj(resources));
    if !out.is_empty() {
        t.insert("Outputs", Json::Obj(out));
    }
    Json::Obj(t)
}

/// A parameter's type. Lists are comma-delimited: that is how a StackSet passes them.
fn parameter_type(ty: InputType) -> &'static str {
    match ty {
        InputType::Text => "String",
        InputType::Number => "Number",
        InputType::TextList => "CommaDelimitedList",
    }
}

#[cfg(test)]
mod tests {
    use super::BodySize;

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

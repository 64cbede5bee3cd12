//! Terraform JSON emitter: one root module per unit (`terraform/<unit>/main.tf.json`), and one
//! shared module per member [`Shape`] (`terraform/modules/<shape>/main.tf.json`).
//!
//! A module must plan on its own, so member-account modules never read the management module:
//! they take the account id as a variable (filled from the management module's output for new
//! accounts) and reach the account through a provider that assumes a role in it. A member's root
//! module holds only that provider and a call of its shape's module with the account's values;
//! the resources are in the shared module, so each account keeps its own state while a change to
//! the baseline changes one file. The provider constraint admits hashicorp/aws 5.100 (what offline
//! validation has) and 6.x, and only arguments present in both are used. What hashicorp/aws cannot
//! create (a Mantle project) is left out with a note in the manifest entry, never silently.

mod checkov;
mod resources;
mod values;

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use crate::json::{json, Json, Obj};

use super::{Emitted, InputEntry, Sink, UnitEntry};
use crate::plan::state::{Encryption, Locking, S3State};
use crate::plan::value::{Name, Value};
use crate::plan::{InputType, Kind, Lookup, Member, Plan, Resource, Shape, Target, Unit, Waiver};
use values::{escape, lit, lookup_source, resource_type, uses_account_id, Lowering};

/// The provider constraint: hashicorp/aws 5.100 up to, not including, 7.0.
pub const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 7.0";

/// The manifest's kind of every Terraform unit.
const ROOT_MODULE: &str = "root-module";

/// The name of the shape's module call in a member's root module.
const MEMBER_MODULE: &str = "member";

pub fn emit(plan: &Plan, sink: &dyn Sink) -> Emitted {
    // Modules are independent of each other: built in parallel.
    let shared = crate::parallel::map(&plan.shapes, |shape| {
        let path = shared_path(shape);
        let (module, lowered) = shared_module(plan, shape);
        super::put_pretty(sink, path, &module);
        lowered
    });
    let mut shape_of = vec![None; plan.units.len()];
    for (s, shape) in plan.shapes.iter().enumerate() {
        for &u in &shape.units {
            shape_of[u] = Some(s);
        }
    }
    // Units deployed from the home management module have no root module of their own.
    let guests: Vec<&Unit> = plan
        .units
        .iter()
        .filter(|u| u.terraform_alias().is_some())
        .collect();
    let home = plan.management().name.as_str();
    let indices: Vec<usize> = (0..plan.units.len())
        .filter(|&u| plan.units[u].terraform_alias().is_none())
        .collect();
    let built = crate::parallel::map(&indices, |&u| {
        let unit = &plan.units[u];
        let path = format!("terraform/{}/main.tf.json", unit.name);
        let (module, entry, waived) = match shape_of[u] {
            None if unit.name == home => management_module(plan, unit, &guests, &path, sink),
            None => management_module(plan, unit, &[], &path, sink),
            Some(s) => {
                let (module, entry) = member_root(plan, unit, &plan.shapes[s], &shared[s], &path);
                (module, entry, Vec::new())
            }
        };
        super::put_pretty(sink, path.clone(), &module);
        (entry, (path, waived))
    });
    let (mut units, mut waived): (Vec<_>, Vec<_>) = built.into_iter().unzip();
    super::layer(&mut units);
    waived.extend(
        plan.shapes
            .iter()
            .zip(shared)
            .map(|(shape, module)| (shared_path(shape), module.waived)),
    );
    // Files checkov cannot parse, and need not: they hold no resource.
    let unparsed: Vec<String> = units
        .iter()
        .flat_map(|u| &u.files)
        .filter(|f| f.ends_with("/imports.tf.json"))
        .cloned()
        .collect();
    checkov::emit(sink, waived, &unparsed);
    Emitted {
        units,
        ..Emitted::default()
    }
}

/// The file of a shape's shared module.
fn shared_path(shape: &Shape) -> String {
    format!("terraform/modules/{}/main.tf.json", shape.name)
}

/// Puts a resource's waivers first in its body, as a `"//"` comment in checkov's own skip syntax
/// (`checkov:skip=CKV_AWS_18: reason`), for the reviewer reading the module. checkov's
/// terraform_json parser does not read comments (3.3), so checkov applies the same waivers from
/// the baseline written beside the modules (`checkov.rs`).
fn with_waivers(body: Obj, waivers: &[Waiver]) -> Obj {
    if waivers.is_empty() {
        return body;
    }
    let lines: Vec<Json> = waivers
        .iter()
        .map(|w| json!(escape(&format!("checkov:skip={}: {}", w.check, w.reason))))
        .collect();
    let mut out = Obj::new();
    out.insert("//", Json::Arr(lines));
    for (k, v) in body.into_entries() {
        out.insert(k, v);
    }
    out
}

/// A unit's resources, outputs, variables and data sources as Terraform blocks, with the inputs
/// and notes of its manifest entry.
struct Lowered {
    resources: Blocks,
    outputs: Obj,
    /// The outputs kept, by name (some read what this target cannot create).
    output_names: Vec<String>,
    variables: Obj,
    data: Blocks,
    inputs: Vec<InputEntry>,
    notes: Vec<String>,
    /// The resources with waivers, for the checkov baseline.
    waived: Vec<Waived>,
}

/// A Terraform resource of a module with the waivers of the plan resource it lowers.
struct Waived {
    tf_type: &'static str,
    label: String,
    /// The first of the resources a plan resource lowers to, the one its waivers are about (the
    /// bucket, not its versioning).
    primary: bool,
    waivers: Vec<Waiver>,
}

/// Which module a unit is lowered into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Module {
    /// A root module: inputs the blueprint knows are variables with those defaults.
    Root,
    /// A member shape's shared module: every input is a variable without a default, of its
    /// own type; each account's root module passes its values.
    Shared,
}

/// Lowers a unit with the `guests` its root module deploys too (`Unit::terraform_alias`):
/// their resources and data sources go through the guest's aliased provider, and their inputs
/// that read the unit's own outputs become those outputs' values.
fn lower_module(unit: &Unit, guests: &[&Unit], module: Module) -> Lowered {
    let l = Lowering::hosting(unit, guests);
    let parts: Vec<(&Unit, Option<String>)> = std::iter::once((unit, None))
        .chain(
            guests
                .iter()
                .map(|g| (*g, g.terraform_alias().map(|a| format!("aws.{a}")))),
        )
        .collect();
    let mut skipped = BTreeSet::new();
    let mut notes = Vec::new();
    for (u, _) in &parts {
        let (s, n) = self::skipped(u);
        skipped.extend(s);
        notes.extend(n);
    }
    let kept: Vec<_> = parts
        .iter()
        .flat_map(|(u, provider)| u.resources.iter().map(move |r| (r, provider)))
        .filter(|(r, _)| !skipped.contains(&r.name))
        .collect();

    let (resources, waived) = lower_resources(&l, &kept, &skipped, &mut notes);
    let mut outputs = Obj::new();
    let mut output_names = Vec::new();
    let mut output_values = Vec::new();
    for o in parts.iter().flat_map(|(u, _)| &u.outputs) {
        if let Some(missing) = o
            .value
            .refs()
            .into_iter()
            .find(|r| skipped.contains(&r.resource))
        {
            notes.push(format!(
                "Output `{}` is left out: it reads `{}`, which this module does not create.",
                o.name.snake(),
                missing.resource
            ));
            continue;
        }
        output_values.push(&o.value);
        output_names.push(o.name.snake());
        outputs.insert(
            o.name.snake(),
            json!({ "value": l.value(&o.value), "description": &o.description }),
        );
    }

    let (variables, mut data, inputs) = lower_inputs(&l, &parts, module);
    let reads_account_id = kept
        .iter()
        .flat_map(|(r, _)| r.kind.values())
        .chain(output_values)
        .any(uses_account_id);
    if reads_account_id {
        data.insert("aws_caller_identity", String::from("current"), json!({}));
    }
    Lowered {
        resources,
        outputs,
        output_names,
        variables,
        data,
        inputs,
        notes,
        waived,
    }
}

/// The variables, data sources (principal lookups, each with the provider of its unit) and
/// manifest inputs of the inputs of `parts`; inputs a guest reads from its host are values.
fn lower_inputs(
    l: &Lowering,
    parts: &[(&Unit, Option<String>)],
    module: Module,
) -> (Obj, Blocks, Vec<InputEntry>) {
    let mut variables = Obj::new();
    let mut data = Blocks::default();
    let mut inputs = Vec::new();
    for (input, provider) in parts
        .iter()
        .flat_map(|(u, provider)| u.inputs.iter().map(move |i| (i, provider)))
    {
        let name = input.name.snake();
        if l.substituted(&name) {
            continue;
        }
        if let Some(lookup) = &input.lookup {
            let (ty, _) = lookup_source(lookup);
            let Json::Obj(mut body) = lookup_body(lookup) else {
                unreachable!("a data source's body is an object")
            };
            if let Some(p) = provider {
                body.insert("provider", json!(p));
            }
            data.insert(ty, name.clone(), Json::Obj(body));
            inputs.push(InputEntry {
                name,
                description: input.description.clone(),
                source: String::from("lookup"),
            });
            continue;
        }
        // Variable defaults and descriptions are literal, not templates: no escaping.
        let mut v = Obj::new();
        v.insert("type", json!(variable_type(input.ty)));
        v.insert("description", &input.description);
        match &input.default {
            _ if module == Module::Shared => {}
            Some(d) => {
                v.insert("default", argument(input.ty, d));
            }
            None => inputs.push(InputEntry::deploy_time(input, name.clone(), Name::snake)),
        }
        variables.insert(name, Json::Obj(v));
    }
    (variables, data, inputs)
}

/// The Terraform blocks of the `kept` resources (each with the provider of its unit), and those
/// with waivers; a dependency on a `skipped` resource is dropped with a note.
fn lower_resources(
    l: &Lowering,
    kept: &[(&Resource, &Option<String>)],
    skipped: &BTreeSet<Name>,
    notes: &mut Vec<String>,
) -> (Blocks, Vec<Waived>) {
    let mut resources = Blocks::default();
    let mut waived = Vec::new();
    for (r, provider) in kept {
        let mut depends_on = Vec::new();
        for d in &r.depends_on {
            match l.address(d).filter(|_| !skipped.contains(d)) {
                Some(address) => depends_on.push(address),
                None => notes.push(format!(
                    "`{}` is created without waiting for `{d}`, which this module does not create: \
                     create `{d}` before applying this module.",
                    r.name
                )),
            }
        }
        for extra in resources::implied_dependencies(l, r) {
            if !depends_on.contains(&extra) {
                depends_on.push(extra);
            }
        }
        for (i, mut tf) in resources::lower(l, r, depends_on).into_iter().enumerate() {
            if let Some(p) = provider {
                tf.body.insert("provider", json!(p));
            }
            let label = resources.insert(
                tf.tf_type,
                tf.label,
                Json::Obj(with_waivers(tf.body, &r.waivers)),
            );
            if !r.waivers.is_empty() {
                waived.push(Waived {
                    tf_type: tf.tf_type,
                    label,
                    primary: i == 0,
                    waivers: r.waivers.clone(),
                });
            }
        }
    }
    (resources, waived)
}

/// A variable's type.
fn variable_type(ty: InputType) -> &'static str {
    match ty {
        InputType::Text => "string",
        InputType::Number => "number",
        InputType::TextList => "list(string)",
    }
}

/// An input's value as a literal of its type (a list is given comma-separated; a number is the
/// planner's own text of it).
fn argument(ty: InputType, value: &str) -> Json {
    match ty {
        InputType::Text => json!(value),
        InputType::Number => Json::Raw(Arc::from(value)),
        InputType::TextList => Json::Arr(value.split(',').map(|v| json!(v)).collect()),
    }
}

/// The comment and `terraform` block every module starts with. A root module (`root`, its unit's
/// name) also gets the plan's state backend; a shared module has its callers' state and must
/// not declare one (Terraform ignores a backend outside the root module, with a warning).
fn header(plan: &Plan, root: Option<&str>) -> Obj {
    let mut module = Obj::new();
    module.insert(
        "//",
        json!(format!(
            "Generated by tarmac from the {} blueprint. Do not edit: change the blueprint and \
                synthesize again.",
            plan.client
        )),
    );
    // No `required_version`: checkov's terraform_json parser (3.3.30) fails on any scalar in this
    // block and then scans nothing, and every Terraform that reads JSON configuration and
    // hashicorp/aws 5.100 is recent enough for these modules.
    let mut terraform = Obj::new();
    terraform.insert(
        "required_providers",
        json!({ "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION } }),
    );
    if let (Some(unit), Some(state)) = (root, &plan.backend) {
        terraform.insert("backend", json!({ "s3": s3_backend(state, unit) }));
    }
    module.insert("terraform", Json::Obj(terraform));
    module
}

/// The S3 backend block of a root module, in the arguments of Terraform's `s3` backend
/// (<https://developer.hashicorp.com/terraform/language/backend/s3>). The values are literal:
/// a backend block takes no expressions, and the checks admit no `$` in any of them.
/// `use_lockfile` is written only when on: Terraform before 1.10, which the table-only locking
/// is for, refuses the argument.
fn s3_backend(state: &S3State, unit: &str) -> Json {
    let mut s3 = Obj::new();
    s3.insert("bucket", json!(&state.bucket));
    s3.insert("key", json!(state.key(unit)));
    s3.insert("region", json!(&state.region));
    s3.insert("encrypt", json!(true));
    if let Encryption::Kms(arn) = &state.encryption {
        s3.insert("kms_key_id", json!(arn));
    }
    match &state.locking {
        Locking::Lockfile => {
            s3.insert("use_lockfile", json!(true));
        }
        Locking::LockfileAndTable(table) => {
            s3.insert("use_lockfile", json!(true));
            s3.insert("dynamodb_table", json!(table));
        }
        Locking::Table(table) => {
            s3.insert("dynamodb_table", json!(table));
        }
    }
    Json::Obj(s3)
}

/// The root module of a management unit, with the `guests` it deploys through their aliased
/// providers, and its manifest entry.
fn management_module(
    plan: &Plan,
    unit: &Unit,
    guests: &[&Unit],
    path: &str,
    sink: &dyn Sink,
) -> (Json, UnitEntry, Vec<Waived>) {
    let lowered = lower_module(unit, guests, Module::Root);
    let resource_count = lowered.resources.len();
    let providers = std::iter::once(provider(plan, unit, None))
        .chain(
            guests
                .iter()
                .map(|g| provider(plan, g, g.terraform_alias())),
        )
        .collect();
    let root = document(
        plan,
        Some(&unit.name),
        providers,
        lowered.variables,
        lowered.data,
        lowered.resources,
        lowered.outputs,
    );
    let imports = imports(unit);
    let mut notes = lowered.notes;
    let mut files = vec![path.to_owned()];
    if !imports.is_empty() {
        // A file of its own: checkov's terraform_json parser (3.3.30) reads every block type
        // as labelled and fails on the whole file at `import`, whose arguments are scalars;
        // the checkov configuration skips this file, which holds no resource to scan.
        let file = imports_path(&unit.name);
        let mut doc = Obj::new();
        doc.insert(
            "//",
            json!(format!(
                "Generated by tarmac from the {} blueprint. Do not edit: change the blueprint and \
                    synthesize again. Existing accounts this module adopts and moves into their \
                        OUs on its first apply (Terraform 1.5 or later).",
                plan.client
            )),
        );
        doc.insert("import", Json::Arr(imports));
        super::put_pretty(sink, file.clone(), &Json::Obj(doc));
        notes.push(format!(
            "Imports existing accounts ({file}: `import` blocks, Terraform 1.5 or later) and moves \
                each into its OU on apply; their name, email and tags stay as they are."
        ));
        files.push(file);
    }
    let entry = UnitEntry {
        files,
        inputs: lowered.inputs,
        notes,
        resource_count,
        ..UnitEntry::new(unit, "terraform", ROOT_MODULE, super::MANAGEMENT_ACCOUNT)
    };
    (root, entry, lowered.waived)
}

/// The file of a management root's `import` blocks, beside its `main.tf.json`.
fn imports_path(unit: &str) -> String {
    format!("terraform/{unit}/imports.tf.json")
}

/// The `import` blocks of the existing accounts a management unit adopts to move them: the
/// first apply takes each into the state by its id, then moves it to its `parent_id`
/// (<https://developer.hashicorp.com/terraform/language/import>; Terraform 1.5 or later).
fn imports(unit: &Unit) -> Vec<Json> {
    unit.resources
        .iter()
        .filter_map(|r| match &r.kind {
            Kind::Account {
                adopted: Some(a), ..
            } => Some(json!({
                "to": format!("aws_organizations_account.{}", r.name.snake()),
                "id": &a.id
            })),
            _ => None,
        })
        .collect()
}

/// A module with its blocks in Terraform's usual order, after the header: the provider (a root
/// module's; a shared module has its caller's), variables, data sources, resources, outputs.
/// `root` is the unit's name in a root module, `None` in a shared module.
fn document(
    plan: &Plan,
    root: Option<&str>,
    providers: Vec<Json>,
    variables: Obj,
    data: Blocks,
    resources: Blocks,
    outputs: Obj,
) -> Json {
    let mut module = header(plan, root);
    if !providers.is_empty() {
        module.insert("provider", json!({ "aws": Json::Arr(providers) }));
    }
    if !variables.is_empty() {
        module.insert("variable", Json::Obj(variables));
    }
    if !data.is_empty() {
        module.insert("data", data.into_json());
    }
    module.insert("resource", resources.into_json());
    if !outputs.is_empty() {
        module.insert("output", Json::Obj(outputs));
    }
    Json::Obj(module)
}

/// What member root modules need of their shape's module.
struct SharedModule {
    resource_count: usize,
    /// The module's outputs, with their descriptions: each root passes them on.
    outputs: Vec<(String, String)>,
    notes: Vec<String>,
    waived: Vec<Waived>,
}

/// The shared module of a shape: the resources of its first unit, every input a variable.
fn shared_module(plan: &Plan, shape: &Shape) -> (Json, SharedModule) {
    let unit = &plan.units[shape.units[0]];
    let lowered = lower_module(unit, &[], Module::Shared);
    let resource_count = lowered.resources.len();
    let module = document(
        plan,
        None,
        Vec::new(),
        lowered.variables,
        lowered.data,
        lowered.resources,
        lowered.outputs,
    );
    let outputs = unit
        .outputs
        .iter()
        .filter(|o| lowered.output_names.contains(&o.name.snake()))
        .map(|o| (o.name.snake(), o.description.clone()))
        .collect();
    let shared = SharedModule {
        resource_count,
        outputs,
        notes: lowered.notes,
        waived: lowered.waived,
    };
    (module, shared)
}

/// The root module of a member unit: the provider reaching its account, and a call of its shape's
/// module with the account's values; the module's outputs are passed on.
fn member_root(
    plan: &Plan,
    unit: &Unit,
    shape: &Shape,
    shared: &SharedModule,
    path: &str,
) -> (Json, UnitEntry) {
    let Target::Member(m) = &unit.target else {
        unreachable!("shapes hold member units")
    };
    let mut inputs = Vec::new();
    let mut variables = Obj::new();
    variables.insert("account_id", account_variable(plan, m, &mut inputs));
    let mut call = Obj::new();
    call.insert("source", json!(format!("../modules/{}", shape.name)));
    for input in &unit.inputs {
        if let Some(value) = &input.default {
            call.insert(input.name.snake(), argument(input.ty, &escape(value)));
        }
    }
    let mut outputs = Obj::new();
    for (name, description) in &shared.outputs {
        outputs.insert(
            name.clone(),
            json!({
                "value": format!("${{module.{MEMBER_MODULE}.{name}}}"),
                "description": description,
            }),
        );
    }
    let mut root = header(plan, Some(&unit.name));
    root.insert("provider", json!({ "aws": [provider(plan, unit, None)] }));
    root.insert("variable", Json::Obj(variables));
    let mut module = Obj::new();
    module.insert(MEMBER_MODULE, Json::Obj(call));
    root.insert("module", Json::Obj(module));
    if !outputs.is_empty() {
        root.insert("output", Json::Obj(outputs));
    }
    let entry = UnitEntry {
        account_id: m.known_id.clone(),
        files: vec![path.to_owned(), shared_path(shape)],
        inputs,
        notes: shared.notes.clone(),
        resource_count: shared.resource_count,
        ..UnitEntry::new(unit, "terraform", ROOT_MODULE, &m.account)
    };
    (Json::Obj(root), entry)
}

/// Resources this target cannot create, and resources that read them (they could not be
/// configured), each with a note saying what to do instead.
fn skipped(unit: &Unit) -> (BTreeSet<Name>, Vec<String>) {
    let mut skipped = BTreeSet::new();
    let mut notes = Vec::new();
    loop {
        let before = skipped.len();
        for r in &unit.resources {
            if skipped.contains(&r.name) {
                continue;
            }
            let note = match &r.kind {
                Kind::MantleProject { name } => Some(format!(
                    "Mantle project `{name}` is not created: hashicorp/aws has no resource for \
                     AWS::BedrockMantle::Project (terraform-provider-aws issue #49543). Create it \
                     in this account and region with the hashicorp/awscc provider \
                     (awscc_bedrockmantle_project) or a CloudFormation stack holding only that \
                     project (see the CloudFormation template this account's shape shares)."
                )),
                kind if resource_type(kind).is_none() => Some(format!(
                    "`{}` is not created: hashicorp/aws has no resource for it.",
                    r.name
                )),
                kind => kind
                    .values()
                    .into_iter()
                    .flat_map(Value::refs)
                    .find(|x| skipped.contains(&x.resource))
                    .map(|x| {
                        format!(
                            "`{}` is not created: it reads `{}`, which this module does not \
                                create.",
                            r.name, x.resource
                        )
                    }),
            };
            if let Some(note) = note {
                skipped.insert(r.name.clone());
                notes.push(note);
            }
        }
        if skipped.len() == before {
            return (skipped, notes);
        }
    }
}

/// The provider: the unit's region, an assumed role in member accounts, the blueprint's tags as
/// default tags (so no resource carries its own); `alias` names it, for a unit deployed from
/// another unit's module.
fn provider(plan: &Plan, unit: &Unit, alias: Option<&str>) -> Json {
    let mut provider = Obj::new();
    if let Some(alias) = alias {
        // Literal, like `version`: Terraform reads no expression here.
        provider.insert("alias", json!(alias));
    }
    provider.insert("region", lit(&unit.region));
    if let Target::Member(m) = &unit.target {
        provider.insert(
            "assume_role",
            json!({
                "role_arn":
                    format!("arn:aws:iam::${{var.account_id}}:role/{}", escape(&m.role_name)),
            }),
        );
    }
    if !plan.tags.is_empty() {
        let tags: Obj = plan.tags.iter().map(|(k, v)| (k.clone(), lit(v))).collect();
        provider.insert("default_tags", json!({ "tags": tags }));
    }
    Json::Obj(provider)
}

/// The `account_id` variable of a member module, and its manifest input when it has no default.
fn account_variable(plan: &Plan, m: &Member, inputs: &mut Vec<InputEntry>) -> Json {
    let mut v = Obj::new();
    v.insert("type", json!("string"));
    match &m.known_id {
        Some(id) => {
            v.insert("description", json!(format!("Id of account {}", m.account)));
            v.insert("default", json!(id));
        }
        None => {
            // The management unit that creates the account exports its id.
            let output = Name::new(&["account_id", &m.account]);
            // Accounts are created by the management unit of the home region.
            let source = plan.management();
            v.insert(
                "description",
                json!(format!(
                    "Id of account {}: the output {} of the {} module",
                    m.account,
                    output.snake(),
                    source.name
                )),
            );
            inputs.push(InputEntry {
                name: String::from("account_id"),
                description: format!("Id of account {}", m.account),
                source: super::output_source(&source.name, &output.snake()),
            });
        }
    }
    v.insert(
        "validation",
        json!({
            "condition": "${can(regex(\"^[0-9]{12}$\", var.account_id))}",
            "error_message": "account_id must be a 12-digit AWS account id."
        }),
    );
    Json::Obj(v)
}

/// The data source finding an Identity Center principal by its unique name.
fn lookup_body(lookup: &Lookup) -> Json {
    let (store, path, value) = match lookup {
        Lookup::Group {
            identity_store_id,
            display_name,
        } => (identity_store_id, "DisplayName", display_name),
        Lookup::User {
            identity_store_id,
            user_name,
        } => (identity_store_id, "UserName", user_name),
    };
    // `alternate_identifier`, not the `filter` block hashicorp/aws 5.100 marks deprecated.
    json!({
        "identity_store_id": lit(store),
        "alternate_identifier": {
            "unique_attribute": { "attribute_path": path, "attribute_value": lit(value) }
        }
    })
}

/// Labelled blocks grouped by type, types in order of first appearance, labels in insertion order.
#[derive(Default)]
struct Blocks {
    types: Obj,
    /// Every `type.label` so far. A management module of a large organization has thousands of
    /// blocks of one type: labels are looked up here, not in the objects.
    taken: HashSet<String>,
}

impl Blocks {
    /// Adds a block. Labels derive from unique plan names; should two ever meet, the later one is
    /// suffixed rather than silently replacing the earlier.
    /// Returns the label used.
    fn insert(&mut self, ty: &str, label: String, body: Json) -> String {
        let mut unique = label.clone();
        let mut n = 1;
        while !self.taken.insert(format!("{ty}.{unique}")) {
            n += 1;
            unique = format!("{label}_{n}");
        }
        self.types.object(ty).insert(unique.clone(), body);
        unique
    }

    fn len(&self) -> usize {
        self.taken.len()
    }

    fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    fn into_json(self) -> Json {
        Json::Obj(self.types)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // Modules are read back as serde_json values, as Terraform would read them.
    use crate::plan::policy::PolicyDocument;
    use crate::plan::value::{join, Attr};
    use crate::plan::{Output, Resource};
    use serde_json::{json, Value as Json};

    fn resource(name: &[&str], kind: Kind) -> Resource {
        Resource {
            name: Name::new(name),
            kind,
            depends_on: vec![],
            waivers: vec![],
        }
    }

    fn plan(tags: bool) -> Plan {
        let account = Name::new(&["account", "pilot"]);
        let project = Name::new(&["mantle_project", "evals"]);
        let management = Unit {
            name: "management".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            inputs: vec![],
            resources: vec![resource(
                &["account", "pilot"],
                Kind::Account {
                    name: "pilot".into(),
                    email: "aws@example.com".into(),
                    parent: Value::lit("r-ab12"),
                    role_name: None,
                    adopted: None,
                    close_on_deletion: false,
                },
            )],
            outputs: vec![Output {
                name: Name::new(&["account_id", "pilot"]),
                description: "Id of account pilot".into(),
                value: Value::reference(&account, Attr::AccountId),
            }],
        };
        let member = Unit {
            name: "pilot-us-east-1".into(),
            description: String::new(),
            target: Target::Member(Member {
                account: "pilot".into(),
                account_id: Value::reference(&account, Attr::AccountId),
                ou_id: Value::lit("r-ab12"),
                known_id: None,
                role_name: "OrganizationAccountAccessRole".into(),
            }),
            region: "us-east-1".into(),
            inputs: vec![],
            resources: vec![
                resource(
                    &["alerts_key"],
                    Kind::KmsKey(crate::plan::KmsKey {
                        description: "k".into(),
                        policy: PolicyDocument::new(vec![]),
                        settings: crate::plan::audit::TRAIL_KEY,
                    }),
                ),
                resource(
                    &["mantle_project", "evals"],
                    Kind::MantleProject {
                        name: "evals".into(),
                    },
                ),
            ],
            outputs: vec![
                Output {
                    name: Name::new(&["mantle_project", "evals", "arn"]),
                    description: String::new(),
                    value: Value::reference(&project, Attr::Arn),
                },
                Output {
                    name: Name::new(&["root"]),
                    description: String::new(),
                    value: join([
                        Value::lit("arn:aws:iam::"),
                        Value::AccountId,
                        Value::lit(":root"),
                    ]),
                },
            ],
        };
        let units = vec![management, member];
        Plan {
            client: "acme".into(),
            display_name: "Acme".into(),
            catalog_version: 1,
            shapes: crate::plan::shapes(&units),
            units,
            tags: if tags {
                [("owner".to_owned(), "platform".to_owned())].into()
            } else {
                Default::default()
            },
            backend: None,
        }
    }

    /// The modules as JSON, the emitter's result and the paths written, in path order.
    fn modules(plan: &Plan) -> (Vec<Json>, Emitted, Vec<String>) {
        let files = crate::emit::Collect::default();
        let e = emit(plan, &files);
        let files = files.into_sorted();
        let json = files
            .iter()
            .map(|f| serde_json::from_str(&f.contents).unwrap())
            .collect();
        (json, e, files.into_iter().map(|f| f.path).collect())
    }

    #[test]
    fn modules_have_a_fixed_shape() {
        let (m, _, paths) = modules(&plan(true));
        assert_eq!(
            paths,
            [
                "terraform/management/main.tf.json",
                "terraform/modules/members-us-east-1/main.tf.json",
                "terraform/pilot-us-east-1/main.tf.json"
            ]
        );
        let keys = |j: &Json| j.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&m[0]),
            ["//", "terraform", "provider", "resource", "output"]
        );
        // The member's shared module: resources, no provider (its caller's).
        assert_eq!(
            keys(&m[1]),
            ["//", "terraform", "data", "resource", "output"]
        );
        // The member's root module: the provider and the call.
        assert_eq!(
            keys(&m[2]),
            [
                "//",
                "terraform",
                "provider",
                "variable",
                "module",
                "output"
            ]
        );
        assert_eq!(m[1]["terraform"], m[0]["terraform"]);
        assert_eq!(
            m[0]["//"],
            "Generated by tarmac from the acme blueprint. Do not edit: change the blueprint and \
                synthesize again."
        );
        assert_eq!(
            m[0]["terraform"]["required_providers"]["aws"],
            json!({ "source": "hashicorp/aws", "version": ">= 5.100, < 7.0" })
        );
        assert_eq!(
            m[0]["provider"],
            json!({
                "aws": [{
                    "region": "us-east-1",
                    "default_tags": { "tags": { "owner": "platform" } }
                }],
            })
        );
        // Default tags only: no resource carries its own.
        assert!(
            m[0]["resource"]["aws_organizations_account"]["account_pilot"]
                .get("tags")
                .is_none()
        );
        assert_eq!(
            m[0]["output"]["account_id_pilot"],
            json!({ "value": "${aws_organizations_account.account_pilot.id}", "description": "Id \
                of account pilot" })
        );
        // The management module does not read its account id, so it declares no caller identity.
        assert!(m[0].get("data").is_none());
        assert!(modules(&plan(false)).0[0]["provider"]["aws"][0]
            .get("default_tags")
            .is_none());
    }

    #[test]
    fn member_modules_assume_a_role_in_an_account_given_as_a_variable() {
        let (m, e, _) = modules(&plan(true));
        let member = &m[2];
        assert_eq!(
            member["module"]["member"]["source"],
            "../modules/members-us-east-1"
        );
        assert_eq!(
            member["provider"]["aws"][0]["assume_role"]["role_arn"],
            "arn:aws:iam::${var.account_id}:role/OrganizationAccountAccessRole"
        );
        let var = &member["variable"]["account_id"];
        assert!(
            var.get("default").is_none(),
            "a new account's id is known only after the management module"
        );
        assert!(var["description"]
            .as_str()
            .unwrap()
            .contains("account_id_pilot"));
        let entry = &e.units[1];
        assert_eq!(
            (entry.target, entry.kind, entry.account.as_str()),
            ("terraform", "root-module", "pilot")
        );
        assert_eq!(entry.inputs.len(), 1);
        assert_eq!(entry.inputs[0].name, "account_id");
        assert_eq!(entry.inputs[0].source, "output:management.account_id_pilot");
        assert_eq!(
            m[1]["data"],
            json!({ "aws_caller_identity": { "current": {} } })
        );
        assert_eq!(
            entry.files,
            [
                "terraform/pilot-us-east-1/main.tf.json",
                "terraform/modules/members-us-east-1/main.tf.json"
            ]
        );

        let mut known = plan(true);
        if let Target::Member(m) = &mut known.units[1].target {
            m.known_id = Some("111122223333".into());
        }
        let (m, e, _) = modules(&known);
        assert_eq!(m[2]["variable"]["account_id"]["default"], "111122223333");
        assert!(e.units[1].inputs.is_empty());
        assert_eq!(e.units[1].account_id.as_deref(), Some("111122223333"));
    }

    #[test]
    fn mantle_projects_are_left_out_with_notes() {
        let (m, e, _) = modules(&plan(true));
        let member = &m[1];
        assert_eq!(
            member["resource"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["aws_kms_key"]
        );
        assert!(member["output"].get("mantle_project_evals_arn").is_none());
        assert_eq!(
            m[2]["output"]["root"]["value"], "${module.member.root}",
            "the root module passes the shared module's outputs on"
        );
        assert!(m[2]["output"].get("mantle_project_evals_arn").is_none());
        assert_eq!(
            member["output"]["root"]["value"],
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
        );
        let notes = &e.units[1].notes;
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("#49543") && notes[0].contains("awscc_bedrockmantle_project"));
        assert!(notes[1].contains("mantle_project_evals_arn"));
        assert_eq!(e.units[1].resource_count, 1);
        assert_eq!(e.units[0].resource_count, 1);
    }
}

//! The whole pipeline for one blueprint: text in, diagnostics out, and files into a sink (the CLI's
//! staging folder, or memory): load → checks → resolve → plan → emit. The CLI, the tests and the
//! benchmarks all go through here.

use crate::blueprint::load::load;
use crate::blueprint::pointer::Ptr;
use crate::catalog::Catalog;
use crate::diagnostics::{has_errors, Diagnostic, SourceFile};
use crate::emit::{self, Collect, OutFile, Sink};
use crate::plan;
use crate::resolve::resolve;
use crate::rollout::Templates;

/// Which targets to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Targets {
    Cloudformation,
    Terraform,
    All,
}

/// A successful compilation whose files went to a sink.
#[derive(Debug)]
pub struct Outcome {
    /// The client slug: output goes under `<out>/<client>/`.
    pub client: String,
    /// Warnings (no errors) found on the way.
    pub warnings: Vec<Diagnostic>,
    /// What was made, for the summary of a run over many clients.
    pub summary: Summary,
}

/// The size of one client's output: pilot accounts, CloudFormation units (stacks and
/// StackSets) and Terraform root modules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub accounts: usize,
    pub stacks: usize,
    pub modules: usize,
}

/// A successful compilation, with its files in memory.
#[derive(Debug)]
pub struct Compiled {
    /// The client slug: output goes under `<out>/<client>/`.
    pub client: String,
    /// Files relative to the client folder, in a stable order.
    pub files: Vec<OutFile>,
    /// Warnings (no errors) found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Why a compilation failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The blueprint has errors (and maybe warnings): exit code 1.
    #[error("the blueprint has {} diagnostic(s)", .0.len())]
    Blueprint(Vec<Diagnostic>),
    /// tarmac built a plan that breaks its own invariants: a bug, reported as such.
    #[error("tarmac built an inconsistent plan: {0}")]
    Internal(String),
    /// A rollout-kit template could not be rendered (an override that names a missing value).
    #[error(transparent)]
    Template(#[from] crate::rollout::TemplateError),
}

/// Loads, checks, plans and emits one blueprint, with the built-in rollout templates.
pub fn compile(file: &SourceFile, targets: Targets) -> Result<Compiled, Failure> {
    compile_with(file, targets, None)
}

/// Loads, checks, plans and emits one blueprint into memory, rendering the rollout kit with
/// `templates`, or with the built-in ones when `None`.
pub fn compile_with(
    file: &SourceFile,
    targets: Targets,
    templates: Option<&Templates>,
) -> Result<Compiled, Failure> {
    let files = Collect::default();
    let outcome = compile_into(file, targets, templates, &files)?;
    Ok(Compiled {
        client: outcome.client,
        files: files.into_sorted(),
        warnings: outcome.warnings,
    })
}

/// Loads, checks, plans and emits one blueprint, putting each file in `sink` as soon as it is
/// made. The built-in templates (`templates: None`) are compiled only once the kit needs them,
/// so that the CLI can compile them on another thread meanwhile. On failure the sink may hold
/// some files: the caller discards them.
pub fn compile_into(
    file: &SourceFile,
    targets: Targets,
    templates: Option<&Templates>,
    sink: &dyn Sink,
) -> Result<Outcome, Failure> {
    let catalog = Catalog::get();
    let blueprint = load(file).map_err(Failure::Blueprint)?;
    let diagnostics = crate::checks::check(&blueprint, catalog);
    if has_errors(&diagnostics) {
        return Err(Failure::Blueprint(diagnostics));
    }
    let resolved = resolve(&blueprint, catalog).map_err(|errors| {
        Failure::Blueprint(diagnostics.iter().cloned().chain(errors).collect())
    })?;
    let plan = plan::build(&resolved, catalog);
    plan.verify().map_err(Failure::Internal)?;
    let sink = &emit::Recorded::new(sink);
    sink.begin(&plan.client);
    // Each emitter spreads its own work over the cores; running them one after the other keeps
    // their memory peaks apart.
    let mut units = Vec::new();
    if matches!(targets, Targets::Cloudformation | Targets::All) {
        let e = emit::cloudformation::emit(&plan, sink);
        if !e.oversized.is_empty() {
            return Err(Failure::Blueprint(
                e.oversized
                    .iter()
                    .map(|o| oversized(&blueprint, o))
                    .collect(),
            ));
        }
        if let Some(over) = stack_set_quota(file, &blueprint, e.stack_sets) {
            return Err(Failure::Blueprint(vec![over]));
        }
        units.extend(e.units);
    }
    if matches!(targets, Targets::Terraform | Targets::All) {
        units.extend(emit::terraform::emit(&plan, sink).units);
    }
    // The plan is done with: the manifest reads the unit entries, the kit the blueprint.
    // Freeing it first keeps the peak low.
    let client = plan.client.clone();
    drop(plan);
    let summary = Summary {
        accounts: blueprint.accounts.len(),
        stacks: units
            .iter()
            .filter(|u| u.target == "cloudformation")
            .count(),
        modules: units.iter().filter(|u| u.target == "terraform").count(),
    };
    // The kit names the blueprint by its file name only, so output does not depend on where
    // the blueprint was read from.
    let file_name = std::path::Path::new(&file.name)
        .file_name()
        .map_or(file.name.clone(), |n| n.to_string_lossy().into_owned());
    crate::rollout::render(
        &resolved,
        catalog,
        &file_name,
        &units,
        &diagnostics,
        match templates {
            Some(t) => t,
            None => Templates::embedded(),
        },
        sink,
    )
    .map_err(Failure::Template)?;
    // Last, so that it can list every other file of the generation.
    let bases: Vec<emit::manifest::BaseRecord> = file
        .composition()
        .map(|c| {
            c.bases
                .iter()
                .map(|b| emit::manifest::BaseRecord::new(b.path.clone(), b.file.text()))
                .collect()
        })
        .unwrap_or_default();
    sink.put(emit::manifest::manifest(
        &client,
        catalog,
        &bases,
        &units,
        &sink.paths(),
    ));
    Ok(Outcome {
        client,
        warnings: diagnostics,
        summary,
    })
}

/// The diagnostic for a member stack too large to pass inline to its StackSet.
fn oversized(blueprint: &crate::blueprint::Blueprint, o: &emit::Oversized) -> Diagnostic {
    let at = blueprint
        .accounts
        .iter()
        .position(|a| a.name == o.account)
        .unwrap_or(0);
    Diagnostic::error(
        crate::codes::STACK_SET_TEMPLATE_TOO_LARGE,
        Ptr::account(at).field("name").to_string(),
        format!(
            "the stack of account `{}` in {} is {} bytes, over the {} a StackSet takes \
            inline",
            o.account, o.region, o.bytes, o.limit
        ),
    )
    .with_help(
        "spread this account's networks over fewer VPCs or endpoints per region, or deploy \
        it with Terraform",
    )
}

/// The diagnostic for CloudFormation output with more StackSets (one per member shape and
/// management stack holding its accounts) than the management account may create. Only the
/// CloudFormation emitter knows the count, and a CloudFormation-only limit is no reason to refuse
/// Terraform output.
fn stack_set_quota(
    file: &SourceFile,
    blueprint: &crate::blueprint::Blueprint,
    stack_sets: usize,
) -> Option<Diagnostic> {
    let quota = blueprint.organization.stack_set_quota;
    if stack_sets <= quota {
        return None;
    }
    // Underline the quota where the blueprint sets it, else the accounts that need the StackSets.
    const SET: &str = "/organization/stack_set_quota";
    let (pointer, at_key) = if file.sets(SET) {
        (SET, false)
    } else {
        ("/accounts", true)
    };
    let message = format!(
        "the CloudFormation output needs {stack_sets} StackSets (one per shape of member \
         accounts and stack holding them), over the {quota} the management account may create"
    );
    let help = format!(
        "raise the management account's quota of stack sets (Service Quotas code L-EC62D81A) \
         to at least {stack_sets} plus the stack sets it already has, then set \
         `organization.stack_set_quota: {stack_sets}`; or synthesize with `--target terraform`"
    );
    let error = Diagnostic::error(crate::codes::STACK_SET_QUOTA, pointer, message).with_help(help);
    Some(if at_key { error.at_key() } else { error })
}

/// Loads, checks and resolves only.
pub fn validate(file: &SourceFile) -> Vec<Diagnostic> {
    let catalog = Catalog::get();
    let blueprint = match load(file) {
        Ok(blueprint) => blueprint,
        Err(diagnostics) => return diagnostics,
    };
    let mut diagnostics = crate::checks::check(&blueprint, catalog);
    if !has_errors(&diagnostics) {
        if let Err(errors) = resolve(&blueprint, catalog) {
            diagnostics.extend(errors);
        }
    }
    diagnostics
}

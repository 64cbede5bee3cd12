//! The resolved blueprint: what the planner and the rollout kit are built from, made once from a
//! blueprint that passed the checks ("parse, don't validate").
//!
//! The checks say what is wrong with a blueprint in its own terms (names, pointers); resolution
//! turns one that passed into typed values: accounts with their OU as an index and their
//! effective budgets, the approved models with the regions that serve them, each permission
//! set's access decoded and its inline policy built, each assignment's permission set,
//! principal and accounts, the SCPs packed with their targets, the Codex model and the state
//! backend's lock. The planner and the kit read these and decide nothing of them again, and
//! neither looks a name up: resolution never panics, and where it finds what a check should
//! have refused it returns that check's diagnostic. The two measurements that need a built
//! document (SCPs against their size and count limits, inline policies against Identity
//! Center's quota) are made here, on the documents the plan gets.

pub mod backend;
pub mod bedrock;
pub mod codex;
pub mod guardrails;
pub mod identity;
pub mod organization;

use crate::blueprint::pointer::Ptr;
use crate::blueprint::{Blueprint, MantleProject, Network};
use crate::catalog::Catalog;
use crate::checks::references::unknown_reference;
use crate::diagnostics::Diagnostic;

/// A blueprint with every reference resolved and every default applied.
pub struct Resolved<'a> {
    pub blueprint: &'a Blueprint,
    pub organization: organization::Organization<'a>,
    pub approved: bedrock::Approved,
    pub identity: identity::Identity<'a>,
    pub guardrails: guardrails::Guardrails<'a>,
    /// The networks with their account, in blueprint order.
    pub networks: Vec<Placed<'a, Network>>,
    /// The Mantle projects with their account and region, in blueprint order.
    pub projects: Vec<Placed<'a, MantleProject>>,
    /// The Mantle model the kit configures Codex CLI with.
    pub codex_model: Option<&'a str>,
    pub backend: Option<backend::Backend<'a>>,
}

/// Something the blueprint places in an account and region.
pub struct Placed<'a, T> {
    pub what: &'a T,
    /// An index into the organization's accounts.
    pub account: usize,
    pub region: &'a str,
}

/// Resolves a blueprint that passed the checks, or returns what stops it: the limits measured
/// here, or what a check should have refused.
pub fn resolve<'a>(bp: &'a Blueprint, catalog: &Catalog) -> Result<Resolved<'a>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let organization = organization::resolve(bp, &mut errors);
    let approved = bedrock::Approved::of(bp, catalog);
    let guardrails = guardrails::resolve(bp, catalog, &approved, &organization, &mut errors);
    let identity = identity::resolve(bp, &approved, &organization, &mut errors);
    let networks = placed(
        &organization,
        &bp.networks,
        Ptr::root().field("networks"),
        &mut errors,
        |n| (&n.account, Some(&n.region)),
    );
    let projects = placed(
        &organization,
        &bp.bedrock.mantle_projects,
        Ptr::root().field("bedrock").field("mantle_projects"),
        &mut errors,
        |p| (&p.account, p.region.as_ref()),
    );
    let backend = backend::resolve(bp, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Resolved {
        blueprint: bp,
        organization,
        approved,
        identity,
        guardrails,
        networks,
        projects,
        codex_model: codex::model(bp, catalog),
        backend,
    })
}

/// Each item with its account resolved, in its own region or else its account's primary one.
fn placed<'a, T>(
    org: &organization::Organization<'a>,
    items: &'a [T],
    at: Ptr,
    errors: &mut Vec<Diagnostic>,
    place: impl Fn(&'a T) -> (&'a String, Option<&'a String>),
) -> Vec<Placed<'a, T>> {
    let mut out = Vec::with_capacity(items.len());
    for (i, what) in items.iter().enumerate() {
        let (name, region) = place(what);
        let account = org
            .index_of(name)
            .and_then(|k| Some((k, org.accounts.get(k)?)));
        match account {
            Some((account, a)) => out.push(Placed {
                what,
                account,
                region: region.map_or(a.primary_region, String::as_str),
            }),
            None => errors.push(unknown_reference(
                at.clone().index(i).field("account"),
                "account",
                name,
            )),
        }
    }
    out
}

//! The planner's entry: the parts of the landing zone planned in order, each into the shared
//! [`Context`]. Only this module calls the parts; they share the context, not each other.

use super::context::Context;
use super::{audit, cost, guardrails, identity, members, network, organization, Plan, Unit};
use crate::catalog::Catalog;
use crate::resolve::Resolved;

/// The role AWS Organizations creates in every account it creates, trusted by the management
/// account, unless the account is created with another name (`guardrails.privileged_role`).
pub const ACCOUNT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// Builds the plan of a resolved blueprint.
pub fn build(r: &Resolved, catalog: &Catalog) -> Plan {
    let bp = r.blueprint;
    let mut cx = Context::new(r, catalog);
    organization::plan(&mut cx);
    guardrails::plan(&mut cx);
    identity::plan(&mut cx);
    audit::plan(&mut cx);
    cost::plan(&mut cx);
    // Last: member units follow every management unit, in the order they are made.
    let shapes = members::plan(&mut cx, member_part);
    Plan {
        client: bp.client.clone(),
        display_name: bp.display_name.clone().unwrap_or_else(|| bp.client.clone()),
        catalog_version: catalog.version,
        shapes,
        units: cx.into_units(),
        tags: bp.tags.clone(),
        backend: super::state::plan(&bp.client, r.backend.as_ref()),
    }
}

/// What one member unit holds: the account's budgets in its primary region, the endpoints of its
/// networks and its Mantle projects there.
fn member_part(cx: &Context, contents: &members::Contents) -> Unit {
    let mut part = Unit::part();
    part.region = contents.region.to_owned();
    if let Some(account) = contents.budgets {
        cost::budgets(cx, account, &mut part);
    }
    for (k, n) in contents.networks.iter().enumerate() {
        network::endpoints(cx, &cx.r.approved, k + 1, n, &mut part);
    }
    for p in &contents.projects {
        network::project(p, &mut part);
    }
    part
}

//! The planner's entry: the parts of the landing zone planned in order, each into the shared
//! [`Context`].

use super::context::Context;
use super::{audit, cost, guardrails, identity, members, organization, Plan};
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
    let shapes = members::plan(&mut cx);
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

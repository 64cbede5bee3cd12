//! Service control policies, as resolved (`resolve::guardrails` builds and packs them and
//! finds their targets), created in the management unit and attached to their targets.

use super::context::Context;
use super::value::Name;
use super::{Kind, PolicyType};
use crate::resolve::guardrails::ScpTarget;

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let r = cx.r;
    let g = &r.guardrails;
    let target_ids: Vec<_> = g
        .targets
        .iter()
        .map(|t| match t {
            ScpTarget::Ou(ou) => Context::ou_id(ou),
            ScpTarget::Account(account) => Context::account_id(account),
        })
        .collect();
    let unit = cx.management();
    for scp in &g.scps {
        unit.add(
            Name::new(&["scp", &scp.slug]),
            Kind::ServiceControlPolicy {
                name: format!("{}-{}", bp.client, scp.slug),
                description: scp.description.clone(),
                document: scp.document.clone(),
                targets: target_ids.clone(),
                policy_type: PolicyType::ServiceControlPolicy,
            },
        );
    }
}

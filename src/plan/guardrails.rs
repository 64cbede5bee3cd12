//! Service control policies: region allowlist, model allowlist, trail protection, no leaving.
//!
//! Each guardrail is its own SCP so that a target's attachments say what is enforced. SCPs never
//! affect the management account, which is why the trail and its bucket live there.

use super::bedrock::{model_allowlist, Approved};
use super::build::Context;
use super::policy::{Actions, Effect, PolicyDocument, Statement};
use super::value::{Name, Value};
use super::Kind;

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let g = &bp.guardrails;
    let targets = targets(cx);
    if targets.is_empty() {
        return;
    }
    let privileged = Value::lit(format!("arn:aws:iam::*:role/{}", g.privileged_role));
    let mut policies: Vec<(&str, String, Vec<Statement>)> = Vec::new();
    if g.region_allowlist {
        let mut deny = Statement::new("DenyOutsideApprovedRegions", Effect::Deny, &[], vec![Value::lit("*")])
            .condition("StringNotEquals", "aws:RequestedRegion", bp.bedrock.regions.iter().map(Value::lit).collect())
            .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged.clone()]);
        deny.actions = Actions::NotAction(cx.catalog.region_deny_exemptions.clone());
        policies.push(("region-allowlist", format!("Denies non-global actions outside {}", bp.bedrock.regions.join(", ")), vec![deny]));
    }
    if g.model_allowlist {
        let approved = Approved::of(bp, cx.catalog);
        policies.push(("model-allowlist", String::from("Denies invoking Bedrock models that are not approved for the pilot"), model_allowlist(&approved)));
    }
    if g.protect_audit_trail {
        let trail = Statement::new(
            "ProtectAuditTrail",
            Effect::Deny,
            &["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"],
            vec![Value::lit("*")],
        )
        .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged]);
        policies.push(("protect-audit-trail", String::from("Denies stopping, deleting or changing CloudTrail trails"), vec![trail]));
    }
    if g.deny_leave_organization {
        let leave = Statement::new("DenyLeaveOrganization", Effect::Deny, &["organizations:LeaveOrganization"], vec![Value::lit("*")]);
        policies.push(("deny-leave-organization", String::from("Denies leaving the organization"), vec![leave]));
    }
    let unit = cx.management();
    for (slug, description, statements) in policies {
        unit.add(
            Name::new(&["scp", slug]),
            Kind::ServiceControlPolicy {
                name: format!("{}-{slug}", bp.client),
                description,
                document: PolicyDocument::new(statements),
                targets: targets.clone(),
            },
        );
    }
}

/// The ids the SCPs attach to: the declared targets, or else the OUs of the pilot's accounts.
fn targets(cx: &Context) -> Vec<Value> {
    let bp = cx.bp;
    let mut names: Vec<&str> = bp.guardrails.targets.iter().map(String::as_str).collect();
    if names.is_empty() {
        for a in &bp.accounts {
            if !names.contains(&a.ou.as_str()) {
                names.push(&a.ou);
            }
        }
    }
    names
        .into_iter()
        .map(|n| cx.ou_ids.get(n).or_else(|| cx.account_ids.get(n)).cloned().expect("checks resolved every target"))
        .collect()
}

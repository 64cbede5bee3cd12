//! The organization trail must exist, record every account, and stay protected.

use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    if !bp.audit.enabled {
        out.push(
            Diagnostic::error(
                codes::AUDIT_TRAIL,
                "/audit/enabled",
                "CloudTrail is turned off for the pilot",
            )
            .with_label("no record of who invoked which model")
            .with_help("remove `enabled: false`: tarmac creates an encrypted organization trail"),
        );
    }
    if !bp.audit.organization_trail {
        out.push(
            Diagnostic::error(
                codes::AUDIT_TRAIL,
                "/audit/organization_trail",
                "the trail records only the management account",
            )
            .with_label("member accounts, where Bedrock is used, would go unrecorded")
            .with_help("remove `organization_trail: false` so the trail covers every account"),
        );
    }
    if !bp.guardrails.protect_audit_trail {
        out.push(
            Diagnostic::warning(
                codes::AUDIT_TRAIL,
                "/guardrails/protect_audit_trail",
                "nothing stops member accounts from stopping or changing CloudTrail",
            )
            .with_label("the trail-protection SCP is off")
            .with_help("remove `protect_audit_trail: false` to keep the SCP"),
        );
    }
}

//! The region-allowlist SCP must not deny the regions the pilot itself uses.

use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let allowed = &bp.guardrails.allowed_regions;
    if !bp.guardrails.region_allowlist || allowed.is_empty() {
        return;
    }
    // Few distinct regions exist, so the linear `used` lookup stays cheap.
    let mut used: Vec<(String, String)> = Vec::new();
    let mut add = |region: &str, why: String| {
        if !allowed.iter().any(|a| a == region) && !used.iter().any(|(r, _)| r == region) {
            used.push((region.to_owned(), why));
        }
    };
    for r in &bp.bedrock.regions {
        add(r, String::from("an approved Bedrock region"));
    }
    for a in &bp.accounts {
        add(
            bp.primary_region(a),
            format!("where account `{}` deploys its stack", a.name),
        );
    }
    for n in &bp.networks {
        add(
            &n.region,
            format!("where `{}`'s VPC endpoints live", n.account),
        );
    }
    for p in &bp.bedrock.mantle_projects {
        if let Some(r) = bp.project_region(p) {
            add(r, format!("where Mantle project `{}` lives", p.name));
        }
    }
    for (region, why) in used {
        out.push(
            Diagnostic::error(
                codes::SCP_LOCKOUT,
                "/guardrails/allowed_regions",
                format!("the region-allowlist SCP would deny `{region}`, {why}"),
            )
            .with_label(format!("`{region}` is not allowed here"))
            .with_help(format!(
                "add `{region}` to `guardrails.allowed_regions`, or stop using it in the pilot"
            )),
        );
    }
}

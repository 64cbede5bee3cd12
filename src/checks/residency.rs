//! Data residency: a Canadian client's pilot stays in Canadian regions, models included.

use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let Some(residency) = bp.data_residency else {
        return;
    };
    let facts = catalog.residency(residency);
    let allowed = &facts.regions;
    let inside = |r: &str| allowed.iter().any(|a| a == r);
    let name = residency.key();
    let list = allowed.join(", ");

    if !bp.bedrock.regions.contains(&facts.required_region) {
        out.push(
            Diagnostic::error(
                codes::RESIDENCY,
                "/bedrock/regions",
                format!(
                    "{name} residency requires `{}` among the approved regions",
                    facts.required_region
                ),
            )
            .with_label("missing the client's home region")
            .with_help(format!("approve `{}`", facts.required_region)),
        );
    }
    let mut placed: Vec<(String, &str, &str)> = vec![(
        "/organization/home_region".into(),
        bp.organization.home_region.as_str(),
        "the audit trail's bucket lives in the home region",
    )];
    placed.extend(bp.bedrock.regions.iter().enumerate().map(|(i, r)| {
        (
            format!("/bedrock/regions/{i}"),
            r.as_str(),
            "an approved Bedrock region",
        )
    }));
    placed.extend(bp.networks.iter().enumerate().map(|(i, n)| {
        (
            format!("/networks/{i}/region"),
            n.region.as_str(),
            "PrivateLink endpoints",
        )
    }));
    placed.extend(bp.accounts.iter().enumerate().filter_map(|(i, a)| {
        a.primary_region.as_deref().map(|r| {
            (
                format!("/accounts/{i}/primary_region"),
                r,
                "the account's own stack",
            )
        })
    }));
    placed.extend(
        bp.guardrails
            .allowed_regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    format!("/guardrails/allowed_regions/{i}"),
                    r.as_str(),
                    "allowed by the region SCP",
                )
            }),
    );
    for (pointer, region, what) in placed {
        if catalog.is_region(region) && !inside(region) {
            let help = if pointer == "/organization/home_region" {
                format!("set `organization.home_region: {}`", facts.required_region)
            } else {
                format!("use `{}`", facts.required_region)
            };
            out.push(
                Diagnostic::error(
                    codes::RESIDENCY,
                    pointer,
                    format!("`{region}` is outside {name} ({list})"),
                )
                .with_label(what)
                .with_help(help),
            );
        }
    }
    for (i, id) in bp.bedrock.runtime_models.iter().enumerate() {
        if let Some(m) = catalog.runtime_model(id) {
            served_outside(
                out,
                format!("/bedrock/runtime_models/{i}"),
                id,
                &m.regions,
                allowed,
                name,
            );
        }
    }
    for (i, id) in bp.bedrock.mantle_models.iter().enumerate() {
        if let Some(m) = catalog.mantle_model(id) {
            served_outside(
                out,
                format!("/bedrock/mantle_models/{i}"),
                id,
                &m.regions,
                allowed,
                name,
            );
        }
    }
    if !inside(&bp.identity_center.region) && catalog.is_region(&bp.identity_center.region) {
        out.push(
            Diagnostic::warning(
                codes::RESIDENCY,
                "/identity_center/region",
                format!(
                    "Identity Center's directory is in `{}`, outside {name}",
                    bp.identity_center.region
                ),
            )
            .with_label("user and group data are stored here")
            .with_help("confirm with the client that identity data may stay here; Identity Center cannot move regions in place"),
        );
    }
}

/// An error when a model is served in none of the residency's regions: every request would go
/// elsewhere.
fn served_outside(
    out: &mut Vec<Diagnostic>,
    pointer: String,
    id: &str,
    served: &[String],
    allowed: &[String],
    name: &str,
) {
    if served.iter().any(|r| allowed.contains(r)) {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::RESIDENCY,
            pointer,
            format!(
                "`{id}` is not served in {name}: requests would resolve to {}",
                served.join(", ")
            ),
        )
        .with_label("served only outside the residency")
        .with_help("remove the model until the catalog lists it in a Canadian region"),
    );
}

//! Every region the blueprint names must be a real commercial region.

use super::help_for;
use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut named: Vec<(String, &str)> = vec![
        (
            "/organization/home_region".into(),
            &bp.organization.home_region,
        ),
        ("/identity_center/region".into(), &bp.identity_center.region),
    ];
    named.extend(
        bp.bedrock
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| (Ptr::item("bedrock", "regions", i).to_string(), r.as_str())),
    );
    named.extend(bp.accounts.iter().enumerate().filter_map(|(i, a)| {
        a.primary_region
            .as_deref()
            .map(|r| (Ptr::account(i).field("primary_region").to_string(), r))
    }));
    named.extend(bp.networks.iter().enumerate().map(|(i, n)| {
        (
            Ptr::network(i).field("region").to_string(),
            n.region.as_str(),
        )
    }));
    named.extend(
        bp.bedrock
            .mantle_projects
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.region
                    .as_deref()
                    .map(|r| (Ptr::mantle_project(i).field("region").to_string(), r))
            }),
    );
    if let Some(cross) = &bp.bedrock.cross_border_inference {
        named.extend(
            cross
                .regions
                .iter()
                .enumerate()
                .map(|(i, r)| (Ptr::cross_border_region(i).to_string(), r.as_str())),
        );
    }
    named.extend(
        bp.guardrails
            .allowed_regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    Ptr::item("guardrails", "allowed_regions", i).to_string(),
                    r.as_str(),
                )
            }),
    );
    for (pointer, region) in named {
        if !catalog.is_region(region) {
            out.push(unknown_region(pointer, region, catalog));
        }
    }
    // Member-account resources may only live in approved regions: the region-allowlist SCP would
    // deny them anywhere else.
    let approved = &bp.bedrock.regions;
    let mut placed: Vec<(String, &str)> = Vec::new();
    placed.extend(bp.accounts.iter().enumerate().filter_map(|(i, a)| {
        a.primary_region
            .as_deref()
            .map(|r| (Ptr::account(i).field("primary_region").to_string(), r))
    }));
    placed.extend(bp.networks.iter().enumerate().map(|(i, n)| {
        (
            Ptr::network(i).field("region").to_string(),
            n.region.as_str(),
        )
    }));
    for (pointer, region) in placed {
        if catalog.is_region(region) && !approved.iter().any(|r| r == region) {
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_REGION,
                    pointer,
                    format!("region `{region}` is not an approved Bedrock region"),
                )
                .with_label("not in `bedrock.regions`")
                .with_help(format!(
                    "use one of the approved regions ({}) or add this one to `bedrock.regions`",
                    approved.join(", ")
                )),
            );
        }
    }
}

/// TM010: a region the catalog does not know, wherever the blueprint names one (the Terraform
/// state's included, `checks/backend.rs`).
pub(super) fn unknown_region(
    pointer: impl Into<String>,
    region: &str,
    catalog: &Catalog,
) -> Diagnostic {
    Diagnostic::error(
        codes::UNKNOWN_REGION,
        pointer,
        format!("unknown region `{region}`"),
    )
    .with_label("not a commercial AWS region")
    .with_help(help_for(region, &catalog.regions, "region"))
}

//! Data residency: a Canadian client's pilot stays in Canadian regions, models included unless
//! the client approved invoking them in named Regions outside (`cross_border_inference`).

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let cross = bp.bedrock.cross_border_inference.as_ref();
    let Some(residency) = bp.data_residency else {
        if cross.is_some() {
            out.push(
                Diagnostic::error(
                    codes::CROSS_BORDER_INFERENCE,
                    "/bedrock/cross_border_inference",
                    "`cross_border_inference` without `data_residency`",
                )
                .at_key()
                .with_label("there is no residency for inference to leave")
                .with_help(
                    "set `data_residency`, or drop `cross_border_inference` and approve the \
                    Regions in `bedrock.regions`",
                ),
            );
        }
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
            Ptr::item("bedrock", "regions", i).to_string(),
            r.as_str(),
            "an approved Bedrock region",
        )
    }));
    placed.extend(bp.networks.iter().enumerate().map(|(i, n)| {
        (
            Ptr::network(i).field("region").to_string(),
            n.region.as_str(),
            "PrivateLink endpoints",
        )
    }));
    placed.extend(bp.accounts.iter().enumerate().filter_map(|(i, a)| {
        a.primary_region.as_deref().map(|r| {
            (
                Ptr::account(i).field("primary_region").to_string(),
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
                    Ptr::item("guardrails", "allowed_regions", i).to_string(),
                    r.as_str(),
                    "allowed by the region SCP",
                )
            }),
    );
    for (pointer, region, what) in placed {
        if catalog.is_region(region) && !inside(region) {
            let home = pointer == "/organization/home_region";
            let help = if home {
                format!("set `organization.home_region: {}`", facts.required_region)
            } else {
                format!("use `{}`", facts.required_region)
            };
            let d = Diagnostic::error(
                codes::RESIDENCY,
                pointer,
                format!("`{region}` is outside {name} ({list})"),
            )
            .with_label(what)
            .with_help(help);
            // The home region has a default: the help then says to write it.
            out.push(if home { d.at_nearest() } else { d });
        }
    }
    // Where models may be invoked: inside the residency, and in the approved Regions outside.
    let mut invocable = allowed.clone();
    if let Some(cross) = cross {
        for (i, r) in cross.regions.iter().enumerate() {
            if inside(r) {
                out.push(
                    Diagnostic::error(
                        codes::CROSS_BORDER_INFERENCE,
                        Ptr::cross_border_region(i),
                        format!("`{r}` is inside {name}: no border is crossed"),
                    )
                    .with_label("a Region of the residency")
                    .with_help(format!(
                        "approve `{r}` in `bedrock.regions` and drop it here"
                    )),
                );
            }
        }
        invocable.extend(cross.regions.iter().cloned());
    }
    let where_ = Where {
        invocable: &invocable,
        name,
        cross: cross.is_some(),
    };
    for (i, id) in bp.bedrock.runtime_models.iter().enumerate() {
        if let Some(m) = catalog.runtime_model(id) {
            where_.served(
                out,
                Ptr::item("bedrock", "runtime_models", i).to_string(),
                id,
                &m.regions,
            );
        }
    }
    for (i, id) in bp.bedrock.mantle_models.iter().enumerate() {
        if let Some(m) = catalog.mantle_model(id) {
            where_.served(
                out,
                Ptr::item("bedrock", "mantle_models", i).to_string(),
                id,
                &m.regions,
            );
        }
    }
    if bp.bedrock.runtime_models.is_empty() && bp.bedrock.mantle_models.is_empty() {
        let help = if cross.is_some() {
            String::from(
                "approve a model served in the Regions of `cross_border_inference` \
                    (`bedrock.runtime_models` or `bedrock.mantle_models`)",
            )
        } else {
            format!(
                "approve a model served in {list}; if the catalog has none there, record the \
                    client's approval to invoke models in named Regions outside {name} as \
                        `bedrock.cross_border_inference`"
            )
        };
        out.push(
            Diagnostic::error(
                codes::RESIDENCY_WITHOUT_MODELS,
                "/bedrock",
                format!("a {name} residency pilot with no approved model"),
            )
            .at_key()
            .with_label("developers could invoke nothing")
            .with_help(help),
        );
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
            .with_help(
                "confirm with the client that identity data may stay here; Identity Center \
                cannot move regions in place",
            ),
        );
    }
}

/// The Regions a residency blueprint's models may be invoked in.
struct Where<'a> {
    invocable: &'a [String],
    name: &'a str,
    /// Whether `cross_border_inference` approved Regions outside the residency.
    cross: bool,
}

impl Where<'_> {
    /// An error when a model is served in none of the Regions it may be invoked in: every
    /// request would go elsewhere.
    fn served(&self, out: &mut Vec<Diagnostic>, pointer: String, id: &str, served: &[String]) {
        if served.iter().any(|r| self.invocable.contains(r)) {
            return;
        }
        let name = self.name;
        let (message, help) = if self.cross {
            (
                format!(
                    "`{id}` is served neither in {name} nor in the Regions of \
                        `cross_border_inference`"
                ),
                format!(
                    "it is served in {}: approve one of them in `cross_border_inference`, or \
                        remove the model",
                    served.join(", ")
                ),
            )
        } else {
            (
                format!(
                    "`{id}` is not served in {name}: requests would resolve to {}",
                    served.join(", ")
                ),
                String::from(
                    "remove the model until the catalog lists it in the residency, or record the \
                        client's approval to invoke it in named Regions outside as \
                            `bedrock.cross_border_inference` (regions, approved_by, approved_on)",
                ),
            )
        };
        let label = if self.cross {
            "served only outside the Regions it may be invoked in"
        } else {
            "served only outside the residency"
        };
        out.push(
            Diagnostic::error(codes::RESIDENCY, pointer, message)
                .with_label(label)
                .with_help(help),
        );
    }
}

/// TM046: something of a residency blueprint that would be stored or processed outside it,
/// here and in the other families that find one (the Terraform state's region,
/// `checks/backend.rs`; an inference profile's destinations, `checks/guardrails.rs`).
pub(super) fn outside(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(codes::RESIDENCY, pointer, message)
}

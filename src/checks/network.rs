//! PrivateLink endpoints and Mantle projects must exist in the regions they are placed in.

use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (i, network) in bp.networks.iter().enumerate() {
        for (j, service) in network.endpoints.iter().enumerate() {
            let facts = catalog.endpoint(*service);
            if catalog.is_region(&network.region) && !facts.regions.contains(&network.region) {
                out.push(
                    Diagnostic::error(
                        codes::ENDPOINT_NOT_IN_REGION,
                        format!("/networks/{i}/region"),
                        format!(
                            "`{}` has no PrivateLink endpoint in {}",
                            service.suffix(),
                            network.region
                        ),
                    )
                    .with_label(format!(
                        "`{}` (networks[{i}].endpoints[{j}]) is not offered in this region",
                        service.suffix()
                    ))
                    .with_help(format!("offered in: {}", facts.regions.join(", "))),
                );
            }
        }
    }
    for (i, project) in bp.bedrock.mantle_projects.iter().enumerate() {
        let Some(region) = bp.project_region(project) else {
            continue;
        };
        let approved = bp.bedrock.regions.iter().any(|r| r == region);
        if catalog.is_region(region)
            && (!approved || !catalog.mantle_project_regions.iter().any(|r| r == region))
        {
            out.push(
                Diagnostic::error(codes::MANTLE_PROJECT_REGION, format!("/bedrock/mantle_projects/{i}"), format!("cannot create Mantle project `{}` in {region}", project.name))
                    .at_key()
                    .with_help(format!(
                        "AWS::BedrockMantle::Project exists in {}; the region must also be in `bedrock.regions`",
                        catalog.mantle_project_regions.join(", ")
                    )),
            );
        }
    }
}

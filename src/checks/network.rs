//! PrivateLink endpoints and Mantle projects must exist in the regions they are placed in, and
//! a network's CIDR must be one a VPC can have.

use std::net::Ipv4Addr;

use crate::blueprint::{Blueprint, Network};
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

/// A VPC's IPv4 CIDR block is between /16 and /28 (Amazon VPC User Guide, "VPC CIDR blocks").
const VPC_PREFIXES: std::ops::RangeInclusive<u8> = 16..=28;

/// Why `cidr` cannot be a VPC's CIDR block, if it cannot: an octet over 255, a prefix over 32 or
/// outside /16../28, bits set past the prefix (the security group's ingress rule would then
/// name a network that does not exist).
pub fn vpc_cidr(cidr: &str) -> Result<(), String> {
    let (address, prefix) = cidr
        .split_once('/')
        .ok_or_else(|| String::from("a CIDR block is an address, `/` and a prefix length"))?;
    let address: Ipv4Addr = address.parse().map_err(|_| {
        format!("`{address}` is not an IPv4 address: each of its four numbers is 0 to 255")
    })?;
    let prefix: u8 = prefix
        .parse()
        .map_err(|_| format!("`{prefix}` is not a prefix length"))?;
    if prefix > 32 {
        return Err(format!(
            "the prefix length is {prefix}, but an IPv4 prefix is at most 32"
        ));
    }
    if !VPC_PREFIXES.contains(&prefix) {
        return Err(format!(
            "a VPC's CIDR block is /{} to /{}, not /{prefix}",
            VPC_PREFIXES.start(),
            VPC_PREFIXES.end()
        ));
    }
    let bits = u32::from(address);
    let network = bits & (u32::MAX << (32 - prefix));
    if network != bits {
        return Err(format!(
            "bits are set past the /{prefix} prefix: the network is `{}/{prefix}`",
            Ipv4Addr::from(network)
        ));
    }
    Ok(())
}

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (i, network) in bp.networks.iter().enumerate() {
        new_account(bp, i, network, out);
        if let Err(why) = vpc_cidr(&network.vpc_cidr) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_VALUE,
                    format!("/networks/{i}/vpc_cidr"),
                    format!("`{}` is not a VPC CIDR block", network.vpc_cidr),
                )
                .with_label(why)
                .with_help("give the VPC's primary IPv4 CIDR block as the VPC console shows it, such as `10.20.0.0/16`"),
            );
        }
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

/// A network in an account that tarmac creates names a VPC that cannot exist yet, unless the
/// blueprint states that the account was deployed and the VPC created in it since. An unknown
/// account is the references check's finding, not this one.
fn new_account(bp: &Blueprint, i: usize, network: &Network, out: &mut Vec<Diagnostic>) {
    let Some(account) = bp.accounts.iter().find(|a| a.name == network.account) else {
        return;
    };
    if account.id.is_some() || network.account_deployed {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::NETWORK_OF_NEW_ACCOUNT,
            format!("/networks/{i}/vpc_id"),
            format!(
                "`{}` cannot exist yet: tarmac creates account `{}`",
                network.vpc_id, account.name
            ),
        )
        .with_label("a VPC of an account that does not exist before this deploy")
        .with_help(format!(
            "deploy in two phases: first without this network, then create the VPC and its subnets in `{}` and add the network back with `account_deployed: true`",
            account.name
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::vpc_cidr;

    #[test]
    fn cidr_blocks_at_their_boundaries() {
        for ok in [
            "10.20.0.0/16",
            "10.0.0.0/28",
            "192.168.255.240/28",
            "0.0.0.0/16",
        ] {
            assert_eq!(vpc_cidr(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("10.320.0.0/16", "is not an IPv4 address"),
            ("10.0.0.0/33", "at most 32"),
            ("10.0.0.0/15", "/16 to /28, not /15"),
            ("10.0.0.0/29", "/16 to /28, not /29"),
            ("10.20.1.0/16", "the network is `10.20.0.0/16`"),
            ("10.0.0.1/28", "the network is `10.0.0.0/28`"),
            ("10.0.0.0", "a prefix length"),
            ("10.0.0.0/x", "not a prefix length"),
        ] {
            let err = vpc_cidr(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}

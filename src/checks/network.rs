//! PrivateLink endpoints and Mantle projects must exist in the regions they are placed in, and
//! a network's CIDR must be one a VPC can have.

use std::net::Ipv4Addr;

use crate::blueprint::load::value_not_allowed;
use crate::blueprint::pointer::Ptr;
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
    block(cidr).map(|_| ())
}

/// The network address and prefix length of a CIDR block a VPC or a subnet can have: both are
/// /16 to /28 ("VPC CIDR blocks" and "Subnet CIDR blocks" in the Amazon VPC User Guide).
fn block(cidr: &str) -> Result<(u32, u8), String> {
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
    Ok((bits, prefix))
}

/// Whether block `inner` lies inside block `outer`.
fn contains(outer: (u32, u8), inner: (u32, u8)) -> bool {
    inner.1 >= outer.1 && (inner.0 & (u32::MAX << (32 - outer.1))) == outer.0
}

/// Whether two blocks share an address: one contains the other.
fn overlaps(a: (u32, u8), b: (u32, u8)) -> bool {
    contains(a, b) || contains(b, a)
}

/// The AZ ID prefix of a Region, as AWS forms it: the area and the initials of the direction
/// and the number (`us-east-1` → `use1`, `ap-southeast-2` → `apse2`, `ca-central-1` → `cac1`;
/// https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html).
fn az_prefix(region: &str) -> String {
    let parts: Vec<&str> = region.split('-').collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 || i + 1 == parts.len() {
            out.push_str(part);
            continue;
        }
        for direction in ["north", "south", "east", "west", "central"] {
            if let Some(rest) = part.strip_prefix(direction) {
                out.push_str(&direction[..1]);
                out.extend(rest.chars().take(1));
                break;
            }
        }
    }
    out
}

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (i, network) in bp.networks.iter().enumerate() {
        new_account(bp, i, network, out);
        layout(i, network, out);
        if let Err(why) = vpc_cidr(&network.vpc_cidr) {
            out.push(
                value_not_allowed(
                    Ptr::network(i).field("vpc_cidr").to_string(),
                    format!("`{}` is not a VPC CIDR block", network.vpc_cidr),
                )
                .with_label(why)
                .with_help(
                    "give the VPC's primary IPv4 CIDR block as the VPC console shows it, \
                    such as `10.20.0.0/16`",
                ),
            );
        }
        for (j, service) in network.endpoints.iter().enumerate() {
            let facts = catalog.endpoint(*service);
            if catalog.is_region(&network.region) && !facts.regions.contains(&network.region) {
                out.push(
                    Diagnostic::error(
                        codes::ENDPOINT_NOT_IN_REGION,
                        Ptr::network(i).field("region").to_string(),
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
                Diagnostic::error(
                    codes::MANTLE_PROJECT_REGION,
                    Ptr::mantle_project(i).to_string(),
                    format!(
                        "cannot create Mantle project `{}` in {region}",
                        project.name
                    ),
                )
                .at_key()
                .with_help(format!(
                    "AWS::BedrockMantle::Project exists in {}; the region must also be in \
                            `bedrock.regions`",
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
    let Some(vpc_id) = &network.vpc_id else {
        return;
    };
    let Some(account) = bp.accounts.iter().find(|a| a.name == network.account) else {
        return;
    };
    if account.id.is_some() || network.account_deployed {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::NETWORK_OF_NEW_ACCOUNT,
            Ptr::network(i).field("vpc_id").to_string(),
            format!(
                "`{vpc_id}` cannot exist yet: tarmac creates account `{}`",
                account.name
            ),
        )
        .with_label("a VPC of an account that does not exist before this deploy")
        .with_help(format!(
            "let tarmac create the VPC: drop `vpc_id` and `subnet_ids` and give `subnets` ({{cidr, \
                availability_zone_id}} each); or deploy in two phases: first without this network, \
                    then create the VPC and its subnets in `{}` and add the network back with \
                        `account_deployed: true`",
            account.name
        )),
    );
}

/// A network names an existing VPC with its subnets, or has tarmac create one with the
/// subnets it lists: each a valid block inside the VPC's, none overlapping another, each in
/// its own Availability Zone of the network's Region (an interface endpoint takes one subnet
/// per zone).
fn layout(i: usize, network: &Network, out: &mut Vec<Diagnostic>) {
    let at = |what: &str| Ptr::network(i).field(what).to_string();
    let subnet_at = |j: usize| Ptr::network(i).field("subnets").index(j);
    let error = |out: &mut Vec<Diagnostic>, pointer: String, message: String, help: &str| {
        out.push(
            Diagnostic::error(codes::NETWORK_LAYOUT, pointer, message).with_help(help.to_owned()),
        );
    };
    match &network.vpc_id {
        Some(_) => {
            if network.subnet_ids.is_empty() {
                error(
                    out,
                    at("vpc_id"),
                    String::from("an existing VPC needs `subnet_ids` for the endpoints"),
                    "list the VPC's subnets the endpoints go in, one per Availability Zone",
                );
            }
            if !network.subnets.is_empty() {
                error(
                    out,
                    at("subnets"),
                    String::from("`subnets` are created only in a VPC tarmac creates"),
                    "name the existing subnets in `subnet_ids`, or drop `vpc_id` to have tarmac \
                        create the VPC",
                );
            }
            return;
        }
        None => {
            if network.account_deployed {
                error(
                    out,
                    at("account_deployed"),
                    String::from("`account_deployed` without `vpc_id`"),
                    "it states that `vpc_id` names a VPC created in the deployed account; tarmac \
                        creates this network's VPC, so drop it",
                );
            }
            if !network.subnet_ids.is_empty() {
                error(
                    out,
                    at("subnet_ids"),
                    String::from("`subnet_ids` without `vpc_id`"),
                    "existing subnets belong to an existing VPC: give its `vpc_id`, or list the \
                        subnets tarmac creates in `subnets`",
                );
            }
            if network.subnets.is_empty() {
                error(
                    out,
                    Ptr::network(i).to_string(),
                    String::from("a network without `vpc_id` needs `subnets`: tarmac creates its \
                        VPC"),
                    "give `subnets: [{cidr, availability_zone_id}]`, one per Availability Zone, or \
                        the `vpc_id` and `subnet_ids` of an existing VPC",
                );
            }
        }
    }
    let vpc = block(&network.vpc_cidr).ok();
    let zone = az_prefix(&network.region);
    let mut seen: Vec<((u32, u8), &str, usize)> = Vec::new();
    for (j, subnet) in network.subnets.iter().enumerate() {
        let cidr = subnet_at(j).field("cidr").to_string();
        let az = &subnet.availability_zone_id;
        match az.split_once("-az") {
            Some((prefix, _)) if prefix == zone => {}
            _ => error(
                out,
                subnet_at(j).field("availability_zone_id").to_string(),
                format!("`{az}` is not an Availability Zone of {}", network.region),
                &format!(
                    "the AZ IDs of {} start with `{zone}-`, such as `{zone}-az1`; `aws ec2 \
                    describe-availability-zones --region {}` lists \
                        them",
                    network.region, network.region
                ),
            ),
        }
        if let Some(other) = network.subnets[..j]
            .iter()
            .position(|s| s.availability_zone_id == *az)
        {
            error(
                out,
                subnet_at(j).field("availability_zone_id").to_string(),
                format!("`subnets[{other}]` and `subnets[{j}]` are both in `{az}`"),
                "an interface endpoint takes one subnet per Availability Zone: put each subnet in \
                    its own zone",
            );
        }
        let parsed = match block(&subnet.cidr) {
            Ok(b) => b,
            Err(why) => {
                out.push(
                    value_not_allowed(
                        cidr,
                        format!("`{}` is not a subnet CIDR block", subnet.cidr),
                    )
                    .with_label(why)
                    .with_help(
                        "give the subnet's IPv4 CIDR block, /16 to /28, such as `10.20.0.0/24`",
                    ),
                );
                continue;
            }
        };
        if vpc.is_some_and(|v| !contains(v, parsed)) {
            out.push(
                Diagnostic::error(
                    codes::NETWORK_LAYOUT,
                    cidr.clone(),
                    format!(
                        "`{}` is outside the VPC's `{}`",
                        subnet.cidr, network.vpc_cidr
                    ),
                )
                .with_help("a subnet's block is part of its VPC's block"),
            );
        }
        if let Some((_, text, other)) = seen.iter().find(|(b, _, _)| overlaps(*b, parsed)) {
            out.push(
                Diagnostic::error(
                    codes::NETWORK_LAYOUT,
                    cidr.clone(),
                    format!("`{}` overlaps `subnets[{other}]` (`{text}`)", subnet.cidr),
                )
                .with_help("the subnets of a VPC have disjoint blocks"),
            );
        }
        seen.push((parsed, &subnet.cidr, j));
    }
}

#[cfg(test)]
mod tests {
    use super::{az_prefix, block, contains, overlaps, vpc_cidr};

    #[test]
    fn az_id_prefixes_of_every_catalog_region() {
        for (region, prefix) in [
            ("us-east-1", "use1"),
            ("us-west-2", "usw2"),
            ("ca-central-1", "cac1"),
            ("ca-west-1", "caw1"),
            ("ap-southeast-2", "apse2"),
            ("ap-northeast-3", "apne3"),
            ("ap-south-1", "aps1"),
            ("eu-north-1", "eun1"),
            ("sa-east-1", "sae1"),
            ("mx-central-1", "mxc1"),
        ] {
            assert_eq!(az_prefix(region), prefix, "{region}");
        }
        // Every region of the catalog gets a prefix of its area, direction and number.
        for region in &crate::catalog::Catalog::get().regions {
            let p = az_prefix(region);
            assert!(
                p.len() >= 4 && p.ends_with(region.rsplit('-').next().unwrap()),
                "{region}: {p}"
            );
        }
    }

    #[test]
    fn subnet_blocks_inside_and_overlapping() {
        let b = |s: &str| block(s).unwrap();
        assert!(contains(b("10.20.0.0/16"), b("10.20.255.240/28")));
        assert!(contains(b("10.20.0.0/16"), b("10.20.0.0/16")));
        assert!(!contains(b("10.20.0.0/16"), b("10.21.0.0/24")));
        assert!(!contains(b("10.20.0.0/24"), b("10.20.0.0/16")));
        assert!(overlaps(b("10.20.0.0/24"), b("10.20.0.128/25")));
        assert!(overlaps(b("10.20.0.128/25"), b("10.20.0.0/24")));
        assert!(!overlaps(b("10.20.0.0/25"), b("10.20.0.128/25")));
    }

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

//! Private access to Bedrock: per VPC a security group admitting HTTPS from the VPC and an
//! interface endpoint per Bedrock service, each with a policy limited to the approved actions and
//! models for principals of the organization; and the Mantle projects of member accounts.

use super::context::Context;
use super::policy::{Effect, PolicyDocument, Principal, Statement};
use super::value::{Attr, Name, Value};
use super::{EndpointType, Input, InputType, IpProtocol, Kind, SecurityGroupRule, SubnetIds, Unit};
use crate::blueprint::{EndpointService, MantleProject, Network};
use crate::resolve::bedrock::{mantle_statements, short_term_keys, Approved, RUNTIME_INVOKE};

/// A Mantle project, with its ARN as an output of its unit.
pub(super) fn project(project: &MantleProject, unit: &mut Unit) {
    let name = unit.add(
        Name::new(&["mantle_project", &project.name]),
        Kind::MantleProject {
            name: project.name.clone(),
        },
    );
    unit.output(
        Name::new(&["mantle_project", &project.name, "arn"]),
        format!("ARN of Mantle project {}", project.name),
        Value::reference(&name, Attr::Arn),
    );
}

/// A VPC's security group and its Bedrock interface endpoints, in the unit of its account and
/// region, as network `slot` of that unit. An existing VPC, its CIDR and its subnets are
/// inputs; without `vpc_id` the VPC and its subnets are created here, their blocks and zones
/// inputs.
pub(super) fn endpoints(
    cx: &Context,
    approved: &Approved,
    slot: usize,
    network: &Network,
    unit: &mut Unit,
) {
    let bp = cx.bp;
    let org = vec![Value::lit(&bp.organization.id)];
    let region = network.region.as_str();
    let slot = slot.to_string();
    let mut input = |what: &str, description: &str, ty: InputType, value: String| {
        unit.input(Input {
            name: Name::new(&["network", &slot, what]),
            description: format!("{description} of network {slot} in this region"),
            ty,
            default: Some(value),
            lookup: None,
            source: None,
        })
    };
    let existing = network
        .vpc_id
        .as_ref()
        .map(|id| input("vpc_id", "VPC", InputType::Text, id.clone()));
    let cidr = input(
        "cidr",
        "IPv4 CIDR of the VPC",
        InputType::Text,
        network.vpc_cidr.clone(),
    );
    let (vpc_id, subnet_ids) = match existing {
        Some(vpc_id) => (
            vpc_id,
            SubnetIds::Input(input(
                "subnet_ids",
                "Subnets for the endpoints",
                InputType::TextList,
                network.subnet_ids.join(","),
            )),
        ),
        None => {
            // A VPC of an account tarmac creates: created here, with its subnets. Their blocks
            // and zones are inputs like every per-account value, so accounts whose networks
            // have as many subnets share one member template.
            let vpc = unit.add(
                Name::new(&["vpc", "network", &slot]),
                // Private DNS names of interface endpoints need DNS support and hostnames
                // (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html).
                Kind::Vpc {
                    cidr: cidr.clone(),
                    dns_support: true,
                    dns_hostnames: true,
                },
            );
            unit.waive(
                &vpc,
                "CKV2_AWS_11",
                "tarmac creates this VPC only for the Bedrock interface endpoints. A flow log \
                    needs a destination in the account, with its encryption and retention, which \
                        the blueprint does not choose; READINESS.md gives the decision to the \
                            network owner.",
            );
            unit.waive(
                &vpc,
                "CKV2_AWS_12",
                "CloudFormation has no resource for a VPC's default security group, so neither \
                    target manages it: nothing is placed in it (the endpoints have their own \
                        group, HTTPS from the VPC only), and READINESS.md asks the network owner \
                            to remove its rules.",
            );
            let vpc_id = Value::reference(&vpc, Attr::Id);
            let mut each = Vec::new();
            for (j, subnet) in network.subnets.iter().enumerate() {
                let n = (j + 1).to_string();
                let mut subnet_input = |what: &str, description: &str, value: &str| {
                    unit.input(Input {
                        name: Name::new(&["network", &slot, "subnet", &n, what]),
                        description: format!(
                            "{description} of subnet {n} of network {slot} in this region"
                        ),
                        ty: InputType::Text,
                        default: Some(value.to_owned()),
                        lookup: None,
                        source: None,
                    })
                };
                let subnet_cidr = subnet_input("cidr", "IPv4 CIDR", &subnet.cidr);
                let zone = subnet_input(
                    "az_id",
                    "Availability Zone ID",
                    &subnet.availability_zone_id,
                );
                let name = unit.add(
                    Name::new(&["subnet", &n, "network", &slot]),
                    Kind::Subnet {
                        vpc_id: vpc_id.clone(),
                        cidr: subnet_cidr,
                        availability_zone_id: zone,
                    },
                );
                each.push(Value::reference(&name, Attr::Id));
            }
            (vpc_id, SubnetIds::Each(each))
        }
    };
    let sg = unit.add(
        Name::new(&["endpoints_sg", "network", &slot]),
        Kind::SecurityGroup(super::SecurityGroup {
            // Group names are unique per VPC, and each VPC has one such group.
            name: format!("{}-bedrock-endpoints", bp.client),
            description: String::from("HTTPS from the VPC to the Bedrock interface endpoints"),
            vpc_id: vpc_id.clone(),
            rules: vec![
                SecurityGroupRule {
                    ingress: true,
                    protocol: IpProtocol::Tcp,
                    port: 443,
                    cidr: cidr.clone(),
                    description: String::from("HTTPS from the VPC"),
                },
                SecurityGroupRule {
                    ingress: false,
                    protocol: IpProtocol::Tcp,
                    port: 443,
                    cidr,
                    description: String::from("HTTPS within the VPC only"),
                },
            ],
        }),
    );
    // Short-term API keys pass the endpoint when a permission set may use them.
    let keys = bp
        .identity_center
        .permission_sets
        .iter()
        .any(|p| p.short_term_bearer_tokens);
    for service in &network.endpoints {
        let statements = match service {
            EndpointService::Bedrock => control_plane(approved, region),
            EndpointService::BedrockRuntime => runtime(approved, region, keys),
            EndpointService::BedrockMantle => mantle(approved, region, keys),
        };
        let statements = statements
            .into_iter()
            .map(|s| {
                s.principal(Principal::Any).condition(
                    "StringEquals",
                    "aws:PrincipalOrgID",
                    org.clone(),
                )
            })
            .collect();
        unit.add(
            Name::new(&["endpoint", service.suffix(), "network", &slot]),
            Kind::VpcEndpoint(super::VpcEndpoint {
                service_name: format!("com.amazonaws.{region}.{}", service.suffix()),
                vpc_id: vpc_id.clone(),
                subnet_ids: subnet_ids.clone(),
                security_group: Value::reference(&sg, Attr::Id),
                private_dns: network.private_dns,
                policy: PolicyDocument::new(statements),
                // The default endpoint type is Gateway; Bedrock's endpoints are Interface
                // endpoints (PrivateLink).
                endpoint_type: EndpointType::Interface,
            }),
        );
    }
}

/// The control-plane endpoint: the read-only discovery calls the kit (`aws bedrock
/// list-foundation-models`) and the SDKs make: listing foundation models and inference profiles,
/// and reading the approved models and profiles. Nothing that changes the account passes it;
/// what each caller may read is still its permission set's to say.
fn control_plane(approved: &Approved, region: &str) -> Vec<Statement> {
    let mut out = vec![Statement::new(
        "ListModels",
        Effect::Allow,
        &[
            "bedrock:ListFoundationModels",
            "bedrock:ListInferenceProfiles",
        ],
        vec![Value::lit("*")],
    )];
    let arns = approved.runtime_arns(Some(region));
    if !arns.is_empty() {
        out.push(Statement::new(
            "GetApprovedModels",
            Effect::Allow,
            &["bedrock:GetFoundationModel"],
            arns,
        ));
    }
    let profiles = approved.profile_arns(Some(region));
    if !profiles.is_empty() {
        out.push(Statement::new(
            "GetApprovedInferenceProfiles",
            Effect::Allow,
            &["bedrock:GetInferenceProfile"],
            profiles,
        ));
    }
    out
}

/// The Runtime endpoint: invoke of the approved models served in this region and of the
/// approved inference profiles sent from it, and short-term API keys when allowed; nothing else.
fn runtime(approved: &Approved, region: &str, keys: bool) -> Vec<Statement> {
    let mut arns = approved.runtime_arns(Some(region));
    arns.extend(approved.profile_arns(Some(region)));
    if arns.is_empty() {
        return vec![Statement::new(
            "DenyAllNoApprovedRuntimeModels",
            Effect::Deny,
            &["bedrock:*"],
            vec![Value::lit("*")],
        )];
    }
    let mut out = vec![Statement::new(
        "InvokeApprovedModels",
        Effect::Allow,
        RUNTIME_INVOKE,
        arns,
    )];
    out.extend(short_term_keys(keys, false));
    out
}

/// The Mantle endpoint: inference on the approved Mantle models in this account's projects,
/// and short-term API keys when allowed.
fn mantle(approved: &Approved, region: &str, keys: bool) -> Vec<Statement> {
    if approved.mantle.is_empty() {
        return vec![Statement::new(
            "DenyAllNoApprovedMantleModels",
            Effect::Deny,
            &["bedrock-mantle:*"],
            vec![Value::lit("*")],
        )];
    }
    let mut out = mantle_statements(
        approved,
        approved.mantle_projects(Some(region), Some(&Value::AccountId)),
    );
    out.extend(short_term_keys(false, keys));
    out
}

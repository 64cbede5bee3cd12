//! Networks of accounts tarmac creates (issue 16, finding 5): tarmac creates their VPC and
//! subnets in the member template, in both targets, with each account's blocks and zones as
//! values of the shared template; a VPC id in an account that does not exist yet is refused.

use serde_json::Value as Json;
use tarmac::compile::Targets;

fn json(text: &str) -> Json {
    serde_json::from_str(text).unwrap()
}

/// `generated(n)` with tarmac-created VPCs: account i gets `10.i.0.0/16` with the subnets
/// `subnets(i)` gives, each `(cidr, az id)`.
fn generated_with_new_vpcs(n: usize, subnets: impl Fn(usize) -> Vec<(String, String)>) -> String {
    let mut text = crate::common::generated(n);
    for i in 0..n {
        let old = format!(
            "    vpc_id: vpc-{i:017x}\n    account_deployed: true\n    vpc_cidr: 10.0.0.0/16\n    subnet_ids: [subnet-{i:017x}]\n"
        );
        let mut new = format!("    vpc_cidr: 10.{i}.0.0/16\n    subnets:\n");
        for (cidr, az) in subnets(i) {
            new.push_str(&format!(
                "      - {{cidr: {cidr}, availability_zone_id: {az}}}\n"
            ));
        }
        assert!(text.contains(&old));
        text = text.replace(&old, &new);
    }
    text
}

fn two_subnets(i: usize) -> Vec<(String, String)> {
    vec![
        (format!("10.{i}.0.0/24"), String::from("use2-az1")),
        (format!("10.{i}.1.0/24"), String::from("use2-az2")),
    ]
}

#[test]
fn the_vpc_and_its_subnets_are_created_in_both_targets() {
    let c = crate::common::compile_text(&crate::common::startup(), Targets::All);
    let t = json(crate::common::file(
        &c,
        "cloudformation/members-us-east-1.template.json",
    ));
    let r = &t["Resources"];
    assert_eq!(r["VpcNetwork1"]["Type"], "AWS::EC2::VPC");
    let vpc = &r["VpcNetwork1"]["Properties"];
    assert_eq!(vpc["CidrBlock"]["Ref"], "Network1Cidr");
    // Private DNS names of the endpoints need both.
    assert_eq!(vpc["EnableDnsSupport"], true);
    assert_eq!(vpc["EnableDnsHostnames"], true);
    for n in ["1", "2"] {
        let subnet = &r[format!("Subnet{n}Network1")]["Properties"];
        assert_eq!(subnet["VpcId"]["Ref"], "VpcNetwork1");
        assert_eq!(subnet["CidrBlock"]["Ref"], format!("Network1Subnet{n}Cidr"));
        assert_eq!(
            subnet["AvailabilityZoneId"]["Ref"],
            format!("Network1Subnet{n}AzId")
        );
    }
    assert_eq!(
        r["EndpointsSgNetwork1"]["Properties"]["VpcId"]["Ref"],
        "VpcNetwork1"
    );
    for endpoint in [
        "EndpointBedrockNetwork1",
        "EndpointBedrockRuntimeNetwork1",
        "EndpointBedrockMantleNetwork1",
    ] {
        let p = &r[endpoint]["Properties"];
        assert_eq!(p["VpcId"]["Ref"], "VpcNetwork1");
        assert_eq!(
            p["SubnetIds"],
            serde_json::json!([{"Ref": "Subnet1Network1"}, {"Ref": "Subnet2Network1"}])
        );
    }
    let params = t["Parameters"].as_object().unwrap();
    assert!(!params.contains_key("Network1VpcId") && !params.contains_key("Network1SubnetIds"));

    let m = json(crate::common::file(
        &c,
        "terraform/modules/members-us-east-1/main.tf.json",
    ));
    let res = &m["resource"];
    let vpc = &res["aws_vpc"]["vpc_network_1"];
    assert_eq!(vpc["cidr_block"], "${var.network_1_cidr}");
    assert_eq!(vpc["enable_dns_support"], true);
    assert_eq!(vpc["enable_dns_hostnames"], true);
    let subnet = &res["aws_subnet"]["subnet_2_network_1"];
    assert_eq!(subnet["vpc_id"], "${aws_vpc.vpc_network_1.id}");
    assert_eq!(
        subnet["availability_zone_id"],
        "${var.network_1_subnet_2_az_id}"
    );
    assert_eq!(
        res["aws_vpc_endpoint"]["endpoint_bedrock_mantle_network_1"]["subnet_ids"],
        serde_json::json!([
            "${aws_subnet.subnet_1_network_1.id}",
            "${aws_subnet.subnet_2_network_1.id}"
        ])
    );
    // The account's root module passes its own values.
    let root = json(crate::common::file(
        &c,
        "terraform/acme-pilot-us-east-1/main.tf.json",
    ));
    let member = &root["module"]["member"];
    assert_eq!(member["network_1_cidr"], "10.20.0.0/16");
    assert_eq!(member["network_1_subnet_1_cidr"], "10.20.0.0/24");
    assert_eq!(member["network_1_subnet_2_az_id"], "use1-az2");
}

/// The StackSets of the management template.
fn stack_sets(c: &tarmac::compile::Compiled) -> Vec<Json> {
    crate::common::cfn_properties(
        c,
        "cloudformation/management.template.json",
        "AWS::CloudFormation::StackSet",
    )
}

#[test]
fn accounts_with_as_many_new_subnets_share_a_template_with_their_own_blocks() {
    let c = crate::common::compile_text(&generated_with_new_vpcs(3, two_subnets), Targets::All);
    let sets = stack_sets(&c);
    assert_eq!(sets.len(), 1);
    let groups = sets[0]["StackInstancesGroup"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    for (i, group) in groups.iter().enumerate() {
        let overrides = group["ParameterOverrides"].to_string();
        for (key, value) in [
            ("Network1Cidr", format!("10.{i}.0.0/16")),
            ("Network1Subnet1Cidr", format!("10.{i}.0.0/24")),
            ("Network1Subnet2AzId", String::from("use2-az2")),
        ] {
            assert!(
                overrides.contains(&format!(
                    r#""ParameterKey":"{key}","ParameterValue":"{value}""#
                )),
                "{overrides}"
            );
        }
    }
    // One Terraform module, called by each account's root with its values.
    let modules: Vec<_> = c
        .files
        .iter()
        .filter(|f| f.path.starts_with("terraform/modules/"))
        .collect();
    assert_eq!(modules.len(), 1);
    let root = json(crate::common::file(
        &c,
        "terraform/pilot-00002-us-east-2/main.tf.json",
    ));
    assert_eq!(
        root["module"]["member"]["network_1_subnet_2_cidr"],
        "10.2.1.0/24"
    );
}

#[test]
fn another_subnet_count_or_an_existing_vpc_is_another_shape() {
    let text = generated_with_new_vpcs(2, |i| {
        let mut s = two_subnets(i);
        if i == 1 {
            s.push((String::from("10.1.2.0/24"), String::from("use2-az3")));
        }
        s
    });
    // pilot-00002 keeps the existing VPC the generator gives it.
    let text = text.replace(
        "  - name: pilot-00001\n",
        "  - name: pilot-00002\n    email: pilot-00002@scale.example\n    ou: Pilots\n  - name: pilot-00001\n",
    ) + "  - account: pilot-00002\n    region: us-east-2\n    vpc_id: vpc-00000000000000002\n    account_deployed: true\n    vpc_cidr: 10.0.0.0/16\n    subnet_ids: [subnet-00000000000000002]\n";
    let text = text.replace(
        "        - pilot-00001\n",
        "        - pilot-00001\n        - pilot-00002\n",
    );
    let c = crate::common::compile_text(&text, Targets::Cloudformation);
    assert_eq!(stack_sets(&c).len(), 3);
    let templates: Vec<_> = c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/members-us-east-2"))
        .collect();
    assert_eq!(
        templates.len(),
        3,
        "{:?}",
        templates.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
}

#[test]
fn a_vpc_id_in_a_new_account_is_refused_with_both_ways_out() {
    let text = crate::common::startup().replace(
        "    vpc_cidr: 10.20.0.0/16\n    subnets:\n      - {cidr: 10.20.0.0/24, availability_zone_id: use1-az1}\n      - {cidr: 10.20.1.0/24, availability_zone_id: use1-az2}\n",
        "    vpc_id: vpc-0a1b2c3d4e5f60789\n    vpc_cidr: 10.20.0.0/16\n    subnet_ids: [subnet-0a1b2c3d4e5f60001]\n",
    );
    let file = tarmac::diagnostics::SourceFile::new("t.yaml", text.as_str());
    let found = tarmac::compile::validate(&file);
    let d = found
        .iter()
        .find(|d| d.code.id == "TM066")
        .unwrap_or_else(|| panic!("{found:?}"));
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("`subnets`") && help.contains("account_deployed: true"),
        "{help}"
    );
    // Once the account was deployed and the VPC created in it, the network may name it.
    let second_phase = text.replace(
        "    vpc_id: vpc-0a1b2c3d4e5f60789\n",
        "    vpc_id: vpc-0a1b2c3d4e5f60789\n    account_deployed: true\n",
    );
    assert_eq!(
        crate::common::error_codes(&second_phase, Targets::All),
        Vec::<&str>::new()
    );
    // The statement means nothing for a VPC tarmac creates.
    let created = crate::common::startup().replace(
        "    vpc_cidr: 10.20.0.0/16\n    subnets:\n",
        "    account_deployed: true\n    vpc_cidr: 10.20.0.0/16\n    subnets:\n",
    );
    assert_eq!(
        crate::common::error_codes(&created, Targets::All),
        vec!["TM069"]
    );
}

//! Member accounts that differ only in their values share one template: one StackSet with an
//! instance per account, one Terraform module that each account's root module calls.

use serde_json::Value as Json;
use tarmac::compile::Targets;

fn json(text: &str) -> Json {
    serde_json::from_str(text).unwrap()
}

/// The StackSets of the management template, by logical id.
fn stack_sets(c: &tarmac::compile::Compiled) -> Vec<(String, Json)> {
    let t = json(crate::common::file(
        c,
        "cloudformation/management.template.json",
    ));
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::CloudFormation::StackSet")
        .map(|(id, r)| (id.clone(), r["Properties"].clone()))
        .collect()
}

#[test]
fn accounts_with_their_own_values_share_one_stack_set_and_one_module() {
    // Three accounts with their own VPCs, and one with its own budget.
    let text = crate::common::generated(3).replace(
        "    email: pilot-00001@scale.example\n",
        "    email: pilot-00001@scale.example\n    monthly_budget_usd: 250\n",
    );
    let c = crate::common::compile_text(&text, Targets::All);
    let sets = stack_sets(&c);
    assert_eq!(
        sets.len(),
        1,
        "{:?}",
        sets.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    let (id, set) = &sets[0];
    assert_eq!(id, "StackSetMembersUsEast2");
    assert_eq!(set["StackSetName"], "scale-members-us-east-2");
    let groups = set["StackInstancesGroup"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    let value = |group: &Json, key: &str| -> Json {
        group["ParameterOverrides"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["ParameterKey"] == key)
            .map(|p| p["ParameterValue"].clone())
            .unwrap()
    };
    assert_eq!(value(&groups[0], "BudgetMonthlyUsd"), "100");
    assert_eq!(value(&groups[1], "BudgetMonthlyUsd"), "250");
    assert_eq!(value(&groups[2], "Network1VpcId"), "vpc-00000000000000002");
    assert_eq!(
        groups[1]["DeploymentTargets"]["Accounts"][0]["Fn::GetAtt"][0],
        "AccountPilot00001"
    );
    // The template the StackSet deploys is the one written for review.
    let body: Json = json(set["TemplateBody"].as_str().unwrap());
    let file = json(crate::common::file(
        &c,
        "cloudformation/members-us-east-2.template.json",
    ));
    assert_eq!(body, file);
    assert!(file["Parameters"]["Network1VpcId"].get("Default").is_none());

    let module = "terraform/modules/members-us-east-2/main.tf.json";
    crate::common::file(&c, module);
    for (i, budget) in [(0, 100), (1, 250), (2, 100)] {
        let root = json(crate::common::file(
            &c,
            &format!("terraform/pilot-0000{i}-us-east-2/main.tf.json"),
        ));
        let call = &root["module"]["member"];
        assert_eq!(call["source"], "../modules/members-us-east-2");
        assert_eq!(call["budget_monthly_usd"], budget);
        assert_eq!(
            call["network_1_subnet_ids"],
            serde_json::json!([format!("subnet-0000000000000000{i}")])
        );
        assert!(
            root.get("resource").is_none(),
            "the resources are the module's"
        );
    }
}

#[test]
fn accounts_whose_networks_differ_get_a_shape_each() {
    let c = crate::common::compile_text(&crate::common::generated_in_three_shapes(), Targets::All);
    let names: Vec<String> = stack_sets(&c)
        .iter()
        .map(|(_, s)| s["StackSetName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "scale-members-us-east-2",
            "scale-members-us-east-2-2",
            "scale-members-us-east-2-3"
        ]
    );
    for shape in [
        "members-us-east-2",
        "members-us-east-2-2",
        "members-us-east-2-3",
    ] {
        crate::common::file(&c, &format!("cloudformation/{shape}.template.json"));
        crate::common::file(&c, &format!("terraform/modules/{shape}/main.tf.json"));
    }
    let manifest = json(crate::common::file(&c, "manifest.json"));
    let accounts: Vec<&Json> = manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "stack-set")
        .map(|u| &u["accounts"])
        .collect();
    assert_eq!(
        accounts,
        [
            &serde_json::json!(["pilot-00000"]),
            &serde_json::json!(["pilot-00001"]),
            &serde_json::json!(["pilot-00002"])
        ]
    );
}

#[test]
fn a_second_network_is_a_second_slot_with_its_own_values() {
    let text = crate::common::generated(2).replace(
        "  - account: pilot-00001\n",
        "  - account: pilot-00000\n    region: us-east-2\n    vpc_id: vpc-0000000000000000a\n    account_deployed: true\n    vpc_cidr: 10.1.0.0/16\n    subnet_ids: [subnet-0000000000000000a, subnet-0000000000000000b]\n  - account: pilot-00001\n",
    );
    let c = crate::common::compile_text(&text, Targets::Cloudformation);
    // pilot-00000 comes first: its shape is the region's first.
    let t = json(crate::common::file(
        &c,
        "cloudformation/members-us-east-2.template.json",
    ));
    let resources = t["Resources"].as_object().unwrap();
    assert!(resources.contains_key("EndpointsSgNetwork1"));
    assert!(resources.contains_key("EndpointBedrockRuntimeNetwork2"));
    let sets = stack_sets(&c);
    assert_eq!(sets.len(), 2);
    let two = &sets
        .iter()
        .find(|(id, _)| id == "StackSetMembersUsEast2")
        .unwrap()
        .1;
    let overrides = two["StackInstancesGroup"][0]["ParameterOverrides"].to_string();
    assert!(
        overrides.contains(r#""ParameterKey":"Network2SubnetIds","ParameterValue":"subnet-0000000000000000a,subnet-0000000000000000b""#),
        "{overrides}"
    );
}

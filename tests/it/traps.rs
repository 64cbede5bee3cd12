//! The domain traps that break real deploys (../shared/design.md), each pinned by a test.

use serde_json::Value as Json;
use tarmac::catalog::Catalog;
use tarmac::compile::Targets;

fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("output is JSON")
}

/// Every policy document in a file: CloudFormation keeps them as objects, Terraform as strings.
fn policies(v: &Json, out: &mut Vec<Json>) {
    match v {
        Json::Object(m) => {
            if m.contains_key("Statement") {
                out.push(v.clone());
            }
            m.values().for_each(|x| policies(x, out));
        }
        Json::Array(a) => a.iter().for_each(|x| policies(x, out)),
        Json::String(s) if s.contains("\"Statement\"") => {
            if let Ok(doc) = serde_json::from_str::<Json>(s) {
                policies(&doc, out);
            }
        }
        _ => {}
    }
}

fn strings(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::String(s) => out.push(s.clone()),
        Json::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Json::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn runtime_and_mantle_ids_are_never_mixed() {
    let catalog = Catalog::get();
    let mut checked = (0, 0);
    for path in crate::common::blueprints() {
        let compiled = tarmac::compile::compile(&crate::common::source(&path), Targets::All)
            .expect("compiles");
        for f in compiled
            .files
            .iter()
            .filter(|f| f.path.ends_with(".json") && f.path != "manifest.json")
        {
            let mut docs = Vec::new();
            policies(&json(&f.contents), &mut docs);
            for doc in docs {
                let mut all = Vec::new();
                strings(&doc, &mut all);
                for s in all
                    .iter()
                    .filter_map(|s| s.split("foundation-model/").nth(1))
                {
                    assert!(
                        catalog.runtime_model(s).is_some(),
                        "{}: `{s}` in a foundation-model ARN is not a Runtime id",
                        f.path
                    );
                    checked.0 += 1;
                }
                for statement in doc["Statement"].as_array().unwrap() {
                    for (_, keys) in statement["Condition"].as_object().into_iter().flatten() {
                        if let Some(ids) = keys.get("bedrock-mantle:Model") {
                            let ids = ids.as_array().cloned().unwrap_or_else(|| vec![ids.clone()]);
                            for id in &ids {
                                assert!(
                                    catalog.mantle_model(id.as_str().unwrap()).is_some(),
                                    "{}: {id} is not a Mantle id",
                                    f.path
                                );
                                checked.1 += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        checked.0 > 0 && checked.1 > 0,
        "the test saw both families: {checked:?}"
    );
}

#[test]
fn vpc_endpoints_are_interface_endpoints_in_both_targets() {
    let c = crate::common::compile_text(&crate::common::startup(), Targets::All);
    let cfn = json(crate::common::file(
        &c,
        "cloudformation/members-us-east-1.template.json",
    ));
    let endpoints: Vec<&Json> = cfn["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::VPCEndpoint")
        .collect();
    assert_eq!(endpoints.len(), 3);
    assert!(endpoints
        .iter()
        .all(|e| e["Properties"]["VpcEndpointType"] == "Interface"));
    let tf = json(crate::common::file(
        &c,
        "terraform/modules/members-us-east-1/main.tf.json",
    ));
    let endpoints = tf["resource"]["aws_vpc_endpoint"].as_object().unwrap();
    assert_eq!(endpoints.len(), 3);
    assert!(endpoints
        .values()
        .all(|e| e["vpc_endpoint_type"] == "Interface"));
    // The Mantle endpoint's service name is built like the others; its DNS lives under api.aws.
    assert!(endpoints
        .values()
        .any(|e| e["service_name"] == "com.amazonaws.us-east-1.bedrock-mantle"));
}

#[test]
fn iam_policy_variables_are_escaped_for_each_target() {
    let text = crate::common::startup().replace(
        "      bedrock_access: runtime-and-mantle\n",
        "      bedrock_access: runtime-and-mantle\n      inline_statements:\n        - sid: OwnPrefix\n          actions: [s3:GetObject]\n          resources: [\"arn:aws:s3:::acme-scratch/${aws:username}/*\"]\n",
    );
    let c = crate::common::compile_text(&text, Targets::All);
    let tf = crate::common::file(&c, "terraform/management/main.tf.json");
    assert!(
        tf.contains("acme-scratch/$${aws:username}/*"),
        "Terraform needs $${{ for a literal ${{"
    );
    assert!(!tf.contains("acme-scratch/${aws:username}"));
    let cfn = crate::common::file(&c, "cloudformation/management.template.json");
    assert!(
        cfn.contains("\"arn:aws:s3:::acme-scratch/${aws:username}/*\""),
        "a plain CloudFormation string keeps the variable as is"
    );
}

#[test]
fn budget_names_change_with_their_notifications() {
    let name = |text: &str| {
        let c = crate::common::compile_text(text, Targets::Cloudformation);
        let t = json(crate::common::file(
            &c,
            "cloudformation/members-us-east-1.template.json",
        ));
        t["Resources"]["BudgetMonthly"]["Properties"]["Budget"]["BudgetName"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = name(&crate::common::startup());
    assert_eq!(before, "acme-monthly-a50-a80-a100-f100");
    let changed = crate::common::startup().replace(
        "  bedrock_monthly_usd: 300\n",
        "  bedrock_monthly_usd: 300\n  thresholds:\n    - percent: 50\n    - percent: 90\n    - percent: 100\n    - percent: 100\n      kind: forecasted\n",
    );
    assert_ne!(
        name(&changed),
        before,
        "CloudFormation replaces a budget whose notifications change; the name must change too"
    );
}

#[test]
fn cost_anomaly_detection_is_deployed_in_us_east_1() {
    let text = crate::common::startup().replace(
        "  management_account_id: \"111111111111\"\n",
        "  management_account_id: \"111111111111\"\n  home_region: eu-central-1\n",
    );
    let c = crate::common::compile_text(&text, Targets::All);
    let home = json(crate::common::file(
        &c,
        "cloudformation/management.template.json",
    ));
    let types: Vec<&str> = home["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap())
        .collect();
    assert!(!types.iter().any(|t| t.starts_with("AWS::CE::")));
    let cost = json(crate::common::file(
        &c,
        "cloudformation/management-us-east-1.template.json",
    ));
    assert_eq!(
        cost["Resources"]["AnomalyMonitor"]["Type"],
        "AWS::CE::AnomalyMonitor"
    );
    let manifest = json(crate::common::file(&c, "manifest.json"));
    assert!(manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["name"] == "management-us-east-1" && u["region"] == "us-east-1"));
    // The monitor reads the new account's id from the home unit's output.
    let tf = json(crate::common::file(
        &c,
        "terraform/management-us-east-1/main.tf.json",
    ));
    assert!(tf["variable"]["account_id_acme_pilot"].is_object());
}

#[test]
fn terraform_provider_constraint_admits_5_100_and_6() {
    let c = crate::common::compile_text(&crate::common::startup(), Targets::Terraform);
    assert!(
        c.files
            .iter()
            .filter(|f| f.path.ends_with(".tf.json"))
            .count()
            >= 2
    );
    for f in c.files.iter().filter(|f| f.path.ends_with(".tf.json")) {
        let tf = json(&f.contents);
        let aws = &tf["terraform"]["required_providers"]["aws"];
        assert_eq!(aws["source"], "hashicorp/aws", "{}", f.path);
        assert_eq!(aws["version"], ">= 5.100, < 7.0", "{}", f.path);
    }
}

#[test]
fn mantle_projects_are_emitted_or_explained() {
    let text = crate::common::startup().replace(
        "  mantle_models: [openai.gpt-oss-120b]\n",
        "  mantle_models: [openai.gpt-oss-120b]\n  mantle_projects:\n    - name: codex-pilot\n      account: acme-pilot\n",
    );
    let c = crate::common::compile_text(&text, Targets::All);
    let cfn = json(crate::common::file(
        &c,
        "cloudformation/members-us-east-1.template.json",
    ));
    assert_eq!(
        cfn["Resources"]["MantleProjectCodexPilot"]["Type"],
        "AWS::BedrockMantle::Project"
    );
    let manifest = json(crate::common::file(&c, "manifest.json"));
    let tf_unit = manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["target"] == "terraform" && u["name"] == "acme-pilot-us-east-1")
        .unwrap();
    let notes = tf_unit["notes"].to_string();
    assert!(
        notes.contains("codex") || notes.contains("Mantle"),
        "the Terraform manifest entry explains the missing project: {notes}"
    );
}

#[test]
fn member_templates_fit_inline_in_their_stack_sets() {
    for path in crate::common::blueprints() {
        let c = tarmac::compile::compile(&crate::common::source(&path), Targets::Cloudformation)
            .expect("compiles");
        let mgmt = json(crate::common::file(
            &c,
            "cloudformation/management.template.json",
        ));
        for r in mgmt["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::CloudFormation::StackSet")
        {
            let body = r["Properties"]["TemplateBody"].as_str().unwrap();
            assert!(
                body.len() <= tarmac::emit::cloudformation::INLINE_TEMPLATE_LIMIT,
                "{}",
                path.display()
            );
            assert_eq!(r["Properties"]["PermissionModel"], "SERVICE_MANAGED");
        }
    }
}

/// Every anomaly monitor of a Terraform output, as (file, monitor_specification parsed).
fn terraform_monitor_specifications(c: &tarmac::compile::Compiled) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for f in c.files.iter().filter(|f| f.path.ends_with(".tf.json")) {
        let doc = json(&f.contents);
        let Some(monitors) = doc["resource"]["aws_ce_anomaly_monitor"].as_object() else {
            continue;
        };
        for m in monitors.values() {
            let spec = m["monitor_specification"].as_str().expect("a JSON string");
            out.push((f.path.clone(), json(spec)));
        }
    }
    out
}

/// The provider reads a monitor back by marshalling the SDK's `Expression`, unset members as
/// nulls, and compares that document with the configured one as it is: an expression without
/// the nulls forced a replacement of every monitor on every plan (found by the deploy rehearsal,
/// .ci/rehearsal). CloudFormation keeps the compact expression: it compares nothing.
#[test]
fn anomaly_monitor_expressions_are_written_as_the_provider_reads_them_back() {
    let mut texts: Vec<String> = crate::common::blueprints()
        .iter()
        .map(|p| crate::common::text(p))
        .collect();
    texts.push(crate::common::generated(12)); // two monitors
    let mut seen = 0;
    for text in &texts {
        let c = crate::common::compile_text(text, Targets::All);
        for (path, spec) in terraform_monitor_specifications(&c) {
            seen += 1;
            let members: Vec<&str> = spec
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(
                members,
                ["And", "CostCategories", "Dimensions", "Not", "Or", "Tags"],
                "{path}"
            );
            for unused in ["And", "CostCategories", "Not", "Or", "Tags"] {
                assert!(spec[unused].is_null(), "{path}: {unused}");
            }
            let dimensions = spec["Dimensions"].as_object().unwrap();
            assert_eq!(
                dimensions.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
                ["Key", "MatchOptions", "Values"],
                "{path}"
            );
            assert_eq!(dimensions["Key"], "LINKED_ACCOUNT", "{path}");
            assert!(dimensions["MatchOptions"].is_null(), "{path}");
            assert!(
                !dimensions["Values"].as_array().unwrap().is_empty(),
                "{path}"
            );
        }
        for f in c
            .files
            .iter()
            .filter(|f| f.path.starts_with("cloudformation/"))
        {
            assert!(
                !f.contents.contains(r#"\"And\":null"#),
                "{}: CloudFormation keeps the compact expression",
                f.path
            );
        }
    }
    assert!(seen >= texts.len(), "every output has a monitor ({seen})");
}

//! Canadian residency with approved cross-border inference (issue 16, finding 9): only model
//! invocation leaves Canada, in both targets; everything placed stays there; without the approval
//! the refusal names `cross_border_inference`. The IAM evaluator's answers for the same output
//! are in .ci/access/questions.json (blueprint `maplecrest`).

use serde_json::Value;
use tarmac::compile::Targets;

fn maplecrest() -> String {
    std::fs::read_to_string(crate::common::root().join("blueprints/maplecrest-canada.yaml"))
        .unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The region-allowlist SCP's document, from the CloudFormation management template.
fn region_scp(c: &tarmac::compile::Compiled) -> Value {
    crate::common::cfn_properties(
        c,
        "cloudformation/management.template.json",
        "AWS::Organizations::Policy",
    )
    .into_iter()
    .find(|p| p["Name"] == "maplecrest-region-allowlist")
    .map(|p| p["Content"].clone())
    .expect("a region-allowlist SCP")
}

fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn only_inference_actions_may_reach_the_approved_us_regions() {
    let c = crate::common::compile_text(&maplecrest(), Targets::All);
    let scp = region_scp(&c);
    let statements = scp["Statement"].as_array().unwrap();
    let general = &statements[0];
    assert_eq!(general["Sid"], "DenyOutsideApprovedRegions");
    assert_eq!(
        strings(&general["Condition"]["StringNotEquals"]["aws:RequestedRegion"]),
        ["ca-central-1"],
        "everything but the exemptions is denied outside Canada"
    );
    let inference = statements
        .iter()
        .find(|s| s["Sid"] == "DenyInferenceOutsideApprovedRegions")
        .expect("the cross-border carve-out");
    let carved = strings(&inference["Action"]);
    assert_eq!(
        carved,
        [
            "bedrock-mantle:CountTokens",
            "bedrock-mantle:CreateInference",
            "bedrock-mantle:GetModel",
            "bedrock-mantle:GetProject",
            "bedrock-mantle:ListModels",
            "bedrock-mantle:ListProjects",
            "bedrock-mantle:ListTagsForResource",
            "bedrock:GetFoundationModel",
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream",
            "bedrock:ListFoundationModels",
        ]
    );
    assert_eq!(
        strings(&inference["Condition"]["StringNotEquals"]["aws:RequestedRegion"]),
        ["ca-central-1", "us-east-1", "us-west-2"]
    );
    // Exactly these leave the general deny, beyond the global services' exemptions.
    let not_action = strings(&general["NotAction"]);
    for action in &carved {
        assert!(not_action.contains(action), "{action}");
    }
    for kept in [
        "bedrock:CreateModelCustomizationJob",
        "bedrock:CreateModelInvocationJob",
        "bedrock:PutModelInvocationLoggingConfiguration",
        "bedrock-mantle:CreateProject",
        "bedrock-mantle:CreateFineTuningJob",
        "bedrock:*",
        "bedrock-mantle:*",
    ] {
        assert!(!not_action.contains(&kept), "{kept} must stay denied");
    }
    // The Terraform SCP is the same document.
    let tf = json(crate::common::file(&c, "terraform/management/main.tf.json"));
    let policies = tf["resource"]["aws_organizations_policy"]
        .as_object()
        .unwrap();
    let region = policies
        .values()
        .find(|p| p["name"] == "maplecrest-region-allowlist")
        .expect("the Terraform region-allowlist SCP");
    assert_eq!(json(region["content"].as_str().unwrap()), scp);
}

#[test]
fn permission_sets_name_models_in_the_approved_us_regions_only() {
    let c = crate::common::compile_text(&maplecrest(), Targets::Cloudformation);
    let set = crate::common::cfn_properties(
        &c,
        "cloudformation/management.template.json",
        "AWS::SSO::PermissionSet",
    )
    .into_iter()
    .find(|p| p["Name"] == "CodexBedrockUser")
    .unwrap();
    let policy = set["InlinePolicy"].to_string();
    for arn in [
        "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-120b-1:0",
        "arn:aws:bedrock:us-west-2::foundation-model/openai.gpt-oss-120b-1:0",
        "arn:aws:bedrock-mantle:us-east-1:",
        "arn:aws:bedrock-mantle:us-west-2:",
    ] {
        assert!(policy.contains(arn), "{arn} in {policy}");
    }
    // No Region beyond the approved ones: gpt-oss is also served in us-east-2 and Europe.
    for other in ["us-east-2", "eu-", "ap-", "sa-"] {
        assert!(!policy.contains(other), "{other} in {policy}");
    }
}

#[test]
fn everything_deployed_stays_in_canada_but_cost_explorer() {
    let c = crate::common::compile_text(&maplecrest(), Targets::All);
    let manifest = json(crate::common::file(&c, "manifest.json"));
    for unit in manifest["units"].as_array().unwrap() {
        let region = unit["region"].as_str().unwrap();
        // Cost Explorer (anomaly monitors) has one Region; READINESS.md says so.
        if unit["name"]
            .as_str()
            .unwrap()
            .starts_with("management-us-east-1")
        {
            assert_eq!(region, "us-east-1");
            continue;
        }
        assert_eq!(region, "ca-central-1", "{unit}");
    }
    let readiness = crate::common::file(&c, "rollout/READINESS.md");
    for said in [
        "| Cross-border inference | prompts and completions may be processed in `us-east-1`, `us-west-2` by model invocation only, approved by Privacy Office (Chief Privacy Officer) on 2026-11-20 (reference: PIA-2026-014)",
        "except the Cost Anomaly Detection monitor (billing data only), which AWS serves from `us-east-1` alone",
        "non-global actions outside `ca-central-1` are denied; in `us-east-1`, `us-west-2` only invoking the approved models",
        "prompts may leave only to invoke models in us-east-1, us-west-2<br/>approved by Privacy Office (Chief Privacy Officer) on 2026-11-20",
    ] {
        assert!(readiness.contains(said), "{said}");
    }
    // Codex is configured for a Region it may invoke in.
    let codex = crate::common::file(
        &c,
        "rollout/codex/maplecrest-genai-pilot.CodexBedrockUser/config.toml",
    );
    assert!(codex.contains("region = \"us-east-1\""), "{codex}");
}

#[test]
fn without_the_approval_the_refusal_names_it() {
    let text = maplecrest();
    let start = text.find("  cross_border_inference:").unwrap();
    let end = text.find("identity_center:").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let file = tarmac::diagnostics::SourceFile::new("m.yaml", without.as_str());
    let found = tarmac::compile::validate(&file);
    let residency: Vec<_> = found.iter().filter(|d| d.code.id == "TM046").collect();
    assert_eq!(residency.len(), 2, "{found:?}");
    for d in residency {
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.contains("cross_border_inference"), "{d:?}");
    }
    // An approval naming a Region where no approved model is served is refused.
    let elsewhere = text.replace(
        "regions: [us-east-1, us-west-2]",
        "regions: [ap-southeast-2]",
    );
    let codes = crate::common::error_codes(&elsewhere, Targets::All);
    assert!(codes.contains(&"TM046"), "{codes:?}");
}

#[test]
fn the_approval_stays_one_cell_and_one_label() {
    let path = crate::common::root().join("tests/fixtures/hostile/residency.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let c = crate::common::compile_text(&text, Targets::All);
    let readiness = crate::common::file(&c, "rollout/READINESS.md");
    let row = readiness
        .lines()
        .find(|l| l.starts_with("| Cross-border inference |"))
        .unwrap();
    assert!(
        row.contains(r"approved by Privacy a \| b \` c \`\`\` d"),
        "{row}"
    );
    assert!(row.contains(r"(reference: PIA \| x"), "{row}");
    // Two cells: three unescaped pipes.
    let unescaped = row
        .char_indices()
        .filter(|(i, c)| *c == '|' && (*i == 0 || row.as_bytes()[i - 1] != b'\\'))
        .count();
    assert_eq!(unescaped, 3, "{row}");
    // The diagram's label holds the approver as entity codes, inside its quotes.
    let label = readiness
        .lines()
        .find(|l| l.trim_start().starts_with("residency[\""))
        .unwrap();
    assert!(label.ends_with("\"]"), "{label}");
    assert_eq!(label.matches('"').count(), 2, "{label}");
    assert_eq!(
        readiness
            .lines()
            .filter(|l| l.trim_start().starts_with("```"))
            .count(),
        2
    );
    // A line break in the approver is refused before it reaches any file.
    let broken = text.replace("Privacy a |", "Privacy\\na |");
    assert!(
        crate::common::error_codes(&broken, Targets::All).contains(&"TM026"),
        "{broken}"
    );
}

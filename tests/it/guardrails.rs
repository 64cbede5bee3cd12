//! Guardrails that hold against a member-account administrator (issue 17, findings 1 to 5):
//! the statements each finding asked for, with their exact actions and conditions, in every
//! shipped blueprint's output, and the blueprint values that must be refused.

use serde_json::{json, Value};
use tarmac::blueprint::load::load;
use tarmac::catalog::Catalog;
use tarmac::compile::{compile, validate, Failure, Targets};
use tarmac::diagnostics::{Severity, SourceFile};
use tarmac::plan::policy::PolicyDocument;
use tarmac::plan::Kind;
use tarmac::resolve::guardrails::characters;

/// The SCPs a blueprint resolves to, or what resolving it refuses.
fn scps(
    bp: &tarmac::blueprint::Blueprint,
    catalog: &Catalog,
) -> Result<Vec<tarmac::resolve::guardrails::Scp>, Vec<tarmac::diagnostics::Diagnostic>> {
    tarmac::resolve::resolve(bp, catalog).map(|r| r.guardrails.scps)
}

/// Every SCP statement of a compiled blueprint's CloudFormation, by Sid.
fn scp_statements(text: &str) -> Vec<Value> {
    let c = crate::common::compile_text(text, Targets::Cloudformation);
    let mut out = Vec::new();
    for f in c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/management"))
    {
        let t: Value = serde_json::from_str(&f.contents).unwrap();
        for r in t["Resources"].as_object().unwrap().values() {
            if r["Type"] == "AWS::Organizations::Policy" {
                out.extend(
                    r["Properties"]["Content"]["Statement"]
                        .as_array()
                        .unwrap()
                        .clone(),
                );
            }
        }
    }
    out
}

fn statement<'a>(statements: &'a [Value], sid: &str) -> Option<&'a Value> {
    statements.iter().find(|s| s["Sid"] == sid)
}

fn shipped() -> Vec<(String, String)> {
    crate::common::blueprints()
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, crate::common::text(p))
        })
        .collect()
}

/// A document as JSON, with non-literal values written as their debug form.
fn json_of(doc: &PolicyDocument) -> Value {
    let lowered = doc.lower(&|v| match v {
        tarmac::plan::value::Value::Lit(s) => tarmac::json::Json::Str(s.clone()),
        other => tarmac::json::Json::Str(format!("<{other:?}>")),
    });
    let mut text = Vec::new();
    lowered.write_compact(&mut text);
    serde_json::from_slice(&text).unwrap()
}

fn error_codes(text: &str) -> Vec<&'static str> {
    validate(&SourceFile::new("t.yaml", text))
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.id)
        .collect()
}

fn with_guardrails(yaml: &str) -> String {
    crate::common::startup().replace("budgets:\n", &format!("guardrails:\n{yaml}budgets:\n"))
}

// Finding 1: the privileged role.

#[test]
fn the_privileged_role_is_protected_by_an_scp_in_every_shipped_blueprint() {
    for (name, text) in shipped() {
        let bp = load(&SourceFile::new(&name, &text)).unwrap();
        let role = format!("arn:aws:iam::*:role/{}", bp.guardrails.privileged_role);
        let statements = scp_statements(&text);
        let s = statement(&statements, "ProtectPrivilegedRole")
            .unwrap_or_else(|| panic!("{name}: no ProtectPrivilegedRole"));
        assert_eq!(
            s,
            &json!({
                "Sid": "ProtectPrivilegedRole",
                "Effect": "Deny",
                "Action": [
                    "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole",
                    "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
                    "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
                    "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
                    "iam:UpdateRoleDescription"
                ],
                "Resource": [role],
                "Condition": {"ArnNotLike": {"aws:PrincipalARN": role}}
            }),
            "{name}"
        );
        // The exemption the protection backs names the same one role.
        for sid in ["DenyOutsideApprovedRegions", "ProtectAuditTrail"] {
            let s = statement(&statements, sid).unwrap();
            assert_eq!(
                s["Condition"]["ArnNotLike"]["aws:PrincipalARN"],
                json!(role),
                "{name} {sid}"
            );
        }
    }
}

#[test]
fn a_wildcard_or_a_path_in_the_privileged_role_is_refused() {
    for bad in [
        "\"*\"",
        "Admin*",
        "Admin?",
        "admin/BreakGlass",
        "\"Break Glass\"",
        "\"\"",
    ] {
        let text = with_guardrails(&format!("  privileged_role: {bad}\n"));
        assert_eq!(error_codes(&text), vec!["TM051"], "{bad}");
        assert!(
            matches!(
                compile(&SourceFile::new("t.yaml", &text), Targets::All),
                Err(Failure::Blueprint(_))
            ),
            "{bad} synthesizes"
        );
    }
    let good = with_guardrails("  privileged_role: Break.Glass+Admin@1\n");
    assert_eq!(error_codes(&good), Vec::<&str>::new());
}

#[test]
fn without_an_exemption_there_is_no_privileged_role_to_protect() {
    let text = with_guardrails("  region_allowlist: false\n  protect_audit_trail: false\n");
    let statements = scp_statements(&text);
    assert!(statement(&statements, "ProtectPrivilegedRole").is_none());
    assert!(statement(&statements, "DenyLongTermBedrockCredentials").is_some());
}

// Finding 2: long-term credentials.

#[test]
fn long_term_bedrock_credentials_are_denied_by_default() {
    let expected = json!({
        "Sid": "DenyLongTermBedrockCredentials",
        "Effect": "Deny",
        "Action": [
            "bedrock-mantle:CallWithBearerToken",
            "bedrock:CallWithBearerToken",
            "iam:CreateServiceSpecificCredential"
        ],
        "Resource": ["*"],
        "Condition": {"StringEqualsIfExists": {
            "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com",
            "bedrock:bearerTokenType": "LONG_TERM",
            "bedrock-mantle:BearerTokenType": "LONG_TERM"
        }}
    });
    for (name, text) in shipped() {
        let statements = scp_statements(&text);
        assert_eq!(
            statement(&statements, "DenyLongTermBedrockCredentials"),
            Some(&expected),
            "{name}"
        );
        let c = crate::common::compile_text(&text, Targets::Cloudformation);
        assert!(
            crate::common::file(&c, "rollout/READINESS.md")
                .contains("- [x] **No long-term Bedrock API keys (SCP)**"),
            "{name}"
        );
    }
    let off = with_guardrails("  deny_long_term_credentials: false\n");
    assert!(statement(&scp_statements(&off), "DenyLongTermBedrockCredentials").is_none());
    let c = crate::common::compile_text(&off, Targets::Cloudformation);
    assert!(!crate::common::file(&c, "rollout/READINESS.md").contains("long-term Bedrock API keys"));
}

// Finding 3: region-deny exemptions.

#[test]
fn the_region_deny_exempts_what_control_tower_exempts() {
    let catalog = Catalog::get();
    let statements = scp_statements(&crate::common::startup());
    let deny = statement(&statements, "DenyOutsideApprovedRegions").unwrap();
    let exempt: Vec<&str> = deny["NotAction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for action in [
        "account:*",
        "billing:*",
        "payments:*",
        "tax:*",
        "invoicing:*",
        "cloudtrail:LookupEvents",
        "sso:*",
        "iam:*",
        "sts:*",
        "organizations:*",
        "ce:*",
        "budgets:*",
    ] {
        assert!(exempt.contains(&action), "{action} is not exempt");
    }
    assert_eq!(exempt, catalog.region_deny_exempt_actions());
    // Every exemption of Control Tower's control is here: its NotAction list has 86 entries.
    let control_tower = catalog
        .region_deny_exemptions
        .iter()
        .filter(|e| e.sources.iter().any(|s| s == "control-tower"))
        .count();
    assert_eq!(control_tower, 86);
}

#[test]
fn every_shipped_blueprints_scps_fit_the_old_and_the_new_size_quota() {
    for (name, text) in shipped() {
        for (limits, max) in [
            ("", 10_240),
            (
                "  limits:\n    max_characters: 5120\n    max_per_target: 5\n",
                5_120,
            ),
        ] {
            let text = if limits.is_empty() {
                text.clone()
            } else if text.contains("guardrails:\n") {
                text.replace("guardrails:\n", &format!("guardrails:\n{limits}"))
            } else {
                text.replace("budgets:\n", &format!("guardrails:\n{limits}budgets:\n"))
            };
            let bp = load(&SourceFile::new(&name, &text)).unwrap();
            let scps = scps(&bp, Catalog::get()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            for scp in &scps {
                assert!(
                    characters(&scp.document) <= max,
                    "{name}: {} over {max}",
                    scp.slug
                );
            }
            assert_eq!(error_codes(&text), Vec::<&str>::new(), "{name}");
        }
    }
}

// Finding 4: cross-Region and batch inference.

/// The shipped catalog with one inference profile added, for the opt-in: AWS lists none for the
/// catalog's OpenAI models today.
fn catalog_with_profile() -> Catalog {
    let yaml = std::fs::read_to_string(crate::common::root().join("catalog/aws.yaml")).unwrap();
    let yaml = yaml.replace(
        "inference_profiles: []",
        "inference_profiles:\n  - id: us.openai.gpt-oss-120b-1:0\n    model: openai.gpt-oss-120b-1:0\n    regions: [us-east-1, us-east-2, us-west-2]",
    );
    serde_yaml_ng::from_str(&yaml).unwrap()
}

#[test]
fn cross_region_and_batch_inference_are_denied_and_documented_by_default() {
    for (name, text) in shipped() {
        let statements = scp_statements(&text);
        let deny = statement(&statements, "DenyUnapprovedRuntimeModels").unwrap();
        assert!(deny["Action"]
            .as_array()
            .unwrap()
            .contains(&json!("bedrock:CreateModelInvocationJob")));
        if let Some(allowed) = deny["NotResource"].as_array() {
            assert!(
                allowed
                    .iter()
                    .all(|r| r.as_str().unwrap().contains("::foundation-model/")),
                "{name}: {allowed:?}"
            );
        }
        assert!(statement(&statements, "DenyBedrockInferenceOutsideApprovedRegions").is_none());
        let c = crate::common::compile_text(&text, Targets::Cloudformation);
        let readiness = crate::common::file(&c, "rollout/READINESS.md");
        assert!(
            readiness.contains("| Cross-Region inference | denied"),
            "{name}"
        );
        assert!(readiness.contains("| Batch inference | denied"), "{name}");
    }
}

#[test]
fn an_inference_profile_unknown_to_the_catalog_is_refused() {
    let text = crate::common::startup().replace(
        "  mantle_models: [openai.gpt-oss-120b]\n",
        "  mantle_models: [openai.gpt-oss-120b]\n  inference_profiles: [us.openai.gpt-oss-120b-1:0]\n",
    );
    assert_eq!(error_codes(&text), vec!["TM052"]);
}

#[test]
fn an_opted_in_inference_profile_is_allowed_consistently() {
    let catalog = catalog_with_profile();
    let text = crate::common::startup().replace(
        "  mantle_models: [openai.gpt-oss-120b]\n",
        "  mantle_models: [openai.gpt-oss-120b]\n  inference_profiles: [us.openai.gpt-oss-120b-1:0]\n",
    );
    let bp = load(&SourceFile::new("t.yaml", &text)).unwrap();
    assert!(tarmac::checks::check(&bp, &catalog)
        .iter()
        .all(|d| d.severity != Severity::Error));
    let scps: Vec<Value> = scps(&bp, &catalog)
        .unwrap()
        .iter()
        .flat_map(|s| {
            json_of(&s.document)["Statement"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    let profile = "arn:aws:bedrock:*:*:inference-profile/us.openai.gpt-oss-120b-1:0";
    let models = statement(&scps, "DenyUnapprovedRuntimeModels").unwrap();
    assert_eq!(
        models["NotResource"],
        json!([
            "arn:aws:bedrock:*::foundation-model/openai.gpt-oss-120b-1:0",
            profile
        ])
    );
    // Inference leaves the general region deny, and is denied outside the allowed Regions
    // unless it goes through the approved profile.
    let region = statement(&scps, "DenyOutsideApprovedRegions").unwrap();
    assert!(region["NotAction"]
        .as_array()
        .unwrap()
        .contains(&json!("bedrock:InvokeModel")));
    assert_eq!(
        statement(&scps, "DenyBedrockInferenceOutsideApprovedRegions").unwrap(),
        &json!({
            "Sid": "DenyBedrockInferenceOutsideApprovedRegions",
            "Effect": "Deny",
            "Action": [
                "bedrock:CreateModelInvocationJob",
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream"
            ],
            "Resource": ["*"],
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]},
                "ArnNotLike": {
                    "bedrock:InferenceProfileArn": profile,
                    "aws:PrincipalARN": "arn:aws:iam::*:role/OrganizationAccountAccessRole"
                }
            }
        })
    );
    // The Runtime permission set may invoke the profile from the approved Regions and the model
    // in every Region it routes to.
    let resolved = tarmac::resolve::resolve(&bp, &catalog).unwrap();
    let plan = tarmac::plan::build(&resolved, &catalog);
    let set = plan
        .management()
        .resources
        .iter()
        .find_map(|r| match &r.kind {
            Kind::PermissionSet(set) if set.name == "CodexBedrockUser" => {
                set.inline_policy.as_ref().map(json_of)
            }
            _ => None,
        })
        .unwrap();
    let statements = set["Statement"].as_array().unwrap();
    assert_eq!(
        statement(statements, "BedrockInvokeApprovedInferenceProfiles").unwrap()["Resource"],
        json!([
            "arn:aws:bedrock:us-east-1:*:inference-profile/us.openai.gpt-oss-120b-1:0",
            "arn:aws:bedrock:us-west-2:*:inference-profile/us.openai.gpt-oss-120b-1:0",
            "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-oss-120b-1:0",
            "arn:aws:bedrock:us-east-2::foundation-model/openai.gpt-oss-120b-1:0",
            "arn:aws:bedrock:us-west-2::foundation-model/openai.gpt-oss-120b-1:0"
        ])
    );
}

// Finding 5: Mantle and the endpoints.

/// The statements of one permission set in a compiled blueprint's management template.
fn permission_set(text: &str, set: &str) -> Vec<Value> {
    let c = crate::common::compile_text(text, Targets::Cloudformation);
    crate::common::cfn_properties(
        &c,
        "cloudformation/management.template.json",
        "AWS::SSO::PermissionSet",
    )
    .into_iter()
    .find(|p| p["Name"] == set)
    .unwrap()["InlinePolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn mantle_access_is_aws_documented_minimum() {
    let statements = permission_set(&crate::common::startup(), "CodexBedrockUser");
    let discovery = statement(&statements, "MantleDiscovery").unwrap();
    for action in [
        "bedrock-mantle:GetProject",
        "bedrock-mantle:ListProjects",
        "bedrock-mantle:ListTagsForResource",
    ] {
        assert!(
            discovery["Action"]
                .as_array()
                .unwrap()
                .contains(&json!(action)),
            "{action}"
        );
    }
    let inference = statement(&statements, "MantleInferenceApprovedModels").unwrap();
    assert!(inference["Action"]
        .as_array()
        .unwrap()
        .contains(&json!("bedrock-mantle:CreateInference")));
    assert!(
        statement(&statements, "MantleShortTermApiKeys").is_none(),
        "off by default"
    );
}

#[test]
fn short_term_bearer_tokens_are_an_option_and_only_short_term() {
    let text = crate::common::startup().replace(
        "      bedrock_access: runtime-and-mantle\n",
        "      bedrock_access: runtime-and-mantle\n      short_term_bearer_tokens: true\n",
    );
    let statements = permission_set(&text, "CodexBedrockUser");
    assert_eq!(
        statement(&statements, "MantleShortTermApiKeys").unwrap(),
        &json!({
            "Sid": "MantleShortTermApiKeys",
            "Effect": "Allow",
            "Action": ["bedrock-mantle:CallWithBearerToken"],
            "Resource": ["*"],
            "Condition": {"StringEquals": {"bedrock-mantle:BearerTokenType": "SHORT_TERM"}}
        })
    );
    assert_eq!(
        statement(&statements, "BedrockShortTermApiKeys").unwrap()["Condition"],
        json!({"StringEquals": {"bedrock:bearerTokenType": "SHORT_TERM"}})
    );
    // The endpoints let the keys through, and the SCP still denies long-term ones.
    let c = crate::common::compile_text(&text, Targets::Cloudformation);
    let members = crate::common::file(&c, "cloudformation/members-us-east-1.template.json");
    assert!(
        members.contains("MantleShortTermApiKeys") && members.contains("BedrockShortTermApiKeys")
    );
    assert!(statement(&scp_statements(&text), "DenyLongTermBedrockCredentials").is_some());
}

#[test]
fn the_control_plane_endpoint_allows_discovery_of_models_and_profiles() {
    let c = crate::common::compile_text(&crate::common::startup(), Targets::Cloudformation);
    let t: Value = serde_json::from_str(crate::common::file(
        &c,
        "cloudformation/members-us-east-1.template.json",
    ))
    .unwrap();
    let endpoint = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| {
            r["Type"] == "AWS::EC2::VPCEndpoint"
                && r["Properties"]["ServiceName"]
                    .to_string()
                    .contains(".bedrock\"")
        })
        .expect("the control-plane endpoint");
    let statements = endpoint["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let list = statement(statements, "ListModels").unwrap();
    assert_eq!(
        list["Action"],
        json!([
            "bedrock:ListFoundationModels",
            "bedrock:ListInferenceProfiles"
        ])
    );
    assert_eq!(
        statement(statements, "GetApprovedModels").unwrap()["Action"],
        json!(["bedrock:GetFoundationModel"])
    );
}

#[test]
fn bidirectional_streaming_is_not_an_iam_action_in_the_catalog() {
    let c = Catalog::get();
    assert!(!c.invoke_actions.iter().any(|a| a.contains("Bidirectional")));
    assert!(c.invoke_actions.contains(&"bedrock:InvokeModel".to_owned()));
}

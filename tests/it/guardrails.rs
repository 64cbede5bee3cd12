//! Guardrails that hold against a member-account administrator (issue 17, findings 1 to 3):
//! the statements each finding asked for, with their exact actions and conditions, in every
//! shipped blueprint's output, and the blueprint values that must be refused.

use serde_json::{json, Value};
use tarmac::blueprint::load::load;
use tarmac::catalog::Catalog;
use tarmac::compile::{compile, validate, Failure, Targets};
use tarmac::diagnostics::{Severity, SourceFile};
use tarmac::plan::guardrails::{characters, scps};

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
            (name, std::fs::read_to_string(p).unwrap())
        })
        .collect()
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

//! Finding 8 of issue 16: Terraform member modules assume `guardrails.privileged_role`, and the
//! accounts tarmac creates are created with that role, so that it exists there.

use serde_json::Value;
use tarmac::compile::Targets;

use crate::common::{compile_text, file, generated};

fn json(c: &tarmac::compile::Compiled, path: &str) -> Value {
    serde_json::from_str(file(c, path)).unwrap()
}

fn with_role(role: &str) -> String {
    format!("{}guardrails:\n  privileged_role: {role}\n", generated(2))
}

#[test]
fn terraform_members_assume_the_privileged_role_and_new_accounts_are_created_with_it() {
    let c = compile_text(&with_role("BreakGlassAdmin"), Targets::All);
    for account in ["pilot-00000", "pilot-00001"] {
        let root = json(&c, &format!("terraform/{account}-us-east-2/main.tf.json"));
        assert_eq!(
            root["provider"]["aws"][0]["assume_role"]["role_arn"],
            "arn:aws:iam::${var.account_id}:role/BreakGlassAdmin",
            "{account}"
        );
        let id = format!("account_{}", account.replace('-', "_"));
        let tf = json(&c, "terraform/management/main.tf.json");
        let a = &tf["resource"]["aws_organizations_account"][&id];
        assert_eq!(a["role_name"], "BreakGlassAdmin", "{account}");
        assert_eq!(
            a["lifecycle"],
            serde_json::json!({ "prevent_destroy": true, "ignore_changes": ["role_name"] }),
            "{account}: an account created before, or imported, is not replaced for its role name"
        );
        let cfn = json(&c, "cloudformation/management.template.json");
        let pascal: String = id
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        assert_eq!(
            cfn["Resources"][&pascal]["Properties"]["RoleName"], "BreakGlassAdmin",
            "{account}"
        );
    }
}

#[test]
fn the_default_role_is_assumed_and_not_written_on_accounts() {
    let c = compile_text(&generated(2), Targets::All);
    let root = json(&c, "terraform/pilot-00000-us-east-2/main.tf.json");
    assert_eq!(
        root["provider"]["aws"][0]["assume_role"]["role_arn"],
        "arn:aws:iam::${var.account_id}:role/OrganizationAccountAccessRole"
    );
    let tf = file(&c, "terraform/management/main.tf.json");
    assert!(!tf.contains("role_name"), "AWS's default is not written");
    let cfn = file(&c, "cloudformation/management.template.json");
    assert!(!cfn.contains("RoleName"), "AWS's default is not written");
}

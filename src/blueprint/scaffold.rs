//! `tarmac init`: the first blueprint of a new client, and the placeholders it leaves.
//!
//! A landing zone deployed with a made-up organization id, a guessed Identity Center instance or
//! a sample VPC fails half-way or, worse, lands in the wrong place. So the scaffold never writes
//! a default for a value only the client can give: it writes `<fill in: WHAT>`, which no field
//! accepts, and the loader reports each one as [`codes::PLACEHOLDER`] naming WHAT, so that
//! `tarmac validate` is the checklist of what is left to ask the client.

use serde_json::Value;

use crate::codes;
use crate::diagnostics::Diagnostic;

/// How a placeholder starts; it ends with `>`. Neither `<` nor `>` is valid in any id, email,
/// URL or name a blueprint takes, so no real value is taken for a placeholder.
pub const OPEN: &str = "<fill in: ";

/// The text of a placeholder asking for `what`.
pub fn placeholder(what: &str) -> String {
    format!("{OPEN}{what}>")
}

/// Every placeholder of a document: its pointer and what it asks for, in document order.
pub fn placeholders(value: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(s) => {
                if let Some(what) = s.strip_prefix(OPEN).and_then(|r| r.strip_suffix('>')) {
                    out.push((at.to_owned(), what.to_owned()));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), out);
                }
            }
            Value::Object(m) => {
                for (k, v) in m {
                    walk(v, &format!("{at}/{}", super::spans::escape(k)), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// The error of one placeholder left in a blueprint.
pub fn diagnostic(pointer: String, what: &str) -> Diagnostic {
    let field = super::load::describe(&pointer);
    Diagnostic::error(
        codes::PLACEHOLDER,
        pointer,
        format!("fill in {field}: {what}"),
    )
    .with_label("a placeholder of `tarmac init`")
    .with_help(
        "replace the whole `<fill in: ...>` text with the client's value; tarmac never invents \
an id, so nothing is synthesized while a placeholder is left",
    )
}

/// Whether `client` can name a client (the schema's pattern for `client`).
pub fn valid_client(client: &str) -> bool {
    let b = client.as_bytes();
    (3..=32).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

/// A quoted placeholder, as a YAML scalar.
fn fill(what: &str) -> String {
    serde_json::to_string(&placeholder(what)).unwrap_or_default()
}

/// Whether the base's merged document sets the value at `pointer`.
fn has(base: Option<&Value>, pointer: &str) -> bool {
    base.and_then(|b| b.pointer(pointer))
        .is_some_and(|v| !v.is_null())
}

/// The text of a new client blueprint. With a base (`extends`, as the new file will name it,
/// and the base's merged document), only what the client owns is written — its organization,
/// accounts, Identity Center instance and groups, alert addresses, VPCs — and the sections the
/// base sets are left to it.
pub fn client(client: &str, extends: Option<(&str, &Value)>) -> String {
    let base = extends.map(|(_, b)| b);
    let account = format!("{client}-pilot");
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(&format!(
        "# The blueprint of {client}, written by `tarmac init`. Each `<fill in: ...>` is a value \
            only"
    ));
    line(
        "# the client can give: `tarmac validate` names every one left. `tarmac schema` prints the",
    );
    line(&format!(
        "# format{}.",
        if extends.is_some() {
            " (`tarmac schema --part` for a file that extends a base)"
        } else {
            ""
        }
    ));
    if let Some((path, _)) = extends {
        line(&format!(
            "extends: {}",
            serde_json::to_string(path).unwrap_or_default()
        ));
    }
    line(&format!("client: {client}"));
    line(&format!(
        "display_name: {}",
        fill("the client's name as people write it")
    ));
    line("organization:");
    line(&format!(
        "  id: {}",
        fill("the organization id (o-...), from `aws organizations describe-organization`")
    ));
    line(&format!(
        "  root_id: {}",
        fill("the root id (r-...), from `aws organizations list-roots`")
    ));
    line(&format!(
        "  management_account_id: {}",
        fill("the 12-digit id of the management account")
    ));
    if !has(base, "/organization/home_region") {
        line("  home_region: us-east-1");
    }
    let ou = match base.and_then(|b| b.pointer("/organizational_units/0/name")) {
        Some(Value::String(name)) => name.clone(),
        _ => {
            line("organizational_units:");
            line("  - name: Sandbox");
            String::from("Sandbox")
        }
    };
    line("accounts:");
    line(&format!("  - name: {account}"));
    line(&format!(
        "    email: {}",
        fill("the email address of the new pilot account, unused by any AWS account")
    ));
    line(&format!(
        "    ou: {}",
        serde_json::to_string(&ou).unwrap_or_default()
    ));
    if !has(base, "/bedrock") {
        line("bedrock:");
        line("  regions: [us-east-1, us-west-2]");
        line("  runtime_models: [openai.gpt-oss-120b-1:0]");
        line("  mantle_models: [openai.gpt-oss-120b]");
    }
    line("identity_center:");
    line(&format!(
        "  instance_arn: {}",
        fill("the Identity Center instance ARN, from `aws sso-admin list-instances`")
    ));
    line(&format!(
        "  identity_store_id: {}",
        fill("the identity store id (d-...), from `aws sso-admin list-instances`")
    ));
    line(&format!(
        "  start_url: {}",
        fill("the AWS access portal URL, such as https://d-0123456789.awsapps.com/start")
    ));
    if !has(base, "/identity_center/region") {
        line(&format!(
            "  region: {}",
            fill("the region of the Identity Center instance, such as us-east-1")
        ));
    }
    let sets: Vec<String> = match base.and_then(|b| b.pointer("/identity_center/permission_sets")) {
        Some(Value::Array(sets)) => sets
            .iter()
            .filter_map(|s| s.get("name").and_then(Value::as_str).map(String::from))
            .collect(),
        _ => {
            line("  permission_sets:");
            line("    - name: PilotAdmin");
            line("      description: Bootstrap administration of the pilot account");
            line("      session_duration: PT1H");
            line("      managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess]");
            line("      admin_justification: Bootstrap of the new pilot account; no standing use");
            line("    - name: CodexBedrockUser");
            line("      session_duration: PT8H");
            line("      bedrock_access: runtime-and-mantle");
            vec![String::from("PilotAdmin"), String::from("CodexBedrockUser")]
        }
    };
    if !has(base, "/identity_center/assignments") {
        line("  assignments:");
        for set in &sets {
            line(&format!(
                "    - permission_set: {}",
                serde_json::to_string(set).unwrap_or_default()
            ));
            line(&format!(
                "      group: {}",
                fill(&format!(
                    "the Identity Center group given {set} (its display name)"
                ))
            ));
            line(&format!("      accounts: [{account}]"));
        }
    }
    line("budgets:");
    // The base's own addresses (a consultancy's FinOps desk) keep receiving the alerts.
    let alerts = fill("the client's address that receives budget alerts");
    if has(base, "/budgets/alert_emails") {
        line(&format!("  alert_emails:\n    append: [{alerts}]"));
    } else {
        line(&format!("  alert_emails: [{alerts}]"));
    }
    if !has(base, "/budgets/account_monthly_usd") {
        line("  account_monthly_usd: 500");
    }
    if !has(base, "/budgets/bedrock_monthly_usd") {
        line("  bedrock_monthly_usd: 300");
    }
    line("networks:");
    line(&format!("  - account: {account}"));
    let region = match base.and_then(|b| b.pointer("/bedrock/regions/0")) {
        Some(Value::String(r)) => r.clone(),
        _ => String::from("us-east-1"),
    };
    line(&format!("    region: {region}"));
    // The scaffold's account is one tarmac creates, so its VPC cannot exist before the deploy
    // (TM066): tarmac creates it, in the blocks and zones the client's network team gives.
    line(&format!(
        "    vpc_cidr: {}",
        fill("the IPv4 CIDR block of the VPC tarmac creates, such as 10.20.0.0/16")
    ));
    line("    subnets:");
    for (nth, example) in [("first", "10.20.0.0/24"), ("second", "10.20.1.0/24")] {
        line(&format!(
            "      - cidr: {}",
            fill(&format!(
                "the {nth} endpoint subnet's block inside the VPC, such as {example}"
            ))
        ));
        line(&format!(
            "        availability_zone_id: {}",
            fill(&format!(
                "the AZ ID of the {nth} subnet's zone in {region} (aws ec2 \
                    describe-availability-zones), each subnet in another"
            ))
        ));
    }
    if !has(base, "/rollout/codex_model") {
        line("rollout:");
        line("  codex_model: openai.gpt-oss-120b");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_where_they_are() {
        let v = serde_json::json!({"a": [placeholder("x"), "<fill in: \
            y"], "b": {"c~": placeholder("z")}});
        assert_eq!(
            placeholders(&v),
            vec![
                (String::from("/a/0"), String::from("x")),
                (String::from("/b/c~0"), String::from("z"))
            ]
        );
    }

    #[test]
    fn client_slugs() {
        assert!(valid_client("acme"));
        assert!(!valid_client("ac"));
        assert!(!valid_client("Acme"));
        assert!(!valid_client("acme-"));
        assert!(!valid_client("1acme"));
    }
}

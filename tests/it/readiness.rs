//! Pilot-readiness checks: for every code, a blueprint that triggers it (with its exact
//! rendering snapshotted) and a near miss that does not. Each case edits the acme blueprint, the
//! way a consultant would, and checks the whole pipeline's diagnostics. The other codes (loading,
//! references, names, limits, composition) have a pair of a trigger and a near miss here too,
//! so that every code of `codes::ALL` has both (`every_code_has_a_near_miss`).

use serde_json::{json, Value};
use tarmac::compile::validate;
use tarmac::diagnostics::{Severity, SourceFile};

/// The acme blueprint with `edit` applied, as YAML text.
fn acme_with(edit: impl Fn(&mut Value)) -> String {
    let text = std::fs::read_to_string(crate::common::root().join("blueprints/acme-startup.yaml"))
        .unwrap();
    let mut value: Value = serde_yaml_ng::from_str(&text).unwrap();
    edit(&mut value);
    serde_yaml_ng::to_string(&value).unwrap()
}

fn set(value: &mut Value, pointer: &str, new: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = value
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_owned(), new);
        }
        Value::Array(list) => list[key.parse::<usize>().unwrap()] = new,
        _ => panic!("{pointer} is not in a container"),
    }
}

fn remove(value: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap()
        .shift_remove(key);
}

/// The findings of `code` in a blueprint text.
fn findings(text: &str, code: &str) -> (SourceFile, Vec<tarmac::diagnostics::Diagnostic>) {
    let file = SourceFile::new("acme-edited.yaml", text);
    let all = validate(&file);
    let of_code = all.into_iter().filter(|d| d.code.id == code).collect();
    (file, of_code)
}

struct Case {
    name: &'static str,
    code: &'static str,
    severity: Severity,
    triggers: fn(&mut Value),
    near_miss: fn(&mut Value),
}

fn cases() -> Vec<Case> {
    use Severity::{Error, Warning};
    vec![
        Case {
            name: "runtime-id-as-codex-model",
            code: "TM012",
            severity: Error,
            triggers: |v| set(v, "/rollout/codex_model", json!("openai.gpt-oss-120b-1:0")),
            near_miss: |v| set(v, "/rollout/codex_model", json!("openai.gpt-oss-120b")),
        },
        Case {
            name: "model-not-in-region",
            code: "TM013",
            severity: Warning,
            triggers: |v| {
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-oss-120b", "openai.gpt-5.4"]),
                )
            },
            near_miss: |v| {
                set(v, "/bedrock/regions", json!(["us-east-2", "us-west-2"]));
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-oss-120b", "openai.gpt-5.4"]),
                );
                set(v, "/networks/0/region", json!("us-east-2"));
            },
        },
        Case {
            name: "mantle-project-in-unapproved-region",
            code: "TM024",
            severity: Error,
            // eu-west-1 has the project resource type, but Bedrock is not approved there.
            triggers: |v| mantle_project(v, "eu-west-1"),
            near_miss: |v| mantle_project(v, "us-west-2"),
        },
        Case {
            name: "invalid-audit-bucket-name",
            code: "TM034",
            severity: Error,
            // The schema's pattern lets adjacent dots through; S3 refuses them.
            triggers: |v| set(v, "/audit", json!({"bucket_name": "acme..trail"})),
            near_miss: |v| set(v, "/audit", json!({"bucket_name": "acme.trail"})),
        },
        Case {
            name: "model-served-in-no-approved-region",
            code: "TM013",
            severity: Error,
            triggers: |v| {
                set(v, "/bedrock/regions", json!(["us-east-1"]));
                set(v, "/bedrock/mantle_models", json!(["openai.gpt-5.4"]));
            },
            near_miss: |v| {
                set(v, "/bedrock/regions", json!(["us-east-2", "us-west-2"]));
                set(v, "/bedrock/mantle_models", json!(["openai.gpt-5.4"]));
                set(v, "/networks/0/region", json!("us-east-2"));
            },
        },
        Case {
            name: "endpoint-not-in-region",
            code: "TM014",
            severity: Error,
            triggers: |v| {
                set(v, "/bedrock/regions", json!(["us-east-1", "ca-central-1"]));
                set(v, "/networks/0/region", json!("ca-central-1"));
                set(
                    v,
                    "/networks/0/subnets",
                    json!([{"cidr": "10.20.0.0/24", "availability_zone_id": "cac1-az1"}, {"cidr": "10.20.1.0/24", "availability_zone_id": "cac1-az2"}]),
                );
            },
            near_miss: |v| {
                set(v, "/bedrock/regions", json!(["us-east-1", "ca-central-1"]));
                set(v, "/networks/0/region", json!("ca-central-1"));
                set(
                    v,
                    "/networks/0/endpoints",
                    json!(["bedrock", "bedrock-runtime"]),
                );
            },
        },
        Case {
            name: "preview-model-without-acknowledgement",
            code: "TM040",
            severity: Error,
            triggers: |v| {
                set(v, "/bedrock/regions", json!(["us-east-2"]));
                set(v, "/networks/0/region", json!("us-east-2"));
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-oss-120b", "openai.gpt-5.5"]),
                );
            },
            near_miss: |v| {
                set(v, "/bedrock/regions", json!(["us-east-2"]));
                set(v, "/networks/0/region", json!("us-east-2"));
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-oss-120b", "openai.gpt-5.5"]),
                );
                set(v, "/bedrock/preview", json!("acknowledged"));
            },
        },
        Case {
            name: "production-account",
            code: "TM041",
            severity: Error,
            triggers: |v| set(v, "/accounts/0/environment", json!("production")),
            near_miss: |v| set(v, "/accounts/0/environment", json!("sandbox")),
        },
        Case {
            name: "production-named-account",
            code: "TM041",
            severity: Warning,
            triggers: |v| rename_account(v, "acme-prod"),
            near_miss: |v| rename_account(v, "acme-product-pilot"),
        },
        Case {
            name: "no-budget",
            code: "TM042",
            severity: Error,
            triggers: |v| remove(v, "/budgets"),
            near_miss: |v| set(v, "/accounts/0/bedrock_budget_usd", json!(1)),
        },
        Case {
            name: "zero-account-budget",
            code: "TM042",
            severity: Error,
            triggers: |v| set(v, "/accounts/0/bedrock_budget_usd", json!(0)),
            near_miss: |v| set(v, "/accounts/0/bedrock_budget_usd", json!(0.5)),
        },
        Case {
            name: "non-standard-thresholds",
            code: "TM043",
            severity: Warning,
            triggers: |v| {
                set(
                    v,
                    "/budgets/thresholds",
                    json!([{"percent": 90}, {"percent": 100}]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/budgets/thresholds",
                    json!([
                        {"percent": 100, "kind": "forecasted"}, {"percent": 100}, {"percent": 80}, {"percent": 50}
                    ]),
                )
            },
        },
        Case {
            name: "alerts-to-one-person",
            code: "TM044",
            severity: Warning,
            triggers: |v| {
                set(
                    v,
                    "/budgets/alert_emails",
                    json!(["jane.doe@acme-robotics.example"]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/budgets/alert_emails",
                    json!([
                        "jane.doe@acme-robotics.example",
                        "finops@acme-robotics.example"
                    ]),
                )
            },
        },
        Case {
            name: "iam-users-section",
            code: "TM045",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/iam_users",
                    json!([{"name": "codex-bot", "access_key": true}]),
                )
            },
            near_miss: |_| {},
        },
        Case {
            name: "statement-creates-access-keys",
            code: "TM045",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/inline_statements",
                    json!([
                        {"sid": "SelfServiceKeys", "actions": ["iam:CreateAccessKey"], "resources": ["*"]}
                    ]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/inline_statements",
                    json!([
                        {"sid": "ListKeys", "actions": ["iam:ListAccessKeys"], "resources": ["*"]}
                    ]),
                )
            },
        },
        Case {
            name: "canadian-residency-in-us-regions",
            code: "TM046",
            severity: Error,
            triggers: |v| set(v, "/data_residency", json!("canada")),
            near_miss: |v| canadian(v),
        },
        Case {
            name: "invoke-on-every-model",
            code: "TM047",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/inline_statements",
                    json!([
                        {"sid": "InvokeAll", "actions": ["bedrock:InvokeModel"], "resources": ["arn:aws:bedrock:*::foundation-model/*"]}
                    ]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/inline_statements",
                    json!([
                        {"sid": "InvokeApproved", "actions": ["bedrock:InvokeModel"], "resources": ["arn:aws:bedrock:us-west-2::foundation-model/openai.gpt-oss-120b-1:0"]}
                    ]),
                )
            },
        },
        Case {
            name: "bedrock-full-access",
            code: "TM047",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/managed_policies",
                    json!(["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/1/managed_policies",
                    json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
                )
            },
        },
        Case {
            name: "model-allowlist-scp-off",
            code: "TM047",
            severity: Warning,
            triggers: |v| set(v, "/guardrails", json!({"model_allowlist": false})),
            near_miss: |v| set(v, "/guardrails", json!({"model_allowlist": true})),
        },
        Case {
            name: "cloudtrail-off",
            code: "TM048",
            severity: Error,
            triggers: |v| set(v, "/audit", json!({"enabled": false})),
            near_miss: |v| set(v, "/audit", json!({"enabled": true, "retention_days": 365})),
        },
        Case {
            name: "trail-not-organization-wide",
            code: "TM048",
            severity: Error,
            triggers: |v| set(v, "/audit", json!({"organization_trail": false})),
            near_miss: |v| set(v, "/audit", json!({"organization_trail": true})),
        },
        Case {
            name: "trail-protection-off",
            code: "TM048",
            severity: Warning,
            triggers: |v| set(v, "/guardrails", json!({"protect_audit_trail": false})),
            near_miss: |v| set(v, "/guardrails", json!({"deny_leave_organization": false})),
        },
        Case {
            name: "scp-locks-out-approved-region",
            code: "TM049",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/guardrails",
                    json!({"allowed_regions": ["us-east-1", "eu-west-1"]}),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/guardrails",
                    json!({"allowed_regions": ["us-east-1", "us-west-2", "eu-west-1"]}),
                )
            },
        },
        Case {
            name: "codex-model-not-approved",
            code: "TM050",
            severity: Error,
            triggers: |v| set(v, "/rollout/codex_model", json!("openai.gpt-oss-20b")),
            near_miss: |v| {
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-oss-120b", "openai.gpt-oss-20b"]),
                );
                set(v, "/rollout/codex_model", json!("openai.gpt-oss-20b"));
            },
        },
        Case {
            name: "codex-default-not-supported",
            code: "TM050",
            severity: Warning,
            triggers: |v| remove(v, "/rollout"),
            near_miss: |v| {
                remove(v, "/rollout");
                set(v, "/bedrock/regions", json!(["us-east-2", "us-west-2"]));
                set(v, "/networks/0/region", json!("us-east-2"));
                set(
                    v,
                    "/bedrock/mantle_models",
                    json!(["openai.gpt-5.4", "openai.gpt-oss-120b"]),
                );
            },
        },
        Case {
            name: "privileged-role-wildcard",
            code: "TM051",
            severity: Error,
            triggers: |v| set(v, "/guardrails", json!({"privileged_role": "*"})),
            near_miss: |v| {
                set(
                    v,
                    "/guardrails",
                    json!({"privileged_role": "Break.Glass+Admin_1"}),
                )
            },
        },
        Case {
            name: "privileged-role-path",
            code: "TM051",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/guardrails",
                    json!({"privileged_role": "admin/BreakGlass"}),
                )
            },
            near_miss: |v| set(v, "/guardrails", json!({"privileged_role": "BreakGlass"})),
        },
        Case {
            name: "unknown-inference-profile",
            code: "TM052",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/bedrock/inference_profiles",
                    json!(["us.openai.gpt-oss-120b-1:0"]),
                )
            },
            near_miss: |v| set(v, "/bedrock/inference_profiles", json!([])),
        },
        Case {
            name: "managed-policy-without-its-path",
            code: "TM053",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/0/managed_policies",
                    json!(["arn:aws:iam::aws:policy/ViewOnlyAccess"]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/0/managed_policies",
                    json!(["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]),
                )
            },
        },
        Case {
            name: "managed-policy-not-in-the-catalog",
            code: "TM053",
            severity: Warning,
            triggers: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/0/managed_policies",
                    json!(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess"]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/identity_center/permission_sets/0/managed_policies",
                    json!(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]),
                )
            },
        },
        Case {
            name: "tag-quota-count",
            code: "TM054",
            severity: Error,
            triggers: |v| set(v, "/tags", tags(51)),
            near_miss: |v| set(v, "/tags", tags(50)),
        },
        Case {
            name: "tag-quota-reserved-key",
            code: "TM054",
            severity: Error,
            triggers: |v| set(v, "/tags/aws:owner", json!("platform-team")),
            near_miss: |v| set(v, "/tags/awsowner", json!("platform-team")),
        },
        Case {
            name: "display-name-too-long",
            code: "TM055",
            severity: Error,
            triggers: |v| set(v, "/display_name", json!("é".repeat(129))),
            near_miss: |v| set(v, "/display_name", json!("é".repeat(128))),
        },
        Case {
            name: "budget-name-too-long",
            code: "TM057",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/budgets/thresholds",
                    json!([{"percent": 33.333333333333336}, {"percent": 66.66666666666667}, {"percent": 77.77777777777777}, {"percent": 88.88888888888889}, {"percent": 100}, {"percent": 100, "kind": "forecasted"}]),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/budgets/thresholds",
                    json!([{"percent": 33}, {"percent": 66}, {"percent": 100}, {"percent": 100, "kind": "forecasted"}]),
                )
            },
        },
        Case {
            name: "cross-border-inference-without-residency",
            code: "TM067",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/bedrock/cross_border_inference",
                    cross_border(&["us-west-2"]),
                )
            },
            near_miss: canadian_with_cross_border,
        },
        Case {
            name: "cross-border-region-inside-residency",
            code: "TM067",
            severity: Error,
            triggers: |v| {
                canadian_with_cross_border(v);
                set(
                    v,
                    "/bedrock/cross_border_inference",
                    cross_border(&["us-east-1", "ca-west-1"]),
                );
            },
            near_miss: canadian_with_cross_border,
        },
        Case {
            name: "residency-without-models",
            code: "TM068",
            severity: Error,
            triggers: canadian,
            near_miss: canadian_with_cross_border,
        },
        Case {
            name: "network-of-new-account",
            code: "TM066",
            severity: Error,
            triggers: existing_vpc,
            // An existing account's VPC may be named from the first deploy on.
            near_miss: |v| {
                existing_vpc(v);
                set(v, "/accounts/0/id", json!("123456789012"));
            },
        },
        Case {
            name: "subnet-outside-vpc",
            code: "TM069",
            severity: Error,
            triggers: |v| set(v, "/networks/0/subnets/1/cidr", json!("10.21.0.0/24")),
            near_miss: |v| set(v, "/networks/0/subnets/1/cidr", json!("10.20.255.240/28")),
        },
        Case {
            name: "subnets-overlap",
            code: "TM069",
            severity: Error,
            triggers: |v| set(v, "/networks/0/subnets/1/cidr", json!("10.20.0.128/25")),
            near_miss: |v| set(v, "/networks/0/subnets/1/cidr", json!("10.20.1.0/25")),
        },
        Case {
            name: "subnets-in-one-zone",
            code: "TM069",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/networks/0/subnets/1/availability_zone_id",
                    json!("use1-az1"),
                )
            },
            near_miss: |v| {
                set(
                    v,
                    "/networks/0/subnets/1/availability_zone_id",
                    json!("use1-az6"),
                )
            },
        },
        Case {
            name: "zone-of-another-region",
            code: "TM069",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/networks/0/subnets/1/availability_zone_id",
                    json!("usw2-az2"),
                )
            },
            near_miss: |v| {
                set(v, "/networks/0/region", json!("us-west-2"));
                set(
                    v,
                    "/networks/0/subnets",
                    json!([{"cidr": "10.20.0.0/24", "availability_zone_id": "usw2-az1"}, {"cidr": "10.20.1.0/24", "availability_zone_id": "usw2-az2"}]),
                );
            },
        },
        Case {
            name: "existing-and-new-subnets",
            code: "TM069",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/networks/0/subnet_ids",
                    json!(["subnet-0a1b2c3d4e5f60001"]),
                )
            },
            near_miss: |v| {
                existing_vpc(v);
                set(v, "/networks/0/account_deployed", json!(true));
            },
        },
        Case {
            name: "anomaly-monitor-quota",
            code: "TM056",
            severity: Error,
            triggers: |v| many_accounts(v, true),
            near_miss: |v| many_accounts(v, false),
        },
        Case {
            name: "existing-account-left-outside-its-ou",
            code: "TM063",
            severity: Error,
            triggers: |v| set(v, "/accounts/0/id", json!("222233334444")),
            near_miss: |v| {
                set(v, "/accounts/0/id", json!("222233334444"));
                set(v, "/accounts/0/current_parent", json!("r-ac01"));
            },
        },
        Case {
            name: "current-parent-of-another-organization",
            code: "TM063",
            severity: Error,
            triggers: |v| {
                set(v, "/accounts/0/id", json!("222233334444"));
                set(v, "/accounts/0/current_parent", json!("ou-zz99-abcdefgh"));
            },
            near_miss: |v| {
                set(v, "/accounts/0/id", json!("222233334444"));
                set(v, "/accounts/0/current_parent", json!("ou-ac01-abcdefgh"));
            },
        },
        Case {
            name: "current-parent-of-a-new-account",
            code: "TM063",
            severity: Error,
            triggers: |v| set(v, "/accounts/0/current_parent", json!("r-ac01")),
            near_miss: |_| {},
        },
        Case {
            name: "scps-on-an-ou-without-pilot-accounts",
            code: "TM064",
            severity: Error,
            triggers: |v| {
                set(
                    v,
                    "/organizational_units",
                    json!([{"name": "Sandbox"}, {"name": "Experiments"}]),
                );
                set(
                    v,
                    "/guardrails",
                    json!({"targets": ["Sandbox", "Experiments"]}),
                );
            },
            near_miss: |v| {
                // A parent OU holds the accounts of the OUs below it.
                set(
                    v,
                    "/organizational_units",
                    json!([{"name": "Sandbox", "parent": "Experiments"}, {"name": "Experiments"}]),
                );
                set(v, "/guardrails", json!({"targets": ["Experiments"]}));
            },
        },
        Case {
            name: "identity-center-quota",
            code: "TM065",
            severity: Error,
            triggers: |v| managed_policies(v, 21),
            near_miss: |v| managed_policies(v, 10),
        },
    ]
}

/// One Mantle project of the pilot account, in `region`.
fn mantle_project(v: &mut Value, region: &str) {
    set(
        v,
        "/bedrock/mantle_projects",
        json!([{"name": "codex", "account": "acme-pilot", "region": region}]),
    );
}

/// Acme's CodexBedrockUser with `n` AWS managed policies (Identity Center allows 20; the role
/// it provisions holds 10 by default).
fn managed_policies(v: &mut Value, n: usize) {
    let arns: Vec<String> = (0..n)
        .map(|i| format!("arn:aws:iam::aws:policy/Policy{i:02}"))
        .collect();
    set(
        v,
        "/identity_center/permission_sets/1/managed_policies",
        json!(arns),
    );
}

/// `n` tags of short keys and values.
fn tags(n: usize) -> Value {
    (0..n)
        .map(|i| (format!("tag-{i:02}"), json!("x")))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Acme with 5,001 accounts, one more than Cost Anomaly Detection's monitors can cover, and
/// anomaly detection on or off.
fn many_accounts(v: &mut Value, anomaly_detection: bool) {
    let accounts = v
        .pointer_mut("/accounts")
        .and_then(Value::as_array_mut)
        .unwrap();
    for i in 1..5_001 {
        accounts.push(json!({"name": format!("acme-pilot-{i:04}"), "email": format!("aws-pilot-{i:04}@acme-robotics.example"), "ou": "Sandbox"}));
    }
    set(
        v,
        "/anomaly_detection",
        json!({"enabled": anomaly_detection}),
    );
}

/// Renames acme's only account everywhere it is named.
fn rename_account(v: &mut Value, name: &str) {
    set(v, "/accounts/0/name", json!(name));
    for i in 0..2 {
        set(
            v,
            &format!("/identity_center/assignments/{i}/accounts"),
            json!([name]),
        );
    }
    set(v, "/networks/0/account", json!(name));
}

/// Acme as a Canadian client: everything in ca-central-1, no model (none is served there yet).
fn canadian(v: &mut Value) {
    set(v, "/data_residency", json!("canada"));
    set(v, "/organization/home_region", json!("ca-central-1"));
    set(v, "/identity_center/region", json!("ca-central-1"));
    set(v, "/bedrock/regions", json!(["ca-central-1"]));
    set(v, "/bedrock/runtime_models", json!([]));
    set(v, "/bedrock/mantle_models", json!([]));
    remove(v, "/rollout");
    set(
        v,
        "/identity_center/permission_sets/1/bedrock_access",
        json!("none"),
    );
    set(v, "/networks/0/region", json!("ca-central-1"));
    set(
        v,
        "/networks/0/endpoints",
        json!(["bedrock", "bedrock-runtime"]),
    );
}

/// Acme's network as one naming an existing VPC and subnets instead of the ones tarmac creates.
fn existing_vpc(v: &mut Value) {
    remove(v, "/networks/0/subnets");
    set(v, "/networks/0/vpc_id", json!("vpc-0a1b2c3d4e5f60789"));
    set(
        v,
        "/networks/0/subnet_ids",
        json!(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]),
    );
}

/// An approval of cross-border inference in `regions`.
fn cross_border(regions: &[&str]) -> Value {
    json!({"regions": regions, "approved_by": "Privacy Office", "approved_on": "2026-11-20"})
}

/// Canadian acme whose privacy office approved invoking gpt-oss in two US Regions.
fn canadian_with_cross_border(v: &mut Value) {
    canadian(v);
    set(
        v,
        "/bedrock/runtime_models",
        json!(["openai.gpt-oss-120b-1:0"]),
    );
    set(v, "/bedrock/mantle_models", json!(["openai.gpt-oss-120b"]));
    set(
        v,
        "/bedrock/cross_border_inference",
        cross_border(&["us-east-1", "us-west-2"]),
    );
    set(
        v,
        "/identity_center/permission_sets/1/bedrock_access",
        json!("runtime-and-mantle"),
    );
    set(v, "/rollout", json!({"codex_model": "openai.gpt-oss-120b"}));
}

#[test]
fn every_readiness_check_triggers_and_has_a_near_miss() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(crate::common::root().join("tests/snapshots/readiness"));
    settings.bind(|| {
        for case in cases() {
            let (file, found) = findings(&acme_with(case.triggers), case.code);
            assert!(
                found.iter().any(|d| d.severity == case.severity),
                "{}: expected a {:?} {}, got {found:?}",
                case.name,
                case.severity,
                case.code
            );
            // Exactly as a user sees it: code, message, file:line:column, underline, help.
            insta::assert_snapshot!(case.name, file.render(&found, false));
            let (_, missed) = findings(&acme_with(case.near_miss), case.code);
            assert!(
                missed.is_empty(),
                "{}: the near miss reports {missed:?}",
                case.name
            );
        }
    });
}

#[test]
fn every_readiness_code_has_a_case() {
    let covered: Vec<&str> = cases().iter().map(|c| c.code).collect();
    // Codes of loading, not of readiness: composition and `tarmac init`'s placeholders, each
    // with its fixtures in tests/it/composition.rs.
    let loading = [
        tarmac::codes::EXTENDS_INVALID,
        tarmac::codes::EXTENDS_UNREADABLE,
        tarmac::codes::EXTENDS_CYCLE,
        tarmac::codes::EXTENDS_TYPE_CLASH,
        tarmac::codes::PLACEHOLDER,
    ]
    .map(|c| c.id);
    for code in ["TM012", "TM013", "TM014", "TM024", "TM034"]
        .into_iter()
        .chain(
            tarmac::codes::ALL
                .iter()
                .map(|c| c.id)
                .filter(|id| *id >= "TM040" && !loading.contains(id)),
        )
    {
        assert!(covered.contains(&code), "{code} has no readiness case");
    }
}

/// A blueprint as files: the client (`client.yaml`) first, then the bases it may `extend`.
type Files = Vec<(&'static str, String)>;

/// A code outside the readiness cases, with an edit that triggers it and a near miss that does
/// not: the codes of loading, references, names and limits, whose renderings are snapshotted by
/// their fixtures (`tests/fixtures/bad/`, `tests/fixtures/composed/bad/`) and family tests.
struct Pair {
    code: &'static str,
    triggers: fn() -> Files,
    near_miss: fn() -> Files,
}

fn acme() -> String {
    crate::common::startup()
}

/// The acme text with `from` replaced by `to` (which must be there).
fn acme_text(from: &str, to: &str) -> Files {
    let text = acme();
    assert!(text.contains(from), "{from}");
    vec![("client.yaml", text.replace(from, to))]
}

fn one(text: String) -> Files {
    vec![("client.yaml", text)]
}

/// The acme blueprint without its tags, extending `base.yaml` with `base` and, for the second
/// file of a chain, `further.yaml` with `further`.
fn composed(extends: &str, base: &str, further: Option<&str>) -> Files {
    let text = acme();
    let at = text.find("tags:").unwrap();
    let mut files = vec![
        (
            "client.yaml",
            format!("extends: {extends}\n{}", &text[..at]),
        ),
        ("base.yaml", base.to_owned()),
    ];
    if let Some(f) = further {
        files.push(("further.yaml", f.to_owned()));
    }
    files
}

fn pairs() -> Vec<Pair> {
    const PILOT: &str = "  - name: acme-pilot\n    email: aws-pilot@acme-robotics.example\n";
    const SECOND: &str = "  - name: acme-second\n    email: aws-second@acme-robotics.example\n";
    vec![
        Pair {
            code: "TM001",
            triggers: || acme_text("[us-east-1, us-west-2]", "[us-east-1, us-west-2"),
            near_miss: || acme_text("[us-east-1, us-west-2]", "[us-east-1,\n    us-west-2]"),
        },
        Pair {
            code: "TM002",
            triggers: || {
                acme_text(
                    "      session_duration: PT8H",
                    "      sesion_duration: PT8H",
                )
            },
            near_miss: || {
                acme_text(
                    "      session_duration: PT8H",
                    "      session_duration: PT8H\n      description: Codex users",
                )
            },
        },
        Pair {
            code: "TM003",
            triggers: || acme_text("session_duration: PT8H", "session_duration: PT13H"),
            near_miss: || acme_text("session_duration: PT8H", "session_duration: PT12H"),
        },
        Pair {
            code: "TM004",
            triggers: || acme_text("    email: aws-pilot@acme-robotics.example\n", ""),
            near_miss: || {
                acme_text(
                    "      description: Bootstrap administration of the pilot account\n",
                    "",
                )
            },
        },
        Pair {
            code: "TM005",
            triggers: || {
                acme_text(
                    "  owner: platform-team",
                    "  owner: platform-team\n  owner: x",
                )
            },
            near_miss: || {
                acme_text(
                    "  owner: platform-team",
                    "  owner: platform-team\n  Owner: x",
                )
            },
        },
        Pair {
            code: "TM010",
            triggers: || acme_text("[us-east-1, us-west-2]", "[us-east-1, us-west-2, us-est-2]"),
            near_miss: || {
                acme_text(
                    "[us-east-1, us-west-2]",
                    "[us-east-1, us-west-2, us-east-2]",
                )
            },
        },
        Pair {
            code: "TM011",
            triggers: || acme_text("[openai.gpt-oss-120b-1:0]", "[openai.gpt-oss-121b-1:0]"),
            near_miss: || acme_text("[openai.gpt-oss-120b-1:0]", "[openai.gpt-oss-20b-1:0]"),
        },
        Pair {
            code: "TM020",
            triggers: || {
                acme_text(
                    "  - name: Sandbox\n",
                    "  - name: Sandbox\n  - name: Sandbox\n",
                )
            },
            near_miss: || {
                acme_text(
                    "  - name: Sandbox\n",
                    "  - name: Sandbox\n  - name: Sandboxes\n",
                )
            },
        },
        Pair {
            code: "TM021",
            triggers: || acme_text("    ou: Sandbox\n", "    ou: Sandbx\n"),
            near_miss: || {
                let text = acme()
                    .replace(
                        "  - name: Sandbox\n",
                        "  - name: Sandbox\n  - name: Pilots\n    parent: Sandbox\n",
                    )
                    .replace("    ou: Sandbox\n", "    ou: Pilots\n");
                one(text)
            },
        },
        Pair {
            code: "TM022",
            triggers: || {
                acme_text(
                    "  - name: Sandbox\n",
                    "  - name: Sandbox\n  - name: A\n    parent: B\n  - name: B\n    parent: A\n",
                )
            },
            near_miss: || {
                acme_text(
                    "  - name: Sandbox\n",
                    "  - name: Sandbox\n  - name: A\n    parent: B\n  - name: B\n    \
                     parent: Sandbox\n",
                )
            },
        },
        Pair {
            code: "TM023",
            triggers: || {
                acme_text(
                    "      group: acme-pilot-developers\n",
                    "      group: acme-pilot-developers\n      user: jane\n",
                )
            },
            near_miss: || acme_text("      group: acme-pilot-developers\n", "      user: jane\n"),
        },
        Pair {
            code: "TM025",
            triggers: || {
                acme_text(
                    "group: acme-platform-admins",
                    "group: acme pilot developers",
                )
            },
            near_miss: || {
                acme_text(
                    "group: acme-platform-admins",
                    "group: acme-pilot-developers",
                )
            },
        },
        Pair {
            code: "TM026",
            triggers: || {
                acme_text(
                    "display_name: Acme Robotics",
                    "display_name: \"Acme\\nRobotics\"",
                )
            },
            near_miss: || {
                acme_text(
                    "display_name: Acme Robotics",
                    "display_name: 'Acme\\nRobotics'",
                )
            },
        },
        Pair {
            code: "TM027",
            triggers: || acme_text("awsapps.com/start", "awsapps.com/star"),
            near_miss: || acme_text("d-9067a1b2c3.awsapps.com", "acme-robotics.awsapps.com"),
        },
        Pair {
            code: "TM030",
            triggers: || {
                let size = crate::limits::largest_scp() - 1;
                one(crate::limits::with_guardrails(&format!(
                    "  limits:\n    max_characters: {size}\n"
                )))
            },
            near_miss: || {
                let size = crate::limits::largest_scp();
                one(crate::limits::with_guardrails(&format!(
                    "  limits:\n    max_characters: {size}\n"
                )))
            },
        },
        Pair {
            code: "TM031",
            triggers: || one(external_scps(4)),
            near_miss: || one(external_scps(3)),
        },
        Pair {
            code: "TM032",
            triggers: || acme_text("aws-pilot@acme-robotics.example", "aws-pilot@acme-robotics"),
            near_miss: || {
                acme_text(
                    "aws-pilot@acme-robotics.example",
                    "aws-pilot@acme-robotics.io",
                )
            },
        },
        Pair {
            code: "TM033",
            triggers: || one(crate::limits::nest(6)),
            near_miss: || one(crate::limits::nest(5)),
        },
        Pair {
            code: "TM035",
            triggers: || one(crate::limits::networks(30)),
            near_miss: || one(crate::limits::networks(3)),
        },
        Pair {
            code: "TM036",
            triggers: || one(crate::limits::with_quota(2)),
            near_miss: || one(crate::limits::with_quota(3)),
        },
        Pair {
            code: "TM058",
            triggers: || composed("/base.yaml", "tags: {owner: platform-team}\n", None),
            near_miss: || composed("./base.yaml", "tags: {owner: platform-team}\n", None),
        },
        Pair {
            code: "TM059",
            triggers: || composed("bsae.yaml", "tags: {owner: platform-team}\n", None),
            near_miss: || composed("base.yaml", "tags: {owner: platform-team}\n", None),
        },
        Pair {
            code: "TM060",
            triggers: || composed("base.yaml", "extends: client.yaml\n", None),
            near_miss: || {
                composed(
                    "base.yaml",
                    "extends: further.yaml\n",
                    Some("tags: {owner: platform-team}\n"),
                )
            },
        },
        Pair {
            code: "TM061",
            triggers: || {
                let mut files = composed("base.yaml", "tags: {owner: platform-team}\n", None);
                files[0].1.push_str("tags: [owner]\n");
                files
            },
            near_miss: || {
                let mut files = composed("base.yaml", "tags: {owner: platform-team}\n", None);
                files[0].1.push_str("tags: {project: bedrock-pilot}\n");
                files
            },
        },
        Pair {
            code: "TM062",
            triggers: || acme_text("id: o-acme12345x", "id: \"<fill in: the organization id>\""),
            near_miss: || {
                acme_text(
                    "display_name: Acme Robotics",
                    "display_name: Acme <fill in> Robotics",
                )
            },
        },
        Pair {
            // Two accounts in one OU: the near miss of a repeated name is two names.
            code: "TM020",
            triggers: || acme_text(PILOT, &format!("{PILOT}    ou: Sandbox\n{PILOT}")),
            near_miss: || acme_text(PILOT, &format!("{PILOT}    ou: Sandbox\n{SECOND}")),
        },
    ]
}

/// The startup blueprint with `n` SCPs managed elsewhere on its OU, under a limit of five.
fn external_scps(n: usize) -> String {
    let mut yaml = String::from("  limits:\n    max_per_target: 5\n  external_scps:\n");
    for i in 0..n {
        yaml.push_str(&format!(
            "    - name: aws-guardrails-{i}\n      targets: [Sandbox]\n"
        ));
    }
    crate::limits::with_guardrails(&yaml)
}

/// The client of `files`, with the bases it extends read from `files`.
fn source(files: &Files) -> SourceFile {
    let (name, text) = &files[0];
    let client = SourceFile::new(*name, text.clone());
    tarmac::blueprint::compose::resolve(client, &|path: &std::path::Path| {
        files
            .iter()
            .find(|(n, _)| std::path::Path::new(n) == path)
            .map(|(n, t)| SourceFile::new(*n, t.clone()))
            .ok_or_else(|| String::from("no such file"))
    })
}

/// Every blueprint of this file: each case's and pair's trigger and near miss.
pub(crate) fn blueprints() -> Vec<SourceFile> {
    let mut out = Vec::new();
    for case in cases() {
        for edit in [case.triggers, case.near_miss] {
            out.push(SourceFile::new(
                format!("{}.yaml", case.name),
                acme_with(edit),
            ));
        }
    }
    for pair in pairs() {
        out.push(source(&(pair.triggers)()));
        out.push(source(&(pair.near_miss)()));
    }
    out
}

/// The codes reported for `files`, synthesizing when the checks pass: the limits that only the
/// CloudFormation emitter measures (TM035, TM036) are found then.
fn reported(files: &Files) -> Vec<&'static str> {
    let file = source(files);
    match tarmac::compile::compile(&file, tarmac::compile::Targets::All) {
        Ok(c) => c.warnings.iter().map(|d| d.code.id).collect(),
        Err(tarmac::compile::Failure::Blueprint(d)) => d.iter().map(|d| d.code.id).collect(),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn every_other_code_triggers_and_has_a_near_miss() {
    for pair in pairs() {
        let found = reported(&(pair.triggers)());
        assert!(
            found.contains(&pair.code),
            "{}: the trigger reports {found:?}",
            pair.code
        );
        let missed = reported(&(pair.near_miss)());
        assert!(
            !missed.contains(&pair.code),
            "{}: the near miss reports {missed:?}",
            pair.code
        );
    }
}

/// Every code of `codes::ALL` has a near miss: a readiness case, or a pair above.
#[test]
fn every_code_has_a_near_miss() {
    let covered: Vec<&str> = cases()
        .iter()
        .map(|c| c.code)
        .chain(pairs().iter().map(|p| p.code))
        .collect();
    let missing: Vec<&str> = tarmac::codes::ALL
        .iter()
        .map(|c| c.id)
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(missing.is_empty(), "codes without a near miss: {missing:?}");
}

//! Brownfield organizations: existing OUs by id, existing accounts already in them, and
//! existing accounts that tarmac moves into an OU it creates (issue 16, finding 1). Whatever the
//! organization, no SCP and no StackSet instance of the output targets a set of accounts that is
//! empty at deploy time: that is proven on the output itself, for every shipped blueprint,
//! generated organizations and the brownfield cases here.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};
use tarmac::compile::{Compiled, Targets};

use crate::common::{compile_text, file};

fn shipped(name: &str) -> String {
    std::fs::read_to_string(crate::common::root().join("blueprints").join(name)).unwrap()
}

fn json_file(c: &Compiled, path: &str) -> Value {
    serde_json::from_str(file(c, path)).unwrap()
}

/// acme with an existing OU `Legacy` beside the `Sandbox` tarmac creates, and its account
/// existing: `placement` is the account's `ou` and the lines that follow its `id`.
fn acme_brownfield(ou: &str, after_id: &str) -> String {
    crate::common::startup()
        .replace(
            "organizational_units:\n  - name: Sandbox\n",
            "organizational_units:\n  - name: Sandbox\n  - name: Legacy\n    id: ou-ac01-legacy01\n",
        )
        .replace(
            "    ou: Sandbox\n",
            &format!("    ou: {ou}\n    id: \"222233334444\"\n{after_id}"),
        )
}

/// The existing account moves from the root into the OU tarmac creates: imported into the
/// management stack where it is (a file of its own), then moved by the deployment, whose
/// StackSet instances read the account from its resource and so follow the move.
#[test]
fn initech_moves_its_existing_account_in_cloudformation() {
    let c = compile_text(&shipped("initech-ai-platform.yaml"), Targets::All);
    let t = json_file(&c, "cloudformation/management.template.json");
    let account = &t["Resources"]["AccountInitechAiPlatform"];
    assert_eq!(account["Type"], "AWS::Organizations::Account");
    assert_eq!(account["DeletionPolicy"], "Retain");
    assert_eq!(account["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        account["Properties"]["ParentIds"],
        json!([{ "Fn::GetAtt": ["OuAiPlatform", "Id"] }])
    );
    // CreateAccount's role: Organizations creates it only in accounts it creates.
    assert!(account["Properties"].get("RoleName").is_none());
    // No output: the id is known, every unit keeps using it.
    assert!(t["Outputs"].get("AccountIdInitechAiPlatform").is_none());
    let mut instances = 0;
    for r in t["Resources"].as_object().unwrap().values() {
        for g in r["Properties"]["StackInstancesGroup"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let targets = &g["DeploymentTargets"];
            if targets["Accounts"][0]["Fn::GetAtt"][0] == "AccountInitechAiPlatform" {
                assert_eq!(
                    targets["OrganizationalUnitIds"],
                    json!([{ "Fn::GetAtt": ["OuAiPlatform", "Id"] }])
                );
                instances += 1;
            }
            assert_ne!(targets["Accounts"][0], "444455556666", "{targets}");
        }
    }
    // Its budgets (us-east-2) and its second region's Mantle project (us-west-2).
    assert_eq!(instances, 2);

    let import = json_file(&c, "cloudformation-import/management.template.json");
    let resources = import["Resources"].as_object().unwrap();
    assert_eq!(resources.len(), 1);
    let before = &resources["AccountInitechAiPlatform"];
    assert_eq!(before["Properties"]["ParentIds"], json!(["r-7t3c"]));
    assert_eq!(before["DeletionPolicy"], "Retain");
    // Everything but the parent is as the stack's template says: its next update only moves.
    let mut after = account.clone();
    after["Properties"]["ParentIds"] = json!(["r-7t3c"]);
    assert_eq!(before, &after);
    assert_eq!(
        json_file(
            &c,
            "cloudformation-import/management.resources-to-import.json"
        ),
        json!([{ "ResourceType": "AWS::Organizations::Account", "LogicalResourceId": "AccountInitechAiPlatform", "ResourceIdentifier": { "AccountId": "444455556666" } }])
    );
    let manifest = json_file(&c, "manifest.json");
    let entry = manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "management" && u["target"] == "cloudformation")
        .unwrap();
    assert!(entry["files"].as_array().unwrap().contains(&json!(
        "cloudformation-import/management.resources-to-import.json"
    )));
    let note = entry["notes"][0].as_str().unwrap();
    assert!(note.contains("--change-set-type IMPORT"), "{note}");
    assert!(note.contains("--stack-name initech-management"), "{note}");
    // READINESS.md orders the import before the deployment that moves the account.
    let readiness = file(&c, "rollout/READINESS.md");
    let at = |needle: &str| {
        readiness
            .find(needle)
            .unwrap_or_else(|| panic!("READINESS.md has no {needle}"))
    };
    assert!(at("Import the existing accounts") < at("Deploy the templates in the order below"));
    assert!(
        at("wait stack-import-complete --region us-east-1 --stack-name initech-management")
            < at("aws cloudformation deploy --region us-east-1 --stack-name initech-management")
    );
}

/// Terraform adopts the account with an `import` block and moves it with `parent_id`; nothing
/// that forces a new account can plan its replacement, and destroying it is refused.
#[test]
fn initech_moves_its_existing_account_in_terraform() {
    let c = compile_text(&shipped("initech-ai-platform.yaml"), Targets::Terraform);
    let m = json_file(&c, "terraform/management/main.tf.json");
    // In a file of their own, which checkov skips: its terraform_json parser fails on them.
    assert!(m.get("import").is_none());
    assert_eq!(
        json_file(&c, "terraform/management/imports.tf.json")["import"],
        json!([{ "to": "aws_organizations_account.account_initech_ai_platform", "id": "444455556666" }])
    );
    assert!(file(&c, "terraform/.checkov.yaml")
        .contains("skip-path:\n  - 'management/imports\\.tf\\.json$'\n"));
    let account = &m["resource"]["aws_organizations_account"]["account_initech_ai_platform"];
    assert_eq!(
        account["parent_id"],
        "${aws_organizations_organizational_unit.ou_ai_platform.id}"
    );
    assert_eq!(account["close_on_deletion"], false);
    assert!(account.get("role_name").is_none());
    assert_eq!(account["lifecycle"]["prevent_destroy"], true);
    let ignored = account["lifecycle"]["ignore_changes"].as_array().unwrap();
    for arg in ["name", "email", "role_name", "iam_user_access_to_billing"] {
        assert!(ignored.contains(&json!(arg)), "{arg}");
    }
    // The accounts tarmac creates keep their own lifecycle.
    assert_eq!(
        m["resource"]["aws_organizations_account"]["account_initech_ai_staging"]["lifecycle"]
            ["ignore_changes"],
        json!(["role_name"])
    );
    // Its member roots reach it by its known id, not through the management module.
    let member = json_file(&c, "terraform/initech-ai-platform-us-east-2/main.tf.json");
    assert_eq!(member["variable"]["account_id"]["default"], "444455556666");
}

/// The finding as it was: an existing account in a created OU, with no word of where it is,
/// is refused instead of written.
#[test]
fn initech_without_current_parent_is_refused() {
    let text = shipped("initech-ai-platform.yaml").replace("    current_parent: r-7t3c\n", "");
    let codes = crate::common::error_codes(&text, Targets::All);
    assert_eq!(codes, ["TM063"]);
}

/// From an existing OU into the OU tarmac creates, and from the root into an existing OU: both
/// are moves, in both targets.
#[test]
fn a_custom_blueprint_moves_accounts_between_existing_and_created_ous() {
    let into_created = acme_brownfield("Sandbox", "    current_parent: ou-ac01-legacy01\n");
    let c = compile_text(&into_created, Targets::All);
    let t = json_file(&c, "cloudformation/management.template.json");
    assert_eq!(
        t["Resources"]["AccountAcmePilot"]["Properties"]["ParentIds"],
        json!([{ "Fn::GetAtt": ["OuSandbox", "Id"] }])
    );
    let import = json_file(&c, "cloudformation-import/management.template.json");
    assert_eq!(
        import["Resources"]["AccountAcmePilot"]["Properties"]["ParentIds"],
        json!(["ou-ac01-legacy01"])
    );
    let imports = json_file(&c, "terraform/management/imports.tf.json");
    assert_eq!(imports["import"][0]["id"], "222233334444");

    let into_existing = acme_brownfield("Legacy", "    current_parent: r-ac01\n");
    let c = compile_text(&into_existing, Targets::All);
    let t = json_file(&c, "cloudformation/management.template.json");
    assert_eq!(
        t["Resources"]["AccountAcmePilot"]["Properties"]["ParentIds"],
        json!(["ou-ac01-legacy01"])
    );
    let m = json_file(&c, "terraform/management/main.tf.json");
    assert_eq!(
        m["resource"]["aws_organizations_account"]["account_acme_pilot"]["parent_id"],
        "ou-ac01-legacy01"
    );
    assert_eq!(
        json_file(&c, "terraform/management/imports.tf.json")["import"],
        json!([{ "to": "aws_organizations_account.account_acme_pilot", "id": "222233334444" }])
    );
}

/// An existing account already in an existing OU is left alone: no account resource, no
/// import, its StackSet instance targets the OU and the account by their ids. Naming the OU
/// as its current parent says the same.
#[test]
fn existing_accounts_in_existing_ous_are_not_moved() {
    for after_id in ["", "    current_parent: ou-ac01-legacy01\n"] {
        let c = compile_text(&acme_brownfield("Legacy", after_id), Targets::All);
        assert!(
            !c.files
                .iter()
                .any(|f| f.path.starts_with("cloudformation-import/")),
            "{after_id}"
        );
        let t = json_file(&c, "cloudformation/management.template.json");
        let resources = t["Resources"].as_object().unwrap();
        assert!(!resources
            .values()
            .any(|r| r["Type"] == "AWS::Organizations::Account"));
        let targets = &resources["StackSetMembersUsEast1"]["Properties"]["StackInstancesGroup"][0]
            ["DeploymentTargets"];
        assert_eq!(
            targets["OrganizationalUnitIds"],
            json!(["ou-ac01-legacy01"])
        );
        assert_eq!(targets["Accounts"], json!(["222233334444"]));
        assert!(!c.files.iter().any(|f| f.path.ends_with("imports.tf.json")));
        assert!(!file(&c, "terraform/.checkov.yaml").contains("skip-path"));
        let m = json_file(&c, "terraform/management/main.tf.json");
        assert!(m["resource"].get("aws_organizations_account").is_none());
    }
}

/// `validate.sh --organization` asks Organizations where each existing account is: in its OU
/// (by name when tarmac creates it), or still at its current parent, or else a failure.
#[test]
fn validate_checks_where_existing_accounts_are() {
    let c = compile_text(&shipped("initech-ai-platform.yaml"), Targets::All);
    let scratch = std::env::temp_dir().join(format!("tarmac-brownfield-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let bin = scratch.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = scratch.join("validate.sh");
    std::fs::write(&script, file(&c, "rollout/validate.sh")).unwrap();
    // Answers every organization check; the account's parent and that OU's name come from the
    // environment.
    let aws = r#"#!/usr/bin/env bash
case "$1 $2" in
  "organizations list-parents") echo "$PARENT" ;;
  "organizations describe-organizational-unit") echo "$OU_NAME" ;;
  "organizations describe-organization") echo ALL ;;
  "organizations list-roots") echo ENABLED ;;
  "organizations list-aws-service-access-for-organization")
    echo member.org.stacksets.cloudformation.amazonaws.com cloudtrail.amazonaws.com sso.amazonaws.com ;;
  "sso-admin list-instances") echo arn:aws:sso:::instance/ssoins-1 ;;
  *) echo 2025-12-01 ;;
esac
"#;
    let fake = bin.join("aws");
    std::fs::write(&fake, aws).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(bin.join("curl"), "#!/usr/bin/env bash\n").unwrap();
    std::fs::set_permissions(bin.join("curl"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = |parent: &str, ou_name: &str| {
        let out = std::process::Command::new("bash")
            .arg(&script)
            .arg("--organization")
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .env("PARENT", parent)
            .env("OU_NAME", ou_name)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let line = text
            .lines()
            .find(|l| l.contains("account 444455556666"))
            .unwrap_or_else(|| panic!("no placement check in:\n{text}"))
            .to_owned();
        (out.status.success(), line)
    };
    let (ok, line) = run("r-7t3c", "");
    assert!(
        ok && line.contains("ok") && line.contains("moves it from"),
        "{line}"
    );
    let (ok, line) = run("ou-7t3c-aiplatf1", "AI Platform");
    assert!(
        ok && line.contains("ok") && line.contains("is in OU AI Platform"),
        "{line}"
    );
    let (ok, line) = run("ou-7t3c-elsewhere", "Workloads");
    assert!(!ok && line.contains("FAIL"), "{line}");
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Where accounts and OUs are in a management template or module, in its own terms.
#[derive(Default)]
struct Organization {
    /// OU key → its parent's key.
    ou_parents: HashMap<String, String>,
    /// Account key → the key of the OU it is in at deploy time.
    placed: HashMap<String, String>,
}

impl Organization {
    /// Whether `ou` is, or is above, the OU of some account.
    fn holds_an_account(&self, ou: &str) -> bool {
        self.placed.values().any(|at| {
            let mut at = Some(at.as_str());
            while let Some(k) = at {
                if k == ou {
                    return true;
                }
                at = self.ou_parents.get(k).map(String::as_str);
            }
            false
        })
    }
}

/// Existing accounts the blueprint leaves where they are, in their existing OUs, by the keys
/// the templates use (literal ids).
fn blueprint_placements(text: &str, org: &mut Organization) {
    let bp: Value = serde_yaml_ng::from_str(text).unwrap();
    let mut ou_ids = BTreeMap::new();
    for ou in bp["organizational_units"].as_array().into_iter().flatten() {
        if let Some(id) = ou["id"].as_str() {
            ou_ids.insert(ou["name"].as_str().unwrap(), id);
        }
    }
    for a in bp["accounts"].as_array().unwrap() {
        let (Some(id), Some(&ou)) = (a["id"].as_str(), ou_ids.get(a["ou"].as_str().unwrap()))
        else {
            continue;
        };
        // Not moved: no current parent, or its OU already.
        if a["current_parent"].as_str().is_none_or(|p| p == ou) {
            org.placed.insert(id.to_owned(), ou.to_owned());
        }
    }
}

/// A CloudFormation value naming an OU or an account: `Fn::GetAtt` of a resource, the export
/// of an earlier stack of the split management unit (`<client>-<stack>-<LogicalId>-<Attr>`),
/// or a literal.
fn cfn_key(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return s.to_owned();
    }
    if let Some(export) = v["Fn::ImportValue"].as_str() {
        let parts: Vec<&str> = export.rsplitn(3, '-').collect();
        return parts[1].to_owned();
    }
    v["Fn::GetAtt"][0]
        .as_str()
        .unwrap_or_else(|| panic!("unexpected value {v}"))
        .to_owned()
}

/// A Terraform argument naming an OU or an account: an interpolated `.id`, or a literal.
fn tf_key(v: &Value) -> String {
    let s = v.as_str().unwrap();
    match s.strip_prefix("${").and_then(|r| r.strip_suffix(".id}")) {
        Some(address) => address.to_owned(),
        None => {
            assert!(!s.contains("${"), "unexpected value {s}");
            s.to_owned()
        }
    }
}

/// Checks the CloudFormation and Terraform management output of one blueprint.
fn no_control_targets_an_empty_set(what: &str, text: &str) {
    let c = compile_text(text, Targets::All);
    // CloudFormation: OUs, accounts, SCP targets and StackSet instances, over every stack of
    // the management unit (a shape's StackSets share a logical id, one per stack; OUs and
    // accounts are in one stack each).
    let mut resources: Vec<(String, Value)> = Vec::new();
    for f in c.files.iter().filter(|f| {
        f.path.starts_with("cloudformation/management") && !f.path.contains("management-us-east-1")
    }) {
        let t: Value = serde_json::from_str(&f.contents).unwrap();
        for (id, r) in t["Resources"].as_object().unwrap() {
            resources.push((format!("{id} ({})", f.path), r.clone()));
        }
    }
    let mut org = Organization::default();
    blueprint_placements(text, &mut org);
    for (at, r) in &resources {
        let p = &r["Properties"];
        let id = at.split(' ').next().unwrap().to_owned();
        let unique = match r["Type"].as_str().unwrap() {
            "AWS::Organizations::OrganizationalUnit" => {
                org.ou_parents.insert(id, cfn_key(&p["ParentId"])).is_none()
            }
            "AWS::Organizations::Account" => {
                org.placed.insert(id, cfn_key(&p["ParentIds"][0])).is_none()
            }
            _ => true,
        };
        assert!(unique, "{what}: {at} twice");
    }
    let mut instances = 0;
    for (id, r) in &resources {
        let p = &r["Properties"];
        match r["Type"].as_str().unwrap() {
            "AWS::Organizations::Policy" => {
                for target in p["TargetIds"].as_array().unwrap() {
                    let key = cfn_key(target);
                    assert!(
                        org.placed.contains_key(&key) || org.holds_an_account(&key),
                        "{what}: SCP {id} targets {key}, which holds no pilot account"
                    );
                }
            }
            "AWS::CloudFormation::StackSet" => {
                for g in p["StackInstancesGroup"].as_array().unwrap() {
                    let d = &g["DeploymentTargets"];
                    assert_eq!(d["AccountFilterType"], "INTERSECTION");
                    let ou = cfn_key(&d["OrganizationalUnitIds"][0]);
                    let account = cfn_key(&d["Accounts"][0]);
                    assert_eq!(
                        org.placed.get(&account),
                        Some(&ou),
                        "{what}: StackSet {id} intersects OU {ou} with account {account}, which is not in it when the instance is created"
                    );
                    instances += 1;
                }
            }
            _ => {}
        }
    }
    assert!(instances > 0, "{what}: no StackSet instance");

    // Terraform: the same organization, its SCP attachments.
    let m = json_file(&c, "terraform/management/main.tf.json");
    let blocks = |ty: &str| -> Vec<(String, Value)> {
        m["resource"][ty]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    let mut org = Organization::default();
    blueprint_placements(text, &mut org);
    for (label, b) in blocks("aws_organizations_organizational_unit") {
        org.ou_parents.insert(
            format!("aws_organizations_organizational_unit.{label}"),
            tf_key(&b["parent_id"]),
        );
    }
    for (label, b) in blocks("aws_organizations_account") {
        org.placed.insert(
            format!("aws_organizations_account.{label}"),
            tf_key(&b["parent_id"]),
        );
    }
    let attachments = blocks("aws_organizations_policy_attachment");
    assert!(!attachments.is_empty(), "{what}: no SCP attachment");
    for (label, b) in attachments {
        let key = tf_key(&b["target_id"]);
        assert!(
            org.placed.contains_key(&key) || org.holds_an_account(&key),
            "{what}: attachment {label} targets {key}, which holds no pilot account"
        );
    }
}

#[test]
fn no_scp_or_stack_set_targets_an_empty_set_of_accounts() {
    for path in crate::common::blueprints() {
        let text = crate::common::text(&path);
        no_control_targets_an_empty_set(&path.display().to_string(), &text);
    }
    for n in [1, 3, 30] {
        no_control_targets_an_empty_set(&format!("generated({n})"), &crate::common::generated(n));
    }
    // Large enough that the management unit is split into several stacks, its last account
    // existing and moved from the root.
    let large = crate::common::generated(400);
    let last = large.find("  - name: pilot-00399\n").unwrap();
    let (head, tail) = large.split_at(last);
    let moved = format!(
        "{head}{}",
        tail.replacen(
            "    ou: Pilots\n",
            "    ou: Pilots\n    id: \"999988887777\"\n    current_parent: r-sc01\n",
            1
        )
    );
    let c = compile_text(&moved, Targets::Cloudformation);
    assert!(c
        .files
        .iter()
        .any(|f| f.path == "cloudformation/management-part-2.template.json"));
    assert!(c
        .files
        .iter()
        .any(|f| f.path.starts_with("cloudformation-import/")));
    no_control_targets_an_empty_set("generated(400), one account moved", &moved);
    for (what, text) in [
        (
            "moved from an existing OU",
            acme_brownfield("Sandbox", "    current_parent: ou-ac01-legacy01\n"),
        ),
        (
            "moved into an existing OU",
            acme_brownfield("Legacy", "    current_parent: r-ac01\n"),
        ),
        ("already in an existing OU", acme_brownfield("Legacy", "")),
    ] {
        no_control_targets_an_empty_set(what, &text);
    }
}

//! Identity Center is regional: every `AWS::SSO::*` resource and every `aws_ssoadmin_*` /
//! `aws_identitystore_*` resource and data source lands in `identity_center.region`, in both
//! targets, whatever the home region (issue 16, finding 2). CloudFormation deploys them as a
//! stack of their own in that region, after the management stack whose account ids it reads;
//! Terraform from the management module, through the provider `aws.identity_center`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tarmac::compile::{Compiled, Targets};

use crate::common::{compile_text, file, generated};

/// `text` with `from` replaced by `to`, which must occur exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "one {from:?} in the blueprint"
    );
    text.replacen(from, to, 1)
}

/// `tarmac generate n` with its home and Identity Center regions, and the group looked up by
/// name (no `principal_id`), so that the look-ups are data sources and parameters.
fn generated_in(n: usize, home: &str, ic: &str) -> String {
    let text = edit(
        &generated(n),
        "organization:\n",
        &format!("organization:\n  home_region: {home}\n"),
    );
    let text = edit(
        &text,
        "\n  region: us-east-1\n",
        &format!("\n  region: {ic}\n"),
    );
    edit(
        &text,
        "      principal_id: 11111111-2222-3333-4444-555555555555\n",
        "",
    )
}

/// A shipped blueprint with its Identity Center instance in `ic` (its `region:` line is the
/// only one indented by two spaces).
fn shipped_in(file: &str, region: &str, ic: &str) -> String {
    let text = std::fs::read_to_string(crate::common::root().join("blueprints").join(file))
        .expect("shipped blueprint");
    edit(
        &text,
        &format!("\n  region: {region}\n"),
        &format!("\n  region: {ic}\n"),
    )
}

fn json(c: &Compiled, path: &str) -> Value {
    serde_json::from_str(file(c, path)).unwrap()
}

fn is_identity(tf_type: &str) -> bool {
    tf_type.starts_with("aws_ssoadmin_") || tf_type.starts_with("aws_identitystore_")
}

/// Where each Identity Center resource of `c` lands, per target: `(what, region)`, with what
/// as `<file> <id>` (CloudFormation) or `<file> resource|data <type>.<label>` (Terraform).
fn placements(c: &Compiled) -> [Vec<(String, String)>; 2] {
    let manifest = json(c, "manifest.json");
    let mut cfn = Vec::new();
    for u in manifest["units"].as_array().unwrap() {
        if u["target"] != "cloudformation" {
            continue;
        }
        let path = u["files"][0].as_str().unwrap();
        let t = json(c, path);
        for (id, r) in t["Resources"].as_object().unwrap() {
            let ty = r["Type"].as_str().unwrap();
            if ty.starts_with("AWS::SSO::") || ty.starts_with("AWS::IdentityStore::") {
                cfn.push((
                    format!("{path} {id}"),
                    u["region"].as_str().unwrap().to_owned(),
                ));
            }
            // A StackSet's member template is a string: Identity Center has no place there.
            if ty == "AWS::CloudFormation::StackSet" {
                let body = r["Properties"]["TemplateBody"].as_str().unwrap();
                assert!(!body.contains("AWS::SSO::"), "{path} {id}");
            }
        }
    }
    let mut tf = Vec::new();
    for f in c.files.iter().filter(|f| f.path.starts_with("terraform/")) {
        if !f.path.ends_with(".tf.json") {
            continue;
        }
        let m: Value = serde_json::from_str(&f.contents).unwrap();
        // The region of each provider configuration: "" for the default, else its alias.
        let mut providers: BTreeMap<String, String> = BTreeMap::new();
        for p in m["provider"]["aws"].as_array().into_iter().flatten() {
            let alias = p["alias"]
                .as_str()
                .map_or(String::new(), |a| format!("aws.{a}"));
            providers.insert(alias, p["region"].as_str().unwrap().to_owned());
        }
        for section in ["resource", "data"] {
            for (ty, blocks) in m[section].as_object().into_iter().flatten() {
                if !is_identity(ty) {
                    continue;
                }
                for (label, body) in blocks.as_object().unwrap() {
                    let what = format!("{} {section} {ty}.{label}", f.path);
                    let provider = body["provider"].as_str().unwrap_or("");
                    let region = providers.get(provider).unwrap_or_else(|| {
                        panic!("{what}: provider {provider:?} is not configured in its module")
                    });
                    tf.push((what, region.clone()));
                }
            }
        }
    }
    [cfn, tf]
}

/// Every Identity Center resource of `c` is in `ic`, in both targets, and there are some; the
/// Terraform look-ups too when `lookups`.
fn assert_in(label: &str, c: &Compiled, ic: &str, lookups: bool) {
    let [cfn, tf] = placements(c);
    for (target, placed) in [("cloudformation", &cfn), ("terraform", &tf)] {
        assert!(
            !placed.is_empty(),
            "{label}: {target} has Identity Center resources"
        );
        for (what, region) in placed {
            assert_eq!(region, ic, "{label}: {target} {what}");
        }
    }
    assert!(
        tf.iter()
            .any(|(w, _)| w.contains(" resource aws_ssoadmin_account_assignment.")),
        "{label}: assignments"
    );
    assert_eq!(
        tf.iter()
            .any(|(w, _)| w.contains(" data aws_identitystore_")),
        lookups,
        "{label}: look-ups"
    );
}

/// The Terraform addresses of the Identity Center resources and data sources of `c`'s
/// management module.
fn addresses(c: &Compiled) -> BTreeSet<String> {
    placements(c)[1]
        .iter()
        .map(|(w, _)| {
            assert!(w.starts_with("terraform/management/main.tf.json "), "{w}");
            w.split_once(' ').unwrap().1.to_owned()
        })
        .collect()
}

#[test]
fn every_identity_center_resource_and_data_source_lands_in_its_region_in_both_targets() {
    let cases = [
        (
            "3 accounts, home us-east-1",
            generated_in(3, "us-east-1", "eu-west-1"),
            "eu-west-1",
            true,
        ),
        (
            "3 accounts, home eu-west-1",
            generated_in(3, "eu-west-1", "us-east-1"),
            "us-east-1",
            true,
        ),
        // New accounts, groups looked up by name, Cost Explorer's own us-east-1 unit.
        (
            "globex",
            shipped_in("globex-sandbox.yaml", "eu-central-1", "eu-west-1"),
            "eu-west-1",
            true,
        ),
        // Existing accounts, given by id: their ids are literals in the new stack.
        (
            "initech",
            shipped_in("initech-ai-platform.yaml", "us-east-1", "eu-west-1"),
            "eu-west-1",
            true,
        ),
    ];
    for (label, text, ic, lookups) in cases {
        let c = compile_text(&text, Targets::All);
        assert_in(label, &c, ic, lookups);
        // A stack of its own in CloudFormation; no root module of its own in Terraform.
        let manifest = json(&c, "manifest.json");
        let units: Vec<(&str, &str)> = manifest["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["target"].as_str().unwrap(), u["name"].as_str().unwrap()))
            .collect();
        assert!(
            units.contains(&("cloudformation", "identity-center")),
            "{label}"
        );
        assert!(
            !units.contains(&("terraform", "identity-center")),
            "{label}"
        );
        crate::deploy_order::check(label, &c);
    }
}

#[test]
fn with_the_instance_in_the_home_region_nothing_moves() {
    for path in crate::common::blueprints() {
        let label = path.display().to_string();
        let c = compile_text(&crate::common::text(&path), Targets::All);
        let m = json(&c, "manifest.json");
        let home = m["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == "management")
            .unwrap()["region"]
            .as_str()
            .unwrap()
            .to_owned();
        // Every shipped blueprint has its instance in the home region.
        assert_in(&label, &c, &home, true);
        assert!(!file(&c, "terraform/management/main.tf.json").contains("identity_center"));
        assert!(
            !c.files.iter().any(|f| f.path.contains("identity-center")),
            "{label}"
        );
    }
}

#[test]
fn terraform_addresses_do_not_depend_on_the_identity_center_region() {
    let home = compile_text(
        &generated_in(3, "us-east-1", "us-east-1"),
        Targets::Terraform,
    );
    let away = compile_text(
        &generated_in(3, "us-east-1", "eu-west-1"),
        Targets::Terraform,
    );
    let (a, b) = (addresses(&home), addresses(&away));
    assert!(a.len() > 5, "{a:?}");
    assert_eq!(a, b, "the same addresses, in the same module");
    // The assignments name the accounts the module creates, not variables fed from itself.
    let m = json(&away, "terraform/management/main.tf.json");
    assert!(m.get("variable").is_none(), "{}", m["variable"]);
    let assignment = &m["resource"]["aws_ssoadmin_account_assignment"]
        ["assignment_codex_bedrock_user_group_pilot_developers_pilot_00000"];
    assert_eq!(
        assignment["target_id"],
        "${aws_organizations_account.account_pilot_00000.id}"
    );
    assert_eq!(assignment["provider"], "aws.identity_center");
    assert_eq!(
        m["provider"]["aws"][1],
        serde_json::json!({ "alias": "identity_center", "region": "eu-west-1" })
    );
}

#[test]
fn the_identity_center_stack_splits_within_cloudformation_quotas() {
    // Without look-ups: the stack's parameters are exactly the new accounts' ids.
    let stacks = |n: usize, home: &str, ic: &str| {
        let text = edit(
            &generated_in(n, home, ic),
            "      group: pilot-developers\n",
            "      group: pilot-developers\n      principal_id: 11111111-2222-3333-4444-555555555555\n",
        );
        let c = compile_text(&text, Targets::Cloudformation);
        let label = format!("{n} accounts, home {home}, Identity Center {ic}");
        let within = crate::quotas::assert_within_cloudformation_quotas(&c, &label);
        crate::deploy_order::check(&label, &c);
        // Every account's assignment exactly once over the stacks.
        let mut assigned = Vec::new();
        for (path, _) in within
            .iter()
            .filter(|(p, _)| p.contains("/identity-center"))
        {
            let t = json(&c, path);
            for r in t["Resources"].as_object().unwrap().values() {
                if r["Type"] == "AWS::SSO::Assignment" {
                    assigned.push(r["Properties"]["TargetId"].to_string());
                }
            }
        }
        assert_eq!(assigned.len(), n, "{label}");
        assert_eq!(assigned.iter().collect::<BTreeSet<_>>().len(), n, "{label}");
        within
            .into_iter()
            .filter(|(p, _)| p.starts_with("cloudformation/identity-center"))
            .map(|(_, parameters)| parameters)
            .collect::<Vec<_>>()
    };
    assert_eq!(stacks(1, "us-east-1", "eu-west-1"), [1]);
    assert_eq!(stacks(200, "us-east-1", "eu-west-1"), [200]);
    let over = stacks(201, "us-east-1", "eu-west-1");
    assert_eq!(over.len(), 2, "{over:?}");
    assert_eq!(over.iter().sum::<usize>(), 201);
    for (home, ic) in [("us-east-1", "eu-west-1"), ("eu-west-1", "us-east-1")] {
        let many = stacks(1_000, home, ic);
        assert!(
            many.len() >= 5 && many.iter().all(|&p| p <= 200),
            "{many:?}"
        );
        assert_eq!(many.iter().sum::<usize>(), 1_000);
    }
}

#[test]
fn the_rollout_kit_names_the_identity_center_region_where_it_means_identity_center() {
    let text = shipped_in("globex-sandbox.yaml", "eu-central-1", "eu-west-1");
    let c = compile_text(&text, Targets::All);
    assert!(file(&c, "rollout/aws/config").contains("\nsso_region = eu-west-1\n"));
    assert!(file(&c, "rollout/validate.sh").contains("\n  org_identity_center 'eu-west-1'\n"));
    let readiness = file(&c, "rollout/READINESS.md");
    assert!(readiness
        .contains("| Identity Center region | `eu-west-1`, not the home region `eu-central-1`"));
    assert!(readiness.contains("`aws sso-admin list-instances --region eu-west-1`"));
    // The stack deploys in its region, after the management stack it reads the account ids of.
    let management = readiness
        .find("`aws cloudformation deploy --region eu-central-1 --stack-name globex-management ")
        .expect("the management stack's command");
    let identity = readiness
        .find("`aws cloudformation deploy --region eu-west-1 --stack-name globex-identity-center --template-file cloudformation/identity-center.template.json --s3-bucket <bucket in eu-west-1> --parameter-overrides <inputs of manifest.json>`")
        .expect("the Identity Center stack's command");
    assert!(management < identity);
    assert!(readiness.contains("| cloudformation, step 2 | `identity-center`"));
    // At home, the row is not there.
    let home = compile_text(
        &shipped_in("globex-sandbox.yaml", "eu-central-1", "eu-central-1"),
        Targets::All,
    );
    assert!(!file(&home, "rollout/READINESS.md").contains("Identity Center region"));
}

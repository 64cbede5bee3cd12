//! AWS limits at their boundaries: exactly at a limit passes, one over packs or fails.

use tarmac::blueprint::load::load;
use tarmac::catalog::Catalog;
use tarmac::compile::Targets;
use tarmac::diagnostics::SourceFile;
use tarmac::resolve::guardrails::characters;

/// The SCPs a blueprint resolves to, or what resolving it refuses.
fn scps(
    bp: &tarmac::blueprint::Blueprint,
    catalog: &Catalog,
) -> Result<Vec<tarmac::resolve::guardrails::Scp>, Vec<tarmac::diagnostics::Diagnostic>> {
    tarmac::resolve::resolve(bp, catalog).map(|r| r.guardrails.scps)
}

pub(crate) fn with_guardrails(yaml: &str) -> String {
    crate::common::startup().replace("budgets:\n", &format!("guardrails:\n{yaml}budgets:\n"))
}

fn codes(text: &str) -> Vec<&'static str> {
    crate::common::error_codes(text, Targets::Cloudformation)
}

fn scp_names(text: &str) -> Vec<String> {
    let c = crate::common::compile_text(text, Targets::Cloudformation);
    let t: serde_json::Value = serde_json::from_str(crate::common::file(
        &c,
        "cloudformation/management.template.json",
    ))
    .unwrap();
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Organizations::Policy")
        .map(|r| r["Properties"]["Name"].as_str().unwrap().to_owned())
        .collect()
}

/// The size of the largest default SCP of the startup blueprint.
pub(crate) fn largest_scp() -> usize {
    let bp = load(&SourceFile::new("t.yaml", crate::common::startup())).unwrap();
    scps(&bp, Catalog::get())
        .unwrap()
        .iter()
        .map(|s| characters(&s.document))
        .max()
        .unwrap()
}

#[test]
fn scp_size_exactly_at_the_limit_passes_and_one_under_fails() {
    let size = largest_scp();
    let at = with_guardrails(&format!("  limits:\n    max_characters: {size}\n"));
    assert_eq!(
        scp_names(&at).len(),
        6,
        "one SCP per guardrail when each fits"
    );
    let over = with_guardrails(&format!("  limits:\n    max_characters: {}\n", size - 1));
    assert_eq!(codes(&over), vec!["TM030"]);
}

#[test]
fn scp_size_is_counted_on_minified_json() {
    let bp = load(&SourceFile::new("t.yaml", crate::common::startup())).unwrap();
    for scp in scps(&bp, Catalog::get()).unwrap() {
        let doc = scp.document.lower(&|v| match v {
            tarmac::plan::value::Value::Lit(s) => tarmac::json::Json::Str(s.clone()),
            _ => unreachable!(),
        });
        assert_eq!(
            characters(&scp.document),
            serde_json::to_string(&doc).unwrap().chars().count()
        );
        assert!(!serde_json::to_string(&doc).unwrap().contains(": "));
    }
}

#[test]
fn scps_per_target_at_the_limit_stay_separate_and_one_over_packs() {
    // Six guardrails (region, model, trail, leaving, long-term keys, privileged role) plus
    // FullAWSAccess: exactly seven slots.
    assert_eq!(
        scp_names(&with_guardrails("  limits:\n    max_per_target: 7\n")).len(),
        6
    );
    let packed = scp_names(&with_guardrails("  limits:\n    max_per_target: 6\n"));
    assert_eq!(
        packed,
        vec!["acme-guardrails-1"],
        "statements pack into one document"
    );
}

#[test]
fn external_scps_take_slots() {
    let yaml = "  limits:\n    max_per_target: 5\n  external_scps:\n    - name: aws-guardrails-a\n      targets: [Sandbox]\n    - name: aws-guardrails-b\n      targets: [Sandbox]\n    - name: aws-guardrails-c\n      targets: [Sandbox]\n";
    // 1 packed + FullAWSAccess + 3 external = 5: exactly at the limit.
    assert_eq!(scp_names(&with_guardrails(yaml)).len(), 1);
    let one_more = yaml.to_owned() + "    - name: aws-guardrails-d\n      targets: [Sandbox]\n";
    assert_eq!(codes(&with_guardrails(&one_more)), vec!["TM031"]);
}

#[test]
fn old_limits_are_settable() {
    // Seven slots do not fit in five, and every statement fits in one 5,120-character document.
    let old = with_guardrails("  limits:\n    max_characters: 5120\n    max_per_target: 5\n");
    assert_eq!(scp_names(&old), vec!["acme-guardrails-1"]);
}

/// The startup blueprint with its account `levels` OUs below the root.
pub(crate) fn nest(levels: usize) -> String {
    let mut ous = String::from("organizational_units:\n  - name: Sandbox\n");
    let mut parent = String::from("Sandbox");
    for i in 2..=levels {
        let name = format!("Level{i}");
        ous.push_str(&format!("  - name: {name}\n    parent: {parent}\n"));
        parent = name;
    }
    crate::common::startup()
        .replace("organizational_units:\n  - name: Sandbox\n", &ous)
        .replace("    ou: Sandbox\n", &format!("    ou: {parent}\n"))
}

#[test]
fn ou_nesting_of_five_levels_passes_and_six_fails() {
    assert_eq!(codes(&nest(5)), Vec::<&str>::new());
    assert_eq!(codes(&nest(6)), vec!["TM033"]);
}

/// Resources per CloudFormation template, by file.
fn resource_counts(c: &tarmac::compile::Compiled) -> Vec<(String, usize)> {
    c.files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
        .map(|f| {
            let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
            (f.path.clone(), t["Resources"].as_object().unwrap().len())
        })
        .collect()
}

#[test]
fn a_management_unit_over_500_resources_is_split_with_cross_stack_references() {
    // One account and `n` group assignments, so that resources are what binds: an OU, five
    // SCPs, a permission set, seven audit and two anomaly resources, the account, its StackSet
    // and the assignments make 18 + n.
    let blueprint = |n: usize| {
        let mut text = crate::common::generated(1).replace(
            "budgets:",
            "guardrails:\n  deny_leave_organization: false\nbudgets:",
        );
        let mut extra = String::new();
        for i in 1..n {
            extra.push_str(&format!(
                "    - permission_set: CodexBedrockUser\n      group: team-{i:04}\n      principal_id: 11111111-2222-3333-4444-{i:012}\n      accounts: [pilot-00000]\n"
            ));
        }
        text = text.replace("guardrails:", &format!("{extra}guardrails:"));
        text[..text.find("networks:").unwrap()].to_owned()
    };
    let management = |c: &tarmac::compile::Compiled| {
        resource_counts(c)
            .into_iter()
            .filter(|(p, _)| p.starts_with("cloudformation/management"))
            .collect::<Vec<_>>()
    };
    let at = crate::common::compile_text(&blueprint(482), Targets::Cloudformation);
    assert_eq!(
        management(&at),
        vec![("cloudformation/management.template.json".to_owned(), 500)]
    );

    let over = crate::common::compile_text(&blueprint(483), Targets::Cloudformation);
    let parts = management(&over);
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(parts.iter().all(|(_, n)| *n <= 500));

    // Every import is exported by a stack that deploys earlier.
    let manifest: serde_json::Value =
        serde_json::from_str(crate::common::file(&over, "manifest.json")).unwrap();
    let order = |path: &str| {
        manifest["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["files"][0] == path)
            .unwrap()["deploy_order"]
            .as_u64()
            .unwrap()
    };
    let mut exported = std::collections::HashMap::new();
    for f in over
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
    {
        let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
        for o in t["Outputs"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, o)| o)
        {
            if let Some(name) = o["Export"]["Name"].as_str() {
                exported.insert(name.to_owned(), order(&f.path));
            }
        }
    }
    let mut imports = 0;
    for f in over
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
    {
        for (i, _) in f.contents.match_indices("\"Fn::ImportValue\": \"") {
            let name = &f.contents[i + 20..];
            let name = &name[..name.find('"').unwrap()];
            assert!(
                exported[name] < order(&f.path),
                "{name} must be exported by an earlier stack"
            );
            imports += 1;
        }
    }
    assert!(imports > 0);
    // Member stacks deploy after every management stack.
    assert!(manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "stack-set")
        .all(|u| u["deploy_order"] == 3));
}

#[test]
fn every_stack_of_a_large_organization_fits_cloudformation_limits() {
    let c = crate::common::compile_text(&crate::common::generated(400), Targets::Cloudformation);
    let mut stacks = 0;
    for f in c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
    {
        let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
        let count = |key: &str| t[key].as_object().map_or(0, |m| m.len());
        assert!(count("Resources") <= 500, "{}", f.path);
        assert!(count("Outputs") <= 200, "{}", f.path);
        assert!(count("Parameters") <= 200, "{}", f.path);
        assert!(
            f.contents.len() <= 1_000_000,
            "{}: {} bytes",
            f.path,
            f.contents.len()
        );
        for id in t["Resources"].as_object().unwrap().keys() {
            assert!(
                id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "{id}"
            );
        }
        stacks += usize::from(f.path.starts_with("cloudformation/management"));
    }
    assert!(stacks > 2, "400 accounts need several management stacks");
}

/// The startup blueprint with `k` existing VPCs in its pilot account.
pub(crate) fn networks(k: usize) -> String {
    let mut text = String::new();
    for i in 0..k {
        text.push_str(&format!(
            "  - account: acme-pilot\n    region: us-east-1\n    vpc_id: vpc-{i:017x}\n    account_deployed: true\n    vpc_cidr: 10.{i}.0.0/16\n    subnet_ids: [subnet-{i:017x}]\n"
        ));
    }
    let base = crate::common::startup();
    let at = base.find("networks:\n").unwrap() + "networks:\n".len();
    let end = base.find("tags:").unwrap();
    format!("{}{text}{}", &base[..at], &base[end..])
}

#[test]
fn a_member_stack_over_the_inline_template_limit_is_refused_with_its_account() {
    assert!(codes(&networks(3)).is_empty());
    assert_eq!(codes(&networks(30)), vec!["TM035"]);
}

#[test]
fn permission_set_names_and_session_durations_at_their_limits() {
    let with = |name: &str, duration: &str| {
        crate::common::startup()
            .replace(
                "    - name: CodexBedrockUser\n      session_duration: PT8H\n",
                &format!("    - name: {name}\n      session_duration: {duration}\n"),
            )
            .replace(
                "  - permission_set: CodexBedrockUser\n",
                &format!("  - permission_set: {name}\n"),
            )
    };
    let name32 = "P".repeat(32);
    assert!(codes(&with(&name32, "PT12H")).is_empty());
    assert!(codes(&with(&name32, "PT1H")).is_empty());
    assert_eq!(codes(&with(&"P".repeat(33), "PT12H")), vec!["TM003"]);
    assert_eq!(codes(&with(&name32, "PT13H")), vec!["TM003"]);
    assert_eq!(codes(&with(&name32, "PT0H")), vec!["TM003"]);
}

/// Three accounts whose networks differ (three shapes, so three StackSets), and a quota.
pub(crate) fn with_quota(quota: usize) -> String {
    crate::common::generated_in_three_shapes().replace(
        "  management_account_id: \"100000000000\"\n",
        &format!("  management_account_id: \"100000000000\"\n  stack_set_quota: {quota}\n"),
    )
}

#[test]
fn stack_sets_exactly_at_the_quota_pass_and_one_over_fails_for_cloudformation_only() {
    let c = crate::common::compile_text(&with_quota(3), Targets::Cloudformation);
    let manifest: serde_json::Value =
        serde_json::from_str(crate::common::file(&c, "manifest.json")).unwrap();
    let stack_sets = manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "stack-set")
        .count();
    assert_eq!(stack_sets, 3);
    assert_eq!(codes(&with_quota(2)), vec!["TM036"]);
    // Accounts of one shape share one StackSet, however many there are.
    let uniform = crate::common::generated(3).replace(
        "  management_account_id: \"100000000000\"\n",
        "  management_account_id: \"100000000000\"\n  stack_set_quota: 1\n",
    );
    crate::common::compile_text(&uniform, Targets::Cloudformation);
    // Terraform's member modules use no StackSets.
    crate::common::compile_text(&with_quota(2), Targets::Terraform);
}

#[test]
fn the_default_stack_set_quota_is_1000() {
    let bp = load(&SourceFile::new("t.yaml", crate::common::startup())).unwrap();
    assert_eq!(bp.organization.stack_set_quota, 1_000);
}

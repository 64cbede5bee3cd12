//! AWS limits at their boundaries: exactly at a limit passes, one over packs or fails.

use tarmac::blueprint::load::load;
use tarmac::catalog::Catalog;
use tarmac::compile::{compile, Failure, Targets};
use tarmac::diagnostics::SourceFile;
use tarmac::plan::guardrails::{characters, scps};

fn with_guardrails(yaml: &str) -> String {
    crate::common::startup().replace("budgets:\n", &format!("guardrails:\n{yaml}budgets:\n"))
}

fn codes(text: &str) -> Vec<&'static str> {
    match compile(&SourceFile::new("t.yaml", text), Targets::Cloudformation) {
        Ok(_) => Vec::new(),
        Err(Failure::Blueprint(d)) => d.iter().map(|d| d.code.id).collect(),
        Err(Failure::Internal(m)) => panic!("{m}"),
    }
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
fn largest_scp() -> usize {
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
        4,
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
            tarmac::plan::value::Value::Lit(s) => serde_json::Value::String(s.clone()),
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
    // Four guardrails plus FullAWSAccess: exactly five slots.
    assert_eq!(
        scp_names(&with_guardrails("  limits:\n    max_per_target: 5\n")).len(),
        4
    );
    let packed = scp_names(&with_guardrails("  limits:\n    max_per_target: 4\n"));
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
    let old = with_guardrails("  limits:\n    max_characters: 5120\n    max_per_target: 5\n");
    assert_eq!(scp_names(&old).len(), 4);
}

#[test]
fn ou_nesting_of_five_levels_passes_and_six_fails() {
    let nest = |levels: usize| {
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
    };
    assert_eq!(codes(&nest(5)), Vec::<&str>::new());
    assert_eq!(codes(&nest(6)), vec!["TM033"]);
}

//! The Terraform waivers reach checkov: every `"//"` waiver of a resource in a module is in
//! `terraform/.checkov.baseline` (which `terraform/.checkov.yaml` names) under the names checkov
//! gives that resource, with the same reason, and the baseline waives nothing else.

use std::collections::BTreeSet;

use serde_json::Value;
use tarmac::compile::{Compiled, Targets};

/// (file as checkov names it, resource as checkov names it, check id, reason).
type Entry = (String, String, String, String);

/// The waivers written in the modules' `"//"` comments, each under both names checkov uses.
fn module_waivers(c: &Compiled) -> BTreeSet<Entry> {
    let mut out = BTreeSet::new();
    for f in &c.files {
        let Some(rel) = f.path.strip_prefix("terraform") else {
            continue;
        };
        if !rel.ends_with(".tf.json") {
            continue;
        }
        let module: Value = serde_json::from_str(&f.contents).expect("module is JSON");
        let Some(types) = module.get("resource").and_then(Value::as_object) else {
            continue;
        };
        for (ty, blocks) in types {
            for (label, body) in blocks.as_object().expect("blocks by label") {
                for line in body["//"].as_array().into_iter().flatten() {
                    let line = line.as_str().expect("comment lines are strings");
                    let (check, reason) = line
                        .strip_prefix("checkov:skip=")
                        .and_then(|l| l.split_once(": "))
                        .unwrap_or_else(|| panic!("not a waiver: {line}"));
                    // Terraform templates escape `${`; the baseline is not a template.
                    let reason = reason.replace("$${", "${").replace("%%{", "%{");
                    for name in [format!("{ty}.{label}"), format!("resource.{label}")] {
                        out.insert((rel.to_owned(), name, check.to_owned(), reason.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The baseline's findings; the `typed` ones (`<type>.<label>`) apart.
fn baseline(c: &Compiled) -> BTreeSet<Entry> {
    let config = crate::common::file(c, "terraform/.checkov.yaml");
    assert!(
        config.contains("\nbaseline: .checkov.baseline\n"),
        "{config}"
    );
    assert!(
        config.contains("\noutput-baseline-as-skipped: true\n"),
        "{config}"
    );
    let baseline: Value =
        serde_json::from_str(crate::common::file(c, "terraform/.checkov.baseline"))
            .expect("baseline is JSON");
    let mut out = BTreeSet::new();
    for file in baseline["failed_checks"].as_array().expect("failed_checks") {
        let path = file["file"].as_str().expect("file");
        for finding in file["findings"].as_array().expect("findings") {
            let resource = finding["resource"].as_str().expect("resource");
            let checks: Vec<&str> = finding["check_ids"]
                .as_array()
                .expect("check_ids")
                .iter()
                .map(|c| c.as_str().expect("check id"))
                .collect();
            let reasons = finding["//"].as_array().expect("reasons");
            assert_eq!(
                checks.len(),
                reasons.len(),
                "one reason per check: {finding}"
            );
            for (check, reason) in checks.iter().zip(reasons) {
                let reason = reason.as_str().expect("reason");
                let reason = reason
                    .strip_prefix(&format!("{check}: "))
                    .unwrap_or_else(|| panic!("reason of {check} is `{reason}`"));
                assert!(!reason.trim().is_empty(), "{finding}");
                out.insert((
                    path.to_owned(),
                    resource.to_owned(),
                    check.to_string(),
                    reason.to_owned(),
                ));
            }
        }
    }
    out
}

fn check(c: &Compiled) {
    let written = module_waivers(c);
    assert!(!written.is_empty(), "the blueprint has Terraform waivers");
    let listed = baseline(c);
    // Every Python-check name (`resource.<label>`) of a waived resource is listed...
    for entry in written.iter().filter(|e| e.1.starts_with("resource.")) {
        assert!(listed.contains(entry), "not in the baseline: {entry:?}");
    }
    // ...and the baseline waives only what a module waives, with its reason.
    for entry in &listed {
        assert!(
            written.contains(entry),
            "waived only in the baseline: {entry:?}"
        );
    }
    // The primary resource of each waiver is there under its graph-check name too.
    assert!(listed
        .iter()
        .any(|e| e.1 == "aws_cloudtrail.org_trail" && e.2 == "CKV2_AWS_10"));
}

#[test]
fn terraform_waivers_are_in_checkovs_baseline() {
    for path in crate::common::blueprints() {
        let text = crate::common::text(&path);
        check(&crate::common::compile_text(&text, Targets::All));
    }
    check(&crate::common::compile_text(
        &crate::common::generated_in_three_shapes(),
        Targets::All,
    ));
}

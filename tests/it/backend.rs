//! The Terraform state backend (`terraform.backend.s3`): written into every root module and no
//! shared module, one key per root, its defaults, and the diagnostics of a wrong one.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tarmac::compile::{validate, Compiled, Targets};
use tarmac::diagnostics::{Location, SourceFile};

use crate::common::{compile_text, generated, startup};

/// A blueprint text with a `terraform:` section appended (every blueprint used here has none).
fn with_backend(text: &str, s3: &str) -> String {
    format!("{text}\nterraform:\n  backend:\n    s3:\n{s3}")
}

/// Every Terraform module of a compilation, by path, parsed as Terraform reads it.
fn modules(c: &Compiled) -> Vec<(String, Value)> {
    c.files
        .iter()
        .filter(|f| f.path.starts_with("terraform/") && f.path.ends_with(".tf.json"))
        .map(|f| (f.path.clone(), serde_json::from_str(&f.contents).unwrap()))
        .collect()
}

fn is_shared(path: &str) -> bool {
    path.starts_with("terraform/modules/")
}

#[test]
fn every_root_module_of_100_accounts_has_the_backend_with_a_key_of_its_own() {
    // Outside us-east-1, the management account has two roots: its home region's and the one
    // holding Cost Explorer's resources, which live in us-east-1 only.
    let blueprint = generated(100).replace(
        "management_account_id: \"100000000000\"\n",
        "management_account_id: \"100000000000\"\n  home_region: us-east-2\n",
    );
    let text = with_backend(
        &blueprint,
        "      bucket: scale-tf-state\n      region: us-east-1\n",
    );
    let c = compile_text(&text, Targets::Terraform);
    let modules = modules(&c);
    let (shared, roots): (Vec<_>, Vec<_>) = modules.iter().partition(|(p, _)| is_shared(p));
    // The management roots and one root per member account and region.
    assert!(roots.len() > 100, "{} root modules", roots.len());
    assert!(!shared.is_empty());
    for (path, m) in &shared {
        assert!(
            m["terraform"].get("backend").is_none(),
            "{path}: a shared module has its callers' state"
        );
        assert!(m["terraform"].get("required_providers").is_some());
    }
    let mut keys = BTreeSet::new();
    for (path, m) in &roots {
        let s3 = &m["terraform"]["backend"]["s3"];
        let unit = path
            .strip_prefix("terraform/")
            .and_then(|p| p.strip_suffix("/main.tf.json"))
            .unwrap();
        assert_eq!(
            s3["key"],
            format!("scale/{unit}/terraform.tfstate"),
            "{path}"
        );
        assert!(
            keys.insert(s3["key"].as_str().unwrap().to_owned()),
            "{path} shares its state key"
        );
    }
    assert_eq!(keys.len(), roots.len());
    for management in ["management", "management-us-east-1"] {
        assert!(
            keys.contains(&format!("scale/{management}/terraform.tfstate")),
            "{keys:?}"
        );
    }
}

#[test]
fn defaults_are_encrypted_and_locked_by_lockfile_under_the_client() {
    let text = with_backend(
        &startup(),
        "      bucket: acme-tf-state\n      region: us-east-2\n",
    );
    let c = compile_text(&text, Targets::All);
    let (_, m) = modules(&c)
        .into_iter()
        .find(|(p, _)| p == "terraform/management/main.tf.json")
        .unwrap();
    // Written after the provider constraint, in this order.
    assert_eq!(
        m["terraform"],
        json!({
            "required_providers": { "aws": { "source": "hashicorp/aws", "version": ">= 5.100, < 7.0" } },
            "backend": { "s3": {
                "bucket": "acme-tf-state",
                "key": "acme/management/terraform.tfstate",
                "region": "us-east-2",
                "encrypt": true,
                "use_lockfile": true
            } }
        })
    );
    let keys: Vec<_> = m["terraform"]["backend"]["s3"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["bucket", "key", "region", "encrypt", "use_lockfile"]);
    // The CloudFormation output is unchanged by a Terraform backend.
    let without = compile_text(&startup(), Targets::All);
    let cfn = |c: &Compiled| {
        c.files
            .iter()
            .filter(|f| f.path.starts_with("cloudformation/"))
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(cfn(&c), cfn(&without));
}

#[test]
fn prefix_kms_key_and_table_locking_are_written_as_given() {
    let kms = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let backend = |locking: &str| {
        let text = with_backend(
            &startup(),
            &format!(
                "      bucket: acme-tf-state\n      region: us-east-1\n      key_prefix: landing-zones/acme\n      kms_key_id: {kms}\n{locking}"
            ),
        );
        let c = compile_text(&text, Targets::Terraform);
        let (_, m) = modules(&c)
            .into_iter()
            .find(|(p, _)| p == "terraform/acme-pilot-us-east-1/main.tf.json")
            .unwrap();
        m["terraform"]["backend"]["s3"].clone()
    };
    assert_eq!(
        backend("      dynamodb_table: tf-locks\n"),
        json!({
            "bucket": "acme-tf-state",
            "key": "landing-zones/acme/acme-pilot-us-east-1/terraform.tfstate",
            "region": "us-east-1",
            "encrypt": true,
            "kms_key_id": kms,
            "use_lockfile": true,
            "dynamodb_table": "tf-locks"
        })
    );
    // Table-only locking is for Terraform before 1.10, which refuses `use_lockfile`.
    let table_only = backend("      use_lockfile: false\n      dynamodb_table: tf-locks\n");
    assert!(table_only.get("use_lockfile").is_none(), "{table_only}");
    assert_eq!(table_only["dynamodb_table"], "tf-locks");
}

#[test]
fn without_a_backend_no_module_declares_one() {
    let c = compile_text(&generated(3), Targets::Terraform);
    for (path, m) in modules(&c) {
        assert!(m["terraform"].get("backend").is_none(), "{path}");
    }
}

/// The diagnostics of a startup blueprint with this `s3:` body, as (code, pointer) pairs, and
/// their rendering.
fn diagnostics(s3: &str) -> (Vec<(&'static str, String)>, String) {
    let text = with_backend(&startup(), s3);
    let file = SourceFile::new("acme-backend.yaml", text);
    let found = validate(&file);
    let pairs = found
        .iter()
        .map(|d| {
            let pointer = match &d.location {
                Location::Key(p) | Location::Value(p) => p.clone(),
                Location::Span(_) | Location::In(..) => String::from("(span)"),
            };
            (d.code.id, pointer)
        })
        .collect();
    (pairs, file.render(&found, false))
}

#[test]
fn a_wrong_backend_is_refused_with_codes() {
    let at = |field: &str| format!("/terraform/backend/s3/{field}");
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "bucket_rules",
            "      bucket: acme..state\n      region: us-east-1\n",
            "TM034",
            "bucket",
        ),
        (
            "bucket_pattern",
            "      bucket: Acme-State\n      region: us-east-1\n",
            "TM003",
            "bucket",
        ),
        (
            "trail_bucket",
            "      bucket: acme-org-trail-111111111111\n      region: us-east-1\n",
            "TM003",
            "bucket",
        ),
        (
            "region",
            "      bucket: acme-tf-state\n      region: us-east-9\n",
            "TM010",
            "region",
        ),
        (
            "no_lock",
            "      bucket: acme-tf-state\n      region: us-east-1\n      use_lockfile: false\n",
            "TM003",
            "use_lockfile",
        ),
        (
            "key_prefix",
            "      bucket: acme-tf-state\n      region: us-east-1\n      key_prefix: /states//acme/\n",
            "TM003",
            "key_prefix",
        ),
        (
            "kms_alias",
            "      bucket: acme-tf-state\n      region: us-east-1\n      kms_key_id: alias/tf-state\n",
            "TM003",
            "kms_key_id",
        ),
        (
            "encrypt_is_not_a_setting",
            "      bucket: acme-tf-state\n      region: us-east-1\n      encrypt: false\n",
            "TM002",
            "encrypt",
        ),
    ];
    let mut rendered = String::new();
    for (name, s3, code, field) in cases {
        let (found, text) = diagnostics(s3);
        assert_eq!(
            found,
            [(*code, at(field))],
            "{name}: expected exactly {code} at {field}\n{text}"
        );
        rendered.push_str(&format!("--- {name}\n{text}\n"));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(crate::common::root().join("tests/snapshots/backend"));
    settings.bind(|| insta::assert_snapshot!("backend_diagnostics", rendered));
    // The near miss of the lock: the table alone is a lock.
    let (found, text) = diagnostics(
        "      bucket: acme-tf-state\n      region: us-east-1\n      use_lockfile: false\n      dynamodb_table: tf-locks\n",
    );
    assert!(found.is_empty(), "{text}");
}

#[test]
fn the_state_stays_inside_the_residency() {
    let canadian = |region: &str| {
        let mut v: Value = serde_yaml_ng::from_str(&startup()).unwrap();
        v["data_residency"] = json!("canada");
        v["terraform"] =
            json!({ "backend": { "s3": { "bucket": "acme-tf-state", "region": region } } });
        let file = SourceFile::new("acme.yaml", serde_yaml_ng::to_string(&v).unwrap());
        validate(&file)
            .into_iter()
            .filter(|d| {
                matches!(&d.location, Location::Value(p) if p == "/terraform/backend/s3/region")
            })
            .map(|d| d.code.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(canadian("us-east-1"), ["TM046"]);
    assert!(canadian("ca-central-1").is_empty());
}

//! Ordering AWS needs that no reference implies, asserted in both targets for every shipped
//! blueprint: the trail bucket's access logging after the log bucket's policy, the trail after
//! its bucket policy and key, budgets after the policy of the topic they publish to.

use serde_json::Value;
use tarmac::compile::{compile, Targets};

/// Whether `resource` waits for `on` (a DependsOn list or a `depends_on` list).
fn waits(resource: &Value, key: &str, on: &str) -> bool {
    resource[key]
        .as_array()
        .is_some_and(|d| d.iter().any(|x| x == on))
}

#[test]
fn resources_wait_for_the_policies_aws_checks() {
    let mut budgets = 0;
    for path in crate::common::blueprints() {
        let label = path.display().to_string();
        let c = compile(&crate::common::source(&path), Targets::All)
            .unwrap_or_else(|_| panic!("{label} compiles"));
        let docs: Vec<(&str, Value)> = c
            .files
            .iter()
            .filter(|f| f.path.ends_with(".json") && !f.path.starts_with("rollout/"))
            .map(|f| (f.path.as_str(), serde_json::from_str(&f.contents).unwrap()))
            .collect();
        let cfn = docs
            .iter()
            .find(|(p, _)| *p == "cloudformation/management.template.json")
            .map(|(_, d)| &d["Resources"])
            .unwrap();
        assert!(
            waits(&cfn["TrailBucket"], "DependsOn", "AccessLogBucketPolicy"),
            "{label}: the trail bucket's LoggingConfiguration waits for the log bucket's policy"
        );
        assert!(
            cfn["TrailBucket"]["Properties"]["LoggingConfiguration"].is_object(),
            "{label}"
        );
        assert!(
            waits(&cfn["OrgTrail"], "DependsOn", "TrailBucketPolicy"),
            "{label}: the trail waits for its bucket policy"
        );
        assert_eq!(
            cfn["OrgTrail"]["Properties"]["KMSKeyId"],
            serde_json::json!({ "Fn::GetAtt": ["TrailKey", "Arn"] }),
            "{label}: the trail reads its key (and the key policy with it)"
        );
        let tf = docs
            .iter()
            .find(|(p, _)| *p == "terraform/management/main.tf.json")
            .map(|(_, d)| &d["resource"])
            .unwrap();
        assert!(
            waits(
                &tf["aws_s3_bucket"]["trail_bucket"],
                "depends_on",
                "aws_s3_bucket_policy.access_log_bucket_policy"
            ),
            "{label}: the trail bucket waits for the log bucket's policy"
        );
        assert_eq!(
            tf["aws_s3_bucket_logging"]["trail_bucket"]["bucket"],
            "${aws_s3_bucket.trail_bucket.id}",
            "{label}: its logging configuration follows the trail bucket, so the policy too"
        );
        let trail = &tf["aws_cloudtrail"]["org_trail"];
        assert!(
            waits(
                trail,
                "depends_on",
                "aws_s3_bucket_policy.trail_bucket_policy"
            ),
            "{label}"
        );
        assert_eq!(
            trail["kms_key_id"], "${aws_kms_key.trail_key.arn}",
            "{label}"
        );
        // Budgets, wherever they are: member templates and shared modules.
        for (p, d) in &docs {
            for (id, r) in d["Resources"].as_object().into_iter().flatten() {
                if r["Type"] == "AWS::Budgets::Budget" {
                    assert!(
                        waits(r, "DependsOn", "AlertsTopicPolicy"),
                        "{label}: {p} {id} waits for the topic policy"
                    );
                    budgets += 1;
                }
            }
            for (id, r) in d["resource"]["aws_budgets_budget"]
                .as_object()
                .into_iter()
                .flatten()
            {
                assert!(
                    waits(r, "depends_on", "aws_sns_topic_policy.alerts_topic_policy"),
                    "{label}: {p} {id} waits for the topic policy"
                );
                budgets += 1;
            }
        }
    }
    assert!(budgets > 0, "the shipped blueprints have budgets");
}

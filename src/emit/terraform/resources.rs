//! Terraform resources of one plan resource. hashicorp/aws splits what CloudFormation keeps on one
//! resource (bucket settings, SCP attachments, permission-set policies, security-group rules), so
//! one plan resource can become several Terraform resources; the split ones share the plan
//! resource's label under their own types.

use serde_json::{json, Map, Value as Json};

use super::values::{resource_type, Lowering};
use crate::emit::{number, number_text};
use crate::plan::policy::PolicyDocument;
use crate::plan::value::{Name, Value};
use crate::plan::{Kind, PrincipalType, Resource};

/// One Terraform resource: type, label, body.
pub struct TfResource {
    pub tf_type: &'static str,
    pub label: String,
    pub body: Map<String, Json>,
}

fn res(tf_type: &'static str, label: impl Into<String>, body: Json) -> TfResource {
    let Json::Object(body) = body else {
        unreachable!("resource bodies are objects")
    };
    TfResource {
        tf_type,
        label: label.into(),
        body,
    }
}

/// A policy document as the compact JSON string Terraform arguments take.
fn policy(l: &Lowering, doc: &PolicyDocument) -> String {
    serde_json::to_string(&doc.lower(&|v| Json::String(l.value(v))))
        .expect("a JSON value serializes")
}

/// Labels of the resources a permission set's assignments must outlive on destroy.
pub fn permission_set_attachments(r: &Resource) -> Vec<String> {
    let Kind::PermissionSet {
        managed_policies,
        inline_policy,
        ..
    } = &r.kind
    else {
        return Vec::new();
    };
    let label = r.name.snake();
    let mut out: Vec<String> = managed_policies
        .iter()
        .map(|arn| {
            format!(
                "aws_ssoadmin_managed_policy_attachment.{}",
                managed_label(&label, arn)
            )
        })
        .collect();
    if inline_policy.is_some() {
        out.push(format!("aws_ssoadmin_permission_set_inline_policy.{label}"));
    }
    out
}

fn managed_label(set: &str, arn: &str) -> String {
    Name::new(&[set, arn.rsplit('/').next().unwrap_or(arn)]).snake()
}

/// The Terraform resources of a plan resource. `depends_on` is the lowered list of addresses the
/// resource waits for (plan dependencies plus target-specific ones).
pub fn lower(l: &Lowering, r: &Resource, depends_on: Vec<String>) -> Vec<TfResource> {
    let label = r.name.snake();
    let t = resource_type(&r.kind);
    let mut out = match &r.kind {
        Kind::OrganizationalUnit { name, parent } => vec![res(
            t,
            &label,
            json!({ "name": name, "parent_id": l.value(parent) }),
        )],
        Kind::Account {
            name,
            email,
            parent,
        } => vec![res(
            t,
            &label,
            json!({ "name": name, "email": email, "parent_id": l.value(parent), "close_on_deletion": false }),
        )],
        Kind::ServiceControlPolicy {
            name,
            description,
            document,
            targets,
        } => {
            let mut v = vec![res(
                t,
                &label,
                json!({ "name": name, "description": description, "type": "SERVICE_CONTROL_POLICY", "content": policy(l, document) }),
            )];
            for (i, target) in targets.iter().enumerate() {
                v.push(res(
                    "aws_organizations_policy_attachment",
                    format!("{label}_{}", i + 1),
                    json!({ "policy_id": format!("${{{t}.{label}.id}}"), "target_id": l.value(target) }),
                ));
            }
            v
        }
        Kind::PermissionSet {
            name,
            description,
            instance_arn,
            session_duration,
            managed_policies,
            inline_policy,
        } => {
            let set_arn = format!("${{{t}.{label}.arn}}");
            let mut v = vec![res(
                t,
                &label,
                json!({ "name": name, "description": description, "instance_arn": instance_arn, "session_duration": session_duration }),
            )];
            for arn in managed_policies {
                v.push(res(
                    "aws_ssoadmin_managed_policy_attachment",
                    managed_label(&label, arn),
                    json!({ "instance_arn": instance_arn, "permission_set_arn": set_arn, "managed_policy_arn": arn }),
                ));
            }
            if let Some(doc) = inline_policy {
                v.push(res(
                    "aws_ssoadmin_permission_set_inline_policy",
                    &label,
                    json!({ "instance_arn": instance_arn, "permission_set_arn": set_arn, "inline_policy": policy(l, doc) }),
                ));
            }
            v
        }
        Kind::Assignment {
            instance_arn,
            permission_set,
            principal_type,
            principal_id,
            account_id,
        } => vec![res(
            t,
            &label,
            json!({
                "instance_arn": instance_arn,
                "permission_set_arn": l.value(permission_set),
                "principal_id": l.value(principal_id),
                "principal_type": match principal_type { PrincipalType::User => "USER", PrincipalType::Group => "GROUP" },
                "target_id": l.value(account_id),
                "target_type": "AWS_ACCOUNT"
            }),
        )],
        Kind::KmsKey {
            description,
            policy: doc,
        } => vec![res(
            t,
            &label,
            json!({ "description": description, "enable_key_rotation": true, "deletion_window_in_days": 30, "policy": policy(l, doc) }),
        )],
        Kind::KmsAlias { name, key } => vec![res(
            t,
            &label,
            json!({ "name": name, "target_key_id": l.value(key) }),
        )],
        Kind::Bucket(b) => {
            let bucket = format!("${{{t}.{label}.id}}");
            let mut rule = json!({
                "id": "expire-logs",
                "status": "Enabled",
                "filter": {},
                "abort_incomplete_multipart_upload": { "days_after_initiation": 7 },
                "noncurrent_version_expiration": { "noncurrent_days": 90 }
            });
            if let Some(days) = b.expire_after_days {
                rule["expiration"] = json!({ "days": days });
            }
            vec![
                res(t, &label, json!({ "bucket": l.value(&b.name) })),
                res(
                    "aws_s3_bucket_versioning",
                    &label,
                    json!({ "bucket": bucket, "versioning_configuration": { "status": "Enabled" } }),
                ),
                res(
                    "aws_s3_bucket_server_side_encryption_configuration",
                    &label,
                    json!({ "bucket": bucket, "rule": [{
                        "apply_server_side_encryption_by_default": { "sse_algorithm": "aws:kms", "kms_master_key_id": l.value(&b.kms_key) },
                        "bucket_key_enabled": true
                    }]}),
                ),
                res(
                    "aws_s3_bucket_public_access_block",
                    &label,
                    json!({ "bucket": bucket, "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true }),
                ),
                res(
                    "aws_s3_bucket_ownership_controls",
                    &label,
                    json!({ "bucket": bucket, "rule": { "object_ownership": "BucketOwnerEnforced" } }),
                ),
                res(
                    "aws_s3_bucket_lifecycle_configuration",
                    &label,
                    json!({ "bucket": bucket, "rule": [rule] }),
                ),
            ]
        }
        Kind::BucketPolicy { bucket, document } => vec![res(
            t,
            &label,
            json!({ "bucket": l.value(bucket), "policy": policy(l, document) }),
        )],
        Kind::Trail {
            name,
            bucket,
            kms_key,
        } => vec![res(
            t,
            &label,
            json!({
                "name": name,
                "s3_bucket_name": l.value(bucket),
                "kms_key_id": l.value(kms_key),
                "enable_logging": true,
                "is_organization_trail": true,
                "is_multi_region_trail": true,
                "include_global_service_events": true,
                "enable_log_file_validation": true
            }),
        )],
        Kind::SnsTopic { name, kms_key } => vec![res(
            t,
            &label,
            json!({ "name": name, "kms_master_key_id": l.value(kms_key) }),
        )],
        Kind::SnsTopicPolicy { topic, document } => vec![res(
            t,
            &label,
            json!({ "arn": l.value(topic), "policy": policy(l, document) }),
        )],
        Kind::SnsEmailSubscription { topic, email } => vec![res(
            t,
            &label,
            json!({ "topic_arn": l.value(topic), "protocol": "email", "endpoint": email }),
        )],
        Kind::Budget(b) => {
            let mut body = json!({
                "name": b.name,
                "budget_type": "COST",
                "time_unit": "MONTHLY",
                "limit_amount": number_text(b.amount_usd),
                "limit_unit": "USD"
            });
            if let Some(service) = &b.service {
                // `cost_filter`, not `filter_expression`: the latter exists only in provider 6.x.
                body["cost_filter"] = json!([{ "name": "Service", "values": [service] }]);
            }
            body["notification"] = Json::Array(
                b.notifications
                    .iter()
                    .map(|n| {
                        json!({
                            "comparison_operator": "GREATER_THAN",
                            "notification_type": if n.forecasted { "FORECASTED" } else { "ACTUAL" },
                            "threshold": number(n.percent),
                            "threshold_type": "PERCENTAGE",
                            "subscriber_sns_topic_arns": [l.value(&b.topic)]
                        })
                    })
                    .collect(),
            );
            vec![res(t, &label, body)]
        }
        Kind::AnomalyMonitor {
            name,
            specification,
        } => {
            vec![res(
                t,
                &label,
                json!({ "name": name, "monitor_type": "CUSTOM", "monitor_specification": l.value(specification) }),
            )]
        }
        Kind::AnomalySubscription {
            name,
            monitor,
            frequency,
            threshold_usd,
            emails,
        } => vec![res(
            t,
            &label,
            json!({
                "name": name,
                "frequency": frequency,
                "monitor_arn_list": [l.value(monitor)],
                "subscriber": emails.iter().map(|e| json!({ "type": "EMAIL", "address": e })).collect::<Vec<_>>(),
                // `threshold_expression`: provider 5.100 has no `threshold` argument.
                "threshold_expression": { "dimension": {
                    "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                    "values": [number_text(*threshold_usd)],
                    "match_options": ["GREATER_THAN_OR_EQUAL"]
                }}
            }),
        )],
        Kind::SecurityGroup {
            name,
            description,
            vpc_id,
            rules,
        } => {
            let group = format!("${{{t}.{label}.id}}");
            let mut v = vec![res(
                t,
                &label,
                json!({ "name": name, "description": description, "vpc_id": vpc_id }),
            )];
            for (i, rule) in rules.iter().enumerate() {
                let rt = if rule.ingress {
                    "aws_vpc_security_group_ingress_rule"
                } else {
                    "aws_vpc_security_group_egress_rule"
                };
                v.push(res(
                    rt,
                    format!("{label}_{}", i + 1),
                    json!({
                        "security_group_id": group,
                        "ip_protocol": "tcp",
                        "from_port": rule.port,
                        "to_port": rule.port,
                        "cidr_ipv4": rule.cidr,
                        "description": rule.description
                    }),
                ));
            }
            v
        }
        Kind::VpcEndpoint {
            service_name,
            vpc_id,
            subnet_ids,
            security_group,
            private_dns,
            policy: doc,
        } => vec![res(
            t,
            &label,
            json!({
                // The default endpoint type is Gateway; Bedrock endpoints are Interface endpoints.
                "vpc_endpoint_type": "Interface",
                "service_name": service_name,
                "vpc_id": vpc_id,
                "subnet_ids": subnet_ids,
                "security_group_ids": [l.value(security_group)],
                "private_dns_enabled": private_dns,
                "policy": policy(l, doc)
            }),
        )],
        Kind::MantleProject { .. } => Vec::new(),
    };
    if let Some(first) = out.first_mut() {
        if !depends_on.is_empty() {
            first.body.insert("depends_on".into(), json!(depends_on));
        }
    }
    out
}

/// Whether a value mentions a resource of this kind (for dropping outputs of unemitted resources).
pub fn mentions(l: &Lowering, v: &Value, unsupported: fn(&Kind) -> bool) -> bool {
    v.refs().iter().any(|r| unsupported(l.kind(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Target, Unit};

    #[test]
    fn vpc_endpoints_are_interface_and_budgets_use_cost_filter() {
        let sg = Name::new(&["sg"]);
        let unit = Unit {
            name: "m".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            order: 1,
            inputs: vec![],
            outputs: vec![],
            resources: vec![Resource {
                name: sg.clone(),
                kind: Kind::SecurityGroup {
                    name: "sg".into(),
                    description: "d".into(),
                    vpc_id: "vpc-1".into(),
                    rules: vec![],
                },
                depends_on: vec![],
            }],
        };
        let l = Lowering::new(&unit);
        let endpoint = Resource {
            name: Name::new(&["e"]),
            kind: Kind::VpcEndpoint {
                service_name: "com.amazonaws.us-east-1.bedrock-runtime".into(),
                vpc_id: "vpc-1".into(),
                subnet_ids: vec!["subnet-1".into()],
                security_group: Value::reference(&sg, crate::plan::value::Attr::Id),
                private_dns: true,
                policy: PolicyDocument::new(vec![]),
            },
            depends_on: vec![],
        };
        let e = lower(&l, &endpoint, vec![]);
        assert_eq!(e[0].body["vpc_endpoint_type"], "Interface");
        assert_eq!(
            e[0].body["security_group_ids"],
            json!(["${aws_security_group.sg.id}"])
        );
        let budget = Resource {
            name: Name::new(&["b"]),
            kind: Kind::Budget(crate::plan::Budget {
                name: "b".into(),
                amount_usd: 100.0,
                service: Some("Amazon Bedrock".into()),
                notifications: vec![],
                topic: Value::lit("arn:aws:sns:us-east-1:111111111111:t"),
            }),
            depends_on: vec![],
        };
        let b = lower(&l, &budget, vec![]);
        assert!(
            b[0].body.contains_key("cost_filter") && !b[0].body.contains_key("filter_expression")
        );
        assert_eq!(b[0].body["limit_amount"], "100");
    }
}

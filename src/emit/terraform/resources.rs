//! The Terraform resources of one plan resource. hashicorp/aws splits what CloudFormation keeps on
//! one resource (bucket settings, SCP attachments, permission-set policies, security-group rules),
//! so one plan resource can become several Terraform resources: split resources of another type
//! share the plan resource's label, several of one type get a suffix derived from what they hold.
//!
//! Every argument uses only what both hashicorp/aws 5.100 and 6.x accept (`cost_filter`, not
//! `filter_expression`; `threshold_expression`, not `threshold`).

use super::values::{lit, resource_type, Lowering};
use crate::emit::aws::{self, AwsName};
use crate::json::{json, number, number_text, Json, Obj};
use crate::plan::cost::linked_accounts_expression;
use crate::plan::policy::PolicyDocument;
use crate::plan::value::{Name, Value};
use crate::plan::{
    AnomalySubscription, Assignment, Bucket, Budget, CostFilter, Kind, KmsKey, PermissionSet,
    PolicyType, Resource, SecurityGroup, SecurityGroupRule, SubnetIds, Trail, VpcEndpoint,
};

/// One Terraform resource: type, label, body.
pub struct TfResource {
    pub tf_type: &'static str,
    pub label: String,
    pub body: Obj,
}

impl TfResource {
    fn new(tf_type: &'static str, label: impl Into<String>, body: Json) -> TfResource {
        let Json::Obj(body) = body else {
            unreachable!("resource bodies are objects")
        };
        TfResource {
            tf_type,
            label: label.into(),
            body,
        }
    }
}

/// The Terraform resources of a plan resource, primary first. `depends_on` holds the addresses
/// the primary resource waits for; retained kinds get `prevent_destroy`.
pub fn lower(l: &Lowering, r: &Resource, depends_on: Vec<String>) -> Vec<TfResource> {
    let Some(t) = resource_type(&r.kind) else {
        return Vec::new();
    };
    let label = r.name.snake();
    let mut out = split(l, Own { t, label: &label }, &r.kind);
    let primary = &mut out[0].body;
    if !depends_on.is_empty() {
        primary.insert("depends_on", Json::from(depends_on));
    }
    if r.kind.retained() {
        // The Terraform counterpart of CloudFormation's Retain policies: a plan that would destroy
        // or replace audit logs, their keys or an account fails instead.
        let mut lifecycle = json!({ "prevent_destroy": true });
        match (&r.kind, &mut lifecycle) {
            (
                Kind::Account {
                    adopted: Some(_), ..
                },
                Json::Obj(o),
            ) => {
                // An adopted account is the client's, taken over only to move it (`parent_id`,
                // which hashicorp/aws changes with MoveAccount). `name`, `email`, `role_name`
                // and `iam_user_access_to_billing` force a new account (hashicorp/aws,
                // internal/service/organizations/account.go: ForceNew), the last two cannot be
                // read back, and the blueprint's name is a slug rather than the account's own:
                // a difference in any of them must never plan a replacement, nor must the
                // blueprint's tags replace the account's own.
                o.insert(
                    "ignore_changes",
                    json!([
                        "name",
                        "email",
                        "role_name",
                        "iam_user_access_to_billing",
                        "tags",
                        "tags_all"
                    ]),
                );
            }
            (
                Kind::Account {
                    role_name: Some(_), ..
                },
                Json::Obj(o),
            ) => {
                // Organizations cannot read the role name back and changing it forces a new
                // account (hashicorp/aws docs of aws_organizations_account): an account created
                // before `role_name` was written, or imported, must not be replaced for it.
                o.insert("ignore_changes", json!(["role_name"]));
            }
            _ => {}
        }
        primary.insert("lifecycle", lifecycle);
    }
    out
}

/// Addresses a resource must wait for in Terraform beyond its references and the plan's
/// dependencies.
pub fn implied_dependencies(l: &Lowering, r: &Resource) -> Vec<String> {
    match &r.kind {
        // Deleting an assignment while its permission set's policies are detached races in
        // Identity Center (hashicorp/aws docs of aws_ssoadmin_account_assignment).
        Kind::Assignment(a) => a
            .permission_set
            .refs()
            .into_iter()
            .flat_map(|set| permission_set_policies(&set.resource, l.kind(&set.resource)))
            .collect(),
        // S3 rejects a bucket policy and a public access block written at the same time
        // (OperationAborted: a conflicting conditional operation).
        Kind::BucketPolicy { bucket, .. } => bucket
            .refs()
            .into_iter()
            .filter(|b| matches!(l.kind(&b.resource), Kind::Bucket(_)))
            .map(|b| format!("aws_s3_bucket_public_access_block.{}", b.resource.snake()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Addresses of the policy attachments of a permission set.
fn permission_set_policies(name: &Name, kind: &Kind) -> Vec<String> {
    let Kind::PermissionSet(set) = kind else {
        return Vec::new();
    };
    let label = name.snake();
    let mut out: Vec<String> = set
        .managed_policies
        .iter()
        .map(|arn| {
            format!(
                "aws_ssoadmin_managed_policy_attachment.{}",
                managed_policy_label(&label, arn)
            )
        })
        .collect();
    if set.inline_policy.is_some() {
        out.push(format!("aws_ssoadmin_permission_set_inline_policy.{label}"));
    }
    out
}

/// `<set>_<policy>`: the words of the ARN after `policy/`, path included
/// (`…:policy/job-function/ViewOnlyAccess` → `<set>_job_function_…`).
fn managed_policy_label(set: &str, arn: &str) -> String {
    let policy = arn.split_once(":policy/").map_or(arn, |(_, p)| p);
    Name::new(&[set, policy]).snake()
}

/// `<scp>_<target>`: named after the target, so adding or removing one target leaves the other
/// attachments alone (an index would shift them, and replacing an attachment detaches the SCP).
fn attachment_label(scp: &str, target: &Value, index: usize) -> String {
    let suffix = match target {
        Value::Ref(r) => r.resource.snake(),
        Value::Lit(id) => Name::new(&[id]).snake(),
        Value::Input(name) => name.clone(),
        Value::AccountId | Value::Join(_) => String::new(),
    };
    if suffix.is_empty() {
        format!("{scp}_{}", index + 1)
    } else {
        format!("{scp}_{suffix}")
    }
}

/// The primary resource of a plan resource: its type and label, which split resources share or
/// derive theirs from and reference.
#[derive(Clone, Copy)]
struct Own<'a> {
    t: &'static str,
    label: &'a str,
}

impl Own<'_> {
    /// The primary resource alone.
    fn one(self, body: Json) -> Vec<TfResource> {
        vec![TfResource::new(self.t, self.label, body)]
    }

    /// A reference to an attribute of the primary resource.
    fn attr(self, attr: &str) -> String {
        format!("${{{}.{}.{attr}}}", self.t, self.label)
    }
}

/// The resources of one kind, primary first: the match only dispatches, one function per kind.
fn split(l: &Lowering, own: Own, kind: &Kind) -> Vec<TfResource> {
    match kind {
        Kind::OrganizationalUnit { name, parent } => own.one(json!({
            "name": lit(name),
            "parent_id": l.json(parent)
        })),
        Kind::Account {
            name,
            email,
            parent,
            role_name,
            close_on_deletion,
            ..
        } => {
            let mut body = json!({
                "name": lit(name),
                "email": lit(email),
                "parent_id": l.json(parent),
                "close_on_deletion": *close_on_deletion
            });
            if let Some(role) = role_name {
                body.insert("role_name", lit(role));
            }
            own.one(body)
        }
        Kind::ServiceControlPolicy {
            name,
            description,
            document,
            targets,
            policy_type,
        } => policy(l, own, name, description, document, targets, *policy_type),
        Kind::PermissionSet(p) => permission_set(l, own, p),
        Kind::Assignment(a) => own.one(assignment(l, a)),
        Kind::KmsKey(k) => own.one(key(l, k)),
        Kind::KmsAlias { name, key } => own.one(json!({
            "name": lit(name),
            "target_key_id": l.json(key)
        })),
        Kind::Bucket(b) => bucket(l, own, b),
        Kind::BucketPolicy { bucket, document } => own.one(json!({
            "bucket": l.json(bucket),
            "policy": l.policy(document)
        })),
        Kind::Trail(t) => own.one(trail(l, t)),
        Kind::SnsTopic { name, kms_key } => own.one(json!({
            "name": lit(name),
            "kms_master_key_id": l.json(kms_key)
        })),
        // The topic argument of aws_sns_topic_policy is `arn`, not `topic_arn`.
        Kind::SnsTopicPolicy { topic, document } => own.one(json!({
            "arn": l.json(topic),
            "policy": l.policy(document)
        })),
        Kind::SnsEmailSubscription { topic, email } => own.one(json!({
            "topic_arn": l.json(topic),
            "protocol": aws::EMAIL_PROTOCOL,
            "endpoint": lit(email)
        })),
        Kind::Budget(b) => own.one(budget(l, b)),
        Kind::AnomalyMonitor {
            name,
            accounts,
            monitor_type,
        } => own.one(json!({
            "name": lit(name),
            "monitor_type": monitor_type.aws_name(),
            // With the expression's unused members as nulls: the provider's read-back form.
            "monitor_specification": l.json(&linked_accounts_expression(accounts, true))
        })),
        Kind::AnomalySubscription(a) => own.one(anomaly_subscription(l, a)),
        Kind::SecurityGroup(g) => security_group(l, own, g),
        Kind::Vpc {
            cidr,
            dns_support,
            dns_hostnames,
        } => own.one(json!({
            "cidr_block": l.value(cidr),
            "enable_dns_support": *dns_support,
            "enable_dns_hostnames": *dns_hostnames
        })),
        Kind::Subnet {
            vpc_id,
            cidr,
            availability_zone_id,
        } => own.one(json!({
            "vpc_id": l.value(vpc_id),
            "cidr_block": l.value(cidr),
            "availability_zone_id": l.value(availability_zone_id)
        })),
        Kind::VpcEndpoint(e) => own.one(endpoint(l, e)),
        Kind::MantleProject { .. } => unreachable!("kinds without a Terraform type are skipped"),
    }
}

/// An SCP and one attachment per target.
fn policy(
    l: &Lowering,
    own: Own,
    name: &str,
    description: &str,
    document: &PolicyDocument,
    targets: &[Value],
    policy_type: PolicyType,
) -> Vec<TfResource> {
    let mut v = own.one(json!({
        "name": lit(name),
        "description": lit(description),
        "type": policy_type.aws_name(),
        "content": l.policy(document)
    }));
    for (i, target) in targets.iter().enumerate() {
        v.push(TfResource::new(
            "aws_organizations_policy_attachment",
            attachment_label(own.label, target, i),
            json!({ "policy_id": own.attr("id"), "target_id": l.json(target) }),
        ));
    }
    v
}

/// A permission set, its managed policy attachments and its inline policy.
fn permission_set(l: &Lowering, own: Own, p: &PermissionSet) -> Vec<TfResource> {
    let mut v = own.one(json!({
        "name": lit(&p.name),
        "description": lit(&p.description),
        "instance_arn": lit(&p.instance_arn),
        "session_duration": lit(&p.session_duration)
    }));
    for arn in &p.managed_policies {
        v.push(TfResource::new(
            "aws_ssoadmin_managed_policy_attachment",
            managed_policy_label(own.label, arn),
            json!({
                "instance_arn": lit(&p.instance_arn),
                "permission_set_arn": own.attr("arn"),
                "managed_policy_arn": lit(arn)
            }),
        ));
    }
    if let Some(doc) = &p.inline_policy {
        v.push(TfResource::new(
            "aws_ssoadmin_permission_set_inline_policy",
            own.label,
            json!({
                "instance_arn": lit(&p.instance_arn),
                "permission_set_arn": own.attr("arn"),
                "inline_policy": l.policy(doc)
            }),
        ));
    }
    v
}

fn assignment(l: &Lowering, a: &Assignment) -> Json {
    json!({
        "instance_arn": lit(&a.instance_arn),
        "permission_set_arn": l.json(&a.permission_set),
        "principal_id": l.json(&a.principal_id),
        "principal_type": a.principal_type.aws_name(),
        "target_id": l.json(&a.account_id),
        "target_type": a.target_type.aws_name()
    })
}

fn key(l: &Lowering, k: &KmsKey) -> Json {
    json!({
        "description": lit(&k.description),
        "enable_key_rotation": k.settings.rotation,
        "deletion_window_in_days": k.settings.pending_window_days,
        "policy": l.policy(&k.policy)
    })
}

/// A bucket and the resources hashicorp/aws splits its settings into, all labelled like it.
fn bucket(l: &Lowering, own: Own, b: &Bucket) -> Vec<TfResource> {
    let s = &b.settings;
    let label = own.label;
    let bucket = own.attr("id");
    let mut rule = json!({
        "id": s.lifecycle_rule,
        "status": aws::ENABLED,
        // An empty filter: the rule covers every object.
        "filter": json!({}),
        "abort_incomplete_multipart_upload": json!({
            "days_after_initiation": s.abort_incomplete_upload_days
        }),
        "noncurrent_version_expiration": json!({ "noncurrent_days": s.noncurrent_version_days })
    });
    if let Some(days) = b.expire_after_days {
        rule.insert("expiration", json!({ "days": days }));
    }
    let algorithm = aws::sse_algorithm(b.kms_key.is_some());
    let block = s.block_public_access;
    let mut split = vec![
        TfResource::new(own.t, label, json!({ "bucket": l.json(&b.name) })),
        TfResource::new(
            "aws_s3_bucket_versioning",
            label,
            json!({
                "bucket": bucket.as_str(),
                "versioning_configuration": json!({
                    "status": aws::versioning_status(s.versioned)
                }),
            }),
        ),
        TfResource::new(
            "aws_s3_bucket_server_side_encryption_configuration",
            label,
            json!({
                "bucket": bucket.as_str(),
                "rule": vec![json!({
                    "apply_server_side_encryption_by_default": match &b.kms_key {
                        Some(key) => json!({
                            "sse_algorithm": algorithm,
                            "kms_master_key_id": l.json(key),
                        }),
                        None => json!({ "sse_algorithm": algorithm }),
                    },
                    "bucket_key_enabled": b.kms_key.is_some()
                })]
            }),
        ),
        TfResource::new(
            "aws_s3_bucket_public_access_block",
            label,
            json!({
                "bucket": bucket.as_str(),
                "block_public_acls": block,
                "block_public_policy": block,
                "ignore_public_acls": block,
                "restrict_public_buckets": block
            }),
        ),
        TfResource::new(
            "aws_s3_bucket_ownership_controls",
            label,
            json!({
                "bucket": bucket.as_str(),
                "rule": json!({ "object_ownership": s.ownership.aws_name() }),
            }),
        ),
        TfResource::new(
            "aws_s3_bucket_lifecycle_configuration",
            label,
            json!({
                "bucket": bucket.as_str(),
                "rule": vec![rule],
                // Noncurrent-version rules act once versioning is on (hashicorp/aws docs).
                "depends_on": vec![format!("aws_s3_bucket_versioning.{label}")]
            }),
        ),
    ];
    if let Some(logs) = &b.access_logs {
        split.push(TfResource::new(
            "aws_s3_bucket_logging",
            label,
            json!({
                "bucket": bucket.as_str(),
                "target_bucket": l.json(&logs.bucket),
                "target_prefix": lit(&logs.prefix),
            }),
        ));
    }
    if b.eventbridge {
        split.push(TfResource::new(
            "aws_s3_bucket_notification",
            label,
            json!({ "bucket": bucket.as_str(), "eventbridge": true }),
        ));
    }
    split
}

fn trail(l: &Lowering, t: &Trail) -> Json {
    let s = &t.settings;
    json!({
        "name": lit(&t.name),
        "s3_bucket_name": l.json(&t.bucket),
        // The key's ARN: CloudTrail takes an ARN here, not a key id.
        "kms_key_id": l.json(&t.kms_key),
        "enable_logging": s.logging,
        "is_organization_trail": s.organization,
        "is_multi_region_trail": s.multi_region,
        "include_global_service_events": s.global_service_events,
        "enable_log_file_validation": s.log_file_validation
    })
}

fn anomaly_subscription(l: &Lowering, a: &AnomalySubscription) -> Json {
    json!({
        "name": lit(&a.name),
        "frequency": lit(&a.frequency),
        "monitor_arn_list": a.monitors.iter().map(|m| l.json(m)).collect::<Vec<_>>(),
        "subscriber": a.emails
            .iter()
            .map(|e| json!({ "type": aws::EMAIL_SUBSCRIBER, "address": lit(e) }))
            .collect::<Vec<_>>(),
        // `threshold_expression`: provider 5.100 has no `threshold` argument.
        "threshold_expression": json!({
            "dimension": json!({
                "key": a.threshold_dimension.aws_name(),
                "values": vec![number_text(a.threshold_usd)],
                "match_options": json!([a.threshold_comparison.aws_name()])
            })
        })
    })
}

fn endpoint(l: &Lowering, e: &VpcEndpoint) -> Json {
    json!({
        // The default endpoint type is Gateway; Bedrock endpoints are Interface endpoints.
        "vpc_endpoint_type": e.endpoint_type.aws_name(),
        "service_name": lit(&e.service_name),
        "vpc_id": l.value(&e.vpc_id),
        "subnet_ids": match &e.subnet_ids {
            SubnetIds::Input(list) => Json::Str(l.value(list)),
            SubnetIds::Each(each) => Json::Arr(each.iter().map(|v| l.json(v)).collect()),
        },
        "security_group_ids": vec![l.json(&e.security_group)],
        "private_dns_enabled": e.private_dns,
        // The policy is set here only, never also with aws_vpc_endpoint_policy: both would
        // fight.
        "policy": l.policy(&e.policy)
    })
}

/// A budget with its notifications, each to the budget's topic.
fn budget(l: &Lowering, b: &Budget) -> Json {
    let mut body = json!({
        "name": lit(&b.name),
        "budget_type": b.budget_type.aws_name(),
        "time_unit": b.time_unit.aws_name(),
        "limit_amount": l.value(&b.amount),
        "limit_unit": b.currency.aws_name()
    });
    if let Some(filter) = &b.cost_filter {
        let CostFilter::Service(service) = filter;
        // `cost_filter`, not `filter_expression`: the latter exists only in provider 6.x.
        body.insert(
            "cost_filter",
            json!([{ "name": filter.aws_name(), "values": [lit(service)] }]),
        );
    }
    body.insert(
        "notification",
        b.notifications
            .iter()
            .map(|n| {
                json!({
                    "comparison_operator": n.comparison.aws_name(),
                    "notification_type": n.notification_type.aws_name(),
                    "threshold": number(n.percent),
                    "threshold_type": n.threshold_type.aws_name(),
                    "subscriber_sns_topic_arns": vec![l.json(&b.topic)]
                })
            })
            .collect::<Vec<_>>(),
    );
    body
}

/// A security group and one rule resource per rule, numbered per direction.
fn security_group(l: &Lowering, own: Own, g: &SecurityGroup) -> Vec<TfResource> {
    // No inline rules: they would fight the rule resources. Terraform removes the default
    // allow-all egress rule of a new group, so only the rules below remain.
    let mut v = own.one(json!({
        "name": lit(&g.name),
        "description": lit(&g.description),
        "vpc_id": l.value(&g.vpc_id)
    }));
    for ingress in [true, false] {
        let of_direction: Vec<&SecurityGroupRule> =
            g.rules.iter().filter(|r| r.ingress == ingress).collect();
        for (i, rule) in of_direction.into_iter().enumerate() {
            v.push(TfResource::new(
                if ingress {
                    "aws_vpc_security_group_ingress_rule"
                } else {
                    "aws_vpc_security_group_egress_rule"
                },
                format!("{}_{}", own.label, i + 1),
                json!({
                    "security_group_id": own.attr("id"),
                    "ip_protocol": rule.protocol.aws_name(),
                    "from_port": rule.port,
                    "to_port": rule.port,
                    "cidr_ipv4": l.value(&rule.cidr),
                    "description": lit(&rule.description)
                }),
            ));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::policy::PolicyDocument;
    use crate::plan::value::Attr;
    use crate::plan::{AssignmentTarget, Budget, Notification, PrincipalType, Target, Unit};

    fn resource(name: &str, kind: Kind) -> Resource {
        Resource {
            name: Name::new(&[name]),
            kind,
            depends_on: vec![],
            waivers: vec![],
        }
    }

    fn unit(resources: Vec<Resource>) -> Unit {
        Unit {
            name: "m".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            inputs: vec![],
            outputs: vec![],
            resources,
        }
    }

    fn group(name: &str) -> Kind {
        Kind::SecurityGroup(crate::plan::SecurityGroup {
            name: name.into(),
            description: "d".into(),
            vpc_id: Value::Input("network_1_vpc_id".into()),
            rules: vec![
                SecurityGroupRule {
                    ingress: true,
                    protocol: crate::plan::IpProtocol::Tcp,
                    port: 443,
                    cidr: Value::Input("network_1_cidr".into()),
                    description: "in".into(),
                },
                SecurityGroupRule {
                    ingress: false,
                    protocol: crate::plan::IpProtocol::Tcp,
                    port: 443,
                    cidr: Value::Input("network_1_cidr".into()),
                    description: "out".into(),
                },
            ],
        })
    }

    #[test]
    fn vpc_endpoints_are_interface_endpoints() {
        let u = unit(vec![resource("sg", group("sg"))]);
        let l = Lowering::new(&u);
        let endpoint = resource(
            "e",
            Kind::VpcEndpoint(crate::plan::VpcEndpoint {
                service_name: "com.amazonaws.us-east-1.bedrock-runtime".into(),
                vpc_id: Value::Input("network_1_vpc_id".into()),
                subnet_ids: SubnetIds::Input(Value::Input("network_1_subnet_ids".into())),
                security_group: Value::reference(&Name::new(&["sg"]), Attr::Id),
                private_dns: true,
                policy: PolicyDocument::new(vec![]),
                endpoint_type: crate::plan::EndpointType::Interface,
            }),
        );
        let e = lower(&l, &endpoint, vec![]);
        let body = serde_json::to_value(&e[0].body).unwrap();
        assert_eq!(
            e.len(),
            1,
            "the policy is not split into aws_vpc_endpoint_policy"
        );
        assert_eq!(e[0].tf_type, "aws_vpc_endpoint");
        assert_eq!(body["vpc_endpoint_type"], "Interface");
        assert_eq!(
            body["security_group_ids"],
            serde_json::json!(["${aws_security_group.sg.id}"])
        );
    }

    #[test]
    fn budgets_use_cost_filter_not_filter_expression() {
        let u = unit(vec![]);
        let l = Lowering::new(&u);
        let budget = resource(
            "b",
            Kind::Budget(Budget {
                name: "b".into(),
                amount: Value::Input("budget_bedrock_monthly_usd".into()),
                cost_filter: Some(CostFilter::Service("Amazon Bedrock".into())),
                budget_type: crate::plan::BudgetType::Cost,
                time_unit: crate::plan::TimeUnit::Monthly,
                currency: crate::plan::Currency::Usd,
                notifications: vec![Notification {
                    percent: 80.0,
                    notification_type: crate::plan::NotificationType::Forecasted,
                    comparison: crate::plan::Comparison::GreaterThan,
                    threshold_type: crate::plan::ThresholdType::Percentage,
                }],
                topic: Value::lit("arn:aws:sns:us-east-1:111111111111:t"),
            }),
        );
        let b = serde_json::to_value(&lower(&l, &budget, vec![])[0].body).unwrap();
        assert!(b.get("filter_expression").is_none());
        assert_eq!(
            b["cost_filter"],
            serde_json::json!([{ "name": "Service", "values": ["Amazon Bedrock"] }])
        );
        assert_eq!(b["limit_amount"], "${var.budget_bedrock_monthly_usd}");
        assert_eq!(b["notification"][0]["threshold"], 80);
        assert_eq!(b["notification"][0]["notification_type"], "FORECASTED");
    }

    #[test]
    fn anomaly_subscriptions_use_threshold_expression() {
        let u = unit(vec![]);
        let l = Lowering::new(&u);
        let s = resource(
            "s",
            Kind::AnomalySubscription(crate::plan::AnomalySubscription {
                name: "s".into(),
                monitors: vec![Value::lit("arn:aws:ce::111111111111:anomalymonitor/x")],
                frequency: "DAILY".into(),
                threshold_usd: 100.0,
                threshold_dimension: crate::plan::AnomalyDimension::TotalImpactAbsolute,
                threshold_comparison: crate::plan::Comparison::GreaterThanOrEqual,
                emails: vec!["a@example.com".into()],
            }),
        );
        let body = serde_json::to_value(&lower(&l, &s, vec![])[0].body).unwrap();
        assert!(body.get("threshold").is_none());
        assert_eq!(
            body["threshold_expression"]["dimension"]["values"],
            serde_json::json!(["100"])
        );
    }

    #[test]
    fn split_resources_share_or_derive_their_labels() {
        let sg = resource("sg", group("sg"));
        let scp = resource(
            "scp_x",
            Kind::ServiceControlPolicy {
                name: "x".into(),
                description: "d ${not a reference}".into(),
                document: PolicyDocument::new(vec![]),
                targets: vec![
                    Value::reference(&Name::new(&["ou", "sandbox"]), Attr::Id),
                    Value::lit("ou-ab12-cdef5678"),
                ],
                policy_type: PolicyType::ServiceControlPolicy,
            },
        );
        let set = resource(
            "set",
            Kind::PermissionSet(crate::plan::PermissionSet {
                name: "Admin".into(),
                description: "d".into(),
                instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
                session_duration: "PT1H".into(),
                managed_policies: vec!["arn:aws:iam::aws:policy/job-function/\
                    ViewOnlyAccess"
                    .into()],
                inline_policy: Some(PolicyDocument::new(vec![])),
            }),
        );
        let ou = resource(
            "ou_sandbox",
            Kind::OrganizationalUnit {
                name: "Sandbox".into(),
                parent: Value::lit("r-ab12"),
            },
        );
        let u = unit(vec![ou, sg.clone(), scp.clone(), set.clone()]);
        // The part after `policy/`, path included, in the plan's word splitting.
        let attachment = format!(
            "aws_ssoadmin_managed_policy_attachment.{}",
            Name::new(&["set", "job", "function", "ViewOnlyAccess"]).snake()
        );
        let l = Lowering::new(&u);
        let addresses = |r: &Resource| -> Vec<String> {
            lower(&l, r, vec![])
                .iter()
                .map(|x| format!("{}.{}", x.tf_type, x.label))
                .collect()
        };
        assert_eq!(
            addresses(&sg),
            [
                "aws_security_group.sg",
                "aws_vpc_security_group_ingress_rule.sg_1",
                "aws_vpc_security_group_egress_rule.sg_1"
            ]
        );
        assert_eq!(
            addresses(&scp),
            [
                "aws_organizations_policy.scp_x",
                "aws_organizations_policy_attachment.scp_x_ou_sandbox",
                "aws_organizations_policy_attachment.scp_x_ou_ab12_cdef5678"
            ]
        );
        assert_eq!(
            addresses(&set),
            [
                "aws_ssoadmin_permission_set.set",
                attachment.as_str(),
                "aws_ssoadmin_permission_set_inline_policy.set"
            ]
        );
        // Plain strings are templates too.
        assert_eq!(
            lower(&l, &scp, vec![])[0].body.get("description"),
            Some(&Json::from("d $${not a reference}"))
        );
        // An assignment waits for its permission set's policies.
        let assignment = resource(
            "a",
            Kind::Assignment(crate::plan::Assignment {
                instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
                permission_set: Value::reference(&Name::new(&["set"]), Attr::Arn),
                principal_type: PrincipalType::Group,
                principal_id: Value::lit("g-1"),
                account_id: Value::lit("111111111111"),
                target_type: AssignmentTarget::Account,
            }),
        );
        assert_eq!(
            implied_dependencies(&l, &assignment),
            [
                attachment.as_str(),
                "aws_ssoadmin_permission_set_inline_policy.set"
            ]
        );
    }

    #[test]
    fn retained_resources_cannot_be_destroyed_by_a_plan() {
        let u = unit(vec![]);
        let l = Lowering::new(&u);
        let key = resource(
            "k",
            Kind::KmsKey(crate::plan::KmsKey {
                description: "k".into(),
                policy: PolicyDocument::new(vec![]),
                settings: crate::plan::audit::TRAIL_KEY,
            }),
        );
        let k =
            serde_json::to_value(&lower(&l, &key, vec!["aws_s3_bucket.b".into()])[0].body).unwrap();
        assert_eq!(
            k["lifecycle"],
            serde_json::json!({ "prevent_destroy": true })
        );
        assert_eq!(k["depends_on"], serde_json::json!(["aws_s3_bucket.b"]));
        assert_eq!(k["enable_key_rotation"], true);
    }
}

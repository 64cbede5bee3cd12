//! One CloudFormation resource per plan resource. CloudFormation keeps on one resource what
//! Terraform splits (bucket encryption, SCP attachments, permission-set policies), so the mapping
//! is one to one.

use std::collections::BTreeSet;

use crate::json::{json, number, number_text, Json, Obj};

use super::values::Lowering;
use crate::emit::aws::{self, AwsName};
use crate::plan::cost::linked_accounts_expression;
use crate::plan::policy::PolicyDocument;
use crate::plan::value::{Name, Value};
use crate::plan::{
    AnomalySubscription, Assignment, Bucket, Budget, Kind, KmsKey, PermissionSet, Plan, Resource,
    SecurityGroup, SecurityGroupRule, SubnetIds, Trail, VpcEndpoint,
};

/// The resource's template entry: Type, retention policies, DependsOn, Properties.
/// `local` names the resources of the same template: DependsOn cannot cross stacks (and need not:
/// earlier stacks are deployed first).
pub fn resource(plan: &Plan, lower: &Lowering, r: &Resource, local: &BTreeSet<Name>) -> Json {
    let (kind, props) = properties(lower, &r.kind);
    let Json::Obj(mut props) = props else {
        unreachable!("properties are objects")
    };
    if !plan.tags.is_empty() {
        match tag_key(&r.kind) {
            Some("Tags") => {
                props.insert("Tags", tags(plan));
            }
            Some(other) => {
                props.insert(other, tags(plan));
            }
            None => {}
        }
    }
    let mut entry = Obj::new();
    entry.insert("Type", json!(kind));
    if !r.waivers.is_empty() {
        let skip: Vec<Json> = r
            .waivers
            .iter()
            .map(|w| json!({ "id": w.check, "comment": &w.reason }))
            .collect();
        entry.insert("Metadata", json!({ "checkov": { "skip": skip } }));
    }
    if r.kind.retained() {
        entry.insert("DeletionPolicy", json!("Retain"));
        entry.insert("UpdateReplacePolicy", json!("Retain"));
    }
    let depends: Vec<Json> = r
        .depends_on
        .iter()
        .filter(|d| local.contains(*d))
        .map(|d| json!(d.pascal()))
        .collect();
    if !depends.is_empty() {
        entry.insert("DependsOn", Json::Arr(depends));
    }
    entry.insert("Properties", Json::Obj(props));
    Json::Obj(entry)
}

/// The blueprint's tags as a CloudFormation tag list, in key order.
pub fn tags(plan: &Plan) -> Json {
    Json::Arr(
        plan.tags
            .iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect(),
    )
}

/// Which property carries tags, for kinds that take them.
fn tag_key(kind: &Kind) -> Option<&'static str> {
    match kind {
        Kind::OrganizationalUnit { .. }
        | Kind::Account { .. }
        | Kind::ServiceControlPolicy { .. }
        | Kind::PermissionSet { .. }
        | Kind::KmsKey { .. }
        | Kind::Bucket(_)
        | Kind::Trail { .. }
        | Kind::SnsTopic { .. }
        | Kind::SecurityGroup { .. }
        | Kind::Vpc { .. }
        | Kind::Subnet { .. }
        | Kind::VpcEndpoint { .. }
        | Kind::MantleProject { .. } => Some("Tags"),
        Kind::Budget(_) | Kind::AnomalyMonitor { .. } | Kind::AnomalySubscription { .. } => {
            Some("ResourceTags")
        }
        Kind::Assignment { .. }
        | Kind::KmsAlias { .. }
        | Kind::BucketPolicy { .. }
        | Kind::SnsTopicPolicy { .. }
        | Kind::SnsEmailSubscription { .. } => None,
    }
}

/// The resource type and properties of a kind: the match only dispatches.
fn properties(l: &Lowering, kind: &Kind) -> (&'static str, Json) {
    match kind {
        Kind::OrganizationalUnit { name, parent } => (
            "AWS::Organizations::OrganizationalUnit",
            json!({ "Name": name.as_str(), "ParentId": l.value(parent) }),
        ),
        Kind::Account {
            name,
            email,
            parent,
            role_name,
            ..
        } => account(l, name, email, parent, role_name.as_deref()),
        Kind::ServiceControlPolicy {
            name,
            description,
            document: d,
            targets,
            policy_type,
        } => (
            "AWS::Organizations::Policy",
            json!({
                "Name": name.as_str(),
                "Description": description.as_str(),
                "Type": policy_type.aws_name(),
                "Content": document(l, d),
                "TargetIds": l.values(targets),
            }),
        ),
        Kind::PermissionSet(p) => ("AWS::SSO::PermissionSet", permission_set(l, p)),
        Kind::Assignment(a) => ("AWS::SSO::Assignment", assignment(l, a)),
        Kind::KmsKey(k) => ("AWS::KMS::Key", key(l, k)),
        Kind::KmsAlias { name, key } => (
            "AWS::KMS::Alias",
            json!({ "AliasName": name.as_str(), "TargetKeyId": l.value(key) }),
        ),
        Kind::Bucket(b) => ("AWS::S3::Bucket", bucket(l, b)),
        Kind::BucketPolicy {
            bucket,
            document: d,
        } => (
            "AWS::S3::BucketPolicy",
            json!({ "Bucket": l.value(bucket), "PolicyDocument": document(l, d) }),
        ),
        Kind::Trail(t) => ("AWS::CloudTrail::Trail", trail(l, t)),
        Kind::SnsTopic { name, kms_key } => (
            "AWS::SNS::Topic",
            json!({ "TopicName": name.as_str(), "KmsMasterKeyId": l.value(kms_key) }),
        ),
        Kind::SnsTopicPolicy { topic, document: d } => (
            "AWS::SNS::TopicPolicy",
            json!({ "Topics": vec![l.value(topic)], "PolicyDocument": document(l, d) }),
        ),
        Kind::SnsEmailSubscription { topic, email } => (
            "AWS::SNS::Subscription",
            json!({
                "TopicArn": l.value(topic),
                "Protocol": aws::EMAIL_PROTOCOL,
                "Endpoint": email.as_str()
            }),
        ),
        Kind::Budget(b) => ("AWS::Budgets::Budget", budget(l, b)),
        Kind::AnomalyMonitor {
            name,
            accounts,
            monitor_type,
        } => (
            "AWS::CE::AnomalyMonitor",
            json!({
                "MonitorName": name.as_str(),
                "MonitorType": monitor_type.aws_name(),
                "MonitorSpecification": l.value(&linked_accounts_expression(accounts, false)),
            }),
        ),
        Kind::AnomalySubscription(a) => {
            ("AWS::CE::AnomalySubscription", anomaly_subscription(l, a))
        }
        Kind::SecurityGroup(g) => ("AWS::EC2::SecurityGroup", security_group(l, g)),
        Kind::Vpc {
            cidr,
            dns_support,
            dns_hostnames,
        } => (
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": l.value(cidr),
                "EnableDnsSupport": *dns_support,
                "EnableDnsHostnames": *dns_hostnames,
            }),
        ),
        Kind::Subnet {
            vpc_id,
            cidr,
            availability_zone_id,
        } => (
            "AWS::EC2::Subnet",
            json!({
                "VpcId": l.value(vpc_id),
                "CidrBlock": l.value(cidr),
                "AvailabilityZoneId": l.value(availability_zone_id),
            }),
        ),
        Kind::VpcEndpoint(e) => ("AWS::EC2::VPCEndpoint", endpoint(l, e)),
        Kind::MantleProject { name } => (
            "AWS::BedrockMantle::Project",
            json!({ "Name": name.as_str() }),
        ),
    }
}

/// A policy document in CloudFormation's values.
fn document(l: &Lowering, d: &PolicyDocument) -> Json {
    d.lower(&|v| l.value(v))
}

fn account(
    l: &Lowering,
    name: &str,
    email: &str,
    parent: &Value,
    role_name: Option<&str>,
) -> (&'static str, Json) {
    let mut p = json!({
        "AccountName": name,
        "Email": email,
        "ParentIds": vec![l.value(parent)],
    });
    if let Some(role) = role_name {
        p.insert("RoleName", json!(role));
    }
    ("AWS::Organizations::Account", p)
}

/// A permission set with its managed and inline policies: CloudFormation keeps them on it.
fn permission_set(l: &Lowering, s: &PermissionSet) -> Json {
    let mut p = json!({
        "Name": s.name.as_str(),
        "Description": s.description.as_str(),
        "InstanceArn": s.instance_arn.as_str(),
        "SessionDuration": s.session_duration.as_str(),
    });
    if !s.managed_policies.is_empty() {
        p.insert("ManagedPolicies", Json::from(s.managed_policies.as_slice()));
    }
    if let Some(d) = &s.inline_policy {
        p.insert("InlinePolicy", document(l, d));
    }
    p
}

fn assignment(l: &Lowering, a: &Assignment) -> Json {
    json!({
        "InstanceArn": a.instance_arn.as_str(),
        "PermissionSetArn": l.value(&a.permission_set),
        "PrincipalId": l.value(&a.principal_id),
        "PrincipalType": a.principal_type.aws_name(),
        "TargetId": l.value(&a.account_id),
        "TargetType": a.target_type.aws_name()
    })
}

fn key(l: &Lowering, k: &KmsKey) -> Json {
    json!({
        "Description": k.description.as_str(),
        "EnableKeyRotation": k.settings.rotation,
        "PendingWindowInDays": k.settings.pending_window_days,
        "KeyPolicy": document(l, &k.policy),
    })
}

/// A bucket with its encryption, versioning, public access block, ownership, lifecycle, logging
/// and notifications: CloudFormation keeps them all on the bucket.
fn bucket(l: &Lowering, b: &Bucket) -> Json {
    let s = &b.settings;
    let mut rule = json!({
        "Id": s.lifecycle_rule,
        "Status": aws::ENABLED,
        "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": s.abort_incomplete_upload_days },
        "NoncurrentVersionExpiration": { "NoncurrentDays": s.noncurrent_version_days }
    });
    if let Some(days) = b.expire_after_days {
        rule.insert("ExpirationInDays", json!(days));
    }
    let algorithm = aws::sse_algorithm(b.kms_key.is_some());
    let encryption = match &b.kms_key {
        Some(key) => json!({ "SSEAlgorithm": algorithm, "KMSMasterKeyID": l.value(key) }),
        None => json!({ "SSEAlgorithm": algorithm }),
    };
    let block = s.block_public_access;
    let mut p = json!({
        "BucketName": l.value(&b.name),
        "BucketEncryption": json!({ "ServerSideEncryptionConfiguration": vec![json!({
            "ServerSideEncryptionByDefault": encryption,
            "BucketKeyEnabled": b.kms_key.is_some()
        })]}),
        "VersioningConfiguration": json!({ "Status": aws::versioning_status(s.versioned) }),
        "PublicAccessBlockConfiguration": json!({
            "BlockPublicAcls": block,
            "BlockPublicPolicy": block,
            "IgnorePublicAcls": block,
            "RestrictPublicBuckets": block,
        }),
        "OwnershipControls": json!({
            "Rules": [{ "ObjectOwnership": s.ownership.aws_name() }]
        }),
        "LifecycleConfiguration": json!({ "Rules": vec![rule] })
    });
    if let Some(logs) = &b.access_logs {
        p.insert(
            "LoggingConfiguration",
            json!({
                "DestinationBucketName": l.value(&logs.bucket),
                "LogFilePrefix": logs.prefix.as_str(),
            }),
        );
    }
    if b.eventbridge {
        p.insert(
            "NotificationConfiguration",
            json!({ "EventBridgeConfiguration": { "EventBridgeEnabled": true } }),
        );
    }
    p
}

fn trail(l: &Lowering, t: &Trail) -> Json {
    let s = &t.settings;
    json!({
        "TrailName": t.name.as_str(),
        "S3BucketName": l.value(&t.bucket),
        "KMSKeyId": l.value(&t.kms_key),
        "IsLogging": s.logging,
        "IsOrganizationTrail": s.organization,
        "IsMultiRegionTrail": s.multi_region,
        "IncludeGlobalServiceEvents": s.global_service_events,
        "EnableLogFileValidation": s.log_file_validation
    })
}

/// A budget with its notifications, each to the budget's topic.
fn budget(l: &Lowering, b: &Budget) -> Json {
    let mut data = json!({
        "BudgetName": b.name.as_str(),
        "BudgetType": b.budget_type.aws_name(),
        "TimeUnit": b.time_unit.aws_name(),
        "BudgetLimit": json!({ "Amount": l.value(&b.amount), "Unit": b.currency.aws_name() })
    });
    if let Some(filter) = &b.cost_filter {
        let crate::plan::CostFilter::Service(service) = filter;
        let mut filters = Obj::new();
        filters.insert(filter.aws_name(), json!([service]));
        data.insert("CostFilters", Json::Obj(filters));
    }
    let notifications: Vec<Json> = b
        .notifications
        .iter()
        .map(|n| {
            json!({
                "Notification": json!({
                    "ComparisonOperator": n.comparison.aws_name(),
                    "NotificationType": n.notification_type.aws_name(),
                    "Threshold": number(n.percent),
                    "ThresholdType": n.threshold_type.aws_name()
                }),
                "Subscribers": vec![json!({
                    "SubscriptionType": "SNS",
                    "Address": l.value(&b.topic),
                })]
            })
        })
        .collect();
    json!({ "Budget": data, "NotificationsWithSubscribers": notifications })
}

/// The subscription's threshold is a Cost Explorer expression, passed as a JSON string.
fn anomaly_subscription(l: &Lowering, a: &AnomalySubscription) -> Json {
    let threshold = json!({ "Dimensions": {
        "Key": a.threshold_dimension.aws_name(),
        "Values": [number_text(a.threshold_usd)],
        "MatchOptions": [a.threshold_comparison.aws_name()]
    }});
    json!({
        "SubscriptionName": a.name.as_str(),
        "MonitorArnList": l.values(&a.monitors),
        "Frequency": a.frequency.as_str(),
        "Subscribers": a.emails.iter().map(|e| json!({
            "Type": aws::EMAIL_SUBSCRIBER,
            "Address": e.as_str(),
        })).collect::<Vec<_>>(),
        "ThresholdExpression": serde_json::to_string(&threshold).expect("a JSON value \
            serializes")
    })
}

/// A security group with its rules inline.
fn security_group(l: &Lowering, g: &SecurityGroup) -> Json {
    let rule = |r: &SecurityGroupRule| {
        json!({
            "IpProtocol": r.protocol.aws_name(),
            "FromPort": r.port,
            "ToPort": r.port,
            "CidrIp": l.value(&r.cidr),
            "Description": r.description.as_str(),
        })
    };
    let rules = |ingress: bool| {
        g.rules
            .iter()
            .filter(|r| r.ingress == ingress)
            .map(rule)
            .collect::<Vec<_>>()
    };
    json!({
        "GroupName": g.name.as_str(),
        "GroupDescription": g.description.as_str(),
        "VpcId": l.value(&g.vpc_id),
        "SecurityGroupIngress": rules(true),
        "SecurityGroupEgress": rules(false)
    })
}

fn endpoint(l: &Lowering, e: &VpcEndpoint) -> Json {
    json!({
        "VpcEndpointType": e.endpoint_type.aws_name(),
        "ServiceName": e.service_name.as_str(),
        "VpcId": l.value(&e.vpc_id),
        "SubnetIds": match &e.subnet_ids {
            SubnetIds::Input(list) => l.value(list),
            SubnetIds::Each(each) => l.values(each),
        },
        "SecurityGroupIds": vec![l.value(&e.security_group)],
        "PrivateDnsEnabled": e.private_dns,
        "PolicyDocument": document(l, &e.policy)
    })
}

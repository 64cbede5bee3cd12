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
    AssignmentTarget, Bucket, Budget, KeySettings, Kind, MonitorType, Plan, PolicyType,
    PrincipalType, Resource, SecurityGroupRule, SubnetIds, TrailSettings,
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

/// The resource type and properties of a kind: the match only dispatches, one function per kind.
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
            document,
            targets,
            policy_type,
        } => policy(l, name, description, document, targets, *policy_type),
        Kind::PermissionSet {
            name,
            description,
            instance_arn,
            session_duration,
            managed_policies,
            inline_policy,
        } => {
            let mut p = json!({
                "Name": name.as_str(),
                "Description": description.as_str(),
                "InstanceArn": instance_arn.as_str(),
                "SessionDuration": session_duration.as_str(),
            });
            if !managed_policies.is_empty() {
                p.insert("ManagedPolicies", Json::from(managed_policies.as_slice()));
            }
            if let Some(d) = inline_policy {
                p.insert("InlinePolicy", document(l, d));
            }
            ("AWS::SSO::PermissionSet", p)
        }
        Kind::Assignment {
            instance_arn,
            permission_set,
            principal_type,
            principal_id,
            account_id,
            target_type,
        } => assignment(
            l,
            instance_arn,
            permission_set,
            principal_id,
            account_id,
            *principal_type,
            *target_type,
        ),
        Kind::KmsKey {
            description,
            policy,
            settings,
        } => key(l, description, policy, settings),
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
        Kind::Trail {
            name,
            bucket,
            kms_key,
            settings,
        } => trail(l, name, bucket, kms_key, settings),
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
        } => anomaly_monitor(l, name, accounts, *monitor_type),
        Kind::AnomalySubscription {
            name,
            monitors,
            frequency,
            threshold_usd,
            threshold_dimension,
            threshold_comparison,
            emails,
        } => {
            let threshold = json!({ "Dimensions": {
                "Key": threshold_dimension.aws_name(),
                "Values": [number_text(*threshold_usd)],
                "MatchOptions": [threshold_comparison.aws_name()]
            }});
            (
                "AWS::CE::AnomalySubscription",
                json!({
                    "SubscriptionName": name.as_str(),
                    "MonitorArnList": l.values(monitors),
                    "Frequency": frequency.as_str(),
                    "Subscribers": emails.iter().map(|e| json!({
                        "Type": aws::EMAIL_SUBSCRIBER,
                        "Address": e.as_str(),
                    })).collect::<Vec<_>>(),
                    "ThresholdExpression": serde_json::to_string(&threshold).expect("a JSON value \
                        serializes")
                }),
            )
        }
        Kind::SecurityGroup {
            name,
            description,
            vpc_id,
            rules,
        } => security_group(l, name, description, vpc_id, rules),
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
        Kind::VpcEndpoint {
            service_name,
            vpc_id,
            subnet_ids,
            security_group,
            private_dns,
            policy,
            endpoint_type,
        } => (
            "AWS::EC2::VPCEndpoint",
            json!({
                "VpcEndpointType": endpoint_type.aws_name(),
                "ServiceName": service_name,
                "VpcId": l.value(vpc_id),
                "SubnetIds": match subnet_ids {
                    SubnetIds::Input(list) => l.value(list),
                    SubnetIds::Each(each) => l.values(each),
                },
                "SecurityGroupIds": vec![l.value(security_group)],
                "PrivateDnsEnabled": *private_dns,
                "PolicyDocument": document(l, policy)
            }),
        ),
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

fn policy(
    l: &Lowering,
    name: &str,
    description: &str,
    d: &PolicyDocument,
    targets: &[Value],
    policy_type: PolicyType,
) -> (&'static str, Json) {
    (
        "AWS::Organizations::Policy",
        json!({
            "Name": name,
            "Description": description,
            "Type": policy_type.aws_name(),
            "Content": document(l, d),
            "TargetIds": l.values(targets),
        }),
    )
}

fn assignment(
    l: &Lowering,
    instance_arn: &str,
    permission_set: &Value,
    principal_id: &Value,
    account_id: &Value,
    principal_type: PrincipalType,
    target_type: AssignmentTarget,
) -> (&'static str, Json) {
    (
        "AWS::SSO::Assignment",
        json!({
            "InstanceArn": instance_arn,
            "PermissionSetArn": l.value(permission_set),
            "PrincipalId": l.value(principal_id),
            "PrincipalType": principal_type.aws_name(),
            "TargetId": l.value(account_id),
            "TargetType": target_type.aws_name()
        }),
    )
}

fn key(
    l: &Lowering,
    description: &str,
    policy: &PolicyDocument,
    settings: &KeySettings,
) -> (&'static str, Json) {
    (
        "AWS::KMS::Key",
        json!({
            "Description": description,
            "EnableKeyRotation": settings.rotation,
            "PendingWindowInDays": settings.pending_window_days,
            "KeyPolicy": document(l, policy),
        }),
    )
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

fn trail(
    l: &Lowering,
    name: &str,
    bucket: &Value,
    kms_key: &Value,
    s: &TrailSettings,
) -> (&'static str, Json) {
    (
        "AWS::CloudTrail::Trail",
        json!({
            "TrailName": name,
            "S3BucketName": l.value(bucket),
            "KMSKeyId": l.value(kms_key),
            "IsLogging": s.logging,
            "IsOrganizationTrail": s.organization,
            "IsMultiRegionTrail": s.multi_region,
            "IncludeGlobalServiceEvents": s.global_service_events,
            "EnableLogFileValidation": s.log_file_validation
        }),
    )
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

fn anomaly_monitor(
    l: &Lowering,
    name: &str,
    accounts: &[Value],
    monitor_type: MonitorType,
) -> (&'static str, Json) {
    (
        "AWS::CE::AnomalyMonitor",
        json!({
            "MonitorName": name,
            "MonitorType": monitor_type.aws_name(),
            "MonitorSpecification": l.value(&linked_accounts_expression(accounts, false)),
        }),
    )
}

fn security_group(
    l: &Lowering,
    name: &str,
    description: &str,
    vpc_id: &Value,
    rules: &[SecurityGroupRule],
) -> (&'static str, Json) {
    let rule = |r: &SecurityGroupRule| {
        json!({
            "IpProtocol": r.protocol.aws_name(),
            "FromPort": r.port,
            "ToPort": r.port,
            "CidrIp": l.value(&r.cidr),
            "Description": r.description.as_str(),
        })
    };
    (
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupName": name,
            "GroupDescription": description,
            "VpcId": l.value(vpc_id),
            "SecurityGroupIngress":
                rules.iter().filter(|r| r.ingress).map(rule).collect::<Vec<_>>(),
            "SecurityGroupEgress":
                rules.iter().filter(|r| !r.ingress).map(rule).collect::<Vec<_>>()
        }),
    )
}

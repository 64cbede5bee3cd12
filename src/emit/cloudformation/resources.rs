//! One CloudFormation resource per plan resource. CloudFormation keeps on one resource what
//! Terraform splits (bucket encryption, SCP attachments, permission-set policies), so the mapping
//! is one to one.

use std::collections::BTreeSet;

use crate::json::{json, Json, Obj};

use super::values::Lowering;
use crate::json::number;
use crate::plan::cost::linked_accounts_expression;
use crate::plan::value::Name;
use crate::plan::{Kind, Plan, PrincipalType, Resource, SubnetIds};

/// The resource's template entry: Type, retention policies, DependsOn, Properties.
/// `local` names the resources of the same template: DependsOn cannot cross stacks (and need not:
/// earlier stacks are deployed first).
pub fn resource(plan: &Plan, lower: &Lowering, r: &Resource, local: &BTreeSet<Name>) -> Json {
    let (kind, mut props) = properties(lower, &r.kind);
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

fn properties(l: &Lowering, kind: &Kind) -> (&'static str, Obj) {
    let doc = |d: &crate::plan::policy::PolicyDocument| d.lower(&|v| l.value(v));
    let (t, v) = match kind {
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
        } => {
            let mut p = json!({
                "AccountName": name.as_str(),
                "Email": email.as_str(),
                "ParentIds": vec![l.value(parent)],
            });
            if let (Some(role), Json::Obj(o)) = (role_name, &mut p) {
                o.insert("RoleName", json!(role.as_str()));
            }
            ("AWS::Organizations::Account", p)
        }
        Kind::ServiceControlPolicy {
            name,
            description,
            document,
            targets,
        } => (
            "AWS::Organizations::Policy",
            json!({
                "Name": name.as_str(),
                "Description": description.as_str(),
                "Type": "SERVICE_CONTROL_POLICY",
                "Content": doc(document),
                "TargetIds": l.values(targets),
            }),
        ),
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
                p.insert("InlinePolicy", doc(d));
            }
            ("AWS::SSO::PermissionSet", p)
        }
        Kind::Assignment {
            instance_arn,
            permission_set,
            principal_type,
            principal_id,
            account_id,
        } => (
            "AWS::SSO::Assignment",
            json!({
                "InstanceArn": instance_arn.as_str(),
                "PermissionSetArn": l.value(permission_set),
                "PrincipalId": l.value(principal_id),
                "PrincipalType": match principal_type {
                    PrincipalType::User => "USER",
                    PrincipalType::Group => "GROUP",
                },
                "TargetId": l.value(account_id),
                "TargetType": "AWS_ACCOUNT"
            }),
        ),
        Kind::KmsKey {
            description,
            policy,
        } => (
            "AWS::KMS::Key",
            json!({
                "Description": description.as_str(),
                "EnableKeyRotation": true,
                "PendingWindowInDays": 30,
                "KeyPolicy": doc(policy),
            }),
        ),
        Kind::KmsAlias { name, key } => (
            "AWS::KMS::Alias",
            json!({ "AliasName": name.as_str(), "TargetKeyId": l.value(key) }),
        ),
        Kind::Bucket(b) => {
            let mut rule = json!({
                "Id": "expire-logs",
                "Status": "Enabled",
                "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 },
                "NoncurrentVersionExpiration": { "NoncurrentDays": 90 }
            });
            if let Some(days) = b.expire_after_days {
                rule.insert("ExpirationInDays", json!(days));
            }
            let encryption = match &b.kms_key {
                Some(key) => json!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": l.value(key) }),
                None => json!({ "SSEAlgorithm": "AES256" }),
            };
            let mut p = json!({
                "BucketName": l.value(&b.name),
                "BucketEncryption": json!({ "ServerSideEncryptionConfiguration": vec![json!({
                    "ServerSideEncryptionByDefault": encryption,
                    "BucketKeyEnabled": b.kms_key.is_some()
                })]}),
                "VersioningConfiguration": json!({ "Status": "Enabled" }),
                "PublicAccessBlockConfiguration": json!({
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true,
                }),
                "OwnershipControls": json!({
                    "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }]
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
            ("AWS::S3::Bucket", p)
        }
        Kind::BucketPolicy { bucket, document } => (
            "AWS::S3::BucketPolicy",
            json!({ "Bucket": l.value(bucket), "PolicyDocument": doc(document) }),
        ),
        Kind::Trail {
            name,
            bucket,
            kms_key,
        } => (
            "AWS::CloudTrail::Trail",
            json!({
                "TrailName": name.as_str(),
                "S3BucketName": l.value(bucket),
                "KMSKeyId": l.value(kms_key),
                "IsLogging": true,
                "IsOrganizationTrail": true,
                "IsMultiRegionTrail": true,
                "IncludeGlobalServiceEvents": true,
                "EnableLogFileValidation": true
            }),
        ),
        Kind::SnsTopic { name, kms_key } => (
            "AWS::SNS::Topic",
            json!({ "TopicName": name.as_str(), "KmsMasterKeyId": l.value(kms_key) }),
        ),
        Kind::SnsTopicPolicy { topic, document } => (
            "AWS::SNS::TopicPolicy",
            json!({ "Topics": vec![l.value(topic)], "PolicyDocument": doc(document) }),
        ),
        Kind::SnsEmailSubscription { topic, email } => (
            "AWS::SNS::Subscription",
            json!({ "TopicArn": l.value(topic), "Protocol": "email", "Endpoint": email.as_str() }),
        ),
        Kind::Budget(b) => {
            let mut data = json!({
                "BudgetName": b.name.as_str(),
                "BudgetType": "COST",
                "TimeUnit": "MONTHLY",
                "BudgetLimit": json!({ "Amount": l.value(&b.amount), "Unit": "USD" })
            });
            if let Some(service) = &b.service {
                data.insert("CostFilters", json!({ "Service": [service] }));
            }
            let notifications: Vec<Json> = b
                .notifications
                .iter()
                .map(|n| {
                    json!({
                        "Notification": json!({
                            "ComparisonOperator": "GREATER_THAN",
                            "NotificationType": if n.forecasted { "FORECASTED" } else { "ACTUAL" },
                            "Threshold": number(n.percent),
                            "ThresholdType": "PERCENTAGE"
                        }),
                        "Subscribers": vec![json!({
                            "SubscriptionType": "SNS",
                            "Address": l.value(&b.topic),
                        })]
                    })
                })
                .collect();
            (
                "AWS::Budgets::Budget",
                json!({ "Budget": data, "NotificationsWithSubscribers": notifications }),
            )
        }
        Kind::AnomalyMonitor { name, accounts } => (
            "AWS::CE::AnomalyMonitor",
            json!({
                "MonitorName": name.as_str(),
                "MonitorType": "CUSTOM",
                "MonitorSpecification": l.value(&linked_accounts_expression(accounts, false)),
            }),
        ),
        Kind::AnomalySubscription {
            name,
            monitors,
            frequency,
            threshold_usd,
            emails,
        } => {
            let threshold = json!({ "Dimensions": {
                "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                "Values": [crate::json::number_text(*threshold_usd)],
                "MatchOptions": ["GREATER_THAN_OR_EQUAL"]
            }});
            (
                "AWS::CE::AnomalySubscription",
                json!({
                    "SubscriptionName": name.as_str(),
                    "MonitorArnList": monitors.iter().map(|m| l.value(m)).collect::<Vec<_>>(),
                    "Frequency": frequency.as_str(),
                    "Subscribers": emails.iter().map(|e| json!({
                        "Type": "EMAIL",
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
        } => {
            let rule = |r: &crate::plan::SecurityGroupRule| {
                json!({
                    "IpProtocol": "tcp",
                    "FromPort": r.port,
                    "ToPort": r.port,
                    "CidrIp": l.value(&r.cidr),
                    "Description": r.description.as_str(),
                })
            };
            (
                "AWS::EC2::SecurityGroup",
                json!({
                    "GroupName": name.as_str(),
                    "GroupDescription": description.as_str(),
                    "VpcId": l.value(vpc_id),
                    "SecurityGroupIngress":
                        rules.iter().filter(|r| r.ingress).map(rule).collect::<Vec<_>>(),
                    "SecurityGroupEgress":
                        rules.iter().filter(|r| !r.ingress).map(rule).collect::<Vec<_>>()
                }),
            )
        }
        Kind::Vpc { cidr } => (
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": l.value(cidr),
                "EnableDnsSupport": true,
                "EnableDnsHostnames": true,
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
        } => (
            "AWS::EC2::VPCEndpoint",
            // The default endpoint type is Gateway; Bedrock endpoints are Interface endpoints.
            json!({
                "VpcEndpointType": "Interface",
                "ServiceName": service_name.as_str(),
                "VpcId": l.value(vpc_id),
                "SubnetIds": match subnet_ids {
                    SubnetIds::Input(list) => l.value(list),
                    SubnetIds::Each(each) => l.values(each),
                },
                "SecurityGroupIds": vec![l.value(security_group)],
                "PrivateDnsEnabled": *private_dns,
                "PolicyDocument": doc(policy)
            }),
        ),
        Kind::MantleProject { name } => (
            "AWS::BedrockMantle::Project",
            json!({ "Name": name.as_str() }),
        ),
    };
    let Json::Obj(map) = v else {
        unreachable!("properties are objects")
    };
    (t, map)
}

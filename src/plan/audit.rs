//! The organization trail: a KMS key, an encrypted, versioned, private, TLS-only bucket with the
//! exact policy CloudTrail needs, its server access logs in a second bucket, and the trail itself,
//! all in the management account (which SCPs cannot touch, so member accounts cannot tamper with
//! their own audit record).

use super::context::Context;
use super::policy::{Effect, PolicyDocument, Principal, Statement};
use super::value::{Attr, Name, Value};
use super::{
    AccessLogs, Bucket, BucketSettings, KeySettings, Kind, ObjectOwnership, TrailSettings,
};

/// The trail's key: rotated yearly, and deleted only after the longest waiting period KMS
/// allows, so that a deletion scheduled by mistake can be cancelled before the audit record it
/// decrypts becomes unreadable.
pub const TRAIL_KEY: KeySettings = KeySettings {
    rotation: true,
    pending_window_days: 30,
};

/// Both audit buckets: versioned (a deleted or overwritten log stays as a noncurrent version),
/// closed to the public and to ACLs (the bucket owner owns every delivered object), and one
/// lifecycle rule that drops incomplete uploads after a week and noncurrent versions after 90
/// days, besides the blueprint's retention of current objects.
pub const AUDIT_BUCKET: BucketSettings = BucketSettings {
    versioned: true,
    block_public_access: true,
    ownership: ObjectOwnership::BucketOwnerEnforced,
    lifecycle_rule: "expire-logs",
    abort_incomplete_upload_days: 7,
    noncurrent_version_days: 90,
};

/// The organization trail: logging the events of every account of the organization
/// (an organization trail), in every region and with global services' events (IAM, STS,
/// Organizations), and with log-file validation, whose digests prove the record was not
/// changed after delivery. The kit's summary of the trail and the trail's waivers say so.
pub const TRAIL: TrailSettings = TrailSettings {
    logging: true,
    organization: true,
    multi_region: true,
    global_service_events: true,
    log_file_validation: true,
};

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let mgmt = &bp.organization.management_account_id;
    let region = &bp.organization.home_region;
    let trail_name = bp.trail_name();
    let bucket_name = bp.trail_bucket_name();
    let trail_arn = Value::lit(format!(
        "arn:aws:cloudtrail:{region}:{mgmt}:trail/{trail_name}"
    ));
    let bucket_arn = format!("arn:aws:s3:::{bucket_name}");
    let cloudtrail = || Principal::Service(vec![String::from("cloudtrail.amazonaws.com")]);

    let key_policy = PolicyDocument::new(vec![
        Statement::key_administration(Value::lit(format!("arn:aws:iam::{mgmt}:root"))),
        Statement::new(
            "AllowCloudTrailEncrypt",
            Effect::Allow,
            &["kms:GenerateDataKey*"],
            vec![Value::lit("*")],
        )
        .principal(cloudtrail())
        .condition(
            "StringLike",
            "kms:EncryptionContext:aws:cloudtrail:arn",
            vec![Value::lit(format!("arn:aws:cloudtrail:*:{mgmt}:trail/*"))],
        )
        .condition("StringEquals", "aws:SourceArn", vec![trail_arn.clone()]),
        Statement::new(
            "AllowCloudTrailDescribeKey",
            Effect::Allow,
            &["kms:DescribeKey"],
            vec![Value::lit("*")],
        )
        .principal(cloudtrail()),
    ]);
    let unit = cx.management();
    let key = unit.add(
        Name::new(&["trail_key"]),
        Kind::KmsKey(super::KmsKey {
            description: format!("Encrypts the {} organization trail", bp.client),
            policy: key_policy,
            settings: TRAIL_KEY,
        }),
    );
    unit.add(
        Name::new(&["trail_key_alias"]),
        Kind::KmsAlias {
            name: format!("alias/{}-org-trail", bp.client),
            key: Value::reference(&key, Attr::Id),
        },
    );
    let (logs, logs_policy) = access_log_bucket(unit, bp, &bucket_name);
    // S3 delivers server access logs only as the destination bucket's policy allows
    // `logging.s3.amazonaws.com` (with a bucket owner enforced bucket, as here, a policy is the
    // only way to grant it), so logging is configured once that policy exists:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    let bucket = unit.add_after(
        Name::new(&["trail_bucket"]),
        Kind::Bucket(Bucket {
            name: Value::lit(&bucket_name),
            kms_key: Some(Value::reference(&key, Attr::Arn)),
            expire_after_days: bp.audit.retention_days,
            access_logs: Some(AccessLogs {
                bucket: logs,
                prefix: format!("{bucket_name}/"),
            }),
            eventbridge: true,
            settings: AUDIT_BUCKET,
        }),
        vec![logs_policy],
    );
    unit.waive(&bucket, "CKV_AWS_144", REPLICATION);
    let bucket_ref = Value::reference(&bucket, Attr::BucketName);
    let policy = PolicyDocument::new(vec![
        Statement::deny_insecure_transport(
            &["s3:*"],
            vec![
                Value::lit(&bucket_arn),
                Value::lit(format!("{bucket_arn}/*")),
            ],
        ),
        Statement::new(
            "AWSCloudTrailAclCheck",
            Effect::Allow,
            &["s3:GetBucketAcl"],
            vec![Value::lit(&bucket_arn)],
        )
        .principal(cloudtrail())
        .condition("StringEquals", "aws:SourceArn", vec![trail_arn.clone()]),
        Statement::new(
            "AWSCloudTrailWrite",
            Effect::Allow,
            &["s3:PutObject"],
            vec![
                Value::lit(format!("{bucket_arn}/AWSLogs/{mgmt}/*")),
                Value::lit(format!("{bucket_arn}/AWSLogs/{}/*", bp.organization.id)),
            ],
        )
        .principal(cloudtrail())
        .condition(
            "StringEquals",
            "s3:x-amz-acl",
            vec![Value::lit("bucket-owner-full-control")],
        )
        .condition("StringEquals", "aws:SourceArn", vec![trail_arn]),
    ]);
    let bucket_policy = unit.add(
        Name::new(&["trail_bucket_policy"]),
        Kind::BucketPolicy {
            bucket: bucket_ref.clone(),
            document: policy,
        },
    );
    // CloudTrail checks the bucket policy when the trail is created and refuses a bucket it may
    // not write to
    // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html);
    // the key policy is part of the key, which the trail references.
    let trail = unit.add_after(
        Name::new(&["org_trail"]),
        Kind::Trail(super::Trail {
            name: trail_name,
            bucket: bucket_ref,
            kms_key: Value::reference(&key, Attr::Arn),
            settings: TRAIL,
        }),
        vec![bucket_policy],
    );
    unit.waive(
        &trail,
        "CKV2_AWS_10",
        "The organization trail is read from its S3 bucket (Athena, CloudTrail Lake); streaming \
            every member account's events into CloudWatch Logs of the management account is a cost \
                the pilot does not take on.",
    );
    if TRAIL.log_file_validation {
        unit.waive(
            &trail,
            "CKV_AWS_252",
            "Per-delivery SNS notifications add no control here: log-file validation proves \
                integrity and object events of the bucket reach EventBridge.",
        );
    }
    unit.output(
        Name::new(&["trail_arn"]),
        "ARN of the organization trail",
        Value::reference(&trail, Attr::Arn),
    );
}

/// Why audit buckets are not replicated to another region.
const REPLICATION: &str = "Audit logs stay in the home region: replicating them elsewhere is a \
    data-residency decision the blueprint does not make. Versioning, retention on stack deletion \
        and the SCP protecting the trail guard against loss.";

/// The bucket that receives the trail bucket's S3 server access logs, and its policy; returns
/// the bucket's name and the policy's resource.
fn access_log_bucket(
    unit: &mut super::Unit,
    bp: &crate::blueprint::Blueprint,
    trail_bucket: &str,
) -> (Value, Name) {
    let mgmt = &bp.organization.management_account_id;
    let name = format!("{}-access-logs-{mgmt}", bp.client);
    let arn = format!("arn:aws:s3:::{name}");
    let bucket = unit.add(
        Name::new(&["access_log_bucket"]),
        Kind::Bucket(Bucket {
            name: Value::lit(&name),
            kms_key: None,
            expire_after_days: bp.audit.retention_days,
            access_logs: None,
            eventbridge: true,
            settings: AUDIT_BUCKET,
        }),
    );
    unit.waive(
        &bucket,
        "CKV_AWS_18",
        "This bucket receives the server access logs of the trail \
        bucket; logging it into itself would log its own deliveries without end.",
    );
    unit.waive(
        &bucket,
        "CKV_AWS_145",
        "S3 delivers server access logs only into buckets encrypted with SSE-S3, not SSE-KMS.",
    );
    unit.waive(&bucket, "CKV_AWS_144", REPLICATION);
    let policy = PolicyDocument::new(vec![
        Statement::deny_insecure_transport(
            &["s3:*"],
            vec![Value::lit(&arn), Value::lit(format!("{arn}/*"))],
        ),
        Statement::new(
            "S3ServerAccessLogsDelivery",
            Effect::Allow,
            &["s3:PutObject"],
            vec![Value::lit(format!("{arn}/{trail_bucket}/*"))],
        )
        .principal(Principal::Service(vec![String::from(
            "logging.s3.amazonaws.com",
        )]))
        .condition("StringEquals", "aws:SourceAccount", vec![Value::lit(mgmt)])
        .condition(
            "ArnLike",
            "aws:SourceArn",
            vec![Value::lit(format!("arn:aws:s3:::{trail_bucket}"))],
        ),
    ]);
    let bucket_ref = Value::reference(&bucket, Attr::BucketName);
    let policy = unit.add(
        Name::new(&["access_log_bucket_policy"]),
        Kind::BucketPolicy {
            bucket: bucket_ref.clone(),
            document: policy,
        },
    );
    (bucket_ref, policy)
}

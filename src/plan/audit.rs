//! The organization trail: a KMS key, an encrypted, versioned, private, TLS-only bucket with the
//! exact policy CloudTrail needs, and the trail itself, all in the management account (which SCPs
//! cannot touch, so member accounts cannot tamper with their own audit record).

use super::build::Context;
use super::policy::{Effect, PolicyDocument, Principal, Statement};
use super::value::{Attr, Name, Value};
use super::{Bucket, Kind};

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let mgmt = &bp.organization.management_account_id;
    let region = &bp.organization.home_region;
    let trail_name = bp
        .audit
        .trail_name
        .clone()
        .unwrap_or_else(|| format!("{}-org-trail", bp.client));
    let bucket_name = bp
        .audit
        .bucket_name
        .clone()
        .unwrap_or_else(|| format!("{}-org-trail-{mgmt}", bp.client));
    let trail_arn = Value::lit(format!(
        "arn:aws:cloudtrail:{region}:{mgmt}:trail/{trail_name}"
    ));
    let bucket_arn = format!("arn:aws:s3:::{bucket_name}");
    let cloudtrail = || Principal::Service(vec![String::from("cloudtrail.amazonaws.com")]);

    let key_policy = PolicyDocument::new(vec![
        Statement::new(
            "EnableAccountAdministration",
            Effect::Allow,
            &["kms:*"],
            vec![Value::lit("*")],
        )
        .principal(Principal::Aws(vec![Value::lit(format!(
            "arn:aws:iam::{mgmt}:root"
        ))])),
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
        Kind::KmsKey {
            description: format!("Encrypts the {} organization trail", bp.client),
            policy: key_policy,
        },
    );
    unit.add(
        Name::new(&["trail_key_alias"]),
        Kind::KmsAlias {
            name: format!("alias/{}-org-trail", bp.client),
            key: Value::reference(&key, Attr::Id),
        },
    );
    let bucket = unit.add(
        Name::new(&["trail_bucket"]),
        Kind::Bucket(Bucket {
            name: Value::lit(&bucket_name),
            kms_key: Value::reference(&key, Attr::Arn),
            expire_after_days: bp.audit.retention_days,
        }),
    );
    let bucket_ref = Value::reference(&bucket, Attr::BucketName);
    let policy = PolicyDocument::new(vec![
        Statement::new(
            "DenyInsecureTransport",
            Effect::Deny,
            &["s3:*"],
            vec![
                Value::lit(&bucket_arn),
                Value::lit(format!("{bucket_arn}/*")),
            ],
        )
        .principal(Principal::Any)
        .condition("Bool", "aws:SecureTransport", vec![Value::lit("false")]),
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
    // CloudTrail checks the bucket policy when the trail is created.
    let trail = unit.add_after(
        Name::new(&["org_trail"]),
        Kind::Trail {
            name: trail_name,
            bucket: bucket_ref,
            kms_key: Value::reference(&key, Attr::Arn),
        },
        vec![bucket_policy],
    );
    unit.output(
        Name::new(&["trail_arn"]),
        "ARN of the organization trail",
        Value::reference(&trail, Attr::Arn),
    );
}

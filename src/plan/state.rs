//! Where Terraform keeps the state of each root module: the blueprint's `terraform.backend`,
//! with every decision made here so that the emitter only writes it out.
//!
//! Terraform's S3 backend (<https://developer.hashicorp.com/terraform/language/backend/s3>)
//! takes a `bucket`, a `key` (the state object), a `region`, `encrypt`, `kms_key_id`,
//! `use_lockfile` (S3-native locking, Terraform 1.10 and later) and the deprecated
//! `dynamodb_table`; both locks may be configured at once to support a migration.

use crate::blueprint::{Blueprint, S3Backend};

/// The S3 backend every root module is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3State {
    pub bucket: String,
    pub region: String,
    /// The folder above every root module's own: `terraform.backend.s3.key_prefix`, else the
    /// client slug, so that two landing zones sharing a bucket never share a state.
    pub key_prefix: String,
    pub encryption: Encryption,
    pub locking: Locking,
}

/// How the state is encrypted at rest. There is no unencrypted variant: the state holds every
/// account's email and id, the organization's ids and the outputs of every resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encryption {
    /// S3-managed keys (SSE-S3).
    S3Managed,
    /// A KMS key, by its full ARN (SSE-KMS).
    Kms(String),
}

/// How concurrent runs on one root are kept apart. There is no unlocked variant: two applies
/// writing one state can lose resources from it (the checks refuse a backend without a lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locking {
    /// A lock object `<key>.tflock` beside the state.
    Lockfile,
    /// The lock object and a DynamoDB table at once, while moving off the table.
    LockfileAndTable(String),
    /// A DynamoDB table only (Terraform older than 1.10).
    Table(String),
}

impl S3State {
    /// The state object of a root module. Root modules are units, whose names are unique in a
    /// plan and hold no `/` (an account or `management`, a `-` and a region), so every root
    /// module has a key of its own.
    pub fn key(&self, unit: &str) -> String {
        format!("{}/{unit}/terraform.tfstate", self.key_prefix)
    }
}

/// The backend of a blueprint that passed the checks, when it declares one.
pub fn plan(bp: &Blueprint) -> Option<S3State> {
    let s3: &S3Backend = &bp.terraform.backend.as_ref()?.s3;
    let locking = match (s3.use_lockfile, &s3.dynamodb_table) {
        (true, None) => Locking::Lockfile,
        (true, Some(table)) => Locking::LockfileAndTable(table.clone()),
        (false, Some(table)) => Locking::Table(table.clone()),
        // Refused by the checks (TM003), which run before any plan is built.
        (false, None) => unreachable!("a backend without a lock does not pass the checks"),
    };
    Some(S3State {
        bucket: s3.bucket.clone(),
        region: s3.region.clone(),
        key_prefix: s3.key_prefix.clone().unwrap_or_else(|| bp.client.clone()),
        encryption: match &s3.kms_key_id {
            Some(arn) => Encryption::Kms(arn.clone()),
            None => Encryption::S3Managed,
        },
        locking,
    })
}

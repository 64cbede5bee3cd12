//! Where Terraform keeps the state of each root module: the blueprint's `terraform.backend`,
//! with every decision made here so that the emitter only writes it out.
//!
//! Terraform's S3 backend (<https://developer.hashicorp.com/terraform/language/backend/s3>)
//! takes a `bucket`, a `key` (the state object), a `region`, `encrypt`, `kms_key_id`,
//! `use_lockfile` (S3-native locking, Terraform 1.10 and later) and the deprecated
//! `dynamodb_table`; both locks may be configured at once to support a migration.

use crate::resolve::backend::Backend;
pub use crate::resolve::backend::Locking;

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

impl S3State {
    /// The state object of a root module. Root modules are units, whose names are unique in a
    /// plan and hold no `/` (an account or `management`, a `-` and a region), so every root
    /// module has a key of its own.
    pub fn key(&self, unit: &str) -> String {
        format!("{}/{unit}/terraform.tfstate", self.key_prefix)
    }
}

/// The backend every root module is configured with, when the blueprint declares one.
pub fn plan(client: &str, backend: Option<&Backend>) -> Option<S3State> {
    let Backend { s3, locking } = backend?;
    Some(S3State {
        bucket: s3.bucket.clone(),
        region: s3.region.clone(),
        key_prefix: s3.key_prefix.clone().unwrap_or_else(|| client.to_owned()),
        encryption: match &s3.kms_key_id {
            Some(arn) => Encryption::Kms(arn.clone()),
            None => Encryption::S3Managed,
        },
        locking: locking.clone(),
    })
}

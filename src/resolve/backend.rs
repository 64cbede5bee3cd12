//! The Terraform state backend's lock, resolved: a backend without one is refused (TM003, the
//! check of `checks::backend`), so the planner is handed a lock that exists.

use crate::blueprint::load::value_not_allowed;
use crate::blueprint::{Blueprint, S3Backend};
use crate::diagnostics::Diagnostic;

/// How concurrent runs on one root are kept apart. There is no unlocked variant: two applies
/// writing one state can lose resources from it (a backend without a lock is
/// not resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locking {
    /// A lock object `<key>.tflock` beside the state.
    Lockfile,
    /// The lock object and a DynamoDB table at once, while moving off the table.
    LockfileAndTable(String),
    /// A DynamoDB table only (Terraform older than 1.10).
    Table(String),
}

/// The declared S3 backend with its lock.
pub struct Backend<'a> {
    pub s3: &'a S3Backend,
    pub locking: Locking,
}

pub(super) fn resolve<'a>(bp: &'a Blueprint, errors: &mut Vec<Diagnostic>) -> Option<Backend<'a>> {
    let s3 = &bp.terraform.backend.as_ref()?.s3;
    let locking = match (s3.use_lockfile, &s3.dynamodb_table) {
        (true, None) => Locking::Lockfile,
        (true, Some(table)) => Locking::LockfileAndTable(table.clone()),
        (false, Some(table)) => Locking::Table(table.clone()),
        (false, None) => {
            errors.push(value_not_allowed(
                "/terraform/backend/s3/use_lockfile",
                "the state backend has no lock",
            ));
            return None;
        }
    };
    Some(Backend { s3, locking })
}

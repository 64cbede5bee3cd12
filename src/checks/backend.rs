//! The Terraform state backend (`terraform.backend.s3`): a bucket S3 would accept, a known
//! region (inside the residency, when one is required), and a lock.

use super::names::{self, bucket_name};
use super::{regions, residency};
use crate::blueprint::load::value_not_allowed;
use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;

/// `terraform.backend.s3` and its field `name`.
fn at(name: &str) -> Ptr {
    Ptr::root()
        .field("terraform")
        .field("backend")
        .field("s3")
        .field(name)
}

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let Some(backend) = &bp.terraform.backend else {
        return;
    };
    let s3 = &backend.s3;
    if let Err(why) = bucket_name(&s3.bucket) {
        out.push(names::invalid_bucket_name(at("bucket"), &s3.bucket, why));
    }
    // The trail bucket is created by the management root module, so its state would have to
    // live in a bucket that exists only once that state has been applied.
    if s3.bucket == bp.trail_bucket_name() {
        out.push(
            value_not_allowed(
                at("bucket"),
                format!("`{}` is the audit trail's bucket", s3.bucket),
            )
            .with_label("created by the management root module")
            .with_help(
                "keep Terraform state in a bucket of its own that exists before the first \
                `terraform init`",
            ),
        );
    }
    if !catalog.is_region(&s3.region) {
        out.push(regions::unknown_region(at("region"), &s3.region, catalog));
    } else if let Some(residency) = bp.data_residency {
        // The state holds every account's email, the organization's ids and every resource's
        // attributes: client data like the rest of the landing zone.
        let facts = catalog.residency(residency);
        if !facts.regions.contains(&s3.region) {
            out.push(
                residency::outside(
                    at("region"),
                    format!(
                        "`{}` is outside {} ({})",
                        s3.region,
                        residency.key(),
                        facts.regions.join(", ")
                    ),
                )
                .with_label("the Terraform state is kept here")
                .with_help(format!(
                    "keep the state in a bucket in `{}`",
                    facts.required_region
                )),
            );
        }
    }
    if !s3.use_lockfile && s3.dynamodb_table.is_none() {
        out.push(
            value_not_allowed(at("use_lockfile"), "the state backend has no lock")
                .with_label("locking turned off, and no `dynamodb_table`")
                .with_help(
                    "two runs on one root module at once can lose resources from its state: keep \
                 `use_lockfile: true` (Terraform 1.10 or later), or name a `dynamodb_table` for an \
                 older Terraform",
                ),
        );
    }
}

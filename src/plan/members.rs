//! The member units: per account and region, its budgets (in the account's primary region), the
//! endpoints of its networks there and its Mantle projects there.
//!
//! Each unit is planned whole, in parallel, a batch at a time, and put in its [`Shape`] at once:
//! a unit like an earlier one keeps only its input values. Planning accounts one step at a time
//! (all budgets, then all endpoints) held every account's copy of the same resources until the
//! end, and allocating them was most of the planner's time (docs/performance.md).
//!
//! [`Shape`]: super::Shape

use std::collections::HashMap;

use super::context::Context;
use super::shape::Sharing;
use super::{
    AccountFilter, CallAs, ConcurrencyMode, PermissionModel, RegionConcurrency, Shape,
    StackSetRollout, Unit,
};
use crate::blueprint::{MantleProject, Network};
use crate::resolve::organization::Account;

/// Units planned in parallel before they are shared: enough to keep the cores busy, few enough
/// that their copies stay small.
const BATCH: usize = 256;

/// What one member unit holds.
pub(super) struct Contents<'a> {
    /// An index into the resolved accounts.
    account: usize,
    pub region: &'a str,
    /// The account, when this is its primary region: its budgets live here.
    pub budgets: Option<&'a Account<'a>>,
    /// Its networks in this region, in blueprint order: slots 1, 2, ...
    pub networks: Vec<&'a Network>,
    pub projects: Vec<&'a MantleProject>,
}

/// Plans every member unit and returns their shapes. Units are created in the order their
/// first resource appears: each account's primary region in blueprint order, then the regions
/// only networks use, then those only Mantle projects use. `part_of` plans what a unit holds
/// (the parts that do are `build`'s to call).
pub(super) fn plan(
    cx: &mut Context,
    part_of: impl Fn(&Context, &Contents) -> Unit + Sync,
) -> Vec<Shape> {
    let r = cx.r;
    let accounts = &r.organization.accounts;
    let mut contents: Vec<Contents> = Vec::new();
    let mut index: HashMap<(usize, &str), usize> = HashMap::new();
    for (i, a) in accounts.iter().enumerate() {
        contents_of(&mut contents, &mut index, i, a.primary_region).budgets = Some(a);
    }
    for n in &r.networks {
        contents_of(&mut contents, &mut index, n.account, n.region)
            .networks
            .push(n.what);
    }
    for p in &r.projects {
        contents_of(&mut contents, &mut index, p.account, p.region)
            .projects
            .push(p.what);
    }
    let mut sharing = Sharing::default();
    for batch in contents.chunks(BATCH) {
        let (this, known) = (&*cx, &sharing);
        // Each unit is planned, and compared with the shapes of earlier batches, on the thread
        // that plans it; one like an earlier one is reduced to its input values there.
        let parts = crate::parallel::map(batch, |c| {
            let mut part = part_of(this, c);
            let shape = known.find(this.units(), &part);
            if shape.is_some() {
                part.resources = Vec::new();
                part.outputs = Vec::new();
            }
            (part, shape)
        });
        for (c, (part, shape)) in batch.iter().zip(parts) {
            // An index of the resolved accounts, which resolution gave every network and project.
            let i = cx.add_member(&accounts[c.account], c.region, part);
            match shape {
                Some(s) => sharing.join(s, i),
                // Like none before this batch; maybe like one of it.
                None => sharing.add(cx.units_mut(), i),
            }
        }
    }
    sharing.into_shapes()
}

/// The contents of the unit of `account` in `region`, added empty if new.
fn contents_of<'a, 'c>(
    contents: &'c mut Vec<Contents<'a>>,
    index: &mut HashMap<(usize, &'a str), usize>,
    account: usize,
    region: &'a str,
) -> &'c mut Contents<'a> {
    let at = *index.entry((account, region)).or_insert_with(|| {
        contents.push(Contents {
            account,
            region,
            budgets: None,
            networks: Vec::new(),
            projects: Vec::new(),
        });
        contents.len() - 1
    });
    &mut contents[at]
}

/// How each shape's StackSets roll a baseline out (CloudFormation): service-managed from the
/// management account itself, with managed execution (operations that do not conflict run
/// together, the rest queue). A quarter of the accounts at a time, every region at once; a
/// failure stops the rollout of a baseline change before it reaches the others, without
/// cancelling the accounts already in progress. Each instance deploys to its account only
/// inside its OU, and no account gets a stack by joining an OU: an account is deployed to when
/// the blueprint lists it (the kit's task for moved accounts says so).
pub const STACK_SETS: StackSetRollout = StackSetRollout {
    permission_model: PermissionModel::ServiceManaged,
    auto_deployment: false,
    call_as: CallAs::SelfAccount,
    managed_execution: true,
    concurrency_mode: ConcurrencyMode::SoftFailureTolerance,
    failure_tolerance_count: 0,
    max_concurrent_percentage: 25,
    region_concurrency: RegionConcurrency::Parallel,
    account_filter: AccountFilter::Intersection,
};

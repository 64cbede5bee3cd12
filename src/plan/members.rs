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

use super::bedrock::Approved;
use super::build::Context;
use super::shape::Sharing;
use super::{
    cost, network, AccountFilter, CallAs, ConcurrencyMode, PermissionModel, RegionConcurrency,
    Shape, StackSetRollout, Unit,
};
use crate::blueprint::{Account, MantleProject, Network};

/// Units planned in parallel before they are shared: enough to keep the cores busy, few enough
/// that their copies stay small.
const BATCH: usize = 256;

/// What one member unit holds.
struct Contents<'a> {
    account: &'a str,
    region: &'a str,
    /// The account, when this is its primary region: its budgets live here.
    budgets: Option<&'a Account>,
    /// Its networks in this region, in blueprint order: slots 1, 2, ...
    networks: Vec<&'a Network>,
    projects: Vec<&'a MantleProject>,
}

/// Plans every member unit and returns their shapes. Units are created in the order their
/// first resource appears: each account's primary region in blueprint order, then the regions
/// only networks use, then those only Mantle projects use.
pub(super) fn plan(cx: &mut Context) -> Vec<Shape> {
    let bp = cx.bp;
    let mut contents: Vec<Contents> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for a in &bp.accounts {
        let region = bp.primary_region(a);
        contents_of(&mut contents, &mut index, &a.name, region).budgets = Some(a);
    }
    for n in &bp.networks {
        contents_of(&mut contents, &mut index, &n.account, &n.region)
            .networks
            .push(n);
    }
    for p in &bp.bedrock.mantle_projects {
        let region = bp
            .project_region(p)
            .expect("checks resolved the project's account");
        contents_of(&mut contents, &mut index, &p.account, region)
            .projects
            .push(p);
    }
    let approved = Approved::of(bp, cx.catalog);
    let mut sharing = Sharing::default();
    for batch in contents.chunks(BATCH) {
        let (this, known) = (&*cx, &sharing);
        // Each unit is planned, and compared with the shapes of earlier batches, on the thread
        // that plans it; one like an earlier one is reduced to its input values there.
        let parts = crate::parallel::map(batch, |c| {
            let mut part = Unit::part();
            part.region = c.region.to_owned();
            if let Some(account) = c.budgets {
                cost::budgets(this, account, &mut part);
            }
            for (k, n) in c.networks.iter().enumerate() {
                network::endpoints(this, &approved, k + 1, n, &mut part);
            }
            for p in &c.projects {
                network::project(p, &mut part);
            }
            let shape = known.find(this.units(), &part);
            if shape.is_some() {
                part.resources = Vec::new();
                part.outputs = Vec::new();
            }
            (part, shape)
        });
        for (c, (part, shape)) in batch.iter().zip(parts) {
            let i = cx.add_member(c.account, c.region, part);
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
    index: &mut HashMap<(&'a str, &'a str), usize>,
    account: &'a str,
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

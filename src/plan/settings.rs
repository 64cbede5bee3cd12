//! The types of the AWS settings resources carry: each value the planner chooses for a resource
//! (a number of days, a mode, a flag of AWS's API) is a typed field of its `Kind`, set by the
//! planner module of that resource with the reason for its value. Emitters only spell these
//! values in their target's syntax, so neither can choose one, nor the two disagree.
//!
//! Where a setting is one of a set, it is an enum of the values tarmac uses: adding a value is a
//! decision of the planner, and each emitter's match then says how its target writes it.

/// The kind of an AWS Organizations policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    ServiceControlPolicy,
}

/// What an Identity Center assignment gives access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentTarget {
    Account,
}

/// A KMS key's rotation and deletion settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySettings {
    /// Automatic yearly rotation of the key material.
    pub rotation: bool,
    /// Days between a deletion request and the key's deletion (7 to 30).
    pub pending_window_days: u32,
}

/// The settings every bucket has, besides its name, encryption, logs and events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSettings {
    pub versioned: bool,
    /// All four settings of S3 Block Public Access.
    pub block_public_access: bool,
    pub ownership: ObjectOwnership,
    /// The id of the bucket's one lifecycle rule.
    pub lifecycle_rule: &'static str,
    /// Days after which an incomplete multipart upload is aborted.
    pub abort_incomplete_upload_days: u32,
    /// Days after which a noncurrent object version expires.
    pub noncurrent_version_days: u32,
}

/// Who owns the objects of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectOwnership {
    /// ACLs are off; the bucket owner owns every object.
    BucketOwnerEnforced,
}

/// The flags of a CloudTrail trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailSettings {
    pub logging: bool,
    pub organization: bool,
    pub multi_region: bool,
    pub global_service_events: bool,
    pub log_file_validation: bool,
}

/// What an AWS Budgets budget measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetType {
    Cost,
}

/// The period a budget's amount is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Monthly,
}

/// The currency of an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    Usd,
}

/// The part of the cost a budget counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostFilter {
    /// Only the cost of this service (`Amazon Bedrock`).
    Service(String),
}

/// Whether a budget notification compares actual or forecasted spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationType {
    Actual,
    Forecasted,
}

/// How a value is compared with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    GreaterThan,
    GreaterThanOrEqual,
}

/// How a budget notification's threshold reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdType {
    /// A percentage of the budget's amount.
    Percentage,
}

/// The kind of a Cost Anomaly Detection monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorType {
    /// A monitor of the linked accounts it names.
    Custom,
}

/// What an anomaly subscription's threshold measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnomalyDimension {
    /// The anomaly's total impact, in USD.
    TotalImpactAbsolute,
}

/// The protocol of a security group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpProtocol {
    Tcp,
}

/// The kind of a VPC endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointType {
    /// Network interfaces in the endpoint's subnets (PrivateLink).
    Interface,
}

/// How the StackSets of member shapes roll out (CloudFormation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackSetRollout {
    pub permission_model: PermissionModel,
    /// Whether accounts joining a target OU get the StackSet's stack on their own.
    pub auto_deployment: bool,
    pub call_as: CallAs,
    /// Whether CloudFormation runs non-conflicting operations concurrently and queues the rest.
    pub managed_execution: bool,
    pub concurrency_mode: ConcurrencyMode,
    pub failure_tolerance_count: u32,
    pub max_concurrent_percentage: u32,
    pub region_concurrency: RegionConcurrency,
    /// How an instance's accounts and OUs together select the accounts it deploys to.
    pub account_filter: AccountFilter,
}

/// How a StackSet reaches its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionModel {
    /// Through AWS Organizations' trusted access, without roles in each account.
    ServiceManaged,
}

/// Which account a StackSet is administered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallAs {
    /// The management account itself.
    SelfAccount,
}

/// How failures count against a StackSet operation's concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcurrencyMode {
    /// A failure lowers concurrency to the failure tolerance without cancelling running work.
    SoftFailureTolerance,
}

/// Whether a StackSet operation deploys to its regions one after another or together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionConcurrency {
    Parallel,
}

/// How a StackSet instance's accounts and OUs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountFilter {
    /// The listed accounts that are in the listed OUs.
    Intersection,
}

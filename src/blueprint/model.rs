//! The blueprint as the user writes it: plain serde types with defaults, nothing resolved yet.
//!
//! Every struct denies unknown fields so that a misspelt key is an error rather than a silently
//! ignored setting. Defaults follow the security guidance the pilot is built on (budget alerts at
//! 50/80/100 % actual and 100 % forecasted, log-file validation on, private DNS on), so a small
//! blueprint stays short. The doc comments double as the descriptions in the JSON Schema, which is
//! what editors show on hover.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

/// One client's landing zone for a pilot of OpenAI models on Amazon Bedrock.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// Short slug of the client, used in resource names and as the output folder name.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"))]
    pub client: String,
    /// Human-readable client name, used in descriptions and the rollout kit: one line, without
    /// control characters (TM026).
    #[serde(default)]
    pub display_name: Option<String>,
    /// The existing AWS Organization the landing zone is deployed into.
    pub organization: Organization,
    /// Organizational units to create, parents before children.
    #[serde(default)]
    pub organizational_units: Vec<OrganizationalUnit>,
    /// Member accounts of the pilot: new ones to create, or existing ones by id.
    #[schemars(length(min = 1))]
    pub accounts: Vec<Account>,
    /// Approved regions and models.
    pub bedrock: Bedrock,
    /// IAM Identity Center: permission sets and who gets them where.
    pub identity_center: IdentityCenter,
    /// Service control policies attached to the pilot's OUs.
    #[serde(default)]
    pub guardrails: Guardrails,
    /// Account and Bedrock budgets and where their alerts go.
    pub budgets: Budgets,
    /// Cost Anomaly Detection in the management (payer) account.
    #[serde(default)]
    pub anomaly_detection: AnomalyDetection,
    /// Organization CloudTrail and its bucket.
    #[serde(default)]
    pub audit: Audit,
    /// PrivateLink endpoints for Bedrock, one entry per VPC.
    #[serde(default)]
    pub networks: Vec<Network>,
    /// Tags applied to every resource that takes tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Where the client's data must stay. With `canada`, every region the pilot uses (Bedrock,
    /// endpoints, accounts, the audit bucket's home region) must be Canadian and ca-central-1
    /// must be approved.
    #[serde(default)]
    pub data_residency: Option<Residency>,
    /// The developer rollout kit written under `rollout/`: Codex and AWS CLI configuration, the
    /// validation script and the readiness report.
    #[serde(default)]
    pub rollout: Rollout,
    /// Settings of the Terraform output: where its root modules keep their state.
    #[serde(default)]
    pub terraform: Terraform,
}

/// Settings of the Terraform output.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terraform {
    /// The state backend every root module is configured with (the management roots and each
    /// member account's root; not the shared modules under `terraform/modules/`, which have
    /// their callers' state). Without one, Terraform keeps each root's state in a local
    /// `terraform.tfstate` file in the root module's folder.
    // Described as the mapping alone (not "a mapping or null"), so that a wrong field inside is
    // reported at that field rather than as the whole backend matching neither.
    #[serde(default)]
    #[schemars(with = "Backend")]
    pub backend: Option<Backend>,
}

/// A Terraform state backend. S3 is the one kind tarmac writes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backend {
    /// State in an existing S3 bucket, one object per root module, always encrypted, always
    /// locked (Terraform's `s3` backend).
    pub s3: S3Backend,
}

/// Terraform's S3 backend (<https://developer.hashicorp.com/terraform/language/backend/s3>).
/// Each root module keeps its state at `<key_prefix>/<root module>/terraform.tfstate`, where the
/// root module is its folder's name under `terraform/` (`management`, `pilot-us-east-1`), so no
/// two roots share a state. State is always encrypted at rest (`encrypt = true`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3Backend {
    /// Name of the existing bucket that holds the state. tarmac does not create it: the
    /// module creating it would have no state to live in. Turn on bucket versioning, so a state
    /// overwritten by mistake can be recovered.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"))]
    pub bucket: String,
    /// Region of the bucket (and of the DynamoDB table, when one is given).
    pub region: String,
    /// Folder in the bucket above every root module's state: segments of letters, digits, `.`,
    /// `_` or `-` separated by `/`, such as `landing-zones/acme`. Defaults to the client slug,
    /// so that landing zones of several clients can share one bucket without sharing a state.
    #[serde(default)]
    #[schemars(
        regex(pattern = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"),
        length(max = 512)
    )]
    pub key_prefix: Option<String>,
    /// S3-native state locking: Terraform writes a lock object `<key>.tflock` beside the state
    /// (Terraform 1.10 or later). On by default; turning it off requires a `dynamodb_table`,
    /// since two applies of one root without a lock can corrupt its state.
    #[serde(default = "yes")]
    pub use_lockfile: bool,
    /// DynamoDB table for the older, DynamoDB-based locking, which Terraform deprecates: for
    /// Terraform older than 1.10, or while migrating (both locks may be on at once). The table
    /// needs a partition key `LockID` of type String.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9_.-]{3,255}$"))]
    pub dynamodb_table: Option<String>,
    /// ARN of the KMS key that encrypts the state (SSE-KMS), such as
    /// `arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`; without
    /// one, S3 encrypts it with S3-managed keys. A full key ARN, not an alias: S3 resolves an
    /// alias in the requester's account. Terraform then needs `kms:Encrypt`, `kms:Decrypt` and
    /// `kms:GenerateDataKey` on the key.
    #[serde(default)]
    #[schemars(regex(
        pattern = concat!(
            r"^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/",
            r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
        )
    ))]
    pub kms_key_id: Option<String>,
}

/// A data-residency requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Residency {
    /// Data stays in Canadian regions (ca-central-1, ca-west-1).
    Canada,
}

impl Residency {
    /// The key of the residency in the catalog.
    pub fn key(self) -> &'static str {
        match self {
            Residency::Canada => "canada",
        }
    }
}

/// The developer rollout kit.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// The Mantle model id Codex CLI uses (`model` in `config.toml`). Defaults to the first
    /// approved Mantle model that OpenAI lists as supported by Codex on Bedrock.
    #[serde(default)]
    pub codex_model: Option<String>,
    /// Who owns the steps tarmac cannot do, as named in `READINESS.md`.
    #[serde(default)]
    pub owners: Owners,
}

/// Owners of the manual readiness steps.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owners {
    /// Deploys the templates and runs the platform steps.
    #[serde(default = "default_platform_owner")]
    pub platform: String,
    /// Manages Identity Center groups and reviews access.
    #[serde(default = "default_security_owner")]
    pub security: String,
    /// Confirms budget alert subscriptions and watches spend.
    #[serde(default = "default_finance_owner")]
    pub finance: String,
    /// Developers who install the Codex and AWS CLI configuration.
    #[serde(default = "default_developer_owner")]
    pub developers: String,
}

impl Default for Owners {
    fn default() -> Self {
        Owners {
            platform: default_platform_owner(),
            security: default_security_owner(),
            finance: default_finance_owner(),
            developers: default_developer_owner(),
        }
    }
}

/// The organization the pilot lives in. Its ids are inputs: tarmac never creates an organization.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Organization id, e.g. `o-a1b2c3d4e5`.
    #[schemars(regex(pattern = r"^o-[a-z0-9]{10,32}$"))]
    pub id: String,
    /// Root id, e.g. `r-ab12`.
    #[schemars(regex(pattern = r"^r-[0-9a-z]{4,32}$"))]
    pub root_id: String,
    /// The management account id (12 digits). SCPs and StackSets never apply to it.
    #[schemars(regex(pattern = r"^[0-9]{12}$"))]
    pub management_account_id: String,
    /// Region of the management stack / root module.
    #[serde(default = "default_home_region")]
    pub home_region: String,
    /// How many CloudFormation stack sets the management account may still create: its quota of
    /// stack sets per administrator account (1,000 by default; Service Quotas code L-EC62D81A,
    /// adjustable) less the stack sets it already has (Control Tower's, for one). The
    /// CloudFormation output has one StackSet per shape of member accounts (accounts whose
    /// networks and Mantle projects in a region have the same layout share one) and management
    /// stack holding them; raise the quota before deploying more, then set the raised value here.
    #[serde(default = "default_stack_set_quota")]
    #[schemars(range(min = 1))]
    pub stack_set_quota: usize,
}

/// An organizational unit to create.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationalUnit {
    /// Name of the OU as shown in Organizations; also how accounts and other OUs refer to it.
    #[schemars(length(min = 1, max = 128))]
    pub name: String,
    /// Name of the parent OU; the organization root when absent.
    #[serde(default)]
    pub parent: Option<String>,
    /// Id of an existing OU (`ou-…`). When absent, tarmac creates the OU.
    #[serde(default)]
    #[schemars(regex(pattern = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"))]
    pub id: Option<String>,
}

/// A member account of the pilot.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Account name; also how the rest of the blueprint refers to the account.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]{0,48}[a-z0-9]$"))]
    pub name: String,
    /// Root email of the account (a shared mailbox, not a person).
    #[schemars(length(min = 6, max = 64))]
    pub email: String,
    /// Name of the OU the account belongs in.
    pub ou: String,
    /// Id of an existing account. When absent, tarmac creates the account.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{12}$"))]
    pub id: Option<String>,
    /// Where the existing account (`id`) is now: the id of its parent, the root (`r-…`) or an
    /// OU (`ou-…`), as `aws organizations list-parents --child-id <id>` prints it. Required when
    /// `ou` is an OU tarmac creates; allowed when `ou` is an existing OU the account is not in
    /// yet. tarmac then moves the account into `ou`: Terraform imports it into the management
    /// module, whose apply moves it; CloudFormation imports it into the management stack, whose
    /// next update moves it, before any StackSet deploys to it (READINESS.md). Without it, an
    /// account of an existing OU must already be in that OU. Only for existing accounts (TM063).
    #[serde(default)]
    #[schemars(regex(pattern = r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$"))]
    pub current_parent: Option<String>,
    /// What the account is for.
    #[serde(default)]
    pub environment: Environment,
    /// Region of the account's own stack (budget alert topic, Mantle project). Defaults to the
    /// first approved Bedrock region.
    #[serde(default)]
    pub primary_region: Option<String>,
    /// Monthly budget of the whole account, in USD. Defaults to `budgets.account_monthly_usd`.
    #[serde(default)]
    pub monthly_budget_usd: Option<f64>,
    /// Monthly budget of Bedrock usage in the account, in USD. Defaults to
    /// `budgets.bedrock_monthly_usd`.
    #[serde(default)]
    pub bedrock_budget_usd: Option<f64>,
}

/// What an account is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Environment {
    #[default]
    Pilot,
    Sandbox,
    Shared,
    Production,
}

/// Approved regions and models. Runtime ids and Mantle ids are different families and are kept
#[doc = " in different lists: `openai.gpt-oss-120b-1:0` is a Runtime id, `openai.gpt-oss-120b` a \
    Mantle id."]
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bedrock {
    /// Regions where Bedrock may be used. The region-allowlist SCP allows these unless
    /// `guardrails.allowed_regions` says otherwise.
    #[schemars(length(min = 1))]
    pub regions: Vec<String>,
    #[doc = " Foundation-model ids for Bedrock Runtime (InvokeModel, Converse), e.g. \
        `openai.gpt-oss-120b-1:0`."]
    #[serde(default)]
    pub runtime_models: Vec<String>,
    /// Model ids for the OpenAI-compatible Bedrock Mantle endpoint (Codex CLI, OpenAI SDKs),
    /// e.g. `openai.gpt-oss-120b`.
    #[serde(default)]
    pub mantle_models: Vec<String>,
    /// Named Mantle projects (cost allocation and isolation) to create in member accounts.
    #[serde(default)]
    pub mantle_projects: Vec<MantleProject>,
    /// Set to `acknowledged` to approve models the catalog marks as preview (such as
    /// `openai.gpt-5.5`): preview models change or disappear without notice.
    #[serde(default)]
    pub preview: Option<PreviewAcknowledgement>,
    /// System-defined (cross-Region) inference profiles to allow, e.g. `us.<runtime model id>`.
    /// Without them cross-Region inference is denied: the model allowlist names foundation
    /// models only. Each must be in the catalog and serve an approved Runtime model; its ARNs
    /// join the model allowlist and the Runtime permission sets, and its destination Regions may
    /// serve it even where the region allowlist denies everything else.
    #[serde(default)]
    pub inference_profiles: Vec<String>,
    /// With `data_residency`: the client's approval that the pilot may invoke models in named
    /// Regions outside the residency, where the catalog serves no approved model inside it (no
    /// OpenAI model is served in a Canadian Region). Only model invocation and the discovery it
    /// needs leave: the trail, logs, budgets, Identity Center, networks and every stack stay in
    /// the residency, and the region SCP allows these Regions for the Bedrock inference actions
    /// alone. Without it, a residency blueprint's models must be served inside the residency.
    #[serde(default)]
    pub cross_border_inference: Option<CrossBorderInference>,
}

/// Who approved that prompts and completions may be processed outside the residency, where and
/// when: READINESS.md and the diagram state it, so the approval travels with the landing zone.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossBorderInference {
    /// Regions outside the residency where the approved models may be invoked, e.g.
    /// `[us-east-1, us-west-2]`.
    #[schemars(length(min = 1))]
    pub regions: Vec<String>,
    /// Who approved it: a person and role, or a body (`Privacy Office, J. Tremblay`).
    #[schemars(length(min = 1, max = 200))]
    pub approved_by: String,
    /// When it was approved, as a date (`2026-11-20`).
    #[schemars(regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))]
    pub approved_on: String,
    /// Where the approval is recorded: a ticket, a decision record, a privacy impact assessment.
    #[serde(default)]
    #[schemars(length(min = 1, max = 200))]
    pub reference: Option<String>,
}

/// The explicit acknowledgement that preview models may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PreviewAcknowledgement {
    Acknowledged,
}

/// A Bedrock Mantle project.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MantleProject {
    /// Project name.
    #[schemars(length(min = 1, max = 128))]
    pub name: String,
    /// Name of the account the project lives in.
    pub account: String,
    /// Region of the project; defaults to the account's primary region.
    #[serde(default)]
    pub region: Option<String>,
}

/// IAM Identity Center settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCenter {
    /// ARN of the Identity Center instance, e.g. `arn:aws:sso:::instance/ssoins-1234567890abcdef`.
    #[schemars(regex(pattern = r"^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$"))]
    pub instance_arn: String,
    /// Identity store id, e.g. `d-1234567890`.
    #[schemars(regex(
        pattern = r"^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub identity_store_id: String,
    /// AWS access portal URL: `https://<d-xxxxxxxxxx or alias>.awsapps.com/start`, or a
    /// replicated instance's `https://ssoins-<id>.<region>.portal.amazonaws.com` (TM027).
    pub start_url: String,
    /// Region of the Identity Center instance.
    pub region: String,
    /// Permission sets to create.
    #[schemars(length(min = 1))]
    pub permission_sets: Vec<PermissionSet>,
    /// Who gets which permission set in which accounts.
    #[serde(default)]
    pub assignments: Vec<Assignment>,
}

/// A permission set.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionSet {
    /// Name (it becomes the role name users see and `sso_role_name` in AWS CLI profiles).
    #[schemars(regex(pattern = r"^[\w+=,.@-]{1,32}$"))]
    pub name: String,
    /// Description shown in the access portal.
    #[serde(default)]
    pub description: Option<String>,
    /// Session duration as an ISO-8601 duration, PT1H to PT12H.
    #[serde(default = "default_session_duration")]
    #[schemars(regex(pattern = r"^PT([1-9]|1[0-2])H$"))]
    pub session_duration: String,
    /// AWS managed policy ARNs to attach.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Why this permission set needs `AdministratorAccess` (a bootstrap or break-glass role).
    /// It is written into the templates as the reason for waiving the scanners' check against
    /// administrator access, where security reviewers read it.
    #[serde(default)]
    pub admin_justification: Option<String>,
    /// Least-privilege Bedrock access generated from the approved models and regions.
    #[serde(default)]
    pub bedrock_access: BedrockAccess,
    /// Allow short-term Bedrock API keys (bearer tokens the SDK signs from the session's own
    /// credentials, valid 12 hours at most) for the endpoints `bedrock_access` grants, for SDKs
    /// that send a bearer token instead of SigV4. Long-term keys stay denied.
    #[serde(default)]
    pub short_term_bearer_tokens: bool,
    /// Further inline statements.
    #[serde(default)]
    pub inline_statements: Vec<StatementSpec>,
}

/// Which Bedrock access a permission set's generated inline policy grants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BedrockAccess {
    /// No Bedrock statements.
    #[default]
    None,
    /// Discovery plus invoke of the approved Runtime models in the approved regions.
    Runtime,
    /// Mantle inference on the approved Mantle models in the approved regions.
    Mantle,
    /// Both of the above.
    RuntimeAndMantle,
}

/// An IAM policy statement written by the user.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementSpec {
    /// Statement id (alphanumeric).
    #[schemars(regex(pattern = r"^[A-Za-z0-9]+$"))]
    pub sid: String,
    /// Allow or Deny.
    #[serde(default)]
    pub effect: Effect,
    /// Actions, e.g. `s3:GetObject`.
    #[schemars(length(min = 1))]
    pub actions: Vec<String>,
    /// Resource ARNs.
    #[schemars(length(min = 1))]
    pub resources: Vec<String>,
}

/// A statement effect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Effect {
    #[default]
    Allow,
    Deny,
}

/// An assignment of a permission set to a group or user in accounts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Name of the permission set.
    pub permission_set: String,
    /// Display name of an Identity Center group. Give exactly one of `group` and `user`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 128))]
    pub group: Option<String>,
    /// User name of an Identity Center user. Give exactly one of `group` and `user`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 128))]
    pub user: Option<String>,
    /// Identity-store id of the group or user, when known. Without it, Terraform looks the
    /// principal up by name and CloudFormation takes it as a stack parameter.
    #[serde(default)]
    pub principal_id: Option<String>,
    /// Names of the accounts.
    #[schemars(length(min = 1))]
    pub accounts: Vec<String>,
}

/// Service control policies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    /// Deny every non-global action outside the approved regions.
    #[serde(default = "yes")]
    pub region_allowlist: bool,
    /// The regions the region-allowlist SCP allows, when they differ from `bedrock.regions`
    /// (other workloads in the same OUs). It must include every region the pilot uses.
    #[serde(default)]
    pub allowed_regions: Vec<String>,
    /// Deny invoking any model that is not approved (Runtime and Mantle).
    #[serde(default = "yes")]
    pub model_allowlist: bool,
    /// Deny stopping, deleting or changing the organization trail.
    #[serde(default = "yes")]
    pub protect_audit_trail: bool,
    /// Deny `organizations:LeaveOrganization`.
    #[serde(default = "yes")]
    pub deny_leave_organization: bool,
    /// Deny creating long-term Bedrock API keys (IAM service-specific credentials for Bedrock)
    /// and calling Bedrock Runtime or Mantle with one.
    #[serde(default = "yes")]
    pub deny_long_term_credentials: bool,
    /// OU or account names the SCPs attach to. Defaults to the OUs of the pilot's accounts.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Name of the role exempt from the region and trail guardrails, for break-glass
    /// administration: one IAM role name (letters, digits and `+=,.@_-`, at most 64), without a
    /// path or wildcard, at path `/` in each account. An SCP protects that role: nobody but the
    /// role itself may create, delete, re-trust, re-permission or tag it.
    #[serde(default = "default_privileged_role")]
    pub privileged_role: String,
    /// AWS's limits on SCPs. The defaults are the limits in force since May 2026; organizations
    /// that still plan for the earlier ones set 5120 and 5.
    #[serde(default)]
    pub limits: ScpLimits,
    /// Whether the targets keep AWS's `FullAWSAccess` SCP attached (it takes a slot).
    #[serde(default = "yes")]
    pub full_aws_access: bool,
    /// SCPs managed outside tarmac (Control Tower's, a security team's) attached to targets;
    /// they take slots too.
    #[serde(default)]
    pub external_scps: Vec<ExternalScp>,
}

/// Limits on service control policies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScpLimits {
    /// Most characters of one SCP, counted on minified JSON as Organizations counts them.
    #[serde(default = "default_scp_characters")]
    #[schemars(range(min = 100))]
    pub max_characters: usize,
    /// Most SCPs attached to one root, OU or account.
    #[serde(default = "default_scps_per_target")]
    #[schemars(range(min = 1))]
    pub max_per_target: usize,
}

impl Default for ScpLimits {
    fn default() -> Self {
        ScpLimits {
            max_characters: default_scp_characters(),
            max_per_target: default_scps_per_target(),
        }
    }
}

/// An SCP managed outside tarmac.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalScp {
    /// Its name, for messages.
    pub name: String,
    /// OU or account names it is attached to.
    #[schemars(length(min = 1))]
    pub targets: Vec<String>,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            region_allowlist: true,
            allowed_regions: Vec::new(),
            model_allowlist: true,
            protect_audit_trail: true,
            deny_leave_organization: true,
            deny_long_term_credentials: true,
            targets: Vec::new(),
            privileged_role: default_privileged_role(),
            limits: ScpLimits::default(),
            full_aws_access: true,
            external_scps: Vec::new(),
        }
    }
}

/// Budgets: every member account gets an account budget and a Bedrock-only budget.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budgets {
    /// Distribution lists that receive every budget and anomaly alert.
    #[schemars(length(min = 1, max = 10), inner(length(min = 6, max = 200)))]
    pub alert_emails: Vec<String>,
    /// Default monthly budget of a whole account, in USD.
    #[schemars(range(min = 1))]
    pub account_monthly_usd: f64,
    /// Default monthly budget of Bedrock usage in an account, in USD.
    #[schemars(range(min = 1))]
    pub bedrock_monthly_usd: f64,
    /// Alert thresholds, in percent of the budget.
    #[serde(default = "default_thresholds")]
    #[schemars(length(min = 1, max = 10))]
    pub thresholds: Vec<Threshold>,
}

/// A budget alert threshold.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Percent of the budget.
    #[schemars(range(min = 1, max = 1000))]
    pub percent: f64,
    /// Whether actual or forecasted spend is compared.
    #[serde(default)]
    pub kind: ThresholdKind,
}

/// Actual or forecasted spend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdKind {
    #[default]
    Actual,
    Forecasted,
}

/// Cost Anomaly Detection.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnomalyDetection {
    /// Whether to create the monitor and subscription.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Alert when an anomaly's total impact reaches this many USD.
    #[serde(default = "default_anomaly_threshold")]
    #[schemars(range(min = 1))]
    pub threshold_usd: f64,
    /// How often alerts are sent.
    #[serde(default)]
    pub frequency: Frequency,
}

impl Default for AnomalyDetection {
    fn default() -> Self {
        AnomalyDetection {
            enabled: true,
            threshold_usd: default_anomaly_threshold(),
            frequency: Frequency::default(),
        }
    }
}

/// Anomaly alert frequency. Email subscribers only get daily or weekly summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    #[default]
    Daily,
    Weekly,
}

/// The organization trail.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// Whether tarmac creates the trail. The pilot needs one: turning it off is an error.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Whether the trail records every account of the organization, not only the management
    /// account. The pilot needs this: turning it off is an error.
    #[serde(default = "yes")]
    pub organization_trail: bool,
    /// Trail name; defaults to `<client>-org-trail`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$"))]
    pub trail_name: Option<String>,
    /// Bucket name; defaults to `<client>-org-trail-<management account id>`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"))]
    pub bucket_name: Option<String>,
    /// Days before log objects expire.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub retention_days: Option<u32>,
}

impl Default for Audit {
    fn default() -> Self {
        Audit {
            enabled: true,
            organization_trail: true,
            trail_name: None,
            bucket_name: None,
            retention_days: None,
        }
    }
}

/// A VPC that reaches Bedrock over PrivateLink.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Name of the account the VPC belongs to.
    pub account: String,
    /// Region of the VPC.
    pub region: String,
    /// Id of an existing VPC, with `subnet_ids`. Without it tarmac creates the VPC, with
    /// `vpc_cidr` and the `subnets` given, in the member stack of the account.
    #[serde(default)]
    #[schemars(regex(pattern = r"^vpc-[0-9a-f]{8,17}$"))]
    pub vpc_id: Option<String>,
    /// CIDR of the VPC; HTTPS is allowed from it to the endpoints. The CIDR of the VPC tarmac
    /// creates when `vpc_id` is absent.
    #[schemars(regex(pattern = r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$"))]
    pub vpc_cidr: String,
    /// Existing subnets of `vpc_id` the endpoint network interfaces go in (one per
    /// availability zone).
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// The subnets tarmac creates in the VPC it creates (no `vpc_id`), one per Availability
    /// Zone, for the endpoint network interfaces: each inside `vpc_cidr`, none overlapping.
    #[serde(default)]
    pub subnets: Vec<NewSubnet>,
    /// Which endpoints to create.
    #[serde(default = "default_endpoints")]
    #[schemars(length(min = 1))]
    pub endpoints: Vec<EndpointService>,
    /// Whether the endpoints take over the public DNS names inside the VPC.
    #[serde(default = "yes")]
    pub private_dns: bool,
    /// Set to `true` when the network's account is one tarmac creates (no `id:`), it has been
    /// deployed, and `vpc_id` names a VPC created in it since: the second phase of a two-phase
    /// rollout. Without it such a network is refused (TM066), because its VPC cannot exist
    /// before the account does and the member stack would fail inside the StackSet. Only with
    /// `vpc_id`.
    #[serde(default)]
    pub account_deployed: bool,
}

/// A subnet tarmac creates for a network's endpoints.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubnet {
    /// The subnet's IPv4 CIDR block, inside the VPC's: /16 to /28.
    #[schemars(regex(pattern = r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$"))]
    pub cidr: String,
    /// The Availability Zone by its AZ ID (`use1-az1`), not its name (`us-east-1a`): a name
    /// maps to a different zone in each account, an AZ ID to the same one in every account
    /// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html), and one
    /// member template serves many accounts.
    #[schemars(regex(pattern = r"^[a-z]{2,6}[0-9]{1,2}-az[0-9]{1,2}$"))]
    pub availability_zone_id: String,
}

/// A Bedrock PrivateLink service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
pub enum EndpointService {
    /// The control plane (`com.amazonaws.<region>.bedrock`).
    #[serde(rename = "bedrock")]
    Bedrock,
    /// Bedrock Runtime (`com.amazonaws.<region>.bedrock-runtime`).
    #[serde(rename = "bedrock-runtime")]
    BedrockRuntime,
    /// Bedrock Mantle, the OpenAI-compatible endpoint (`com.amazonaws.<region>.bedrock-mantle`).
    #[serde(rename = "bedrock-mantle")]
    BedrockMantle,
}

impl EndpointService {
    /// The service suffix in `com.amazonaws.<region>.<suffix>`.
    pub fn suffix(self) -> &'static str {
        match self {
            EndpointService::Bedrock => "bedrock",
            EndpointService::BedrockRuntime => "bedrock-runtime",
            EndpointService::BedrockMantle => "bedrock-mantle",
        }
    }
}

impl Blueprint {
    /// The region of an account's own unit: its `primary_region`, else the first approved region.
    pub fn primary_region<'a>(&'a self, account: &'a Account) -> &'a str {
        account
            .primary_region
            .as_deref()
            .unwrap_or(&self.bedrock.regions[0])
    }

    /// The Regions models may be invoked in: `bedrock.regions`, then the Regions of an approved
    /// `cross_border_inference`. Permission sets, the kit's checks and the model availability
    /// check use these; everything placed (stacks, networks, the trail) uses `bedrock.regions`.
    pub fn invocation_regions(&self) -> Vec<String> {
        let mut out = self.bedrock.regions.clone();
        if let Some(cross) = &self.bedrock.cross_border_inference {
            for r in &cross.regions {
                if !out.contains(r) {
                    out.push(r.clone());
                }
            }
        }
        out
    }

    /// The regions the region-allowlist SCP allows: `guardrails.allowed_regions`, else the
    /// approved Bedrock regions.
    pub fn scp_allowed_regions(&self) -> &[String] {
        if self.guardrails.allowed_regions.is_empty() {
            &self.bedrock.regions
        } else {
            &self.guardrails.allowed_regions
        }
    }

    /// The organization trail's name: `audit.trail_name`, else `<client>-org-trail`.
    pub fn trail_name(&self) -> String {
        self.audit
            .trail_name
            .clone()
            .unwrap_or_else(|| format!("{}-org-trail", self.client))
    }

    /// The trail bucket's name: `audit.bucket_name`, else `<client>-org-trail-<management id>`.
    pub fn trail_bucket_name(&self) -> String {
        self.audit.bucket_name.clone().unwrap_or_else(|| {
            format!(
                "{}-org-trail-{}",
                self.client, self.organization.management_account_id
            )
        })
    }

    /// The account with this name.
    pub fn account(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    /// The region a Mantle project lands in: its own, else its account's primary region.
    pub fn project_region<'a>(&'a self, project: &'a MantleProject) -> Option<&'a str> {
        match &project.region {
            Some(r) => Some(r),
            None => self
                .account(&project.account)
                .map(|a| self.primary_region(a)),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_platform_owner() -> String {
    "Platform team".to_owned()
}

fn default_security_owner() -> String {
    "Security team".to_owned()
}

fn default_finance_owner() -> String {
    "FinOps".to_owned()
}

fn default_developer_owner() -> String {
    "Pilot developers".to_owned()
}

fn default_home_region() -> String {
    "us-east-1".to_owned()
}

/// CloudFormation's default quota of stack sets per administrator account.
pub const DEFAULT_STACK_SET_QUOTA: usize = 1_000;

fn default_stack_set_quota() -> usize {
    DEFAULT_STACK_SET_QUOTA
}

fn default_session_duration() -> String {
    "PT4H".to_owned()
}

fn default_privileged_role() -> String {
    "OrganizationAccountAccessRole".to_owned()
}

fn default_scp_characters() -> usize {
    10_240
}

fn default_scps_per_target() -> usize {
    10
}

fn default_anomaly_threshold() -> f64 {
    100.0
}

fn default_endpoints() -> Vec<EndpointService> {
    vec![
        EndpointService::Bedrock,
        EndpointService::BedrockRuntime,
        EndpointService::BedrockMantle,
    ]
}

/// The alert thresholds the pilot guidance asks for: 50, 80 and 100 % of actual spend and 100 %
/// of forecasted spend.
pub fn default_thresholds() -> Vec<Threshold> {
    let t = |percent, kind| Threshold { percent, kind };
    vec![
        t(50.0, ThresholdKind::Actual),
        t(80.0, ThresholdKind::Actual),
        t(100.0, ThresholdKind::Actual),
        t(100.0, ThresholdKind::Forecasted),
    ]
}

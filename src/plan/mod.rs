//! The target-neutral plan: every resource of the landing zone, with stable names, typed
//! references and a placement (which account and region it lives in).
//!
//! The planner ([`build`]) makes every decision about *what* is deployed: policy contents, names,
//! thresholds, which unit a resource belongs to, from the resolved blueprint (`crate::resolve`),
//! whose references, defaults, SCP packing and Bedrock access it takes as they are. Emitters only
//! lower the plan into their syntax.
//! Resources are grouped into [`Unit`]s, one per placement: a unit becomes one CloudFormation
//! stack (member units deploy through StackSets) and one Terraform root module.
//!
//! The plan is deliberately not `Serialize`: each emitter owns its output types, so a change to the
//! plan's shape cannot silently change an output format.

pub mod audit;
mod build;
mod context;
pub(crate) mod cost;
mod guardrails;
pub mod identity;
pub mod members;
mod network;
pub mod organization;
mod settings;
mod shape;
pub mod state;

/// Policy documents and values are the plan's vocabulary, defined outside it so that the
/// resolved blueprint can hold the documents the planner places.
pub use crate::{policy, value};

use std::collections::{BTreeMap, HashSet};

pub use build::{build, ACCOUNT_ACCESS_ROLE};
use policy::PolicyDocument;
pub use settings::*;
#[cfg(test)]
pub use shape::shapes;
pub use shape::Shape;
use value::{Name, Value};

/// The whole landing zone of one client.
#[derive(Debug)]
pub struct Plan {
    pub client: String,
    /// The client's display name, for descriptions.
    pub display_name: String,
    pub catalog_version: u32,
    pub units: Vec<Unit>,
    /// The member units grouped by the template they share.
    pub shapes: Vec<Shape>,
    /// Tags every taggable resource carries.
    pub tags: BTreeMap<String, String>,
    /// The Terraform state backend of every root module, when the blueprint declares one.
    pub backend: Option<state::S3State>,
}

/// Which account a unit deploys into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The management account, deployed directly.
    Management,
    /// A member account, deployed from the management unit (a StackSet in CloudFormation, a role
    /// assumed by an aliased provider in Terraform).
    Member(Member),
}

/// How a member unit is reached from the management unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Blueprint name of the account.
    pub account: String,
    /// The account id, in the management unit's terms (a literal, or a reference to the account
    /// the management unit creates).
    pub account_id: Value,
    /// The OU the account is in, in the management unit's terms (StackSets target OUs).
    pub ou_id: Value,
    /// The literal id, when the account already exists.
    pub known_id: Option<String>,
    /// The role the management account assumes to deploy (Terraform).
    pub role_name: String,
}

/// One deployable unit: a stack, a root module.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable name, used for file names and stack names (`management`, `acme-pilot-us-east-1`).
    pub name: String,
    pub description: String,
    pub target: Target,
    pub region: String,
    pub inputs: Vec<Input>,
    /// Empty in a member unit that is not the first of its [`Shape`], like `outputs`: its
    /// resources and outputs are that first unit's, with its own input values.
    pub resources: Vec<Resource>,
    pub outputs: Vec<Output>,
}

/// A unit input: a CloudFormation parameter or a Terraform variable.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: Name,
    pub description: String,
    pub ty: InputType,
    /// A value the blueprint already knows; inputs without one must be supplied at deploy time.
    /// In a member unit, the account's own value: member units of one [`Shape`] share their
    /// template and differ only in these (a StackSet instance's parameter overrides, a module
    /// call's arguments).
    pub default: Option<String>,
    /// In Terraform, a lookup that can fill the input instead (an Identity Center principal by
    /// name).
    pub lookup: Option<Lookup>,
    /// The output of an earlier unit that supplies the value, when one does.
    pub source: Option<InputSource>,
}

/// What an input holds. A list is given as one comma-separated text where a value is written
/// out (a StackSet's parameter overrides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    Text,
    Number,
    TextList,
}

/// Where an input's value comes from: an output of an earlier unit.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSource {
    pub unit: String,
    pub output: Name,
}

/// A Terraform data-source lookup for an input that CloudFormation cannot look up.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Group {
        identity_store_id: String,
        display_name: String,
    },
    User {
        identity_store_id: String,
        user_name: String,
    },
}

/// A value a unit exports for operators and later units.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: Name,
    pub description: String,
    pub value: Value,
}

/// One resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub name: Name,
    pub kind: Kind,
    /// Ordering that references do not already imply.
    pub depends_on: Vec<Name>,
    /// Scanner checks that do not apply, with reasons.
    pub waivers: Vec<Waiver>,
}

/// What a resource is, with its properties. Values that may refer to other resources are
/// [`Value`]s; everything else is plain data.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    OrganizationalUnit {
        name: String,
        parent: Value,
    },
    Account {
        name: String,
        email: String,
        parent: Value,
        /// The role Organizations creates in the new account, trusted by the management
        /// account: the blueprint's `guardrails.privileged_role`, so that the role Terraform
        /// member modules assume and the guardrails exempt exists there. `None` when that is
        /// AWS's default, `OrganizationAccountAccessRole` (CreateAccount's RoleName,
        /// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html),
        /// which keeps the output of such blueprints as it was.
        role_name: Option<String>,
        /// Set when the account exists and is taken over only to move it into `parent`: the
        /// SCPs of that OU and the StackSets targeting it (an intersection of the OU and the
        /// account) reach it only once it is there. Emitters import it rather than create it.
        adopted: Option<Adoption>,
        /// Whether deleting the resource closes the account (Terraform; CloudFormation's
        /// retained account is only left in the organization).
        close_on_deletion: bool,
    },
    ServiceControlPolicy {
        name: String,
        description: String,
        document: PolicyDocument,
        targets: Vec<Value>,
        policy_type: PolicyType,
    },
    PermissionSet(PermissionSet),
    Assignment(Assignment),
    KmsKey(KmsKey),
    KmsAlias {
        name: String,
        key: Value,
    },
    Bucket(Bucket),
    BucketPolicy {
        bucket: Value,
        document: PolicyDocument,
    },
    Trail(Trail),
    SnsTopic {
        name: String,
        kms_key: Value,
    },
    SnsTopicPolicy {
        topic: Value,
        document: PolicyDocument,
    },
    SnsEmailSubscription {
        topic: Value,
        email: String,
    },
    Budget(Budget),
    /// A CUSTOM monitor of these linked accounts; each target writes its expression with
    /// `cost::linked_accounts_expression`, in the form its tool compares.
    AnomalyMonitor {
        name: String,
        accounts: Vec<Value>,
        monitor_type: MonitorType,
    },
    /// One subscription for every monitor (see `cost`).
    AnomalySubscription(AnomalySubscription),
    SecurityGroup(SecurityGroup),
    /// A VPC tarmac creates for a network of a new account.
    Vpc {
        cidr: Value,
        dns_support: bool,
        dns_hostnames: bool,
    },
    /// A subnet of a VPC tarmac creates, in one Availability Zone given by AZ ID.
    Subnet {
        vpc_id: Value,
        cidr: Value,
        availability_zone_id: Value,
    },
    VpcEndpoint(VpcEndpoint),
    MantleProject {
        name: String,
    },
}

/// The fields of [`Kind::PermissionSet`].
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionSet {
    pub name: String,
    pub description: String,
    pub instance_arn: String,
    pub session_duration: String,
    pub managed_policies: Vec<String>,
    pub inline_policy: Option<PolicyDocument>,
}

/// The fields of [`Kind::Assignment`].
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub instance_arn: String,
    pub permission_set: Value,
    pub principal_type: PrincipalType,
    pub principal_id: Value,
    pub account_id: Value,
    pub target_type: AssignmentTarget,
}

/// The fields of [`Kind::KmsKey`].
#[derive(Debug, Clone, PartialEq)]
pub struct KmsKey {
    pub description: String,
    pub policy: PolicyDocument,
    pub settings: KeySettings,
}

/// The fields of [`Kind::Trail`].
#[derive(Debug, Clone, PartialEq)]
pub struct Trail {
    pub name: String,
    pub bucket: Value,
    pub kms_key: Value,
    pub settings: TrailSettings,
}

/// The fields of [`Kind::AnomalySubscription`].
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalySubscription {
    pub name: String,
    pub monitors: Vec<Value>,
    pub frequency: String,
    pub threshold_usd: f64,
    /// What the threshold measures, and how an anomaly's value is compared with it.
    pub threshold_dimension: AnomalyDimension,
    pub threshold_comparison: Comparison,
    pub emails: Vec<String>,
}

/// The fields of [`Kind::SecurityGroup`].
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    pub name: String,
    pub description: String,
    pub vpc_id: Value,
    pub rules: Vec<SecurityGroupRule>,
}

/// The fields of [`Kind::VpcEndpoint`].
#[derive(Debug, Clone, PartialEq)]
pub struct VpcEndpoint {
    pub service_name: String,
    pub vpc_id: Value,
    pub subnet_ids: SubnetIds,
    pub security_group: Value,
    pub private_dns: bool,
    pub policy: PolicyDocument,
    pub endpoint_type: EndpointType,
}

/// An existing account the management unit adopts (imports) to move it into its OU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// The account's id: what both targets import it by.
    pub id: String,
    /// Where it is before the move (`accounts[].current_parent`): CloudFormation imports it
    /// with this parent, so that its next update is the move.
    pub from: String,
}

/// The subnets of an interface endpoint: a text-list input naming existing subnets, or the
/// subnets the unit creates, one value each.
#[derive(Debug, Clone, PartialEq)]
pub enum SubnetIds {
    Input(Value),
    Each(Vec<Value>),
}

/// An S3 bucket with everything CloudFormation keeps on the bucket and Terraform splits out.
/// Every bucket is TLS-only through its policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub name: Value,
    /// SSE-KMS with this key; SSE-S3 when None, the only default encryption a bucket receiving
    /// S3 server access logs may have.
    pub kms_key: Option<Value>,
    pub expire_after_days: Option<u32>,
    /// Where S3 server access logs of this bucket go.
    pub access_logs: Option<AccessLogs>,
    /// Whether object events go to Amazon EventBridge (for detection rules on the audit record).
    pub eventbridge: bool,
    pub settings: BucketSettings,
}

/// The destination of a bucket's server access logs.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessLogs {
    pub bucket: Value,
    pub prefix: String,
}

/// A scanner check that deliberately does not apply to a resource, with the reason. Emitters
/// write it into the template next to the resource, where reviewers and the scanner see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The checkov check id, such as `CKV_AWS_18`.
    pub check: &'static str,
    pub reason: String,
}

/// A budget with its notifications.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub name: String,
    /// In USD: a number input of the member unit.
    pub amount: Value,
    /// The part of the cost it counts, when not all of it.
    pub cost_filter: Option<CostFilter>,
    pub budget_type: BudgetType,
    pub time_unit: TimeUnit,
    /// The currency of `amount`.
    pub currency: Currency,
    pub notifications: Vec<Notification>,
    pub topic: Value,
}

/// A budget notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub percent: f64,
    pub notification_type: NotificationType,
    pub comparison: Comparison,
    pub threshold_type: ThresholdType,
}

/// USER or GROUP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalType {
    User,
    Group,
}

/// Ingress or egress, one protocol on one port, to or from a CIDR.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroupRule {
    pub ingress: bool,
    pub protocol: IpProtocol,
    pub port: u16,
    pub cidr: Value,
    pub description: String,
}

impl Kind {
    /// Whether deleting the resource would lose something that must outlive the landing zone's
    /// code: audit logs and the keys that decrypt them, and member accounts themselves. Emitters
    /// keep such resources when a stack is deleted or a resource replaced.
    pub fn retained(&self) -> bool {
        matches!(
            self,
            Kind::Account { .. } | Kind::Bucket(_) | Kind::KmsKey { .. }
        )
    }

    /// Every value the resource holds.
    pub fn values(&self) -> Vec<&Value> {
        let mut out: Vec<&Value> = Vec::new();
        match self {
            Kind::OrganizationalUnit { parent, .. } | Kind::Account { parent, .. } => {
                out.push(parent)
            }
            Kind::ServiceControlPolicy {
                document, targets, ..
            } => {
                out.extend(document.values());
                out.extend(targets);
            }
            Kind::PermissionSet(PermissionSet { inline_policy, .. }) => {
                if let Some(p) = inline_policy {
                    out.extend(p.values());
                }
            }
            Kind::Assignment(Assignment {
                permission_set,
                principal_id,
                account_id,
                ..
            }) => out.extend([permission_set, principal_id, account_id]),
            Kind::KmsKey(KmsKey { policy, .. }) => out.extend(policy.values()),
            Kind::KmsAlias { key, .. } => out.push(key),
            Kind::Bucket(b) => {
                out.push(&b.name);
                out.extend(&b.kms_key);
                out.extend(b.access_logs.as_ref().map(|a| &a.bucket));
            }
            Kind::BucketPolicy { bucket, document } => {
                out.push(bucket);
                out.extend(document.values());
            }
            Kind::Trail(Trail {
                bucket, kms_key, ..
            }) => out.extend([bucket, kms_key]),
            Kind::SnsTopic { kms_key, .. } => out.push(kms_key),
            Kind::SnsTopicPolicy { topic, document } => {
                out.push(topic);
                out.extend(document.values());
            }
            Kind::SnsEmailSubscription { topic, .. } => out.push(topic),
            Kind::Budget(b) => out.extend([&b.amount, &b.topic]),
            Kind::AnomalyMonitor { accounts, .. } => out.extend(accounts),
            Kind::MantleProject { .. } => {}
            Kind::SecurityGroup(SecurityGroup { vpc_id, rules, .. }) => {
                out.push(vpc_id);
                out.extend(rules.iter().map(|r| &r.cidr));
            }
            Kind::AnomalySubscription(AnomalySubscription { monitors, .. }) => out.extend(monitors),
            Kind::Vpc { cidr, .. } => out.push(cidr),
            Kind::Subnet {
                vpc_id,
                cidr,
                availability_zone_id,
            } => out.extend([vpc_id, cidr, availability_zone_id]),
            Kind::VpcEndpoint(VpcEndpoint {
                vpc_id,
                subnet_ids,
                security_group,
                policy,
                ..
            }) => {
                out.extend([vpc_id, security_group]);
                match subnet_ids {
                    SubnetIds::Input(v) => out.push(v),
                    SubnetIds::Each(each) => out.extend(each),
                }
                out.extend(policy.values());
            }
        }
        out
    }
}

impl Unit {
    /// [`Plan::verify`] for one unit. References must name a resource of the unit exactly; names
    /// must also differ once joined in PascalCase (`a 1` and `a1` would both be `A1`).
    fn verify(&self) -> Result<(), String> {
        let mut names = HashSet::with_capacity(self.resources.len());
        let mut logical_ids = HashSet::with_capacity(self.resources.len());
        for r in &self.resources {
            if !names.insert(&r.name) || !logical_ids.insert(r.name.pascal()) {
                return Err(format!("{}: duplicate resource name {}", self.name, r.name));
            }
        }
        // Inputs and outputs are keys of their templates' objects too, in both cases.
        let mut keys = HashSet::new();
        for name in self.inputs.iter().map(|i| &i.name) {
            if !keys.insert(name.pascal()) {
                return Err(format!("{}: duplicate input {name}", self.name));
            }
        }
        keys.clear();
        for name in self.outputs.iter().map(|o| &o.name) {
            if !keys.insert(name.pascal()) {
                return Err(format!("{}: duplicate output {name}", self.name));
            }
        }
        let inputs: HashSet<String> = self.inputs.iter().map(|i| i.name.snake()).collect();
        let values = self
            .resources
            .iter()
            .flat_map(|r| r.kind.values())
            .chain(self.outputs.iter().map(|o| &o.value));
        for value in values {
            for r in value.refs() {
                if !names.contains(&r.resource) {
                    return Err(format!(
                        "{}: reference to unknown resource {}",
                        self.name, r.resource
                    ));
                }
            }
            for i in value.inputs() {
                if !inputs.contains(i) {
                    return Err(format!("{}: unknown input {i}", self.name));
                }
            }
        }
        for r in &self.resources {
            for d in &r.depends_on {
                if !names.contains(d) {
                    return Err(format!("{}: {} depends on unknown {d}", self.name, r.name));
                }
            }
        }
        Ok(())
    }
}

impl Plan {
    /// Checks the plan's own invariants: names unique per unit, every reference and input
    /// resolving inside its unit, dependencies pointing at existing resources. A failure is a bug
    /// in the planner, never in the blueprint, so it is reported as such.
    pub fn verify(&self) -> Result<(), String> {
        let mut unit_names = HashSet::new();
        for unit in &self.units {
            if !unit_names.insert(&unit.name) {
                return Err(format!("duplicate unit {}", unit.name));
            }
        }
        // Units are checked independently, in parallel: the first error in unit order is reported.
        crate::parallel::map(&self.units, Unit::verify)
            .into_iter()
            .collect()
    }

    /// The management unit in the management home region.
    pub fn management(&self) -> &Unit {
        self.units
            .iter()
            .find(|u| u.target == Target::Management)
            .expect("a plan always has a management unit")
    }
}

#[cfg(test)]
mod tests {
    use super::value::{Attr, Name, Value};
    use super::*;

    /// The plan of a shipped blueprint, embedded rather than read: only `cli/` reads files.
    fn initech() -> Plan {
        let text = include_str!("../../blueprints/initech-ai-platform.yaml");
        let file = crate::diagnostics::SourceFile::new("initech-ai-platform.yaml", text);
        let blueprint = crate::blueprint::load::load(&file).unwrap();
        let catalog = crate::catalog::Catalog::get();
        build(
            &crate::resolve::resolve(&blueprint, catalog).unwrap(),
            catalog,
        )
    }

    /// The last member unit, with a resource whose name or references the test then breaks.
    fn broken(edit: impl FnOnce(&mut Unit)) -> String {
        let mut plan = initech();
        assert_eq!(plan.verify(), Ok(()));
        edit(plan.units.last_mut().unwrap());
        plan.verify().unwrap_err()
    }

    #[test]
    fn verify_finds_what_the_planner_must_never_build() {
        let err = broken(|u| {
            let r = u.resources[0].clone();
            u.resources.push(r);
        });
        assert!(err.contains("duplicate resource name"), "{err}");
        // Distinct names that are one logical id in CloudFormation.
        let err = broken(|u| {
            let mut a = u.resources[0].clone();
            a.name = Name::new(&["a", "1"]);
            let mut b = a.clone();
            b.name = Name::new(&["a1"]);
            u.resources.extend([a, b]);
        });
        assert!(err.contains("duplicate resource name"), "{err}");
        let err = broken(|u| {
            let r = Value::reference(&Name::new(&["nowhere"]), Attr::Arn);
            u.outputs.push(Output {
                name: Name::new(&["dangling"]),
                description: String::new(),
                value: r,
            });
        });
        assert!(
            err.contains("reference to unknown resource nowhere"),
            "{err}"
        );
        let err = broken(|u| u.resources[0].depends_on.push(Name::new(&["ghost"])));
        assert!(err.contains("depends on unknown ghost"), "{err}");
        let err = broken(|u| {
            u.outputs.push(Output {
                name: Name::new(&["reads_input"]),
                description: String::new(),
                value: Value::Input(String::from("no_such_input")),
            })
        });
        assert!(err.contains("unknown input no_such_input"), "{err}");
        let err = broken(|u| {
            let output = Output {
                name: Name::new(&["twice"]),
                description: String::new(),
                value: Value::lit("x"),
            };
            u.outputs.extend([output.clone(), output]);
        });
        assert!(err.contains("duplicate output"), "{err}");
    }
}

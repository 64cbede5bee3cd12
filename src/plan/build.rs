//! The planner's frame: a context of resolved names, and the units resources are placed into.

use std::collections::{BTreeMap, HashMap};

use super::value::{Attr, Name, Value};
use super::{audit, cost, guardrails, identity, members, organization};
use super::{Input, Kind, Member, Output, Plan, Resource, Target, Unit, Waiver};
use crate::blueprint::{Account, Blueprint};
use crate::catalog::Catalog;

/// The role AWS Organizations creates in every account it creates, trusted by the management
/// account, unless the account is created with another name (`guardrails.privileged_role`).
pub const ACCOUNT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// Builds the plan of a blueprint that passed the checks.
pub fn build(bp: &Blueprint, catalog: &Catalog) -> Plan {
    let mut cx = Context {
        bp,
        catalog,
        ou_ids: BTreeMap::new(),
        account_ids: BTreeMap::new(),
        accounts: bp.accounts.iter().map(|a| (a.name.as_str(), a)).collect(),
        units: Vec::new(),
        unit_index: HashMap::new(),
    };
    organization::plan(&mut cx);
    guardrails::plan(&mut cx);
    identity::plan(&mut cx);
    audit::plan(&mut cx);
    cost::plan(&mut cx);
    // Last: member units follow every management unit, in the order they are made.
    let shapes = members::plan(&mut cx);
    let units = cx.units;
    Plan {
        client: bp.client.clone(),
        display_name: bp.display_name.clone().unwrap_or_else(|| bp.client.clone()),
        catalog_version: catalog.version,
        shapes,
        units,
        tags: bp.tags.clone(),
        backend: super::state::plan(bp),
    }
}

/// What every planning step can see and add to.
pub(super) struct Context<'a> {
    pub bp: &'a Blueprint,
    pub catalog: &'a Catalog,
    /// OU ids by blueprint name, in the management unit's terms.
    pub ou_ids: BTreeMap<String, Value>,
    /// Account ids by blueprint name, in the management unit's terms.
    pub account_ids: BTreeMap<String, Value>,
    /// The blueprint's accounts by name.
    pub accounts: HashMap<&'a str, &'a Account>,
    units: Vec<Unit>,
    /// Position of each unit in `units` by name: planning stays linear in the blueprint's size.
    unit_index: HashMap<String, usize>,
}

impl Context<'_> {
    /// The management unit in the home region.
    pub fn management(&mut self) -> &mut Unit {
        let region = self.bp.organization.home_region.clone();
        self.management_in(&region)
    }

    /// The management unit in a region (Cost Explorer resources live in us-east-1 only).
    pub fn management_in(&mut self, region: &str) -> &mut Unit {
        let home = region == self.bp.organization.home_region;
        let name = if home {
            String::from("management")
        } else {
            format!("management-{region}")
        };
        let description = format!(
            "{} pilot landing zone: management account ({region})",
            self.client_name()
        );
        let at = self.unit(name, description, Target::Management, region);
        &mut self.units[at]
    }

    /// A management-account unit that deploys apart from the management unit of its region,
    /// named `name` and described as `what` (Identity Center's, see `identity`).
    pub fn management_unit(&mut self, name: &str, what: &str, region: &str) -> &mut Unit {
        let description = format!(
            "{} pilot landing zone: {what} ({region})",
            self.client_name()
        );
        let at = self.unit(name.to_owned(), description, Target::Management, region);
        &mut self.units[at]
    }

    /// Adds the unit of a member account in a region, holding what `part` planned, and returns
    /// its index in the units.
    pub fn add_member(&mut self, account: &str, region: &str, part: Unit) -> usize {
        let name = format!("{account}-{region}");
        let acct = self.accounts[account];
        // An adopted account is read from its resource, so that its StackSet instance (an
        // intersection of the OU and the account) is created after the move, never before.
        let account_id = match super::organization::moves(self.bp, acct) {
            Some(_) => Value::reference(&Name::new(&["account", account]), Attr::AccountId),
            None => self.account_ids[account].clone(),
        };
        let member = Member {
            account: account.to_owned(),
            account_id,
            ou_id: self.ou_ids[&acct.ou].clone(),
            known_id: acct.id.clone(),
            // Terraform reaches the account through the break-glass role: created under that
            // name in accounts tarmac creates (`organization`), and the role an invited
            // account must have (README.md, "Deploying").
            role_name: self.bp.guardrails.privileged_role.clone(),
        };
        let description = format!(
            "{} pilot landing zone: account {account} ({region})",
            self.client_name()
        );
        let at = self.unit(name, description, Target::Member(member), region);
        self.units[at].append(part);
        at
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn units_mut(&mut self) -> &mut [Unit] {
        &mut self.units
    }

    fn unit(&mut self, name: String, description: String, target: Target, region: &str) -> usize {
        match self.unit_index.get(&name) {
            Some(&i) => i,
            None => {
                self.unit_index.insert(name.clone(), self.units.len());
                self.units.push(Unit {
                    name,
                    description,
                    target,
                    region: region.to_owned(),
                    inputs: Vec::new(),
                    resources: Vec::new(),
                    outputs: Vec::new(),
                });
                self.units.len() - 1
            }
        }
    }

    fn client_name(&self) -> &str {
        self.bp.display_name.as_deref().unwrap_or(&self.bp.client)
    }
}

impl Unit {
    /// A unit to plan part of another in, on another thread (see `members`): only its
    /// resources, inputs and outputs are used.
    pub(super) fn part() -> Unit {
        Unit {
            name: String::new(),
            description: String::new(),
            target: Target::Management,
            region: String::new(),
            inputs: Vec::new(),
            resources: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// Appends what `part` planned, declaring its inputs as [`Unit::input`] does (once).
    fn append(&mut self, part: Unit) {
        self.resources.extend(part.resources);
        for input in part.inputs {
            self.input(input);
        }
        self.outputs.extend(part.outputs);
    }

    /// Adds a resource and returns its name, for references.
    pub fn add(&mut self, name: Name, kind: Kind) -> Name {
        self.add_after(name, kind, Vec::new())
    }

    /// Adds a resource that must wait for others beyond what its references imply.
    pub fn add_after(&mut self, name: Name, kind: Kind, depends_on: Vec<Name>) -> Name {
        self.resources.push(Resource {
            name: name.clone(),
            kind,
            depends_on,
            waivers: Vec::new(),
        });
        name
    }

    /// Records that a scanner check deliberately does not apply to a resource, and why.
    pub fn waive(&mut self, name: &Name, check: &'static str, reason: impl Into<String>) {
        let r = self
            .resources
            .iter_mut()
            .find(|r| &r.name == name)
            .expect("waivers name planned resources");
        r.waivers.push(Waiver {
            check,
            reason: reason.into(),
        });
    }

    /// Declares an input once and returns a value reading it.
    pub fn input(&mut self, input: Input) -> Value {
        let key = input.name.snake();
        if !self.inputs.iter().any(|i| i.name == input.name) {
            self.inputs.push(input);
        }
        Value::Input(key)
    }

    pub fn output(&mut self, name: Name, description: impl Into<String>, value: Value) {
        self.outputs.push(Output {
            name,
            description: description.into(),
            value,
        });
    }
}

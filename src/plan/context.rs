//! The planner's frame: the resolved blueprint every part reads, the ids it refers to, and the
//! units resources are placed into. The parts import this module and not each other's frame, so
//! that `build` alone knows them all.

use std::collections::HashMap;

use super::value::{Attr, Name, Value};
use super::{Input, Kind, Member, Output, Resource, Target, Unit, Waiver};
use crate::blueprint::{self, Blueprint};
use crate::catalog::Catalog;
use crate::resolve::organization::Account;
use crate::resolve::Resolved;

/// What every planning step can see and add to.
pub(super) struct Context<'a> {
    pub bp: &'a Blueprint,
    pub r: &'a Resolved<'a>,
    pub catalog: &'a Catalog,
    units: Vec<Unit>,
    /// Position of each unit in `units` by name: planning stays linear in the blueprint's size.
    unit_index: HashMap<String, usize>,
}

impl<'a> Context<'a> {
    pub fn new(r: &'a Resolved<'a>, catalog: &'a Catalog) -> Context<'a> {
        Context {
            bp: r.blueprint,
            r,
            catalog,
            units: Vec::new(),
            unit_index: HashMap::new(),
        }
    }

    /// The units planned, in the order they were made.
    pub fn into_units(self) -> Vec<Unit> {
        self.units
    }

    /// An OU's id in the management unit's terms: literal when it exists, else the id of the
    /// OU the management unit creates.
    pub fn ou_id(ou: &blueprint::OrganizationalUnit) -> Value {
        match &ou.id {
            Some(id) => Value::lit(id),
            None => Value::reference(&Name::new(&["ou", &ou.name]), Attr::Id),
        }
    }

    /// An account's id in the management unit's terms: literal when the account exists
    /// (adopted ones too: their id is known), else the id of the account it creates.
    pub fn account_id(account: &blueprint::Account) -> Value {
        match &account.id {
            Some(id) => Value::lit(id),
            None => Value::reference(&Name::new(&["account", &account.name]), Attr::AccountId),
        }
    }

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
    pub fn add_member(&mut self, acct: &Account, region: &str, part: Unit) -> usize {
        let account = acct.account.name.as_str();
        let name = format!("{account}-{region}");
        // An adopted account is read from its resource, so that its StackSet instance (an
        // intersection of the OU and the account) is created after the move, never before.
        let account_id = match acct.moves_from {
            Some(_) => Value::reference(&Name::new(&["account", account]), Attr::AccountId),
            None => Self::account_id(acct.account),
        };
        let member = Member {
            account: account.to_owned(),
            account_id,
            ou_id: Self::ou_id(acct.ou),
            known_id: acct.account.id.clone(),
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

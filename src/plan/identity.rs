//! Identity Center permission sets and their assignments to groups and users in accounts.

use super::context::Context;
use super::value::{Attr, Name, Value};
use super::{
    AssignmentTarget, Input, InputSource, InputType, Kind, Lookup, PrincipalType, Target, Unit,
};
use crate::blueprint;
use crate::naming::{principal_input, principal_part};
use crate::resolve::identity::Principal;

/// The unit of the Identity Center resources when the instance is not in the home region.
/// Identity Center is regional: permission sets, assignments and identity-store look-ups are
/// calls to the instance's region, and fail anywhere else (`GetGroupId … not found`), so
/// they cannot stay in the home management unit. A unit of their own, not the management unit
/// of that region, because that one may be Cost Explorer's (us-east-1) with its own root
/// module in Terraform, while these deploy from the management module (see
/// [`Unit::terraform_alias`]).
pub const UNIT: &str = "identity-center";

/// The alias of the provider that reaches the Identity Center region from the Terraform
/// management module (`provider = "aws.identity_center"`).
pub const PROVIDER_ALIAS: &str = "identity_center";

impl Unit {
    /// The provider alias through which Terraform deploys this unit from the home management
    /// root module instead of a root module of its own: Identity Center's unit. One module
    /// keeps the assignments next to the accounts they name (direct references, no variables
    /// to feed by hand, one apply) and keeps every address where it is whatever the region:
    /// a resource's address does not contain its provider. CloudFormation cannot do the same
    /// (a stack has one region), so there the unit is a stack of its own.
    pub fn terraform_alias(&self) -> Option<&'static str> {
        (self.name == UNIT && self.target == Target::Management).then_some(PROVIDER_ALIAS)
    }
}

/// The unit the Identity Center resources go to: the home management unit when the instance
/// is in the home region (the output of such blueprints is what it always was), else
/// [`UNIT`], in the instance's region.
fn unit<'a>(cx: &'a mut Context) -> &'a mut Unit {
    let bp = cx.bp;
    if bp.identity_center.region == bp.organization.home_region {
        cx.management()
    } else {
        cx.management_unit(UNIT, "IAM Identity Center", &bp.identity_center.region)
    }
}

/// An account's id in the Identity Center unit: the value the management unit knows when the
/// unit is the management unit or the id is literal; else an input filled from the management
/// unit's output of the id (`Fn::ImportValue` does not cross regions).
fn account_id(cx: &mut Context, account: &blueprint::Account) -> Value {
    let id = Context::account_id(account);
    let account = &account.name;
    let bp = cx.bp;
    let home = bp.identity_center.region == bp.organization.home_region;
    if home || matches!(id, Value::Lit(_)) {
        return id;
    }
    let name = Name::new(&["account_id", account]);
    unit(cx).input(Input {
        name: name.clone(),
        description: format!("Id of account {account}"),
        ty: InputType::Text,
        default: None,
        lookup: None,
        source: Some(InputSource {
            unit: String::from("management"),
            output: name,
        }),
    })
}

/// The AWS managed policy that grants everything.
pub const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let ic = &bp.identity_center;
    let r = cx.r;
    for resolved in &r.identity.permission_sets {
        let set = resolved.set;
        let name = Name::new(&["permission_set", &set.name]);
        let description = set
            .description
            .clone()
            .unwrap_or_else(|| format!("{} for the {} Bedrock pilot", set.name, bp.client));
        unit(cx).add(
            name.clone(),
            Kind::PermissionSet(super::PermissionSet {
                name: set.name.clone(),
                description,
                instance_arn: ic.instance_arn.clone(),
                session_duration: set.session_duration.clone(),
                managed_policies: set.managed_policies.clone(),
                inline_policy: resolved.inline_policy.clone(),
            }),
        );
        if let Some(why) = &set.admin_justification {
            if set
                .managed_policies
                .iter()
                .any(|p| p == ADMINISTRATOR_ACCESS)
            {
                unit(cx).waive(
                    &name,
                    "CKV_AWS_274",
                    format!("{why} (sessions of {})", set.session_duration),
                );
            }
        }
    }
    for resolved in &r.identity.assignments {
        let a = resolved.assignment;
        let (kind, principal_type, principal) = match resolved.principal {
            Principal::Group(g) => ("group", PrincipalType::Group, g),
            Principal::User(u) => ("user", PrincipalType::User, u),
        };
        let part = principal_part(principal);
        let principal_id = match &a.principal_id {
            Some(id) => Value::lit(id),
            None => unit(cx).input(Input {
                name: principal_input(kind, principal),
                description: format!("Identity-store id of the Identity Center {kind} {principal}"),
                ty: InputType::Text,
                default: None,
                lookup: Some(match principal_type {
                    PrincipalType::Group => Lookup::Group {
                        identity_store_id: ic.identity_store_id.clone(),
                        display_name: principal.to_owned(),
                    },
                    PrincipalType::User => Lookup::User {
                        identity_store_id: ic.identity_store_id.clone(),
                        user_name: principal.to_owned(),
                    },
                }),
                source: None,
            }),
        };
        let set = Name::new(&["permission_set", &a.permission_set]);
        for account in &resolved.accounts {
            let account_id = account_id(cx, account);
            unit(cx).add(
                Name::new(&["assignment", &a.permission_set, kind, &part, &account.name]),
                Kind::Assignment(super::Assignment {
                    instance_arn: ic.instance_arn.clone(),
                    permission_set: Value::reference(&set, Attr::Arn),
                    principal_type,
                    principal_id: principal_id.clone(),
                    account_id,
                    target_type: AssignmentTarget::Account,
                }),
            );
        }
    }
}

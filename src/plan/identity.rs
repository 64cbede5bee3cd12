//! Identity Center permission sets and their assignments to groups and users in accounts.

use super::bedrock::{permission_set_access, Approved};
use super::build::Context;
use super::policy::{Effect, PolicyDocument, Statement};
use super::value::{Attr, Name, Value};
use super::{Input, InputType, Kind, Lookup, PrincipalType};
use crate::blueprint;

/// The AWS managed policy that grants everything.
pub const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let ic = &bp.identity_center;
    let approved = Approved::of(bp, cx.catalog);
    let mut set_arns = std::collections::BTreeMap::new();
    for set in &ic.permission_sets {
        let mut statements = permission_set_access(&approved, set);
        for s in &set.inline_statements {
            let effect = match s.effect {
                blueprint::Effect::Allow => Effect::Allow,
                blueprint::Effect::Deny => Effect::Deny,
            };
            let actions: Vec<&str> = s.actions.iter().map(String::as_str).collect();
            statements.push(Statement::new(
                &s.sid,
                effect,
                &actions,
                s.resources.iter().map(Value::lit).collect(),
            ));
        }
        let name = Name::new(&["permission_set", &set.name]);
        let description = set
            .description
            .clone()
            .unwrap_or_else(|| format!("{} for the {} Bedrock pilot", set.name, bp.client));
        cx.management().add(
            name.clone(),
            Kind::PermissionSet {
                name: set.name.clone(),
                description,
                instance_arn: ic.instance_arn.clone(),
                session_duration: set.session_duration.clone(),
                managed_policies: set.managed_policies.clone(),
                inline_policy: (!statements.is_empty()).then(|| PolicyDocument::new(statements)),
            },
        );
        if let Some(why) = &set.admin_justification {
            if set
                .managed_policies
                .iter()
                .any(|p| p == ADMINISTRATOR_ACCESS)
            {
                cx.management().waive(
                    &name,
                    "CKV_AWS_274",
                    format!("{why} (sessions of {})", set.session_duration),
                );
            }
        }
        set_arns.insert(set.name.clone(), Value::reference(&name, Attr::Arn));
    }
    for a in &ic.assignments {
        let (kind, principal_type, principal) = match (&a.group, &a.user) {
            (Some(g), _) => ("group", PrincipalType::Group, g),
            (None, Some(u)) => ("user", PrincipalType::User, u),
            (None, None) => unreachable!("checks require a group or a user"),
        };
        let unit = cx.management();
        let principal_id = match &a.principal_id {
            Some(id) => Value::lit(id),
            None => unit.input(Input {
                name: Name::new(&[kind, principal, "id"]),
                description: format!("Identity-store id of the Identity Center {kind} {principal}"),
                ty: InputType::Text,
                default: None,
                lookup: Some(match principal_type {
                    PrincipalType::Group => Lookup::Group {
                        identity_store_id: ic.identity_store_id.clone(),
                        display_name: principal.clone(),
                    },
                    PrincipalType::User => Lookup::User {
                        identity_store_id: ic.identity_store_id.clone(),
                        user_name: principal.clone(),
                    },
                }),
                source: None,
            }),
        };
        for account in &a.accounts {
            let account_id = cx.account_ids[account].clone();
            cx.management().add(
                Name::new(&["assignment", &a.permission_set, kind, principal, account]),
                Kind::Assignment {
                    instance_arn: ic.instance_arn.clone(),
                    permission_set: set_arns[&a.permission_set].clone(),
                    principal_type,
                    principal_id: principal_id.clone(),
                    account_id,
                },
            );
        }
    }
}

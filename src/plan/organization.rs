//! Organizational units and member accounts, created in the management account.

use super::build::Context;
use super::value::{Attr, Name, Value};
use super::Kind;

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let root = Value::lit(&bp.organization.root_id);
    // Existing OUs first: created ones may nest under them.
    for ou in bp.organizational_units.iter().filter(|o| o.id.is_some()) {
        cx.ou_ids.insert(
            ou.name.clone(),
            Value::lit(ou.id.clone().unwrap_or_default()),
        );
    }
    // Parents are created before children whatever the blueprint order: resolve in passes.
    let mut pending: Vec<_> = bp
        .organizational_units
        .iter()
        .filter(|o| o.id.is_none())
        .collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|ou| {
            let parent = match &ou.parent {
                None => root.clone(),
                Some(p) => match cx.ou_ids.get(p) {
                    Some(v) => v.clone(),
                    None => return true,
                },
            };
            let name = Name::new(&["ou", &ou.name]);
            cx.management().add(
                name.clone(),
                Kind::OrganizationalUnit {
                    name: ou.name.clone(),
                    parent,
                },
            );
            cx.ou_ids
                .insert(ou.name.clone(), Value::reference(&name, Attr::Id));
            false
        });
        assert!(
            pending.len() < before,
            "checks rejected OU cycles and unknown parents"
        );
    }
    for account in &bp.accounts {
        let id = match &account.id {
            Some(id) => Value::lit(id),
            None => {
                let name = Name::new(&["account", &account.name]);
                let parent = cx.ou_ids[&account.ou].clone();
                let unit = cx.management();
                unit.add(
                    name.clone(),
                    Kind::Account {
                        name: account.name.clone(),
                        email: account.email.clone(),
                        parent,
                        role_name: Some(bp.guardrails.privileged_role.clone())
                            .filter(|r| r != super::ACCOUNT_ACCESS_ROLE),
                    },
                );
                let id = Value::reference(&name, Attr::AccountId);
                unit.output(
                    Name::new(&["account_id", &account.name]),
                    format!("Id of account {}", account.name),
                    id.clone(),
                );
                id
            }
        };
        cx.account_ids.insert(account.name.clone(), id);
    }
}

//! Organizational units and member accounts, created in the management account.

use super::context::Context;
use super::value::{Attr, Name, Value};
use super::{Adoption, Kind};

pub(super) fn plan(cx: &mut Context) {
    let bp = cx.bp;
    let r = cx.r;
    let org = &r.organization;
    let root = Value::lit(&bp.organization.root_id);
    // Parents before children (resolved so): existing OUs have ids, created ones nest under
    // the root or under an OU that already exists or is created earlier.
    for created in &org.created_ous {
        let parent = created.parent.map_or(root.clone(), Context::ou_id);
        cx.management().add(
            Name::new(&["ou", &created.ou.name]),
            Kind::OrganizationalUnit {
                name: created.ou.name.clone(),
                parent,
            },
        );
    }
    for resolved in &org.accounts {
        let account = resolved.account;
        if account.id.is_some() && resolved.moves_from.is_none() {
            continue;
        }
        let name = Name::new(&["account", &account.name]);
        let parent = Context::ou_id(resolved.ou);
        let adopted = account
            .id
            .clone()
            .zip(resolved.moves_from.clone())
            .map(|(id, from)| Adoption { id, from });
        // Organizations creates the role only in accounts it creates.
        let role_name = Some(bp.guardrails.privileged_role.clone())
            .filter(|r| r != super::ACCOUNT_ACCESS_ROLE && adopted.is_none());
        let unit = cx.management();
        let created = adopted.is_none();
        unit.add(
            name.clone(),
            Kind::Account {
                name: account.name.clone(),
                email: account.email.clone(),
                parent,
                role_name,
                adopted,
                // Removing an account from the landing zone takes it out of the organization;
                // closing it would lose its resources and history, a decision no blueprint
                // change should make.
                close_on_deletion: false,
            },
        );
        // An adopted account's id is known: everything else keeps using it as it is.
        if created {
            unit.output(
                Name::new(&["account_id", &account.name]),
                format!("Id of account {}", account.name),
                Value::reference(&name, Attr::AccountId),
            );
        }
    }
}

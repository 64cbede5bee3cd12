//! Names AWS would reject at deploy time: account emails, OU depth, bucket names; and what must
//! be one of its kind (TM020): names, emails, ids, repeated assignments, names that would become
//! one resource name, the reserved account name.

use std::collections::{BTreeMap, HashMap};

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::naming::Name;

/// AWS Organizations allows five levels of OUs below the root.
pub const MAX_OU_DEPTH: usize = 5;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    for (i, a) in bp.accounts.iter().enumerate() {
        if let Err(why) = email(&a.email) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_EMAIL,
                    Ptr::account(i).field("email").to_string(),
                    format!("`{}` is not a valid account email: {why}", a.email),
                )
                .with_help(
                    "use a shared mailbox such as aws-pilot@example.com (6 to 64 characters)",
                ),
            );
        }
    }
    for (i, e) in bp.budgets.alert_emails.iter().enumerate() {
        if let Err(why) = email(e) {
            out.push(Diagnostic::error(
                codes::INVALID_EMAIL,
                Ptr::item("budgets", "alert_emails", i).to_string(),
                format!("`{e}` is not a valid email: {why}"),
            ));
        }
    }
    let parents: BTreeMap<&str, &str> = bp
        .organizational_units
        .iter()
        .filter_map(|o| o.parent.as_deref().map(|p| (o.name.as_str(), p)))
        .collect();
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        let mut depth = 1;
        let mut at = ou.name.as_str();
        while let Some(p) = parents.get(at) {
            depth += 1;
            at = p;
            if depth > MAX_OU_DEPTH + 1 {
                break; // a cycle, reported by the reference checks
            }
        }
        if depth > MAX_OU_DEPTH && depth <= MAX_OU_DEPTH + 1 {
            out.push(
                Diagnostic::error(
                    codes::OU_TOO_DEEP,
                    Ptr::ou(i).to_string(),
                    format!(
                        "organizational unit `{}` is {depth} levels below the root",
                        ou.name
                    ),
                )
                .at_key()
                .with_help(format!(
                    "AWS Organizations allows at most {MAX_OU_DEPTH} levels of \
                        OUs; attach it higher up"
                )),
            );
        }
    }
    if let Some(name) = &bp.audit.bucket_name {
        if let Err(why) = bucket_name(name) {
            out.push(invalid_bucket_name("/audit/bucket_name", name, why));
        }
    }
    let mut seen = BTreeMap::new();
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        let principal = a.group.as_deref().or(a.user.as_deref()).unwrap_or_default();
        for (j, account) in a.accounts.iter().enumerate() {
            let key = (a.permission_set.as_str(), principal, account.as_str());
            let pointer = Ptr::assignment(i).field("accounts").index(j).to_string();
            if let Some(first) = seen.insert(key, pointer.clone()) {
                out.push(
                    duplicate(
                        pointer,
                        format!(
                            "`{principal}` already gets `{}` in `{account}`",
                            a.permission_set
                        ),
                    )
                    .with_help(format!(
                        "remove the repeat; the first is at {}",
                        crate::blueprint::load::describe(&first)
                    )),
                );
            }
        }
    }
}

/// Names that differ only in case or punctuation: they would become the same CloudFormation
/// logical id (PascalCase, letters and digits) and Terraform label (snake_case).
pub(super) fn collisions(out: &mut Vec<Diagnostic>, what: &str, names: &[(String, String)]) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (pointer, name) in names {
        let key = Name::new(&[name]).pascal();
        match seen.get(key.as_str()) {
            Some(first) if *first != name => out.push(
                duplicate(
                    pointer.clone(),
                    format!(
                        "{what} `{name}` and `{first}` would get the same resource name `{key}`"
                    ),
                )
                .with_help("names must differ in more than case and punctuation; rename one"),
            ),
            _ => {
                seen.insert(key, name);
            }
        }
    }
}

/// Reports every repeat of a name after its first use.
pub(super) fn unique(
    out: &mut Vec<Diagnostic>,
    what: &str,
    items: impl Iterator<Item = (String, String)>,
) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (pointer, name) in items {
        if let Some(first) = seen.get(&name) {
            out.push(
                duplicate(pointer, format!("duplicate {what} `{name}`"))
                    .with_label("used again here")
                    .with_help(format!(
                        "{what}s must be unique; the first one is at {}",
                        crate::blueprint::load::describe(first)
                    )),
            );
        } else {
            seen.insert(name, pointer);
        }
    }
}

/// TM034: a bucket name S3 would refuse: the audit trail's, and the Terraform state's
/// (`checks/backend.rs`).
pub(super) fn invalid_bucket_name(pointer: impl Into<String>, name: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::INVALID_BUCKET_NAME,
        pointer,
        format!("`{name}` is not a valid S3 bucket name: {why}"),
    )
    .with_help(
        "3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and ending \
            with a letter or digit",
    )
}

/// TM020: two things that must be one of their kind.
fn duplicate(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(codes::DUPLICATE_NAME, pointer, message)
}

/// The management account's units are `management` and `management-<region>`; a member's are
/// `<account>-<region>`: an account named `management` would share a unit name (and its stack,
/// module and folder) with the management account's.
pub(super) fn reserved_account_name(pointer: &str) -> Diagnostic {
    duplicate(pointer, "the account name `management` is reserved")
        .with_label("tarmac names the management account's stacks and modules `management`")
        .with_help("rename the account, for example to `management-pilot`")
}

/// A member account whose id is the management account's.
pub(super) fn management_account_as_member(pointer: String) -> Diagnostic {
    duplicate(pointer, "a member account cannot be the management account").with_help(
        "the pilot runs in member accounts; SCPs and StackSets never apply to the management \
            account",
    )
}

/// An email address within AWS's account-email limits (6 to 64 characters,
/// <https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html>), in
/// the shape of the WHATWG "valid email address" (the one browsers check,
/// <https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address>) without its two
/// quote characters `'` and `` ` ``: no quoted local parts, no white space, no control characters.
/// Addresses are written into the rollout kit's scripts; a quote in one has closed a query before.
fn email(e: &str) -> Result<(), &'static str> {
    let (local, domain) = e.split_once('@').ok_or("it has no @")?;
    if !(6..=64).contains(&e.len()) {
        return Err("it must be 6 to 64 characters");
    }
    if local.is_empty() || domain.contains('@') {
        return Err("it needs exactly one @ with a name before it");
    }
    if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains white space or a control character");
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&*+/=?^_{|}~-".contains(*c)))
    {
        return Err(if c == '\'' || c == '`' || c == '"' {
            "quotes are not allowed"
        } else {
            "the part before the @ may hold only ASCII letters, digits and . ! # $ % & * + / = ? ^ \
                _ { | } ~ -"
        });
    }
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    });
    if !domain.contains('.') || !labels_ok {
        return Err("its domain is not a domain name");
    }
    Ok(())
}

/// The S3 general-purpose bucket naming rules.
pub fn bucket_name(n: &str) -> Result<(), &'static str> {
    if !(3..=63).contains(&n.len()) {
        return Err("it must be 3 to 63 characters");
    }
    if !n
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err("only lowercase letters, digits, dots and hyphens are allowed");
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge(n.chars().next()) || !edge(n.chars().last()) {
        return Err("it must start and end with a letter or digit");
    }
    if n.contains("..") || n.contains(".-") || n.contains("-.") {
        return Err("dots may not be adjacent to dots or hyphens");
    }
    if n.split('.').count() == 4 && n.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err("it must not look like an IP address");
    }
    if n.starts_with("xn--")
        || n.starts_with("sthree-")
        || n.ends_with("-s3alias")
        || n.ends_with("--ol-s3")
    {
        return Err("it uses a prefix or suffix S3 reserves");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email("a@b.co").is_ok());
        assert!(email("ab@bco").is_err());
        assert!(email("aws-pilot.example.com").is_err());
        assert!(email(&format!("{}@example.com", "a".repeat(52))).is_ok()); // 64 characters
        assert!(email(&format!("{}@example.com", "a".repeat(53))).is_err()); // 65
        assert!(email("o'brien@example.com").is_err());
        assert!(email("a`b@example.com").is_err());
        assert!(email("\"ab\"@example.com").is_err());
        assert!(email("ab@exa mple.com").is_err());
        assert!(email("ab@example.com\n").is_err());
        assert!(email("ab@-example.com").is_err());
        assert!(email("aws+pilot_1@example.co.uk").is_ok());
    }

    #[test]
    fn bucket_names() {
        assert!(bucket_name("acme-org-trail-111111111111").is_ok());
        assert!(bucket_name(&"a".repeat(63)).is_ok());
        assert!(bucket_name(&"a".repeat(64)).is_err());
        assert!(bucket_name("ab").is_err());
        assert!(bucket_name("Acme").is_err());
        assert!(bucket_name("192.168.1.1").is_err());
        assert!(bucket_name("a..b").is_err());
        assert!(bucket_name("xn--abc").is_err());
    }
}

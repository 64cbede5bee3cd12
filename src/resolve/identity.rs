//! Identity Center resolved: each permission set's Bedrock access decoded once and its inline
//! policy built once (and measured here, against Identity Center's quota: the size is known only
//! once the policy is), and each assignment's permission set, principal and accounts.

use super::bedrock::{permission_set_access, Approved};
use super::organization::Organization;
use crate::blueprint::pointer::Ptr;
use crate::blueprint::{self, BedrockAccess, Blueprint};
use crate::checks::references::{no_single_principal, unknown_reference};
use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, PolicyDocument, Statement};
use crate::value::Value;

/// "Maximum size of non-whitespace characters in the inline policy per permission set is
/// 10,240 bytes" (not adjustable; "AWS IAM Identity Center quotas").
pub const MAX_INLINE_POLICY: usize = 10_240;

/// Which Bedrock endpoints a permission set reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub runtime: bool,
    pub mantle: bool,
}

impl Access {
    pub fn of(access: BedrockAccess) -> Access {
        let (runtime, mantle) = match access {
            BedrockAccess::None => (false, false),
            BedrockAccess::Runtime => (true, false),
            BedrockAccess::Mantle => (false, true),
            BedrockAccess::RuntimeAndMantle => (true, true),
        };
        Access { runtime, mantle }
    }
}

/// A permission set with its access decoded and its inline policy built.
pub struct PermissionSet<'a> {
    pub set: &'a blueprint::PermissionSet,
    pub access: Access,
    /// The Bedrock access it grants, then its own `inline_statements`; `None` when both are
    /// empty.
    pub inline_policy: Option<PolicyDocument>,
}

/// Whom an assignment grants a permission set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    Group(&'a str),
    User(&'a str),
}

/// An assignment with its references resolved.
pub struct Assignment<'a> {
    pub assignment: &'a blueprint::Assignment,
    /// An index into [`Identity::permission_sets`].
    pub permission_set: usize,
    pub principal: Principal<'a>,
    pub accounts: Vec<&'a blueprint::Account>,
}

pub struct Identity<'a> {
    pub permission_sets: Vec<PermissionSet<'a>>,
    pub assignments: Vec<Assignment<'a>>,
}

pub(super) fn resolve<'a>(
    bp: &'a Blueprint,
    approved: &Approved,
    org: &Organization<'a>,
    errors: &mut Vec<Diagnostic>,
) -> Identity<'a> {
    let ic = &bp.identity_center;
    let permission_sets: Vec<PermissionSet> = ic
        .permission_sets
        .iter()
        .enumerate()
        .map(|(p, set)| {
            let access = Access::of(set.bedrock_access);
            let inline_policy = inline_policy(approved, access, set);
            if let Some(error) = inline_policy
                .as_ref()
                .and_then(|doc| oversized(p, set, doc))
            {
                errors.push(error);
            }
            PermissionSet {
                set,
                access,
                inline_policy,
            }
        })
        .collect();
    let mut assignments = Vec::with_capacity(ic.assignments.len());
    for (i, a) in ic.assignments.iter().enumerate() {
        let at = Ptr::assignment(i);
        let set = permission_sets
            .iter()
            .position(|s| s.set.name == a.permission_set);
        let principal = match (&a.group, &a.user) {
            (Some(g), None) => Some(Principal::Group(g)),
            (None, Some(u)) => Some(Principal::User(u)),
            _ => None,
        };
        let mut accounts = Vec::with_capacity(a.accounts.len());
        for (j, name) in a.accounts.iter().enumerate() {
            match org.account(name) {
                Some(a) => accounts.push(a.account),
                None => errors.push(unknown_reference(
                    at.clone().field("accounts").index(j),
                    "account",
                    name,
                )),
            }
        }
        match (set, principal) {
            (Some(permission_set), Some(principal)) => assignments.push(Assignment {
                assignment: a,
                permission_set,
                principal,
                accounts,
            }),
            (None, _) => errors.push(unknown_reference(
                at.field("permission_set"),
                "permission set",
                &a.permission_set,
            )),
            (_, None) => errors.push(no_single_principal(at)),
        }
    }
    Identity {
        permission_sets,
        assignments,
    }
}

/// The inline policy of a permission set: the Bedrock access it is granted, then its own
/// `inline_statements`; `None` when both are empty.
fn inline_policy(
    approved: &Approved,
    access: Access,
    set: &blueprint::PermissionSet,
) -> Option<PolicyDocument> {
    let mut statements = permission_set_access(approved, access, set.short_term_bearer_tokens);
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
    (!statements.is_empty()).then(|| PolicyDocument::new(statements))
}

/// The error of an inline policy over Identity Center's quota (TM065, whose other quotas
/// `checks::identity` measures on the blueprint).
fn oversized(p: usize, set: &blueprint::PermissionSet, doc: &PolicyDocument) -> Option<Diagnostic> {
    let bytes = inline_bytes(doc);
    (bytes > MAX_INLINE_POLICY)
        .then(|| crate::checks::identity::inline_policy_over_quota(p, &set.name, bytes))
}

/// The bytes of a permission set's inline policy as the quota counts them: compact JSON without
/// whitespace. Permission-set policies hold literals only; anything else would be counted by
/// its longest possible form, which no policy built here has.
pub fn inline_bytes(doc: &PolicyDocument) -> usize {
    let mut text = Vec::new();
    doc.lower(&literal).write_compact(&mut text);
    text.iter().filter(|b| !b.is_ascii_whitespace()).count()
}

/// A literal value's JSON; other values (which documents measured here never hold) as empty.
pub(super) fn literal(v: &Value) -> crate::json::Json {
    match v {
        Value::Lit(s) => crate::json::Json::Str(s.clone()),
        _ => crate::json::Json::Str(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::load::load;
    use crate::catalog::Catalog;
    use crate::diagnostics::{Severity, SourceFile};

    /// The generated blueprint of one account whose permission set has `lines` after
    /// `bedrock_access: mantle`.
    fn blueprint(lines: &str) -> Blueprint {
        let text = crate::generate::blueprint(1).replacen(
            "      bedrock_access: mantle\n",
            &format!("      bedrock_access: mantle\n{lines}"),
            1,
        );
        load(&SourceFile::new("t.yaml", text)).expect("loads")
    }

    /// What resolving it refuses.
    fn findings(lines: &str) -> Vec<(Severity, String)> {
        match crate::resolve::resolve(&blueprint(lines), Catalog::get()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|d| (d.severity, d.message))
                .collect(),
        }
    }

    /// One inline statement whose resource ARN makes the policy exactly `bytes` long.
    fn inline_of(bytes: usize) -> String {
        let statement = |arn: &str| {
            format!(
                "      inline_statements:\n        - sid: Pad\n          effect: \
                Allow\n          actions: [s3:GetObject]\n          resources: [\"{arn}\"]\n"
            )
        };
        let base = "arn:aws:s3:::b/";
        let bp = blueprint(&statement(base));
        let resolved = crate::resolve::resolve(&bp, Catalog::get()).expect("resolves");
        let doc = resolved.identity.permission_sets[0]
            .inline_policy
            .as_ref()
            .expect("an inline policy");
        let now = inline_bytes(doc);
        assert!(now < bytes);
        statement(&format!("{base}{}", "k".repeat(bytes - now)))
    }

    #[test]
    fn inline_policies_of_10240_bytes_pass_and_one_more_fails() {
        assert!(findings(&inline_of(MAX_INLINE_POLICY)).is_empty());
        let over = findings(&inline_of(MAX_INLINE_POLICY + 1));
        assert_eq!(over.len(), 1, "{over:?}");
        assert_eq!(over[0].0, Severity::Error);
        assert!(over[0].1.contains("10241 bytes"), "{}", over[0].1);
    }
}

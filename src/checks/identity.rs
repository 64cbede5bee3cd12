//! IAM Identity Center quotas the blueprint can reach, from "AWS IAM Identity Center quotas"
//! (<https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>): permission sets
//! per instance and per account (adjustable: warnings, to raise before deploying) and managed
//! policies per permission set (not adjustable: an error). The size of a set's inline policy,
//! the one quota that needs the built policy, is measured where it is built
//! (`resolve::identity`). Nothing else checks them before Identity Center refuses a permission
//! set or fails to provision it into an account.

use std::collections::{BTreeSet, HashMap};

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::resolve::identity::MAX_INLINE_POLICY;

/// "Number of permission sets allowed in IAM Identity Center: 2000" (adjustable).
pub const MAX_PERMISSION_SETS: usize = 2_000;

/// "Number of provisioned permission sets allowed per AWS account: 250" (adjustable).
pub const MAX_SETS_PER_ACCOUNT: usize = 250;

/// "Number of AWS managed and customer managed policies per permission set: 20" (not
/// adjustable).
pub const MAX_MANAGED_POLICIES: usize = 20;

/// IAM's default quota of managed policies attached to a role, which the role a permission set
/// provisions in each account is (the footnote of the same table; adjustable per account).
pub const ROLE_MANAGED_POLICIES: usize = 10;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let ic = &bp.identity_center;
    if ic.permission_sets.len() > MAX_PERMISSION_SETS {
        out.push(
            Diagnostic::warning(
                codes::IDENTITY_CENTER_QUOTA,
                "/identity_center/permission_sets",
                format!(
                    "{} permission sets, over the {MAX_PERMISSION_SETS} an Identity Center \
                        instance holds by default",
                    ic.permission_sets.len()
                ),
            )
            .at_key()
            .with_label("one permission set each, in the instance")
            .with_help(
                "request an increase of \"Number of permission sets allowed in IAM Identity \
                Center\" (Service Quotas, from the management account) to these plus the \
                    instance's own before deploying",
            ),
        );
    }
    for (p, set) in ic.permission_sets.iter().enumerate() {
        let base = Ptr::permission_set(p);
        let policies = set.managed_policies.len();
        if policies > MAX_MANAGED_POLICIES {
            out.push(
                Diagnostic::error(
                    codes::IDENTITY_CENTER_QUOTA,
                    base.clone().field("managed_policies"),
                    format!(
                        "permission set `{}` attaches {policies} managed policies, over the \
                        {MAX_MANAGED_POLICIES} Identity Center allows",
                        set.name
                    ),
                )
                .at_key()
                .with_label(format!("at most {MAX_MANAGED_POLICIES}"))
                .with_help(
                    "the quota cannot be raised: grant the rest through \
                    `inline_statements`, or split the permission set",
                ),
            );
        } else if policies > ROLE_MANAGED_POLICIES {
            out.push(
                Diagnostic::warning(
                    codes::IDENTITY_CENTER_QUOTA,
                    base.clone().field("managed_policies"),
                    format!(
                        "permission set `{}` attaches {policies} managed policies; the role it \
                        provisions in each account may hold {ROLE_MANAGED_POLICIES} by \
                            default",
                        set.name
                    ),
                )
                .at_key()
                .with_label(format!("{ROLE_MANAGED_POLICIES} by default"))
                .with_help(
                    "raise the IAM quota \"Managed policies attached to an IAM role\" in \
                    every account the set is assigned to, or attach at most 10",
                ),
            );
        }
    }
    // Distinct permission sets per account, in blueprint order of the accounts.
    let mut per_account: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for a in &ic.assignments {
        for account in &a.accounts {
            per_account
                .entry(account)
                .or_default()
                .insert(&a.permission_set);
        }
    }
    if let Some((account, sets)) = bp
        .accounts
        .iter()
        .filter_map(|a| Some((a.name.as_str(), per_account.get(a.name.as_str())?.len())))
        .find(|(_, n)| *n > MAX_SETS_PER_ACCOUNT)
    {
        out.push(
            Diagnostic::warning(
                codes::IDENTITY_CENTER_QUOTA,
                "/identity_center/assignments",
                format!(
                    "account `{account}` is assigned {sets} permission sets, over the \
                    {MAX_SETS_PER_ACCOUNT} Identity Center provisions into one account by default"
                ),
            )
            .at_key()
            .with_label(format!("the assignments of `{account}`"))
            .with_help(
                "request an increase of \"Number of provisioned permission sets allowed per \
                AWS account\" before deploying, or assign fewer sets to the account",
            ),
        );
    }
}

/// TM065 for an inline policy over Identity Center's quota, which resolution measures on the
/// document the permission set gets.
pub(crate) fn inline_policy_over_quota(p: usize, set: &str, bytes: usize) -> Diagnostic {
    Diagnostic::error(
        codes::IDENTITY_CENTER_QUOTA,
        Ptr::permission_set(p),
        format!(
            "the inline policy of permission set `{set}` is {bytes} bytes without whitespace, \
            over the {MAX_INLINE_POLICY} Identity Center allows"
        ),
    )
    .with_label(format!("at most {MAX_INLINE_POLICY} bytes"))
    .with_help(
        "it holds the Bedrock access tarmac grants and the set's `inline_statements`: move \
        statements to a managed policy, or split the permission set",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::load::load;
    use crate::diagnostics::{Severity, SourceFile};

    /// The generated blueprint of 3 accounts with `edit` applied to its single permission set
    /// (its YAML lines after `bedrock_access: mantle`).
    fn findings(lines: &str) -> Vec<(Severity, String)> {
        let text = crate::generate::blueprint(3).replacen(
            "      bedrock_access: mantle\n",
            &format!("      bedrock_access: mantle\n{lines}"),
            1,
        );
        let bp = load(&SourceFile::new("t.yaml", text)).expect("loads");
        let mut out = Vec::new();
        check(&bp, &mut out);
        assert!(out
            .iter()
            .all(|d| d.code.id == codes::IDENTITY_CENTER_QUOTA.id));
        out.into_iter().map(|d| (d.severity, d.message)).collect()
    }

    fn policies(n: usize) -> String {
        let arns: Vec<String> = (0..n)
            .map(|i| format!("arn:aws:iam::aws:policy/Policy{i}"))
            .collect();
        format!("      managed_policies: [{}]\n", arns.join(", "))
    }

    #[test]
    fn managed_policies_warn_past_ten_and_fail_past_twenty() {
        assert!(findings(&policies(10)).is_empty());
        let eleven = findings(&policies(11));
        assert_eq!(eleven.len(), 1);
        assert_eq!(eleven[0].0, Severity::Warning);
        let twenty = findings(&policies(20));
        assert_eq!(twenty[0].0, Severity::Warning);
        let over = findings(&policies(21));
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].0, Severity::Error);
        assert!(over[0].1.contains("21 managed policies"), "{}", over[0].1);
    }

    #[test]
    fn permission_sets_per_instance_and_per_account_warn_past_their_defaults() {
        // `n` more permission sets, each assigned to pilot-00000.
        let sets = |n: usize| {
            let mut text = crate::generate::blueprint(1);
            let mut defs = String::new();
            let mut assignments = String::new();
            for i in 0..n {
                defs.push_str(&format!("    - name: Set{i}\n      bedrock_access: none\n"));
                assignments.push_str(&format!(
                    "    - permission_set: Set{i}\n      group: \
                    pilot-developers\n      principal_id: \
                        11111111-2222-3333-4444-555555555555\n      accounts: [pilot-00000]\n"
                ));
            }
            text = text.replacen(
                "  assignments:\n",
                &format!("{defs}  assignments:\n{assignments}"),
                1,
            );
            let bp = load(&SourceFile::new("t.yaml", text)).expect("loads");
            let mut out = Vec::new();
            check(&bp, &mut out);
            out.into_iter().map(|d| d.message).collect::<Vec<_>>()
        };
        // With the generated CodexBedrockUser: 250 sets in the account, then 251.
        assert!(sets(249).is_empty());
        let over = sets(250);
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(
            over[0].contains("assigned 251 permission sets"),
            "{}",
            over[0]
        );
        let many = sets(2_000);
        assert!(
            many.iter().any(|m| m.starts_with("2001 permission sets")),
            "{many:?}"
        );
    }
}

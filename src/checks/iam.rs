//! What the user's own IAM grants: no long-lived credentials, and no invoke permission wider
//! than the model allowlist.

use crate::blueprint::{Blueprint, Effect, PermissionSet};
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (p, set) in bp.identity_center.permission_sets.iter().enumerate() {
        let base = format!("/identity_center/permission_sets/{p}");
        credentials(set, &base, catalog, out);
        invoke(bp, set, &base, catalog, out);
    }
    if !bp.guardrails.model_allowlist {
        out.push(
            Diagnostic::warning(
                codes::INVOKE_TOO_WIDE,
                "/guardrails/model_allowlist",
                "no SCP backs the model allowlist",
            )
            .with_label("the model-allowlist SCP is off")
            .with_help("remove `model_allowlist: false`: without the SCP, any role in a pilot account that is granted `bedrock:*` can invoke every model"),
        );
    }
}

/// Allow statements that can create IAM users, keys or other long-lived credentials.
fn credentials(set: &PermissionSet, base: &str, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (s, statement) in set.inline_statements.iter().enumerate() {
        if statement.effect != Effect::Allow {
            continue;
        }
        for (a, action) in statement.actions.iter().enumerate() {
            let granted: Vec<&str> = catalog
                .long_lived_credential_actions
                .iter()
                .filter(|c| iam_glob(action, c))
                .map(String::as_str)
                .collect();
            if granted.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::error(
                    codes::LONG_LIVED_CREDENTIALS,
                    format!("{base}/inline_statements/{s}/actions/{a}"),
                    format!("permission set `{}` can create long-lived credentials", set.name),
                )
                .with_label(format!("allows {}", granted.join(", ")))
                .with_help("developers sign in through IAM Identity Center (`aws sso login`); remove this action"),
            );
        }
    }
}

/// Invoke permissions beyond the approved models and regions.
fn invoke(
    bp: &Blueprint,
    set: &PermissionSet,
    base: &str,
    catalog: &Catalog,
    out: &mut Vec<Diagnostic>,
) {
    for (m, policy) in set.managed_policies.iter().enumerate() {
        if catalog.broad_invoke_managed_policies.contains(policy) {
            out.push(
                Diagnostic::error(
                    codes::INVOKE_TOO_WIDE,
                    format!("{base}/managed_policies/{m}"),
                    format!("permission set `{}` may invoke every Bedrock model", set.name),
                )
                .with_label("this managed policy allows invoking any model")
                .with_help("remove it and set `bedrock_access` (runtime, mantle or runtime-and-mantle), which grants only the approved models"),
            );
        }
    }
    for (s, statement) in set.inline_statements.iter().enumerate() {
        if statement.effect != Effect::Allow {
            continue;
        }
        let granted: Vec<&str> = catalog
            .invoke_actions
            .iter()
            .filter(|i| statement.actions.iter().any(|a| iam_glob(a, i)))
            .map(String::as_str)
            .collect();
        let pointer = format!("{base}/inline_statements/{s}");
        if granted.iter().any(|a| a.starts_with("bedrock-mantle:")) {
            out.push(
                Diagnostic::error(
                    codes::INVOKE_TOO_WIDE,
                    format!("{pointer}/actions"),
                    format!("permission set `{}` may invoke every Mantle model", set.name),
                )
                .with_label("Mantle inference without the `bedrock-mantle:Model` condition")
                .with_help("remove the action and set `bedrock_access: mantle`, which conditions inference on the approved Mantle ids"),
            );
        }
        if !granted.iter().any(|a| a.starts_with("bedrock:")) {
            continue;
        }
        for (r, resource) in statement.resources.iter().enumerate() {
            if let Err(why) = approved_model_arn(bp, resource) {
                out.push(
                    Diagnostic::error(
                        codes::INVOKE_TOO_WIDE,
                        format!("{pointer}/resources/{r}"),
                        format!("permission set `{}` may invoke models beyond the allowlist", set.name),
                    )
                    .with_label(why)
                    .with_help("name approved foundation-model ARNs (`arn:aws:bedrock:<region>::foundation-model/<id>`), or set `bedrock_access: runtime` instead"),
                );
            }
        }
    }
}

/// Whether a resource is the foundation-model ARN of an approved Runtime model in an approved
/// region; if not, why.
fn approved_model_arn(bp: &Blueprint, resource: &str) -> Result<(), String> {
    if resource.contains(['*', '?']) {
        return Err(String::from(
            "a wildcard covers models that are not approved",
        ));
    }
    let rest = resource
        .strip_prefix("arn:aws:bedrock:")
        .ok_or_else(|| String::from("not a foundation-model ARN"))?;
    let (region, id) = rest
        .split_once("::foundation-model/")
        .ok_or_else(|| String::from("not a foundation-model ARN"))?;
    if !bp.bedrock.regions.iter().any(|r| r == region) {
        return Err(format!("`{region}` is not an approved region"));
    }
    if !bp.bedrock.runtime_models.iter().any(|m| m == id) {
        return Err(format!("`{id}` is not an approved Runtime model"));
    }
    Ok(())
}

/// IAM's wildcard match (`*` any run, `?` one character), ignoring ASCII case as IAM does for
/// actions.
pub(super) fn iam_glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (
        pattern.to_ascii_lowercase().chars().collect(),
        text.to_ascii_lowercase().chars().collect(),
    );
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::iam_glob;

    #[test]
    fn globs() {
        assert!(iam_glob("*", "iam:CreateUser"));
        assert!(iam_glob("iam:*", "iam:CreateUser"));
        assert!(iam_glob("IAM:create*", "iam:CreateAccessKey"));
        assert!(iam_glob("bedrock:Invoke*", "bedrock:InvokeModel"));
        assert!(iam_glob(
            "bedrock:InvokeModel?ithResponseStream",
            "bedrock:InvokeModelWithResponseStream"
        ));
        assert!(!iam_glob("bedrock:Get*", "bedrock:InvokeModel"));
        assert!(!iam_glob("iam:CreateRole", "iam:CreateUser"));
        assert!(!iam_glob("s3:*", "iam:CreateUser"));
    }
}

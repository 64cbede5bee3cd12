//! What the user's own IAM grants: no long-lived credentials, and no invoke permission wider
//! than the model allowlist.

use crate::blueprint::pointer::Ptr;
use crate::blueprint::spans::escape;
use crate::blueprint::{Blueprint, Effect, PermissionSet};
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (p, set) in bp.identity_center.permission_sets.iter().enumerate() {
        let base = Ptr::permission_set(p);
        credentials(set, &base, catalog, out);
        managed_policies(set, &base, catalog, out);
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
            .with_help(
                "remove `model_allowlist: false`: without the SCP, any role in a pilot \
                account that is granted `bedrock:*` can invoke every model",
            ),
        );
    }
}

/// Allow statements that can create IAM users, keys or other long-lived credentials.
fn credentials(set: &PermissionSet, base: &Ptr, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
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
                    base.clone()
                        .field("inline_statements")
                        .index(s)
                        .field("actions")
                        .index(a),
                    format!(
                        "permission set `{}` can create long-lived credentials",
                        set.name
                    ),
                )
                .with_label(format!("allows {}", granted.join(", ")))
                .with_help(
                    "developers sign in through IAM Identity Center (`aws sso login`); \
                    remove this action",
                ),
            );
        }
    }
}

/// AWS managed policy ARNs that are not in the catalog. The same name under another path (as
/// job-function policies have) is an error naming the ARN meant: AWS names its managed policies
/// uniquely, so that ARN cannot exist. Anything else is a warning, with a near spelling if there
/// is one, since the catalog lists only the policies tarmac's users name and
/// `AmazonEC2ReadOnlyAccess`
/// may be as real as its neighbour `AmazonS3ReadOnlyAccess`.
fn managed_policies(set: &PermissionSet, base: &Ptr, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    const AWS_MANAGED: &str = "arn:aws:iam::aws:policy/";
    // Compared without the shared prefix, which would make every ARN look like every other.
    let known: Vec<String> = catalog
        .aws_managed_policies
        .iter()
        .filter_map(|k| k.strip_prefix(AWS_MANAGED))
        .map(str::to_owned)
        .collect();
    for (m, policy) in set.managed_policies.iter().enumerate() {
        let Some(rest) = policy.strip_prefix(AWS_MANAGED) else {
            continue;
        };
        if known.iter().any(|k| k == rest) {
            continue;
        }
        let name = rest.rsplit('/').next().unwrap_or(rest);
        let moved = known.iter().find(|k| {
            k.rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        let pointer = base.clone().field("managed_policies").index(m);
        let message = format!("`{policy}` is not an AWS managed policy tarmac knows");
        out.push(match moved {
            Some(meant) => Diagnostic::error(codes::UNKNOWN_MANAGED_POLICY, pointer, message)
                .with_label("no AWS managed policy has this ARN")
                .with_help(format!("did you mean `{AWS_MANAGED}{meant}`?")),
            None => Diagnostic::warning(codes::UNKNOWN_MANAGED_POLICY, pointer, message)
                .with_label("not in the catalog's list of AWS managed policies")
                .with_help(match crate::blueprint::load::suggest(rest, &known) {
                    Some(near) => format!(
                        "did you mean `{AWS_MANAGED}{near}`? If not, check the \
                        ARN in the AWS Managed Policy Reference Guide and add it to \
                            `aws_managed_policies` in catalog/aws.yaml"
                    ),
                    None => String::from(
                        "check the ARN in the AWS Managed Policy Reference Guide; \
                        if it exists, add it to `aws_managed_policies` in catalog/aws.yaml",
                    ),
                }),
        });
    }
}

/// Invoke permissions beyond the approved models and regions.
fn invoke(
    bp: &Blueprint,
    set: &PermissionSet,
    base: &Ptr,
    catalog: &Catalog,
    out: &mut Vec<Diagnostic>,
) {
    for (m, policy) in set.managed_policies.iter().enumerate() {
        if catalog.broad_invoke_managed_policies.contains(policy) {
            out.push(
                Diagnostic::error(
                    codes::INVOKE_TOO_WIDE,
                    base.clone().field("managed_policies").index(m),
                    format!(
                        "permission set `{}` may invoke every Bedrock model",
                        set.name
                    ),
                )
                .with_label("this managed policy allows invoking any model")
                .with_help(
                    "remove it and set `bedrock_access` (runtime, mantle or \
                    runtime-and-mantle), which grants only the approved models",
                ),
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
        let pointer = base.clone().field("inline_statements").index(s);
        if granted.iter().any(|a| a.starts_with("bedrock-mantle:")) {
            out.push(
                Diagnostic::error(
                    codes::INVOKE_TOO_WIDE,
                    pointer.clone().field("actions"),
                    format!(
                        "permission set `{}` may invoke every Mantle model",
                        set.name
                    ),
                )
                .with_label("Mantle inference without the `bedrock-mantle:Model` condition")
                .with_help(
                    "remove the action and set `bedrock_access: mantle`, which conditions \
                    inference on the approved Mantle ids",
                ),
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
                        pointer.clone().field("resources").index(r),
                        format!(
                            "permission set `{}` may invoke models beyond the \
                            allowlist",
                            set.name
                        ),
                    )
                    .with_label(why)
                    .with_help(
                        "name approved foundation-model ARNs \
                        (`arn:aws:bedrock:<region>::foundation-model/<id>`), or set \
                            `bedrock_access: runtime` instead",
                    ),
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

/// Keys a user might write to ask for IAM users or access keys. tarmac has no such section on
/// purpose; saying why beats "unknown field", so the loader asks here before it reports one.
const CREDENTIAL_KEYS: &[&str] = &["access_keys", "iam_users", "iam_user", "users"];

pub(crate) fn credentials_key(pointer: &str, key: &str) -> Option<Diagnostic> {
    CREDENTIAL_KEYS.contains(&key).then(|| {
        Diagnostic::error(
            codes::LONG_LIVED_CREDENTIALS,
            format!("{pointer}/{}", escape(key)),
            format!("`{key}`: tarmac does not create IAM users or access keys"),
        )
        .at_key()
        .with_label("long-lived credentials")
        .with_help(
            "give people access through `identity_center.permission_sets` and `assignments`; \
they sign in with `aws sso login` and Codex uses those short-lived credentials",
        )
    })
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

//! The guardrails' own inputs: the privileged role they exempt must be exactly one role, and
//! an inference profile opted into must be one the catalog knows, for an approved model.

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    privileged_role(bp, out);
    inference_profiles(bp, catalog, out);
}

/// The characters IAM allows in a role name: letters, digits and `+=,.@_-`, 1 to 64 of them
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, RoleName pattern
/// `[\w+=,.@-]+`). `*` and `?` are not among them, so a wildcard cannot name a role: in the
/// exemption's ARN it would match every role, or a family of roles a member account could create.
fn is_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// A privileged role that is not one plain role name. A path (`admin/Role`) is refused too:
/// the exemption and its protection name `role/<name>`, which is the role at path `/` only (as
/// OrganizationAccountAccessRole and AWSControlTowerExecution are); role names are unique in an
/// account whatever the path, so no other role can take that name.
fn privileged_role(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let name = &bp.guardrails.privileged_role;
    if is_role_name(name) {
        return;
    }
    let why = if name.contains(['*', '?']) {
        "a wildcard would exempt every matching role, including ones a member account creates"
    } else if name.contains('/') {
        "a path is not part of the name; the role must be at path `/`"
    } else if name.is_empty() || name.len() > 64 {
        "an IAM role name has 1 to 64 characters"
    } else {
        "IAM role names hold only letters, digits and `+=,.@_-`"
    };
    out.push(
        Diagnostic::error(
            codes::PRIVILEGED_ROLE,
            "/guardrails/privileged_role",
            format!("`{name}` is not one IAM role name"),
        )
        .with_label(why)
        .with_help(
            "name the one break-glass role the guardrails exempt, e.g. \
            `OrganizationAccountAccessRole`",
        ),
    );
}

fn inference_profiles(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (i, id) in bp.bedrock.inference_profiles.iter().enumerate() {
        let pointer = Ptr::item("bedrock", "inference_profiles", i).to_string();
        let Some(profile) = catalog.inference_profile(id) else {
            let known: Vec<&str> = catalog
                .inference_profiles
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_INFERENCE_PROFILE,
                    pointer,
                    format!("unknown inference profile `{id}`"),
                )
                .with_label("not a system-defined inference profile in the catalog")
                .with_help(if known.is_empty() {
                    String::from(
                        "the catalog lists no cross-Region inference profile for the \
                        approved models; invoke them in-Region",
                    )
                } else {
                    format!("known profiles: {}", known.join(", "))
                }),
            );
            continue;
        };
        if !bp
            .bedrock
            .runtime_models
            .iter()
            .any(|m| m == profile.model.as_str())
        {
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_INFERENCE_PROFILE,
                    pointer.clone(),
                    format!(
                        "inference profile `{id}` serves `{}`, which is not approved",
                        profile.model
                    ),
                )
                .with_label("its model is not in `bedrock.runtime_models`")
                .with_help(format!(
                    "approve `{}` as a Runtime model, or drop the profile",
                    profile.model
                )),
            );
        }
        if let Some(residency) = bp.data_residency {
            // A profile may route only where models may be invoked: inside the residency, or
            // in the Regions the client approved for cross-border inference.
            let mut allowed = catalog.residency(residency).regions.clone();
            if let Some(cross) = &bp.bedrock.cross_border_inference {
                allowed.extend(cross.regions.iter().cloned());
            }
            let outside: Vec<&str> = profile
                .regions
                .iter()
                .filter(|r| !allowed.contains(r))
                .map(String::as_str)
                .collect();
            if !outside.is_empty() {
                out.push(
                    super::residency::outside(
                        pointer,
                        format!(
                            "inference profile `{id}` routes requests outside {}",
                            residency.key()
                        ),
                    )
                    .with_label(format!("destination Regions {}", outside.join(", ")))
                    .with_help("invoke the model in-Region: drop the profile"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_role_name;

    #[test]
    fn role_names() {
        assert!(is_role_name("OrganizationAccountAccessRole"));
        assert!(is_role_name("Break+Glass=1,a.b@c_d-e"));
        assert!(is_role_name(&"a".repeat(64)));
        assert!(!is_role_name(&"a".repeat(65)));
        assert!(!is_role_name(""));
        assert!(!is_role_name("*"));
        assert!(!is_role_name("Admin*"));
        assert!(!is_role_name("Admin?"));
        assert!(!is_role_name("path/Admin"));
        assert!(!is_role_name("Admin Role"));
        assert!(!is_role_name("Rôle"));
    }
}

//! Service control policies: region allowlist, model allowlist, trail protection, no leaving,
//! no long-term Bedrock API keys, and the protection of the privileged role they exempt.
//!
//! Each guardrail is its own SCP while they fit, so a target's attachments say what is enforced.
//! When the SCPs would take more slots than AWS allows per target (counting `FullAWSAccess` and
//! SCPs managed elsewhere), their statements are packed first-fit, in order, into as few
//! documents as the size limit allows. Sizes are counted on minified JSON, as Organizations counts
//! them. SCPs never affect the management account, which is why the trail and its bucket live
//! there.

use super::bedrock::{cross_border_carve_out, model_allowlist, profile_region_carve_out, Approved};
use super::organization::Organization;
use crate::blueprint::pointer::Ptr;
use crate::blueprint::{self, Blueprint};
use crate::catalog::Catalog;
use crate::checks::references::unknown_reference;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::policy::{Actions, Effect, PolicyDocument, Statement};
use crate::value::Value;

/// One SCP as it will be created.
pub struct Scp {
    pub slug: String,
    pub description: String,
    pub document: PolicyDocument,
}

/// Why the guardrails do not fit AWS's limits.
#[derive(Debug, PartialEq, Eq)]
pub enum LimitError {
    /// One statement alone is over the size limit, so no packing helps.
    StatementTooLarge {
        sid: String,
        characters: usize,
        limit: usize,
    },
    /// A target would carry more SCPs than allowed.
    TooManyOnTarget {
        target: String,
        needed: usize,
        limit: usize,
    },
}

/// The guardrails as they will be created: the SCPs, packed, and what they attach to.
pub struct Guardrails<'a> {
    pub scps: Vec<Scp>,
    pub targets: Vec<ScpTarget<'a>>,
}

/// What the SCPs attach to.
#[derive(Debug, Clone, Copy)]
pub enum ScpTarget<'a> {
    Ou(&'a blueprint::OrganizationalUnit),
    Account(&'a blueprint::Account),
}

impl ScpTarget<'_> {
    /// The OU's or account's name in the blueprint.
    pub fn name(&self) -> &str {
        match self {
            ScpTarget::Ou(ou) => &ou.name,
            ScpTarget::Account(account) => &account.name,
        }
    }
}

/// The SCPs and their targets; an SCP limit the guardrails cannot be packed within is refused
/// here (TM030, TM031), where the packing is done.
pub(super) fn resolve<'a>(
    bp: &'a Blueprint,
    catalog: &Catalog,
    approved: &Approved,
    org: &Organization<'a>,
    errors: &mut Vec<Diagnostic>,
) -> Guardrails<'a> {
    let names = targets(bp);
    let mut resolved = Vec::with_capacity(names.len());
    for name in names {
        let ou = bp.organizational_units.iter().find(|o| o.name == name);
        let account = || Some(ScpTarget::Account(org.account(name)?.account));
        match ou.map(ScpTarget::Ou).or_else(account) {
            Some(t) => resolved.push(t),
            None => errors.push(unknown_reference(
                Ptr::root().field("guardrails").field("targets"),
                "OU or account",
                name,
            )),
        }
    }
    let scps = match scps(bp, catalog, approved) {
        // SCPs that attach nowhere are not created.
        Ok(_) if resolved.is_empty() => Vec::new(),
        Ok(scps) => scps,
        Err(e) => {
            errors.push(limit_error(bp, e));
            Vec::new()
        }
    };
    Guardrails {
        scps,
        targets: resolved,
    }
}

/// The diagnostic of guardrails that do not fit AWS's limits.
fn limit_error(bp: &Blueprint, error: LimitError) -> Diagnostic {
    match error {
        LimitError::StatementTooLarge {
            sid,
            characters,
            limit,
        } => Diagnostic::error(
            codes::SCP_TOO_LARGE,
            "/guardrails/limits/max_characters",
            format!("SCP statement `{sid}` is {characters} characters, over the limit of {limit}"),
        )
        .at_key()
        .with_label("the limit in force for this organization")
        .with_help(
            "a single statement cannot be split: approve fewer regions or models, \
                    or raise the limit if the organization has the May 2026 quota (10,240)",
        ),
        LimitError::TooManyOnTarget {
            target,
            needed,
            limit,
        } => {
            let pointer = match bp.guardrails.targets.iter().position(|t| *t == target) {
                Some(i) => Ptr::item("guardrails", "targets", i).to_string(),
                None => bp
                    .accounts
                    .iter()
                    .position(|a| a.ou == target)
                    .map_or(String::from("/guardrails"), |i| {
                        Ptr::account(i).field("ou").to_string()
                    }),
            };
            Diagnostic::error(
                codes::TOO_MANY_SCPS,
                pointer,
                format!(
                    "`{target}` would carry \
                    {needed} SCPs, over the limit of {limit} per target"
                ),
            )
            .with_label("SCPs attach here")
            .with_help(
                "tarmac already packs its guardrails into as few SCPs as the size \
                        limit allows; the count includes FullAWSAccess and \
                            `guardrails.external_scps`: detach one, or disable a guardrail",
            )
        }
    }
}

/// The SCPs of a blueprint, packed to fit its limits.
pub fn scps(
    bp: &Blueprint,
    catalog: &Catalog,
    approved: &Approved,
) -> Result<Vec<Scp>, LimitError> {
    let g = &bp.guardrails;
    let limits = &g.limits;
    let separate = guardrails(bp, catalog, approved);
    for scp in &separate {
        for s in &scp.document.statements {
            let characters = characters(&PolicyDocument::new(vec![s.clone()]));
            if characters > limits.max_characters {
                return Err(LimitError::StatementTooLarge {
                    sid: s.sid.clone(),
                    characters,
                    limit: limits.max_characters,
                });
            }
        }
    }
    let fits = |scps: &[Scp]| {
        scps.iter()
            .all(|s| characters(&s.document) <= limits.max_characters)
    };
    let scps = if fits(&separate) && slots_needed(bp, separate.len()).is_none() {
        separate
    } else {
        pack(separate, limits.max_characters)
    };
    match slots_needed(bp, scps.len()) {
        Some((target, needed)) => Err(LimitError::TooManyOnTarget {
            target,
            needed,
            limit: limits.max_per_target,
        }),
        None => Ok(scps),
    }
}

/// The first target that would carry more SCPs than allowed, with how many it would carry.
fn slots_needed(bp: &Blueprint, ours: usize) -> Option<(String, usize)> {
    let g = &bp.guardrails;
    targets(bp).into_iter().find_map(|t| {
        let external = g
            .external_scps
            .iter()
            .filter(|e| e.targets.iter().any(|x| x == t))
            .count();
        let needed = ours + usize::from(g.full_aws_access) + external;
        (needed > g.limits.max_per_target).then(|| (t.to_owned(), needed))
    })
}

/// Packs statements first-fit, in order, into documents within `limit` characters.
fn pack(scps: Vec<Scp>, limit: usize) -> Vec<Scp> {
    let mut packed: Vec<(Vec<String>, PolicyDocument)> = Vec::new();
    for scp in scps {
        for statement in scp.document.statements {
            let slot = packed.iter_mut().find(|(_, doc)| {
                let mut candidate = doc.clone();
                candidate.statements.push(statement.clone());
                characters(&candidate) <= limit
            });
            match slot {
                Some((slugs, doc)) => {
                    doc.statements.push(statement);
                    if !slugs.contains(&scp.slug) {
                        slugs.push(scp.slug.clone());
                    }
                }
                None => packed.push((vec![scp.slug.clone()], PolicyDocument::new(vec![statement]))),
            }
        }
    }
    packed
        .into_iter()
        .enumerate()
        .map(|(i, (slugs, document))| Scp {
            slug: format!("guardrails-{}", i + 1),
            description: format!("Guardrails: {}", slugs.join(", ")),
            document,
        })
        .collect()
}

/// Characters of a document as Organizations counts them: minified JSON. SCPs hold literals only.
pub fn characters(doc: &PolicyDocument) -> usize {
    let mut text = Vec::new();
    doc.lower(&super::identity::literal)
        .write_compact(&mut text);
    String::from_utf8_lossy(&text).chars().count()
}

/// IAM actions that would let a member principal take over the privileged role: create it
/// (where it does not exist yet), delete it, change whom it trusts, what it may do, its
/// permissions boundary, description or tags. After Control Tower's controls that protect its
/// own roles (CT.IAM.PV.1, AWS-GR_IAM_ROLE_CHANGE_PROHIBITED, excepting AWSControlTowerExecution;
/// https://docs.aws.amazon.com/controltower/latest/controlreference/ct-iam-pv-1.html) with the
/// tag actions of aws-samples' Deny-modifications-to-specific-IAM-roles.json added, since tags
/// can drive attribute-based access. `sts:AssumeRole` is not among them: the break-glass
/// administrators assume this role as its trust policy allows, and that trust policy is what
/// the list keeps anyone else from changing.
pub const PRIVILEGED_ROLE_ACTIONS: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
];

/// One SCP per enabled guardrail.
fn guardrails(bp: &Blueprint, catalog: &Catalog, approved: &Approved) -> Vec<Scp> {
    let g = &bp.guardrails;
    // A role name without a path (checks refuse anything else), in any member account: the
    // same name in every account, as the role the management account reaches them through is.
    let privileged = Value::lit(format!("arn:aws:iam::*:role/{}", g.privileged_role));
    let mut out = Vec::new();
    let mut add = |slug: &str, description: String, statements| {
        out.push(Scp {
            slug: slug.to_owned(),
            description,
            document: PolicyDocument::new(statements),
        });
    };
    if g.region_allowlist {
        let mut deny = Statement::new(
            "DenyOutsideApprovedRegions",
            Effect::Deny,
            &[],
            vec![Value::lit("*")],
        )
        .condition(
            "StringNotEquals",
            "aws:RequestedRegion",
            bp.scp_allowed_regions().iter().map(Value::lit).collect(),
        )
        .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged.clone()]);
        let mut exempt = catalog.region_deny_exempt_actions();
        let mut statements = Vec::new();
        // A profile may route to the Regions of an approved cross-border inference too (the
        // residency check keeps its destinations there).
        let mut inference_regions = bp.scp_allowed_regions().to_vec();
        if let Some(cross) = &bp.bedrock.cross_border_inference {
            inference_regions.extend(cross.regions.iter().cloned());
        }
        if let Some((carved, bedrock)) =
            profile_region_carve_out(approved, &inference_regions, &privileged)
        {
            exempt.extend(carved);
            statements.push(bedrock);
        }
        if let Some((carved, bedrock)) =
            cross_border_carve_out(bp, approved, bp.scp_allowed_regions(), &privileged)
        {
            for action in carved {
                if !exempt.contains(&action) {
                    exempt.push(action);
                }
            }
            statements.push(bedrock);
        }
        deny.actions = Actions::NotAction(exempt);
        statements.insert(0, deny);
        let cross = bp
            .bedrock
            .cross_border_inference
            .as_ref()
            .map_or(String::new(), |c| {
                format!("; in {} Bedrock inference only", c.regions.join(", "))
            });
        add(
            "region-allowlist",
            format!(
                "Denies non-global actions outside {}{cross}",
                bp.scp_allowed_regions().join(", ")
            ),
            statements,
        );
    }
    if g.model_allowlist {
        add(
            "model-allowlist",
            String::from("Denies invoking Bedrock models that are not approved for the pilot"),
            model_allowlist(approved),
        );
    }
    if g.protect_audit_trail {
        let trail = Statement::new(
            "ProtectAuditTrail",
            Effect::Deny,
            &[
                "cloudtrail:DeleteTrail",
                "cloudtrail:PutEventSelectors",
                "cloudtrail:PutInsightSelectors",
                "cloudtrail:StopLogging",
                "cloudtrail:UpdateTrail",
            ],
            vec![Value::lit("*")],
        )
        .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged.clone()]);
        add(
            "protect-audit-trail",
            String::from("Denies stopping, deleting or changing CloudTrail trails"),
            vec![trail],
        );
    }
    if g.deny_leave_organization {
        let leave = Statement::new(
            "DenyLeaveOrganization",
            Effect::Deny,
            &["organizations:LeaveOrganization"],
            vec![Value::lit("*")],
        );
        add(
            "deny-leave-organization",
            String::from("Denies leaving the organization"),
            vec![leave],
        );
    }
    if g.deny_long_term_credentials {
        add(
            "deny-long-term-credentials",
            String::from("Denies creating or using long-term Bedrock API keys"),
            vec![deny_long_term_credentials()],
        );
    }
    if g.region_allowlist || g.protect_audit_trail {
        // The exemption above is only as strong as the role it names: without this, an
        // account administrator could create or re-trust a role of that name and escape both.
        let protect = Statement::new(
            "ProtectPrivilegedRole",
            Effect::Deny,
            PRIVILEGED_ROLE_ACTIONS,
            vec![privileged.clone()],
        )
        .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged]);
        add(
            "protect-privileged-role",
            format!(
                "Denies creating, deleting, re-trusting or changing the permissions of role {} to \
                    all but the role itself",
                g.privileged_role
            ),
            vec![protect],
        );
    }
    out
}

/// Long-term Bedrock API keys are IAM service-specific credentials of an IAM user: neither may
/// be created for Bedrock nor used on Runtime or Mantle. AWS's samples
/// (aws-samples/service-control-policy-examples, Service-specific-controls/Amazon-Bedrock/
/// Deny-Bedrock-long-term-api-keys.json and Deny-Bedrock-api-keys.json) deny these in three
/// statements; here they are one, under one Sid, with `StringEqualsIfExists`: each action's
/// request carries only its own key, so the other two keys are absent and hold, and the present
/// one must match (creating a credential for `bedrock.amazonaws.com`, or calling with a
/// `LONG_TERM` token). Key names: iam:ServiceSpecificCredentialServiceName and
/// bedrock:bearerTokenType
/// (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-permissions.html),
/// bedrock-mantle:BearerTokenType (Service Authorization Reference, `bedrock-mantle`).
/// Short-term keys, which carry the caller's own session, stay usable where allowed.
fn deny_long_term_credentials() -> Statement {
    let mut deny = Statement::new(
        "DenyLongTermBedrockCredentials",
        Effect::Deny,
        &[
            "bedrock-mantle:CallWithBearerToken",
            "bedrock:CallWithBearerToken",
            "iam:CreateServiceSpecificCredential",
        ],
        vec![Value::lit("*")],
    );
    for (key, value) in [
        (
            "iam:ServiceSpecificCredentialServiceName",
            "bedrock.amazonaws.com",
        ),
        ("bedrock:bearerTokenType", "LONG_TERM"),
        ("bedrock-mantle:BearerTokenType", "LONG_TERM"),
    ] {
        deny = deny.condition("StringEqualsIfExists", key, vec![Value::lit(value)]);
    }
    deny
}

/// The names the SCPs attach to: the declared targets, or else the OUs of the pilot's accounts.
fn targets(bp: &Blueprint) -> Vec<&str> {
    let mut names: Vec<&str> = bp.guardrails.targets.iter().map(String::as_str).collect();
    if names.is_empty() {
        for a in &bp.accounts {
            if !names.contains(&a.ou.as_str()) {
                names.push(&a.ou);
            }
        }
    }
    names
}

//! Least-privilege Bedrock statements, shared by permission sets, SCPs and endpoint policies.
//!
//! Runtime statements name foundation-model ARNs built only from [`RuntimeModelId`]s; Mantle
//! statements condition on `bedrock-mantle:Model` with [`MantleModelId`]s. The two id families are
//! different types, so a Runtime id cannot end up in a Mantle condition or the reverse.

use super::identity::Access;
use crate::blueprint::{Blueprint, CrossBorderInference};
use crate::catalog::{Catalog, MantleModelId, RuntimeModelId};

use crate::policy::{Actions, Effect, Resources, Statement};
use crate::value::{join, Value};

/// Runtime invoke actions. Denying or granting these also covers Converse and ConverseStream.
pub const RUNTIME_INVOKE: &[&str] = &[
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
];

/// Mantle actions that take the `bedrock-mantle:Model` condition key.
pub const MANTLE_MODEL_ACTIONS: &[&str] = &[
    "bedrock-mantle:CountTokens",
    "bedrock-mantle:CreateInference",
];

/// Mantle discovery actions, on projects. AWS's documented minimum for Mantle inference is
/// CreateInference, GetProject, ListProjects and ListTagsForResource (the Bedrock inference page
/// spells the last "ListTagsForResources", which is no action; the Service Authorization
/// Reference for `bedrock-mantle` has ListTagsForResource); the OpenAI SDKs also list and read
/// models.
pub const MANTLE_DISCOVERY: &[&str] = &[
    "bedrock-mantle:GetModel",
    "bedrock-mantle:GetProject",
    "bedrock-mantle:ListModels",
    "bedrock-mantle:ListProjects",
    "bedrock-mantle:ListTagsForResource",
];

/// The Runtime actions a request through an inference profile is authorized as, in the Region
/// it is sent to and in each Region the profile routes it to.
const PROFILE_INVOKE: &[&str] = &[
    "bedrock:CreateModelInvocationJob",
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
];

/// A system-defined inference profile the blueprint opted into.
pub struct Profile {
    pub id: String,
    pub model: RuntimeModelId,
    /// The Regions it may route a request to.
    pub destinations: Vec<String>,
}

/// The approved models of a blueprint, typed by family.
pub struct Approved {
    pub regions: Vec<String>,
    /// Runtime models with the approved regions each is served in.
    pub runtime: Vec<(RuntimeModelId, Vec<String>)>,
    /// Mantle models with the approved regions each is served in.
    pub mantle: Vec<(MantleModelId, Vec<String>)>,
    /// Cross-Region inference profiles; none unless the blueprint names them.
    pub profiles: Vec<Profile>,
}

impl Approved {
    pub fn of(bp: &Blueprint, catalog: &Catalog) -> Approved {
        // With an approved cross-border inference, its Regions are where the models are served:
        // permission sets and endpoint policies name the models there, and only there.
        let regions = bp.invocation_regions();
        let runtime = bp
            .bedrock
            .runtime_models
            .iter()
            .filter_map(|id| catalog.runtime_model(id))
            .map(|m| (m.id.clone(), served(&regions, &m.regions)))
            .collect();
        let mantle = bp
            .bedrock
            .mantle_models
            .iter()
            .filter_map(|id| catalog.mantle_model(id))
            .map(|m| (m.id.clone(), served(&regions, &m.regions)))
            .collect();
        let profiles = bp
            .bedrock
            .inference_profiles
            .iter()
            .filter_map(|id| catalog.inference_profile(id))
            .map(|p| Profile {
                id: p.id.clone(),
                model: p.model.clone(),
                destinations: p.regions.clone(),
            })
            .collect();
        Approved {
            regions,
            runtime,
            mantle,
            profiles,
        }
    }

    /// ARNs of the approved inference profiles in the approved Regions (the Regions a request
    /// may be sent from), in any account: system-defined profiles are addressed in the
    /// caller's account.
    pub fn profile_arns(&self, region: Option<&str>) -> Vec<Value> {
        let mut out = Vec::new();
        for r in &self.regions {
            if region.is_some_and(|only| only != r) {
                continue;
            }
            for p in &self.profiles {
                out.push(Value::lit(format!(
                    "arn:aws:bedrock:{r}:*:inference-profile/{}",
                    p.id
                )));
            }
        }
        out
    }

    /// The foundation-model ARNs the approved profiles route to, in their destination Regions.
    fn profile_destinations(&self) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        for p in &self.profiles {
            for r in &p.destinations {
                let arn = Value::lit(format!("arn:aws:bedrock:{r}::foundation-model/{}", p.model));
                if !out.contains(&arn) {
                    out.push(arn);
                }
            }
        }
        out
    }

    /// Foundation-model ARNs of the approved Runtime models, in the regions they are served in
    /// (`region` narrows to one region). The account field of these ARNs is empty.
    pub fn runtime_arns(&self, region: Option<&str>) -> Vec<Value> {
        let mut out = Vec::new();
        for r in &self.regions {
            if region.is_some_and(|only| only != r) {
                continue;
            }
            for (id, served) in &self.runtime {
                if served.contains(r) {
                    out.push(Value::lit(format!(
                        "arn:aws:bedrock:{r}::foundation-model/{id}"
                    )));
                }
            }
        }
        out
    }

    /// The approved Mantle ids as condition values.
    pub fn mantle_ids(&self) -> Vec<Value> {
        self.mantle
            .iter()
            .map(|(m, _)| Value::lit(m.as_str()))
            .collect()
    }

    /// Mantle project ARNs in the approved regions (`region` narrows to one), in any account
    /// unless `account` is given.
    pub fn mantle_projects(&self, region: Option<&str>, account: Option<&Value>) -> Vec<Value> {
        self.regions
            .iter()
            .filter(|r| region.is_none_or(|only| only == r.as_str()))
            .map(|r| {
                let account = account.cloned().unwrap_or_else(|| Value::lit("*"));
                join([
                    Value::lit(format!("arn:aws:bedrock-mantle:{r}:")),
                    account,
                    Value::lit(":project/*"),
                ])
            })
            .collect()
    }
}

/// The regions of `invocation` (in their order) a model is served in, by the catalog's `regions`.
fn served(invocation: &[String], regions: &[String]) -> Vec<String> {
    invocation
        .iter()
        .filter(|r| regions.contains(r))
        .cloned()
        .collect()
}

/// The generated Bedrock statements of a permission set: Runtime, Mantle or both, as its
/// `access` says, and short-term API keys for those endpoints when it opts into them.
pub fn permission_set_access(
    approved: &Approved,
    Access { runtime, mantle }: Access,
    short_term_bearer_tokens: bool,
) -> Vec<Statement> {
    let mut out = Vec::new();
    if runtime {
        out.extend(runtime_access(approved));
    }
    if mantle {
        out.extend(mantle_access(approved));
    }
    if short_term_bearer_tokens {
        out.extend(short_term_keys(
            runtime && !approved.runtime.is_empty(),
            mantle && !approved.mantle.is_empty(),
        ));
    }
    out
}

/// Allows Bedrock API keys of the short-term kind only, on Runtime and/or Mantle. A short-term
/// key is a presigned `CallWithBearerToken` request made with the caller's own session, so it
/// carries that session's permissions and expiry (12 hours at most); the condition keys name
/// its type (Bedrock: `bedrock:bearerTokenType`, api-keys-permissions.html; Mantle:
/// `bedrock-mantle:BearerTokenType`, the Service Authorization Reference for `bedrock-mantle`).
pub fn short_term_keys(runtime: bool, mantle: bool) -> Vec<Statement> {
    let mut out = Vec::new();
    let short = || vec![Value::lit("SHORT_TERM")];
    if runtime {
        out.push(
            Statement::new(
                "BedrockShortTermApiKeys",
                Effect::Allow,
                &["bedrock:CallWithBearerToken"],
                vec![Value::lit("*")],
            )
            .condition("StringEquals", "bedrock:bearerTokenType", short()),
        );
    }
    if mantle {
        out.push(
            Statement::new(
                "MantleShortTermApiKeys",
                Effect::Allow,
                &["bedrock-mantle:CallWithBearerToken"],
                vec![Value::lit("*")],
            )
            .condition("StringEquals", "bedrock-mantle:BearerTokenType", short()),
        );
    }
    out
}

/// Identity-policy statements granting Runtime discovery and invoke of the approved models,
/// and of the approved inference profiles with the models they route to.
pub fn runtime_access(approved: &Approved) -> Vec<Statement> {
    let arns = approved.runtime_arns(None);
    if arns.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        Statement::new(
            "BedrockDiscovery",
            Effect::Allow,
            &["bedrock:ListFoundationModels"],
            vec![Value::lit("*")],
        ),
        Statement::new(
            "BedrockInvokeApprovedModels",
            Effect::Allow,
            &[
                "bedrock:GetFoundationModel",
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream",
            ],
            arns,
        ),
    ];
    if !approved.profiles.is_empty() {
        let mut resources = approved.profile_arns(None);
        resources.extend(approved.profile_destinations());
        out.push(Statement::new(
            "BedrockInvokeApprovedInferenceProfiles",
            Effect::Allow,
            &[
                "bedrock:GetInferenceProfile",
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream",
            ],
            resources,
        ));
    }
    out
}

/// Identity-policy statements granting Mantle inference on the approved models.
pub fn mantle_access(approved: &Approved) -> Vec<Statement> {
    if approved.mantle.is_empty() {
        return Vec::new();
    }
    mantle_statements(approved, approved.mantle_projects(None, None))
}

/// Discovery on `projects`, and inference there on the approved Mantle models only.
pub fn mantle_statements(approved: &Approved, projects: Vec<Value>) -> Vec<Statement> {
    vec![
        Statement::new(
            "MantleDiscovery",
            Effect::Allow,
            MANTLE_DISCOVERY,
            projects.clone(),
        ),
        Statement::new(
            "MantleInferenceApprovedModels",
            Effect::Allow,
            MANTLE_MODEL_ACTIONS,
            projects,
        )
        .condition(
            "StringEquals",
            "bedrock-mantle:Model",
            approved.mantle_ids(),
        ),
    ]
}

/// SCP statements denying every model that is not approved, on both endpoints.
pub fn model_allowlist(approved: &Approved) -> Vec<Statement> {
    let mut runtime = Statement::new(
        "DenyUnapprovedRuntimeModels",
        Effect::Deny,
        &[
            "bedrock:CreateModelInvocationJob",
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream",
        ],
        vec![Value::lit("*")],
    );
    if !approved.runtime.is_empty() {
        // Any region: the region allowlist is a separate guardrail. Inference profiles are
        // other resources than the models they serve, so a profile is denied unless named:
        // cross-Region inference is an opt-in.
        let mut arns: Vec<Value> = approved
            .runtime
            .iter()
            .map(|(id, _)| Value::lit(format!("arn:aws:bedrock:*::foundation-model/{id}")))
            .collect();
        arns.extend(
            approved
                .profiles
                .iter()
                .map(|p| Value::lit(format!("arn:aws:bedrock:*:*:inference-profile/{}", p.id))),
        );
        runtime.resources = Resources::NotResource(arns);
    }
    let mut mantle = Statement::new(
        "DenyUnapprovedMantleModels",
        Effect::Deny,
        &[],
        vec![Value::lit("*")],
    );
    mantle.actions = Actions::Action(
        [
            "bedrock-mantle:CountTokens",
            "bedrock-mantle:CreateFineTuningJob",
            "bedrock-mantle:CreateInference",
        ]
        .map(String::from)
        .to_vec(),
    );
    if !approved.mantle.is_empty() {
        mantle = mantle.condition(
            "StringNotEquals",
            "bedrock-mantle:Model",
            approved.mantle_ids(),
        );
    }
    vec![runtime, mantle]
}

/// The region-allowlist statement for Bedrock inference when inference profiles are approved,
/// after AWS's sample (aws-samples/service-control-policy-examples, Region-controls/
/// Deny-access-to-AWS-based-on-the-requested-AWS-region-with-Bedrock-CRIS.json): the inference
/// actions leave the general region deny and are denied outside the allowed Regions here, unless
/// the request goes through an approved profile. A profile's request is authorized in each
/// destination Region too, with `bedrock:InferenceProfileArn` set; a direct call has no such key,
/// so `ArnNotLike` holds and the deny applies. `None` without profiles.
pub fn profile_region_carve_out(
    approved: &Approved,
    allowed: &[String],
    privileged: &Value,
) -> Option<(Vec<String>, Statement)> {
    if approved.profiles.is_empty() {
        return None;
    }
    let arns = approved
        .profiles
        .iter()
        .map(|p| Value::lit(format!("arn:aws:bedrock:*:*:inference-profile/{}", p.id)))
        .collect();
    let statement = Statement::new(
        "DenyBedrockInferenceOutsideApprovedRegions",
        Effect::Deny,
        PROFILE_INVOKE,
        vec![Value::lit("*")],
    )
    .condition(
        "StringNotEquals",
        "aws:RequestedRegion",
        allowed.iter().map(Value::lit).collect(),
    )
    .condition("ArnNotLike", "bedrock:InferenceProfileArn", arns)
    .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged.clone()]);
    Some((
        PROFILE_INVOKE.iter().map(|a| (*a).to_owned()).collect(),
        statement,
    ))
}

/// The region-allowlist statement for a residency client's approved cross-border inference:
/// the actions the pilot's developers need to invoke the approved models, and only those, leave
/// the general region deny and are denied here outside the allowed Regions and the approved
/// ones, as [`profile_region_carve_out`] does for profiles. Every other action stays denied in
/// the cross-border Regions: no bucket, log, stack or key can be created there. Runtime actions
/// only when Runtime models are approved, Mantle's only for Mantle models, and each endpoint's
/// `CallWithBearerToken` only when a permission set opts into short-term API keys (the model
/// allowlist and the long-term key deny still apply to every one of them). `None` without an
/// approval.
pub fn cross_border_carve_out(
    bp: &Blueprint,
    approved: &Approved,
    allowed: &[String],
    privileged: &Value,
) -> Option<(Vec<String>, Statement)> {
    let cross: &CrossBorderInference = bp.bedrock.cross_border_inference.as_ref()?;
    let bearer = bp
        .identity_center
        .permission_sets
        .iter()
        .any(|p| p.short_term_bearer_tokens);
    let mut actions: Vec<&str> = Vec::new();
    if !approved.runtime.is_empty() {
        actions.extend(["bedrock:GetFoundationModel", "bedrock:ListFoundationModels"]);
        actions.extend(RUNTIME_INVOKE);
        if bearer {
            actions.push("bedrock:CallWithBearerToken");
        }
    }
    if !approved.mantle.is_empty() {
        actions.extend(MANTLE_MODEL_ACTIONS);
        actions.extend(MANTLE_DISCOVERY);
        if bearer {
            actions.push("bedrock-mantle:CallWithBearerToken");
        }
    }
    if actions.is_empty() {
        return None;
    }
    actions.sort_unstable();
    let mut regions: Vec<Value> = allowed.iter().map(Value::lit).collect();
    for r in cross.regions.iter().map(Value::lit) {
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    let statement = Statement::new(
        "DenyInferenceOutsideApprovedRegions",
        Effect::Deny,
        &actions,
        vec![Value::lit("*")],
    )
    .condition("StringNotEquals", "aws:RequestedRegion", regions)
    .condition("ArnNotLike", "aws:PrincipalARN", vec![privileged.clone()]);
    Some((actions.iter().map(|a| (*a).to_owned()).collect(), statement))
}

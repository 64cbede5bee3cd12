//! Least-privilege Bedrock statements, shared by permission sets, SCPs and endpoint policies.
//!
//! Runtime statements name foundation-model ARNs built only from [`RuntimeModelId`]s; Mantle
//! statements condition on `bedrock-mantle:Model` with [`MantleModelId`]s. The two id families are
//! different types, so a Runtime id cannot end up in a Mantle condition or the reverse.

use crate::blueprint::Blueprint;
use crate::catalog::{Catalog, MantleModelId, RuntimeModelId};

use super::policy::{Actions, Effect, Resources, Statement};
use super::value::{join, Value};

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

/// Mantle discovery actions, on projects.
pub const MANTLE_DISCOVERY: &[&str] = &[
    "bedrock-mantle:GetModel",
    "bedrock-mantle:GetProject",
    "bedrock-mantle:ListModels",
    "bedrock-mantle:ListProjects",
];

/// The approved models of a blueprint, typed by family.
pub struct Approved {
    pub regions: Vec<String>,
    /// Runtime models with the approved regions each is served in.
    pub runtime: Vec<(RuntimeModelId, Vec<String>)>,
    pub mantle: Vec<MantleModelId>,
}

impl Approved {
    pub fn of(bp: &Blueprint, catalog: &Catalog) -> Approved {
        let regions = bp.bedrock.regions.clone();
        let runtime = bp
            .bedrock
            .runtime_models
            .iter()
            .filter_map(|id| catalog.runtime_model(id))
            .map(|m| {
                (
                    m.id.clone(),
                    regions
                        .iter()
                        .filter(|r| m.regions.contains(r))
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        let mantle = bp
            .bedrock
            .mantle_models
            .iter()
            .filter_map(|id| catalog.mantle_model(id))
            .map(|m| m.id.clone())
            .collect();
        Approved {
            regions,
            runtime,
            mantle,
        }
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
        self.mantle.iter().map(|m| Value::lit(m.as_str())).collect()
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

/// Identity-policy statements granting Runtime discovery and invoke of the approved models.
pub fn runtime_access(approved: &Approved) -> Vec<Statement> {
    let arns = approved.runtime_arns(None);
    if arns.is_empty() {
        return Vec::new();
    }
    vec![
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
    ]
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
        // Any region: the region allowlist is a separate guardrail.
        let arns = approved
            .runtime
            .iter()
            .map(|(id, _)| Value::lit(format!("arn:aws:bedrock:*::foundation-model/{id}")))
            .collect();
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

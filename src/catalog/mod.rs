//! Facts about AWS as data: which regions exist, which models are served where under which id
//! family, which PrivateLink services exist where, which actions are global.
//!
//! The facts live in `catalog/aws.yaml`, embedded at build time, so that updating a region list is
//! a
//! data change a consultant can review, not a code change. Model ids are parsed into two distinct
//! types, [`RuntimeModelId`] and [`MantleModelId`], so the two families cannot be mixed up in the
//! plan.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::blueprint::EndpointService;

/// `catalog/aws.yaml` as JSON, converted by `build.rs`: the same data, parsed ten times faster.
const SOURCE: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// A Bedrock Runtime foundation-model id, such as `openai.gpt-oss-120b-1:0`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(transparent)]
pub struct RuntimeModelId(String);

/// A Bedrock Mantle model id, such as `openai.gpt-oss-120b`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(transparent)]
pub struct MantleModelId(String);

impl RuntimeModelId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl MantleModelId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuntimeModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for MantleModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The whole catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub version: u32,
    pub last_verified: String,
    pub regions: Vec<String>,
    pub runtime_models: Vec<RuntimeModel>,
    pub mantle_models: Vec<MantleModel>,
    pub endpoint_services: Vec<EndpointServiceFacts>,
    pub mantle_project_regions: Vec<String>,
    pub cost_explorer_region: String,
    /// What each `sources` key of a region-deny exemption stands for: the AWS list it is on.
    pub region_deny_exemption_sources: BTreeMap<String, String>,
    /// Actions the region-allowlist SCP leaves alone (its NotAction), each with its sources.
    pub region_deny_exemptions: Vec<RegionDenyExemption>,
    /// Per resource type, the properties whose change replaces the resource.
    pub replacement_properties: BTreeMap<String, Vec<String>>,
    /// Data-residency requirements by name (`canada`).
    pub residency: BTreeMap<String, ResidencyFacts>,
    /// IAM actions that invoke a model.
    pub invoke_actions: Vec<String>,
    /// AWS managed policies that allow invoking any model.
    pub broad_invoke_managed_policies: Vec<String>,
    /// The AWS managed policies a permission set may attach.
    pub aws_managed_policies: Vec<String>,
    /// IAM actions that create long-lived credentials.
    pub long_lived_credential_actions: Vec<String>,
    /// The oldest Codex CLI that reads the configuration the kit writes, and where that is said.
    pub codex_min_version: String,
    pub codex_min_version_source: String,
    /// System-defined (cross-Region) inference profiles a blueprint may opt into.
    pub inference_profiles: Vec<InferenceProfileFacts>,
}

/// An action exempt from the region allowlist, and the AWS lists that exempt it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionDenyExemption {
    pub action: String,
    /// Keys of `region_deny_exemption_sources`.
    pub sources: Vec<String>,
}

/// A system-defined inference profile: its id (`us.<runtime model id>`), the Runtime model it
/// serves, and the Regions it may route a request to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferenceProfileFacts {
    pub id: String,
    pub model: RuntimeModelId,
    /// Destination Regions: where the profile may send a request, whatever the source Region.
    pub regions: Vec<String>,
}

/// What a data-residency requirement allows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidencyFacts {
    /// Regions data may stay in.
    pub regions: Vec<String>,
    /// The region that must be approved for Bedrock.
    pub required_region: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeModel {
    pub id: RuntimeModelId,
    /// The same model's id on the Mantle endpoint, if it is served there.
    #[serde(default)]
    pub mantle_twin: Option<MantleModelId>,
    pub regions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MantleModel {
    pub id: MantleModelId,
    /// The same model's id on Bedrock Runtime, if it is served there.
    #[serde(default)]
    pub runtime_twin: Option<RuntimeModelId>,
    /// Whether Codex CLI's `amazon-bedrock` provider supports it.
    #[serde(default)]
    pub codex: bool,
    /// Whether the model is in preview.
    #[serde(default)]
    pub preview: bool,
    /// The inference API it serves on Mantle.
    #[serde(default)]
    pub api: MantleApi,
    pub regions: Vec<String>,
}

/// The OpenAI-compatible inference API a Mantle model serves: GPT-5.x serves only Responses,
/// under another path prefix than gpt-oss's Chat Completions, so a check that calls the wrong
/// one fails for a model that works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MantleApi {
    #[default]
    ChatCompletions,
    Responses,
}

impl MantleApi {
    /// The name validate.sh's `mantle_invoke` takes.
    pub fn key(self) -> &'static str {
        match self {
            MantleApi::ChatCompletions => "chat-completions",
            MantleApi::Responses => "responses",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointServiceFacts {
    pub service: EndpointService,
    /// The private DNS name, with `{region}` standing for the region.
    pub private_dns: String,
    pub regions: Vec<String>,
}

impl Catalog {
    /// The shipped catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            serde_json::from_str(SOURCE).expect("catalog/aws.yaml is valid (tested)")
        })
    }

    pub fn is_region(&self, region: &str) -> bool {
        self.regions.iter().any(|r| r == region)
    }

    pub fn runtime_model(&self, id: &str) -> Option<&RuntimeModel> {
        self.runtime_models.iter().find(|m| m.id.0 == id)
    }

    pub fn mantle_model(&self, id: &str) -> Option<&MantleModel> {
        self.mantle_models.iter().find(|m| m.id.0 == id)
    }

    pub fn inference_profile(&self, id: &str) -> Option<&InferenceProfileFacts> {
        self.inference_profiles.iter().find(|p| p.id == id)
    }

    /// The actions the region-allowlist SCP exempts, in catalog order.
    pub fn region_deny_exempt_actions(&self) -> Vec<String> {
        self.region_deny_exemptions
            .iter()
            .map(|e| e.action.clone())
            .collect()
    }

    /// The facts of a residency requirement.
    pub fn residency(&self, residency: crate::blueprint::Residency) -> &ResidencyFacts {
        self.residency
            .get(residency.key())
            .expect("every residency is in the catalog (tested)")
    }

    pub fn endpoint(&self, service: EndpointService) -> &EndpointServiceFacts {
        self.endpoint_services
            .iter()
            .find(|e| e.service == service)
            .expect("every endpoint service is in the catalog (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_deny_exemption_has_a_known_source_and_is_listed_once() {
        let c = Catalog::get();
        let mut seen = std::collections::BTreeSet::new();
        for e in &c.region_deny_exemptions {
            assert!(seen.insert(e.action.as_str()), "{} twice", e.action);
            assert!(!e.sources.is_empty(), "{} has no source", e.action);
            for s in &e.sources {
                assert!(
                    c.region_deny_exemption_sources.contains_key(s),
                    "{}: unknown source {s}",
                    e.action
                );
            }
        }
    }

    #[test]
    fn the_built_json_holds_what_the_yaml_says() {
        let yaml: Catalog = serde_yaml_ng::from_str(include_str!("../../catalog/aws.yaml"))
            .expect("catalog/aws.yaml deserializes");
        assert_eq!(format!("{yaml:?}"), format!("{:?}", Catalog::get()));
    }

    #[test]
    fn catalog_parses_and_is_consistent() {
        let c = Catalog::get();
        for m in &c.runtime_models {
            assert!(
                m.id.as_str().contains(':'),
                "runtime ids carry a version suffix: {}",
                m.id
            );
            assert!(m.regions.iter().all(|r| c.is_region(r)), "{}", m.id);
            if let Some(twin) = &m.mantle_twin {
                assert!(c.mantle_model(twin.as_str()).is_some(), "{twin}");
            }
        }
        for m in &c.mantle_models {
            assert!(
                !m.id.as_str().contains(':'),
                "mantle ids have no version suffix: {}",
                m.id
            );
            assert!(m.regions.iter().all(|r| c.is_region(r)), "{}", m.id);
        }
        for s in [
            EndpointService::Bedrock,
            EndpointService::BedrockRuntime,
            EndpointService::BedrockMantle,
        ] {
            assert!(c.endpoint(s).regions.iter().all(|r| c.is_region(r)));
        }
        assert!(c.is_region(&c.cost_explorer_region));
        for p in &c.inference_profiles {
            assert!(c.runtime_model(p.model.as_str()).is_some(), "{}", p.id);
            assert!(p.id.ends_with(&format!(".{}", p.model)), "{}", p.id);
            assert!(p.regions.iter().all(|r| c.is_region(r)), "{}", p.id);
        }
        for p in &c.aws_managed_policies {
            assert!(p.starts_with("arn:aws:iam::aws:policy/"), "{p}");
        }
        let version: Vec<&str> = c.codex_min_version.split('.').collect();
        assert!(
            version.len() == 3 && version.iter().all(|n| n.parse::<u32>().is_ok()),
            "{}",
            c.codex_min_version
        );
        assert!(c.codex_min_version_source.starts_with("https://"));
        let canada = c.residency(crate::blueprint::Residency::Canada);
        assert!(canada.regions.iter().all(|r| c.is_region(r)));
        assert!(canada.regions.contains(&canada.required_region));
    }
}

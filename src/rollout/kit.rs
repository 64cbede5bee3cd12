//! The data the kit's templates see: every profile, check and checklist item decided here, so
//! the templates (which consultants may replace) only word and lay them out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::blueprint::{Blueprint, Frequency, ThresholdKind};
use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::emit::UnitEntry;
use crate::json::number_text;
use crate::resolve::Resolved;

use super::escape::{code, md};

/// What every file of the kit says about where it came from.
#[derive(Serialize)]
pub struct Header {
    pub client: String,
    pub display_name: String,
    pub blueprint_file: String,
    pub generator: &'static str,
    pub catalog_version: u32,
    pub catalog_verified: String,
    /// Name of the `[sso-session]` section.
    pub sso_session: String,
    /// The command that signs a developer in to every profile.
    pub sso_login: String,
    pub start_url: String,
    pub sso_region: String,
}

/// Everything `aws/config`, `validate.sh`, `resolve-account-ids.sh`, `READINESS.md` and
/// `READINESS.html` show.
#[derive(Serialize)]
pub struct Kit {
    pub header: Header,
    pub profiles: Vec<Profile>,
    /// Accounts tarmac creates, whose ids are known only after deployment.
    pub new_accounts: Vec<NewAccount>,
    pub decisions: Vec<Row>,
    pub enforced: Vec<Row>,
    pub manual: Vec<Task>,
    pub warnings: Vec<Finding>,
    pub deploy: Vec<Row>,
    /// The `aws cloudformation deploy` command of each CloudFormation stack, in deploy order.
    pub stack_commands: Vec<String>,
    /// What the organization must have before anything deploys: manual steps for READINESS.md,
    /// each checked read-only by `validate.sh --organization`.
    pub prerequisites: Vec<Task>,
    pub organization: OrganizationChecks,
    /// The Codex CLI the kit's configurations need, when it writes any.
    pub codex: Option<CodexRequirement>,
    pub diagram: String,
    /// The organization as an SVG element, for READINESS.html.
    pub svg: String,
    /// Each account's monthly budgets, for READINESS.html's budget table.
    pub budgets: Vec<Budget>,
}

/// The monthly budgets of one account, or of every account with the same two amounts.
#[derive(Serialize)]
pub struct Budget {
    /// An account's name, or how many accounts the row stands for.
    pub accounts: String,
    pub account_usd: String,
    pub bedrock_usd: String,
}

/// The values `validate.sh --organization` checks the organization against.
#[derive(Serialize)]
pub struct OrganizationChecks {
    /// Service principals that need trusted access.
    pub trusted_services: Vec<&'static str>,
    pub identity_center_region: String,
    pub cost_explorer_region: String,
    /// Where each existing account must be: in its OU, or still at its current parent until
    /// the deployment moves it (`validate.sh --organization` asks Organizations).
    pub placements: Vec<Placement>,
}

/// Where an existing account is expected, before and after the deployment.
#[derive(Serialize)]
pub struct Placement {
    pub id: String,
    /// The blueprint name of its OU.
    pub ou: String,
    /// The OU's id when it exists already; empty when tarmac creates it (then its name is
    /// compared).
    pub ou_id: String,
    /// Where it is before tarmac moves it; empty when it is in its OU already.
    pub from: String,
}

#[derive(Serialize)]
pub struct CodexRequirement {
    pub min_version: String,
    pub source: String,
}

/// One account × permission set: an AWS CLI profile, maybe a Codex configuration, and checks.
#[derive(Serialize)]
pub struct Profile {
    /// `<account>.<permission set>`: account names cannot contain a dot, so this never collides.
    pub name: String,
    pub account: String,
    /// The id, when the account already exists.
    pub account_id: Option<String>,
    pub permission_set: String,
    /// The profile's default region: the account's primary region.
    pub region: String,
    /// Bedrock Runtime checks, when the permission set has Runtime access.
    pub runtime: Option<Checks>,
    /// Mantle checks, when it has Mantle access.
    pub mantle: Option<Checks>,
    /// Codex CLI's settings, when it has Mantle access.
    pub codex: Option<Codex>,
}

/// What `validate.sh` verifies for one endpoint family.
#[derive(Serialize)]
pub struct Checks {
    /// Per approved region, the approved models that must be listed there.
    pub listed: Vec<Listed>,
    /// The one small invocation.
    pub invoke: Option<Invoke>,
}

#[derive(Serialize)]
pub struct Listed {
    pub region: String,
    pub models: Vec<String>,
}

#[derive(Serialize)]
pub struct Invoke {
    pub region: String,
    pub model: String,
    /// On Mantle, the API the model serves (`MantleApi::key`); none for Bedrock Runtime.
    pub api: Option<&'static str>,
}

#[derive(Serialize)]
pub struct Codex {
    /// A Mantle id.
    pub model: String,
    /// A region where the model is served, the account's own when possible.
    pub region: String,
}

#[derive(Serialize)]
pub struct NewAccount {
    pub name: String,
    pub email: String,
}

/// A two-column row: a subject and what was decided or done about it.
#[derive(Serialize)]
pub struct Row {
    pub item: String,
    pub detail: String,
}

/// A step tarmac cannot take, with who takes it.
#[derive(Serialize)]
pub struct Task {
    pub task: String,
    pub owner: String,
    pub detail: String,
}

#[derive(Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
}

/// The data of one Codex configuration.
#[derive(Serialize)]
pub struct CodexData<'a> {
    pub kit: &'a Header,
    pub profile: &'a Profile,
}

impl Kit {
    pub fn build(
        r: &Resolved,
        catalog: &Catalog,
        blueprint_file: &str,
        units: &[UnitEntry],
        warnings: &[Diagnostic],
    ) -> Kit {
        let bp = r.blueprint;
        let ic = &bp.identity_center;
        let header = Header {
            client: bp.client.clone(),
            display_name: bp.display_name.clone().unwrap_or_else(|| bp.client.clone()),
            blueprint_file: blueprint_file.to_owned(),
            generator: concat!("tarmac ", env!("CARGO_PKG_VERSION")),
            catalog_version: catalog.version,
            catalog_verified: catalog.last_verified.clone(),
            sso_session: bp.client.clone(),
            sso_login: format!("aws sso login --sso-session {}", bp.client),
            start_url: ic.start_url.clone(),
            sso_region: ic.region.clone(),
        };
        let profiles = profiles(r, catalog);
        let codex = profiles
            .iter()
            .any(|p| p.codex.is_some())
            .then(|| CodexRequirement {
                min_version: catalog.codex_min_version.clone(),
                source: catalog.codex_min_version_source.clone(),
            });
        Kit {
            header,
            profiles,
            new_accounts: bp
                .accounts
                .iter()
                .filter(|a| a.id.is_none())
                .map(|a| NewAccount {
                    name: a.name.clone(),
                    email: a.email.clone(),
                })
                .collect(),
            decisions: decisions(r, catalog),
            enforced: enforced(bp),
            manual: manual(r, catalog, units),
            warnings: warnings
                .iter()
                .map(|d| Finding {
                    code: d.code.id,
                    name: d.code.name,
                    message: d.message.clone(),
                })
                .collect(),
            deploy: deploy(units),
            stack_commands: stack_commands(bp, units),
            prerequisites: prerequisites(bp, catalog),
            organization: OrganizationChecks {
                trusted_services: TRUSTED_SERVICES.iter().map(|(p, _)| *p).collect(),
                identity_center_region: ic.region.clone(),
                cost_explorer_region: catalog.cost_explorer_region.clone(),
                placements: placements(r),
            },
            codex,
            diagram: super::diagram::organization(r),
            svg: super::svg::organization(r),
            budgets: budgets(r),
        }
    }
}

/// The two budgets of each account, as resolved: the account's own amount, else the
/// blueprint's. Past the diagrams' [`DETAILED_ACCOUNTS`](super::diagram::DETAILED_ACCOUNTS)
/// accounts, one row per pair of amounts (in the order they first appear) with its number of
/// accounts, so that the table of a large organization stays a few lines long.
fn budgets(r: &Resolved) -> Vec<Budget> {
    let accounts = &r.organization.accounts;
    let amounts = |a: &crate::resolve::organization::Account| {
        (
            number_text(a.budgets.account_usd),
            number_text(a.budgets.bedrock_usd),
        )
    };
    if accounts.len() <= super::diagram::DETAILED_ACCOUNTS {
        return accounts
            .iter()
            .map(|a| {
                let (account_usd, bedrock_usd) = amounts(a);
                Budget {
                    accounts: a.account.name.clone(),
                    account_usd,
                    bedrock_usd,
                }
            })
            .collect();
    }
    let mut groups: Vec<((String, String), usize)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for a in accounts {
        let key = amounts(a);
        match index.get(&key) {
            Some(i) => groups[*i].1 += 1,
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, 1));
            }
        }
    }
    groups
        .into_iter()
        .map(|((account_usd, bedrock_usd), n)| Budget {
            accounts: format!("{n} accounts"),
            account_usd,
            bedrock_usd,
        })
        .collect()
}

/// A budget's default with the accounts whose deployed amount differs from it, by name while
/// the diagrams draw accounts one by one, else by number: the default alone would misstate an
/// organization whose accounts set their own.
fn budget_default(
    r: &Resolved,
    default: f64,
    amount: impl Fn(&crate::resolve::organization::Budgets) -> f64,
) -> String {
    let accounts = &r.organization.accounts;
    let own: Vec<(&str, f64)> = accounts
        .iter()
        .map(|a| (a.account.name.as_str(), amount(&a.budgets)))
        .filter(|(_, usd)| *usd != default)
        .collect();
    let default = number_text(default);
    if own.is_empty() {
        format!("{default} USD per account unless the account overrides it")
    } else if accounts.len() <= super::diagram::DETAILED_ACCOUNTS {
        let own: Vec<String> = own
            .iter()
            .map(|(name, usd)| format!("{} {} USD", code(name), number_text(*usd)))
            .collect();
        format!("{default} USD per account, except {}", own.join(", "))
    } else {
        format!(
            "{default} USD per account, except {} of {} accounts, which set their own",
            own.len(),
            accounts.len()
        )
    }
}

/// One profile per assigned account × permission set, in blueprint order.
fn profiles(r: &Resolved, catalog: &Catalog) -> Vec<Profile> {
    let bp = r.blueprint;
    let sets = &r.identity.permission_sets;
    // The Regions models may be invoked in, each model's among them as resolved.
    let regions = &r.approved.regions;
    let runtime_models: Vec<(&str, &[String])> = r
        .approved
        .runtime
        .iter()
        .map(|(id, served)| (id.as_str(), served.as_slice()))
        .collect();
    let mantle_models: Vec<(&str, &[String])> = r
        .approved
        .mantle
        .iter()
        .map(|(id, served)| (id.as_str(), served.as_slice()))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for assignment in &r.identity.assignments {
        let Some(resolved) = sets.get(assignment.permission_set) else {
            continue;
        };
        let (set, access) = (resolved.set, resolved.access);
        for account in &assignment.accounts {
            if !seen.insert((account.name.as_str(), set.name.as_str())) {
                continue;
            }
            let region = bp.primary_region(account).to_owned();
            let runtime = access
                .runtime
                .then(|| checks(regions, &region, &runtime_models));
            let codex = r.codex_model.filter(|_| access.mantle).and_then(|model| {
                let regions = mantle_models.iter().find(|(id, _)| *id == model)?.1;
                Some(Codex {
                    model: model.to_owned(),
                    region: prefer(&region, regions)?,
                })
            });
            let mantle = access.mantle.then(|| {
                let mut checks = checks(regions, &region, &mantle_models);
                if let Some(invoke) = &mut checks.invoke {
                    invoke.api = catalog.mantle_model(&invoke.model).map(|m| m.api.key());
                }
                checks
            });
            out.push(Profile {
                name: format!("{}.{}", account.name, set.name),
                account: account.name.clone(),
                account_id: account.id.clone(),
                permission_set: set.name.clone(),
                region,
                runtime,
                mantle,
                codex,
            });
        }
    }
    out
}

/// The listing checks of every approved region and one invocation of the first model, in the
/// profile's region when the model is served there.
fn checks(regions: &[String], home: &str, models: &[(&str, &[String])]) -> Checks {
    let listed = regions
        .iter()
        .map(|r| Listed {
            region: r.clone(),
            models: models
                .iter()
                .filter(|(_, served)| served.contains(r))
                .map(|(id, _)| (*id).to_owned())
                .collect(),
        })
        .filter(|l| !l.models.is_empty())
        .collect();
    let invoke = models.first().and_then(|(id, served)| {
        Some(Invoke {
            region: prefer(home, served)?,
            model: (*id).to_owned(),
            api: None,
        })
    });
    Checks { listed, invoke }
}

/// `home` when it is among `regions`, else the first of them.
fn prefer(home: &str, regions: &[String]) -> Option<String> {
    regions
        .iter()
        .find(|r| *r == home)
        .or_else(|| regions.first())
        .cloned()
}

fn row(item: &str, detail: impl Into<String>) -> Row {
    Row {
        item: item.to_owned(),
        detail: detail.into(),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::from("none")
    } else {
        items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
    }
}

fn decisions(r: &Resolved, catalog: &Catalog) -> Vec<Row> {
    let bp = r.blueprint;
    let b = &bp.budgets;
    let preview: Vec<String> = bp
        .bedrock
        .mantle_models
        .iter()
        .filter(|id| catalog.mantle_model(id).is_some_and(|m| m.preview))
        .cloned()
        .collect();
    let thresholds: Vec<String> = b
        .thresholds
        .iter()
        .map(|t| {
            let kind = match t.kind {
                ThresholdKind::Actual => "actual",
                ThresholdKind::Forecasted => "forecasted",
            };
            format!("{} % {kind}", number_text(t.percent))
        })
        .collect();
    let sessions: Vec<String> = bp
        .identity_center
        .permission_sets
        .iter()
        .map(|p| format!("{} {}", code(&p.name), p.session_duration))
        .collect();
    let mut rows = vec![
        row("Approved Bedrock regions", list(&bp.bedrock.regions)),
        row(
            "Data residency",
            match bp.data_residency {
                Some(r) => format!(
                    "{}: data stays in {}{}",
                    r.key(),
                    list(&catalog.residency(r).regions),
                    if bp.bedrock.cross_border_inference.is_some() {
                        ", except the prompts and completions of approved cross-border inference"
                    } else {
                        ""
                    }
                ),
                None => String::from("no residency requirement"),
            },
        ),
        row("Bedrock Runtime models", list(&bp.bedrock.runtime_models)),
        row(
            "Mantle models (OpenAI-compatible)",
            list(&bp.bedrock.mantle_models),
        ),
        row("Cross-Region inference", cross_region(bp, catalog)),
        row(
            "Batch inference",
            if bp.guardrails.model_allowlist {
                "denied: the model allowlist denies `bedrock:CreateModelInvocationJob` on every job"
            } else {
                "not denied by tarmac (the model allowlist is off)"
            },
        ),
        row(
            "Preview models",
            if preview.is_empty() {
                String::from("none")
            } else {
                format!("{} (acknowledged in the blueprint)", list(&preview))
            },
        ),
        row(
            "Codex CLI model",
            r.codex_model
                .map_or(String::from("none (no Mantle model approved)"), |m| {
                    let listed = catalog.mantle_model(m).is_some_and(|m| m.codex);
                    format!(
                        "{} through Mantle{}",
                        code(m),
                        if listed {
                            ""
                        } else {
                            " (not on OpenAI's list of Codex models on Bedrock: chosen explicitly)"
                        }
                    )
                }),
        ),
        row(
            "Account budget, monthly",
            budget_default(r, b.account_monthly_usd, |b| b.account_usd),
        ),
        row(
            "Bedrock budget, monthly",
            budget_default(r, b.bedrock_monthly_usd, |b| b.bedrock_usd),
        ),
        row("Budget alert thresholds", thresholds.join(", ")),
        row("Alerts go to", list(&b.alert_emails)),
        row(
            "Cost Anomaly Detection",
            if bp.anomaly_detection.enabled {
                format!(
                    "{} alerts from {} USD of impact",
                    match bp.anomaly_detection.frequency {
                        Frequency::Daily => "daily",
                        Frequency::Weekly => "weekly",
                    },
                    number_text(bp.anomaly_detection.threshold_usd)
                )
            } else {
                String::from("off")
            },
        ),
        row("Identity Center sessions", sessions.join(", ")),
    ];
    // Only when it moves something: blueprints with the instance at home read as they did.
    if bp.identity_center.region != bp.organization.home_region {
        rows.push(row(
            "Identity Center region",
            format!(
                "{}, not the home region {}: the permission sets, assignments and group look-ups \
                    are deployed there, as the CloudFormation stack {} and from the Terraform {} \
                        module through the provider {}",
                code(&bp.identity_center.region),
                code(&bp.organization.home_region),
                code(crate::plan::identity::UNIT),
                code("management"),
                code(&format!("aws.{}", crate::plan::identity::PROVIDER_ALIAS)),
            ),
        ));
    }
    rows.extend([row(
        "SCP targets",
        list(
            &r.guardrails
                .targets
                .iter()
                .map(|t| t.name().to_owned())
                .collect::<Vec<_>>(),
        ),
    )]);
    if let Some(detail) = cross_border(bp, catalog) {
        rows.insert(
            rows.iter()
                .position(|r| r.item == "Cross-Region inference")
                .map_or(rows.len(), |i| i + 1),
            row("Cross-border inference", detail),
        );
    }
    if !bp.guardrails.allowed_regions.is_empty() {
        rows.push(row(
            "Regions the SCP allows",
            list(&bp.guardrails.allowed_regions),
        ));
    }
    rows
}

/// For a residency client: which Regions outside the residency may receive prompts, who
/// approved it and when, or "none" without an approval, so its READINESS.md answers the
/// question a residency reviewer asks. No row without a residency.
fn cross_border(bp: &Blueprint, catalog: &Catalog) -> Option<String> {
    let residency = bp.data_residency?;
    let inside = list(&catalog.residency(residency).regions);
    let Some(cross) = &bp.bedrock.cross_border_inference else {
        return Some(format!("none: models are invoked in {inside} only"));
    };
    let reference = cross
        .reference
        .as_deref()
        .map_or(String::new(), |r| format!(" (reference: {})", md(r)));
    // Cost Explorer, and so Cost Anomaly Detection, has its endpoint in one Region only: the
    // monitor of billing data is the one resource deployed outside the residency.
    let anomaly = if bp.anomaly_detection.enabled {
        format!(
            ", except the Cost Anomaly Detection monitor (billing data only), which AWS serves \
                from {} alone",
            code(&catalog.cost_explorer_region)
        )
    } else {
        String::new()
    };
    Some(format!(
        "prompts and completions may be processed in {} by model invocation only, approved by {} \
            on {}{reference}; the trail, logs, budgets, Identity Center, networks and every stack \
                stay in {inside}{anomaly}",
        list(&cross.regions),
        md(&cross.approved_by),
        md(&cross.approved_on),
    ))
}

/// What the pilot decided about cross-Region inference: denied unless profiles are named, and
/// then where their requests may go.
fn cross_region(bp: &Blueprint, catalog: &Catalog) -> String {
    let profiles: Vec<String> = bp
        .bedrock
        .inference_profiles
        .iter()
        .filter_map(|id| catalog.inference_profile(id))
        .map(|p| format!("`{}` (routes to {})", p.id, p.regions.join(", ")))
        .collect();
    if !bp.guardrails.model_allowlist {
        String::from("not denied by tarmac (the model allowlist is off)")
    } else if profiles.is_empty() {
        String::from(
            "denied: the model allowlist names foundation models only, so every `us.`, \
            `eu.`, `apac.` and `global.` inference profile is denied",
        )
    } else {
        format!("allowed only through {}", profiles.join("; "))
    }
}

fn enforced(bp: &Blueprint) -> Vec<Row> {
    let g = &bp.guardrails;
    let mut rows = Vec::new();
    if g.region_allowlist {
        let cross = bp
            .bedrock
            .cross_border_inference
            .as_ref()
            .map_or(String::new(), |c| {
                format!(
                    "; in {} only invoking the approved models (and the discovery it needs) is \
                        allowed, as approved for cross-border inference",
                    list(&c.regions)
                )
            });
        rows.push(row(
            "Region allowlist (SCP)",
            format!(
                "non-global actions outside {} are denied{cross}",
                list(bp.scp_allowed_regions())
            ),
        ));
    }
    if g.model_allowlist {
        rows.push(row(
            "Model allowlist (SCP)",
            "invoking any model that is not approved is denied, for Runtime and Mantle",
        ));
    }
    if g.protect_audit_trail {
        rows.push(row(
            "Audit trail protection (SCP)",
            format!(
                "only {} may stop, delete or change trails",
                code(&g.privileged_role)
            ),
        ));
    }
    if g.deny_leave_organization {
        rows.push(row(
            "Stay in the organization (SCP)",
            "leaving the organization is denied",
        ));
    }
    if g.deny_long_term_credentials {
        rows.push(row(
            "No long-term Bedrock API keys (SCP)",
            "creating a Bedrock service-specific credential, and calling Bedrock Runtime or Mantle \
                with a long-term key, are denied",
        ));
    }
    if g.region_allowlist || g.protect_audit_trail {
        rows.push(row(
            "Privileged role protection (SCP)",
            format!(
                "no principal but `{0}` itself may create, delete, re-trust, re-permission or tag \
                    role `{0}`",
                g.privileged_role
            ),
        ));
    }
    rows.push(row(
        "Least-privilege Bedrock access",
        match &bp.bedrock.cross_border_inference {
            Some(c) => format!(
                "permission sets invoke only the approved models in the approved regions and those \
                    approved for cross-border inference ({}); discovery is allowed on `*`",
                list(&c.regions)
            ),
            None => String::from(
                "permission sets invoke only the approved models in the approved regions; \
                    discovery is allowed on `*`",
            ),
        },
    ));
    rows.push(row(
        "Identity Center only",
        "no IAM users or access keys; developers sign in with `aws sso login`",
    ));
    rows.push(row(
        "Budgets",
        format!(
            "an account budget and a Bedrock budget on each of {} account(s), alerting an \
                encrypted SNS topic",
            bp.accounts.len()
        ),
    ));
    if bp.anomaly_detection.enabled {
        rows.push(row(
            "Cost Anomaly Detection",
            "a monitor on the pilot accounts with a subscription to the alert list",
        ));
    }
    // The plan's trail settings, not a second statement of them.
    let validation = if crate::plan::audit::TRAIL.log_file_validation {
        " and log-file validation"
    } else {
        ""
    };
    rows.push(row(
        "Organization CloudTrail",
        format!(
            "trail {} into bucket {}: KMS-encrypted, versioned, private, TLS-only, with access \
                logs{validation}",
            code(&bp.trail_name()),
            code(&bp.trail_bucket_name())
        ),
    ));
    if !bp.networks.is_empty() {
        let endpoints: usize = bp.networks.iter().map(|n| n.endpoints.len()).sum();
        rows.push(row(
            "Private networking",
            format!(
                "{endpoints} PrivateLink interface endpoint(s) in {} VPC(s), HTTPS from the VPC \
                    only, endpoint policies limited to the approved models",
                bp.networks.len()
            ),
        ));
    }
    rows
}

fn manual(r: &Resolved, catalog: &Catalog, units: &[UnitEntry]) -> Vec<Task> {
    let bp = r.blueprint;
    let owners = &bp.rollout.owners;
    let task = |task: &str, owner: &str, detail: String| Task {
        task: task.to_owned(),
        owner: owner.to_owned(),
        detail,
    };
    let mut groups: Vec<String> = Vec::new();
    for a in &bp.identity_center.assignments {
        let who = match (&a.group, &a.user) {
            (Some(g), _) => format!("group {}", code(g)),
            (None, Some(u)) => format!("user {}", code(u)),
            (None, None) => continue,
        };
        if !groups.contains(&who) {
            groups.push(who);
        }
    }
    let mut out = vec![
        task(
            "Create the Identity Center groups and add their members",
            &owners.security,
            format!(
                "{}; tarmac assigns them but does not manage membership",
                groups.join(", ")
            ),
        ),
        task(
            "Deploy the templates in the order below",
            &owners.platform,
            String::from(
                "from the management account, with the inputs listed in manifest.json; a \
                CloudFormation template above 51,200 bytes goes through an S3 bucket you name \
                    (`--s3-bucket`, see Deploy order)",
            ),
        ),
    ];
    let moved: Vec<String> = r
        .organization
        .accounts
        .iter()
        .filter(|a| a.moves_from.is_some())
        .map(|a| format!("{} into {}", code(&a.account.name), code(&a.account.ou)))
        .collect();
    if !moved.is_empty() {
        // "The StackSets deploy on no later move" holds while the plan's StackSets have no
        // automatic deployment: a change of that setting stops the build here.
        const _: () = assert!(!crate::plan::members::STACK_SETS.auto_deployment);
        // Before the deployment step: the deployment depends on it.
        out.insert(
            1,
            task(
                "Import the existing accounts that move into their OUs",
                &owners.platform,
                format!(
                    "{}. CloudFormation: before the management stack's deployment, run the import \
                    commands of Deploy order below (files under `cloudformation-import/`; a stack \
                        that exists already: see its note in manifest.json); without it the \
                            deployment fails, as CloudFormation cannot create an account that \
                                exists. That deployment then moves each account (MoveAccount) \
                                    before it creates the account's StackSet instances, so its \
                                        member stacks arrive in the same deployment, after the \
                                            move; the StackSets deploy on no later move (automatic \
                                                deployment is off). Terraform: the management \
                                                    module imports them itself (`import` blocks in \
                                                        `terraform/management/imports.tf.json`, \
                                                            Terraform 1.5 or later) and its apply \
                                                                moves them. Their name, email and \
                                                                    tags stay as they are. \
                                                                        Checked: \
                                                                            `rollout/validate.sh \
                                                                                --organization` \
                                                                                    reports each \
                                                                                        account's \
                                                                                            parent",
                    moved.join(", ")
                ),
            ),
        );
    }
    let operator: Vec<String> = units
        .iter()
        .flat_map(|u| u.inputs.iter())
        .filter(|i| i.source == "operator")
        .map(|i| i.name.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !operator.is_empty() {
        out.push(task(
            "Supply the deploy-time inputs tarmac cannot know",
            &owners.platform,
            format!("{} (identity-store ids of the groups)", list(&operator)),
        ));
    }
    if bp.accounts.iter().any(|a| a.id.is_none()) {
        out.push(task(
            "Fill in the ids of the new accounts",
            &owners.platform,
            String::from(
                "after the management stack created them, run \
                `rollout/aws/resolve-account-ids.sh` with management-account credentials",
            ),
        ));
    }
    out.push(task(
        "Confirm the budget alert subscriptions",
        &owners.finance,
        format!(
            "each address receives an SNS confirmation email per account: {}",
            list(&bp.budgets.alert_emails)
        ),
    ));
    let gpt5: Vec<String> = bp
        .bedrock
        .mantle_models
        .iter()
        .filter(|id| catalog.mantle_model(id).is_some_and(|m| m.codex))
        .cloned()
        .collect();
    if !gpt5.is_empty() {
        out.push(task(
            "Enable model access where the console asks for it",
            &owners.platform,
            format!("{} in each approved region where it is served", list(&gpt5)),
        ));
    }
    if units
        .iter()
        .any(|u| u.notes.iter().any(|n| n.contains("Mantle project")))
    {
        out.push(task(
            "Create the Mantle projects outside Terraform",
            &owners.platform,
            String::from(
                "hashicorp/aws has no Mantle project resource; see the note in manifest.json",
            ),
        ));
    }
    let created: Vec<String> = bp
        .networks
        .iter()
        .filter(|n| n.vpc_id.is_none())
        .map(|n| {
            format!(
                "{} in {} of {}",
                code(&n.vpc_cidr),
                n.region,
                code(&n.account)
            )
        })
        .collect();
    if !created.is_empty() {
        // The two scanner checks the created VPCs waive (CKV2_AWS_11, CKV2_AWS_12), as tasks.
        out.push(task(
            "Decide flow logs and empty the default security group of the VPCs tarmac creates",
            &owners.platform,
            format!(
                "tarmac creates these VPCs for the Bedrock endpoints only and sets no flow log \
                    (its destination, encryption and retention are the network owner's choice) and \
                        cannot manage their default security group (CloudFormation has no resource \
                            for it): {}",
                created.join(", ")
            ),
        ));
    }
    out.push(task(
        "Install the AWS CLI and Codex configuration",
        &owners.developers,
        format!(
            "merge `rollout/aws/config` into `~/.aws/config`, copy the Codex file of your \
            profile to `~/.codex/config.toml`, then \
                {}",
            code(&format!("aws sso login --sso-session {}", bp.client))
        ),
    ));
    out.push(task(
        "Run the validation script",
        &owners.developers,
        String::from(
            "`rollout/validate.sh` checks each profile's identity, the model lists and \
            one small invocation",
        ),
    ));
    out
}

/// The service principals that need trusted access in the organization, and what for.
/// CloudFormation's own name for StackSets' trusted access is activating organizations access
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html);
/// an organization trail needs CloudTrail's
/// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html),
/// and Identity Center's is enabled with the instance.
const TRUSTED_SERVICES: &[(&str, &str)] = &[
    (
        "member.org.stacksets.cloudformation.amazonaws.com",
        "`aws cloudformation activate-organizations-access` (service-managed StackSets deploy the \
            member stacks)",
    ),
    (
        "cloudtrail.amazonaws.com",
        "`aws organizations enable-aws-service-access --service-principal \
            cloudtrail.amazonaws.com` (the organization trail)",
    ),
    (
        "sso.amazonaws.com",
        "enabling Identity Center in the organization grants it (permission sets and assignments)",
    ),
];

/// The organization-level prerequisites: AWS refuses the landing zone without them, and tarmac
/// cannot create them (the organization is the client's). Each names the read-only check
/// `validate.sh --organization` makes.
fn prerequisites(bp: &Blueprint, catalog: &Catalog) -> Vec<Task> {
    let owner = &bp.rollout.owners.platform;
    let task = |task: &str, detail: String| Task {
        task: task.to_owned(),
        owner: owner.clone(),
        detail,
    };
    let mut out = vec![
        task(
            "Enable all features in the organization",
            String::from(
                "SCPs need all features, not consolidated billing only; checked: `aws \
                organizations describe-organization` reports FeatureSet `ALL`",
            ),
        ),
        task(
            "Enable the SERVICE_CONTROL_POLICY policy type on the root",
            String::from(
                "attaching an SCP fails with PolicyTypeNotEnabledException otherwise: \
                `aws organizations enable-policy-type --root-id <r-...> --policy-type \
                    SERVICE_CONTROL_POLICY`; checked: `aws organizations list-roots` lists the \
                        type as `ENABLED`",
            ),
        ),
    ];
    for (principal, how) in TRUSTED_SERVICES {
        out.push(task(
            &format!("Enable trusted access for {principal}"),
            format!(
                "{how}; checked: `aws organizations list-aws-service-access-for-organization` \
                lists it"
            ),
        ));
    }
    out.push(task(
        "Enable IAM Identity Center",
        format!(
            "an organization instance in {}, the region of `identity_center`; checked: {} lists it",
            code(&bp.identity_center.region),
            code(&format!(
                "aws sso-admin list-instances --region {}",
                bp.identity_center.region
            ))
        ),
    ));
    if bp.accounts.iter().any(|a| a.id.is_some()) {
        out.push(task(
            "Check where the existing accounts are",
            String::from(
                "each existing account must be in its OU, or at its `current_parent` \
                until the deployment moves it: the OU's SCPs and the StackSet instance of the \
                    account (the OU and the account together) reach it only in the OU; checked: \
                        `aws organizations list-parents --child-id <id>`",
            ),
        ));
    }
    out.push(task(
        "Enable Cost Explorer",
        format!(
            "once, in the Billing and Cost Management console of the management account (budgets \
                and Cost Anomaly Detection read its data); checked: {} answers (one request, \
                    billed 0.01 USD)",
            code(&format!(
                "aws ce get-cost-and-usage --region {}",
                catalog.cost_explorer_region
            ))
        ),
    ));
    out
}

/// Where each existing account must be for the controls to reach it.
fn placements(r: &Resolved) -> Vec<Placement> {
    r.organization
        .accounts
        .iter()
        .filter_map(|a| {
            Some(Placement {
                id: a.account.id.clone()?,
                ou: a.account.ou.clone(),
                ou_id: a.ou.id.clone().unwrap_or_default(),
                from: a.moves_from.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// The command that deploys each CloudFormation stack, through an S3 bucket the operator
/// names: a template body above 51,200 bytes is refused inline, and the management template
/// passes that for most clients, so the kit never shows the inline form.
fn stack_commands(bp: &Blueprint, units: &[UnitEntry]) -> Vec<String> {
    let mut stacks: Vec<&UnitEntry> = units
        .iter()
        .filter(|u| u.target == "cloudformation" && u.kind == "stack")
        .collect();
    stacks.sort_by_key(|u| u.deploy_order);
    let mut out = Vec::new();
    for u in stacks {
        let Some(file) = u.files.first() else {
            continue;
        };
        let (region, stack) = (&u.region, format!("{}-{}", bp.client, u.name));
        out.extend(import_commands(u, region, &stack));
        let parameters = if u.inputs.is_empty() {
            ""
        } else {
            " --parameter-overrides <inputs of manifest.json>"
        };
        out.push(code(&format!(
            "aws cloudformation deploy --region {region} --stack-name {stack} --template-file \
                {file} --s3-bucket <bucket in {region}>{parameters}"
        )));
    }
    out
}

/// The import of the existing accounts a stack moves, before the stack's deployment, when it
/// has an import template (`cloudformation-import/`): uploaded to the same bucket, since an
/// import template is a template body like any other. The first time only, and for a stack
/// that does not exist yet; manifest.json's note says how to import into a deployed one.
fn import_commands(u: &UnitEntry, region: &str, stack: &str) -> Vec<String> {
    let template = u
        .files
        .iter()
        .find(|f| f.starts_with("cloudformation-import/") && f.ends_with(".template.json"));
    let list = u.files.iter().find(|f| {
        f.starts_with("cloudformation-import/") && f.ends_with(".resources-to-import.json")
    });
    let (Some(template), Some(list)) = (template, list) else {
        return Vec::new();
    };
    let key = format!("{stack}.import.template.json");
    let change_set = format!(
        "--region {region} --stack-name {stack} --change-set-name import-existing-accounts"
    );
    [
        format!("aws s3 cp {template} s3://<bucket in {region}>/{key}"),
        format!(
            "aws cloudformation create-change-set {change_set} --change-set-type IMPORT \
            --template-url https://<bucket in {region}>.s3.{region}.amazonaws.com/{key} \
                --resources-to-import file://{list}"
        ),
        format!("aws cloudformation wait change-set-create-complete {change_set}"),
        format!("aws cloudformation execute-change-set {change_set}"),
        format!(
            "aws cloudformation wait stack-import-complete --region {region} --stack-name \
            {stack}"
        ),
    ]
    .iter()
    .map(|c| code(c))
    .collect()
}

/// The deploy order per target: management units by name, member units counted.
fn deploy(units: &[UnitEntry]) -> Vec<Row> {
    let mut steps: BTreeMap<(&str, u32), (Vec<&str>, usize)> = BTreeMap::new();
    for u in units {
        let step = steps.entry((u.target, u.deploy_order)).or_default();
        if u.account == "management" {
            step.0.push(&u.name);
        } else {
            // A shared template counts its accounts: one StackSet instance each.
            step.1 += u.accounts.len().max(1);
        }
    }
    steps
        .into_iter()
        .map(|((target, order), (named, members))| {
            let mut parts: Vec<String> = named.iter().map(|n| code(n)).collect();
            if members > 0 {
                parts.push(format!("{members} member-account unit(s)"));
            }
            row(&format!("{target}, step {order}"), parts.join(", "))
        })
        .collect()
}

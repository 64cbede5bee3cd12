//! The Mermaid diagram of the organization in READINESS.md: OUs, accounts, SCP attachments,
//! permission-set assignments, PrivateLink endpoints and a residency client's boundary.
//!
//! Node ids are generated (`ou0`, `acct3`), never taken from names, so no name can break the
//! syntax; labels are quoted, with everything that could end them written as entity codes
//! (`escape::mermaid`). Past [`DETAILED_ACCOUNTS`] accounts
//! the diagram shows one node per OU with its account count, since a diagram of thousands of
//! nodes helps nobody (and mermaid refuses more than 500 edges by default).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::blueprint::{Blueprint, Guardrails};
use crate::resolve::Resolved;

/// Most accounts drawn one by one.
pub const DETAILED_ACCOUNTS: usize = 25;

pub fn organization(r: &Resolved) -> String {
    let bp = r.blueprint;
    let mut d = String::from("flowchart TD\n");
    let _ = writeln!(
        d,
        "  root[\"{}\"]",
        label(&format!("Organization root {}", bp.organization.root_id))
    );
    let _ = writeln!(
        d,
        "  mgmt[\"{}\"]",
        label(&format!(
            "management account {}<br/>CloudTrail, anomaly detection",
            bp.organization.management_account_id
        ))
    );
    d.push_str("  root --- mgmt\n");
    let ou_index: BTreeMap<&str, usize> = bp
        .organizational_units
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i))
        .collect();
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        let existing = if ou.id.is_some() { ", existing" } else { "" };
        let _ = writeln!(
            d,
            "  ou{i}[\"{}\"]",
            label(&format!("OU {}{existing}", ou.name))
        );
        let parent = ou
            .parent
            .as_deref()
            .and_then(|p| ou_index.get(p))
            .map_or(String::from("root"), |p| format!("ou{p}"));
        let _ = writeln!(d, "  {parent} --> ou{i}");
    }
    let ou_node = |name: &str| {
        ou_index
            .get(name)
            .map_or(String::from("root"), |i| format!("ou{i}"))
    };
    let detailed = bp.accounts.len() <= DETAILED_ACCOUNTS;
    // Where an account is drawn: its own node, or its OU's summary node.
    let mut account_node: BTreeMap<&str, String> = BTreeMap::new();
    if detailed {
        for (i, resolved) in r.organization.accounts.iter().enumerate() {
            let a = resolved.account;
            let id = match (&a.id, &resolved.moves_from) {
                (None, _) => String::from("new account"),
                (Some(id), None) => format!("account {id}"),
                // Drawn where the deployment puts it, and where it comes from.
                (Some(id), Some(from)) => format!("account {id}, moved from {from}"),
            };
            let _ = writeln!(
                d,
                "  acct{i}[\"{}\"]",
                label(&format!("{}<br/>{id}", a.name))
            );
            let _ = writeln!(d, "  {} --> acct{i}", ou_node(&a.ou));
            account_node.insert(&a.name, format!("acct{i}"));
        }
    } else {
        let mut per_ou: BTreeMap<String, usize> = BTreeMap::new();
        for a in &bp.accounts {
            *per_ou.entry(ou_node(&a.ou)).or_default() += 1;
        }
        for (ou, count) in &per_ou {
            let _ = writeln!(d, "  {ou}_accounts[\"{count} pilot accounts\"]");
            let _ = writeln!(d, "  {ou} --> {ou}_accounts");
        }
        for a in &bp.accounts {
            account_node.insert(&a.name, format!("{}_accounts", ou_node(&a.ou)));
        }
    }
    let node_of = |name: &str| {
        ou_index
            .get(name)
            .map(|i| format!("ou{i}"))
            .or_else(|| account_node.get(name).cloned())
    };
    let targets = &r.guardrails.targets;
    let scps = scp_names(&bp.guardrails);
    if !scps.is_empty() && !targets.is_empty() {
        let _ = writeln!(
            d,
            "  scps[[\"{}\"]]",
            label(&format!("SCPs: {}", scps.join(", ")))
        );
        let mut drawn = Vec::new();
        for t in targets {
            if let Some(node) = node_of(t.name()).filter(|n| !drawn.contains(n)) {
                let _ = writeln!(d, "  scps -.-> {node}");
                drawn.push(node);
            }
        }
    }
    residency(&mut d, bp);
    if detailed {
        assignments(&mut d, bp, &account_node);
        for (i, n) in bp.networks.iter().enumerate() {
            let services: Vec<&str> = n.endpoints.iter().map(|e| e.suffix()).collect();
            let _ = writeln!(
                d,
                "  vpc{i}{{{{\"{}\"}}}}",
                label(&format!(
                    "{} in {}<br/>endpoints: {}",
                    n.vpc_id
                        .as_deref()
                        .map_or_else(|| format!("new VPC {}", n.vpc_cidr), str::to_owned),
                    n.region,
                    services.join(", ")
                ))
            );
            if let Some(node) = account_node.get(n.account.as_str()) {
                let _ = writeln!(d, "  {node} --- vpc{i}");
            }
        }
    } else {
        summarized_assignments(&mut d, bp, &account_node);
        let mut vpcs: BTreeMap<&str, usize> = BTreeMap::new();
        for n in &bp.networks {
            if let Some(node) = account_node.get(n.account.as_str()) {
                *vpcs.entry(node).or_default() += 1;
            }
        }
        for (i, (node, count)) in vpcs.iter().enumerate() {
            let _ = writeln!(
                d,
                "  vpcs{i}{{{{\"{count} VPCs with Bedrock endpoints\"}}}}"
            );
            let _ = writeln!(d, "  {node} --- vpcs{i}");
        }
    }
    d
}

/// A residency client's boundary: where the landing zone is, and which Regions may receive
/// prompts (only to invoke models), approved by whom and when. Drawn from the organization's
/// root, as it bounds the whole pilot.
/// The SCPs the guardrails turn on, as both diagrams (this one and READINESS.html's SVG) name
/// them on the boxes they attach to.
pub fn scp_names(g: &Guardrails) -> Vec<&'static str> {
    [
        (g.region_allowlist, "region allowlist"),
        (g.model_allowlist, "model allowlist"),
        (g.protect_audit_trail, "protect audit trail"),
        (g.deny_leave_organization, "deny leaving"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

fn residency(d: &mut String, bp: &Blueprint) {
    let Some(residency) = bp.data_residency else {
        return;
    };
    let name = residency.key();
    let text = match &bp.bedrock.cross_border_inference {
        Some(c) => format!(
            "data residency {name}: landing zone in {}<br/>prompts may leave only to invoke models \
                in {}<br/>approved by {} on {}",
            bp.organization.home_region,
            c.regions.join(", "),
            c.approved_by,
            c.approved_on
        ),
        None => format!(
            "data residency {name}: landing zone in {}<br/>models are invoked inside {name} only",
            bp.organization.home_region
        ),
    };
    let _ = writeln!(d, "  residency[\"{}\"]", label(&text));
    d.push_str("  root -.- residency\n");
}

/// One node per group or user, one edge per permission set and account.
fn assignments(d: &mut String, bp: &Blueprint, account_node: &BTreeMap<&str, String>) {
    let mut principals: Vec<String> = Vec::new();
    let mut edges: Vec<(usize, &str, &str)> = Vec::new();
    for a in &bp.identity_center.assignments {
        let Some(who) = principal(a) else { continue };
        let p = principals
            .iter()
            .position(|x| *x == who)
            .unwrap_or_else(|| {
                principals.push(who);
                principals.len() - 1
            });
        for account in &a.accounts {
            if let Some(node) = account_node.get(account.as_str()) {
                let edge = (p, a.permission_set.as_str(), node.as_str());
                if !edges.contains(&edge) {
                    edges.push(edge);
                }
            }
        }
    }
    for (i, p) in principals.iter().enumerate() {
        let _ = writeln!(d, "  who{i}([\"{}\"])", label(p));
    }
    for (p, set, node) in edges {
        let _ = writeln!(d, "  who{p} -- \"{}\" --> {node}", label(set));
    }
}

/// One node per permission set with its number of principals, one edge per OU summary node.
fn summarized_assignments(d: &mut String, bp: &Blueprint, account_node: &BTreeMap<&str, String>) {
    let mut sets: BTreeMap<
        &str,
        (
            std::collections::BTreeSet<String>,
            std::collections::BTreeSet<&str>,
        ),
    > = BTreeMap::new();
    for a in &bp.identity_center.assignments {
        let Some(who) = principal(a) else { continue };
        let (principals, nodes) = sets.entry(&a.permission_set).or_default();
        principals.insert(who);
        nodes.extend(
            a.accounts
                .iter()
                .filter_map(|n| account_node.get(n.as_str()))
                .map(String::as_str),
        );
    }
    for (i, (set, (principals, nodes))) in sets.iter().enumerate() {
        let _ = writeln!(
            d,
            "  set{i}([\"{}\"])",
            label(&format!(
                "{set}<br/>{} group(s) or user(s)",
                principals.len()
            ))
        );
        for node in nodes {
            let _ = writeln!(d, "  set{i} --> {node}");
        }
    }
}

fn principal(a: &crate::blueprint::Assignment) -> Option<String> {
    match (&a.group, &a.user) {
        (Some(g), _) => Some(format!("group {g}")),
        (None, Some(u)) => Some(format!("user {u}")),
        (None, None) => None,
    }
}

/// A label for inside `"…"`: each line escaped for Mermaid, joined by the `<br/>` tarmac itself
/// writes between them.
fn label(text: &str) -> String {
    text.split("<br/>")
        .map(super::escape::mermaid)
        .collect::<Vec<_>>()
        .join("<br/>")
}

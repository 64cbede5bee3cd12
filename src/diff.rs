//! `tarmac diff`: a semantic diff of two synthesized outputs, by resource rather than by line.
//!
//! Both targets are read back from their files: CloudFormation templates by logical id, Terraform
//! modules by resource address and module call (`module.member`, whose arguments are a member
//! account's values). A change lists the property paths that changed, and is flagged as
//! a replacement when one of them is, for that resource type, a property whose change replaces
//! the resource (`catalog/aws.yaml`, `replacement_properties`). No I/O here: the CLI reads the
//! folders.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::catalog::Catalog;

/// A resource as found in an output file.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    resource_type: String,
    properties: Json,
}

/// What happened to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    /// The property paths that differ, and whether one of them replaces the resource.
    Changed {
        paths: Vec<String>,
        replacement: bool,
    },
}

/// One resource that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDiff {
    /// The output file, relative to the client folder.
    pub file: String,
    /// Logical id (CloudFormation) or address (Terraform).
    pub id: String,
    pub resource_type: String,
    pub change: Change,
}

/// Differences between two outputs, each given as (relative path, contents). Files that are not
/// templates or modules (the manifest) are not compared here. A template or module that is not
/// JSON is an error naming it: read as empty, it would show every resource as removed.
pub fn diff(
    old: &[(String, String)],
    new: &[(String, String)],
    catalog: &Catalog,
) -> Result<Vec<ResourceDiff>, String> {
    let (old, new) = (resources(old)?, resources(new)?);
    let mut out = Vec::new();
    for ((file, id), n) in &new {
        let change = match old.get(&(file.clone(), id.clone())) {
            None => Change::Added,
            Some(o) if o == n => continue,
            Some(o) => {
                let mut paths = Vec::new();
                changed_paths(&o.properties, &n.properties, String::new(), &mut paths);
                let replaces = catalog.replacement_properties.get(&n.resource_type);
                let replacement = o.resource_type != n.resource_type
                    || replaces.is_some_and(|props| {
                        paths.iter().any(|p| {
                            props
                                .iter()
                                .any(|r| p == r || p.starts_with(&format!("{r}.")))
                        })
                    });
                Change::Changed { paths, replacement }
            }
        };
        out.push(ResourceDiff {
            file: file.clone(),
            id: id.clone(),
            resource_type: n.resource_type.clone(),
            change,
        });
    }
    for ((file, id), o) in &old {
        if !new.contains_key(&(file.clone(), id.clone())) {
            out.push(ResourceDiff {
                file: file.clone(),
                id: id.clone(),
                resource_type: o.resource_type.clone(),
                change: Change::Removed,
            });
        }
    }
    out.sort_by(|a, b| (&a.file, &a.id).cmp(&(&b.file, &b.id)));
    Ok(out)
}

/// Every resource of every template and module, by (file, id).
fn resources(files: &[(String, String)]) -> Result<BTreeMap<(String, String), Found>, String> {
    let mut out = BTreeMap::new();
    for (path, text) in files {
        if !(path.ends_with(".template.json") || path.ends_with(".tf.json")) {
            continue;
        }
        let json = serde_json::from_str::<Json>(text)
            .map_err(|e| format!("{path} is not valid JSON ({e})"))?;
        if path.ends_with(".template.json") {
            for (id, r) in json["Resources"].as_object().into_iter().flatten() {
                let resource_type = r["Type"].as_str().unwrap_or_default().to_owned();
                out.insert(
                    (path.clone(), id.clone()),
                    Found {
                        resource_type,
                        properties: r["Properties"].clone(),
                    },
                );
            }
        } else if path.ends_with(".tf.json") {
            for (ty, blocks) in json["resource"].as_object().into_iter().flatten() {
                for (label, body) in blocks.as_object().into_iter().flatten() {
                    out.insert(
                        (path.clone(), format!("{ty}.{label}")),
                        Found {
                            resource_type: ty.clone(),
                            properties: body.clone(),
                        },
                    );
                }
            }
            for (name, call) in json["module"].as_object().into_iter().flatten() {
                out.insert(
                    (path.clone(), format!("module.{name}")),
                    Found {
                        resource_type: String::from("module"),
                        properties: call.clone(),
                    },
                );
            }
        }
    }
    Ok(out)
}

/// Dot-separated paths where two JSON values differ (objects by key, arrays as a whole).
fn changed_paths(old: &Json, new: &Json, at: String, out: &mut Vec<String>) {
    match (old, new) {
        (Json::Object(o), Json::Object(n)) => {
            let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match (o.get(k), n.get(k)) {
                    (Some(a), Some(b)) => changed_paths(a, b, path, out),
                    _ => out.push(path),
                }
            }
        }
        // Lists of one length are compared item by item: a StackSet's instances, say, so that
        // the diff names the account whose values changed. An item is named by what identifies
        // it where it has such a thing (a parameter's key, an instance's accounts), else by its
        // position.
        (Json::Array(o), Json::Array(n)) if o.len() == n.len() && o != n => {
            for (i, (a, b)) in o.iter().zip(n).enumerate() {
                let item = identity(a)
                    .filter(|id| identity(b).as_ref() == Some(id))
                    .unwrap_or_else(|| i.to_string());
                changed_paths(a, b, format!("{at}[{item}]"), out);
            }
        }
        (a, b) if a != b => out.push(if at.is_empty() {
            String::from("(whole resource)")
        } else {
            at
        }),
        _ => {}
    }
}

/// What names a list item for a reader: `ParameterKey` (StackSet parameters and overrides),
/// `Key` (tags), the accounts of a StackSet instance group.
fn identity(item: &Json) -> Option<String> {
    let text = |v: &Json| v.as_str().map(String::from);
    if let Some(k) = item.get("ParameterKey").and_then(text) {
        return Some(k);
    }
    if let Some(k) = item.get("Key").and_then(text) {
        return Some(k);
    }
    // An account is an id, or the account resource (`Fn::GetAtt`) or parameter (`Ref`) that
    // gives one.
    let account = |v: &Json| {
        text(v)
            .or_else(|| v.pointer("/Fn::GetAtt/0").and_then(text))
            .or_else(|| v.get("Ref").and_then(text))
    };
    let accounts = item.pointer("/DeploymentTargets/Accounts")?.as_array()?;
    let ids: Vec<String> = accounts.iter().filter_map(account).collect();
    (!ids.is_empty()).then(|| format!("account {}", ids.join(", ")))
}

/// Files of the rollout kit that were added (`+`), removed (`-`) or changed (`~`), by path. They
/// hold no resources, but a reviewer should see that developers' configuration changes.
pub fn kit_changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<(char, String)> {
    let kit = |files: &[(String, String)]| -> BTreeMap<String, String> {
        files
            .iter()
            .filter(|(p, _)| p.starts_with("rollout/"))
            .cloned()
            .collect()
    };
    let (old, new) = (kit(old), kit(new));
    let mut out: Vec<(char, String)> = Vec::new();
    for (path, text) in &new {
        match old.get(path) {
            None => out.push(('+', path.clone())),
            Some(o) if o != text => out.push(('~', path.clone())),
            Some(_) => {}
        }
    }
    out.extend(
        old.keys()
            .filter(|p| !new.contains_key(*p))
            .map(|p| ('-', p.clone())),
    );
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// The kit's changes as text, after the resources'.
pub fn render_kit(changes: &[(char, String)]) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "rollout kit
",
    );
    for (sign, path) in changes {
        out.push_str(&format!("  {sign} {path}\n"));
    }
    out
}

/// Whether a change destroys a resource: a replacement, or a removal.
pub fn destroys(change: &Change) -> bool {
    matches!(
        change,
        Change::Removed
            | Change::Changed {
                replacement: true,
                ..
            }
    )
}

/// The diff as JSON for CI: every resource change with its properties and whether it replaces
/// the resource, the kit's files, and the counts.
pub fn to_json(diffs: &[ResourceDiff], kit: &[(char, String)]) -> serde_json::Value {
    let resources: Vec<Json> = diffs
        .iter()
        .map(|d| {
            let (change, paths, replacement) = match &d.change {
                Change::Added => ("added", Vec::new(), false),
                Change::Removed => ("removed", Vec::new(), false),
                Change::Changed { paths, replacement } => ("changed", paths.clone(), *replacement),
            };
            serde_json::json!({
                "file": d.file,
                "id": d.id,
                "type": d.resource_type,
                "change": change,
                "properties": paths,
                "replacement": replacement,
            })
        })
        .collect();
    let files: Vec<Json> = kit
        .iter()
        .map(|(sign, path)| {
            let change = match sign {
                '+' => "added",
                '-' => "removed",
                _ => "changed",
            };
            serde_json::json!({ "file": path, "change": change })
        })
        .collect();
    let count = |f: &dyn Fn(&Change) -> bool| diffs.iter().filter(|d| f(&d.change)).count();
    serde_json::json!({
        "resources": resources,
        "kit": files,
        "summary": {
            "added": count(&|c| *c == Change::Added),
            "removed": count(&|c| *c == Change::Removed),
            "changed": count(&|c| matches!(c, Change::Changed { .. })),
            "replaced": count(&|c| matches!(c, Change::Changed { replacement: true, .. })),
            "kit_files": kit.len(),
        },
    })
}

/// The diff as text for a terminal or a pull-request comment.
pub fn render(diffs: &[ResourceDiff]) -> String {
    if diffs.is_empty() {
        return String::from("no resource changes\n");
    }
    let mut out = String::new();
    let mut file = "";
    for d in diffs {
        if d.file != file {
            file = &d.file;
            out.push_str(&format!("{file}\n"));
        }
        match &d.change {
            Change::Added => out.push_str(&format!("  + {} ({})\n", d.id, d.resource_type)),
            Change::Removed => out.push_str(&format!("  - {} ({})\n", d.id, d.resource_type)),
            Change::Changed { paths, replacement } => {
                let note = if *replacement { "  REPLACEMENT" } else { "" };
                out.push_str(&format!("  ~ {} ({}){note}\n", d.id, d.resource_type));
                for p in paths {
                    out.push_str(&format!("      {p}\n"));
                }
            }
        }
    }
    let count = |f: fn(&Change) -> bool| diffs.iter().filter(|d| f(&d.change)).count();
    out.push_str(&format!(
        "{} added, {} removed, {} changed ({} replaced)\n",
        count(|c| *c == Change::Added),
        count(|c| *c == Change::Removed),
        count(|c| matches!(c, Change::Changed { .. })),
        count(|c| matches!(
            c,
            Change::Changed {
                replacement: true,
                ..
            }
        )),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(email: &str, extra: bool) -> (String, String) {
        let mut resources = serde_json::json!({
            "Account": {
                "Type": "AWS::Organizations::Account",
                "Properties": { "AccountName": "a", "Email": email }
            },
            "Key": { "Type": "AWS::KMS::Key", "Properties": { "Description": "k" } }
        });
        if extra {
            resources["Topic"] = serde_json::json!({ "Type": "AWS::SNS::Topic", "Properties": {} });
        }
        (
            "cloudformation/m.template.json".into(),
            serde_json::json!({ "Resources": resources }).to_string(),
        )
    }

    #[test]
    fn added_removed_changed_and_replacements() {
        let c = Catalog::get();
        let d = diff(&[template("a@x.io", true)], &[template("b@x.io", false)], c).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].id, "Account");
        assert_eq!(
            d[0].change,
            Change::Changed {
                paths: vec!["Email".into()],
                replacement: true
            }
        );
        assert_eq!(d[1].change, Change::Removed);
        assert!(render(&d).contains("0 added, 1 removed, 1 changed (1 replaced)"));
        assert!(
            diff(&[template("a@x.io", true)], &[template("a@x.io", true)], c)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn terraform_resources_by_address() {
        let old = (
            "terraform/m/main.tf.json".to_owned(),
            r#"{"resource":{"aws_s3_bucket":{"b":{"bucket":"one"}}}}"#.to_owned(),
        );
        let new = (
            "terraform/m/main.tf.json".to_owned(),
            r#"{"resource":{"aws_s3_bucket":{"b":{"bucket":"two"}}}}"#.to_owned(),
        );
        let d = diff(&[old], &[new], Catalog::get()).unwrap();
        assert_eq!(d[0].id, "aws_s3_bucket.b");
        assert_eq!(
            d[0].change,
            Change::Changed {
                paths: vec!["bucket".into()],
                replacement: true
            }
        );
    }
}

#[cfg(test)]
mod kit_tests {
    use super::kit_changes;

    #[test]
    fn kit_files_are_compared_by_path() {
        let f = |p: &str, t: &str| (p.to_owned(), t.to_owned());
        let old = [
            f("rollout/aws/config", "a"),
            f("rollout/validate.sh", "x"),
            f("manifest.json", "{}"),
        ];
        let new = [
            f("rollout/aws/config", "b"),
            f("rollout/READINESS.md", "r"),
            f("manifest.json", "{\"changed\": true}"),
        ];
        assert_eq!(
            kit_changes(&old, &new),
            [
                ('+', String::from("rollout/READINESS.md")),
                ('~', String::from("rollout/aws/config")),
                ('-', String::from("rollout/validate.sh")),
            ]
        );
    }
}

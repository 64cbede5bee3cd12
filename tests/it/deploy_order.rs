//! The manifest's `deploy_order` is a topological layering of the units: every unit deploys
//! after every unit it reads, through an input (`output:<unit>.<name>`) or, within a split
//! CloudFormation unit, an `Fn::ImportValue`; and what it reads exists where the manifest says.
//! Proved over every shipped blueprint and generated organizations whose management unit is
//! split and whose Cost Explorer unit (us-east-1) is not the home region.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tarmac::compile::{compile, Compiled, Targets};

use crate::common::{compile_text, file, generated};

/// `tarmac generate n` with its home region set.
fn generated_in(n: usize, home: &str) -> String {
    let text = generated(n);
    let anchor = "  management_account_id: \"100000000000\"\n";
    assert!(
        text.contains(anchor),
        "the generated blueprint names its management account"
    );
    text.replacen(anchor, &format!("{anchor}  home_region: {home}\n"), 1)
}

/// Every value of `key` anywhere in `v`.
fn collect<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == key {
                    out.push(x);
                }
                collect(x, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        _ => {}
    }
}

/// Checks the manifest of `c` and returns the deploy order of each (target, unit).
pub fn check(label: &str, c: &Compiled) -> BTreeMap<(String, String), u64> {
    let manifest: Value = serde_json::from_str(file(c, "manifest.json")).unwrap();
    let units = manifest["units"].as_array().unwrap();
    let key = |u: &Value| {
        (
            u["target"].as_str().unwrap().to_owned(),
            u["name"].as_str().unwrap().to_owned(),
        )
    };
    let by_name: BTreeMap<(String, String), &Value> = units.iter().map(|u| (key(u), u)).collect();
    assert_eq!(
        by_name.len(),
        units.len(),
        "{label}: unit names are unique per target"
    );
    let order = |u: &Value| u["deploy_order"].as_u64().unwrap();
    // Each unit's first file, parsed once: a management template is read by many inputs.
    let texts: BTreeMap<&str, &str> = c
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let docs: BTreeMap<&str, Value> = units
        .iter()
        .map(|u| {
            let path = u["files"][0].as_str().unwrap();
            (path, serde_json::from_str(texts[path]).unwrap())
        })
        .collect();
    let doc = |u: &Value| &docs[u["files"][0].as_str().unwrap()];
    // CloudFormation exports, by export name: the order of the stack that exports it.
    let mut exports: BTreeMap<String, u64> = BTreeMap::new();
    for u in units.iter().filter(|u| u["target"] == "cloudformation") {
        if let Some(outputs) = doc(u)["Outputs"].as_object() {
            for o in outputs.values() {
                if let Some(name) = o["Export"]["Name"].as_str() {
                    exports.insert(name.to_owned(), order(u));
                }
            }
        }
    }
    for u in units {
        let (target, name) = key(u);
        assert!(order(u) >= 1, "{label}: {target} {name} has an order");
        let mut waits = 0;
        for input in u["inputs"].as_array().into_iter().flatten() {
            let source = input["source"].as_str().unwrap();
            let Some(rest) = source.strip_prefix("output:") else {
                continue;
            };
            let (unit, output) = rest.rsplit_once('.').unwrap();
            let from = by_name
                .get(&(target.clone(), unit.to_owned()))
                .unwrap_or_else(|| panic!("{label}: {target} {name} reads unknown unit {unit}"));
            assert!(
                order(from) < order(u),
                "{label}: {target} {name} (order {}) reads {unit} (order {})",
                order(u),
                order(from)
            );
            // The output is in that unit's file, under that name.
            let d = doc(from);
            let outputs = if target == "cloudformation" {
                &d["Outputs"]
            } else {
                &d["output"]
            };
            assert!(
                outputs.get(output).is_some(),
                "{label}: {target} {name} reads {unit}.{output}, which {unit} does not output"
            );
            waits += 1;
        }
        if target == "cloudformation" && u["kind"] == "stack" {
            let d = doc(u);
            let mut imports = Vec::new();
            collect(d, "Fn::ImportValue", &mut imports);
            for i in imports {
                let i = i.as_str().unwrap();
                let at = exports
                    .get(i)
                    .unwrap_or_else(|| panic!("{label}: {name} imports {i}, exported by no stack"));
                assert!(
                    *at < order(u),
                    "{label}: {name} imports {i} from a later stack"
                );
                waits += 1;
            }
            // A CloudFormation parameter without a default is listed as an input, and only those.
            let declared: BTreeSet<&str> = d["Parameters"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, p)| p.get("Default").is_none())
                .map(|(k, _)| k.as_str())
                .collect();
            let listed: BTreeSet<&str> = u["inputs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| i["name"].as_str().unwrap())
                .collect();
            assert_eq!(
                declared, listed,
                "{label}: {name}'s inputs are its parameters"
            );
        }
        // A unit that waits for nothing it reads starts first... unless something else orders it.
        if waits == 0 && u["kind"] == "root-module" {
            assert_eq!(
                order(u),
                1,
                "{label}: {target} {name} reads nothing, so it is in step 1"
            );
        }
    }
    units.iter().map(|u| (key(u), order(u))).collect()
}

#[test]
fn every_shipped_blueprint_deploys_in_topological_order() {
    for path in crate::common::blueprints() {
        let label = path.display().to_string();
        let c = compile(&crate::common::source(&path), Targets::All)
            .unwrap_or_else(|_| panic!("{label} compiles"));
        check(&label, &c);
    }
}

#[test]
fn generated_organizations_deploy_in_topological_order() {
    for n in [1, 250, 1_000] {
        for home in ["us-east-1", "eu-west-1"] {
            let label = format!("{n} accounts, home {home}");
            let c = compile_text(&generated_in(n, home), Targets::All);
            let orders = check(&label, &c);
            let get = |target: &str, unit: &str| orders.get(&(target.to_owned(), unit.to_owned()));
            for target in ["cloudformation", "terraform"] {
                assert_eq!(get(target, "management"), Some(&1), "{label}");
                // The Cost Explorer unit reads the management unit's account ids: a later step.
                if home != "us-east-1" {
                    let ce = get(target, "management-us-east-1").expect("a us-east-1 unit");
                    assert!(
                        *ce >= 2,
                        "{label}: {target} management-us-east-1 is order {ce}"
                    );
                }
            }
        }
    }
}

/// The finding of issue 16: at 250 accounts the management unit is split, and the Cost Explorer
/// unit's inputs named `management` for account ids that only `management-part-2` outputs.
#[test]
fn inputs_name_the_stack_of_a_split_unit_that_has_the_output() {
    let c = compile_text(&generated_in(250, "eu-west-1"), Targets::Cloudformation);
    let manifest: Value = serde_json::from_str(file(&c, "manifest.json")).unwrap();
    let ce = manifest["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "management-us-east-1")
        .unwrap();
    let sources: BTreeSet<&str> = ce["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().split('.').next().unwrap())
        .collect();
    assert_eq!(
        sources,
        BTreeSet::from(["output:management", "output:management-part-2"]),
        "the account ids come from both stacks of the split management unit"
    );
    check("250 accounts, home eu-west-1", &c);
}

//! The AWS quotas of docs/quotas.md at their boundaries: anomaly monitors of at most ten
//! accounts, CloudFormation's per-stack quotas, tags and template descriptions.

use tarmac::compile::{Compiled, Targets};

/// `tarmac generate n` with the home region in eu-west-1, so that the Cost Explorer resources
/// live in their own `management-us-east-1` unit and read every account id as an input.
fn generated_in_eu(n: usize) -> String {
    crate::common::generated(n).replace(
        "organization:\n",
        "organization:\n  home_region: eu-west-1\n",
    )
}

fn errors(text: &str) -> Vec<&'static str> {
    crate::common::error_codes(text, Targets::All)
}

fn json(c: &Compiled, path: &str) -> serde_json::Value {
    serde_json::from_str(crate::common::file(c, path)).unwrap()
}

/// The accounts each anomaly monitor tracks, in the order of the monitors, from the account-id
/// inputs its specification names (`marker` is how one is spelled in the target).
fn monitored(spec: &str, marker: &str) -> Vec<usize> {
    spec.split(marker)
        .skip(1)
        .map(|rest| rest[..5].parse().unwrap())
        .collect()
}

/// Per target, the accounts of each monitor, and the monitors the subscription lists.
fn monitors(c: &Compiled) -> [(Vec<Vec<usize>>, usize); 2] {
    let mut cfn = (Vec::new(), 0);
    for f in c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/management-us-east-1"))
    {
        let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
        for r in t["Resources"].as_object().unwrap().values() {
            if r["Type"] == "AWS::CE::AnomalyMonitor" {
                let spec = r["Properties"]["MonitorSpecification"].to_string();
                cfn.0.push(monitored(&spec, "AccountIdPilot"));
            }
            if r["Type"] == "AWS::CE::AnomalySubscription" {
                cfn.1 += r["Properties"]["MonitorArnList"].as_array().unwrap().len();
            }
        }
    }
    let t = json(c, "terraform/management-us-east-1/main.tf.json");
    let tf_monitors = t["resource"]["aws_ce_anomaly_monitor"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| {
            monitored(
                m["monitor_specification"].as_str().unwrap(),
                "account_id_pilot_",
            )
        })
        .collect();
    let subscriptions = t["resource"]["aws_ce_anomaly_subscription"]
        .as_object()
        .unwrap();
    assert_eq!(subscriptions.len(), 1);
    let listed = subscriptions.values().next().unwrap()["monitor_arn_list"]
        .as_array()
        .unwrap()
        .len();
    [cfn, (tf_monitors, listed)]
}

#[test]
fn anomaly_monitors_hold_at_most_ten_accounts_each_in_blueprint_order() {
    for (n, expected) in [(10, 1), (11, 2), (40, 4)] {
        let c = crate::common::compile_text(&generated_in_eu(n), Targets::All);
        for (target, (monitors, listed)) in ["cloudformation", "terraform"].iter().zip(monitors(&c))
        {
            assert_eq!(monitors.len(), expected, "{target}, {n} accounts");
            assert_eq!(
                listed, expected,
                "{target}: one subscription lists every monitor"
            );
            assert!(
                monitors.iter().all(|m| m.len() <= 10),
                "{target}: {monitors:?}"
            );
            // Every account in exactly one monitor: monitor 1 has the first ten, and so on.
            let all: Vec<usize> = monitors.concat();
            assert_eq!(all, (0..n).collect::<Vec<_>>(), "{target}");
        }
    }
}

#[test]
fn the_first_monitor_keeps_its_name_when_an_eleventh_account_joins() {
    let names = |n: usize| {
        let c = crate::common::compile_text(&generated_in_eu(n), Targets::Cloudformation);
        let t = json(&c, "cloudformation/management-us-east-1.template.json");
        t["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::CE::AnomalyMonitor")
            .map(|(id, r)| format!("{id}={}", r["Properties"]["MonitorName"].as_str().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(10), ["AnomalyMonitor=scale-pilot-accounts"]);
    assert_eq!(
        names(11),
        [
            "AnomalyMonitor=scale-pilot-accounts",
            "AnomalyMonitor2=scale-pilot-accounts-2"
        ]
    );
}

/// `generated(1)` with `n` tags, each of the given key and value lengths at least.
fn with_tags(n: usize, key: usize, value: usize) -> String {
    let mut text = crate::common::generated(1);
    text.push_str("tags:\n");
    for i in 0..n {
        let k = format!("k{i:03}");
        let k = format!("{k}{}", "k".repeat(key.saturating_sub(k.len())));
        text.push_str(&format!("  {k}: \"{}\"\n", "v".repeat(value)));
    }
    text
}

#[test]
fn fifty_tags_pass_and_fifty_one_are_refused() {
    let c = crate::common::compile_text(&with_tags(50, 4, 1), Targets::All);
    let t = json(&c, "cloudformation/management.template.json");
    let tagged = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|r| r["Properties"]["Tags"].as_array())
        .map(Vec::len)
        .max();
    assert_eq!(tagged, Some(50));
    assert_eq!(errors(&with_tags(51, 4, 1)), ["TM054"]);
}

#[test]
fn tag_keys_of_128_and_values_of_256_characters_pass_one_more_is_refused() {
    assert!(errors(&with_tags(1, 128, 256)).is_empty());
    assert_eq!(errors(&with_tags(1, 129, 256)), ["TM054"]);
    assert_eq!(errors(&with_tags(1, 128, 257)), ["TM054"]);
    let reserved = format!("{}tags:\n  aws:owner: x\n", crate::common::generated(1));
    assert_eq!(errors(&reserved), ["TM054"]);
}

/// `generated(1)` with a display name of `bytes` bytes (three-byte characters, so bytes and
/// characters differ) and its account renamed to the longest name an account may have.
fn with_display_name(bytes: usize) -> String {
    let name = format!("{}{}", "€".repeat(bytes / 3), "a".repeat(bytes % 3));
    let account = format!("p{}", "x".repeat(49));
    crate::common::generated(1)
        .replace(
            "client: scale\n",
            &format!("client: scale\ndisplay_name: \"{name}\"\n"),
        )
        .replace("pilot-00000", &account)
}

#[test]
fn every_description_fits_1024_bytes_at_the_longest_display_name_and_one_byte_more_is_refused() {
    let c = crate::common::compile_text(&with_display_name(256), Targets::All);
    let mut templates = 0;
    for f in c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
    {
        let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
        let description = t["Description"].as_str().unwrap();
        assert!(description.contains('€'), "{}", f.path);
        assert!(
            description.len() <= 1024,
            "{}: {} bytes",
            f.path,
            description.len()
        );
        // A StackSet's own description has the same quota.
        for r in t["Resources"].as_object().unwrap().values() {
            if let Some(d) = r["Properties"]["Description"].as_str() {
                assert!(d.len() <= 1024, "{}: {} bytes", f.path, d.len());
            }
        }
        templates += 1;
    }
    assert!(templates >= 2);
    assert_eq!(errors(&with_display_name(257)), ["TM055"]);
}

/// Every CloudFormation template of `c` within CloudFormation's per-template quotas
/// (docs/quotas.md); returns the number of parameters of each, by file.
pub fn assert_within_cloudformation_quotas(c: &Compiled, what: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for f in c
        .files
        .iter()
        .filter(|f| f.path.starts_with("cloudformation/"))
    {
        let t: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
        let section = |key: &str| t[key].as_object().cloned().unwrap_or_default();
        let at = format!("{what}: {}", f.path);
        assert!(section("Resources").len() <= 500, "{at}: resources");
        assert!(section("Parameters").len() <= 200, "{at}: parameters");
        assert!(section("Outputs").len() <= 200, "{at}: outputs");
        assert!(
            f.contents.len() <= 1_000_000,
            "{at}: {} bytes",
            f.contents.len()
        );
        assert!(
            t["Description"].as_str().unwrap().len() <= 1024,
            "{at}: description"
        );
        for key in ["Resources", "Parameters", "Outputs"] {
            for (id, v) in section(key) {
                assert!(id.len() <= 255, "{at}: {id}");
                if let Some(d) = v["Description"].as_str() {
                    assert!(d.len() <= 1024, "{at}: description of {id}");
                }
            }
        }
        for p in section("Parameters").values() {
            if let Some(d) = p["Default"].as_str() {
                assert!(d.len() <= 4096, "{at}: parameter value");
            }
        }
        out.push((f.path.clone(), section("Parameters").len()));
    }
    out
}

#[test]
fn cost_explorer_stacks_of_200_account_ids_fit_one_stack_and_201_are_split() {
    let stacks = |n: usize| {
        let c = crate::common::compile_text(&generated_in_eu(n), Targets::Cloudformation);
        assert_within_cloudformation_quotas(&c, &format!("{n} accounts"))
            .into_iter()
            .filter(|(p, _)| p.starts_with("cloudformation/management-us-east-1"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        stacks(200),
        [(
            "cloudformation/management-us-east-1.template.json".to_owned(),
            200
        )]
    );
    let over = stacks(201);
    assert_eq!(over.len(), 2, "{over:?}");
    assert_eq!(over.iter().map(|(_, n)| n).sum::<usize>(), 201);
    // The 250-account client of issue 16 had one stack of 250 parameters.
    assert!(stacks(250).iter().all(|(_, n)| *n <= 200));
}

/// Most exports tarmac's stacks may hold in one Region of the management account. AWS's
/// quota on exports per account and Region is not in the stored CloudFormation quotas page
/// (docs/quotas.md); the design keeps exports to what crosses a stack boundary, and this
/// bound, a fifth of the 5,000 the quota was feared to be, is what the test holds it to.
const EXPORTS_PER_REGION: usize = 1_000;

/// Stacks per account and Region: 200 in the archived quotas page, the lowest value published.
const STACKS_PER_REGION: usize = 200;

/// The CloudFormation stacks and exports of `c` per Region (the management account's).
fn stacks_and_exports(c: &Compiled) -> std::collections::BTreeMap<String, (usize, usize)> {
    let manifest = json(c, "manifest.json");
    let mut out = std::collections::BTreeMap::new();
    for u in manifest["units"].as_array().unwrap() {
        if u["target"] != "cloudformation" || u["kind"] != "stack" {
            continue;
        }
        let t = json(c, u["files"][0].as_str().unwrap());
        let exports = t["Outputs"].as_object().map_or(0, |o| {
            o.values().filter(|o| o.get("Export").is_some()).count()
        });
        let e: &mut (usize, usize) = out
            .entry(u["region"].as_str().unwrap().to_owned())
            .or_default();
        e.0 += 1;
        e.1 += exports;
    }
    out
}

/// Every Region of `c` within [`STACKS_PER_REGION`] and [`EXPORTS_PER_REGION`].
fn assert_within_region_quotas(c: &Compiled, what: &str) {
    for (region, (stacks, exports)) in stacks_and_exports(c) {
        assert!(
            stacks <= STACKS_PER_REGION,
            "{what}: {stacks} stacks in {region}"
        );
        assert!(
            exports <= EXPORTS_PER_REGION,
            "{what}: {exports} exports in {region}"
        );
    }
}

#[test]
fn every_stack_of_every_shipped_and_generated_blueprint_is_within_cloudformation_quotas() {
    for path in crate::common::blueprints() {
        let text = crate::common::text(&path);
        let c = crate::common::compile_text(&text, Targets::Cloudformation);
        assert_within_cloudformation_quotas(&c, &path.display().to_string());
        assert_within_region_quotas(&c, &path.display().to_string());
    }
    let cases = [1, 10, 11, 199, 200, 201, 1_000]
        .into_iter()
        .flat_map(|n| ["us-east-1", "eu-west-1", "us-west-2"].map(|home| (n, home)))
        // 500 monitors, cut over stacks with the subscription that reads them all.
        .chain([(5_000, "us-east-1")]);
    for (n, home) in cases {
        let text = crate::common::generated(n).replace(
            "organization:\n",
            &format!("organization:\n  home_region: {home}\n"),
        );
        let c = crate::common::compile_text(&text, Targets::Cloudformation);
        let what = format!("{n} accounts, home {home}");
        assert_within_cloudformation_quotas(&c, &what);
        assert_within_region_quotas(&c, &what);
        if n == 5_000 {
            // The most exports of any N up to 10,000 (docs/quotas.md): each of the 500 monitors
            // is read by the one subscription, and at most the nine accounts before each stack
            // boundary are read by a monitor in the next stack, with a few items of the first
            // (the OU, the permission set). Before, each monitor imported its ten accounts:
            // 5,402 exports.
            let (stacks, exports) = stacks_and_exports(&c)["us-east-1"];
            assert!(
                exports <= 500 + 9 * (stacks - 1) + 10,
                "{exports} exports, {stacks} stacks"
            );
        }
    }
}

/// `generated(1)` with ten thresholds whose budget names are `100 + extra` characters long at
/// most: `scale-bedrock-monthly-` and ten `a<percent>` joined by `-`.
fn with_thresholds(extra: usize) -> String {
    let mut percents: Vec<String> = (1..10).map(|i| format!("1.234{i}")).collect();
    percents.push(if extra == 0 { "2.345" } else { "2.3456" }.to_owned());
    let list: Vec<String> = percents
        .iter()
        .map(|p| format!("{{percent: {p}}}"))
        .collect();
    crate::common::generated(1).replace(
        "budgets:\n",
        &format!("budgets:\n  thresholds: [{}]\n", list.join(", ")),
    )
}

#[test]
fn budget_names_of_100_characters_pass_and_101_are_refused() {
    let c = crate::common::compile_text(&with_thresholds(0), Targets::Cloudformation);
    let t = json(&c, "cloudformation/members-us-east-2.template.json");
    let longest = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Budgets::Budget")
        .map(|r| {
            r["Properties"]["Budget"]["BudgetName"]
                .as_str()
                .unwrap()
                .len()
        })
        .max();
    assert_eq!(longest, Some(100));
    assert_eq!(errors(&with_thresholds(1)), ["TM057"]);
}

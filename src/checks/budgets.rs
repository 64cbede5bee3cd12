//! Cost controls the pilot guidance asks for: a budget on every account, alerts at 50/80/100 %
//! actual and 100 % forecasted, sent to a list rather than a person.

use crate::blueprint::pointer::Ptr;
use crate::blueprint::{default_thresholds, Blueprint, Threshold, ThresholdKind};
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    for (i, a) in bp.accounts.iter().enumerate() {
        for (field, amount) in [
            ("monthly_budget_usd", a.monthly_budget_usd),
            ("bedrock_budget_usd", a.bedrock_budget_usd),
        ] {
            if amount.is_some_and(|usd| usd <= 0.0) {
                out.push(
                    Diagnostic::error(
                        codes::MISSING_BUDGET,
                        Ptr::account(i).field(field).to_string(),
                        format!("account `{}` has no budget", a.name),
                    )
                    .with_label("a budget of zero never alerts")
                    .with_help(
                        "give a positive monthly amount in USD, or remove the field to use the \
default from `budgets`",
                    ),
                );
            }
        }
    }
    thresholds(bp, out);
    alert_addresses(bp, out);
}

fn thresholds(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let given = &bp.budgets.thresholds;
    let standard = default_thresholds();
    let missing: Vec<String> = standard
        .iter()
        .filter(|t| !given.contains(t))
        .map(describe)
        .collect();
    let extra: Vec<String> = given
        .iter()
        .filter(|t| !standard.contains(t))
        .map(describe)
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("adds {}", extra.join(", ")));
    }
    out.push(
        Diagnostic::warning(
            codes::BUDGET_THRESHOLDS,
            "/budgets/thresholds",
            format!(
                "budget thresholds differ from the pilot standard: {}",
                parts.join("; ")
            ),
        )
        .at_key()
        .with_label("not 50/80/100 % actual + 100 % forecasted")
        .with_help("remove `thresholds` to use the standard, or list all four of them"),
    );
}

fn describe(t: &Threshold) -> String {
    let kind = match t.kind {
        ThresholdKind::Actual => "actual",
        ThresholdKind::Forecasted => "forecasted",
    };
    format!("{} % {kind}", crate::json::number_text(t.percent))
}

/// A warning when every alert address looks like one person's mailbox.
fn alert_addresses(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let emails = &bp.budgets.alert_emails;
    if emails.is_empty() || emails.iter().any(|e| looks_like_list(e)) {
        return;
    }
    let subject = if emails.len() == 1 {
        format!("`{}`, one person", emails[0])
    } else {
        format!("{} individual people", emails.len())
    };
    out.push(
        Diagnostic::warning(
            codes::ALERTS_TO_PERSON,
            "/budgets/alert_emails",
            format!("budget and anomaly alerts go only to {subject}"),
        )
        .with_label("no distribution list or shared mailbox")
        .with_help(
            "send alerts to a list such as finops@ or aws-billing@ that several people read; \
alerts to one person are missed on holidays and lost when they leave",
        ),
    );
}

/// Words that mark a mailbox as a team's or a list's rather than a person's.
const LIST_WORDS: &[&str] = &[
    "account",
    "accounts",
    "admin",
    "admins",
    "ai",
    "alert",
    "alerts",
    "all",
    "aws",
    "billing",
    "budget",
    "budgets",
    "cloud",
    "cost",
    "costs",
    "devops",
    "dl",
    "eng",
    "finance",
    "finops",
    "group",
    "infra",
    "it",
    "list",
    "ml",
    "notifications",
    "ops",
    "owners",
    "pilot",
    "platform",
    "security",
    "sre",
    "support",
    "team",
];

fn looks_like_list(email: &str) -> bool {
    let local = email
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    local
        .split(['.', '-', '_', '+'])
        .any(|w| LIST_WORDS.contains(&w))
}

/// TM042 for a blueprint without a `budgets` section, which the loader finds (the section is
/// required): the same rule as a budget of zero, with the same home.
pub(crate) fn no_budgets(pointer: &str) -> Diagnostic {
    Diagnostic::error(codes::MISSING_BUDGET, pointer, "the pilot has no budget")
        .at_key()
        .with_label("no `budgets` section")
        .with_help(
            "add `budgets:` with `alert_emails` (a shared list), `account_monthly_usd` and \
                `bedrock_monthly_usd`; every pilot account then gets an account budget and a \
                Bedrock budget alerting at 50/80/100 % actual and 100 % forecasted",
        )
}

#[cfg(test)]
mod tests {
    use super::looks_like_list;

    #[test]
    fn lists_and_people() {
        assert!(looks_like_list("aws-billing@acme.example"));
        assert!(looks_like_list("cloud-finops@globex.example"));
        assert!(looks_like_list("ai-platform-team@initech.example"));
        assert!(!looks_like_list("jane.doe@acme.example"));
        assert!(!looks_like_list("jdoe@acme.example"));
    }
}

//! Cost controls: per member account an account budget and a Bedrock-only budget alerting an
//! encrypted SNS topic that fans out to the shared lists, and Cost Anomaly Detection on the pilot
//! accounts in the management (payer) account.

use super::context::Context;
use super::policy::{Effect, PolicyDocument, Principal, Statement};
use super::value::{join, Attr, Name, Value};
use super::{
    AnomalyDimension, Budget, BudgetType, Comparison, CostFilter, Currency, Input, InputSource,
    InputType, KeySettings, Kind, MonitorType, Notification, NotificationType, ThresholdType,
    TimeUnit, Unit,
};
use crate::blueprint::{Frequency, ThresholdKind};
use crate::naming::{budget_names, BUDGET_SLUGS, MONITOR_ACCOUNTS};
use crate::resolve::organization::{Account, Budgets};

/// The Cost Explorer service value for Bedrock spend.
const BEDROCK_SERVICE: &str = "Amazon Bedrock";

/// The key of the budget alerts: rotated yearly, as every customer managed key tarmac creates,
/// and deleted only after the longest waiting period KMS allows, so that a key scheduled for
/// deletion by mistake can be restored before the topic's encrypted alerts are lost.
const ALERTS_KEY: KeySettings = KeySettings {
    rotation: true,
    pending_window_days: 30,
};

/// Cost Anomaly Detection; the budgets are planned with the rest of each member unit
/// (`members`).
pub(super) fn plan(cx: &mut Context) {
    anomaly_detection(cx);
}

/// The budgets of an account, in its unit of its primary region. Names and descriptions do not
/// name the account (each lives in its own account): accounts differ only in their amounts,
/// which are inputs, so they share one template.
pub(super) fn budgets(cx: &Context, acct: &Account, unit: &mut Unit) {
    let bp = cx.bp;
    let notifications: Vec<Notification> = bp
        .budgets
        .thresholds
        .iter()
        // The blueprint's thresholds are percentages of the amount, alerting once spend is
        // above them.
        .map(|t| Notification {
            percent: t.percent,
            notification_type: match t.kind {
                ThresholdKind::Actual => NotificationType::Actual,
                ThresholdKind::Forecasted => NotificationType::Forecasted,
            },
            comparison: Comparison::GreaterThan,
            threshold_type: ThresholdType::Percentage,
        })
        .collect();
    let publisher = |service: &str| Principal::Service(vec![service.to_owned()]);
    let same_account = || vec![Value::AccountId];
    let root = join([
        Value::lit("arn:aws:iam::"),
        Value::AccountId,
        Value::lit(":root"),
    ]);
    let key_policy = PolicyDocument::new(vec![
        Statement::key_administration(root),
        Statement::new(
            "AllowBudgetsToEncrypt",
            Effect::Allow,
            &["kms:Decrypt", "kms:GenerateDataKey*"],
            vec![Value::lit("*")],
        )
        .principal(publisher("budgets.amazonaws.com"))
        .condition("StringEquals", "aws:SourceAccount", same_account()),
    ]);
    let key = unit.add(
        Name::new(&["alerts_key"]),
        Kind::KmsKey(super::KmsKey {
            description: String::from("Encrypts the budget alerts of this account"),
            policy: key_policy,
            settings: ALERTS_KEY,
        }),
    );
    let topic = unit.add(
        Name::new(&["alerts_topic"]),
        Kind::SnsTopic {
            name: format!("{}-budget-alerts", bp.client),
            kms_key: Value::reference(&key, Attr::Arn),
        },
    );
    let topic_arn = Value::reference(&topic, Attr::Arn);
    let topic_policy = PolicyDocument::new(vec![
        Statement::new(
            "AllowBudgetsToPublish",
            Effect::Allow,
            &["SNS:Publish"],
            vec![topic_arn.clone()],
        )
        .principal(publisher("budgets.amazonaws.com"))
        .condition("StringEquals", "aws:SourceAccount", same_account()),
        Statement::deny_insecure_transport(&["SNS:Publish"], vec![topic_arn.clone()]),
    ]);
    let policy = unit.add(
        Name::new(&["alerts_topic_policy"]),
        Kind::SnsTopicPolicy {
            topic: topic_arn.clone(),
            document: topic_policy,
        },
    );
    // A subscription is named after its address. Two different mailboxes whose addresses differ
    // only in punctuation (`aws-billing@`, `aws.billing@`) would share a name: the later one gets
    // a number, so every name already in use stays as it is. (Equal addresses are refused by
    // the checks.)
    let mut taken = std::collections::HashSet::new();
    for email in &bp.budgets.alert_emails {
        let mut name = Name::new(&["alerts_subscription", email]);
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = Name::new(&["alerts_subscription", email, &n.to_string()]);
            n += 1;
        }
        unit.add(
            name,
            Kind::SnsEmailSubscription {
                topic: topic_arn.clone(),
                email: email.clone(),
            },
        );
    }
    let Budgets {
        account_usd: monthly,
        bedrock_usd: bedrock,
    } = acct.budgets;
    let [monthly_name, bedrock_name] = budget_names(&bp.client, &bp.budgets.thresholds);
    for (slug, name, amount, service, what) in [
        (BUDGET_SLUGS[0], monthly_name, monthly, None, "all services"),
        (
            BUDGET_SLUGS[1],
            bedrock_name,
            bedrock,
            Some(CostFilter::Service(BEDROCK_SERVICE.to_owned())),
            BEDROCK_SERVICE,
        ),
    ] {
        let amount = unit.input(Input {
            name: Name::new(&["budget", slug, "usd"]),
            description: format!("Monthly budget of this account for {what}, in USD"),
            ty: InputType::Number,
            default: Some(crate::json::number_text(amount)),
            lookup: None,
            source: None,
        });
        unit.add_after(
            Name::new(&["budget", slug]),
            Kind::Budget(Budget {
                name,
                amount,
                cost_filter: service,
                // A monthly cost budget in USD: the blueprint's amounts are monthly USD.
                budget_type: BudgetType::Cost,
                time_unit: TimeUnit::Monthly,
                currency: Currency::Usd,
                notifications: notifications.clone(),
                topic: topic_arn.clone(),
            }),
            // Budgets verify they may publish when the notification is created: the topic's
            // policy must allow budgets.amazonaws.com first
            // (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
            vec![policy.clone()],
        );
    }
    unit.output(
        Name::new(&["alerts_topic_arn"]),
        "Topic receiving the budget alerts",
        topic_arn,
    );
}

/// The name of the `k`th monitor (from 0). The first keeps the name it had when one monitor
/// covered every account, so an organization that grows past ten accounts only adds monitors.
fn numbered(base: &str, k: usize) -> String {
    if k == 0 {
        base.to_owned()
    } else {
        format!("{base}-{}", k + 1)
    }
}

/// The Cost Explorer expression (a JSON string) of a monitor of the linked accounts `accounts`.
///
/// With `null_members`, every member of the expression that the monitor does not use is written
/// as `null`, keys sorted: that is how the hashicorp/aws provider reads a monitor back (it
/// marshals the SDK's `Expression` struct, whose unset members are nulls) and compares the two
/// JSON documents as they are, so an expression without the nulls differs from AWS's answer on
/// every plan, and `monitor_specification` forces a new monitor, which loses its learned
/// baseline. Found by the deploy rehearsal (.ci/rehearsal). CloudFormation passes the string to
/// the API as written and compares nothing: it keeps the compact form.
pub fn linked_accounts_expression(accounts: &[Value], null_members: bool) -> Value {
    let (head, tail) = if null_members {
        (
            concat!(
                r#"{"And":null,"CostCategories":null,"#,
                r#""Dimensions":{"Key":"LINKED_ACCOUNT","MatchOptions":null,"Values":["#,
            ),
            r#"]},"Not":null,"Or":null,"Tags":null}"#,
        )
    } else {
        (r#"{"Dimensions":{"Key":"LINKED_ACCOUNT","Values":["#, "]}}")
    };
    let mut spec = vec![Value::lit(head)];
    for (i, id) in accounts.iter().enumerate() {
        spec.push(Value::lit(if i == 0 { "\"" } else { ",\"" }));
        spec.push(id.clone());
        spec.push(Value::lit("\""));
    }
    spec.push(Value::lit(tail));
    join(spec)
}

fn anomaly_detection(cx: &mut Context) {
    let bp = cx.bp;
    if !bp.anomaly_detection.enabled {
        return;
    }
    let region = cx.catalog.cost_explorer_region.clone();
    let home = region == bp.organization.home_region;
    // The monitors cover the pilot accounts only (CUSTOM monitors on LINKED_ACCOUNT): the payer
    // account already has its default DIMENSIONAL services monitor, and AWS allows one per
    // dimension.
    let mut ids: Vec<Value> = Vec::new();
    for account in &bp.accounts {
        let id = Context::account_id(account);
        let id = match (&id, home) {
            (Value::Lit(_), _) | (_, true) => id,
            // A new account created by the home unit: read its id from that unit's output.
            _ => cx.management_in(&region).input(Input {
                name: Name::new(&["account_id", &account.name]),
                description: format!("Id of account {}", account.name),
                ty: InputType::Text,
                default: None,
                lookup: None,
                source: Some(InputSource {
                    unit: String::from("management"),
                    output: Name::new(&["account_id", &account.name]),
                }),
            }),
        };
        ids.push(id);
    }
    // A monitor tracks at most ten accounts: the accounts are split over monitors of ten, in
    // blueprint order, and one subscription lists every monitor.
    let unit = cx.management_in(&region);
    let mut monitors = Vec::new();
    for (k, chunk) in ids.chunks(MONITOR_ACCOUNTS).enumerate() {
        let monitor = unit.add(
            Name::new(&[&numbered("anomaly_monitor", k)]),
            Kind::AnomalyMonitor {
                name: numbered(&format!("{}-pilot-accounts", bp.client), k),
                accounts: chunk.to_vec(),
                monitor_type: MonitorType::Custom,
            },
        );
        monitors.push(Value::reference(&monitor, Attr::Arn));
    }
    let frequency = match bp.anomaly_detection.frequency {
        Frequency::Daily => "DAILY",
        Frequency::Weekly => "WEEKLY",
    };
    unit.add(
        Name::new(&["anomaly_subscription"]),
        Kind::AnomalySubscription(super::AnomalySubscription {
            name: format!("{}-pilot-anomalies", bp.client),
            monitors,
            frequency: frequency.to_owned(),
            threshold_usd: bp.anomaly_detection.threshold_usd,
            // The blueprint's threshold is an amount: an anomaly alerts once its total impact
            // reaches it.
            threshold_dimension: AnomalyDimension::TotalImpactAbsolute,
            threshold_comparison: Comparison::GreaterThanOrEqual,
            emails: bp.budgets.alert_emails.clone(),
        }),
    );
}

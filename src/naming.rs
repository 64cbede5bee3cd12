//! Names and counts that the checks verify and the planner then uses, in a module of their own
//! so that `checks/` need not import `plan/` (tests/it/tidy.rs holds that): resource names as
//! words, the identifiers of Identity Center principals, budget names, and the anomaly monitors
//! that cover the pilot accounts.

use std::fmt;

use crate::blueprint::{Threshold, ThresholdKind};

/// A stable resource name, as words. CloudFormation joins them in PascalCase (`AccountAcmePilot`),
/// Terraform in snake_case (`account_acme_pilot`); both derive from blueprint names only, so
/// renaming one thing in a blueprint changes one name in the output.
///
/// The words are kept lowercase in one string, separated by spaces: a plan of thousands of
/// accounts holds hundreds of thousands of names. A space sorts before every letter and digit, so
/// names order exactly as their lists of words would.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Box<str>);

impl Name {
    /// Builds a name from parts. Words are separated by every run of non-alphanumeric characters
    /// and by case changes (`CodexBedrockUser`, `AIPlatformAdmin`), so names read well in both
    /// cases whatever style the blueprint uses.
    pub fn new<S: AsRef<str>>(parts: &[S]) -> Name {
        let mut out = String::new();
        for part in parts {
            // Chunks are ASCII alphanumeric: every other character separates words.
            for chunk in part.as_ref().split(|c: char| !c.is_ascii_alphanumeric()) {
                split_case(chunk.as_bytes(), &mut out);
            }
        }
        Name(out.into_boxed_str())
    }

    /// `AccountAcmePilot`: a CloudFormation logical id.
    pub fn pascal(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for w in self.0.split(' ') {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(c.as_str());
            }
        }
        out
    }

    /// `account_acme_pilot`: a Terraform resource label.
    pub fn snake(&self) -> String {
        self.0.replace(' ', "_")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.snake())
    }
}

/// Appends the words of `AIPlatformAdmin` to `out` as `ai platform admin`: lowercased, each after
/// a space unless `out` is empty.
fn split_case(chunk: &[u8], out: &mut String) {
    let mut word = |w: &[u8]| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.iter().map(|c| char::from(c.to_ascii_lowercase())));
    };
    let mut start = 0;
    for i in 1..chunk.len() {
        let (prev, here) = (chunk[i - 1], chunk[i]);
        let next_lower = chunk.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let boundary = here.is_ascii_uppercase()
            && (prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower));
        if boundary {
            word(&chunk[start..i]);
            start = i;
        }
    }
    if start < chunk.len() {
        word(&chunk[start..]);
    }
}

/// The name of the input holding a group's or user's identity-store id (`group_<name>_id`):
/// also its Terraform data source's label and its CloudFormation parameter. Two different
/// principals of one kind must never share it, or both assignments go to the first principal;
/// `checks::principals` refuses names whose inputs would collide.
pub fn principal_input(kind: &str, principal: &str) -> Name {
    Name::new(&[kind, &principal_part(principal), "id"])
}

/// The part of a resource name that stands for a principal. Names keep only their ASCII letters
/// and digits, so an ASCII name is used as it is (its identifiers are those of every earlier
/// release, and a collision such as `dev team`/`dev-team` is reported, not renamed). A name with
/// other characters would lose them all (`開発者` and `管理者` would both become nothing), so it
/// gets a short hash of its exact text as well: distinct, and stable from run to run.
pub fn principal_part(principal: &str) -> String {
    if principal.is_ascii() {
        principal.to_owned()
    } else {
        format!("{principal} {:08x}", fnv1a32(principal.as_bytes()))
    }
}

/// 32-bit FNV-1a: a fixed, documented function (unlike std's hashers, which may change between
/// Rust releases), so an identifier never moves when tarmac is rebuilt.
fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The longest budget name AWS accepts ("Maximum length of 100", AWS Budgets API,
/// <https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_BudgetNotificationsForAccount.html>).
pub const MAX_BUDGET_NAME: usize = 100;

/// The budget names of a blueprint's accounts, the longest last: `<client>-<slug>-<signature>`.
pub fn budget_names(client: &str, thresholds: &[Threshold]) -> [String; 2] {
    let signature = budget_signature(thresholds);
    BUDGET_SLUGS.map(|slug| format!("{client}-{slug}-{signature}"))
}

/// The slugs of an account's two budgets, the shorter first.
pub const BUDGET_SLUGS: [&str; 2] = ["monthly", "bedrock-monthly"];

/// CloudFormation replaces a budget whose notifications change, and a fixed name would then
/// collide with the old budget during the replacement. Naming the budget after its
/// notifications (`a50-a80-a100-f100`) makes every such change a clean create-then-delete.
fn budget_signature(thresholds: &[Threshold]) -> String {
    let parts: Vec<String> = thresholds
        .iter()
        .map(|t| {
            let kind = if t.kind == ThresholdKind::Forecasted {
                "f"
            } else {
                "a"
            };
            format!("{kind}{}", t.percent)
        })
        .collect();
    parts.join("-")
}

/// Accounts one linked-account monitor may track: "A linked account monitor can track up to 10
/// different linked accounts" (AWS Cost Anomaly Detection FAQ,
/// <https://aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/faqs/>).
pub const MONITOR_ACCOUNTS: usize = 10;

/// Custom monitors one account may create, and so monitors one subscription may list: "up to one
/// AWS Service Monitor and 500 custom monitors … You can attach up to the maximum of all 501
/// monitors to an alert subscription" (same FAQ). The checks refuse more pilot accounts than
/// these monitors can cover.
pub const MAX_MONITORS: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_cases() {
        let n = Name::new(&["account", "acme-pilot", "AI Platform"]);
        assert_eq!(n.pascal(), "AccountAcmePilotAiPlatform");
        assert_eq!(n.snake(), "account_acme_pilot_ai_platform");
    }

    #[test]
    fn names_split_on_case_changes() {
        assert_eq!(
            Name::new(&["CodexBedrockUser"]).snake(),
            "codex_bedrock_user"
        );
        assert_eq!(Name::new(&["AIPlatformAdmin"]).snake(), "ai_platform_admin");
        assert_eq!(
            Name::new(&["us-east-1", "vpc-0a1B"]).snake(),
            "us_east_1_vpc_0a1_b"
        );
        assert_eq!(Name::new(&["PT8H"]).pascal(), "Pt8H");
    }

    #[test]
    fn principal_identifiers() {
        // ASCII names keep the identifiers of earlier releases.
        assert_eq!(
            principal_input("group", "acme-pilot-developers").snake(),
            "group_acme_pilot_developers_id"
        );
        // Non-ASCII names are told apart by the hash of their exact text.
        let a = principal_input("group", "開発者").snake();
        let b = principal_input("group", "管理者").snake();
        assert_ne!(a, b);
        assert_eq!(a, format!("group_{:08x}_id", fnv1a32("開発者".as_bytes())));
        // FNV-1a's published test vector: the function cannot drift.
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
    }
}

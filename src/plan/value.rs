//! Values in the plan: literals, typed references to other resources, unit inputs.
//!
//! A reference names a resource and one of its attributes ([`Attr`]); each emitter lowers it to
//! its own form (`Ref`/`Fn::GetAtt`/`Fn::Sub` in CloudFormation, `${type.name.attr}` in Terraform).
//! Because references are typed, an emitter cannot produce a dangling one: every [`Name`] it lowers
//! belongs to a resource in the same unit (see `Plan::verify`).

use std::fmt;

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

/// An attribute of a resource that other resources refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attr {
    /// The resource's primary id (OU id, policy id, key id, security-group id, endpoint id).
    Id,
    /// Its ARN.
    Arn,
    /// The id of an account.
    AccountId,
    /// A bucket's name.
    BucketName,
}

/// A reference to an attribute of a resource of the same unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ref {
    pub resource: Name,
    pub attr: Attr,
}

/// A value in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A literal string, possibly holding IAM policy variables such as `${aws:PrincipalAccount}`;
    /// emitters escape it for their template syntax.
    Lit(String),
    /// An attribute of another resource.
    Ref(Ref),
    /// An input of the unit (a CloudFormation parameter, a Terraform variable).
    Input(String),
    /// The id of the account the unit is deployed into.
    AccountId,
    /// The concatenation of several values.
    Join(Vec<Value>),
}

impl Value {
    pub fn lit(s: impl Into<String>) -> Value {
        Value::Lit(s.into())
    }

    pub fn reference(resource: &Name, attr: Attr) -> Value {
        Value::Ref(Ref {
            resource: resource.clone(),
            attr,
        })
    }

    /// Every reference inside the value.
    pub fn refs(&self) -> Vec<&Ref> {
        match self {
            Value::Ref(r) => vec![r],
            Value::Join(parts) => parts.iter().flat_map(Value::refs).collect(),
            _ => Vec::new(),
        }
    }

    /// Every input the value reads.
    pub fn inputs(&self) -> Vec<&str> {
        match self {
            Value::Input(i) => vec![i.as_str()],
            Value::Join(parts) => parts.iter().flat_map(Value::inputs).collect(),
            _ => Vec::new(),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::lit(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Lit(s)
    }
}

/// Concatenates values, merging adjacent literals so the lowered form stays short.
pub fn join(parts: impl IntoIterator<Item = Value>) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for part in parts {
        match (out.last_mut(), part) {
            (Some(Value::Lit(a)), Value::Lit(b)) => a.push_str(&b),
            (_, Value::Join(inner)) => out.extend(inner),
            (_, p) => out.push(p),
        }
    }
    match out.len() {
        0 => Value::lit(""),
        1 => out.pop().expect("one element"),
        _ => Value::Join(out),
    }
}

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
    fn join_merges_literals_and_flattens() {
        let r = Value::reference(&Name::new(&["key"]), Attr::Arn);
        let v = join([
            Value::lit("a"),
            Value::lit("b"),
            r.clone(),
            join([Value::lit("c"), Value::AccountId]),
        ]);
        assert_eq!(
            v,
            Value::Join(vec![Value::lit("ab"), r, Value::lit("c"), Value::AccountId])
        );
        assert_eq!(join([Value::lit("x")]), Value::lit("x"));
    }
}

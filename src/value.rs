//! Values in the plan: literals, typed references to other resources, unit inputs.
//!
//! A reference names a resource and one of its attributes ([`Attr`]); each emitter lowers it to
//! its own form (`Ref`/`Fn::GetAtt`/`Fn::Sub` in CloudFormation, `${type.name.attr}` in Terraform).
//! Because references are typed, an emitter cannot produce a dangling one: every [`Name`] it lowers
//! belongs to a resource in the same unit (see `Plan::verify`). Values live outside `plan`, as
//! policy documents do, so that `resolve` can hold documents of literal values.

pub use crate::naming::Name;

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

//! IAM and SCP documents as typed values.
//!
//! A document is built once (SCPs and permission-set policies in `resolve`, where their size is
//! measured, the others in the plan) and lowered by every emitter through
//! [`PolicyDocument::lower`], which fixes the key order and shape of the JSON. The emitter only
//! says how a [`Value`] becomes JSON, so the two targets cannot disagree on what a policy allows.
//! Documents live outside `plan` so that `resolve`, which comes before it, can build them.

use crate::json::{Json, Obj};

use crate::value::Value;

/// A policy document (IAM identity policy, resource policy, SCP or endpoint policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// Who a resource policy statement applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`, narrowed by conditions.
    Any,
    /// AWS service principals such as `cloudtrail.amazonaws.com`.
    Service(Vec<String>),
    /// AWS account or role ARNs.
    Aws(Vec<Value>),
}

/// A condition: operator, key, values (`StringEquals`, `aws:SourceAccount`, [..]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<Value>,
}

/// Either a list of actions or a NotAction list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actions {
    Action(Vec<String>),
    NotAction(Vec<String>),
}

/// Either a list of resources or a NotResource list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resources {
    Resource(Vec<Value>),
    NotResource(Vec<Value>),
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: String,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub actions: Actions,
    pub resources: Resources,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// A statement with the given actions on the given resources and no principal or condition.
    pub fn new(sid: &str, effect: Effect, actions: &[&str], resources: Vec<Value>) -> Statement {
        Statement {
            sid: sid.to_owned(),
            effect,
            principal: None,
            actions: Actions::Action(actions.iter().map(|a| (*a).to_owned()).collect()),
            resources: Resources::Resource(resources),
            conditions: Vec::new(),
        }
    }

    pub fn principal(mut self, principal: Principal) -> Statement {
        self.principal = Some(principal);
        self
    }

    pub fn condition(mut self, operator: &str, key: &str, values: Vec<Value>) -> Statement {
        self.conditions.push(Condition {
            operator: operator.to_owned(),
            key: key.to_owned(),
            values,
        });
        self
    }

    /// Every value a statement holds.
    fn values(&self) -> impl Iterator<Item = &Value> {
        let principals = match &self.principal {
            Some(Principal::Aws(v)) => v.as_slice(),
            _ => &[],
        };
        let resources = match &self.resources {
            Resources::Resource(v) | Resources::NotResource(v) => v.as_slice(),
        };
        principals
            .iter()
            .chain(resources)
            .chain(self.conditions.iter().flat_map(|c| &c.values))
    }
}

/// The statements resource policies share.
impl Statement {
    /// Denies `actions` on `resources` to any request not sent over TLS.
    pub fn deny_insecure_transport(actions: &[&str], resources: Vec<Value>) -> Statement {
        Statement::new("DenyInsecureTransport", Effect::Deny, actions, resources)
            .principal(Principal::Any)
            .condition("Bool", "aws:SecureTransport", vec![Value::lit("false")])
    }

    /// The key-policy statement that lets the account's IAM policies govern the key; without it
    /// a key can become unmanageable.
    pub fn key_administration(account_root: Value) -> Statement {
        Statement::new(
            "EnableAccountAdministration",
            Effect::Allow,
            &["kms:*"],
            vec![Value::lit("*")],
        )
        .principal(Principal::Aws(vec![account_root]))
    }
}

impl PolicyDocument {
    pub fn new(statements: Vec<Statement>) -> PolicyDocument {
        PolicyDocument { statements }
    }

    /// Every value the document holds, for reference and input collection.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.statements.iter().flat_map(Statement::values)
    }

    /// The document as JSON, with values lowered by `lower`. Keys come in the order AWS documents
    /// them (Version, Statement; Sid, Effect, Principal, Action, Resource, Condition) and lists
    /// keep
    /// the plan's order, so the output is stable.
    pub fn lower(&self, lower: &dyn Fn(&Value) -> Json) -> Json {
        let statements: Vec<Json> = self
            .statements
            .iter()
            .map(|s| lower_statement(s, lower))
            .collect();
        // Built by moving the statements in: `json!` would copy every one of them through serde.
        let mut m = Obj::new();
        m.insert("Version", Json::from("2012-10-17"));
        m.insert("Statement", Json::Arr(statements));
        Json::Obj(m)
    }
}

fn lower_statement(s: &Statement, lower: &dyn Fn(&Value) -> Json) -> Json {
    let list = |values: &[Value]| Json::Arr(values.iter().map(lower).collect());
    let strings =
        |values: &[String]| Json::Arr(values.iter().map(|v| Json::Str(v.clone())).collect());
    let mut m = Obj::new();
    m.insert("Sid", Json::Str(s.sid.clone()));
    let effect = match s.effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    };
    m.insert("Effect", Json::Str(effect.into()));
    match &s.principal {
        None => {}
        Some(Principal::Any) => {
            m.insert("Principal", Json::Str("*".into()));
        }
        Some(Principal::Service(services)) => {
            m.insert("Principal", one("Service", strings(services)));
        }
        Some(Principal::Aws(arns)) => {
            m.insert("Principal", one("AWS", list(arns)));
        }
    }
    match &s.actions {
        Actions::Action(a) => m.insert("Action", strings(a)),
        Actions::NotAction(a) => m.insert("NotAction", strings(a)),
    };
    match &s.resources {
        Resources::Resource(r) => m.insert("Resource", list(r)),
        Resources::NotResource(r) => m.insert("NotResource", list(r)),
    };
    if !s.conditions.is_empty() {
        let mut by_operator: Obj = Obj::new();
        for c in &s.conditions {
            // One value is written as a scalar, as AWS's own examples do (and some tools expect).
            let values = match c.values.as_slice() {
                [one] => lower(one),
                many => list(many),
            };
            by_operator.object(&c.operator).set(&c.key, values);
        }
        m.insert("Condition", Json::Obj(by_operator));
    }
    Json::Obj(m)
}

/// `{ key: value }`, with `value` moved in.
fn one(key: &'static str, value: Json) -> Json {
    let mut m = Obj::new();
    m.insert(key, value);
    Json::Obj(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(v: &Value) -> Json {
        match v {
            Value::Lit(s) => Json::Str(s.clone()),
            other => Json::Str(format!("<{other:?}>")),
        }
    }

    #[test]
    fn statement_key_order_and_condition_grouping() {
        let doc = PolicyDocument::new(vec![Statement::new(
            "DenyOutside",
            Effect::Deny,
            &["s3:*"],
            vec![Value::lit("*")],
        )
        .condition(
            "StringNotEquals",
            "aws:RequestedRegion",
            vec![Value::lit("us-east-1")],
        )
        .condition(
            "ArnNotLike",
            "aws:PrincipalARN",
            vec![Value::lit("arn:aws:iam::*:role/Admin")],
        )]);
        let text = serde_json::to_string(&doc.lower(&literal)).unwrap();
        assert_eq!(
            text,
            concat!(
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutside","Effect":"Deny","#,
                r#""Action":["s3:*"],"Resource":["*"],"Condition":{"StringNotEquals":"#,
                r#"{"aws:RequestedRegion":"us-east-1"},"ArnNotLike":"#,
                r#"{"aws:PrincipalARN":"arn:aws:iam::*:role/Admin"}}}]}"#
            )
        );
    }
}

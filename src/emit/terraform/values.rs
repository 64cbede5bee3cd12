//! Lowering plan values to Terraform JSON strings: references as `${type.label.attribute}`,
//! inputs as `${var.name}` (or the data source that looks them up), and literals escaped, because
//! every Terraform JSON string is a template: a literal `${` must be written `$${` and `%{` as
//! `%%{` (IAM policy variables such as `${aws:username}` would otherwise fail to parse).

use crate::plan::value::{Attr, Ref, Value};
use crate::plan::{Kind, Lookup, Unit};

/// The primary Terraform resource type of a plan resource.
pub fn resource_type(kind: &Kind) -> &'static str {
    match kind {
        Kind::OrganizationalUnit { .. } => "aws_organizations_organizational_unit",
        Kind::Account { .. } => "aws_organizations_account",
        Kind::ServiceControlPolicy { .. } => "aws_organizations_policy",
        Kind::PermissionSet { .. } => "aws_ssoadmin_permission_set",
        Kind::Assignment { .. } => "aws_ssoadmin_account_assignment",
        Kind::KmsKey { .. } => "aws_kms_key",
        Kind::KmsAlias { .. } => "aws_kms_alias",
        Kind::Bucket(_) => "aws_s3_bucket",
        Kind::BucketPolicy { .. } => "aws_s3_bucket_policy",
        Kind::Trail { .. } => "aws_cloudtrail",
        Kind::SnsTopic { .. } => "aws_sns_topic",
        Kind::SnsTopicPolicy { .. } => "aws_sns_topic_policy",
        Kind::SnsEmailSubscription { .. } => "aws_sns_topic_subscription",
        Kind::Budget(_) => "aws_budgets_budget",
        Kind::AnomalyMonitor { .. } => "aws_ce_anomaly_monitor",
        Kind::AnomalySubscription { .. } => "aws_ce_anomaly_subscription",
        Kind::SecurityGroup { .. } => "aws_security_group",
        Kind::VpcEndpoint { .. } => "aws_vpc_endpoint",
        Kind::MantleProject { .. } => "awscc_bedrockmantle_project",
    }
}

fn attribute(kind: &Kind, attr: Attr) -> &'static str {
    match (kind, attr) {
        (Kind::KmsKey { .. }, Attr::Id) => "key_id",
        (Kind::Bucket(_), Attr::BucketName) => "bucket",
        (_, Attr::Id | Attr::AccountId) => "id",
        (_, Attr::Arn) => "arn",
        (kind, attr) => unreachable!("the planner never reads {attr:?} of {kind:?}"),
    }
}

/// Escapes a literal for a Terraform template string.
pub fn escape(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// Lowers values of one unit.
pub struct Lowering<'a> {
    unit: &'a Unit,
}

impl<'a> Lowering<'a> {
    pub fn new(unit: &'a Unit) -> Self {
        Lowering { unit }
    }

    pub fn kind(&self, r: &Ref) -> &'a Kind {
        &self
            .unit
            .resources
            .iter()
            .find(|x| x.name == r.resource)
            .expect("Plan::verify: references resolve")
            .kind
    }

    /// The expression (without `${ }`) a value stands for, or None for a literal.
    fn expression(&self, v: &Value) -> Option<String> {
        match v {
            Value::Lit(_) | Value::Join(_) => None,
            Value::Ref(r) => {
                let kind = self.kind(r);
                Some(format!(
                    "{}.{}.{}",
                    resource_type(kind),
                    r.resource.snake(),
                    attribute(kind, r.attr)
                ))
            }
            Value::Input(name) => Some(match self.lookup(name) {
                Some(Lookup::Group { .. }) => {
                    format!("data.aws_identitystore_group.{name}.group_id")
                }
                Some(Lookup::User { .. }) => format!("data.aws_identitystore_user.{name}.user_id"),
                None => format!("var.{name}"),
            }),
            Value::AccountId => Some(String::from("data.aws_caller_identity.current.account_id")),
        }
    }

    fn lookup(&self, name: &str) -> Option<&'a Lookup> {
        self.unit
            .inputs
            .iter()
            .find(|i| i.name.snake() == name)
            .and_then(|i| i.lookup.as_ref())
    }

    /// A value as a Terraform JSON string.
    pub fn value(&self, v: &Value) -> String {
        match v {
            Value::Lit(s) => escape(s),
            Value::Join(parts) => parts.iter().map(|p| self.value(p)).collect(),
            other => format!("${{{}}}", self.expression(other).expect("not a literal")),
        }
    }

    /// Whether the unit reads the deploying account's id anywhere.
    pub fn uses_account_id(&self) -> bool {
        fn has(v: &Value) -> bool {
            match v {
                Value::AccountId => true,
                Value::Join(parts) => parts.iter().any(has),
                _ => false,
            }
        }
        self.unit
            .resources
            .iter()
            .flat_map(|r| r.kind.values())
            .chain(self.unit.outputs.iter().map(|o| &o.value))
            .any(has)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::value::{join, Name};
    use crate::plan::{Input, Resource, Target};

    fn unit() -> Unit {
        Unit {
            name: "management".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            order: 1,
            inputs: vec![Input {
                name: Name::new(&["group", "devs", "id"]),
                description: String::new(),
                default: None,
                lookup: Some(Lookup::Group {
                    identity_store_id: "d-1234567890".into(),
                    display_name: "devs".into(),
                }),
                source: None,
            }],
            outputs: Vec::new(),
            resources: vec![Resource {
                name: Name::new(&["trail_key"]),
                kind: Kind::KmsKey {
                    description: String::new(),
                    policy: crate::plan::policy::PolicyDocument::new(vec![]),
                },
                depends_on: vec![],
            }],
        }
    }

    #[test]
    fn literals_escape_template_sequences() {
        assert_eq!(
            escape("arn:aws:s3:::b/${aws:username}/*"),
            "arn:aws:s3:::b/$${aws:username}/*"
        );
        assert_eq!(escape("%{ if x }"), "%%{ if x }");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn references_inputs_and_joins() {
        let u = unit();
        let l = Lowering::new(&u);
        let key = Name::new(&["trail_key"]);
        assert_eq!(
            l.value(&Value::reference(&key, Attr::Arn)),
            "${aws_kms_key.trail_key.arn}"
        );
        assert_eq!(
            l.value(&Value::reference(&key, Attr::Id)),
            "${aws_kms_key.trail_key.key_id}"
        );
        assert_eq!(
            l.value(&Value::Input("group_devs_id".into())),
            "${data.aws_identitystore_group.group_devs_id.group_id}"
        );
        let v = join([
            Value::lit("arn:aws:iam::"),
            Value::AccountId,
            Value::lit(":root/${aws:x}"),
        ]);
        assert_eq!(
            l.value(&v),
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root/$${aws:x}"
        );
    }
}

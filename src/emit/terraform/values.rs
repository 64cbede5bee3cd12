//! Lowering plan values to Terraform JSON strings: references as `${type.label.attribute}`,
//! inputs as `${var.name}` (or the data source that looks them up), and literals escaped, because
//! every Terraform JSON string is a template: a literal `${` must be written `$${` and `%{` as
//! `%%{` (IAM policy variables such as `${aws:username}` would otherwise fail to parse with
//! "Template interpolation doesn't expect a colon").

use std::collections::HashMap;

use crate::json::Json;

use crate::plan::policy::PolicyDocument;
use crate::plan::value::{Attr, Name, Ref, Value};
use crate::plan::{Input, Kind, Lookup, Unit};

/// The data source that reads the id of the account a module deploys into.
pub const CALLER_IDENTITY: &str = "data.aws_caller_identity.current";

/// The primary Terraform resource type of a plan resource (the one references point at), or
/// `None` when hashicorp/aws has no resource for the kind.
pub fn resource_type(kind: &Kind) -> Option<&'static str> {
    Some(match kind {
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
        Kind::Vpc { .. } => "aws_vpc",
        Kind::Subnet { .. } => "aws_subnet",
        Kind::VpcEndpoint { .. } => "aws_vpc_endpoint",
        // AWS::BedrockMantle::Project: hashicorp/aws has no resource (issue #49543).
        Kind::MantleProject { .. } => return None,
    })
}

/// The Terraform attribute holding a plan attribute of a resource of the given kind.
fn attribute(kind: &Kind, attr: Attr) -> &'static str {
    match (kind, attr) {
        // `id` of a KMS key is its key id too, but `key_id` says what it is.
        (Kind::KmsKey { .. }, Attr::Id) => "key_id",
        (Kind::Bucket(_), Attr::BucketName) => "bucket",
        // The id of an aws_organizations_account is the account id.
        (_, Attr::Id | Attr::AccountId) => "id",
        (_, Attr::Arn) => "arn",
        (kind, attr) => crate::emit::unread(attr, kind),
    }
}

/// The data source type of a lookup and the attribute holding the principal's id.
pub fn lookup_source(lookup: &Lookup) -> (&'static str, &'static str) {
    match lookup {
        Lookup::Group { .. } => ("aws_identitystore_group", "group_id"),
        Lookup::User { .. } => ("aws_identitystore_user", "user_id"),
    }
}

/// Escapes a literal for a Terraform template string, so it evaluates to exactly itself.
pub fn escape(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// A literal as a JSON string for an argument (every argument string is a template).
pub fn lit(s: &str) -> Json {
    Json::Str(escape(s))
}

/// Whether a value reads the id of the account the module deploys into.
pub fn uses_account_id(v: &Value) -> bool {
    match v {
        Value::AccountId => true,
        Value::Join(parts) => parts.iter().any(uses_account_id),
        Value::Lit(_) | Value::Ref(_) | Value::Input(_) => false,
    }
}

/// Lowers values of one unit.
pub struct Lowering<'a> {
    /// The unit's resources by name: references are resolved in constant time, so lowering
    /// stays linear in the size of the unit.
    kinds: HashMap<&'a Name, &'a Kind>,
    inputs: HashMap<String, &'a Input>,
    /// Inputs of a hosted unit that read an output of the module's own unit: lowered as that
    /// output's value (see [`Lowering::hosting`]).
    substitutes: HashMap<String, &'a Value>,
}

impl<'a> Lowering<'a> {
    /// Lowers the values of one unit alone (the tests' case; modules use [`Lowering::hosting`]).
    #[cfg(test)]
    pub fn new(unit: &'a Unit) -> Self {
        Self::hosting(unit, &[])
    }

    /// Lowers the values of `unit` and of the `guests` deployed from its module (see
    /// `Unit::terraform_alias`). A guest reads the unit's outputs through inputs, as a unit of
    /// its own would; in one module those inputs are the outputs' values themselves, so no
    /// variable has to be fed from the module to itself.
    pub fn hosting(unit: &'a Unit, guests: &[&'a Unit]) -> Self {
        let units = || std::iter::once(unit).chain(guests.iter().copied());
        let outputs: HashMap<&Name, &Value> =
            unit.outputs.iter().map(|o| (&o.name, &o.value)).collect();
        let substitutes = guests
            .iter()
            .flat_map(|g| &g.inputs)
            .filter_map(|i| {
                let source = i.source.as_ref().filter(|s| s.unit == unit.name)?;
                let value = outputs.get(&source.output).unwrap_or_else(|| {
                    panic!("tarmac bug: {} has no output {}", unit.name, source.output)
                });
                Some((i.name.snake(), *value))
            })
            .collect();
        Lowering {
            kinds: units()
                .flat_map(|u| &u.resources)
                .map(|r| (&r.name, &r.kind))
                .collect(),
            inputs: units()
                .flat_map(|u| &u.inputs)
                .map(|i| (i.name.snake(), i))
                .collect(),
            substitutes,
        }
    }

    /// Whether an input is lowered as the value of an output of the module (not a variable).
    pub fn substituted(&self, input: &str) -> bool {
        self.substitutes.contains_key(input)
    }

    /// The kind of a resource of the unit.
    pub fn kind(&self, name: &Name) -> &'a Kind {
        self.kinds
            .get(name)
            .expect("Plan::verify: references and dependencies resolve inside their unit")
    }

    /// The address (`type.label`) of a plan resource's primary Terraform resource, for
    /// `depends_on`; `None` for a resource this target cannot create.
    pub fn address(&self, name: &Name) -> Option<String> {
        resource_type(self.kind(name)).map(|t| format!("{t}.{}", name.snake()))
    }

    /// A value as a Terraform JSON string.
    pub fn value(&self, v: &Value) -> String {
        match v {
            Value::Lit(s) => escape(s),
            Value::Ref(r) => format!("${{{}}}", self.reference(r)),
            Value::Input(name) => match self.substitutes.get(name) {
                Some(v) => self.value(v),
                None => format!("${{{}}}", self.input(name)),
            },
            Value::AccountId => format!("${{{CALLER_IDENTITY}.account_id}}"),
            Value::Join(parts) => parts.iter().map(|p| self.value(p)).collect(),
        }
    }

    /// A value as a JSON string for an argument.
    pub fn json(&self, v: &Value) -> Json {
        Json::Str(self.value(v))
    }

    /// A policy document as the compact JSON string Terraform arguments take, its references as
    /// interpolations and its literals escaped; written as the string literal it is in the module.
    pub fn policy(&self, doc: &PolicyDocument) -> Json {
        Json::Raw(crate::json::compact_literal(&doc.lower(&|v| self.json(v))))
    }

    /// The expression (without `${}`) reading a reference.
    fn reference(&self, r: &Ref) -> String {
        let kind = self.kind(&r.resource);
        let ty = resource_type(kind)
            .expect("resources reading what this target cannot create are dropped before lowering");
        format!("{ty}.{}.{}", r.resource.snake(), attribute(kind, r.attr))
    }

    /// The expression (without `${}`) reading an input: its variable, or the data source that
    /// looks it up.
    fn input(&self, name: &str) -> String {
        let lookup = self.inputs.get(name).and_then(|i| i.lookup.as_ref());
        match lookup {
            Some(lookup) => {
                let (ty, attr) = lookup_source(lookup);
                format!("data.{ty}.{name}.{attr}")
            }
            None => format!("var.{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::policy::{Effect, Statement};
    use crate::plan::value::join;
    use crate::plan::{Bucket, Input, Resource, Target};

    fn unit() -> Unit {
        let resource = |name: &[&str], kind| Resource {
            name: Name::new(name),
            kind,
            depends_on: vec![],
            waivers: vec![],
        };
        let key = Name::new(&["trail_key"]);
        Unit {
            name: "management".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            inputs: vec![
                Input {
                    ty: crate::plan::InputType::Text,
                    name: Name::new(&["group", "devs", "id"]),
                    description: String::new(),
                    default: None,
                    lookup: Some(Lookup::Group {
                        identity_store_id: "d-1234567890".into(),
                        display_name: "devs".into(),
                    }),
                    source: None,
                },
                Input {
                    ty: crate::plan::InputType::Text,
                    name: Name::new(&["user", "ana", "id"]),
                    description: String::new(),
                    default: None,
                    lookup: Some(Lookup::User {
                        identity_store_id: "d-1234567890".into(),
                        user_name: "ana".into(),
                    }),
                    source: None,
                },
                Input {
                    ty: crate::plan::InputType::Text,
                    name: Name::new(&["account_id", "pilot"]),
                    description: String::new(),
                    default: None,
                    lookup: None,
                    source: None,
                },
            ],
            outputs: Vec::new(),
            resources: vec![
                resource(
                    &["trail_key"],
                    Kind::KmsKey(crate::plan::KmsKey {
                        description: String::new(),
                        policy: PolicyDocument::new(vec![]),
                        settings: crate::plan::audit::TRAIL_KEY,
                    }),
                ),
                resource(
                    &["trail_bucket"],
                    Kind::Bucket(Bucket {
                        name: Value::lit("b"),
                        kms_key: Some(Value::reference(&key, Attr::Arn)),
                        expire_after_days: None,
                        access_logs: None,
                        eventbridge: false,
                        settings: crate::plan::audit::AUDIT_BUCKET,
                    }),
                ),
                resource(
                    &["ou", "Sandbox"],
                    Kind::OrganizationalUnit {
                        name: "Sandbox".into(),
                        parent: Value::lit("r-ab12"),
                    },
                ),
                resource(
                    &["account", "pilot"],
                    Kind::Account {
                        name: "pilot".into(),
                        email: "a@example.com".into(),
                        parent: Value::lit("r-ab12"),
                        role_name: None,
                        adopted: None,
                        close_on_deletion: false,
                    },
                ),
                resource(
                    &["mantle_project", "p"],
                    Kind::MantleProject { name: "p".into() },
                ),
            ],
        }
    }

    #[test]
    fn literals_escape_template_sequences() {
        assert_eq!(
            escape("arn:aws:s3:::b/${aws:PrincipalAccount}/*"),
            "arn:aws:s3:::b/$${aws:PrincipalAccount}/*"
        );
        assert_eq!(escape("%{ if x }"), "%%{ if x }");
        assert_eq!(
            escape("plain $ and % and {braces}"),
            "plain $ and % and {braces}"
        );
        let u = unit();
        assert_eq!(
            Lowering::new(&u).value(&Value::lit("${aws:PrincipalAccount}")),
            "$${aws:PrincipalAccount}"
        );
        assert_eq!(lit("a ${b} %{c}"), Json::Str("a $${b} %%{c}".into()));
    }

    #[test]
    fn references_lower_to_typed_attributes() {
        let u = unit();
        let l = Lowering::new(&u);
        let r = |name: &[&str], attr| l.value(&Value::reference(&Name::new(name), attr));
        assert_eq!(r(&["trail_key"], Attr::Arn), "${aws_kms_key.trail_key.arn}");
        assert_eq!(
            r(&["trail_key"], Attr::Id),
            "${aws_kms_key.trail_key.key_id}"
        );
        assert_eq!(
            r(&["trail_bucket"], Attr::BucketName),
            "${aws_s3_bucket.trail_bucket.bucket}"
        );
        assert_eq!(
            r(&["ou", "Sandbox"], Attr::Id),
            "${aws_organizations_organizational_unit.ou_sandbox.id}"
        );
        assert_eq!(
            r(&["account", "pilot"], Attr::AccountId),
            "${aws_organizations_account.account_pilot.id}"
        );
    }

    #[test]
    fn inputs_lower_to_variables_or_lookups() {
        let u = unit();
        let l = Lowering::new(&u);
        let input = |name: &str| l.value(&Value::Input(name.into()));
        assert_eq!(
            input("group_devs_id"),
            "${data.aws_identitystore_group.group_devs_id.group_id}"
        );
        assert_eq!(
            input("user_ana_id"),
            "${data.aws_identitystore_user.user_ana_id.user_id}"
        );
        assert_eq!(input("account_id_pilot"), "${var.account_id_pilot}");
        assert_eq!(
            l.value(&Value::AccountId),
            "${data.aws_caller_identity.current.account_id}"
        );
    }

    #[test]
    fn joins_are_one_template_with_escaped_literals() {
        let u = unit();
        let l = Lowering::new(&u);
        let v = join([
            Value::lit("arn:aws:iam::"),
            Value::AccountId,
            Value::lit(":root/${aws:x}/"),
            Value::reference(&Name::new(&["trail_key"]), Attr::Arn),
        ]);
        assert_eq!(
            l.value(&v),
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root/$${aws:x}/\
             ${aws_kms_key.trail_key.arn}"
        );
        assert!(uses_account_id(&v));
        assert!(!uses_account_id(&Value::lit("x")));
    }

    #[test]
    fn policies_are_compact_json_strings() {
        let u = unit();
        let doc = PolicyDocument::new(vec![Statement::new(
            "Own",
            Effect::Allow,
            &["s3:GetObject"],
            vec![join([
                Value::lit("arn:aws:s3:::"),
                Value::reference(&Name::new(&["trail_bucket"]), Attr::BucketName),
                Value::lit("/${aws:username}/*"),
            ])],
        )]);
        assert_eq!(
            serde_json::to_value(Lowering::new(&u).policy(&doc)).unwrap(),
            concat!(
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"Own","Effect":"Allow","#,
                r#""Action":["s3:GetObject"],"Resource":"#,
                r#"["arn:aws:s3:::${aws_s3_bucket.trail_bucket.bucket}/$${aws:username}/*"]}]}"#
            )
        );
    }

    #[test]
    fn resources_without_a_terraform_type_have_no_address() {
        let u = unit();
        let l = Lowering::new(&u);
        assert_eq!(l.address(&Name::new(&["mantle_project", "p"])), None);
        assert_eq!(
            l.address(&Name::new(&["trail_key"])).as_deref(),
            Some("aws_kms_key.trail_key")
        );
    }
}

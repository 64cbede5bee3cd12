//! Lowering plan values to CloudFormation: literals as strings, references as `Ref`/`Fn::GetAtt`,
//! concatenations as `Fn::Sub` (whose literal `${` must be written `${!`).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::json::{json, Json, Obj};

use crate::plan::value::{Attr, Name, Ref, Value};
use crate::plan::{Kind, Unit};

/// How a resource attribute is read in CloudFormation.
enum Read {
    /// `{"Ref": id}`.
    Ref,
    /// `{"Fn::GetAtt": [id, attribute]}`.
    GetAtt(&'static str),
}

fn read(kind: &Kind, attr: Attr) -> Read {
    match (kind, attr) {
        (Kind::Account { .. }, Attr::AccountId) => Read::GetAtt("AccountId"),
        (Kind::PermissionSet { .. }, Attr::Arn) => Read::GetAtt("PermissionSetArn"),
        (Kind::KmsKey { .. }, Attr::Id) => Read::GetAtt("KeyId"),
        (Kind::Bucket(_), Attr::BucketName) => Read::Ref,
        (Kind::SnsTopic { .. }, Attr::Arn) => Read::GetAtt("TopicArn"),
        (Kind::AnomalyMonitor { .. }, Attr::Arn) => Read::GetAtt("MonitorArn"),
        (Kind::SecurityGroup { .. }, Attr::Id) => Read::GetAtt("GroupId"),
        (Kind::VpcEndpoint { .. } | Kind::Vpc { .. } | Kind::Subnet { .. }, Attr::Id) => Read::Ref,
        (_, Attr::Id) => Read::GetAtt("Id"),
        (_, Attr::Arn) => Read::GetAtt("Arn"),
        (kind, attr) => crate::emit::unread(attr, kind),
    }
}

/// Lowers values of one unit, or of one stack of a unit split across several.
pub struct Lowering<'a> {
    /// The unit's resources by name, so that references resolve in constant time. Built once per
    /// unit and borrowed by the lowering of each of its stacks.
    kinds: Cow<'a, HashMap<&'a Name, &'a Kind>>,
    /// For one stack of a split unit: where each resource lives.
    stacks: Option<Stacks<'a>>,
}

/// Where the resources of a split unit live, seen from stack `current`: resources of an earlier
/// stack are read through `Fn::ImportValue` of the export with that stack's prefix.
#[derive(Clone, Copy)]
struct Stacks<'a> {
    part_of: &'a HashMap<Name, usize>,
    prefixes: &'a [String],
    current: usize,
}

impl<'a> Lowering<'a> {
    pub fn new(unit: &'a Unit) -> Self {
        Lowering {
            kinds: Cow::Owned(unit.resources.iter().map(|r| (&r.name, &r.kind)).collect()),
            stacks: None,
        }
    }

    /// The lowering for stack `current` of a split unit: `part_of` gives each resource's stack,
    /// `prefixes` each stack's export prefix. Borrows everything, so a unit split into many
    /// stacks costs no copy per stack.
    pub fn stack(
        &'a self,
        part_of: &'a HashMap<Name, usize>,
        prefixes: &'a [String],
        current: usize,
    ) -> Lowering<'a> {
        Lowering {
            kinds: Cow::Borrowed(&*self.kinds),
            stacks: Some(Stacks {
                part_of,
                prefixes,
                current,
            }),
        }
    }

    /// The export prefix of the earlier stack holding `name`, if it is in one.
    fn remote(&self, name: &Name) -> Option<&'a str> {
        let s = self.stacks?;
        match s.part_of.get(name) {
            Some(&p) if p < s.current => Some(s.prefixes[p].as_str()),
            _ => None,
        }
    }

    fn kind(&self, r: &Ref) -> &Kind {
        self.kinds
            .get(&r.resource)
            .expect("Plan::verify: references resolve")
    }

    /// The export name under which the stack defining `r` publishes it.
    pub fn export_name(&self, prefix: &str, r: &Ref) -> String {
        let attr = match read(self.kind(r), r.attr) {
            Read::Ref => "Ref",
            Read::GetAtt(attr) => attr,
        };
        format!("{prefix}-{}-{attr}", r.resource.pascal())
    }

    /// A reference read locally, ignoring any split (for the defining stack's exports).
    pub fn local(&self, r: &Ref) -> Json {
        let id = r.resource.pascal();
        match read(self.kind(r), r.attr) {
            Read::Ref => json!({ "Ref": id }),
            Read::GetAtt(attr) => json!({ "Fn::GetAtt": [id, attr] }),
        }
    }

    /// A value as a CloudFormation expression.
    pub fn value(&self, v: &Value) -> Json {
        match v {
            Value::Lit(s) => Json::Str(s.clone()),
            Value::Ref(r) => match self.remote(&r.resource) {
                Some(prefix) => json!({ "Fn::ImportValue": self.export_name(prefix, r) }),
                None => self.local(r),
            },
            Value::Input(name) => json!({ "Ref": Name::new(&[name]).pascal() }),
            Value::AccountId => json!({ "Ref": "AWS::AccountId" }),
            Value::Join(parts) => {
                let mut imports = Obj::new();
                let text: String = parts
                    .iter()
                    .map(|p| self.sub_part(p, &mut imports))
                    .collect();
                if imports.is_empty() {
                    json!({ "Fn::Sub": text })
                } else {
                    json!({ "Fn::Sub": [text, imports] })
                }
            }
        }
    }

    /// One part of an `Fn::Sub` string; imported values become variables of the two-argument form.
    fn sub_part(&self, v: &Value, imports: &mut Obj) -> String {
        match v {
            Value::Lit(s) => s.replace("${", "${!"),
            Value::Ref(r) => {
                if let Some(prefix) = self.remote(&r.resource) {
                    let var = format!("Import{}", imports.len() + 1);
                    imports.insert(
                        var.clone(),
                        json!({ "Fn::ImportValue": self.export_name(prefix, r) }),
                    );
                    return format!("${{{var}}}");
                }
                let id = r.resource.pascal();
                match read(self.kind(r), r.attr) {
                    Read::Ref => format!("${{{id}}}"),
                    Read::GetAtt(attr) => format!("${{{id}.{attr}}}"),
                }
            }
            Value::Input(name) => format!("${{{}}}", Name::new(&[name]).pascal()),
            Value::AccountId => String::from("${AWS::AccountId}"),
            Value::Join(parts) => parts.iter().map(|p| self.sub_part(p, imports)).collect(),
        }
    }

    pub fn values(&self, vs: &[Value]) -> Json {
        Json::Arr(vs.iter().map(|v| self.value(v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::value::{join, Name};
    use crate::plan::{Bucket, Resource, Target};

    fn unit() -> Unit {
        let key = Name::new(&["trail_key"]);
        let bucket = Name::new(&["trail_bucket"]);
        Unit {
            name: "management".into(),
            description: String::new(),
            target: Target::Management,
            region: "us-east-1".into(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            resources: vec![
                Resource {
                    name: key.clone(),
                    kind: Kind::KmsKey(crate::plan::KmsKey {
                        description: String::new(),
                        policy: crate::plan::policy::PolicyDocument::new(vec![]),
                        settings: crate::plan::audit::TRAIL_KEY,
                    }),
                    depends_on: vec![],
                    waivers: vec![],
                },
                Resource {
                    name: bucket,
                    kind: Kind::Bucket(Bucket {
                        name: Value::lit("b"),
                        kms_key: Some(Value::reference(&key, Attr::Arn)),
                        expire_after_days: None,
                        access_logs: None,
                        eventbridge: false,
                        settings: crate::plan::audit::AUDIT_BUCKET,
                    }),
                    depends_on: vec![],
                    waivers: vec![],
                },
            ],
        }
    }

    #[test]
    fn references_lower_to_ref_and_getatt() {
        let u = unit();
        let l = Lowering::new(&u);
        assert_eq!(
            l.value(&Value::reference(&Name::new(&["trail_key"]), Attr::Arn)),
            json!({"Fn::GetAtt": ["TrailKey", "Arn"]})
        );
        assert_eq!(
            l.value(&Value::reference(
                &Name::new(&["trail_bucket"]),
                Attr::BucketName
            )),
            json!({"Ref": "TrailBucket"})
        );
        assert_eq!(
            l.value(&Value::Input("group_devs_id".into())),
            json!({"Ref": "GroupDevsId"})
        );
    }

    #[test]
    fn joins_become_sub_with_escaped_literals() {
        let u = unit();
        let l = Lowering::new(&u);
        let v = join([
            Value::lit("arn:aws:s3:::${aws:PrincipalAccount}/"),
            Value::AccountId,
            Value::lit("/"),
            Value::reference(&Name::new(&["trail_key"]), Attr::Arn),
        ]);
        assert_eq!(
            l.value(&v),
            json!({
                "Fn::Sub":
                    "arn:aws:s3:::${!aws:PrincipalAccount}/${AWS::AccountId}/${TrailKey.Arn}",
            })
        );
    }

    #[test]
    fn plain_literals_keep_iam_variables() {
        let u = unit();
        assert_eq!(
            Lowering::new(&u).value(&Value::lit("${aws:username}")),
            json!("${aws:username}")
        );
    }
}

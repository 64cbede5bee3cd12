//! Identity Center principals that would be merged: two different group or user names whose
//! resource names are the same.

use std::collections::HashMap;

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;
use crate::naming::{principal_input, principal_part, Name};

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    // The input (Terraform data source, CloudFormation parameter) of each principal, keyed as the
    // CloudFormation logical id: the stricter of the two targets' identifiers, since it keeps no
    // separator between words.
    let mut inputs: HashMap<String, (&str, String)> = HashMap::new();
    // The assignment resources: a principal's part of the name could still meet another's
    // through the permission-set or account part (`a group b` + `c` against `a` + `b group c`).
    let mut assignments: HashMap<String, (String, String)> = HashMap::new();
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        let (kind, name) = match (&a.group, &a.user) {
            (Some(g), _) => ("group", g),
            (None, Some(u)) => ("user", u),
            (None, None) => continue, // TM023
        };
        // With its `principal_id` given, an assignment needs no input to look the id up.
        if a.principal_id.is_none() {
            let pointer = Ptr::assignment(i).field(kind).to_string();
            let key = principal_input(kind, name).pascal();
            match inputs.get(&key) {
                Some((first, at)) if *first != name => {
                    out.push(collision(kind, name, first, at, &pointer));
                    continue;
                }
                Some(_) => {}
                None => {
                    inputs.insert(key, (name, pointer));
                }
            }
        }
        let part = principal_part(name);
        for (j, account) in a.accounts.iter().enumerate() {
            let key = Name::new(&["assignment", &a.permission_set, kind, &part, account]).pascal();
            let what = format!("`{}` for {kind} `{name}` in `{account}`", a.permission_set);
            let here = Ptr::assignment(i).field("accounts").index(j).to_string();
            match assignments.get(&key) {
                // The same assignment repeated is TM020's to report.
                Some((first, _)) if *first == what => {}
                Some((first, at)) => out.push(
                    Diagnostic::error(
                        codes::PRINCIPAL_COLLISION,
                        here,
                        format!(
                            "the assignment of {what} and that of {first} would get the same \
                            resource name `{key}`"
                        ),
                    )
                    .with_help(format!(
                        "the other assignment is at {}; rename the permission set, the account or \
                            the principal so that their names differ in more than punctuation",
                        crate::blueprint::load::describe(at)
                    )),
                ),
                None => {
                    assignments.insert(key, (what, here));
                }
            }
        }
    }
}

fn collision(kind: &str, name: &str, first: &str, at: &str, pointer: &str) -> Diagnostic {
    let key = principal_input(kind, name);
    Diagnostic::error(
        codes::PRINCIPAL_COLLISION,
        pointer,
        format!(
            "{kind} `{name}` and {kind} `{first}` would get the same identifier `{}` (`{}`): both \
                assignments would go to `{first}`",
            key.snake(),
            key.pascal()
        ),
    )
    .with_label(format!("collides with `{first}`"))
    .with_help(format!(
        "`{first}` is at {}; names that differ only in case or punctuation are one principal to \
            tarmac: rename one of the two {kind}s in the identity store and here",
        crate::blueprint::load::describe(at)
    ))
}

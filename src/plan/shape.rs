//! Shapes: member units that deploy the same template. Member units differ in the values of
//! their inputs (the account's budget amounts, its VPCs), which the planner keeps out of names
//! and properties; units with the same resources, inputs and outputs in one region then share a
//! template: one StackSet body for all their accounts, one Terraform module that each account's
//! root module calls. An organization of a thousand uniform accounts has one shape per region.

use std::collections::HashMap;

use super::{Input, Target, Unit};

/// Member units sharing one template.
#[derive(Debug)]
pub struct Shape {
    /// `members-<region>` for a region's first shape, then `members-<region>-2`, ... in plan
    /// order: adding accounts of an existing shape renames nothing.
    pub name: String,
    pub region: String,
    /// Indices of the units in `Plan::units`, in plan order. The first one stands for all:
    /// templates are lowered from it.
    pub units: Vec<usize>,
}

/// The shapes of the member units of `units`, in order of first appearance. Linear in the number
/// of units: a unit is compared in full only with the shapes of its region whose resources have
/// the same names.
pub fn shapes(units: &[Unit]) -> Vec<Shape> {
    let mut shapes: Vec<Shape> = Vec::new();
    let mut buckets: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut per_region: HashMap<&str, usize> = HashMap::new();
    for (i, unit) in units.iter().enumerate() {
        if !matches!(unit.target, Target::Member(_)) {
            continue;
        }
        let key = (unit.region.clone(), signature(unit));
        let bucket = buckets.entry(key).or_default();
        match bucket
            .iter()
            .find(|&&s| same_template(&units[shapes[s].units[0]], unit))
        {
            Some(&s) => shapes[s].units.push(i),
            None => {
                let n = per_region.entry(&unit.region).or_default();
                *n += 1;
                let name = match *n {
                    1 => format!("members-{}", unit.region),
                    n => format!("members-{}-{n}", unit.region),
                };
                bucket.push(shapes.len());
                shapes.push(Shape {
                    name,
                    region: unit.region.clone(),
                    units: vec![i],
                });
            }
        }
    }
    shapes
}

/// The names of a unit's resources, inputs and outputs: units of one shape have the same.
fn signature(unit: &Unit) -> String {
    let mut s = String::new();
    let names = unit
        .resources
        .iter()
        .map(|r| &r.name)
        .chain(unit.inputs.iter().map(|i| &i.name))
        .chain(unit.outputs.iter().map(|o| &o.name));
    for name in names {
        s.push_str(&name.snake());
        s.push('/');
    }
    s
}

/// Whether two member units of one region lower to the same template: everything but their
/// inputs' values (and their names and descriptions, which name the account).
fn same_template(a: &Unit, b: &Unit) -> bool {
    let same_input = |x: &Input, y: &Input| {
        x.name == y.name
            && x.description == y.description
            && x.ty == y.ty
            && x.lookup == y.lookup
            && x.source == y.source
    };
    a.region == b.region
        && a.resources == b.resources
        && a.outputs == b.outputs
        && a.inputs.len() == b.inputs.len()
        && a.inputs
            .iter()
            .zip(&b.inputs)
            .all(|(x, y)| same_input(x, y))
}

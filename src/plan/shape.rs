//! Shapes: member units that deploy the same template. Member units differ in the values of
//! their inputs (the account's budget amounts, its VPCs), which the planner keeps out of names
//! and properties; units with the same resources, inputs and outputs in one region then share a
//! template: one StackSet body for all their accounts, one Terraform module that each account's
//! root module calls. An organization of a thousand uniform accounts has one shape per region.
//! Units are grouped as they are planned ([`Sharing`]), so that the copies are dropped at once.

use std::collections::HashMap;

#[cfg(test)]
use super::Target;
use super::{Input, Unit};

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

/// Groups member units into shapes as they are planned.
#[derive(Default)]
pub struct Sharing {
    shapes: Vec<Shape>,
    /// Shapes by region and [`signature`]: a unit is compared in full only with these, so
    /// grouping stays linear in the number of units.
    buckets: HashMap<(String, u64), Vec<usize>>,
    per_region: HashMap<String, usize>,
}

impl Sharing {
    /// The shape `unit` belongs to among those so far, if any. Reads only, so the planner's
    /// threads ask it for the units they plan, and compare them there.
    pub fn find(&self, units: &[Unit], unit: &Unit) -> Option<usize> {
        let key = (unit.region.clone(), signature(unit));
        self.buckets.get(&key).and_then(|bucket| {
            bucket
                .iter()
                .copied()
                .find(|&s| same_template(&units[self.shapes[s].units[0]], unit))
        })
    }

    /// Puts member unit `i` in shape `s`, which [`Sharing::find`] found for it; the unit must
    /// hold no resources or outputs (they are the shape's).
    pub fn join(&mut self, s: usize, i: usize) {
        self.shapes[s].units.push(i);
    }

    /// Puts member unit `i` of `units` in its shape, a new one if none fits. Unless it is the
    /// first of its shape, its resources and outputs are emptied: they are the first one's, and
    /// keeping every account's copy would grow memory with the organization (docs/performance.md).
    pub fn add(&mut self, units: &mut [Unit], i: usize) {
        if let Some(s) = self.find(units, &units[i]) {
            units[i].resources = Vec::new();
            units[i].outputs = Vec::new();
            self.join(s, i);
            return;
        }
        let unit = &units[i];
        let n = self.per_region.entry(unit.region.clone()).or_default();
        *n += 1;
        let name = match *n {
            1 => format!("members-{}", unit.region),
            n => format!("members-{}-{n}", unit.region),
        };
        self.buckets
            .entry((unit.region.clone(), signature(unit)))
            .or_default()
            .push(self.shapes.len());
        self.shapes.push(Shape {
            name,
            region: unit.region.clone(),
            units: vec![i],
        });
    }

    pub fn into_shapes(self) -> Vec<Shape> {
        self.shapes
    }
}

/// The shapes of the member units of `units`, leaving the units as they are: for tests that
/// build plans by hand.
#[cfg(test)]
pub fn shapes(units: &[Unit]) -> Vec<Shape> {
    let mut copy = units.to_vec();
    let mut sharing = Sharing::default();
    for (i, unit) in units.iter().enumerate() {
        if matches!(unit.target, Target::Member(_)) {
            sharing.add(&mut copy, i);
        }
    }
    sharing.into_shapes()
}

/// A hash of the names of a unit's resources, inputs and outputs: units of one shape have the
/// same. (A collision only costs a full comparison.)
fn signature(unit: &Unit) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for r in &unit.resources {
        r.name.hash(&mut h);
    }
    for i in &unit.inputs {
        i.name.hash(&mut h);
    }
    for o in &unit.outputs {
        o.name.hash(&mut h);
    }
    h.finish()
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

#[cfg(test)]
mod tests {
    use crate::diagnostics::SourceFile;

    #[test]
    fn units_of_one_shape_keep_only_their_inputs() {
        let file = SourceFile::new("g.yaml", crate::generate::blueprint(3));
        let bp = crate::blueprint::load::load(&file).unwrap();
        let catalog = crate::catalog::Catalog::get();
        let resolved = crate::resolve::resolve(&bp, catalog).unwrap();
        let plan = crate::plan::build(&resolved, catalog);
        assert_eq!(plan.shapes.len(), 1);
        let shape = &plan.shapes[0];
        assert_eq!(shape.name, "members-us-east-2");
        assert_eq!(shape.units.len(), 3);
        let first = &plan.units[shape.units[0]];
        assert!(!first.resources.is_empty() && !first.outputs.is_empty());
        for &u in &shape.units[1..] {
            let unit = &plan.units[u];
            assert!(unit.resources.is_empty() && unit.outputs.is_empty());
            assert_eq!(unit.inputs.len(), first.inputs.len());
            assert_ne!(
                unit.inputs[2].default, first.inputs[2].default,
                "its own VPC"
            );
        }
        assert_eq!(plan.verify(), Ok(()));
    }
}

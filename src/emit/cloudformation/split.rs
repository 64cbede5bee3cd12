//! Splitting a unit that outgrows one CloudFormation stack (500 resources) into several stacks
//! deployed in order, with explicit cross-stack references (`Export` / `Fn::ImportValue`).
//!
//! The split is deterministic and keeps related resources together: every item is anchored to
//! the last account it refers to (directly or through what it refers to), so an account, its
//! assignments and its StackSet land in the same stack, and an item reading several accounts (an
//! anomaly monitor of ten consecutive accounts) lands with the last of them, where the others
//! mostly are too. Items that refer to no account (OUs, permission sets, SCPs on OUs, the trail)
//! come first; items that refer to what comes later go last. References then always point to the
//! same or an earlier stack, which is the order the stacks deploy in. Linear in the number of
//! items.
//!
//! Anchoring a multi-account item with its last account, not after every account, keeps the
//! exports of a Region few (CloudFormation counts them per account and Region): 5,000 accounts
//! with their 500 monitors in us-east-1 made 5,402 exports when the monitors came last (each
//! monitor imported its ten accounts from their stacks), and make 901 (docs/quotas.md).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::plan::value::Name;

/// What one stack may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub resources: usize,
    pub parameters: usize,
    /// Outputs, exports included.
    pub outputs: usize,
    /// Template bytes, before the template's own frame.
    pub bytes: usize,
}

/// CloudFormation's limits: 500 resources, 200 parameters, 200 outputs, 1,000,000 bytes (from S3),
/// less room for the template's frame (description, parameters).
pub const LIMITS: Limits = Limits {
    resources: 500,
    parameters: 200,
    outputs: 200,
    bytes: 950_000,
};

/// What the splitter needs to know about one template item.
pub struct Node {
    pub name: Name,
    /// Names of the items it refers to or depends on.
    pub refs: Vec<Name>,
    pub is_account: bool,
    /// How many resources it adds to a stack: 0 for a StackSet instance, whose StackSet is
    /// reserved for in the limits.
    pub resources: usize,
    /// Unit outputs that read this item (and nothing later).
    pub outputs: usize,
    /// Size of the item in the template.
    pub bytes: usize,
    /// The unit inputs (stack parameters) it reads.
    pub inputs: Vec<String>,
}

/// The load of a stack, or of a block of items.
#[derive(Debug, Clone, Default)]
struct Load<'a> {
    resources: usize,
    outputs: usize,
    bytes: usize,
    inputs: BTreeSet<&'a str>,
}

impl<'a> Load<'a> {
    fn add(&mut self, other: &Load<'a>) {
        self.resources += other.resources;
        self.outputs += other.outputs;
        self.bytes += other.bytes;
        self.inputs.extend(other.inputs.iter().copied());
    }

    fn fits(&self, other: &Load, limits: Limits) -> bool {
        self.resources + other.resources <= limits.resources
            && self.outputs + other.outputs <= limits.outputs
            && self.bytes + other.bytes <= limits.bytes
            && self.inputs.union(&other.inputs).count() <= limits.parameters
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Core,
    Account(usize),
    Tail,
}

/// The bytes an export of an item adds to its stack: an output whose key, value and export
/// name each spell the item's logical id, pretty-printed (about 300 bytes for a 20-character id).
fn export_bytes(n: &Node) -> usize {
    220 + 3 * n.name.pascal().len()
}

/// Indices of the items of each part, in deploy order; one part when the items fit. Each item
/// that a differently anchored item reads is counted as a possible export of its stack; so is
/// each item that an item of its own block reads, when the block is larger than a stack and is
/// cut (the monitors read by the one anomaly subscription, say).
pub fn parts(nodes: &[Node], limits: Limits) -> Vec<Vec<usize>> {
    fn weight(n: &Node, exported: bool) -> Load<'_> {
        Load {
            resources: n.resources,
            outputs: n.outputs + usize::from(exported),
            bytes: n.bytes + if exported { export_bytes(n) } else { 0 },
            inputs: n.inputs.iter().map(String::as_str).collect(),
        }
    }
    let whole = nodes.iter().fold(Load::default(), |mut l, n| {
        l.add(&weight(n, false));
        l
    });
    if Load::default().fits(&whole, limits) {
        return vec![(0..nodes.len()).collect()];
    }
    let index: HashMap<&Name, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (&n.name, i))
        .collect();
    let mut anchors = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let mut anchor = if node.is_account {
            Anchor::Account(i)
        } else {
            Anchor::Core
        };
        for r in &node.refs {
            let other = match index.get(r) {
                Some(&j) if j < i => anchors[j],
                // The plan adds resources after what they refer to; anything else goes last.
                _ => Anchor::Tail,
            };
            anchor = match (anchor, other) {
                (a, Anchor::Core) => a,
                (Anchor::Core, b) => b,
                // Accounts are placed in plan order: the later account's block comes after
                // the earlier one's, so what the item reads exists by then.
                (Anchor::Account(a), Anchor::Account(b)) => Anchor::Account(a.max(b)),
                _ => Anchor::Tail,
            };
        }
        anchors.push(anchor);
    }
    let mut exported = vec![false; nodes.len()];
    // Read by an item of the same block: an export only if the block is cut.
    let mut read_within = vec![false; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for r in &node.refs {
            if let Some(&j) = index.get(r) {
                if anchors[j] != anchors[i] {
                    exported[j] = true;
                } else {
                    read_within[j] = true;
                }
            }
        }
    }
    let load = |i: usize, cut: bool| weight(&nodes[i], exported[i] || (cut && read_within[i]));
    let mut core = Vec::new();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut tail = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        match a {
            Anchor::Core => core.push(i),
            Anchor::Account(account) => groups.entry(*account).or_default().push(i),
            Anchor::Tail => tail.push(i),
        }
    }
    let mut out = vec![(Vec::new(), Load::default())];
    let mut place = |block: Vec<usize>| {
        let total = |cut: bool| {
            block.iter().fold(Load::default(), |mut l, &i| {
                l.add(&load(i, cut));
                l
            })
        };
        let cut = !Load::default().fits(&total(false), limits);
        let total = total(cut);
        // A block that does not fit where the last stack ends starts a new one, so that related
        // items stay together; a block larger than a stack is cut where it must be.
        if out
            .last()
            .is_some_and(|(p, l)| !p.is_empty() && !l.fits(&total, limits))
        {
            out.push((Vec::new(), Load::default()));
        }
        for i in block {
            let item = load(i, cut);
            if out
                .last()
                .is_some_and(|(p, l)| !p.is_empty() && !l.fits(&item, limits))
            {
                out.push((Vec::new(), Load::default()));
            }
            let (part, l) = out.last_mut().expect("one part at least");
            part.push(i);
            l.add(&item);
        }
    };
    place(core);
    for (_, block) in groups {
        place(block);
    }
    place(tail);
    out.into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, refs: &[&str], is_account: bool) -> Node {
        Node {
            name: Name::new(&[name]),
            refs: refs.iter().map(|r| Name::new(&[r])).collect(),
            is_account,
            resources: 1,
            outputs: 0,
            bytes: 10,
            inputs: Vec::new(),
        }
    }

    fn resources(n: usize) -> Limits {
        Limits {
            resources: n,
            parameters: 200,
            outputs: 200,
            bytes: 1_000_000,
        }
    }

    #[test]
    fn fits_in_one_part_up_to_the_limit() {
        let nodes: Vec<Node> = (0..5).map(|i| node(&format!("r{i}"), &[], false)).collect();
        assert_eq!(parts(&nodes, resources(5)).len(), 1);
        assert_eq!(parts(&nodes, resources(4)).len(), 2);
    }

    #[test]
    fn outputs_and_bytes_limit_a_stack_too() {
        let mut nodes: Vec<Node> = (0..4).map(|i| node(&format!("r{i}"), &[], false)).collect();
        nodes.iter_mut().for_each(|n| n.outputs = 1);
        assert_eq!(
            parts(
                &nodes,
                Limits {
                    resources: 500,
                    parameters: 200,
                    outputs: 2,
                    bytes: 1_000
                }
            )
            .len(),
            2
        );
        assert_eq!(
            parts(
                &nodes,
                Limits {
                    resources: 500,
                    parameters: 200,
                    outputs: 10,
                    bytes: 25
                }
            )
            .len(),
            2
        );
        assert_eq!(
            parts(
                &nodes,
                Limits {
                    resources: 500,
                    parameters: 200,
                    outputs: 4,
                    bytes: 40
                }
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_cut_block_counts_what_its_later_parts_read_as_exports() {
        // Four monitors and a subscription reading them: one block, cut over stacks of three
        // resources and two outputs. Each monitor read from a later stack is an export.
        let mut nodes: Vec<Node> = (0..4).map(|i| node(&format!("m{i}"), &[], false)).collect();
        nodes.push(node("sub", &["m0", "m1", "m2", "m3"], false));
        let limits = Limits {
            resources: 3,
            parameters: 200,
            outputs: 2,
            bytes: 1_000_000,
        };
        let p = parts(&nodes, limits);
        let part_of: HashMap<usize, usize> = p
            .iter()
            .enumerate()
            .flat_map(|(k, is)| is.iter().map(move |i| (*i, k)))
            .collect();
        for (k, part) in p.iter().enumerate() {
            let exports = part
                .iter()
                .filter(|&&j| {
                    nodes
                        .iter()
                        .enumerate()
                        .any(|(i, n)| part_of[&i] > k && n.refs.contains(&nodes[j].name))
                })
                .count();
            assert!(exports <= 2, "{p:?}");
            assert!(part.len() <= 3, "{p:?}");
        }
        assert_eq!(p, vec![vec![0, 1], vec![2, 3, 4]]);
    }

    #[test]
    fn an_item_reading_several_accounts_goes_with_the_last_of_them() {
        // Six accounts, two "monitors" of three consecutive accounts each, a "subscription"
        // reading both; stacks of four resources.
        let mut nodes: Vec<Node> = (0..6).map(|i| node(&format!("a{i}"), &[], true)).collect();
        nodes.push(node("m0", &["a0", "a1", "a2"], false));
        nodes.push(node("m1", &["a3", "a4", "a5"], false));
        nodes.push(node("sub", &["m0", "m1"], false));
        let p = parts(&nodes, resources(4));
        // The first monitor with its accounts; the second with its last account, and the
        // subscription with the second monitor (its last account too).
        assert_eq!(p, vec![vec![0, 1, 2, 6], vec![3, 4], vec![5, 7, 8]]);
        // Only what crosses a stack is exported: the first monitor reads nothing of another
        // stack; the second reads the two accounts the cut left in the stack before.
        let part_of: HashMap<usize, usize> = p
            .iter()
            .enumerate()
            .flat_map(|(k, is)| is.iter().map(move |i| (*i, k)))
            .collect();
        let crossing = |i: usize| -> usize {
            nodes[i]
                .refs
                .iter()
                .filter(|r| {
                    let j = nodes.iter().position(|m| &m.name == *r).unwrap();
                    part_of[&j] != part_of[&i]
                })
                .count()
        };
        assert_eq!((crossing(6), crossing(7)), (0, 2));
        assert_eq!(crossing(8), 1, "the subscription imports the first monitor");
    }

    #[test]
    fn accounts_keep_their_resources_and_references_point_backwards() {
        let nodes = vec![
            node("ou", &[], false),
            node("set", &[], false),
            node("a1", &["ou"], true),
            node("a2", &["ou"], true),
            node("as1", &["set", "a1"], false),
            node("as2", &["set", "a2"], false),
            node("scp", &["a1", "a2"], false),
        ];
        let p = parts(&nodes, resources(3));
        assert_eq!(p, vec![vec![0, 1], vec![2, 4], vec![3, 5, 6]]);
        let part_of: HashMap<usize, usize> = p
            .iter()
            .enumerate()
            .flat_map(|(k, is)| is.iter().map(move |i| (*i, k)))
            .collect();
        for (i, n) in nodes.iter().enumerate() {
            for r in &n.refs {
                let j = nodes.iter().position(|m| &m.name == r).unwrap();
                assert!(part_of[&j] <= part_of[&i]);
            }
        }
    }
}

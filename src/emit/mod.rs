//! Emitters: lowering the plan into each target's files. One module per target; they make no
//! policy decisions, only syntax. Both put their files (relative to `<out>/<client>/`) in a
//! [`Sink`] and return [`Emitted`]: one manifest entry per unit.

pub mod aws;
pub mod cloudformation;
pub mod manifest;
pub mod terraform;

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::json::Json;
use crate::plan::value::Name;
use crate::plan::{Input, Unit};

/// Where emitted files go as soon as each is made: written straight to a staging folder by
/// `synth`, or collected in memory (tests, `synth --check`). Streaming them keeps memory flat in
/// an organization of thousands of accounts, whose output is hundreds of megabytes. Files may
/// arrive in any order and from several threads.
pub trait Sink: Sync {
    /// Called once, before the first file, with the client the files belong to: a sink that
    /// writes to `<out>/<client>/` opens (and locks) that folder here. Checks and planning come
    /// first, so a blueprint with errors never reaches a sink.
    fn begin(&self, _client: &str) {}

    fn put(&self, file: OutFile);

    /// Takes a file whose text is borrowed: an emitter's document, still in the buffer of the
    /// thread that wrote it. A sink that writes it out needs no copy (docs/performance.md). It
    /// must not write JSON itself: that
    /// buffer is in use.
    fn put_text(&self, path: String, contents: &str) {
        self.put(OutFile {
            path,
            contents: contents.to_owned(),
        });
    }
}

/// Puts `value`, as [`pretty`] text, in `sink` at `path`, without copying it out of the
/// buffer it is written into (see [`Sink::put_text`]).
pub fn put_pretty(sink: &dyn Sink, path: String, value: &Json) {
    with_scratch(|buf| {
        value.write_pretty(buf);
        buf.push(b'\n');
        sink.put_text(
            path,
            std::str::from_utf8(buf).expect("the JSON writer writes UTF-8"),
        );
    });
}

/// A sink that passes every file on and remembers its path: the manifest lists the files of its
/// generation, which is how the next `synth` knows which files tarmac owns (and may replace or
/// remove) and which are the user's (Terraform state, backends, lock files).
pub struct Recorded<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl<'a> Recorded<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorded {
            inner,
            paths: Mutex::default(),
        }
    }

    /// The paths put so far, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths = self
            .paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        paths.sort_unstable();
        paths
    }

    fn record(&self, path: &str) {
        self.paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(path.to_owned());
    }
}

impl Sink for Recorded<'_> {
    fn begin(&self, client: &str) {
        self.inner.begin(client);
    }

    fn put(&self, file: OutFile) {
        self.record(&file.path);
        self.inner.put(file);
    }

    fn put_text(&self, path: String, contents: &str) {
        self.record(&path);
        self.inner.put_text(path, contents);
    }
}

/// A sink that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_sorted(self) -> Vec<OutFile> {
        let mut files = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutFile) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
    }
}

/// What an emitter produced, besides the files it put in the sink.
#[derive(Debug, Default)]
pub struct Emitted {
    pub units: Vec<UnitEntry>,
    /// Units the target cannot deploy as emitted (a limit of the target, not a bug).
    pub oversized: Vec<Oversized>,
    /// How many StackSets the management account must hold (CloudFormation).
    pub stack_sets: usize,
}

/// A member unit whose template is larger than the target accepts where it must go.
#[derive(Debug, Clone)]
pub struct Oversized {
    /// Blueprint name of the account.
    pub account: String,
    pub region: String,
    pub bytes: usize,
    pub limit: usize,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Path relative to the client's output folder, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// The manifest's record of one deployable unit of one target.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEntry {
    pub name: String,
    /// `cloudformation` or `terraform`.
    pub target: &'static str,
    /// `stack`, `stack-set` or `root-module`.
    pub kind: &'static str,
    /// Blueprint account name, `management`, or `members` for a template several accounts share.
    pub account: String,
    /// The accounts of a shared template, in blueprint order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    /// The account id when known at synth time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    pub region: String,
    /// Set by [`layer`] from `inputs` and `after`: 1 + the highest order of every unit this
    /// one waits for, so units of one order are independent.
    pub deploy_order: u32,
    /// Units of the same target this one must follow although it reads none of their outputs
    /// through an input: the earlier stacks of a split unit (their exports are imported), the
    /// stacks holding a shape's StackSets. Not written to the manifest: `deploy_order` says it.
    #[serde(skip)]
    pub after: Vec<String>,
    /// Files of the unit, relative to the client's output folder.
    pub files: Vec<String>,
    /// Inputs that must be supplied at deploy time, and where their values come from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputEntry>,
    /// What the target cannot express and what to do instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub resource_count: usize,
}

/// The manifest's account of the units deployed in the management account.
pub const MANAGEMENT_ACCOUNT: &str = "management";

/// Stops at a reference the planner never makes: an attribute of a kind that neither target
/// reads (a tarmac bug).
pub fn unread(attr: impl std::fmt::Debug, kind: impl std::fmt::Debug) -> ! {
    unreachable!("the planner never reads {attr:?} of {kind:?}")
}

impl UnitEntry {
    /// The entry of `unit` as a `kind` of `target` in `account`, holding nothing yet: the
    /// emitter fills in its files, inputs, notes and resource count, [`layer`] its deploy order.
    pub fn new(
        unit: &Unit,
        target: &'static str,
        kind: &'static str,
        account: impl Into<String>,
    ) -> UnitEntry {
        UnitEntry {
            name: unit.name.clone(),
            target,
            kind,
            account: account.into(),
            accounts: Vec::new(),
            account_id: None,
            region: unit.region.clone(),
            deploy_order: 0,
            after: Vec::new(),
            files: Vec::new(),
            inputs: Vec::new(),
            notes: Vec::new(),
            resource_count: 0,
        }
    }
}

/// An input a unit needs at deploy time.
#[derive(Debug, Clone, Serialize)]
pub struct InputEntry {
    pub name: String,
    pub description: String,
    /// `blueprint` (already filled in), `lookup` (Terraform finds it), `output:<unit>.<name>`
    /// (an earlier unit's output), or `operator` (must be supplied by whoever deploys).
    pub source: String,
}

impl InputEntry {
    /// The entry of an input without a value, named `name` in its target: filled from another
    /// unit's output (named as the target names outputs, by `output_name`), or by the operator.
    pub fn deploy_time(input: &Input, name: String, output_name: fn(&Name) -> String) -> Self {
        InputEntry {
            name,
            description: input.description.clone(),
            source: match &input.source {
                Some(s) => output_source(&s.unit, &output_name(&s.output)),
                None => String::from("operator"),
            },
        }
    }
}

/// The source of an input filled from `output` of `unit`: `output:<unit>.<name>`.
pub fn output_source(unit: &str, output: &str) -> String {
    format!("output:{unit}.{output}")
}

/// The unit and output an input's source names: `output:<unit>.<name>`.
pub fn source_output(source: &str) -> Option<(&str, &str)> {
    source.strip_prefix("output:")?.rsplit_once('.')
}

/// Gives every unit of one target its `deploy_order`: 1 + the highest order of the units whose
/// outputs its inputs read (`output:<unit>.<name>`) and of those in its `after`, 1 when it waits
/// for none. The order is computed from these references alone, in this one place for both
/// targets, so a unit can never share a step with a unit it reads (the manifest promises that
/// units of one order are independent, and READINESS.md's deploy table puts them in one step).
///
/// A reference to a unit not in `units`, or a cycle, is a tarmac bug: emitters only name units
/// they emitted, and every reference points from a later part of the plan to an earlier one.
pub fn layer(units: &mut [UnitEntry]) {
    use std::collections::HashMap;
    let index: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.as_str(), i))
        .collect();
    let waits: Vec<Vec<usize>> = units
        .iter()
        .map(|u| {
            let mut w: Vec<usize> = u
                .inputs
                .iter()
                .filter_map(|i| source_unit(&i.source))
                .chain(u.after.iter().map(String::as_str))
                .map(|name| match index.get(name) {
                    Some(&k) => k,
                    None => panic!("tarmac bug: unit {} waits for unknown unit {name}", u.name),
                })
                .collect();
            w.sort_unstable();
            w.dedup();
            w
        })
        .collect();
    // 0: not computed yet. Depth-first with an explicit stack: chains are short, but the
    // walk must not recurse once per unit of a large organization.
    let mut order = vec![0u32; units.len()];
    let mut on_path = vec![false; units.len()];
    for start in 0..units.len() {
        let mut stack = vec![start];
        while let Some(&u) = stack.last() {
            if order[u] != 0 {
                stack.pop();
                continue;
            }
            on_path[u] = true;
            match waits[u].iter().find(|&&w| order[w] == 0) {
                Some(&w) => {
                    assert!(
                        !on_path[w],
                        "tarmac bug: units wait for each other through {}",
                        units[w].name
                    );
                    stack.push(w);
                }
                None => {
                    order[u] = 1 + waits[u].iter().map(|&w| order[w]).max().unwrap_or(0);
                    on_path[u] = false;
                    stack.pop();
                }
            }
        }
    }
    for (u, o) in units.iter_mut().zip(order) {
        u.deploy_order = o;
    }
}

/// The unit an input's source names: `output:<unit>.<name>`.
pub fn source_unit(source: &str) -> Option<&str> {
    source_output(source).map(|(unit, _)| unit)
}

/// Pretty JSON with two-space indentation and a final newline: the one text form of every JSON
/// file tarmac writes, so outputs are byte-stable.
pub fn to_pretty_json(value: &impl Serialize) -> String {
    through_scratch(|buf| {
        serde_json::to_writer_pretty(&mut *buf, value).expect("a JSON value serializes");
        buf.push(b'\n');
    })
}

/// [`to_pretty_json`] of a document the emitters built.
pub fn pretty(value: &Json) -> String {
    through_scratch(|buf| {
        value.write_pretty(buf);
        buf.push(b'\n');
    })
}

/// The text `write` puts in this thread's scratch buffer ([`with_scratch`]), copied out at its
/// exact length: serializing into a fresh buffer instead was a fifth of the copying in a large
/// synth, and kept texts twice as large as needed. `write` must not serialize through the
/// scratch itself (no nesting).
fn through_scratch(write: impl FnOnce(&mut Vec<u8>)) -> String {
    with_scratch(|buf| {
        write(buf);
        std::str::from_utf8(buf)
            .expect("serde_json writes UTF-8")
            .to_owned()
    })
}

/// Runs `f` on this thread's scratch buffer, emptied. The buffer keeps its capacity from one
/// file to the next; serializing into a fresh one grows it by doubling.
fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|buf| {
        buf.clear();
        f(buf)
    })
}

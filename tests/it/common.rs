//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use tarmac::compile::{compile, Compiled, Failure, Targets};
use tarmac::diagnostics::SourceFile;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tarmac binary, to be run in the repository root with colour off.
pub fn tarmac() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tarmac"));
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

/// An empty scratch folder of one test, `tarmac-<area>-<name>-<pid>` in the temporary folder:
/// the tests of one run share a process id, so `area` (the test module) and `name` keep them
/// apart.
pub fn scratch(area: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tarmac-{area}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

/// Every shipped blueprint, sorted.
pub fn blueprints() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("blueprints"))
        .expect("blueprints/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    out.sort();
    out
}

/// A file relative to the repository root, named as a user would name it, with the bases it
/// `extends` (read as the CLI reads them).
pub fn source(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).expect("readable blueprint");
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    tarmac::blueprint::compose::resolve(SourceFile::new(name, text), &|base: &Path| {
        std::fs::read_to_string(root().join(base))
            .map(|text| SourceFile::new(base.display().to_string(), text))
            .map_err(|e| e.to_string())
    })
}

/// The text of a shipped blueprint as one file: for a client that `extends` a base, its version
/// written out in full (tests/fixtures/composed/full/, proven equal by tests/it/composition.rs),
/// so that tests which edit a blueprint's text cover the composed clients too.
pub fn text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable blueprint");
    if !text.contains("\nextends: ") {
        return text;
    }
    let full = root()
        .join("tests/fixtures/composed/full")
        .join(path.file_name().expect("a file"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| {
        panic!(
            "{} has no full version {}: {e}",
            path.display(),
            full.display()
        )
    })
}

/// Compiles a blueprint text that must be valid.
pub fn compile_text(text: &str, targets: Targets) -> Compiled {
    match compile(&SourceFile::new("test.yaml", text), targets) {
        Ok(c) => c,
        Err(Failure::Blueprint(d)) => {
            panic!("{}", SourceFile::new("test.yaml", text).render(&d, false))
        }
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => panic!("internal: {m}"),
    }
}

/// The contents of one output file.
pub fn file<'a>(c: &'a Compiled, path: &str) -> &'a str {
    &c.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} in {:?}",
                c.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .contents
}

/// The properties of every resource of type `kind` in a CloudFormation template of a compiled
/// blueprint, in template order.
pub fn cfn_properties(c: &Compiled, template: &str, kind: &str) -> Vec<serde_json::Value> {
    let t: serde_json::Value = serde_json::from_str(file(c, template)).expect("a JSON template");
    t["Resources"]
        .as_object()
        .expect("a template with resources")
        .values()
        .filter(|r| r["Type"] == kind)
        .map(|r| r["Properties"].clone())
        .collect()
}

/// The shipped startup blueprint's text.
pub fn startup() -> String {
    std::fs::read_to_string(root().join("blueprints/acme-startup.yaml")).expect("shipped blueprint")
}

/// A blueprint with `n` new pilot accounts (`tarmac generate n`).
pub fn generated(n: usize) -> String {
    tarmac::generate::blueprint(n)
}

/// `generated(3)` with networks of three shapes: the second without private DNS, the third with
/// the Runtime endpoint only.
pub fn generated_in_three_shapes() -> String {
    generated(3)
        .replace(
            "subnet_ids: [subnet-00000000000000001]\n",
            "subnet_ids: [subnet-00000000000000001]\n    private_dns: false\n",
        )
        .replace(
            "subnet_ids: [subnet-00000000000000002]\n",
            "subnet_ids: [subnet-00000000000000002]\n    endpoints: [bedrock-runtime]\n",
        )
}

/// The codes of the errors a blueprint text gets with `targets` (empty when it compiles).
pub fn error_codes(text: &str, targets: Targets) -> Vec<&'static str> {
    match compile(&SourceFile::new("t.yaml", text), targets) {
        Ok(_) => Vec::new(),
        Err(Failure::Blueprint(d)) => d
            .iter()
            .filter(|d| d.severity == tarmac::diagnostics::Severity::Error)
            .map(|d| d.code.id)
            .collect(),
        Err(m @ (Failure::Internal(_) | Failure::Template(_))) => panic!("{m}"),
    }
}

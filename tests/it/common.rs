//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use tarmac::compile::{compile, Compiled, Failure, Targets};
use tarmac::diagnostics::SourceFile;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// A file relative to the repository root, named as a user would name it.
pub fn source(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).expect("readable blueprint");
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    SourceFile::new(name, text)
}

/// Compiles a blueprint text that must be valid.
pub fn compile_text(text: &str, targets: Targets) -> Compiled {
    match compile(&SourceFile::new("test.yaml", text), targets) {
        Ok(c) => c,
        Err(Failure::Blueprint(d)) => {
            panic!("{}", SourceFile::new("test.yaml", text).render(&d, false))
        }
        Err(Failure::Internal(m)) => panic!("internal: {m}"),
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

/// The shipped startup blueprint's text.
pub fn startup() -> String {
    std::fs::read_to_string(root().join("blueprints/acme-startup.yaml")).expect("shipped blueprint")
}

/// A blueprint with `n` new pilot accounts, each with budgets, an assignment and endpoints: the
/// shape of an organization that grew from one pilot.
pub fn generated(n: usize) -> String {
    let lines = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut text = lines(&[
        "client: scale",
        "organization:",
        "  id: o-scale12345",
        "  root_id: r-sc01",
        "  management_account_id: \"100000000000\"",
        "organizational_units:",
        "  - name: Pilots",
        "accounts:",
    ]);
    for i in 0..n {
        text.push_str(&format!(
            "  - name: pilot-{i:05}\n    email: pilot-{i:05}@scale.example\n    ou: Pilots\n"
        ));
    }
    text.push_str(&lines(&[
        "bedrock:",
        "  regions: [us-east-1]",
        "  runtime_models: [openai.gpt-oss-120b-1:0]",
        "  mantle_models: [openai.gpt-oss-120b]",
        "identity_center:",
        "  instance_arn: arn:aws:sso:::instance/ssoins-1234567890abcdef",
        "  identity_store_id: d-1234567890",
        "  start_url: https://d-1234567890.awsapps.com/start",
        "  region: us-east-1",
        "  permission_sets:",
        "    - name: CodexBedrockUser",
        "      bedrock_access: mantle",
        "  assignments:",
        "    - permission_set: CodexBedrockUser",
        "      group: pilot-developers",
        "      principal_id: 11111111-2222-3333-4444-555555555555",
        "      accounts:",
    ]));
    for i in 0..n {
        text.push_str(&format!("        - pilot-{i:05}\n"));
    }
    text.push_str(&lines(&[
        "budgets:",
        "  alert_emails: [finops@scale.example]",
        "  account_monthly_usd: 100",
        "  bedrock_monthly_usd: 50",
        "networks:",
    ]));
    for i in 0..n {
        text.push_str(&format!(
            "  - account: pilot-{i:05}\n    region: us-east-1\n    vpc_id: vpc-{i:017x}\n    vpc_cidr: 10.0.0.0/16\n    subnet_ids: [subnet-{i:017x}]\n"
        ));
    }
    text
}

//! Converts `catalog/aws.yaml` to JSON when tarmac is built, and links the binary as a
//! position-dependent executable on Linux.
//!
//! The catalog stays YAML in the repository, where people review and edit it, but every synth
//! reads it, and JSON parses in a tenth of the time YAML takes (docs/performance.md). The YAML is parsed here with the same library the loader uses, so a broken catalog
//! fails the build, with the parser's position.
//!
//! A position-independent executable (the default) has the dynamic loader apply 15,000
//! relocations to the binary's tables at every start. Linked at a fixed address, the binary has
//! about a hundred, and every run starts sooner (docs/performance.md).
//! The cost is that the executable's own image is not placed at a random address (ASLR still
//! moves its libraries, stack and heap); tarmac is a short-lived tool reading local files, in safe
//! Rust but for the allocator.

use std::{env, fs, path::Path};

fn main() {
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    const CATALOG: &str = "catalog/aws.yaml";
    println!("cargo::rerun-if-changed={CATALOG}");
    let yaml = fs::read_to_string(CATALOG).unwrap_or_else(|e| panic!("cannot read {CATALOG}: {e}"));
    let value: serde_json::Value =
        serde_yaml_ng::from_str(&yaml).unwrap_or_else(|e| panic!("{CATALOG}: {e}"));
    let json = serde_json::to_string(&value).expect("a JSON value serializes");
    let out = Path::new(&env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog.json");
    fs::write(&out, json).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

//! One free-text field of a blueprint set to any text: the blueprint is refused with
//! diagnostics, or its rollout kit passes every check of the property test
//! (tests/it/kit_checks.rs, shared): each file parses with a real parser of its syntax and keeps
//! the structure of a benign kit, and the scripts, run with logging `aws`/`curl` stand-ins,
//! execute the same commands. The first byte picks the field. See README.md, "Fuzzing".
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tarmac::emit::OutFile;

#[path = "../../tests/it/kit_checks.rs"]
mod kit_checks;

use kit_checks::{check_kit, outcome, run_scripts, Outcome, Values};

/// The benign blueprint's kit and the commands its scripts run, computed once.
fn benign() -> &'static (Vec<OutFile>, Vec<String>) {
    static BENIGN: OnceLock<(Vec<OutFile>, Vec<String>)> = OnceLock::new();
    BENIGN.get_or_init(|| {
        let Ok(Outcome::Kit(kit)) = outcome(&Values::benign()) else {
            panic!("the benign blueprint compiles")
        };
        let log = run_scripts(&kit, &scratch("benign")).expect("the benign scripts run");
        (kit, log)
    })
}

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tarmac-fuzz-kit-{name}-{}", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&field, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (benign_kit, benign_log) = benign();
    let mut v = Values::benign();
    *v.field(usize::from(field)) = text.to_owned();
    match outcome(&v) {
        Err(e) => panic!("{e}"),
        Ok(Outcome::Refused(codes)) => assert!(!codes.is_empty(), "refused without a diagnostic"),
        Ok(Outcome::Kit(kit)) => {
            if let Err(e) = check_kit(&kit, benign_kit, benign_log, &scratch("run")) {
                panic!("{e}\n{v:#?}");
            }
        }
    }
});

//! Any text through the whole pipeline: load, check, plan, emit both targets, render the
//! diagnostics. Nothing may panic, whatever the input. Seeds: the shipped and the bad blueprints
//! (see README.md, "Fuzzing").
#![no_main]

use libfuzzer_sys::fuzz_target;
use tarmac::compile::{compile, Failure, Targets};
use tarmac::diagnostics::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("fuzz.yaml", text);
    match compile(&file, Targets::All) {
        Ok(compiled) => {
            let _ = file.render(&compiled.warnings, false);
        }
        Err(Failure::Blueprint(diagnostics)) => {
            let _ = file.render(&diagnostics, false);
        }
        Err(Failure::Internal(message) | Failure::Template(message)) => {
            panic!("internal error: {message}")
        }
    }
});

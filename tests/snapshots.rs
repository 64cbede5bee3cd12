//! Golden snapshots of every shipped blueprint × every target, file by file. A change here is a
//! change of tarmac's output contract: review it (`cargo insta review`) before accepting it.

mod common;

use tarmac::compile::{compile, Targets};

#[test]
fn every_blueprint_every_target() {
    let blueprints = common::blueprints();
    assert!(blueprints.len() >= 3, "at least three shipped blueprints");
    for path in blueprints {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let compiled = compile(&common::source(&path), Targets::All).unwrap_or_else(|_| panic!("{stem} compiles"));
        assert!(compiled.warnings.is_empty(), "{stem}: shipped blueprints have no warnings");
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            for f in &compiled.files {
                let name = format!("{stem}__{}", f.path.replace(['/', '.'], "_"));
                insta::assert_snapshot!(name, f.contents);
            }
        });
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    for path in common::blueprints() {
        let a = compile(&common::source(&path), Targets::All).expect("compiles");
        let b = compile(&common::source(&path), Targets::All).expect("compiles");
        assert_eq!(a.files, b.files, "{}", path.display());
    }
}

#[test]
fn targets_select_files() {
    let text = common::startup();
    let cfn = common::compile_text(&text, Targets::Cloudformation);
    assert!(cfn.files.iter().all(|f| f.path.starts_with("cloudformation/") || f.path == "manifest.json"));
    let tf = common::compile_text(&text, Targets::Terraform);
    assert!(tf.files.iter().all(|f| f.path.starts_with("terraform/") || f.path == "manifest.json"));
}

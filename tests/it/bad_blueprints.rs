//! Bad blueprints: each fixture under tests/fixtures/bad/ must fail with located diagnostics,
//! snapshotted exactly as a user sees them (without color).

use tarmac::compile::{compile, Failure, Targets};

#[test]
fn each_bad_blueprint_fails_with_located_diagnostics() {
    let dir = crate::common::root().join("tests/fixtures/bad");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 10);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path(crate::common::root().join("tests/snapshots/bad"));
    settings.bind(|| {
        for path in paths {
            let file = crate::common::source(&path);
            let diagnostics = match compile(&file, Targets::All) {
                Err(Failure::Blueprint(d)) => d,
                other => panic!("{} should fail, got {other:?}", path.display()),
            };
            let rendered = file.render(&diagnostics, false);
            // Every message names the file with a line and a column.
            assert!(rendered.contains(&format!("{}:", file.name)), "{rendered}");
            insta::assert_snapshot!(
                path.file_stem().unwrap().to_string_lossy().to_string(),
                rendered
            );
        }
    });
}

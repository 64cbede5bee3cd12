//! README.md's table of codes is generated from `codes::ALL`, so that a code, its wording or its
//! home cannot change in one place only. Regenerate it with
//! `TARMAC_UPDATE_README=1 cargo test --test it readme`.

const BEGIN: &str = "<!-- codes:begin (generated from src/codes.rs) -->\n";
const END: &str = "<!-- codes:end -->";

#[test]
fn readme_table_of_codes_is_current() {
    let path = crate::common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("README.md has the codes:begin marker")
        + BEGIN.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README.md has the codes:end marker");
    let current = tarmac::codes::markdown_table();
    if std::env::var_os("TARMAC_UPDATE_README").is_some() {
        let updated = format!("{}{current}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    assert!(
        readme[start..end] == current,
        "README.md's table of codes is stale: run \
         `TARMAC_UPDATE_README=1 cargo test --test it readme` and commit the result"
    );
}

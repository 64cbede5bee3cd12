//! Writing a client's output folder so that it is never half-written and never keeps stale files:
//! everything goes to a sibling temporary folder first, which then replaces the old folder.

use std::fs;
use std::io;
use std::path::Path;

use crate::emit::OutFile;

/// Replaces `dir` with exactly `files`.
pub fn replace_dir(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("client");
    let staging = parent.join(format!(".{name}.tarmac-new"));
    let previous = parent.join(format!(".{name}.tarmac-old"));
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    for f in files {
        let path = staging.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, &f.contents)?;
    }
    if dir.exists() {
        fs::rename(dir, &previous)?;
    }
    if let Err(e) = fs::rename(&staging, dir) {
        // Put the previous output back rather than leave nothing.
        if previous.exists() {
            let _ = fs::rename(&previous, dir);
        }
        return Err(e);
    }
    if previous.exists() {
        fs::remove_dir_all(&previous)?;
    }
    Ok(())
}

//! Writing a client's output folder so that it is never half-written and never keeps stale files:
//! everything goes to a sibling staging folder first, and only once every client of the call is
//! staged do the staging folders replace the old ones.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::OutFile;

fn write_all(root: &Path, files: &[OutFile]) -> io::Result<()> {
    for f in files {
        let path = root.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, &f.contents)?;
        if f.path.ends_with(".sh") {
            make_executable(&path)?;
        }
    }
    Ok(())
}

/// Shell scripts of the rollout kit are run as `rollout/validate.sh`, so they are written
/// executable (rwxr-xr-x) where the platform has such a thing.
#[cfg(unix)]
fn make_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> io::Result<()> {
    Ok(())
}

/// A client folder written beside its final place, waiting to replace it.
pub struct Staged {
    dir: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
}

/// Writes `files` into a staging folder beside `dir`. On failure nothing is left behind.
pub fn stage(dir: &Path, files: &[OutFile]) -> io::Result<Staged> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("client");
    let staged = Staged {
        dir: dir.to_owned(),
        staging: parent.join(format!(".{name}.tarmac-new")),
        previous: parent.join(format!(".{name}.tarmac-old")),
    };
    for leftover in [&staged.staging, &staged.previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    if let Err(e) = write_all(&staged.staging, files) {
        staged.discard();
        return Err(e);
    }
    Ok(staged)
}

impl Staged {
    /// Puts the staged folder in place of the old one (two renames), removing stale files.
    pub fn commit(self) -> io::Result<()> {
        if self.dir.exists() {
            fs::rename(&self.dir, &self.previous)?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.dir) {
            // Put the previous output back rather than leave nothing.
            if self.previous.exists() {
                let _ = fs::rename(&self.previous, &self.dir);
            }
            return Err(e);
        }
        if self.previous.exists() {
            fs::remove_dir_all(&self.previous)?;
        }
        Ok(())
    }

    /// Removes the staged folder; the old output stays as it was.
    pub fn discard(&self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Replaces `dir` with exactly `files`.
#[cfg(test)]
fn replace_dir(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    stage(dir, files)?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutFile {
        OutFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tarmac-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_write_failing_halfway_leaves_the_previous_output_untouched() {
        let root = scratch("fail");
        let dir = root.join("acme");
        replace_dir(
            &dir,
            &[
                file("manifest.json", "old"),
                file("cloudformation/a.json", "old"),
            ],
        )
        .unwrap();
        // The second file needs `manifest.json` to be a folder: the write fails halfway.
        let err = replace_dir(
            &dir,
            &[file("manifest.json", "new"), file("manifest.json/x", "new")],
        );
        assert!(err.is_err());
        assert_eq!(
            fs::read_to_string(dir.join("manifest.json")).unwrap(),
            "old"
        );
        assert_eq!(
            fs::read_to_string(dir.join("cloudformation/a.json")).unwrap(),
            "old"
        );
        let mut left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("acme")],
            "no staging folder is left behind"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn stale_files_are_removed() {
        let root = scratch("stale");
        let dir = root.join("acme");
        replace_dir(&dir, &[file("a.json", "1"), file("b.json", "1")]).unwrap();
        replace_dir(&dir, &[file("a.json", "2")]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "2");
        assert!(!dir.join("b.json").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}

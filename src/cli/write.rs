//! Writing a client's output folder so that it is never half-written and never keeps stale files:
//! files are written into a staging folder as soon as the emitters make them (so that the output
//! of thousands of accounts is never held in memory), and only once every client of the call is
//! staged do the staging folders replace the old ones.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::emit::{OutFile, Sink};

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

/// A staging folder inside the output folder, filled as files arrive. Its name does not depend on
/// the client (not known until the blueprint is loaded) but on the process and the blueprint's
/// place in the call, so concurrent runs into the same output folder never share one.
pub struct Staging {
    out: PathBuf,
    /// Whether `out` did not exist before: a failed run then removes it too.
    created_out: bool,
    dir: PathBuf,
    written: AtomicUsize,
    /// Folders already made: most files go to a folder an earlier file made, and asking the
    /// file system again costs a system call per file.
    made: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; later files are not written.
    error: Mutex<Option<io::Error>>,
}

impl Staging {
    /// A staging folder in `out` for the `index`-th blueprint of the call, created with its
    /// first file: a blueprint that fails before any file is made leaves no trace.
    pub fn new(out: &Path, index: usize) -> io::Result<Staging> {
        let dir = out.join(format!(".tarmac-new-{}-{index}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        Ok(Staging {
            out: out.to_owned(),
            created_out: !out.exists(),
            dir,
            written: AtomicUsize::new(0),
            made: Mutex::default(),
            error: Mutex::new(None),
        })
    }

    fn write(&self, relative: &str, contents: &str) -> io::Result<()> {
        let path = self.dir.join(relative);
        if let Some(p) = path.parent() {
            let made = || self.made.lock().unwrap_or_else(PoisonError::into_inner);
            if !made().contains(p) {
                fs::create_dir_all(p)?;
                made().insert(p.to_owned());
            }
        }
        fs::write(&path, contents)?;
        if relative.ends_with(".sh") {
            make_executable(&path)?;
        }
        Ok(())
    }

    /// How many files were written.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// The staged output of `client`, ready to replace `<out>/<client>`; or the first write
    /// error, the staging folder removed.
    pub fn finish(self, client: &str) -> io::Result<Staged> {
        let error = self
            .error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(e) = error {
            self.discard();
            return Err(e);
        }
        let previous = self.out.join(format!(".{client}.tarmac-old"));
        let ready = fs::create_dir_all(&self.dir).and_then(|()| {
            if previous.exists() {
                fs::remove_dir_all(&previous)?;
            }
            Ok(())
        });
        if let Err(e) = ready {
            self.discard();
            return Err(e);
        }
        Ok(Staged {
            dir: self.out.join(client),
            staging: self.dir.clone(),
            previous,
        })
    }

    /// Removes the staging folder (and the output folder, if this run created it and it is
    /// empty); the old output stays as it was.
    pub fn discard(&self) {
        let _ = fs::remove_dir_all(&self.dir);
        if self.created_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

impl Sink for Staging {
    fn put(&self, file: OutFile) {
        self.put_text(file.path, &file.contents);
    }

    fn put_text(&self, path: String, contents: &str) {
        let error = || self.error.lock().unwrap_or_else(PoisonError::into_inner);
        if error().is_some() {
            return;
        }
        // Files arrive from several threads and are written in parallel: the lock guards only
        // the record of a failure.
        match self.write(&path, contents) {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                error().get_or_insert(e);
            }
        }
    }
}

/// A client folder written beside its final place, waiting to replace it.
pub struct Staged {
    dir: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
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
            remove_tree(&self.previous)?;
        }
        Ok(())
    }

    /// Removes the staged folder; the old output stays as it was.
    pub fn discard(&self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Removes a previous output folder, its top-level entries (`cloudformation/`, `terraform/`,
/// `rollout/`, ...) in parallel: the kernel serializes removals within one folder but not across
/// folders, and the 30,000 files of 10,000 accounts take 0.4 s to remove one by one.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    crate::parallel::map(&entries, |entry| {
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })
    .into_iter()
    .collect::<io::Result<()>>()?;
    fs::remove_dir(dir)
}

/// Replaces `dir` with exactly `files`.
#[cfg(test)]
fn replace_dir(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    let client = dir.file_name().and_then(|n| n.to_str()).unwrap_or("client");
    let staging = Staging::new(dir.parent().unwrap_or(Path::new(".")), 0)?;
    for f in files {
        staging.put(f.clone());
    }
    staging.finish(client)?.commit()
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
        replace_dir(
            &dir,
            &[
                file("a.json", "1"),
                file("b.json", "1"),
                file("c/d/e.json", "1"),
            ],
        )
        .unwrap();
        replace_dir(&dir, &[file("a.json", "2")]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "2");
        assert!(!dir.join("b.json").exists());
        assert!(!dir.join("c").exists());
        assert!(!root.join(".acme.tarmac-old").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}

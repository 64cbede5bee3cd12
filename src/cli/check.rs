//! `synth --check`: the drift gate a client's CI runs on every pull request. It synthesizes and
//! compares each file with what is committed as it is made, writing nothing; and the reading of
//! a client folder for `tarmac diff`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};

use similar::TextDiff;

use super::write::{at, managed, owned, read_inside, FolderError, READ_CAP, STATE_DIR};
use crate::compile::Targets;
use crate::emit::{OutFile, Sink};

/// How one client's committed output differs from what its blueprint synthesizes.
#[derive(Debug, Default)]
pub struct Drift {
    /// Files the blueprint produces that are not on disk.
    pub missing: Vec<String>,
    /// Files tarmac wrote (the manifest on disk lists them) that it no longer produces.
    pub stale: Vec<String>,
    /// Files whose contents differ, with a short unified diff.
    pub changed: Vec<(String, String)>,
    /// A synth was cut short while committing: the folder is a mix of two generations.
    pub interrupted: bool,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.stale.is_empty()
            && self.changed.is_empty()
            && !self.interrupted
    }
}

/// Most diff lines shown per file: enough to see what changed, short enough for a CI log.
const DIFF_LINES: usize = 40;

/// The drift sink of `synth --check`: each file, as the emitters make it, is compared with the
/// client folder and dropped, so that only the differences are kept (at 10,000 accounts the
/// output is 70 MB, which need not be in memory at once). Only the files tarmac produces and
/// those it owns are read (never through a link, at most [`READ_CAP`] bytes each); anything
/// else in the folder, such as Terraform state, is the user's and not looked at.
pub struct Checker {
    out: std::path::PathBuf,
    targets: Targets,
    dir: OnceLock<std::path::PathBuf>,
    drift: Mutex<Drift>,
    produced: Mutex<BTreeSet<String>>,
    error: Mutex<Option<FolderError>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Checker {
    pub fn new(out: &Path, targets: Targets) -> Checker {
        Checker {
            out: out.to_owned(),
            targets,
            dir: OnceLock::new(),
            drift: Mutex::default(),
            produced: Mutex::default(),
            error: Mutex::new(None),
        }
    }

    /// The client folder, its drift and how many files the blueprint produces; or the first
    /// error reading it.
    pub fn finish(self) -> Result<(std::path::PathBuf, Drift, usize), FolderError> {
        if let Some(e) = self
            .error
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(e);
        }
        let dir = self
            .dir
            .into_inner()
            .ok_or_else(|| FolderError::Bug("the blueprint produced no files".to_owned()))?;
        let mut drift = self
            .drift
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let (owned, interrupted) = owned(&dir)?;
        drift.interrupted = interrupted;
        for path in owned {
            if produced.contains(&path) || !managed(&path, self.targets) {
                continue;
            }
            if read_inside(&dir, &path, READ_CAP)?.is_some() {
                drift.stale.push(path);
            }
        }
        drift.missing.sort();
        drift.changed.sort();
        Ok((dir, drift, produced.len()))
    }

    fn compare(&self, dir: &Path, path: &str, contents: &str) -> Result<(), FolderError> {
        lock(&self.produced).insert(path.to_owned());
        let Some(old) = read_inside(dir, path, READ_CAP)? else {
            lock(&self.drift).missing.push(path.to_owned());
            return Ok(());
        };
        if old == contents.as_bytes() {
            return Ok(());
        }
        // A committed template that is not JSON at all was damaged, not edited: say so rather
        // than show a diff of it.
        if path.ends_with(".json") && serde_json::from_slice::<serde::de::IgnoredAny>(&old).is_err()
        {
            return Err(FolderError::Corrupt {
                file: dir.join(path).display().to_string(),
                what: "valid JSON",
            });
        }
        let diff = unified(path, &String::from_utf8_lossy(&old), contents);
        lock(&self.drift).changed.push((path.to_owned(), diff));
        Ok(())
    }
}

impl Sink for Checker {
    fn begin(&self, client: &str) {
        let _ = self.dir.set(self.out.join(client));
    }

    fn put(&self, file: OutFile) {
        self.put_text(file.path, &file.contents);
    }

    fn put_text(&self, path: String, contents: &str) {
        if lock(&self.error).is_some() {
            return;
        }
        let Some(dir) = self.dir.get() else {
            return;
        };
        if let Err(e) = self.compare(dir, &path, contents) {
            lock(&self.error).get_or_insert(e);
        }
    }
}

/// A short unified diff of one file, committed against synthesized.
fn unified(path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("committed/{path}"), &format!("synthesized/{path}"))
        .to_string();
    let mut lines: Vec<&str> = text.lines().take(DIFF_LINES + 1).collect();
    if lines.len() > DIFF_LINES {
        lines.truncate(DIFF_LINES);
        lines.push("... (diff cut short)");
    }
    lines.join("\n")
}

/// Compares `files` with the client folder `dir` (what [`Checker`] does as files arrive).
#[cfg(test)]
pub fn drift(dir: &Path, files: &[OutFile], targets: Targets) -> Result<Drift, FolderError> {
    let out = dir.parent().unwrap_or(Path::new("."));
    let client = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let checker = Checker::new(out, targets);
    checker.begin(client);
    for f in files {
        checker.put(f.clone());
    }
    checker.finish().map(|(_, d, _)| d)
}

/// The files of a synthesized client folder, for `tarmac diff`, as (path relative to `dir` with
/// `/` separators, contents): those its manifest lists, or, in a folder without a manifest,
/// every regular file outside tarmac's bookkeeping and Terraform's working files. Links are
/// never followed and reads are bounded.
pub fn read_tree(dir: &Path) -> Result<Vec<(String, String)>, FolderError> {
    if !fs::symlink_metadata(dir).map_err(|e| at(dir, e))?.is_dir() {
        return Err(FolderError::NotAFolder {
            dir: dir.to_owned(),
        });
    }
    let (owned, _) = owned(dir)?;
    let paths: Vec<String> = if owned.is_empty() {
        let mut found = Vec::new();
        walk(dir, "", &mut found)?;
        found
    } else {
        owned.into_iter().collect()
    };
    let mut files = BTreeMap::new();
    for path in paths {
        let Some(bytes) = read_inside(dir, &path, READ_CAP)? else {
            continue;
        };
        // A file that is not UTF-8 text cannot be one tarmac wrote.
        let text = String::from_utf8(bytes).map_err(|_| FolderError::Corrupt {
            file: format!("{}/{path}", dir.display()),
            what: "UTF-8 text",
        })?;
        files.insert(path, text);
    }
    Ok(files.into_iter().collect())
}

/// Regular files under `dir`, without following links; tarmac's bookkeeping and Terraform's
/// working files (state, `.terraform/`, lock files) are not output.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), FolderError> {
    for entry in fs::read_dir(dir).map_err(|e| at(dir, e))? {
        let entry = entry.map_err(|e| at(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == STATE_DIR
            || name == ".terraform"
            || name == ".terraform.lock.hcl"
            || name.contains(".tfstate")
        {
            continue;
        }
        let kind = entry.file_type().map_err(|e| at(&entry.path(), e))?;
        let rel = format!("{prefix}{name}");
        if kind.is_dir() {
            walk(&entry.path(), &format!("{rel}/"), out)?;
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_missing_stale_and_changed_files_of_its_own_only() {
        let dir = std::env::temp_dir().join(format!("tarmac-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("terraform/m")).unwrap();
        let old = "{\n  \"a\": 1,\n  \"files\": [\"terraform/m/old.tf.json\"]\n}\n";
        fs::write(dir.join("manifest.json"), old).unwrap();
        fs::write(dir.join("terraform/m/old.tf.json"), "{}\n").unwrap();
        // The user's: never stale, never read.
        fs::write(dir.join("terraform/m/terraform.tfstate"), "{}\n").unwrap();
        fs::write(dir.join("terraform/m/backend.tf.json"), "{}\n").unwrap();
        let files = vec![
            OutFile {
                path: "manifest.json".into(),
                contents: "{\n  \"a\": 2,\n  \"files\": [\"terraform/m/old.tf.json\"]\n}\n".into(),
            },
            OutFile {
                path: "cloudformation/x.template.json".into(),
                contents: "{}\n".into(),
            },
        ];
        let d = drift(&dir, &files, Targets::All).unwrap();
        assert_eq!(d.missing, vec!["cloudformation/x.template.json"]);
        assert_eq!(d.stale, vec!["terraform/m/old.tf.json"]);
        assert_eq!(d.changed.len(), 1);
        assert!(
            d.changed[0].1.contains("-  \"a\": 1") && d.changed[0].1.contains("+  \"a\": 2"),
            "{}",
            d.changed[0].1
        );
        fs::remove_dir_all(&dir).unwrap();
        assert!(drift(&dir, &[], Targets::All).unwrap().is_empty());
    }
}

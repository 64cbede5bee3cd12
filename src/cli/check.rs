//! `synth --check`: the drift gate a client's CI runs on every pull request. It synthesizes in
//! memory and compares with what is committed, file by file, writing nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use similar::TextDiff;

use super::write::{at, managed, owned, read_inside, READ_CAP, STATE_DIR};
use crate::compile::Targets;
use crate::emit::OutFile;

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

/// Compares `files` with the client folder `dir`. Only the files tarmac produces and those it
/// owns are read (never through a link, at most [`READ_CAP`] bytes each); anything else in the
/// folder, such as Terraform state, is the user's and not looked at.
pub fn drift(dir: &Path, files: &[OutFile], targets: Targets) -> io::Result<Drift> {
    let (owned, interrupted) = owned(dir)?;
    let mut d = Drift {
        interrupted,
        ..Drift::default()
    };
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files {
        let Some(old) = read_inside(dir, &f.path, READ_CAP)? else {
            d.missing.push(f.path.clone());
            continue;
        };
        if old == f.contents.as_bytes() {
            continue;
        }
        // A committed template that is not JSON at all was damaged, not edited: say so rather
        // than show a diff of it.
        if f.path.ends_with(".json")
            && serde_json::from_slice::<serde::de::IgnoredAny>(&old).is_err()
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is not valid JSON", dir.join(&f.path).display()),
            ));
        }
        let old = String::from_utf8_lossy(&old);
        let diff = TextDiff::from_lines(old.as_ref(), f.contents.as_str());
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("committed/{}", f.path),
                &format!("synthesized/{}", f.path),
            )
            .to_string();
        let mut lines: Vec<&str> = text.lines().take(DIFF_LINES + 1).collect();
        if lines.len() > DIFF_LINES {
            lines.truncate(DIFF_LINES);
            lines.push("... (diff cut short)");
        }
        d.changed.push((f.path.clone(), lines.join("\n")));
    }
    for path in owned {
        if produced.contains(path.as_str()) || !managed(&path, targets) {
            continue;
        }
        if read_inside(dir, &path, READ_CAP)?.is_some() {
            d.stale.push(path);
        }
    }
    Ok(d)
}

/// The files of a synthesized client folder, for `tarmac diff`, as (path relative to `dir` with
/// `/` separators, contents): those its manifest lists, or, in a folder without a manifest,
/// every regular file outside tarmac's bookkeeping and Terraform's working files. Links are
/// never followed and reads are bounded.
pub fn read_tree(dir: &Path) -> io::Result<Vec<(String, String)>> {
    if !fs::symlink_metadata(dir).map_err(|e| at(dir, e))?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a folder (links are not followed)", dir.display()),
        ));
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
        let text = String::from_utf8(bytes).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}/{path} is not UTF-8 text", dir.display()),
            )
        })?;
        files.insert(path, text);
    }
    Ok(files.into_iter().collect())
}

/// Regular files under `dir`, without following links; tarmac's bookkeeping and Terraform's
/// working files (state, `.terraform/`, lock files) are not output.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
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

//! `synth --check`: the drift gate a client's CI runs on every pull request. It synthesizes in
//! memory and compares with what is committed, file by file, writing nothing.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use similar::TextDiff;

use crate::emit::OutFile;

/// How one client's committed output differs from what its blueprint synthesizes.
#[derive(Debug, Default)]
pub struct Drift {
    /// Files the blueprint produces that are not on disk.
    pub missing: Vec<String>,
    /// Files on disk the blueprint no longer produces.
    pub stale: Vec<String>,
    /// Files whose contents differ, with a short unified diff.
    pub changed: Vec<(String, String)>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.changed.is_empty()
    }
}

/// Most diff lines shown per file: enough to see what changed, short enough for a CI log.
const DIFF_LINES: usize = 40;

/// Compares `files` with the folder `dir`.
pub fn drift(dir: &Path, files: &[OutFile]) -> io::Result<Drift> {
    let mut on_disk = BTreeMap::new();
    if dir.exists() {
        collect(dir, dir, &mut on_disk)?;
    }
    let mut d = Drift::default();
    for f in files {
        match on_disk.remove(&f.path) {
            None => d.missing.push(f.path.clone()),
            Some(old) if old != f.contents => {
                let diff = TextDiff::from_lines(old.as_str(), f.contents.as_str());
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
            Some(_) => {}
        }
    }
    d.stale = on_disk.into_keys().collect();
    Ok(d)
}

/// Every file under `dir` as (path relative to `dir` with `/` separators, contents).
pub fn read_tree(dir: &Path) -> io::Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        return Err(io::Error::new(io::ErrorKind::NotFound, "not a folder"));
    }
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files)?;
    Ok(files.into_iter().collect())
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            // A file that is not UTF-8 text cannot be one tarmac wrote: it counts as changed.
            out.insert(rel, fs::read_to_string(&path).unwrap_or_default());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_missing_stale_and_changed_files() {
        let dir = std::env::temp_dir().join(format!("tarmac-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("terraform/m")).unwrap();
        fs::write(dir.join("manifest.json"), "{\n  \"a\": 1\n}\n").unwrap();
        fs::write(dir.join("terraform/m/old.tf.json"), "{}\n").unwrap();
        let files = vec![
            OutFile {
                path: "manifest.json".into(),
                contents: "{\n  \"a\": 2\n}\n".into(),
            },
            OutFile {
                path: "cloudformation/x.template.json".into(),
                contents: "{}\n".into(),
            },
        ];
        let d = drift(&dir, &files).unwrap();
        assert_eq!(d.missing, vec!["cloudformation/x.template.json"]);
        assert_eq!(d.stale, vec!["terraform/m/old.tf.json"]);
        assert_eq!(d.changed.len(), 1);
        assert!(
            d.changed[0].1.contains("-  \"a\": 1") && d.changed[0].1.contains("+  \"a\": 2"),
            "{}",
            d.changed[0].1
        );
        fs::remove_dir_all(&dir).unwrap();
        assert!(drift(&dir, &[]).unwrap().is_empty());
    }
}

//! `tarmac.toml`, the project file: the settings a repository would otherwise repeat on every
//! call — where the output goes, which targets, the kit's templates, whether warnings fail — so
//! that `synth`, `synth --check` and `validate` agree without the same flags in every script
//! (a `--check` without the `--templates` its `synth` had reports false drift). Flags given on
//! the command line win; paths are relative to the file's folder.
//!
//! ```toml
//! out = "out"
//! targets = "all"            # cloudformation | terraform | all
//! templates = "kit-templates"
//! deny-warnings = true
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Error;
use crate::compile::Targets;

/// The file tarmac reads from the current folder when `--config` does not name another.
pub const FILE: &str = "tarmac.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Project {
    pub out: Option<PathBuf>,
    pub targets: Option<Targets>,
    pub templates: Option<PathBuf>,
    pub deny_warnings: Option<bool>,
}

impl Project {
    /// The project file at `path`, or `tarmac.toml` in the current folder if there is one;
    /// the default (nothing set) when neither is given. An error names the file, line and
    /// column and what is valid.
    pub fn load(path: Option<&Path>) -> Result<Project, Error> {
        let (path, required) = match path {
            Some(p) => (p.to_owned(), true),
            None => (PathBuf::from(FILE), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Project::default())
            }
            Err(source) => return Err(Error::Read { path, source }),
        };
        let mut project: Project = match toml::from_str(&text) {
            Ok(p) => p,
            Err(source) => {
                let line_column = source.span().map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    (line, column)
                });
                return Err(Error::Project {
                    path,
                    line_column,
                    source: Box::new(source),
                });
            }
        };
        // Paths in the file are relative to it, not to wherever tarmac runs.
        let base = path.parent().unwrap_or(Path::new(""));
        for p in [&mut project.out, &mut project.templates]
            .into_iter()
            .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `text` from a folder of its own: the tests run in parallel.
    fn load(text: &str) -> Result<Project, String> {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("tarmac-project-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tarmac.toml");
        std::fs::write(&path, text).unwrap();
        let loaded = Project::load(Some(&path)).map_err(|e| e.to_string());
        std::fs::remove_dir_all(&dir).unwrap();
        loaded
    }

    #[test]
    fn settings_are_read_and_paths_are_relative_to_the_file() {
        let p = load("out = \"gen\"\ntargets = \"terraform\"\ndeny-warnings = true\n").unwrap();
        assert_eq!(p.targets, Some(Targets::Terraform));
        assert_eq!(p.deny_warnings, Some(true));
        let out = p.out.unwrap();
        let folder = out
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_string_lossy();
        assert!(out.ends_with("gen"), "{}", out.display());
        assert!(
            folder.starts_with(&format!("tarmac-project-{}-", std::process::id())),
            "{}",
            out.display()
        );
    }

    #[test]
    fn a_misspelt_key_or_value_names_its_line_and_the_valid_ones() {
        let e = load("out = \"gen\"\ntarget = \"terraform\"\n").unwrap_err();
        assert!(e.contains("tarmac.toml:2:1"), "{e}");
        assert!(
            e.contains("`targets` (cloudformation, terraform or all)"),
            "{e}"
        );
        let e = load("targets = \"pulumi\"\n").unwrap_err();
        assert!(e.contains(":1:11"), "{e}");
    }

    #[test]
    fn no_file_is_no_settings() {
        assert!(Project::load(None).is_ok());
    }
}

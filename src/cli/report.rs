//! Reporting diagnostics: rendered for people on stderr, or one JSON document on stdout for CI
//! (`--format json`), and the decision whether they fail the run (`--deny-warnings`).

use crate::diagnostics::{has_errors, has_warnings, Diagnostic, Severity, SourceFile};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line underlined.
    Human,
    /// One JSON document on stdout: `{"diagnostics": [...], "errors": N, "warnings": N}`.
    Json,
}

pub struct Reporter {
    format: Format,
    color: bool,
    deny_warnings: bool,
    json: Vec<serde_json::Value>,
}

impl Reporter {
    pub fn new(format: Format, color: bool, deny_warnings: bool) -> Self {
        Reporter {
            format,
            color,
            deny_warnings,
            json: Vec::new(),
        }
    }

    /// Reports one blueprint's diagnostics and says whether they fail the run.
    pub fn report(&mut self, file: &SourceFile, diagnostics: &[Diagnostic]) -> bool {
        match self.format {
            Format::Human if !diagnostics.is_empty() => {
                eprint!("{}", file.render(diagnostics, self.color));
            }
            Format::Human => {}
            Format::Json => self.json.extend(file.to_json(diagnostics)),
        }
        has_errors(diagnostics) || (self.deny_warnings && has_warnings(diagnostics))
    }

    /// Whether progress lines ("ok", "wrote N files") go to stderr: not when the output is JSON,
    /// whose consumers read stdout only, but which they may capture together with stderr.
    pub fn chatty(&self) -> bool {
        self.format == Format::Human
    }

    /// Prints the JSON document, when that is the format.
    pub fn finish(self) {
        if self.format != Format::Json {
            return;
        }
        let count = |s: Severity| {
            self.json
                .iter()
                .filter(|d| d["severity"] == s.as_str())
                .count()
        };
        let document = serde_json::json!({
            "diagnostics": self.json,
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
        });
        // A failure is reported on stderr; the exit code stays the diagnostics' verdict.
        super::to_stdout(&crate::emit::to_pretty_json(&document));
    }
}

//! Reporting what a run found: rendered for people on stderr, or for machines on stdout — one
//! JSON document (`--format json`), a SARIF 2.1.0 log for code scanning (`--format sarif`), or
//! GitHub Actions workflow commands that annotate the pull request (`--format github`) — and the
//! decision whether it fails the run (`--deny-warnings`). Besides blueprint diagnostics it carries
//! the errors that are not about one field (a file that cannot be read, two blueprints of one
//! client) and, for `synth --check`, the drift of each client folder, so that no machine format
//! leaves a reason on stderr only.

use serde_json::{json, Value};

use crate::diagnostics::{has_errors, has_warnings, Diagnostic, Severity, SourceFile};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line underlined, on stderr.
    Human,
    /// One JSON document on stdout: `{"diagnostics": [...], "problems": [...], "drift": [...],
    /// "summary": [...], "errors": N, "warnings": N}` (`summary`, one entry per client, from a
    /// `synth` that compiled every blueprint).
    Json,
    /// A SARIF 2.1.0 log on stdout, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`) on stdout.
    Github,
}

/// A client folder that `synth --check` found not current.
pub struct Drifted<'a> {
    pub blueprint: &'a str,
    pub folder: &'a str,
    pub missing: &'a [String],
    pub stale: &'a [String],
    pub changed: Vec<&'a str>,
    pub interrupted: bool,
}

pub struct Reporter {
    format: Format,
    color: bool,
    deny_warnings: bool,
    diagnostics: Vec<Value>,
    problems: Vec<String>,
    drift: Vec<Value>,
    /// One entry per client of a `synth` that compiled every blueprint; `None` for commands
    /// without one (the JSON document then has no `summary`).
    summary: Option<Vec<Value>>,
}

/// One client of a `synth`, for its summary line.
pub struct ClientSummary<'a> {
    pub blueprint: &'a str,
    pub client: &'a str,
    pub size: crate::compile::Summary,
    pub warnings: usize,
}

/// `1 account`, `2 accounts`.
fn count_of(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

impl Reporter {
    pub fn new(format: Format, color: bool, deny_warnings: bool) -> Self {
        Reporter {
            format,
            color,
            deny_warnings,
            diagnostics: Vec::new(),
            problems: Vec::new(),
            drift: Vec::new(),
            summary: None,
        }
    }

    /// Says what a `synth` made, one line per client (accounts, CloudFormation stacks and
    /// StackSets, Terraform root modules, warnings): on stderr when it compiled more than one
    /// blueprint, and always as `summary` in the JSON document.
    pub fn summarize(&mut self, clients: &[ClientSummary]) {
        if self.format == Format::Human && clients.len() > 1 {
            let width = clients.iter().map(|c| c.client.len()).max().unwrap_or(0);
            say!("summary of {} clients:", clients.len());
            for c in clients {
                say!(
                    "  {:width$}  {}, {}, {}, {}  ({})",
                    c.client,
                    count_of(c.size.accounts, "account"),
                    count_of(c.size.stacks, "stack"),
                    count_of(c.size.modules, "module"),
                    count_of(c.warnings, "warning"),
                    c.blueprint,
                );
            }
        }
        self.summary = Some(
            clients
                .iter()
                .map(|c| {
                    json!({
                        "blueprint": c.blueprint,
                        "client": c.client,
                        "accounts": c.size.accounts,
                        "stacks": c.size.stacks,
                        "modules": c.size.modules,
                        "warnings": c.warnings,
                    })
                })
                .collect(),
        );
    }

    /// Reports one blueprint's diagnostics and says whether they fail the run.
    pub fn report(&mut self, file: &SourceFile, diagnostics: &[Diagnostic]) -> bool {
        match self.format {
            Format::Human if !diagnostics.is_empty() => {
                use std::io::Write as _;
                let text = file.render(diagnostics, self.color);
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
            Format::Human => {}
            _ => self.diagnostics.extend(file.to_json(diagnostics)),
        }
        has_errors(diagnostics) || (self.deny_warnings && has_warnings(diagnostics))
    }

    /// Reports an error that is not about one blueprint field.
    pub fn problem(&mut self, message: String) {
        if self.format == Format::Human {
            say!("error: {message}");
        } else {
            self.problems.push(message);
        }
    }

    /// Records a client folder that is not current (`synth --check`); people read the list the
    /// caller prints.
    pub fn drift(&mut self, d: Drifted) {
        self.drift.push(json!({
            "blueprint": d.blueprint,
            "folder": d.folder,
            "interrupted": d.interrupted,
            "missing": d.missing,
            "stale": d.stale,
            "changed": d.changed,
        }));
    }

    /// Whether progress lines ("ok", "wrote N files") go to stderr: not when the output is for
    /// machines, whose consumers read stdout only, but which they may capture with stderr.
    pub fn chatty(&self) -> bool {
        self.format == Format::Human
    }

    /// Prints the machine document, if the format has one; an error when stdout cannot take it
    /// (the run then exits 2: a CI step must not read an empty or cut document as a pass).
    pub fn finish(self) -> Result<(), super::Error> {
        let text = match self.format {
            Format::Human => return Ok(()),
            Format::Json => crate::emit::to_pretty_json(&self.json()),
            Format::Sarif => crate::emit::to_pretty_json(&self.sarif()),
            Format::Github => self.github(),
        };
        super::to_stdout(&text)
    }

    fn count(&self, severity: Severity) -> usize {
        let of_diagnostics = self
            .diagnostics
            .iter()
            .filter(|d| d["severity"] == severity.as_str())
            .count();
        match severity {
            Severity::Error => of_diagnostics + self.problems.len() + self.drift.len(),
            Severity::Warning => of_diagnostics,
        }
    }

    fn json(&self) -> Value {
        let mut doc = json!({
            "diagnostics": self.diagnostics,
            "problems": self.problems.iter().map(|m| json!({
                "severity": "error",
                "message": m,
            })).collect::<Vec<_>>(),
            "drift": self.drift,
        });
        if let Some(summary) = &self.summary {
            doc["summary"] = Value::from(summary.clone());
        }
        doc["errors"] = Value::from(self.count(Severity::Error));
        doc["warnings"] = Value::from(self.count(Severity::Warning));
        doc
    }

    /// The SARIF log: one run of tarmac, a rule per code that occurs (with its rationale), a
    /// result per diagnostic located in its blueprint, per problem, and per drifted file.
    fn sarif(&self) -> Value {
        let mut ids: Vec<&str> = self
            .diagnostics
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut rules: Vec<Value> = ids
            .iter()
            .filter_map(|id| crate::codes::find(id))
            .map(|c| {
                json!({
                    "id": c.id,
                    "name": c.name,
                    "shortDescription": { "text": c.name },
                    "fullDescription": { "text": c.why },
                    "help": { "text": format!("tarmac explain {}", c.id) },
                })
            })
            .collect();
        let rule_index = |id: &str| ids.iter().position(|r| *r == id);
        let mut results: Vec<Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let code = d["code"].as_str().unwrap_or_default();
                let mut text = d["message"].as_str().unwrap_or_default().to_owned();
                if let Some(help) = d["help"].as_str() {
                    text = format!("{text}\nhelp: {help}");
                }
                json!({
                    "ruleId": code,
                    "ruleIndex": rule_index(code),
                    "level": d["severity"],
                    "message": { "text": text },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": d["file"] },
                            "region": {
                                "startLine": d["line"],
                                "startColumn": d["column"],
                                "endLine": d["end_line"],
                                "endColumn": d["end_column"],
                            },
                        },
                    }],
                })
            })
            .collect();
        let tool_rule = |id: &str, text: &str| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": text },
            })
        };
        if !self.problems.is_empty() {
            rules.push(tool_rule(
                "tarmac-error",
                "an error that is not about one blueprint field",
            ));
            let index = rules.len() - 1;
            results.extend(self.problems.iter().map(|m| {
                json!({
                    "ruleId": "tarmac-error",
                    "ruleIndex": index,
                    "level": "error",
                    "message": { "text": m },
                })
            }));
        }
        if !self.drift.is_empty() {
            rules.push(tool_rule(
                "stale-output",
                "committed output differs from what the blueprint synthesizes",
            ));
            let index = rules.len() - 1;
            for (folder, path, what) in self.drifted_files() {
                results.push(json!({
                    "ruleId": "stale-output",
                    "ruleIndex": index,
                    "level": "error",
                    "message": { "text": format!("{what}: run `tarmac synth` and commit the \
                        result") },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": format!("{folder}/{path}") }
                        }
                    }],
                }));
            }
        }
        json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "tarmac",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    },
                },
                "results": results,
            }],
        })
    }

    /// Every drifted file as (folder, path, what happened to it).
    fn drifted_files(&self) -> Vec<(String, String, &'static str)> {
        let mut out = Vec::new();
        for d in &self.drift {
            let folder = d["folder"].as_str().unwrap_or_default().to_owned();
            for (key, what) in [
                ("missing", "missing"),
                ("stale", "no longer synthesized"),
                ("changed", "changed"),
            ] {
                for p in d[key].as_array().into_iter().flatten() {
                    out.push((
                        folder.clone(),
                        p.as_str().unwrap_or_default().to_owned(),
                        what,
                    ));
                }
            }
            if d["interrupted"] == true {
                out.push((
                    folder,
                    String::from(".tarmac/journal"),
                    "a synth was cut short",
                ));
            }
        }
        out
    }

    /// Workflow commands, one a line: GitHub shows each as an annotation on the blueprint line.
    fn github(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let level = if d["severity"] == "error" {
                "error"
            } else {
                "warning"
            };
            let mut message = d["message"].as_str().unwrap_or_default().to_owned();
            if let Some(help) = d["help"].as_str() {
                message = format!("{message}\nhelp: {help}");
            }
            out.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                property(d["file"].as_str().unwrap_or_default()),
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                property(&format!(
                    "{} ({})",
                    d["code"].as_str().unwrap_or_default(),
                    d["name"].as_str().unwrap_or_default()
                )),
                data(&message),
            ));
        }
        for m in &self.problems {
            out.push_str(&format!("::error title=tarmac::{}\n", data(m)));
        }
        for (folder, path, what) in self.drifted_files() {
            out.push_str(&format!(
                "::error file={},title=stale output::{}\n",
                property(&format!("{folder}/{path}")),
                data(&format!("{what}: run `tarmac synth` and commit the result")),
            ));
        }
        out
    }
}

/// A workflow command's message, escaped as the runner's toolkit does (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`, which end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_cannot_be_broken_by_a_message() {
        assert_eq!(data("50% of\nit\r"), "50%25 of%0Ait%0D");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}

//! Diagnostics: what tarmac says when a blueprint is wrong.
//!
//! Every diagnostic has a stable code (`TM0xx`), a severity, a one-line message, a location in the
//! blueprint and usually a `help:` that says the fix. Stages never stop at the first problem: they
//! collect diagnostics and the CLI reports them all at once. Locations are JSON pointers until
//! rendering, when the blueprint's [`SpanIndex`] turns them into line and column; this keeps the
//! checks free of any notion of text.

use std::fmt;
use std::sync::OnceLock;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::blueprint::spans::{ByteSpan, SpanIndex};

/// A diagnostic code with its name and rationale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
    /// The longer rationale `tarmac explain` prints.
    pub explain: &'static str,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// `error` or `warning`, as JSON output spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where in the blueprint a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The key of the node at a JSON pointer (for "this field is wrong").
    Key(String),
    /// The value of the node at a JSON pointer (for "this value is wrong").
    Value(String),
    /// A byte range, when the parser gave one directly.
    Span(ByteSpan),
}

/// One finding about a blueprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Text of the label under the underlined source.
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about the value at `pointer`.
    pub fn error(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            location: Location::Value(pointer.into()),
            label: String::from("here"),
            help: None,
        }
    }

    /// A warning about the value at `pointer`.
    pub fn warning(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, pointer, message)
        }
    }

    /// Points the diagnostic at the key rather than the value.
    pub fn at_key(mut self) -> Self {
        if let Location::Value(p) = self.location {
            self.location = Location::Key(p);
        }
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The JSON pointer the diagnostic is about, if it has one.
    pub fn pointer(&self) -> Option<&str> {
        match &self.location {
            Location::Key(p) | Location::Value(p) => Some(p),
            Location::Span(_) => None,
        }
    }
}

/// A blueprint's text, its name for messages, and the span index of its nodes.
pub struct SourceFile {
    pub name: String,
    source: NamedSource<String>,
    /// Built on first use, or by the loader beside its own parse ([`SourceFile::index_spans`]).
    spans: OnceLock<SpanIndex>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name = name.into();
        SourceFile {
            source: NamedSource::new(name.clone(), text.into()),
            name,
            spans: OnceLock::new(),
        }
    }

    /// The span index of the text.
    pub fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| SpanIndex::build(self.text()))
    }

    /// Runs `parse` while the span index is built on another thread, when the text is long
    /// enough to repay a thread: the index walks the text with its own YAML parser, and for an
    /// organization of thousands of accounts takes as long as the loader's parse and schema
    /// check together.
    pub fn index_spans<R>(&self, parse: impl FnOnce() -> R) -> R {
        const WORTH_A_THREAD: usize = 64 << 10;
        if self.spans.get().is_some() || self.text().len() < WORTH_A_THREAD {
            self.spans();
            return parse();
        }
        std::thread::scope(|scope| {
            let index = scope.spawn(|| SpanIndex::build(self.text()));
            let parsed = parse();
            let index = index
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            let _ = self.spans.set(index);
            parsed
        })
    }

    pub fn text(&self) -> &str {
        self.source.inner()
    }

    /// The byte span a location resolves to.
    pub fn span_of(&self, location: &Location) -> ByteSpan {
        let fallback = ByteSpan { offset: 0, len: 0 };
        match location {
            Location::Key(p) => self.spans().key(p).unwrap_or(fallback),
            Location::Value(p) => self.spans().value(p).unwrap_or(fallback),
            Location::Span(s) => *s,
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// Renders diagnostics rustc-style: code, message, `file:line:column`, the source line with
    /// the span underlined, and the help.
    pub fn render(&self, diagnostics: &[Diagnostic], color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_wrap_lines(false);
        let mut out = String::new();
        for d in diagnostics {
            let report = Rendered {
                diagnostic: d,
                file: self,
            };
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &report);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }
}

impl SourceFile {
    /// Diagnostics as JSON objects for CI: the code and its name, severity, message, label, help,
    /// the JSON pointer into the blueprint when there is one, and 1-based start and end positions
    /// (the end is exclusive).
    pub fn to_json(&self, diagnostics: &[Diagnostic]) -> Vec<serde_json::Value> {
        diagnostics
            .iter()
            .map(|d| {
                let span = self.span_of(&d.location);
                let (line, column) = self.line_col(span.offset);
                let (end_line, end_column) = self.line_col(span.offset + span.len);
                serde_json::json!({
                    "file": self.name,
                    "code": d.code.id,
                    "name": d.code.name,
                    "severity": d.severity.as_str(),
                    "message": d.message,
                    "label": d.label,
                    "help": d.help,
                    "pointer": d.pointer(),
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                })
            })
            .collect()
    }
}

/// Adapter between a [`Diagnostic`] and miette's renderer.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    file: &'a SourceFile,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let (line, col) = self.file.line_col(self.file.span_of(&d.location).offset);
        write!(f, "{} at {}:{line}:{col}", d.message, self.file.name)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.diagnostic.code.id, self.diagnostic.code.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.file.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.file.span_of(&self.diagnostic.location);
        let label = LabeledSpan::new_with_span(
            Some(self.diagnostic.label.clone()),
            SourceSpan::new(span.offset.into(), span.len),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// Whether any diagnostic is a warning.
pub fn has_warnings(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Warning)
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

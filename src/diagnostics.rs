//! Diagnostics: what tarmac says when a blueprint is wrong.
//!
//! Every diagnostic has a stable code (`TM0xx`), a severity, a one-line message, a location in the
//! blueprint and usually a `help:` that says the fix. Stages never stop at the first problem: they
//! collect diagnostics and the CLI reports them all at once. Locations are JSON pointers until
//! rendering, when the blueprint's [`SpanIndex`] turns them into line and column; this keeps the
//! checks free of any notion of text.

use std::fmt;
use std::sync::OnceLock;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

use crate::blueprint::compose::Composition;
use crate::blueprint::spans::{ByteSpan, SpanIndex};

/// A diagnostic code: its rule's documentation, as `tarmac explain` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
    /// The one file of `src/` that reports the code.
    pub home: &'static str,
    /// What the rule finds, in one sentence (README.md's table of codes).
    pub what: &'static str,
    /// Why it matters: the rationale, and SARIF's full description of the rule.
    pub why: &'static str,
    /// A minimal blueprint fragment that triggers it, and, where short, how to fix it.
    pub example: &'static str,
}

impl Code {
    /// The entry as `tarmac explain` prints it.
    pub fn explanation(&self) -> String {
        let example: String = self.example.lines().map(|l| format!("    {l}\n")).collect();
        format!(
            "{} ({})\n\n{}\n\nWhy: {}\n\nExample:\n{example}\nReported by src/{}.\n",
            self.id, self.name, self.what, self.why, self.home
        )
    }
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
    /// A location in one file of a composed blueprint (0: the client, `i`: its `i`-th base),
    /// in that file's own pointers: for what is found in one file before the merge.
    In(usize, Box<Location>),
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
    /// Whether the pointer may name what the blueprint does not write (a field left to its
    /// default, a section left out): [`Diagnostic::at_nearest`].
    pub nearest: bool,
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
            nearest: false,
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
        let mut location = &mut self.location;
        while let Location::In(_, inner) = location {
            location = inner;
        }
        if let Location::Value(p) = location {
            *location = Location::Key(std::mem::take(p));
        }
        self
    }

    /// Says that the pointer may name a field the blueprint leaves to its default or a section
    /// it leaves out: the diagnostic is then placed at the nearest ancestor the text writes. Any
    /// other pointer must name a node of the text exactly (`tests/it/pointers.rs`), so that a
    /// mistyped pointer cannot fall back to its parent unnoticed.
    pub fn at_nearest(mut self) -> Self {
        self.nearest = true;
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
        let mut location = &self.location;
        while let Location::In(_, inner) = location {
            location = inner;
        }
        match location {
            Location::Key(p) | Location::Value(p) => Some(p),
            Location::Span(_) | Location::In(..) => None,
        }
    }

    /// The diagnostic placed in file `file` of a composed blueprint: its pointer is that file's.
    pub fn in_file(self, file: usize) -> Self {
        Diagnostic {
            location: Location::In(file, Box::new(self.location)),
            ..self
        }
    }
}

/// A blueprint's text, its name for messages, and the span index of its nodes.
pub struct SourceFile {
    pub name: String,
    text: String,
    /// Built on first use, or by the loader beside its own parse ([`SourceFile::index_spans`]).
    spans: OnceLock<SpanIndex>,
    /// Byte offset of each line's start, built on first use: positions of thousands of
    /// diagnostics are then a binary search each, not a scan of the text each.
    lines: OnceLock<Vec<usize>>,
    /// The bases of a blueprint that `extends` one, with where each merged value came from.
    composition: Option<Box<Composition>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name = name.into();
        SourceFile {
            text: text.into(),
            name,
            spans: OnceLock::new(),
            lines: OnceLock::new(),
            composition: None,
        }
    }

    /// The file with the bases it extends (see [`crate::blueprint::compose::resolve`]).
    pub fn with_composition(self, composition: Composition) -> Self {
        SourceFile {
            composition: Some(Box::new(composition)),
            ..self
        }
    }

    /// Its bases, when it extends one.
    pub fn composition(&self) -> Option<&Composition> {
        self.composition.as_deref()
    }

    /// File `index` of the composition: 0 is this file, `i` its `i`-th base.
    pub fn part(&self, index: usize) -> &SourceFile {
        match (index, self.composition()) {
            (0, _) | (_, None) => self,
            (i, Some(c)) => c.bases.get(i - 1).map_or(self, |b| &b.file),
        }
    }

    /// The file a location is in, its span there and its pointer in that file: a pointer into
    /// a merged blueprint goes to the file that wrote the value.
    pub fn place(&self, location: &Location) -> (&SourceFile, ByteSpan, Option<String>) {
        let fallback = ByteSpan { offset: 0, len: 0 };
        let origin = |p: &str| match self.composition().and_then(|c| c.origins.get()) {
            Some(origins) => {
                let (file, pointer) = origins.resolve(p);
                (self.part(file), pointer)
            }
            None => (self, p.to_owned()),
        };
        match location {
            Location::Key(p) => {
                let (file, p) = origin(p);
                (file, file.spans().key(&p).unwrap_or(fallback), Some(p))
            }
            Location::Value(p) => {
                let (file, p) = origin(p);
                (file, file.spans().value(&p).unwrap_or(fallback), Some(p))
            }
            Location::Span(s) => (self, *s, None),
            Location::In(i, inner) => {
                // The pointer is the file's own, not one of the merged blueprint.
                let file = self.part(*i);
                match &**inner {
                    Location::Key(p) => (
                        file,
                        file.spans().key(p).unwrap_or(fallback),
                        Some(p.clone()),
                    ),
                    Location::Value(p) => (
                        file,
                        file.spans().value(p).unwrap_or(fallback),
                        Some(p.clone()),
                    ),
                    Location::Span(s) => (file, *s, None),
                    Location::In(..) => (file, fallback, None),
                }
            }
        }
    }

    /// Whether a location names a node that its file's text writes, rather than reaching an
    /// ancestor of it through [`SourceFile::place`]'s fallback: the test that every diagnostic
    /// points where it means to. A pointer into a merged blueprint is looked up in the file
    /// that wrote the value.
    pub fn resolves_exactly(&self, location: &Location) -> bool {
        match location {
            // The root names the whole text, an empty one included.
            Location::Key(p) | Location::Value(p) => p.is_empty() || self.sets(p),
            Location::Span(_) => true,
            Location::In(i, inner) => match &**inner {
                Location::Key(p) | Location::Value(p) => self.part(*i).spans().contains(p),
                Location::Span(_) => true,
                Location::In(..) => false,
            },
        }
    }

    /// Whether some file of the blueprint writes a value at `pointer` of the merged blueprint
    /// (not just an ancestor of it): whether a field with a default was set.
    pub fn sets(&self, pointer: &str) -> bool {
        match self.composition().and_then(|c| c.origins.get()) {
            Some(origins) => {
                let (file, p) = origins.resolve(pointer);
                self.part(file).spans().contains(&p)
            }
            None => self.spans().contains(pointer),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
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
        &self.text
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        (line, text[line_start..offset].chars().count() + 1)
    }

    /// The bytes of lines `first..=last` (0-based), clamped to the text.
    fn line_range(&self, first: usize, last: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let start = starts[first.min(starts.len() - 1)];
        let end = starts.get(last + 1).copied().unwrap_or(self.text().len());
        (start, end)
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
            let (file, span, _) = self.place(&d.location);
            let (first, _) = file.line_col(span.offset);
            let (last, _) = file.line_col(span.offset + span.len);
            let (start, end) = file.line_range(first - 1, last - 1);
            let report = Rendered {
                diagnostic: d,
                file,
                span,
                client: (!std::ptr::eq(file, self)).then_some(self.name.as_str()),
                // A line this long (minified JSON) cannot be shown underlined, and miette cannot
                // lay out columns past 65,535: the position and the message say it all.
                snippet: (end - start <= MAX_SNIPPET).then(|| Window {
                    file,
                    first_line: (first - 1).saturating_sub(CONTEXT),
                }),
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
                let (file, span, pointer) = self.place(&d.location);
                let (line, column) = file.line_col(span.offset);
                let (end_line, end_column) = file.line_col(span.offset + span.len);
                serde_json::json!({
                    "file": file.name,
                    "code": d.code.id,
                    "name": d.code.name,
                    "severity": d.severity.as_str(),
                    "message": d.message,
                    "label": d.label,
                    "help": d.help,
                    "pointer": pointer,
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                })
            })
            .collect()
    }
}

/// Lines shown around an underlined span, as miette shows them.
const CONTEXT: usize = 1;
/// The longest source (in bytes) shown under a diagnostic.
const MAX_SNIPPET: usize = 4096;

/// Adapter between a [`Diagnostic`] and miette's renderer.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    /// The file the diagnostic points into, and where.
    file: &'a SourceFile,
    span: ByteSpan,
    /// The client blueprint, when that file is one of its bases.
    client: Option<&'a str>,
    snippet: Option<Window<'a>>,
}

/// The part of a source that one diagnostic shows, handed to miette in place of the whole text:
/// miette finds a span's lines by scanning from the start of its source, which for thousands
/// of diagnostics in a long blueprint is quadratic.
struct Window<'a> {
    file: &'a SourceFile,
    first_line: usize,
}

impl miette::SourceCode for Window<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (line, _) = self.file.line_col(span.offset());
        let (end_line, _) = self.file.line_col(span.offset() + span.len());
        let first = (line - 1)
            .saturating_sub(context_lines_before)
            .max(self.first_line);
        let (start, end) = self
            .file
            .line_range(first, end_line - 1 + context_lines_after);
        let text = &self.file.text()[start..end];
        let inner = text.read_span(
            &SourceSpan::new((span.offset() - start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let (line, col) = self.file.line_col(self.span.offset);
        write!(f, "{} at {}:{line}:{col}", d.message, self.file.name)?;
        match self.client {
            Some(client) => write!(f, " (a base of {client})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // The severity in words, as rustc and ruff print it: the glyph alone says little in a
        // CI log without colour.
        Some(Box::new(format!(
            "{}[{}]({})",
            self.diagnostic.severity.as_str(),
            self.diagnostic.code.id,
            self.diagnostic.code.name
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
        self.snippet.as_ref().map(|w| w as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.snippet.as_ref()?;
        let span = self.span;
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

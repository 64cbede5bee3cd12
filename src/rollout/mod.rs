//! The developer rollout kit: what a client's developers and platform team need besides the
//! templates, written under `rollout/` and rendered with handlebars from the blueprint.
//!
//! - `codex/<profile>/config.toml`: Codex CLI on Bedrock (Mantle) for one permission set in one
//!   account, where the permission set has Mantle access;
//! - `aws/config`: the `[sso-session]` and one `[profile]` per account × permission set;
//! - `aws/resolve-account-ids.sh`, when the blueprint creates accounts: fills in their ids, which
//!   exist only after the management stack ran;
//! - `validate.sh`: the validation runbook as a script;
//! - `READINESS.md`: the readiness checklist, the decisions and a Mermaid diagram;
//! - `READINESS.html`: the same facts as one self-contained page for the client to read or
//!   print: the organization as an inline SVG ([`svg`]), tables, and the steps as checkboxes; no
//!   script, no request (its Content-Security-Policy allows none), no font but the reader's.
//!
//! The templates live in `templates/rollout/` and are compiled into the binary, so the kit needs
//! no files at run time; `synth --templates DIR` replaces any of them for a client's branding.
//! The data they see is built in [`kit`], the diagrams in [`diagram`] and [`svg`]: templates
//! hold wording, not decisions.

mod diagram;
pub mod escape;
mod kit;
mod svg;

use std::path::Path;

use handlebars::{
    handlebars_helper, Context, Handlebars, Helper, HelperResult, Output, RenderContext,
    RenderErrorReason,
};

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::emit::{OutFile, Sink, UnitEntry};
use crate::resolve::Resolved;

/// The templates of the kit: (name, file name, built-in text).
const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "codex-config",
        "codex-config.toml.hbs",
        include_str!("../../templates/rollout/codex-config.toml.hbs"),
    ),
    (
        "aws-config",
        "aws-config.hbs",
        include_str!("../../templates/rollout/aws-config.hbs"),
    ),
    (
        "resolve-account-ids",
        "resolve-account-ids.sh.hbs",
        include_str!("../../templates/rollout/resolve-account-ids.sh.hbs"),
    ),
    (
        "validate",
        "validate.sh.hbs",
        include_str!("../../templates/rollout/validate.sh.hbs"),
    ),
    (
        "readiness",
        "READINESS.md.hbs",
        include_str!("../../templates/rollout/READINESS.md.hbs"),
    ),
    (
        "readiness-html",
        "READINESS.html.hbs",
        include_str!("../../templates/rollout/READINESS.html.hbs"),
    ),
];

/// Why the kit's templates could not be used. Each message is whole, its cause included: the CLI
/// prints one line, and the cause is also the error's `source` for callers that walk the chain.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A `.hbs` file of a templates folder that replaces none of the built-in templates.
    #[error("{} is not a rollout template; templates are: {}", path.display(), template_files())]
    NotATemplate { path: std::path::PathBuf },
    /// A template that does not compile; `origin` names its file.
    #[error("{origin}: {source}")]
    Compile {
        origin: String,
        #[source]
        source: Box<handlebars::TemplateError>,
    },
    /// A template that compiled but does not render the kit (strict mode: a value it names that
    /// the kit does not have).
    #[error("rollout template `{name}`: {source}")]
    Render {
        name: String,
        #[source]
        source: handlebars::RenderError,
    },
    /// The kit's data could not be handed to handlebars.
    #[error("rollout kit data: {0}")]
    Data(#[source] handlebars::RenderError),
}

/// The file names of the built-in templates, for the message of a file that is none of them.
fn template_files() -> String {
    let files: Vec<&str> = BUILT_IN.iter().map(|(_, f, _)| *f).collect();
    files.join(", ")
}

/// The compiled templates of the kit.
pub struct Templates {
    registry: Handlebars<'static>,
}

// One helper per syntax a value lands in (see `escape`).
handlebars_helper!(sh: |s: str| escape::sh(s));
handlebars_helper!(toml: |s: str| escape::toml(s));
handlebars_helper!(line: |s: str| escape::line(s));
handlebars_helper!(md: |s: str| escape::md(s));
handlebars_helper!(mdcode: |s: str| escape::code(s));
handlebars_helper!(mdquoted: |s: str| escape::quoted(s));
handlebars_helper!(htmlmd: |s: str| escape::html_md(s));
handlebars_helper!(htmlquoted: |s: str| escape::html_quoted(s));

/// `{{html value}}`: text or a number in HTML. A helper of its own so that numbers (the
/// catalog version) go through it too: READINESS.html writes nothing but through a helper.
fn html(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = match h.param(0).map(|p| p.value()) {
        Some(serde_json::Value::String(s)) => escape::html(s),
        Some(v @ serde_json::Value::Number(_)) => v.to_string(),
        _ => {
            return Err(RenderErrorReason::ParamTypeMismatchForName(
                "html",
                "0".into(),
                "a string or a number".into(),
            )
            .into())
        }
    };
    out.write(&text)?;
    Ok(())
}

/// `{{ini value}}`: a helper of its own because a value that cannot be written is an error of
/// the render, not a changed value.
fn ini(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let value = h.param(0).map(|p| p.value());
    let text = match value {
        Some(serde_json::Value::String(s)) => escape::ini(s).map_err(RenderErrorReason::Other)?,
        // Numbers and the like are written as JSON writes them; none holds a line break.
        Some(v) if !v.is_object() && !v.is_array() && !v.is_null() => v.to_string(),
        _ => {
            return Err(RenderErrorReason::ParamTypeMismatchForName(
                "ini",
                "0".into(),
                "a string".into(),
            )
            .into())
        }
    };
    out.write(&text)?;
    Ok(())
}

impl Templates {
    /// The built-in templates, compiled once per process.
    pub fn embedded() -> &'static Templates {
        static EMBEDDED: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| Templates::build(&[]).expect("the built-in templates compile (tested)"))
    }

    /// The name of the built-in template that a file named `file` of a templates folder
    /// replaces. Any other `.hbs` file is an error (`path` names it in the message), so a
    /// misspelt name cannot be silently ignored. The CLI reads the folder: only `cli/` does I/O.
    pub fn override_name(file: &str, path: &Path) -> Result<&'static str, TemplateError> {
        match BUILT_IN.iter().find(|(_, f, _)| *f == file) {
            Some((name, _, _)) => Ok(name),
            None => Err(TemplateError::NotATemplate {
                path: path.to_owned(),
            }),
        }
    }

    /// The built-in templates, with `overrides` (name from [`Templates::override_name`], text,
    /// file for messages) in their place.
    pub fn with_overrides(
        overrides: &[(&str, String, String)],
    ) -> Result<Templates, TemplateError> {
        Templates::build(overrides)
    }

    /// Compiles the built-in templates, replaced by `overrides` (name, text, file for messages).
    fn build(overrides: &[(&str, String, String)]) -> Result<Templates, TemplateError> {
        let mut registry = Handlebars::new();
        // Every variable a template names must exist: a typo in an override is an error, not
        // an empty string in a developer's configuration.
        registry.set_strict_mode(true);
        // The kit is TOML, INI, shell, Markdown and HTML: quoting is explicit, per format,
        // through one helper per syntax (`escape`), even in HTML, whose values are Markdown
        // rows (`htmlmd`), messages (`htmlquoted`) or text (`html`), never one escaping for all.
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("sh", Box::new(sh));
        registry.register_helper("toml", Box::new(toml));
        registry.register_helper("ini", Box::new(ini));
        registry.register_helper("line", Box::new(line));
        registry.register_helper("md", Box::new(md));
        registry.register_helper("mdcode", Box::new(mdcode));
        registry.register_helper("mdquoted", Box::new(mdquoted));
        registry.register_helper("html", Box::new(html));
        registry.register_helper("htmlmd", Box::new(htmlmd));
        registry.register_helper("htmlquoted", Box::new(htmlquoted));
        for (name, file, text) in BUILT_IN {
            let (text, origin) = match overrides.iter().find(|(n, _, _)| n == name) {
                Some((_, text, path)) => (text.as_str(), path.clone()),
                None => (*text, format!("built-in template {file}")),
            };
            registry
                .register_template_string(name, text)
                .map_err(|source| TemplateError::Compile {
                    origin,
                    source: Box::new(source),
                })?;
        }
        Ok(Templates { registry })
    }

    fn render(&self, name: &str, data: &impl serde::Serialize) -> Result<String, TemplateError> {
        self.registry
            .render(name, data)
            .map_err(|source| TemplateError::Render {
                name: name.to_owned(),
                source,
            })
    }

    /// Renders with data already converted: the whole-kit templates share one conversion, which
    /// lists every account and profile.
    fn render_with(&self, name: &str, data: &Context) -> Result<String, TemplateError> {
        self.registry
            .render_with_context(name, data)
            .map_err(|source| TemplateError::Render {
                name: name.to_owned(),
                source,
            })
    }
}

/// Renders the kit of a blueprint that passed its checks into `sink`. `units` are the
/// deployable units the emitters produced (for the deploy order); `warnings` are listed as open
/// items.
pub fn render(
    r: &Resolved,
    catalog: &Catalog,
    blueprint_file: &str,
    units: &[UnitEntry],
    warnings: &[Diagnostic],
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<(), TemplateError> {
    let kit = kit::Kit::build(r, catalog, blueprint_file, units, warnings);
    // aws/config, validate.sh, READINESS.md and READINESS.html each take the whole kit:
    // handlebars converts it to JSON once for all of them.
    let data = Context::wraps(&kit).map_err(TemplateError::Data)?;
    // The documents first, then one Codex configuration per profile (thousands in a large
    // organization): all rendered in parallel, the long documents started first so that the
    // short configurations fill in around them, and written as they come.
    // Longest first: validate.sh takes as long to render as the other documents together
    // (docs/performance.md), so it starts at once on one core.
    let mut jobs: Vec<Job> = vec![
        Job::Document("rollout/validate.sh", "validate"),
        Job::Document("rollout/READINESS.md", "readiness"),
        Job::Document("rollout/READINESS.html", "readiness-html"),
        Job::Document("rollout/aws/config", "aws-config"),
    ];
    if !kit.new_accounts.is_empty() {
        jobs.push(Job::Document(
            "rollout/aws/resolve-account-ids.sh",
            "resolve-account-ids",
        ));
    }
    jobs.extend(
        kit.profiles
            .iter()
            .filter(|p| p.codex.is_some())
            .map(Job::Codex),
    );
    crate::parallel::map(&jobs, |job| {
        let file = match job {
            Job::Document(path, template) => OutFile {
                path: (*path).to_owned(),
                contents: templates.render_with(template, &data)?,
            },
            Job::Codex(profile) => OutFile {
                path: format!("rollout/codex/{}/config.toml", profile.name),
                contents: templates.render(
                    "codex-config",
                    &kit::CodexData {
                        kit: &kit.header,
                        profile,
                    },
                )?,
            },
        };
        sink.put(file);
        Ok(())
    })
    .into_iter()
    .collect()
}

/// One file of the kit to render.
enum Job<'a> {
    /// A document of the whole kit: its path and its template.
    Document(&'static str, &'static str),
    /// The Codex configuration of one profile.
    Codex(&'a kit::Profile),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_compile() {
        Templates::embedded();
    }

    /// Handlebars escapes nothing here (`no_escape`): a bare `{{value}}` in READINESS.html would
    /// be markup. Every expression of the built-in page is a block, an index, the SVG (built
    /// escaped in `svg.rs`), or a value through one of the HTML helpers.
    #[test]
    fn the_html_page_writes_values_only_through_html_helpers() {
        let (_, _, text) = BUILT_IN
            .iter()
            .find(|(n, _, _)| *n == "readiness-html")
            .expect("built in");
        let mut expressions = 0;
        for piece in text.split("{{").skip(1) {
            let expr = piece.split("}}").next().unwrap_or_default();
            let expr = expr.trim_start_matches('{');
            let word = expr.split_whitespace().next().unwrap_or_default();
            assert!(
                expr.starts_with(['#', '/'])
                    || ["else", "@index", "svg"].contains(&expr)
                    || (["html", "htmlmd", "htmlquoted"].contains(&word)
                        && expr.split_whitespace().count() == 2),
                "{{{{{expr}}}}} writes a value without an HTML helper"
            );
            expressions += 1;
        }
        assert!(expressions > 30, "{expressions}");
    }
}

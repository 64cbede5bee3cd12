//! The command line: argument parsing, reading blueprints, rendering diagnostics, writing files,
//! exit codes. The only module that does I/O.
//!
//! Exit codes: 0 success; 1 a blueprint has errors (nothing is written); 2 usage, I/O or internal
//! errors. Every command returns `Result<(), Error>`; [`run`] alone turns it into the report and
//! the exit code (`error.rs`).

/// `eprintln!` that cannot panic: with stderr closed or full (`2>&-`, `2>/dev/full`) a message
/// is lost, and the exit code still says what happened.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod error;
mod project;
mod report;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::compile::{compile_into, validate, Failure, Outcome, Targets};
use crate::diagnostics::SourceFile;
use crate::emit::{OutFile, Sink};
use crate::rollout::Templates;
use error::{Error, BLUEPRINT_CAP};
use report::{Format, Reporter};

/// Synthesizes a Bedrock/OpenAI pilot landing zone into CloudFormation JSON and Terraform JSON.
#[derive(Debug, Parser)]
#[command(name = "tarmac", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to color diagnostics and help: `auto` colors a terminal unless NO_COLOR is set to
    /// a non-empty value (CLICOLOR_FORCE forces it).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The project file with defaults for `--out`, `--target`, `--templates` and
    /// `--deny-warnings` [default: ./tarmac.toml, if present].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// The `--color` of the raw arguments, before clap parses them: clap's own errors and help
    /// must honour `--color never` too.
    fn from_args() -> Color {
        let args: Vec<String> = std::env::args().collect();
        let value = args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix("--color=")
                .map(String::from)
                .or_else(|| (a == "--color").then(|| args.get(i + 1).cloned()).flatten())
        });
        match value.as_deref() {
            Some("always") => Color::Always,
            Some("never") => Color::Never,
            _ => Color::Auto,
        }
    }

    /// Whether to color stderr: anstream's reading of the terminal, NO_COLOR (ignored when
    /// empty, as no-color.org says), CLICOLOR and CLICOLOR_FORCE.
    fn stderr(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => !matches!(
                anstream::AutoStream::choice(&std::io::stderr()),
                anstream::ColorChoice::Never
            ),
        }
    }

    fn clap(self) -> clap::ColorChoice {
        match self {
            Color::Always => clap::ColorChoice::Always,
            Color::Never => clap::ColorChoice::Never,
            Color::Auto => clap::ColorChoice::Auto,
        }
    }
}

/// How `tarmac diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Human,
    Json,
}

/// Which differences fail `tarmac diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Any,
    Replacement,
    None,
}

/// How diagnostics are reported.
#[derive(Debug, clap::Args)]
struct DiagnosticArgs {
    /// How to print diagnostics: `human` on stderr, or `json` on stdout for CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors: exit 1 (and write nothing) when there are any.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check blueprints and write their templates under OUT/<client>/.
    Synth {
        /// Blueprint files (YAML or JSON).
        #[arg(required = true)]
        blueprints: Vec<PathBuf>,
        /// Output folder [default: out, or `out` of tarmac.toml].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Which targets to write [default: all, or `targets` of tarmac.toml].
        #[arg(long, value_enum)]
        target: Option<Targets>,
        /// Write nothing: compare the synthesized output with what is in OUT, print what differs
        /// and exit 1 when the committed output is stale (for CI on every pull request).
        #[arg(long)]
        check: bool,
        /// A folder of rollout-kit templates that replace the built-in ones of the same name
        /// (`READINESS.md.hbs`, `codex-config.toml.hbs`, ...; see `templates/rollout/`).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        #[command(flatten)]
        diagnostics: DiagnosticArgs,
    },
    /// Check blueprints without writing anything.
    Validate {
        /// Blueprint files (YAML or JSON).
        #[arg(required = true)]
        blueprints: Vec<PathBuf>,
        #[command(flatten)]
        diagnostics: DiagnosticArgs,
    },
    /// Compare two synthesized outputs resource by resource: added, removed and changed
    /// resources, with the properties that changed and the changes that replace a resource, then
    /// the rollout-kit files that changed. Exit 0 when they are the same, 1 when they differ.
    Diff {
        /// The earlier output (a client folder such as out/acme).
        old: PathBuf,
        /// The later output.
        new: PathBuf,
        /// `human` text, or one `json` document on stdout for CI.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// What makes the exit code 1: `any` difference, only changes that destroy a resource
        /// (`replacement`: a replacement or a removal), or `none`.
        #[arg(long, value_enum, default_value_t = FailOn::Any)]
        fail_on: FailOn,
    },
    /// Print the blueprint JSON Schema (draft-07).
    Schema {
        /// The schema of a part of a blueprint instead: a base, or a client that `extends` one
        /// (no field required, lists also as `{append: [...]}`); for the editor modeline.
        #[arg(long)]
        part: bool,
    },
    /// Write a new client blueprint whose every client-supplied value (organization ids,
    /// account emails, Identity Center ids, VPCs) is a placeholder that `validate` names.
    Init {
        /// The client slug (3 to 32 lowercase letters, digits or `-`).
        client: String,
        /// A base blueprint the new one extends (a consultancy standard): only what the client
        /// owns is written.
        #[arg(long, value_name = "BASE")]
        extends: Option<PathBuf>,
        /// Where to write it [default: CLIENT.yaml]; an existing file is never replaced.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print a generated blueprint of N pilot accounts (the benchmark's input).
    Generate {
        /// Number of pilot accounts (at least 1: a blueprint needs an account).
        #[arg(value_parser = clap::value_parser!(u32).range(1..=100_000))]
        accounts: u32,
    },
    /// Print a shell completion script: `tarmac completions bash > /etc/bash_completion.d/tarmac`.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff): `tarmac man > /usr/local/share/man/man1/tarmac.1`.
    Man,
    /// Explain a diagnostic code, such as TM012.
    Explain {
        /// A code (TM012) or its name (model-id-family-mismatch).
        code: String,
    },
}

/// Writes `text` to stdout. A reader that stops early (`tarmac generate 10000 | head`) closes
/// the pipe: that ends the output quietly, where `print!` would panic.
pub(crate) fn to_stdout(text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Stdout(e)),
    }
}

/// Runs the command line and returns the process exit code: the one place where a failure is
/// reported and becomes a code. The reporter is the run's format once the command is known, and
/// until then (or for commands without `--format`) plain text on stderr.
pub fn run() -> ExitCode {
    let mut reporter = Reporter::new(Format::Human, false, false);
    let result = execute(&mut reporter);
    if let Err(e) = &result {
        e.report(&mut reporter);
    }
    // The machine document goes last, errors included; when stdout cannot take it, that is the
    // run's result, and its reason can only go to stderr.
    let finished = reporter.finish();
    if let Err(e) = &finished {
        say!("error: {e}");
    }
    match finished.and(result) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(e.code()),
    }
}

/// Parses the command line and runs its command, reporting through `reporter`.
fn execute(reporter: &mut Reporter) -> Result<(), Error> {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .color(Color::from_args().clap())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        // `--help` and `--version` come as errors that are not: clap prints them on stdout.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return Ok(());
        }
        Err(e) => return Err(Error::Usage(e)),
    };
    let color = cli.color.stderr();
    *reporter = Reporter::new(Format::Human, color, false);
    let project = project::Project::load(cli.config.as_deref())?;
    let deny = |flag: bool| flag || project.deny_warnings.unwrap_or(false);
    match cli.command {
        Command::Synth {
            blueprints,
            out,
            target,
            check,
            templates,
            diagnostics,
        } => {
            let templates = templates.or_else(|| project.templates.clone());
            let overridden = templates.map(|dir| templates_from(&dir)).transpose()?;
            if overridden.is_none() {
                // Compiling the built-in templates takes longer than loading, checking and
                // planning a small blueprint: do it meanwhile, on another core.
                std::thread::spawn(Templates::embedded);
            }
            let templates = overridden.as_ref();
            *reporter = Reporter::new(diagnostics.format, color, deny(diagnostics.deny_warnings));
            let out = out
                .or_else(|| project.out.clone())
                .unwrap_or_else(|| PathBuf::from("out"));
            let settings = Settings {
                out: &out,
                targets: target.or(project.targets).unwrap_or(Targets::All),
                check,
                templates,
            };
            synth(&blueprints, &settings, reporter)
        }
        Command::Validate {
            blueprints,
            diagnostics,
        } => {
            *reporter = Reporter::new(diagnostics.format, color, deny(diagnostics.deny_warnings));
            validate_all(&blueprints, reporter)
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => diff_outputs(&old, &new, format, fail_on),
        Command::Generate { accounts } => to_stdout(&crate::generate::blueprint(accounts as usize)),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tarmac", &mut script);
            to_stdout(&String::from_utf8_lossy(&script))
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(Error::Man)?;
            to_stdout(&String::from_utf8_lossy(&page))
        }
        Command::Schema { part: false } => to_stdout(&crate::blueprint::schema::schema_text()),
        Command::Schema { part: true } => to_stdout(&crate::blueprint::schema::part_text()),
        Command::Init {
            client,
            extends,
            out,
        } => init(&client, extends.as_deref(), out.as_deref(), reporter),
        Command::Explain { code } => match crate::codes::find(&code) {
            Some(c) => to_stdout(&c.explanation()),
            None => Err(Error::UnknownCode(code)),
        },
    }
}

/// `tarmac diff`: exit 0 when nothing `fail_on` names differs, 1 when something does, 2 when a
/// folder or one of its templates cannot be read.
fn diff_outputs(old: &Path, new: &Path, format: DiffFormat, fail_on: FailOn) -> Result<(), Error> {
    let read = |dir: &Path| {
        check::read_tree(dir).map_err(|source| Error::Folder {
            dir: dir.to_owned(),
            source,
        })
    };
    let (old_files, new_files) = match (read(old), read(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
        (Err(old), Err(new)) => return Err(Error::Several(vec![old, new])),
    };
    let diffs = crate::diff::diff(&old_files, &new_files, crate::catalog::Catalog::get())
        .map_err(Error::NotJson)?;
    let kit = crate::diff::kit_changes(&old_files, &new_files);
    let text = match format {
        DiffFormat::Human => {
            let mut text = crate::diff::render(&diffs);
            if diffs.is_empty() && !kit.is_empty() {
                text = format!(
                    "no resource changes; {} rollout-kit file(s) changed\n",
                    kit.len()
                );
            }
            text + &crate::diff::render_kit(&kit)
        }
        DiffFormat::Json => crate::emit::to_pretty_json(&crate::diff::to_json(&diffs, &kit)),
    };
    to_stdout(&text)?;
    let fails = match fail_on {
        FailOn::Any => !diffs.is_empty() || !kit.is_empty(),
        FailOn::Replacement => diffs.iter().any(|d| crate::diff::destroys(&d.change)),
        FailOn::None => false,
    };
    if fails {
        Err(Error::Differs)
    } else {
        Ok(())
    }
}

/// Reads a blueprint, or says why it cannot.
fn read(path: &Path) -> Result<SourceFile, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(BLUEPRINT_CAP + 1).read_to_end(&mut bytes))
        .map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > BLUEPRINT_CAP {
        return Err(Error::TooLarge {
            path: path.to_owned(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path.display().to_string(), text)),
        Err(source) => Err(Error::NotText {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Reads a blueprint and the chain of bases it `extends`. A base that cannot be read is a
/// diagnostic of the blueprint (at its `extends`, with this error's message), not an I/O error
/// of the run.
fn read_blueprint(path: &Path) -> Result<SourceFile, Error> {
    let base = |path: &Path| read(path).map_err(|e| e.to_string());
    read(path).map(|file| crate::blueprint::compose::resolve(file, &base))
}

/// `tarmac init`: the file written; [`Error::BaseInvalid`] (its diagnostics reported) when the
/// base has errors; or a bad client slug, an existing file, a base or file that cannot be read
/// or written.
fn init(
    client: &str,
    extends: Option<&Path>,
    out: Option<&Path>,
    reporter: &mut Reporter,
) -> Result<(), Error> {
    use crate::blueprint::scaffold;
    if !scaffold::valid_client(client) {
        return Err(Error::ClientName(client.to_owned()));
    }
    let out = out.map_or_else(
        || PathBuf::from(format!("{client}.yaml")),
        Path::to_path_buf,
    );
    let base = match extends {
        None => None,
        Some(path) => {
            let file = read_blueprint(path)?;
            let value = match crate::blueprint::load::part(&file) {
                Ok(v) => v,
                Err(diagnostics) => {
                    reporter.report(&file, &diagnostics);
                    return Err(Error::BaseInvalid);
                }
            };
            Some((relative_to(path, &out), value))
        }
    };
    let text = scaffold::client(
        client,
        base.as_ref().map(|(path, value)| (path.as_str(), value)),
    );
    // `create_new`: never replace a file, not even one created meanwhile, nor follow a link.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            say!(
                "{}: written; `tarmac validate {}` lists each value left to fill in",
                out.display(),
                out.display()
            );
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Exists { path: out }),
        Err(source) => Err(Error::Write { path: out, source }),
    }
}

/// The path of `target` relative to the folder of `file`, with `/` separators, as the
/// `extends` of `file` names it. Both are taken from the current folder when relative.
fn relative_to(target: &Path, file: &Path) -> String {
    use crate::blueprint::compose::normalize_path;
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |p: &Path| normalize_path(&cwd.join(p));
    let target = absolute(target);
    let dir = absolute(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let t: Vec<_> = target.components().collect();
    let d: Vec<_> = dir.components().collect();
    let common = t.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let parts: Vec<String> = std::iter::repeat_n(String::from(".."), d.len() - common)
        .chain(
            t[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    parts.join("/")
}

/// What `synth` writes, where, and with which templates.
struct Settings<'a> {
    out: &'a Path,
    targets: Targets,
    check: bool,
    /// Replacements for the built-in rollout templates.
    templates: Option<&'a Templates>,
}

/// Where one blueprint's files go: a comparison with the folder for `--check`, the folder
/// otherwise.
enum Destination {
    Check(Box<check::Checker>),
    Folder(Box<write::Output>),
}

impl Sink for Destination {
    fn begin(&self, client: &str) {
        match self {
            Destination::Check(c) => c.begin(client),
            Destination::Folder(f) => f.begin(client),
        }
    }

    fn put(&self, file: OutFile) {
        match self {
            Destination::Check(c) => c.put(file),
            Destination::Folder(f) => f.put(file),
        }
    }

    fn put_text(&self, path: String, contents: &str) {
        match self {
            Destination::Check(c) => c.put_text(path, contents),
            Destination::Folder(f) => f.put_text(path, contents),
        }
    }
}

impl Destination {
    fn discard(&self) {
        if let Destination::Folder(f) = self {
            f.discard();
        }
    }
}

fn synth(paths: &[PathBuf], settings: &Settings, reporter: &mut Reporter) -> Result<(), Error> {
    let Settings {
        out,
        targets,
        check,
        templates,
    } = *settings;
    let files = paths
        .iter()
        .map(|p| read_blueprint(p))
        .collect::<Result<Vec<_>, _>>()?;
    let destinations: Vec<Destination> = (0..files.len())
        .map(|_| {
            if check {
                Destination::Check(Box::new(check::Checker::new(out, targets)))
            } else {
                Destination::Folder(Box::new(write::Output::new(out, targets)))
            }
        })
        .collect();
    // Blueprints are independent: compile them in parallel, report in the order given. One
    // blueprint is compiled on this thread: a thread would only add its start to the run.
    let results: Vec<Result<Outcome, Failure>> = match (files.as_slice(), destinations.as_slice()) {
        ([f], [d]) => vec![compile_into(f, targets, templates, d)],
        _ => std::thread::scope(|scope| {
            let jobs: Vec<_> = files
                .iter()
                .zip(&destinations)
                .map(|(f, d)| scope.spawn(move || compile_into(f, targets, templates, d)))
                .collect();
            jobs.into_iter()
                .map(|j| j.join().expect("compilation does not panic"))
                .collect()
        }),
    };
    let mut compiled: Vec<(&Path, Outcome)> = Vec::new();
    let mut failed = None;
    for ((path, file), result) in paths.iter().zip(&files).zip(results) {
        match result {
            Ok(c) => {
                if reporter.report(file, &c.warnings) {
                    failed = Some(Error::Refused);
                }
                if let Some((other, _)) = compiled.iter().find(|(_, o)| o.client == c.client) {
                    // Reported as found, like a diagnostic; the run goes on to report the rest.
                    Error::SameClient {
                        first: other.to_path_buf(),
                        second: path.clone(),
                        client: c.client.clone(),
                    }
                    .report(reporter);
                    failed = Some(Error::Refused);
                }
                compiled.push((path, c));
            }
            Err(Failure::Blueprint(diagnostics)) => {
                reporter.report(file, &diagnostics);
                failed = Some(Error::Refused);
            }
            Err(Failure::Template(source)) => {
                failed = Some(Error::Kit {
                    blueprint: path.clone(),
                    source,
                });
                break;
            }
            Err(Failure::Internal(message)) => {
                failed = Some(Error::Internal {
                    blueprint: path.clone(),
                    message,
                });
                break;
            }
        }
    }
    if let Some(e) = failed {
        destinations.iter().for_each(Destination::discard);
        return Err(e);
    }
    let summaries: Vec<(String, &str, crate::compile::Summary, usize)> = compiled
        .iter()
        .map(|(path, c)| {
            (
                path.display().to_string(),
                c.client.as_str(),
                c.summary,
                c.warnings.len(),
            )
        })
        .collect();
    let summarize = |reporter: &mut Reporter| {
        let clients: Vec<report::ClientSummary> = summaries
            .iter()
            .map(
                |(blueprint, client, size, warnings)| report::ClientSummary {
                    blueprint,
                    client,
                    size: *size,
                    warnings: *warnings,
                },
            )
            .collect();
        reporter.summarize(&clients);
    };
    let mut staged = Vec::new();
    let mut checked = Vec::new();
    // Every blueprint compiled (or we returned above), so each has its destination. Each
    // client's files are compared and staged before any client folder changes.
    let mut pending = compiled.iter().zip(destinations);
    while let Some(((path, c), destination)) = pending.next() {
        match destination {
            Destination::Check(checker) => match checker.finish() {
                Ok(drift) => checked.push((*path, drift)),
                Err(source) => {
                    return Err(Error::Folder {
                        dir: out.join(&c.client),
                        source,
                    })
                }
            },
            Destination::Folder(f) => match f.finish() {
                Ok(s) => staged.push(s),
                Err(source) => {
                    drop(staged);
                    pending.for_each(|(_, d)| d.discard());
                    return Err(Error::Stage {
                        dir: out.join(&c.client),
                        source,
                    });
                }
            },
        }
    }
    if check {
        let result = check_drift(&checked, reporter);
        summarize(reporter);
        return result;
    }
    // Clients commit one after the other, each on its own: a failure says which were written.
    let mut done: Vec<String> = Vec::new();
    let mut staged = staged.into_iter();
    while let Some(s) = staged.next() {
        let dir = s.dir().display().to_string();
        match s.commit() {
            Ok(c) => {
                if reporter.chatty() {
                    let repaired = if c.repaired {
                        " (completing an interrupted synth)"
                    } else {
                        ""
                    };
                    say!(
                        "{dir}: {} written, {} unchanged, {} removed{repaired}",
                        c.written,
                        c.unchanged,
                        c.removed
                    );
                }
                done.push(dir);
            }
            Err(source) => {
                return Err(Error::Commit {
                    dir,
                    source,
                    done,
                    rest: staged.map(|s| s.dir().display().to_string()).collect(),
                })
            }
        }
    }
    summarize(reporter);
    Ok(())
}

/// `synth --check`: exit 1 and say what differs when the committed output is stale.
fn check_drift(
    checked: &[(&Path, (PathBuf, check::Drift, usize))],
    reporter: &mut Reporter,
) -> Result<(), Error> {
    let mut stale = false;
    for (path, (dir, drift, files)) in checked {
        let chatty = reporter.chatty();
        if drift.is_empty() {
            if chatty {
                say!(
                    "{}: {} is up to date ({files} files)",
                    path.display(),
                    dir.display(),
                );
            }
            continue;
        }
        stale = true;
        let (blueprint, folder) = (path.display().to_string(), dir.display().to_string());
        reporter.drift(report::Drifted {
            blueprint: &blueprint,
            folder: &folder,
            missing: &drift.missing,
            stale: &drift.stale,
            changed: drift.changed.iter().map(|(f, _)| f.as_str()).collect(),
            interrupted: drift.interrupted,
        });
        if !chatty {
            continue;
        }
        say!("{blueprint}: {folder} is stale; run `tarmac synth` and commit the result:");
        if drift.interrupted {
            say!("  interrupted  a synth was cut short while writing this folder");
        }
        for f in &drift.missing {
            say!("  missing  {f}");
        }
        for f in &drift.stale {
            say!("  stale    {f} (no longer synthesized)");
        }
        for (f, _) in &drift.changed {
            say!("  changed  {f}");
        }
        for (_, diff) in &drift.changed {
            say!("{diff}");
        }
    }
    if stale {
        Err(Error::Stale)
    } else {
        Ok(())
    }
}

fn validate_all(paths: &[PathBuf], reporter: &mut Reporter) -> Result<(), Error> {
    let mut failed = false;
    for path in paths {
        let file = read_blueprint(path)?;
        let diagnostics = validate(&file);
        if reporter.report(&file, &diagnostics) {
            failed = true;
        } else if reporter.chatty() {
            say!("{}: ok", path.display());
        }
    }
    if failed {
        Err(Error::Invalid)
    } else {
        Ok(())
    }
}

/// The built-in templates, with those in `dir` (by file name) in their place. Any other `.hbs`
/// file in `dir` is an error ([`Templates::override_name`]).
fn templates_from(dir: &Path) -> Result<Templates, Error> {
    let unlisted = |source| Error::TemplatesFolder {
        dir: dir.to_owned(),
        source,
    };
    let mut overrides = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unlisted)? {
        let path = entry.map_err(unlisted)?.path();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !file.ends_with(".hbs") {
            continue;
        }
        let name = Templates::override_name(&file, &path)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(source) => return Err(Error::Read { path, source }),
        };
        overrides.push((name, text, path.display().to_string()));
    }
    Ok(Templates::with_overrides(&overrides)?)
}

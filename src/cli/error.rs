//! Why a run of tarmac failed, as one type: every command returns `Result<(), Error>`, and
//! `cli::run` turns the result into the process's exit code ([`Error::code`]) and its report
//! ([`Error::report`]), so that no command picks a code or prints its own failure. The codes are
//! README's table ("Commands and exit codes"); the unit test below reads that table, so the two
//! cannot drift.
//!
//! Each message is whole, its cause included: a failure is one line on stderr (or one problem in
//! a machine format), and the cause is also the error's `source` for callers that walk the chain.

use std::io;
use std::path::PathBuf;

use super::report::Reporter;
use super::write::FolderError;
use crate::rollout::TemplateError;

/// The largest blueprint tarmac reads: a generated organization of 10,000 accounts is 2 MiB, so
/// anything near this is not a blueprint, and reading `/dev/zero` must end.
pub const BLUEPRINT_CAP: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument clap refused; clap words and prints it.
    #[error("{0}")]
    Usage(clap::Error),
    /// `tarmac explain` of a code that does not exist.
    #[error("no diagnostic code `{0}`; codes run from TM001 to {last}", last = last_code())]
    UnknownCode(String),
    /// `tarmac init` of a client slug that cannot be one.
    #[error(
        "`{0}` is not a client slug: 3 to 32 lowercase letters, digits or `-`, starting with a \
         letter and not ending with `-`"
    )]
    ClientName(String),
    /// A file that cannot be read: a blueprint, the project file, a template.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// An output folder that cannot be read (`synth --check`, `tarmac diff`): unreadable, a
    /// link, a file tarmac did not write where it reads one.
    #[error("cannot read {}: {source}", dir.display())]
    Folder {
        dir: PathBuf,
        #[source]
        source: FolderError,
    },
    /// A blueprint larger than any blueprint is ([`BLUEPRINT_CAP`]).
    #[error(
        "cannot read {}: it is larger than {} MiB, which no blueprint is",
        path.display(),
        BLUEPRINT_CAP >> 20
    )]
    TooLarge { path: PathBuf },
    /// A blueprint that is not UTF-8.
    #[error("cannot read {}: it is not UTF-8 text ({source})", path.display())]
    NotText {
        path: PathBuf,
        #[source]
        source: std::string::FromUtf8Error,
    },
    /// The `--templates` folder cannot be listed.
    #[error("cannot read templates folder {}: {source}", dir.display())]
    TemplatesFolder {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    /// `tarmac.toml` is not one: its line and column (when known), and what it takes.
    #[error(
        "{}{}: {}; tarmac.toml takes `out`, `targets` (cloudformation, terraform or all), \
         `templates` and `deny-warnings`",
        path.display(),
        line_column.map_or(String::new(), |(l, c)| format!(":{l}:{c}")),
        source.message().trim_end()
    )]
    Project {
        path: PathBuf,
        line_column: Option<(usize, usize)>,
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A `--templates` file that is not a template of the kit, or does not compile.
    #[error(transparent)]
    Templates(#[from] TemplateError),
    /// The rollout kit of a blueprint could not be rendered with the templates given.
    #[error("{}: {source}", blueprint.display())]
    Kit {
        blueprint: PathBuf,
        #[source]
        source: TemplateError,
    },
    /// tarmac built a plan that breaks its own invariants: a bug in tarmac.
    #[error(
        "internal error: tarmac built an inconsistent plan for {}: {message}; this is a bug in \
         tarmac, please report it with the blueprint",
        blueprint.display()
    )]
    Internal { blueprint: PathBuf, message: String },
    /// The man page could not be rendered (into memory, so only by a bug).
    #[error("cannot render the man page: {0}")]
    Man(#[source] io::Error),
    /// `validate` found errors in a blueprint (or warnings, with `--deny-warnings`); they are
    /// reported diagnostic by diagnostic.
    #[error("a blueprint has errors")]
    Invalid,
    /// Two blueprints of one `synth` describe the same client. Reported as it is found; the run
    /// ends in [`Error::Refused`].
    #[error(
        "{} and {} both describe client `{client}`; each client needs its own blueprint",
        first.display(),
        second.display()
    )]
    SameClient {
        first: PathBuf,
        second: PathBuf,
        client: String,
    },
    /// `synth` found errors in a blueprint, or two blueprints of one client: nothing is written.
    #[error("nothing was written because of the errors above")]
    Refused,
    /// `tarmac init --extends` of a base with errors, which are reported above.
    #[error("the base has errors; nothing was written")]
    BaseInvalid,
    /// `synth --check` found a client folder that is not what synth would write; the files are
    /// listed client by client.
    #[error("the committed output is stale")]
    Stale,
    /// `tarmac diff` found what `--fail-on` names; the differences are on stdout.
    #[error("the outputs differ")]
    Differs,
    /// A committed template or module that `tarmac diff` cannot read as JSON.
    #[error("{0}")]
    NotJson(String),
    /// A client's output could not be compared or staged: the client folder is unchanged.
    #[error("cannot write {}: {source}; nothing was changed", dir.display())]
    Stage {
        dir: PathBuf,
        #[source]
        source: FolderError,
    },
    /// A commit that failed part way, and which clients it had already written.
    #[error(
        "cannot update {dir}: {source}; every file there is either as before or as synthesized: \
         run `tarmac synth` again to complete it{}{}",
        listed("already written", done),
        listed("not changed", rest)
    )]
    Commit {
        dir: String,
        #[source]
        source: FolderError,
        done: Vec<String>,
        rest: Vec<String>,
    },
    /// `tarmac init` of a file that exists: never replaced.
    #[error(
        "{} already exists; tarmac init never replaces a file (give another --out)",
        path.display()
    )]
    Exists { path: PathBuf },
    /// A file that cannot be written (`tarmac init`'s).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Stdout cannot take the output or the report (a reader that stops early is no error).
    #[error("cannot write to stdout: {0}")]
    Stdout(#[source] io::Error),
    /// More than one failure, each reported on its own (`tarmac diff` of two folders that
    /// cannot be read).
    #[error("{} errors", .0.len())]
    Several(Vec<Error>),
}

/// The last diagnostic code, for the message of one that does not exist.
fn last_code() -> &'static str {
    crate::codes::ALL.last().map_or("", |c| c.id)
}

/// `; what: a, b`, or nothing for an empty list.
fn listed(what: &str, dirs: &[String]) -> String {
    if dirs.is_empty() {
        String::new()
    } else {
        format!("; {what}: {}", dirs.join(", "))
    }
}

impl Error {
    /// The process exit code: 1 when the inputs were read and found wanting (a blueprint with
    /// errors, stale output, outputs that differ), 2 when tarmac could not do what it was asked.
    pub fn code(&self) -> u8 {
        match self {
            Error::Invalid
            | Error::SameClient { .. }
            | Error::Refused
            | Error::BaseInvalid
            | Error::Stale
            | Error::Differs => 1,
            Error::Several(errors) => errors.iter().map(Error::code).max().unwrap_or(2),
            Error::Usage(_)
            | Error::UnknownCode(_)
            | Error::ClientName(_)
            | Error::Read { .. }
            | Error::Folder { .. }
            | Error::TooLarge { .. }
            | Error::NotText { .. }
            | Error::TemplatesFolder { .. }
            | Error::Project { .. }
            | Error::Templates(_)
            | Error::Kit { .. }
            | Error::Internal { .. }
            | Error::Man(_)
            | Error::NotJson(_)
            | Error::Stage { .. }
            | Error::Commit { .. }
            | Error::Exists { .. }
            | Error::Write { .. }
            | Error::Stdout(_) => 2,
        }
    }

    /// Reports the error where the run's format puts it: stderr for people, the machine
    /// document otherwise. What was already reported in detail (diagnostics, drift, a diff)
    /// adds nothing but, for people, the line that says nothing was written.
    pub fn report(&self, reporter: &mut Reporter) {
        match self {
            Error::Usage(e) => {
                let _ = e.print();
            }
            Error::Refused if reporter.chatty() => reporter.problem(self.to_string()),
            Error::Refused | Error::Invalid | Error::Stale | Error::Differs => {}
            Error::Several(errors) => errors.iter().for_each(|e| e.report(reporter)),
            _ => reporter.problem(self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's exit-code table: (code, meaning) per row.
    fn readme_table() -> Vec<(u8, String)> {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("## Commands and exit codes")
            .nth(1)
            .expect("README has the section");
        section
            .lines()
            .skip_while(|l| !l.starts_with("| exit |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|row| {
                let cells: Vec<&str> = row.split(" | ").collect();
                let code = cells[0].trim_start_matches('|').trim();
                (code.parse().expect("an exit code"), cells[1..].join(" | "))
            })
            .collect()
    }

    /// The words of README's table that document each error (`None`: documented by its parts).
    /// A new variant does not compile until it is given its words, and the test then checks
    /// that they are in the row of its code.
    fn documented_as(e: &Error) -> Option<&'static str> {
        let words = match e {
            Error::Usage(_) => "usage error",
            Error::UnknownCode(_) => "a code `tarmac explain` does not know",
            Error::ClientName(_) => "with an invalid client name",
            Error::Read { .. }
            | Error::Folder { .. }
            | Error::NotText { .. }
            | Error::TemplatesFolder { .. } => "a file that cannot be read",
            Error::TooLarge { .. } => "larger than 64 MiB",
            Error::Project { .. } => "a bad `tarmac.toml`",
            Error::Templates(_) | Error::Kit { .. } => {
                "a `--templates` template that does not compile or render"
            }
            Error::Internal { .. } | Error::Man(_) => "an internal error (a tarmac bug)",
            Error::Invalid => "a blueprint has errors",
            Error::SameClient { .. } => "two blueprints describe one client",
            Error::Refused => "**nothing is written**, for any blueprint of the call",
            Error::BaseInvalid => "a base given to `tarmac init --extends` has errors",
            Error::Stale => "the committed output is stale",
            Error::Differs => "the outputs differ",
            Error::NotJson(_) => "a committed template that is not JSON",
            Error::Stage { .. } | Error::Commit { .. } | Error::Write { .. } => "a write failure",
            Error::Exists { .. } => "`tarmac init` of a file that exists",
            Error::Stdout(_) => "a report that cannot be written to stdout",
            Error::Several(_) => return None,
        };
        Some(words)
    }

    /// One error of each kind.
    fn one_of_each() -> Vec<Error> {
        let io = || io::Error::other("cause");
        let path = PathBuf::from("acme.yaml");
        let template = || TemplateError::NotATemplate { path: path.clone() };
        let toml = toml::from_str::<super::super::project::Project>("x = 1").unwrap_err();
        vec![
            Error::Usage(clap::Error::new(clap::error::ErrorKind::InvalidValue)),
            Error::UnknownCode("TM999".into()),
            Error::ClientName("A".into()),
            Error::Read {
                path: path.clone(),
                source: io(),
            },
            Error::TooLarge { path: path.clone() },
            Error::NotText {
                path: path.clone(),
                source: String::from_utf8(vec![0xff]).unwrap_err(),
            },
            Error::TemplatesFolder {
                dir: path.clone(),
                source: io(),
            },
            Error::Folder {
                dir: path.clone(),
                source: FolderError::NotAFolder { dir: path.clone() },
            },
            Error::Project {
                path: path.clone(),
                line_column: Some((1, 1)),
                source: Box::new(toml),
            },
            Error::Templates(template()),
            Error::Kit {
                blueprint: path.clone(),
                source: template(),
            },
            Error::Internal {
                blueprint: path.clone(),
                message: "a reference leaves its unit".into(),
            },
            Error::Man(io()),
            Error::Invalid,
            Error::SameClient {
                first: path.clone(),
                second: path.clone(),
                client: "acme".into(),
            },
            Error::Refused,
            Error::BaseInvalid,
            Error::Stale,
            Error::Differs,
            Error::NotJson("a.template.json is not valid JSON".into()),
            Error::Stage {
                dir: path.clone(),
                source: FolderError::Claimed { dir: path.clone() },
            },
            Error::Commit {
                dir: "out/acme".into(),
                source: FolderError::Io {
                    path: path.clone(),
                    source: io(),
                },
                done: vec![],
                rest: vec![],
            },
            Error::Exists { path: path.clone() },
            Error::Write {
                path: path.clone(),
                source: io(),
            },
            Error::Stdout(io()),
        ]
    }

    #[test]
    fn every_error_exits_with_the_code_of_its_row_in_the_readme() {
        let table = readme_table();
        let codes: Vec<u8> = table.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, [0, 1, 2], "README's table has a row per exit code");
        for e in one_of_each() {
            let words = documented_as(&e).expect("one error is documented by its own words");
            let rows: Vec<u8> = table
                .iter()
                .filter(|(_, meaning)| meaning.contains(words))
                .map(|(code, _)| *code)
                .collect();
            assert_eq!(
                rows,
                [e.code()],
                "{e:?} exits {}; README documents `{words}` in the rows of {rows:?}",
                e.code()
            );
        }
    }

    #[test]
    fn several_errors_exit_with_the_gravest_code() {
        let several = Error::Several(vec![Error::Differs, Error::Stdout(io::Error::other("x"))]);
        assert_eq!(several.code(), 2);
        assert_eq!(Error::Several(vec![Error::Stale]).code(), 1);
    }
}

//! Writing a client's output folder `OUT/<client>/`, which tarmac shares with its user: Terraform
//! state, `.terraform/`, lock and backend files live beside the generated files. So:
//!
//! - **tarmac owns exactly the files it wrote**, as listed by the `files` of the folder's
//!   `manifest.json` (and, after an interrupted commit, by the journal). It replaces or removes
//!   only those, and only those of the targets being emitted; it never reads, follows or deletes
//!   anything else, and refuses (touching nothing) where a path it owns is a symbolic link or not
//!   a regular file.
//! - **Only what changed is written.** Each file, as the emitters make it, is compared with the
//!   file on disk; an equal one is left alone (same inode, same mtime), a new or changed one is
//!   written into `.tarmac/staging/`. Nothing in the folder itself changes until every blueprint
//!   of the call has compiled, so a failed synth writes nothing.
//! - **The commit survives a kill at any instant.** It writes the journal (every path it may
//!   leave behind: the old owned files and the new ones), renames the staged files into place
//!   (each rename atomic; whole new folders in one rename; `manifest.json` last, so the manifest
//!   on disk always describes the last complete generation), removes the stale files, then the
//!   journal. A run that finds a journal knows the previous commit was cut short and owns what it
//!   lists, so it repairs the folder by synthesizing as usual.
//! - **Runs are serialized** per client folder by an advisory lock on `.tarmac/lock`, held from
//!   the first comparison to the end of the commit; the kernel releases it when a process dies.
//!
//! `.tarmac/` holds only this bookkeeping and ignores itself for git (`.tarmac/.gitignore`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::compile::Targets;
use crate::emit::{manifest, OutFile, Sink};

/// tarmac's bookkeeping folder inside a client folder.
pub const STATE_DIR: &str = ".tarmac";
/// The journal of a commit under way: one owned path a line.
const JOURNAL: &str = "journal";
/// The largest file tarmac reads back from an output folder. Its biggest file, the manifest of
/// 10,000 accounts, is about 12 MiB; anything much larger cannot be one it wrote.
pub const READ_CAP: u64 = 256 << 20;

/// Why a client folder could not be read, compared or written. Each message names its path;
/// the CLI says which client folder and what became of it.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The file system refused: a write failed, a folder cannot be read or locked.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// What is at `path` is not tarmac's to read or replace: a link, or not a file or folder.
    /// Nothing was touched.
    #[error(
        "{} {what} (tarmac follows no links and replaces only files it wrote)",
        path.display()
    )]
    NotOwned { path: PathBuf, what: &'static str },
    /// A file larger than any tarmac writes ([`READ_CAP`]).
    #[error("{} is {len} bytes, more than the {cap} tarmac reads", path.display())]
    TooLarge { path: PathBuf, len: u64, cap: u64 },
    /// The client folder is held by another blueprint of this call (the lock of another
    /// process is waited for, not an error).
    #[error("{} is written by another blueprint of this call", dir.display())]
    Claimed { dir: PathBuf },
    /// A client slug that cannot name a folder.
    #[error("`{0}` cannot be a folder name")]
    FolderName(String),
    /// A folder to compare with that is not one (`tarmac diff`).
    #[error("{} is not a folder (links are not followed)", dir.display())]
    NotAFolder { dir: PathBuf },
    /// A committed file that is not what tarmac writes: not JSON, not text.
    #[error("{file} is not {what}")]
    Corrupt { file: String, what: &'static str },
    /// tarmac asked for something it must never ask for.
    #[error("{0} (a bug in tarmac)")]
    Bug(String),
}

/// An error that names the path it is about.
pub fn at(path: &Path, source: io::Error) -> FolderError {
    FolderError::Io {
        path: path.to_owned(),
        source,
    }
}

fn refuse(path: &Path, what: &'static str) -> FolderError {
    FolderError::NotOwned {
        path: path.to_owned(),
        what,
    }
}

/// What is at `path`, without following a symbolic link there.
fn what_is(path: &Path) -> Result<Option<fs::FileType>, FolderError> {
    match fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m.file_type())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(at(path, e)),
    }
}

/// Makes `path` a real folder (not a link to one), creating it if absent. Returns whether it
/// was created.
fn real_dir(path: &Path) -> Result<bool, FolderError> {
    match what_is(path)? {
        None => match fs::create_dir(path) {
            Ok(()) => Ok(true),
            Err(e) => Err(at(path, e)),
        },
        Some(t) if t.is_dir() => Ok(false),
        Some(t) if t.is_symlink() => Err(refuse(path, "is a symbolic link")),
        Some(_) => Err(refuse(path, "is not a folder")),
    }
}

/// Reads a regular file (never through a link, never a FIFO or device), at most `cap` bytes;
/// `None` when nothing is there.
pub fn read_regular(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, FolderError> {
    let Some(meta) = (match fs::symlink_metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(at(path, e)),
    }) else {
        return Ok(None);
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(path, "is a symbolic link"));
    }
    if !meta.is_file() {
        return Err(refuse(path, "is not a regular file"));
    }
    if meta.len() > cap {
        return Err(FolderError::TooLarge {
            path: path.to_owned(),
            len: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::open(path)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(|e| at(path, e))?;
    Ok(Some(bytes))
}

/// [`read_regular`] of `relative` inside `root`, refusing where a folder on the way is a link:
/// `rollout -> /etc` must not make tarmac read `/etc/...`.
pub fn read_inside(root: &Path, relative: &str, cap: u64) -> Result<Option<Vec<u8>>, FolderError> {
    let mut ancestors: Vec<&Path> = Path::new(relative).ancestors().skip(1).collect();
    ancestors.pop();
    for a in ancestors.into_iter().rev() {
        let dir = root.join(a);
        match what_is(&dir)? {
            None => return Ok(None),
            Some(t) if t.is_dir() => {}
            Some(t) if t.is_symlink() => return Err(refuse(&dir, "is a symbolic link")),
            Some(_) => return Ok(None),
        }
    }
    read_regular(&root.join(relative), cap)
}

/// The files a client folder's manifest says tarmac owns, plus those of an interrupted commit's
/// journal; and whether there was such a journal. A folder without a manifest (or with one
/// tarmac cannot read as its own) owns nothing: nothing there is removed.
pub fn owned(dir: &Path) -> Result<(BTreeSet<String>, bool), FolderError> {
    let mut owned = BTreeSet::new();
    match what_is(dir)? {
        None => return Ok((owned, false)),
        Some(t) if t.is_dir() => {}
        Some(t) if t.is_symlink() => return Err(refuse(dir, "is a symbolic link")),
        Some(_) => return Err(refuse(dir, "is not a folder")),
    }
    if let Some(bytes) = read_regular(&dir.join(manifest::PATH), READ_CAP)? {
        if let Ok(m) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            owned.insert(manifest::PATH.to_owned());
            let listed = m.get("files").and_then(|f| f.as_array());
            // Manifests written before `files` existed list only their units' files.
            let units = m.get("units").and_then(|u| u.as_array());
            let unit_files = units
                .into_iter()
                .flatten()
                .filter_map(|u| u.get("files").and_then(|f| f.as_array()))
                .flatten();
            for path in listed.into_iter().flatten().chain(unit_files) {
                if let Some(p) = path.as_str().filter(|p| safe_relative(p)) {
                    owned.insert(p.to_owned());
                }
            }
        }
    }
    let interrupted = match read_inside(dir, &format!("{STATE_DIR}/{JOURNAL}"), READ_CAP)? {
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            owned.extend(text.lines().filter(|p| safe_relative(p)).map(String::from));
            true
        }
        None => false,
    };
    Ok((owned, interrupted))
}

/// A path tarmac may own: relative, made of plain names only (no `..`, no root, no `.`).
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether an owned file belongs to what this run emits: files of a target not emitted
/// (`--target terraform` and the CloudFormation folder) are left as they are.
pub fn managed(path: &str, targets: Targets) -> bool {
    match path.split('/').next() {
        Some("cloudformation") => targets != Targets::Terraform,
        Some("terraform") => targets != Targets::Cloudformation,
        _ => true,
    }
}

/// Clients being written by this process: a second blueprint of the same client in one call
/// must not wait for the lock the first one holds.
fn claimed() -> &'static Mutex<HashSet<PathBuf>> {
    static CLAIMED: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    CLAIMED.get_or_init(Mutex::default)
}

/// The sink `synth` writes one blueprint's files through: it compares each with the client
/// folder and stages what changed. Created before the blueprint is compiled (the client is not
/// known yet); [`Sink::begin`] opens and locks the client folder.
pub struct Output {
    out: PathBuf,
    targets: Targets,
    open: OnceLock<Open>,
    /// The first failure; later files are ignored.
    error: Mutex<Option<FolderError>>,
}

/// A locked client folder being compared with.
struct Open {
    dir: PathBuf,
    staging: PathBuf,
    /// Held for the lock it carries, released when dropped.
    _lock: File,
    owned: BTreeSet<String>,
    interrupted: bool,
    /// What this run made of the folder: created it, or found it.
    created: Vec<PathBuf>,
    /// Every file this run produces, and those written to staging because they changed.
    produced: Mutex<Vec<String>>,
    changed: Mutex<Vec<String>>,
    /// Folders of the client folder already looked at: whether each exists (as a real folder).
    seen: Mutex<HashMap<PathBuf, bool>>,
    /// Staging folders already made.
    made: Mutex<HashSet<PathBuf>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Output {
    pub fn new(out: &Path, targets: Targets) -> Output {
        Output {
            out: out.to_owned(),
            targets,
            open: OnceLock::new(),
            error: Mutex::new(None),
        }
    }

    fn fail(&self, e: FolderError) {
        lock(&self.error).get_or_insert(e);
    }

    fn failed(&self) -> bool {
        lock(&self.error).is_some()
    }

    fn open(&self, client: &str) -> Result<Open, FolderError> {
        if !safe_relative(client) || client.contains('/') {
            return Err(FolderError::FolderName(client.to_owned()));
        }
        let mut created = Vec::new();
        if what_is(&self.out)?.is_none() {
            fs::create_dir_all(&self.out).map_err(|e| at(&self.out, e))?;
            created.push(self.out.clone());
        }
        let dir = self.out.join(client);
        if !lock(claimed()).insert(dir.clone()) {
            return Err(FolderError::Claimed { dir });
        }
        if real_dir(&dir)? {
            created.push(dir.clone());
        }
        let state = dir.join(STATE_DIR);
        if real_dir(&state)? {
            created.push(state.clone());
        }
        let ignore = state.join(".gitignore");
        if what_is(&ignore)?.is_none() {
            fs::write(&ignore, "# tarmac's bookkeeping: never commit it\n*\n")
                .map_err(|e| at(&ignore, e))?;
        }
        let lock_path = state.join("lock");
        if what_is(&lock_path)?.is_some_and(|t| !t.is_file()) {
            return Err(refuse(&lock_path, "is not a regular file"));
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| at(&lock_path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                say!(
                    "waiting for another tarmac writing {} to finish",
                    dir.display()
                );
                file.lock().map_err(|e| at(&lock_path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(at(&lock_path, e)),
        }
        // A staging folder left by a run that was killed before its commit: nothing in it was
        // ever in place, so it goes.
        let staging = state.join("staging");
        match what_is(&staging)? {
            Some(t) if t.is_dir() => fs::remove_dir_all(&staging).map_err(|e| at(&staging, e))?,
            Some(_) => fs::remove_file(&staging).map_err(|e| at(&staging, e))?,
            None => {}
        }
        let (owned, interrupted) = owned(&dir)?;
        Ok(Open {
            dir,
            staging,
            _lock: file,
            owned,
            interrupted,
            created,
            produced: Mutex::default(),
            changed: Mutex::default(),
            seen: Mutex::default(),
            made: Mutex::default(),
        })
    }

    /// Removes whatever this run staged; the folder stays as it was.
    pub fn discard(&self) {
        if let Some(open) = self.open.get() {
            open.discard();
        }
    }

    /// The compiled blueprint's staged output, ready to commit; or the first error, with the
    /// staging removed and the folder as it was.
    pub fn finish(self) -> Result<Staged, FolderError> {
        let error = lock(&self.error).take();
        let Some(open) = self.open.into_inner() else {
            return Err(error.unwrap_or_else(|| {
                FolderError::Bug("the blueprint produced no files".to_owned())
            }));
        };
        if let Some(e) = error {
            open.discard();
            return Err(e);
        }
        let produced: BTreeSet<String> = std::mem::take(&mut *lock(&open.produced))
            .into_iter()
            .collect();
        let mut stale = Vec::new();
        for path in &open.owned {
            if produced.contains(path) || !managed(path, self.targets) {
                continue;
            }
            let full = open.dir.join(path);
            match what_is(&full) {
                Ok(None) => {}
                Ok(Some(t)) if t.is_file() => stale.push(path.clone()),
                Ok(Some(t)) if t.is_symlink() => {
                    open.discard();
                    return Err(refuse(&full, "is a symbolic link"));
                }
                // A folder (or anything else) where tarmac once wrote a file is the user's now.
                Ok(Some(_)) => {}
                Err(e) => {
                    open.discard();
                    return Err(e);
                }
            }
        }
        Ok(Staged {
            open,
            produced,
            stale,
        })
    }
}

impl Open {
    /// Whether `dir` (inside the client folder) exists as a real folder; an error when it is a
    /// link or a file. Answers are remembered: most files share their folder with others.
    fn dir_exists(&self, dir: &Path) -> Result<bool, FolderError> {
        if let Some(&known) = lock(&self.seen).get(dir) {
            return Ok(known);
        }
        let exists = match what_is(dir)? {
            None => false,
            Some(t) if t.is_dir() => true,
            Some(t) if t.is_symlink() => return Err(refuse(dir, "is a symbolic link")),
            Some(_) => return Err(refuse(dir, "is not a folder")),
        };
        lock(&self.seen).insert(dir.to_owned(), exists);
        Ok(exists)
    }

    /// Compares one produced file with the folder and stages it if it is new or changed.
    fn put(&self, path: &str, contents: &str) -> Result<(), FolderError> {
        if !safe_relative(path) {
            return Err(FolderError::Bug(format!(
                "tarmac produced the file name `{path}`, which is not a plain relative path"
            )));
        }
        lock(&self.produced).push(path.to_owned());
        let relative = Path::new(path);
        let mut ancestors: Vec<&Path> = relative.ancestors().skip(1).collect();
        ancestors.pop(); // the empty path: the client folder itself
        ancestors.reverse();
        let mut present = true;
        for a in ancestors {
            if !self.dir_exists(&self.dir.join(a))? {
                present = false;
                break;
            }
        }
        if present {
            let full = self.dir.join(relative);
            if let Some(old) = read_regular(&full, contents.len() as u64).or_else(|e| match e {
                FolderError::TooLarge { .. } => Ok(Some(Vec::new())), // longer: changed
                e => Err(e),
            })? {
                if old == contents.as_bytes() {
                    return Ok(());
                }
            }
        }
        let staged = self.staging.join(relative);
        if let Some(parent) = staged.parent() {
            if !lock(&self.made).contains(parent) {
                fs::create_dir_all(parent).map_err(|e| at(parent, e))?;
                lock(&self.made).insert(parent.to_owned());
            }
        }
        fs::write(&staged, contents).map_err(|e| at(&staged, e))?;
        if path.ends_with(".sh") {
            make_executable(&staged)?;
        }
        lock(&self.changed).push(path.to_owned());
        Ok(())
    }

    /// Removes what this run made: the staging, and the folders it created, if still empty.
    fn discard(&self) {
        let _ = fs::remove_dir_all(&self.staging);
        let state = self.dir.join(STATE_DIR);
        if self.created.contains(&state) {
            let _ = fs::remove_file(state.join(".gitignore"));
            let _ = fs::remove_file(state.join("lock"));
        }
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        lock(claimed()).remove(&self.dir);
    }
}

impl Sink for Output {
    fn begin(&self, client: &str) {
        if self.open.get().is_some() || self.failed() {
            return;
        }
        match self.open(client) {
            Ok(open) => {
                let _ = self.open.set(open);
            }
            Err(e) => self.fail(e),
        }
    }

    fn put(&self, file: OutFile) {
        self.put_text(file.path, &file.contents);
    }

    fn put_text(&self, path: String, contents: &str) {
        if self.failed() {
            return;
        }
        let Some(open) = self.open.get() else {
            return self.fail(FolderError::Bug(
                "a file arrived before its client folder was opened".to_owned(),
            ));
        };
        // Files arrive from several threads and are compared and staged in parallel.
        if let Err(e) = open.put(&path, contents) {
            self.fail(e);
        }
    }
}

/// What a commit did to a client folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Committed {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// The previous commit had been cut short and this one completed the folder.
    pub repaired: bool,
}

/// A client's output compared and staged, waiting to be put in place.
pub struct Staged {
    open: Open,
    produced: BTreeSet<String>,
    stale: Vec<String>,
}

impl Staged {
    /// The client folder.
    pub fn dir(&self) -> &Path {
        &self.open.dir
    }

    /// Puts the staged files in place and removes the stale ones (see the module doc for why
    /// a kill at any point leaves a folder the next run repairs).
    pub fn commit(self) -> Result<Committed, FolderError> {
        self.commit_with(&mut || Ok(()))
    }

    /// [`Staged::commit`], calling `checkpoint` before each change to the folder: the tests stop
    /// a commit there, as a kill would, at every point in turn.
    fn commit_with(
        self,
        checkpoint: &mut dyn FnMut() -> Result<(), FolderError>,
    ) -> Result<Committed, FolderError> {
        let open = &self.open;
        let mut changed = std::mem::take(&mut *lock(&open.changed));
        let result = if changed.is_empty() && self.stale.is_empty() && !open.interrupted {
            Ok(())
        } else {
            self.apply(&mut changed, checkpoint)
        };
        let _ = fs::remove_dir_all(&open.staging);
        lock(claimed()).remove(&open.dir);
        result.map(|()| Committed {
            written: changed.len(),
            unchanged: self.produced.len() - changed.len(),
            removed: self.stale.len(),
            repaired: open.interrupted,
        })
    }

    fn apply(
        &self,
        changed: &mut [String],
        checkpoint: &mut dyn FnMut() -> Result<(), FolderError>,
    ) -> Result<(), FolderError> {
        let open = &self.open;
        let journal = open.dir.join(STATE_DIR).join(JOURNAL);
        let mut listed: BTreeSet<&str> = open.owned.iter().map(String::as_str).collect();
        listed.extend(self.produced.iter().map(String::as_str));
        let text: String = listed.iter().flat_map(|p| [p, "\n"]).collect();
        let draft = journal.with_extension("new");
        checkpoint()?;
        fs::write(&draft, text).map_err(|e| at(&draft, e))?;
        fs::rename(&draft, &journal).map_err(|e| at(&journal, e))?;

        // The manifest goes last: until it is in place, the one on disk is the previous
        // generation's, whose files the journal still owns.
        changed.sort_unstable_by_key(|p| (p == manifest::PATH, p.clone()));
        let mut moved: HashSet<PathBuf> = HashSet::new();
        for path in changed.iter() {
            let relative = Path::new(path);
            // The outermost folder of the path that does not exist yet moves whole: a fresh
            // output of 10,000 accounts is four renames, not 20,000.
            let mut unit = relative;
            for a in relative.ancestors().skip(1) {
                if a.as_os_str().is_empty() {
                    break;
                }
                if !lock(&open.seen)
                    .get(&open.dir.join(a))
                    .copied()
                    .unwrap_or(true)
                {
                    unit = a;
                }
            }
            if !moved.insert(unit.to_owned()) {
                continue;
            }
            let to = open.dir.join(unit);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| at(parent, e))?;
            }
            checkpoint()?;
            fs::rename(open.staging.join(unit), &to).map_err(|e| at(&to, e))?;
        }
        for path in &self.stale {
            let full = open.dir.join(path);
            checkpoint()?;
            match fs::remove_file(&full) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(at(&full, e)),
            }
            // Folders the removal emptied go too; a folder with anything left in it stays.
            for a in Path::new(path).ancestors().skip(1) {
                if a.as_os_str().is_empty() || fs::remove_dir(open.dir.join(a)).is_err() {
                    break;
                }
            }
        }
        checkpoint()?;
        fs::remove_file(&journal).map_err(|e| at(&journal, e))
    }
}

/// Shell scripts of the rollout kit are run as `rollout/validate.sh`, so they are written
/// executable (rwxr-xr-x) where the platform has such a thing.
#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), FolderError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(|e| at(path, e))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), FolderError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tarmac-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A generation: its files, and the manifest that lists them.
    fn generation(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = files
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        let listed: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        all.push((
            manifest::PATH.to_owned(),
            serde_json::json!({ "files": listed }).to_string(),
        ));
        all
    }

    fn stage(out: &Path, files: &[(String, String)]) -> Staged {
        let output = Output::new(out, Targets::All);
        output.begin("acme");
        for (p, c) in files {
            output.put_text(p.clone(), c);
        }
        output.finish().unwrap()
    }

    fn tree(dir: &Path) -> BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
            for e in fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                if rel == STATE_DIR {
                    continue;
                }
                if e.file_type().unwrap().is_dir() {
                    walk(root, &e.path(), out);
                } else {
                    out.insert(rel, fs::read_to_string(e.path()).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    /// Stops a commit before each of its changes in turn, as a kill would: every file is the old
    /// or the new one, a manifest is always there, and the next commit completes the folder.
    #[test]
    fn a_commit_stopped_at_every_point_is_repaired_by_the_next() {
        let old = generation(&[
            ("cloudformation/a.json", "a1"),
            ("cloudformation/gone.json", "g1"),
            ("terraform/x/main.tf.json", "x1"),
            ("terraform/old/main.tf.json", "o1"),
            ("rollout/r.md", "r1"),
        ]);
        let new = generation(&[
            ("cloudformation/a.json", "a2"),
            ("terraform/x/main.tf.json", "x1"),
            ("terraform/new/deep/main.tf.json", "n2"),
            ("rollout/r.md", "r2"),
        ]);
        let as_map =
            |g: &[(String, String)]| -> BTreeMap<String, String> { g.iter().cloned().collect() };
        let (old_map, new_map) = (as_map(&old), as_map(&new));
        let mut stopped_at = 0;
        loop {
            let out = scratch("stopped");
            stage(&out, &old).commit().unwrap();
            fs::write(out.join("acme/terraform/x/terraform.tfstate"), "state").unwrap();
            let mut budget = stopped_at;
            let result = stage(&out, &new).commit_with(&mut || {
                if budget == 0 {
                    return Err(FolderError::Bug("killed".to_owned()));
                }
                budget -= 1;
                Ok(())
            });
            let dir = out.join("acme");
            let now = tree(&dir);
            for (p, c) in &now {
                if p == "terraform/x/terraform.tfstate" {
                    continue;
                }
                assert!(
                    old_map.get(p) == Some(c) || new_map.get(p) == Some(c),
                    "stopped at {stopped_at}: {p} = {c:?} is neither generation's"
                );
            }
            assert!(now.contains_key(manifest::PATH), "stopped at {stopped_at}");
            let done = result.is_ok();
            let repaired = stage(&out, &new).commit().unwrap();
            assert_eq!(
                repaired.repaired,
                !done && stopped_at > 0,
                "stopped at {stopped_at}"
            );
            let mut want = new_map.clone();
            want.insert("terraform/x/terraform.tfstate".into(), "state".into());
            assert_eq!(
                tree(&dir),
                want,
                "stopped at {stopped_at}: repaired exactly"
            );
            assert!(!dir.join(STATE_DIR).join(JOURNAL).exists());
            assert!(!dir.join(STATE_DIR).join("staging").exists());
            fs::remove_dir_all(&out).unwrap();
            if done {
                break;
            }
            stopped_at += 1;
        }
        // Journal, four moves (a.json, rollout/r.md, terraform/new, the manifest), two
        // removals and the journal's removal.
        assert_eq!(stopped_at, 8);
    }

    #[test]
    fn a_failed_blueprint_leaves_no_trace() {
        let out = scratch("discard");
        let output = Output::new(&out.join("new-out"), Targets::All);
        output.begin("acme");
        output.put_text("rollout/r.md".into(), "r");
        output.discard();
        assert!(!out.join("new-out").exists());
        fs::remove_dir_all(&out).unwrap();
    }
}

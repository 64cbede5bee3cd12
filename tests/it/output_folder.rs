//! The output folder is shared with the user: tarmac owns exactly the files its manifest lists,
//! rewrites only what changed, follows no links, and leaves a folder the next run repairs however
//! it is stopped.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tarmac::compile::Targets;

use crate::common::tarmac;

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("out", name)
}

fn synth(args: &[&str], out: &Path) -> Output {
    tarmac()
        .arg("synth")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every regular file under `dir` (links not followed), by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(root, &e.path(), out);
            } else if t.is_file() {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The files a blueprint text synthesizes when read from a file `bp.yaml`, by path.
fn expected(text: &str) -> BTreeMap<String, Vec<u8>> {
    let source = tarmac::diagnostics::SourceFile::new("bp.yaml", text);
    let Ok(compiled) = tarmac::compile::compile(&source, Targets::All) else {
        panic!("the test blueprint compiles");
    };
    compiled
        .files
        .into_iter()
        .map(|f| (f.path, f.contents.into_bytes()))
        .collect()
}

/// The user's Terraform files that must survive every synth.
const USER_FILES: [&str; 4] = [
    "terraform/management/terraform.tfstate",
    "terraform/management/backend.tf.json",
    "terraform/management/.terraform.lock.hcl",
    "terraform/management/.terraform/providers/registry.terraform.io/hashicorp/aws/plugin",
];

fn place_user_files(dir: &Path) {
    for f in USER_FILES {
        let path = dir.join(f);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("the user's {f}")).unwrap();
    }
}

fn assert_user_files(dir: &Path, when: &str) {
    for f in USER_FILES {
        assert_eq!(
            fs::read_to_string(dir.join(f)).unwrap_or_default(),
            format!("the user's {f}"),
            "{f} after {when}"
        );
    }
}

#[test]
fn terraform_state_and_backend_survive_every_synth() {
    let out = scratch("state");
    let bp = "blueprints/acme-startup.yaml";
    assert_eq!(code(&synth(&[bp], &out)), 0);
    let dir = out.join("acme");
    place_user_files(&dir);
    assert_eq!(code(&synth(&[bp], &out)), 0);
    assert_user_files(&dir, "synth");
    let cfn = synth(&[bp, "--target", "cloudformation"], &out);
    assert_eq!(code(&cfn), 0, "{}", stderr(&cfn));
    assert_user_files(&dir, "synth --target cloudformation");
    assert!(dir.join("terraform/management/main.tf.json").is_file());
    let tf = synth(&[bp, "--target", "terraform"], &out);
    assert_eq!(code(&tf), 0, "{}", stderr(&tf));
    assert!(dir
        .join("cloudformation/management.template.json")
        .is_file());
    assert_eq!(code(&synth(&[bp], &out)), 0);
    let check = synth(&["--check", bp], &out);
    assert_eq!(
        code(&check),
        0,
        "--check ignores the user's files: {}",
        stderr(&check)
    );
    assert_user_files(&dir, "synth --check");
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn only_changed_files_are_written_and_only_owned_files_removed() {
    use std::os::unix::fs::MetadataExt;
    let out = scratch("incremental");
    let bp = out.join("bp.yaml");
    let text = crate::common::generated(3);
    fs::write(&bp, &text).unwrap();
    let bp_arg = bp.to_str().unwrap();
    assert_eq!(code(&synth(&[bp_arg], &out)), 0);
    let dir = out.join("pilot");
    let dir = if dir.exists() {
        dir
    } else {
        fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.is_dir())
            .unwrap()
    };
    let stamp = |p: &str| {
        let m = fs::metadata(dir.join(p)).unwrap();
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let before: BTreeMap<String, _> = tree(&dir)
        .keys()
        .filter(|p| !p.starts_with(".tarmac"))
        .map(|p| (p.clone(), stamp(p)))
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    let again = synth(&[bp_arg], &out);
    assert_eq!(code(&again), 0);
    assert!(stderr(&again).contains("0 written"), "{}", stderr(&again));
    for (p, s) in &before {
        assert_eq!(&stamp(p), s, "{p} was touched although unchanged");
    }
    // One account fewer: its files are removed, a file of the user's beside them is not, and
    // files that did not change keep their inode.
    fs::write(dir.join("terraform/notes.md"), "mine").unwrap();
    let two = crate::common::generated(2);
    fs::write(&bp, &two).unwrap();
    let shrink = synth(&[bp_arg], &out);
    assert_eq!(code(&shrink), 0, "{}", stderr(&shrink));
    let now = tree(&dir);
    let want = expected(&two);
    for (p, contents) in &want {
        assert!(now.get(p) == Some(contents), "{p} is as synthesized");
    }
    let extra: Vec<&String> = now
        .keys()
        .filter(|p| !want.contains_key(*p) && !p.starts_with(".tarmac/"))
        .collect();
    assert_eq!(
        extra,
        vec!["terraform/notes.md"],
        "only the user's file is left"
    );
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn links_are_never_followed_and_nothing_outside_is_touched() {
    use std::os::unix::fs::symlink;
    let root = scratch("links");
    let precious = root.join("precious");
    fs::create_dir_all(precious.join(".git")).unwrap();
    fs::write(precious.join(".git/HEAD"), "ref").unwrap();
    fs::write(precious.join("validate.sh"), "theirs").unwrap();
    let out = root.join("out");
    fs::create_dir_all(&out).unwrap();
    let bp = "blueprints/acme-startup.yaml";
    let untouched = |when: &str| {
        assert_eq!(
            tree(&precious).keys().collect::<Vec<_>>(),
            vec![".git/HEAD", "validate.sh"],
            "{when}"
        );
        assert_eq!(
            fs::read_to_string(precious.join("validate.sh")).unwrap(),
            "theirs"
        );
    };

    // The client folder itself is a link.
    symlink(&precious, out.join("acme")).unwrap();
    let o = synth(&[bp], &out);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is a symbolic link"), "{}", stderr(&o));
    untouched("OUT/acme -> elsewhere");
    assert_eq!(code(&synth(&["--check", bp], &out)), 2);
    fs::remove_file(out.join("acme")).unwrap();

    // A folder inside it is a link.
    assert_eq!(code(&synth(&[bp], &out)), 0);
    let before = tree(&out.join("acme"));
    fs::rename(out.join("acme/rollout"), root.join("rollout-moved")).unwrap();
    symlink(&precious, out.join("acme/rollout")).unwrap();
    let o = synth(&[bp], &out);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    untouched("OUT/acme/rollout -> elsewhere");
    let check = synth(&["--check", bp], &out);
    assert_eq!(code(&check), 2, "{}", stderr(&check));
    fs::remove_file(out.join("acme/rollout")).unwrap();
    fs::rename(root.join("rollout-moved"), out.join("acme/rollout")).unwrap();
    assert_eq!(
        tree(&out.join("acme")),
        before,
        "a refused synth changed nothing"
    );

    // A file it owns is a link to a secret: neither --check nor diff reads it.
    let template = out.join("acme/cloudformation/management.template.json");
    fs::remove_file(&template).unwrap();
    symlink("/proc/self/environ", &template).unwrap();
    let dir = out.join("acme");
    for args in [
        vec!["synth", "--check", bp, "--out", out.to_str().unwrap()],
        vec!["diff", dir.to_str().unwrap(), dir.to_str().unwrap()],
    ] {
        let o = tarmac()
            .args(&args)
            .env("TARMAC_SECRET", "s3cr3t")
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}");
        let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
        assert!(!all.contains("s3cr3t"), "{args:?} printed the environment");
    }
    let o = synth(&[bp], &out);
    assert_eq!(code(&o), 2, "a synth replaces no link: {}", stderr(&o));
    assert!(fs::symlink_metadata(&template)
        .unwrap()
        .file_type()
        .is_symlink());
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn fifos_devices_and_huge_files_do_not_hang_or_exhaust_memory() {
    let root = scratch("special");
    let out = root.join("out");
    let bp = "blueprints/acme-startup.yaml";
    assert_eq!(code(&synth(&[bp], &out)), 0);
    let readme = out.join("acme/rollout/READINESS.md");
    fs::remove_file(&readme).unwrap();
    let made = Command::new("mkfifo").arg(&readme).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let check = synth(&["--check", bp], &out);
    assert_eq!(code(&check), 2, "{}", stderr(&check));
    assert!(
        stderr(&check).contains("not a regular file"),
        "{}",
        stderr(&check)
    );
    let dir = out.join("acme");
    let diff = tarmac()
        .args(["diff", dir.to_str().unwrap(), dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&diff), 2);
    assert!(started.elapsed() < Duration::from_secs(30));
    let zero = tarmac().args(["validate", "/dev/zero"]).output().unwrap();
    assert_eq!(code(&zero), 2);
    assert!(stderr(&zero).contains("larger than"), "{}", stderr(&zero));
    fs::remove_dir_all(&root).unwrap();
}

/// Kills a real synth that changes every member file at points across its run, and checks after
/// each kill that every file is either the old or the new version, that `--check` sees the
/// folder as not current, and that the next synth completes it exactly.
#[test]
fn a_synth_killed_at_any_point_leaves_old_or_new_files_and_the_next_run_repairs_it() {
    let root = scratch("kill");
    let out = root.join("out");
    let bp = root.join("bp.yaml");
    let old_text = crate::common::generated(100);
    let new_text = old_text.replace("account_monthly_usd: ", "account_monthly_usd: 1");
    assert_ne!(old_text, new_text);
    let (old, new) = (expected(&old_text), expected(&new_text));
    let bp_arg = bp.to_str().unwrap().to_owned();
    let write_old = || {
        fs::write(&bp, &old_text).unwrap();
        assert_eq!(code(&synth(&[&bp_arg], &out)), 0);
        fs::write(&bp, &new_text).unwrap();
    };
    write_old();
    let client = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    // How long a synth of the change takes, to spread the kills over it.
    let started = Instant::now();
    assert_eq!(code(&synth(&[&bp_arg], &out)), 0);
    let span = started.elapsed();
    let mut mixed = 0;
    const KILLS: u32 = 8;
    for k in 0..KILLS {
        write_old();
        let mut child = tarmac()
            .args(["synth", &bp_arg, "--out"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread over the run; `cli::write`'s unit test stops a commit at each of its steps.
        std::thread::sleep(span * k / (KILLS - 1));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&client);
        let mut from_old = 0;
        let mut from_new = 0;
        for (p, contents) in now.iter().filter(|(p, _)| !p.starts_with(".tarmac/")) {
            let o = old.get(p) == Some(contents);
            let n = new.get(p) == Some(contents);
            assert!(o || n, "kill {k}: {p} is neither the old nor the new file");
            from_old += usize::from(o && !n);
            from_new += usize::from(n && !o);
        }
        assert!(
            now.contains_key("manifest.json"),
            "kill {k}: the manifest is always there"
        );
        if from_old > 0 && from_new > 0 {
            mixed += 1;
            let check = synth(&["--check", &bp_arg], &out);
            assert_eq!(code(&check), 1, "kill {k}: a mixed folder is not current");
        }
        let repair = synth(&[&bp_arg], &out);
        assert_eq!(code(&repair), 0, "kill {k}: {}", stderr(&repair));
        let repaired: BTreeMap<String, Vec<u8>> = tree(&client)
            .into_iter()
            .filter(|(p, _)| !p.starts_with(".tarmac/"))
            .collect();
        assert!(
            repaired == new,
            "kill {k}: the next synth completes the folder"
        );
        assert!(!client.join(".tarmac/journal").exists());
        assert!(!client.join(".tarmac/staging").exists());
        assert_eq!(code(&synth(&["--check", &bp_arg], &out)), 0);
    }
    // Not an assertion on timing: a kill that lands mid-commit shows the journal at work.
    eprintln!("{mixed} of {KILLS} kills left a mix of generations, each repaired");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn concurrent_synths_of_one_folder_are_serialized() {
    let root = scratch("concurrent");
    let out = root.join("out");
    let texts = [
        crate::common::generated(20),
        crate::common::generated(20).replace("account_monthly_usd: ", "account_monthly_usd: 9"),
    ];
    let paths: Vec<PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = root.join(format!("{i}/bp.yaml"));
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, t).unwrap();
            p
        })
        .collect();
    let wants: Vec<_> = texts.iter().map(|t| expected(t)).collect();
    for round in 0..6 {
        let spawned: Vec<_> = paths
            .iter()
            .map(|p| {
                tarmac()
                    .arg("synth")
                    .arg(p)
                    .arg("--out")
                    .arg(&out)
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in spawned {
            let o = c.wait_with_output().unwrap();
            assert_eq!(code(&o), 0, "round {round}: {}", stderr(&o));
        }
        let client = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
        let now: BTreeMap<String, Vec<u8>> = tree(&client)
            .into_iter()
            .filter(|(p, _)| !p.starts_with(".tarmac/"))
            .collect();
        assert!(
            wants.contains(&now),
            "round {round}: the folder is exactly one run's output"
        );
        assert!(!client.join(".tarmac/staging").exists());
    }
    fs::remove_dir_all(&root).unwrap();
}

//! `cargo bench`: parse + check + plan + emit of generated blueprints of N pilot accounts, for
//! both targets, in process and as the whole `tarmac synth` process on disk: a fresh synth into
//! an empty folder, a re-synth over unchanged output (which compares and writes nothing), and
//! `synth --check` (wall time, peak memory, bytes written); then the rendering of thousands of
//! diagnostics. Timings are medians. Accounts to measure:
//! `TARMAC_BENCH_ACCOUNTS=1,10,100,1000,10000` (the default). The scratch folder is the system's
//! temporary folder, which must be on disk (not tmpfs) for the re-synth figures to mean much.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tarmac::compile::{compile, Targets};
use tarmac::diagnostics::SourceFile;

fn main() {
    let counts: Vec<usize> = std::env::var("TARMAC_BENCH_ACCOUNTS")
        .unwrap_or_else(|_| String::from("1,10,100,1000,10000"))
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let scratch = std::env::temp_dir().join(format!("tarmac-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    println!("| accounts | compile, in process | fresh synth | peak | re-synth, unchanged | --check | peak | files | bytes written |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in counts {
        let text = tarmac::generate::blueprint(n);
        let runs = if n >= 10_000 {
            3
        } else if n >= 1_000 {
            9
        } else {
            31
        };
        let source = SourceFile::new("scale.yaml", text.clone());
        let compile_time = median(runs, || {
            let start = Instant::now();
            let compiled = compile(&source, Targets::All).expect("generated blueprints compile");
            std::hint::black_box(compiled);
            start.elapsed()
        });
        let input = scratch.join(format!("scale-{n}.yaml"));
        std::fs::write(&input, &text).expect("write input");
        let out = scratch.join(format!("out-{n}"));
        let synth = |check: bool| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_tarmac"));
            command
                .args(["synth", "--color", "never", "--out"])
                .arg(&out)
                .arg(&input);
            if check {
                command.arg("--check");
            }
            command.stderr(std::process::Stdio::null());
            command
        };
        // Timed runs only wait: a sampler reading /proc beside them would take a core from
        // tarmac on a 2-core machine, and its interval would add up to its own length to a
        // run of a few milliseconds.
        let timed = |check: bool, fresh: bool| {
            median(runs, || {
                if fresh {
                    let _ = std::fs::remove_dir_all(&out);
                }
                let start = Instant::now();
                let status = synth(check).status().expect("run tarmac");
                assert!(status.success(), "tarmac synth failed");
                start.elapsed()
            })
        };
        let fresh = timed(false, true);
        let _ = std::fs::remove_dir_all(&out);
        let fresh_peak_kb = peak_kb(synth(false));
        let resynth = timed(false, false);
        let check = timed(true, false);
        let check_peak_kb = peak_kb(synth(true));
        let (files, bytes) = size(&out);
        println!(
            "| {n} | {} | {} | {:.1} MB | {} | {} | {:.1} MB | {files} | {:.1} MB |",
            show(compile_time),
            show(fresh),
            fresh_peak_kb as f64 / 1024.0,
            show(resynth),
            show(check),
            check_peak_kb as f64 / 1024.0,
            bytes as f64 / 1_048_576.0
        );
    }
    // Every account email invalid: one diagnostic each, rendered as a person sees them.
    for n in [1_000, 8_000] {
        let text = tarmac::generate::blueprint(n).replace("@scale.example", "@");
        let source = SourceFile::new("errors.yaml", text);
        let diagnostics = tarmac::compile::validate(&source);
        assert!(diagnostics.len() >= n, "one error per account");
        let time = median(5, || {
            let start = Instant::now();
            std::hint::black_box(source.render(&diagnostics, false));
            start.elapsed()
        });
        println!(
            "\nrendering {} diagnostics: {}",
            diagnostics.len(),
            show(time)
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn show(d: Duration) -> String {
    if d.as_secs_f64() >= 1.0 {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    }
}

/// The peak memory of one run, sampled from /proc every 200 microseconds while it runs.
fn peak_kb(mut command: Command) -> u64 {
    let mut child = command.spawn().expect("run tarmac");
    // VmHWM only grows: the last reading before the process ends is its peak.
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(kb) = high_water_kb(&status) {
            peak = peak.max(kb);
        }
        if let Some(exit) = child.try_wait().expect("wait for tarmac") {
            assert!(exit.success(), "tarmac synth failed");
            return peak;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn high_water_kb(status: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files += 1;
                bytes += entry.metadata().map_or(0, |m| m.len());
            }
        }
    }
    (files, bytes)
}

//! The `tarmac` binary: everything lives in the library; see `tarmac::cli`.

/// Synthesis allocates millions of small JSON nodes from several threads; mimalloc does that in
/// about a third less time than the system allocator. It is built without transparent huge pages
/// (Cargo.toml: `no_thp`), which cost a small synth a zeroed 2 MB page per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tarmac::cli::run()
}

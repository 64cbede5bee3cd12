//! The `tarmac` binary: everything lives in the library; see `tarmac::cli`.

fn main() -> std::process::ExitCode {
    tarmac::cli::run()
}

//! The `amilab` command: parse arguments, run, exit with the documented code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(amilab::cli::main(std::env::args_os()))
}

//! The `amilab` binary: parse arguments, run, map errors to DESIGN.md's exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = amilab::cli::Cli::parse();
    match amilab::cli::run(cli) {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("{}", e.message);
            ExitCode::from(e.code.clamp(0, 255) as u8)
        }
    }
}

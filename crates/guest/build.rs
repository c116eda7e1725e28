//! Turns the package catalogue, `data/packages.toml`, into the static tables `src/catalog/table.rs`
//! includes, so the running program parses nothing. A malformed file stops the build here, with
//! one message per problem naming the entry.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "src/catalog/data.rs"]
mod data;

const DATA: &str = "data/packages.toml";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed={DATA}");
    println!("cargo:rerun-if-changed=src/catalog/data.rs");
    let text = match std::fs::read_to_string(DATA) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {DATA}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let catalog = match data::Catalog::parse(&text) {
        Ok(catalog) => catalog,
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {DATA}: {error}");
            }
            eprintln!(
                "{DATA}: {} problem(s); the package catalogue was not built",
                errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("error: cargo did not set OUT_DIR");
        return ExitCode::FAILURE;
    };
    let out = PathBuf::from(out_dir).join("catalog.rs");
    if let Err(e) = std::fs::write(&out, catalog.to_rust()) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

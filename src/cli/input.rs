//! Reading input files with messages that say what is wrong and what to do; every file is read
//! under its size limit ([`crate::limits`]), checked before anything parses it.

use std::path::Path;

use super::CliError;
use crate::diagnostic::io_reason;
use crate::limits::{self, Capped, TooLarge};

/// Reads a UTF-8 text file of at most `limit` bytes, or explains why it cannot be read.
/// `Ok(Err(_))`: the file is larger than the limit and was not read whole (the caller decides
/// what that means: a learner's script is a submission over a limit, an instructor's file a bad
/// input).
pub fn read_capped(
    path: &Path,
    what: &str,
    limit: u64,
) -> Result<Result<String, TooLarge>, CliError> {
    if path.is_dir() {
        return Err(CliError::usage(format!(
            "`{}` is a directory, not a {what}: pass the path of a file, e.g. `{}/main.rhai`",
            path.display(),
            path.display()
        )));
    }
    let bytes = match limits::read_capped(path, limit).map_err(|e| {
        CliError::usage(format!(
            "cannot read {what} `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })? {
        Capped::Bytes(bytes) => bytes,
        Capped::TooLarge(t) => return Ok(Err(t)),
    };
    String::from_utf8(bytes).map(Ok).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = &e.as_bytes()[..offset];
        let line = text.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset - text.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
        CliError::usage(format!(
            "{what} `{}` is not valid UTF-8 (first bad byte at {}:{line}:{column}); save it as UTF-8 text",
            path.display(),
            path.display()
        ))
    })
}

/// A learner's script, under [`limits::MAX_SCRIPT_BYTES`].
pub fn read_script(path: &Path) -> Result<Result<String, TooLarge>, CliError> {
    read_capped(path, "script", limits::MAX_SCRIPT_BYTES)
}

/// An instructor's (or CI's) input file: over its limit, it is a bad input (exit 2).
pub fn read_input(path: &Path, what: &str, limit: u64) -> Result<String, CliError> {
    read_capped(path, what, limit)?.map_err(|t| {
        CliError::usage(format!(
            "{what} `{}` {}; it was not read\n  = help: no {what} needs that much (see \"Limits\" in the README): remove what was pasted in by mistake",
            path.display(),
            t.describe()
        ))
    })
}

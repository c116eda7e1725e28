//! Reading input files with messages that say what is wrong and what to do.

use std::path::Path;

use super::CliError;
use crate::diagnostic::io_reason;

/// Reads a UTF-8 text file, or explains why it cannot be read.
pub fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    if path.is_dir() {
        return Err(CliError::usage(format!(
            "`{}` is a directory, not a {what}: pass the path of a file, e.g. `{}/main.rhai`",
            path.display(),
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::usage(format!(
            "cannot read {what} `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
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

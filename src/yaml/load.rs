//! Why a course file (a lab or a quiz) could not be loaded: every case is exit code 2.

use std::fmt;

use crate::report::Diagnostic;

#[derive(Debug, Clone)]
pub enum LoadError {
    /// No built-in item has this id; the message lists them and may suggest one.
    UnknownId(String),
    /// The file could not be read.
    Io(String),
    /// Parse or validation errors.
    Invalid(Vec<Diagnostic>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::UnknownId(m) | LoadError::Io(m) => f.write_str(m),
            LoadError::Invalid(d) => {
                f.write_str(crate::report::diagnostic::render_all(d).trim_end())
            }
        }
    }
}

impl std::error::Error for LoadError {}

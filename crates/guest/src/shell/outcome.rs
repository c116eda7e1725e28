//! What one command produced: exit status, standard output and standard error.

use super::super::MAX_STREAM_BYTES;
use super::capture::truncate_bytes;

/// What one command produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Outcome {
    pub(crate) status: i32,
    pub(crate) out: String,
    pub(crate) err: String,
}

impl Outcome {
    pub(crate) fn success() -> Outcome {
        Outcome::default()
    }

    pub(crate) fn status(status: i32) -> Outcome {
        Outcome {
            status,
            ..Outcome::default()
        }
    }

    /// Standard output `text`, exit 0.
    pub(crate) fn print(text: impl Into<String>) -> Outcome {
        Outcome {
            status: 0,
            out: text.into(),
            err: String::new(),
        }
    }

    /// One line on standard error and `status`.
    pub(crate) fn fail(status: i32, line: &str) -> Outcome {
        Outcome {
            status,
            out: String::new(),
            err: format!("{line}\n"),
        }
    }

    /// Adds a line to standard output.
    pub(crate) fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// Adds a line to standard error.
    pub(crate) fn warn(&mut self, line: &str) {
        self.err.push_str(line);
        self.err.push('\n');
    }

    /// Adds a line to standard error and sets the exit status.
    pub(crate) fn error(&mut self, status: i32, line: &str) {
        self.warn(line);
        self.status = status;
    }

    /// Appends another command's output; a failure's status wins.
    pub(crate) fn absorb(&mut self, other: Outcome) {
        self.out.push_str(&other.out);
        self.err.push_str(&other.err);
        if other.status != 0 {
            self.status = other.status;
        }
    }
}

/// What bash says for a command no package provides (exit status 127).
pub(crate) fn command_not_found(name: &str) -> Outcome {
    Outcome::fail(127, &format!("bash: {name}: command not found"))
}

/// Appends `text` unless `out` already holds a stream's worth (so `cat f f f …` stays bounded).
pub(crate) fn push_bounded(out: &mut String, text: &str) {
    if out.len() < MAX_STREAM_BYTES {
        out.push_str(text);
        truncate_bytes(out, MAX_STREAM_BYTES);
    }
}

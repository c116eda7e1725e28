//! The shared result model (labs and quizzes) and every renderer of it.
//!
//! Build a [`RunResult`], push [`ItemResult`]s, call [`RunResult::finish`], then [`render`] it in a
//! [`Format`]; [`RunResult::exit_code`] gives DESIGN.md's exit code. Where the text goes (stdout,
//! `--out`, GitHub's files) is the command line's business (`cli::report_out`).

pub mod escape;
pub mod format;
pub mod github;
pub mod gradescope;
pub mod json;
pub mod junit;
pub mod model;
pub mod tap;
pub mod text;
pub mod wrap;

pub use format::{render, Format};
pub use model::{
    fmt_points, points_text, round2, ItemResult, ItemStatus, Outcome, PartResult, RunKind,
    RunResult, ScriptError, ScriptStatus, SourceHash, Submission, Timings, Visibility,
    SCHEMA_VERSION,
};

/// The JSON Schema of the result model (`amilab schema result`).
pub fn result_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RunResult)).expect("schema serializes")
}

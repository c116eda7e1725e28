//! The shared result model (labs and quizzes) and every renderer of it.
//!
//! Build a [`RunResult`], push [`ItemResult`]s, call [`RunResult::finish`], then [`emit`] it with
//! the [`ReportArgs`] of the command line; [`RunResult::exit_code`] gives DESIGN.md's exit code.

pub mod diagnostic;
pub mod emit;
pub mod escape;
pub mod format;
pub mod github;
pub mod gradescope;
pub mod json;
pub mod junit;
pub mod model;
pub mod tap;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use emit::{emit, render, Environment};
pub use format::{Format, ReportArgs};
pub use model::{
    fmt_points, round2, ItemResult, ItemStatus, Outcome, RunKind, RunResult, ScriptError,
    ScriptStatus, SourceHash, Submission, Timings, Visibility, SCHEMA_VERSION,
};

/// The JSON Schema of the result model (`amilab schema result`).
pub fn result_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RunResult)).expect("schema serializes")
}

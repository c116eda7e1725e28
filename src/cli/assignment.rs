//! `amilab check ASSIGNMENT [DIR]` and `amilab quiz grade ASSIGNMENT [DIR]`: a submission
//! folder graded against an assignment, one score in any `--format`. Assignments are not
//! recorded in a workspace's progress (it records labs and quizzes, each on its own).

use std::path::{Path, PathBuf};

use super::report_out::{self, Environment, ReportArgs};
use super::{CliError, Outcome};
use crate::workspace::Workspace;

/// True when the command's first argument names an assignment file (see
/// [`crate::assignment::is_assignment_file`]) rather than a lab or a quiz.
pub fn is_assignment_arg(arg: &str) -> bool {
    crate::assignment::is_assignment_file(Path::new(arg))
}

/// What to grade, and how to report it.
pub struct Request<'a> {
    /// The assignment file.
    pub assignment: &'a str,
    /// The submission folder (default: the current workspace's root, else `.`).
    pub dir: Option<&'a Path>,
    /// `--learner` / `$AMILAB_LEARNER`.
    pub learner: Option<&'a String>,
    /// Hints shown on each failed check.
    pub hints: usize,
    pub report: &'a ReportArgs,
}

/// Loads the assignment (exit 2 when it is invalid), grades the folder and renders the result;
/// the exit code is the result's (0 passed, 1 not passed, 3 could not be graded).
pub fn grade(req: &Request) -> Result<Outcome, CliError> {
    let loaded = crate::assignment::load(req.assignment)?;
    let dir = match req.dir {
        Some(dir) => dir.to_path_buf(),
        None => Workspace::current()
            .map(|ws| super::check::relative_to_cwd(&ws.root))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(CliError::usage(format!(
            "the submission folder `{}` {what}\n  = help: pass the folder that holds the scripts (`labs/<lab-id>.rhai` or `<lab-id>.rhai`) and answers files (`<quiz-id>.answers.yaml`): `amilab check {} path/to/folder`",
            dir.display(),
            req.assignment
        )));
    }
    // The learner: the flag, else the submission's own workspace's.
    let progress = match std::path::absolute(&dir)
        .ok()
        .and_then(|d| Workspace::find(&d))
    {
        Some(ws) => Some(ws.load().map_err(|e| CliError::usage(e.to_string()))?),
        None => None,
    };
    let learner = super::check::learner(req.learner, progress.as_ref());
    let result = crate::assignment::grade_with(&loaded, &dir, learner.as_deref(), req.hints);
    let mut stdout = Vec::new();
    report_out::emit(
        &result,
        req.report,
        &Environment::from_process(),
        &mut stdout,
    )?;
    Ok(Outcome {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::new(),
        code: result.exit_code(),
    })
}

/// A usage error for a `check` flag that has no meaning for an assignment.
pub fn not_for_assignments(flag: &str, why: &str) -> CliError {
    CliError::usage(format!(
        "`{flag}` cannot be used with an assignment: {why}\n  = help: grade the lab alone for that: `amilab check <lab-id> {flag} …`"
    ))
}

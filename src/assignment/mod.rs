//! Assignments: labs and quizzes graded together into one score (`assignment.yaml`).
//!
//! The flow: [`load`] (parse, validate, load every part) → [`grade_submission`] over a learner's
//! folder → one [`crate::report::RunResult`] of kind `assignment`, whose items are the parts'
//! checks and questions (`<part>/<item>`) scaled to the parts' points.

pub mod grade;
pub mod load;
pub mod points;
pub mod spec;
pub mod submission;

use std::path::Path;

pub use grade::{grade_submission, grade_with};
pub use load::{check_text, load};
pub use spec::{AssignmentSpec, PartSpec};

use crate::{lab, quiz};

/// A part, loaded: the lab or quiz it names and what it is worth.
#[derive(Debug, Clone)]
pub struct Part {
    /// The lab's or quiz's own id (also when named by path): the prefix of its items' ids.
    pub id: String,
    /// Its points in the assignment (more than 0).
    pub points: f64,
    /// The part must pass on its own for the assignment to pass.
    pub required: bool,
    pub content: Content,
}

/// The lab or quiz of a part. Only parsed data: no compiled Rhai, so that [`Loaded`] can be
/// shared between threads.
#[derive(Debug, Clone)]
pub enum Content {
    Lab(Box<lab::Loaded>),
    Quiz(Box<quiz::Loaded>),
}

/// A parsed and validated assignment with its parts loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: AssignmentSpec,
    /// The assignment file as shown in messages.
    pub file: String,
    /// The file's text (its hash identifies the assignment in results).
    pub text: String,
    /// The parts, in the file's order.
    pub parts: Vec<Part>,
}

impl Loaded {
    /// The sha256 of the assignment file's bytes, as lower-case hex.
    pub fn sha256(&self) -> String {
        crate::report::SourceHash::of(&self.file, self.text.as_bytes()).sha256
    }

    /// The assignment's total points: the sum of its parts'.
    pub fn total_points(&self) -> f64 {
        crate::report::round2(self.parts.iter().map(|p| p.points).sum())
    }
}

// The batch grader shares one `Loaded` across threads.
const _: () = {
    const fn sync<T: Sync + Send>() {}
    sync::<Loaded>()
};

/// True when `path` is an assignment file rather than a lab or quiz: named `assignment.yaml`
/// (or `.yml`), or a `.yaml` / `.yml` file whose top level has a `parts` key.
pub fn is_assignment_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) || !path.is_file() {
        return false;
    }
    if name == "assignment.yaml" || name == "assignment.yml" {
        return true;
    }
    // Only the top-level keys matter: a line `parts:` at column 0 (a lab or quiz has none).
    match crate::limits::read_capped(path, crate::limits::MAX_ASSIGNMENT_BYTES) {
        Ok(crate::limits::Capped::Bytes(bytes)) => String::from_utf8_lossy(&bytes)
            .lines()
            .any(|l| l.starts_with("parts:")),
        _ => false,
    }
}

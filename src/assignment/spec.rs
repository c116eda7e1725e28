//! The assignment file format (`assignment.yaml`): serde types, strict (`deny_unknown_fields`),
//! with the JSON Schema generated from them (`amilab schema assignment`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An assignment: labs and quizzes graded together into one score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentSpec {
    /// Lower-case id (`week-3`), shown in reports and gradebooks.
    pub id: String,
    pub title: String,
    /// Percentage of the assignment's total points needed to pass (0–100).
    pub pass_mark: f64,
    /// When it is due, RFC 3339 (`2026-12-15T23:59:00Z`): shown in reports, never compared
    /// with the clock (grading stays deterministic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The labs and quizzes, in the order reports show them.
    pub parts: Vec<PartSpec>,
}

/// One part: exactly one of `lab` or `quiz`, and the points it is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartSpec {
    /// A built-in lab id (`first-golden-image`), or the path of a lab folder or `lab.yaml`
    /// relative to the assignment file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab: Option<String>,
    /// A built-in quiz id (`ami-anatomy`), or the path of a quiz file relative to the
    /// assignment file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz: Option<String>,
    /// What the part is worth in the assignment (more than 0): its checks' or questions'
    /// points are scaled to add up to this. The assignment's total is the sum of its parts'.
    pub points: f64,
    /// When true, the assignment passes only if this part passes on its own too: its lab's or
    /// quiz's pass mark reached, and the lab's required checks passed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
}

/// What a part names: a lab or a quiz, by id or path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartRef<'a> {
    Lab(&'a str),
    Quiz(&'a str),
}

impl PartSpec {
    /// The lab or quiz the part names; `None` when it names both or neither (validation says
    /// so).
    pub fn target(&self) -> Option<PartRef<'_>> {
        match (&self.lab, &self.quiz) {
            (Some(l), None) => Some(PartRef::Lab(l)),
            (None, Some(q)) => Some(PartRef::Quiz(q)),
            _ => None,
        }
    }
}

/// `amilab schema assignment`, pretty-printed with a trailing newline.
pub fn assignment_schema() -> String {
    let mut s = serde_json::to_string_pretty(&schemars::schema_for!(AssignmentSpec))
        .expect("a schema serializes");
    s.push('\n');
    s
}

//! One line of `results.jsonl`: a learner's graded submission, with what it was graded against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{RunKind, RunResult};

/// The amilab version that graded a result (`CARGO_PKG_VERSION`): a result graded by another
/// version is graded again on resume, and `merge` refuses to mix versions.
pub const AMILAB_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a submission was graded against: the lab, quiz or assignment and the sha256 of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRef {
    /// `lab`, `quiz` or `assignment`.
    pub kind: RunKind,
    /// The lab's, quiz's or assignment's id.
    pub id: String,
    /// Lower-case hex sha256 of the content file's bytes (`lab.yaml`, the quiz or assignment
    /// file): the same hash as the result's first `sources` entry and as `--lab-sha256`.
    pub sha256: String,
}

/// A graded submission: one line of `results.jsonl`, sorted by learner.
///
/// `result` is exactly what `amilab check --format json` prints for it, without `timings`
/// (wall-clock time would make two gradings of the same class differ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeRecord {
    /// The learner id: the submission's name, or what the learner map gives for it.
    pub learner: String,
    /// The submission as found in the submissions folder: `alice.rhai`, or `bob/` for a folder.
    pub submission: String,
    /// Lower-case hex sha256 of what was graded (see [`super::submissions::Submission::digest`]):
    /// a resumed batch grades again only the submissions whose digest changed.
    pub submission_sha256: String,
    /// The amilab version that graded it.
    pub amilab_version: String,
    pub content: ContentRef,
    /// How many times each AWS error code appears in the learner's API trail (labs; dry runs'
    /// `DryRunOperation` is a success and is not counted). Empty for quizzes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aws_errors: BTreeMap<String, u64>,
    pub result: RunResult,
}

impl GradeRecord {
    /// The record as one line of JSON, without its newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a grade record serializes")
    }

    /// Whether this record can stand for `learner`'s submission (named `submission`) with
    /// `digest`, graded against
    /// `content` by this amilab: then a resumed batch keeps it instead of grading again.
    pub fn still_valid(
        &self,
        learner: &str,
        submission: &str,
        digest: &str,
        content: &ContentRef,
    ) -> bool {
        self.learner == learner
            && self.submission == submission
            && self.submission_sha256 == digest
            && &self.content == content
            && self.amilab_version == AMILAB_VERSION
    }
}

/// Parses a `results.jsonl` text: `Err((line, reason))` names the first line (from 1) that is
/// not a record.
pub fn parse_lines(text: &str) -> Result<Vec<GradeRecord>, (usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| (i + 1, e.to_string())))
        .collect()
}

/// `results.jsonl`'s text: one record per line, each line ending in a newline.
pub fn to_text(records: &[GradeRecord]) -> String {
    let mut text = String::new();
    for r in records {
        text.push_str(&r.to_line());
        text.push('\n');
    }
    text
}

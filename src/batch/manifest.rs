//! `manifest.json`: what an output folder holds — which content, graded by which amilab, which
//! shard of which class — so that `amilab merge` can refuse to join outputs that do not belong
//! together.

use serde::{Deserialize, Serialize};

use super::record::ContentRef;
use super::shard::Shard;

/// The manifest's format version; bumped when a field changes meaning.
pub const MANIFEST_VERSION: u32 = 1;

/// The manifest's file name in an output folder.
pub const FILE: &str = "manifest.json";

/// What an output folder of `amilab grade` (or `merge`) holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub manifest_version: u32,
    /// The amilab version that graded every record.
    pub amilab_version: String,
    pub content: ContentRef,
    /// The content's title (the gradebook's column name in an LMS).
    pub title: String,
    /// The content's item ids (checks or questions) in the content's order: the gradebook's
    /// columns.
    pub items: Vec<String>,
    /// Which share of the class this folder holds; `1/1` for a whole class (and after `merge`).
    pub shard: Shard,
    /// The whole class as the grader saw it (every shard sees the whole folder): how many
    /// submissions, and which learner has which. Shards of one class agree on both; `merge`
    /// checks that the joined records are exactly that class.
    pub class: Class,
    /// How many records this folder holds, and their outcomes.
    pub graded: Counts,
}

/// The whole class: see [`Manifest::class`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub submissions: usize,
    /// sha256 of the lines `learner<TAB>submission`, sorted: which submission each learner id
    /// was given, so shards graded with different learner maps do not merge.
    pub roster_sha256: String,
}

impl Class {
    /// The class of these `(learner, submission name)` pairs (any order).
    pub fn of<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Class {
        let mut lines: Vec<String> = pairs
            .into_iter()
            .map(|(learner, sub)| format!("{learner}\t{sub}\n"))
            .collect();
        lines.sort_unstable();
        Class {
            submissions: lines.len(),
            roster_sha256: super::content_sha256(lines.concat().as_bytes()),
        }
    }
}

/// Outcomes counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub records: usize,
    pub passed: usize,
    pub failed: usize,
    pub error: usize,
}

impl Counts {
    /// Counts the outcomes of `records`.
    pub fn of(records: &[super::GradeRecord]) -> Counts {
        use crate::report::Outcome;
        let mut c = Counts {
            records: records.len(),
            ..Counts::default()
        };
        for r in records {
            match r.result.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed => c.failed += 1,
                Outcome::Error => c.error += 1,
            }
        }
        c
    }
}

impl Manifest {
    /// The manifest as pretty JSON with a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest serializes");
        text.push('\n');
        text
    }
}

//! `.amilab/progress.json`: what a learner has done in a workspace — best score, attempts and
//! hints taken per lab and quiz — as versioned, human-readable JSON that is safe to commit or
//! copy. Maps are sorted by id and nothing records the wall clock, so the same history always
//! writes the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{Outcome, RunResult};

/// The format version this amilab writes. A file with a larger one is refused, never rewritten.
pub const PROGRESS_VERSION: u32 = 1;

/// A learner's progress through the course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// [`PROGRESS_VERSION`] when written.
    pub version: u32,
    /// The learner id the workspace grades as (it decides every lab's variant), unless
    /// `--learner` or `$AMILAB_LEARNER` says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
    /// By lab id.
    #[serde(default)]
    pub labs: BTreeMap<String, ItemProgress>,
    /// By quiz id.
    #[serde(default)]
    pub quizzes: BTreeMap<String, ItemProgress>,
}

/// How a learner has done at one lab or quiz.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemProgress {
    /// Graded attempts (`amilab check`, `amilab quiz take`), including ones that could not be
    /// graded.
    pub attempts: u32,
    /// The best graded attempt so far: a passing one over any that did not pass, then by
    /// percentage (the earliest wins a tie). Attempts that could not be graded (outcome
    /// `error`) are never the best, whatever their checks scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<Best>,
    /// Whether any attempt passed.
    #[serde(default)]
    pub passed: bool,
    /// How the latest attempt ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_outcome: Option<Outcome>,
    /// Labs: hints revealed with `amilab hint`, by check id (the first N hints of that check).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hints: BTreeMap<String, u32>,
}

/// A best attempt's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Best {
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    /// Whether this attempt passed (a pass ranks above a higher score that did not).
    #[serde(default)]
    pub passed: bool,
}

/// Why a progress file cannot be used. The file is never written after one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    #[error("{path}:{line}:{column}: not a valid progress file: {reason}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{path}: written by a newer amilab (progress version {found}; this amilab reads version {PROGRESS_VERSION} and older)")]
    Newer { path: String, found: u32 },
}

impl Progress {
    /// A new, empty progress for `learner`.
    pub fn new(learner: Option<String>) -> Self {
        Progress {
            version: PROGRESS_VERSION,
            learner,
            labs: BTreeMap::new(),
            quizzes: BTreeMap::new(),
        }
    }

    /// Reads the text of the file `path`. The version is read first, so that a newer file is
    /// reported as newer rather than as malformed.
    pub fn parse(path: &str, text: &str) -> Result<Progress, ProgressError> {
        let invalid = |e: serde_json::Error| ProgressError::Invalid {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            reason: strip_position(&e.to_string()),
        };
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let version: VersionOnly = serde_json::from_str(text).map_err(invalid)?;
        if version.version > PROGRESS_VERSION {
            return Err(ProgressError::Newer {
                path: path.to_string(),
                found: version.version,
            });
        }
        serde_json::from_str(text).map_err(invalid)
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("progress is plain data");
        text.push('\n');
        text
    }

    /// Records one graded lab attempt.
    pub fn record_lab(&mut self, result: &RunResult) {
        self.labs
            .entry(result.id.clone())
            .or_default()
            .record(result);
    }

    /// Records one graded quiz attempt.
    pub fn record_quiz(&mut self, result: &RunResult) {
        self.quizzes
            .entry(result.id.clone())
            .or_default()
            .record(result);
    }

    /// Hints revealed so far in `lab`, by check id.
    pub fn hints_taken(&self, lab: &str) -> BTreeMap<String, u32> {
        self.labs
            .get(lab)
            .map(|l| l.hints.clone())
            .unwrap_or_default()
    }

    /// Records that the first `count` hints of `check` in `lab` have been revealed (never
    /// fewer than before).
    pub fn reveal_hints(&mut self, lab: &str, check: &str, count: u32) {
        let taken = self
            .labs
            .entry(lab.to_string())
            .or_default()
            .hints
            .entry(check.to_string())
            .or_default();
        *taken = (*taken).max(count);
    }
}

impl ItemProgress {
    fn record(&mut self, result: &RunResult) {
        self.attempts += 1;
        self.passed |= result.passed;
        self.last_outcome = Some(result.outcome);
        let percent = crate::report::round2(result.percent());
        let better = match &self.best {
            _ if result.outcome == Outcome::Error => false,
            None => true,
            Some(b) => (result.passed, percent) > (b.passed, b.percent),
        };
        if better {
            self.best = Some(Best {
                score: result.score,
                max_score: result.max_score,
                percent,
                passed: result.passed,
            });
        }
    }
}

/// serde_json's message without its ` at line L column C` (the position leads the message).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ItemResult, RunKind};

    fn result(id: &str, points: f64) -> RunResult {
        let mut r = RunResult::new(RunKind::Lab, id, "T", 0, 100.0);
        r.items.push(ItemResult::new("a", "A", points, 2.0));
        r.finish();
        r
    }

    #[test]
    fn keeps_the_best_attempt_and_counts_every_one() {
        let mut p = Progress::new(Some("ada".into()));
        p.record_lab(&result("lab", 1.0));
        p.record_lab(&result("lab", 2.0));
        p.record_lab(&result("lab", 0.0));
        let lab = &p.labs["lab"];
        assert_eq!(lab.attempts, 3);
        assert!(lab.passed);
        assert_eq!(lab.best.as_ref().unwrap().percent, 100.0);
        assert_eq!(lab.last_outcome, Some(Outcome::Failed));
    }

    #[test]
    fn the_best_is_a_graded_attempt_and_a_pass_ranks_above_a_higher_fail() {
        let mut p = Progress::new(None);
        let mut error = result("lab", 2.0);
        error.error = Some("limit".into());
        error.finish();
        p.record_lab(&error);
        assert_eq!(
            p.labs["lab"].best, None,
            "an ungradable attempt is never the best"
        );
        let mut fail = result("lab", 1.8);
        fail.pass_mark = 95.0;
        fail.finish();
        p.record_lab(&fail);
        let mut pass = result("lab", 1.0);
        pass.pass_mark = 50.0;
        pass.finish();
        p.record_lab(&pass);
        let best = p.labs["lab"].best.clone().unwrap();
        assert_eq!((best.score, best.passed), (1.0, true));
    }

    #[test]
    fn round_trips_and_writes_sorted_stable_json() {
        let mut p = Progress::new(None);
        p.record_lab(&result("zeta", 1.0));
        p.record_lab(&result("alpha", 1.0));
        p.reveal_hints("alpha", "check-b", 2);
        p.reveal_hints("alpha", "check-b", 1);
        let text = p.to_json();
        assert!(text.find("alpha").unwrap() < text.find("zeta").unwrap());
        assert_eq!(Progress::parse("p", &text).unwrap(), p);
        assert_eq!(p.hints_taken("alpha")["check-b"], 2, "never fewer");
    }

    #[test]
    fn newer_and_corrupt_files_are_refused_with_where() {
        let newer = Progress::parse("p.json", r#"{"version": 9, "whatever": []}"#).unwrap_err();
        assert!(
            matches!(newer, ProgressError::Newer { found: 9, .. }),
            "{newer}"
        );
        let bad = Progress::parse("p.json", "{\n  \"version\": 1,\n  \"labs\": 3\n}").unwrap_err();
        assert!(
            bad.to_string().starts_with("p.json:3:"),
            "line and column lead: {bad}"
        );
        let typo = Progress::parse("p.json", r#"{"version": 1, "lab": {}}"#).unwrap_err();
        assert!(typo.to_string().contains("unknown field `lab`"), "{typo}");
    }
}

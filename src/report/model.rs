//! The versioned result model shared by labs and quizzes: one run, its items, its score.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped whenever a field changes meaning or disappears (adding optional fields does not).
pub const SCHEMA_VERSION: u32 = 1;

/// What was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    Lab,
    Quiz,
    /// Labs and quizzes graded together into one score (`assignment.yaml`).
    Assignment,
}

impl RunKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RunKind::Lab => "lab",
            RunKind::Quiz => "quiz",
            RunKind::Assignment => "assignment",
        }
    }
}

/// The overall outcome; `error` means the submission could not be graded (exit code 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    Error,
}

/// The status of one item (a lab check or a quiz question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Passed,
    Failed,
    Partial,
    Error,
}

impl ItemStatus {
    /// The status a score earns: full marks pass, some marks are partial, none fail.
    pub fn from_points(points: f64, max_points: f64) -> ItemStatus {
        if max_points <= 0.0 || points >= max_points - 1e-9 {
            ItemStatus::Passed
        } else if points > 1e-9 {
            ItemStatus::Partial
        } else {
            ItemStatus::Failed
        }
    }

    /// Upper-case word used by the plain, TAP and text renderers.
    pub fn word(self) -> &'static str {
        match self {
            ItemStatus::Passed => "PASS",
            ItemStatus::Failed => "FAIL",
            ItemStatus::Partial => "PARTIAL",
            ItemStatus::Error => "ERROR",
        }
    }
}

/// Whether learners see an item's details (hidden lab checks show only their status).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Visible,
    Hidden,
}

/// One graded item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// Stable id (a check id or a question id).
    pub id: String,
    /// Short human name.
    pub name: String,
    pub points: f64,
    pub max_points: f64,
    pub status: ItemStatus,
    /// A required item must pass for the run to pass, whatever the points.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// What happened: the learner's answer, the reason for a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default)]
    pub visibility: Visibility,
    /// Why: rationale for the chosen options, explanation, hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// What a passing answer or state looks like (shown when the item is not passed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// Syllabus concept ids this item tests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<String>,
    /// Hints revealed for this item with `amilab hint` (labs).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub hints_used: u32,
    /// Points taken off `points` for those hints (the lab's `hint_cost` each, at most what the
    /// item earned); the status is the verdict's, before this.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub hint_penalty: f64,
    /// Seconds spent on this item; absent when timings are switched off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_seconds: Option<f64>,
    /// Not graded, only listed: an answer to a question the paper does not have. It is worth
    /// nothing, and the CI formats (JUnit, TAP, GitHub, Gradescope) report it as a warning
    /// rather than count it as a test.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub note: bool,
    /// `points` before rounding to two decimals, when known: the run's percentage is computed
    /// from these, so that three thirds make 100% and not 99%. Written out only when it differs
    /// from `points` (`0.3333333333333333`), so that a result read back — a resumed or merged
    /// `amilab grade` — has the same percentage as when it was graded; a result without it
    /// falls back to `points`.
    #[serde(default, skip_serializing_if = "exact_is_shown")]
    pub exact_points: Option<f64>,
}

/// Whether an item's exact points need not be written: unknown, or what `points` shows.
fn exact_is_shown(exact: &Option<f64>) -> bool {
    exact.is_none_or(|e| round2(e) == e)
}

impl ItemResult {
    /// A new item; the status follows from the points.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        points: f64,
        max_points: f64,
    ) -> Self {
        let exact = points.clamp(0.0, max_points.max(0.0));
        let points = round2(exact);
        ItemResult {
            id: id.into(),
            name: name.into(),
            points,
            max_points,
            status: ItemStatus::from_points(points, max_points),
            required: false,
            message: None,
            visibility: Visibility::Visible,
            feedback: None,
            expected: None,
            found: None,
            concepts: Vec::new(),
            hints_used: 0,
            hint_penalty: 0.0,
            time_seconds: None,
            note: false,
            exact_points: Some(exact),
        }
    }

    /// The points before rounding (`points` when they are not known).
    pub fn exact(&self) -> f64 {
        self.exact_points.unwrap_or(self.points)
    }

    /// Sets the points to `exact`, keeping it for the percentage and rounding what is shown.
    pub fn set_points(&mut self, exact: f64) {
        self.exact_points = Some(exact);
        self.points = round2(exact);
    }

    /// Whether this item is only a note (see [`ItemResult::note`]), not something graded.
    pub fn is_note(&self) -> bool {
        self.note
    }

    /// An item that could not be evaluated (scores 0).
    pub fn error(
        id: impl Into<String>,
        name: impl Into<String>,
        max_points: f64,
        message: impl Into<String>,
    ) -> Self {
        let mut item = ItemResult::new(id, name, 0.0, max_points);
        item.status = ItemStatus::Error;
        item.message = Some(message.into());
        item
    }

    /// `3 hints taken: 1.5 points off` when hints cost this item points: every format says it,
    /// passed items included (their points dropped though their verdict stands).
    pub fn hint_charge(&self) -> Option<String> {
        (self.hint_penalty > 0.0).then(|| {
            format!(
                "{} taken: {} off",
                amilab_text::plural(self.hints_used, "hint", "hints"),
                points_text(self.hint_penalty)
            )
        })
    }

    /// The name as reports show it: `Name (required)` for a required item.
    pub fn label(&self) -> String {
        if self.required {
            format!("{} (required)", self.name)
        } else {
            self.name.clone()
        }
    }
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}

/// sha256 of one file the run read: the lab or quiz file, the script or the answers file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceHash {
    pub path: String,
    pub sha256: String,
}

impl SourceHash {
    pub fn of(path: impl Into<String>, bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
        SourceHash {
            path: path.into(),
            sha256,
        }
    }
}

/// How a graded script ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScriptStatus {
    /// It ran to its end.
    Completed,
    /// An error nobody caught stopped it; the state it reached was graded.
    RuntimeError,
    /// A sandbox limit stopped it; the state it reached was graded, the run counts as an error.
    LimitExceeded,
    /// It does not parse; nothing ran and nothing was graded.
    SyntaxError,
    /// amilab itself failed while it ran (a bug, contained); nothing was graded.
    InternalError,
}

/// Why a graded script stopped early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptError {
    /// The AWS error code, when an API call failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What usually causes this error and what to do, as `amilab run` shows it under the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl ScriptError {
    /// `message (line L, column C)`.
    pub fn describe(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{} (line {l}, column {c})", self.message),
            (Some(l), None) => format!("{} (line {l})", self.message),
            _ => self.message.clone(),
        }
    }
}

/// What a graded script did, kept apart from the verdict: nothing here changes a score, and
/// every renderer marks the printed output as the learner's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub status: ScriptStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ScriptError>,
    /// API calls the script made.
    pub api_calls: u64,
    /// Simulated seconds the script's run took.
    pub simulated_seconds: u64,
    /// What the script printed (learner text, bounded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub output_truncated: bool,
}

/// One part of an assignment: a lab or a quiz, its share of the assignment's points, and what
/// was graded for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartResult {
    /// `lab` or `quiz`.
    pub kind: RunKind,
    /// The lab's or quiz's id: the prefix of its items' ids (`<id>/<item>`).
    pub id: String,
    pub title: String,
    /// Points earned in the assignment: the sum of the part's items.
    pub score: f64,
    /// The part's points in the assignment (its `points:`).
    pub max_score: f64,
    /// The seed of the learner's variant (lab) or paper (quiz).
    pub seed: u64,
    /// Whether the part on its own reached its lab's or quiz's pass mark (and its required
    /// checks passed); informative: the assignment's pass mark decides.
    pub passed: bool,
    /// The part must pass on its own (`passed`) for the assignment to pass.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The file graded for this part (a script or an answers file), as found in the
    /// submission folder; absent when none was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What the learner should know about the part: the file that was expected, why it could
    /// not be graded, how the script stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl PartResult {
    /// The part's score as a percentage of its points (100 when it has none).
    pub fn percent(&self) -> f64 {
        if self.max_score <= 0.0 {
            100.0
        } else {
            self.score * 100.0 / self.max_score
        }
    }
}

/// Wall-clock timings; absent when switched off so that outputs stay byte-identical.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Timings {
    pub total_seconds: f64,
}

/// The result of grading one run: a lab submission or a quiz answers file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunResult {
    pub schema_version: u32,
    pub kind: RunKind,
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
    /// The seed the run was drawn / simulated with.
    pub seed: u64,
    /// `seed` as a decimal string. JavaScript (and every JSON reader that turns numbers into
    /// doubles) reads a u64 above 2^53 wrongly, and seeds drawn from a learner's hash usually
    /// are: read this field there. Added beside `seed` rather than replacing it, so that
    /// readers of schema version 1 keep working (adding a field does not bump the version).
    #[serde(default)]
    pub seed_text: String,
    pub score: f64,
    pub max_score: f64,
    /// Percentage of `max_score` needed to pass.
    pub pass_mark: f64,
    /// When the assignment is due, as its file gives it (RFC 3339); shown, never compared with
    /// the clock (assignments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    pub passed: bool,
    pub outcome: Outcome,
    /// Why the run could not be graded (outcome `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub items: Vec<ItemResult>,
    /// Each part's subtotal, in the assignment's order (assignments); the items carry the
    /// same points, as `<part>/<item>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartResult>,
    /// The lab or quiz file first (the hash `--lab-sha256` / `--quiz-sha256` pin), then the
    /// submission (script or answers file) when it could be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceHash>,
    /// The graded script's run (labs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<Submission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
}

impl RunResult {
    /// A run with no items yet; call [`RunResult::finish`] after pushing them.
    pub fn new(
        kind: RunKind,
        id: impl Into<String>,
        title: impl Into<String>,
        seed: u64,
        pass_mark: f64,
    ) -> Self {
        RunResult {
            schema_version: SCHEMA_VERSION,
            kind,
            id: id.into(),
            title: title.into(),
            learner: None,
            seed,
            seed_text: seed.to_string(),
            score: 0.0,
            max_score: 0.0,
            pass_mark,
            passed: false,
            outcome: Outcome::Failed,
            error: None,
            items: Vec::new(),
            sources: Vec::new(),
            submission: None,
            due: None,
            parts: Vec::new(),
            timings: None,
        }
    }

    /// Sums the items and decides `passed` / `outcome` (an `error` set beforehand wins). A run
    /// passes when it reaches the pass mark, every required item passed and every required
    /// part (assignments) passed.
    pub fn finish(&mut self) {
        self.score = round2(self.items.iter().map(|i| i.points).sum());
        self.max_score = round2(self.items.iter().map(|i| i.max_points).sum());
        self.passed = self.error.is_none()
            && self.percent() + 1e-9 >= self.pass_mark
            && self.failed_required().is_empty()
            && self.failed_required_parts().is_empty();
        self.outcome = if self.error.is_some() {
            Outcome::Error
        } else if self.passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        };
    }

    /// The score as a percentage of the maximum (100 when there is nothing to score),
    /// computed from the items' unrounded points: rounding each item first would make three
    /// thirds 99% (0.33 + 0.33 + 0.33), and could pass or fail a run at the pass mark.
    pub fn percent(&self) -> f64 {
        let (score, max) = if self.items.is_empty() {
            (self.score, self.max_score)
        } else {
            (
                self.items.iter().map(ItemResult::exact).sum::<f64>(),
                self.items.iter().map(|i| i.max_points).sum::<f64>(),
            )
        };
        if max <= 0.0 {
            100.0
        } else {
            score * 100.0 / max
        }
    }

    /// The items that are graded (every item but the [`ItemResult::is_note`] ones): what the
    /// CI formats count as tests.
    pub fn graded_items(&self) -> impl Iterator<Item = &ItemResult> {
        self.items.iter().filter(|i| !i.is_note())
    }

    /// The note items (answers to unknown questions): warnings, not tests.
    pub fn notes(&self) -> impl Iterator<Item = &ItemResult> {
        self.items.iter().filter(|i| i.is_note())
    }

    /// The ids of the required items that did not pass, in report order.
    pub fn failed_required(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| i.required && i.status != ItemStatus::Passed)
            .map(|i| i.id.as_str())
            .collect()
    }

    /// The ids of the required parts (assignments) that did not pass on their own.
    pub fn failed_required_parts(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|p| p.required && !p.passed)
            .map(|p| p.id.as_str())
            .collect()
    }

    /// `passed`, `not passed`, or `not passed: required check(s) X, Y failed` (and `required
    /// part(s) Z not passed`) when something required, not the points, decided.
    pub fn verdict(&self) -> String {
        if self.passed {
            return "passed".to_string();
        }
        let checks = self.failed_required();
        let parts = self.failed_required_parts();
        if self.error.is_some() || (checks.is_empty() && parts.is_empty()) {
            return "not passed".to_string();
        }
        let mut why = Vec::new();
        if !checks.is_empty() {
            let noun = amilab_text::noun(checks.len(), "required check", "required checks");
            why.push(format!("{noun} {} failed", checks.join(", ")));
        }
        if !parts.is_empty() {
            let noun = amilab_text::noun(parts.len(), "required part", "required parts");
            why.push(format!("{noun} {} not passed", parts.join(", ")));
        }
        format!("not passed: {}", why.join("; "))
    }

    /// `Score 9/9 (100%), pass mark 80%: passed`: the summary line of the text formats.
    pub fn score_sentence(&self) -> String {
        format!(
            "Score {}/{} ({}%), pass mark {}%: {}",
            fmt_points(self.score),
            fmt_points(self.max_score),
            fmt_points(self.percent()),
            fmt_points(self.pass_mark),
            self.verdict()
        )
    }

    /// DESIGN.md's exit codes: 0 passed, 1 graded and not passed, 3 could not be graded.
    pub fn exit_code(&self) -> u8 {
        match self.outcome {
            Outcome::Passed => 0,
            Outcome::Failed => 1,
            Outcome::Error => 3,
        }
    }

    /// Removes every timing, for byte-identical output.
    pub fn strip_timings(&mut self) {
        self.timings = None;
        for item in &mut self.items {
            item.time_seconds = None;
        }
    }
}

/// Rounds to two decimals (scores are shown and compared at that precision).
pub fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Points with the noun that agrees with them as shown: `0 points`, `1 point`, `1.5 points`.
pub fn points_text(x: f64) -> String {
    amilab_text::plural(fmt_points(x), "point", "points")
}

/// A score for humans: at most two decimals, no trailing zeros (`1`, `0.5`, `0.33`).
pub fn fmt_points(x: f64) -> String {
    let s = format!("{:.2}", round2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_from_points() {
        assert_eq!(ItemStatus::from_points(1.0, 1.0), ItemStatus::Passed);
        assert_eq!(ItemStatus::from_points(0.5, 1.0), ItemStatus::Partial);
        assert_eq!(ItemStatus::from_points(0.0, 1.0), ItemStatus::Failed);
    }

    #[test]
    fn finish_and_exit_codes() {
        let mut r = RunResult::new(RunKind::Quiz, "q", "Q", 7, 50.0);
        r.items.push(ItemResult::new("a", "A", 1.0, 1.0));
        r.items.push(ItemResult::new("b", "B", 0.0, 1.0));
        r.finish();
        assert_eq!(
            (r.score, r.max_score, r.passed, r.exit_code()),
            (1.0, 2.0, true, 0)
        );
        r.pass_mark = 51.0;
        r.finish();
        assert_eq!((r.passed, r.exit_code()), (false, 1));
        r.error = Some("syntax error".into());
        r.finish();
        assert_eq!((r.outcome, r.exit_code()), (Outcome::Error, 3));
    }

    #[test]
    fn percent_comes_from_unrounded_points() {
        // Three items of 2/3 point each: 0.67 shown each, 2.01 of 3 once rounded (67%), but
        // 2 of 3 (66.67%) in truth, under a pass mark of 67%.
        let mut r = RunResult::new(RunKind::Quiz, "q", "Q", 7, 67.0);
        for id in ["a", "b", "c"] {
            r.items.push(ItemResult::new(id, id, 2.0 / 3.0, 1.0));
        }
        r.finish();
        assert_eq!(r.items[0].points, 0.67);
        assert_eq!((r.score, r.max_score), (2.01, 3.0));
        assert!((r.percent() - 200.0 / 3.0).abs() < 1e-9, "{}", r.percent());
        assert_eq!(fmt_points(r.percent()), "66.67");
        assert!(!r.passed, "66.67% is under a 67% pass mark");
        // Points set after the fact keep their exact value too; read back from JSON (no
        // exact value), the rounded points count.
        r.items[0].set_points(1.0 / 3.0);
        assert_eq!(r.items[0].points, 0.33);
        assert!((r.percent() - 500.0 / 9.0).abs() < 1e-9);
        // Read back from JSON, the exact points are there (a resumed or merged batch agrees
        // with the grading); a result written without them falls back to the rounded points.
        let json = serde_json::to_string(&r).unwrap();
        let back: RunResult = serde_json::from_str(&json).unwrap();
        assert_eq!(back.items[0].exact_points, Some(1.0 / 3.0));
        assert_eq!(back.percent(), r.percent());
        let mut plain: serde_json::Value = serde_json::from_str(&json).unwrap();
        for item in plain["items"].as_array_mut().unwrap() {
            item.as_object_mut().unwrap().remove("exact_points");
        }
        let back: RunResult = serde_json::from_value(plain).unwrap();
        assert!((back.percent() - 167.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_seed_is_written_as_a_string_too() {
        let r = RunResult::new(RunKind::Lab, "l", "L", u64::MAX, 50.0);
        let v: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(v["seed_text"], "18446744073709551615");
    }

    #[test]
    fn a_required_part_not_passed_fails_the_run_and_says_so() {
        let mut r = RunResult::new(RunKind::Assignment, "a", "A", 1, 50.0);
        r.items.push(ItemResult::new("lab/x", "X", 1.0, 2.0));
        r.items.push(ItemResult::new("quiz/y", "Y", 2.0, 2.0));
        r.parts.push(PartResult {
            kind: RunKind::Lab,
            id: "lab".into(),
            title: "Lab".into(),
            score: 1.0,
            max_score: 2.0,
            seed: 0,
            passed: false,
            required: false,
            file: None,
            message: None,
        });
        r.finish();
        assert!(r.passed, "75 % and nothing required");
        r.parts[0].required = true;
        r.finish();
        assert_eq!((r.passed, r.exit_code()), (false, 1));
        assert_eq!(r.verdict(), "not passed: required part lab not passed");
        r.items[0].required = true;
        r.finish();
        assert_eq!(
            r.verdict(),
            "not passed: required check lab/x failed; required part lab not passed"
        );
    }

    #[test]
    fn points_format() {
        assert_eq!(fmt_points(1.0), "1");
        assert_eq!(fmt_points(0.5), "0.5");
        assert_eq!(fmt_points(1.0 / 3.0), "0.33");
        assert_eq!(fmt_points(0.0), "0");
        assert_eq!(fmt_points(12.0), "12");
    }

    #[test]
    fn sha256_hex() {
        assert_eq!(
            SourceHash::of("x", b"abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

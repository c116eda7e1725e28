//! The statistics of a graded class: per item difficulty, discrimination, hint use and errors;
//! the score distribution; the AWS error codes the class ran into.

use std::collections::BTreeMap;

use super::read::{Class, ItemStatus, RunOutcome};

/// An item whose discrimination is below this teaches badly: it does not tell the learners who
/// master the rest apart from those who do not (negative: the better ones fail it more).
pub const MIN_DISCRIMINATION: f64 = 0.2;
/// An item passed by more than this share of learners is too easy to tell anyone apart.
pub const MAX_PASS_RATE: f64 = 0.95;
/// An item passed by fewer than this share of learners is too hard (or broken).
pub const MIN_PASS_RATE: f64 = 0.2;

/// Everything `amilab stats` reports about one class.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassStats {
    /// `lab`, `quiz` or `assignment`.
    pub kind: String,
    pub id: String,
    pub title: String,
    pub sha256: String,
    /// The files read, in the order given.
    pub files: Vec<String>,
    /// Learners in the files, gradable or not.
    pub learners: usize,
    /// Submissions that could not be graded (outcome `error`), by learner. They are left out of
    /// the item statistics and the score distribution: nothing of theirs ran (a syntax error,
    /// a sandbox limit), so their zeros would say nothing about any item, pull every pass rate
    /// down alike and make every item look discriminating for a reason that is no item's.
    pub ungradable: Vec<Ungradable>,
    pub scores: ScoreSummary,
    /// One per item, in the content's order (first appearance, learners in order).
    pub items: Vec<ItemStats>,
    /// Every AWS error code in the class's API trails (all learners, gradable or not), most
    /// learners first, then most occurrences, then by code.
    pub aws_errors: Vec<AwsErrorCount>,
}

/// A submission that could not be graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ungradable {
    pub learner: String,
    pub submission: String,
    /// Why, as the grader said it (empty when it did not).
    pub error: String,
}

/// The distribution of the graded submissions' scores, in percent of the maximum.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSummary {
    /// Graded submissions (ungradable ones are not counted).
    pub count: usize,
    /// How many of them passed (pass mark reached and every required item passed).
    pub passed: usize,
    /// `passed / count`; `None` when nothing was graded.
    pub pass_rate: Option<f64>,
    pub mean_percent: Option<f64>,
    pub median_percent: Option<f64>,
    /// Counts in 10-point bins: `[0, 10)`, `[10, 20)`, …, `[90, 100]` (100 % is in the last).
    pub histogram: [usize; 10],
}

/// The statistics of one item (a lab check or a quiz question) over the graded submissions
/// that have it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStats {
    /// 1-based position, as the charts label it.
    pub number: usize,
    pub id: String,
    pub name: String,
    pub max_points: f64,
    /// Graded submissions that have this item.
    pub n: usize,
    /// Learners with full marks: the item's verdict is `passed` (a hint penalty may have taken
    /// points off since, the verdict stands).
    pub full_marks: usize,
    /// Difficulty: `full_marks / n`.
    pub pass_rate: f64,
    /// Mean points earned (after hint penalties), out of `max_points`.
    pub mean_points: f64,
    /// Point-biserial correlation of the full-marks indicator with the rest of the score.
    pub discrimination: Discrimination,
    /// Learners who revealed at least one hint for this item.
    pub hint_learners: usize,
    /// Mean hints revealed per learner (all `n` learners, those with none included).
    pub mean_hints: f64,
    /// Submissions in which this item could not be evaluated (status `error`).
    pub errors: usize,
    /// `errors / n`.
    pub error_share: f64,
    /// Why this item may teach badly (empty: it looks fine).
    pub flags: Vec<Flag>,
}

/// An item's discrimination, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Discrimination {
    /// The correlation, in [-1, 1].
    Value(f64),
    /// Undefined; the reason in words (`every learner passed it`, …).
    Undefined(String),
}

impl Discrimination {
    /// The value, when there is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            Discrimination::Value(r) => Some(*r),
            Discrimination::Undefined(_) => None,
        }
    }
}

/// Why an item may teach badly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    /// Pass rate above [`MAX_PASS_RATE`].
    TooEasy,
    /// Pass rate below [`MIN_PASS_RATE`].
    TooHard,
    /// Discrimination below [`MIN_DISCRIMINATION`] and not negative.
    LowDiscrimination,
    /// Discrimination below zero: learners who do well on the rest fail this item more often.
    NegativeDiscrimination,
}

impl Flag {
    /// The flag's name in JSON and in plain text (`too_easy`, …).
    pub fn name(self) -> &'static str {
        match self {
            Flag::TooEasy => "too_easy",
            Flag::TooHard => "too_hard",
            Flag::LowDiscrimination => "low_discrimination",
            Flag::NegativeDiscrimination => "negative_discrimination",
        }
    }

    /// The flag in words for people (`too easy`, …).
    pub fn words(self) -> &'static str {
        match self {
            Flag::TooEasy => "too easy",
            Flag::TooHard => "too hard",
            Flag::LowDiscrimination => "low discrimination",
            Flag::NegativeDiscrimination => "negative discrimination",
        }
    }
}

/// How often one AWS error code occurred across the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsErrorCount {
    pub code: String,
    /// Learners whose trail has it at least once.
    pub learners: usize,
    /// Occurrences over all trails.
    pub occurrences: u64,
}

/// The rule that flags items, in one sentence (the text and the page say it).
pub fn flag_rule() -> String {
    format!(
        "an item is flagged when its discrimination is below {MIN_DISCRIMINATION} (or negative), or its pass rate is above {MAX_PASS_RATE} or below {MIN_PASS_RATE}"
    )
}

/// What discrimination means here, in one sentence (the text and the page say it).
pub const DISCRIMINATION_RULE: &str = "discrimination is the point-biserial correlation between full marks on the item (0 or 1) and the rest of the score (the total without this item's points), over the graded submissions";

/// Why ungradable submissions are counted apart (the text and the page say it).
pub const UNGRADABLE_RULE: &str = "submissions that could not be graded (outcome error) are counted and listed apart and left out of the item statistics and the score distribution: nothing of theirs was graded, so their zeros say nothing about any item";

/// Computes the statistics of `class`.
pub fn compute(class: &Class) -> ClassStats {
    let mut ungradable = Vec::new();
    let mut graded = Vec::new();
    for r in &class.records {
        if r.line.result.outcome == RunOutcome::Error {
            ungradable.push(Ungradable {
                learner: r.line.learner.clone(),
                submission: r.line.submission.clone(),
                error: r.line.result.error.clone().unwrap_or_default(),
            });
        } else {
            graded.push(&r.line);
        }
    }

    // Score distribution.
    let percents: Vec<f64> = graded
        .iter()
        .map(|l| percent(l.result.score, l.result.max_score))
        .collect();
    let mut histogram = [0usize; 10];
    for p in &percents {
        histogram[((p / 10.0).floor().max(0.0) as usize).min(9)] += 1;
    }
    let passed = graded.iter().filter(|l| l.result.passed).count();
    let scores = ScoreSummary {
        count: graded.len(),
        passed,
        pass_rate: ratio(passed, graded.len()),
        mean_percent: mean(&percents),
        median_percent: median(&percents),
        histogram,
    };

    // Items, in order of first appearance.
    let mut order: Vec<(String, String, f64)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for l in &graded {
        for item in &l.result.items {
            if !index.contains_key(&item.id) {
                index.insert(item.id.clone(), order.len());
                order.push((item.id.clone(), item.name.clone(), item.max_points));
            }
        }
    }
    let items = order
        .into_iter()
        .enumerate()
        .map(|(i, (id, name, max_points))| {
            let mut full = Vec::new();
            let mut rest = Vec::new();
            let (mut points, mut hints, mut hint_learners, mut errors) = (0.0, 0u64, 0, 0);
            for l in &graded {
                let Some(item) = l.result.items.iter().find(|it| it.id == id) else {
                    continue;
                };
                full.push(item.status == ItemStatus::Passed);
                rest.push(l.result.score - item.points);
                points += item.points;
                hints += u64::from(item.hints_used);
                hint_learners += usize::from(item.hints_used > 0);
                errors += usize::from(item.status == ItemStatus::Error);
            }
            let n = full.len();
            let full_marks = full.iter().filter(|f| **f).count();
            let pass_rate = ratio(full_marks, n).unwrap_or(0.0);
            let discrimination = point_biserial(&full, &rest);
            ItemStats {
                number: i + 1,
                flags: flags(pass_rate, &discrimination),
                id,
                name,
                max_points,
                n,
                full_marks,
                pass_rate,
                mean_points: points / n.max(1) as f64,
                discrimination,
                hint_learners,
                mean_hints: hints as f64 / n.max(1) as f64,
                errors,
                error_share: ratio(errors, n).unwrap_or(0.0),
            }
        })
        .collect();

    // AWS error codes over every learner's trail.
    let mut codes: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for r in &class.records {
        for (code, count) in &r.line.aws_errors {
            if *count > 0 {
                let e = codes.entry(code).or_default();
                e.0 += 1;
                e.1 += count;
            }
        }
    }
    let mut aws_errors: Vec<AwsErrorCount> = codes
        .into_iter()
        .map(|(code, (learners, occurrences))| AwsErrorCount {
            code: code.to_string(),
            learners,
            occurrences,
        })
        .collect();
    aws_errors.sort_by(|a, b| {
        (b.learners, b.occurrences)
            .cmp(&(a.learners, a.occurrences))
            .then_with(|| a.code.cmp(&b.code))
    });

    ClassStats {
        kind: class.content.kind.clone(),
        id: class.content.id.clone(),
        title: class.title.clone(),
        sha256: class.content.sha256.clone(),
        files: class
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect(),
        learners: class.records.len(),
        ungradable,
        scores,
        items,
        aws_errors,
    }
}

/// The flags an item earns by [`flag_rule`].
fn flags(pass_rate: f64, discrimination: &Discrimination) -> Vec<Flag> {
    let mut out = Vec::new();
    if pass_rate > MAX_PASS_RATE {
        out.push(Flag::TooEasy);
    }
    if pass_rate < MIN_PASS_RATE {
        out.push(Flag::TooHard);
    }
    match discrimination.value() {
        Some(r) if r < 0.0 => out.push(Flag::NegativeDiscrimination),
        Some(r) if r < MIN_DISCRIMINATION => out.push(Flag::LowDiscrimination),
        _ => {}
    }
    out
}

/// A score in percent of its maximum, to two decimals (100 when there is nothing to score, as
/// the report says it).
pub fn percent(score: f64, max_score: f64) -> f64 {
    if max_score <= 0.0 {
        100.0
    } else {
        (score * 100.0 / max_score * 100.0).round() / 100.0
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// The point-biserial correlation between a 0/1 indicator and a score: Pearson's r with the
/// indicator as one variable, equal to `(M1 − M0) / s · √(p·q)` with `s` the population
/// standard deviation of the scores.
///
/// # Errors
/// [`Discrimination::Undefined`] with the reason when fewer than two learners have the item or
/// either variable has zero variance (everyone or no one passed; the same rest for everyone).
pub fn point_biserial(indicator: &[bool], score: &[f64]) -> Discrimination {
    debug_assert_eq!(indicator.len(), score.len());
    let n = indicator.len();
    if n < 2 {
        return Discrimination::Undefined(format!(
            "{} graded: a correlation needs at least 2",
            amilab_text::plural(n, "submission", "submissions")
        ));
    }
    let ones = indicator.iter().filter(|b| **b).count();
    if ones == n {
        return Discrimination::Undefined("every learner passed it".to_string());
    }
    if ones == 0 {
        return Discrimination::Undefined("no learner passed it".to_string());
    }
    let x: Vec<f64> = indicator.iter().map(|b| f64::from(u8::from(*b))).collect();
    let (mx, my) = (
        x.iter().sum::<f64>() / n as f64,
        score.iter().sum::<f64>() / n as f64,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (xi, yi) in x.iter().zip(score) {
        sxy += (xi - mx) * (yi - my);
        sxx += (xi - mx) * (xi - mx);
        syy += (yi - my) * (yi - my);
    }
    // Scores carry two decimals: anything below this is rounding noise, not spread.
    if syy / n as f64 <= 1e-9 {
        return Discrimination::Undefined(
            "the rest of the score is the same for every learner".to_string(),
        );
    }
    Discrimination::Value((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn point_biserial_matches_a_hand_computed_example() {
        // Passed: 10 and 7 (M1 = 8.5); failed: 6, 8, 4 (M0 = 6); p = 0.4, q = 0.6; the scores'
        // mean is 7 and their population variance (9+1+1+0+9)/5 = 4, so s = 2:
        // r = (8.5 − 6) / 2 · √0.24 = 1.25 · 0.4898979… = 0.6123724…
        let r = point_biserial(
            &[true, false, false, true, false],
            &[10.0, 6.0, 8.0, 7.0, 4.0],
        );
        let expected = 1.25 * 0.24f64.sqrt();
        assert!(close(r.value().unwrap(), expected), "{r:?}");
        assert!(close(expected, 0.612_372_435_695_794_5));
        // Swapping who passed reverses the sign.
        let r = point_biserial(
            &[false, true, true, false, true],
            &[10.0, 6.0, 8.0, 7.0, 4.0],
        );
        assert!(close(r.value().unwrap(), -expected));
    }

    #[test]
    fn point_biserial_is_undefined_without_variance_or_learners() {
        let why = |d: Discrimination| match d {
            Discrimination::Undefined(w) => w,
            Discrimination::Value(v) => panic!("a value: {v}"),
        };
        assert_eq!(
            why(point_biserial(&[true], &[3.0])),
            "1 submission graded: a correlation needs at least 2"
        );
        assert_eq!(
            why(point_biserial(&[], &[])),
            "0 submissions graded: a correlation needs at least 2"
        );
        assert_eq!(
            why(point_biserial(&[true, true], &[1.0, 2.0])),
            "every learner passed it"
        );
        assert_eq!(
            why(point_biserial(&[false, false], &[1.0, 2.0])),
            "no learner passed it"
        );
        assert_eq!(
            why(point_biserial(&[true, false], &[2.0, 2.0])),
            "the rest of the score is the same for every learner"
        );
    }

    #[test]
    fn flags_follow_the_rule() {
        let v = Discrimination::Value;
        assert_eq!(flags(0.5, &v(0.5)), []);
        assert_eq!(flags(0.96, &v(0.5)), [Flag::TooEasy]);
        assert_eq!(flags(0.95, &v(0.2)), [], "the bounds themselves pass");
        assert_eq!(
            flags(0.1, &v(0.1)),
            [Flag::TooHard, Flag::LowDiscrimination]
        );
        assert_eq!(flags(0.5, &v(-0.3)), [Flag::NegativeDiscrimination]);
        assert_eq!(
            flags(1.0, &Discrimination::Undefined("x".into())),
            [Flag::TooEasy]
        );
    }

    /// A class from JSON lines (learner, outcome, score, items as (id, points, max, status,
    /// hints), AWS errors).
    fn class(lines: &[&str]) -> Class {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        crate::stats::read_class(&[path]).unwrap()
    }

    fn line(
        learner: &str,
        outcome: &str,
        items: &[(&str, f64, f64, &str, u32)],
        errors: &str,
    ) -> String {
        let score: f64 = items.iter().map(|i| i.1).sum();
        let max: f64 = items.iter().map(|i| i.2).sum();
        let items: Vec<String> = items
            .iter()
            .map(|(id, p, m, st, h)| {
                format!(r#"{{"id":"{id}","name":"{id}","points":{p},"max_points":{m},"status":"{st}","hints_used":{h}}}"#)
            })
            .collect();
        format!(
            r#"{{"learner":"{learner}","content":{{"kind":"quiz","id":"q","sha256":"s"}},"aws_errors":{errors},"result":{{"title":"Q","score":{score},"max_score":{max},"passed":{},"outcome":"{outcome}","items":[{}]}}}}"#,
            outcome == "passed",
            items.join(",")
        )
    }

    #[test]
    fn a_class_with_drawn_questions_an_ungradable_run_and_errors() {
        let c = class(&[
            &line(
                "ann",
                "passed",
                &[("a", 1.0, 1.0, "passed", 2), ("b", 1.0, 1.0, "passed", 0)],
                r#"{"X":2}"#,
            ),
            &line(
                "bob",
                "failed",
                &[("b", 0.0, 1.0, "failed", 0), ("c", 0.5, 1.0, "partial", 0)],
                r#"{"Y":1,"X":1}"#,
            ),
            &line(
                "cyd",
                "failed",
                &[("a", 0.0, 1.0, "error", 1), ("c", 0.7, 1.0, "partial", 0)],
                "{}",
            ),
            &line("dan", "error", &[("a", 0.0, 1.0, "error", 0)], r#"{"Y":5}"#),
        ]);
        let s = compute(&c);
        assert_eq!((s.learners, s.scores.count, s.scores.passed), (4, 3, 1));
        assert_eq!(s.ungradable.len(), 1);
        assert_eq!(s.ungradable[0].learner, "dan");
        // 100 %, 25 %, 35 %: the last bin holds 100 %.
        assert_eq!(s.scores.histogram, [0, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(s.scores.median_percent, Some(35.0));
        // Items in order of first appearance; each over the learners who drew it.
        let ids: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let a = &s.items[0];
        assert_eq!((a.n, a.full_marks, a.errors, a.hint_learners), (2, 1, 1, 2));
        assert!(close(a.mean_hints, 1.5) && close(a.error_share, 0.5));
        // a: passed by ann (rest 1), not by cyd (rest 0.7): r = 1 with two learners.
        assert!(close(a.discrimination.value().unwrap(), 1.0));
        let c_item = &s.items[2];
        assert_eq!(c_item.full_marks, 0);
        assert_eq!(
            c_item.discrimination,
            Discrimination::Undefined("no learner passed it".into())
        );
        assert_eq!(c_item.flags, [Flag::TooHard]);
        assert!(close(c_item.mean_points, 0.6));
        // X: 2 learners, 3 times; Y: 2 learners (the ungradable one too), 6 times.
        let codes: Vec<(&str, usize, u64)> = s
            .aws_errors
            .iter()
            .map(|e| (e.code.as_str(), e.learners, e.occurrences))
            .collect();
        assert_eq!(codes, [("Y", 2, 6), ("X", 2, 3)]);
    }

    #[test]
    fn median_mean_percent_and_bins() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
        assert_eq!(percent(7.0, 10.0), 70.0);
        assert_eq!(percent(1.0, 3.0), 33.33);
        assert_eq!(percent(0.0, 0.0), 100.0);
    }
}

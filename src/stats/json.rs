//! `amilab stats --format json`: the statistics as one stable JSON document.
//!
//! Field names are fixed (see [`StatsJson`]); rates and correlations are rounded to three
//! decimals, points and percentages to two, so that the same class gives the same bytes.

use serde::Serialize;

use super::statistics::{
    flag_rule, ClassStats, Discrimination, DISCRIMINATION_RULE, UNGRADABLE_RULE,
};

/// Bumped when a field changes meaning or disappears (adding fields does not).
pub const STATS_VERSION: u32 = 1;

/// The whole document.
#[derive(Debug, Serialize)]
pub struct StatsJson<'a> {
    pub stats_version: u32,
    pub content: ContentJson<'a>,
    /// The results files read, as given on the command line.
    pub files: &'a [String],
    /// Learners in the files, gradable or not.
    pub learners: usize,
    pub ungradable: UngradableJson<'a>,
    pub scores: ScoresJson,
    pub items: Vec<ItemJson<'a>>,
    pub aws_errors: Vec<AwsErrorJson<'a>>,
    /// The definitions behind the numbers, in words.
    pub rules: RulesJson,
}

/// What was graded.
#[derive(Debug, Serialize)]
pub struct ContentJson<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub title: &'a str,
    pub sha256: &'a str,
}

/// Submissions that could not be graded (left out of the statistics).
#[derive(Debug, Serialize)]
pub struct UngradableJson<'a> {
    pub count: usize,
    pub submissions: Vec<UngradableSubmissionJson<'a>>,
}

/// One ungradable submission.
#[derive(Debug, Serialize)]
pub struct UngradableSubmissionJson<'a> {
    pub learner: &'a str,
    pub submission: &'a str,
    pub error: &'a str,
}

/// The score distribution of the graded submissions (percent of the maximum).
#[derive(Debug, Serialize)]
pub struct ScoresJson {
    pub count: usize,
    pub passed: usize,
    /// `null` when nothing was graded.
    pub pass_rate: Option<f64>,
    pub mean_percent: Option<f64>,
    pub median_percent: Option<f64>,
    /// Ten bins; `to` is exclusive except for the last (100 % counts in 90–100).
    pub histogram: Vec<BinJson>,
}

/// One histogram bin.
#[derive(Debug, Serialize)]
pub struct BinJson {
    pub from_percent: u32,
    pub to_percent: u32,
    pub count: usize,
}

/// One item's statistics.
#[derive(Debug, Serialize)]
pub struct ItemJson<'a> {
    pub number: usize,
    pub id: &'a str,
    pub name: &'a str,
    pub max_points: f64,
    /// Graded submissions that have this item.
    pub learners: usize,
    pub full_marks: usize,
    /// Difficulty: `full_marks / learners`.
    pub pass_rate: f64,
    pub mean_points: f64,
    /// Point-biserial r of full marks with the rest of the score; `null` when undefined.
    pub discrimination: Option<f64>,
    /// Why `discrimination` is `null` (absent when it is not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discrimination_undefined: Option<&'a str>,
    pub hints: HintsJson,
    pub errors: usize,
    pub error_share: f64,
    /// `too_easy`, `too_hard`, `low_discrimination`, `negative_discrimination`.
    pub flags: Vec<&'static str>,
}

/// Hint use on one item.
#[derive(Debug, Serialize)]
pub struct HintsJson {
    /// Learners who revealed at least one hint.
    pub learners: usize,
    /// Hints revealed per learner, on average.
    pub mean_used: f64,
}

/// One AWS error code across the class.
#[derive(Debug, Serialize)]
pub struct AwsErrorJson<'a> {
    pub code: &'a str,
    pub learners: usize,
    pub occurrences: u64,
}

/// The rules, in words.
#[derive(Debug, Serialize)]
pub struct RulesJson {
    pub discrimination: &'static str,
    pub flags: String,
    pub ungradable: &'static str,
}

/// Rounds to `digits` decimals (and never prints `-0`).
pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (x * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The document for `stats`.
pub fn document(stats: &ClassStats) -> StatsJson<'_> {
    let s = &stats.scores;
    StatsJson {
        stats_version: STATS_VERSION,
        content: ContentJson {
            kind: &stats.kind,
            id: &stats.id,
            title: &stats.title,
            sha256: &stats.sha256,
        },
        files: &stats.files,
        learners: stats.learners,
        ungradable: UngradableJson {
            count: stats.ungradable.len(),
            submissions: stats
                .ungradable
                .iter()
                .map(|u| UngradableSubmissionJson {
                    learner: &u.learner,
                    submission: &u.submission,
                    error: &u.error,
                })
                .collect(),
        },
        scores: ScoresJson {
            count: s.count,
            passed: s.passed,
            pass_rate: s.pass_rate.map(|x| round(x, 3)),
            mean_percent: s.mean_percent.map(|x| round(x, 2)),
            median_percent: s.median_percent.map(|x| round(x, 2)),
            histogram: s
                .histogram
                .iter()
                .enumerate()
                .map(|(i, count)| BinJson {
                    from_percent: i as u32 * 10,
                    to_percent: i as u32 * 10 + 10,
                    count: *count,
                })
                .collect(),
        },
        items: stats
            .items
            .iter()
            .map(|i| ItemJson {
                number: i.number,
                id: &i.id,
                name: &i.name,
                max_points: round(i.max_points, 2),
                learners: i.n,
                full_marks: i.full_marks,
                pass_rate: round(i.pass_rate, 3),
                mean_points: round(i.mean_points, 2),
                discrimination: i.discrimination.value().map(|r| round(r, 3)),
                discrimination_undefined: match &i.discrimination {
                    Discrimination::Undefined(why) => Some(why),
                    Discrimination::Value(_) => None,
                },
                hints: HintsJson {
                    learners: i.hint_learners,
                    mean_used: round(i.mean_hints, 2),
                },
                errors: i.errors,
                error_share: round(i.error_share, 3),
                flags: i.flags.iter().map(|f| f.name()).collect(),
            })
            .collect(),
        aws_errors: stats
            .aws_errors
            .iter()
            .map(|e| AwsErrorJson {
                code: &e.code,
                learners: e.learners,
                occurrences: e.occurrences,
            })
            .collect(),
        rules: RulesJson {
            discrimination: DISCRIMINATION_RULE,
            flags: flag_rule(),
            ungradable: UNGRADABLE_RULE,
        },
    }
}

/// The document as pretty-printed JSON with a final newline.
pub fn render(stats: &ClassStats) -> String {
    // No Azure Pipelines command in learner text when the document is printed in a CI log.
    let mut text = crate::report::escape::json_no_commands(
        &serde_json::to_string_pretty(&document(stats))
            .expect("the statistics document has only strings, numbers and lists"),
    );
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn rounding_never_gives_negative_zero() {
        assert_eq!(super::round(-0.0001, 3).to_string(), "0");
        assert_eq!(super::round(0.61237, 3), 0.612);
        assert_eq!(super::round(66.666_666, 2), 66.67);
    }
}

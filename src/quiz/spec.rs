//! The quiz file format (`quizzes/<id>.yaml`): serde types, strict (`deny_unknown_fields`).
//!
//! Questions are one flat struct with a `kind`; the fields each kind uses are checked by
//! [`crate::quiz::validate`], which names any field a kind does not use.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

/// When the learner sees rationale in `amilab quiz take`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackTiming {
    /// After each answer.
    #[default]
    AfterEach,
    /// Only on the score card at the end.
    AtEnd,
}

/// A quiz: a bank of questions, drawn and shuffled per learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizSpec {
    /// Lower-case id, the file name without `.yaml` (`ami-anatomy`).
    pub id: String,
    pub title: String,
    /// Markdown shown before the first question.
    #[serde(default)]
    pub intro: String,
    /// Syllabus concept ids the quiz covers (see CONCEPTS.md).
    #[serde(default)]
    pub concepts: Vec<String>,
    /// Percentage of the maximum score needed to pass (0–100).
    pub pass_mark: f64,
    /// Draw this many questions from the pool (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick: Option<usize>,
    /// Shuffle the question order per learner.
    #[serde(default = "yes")]
    pub shuffle_questions: bool,
    /// Shuffle options, steps and match targets per learner (pinned options keep their place).
    #[serde(default = "yes")]
    pub shuffle_options: bool,
    /// When rationale is shown in interactive mode.
    #[serde(default)]
    pub feedback: FeedbackTiming,
    /// Show the correct answer in reports (otherwise only the rationale of what was chosen).
    #[serde(default = "yes")]
    pub reveal_answers: bool,
    pub questions: Vec<QuestionSpec>,
}

/// Question kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One correct option.
    Single,
    /// One or more correct options, scored by `scoring`.
    Multiple,
    /// A statement that is true or false.
    TrueFalse,
    /// A number, with a tolerance or a range.
    Numeric,
    /// Free text: accepted answers or a regex.
    Text,
    /// Put steps in order.
    Order,
    /// Pair left items with right items.
    Match,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::TrueFalse => "true_false",
            Kind::Numeric => "numeric",
            Kind::Text => "text",
            Kind::Order => "order",
            Kind::Match => "match",
        }
    }
}

/// How a `multiple` question is scored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MultipleScoring {
    /// Full points for exactly the correct set, otherwise 0.
    AllOrNothing,
    /// Each option is judged on its own (ticked if correct, left if wrong); the score is the
    /// share judged right. Ticking nothing, or ticking every option when some are wrong, scores 0.
    #[default]
    Partial,
    /// Each correct tick earns points/#correct, each wrong tick costs points/#wrong; floor 0.
    RightMinusWrong,
}

/// One option of a `single` or `multiple` question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Why this option is right or wrong (required by validation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Keep this option at its place when options are shuffled ("all of the above").
    #[serde(default)]
    pub pin: bool,
}

/// One pair of a `match` question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairSpec {
    pub left: String,
    pub right: String,
    /// Why they belong together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

/// One question. Which fields apply depends on `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionSpec {
    /// Unique within the quiz; answers files key on it.
    pub id: String,
    pub kind: Kind,
    /// A short name for reports (default: the prompt's first line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Markdown.
    pub prompt: String,
    #[serde(default = "one")]
    pub points: f64,
    /// Syllabus concept ids (at least one).
    #[serde(default)]
    pub concepts: Vec<String>,
    /// Shown after answering, whatever the answer (required for kinds without options).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,

    /// single / multiple: the options, in authoring order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionSpec>,
    /// multiple: the scoring rule (default `partial`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<MultipleScoring>,

    /// true_false: whether the statement is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<bool>,
    /// true_false: rationale shown to someone who answered `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale_true: Option<String>,
    /// true_false: rationale shown to someone who answered `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale_false: Option<String>,

    /// numeric: the expected value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// numeric: accepted absolute difference from `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// numeric: accepted difference as a fraction of `value` (0.1 = 10 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_tolerance: Option<f64>,
    /// numeric: accepted inclusive range `[low, high]` (instead of `value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// numeric: the unit, shown after the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,

    /// text: accepted answers (compared ignoring case and extra whitespace).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<String>,
    /// text: a regex the whole (trimmed) answer must match; case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,

    /// order: the steps, in the correct order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,

    /// match: the correct pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<PairSpec>,
    /// match: extra right-hand items that match nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distractors: Vec<String>,
}

impl QuestionSpec {
    /// The short name used in reports.
    pub fn name(&self) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        let first = self
            .prompt
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let chars: Vec<char> = first.chars().collect();
        if chars.len() > 72 {
            let cut: String = chars[..71].iter().collect();
            format!("{}…", cut.trim_end())
        } else {
            first.to_string()
        }
    }

    /// The right-hand items of a `match` question: the pairs' right sides, then distractors.
    pub fn match_targets(&self) -> Vec<&str> {
        self.pairs
            .iter()
            .map(|p| p.right.as_str())
            .chain(self.distractors.iter().map(String::as_str))
            .collect()
    }

    /// The number of items a learner orders or picks from (options, steps, match targets).
    pub fn choice_count(&self) -> usize {
        match self.kind {
            Kind::Single | Kind::Multiple => self.options.len(),
            Kind::Order => self.steps.len(),
            Kind::Match => self.pairs.len() + self.distractors.len(),
            _ => 0,
        }
    }

    pub fn scoring(&self) -> MultipleScoring {
        self.scoring.unwrap_or_default()
    }
}

//! Answers files (for CI): the format, strict parsing, and turning each answer into a
//! [`Response`] for its question — or a clear per-question message when its shape is wrong.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::draw::DrawnQuestion;
use super::number::parse_number;
use super::spec::Kind;
use amilab_text::plural;

/// An answers file: which quiz, whose paper, and one answer per question id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// The quiz id.
    pub quiz: String,
    /// The learner whose paper (draw and option letters) these answers refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
    /// Question id → answer. Shapes by kind: single `b`; multiple `[a, c]`; true_false `true`;
    /// numeric `8`; text `"some words"`; order `[c, a, b]`; match `{1: b, 2: a}`.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerValue>,
}

/// One answer as written; its shape is checked against the question's kind when grading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswerValue(pub Value);

impl JsonSchema for AnswerValue {
    fn schema_name() -> Cow<'static, str> {
        "AnswerValue".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An answer: a letter (single), a list of letters (multiple, order), true/false, a number, text, a map from left number to letter (match), or empty for no answer.",
            "anyOf": [
                { "type": "null" },
                { "type": "string" },
                { "type": "number" },
                { "type": "boolean" },
                { "type": "array", "items": { "type": "string" } },
                { "type": "object", "additionalProperties": { "type": "string" } }
            ]
        })
    }
}

/// A learner's answer to one question, in authored indices (independent of the display order).
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// single: the authored index of the chosen option.
    Single(usize),
    /// multiple: authored indices of the ticked options (sorted, unique; may be empty).
    Multiple(Vec<usize>),
    TrueFalse(bool),
    Numeric(f64),
    Text(String),
    /// order: authored step indices in the learner's order (a permutation).
    Order(Vec<usize>),
    /// match: for each pair (authored order), the authored index of the chosen target.
    Match(Vec<Option<usize>>),
}

/// The state of one question's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Missing,
    /// The answer's shape does not fit the question; the message says why.
    Malformed(String),
    Given(Response),
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Letters from a list `[a, c]` or a string `"a, c"` / `"a c"`.
fn letters(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items.iter().map(scalar_text).collect(),
        Value::String(s) => Some(
            s.split([',', ' ', ';'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        _ => None,
    }
}

fn range_text(q: &DrawnQuestion) -> String {
    match q.order.len() {
        0 => "none".into(),
        n => format!(
            "{}–{}",
            DrawnQuestion::letter(0),
            DrawnQuestion::letter(n - 1)
        ),
    }
}

fn resolve(q: &DrawnQuestion, letter: &str, what: &str) -> Result<usize, String> {
    q.position_of(letter).map(|k| q.order[k]).ok_or_else(|| {
        format!(
            "`{}` is not one of the {what} ({})",
            letter.trim(),
            range_text(q)
        )
    })
}

/// Checks an answer's shape against its question and converts letters to authored indices.
pub fn interpret(q: &DrawnQuestion, value: Option<&Value>) -> Answer {
    let v = match value {
        None | Some(Value::Null) => return Answer::Missing,
        Some(Value::String(s)) if s.trim().is_empty() => return Answer::Missing,
        Some(v) => v,
    };
    match shape(q, v) {
        Ok(r) => Answer::Given(r),
        Err(m) => Answer::Malformed(m),
    }
}

fn shape(q: &DrawnQuestion, v: &Value) -> Result<Response, String> {
    let spec = q.spec;
    match spec.kind {
        Kind::Single => match v {
            Value::String(s) => resolve(q, s, "options").map(Response::Single),
            other => Err(format!(
                "expected one option letter such as `b`, got {}",
                describe(other)
            )),
        },
        Kind::Multiple => {
            let ls = letters(v).ok_or_else(|| {
                format!(
                    "expected a list of option letters such as `[a, c]`, got {}",
                    describe(v)
                )
            })?;
            let mut picked = ls
                .iter()
                .map(|l| resolve(q, l, "options"))
                .collect::<Result<Vec<_>, _>>()?;
            picked.sort_unstable();
            picked.dedup();
            Ok(Response::Multiple(picked))
        }
        Kind::TrueFalse => match v {
            Value::Bool(b) => Ok(Response::TrueFalse(*b)),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "yes" => Ok(Response::TrueFalse(true)),
                "false" | "f" | "no" => Ok(Response::TrueFalse(false)),
                _ => Err(format!("expected `true` or `false`, got `{}`", s.trim())),
            },
            other => Err(format!(
                "expected `true` or `false`, got {}",
                describe(other)
            )),
        },
        Kind::Numeric => match v {
            Value::Number(n) => n
                .as_f64()
                .filter(|x| x.is_finite())
                .map(Response::Numeric)
                .ok_or_else(|| format!("expected a finite number, got `{n}`")),
            // The interactive quiz reads typed numbers the same way (`$7.50`, `1,000`).
            Value::String(s) => parse_number(s, spec.unit.as_deref()).map(Response::Numeric),
            other => Err(format!(
                "expected a number such as `8` or `0.5`, got {}",
                scalar_text(other)
                    .map(|s| format!("`{s}`"))
                    .unwrap_or_else(|| describe(other).into())
            )),
        },
        Kind::Text => match scalar_text(v) {
            Some(s) => Ok(Response::Text(s)),
            None => Err(format!("expected text, got {}", describe(v))),
        },
        Kind::Order => {
            let ls = letters(v).ok_or_else(|| {
                format!(
                    "expected every step letter in your order, such as `[c, a, b]`, got {}",
                    describe(v)
                )
            })?;
            let steps = ls
                .iter()
                .map(|l| resolve(q, l, "steps"))
                .collect::<Result<Vec<_>, _>>()?;
            let mut seen = vec![false; q.order.len()];
            for (l, &s) in ls.iter().zip(&steps) {
                if std::mem::replace(&mut seen[s], true) {
                    return Err(format!(
                        "step `{}` is listed twice; list each step once",
                        l.trim()
                    ));
                }
            }
            let missing: Vec<String> = (0..q.order.len())
                .filter(|&k| !seen[q.order[k]])
                .map(DrawnQuestion::letter)
                .collect();
            if !missing.is_empty() {
                let (what, are) = if missing.len() == 1 {
                    ("step", "is")
                } else {
                    ("steps", "are")
                };
                return Err(format!(
                    "{what} {} {are} missing; list all {}",
                    missing.join(", "),
                    plural(q.order.len(), "step", "steps")
                ));
            }
            Ok(Response::Order(steps))
        }
        Kind::Match => {
            let n = spec.pairs.len();
            let mut chosen = vec![None; n];
            match v {
                Value::Mapping(map) => {
                    for (k, target) in map {
                        let key = scalar_text(k).unwrap_or_default();
                        let left = key
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .filter(|&i| (1..=n).contains(&i))
                            .ok_or_else(|| {
                                format!("`{}` is not a left item number (1–{n})", key.trim())
                            })?;
                        match target {
                            Value::Null => {}
                            t => {
                                let letter = scalar_text(t).ok_or_else(|| {
                                    format!("item {left}: expected a letter, got {}", describe(t))
                                })?;
                                chosen[left - 1] = Some(resolve(q, &letter, "right-hand items")?);
                            }
                        }
                    }
                }
                Value::Sequence(_) => {
                    let ls =
                        letters(v).ok_or_else(|| "expected letters in the list".to_string())?;
                    if ls.len() > n {
                        return Err(format!(
                            "{} for {}",
                            plural(ls.len(), "letter", "letters"),
                            plural(n, "left item", "left items")
                        ));
                    }
                    for (i, l) in ls.iter().enumerate() {
                        chosen[i] = Some(resolve(q, l, "right-hand items")?);
                    }
                }
                other => {
                    return Err(format!(
                    "expected a map from left number to letter such as `{{1: b, 2: a}}`, got {}",
                    describe(other)
                ))
                }
            }
            Ok(Response::Match(chosen))
        }
    }
}

//! `amilab quiz template`: an answers-file skeleton for one learner's paper, with every
//! question's prompt and choices as YAML comments.

use super::draw::{DrawnQuestion, Paper};
use super::spec::Kind;
use crate::report::model::points_text;
use amilab_text::plural;

fn yaml_scalar(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| "\"\"".into())
}

/// Pushes `text` as comment lines with `prefix` (every line break starts a new comment).
fn comment(out: &mut String, prefix: &str, text: &str) {
    for line in text.trim_end().split(['\n', '\r']) {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn how(q: &DrawnQuestion) -> String {
    let spec = q.spec;
    match spec.kind {
        Kind::Single => "one letter, e.g. b".into(),
        Kind::Multiple => "a list of letters, e.g. [a, c]".into(),
        Kind::TrueFalse => "true or false".into(),
        Kind::Numeric => match &spec.unit {
            Some(u) => format!("a number (in {u})"),
            None => "a number".into(),
        },
        Kind::Text => "text, in quotes".into(),
        Kind::Order => format!(
            "all {}, first step first, e.g. [c, a, b]",
            plural(q.order.len(), "letter", "letters")
        ),
        Kind::Match => "a map from left number to right letter, e.g. {1: b, 2: a}".into(),
    }
}

/// The answers-file skeleton for `paper`.
pub fn template(paper: &Paper) -> String {
    let quiz = paper.quiz;
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=answers.schema.json\n");
    out.push_str("# (make the schema with: amilab schema answers > answers.schema.json)\n");
    comment(
        &mut out,
        "# ",
        &format!("Answers for the quiz `{}`: {}", quiz.id, quiz.title),
    );
    out.push_str(&format!(
        "# This is the paper of learner `{}`: the questions and the option letters are theirs.\n",
        paper.learner
    ));
    out.push_str(&format!(
        "# Fill in each answer, then run: amilab quiz grade {} THIS_FILE\n",
        quiz.id
    ));
    out.push_str("# An empty answer scores 0. Text after `#` is a comment.\n");
    out.push_str(&format!("quiz: {}\n", yaml_scalar(&quiz.id)));
    out.push_str(&format!("learner: {}\n", yaml_scalar(&paper.learner)));
    out.push_str("answers:\n");
    for (n, q) in paper.questions.iter().enumerate() {
        let spec = q.spec;
        let points = points_text(spec.points);
        out.push('\n');
        out.push_str(&format!(
            "  # {}. {} ({}, {points}): answer with {}\n",
            n + 1,
            spec.id,
            spec.kind.as_str(),
            how(q)
        ));
        comment(&mut out, "  #    ", &spec.prompt);
        match spec.kind {
            Kind::Single | Kind::Multiple => {
                for (k, &i) in q.order.iter().enumerate() {
                    comment(
                        &mut out,
                        "  #      ",
                        &format!(
                            "{}) {}",
                            DrawnQuestion::letter(k),
                            spec.options[i].text.trim()
                        ),
                    );
                }
            }
            Kind::Order => {
                for (k, &i) in q.order.iter().enumerate() {
                    comment(
                        &mut out,
                        "  #      ",
                        &format!("{}) {}", DrawnQuestion::letter(k), spec.steps[i].trim()),
                    );
                }
            }
            Kind::Match => {
                out.push_str("  #    Left:\n");
                for (i, p) in spec.pairs.iter().enumerate() {
                    comment(
                        &mut out,
                        "  #      ",
                        &format!("{}. {}", i + 1, p.left.trim()),
                    );
                }
                out.push_str("  #    Right:\n");
                let targets = spec.match_targets();
                for (k, &i) in q.order.iter().enumerate() {
                    comment(
                        &mut out,
                        "  #      ",
                        &format!("{}) {}", DrawnQuestion::letter(k), targets[i].trim()),
                    );
                }
            }
            _ => {}
        }
        out.push_str(&format!("  {}:\n", spec.id));
    }
    out
}

/// A fully correct answers file for `paper` (for instructors and tests; never shown by the CLI).
pub fn answer_key(paper: &Paper) -> String {
    let mut out = format!(
        "quiz: {}\nlearner: {}\nanswers:\n",
        yaml_scalar(&paper.quiz.id),
        yaml_scalar(&paper.learner)
    );
    for q in &paper.questions {
        let spec = q.spec;
        let value = match spec.kind {
            Kind::Single => {
                let i = spec.options.iter().position(|o| o.correct).unwrap_or(0);
                q.letter_of(i)
            }
            Kind::Multiple => {
                let mut ls: Vec<String> = (0..spec.options.len())
                    .filter(|&i| spec.options[i].correct)
                    .map(|i| q.letter_of(i))
                    .collect();
                ls.sort();
                format!("[{}]", ls.join(", "))
            }
            Kind::TrueFalse => spec.answer.unwrap_or(false).to_string(),
            Kind::Numeric => match (spec.value, spec.range) {
                (Some(v), _) => format!("{v}"),
                (None, Some([lo, hi])) => format!("{}", (lo + hi) / 2.0),
                _ => "0".into(),
            },
            Kind::Text => yaml_scalar(spec.accept.first().map(String::as_str).unwrap_or("")),
            Kind::Order => {
                let ls: Vec<String> = (0..spec.steps.len()).map(|i| q.letter_of(i)).collect();
                format!("[{}]", ls.join(", "))
            }
            Kind::Match => {
                let ps: Vec<String> = (0..spec.pairs.len())
                    .map(|i| format!("{}: {}", i + 1, q.letter_of(i)))
                    .collect();
                format!("{{{}}}", ps.join(", "))
            }
        };
        out.push_str(&format!("  {}: {value}\n", spec.id));
    }
    out
}

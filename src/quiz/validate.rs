//! Quiz validation (`amilab validate`): everything a quiz must satisfy beyond its YAML shape.

use std::collections::{HashMap, HashSet};

use super::locate::Locator;
use super::parse::parse_strict;
use super::spec::{Kind, QuestionSpec, QuizSpec};
use crate::concepts;
use crate::diagnostic::Diagnostic;
use amilab_text::plural;

/// Parses and validates the quiz file `file` whose contents are `text`. An empty vector means
/// the quiz is valid; a parse error comes back as the only diagnostic.
pub fn validate_quiz(file: &str, text: &str) -> Vec<Diagnostic> {
    match parse_strict::<QuizSpec>(file, text) {
        Ok(spec) => validate_spec(&spec, file, text),
        Err(d) => vec![d],
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// Validates an already parsed quiz; `text` is used only to find positions.
pub fn validate_spec(spec: &QuizSpec, file: &str, text: &str) -> Vec<Diagnostic> {
    let loc = Locator::new(text);
    let mut out = Vec::new();
    let top = |key: &str| loc.top(key);

    if !is_slug(&spec.id) {
        out.push(
            Diagnostic::error(
                file,
                format!("quiz id `{}` is not a lower-case slug", spec.id),
            )
            .at(top("id"))
            .hint("use lower-case letters, digits and `-`, e.g. `ami-anatomy`"),
        );
    }
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str());
    if let Some(stem) = stem {
        if file.ends_with(".yaml") && stem != spec.id {
            out.push(
                Diagnostic::error(
                    file,
                    format!(
                        "quiz id `{}` does not match the file name `{stem}.yaml`",
                        spec.id
                    ),
                )
                .at(top("id"))
                .hint(format!(
                    "rename the file to `{}.yaml` or set `id: {stem}`",
                    spec.id
                )),
            );
        }
    }
    if spec.title.trim().is_empty() {
        out.push(
            Diagnostic::error(file, "the quiz title is empty")
                .at(top("title"))
                .hint("give the quiz a title"),
        );
    }
    if !(0.0..=100.0).contains(&spec.pass_mark) {
        out.push(
            Diagnostic::error(
                file,
                format!("pass_mark {} is not a percentage", spec.pass_mark),
            )
            .at(top("pass_mark"))
            .hint("use a number from 0 to 100, e.g. `pass_mark: 70`"),
        );
    }
    if spec.questions.is_empty() {
        out.push(
            Diagnostic::error(file, "the quiz has no questions")
                .at(top("questions"))
                .hint("add at least one question"),
        );
    }
    if let Some(pick) = spec.pick {
        if pick == 0 || pick > spec.questions.len() {
            out.push(
                Diagnostic::error(
                    file,
                    format!(
                        "pick: {pick} but the pool has {}",
                        plural(spec.questions.len(), "question", "questions")
                    ),
                )
                .at(top("pick"))
                .hint("pick at least 1 and at most the number of questions, or remove `pick`"),
            );
        }
    }
    for c in &spec.concepts {
        if !concepts::is_known(c) {
            out.push(unknown_concept(file, c, top("concepts")));
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for q in &spec.questions {
        let n = seen.entry(q.id.as_str()).or_insert(0);
        let here = loc.occurrence(*n);
        *n += 1;
        if *n > 1 {
            out.push(
                Diagnostic::error(file, format!("duplicate question id `{}`", q.id))
                    .at(here.question(&q.id))
                    .hint("question ids must be unique: answers files key on them"),
            );
        }
        validate_question(q, file, &here, &mut out);
    }
    out
}

fn unknown_concept(file: &str, c: &str, at: Option<(usize, usize)>) -> Diagnostic {
    let hint = match concepts::closest(c) {
        Some(best) => {
            format!("did you mean `{best}`? the 28 concept ids are listed in CONCEPTS.md")
        }
        None => "use one of the 28 concept ids listed in CONCEPTS.md".to_string(),
    };
    Diagnostic::error(file, format!("unknown concept `{c}`"))
        .at(at)
        .hint(hint)
}

/// The fields each kind may use (besides the common ones).
fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Single => &["options"],
        Kind::Multiple => &["options", "scoring"],
        Kind::TrueFalse => &["answer", "rationale_true", "rationale_false"],
        Kind::Numeric => &["value", "tolerance", "relative_tolerance", "range", "unit"],
        Kind::Text => &["accept", "pattern"],
        Kind::Order => &["steps"],
        Kind::Match => &["pairs", "distractors"],
    }
}

fn present_fields(q: &QuestionSpec) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut add = |name, present: bool| {
        if present {
            v.push(name)
        }
    };
    add("options", !q.options.is_empty());
    add("scoring", q.scoring.is_some());
    add("answer", q.answer.is_some());
    add("rationale_true", q.rationale_true.is_some());
    add("rationale_false", q.rationale_false.is_some());
    add("value", q.value.is_some());
    add("tolerance", q.tolerance.is_some());
    add("relative_tolerance", q.relative_tolerance.is_some());
    add("range", q.range.is_some());
    add("unit", q.unit.is_some());
    add("accept", !q.accept.is_empty());
    add("pattern", q.pattern.is_some());
    add("steps", !q.steps.is_empty());
    add("pairs", !q.pairs.is_empty());
    add("distractors", !q.distractors.is_empty());
    v
}

fn kind_for_field(field: &str) -> &'static str {
    [
        Kind::Single,
        Kind::Multiple,
        Kind::TrueFalse,
        Kind::Numeric,
        Kind::Text,
        Kind::Order,
        Kind::Match,
    ]
    .into_iter()
    .find(|k| kind_fields(*k).contains(&field))
    .map(Kind::as_str)
    .unwrap_or("?")
}

fn validate_question(q: &QuestionSpec, file: &str, loc: &Locator, out: &mut Vec<Diagnostic>) {
    let id = q.id.as_str();
    let kind = q.kind.as_str();
    let err = |msg: String| Diagnostic::error(file, msg);

    if !is_slug(id) {
        out.push(
            err(format!("question id `{id}` is not a lower-case slug"))
                .at(loc.question(id))
                .hint("use lower-case letters, digits, `-` and `_`: answers files key on it"),
        );
    }
    if q.prompt.trim().is_empty() {
        out.push(
            err(format!("question `{id}` has an empty prompt"))
                .at(loc.key(id, "prompt"))
                .hint("write the question"),
        );
    }
    if !(q.points.is_finite() && q.points > 0.0 && q.points <= crate::limits::MAX_POINTS) {
        out.push(
            err(format!(
                "question `{id}` has points {}; points must be positive, at most {}",
                q.points,
                crate::limits::MAX_POINTS
            ))
            .at(loc.key(id, "points"))
            .hint("use e.g. `points: 1`"),
        );
    }
    if q.concepts.is_empty() {
        out.push(
            err(format!("question `{id}` names no concept"))
                .at(loc.key(id, "concepts"))
                .hint("add `concepts: [...]` with ids from CONCEPTS.md"),
        );
    }
    for c in &q.concepts {
        if !concepts::is_known(c) {
            out.push(unknown_concept(file, c, loc.value(id, "concepts", c)));
        }
    }
    for field in present_fields(q) {
        if !kind_fields(q.kind).contains(&field) {
            out.push(
                err(format!(
                    "question `{id}` is `{kind}` but sets `{field}`, which only `{}` uses",
                    kind_for_field(field)
                ))
                .at(loc.key(id, field))
                .hint(format!("remove `{field}`, or change `kind`")),
            );
        }
    }
    let needs_explanation = |out: &mut Vec<Diagnostic>| {
        if blank(&q.explanation) {
            out.push(
                err(format!("question `{id}` ({kind}) has no explanation"))
                    .at(loc.key(id, "explanation"))
                    .hint("add `explanation:` saying why the answer is what it is"),
            );
        }
    };

    match q.kind {
        Kind::Single | Kind::Multiple => {
            if q.options.len() < 2 {
                out.push(
                    err(format!(
                        "question `{id}` has {}; it needs at least 2",
                        plural(q.options.len(), "option", "options")
                    ))
                    .at(loc.key(id, "options"))
                    .hint("add options, each with `text`, `correct` and `rationale`"),
                );
            }
            let correct = q.options.iter().filter(|o| o.correct).count();
            if q.kind == Kind::Single && correct != 1 {
                out.push(
                    err(format!("question `{id}` is `single` but has {correct} correct options; it needs exactly one"))
                        .at(loc.key(id, "options"))
                        .hint(if correct == 0 {
                            "mark the right option with `correct: true`"
                        } else {
                            "keep `correct: true` on one option, or make it `kind: multiple`"
                        }),
                );
            }
            if q.kind == Kind::Multiple && correct == 0 {
                out.push(
                    err(format!(
                        "question `{id}` is `multiple` but no option is correct"
                    ))
                    .at(loc.key(id, "options"))
                    .hint("mark at least one option with `correct: true`"),
                );
            }
            let mut texts = HashSet::new();
            for (i, o) in q.options.iter().enumerate() {
                if blank(&o.rationale) {
                    out.push(
                        err(format!(
                            "option {} of question `{id}` has no rationale",
                            i + 1
                        ))
                        .at(loc.item(id, "options", i))
                        .hint("add `rationale:` saying why this option is right or wrong"),
                    );
                }
                if !texts.insert(o.text.trim()) {
                    out.push(
                        err(format!(
                            "option {} of question `{id}` repeats the text `{}`",
                            i + 1,
                            o.text.trim()
                        ))
                        .at(loc.item(id, "options", i))
                        .hint("options must differ"),
                    );
                }
            }
        }
        Kind::TrueFalse => {
            if q.answer.is_none() {
                out.push(
                    err(format!(
                        "question `{id}` is `true_false` but has no `answer`"
                    ))
                    .at(loc.question(id))
                    .hint("add `answer: true` or `answer: false`"),
                );
            }
            for (field, value) in [
                ("rationale_true", &q.rationale_true),
                ("rationale_false", &q.rationale_false),
            ] {
                if blank(value) {
                    out.push(
                        err(format!("question `{id}` has no `{field}`"))
                            .at(loc.question(id))
                            .hint(format!(
                                "add `{field}:`: the rationale shown to someone who answered {}",
                                &field[10..]
                            )),
                    );
                }
            }
        }
        Kind::Numeric => {
            match (q.value, q.range) {
                (None, None) => out.push(
                    err(format!(
                        "question `{id}` is `numeric` but has neither `value` nor `range`"
                    ))
                    .at(loc.question(id))
                    .hint("add `value:` (with an optional `tolerance`) or `range: [low, high]`"),
                ),
                (Some(_), Some(_)) => out.push(
                    err(format!("question `{id}` sets both `value` and `range`"))
                        .at(loc.key(id, "range"))
                        .hint("keep one: a value with a tolerance, or a range"),
                ),
                _ => {}
            }
            for (field, t) in [
                ("tolerance", q.tolerance),
                ("relative_tolerance", q.relative_tolerance),
            ] {
                if let Some(t) = t {
                    if !(t.is_finite() && t >= 0.0) {
                        out.push(
                            err(format!("question `{id}` has a negative {field} ({t})"))
                                .at(loc.key(id, field))
                                .hint("tolerances are distances: use 0 or more"),
                        );
                    }
                }
            }
            if q.tolerance.is_some() && q.relative_tolerance.is_some() {
                out.push(
                    err(format!(
                        "question `{id}` sets both `tolerance` and `relative_tolerance`"
                    ))
                    .at(loc.key(id, "relative_tolerance"))
                    .hint("keep one of them"),
                );
            }
            if q.range.is_some() && (q.tolerance.is_some() || q.relative_tolerance.is_some()) {
                out.push(
                    err(format!("question `{id}` sets a tolerance with a `range`"))
                        .at(loc.key(id, "range"))
                        .hint("a range already says what is accepted; remove the tolerance"),
                );
            }
            if let Some([lo, hi]) = q.range {
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    out.push(
                        err(format!("question `{id}` has range [{lo}, {hi}], whose low end is above its high end"))
                            .at(loc.key(id, "range"))
                            .hint("write `range: [low, high]`"),
                    );
                }
            }
            needs_explanation(out);
        }
        Kind::Text => {
            if q.accept.is_empty() && q.pattern.is_none() {
                out.push(
                    err(format!("question `{id}` is `text` but accepts nothing"))
                        .at(loc.question(id))
                        .hint("add `accept: [...]` answers, a `pattern:` regex, or both"),
                );
            }
            for (i, a) in q.accept.iter().enumerate() {
                if a.trim().is_empty() {
                    out.push(
                        err(format!(
                            "accepted answer {} of question `{id}` is empty",
                            i + 1
                        ))
                        .at(loc.item(id, "accept", i))
                        .hint("remove it"),
                    );
                }
            }
            if let Some(p) = &q.pattern {
                if let Err(e) = regex::Regex::new(p) {
                    let first = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    out.push(
                        err(format!("the pattern of question `{id}` is not a valid regex: {first}"))
                            .at(loc.key(id, "pattern"))
                            .hint("check the regex syntax (Rust `regex` crate); quote it in single quotes"),
                    );
                }
            }
            needs_explanation(out);
        }
        Kind::Order => {
            if q.steps.len() < 2 {
                out.push(
                    err(format!(
                        "question `{id}` is `order` with {}; it needs at least 2",
                        plural(q.steps.len(), "step", "steps")
                    ))
                    .at(loc.key(id, "steps"))
                    .hint("list the steps in their correct order"),
                );
            }
            let mut seen = HashSet::new();
            for (i, s) in q.steps.iter().enumerate() {
                if !seen.insert(s.trim()) {
                    out.push(
                        err(format!(
                            "step {} of question `{id}` repeats `{}`",
                            i + 1,
                            s.trim()
                        ))
                        .at(loc.item(id, "steps", i))
                        .hint("steps must differ, or their order is ambiguous"),
                    );
                }
            }
            needs_explanation(out);
        }
        Kind::Match => {
            if q.pairs.len() < 2 {
                out.push(
                    err(format!(
                        "question `{id}` is `match` with {}; it needs at least 2",
                        plural(q.pairs.len(), "pair", "pairs")
                    ))
                    .at(loc.key(id, "pairs"))
                    .hint("add `pairs:` with `left` and `right`"),
                );
            }
            let mut lefts = HashSet::new();
            let mut rights = HashSet::new();
            for (i, p) in q.pairs.iter().enumerate() {
                if !lefts.insert(p.left.trim()) {
                    out.push(
                        err(format!(
                            "pair {} of question `{id}` repeats the left item `{}`",
                            i + 1,
                            p.left.trim()
                        ))
                        .at(loc.item(id, "pairs", i))
                        .hint("each left item appears in one pair"),
                    );
                }
                if !rights.insert(p.right.trim()) {
                    out.push(
                        err(format!(
                            "pair {} of question `{id}` repeats the right item `{}`",
                            i + 1,
                            p.right.trim()
                        ))
                        .at(loc.item(id, "pairs", i))
                        .hint("each right item matches one left item; pairs must be unique"),
                    );
                }
            }
            for (i, d) in q.distractors.iter().enumerate() {
                if !rights.insert(d.trim()) {
                    out.push(
                        err(format!(
                            "distractor {} of question `{id}` repeats `{}`",
                            i + 1,
                            d.trim()
                        ))
                        .at(loc.item(id, "distractors", i))
                        .hint("a distractor must differ from every right item"),
                    );
                }
            }
            if blank(&q.explanation) && q.pairs.iter().any(|p| blank(&p.rationale)) {
                out.push(
                    err(format!("question `{id}` (match) has neither an explanation nor a rationale for every pair"))
                        .at(loc.key(id, "explanation"))
                        .hint("add `explanation:`, or `rationale:` to each pair"),
                );
            }
        }
    }
}

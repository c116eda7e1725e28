//! Scoring rules, one pure function per kind, and the per-question item with its message.

use super::answers::{Answer, Response};
use super::draw::DrawnQuestion;
use super::spec::{Kind, MultipleScoring, QuestionSpec};
use crate::report::model::{fmt_points, ItemResult, ItemStatus};
use amilab_text::{plural, sentence};

/// `multiple`: the fraction of the points earned. `correct[i]` / `ticked[i]` per option.
pub fn multiple_fraction(rule: MultipleScoring, correct: &[bool], ticked: &[bool]) -> f64 {
    let n = correct.len();
    let n_correct = correct.iter().filter(|c| **c).count();
    let n_wrong = n - n_correct;
    let right_ticks = correct
        .iter()
        .zip(ticked)
        .filter(|(c, t)| **c && **t)
        .count();
    let wrong_ticks = correct
        .iter()
        .zip(ticked)
        .filter(|(c, t)| !**c && **t)
        .count();
    let exact = right_ticks == n_correct && wrong_ticks == 0;
    match rule {
        MultipleScoring::AllOrNothing => f64::from(u8::from(exact)),
        MultipleScoring::Partial => {
            let none = right_ticks + wrong_ticks == 0;
            let all = right_ticks + wrong_ticks == n && n_wrong > 0;
            if n == 0 || none || all {
                0.0
            } else {
                let judged_right = correct.iter().zip(ticked).filter(|(c, t)| c == t).count();
                judged_right as f64 / n as f64
            }
        }
        MultipleScoring::RightMinusWrong => {
            let plus = if n_correct == 0 {
                0.0
            } else {
                right_ticks as f64 / n_correct as f64
            };
            let minus = if n_wrong == 0 {
                0.0
            } else {
                wrong_ticks as f64 / n_wrong as f64
            };
            (plus - minus).max(0.0)
        }
    }
}

/// Length of the longest subsequence of `seq` that is in increasing order.
fn longest_increasing(seq: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &x in seq {
        match tails.binary_search(&x) {
            Ok(_) => {}
            Err(i) if i == tails.len() => tails.push(x),
            Err(i) => tails[i] = x,
        }
    }
    tails.len()
}

/// `order`: `answer` lists the authored step indices in the learner's order. Credit is the
/// longest run of steps in correct relative order: (L − 1) / (n − 1), so the correct order
/// earns 1 and the reversed order 0.
pub fn order_fraction(answer: &[usize]) -> f64 {
    let n = answer.len();
    if n < 2 {
        return f64::from(u8::from(n == 1));
    }
    (longest_increasing(answer) as f64 - 1.0) / (n as f64 - 1.0)
}

/// `match`: `chosen[i]` is the target picked for left item `i`; the correct target of pair `i`
/// is target `i`. Each right pair earns 1/n; a target chosen for several left items counts as
/// wrong for all of them (each right item belongs to one pair).
pub fn match_fraction(chosen: &[Option<usize>]) -> f64 {
    let n = chosen.len();
    if n == 0 {
        return 0.0;
    }
    let uses = |t: usize| chosen.iter().filter(|c| **c == Some(t)).count();
    let right = chosen
        .iter()
        .enumerate()
        .filter(|(i, c)| **c == Some(*i) && uses(*i) == 1)
        .count();
    right as f64 / n as f64
}

/// `numeric`: within the range, within the absolute or relative tolerance, or exact.
pub fn numeric_ok(q: &QuestionSpec, x: f64) -> bool {
    if let Some([lo, hi]) = q.range {
        return lo <= x && x <= hi;
    }
    let Some(v) = q.value else { return false };
    let allowed = match (q.tolerance, q.relative_tolerance) {
        (Some(t), _) => t,
        (None, Some(r)) => r * v.abs(),
        (None, None) => 0.0,
    };
    (x - v).abs() <= allowed + 1e-9 * v.abs().max(1.0)
}

/// Lower case with runs of whitespace collapsed and the ends trimmed.
pub fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `text`: an accepted answer (case- and whitespace-insensitive) or a full regex match.
pub fn text_ok(q: &QuestionSpec, answer: &str) -> bool {
    let norm = normalise(answer);
    if q.accept.iter().any(|a| normalise(a) == norm) {
        return true;
    }
    if let Some(p) = &q.pattern {
        if let Ok(re) = regex::RegexBuilder::new(&format!("^(?:{p})$"))
            .case_insensitive(true)
            .build()
        {
            return re.is_match(answer.trim());
        }
    }
    false
}

fn number(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn with_unit(x: &str, q: &QuestionSpec) -> String {
    match &q.unit {
        Some(u) => format!("{x} {u}"),
        None => x.to_string(),
    }
}

fn accepted_numeric(q: &QuestionSpec) -> String {
    if let Some([lo, hi]) = q.range {
        return format!(
            "from {} to {}",
            with_unit(&number(lo), q),
            with_unit(&number(hi), q)
        );
    }
    let v = q.value.unwrap_or(0.0);
    match (q.tolerance, q.relative_tolerance) {
        (Some(t), _) if t > 0.0 => format!("{} ± {}", number(v), with_unit(&number(t), q)),
        (None, Some(r)) if r > 0.0 => {
            format!("{} ± {}%", with_unit(&number(v), q), number(r * 100.0))
        }
        _ => with_unit(&number(v), q),
    }
}

/// The text of a choice shown at display position `k`.
fn choice_text<'a>(q: &'a DrawnQuestion, authored: usize) -> &'a str {
    match q.spec.kind {
        Kind::Single | Kind::Multiple => &q.spec.options[authored].text,
        Kind::Order => &q.spec.steps[authored],
        Kind::Match => q.spec.match_targets()[authored],
        _ => "",
    }
}

fn labelled(q: &DrawnQuestion, authored: usize) -> String {
    format!(
        "{}) {}",
        q.letter_of(authored),
        choice_text(q, authored).trim()
    )
}

fn join_letters(q: &DrawnQuestion, authored: &[usize]) -> String {
    let mut ls: Vec<String> = authored.iter().map(|&i| q.letter_of(i)).collect();
    if ls.is_empty() {
        return "nothing".into();
    }
    ls.dedup();
    ls.join(", ")
}

/// The right answer in words, as a sentence (`The answer is b) HVM.`); `None` when it has no
/// words to show (a `text` question with only a pattern).
pub fn right_answer(q: &DrawnQuestion) -> Option<String> {
    let spec = q.spec;
    let text = match spec.kind {
        Kind::Single => {
            let c = spec.options.iter().position(|o| o.correct)?;
            format!("The answer is {}", labelled(q, c))
        }
        Kind::Multiple => {
            let mut right: Vec<usize> = (0..spec.options.len())
                .filter(|&i| spec.options[i].correct)
                .collect();
            right.sort_by_key(|&i| q.letter_of(i));
            format!("The correct options are {}", join_letters(q, &right))
        }
        Kind::TrueFalse => format!("The statement is {}", spec.answer.unwrap_or(false)),
        Kind::Numeric => format!("Accepted: {}", accepted_numeric(spec)),
        Kind::Text => format!("Accepted: \"{}\"", spec.accept.first()?),
        Kind::Order => {
            let right: Vec<usize> = (0..spec.steps.len()).collect();
            format!("Correct order: {}", join_letters(q, &right))
        }
        Kind::Match => {
            let correct: Vec<String> = (0..spec.pairs.len())
                .map(|i| format!("{} → {}", i + 1, q.letter_of(i)))
                .collect();
            format!("Correct: {}", correct.join(", "))
        }
    };
    Some(sentence(&text))
}

fn push_reveal(message: &mut String, q: &DrawnQuestion) {
    if let Some(answer) = right_answer(q) {
        message.push(' ');
        message.push_str(&answer);
    }
}

/// The rationale that goes with the right answer, for a question left unanswered: the correct
/// options' or statement's rationale, the pairs' rationale, then the explanation.
fn right_answer_feedback(q: &DrawnQuestion) -> Vec<String> {
    let spec = q.spec;
    let mut feedback = Vec::new();
    match spec.kind {
        Kind::Single | Kind::Multiple => {
            for &i in &q.order {
                let o = &spec.options[i];
                if let (true, Some(r)) = (o.correct, &o.rationale) {
                    feedback.push(format!("{}: {r}", labelled(q, i)));
                }
            }
        }
        Kind::TrueFalse => {
            let rationale = if spec.answer.unwrap_or(false) {
                &spec.rationale_true
            } else {
                &spec.rationale_false
            };
            feedback.extend(rationale.clone());
        }
        Kind::Match => {
            for p in &spec.pairs {
                if let Some(r) = &p.rationale {
                    feedback.push(format!("{} → {}: {r}", p.left.trim(), p.right.trim()));
                }
            }
        }
        Kind::Numeric | Kind::Text | Kind::Order => {}
    }
    if let Some(e) = &spec.explanation {
        feedback.push(e.trim().to_string());
    }
    feedback
}

/// Scores one answer: (fraction of the points, message, feedback).
pub fn judge(q: &DrawnQuestion, r: &Response, reveal: bool) -> (f64, String, Vec<String>) {
    let spec = q.spec;
    let mut feedback = Vec::new();
    let (fraction, mut message) = match r {
        Response::Single(i) => {
            let o = &spec.options[*i];
            let f = f64::from(u8::from(o.correct));
            feedback.extend(
                o.rationale
                    .clone()
                    .map(|r| format!("{}: {r}", labelled(q, *i))),
            );
            let mut m = sentence(&format!("You chose {}", labelled(q, *i)));
            if !o.correct && reveal {
                push_reveal(&mut m, q);
            }
            (f, m)
        }
        Response::Multiple(ticked_idx) => {
            let correct: Vec<bool> = spec.options.iter().map(|o| o.correct).collect();
            let ticked: Vec<bool> = (0..spec.options.len())
                .map(|i| ticked_idx.contains(&i))
                .collect();
            let f = multiple_fraction(spec.scoring(), &correct, &ticked);
            let mut shown: Vec<usize> = ticked_idx.clone();
            shown.sort_by_key(|&i| q.letter_of(i));
            let mut m = format!("You ticked {}.", join_letters(q, &shown));
            if spec.scoring() == MultipleScoring::Partial {
                if ticked_idx.is_empty() {
                    m.push_str(" Ticking nothing scores 0.");
                } else if ticked_idx.len() == correct.len() && correct.iter().any(|c| !c) {
                    m.push_str(" Ticking every option scores 0.");
                }
            }
            if f < 1.0 && reveal {
                push_reveal(&mut m, q);
            }
            for &i in &q.order {
                if ticked[i] || (reveal && correct[i]) {
                    let mark = if ticked[i] { "ticked" } else { "not ticked" };
                    if let Some(r) = &spec.options[i].rationale {
                        feedback.push(format!("{} ({mark}): {r}", labelled(q, i)));
                    }
                }
            }
            (f, m)
        }
        Response::TrueFalse(b) => {
            let truth = spec.answer.unwrap_or(false);
            let f = f64::from(u8::from(*b == truth));
            let rationale = if *b {
                &spec.rationale_true
            } else {
                &spec.rationale_false
            };
            feedback.extend(rationale.clone());
            let mut m = format!("You answered {b}.");
            if *b != truth && reveal {
                push_reveal(&mut m, q);
            }
            (f, m)
        }
        Response::Numeric(x) => {
            let ok = numeric_ok(spec, *x);
            let mut m = format!("You answered {}.", with_unit(&number(*x), spec));
            if !ok && reveal {
                push_reveal(&mut m, q);
            }
            (f64::from(u8::from(ok)), m)
        }
        Response::Text(s) => {
            let ok = text_ok(spec, s);
            let mut m = format!("You answered \"{}\".", s.trim());
            if !ok && reveal {
                push_reveal(&mut m, q);
            }
            (f64::from(u8::from(ok)), m)
        }
        Response::Order(seq) => {
            let f = order_fraction(seq);
            let n = seq.len();
            let mut m = format!(
                "Your order: {} ({} of {} in the right relative order).",
                join_letters(q, seq),
                longest_increasing(seq),
                plural(n, "step", "steps")
            );
            if f < 1.0 && reveal {
                push_reveal(&mut m, q);
            }
            (f, m)
        }
        Response::Match(chosen) => {
            let f = match_fraction(chosen);
            let n = chosen.len();
            let uses = |t: usize| chosen.iter().filter(|c| **c == Some(t)).count();
            let right = chosen
                .iter()
                .enumerate()
                .filter(|(i, c)| **c == Some(*i) && uses(*i) == 1)
                .count();
            let parts: Vec<String> = chosen
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Some(t) => {
                        let verdict = if *t == i && uses(*t) == 1 {
                            "right"
                        } else if uses(*t) > 1 {
                            "used twice"
                        } else {
                            "wrong"
                        };
                        format!("{} → {} ({verdict})", i + 1, q.letter_of(*t))
                    }
                    None => format!("{} → nothing", i + 1),
                })
                .collect();
            let mut m = format!(
                "{right} of {} right: {}.",
                plural(n, "pair", "pairs"),
                parts.join(", ")
            );
            if f < 1.0 && reveal {
                push_reveal(&mut m, q);
            }
            for (i, p) in spec.pairs.iter().enumerate() {
                if let Some(r) = &p.rationale {
                    if reveal || chosen[i] == Some(i) {
                        feedback.push(format!("{} → {}: {r}", p.left.trim(), p.right.trim()));
                    }
                }
            }
            (f, m)
        }
    };
    if let Some(e) = &spec.explanation {
        feedback.push(e.trim().to_string());
    }
    message = message.trim().to_string();
    (fraction, message, feedback)
}

/// The report item for one question of a paper.
pub fn item(q: &DrawnQuestion, answer: &Answer, reveal: bool) -> ItemResult {
    let spec = q.spec;
    let mut item = ItemResult::new(&spec.id, spec.name(), 0.0, spec.points);
    item.concepts = spec.concepts.clone();
    match answer {
        // Unanswered and not understood answers show the right answer too when answers are
        // revealed: a skipped question is where a learner most needs it.
        Answer::Missing | Answer::Malformed(_) => {
            let mut message = match answer {
                Answer::Malformed(why) => {
                    item.status = ItemStatus::Error;
                    format!("Answer not understood: {why}. Scored 0.")
                }
                _ => "No answer given.".to_string(),
            };
            if reveal {
                push_reveal(&mut message, q);
                let feedback = right_answer_feedback(q);
                if !feedback.is_empty() {
                    item.feedback = Some(feedback.join("\n"));
                }
            }
            item.message = Some(message);
        }
        Answer::Given(r) => {
            let (fraction, message, feedback) = judge(q, r, reveal);
            let points = ItemResult::new(&spec.id, "", fraction * spec.points, spec.points);
            item.set_points(points.exact());
            item.status = points.status;
            let mut message = message;
            if item.status == ItemStatus::Partial {
                message.push_str(&format!(
                    " Partial credit: {} of {}.",
                    fmt_points(item.points),
                    fmt_points(spec.points)
                ));
            }
            item.message = Some(message);
            if !feedback.is_empty() {
                item.feedback = Some(feedback.join("\n"));
            }
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use MultipleScoring::*;

    const C: [bool; 4] = [true, true, false, false];

    #[test]
    fn all_or_nothing() {
        assert_eq!(
            multiple_fraction(AllOrNothing, &C, &[true, true, false, false]),
            1.0
        );
        assert_eq!(
            multiple_fraction(AllOrNothing, &C, &[true, false, false, false]),
            0.0
        );
        assert_eq!(multiple_fraction(AllOrNothing, &C, &[true; 4]), 0.0);
        assert_eq!(multiple_fraction(AllOrNothing, &C, &[false; 4]), 0.0);
    }

    #[test]
    fn partial_per_option() {
        assert_eq!(
            multiple_fraction(Partial, &C, &[true, true, false, false]),
            1.0
        );
        assert_eq!(
            multiple_fraction(Partial, &C, &[true, false, false, false]),
            0.75
        );
        assert_eq!(
            multiple_fraction(Partial, &C, &[true, false, true, false]),
            0.5
        );
        assert_eq!(
            multiple_fraction(Partial, &C, &[false, false, true, true]),
            0.0
        );
    }

    #[test]
    fn partial_all_ticked_and_none_ticked_score_zero() {
        assert_eq!(multiple_fraction(Partial, &C, &[true; 4]), 0.0);
        assert_eq!(multiple_fraction(Partial, &C, &[false; 4]), 0.0);
        // When every option is correct, ticking all of them is the answer.
        assert_eq!(multiple_fraction(Partial, &[true; 3], &[true; 3]), 1.0);
    }

    #[test]
    fn right_minus_wrong_with_floor() {
        assert_eq!(
            multiple_fraction(RightMinusWrong, &C, &[true, true, false, false]),
            1.0
        );
        assert_eq!(
            multiple_fraction(RightMinusWrong, &C, &[true, false, false, false]),
            0.5
        );
        assert_eq!(
            multiple_fraction(RightMinusWrong, &C, &[true, true, true, false]),
            0.5
        );
        assert_eq!(multiple_fraction(RightMinusWrong, &C, &[true; 4]), 0.0);
        assert_eq!(multiple_fraction(RightMinusWrong, &C, &[false; 4]), 0.0);
        assert_eq!(
            multiple_fraction(RightMinusWrong, &C, &[false, false, true, true]),
            0.0
        );
        assert_eq!(
            multiple_fraction(RightMinusWrong, &[true; 3], &[true; 3]),
            1.0
        );
    }

    #[test]
    fn order_credit() {
        assert_eq!(order_fraction(&[0, 1, 2, 3]), 1.0);
        assert_eq!(order_fraction(&[3, 2, 1, 0]), 0.0);
        assert_eq!(order_fraction(&[1, 0, 2, 3]), 2.0 / 3.0);
        assert_eq!(order_fraction(&[3, 0, 1, 2]), 2.0 / 3.0);
        assert_eq!(order_fraction(&[1, 0]), 0.0);
        assert_eq!(longest_increasing(&[2, 0, 3, 1, 4]), 3);
    }

    #[test]
    fn match_credit() {
        assert_eq!(match_fraction(&[Some(0), Some(1), Some(2)]), 1.0);
        assert_eq!(match_fraction(&[Some(1), Some(0), Some(2)]), 1.0 / 3.0);
        assert_eq!(match_fraction(&[None, None, None]), 0.0);
        // Duplicate targets: every left item pointing at the same target earns nothing for it.
        assert_eq!(match_fraction(&[Some(0), Some(0), Some(0)]), 0.0);
        assert_eq!(match_fraction(&[Some(0), Some(0), Some(2)]), 1.0 / 3.0);
        // A distractor (index ≥ n) is never right.
        assert_eq!(match_fraction(&[Some(3), Some(1), Some(2)]), 2.0 / 3.0);
    }

    fn numeric(
        value: Option<f64>,
        tol: Option<f64>,
        rel: Option<f64>,
        range: Option<[f64; 2]>,
    ) -> QuestionSpec {
        let mut q: QuestionSpec =
            serde_yaml::from_str("id: n\nkind: numeric\nprompt: p\n").unwrap();
        q.value = value;
        q.tolerance = tol;
        q.relative_tolerance = rel;
        q.range = range;
        q
    }

    #[test]
    fn numeric_rules() {
        let exact = numeric(Some(8.0), None, None, None);
        assert!(numeric_ok(&exact, 8.0));
        assert!(!numeric_ok(&exact, 8.01));
        let abs = numeric(Some(8.0), Some(0.5), None, None);
        assert!(numeric_ok(&abs, 8.5) && numeric_ok(&abs, 7.5) && !numeric_ok(&abs, 8.51));
        let rel = numeric(Some(200.0), None, Some(0.1), None);
        assert!(numeric_ok(&rel, 220.0) && numeric_ok(&rel, 180.0) && !numeric_ok(&rel, 221.0));
        let range = numeric(None, None, None, Some([1.0, 5.0]));
        assert!(numeric_ok(&range, 1.0) && numeric_ok(&range, 5.0) && !numeric_ok(&range, 5.5));
        let zero = numeric(Some(0.1 + 0.2), None, None, None);
        assert!(
            numeric_ok(&zero, 0.3),
            "float noise must not fail an exact answer"
        );
    }

    /// A drawn question in authored order (option `a` is the first authored option).
    fn drawn(spec: &QuestionSpec) -> DrawnQuestion<'_> {
        DrawnQuestion {
            spec,
            order: (0..spec.choice_count()).collect(),
        }
    }

    fn question(yaml: &str) -> QuestionSpec {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn unanswered_questions_reveal_the_right_answer() {
        let cases = [
            (
                "id: s\nkind: single\nprompt: p\nexplanation: Because.\noptions:\n  - {text: PV, rationale: Old.}\n  - {text: HVM, correct: true, rationale: Current.}\n",
                "No answer given. The answer is b) HVM.",
                Some("b) HVM: Current.\nBecause."),
            ),
            (
                "id: m\nkind: multiple\nprompt: p\noptions:\n  - {text: A, correct: true}\n  - {text: B}\n  - {text: C, correct: true}\n",
                "No answer given. The correct options are a, c.",
                None,
            ),
            (
                "id: t\nkind: true_false\nprompt: p\nanswer: false\nrationale_false: Regional.\n",
                "No answer given. The statement is false.",
                Some("Regional."),
            ),
            (
                "id: n\nkind: numeric\nprompt: p\nvalue: 12\nunit: digits\n",
                "No answer given. Accepted: 12 digits.",
                None,
            ),
            (
                "id: x\nkind: text\nprompt: p\naccept: [self]\n",
                "No answer given. Accepted: \"self\".",
                None,
            ),
            (
                "id: o\nkind: order\nprompt: p\nsteps: [one, two, three]\n",
                "No answer given. Correct order: a, b, c.",
                None,
            ),
            (
                "id: p\nkind: match\nprompt: p\npairs:\n  - {left: L1, right: R1, rationale: Why.}\n  - {left: L2, right: R2}\n",
                "No answer given. Correct: 1 → a, 2 → b.",
                Some("L1 → R1: Why."),
            ),
        ];
        for (yaml, message, feedback) in cases {
            let spec = question(yaml);
            let q = drawn(&spec);
            let item = item(&q, &Answer::Missing, true);
            assert_eq!(item.message.as_deref(), Some(message), "{yaml}");
            assert_eq!(item.feedback.as_deref(), feedback, "{yaml}");
            let hidden = super::item(&q, &Answer::Missing, false);
            assert_eq!(hidden.message.as_deref(), Some("No answer given."));
            assert_eq!(hidden.feedback, None);
        }
    }

    #[test]
    fn a_malformed_answer_reveals_the_right_answer_too() {
        let spec = question("id: n\nkind: numeric\nprompt: p\nvalue: 12\n");
        let item = item(&drawn(&spec), &Answer::Malformed("why".into()), true);
        assert_eq!(item.status, ItemStatus::Error);
        assert_eq!(
            item.message.as_deref(),
            Some("Answer not understood: why. Scored 0. Accepted: 12.")
        );
    }

    #[test]
    fn option_texts_ending_in_a_question_mark_get_no_period() {
        let spec = question(
            "id: s\nkind: single\nprompt: p\noptions:\n  - {text: Is it free?}\n  - {text: Does it cost?, correct: true}\n",
        );
        let (_, message, _) = judge(&drawn(&spec), &Response::Single(0), true);
        assert_eq!(
            message,
            "You chose a) Is it free? The answer is b) Does it cost?"
        );
    }

    #[test]
    fn counts_in_messages_agree_with_their_number() {
        let spec = question("id: p\nkind: match\nprompt: p\npairs:\n  - {left: L1, right: R1}\n  - {left: L2, right: R2}\n");
        let (_, message, _) = judge(
            &drawn(&spec),
            &Response::Match(vec![Some(0), Some(0)]),
            false,
        );
        assert!(message.starts_with("0 of 2 pairs right"), "{message}");
        let (_, message, _) = judge(&drawn(&spec), &Response::Match(vec![Some(0), None]), false);
        assert!(message.starts_with("1 of 2 pairs right"), "{message}");
    }

    #[test]
    fn text_rules() {
        let mut q: QuestionSpec = serde_yaml::from_str("id: t\nkind: text\nprompt: p\n").unwrap();
        q.accept = vec!["copy-image".into(), "Copy Image".into()];
        assert!(text_ok(&q, "  COPY-image "));
        assert!(text_ok(&q, "copy    image"));
        assert!(!text_ok(&q, "copyimage"));
        q.pattern = Some(r"(aws ec2 )?copy[- ]image".into());
        assert!(text_ok(&q, "aws ec2 copy-image"));
        assert!(
            !text_ok(&q, "please aws ec2 copy-image now"),
            "the regex must match the whole answer"
        );
    }
}

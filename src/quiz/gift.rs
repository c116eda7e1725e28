//! `amilab quiz export --to gift`: Moodle's GIFT format, so instructors can reuse a bank.

use super::spec::{Kind, MultipleScoring, QuestionSpec, QuizSpec};

/// Escapes GIFT's special characters (`~ = # { } :` and the backslash) and turns line breaks
/// into GIFT's `\n`, so that no text can end a question or forge an answer.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.trim_end();
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A GIFT percentage: 100/n for n = 1..10 falls on Moodle's list of accepted grades.
fn percent(x: f64) -> String {
    let s = format!("{:.5}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn feedback(r: &Option<String>) -> String {
    match r {
        Some(r) if !r.trim().is_empty() => format!("#{}", escape(r.trim())),
        _ => String::new(),
    }
}

fn question(q: &QuestionSpec, out: &mut String) {
    out.push_str(&format!(
        "// {} ({}), concepts: {}\n",
        q.id,
        q.kind.as_str(),
        q.concepts.join(", ")
    ));
    let head = format!("::{}::[markdown]{}", escape(&q.id), escape(q.prompt.trim()));
    let general = q
        .explanation
        .as_deref()
        .map(|e| format!("\n\t####{}", escape(e.trim())))
        .unwrap_or_default();
    match q.kind {
        Kind::Single => {
            out.push_str(&head);
            out.push_str(" {\n");
            for o in &q.options {
                let mark = if o.correct { '=' } else { '~' };
                out.push_str(&format!(
                    "\t{mark}{}{}\n",
                    escape(o.text.trim()),
                    feedback(&o.rationale)
                ));
            }
        }
        Kind::Multiple => {
            if q.scoring() == MultipleScoring::AllOrNothing {
                out.push_str(
                    "// scored all-or-nothing in amilab; GIFT weights give partial credit\n",
                );
            }
            let n_correct = q.options.iter().filter(|o| o.correct).count().max(1);
            let n_wrong = q.options.len() - q.options.iter().filter(|o| o.correct).count();
            out.push_str(&head);
            out.push_str(" {\n");
            for o in &q.options {
                let w = if o.correct {
                    percent(100.0 / n_correct as f64)
                } else if n_wrong > 0 {
                    format!("-{}", percent(100.0 / n_wrong as f64))
                } else {
                    "0".into()
                };
                out.push_str(&format!(
                    "\t~%{w}%{}{}\n",
                    escape(o.text.trim()),
                    feedback(&o.rationale)
                ));
            }
        }
        Kind::TrueFalse => {
            let truth = q.answer.unwrap_or(false);
            // GIFT: {T#shown if wrong#shown if right}
            let (wrong, right) = if truth {
                (&q.rationale_false, &q.rationale_true)
            } else {
                (&q.rationale_true, &q.rationale_false)
            };
            out.push_str(&format!(
                "{head} {{{}{}{}",
                if truth { "TRUE" } else { "FALSE" },
                feedback(wrong),
                feedback(right)
            ));
            out.push_str(&general);
            out.push_str("}\n\n");
            return;
        }
        Kind::Numeric => {
            let body = match (q.range, q.value) {
                (Some([lo, hi]), _) => format!("{lo}..{hi}"),
                (None, Some(v)) => {
                    let t = q
                        .tolerance
                        .or(q.relative_tolerance.map(|r| r * v.abs()))
                        .unwrap_or(0.0);
                    format!("{v}:{t}")
                }
                _ => "0".into(),
            };
            out.push_str(&format!("{head} {{#{body}"));
            out.push_str(&general);
            out.push_str("}\n\n");
            return;
        }
        Kind::Text => {
            if q.accept.is_empty() {
                out.push_str("// skipped: only a regex pattern accepts answers, which GIFT cannot express\n\n");
                return;
            }
            if q.pattern.is_some() {
                out.push_str(
                    "// the regex pattern is not exported; only the accepted answers are\n",
                );
            }
            out.push_str(&head);
            out.push_str(" {\n");
            for a in &q.accept {
                out.push_str(&format!("\t={}\n", escape(a.trim())));
            }
        }
        Kind::Order => {
            out.push_str("// exported as matching: each position is paired with its step\n");
            out.push_str(&head);
            out.push_str(" {\n");
            for (i, s) in q.steps.iter().enumerate() {
                out.push_str(&format!("\t=Step {} -> {}\n", i + 1, escape(s.trim())));
            }
        }
        Kind::Match => {
            if !q.distractors.is_empty() {
                out.push_str("// distractors are not exported\n");
            }
            out.push_str(&head);
            out.push_str(" {\n");
            for p in &q.pairs {
                out.push_str(&format!(
                    "\t={} -> {}\n",
                    escape(p.left.trim()),
                    escape(p.right.trim())
                ));
            }
        }
    }
    if !general.is_empty() {
        out.push_str(general.trim_start_matches('\n'));
        out.push('\n');
    }
    out.push_str("}\n\n");
}

/// The whole quiz as GIFT, questions in authoring order.
pub fn export(quiz: &QuizSpec) -> String {
    let mut out = format!(
        "// {}: {} (exported by amilab)\n",
        quiz.id,
        quiz.title.replace('\n', " ")
    );
    out.push_str(&format!("$CATEGORY: amilab/{}\n\n", quiz.id));
    for q in &quiz.questions {
        question(q, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(escape("a~b=c#d{e}f:g\\h"), "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h");
        assert_eq!(escape("line one\n\nline two"), "line one\\n\\nline two");
    }

    #[test]
    fn weights_are_moodle_grades() {
        assert_eq!(percent(100.0 / 3.0), "33.33333");
        assert_eq!(percent(50.0), "50");
        assert_eq!(percent(100.0 / 8.0), "12.5");
    }
}

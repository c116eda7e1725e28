//! The `junit` renderer: the JUnit XML subset that GitLab and GitHub test reporters read.

use super::escape::xml;
use super::model::{fmt_points, points_text, ItemStatus, RunResult, Visibility};

fn seconds(t: Option<f64>) -> String {
    format!("{:.3}", t.unwrap_or(0.0))
}

pub fn junit(result: &RunResult) -> String {
    // Notes (answers to unknown questions) are not tests: they are warnings in system-err.
    let failures = result
        .graded_items()
        .filter(|i| matches!(i.status, ItemStatus::Failed | ItemStatus::Partial))
        .count();
    let run_error = usize::from(result.error.is_some());
    let errors = result
        .graded_items()
        .filter(|i| i.status == ItemStatus::Error)
        .count()
        + run_error;
    let tests = result.graded_items().count() + run_error;
    let total_time = seconds(result.timings.as_ref().map(|t| t.total_seconds));
    let suite = format!("{} {}", result.kind.as_str(), result.id);
    let classname = format!("amilab.{}.{}", result.kind.as_str(), result.id);

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"amilab\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{total_time}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{total_time}\">\n",
        xml(&suite)
    ));
    out.push_str("    <properties>\n");
    let mut props = vec![
        ("title", result.title.clone()),
        ("seed", result.seed.to_string()),
        ("score", fmt_points(result.score)),
        ("max_score", fmt_points(result.max_score)),
        ("pass_mark", fmt_points(result.pass_mark)),
        ("passed", result.passed.to_string()),
        ("outcome", outcome_word(result).to_string()),
    ];
    let warnings = result.notes().count();
    if warnings > 0 {
        props.push(("warnings", warnings.to_string()));
    }
    if let Some(learner) = &result.learner {
        props.insert(1, ("learner", learner.clone()));
    }
    if let Some(due) = &result.due {
        props.push(("due", due.clone()));
    }
    for (name, value) in props {
        out.push_str(&format!(
            "      <property name=\"{name}\" value=\"{}\"/>\n",
            xml(&value)
        ));
    }
    out.push_str("    </properties>\n");
    for item in result.graded_items() {
        let name = format!("{}: {}", item.id, item.label());
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
            xml(&classname),
            xml(&name),
            seconds(item.time_seconds)
        );
        if item.status == ItemStatus::Passed {
            out.push_str(&open);
            match item.hint_charge() {
                // Passed, with points taken off for hints: say why the points dropped.
                Some(charge) => out.push_str(&format!(
                    "><system-out>{}</system-out></testcase>\n",
                    xml(&charge)
                )),
                None => out.push_str("/>\n"),
            }
            continue;
        }
        out.push_str(&open);
        out.push_str(">\n");
        let points = format!(
            "{}/{}",
            fmt_points(item.points),
            points_text(item.max_points)
        );
        let (body, summary) = if item.visibility == Visibility::Hidden {
            (
                "(details hidden)".to_string(),
                "(details hidden)".to_string(),
            )
        } else {
            let mut body = Vec::new();
            body.extend(item.message.clone());
            if let Some(e) = &item.expected {
                body.push(format!("expected: {e}"));
            }
            if let Some(f) = &item.found {
                body.push(format!("found: {f}"));
            }
            body.extend(item.feedback.clone());
            let summary = item
                .message
                .as_deref()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            (super::escape::no_commands(&body.join("\n\n")), summary)
        };
        let message = if summary.is_empty() {
            points.clone()
        } else {
            format!("{points}: {summary}")
        };
        let (tag, kind) = match item.status {
            ItemStatus::Error => ("error", "error"),
            ItemStatus::Partial => ("failure", "partial"),
            _ => ("failure", "failed"),
        };
        out.push_str(&format!(
            "      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>\n",
            xml(&message),
            xml(&body)
        ));
        out.push_str("    </testcase>\n");
    }
    if let Some(error) = &result.error {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"grading\" time=\"0.000\">\n      <error message=\"could not be graded\" type=\"error\">{}</error>\n    </testcase>\n",
            xml(&classname),
            xml(error)
        ));
    }
    let mut extra = String::new();
    if let Some(sub) = &result.submission {
        if let Some(e) = &sub.error {
            extra.push_str(&format!("\nYour script stopped: {}", e.describe()));
        }
        if !sub.output.is_empty() {
            extra.push_str("\nYour script printed (not part of the grade):");
            for line in &sub.output {
                extra.push_str(&format!("\n| {}", super::escape::one_line(line)));
            }
        }
    }
    out.push_str(&format!(
        "    <system-out>{}{}</system-out>\n",
        result.score_sentence(),
        xml(&extra)
    ));
    let notes: Vec<String> = result
        .notes()
        .map(|n| {
            format!(
                "warning: {}: {}",
                n.id,
                super::escape::one_line(n.message.as_deref().unwrap_or(&n.name))
            )
        })
        .collect();
    if !notes.is_empty() {
        out.push_str(&format!(
            "    <system-err>{}</system-err>\n",
            xml(&notes.join("\n"))
        ));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `passed`, `failed` or `error`: the run's outcome as the `outcome` property says it.
fn outcome_word(result: &RunResult) -> &'static str {
    match result.outcome {
        super::model::Outcome::Passed => "passed",
        super::model::Outcome::Failed => "failed",
        super::model::Outcome::Error => "error",
    }
}

//! The `tap` renderer: TAP version 14, with a YAML diagnostic block for every item not passed.

use serde::Serialize;

use super::escape;
use super::model::{ItemStatus, RunResult, Visibility};

#[derive(Serialize)]
struct Block<'a> {
    severity: &'a str,
    points: f64,
    max_points: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feedback: Option<&'a str>,
}

pub fn tap(result: &RunResult) -> String {
    let mut out = String::from("TAP version 14\n");
    // Notes (answers to unknown questions) are not tests: they are `# warning:` comments.
    out.push_str(&format!("1..{}\n", result.graded_items().count()));
    for (n, item) in result.graded_items().enumerate() {
        let ok = if item.status == ItemStatus::Passed {
            "ok"
        } else {
            "not ok"
        };
        out.push_str(&format!(
            "{ok} {} - {}\n",
            n + 1,
            escape::tap_description(&format!("{}: {}", item.id, item.label()))
        ));
        if item.status == ItemStatus::Passed {
            if let Some(charge) = item.hint_charge() {
                out.push_str(&format!("# {}: {charge}\n", item.id));
            }
            continue;
        }
        let hidden = item.visibility == Visibility::Hidden;
        let block = Block {
            severity: match item.status {
                ItemStatus::Partial => "partial",
                ItemStatus::Error => "error",
                _ => "fail",
            },
            points: item.points,
            max_points: item.max_points,
            message: if hidden {
                Some("(details hidden)")
            } else {
                item.message.as_deref()
            },
            expected: item.expected.as_deref().filter(|_| !hidden),
            found: item.found.as_deref().filter(|_| !hidden),
            feedback: if hidden {
                None
            } else {
                item.feedback.as_deref()
            },
        };
        let yaml = serde_yaml::to_string(&block).expect("a TAP block always serializes");
        out.push_str("  ---\n");
        for line in escape::terminal(&yaml).lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str("  ...\n");
    }
    if let Some(sub) = &result.submission {
        if let Some(e) = &sub.error {
            out.push_str(&format!(
                "# your script stopped: {}\n",
                escape::one_line(&e.describe())
            ));
        }
        if !sub.output.is_empty() {
            out.push_str("# your script printed (not part of the grade):\n");
            for line in &sub.output {
                out.push_str(&format!("# | {}\n", escape::one_line(line)));
            }
        }
    }
    for note in result.notes() {
        out.push_str(&format!(
            "# warning: {}: {}\n",
            escape::one_line(&note.id),
            escape::one_line(note.message.as_deref().unwrap_or(&note.name))
        ));
    }
    if let Some(error) = &result.error {
        out.push_str(&format!(
            "Bail out! could not be graded: {}\n",
            escape::one_line(error)
        ));
    }
    out.push_str(&format!("# {}\n", result.score_sentence()));
    // The run's verdict in one line any TAP consumer can read: a run may pass with items
    // `not ok` (points lost above the pass mark), so the count of `ok` lines does not say it.
    out.push_str(&format!("# passed: {}\n", result.passed));
    out
}

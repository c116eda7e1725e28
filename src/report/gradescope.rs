//! The `gradescope` renderer: Gradescope's `results.json` (score, max_score, tests).

use serde::Serialize;

use super::escape::markdown_inline;
use super::model::{fmt_points, points_text, ItemStatus, RunResult, Visibility};

#[derive(Serialize)]
struct Results {
    score: f64,
    max_score: f64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    execution_time: Option<f64>,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    score: f64,
    max_score: f64,
    status: &'static str,
    name: String,
    output: String,
    visibility: &'static str,
    output_format: &'static str,
}

/// Markdown for one block of learner-facing text: each line escaped, lines kept apart.
fn md_block(text: &str) -> String {
    text.lines()
        .map(markdown_inline)
        .collect::<Vec<_>>()
        .join("  \n")
}

pub fn gradescope(result: &RunResult) -> String {
    let mut output = format!(
        "**{} {}**: {}/{} ({}%), pass mark {}%: **{}**",
        result.kind.as_str(),
        markdown_inline(&result.id),
        fmt_points(result.score),
        points_text(result.max_score),
        fmt_points(result.percent()),
        fmt_points(result.pass_mark),
        result.verdict()
    );
    if let Some(error) = &result.error {
        output.push_str(&format!("\n\nCould not be graded: {}", md_block(error)));
    }
    // Notes (answers to unknown questions) are not tests: they are warnings up here.
    for note in result.notes() {
        output.push_str(&format!(
            "\n\n**Warning** (not scored): {}: {}",
            markdown_inline(&note.id),
            md_block(note.message.as_deref().unwrap_or(&note.name))
        ));
    }
    if let Some(due) = &result.due {
        output.push_str(&format!("\n\nDue {}", markdown_inline(due)));
    }
    // An assignment's parts: each one's subtotal, file and message.
    if !result.parts.is_empty() {
        let lines: Vec<String> = result
            .parts
            .iter()
            .map(|p| {
                let mut line = format!(
                    "- {} {}: {}/{} ({}%)",
                    p.kind.as_str(),
                    markdown_inline(&p.id),
                    fmt_points(p.score),
                    fmt_points(p.max_score),
                    fmt_points(p.percent())
                );
                if let Some(file) = &p.file {
                    line.push_str(&format!(", {}", markdown_inline(file)));
                }
                if p.required {
                    line.push_str(if p.passed {
                        " (required: passed)"
                    } else {
                        " (required: not passed)"
                    });
                }
                if let Some(message) = &p.message {
                    line.push_str(&format!(": {}", markdown_inline(message)));
                }
                line
            })
            .collect();
        output.push_str(&format!("\n\n{}", lines.join("\n")));
    }
    if let Some(sub) = &result.submission {
        if let Some(e) = &sub.error {
            output.push_str(&format!(
                "\n\n**Your script stopped:** {}",
                md_block(&e.describe())
            ));
            if let Some(help) = &e.help {
                output.push_str(&format!("\n\n**Help:** {}", markdown_inline(help)));
            }
        }
        if !sub.output.is_empty() {
            output.push_str("\n\n**Your script printed** (not part of the grade):\n\n");
            let lines: Vec<String> = sub
                .output
                .iter()
                .map(|l| format!("\\| {}", markdown_inline(l)))
                .collect();
            output.push_str(&lines.join("  \n"));
        }
    }
    let tests = result
        .graded_items()
        .map(|item| {
            let expected_found = if item.status == ItemStatus::Passed {
                None
            } else {
                let parts: Vec<String> = [("Expected", &item.expected), ("Found", &item.found)]
                    .into_iter()
                    .filter_map(|(label, v)| {
                        v.as_ref()
                            .map(|v| format!("**{label}:** {}", markdown_inline(v)))
                    })
                    .collect();
                (!parts.is_empty()).then(|| parts.join("  \n"))
            };
            let output = if item.visibility == Visibility::Hidden && item.message.is_none() {
                String::new()
            } else {
                item.message
                    .iter()
                    .map(|t| md_block(t))
                    .chain(expected_found)
                    .chain(item.feedback.iter().map(|t| md_block(t)))
                    .collect::<Vec<_>>()
                    .join("\n\n")
            };
            Test {
                score: item.points,
                max_score: item.max_points,
                status: if item.status == ItemStatus::Passed {
                    "passed"
                } else {
                    "failed"
                },
                name: format!("{}: {}", item.id, item.label()),
                output,
                visibility: match item.visibility {
                    Visibility::Visible => "visible",
                    Visibility::Hidden => "hidden",
                },
                output_format: "md",
            }
        })
        .collect();
    let results = Results {
        score: result.score,
        max_score: result.max_score,
        output,
        output_format: "md",
        visibility: "visible",
        execution_time: result.timings.as_ref().map(|t| t.total_seconds),
        tests,
    };
    let mut s = serde_json::to_string_pretty(&results).expect("results.json always serializes");
    s.push('\n');
    s
}

//! The `github` renderer: GitHub Classroom's runner result (base64 JSON for `$GITHUB_OUTPUT`),
//! workflow-command annotations for stdout, and a markdown step summary.

use base64::Engine as _;
use serde::Serialize;

use super::escape::{gh_data, gh_property, markdown_inline, one_line};
use super::model::{fmt_points, ItemStatus, Outcome, RunResult, Visibility};

/// The three outputs of the `github` format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubOutputs {
    /// Lines for stdout: one line per item, then the `::notice` annotation.
    pub stdout: String,
    /// The line to append to `$GITHUB_OUTPUT`: `result=<base64 of the runner JSON>`.
    pub output_line: String,
    /// Markdown to append to `$GITHUB_STEP_SUMMARY`.
    pub summary: String,
}

#[derive(Serialize)]
struct RunnerResult {
    version: u32,
    status: &'static str,
    max_score: f64,
    tests: Vec<RunnerTest>,
}

#[derive(Serialize)]
struct RunnerTest {
    name: String,
    status: &'static str,
    score: f64,
    message: String,
}

fn status_word(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Passed => "pass",
        ItemStatus::Error => "error",
        _ => "fail",
    }
}

/// The item's message with expected / found, on one line.
fn item_message(item: &super::model::ItemResult) -> String {
    let mut parts: Vec<String> = item.message.iter().cloned().collect();
    parts.extend(item.hint_charge());
    if item.status != ItemStatus::Passed {
        if let Some(e) = &item.expected {
            parts.push(format!("expected: {e}"));
        }
        if let Some(f) = &item.found {
            parts.push(format!("found: {f}"));
        }
    }
    parts.join("; ")
}

/// The runner result as JSON (before base64).
pub fn runner_json(result: &RunResult) -> String {
    let runner = RunnerResult {
        version: 1,
        status: match result.outcome {
            Outcome::Passed => "pass",
            Outcome::Failed => "fail",
            Outcome::Error => "error",
        },
        max_score: result.max_score,
        // Notes (answers to unknown questions) are not tests: they are `::warning`s on stdout.
        tests: result
            .graded_items()
            .map(|item| RunnerTest {
                name: format!("{}: {}", item.id, item.label()),
                status: status_word(item.status),
                score: item.points,
                message: if item.visibility == Visibility::Hidden {
                    "(details hidden)".to_string()
                } else {
                    item_message(item)
                },
            })
            .collect(),
    };
    serde_json::to_string(&runner).expect("the runner result always serializes")
}

pub fn github(result: &RunResult) -> GithubOutputs {
    let json = runner_json(result);
    let output_line = format!(
        "result={}\n",
        base64::engine::general_purpose::STANDARD.encode(json)
    );

    // Every stdout line starts with a fixed word, and learner text is folded onto that line, so
    // no learner text can begin a line with `::` and be taken for a workflow command.
    let mut stdout = String::new();
    for item in result.graded_items() {
        let mut line = format!(
            "{} {}/{} {}: {}",
            item.status.word(),
            fmt_points(item.points),
            fmt_points(item.max_points),
            one_line(&item.id),
            one_line(&item.label())
        );
        if item.visibility == Visibility::Visible {
            let message = item_message(item);
            if !message.is_empty() {
                line.push_str(&format!(" - {}", one_line(&message)));
            }
        }
        stdout.push_str(&line);
        stdout.push('\n');
    }
    let title = format!("amilab {} {}", result.kind.as_str(), result.id);
    for note in result.notes() {
        stdout.push_str(&format!(
            "::warning title={}::{}: {}\n",
            gh_property(&title),
            gh_data(&note.id),
            gh_data(note.message.as_deref().unwrap_or(&note.name))
        ));
    }
    // The learner's printed output is never written to stdout here: only to the summary,
    // escaped, under its own heading.
    if let Some(e) = result.submission.as_ref().and_then(|s| s.error.as_ref()) {
        stdout.push_str(&format!(
            "::warning title={}::your script stopped: {}\n",
            gh_property(&title),
            gh_data(&e.describe())
        ));
    }
    if let Some(error) = &result.error {
        stdout.push_str(&format!(
            "::error title={}::could not be graded: {}\n",
            gh_property(&title),
            gh_data(error)
        ));
    }
    stdout.push_str(&format!(
        "::notice title={}::Points {}/{}\n",
        gh_property(&title),
        fmt_points(result.score),
        fmt_points(result.max_score)
    ));

    let mut summary = format!(
        "### amilab {} `{}`: {}\n\n**Points {}/{}** ({}%), pass mark {}%: **{}**\n\n",
        result.kind.as_str(),
        result.id.replace('`', "'"),
        markdown_inline(&result.title),
        fmt_points(result.score),
        fmt_points(result.max_score),
        fmt_points(result.percent()),
        fmt_points(result.pass_mark),
        match result.outcome {
            Outcome::Error => "not graded".to_string(),
            _ => result.verdict(),
        }
    );
    if let Some(error) = &result.error {
        summary.push_str(&format!(
            "Could not be graded: {}\n\n",
            markdown_inline(error)
        ));
    }
    summary.push_str("| Status | Item | Points | Details |\n|---|---|---|---|\n");
    for item in result.graded_items() {
        let details = if item.visibility == Visibility::Hidden {
            "(details hidden)".to_string()
        } else {
            markdown_inline(&item_message(item))
        };
        summary.push_str(&format!(
            "| {} | {}: {} | {}/{} | {} |\n",
            item.status.word(),
            markdown_inline(&item.id),
            markdown_inline(&item.label()),
            fmt_points(item.points),
            fmt_points(item.max_points),
            details
        ));
    }
    for note in result.notes() {
        summary.push_str(&format!(
            "\n**Warning** (not scored): {}: {}\n",
            markdown_inline(&note.id),
            markdown_inline(note.message.as_deref().unwrap_or(&note.name))
        ));
    }
    if let Some(sub) = &result.submission {
        if let Some(e) = &sub.error {
            summary.push_str(&format!(
                "\n**Your script stopped:** {}\n",
                markdown_inline(&e.describe())
            ));
            if let Some(help) = &e.help {
                summary.push_str(&format!("\n**Help:** {}\n", markdown_inline(help)));
            }
        }
        if !sub.output.is_empty() {
            summary.push_str(
                "\n<details><summary>Your script printed (not part of the grade)</summary>\n\n",
            );
            for line in &sub.output {
                summary.push_str(&format!("\\| {}<br>\n", markdown_inline(line)));
            }
            summary.push_str("\n</details>\n");
        }
    }
    GithubOutputs {
        stdout,
        output_line,
        summary,
    }
}

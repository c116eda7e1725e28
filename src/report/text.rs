//! The `pretty` (colour, symbols) and `plain` (screen-reader friendly) renderers.

use owo_colors::{OwoColorize, Style};

use super::escape;
use super::wrap::wrap_indented;
use amilab_text::sentence;

use super::model::{
    fmt_points, points_text, ItemResult, ItemStatus, PartResult, RunResult, ScriptStatus,
    Visibility,
};

/// How the `pretty` renderer may decorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrettyOptions {
    pub color: bool,
    /// Wrap the items' messages and feedback at this many columns (the terminal's, in `quiz
    /// take`); `None` leaves each on one line, for logs and files.
    pub width: Option<usize>,
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

fn heading(result: &RunResult) -> String {
    format!(
        "{} {}: {}",
        capitalised(result.kind.as_str()),
        result.id,
        escape::one_line(&result.title)
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn detail_lines(item: &ItemResult) -> Vec<String> {
    if item.visibility == Visibility::Hidden {
        return vec!["(details hidden)".to_string()];
    }
    let mut lines = Vec::new();
    if let Some(text) = &item.message {
        lines.extend(escape::terminal(text).lines().map(str::to_string));
    }
    if item.status != ItemStatus::Passed {
        for (label, value) in [("expected", &item.expected), ("found", &item.found)] {
            if let Some(v) = value {
                lines.push(format!("{label}: {}", escape::one_line(v)));
            }
        }
    }
    if let Some(text) = &item.feedback {
        lines.extend(escape::terminal(text).lines().map(str::to_string));
    }
    lines
}

/// The prominent notice of a script that stopped early, if it did: the notice and the help
/// line under the error, if any.
fn script_stop(result: &RunResult) -> Option<(String, Option<String>)> {
    let sub = result.submission.as_ref()?;
    let error = sub.error.as_ref()?;
    let what = match sub.status {
        ScriptStatus::RuntimeError => {
            "Your script stopped with an error; the state it reached was graded"
        }
        ScriptStatus::LimitExceeded => {
            "Your script was stopped by a sandbox limit; the state it reached was graded"
        }
        ScriptStatus::SyntaxError => "Your script has a syntax error; nothing ran",
        ScriptStatus::InternalError => "amilab failed while your script ran; nothing was graded",
        ScriptStatus::Completed => return None,
    };
    Some((
        format!("{what}:\n{}", escape::terminal(&error.describe())),
        error.help.as_deref().map(escape::one_line),
    ))
}

/// `NOT PASSED`, with the required checks that decided it when the points alone would pass.
fn not_passed(result: &RunResult) -> String {
    match result.verdict().split_once(": ") {
        Some((_, why)) => format!("NOT PASSED ({why})"),
        None => "NOT PASSED".to_string(),
    }
}

/// The learner's printed lines, each behind a `|` gutter so none can pass for a report line.
fn learner_output(result: &RunResult, gutter: &str) -> Option<String> {
    let sub = result.submission.as_ref()?;
    if sub.output.is_empty() {
        return None;
    }
    let mut out = String::new();
    for line in &sub.output {
        out.push_str(&format!("  {gutter} {}\n", escape::one_line(line)));
    }
    if sub.output_truncated {
        out.push_str(&format!("  {gutter} (output truncated)\n"));
    }
    Some(out)
}

/// `14/20 (70%)`: a part's points in the assignment.
fn part_score(part: &PartResult) -> String {
    format!(
        "{}/{} ({}%)",
        fmt_points(part.score),
        fmt_points(part.max_score),
        fmt_points(part.percent())
    )
}

/// Colour and symbols; `opts.color` decides whether ANSI colours are used.
pub fn pretty(result: &RunResult, opts: PrettyOptions) -> String {
    let c = opts.color;
    let mut out = String::new();
    out.push_str(&paint(&heading(result), Style::new().bold(), c));
    out.push('\n');
    let mut meta = Vec::new();
    if let Some(learner) = &result.learner {
        meta.push(format!("learner {}", escape::one_line(learner)));
    }
    meta.push(format!("seed {}", result.seed));
    if let Some(due) = &result.due {
        meta.push(format!("due {}", escape::one_line(due)));
    }
    out.push_str(&paint(&meta.join(" · "), Style::new().dimmed(), c));
    out.push_str("\n\n");
    if let Some((stop, help)) = script_stop(result) {
        let (first, rest) = stop.split_once('\n').unwrap_or((&stop, ""));
        out.push_str(&format!(
            "{} {}\n   {}\n",
            paint("!", Style::new().red().bold(), c),
            paint(first, Style::new().red().bold(), c),
            rest.replace('\n', "\n   ")
        ));
        if let Some(help) = help {
            out.push_str(&format!(
                "   = {}: {help}\n",
                paint("help", Style::new().cyan().bold(), c)
            ));
        }
        out.push('\n');
    }
    let width = result
        .items
        .iter()
        .map(|i| format!("{}/{}", fmt_points(i.points), fmt_points(i.max_points)).len())
        .max()
        .unwrap_or(0);
    for item in &result.items {
        let (symbol, style) = match item.status {
            ItemStatus::Passed => ("✔", Style::new().green()),
            ItemStatus::Partial => ("◐", Style::new().yellow()),
            ItemStatus::Failed => ("✘", Style::new().red()),
            ItemStatus::Error => ("!", Style::new().red().bold()),
        };
        let points = format!(
            "{}/{}",
            fmt_points(item.points),
            fmt_points(item.max_points)
        );
        const INDENT: &str = "     ";
        // The label wraps after the id, its further lines under the details.
        let label = escape::one_line(&item.label());
        let lead = 1 + 1 + 1 + width + 2 + item.id.chars().count() + 1;
        let label_lines: Vec<String> = match opts.width {
            Some(cols) if lead + label.chars().count() > cols => {
                textwrap::wrap(&label, cols.saturating_sub(lead).max(20))
                    .into_iter()
                    .map(|l| l.into_owned())
                    .collect()
            }
            _ => vec![label],
        };
        out.push_str(&format!(
            " {} {:<width$}  {} {}\n",
            paint(symbol, style, c),
            points,
            paint(&item.id, Style::new().bold(), c),
            label_lines[0],
        ));
        for more in &label_lines[1..] {
            out.push_str(&format!("{INDENT}{more}\n"));
        }
        for line in detail_lines(item) {
            let lines = match opts.width {
                Some(width) => wrap_indented(&line, INDENT, width),
                None => vec![format!("{INDENT}{line}")],
            };
            for l in lines {
                let body = l.strip_prefix(INDENT).unwrap_or(&l);
                out.push_str(&format!(
                    "{INDENT}{}\n",
                    paint(body, Style::new().dimmed(), c).trim_end()
                ));
            }
        }
    }
    if !result.parts.is_empty() {
        out.push_str(&format!("\n{}\n", paint("Parts", Style::new().bold(), c)));
        let id_width = result
            .parts
            .iter()
            .map(|p| p.id.chars().count())
            .max()
            .unwrap_or(0);
        let width = result
            .parts
            .iter()
            .map(|p| part_score(p).len())
            .max()
            .unwrap_or(0);
        for part in &result.parts {
            let mut file = part
                .file
                .as_deref()
                .map(|f| format!("  {}", escape::one_line(f)))
                .unwrap_or_default();
            if part.required {
                file.push_str(if part.passed {
                    "  (required: passed)"
                } else {
                    "  (required: not passed)"
                });
            }
            out.push_str(&format!(
                " {:<4} {}  {:<width$}{}\n",
                part.kind.as_str(),
                paint(&format!("{:<id_width$}", part.id), Style::new().bold(), c),
                part_score(part),
                paint(&file, Style::new().dimmed(), c),
            ));
            if let Some(message) = &part.message {
                for line in escape::terminal(message).lines() {
                    let lines = match opts.width {
                        Some(width) => wrap_indented(line, "      ", width),
                        None => vec![format!("      {line}")],
                    };
                    for l in lines {
                        out.push_str(&format!("{}\n", paint(&l, Style::new().dimmed(), c)));
                    }
                }
            }
        }
    }
    if let Some(printed) = learner_output(result, "│") {
        out.push_str(&format!(
            "\n{}\n{printed}",
            paint(
                "Your script printed (not part of the grade):",
                Style::new().dimmed(),
                c
            )
        ));
    }
    if let Some(error) = &result.error {
        out.push_str(&format!(
            "\n{} {}\n",
            paint("could not be graded:", Style::new().red().bold(), c),
            escape::terminal(error)
        ));
    }
    let verdict = match (result.error.is_some(), result.passed) {
        (true, _) => paint("NOT GRADED", Style::new().red().bold(), c),
        (false, true) => paint("PASSED", Style::new().green().bold(), c),
        (false, false) => paint(&not_passed(result), Style::new().red().bold(), c),
    };
    out.push_str(&format!(
        "\nScore {}/{} ({}%) · pass mark {}% · {}\n",
        fmt_points(result.score),
        fmt_points(result.max_score),
        fmt_points(result.percent()),
        fmt_points(result.pass_mark),
        verdict
    ));
    out
}

/// No colour, no symbols, one sentence per fact: for screen readers and plain logs.
pub fn plain(result: &RunResult) -> String {
    let mut out = String::new();
    out.push_str(&heading(result));
    out.push('\n');
    if let Some(learner) = &result.learner {
        out.push_str(&format!("Learner: {}.\n", escape::one_line(learner)));
    }
    out.push_str(&format!("Seed: {}.\n", result.seed));
    if let Some(due) = &result.due {
        out.push_str(&format!("Due: {}.\n", escape::one_line(due)));
    }
    if let Some((stop, help)) = script_stop(result) {
        out.push_str(&format!("\n{}\n", stop.replace('\n', " ")));
        if let Some(help) = help {
            out.push_str(&format!("Help: {help}\n"));
        }
    }
    let n = result.items.len();
    for (i, item) in result.items.iter().enumerate() {
        out.push_str(&format!(
            "\nItem {} of {n}, {}: {} {}, {} of {}.\n",
            i + 1,
            item.id,
            sentence(&escape::one_line(&item.label())),
            item.status.word(),
            fmt_points(item.points),
            points_text(item.max_points),
        ));
        for line in detail_lines(item) {
            out.push_str(&format!("  {}\n", line.trim_end()));
        }
    }
    let parts = result.parts.len();
    for (i, part) in result.parts.iter().enumerate() {
        out.push_str(&format!(
            "\nPart {} of {parts}, {} {}: {} of {}, {} percent.\n",
            i + 1,
            part.kind.as_str(),
            part.id,
            fmt_points(part.score),
            points_text(part.max_score),
            fmt_points(part.percent()),
        ));
        if part.required {
            let passed = if part.passed { "passed" } else { "not passed" };
            out.push_str(&format!("  Required part: {passed}.\n"));
        }
        if let Some(file) = &part.file {
            out.push_str(&format!("  File: {}.\n", escape::one_line(file)));
        }
        if let Some(message) = &part.message {
            out.push_str(&format!(
                "  {}\n",
                escape::terminal(message).replace('\n', " ")
            ));
        }
    }
    if let Some(printed) = learner_output(result, "|") {
        out.push_str(&format!(
            "\nYour script printed (not part of the grade):\n{printed}"
        ));
    }
    if let Some(error) = &result.error {
        out.push_str(&format!(
            "\nCould not be graded: {}\n",
            escape::terminal(error)
        ));
    }
    let verdict = match (result.error.is_some(), result.passed) {
        (true, _) => "NOT GRADED".to_string(),
        (false, true) => "PASSED".to_string(),
        (false, false) => not_passed(result),
    };
    out.push_str(&format!(
        "\nResult: {verdict}. Score {} of {}, {} percent. Pass mark {} percent.\n",
        fmt_points(result.score),
        points_text(result.max_score),
        fmt_points(result.percent()),
        fmt_points(result.pass_mark),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{ItemResult, RunKind, RunResult, Visibility};

    fn sample() -> RunResult {
        let mut r = RunResult::new(RunKind::Lab, "copy-image", "Copy an image", 1, 50.0);
        let mut shown = ItemResult::new("visible-check", "Visible", 0.0, 1.0);
        shown.message = Some("the copy is missing\n::error::x".into());
        let mut hidden = ItemResult::new("hidden-check", "Hidden", 0.0, 1.0);
        hidden.visibility = Visibility::Hidden;
        hidden.message = Some("secret expected value".into());
        r.items = vec![shown, hidden];
        r.finish();
        r
    }

    #[test]
    fn plain_titles_and_counts_read_as_sentences() {
        let mut r = RunResult::new(RunKind::Quiz, "q", "Quiz", 1, 50.0);
        r.items = vec![
            ItemResult::new("free", "Is creating an image free?", 1.0, 1.0),
            ItemResult::new("cost", "The cost of copies", 0.0, 1.5),
        ];
        r.finish();
        let text = plain(&r);
        assert!(
            text.contains("Item 1 of 2, free: Is creating an image free? PASS, 1 of 1 point."),
            "{text}"
        );
        assert!(
            text.contains("Item 2 of 2, cost: The cost of copies. FAIL, 0 of 1.5 points."),
            "{text}"
        );
        assert!(!text.contains("?."), "{text}");
        assert!(text.contains("Score 1 of 2.5 points"), "{text}");
    }

    #[test]
    fn pretty_wraps_details_only_when_given_a_width() {
        let mut r = RunResult::new(RunKind::Quiz, "q", "Quiz", 1, 50.0);
        let mut item = ItemResult::new("one", "One", 0.0, 1.0);
        item.feedback = Some("a rationale long enough to need more than one line here".into());
        r.items = vec![item];
        r.finish();
        let narrow = PrettyOptions {
            color: false,
            width: Some(30),
        };
        let wrapped = pretty(&r, narrow);
        assert!(
            wrapped.contains(
                "     a rationale long enough\n     to need more than one\n     line here\n"
            ),
            "{wrapped}"
        );
        let unwrapped = pretty(&r, PrettyOptions::default());
        assert!(
            unwrapped.contains("     a rationale long enough to need more than one line here\n")
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let r = sample();
        let colour = PrettyOptions {
            color: true,
            width: None,
        };
        assert!(pretty(&r, colour).contains('\u{1b}'));
        assert!(!pretty(&r, PrettyOptions::default()).contains('\u{1b}'));
        assert!(!plain(&r).contains('\u{1b}'));
    }

    #[test]
    fn hidden_items_show_status_but_not_details() {
        let r = sample();
        for text in [pretty(&r, PrettyOptions::default()), plain(&r)] {
            assert!(text.contains("hidden-check"));
            assert!(text.contains("(details hidden)"));
            assert!(!text.contains("secret expected value"));
            assert!(text.contains("the copy is missing"));
            assert!(text.lines().all(|l| !l.trim_start().starts_with("::")));
        }
    }
}

//! `amilab stats --format pretty|plain`: the statistics as text for a terminal or a log.
//!
//! Pretty uses colour (when asked for) and block bars; plain uses neither, only ASCII, for
//! screen readers and logs. Both say the same things in the same order. Every text that comes
//! from the results (learners, ids, titles, messages) is folded onto one line with its control
//! characters escaped, so that it can neither move the cursor nor forge a CI log command.

use owo_colors::OwoColorize;

use super::json::round;
use super::statistics::{
    flag_rule, ClassStats, Discrimination, DISCRIMINATION_RULE, UNGRADABLE_RULE,
};
use crate::report::escape::one_line as safe;
use crate::report::fmt_points;

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    /// Block characters for bars and `—` (pretty), or ASCII (plain).
    pub symbols: bool,
    /// ANSI colour (pretty on a terminal only).
    pub color: bool,
}

/// A rate as a percentage with one decimal: `58.8%`.
pub fn rate(x: f64) -> String {
    format!("{}%", fmt_points(round(x * 100.0, 1)))
}

/// A correlation with three decimals, or `n/a`.
pub fn discrimination(d: &Discrimination) -> String {
    match d {
        Discrimination::Value(r) => format!("{:.3}", round(*r, 3)),
        Discrimination::Undefined(_) => "n/a".to_string(),
    }
}

/// The whole text report.
pub fn render(stats: &ClassStats, style: TextStyle) -> String {
    let bold = |s: &str| {
        if style.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    };
    let warn = |s: &str| {
        if style.color {
            s.yellow().to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&bold(&format!("Class statistics: {}", safe(&stats.title))));
    out.push('\n');
    out.push_str(&format!(
        "{} `{}`, sha256 {}; read from {}\n",
        safe(&stats.kind),
        safe(&stats.id),
        safe(stats.sha256.get(..12).unwrap_or(&stats.sha256)),
        safe(&stats.files.join(", "))
    ));
    let s = &stats.scores;
    out.push_str(&format!(
        "{}: {} graded, {} ungradable\n\n",
        amilab_text::plural(stats.learners, "learner", "learners"),
        s.count,
        stats.ungradable.len()
    ));

    out.push_str(&bold("Scores"));
    out.push('\n');
    match (s.mean_percent, s.median_percent, s.pass_rate) {
        (Some(mean), Some(median), Some(pass)) => out.push_str(&format!(
            "  mean {}%, median {}%, passed {} of {} ({})\n",
            fmt_points(mean),
            fmt_points(median),
            s.passed,
            s.count,
            rate(pass)
        )),
        _ => out.push_str("  nothing could be graded\n"),
    }
    let widest = s.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, count) in s.histogram.iter().enumerate() {
        let (from, to) = (i * 10, i * 10 + 10);
        let range = if style.symbols {
            format!("{from:>3}–{to}%")
        } else {
            format!("{from:>3}-{to}%")
        };
        // Bars at most 40 columns wide, scaled to the fullest bin.
        let len = (count * 40).div_ceil(widest);
        let bar = if style.symbols { "█" } else { "#" }.repeat(len);
        let sep = if len > 0 { " " } else { "" };
        out.push_str(&format!("  {range:<8} {count:>4} {bar}{sep}\n").replace(" \n", "\n"));
    }
    out.push('\n');

    out.push_str(&bold("Items"));
    out.push('\n');
    let mut rows = vec![vec![
        "#".to_string(),
        "item".to_string(),
        "pass rate".to_string(),
        "mean points".to_string(),
        "discrimination".to_string(),
        "hints (learners, mean)".to_string(),
        "errors".to_string(),
        "flags".to_string(),
    ]];
    for i in &stats.items {
        rows.push(vec![
            i.number.to_string(),
            safe(&i.id),
            rate(i.pass_rate),
            format!("{}/{}", fmt_points(i.mean_points), fmt_points(i.max_points)),
            discrimination(&i.discrimination),
            format!("{}, {}", i.hint_learners, fmt_points(i.mean_hints)),
            format!("{} ({})", i.errors, rate(i.error_share)),
            i.flags
                .iter()
                .map(|f| f.words())
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    for (r, row) in table(&rows).iter().enumerate() {
        let flagged = r > 0 && !stats.items[r - 1].flags.is_empty();
        out.push_str("  ");
        out.push_str(&if flagged { warn(row) } else { row.clone() });
        out.push('\n');
    }
    let undefined: Vec<String> = stats
        .items
        .iter()
        .filter_map(|i| match &i.discrimination {
            Discrimination::Undefined(why) => Some(format!("#{} {}", i.number, why)),
            Discrimination::Value(_) => None,
        })
        .collect();
    if !undefined.is_empty() {
        out.push_str(&format!("  n/a: {}\n", undefined.join("; ")));
    }
    for note in [
        DISCRIMINATION_RULE.to_string(),
        flag_rule(),
        UNGRADABLE_RULE.to_string(),
    ] {
        out.push_str(&wrap_note(&amilab_text::sentence(&capitalized(&note))));
    }
    out.push('\n');

    if !stats.ungradable.is_empty() {
        out.push_str(&bold("Ungradable submissions"));
        out.push('\n');
        let mut rows = vec![vec![
            "learner".to_string(),
            "submission".to_string(),
            "why".to_string(),
        ]];
        for u in &stats.ungradable {
            rows.push(vec![
                safe(&u.learner),
                safe(&u.submission),
                safe(first_line(&u.error)),
            ]);
        }
        for row in table(&rows) {
            out.push_str(&format!("  {row}\n"));
        }
        out.push('\n');
    }

    out.push_str(&bold("AWS error codes"));
    out.push('\n');
    if stats.aws_errors.is_empty() {
        out.push_str("  none in any learner's API trail\n");
    } else {
        let mut rows = vec![vec![
            "code".to_string(),
            "learners".to_string(),
            "occurrences".to_string(),
        ]];
        for e in &stats.aws_errors {
            rows.push(vec![
                safe(&e.code),
                e.learners.to_string(),
                e.occurrences.to_string(),
            ]);
        }
        for row in table(&rows) {
            out.push_str(&format!("  {row}\n"));
        }
    }
    out
}

/// `text` with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first line of a message (ungradable reasons can run over several).
fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// A note, indented and wrapped at 78 columns.
fn wrap_note(text: &str) -> String {
    textwrap::wrap(
        text,
        textwrap::Options::new(78)
            .initial_indent("  ")
            .subsequent_indent("  "),
    )
    .iter()
    .map(|l| format!("{l}\n"))
    .collect()
}

/// Rows as left-aligned columns two spaces apart (widths in characters), no trailing spaces.
fn table(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < row.len() {
                    let pad = widths[c] - cell.chars().count() + 2;
                    line.push_str(&" ".repeat(pad));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_by_characters_and_trim() {
        let rows = vec![
            vec!["é".to_string(), "b".to_string(), String::new()],
            vec!["abc".to_string(), "d".to_string(), "e".to_string()],
        ];
        assert_eq!(table(&rows), ["é    b", "abc  d  e"]);
    }

    #[test]
    fn rates_and_correlations() {
        assert_eq!(rate(0.588_23), "58.8%");
        assert_eq!(rate(1.0), "100%");
        assert_eq!(discrimination(&Discrimination::Value(-0.61237)), "-0.612");
        assert_eq!(
            discrimination(&Discrimination::Undefined("x".into())),
            "n/a"
        );
    }
}

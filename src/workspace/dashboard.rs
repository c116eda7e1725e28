//! The progress dashboard `amilab` prints inside a workspace: every lab and quiz in the course's
//! order with its best score, attempts and hints, and the next thing to do.

use super::progress::{ItemProgress, Progress};
use crate::report::fmt_points;

/// Whether an entry of the course is a lab or a quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lab,
    Quiz,
}

/// One lab or quiz of the course, as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    /// The title, in the learner's variant's words.
    pub title: String,
}

/// The width the dashboard fits in: a terminal's default.
const WIDTH: usize = 80;
/// What a line holds besides the id, the title and the facts (`17 tries, 12 hints`): the
/// mark, the best score (`13.5/14 96%`) and the spaces between.
const OTHER_COLUMNS: usize = 4 + 1 + 1 + 11 + 1;

/// The dashboard for `progress` over `course` (labs first, then quizzes, each in the course's
/// order). `lab_script` names the file a learner edits for a lab (`labs/ID.rhai`).
pub fn render(
    progress: &Progress,
    course: &[Entry],
    lab_script: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::from("amilab — a course on AWS machine images");
    if let Some(learner) = &progress.learner {
        out.push_str(&format!(" (learner: {learner})"));
    }
    out.push('\n');
    for (kind, heading) in [(Kind::Lab, "Labs"), (Kind::Quiz, "Quizzes")] {
        let entries: Vec<&Entry> = course.iter().filter(|e| e.kind == kind).collect();
        if entries.is_empty() {
            continue;
        }
        let passed = entries
            .iter()
            .filter(|e| item(progress, e).is_some_and(|p| p.passed))
            .count();
        out.push_str(&format!(
            "\n{heading} ({passed} of {} passed)\n",
            entries.len()
        ));
        let id_width = course
            .iter()
            .map(|e| e.id.chars().count())
            .max()
            .unwrap_or(0);
        // Titles take what the longest facts leave of the width.
        let facts_width = course
            .iter()
            .map(|e| facts(item(progress, e)).chars().count())
            .max()
            .unwrap_or(0);
        let title_width = WIDTH
            .saturating_sub(OTHER_COLUMNS + id_width + facts_width)
            .max(16);
        for entry in entries {
            out.push_str(&line(entry, item(progress, entry), id_width, title_width));
        }
    }
    out.push('\n');
    out.push_str(&next_step(progress, course, lab_script));
    out
}

fn item<'p>(progress: &'p Progress, entry: &Entry) -> Option<&'p ItemProgress> {
    match entry.kind {
        Kind::Lab => progress.labs.get(&entry.id),
        Kind::Quiz => progress.quizzes.get(&entry.id),
    }
}

/// `  ✔ id  title  best  tries  hints`.
fn line(entry: &Entry, p: Option<&ItemProgress>, id_width: usize, title_width: usize) -> String {
    let mark = match p {
        Some(p) if p.passed => '✔',
        Some(p) if p.attempts > 0 => '✘',
        _ => '·',
    };
    let best = match p.and_then(|p| p.best.as_ref()) {
        Some(b) => format!(
            "{}/{} {:.0}%",
            fmt_points(b.score),
            fmt_points(b.max_score),
            b.percent.floor()
        ),
        None => "—".to_string(),
    };
    let line = format!(
        "  {mark} {:<id_width$} {:<title_width$} {:<11} {}",
        entry.id,
        cut(&entry.title, title_width),
        best,
        facts(p),
    );
    format!("{}\n", line.trim_end())
}

/// `17 tries, 4 hints` (empty before the first try).
fn facts(p: Option<&ItemProgress>) -> String {
    let mut facts = Vec::new();
    if let Some(p) = p.filter(|p| p.attempts > 0) {
        facts.push(amilab_text::plural(u64::from(p.attempts), "try", "tries"));
    }
    let hints: u32 = p.map(|p| p.hints.values().sum()).unwrap_or(0);
    if hints > 0 {
        facts.push(amilab_text::plural(u64::from(hints), "hint", "hints"));
    }
    facts.join(", ")
}

/// What to do next: the first lab not passed, in the course's order, then the first quiz.
fn next_step(progress: &Progress, course: &[Entry], lab_script: &dyn Fn(&str) -> String) -> String {
    let next = [Kind::Lab, Kind::Quiz].into_iter().find_map(|kind| {
        course
            .iter()
            .filter(|e| e.kind == kind)
            .find(|e| !item(progress, e).is_some_and(|p| p.passed))
    });
    match next {
        None => "Every lab and quiz has passed: well done. Try `amilab explore` to keep experimenting.\n".to_string(),
        Some(e) if e.kind == Kind::Lab => format!(
            "Next: {id} — {title}\n  read the story:  amilab lab show {id}\n  edit:            {script}\n  check your work: amilab check {id}\n  stuck?           amilab hint {id}\n",
            id = e.id,
            title = e.title,
            script = lab_script(&e.id),
        ),
        Some(e) => format!(
            "Next: {id} — {title}\n  take it: amilab quiz take {id}\n",
            id = e.id,
            title = e.title
        ),
    }
}

/// `text`, cut to `width` characters with a final `…` when longer.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_fits_80_columns_even_with_many_tries_and_hints() {
        let mut p = Progress::new(Some("a-learner-with-a-long-name".into()));
        let lab = p.labs.entry("clone-across-regions".into()).or_default();
        lab.attempts = 117;
        lab.hints.insert("c".into(), 12);
        let course: Vec<Entry> = ["first-golden-image", "clone-across-regions"]
            .iter()
            .map(|id| Entry {
                kind: Kind::Lab,
                id: id.to_string(),
                title: "A title much longer than any terminal line could ever show in full".into(),
            })
            .collect();
        let text = render(&p, &course, &|id| format!("labs/{id}.rhai"));
        let wide: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("Next:") && l.chars().count() > 80)
            .collect();
        assert!(wide.is_empty(), "{wide:#?}");
        assert!(text.contains("117 tries, 12 hints"), "{text}");
    }

    #[test]
    fn cuts_long_titles_and_writes_scores_plainly() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}

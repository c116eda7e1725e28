//! Loading an assignment: the file parsed strictly, its fields checked, every part's lab or
//! quiz loaded (and checked, when named by path); every problem a diagnostic with
//! `file:line:column`.

use std::collections::BTreeMap;
use std::path::Path;

use super::spec::{AssignmentSpec, PartRef};
use super::{Content, Loaded, Part};
use crate::diagnostic::Diagnostic;
use crate::yaml::load::{read_content, ContentKind};
use crate::yaml::{parse_strict, LoadError, Locator};
use crate::{lab, quiz};

/// The file `load` reads in a folder.
pub const FILE_NAME: &str = "assignment.yaml";

/// Loads the assignment at `id_or_path`: an `assignment.yaml` (or any assignment file), or a
/// folder holding `assignment.yaml`. Assignments are the instructor's: none is built in, so an
/// id that is no path is a file that does not exist. Parts named by path are found relative to
/// the assignment file.
pub fn load(id_or_path: &str) -> Result<Loaded, LoadError> {
    let path = Path::new(id_or_path);
    let file = if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    };
    let text = read_content(ContentKind::Assignment, &file)?;
    let base = file.parent().unwrap_or(Path::new(""));
    let (loaded, diagnostics) = check_text(&file.display().to_string(), &text, base);
    match loaded {
        Some(loaded) => Ok(loaded),
        None => Err(LoadError::Invalid(diagnostics)),
    }
}

/// Parses and checks the assignment `text` (the file `file`, whose parts' paths are relative to
/// `base`): the loaded assignment when nothing is an error, and every problem found (those of
/// the parts' own files included) in the order found.
pub fn check_text(file: &str, text: &str, base: &Path) -> (Option<Loaded>, Vec<Diagnostic>) {
    let spec: AssignmentSpec = match parse_strict(file, text) {
        Ok(spec) => spec,
        Err(mut d) => {
            // The format's own word is `points`; weights are what an instructor may expect.
            if d.message.starts_with("unknown field `weight`") {
                d.hint = Some("a part is worth `points:` (its share of the assignment's total), not a weight: write e.g. `points: 20`".to_string());
            }
            return (None, vec![d]);
        }
    };
    let loc = Locator::for_list(text, "parts");
    let mut out = top_level(&spec, file, &loc);
    let mut parts = Vec::new();
    // Which part (1-based) first named each lab or quiz id.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, part) in spec.parts.iter().enumerate() {
        let n = i + 1;
        let at = |key: &str| loc.item_key(&["parts"], i, key);
        let Some(target) = part.target() else {
            let (message, help) = if part.lab.is_some() {
                (format!("part {n} names both a lab and a quiz"), "a part is one lab or one quiz: split it into two parts, each with its `points`")
            } else {
                (
                    format!("part {n} names neither a lab nor a quiz"),
                    "write `lab: <lab id or path>` or `quiz: <quiz id or path>` in it",
                )
            };
            out.push(Diagnostic::error(file, message).at(at("points")).hint(help));
            continue;
        };
        let key = match target {
            PartRef::Lab(_) => "lab",
            PartRef::Quiz(_) => "quiz",
        };
        if !(part.points > 0.0 && part.points <= crate::limits::MAX_POINTS) {
            out.push(
                Diagnostic::error(
                    file,
                    format!(
                        "part {n} is worth {} points; a part must be worth more than 0 (and at most {})",
                        part.points,
                        crate::limits::MAX_POINTS
                    ),
                )
                .at(at("points"))
                .hint("write its share of the assignment's total, e.g. `points: 20`"),
            );
        }
        let content = match target {
            PartRef::Lab(value) => load_lab(value, base).map(|l| Content::Lab(Box::new(l))),
            PartRef::Quiz(value) => load_quiz(value, base).map(|q| Content::Quiz(Box::new(q))),
        };
        let content = match content {
            Ok(content) => content,
            Err(problem) => {
                let (mut message, mut hint) = split_help(&problem.message());
                let own = problem.diagnostics();
                if !own.is_empty() {
                    // The lab's or quiz's own diagnostics say what to do.
                    hint = None;
                    message = format!(
                        "part {n}: the {key} `{}` is invalid ({} above)",
                        problem.name,
                        amilab_text::plural(
                            own.iter().filter(|d| d.is_error()).count(),
                            "error",
                            "errors"
                        )
                    );
                } else {
                    message = format!("part {n}: {message}");
                }
                out.extend(own);
                let mut d = Diagnostic::error(file, message).at(at(key));
                if let Some(hint) = hint {
                    d = d.hint(hint);
                } else if matches!(problem.error, LoadError::Io { .. }) {
                    d = d.hint(format!(
                        "a path in an assignment is relative to the assignment file's folder (`{}`)",
                        if base.as_os_str().is_empty() { Path::new(".") } else { base }.display()
                    ));
                }
                out.push(d);
                continue;
            }
        };
        let id = match &content {
            Content::Lab(l) => l.spec.id.clone(),
            Content::Quiz(q) => q.spec.id.clone(),
        };
        if let Some(first) = seen.get(&id) {
            out.push(
                Diagnostic::error(file, format!("part {n} repeats part {first}: both are `{id}`"))
                    .at(at(key))
                    .hint("each lab or quiz may be one part only; to make it count more, raise its `points`"),
            );
            continue;
        }
        seen.insert(id.clone(), n);
        parts.push(Part {
            id,
            points: part.points,
            required: part.required,
            content,
        });
    }
    if out.iter().any(Diagnostic::is_error) {
        return (None, out);
    }
    let loaded = Loaded {
        spec,
        file: file.to_string(),
        text: text.to_string(),
        parts,
    };
    (Some(loaded), out)
}

/// The rules on the top-level fields: id, title, pass mark, due date, at least one part.
fn top_level(spec: &AssignmentSpec, file: &str, loc: &Locator) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !crate::lab::validate::is_slug(&spec.id) {
        out.push(
            Diagnostic::error(
                file,
                format!("assignment id `{}` is not a lower-case slug", spec.id),
            )
            .at(loc.top("id"))
            .hint("use lower-case letters, digits and `-`, e.g. `week-3`"),
        );
    }
    if spec.title.trim().is_empty() {
        out.push(
            Diagnostic::error(file, "the title is empty")
                .at(loc.top("title"))
                .hint("write the name learners see in their report"),
        );
    }
    if !(0.0..=100.0).contains(&spec.pass_mark) {
        out.push(
            Diagnostic::error(
                file,
                format!(
                    "pass mark {} is not a percentage from 0 to 100",
                    spec.pass_mark
                ),
            )
            .at(loc.top("pass_mark"))
            .hint("write the percentage of the assignment's total points needed to pass, e.g. `pass_mark: 70`"),
        );
    }
    if let Some(due) = &spec.due {
        if let Err(e) = chrono::DateTime::parse_from_rfc3339(due.trim()) {
            out.push(
                Diagnostic::error(file, format!("due date `{due}` cannot be read: {e}"))
                    .at(loc.top("due"))
                    .hint("write a date, time and time zone (RFC 3339), e.g. `due: 2026-12-15T23:59:00Z` (`Z` is UTC; or an offset such as `+01:00`)"),
            );
        }
    }
    if spec.parts.is_empty() {
        out.push(
            Diagnostic::error(file, "the assignment has no parts")
                .at(loc.top("parts"))
                .hint("list its labs and quizzes: `- lab: first-golden-image` then `points: 20` under it"),
        );
    }
    out
}

/// Why a part's lab or quiz could not be loaded.
struct Problem {
    /// The part's value as written (an id or a path).
    name: String,
    error: LoadError,
    /// Errors found by checking a lab named by path (its own file's diagnostics).
    invalid: Vec<Diagnostic>,
}

impl Problem {
    fn message(&self) -> String {
        self.error.to_string()
    }

    /// The part's own diagnostics (a lab or quiz file that does not parse or validate).
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match &self.error {
            LoadError::Invalid(d) if self.invalid.is_empty() => d.clone(),
            _ => self.invalid.clone(),
        }
    }
}

/// `message\n  = help: hint` split into the two.
fn split_help(text: &str) -> (String, Option<String>) {
    match text.split_once("\n  = help: ") {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (text.to_string(), None),
    }
}

/// True when a part's value names a file or folder rather than a built-in id.
fn is_path(value: &str) -> bool {
    value.contains('/')
        || value.contains('\\')
        || value.ends_with(".yaml")
        || value.ends_with(".yml")
}

fn load_lab(value: &str, base: &Path) -> Result<lab::Loaded, Problem> {
    let problem = |error| Problem {
        name: value.to_string(),
        error,
        invalid: Vec::new(),
    };
    let builtin = lab::BUILTIN.iter().any(|b| b.id == value);
    if !is_path(value) && (builtin || !base.join(value).is_dir()) {
        return lab::load(value).map_err(problem);
    }
    let path = base.join(value);
    let loaded = lab::load(&path.display().to_string()).map_err(problem)?;
    // A lab from a path may be mid-edit: check it as `amilab check` does.
    let diagnostics = lab::validate::validate_static(&loaded);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Problem {
            name: value.to_string(),
            error: LoadError::Invalid(Vec::new()),
            invalid: diagnostics,
        });
    }
    Ok(loaded)
}

fn load_quiz(value: &str, base: &Path) -> Result<quiz::Loaded, Problem> {
    let problem = |error| Problem {
        name: value.to_string(),
        error,
        invalid: Vec::new(),
    };
    if !is_path(value) {
        return quiz::load(value).map_err(problem);
    }
    quiz::load(&base.join(value).display().to_string()).map_err(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Option<Loaded>, Vec<Diagnostic>) {
        check_text("a.yaml", text, Path::new(""))
    }

    fn with_due(due: &str) -> String {
        format!("id: a\ntitle: A\npass_mark: 50\ndue: {due}\nparts:\n  - quiz: ami-anatomy\n    points: 4\n")
    }

    #[test]
    fn due_dates_are_rfc_3339_with_a_time_zone() {
        for due in [
            "2026-12-15T23:59:00Z",
            "2026-12-15T23:59:00+01:00",
            "\"2026-12-15 23:59:00Z\"",
        ] {
            let (loaded, d) = check(&with_due(due));
            assert!(loaded.is_some(), "{due}: {d:?}");
        }
        for due in [
            "2026-12-15",
            "2026-12-15T23:59:00",
            "tomorrow",
            "2026-13-01T00:00:00Z",
        ] {
            let (loaded, d) = check(&with_due(due));
            assert!(loaded.is_none(), "{due} was accepted");
            assert_eq!((d[0].line, d[0].column), (Some(4), Some(1)), "{due}");
            assert!(d[0].message.starts_with("due date"), "{}", d[0].message);
        }
    }

    #[test]
    fn parts_load_their_labs_and_quizzes_in_order() {
        let (loaded, d) = check(
            "id: a\ntitle: A\npass_mark: 50\nparts:\n  - quiz: ami-anatomy\n    points: 4\n  - lab: first-golden-image\n    points: 6.5\n",
        );
        let loaded = loaded.unwrap_or_else(|| panic!("{d:?}"));
        assert!(d.is_empty(), "{d:?}");
        let ids: Vec<&str> = loaded.parts.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["ami-anatomy", "first-golden-image"]);
        assert!(matches!(loaded.parts[0].content, Content::Quiz(_)));
        assert_eq!(loaded.total_points(), 10.5);
        assert_eq!(loaded.sha256().len(), 64);
    }

    #[test]
    fn bad_input_is_a_diagnostic_never_a_panic() {
        for text in [
            "",
            "parts: 3",
            "- a\n- b\n",
            "id: a\ntitle: A\npass_mark: x\nparts: []\n",
            "id: a\n\t",
        ] {
            let (loaded, d) = check(text);
            assert!(loaded.is_none() && !d.is_empty(), "{text:?}");
        }
    }
}

//! Grading a submission folder against an assignment: each part graded as `amilab check` or
//! `amilab quiz grade` would, its items scaled to the part's points, one result.

use std::path::Path;
use std::time::Instant;

use super::points::rescale;
use super::submission::{self, Found};
use super::{Content, Loaded, Part};
use crate::lab::{self, checks::Show, hint_use, Who};
use crate::limits::{self, Capped};
use crate::quiz::{self, AnswersFile};
use crate::report::{
    round2, ItemResult, PartResult, RunKind, RunResult, ScriptStatus, SourceHash, Timings,
};

/// Grades the folder `dir` for `learner` (`None`: the learner `anonymous`), with
/// [`lab::grade::DEFAULT_HINTS`] hints on each failed check: see [`grade_with`].
pub fn grade_submission(a: &Loaded, dir: &Path, learner: Option<&str>) -> RunResult {
    grade_with(a, dir, learner, lab::grade::DEFAULT_HINTS)
}

/// Grades the folder `dir` for `learner`: one result of kind `assignment`. Each part's file is
/// looked for in the folder ([`submission`]); a missing file scores 0 with a message that names
/// the file expected. A part that cannot be graded (a script that does not parse, an answers
/// file that does not, a panic in amilab, contained) is that part's error, and makes the
/// outcome `error`; the other parts are graded all the same. Never panics; nothing in the
/// result but `timings` depends on the clock or on where `dir` is.
pub fn grade_with(a: &Loaded, dir: &Path, learner: Option<&str>, hints: usize) -> RunResult {
    let started = Instant::now();
    let learner = learner
        .filter(|l| !l.trim().is_empty())
        .unwrap_or(crate::learner::ANONYMOUS);
    let spec = &a.spec;
    let seed = crate::learner::seed_from(&["amilab-assignment", &spec.id, learner]);
    let mut result = RunResult::new(
        RunKind::Assignment,
        &spec.id,
        &spec.title,
        seed,
        spec.pass_mark,
    );
    result.learner = Some(learner.to_string());
    result.due = spec.due.as_ref().map(|d| d.trim().to_string());
    result
        .sources
        .push(SourceHash::of(&a.file, a.text.as_bytes()));
    let mut errors = Vec::new();
    for part in &a.parts {
        let graded = crate::bug::catch(|| grade_part(part, dir, learner, hints))
            .unwrap_or_else(|bug| PartGrade::failed(part, learner, None, bug.describe()));
        let mut own = graded.result;
        if let Some(e) = &own.error {
            errors.push(format!("{}: {e}", part.id));
        }
        let mut items = rescale(&part.id, &own.items, part.points);
        if own.items.iter().all(|i| i.max_points <= 0.0) {
            // Nothing to scale (no item is worth a point): the part is one item, all or nothing
            // on its own verdict, so that the parts still add up to the total.
            let earned = if own.passed { part.points } else { 0.0 };
            items.push(ItemResult::new(
                part.id.clone(),
                own.title.clone(),
                earned,
                round2(part.points),
            ));
        }
        let score = round2(items.iter().map(|i| i.points).sum());
        result.parts.push(PartResult {
            kind: own.kind,
            id: part.id.clone(),
            title: own.title.clone(),
            score,
            max_score: round2(part.points),
            seed: own.seed,
            passed: own.passed,
            required: part.required,
            file: graded.file,
            message: graded.message.or_else(|| own.error.clone()),
        });
        result.items.extend(items);
        result.sources.append(&mut own.sources);
    }
    if !errors.is_empty() {
        result.error = Some(errors.join("; "));
    }
    result.finish();
    result.timings = Some(Timings {
        total_seconds: round2(started.elapsed().as_secs_f64() * 1000.0) / 1000.0,
    });
    result
}

/// One part graded on its own scale, with what the part's summary says.
struct PartGrade {
    result: RunResult,
    /// The file graded, relative to the folder.
    file: Option<String>,
    message: Option<String>,
}

impl PartGrade {
    /// Every item of the part at 0 points, `error` the part's error (it could not be graded).
    fn failed(part: &Part, learner: &str, file: Option<String>, error: String) -> PartGrade {
        PartGrade {
            result: ungraded(
                part,
                learner,
                "not graded: see the part's message",
                Some(error),
            ),
            file,
            message: None,
        }
    }
}

/// The part's result with every item at 0 points and `message`; `error` makes it ungradable.
fn ungraded(part: &Part, learner: &str, message: &str, error: Option<String>) -> RunResult {
    match &part.content {
        Content::Lab(l) => {
            let v = lab_variant(l, learner);
            lab::grade::ungraded_result(l, &v, message, error)
        }
        Content::Quiz(q) => {
            let paper = quiz::draw(&q.spec, learner);
            let mut result = RunResult::new(
                RunKind::Quiz,
                &q.spec.id,
                &q.spec.title,
                paper.seed,
                q.spec.pass_mark,
            );
            result.learner = Some(learner.to_string());
            for drawn in &paper.questions {
                let s = drawn.spec;
                let mut item = ItemResult::new(&s.id, s.name(), 0.0, s.points);
                item.message = Some(message.to_string());
                item.concepts = s.concepts.clone();
                if error.is_some() {
                    item.status = crate::report::ItemStatus::Error;
                }
                result.items.push(item);
            }
            result.error = error;
            result.finish();
            result
        }
    }
}

fn lab_variant(l: &lab::Loaded, learner: &str) -> lab::grade::Variant {
    lab::variant(
        &l.spec,
        &Who {
            learner: Some(learner.to_string()),
            seed: None,
        },
    )
}

fn grade_part(part: &Part, dir: &Path, learner: &str, hints: usize) -> PartGrade {
    crate::bug::test_panic("assignment");
    let candidates = match &part.content {
        Content::Lab(_) => submission::lab_candidates(&part.id),
        Content::Quiz(_) => submission::quiz_candidates(&part.id),
    };
    let (rel, path, also) = match submission::find(dir, &candidates) {
        Found::Missing { expected } => {
            let message = Found::missing_message(&expected);
            return PartGrade {
                result: ungraded(part, learner, &message, None),
                file: None,
                message: Some(message),
            };
        }
        Found::File { rel, path, also } => (rel, path, also),
    };
    let also = also.map(|a| format!("`{a}` is there too and was not graded"));
    let mut graded = match &part.content {
        Content::Lab(l) => grade_lab(part, l, &rel, &path, learner, hints),
        Content::Quiz(q) => grade_quiz(part, q, &rel, &path, learner),
    };
    graded.message = match (graded.message.take(), also) {
        (Some(m), Some(a)) => Some(format!("{m}; {a}")),
        (m, a) => m.or(a),
    };
    graded
}

/// The text of a submitted file under `limit`: `Ok(Err(size))` when it is larger (not read
/// whole); `Err(why)` when it cannot be read or is not UTF-8.
fn read(path: &Path, rel: &str, limit: u64) -> Result<Result<String, limits::TooLarge>, String> {
    match limits::read_capped(path, limit) {
        Err(e) => Err(format!(
            "cannot read `{rel}`: {}",
            crate::diagnostic::io_reason(&e)
        )),
        Ok(Capped::TooLarge(t)) => Ok(Err(t)),
        Ok(Capped::Bytes(bytes)) => String::from_utf8(bytes)
            .map(Ok)
            .map_err(|_| format!("`{rel}` is not valid UTF-8 text; save it as UTF-8")),
    }
}

fn grade_lab(
    part: &Part,
    l: &lab::Loaded,
    rel: &str,
    path: &Path,
    learner: &str,
    hints: usize,
) -> PartGrade {
    let source = match read(path, rel, limits::MAX_SCRIPT_BYTES) {
        Ok(source) => source,
        Err(why) => return PartGrade::failed(part, learner, Some(rel.to_string()), why),
    };
    let v = lab_variant(l, learner);
    let show = Show {
        hints,
        taken: &hint_use::NONE_TAKEN,
        reveal_hidden: false,
    };
    let graded = match &source {
        Ok(text) => lab::grade::grade_variant(l, rel, text, &v, &show),
        Err(t) => lab::grade::grade_too_large(l, rel, *t, &v, &show),
    };
    let graded = match graded {
        Ok(graded) => graded,
        Err(e) => {
            let why = format!(
                "the lab's world cannot be built (a fault in the lab, not in the script): {e}"
            );
            return PartGrade::failed(part, learner, Some(rel.to_string()), why);
        }
    };
    let mut result = graded.result;
    // What the script did is summed up in the part's message: an assignment has no one
    // script to show.
    // An uncaught error is said in the part's summary (an assignment shows no one script's
    // run); a syntax error or a limit breach is the part's error, said there anyway.
    let message = result.submission.take().and_then(|s| {
        let error = s.error.filter(|_| s.status == ScriptStatus::RuntimeError)?;
        Some(format!(
            "the script stopped with an error; the state it reached was graded: {}",
            error.describe()
        ))
    });
    PartGrade {
        result,
        file: Some(rel.to_string()),
        message,
    }
}

fn grade_quiz(part: &Part, q: &quiz::Loaded, rel: &str, path: &Path, learner: &str) -> PartGrade {
    let failed = |why: String| PartGrade::failed(part, learner, Some(rel.to_string()), why);
    let text = match read(path, rel, limits::MAX_ANSWERS_BYTES) {
        Ok(Ok(text)) => text,
        Ok(Err(t)) => return failed(format!("`{rel}` {}; it was not read", t.describe())),
        Err(why) => return failed(why),
    };
    let answers: AnswersFile = match crate::yaml::parse_strict(rel, &text) {
        Ok(a) => a,
        Err(d) => {
            let rendered = crate::diagnostic::render_all(&[d]);
            return failed(format!(
                "the answers file does not parse: {}",
                rendered.trim_end().trim_start_matches("error: ")
            ));
        }
    };
    if answers.quiz != q.spec.id {
        return failed(format!(
            "`{rel}` answers the quiz `{}`, not `{}`",
            answers.quiz, q.spec.id
        ));
    }
    if let Some(written_for) = answers.learner.as_deref().filter(|w| *w != learner) {
        return failed(format!(
            "`{rel}` was written for learner `{written_for}`, and this is graded as `{learner}`: the questions and option letters differ between learners; grade as `{written_for}`, or write the answers on `amilab quiz template {} --learner {learner}`",
            q.spec.id
        ));
    }
    let paper = quiz::draw(&q.spec, learner);
    PartGrade {
        result: quiz::grade::grade_file(&paper, &answers, rel, text.as_bytes()),
        file: Some(rel.to_string()),
        message: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            "labs/first-golden-image/wrong/no-reboot.rhai",
            dir.path().join("first-golden-image.rhai"),
        )
        .unwrap();
        dir
    }

    #[test]
    fn one_loaded_assignment_grades_alike_on_every_thread() {
        let a = super::super::load("tests/fixtures/assignments/week-3.yaml").unwrap();
        let dir = submission();
        let grade = || {
            let mut r = grade_submission(&a, dir.path(), Some("ci"));
            r.strip_timings();
            r
        };
        let here = grade();
        let there = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2).map(|_| s.spawn(grade)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<_>>()
        });
        assert!(there.iter().all(|r| *r == here));
        assert_eq!(here.kind, RunKind::Assignment);
        // The quiz is missing: 0 of its 10 points, graded (not an error).
        assert_eq!(here.parts[1].score, 0.0);
        assert!(here.error.is_none(), "{:?}", here.error);
        assert_eq!(here.max_score, 30.0);
        assert_eq!(
            here.score,
            round2(here.items.iter().map(|i| i.points).sum::<f64>())
        );
        // The sources: the assignment file, then the lab file and the script.
        let paths: Vec<&str> = here.sources.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "tests/fixtures/assignments/week-3.yaml",
                "labs/first-golden-image/lab.yaml",
                "first-golden-image.rhai"
            ]
        );
        assert_eq!(here.sources[0].sha256, a.sha256());
    }

    #[test]
    fn a_part_with_nothing_to_scale_is_one_item_so_the_parts_still_add_up() {
        let mut a = super::super::load("tests/fixtures/assignments/week-3.yaml").unwrap();
        let Content::Quiz(q) = &mut a.parts[1].content else {
            panic!("part 2 is the quiz")
        };
        for question in &mut q.spec.questions {
            question.points = 0.0;
        }
        let r = grade_submission(&a, submission().path(), Some("ci"));
        let quiz: Vec<&ItemResult> = r
            .items
            .iter()
            .filter(|i| i.id.starts_with("sample"))
            .collect();
        assert_eq!(quiz.last().unwrap().id, "sample");
        assert_eq!(quiz.last().unwrap().max_points, 10.0);
        assert_eq!(r.max_score, 30.0);
        assert_eq!(r.parts[1].max_score, 10.0);
    }

    #[test]
    fn the_learner_decides_the_variants_and_anonymous_is_the_default() {
        let a = super::super::load("tests/fixtures/assignments/week-3.yaml").unwrap();
        let dir = submission();
        let anonymous = grade_submission(&a, dir.path(), None);
        assert_eq!(anonymous.learner.as_deref(), Some("anonymous"));
        assert_eq!(
            anonymous.seed,
            grade_submission(&a, dir.path(), Some(" ")).seed
        );
        let ci = grade_submission(&a, dir.path(), Some("ci"));
        assert_ne!(anonymous.seed, ci.seed);
        assert_ne!(anonymous.parts[0].seed, ci.parts[0].seed);
    }
}

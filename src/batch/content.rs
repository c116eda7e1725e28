//! What a class is graded against — a lab or a quiz — and grading one learner's submission of
//! it into a [`GradeRecord`], whatever the submission holds: a crash, a loop, a flood or a
//! missing file is graded as exactly that (outcome `error` with its reason), never a failure of
//! the batch.

use std::collections::BTreeMap;

use super::record::{ContentRef, GradeRecord, AMILAB_VERSION};
use super::submissions::{confined, file_in_folder, Accepts, Submission};
use crate::lab::{self, checks::Show, hint_use, Who};
use crate::limits::{self, Capped};
use crate::quiz::{self, AnswersFile};
use crate::report::{RunKind, RunResult, SourceHash};
use amilab_cloud::Cloud;

/// A lab or a quiz, loaded once and shared by every grading thread.
// One value per batch: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Content {
    Lab(lab::Loaded),
    Quiz(quiz::Loaded),
    /// Labs and quizzes in one score; each submission is a learner's folder.
    Assignment(crate::assignment::Loaded),
}

impl Content {
    /// `lab` or `quiz`, its id and the sha256 of its file: what every record says it was
    /// graded against.
    pub fn reference(&self) -> ContentRef {
        let (kind, id, text) = match self {
            Content::Lab(l) => (RunKind::Lab, &l.spec.id, &l.text),
            Content::Quiz(q) => (RunKind::Quiz, &q.spec.id, &q.text),
            Content::Assignment(a) => (RunKind::Assignment, &a.spec.id, &a.text),
        };
        ContentRef {
            kind,
            id: id.clone(),
            sha256: SourceHash::of("", text.as_bytes()).sha256,
        }
    }

    /// The title for the gradebook and the manifest. A lab's title may name its parameters
    /// (`{{params.count}} instances`), which differ between learners: each placeholder becomes
    /// `…`.
    pub fn title(&self) -> String {
        let raw = match self {
            Content::Lab(l) => &l.spec.title,
            Content::Quiz(q) => &q.spec.title,
            Content::Assignment(a) => &a.spec.title,
        };
        let mut title = String::new();
        let mut rest = raw.as_str();
        while let Some(start) = rest.find("{{") {
            let Some(end) = rest[start..].find("}}") else {
                break;
            };
            title.push_str(&rest[..start]);
            title.push('…');
            rest = &rest[start + end + 2..];
        }
        title.push_str(rest);
        title
    }

    /// The ids of the content's items (checks or questions), in its order: the gradebook's
    /// columns.
    pub fn item_ids(&self) -> Vec<String> {
        match self {
            Content::Lab(l) => l.spec.checks.iter().map(|c| c.id.clone()).collect(),
            Content::Quiz(q) => q.spec.questions.iter().map(|q| q.id.clone()).collect(),
            // An assignment's items are its parts' checks and questions, `<part>/<item>`.
            Content::Assignment(a) => a
                .parts
                .iter()
                .flat_map(|p| {
                    let ids: Vec<String> = match &p.content {
                        crate::assignment::Content::Lab(l) => {
                            l.spec.checks.iter().map(|c| c.id.clone()).collect()
                        }
                        crate::assignment::Content::Quiz(q) => {
                            q.spec.questions.iter().map(|q| q.id.clone()).collect()
                        }
                    };
                    ids.into_iter().map(move |id| format!("{}/{id}", p.id))
                })
                .collect(),
        }
    }

    /// What a submission of this content may be.
    pub fn accepts(&self) -> Accepts {
        match self {
            Content::Lab(_) => Accepts::Script,
            Content::Quiz(_) => Accepts::Answers,
            Content::Assignment(_) => Accepts::Folder,
        }
    }

    /// Grades `sub` for its learner; `digest` is its [`Submission::digest`]. Never panics: a
    /// bug in grading is contained as the record's outcome `error`, as `amilab check` reports
    /// it. Timings are left out.
    pub fn grade(&self, sub: &Submission, digest: String) -> GradeRecord {
        let (mut result, aws_errors) = match refusal(sub) {
            Some(why) => (self.ungradable(sub, &why), BTreeMap::new()),
            None => self.grade_found(sub),
        };
        result.strip_timings();
        // A submission that changed while it was graded (a sync still running, or a learner
        // swapping files) may have been graded on other bytes than `digest` describes: the
        // record says so, and is graded again by the next run rather than kept.
        let submission_sha256 = if sub.digest() == digest {
            digest
        } else {
            CHANGED_WHILE_GRADED.to_string()
        };
        GradeRecord {
            learner: sub.learner.clone(),
            submission: sub.name.clone(),
            submission_sha256,
            amilab_version: AMILAB_VERSION.to_string(),
            content: self.reference(),
            aws_errors,
            result,
        }
    }

    /// The result of a submission that cannot be graded at all: outcome `error` with `why`.
    fn ungradable(&self, sub: &Submission, why: &str) -> RunResult {
        match self {
            Content::Lab(lab) => {
                let v = lab::variant(
                    &lab.spec,
                    &Who {
                        learner: Some(sub.learner.clone()),
                        seed: None,
                    },
                );
                lab::grade::ungradable(lab, &v, why)
            }
            Content::Quiz(quiz) => {
                let paper = quiz::draw(&quiz.spec, &sub.learner);
                let mut result = quiz::grade::ungradable(&paper, why);
                result
                    .sources
                    .insert(0, SourceHash::of(&quiz.file, quiz.text.as_bytes()));
                result
            }
            Content::Assignment(a) => assignment_error(a, sub, why.to_string()),
        }
    }

    fn grade_found(&self, sub: &Submission) -> (RunResult, BTreeMap<String, u64>) {
        match self {
            Content::Lab(lab) => grade_lab(lab, sub),
            Content::Quiz(quiz) => {
                let mut result = grade_quiz(quiz, sub);
                // As `amilab quiz grade` does: the quiz file first, as a lab's result starts
                // with its lab file.
                result
                    .sources
                    .insert(0, SourceHash::of(&quiz.file, quiz.text.as_bytes()));
                (result, BTreeMap::new())
            }
            Content::Assignment(a) => (
                crate::bug::catch(|| {
                    crate::assignment::grade_submission(a, &sub.path, Some(&sub.learner))
                })
                // `grade_submission` contains each part's panics; this is the rest.
                .unwrap_or_else(|bug| assignment_error(a, sub, bug.describe())),
                BTreeMap::new(),
            ),
        }
    }
}

/// What a record's `submission_sha256` says when the submission changed while it was graded:
/// no digest equals it, so the next run grades the learner again.
pub const CHANGED_WHILE_GRADED: &str = "changed-while-graded";

/// An assignment's result with outcome `error` and `why`, nothing graded.
fn assignment_error(a: &crate::assignment::Loaded, sub: &Submission, why: String) -> RunResult {
    let mut r = RunResult::new(
        RunKind::Assignment,
        &a.spec.id,
        &a.spec.title,
        0,
        a.spec.pass_mark,
    );
    r.learner = Some(sub.learner.clone());
    r.error = Some(why);
    r.finish();
    r
}

/// Why a submission is not graded at all, before anything is read: it is missing (a learner of
/// the map without one), not a regular file or folder (a FIFO would block the batch, a device
/// never end), or a link to a link (a learner's link reached through the instructor's: it
/// could lead to any file of the grading machine, whose text the report would show).
fn refusal(sub: &Submission) -> Option<String> {
    let path = &sub.path;
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Some(format!(
            "no submission: `{}` is not in the submissions folder",
            sub.name
        ));
    };
    if link.file_type().is_symlink() {
        let target = std::fs::read_link(path).ok()?;
        let target = path.parent().map(|p| p.join(&target)).unwrap_or(target);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(format!(
                "`{}` is a link to a link; link the submission itself",
                sub.name
            ));
        }
    }
    match std::fs::metadata(path) {
        Ok(m) if sub.is_dir() == m.is_dir() && (m.is_dir() || m.is_file()) => None,
        Ok(_) => Some(format!("`{}` is not a regular file or folder", sub.name)),
        Err(e) => Some(format!(
            "cannot read `{}`: {}",
            sub.name,
            crate::diagnostic::io_reason(&e)
        )),
    }
}

/// The AWS error codes in a graded cloud's trail, counted. `DryRunOperation` is how a dry run
/// says "you could have": a success, not a mistake.
pub fn aws_errors(cloud: &Cloud) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for event in cloud.trail().events() {
        if let Some(code) = event
            .error_code
            .as_deref()
            .filter(|c| *c != "DryRunOperation")
        {
            *counts.entry(code.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// The file of `sub` that is graded, and its name in the result (`bob/labs/x.rhai`): the
/// submission itself when it is a file; in a folder, the first of `preferred` found, else its
/// one file ending in `suffix` — never through a link that leads out of the folder.
fn graded_file(
    sub: &Submission,
    preferred: &[String],
    suffix: &str,
) -> Result<(std::path::PathBuf, String), String> {
    if !sub.is_dir() {
        return Ok((sub.path.clone(), sub.name.clone()));
    }
    let path = file_in_folder(&sub.path, preferred, suffix)?;
    let rel = path.strip_prefix(&sub.path).unwrap_or(&path);
    let name = format!("{}{}", sub.name, rel.to_string_lossy());
    confined(&path, &sub.path).map_err(|why| format!("`{name}`: {why}"))?;
    Ok((path.clone(), name))
}

/// The script a lab submission holds: the file itself, or in a folder `<lab-id>.rhai`,
/// `labs/<lab-id>.rhai` (a learner's workspace) or its one `.rhai` file.
fn lab_script(lab: &lab::Loaded, sub: &Submission) -> Result<(std::path::PathBuf, String), String> {
    let id = &lab.spec.id;
    graded_file(
        sub,
        &[format!("{id}.rhai"), format!("labs/{id}.rhai")],
        ".rhai",
    )
}

fn grade_lab(lab: &lab::Loaded, sub: &Submission) -> (RunResult, BTreeMap<String, u64>) {
    let v = lab::variant(
        &lab.spec,
        &Who {
            learner: Some(sub.learner.clone()),
            seed: None,
        },
    );
    let show = Show {
        hints: lab::grade::DEFAULT_HINTS,
        taken: &hint_use::NONE_TAKEN,
        reveal_hidden: false,
    };
    let (path, name) = match lab_script(lab, sub) {
        Ok(found) => found,
        Err(why) => return (lab::grade::ungradable(lab, &v, &why), BTreeMap::new()),
    };
    let source = match limits::read_capped(&path, limits::MAX_SCRIPT_BYTES) {
        Ok(Capped::Bytes(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(_) => {
                let why = format!("`{name}` is not UTF-8 text; save it as UTF-8");
                return (lab::grade::ungradable(lab, &v, &why), BTreeMap::new());
            }
        },
        Ok(Capped::TooLarge(t)) => Err(t),
        Err(e) => {
            let why = format!("cannot read `{name}`: {}", crate::diagnostic::io_reason(&e));
            return (lab::grade::ungradable(lab, &v, &why), BTreeMap::new());
        }
    };
    let graded = crate::bug::catch(|| match &source {
        Ok(text) => lab::grade::grade_variant(lab, &name, text, &v, &show),
        Err(t) => lab::grade::grade_too_large(lab, &name, *t, &v, &show),
    });
    match graded {
        Ok(Ok(graded)) => {
            let errors = aws_errors(&graded.cloud);
            (graded.result, errors)
        }
        // A lab whose world cannot be built is refused before the batch starts (the
        // variants are built once up front); should one still fail, it is this record's error.
        Ok(Err(e)) => (
            lab::grade::ungradable(lab, &v, &format!("the lab's world cannot be built: {e}")),
            BTreeMap::new(),
        ),
        Err(bug) => (
            lab::grade::bug_result(lab, &name, source.as_deref().ok(), &v, &bug),
            BTreeMap::new(),
        ),
    }
}

/// The answers file a quiz submission holds: the file, or in a folder `<quiz-id>.answers.yaml`,
/// `<quiz-id>.yaml`, `answers.yaml`, or its one `.yaml` file.
fn answers_file(
    quiz: &quiz::Loaded,
    sub: &Submission,
) -> Result<(std::path::PathBuf, String), String> {
    let id = &quiz.spec.id;
    let preferred = [
        format!("{id}.answers.yaml"),
        format!("{id}.yaml"),
        "answers.yaml".to_string(),
    ];
    graded_file(sub, &preferred, ".yaml")
}

fn grade_quiz(quiz: &quiz::Loaded, sub: &Submission) -> RunResult {
    let paper = quiz::draw(&quiz.spec, &sub.learner);
    let ungradable = |why: String| quiz::grade::ungradable(&paper, &why);
    let (path, name) = match answers_file(quiz, sub) {
        Ok(found) => found,
        Err(why) => return ungradable(why),
    };
    let bytes = match limits::read_capped(&path, limits::MAX_ANSWERS_BYTES) {
        Ok(Capped::Bytes(bytes)) => bytes,
        Ok(Capped::TooLarge(t)) => {
            return ungradable(format!("`{name}` {}; it was not read", t.describe()))
        }
        Err(e) => {
            return ungradable(format!(
                "cannot read `{name}`: {}",
                crate::diagnostic::io_reason(&e)
            ))
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return ungradable(format!("`{name}` is not UTF-8 text; save it as UTF-8"));
    };
    let parsed: AnswersFile = match quiz::parse::parse_strict(&name, text) {
        Ok(parsed) => parsed,
        Err(d) => {
            return ungradable(
                crate::diagnostic::render_all(&[d])
                    .trim_end()
                    .replace('\n', " "),
            )
        }
    };
    if parsed.quiz != quiz.spec.id {
        return ungradable(format!(
            "`{name}` answers the quiz `{}`, not `{}`",
            parsed.quiz, quiz.spec.id
        ));
    }
    if let Some(other) = parsed.learner.as_deref().filter(|l| *l != sub.learner) {
        // The options are shuffled per learner: another learner's letters mean other options.
        return ungradable(format!(
            "`{name}` was written for the learner `{other}`, and this submission is `{}`'s; their options are in another order",
            sub.learner
        ));
    }
    crate::bug::catch(|| quiz::grade::grade_file(&paper, &parsed, &name, &bytes))
        .unwrap_or_else(|bug| quiz::grade::bug_result(&paper, &name, &bytes, &bug))
}

//! Grading a paper: answers in, one [`RunResult`] out.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::answers::{interpret, Answer, AnswersFile};
use super::draw::Paper;
use super::score;
use crate::report::model::{ItemResult, ItemStatus, RunKind, RunResult, SourceHash};
use amilab_text::closest;

/// Grades `answers` (already checked to be for this quiz and learner) against `paper`.
/// Missing, malformed and unknown answers become items with a message; nothing panics.
pub fn grade_answers(paper: &Paper, answers: &BTreeMap<String, Value>) -> RunResult {
    let reveal = paper.quiz.reveal_answers;
    let mut result = new_result(paper);
    for q in &paper.questions {
        let answer = interpret(q, answers.get(&q.spec.id));
        result.items.push(score::item(q, &answer, reveal));
    }
    for id in answers.keys() {
        if paper.question(id).is_some() {
            continue;
        }
        let message = if paper.quiz.questions.iter().any(|q| &q.id == id) {
            format!(
                "Question `{id}` is in the quiz but not on the paper of learner `{}`; check --learner. Not scored.",
                paper.learner
            )
        } else {
            let mut m = format!("Unknown question id `{id}`; not scored.");
            if let Some(best) = closest(id, paper.questions.iter().map(|q| q.spec.id.as_str())) {
                m.push_str(&format!(" Did you mean `{best}`?"));
            }
            m
        };
        let mut item = ItemResult::error(id.clone(), "answer to an unknown question", 0.0, message);
        item.status = ItemStatus::Error;
        item.note = true;
        result.items.push(item);
    }
    result.finish();
    result
}

/// Grades answers given as [`Answer`]s in paper order (the interactive mode).
pub fn grade_given(paper: &Paper, answers: &[Answer]) -> RunResult {
    let mut result = new_result(paper);
    for (q, a) in paper.questions.iter().zip(answers) {
        result
            .items
            .push(score::item(q, a, paper.quiz.reveal_answers));
    }
    result.finish();
    result
}

fn new_result(paper: &Paper) -> RunResult {
    let mut result = RunResult::new(
        RunKind::Quiz,
        &paper.quiz.id,
        &paper.quiz.title,
        paper.seed,
        paper.quiz.pass_mark,
    );
    result.learner = Some(paper.learner.clone());
    result
}

/// Grades an answers file: `file` names it in the result's source hashes.
pub fn grade_file(paper: &Paper, answers: &AnswersFile, file: &str, bytes: &[u8]) -> RunResult {
    let map: BTreeMap<String, Value> = answers
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.0.clone()))
        .collect();
    crate::bug::test_panic("quiz");
    let mut result = grade_answers(paper, &map);
    result.sources.push(SourceHash::of(file, bytes));
    result
}

/// The result of a submission that could not be graded at all — no answers file found, one that
/// does not parse or answers another quiz (`amilab grade`): outcome `error` with `why`, every
/// question of the paper not graded.
pub fn ungradable(paper: &Paper, why: &str) -> RunResult {
    not_graded(paper, "not graded: the answers could not be read", why)
}

/// The paper's result with every question not graded (`message`), and the run's `error`.
fn not_graded(paper: &Paper, message: &str, error: &str) -> RunResult {
    let mut result = new_result(paper);
    for q in &paper.questions {
        result.items.push(ItemResult::error(
            q.spec.id.clone(),
            q.spec.id.clone(),
            q.spec.points,
            message,
        ));
    }
    result.error = Some(error.to_string());
    result.finish();
    result
}

/// The result of a grading that panicked (a bug in amilab, contained): outcome `error`, every
/// question not graded, and the message asking for a bug report.
pub fn bug_result(paper: &Paper, file: &str, bytes: &[u8], bug: &crate::bug::Bug) -> RunResult {
    let mut result = not_graded(paper, "not graded: amilab failed (a bug)", &bug.describe());
    result.sources.push(SourceHash::of(file, bytes));
    result
}

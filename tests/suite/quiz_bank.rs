//! The shipped quizzes, per-learner draws, templates, the answer key, GIFT export and schemas.

use std::collections::{BTreeMap, BTreeSet};

use amilab::quiz::{self, Kind};
use assert_cmd::Command;

fn amilab(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("amilab")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn shipped_quizzes_are_valid_and_use_every_kind() {
    let mut total = 0;
    let mut kinds = BTreeSet::new();
    for b in quiz::BUILTIN {
        let diagnostics = quiz::validate_quiz(b.path, b.source);
        assert!(diagnostics.is_empty(), "{}: {diagnostics:#?}", b.id);
        let loaded = quiz::load(b.id).unwrap();
        total += loaded.spec.questions.len();
        kinds.extend(loaded.spec.questions.iter().map(|q| q.kind.as_str()));
    }
    assert!(total >= 25, "only {total} questions");
    assert_eq!(kinds.len(), 7, "kinds used: {kinds:?}");
}

#[test]
fn every_concept_has_at_least_two_questions() {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for b in quiz::BUILTIN {
        for q in quiz::load(b.id).unwrap().spec.questions {
            for c in q.concepts {
                *count.entry(c).or_default() += 1;
            }
        }
    }
    let thin: Vec<&str> = amilab::concepts::CONCEPTS
        .iter()
        .map(|c| c.id)
        .filter(|id| count.get(*id).copied().unwrap_or(0) < 2)
        .collect();
    assert!(
        thin.is_empty(),
        "concepts with fewer than two questions: {thin:?}"
    );
}

fn paper_signature(p: &quiz::Paper) -> Vec<(String, Vec<usize>)> {
    p.questions
        .iter()
        .map(|q| (q.spec.id.clone(), q.order.clone()))
        .collect()
}

#[test]
fn same_learner_same_paper_and_different_learners_different_draws() {
    let loaded = quiz::load("ami-anatomy").unwrap();
    let alice1 = quiz::draw(&loaded.spec, "alice");
    let alice2 = quiz::draw(&loaded.spec, "alice");
    assert_eq!(paper_signature(&alice1), paper_signature(&alice2));
    assert_eq!(alice1.questions.len(), 12);

    let bob = quiz::draw(&loaded.spec, "bob");
    let ids = |p: &quiz::Paper| {
        p.questions
            .iter()
            .map(|q| q.spec.id.clone())
            .collect::<BTreeSet<_>>()
    };
    assert_ne!(
        ids(&alice1),
        ids(&bob),
        "alice and bob drew the same 12 questions"
    );

    let draws: BTreeSet<_> = (0..20)
        .map(|i| ids(&quiz::draw(&loaded.spec, &format!("learner-{i}"))))
        .collect();
    assert!(
        draws.len() >= 15,
        "only {} different draws among 20 learners",
        draws.len()
    );
}

#[test]
fn pinned_options_keep_their_place_and_order_steps_are_never_given_away() {
    let loaded = quiz::load("ami-lifecycle").unwrap();
    for i in 0..50 {
        let paper = quiz::draw(&loaded.spec, &format!("l{i}"));
        let q = paper.question("snapshot-in-use").unwrap();
        assert_eq!(q.order[3], 3, "the pinned option moved for learner l{i}");
        for q in paper
            .questions
            .iter()
            .filter(|q| q.spec.kind == Kind::Order)
        {
            assert!(
                q.order.windows(2).any(|w| w[0] > w[1]),
                "steps shown in order for l{i}"
            );
        }
    }
}

#[test]
fn the_answer_key_scores_full_marks_for_every_learner() {
    for b in quiz::BUILTIN {
        let loaded = quiz::load(b.id).unwrap();
        for learner in ["alice", "bob", "carol", "dave"] {
            let paper = quiz::draw(&loaded.spec, learner);
            let key = quiz::template::answer_key(&paper);
            let answers: quiz::AnswersFile = serde_yaml::from_str(&key).unwrap();
            let result = quiz::grade::grade_file(&paper, &answers, "key.yaml", key.as_bytes());
            assert_eq!(
                result.score, result.max_score,
                "{}/{learner}: {result:#?}",
                b.id
            );
            assert!(result.passed);
        }
    }
}

#[test]
fn template_is_deterministic_per_learner_and_grades_as_all_missing() {
    let a = amilab(&["quiz", "template", "ami-anatomy", "--learner", "alice"]);
    let b = amilab(&["quiz", "template", "ami-anatomy", "--learner", "alice"]);
    let c = amilab(&["quiz", "template", "ami-anatomy", "--learner", "bob"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    insta::assert_snapshot!(
        "template_ami_anatomy_alice",
        String::from_utf8(a.stdout.clone()).unwrap()
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, &a.stdout).unwrap();
    let out = Command::cargo_bin("amilab")
        .unwrap()
        .args(["quiz", "grade", "ami-anatomy", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["learner"], "alice", "the learner comes from the file");
    assert_eq!(v["score"], 0.0);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    // The built-in quizzes reveal answers, so each unanswered question shows its answer too.
    for item in items {
        let message = item["message"].as_str().unwrap();
        assert!(
            message.starts_with("No answer given. ") && message.len() > "No answer given. ".len(),
            "{message}"
        );
    }
}

#[test]
fn quiz_list() {
    let out = amilab(&["quiz", "list"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("quiz_list", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn gift_export() {
    let out = amilab(&[
        "quiz",
        "export",
        "tests/fixtures/quizzes/sample.yaml",
        "--to",
        "gift",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let gift = String::from_utf8(out.stdout).unwrap();
    // `Either: EC2 converts` has a colon that GIFT would read as a title separator.
    assert!(gift.contains("~Either\\: EC2 converts#EC2 never converts an image."));
    insta::assert_snapshot!("gift_sample", gift);
    for b in quiz::BUILTIN {
        let out = amilab(&["quiz", "export", b.id, "--to", "gift"]);
        assert_eq!(out.status.code(), Some(0));
        let gift = String::from_utf8(out.stdout).unwrap();
        let questions = gift.lines().filter(|l| l.starts_with("::")).count();
        let skipped = gift.lines().filter(|l| l.starts_with("// skipped")).count();
        assert_eq!(
            questions + skipped,
            quiz::load(b.id).unwrap().spec.questions.len()
        );
    }
}

#[test]
fn schemas_are_strict_and_the_committed_copies_are_current() {
    for (what, file) in [
        ("quiz", "docs/schemas/quiz.schema.json"),
        ("answers", "docs/schemas/answers.schema.json"),
    ] {
        let out = amilab(&["schema", what]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["additionalProperties"], false, "{what}");
        assert_eq!(
            std::fs::read_to_string(file).unwrap(),
            text,
            "{file} is stale: run `amilab schema {what} > {file}`"
        );
    }
    let quiz_schema: serde_json::Value =
        serde_json::from_slice(&amilab(&["schema", "quiz"]).stdout).unwrap();
    assert_eq!(
        quiz_schema["$defs"]["QuestionSpec"]["additionalProperties"],
        false
    );
}

#[test]
fn take_refuses_a_non_interactive_terminal() {
    let out = Command::cargo_bin("amilab")
        .unwrap()
        .args(["quiz", "take", "ami-anatomy"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("amilab quiz template ami-anatomy"), "{err}");
    assert!(
        err.contains("amilab quiz grade ami-anatomy answers.yaml"),
        "{err}"
    );
}

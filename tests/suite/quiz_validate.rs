//! Quiz validation and strict parsing: every rule, with file:line:column and a hint.

use amilab::diagnostic::render_all;
use amilab::quiz::validate_quiz;
use assert_cmd::Command;

fn fixture(name: &str) -> (String, String) {
    let file = format!("tests/fixtures/quizzes/{name}.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    (file, text)
}

#[test]
fn every_validation_rule_is_reported_with_its_position() {
    let (file, text) = fixture("broken");
    let diagnostics = validate_quiz(&file, &text);
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    let expect = [
        "pass_mark 120 is not a percentage",
        "pick: 9 but the pool has 7 questions",
        "unknown concept `ami-basic`",
        "duplicate question id `two-right`",
        "question `two-right` is `single` but has 2 correct options; it needs exactly one",
        "option 2 of question `two-right` has no rationale",
        "unknown concept `root-devices`",
        "question `none-right` is `multiple` but no option is correct",
        "question `two-right` has a negative tolerance (-1)",
        "the pattern of question `bad-regex` is not a valid regex: error: unclosed group",
        "question `one-step` is `order` with 1 step; it needs at least 2",
        "pair 2 of question `same-right` repeats the right item `Private`",
        "question `wrong-fields` is `true_false` but sets `steps`, which only `order` uses",
        "question `wrong-fields` has no `rationale_false`",
    ];
    for e in expect {
        assert!(
            messages.contains(&e),
            "missing diagnostic {e:?} in {messages:#?}"
        );
    }
    assert!(
        diagnostics.iter().all(|d| d.line.is_some()),
        "every diagnostic has a line"
    );
    insta::assert_snapshot!("validate_broken", render_all(&diagnostics));
}

#[test]
fn unknown_key_is_a_parse_error_with_did_you_mean() {
    let (file, text) = fixture("typo");
    let d = validate_quiz(&file, &text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].location(), "tests/fixtures/quizzes/typo.yaml:7:5");
    insta::assert_snapshot!("parse_typo", render_all(&d));
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let (file, text) = fixture("bad-kind");
    let d = validate_quiz(&file, &text);
    assert_eq!(d.len(), 1);
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `multiple`?"),
        "{:?}",
        d[0]
    );
    insta::assert_snapshot!("parse_bad_kind", render_all(&d));
}

#[test]
fn commands_refuse_an_invalid_quiz_with_exit_2() {
    for name in ["broken", "typo", "bad-kind"] {
        let out = Command::cargo_bin("amilab")
            .unwrap()
            .args([
                "quiz",
                "template",
                &format!("tests/fixtures/quizzes/{name}.yaml"),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("--> tests/fixtures/quizzes/{name}.yaml:")),
            "{err}"
        );
    }
}

#[test]
fn hostile_quiz_text_never_panics() {
    let inputs = [
        "",
        "---\n...\n",
        "id: [",
        "questions: 5",
        "id: x\ntitle: t\npass_mark: 50\nquestions:\n  - id: q\n    kind: match\n    prompt: p\n",
        "id: x\ntitle: t\npass_mark: .nan\nquestions: []\n",
        "a: &a [*a]",
        "id: x\ntitle: t\npass_mark: 50\npick: -1\nquestions: []\n",
        "\u{feff}id: x",
    ];
    for text in inputs {
        let _ = validate_quiz("x.yaml", text);
    }
}

//! `amilab lab list|show|start`, `amilab validate` and `amilab schema lab`.

use crate::cli_common;

use cli_common::{amilab, run};

#[test]
fn list_and_show() {
    let (code, list, _) = run(&["lab", "list"]);
    assert_eq!(code, 0);
    for id in [
        "first-golden-image",
        "clone-across-regions",
        "share-with-teammate",
    ] {
        assert!(list.contains(id));
    }
    insta::assert_snapshot!("lab_list", list);
    let (code, show, _) = run(&["lab", "show", "clone-across-regions", "--learner", "ada"]);
    assert_eq!(code, 0);
    assert!(show.contains("params.count = "));
    assert!(!show.contains("{{"), "placeholders are filled in");
    assert!(show.contains("hidden check"));
    insta::assert_snapshot!("lab_show_clone_ada", show);
    let (_, other, _) = run(&["lab", "show", "clone-across-regions", "--learner", "grace"]);
    assert_ne!(show, other, "variants differ between learners");
}

#[test]
fn start_writes_the_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run(&["lab", "start", "first-golden-image", "--dir", d]);
    assert_eq!(code, 0, "{out}");
    let path = dir.path().join("first-golden-image.rhai");
    let starter = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        starter,
        std::fs::read_to_string("labs/first-golden-image/starter.rhai").unwrap()
    );
    std::fs::write(&path, "my work").unwrap();
    let (code, _, err) = run(&["lab", "start", "first-golden-image", "--dir", d]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my work");
    let (code, _, _) = run(&["lab", "start", "first-golden-image", "--dir", d, "--force"]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), starter);
}

#[test]
fn validate_the_builtin_course() {
    let (code, out, err) = run(&["validate"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        6,
        "{out}"
    );
    let (code, out, _) = run(&["validate", "labs", "quizzes"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn validate_reports_every_problem_with_its_position() {
    let (code, _, err) = run(&["validate", "tests/fixtures/labs/broken"]);
    assert_eq!(code, 2);
    for expected in [
        "lab id `Broken_Lab` is not a lower-case slug",
        "the lab title is empty",
        "pass_mark 120 is not a percentage",
        "unknown concept `ami-basic`",
        "param `both` must use exactly one of",
        "param `too_many` chooses 3 of 2 values",
        "unknown placeholder `{{params.regoin}}`",
        "unknown placeholder `{{accounts.teamate}}`",
        "unknown region `eu-wset-1`",
        "world resource `web` is in `ap-south-1`",
        "uses image `al2023-x86`",
        "unknown account `contractor`",
        "duplicate check id `one`",
        "check `one` has 0 points",
        "visible check `one` has no hints",
        "unknown concept `copy-images`",
        "check `one` does not compile",
        "wrong submission `wrong/missing.rhai` declares an unknown check `shraed`",
        "syntax error",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    insta::assert_snapshot!("validate_broken_lab", err);
}

#[test]
fn unknown_key_is_a_parse_error_with_did_you_mean() {
    let (code, _, err) = run(&["validate", "tests/fixtures/labs/typo/lab.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `hint`"), "{err}");
    assert!(err.contains("did you mean `hints`?"), "{err}");
    assert!(
        err.contains("tests/fixtures/labs/typo/lab.yaml:10:5"),
        "{err}"
    );
    insta::assert_snapshot!("validate_typo_lab", err);
}

#[test]
fn an_invalid_lab_is_refused_by_check() {
    let (code, _, err) = run(&[
        "check",
        "tests/fixtures/labs/broken",
        "tests/fixtures/labs/broken/starter.rhai",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the lab is invalid"));
}

#[test]
fn lab_schema_matches_the_committed_file() {
    let (code, schema, _) = run(&["schema", "lab"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string("docs/schemas/lab.schema.json").unwrap();
    assert_eq!(
        schema, committed,
        "run `amilab schema lab > docs/schemas/lab.schema.json`"
    );
    let v: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert!(v["properties"]["checks"].is_object());
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn validate_takes_lab_and_quiz_ids_like_check_does() {
    let out = amilab()
        .args(["validate", "share-with-teammate", "ami-lifecycle"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("labs/share-with-teammate/lab.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("quizzes/ami-lifecycle.yaml"), "{stdout}");
    let out = amilab().args(["validate", "share-with"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean `share-with-teammate`?"),
        "{stderr}"
    );
}

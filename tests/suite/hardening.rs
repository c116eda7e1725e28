//! Issue 12, items 3–5: source limits checked before parsing, panics contained (exit 3 and a
//! bug report, never exit 101), and YAML alias bombs, deep nesting and merge keys.

use crate::cli_common::{amilab, run, FORMATS};

const H: &str = "tests/fixtures/hardening";

/// A script of `bytes` bytes that parses (many `let` statements, the parser's worst case).
fn big_script(dir: &std::path::Path, bytes: usize) -> std::path::PathBuf {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!("let x{i} = 1;\n"));
        i += 1;
    }
    text.truncate(bytes);
    let path = dir.join("big.rhai");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_script_over_the_limit_is_refused_unparsed_by_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_script(dir.path(), 200 * 1024);
    let (code, out, err) = run(&["run", "--format", "plain", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{out}{err}");
    let err = err.replace(path.to_str().unwrap(), "big.rhai");
    insta::assert_snapshot!(err);
}

#[test]
fn a_script_over_the_limit_is_an_error_verdict_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_script(dir.path(), 200 * 1024);
    for format in FORMATS {
        let (code, out, err) = run(&[
            "check",
            "first-golden-image",
            path.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(code, 3, "{format}: {out}{err}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["outcome"], "error");
            assert_eq!(v["submission"]["status"], "limit_exceeded");
            let message = v["submission"]["error"]["message"].as_str().unwrap();
            insta::assert_snapshot!(message);
        }
    }
}

#[test]
fn a_script_at_the_limit_is_parsed_not_refused() {
    // The worst case the limit allows: as many `let` statements as fit. Its parse time (about
    // 0.5 s in a release build) is measured in README, "Limits", not here: a timed test fails
    // on a loaded machine.
    let dir = tempfile::tempdir().unwrap();
    let path = big_script(dir.path(), amilab::limits::MAX_SCRIPT_BYTES as usize);
    let (code, out, err) = run(&["run", "--format", "plain", path.to_str().unwrap()]);
    assert_ne!(code, 101, "{out}{err}");
    assert!(!err.contains("more than the limit of"), "{err}");
    assert!(!err.contains("error[syntax]"), "{err}");
}

#[test]
fn instructor_files_over_the_limit_are_bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("lab.yaml");
    std::fs::write(&lab, "# padding\n".repeat(110_000)).unwrap();
    let quiz = dir.path().join("big.yaml");
    std::fs::write(&quiz, "# padding\n".repeat(110_000)).unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(&answers, "# padding\n".repeat(30_000)).unwrap();
    let d = dir.path().to_str().unwrap();
    let mut messages = Vec::new();
    for args in [
        vec!["lab", "show", lab.to_str().unwrap()],
        vec!["check", lab.to_str().unwrap(), "tests/fixtures/syntax.rhai"],
        vec![
            "quiz",
            "grade",
            quiz.to_str().unwrap(),
            answers.to_str().unwrap(),
        ],
        vec!["quiz", "grade", "ami-anatomy", answers.to_str().unwrap()],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        messages.push(err.replace(d, "DIR"));
    }
    insta::assert_snapshot!(messages.join("---\n"));
}

#[test]
fn an_alias_bomb_is_refused_with_its_place() {
    // Refused before it expands (measured in README, "Limits"; no timing asserted here).
    let (code, _, err) = run(&[
        "quiz",
        "grade",
        &format!("{H}/merged.yaml"),
        &format!("{H}/bomb-answers.yaml"),
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(err);
}

#[test]
fn deep_nesting_is_refused_with_its_place_and_a_hint() {
    let (code, _, err) = run(&[
        "quiz",
        "grade",
        &format!("{H}/merged.yaml"),
        &format!("{H}/deep-answers.yaml"),
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(err);
}

#[test]
fn merge_keys_are_resolved() {
    let (code, out, err) = run(&["validate", &format!("{H}/merged.yaml")]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&[
        "quiz",
        "grade",
        &format!("{H}/merged.yaml"),
        &format!("{H}/merged-answers.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["score"], 4.0,
        "both questions are worth the merged 2 points"
    );
}

#[test]
fn an_error_in_a_merged_document_names_its_path() {
    let (code, out, err) = run(&["validate", &format!("{H}/merged-bad.yaml")]);
    assert_eq!(code, 2, "{out}{err}");
    insta::assert_snapshot!(err);
}

/// `AMILAB_TEST_PANIC=POINT` panics at POINT (debug builds only): the panic must become outcome
/// `error`, exit 3, and a request for a bug report, in every format; never exit 101.
fn with_panic(point: &str, args: &[&str]) -> (i32, String, String) {
    let o = amilab()
        .env("AMILAB_TEST_PANIC", point)
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn a_panic_in_the_script_or_the_checks_is_an_error_report_in_every_format() {
    for point in ["script", "checks"] {
        for format in FORMATS {
            let (code, out, err) = with_panic(
                point,
                &[
                    "check",
                    "first-golden-image",
                    "labs/first-golden-image/solution.rhai",
                    "--format",
                    format,
                ],
            );
            assert_eq!(code, 3, "{point} {format}: {out}{err}");
            assert!(!err.contains("panicked at"), "{point} {format}: {err}");
            match format {
                "json" => {
                    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                    assert_eq!(v["outcome"], "error");
                    let message = v["error"].as_str().unwrap();
                    assert!(message.contains("please report this bug"), "{message}");
                }
                "junit" => {
                    roxmltree::Document::parse(&out).unwrap();
                }
                "gradescope" => {
                    serde_json::from_str::<serde_json::Value>(&out).unwrap();
                }
                "github" => assert!(out.contains("error"), "{out}"),
                _ => assert!(out.contains("report this bug"), "{point} {format}: {out}"),
            }
        }
    }
}

#[test]
fn a_panic_in_a_run_is_exit_3_with_a_bug_report() {
    let (code, out, err) = with_panic(
        "script",
        &[
            "run",
            "--format",
            "plain",
            "labs/first-golden-image/solution.rhai",
        ],
    );
    assert_eq!(code, 3, "{out}{err}");
    let err = err.replace('\\', "/");
    let err = regex::Regex::new(r"src/[a-z_/]+\.rs:\d+:\d+")
        .unwrap()
        .replace(&err, "FILE:LINE:COL");
    insta::assert_snapshot!(err);
    let (code, out, _) = with_panic(
        "script",
        &[
            "run",
            "--format",
            "json",
            "labs/first-golden-image/solution.rhai",
        ],
    );
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.to_string().contains("\"internal\""), "{v}");
}

#[test]
fn a_panic_in_quiz_grading_is_an_error_report() {
    for format in FORMATS {
        let (code, out, err) = with_panic(
            "quiz",
            &[
                "quiz",
                "grade",
                &format!("{H}/merged.yaml"),
                &format!("{H}/merged-answers.yaml"),
                "--format",
                format,
            ],
        );
        assert_eq!(code, 3, "{format}: {out}{err}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["outcome"], "error");
        }
    }
}

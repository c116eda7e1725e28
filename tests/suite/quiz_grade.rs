//! `amilab quiz grade`: every report format on a passing, a partial and a failing answers file,
//! exit codes, and the machine formats checked against their field lists.

use crate::cli_common;

use base64::Engine as _;
use cli_common::{amilab, FORMATS};

const QUIZ: &str = "tests/fixtures/quizzes/sample.yaml";

fn grade(answers: &str, format: &str) -> std::process::Output {
    amilab()
        .args(["quiz", "grade", QUIZ, answers, "--format", format])
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn every_format_for_pass_partial_and_fail() {
    let cases = [("pass", 0), ("partial", 0), ("fail", 1)];
    for (name, code) in cases {
        let file = format!("tests/fixtures/answers/{name}.yaml");
        for format in FORMATS {
            let out = grade(&file, format);
            assert_eq!(
                out.status.code(),
                Some(code),
                "{name} as {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            insta::assert_snapshot!(format!("grade_{name}_{format}"), stdout(&out));
        }
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    for format in ["pretty", "json", "junit", "tap", "gradescope", "github"] {
        let a = grade("tests/fixtures/answers/partial.yaml", format);
        let b = grade("tests/fixtures/answers/partial.yaml", format);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn pretty_has_no_colour_when_not_a_terminal() {
    let out = grade("tests/fixtures/answers/fail.yaml", "pretty");
    assert!(!stdout(&out).contains('\u{1b}'));
}

#[test]
fn plain_has_no_symbols_and_says_pass_and_fail() {
    let text = stdout(&grade("tests/fixtures/answers/partial.yaml", "plain"));
    assert!(text.contains("PASS") && text.contains("PARTIAL"));
    for symbol in ['✔', '✘', '◐', '·', '\u{1b}'] {
        assert!(!text.contains(symbol), "plain output contains {symbol:?}");
    }
}

#[test]
fn json_is_the_versioned_result_model() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&grade(
        "tests/fixtures/answers/partial.yaml",
        "json",
    )))
    .unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["kind"], "quiz");
    assert_eq!(v["id"], "sample");
    assert_eq!(v["learner"], "ci");
    assert_eq!(v["score"], 7.08);
    assert_eq!(v["max_score"], 10.0);
    assert_eq!(v["passed"], true);
    assert_eq!(v["outcome"], "passed");
    assert_eq!(v["items"].as_array().unwrap().len(), 7);
    // The quiz file first (what --quiz-sha256 pins), then the answers.
    assert_eq!(v["sources"][0]["path"], QUIZ);
    assert_eq!(
        v["sources"][1]["path"],
        "tests/fixtures/answers/partial.yaml"
    );
    assert_eq!(v["sources"][1]["sha256"].as_str().unwrap().len(), 64);
    let back: amilab::report::RunResult = serde_json::from_value(v).unwrap();
    assert_eq!(back.items[0].status, amilab::report::ItemStatus::Partial);
}

#[test]
fn junit_parses_as_xml_with_the_right_counts() {
    let xml = stdout(&grade("tests/fixtures/answers/fail.yaml", "junit"));
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suite = root
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("quiz sample"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // The answer to the unknown `pick-on` is a warning, not a test case.
    assert_eq!(cases.len(), 7);
    assert_eq!(suite.attribute("tests"), Some("7"));
    for c in &cases {
        assert_eq!(c.attribute("classname"), Some("amilab.quiz.sample"));
        assert!(c.attribute("name").is_some() && c.attribute("time").is_some());
    }
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    let errors = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("error")))
        .count();
    assert_eq!(
        suite.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    assert_eq!(suite.attribute("errors"), Some(errors.to_string().as_str()));
    assert_eq!((failures, errors), (6, 1));
    let warnings = suite
        .children()
        .find(|n| n.has_tag_name("system-err"))
        .unwrap();
    assert!(warnings
        .text()
        .unwrap()
        .starts_with("warning: pick-on: Unknown question id `pick-on`"));
    // Learner text survives escaping intact.
    let say_it = cases
        .iter()
        .find(|c| c.attribute("name").unwrap().starts_with("say-it"))
        .unwrap();
    let failure = say_it
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failure.text().unwrap().contains("<b>&amp; # not ok 1"));
}

#[test]
fn tap_is_version_14_with_a_plan_and_no_forged_points() {
    let tap = stdout(&grade("tests/fixtures/answers/fail.yaml", "tap"));
    let mut lines = tap.lines();
    assert_eq!(lines.next(), Some("TAP version 14"));
    // Seven questions; the answer to the unknown `pick-on` is a `# warning:`, not a test.
    assert_eq!(lines.next(), Some("1..7"));
    let points: Vec<&str> = tap
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("not ok "))
        .collect();
    assert_eq!(
        points.len(),
        7,
        "learner text must not add test points: {points:?}"
    );
    assert!(tap.contains("\n# warning: pick-on: Unknown question id `pick-on`"));
    assert_eq!(tap.lines().last(), Some("# passed: false"));
    assert!(tap.lines().all(|l| !l.starts_with("::")));
}

#[test]
fn gradescope_has_its_fields() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&grade(
        "tests/fixtures/answers/partial.yaml",
        "gradescope",
    )))
    .unwrap();
    assert_eq!(v["score"], 7.08);
    assert_eq!(v["max_score"], 10.0);
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 7);
    for t in tests {
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        for key in [
            "score",
            "max_score",
            "status",
            "name",
            "output",
            "visibility",
            "output_format",
        ] {
            assert!(keys.contains(&key), "missing {key} in {t}");
        }
        assert!(["passed", "failed"].contains(&t["status"].as_str().unwrap()));
        assert_eq!(t["output_format"], "md");
        assert_eq!(t["visibility"], "visible");
    }
}

#[test]
fn github_writes_output_annotation_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let summary = dir.path().join("summary.md");
    std::fs::write(&output, "earlier=1\n").unwrap();
    let out = amilab()
        .args([
            "quiz",
            "grade",
            QUIZ,
            "tests/fixtures/answers/fail.yaml",
            "--format",
            "github",
        ])
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(
        text.lines().last(),
        Some("::notice title=amilab quiz sample::Points 0/10")
    );
    // The forged `::error` in the learner's answer never starts a line.
    let commands: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("::"))
        .collect();
    assert_eq!(
        commands,
        [
            "::warning title=amilab quiz sample::pick-on: Unknown question id `pick-on`; not scored. Did you mean `pick-one`?",
            "::notice title=amilab quiz sample::Points 0/10"
        ]
    );

    let written = std::fs::read_to_string(&output).unwrap();
    let line = written.lines().nth(1).unwrap();
    let b64 = line.strip_prefix("result=").unwrap();
    let json = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["status"], "fail");
    assert_eq!(v["max_score"], 10.0);
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 7, "the unknown answer is no test");
    for t in tests {
        for key in ["name", "status", "score", "message"] {
            assert!(t.get(key).is_some(), "missing {key} in {t}");
        }
        assert!(["pass", "fail", "error"].contains(&t["status"].as_str().unwrap()));
    }

    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### amilab quiz `sample`"));
    assert!(!md.contains("<b>"), "learner HTML must be escaped: {md}");
    insta::assert_snapshot!("github_step_summary_fail", md);
}

#[test]
fn out_writes_a_file_instead_of_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let out = amilab()
        .args([
            "quiz",
            "grade",
            QUIZ,
            "tests/fixtures/answers/pass.yaml",
            "--format",
            "gradescope",
            "--out",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["score"], 10.0);
}

fn grade_err(args: &[&str]) -> (Option<i32>, String) {
    let out = amilab().args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn learner_mismatch_is_a_bad_invocation() {
    let (code, err) = grade_err(&[
        "quiz",
        "grade",
        QUIZ,
        "tests/fixtures/answers/pass.yaml",
        "--learner",
        "bob",
    ]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("grade_learner_mismatch", err);
}

#[test]
fn answers_for_another_quiz_are_refused() {
    let (code, err) = grade_err(&[
        "quiz",
        "grade",
        "ami-anatomy",
        "tests/fixtures/answers/pass.yaml",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("answers the quiz `sample`, not `ami-anatomy`"),
        "{err}"
    );
}

#[test]
fn malformed_answers_files_are_reported_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown-key",
            "quiz: sample\nlearner: ci\nanswer:\n  pick-one: b\n",
        ),
        ("not-a-map", "- pick-one\n- b\n"),
        ("bad-yaml", "quiz: sample\nanswers: {pick-one: b\n"),
        ("empty", ""),
    ];
    for (name, text) in cases {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, text).unwrap();
        let out = amilab()
            .current_dir(dir.path())
            .args(["quiz", "grade"])
            .arg(std::fs::canonicalize(QUIZ).unwrap())
            .arg(format!("{name}.yaml"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        insta::assert_snapshot!(
            format!("answers_error_{name}"),
            String::from_utf8(out.stderr).unwrap()
        );
    }
}

#[test]
fn unknown_quiz_id_suggests_the_closest() {
    let (code, err) = grade_err(&["quiz", "template", "ami-anatomie"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `ami-anatomy`?"), "{err}");
}

#[test]
fn missing_answers_file_is_a_bad_invocation() {
    let (code, err) = grade_err(&["quiz", "grade", QUIZ, "no/such/file.yaml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cannot read answers file `no/such/file.yaml`"),
        "{err}"
    );
}

#[test]
fn learner_text_never_starts_a_ci_log_command() {
    for format in ["pretty", "plain", "tap", "junit", "github"] {
        let text = stdout(&grade("tests/fixtures/answers/fail.yaml", format));
        assert!(
            text.contains("error title=forged"),
            "{format} should still show the answer"
        );
        let forged: Vec<&str> = text
            .lines()
            .filter(|l| {
                l.trim_start().starts_with("::")
                    && !l.starts_with("::notice title=amilab")
                    // amilab's own warning about the unknown answer `pick-on`.
                    && !l.starts_with("::warning title=amilab quiz sample::pick-on: ")
            })
            .collect();
        assert!(forged.is_empty(), "{format}: {forged:?}");
    }
}

#[test]
fn template_never_overwrites_answers_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(&file, "quiz: ami-anatomy\nanswers: {q1: a}\n").unwrap();
    let out = amilab()
        .args(["quiz", "template", "ami-anatomy", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "quiz: ami-anatomy\nanswers: {q1: a}\n",
        "the answers are kept"
    );
    let out = amilab()
        .args(["quiz", "template", "ami-anatomy", "--force", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("ami-anatomy"));
}

#[test]
fn an_unwritable_report_file_is_named_and_exits_2() {
    let out = amilab()
        .args([
            "quiz",
            "grade",
            QUIZ,
            "tests/fixtures/answers/pass.yaml",
            "--format",
            "json",
            "--out",
            "no/such/folder/r.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "cannot write the report to `no/such/folder/r.json`: the folder `no/such/folder` does not exist"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
}

#[test]
fn numbers_in_answers_files_are_read_as_in_the_interactive_quiz() {
    // `how-many` (take.yaml) is 12, in digits.
    let cases = [
        ("\"12 digits\"", "You answered 12 digits."),
        ("\"12,000\"", "You answered 12000 digits. Accepted: 12 digits."),
        (
            "\"1,2\"",
            "Answer not understood: `1,2`: write decimals with a point, such as `7.50`; a comma only separates thousands, as in `1,000`. Scored 0.",
        ),
        (
            "\"$12\"",
            "Answer not understood: `$` is not this question's unit; answer in digits",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (answer, says) in cases {
        let path = dir.path().join("answers.yaml");
        std::fs::write(
            &path,
            format!("quiz: take\nlearner: pty\nanswers:\n  how-many: {answer}\n"),
        )
        .unwrap();
        let out = amilab()
            .args(["quiz", "grade", "tests/fixtures/quizzes/take.yaml"])
            .arg(&path)
            .args(["--format", "plain"])
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(text.contains(says), "{answer}: {text}");
        assert_eq!(out.status.code(), Some(1), "{answer}: {text}");
    }
}

/// An answers file with one answer to a question the quiz does not have (`pick-onee`).
fn with_unknown_answer(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string("tests/fixtures/answers/pass.yaml").unwrap();
    let path = dir.join("answers.yaml");
    std::fs::write(&path, format!("{text}  pick-onee: a\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn answers_to_unknown_questions_are_warnings_not_tests() {
    let dir = tempfile::tempdir().unwrap();
    let answers = with_unknown_answer(dir.path());
    let out = |format: &str| {
        let o = grade(&answers, format);
        assert_eq!(o.status.code(), Some(0), "{format}");
        stdout(&o).replace(&answers, "answers.yaml")
    };
    // Listed in the result model, marked as a note worth nothing.
    let json: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    assert_eq!(items[7]["id"], "pick-onee");
    assert_eq!(items[7]["note"], true);
    assert_eq!(items[7]["max_points"], 0.0);

    let tap = out("tap");
    assert!(tap.contains("\n1..7\n"));
    assert!(!tap
        .lines()
        .any(|l| l.contains("ok") && l.contains("pick-onee")));
    assert!(tap.contains("# warning: pick-onee: Unknown question id `pick-onee`; not scored."));
    insta::assert_snapshot!("unknown_answer_tap", tap);

    let junit = out("junit");
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("7"));
    assert_eq!(suite.attribute("errors"), Some("0"));
    assert_eq!(
        suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        7
    );
    let err = suite
        .children()
        .find(|n| n.has_tag_name("system-err"))
        .unwrap();
    assert!(err
        .text()
        .unwrap()
        .starts_with("warning: pick-onee: Unknown question id"));
    insta::assert_snapshot!("unknown_answer_junit", junit);

    let gs: serde_json::Value = serde_json::from_str(&out("gradescope")).unwrap();
    assert_eq!(gs["tests"].as_array().unwrap().len(), 7);
    assert!(gs["output"]
        .as_str()
        .unwrap()
        .contains("**Warning** (not scored): pick-onee: Unknown question id"));

    let dir2 = tempfile::tempdir().unwrap();
    let output = dir2.path().join("output");
    let o = amilab()
        .args(["quiz", "grade", QUIZ, &answers, "--format", "github"])
        .env("GITHUB_OUTPUT", &output)
        .output()
        .unwrap();
    let gh = stdout(&o);
    assert!(gh.contains("::warning title=amilab quiz sample::pick-onee: Unknown question id"));
    let line = std::fs::read_to_string(&output).unwrap();
    let runner: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(line.trim().strip_prefix("result=").unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(runner["tests"].as_array().unwrap().len(), 7);
}

#[test]
fn the_seed_is_also_a_string_for_javascript() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&grade("tests/fixtures/answers/pass.yaml", "json"))).unwrap();
    let seed = json["seed"].as_u64().unwrap();
    // Learner seeds are hashes: most are above 2^53, where a JSON number loses digits in
    // JavaScript; the string keeps them.
    assert_eq!(json["seed_text"], seed.to_string());
    let (_, schema, _) = cli_common::run(&["schema", "result"]);
    assert!(schema.contains("\"seed_text\""), "the schema documents it");
}

//! Assignments (`assignment.yaml`): a submission folder graded against labs and quizzes into
//! one score — full marks, partial, a missing part, the workspace layout, every report format,
//! determinism, invalid assignment files, and the JSON Schema.

use std::path::{Path, PathBuf};

use crate::cli_common::{amilab, FORMATS};

const WEEK3: &str = "tests/fixtures/assignments/week-3.yaml";
const SOLUTION: &str = "labs/first-golden-image/solution.rhai";
const WRONG: &str = "labs/first-golden-image/wrong/no-reboot.rhai";

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A submission folder holding `files`: (name in the folder, file of the repository to copy).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, from) in files {
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo(from), to).unwrap();
    }
    dir
}

/// (exit code, stdout, stderr) of `amilab args…` in the repository.
fn run(args: &[&str]) -> (i32, String, String) {
    let o = amilab().args(args).output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// `amilab check WEEK3 DIR --learner ci --format FORMAT --no-timings`.
fn check(dir: &Path, format: &str) -> (i32, String, String) {
    run(&[
        "check",
        WEEK3,
        dir.to_str().unwrap(),
        "--learner",
        "ci",
        "--format",
        format,
        "--no-timings",
    ])
}

/// A score as the reports write it: at most two decimals, no trailing zeros.
fn fmt_points(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn json(dir: &Path) -> (i32, serde_json::Value) {
    let (code, out, err) = check(dir, "json");
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

/// The score is the items' sum and the parts' sum, and the percent and verdict follow from it.
fn assert_consistent(v: &serde_json::Value) {
    let sum = |key: &str, list: &str| -> f64 {
        let total: f64 = v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[key].as_f64().unwrap())
            .sum();
        (total * 100.0).round() / 100.0
    };
    let score = v["score"].as_f64().unwrap();
    let max = v["max_score"].as_f64().unwrap();
    assert_eq!(sum("points", "items"), score, "{v:#}");
    assert_eq!(sum("max_points", "items"), max, "{v:#}");
    assert_eq!(sum("score", "parts"), score, "{v:#}");
    assert_eq!(sum("max_score", "parts"), max, "{v:#}");
    let reaches = score * 100.0 / max + 1e-9 >= v["pass_mark"].as_f64().unwrap();
    if v["passed"].as_bool().unwrap() {
        assert!(reaches, "{v:#}");
    }
}

#[test]
fn a_full_marks_folder_passes_with_every_item_scaled_to_its_part() {
    let dir = folder(&[
        ("first-golden-image.rhai", SOLUTION),
        ("sample.answers.yaml", "tests/fixtures/answers/pass.yaml"),
    ]);
    let (code, v) = json(dir.path());
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["kind"], "assignment");
    assert_eq!(v["id"], "week-3");
    assert_eq!(v["learner"], "ci");
    assert_eq!(v["due"], "2026-12-15T23:59:00Z");
    assert_eq!(
        (v["score"].as_f64(), v["max_score"].as_f64()),
        (Some(30.0), Some(30.0))
    );
    assert_eq!(v["passed"], true);
    assert_eq!(v["outcome"], "passed");
    let parts = v["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(
        (parts[0]["id"].as_str(), parts[0]["file"].as_str()),
        (Some("first-golden-image"), Some("first-golden-image.rhai"))
    );
    assert_eq!(
        (parts[1]["id"].as_str(), parts[1]["file"].as_str()),
        (Some("sample"), Some("sample.answers.yaml"))
    );
    let items = v["items"].as_array().unwrap();
    assert!(items[0]["id"]
        .as_str()
        .unwrap()
        .starts_with("first-golden-image/"));
    assert!(items.last().unwrap()["id"]
        .as_str()
        .unwrap()
        .starts_with("sample/"));
    // The lab's 13 points become 20: `image-created` (2 of 13) is worth 3.08.
    let created = items
        .iter()
        .find(|i| i["id"] == "first-golden-image/image-created")
        .unwrap();
    assert_eq!(created["max_points"].as_f64(), Some(3.08));
    // The lab's required checks stay required.
    let required = items
        .iter()
        .find(|i| i["id"] == "first-golden-image/private-image")
        .unwrap();
    assert_eq!(required["required"], true);
    assert_consistent(&v);
}

#[test]
fn a_partial_folder_scores_what_each_part_earned() {
    let dir = folder(&[
        ("first-golden-image.rhai", WRONG),
        ("sample.answers.yaml", "tests/fixtures/answers/partial.yaml"),
    ]);
    let (code, v) = json(dir.path());
    assert_consistent(&v);
    let score = v["score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 30.0, "{v:#}");
    assert_eq!(code, if v["passed"] == true { 0 } else { 1 });
    let (_, text, _) = check(dir.path(), "pretty");
    insta::assert_snapshot!("partial_pretty", text);
}

#[test]
fn a_required_part_must_pass_on_its_own() {
    let dir = folder(&[
        ("first-golden-image.rhai", WRONG),
        ("sample.answers.yaml", "tests/fixtures/answers/pass.yaml"),
    ]);
    let d = dir.path().to_str().unwrap();
    let file = "tests/fixtures/assignments/required.yaml";
    let args = ["--learner", "ci", "--no-timings", "--format"];
    let (code, out, _) = run(&[&["check", file, d][..], &args, &["json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 25.39 of 30 is well over the pass mark of 50 %, but the lab did not pass.
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["score"].as_f64(), Some(25.39));
    assert_eq!(
        (
            v["parts"][0]["required"].as_bool(),
            v["parts"][0]["passed"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let (_, text, _) = run(&[&["check", file, d][..], &args, &["pretty"]].concat());
    assert!(
        text.ends_with("· NOT PASSED (required part first-golden-image not passed)\n"),
        "{text}"
    );
    assert!(
        text.contains("first-golden-image.rhai  (required: not passed)"),
        "{text}"
    );
    // With the solution, the lab passes and so does the assignment.
    std::fs::copy(repo(SOLUTION), dir.path().join("first-golden-image.rhai")).unwrap();
    let (code, _, _) = run(&[&["check", file, d][..], &args, &["json"]].concat());
    assert_eq!(code, 0);
}

#[test]
fn a_missing_part_scores_zero_and_names_the_file_expected() {
    let dir = folder(&[("first-golden-image.rhai", SOLUTION)]);
    let (code, v) = json(dir.path());
    // 20 of 30 is under the pass mark of 70 %: not passed, but graded (not an error).
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["outcome"], "failed");
    assert_eq!(v["score"].as_f64(), Some(20.0));
    let quiz = &v["parts"][1];
    assert_eq!(quiz["score"].as_f64(), Some(0.0));
    assert!(quiz.get("file").is_none(), "{quiz:#}");
    assert_eq!(
        quiz["message"],
        "not submitted: expected `quizzes/sample.answers.yaml` or `sample.answers.yaml` in the submission folder"
    );
    // Every question is still listed, at 0: a gradebook keeps its columns.
    let questions: Vec<&serde_json::Value> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"].as_str().unwrap().starts_with("sample/"))
        .collect();
    assert_eq!(questions.len(), 7);
    assert!(questions
        .iter()
        .all(|q| q["status"] == "failed" && q["points"] == 0.0));
    assert_consistent(&v);
    let (_, text, _) = check(dir.path(), "plain");
    insta::assert_snapshot!("missing_plain", text);
}

#[test]
fn a_workspace_is_graded_where_it_is_as_its_learner() {
    let tmp = tempfile::tempdir().unwrap();
    let o = amilab()
        .current_dir(tmp.path())
        .args(["init", "course", "--learner", "ci"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let root = tmp.path().join("course");
    std::fs::copy(repo(SOLUTION), root.join("labs/first-golden-image.rhai")).unwrap();
    std::fs::create_dir(root.join("quizzes")).unwrap();
    std::fs::copy(
        repo("tests/fixtures/answers/pass.yaml"),
        root.join("quizzes/sample.answers.yaml"),
    )
    .unwrap();
    // A stray flat copy is not graded, and the report says so.
    std::fs::write(root.join("first-golden-image.rhai"), "// old attempt\n").unwrap();
    let assignment = repo(WEEK3);
    let before = std::fs::read_to_string(root.join(".amilab/progress.json")).unwrap();
    // From a folder inside the workspace, with no folder and no learner given.
    let o = amilab()
        .current_dir(root.join("labs"))
        .args(["check", assignment.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{v:#}");
    assert_eq!(v["learner"], "ci");
    assert_eq!(v["parts"][0]["file"], "labs/first-golden-image.rhai");
    assert_eq!(
        v["parts"][0]["message"],
        "`first-golden-image.rhai` is there too and was not graded"
    );
    assert_eq!(v["parts"][1]["file"], "quizzes/sample.answers.yaml");
    // Nothing is recorded in the workspace's progress.
    let after = std::fs::read_to_string(root.join(".amilab/progress.json")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn every_report_format_gives_the_same_score() {
    let dir = folder(&[
        ("first-golden-image.rhai", WRONG),
        ("sample.answers.yaml", "tests/fixtures/answers/partial.yaml"),
    ]);
    let (_, v) = json(dir.path());
    let score = fmt_points(v["score"].as_f64().unwrap());
    for format in FORMATS {
        let (code, out, err) = check(dir.path(), format);
        assert!(code == 0 || code == 1, "{format}: {err}");
        assert!(out.contains(&score), "{format} lacks {score}:\n{out}");
        insta::assert_snapshot!(format!("format_{format}"), out);
    }
}

#[test]
fn the_same_folder_anywhere_gives_byte_identical_reports() {
    let files = [
        ("labs/first-golden-image.rhai", WRONG),
        ("sample.answers.yaml", "tests/fixtures/answers/partial.yaml"),
    ];
    let (a, b) = (folder(&files), folder(&files));
    for format in ["json", "pretty", "junit", "gradescope"] {
        let (_, first, _) = check(a.path(), format);
        let (_, again, _) = check(a.path(), format);
        let (_, elsewhere, _) = check(b.path(), format);
        assert_eq!(first, again, "{format}");
        assert_eq!(first, elsewhere, "{format}");
    }
}

#[test]
fn quiz_grade_takes_an_assignment_too() {
    let dir = folder(&[
        ("first-golden-image.rhai", SOLUTION),
        ("sample.answers.yaml", "tests/fixtures/answers/pass.yaml"),
    ]);
    let d = dir.path().to_str().unwrap();
    let args = ["--learner", "ci", "--format", "json", "--no-timings"];
    let (code, by_quiz, err) = run(&[&["quiz", "grade", WEEK3, d][..], &args].concat());
    assert_eq!(code, 0, "{err}");
    let (_, by_check, _) = run(&[&["check", WEEK3, d][..], &args].concat());
    assert_eq!(by_quiz, by_check);
}

#[test]
fn a_part_that_cannot_be_graded_is_that_parts_error() {
    let dir = folder(&[
        ("first-golden-image.rhai", SOLUTION),
        ("sample.answers.yaml", "tests/fixtures/answers/pass.yaml"),
    ]);
    // Graded as another learner than the answers were written for.
    let (code, out, _) = run(&[
        "check",
        WEEK3,
        dir.path().to_str().unwrap(),
        "--learner",
        "bob",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(v["outcome"], "error");
    assert!(
        v["parts"][1]["message"]
            .as_str()
            .unwrap()
            .contains("written for learner `ci`"),
        "{v:#}"
    );
    // The lab was graded all the same.
    assert!(v["parts"][0]["score"].as_f64().unwrap() > 0.0, "{v:#}");
    // An answers file that does not parse: its place is named.
    std::fs::write(
        dir.path().join("sample.answers.yaml"),
        "quiz: sample\nanswers: [\n",
    )
    .unwrap();
    let (code, v) = json(dir.path());
    assert_eq!(code, 3);
    let message = v["parts"][1]["message"].as_str().unwrap();
    assert!(message.contains("sample.answers.yaml:"), "{message}");
}

#[test]
fn a_panic_in_grading_a_part_is_contained() {
    let dir = folder(&[("first-golden-image.rhai", SOLUTION)]);
    let o = amilab()
        .env("AMILAB_TEST_PANIC", "assignment")
        .args([
            "check",
            WEEK3,
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outcome"], "error");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("please report this bug"),
        "{v:#}"
    );
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["status"] == "error"));
}

#[test]
fn flags_about_one_script_are_refused() {
    let dir = folder(&[]);
    let d = dir.path().to_str().unwrap();
    for flag in [
        &["--seed", "3"][..],
        &["--trail"],
        &["--state"],
        &["--watch"],
        &["--graph", "-"],
    ] {
        let (code, _, err) = run(&[&["check", WEEK3, d][..], flag].concat());
        assert_eq!(code, 2, "{flag:?}: {err}");
        assert!(err.contains("cannot be used with an assignment"), "{err}");
    }
    // Without an assignment, `quiz grade` still wants its answers file.
    let (code, _, err) = run(&["quiz", "grade", "ami-anatomy"]);
    assert_eq!(code, 2);
    assert!(err.contains("no answers file given"), "{err}");
    let (code, _, err) = run(&["check", WEEK3, "no/such/folder"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the submission folder `no/such/folder` does not exist"),
        "{err}"
    );
}

#[test]
fn a_file_named_assignment_yaml_is_an_assignment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("assignment.yaml"),
        "id: one\ntitle: One lab\npass_mark: 50\nparts:\n  - lab: first-golden-image\n    points: 5\n",
    )
    .unwrap();
    let file = dir.path().join("assignment.yaml");
    let (code, out, err) = run(&[
        "check",
        file.to_str().unwrap(),
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["max_score"].as_f64()),
        (Some("assignment"), Some(5.0))
    );
    assert_eq!(v["learner"], "anonymous");
}

#[test]
fn validate_accepts_the_valid_assignment_and_its_parts() {
    let (code, out, err) = run(&["validate", WEEK3]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "ok     tests/fixtures/assignments/week-3.yaml  assignment: 2 parts, 30 points in all\nok     tests/fixtures/assignments/../quizzes/sample.yaml  quiz\n"
    );
}

#[test]
fn a_lab_named_by_path_is_validated_in_full_and_graded() {
    let (code, out, err) = run(&["validate", "tests/fixtures/assignments/path-lab.yaml"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        "ok     tests/fixtures/assignments/path-lab.yaml  assignment: 2 parts, 10 points in all"
    );
    // The lab's own proof follows (the built-in quiz is validated with the course).
    assert!(
        lines[1].starts_with("ok     tests/fixtures/assignments/../labs/costly-hints/lab.yaml  lab: 2 checks; solution 100%"),
        "{out}"
    );
    let dir = folder(&[(
        "costly-hints.rhai",
        "tests/fixtures/labs/costly-hints/solution.rhai",
    )]);
    let (code, out, err) = run(&[
        "check",
        "tests/fixtures/assignments/path-lab.yaml",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["parts"][0]["score"].as_f64(), Some(5.0));
    assert_eq!(v["parts"][1]["score"].as_f64(), Some(0.0));
    assert_eq!(v["score"].as_f64(), Some(5.0));
}

#[test]
fn validate_finds_assignments_in_a_folder() {
    let (code, out, err) = run(&["validate", "tests/fixtures/assignments"]);
    assert_eq!(code, 0, "{err}");
    let assignments: Vec<&str> = out.lines().filter(|l| l.contains("assignment:")).collect();
    assert_eq!(
        assignments,
        [
            "ok     tests/fixtures/assignments/path-lab.yaml  assignment: 2 parts, 10 points in all",
            "ok     tests/fixtures/assignments/required.yaml  assignment: 2 parts, 30 points in all",
            "ok     tests/fixtures/assignments/week-3.yaml  assignment: 2 parts, 30 points in all"
        ],
        "{out}"
    );
    // The quiz both name is validated once.
    let quiz = "ok     tests/fixtures/assignments/../quizzes/sample.yaml  quiz";
    assert_eq!(out.lines().filter(|l| *l == quiz).count(), 1, "{out}");
}

#[test]
fn invalid_assignments_are_refused_with_their_places() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(repo("tests/fixtures/assignments/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = format!("tests/fixtures/assignments/invalid/{name}.yaml");
        let (code, out, err) = run(&["validate", &rel]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(out.starts_with(&format!("FAILED {rel}")), "{out}");
        insta::assert_snapshot!(format!("invalid_{name}"), err);
        // Grading with it is a usage error with the same diagnostics.
        let (code, _, check_err) = run(&["check", &rel, "."]);
        assert_eq!(code, 2, "{name}");
        assert!(
            check_err.contains(err.lines().next().unwrap()),
            "{check_err}"
        );
    }
}

#[test]
fn the_committed_schema_is_current() {
    let (code, out, _) = run(&["schema", "assignment"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(repo("docs/schemas/assignment.schema.json")).unwrap();
    assert_eq!(
        out, committed,
        "run `amilab schema assignment > docs/schemas/assignment.schema.json`"
    );
}

//! The learner's workspace: `amilab init`, `amilab` alone (the dashboard, or "start here"),
//! `check` recording progress and finding scripts, `amilab hint` revealing and charging hints,
//! and progress files that are corrupt or newer being refused and left alone.

use std::path::{Path, PathBuf};

use crate::cli_common::amilab;

const SOLUTION: &str = "labs/first-golden-image/solution.rhai";

/// (exit code, stdout, stderr) of `amilab args…` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = amilab().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A new workspace `course` for `ada` in a temporary directory: (the tempdir, the root).
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_in(dir.path(), &["init", "course", "--learner", "ada"]);
    assert_eq!(code, 0, "{out}{err}");
    let root = dir.path().join("course");
    (dir, root)
}

fn progress(root: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(root.join(".amilab/progress.json")).unwrap())
        .unwrap()
}

#[test]
fn amilab_alone_outside_a_workspace_says_where_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_in(dir.path(), &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    insta::assert_snapshot!(out);
}

#[test]
fn init_writes_a_workspace_and_the_dashboard_starts_at_the_first_lab() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run_in(dir.path(), &["init", "course", "--learner", "ada"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("init", out);
    let root = dir.path().join("course");
    for lab in ["first-golden-image", "clone-across-regions"] {
        let starter = std::fs::read_to_string(repo(&format!("labs/{lab}/starter.rhai"))).unwrap();
        let written = std::fs::read_to_string(root.join(format!("labs/{lab}.rhai"))).unwrap();
        assert_eq!(written, starter);
    }
    insta::assert_snapshot!(
        "progress_new",
        std::fs::read_to_string(root.join(".amilab/progress.json")).unwrap()
    );
    let (code, dashboard, _) = run_in(&root, &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("dashboard_new", dashboard);
    // From below the root, the same workspace and paths relative to where you are.
    let (_, below, _) = run_in(&root.join("labs"), &[]);
    assert!(
        below.contains("edit:            first-golden-image.rhai"),
        "{below}"
    );
    // `lab start` writes into the workspace's labs/, where the starter already is.
    let (code, _, err) = run_in(&root, &["lab", "start", "first-golden-image"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: `labs/first-golden-image.rhai` already exists"),
        "{err}"
    );
    // A second init refuses and changes nothing.
    let (code, _, err) = run_in(dir.path(), &["init", "course"]);
    assert_eq!(code, 2);
    assert!(err.contains("already an amilab workspace"), "{err}");
}

#[test]
fn check_finds_the_workspace_script_grades_as_its_learner_and_records_the_attempt() {
    let (_dir, root) = workspace();
    // The starter, found in labs/ from the root: an attempt that does not pass.
    let (code, out, _) = run_in(&root, &["check", "first-golden-image"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ada"), "the workspace's learner: {out}");
    assert!(
        out.ends_with("progress: attempt 1, best 2/13 (15.38%); `amilab` shows the whole course\n"),
        "{out}"
    );
    // The solution, named after its lab, passes; the best attempt is kept.
    std::fs::copy(repo(SOLUTION), root.join("labs/first-golden-image.rhai")).unwrap();
    let (code, out, _) = run_in(&root, &["check", "labs/first-golden-image.rhai"]);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(
        "progress_after_checks",
        serde_json::to_string_pretty(&progress(&root)).unwrap()
    );
    let (_, dashboard, _) = run_in(&root, &[]);
    insta::assert_snapshot!("dashboard_after_checks", dashboard);
    // `lab show` and `run --lab` speak of the same variant as `check`: the workspace's learner.
    let (_, show, _) = run_in(&root, &["lab", "show", "clone-across-regions"]);
    let (_, show_ada, _) = run_in(
        &root,
        &["lab", "show", "clone-across-regions", "--learner", "ada"],
    );
    assert_eq!(show, show_ada);
    let (_, run, _) = run_in(
        &root,
        &[
            "run",
            "--lab",
            "first-golden-image",
            "labs/first-golden-image.rhai",
        ],
    );
    let (_, run_ada, _) = run_in(
        &root,
        &[
            "run",
            "--lab",
            "first-golden-image",
            "labs/first-golden-image.rhai",
            "--learner",
            "ada",
        ],
    );
    assert_eq!(run, run_ada);
    let (_, run_anon, _) = run_in(
        &root,
        &[
            "run",
            "--lab",
            "first-golden-image",
            "labs/first-golden-image.rhai",
            "--learner",
            "anonymous",
        ],
    );
    assert_ne!(run, run_anon, "ada's variant differs from anonymous's");
    // Another seed's variant is not the learner's: graded, not recorded.
    let (code, _, err) = run_in(&root, &["check", "first-golden-image", "--seed", "7"]);
    assert_eq!(code, 0);
    assert!(err.contains("not recorded: graded with --seed 7"), "{err}");
    assert_eq!(progress(&root)["labs"]["first-golden-image"]["attempts"], 2);
    // Nor is another learner's variant, even from the environment.
    let o = amilab()
        .current_dir(&root)
        .env("AMILAB_LEARNER", "carol")
        .args(["check", "first-golden-image"])
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("graded as learner `carol`, and this workspace is `ada`'s"),
        "{err}"
    );
    assert_eq!(progress(&root)["labs"]["first-golden-image"]["attempts"], 2);
    // Machine formats stay as they are: no progress line.
    let (_, json, _) = run_in(&root, &["check", "first-golden-image", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&json).expect("one JSON document");
}

#[test]
fn free_hints_are_revealed_one_at_a_time_and_recorded() {
    let (_dir, root) = workspace();
    let (code, first, _) = run_in(&root, &["hint", "clone-across-regions"]);
    assert_eq!(code, 0);
    // `check` shows the first hint for free, so the first one revealed is the second.
    insta::assert_snapshot!("hint_first", first);
    assert_eq!(
        progress(&root)["labs"]["clone-across-regions"]["hints"]["copies"],
        2
    );
    // Every hint of that check seen: the next failing check's.
    let (_, second, _) = run_in(&root, &["hint", "clone-across-regions"]);
    assert!(
        !second.contains("Check `copies`") && second.contains("Hint 2/"),
        "{second}"
    );
    // Another learner's hints are not this workspace's.
    let (_, bobs, _) = run_in(
        &root,
        &[
            "hint",
            "clone-across-regions",
            "regions",
            "--learner",
            "bob",
        ],
    );
    assert!(
        bobs.contains("Not recorded: graded as learner `bob`"),
        "{bobs}"
    );
    assert!(progress(&root)["labs"]["clone-across-regions"]["hints"]
        .get("regions")
        .is_none());
    let (_, third, _) = run_in(&root, &["hint", "clone-across-regions", "copies"]);
    assert!(third.contains("That was every hint of `copies`"), "{third}");
    // The report shows the hints revealed.
    let (_, report, _) = run_in(&root, &["check", "clone-across-regions"]);
    assert!(report.contains("Hint 2/2"), "{report}");
    let (code, _, err) = run_in(&root, &["hint", "clone-across-regions", "copys"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `copies`?"), "{err}");
    // Hidden checks are never named, not even in the list of checks.
    let (code, _, err) = run_in(&root, &["hint", "first-golden-image", "zzzzzz"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("image-available") && !err.contains("private-image"),
        "{err}"
    );
    let (code, _, err) = run_in(&root, &["hint", "first-golden-image", "private-image"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no check `private-image` with hints"),
        "{err}"
    );
}

#[test]
fn hints_that_cost_points_are_confirmed_charged_and_shown_in_results() {
    let (_dir, root) = workspace();
    let lab = repo("tests/fixtures/labs/costly-hints");
    let lab = lab.to_str().unwrap();
    let starter = repo("tests/fixtures/labs/costly-hints/starter.rhai");
    let solution = repo("tests/fixtures/labs/costly-hints/solution.rhai");
    // The workspace's script of the lab (its labs/ID.rhai) starts as the starter.
    let mine = root.join("labs/costly-hints.rhai");
    std::fs::copy(&starter, &mine).unwrap();
    // Not on a terminal, a hint that costs points needs --yes; nothing is charged without it.
    let script: [&str; 0] = [];
    let (code, _, err) = run_in(&root, &[&["hint", lab][..], &script].concat());
    assert_eq!(code, 2);
    assert!(
        err.contains("costs 0.5 of its 2 points") && err.contains("--yes"),
        "{err}"
    );
    assert!(progress(&root)["labs"].get("costly-hints").is_none());
    let (code, out, _) = run_in(&root, &[&["hint", lab, "--yes"][..], &script].concat());
    assert_eq!(code, 0);
    assert!(
        out.contains("Hint 1/3: Scripts print with `print`."),
        "{out}"
    );
    assert!(
        out.contains("0.5 points off this check for 1 hint"),
        "{out}"
    );
    // The report shows only what was revealed, and says what the next one costs.
    let (_, report, _) = run_in(&root, &["check", lab, "--format", "plain"]);
    assert!(
        report.contains("Hint 1/3") && !report.contains("Hint 2/3"),
        "{report}"
    );
    assert!(
        report.contains("each hint costs 0.5 of this check's points"),
        "{report}"
    );
    // A script from outside the workspace is not its learner's: no hint charged, nothing
    // recorded (a grader's checkout below someone's workspace grades as anywhere else).
    let (code, json, _) = run_in(
        &root,
        &["check", lab, solution.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(code, 0);
    let result: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(result["score"], 3.0);
    assert_eq!(progress(&root)["labs"]["costly-hints"]["attempts"], 1);
    // The solution passes the check, minus the hint: the verdict stands, the points drop.
    std::fs::copy(&solution, &mine).unwrap();
    let (code, json, _) = run_in(&root, &["check", lab, "--format", "json"]);
    assert_eq!(code, 0);
    let result: serde_json::Value = serde_json::from_str(&json).unwrap();
    let greets = &result["items"][0];
    assert_eq!(greets["status"], "passed");
    assert_eq!(greets["points"], 1.5);
    assert_eq!(greets["hints_used"], 1);
    assert_eq!(greets["hint_penalty"], 0.5);
    assert_eq!(result["score"], 2.5);
    // Every format says why a passed check lost points.
    for format in ["junit", "tap", "github", "gradescope", "plain"] {
        let (_, out, _) = run_in(&root, &["check", lab, "--format", format]);
        assert!(
            out.contains("1 hint taken: 0.5 points off"),
            "{format}: {out}"
        );
    }
    // Outside a workspace such a hint cannot be recorded, so it is refused.
    let outside = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(
        outside.path(),
        &["hint", lab, "--yes", "--script", starter.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("is in no workspace") && err.contains("amilab init"),
        "{err}"
    );
}

#[test]
fn corrupt_or_newer_progress_is_refused_and_never_overwritten() {
    let (_dir, root) = workspace();
    let file = root.join(".amilab/progress.json");
    for (text, says) in [
        (
            "{\n  \"version\": 1,\n  \"labs\": []\n}\n",
            "progress.json:3:",
        ),
        ("{\"version\": 2}\n", "written by a newer amilab"),
    ] {
        std::fs::write(&file, text).unwrap();
        for args in [
            &["check", "first-golden-image"][..],
            &[],
            &["hint", "clone-across-regions"],
        ] {
            let (code, _, err) = run_in(&root, args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(
                err.contains(says) && err.contains("was not changed"),
                "{err}"
            );
            assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        }
    }
}

/// In a real terminal: the dashboard, then a hint that costs points asked about, declined (nothing
/// charged), asked again and accepted.
#[test]
fn a_costly_hint_is_confirmed_in_a_terminal() {
    let (_dir, root) = workspace();
    let lab = repo("tests/fixtures/labs/costly-hints");
    let starter = repo("tests/fixtures/labs/costly-hints/starter.rhai");
    std::fs::copy(&starter, root.join("labs/costly-hints.rhai")).unwrap();
    let bin = env!("CARGO_BIN_EXE_amilab");
    let hint = format!("{bin} hint {}", lab.display());
    let command = format!("NO_COLOR=1 {bin}; {hint}; echo EXIT=$?; {hint}; echo EXIT=$?; sleep 60");
    let Some(s) = crate::pty::Session::start("hint", &root, &command, 120, 50) else {
        return;
    };
    s.wait_for("Next: first-golden-image");
    s.wait_for("Hint 1/3 of `greets` costs 0.5 of its 2 points. Reveal it?");
    s.type_text("n");
    s.keys(&["Enter"]);
    s.wait_for("Not revealed; nothing was charged.");
    s.wait_for("EXIT=0");
    assert!(progress(&root)["labs"].get("costly-hints").is_none());
    s.type_text("y");
    s.keys(&["Enter"]);
    let screen = s.wait_for("0.5 points off this check for 1 hint");
    assert!(
        screen.contains("Hint 1/3: Scripts print with `print`."),
        "{screen}"
    );
    assert_eq!(
        progress(&root)["labs"]["costly-hints"]["hints"]["greets"],
        1
    );
}

/// `amilab quiz take` in a workspace grades as the workspace's learner and records the paper;
/// the dashboard then shows it.
#[test]
fn a_quiz_taken_in_a_workspace_is_recorded() {
    let (_dir, root) = workspace();
    let quiz = repo("tests/fixtures/quizzes/one.yaml");
    let bin = env!("CARGO_BIN_EXE_amilab");
    let command = format!(
        "NO_COLOR=1 {bin} quiz take {}; echo EXIT=$?; sleep 60",
        quiz.display()
    );
    let Some(s) = crate::pty::Session::start("quiz-ws", &root, &command, 120, 50) else {
        return;
    };
    s.wait_for("Learner ada");
    s.wait_for("True or false?");
    s.keys(&["Down", "Enter"]);
    s.wait_for("EXIT=0");
    let one = &progress(&root)["quizzes"]["one"];
    assert_eq!(one["attempts"], 1);
    assert_eq!(one["passed"], true);
}

/// `quiz template` in a workspace writes the paper of the workspace's learner, as `quiz take`
/// draws it.
#[test]
fn a_quiz_template_in_a_workspace_is_the_learners_paper() {
    let (_dir, root) = workspace();
    let (code, out, err) = run_in(&root, &["quiz", "template", "ami-anatomy"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("learner: ada"), "{out}");
}

/// On a terminal, `check`'s messages and hints wrap at word boundaries to its width (a word is
/// never cut, and no line runs past the edge for the terminal to break).
#[test]
fn check_reports_wrap_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_amilab");
    let command = format!(
        "NO_COLOR=1 {bin} check first-golden-image {} --no-timings; echo EXIT=$?; sleep 60",
        repo("labs/first-golden-image/starter.rhai").display()
    );
    let Some(s) = crate::pty::Session::start("wrap", dir.path(), &command, 60, 80) else {
        return;
    };
    // `-J` joins what the terminal wrapped: a line over 60 columns is one amilab did not wrap.
    let screen = s.wait_for("EXIT=");
    let long: Vec<&str> = screen.lines().filter(|l| l.chars().count() > 60).collect();
    assert!(long.is_empty(), "{long:#?}\n{screen}");
    assert!(screen.contains("written"), "{screen}");
}

/// A script is graded by its own workspace, the nearest above where it is — not the current
/// directory's: a learner's workspace nested in a grader's wins, and a link in `labs/` counts
/// where it is, not where it points.
#[test]
fn a_script_is_graded_by_its_own_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let lab = repo("tests/fixtures/labs/costly-hints");
    let lab = lab.to_str().unwrap();
    let solution = repo("tests/fixtures/labs/costly-hints/solution.rhai");
    // The grader's workspace, where hints of the lab were revealed.
    let (code, _, _) = run_in(dir.path(), &["init", "grader", "--learner", "teacher"]);
    assert_eq!(code, 0);
    let grader = dir.path().join("grader");
    std::fs::copy(&solution, grader.join("labs/costly-hints.rhai")).unwrap();
    let (code, _, _) = run_in(&grader, &["hint", lab, "greets", "--yes"]);
    assert_eq!(code, 0);
    // A student's own workspace inside it, graded from the grader's folder.
    let (code, _, _) = run_in(&grader, &["init", "class/ana", "--learner", "ana"]);
    assert_eq!(code, 0);
    let ana = grader.join("class/ana");
    std::fs::copy(&solution, ana.join("labs/costly-hints.rhai")).unwrap();
    let (code, json, _) = run_in(
        &grader,
        &[
            "check",
            lab,
            "class/ana/labs/costly-hints.rhai",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let result: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(result["score"], 3.0, "the teacher's hints are not ana's");
    assert_eq!(result["learner"], "ana");
    assert_eq!(progress(&ana)["labs"]["costly-hints"]["attempts"], 1);
    assert!(progress(&grader)["labs"]["costly-hints"]
        .get("best")
        .is_none());
    // A link in labs/ is the workspace's script, wherever its text lives.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("fgi.rhai");
    std::fs::copy(repo(SOLUTION), &target).unwrap();
    let link = ana.join("labs/first-golden-image.rhai");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, out, _) = run_in(&ana, &["check", "first-golden-image"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(progress(&ana)["labs"]["first-golden-image"]["attempts"], 1);
}

//! `amilab ci init`: the GitHub Classroom, GitLab and Gradescope kits, read as their platforms
//! read them (YAML structure) and run for real with bash against this build of amilab for a
//! passing and a failing submission; and `--lab-sha256` / `--quiz-sha256`, which they pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::cli_common::{amilab, run};

const LAB: &str = "clone-across-regions";
const PASSING: &str = "labs/clone-across-regions/solution.rhai";
const FAILING: &str = "labs/clone-across-regions/starter.rhai";
const SOURCE: &str = "https://example.com/amilab.git";

/// The crate's root: the lab scripts the kits are run against live there.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `amilab ci init PLATFORM --lab LAB --dir DIR --amilab-source SOURCE extra…`.
fn init(platform: &str, dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let dir = dir.to_str().unwrap();
    let mut args = vec!["ci", "init", platform, "--dir", dir];
    if !extra.iter().any(|a| *a == "--lab" || *a == "--quiz") {
        args.extend(["--lab", LAB]);
    }
    if !extra.contains(&"--placeholder") {
        args.extend(["--amilab-source", SOURCE]);
    }
    args.extend(extra.iter().filter(|a| **a != "--placeholder"));
    run(&args)
}

/// Copies the lab `clone-across-regions` (its lab.yaml and every script it names) to `to`.
fn copy_lab(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(&root().join("labs/clone-across-regions"), to);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `PATH` with this build's `amilab` first: the kits call `amilab` by name.
fn path_with_amilab() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_amilab"));
    format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `script` with bash in `cwd` with `amilab` on the PATH and `env`: (exit code, stderr).
fn bash(script: &str, cwd: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(cwd)
        .env("PATH", path_with_amilab())
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("AMILAB_LEARNER")
        .envs(env.iter().copied());
    let out = cmd.output().expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lab_sha256() -> String {
    let (_, json, _) = run(&[
        "check",
        LAB,
        PASSING,
        "--learner",
        "ada",
        "--format",
        "json",
        "--no-timings",
    ]);
    let v: Json = serde_json::from_str(&json).unwrap();
    v["sources"][0]["sha256"].as_str().unwrap().to_string()
}

#[test]
fn every_kit_is_written_as_snapshotted() {
    for (platform, files) in [
        ("github", &[".github/workflows/classroom.yml"][..]),
        ("gitlab", &[".gitlab-ci.yml"][..]),
        ("gradescope", &["setup.sh", "run_autograder"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (code, stdout, stderr) = init(platform, dir.path(), &[]);
        assert_eq!(code, 0, "{platform}: {stderr}");
        let shown = stdout.replace(&dir.path().display().to_string(), "DIR");
        insta::assert_snapshot!(format!("ci_init_{platform}_stdout"), shown);
        for file in files {
            let text = read(&dir.path().join(file));
            // Every file that grades pins the lab (setup.sh only installs).
            if *file != "setup.sh" {
                assert!(text.contains(&lab_sha256()), "{file} pins the lab");
            }
            let name = file.trim_start_matches('.').replace(['/', '.'], "_");
            insta::assert_snapshot!(format!("ci_init_{platform}_{name}"), text);
        }
    }
}

#[test]
fn without_a_source_the_kit_says_what_to_edit_and_its_install_refuses_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = init("gitlab", dir.path(), &["--placeholder"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("set AMILAB_SOURCE in .gitlab-ci.yml to the git URL of amilab"),
        "{stdout}"
    );
    let ci: Yaml = serde_yaml::from_str(&read(&dir.path().join(".gitlab-ci.yml"))).unwrap();
    let install = ci["amilab"]["before_script"][0].as_str().unwrap();
    let placeholder = ci["amilab"]["variables"]["AMILAB_SOURCE"].as_str().unwrap();
    // The install step, run as GitLab would with the placeholder left in, stops and says why
    // before it calls cargo.
    let (code, stderr) = bash(
        install,
        dir.path(),
        &[("AMILAB_SOURCE", placeholder), ("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("AMILAB_SOURCE is a placeholder: set it in .gitlab-ci.yml"),
        "{stderr}"
    );
}

#[test]
fn existing_files_are_named_and_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("setup.sh"), "mine").unwrap();
    std::fs::write(dir.path().join("run_autograder"), "mine too").unwrap();
    let (code, stdout, stderr) = init("gradescope", dir.path(), &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("`setup.sh`, `run_autograder` already exist in")
            && stderr.contains("pass --force to overwrite them"),
        "{stderr}"
    );
    assert_eq!(read(&dir.path().join("setup.sh")), "mine");
    let (code, _, stderr) = init("gradescope", dir.path(), &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&dir.path().join("setup.sh")).starts_with("#!/usr/bin/env bash"));
}

#[test]
fn a_lab_or_quiz_is_required_and_a_path_must_be_inside_the_kit() {
    let (code, _, stderr) = run(&["ci", "init", "github"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--lab") && stderr.contains("--quiz"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let outside = root().join("labs/clone-across-regions");
    let (code, _, stderr) = init("gitlab", dir.path(), &["--lab", outside.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is outside") && stderr.contains("copy the lab into that folder"),
        "{stderr}"
    );
    // Inside: referred to by its path relative to the kit's folder.
    let lab_dir = dir.path().join("course/clone-across-regions");
    copy_lab(&lab_dir);
    let (code, _, stderr) = init("gitlab", dir.path(), &["--lab", lab_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let ci = read(&dir.path().join(".gitlab-ci.yml"));
    assert!(
        ci.contains("amilab check course/clone-across-regions clone-across-regions.rhai"),
        "{ci}"
    );
}

#[test]
fn github_workflow_reports_even_when_grading_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = init("github", dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let wf: Yaml =
        serde_yaml::from_str(&read(&dir.path().join(".github/workflows/classroom.yml"))).unwrap();
    // GitHub Classroom's reporter uploads points only from this workflow and job name.
    assert_eq!(wf["name"], "Autograding Tests");
    let job = &wf["jobs"]["run-autograding-tests"];
    let steps = job["steps"].as_sequence().unwrap();
    let grade = steps.iter().find(|s| s["id"] == "amilab").unwrap();
    let reporter = steps.last().unwrap();
    assert_eq!(
        reporter["uses"],
        "classroom-resources/autograding-grading-reporter@v1"
    );
    assert_eq!(reporter["if"], "always()");
    assert_eq!(reporter["with"]["runners"], "amilab");
    assert_eq!(
        reporter["env"]["AMILAB_RESULTS"],
        "${{ steps.amilab.outputs.result }}"
    );
    assert_eq!(grade["env"]["LEARNER"], "${{ github.actor }}");
    // The grade step, run as Actions would (GITHUB_OUTPUT set), writes the runner result the
    // reporter decodes: a pass and a failure (exit 1, after which only `always()` steps run).
    let run_line = grade["run"].as_str().unwrap();
    for (script, code, status) in [(PASSING, 0, "pass"), (FAILING, 1, "fail")] {
        let work = tempfile::tempdir().unwrap();
        std::fs::copy(
            root().join(script),
            work.path().join("clone-across-regions.rhai"),
        )
        .unwrap();
        let output = work.path().join("github_output");
        let (got, stderr) = bash(
            run_line,
            work.path(),
            &[
                ("LEARNER", "ada"),
                ("GITHUB_OUTPUT", output.to_str().unwrap()),
            ],
        );
        assert_eq!(got, code, "{stderr}");
        let line = read(&output);
        let encoded = line.trim_end().strip_prefix("result=").unwrap();
        let json = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        let runner: Json = serde_json::from_slice(&json).unwrap();
        assert_eq!(runner["status"], status);
        assert!(runner["max_score"].as_f64().unwrap() > 0.0);
        assert!(!runner["tests"].as_array().unwrap().is_empty());
    }
}

#[test]
fn gitlab_job_runs_and_always_publishes_its_junit_report() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = init("gitlab", dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let ci: Yaml = serde_yaml::from_str(&read(&dir.path().join(".gitlab-ci.yml"))).unwrap();
    let job = &ci["amilab"];
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(job["artifacts"]["reports"]["junit"], "amilab-report.xml");
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for (submission, code, passed) in [(PASSING, 0, "true"), (FAILING, 1, "false")] {
        let work = tempfile::tempdir().unwrap();
        std::fs::copy(
            root().join(submission),
            work.path().join("clone-across-regions.rhai"),
        )
        .unwrap();
        // GitLab runs the script's commands one by one and stops at the first that fails.
        let mut last = 0;
        for command in &script {
            let (got, stderr) = bash(command, work.path(), &[("GITLAB_USER_LOGIN", "ada")]);
            last = got;
            assert!(got == 0 || got == 1, "{command}: exit {got}: {stderr}");
            if got != 0 {
                break;
            }
        }
        assert_eq!(last, code, "{submission}");
        let xml = read(&work.path().join("amilab-report.xml"));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        let prop = |name: &str| {
            suite
                .descendants()
                .find(|n| n.has_tag_name("property") && n.attribute("name") == Some(name))
                .and_then(|n| n.attribute("value"))
                .map(str::to_string)
        };
        assert_eq!(prop("passed").as_deref(), Some(passed));
        assert_eq!(prop("learner").as_deref(), Some("ada"));
        let tests: usize = suite.attribute("tests").unwrap().parse().unwrap();
        assert_eq!(
            tests,
            suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .count()
        );
    }
}

/// Runs the Gradescope kit's `run_autograder` with its paths pointed into `work`: the
/// results.json it wrote.
fn run_autograder(kit: &Path, work: &Path, submission: Option<&str>) -> Json {
    let sub = work.join("submission");
    let results = work.join("results");
    std::fs::create_dir_all(&sub).unwrap();
    if let Some(script) = submission {
        std::fs::copy(root().join(script), sub.join("clone-across-regions.rhai")).unwrap();
    }
    let metadata = work.join("submission_metadata.json");
    std::fs::write(
        &metadata,
        r#"{"users": [{"email": "ada@example.com", "name": "Ada"}]}"#,
    )
    .unwrap();
    let (code, stderr) = bash(
        &format!("bash {}", kit.join("run_autograder").display()),
        work,
        &[
            ("AMILAB_SOURCE_DIR", kit.to_str().unwrap()),
            ("AMILAB_SUBMISSION_DIR", sub.to_str().unwrap()),
            ("AMILAB_RESULTS_DIR", results.to_str().unwrap()),
            ("AMILAB_METADATA", metadata.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 0, "run_autograder: {stderr}");
    serde_json::from_str(&read(&results.join("results.json"))).unwrap()
}

#[test]
fn gradescope_run_autograder_writes_results_json_for_every_submission() {
    let kit = tempfile::tempdir().unwrap();
    let (code, _, stderr) = init("gradescope", kit.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(kit.path().join("run_autograder"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "run_autograder is executable");
    }
    let work = tempfile::tempdir().unwrap();
    let pass = run_autograder(kit.path(), work.path(), Some(PASSING));
    assert_eq!(pass["score"], pass["max_score"]);
    assert!(pass["output"].as_str().unwrap().contains(": **passed**"));
    let tests = pass["tests"].as_array().unwrap();
    assert!(!tests.is_empty());
    assert!(tests.iter().all(|t| t["status"] == "passed"));

    let work = tempfile::tempdir().unwrap();
    let fail = run_autograder(kit.path(), work.path(), Some(FAILING));
    assert!(fail["score"].as_f64().unwrap() < fail["max_score"].as_f64().unwrap());
    assert!(fail["output"].as_str().unwrap().contains("not passed"));
    assert!(fail["tests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["status"] == "failed"));

    // The learner is the submitter's email: the variant is theirs, as `--learner` gives it.
    let (_, mine, _) = run(&[
        "check",
        LAB,
        FAILING,
        "--learner",
        "ada@example.com",
        "--format",
        "gradescope",
        "--no-timings",
    ]);
    let mut mine: Json = serde_json::from_str(&mine).unwrap();
    let mut got = fail.clone();
    for v in [&mut mine, &mut got] {
        let tests = v["tests"].as_array_mut().unwrap();
        tests.iter_mut().for_each(|t| {
            t.as_object_mut().unwrap().remove("execution_time");
        });
        v.as_object_mut().unwrap().remove("execution_time");
    }
    assert_eq!(got["tests"], mine["tests"]);

    // Nothing uploaded: no points, and why.
    let work = tempfile::tempdir().unwrap();
    let none = run_autograder(kit.path(), work.path(), None);
    assert_eq!(none["score"], 0);
    let output = none["output"].as_str().unwrap();
    assert!(
        output.starts_with("Not graded: make sure you uploaded `clone-across-regions.rhai`.")
            && output.contains("cannot read script `clone-across-regions.rhai`: no such file"),
        "{output}"
    );
}

#[test]
fn a_quiz_kit_grades_answers_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let quiz_dir = dir.path().join("quizzes");
    std::fs::create_dir_all(&quiz_dir).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/quizzes/sample.yaml"),
        quiz_dir.join("sample.yaml"),
    )
    .unwrap();
    let quiz = quiz_dir.join("sample.yaml");
    let (code, stdout, stderr) = init("gitlab", dir.path(), &["--quiz", quiz.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("amilab quiz template quizzes/sample.yaml --learner ID"));
    let ci: Yaml = serde_yaml::from_str(&read(&dir.path().join(".gitlab-ci.yml"))).unwrap();
    let command = ci["amilab"]["script"][0].as_str().unwrap();
    assert!(command.starts_with("amilab quiz grade quizzes/sample.yaml answers.yaml"));
    std::fs::copy(
        root().join("tests/fixtures/answers/fail.yaml"),
        dir.path().join("answers.yaml"),
    )
    .unwrap();
    let (code, stderr) = bash(command, dir.path(), &[("GITLAB_USER_LOGIN", "ci")]);
    assert_eq!(code, 1, "{stderr}");
    let xml = read(&dir.path().join("amilab-report.xml"));
    assert!(xml.contains("<property name=\"passed\" value=\"false\"/>"));
}

#[test]
fn a_changed_lab_is_refused_and_the_pinned_one_graded() {
    let hash = lab_sha256();
    let (code, _, stderr) = run(&[
        "check",
        LAB,
        PASSING,
        "--learner",
        "ada",
        "--lab-sha256",
        &hash,
    ]);
    assert_eq!(code, 0, "{stderr}");
    // A lab from a path whose bytes differ by one comment line.
    let dir = tempfile::tempdir().unwrap();
    copy_lab(&dir.path().join("clone-across-regions"));
    let lab = dir.path().join("clone-across-regions/lab.yaml");
    let mut text = read(&lab);
    text.push_str("# edited\n");
    std::fs::write(&lab, text).unwrap();
    let out = amilab()
        .args([
            "check",
            lab.to_str().unwrap(),
            PASSING,
            "--lab-sha256",
            &hash,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("changed from the pinned version, so nothing was graded")
            && stderr.contains(&format!("--lab-sha256 pins {hash}")),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["check", LAB, PASSING, "--lab-sha256", "1234"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a sha256"), "{stderr}");
}

#[test]
fn a_changed_quiz_is_refused_and_its_hash_is_the_first_source() {
    let quiz = "tests/fixtures/quizzes/sample.yaml";
    let answers = "tests/fixtures/answers/pass.yaml";
    let (_, json, _) = run(&["quiz", "grade", quiz, answers, "--format", "json"]);
    let v: Json = serde_json::from_str(&json).unwrap();
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["path"], quiz);
    assert_eq!(sources[1]["path"], answers);
    let hash = sources[0]["sha256"].as_str().unwrap();
    let (code, _, stderr) = run(&["quiz", "grade", quiz, answers, "--quiz-sha256", hash]);
    assert_eq!(code, 0, "{stderr}");
    let other = "0".repeat(64);
    let (code, stdout, stderr) = run(&["quiz", "grade", quiz, answers, "--quiz-sha256", &other]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains(&format!(
            "the quiz file `{quiz}` changed from the pinned version"
        )),
        "{stderr}"
    );
}

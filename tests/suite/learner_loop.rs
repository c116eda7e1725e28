//! The learner loop of the README: `lab start`, `run --lab`, `check` with the trail and state,
//! help under errors, and the commands a confused learner types.

use std::path::Path;

use crate::cli_common;

use cli_common::amilab;

/// (stdout, stderr, exit code)
fn run(args: &[&str]) -> (String, String, i32) {
    let (code, out, err) = cli_common::run(args);
    (out, err, code)
}

const STARTER: &str = "labs/first-golden-image/starter.rhai";

#[test]
fn run_in_a_lab_gives_the_script_its_variant() {
    let (stdout, stderr, code) = run(&[
        "run",
        "--lab",
        "first-golden-image",
        STARTER,
        "--learner",
        "ada",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("web server: i-"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn run_in_a_lab_reads_the_learner_from_the_environment() {
    let by_flag = run(&[
        "run",
        "--lab",
        "first-golden-image",
        STARTER,
        "--learner",
        "ada",
    ]);
    let out = amilab()
        .env("AMILAB_LEARNER", "ada")
        .args(["run", "--lab", "first-golden-image", STARTER])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), by_flag.0);
}

#[test]
fn run_in_a_lab_given_by_path_with_trail_and_state() {
    let (stdout, stderr, code) = run(&[
        "run",
        "--lab",
        "labs/first-golden-image/lab.yaml",
        "labs/first-golden-image/solution.rhai",
        "--learner",
        "ada",
        "--trail",
        "--state",
        "--format",
        "plain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn run_in_a_lab_as_json_names_the_lab_and_learner() {
    let (stdout, _, code) = run(&[
        "run",
        "--lab",
        "first-golden-image",
        STARTER,
        "--learner",
        "ada",
        "--format",
        "json",
        "--state",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["lab"], "first-golden-image");
    assert_eq!(doc["learner"], "ada");
    assert_eq!(doc["ok"], true);
    assert!(doc["state"]["us-east-1"]["instances"].is_array());
}

#[test]
fn run_in_an_unknown_lab_is_a_usage_error() {
    let (_, stderr, code) = run(&["run", "--lab", "first-golden-imag", STARTER]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `first-golden-image`"),
        "{stderr}"
    );
}

#[test]
fn lab_script_run_outside_its_lab_says_how_to_run_it() {
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("first-golden-image.rhai");
    std::fs::copy(STARTER, &named).unwrap();
    let (_, stderr, code) = run(&["run", named.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "= help: this looks like a lab script: run it in its lab with `amilab run --lab first-golden-image {}`",
            named.display()
        )),
        "{stderr}"
    );

    let other = dir.path().join("mine.rhai");
    std::fs::write(
        &other,
        "let ec2 = client(\"ec2\", \"us-east-1\");\nprint(params.app);\n",
    )
    .unwrap();
    let (_, stderr, code) = run(&["run", other.to_str().unwrap()]);
    assert_eq!(code, 1);
    let stderr = stderr.replace(&other.display().to_string(), "mine.rhai");
    insta::assert_snapshot!(stderr);
}

fn check(args: &[&str]) -> (String, String, i32) {
    let mut all = vec!["check", "first-golden-image"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--learner", "ada", "--no-timings"]);
    run(&all)
}

#[test]
fn check_shows_the_trail_and_state_the_grader_saw() {
    let (stdout, stderr, code) = check(&[
        "labs/first-golden-image/solution.rhai",
        "--trail",
        "--state",
        "--format",
        "plain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report = stdout.split("\nAPI trail").next().unwrap();
    let (plain, _, _) = check(&["labs/first-golden-image/solution.rhai", "--format", "plain"]);
    assert_eq!(report, plain, "the report itself is unchanged");
    insta::assert_snapshot!(stdout);
}

#[test]
fn check_trail_in_pretty_is_run_s_rendering() {
    let (stdout, _, code) = check(&["labs/first-golden-image/starter.rhai", "--trail"]);
    assert_eq!(code, 1);
    let (ran, _, _) = run(&[
        "run",
        "--lab",
        "first-golden-image",
        "labs/first-golden-image/starter.rhai",
        "--learner",
        "ada",
        "--trail",
    ]);
    let trail = &ran[ran.find("API trail").unwrap()..ran.find("✓ finished").unwrap()];
    assert!(stdout.ends_with(trail), "{stdout}\n---\n{trail}");
}

#[test]
fn check_trail_or_state_with_a_machine_format_is_a_usage_error() {
    for format in ["json", "junit", "tap", "gradescope", "github"] {
        for flag in ["--trail", "--state"] {
            let (stdout, stderr, code) = check(&[
                "labs/first-golden-image/solution.rhai",
                flag,
                "--format",
                format,
            ]);
            assert_eq!(code, 2, "{flag} --format {format}");
            assert!(stdout.is_empty(), "no report: {stdout}");
            assert!(
                stderr.contains(&format!("`{flag}` cannot be used with `--format {format}`")),
                "{stderr}"
            );
            assert!(stderr.contains("help:"), "{stderr}");
        }
    }
}

const DUPLICATE: &str = "tests/fixtures/loop/duplicate-name.rhai";

#[test]
fn check_shows_the_help_line_run_shows() {
    let (_, run_err, code) = run(&[
        "run",
        "--lab",
        "first-golden-image",
        DUPLICATE,
        "--learner",
        "ada",
    ]);
    assert_eq!(code, 1);
    let help = "image names are unique per account and region";
    assert!(run_err.contains(&format!("= help: {help}")), "{run_err}");
    let (pretty, _, _) = check(&[DUPLICATE]);
    let (plain, _, _) = check(&[DUPLICATE, "--format", "plain"]);
    insta::assert_snapshot!("check_help_pretty", pretty);
    insta::assert_snapshot!("check_help_plain", plain);
    let (json, _, _) = check(&[DUPLICATE, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(doc["submission"]["error"]["help"]
        .as_str()
        .unwrap()
        .starts_with(help));
    for format in ["gradescope", "github"] {
        let (out, _, _) = check(&[DUPLICATE, "--format", format]);
        assert!(out.contains(help) || format == "github", "{format}: {out}");
    }
    // No help, no field.
    let (json, _, _) = check(&["labs/first-golden-image/starter.rhai", "--format", "json"]);
    assert!(!json.contains("\"help\""), "{json}");
}

#[test]
fn check_given_a_script_where_the_lab_goes_says_so() {
    let mut cases = Vec::new();
    for args in [
        vec!["check", "first-golden-image.rhai"],
        vec!["check", "mine.rhai"],
        vec![
            "check",
            "labs/first-golden-image/starter.rhai",
            "first-golden-image",
        ],
    ] {
        let (stdout, stderr, code) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        cases.push(format!("$ amilab {}\n{stderr}", args.join(" ")));
    }
    insta::assert_snapshot!(cases.join("\n"));
}

/// Copies the files of `from` into `to`, recursively, passing each file's text through `edit`.
fn copy_dir(from: &Path, to: &Path, edit: &dyn Fn(&str, String) -> String) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target, edit);
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            std::fs::write(target, edit(&name, text)).unwrap();
        }
    }
}

/// A copy of first-golden-image as `my-lab` (id and directory renamed), in a fresh directory.
fn lab_outside_the_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        Path::new("labs/first-golden-image"),
        &dir.path().join("my-lab"),
        &|name, text| {
            if name == "lab.yaml" {
                text.replacen("id: first-golden-image", "id: my-lab", 1)
            } else {
                text
            }
        },
    );
    dir
}

#[test]
fn lab_commands_given_a_path_print_next_steps_with_that_path() {
    let dir = lab_outside_the_course();
    let in_dir = |args: &[&str]| {
        let out = amilab()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
            out.status.code().unwrap(),
        )
    };
    let (start, stderr, code) = in_dir(&["lab", "start", "./my-lab"]);
    assert_eq!(code, 0, "{stderr}");
    let (show, stderr, code) = in_dir(&["lab", "show", "./my-lab/lab.yaml", "--learner", "ada"]);
    assert_eq!(code, 0, "{stderr}");
    let next = show.rsplit("\n\n").next().unwrap();
    insta::assert_snapshot!(format!("$ amilab lab start ./my-lab\n{start}\n$ amilab lab show ./my-lab/lab.yaml --learner ada\n…\n{next}"));
    // The printed commands work as printed.
    let (_, stderr, code) = in_dir(&["run", "--lab", "./my-lab", "./my-lab.rhai"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) = in_dir(&[
        "check",
        "./my-lab/lab.yaml",
        "my-lab.rhai",
        "--learner",
        "ada",
    ]);
    assert_eq!(code, 1, "the starter does not pass: {stderr}");
}

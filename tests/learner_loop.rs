//! The learner loop of the README: `lab start`, `run --lab`, `check` with the trail and state,
//! help under errors, and the commands a confused learner types.

use assert_cmd::Command;

fn amilab() -> Command {
    let mut c = Command::cargo_bin("amilab").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("AMILAB_LEARNER")
        .env_remove("NO_COLOR");
    c
}

/// (stdout, stderr, exit code)
fn run(args: &[&str]) -> (String, String, i32) {
    let out = amilab().args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
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

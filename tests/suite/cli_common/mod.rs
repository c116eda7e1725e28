//! Helpers shared by the command-line tests: the binary with none of the environment variables
//! that change its output, how to run it, and the report formats.
#![allow(dead_code)]

use assert_cmd::Command;

/// Every `--format` of `check` and `quiz grade`.
pub const FORMATS: [&str; 7] = [
    "pretty",
    "plain",
    "json",
    "junit",
    "tap",
    "gradescope",
    "github",
];

/// `amilab` in the crate's root, without `AMILAB_LEARNER`, the GitHub output files, `NO_COLOR`
/// or the AWS CLI's region and output variables from the caller's environment.
pub fn amilab() -> Command {
    let mut c = Command::cargo_bin("amilab").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("AMILAB_LEARNER")
        .env_remove("NO_COLOR")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_DEFAULT_OUTPUT");
    c
}

/// Runs `amilab args…`: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let o = amilab().args(args).output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

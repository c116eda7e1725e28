//! Where a report goes: `--out`, `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` that cannot be
//! written are named, with what to do, and exit 2; `--format github` without `$GITHUB_OUTPUT`
//! says where its runner result went.

use std::path::Path;

use crate::cli_common::amilab;

const PASS: [&str; 5] = [
    "check",
    "clone-across-regions",
    "labs/clone-across-regions/solution.rhai",
    "--learner",
    "ada",
];

/// `amilab check` on a passing script with `extra` and `env`: (exit code, stdout, stderr).
fn check(extra: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut cmd = amilab();
    cmd.args(PASS).args(extra).arg("--no-timings");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn out_in_a_missing_folder_says_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports/r.xml");
    let (code, stdout, stderr) = check(&["--format", "junit", "--out", out.to_str().unwrap()], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    let folder = dir.path().join("reports");
    assert!(
        stderr.contains(&format!(
            "cannot write the report to `{}`: the folder `{}` does not exist",
            out.display(),
            folder.display()
        )) && stderr.contains(&format!("mkdir -p {}", folder.display())),
        "{stderr}"
    );
}

#[test]
fn out_naming_a_folder_says_to_name_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = check(
        &["--format", "json", "--out", dir.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "cannot write the report to `{}`: it is a folder",
            dir.path().display()
        )) && stderr.contains("name a file, not a folder"),
        "{stderr}"
    );
}

/// sysfs refuses new files to everyone, root included: a place no one may write.
#[cfg(target_os = "linux")]
#[test]
fn out_where_nobody_may_write_says_to_choose_another_place() {
    let (code, _, stderr) = check(&["--format", "tap", "--out", "/sys/amilab-report.tap"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot write the report to `/sys/amilab-report.tap`: permission denied")
            && stderr.contains("choose a file in a folder you may write to"),
        "{stderr}"
    );
}

#[test]
fn a_bad_github_output_or_step_summary_is_named_by_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone/output");
    let (code, _, stderr) = check(&["--format", "github"], &[("GITHUB_OUTPUT", &missing)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "cannot write the report to `{}`, named by $GITHUB_OUTPUT: the folder",
            missing.display()
        )) && stderr.contains("outside Actions, unset GITHUB_OUTPUT or create the folder first"),
        "{stderr}"
    );
    let output = dir.path().join("output");
    let (code, _, stderr) = check(
        &["--format", "github"],
        &[
            ("GITHUB_OUTPUT", &output),
            ("GITHUB_STEP_SUMMARY", dir.path()),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "cannot write the report to `{}`, named by $GITHUB_STEP_SUMMARY: it is a folder",
            dir.path().display()
        )),
        "{stderr}"
    );
}

#[test]
fn github_without_github_output_says_where_the_result_went() {
    let (code, stdout, stderr) = check(&["--format", "github"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("::notice title=amilab lab clone-across-regions::Points"));
    assert!(
        stderr.starts_with("note: $GITHUB_OUTPUT is not set, so the runner result")
            && stderr.contains("set GITHUB_OUTPUT=FILE"),
        "{stderr}"
    );
    // With it set, nothing to say.
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let (code, _, stderr) = check(&["--format", "github"], &[("GITHUB_OUTPUT", &output)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(std::fs::read_to_string(&output)
        .unwrap()
        .starts_with("result="));
}

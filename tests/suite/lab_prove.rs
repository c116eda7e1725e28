//! Trust in verdicts: the grading cases of `shared/cases/grading` get the verdict they name for
//! several learners; a check that throws makes the run `error` (exit 3) in every format; and
//! `validate` rejects labs that would grade wrongly (a wrong submission that passes, a check
//! that crashes, a solution that fails one variant of many).

use std::path::{Path, PathBuf};

use crate::cli_common;

use cli_common::{run, FORMATS};

/// The grading cases (from `shared/cases/grading`, and those a fresh learner and a red-teamer
/// found, kept beside the tests in `tests/fixtures/cases/`), with the verdict a fair grader
/// gives: (lab, file, passes).
const CASES: [(&str, &str, bool); 41] = [
    ("first-golden-image", "terminate.rhai", false),
    ("first-golden-image", "notags.rhai", false),
    ("first-golden-image", "sync-noreboot.rhai", true),
    ("first-golden-image", "stop-image-start.rhai", true),
    ("first-golden-image", "org-share.rhai", false),
    ("first-golden-image", "defaced-page.rhai", false),
    ("first-golden-image", "nginx-stopped-after.rhai", false),
    ("first-golden-image", "image-without-nginx.rhai", false),
    ("first-golden-image", "httpd-in-the-image.rhai", false),
    ("first-golden-image", "httpd-then-nginx-again.rhai", false),
    ("first-golden-image", "stop-noreboot-start-later.rhai", true),
    ("clone-across-regions", "chain.rhai", true),
    ("clone-across-regions", "round-robin.rhai", true),
    ("clone-across-regions", "org-share.rhai", false),
    ("clone-across-regions", "clones-without-nginx.rhai", false),
    (
        "clone-across-regions",
        "clones-reboot-into-httpd.rhai",
        false,
    ),
    ("clone-across-regions", "clones-swap-web-server.rhai", false),
    ("clone-across-regions", "pending-clones.rhai", true),
    ("share-with-teammate", "both.rhai", false),
    ("share-with-teammate", "dryrun.rhai", true),
    ("share-with-teammate", "operation-type.rhai", true),
    ("share-with-teammate", "org-share.rhai", false),
    ("share-with-teammate", "teammate-leaks-copy.rhai", false),
    ("share-with-teammate", "teammate-image-public.rhai", false),
    (
        "share-with-teammate",
        "teammate-image-to-contractor.rhai",
        false,
    ),
    ("share-with-teammate", "defensive-reset.rhai", true),
    // Found by a fresh learner once snapshots could be shared: a public snapshot leaks the
    // image's disk; sharing it with the teammate alone does not.
    ("share-with-teammate", "snapshot-public.rhai", false),
    (
        "share-with-teammate",
        "snapshot-shared-with-teammate.rhai",
        true,
    ),
    // Found by a red team: any copy of the image's disk counts (a copied snapshot, a snapshot
    // of a volume or an instance made from it), in any account, even after the learner deletes
    // the copy it passed on.
    (
        "share-with-teammate",
        "snapshot-copy-to-contractor.rhai",
        false,
    ),
    (
        "share-with-teammate",
        "laundered-snapshot-public.rhai",
        false,
    ),
    (
        "share-with-teammate",
        "own-instance-snapshot-to-contractor.rhai",
        false,
    ),
    ("share-with-teammate", "deleted-copy-passed-on.rhai", false),
    ("first-golden-image", "snapshot-copy-public.rhai", false),
    ("clone-across-regions", "snapshot-copy-public.rhai", false),
    // roll-out-v2: a fresh learner's and a red team's correct rollouts pass however they roll
    // (one at a time, scale out then in, launch-first refresh, the group pinned to v2); a new
    // template instead of a version, a silently changed instance type, or the old template
    // deleted do not.
    ("roll-out-v2", "one-at-a-time.rhai", true),
    ("roll-out-v2", "scale-out-then-in.rhai", true),
    (
        "roll-out-v2",
        "desired-configuration-launch-first.rhai",
        true,
    ),
    ("roll-out-v2", "group-pinned-to-v2.rhai", true),
    ("roll-out-v2", "new-template-instead-of-version.rhai", false),
    ("roll-out-v2", "type-silently-changed.rhai", false),
    ("roll-out-v2", "old-template-deleted.rhai", false),
];

#[test]
fn grading_cases_get_their_verdict_for_every_learner() {
    for (lab, file, passes) in CASES {
        let script = format!("tests/fixtures/cases/{lab}/{file}");
        for learner in ["ada", "bob", "carol", "dennis"] {
            let (code, out, err) = run(&[
                "check",
                lab,
                &script,
                "--learner",
                learner,
                "--format",
                "json",
                "--no-timings",
            ]);
            let v: serde_json::Value = serde_json::from_str(&out).expect(&err);
            assert_eq!(
                (code, v["passed"].as_bool()),
                (if passes { 0 } else { 1 }, Some(passes)),
                "{lab}/{file} as {learner}: {out}"
            );
            assert_ne!(v["outcome"], "error", "{lab}/{file} as {learner}");
        }
    }
}

/// A copy of a built-in lab in a temporary directory, with `edit` applied to its lab.yaml.
fn lab_copy(id: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(id);
    copy_dir(&Path::new("labs").join(id), &dir);
    let yaml = dir.join("lab.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit must change the lab");
    std::fs::write(&yaml, edited).unwrap();
    (tmp, dir)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// first-golden-image with two careless checks: `tagged` crashes on an untagged image and
/// `image-created` on a run that made no image (the starter).
fn crashing_lab() -> (tempfile::TempDir, PathBuf) {
    lab_copy("first-golden-image", |t| {
        t.replace(
            "      let project = g.tags.Project;",
            "      let project = g.tags.Project;\n      let n = g.tags.Version.len();",
        )
        .replace(
            "      #{pass: made.len() > 0,",
            "      let first = made[0].id;\n      #{pass: made.len() > 0,",
        )
    })
}

#[test]
fn a_check_that_throws_makes_the_run_error_in_every_format() {
    let (_tmp, dir) = crashing_lab();
    let script = "tests/fixtures/cases/first-golden-image/notags.rhai";
    let sha = regex::Regex::new("[0-9a-f]{64}").unwrap();
    for format in FORMATS {
        let (code, out, _) = run(&[
            "check",
            dir.to_str().unwrap(),
            script,
            "--learner",
            "ada",
            "--format",
            format,
            "--no-timings",
        ]);
        assert_eq!(code, 3, "{format}: {out}");
        let out = out.replace(dir.to_str().unwrap(), "[LAB]");
        // Hashes of the temporary lab file change with the copy; keep them out of snapshots.
        let out = sha.replace_all(&out, "[SHA256]").to_string();
        insta::assert_snapshot!(format!("check_error_{format}"), out);
    }
}

#[test]
fn validate_locates_a_crashing_check_in_the_lab_file() {
    let (_tmp, dir) = crashing_lab();
    let (code, _, err) = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    // `image-created` crashes on the starter (it made no image): reported once, at the
    // check's own line in lab.yaml, not against a script with a prelude-shifted line.
    let yaml = std::fs::read_to_string(dir.join("lab.yaml")).unwrap();
    let line = yaml
        .lines()
        .position(|l| l.contains("let first = made[0].id;"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("lab.yaml:{line}:")),
        "expected lab.yaml:{line}: in\n{err}"
    );
    assert_eq!(
        err.matches("starter.rhai`: Array index 0 out of bounds")
            .count(),
        1,
        "one line per distinct failure: {err}"
    );
    assert!(err.contains("in 5 of 5 variants"), "{err}");
    assert!(err.contains("starter.rhai --seed "), "{err}");
}

#[test]
fn validate_rejects_a_wrong_submission_that_passes() {
    // Without `required`, never-verified scores exactly the pass mark.
    let (_tmp, dir) = lab_copy("share-with-teammate", |t| {
        let i = t.find("  - id: teammate-launched").unwrap();
        let (head, tail) = t.split_at(i);
        format!("{head}{}", tail.replacen("    required: true\n", "", 1))
    });
    let (code, _, err) = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("wrong submission `wrong/never-verified.rhai` is passed (8/10, 80%)"),
        "{err}"
    );
    assert!(err.contains("in 8 of 8 variants"), "{err}");
}

#[test]
fn validate_finds_the_one_variant_where_the_solution_fails() {
    // A check that is wrong only when count is 11: 30 of the 150 variants.
    let (_tmp, dir) = lab_copy("clone-across-regions", |t| {
        t.replace(
            "      let n = clones().len();",
            "      let n = clones().len();\n      if params.count == 11 { n -= 1; }",
        )
    });
    let (code, _, err) = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the solution scores"), "{err}");
    assert!(err.contains("in 30 of 150 variants"), "{err}");
    assert!(err.contains("count=11"), "{err}");
    assert!(
        err.contains("--seed "),
        "a command that reproduces it: {err}"
    );
    assert_eq!(
        err.matches("the solution scores").count(),
        1,
        "one line for the failure, not one per variant: {err}"
    );
}

#[test]
fn validate_rejects_a_lab_whose_checks_let_a_mutant_survive() {
    // Without `required`, making every image public costs one point of ten: the sabotage
    // mutant passes, and validate names it with its diff line.
    let (_tmp, dir) = lab_copy("clone-across-regions", |t| {
        let i = t.find("  - id: private-images").unwrap();
        let (head, tail) = t.split_at(i);
        format!("{head}{}", tail.replacen("    required: true\n", "", 1))
    });
    let (code, out, err) = run(&["validate", dir.to_str().unwrap(), "--mutants"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("mutant `sabotage-make-public` survives: + end: make every image the learner owns public"),
        "{err}"
    );
    assert!(err.contains("sabotage-share-other` survives"), "{err}");
    assert!(out.contains("SURVIVED   sabotage-make-public"), "{out}");
    assert_eq!(
        err.matches("error[mutant-survives]: ").count(),
        2,
        "only those two: {err}"
    );
}

#[test]
fn validate_rejects_equivalence_declarations_that_hide_nothing_or_name_no_mutant() {
    let (_tmp, dir) = lab_copy("first-golden-image", |t| {
        t.replace(
            "  equivalent:\n",
            "  equivalent:\n    - id: remove-000000\n      why: a stale id\n    - id: sabotage-make-public\n      why: claimed harmless, but the private-image check kills it\n",
        )
    });
    let (code, out, err) = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains(
            "`mutants.equivalent` names `remove-000000`, which is not a mutant of the solution"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning[equivalent-mutant-killed]: mutant `sabotage-make-public` is declared equivalent but the checks kill it"
        ),
        "{err}"
    );
}

#[test]
fn builtin_labs_kill_every_mutant_they_do_not_declare_equivalent() {
    let (code, out, err) = run(&["validate", "--mutants"]);
    assert_eq!(code, 0, "{out}\n{err}");
    for line in out.lines().filter(|l| l.starts_with("ok     labs/")) {
        let score = line.split("mutants: ").nth(1).expect(line);
        let (killed, rest) = score.split_once('/').unwrap();
        let total = rest.split(' ').next().unwrap();
        assert_eq!(killed, total, "{line}");
        assert!(score.contains("(100%)"), "{line}");
    }
    assert!(!out.contains("SURVIVED"), "{out}");
    for n in ["all 150 variants", "all 8 variants", "all 5 variants"] {
        assert!(out.contains(n), "every variant is enumerated: {out}");
    }
    assert!(
        out.contains("killed     sabotage-terminate-instances"),
        "{out}"
    );
}

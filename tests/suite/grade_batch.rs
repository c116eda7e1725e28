//! `amilab grade` and `amilab merge` on whole classes: every learner graded once with the
//! verdict their submission deserves (solutions, starters, known-wrong and hostile ones),
//! byte-identical on a rerun, identical when graded as shards and merged, resumed after an
//! interruption, and refusing what would make a gradebook wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli_common::{amilab, run};

const LAB: &str = "clone-across-regions";

/// What a synthetic learner submitted, and the outcome it must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Solution,
    Starter,
    Wrong(&'static str),
    /// A hostile script from the hostile corpus, ending on a limit (outcome `error`). Only
    /// scripts that reach their limit in a few operations: a loop may end on the operations
    /// limit or, on a loaded machine, on the real-time deadline first — a state that depends on
    /// the machine's speed, the one thing a rerun may not reproduce (README, "Grading a
    /// class"). Loops are graded in `loops_and_floods_do_not_touch_the_rest_of_the_class`.
    Limit(&'static str),
    /// A script that does not parse (outcome `error`).
    Syntax,
    /// A folder without a script (outcome `error`).
    EmptyFolder,
    /// A script that is not UTF-8 (outcome `error`).
    NotUtf8,
    /// A script over the size limit (outcome `error`).
    TooLarge,
}

impl Kind {
    fn outcome(self) -> &'static str {
        match self {
            Kind::Solution => "passed",
            Kind::Starter | Kind::Wrong(_) => "failed",
            _ => "error",
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes a class of `n` learners into `dir`: mostly solutions, then starters, known-wrong and
/// hostile submissions in a fixed rotation. Returns each learner's kind.
fn write_class(dir: &Path, n: usize) -> BTreeMap<String, Kind> {
    let lab = root().join("labs").join(LAB);
    let read = |rel: &str| std::fs::read(lab.join(rel)).unwrap();
    let hostile =
        |name: &str| std::fs::read(root().join("tests/hostile/scripts").join(name)).unwrap();
    let mistakes = [
        Kind::Starter,
        Kind::Wrong("count-per-region.rhai"),
        Kind::Wrong("home-region-only.rhai"),
        Kind::Wrong("source-id-everywhere.rhai"),
    ];
    let hostile_kinds = [
        Kind::Limit("nested-array-bomb.rhai"),
        Kind::Limit("recursion-direct.rhai"),
        Kind::Limit("string-doubling.rhai"),
        Kind::Syntax,
        Kind::EmptyFolder,
        Kind::NotUtf8,
        Kind::TooLarge,
    ];
    let mut kinds = BTreeMap::new();
    for i in 0..n {
        let learner = format!("s{i:04}");
        // One in ten made a mistake; one in fifty is hostile (those cost the most to grade).
        let kind = if i % 50 == 7 {
            hostile_kinds[(i / 50) % hostile_kinds.len()]
        } else if i % 10 == 3 {
            mistakes[(i / 10) % mistakes.len()]
        } else {
            Kind::Solution
        };
        let file = dir.join(format!("{learner}.rhai"));
        match kind {
            Kind::Solution => std::fs::write(&file, read("solution.rhai")).unwrap(),
            Kind::Starter => std::fs::write(&file, read("starter.rhai")).unwrap(),
            Kind::Wrong(name) => std::fs::write(&file, read(&format!("wrong/{name}"))).unwrap(),
            Kind::Limit(name) => std::fs::write(&file, hostile(name)).unwrap(),
            Kind::Syntax => std::fs::write(&file, "let x = ;\n").unwrap(),
            Kind::EmptyFolder => {
                std::fs::create_dir_all(dir.join(&learner)).unwrap();
                std::fs::write(dir.join(&learner).join("notes.md"), "todo\n").unwrap();
            }
            Kind::NotUtf8 => std::fs::write(&file, b"let x = \"\xff\xfe\";\n").unwrap(),
            Kind::TooLarge => std::fs::write(&file, "// x\n".repeat(40_000)).unwrap(),
        }
        kinds.insert(learner, kind);
    }
    kinds
}

fn grade(subs: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "grade",
        LAB,
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(learner, outcome)` of every line of results.jsonl, in file order.
fn outcomes(out: &Path) -> Vec<(String, String)> {
    read(&out.join("results.jsonl"))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["learner"].as_str().unwrap().to_string(),
                v["result"]["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts two output folders hold the same files with the same bytes, showing the first line
/// that differs.
fn assert_same_folder(a: &Path, b: &Path, what: &str) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "{what}: other files"
    );
    for (name, bytes) in &fa {
        if bytes != &fb[name] {
            let (ta, tb) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&fb[name]),
            );
            let (la, lb) = ta
                .lines()
                .zip(tb.lines())
                .find(|(x, y)| x != y)
                .unwrap_or(("(end)", "(end)"));
            panic!("{what}: `{name}` differs:\n{la}\n{lb}");
        }
    }
}

/// Every file of an output folder, by relative path.
fn files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                map.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    map
}

#[test]
fn a_class_of_a_thousand_is_graded_once_each_deterministically_and_the_same_in_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    std::fs::create_dir(&subs).unwrap();
    let kinds = write_class(&subs, 1000);

    let whole = tmp.path().join("whole");
    let (code, stdout, stderr) = grade(&subs, &whole, &["--reports", "plain,json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("graded 1000 submissions of the lab `clone-across-regions`"),
        "{stdout}"
    );

    // Every learner exactly once, in order, with the verdict their submission deserves.
    let got = outcomes(&whole);
    assert_eq!(got.len(), 1000);
    for ((learner, outcome), (want_learner, kind)) in got.iter().zip(&kinds) {
        assert_eq!(learner, want_learner);
        assert_eq!(outcome, kind.outcome(), "{learner} submitted {kind:?}");
    }
    // The gradebook: a header and one row per learner, the error column filled for errors.
    let gradebook = read(&whole.join("gradebook.csv"));
    let mut rows = csv::Reader::from_reader(gradebook.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "learner");
    let error_col = header.iter().position(|h| h == "error").unwrap();
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1000);
    for row in &rows {
        let kind = kinds[&row[0]];
        assert_eq!(
            row[error_col].is_empty(),
            kind.outcome() != "error",
            "{row:?}"
        );
    }
    assert!(whole.join("reports/plain/s0000.txt").is_file());
    assert!(whole.join("reports/json/s0000.json").is_file());

    // Graded again from scratch elsewhere: byte for byte the same folder.
    let again = tmp.path().join("again");
    let (code, _, stderr) = grade(&subs, &again, &["--reports", "plain,json", "--jobs", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_same_folder(&whole, &again, "a rerun");

    // As four shards (as four CI runners would), then merged: the same folder again.
    let mut shard_dirs = Vec::new();
    let mut sizes = 0;
    for i in 1..=4 {
        let dir = tmp.path().join(format!("shard-{i}"));
        let (code, stdout, stderr) = grade(
            &subs,
            &dir,
            &["--reports", "plain,json", "--shard", &format!("{i}/4")],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains(&format!("(shard {i}/4:")), "{stdout}");
        sizes += outcomes(&dir).len();
        shard_dirs.push(dir);
    }
    assert_eq!(sizes, 1000, "the shards split the class exactly");
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge".to_string()];
    args.extend(shard_dirs.iter().map(|d| d.display().to_string()));
    args.extend([
        "--out".into(),
        merged.display().to_string(),
        "--reports".into(),
        "plain,json".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_same_folder(&whole, &merged, "the merged shards");
}

/// A small class for the other tests: three solutions and a starter.
fn small_class(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let lab = root().join("labs").join(LAB);
    for (learner, file) in [
        ("ana", "solution.rhai"),
        ("ben", "starter.rhai"),
        ("cy", "solution.rhai"),
        ("dee", "solution.rhai"),
    ] {
        std::fs::copy(lab.join(file), dir.join(format!("{learner}.rhai"))).unwrap();
    }
}

#[test]
fn an_interrupted_batch_resumes_and_grades_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    small_class(&subs);
    let out = tmp.path().join("out");
    let (code, _, stderr) = grade(&subs, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let first = files(&out);

    // An interruption leaves a journal and results of the learners done; pretend `cy` was
    // done in an interrupted run and the others not.
    let results = read(&out.join("results.jsonl"));
    let cy: String = results
        .lines()
        .filter(|l| l.contains("\"learner\":\"cy\""))
        .collect();
    std::fs::remove_file(out.join("results.jsonl")).unwrap();
    std::fs::write(
        out.join("results.partial.jsonl"),
        format!("{cy}\n{{\"learner\":\"torn"),
    )
    .unwrap();
    let (code, stdout, stderr) = grade(&subs, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("graded 3 submissions"), "{stdout}");
    assert!(
        stdout.contains("kept 1 result graded by an earlier run"),
        "{stdout}"
    );
    assert!(!out.join("results.partial.jsonl").exists());
    assert_eq!(
        files(&out),
        first,
        "a resumed batch ends as an uninterrupted one"
    );

    // Nothing changed: nothing graded. One submission changed: only it.
    let (_, stdout, _) = grade(&subs, &out, &[]);
    assert!(stdout.contains("graded 0 submissions"), "{stdout}");
    std::fs::copy(
        root().join("labs").join(LAB).join("solution.rhai"),
        subs.join("ben.rhai"),
    )
    .unwrap();
    let (_, stdout, _) = grade(&subs, &out, &[]);
    assert!(stdout.contains("graded 1 submission "), "{stdout}");
    assert!(stdout.contains("4 passed"), "{stdout}");
    let (_, stdout, _) = grade(&subs, &out, &["--regrade"]);
    assert!(stdout.contains("graded 4 submissions"), "{stdout}");
}

#[test]
fn merge_refuses_overlaps_gaps_and_mixed_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    small_class(&subs);
    let shard = |i: u32, n: u32| {
        let dir = tmp.path().join(format!("s{i}of{n}"));
        let (code, _, stderr) = grade(&subs, &dir, &["--shard", &format!("{i}/{n}")]);
        assert_eq!(code, 0, "{stderr}");
        dir.display().to_string()
    };
    let (a, b, c) = (shard(1, 3), shard(2, 3), shard(3, 3));
    let out = tmp.path().join("merged").display().to_string();
    let merge = |dirs: &[&str]| {
        let mut args = vec!["merge"];
        args.extend_from_slice(dirs);
        args.extend_from_slice(&["--out", &out]);
        run(&args)
    };
    let (code, _, stderr) = merge(&[&a, &b]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("shard 3/3 of the class is missing"),
        "{stderr}"
    );
    let (code, _, stderr) = merge(&[&a, &b, &c, &a]);
    assert_eq!(code, 2);
    assert!(stderr.contains("are both shard 1/3"), "{stderr}");
    let other_split = shard(1, 2);
    let (code, _, stderr) = merge(&[&a, &b, &other_split]);
    assert_eq!(code, 2);
    assert!(stderr.contains("one class is split one way"), "{stderr}");

    // A lab file changed between runners: refused, naming the folder.
    let lab_copy = tmp.path().join("edited-lab").join(LAB);
    std::fs::create_dir_all(lab_copy.join("wrong")).unwrap();
    for f in ["lab.yaml", "solution.rhai", "starter.rhai"] {
        std::fs::copy(root().join("labs").join(LAB).join(f), lab_copy.join(f)).unwrap();
    }
    for e in std::fs::read_dir(root().join("labs").join(LAB).join("wrong")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), lab_copy.join("wrong").join(e.file_name())).unwrap();
    }
    let edited = read(&lab_copy.join("lab.yaml")).replacen("title:", "# edited\ntitle:", 1);
    std::fs::write(lab_copy.join("lab.yaml"), edited).unwrap();
    let d = tmp.path().join("edited");
    let (code, _, stderr) = run(&[
        "grade",
        lab_copy.to_str().unwrap(),
        subs.to_str().unwrap(),
        "--out",
        d.to_str().unwrap(),
        "--shard",
        "3/3",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = merge(&[&a, &b, d.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("another version of `clone-across-regions`"),
        "{stderr}"
    );

    let (code, stdout, stderr) = merge(&[&c, &a, &b]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("merged 3 shards"), "{stdout}");
}

#[test]
fn bad_batches_are_refused_before_anything_is_graded() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    small_class(&subs);
    std::fs::create_dir(subs.join("ana")).unwrap();
    let out = tmp.path().join("out");
    let (code, _, stderr) = grade(&subs, &out, &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`ana/` and `ana.rhai` are both submissions of the learner `ana`"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
    std::fs::remove_dir(subs.join("ana")).unwrap();

    let (code, _, stderr) = grade(&subs, &out, &["--shard", "5/4"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("counts from 1 to 4"), "{stderr}");

    // An output folder of another lab is left alone.
    let (code, _, _) = grade(&subs, &out, &[]);
    assert_eq!(code, 0);
    let (code, _, stderr) = run(&[
        "grade",
        "first-golden-image",
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("holds results of the lab `clone-across-regions`"),
        "{stderr}"
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, _, stderr) = grade(&empty, &out, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds no submissions"), "{stderr}");

    let (code, _, stderr) = run(&["grade", "no-such-lab", subs.to_str().unwrap(), "--out", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("neither a lab nor a quiz"), "{stderr}");
}

#[test]
fn a_learner_map_names_the_learners_and_the_gradebook_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    small_class(&subs);
    let map = tmp.path().join("map.csv");
    std::fs::write(
        &map,
        "submission,learner\nana.rhai,1001\nben,1002\ncy,1003\ndee,\"1004\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, _, stderr) = grade(
        &subs,
        &out,
        &["--learners", map.to_str().unwrap(), "--reports", "none"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("reports").exists());
    insta::assert_snapshot!("grade_batch_gradebook", read(&out.join("gradebook.csv")));
    insta::assert_snapshot!("grade_batch_canvas", read(&out.join("canvas.csv")));
    let manifest = read(&out.join("manifest.json"));
    let redacted = regex::Regex::new("[0-9a-f]{64}")
        .unwrap()
        .replace_all(&manifest, "<sha256>")
        .replace(env!("CARGO_PKG_VERSION"), "<version>");
    insta::assert_snapshot!("grade_batch_manifest", redacted);
}

#[test]
fn a_quiz_class_is_graded_from_answers_files() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    std::fs::create_dir(&subs).unwrap();
    // Each learner's own template, unanswered; one answers another learner's paper; one does
    // not parse.
    for learner in ["amy", "bo"] {
        let o = amilab()
            .args(["quiz", "template", "ami-anatomy", "--learner", learner])
            .output()
            .unwrap();
        std::fs::write(subs.join(format!("{learner}.yaml")), o.stdout).unwrap();
    }
    std::fs::copy(subs.join("amy.yaml"), subs.join("cat.yaml")).unwrap();
    std::fs::write(
        subs.join("dan.answers.yaml"),
        "quiz: ami-anatomy\nanswers: [\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&[
        "grade",
        "ami-anatomy",
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("graded 4 submissions of the quiz `ami-anatomy`"),
        "{stdout}"
    );
    let got = outcomes(&out);
    assert_eq!(
        got,
        [
            ("amy".to_string(), "failed".to_string()),
            ("bo".into(), "failed".into()),
            ("cat".into(), "error".into()),
            ("dan".into(), "error".into()),
        ]
    );
    let results = read(&out.join("results.jsonl"));
    assert!(
        results.contains("was written for the learner `amy`"),
        "{results}"
    );
}

#[test]
fn loops_and_floods_do_not_touch_the_rest_of_the_class() {
    let tmp = tempfile::tempdir().unwrap();
    let honest = tmp.path().join("honest");
    small_class(&honest);
    let mixed = tmp.path().join("mixed");
    small_class(&mixed);
    for name in [
        "loop-forever",
        "api-instance-flood-caught",
        "print-flood",
        "while-true",
    ] {
        std::fs::copy(
            root()
                .join("tests/hostile/scripts")
                .join(format!("{name}.rhai")),
            mixed.join(format!("{name}.rhai")),
        )
        .unwrap();
    }
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (code, _, stderr) = grade(&honest, &a, &["--reports", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = grade(&mixed, &b, &["--reports", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("4 could not be graded"), "{stdout}");
    for (learner, outcome) in outcomes(&b) {
        let hostile = !["ana", "ben", "cy", "dee"].contains(&learner.as_str());
        assert_eq!(outcome == "error", hostile, "{learner}: {outcome}");
    }
    // The honest learners' results are byte for byte those of a class without the hostile.
    for learner in ["ana", "ben", "cy", "dee"] {
        let report = format!("reports/json/{learner}.json");
        assert_eq!(read(&a.join(&report)), read(&b.join(&report)), "{learner}");
    }
}

#[test]
fn an_assignment_class_is_graded_from_learners_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    let lab = root().join("labs/first-golden-image");
    // A learner's workspace layout with the solution; a flat folder with the starter; an empty
    // folder; a loose script, which is not an assignment's submission.
    std::fs::create_dir_all(subs.join("ana/labs")).unwrap();
    std::fs::copy(
        lab.join("solution.rhai"),
        subs.join("ana/labs/first-golden-image.rhai"),
    )
    .unwrap();
    std::fs::create_dir_all(subs.join("ben")).unwrap();
    std::fs::copy(
        lab.join("starter.rhai"),
        subs.join("ben/first-golden-image.rhai"),
    )
    .unwrap();
    std::fs::create_dir_all(subs.join("cy")).unwrap();
    std::fs::write(subs.join("dee.rhai"), "print(1);\n").unwrap();
    let assignment = root().join("tests/fixtures/assignments/week-3.yaml");
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&[
        "grade",
        assignment.to_str().unwrap(),
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("graded 3 submissions of the assignment `week-3`"),
        "{stdout}"
    );
    assert!(stderr.contains("`dee.rhai` was not graded"), "{stderr}");
    let results = read(&out.join("results.jsonl"));
    let scores: Vec<(String, f64)> = results
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["learner"].as_str().unwrap().to_string(),
                v["result"]["score"].as_f64().unwrap(),
            )
        })
        .collect();
    // The lab part is worth 20: the solution earns all of it; the quiz was not answered.
    assert_eq!(scores[0], ("ana".to_string(), 20.0));
    assert!(scores[1].1 < 20.0 && scores[1].0 == "ben", "{scores:?}");
    assert_eq!(scores[2], ("cy".to_string(), 0.0));
    let header = read(&out.join("gradebook.csv"))
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.contains(",first-golden-image/"),
        "the parts' items are columns: {header}"
    );
}

/// What a learner trying to cheat the batch, and an instructor making honest mistakes, found
/// (each once a wrong gradebook, a lost file or a leak).
#[cfg(unix)]
#[test]
fn what_a_cheater_found_stays_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let sol = root().join("labs").join(LAB).join("solution.rhai");
    let starter = root().join("labs").join(LAB).join("starter.rhai");
    let s = |p: &Path| p.to_str().unwrap().to_string();

    // Shards graded with different learner maps are not one class.
    let cm = t.join("cm");
    std::fs::create_dir(&cm).unwrap();
    std::fs::copy(&sol, cm.join("gh-alice.rhai")).unwrap();
    std::fs::copy(&starter, cm.join("gh-bob.rhai")).unwrap();
    // s001 falls in shard 1 of 2 and s003 in shard 2 (see `Shard::of`).
    std::fs::write(
        t.join("ma.csv"),
        "submission,learner\ngh-alice,s001\ngh-bob,s003\n",
    )
    .unwrap();
    std::fs::write(
        t.join("mb.csv"),
        "submission,learner\ngh-alice,s003\ngh-bob,s001\n",
    )
    .unwrap();
    let (a1, b2) = (t.join("a1"), t.join("b2"));
    for (out, map, shard) in [(&a1, "ma.csv", "1/2"), (&b2, "mb.csv", "2/2")] {
        let (code, _, e) = grade(
            &cm,
            out,
            &["--learners", &s(&t.join(map)), "--shard", shard],
        );
        assert_eq!(code, 0, "{e}");
    }
    let (code, _, e) = run(&["merge", &s(&a1), &s(&b2), "--out", &s(&t.join("m"))]);
    assert_eq!(code, 2, "merged shards of two rosters: {e}");
    assert!(e.contains("saw another class"), "{e}");

    // A learner named like another's report file gets a report of their own.
    let c4 = t.join("c4");
    std::fs::create_dir(&c4).unwrap();
    std::fs::copy(&sol, c4.join("bob.rhai")).unwrap();
    std::fs::copy(&starter, c4.join("bob.gradescope.rhai")).unwrap();
    let o4 = t.join("o4");
    let (code, _, e) = grade(&c4, &o4, &["--reports", "json,gradescope"]);
    assert_eq!(code, 0, "{e}");
    let bob: serde_json::Value =
        serde_json::from_str(&read(&o4.join("reports/gradescope/bob.json"))).unwrap();
    assert_eq!(bob["score"], 11.0, "bob's Gradescope report is bob's");
    assert!(o4.join("reports/json/bob.gradescope.json").is_file());

    // Files of yours in the output folder are not deleted, and a linked reports/ is refused.
    std::fs::write(o4.join("reports/notes.md"), "mine").unwrap();
    let (code, _, _) = grade(&c4, &o4, &["--reports", "plain"]);
    assert_eq!(code, 0);
    assert!(o4.join("reports/notes.md").is_file());
    assert!(
        !o4.join("reports/json/bob.json").exists(),
        "stale reports go"
    );
    let precious = t.join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "a").unwrap();
    let ow = t.join("ow");
    std::fs::create_dir(&ow).unwrap();
    std::os::unix::fs::symlink(&precious, ow.join("reports")).unwrap();
    let (code, _, e) = grade(&c4, &ow, &[]);
    assert_eq!(code, 2, "{e}");
    assert!(precious.join("thesis.txt").is_file());

    // A FIFO does not hang the batch; a link to a (learner's) link is not followed; a learner
    // of the map without a submission gets a row.
    let cx = t.join("cx");
    std::fs::create_dir_all(t.join("home")).unwrap();
    std::fs::create_dir(&cx).unwrap();
    std::fs::copy(&sol, cx.join("ok.rhai")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(cx.join("fifo.rhai"))
        .status()
        .unwrap()
        .success());
    std::fs::write(t.join("secret.txt"), "INSTRUCTOR_API_KEY=sk-live-0123").unwrap();
    std::os::unix::fs::symlink(t.join("secret.txt"), t.join("home/link.rhai")).unwrap();
    std::os::unix::fs::symlink(t.join("home/link.rhai"), cx.join("farm.rhai")).unwrap();
    let map = t.join("roster.csv");
    std::fs::write(
        &map,
        "submission,learner\nok,s1\nfifo,s2\nfarm,s3\nabsent,s4\n",
    )
    .unwrap();
    let ox = t.join("ox");
    let (code, _, e) = grade(
        &cx,
        &ox,
        &["--learners", &s(&map), "--reports", "plain,json"],
    );
    assert_eq!(code, 0, "{e}");
    let got = outcomes(&ox);
    assert_eq!(
        got.iter()
            .map(|(l, o)| format!("{l}:{o}"))
            .collect::<Vec<_>>(),
        ["s1:passed", "s2:error", "s3:error", "s4:error"]
    );
    let everything: String = files(&ox)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!everything.contains("sk-live"), "the secret leaked");
    assert!(
        everything.contains("no submission: `absent`"),
        "{everything}"
    );

    // A submission mapped under two spellings; formula ids; --out inside the submissions.
    std::fs::write(&map, "submission,learner\nok,s1\nok.rhai,s9\n").unwrap();
    let (code, _, e) = grade(&cx, &t.join("o2"), &["--learners", &s(&map)]);
    assert_eq!(code, 2);
    assert!(e.contains("two learners"), "{e}");
    let cf = t.join("cf");
    std::fs::create_dir(&cf).unwrap();
    std::fs::copy(&sol, cf.join("=1+1.rhai")).unwrap();
    std::fs::copy(&sol, cf.join("fine.rhai")).unwrap();
    let (code, _, e) = grade(&cf, &t.join("of"), &[]);
    assert_eq!(code, 0, "{e}");
    assert!(e.contains("spreadsheets read as a formula"), "{e}");
    let (code, _, e) = grade(&c4, &c4.join("graded"), &[]);
    assert_eq!(code, 2);
    assert!(e.contains("inside the submissions folder"), "{e}");

    // A hand-edited shard is refused by merge; a huge --jobs is harmless.
    let (code, _, e) = grade(&c4, &t.join("whole"), &["--jobs", "100000"]);
    assert_eq!(code, 0, "{e}");
    let results = t.join("whole/results.jsonl");
    let edited = read(&results).replace("\"score\":2.0", "\"score\":9.0");
    std::fs::write(&results, edited).unwrap();
    let (code, _, e) = run(&["merge", &s(&t.join("whole")), "--out", &s(&t.join("m2"))]);
    assert_eq!(code, 2);
    assert!(e.contains("not the sum of its items"), "{e}");

    // A journal that is a link is not written through.
    let linked = t.join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::fs::write(t.join("target.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(t.join("target.txt"), linked.join("results.partial.jsonl")).unwrap();
    let (code, _, e) = grade(&c4, &linked, &[]);
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("results.partial.jsonl"), "{e}");
    assert_eq!(read(&t.join("target.txt")), "keep");

    // One batch at a time in a folder.
    let busy = t.join("busy");
    std::fs::create_dir(&busy).unwrap();
    let file = std::fs::File::create(busy.join(".amilab-grade.lock")).unwrap();
    let mut lock = fd_lock::RwLock::new(file);
    let _held = lock.write().unwrap();
    let (code, _, e) = grade(&c4, &busy, &[]);
    assert_eq!(code, 2);
    assert!(e.contains("another `amilab grade` is writing"), "{e}");
}

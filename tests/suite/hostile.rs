//! Issue 12, item 6: the hostile corpus. Every case of `tests/hostile/cases.yaml` (scripts, labs,
//! quizzes, answers files that try to hang, crash, exhaust or fool amilab) runs through each of
//! its surfaces as a real process: it must end well within its time, never panic (exit 101) nor
//! die by a signal, exit with the documented code and say why; in `check` the state reached is
//! still graded; and in every report format no forged CI command or score line gets through.
//!
//! Big, binary and non-UTF-8 inputs are generated here, at run time, into a temporary directory.
//! The cases run on a few threads of their own: most hit small limits in well under a second,
//! and the few that meet the 5 s deadline of `amilab run` overlap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use crate::cli_common::{amilab, FORMATS};

const CORPUS: &str = "tests/hostile";
/// A process killed at this point has hung: the assertion on its exit then fails.
const TIMEOUT: Duration = Duration::from_secs(60);
/// No case may take longer than this (the slowest, the 5 s deadline of `run`, is far below).
const WALL: Duration = Duration::from_secs(30);
/// A run stopped by a limit ends soon after its deadline (5 s for `run`, 2 s in the fast lab),
/// API calls included: this leaves room for a loaded machine and a debug build.
const LIMIT_WALL: Duration = Duration::from_secs(15);
/// The threads that run processes (independent processes overlap their waits).
const WORKERS: usize = 3;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    scripts: Vec<ScriptCase>,
    labs: Vec<FileCase>,
    quizzes: Vec<FileCase>,
    answers: Vec<FileCase>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Expect {
    Ok,
    Runtime,
    Limit,
    Syntax,
    Unreadable,
}

impl Expect {
    fn run_exit(self) -> i32 {
        match self {
            Expect::Ok => 0,
            Expect::Runtime => 1,
            Expect::Limit | Expect::Syntax => 3,
            Expect::Unreadable => 2,
        }
    }

    fn check_exit(self) -> i32 {
        match self {
            Expect::Ok | Expect::Runtime => 1,
            Expect::Limit | Expect::Syntax => 3,
            Expect::Unreadable => 2,
        }
    }

    /// `submission.status` in `check --format json`.
    fn status(self) -> Option<&'static str> {
        match self {
            Expect::Ok => Some("completed"),
            Expect::Runtime => Some("runtime_error"),
            Expect::Limit => Some("limit_exceeded"),
            Expect::Syntax => Some("syntax_error"),
            Expect::Unreadable => None,
        }
    }

    /// The label `amilab run` puts on the failure.
    fn label(self) -> Option<&'static str> {
        match self {
            Expect::Limit => Some("error[limit]"),
            Expect::Syntax => Some("error[syntax]"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptCase {
    name: String,
    kind: String,
    #[serde(default)]
    generate: Option<String>,
    expect: Expect,
    /// How `check` ends, when the lab's world changes it.
    #[serde(default)]
    check: Option<Expect>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    formats: bool,
    #[serde(default)]
    known_bug: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCase {
    name: String,
    kind: String,
    #[serde(default)]
    generate: Option<String>,
    exits: BTreeMap<String, i32>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    messages: BTreeMap<String, String>,
    #[serde(default)]
    formats: bool,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    known_bug: Option<String>,
}

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(format!("{CORPUS}/cases.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// One finished process.
struct Ran {
    args: Vec<String>,
    code: Option<i32>,
    out: String,
    err: String,
    took: Duration,
}

impl Ran {
    fn both(&self) -> String {
        format!("{}{}", self.out, self.err)
    }

    /// The process ended by itself, in time, without a panic; `Err` says how it did not.
    fn survived(&self) -> Result<(), String> {
        let shown = || {
            let mut both = self.both();
            if both.len() > 600 {
                let mut end = 600;
                while !both.is_char_boundary(end) {
                    end -= 1;
                }
                both.truncate(end);
                both.push('…');
            }
            both
        };
        match self.code {
            None => Err(format!(
                "{:?}: killed (by a signal or the {TIMEOUT:?} timeout) after {:?}\n{}",
                self.args,
                self.took,
                shown()
            )),
            Some(101) => Err(format!("{:?}: panicked (exit 101)\n{}", self.args, shown())),
            Some(_) if self.took > WALL => Err(format!(
                "{:?}: took {:?}, more than {WALL:?}",
                self.args, self.took
            )),
            Some(_) if self.err.contains("panicked at") => Err(format!(
                "{:?}: a panic message on stderr\n{}",
                self.args,
                shown()
            )),
            Some(_) => Ok(()),
        }
    }

    fn expect(&self, code: i32, message: Option<&str>) -> Result<(), String> {
        self.survived()?;
        if self.code != Some(code) {
            return Err(format!(
                "{:?}: exit {:?}, expected {code}\n{}",
                self.args,
                self.code,
                self.both().chars().take(600).collect::<String>()
            ));
        }
        if let Some(m) = message {
            if !self.both().contains(m) {
                return Err(format!(
                    "{:?}: the output does not contain {m:?}\n{}",
                    self.args,
                    self.both().chars().take(600).collect::<String>()
                ));
            }
        }
        Ok(())
    }
}

fn exec(args: &[String]) -> Ran {
    let started = Instant::now();
    let o = amilab()
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .timeout(TIMEOUT)
        .args(args)
        .output()
        .unwrap();
    if started.elapsed() > Duration::from_secs(8) {
        eprintln!("slow: {args:?} took {:?}", started.elapsed());
    }
    Ran {
        args: args.to_vec(),
        code: o.status.code(),
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
        err: String::from_utf8_lossy(&o.stderr).into_owned(),
        took: started.elapsed(),
    }
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A job: a name for the report and the checks it makes.
type Job = (String, Box<dyn FnOnce() -> Result<(), String> + Send>);

/// Runs `jobs` on [`WORKERS`] threads; returns every failure and the time taken.
fn run_all(jobs: Vec<Job>) -> Duration {
    let started = Instant::now();
    let queue = Mutex::new(jobs);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let Some((name, job)) = queue.lock().unwrap().pop() else {
                    break;
                };
                let t = Instant::now();
                if let Err(e) = job() {
                    failures.lock().unwrap().push(format!("{name}: {e}"));
                }
                if t.elapsed() > Duration::from_secs(10) {
                    eprintln!("hostile case {name} took {:?}", t.elapsed());
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} hostile case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    started.elapsed()
}

/// Deterministic bytes that are not UTF-8, with NULs and controls among them.
fn binary(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if i % 97 == 0 {
                0xff
            } else {
                x as u8
            }
        })
        .collect()
}

fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

/// The generated inputs, by the name `generate:` gives them.
fn generate(what: &str) -> Vec<u8> {
    const MIB2: usize = 2 * 1024 * 1024;
    let lab = std::fs::read_to_string(format!("{CORPUS}/labs/baseline/lab.yaml")).unwrap();
    let quiz = std::fs::read_to_string(format!("{CORPUS}/quizzes/baseline.yaml")).unwrap();
    let text = match what {
        "deep-parens" => format!("let x = {};", nest("(", "1", ")", 5000)),
        "deep-blocks" => nest("{ ", "let x = 1;", " }", 5000),
        "deep-arrays" => format!("let x = {};", nest("[", "1", "]", 5000)),
        "deep-maps" => format!("let x = {};", nest("#{a: ", "1", "}", 3000)),
        "deep-closures" => format!("let f = {}1;", "|| ".repeat(3000)),
        "deep-if" => nest("if true { ", "print(1);", " }", 3000),
        "deep-unary" => format!("let x = {}1;", "-".repeat(50_000)),
        "deep-calls" => format!("let x = {};", nest("abs(", "1", ")", 5000)),
        "many-variables" => (0..2100).map(|i| format!("let v{i} = {i};\n")).collect(),
        "many-functions" => (0..300).map(|i| format!("fn f{i}() {{ {i} }}\n")).collect(),
        "lines-200k" => format!("{}print(\"never runs\");\n", "\n".repeat(199_999)),
        "two-megabytes" => "// padding\n".repeat(MIB2 / 11 + 1),
        "lines-at-limit" => {
            let line = "n += 1;\n";
            let n = (amilab::limits::MAX_SCRIPT_BYTES as usize - 40) / line.len();
            format!("let n = 0;\n{}print(n);\n", line.repeat(n))
        }
        "long-line" => format!("let s = \"{}\";\nprint(s.len());\n", "x".repeat(120_000)),
        "empty" => String::new(),
        "not-utf8" => return b"print(\"caf\xe9 \xff\xfe\");\n".to_vec(),
        "binary" => return binary(4096),
        "nul-bytes" => "let s = \"a\0b\";\nprint(s.len());\n".into(),
        "byte-order-mark" => "\u{feff}print(\"bom\");\n".into(),
        "lone-carriage-returns" => "print(1);\rprint(2);\r\rprint(3);\r".into(),
        "lab-deep-nesting" => format!("{lab}\nobjectives: {}\n", nest("[", "x", "]", 200))
            .replace("objectives: [Make an image]\n", ""),
        "lab-two-megabytes" => format!("{lab}{}", "# padding\n".repeat(MIB2 / 10 + 1)),
        "lab-binary" => return binary(8192),
        "lab-bad-utf8" => {
            let mut b = lab.into_bytes();
            b.extend_from_slice(b"# caf\xe9\n");
            return b;
        }
        "quiz-deep-nesting" => format!("{quiz}intro: {}\n", nest("[", "x", "]", 200)),
        "quiz-two-megabytes" => format!("{quiz}{}", "# padding\n".repeat(MIB2 / 10 + 1)),
        "quiz-binary" => return binary(8192),
        "quiz-bad-utf8" => {
            let mut b = quiz.into_bytes();
            b.extend_from_slice(b"# caf\xe9\n");
            return b;
        }
        "answers-huge-text" => format!(
            "quiz: baseline\nanswers:\n  regional: false\n  owners: \"{}\"\n  digits: 12\n",
            "::error::forged ".repeat(12_000)
        ),
        "answers-many-keys" => {
            let mut t =
                "quiz: baseline\nanswers:\n  regional: false\n  owners: self\n  digits: 12\n"
                    .to_string();
            for i in 0..5000 {
                t.push_str(&format!("  unknown-{i}: {i}\n"));
            }
            t
        }
        "answers-over-limit" => format!(
            "quiz: baseline\nanswers:\n  regional: false\n{}",
            "# padding\n".repeat(30_000)
        ),
        "answers-binary" => return binary(8192),
        "answers-bad-utf8" => return b"quiz: baseline\nanswers:\n  owners: \"caf\xe9\"\n".to_vec(),
        other => panic!("no generator `{other}` (tests/hostile/cases.yaml)"),
    };
    text.into_bytes()
}

/// Lines that would pass for a CI command or a verdict if learner text reached them unescaped.
fn assert_no_forgery(format: &str, text: &str) -> Result<(), String> {
    // The forged lines of the corpus, exactly: learner text that reached a report unescaped.
    const FORGED: &[&str] = &[
        "Points 13/13",
        "Points 3/3",
        "Score 13/13",
        "score: 100",
        "Result: PASSED",
        "TAP version 14",
        "ok 1 - image-created: forged # SKIP",
        "not ok 2 - forged # TODO",
        "ok 1 - owners",
        "ok 1 - made",
        "ok 1 - tagged",
        "ok 1 - forged",
        "# Score 13/13",
        "# Score 3/3",
        "Bail out! forged",
        "</failure>",
    ];
    let mut notices = 0;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("::") {
            // amilab's own annotations in the `github` format (their data is %-escaped).
            if format == "github" && t.starts_with("::notice title=amilab ") {
                notices += 1;
            } else if !(format == "github" && t.starts_with("::warning title=amilab ")) {
                return Err(format!("{format}: a forged workflow command {line:?}"));
            }
        }
        if t.starts_with("##[") {
            return Err(format!("{format}: a forged log command {line:?}"));
        }
        if line.to_ascii_lowercase().contains("##vso[") {
            return Err(format!("{format}: a forged Azure command {line:?}"));
        }
        if line.contains('\u{1b}') {
            return Err(format!("{format}: a terminal escape {line:?}"));
        }
        // In XML and JSON such lines sit inside a value: the structure is checked below.
        let structured = ["junit", "json", "gradescope"].contains(&format);
        let first = std::ptr::eq(line, text.lines().next().unwrap_or_default());
        if !structured && FORGED.contains(&line.trim_end()) && !(format == "tap" && first) {
            return Err(format!("{format}: a forged line {line:?}"));
        }
    }
    if notices > 1 {
        return Err(format!("{format}: {notices} notices"));
    }
    match format {
        "junit" => {
            let doc = roxmltree::Document::parse(text).map_err(|e| format!("junit: {e}"))?;
            if doc
                .descendants()
                .any(|n| n.attribute("name") == Some("forged"))
            {
                return Err("junit: a forged test case".into());
            }
        }
        "json" | "gradescope" => {
            let v: Value = serde_json::from_str(text).map_err(|e| format!("{format}: {e}"))?;
            let tests = v["tests"].as_array().or(v["items"].as_array());
            if tests.is_some_and(|t| t.iter().any(|t| t["name"] == "forged")) {
                return Err(format!("{format}: a forged test"));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The first lab of the course, copied with tight limits so that limit cases end quickly.
fn fast_lab(root: &Path) -> PathBuf {
    let course = std::fs::read_to_string("course.yaml").unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&course).unwrap();
    let id = v["labs"][0].as_str().unwrap().to_string();
    let dir = root.join(&id);
    copy_dir(&Path::new("labs").join(&id), &dir);
    let yaml = dir.join("lab.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    assert!(!text.contains("\nlimits:"), "{id} sets limits already");
    text.push_str("\nlimits: {operations: 300000, deadline_seconds: 2}\n");
    std::fs::write(&yaml, text).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The number of checks of the lab at `dir`.
fn check_count(dir: &Path) -> usize {
    let text = std::fs::read_to_string(dir.join("lab.yaml")).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    v["checks"].as_sequence().unwrap().len()
}

fn script_case(c: &ScriptCase, path: &Path, lab: &Path, checks: usize) -> Result<(), String> {
    let ran = exec(&args(&["run", "--format", "plain", s(path)]));
    if let Some(bug) = &c.known_bug {
        ran.survived()?;
        let checked = exec(&args(&["check", s(lab), s(path), "--format", "json"]));
        checked.survived()?;
        eprintln!("hostile case {} is a known bug: {bug}", c.name);
        return Ok(());
    }
    let label = c.expect.label();
    ran.expect(c.expect.run_exit(), label)?;
    let stopped_in_time = |r: &Ran| {
        if c.expect == Expect::Limit && r.took > LIMIT_WALL {
            return Err(format!(
                "{:?}: stopped after {:?}, more than {LIMIT_WALL:?}",
                r.args, r.took
            ));
        }
        Ok(())
    };
    stopped_in_time(&ran)?;
    if let Some(m) = &c.message {
        ran.expect(c.expect.run_exit(), Some(m))?;
    }

    let expect = c.check.unwrap_or(c.expect);
    let checked = exec(&args(&["check", s(lab), s(path), "--format", "json"]));
    checked.expect(expect.check_exit(), None)?;
    stopped_in_time(&checked)?;
    if let Some(status) = expect.status() {
        let v: Value = serde_json::from_str(&checked.out)
            .map_err(|e| format!("check json: {e}\n{}", checked.both()))?;
        let sub = &v["submission"];
        if sub["status"] != status {
            return Err(format!(
                "check: submission status {}, expected {status}",
                sub["status"]
            ));
        }
        let items = v["items"].as_array().map(Vec::as_slice).unwrap_or_default();
        if expect == Expect::Syntax {
            if !items.is_empty() && v["outcome"] != "error" {
                return Err(format!("check: a syntax error graded as {}", v["outcome"]));
            }
        } else {
            // The state reached is graded: every check of the lab, each passed or not.
            if items.len() != checks {
                return Err(format!(
                    "check: {} item(s) graded, expected {checks}",
                    items.len()
                ));
            }
            if let Some(i) = items.iter().find(|i| {
                !["passed", "failed", "partial"].contains(&i["status"].as_str().unwrap_or(""))
            }) {
                return Err(format!("check: an item not graded: {i}"));
            }
        }
        if expect == Expect::Limit && v["outcome"] != "error" {
            return Err(format!("check: outcome {} after a limit", v["outcome"]));
        }
        if let (Some(m), Expect::Runtime) = (&c.message, expect) {
            let said = sub["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
                + sub["error"]["code"].as_str().unwrap_or_default();
            if !said.contains(m.as_str()) {
                return Err(format!("check: the error {said:?} does not contain {m:?}"));
            }
        }
    } else if let Some(m) = &c.message {
        checked.expect(expect.check_exit(), Some(m))?;
    }
    if c.formats {
        for format in FORMATS {
            let ran = exec(&args(&["check", s(lab), s(path), "--format", format]));
            ran.expect(expect.check_exit(), None)?;
            assert_no_forgery(format, &ran.out)?;
        }
    }
    Ok(())
}

/// Where a case's file is: committed under `tests/hostile/<dir>/`, or generated into `tmp`.
fn case_file(dir: &str, c: &FileCase, committed: &str, tmp: &Path) -> PathBuf {
    match &c.generate {
        Some(g) => {
            let path = tmp.join(format!("{dir}-{}.yaml", c.name));
            std::fs::write(&path, generate(g)).unwrap();
            path
        }
        None => PathBuf::from(format!("{CORPUS}/{dir}/{committed}")),
    }
}

fn file_case(c: &FileCase, runs: Vec<(String, Vec<String>)>) -> Result<(), String> {
    for (surface, argv) in runs {
        let Some(&code) = c.exits.get(&surface) else {
            continue;
        };
        let ran = exec(&argv);
        if c.known_bug.is_some() {
            ran.survived()?;
            continue;
        }
        let message = c.messages.get(&surface).or(c.message.as_ref());
        ran.expect(code, message.map(String::as_str).filter(|_| code != 0))
            .map_err(|e| format!("{surface}: {e}"))?;
        if c.formats && (surface == "check" || surface == "grade") {
            for format in FORMATS {
                let mut argv = argv.clone();
                argv.extend(args(&["--format", format]));
                let ran = exec(&argv);
                ran.expect(code, None)?;
                assert_no_forgery(format, &ran.out)?;
            }
        }
    }
    for surface in c.exits.keys().chain(c.messages.keys()) {
        assert!(
            ["show", "validate", "check", "run", "grade", "template"].contains(&surface.as_str()),
            "{}: unknown surface `{surface}`",
            c.name
        );
    }
    Ok(())
}

#[test]
fn hostile_scripts() {
    let m = manifest();
    let tmp = tempfile::tempdir().unwrap();
    let lab = fast_lab(tmp.path());
    let checks = check_count(&lab);
    let mut jobs: Vec<Job> = Vec::new();
    for c in m.scripts {
        let path = match &c.generate {
            Some(g) => {
                let p = tmp.path().join(format!("{}.rhai", c.name));
                std::fs::write(&p, generate(g)).unwrap();
                p
            }
            None => PathBuf::from(format!("{CORPUS}/scripts/{}.rhai", c.name)),
        };
        let lab = lab.clone();
        jobs.push((
            format!("script {} ({})", c.name, c.kind),
            Box::new(move || script_case(&c, &path, &lab, checks)),
        ));
    }
    let took = run_all(jobs);
    eprintln!("hostile scripts: {took:?}");
}

#[test]
fn hostile_labs() {
    let m = manifest();
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("hello.rhai");
    std::fs::write(&script, "print(\"hello\");\n").unwrap();
    let mut jobs: Vec<Job> = Vec::new();
    for c in m.labs {
        // The lab in a directory of its own name, with the baseline's starter and solution.
        let dir = tmp.path().join(&c.name);
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["starter.rhai", "solution.rhai"] {
            std::fs::copy(format!("{CORPUS}/labs/baseline/{f}"), dir.join(f)).unwrap();
        }
        let yaml = dir.join("lab.yaml");
        match &c.generate {
            Some(g) => std::fs::write(&yaml, generate(g)).unwrap(),
            None => {
                std::fs::copy(format!("{CORPUS}/labs/{}/lab.yaml", c.name), &yaml).unwrap();
            }
        }
        let d = s(&dir).to_string();
        let sc = s(&script).to_string();
        let runs = vec![
            ("show".to_string(), args(&["lab", "show", &d])),
            ("validate".to_string(), args(&["validate", &d])),
            ("check".to_string(), args(&["check", &d, &sc])),
            ("run".to_string(), args(&["run", "--lab", &d, &sc])),
        ];
        jobs.push((
            format!("lab {} ({})", c.name, c.kind),
            Box::new(move || file_case(&c, runs)),
        ));
    }
    let took = run_all(jobs);
    eprintln!("hostile labs: {took:?}");
}

#[test]
fn hostile_quizzes() {
    let m = manifest();
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs: Vec<Job> = Vec::new();
    for c in m.quizzes {
        let quiz = case_file("quizzes", &c, &format!("{}.yaml", c.name), tmp.path());
        let answers = tmp.path().join(format!("answers-for-{}.yaml", c.name));
        std::fs::write(
            &answers,
            format!(
                "quiz: {}\nanswers:\n  regional: false\n  owners: self\n  digits: 12\n",
                c.name
            ),
        )
        .unwrap();
        let q = s(&quiz).to_string();
        let a = s(&answers).to_string();
        let runs = vec![
            ("validate".to_string(), args(&["validate", &q])),
            ("grade".to_string(), args(&["quiz", "grade", &q, &a])),
            ("template".to_string(), args(&["quiz", "template", &q])),
        ];
        jobs.push((
            format!("quiz {} ({})", c.name, c.kind),
            Box::new(move || file_case(&c, runs)),
        ));
    }
    let took = run_all(jobs);
    eprintln!("hostile quizzes: {took:?}");
}

#[test]
fn hostile_answers() {
    let m = manifest();
    let tmp = tempfile::tempdir().unwrap();
    let quiz = format!("{CORPUS}/quizzes/baseline.yaml");
    let mut jobs: Vec<Job> = Vec::new();
    for c in m.answers {
        let answers = case_file("answers", &c, &format!("{}.yaml", c.name), tmp.path());
        let mut argv = args(&["quiz", "grade", &quiz, s(&answers)]);
        argv.extend(c.args.iter().cloned());
        let runs = vec![("grade".to_string(), argv)];
        jobs.push((
            format!("answers {} ({})", c.name, c.kind),
            Box::new(move || file_case(&c, runs)),
        ));
    }
    let took = run_all(jobs);
    eprintln!("hostile answers: {took:?}");
}

/// Every committed file is a case, every case that is not generated has its file, and the
/// corpus keeps its size.
#[test]
fn the_manifest_and_the_files_agree() {
    let m = manifest();
    let listed = |dir: &str, ext: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(format!("{CORPUS}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "baseline" && n != "baseline.yaml")
            .map(|n| n.trim_end_matches(ext).to_string())
            .collect();
        names.sort();
        names
    };
    let cases = |names: Vec<(&String, &Option<String>)>| -> Vec<String> {
        let mut n: Vec<String> = names
            .into_iter()
            .filter(|(_, g)| g.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        listed("scripts", ".rhai"),
        cases(m.scripts.iter().map(|c| (&c.name, &c.generate)).collect())
    );
    assert_eq!(
        listed("labs", ""),
        cases(m.labs.iter().map(|c| (&c.name, &c.generate)).collect())
    );
    assert_eq!(
        listed("quizzes", ".yaml"),
        cases(m.quizzes.iter().map(|c| (&c.name, &c.generate)).collect())
    );
    assert_eq!(
        listed("answers", ".yaml"),
        cases(m.answers.iter().map(|c| (&c.name, &c.generate)).collect())
    );
    let total = m.scripts.len() + m.labs.len() + m.quizzes.len() + m.answers.len();
    assert!(total >= 60, "{total} cases");
}

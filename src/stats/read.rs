//! Reading a graded class: the `results.jsonl` lines `amilab grade` writes, checked for one
//! content, one line per learner, and well-formed lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::io_reason;
use crate::report::escape::one_line as safe;

/// The file `amilab grade --out DIR` writes in DIR.
pub const RESULTS_FILE: &str = "results.jsonl";

/// What was graded: the same for every line of a class.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Content {
    /// `lab`, `quiz` or `assignment`.
    pub kind: String,
    /// The lab's, quiz's or assignment's id.
    pub id: String,
    /// sha256 (hex) of the content as graded: two lines with different hashes graded
    /// different versions of it.
    pub sha256: String,
}

/// One learner's line of `results.jsonl` (unknown fields are ignored: `grade` may add some).
#[derive(Debug, Clone, Deserialize)]
pub struct ResultLine {
    pub learner: String,
    /// The submitted file, as `grade` names it.
    #[serde(default)]
    pub submission: String,
    pub content: Content,
    /// AWS error code → how many times it occurs in this learner's API trail.
    #[serde(default)]
    pub aws_errors: BTreeMap<String, u64>,
    pub result: GradedRun,
}

/// The part of `amilab check --format json`'s result (`report::RunResult`) that statistics
/// read; defined here so that this module reads the file format, not the grader's types.
#[derive(Debug, Clone, Deserialize)]
pub struct GradedRun {
    #[serde(default)]
    pub title: String,
    pub score: f64,
    pub max_score: f64,
    pub passed: bool,
    /// `passed`, `failed` or `error` (could not be graded).
    pub outcome: RunOutcome,
    /// Why the run could not be graded.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub items: Vec<GradedItem>,
}

/// A run's overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Passed,
    Failed,
    Error,
}

/// One graded item of a run (a lab check, a quiz question).
#[derive(Debug, Clone, Deserialize)]
pub struct GradedItem {
    pub id: String,
    pub name: String,
    /// Points earned, after any hint penalty.
    pub points: f64,
    pub max_points: f64,
    pub status: ItemStatus,
    #[serde(default)]
    pub hints_used: u32,
}

/// An item's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Passed,
    Failed,
    Partial,
    Error,
}

/// A learner's line and where it was read.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: ResultLine,
    /// The file it came from, as given (a directory's `results.jsonl` joined to it).
    pub file: PathBuf,
    /// 1-based line number.
    pub line_no: usize,
}

/// A class read from one or more files: records sorted by learner, and the files read.
#[derive(Debug, Clone)]
pub struct Class {
    pub content: Content,
    /// The content's title, from the first line that has one.
    pub title: String,
    pub records: Vec<Record>,
    pub files: Vec<PathBuf>,
}

/// Reads `inputs` (results files, or directories holding `results.jsonl`) into one class.
///
/// # Errors
/// A message for exit code 2 naming the file (and line) when a file cannot be read, a line is
/// not a result, the lines grade different content, a learner appears twice, or nothing is
/// there at all.
pub fn read_class(inputs: &[PathBuf]) -> Result<Class, String> {
    let mut files = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    for input in inputs {
        let file = results_file(input)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read `{}`: {}", file.display(), io_reason(&e)))?;
        records.extend(parse(&file, &text)?);
        files.push(file);
    }
    let Some(first) = records.first() else {
        let names: Vec<String> = files.iter().map(|f| format!("`{}`", f.display())).collect();
        return Err(format!(
            "no results in {}: every file is empty\n  = help: run `amilab grade … --out DIR` first, then `amilab stats DIR`",
            names.join(", ")
        ));
    };
    let (content, first_file, first_line) = (
        first.line.content.clone(),
        first.file.clone(),
        first.line_no,
    );
    for r in &records {
        let c = &r.line.content;
        if c != &content {
            return Err(format!(
                "the results grade different content: `{}` line {first_line} has {} `{}` (sha256 {}), `{}` line {} has {} `{}` (sha256 {})\n  = help: give `amilab stats` the results of one lab, quiz or assignment, graded from the same version",
                first_file.display(),
                safe(&content.kind),
                safe(&content.id),
                safe(short(&content.sha256)),
                r.file.display(),
                r.line_no,
                safe(&c.kind),
                safe(&c.id),
                safe(short(&c.sha256)),
            ));
        }
    }
    let mut seen: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in &records {
        if let Some(earlier) = seen.insert(r.line.learner.as_str(), r) {
            return Err(format!(
                "learner `{}` appears twice: `{}` line {} and `{}` line {}\n  = help: each learner must be graded once; drop one of the lines, or give each shard once",
                safe(&r.line.learner),
                earlier.file.display(),
                earlier.line_no,
                r.file.display(),
                r.line_no
            ));
        }
    }
    records.sort_by(|a, b| a.line.learner.cmp(&b.line.learner));
    let title = records
        .iter()
        .map(|r| r.line.result.title.as_str())
        .find(|t| !t.is_empty())
        .unwrap_or(&content.id)
        .to_string();
    Ok(Class {
        content,
        title,
        records,
        files,
    })
}

/// The first 12 hex digits of a hash, enough to tell two apart in a message.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// `input` itself, or `input/results.jsonl` when it is a directory.
fn results_file(input: &Path) -> Result<PathBuf, String> {
    if input.is_dir() {
        let file = input.join(RESULTS_FILE);
        if file.is_file() {
            Ok(file)
        } else {
            Err(format!(
                "`{}` is a directory without a `{RESULTS_FILE}`\n  = help: give the `--out` directory of `amilab grade`, or a results file",
                input.display()
            ))
        }
    } else if input.exists() {
        Ok(input.to_path_buf())
    } else {
        Err(format!("cannot read `{}`: no such file", input.display()))
    }
}

/// The records of one file's text; blank lines are skipped.
fn parse(file: &Path, text: &str) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: ResultLine = serde_json::from_str(raw).map_err(|e| {
            format!(
                "`{}` line {line_no}, column {}: not a result line: {}\n  = help: each line must be one JSON object as `amilab grade` writes it",
                file.display(),
                e.column(),
                strip_position(&e.to_string())
            )
        })?;
        check_numbers(&line)
            .map_err(|why| format!("`{}` line {line_no}: {why}", file.display()))?;
        out.push(Record {
            line,
            file: file.to_path_buf(),
            line_no,
        });
    }
    Ok(out)
}

/// serde_json's message without its own ` at line L column C` (the message says where).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Scores that statistics could not use: negative maxima, points above the maximum.
fn check_numbers(line: &ResultLine) -> Result<(), String> {
    if line.learner.trim().is_empty() {
        return Err("the learner is empty".to_string());
    }
    let r = &line.result;
    if r.max_score < 0.0 || r.score < 0.0 || r.score > r.max_score + 1e-6 {
        return Err(format!(
            "score {} out of {} is not a score (0 ≤ score ≤ max_score)",
            r.score, r.max_score
        ));
    }
    for item in &r.items {
        if item.max_points < 0.0 || item.points < 0.0 || item.points > item.max_points + 1e-6 {
            return Err(format!(
                "item `{}` has {} points out of {} (0 ≤ points ≤ max_points)",
                safe(&item.id),
                item.points,
                item.max_points
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(learner: &str, id: &str) -> String {
        format!(
            r#"{{"learner":"{learner}","content":{{"kind":"lab","id":"{id}","sha256":"ab"}},"result":{{"score":1,"max_score":2,"passed":false,"outcome":"failed","items":[{{"id":"a","name":"A","points":1,"max_points":2,"status":"partial"}}]}},"extra":1}}"#
        )
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_sorted_and_ignores_unknown_fields_and_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "r.jsonl",
            &format!("{}\n\n{}\n", line("bob", "x"), line("alice", "x")),
        );
        let class = read_class(&[f]).unwrap();
        let names: Vec<&str> = class
            .records
            .iter()
            .map(|r| r.line.learner.as_str())
            .collect();
        assert_eq!(names, ["alice", "bob"]);
        assert_eq!(class.records[0].line_no, 3);
        assert_eq!(class.title, "x", "no title: the id");
    }

    #[test]
    fn a_directory_means_its_results_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), RESULTS_FILE, &line("a", "x"));
        let class = read_class(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(class.files, [dir.path().join(RESULTS_FILE)]);
        let empty = tempfile::tempdir().unwrap();
        let e = read_class(&[empty.path().to_path_buf()]).unwrap_err();
        assert!(e.contains("without a `results.jsonl`"), "{e}");
    }

    #[test]
    fn refuses_malformed_mixed_duplicate_and_empty() {
        let dir = tempfile::tempdir().unwrap();
        let bad = write(
            dir.path(),
            "bad.jsonl",
            &format!("{}\n{{\"learner\":\n", line("a", "x")),
        );
        let e = read_class(&[bad]).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "`{}` line 2, column",
                dir.path().join("bad.jsonl").display()
            )),
            "{e}"
        );

        let one = write(dir.path(), "one.jsonl", &line("a", "x"));
        let two = write(dir.path(), "two.jsonl", &line("b", "y"));
        let e = read_class(&[one.clone(), two]).unwrap_err();
        assert!(
            e.contains("one.jsonl` line 1 has lab `x`")
                && e.contains("two.jsonl` line 1 has lab `y`"),
            "{e}"
        );

        let e = read_class(&[one.clone(), one]).unwrap_err();
        assert!(e.starts_with("learner `a` appears twice"), "{e}");

        let empty = write(dir.path(), "empty.jsonl", "\n");
        let e = read_class(&[empty]).unwrap_err();
        assert!(e.starts_with("no results in"), "{e}");

        let over = write(
            dir.path(),
            "over.jsonl",
            &line("a", "x").replace(r#""points":1,"#, r#""points":3,"#),
        );
        let e = read_class(&[over]).unwrap_err();
        assert!(e.contains("line 1: item `a` has 3 points out of 2"), "{e}");
    }
}

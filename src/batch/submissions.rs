//! Finding a class's submissions: one file or folder per learner in the submissions folder,
//! the learner id being its name or what a learner map says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What a submission file may be called, by what is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// A lab: a script `NAME.rhai`, or a folder holding it.
    Script,
    /// A quiz: an answers file `NAME.yaml` (or `NAME.answers.yaml`), or a folder holding it.
    Answers,
    /// An assignment: folders only (a learner's workspace, or a flat folder of their files).
    Folder,
}

impl Accepts {
    /// The learner id a file called `name` stands for, if such a file is a submission.
    fn learner_of_file(self, name: &str) -> Option<&str> {
        match self {
            Accepts::Script => name.strip_suffix(".rhai"),
            Accepts::Answers => [".answers.yaml", ".answers.yml", ".yaml", ".yml"]
                .iter()
                .find_map(|s| name.strip_suffix(s)),
            Accepts::Folder => None,
        }
        .filter(|stem| !stem.is_empty())
    }

    fn what(self) -> &'static str {
        match self {
            Accepts::Script => "a `.rhai` script or a folder",
            Accepts::Answers => "a `.yaml` answers file or a folder",
            Accepts::Folder => "a folder",
        }
    }
}

/// One learner's submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The learner id.
    pub learner: String,
    /// The entry's name in the submissions folder, with `/` after a folder (`alice.rhai`,
    /// `bob/`): how results and messages name it, whatever machine graded it.
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
}

impl Submission {
    /// Whether the submission is a folder.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// Lower-case hex sha256 of what the submission holds: a file's length and bytes; for a
    /// folder, every file below it but hidden ones (`.git/`), in path order, each as its relative
    /// path, a NUL, its length and its bytes (a file over 1 MiB by its length and modification
    /// time). A file that cannot be read counts by its error, so the digest (and a resumed
    /// batch's decision to grade again) changes when it becomes readable.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        if self.is_dir() {
            let mut files = Vec::new();
            walk(&self.path, Path::new(""), &mut files);
            files.sort();
            for rel in files {
                hasher.update(rel.to_string_lossy().as_bytes());
                hasher.update([0]);
                add_file(&mut hasher, &self.path.join(&rel));
            }
        } else {
            add_file(&mut hasher, &self.path);
        }
        hex(&hasher.finalize())
    }
}

/// Files larger than this are hashed by their size and modification time, not their bytes: a
/// learner's folder may hold a dataset of gigabytes that is never graded, and reading it would
/// stall the batch. The graded file is never that large (scripts and answers have limits far
/// below).
const HASHED_WHOLE_UP_TO: u64 = 1024 * 1024;

fn add_file(hasher: &mut Sha256, path: &Path) {
    use std::io::Read;
    // Only regular files are read: a FIFO would block the batch, a device never end.
    let meta = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => return hasher.update(b"not a regular file"),
        Err(e) => return hasher.update(format!("unreadable: {e}").as_bytes()),
    };
    hasher.update(meta.len().to_be_bytes());
    if meta.len() > HASHED_WHOLE_UP_TO {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        return hasher.update(format!("large, modified {modified}").as_bytes());
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| f.take(HASHED_WHOLE_UP_TO + 1).read_to_end(&mut bytes));
    match read {
        Ok(_) => hasher.update(&bytes),
        Err(e) => hasher.update(format!("unreadable: {e}").as_bytes()),
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The files below `dir` (relative to the submission), hidden entries left out. Links are not
/// followed: a submission cannot make the grader hash the grader's machine.
fn walk(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let child = rel.join(&name);
        if kind.is_dir() {
            walk(dir, &child, out);
        } else if kind.is_file() {
            out.push(child);
        }
    }
}

/// A map from submission names to learner ids (`--learners FILE`), e.g. GitHub user names to
/// the LMS's ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearnerMap {
    /// Submission name (a file or folder name, without a trailing `/`) → learner id.
    pub by_submission: BTreeMap<String, String>,
}

impl LearnerMap {
    /// Parses a CSV file with a header row naming the columns `submission` and `learner` (others
    /// are ignored). `file` names the file in messages.
    pub fn parse(file: &str, text: &str) -> Result<LearnerMap, String> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| format!("{file}: {e}"))?
            .clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    format!(
                        "{file}:1: the header has no `{name}` column; it must name the columns `submission,learner` (found `{}`)",
                        headers.iter().collect::<Vec<_>>().join(",")
                    )
                })
        };
        let (s, l) = (column("submission")?, column("learner")?);
        let mut map = LearnerMap::default();
        let mut learners: BTreeMap<String, (String, u64)> = BTreeMap::new();
        for row in reader.records() {
            let row = row.map_err(|e| format!("{file}: {e}"))?;
            let line = row.position().map(|p| p.line()).unwrap_or(0);
            let (Some(sub), Some(learner)) = (row.get(s), row.get(l)) else {
                return Err(format!("{file}:{line}: the row has too few columns"));
            };
            let sub = sub.trim_end_matches('/').to_string();
            if sub.is_empty() || learner.is_empty() {
                return Err(format!(
                    "{file}:{line}: a row needs both a submission and a learner"
                ));
            }
            valid_learner(learner).map_err(|why| format!("{file}:{line}: {why}"))?;
            if let Some(before) = map.by_submission.insert(sub.clone(), learner.to_string()) {
                return Err(format!(
                    "{file}:{line}: `{sub}` is mapped twice (to `{before}` and to `{learner}`)"
                ));
            }
            if let Some((other, at)) = learners.insert(learner.to_string(), (sub.clone(), line)) {
                return Err(format!(
                    "{file}:{line}: the learner `{learner}` is given both `{other}` (line {at}) and `{sub}`; a learner has one submission"
                ));
            }
        }
        Ok(map)
    }
}

/// Whether `id` can be a learner id: it names the learner's report file
/// (`reports/<learner>.<ext>`), so it must be a plain file name.
pub fn valid_learner(id: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "`{}` cannot be a learner id: {why}",
            id.escape_debug()
        ))
    };
    if id.trim().is_empty() {
        return bad("it is empty");
    }
    if id.len() > 200 {
        return bad("it is longer than 200 bytes");
    }
    if id.starts_with('.') {
        return bad("it starts with a dot");
    }
    // A spreadsheet opening the gradebook would run such a cell as a formula.
    if id.starts_with(['=', '+', '-', '@']) {
        return bad("it starts with `=`, `+`, `-` or `@`, which spreadsheets read as a formula");
    }
    if id.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return bad("it holds a slash or a control character");
    }
    if id != id.trim() {
        return bad("it starts or ends with a space");
    }
    Ok(())
}

/// The submissions found in a folder, and the entries that are not submissions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Sorted by learner id.
    pub submissions: Vec<Submission>,
    /// `(entry name, why it is not a submission)`, sorted by name. Hidden entries (`.git`) are
    /// left out silently.
    pub skipped: Vec<(String, String)>,
}

/// Finds the submissions in `dir`. `Err` is a message for the instructor: the folder cannot be
/// read, two entries are the same learner, or the learner map leaves an entry out (a grade must
/// not go to a wrong or missing learner, so none of these is guessed around).
pub fn discover(dir: &Path, accepts: Accepts, map: Option<&LearnerMap>) -> Result<Found, String> {
    let shown = dir.display();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read the submissions folder `{shown}`: {}",
            crate::diagnostic::io_reason(&e)
        )
    })?;
    let mut found = Found::default();
    let mut by_learner: BTreeMap<String, Submission> = BTreeMap::new();
    let mut unmapped = Vec::new();
    let mut used: std::collections::BTreeSet<String> = Default::default();
    let mut names: Vec<(String, PathBuf, bool)> = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("cannot read the submissions folder `{shown}`: {e}"))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            found.skipped.push((
                entry.file_name().to_string_lossy().into_owned(),
                "its name is not UTF-8".into(),
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        // A link to a folder counts as a folder: classroom tools link submissions in.
        let is_dir = entry.path().is_dir();
        names.push((name, entry.path(), is_dir));
    }
    names.sort();
    for (name, path, is_dir) in names {
        let stem = if is_dir {
            Some(name.as_str())
        } else {
            accepts.learner_of_file(&name)
        };
        let Some(stem) = stem.filter(|_| is_dir || accepts != Accepts::Folder) else {
            found
                .skipped
                .push((name.clone(), format!("a submission is {}", accepts.what())));
            continue;
        };
        let learner = match map {
            Some(map) => {
                let exact = map.by_submission.get(&name);
                let by_stem = map.by_submission.get(stem);
                if let (Some(a), Some(b)) = (exact, by_stem) {
                    if stem != name && a != b {
                        return Err(format!(
                            "the learner map gives `{name}` two learners: `{a}` (as `{name}`) and `{b}` (as `{stem}`); keep one row"
                        ));
                    }
                }
                used.extend([name.clone(), stem.to_string()]);
                match exact.or(by_stem) {
                    Some(l) => l.clone(),
                    None => {
                        unmapped.push(name.clone());
                        continue;
                    }
                }
            }
            None => stem.to_string(),
        };
        if let Err(why) = valid_learner(&learner) {
            found.skipped.push((name.clone(), why));
            continue;
        }
        let shown_name = if is_dir {
            format!("{name}/")
        } else {
            name.clone()
        };
        let submission = Submission {
            learner: learner.clone(),
            name: shown_name,
            path,
        };
        if let Some(other) = by_learner.get(&learner) {
            return Err(format!(
                "`{}` and `{}` are both submissions of the learner `{learner}`; keep one (a learner is graded once)",
                other.name, submission.name
            ));
        }
        by_learner.insert(learner, submission);
    }
    if !unmapped.is_empty() {
        return Err(format!(
            "the learner map has no learner for {} in `{shown}`: {}\n  = help: add a row `submission,learner` for each, or move them out of the folder",
            amilab_text::plural(unmapped.len(), "submission", "submissions"),
            unmapped.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    // A learner in the map without a submission still gets a row: graded as `error`, "no
    // submission", rather than silently missing from the gradebook.
    if let Some(map) = map {
        for (sub, learner) in &map.by_submission {
            if used.contains(sub) {
                continue;
            }
            if let Some(other) = by_learner.get(learner) {
                return Err(format!(
                    "the learner map gives `{learner}` both `{sub}` and `{}`; a learner has one submission",
                    other.name
                ));
            }
            by_learner.insert(
                learner.clone(),
                Submission {
                    learner: learner.clone(),
                    name: sub.clone(),
                    path: dir.join(sub),
                },
            );
        }
    }
    found.submissions = by_learner.into_values().collect();
    Ok(found)
}

/// `Err` when `path` resolves (through links) outside `root`: a learner's repository can hold a
/// link to any file of the grading machine (git stores links), and grading it would show that
/// file's text in the learner's report.
pub fn confined(path: &Path, root: &Path) -> Result<(), String> {
    let (Ok(real), Ok(root_real)) = (std::fs::canonicalize(path), std::fs::canonicalize(root))
    else {
        // What cannot be resolved cannot be read either; reading it says why.
        return Ok(());
    };
    if real.starts_with(&root_real) {
        Ok(())
    } else {
        Err("it is a link to a file outside the submission; submit the file itself".to_string())
    }
}

/// The file of a folder submission that is graded: `preferred` names in order (first found
/// wins), else the one file at the folder's top whose name ends with `suffix`. `Err` says what
/// was looked for, for the learner's report.
pub fn file_in_folder(dir: &Path, preferred: &[String], suffix: &str) -> Result<PathBuf, String> {
    for rel in preferred {
        let path = dir.join(rel);
        if path.is_file() {
            return Ok(path);
        }
    }
    let mut candidates: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| n.ends_with(suffix) && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    let looked = preferred
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    match candidates.as_slice() {
        [one] => Ok(dir.join(one)),
        [] => Err(format!(
            "the submission has no {looked}, and no `*{suffix}` file at its top"
        )),
        many => Err(format!(
            "the submission has no {looked}, and several `*{suffix}` files ({}): name the one to grade {}",
            many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
            preferred.first().map(String::as_str).unwrap_or("")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, rel: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    }

    #[test]
    fn files_and_folders_are_learners_and_the_rest_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "alice.rhai");
        touch(dir.path(), "bob/lab.rhai");
        touch(dir.path(), "notes.txt");
        touch(dir.path(), ".git/config");
        let found = discover(dir.path(), Accepts::Script, None).unwrap();
        let names: Vec<_> = found
            .submissions
            .iter()
            .map(|s| (s.learner.as_str(), s.name.as_str()))
            .collect();
        assert_eq!(names, [("alice", "alice.rhai"), ("bob", "bob/")]);
        assert_eq!(found.skipped.len(), 1);
        assert_eq!(found.skipped[0].0, "notes.txt");
    }

    #[test]
    fn the_same_learner_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "alice.rhai");
        touch(dir.path(), "alice/x.rhai");
        let e = discover(dir.path(), Accepts::Script, None).unwrap_err();
        assert!(e.contains("`alice/` and `alice.rhai`"), "{e}");
    }

    #[test]
    fn a_map_renames_and_must_cover_everyone() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "octocat.rhai");
        touch(dir.path(), "hubot.rhai");
        let map = LearnerMap::parse("m.csv", "submission,learner\noctocat,s001\n").unwrap();
        let e = discover(dir.path(), Accepts::Script, Some(&map)).unwrap_err();
        assert!(e.contains("`hubot.rhai`"), "{e}");
        let map = LearnerMap::parse(
            "m.csv",
            "submission,learner\noctocat,s001\nhubot.rhai,s002\n",
        )
        .unwrap();
        let found = discover(dir.path(), Accepts::Script, Some(&map)).unwrap();
        let learners: Vec<_> = found
            .submissions
            .iter()
            .map(|s| s.learner.as_str())
            .collect();
        assert_eq!(learners, ["s001", "s002"]);
    }

    #[test]
    fn bad_maps_say_where() {
        for (text, wanted) in [
            (
                "who,learner\na,b\n",
                "m.csv:1: the header has no `submission` column",
            ),
            ("submission,learner\na,x\nb,x\n", "m.csv:3: the learner `x`"),
            (
                "submission,learner\na,x\na,y\n",
                "m.csv:3: `a` is mapped twice",
            ),
            (
                "submission,learner\na,../x\n",
                "m.csv:2: `../x` cannot be a learner id",
            ),
        ] {
            let e = LearnerMap::parse("m.csv", text).unwrap_err();
            assert!(e.starts_with(wanted), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_folder_digest_follows_its_files_not_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "a/x.rhai");
        let sub = Submission {
            learner: "a".into(),
            name: "a/".into(),
            path: dir.path().join("a"),
        };
        let before = sub.digest();
        touch(dir.path(), "a/.git/HEAD");
        assert_eq!(sub.digest(), before);
        std::fs::write(dir.path().join("a/x.rhai"), "changed").unwrap();
        assert_ne!(sub.digest(), before);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_submission_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "secret.txt");
        touch(dir.path(), "sub/inside.rhai");
        let sub = dir.path().join("sub");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), sub.join("out.rhai")).unwrap();
        std::os::unix::fs::symlink(sub.join("inside.rhai"), sub.join("in.rhai")).unwrap();
        assert!(confined(&sub.join("out.rhai"), &sub).is_err());
        assert!(confined(&sub.join("in.rhai"), &sub).is_ok());
        assert!(confined(&sub.join("inside.rhai"), &sub).is_ok());
    }

    #[test]
    fn the_graded_file_of_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "one/main.rhai");
        touch(dir.path(), "two/a.rhai");
        touch(dir.path(), "two/b.rhai");
        touch(dir.path(), "three/labs/lab-x.rhai");
        let pref = ["lab-x.rhai".to_string(), "labs/lab-x.rhai".to_string()];
        assert!(file_in_folder(&dir.path().join("one"), &pref, ".rhai")
            .unwrap()
            .ends_with("main.rhai"));
        let e = file_in_folder(&dir.path().join("two"), &pref, ".rhai").unwrap_err();
        assert!(e.contains("several"), "{e}");
        assert!(file_in_folder(&dir.path().join("three"), &pref, ".rhai")
            .unwrap()
            .ends_with("labs/lab-x.rhai"));
    }
}

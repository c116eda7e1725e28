//! The course's content as its folders hold it: the labs (`labs/<id>/`), each lab's files, the
//! quizzes (`quizzes/<id>.yaml`), and the order `course.yaml` presents them in.
//!
//! Shared, through `#[path]`, by the build script (which embeds what it finds here) and by
//! `tests/suite/course_content.rs` (which checks that the folders, `course.yaml` and the binary agree),
//! so both read the folders by one rule.

use std::io;
use std::path::Path;

/// `course.yaml`: the order of the course, as `amilab lab list`, `amilab quiz list` and
/// `amilab validate` show it. A course order (first lab first), not an alphabetical one, which
/// is why it is data and not the folders' sort order.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseOrder {
    /// Lab ids, each the name of a folder under `labs/`.
    pub labs: Vec<String>,
    /// Quiz ids, each the stem of a file `quizzes/<id>.yaml`.
    pub quizzes: Vec<String>,
}

impl CourseOrder {
    /// Parses `course.yaml`; unknown keys are errors (a misspelt `labs:` must not empty the
    /// course). Errors: the YAML error's text, with its line and column.
    pub fn parse(text: &str) -> Result<CourseOrder, String> {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }
}

/// Hidden entries (a leading `.`: editor swap files, `.DS_Store`) are not course content; a
/// swap file is not even UTF-8, and `include_str!` would fail the build while a lab is open in
/// an editor.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// The entries of `dir` as (name, is-directory), hidden ones left out, sorted by name so the
/// embedded tables are the same on every file system. Errors: the folder cannot be read, or a
/// name is not UTF-8 (it could not be a lab id or a file name in a lab.yaml).
fn entries(dir: &Path) -> io::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().into_string().map_err(|name| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: the name {name:?} is not UTF-8", dir.display()),
            )
        })?;
        if !is_hidden(&name) {
            out.push((name, entry.file_type()?.is_dir()));
        }
    }
    out.sort();
    Ok(out)
}

/// The lab ids found under `labs`: the names of its folders, sorted. Files directly in `labs`
/// are not labs and are left out.
pub fn lab_ids(labs: &Path) -> io::Result<Vec<String>> {
    Ok(entries(labs)?
        .into_iter()
        .filter(|(_, dir)| *dir)
        .map(|(name, _)| name)
        .collect())
}

/// Every file of a lab folder, at any depth, as a path relative to it with `/` separators
/// (`lab.yaml`, `wrong/no-reboot.rhai`), sorted: the keys a lab's files are found by.
pub fn lab_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(rel) = pending.pop() {
        for (name, is_dir) in entries(&dir.join(&rel))? {
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if is_dir {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The quiz ids found in `quizzes`: the stems of its `*.yaml` files, sorted.
pub fn quiz_ids(quizzes: &Path) -> io::Result<Vec<String>> {
    Ok(entries(quizzes)?
        .into_iter()
        .filter(|(_, dir)| !*dir)
        .filter_map(|(name, _)| name.strip_suffix(".yaml").map(str::to_string))
        .collect())
}

/// What was found, put in the declared order, and where the two disagree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ordered {
    /// The ids to embed: those declared and found, in the declared order, then those found but
    /// not declared (sorted), so the binary still holds everything its folders do.
    pub ids: Vec<String>,
    /// Found in the folders, missing from the declared order.
    pub unlisted: Vec<String>,
    /// Declared, but no such folder or file exists.
    pub missing: Vec<String>,
    /// Declared more than once.
    pub repeated: Vec<String>,
}

impl Ordered {
    /// True when the declared order and the folders name exactly the same ids, once each.
    pub fn agrees(&self) -> bool {
        self.unlisted.is_empty() && self.missing.is_empty() && self.repeated.is_empty()
    }
}

/// Orders `found` (ids discovered in the folders) by `declared` (ids in `course.yaml`).
pub fn order(declared: &[String], found: &[String]) -> Ordered {
    let mut out = Ordered::default();
    for (i, id) in declared.iter().enumerate() {
        if declared[..i].contains(id) {
            if !out.repeated.contains(id) {
                out.repeated.push(id.clone());
            }
        } else if found.contains(id) {
            out.ids.push(id.clone());
        } else {
            out.missing.push(id.clone());
        }
    }
    for id in found {
        if !declared.contains(id) {
            out.unlisted.push(id.clone());
            out.ids.push(id.clone());
        }
    }
    out
}

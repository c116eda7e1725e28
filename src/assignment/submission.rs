//! Where a part's file is in a submission folder: a learner's workspace (`labs/<id>.rhai`,
//! `quizzes/<id>.answers.yaml`) or a flat folder (`<id>.rhai`, `<id>.answers.yaml`).

use std::path::{Path, PathBuf};

/// What the folder holds for one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The file to grade.
    File {
        /// Relative to the submission folder, with `/` (`labs/first-golden-image.rhai`): how
        /// reports name it, the same wherever the folder is.
        rel: String,
        /// Where it is.
        path: PathBuf,
        /// Another candidate that was there too and was not graded.
        also: Option<String>,
    },
    /// No candidate exists; they are listed in the order they are looked for.
    Missing { expected: Vec<String> },
}

impl Found {
    /// `not submitted: expected `labs/x.rhai` or `x.rhai` in the submission folder`.
    pub fn missing_message(expected: &[String]) -> String {
        let names: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
        format!(
            "not submitted: expected {} in the submission folder",
            names.join(" or ")
        )
    }
}

/// The candidates of a lab's script, in order: the workspace layout, then the flat one.
pub fn lab_candidates(id: &str) -> [String; 2] {
    [
        format!("{}/{id}.rhai", crate::workspace::LABS_DIR),
        format!("{id}.rhai"),
    ]
}

/// The folder of answers files in the workspace layout.
pub const QUIZZES_DIR: &str = "quizzes";

/// The candidates of a quiz's answers file, in order: `quizzes/<id>.answers.yaml`, then
/// `<id>.answers.yaml`.
pub fn quiz_candidates(id: &str) -> [String; 2] {
    [
        format!("{QUIZZES_DIR}/{id}.answers.yaml"),
        format!("{id}.answers.yaml"),
    ]
}

/// The first candidate that is a file in `dir`. A link that leads out of `dir` does not count:
/// a learner's repository may link to any file of the grading machine (git stores links), and
/// grading it would show that file's text in the learner's report.
pub fn find(dir: &Path, candidates: &[String]) -> Found {
    let present: Vec<&String> = candidates
        .iter()
        .filter(|c| {
            let path = dir.join(c.as_str());
            path.is_file() && crate::batch::submissions::confined(&path, dir).is_ok()
        })
        .collect();
    match present.as_slice() {
        [] => Found::Missing {
            expected: candidates.to_vec(),
        },
        [first, rest @ ..] => Found::File {
            rel: (*first).clone(),
            path: dir.join(first.as_str()),
            also: rest.first().map(|r| (*r).clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_folder_is_not_a_submission() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), sub.join("lab-a.rhai")).unwrap();
        assert!(matches!(
            find(&sub, &lab_candidates("lab-a")),
            Found::Missing { .. }
        ));
    }

    #[test]
    fn the_workspace_layout_wins_and_the_other_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let c = lab_candidates("lab-a");
        assert_eq!(
            find(dir.path(), &c),
            Found::Missing {
                expected: vec!["labs/lab-a.rhai".into(), "lab-a.rhai".into()]
            }
        );
        std::fs::write(dir.path().join("lab-a.rhai"), "").unwrap();
        assert!(
            matches!(find(dir.path(), &c), Found::File { rel, also: None, .. } if rel == "lab-a.rhai")
        );
        std::fs::create_dir(dir.path().join("labs")).unwrap();
        std::fs::write(dir.path().join("labs/lab-a.rhai"), "").unwrap();
        assert!(
            matches!(find(dir.path(), &c), Found::File { rel, also: Some(a), .. }
            if rel == "labs/lab-a.rhai" && a == "lab-a.rhai")
        );
        assert_eq!(
            Found::missing_message(&quiz_candidates("q")),
            "not submitted: expected `quizzes/q.answers.yaml` or `q.answers.yaml` in the submission folder"
        );
    }
}

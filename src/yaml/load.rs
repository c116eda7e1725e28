//! Why a course file (a lab or a quiz) could not be loaded: every case is exit code 2.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::{io_reason, render_all, Diagnostic};
use amilab_text::closest;

/// The two kinds of course content, as messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// A lab (`labs/<id>/lab.yaml`).
    Lab,
    /// A quiz (`quizzes/<id>.yaml`).
    Quiz,
    /// An assignment (`assignment.yaml`): labs and quizzes graded together.
    Assignment,
}

impl ContentKind {
    fn plural(self) -> &'static str {
        match self {
            ContentKind::Lab => "labs",
            ContentKind::Quiz => "quizzes",
            ContentKind::Assignment => "assignments",
        }
    }

    /// What else the argument may be, after the list of ids.
    fn or_else(self) -> &'static str {
        match self {
            ContentKind::Lab => ", or pass the path of a lab.yaml",
            ContentKind::Quiz | ContentKind::Assignment => "",
        }
    }
}

impl fmt::Display for ContentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ContentKind::Lab => "lab",
            ContentKind::Quiz => "quiz",
            ContentKind::Assignment => "assignment",
        })
    }
}

/// Why a lab or quiz could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No built-in item has this id: the message suggests the closest and lists them all.
    #[error("{}", unknown_id(*.kind, .id, .known))]
    UnknownId {
        /// Lab or quiz.
        kind: ContentKind,
        /// The id that was asked for.
        id: String,
        /// Every built-in id, in course order.
        known: Vec<&'static str>,
    },
    /// The file could not be read.
    #[error("cannot read {kind} file `{}`: {}", .path.display(), io_reason(.source))]
    Io {
        /// Lab or quiz.
        kind: ContentKind,
        /// The file as the user named it (or as found in the directory they named).
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The file is larger than the limit for its kind; it was not parsed.
    #[error("{kind} file `{}` {}; it was not read\n  = help: no {kind} needs that much: the course's largest is under a twentieth of the limit (see \"Limits\" in the README); split the text or remove what was pasted in by mistake", .path.display(), .too_large.describe())]
    TooLarge {
        /// Lab or quiz.
        kind: ContentKind,
        /// The file as the user named it.
        path: PathBuf,
        /// Its size and the limit.
        too_large: crate::limits::TooLarge,
    },
    /// Parse or validation errors, each with its place in the file.
    #[error("{}", render_all(.0).trim_end())]
    Invalid(Vec<Diagnostic>),
}

/// Reads a lab or quiz file under its size limit ([`crate::limits`]) as UTF-8 text.
pub fn read_content(kind: ContentKind, path: &std::path::Path) -> Result<String, LoadError> {
    let limit = match kind {
        ContentKind::Lab => crate::limits::MAX_LAB_BYTES,
        ContentKind::Quiz => crate::limits::MAX_QUIZ_BYTES,
        ContentKind::Assignment => crate::limits::MAX_ASSIGNMENT_BYTES,
    };
    let io = |source| LoadError::Io {
        kind,
        path: path.to_path_buf(),
        source,
    };
    match crate::limits::read_capped(path, limit).map_err(io)? {
        crate::limits::Capped::TooLarge(too_large) => Err(LoadError::TooLarge {
            kind,
            path: path.to_path_buf(),
            too_large,
        }),
        crate::limits::Capped::Bytes(bytes) => String::from_utf8(bytes)
            // std's words for the same case (`read_to_string`).
            .map_err(|_| {
                io(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                ))
            }),
    }
}

/// One message for every unknown id: `no lab has the id `x`; did you mean `y`?` and the list.
fn unknown_id(kind: ContentKind, id: &str, known: &[&str]) -> String {
    let mut m = format!("no {kind} has the id `{id}`");
    if let Some(best) = closest(id, known.iter().copied()) {
        m.push_str(&format!("; did you mean `{best}`?"));
    }
    m.push_str(&format!(
        "\n  = help: the {} are {} (see `amilab {kind} list`){}",
        kind.plural(),
        known.join(", "),
        kind.or_else()
    ));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn unknown_ids_read_the_same_for_labs_and_quizzes() {
        let lab = LoadError::UnknownId {
            kind: ContentKind::Lab,
            id: "first-golden".into(),
            known: vec!["first-golden-image", "share-with-teammate"],
        };
        assert_eq!(
            lab.to_string(),
            "no lab has the id `first-golden`; did you mean `first-golden-image`?\n  = help: the labs are first-golden-image, share-with-teammate (see `amilab lab list`), or pass the path of a lab.yaml"
        );
        let quiz = LoadError::UnknownId {
            kind: ContentKind::Quiz,
            id: "zzz".into(),
            known: vec!["ami-anatomy"],
        };
        assert_eq!(
            quiz.to_string(),
            "no quiz has the id `zzz`\n  = help: the quizzes are ami-anatomy (see `amilab quiz list`)"
        );
    }

    #[test]
    fn io_errors_keep_their_source_and_path() {
        let e = LoadError::Io {
            kind: ContentKind::Quiz,
            path: PathBuf::from("q.yaml"),
            source: io::Error::other("gone"),
        };
        assert_eq!(e.to_string(), "cannot read quiz file `q.yaml`: gone");
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("gone"));
        let e = LoadError::Io {
            kind: ContentKind::Lab,
            path: PathBuf::from("lab.yaml"),
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        assert_eq!(
            e.to_string(),
            "cannot read lab file `lab.yaml`: no such file"
        );
    }
}

//! The quizzes shipped in the binary, and loading a quiz by id or by path.

use super::parse::parse_strict;
use super::spec::QuizSpec;
use super::validate::validate_spec;
use crate::diagnostic::Diagnostic;

/// One embedded quiz file.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub id: &'static str,
    pub path: &'static str,
    pub source: &'static str,
}

/// Every quiz shipped in the binary.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        id: "ami-anatomy",
        path: "quizzes/ami-anatomy.yaml",
        source: include_str!("../../quizzes/ami-anatomy.yaml"),
    },
    Builtin {
        id: "ami-lifecycle",
        path: "quizzes/ami-lifecycle.yaml",
        source: include_str!("../../quizzes/ami-lifecycle.yaml"),
    },
];

/// A parsed and validated quiz with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: QuizSpec,
    pub file: String,
    pub text: String,
}

use crate::yaml::load::ContentKind;
pub use crate::yaml::LoadError;

/// Parses and validates quiz text; errors (not warnings) make it invalid.
pub fn load_text(file: &str, text: &str) -> Result<Loaded, LoadError> {
    let spec: QuizSpec = parse_strict(file, text).map_err(|d| LoadError::Invalid(vec![d]))?;
    let diagnostics = validate_spec(&spec, file, text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid(diagnostics));
    }
    Ok(Loaded {
        spec,
        file: file.to_string(),
        text: text.to_string(),
    })
}

/// Loads a built-in quiz by id, or a quiz file when the argument looks like a path
/// (contains `/` or ends with `.yaml` / `.yml`).
pub fn load(id_or_path: &str) -> Result<Loaded, LoadError> {
    if id_or_path.contains('/') || id_or_path.ends_with(".yaml") || id_or_path.ends_with(".yml") {
        let text = std::fs::read_to_string(id_or_path).map_err(|source| LoadError::Io {
            kind: ContentKind::Quiz,
            path: id_or_path.into(),
            source,
        })?;
        return load_text(id_or_path, &text);
    }
    match BUILTIN.iter().find(|b| b.id == id_or_path) {
        Some(b) => load_text(b.path, b.source),
        None => Err(LoadError::UnknownId {
            kind: ContentKind::Quiz,
            id: id_or_path.to_string(),
            known: BUILTIN.iter().map(|b| b.id).collect(),
        }),
    }
}

//! The quizzes shipped in the binary, and loading a quiz by id or by path.

use super::parse::parse_strict;
use super::spec::QuizSpec;
use super::validate::validate_spec;
use crate::diagnostic::Diagnostic;

/// One embedded quiz file.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The file's stem (`ami-anatomy`).
    pub id: &'static str,
    /// The file as named in messages (`quizzes/ami-anatomy.yaml`).
    pub path: &'static str,
    /// The file's text.
    pub source: &'static str,
}

/// Every quiz shipped in the binary, in the course's order (`course.yaml`): the build script
/// (`build/main.rs`) embeds every `quizzes/<id>.yaml` (`tests/course_content.rs` checks the
/// table against the folder and `course.yaml`).
pub const BUILTIN: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/quizzes.rs"));

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
        let text = crate::yaml::load::read_content(ContentKind::Quiz, id_or_path.as_ref())?;
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

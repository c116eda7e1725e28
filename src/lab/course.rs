//! The labs shipped in the binary, and loading a lab by id, by directory or by `lab.yaml` path.

use std::path::{Path, PathBuf};

use super::spec::LabSpec;
use crate::yaml::parse_strict;

/// One embedded lab: its files as (path relative to the lab directory with `/` separators, text).
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The lab's folder name (`first-golden-image`), which is also its id.
    pub id: &'static str,
    /// Every file of the folder, sorted by path (`lab.yaml`, `wrong/no-reboot.rhai`, …).
    pub files: &'static [(&'static str, &'static str)],
}

/// Every lab shipped in the binary, in the course's order (`course.yaml`): the build script
/// (`build/main.rs`) embeds every file of every folder under `labs/`, sorted by path
/// (`tests/course_content.rs` checks the table against the folders and `course.yaml`).
pub const BUILTIN: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/labs.rs"));

/// Where a lab's files come from.
#[derive(Debug, Clone)]
pub enum Source {
    Builtin(&'static Builtin),
    Dir(PathBuf),
}

/// A parsed lab with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: LabSpec,
    /// The lab file as shown in messages (`labs/first-golden-image/lab.yaml`).
    pub file: String,
    pub text: String,
    pub source: Source,
    /// The SHA-256 of `text`, hex, computed on first use: every graded run reports it, and
    /// batch grading grades many submissions in one lab.
    text_sha256: std::sync::OnceLock<String>,
}

impl Loaded {
    /// A file of the lab, relative to its directory.
    pub fn read(&self, rel: &str) -> Result<String, String> {
        match &self.source {
            Source::Builtin(b) => b
                .files
                .iter()
                .find(|(p, _)| *p == rel)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| format!("the built-in lab `{}` has no file `{rel}`", b.id)),
            // A lab's scripts are read under the script limit (README, "Limits").
            Source::Dir(dir) => {
                let path = dir.join(rel);
                let cannot = |why: String| format!("cannot read `{}`: {why}", path.display());
                match crate::limits::read_capped(&path, crate::limits::MAX_SCRIPT_BYTES)
                    .map_err(|e| cannot(crate::diagnostic::io_reason(&e)))?
                {
                    crate::limits::Capped::TooLarge(t) => Err(format!(
                        "`{}` {}; it was not read",
                        path.display(),
                        t.describe()
                    )),
                    crate::limits::Capped::Bytes(bytes) => String::from_utf8(bytes)
                        .map_err(|_| cannot("stream did not contain valid UTF-8".to_string())),
                }
            }
        }
    }

    /// The lab file's SHA-256 (of [`Loaded::text`]), hex, computed once per `Loaded`.
    pub fn text_sha256(&self) -> &str {
        self.text_sha256
            .get_or_init(|| crate::report::SourceHash::of("", self.text.as_bytes()).sha256)
    }

    /// How commands name the lab: a built-in's id, else its directory.
    pub fn arg(&self) -> String {
        match &self.source {
            Source::Builtin(b) => b.id.to_string(),
            Source::Dir(dir) => dir.display().to_string(),
        }
    }

    /// How a file of the lab is named in messages.
    pub fn display(&self, rel: &str) -> String {
        match &self.source {
            Source::Builtin(b) => format!("labs/{}/{rel}", b.id),
            Source::Dir(dir) => dir.join(rel).display().to_string(),
        }
    }
}

use crate::yaml::load::ContentKind;
pub use crate::yaml::LoadError;

/// Parses a lab (no validation beyond the YAML shape).
pub fn parse(file: &str, text: &str, source: Source) -> Result<Loaded, LoadError> {
    let spec: LabSpec = parse_strict(file, text).map_err(|d| LoadError::Invalid(vec![d]))?;
    Ok(Loaded {
        spec,
        file: file.to_string(),
        text: text.to_string(),
        source,
        text_sha256: std::sync::OnceLock::new(),
    })
}

/// The built-in lab `id`, parsed.
pub fn builtin(b: &'static Builtin) -> Result<Loaded, LoadError> {
    let text = b
        .files
        .iter()
        .find(|(p, _)| *p == "lab.yaml")
        .map(|(_, t)| *t)
        .unwrap_or_default();
    parse(&format!("labs/{}/lab.yaml", b.id), text, Source::Builtin(b))
}

/// True when the argument names a file or directory rather than a built-in id.
pub fn looks_like_path(arg: &str) -> bool {
    arg.contains('/')
        || arg.contains('\\')
        || arg.ends_with(".yaml")
        || arg.ends_with(".yml")
        || Path::new(arg).is_dir()
}

/// Loads a built-in lab by id, or a lab from a directory or a `lab.yaml` path.
pub fn load(id_or_path: &str) -> Result<Loaded, LoadError> {
    if looks_like_path(id_or_path) {
        let path = Path::new(id_or_path);
        let file = if path.is_dir() {
            path.join("lab.yaml")
        } else {
            path.to_path_buf()
        };
        let text = crate::yaml::load::read_content(ContentKind::Lab, &file)?;
        let dir = file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        return parse(&file.display().to_string(), &text, Source::Dir(dir));
    }
    match BUILTIN.iter().find(|b| b.id == id_or_path) {
        Some(b) => builtin(b),
        None => Err(LoadError::UnknownId {
            kind: ContentKind::Lab,
            id: id_or_path.to_string(),
            known: BUILTIN.iter().map(|b| b.id).collect(),
        }),
    }
}

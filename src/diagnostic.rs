//! Diagnostics for invalid input files (quizzes, answers, labs), printed like cargo's errors.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in an input file: what went wrong, where, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The rarer parts, boxed so that `Result<_, Diagnostic>` stays small.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Box<Extra>>,
}

/// What only some diagnostics carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// The name of the rule that found it, shown as `error[name]:` (cargo's lint codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A fact that helps to act on it (`= note: reproduce with …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            line: None,
            column: None,
            hint: None,
            extra: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Sets the 1-based line and column.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Names the rule that found it (`error[name]:`).
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.extra.get_or_insert_with(Default::default).code = Some(code.into());
        self
    }

    /// Adds a `= note:` line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.extra.get_or_insert_with(Default::default).note = Some(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let extra = self.extra.as_deref();
        match extra.and_then(|e| e.code.as_deref()) {
            Some(code) => writeln!(f, "{word}[{code}]: {}", self.message)?,
            None => writeln!(f, "{word}: {}", self.message)?,
        }
        write!(f, "  --> {}", self.location())?;
        if let Some(note) = extra.and_then(|e| e.note.as_deref()) {
            write!(f, "\n  = note: {note}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Renders diagnostics one after the other, with a closing count line.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    out.push_str(&format!(
        "{}, {}\n",
        amilab_text::plural(errors, "error", "errors"),
        amilab_text::plural(warnings, "warning", "warnings")
    ));
    out
}

/// Why a file could not be read or written, in words (`no such file`, `permission denied`),
/// without the operating system's error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.rfind(" (os error ") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_code_and_a_note_render_like_cargo() {
        let d = Diagnostic::warning("lab.yaml", "hidden check `x` has 1 hint")
            .at(Some((9, 5)))
            .code("hidden-check-hints")
            .note("reproduce with `amilab check lab.yaml s.rhai --seed 3`")
            .hint("remove them");
        assert_eq!(
            d.to_string(),
            "warning[hidden-check-hints]: hidden check `x` has 1 hint\n  --> lab.yaml:9:5\n  = note: reproduce with `amilab check lab.yaml s.rhai --seed 3`\n  = help: remove them"
        );
        assert!(
            std::mem::size_of::<Diagnostic>() <= 128,
            "kept small for Result"
        );
    }

    #[test]
    fn io_reasons_without_error_numbers() {
        use std::io::{Error, ErrorKind};
        assert_eq!(io_reason(&Error::from(ErrorKind::NotFound)), "no such file");
        assert_eq!(
            io_reason(&Error::from_raw_os_error(21)),
            "Is a directory",
            "the OS's words, not its number"
        );
    }

    #[test]
    fn display_like_cargo() {
        let d = Diagnostic::error("quizzes/x.yaml", "unknown field `promt`")
            .at(Some((12, 5)))
            .hint("did you mean `prompt`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `promt`\n  --> quizzes/x.yaml:12:5\n  = help: did you mean `prompt`?"
        );
    }
}

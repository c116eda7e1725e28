//! Strict YAML parsing with cargo-like errors: what went wrong, `file:line:column`, what to do.

use serde::de::DeserializeOwned;

use crate::report::diagnostic::{closest, Diagnostic};

/// Parses `text` (the contents of `file`) strictly into `T`; never panics on bad input.
pub fn parse_strict<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| yaml_error(file, &e))
}

/// The backticked words of a serde message, in order: "unknown field `a`, expected one of `b`".
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Turns a YAML / serde error into a diagnostic with a did-you-mean where one helps.
pub fn yaml_error(file: &str, err: &serde_yaml::Error) -> Diagnostic {
    let mut text = err.to_string();
    let position = err.location().map(|l| (l.line(), l.column()));
    if let Some((line, column)) = position {
        let suffix = format!(" at line {line} column {column}");
        if let Some(stripped) = text.strip_suffix(&suffix) {
            text = stripped.to_string();
        }
    }
    // serde_yaml prefixes the path inside the document ("questions[2]: ...").
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.contains(' ') && !p.is_empty() => (Some(p.to_string()), m.to_string()),
        _ => (None, text.clone()),
    };
    let place = path
        .as_deref()
        .map(|p| format!(" in `{p}`"))
        .unwrap_or_default();
    let diag = |msg: String| Diagnostic::error(file, msg).at(position);

    if let Some(rest) = message.strip_prefix("unknown field ") {
        let words = backticked(rest);
        let (field, expected) = words
            .split_first()
            .map(|(f, e)| (*f, e.to_vec()))
            .unwrap_or(("?", vec![]));
        let mut hint = String::new();
        if let Some(best) = closest(field, expected.iter().copied()) {
            hint.push_str(&format!("did you mean `{best}`? "));
        }
        if expected.is_empty() {
            hint.push_str("remove this key");
        } else {
            hint.push_str(&format!("valid keys here: {}", expected.join(", ")));
        }
        return diag(format!("unknown field `{field}`{place}")).hint(hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let words = backticked(rest);
        let (value, expected) = words
            .split_first()
            .map(|(f, e)| (*f, e.to_vec()))
            .unwrap_or(("?", vec![]));
        let mut hint = String::new();
        if let Some(best) = closest(value, expected.iter().copied()) {
            hint.push_str(&format!("did you mean `{best}`? "));
        }
        hint.push_str(&format!("valid values: {}", expected.join(", ")));
        return diag(format!("unknown value `{value}`{place}")).hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or("?").to_string();
        return diag(format!("missing field `{field}`{place}"))
            .hint(format!("add `{field}:` here"));
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return diag(format!("{message}{place}"))
            .hint("check the value's type: quote text, write lists as `[a, b]` or `- a` lines");
    }
    if message.contains("EOF while parsing") {
        return diag("the file is empty".to_string())
            .hint("start from an existing file or `amilab quiz template`");
    }
    if message.starts_with("duplicate entry") || message.contains("duplicate field") {
        return diag(format!("{message}{place}"))
            .hint("each key may appear only once in a mapping");
    }
    diag(format!("{message}{place}"))
        .hint("this is not valid YAML here; check indentation and quoting")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        prompt: String,
        points: Option<u32>,
    }

    #[test]
    fn unknown_field_has_location_and_suggestion() {
        let d = parse_strict::<T>("x.yaml", "prompt: a\npromt: b\n").unwrap_err();
        assert_eq!(d.message, "unknown field `promt`");
        assert_eq!((d.line, d.column), (Some(2), Some(1)));
        assert_eq!(
            d.hint.as_deref(),
            Some("did you mean `prompt`? valid keys here: prompt, points")
        );
    }

    #[test]
    fn bad_yaml_never_panics() {
        for text in [
            "",
            ":",
            "- [",
            "prompt: [1, 2]",
            "\t\t\u{0}",
            "prompt: a\nprompt: b\n",
        ] {
            let result = parse_strict::<T>("x.yaml", text);
            assert!(result.is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn missing_field() {
        let d = parse_strict::<T>("x.yaml", "points: 1\n").unwrap_err();
        assert_eq!(d.message, "missing field `prompt`");
    }
}

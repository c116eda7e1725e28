//! Strict YAML parsing with cargo-like errors: what went wrong, `file:line:column`, what to do.

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;
use amilab_text::{classify, closest, Expected, Found, SerdeProblem};

/// How deep lists and maps may nest (the YAML crate's own limit; no lab or quiz nests more
/// than about ten levels).
pub const MAX_NESTING: usize = 128;

/// Parses `text` (the contents of `file`) strictly into `T`; never panics on bad input.
/// YAML merge keys (`<<: *defaults`) are resolved first, as YAML 1.1 defines them: the keys a
/// mapping writes itself win over the merged ones.
pub fn parse_strict<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    if text.contains("<<") {
        let mut value: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| yaml_error_in(file, text, &e))?;
        if has_merge_key(&value) {
            value
                .apply_merge()
                .map_err(|e| yaml_error_in(file, text, &e).at(first_merge_key(text)))?;
            // The merged document keeps no positions: the error names its path instead.
            return serde_path_to_error::deserialize(value).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                // `questions[1].points: invalid type…`, as serde_yaml words errors with a path.
                let e: serde_yaml::Error = serde::de::Error::custom(if path == "." {
                    inner
                } else {
                    format!("{path}: {inner}")
                });
                let mut d = yaml_error_in(file, text, &e);
                let note = "reported after resolving the merge keys (`<<`), which loses line numbers; the path in the message says where";
                d.extra.get_or_insert_with(Default::default).note = Some(note.to_string());
                d
            });
        }
    }
    serde_yaml::from_str(text).map_err(|e| yaml_error_in(file, text, &e))
}

/// True when some mapping in `value` has a `<<` key.
fn has_merge_key(value: &serde_yaml::Value) -> bool {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_yaml::Value::Mapping(m) => {
                if m.contains_key("<<") {
                    return true;
                }
                stack.extend(m.values());
            }
            serde_yaml::Value::Sequence(items) => stack.extend(items),
            serde_yaml::Value::Tagged(t) => stack.push(&t.value),
            _ => {}
        }
    }
    false
}

/// Where the first `<<` key is, 1-based.
fn first_merge_key(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim_start_matches([' ', '-']);
        t.starts_with("<<")
            .then(|| (i + 1, line.len() - t.len() + 1))
    })
}

/// Where the first alias (`*name`) is, 1-based, outside comments and quotes (a plain scan:
/// good enough to point at the start of an alias bomb).
fn first_alias(text: &str) -> Option<(usize, usize, &str)> {
    for (i, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        let mut quote: Option<u8> = None;
        for (j, &b) in bytes.iter().enumerate() {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'#' && (j == 0 || bytes[j - 1] == b' ') => break,
                None if b == b'*'
                    && (j == 0
                        || matches!(bytes[j - 1], b' ' | b'[' | b'{' | b',' | b'-' | b':')) =>
                {
                    let name: &str = line[j + 1..]
                        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
                        .next()
                        .unwrap_or("");
                    if !name.is_empty() {
                        return Some((i + 1, j + 1, name));
                    }
                }
                None => {}
            }
        }
    }
    None
}

/// [`yaml_error`], with the text at hand for the errors whose place the YAML crate does not
/// give (an alias bomb) and for the right hint on nesting too deep.
pub fn yaml_error_in(file: &str, text: &str, err: &serde_yaml::Error) -> Diagnostic {
    let message = err.to_string();
    if message.starts_with("repetition limit exceeded") {
        let (position, name) = match first_alias(text) {
            Some((line, column, name)) => {
                (Some((line, column)), format!(" (the first is `*{name}`)"))
            }
            None => (None, String::new()),
        };
        return Diagnostic::error(
            file,
            format!("the aliases in this file{name} expand to too many values; it was not read (an alias bomb, or aliases of aliases nested too deep)"),
        )
        .at(position)
        .hint("write the values out, or use each anchor (`&name`) through at most one level of aliases (`*name`); no course file needs more");
    }
    if message.starts_with("recursion limit exceeded") {
        return Diagnostic::error(
            file,
            format!("lists and maps are nested more than {MAX_NESTING} levels deep here; the file was not read"),
        )
        .at(err.location().map(|l| (l.line(), l.column())))
        .hint("no course file nests deeper than about ten levels: look for brackets (`[`, `{`) that are never closed, or flatten the structure");
    }
    if message.starts_with("expected a mapping")
        || message.starts_with("unexpected tagged value in merge")
    {
        return Diagnostic::error(file, format!("merge key `<<`: {message}"))
            .at(err.location().map(|l| (l.line(), l.column())))
            .hint("a merge key takes an alias of a mapping (`<<: *defaults`) or a list of them (`<<: [*a, *b]`)");
    }
    yaml_error(file, err)
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

    match classify(&message) {
        SerdeProblem::UnknownField { field, expected } => {
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
        SerdeProblem::UnknownVariant { value, expected } => {
            let mut hint = String::new();
            if let Some(best) = closest(value, expected.iter().copied()) {
                hint.push_str(&format!("did you mean `{best}`? "));
            }
            hint.push_str(&format!("valid values: {}", expected.join(", ")));
            return diag(format!("unknown value `{value}`{place}")).hint(hint);
        }
        SerdeProblem::MissingField { field } => {
            return diag(format!("missing field `{field}`{place}"))
                .hint(format!("add `{field}:` here"));
        }
        SerdeProblem::DuplicateField { field } => {
            return diag(format!("duplicate field `{field}`{place}"))
                .hint("each key may appear only once in a mapping");
        }
        SerdeProblem::InvalidType { found, expected } => {
            // A negative number where only 0 or more fit is the right type, the wrong value.
            let what = if expected == Expected::Unsigned && found.kind == "integer" {
                "invalid value"
            } else {
                "wrong type"
            };
            return diag(kind_message(what, &place, expected, found)).hint(type_hint(expected));
        }
        SerdeProblem::InvalidValue { found, expected } => {
            return diag(kind_message("invalid value", &place, expected, found))
                .hint(type_hint(expected));
        }
        SerdeProblem::Other(_) => {}
    }
    if message.contains("EOF while parsing") {
        return diag("the file is empty".to_string())
            .hint("start from an existing file or `amilab quiz template`");
    }
    if message.starts_with("duplicate entry") {
        return diag(format!("{message}{place}"))
            .hint("each key may appear only once in a mapping");
    }
    diag(format!("{message}{place}"))
        .hint("this is not valid YAML here; check indentation and quoting")
}

/// What to write instead, for the kind of value expected.
fn type_hint(expected: Expected) -> &'static str {
    match expected {
        Expected::Map => "write `key: value` lines here (a `- ` starts a list item instead)",
        Expected::List => "write a list: `[a, b]`, or one `- item` line per item",
        Expected::String => "write text here; quote it if it looks like a number or `true`",
        Expected::Integer => "write a whole number such as `8`",
        Expected::Unsigned => "write a whole number, 0 or more, such as `8`",
        Expected::Number => "write a number such as `8` or `0.5`",
        Expected::Boolean => "write `true` or `false`",
        Expected::Other(_) => {
            "check the value's type: quote text, write lists as `[a, b]` or `- a` lines"
        }
    }
}

/// `wrong type in `points`: expected a whole number, found text "many"`.
fn kind_message(what: &str, place: &str, expected: Expected, found: Found) -> String {
    format!(
        "{what}{place}: expected {}, found {}",
        expected_words(expected),
        found_words(found)
    )
}

/// A kind of value in YAML's words (never Rust's: not `struct AnswersFile`, not `u32`).
fn expected_words(expected: Expected) -> String {
    match expected {
        Expected::List => "a list".into(),
        Expected::Map => "a map of keys and values".into(),
        Expected::String => "text".into(),
        Expected::Integer => "a whole number".into(),
        Expected::Unsigned => "a whole number, 0 or more".into(),
        Expected::Number => "a number".into(),
        Expected::Boolean => "true or false".into(),
        Expected::Other(text) => text.into(),
    }
}

/// What was found, in YAML's words, with the value when serde shows one.
fn found_words(found: Found) -> String {
    let kind = match found.kind {
        "sequence" => "a list",
        "map" => "a map",
        "string" => "text",
        "integer" | "floating point" => "a number",
        "boolean" => "true/false",
        "unit value" => "nothing",
        other => other,
    };
    match found.value {
        Some(v) => format!("{kind} {v}"),
        None => kind.to_string(),
    }
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
    fn wrong_types_speak_yaml_not_rust() {
        let d = parse_strict::<T>("x.yaml", "- a\n- b\n").unwrap_err();
        assert_eq!(
            d.message,
            "wrong type: expected a map of keys and values, found a list"
        );
        let d = parse_strict::<T>("x.yaml", "prompt: a\npoints: many\n").unwrap_err();
        assert_eq!(
            d.message,
            "wrong type in `points`: expected a whole number, 0 or more, found text \"many\""
        );
        let d = parse_strict::<T>("x.yaml", "prompt: a\npoints: 1.5\n").unwrap_err();
        assert_eq!(
            d.message,
            "wrong type in `points`: expected a whole number, 0 or more, found a number 1.5"
        );
        let d = parse_strict::<T>("x.yaml", "prompt: a\nprompt: b\n").unwrap_err();
        assert!(d.message.starts_with("duplicate"), "{}", d.message);
    }

    #[test]
    fn help_says_what_to_write_for_the_kind_expected() {
        let d = parse_strict::<T>("x.yaml", "- a\n").unwrap_err();
        assert_eq!(
            d.hint.as_deref(),
            Some("write `key: value` lines here (a `- ` starts a list item instead)")
        );
        let d = parse_strict::<T>("x.yaml", "prompt: a\npoints: -5\n").unwrap_err();
        assert_eq!(
            d.message,
            "invalid value in `points`: expected a whole number, 0 or more, found a number -5"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write a whole number, 0 or more, such as `8`")
        );
    }

    #[test]
    fn merge_keys_are_resolved_and_explicit_keys_win() {
        let d: Vec<T> = parse_strict(
            "x.yaml",
            "- &base {prompt: a, points: 2}\n- <<: *base\n  prompt: b\n",
        )
        .unwrap();
        assert_eq!((d[1].prompt.as_str(), d[1].points), ("b", Some(2)));
        let e = parse_strict::<Vec<T>>("x.yaml", "- &b {prompt: a}\n- <<: *b\n  points: x\n")
            .unwrap_err();
        assert!(e.message.contains("`[1].points`"), "{}", e.message);
    }

    #[test]
    fn the_first_alias_is_found_outside_quotes_and_comments() {
        let text = "a: \"*not\" # *nor\nb: [x, *yes]\n";
        assert_eq!(first_alias(text), Some((2, 8, "yes")));
    }

    #[test]
    fn missing_field() {
        let d = parse_strict::<T>("x.yaml", "points: 1\n").unwrap_err();
        assert_eq!(d.message, "missing field `prompt`");
    }
}

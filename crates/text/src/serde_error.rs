//! serde's error messages, classified once for every format that reports them (JSON request
//! parameters, YAML content files), so each layer words the problem in its own vocabulary and
//! none shows Rust's type names.
//!
//! serde builds these messages itself, the same for every format, in the default methods of
//! `serde::de::Error` (`unknown_field`, `missing_field`, `invalid_type`, …): reading them back is
//! reading serde's own fixed wording, not a format's.

/// What a serde error says went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerdeProblem<'a> {
    /// `unknown field `x`, expected one of `a`, `b``: the field and the valid ones, in order.
    UnknownField {
        /// The key that was written.
        field: &'a str,
        /// The keys allowed here (empty when there are none).
        expected: Vec<&'a str>,
    },
    /// `unknown variant `x`, expected one of …`: a value outside an enumeration.
    UnknownVariant {
        /// The value that was written.
        value: &'a str,
        /// The values allowed here.
        expected: Vec<&'a str>,
    },
    /// `missing field `x``.
    MissingField {
        /// The key that must be present.
        field: &'a str,
    },
    /// `duplicate field `x``.
    DuplicateField {
        /// The key written twice.
        field: &'a str,
    },
    /// `invalid type: string "x", expected a sequence`: a value of the wrong kind.
    InvalidType {
        /// What was found.
        found: Found<'a>,
        /// What was expected.
        expected: Expected<'a>,
    },
    /// `invalid value: integer `-1`, expected u32`: the right kind, an impossible value.
    InvalidValue {
        /// What was found.
        found: Found<'a>,
        /// What was expected.
        expected: Expected<'a>,
    },
    /// Any other message, as serde or the format wrote it.
    Other(&'a str),
}

/// The value serde found (its `Unexpected` rendering: `string "x"`, `integer `5``, `sequence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    /// serde's name for the kind: `string`, `integer`, `floating point`, `boolean`,
    /// `sequence`, `map`, `unit value`, …
    pub kind: &'a str,
    /// The value itself when serde shows one (`"x"`, `5`, `true`), without serde's backticks.
    pub value: Option<&'a str>,
}

impl<'a> Found<'a> {
    /// Reads serde's rendering of an unexpected value: `integer `5``, `floating point `1.5``,
    /// `string "x"`, `sequence`, `unit value`.
    pub fn from_serde(found: &'a str) -> Self {
        if let Some((kind, rest)) = found.split_once(" `") {
            Found {
                kind,
                value: Some(rest.strip_suffix('`').unwrap_or(rest)),
            }
        } else if let Some((kind, rest)) = found.split_once(" \"") {
            // Keep the quotes: `"ami-1"` reads as the string it was.
            Found {
                kind,
                value: Some(&found[kind.len() + 1..]).filter(|_| !rest.is_empty()),
            }
        } else {
            Found {
                kind: found,
                value: None,
            }
        }
    }
}

/// The kind of value a type accepts, from serde's `expected …` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected<'a> {
    /// A sequence (`Vec`, arrays, tuples).
    List,
    /// A map or a struct.
    Map,
    /// A string.
    String,
    /// A signed integer of any width.
    Integer,
    /// An unsigned integer (`u8` … `u64`, `usize`): 0 or more.
    Unsigned,
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// Anything else, as serde wrote it.
    Other(&'a str),
}

impl<'a> Expected<'a> {
    /// Reads serde's `expected` text (`a sequence`, `struct AnswersFile`, `u32`, `a boolean`).
    pub fn from_serde(expected: &'a str) -> Self {
        let has = |words: &[&str]| words.iter().any(|w| expected.contains(w));
        if has(&["sequence", "tuple", "array"]) {
            Expected::List
        } else if has(&["bool"]) {
            Expected::Boolean
        } else if has(&["string", "char"]) {
            Expected::String
        } else if has(&["u8", "u16", "u32", "u64", "usize"]) {
            Expected::Unsigned
        } else if has(&["i8", "i16", "i32", "i64", "isize", "integer"]) {
            Expected::Integer
        } else if has(&["f32", "f64", "float"]) {
            Expected::Number
        } else if has(&["struct", "map"]) {
            Expected::Map
        } else {
            Expected::Other(expected)
        }
    }
}

/// Classifies one of serde's error messages (without a format's position suffix).
pub fn classify(message: &str) -> SerdeProblem<'_> {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = first_and_rest(rest);
        return SerdeProblem::UnknownField { field, expected };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = first_and_rest(rest);
        return SerdeProblem::UnknownVariant { value, expected };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or(rest);
        return SerdeProblem::MissingField { field };
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = backticked(rest).first().copied().unwrap_or(rest);
        return SerdeProblem::DuplicateField { field };
    }
    for (prefix, invalid_type) in [("invalid type: ", true), ("invalid value: ", false)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let found = Found::from_serde(found);
            let expected = Expected::from_serde(expected);
            return if invalid_type {
                SerdeProblem::InvalidType { found, expected }
            } else {
                SerdeProblem::InvalidValue { found, expected }
            };
        }
    }
    SerdeProblem::Other(message)
}

/// The backticked words of a message, in order: "unknown field `a`, expected one of `b`".
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn first_and_rest(s: &str) -> (&str, Vec<&str>) {
    let words = backticked(s);
    match words.split_first() {
        Some((first, rest)) => (first, rest.to_vec()),
        None => ("?", Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Expected as E;

    /// The messages serde itself writes (serde::de::Error's default methods), through a real
    /// deserializer, so a change of wording in serde fails here first.
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Request {
        image_ids: Vec<String>,
        count: Option<u32>,
        kind: Option<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Hvm,
        Paravirtual,
    }

    fn message(json: &str) -> String {
        serde_json::from_str::<Request>(json)
            .unwrap_err()
            .to_string()
            .split(" at line ")
            .next()
            .unwrap()
            .to_string()
    }

    #[test]
    fn serdes_own_messages() {
        assert_eq!(
            classify(&message(r#"{"image_ids": [], "ImageIds": 1}"#)),
            SerdeProblem::UnknownField {
                field: "ImageIds",
                expected: vec!["image_ids", "count", "kind"]
            }
        );
        assert_eq!(
            classify(&message(r#"{}"#)),
            SerdeProblem::MissingField { field: "image_ids" }
        );
        assert_eq!(
            classify(&message(r#"{"image_ids": "ami-1"}"#)),
            SerdeProblem::InvalidType {
                found: Found {
                    kind: "string",
                    value: Some("\"ami-1\"")
                },
                expected: E::List
            }
        );
        assert_eq!(
            classify(&message(r#"{"image_ids": [], "count": -1}"#)),
            SerdeProblem::InvalidValue {
                found: Found {
                    kind: "integer",
                    value: Some("-1")
                },
                expected: E::Unsigned
            }
        );
        assert_eq!(
            classify(&message(r#"{"image_ids": [], "kind": "pv"}"#)),
            SerdeProblem::UnknownVariant {
                value: "pv",
                expected: vec!["hvm", "paravirtual"]
            }
        );
        assert_eq!(
            classify(&message(r#"{"image_ids": [], "image_ids": []}"#)),
            SerdeProblem::DuplicateField { field: "image_ids" }
        );
        assert_eq!(
            classify(&message(r#""x""#)),
            SerdeProblem::InvalidType {
                found: Found {
                    kind: "string",
                    value: Some("\"x\"")
                },
                expected: E::Map
            }
        );
    }

    #[test]
    fn found_values_without_serdes_quoting() {
        let f = |kind, value| Found { kind, value };
        assert_eq!(Found::from_serde("integer `5`"), f("integer", Some("5")));
        assert_eq!(
            Found::from_serde("floating point `1.5`"),
            f("floating point", Some("1.5"))
        );
        assert_eq!(
            Found::from_serde("string \"a b\""),
            f("string", Some("\"a b\""))
        );
        assert_eq!(Found::from_serde("sequence"), f("sequence", None));
        assert_eq!(Found::from_serde("unit value"), f("unit value", None));
    }

    #[test]
    fn expected_kinds_in_plain_words() {
        assert_eq!(E::from_serde("struct AnswersFile"), E::Map);
        assert_eq!(E::from_serde("a map"), E::Map);
        assert_eq!(E::from_serde("a sequence"), E::List);
        assert_eq!(E::from_serde("a boolean"), E::Boolean);
        assert_eq!(E::from_serde("a string"), E::String);
        assert_eq!(E::from_serde("i64"), E::Integer);
        assert_eq!(E::from_serde("u32"), E::Unsigned);
        assert_eq!(E::from_serde("f64"), E::Number);
        assert_eq!(E::from_serde("something odd"), E::Other("something odd"));
    }

    #[test]
    fn anything_else_is_kept() {
        assert_eq!(
            classify("EOF while parsing"),
            SerdeProblem::Other("EOF while parsing")
        );
        assert_eq!(
            classify("unknown field"),
            SerdeProblem::Other("unknown field")
        );
    }
}

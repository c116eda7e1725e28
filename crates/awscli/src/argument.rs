//! Turning the words after an option into a request value, as awscli 1.46.3 does between
//! argparse and botocore: `awscli/arguments.py` (`CLIArgument.TYPE_MAP`, `ListArgument`'s
//! `nargs='*'`), the `process-cli-arg` handler `ParamShorthandParser` of `awscli/argprocess.py`
//! (shorthand for complex shapes, then `BackCompatVisitor` of `awscli/shorthand.py` to apply the
//! model), and, when shorthand does not apply, `unpack_cli_arg` (JSON for structures, maps and
//! lists that look like JSON, scalars converted by type).
//!
//! The values produced use the wire names ([`Member::name`](crate::Member::name)) as keys, as
//! the CLI hands them to botocore. Errors are worded as the CLI prints them: a `ParamError`
//! ("Error parsing parameter '--x': ..."), the text of a Python exception the CLI does not catch
//! (printed by `clidriver.main`'s `write_exception`, e.g. "invalid literal for int() with base
//! 10: 'abc'"), or an argparse usage error.
//!
//! Where this differs from the CLI, and why:
//! - botocore's `long` and `integer` are both [`Shape::Integer`]. argparse converts a top-level
//!   `long` itself (`type=int`: "argument --x: invalid int value: 'abc'"); this follows
//!   `integer` ("invalid literal for int() with base 10: 'abc'"), the common case in EC2.
//! - A top-level `boolean` is a flag (`BooleanArgument`, `--x`/`--no-x`) that never reaches
//!   unpacking; given words, [`value`] follows `unpack_scalar_cli_arg` (`false` in any case is
//!   false, any other non-empty word true).
//! - Integers beyond 64 bits, the floats `inf`/`nan` (and numbers that overflow to them) and
//!   JSON's `NaN`/`Infinity` have no `serde_json::Value`: they are refused with a message of
//!   this crate's own, where the CLI would send them on. Lone UTF-16 surrogates in JSON `\u`
//!   escapes become U+FFFD. Python's recursion limit is approximated by a fixed nesting depth
//!   (the CLI's real limit depends on its call stack), with Python's `RecursionError` text.
//! - Python's `int()`/`float()` also accept non-ASCII decimal digits; these take ASCII digits.
//! - `_uses_old_list_case` (bare words for a list of one-member structures) concerns only
//!   Firehose, WorkSpaces and Classic Load Balancing operations, none of which is simulated:
//!   it is left out.
//! - `file://`/`fileb://` (the `load-cli-arg` handler of `awscli/paramfile.py`) are the caller's.

use crate::shape::{Member, Shape};
use crate::shorthand::{self, py_isspace};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why an option's words could not be made into a value; [`Display`](fmt::Display) is what the
/// CLI prints (after a blank line, for the kinds it reports through `write_exception`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentError {
    kind: ArgumentErrorKind,
    message: String,
    /// A Python `ValueError`/`TypeError`, which `_unpack_complex_cli_arg` turns into a
    /// `ParamError` naming the list's first element.
    value_error: bool,
}

/// How the CLI reports an [`ArgumentError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentErrorKind {
    /// awscli's `ParamError`: "Error parsing parameter '--x': ...".
    Parameter,
    /// A Python exception the CLI does not catch, printed as its `str()` (`write_exception`).
    Exception,
    /// An argparse error, which the CLI prints after its usage lines as `aws: error: ...`.
    Usage,
}

impl ArgumentError {
    /// How the CLI reports this error.
    pub fn kind(&self) -> ArgumentErrorKind {
        self.kind
    }

    fn param(option: &str, message: impl fmt::Display) -> Self {
        ArgumentError {
            kind: ArgumentErrorKind::Parameter,
            message: format!("Error parsing parameter '{option}': {message}"),
            value_error: false,
        }
    }

    fn exception(message: impl Into<String>, value_error: bool) -> Self {
        ArgumentError {
            kind: ArgumentErrorKind::Exception,
            message: message.into(),
            value_error,
        }
    }

    fn usage(message: impl Into<String>) -> Self {
        ArgumentError {
            kind: ArgumentErrorKind::Usage,
            message: message.into(),
            value_error: false,
        }
    }
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgumentError {}

/// The value of one option: `shape` is the member's shape, `words` what followed the option on
/// the command line (a list-typed option takes any number of words, as `ListArgument`'s
/// `nargs='*'`: `--image-ids ami-1 ami-2`; others exactly one).
///
/// Follows awscli's `ParamShorthandParser` then `unpack_cli_arg` (`awscli/argprocess.py`):
/// - shorthand for a structure, a map, or a list of structures/lists/maps, unless the (first)
///   word looks like JSON (`[` or `{` after whitespace) or the shape only wraps documents
///   (`_should_parse_as_shorthand`, `_supports_shorthand_syntax`); the parsed value is then fixed
///   up by the model (`BackCompatVisitor`): a lone value wrapped in a list where the model says
///   list, integers, floats and `true`/`false` (any case; other words stay strings) converted;
///   a document inside shorthand is refused;
/// - a structure whose only member is a string `Value` takes a bare word (`{"Value": word}`);
/// - JSON for a document, a structure or map starting with `{`, a list given as one word
///   starting with `[`; each word of a list converted by the member's shape otherwise;
/// - scalars: integers with Python's `int()`, floats with `float()` (argparse's `type=float` at
///   the top), booleans `false` (any case) or else true when non-empty, strings and timestamps
///   kept as text.
pub fn value(option: &str, shape: &Shape, words: &[String]) -> Result<Value, ArgumentError> {
    let raw = match (shape, words) {
        (Shape::List(_), _) => Raw::Words(words.to_vec()),
        (_, [word]) => Raw::Str(word.clone()),
        (_, []) => {
            return Err(ArgumentError::usage(format!(
                "argument {option}: expected one argument"
            )))
        }
        (_, [_, rest @ ..]) => {
            return Err(ArgumentError::usage(format!(
                "Unknown options: {}",
                rest.join(", ")
            )))
        }
    };
    // argparse's `type=float` (`CLIArgument.TYPE_MAP`) runs before anything else.
    if let (Shape::Float, Raw::Str(word)) = (shape, &raw) {
        if py_float(word).is_none() {
            return Err(ArgumentError::usage(format!(
                "argument {option}: invalid float value: {}",
                py_repr(word)
            )));
        }
    }
    if let Some(parsed) = param_shorthand(option, shape, &raw)? {
        return Ok(parsed);
    }
    unpack_cli_arg(shape, &raw, option)
}

/// An option's value as argparse hands it over: one string, or the words of a list option.
#[derive(Debug, Clone)]
enum Raw {
    Str(String),
    Words(Vec<String>),
}

/// botocore's `type_name`, as the checks of `argprocess.py` see it (a document is a
/// `structure`).
fn type_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "string",
        Shape::Integer => "integer",
        Shape::Float => "float",
        Shape::Boolean => "boolean",
        Shape::Timestamp => "timestamp",
        Shape::Any | Shape::Structure(_) => "structure",
        Shape::List(_) => "list",
        Shape::Map(_) => "map",
    }
}

/// `awscli.utils.is_document_type_container`: a document, or lists and maps of documents.
fn is_document_type_container(shape: &Shape) -> bool {
    match shape {
        Shape::Any => true,
        Shape::List(inner) | Shape::Map(inner) => is_document_type_container(inner),
        _ => false,
    }
}

/// `_supports_shorthand_syntax` and `_is_complex_shape`.
fn supports_shorthand_syntax(shape: &Shape) -> bool {
    if is_document_type_container(shape) {
        return false;
    }
    match shape {
        Shape::List(member) => matches!(type_name(member), "structure" | "list" | "map"),
        other => matches!(type_name(other), "structure" | "map"),
    }
}

/// Python's `str.strip()`.
fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

/// `ParamShorthandParser.__call__`: `Some` value when shorthand applies, `None` to fall back to
/// `unpack_cli_arg`.
fn param_shorthand(option: &str, shape: &Shape, raw: &Raw) -> Result<Option<Value>, ArgumentError> {
    // _should_parse_as_shorthand
    let check = match raw {
        Raw::Words(words) => words.first(),
        Raw::Str(word) => Some(word),
    };
    if check.is_some_and(|word| py_strip(word).starts_with(['[', '{'])) {
        return Ok(None);
    }
    if !supports_shorthand_syntax(shape) {
        return Ok(None);
    }
    // _handle_special_cases: a structure whose only member is a string `Value` takes a bare word.
    if let (Shape::Structure(members), Raw::Str(word)) = (shape, raw) {
        if let [Member {
            name,
            shape: Shape::String,
            ..
        }] = members.as_slice()
        {
            if name == "Value" && !word.contains('=') {
                let mut object = Map::new();
                object.insert("Value".to_owned(), Value::String(word.clone()));
                return Ok(Some(Value::Object(object)));
            }
        }
    }
    let parse = |word: &str| {
        shorthand::parse(word).map_err(|error| {
            if error.is_recursion_error() {
                ArgumentError::exception(error.to_string(), false)
            } else {
                ArgumentError::param(option, error)
            }
        })
    };
    let mut parsed = match raw {
        Raw::Words(words) => Value::Array(
            words
                .iter()
                .map(|word| parse(word))
                .collect::<Result<_, _>>()?,
        ),
        Raw::Str(word) => parse(word)?,
    };
    match visit(shape, &mut parsed) {
        Ok(()) => Ok(Some(parsed)),
        Err(Visit::Document) => Err(ArgumentError::exception(
            // Unreachable through `_supports_shorthand_syntax`; kept for totality.
            "Shorthand syntax does not support document types.",
            false,
        )),
        Err(Visit::Error(error)) => Err(match error.kind {
            ArgumentErrorKind::Parameter => ArgumentError::param(option, error.message),
            _ => error,
        }),
    }
}

/// What `BackCompatVisitor` raises.
enum Visit {
    /// `DocumentTypesNotSupportedError`, named by the nearest enclosing structure.
    Document,
    /// A `ShorthandParseError` (kind [`ArgumentErrorKind::Parameter`], message without the
    /// "Error parsing parameter" prefix) or an uncaught Python exception.
    Error(ArgumentError),
}

/// `BackCompatVisitor`: applies the model to a parsed shorthand value in place.
fn visit(shape: &Shape, value: &mut Value) -> Result<(), Visit> {
    match shape {
        Shape::Any => Err(Visit::Document),
        Shape::Structure(members) => {
            let Value::Object(object) = value else {
                return Ok(());
            };
            for member in members {
                if let Some(slot) = object.get_mut(&member.name) {
                    visit(&member.shape, slot).map_err(|error| match error {
                        Visit::Document => Visit::Error(ArgumentError {
                            kind: ArgumentErrorKind::Parameter,
                            message: format!(
                                "Shorthand syntax does not support document types. Use JSON \
                                 input for top-level argument to specify nested parameter: {}",
                                member.name
                            ),
                            value_error: false,
                        }),
                        other => other,
                    })?;
                }
            }
            Ok(())
        }
        Shape::List(member) => match value {
            Value::Array(items) => items.iter_mut().try_for_each(|item| visit(member, item)),
            other => {
                let single = std::mem::take(other);
                *other = Value::Array(vec![single]);
                Ok(())
            }
        },
        Shape::Map(values) => match value {
            Value::Object(object) => object.values_mut().try_for_each(|item| visit(values, item)),
            _ => Ok(()),
        },
        Shape::Integer => {
            *value = match value {
                Value::String(text) => py_int(text).map_err(Visit::Error)?,
                other => {
                    return Err(Visit::Error(ArgumentError::exception(
                        format!(
                            "int() argument must be a string, a bytes-like object or a real \
                             number, not '{}'",
                            py_type(other)
                        ),
                        true,
                    )))
                }
            };
            Ok(())
        }
        Shape::Float => {
            *value = match value {
                Value::String(text) => py_float_value(text).map_err(Visit::Error)?,
                other => {
                    return Err(Visit::Error(ArgumentError::exception(
                        format!(
                            "float() argument must be a string or a real number, not '{}'",
                            py_type(other)
                        ),
                        true,
                    )))
                }
            };
            Ok(())
        }
        Shape::Boolean => match value {
            Value::String(text) => {
                match text.to_lowercase().as_str() {
                    "true" => *value = Value::Bool(true),
                    "false" => *value = Value::Bool(false),
                    _ => {}
                }
                Ok(())
            }
            other => Err(Visit::Error(ArgumentError::exception(
                format!("'{}' object has no attribute 'lower'", py_type(other)),
                false,
            ))),
        },
        Shape::String | Shape::Timestamp => Ok(()),
    }
}

/// The Python type name of a parsed shorthand value.
fn py_type(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::String(_) => "str",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Null => "NoneType",
    }
}

/// `_unpack_cli_arg`: JSON for documents, scalars by type, complex shapes by
/// `_unpack_complex_cli_arg`.
fn unpack_cli_arg(shape: &Shape, raw: &Raw, option: &str) -> Result<Value, ArgumentError> {
    match (shape, raw) {
        (Shape::Any, Raw::Str(text)) => unpack_json(text, option),
        (Shape::Structure(_) | Shape::Map(_), Raw::Str(text)) => {
            match text.trim_start_matches(py_isspace).chars().next() {
                Some('{') => unpack_json(text, option),
                Some(_) => Err(ArgumentError::param(
                    option,
                    format!("Invalid JSON:\n{text}"),
                )),
                None => Err(ArgumentError::exception("string index out of range", false)),
            }
        }
        (Shape::List(member), raw) => {
            let elements: Vec<String> = match raw {
                Raw::Str(text) => match text.trim_start_matches(py_isspace).chars().next() {
                    Some('[') => return unpack_json(text, option),
                    // Python iterates over the string's characters.
                    Some(_) => text.chars().map(String::from).collect(),
                    None => {
                        return Err(ArgumentError::exception("string index out of range", false))
                    }
                },
                Raw::Words(words) => {
                    if let [single] = words.as_slice() {
                        if py_strip(single).starts_with('[') {
                            return unpack_json(single, option);
                        }
                    }
                    words.clone()
                }
            };
            elements
                .iter()
                .map(|element| {
                    unpack_cli_arg(member, &Raw::Str(element.clone()), option).map_err(|error| {
                        if error.value_error {
                            ArgumentError::param(option, &elements[0])
                        } else {
                            error
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        (scalar, Raw::Str(text)) => unpack_scalar_cli_arg(scalar, text),
        // A list of words only comes with a list shape.
        (_, Raw::Words(words)) => Ok(Value::Array(
            words.iter().cloned().map(Value::String).collect(),
        )),
    }
}

/// `unpack_scalar_cli_arg`.
fn unpack_scalar_cli_arg(shape: &Shape, text: &str) -> Result<Value, ArgumentError> {
    match shape {
        Shape::Integer => py_int(text),
        Shape::Float => py_float_value(text),
        Shape::Boolean => Ok(Value::Bool(
            text.to_lowercase() != "false" && !text.is_empty(),
        )),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// `_unpack_json_cli_arg`: `json.loads`, or "Invalid JSON: <json's message>\nJSON received: ...".
fn unpack_json(text: &str, option: &str) -> Result<Value, ArgumentError> {
    json::loads(text).map_err(|error| match error {
        json::Error::Decode(message) => ArgumentError::param(
            option,
            format!("Invalid JSON: {message}\nJSON received: {text}"),
        ),
        json::Error::Other(message) => ArgumentError::exception(message, false),
    })
}

/// Python's `int(text)` for a `str`: surrounding whitespace, a sign, decimal digits with single
/// underscores between them.
fn py_int(text: &str) -> Result<Value, ArgumentError> {
    let invalid = || {
        ArgumentError::exception(
            format!("invalid literal for int() with base 10: {}", py_repr(text)),
            true,
        )
    };
    let stripped = py_strip(text);
    let (negative, digits) = match stripped.as_bytes().first() {
        Some(b'-') => (true, &stripped[1..]),
        Some(b'+') => (false, &stripped[1..]),
        _ => (false, stripped),
    };
    let plain = py_digits(digits).ok_or_else(invalid)?;
    let magnitude: u128 = plain.parse().map_err(|_| too_large(text))?;
    let number = if negative {
        i64::try_from(magnitude)
            .ok()
            .and_then(|m| m.checked_neg())
            .or((magnitude == 1u128 << 63).then_some(i64::MIN))
            .map(Number::from)
    } else {
        u64::try_from(magnitude).ok().map(Number::from)
    };
    number.map(Value::Number).ok_or_else(|| too_large(text))
}

fn too_large(text: &str) -> ArgumentError {
    ArgumentError::exception(
        format!("integer out of the 64-bit range: {}", py_repr(text)),
        false,
    )
}

/// Python's `digitpart`: `digit (["_"] digit)*`, returned without the underscores.
fn py_digits(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut previous_underscore = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                out.push(b as char);
                previous_underscore = false;
            }
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return None,
        }
    }
    Some(out)
}

/// Python's `float(text)` for a `str`, as an `f64` (which may be infinite or NaN).
fn py_float(text: &str) -> Option<f64> {
    let stripped = py_strip(text);
    let (sign, body) = match stripped.as_bytes().first() {
        Some(b'-') => (-1.0, &stripped[1..]),
        Some(b'+') => (1.0, &stripped[1..]),
        _ => (1.0, stripped),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.find('.') {
        Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
        None => (mantissa, None),
    };
    let whole = if whole.is_empty() {
        String::new()
    } else {
        py_digits(whole)?
    };
    let fraction = match fraction {
        Some("") => String::new(),
        Some(f) => py_digits(f)?,
        None => String::new(),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let exponent = match exponent {
        Some(e) => {
            let (esign, edigits) = match e.as_bytes().first() {
                Some(b'-') => ("-", &e[1..]),
                Some(b'+') => ("", &e[1..]),
                _ => ("", e),
            };
            format!("e{esign}{}", py_digits(edigits)?)
        }
        None => String::new(),
    };
    let whole = if whole.is_empty() { "0" } else { &whole };
    let fraction = if fraction.is_empty() { "0" } else { &fraction };
    format!("{whole}.{fraction}{exponent}")
        .parse::<f64>()
        .ok()
        .map(|f| sign * f)
}

/// `float(text)` as a JSON number.
fn py_float_value(text: &str) -> Result<Value, ArgumentError> {
    let number = py_float(text).ok_or_else(|| {
        ArgumentError::exception(
            format!("could not convert string to float: {}", py_repr(text)),
            true,
        )
    })?;
    Number::from_f64(number).map(Value::Number).ok_or_else(|| {
        ArgumentError::exception(
            format!("float not representable in JSON: {}", py_repr(text)),
            false,
        )
    })
}

/// Python's `repr()` of a `str` (the output module's, which knows `str.isprintable` exactly).
pub(crate) fn py_repr(text: &str) -> String {
    crate::output::py_repr_str(text)
}

/// Python's `json.loads` (the C scanner of CPython 3.11 `Modules/_json.c`), with its error
/// messages: "Expecting value: line 1 column 6 (char 5)".
mod json {
    use serde_json::{Map, Number, Value};

    /// Deeper nesting fails as Python's recursion limit would (approximately).
    const MAX_DEPTH: usize = 900;

    pub(super) enum Error {
        /// `json.JSONDecodeError`'s `str()`.
        Decode(String),
        /// Another exception (RecursionError) or a value `serde_json` cannot hold.
        Other(String),
    }

    enum Fail {
        /// `JSONDecodeError(msg, doc, pos)`.
        At(&'static str, usize),
        /// `StopIteration(idx)`: "Expecting value".
        Stop(usize),
        Other(String),
    }

    pub(super) fn loads(text: &str) -> Result<Value, Error> {
        let chars: Vec<char> = text.chars().collect();
        let mut scanner = Scanner {
            s: &chars,
            depth: 0,
        };
        let start = scanner.skip_ws(0);
        let result = scanner.scan_once(start).and_then(|(value, end)| {
            let end = scanner.skip_ws(end);
            if end != chars.len() {
                Err(Fail::At("Extra data", end))
            } else {
                Ok(value)
            }
        });
        result.map_err(|fail| {
            let (message, pos) = match fail {
                Fail::At(message, pos) => (message, pos),
                Fail::Stop(pos) => ("Expecting value", pos),
                Fail::Other(message) => return Error::Other(message),
            };
            let before = &chars[..pos.min(chars.len())];
            let line = before.iter().filter(|&&c| c == '\n').count() + 1;
            let column = match before.iter().rposition(|&c| c == '\n') {
                Some(newline) => pos - newline,
                None => pos + 1,
            };
            Error::Decode(format!(
                "{message}: line {line} column {column} (char {pos})"
            ))
        })
    }

    struct Scanner<'a> {
        s: &'a [char],
        depth: usize,
    }

    impl Scanner<'_> {
        fn skip_ws(&self, mut idx: usize) -> usize {
            while matches!(self.s.get(idx), Some(' ' | '\t' | '\n' | '\r')) {
                idx += 1;
            }
            idx
        }

        fn starts_with(&self, idx: usize, word: &str) -> bool {
            (idx..)
                .zip(word.chars())
                .all(|(i, c)| self.s.get(i) == Some(&c))
        }

        fn scan_once(&mut self, idx: usize) -> Result<(Value, usize), Fail> {
            let Some(&c) = self.s.get(idx) else {
                return Err(Fail::Stop(idx));
            };
            match c {
                '"' => self
                    .scanstring(idx + 1)
                    .map(|(s, end)| (Value::String(s), end)),
                '{' | '[' => {
                    if self.depth >= MAX_DEPTH {
                        let what = if c == '{' { "object" } else { "array" };
                        return Err(Fail::Other(format!(
                            "maximum recursion depth exceeded while decoding a JSON {what} \
                             from a unicode string"
                        )));
                    }
                    self.depth += 1;
                    let result = if c == '{' {
                        self.parse_object(idx + 1)
                    } else {
                        self.parse_array(idx + 1)
                    };
                    self.depth -= 1;
                    result
                }
                'n' if self.starts_with(idx, "null") => Ok((Value::Null, idx + 4)),
                't' if self.starts_with(idx, "true") => Ok((Value::Bool(true), idx + 4)),
                'f' if self.starts_with(idx, "false") => Ok((Value::Bool(false), idx + 5)),
                'N' if self.starts_with(idx, "NaN") => Err(unrepresentable("NaN")),
                'I' if self.starts_with(idx, "Infinity") => Err(unrepresentable("Infinity")),
                '-' if self.starts_with(idx, "-Infinity") => Err(unrepresentable("-Infinity")),
                _ => self.match_number(idx),
            }
        }

        fn match_number(&self, start: usize) -> Result<(Value, usize), Fail> {
            let s = self.s;
            let digit = |i: usize| s.get(i).is_some_and(|c| c.is_ascii_digit());
            let mut idx = start;
            if s.get(idx) == Some(&'-') {
                idx += 1;
                if idx >= s.len() {
                    return Err(Fail::Stop(start));
                }
            }
            match s.get(idx) {
                Some('1'..='9') => {
                    idx += 1;
                    while digit(idx) {
                        idx += 1;
                    }
                }
                Some('0') => idx += 1,
                _ => return Err(Fail::Stop(start)),
            }
            let mut is_float = false;
            if s.get(idx) == Some(&'.') && digit(idx + 1) {
                is_float = true;
                idx += 2;
                while digit(idx) {
                    idx += 1;
                }
            }
            if matches!(s.get(idx), Some('e' | 'E')) && idx + 1 < s.len() {
                let e_start = idx;
                idx += 1;
                if matches!(s.get(idx), Some('-' | '+')) && idx + 1 < s.len() {
                    idx += 1;
                }
                while digit(idx) {
                    idx += 1;
                }
                if digit(idx - 1) {
                    is_float = true;
                } else {
                    idx = e_start;
                }
            }
            let text: String = s[start..idx].iter().collect();
            let number = if is_float {
                text.parse::<f64>().ok().and_then(Number::from_f64)
            } else if let Ok(n) = text.parse::<i64>() {
                Some(Number::from(n))
            } else {
                text.parse::<u64>().ok().map(Number::from)
            };
            match number {
                Some(n) => Ok((Value::Number(n), idx)),
                None => Err(unrepresentable(&text)),
            }
        }

        fn scanstring(&self, end: usize) -> Result<(String, usize), Fail> {
            let s = self.s;
            let begin = end - 1;
            let mut out = String::new();
            let mut end = end;
            loop {
                let mut next = end;
                let mut found = None;
                while let Some(&d) = s.get(next) {
                    if d == '"' || d == '\\' {
                        found = Some(d);
                        break;
                    }
                    if (d as u32) <= 0x1f {
                        return Err(Fail::At("Invalid control character at", next));
                    }
                    next += 1;
                }
                out.extend(&s[end..next]);
                match found {
                    Some('"') => return Ok((out, next + 1)),
                    Some(_) => {}
                    None => return Err(Fail::At("Unterminated string starting at", begin)),
                }
                next += 1;
                let Some(&c) = s.get(next) else {
                    return Err(Fail::At("Unterminated string starting at", begin));
                };
                if c != 'u' {
                    end = next + 1;
                    out.push(match c {
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        _ => return Err(Fail::At("Invalid \\escape", end - 2)),
                    });
                    continue;
                }
                next += 1;
                end = next + 4;
                if end >= s.len() {
                    return Err(Fail::At("Invalid \\uXXXX escape", next - 1));
                }
                let hex = |from: usize, to: usize| -> Result<u32, Fail> {
                    s[from..to].iter().try_fold(0u32, |acc, c| {
                        c.to_digit(16)
                            .map(|d| acc * 16 + d)
                            .ok_or(Fail::At("Invalid \\uXXXX escape", to - 5))
                    })
                };
                let mut code = hex(next, end)?;
                if (0xd800..0xdc00).contains(&code)
                    && end + 6 < s.len()
                    && s[end] == '\\'
                    && s[end + 1] == 'u'
                {
                    let low = hex(end + 2, end + 6)?;
                    if (0xdc00..0xe000).contains(&low) {
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                        end += 6;
                    }
                }
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
        }

        fn parse_object(&mut self, idx: usize) -> Result<(Value, usize), Fail> {
            let s = self.s;
            let mut object = Map::new();
            let mut idx = self.skip_ws(idx);
            if s.get(idx) != Some(&'}') {
                loop {
                    if s.get(idx) != Some(&'"') {
                        return Err(Fail::At(
                            "Expecting property name enclosed in double quotes",
                            idx,
                        ));
                    }
                    let (key, next) = self.scanstring(idx + 1)?;
                    idx = self.skip_ws(next);
                    if s.get(idx) != Some(&':') {
                        return Err(Fail::At("Expecting ':' delimiter", idx));
                    }
                    idx = self.skip_ws(idx + 1);
                    let (value, next) = self.scan_once(idx)?;
                    object.insert(key, value);
                    idx = self.skip_ws(next);
                    if s.get(idx) == Some(&'}') {
                        break;
                    }
                    if s.get(idx) != Some(&',') {
                        return Err(Fail::At("Expecting ',' delimiter", idx));
                    }
                    idx = self.skip_ws(idx + 1);
                }
            }
            Ok((Value::Object(object), idx + 1))
        }

        fn parse_array(&mut self, idx: usize) -> Result<(Value, usize), Fail> {
            let s = self.s;
            let mut values = Vec::new();
            let mut idx = self.skip_ws(idx);
            if s.get(idx) != Some(&']') {
                loop {
                    let (value, next) = self.scan_once(idx)?;
                    values.push(value);
                    idx = self.skip_ws(next);
                    if s.get(idx) == Some(&']') {
                        break;
                    }
                    if s.get(idx) != Some(&',') {
                        return Err(Fail::At("Expecting ',' delimiter", idx));
                    }
                    idx = self.skip_ws(idx + 1);
                }
            }
            Ok((Value::Array(values), idx + 1))
        }
    }

    fn unrepresentable(text: &str) -> Fail {
        Fail::Other(format!("JSON number not representable here: {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn member(name: &str, shape: Shape) -> Member {
        Member {
            name: name.to_owned(),
            key: name.to_lowercase(),
            shape,
            required: false,
            documentation: String::new(),
        }
    }

    fn list(shape: Shape) -> Shape {
        Shape::List(Box::new(shape))
    }

    fn filters() -> Shape {
        list(Shape::Structure(vec![
            member("Name", Shape::String),
            member("Values", list(Shape::String)),
        ]))
    }

    fn words(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn ok(shape: &Shape, given: &[&str]) -> Value {
        value("--x", shape, &words(given)).unwrap_or_else(|e| panic!("{given:?}: {e}"))
    }

    fn err(shape: &Shape, given: &[&str]) -> String {
        match value("--x", shape, &words(given)) {
            Ok(v) => panic!("{given:?} gave {v}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_list_of_structures_takes_shorthand_per_word_and_wraps_lone_values() {
        assert_eq!(
            ok(&filters(), &["Name=a,Values=b", "Name=c,Values=d,e"]),
            json!([{"Name": "a", "Values": ["b"]}, {"Name": "c", "Values": ["d", "e"]}])
        );
        assert_eq!(ok(&filters(), &[]), json!([]));
    }

    #[test]
    fn json_when_the_first_word_looks_like_json() {
        assert_eq!(
            ok(&filters(), &[" [{\"Name\": \"a\", \"Values\": \"b\"}]"]),
            json!([{"Name": "a", "Values": "b"}])
        );
        assert_eq!(
            err(&filters(), &["[1", "Name=b"]),
            "Error parsing parameter '--x': Invalid JSON:\n[1"
        );
        assert_eq!(
            err(&filters(), &["{\"a\":"]),
            "Error parsing parameter '--x': Invalid JSON: Expecting value: line 1 column 6 \
             (char 5)\nJSON received: {\"a\":"
        );
    }

    #[test]
    fn shorthand_errors_are_param_errors() {
        assert_eq!(
            ok(&filters(), &["Name=a,Values"]),
            json!([{"Name": ["a", "Values"]}])
        );
        assert_eq!(
            err(&filters(), &["Name=a", "Name"]),
            "Error parsing parameter '--x': Expected: '=', received: 'EOF' for input:\n\
             Name\n    ^"
        );
    }

    #[test]
    fn lists_of_scalars_take_words_as_they_are() {
        let strings = list(Shape::String);
        assert_eq!(ok(&strings, &["ami-1", "ami-2"]), json!(["ami-1", "ami-2"]));
        assert_eq!(ok(&strings, &["a=b,c"]), json!(["a=b,c"]));
        assert_eq!(ok(&strings, &["[\"a\"]"]), json!(["a"]));
        let integers = list(Shape::Integer);
        assert_eq!(ok(&integers, &["1", "2"]), json!([1, 2]));
        // The CLI names the first word, whichever is wrong.
        assert_eq!(
            err(&integers, &["1", "x"]),
            "Error parsing parameter '--x': 1"
        );
    }

    #[test]
    fn scalars_by_type() {
        assert_eq!(ok(&Shape::Integer, &[" 1_000 "]), json!(1000));
        assert_eq!(
            err(&Shape::Integer, &["abc"]),
            "invalid literal for int() with base 10: 'abc'"
        );
        assert_eq!(ok(&Shape::Float, &["2"]), json!(2.0));
        assert_eq!(
            err(&Shape::Float, &["abc"]),
            "argument --x: invalid float value: 'abc'"
        );
        assert_eq!(ok(&Shape::Boolean, &["FALSE"]), json!(false));
        assert_eq!(ok(&Shape::Boolean, &["no"]), json!(true));
        assert_eq!(ok(&Shape::Timestamp, &["2024-01-01"]), json!("2024-01-01"));
        assert_eq!(ok(&Shape::String, &["{\"a\":1}"]), json!("{\"a\":1}"));
    }

    #[test]
    fn word_counts() {
        assert_eq!(
            err(&Shape::String, &[]),
            "argument --x: expected one argument"
        );
        let error = value("--x", &Shape::String, &words(&["a", "b"])).unwrap_err();
        assert_eq!(error.kind(), ArgumentErrorKind::Usage);
    }

    #[test]
    fn the_model_converts_scalars_inside_shorthand() {
        let ebs = list(Shape::Structure(vec![member(
            "Ebs",
            Shape::Structure(vec![
                member("VolumeSize", Shape::Integer),
                member("Encrypted", Shape::Boolean),
                member("Throughput", Shape::Float),
            ]),
        )]));
        assert_eq!(
            ok(&ebs, &["Ebs={VolumeSize=8,Encrypted=True,Throughput=1.5}"]),
            json!([{"Ebs": {"VolumeSize": 8, "Encrypted": true, "Throughput": 1.5}}])
        );
        assert_eq!(
            ok(&ebs, &["Ebs={Encrypted=maybe}"]),
            json!([{"Ebs": {"Encrypted": "maybe"}}])
        );
        assert_eq!(
            err(&ebs, &["Ebs={VolumeSize=[1]}"]),
            "int() argument must be a string, a bytes-like object or a real number, not 'list'"
        );
        assert_eq!(
            err(&ebs, &["Ebs={Encrypted={}}"]),
            "'dict' object has no attribute 'lower'"
        );
    }

    #[test]
    fn maps_of_lists() {
        let parameters = Shape::Map(Box::new(list(Shape::String)));
        assert_eq!(
            ok(&parameters, &["commands=ls,whoami,workingDirectory=/tmp"]),
            json!({"commands": ["ls", "whoami"], "workingDirectory": ["/tmp"]})
        );
    }

    #[test]
    fn a_lone_value_member_takes_a_bare_word() {
        let attribute = Shape::Structure(vec![member("Value", Shape::String)]);
        assert_eq!(ok(&attribute, &["shutdown"]), json!({"Value": "shutdown"}));
        assert_eq!(ok(&attribute, &["Value=stop"]), json!({"Value": "stop"}));
    }

    #[test]
    fn documents_take_json_only() {
        assert_eq!(ok(&Shape::Any, &["[1, null]"]), json!([1, null]));
        let with_document = Shape::Structure(vec![member("Doc", Shape::Any)]);
        assert_eq!(
            err(&with_document, &["Doc=x"]),
            "Error parsing parameter '--x': Shorthand syntax does not support document types. \
             Use JSON input for top-level argument to specify nested parameter: Doc"
        );
        let map = Shape::Map(Box::new(Shape::Any));
        assert_eq!(
            err(&map, &["a=b"]),
            "Error parsing parameter '--x': Invalid JSON:\na=b"
        );
        assert_eq!(err(&map, &[""]), "string index out of range");
    }

    #[test]
    fn bare_words_are_no_list_of_structures() {
        // `_uses_old_list_case` is for operations that are not simulated.
        let instances = list(Shape::Structure(vec![member("InstanceId", Shape::String)]));
        let given = words(&["i-1", "i-2"]);
        assert!(value("--instances", &instances, &given).is_err());
    }

    #[test]
    fn python_json_errors() {
        for (text, message) in [
            ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
            (
                "{\"a\":1,}",
                "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)",
            ),
            (
                "\"ab",
                "Unterminated string starting at: line 1 column 1 (char 0)",
            ),
            (
                "\"\\u12\"",
                "Invalid \\uXXXX escape: line 1 column 3 (char 2)",
            ),
            ("01", "Extra data: line 1 column 2 (char 1)"),
            (
                "{\"a\" 1}",
                "Expecting ':' delimiter: line 1 column 6 (char 5)",
            ),
            (
                "[1\n 2]",
                "Expecting ',' delimiter: line 2 column 2 (char 4)",
            ),
        ] {
            assert_eq!(
                err(&Shape::Any, &[text]),
                format!(
                    "Error parsing parameter '--x': Invalid JSON: {message}\nJSON received: {text}"
                )
            );
        }
        assert_eq!(ok(&Shape::Any, &["\"\\ud83d\\ude00\""]), json!("😀"));
    }

    #[test]
    fn python_repr_quotes_like_python() {
        assert_eq!(py_repr("abc"), "'abc'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(py_repr("a\nb\u{1}"), "'a\\nb\\x01'");
    }

    #[test]
    fn deep_json_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(err(&Shape::Any, &[&deep]).starts_with("maximum recursion depth exceeded"));
    }
}

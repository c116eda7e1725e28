//! The AWS CLI's shorthand syntax: `Name=owner-alias,Values=amazon,self`,
//! `ResourceType=image,Tags=[{Key=a,Value=b}]`, parsed purely syntactically into strings, lists
//! and objects, as awscli 1.46.3's `awscli/shorthand.py` `ShorthandParser` does, before the
//! model is applied (that is [`crate::argument`]'s job, after `BackCompatVisitor`).
//!
//! The grammar, from `ShorthandParser`'s comments and methods:
//!
//! ```text
//! parameter     = keyval *("," keyval)             ; _parameter
//! keyval        = key ["@"] "=" [values]            ; _keyval
//! key           = *[a-zA-Z0-9-_.#/:]                ; _key (may be empty)
//! values        = csv-value / explicit-list / hash-literal   ; _values
//! csv-value     = first-value *("," second-value)   ; _csv_value, with backtracking
//! explicit-list = "[" [explicit-value *("," explicit-value)] [","] "]"
//! hash-literal  = "{" *(key ["@"] "=" explicit-value [","]) "}"
//! ```
//!
//! Positions are counted in Unicode code points, as Python indexes a `str`, and the error
//! messages are `ShorthandParseSyntaxError`'s and `DuplicateKeyInObjectError`'s, with the caret
//! line of `ShorthandParseError._error_location`.
//!
//! Not reproduced: `key@=file://...` reads the file inside the parser in awscli
//! (`_resolve_paramfiles`); here `@=` is accepted and the value is kept as written, since
//! `file://` and `fileb://` are the caller's business.

use serde_json::{Map, Value};
use std::fmt;

/// A shorthand value that does not parse: awscli's `ShorthandParseSyntaxError` ("Expected: ...,
/// received: ...") or `DuplicateKeyInObjectError` ("Second instance of key ..."), whose
/// [`Display`](fmt::Display) is the exception's `str()`, as the CLI prints it after
/// "Error parsing parameter '--x': ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError {
    kind: ErrorKind,
    /// The whole input, as code points.
    input: Vec<char>,
    /// Where the error was found, in code points.
    index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    /// `ShorthandParseSyntaxError(value, expected, actual, index)`.
    Syntax { expected: String, actual: String },
    /// `DuplicateKeyInObjectError(key, value, index)`.
    DuplicateKey { key: String },
    /// Python's `RecursionError`, from lists and hash literals nested too deep.
    Recursion,
}

impl ShorthandError {
    /// Whether this stands for Python's `RecursionError` (lists or hash literals nested deeper
    /// than Python's recursion limit allows), which awscli does not catch as a parse error.
    pub fn is_recursion_error(&self) -> bool {
        self.kind == ErrorKind::Recursion
    }

    /// The position (in code points) the caret points at.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `ShorthandParseError._error_location`: the input up to the end of the line holding the
    /// error, a line with a caret under the error, then the rest of the input.
    fn location(&self) -> String {
        let index = self.index.min(self.input.len());
        let before = &self.input[..index];
        let spaces = match before.iter().rposition(|&c| c == '\n') {
            Some(newline) => index - newline - 1,
            None => index,
        };
        let (consumed, remaining): (String, String) =
            match self.input[index..].iter().position(|&c| c == '\n') {
                Some(offset) => (
                    self.input[..index + offset].iter().collect(),
                    self.input[index + offset..].iter().collect(),
                ),
                None => (self.input.iter().collect(), String::new()),
            };
        format!("{consumed}\n{}^{remaining}", " ".repeat(spaces))
    }
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Syntax { expected, actual } => write!(
                f,
                "Expected: '{expected}', received: '{actual}' for input:\n{}",
                self.location()
            ),
            ErrorKind::DuplicateKey { key } => write!(
                f,
                "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often \
                 because there is a preceding \",\" instead of a space.",
                self.location()
            ),
            ErrorKind::Recursion => f.write_str("maximum recursion depth exceeded"),
        }
    }
}

impl std::error::Error for ShorthandError {}

/// Parses the CLI's shorthand syntax (`Name=owner-alias,Values=amazon,self`, `Key=Name,Value=web`,
/// `ResourceType=image,Tags=[{Key=a,Value=b},{Key=c,Value=d}]`, `a=b,c=d`, quoted values,
/// escapes) into the JSON the CLI's `ShorthandParser.parse` produces: always an object at the
/// top, whose values are strings, lists and objects (no numbers or booleans before the model is
/// applied).
///
/// Rules followed (awscli 1.46.3, `awscli/shorthand.py`):
/// - `a=b,c` is `{"a": ["b", "c"]}` and `a=b,c=d` is two keys: after a comma, a value followed
///   by `=` makes the parser backtrack to the comma (`_csv_value`, `_backtrack_to`).
/// - `a=` is `{"a": ""}`; a repeated top-level key is an error (`_parameter`), a repeated key
///   in `{...}` silently keeps the last value (`_hash_literal`).
/// - An unquoted value starts with any character but `,`, `=`, `[`, `{`, quotes, controls
///   and whitespace (`_START_WORD`); the first value after `=` then runs to a `,`, `]`, `}`,
///   quote or control character (`_FIRST_FOLLOW_CHARS`: it may hold `=` and spaces), a value
///   after a comma to a `,`, `=`, quote or control (`_SECOND_FOLLOW_CHARS`); `\,` is a comma
///   inside a value; trailing whitespace is stripped (`_value`, `_second_value`).
/// - Whitespace between tokens (`string.whitespace`, ASCII) is skipped around `=`, `,`, `[`
///   and `{`, but not before the first key (` a=b` has an empty key and fails).
/// - `'...'` and `"..."` keep everything inside, with `\'` (or `\"`) and `\\` unescaped
///   (`_consume_quoted`).
/// - Characters above U+FFFF are outside every character class of awscli's regular
///   expressions, so they end an unquoted value (and cannot start one).
pub fn parse(text: &str) -> Result<Value, ShorthandError> {
    let mut parser = Parser {
        input: text.chars().collect(),
        index: 0,
        depth: 0,
    };
    parser.parameter()
}

/// The parser's state: the input as code points and the current position.
struct Parser {
    input: Vec<char>,
    index: usize,
    /// How many lists and hash literals enclose the current position.
    depth: usize,
}

/// How deep lists and hash literals may nest: each level costs awscli two Python frames
/// (`_explicit_list` or `_hash_literal`, then `_explicit_values`) of the default recursion
/// limit of 1000; the exact limit depends on the frames below the parser.
const MAX_DEPTH: usize = 490;

/// Which of awscli's two unquoted-value regular expressions applies.
#[derive(Clone, Copy)]
enum Word {
    /// `_FIRST_VALUE`: the first value after `=` or in brackets; may contain `=` and `[`.
    First,
    /// `_SECOND_VALUE`: a value after a comma in a csv list; may contain `]`, `}`, `[`, `{`
    /// but not `=`.
    Second,
}

/// Python's `str.isspace` (what `\s` matches in a Unicode regular expression, and what
/// `str.strip` removes): Rust's Unicode White_Space plus the ASCII separators U+001C–U+001F.
pub(crate) fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.rstrip()`.
fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(py_isspace)
}

/// `_START_WORD`: `[!#-&(-+\--<>-Z\\-z|-\uffff]`.
fn is_start_char(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// `_FIRST_FOLLOW_CHARS`: `[\s!#-&(-+\--\\^-|~-\uffff]`.
fn is_first_follow_char(c: char) -> bool {
    py_isspace(c)
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// `_SECOND_FOLLOW_CHARS`: `[\s!#-&(-+\--<>-\uffff]`.
fn is_second_follow_char(c: char) -> bool {
    py_isspace(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// `string.whitespace`, what `_consume_whitespace` skips: ASCII only.
fn is_ascii_py_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// `_key`'s valid characters: `string.ascii_letters + string.digits + '-_.#/:'`.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

impl Parser {
    fn current(&self) -> Option<char> {
        self.input.get(self.index).copied()
    }

    fn at_eof(&self) -> bool {
        self.index >= self.input.len()
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.input[start..end].iter().collect()
    }

    fn syntax_error(&self, expected: &str, actual: String) -> ShorthandError {
        ShorthandError {
            kind: ErrorKind::Syntax {
                expected: expected.to_owned(),
                actual,
            },
            input: self.input.clone(),
            index: self.index,
        }
    }

    /// `_parameter`: `keyval *("," keyval)`, refusing a key given twice.
    fn parameter(&mut self) -> Result<Value, ShorthandError> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        let mut last_index = self.index;
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                return Err(ShorthandError {
                    kind: ErrorKind::DuplicateKey { key },
                    input: self.input.clone(),
                    index: last_index + 1,
                });
            }
            params.insert(key, value);
            last_index = self.index;
        }
        Ok(Value::Object(params))
    }

    /// `_keyval`: a key, an optional `@` (awscli's "resolve file://" marker), `=`, values.
    fn keyval(&mut self) -> Result<(String, Value), ShorthandError> {
        let key = self.key();
        self.optional_at();
        self.expect('=', true)?;
        let values = self.values()?;
        Ok((key, values))
    }

    /// The `try: self._expect('@', consume_whitespace=True) except: pass` of `_keyval` and
    /// `_hash_literal`: whitespace before a missing `@` is consumed all the same.
    fn optional_at(&mut self) {
        self.consume_whitespace();
        if self.current() == Some('@') {
            self.index += 1;
            self.consume_whitespace();
        }
    }

    /// `_key`: the longest run of key characters, possibly empty.
    fn key(&mut self) -> String {
        let start = self.index;
        while self.current().is_some_and(is_key_char) {
            self.index += 1;
        }
        self.slice(start, self.index)
    }

    /// `_values`: nothing (`""`), an explicit list, a hash literal or a csv value.
    fn values(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    /// `_csv_value`: `b` or `b,c,d`; a value after a comma that turns out to be the next key
    /// (`a=b,c=d`) sends the parser back to the comma before it.
    fn csv_value(&mut self) -> Result<Value, ShorthandError> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(Value::String(first));
        }
        self.expect(',', true)?;
        let mut list = vec![Value::String(first)];
        loop {
            match self.csv_item() {
                Ok((value, at_end)) => {
                    list.push(Value::String(value));
                    if at_end {
                        break;
                    }
                }
                Err(error) => {
                    if self.at_eof() {
                        return Err(error);
                    }
                    self.backtrack_to(',');
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(list.swap_remove(0));
        }
        Ok(Value::Array(list))
    }

    /// One turn of `_csv_value`'s loop: a second value, then either the end of the input
    /// (`true`) or a comma (`false`).
    fn csv_item(&mut self) -> Result<(String, bool), ShorthandError> {
        let value = self.second_value()?;
        self.consume_whitespace();
        if self.at_eof() {
            return Ok((value, true));
        }
        self.expect(',', true)?;
        Ok((value, false))
    }

    /// `_explicit_list`: `[a, [b], {c=d}, ]`.
    fn explicit_list(&mut self) -> Result<Value, ShorthandError> {
        self.enter()?;
        let result = self.explicit_list_inner();
        self.depth -= 1;
        result
    }

    /// Counts one more level of nesting, or fails as Python's recursion limit would.
    fn enter(&mut self) -> Result<(), ShorthandError> {
        if self.depth >= MAX_DEPTH {
            return Err(ShorthandError {
                kind: ErrorKind::Recursion,
                input: self.input.clone(),
                index: self.index,
            });
        }
        self.depth += 1;
        Ok(())
    }

    fn explicit_list_inner(&mut self) -> Result<Value, ShorthandError> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            values.push(self.explicit_values()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(Value::Array(values))
    }

    /// `_explicit_values`: a list, a hash literal or a first value.
    fn explicit_values(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value().map(Value::String),
        }
    }

    /// `_hash_literal`: `{a=b, c=[d], e={f=g}}`; a repeated key keeps its last value.
    fn hash_literal(&mut self) -> Result<Value, ShorthandError> {
        self.enter()?;
        let result = self.hash_literal_inner();
        self.depth -= 1;
        result
    }

    fn hash_literal_inner(&mut self) -> Result<Value, ShorthandError> {
        self.expect('{', true)?;
        let mut keyvals = Map::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.optional_at();
            self.expect('=', true)?;
            let value = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            keyvals.insert(key, value);
        }
        self.expect('}', false)?;
        Ok(Value::Object(keyvals))
    }

    /// `_first_value`: a quoted value, or `_value` (possibly empty, never an error).
    fn first_value(&mut self) -> Result<String, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(self.word(Word::First).unwrap_or_default()),
        }
    }

    /// `_second_value`: a quoted value or a `_SECOND_VALUE` word, which must not be empty.
    fn second_value(&mut self) -> Result<String, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => self
                .word(Word::Second)
                .ok_or_else(|| self.syntax_error("<second>", "<none>".to_owned())),
        }
    }

    /// Matches `_FIRST_VALUE` or `_SECOND_VALUE` at the current position: `(\\,|[start])
    /// (\\,|[follow])*`, greedily, then replaces `\,` with `,` and strips trailing whitespace.
    /// `None` when not even one character matches.
    fn word(&mut self, word: Word) -> Option<String> {
        let follow = match word {
            Word::First => is_first_follow_char,
            Word::Second => is_second_follow_char,
        };
        let start = self.index;
        let mut end = start;
        loop {
            let first = end == start;
            match self.input.get(end) {
                Some('\\') if self.input.get(end + 1) == Some(&',') => end += 2,
                Some(&c) if (first && is_start_char(c)) || (!first && follow(c)) => end += 1,
                _ => break,
            }
        }
        if end == start {
            return None;
        }
        self.index = end;
        let text = self.slice(start, end).replace("\\,", ",");
        Some(py_rstrip(&text).to_owned())
    }

    /// `_single_quoted_value`/`_double_quoted_value`: the regular expression
    /// `'(?:\\'|[^'])*'` with Python's backtracking (the match ends at the first unescaped quote
    /// or, failing one, at the last escaped one), then `\'` → `'` and `\\` → `\`.
    fn quoted(&mut self, quote: char) -> Result<String, ShorthandError> {
        let start = self.index;
        let mut i = start + 1;
        let mut last_escaped_quote = None;
        let end = loop {
            match self.input.get(i) {
                None => match last_escaped_quote {
                    Some(end) => break end,
                    None => {
                        let name = if quote == '\'' {
                            "<singled quoted>"
                        } else {
                            "<double quoted>"
                        };
                        return Err(self.syntax_error(name, "<none>".to_owned()));
                    }
                },
                Some(&c) if c == quote => break i,
                Some('\\') if self.input.get(i + 1) == Some(&quote) => {
                    last_escaped_quote = Some(i + 1);
                    i += 2;
                }
                Some(_) => i += 1,
            }
        };
        self.index = end + 1;
        let inner = self.slice(start + 1, end);
        let escaped = format!("\\{quote}");
        Ok(inner
            .replace(&escaped, &quote.to_string())
            .replace("\\\\", "\\"))
    }

    /// `_expect`: the character `c` (after whitespace, and followed by whitespace, when
    /// `whitespace`), or a syntax error naming what was found (`EOF` at the end).
    fn expect(&mut self, c: char, whitespace: bool) -> Result<(), ShorthandError> {
        if whitespace {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax_error(&c.to_string(), "EOF".to_owned())),
            Some(actual) if actual != c => {
                return Err(self.syntax_error(&c.to_string(), actual.to_string()))
            }
            Some(_) => self.index += 1,
        }
        if whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    /// `_backtrack_to`: back to the nearest `c` at or before the current position.
    fn backtrack_to(&mut self, c: char) {
        if let Some(found) = self.input[..=self.index.min(self.input.len() - 1)]
            .iter()
            .rposition(|&x| x == c)
        {
            self.index = found;
        }
    }

    /// `_consume_whitespace`: skips `string.whitespace`.
    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(is_ascii_py_whitespace) {
            self.index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> Value {
        parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> String {
        match parse(text) {
            Ok(value) => panic!("{text:?} parsed as {value}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn key_value_pairs_and_csv_lists() {
        assert_eq!(ok("a=b"), json!({"a": "b"}));
        assert_eq!(ok("a=b,c"), json!({"a": ["b", "c"]}));
        assert_eq!(ok("a=b,c=d"), json!({"a": "b", "c": "d"}));
        assert_eq!(
            ok("Name=owner-alias,Values=amazon,self"),
            json!({"Name": "owner-alias", "Values": ["amazon", "self"]})
        );
        // Backtracking: `e` is the next key, so the list stops at `d`.
        assert_eq!(ok("a=b,c,d=e"), json!({"a": ["b", "c"], "d": "e"}));
    }

    #[test]
    fn empty_values_and_keys() {
        assert_eq!(ok("a="), json!({"a": ""}));
        assert_eq!(ok("a=,b=c"), json!({"a": "", "b": "c"}));
        assert_eq!(ok("=b"), json!({"": "b"}));
    }

    #[test]
    fn first_value_may_hold_equals_but_later_ones_may_not() {
        assert_eq!(ok("a=b=c"), json!({"a": "b=c"}));
        // `=` cannot start a value.
        assert_eq!(
            err("a==b"),
            "Expected: ',', received: '=' for input:\na==b\n  ^"
        );
    }

    #[test]
    fn whitespace_around_tokens_and_trailing_whitespace_of_values() {
        assert_eq!(ok("a = b , c = d "), json!({"a": "b", "c": "d"}));
        // Whitespace before the first key is not skipped: the key is empty.
        assert_eq!(
            err(" a=b"),
            "Expected: '=', received: 'a' for input:\n a=b\n ^"
        );
        assert_eq!(ok("a=b c"), json!({"a": "b c"}));
        // Non-ASCII whitespace is part of a value, except at its end (`rstrip`).
        assert_eq!(ok("a=\u{a0}b\u{a0}"), json!({"a": "\u{a0}b"}));
    }

    #[test]
    fn explicit_lists_and_hash_literals() {
        assert_eq!(ok("a=[]"), json!({"a": []}));
        assert_eq!(ok("a=[b,]"), json!({"a": ["b"]}));
        assert_eq!(ok("a=[,]"), json!({"a": [""]}));
        assert_eq!(ok("a=[[b,c],[d]]"), json!({"a": [["b", "c"], ["d"]]}));
        assert_eq!(
            ok("ResourceType=image,Tags=[{Key=a,Value=b},{Key=c,Value=d}]"),
            json!({"ResourceType": "image", "Tags": [{"Key": "a", "Value": "b"}, {"Key": "c", "Value": "d"}]})
        );
        assert_eq!(ok("a={b=c,b=d}"), json!({"a": {"b": "d"}}));
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ok("a='b,c'"), json!({"a": "b,c"}));
        assert_eq!(ok("a=\"b,c\""), json!({"a": "b,c"}));
        assert_eq!(ok("a='it\\'s'"), json!({"a": "it's"}));
        assert_eq!(ok("a='x\\\\y'"), json!({"a": "x\\y"}));
        // No closing quote after the escaped one: the escaped quote closes (backtracking).
        assert_eq!(ok("a='abc\\'"), json!({"a": "abc\\"}));
        assert_eq!(ok("a=b\\,c"), json!({"a": "b,c"}));
        assert_eq!(ok("a=b\\,c,d"), json!({"a": ["b,c", "d"]}));
    }

    #[test]
    fn characters_above_the_bmp_end_a_value() {
        assert!(parse("a=😀").is_err());
        assert!(parse("a=b😀").is_err());
        assert_eq!(ok("a=日本"), json!({"a": "日本"}));
    }

    #[test]
    fn the_at_sign_marks_a_file_value_and_is_otherwise_ignored() {
        assert_eq!(ok("a @= b"), json!({"a": "b"}));
    }

    #[test]
    fn syntax_errors_point_at_the_position() {
        assert_eq!(err(""), "Expected: '=', received: 'EOF' for input:\n\n^");
        assert_eq!(
            err("a=b,"),
            "Expected: '<second>', received: '<none>' for input:\na=b,\n    ^"
        );
        assert_eq!(
            err("a={b"),
            "Expected: '=', received: 'EOF' for input:\na={b\n    ^"
        );
        assert_eq!(
            err("a='b"),
            "Expected: '<singled quoted>', received: '<none>' for input:\na='b\n  ^"
        );
        assert_eq!(
            err("a=[b]c"),
            "Expected: ',', received: 'c' for input:\na=[b]c\n     ^"
        );
    }

    #[test]
    fn error_location_with_newlines() {
        assert_eq!(
            err("foo=bar,\nbar==baz,x"),
            "Expected: ',', received: '=' for input:\nfoo=bar,\nbar==baz,x\n    ^"
        );
        assert_eq!(
            err("foo==bar,\nbar=baz"),
            "Expected: ',', received: '=' for input:\nfoo==bar,\n    ^\nbar=baz"
        );
    }

    #[test]
    fn a_repeated_top_level_key_is_refused() {
        assert_eq!(
            err("Key=a,Value=b,Key=c"),
            "Second instance of key \"Key\" encountered for input:\nKey=a,Value=b,Key=c\n    \
             \u{20}         ^\nThis is often because there is a preceding \",\" instead of a space."
        );
    }

    #[test]
    fn nesting_too_deep_is_a_recursion_error_not_a_crash() {
        let deep = format!("a={}", "[".repeat(100_000));
        let error = parse(&deep).unwrap_err();
        assert!(error.is_recursion_error());
        assert_eq!(error.to_string(), "maximum recursion depth exceeded");
    }
}

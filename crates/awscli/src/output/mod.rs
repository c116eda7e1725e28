//! The AWS CLI's three `--output` formats — `json`, `text` and `table` — rendered byte for byte
//! as the AWS CLI v1 (awscli 1.46.3) prints them to stdout.
//!
//! The rules follow awscli's own sources, which were read for facts (no code was copied):
//!
//! * `awscli/formatter.py`: which formatter runs for which format, that the response's
//!   `ResponseMetadata` is dropped, that `json` prints nothing for an empty object, and how the
//!   `table` formatter walks a document into sections ([`table`]);
//! * `awscli/utils.py` (`json_encoder`) and Python's `json.dump(indent=4, ensure_ascii=False)`
//!   for `json` ([`json`]);
//! * `awscli/text.py` for `text` ([`text`]);
//! * `awscli/table.py` for the table's layout: widths, centring, borders and the vertical
//!   conversion of wide tables ([`table`]).
//!
//! awscli is Python, so scalars are printed as Python prints them: `True`/`False`, `None`,
//! integers in full and floats as Python's `repr` (`1e+16`, `1e-05`, `2.0`); the few places where
//! the CLI prints a whole list or object with Python's `str` show Python's `repr` of it
//! (`['a', 1]`, `{'Key': 'x'}`).
//!
//! **Key order.** Objects are iterated in the `serde_json` map's own order (insertion order: the
//! workspace enables `preserve_order`): that is the order `json` prints keys in, as Python
//! prints a dict in its insertion order. `text` and `table` sort keys themselves (code
//! point order, as Python's `sorted`), as the CLI does.
//!
//! **Terminal.** `render` renders as the CLI does when stdout is not a terminal (a pipe or a
//! file, which is also what the course's checker sees): no colour, and a terminal width of 80
//! columns, the default `awscli/table.py`'s `determine_terminal_width` falls back to when the
//! `TIOCGWINSZ` ioctl fails. A table wider than that is converted as the CLI does (single-row
//! sections turned vertical); nothing is ever wrapped or truncated.
//!
//! **Errors.** Some shapes make the CLI's formatters raise an exception (for instance a `table`
//! whose rows have different lengths, or a `text` list mixing objects with non-objects). The CLI
//! then prints an error on stderr; `render` returns what the CLI had written to stdout by then:
//! nothing for `table` (it renders only once the whole table is built), the lines written so far
//! for `text` (it streams).
//!
//! **Not reproduced.**
//!
//! * Colour: on a terminal (`--color auto` with a TTY, or `--color on`) awscli's
//!   `ColorizedStyler` wraps table cells and indentation bars in ANSI codes; `render` always
//!   renders as for a pipe. [`table::render`] takes another terminal width if one is wanted.
//! * Paginated `text`: for a paginated operation awscli's `TextFormatter` formats page by page
//!   (and ends with a `NEXTTOKEN` line when a page limit stops it), so, for example, the
//!   columns of a list of objects are the union of the keys of one page rather than of all.
//!   `render` takes one (aggregated) value, as `json` and `table` print it.
//! * Integers beyond the 64-bit range: `serde_json` (without `arbitrary_precision`) holds them
//!   as floats, so they print as Python prints that float, where awscli prints the exact integer.

pub mod json;
pub mod table;
pub mod text;
mod unicode_tables;

use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// The CLI's `--output` formats (the `choices` of `output` in awscli's `data/cli.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `--output json`: `awscli/formatter.py`'s `JSONFormatter`.
    Json,
    /// `--output text`: `awscli/formatter.py`'s `TextFormatter` over `awscli/text.py`.
    Text,
    /// `--output table`: `awscli/formatter.py`'s `TableFormatter` over `awscli/table.py`.
    Table,
}

/// The formats' names, in the order awscli's `data/cli.json` lists them.
const CHOICES: [&str; 3] = ["json", "text", "table"];

impl Format {
    /// The name `--output` takes for this format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Table => "table",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An `--output` value that is not one of the CLI's formats.
///
/// Its message is the one `awscli/argparser.py`'s `CLIArgParser._check_value` builds (after
/// argparse's `argument --output: ` prefix): the valid choices two to a line, each padded to 40
/// columns, then, when `difflib.get_close_matches` finds any, the choices the value resembles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFormatError {
    /// The value given.
    pub value: String,
}

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = vec!["Invalid choice, valid choices are:\n".to_string()];
        for pair in CHOICES.chunks(2) {
            let cells: Vec<String> = pair.iter().map(|c| format!("{c:<40}")).collect();
            parts.push(cells.join(" | "));
        }
        let close = close_matches(&self.value, &CHOICES, 3, 0.8);
        if !close.is_empty() {
            parts.push(format!(
                "\n\nInvalid choice: {}, maybe you meant:\n",
                py_repr_str(&self.value)
            ));
            for word in close {
                parts.push(format!("  * {word}"));
            }
        }
        write!(f, "argument --output: {}", parts.join("\n"))
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "table" => Ok(Format::Table),
            _ => Err(ParseFormatError {
                value: s.to_string(),
            }),
        }
    }
}

/// Renders a response (or a `--query` result) as `aws` prints it to stdout, including the final
/// newline when the CLI prints one. `operation` is the API operation name (e.g.
/// `"DescribeImages"`), which the table format uses as its title.
///
/// A top-level `ResponseMetadata` key is dropped first, as `awscli/formatter.py`'s
/// `_remove_request_id` does before the query runs. (So a query result that is itself an object
/// with a `ResponseMetadata` key, such as `--query '{ResponseMetadata: Images}'`, loses it here
/// where the CLI would print it; callers drop the metadata before running a query anyway.) Output is what the CLI prints when stdout is
/// not a terminal (no colour, 80 columns for the table); see the [module docs](self).
pub fn render(format: Format, operation: &str, value: &Value) -> String {
    let stripped;
    let value = match value {
        Value::Object(map) if map.contains_key("ResponseMetadata") => {
            let mut map = map.clone();
            map.remove("ResponseMetadata");
            stripped = Value::Object(map);
            &stripped
        }
        _ => value,
    };
    match format {
        Format::Json => json::render(value),
        Format::Text => text::render(value),
        Format::Table => table::render(operation, value, table::NON_TTY_TERMINAL_WIDTH),
    }
}

/// Python's `str()` of a JSON value as `json.loads` would have built it: strings as they are,
/// `True`/`False`, `None`, numbers as Python prints `int` and `float`, and lists and dicts as
/// their `repr`.
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr()` of a JSON value as `json.loads` would have built it.
pub(crate) fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    write_py_repr(&mut out, value);
    out
}

fn write_py_repr(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&py_number(n)),
        Value::String(s) => out.push_str(&py_repr_str(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py_repr(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&py_repr_str(key));
                out.push_str(": ");
                write_py_repr(out, item);
            }
            out.push('}');
        }
    }
}

/// Python's `repr()` of a `str`: single quotes unless the string holds a `'` and no `"`, the
/// usual backslash escapes, and `\xNN`/`\uNNNN`/`\UNNNNNNNN` for characters that
/// `str.isprintable` rejects.
pub(crate) fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let cp = c as u32;
                if cp <= 0xff {
                    out.push_str(&format!("\\x{cp:02x}"));
                } else if cp <= 0xffff {
                    out.push_str(&format!("\\u{cp:04x}"));
                } else {
                    out.push_str(&format!("\\U{cp:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for one character (Python 3.11's Unicode data).
fn is_printable(c: char) -> bool {
    let cp = c as u32;
    if (0x20..0x7f).contains(&cp) {
        return true;
    }
    !in_ranges(unicode_tables::NOT_PRINTABLE, cp)
}

fn in_ranges(ranges: &[(u32, u32)], cp: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The width `awscli/table.py`'s `get_text_length` gives a string: two columns for each
/// character whose East Asian Width is W, F or A, one for every other.
pub(crate) fn text_length(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let cp = c as u32;
            if cp >= 0xa1 && in_ranges(unicode_tables::WIDE_OR_AMBIGUOUS, cp) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// A JSON number as Python prints the `int` or `float` `json.loads` makes of it.
pub(crate) fn py_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        py_float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in positional notation when the
/// decimal exponent lies in `-4 <= exp < 16` (with `.0` added to whole numbers), and otherwise
/// as `d.ddde±XX` with at least two exponent digits.
pub(crate) fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    // Rust's `{:e}` gives the shortest round-tripping digits, as Python's repr does.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}`'s exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1; // digits d1 d2 … with the point after `decpt` of them
    let body = if -4 < decpt && decpt <= 16 {
        let n = digits.len() as i32;
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            let (int, frac) = digits.split_at(decpt as usize);
            format!("{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let mant = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{esign}{:02}", exp.abs())
    };
    format!("{sign}{body}")
}

/// `difflib.get_close_matches(word, possibilities, n, cutoff)`: the possibilities whose
/// `SequenceMatcher(None, x, word).ratio()` is at least `cutoff`, best first (ties: the larger
/// string first, as Python compares `(score, x)` tuples), at most `n` of them.
fn close_matches<'a>(word: &str, possibilities: &[&'a str], n: usize, cutoff: f64) -> Vec<&'a str> {
    let b: Vec<char> = word.chars().collect();
    let mut scored: Vec<(f64, &'a str)> = possibilities
        .iter()
        .filter_map(|x| {
            let a: Vec<char> = x.chars().collect();
            let total = a.len() + b.len();
            if total == 0 {
                return Some((1.0, *x));
            }
            let ratio = 2.0 * matching_chars(&a, &b) as f64 / total as f64;
            (ratio >= cutoff).then_some((ratio, *x))
        })
        .collect();
    scored.sort_by(|l, r| r.0.total_cmp(&l.0).then_with(|| r.1.cmp(l.1)));
    scored.into_iter().take(n).map(|(_, x)| x).collect()
}

/// The number of characters in `SequenceMatcher`'s matching blocks (no junk; `autojunk` only
/// applies to sequences of 200 or more, far longer than a format name).
fn matching_chars(a: &[char], b: &[char]) -> usize {
    // Longest common block, earliest in `a`, then earliest in `b`.
    let mut best = (0, 0, 0);
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            if k > best.2 {
                best = (i, j, k);
            }
        }
    }
    let (i, j, k) = best;
    if k == 0 {
        return 0;
    }
    k + matching_chars(&a[..i], &b[..j]) + matching_chars(&a[i + k..], &b[j + k..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_parse_by_name() {
        for f in [Format::Json, Format::Text, Format::Table] {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.name());
        }
    }

    #[test]
    fn an_unknown_format_lists_the_choices() {
        let err = "yaml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "argument --output: Invalid choice, valid choices are:\n\n{:<40} | {:<40}\n{:<40}",
                "json", "text", "table"
            )
        );
        let err = "jsn".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.ends_with("\n\n\nInvalid choice: 'jsn', maybe you meant:\n\n  * json"),
            "{err}"
        );
    }

    #[test]
    fn close_choices_are_suggested_as_the_cli_does() {
        // As `aws --output VALUE sts get-caller-identity` (awscli 1.46.3) reports them.
        let choices = format!("{:<40} | {:<40}\n{:<40}", "json", "text", "table");
        for (value, suggestion) in [
            ("tabel", Some("table")),
            ("txt", Some("text")),
            ("tex", Some("text")),
            ("jso", Some("json")),
            ("JSON", None),
        ] {
            let mut want =
                format!("argument --output: Invalid choice, valid choices are:\n\n{choices}");
            if let Some(s) = suggestion {
                want.push_str(&format!(
                    "\n\n\nInvalid choice: '{value}', maybe you meant:\n\n  * {s}"
                ));
            }
            assert_eq!(value.parse::<Format>().unwrap_err().to_string(), want);
        }
    }

    #[test]
    fn floats_print_as_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.5, "0.5"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.25e-7, "1.25e-07"),
            (1e100, "1e+100"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (f, want) in cases {
            assert_eq!(py_float_repr(f), want, "{f}");
        }
    }

    #[test]
    fn scalars_print_as_python_str() {
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(false)), "False");
        assert_eq!(py_str(&json!(null)), "None");
        assert_eq!(py_str(&json!(42)), "42");
        assert_eq!(py_str(&json!(2.0)), "2.0");
        assert_eq!(py_str(&json!("ami-1")), "ami-1");
        assert_eq!(
            py_str(&json!([{"Key": "it's", "V": [1, null]}, "a\nb"])),
            "[{'Key': \"it's\", 'V': [1, None]}, 'a\\nb']"
        );
        assert_eq!(py_repr_str("\u{7f}é\u{200b}😀"), "'\\x7fé\\u200b😀'");
    }

    #[test]
    fn wide_and_ambiguous_characters_count_twice() {
        assert_eq!(text_length("ami-0abc"), 8);
        assert_eq!(text_length("日本"), 4);
        assert_eq!(text_length("é"), 2); // Latin-1 letters are ambiguous too
        assert_eq!(text_length("a±"), 3);
    }

    #[test]
    fn response_metadata_is_not_printed() {
        let v = json!({"ResponseMetadata": {"RequestId": "r"}});
        assert_eq!(render(Format::Json, "X", &v), "");
        assert_eq!(render(Format::Text, "X", &v), "");
        assert_eq!(render(Format::Table, "X", &v), "");
    }
}

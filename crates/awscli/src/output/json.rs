//! `--output json`, as `awscli/formatter.py`'s `JSONFormatter` prints it.
//!
//! The formatter calls Python's `json.dump(response, indent=4, ensure_ascii=False,
//! default=awscli.utils.json_encoder)` and writes a newline after it, except that an empty object
//! (an operation without a response body) prints nothing at all. Other "empty" values are
//! printed: `[]`, `""`, and `null` (a `--query` that matched nothing).
//!
//! Python's encoder, with an indent, puts every element of a non-empty list or object on its own
//! line indented by four more spaces, separates items with `,` and keys from values with `: `,
//! and prints `[]` and `{}` for empty ones. Strings escape only `"`, `\`, and the control
//! characters below U+0020 (`\n`, `\r`, `\t`, `\b`, `\f` by name, the rest as `\u00XX` in lower
//! case); everything else, non-ASCII included, is written as it is. Numbers are printed as Python
//! prints the `int` or `float` `json.loads` made of them (`1.0`, `1e+16`). `json_encoder` itself
//! (datetimes and bytes) has nothing to do here: a response is already JSON.

use super::py_number;
use serde_json::Value;

/// The `json` output of `value`, with its final newline; empty for an empty object.
pub fn render(value: &Value) -> String {
    if matches!(value, Value::Object(map) if map.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_value(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&py_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                write_value(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push_str("{\n");
            // The map's own order: Python prints a dict in its (insertion) order.
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
    }
}

/// A JSON string as Python's `json` module writes it with `ensure_ascii=False`.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_indent_by_four() {
        let v = json!({"Images": [{"ImageId": "ami-1", "Tags": []}], "Other": {}});
        assert_eq!(
            render(&v),
            "{\n    \"Images\": [\n        {\n            \"ImageId\": \"ami-1\",\n            \"Tags\": []\n        }\n    ],\n    \"Other\": {}\n}\n"
        );
    }

    #[test]
    fn scalars_and_empties() {
        assert_eq!(render(&json!({})), "");
        assert_eq!(render(&json!([])), "[]\n");
        assert_eq!(render(&json!(null)), "null\n");
        assert_eq!(render(&json!("ami-1")), "\"ami-1\"\n");
        assert_eq!(render(&json!(1e16)), "1e+16\n");
        assert_eq!(render(&json!(true)), "true\n");
    }

    #[test]
    fn only_control_characters_are_escaped() {
        assert_eq!(
            render(&json!("é \"q\" \\ \n\u{1}\u{7f}/")),
            "\"é \\\"q\\\" \\\\ \\n\\u0001\u{7f}/\"\n"
        );
    }
}

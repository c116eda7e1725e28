//! `--output text`, as `awscli/text.py`'s `format_text` prints it.
//!
//! The rules, by the shape of the value:
//!
//! * a scalar is printed with Python's `str` (`True`, `None`, `1.5`) and a newline;
//! * an object prints one line of its scalar values, tab-separated, in the sorted order of their
//!   keys, preceded by the upper-cased identifier (the key that led to it) when there is one;
//!   then each non-scalar value in sorted key order, with its key as the new identifier;
//! * a list of scalars prints on one tab-separated line when it has no identifier, and one
//!   `IDENTIFIER\tvalue` line per element when it has;
//! * a list holding objects: every object prints the columns of the sorted union of the keys
//!   that are scalar in any of them (missing ones empty), then its other keys, sorted. If such a
//!   list holds anything but objects, awscli fails (`AttributeError`) at that point;
//! * a list holding lists (and no objects) prints its scalars as a scalar list first, then each
//!   inner list in turn, all under the same identifier;
//! * empty lists and objects print nothing.
//!
//! Text output is streamed: when awscli fails part-way, what it printed before the failure
//! stays on stdout, and that is what [`render`] returns.

use super::py_str;
use serde_json::{Map, Value};

/// awscli raised an exception part-way; stdout holds what had been written so far.
struct Failed;

/// The `text` output of `value` (already without `ResponseMetadata`).
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    // On failure the CLI has already written `out` to stdout.
    let _ = format_text(&mut out, value, None, None);
    out
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn format_text(
    out: &mut String,
    item: &Value,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) -> Result<(), Failed> {
    match item {
        Value::Object(map) => format_dict(out, scalar_keys, map, identifier),
        Value::Array(items) => format_list(out, items, identifier),
        scalar => {
            out.push_str(&py_str(scalar));
            out.push('\n');
            Ok(())
        }
    }
}

fn format_list(out: &mut String, items: &[Value], identifier: Option<&str>) -> Result<(), Failed> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(Value::is_object) {
        let all_keys = all_scalar_keys(items)?;
        for element in items {
            format_text(out, element, identifier, Some(&all_keys))?;
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            format_scalar_list(out, &scalars, identifier);
        }
        for non_scalar in items.iter().filter(|v| !is_scalar(v)) {
            format_text(out, non_scalar, identifier, None)?;
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        format_scalar_list(out, &scalars, identifier);
    }
    Ok(())
}

fn format_scalar_list(out: &mut String, elements: &[&Value], identifier: Option<&str>) {
    match identifier {
        Some(identifier) => {
            let upper = identifier.to_uppercase();
            for item in elements {
                out.push_str(&upper);
                out.push('\t');
                out.push_str(&py_str(item));
                out.push('\n');
            }
        }
        None => {
            let cells: Vec<String> = elements.iter().map(|v| py_str(v)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn format_dict(
    out: &mut String,
    scalar_keys: Option<&[String]>,
    map: &Map<String, Value>,
    identifier: Option<&str>,
) -> Result<(), Failed> {
    let (mut scalars, non_scalars) = partition_dict(map, scalar_keys);
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        format_text(out, value, Some(key), None)?;
    }
    Ok(())
}

/// The sorted union of the keys whose values are scalars, over a list that must hold only
/// objects (awscli calls `.items()` on every element).
fn all_scalar_keys(items: &[Value]) -> Result<Vec<String>, Failed> {
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(Failed);
        };
        for (key, value) in map {
            if is_scalar(value) {
                keys.push(key.clone());
            }
        }
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// The scalar cells of an object and its remaining (key, value) pairs, both in sorted key order.
/// With `scalar_keys` (inside a list) the cells are those keys' values, `''` where missing, and
/// the remaining pairs are the object's other keys.
fn partition_dict<'a>(
    map: &'a Map<String, Value>,
    scalar_keys: Option<&[String]>,
) -> (Vec<String>, Vec<(&'a str, &'a Value)>) {
    let mut scalars = Vec::new();
    let mut non_scalars = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if is_scalar(value) {
                    scalars.push(py_str(value));
                } else {
                    non_scalars.push((key.as_str(), value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map(py_str).unwrap_or_default());
            }
            let mut remaining: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
            remaining.sort();
            for key in remaining {
                non_scalars.push((key.as_str(), &map[key]));
            }
        }
    }
    (scalars, non_scalars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_print_identifiers_in_upper_case() {
        let v = json!({"Images": [
            {"ImageId": "ami-1", "Public": false, "Tags": [{"Key": "Name", "Value": "web"}]},
            {"ImageId": "ami-2", "Size": 8}
        ]});
        assert_eq!(
            render(&v),
            "IMAGES\tami-1\tFalse\t\nTAGS\tName\tweb\nIMAGES\tami-2\t\t8\n"
        );
    }

    #[test]
    fn scalar_lists() {
        assert_eq!(render(&json!(["a", 1, null, true])), "a\t1\tNone\tTrue\n");
        assert_eq!(render(&json!({"Ids": ["a", "b"]})), "IDS\ta\nIDS\tb\n");
        assert_eq!(render(&json!([["a", 1.5], ["b", 2]])), "a\t1.5\nb\t2\n");
        assert_eq!(render(&json!(["x", ["a", "b"]])), "x\na\tb\n");
    }

    #[test]
    fn scalars_and_empties() {
        assert_eq!(render(&json!("ami-1")), "ami-1\n");
        assert_eq!(render(&json!(null)), "None\n");
        assert_eq!(render(&json!([])), "");
        assert_eq!(render(&json!({})), "");
    }

    #[test]
    fn a_mixed_list_fails_after_what_was_printed() {
        let v = json!({"A": "first", "B": [{"K": 1}, "oops"]});
        assert_eq!(render(&v), "first\n");
    }
}

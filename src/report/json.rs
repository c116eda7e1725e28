//! The `json` renderer: the result model itself, pretty-printed, with a trailing newline.

use super::model::RunResult;

pub fn json(result: &RunResult) -> String {
    let mut s = serde_json::to_string_pretty(result).expect("the result model always serializes");
    s.push('\n');
    s
}

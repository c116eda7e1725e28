//! The JSON Schema of lab files (`amilab schema lab`), generated from [`LabSpec`].

use super::spec::LabSpec;

/// `amilab schema lab`, pretty-printed with a trailing newline.
pub fn lab_schema() -> String {
    let mut s =
        serde_json::to_string_pretty(&schemars::schema_for!(LabSpec)).expect("a schema serializes");
    s.push('\n');
    s
}

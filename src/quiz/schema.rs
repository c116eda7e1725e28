//! JSON Schemas of the quiz and answers formats, generated from the Rust types.

use super::answers::AnswersFile;
use super::spec::QuizSpec;

fn pretty(schema: schemars::Schema) -> String {
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    s.push('\n');
    s
}

/// `amilab schema quiz`.
pub fn quiz_schema() -> String {
    pretty(schemars::schema_for!(QuizSpec))
}

/// `amilab schema answers`.
pub fn answers_schema() -> String {
    pretty(schemars::schema_for!(AnswersFile))
}

//! Snapshots of the three output formats for a few representative corpus documents, among them
//! the course's own command:
//! `aws ec2 describe-images --owners self --query 'Images[*].[ImageId,Name,CreationDate]' --output table`.
//!
//! The corpus is in `tests/output/corpus`, the snapshots in `tests/output/snapshots`; the
//! oracle test (`output_oracle.rs`) checks the same documents against awscli itself.

use amilab_awscli::output::{render, Format};
use serde_json::Value;
use std::path::Path;

fn document(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/output/corpus")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The document's response, without metadata and searched with its query, as the CLI would.
fn value(doc: &Value) -> Value {
    let mut response = doc["response"].clone();
    let Some(query) = doc.get("query").and_then(Value::as_str) else {
        return response;
    };
    if let Some(map) = response.as_object_mut() {
        map.remove("ResponseMetadata");
    }
    let result = jmespath::compile(query).unwrap().search(&response).unwrap();
    serde_json::to_value(&*result).unwrap()
}

fn render_one(name: &str, format: Format) -> String {
    let doc = document(name);
    render(format, doc["operation"].as_str().unwrap(), &value(&doc))
}

/// All three formats of one document, each under a `== format ==` line.
fn render_all(name: &str) -> String {
    [Format::Json, Format::Text, Format::Table]
        .into_iter()
        .map(|f| format!("== {f} ==\n{}", render_one(name, f)))
        .collect()
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "output/snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn course_describe_images_query_as_a_table() {
    // aws ec2 describe-images --owners self \
    //     --query 'Images[*].[ImageId,Name,CreationDate]' --output table
    let table = render_one("02-describe-images-course-query", Format::Table);
    snapshot!("course_describe_images_table", table);
}

#[test]
fn describe_images_in_all_formats() {
    snapshot!("describe_images", render_all("01-describe-images"));
}

#[test]
fn course_query_in_all_formats() {
    snapshot!(
        "describe_images_course_query",
        render_all("02-describe-images-course-query")
    );
}

#[test]
fn scalar_query_in_all_formats() {
    snapshot!(
        "describe_images_first_id",
        render_all("04-describe-images-first-id")
    );
}

#[test]
fn query_matching_nothing_in_all_formats() {
    snapshot!(
        "describe_images_no_match",
        render_all("05-describe-images-no-match")
    );
}

#[test]
fn caller_identity_in_all_formats() {
    snapshot!(
        "sts_get_caller_identity",
        render_all("30-sts-get-caller-identity")
    );
}

#[test]
fn describe_instances_projection_in_all_formats() {
    snapshot!(
        "describe_instances_hash",
        render_all("16-describe-instances-hash")
    );
}

#[test]
fn unicode_in_all_formats() {
    snapshot!("unicode", render_all("34-unicode"));
}

#[test]
fn numbers_in_all_formats() {
    snapshot!("numbers", render_all("32-numbers"));
}

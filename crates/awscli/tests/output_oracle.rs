//! The oracle test: every document of `tests/output/corpus` rendered in the three formats by
//! `amilab_awscli::output::render` must be byte for byte what awscli 1.46.3's own formatters
//! print, run through Python by `tests/output/awscli_format.py`.
//!
//! Run it with a Python that has awscli installed:
//!
//! ```text
//! AMILAB_AWSCLI_PYTHON=/tmp/awscli-venv/bin/python \
//!     cargo test -p amilab-awscli --test output_oracle -- --ignored
//! ```
//!
//! A corpus document is `{"operation": "...", "query": "..." (optional), "response": {...}}`.
//! awscli drops `ResponseMetadata` and then applies the query; this test does the same with the
//! driver's own `--query` (the `jmespath` crate, member order restored) before calling `render`,
//! so a document with a query also checks that the two JMESPath implementations agree on it.

use amilab_awscli::output::{render, table, Format};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AWSCLI_VERSION: &str = "1.46.3";

fn corpus() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/output/corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let doc: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), doc)
        })
        .collect()
}

/// What the CLI hands the formatter: the response without its metadata, searched with the
/// document's query if it has one.
fn rendered_value(doc: &Value) -> Value {
    let mut response = doc["response"].clone();
    if let Some(map) = response.as_object_mut() {
        map.remove("ResponseMetadata");
    }
    match doc.get("query").and_then(Value::as_str) {
        None => response,
        // The driver's own --query, member order included.
        Some(query) => amilab_awscli::driver::apply_query(query, &response)
            .unwrap_or_else(|e| panic!("{query}: {e}")),
    }
}

/// Runs the oracle script over `requests`; returns, for each, awscli's stdout and its error.
fn oracle(requests: &[Value]) -> Vec<(String, Option<String>)> {
    let python = std::env::var("AMILAB_AWSCLI_PYTHON").expect(
        "AMILAB_AWSCLI_PYTHON must name a Python with awscli 1.46.3 installed \
         (e.g. /tmp/awscli-venv/bin/python) to run the oracle test",
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/output/awscli_format.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    // Both sides see the documents in the map's own key order.
    let input = serde_json::to_vec(requests).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{python} {}: {}",
        script.display(),
        output.status
    );
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        answer["awscli_version"], AWSCLI_VERSION,
        "the oracle's awscli version"
    );
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), requests.len());
    results
        .iter()
        .map(|r| {
            (
                r["stdout"].as_str().unwrap().to_string(),
                r["error"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn request(doc: &Value, format: &str) -> Value {
    let mut request = json!({
        "format": format,
        "operation": doc["operation"],
        "response": doc["response"],
    });
    if let Some(query) = doc.get("query") {
        request["query"] = query.clone();
    }
    request
}

/// Compares each case's rendering with awscli's; panics listing every difference.
fn compare(label: &str, cases: &[(String, String)], results: &[(String, Option<String>)]) {
    let mut failures = Vec::new();
    let mut errors = 0;
    for ((case, ours), (expected, error)) in cases.iter().zip(results) {
        if let Some(error) = error {
            errors += 1;
            eprintln!("note: {case}: awscli raised {error}");
        }
        if ours != expected {
            failures.push(format!(
                "{case}\n--- awscli\n{expected}\n--- amilab\n{ours}\n---"
            ));
        }
    }
    eprintln!(
        "{label}: {} renderings compared ({errors} where awscli raised), {} differ",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn render_matches_the_aws_cli() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 40,
        "the corpus has {} documents",
        corpus.len()
    );
    let formats = [
        ("json", Format::Json),
        ("text", Format::Text),
        ("table", Format::Table),
    ];
    let mut requests = Vec::new();
    let mut cases = Vec::new();
    for (name, doc) in &corpus {
        let operation = doc["operation"].as_str().expect("operation");
        let value = rendered_value(doc);
        for (format_name, format) in formats {
            requests.push(request(doc, format_name));
            cases.push((
                format!("{name} --output {format_name}"),
                render(format, operation, &value),
            ));
        }
    }
    let results = oracle(&requests);
    compare(
        &format!("{} documents x 3 formats", corpus.len()),
        &cases,
        &results,
    );
}

/// The table on terminals of other widths (what `render` does not use: it renders for a pipe).
#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn table_widths_match_the_aws_cli() {
    let corpus = corpus();
    let mut requests = Vec::new();
    let mut cases = Vec::new();
    for width in [20usize, 60, 100, 160, 240] {
        for (name, doc) in &corpus {
            let operation = doc["operation"].as_str().expect("operation");
            let mut request = request(doc, "table");
            request["terminal_width"] = json!(width);
            requests.push(request);
            cases.push((
                format!("{name} --output table (terminal width {width})"),
                table::render(operation, &rendered_value(doc), width),
            ));
        }
    }
    let results = oracle(&requests);
    compare("tables at 5 terminal widths", &cases, &results);
}

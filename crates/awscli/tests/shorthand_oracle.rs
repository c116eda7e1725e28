//! The AWS CLI itself as the oracle: every input of `tests/shorthand/corpus.jsonl` goes through
//! awscli 1.46.3's `ShorthandParser().parse` and through [`shorthand::parse`], every case of
//! `tests/shorthand/values.json` through `CLIArgument.add_to_params` (with the
//! `ParamShorthandParser` handler registered, as `awscli/handlers.py` does) and through
//! [`argument::value`]; values and error messages must be equal. Two more tests do the same
//! for 3000 shorthand inputs and 1050 options' words drawn with a fixed seed from shorthand's
//! punctuation, quotes, escapes, whitespace, non-ASCII characters and the test shapes' names.
//!
//! Run with `AMILAB_AWSCLI_PYTHON=/path/to/python cargo test -p amilab-awscli --test
//! shorthand_oracle -- --ignored`, the Python having awscli 1.46.3 installed.

use amilab_awscli::{argument, shorthand, Member, Shape};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const NEEDS: &str = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/shorthand")
        .join(name)
}

/// Sends the requests to `oracle.py`, one JSON line each, and returns its answers.
fn ask_awscli(requests: &[Value]) -> Vec<Value> {
    let python = std::env::var("AMILAB_AWSCLI_PYTHON").unwrap_or_else(|_| panic!("{NEEDS}"));
    let mut child = Command::new(&python)
        .arg(data("oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let writer = std::thread::spawn(move || {
        stdin
            .write_all(input.as_bytes())
            .expect("write to the oracle");
    });
    let answers: Vec<Value> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|line| serde_json::from_str(&line.expect("read the oracle")).expect("oracle JSON"))
        .collect();
    writer.join().expect("writer");
    assert!(
        child.wait().expect("oracle exit").success(),
        "the oracle failed"
    );
    assert_eq!(answers.len(), requests.len(), "one answer per request");
    answers
}

fn corpus() -> Vec<String> {
    std::fs::read_to_string(data("corpus.jsonl"))
        .expect("corpus")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| serde_json::from_str(line).expect("a JSON string"))
        .collect()
}

/// What the CLI answered, in the oracle's form.
fn answer<T: std::fmt::Display>(result: Result<Value, T>) -> Value {
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({ "error": error.to_string() }),
    }
}

fn same(ours: &Value, cli: &Value) -> bool {
    match (ours.get("ok"), cli.get("ok")) {
        (Some(a), Some(b)) => a == b,
        (None, None) => ours.get("error") == cli.get("error"),
        _ => false,
    }
}

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn shorthand_parser_matches_awscli() {
    let inputs = corpus();
    assert!(inputs.len() >= 60, "the corpus has {} inputs", inputs.len());
    let requests: Vec<Value> = inputs.iter().map(|s| json!({ "shorthand": s })).collect();
    let answers = ask_awscli(&requests);
    let mismatches: Vec<String> = inputs
        .iter()
        .zip(&answers)
        .filter_map(|(input, cli)| {
            let ours = answer(shorthand::parse(input));
            (!same(&ours, cli)).then(|| format!("input {input:?}\n  ours: {ours}\n  aws:  {cli}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
}

/// A [`Shape`] from the oracle's shape description.
fn shape(spec: &Value) -> Shape {
    match spec["type"].as_str().expect("type") {
        "string" => Shape::String,
        "integer" => Shape::Integer,
        "float" => Shape::Float,
        "boolean" => Shape::Boolean,
        "timestamp" => Shape::Timestamp,
        "any" => Shape::Any,
        "list" => Shape::List(Box::new(shape(&spec["member"]))),
        "map" => Shape::Map(Box::new(shape(&spec["value"]))),
        "structure" => Shape::Structure(
            spec["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|member| {
                    let name = member[0].as_str().expect("name").to_owned();
                    Member {
                        key: name.to_lowercase(),
                        name,
                        shape: shape(&member[1]),
                        required: false,
                        documentation: String::new(),
                    }
                })
                .collect(),
        ),
        other => panic!("unknown shape type {other}"),
    }
}

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn argument_values_match_awscli() {
    let values: Value =
        serde_json::from_str(&std::fs::read_to_string(data("values.json")).expect("values"))
            .expect("values.json");
    let shapes = &values["shapes"];
    let cases = values["cases"].as_array().expect("cases");
    let requests: Vec<Value> = cases
        .iter()
        .map(|case| {
            json!({
                "option": case["option"],
                "shape": shapes[case["shape"].as_str().expect("shape name")],
                "words": case["words"],
            })
        })
        .collect();
    let answers = ask_awscli(&requests);
    let mismatches: Vec<String> = requests
        .iter()
        .zip(&answers)
        .filter_map(|(request, cli)| {
            let words: Vec<String> =
                serde_json::from_value(request["words"].clone()).expect("words");
            let option = request["option"].as_str().expect("option");
            let ours = answer(argument::value(option, &shape(&request["shape"]), &words));
            (!same(&ours, cli))
                .then(|| format!("{option} {words:?}\n  ours: {ours}\n  aws:  {cli}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        requests.len(),
        mismatches.join("\n")
    );
}

/// Inputs drawn (with a fixed seed) from shorthand's punctuation, quotes, escapes, whitespace
/// and a few non-ASCII characters, so that the corpus's rules also meet in odd combinations.
fn random_inputs(count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "a",
        "b",
        "Key",
        "=",
        "=",
        ",",
        ",",
        "[",
        "]",
        "{",
        "}",
        "'",
        "\"",
        "\\",
        "\\,",
        " ",
        "\t",
        "\n",
        "@",
        "\u{a0}",
        "é",
        "😀",
        "x=y",
        "k=[",
        "v",
        "1",
        "Name=",
        "Values=",
        "Count=",
        "On=",
        "true",
        "Ratio=",
        "Nested={Deep=",
        "Tags=[{Key=",
        "Ebs={VolumeSize=",
        "Doc=",
        "commands=",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = (next() % 12) as usize;
            let mut text = String::from(if next() % 2 == 0 { "a=" } else { "" });
            for _ in 0..len {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            text
        })
        .collect()
}

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn random_shorthand_matches_awscli() {
    let inputs = random_inputs(3000);
    let requests: Vec<Value> = inputs.iter().map(|s| json!({ "shorthand": s })).collect();
    let answers = ask_awscli(&requests);
    let parsed = answers.iter().filter(|a| a.get("ok").is_some()).count();
    eprintln!("{parsed} of {} random inputs parse", inputs.len());
    assert!(parsed > inputs.len() / 10 && parsed < inputs.len() * 9 / 10);
    let mismatches: Vec<String> = inputs
        .iter()
        .zip(&answers)
        .filter_map(|(input, cli)| {
            let ours = answer(shorthand::parse(input));
            (!same(&ours, cli)).then(|| format!("input {input:?}\n  ours: {ours}\n  aws:  {cli}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn random_argument_values_match_awscli() {
    let values: Value =
        serde_json::from_str(&std::fs::read_to_string(data("values.json")).expect("values"))
            .expect("values.json");
    let names = [
        "filters",
        "tag_specifications",
        "parameters",
        "scalars",
        "block_device_mappings",
        "string_lists",
        "with_document",
    ];
    let inputs = random_inputs(names.len() * 300);
    let requests: Vec<Value> = inputs
        .chunks(2)
        .enumerate()
        .map(|(i, words)| {
            let name = names[i % names.len()];
            let shape = &values["shapes"][name];
            // Lists take both words, other shapes the first.
            let words = if shape["type"] == "list" {
                words.to_vec()
            } else {
                words[..1].to_vec()
            };
            json!({ "option": "--x", "shape": shape, "words": words })
        })
        .collect();
    let answers = ask_awscli(&requests);
    let mismatches: Vec<String> = requests
        .iter()
        .zip(&answers)
        .filter_map(|(request, cli)| {
            let words: Vec<String> =
                serde_json::from_value(request["words"].clone()).expect("words");
            let ours = answer(argument::value("--x", &shape(&request["shape"]), &words));
            (!same(&ours, cli)).then(|| format!("{request}\n  ours: {ours}\n  aws:  {cli}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        requests.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

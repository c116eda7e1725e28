//! What `aws help`, `aws SERVICE help`, `aws SERVICE COMMAND help` and
//! `--generate-cli-skeleton` print, generated from the operation table and each operation's
//! input shape (the CLI renders the same from botocore's model).

use serde_json::{Map, Value};

use amilab_cloud::api::{self, OperationSpec};
use amilab_cloud::waiters;

use crate::model::input_shape;
use crate::options::{arguments, command_name, Kind};
use crate::shape::Shape;

/// The CLI's usage lines, printed before a usage error (`awscli/argparser.py`).
pub const USAGE: &str =
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
";

/// `aws help`: the services and the global options.
pub fn top() -> String {
    let mut out = String::from(
        "AWS()\n\nNAME\n       aws -\n\nDESCRIPTION\n       The AWS Command Line Interface, against amilab's simulated cloud: the\n       same commands, options and output, on a sandbox of your own.\n\nSYNOPSIS\n          aws [options] <command> <subcommand> [parameters]\n\nOPTIONS\n",
    );
    for (option, what) in [
        (
            "--region (string)",
            "The region to use. Overrides the default region.",
        ),
        (
            "--output (string)",
            "The formatting style for command output: json, text, table.",
        ),
        (
            "--query (string)",
            "A JMESPath query to use in filtering the response data.",
        ),
        ("--no-paginate (boolean)", "Disable automatic pagination."),
        (
            "--no-cli-pager (boolean)",
            "Disable the pager (amilab never pages).",
        ),
    ] {
        out.push_str(&format!("       {option}\n          {what}\n\n"));
    }
    out.push_str("AVAILABLE SERVICES\n");
    for service in api::SERVICES {
        out.push_str(&format!("       o {service}\n\n"));
    }
    out
}

/// `aws SERVICE help`: the service's commands.
pub fn service(service: &str) -> String {
    let mut out = format!(
        "{}()\n\nNAME\n       {service} -\n\nAVAILABLE COMMANDS\n",
        service.to_uppercase()
    );
    let mut commands: Vec<String> = api::OPERATIONS
        .iter()
        .filter(|op| op.service == service)
        .map(command_name)
        .collect();
    if !waiters::waiter_names(service).is_empty() {
        commands.push("wait".into());
    }
    commands.sort();
    for command in commands {
        out.push_str(&format!("       o {command}\n\n"));
    }
    out
}

/// `aws SERVICE wait help`: the service's waiters.
pub fn waiters(service: &str) -> String {
    let mut out = String::from("WAIT()\n\nNAME\n       wait -\n\nAVAILABLE WAITERS\n");
    for name in waiters::waiter_names(service) {
        out.push_str(&format!("       o {}\n\n", name.replace('_', "-")));
    }
    out
}

/// The CLI's name for a shape's type in help (`list`, `structure`, `string`, …).
fn type_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "string",
        Shape::Integer => "integer",
        Shape::Float => "double",
        Shape::Boolean => "boolean",
        Shape::Timestamp => "timestamp",
        Shape::Any => "document",
        Shape::List(_) => "list",
        Shape::Map(_) => "map",
        Shape::Structure(_) => "structure",
    }
}

/// Indents every line of `text` by `spaces`.
fn indented(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|l| format!("{pad}{}\n", l.trim_end()))
        .collect()
}

/// `aws SERVICE COMMAND help`: synopsis and options, with each member's documentation.
pub fn operation(op: &OperationSpec) -> String {
    let command = command_name(op);
    let mut out = format!(
        "{}()\n\nNAME\n       {command} -\n\nDESCRIPTION\n{}\nSYNOPSIS\n            {command}\n",
        command.to_uppercase(),
        indented(&description(op), 7)
    );
    let table = arguments(op);
    for argument in &table {
        let usage = match &argument.kind {
            Kind::Flag { negative, .. } | Kind::ValueFlag { negative, .. } => {
                format!("--{} | --{negative}", argument.name)
            }
            _ => format!("--{} <value>", argument.name),
        };
        if argument.required() {
            out.push_str(&format!("          {usage}\n"));
        } else {
            out.push_str(&format!("          [{usage}]\n"));
        }
    }
    out.push_str("          [--cli-input-json <value>]\n          [--generate-cli-skeleton <value>]\n\nOPTIONS\n");
    for argument in &table {
        let (name, kind) = match &argument.kind {
            Kind::Flag { negative, .. } | Kind::ValueFlag { negative, .. } => (
                format!("--{} | --{negative}", argument.name),
                "boolean".to_string(),
            ),
            Kind::Member(m) => (
                format!("--{}", argument.name),
                type_name(&m.shape).to_string(),
            ),
            Kind::Count | Kind::Rule(_) | Kind::NotSimulated { .. } => {
                (format!("--{}", argument.name), "string".to_string())
            }
        };
        out.push_str(&format!("       {name} ({kind})\n"));
        out.push_str(&indented(argument.documentation(), 10));
        out.push('\n');
    }
    out
}

/// The operation's description: its input's documentation.
fn description(op: &OperationSpec) -> String {
    let schema = Value::from(op.input_schema());
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or(op.name)
        .to_string()
}

/// `--generate-cli-skeleton`: every member of the input with a placeholder of its type, as
/// the CLI's `ArgumentGenerator` makes it (`""`, `0`, `true`, one item per list, `KeyName` in
/// maps), indented as its JSON output is.
pub fn skeleton(op: &OperationSpec) -> String {
    let value = placeholder(&input_shape(op), 0);
    let mut out = crate::output::render(crate::output::Format::Json, op.name, &value);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn placeholder(shape: &Shape, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    match shape {
        Shape::String => Value::from(""),
        Shape::Integer => Value::from(0),
        Shape::Float => Value::from(0.0),
        Shape::Boolean => Value::Bool(true),
        Shape::Timestamp => Value::from("1970-01-01T00:00:00"),
        Shape::Any => Value::Object(Map::new()),
        Shape::List(items) => Value::Array(vec![placeholder(items, depth + 1)]),
        Shape::Map(values) => {
            let mut map = Map::new();
            map.insert("KeyName".into(), placeholder(values, depth + 1));
            Value::Object(map)
        }
        Shape::Structure(members) => Value::Object(
            members
                .iter()
                .map(|m| (m.name.clone(), placeholder(&m.shape, depth + 1)))
                .collect(),
        ),
    }
}

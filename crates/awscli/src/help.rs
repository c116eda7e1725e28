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
    let mut names: Vec<String> = waiters::waiter_names(service)
        .iter()
        .map(|n| n.replace('_', "-"))
        .collect();
    names.sort();
    for name in names {
        out.push_str(&format!("       o {name}\n\n"));
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
    page(op, &command_name(op), &description(op))
}

/// `aws SERVICE wait WAITER help`: what the waiter polls, how often, and its options.
pub fn waiter(op: &OperationSpec, spec: &waiters::WaiterSpec) -> String {
    let name = spec.name().replace('_', "-");
    let text = format!(
        "Wait until the {} waiter's success state is reached. It polls `aws {} {}` every {} seconds until a successful state is reached, and exits with a return code of 255 after {} failed checks.",
        spec.title(),
        op.service,
        command_name(op),
        spec.delay(),
        spec.max_attempts()
    );
    page(op, &name, &text)
}

/// A help page for `name`, which takes `op`'s options.
fn page(op: &OperationSpec, name: &str, text: &str) -> String {
    let command = name;
    let mut out = format!(
        "{}()\n\nNAME\n       {command} -\n\nDESCRIPTION\n{}\nSYNOPSIS\n            {command}\n",
        command.to_uppercase(),
        indented(text, 7)
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
    if amilab_cloud::paginators::paginator(op.service, &op.method()).is_some() {
        out.push_str(
            "          [--starting-token <value>]\n          [--page-size <value>]\n          [--max-items <value>]\n",
        );
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
        out.push_str(&indented(&as_options(argument.documentation(), &table), 10));
        out.push('\n');
    }
    out
}

/// Documentation written for scripts, with the members it names in backticks given as the
/// CLI's options (`` `next_token` `` → `` `--next-token` ``).
fn as_options(text: &str, table: &[crate::options::Argument]) -> String {
    let mut out = text.to_string();
    for argument in table {
        if let Kind::Member(m) | Kind::Flag { member: m, .. } | Kind::ValueFlag { member: m, .. } =
            &argument.kind
        {
            out = out.replace(&format!("`{}`", m.key), &format!("`--{}`", argument.name));
        }
    }
    out
}

/// The operation's description: what it calls.
fn description(op: &OperationSpec) -> String {
    format!(
        "Calls {} `{}` in amilab's simulated cloud (boto3: `{}.{}`), with the options below.",
        service_title(op.service),
        op.name,
        op.service,
        op.method()
    )
}

/// A service's name as AWS's documentation writes it.
fn service_title(service: &str) -> &'static str {
    match service {
        "ec2" => "Amazon EC2",
        "autoscaling" => "Amazon EC2 Auto Scaling",
        "ce" => "AWS Cost Explorer",
        "imagebuilder" => "EC2 Image Builder",
        "kms" => "AWS KMS",
        "ssm" => "AWS Systems Manager",
        "sts" => "AWS STS",
        _ => "AWS",
    }
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

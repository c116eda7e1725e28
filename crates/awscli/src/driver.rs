//! One `aws …` command line, run against a simulated cloud: the words parsed as the AWS CLI
//! parses them (`awscli/clidriver.py`, argparse), the request checked, paged and sent, and the
//! answer printed, or the error printed with the CLI's exit code.

// A parsing step's error is the command's whole outcome, made once per command line: its size
// costs nothing worth a box.
#![allow(clippy::result_large_err)]

use serde_json::{Map, Value};

use amilab_cloud::api::{self, Client, OperationSpec};
use amilab_cloud::paginators::{self, PaginateError, PaginationConfig};
use amilab_cloud::waiters::{self, WaiterConfig};
use amilab_cloud::{CallError, Caller};

use crate::argument;
use crate::argv::{invalid_choice, parse_options, resolve_file, split_globals, Globals, Parsed};
use crate::help;
use crate::model::{input_shape, to_request};
use crate::options::{arguments_of, command_name, Argument, Kind};
use crate::output::{self, Format};
use crate::rule::Rule;
use crate::session::{not_simulated_message, usage_error};
pub use crate::session::{
    Outcome, Session, EXIT_OK, EXIT_OTHER, EXIT_SERVICE_ERROR, EXIT_USAGE, VERSION,
};
use crate::shape::Shape;
use amilab_cloud::naming::wire_path;

/// Runs one command line: `words` are what follows `aws` (`["ec2", "describe-images",
/// "--owners", "self"]`).
pub fn run(session: &mut Session, words: &[String]) -> Outcome {
    let (mut globals, rest) = match split_globals(words) {
        Ok(split) => split,
        Err(outcome) => return outcome,
    };
    if globals.version {
        return Outcome::printed(VERSION.to_string());
    }
    if globals.endpoint_url {
        return Outcome::failed(
            EXIT_USAGE,
            "\namilab's sandbox has no endpoints to choose from: leave --endpoint-url out\n".into(),
        );
    }
    if globals.output.is_none() {
        globals.output = session.default_output.clone();
        if let Some(output) = &globals.output {
            if let Err(e) = output.parse::<Format>() {
                return usage_error(&e.to_string());
            }
        }
    }
    if let Some(json) = &globals.cli_input_json {
        match resolve_file("cli-input-json", json.clone(), session) {
            Ok(text) => globals.cli_input_json = Some(text),
            Err(outcome) => return outcome,
        }
    }
    let mut positional = rest.iter().take_while(|w| !w.starts_with("--"));
    let Some(service) = positional.next() else {
        return usage_error("the following arguments are required: command");
    };
    if service == "help" {
        return Outcome::printed(help::top());
    }
    if !api::SERVICES.contains(&service.as_str()) {
        return usage_error(&invalid_choice(
            "command",
            service,
            api::SERVICES.iter().map(|s| s.to_string()).collect(),
        ));
    }
    let Some(command) = positional.next() else {
        return usage_error("the following arguments are required: operation");
    };
    if command == "help" {
        return Outcome::printed(help::service(service));
    }
    let tail = &rest[2..];
    if command == "wait" {
        return wait(session, &globals, service, tail);
    }
    let Some(op) = api::OPERATIONS
        .iter()
        .find(|op| op.service == service.as_str() && command_name(op) == *command)
    else {
        let commands: Vec<String> = api::OPERATIONS
            .iter()
            .filter(|op| op.service == service.as_str())
            .map(command_name)
            .chain((!waiters::waiter_names(service).is_empty()).then(|| "wait".to_string()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        return usage_error(&invalid_choice("operation", command, commands));
    };
    if tail.first().map(String::as_str) == Some("help") {
        return Outcome::printed(help::operation(op));
    }
    if globals.skeleton.is_some() {
        return skeleton(op, &globals);
    }
    if session.read_only && op.mutating {
        return Outcome::failed(
            EXIT_USAGE,
            format!(
                "\n{} changes the cloud, and checks may only look at it.\n",
                op.name
            ),
        );
    }
    let paginator = paginators::paginator(op.service, &op.method());
    let (parsed, mut request, caller) =
        match prepare(session, op, paginator.is_some(), tail, &globals) {
            Ok(prepared) => prepared,
            Err(outcome) => return outcome,
        };
    let paging = PaginationConfig {
        max_items: parsed.paging.get("max-items").and_then(|v| v.parse().ok()),
        page_size: parsed.paging.get("page-size").and_then(|v| v.parse().ok()),
        starting_token: parsed.paging.get("starting-token").cloned(),
    };
    // Manual paging members turn the CLI's paging off (`check_should_enable_pagination`).
    let manual = paginator.is_some_and(|p| {
        request.get(p.input_token()).is_some() || request.get(p.limit_key()).is_some()
    });
    let answer = match paginator {
        Some(spec) if !globals.no_paginate && !manual => session
            .cloud
            .paginate_as(Client::AwsCli, &caller, spec, request.take(), paging)
            .map(|pages| pages.build_full_result()),
        _ => {
            if !parsed.paging.is_empty() {
                let names: Vec<String> = parsed.paging.keys().map(|k| format!("--{k}")).collect();
                return usage_error(&format!(
                    "Cannot specify --no-paginate along with pagination arguments: {}",
                    names.join(" ")
                ));
            }
            session
                .cloud
                .call_as(Client::AwsCli, &caller, op.service, &op.method(), request)
                .map_err(PaginateError::from)
        }
    };
    match answer {
        Ok(value) => print_answer(op, &globals, value),
        Err(e) => failure(op, e),
    }
}

/// A region the world does not have: the CLI cannot reach its endpoint (what the real one
/// prints for a region that does not exist).
fn unknown_region(session: &Session, service: &str, region: &str) -> Option<Outcome> {
    if session.cloud.region_names().any(|r| r == region) {
        return None;
    }
    Some(Outcome::failed(
        EXIT_OTHER,
        format!("\nCould not connect to the endpoint URL: \"https://{service}.{region}.amazonaws.com/\"\n"),
    ))
}

/// The request in boto3's keys: `--cli-input-json` first, then each option over it, checked
/// as botocore checks it.
fn build_request(
    op: &OperationSpec,
    shape: &Shape,
    table: &[Argument],
    parsed: &Parsed,
    globals: &Globals,
) -> Result<Value, Outcome> {
    let mut wire = Map::new();
    if let Some(json) = &globals.cli_input_json {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(map)) => wire = map,
            Ok(_) | Err(_) => {
                return Err(Outcome::failed(
                    EXIT_USAGE,
                    "\nError parsing parameter 'cli-input-json': Invalid JSON received.\n".into(),
                ))
            }
        }
    }
    let mut missing = Vec::new();
    let mut rule = Rule::default();
    for argument in table {
        let words = parsed.values.get(&argument.name);
        match (&argument.kind, words) {
            (Kind::Count, Some(words)) => {
                let text = &words[0];
                let (min, max) = text.split_once(':').unwrap_or((text, text));
                match (min.parse::<i64>(), max.parse::<i64>()) {
                    (Ok(min), Ok(max)) => {
                        wire.insert("MinCount".into(), min.into());
                        wire.insert("MaxCount".into(), max.into());
                    }
                    _ => {
                        return Err(Outcome::failed(
                            EXIT_USAGE,
                            "\ncount parameter should be of form min[:max] (e.g. 1 or 1:10)\n"
                                .into(),
                        ))
                    }
                }
            }
            (Kind::Count, None) => {
                wire.entry("MinCount").or_insert(1.into());
                wire.entry("MaxCount").or_insert(1.into());
            }
            (Kind::Flag { member, .. }, Some(words)) => {
                wire.insert(member.name.clone(), Value::Bool(words[0] == "true"));
            }
            (Kind::ValueFlag { member, .. }, Some(words)) => {
                let value = match words[0].as_str() {
                    "true" => serde_json::json!({"Value": true}),
                    "false" => serde_json::json!({"Value": false}),
                    text => argument::value(
                        &format!("--{}", argument.name),
                        &member.shape,
                        &[text.to_string()],
                    )
                    .map_err(|e| Outcome::failed(EXIT_USAGE, format!("\n{e}\n")))?,
                };
                wire.insert(member.name.clone(), value);
            }
            (Kind::Rule(part), Some(words)) => rule.add(*part, &words[0]),
            (Kind::Rule(_) | Kind::NotSimulated { .. }, None) => {}
            (Kind::NotSimulated { .. }, Some(_)) => {}
            (Kind::Member(member), Some(words)) => {
                let value = argument::value(&format!("--{}", argument.name), &member.shape, words)
                    .map_err(|e| Outcome::failed(EXIT_USAGE, format!("\n{e}\n")))?;
                wire.insert(member.name.clone(), value);
            }
            // A required boolean is not required by the argument parser (a flag never is): the
            // request's check names it, as botocore does.
            (Kind::Flag { .. }, None) => {}
            (Kind::Member(member) | Kind::ValueFlag { member, .. }, None) => {
                if member.required && !wire.contains_key(&member.name) {
                    missing.push(format!("--{}", argument.name));
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(usage_error(&format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    rule.apply(&mut wire)
        .map_err(|e| Outcome::failed(EXIT_USAGE, format!("\n{e}\n")))?;
    to_request(shape, &Value::Object(wire), op.not_simulated()).map_err(|problems| {
        Outcome::failed(
            EXIT_USAGE,
            format!("\nParameter validation failed:\n{}\n", problems.join("\n")),
        )
    })
}

/// The answer, through `--query`, in the output format.
fn print_answer(op: &OperationSpec, globals: &Globals, value: Value) -> Outcome {
    let value = match &globals.query {
        None => value,
        Some(query) => match apply_query(query, &value) {
            Ok(v) => v,
            Err(message) => return Outcome::failed(EXIT_OTHER, message),
        },
    };
    let format = globals
        .output
        .as_deref()
        .and_then(|o| o.parse().ok())
        .unwrap_or(Format::Json);
    Outcome {
        stdout: output::render(format, op.name, &value),
        stderr: String::new(),
        exit_code: EXIT_OK,
        value: (format == Format::Json).then_some(value),
        error: None,
    }
}

/// A JMESPath `--query` applied to an answer, as the CLI applies it ([`crate::query`]).
pub fn apply_query(query: &str, value: &Value) -> Result<Value, String> {
    crate::query::apply(query, value)
}

/// What a failed call prints, and its exit code.
fn failure(op: &OperationSpec, error: PaginateError) -> Outcome {
    match error {
        PaginateError::Call(CallError::Aws(e)) => {
            let mut outcome = Outcome::failed(
                EXIT_SERVICE_ERROR,
                format!(
                    "\nAn error occurred ({}) when calling the {} operation: {}\n",
                    e.code, op.name, e.message
                ),
            );
            outcome.error = Some((e.code, e.message, op.name.to_string()));
            outcome
        }
        PaginateError::Call(CallError::Param(message)) => Outcome::failed(
            EXIT_USAGE,
            format!("\n{}\n", api_names_in(op.service, &message)),
        ),
        PaginateError::Call(CallError::NotSimulated { member, .. }) => Outcome::failed(
            EXIT_USAGE,
            not_simulated_message(&wire_path(op.service, &member)),
        ),
        PaginateError::Call(CallError::Waiter(message)) => {
            Outcome::failed(EXIT_OTHER, format!("\n{message}\n"))
        }
        other => Outcome::failed(EXIT_OTHER, format!("\n{other}\n")),
    }
}

/// A parameter error the simulation found (a page size out of range), its parameters named as
/// botocore names them for the CLI (`parameter limit` → `parameter Limit`).
fn api_names_in(service: &str, message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("parameter ") {
        let (before, after) = rest.split_at(at + "parameter ".len());
        out.push_str(before);
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(after.len());
        let (path, tail) = after.split_at(end);
        out.push_str(&wire_path(service, path));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// An operation's words made into its request, and the caller it goes as: the options parsed,
/// the request built and checked, the region one the world has.
fn prepare(
    session: &Session,
    op: &OperationSpec,
    paginated: bool,
    words: &[String],
    globals: &Globals,
) -> Result<(Parsed, Value, Caller), Outcome> {
    let shape = input_shape(op);
    let table = arguments_of(op, &shape);
    let parsed = parse_options(&table, paginated, op.not_simulated(), words, session)?;
    let request = build_request(op, &shape, &table, &parsed, globals)?;
    let region = globals
        .region
        .clone()
        .unwrap_or_else(|| session.default_region.clone());
    if let Some(outcome) = unknown_region(session, op.service, &region) {
        return Err(outcome);
    }
    Ok((
        parsed,
        request,
        Caller::new(session.account.clone(), region),
    ))
}

/// `--generate-cli-skeleton [input]`: the request's JSON with placeholder values.
fn skeleton(op: &OperationSpec, globals: &Globals) -> Outcome {
    if globals.skeleton.as_deref() == Some("output") {
        return Outcome::failed(
            EXIT_USAGE,
            "\namilab does not generate output skeletons; run the command and look at its answer\n"
                .into(),
        );
    }
    Outcome::printed(help::skeleton(op))
}

/// `aws SERVICE wait WAITER [options]`: polls until the waiter succeeds; prints nothing.
fn wait(session: &mut Session, globals: &Globals, service: &str, words: &[String]) -> Outcome {
    let mut names: Vec<String> = waiters::waiter_names(service)
        .iter()
        .map(|n| n.replace('_', "-"))
        .collect();
    names.sort();
    let Some(name) = words.first().filter(|w| !w.starts_with("--")) else {
        return usage_error("the following arguments are required: subcommand");
    };
    if name == "help" {
        return Outcome::printed(help::waiters(service));
    }
    let Some(spec) = waiters::waiter(service, &name.replace('-', "_")) else {
        return usage_error(&invalid_choice("subcommand", name, names));
    };
    let Some(op) = api::operation(service, spec.method()) else {
        return usage_error(&format!("waiter {name} has no operation"));
    };
    if words.get(1).map(String::as_str) == Some("help") {
        return Outcome::printed(help::waiter(op, spec));
    }
    let (_, request, caller) = match prepare(session, op, false, &words[1..], globals) {
        Ok(prepared) => prepared,
        Err(outcome) => return outcome,
    };
    match session.cloud.wait_as(
        Client::AwsCli,
        &caller,
        spec,
        request,
        WaiterConfig::default(),
    ) {
        Ok(()) => Outcome::printed(String::new()),
        Err(e) => failure(op, PaginateError::Call(e)),
    }
}

//! One `aws …` command line, run against a simulated cloud: the words parsed as the AWS CLI
//! parses them (`awscli/clidriver.py`, argparse), the request checked, paged and sent, and the
//! answer printed, or the error printed with the CLI's exit code.

// A parsing step's error is the command's whole outcome, made once per command line: its size
// costs nothing worth a box.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use amilab_cloud::api::{self, Client, OperationSpec};
use amilab_cloud::paginators::{self, PaginateError, PaginationConfig};
use amilab_cloud::waiters::{self, WaiterConfig};
use amilab_cloud::{CallError, Caller, Cloud};

use crate::argument;
use crate::help;
use crate::model::{input_shape, to_request};
use crate::options::{arguments, command_name, Argument, Kind};
use crate::output::{self, Format};
use crate::rule;

/// Exit code of a command that worked.
pub const EXIT_OK: i32 = 0;
/// Exit code of an error the service answered (`An error occurred (…)`), as AWS CLI v2 exits.
pub const EXIT_SERVICE_ERROR: i32 = 254;
/// Exit code of a command the CLI could not parse or a request it refused before sending it.
pub const EXIT_USAGE: i32 = 252;
/// Exit code of anything else that failed: a waiter that gave up, a bad `--query`.
pub const EXIT_OTHER: i32 = 255;

/// Where, and as whom, commands run.
pub struct Session<'a> {
    /// The simulated cloud.
    pub cloud: &'a mut Cloud,
    /// The account commands act as (the learner's).
    pub account: String,
    /// The region used without `--region` (the CLI's configured default).
    pub default_region: String,
    /// Reads a `file://` argument: the path as written, relative to the working directory.
    /// Errors are printed as the CLI prints them (`Error parsing parameter '--x': Unable to
    /// load paramfile file://…: …`).
    pub read_file: &'a dyn Fn(&str) -> Result<String, String>,
    /// Commands that change the cloud are refused (graders' checks only look at it).
    pub read_only: bool,
    /// The output format without `--output` (`AWS_DEFAULT_OUTPUT`); JSON when `None`.
    pub default_output: Option<String>,
}

/// What a command printed, and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Standard output, as the CLI prints it.
    pub stdout: String,
    /// Standard error, as the CLI prints it.
    pub stderr: String,
    /// The process's exit code ([`EXIT_OK`], [`EXIT_SERVICE_ERROR`], [`EXIT_USAGE`],
    /// [`EXIT_OTHER`]).
    pub exit_code: i32,
    /// The answer after `--query`, for callers that want it as data (`aws("…")` in scripts);
    /// `None` when the command printed no answer (help, a failure, a waiter).
    pub value: Option<Value>,
    /// The error, when the service answered one: `(code, message, operation)`.
    pub error: Option<(String, String, String)>,
}

impl Outcome {
    fn printed(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            exit_code: EXIT_OK,
            value: None,
            error: None,
        }
    }

    fn failed(exit_code: i32, stderr: String) -> Outcome {
        Outcome {
            stdout: String::new(),
            stderr,
            exit_code,
            value: None,
            error: None,
        }
    }
}

/// The CLI's usage error: its usage lines, then `aws: error: …`.
fn usage_error(message: &str) -> Outcome {
    Outcome::failed(
        EXIT_USAGE,
        format!("{}\naws: error: {message}\n", help::USAGE),
    )
}

/// Options every command takes (`aws help` lists them), and whether each takes a value.
const GLOBAL_OPTIONS: &[(&str, bool)] = &[
    ("region", true),
    ("output", true),
    ("query", true),
    ("no-paginate", false),
    ("cli-input-json", true),
    ("generate-cli-skeleton", false),
    ("version", false),
    ("endpoint-url", true),
    // Accepted and without effect here: one identity, no network, no pager, no colour.
    ("profile", true),
    ("color", true),
    ("cli-read-timeout", true),
    ("cli-connect-timeout", true),
    ("ca-bundle", true),
    ("cli-binary-format", true),
    ("no-cli-pager", false),
    ("no-verify-ssl", false),
    ("no-sign-request", false),
    ("no-cli-auto-prompt", false),
    ("debug", false),
];

/// What `aws --version` prints.
pub const VERSION: &str = concat!(
    "aws-cli/2 (amilab ",
    env!("CARGO_PKG_VERSION"),
    ": the AWS CLI against a simulated cloud)\n"
);

/// The paging options of a paginated command (`awscli/customizations/paginate.py`).
const PAGING_OPTIONS: &[&str] = &["starting-token", "page-size", "max-items"];

/// The global options given, and the other words in order.
#[derive(Default)]
struct Globals {
    region: Option<String>,
    output: Option<String>,
    query: Option<String>,
    no_paginate: bool,
    cli_input_json: Option<String>,
    skeleton: Option<String>,
    version: bool,
    endpoint_url: bool,
}

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
    let commands: Vec<String> = api::OPERATIONS
        .iter()
        .filter(|op| op.service == service.as_str())
        .map(command_name)
        .chain((!waiters::waiter_names(service).is_empty()).then(|| "wait".to_string()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
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
    let table = arguments(op);
    let parsed = match parse_options(
        &table,
        paginator.is_some(),
        op.not_simulated(),
        tail,
        session,
    ) {
        Ok(parsed) => parsed,
        Err(outcome) => return outcome,
    };
    let mut request = match build_request(op, &table, &parsed, &globals) {
        Ok(request) => request,
        Err(outcome) => return outcome,
    };
    let caller = Caller::new(
        session.account.clone(),
        globals
            .region
            .clone()
            .unwrap_or_else(|| session.default_region.clone()),
    );
    if let Some(outcome) = unknown_region(session, op.service, &caller.region) {
        return outcome;
    }
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

/// Takes the global options out of `words`, wherever they are.
fn split_globals(words: &[String]) -> Result<(Globals, Vec<String>), Outcome> {
    let mut globals = Globals::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let (name, inline) = match word.strip_prefix("--") {
            Some(option) => match option.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (option, None),
            },
            None => {
                rest.push(word.clone());
                i += 1;
                continue;
            }
        };
        let Some((_, takes_value)) = GLOBAL_OPTIONS.iter().find(|(n, _)| *n == name) else {
            rest.push(word.clone());
            i += 1;
            continue;
        };
        // `--generate-cli-skeleton` takes an optional `input` / `output`.
        let value = if name == "generate-cli-skeleton" {
            match (&inline, words.get(i + 1)) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(next)) if next == "input" || next == "output" => {
                    i += 1;
                    Some(next.clone())
                }
                _ => Some("input".to_string()),
            }
        } else if *takes_value {
            match inline {
                Some(v) => Some(v),
                None => match words.get(i + 1) {
                    Some(next) => {
                        i += 1;
                        Some(next.clone())
                    }
                    None => {
                        return Err(usage_error(&format!(
                            "argument --{name}: expected one argument"
                        )))
                    }
                },
            }
        } else {
            None
        };
        match name {
            "region" => globals.region = value,
            "output" => globals.output = value,
            "query" => globals.query = value,
            "no-paginate" => globals.no_paginate = true,
            "cli-input-json" => globals.cli_input_json = value,
            "generate-cli-skeleton" => globals.skeleton = value,
            "version" => globals.version = true,
            "endpoint-url" => globals.endpoint_url = true,
            _ => {}
        }
        i += 1;
    }
    if let Some(output) = &globals.output {
        if let Err(e) = output.parse::<Format>() {
            return Err(usage_error(&e.to_string()));
        }
    }
    Ok((globals, rest))
}

/// `Invalid choice` with the valid ones two per line and the closest as a suggestion, as the
/// CLI's argument parser words it (`awscli/argparser.py`).
fn invalid_choice(what: &str, typed: &str, choices: Vec<String>) -> String {
    let mut message = format!("argument {what}: Invalid choice, valid choices are:\n\n");
    let lines: Vec<String> = choices
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|c| format!("{c:<40}"))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    message.push_str(&lines.join("\n"));
    if let Some(close) = amilab_text::closest(typed, choices.iter().map(String::as_str)) {
        message.push_str(&format!(
            "\n\n\nInvalid choice: '{typed}', maybe you meant:\n\n  * {close}"
        ));
    }
    // Not the CLI's: the choices are what amilab simulates, not all of AWS.
    message.push_str(&format!(
        "\n\n(amilab simulates the {what}s listed; a real one missing from them is not simulated)"
    ));
    message
}

/// An operation's options as typed: each option's words, paging options apart.
#[derive(Default)]
struct Parsed {
    /// Option name → the words after it (booleans: `true` / `false`).
    values: BTreeMap<String, Vec<String>>,
    /// `--max-items`, `--page-size`, `--starting-token` as typed.
    paging: BTreeMap<String, String>,
}

/// The option `name` names in `table`, and for a flag whether it is the positive form.
fn lookup<'t>(table: &'t [Argument], name: &str) -> Option<(&'t Argument, Option<bool>)> {
    table.iter().find_map(|a| match &a.kind {
        Kind::Flag { negative, .. } | Kind::ValueFlag { negative, .. } if negative == name => {
            Some((a, Some(false)))
        }
        Kind::Flag { .. } if a.name == name => Some((a, Some(true))),
        _ if a.name == name => Some((a, None)),
        _ => None,
    })
}

/// argparse's abbreviations (`--owner` for `--owners`): the one option `prefix` begins, or
/// the CLI's error when it begins several.
fn abbreviation(
    table: &[Argument],
    paginated: bool,
    prefix: &str,
) -> Result<Option<String>, Outcome> {
    let mut names: Vec<String> = Vec::new();
    for argument in table {
        names.push(argument.name.clone());
        if let Kind::Flag { negative, .. } | Kind::ValueFlag { negative, .. } = &argument.kind {
            names.push(negative.clone());
        }
    }
    if paginated {
        names.extend(PAGING_OPTIONS.iter().map(|s| s.to_string()));
    }
    names.push("cli-input-json".into());
    names.push("generate-cli-skeleton".into());
    let matches: Vec<&String> = names.iter().filter(|n| n.starts_with(prefix)).collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.to_string())),
        several => Err(usage_error(&format!(
            "ambiguous option: --{prefix} could match {}",
            several
                .iter()
                .map(|n| format!("--{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn parse_options(
    table: &[Argument],
    paginated: bool,
    not_simulated: &[&str],
    words: &[String],
    session: &Session,
) -> Result<Parsed, Outcome> {
    let mut parsed = Parsed::default();
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let Some(option) = word.strip_prefix("--") else {
            unknown.push(word.clone());
            continue;
        };
        let (name, inline) = match option.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (option, None),
        };
        let mut take = |count: Option<usize>| -> Vec<String> {
            if let Some(v) = &inline {
                return vec![v.clone()];
            }
            let mut taken = Vec::new();
            while i < words.len() && !words[i].starts_with("--") {
                if count.is_some_and(|n| taken.len() == n) {
                    break;
                }
                taken.push(words[i].clone());
                i += 1;
            }
            taken
        };
        let found = lookup(table, name);
        let (found, name) = match found {
            Some(found) => (Some(found), name.to_string()),
            None => match abbreviation(table, paginated, name) {
                Ok(Some(full)) => (lookup(table, &full), full),
                Ok(None) => (None, name.to_string()),
                Err(outcome) => return Err(outcome),
            },
        };
        let name = name.as_str();
        if paginated && PAGING_OPTIONS.contains(&name) {
            let taken = take(Some(1));
            let Some(value) = taken.into_iter().next() else {
                return Err(usage_error(&format!(
                    "argument --{name}: expected one argument"
                )));
            };
            if name != "starting-token" && value.parse::<i64>().is_err() {
                return Err(usage_error(&format!(
                    "argument --{name}: invalid int value: '{value}'"
                )));
            }
            parsed.paging.insert(name.to_string(), value);
            continue;
        }
        let Some((argument, flag)) = found else {
            // A member botocore has and the simulation does not: refused by name, not as a
            // typo.
            if let Some(member) = not_simulated.iter().find(|m| {
                !m.contains('.')
                    && (m.replace('_', "-") == name
                        || format!("no-{}", m.replace('_', "-")) == name)
            }) {
                return Err(Outcome::failed(
                    EXIT_USAGE,
                    not_simulated_message(&format!("--{}", member.replace('_', "-"))),
                ));
            }
            unknown.push(word.clone());
            continue;
        };
        if let Kind::NotSimulated { member } = &argument.kind {
            return Err(Outcome::failed(
                EXIT_USAGE,
                not_simulated_message(&format!("--{name} (it sets {})", wire_path("ec2", member))),
            ));
        }
        // `--ebs-optimized` alone, or with the value it is given.
        if matches!(argument.kind, Kind::ValueFlag { .. }) && flag.is_none() {
            let taken = take(Some(1));
            let value = match taken.into_iter().next() {
                None => "true".to_string(),
                Some(w) => resolve_file(&argument.name, w, session)?,
            };
            parsed.values.insert(argument.name.clone(), vec![value]);
            continue;
        }
        if let Some(flag) = flag {
            if inline.is_some() {
                return Err(usage_error(&format!(
                    "argument --{name}: ignored explicit argument '{}'",
                    inline.unwrap_or_default()
                )));
            }
            parsed
                .values
                .insert(argument.name.clone(), vec![flag.to_string()]);
            continue;
        }
        let is_list =
            matches!(&argument.kind, Kind::Member(m) if matches!(m.shape, crate::Shape::List(_)));
        let taken = take(if is_list { None } else { Some(1) });
        if taken.is_empty() {
            let expected = if is_list {
                "expected at least one argument"
            } else {
                "expected one argument"
            };
            return Err(usage_error(&format!("argument --{name}: {expected}")));
        }
        let mut resolved = Vec::with_capacity(taken.len());
        for w in taken {
            resolved.push(resolve_file(&argument.name, w, session)?);
        }
        parsed.values.insert(argument.name.clone(), resolved);
    }
    if !unknown.is_empty() {
        return Err(usage_error(&format!(
            "Unknown options: {}",
            unknown.join(", ")
        )));
    }
    Ok(parsed)
}

/// A `file://` argument's text (`awscli/paramfile.py`); other words as typed.
fn resolve_file(option: &str, word: String, session: &Session) -> Result<String, Outcome> {
    if let Some(path) = word.strip_prefix("file://") {
        return (session.read_file)(path).map_err(|e| {
            Outcome::failed(
                EXIT_USAGE,
                format!("\nError parsing parameter '--{option}': Unable to load paramfile {word}: {e}\n"),
            )
        });
    }
    // The simulation's members are text (an imported public key, user data): a binary file
    // is read as the text it holds.
    if let Some(path) = word.strip_prefix("fileb://") {
        return (session.read_file)(path).map_err(|e| {
            Outcome::failed(
                EXIT_USAGE,
                format!("\nError parsing parameter '--{option}': Unable to load paramfile {word}: {e}\n"),
            )
        });
    }
    Ok(word)
}

/// The request in boto3's keys: `--cli-input-json` first, then each option over it, checked
/// as botocore checks it.
fn build_request(
    op: &OperationSpec,
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
            (Kind::Rule(part), Some(words)) => {
                rule::add(&mut wire, *part, &words[0])
                    .map_err(|e| Outcome::failed(EXIT_USAGE, format!("\n{e}\n")))?;
            }
            (Kind::Rule(_) | Kind::NotSimulated { .. }, None) => {}
            (Kind::NotSimulated { .. }, Some(_)) => {}
            (Kind::Member(member), Some(words)) => {
                let value = argument::value(&format!("--{}", argument.name), &member.shape, words)
                    .map_err(|e| Outcome::failed(EXIT_USAGE, format!("\n{e}\n")))?;
                wire.insert(member.name.clone(), value);
            }
            (
                Kind::Member(member) | Kind::Flag { member, .. } | Kind::ValueFlag { member, .. },
                None,
            ) => {
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
    rule::finish(&mut wire);
    to_request(&input_shape(op), &Value::Object(wire), op.not_simulated()).map_err(|problems| {
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
        value: Some(value),
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
        PaginateError::Call(CallError::Param(message)) => {
            Outcome::failed(EXIT_USAGE, format!("\n{message}\n"))
        }
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

/// A boto3 key path in the API's names (`placement.group_name` → `Placement.GroupName`).
fn wire_path(service: &str, path: &str) -> String {
    path.split('.')
        .map(|key| amilab_cloud::naming::wire_name(service, key))
        .collect::<Vec<_>>()
        .join(".")
}

/// The refusal of something real AWS would act on but the simulation cannot.
fn not_simulated_message(what: &str) -> String {
    format!(
        "\namilab does not simulate {what}: real AWS would act on it, but nothing here could. Leave it out; the README's \"Not simulated\" table lists every such member.\n"
    )
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
    let names: Vec<String> = waiters::waiter_names(service)
        .iter()
        .map(|n| n.replace('_', "-"))
        .collect();
    let Some(name) = words.first().filter(|w| !w.starts_with("--")) else {
        return usage_error("the following arguments are required: waiter_name");
    };
    if name == "help" {
        return Outcome::printed(help::waiters(service));
    }
    let Some(spec) = waiters::waiter(service, &name.replace('-', "_")) else {
        return usage_error(&invalid_choice("waiter_name", name, names));
    };
    let Some(op) = api::operation(service, spec.method()) else {
        return usage_error(&format!("waiter {name} has no operation"));
    };
    if words.get(1).map(String::as_str) == Some("help") {
        return Outcome::printed(help::waiter(op, spec));
    }
    let table = arguments(op);
    let parsed = match parse_options(&table, false, op.not_simulated(), &words[1..], session) {
        Ok(parsed) => parsed,
        Err(outcome) => return outcome,
    };
    let request = match build_request(op, &table, &parsed, globals) {
        Ok(request) => request,
        Err(outcome) => return outcome,
    };
    let caller = Caller::new(
        session.account.clone(),
        globals
            .region
            .clone()
            .unwrap_or_else(|| session.default_region.clone()),
    );
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

//! A command line's words as the AWS CLI's argument parser reads them (argparse, as
//! `awscli/clidriver.py` and `awscli/argparser.py` set it up): global options wherever they
//! are, an operation's options with their values, abbreviations, flags, `file://` arguments,
//! and the parser's errors in its words.

// A parsing step's error is the command's whole outcome, made once per command line: its size
// costs nothing worth a box.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use crate::options::{Argument, Kind};
use crate::output::Format;
use crate::session::{not_simulated_message, usage_error, Outcome, Session, EXIT_USAGE};
use amilab_cloud::naming::wire_path;

/// Options every command takes (`aws help` lists them), and whether each takes a value.
pub(crate) const GLOBAL_OPTIONS: &[(&str, bool)] = &[
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

/// The paging options of a paginated command (`awscli/customizations/paginate.py`).
pub(crate) const PAGING_OPTIONS: &[&str] = &["starting-token", "page-size", "max-items"];

/// The global options given, and the other words in order.
#[derive(Default)]
pub(crate) struct Globals {
    pub(crate) region: Option<String>,
    pub(crate) output: Option<String>,
    pub(crate) query: Option<String>,
    pub(crate) no_paginate: bool,
    pub(crate) cli_input_json: Option<String>,
    pub(crate) skeleton: Option<String>,
    pub(crate) version: bool,
    pub(crate) endpoint_url: bool,
}

/// Takes the global options out of `words`, wherever they are.
pub(crate) fn split_globals(words: &[String]) -> Result<(Globals, Vec<String>), Outcome> {
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
pub(crate) fn invalid_choice(what: &str, typed: &str, choices: Vec<String>) -> String {
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
pub(crate) struct Parsed {
    /// Option name → the words after it (booleans: `true` / `false`).
    pub(crate) values: BTreeMap<String, Vec<String>>,
    /// `--max-items`, `--page-size`, `--starting-token` as typed.
    pub(crate) paging: BTreeMap<String, String>,
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

pub(crate) fn parse_options(
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
pub(crate) fn resolve_file(
    option: &str,
    word: String,
    session: &Session,
) -> Result<String, Outcome> {
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

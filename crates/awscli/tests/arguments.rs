//! The options of every simulated command are the AWS CLI's: the same names, booleans with the
//! same negative forms, the CLI's renames and customizations, checked against awscli's own
//! argument tables (built by its `clidriver` in a Python that has it).
//!
//! Run with `AMILAB_AWSCLI_PYTHON=/path/to/python cargo test -p amilab-awscli --test arguments
//! -- --ignored`; `.ci/run` does.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use amilab_awscli::options::{arguments, command_name, Kind};
use amilab_cloud::api::OPERATIONS;
use serde_json::Value;

const NEEDS: &str = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed";

/// The CLI's option names for our commands, from awscli.
fn awscli_tables(wanted: &BTreeMap<&str, Vec<String>>) -> Value {
    let python = std::env::var("AMILAB_AWSCLI_PYTHON").unwrap_or_else(|_| panic!("{NEEDS}"));
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/arguments/awscli_arguments.py"
    );
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(wanted).unwrap().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{script} failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Options the CLI adds to every command, or to paginated ones, which the driver handles
/// itself (`--cli-input-json`, `--generate-cli-skeleton`, `--starting-token`, …).
/// Members newer than the botocore that awscli 1.46.3 pins (1.43.62): the simulation follows
/// the newer botocore the conformance test pins (1.44.8), where they are.
const NEWER_THAN_AWSCLI: &[(&str, &str, &str)] = &[(
    "imagebuilder",
    "create-infrastructure-configuration",
    "terminate-instance-on-completion",
)];

const DRIVER_OPTIONS: &[&str] = &[
    "cli-input-json",
    "generate-cli-skeleton",
    "starting-token",
    "page-size",
    "max-items",
];

#[test]
#[ignore = "needs AMILAB_AWSCLI_PYTHON: a Python with awscli 1.46.3 installed"]
fn every_option_is_the_clis() {
    let mut wanted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for op in OPERATIONS {
        wanted.entry(op.service).or_default().push(command_name(op));
    }
    let tables = awscli_tables(&wanted);
    let mut problems = Vec::new();
    let mut checked = 0;
    for op in OPERATIONS {
        let command = command_name(op);
        let Some(theirs) = tables[op.service][&command].as_array() else {
            problems.push(format!(
                "aws {} {command}: not a command of the CLI",
                op.service
            ));
            continue;
        };
        let theirs: BTreeSet<&str> = theirs.iter().filter_map(Value::as_str).collect();
        // Members the simulation refuses as not simulated have no option here: the CLI's
        // option for each is the member's name with dashes.
        let not_simulated: BTreeSet<String> = op
            .not_simulated()
            .iter()
            .filter(|p| !p.contains('.'))
            .map(|p| p.replace('_', "-"))
            .collect();
        let mut ours = BTreeSet::new();
        for argument in arguments(op) {
            ours.insert(argument.name.clone());
            if let Kind::Flag { negative, .. } | Kind::ValueFlag { negative, .. } = argument.kind {
                ours.insert(negative);
            }
        }
        for name in &ours {
            checked += 1;
            let newer = NEWER_THAN_AWSCLI.iter().any(|(s, c, n)| {
                *s == op.service && *c == command && (name == n || name == &format!("no-{n}"))
            });
            if !theirs.contains(name.as_str()) && !newer {
                problems.push(format!(
                    "aws {} {command} --{name}: the CLI has no such option",
                    op.service
                ));
            }
        }
        for name in &theirs {
            let simulated_elsewhere = DRIVER_OPTIONS.contains(name)
                || not_simulated.contains(*name)
                || not_simulated.contains(&format!("no-{name}"))
                || name
                    .strip_prefix("no-")
                    .is_some_and(|n| not_simulated.contains(n));
            if !ours.contains(*name) && !simulated_elsewhere {
                problems.push(format!(
                    "aws {} {command} --{name}: the CLI has it, amilab does not",
                    op.service
                ));
            }
        }
    }
    println!(
        "awscli {}: {checked} options of {} commands checked",
        tables["awscli"].as_str().unwrap_or("?"),
        OPERATIONS.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn without_the_python_the_oracle_fails_rather_than_passes() {
    if std::env::var_os("AMILAB_AWSCLI_PYTHON").is_none() {
        let result = std::panic::catch_unwind(|| awscli_tables(&BTreeMap::new()));
        assert!(result.is_err());
    }
}

//! Why a script stopped early, classified for exit codes and worded for learners: AWS errors in
//! the AWS CLI's words, syntax errors and limit breaches plainly, each with line and column.

use rhai::{Dynamic, EvalAltResult, ParseError, Position};

use super::sandbox::{Limits, DEADLINE_TOKEN, INTERRUPT_TOKEN, MEMORY_TOKEN};
use crate::limits::{human, thousands};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The script does not parse: nothing ran.
    Syntax,
    /// An error nobody caught (an AWS error, a script bug).
    Runtime,
    /// A sandbox limit stopped the script.
    Limit,
    /// amilab itself failed (a panic was contained): a bug, not the script's fault.
    Internal,
}

/// Why a script stopped: a syntax error, an uncaught runtime error (an AWS error among them,
/// with its code), or a sandbox limit; with the script's line and column when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: FailureKind,
    /// The AWS error code, when the error came from an API call.
    pub code: Option<String>,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

fn at(pos: Position) -> (Option<usize>, Option<usize>) {
    (pos.line(), pos.position())
}

/// A script over [`crate::limits::MAX_SCRIPT_BYTES`]: refused before parsing, nothing ran.
pub fn too_large(t: &crate::limits::TooLarge) -> Failure {
    Failure {
        kind: FailureKind::Limit,
        code: None,
        message: format!(
            "the script {}; it was not run (the course's longest script is under 4 KiB: remove what was pasted in by mistake, or generate repeated values with a loop)",
            t.describe()
        ),
        line: None,
        column: None,
    }
}

/// A panic inside amilab while the script ran: a bug, reported as such.
pub fn internal(bug: &crate::bug::Bug) -> Failure {
    Failure {
        kind: FailureKind::Internal,
        code: None,
        message: bug.describe(),
        line: None,
        column: None,
    }
}

pub fn from_parse_error(e: &ParseError) -> Failure {
    let (line, column) = at(e.position());
    Failure {
        kind: FailureKind::Syntax,
        code: None,
        message: format!("syntax error: {}", e.err_type()),
        line,
        column,
    }
}

/// What a sandbox limit stopped, worded to follow "the script" or "the check", naming the limit
/// that fired and its value; `None` for an error that is not a limit.
pub fn limit_breach(e: &EvalAltResult, limits: &Limits) -> Option<String> {
    Some(match e {
        EvalAltResult::ErrorTerminated(token, _) => match token.clone().into_string().ok().as_deref() {
            Some(DEADLINE_TOKEN) => format!(
                "ran past its time limit ({} s of real time) and was stopped (is there an endless loop?)",
                limits.deadline.as_secs_f64()
            ),
            Some(MEMORY_TOKEN) => format!(
                "held more than its memory limit ({}) and was stopped (is a string, array or map growing without end, or are API calls piling up in a loop?)",
                human(limits.max_memory as u64)
            ),
            Some(INTERRUPT_TOKEN) => "was interrupted (Ctrl-C) and stopped".into(),
            _ => "was stopped".into(),
        },
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "used more operations than its limit ({}) and was stopped (is there an endless loop?)",
            thousands(limits.max_operations)
        ),
        EvalAltResult::ErrorStackOverflow(_) => format!(
            "nested more function calls than the limit ({}) allows (is a function calling itself forever?)",
            limits.max_call_levels
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("grew a value beyond the sandbox's limit ({what})"),
        EvalAltResult::ErrorTooManyVariables(_) => format!(
            "declared more variables than the limit ({}) allows",
            thousands(limits.max_variables as u64)
        ),
        EvalAltResult::ErrorTooManyModules(_) => "used a module; modules are not available in the sandbox".into(),
        _ => return None,
    })
}

/// Classifies a runtime error; `None` when the script simply ended (`exit()`). A limit's
/// message names the limit that fired and its value, from `limits`.
pub fn from_eval_error(e: EvalAltResult, limits: &Limits) -> Option<Failure> {
    let pos = e.position();
    let (line, column) = at(pos);
    let limit = |message: String| Failure {
        kind: FailureKind::Limit,
        code: None,
        message,
        line,
        column,
    };
    Some(match e {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, outer) => {
            let mut f = from_eval_error(*inner, limits)?;
            if f.line.is_none() {
                (f.line, f.column) = at(outer);
            }
            if !name.is_empty() && f.kind == FailureKind::Runtime && f.code.is_none() {
                f.message = format!("{} (in function '{name}')", f.message);
            }
            f
        }
        EvalAltResult::Exit(..) => return None,
        ref breach if limit_breach(breach, limits).is_some() => limit(format!(
            "the script {}",
            limit_breach(breach, limits).unwrap_or_default()
        )),
        EvalAltResult::ErrorRuntime(value, _) => from_thrown(&value, line, column),
        EvalAltResult::ErrorFunctionNotFound(signature, _) if signature.contains("(Client") => {
            Failure {
                kind: FailureKind::Runtime,
                code: Some("AttributeError".into()),
                message: client_method_missing(&signature),
                line,
                column,
            }
        }
        other => Failure {
            kind: FailureKind::Runtime,
            code: None,
            message: strip_position(&other.to_string()),
            line,
            column,
        },
    })
}

/// A thrown value: an AWS error map gets the AWS CLI's wording; anything else is shown as is.
fn from_thrown(value: &Dynamic, line: Option<usize>, column: Option<usize>) -> Failure {
    let field = |k: &str| {
        value
            .read_lock::<rhai::Map>()
            .and_then(|m| m.get(k).and_then(|v| v.clone().into_string().ok()))
    };
    match (field("code"), field("message"), field("operation")) {
        (Some(code), Some(message), Some(operation)) => {
            let message = match code.as_str() {
                "ParamValidationError"
                | "WaiterError"
                | "AttributeError"
                | "ValueError"
                | "UnknownServiceError"
                | "InvalidRegion"
                | "InvalidAccountId"
                | "ReadOnly" => message,
                _ => format!(
                    "An error occurred ({code}) when calling the {operation} operation: {message}"
                ),
            };
            Failure {
                kind: FailureKind::Runtime,
                code: Some(code),
                message,
                line,
                column,
            }
        }
        _ => Failure {
            kind: FailureKind::Runtime,
            code: None,
            message: format!("uncaught exception: {value}"),
            line,
            column,
        },
    }
}

/// A method a client does not have, or a known method called with the wrong arguments.
fn client_method_missing(signature: &str) -> String {
    let name = signature.split(" (").next().unwrap_or(signature).trim();
    let all: Vec<String> = amilab_cloud::api::OPERATIONS
        .iter()
        .map(|op| op.method())
        .collect();
    if all.iter().any(|m| m == name) {
        return format!(
            "{name}() takes one object map of parameters, e.g. ec2.{name}(#{{...}}); it was called as {signature}"
        );
    }
    let valid: Vec<&str> = all.iter().map(String::as_str).collect();
    let hint = amilab_cloud::api::suggest(name, &valid)
        .map(|s| format!(" Did you mean '{s}'?"))
        .unwrap_or_default();
    format!("The client has no method '{name}'.{hint}")
}

/// Rhai appends ` (line 3, position 5)`; we show positions our own way.
fn strip_position(message: &str) -> String {
    match message.rfind(" (line ") {
        Some(i) if message.ends_with(')') => message[..i].to_string(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_rhai_positions() {
        assert_eq!(
            strip_position("Variable not found: x (line 1, position 9)"),
            "Variable not found: x"
        );
        assert_eq!(strip_position("plain"), "plain");
    }

    #[test]
    fn every_limit_breach_names_its_limit_and_value() {
        let limits = Limits {
            max_operations: 1_000_000,
            deadline: std::time::Duration::from_millis(2500),
            max_memory: 64 << 20,
            ..Limits::default()
        };
        let terminated = |token: &str| {
            EvalAltResult::ErrorTerminated(Dynamic::from(token.to_string()), Position::NONE)
        };
        let cases = [
            (
                terminated(DEADLINE_TOKEN),
                "time limit (2.5 s of real time)",
            ),
            (terminated(MEMORY_TOKEN), "memory limit (64 MiB)"),
            (
                EvalAltResult::ErrorTooManyOperations(Position::NONE),
                "limit (1,000,000)",
            ),
            (
                EvalAltResult::ErrorStackOverflow(Position::NONE),
                "limit (48)",
            ),
            (
                EvalAltResult::ErrorTooManyVariables(Position::NONE),
                "limit (2,000)",
            ),
        ];
        for (error, named) in cases {
            let text = limit_breach(&error, &limits).expect("a limit");
            assert!(text.contains(named), "{text}");
            let failure = from_eval_error(error, &limits).expect("a failure");
            assert_eq!(failure.kind, FailureKind::Limit);
            assert!(
                failure.message.starts_with("the script "),
                "{}",
                failure.message
            );
        }
        let thrown = EvalAltResult::ErrorRuntime(Dynamic::from("boom"), Position::NONE);
        assert_eq!(limit_breach(&thrown, &limits), None);
    }
}

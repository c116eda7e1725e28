//! What a command line runs against ([`Session`]) and what it ends with ([`Outcome`]): the
//! CLI's exit codes and the messages both the parser and the driver print.

use amilab_cloud::Cloud;
use serde_json::Value;

use crate::help;

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
    /// The answer after `--query`, for callers that want it as data (`aws("…")` in scripts),
    /// when it was printed as JSON; `None` when it was printed as text or a table, or when the
    /// command printed no answer (help, a failure, a waiter).
    pub value: Option<Value>,
    /// The error, when the service answered one: `(code, message, operation)`.
    pub error: Option<(String, String, String)>,
}

impl Outcome {
    pub(crate) fn printed(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            exit_code: EXIT_OK,
            value: None,
            error: None,
        }
    }

    pub(crate) fn failed(exit_code: i32, stderr: String) -> Outcome {
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
pub(crate) fn usage_error(message: &str) -> Outcome {
    Outcome::failed(
        EXIT_USAGE,
        format!("{}\naws: error: {message}\n", help::USAGE),
    )
}

/// The refusal of something real AWS would act on but the simulation cannot.
pub(crate) fn not_simulated_message(what: &str) -> String {
    format!(
        "\namilab does not simulate {what}: real AWS would act on it, but nothing here could. Leave it out; the README's \"Not simulated\" table lists every such member.\n"
    )
}

/// What `aws --version` prints.
pub const VERSION: &str = concat!(
    "aws-cli/2 (amilab ",
    env!("CARGO_PKG_VERSION"),
    ": the AWS CLI against a simulated cloud)\n"
);

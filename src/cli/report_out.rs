//! The `--format` / `--out` / `--no-timings` options of every grading command, and writing a
//! rendered result where it belongs: stdout or `--out`, plus GitHub's side files.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::PossibleValue;

use super::CliError;
use crate::diagnostic::io_reason;
use crate::report::{github, render, Format, RunResult};

/// Report options, flattened into each grading subcommand with `#[command(flatten)]`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Leave wall-clock timings out, for byte-identical reports.
    #[arg(long)]
    pub no_timings: bool,
}

/// `--format` takes the names and descriptions [`Format`] defines once.
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.help()))
    }
}

/// What the renderers need to know about the process environment (injectable for tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// Standard output is a terminal.
    pub stdout_is_tty: bool,
    /// `$GITHUB_OUTPUT`, when set.
    pub github_output: Option<PathBuf>,
    /// `$GITHUB_STEP_SUMMARY`, when set.
    pub step_summary: Option<PathBuf>,
}

impl Environment {
    /// Reads this process's environment variables and whether stdout is a terminal.
    pub fn from_process() -> Self {
        let path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Environment {
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdout_is_tty: io::stdout().is_terminal(),
            github_output: path("GITHUB_OUTPUT"),
            step_summary: path("GITHUB_STEP_SUMMARY"),
        }
    }
}

/// Appends `text` to `path` (created if missing).
pub fn append(path: &Path, text: &str) -> Result<(), CliError> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| cannot_write(path, &e))
}

/// A file the user named (`--out`, `$GITHUB_OUTPUT`) cannot be written: a bad invocation
/// (exit 2), said with the path and the reason.
fn cannot_write(path: &Path, e: &io::Error) -> CliError {
    CliError::usage(format!(
        "cannot write the report to `{}`: {}\n  = help: check that the folder exists and that you may write there",
        path.display(),
        io_reason(e)
    ))
}

/// Renders `result` as `args` ask and writes it: to `args.out` or `stdout`; the `github`
/// format also appends to `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` when they are set.
/// Colour only for `pretty` on a terminal without `NO_COLOR`. A file that cannot be written is
/// a [`CliError`] naming it (exit 2).
pub fn emit(
    result: &RunResult,
    args: &ReportArgs,
    env: &Environment,
    stdout: &mut Vec<u8>,
) -> Result<(), CliError> {
    emit_with(result, args, env, stdout, None)
}

/// [`emit`], with markdown appended to the GitHub step summary after the report's own
/// (`amilab check` adds the graded state's lineage there).
pub fn emit_with(
    result: &RunResult,
    args: &ReportArgs,
    env: &Environment,
    stdout: &mut Vec<u8>,
    summary_extra: Option<&str>,
) -> Result<(), CliError> {
    let mut result = result.clone();
    if args.no_timings {
        result.strip_timings();
    }
    let color = args.out.is_none() && env.stdout_is_tty && !env.no_color;
    let main = match args.format {
        // On a terminal, messages and hints wrap at word boundaries to its width.
        Format::Pretty if args.out.is_none() && env.stdout_is_tty => crate::report::text::pretty(
            &result,
            crate::report::text::PrettyOptions {
                color,
                width: Some(crate::report::wrap::terminal_width()),
            },
        ),
        _ => render(&result, args.format, color),
    };
    match &args.out {
        Some(path) => std::fs::write(path, main.as_bytes()).map_err(|e| cannot_write(path, &e))?,
        None => stdout.extend_from_slice(main.as_bytes()),
    }
    if args.format == Format::Github {
        let gh = github::github(&result);
        if let Some(path) = &env.github_output {
            append(path, &gh.output_line)?;
        }
        if let Some(path) = &env.step_summary {
            append(path, &(gh.summary + summary_extra.unwrap_or_default()))?;
        }
    }
    Ok(())
}

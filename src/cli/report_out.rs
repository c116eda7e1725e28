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

/// A file the report goes to, named as the user gave it (for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// `--out FILE`.
    Out(&'a Path),
    /// A file named by an environment variable (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`).
    Env(&'static str, &'a Path),
}

impl Target<'_> {
    fn path(&self) -> &Path {
        match self {
            Target::Out(p) | Target::Env(_, p) => p,
        }
    }
}

/// Appends `text` to `path` (created if missing).
pub fn append(path: &Path, text: &str) -> Result<(), CliError> {
    append_to(Target::Out(path), text)
}

/// Appends `text` to the file of `target` (created if missing); a [`CliError`] naming it.
pub fn append_to(target: Target<'_>, text: &str) -> Result<(), CliError> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(target.path())
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| cannot_write(target, &e))
}

/// A file the user named (`--out`, `$GITHUB_OUTPUT`) cannot be written: a bad invocation
/// (exit 2), said with the path, the reason and what to do about that reason.
pub fn cannot_write(target: Target<'_>, e: &io::Error) -> CliError {
    let path = target.path();
    let shown = path.display();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.display().to_string());
    let (reason, help) = if path.is_dir() {
        (
            "it is a folder".to_string(),
            format!(
                "name a file, not a folder: e.g. `{}`",
                path.join("report.txt").display()
            ),
        )
    } else {
        match (e.kind(), &parent) {
            (io::ErrorKind::NotFound, Some(parent)) if !Path::new(parent).is_dir() => (
                format!("the folder `{parent}` does not exist"),
                format!("create the folder first (`mkdir -p {parent}`), or choose a file in a folder that exists"),
            ),
            (io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem, _) => (
                io_reason(e),
                "choose a file in a folder you may write to (or make the file writable)".to_string(),
            ),
            _ => (
                io_reason(e),
                "check that the folder exists and that you may write there".to_string(),
            ),
        }
    };
    let message = match target {
        Target::Out(_) => format!("cannot write the report to `{shown}`: {reason}\n  = help: {help}"),
        Target::Env(var, _) => format!(
            "cannot write the report to `{shown}`, named by ${var}: {reason}\n  = help: GitHub Actions sets ${var} to a file it made; outside Actions, unset {var} or {help}"
        ),
    };
    CliError::usage(message)
}

/// What `--format github` says on standard error when `$GITHUB_OUTPUT` is not set: the runner
/// result went nowhere, and how to get it.
pub const NO_GITHUB_OUTPUT: &str = "note: $GITHUB_OUTPUT is not set, so the runner result for GitHub Classroom's reporter (`result=<base64 JSON>`) was written nowhere: only the per-item lines and annotations were written (to standard output, or --out)\n  = help: in a GitHub Actions step this is set for you (give the step an `id` and pass `${{ steps.ID.outputs.result }}` to the reporter); elsewhere, set GITHUB_OUTPUT=FILE to get the `result=` line in FILE, or use --format json\n";

/// Renders `result` as `args` ask and writes it: to `args.out` or `stdout`; the `github`
/// format also appends to `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` when they are set.
/// Colour only for `pretty` on a terminal without `NO_COLOR`. A file that cannot be written is
/// a [`CliError`] naming it (exit 2). Returns what to say on standard error (empty, or
/// [`NO_GITHUB_OUTPUT`]).
pub fn emit(
    result: &RunResult,
    args: &ReportArgs,
    env: &Environment,
    stdout: &mut Vec<u8>,
) -> Result<String, CliError> {
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
) -> Result<String, CliError> {
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
        Some(path) => std::fs::write(path, main.as_bytes())
            .map_err(|e| cannot_write(Target::Out(path), &e))?,
        None => stdout.extend_from_slice(main.as_bytes()),
    }
    let mut note = String::new();
    if args.format == Format::Github {
        let gh = github::github(&result);
        match &env.github_output {
            Some(path) => append_to(Target::Env("GITHUB_OUTPUT", path), &gh.output_line)?,
            None => note.push_str(NO_GITHUB_OUTPUT),
        }
        if let Some(path) = &env.step_summary {
            append_to(
                Target::Env("GITHUB_STEP_SUMMARY", path),
                &(gh.summary + summary_extra.unwrap_or_default()),
            )?;
        }
    }
    Ok(note)
}

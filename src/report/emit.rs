//! Writing a rendered result where it belongs: stdout or `--out`, plus GitHub's side files.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::format::{Format, ReportArgs};
use super::model::RunResult;
use super::text::PrettyOptions;

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

/// Renders the main output of `format` (for `github`, the stdout part).
pub fn render(result: &RunResult, format: Format, color: bool) -> String {
    match format {
        Format::Pretty => super::text::pretty(result, PrettyOptions { color }),
        Format::Plain => super::text::plain(result),
        Format::Json => super::json::json(result),
        Format::Junit => super::junit::junit(result),
        Format::Tap => super::tap::tap(result),
        Format::Gradescope => super::gradescope::gradescope(result),
        Format::Github => super::github::github(result).stdout,
    }
}

fn append(path: &Path, text: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(text.as_bytes())
}

/// Renders `result` as `args` ask and writes it: to `args.out` or `stdout`; the `github`
/// format also appends to `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` when they are set.
/// Colour only for `pretty` on a terminal without `NO_COLOR`.
pub fn emit(
    result: &RunResult,
    args: &ReportArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    let mut result = result.clone();
    if args.no_timings {
        result.strip_timings();
    }
    let color = args.out.is_none() && env.stdout_is_tty && !env.no_color;
    let main = render(&result, args.format, color);
    match &args.out {
        Some(path) => std::fs::write(path, main.as_bytes())?,
        None => stdout.write_all(main.as_bytes())?,
    }
    if args.format == Format::Github {
        let gh = super::github::github(&result);
        if let Some(path) = &env.github_output {
            append(path, &gh.output_line)?;
        }
        if let Some(path) = &env.step_summary {
            append(path, &gh.summary)?;
        }
    }
    stdout.flush()
}

//! The `--format` / `--out` / `--no-timings` options shared by every grading command.

use std::path::PathBuf;

/// Every output format of the result model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Colour and symbols for a terminal (no colour with NO_COLOR or when not a terminal).
    #[default]
    Pretty,
    /// No colour, no symbols, full sentences: for screen readers and logs.
    Plain,
    /// The versioned result model as JSON.
    Json,
    /// JUnit XML (the subset GitLab and GitHub read).
    Junit,
    /// TAP version 14.
    Tap,
    /// Gradescope's results.json.
    Gradescope,
    /// GitHub Classroom: runner result to $GITHUB_OUTPUT, annotations, step summary.
    Github,
}

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

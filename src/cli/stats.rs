//! `amilab stats RESULTS…`: analytics of a graded class, as text, JSON and an HTML page.

use std::path::PathBuf;

use super::{exit, CliError, Outcome};
use crate::diagnostic::io_reason;
use crate::stats::{self, text::TextStyle};

/// Output formats of `amilab stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// Colour and bars for a terminal (no colour with NO_COLOR or when not a terminal)
    #[default]
    Pretty,
    /// No colour, ASCII only: for screen readers and logs
    Plain,
    /// One JSON document with stable field names (see the README, "Analytics")
    Json,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Results of `amilab grade`: `results.jsonl` files, or the `--out` directories holding
    /// them (several: e.g. the outputs of shards of one class).
    #[arg(required = true, value_name = "RESULTS")]
    pub results: Vec<PathBuf>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = StatsFormat::Pretty)]
    pub format: StatsFormat,
    /// Also write one self-contained HTML page (charts, tables; works offline) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Reads the class, writes the page if asked, and prints the statistics (exit 0; 2 for bad
/// input or a page that cannot be written).
pub fn execute(args: &StatsArgs) -> Result<Outcome, CliError> {
    let class = stats::read_class(&args.results).map_err(CliError::usage)?;
    let computed = stats::compute(&class);
    let mut stderr = String::new();
    if let Some(path) = &args.html {
        let page = stats::html::render(&computed).map_err(|message| CliError {
            code: exit::UNGRADABLE,
            message,
        })?;
        crate::atomic_file::write(path, &page).map_err(|e| {
            CliError::usage(format!(
                "cannot write `{}`: {}",
                path.display(),
                io_reason(&e)
            ))
        })?;
        stderr.push_str(&format!("Wrote the class page to `{}`.\n", path.display()));
    }
    let stdout = match args.format {
        StatsFormat::Json => stats::json::render(&computed),
        StatsFormat::Pretty => stats::text::render(
            &computed,
            TextStyle {
                symbols: true,
                color: super::style::stdout_colors(),
            },
        ),
        StatsFormat::Plain => stats::text::render(
            &computed,
            TextStyle {
                symbols: false,
                color: false,
            },
        ),
    };
    Ok(Outcome {
        stdout,
        stderr,
        code: exit::OK,
    })
}

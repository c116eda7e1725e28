//! `amilab run SCRIPT`: run a script in the default world and show what it printed, how it
//! ended and, on request, the API trail and the resources it left behind.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use clap::{Args, ValueEnum};

use super::run_render::{self, RunView};
use super::{exit, input, CliError, Outcome};
use crate::cloud::{Cloud, WorldConfig};
use crate::script::{self, FailureKind, RunOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// Human-readable, coloured on a terminal
    Pretty,
    /// Human-readable without colour
    Plain,
    /// One JSON document
    Json,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The Rhai script to run
    pub script: PathBuf,
    /// Seed for resource ids and other choices: the same seed gives the same run
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also show every API call the script made
    #[arg(long)]
    pub trail: bool,
    /// Also show the resources left in each region
    #[arg(long)]
    pub state: bool,
    #[arg(long, value_enum, default_value_t = RunFormat::Pretty)]
    pub format: RunFormat,
}

pub fn execute(args: &RunArgs) -> Result<Outcome, CliError> {
    let source = input::read_text(&args.script, "script")?;
    let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig {
        seed: args.seed,
        ..WorldConfig::default()
    })));
    let start = cloud.borrow().now();
    let report = script::run(&cloud, &source, RunOptions::default());
    let cloud = cloud.borrow();
    let view = RunView {
        script_name: args.script.display().to_string(),
        source: &source,
        seed: args.seed,
        report: &report,
        cloud: &cloud,
        elapsed: cloud.now() - start,
        show_trail: args.trail,
        show_state: args.state,
    };
    let code = match report.failure.as_ref().map(|f| &f.kind) {
        None => exit::OK,
        Some(FailureKind::Runtime) => exit::FAILED,
        Some(FailureKind::Syntax | FailureKind::Limit) => exit::UNGRADABLE,
    };
    let (stdout, stderr) = match args.format {
        RunFormat::Json => (run_render::json(&view), String::new()),
        RunFormat::Plain => run_render::text(&view, false, false),
        RunFormat::Pretty => run_render::text(
            &view,
            super::style::stdout_colors(),
            super::style::stderr_colors(),
        ),
    };
    Ok(Outcome {
        stdout,
        stderr,
        code,
    })
}

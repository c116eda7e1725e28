//! `amilab check LAB [SCRIPT]`: grade a script in a lab and report in any format.

use std::path::PathBuf;

use clap::Args;

use super::{input, CliError};
use crate::lab::{self, validate, Who};
use crate::report::{self, diagnostic::render_all, Diagnostic, Environment, ReportArgs};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Lab id (see `amilab lab list`) or path to a lab.yaml / lab directory.
    pub lab: String,
    /// The script to grade (default: LAB-ID.rhai in the current directory).
    pub script: Option<PathBuf>,
    /// Learner id: it decides the variant (default: $AMILAB_LEARNER, else anonymous; --seed
    /// wins over both).
    #[arg(long, env = "AMILAB_LEARNER")]
    pub learner: Option<String>,
    /// Grade the variant of this seed instead of a learner's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// How many hints each failed check shows.
    #[arg(long, value_name = "N", default_value_t = lab::grade::DEFAULT_HINTS)]
    pub hints: usize,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Loads the lab `arg` (an id or a path). Built-in labs are validated by the test suite
/// (`amilab validate` over the course); a lab from a path may be mid-edit, so it is checked
/// first.
pub fn load_lab(arg: &str) -> Result<lab::Loaded, CliError> {
    let loaded = lab::load(arg)?;
    let problems = if matches!(loaded.source, lab::course::Source::Builtin(_)) {
        Vec::new()
    } else {
        validate::validate_static(&loaded)
    };
    if problems.iter().any(Diagnostic::is_error) {
        return Err(CliError::usage(format!(
            "the lab is invalid:\n{}",
            render_all(&problems).trim_end()
        )));
    }
    Ok(loaded)
}

/// Runs the check; `Ok` is the exit code (0 passed, 1 not passed, 3 not gradable).
pub fn run(args: &CheckArgs) -> Result<i32, CliError> {
    let loaded = load_lab(&args.lab)?;
    let script = args
        .script
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.rhai", loaded.spec.id)));
    if args.script.is_none() && !script.exists() {
        return Err(CliError::usage(format!(
            "no script given and `{}` does not exist\n  = help: start the lab with `amilab lab start {}`, or pass the script: `amilab check {} path/to/script.rhai`",
            script.display(),
            loaded.spec.id,
            args.lab
        )));
    }
    let source = input::read_text(&script, "script")?;
    let who = Who {
        learner: args.learner.clone().filter(|l| !l.trim().is_empty()),
        seed: args.seed,
    };
    let result = lab::grade(
        &loaded,
        &script.display().to_string(),
        &source,
        &who,
        args.hints,
    )
    .map_err(|e| CliError::usage(format!("the lab's world cannot be built: {e}")))?;
    let mut stdout = std::io::stdout().lock();
    report::emit(
        &result,
        &args.report,
        &Environment::from_process(),
        &mut stdout,
    )
    .map_err(|e| CliError {
        code: super::exit::UNGRADABLE,
        message: format!("cannot write the report: {e}"),
    })?;
    Ok(result.exit_code())
}

//! `amilab check LAB [SCRIPT]`: grade a script in a lab and report in any format.

use std::path::{Path, PathBuf};

use clap::Args;

use super::report_out::{self, Environment, ReportArgs};
use super::{input, run_render, CliError, Outcome};
use crate::diagnostic::{render_all, Diagnostic};
use crate::lab::{self, checks::Show, validate, Who};
use crate::report::{Format, RunResult};
use crate::script::Failure;
use amilab_cloud::Cloud;

#[derive(Debug, Clone, Args)]
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
    /// After the report, show every API call your script made, as the grader saw them
    /// (pretty and plain formats only).
    #[arg(long)]
    pub trail: bool,
    /// After the report, show the resources your script left in each region (pretty and
    /// plain formats only).
    #[arg(long)]
    pub state: bool,
    /// Grade again whenever the script is saved, until Ctrl-C (pretty and plain formats).
    #[arg(long)]
    pub watch: bool,
    /// With --watch: poll the script's folder instead of waiting for file events (for network
    /// and shared folders, where events may not arrive; chosen by itself for the known ones).
    #[arg(long, requires = "watch")]
    pub poll: bool,
    /// With --watch: stop after N re-grades, with the last grade's exit code (for tests).
    #[arg(long, value_name = "N", requires = "watch", hide = true)]
    pub watch_limit: Option<u64>,
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

/// `amilab check x.rhai` or `amilab check x.rhai LAB`: a script where the lab goes. Says so,
/// with the command that was meant.
fn script_as_lab(args: &CheckArgs) -> Option<CliError> {
    let arg = args.lab.as_str();
    if !arg.to_ascii_lowercase().ends_with(".rhai") {
        return None;
    }
    let help = match &args.script {
        // Swapped: `check SCRIPT LAB`.
        Some(second) => format!(
            "the lab comes first: `amilab check {} {arg}`",
            second.display()
        ),
        None => match super::hints::lab_of_file(Path::new(arg)) {
            Some(id) => format!("grade it in its lab: `amilab check {id} {arg}`"),
            None => {
                format!("name the lab first: `amilab check <lab-id> {arg}` (see `amilab lab list`)")
            }
        },
    };
    Some(CliError::usage(format!(
        "`{arg}` is a script, not a lab\n  = help: {help}"
    )))
}

/// `--trail` / `--state` only with the human formats: the others are parsed by tools.
fn human_extras(args: &CheckArgs) -> Result<(), CliError> {
    let flag = match (args.trail, args.state) {
        (true, _) => "--trail",
        (false, true) => "--state",
        (false, false) => return Ok(()),
    };
    if matches!(args.report.format, Format::Pretty | Format::Plain) {
        return Ok(());
    }
    let format = args.report.format.name();
    Err(CliError::usage(format!(
        "`{flag}` cannot be used with `--format {format}`: that output is read by tools and must stay as it is\n  = help: use `--format pretty` or `--format plain` to see the trail and state, or `amilab run --lab {} SCRIPT {flag}`",
        args.lab
    )))
}

/// Runs the check; the outcome's code is 0 passed, 1 not passed, 3 not gradable. The report is
/// in the outcome's stdout, or already written to `--out` (and GitHub's files).
pub fn execute(args: &CheckArgs) -> Result<Outcome, CliError> {
    if args.watch {
        return super::watch::run(args);
    }
    if let Some(e) = script_as_lab(args) {
        return Err(e);
    }
    human_extras(args)?;
    let loaded = load_lab(&args.lab)?;
    let script = args
        .script
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.rhai", loaded.spec.id)));
    if args.script.is_none() && !script.exists() {
        return Err(CliError::usage(format!(
            "no script given and `{}` does not exist\n  = help: start the lab with `amilab lab start {}`, or pass the script: `amilab check {} path/to/script.rhai`",
            script.display(),
            args.lab,
            args.lab
        )));
    }
    let source = input::read_script(&script)?;
    let who = Who {
        learner: args.learner.clone().filter(|l| !l.trim().is_empty()),
        seed: args.seed,
    };
    let v = lab::variant(&loaded.spec, &who);
    let show = Show {
        hints: args.hints,
        reveal_hidden: false,
    };
    let name = script.display().to_string();
    // A panic anywhere in grading (a bug) becomes a report with outcome `error` (exit 3) in the
    // format asked for, never a crash.
    let graded = crate::bug::catch(|| {
        let graded = match &source {
            Ok(text) => lab::grade::grade_variant(&loaded, &name, text, &v, &show),
            Err(t) => lab::grade::grade_too_large(&loaded, &name, *t, &v, &show),
        };
        graded.map(|mut graded| {
            add_help(&mut graded.result, graded.failure.as_ref(), &graded.cloud);
            graded
        })
    });
    let (result, cloud) = match graded {
        Ok(graded) => {
            let graded = graded
                .map_err(|e| CliError::usage(format!("the lab's world cannot be built: {e}")))?;
            (graded.result, Some(graded.cloud))
        }
        Err(bug) => (
            lab::grade::bug_result(&loaded, &name, source.as_deref().ok(), &v, &bug),
            None,
        ),
    };
    let env = Environment::from_process();
    let mut stdout = Vec::new();
    report_out::emit(&result, &args.report, &env, &mut stdout)?;
    // What the grader saw, after the report and in `amilab run`'s rendering.
    let color = args.report.format == Format::Pretty
        && args.report.out.is_none()
        && env.stdout_is_tty
        && !env.no_color;
    let mut extra = String::new();
    // After a bug, there is no state to show.
    if let (true, Some(cloud)) = (args.trail, &cloud) {
        extra.push('\n');
        extra.push_str(&run_render::trail_section(cloud, color));
    }
    if let (true, Some(cloud)) = (args.state, &cloud) {
        extra.push('\n');
        extra.push_str(&run_render::state_section(cloud, color));
    }
    if !extra.is_empty() {
        match &args.report.out {
            Some(path) => report_out::append(path, &extra)?,
            None => stdout.extend_from_slice(extra.as_bytes()),
        }
    }
    Ok(Outcome {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::new(),
        code: result.exit_code(),
    })
}

/// The `help:` line `amilab run` shows under an uncaught error, kept in the result.
fn add_help(result: &mut RunResult, failure: Option<&Failure>, cloud: &Cloud) {
    let (Some(failure), Some(error)) = (
        failure,
        result.submission.as_mut().and_then(|s| s.error.as_mut()),
    ) else {
        return;
    };
    error.help = super::hints::hint(failure, cloud);
}

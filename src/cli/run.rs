//! `amilab run [--lab LAB] [--world FILE] SCRIPT`: run a script in the default world, or in a
//! lab's world with a learner's variant (ungraded), or in a world saved by an earlier run, and
//! show what it printed, how it ended and, on request, the API trail and the resources it left
//! behind.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use clap::{Args, ValueEnum};

use super::run_render::{self, LabRun, RunView};
use super::world_file::{load_world_file, save_world_file};
use super::{exit, input, CliError, Outcome};
use crate::lab::{self, grade, Who};
use crate::script::{self, FailureKind, Globals, RunOptions};
use amilab_cloud::{Cloud, WorldConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// Human-readable, coloured on a terminal
    Pretty,
    /// Human-readable without colour
    Plain,
    /// One JSON document
    Json,
}

/// The world a script (`run`) or a session (`explore`) starts in: the default one, or a lab's
/// with a learner's variant. Defined once for both commands.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Start in this lab's world, with your variant's `params`, `accounts`, `account` and
    /// `learner` (as `amilab check` does, but not graded): a lab id or a lab.yaml / lab directory
    #[arg(long, value_name = "LAB")]
    pub lab: Option<String>,
    /// With --lab: the learner whose variant to use (default: $AMILAB_LEARNER, else your
    /// workspace's learner, else anonymous; --seed wins over all)
    #[arg(long, env = "AMILAB_LEARNER")]
    pub learner: Option<String>,
    /// Seed for resource ids and other choices: the same seed and script give the same answers
    /// (default 0; with --lab, the variant's seed instead of the learner's)
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The Rhai script to run
    pub script: PathBuf,
    #[command(flatten)]
    pub start: StartArgs,
    /// Also show every API call the script made
    #[arg(long)]
    pub trail: bool,
    /// Also show the resources left in each region
    #[arg(long)]
    pub state: bool,
    /// Keep the world in FILE between runs: if FILE exists, the script runs in the world saved
    /// there (instead of a new one; --seed and --lab's world are then not used to build it);
    /// afterwards the world is saved back to FILE, created if missing. A file that is not a
    /// valid world is refused (exit 2) and left untouched
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,
    /// Draw the final state's AMI lineage into FILE: `.mmd` or `.md` (Mermaid), `.svg`; `-`
    /// writes Mermaid to standard output after the run's report (not with --format json)
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
    /// How to show the run: pretty (coloured on a terminal), plain, or one JSON document
    #[arg(long, value_enum, default_value_t = RunFormat::Pretty)]
    pub format: RunFormat,
}

pub fn execute(args: &RunArgs) -> Result<Outcome, CliError> {
    let graph = super::graph_out::target(args.graph.as_deref(), args.format != RunFormat::Json)?;
    // Over the size limit, the script is refused unread (a limit breach, exit 3), in the
    // lab's world when there is one.
    let (source, too_large) = match input::read_script(&args.script)? {
        Ok(source) => (source, None),
        Err(t) => (String::new(), Some(t)),
    };
    let world = start_world(
        args.start.lab.as_deref(),
        args.start.learner.as_deref(),
        args.start.seed,
        args.world.as_deref(),
    )?;
    let cloud = Rc::new(RefCell::new(world.cloud));
    let start = cloud.borrow().now();
    let report = match too_large {
        None => script::run_with(&cloud, &source, world.options, world.globals),
        Some(t) => script::RunReport {
            output: script::Output::default(),
            failure: Some(script::failure::too_large(&t)),
        },
    };
    let cloud = cloud.borrow();
    // The world is saved whatever the outcome: the calls made before a failure happened. Not
    // after an internal error, which may have left the cloud half-way through a change.
    let saved = match (&args.world, report.failure.as_ref().map(|f| &f.kind)) {
        (None, _) => Ok(()),
        (Some(path), Some(FailureKind::Internal)) => Err(format!(
            "the world was not saved to `{}` after an internal error; the file is unchanged",
            path.display()
        )),
        (Some(path), _) => save_world_file(path, &cloud.save_world()),
    };
    // Outside a lab, a script that reads `params` is a lab script: say how to run it.
    let help = match (&world.lab, &report.failure) {
        (None, Some(f)) => super::hints::lab_script(f, &args.script)
            .filter(|_| f.code.is_none() || super::hints::hint(f, &cloud).is_none()),
        _ => None,
    };
    let view = RunView {
        script_name: args.script.display().to_string(),
        source: &source,
        seed: world.seed,
        report: &report,
        cloud: &cloud,
        elapsed: cloud.now() - start,
        show_trail: args.trail,
        show_state: args.state,
        lab: world.lab,
        help,
    };
    let code = match report.failure.as_ref().map(|f| &f.kind) {
        None => exit::OK,
        Some(FailureKind::Runtime) => exit::FAILED,
        Some(FailureKind::Syntax | FailureKind::Limit | FailureKind::Internal) => exit::UNGRADABLE,
    };
    let (stdout, stderr) = match args.format {
        RunFormat::Json => {
            let json = run_render::json(&view).map_err(|e| CliError {
                code: exit::UNGRADABLE,
                message: format!("internal error: the run cannot be written as JSON: {e}"),
            })?;
            (json, String::new())
        }
        RunFormat::Plain => run_render::text(&view, false, false),
        RunFormat::Pretty => run_render::text(
            &view,
            super::style::stdout_colors(),
            super::style::stderr_colors(),
        ),
    };
    // The picture of what the run left; not after an internal error (a half-made change).
    let mut stdout = stdout;
    let internal = matches!(
        report.failure.as_ref().map(|f| &f.kind),
        Some(FailureKind::Internal)
    );
    let mut stderr = stderr;
    match (&graph, internal) {
        (Some(target), false) => {
            if let Some(text) = super::graph_out::write(target, &cloud)? {
                stdout.push_str(&text);
            }
        }
        (Some(target), true) => stderr.push_str(&super::graph_out::not_drawn(target)),
        (None, _) => {}
    }
    let (stderr, code) = match saved {
        Ok(()) => (stderr, code),
        Err(message) => (
            format!(
                "{stderr}{}: {message}\n",
                super::style::error_label(super::style::stderr_colors())
            ),
            exit::USAGE,
        ),
    };
    Ok(Outcome {
        stdout,
        stderr,
        code,
    })
}

/// The world a run starts in, and what the script sees.
pub(crate) struct LabWorld {
    pub cloud: Cloud,
    pub seed: u64,
    pub options: RunOptions,
    pub globals: Globals,
    pub lab: Option<LabRun>,
}

/// The world a run (or `explore`) starts in: the default world with `seed`, or the learner's
/// variant of the lab `lab`; then, if the world file `world` exists, the world saved there
/// (the lab's limits and globals are kept).
pub(crate) fn start_world(
    lab: Option<&str>,
    learner: Option<&str>,
    seed: Option<u64>,
    world: Option<&std::path::Path>,
) -> Result<LabWorld, CliError> {
    let mut start = match lab {
        Some(arg) => lab_world(arg, learner, seed)?,
        None => LabWorld {
            cloud: Cloud::new(WorldConfig {
                seed: seed.unwrap_or(0),
                component_document_parser: Some(crate::yaml::component_document),
                ..WorldConfig::default()
            }),
            seed: seed.unwrap_or(0),
            options: RunOptions::default(),
            globals: Globals::new(),
            lab: None,
        },
    };
    if let Some(path) = world {
        if let Some(mut saved) =
            load_world_file(path, "pass another --world FILE to start a new world")?
        {
            // A new run: the trail and the API-call count start again, as in a lab's world.
            saved.begin_run();
            start.cloud = saved;
        }
    }
    Ok(start)
}

/// The learner's variant of the lab `arg`: its world, limits and globals, as `check` builds them
/// (in a workspace, for the workspace's learner unless `learner` names another).
fn lab_world(arg: &str, learner: Option<&str>, seed: Option<u64>) -> Result<LabWorld, CliError> {
    let loaded = super::check::load_lab(arg)?;
    let (_, progress) = super::check::current_workspace()?;
    let who = Who {
        learner: super::check::learner(learner.map(str::to_string).as_ref(), progress.as_ref()),
        seed,
    };
    let v = lab::variant(&loaded.spec, &who);
    let world = grade::build_world(&loaded.spec, &v)
        .map_err(|e| CliError::usage(format!("the lab's world cannot be built: {e}")))?;
    Ok(LabWorld {
        cloud: world.cloud,
        seed: v.seed,
        options: RunOptions {
            limits: grade::limits(&loaded.spec),
            read_only: false,
        },
        globals: grade::learner_globals(&v),
        lab: Some(LabRun {
            id: loaded.spec.id.clone(),
            arg: loaded.arg(),
            learner: v.learner.clone(),
        }),
    })
}

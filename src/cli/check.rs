//! `amilab check LAB [SCRIPT]`: grade a script in a lab and report in any format.

use std::path::{Path, PathBuf};

use clap::Args;

use super::report_out::{self, Environment, ReportArgs};
use super::{graph_out, input, run_render, CliError, Outcome};
use crate::diagnostic::{render_all, Diagnostic};
use crate::lab::{self, checks::Show, validate, Who};
use crate::report::{fmt_points, Format, RunResult};
use crate::script::Failure;
use crate::workspace::{Progress, Workspace};
use amilab_cloud::Cloud;

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Lab id (see `amilab lab list`) or path to a lab.yaml / lab directory; or a script named
    /// after a built-in lab (`first-golden-image.rhai`), graded in that lab; or an assignment
    /// file (`assignment.yaml`), whose parts are graded together.
    pub lab: String,
    /// The script to grade (default: LAB-ID.rhai in the current directory, else
    /// labs/LAB-ID.rhai in your workspace); for an assignment, the submission folder (default:
    /// your workspace's root, else the current directory).
    pub script: Option<PathBuf>,
    /// Learner id: it decides the variant (default: $AMILAB_LEARNER, else your workspace's
    /// learner, else anonymous; --seed wins over all).
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
    /// Draw the graded state's AMI lineage into FILE: `.mmd` or `.md` (Mermaid), `.svg`; `-`
    /// writes Mermaid to standard output after the report.
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,
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
    /// Grade only if the lab file's sha256 is HASH (64 hex digits; the first `sources` entry of
    /// `--format json`): a changed lab is refused with exit code 2. CI kits pin their lab so.
    #[arg(long, value_name = "HASH")]
    pub lab_sha256: Option<String>,
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

/// The lab and script to grade. A script given where the lab goes is graded in the built-in
/// lab it is named after (`amilab check first-golden-image.rhai`); otherwise it is an error
/// that names the command that was meant.
fn lab_and_script(args: &CheckArgs) -> Result<(String, Option<PathBuf>), CliError> {
    let arg = args.lab.as_str();
    if !arg.to_ascii_lowercase().ends_with(".rhai") {
        return Ok((args.lab.clone(), args.script.clone()));
    }
    let help = match &args.script {
        // Swapped: `check SCRIPT LAB`.
        Some(second) => format!(
            "the lab comes first: `amilab check {} {arg}`",
            second.display()
        ),
        None => match super::hints::lab_of_file(Path::new(arg)) {
            Some(id) if Path::new(arg).exists() => {
                return Ok((id.to_string(), Some(PathBuf::from(arg))))
            }
            Some(id) => {
                return Err(CliError::usage(format!(
                    "`{arg}` does not exist\n  = help: it is named after the lab `{id}`: write its starter with `amilab lab start {id}`, then `amilab check {arg}`"
                )))
            }
            None => {
                format!("name the lab first: `amilab check <lab-id> {arg}` (see `amilab lab list`)")
            }
        },
    };
    Err(CliError::usage(format!(
        "`{arg}` is a script, not a lab\n  = help: {help}"
    )))
}

/// The script `check` grades for `args` (what `--watch` watches); `None` when the lab or the
/// script cannot be found (grading then says why).
pub fn script_of(args: &CheckArgs) -> Option<PathBuf> {
    let (lab_arg, script) = lab_and_script(args).ok()?;
    if script.is_some() {
        return script;
    }
    let loaded = load_lab(&lab_arg).ok()?;
    default_script(&loaded.spec.id, &lab_arg, Workspace::current().as_ref()).ok()
}

/// The script `check` and `hint` grade when none is given: `labs/ID.rhai` in a workspace, else
/// `ID.rhai` here. A missing script is an error that says how to get one.
pub fn default_script(
    id: &str,
    lab_arg: &str,
    workspace: Option<&Workspace>,
) -> Result<PathBuf, CliError> {
    // In a workspace its labs/ID.rhai is the one script of the lab: a stray ID.rhai elsewhere
    // must not be graded (and recorded) in its place.
    let script = match workspace {
        Some(ws) => relative_to_cwd(&ws.lab_script(id)),
        None => PathBuf::from(format!("{id}.rhai")),
    };
    if script.exists() {
        return Ok(script);
    }
    let tried = format!("`{}` does not exist", script.display());
    Err(CliError::usage(format!(
        "no script given and {tried}\n  = help: start the lab with `amilab lab start {lab_arg}`, or pass the script: `amilab check {lab_arg} path/to/script.rhai`"
    )))
}

/// `path` relative to the current directory when it is below it (messages stay short).
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The workspace the current directory is in, and its progress. A progress file that cannot
/// be read (corrupt, newer) is an error (exit 2) that says so; the file is left as it is.
pub fn current_workspace() -> Result<(Option<Workspace>, Option<Progress>), CliError> {
    let Some(ws) = Workspace::current() else {
        return Ok((None, None));
    };
    let progress = ws.load().map_err(|e| CliError::usage(e.to_string()))?;
    Ok((Some(ws), Some(progress)))
}

/// The workspace of `script`: the nearest one above where the script is (a link counts where
/// it is, not where it points), whatever the current directory; and its progress. A script in
/// no workspace is graded as in CI, even when run from inside one; a learner's own workspace
/// nested in a grader's wins over the grader's.
pub fn for_script(script: &Path) -> Result<(Option<Workspace>, Option<Progress>), CliError> {
    let Some(ws) = std::path::absolute(script)
        .ok()
        .and_then(|p| p.parent().and_then(Workspace::find))
    else {
        return Ok((None, None));
    };
    let progress = ws.load().map_err(|e| CliError::usage(e.to_string()))?;
    Ok((Some(ws), Some(progress)))
}

/// Whether a graded lab attempt goes into the workspace's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Yes,
    /// Why not (said under the report).
    No(String),
}

impl Record {
    /// An attempt at `lab` graded for `who` is recorded when it is the workspace learner's own
    /// variant of a lab whose id is its own (a lab from a path that takes a built-in lab's id
    /// is a copy, not the course's lab).
    pub fn of(progress: Option<&Progress>, who: &Who, lab: &lab::Loaded) -> Record {
        let Some(progress) = progress else {
            return Record::No("not in a workspace".into());
        };
        if let Some(why) = not_recorded_because(progress, who) {
            return Record::No(why);
        }
        let builtin = matches!(lab.source, lab::course::Source::Builtin(_));
        if !builtin && lab::BUILTIN.iter().any(|b| b.id == lab.spec.id) {
            return Record::No(format!(
                "this lab from a path has the id of the course's lab `{}`, whose record it would change",
                lab.spec.id
            ));
        }
        Record::Yes
    }
}

/// Why a graded attempt for `who` does not belong in `progress`, if it does not: graded by
/// seed, or as a learner other than the workspace's.
pub fn not_recorded_because(progress: &Progress, who: &Who) -> Option<String> {
    let mine = progress
        .learner
        .as_deref()
        .unwrap_or(crate::learner::ANONYMOUS);
    match (&who.learner, who.seed) {
        (_, Some(seed)) => Some(format!(
            "graded with --seed {seed}, not as this workspace's learner `{mine}`"
        )),
        (Some(l), None) if l != mine => Some(format!(
            "graded as learner `{l}`, and this workspace is `{mine}`'s (check where --learner or $AMILAB_LEARNER came from)"
        )),
        _ => None,
    }
}

/// The learner a command grades as: `--learner` / `$AMILAB_LEARNER`, else the workspace's.
pub fn learner(flag: Option<&String>, progress: Option<&Progress>) -> Option<String> {
    flag.filter(|l| !l.trim().is_empty())
        .cloned()
        .or_else(|| progress.and_then(|p| p.learner.clone()))
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
/// in the outcome's stdout, or already written to `--out` (and GitHub's files). `--watch` is
/// [`super::watch::run`]'s, which calls this for each grade.
pub fn execute(args: &CheckArgs) -> Result<Outcome, CliError> {
    if super::assignment::is_assignment_arg(&args.lab) {
        return check_assignment(args);
    }
    let (lab_arg, script) = lab_and_script(args)?;
    human_extras(args)?;
    let graph = graph_out::target(
        args.graph.as_deref(),
        args.report.out.is_some() || matches!(args.report.format, Format::Pretty | Format::Plain),
    )?;
    let loaded = load_lab(&lab_arg)?;
    super::pin::verify(
        "lab",
        &lab_arg,
        &loaded.file,
        &loaded.text,
        args.lab_sha256.as_deref(),
    )?;
    let script = match script {
        Some(script) => script,
        None => default_script(&loaded.spec.id, &lab_arg, Workspace::current().as_ref())?,
    };
    // The script's own workspace, not the current directory's, grades it. A progress file
    // that cannot be read stops the check: the hints it records change the score, and the
    // attempt could not be recorded.
    let (workspace, progress) = for_script(&script)?;
    let source = input::read_script(&script)?;
    let who = Who {
        learner: learner(args.learner.as_ref(), progress.as_ref()),
        seed: args.seed,
    };
    let v = lab::variant(&loaded.spec, &who);
    let record = Record::of(progress.as_ref(), &who, &loaded);
    // Hints revealed are the workspace learner's: they count only in their own variant.
    let taken = match (&progress, &record) {
        (Some(p), Record::Yes) => p.hints_taken(&loaded.spec.id),
        _ => Default::default(),
    };
    let show = Show {
        hints: args.hints,
        taken: &taken,
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
    // Only the workspace learner's own variant is recorded: a --seed run, or one graded as
    // another learner, is someone else's.
    let recorded = match (&workspace, record) {
        (Some(ws), Record::Yes) => Some(
            ws.update(|p| p.record_lab(&result))
                .map_err(|e| e.to_string()),
        ),
        (Some(_), Record::No(why)) => Some(Err(why)),
        _ => None,
    };
    let env = Environment::from_process();
    let mut stdout = Vec::new();
    // GitHub's step summary ends with the graded state's lineage, when there is a state.
    let summary = cloud
        .as_ref()
        .filter(|_| args.report.format == Format::Github)
        .map(graph_out::github_summary);
    let note = report_out::emit_with(&result, &args.report, &env, &mut stdout, summary.as_deref())?;
    let human = matches!(args.report.format, Format::Pretty | Format::Plain);
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
    let mut stderr = note;
    match (&graph, &cloud) {
        (Some(target), Some(cloud)) => {
            if let Some(text) = graph_out::write(target, cloud)? {
                stdout.extend_from_slice(text.as_bytes());
            }
        }
        (Some(target), None) => stderr.push_str(&graph_out::not_drawn(target)),
        (None, _) => {}
    }
    match recorded {
        Some(Ok(progress)) if human && args.report.out.is_none() => {
            stdout.extend_from_slice(progress_line(&progress, &result).as_bytes());
        }
        Some(Err(e)) => stderr.push_str(&format!("note: this attempt was not recorded: {e}\n")),
        _ => {}
    }
    Ok(Outcome {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr,
        code: result.exit_code(),
    })
}

/// `amilab check ASSIGNMENT [DIR]`: the second argument is the submission folder; the flags
/// about one lab's run are refused.
fn check_assignment(args: &CheckArgs) -> Result<Outcome, CliError> {
    use super::assignment::not_for_assignments;
    let one_state = "an assignment grades several scripts, each in its own simulated cloud";
    if args.seed.is_some() {
        return Err(not_for_assignments(
            "--seed",
            "each part draws its variant from the learner (use --learner)",
        ));
    }
    for (on, flag) in [
        (args.trail, "--trail"),
        (args.state, "--state"),
        (args.graph.is_some(), "--graph"),
        (args.watch, "--watch"),
    ] {
        if on {
            return Err(not_for_assignments(flag, one_state));
        }
    }
    super::assignment::grade(&super::assignment::Request {
        assignment: &args.lab,
        dir: args.script.as_deref(),
        learner: args.learner.as_ref(),
        hints: args.hints,
        report: &args.report,
    })
}

/// `Progress: attempt 3, best 7.5/10 (75 %) — run `amilab` for the course.`
fn progress_line(progress: &Progress, result: &RunResult) -> String {
    let Some(lab) = progress.labs.get(&result.id) else {
        return String::new();
    };
    let best = lab
        .best
        .as_ref()
        .map(|b| {
            format!(
                ", best {}/{} ({}%)",
                fmt_points(b.score),
                fmt_points(b.max_score),
                fmt_points(b.percent)
            )
        })
        .unwrap_or_default();
    format!(
        "\nprogress: attempt {}{best}; `amilab` shows the whole course\n",
        lab.attempts
    )
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

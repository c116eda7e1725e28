//! `amilab hint LAB [CHECK]`: reveal the next hint of the first check a script fails (or of the
//! named check), one level at a time. Hints revealed are recorded in the workspace's progress,
//! shown in every later report, and charged at the lab's `hint_cost`, which is shown — and
//! confirmed — before a hint that costs points is revealed.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::check::{current_workspace, default_script, learner, load_lab, Record};
use super::{input, CliError, Outcome};
use crate::lab::{self, checks::Show, grade::Variant, hint_use, spec::CheckSpec, Loaded, Who};
use crate::report::{fmt_points, points_text, ItemStatus, Visibility};
use crate::workspace::{Progress, Workspace};

#[derive(Debug, Args)]
pub struct HintArgs {
    /// Lab id (see `amilab lab list`) or path to a lab.yaml / lab directory.
    pub lab: String,
    /// The check to get a hint for (default: the first check your script fails that has hints
    /// you have not seen; once a check's hints are all seen, the next failing check's).
    pub check: Option<String>,
    /// The script that is graded to find the first failing check (default: as `amilab check`).
    #[arg(long, value_name = "SCRIPT")]
    pub script: Option<PathBuf>,
    /// Learner id: it decides the variant the hints speak of (default: $AMILAB_LEARNER, else your
    /// workspace's learner, else anonymous).
    #[arg(long, env = "AMILAB_LEARNER")]
    pub learner: Option<String>,
    /// Reveal a hint that costs points without asking (a terminal asks; elsewhere this is
    /// required).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn execute(args: &HintArgs) -> Result<Outcome, CliError> {
    let loaded = load_lab(&args.lab)?;
    let (workspace, progress) = current_workspace()?;
    // A script's own workspace (none for a script outside every workspace) holds its hints.
    let (workspace, progress) = match &args.script {
        Some(script) => super::check::for_script(script)?,
        None => (workspace, progress),
    };
    let who = Who {
        learner: learner(args.learner.as_ref(), progress.as_ref()),
        seed: None,
    };
    // Hints are recorded only as `check` records: the workspace learner's own, for a lab whose
    // id is its own. Otherwise nothing is read or written, and `unrecorded` says why.
    let unrecorded = match (&workspace, Record::of(progress.as_ref(), &who, &loaded)) {
        (Some(_), Record::Yes) => None,
        (Some(_), Record::No(why)) => Some(why),
        (None, _) => Some(match &args.script {
            Some(script) => format!("`{}` is in no workspace", script.display()),
            None => "this directory is not in a workspace".to_string(),
        }),
    };
    let (workspace, progress) = match unrecorded {
        None => (workspace, progress),
        Some(_) => (None, None),
    };
    let taken = progress
        .as_ref()
        .map(|p| p.hints_taken(&loaded.spec.id))
        .unwrap_or_default();
    let v = lab::variant(&loaded.spec, &who);
    let check = match &args.check {
        Some(id) => named_check(&loaded, id)?,
        None => match first_failing(args, &loaded, &v, workspace.as_ref(), &taken)? {
            Some(check) => check,
            None => {
                return Ok(Outcome {
                    stdout: format!(
                        "Your script passes every visible check of `{}` that has hints: nothing to hint.\n",
                        loaded.spec.id
                    ),
                    ..Outcome::default()
                })
            }
        },
    };
    let total = check.hints.len() as u32;
    // What the learner has seen: the hints revealed, and those `check` shows for free.
    let before = seen(&loaded, check, &taken);
    let lab_arg = loaded.arg();
    let cost = loaded.spec.hint_cost;
    let mut out = format!(
        "Check `{}`: {}\n",
        check.id,
        v.text.render(&check.title).trim()
    );
    if before == total {
        out.push_str(&hints_lines(check, &v, total));
        out.push_str(&format!(
            "That was every hint of `{}`. Still stuck? `amilab check {lab_arg} --trail --state` shows what your script did and left.\n",
            check.id
        ));
        return Ok(Outcome {
            stdout: out,
            ..Outcome::default()
        });
    }
    let next = before + 1;
    if cost > 0.0 {
        let Some(ws) = &workspace else {
            return Err(CliError::usage(format!(
                "the hints of `{}` cost points, and their use must be recorded, but here it cannot be: {}\n  = help: work and ask for hints in your own workspace (`amilab init`), as its learner",
                loaded.spec.id,
                unrecorded.as_deref().unwrap_or("no workspace")
            )));
        };
        let question = format!(
            "Hint {next}/{total} of `{}` costs {} of its {} points. Reveal it?",
            check.id,
            fmt_points(cost),
            fmt_points(check.points)
        );
        if !confirmed(args.yes, &question)? {
            return Ok(Outcome {
                stdout: "Not revealed; nothing was charged.\n".to_string(),
                ..Outcome::default()
            });
        }
        record(ws, &loaded, check, next)?;
    }
    // A free hint is shown even when it cannot be recorded (a read-only folder).
    let mut stderr = String::new();
    if let (0.0, Some(ws)) = (cost, &workspace) {
        if let Err(e) = record(ws, &loaded, check, next) {
            stderr = format!("warning: this hint was not recorded: {}\n", e.message);
        }
    }
    out.push_str(&hints_lines(check, &v, next));
    if next < total {
        let left = total - next;
        out.push_str(&format!(
            "{left} more {}: `amilab hint {lab_arg} {}`\n",
            amilab_text::noun(left, "hint", "hints"),
            check.id
        ));
    }
    let where_ = match &workspace {
        Some(_) if cost > 0.0 => format!(
            "Recorded in your progress: {} off this check for {}.\n",
            points_text(cost * f64::from(next)),
            amilab_text::plural(next, "hint", "hints")
        ),
        Some(_) => "Recorded in your progress (hints in this lab are free).\n".to_string(),
        None => format!(
            "Not recorded: {}.\n",
            unrecorded.as_deref().unwrap_or("no workspace")
        ),
    };
    if stderr.is_empty() {
        out.push_str(&where_);
    }
    Ok(Outcome {
        stdout: out,
        stderr,
        ..Outcome::default()
    })
}

/// How many of `check`'s hints the learner has seen: revealed with `amilab hint`, or shown by
/// `amilab check` for free.
fn seen(loaded: &Loaded, check: &CheckSpec, taken: &hint_use::HintsTaken) -> u32 {
    let taken = taken.get(&check.id).copied().unwrap_or(0);
    hint_use::shown(&loaded.spec, check, taken, lab::grade::DEFAULT_HINTS) as u32
}

/// The check `id` of the lab, if it has hints a learner may see.
fn named_check<'l>(loaded: &'l Loaded, id: &str) -> Result<&'l CheckSpec, CliError> {
    let Some(check) = loaded.spec.checks.iter().find(|c| c.id == id) else {
        // Hidden checks are not named: their ids would tell what is checked.
        let ids = loaded
            .spec
            .checks
            .iter()
            .filter(|c| c.visibility == Visibility::Visible)
            .map(|c| c.id.as_str());
        let help = match amilab_text::closest(id, ids.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the checks are: {}", ids.collect::<Vec<_>>().join(", ")),
        };
        return Err(CliError::usage(format!(
            "the lab `{}` has no check `{id}`\n  = help: {help}",
            loaded.spec.id
        )));
    };
    if check.visibility == Visibility::Hidden {
        return Err(CliError::usage(format!(
            "the lab `{}` has no check `{id}` with hints to show",
            loaded.spec.id
        )));
    }
    if check.hints.is_empty() {
        return Err(CliError::usage(format!(
            "the check `{id}` has no hints\n  = help: `amilab lab show {}` says what each check wants",
            loaded.arg()
        )));
    }
    Ok(check)
}

/// Grades the learner's script and picks the first visible check it does not pass that still
/// has hints to reveal (or, when all are revealed, the first failing one with hints).
fn first_failing<'l>(
    args: &HintArgs,
    loaded: &'l Loaded,
    v: &Variant,
    workspace: Option<&Workspace>,
    taken: &hint_use::HintsTaken,
) -> Result<Option<&'l CheckSpec>, CliError> {
    let script = match &args.script {
        Some(s) => s.clone(),
        None => default_script(&loaded.spec.id, &loaded.arg(), workspace)?,
    };
    // A script over the size limit is graded as empty: every check it fails is a candidate.
    let source: String = input::read_script(&script)?.unwrap_or_default();
    let show = Show {
        hints: 0,
        taken,
        reveal_hidden: false,
    };
    let graded =
        lab::grade::grade_variant(loaded, &script.display().to_string(), &source, v, &show)
            .map_err(|e| CliError::usage(format!("the lab's world cannot be built: {e}")))?;
    let failing: Vec<&CheckSpec> = graded
        .result
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .filter_map(|i| loaded.spec.checks.iter().find(|c| c.id == i.id))
        .filter(|c| c.visibility == Visibility::Visible && !c.hints.is_empty())
        .collect();
    let has_more = |c: &&&CheckSpec| (seen(loaded, c, taken) as usize) < c.hints.len();
    Ok(failing.iter().find(has_more).or(failing.first()).copied())
}

/// Hints 1..=n of `check`, in the variant's words.
fn hints_lines(check: &CheckSpec, v: &Variant, n: u32) -> String {
    let total = check.hints.len();
    check.hints[..n as usize]
        .iter()
        .enumerate()
        .map(|(i, h)| format!("  Hint {}/{total}: {}\n", i + 1, v.text.render(h).trim()))
        .collect()
}

/// Records that hints 1..=`count` of `check` were revealed.
fn record(
    ws: &Workspace,
    loaded: &Loaded,
    check: &CheckSpec,
    count: u32,
) -> Result<Progress, CliError> {
    ws.update(|p| p.reveal_hints(&loaded.spec.id, &check.id, count))
        .map_err(|e| CliError::usage(e.to_string()))
}

/// Whether the learner agrees to pay for a hint: `--yes`, or a yes on a terminal.
fn confirmed(yes: bool, question: &str) -> Result<bool, CliError> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "{question}\n  = help: standard input is not a terminal, so amilab cannot ask: pass --yes to reveal it"
        )));
    }
    match inquire::Confirm::new(question).with_default(false).prompt() {
        Ok(answer) => Ok(answer),
        Err(
            inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted,
        ) => Ok(false),
        Err(e) => Err(CliError::usage(format!("cannot ask: {e}"))),
    }
}

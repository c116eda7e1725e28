//! Grading a submission: draw the learner's variant, build the world, run the script in the
//! sandbox, then score every check on the state reached and the learner's API trail.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rhai::{Dynamic, Map};
use serde_json::Value;

use super::checks::{self, CheckEnv, Fault, Show};
use super::course::Loaded;
use super::helpers::Context;
use super::hint_use;
use super::params::{self, Params, TextContext, ANONYMOUS};
use super::spec::LabSpec;
use super::world::{self, World, WorldError};
use crate::limits::TooLarge;
use crate::report::{
    round2, ItemResult, RunKind, RunResult, ScriptError, ScriptStatus, SourceHash, Submission,
    Timings, Visibility,
};
use crate::script::{self, convert::from_json, Failure, FailureKind, Globals, Limits, RunOptions};
use amilab_cloud::Cloud;

/// Whose variant to grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// The learner id (`--learner`); the variant's seed derives from it.
    pub learner: Option<String>,
    /// An explicit seed (`--seed`), instead of a learner id.
    pub seed: Option<u64>,
}

/// A learner's variant of a lab.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Shown in reports; `None` when graded by `--seed`.
    pub learner: Option<String>,
    pub seed: u64,
    pub params: Params,
    pub text: TextContext,
}

/// Draws the variant of `who` (default: the learner `anonymous`).
pub fn variant(spec: &LabSpec, who: &Who) -> Variant {
    let (learner, seed) = match (&who.learner, who.seed) {
        (_, Some(seed)) => (who.learner.clone(), seed),
        (Some(l), None) => (Some(l.clone()), params::learner_seed(&spec.id, l)),
        (None, None) => (
            Some(ANONYMOUS.to_string()),
            params::learner_seed(&spec.id, ANONYMOUS),
        ),
    };
    let params = params::draw(&spec.params, seed);
    variant_with(spec, learner, seed, params)
}

/// The variant with these exact `params` (validation enumerates them); `seed` drives the
/// world's resource ids.
pub fn variant_with(spec: &LabSpec, learner: Option<String>, seed: u64, params: Params) -> Variant {
    let account = world::learner_account(spec);
    let mut accounts = spec.world.accounts.clone();
    accounts.insert("learner".into(), account.clone());
    let text = TextContext {
        params: params.clone(),
        accounts,
        account,
        learner: learner.clone().unwrap_or_else(|| format!("seed {seed}")),
    };
    Variant {
        learner,
        seed,
        params,
        text,
    }
}

/// The learner script's limits: the sandbox defaults, with the lab's overrides.
pub fn limits(spec: &LabSpec) -> Limits {
    let mut limits = Limits::default();
    if let Some(n) = spec.limits.operations {
        limits.max_operations = n;
    }
    if let Some(s) = spec.limits.deadline_seconds {
        // `validate` refuses anything but 0 to 600 s (rule `limits`); NaN keeps the default
        // rather than panicking in `Duration::from_secs_f64`.
        if !s.is_nan() {
            limits.deadline = Duration::from_secs_f64(s.clamp(0.01, 600.0));
        }
    }
    if let Some(n) = spec.limits.output_lines {
        limits.max_output_lines = n;
    }
    limits
}

fn string_map(m: &BTreeMap<String, String>) -> Dynamic {
    Dynamic::from_map(
        m.iter()
            .map(|(k, v)| (k.as_str().into(), Dynamic::from(v.clone())))
            .collect::<Map>(),
    )
}

/// The variables a learner's script reads: `params`, `accounts`, `account`, `learner`.
pub fn learner_globals(v: &Variant) -> Globals {
    let mut g = Globals::new();
    let params: serde_json::Map<String, Value> = v.params.clone().into_iter().collect();
    g.insert("params".into(), from_json(Value::Object(params)));
    g.insert("accounts".into(), string_map(&v.text.accounts));
    g.insert("account".into(), Dynamic::from(v.text.account.clone()));
    g.insert("learner".into(), Dynamic::from(v.text.learner.clone()));
    g
}

/// Builds the world of a variant.
pub fn build_world(spec: &LabSpec, v: &Variant) -> Result<World, WorldError> {
    world::build(spec, v.seed, &v.text)
}

/// How many hints a failed check shows (`--hints`).
pub const DEFAULT_HINTS: usize = 1;

/// A graded run with what the grader saw: the final cloud (its trail holds the learner's calls)
/// and the faults of checks that could not decide, by check id.
#[derive(Debug)]
pub struct Graded {
    pub result: RunResult,
    /// The cloud as the script left it (and as the checks judged it).
    pub cloud: Cloud,
    pub faults: Vec<(String, Fault)>,
    /// Why the script stopped early, if it did (`amilab check` turns it into a `help:` line).
    pub failure: Option<Failure>,
}

/// Grades `source` (the file `script_name`) for `who`. `Err` means the lab itself is broken
/// (its world cannot be built): exit code 2.
pub fn grade(
    lab: &Loaded,
    script_name: &str,
    source: &str,
    who: &Who,
    hints: usize,
) -> Result<RunResult, WorldError> {
    let v = variant(&lab.spec, who);
    let show = Show {
        hints,
        taken: &hint_use::NONE_TAKEN,
        reveal_hidden: false,
    };
    grade_variant(lab, script_name, source, &v, &show).map(|g| g.result)
}

/// Grades `source` in the variant `v`. A check that throws makes the outcome `error`
/// ("could not be graded"), never a pass; its [`Fault`] is returned for validation.
pub fn grade_variant(
    lab: &Loaded,
    script_name: &str,
    source: &str,
    v: &Variant,
    show: &Show,
) -> Result<Graded, WorldError> {
    let started = Instant::now();
    let world = build_world(&lab.spec, v)?;
    let mut graded = grade_in_world(lab, script_name, source, v, world, show);
    graded.result.timings = Some(timings(started));
    Ok(graded)
}

fn timings(started: Instant) -> Timings {
    Timings {
        total_seconds: round2(started.elapsed().as_secs_f64() * 1000.0) / 1000.0,
    }
}

/// Grades a script that was not read because it is larger than
/// [`crate::limits::MAX_SCRIPT_BYTES`]: a limit breach (outcome `error`, exit code 3) before
/// anything ran; the checks judge the lab's starting state, as after any other limit breach.
pub fn grade_too_large(
    lab: &Loaded,
    script_name: &str,
    too_large: TooLarge,
    v: &Variant,
    show: &Show,
) -> Result<Graded, WorldError> {
    let started = Instant::now();
    let world = build_world(&lab.spec, v)?;
    let mut graded = grade_run(lab, script_name, "", Some(too_large), v, world, show);
    graded.result.timings = Some(timings(started));
    Ok(graded)
}

/// [`grade_variant`] in a world already built for `v` (validation builds each variant's world
/// once and grades every submission in a copy of it; copies share unchanged regions).
pub fn grade_in_world(
    lab: &Loaded,
    script_name: &str,
    source: &str,
    v: &Variant,
    world: World,
    show: &Show,
) -> Graded {
    grade_run(lab, script_name, source, None, v, world, show)
}

/// Runs `source` (or refuses it, `too_large`) and runs the checks on the state reached.
fn grade_run(
    lab: &Loaded,
    script_name: &str,
    source: &str,
    too_large: Option<TooLarge>,
    v: &Variant,
    world: World,
    show: &Show,
) -> Graded {
    let started = Instant::now();
    let spec = &lab.spec;
    let World {
        cloud,
        account,
        accounts,
        names,
        preexisting,
    } = world;
    let cloud = Rc::new(RefCell::new(cloud));
    let start_time = cloud.borrow().now();
    let report = match too_large {
        None => script::run_with(
            &cloud,
            source,
            RunOptions {
                limits: limits(spec),
                read_only: false,
            },
            learner_globals(v),
        ),
        Some(t) => script::RunReport {
            output: script::Output::default(),
            failure: Some(script::failure::too_large(&t)),
        },
    };
    let cloud = Rc::try_unwrap(cloud)
        .map(RefCell::into_inner)
        .unwrap_or_else(|rc| rc.borrow().clone());

    let mut result = lab_result(lab, v);
    // A script too large to read has no hash: its bytes were not all read.
    if too_large.is_none() {
        result
            .sources
            .push(SourceHash::of(script_name, source.as_bytes()));
    }
    let status = match report.failure.as_ref().map(|f| &f.kind) {
        None => ScriptStatus::Completed,
        Some(FailureKind::Runtime) => ScriptStatus::RuntimeError,
        Some(FailureKind::Limit) => ScriptStatus::LimitExceeded,
        Some(FailureKind::Syntax) => ScriptStatus::SyntaxError,
        Some(FailureKind::Internal) => ScriptStatus::InternalError,
    };
    let error = report.failure.as_ref().map(|f| ScriptError {
        code: f.code.clone(),
        message: f.message.clone(),
        line: f.line,
        column: f.column,
        help: None,
    });
    result.submission = Some(Submission {
        status,
        error: error.clone(),
        api_calls: cloud.api_calls(),
        simulated_seconds: cloud.now().saturating_sub(start_time),
        output: report.output.lines.iter().map(|l| l.text.clone()).collect(),
        output_truncated: report.output.truncated,
    });

    let (cloud, faults) = if status == ScriptStatus::InternalError {
        // The state a panic left is not judged: nothing is graded, and the message asks for a
        // bug report.
        let e = error.expect("an internal error has a failure");
        result.error = Some(e.message.clone());
        result.items = spec
            .checks
            .iter()
            .map(|c| not_graded(c, v, "not graded: amilab failed (a bug)"))
            .collect();
        (cloud, Vec::new())
    } else if status == ScriptStatus::SyntaxError {
        let e = error.expect("a syntax error has a failure");
        result.error = Some(format!(
            "{script_name}: {}; fix it and run `amilab check` again",
            e.describe()
        ));
        result.items = spec
            .checks
            .iter()
            .map(|c| not_graded(c, v, "not graded: the script does not parse"))
            .collect();
        (cloud, Vec::new())
    } else {
        if status == ScriptStatus::LimitExceeded {
            let e = error.as_ref().expect("a limit breach has a failure");
            result.error = Some(format!(
                "{script_name}: {}; the checks graded the state it reached",
                e.describe()
            ));
        }
        let mut globals = learner_globals(v);
        globals.insert("world".into(), string_map(&names));
        globals.insert(
            "output".into(),
            Dynamic::from_array(
                report
                    .output
                    .lines
                    .iter()
                    .map(|l| Dynamic::from(l.text.clone()))
                    .collect(),
            ),
        );
        let helpers = Rc::new(Context::new(account, accounts, preexisting, &cloud));
        let env = CheckEnv {
            cloud,
            helpers,
            globals,
        };
        let mut faults = Vec::new();
        let runner = checks::Runner::new(&env);
        crate::bug::test_panic("checks");
        for check in &spec.checks {
            let (mut item, fault) =
                checks::run(&runner, check, spec.prelude.as_deref(), &v.text, show);
            let taken = show.taken.get(&check.id).copied().unwrap_or(0);
            hint_use::annotate(
                &mut item,
                spec,
                check,
                &v.text,
                taken,
                show.hints,
                &lab.arg(),
            );
            if let Some(f) = fault {
                faults.push((check.id.clone(), f));
            }
            result.items.push(item);
        }
        drop(runner);
        if result.error.is_none() && !faults.is_empty() {
            let ids: Vec<String> = faults.iter().map(|(id, _)| format!("`{id}`")).collect();
            result.error = Some(format!(
                "check {} failed to run; this is a fault in the lab, not in your script: tell your instructor (the result shows what was graded)",
                ids.join(", ")
            ));
        }
        (env.cloud, faults)
    };
    result.timings = Some(timings(started));
    result.finish();
    Graded {
        result,
        cloud,
        faults,
        failure: report.failure,
    }
}

/// A lab's result before grading: its id, title, seed, pass mark and learner, and the lab
/// file's hash as its first source.
fn lab_result(lab: &Loaded, v: &Variant) -> RunResult {
    let spec = &lab.spec;
    let mut result = RunResult::new(
        RunKind::Lab,
        &spec.id,
        v.text.render(&spec.title),
        v.seed,
        spec.pass_mark,
    );
    result.learner = v.learner.clone();
    result.sources = vec![SourceHash {
        path: lab.file.clone(),
        sha256: lab.text_sha256().to_string(),
    }];
    result
}

/// The result of a grading that panicked (a bug in amilab, contained): outcome `error`, every
/// check not graded, and the message asking for a bug report.
pub fn bug_result(
    lab: &Loaded,
    script_name: &str,
    source: Option<&str>,
    v: &Variant,
    bug: &crate::bug::Bug,
) -> RunResult {
    let spec = &lab.spec;
    let mut result = lab_result(lab, v);
    if let Some(source) = source {
        result
            .sources
            .push(SourceHash::of(script_name, source.as_bytes()));
    }
    result.error = Some(bug.describe());
    result.items = spec
        .checks
        .iter()
        .map(|c| not_graded(c, v, "not graded: amilab failed (a bug)"))
        .collect();
    result.finish();
    result
}

/// The result of a lab whose script was not graded at all, every check at 0 points with
/// `message`: `Failed` when nothing was submitted (`error` is `None`: the run is graded, and
/// not passed), `Error` with the run's `error` when a script was there but could not be read.
pub fn ungraded_result(
    lab: &Loaded,
    v: &Variant,
    message: &str,
    error: Option<String>,
) -> RunResult {
    let mut result = lab_result(lab, v);
    result.items = lab
        .spec
        .checks
        .iter()
        .map(|c| {
            let mut item = not_graded(c, v, message);
            if error.is_none() {
                item.status = crate::report::ItemStatus::Failed;
            }
            item
        })
        .collect();
    result.error = error;
    result.finish();
    result
}

/// The result of a submission that could not be graded at all — no script found, a file that
/// cannot be read or is not text (`amilab grade`): outcome `error` with `why`, every check not
/// graded.
pub fn ungradable(lab: &Loaded, v: &Variant, why: &str) -> RunResult {
    ungraded_result(
        lab,
        v,
        "not graded: the submission could not be read",
        Some(why.to_string()),
    )
}

/// The item of a check that was not run because the script does not parse.
fn not_graded(check: &super::spec::CheckSpec, v: &Variant, why: &str) -> ItemResult {
    let hidden = check.visibility == Visibility::Hidden;
    let title = if hidden {
        checks::HIDDEN_TITLE.to_string()
    } else {
        v.text.render(&check.title)
    };
    let mut item = ItemResult::error(&check.id, title, check.points, why);
    item.required = check.required;
    item.visibility = check.visibility;
    item
}

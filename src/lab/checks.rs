//! Running checks: a read-only engine of their own (so nothing the learner's script defined can
//! reach them), each check on its own copy of the final cloud (so checks cannot affect one
//! another), and turning what the code returned into an [`ItemResult`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rhai::{Dynamic, Engine, Map, ParseError, AST};

use super::fleet_helpers;
use super::helpers::{self, Context};
use super::params::TextContext;
use super::spec::CheckSpec;
use crate::report::{round2, ItemResult, ItemStatus, Visibility};
use crate::script::sandbox::Deadline;
use crate::script::{clients, failure, sandbox, Globals, Limits, Output};
use amilab_cloud::Cloud;

/// The title a hidden check shows.
pub const HIDDEN_TITLE: &str = "hidden check";

/// The limits a check runs under.
pub fn check_limits() -> Limits {
    Limits {
        max_operations: 1_000_000,
        deadline: Duration::from_secs(2),
        ..Limits::default()
    }
}

/// Everything a check sees: the final cloud, the helpers' context and the globals.
pub struct CheckEnv {
    pub cloud: Cloud,
    pub helpers: Rc<Context>,
    pub globals: Globals,
}

/// Runs a lab's checks on one read-only engine — never the learner's, so nothing the script
/// defined can reach a check. Before each check the engine's cloud is reset to a fresh copy of
/// the final cloud (copies share unchanged regions) and its deadline restarts, so checks
/// cannot affect one another; functions a check defines live in its own AST.
pub struct Runner<'e> {
    env: &'e CheckEnv,
    engine: Engine,
    cloud: Rc<RefCell<Cloud>>,
    deadline: Deadline,
}

impl<'e> Runner<'e> {
    pub fn new(env: &'e CheckEnv) -> Self {
        let cloud = Rc::new(RefCell::new(env.cloud.clone()));
        let output = Rc::new(RefCell::new(Output::default()));
        let (mut engine, deadline) = sandbox::engine_with_deadline(check_limits(), output);
        // A missing field reads as `()` in checks: an untagged image has "no tag", it does not
        // crash the check. (A misspelt field then fails the solution, which validate catches.)
        engine.set_fail_on_invalid_map_property(false);
        clients::register(&mut engine, cloud.clone(), &env.helpers.account, true);
        crate::script::aws_cli::register(&mut engine, cloud.clone(), &env.helpers.account, true);
        helpers::register(&mut engine, cloud.clone(), env.helpers.clone());
        fleet_helpers::register(&mut engine, cloud.clone(), env.helpers.clone());
        sandbox::set_globals(&mut engine, env.globals.clone());
        Runner {
            env,
            engine,
            cloud,
            deadline,
        }
    }

    /// Compiles check code (for validation): `Err` has Rhai's message and the 1-based line and
    /// column inside the code.
    pub fn compile(&self, code: &str) -> Result<AST, (String, Option<usize>, Option<usize>)> {
        self.engine.compile(code).map_err(|e| {
            let pos = e.position();
            (e.err_type().to_string(), pos.line(), pos.position())
        })
    }

    /// Runs one check's code on a fresh copy of the final cloud.
    fn evaluate(&self, check: &CheckSpec, prelude: Option<&str>) -> Result<Verdict, Fault> {
        *self.cloud.borrow_mut() = self.env.cloud.clone();
        self.deadline.restart();
        let code = code_of(check, prelude);
        let lines = prelude_lines(prelude);
        let ast = compiled(&self.engine, code).map_err(|e| {
            let pos = e.position();
            Fault::new(
                format!("it does not compile: {}", e.err_type()),
                pos.line(),
                pos.position(),
                lines,
            )
        })?;
        let value = self.engine.eval_ast::<Dynamic>(&ast).map_err(|e| {
            // The innermost error is the one at fault (not "in call to function golden").
            let inner = e.unwrap_inner();
            let pos = inner.position();
            if let Some(breach) = failure::limit_breach(inner, &check_limits()) {
                return Fault::new(
                    format!("the check {breach}"),
                    pos.line(),
                    pos.position(),
                    lines,
                );
            }
            let text = inner.to_string();
            let message = text
                .strip_suffix(&format!(" ({pos})"))
                .unwrap_or(&text)
                .to_string();
            Fault::new(message, pos.line(), pos.position(), lines)
        })?;
        interpret(value).map_err(|m| Fault::new(m, None, None, lines))
    }
}

thread_local! {
    /// Check code compiled on this thread, by its text (the lab's prelude, then the check):
    /// a lab's checks are the same code for every submission and every learner (a variant
    /// reaches them only as globals, at run time), so grading many submissions compiles each
    /// check once, not once per submission. Per thread because ASTs are not `Send`.
    static COMPILED: RefCell<HashMap<String, Rc<AST>>> = RefCell::new(HashMap::new());
}

/// Checks kept compiled per thread; past this the cache starts afresh (labs edited under
/// `check --watch` would otherwise accumulate every version of their checks).
const COMPILED_MAX: usize = 512;

/// `code` compiled by a check engine, from this thread's cache when it was compiled before.
/// Every check engine is built alike ([`Runner::new`]), so one engine's AST serves another.
///
/// Errors: Rhai's parse error; code that does not compile is not cached.
pub fn compiled(engine: &Engine, code: String) -> Result<Rc<AST>, ParseError> {
    if let Some(ast) = COMPILED.with(|c| c.borrow().get(&code).cloned()) {
        return Ok(ast);
    }
    let ast = Rc::new(engine.compile(&code)?);
    COMPILED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= COMPILED_MAX {
            c.clear();
        }
        c.insert(code, ast.clone());
    });
    Ok(ast)
}

/// The code a check runs: the lab's prelude, then the check's own code.
pub fn code_of(check: &CheckSpec, prelude: Option<&str>) -> String {
    match prelude {
        Some(p) => format!("{p}\n{}", check.rhai),
        None => check.rhai.clone(),
    }
}

/// How many lines of [`code_of`]'s text come before the check's own first line.
pub fn prelude_lines(prelude: Option<&str>) -> usize {
    prelude.map(|p| p.lines().count() + 1).unwrap_or(0)
}

/// Where in the lab's text a fault lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPlace {
    /// Line and column inside the check's `rhai` code (1-based).
    Check(usize, usize),
    /// Line and column inside the lab's `prelude` (1-based).
    Prelude(usize, usize),
    /// The check's value, not a place in its code.
    Value,
}

/// A check that could not decide: it did not compile, threw, or returned something that is not
/// a verdict. This is a fault in the lab, never the learner's: the run's outcome is `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Fault {
    /// Rhai's message without its position (`Property not found: Project`).
    pub message: String,
    pub place: FaultPlace,
}

impl Fault {
    /// A fault at `line` / `column` of the code [`code_of`] built, mapped back to the check or
    /// the prelude (`prelude_lines` from [`prelude_lines`]).
    fn new(
        message: String,
        line: Option<usize>,
        column: Option<usize>,
        prelude_lines: usize,
    ) -> Self {
        let column = column.unwrap_or(1);
        let place = match line {
            None => FaultPlace::Value,
            Some(l) if l <= prelude_lines => FaultPlace::Prelude(l, column),
            Some(l) => FaultPlace::Check(l - prelude_lines, column),
        };
        Fault { message, place }
    }

    /// `Property not found: Project (check line 3, column 9)`.
    pub fn describe(&self) -> String {
        match self.place {
            FaultPlace::Check(l, c) => format!("{} (check line {l}, column {c})", self.message),
            FaultPlace::Prelude(l, c) => format!("{} (prelude line {l}, column {c})", self.message),
            FaultPlace::Value => self.message.clone(),
        }
    }
}

/// What a check's code decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// 0.0–1.0 of the check's points.
    pub score: f64,
    pub message: Option<String>,
    pub expected: Option<String>,
    pub found: Option<String>,
}

fn text(v: &Dynamic) -> String {
    if v.is_string() {
        v.clone().into_string().unwrap_or_default()
    } else {
        v.to_string()
    }
}

/// Interprets a check's value: `true` / `false`, or `#{pass, score, message, expected, found}`.
pub fn interpret(value: Dynamic) -> Result<Verdict, String> {
    if let Some(b) = value.clone().try_cast::<bool>() {
        return Ok(Verdict {
            score: if b { 1.0 } else { 0.0 },
            message: None,
            expected: None,
            found: None,
        });
    }
    let Some(map) = value.clone().try_cast::<Map>() else {
        return Err(format!(
            "the check returned {} ({}); a check returns true / false or #{{pass, score, message, expected, found}}",
            value,
            value.type_name()
        ));
    };
    for key in map.keys() {
        if !["pass", "score", "message", "expected", "found"].contains(&key.as_str()) {
            return Err(format!(
                "the check returned a map with the unknown key '{key}'; valid keys: pass, score, message, expected, found"
            ));
        }
    }
    let score = match (map.get("score"), map.get("pass")) {
        (Some(s), _) => s
            .as_float()
            .ok()
            .or_else(|| s.as_int().ok().map(|i| i as f64))
            .ok_or_else(|| format!("the check's score is {s}, not a number from 0.0 to 1.0"))?,
        (None, Some(p)) => match p.as_bool() {
            Ok(true) => 1.0,
            Ok(false) => 0.0,
            Err(_) => return Err(format!("the check's pass is {p}, not true or false")),
        },
        (None, None) => {
            return Err("the check returned a map without `pass` or `score`".to_string())
        }
    };
    Ok(Verdict {
        score: score.clamp(0.0, 1.0),
        message: map.get("message").map(text),
        expected: map.get("expected").map(text),
        found: map.get("found").map(text),
    })
}

/// Runs one check and scores it; a [`Fault`] comes back beside an `error` item.
pub fn run(
    runner: &Runner,
    check: &CheckSpec,
    prelude: Option<&str>,
    ctx: &TextContext,
    show: &Show<'_>,
) -> (ItemResult, Option<Fault>) {
    let started = Instant::now();
    let outcome = runner.evaluate(check, prelude);
    let hidden = check.visibility == Visibility::Hidden && !show.reveal_hidden;
    let title = if hidden {
        HIDDEN_TITLE.to_string()
    } else {
        ctx.render(&check.title)
    };
    let (mut item, fault) = match outcome {
        Ok(v) => {
            let mut item = ItemResult::new(&check.id, title, check.points * v.score, check.points);
            if !hidden {
                item.message = v.message;
                if item.status != ItemStatus::Passed {
                    item.expected = v
                        .expected
                        .or_else(|| check.expected.as_ref().map(|e| ctx.render(e)));
                    item.found = v.found;
                }
            }
            (item, None)
        }
        Err(fault) => {
            let message = format!(
                "this check failed to run: {}; this is a fault in the lab, not in your script: tell your instructor",
                fault.describe()
            );
            let mut item = ItemResult::error(&check.id, title, check.points, message);
            if hidden {
                item.message = None;
            }
            (item, Some(fault))
        }
    };
    item.points = round2(item.points);
    item.required = check.required;
    item.visibility = check.visibility;
    item.concepts = check.concepts.clone();
    item.time_seconds = Some(round2(started.elapsed().as_secs_f64() * 1000.0) / 1000.0);
    (item, fault)
}

/// What a graded run shows of each check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show<'a> {
    /// How many hints a failed check shows for free (when the lab's hints cost nothing).
    pub hints: usize,
    /// Hints the learner revealed with `amilab hint`: shown, and charged at the lab's
    /// `hint_cost` ([`super::hint_use`]).
    pub taken: &'a super::hint_use::HintsTaken,
    /// Show hidden checks' titles and messages (for instructors: `validate --reveal`).
    pub reveal_hidden: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interprets_bools_and_maps() {
        assert_eq!(interpret(Dynamic::from(true)).unwrap().score, 1.0);
        let mut m = Map::new();
        m.insert("score".into(), Dynamic::from(0.5_f64));
        m.insert("message".into(), "half".into());
        let v = interpret(Dynamic::from_map(m)).unwrap();
        assert_eq!((v.score, v.message.as_deref()), (0.5, Some("half")));
        let mut m = Map::new();
        m.insert("pass".into(), Dynamic::from(false));
        m.insert("found".into(), Dynamic::from(7_i64));
        let v = interpret(Dynamic::from_map(m)).unwrap();
        assert_eq!((v.score, v.found.as_deref()), (0.0, Some("7")));
        assert!(interpret(Dynamic::from(3_i64)).is_err());
        let mut m = Map::new();
        m.insert("passed".into(), Dynamic::from(true));
        assert!(interpret(Dynamic::from_map(m))
            .unwrap_err()
            .contains("unknown key"));
    }
}

//! A live script session (`amilab explore`): one sandboxed engine, scope and cloud kept across
//! inputs, so that variables and functions defined by one input are there for the next; every
//! limit applies to each input on its own.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine, Scope, AST};

use super::failure::{self, Failure};
use super::sandbox::{self, Deadline, Globals, Output};
use super::{aws_cli, clients, sort, RunOptions};
use amilab_cloud::Cloud;

/// What one input produced.
#[derive(Debug, Clone)]
pub struct InputOutcome {
    /// What the input printed.
    pub output: Output,
    /// The value of its last expression; `None` when it has none (a `let`, a loop, `()`), or
    /// when it failed.
    pub value: Option<Dynamic>,
    /// Why it stopped early, if it did.
    pub failure: Option<Failure>,
    /// Whether the input ran at all: not after a syntax error or a refusal before parsing (so
    /// that replaying the inputs that ran, as a script, does what they did here).
    pub ran: bool,
}

/// A variable of the session, and the service of the client it holds, if it holds one (what
/// completion needs to know of the scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub service: Option<&'static str>,
}

/// An engine, its scope and the functions defined so far, bound to one cloud.
pub struct Session {
    engine: Engine,
    deadline: Deadline,
    scope: Scope<'static>,
    /// Every function the inputs defined (an AST without statements).
    functions: AST,
    cloud: Rc<RefCell<Cloud>>,
    output: Rc<RefCell<Output>>,
    options: RunOptions,
}

impl Session {
    /// A session on `cloud` as its learner account, with `globals` readable as variables (a
    /// lab's `params`), as [`super::run_with`] would run a script.
    pub fn new(cloud: Rc<RefCell<Cloud>>, options: RunOptions, globals: Globals) -> Self {
        let output = Rc::new(RefCell::new(Output::default()));
        let (mut engine, deadline) = sandbox::engine_with_deadline(options.limits, output.clone());
        sandbox::set_globals(&mut engine, globals);
        let account = cloud.borrow().account().to_string();
        aws_cli::register(&mut engine, cloud.clone(), &account, options.read_only);
        clients::register(&mut engine, cloud.clone(), &account, options.read_only);
        sort::register(&mut engine);
        Session {
            engine,
            deadline,
            scope: Scope::new(),
            functions: AST::empty(),
            cloud,
            output,
            options,
        }
    }

    /// What stops the input that is running, from another thread (a Ctrl-C handler).
    pub fn interrupter(&self) -> sandbox::Interrupter {
        self.deadline.interrupter()
    }

    /// The cloud the session acts on.
    pub fn cloud(&self) -> &Rc<RefCell<Cloud>> {
        &self.cloud
    }

    /// Compiles and runs one input with the whole allowance of operations, time and memory.
    pub fn eval(&mut self, input: &str) -> InputOutcome {
        *self.output.borrow_mut() = Output::default();
        if let Some(t) = crate::limits::script_too_large(input) {
            return InputOutcome {
                output: Output::default(),
                value: None,
                failure: Some(failure::too_large(&t)),
                ran: false,
            };
        }
        let ran = crate::bug::catch(|| self.eval_contained(input));
        let (value, failure) = match ran {
            Ok(Ok(value)) => (Some(value).filter(|v| !v.is_unit()), None),
            Ok(Err(failure)) => (None, failure),
            Err(bug) => (None, Some(failure::internal(&bug))),
        };
        let ran = !matches!(&failure, Some(f) if f.kind == failure::FailureKind::Syntax);
        InputOutcome {
            output: self.output.borrow().clone(),
            value,
            failure,
            ran,
        }
    }

    /// [`Session::eval`] past the size check; a panic in it is caught by the caller.
    /// `Err(None)`: the input ended itself (`exit()`), which is not a failure.
    fn eval_contained(&mut self, input: &str) -> Result<Dynamic, Option<Failure>> {
        crate::bug::test_panic("script");
        let ast = self
            .engine
            .compile_with_scope(&self.scope, input)
            .map_err(|e| Some(failure::from_parse_error(&e)))?;
        // The functions defined so far, with this input's functions (a new definition wins)
        // and statements; only the functions are kept afterwards, as Rhai's own REPL does.
        let mut program = self.functions.clone();
        program += ast;
        struct Clear;
        impl Drop for Clear {
            fn drop(&mut self) {
                clients::set_stop_at(None);
            }
        }
        let _clear = Clear;
        self.deadline.restart();
        clients::set_stop_at(Some(
            std::time::Instant::now() + self.options.limits.deadline,
        ));
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &program);
        program.clear_statements();
        self.functions = program;
        result.map_err(|e| failure::from_eval_error(*e, &self.options.limits))
    }

    /// Back to a new scope with no functions, in `cloud` (the starting world again).
    pub fn reset(&mut self, cloud: Cloud) {
        *self.cloud.borrow_mut() = cloud;
        self.scope = Scope::new();
        self.functions = AST::empty();
    }

    /// The session's variables by name (completion offers them); of a name declared twice,
    /// the later.
    pub fn variables(&self) -> Vec<Variable> {
        let mut vars = std::collections::BTreeMap::new();
        for (name, _, value) in self.scope.iter_raw() {
            let service = value.read_lock::<clients::Client>().map(|c| c.service);
            vars.insert(name.to_string(), service);
        }
        vars.into_iter()
            .map(|(name, service)| Variable { name, service })
            .collect()
    }

    /// A value as the session shows it: maps and arrays as indented JSON (AWS responses read
    /// like the AWS CLI's), strings quoted, other values as their `to_string` in scripts
    /// (`<botocore.client.EC2 us-east-1>`).
    pub fn show(&mut self, value: &Dynamic) -> String {
        if value.is_map() || value.is_array() || value.is_string() {
            if let Ok(json) = super::convert::to_json(value) {
                if let Ok(text) = serde_json::to_string_pretty(&json) {
                    return text;
                }
            }
        }
        // The engine's own `to_string` (a client's, a paginator's), called on a scope of its own.
        let mut scope = Scope::new();
        scope.push("value", value.clone());
        self.engine
            .eval_with_scope::<String>(&mut scope, "to_string(value)")
            .unwrap_or_else(|_| value.to_string())
    }
}

thread_local! {
    /// A bare engine: parsing needs no functions, only the language.
    static PARSER: Engine = const { Engine::new_raw() };
}

/// Whether `input` is the start of an input that goes on (an unclosed `{`, `(`, `[` or string):
/// Rhai's parser stops at the end of it, not at an error within.
pub fn is_incomplete(input: &str) -> bool {
    use rhai::{LexError, ParseErrorType};
    let Err(e) = PARSER.with(|p| p.compile(input)) else {
        return false;
    };
    match e.err_type() {
        ParseErrorType::UnexpectedEOF => true,
        // Only a backtick string spans lines (or a `"…` string whose line ends in `\`); a
        // `"…` string cut by the end of a line can never be closed on the next.
        ParseErrorType::BadInput(LexError::UnterminatedString) => {
            input.matches('`').count() % 2 == 1
                || input.trim_end_matches(['\n', '\r']).ends_with('\\')
        }
        // `{` with no `}`: the parser names the token it misses where the input ends.
        ParseErrorType::MissingToken(..) => at_end(input, e.position()),
        _ => false,
    }
}

/// Whether `pos` is at or after the last character of `input` (where Rhai reports the end).
fn at_end(input: &str, pos: rhai::Position) -> bool {
    let Some(line) = pos.line() else {
        return true; // Rhai's `Position::NONE` is the end of input.
    };
    let trimmed = input.trim_end();
    let last_line = trimmed.lines().count().max(1);
    match line.cmp(&last_line) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            let len = trimmed.lines().last().unwrap_or("").chars().count();
            pos.position().unwrap_or(0) > len
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amilab_cloud::WorldConfig;

    fn session() -> Session {
        let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig::default())));
        Session::new(cloud, RunOptions::default(), Globals::new())
    }

    #[test]
    fn variables_and_functions_persist_across_inputs() {
        let mut s = session();
        assert_eq!(s.eval("let x = 40;").failure, None);
        assert_eq!(s.eval("fn twice(n) { n * 2 }").failure, None);
        let out = s.eval("twice(x) + 2");
        assert_eq!(out.failure, None);
        assert_eq!(out.value.unwrap().as_int().unwrap(), 82);
        // A later definition replaces the earlier one.
        s.eval("fn twice(n) { n * 3 }");
        assert_eq!(s.eval("twice(1)").value.unwrap().as_int().unwrap(), 3);
    }

    #[test]
    fn an_error_keeps_earlier_variables_and_the_cloud() {
        let mut s = session();
        let setup = s.eval(r#"let ec2 = client("ec2"); let image = ec2.describe_images(#{owners: ["amazon"]}).images[0].image_id; let r = ec2.run_instances(#{image_id: image, instance_type: "t3.micro", min_count: 1, max_count: 1});"#);
        assert_eq!(setup.failure, None);
        let failed =
            s.eval(r#"let y = 1; ec2.describe_images(#{image_ids: ["ami-00000000000000000"]})"#);
        let f = failed.failure.expect("an AWS error");
        assert_eq!(f.code.as_deref(), Some("InvalidAMIID.NotFound"));
        assert!(failed.ran);
        let after = s.eval("r.instances.len()");
        assert_eq!(after.failure, None, "{after:?}");
        assert_eq!(after.value.unwrap().as_int().unwrap(), 1);
        // A syntax error runs nothing and is not a run input.
        let bad = s.eval("let = ;");
        assert!(!bad.ran);
        assert_eq!(
            s.eval("r.instances[0].instance_type")
                .value
                .unwrap()
                .into_string()
                .unwrap(),
            "t3.micro"
        );
    }

    #[test]
    fn limits_apply_to_each_input_on_its_own() {
        let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig::default())));
        let options = RunOptions {
            limits: sandbox::Limits {
                max_operations: 5_000,
                ..Default::default()
            },
            read_only: false,
        };
        let mut s = Session::new(cloud, options, Globals::new());
        // Each takes about 3,000 operations: together over the limit, each alone under it.
        for _ in 0..3 {
            let out = s.eval("let n = 0; for i in 0..1000 { n += i; } n");
            assert_eq!(out.failure, None);
            assert_eq!(out.value.unwrap().as_int().unwrap(), 499_500);
        }
        let over = s.eval("let m = 0; for i in 0..10000 { m += i; }");
        assert_eq!(over.failure.unwrap().kind, failure::FailureKind::Limit);
        // The session goes on after a breach.
        assert_eq!(s.eval("1 + 1").value.unwrap().as_int().unwrap(), 2);
    }

    #[test]
    fn an_interrupted_input_stops_and_the_next_runs() {
        let mut s = session();
        let interrupter = s.interrupter();
        let pressed = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            interrupter.interrupt();
        });
        let started = std::time::Instant::now();
        let out = s.eval("let n = 0; loop { n += 1; }");
        pressed.join().unwrap();
        let f = out.failure.expect("interrupted");
        assert_eq!(f.kind, failure::FailureKind::Limit);
        assert_eq!(f.message, "the script was interrupted (Ctrl-C) and stopped");
        assert!(started.elapsed() < std::time::Duration::from_secs(4));
        // Variables made before the loop are kept; the next input is not interrupted.
        assert!(s.eval("n > 0").value.unwrap().as_bool().unwrap());
    }

    #[test]
    fn print_output_is_per_input() {
        let mut s = session();
        let first = s.eval(r#"print("one"); 5"#);
        assert_eq!(first.output.lines.len(), 1);
        assert_eq!(first.output.lines[0].text, "one");
        let second = s.eval(r#"print("two");"#);
        assert_eq!(second.output.lines.len(), 1);
        assert_eq!(second.output.lines[0].text, "two");
        assert!(second.value.is_none());
    }

    #[test]
    fn the_simulated_clock_moves_as_in_scripts() {
        let mut s = session();
        let before = s.cloud().borrow().now();
        s.eval("sleep(90)");
        assert_eq!(s.cloud().borrow().now(), before + 90);
    }

    #[test]
    fn reset_forgets_variables_and_functions() {
        let mut s = session();
        let start = s.cloud().borrow().clone();
        s.eval(r#"let ec2 = client("ec2"); fn f() { 1 }"#);
        s.eval("sleep(60)");
        s.reset(start.clone());
        assert_eq!(s.cloud().borrow().now(), start.now());
        assert!(s.eval("ec2").failure.is_some());
        assert!(s.eval("f()").failure.is_some());
    }

    #[test]
    fn variables_know_the_service_of_their_client() {
        let mut s = session();
        s.eval(r#"let a = 1; let ec2 = client("ec2"); let s = client("ssm", "eu-west-1"); let a = "x";"#);
        let vars = s.variables();
        let names: Vec<_> = vars.iter().map(|v| (v.name.as_str(), v.service)).collect();
        assert_eq!(
            names,
            [("a", None), ("ec2", Some("ec2")), ("s", Some("ssm"))]
        );
    }

    #[test]
    fn values_are_shown_as_json_or_as_scripts_print_them() {
        let mut s = session();
        let v = s
            .eval(r#"#{image_ids: ["ami-1"], count: 2}"#)
            .value
            .unwrap();
        assert_eq!(
            s.show(&v),
            "{\n  \"count\": 2,\n  \"image_ids\": [\n    \"ami-1\"\n  ]\n}"
        );
        let c = s.eval(r#"client("ec2", "eu-west-1")"#).value.unwrap();
        assert_eq!(s.show(&c), "<botocore.client.EC2 eu-west-1>");
        let n = s.eval("1.5").value.unwrap();
        assert_eq!(s.show(&n), "1.5");
    }

    #[test]
    fn incomplete_inputs_are_told_apart_from_wrong_ones() {
        for open in [
            "fn f() {",
            "let x = [1,",
            "print(",
            "let m = #{a: 1,",
            "let s = \"abc \\",
            "if true {\n  let y = 2;",
            "ec2.run_instances(#{",
            "let t = `two\nlines",
        ] {
            assert!(is_incomplete(open), "{open:?} should continue");
        }
        for done in [
            "let x = 1;",
            "let = ;",
            "}",
            "f(1))",
            "",
            "x",
            "let s = \"a\"; s",
            // A `"…` string ends with its line: no next line can close it.
            "let s = \"abc",
            "let s = \"abc\ndef\";",
        ] {
            assert!(!is_incomplete(done), "{done:?} should not continue");
        }
    }
}

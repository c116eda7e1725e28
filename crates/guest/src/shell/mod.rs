//! The shell that runs scripts in a guest: execution of parsed command lines, `set` options,
//! pipelines, and nested scripts (`$(…)`, `source`, `bash FILE`).

// `expand` and `lex` are visible to the guest module for its cross-module unit test.
mod capture;
pub(super) mod expand;
pub(super) mod lex;
mod outcome;
mod parse;
mod redirect;

use std::collections::BTreeMap;
use std::mem;

use super::os::OsFamily;
use super::paths::normalize_path;
use super::{
    Guest, MAX_ARG_BYTES, MAX_COMMANDS_PER_RUN, MAX_NESTING, MAX_SHELL_VARS, MAX_SHELL_VAR_BYTES,
    MAX_STDERR_CHARS, MAX_STDOUT_CHARS, MAX_STREAM_BYTES,
};
use lex::Op;
use parse::{read_logical_line, AndOrList, Pipeline, SimpleCommand};

pub(crate) use capture::{truncate_bytes, Capture};
pub(crate) use lex::is_assignment;
pub(crate) use outcome::{command_not_found, push_bounded, Outcome};

/// Why a script stops before its last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// `exit`, `set -e`, or a syntax error: ends the current (sub)shell.
    Exit(i32),
    /// A simulator limit: ends the whole run.
    Abort(i32),
}

impl Stop {
    pub(crate) fn status(self) -> i32 {
        match self {
            Stop::Exit(status) | Stop::Abort(status) => status,
        }
    }
}

/// The `set` options the shell honours (`-e`, `-x`, `-o pipefail`, `-u`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ShellOptions {
    pub(crate) errexit: bool,
    pub(crate) xtrace: bool,
    pub(crate) pipefail: bool,
    pub(crate) nounset: bool,
}

/// How a nested script relates to the shell that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `source`, `eval`: same variables, directory and options.
    SameShell,
    /// `$(…)`: a copy of the shell; changes do not come back.
    Subshell,
    /// `bash FILE`, `./script.sh`: a new shell with default options.
    NewShell,
}

/// A running shell over one guest: working directory, variables, options and captured output.
pub(crate) struct Shell<'g> {
    pub(crate) guest: &'g mut Guest,
    pub(crate) cwd: String,
    pub(crate) previous_dir: String,
    pub(crate) vars: BTreeMap<String, String>,
    pub(crate) options: ShellOptions,
    pub(crate) last_status: i32,
    pub(crate) stdout: Capture,
    pub(crate) stderr: Capture,
    commands_run: usize,
    /// What is left of the run's [`crate::MAX_REGEX_SCAN_BYTES`].
    pub(crate) regex_scan_left: u64,
    depth: usize,
    /// Status of the last `$(…)` in the current command: a bare `x=$(cmd)` returns it.
    pub(crate) substitution_status: Option<i32>,
}

/// The environment of a root login shell.
fn default_vars(os: OsFamily) -> BTreeMap<String, String> {
    let path = if os.is_debian() {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"
    } else {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    };
    [
        ("HOME", "/root"),
        ("USER", "root"),
        ("LOGNAME", "root"),
        ("SHELL", "/bin/bash"),
        ("PATH", path),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

impl<'g> Shell<'g> {
    pub(crate) fn new(guest: &'g mut Guest) -> Shell<'g> {
        let vars = default_vars(guest.os);
        Shell {
            guest,
            cwd: "/".to_string(),
            previous_dir: "/".to_string(),
            vars,
            options: ShellOptions::default(),
            last_status: 0,
            stdout: Capture::new(MAX_STDOUT_CHARS),
            stderr: Capture::new(MAX_STDERR_CHARS),
            commands_run: 0,
            regex_scan_left: crate::MAX_REGEX_SCAN_BYTES,
            depth: 0,
            substitution_status: None,
        }
    }

    /// `raw` made absolute against the working directory.
    pub(crate) fn path(&self, raw: &str) -> String {
        normalize_path(&self.cwd, raw)
    }

    pub(crate) fn os(&self) -> OsFamily {
        self.guest.os
    }

    pub(crate) fn run_lines(&mut self, lines: &[String]) -> Result<i32, Stop> {
        let mut index = 0;
        while index < lines.len() {
            let start = index;
            let (lists, used) = match read_logical_line(lines, index) {
                Ok(parsed) => parsed,
                Err(message) => {
                    self.stderr
                        .push(&format!("bash: line {}: {message}\n", start + 1));
                    return Err(Stop::Exit(2));
                }
            };
            index += used;
            for list in &lists {
                self.run_and_or(list)?;
            }
        }
        Ok(self.last_status)
    }

    fn run_and_or(&mut self, list: &AndOrList) -> Result<(), Stop> {
        let (mut status, mut negated) = self.run_pipeline(&list.first)?;
        let mut ran_last = list.rest.is_empty();
        for (index, (is_and, pipeline)) in list.rest.iter().enumerate() {
            if *is_and == (status == 0) {
                (status, negated) = self.run_pipeline(pipeline)?;
                ran_last = index + 1 == list.rest.len();
            }
        }
        self.last_status = status;
        // set -e ignores failures inside `a && b` except the last command, and negations.
        if self.options.errexit && status != 0 && ran_last && !negated {
            return Err(Stop::Exit(status));
        }
        Ok(())
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline) -> Result<(i32, bool), Stop> {
        let mut stdin = String::new();
        let mut status = 0;
        let mut rightmost_failure = 0;
        let count = pipeline.commands.len();
        for (index, command) in pipeline.commands.iter().enumerate() {
            let outcome = self.run_simple(command, mem::take(&mut stdin))?;
            self.stderr.push(&outcome.err);
            if index + 1 == count {
                self.stdout.push(&outcome.out);
            } else {
                stdin = outcome.out;
            }
            status = outcome.status;
            if status != 0 {
                rightmost_failure = status;
            }
        }
        if self.options.pipefail && rightmost_failure != 0 {
            status = rightmost_failure;
        }
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        self.last_status = status;
        Ok((status, pipeline.negated))
    }

    fn count_command(&mut self) -> Result<(), Stop> {
        self.commands_run += 1;
        if self.commands_run > MAX_COMMANDS_PER_RUN {
            self.stderr.push(&format!(
                "bash: simulator limit: more than {MAX_COMMANDS_PER_RUN} commands in one run; script stopped\n"
            ));
            return Err(Stop::Abort(124));
        }
        Ok(())
    }

    fn run_simple(&mut self, command: &SimpleCommand, stdin: String) -> Result<Outcome, Stop> {
        self.count_command()?;
        self.substitution_status = None;
        let argv = self.expand_words(&command.words)?;
        let mut redirects = Vec::new();
        for redirect in &command.redirects {
            let target = match &redirect.target {
                Some(word) => {
                    let fields = self.expand_words(std::slice::from_ref(word))?;
                    match fields.as_slice() {
                        [one] => Some(one.clone()),
                        _ => return Ok(Outcome::fail(1, "bash: ambiguous redirect")),
                    }
                }
                None => None,
            };
            redirects.push((redirect.op, target));
        }
        if argv.iter().map(String::len).sum::<usize>() > MAX_ARG_BYTES {
            let name = argv.first().map_or("bash", String::as_str);
            return Ok(Outcome::fail(
                126,
                &format!("bash: {name}: Argument list too long"),
            ));
        }
        if self.options.xtrace && !argv.is_empty() {
            self.stderr.push(&format!("+ {}\n", argv.join(" ")));
        }
        let mut stdin = stdin;
        for (op, target) in &redirects {
            let Some(target) = target else { continue };
            if *op == Op::In {
                match self.read_path(target) {
                    Ok(content) => stdin = content,
                    Err(e) => {
                        return Ok(Outcome::fail(
                            1,
                            &format!("bash: {target}: {}", e.describe()),
                        ))
                    }
                }
            } else if let Err(e) = self.check_writable(target) {
                return Ok(Outcome::fail(
                    1,
                    &format!("bash: {target}: {}", e.describe()),
                ));
            }
        }
        let mut outcome = self.dispatch(&argv, &stdin)?;
        truncate_bytes(&mut outcome.out, MAX_STREAM_BYTES);
        truncate_bytes(&mut outcome.err, MAX_STREAM_BYTES);
        let name = argv.first().map_or("bash", String::as_str);
        Ok(self.apply_redirects(outcome, &redirects, name))
    }

    pub(crate) fn set_var(&mut self, name: &str, value: &str) -> Result<(), String> {
        let others: usize = self
            .vars
            .iter()
            .filter(|(k, _)| k.as_str() != name)
            .map(|(_, v)| v.len())
            .sum();
        if others + value.len() > MAX_SHELL_VAR_BYTES {
            return Err(format!(
                "bash: {name}: variables too large (simulator limit)"
            ));
        }
        if !self.vars.contains_key(name) && self.vars.len() >= MAX_SHELL_VARS {
            return Err(format!(
                "bash: {name}: too many variables (simulator limit)"
            ));
        }
        self.vars.insert(name.to_string(), value.to_string());
        Ok(())
    }

    /// Runs lines as a nested script and returns its result and output.
    fn run_nested(
        &mut self,
        lines: &[String],
        scope: Scope,
        options: Option<ShellOptions>,
    ) -> (Result<i32, Stop>, String, String) {
        if self.depth >= MAX_NESTING {
            return (
                Ok(1),
                String::new(),
                "bash: maximum nesting level exceeded (simulator limit)\n".to_string(),
            );
        }
        let saved_out = mem::replace(&mut self.stdout, Capture::new(MAX_STREAM_BYTES));
        let saved_err = mem::replace(&mut self.stderr, Capture::new(MAX_STREAM_BYTES));
        let saved_state = (scope != Scope::SameShell).then(|| {
            (
                self.cwd.clone(),
                self.previous_dir.clone(),
                self.vars.clone(),
                self.options,
            )
        });
        if scope == Scope::NewShell {
            self.options = options.unwrap_or_default();
        }
        self.depth += 1;
        let result = self.run_lines(lines);
        self.depth -= 1;
        if let Some((cwd, previous_dir, vars, options)) = saved_state {
            self.cwd = cwd;
            self.previous_dir = previous_dir;
            self.vars = vars;
            self.options = options;
        }
        let out = mem::replace(&mut self.stdout, saved_out).text;
        let err = mem::replace(&mut self.stderr, saved_err).text;
        (result, out, err)
    }

    /// Runs `text` as a nested script (`eval`, `source`, `bash -c`, script files) and returns
    /// the outcome of the command that started it.
    pub(crate) fn run_text(
        &mut self,
        text: &str,
        scope: Scope,
        options: Option<ShellOptions>,
    ) -> Result<Outcome, Stop> {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let run = self.run_nested(&lines, scope, options);
        self.nested_outcome(scope, run)
    }

    /// Turns a nested run into the outcome of the command that started it. A new shell or
    /// subshell absorbs `exit`; the same shell passes it on.
    fn nested_outcome(
        &mut self,
        scope: Scope,
        run: (Result<i32, Stop>, String, String),
    ) -> Result<Outcome, Stop> {
        let (result, out, err) = run;
        match result {
            Ok(status) => Ok(Outcome { status, out, err }),
            Err(Stop::Exit(status)) if scope != Scope::SameShell => {
                Ok(Outcome { status, out, err })
            }
            Err(stop) => {
                self.stdout.push(&out);
                self.stderr.push(&err);
                Err(stop)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn failures_do_not_stop_a_script_without_set_e() {
        let mut guest = al2023();
        let result = run(&mut guest, "false\nnosuchcommand\necho after\ntrue");
        assert_eq!(result.exit_code, 0);
        assert_eq!(result.stdout, "after\n");
        assert_eq!(result.stderr, "bash: nosuchcommand: command not found\n");
        let result = run(&mut guest, "echo before\nfalse");
        assert_eq!(result.exit_code, 1, "the exit code is the last command's");
    }

    #[test]
    fn set_e_stops_at_the_first_failure() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "set -e\necho one\nfalse && echo skipped\necho two\nmkdir /a/b\necho never",
        );
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stdout, "one\ntwo\n",
            "a failure inside && does not trigger set -e"
        );
        let result = run(&mut guest, "set -euo pipefail\nfalse | true\necho never");
        assert_eq!(result.exit_code, 1);
        assert!(result.stdout.is_empty());
        let result = run(&mut guest, "set -e\nset +e\nfalse\necho survived");
        assert_eq!(result.stdout, "survived\n");
    }

    #[test]
    fn and_or_and_semicolons() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "true && echo a || echo b; false && echo c || echo d; false || true && echo e",
        );
        assert_eq!(result.stdout, "a\nd\ne\n");
        assert_eq!(result.exit_code, 0);
        let result = run(&mut guest, "! false && echo negated");
        assert_eq!(result.stdout, "negated\n");
    }

    #[test]
    fn exit_stops_the_script() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo a\nexit 3\necho b");
        assert_eq!((result.exit_code, result.stdout.as_str()), (3, "a\n"));
        let result = run(&mut guest, "bash -c 'exit 4'\necho status=$?");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (0, "status=4\n"),
            "exit in a child shell ends only that shell"
        );
    }

    #[test]
    fn runaway_scripts_are_bounded() {
        let mut guest = al2023();
        let script = vec!["true".to_string(); MAX_COMMANDS_PER_RUN + 5];
        let result = guest.run_script(&script);
        assert_eq!(result.exit_code, 124);
        assert!(result.stderr.contains("simulator limit"));
        let result = run(
            &mut guest,
            "echo 'source /opt/loop.sh' > /opt/loop.sh\nsource /opt/loop.sh\necho after",
        );
        assert_eq!(result.stdout, "after\n");
        assert!(result.stderr.contains("maximum nesting level"));
        let grow = "A=$A$A$A$A$A$A$A$A\n".repeat(5);
        let result = run(
            &mut guest,
            &format!("A=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{grow}echo never"),
        );
        assert_eq!(result.exit_code, 126, "variables cannot grow without bound");
        assert!(result.stderr.contains("Argument list too long"));
        assert!(result.stdout.is_empty());
    }
}

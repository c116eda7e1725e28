//! The REPL's core, apart from how lines are read: runs one complete input (Rhai or a `:`
//! command) and says what to print.

use std::io::Write;
use std::path::Path;

use super::commands::{self, Command};
use crate::cli::graph_out::{self, Target};
use crate::cli::run::LabWorld;
use crate::cli::run_render::{self, RunView};
use crate::cli::style::{error_label, paint};
use crate::script::session::{Session, Variable};
use crate::script::{Failure, RunReport};
use amilab_cloud::Cloud;
use owo_colors::OwoColorize;

/// What one input asks to print, and whether the session ends.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reply {
    pub stdout: String,
    pub stderr: String,
    pub quit: bool,
}

/// How the session was started, for the header of a saved script.
struct Origin {
    lab: Option<String>,
    learner: Option<String>,
    seed: u64,
    seed_given: bool,
    world: Option<std::path::PathBuf>,
}

/// A session, its starting world and the inputs that ran.
pub struct Repl {
    session: Session,
    start: Cloud,
    /// The inputs that ran since the start (or the last `:reset`), in order, with the error
    /// that stopped each one that failed.
    ran: Vec<(String, Option<String>)>,
    /// Inputs numbered for error locations (`<input 3>:1:5`).
    count: usize,
    origin: Origin,
    color: bool,
    err_color: bool,
    in_lab: bool,
}

impl Repl {
    /// A REPL on `world`. `seed_given` (whether `--seed` was passed) and `world_file` are
    /// repeated in the header of a saved script.
    pub fn new(
        world: LabWorld,
        seed_given: bool,
        world_file: Option<&Path>,
        color: bool,
        err_color: bool,
    ) -> Self {
        let start = world.cloud.clone();
        let cloud = std::rc::Rc::new(std::cell::RefCell::new(world.cloud));
        let in_lab = world.lab.is_some();
        let origin = Origin {
            lab: world.lab.as_ref().map(|l| l.arg.clone()),
            learner: world.lab.as_ref().and_then(|l| l.learner.clone()),
            seed: world.seed,
            seed_given,
            world: world_file.map(Path::to_path_buf),
        };
        Repl {
            session: Session::new(cloud, world.options, world.globals),
            start,
            ran: Vec::new(),
            count: 0,
            origin,
            color,
            err_color,
            in_lab,
        }
    }

    /// What stops the input that is running (Ctrl-C).
    pub fn interrupter(&self) -> crate::script::sandbox::Interrupter {
        self.session.interrupter()
    }

    /// The session's variables (for completion).
    pub fn variables(&self) -> Vec<Variable> {
        self.session.variables()
    }

    /// Runs one complete input: a `:` command, or Rhai. Blank input does nothing.
    pub fn handle(&mut self, input: &str) -> Reply {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Reply::default();
        }
        if trimmed.starts_with(':') {
            return match commands::parse(trimmed) {
                Ok(command) => self.command(command),
                Err(bad) => self.error(&bad.message, Some(&bad.help)),
            };
        }
        self.eval(input)
    }

    fn eval(&mut self, input: &str) -> Reply {
        self.count += 1;
        let before = self.session.cloud().borrow().now();
        let outcome = self.session.eval(input);
        let mut stdout = run_render::output_section(&outcome.output, self.color);
        if let Some(value) = &outcome.value {
            stdout.push_str(&self.session.show(value));
            stdout.push('\n');
        }
        if outcome.ran {
            let stopped = outcome.failure.as_ref().map(|f| match &f.code {
                Some(code) => code.clone(),
                None => f.message.clone(),
            });
            self.ran.push((input.trim().to_string(), stopped));
        }
        let report = RunReport {
            output: outcome.output,
            failure: outcome.failure,
        };
        let cloud = self.session.cloud().borrow();
        let help = report
            .failure
            .as_ref()
            .and_then(|f| lab_variable_help(f, self.in_lab));
        let view = RunView {
            script_name: format!("<input {}>", self.count),
            source: input,
            seed: self.origin.seed,
            report: &report,
            cloud: &cloud,
            elapsed: cloud.now() - before,
            show_trail: false,
            show_state: false,
            lab: None,
            help,
        };
        let stderr = run_render::failure_section(&view, self.err_color);
        Reply {
            stdout,
            stderr,
            quit: false,
        }
    }

    fn command(&mut self, command: Command) -> Reply {
        let out = |stdout: String| Reply {
            stdout,
            ..Reply::default()
        };
        match command {
            Command::State => out(run_render::state_section(
                &self.session.cloud().borrow(),
                self.color,
            )),
            Command::Trail => out(run_render::trail_section(
                &self.session.cloud().borrow(),
                self.color,
            )),
            Command::Graph(file) => {
                let target = match &file {
                    None => Ok(Some(Target::Stdout)),
                    Some(path) => graph_out::target(Some(path), true),
                };
                let cloud = self.session.cloud().borrow();
                let written = target.and_then(|t| match t {
                    Some(t) => graph_out::write(&t, &cloud),
                    None => Ok(None),
                });
                drop(cloud);
                match (written, file) {
                    // `write` leads standard output's Mermaid with a blank line, after a report.
                    (Ok(Some(text)), _) => out(text.trim_start_matches('\n').to_string()),
                    (Ok(None), Some(path)) => {
                        out(format!("wrote the lineage to `{}`\n", path.display()))
                    }
                    (Ok(None), None) => out(String::new()),
                    (Err(e), _) => {
                        let (message, help) = match e.message.split_once("\n  = help: ") {
                            Some((m, h)) => (m.to_string(), Some(h.to_string())),
                            None => (e.message.clone(), None),
                        };
                        self.error(&message, help.as_deref())
                    }
                }
            }
            Command::Reset => {
                self.session.reset(self.start.clone());
                self.ran.clear();
                out(
                    "The world is back to its start; variables and functions are forgotten.\n"
                        .into(),
                )
            }
            Command::Save { path, overwrite } => match self.save(&path, overwrite) {
                Ok(message) => out(message),
                Err((message, help)) => self.error(&message, help.as_deref()),
            },
            Command::Help => out(commands::help()),
            Command::Quit => Reply {
                quit: true,
                ..Reply::default()
            },
        }
    }

    /// The inputs that ran, as a script with a header that says how to run it.
    fn script(&self) -> String {
        let mut run = String::from("amilab run");
        // Every word as a shell must read it (a learner or a path with spaces).
        let quote = |word: &str| -> String {
            shlex::try_quote(word)
                .map(|q| q.into_owned())
                .unwrap_or_else(|_| word.to_string())
        };
        if let Some(lab) = &self.origin.lab {
            run.push_str(&format!(" --lab {}", quote(lab)));
            if let Some(learner) = &self.origin.learner {
                run.push_str(&format!(" --learner {}", quote(learner)));
            }
        }
        // A lab's variant comes from the learner unless a seed was given; the default world's
        // seed is 0 unless one was.
        let seed_flag = match &self.origin.lab {
            Some(_) => self.origin.seed_given,
            None => self.origin.seed != 0,
        };
        if seed_flag {
            run.push_str(&format!(" --seed {}", self.origin.seed));
        }
        if let Some(world) = &self.origin.world {
            run.push_str(&format!(" --world {}", quote(&world.display().to_string())));
        }
        let mut text = format!(
            "// Saved by `amilab explore`: {} input{} that ran. Run it again with `{run} FILE`.\n",
            self.ran.len(),
            if self.ran.len() == 1 { "" } else { "s" }
        );
        for (input, stopped) in &self.ran {
            if let Some(error) = stopped {
                let error = error.lines().next().unwrap_or("");
                text.push_str(&format!(
                    "// In explore, this input stopped with: {error}\n"
                ));
            }
            text.push_str(&statement(input));
            text.push('\n');
        }
        text
    }

    /// Writes [`Repl::script`] to `path`; refuses to replace a file unless `overwrite`.
    fn save(&self, path: &Path, overwrite: bool) -> Result<String, (String, Option<String>)> {
        let shown = path.display();
        let file = if overwrite {
            std::fs::File::create(path)
        } else {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        };
        let written = file.and_then(|mut f| f.write_all(self.script().as_bytes()));
        match written {
            Ok(()) => Ok(format!(
                "Saved {} input{} to `{shown}`.\n",
                self.ran.len(),
                if self.ran.len() == 1 { "" } else { "s" }
            )),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err((
                format!("`{shown}` already exists; it was not changed"),
                Some(format!(
                    "`:save! {shown}` replaces it, or choose another name"
                )),
            )),
            Err(e) => Err((
                format!(
                    "cannot save to `{shown}`: {}",
                    crate::diagnostic::io_reason(&e)
                ),
                None,
            )),
        }
    }

    fn error(&self, message: &str, help: Option<&str>) -> Reply {
        let mut stderr = format!("{}: {message}\n", error_label(self.err_color));
        if let Some(help) = help {
            stderr.push_str(&format!(
                "  = {}: {help}\n",
                paint("help", self.err_color, |s| s.cyan().bold().to_string())
            ));
        }
        Reply {
            stderr,
            ..Reply::default()
        }
    }
}

/// An input as a statement of a script: at the prompt `x.len()` needs no `;`, in a script the
/// next statement needs one before it. Inputs ending in `}` get one too (`let m = #{a: 1}`
/// needs it; after a block or a function it is an empty statement).
fn statement(input: &str) -> String {
    if input.ends_with(';') {
        return input.to_string();
    }
    match input.lines().last() {
        // A trailing comment would swallow the `;`.
        Some(last) if last.contains("//") => format!("{input}\n;"),
        _ => format!("{input};"),
    }
}

/// Outside a lab, an input that reads `params` or `accounts` wants a lab's world: say how.
fn lab_variable_help(failure: &Failure, in_lab: bool) -> Option<String> {
    if in_lab {
        return None;
    }
    let name = failure.message.strip_prefix("Variable not found: ")?;
    matches!(name.trim(), "params" | "accounts" | "learner" | "account").then(|| {
        format!("`{}` is a lab's variable: explore the lab's world with `amilab explore --lab <lab-id>` (see `amilab lab list`)", name.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_become_statements_of_a_script() {
        assert_eq!(statement("let x = 1;"), "let x = 1;");
        assert_eq!(statement("x.len()"), "x.len();");
        assert_eq!(statement("if x { 1 }"), "if x { 1 };");
        assert_eq!(statement("let m = #{a: 1}"), "let m = #{a: 1};");
        assert_eq!(statement("x // the count"), "x // the count\n;");
        let script = ["let x = [1]", "x.len()", "x // c", "fn f() { 1 }", "f()"]
            .map(statement)
            .join("\n");
        assert!(rhai::Engine::new_raw().compile(&script).is_ok(), "{script}");
    }
}

//! `amilab quiz …`: list, take, template, grade, export.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Subcommand;

use super::report_out::{self, Environment, ReportArgs};
use crate::quiz::{self, AnswersFile};
use crate::report;

pub use super::CliError;
use super::Outcome;
use crate::diagnostic::io_reason;

/// Export formats of `amilab quiz export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Moodle GIFT.
    Gift,
}

#[derive(Debug, Subcommand)]
pub enum QuizCommand {
    /// List the quizzes shipped with amilab.
    List,
    /// Take a quiz interactively in a terminal.
    ///
    /// Esc skips a question. Ctrl-C quits without grading anything (exit code 130), after
    /// asking whether to discard an answer you had started.
    Take {
        /// Quiz id (see `amilab quiz list`) or path to a quiz file.
        quiz: String,
        /// Learner id: it decides which questions are drawn and the order of options
        /// (default: $AMILAB_LEARNER, else your workspace's learner, else anonymous).
        #[arg(long, env = "AMILAB_LEARNER")]
        learner: Option<String>,
    },
    /// Write an answers-file skeleton for a learner's paper (for CI).
    Template {
        /// Quiz id or path to a quiz file.
        quiz: String,
        /// Learner id (default: $AMILAB_LEARNER, else your workspace's learner, else anonymous).
        #[arg(long, env = "AMILAB_LEARNER")]
        learner: Option<String>,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite FILE if it exists (it may hold answers already written).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Grade an answers file, or a submission folder against an assignment.
    Grade {
        /// Quiz id or path to a quiz file; or an assignment file (`assignment.yaml`).
        quiz: String,
        /// The answers file (YAML), e.g. from `amilab quiz template`; for an assignment, the
        /// submission folder (default: your workspace's root, else the current directory).
        answers: Option<PathBuf>,
        /// Learner id (default: $AMILAB_LEARNER, else the answers file's `learner`, else
        /// `anonymous`; for an assignment, else the folder's workspace's learner).
        #[arg(long, env = "AMILAB_LEARNER")]
        learner: Option<String>,
        /// Grade only if the quiz file's sha256 is HASH (64 hex digits; the first `sources`
        /// entry of `--format json`): a changed quiz is refused with exit code 2.
        #[arg(long, value_name = "HASH")]
        quiz_sha256: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Export a quiz for another system.
    Export {
        /// Quiz id or path to a quiz file.
        quiz: String,
        /// Target format.
        #[arg(long, value_enum)]
        to: ExportFormat,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// `text` for standard output, or written to `--out FILE` (then nothing for standard output).
fn write_out(out: &Option<PathBuf>, text: String) -> Result<Outcome, CliError> {
    match out {
        Some(path) => std::fs::write(path, text)
            .map(|()| Outcome::default())
            .map_err(|e| {
                CliError::usage(format!(
                    "error: cannot write `{}`: {}",
                    path.display(),
                    io_reason(&e)
                ))
            }),
        None => Ok(Outcome {
            stdout: text,
            ..Outcome::default()
        }),
    }
}

fn learner_or_default(learner: Option<String>) -> String {
    learner
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| quiz::draw::ANONYMOUS.to_string())
}

/// Runs one quiz subcommand; the outcome's code is 0 passed (or done), 1 not passed.
pub fn execute(cmd: &QuizCommand) -> Result<Outcome, CliError> {
    match cmd {
        QuizCommand::List => {
            let mut text = String::new();
            for b in quiz::BUILTIN {
                let loaded = quiz::load(b.id)?;
                let spec = &loaded.spec;
                let drawn = spec.pick.unwrap_or(spec.questions.len());
                text.push_str(&format!(
                    "{:<16} {} ({} of {}, pass mark {}%)\n",
                    spec.id,
                    spec.title,
                    drawn,
                    amilab_text::plural(spec.questions.len(), "question", "questions"),
                    report::fmt_points(spec.pass_mark)
                ));
            }
            write_out(&None, text)
        }
        QuizCommand::Take { quiz: id, learner } => {
            let loaded = quiz::load(id)?;
            if !std::io::stdin().is_terminal() {
                return Err(CliError::usage(format!(
                    "error: `amilab quiz take` needs an interactive terminal, and standard input is not one\n  = help: in CI or scripts, write answers to a file and grade it:\n          amilab quiz template {id} --out answers.yaml\n          amilab quiz grade {id} answers.yaml"
                )));
            }
            let (workspace, progress) = super::check::current_workspace()?;
            let learner = super::check::learner(learner.as_ref(), progress.as_ref());
            let who = crate::lab::Who {
                learner: learner.clone(),
                seed: None,
            };
            let paper = quiz::draw(&loaded.spec, &learner_or_default(learner));
            // The interactive mode talks to the terminal itself.
            let taken = super::quiz_take::take(&paper)?;
            // A graded paper is recorded in the workspace; a quiz left half-way is not.
            let recorded = match (&workspace, &progress, &taken.result) {
                (Some(ws), Some(p), Some(result)) => {
                    match super::check::not_recorded_because(p, &who) {
                        None => ws
                            .update(|p| p.record_quiz(result))
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                        Some(why) => Err(why),
                    }
                }
                _ => Ok(()),
            };
            let stderr = match recorded {
                Ok(()) => String::new(),
                Err(e) => format!("note: this attempt was not recorded: {e}\n"),
            };
            Ok(Outcome {
                code: taken.code,
                stderr,
                ..Outcome::default()
            })
        }
        QuizCommand::Template {
            quiz: id,
            learner,
            out,
            force,
        } => {
            if let Some(path) = out.as_ref().filter(|p| p.exists() && !force) {
                return Err(CliError::usage(format!(
                    "`{}` already exists; it may hold your answers, so it was left alone\n  = help: pass --force to overwrite it, or --out another file",
                    path.display()
                )));
            }
            let loaded = quiz::load(id)?;
            // In a workspace, the paper of its learner, as `quiz take` draws it.
            let (_, progress) = super::check::current_workspace()?;
            let learner = super::check::learner(learner.as_ref(), progress.as_ref());
            let paper = quiz::draw(&loaded.spec, &learner_or_default(learner));
            write_out(out, quiz::template::template(&paper))
        }
        QuizCommand::Grade {
            quiz: id,
            answers,
            learner,
            quiz_sha256,
            report: args,
        } => {
            if super::assignment::is_assignment_arg(id) {
                return super::assignment::grade(&super::assignment::Request {
                    assignment: id,
                    dir: answers.as_deref(),
                    learner: learner.as_ref(),
                    hints: crate::lab::grade::DEFAULT_HINTS,
                    report: args,
                });
            }
            let Some(answers) = answers else {
                return Err(CliError::usage(format!(
                    "no answers file given\n  = help: `amilab quiz grade {id} answers.yaml`; write one with `amilab quiz template {id} --out answers.yaml`"
                )));
            };
            let loaded = quiz::load(id)?;
            super::pin::verify(
                "quiz",
                id,
                &loaded.file,
                &loaded.text,
                quiz_sha256.as_deref(),
            )?;
            let file = answers.display().to_string();
            let text = super::input::read_input(
                answers,
                "answers file",
                crate::limits::MAX_ANSWERS_BYTES,
            )?;
            let bytes = text.as_bytes();
            let parsed: AnswersFile = quiz::parse::parse_strict(&file, &text).map_err(|d| {
                CliError::usage(crate::diagnostic::render_all(&[d]).trim_end().to_string())
            })?;
            if parsed.quiz != loaded.spec.id {
                return Err(CliError::usage(format!(
                    "error: `{file}` answers the quiz `{}`, not `{}`\n  = help: grade it with `amilab quiz grade {} {file}`",
                    parsed.quiz, loaded.spec.id, parsed.quiz
                )));
            }
            let learner = match (learner.clone(), parsed.learner.clone()) {
                (Some(flag), Some(in_file)) if flag != in_file => {
                    return Err(CliError::usage(format!(
                        "error: --learner is `{flag}` but `{file}` was written for learner `{in_file}`\n  = help: the option letters differ between learners; use --learner {in_file}, or make a new template with --learner {flag}"
                    )));
                }
                (flag, in_file) => learner_or_default(flag.or(in_file)),
            };
            let paper = quiz::draw(&loaded.spec, &learner);
            // A panic in grading (a bug) becomes a report with outcome `error` (exit 3).
            let result =
                crate::bug::catch(|| quiz::grade::grade_file(&paper, &parsed, &file, bytes))
                    .unwrap_or_else(|bug| quiz::grade::bug_result(&paper, &file, bytes, &bug));
            // The quiz file first, as a lab result has its lab file: the hash --quiz-sha256 pins.
            let mut result = result;
            result.sources.insert(
                0,
                report::SourceHash::of(&loaded.file, loaded.text.as_bytes()),
            );
            let mut stdout = Vec::new();
            let stderr =
                report_out::emit(&result, args, &Environment::from_process(), &mut stdout)?;
            Ok(Outcome {
                stdout: String::from_utf8_lossy(&stdout).into_owned(),
                stderr,
                code: result.exit_code(),
            })
        }
        QuizCommand::Export {
            quiz: id,
            to: ExportFormat::Gift,
            out,
        } => {
            let loaded = quiz::load(id)?;
            write_out(out, quiz::gift::export(&loaded.spec))
        }
    }
}

//! Command-line interface: one module per subcommand.
//!
//! Minimal wiring for the quiz worktree: `amilab quiz …` and `amilab schema …`.

pub mod quiz;

use clap::{Parser, Subcommand};

pub use quiz::{CliError, QuizCommand};

#[derive(Debug, Parser)]
#[command(
    name = "amilab",
    version,
    about = "A command-line course on AWS machine images"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Quizzes: list, take, template, grade, export.
    #[command(subcommand)]
    Quiz(QuizCommand),
    /// Print a JSON Schema.
    Schema {
        #[arg(value_enum)]
        what: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// Quiz files (quizzes/<id>.yaml).
    Quiz,
    /// Answers files (amilab quiz grade).
    Answers,
    /// The result model (--format json).
    Result,
}

/// Runs a parsed command line; `Ok` carries the exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::Quiz(cmd) => quiz::run(cmd),
        Command::Schema { what } => {
            let text = match what {
                SchemaKind::Quiz => crate::quiz::schema::quiz_schema(),
                SchemaKind::Answers => crate::quiz::schema::answers_schema(),
                SchemaKind::Result => {
                    let mut s = serde_json::to_string_pretty(&crate::report::result_schema())
                        .expect("schema");
                    s.push('\n');
                    s
                }
            };
            print!("{text}");
            Ok(0)
        }
    }
}

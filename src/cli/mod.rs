//! Command-line interface: one module per subcommand, and the exit codes of DESIGN.md.

pub mod assignment;
pub mod aws;
pub mod check;
pub mod ci;
pub mod explore;
pub mod grade;
pub mod graph_out;
pub mod hint;
pub mod hints;
pub mod home;
pub mod init;
pub mod input;
pub mod lab;
pub mod pin;
pub mod quiz;
pub mod quiz_take;
pub mod report_out;
pub mod run;
pub mod run_render;
pub mod schema;
pub mod shell;
pub mod stats;
pub mod style;
pub mod validate;
pub mod watch;
pub mod world_file;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

pub use quiz::QuizCommand;

/// Exit codes (DESIGN.md).
pub mod exit {
    /// Passed, or a script that ran to its end.
    pub const OK: u8 = 0;
    /// Graded and not passed, or a script that stopped on an uncaught error.
    pub const FAILED: u8 = 1;
    /// Bad invocation, or an unreadable / invalid input file.
    pub const USAGE: u8 = 2;
    /// The submission could not be run or graded (syntax error, limit breach).
    pub const UNGRADABLE: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "amilab",
    version,
    about = "A command-line course on AWS machine images, graded against a simulated EC2 cloud",
    long_about = "A command-line course on AWS machine images, graded against a simulated EC2 cloud.\n\nRun `amilab` alone to see your progress inside a workspace, or where to start outside one."
)]
pub struct Cli {
    /// Without a command: your progress inside a workspace, or where to start.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: every lab's starter and a progress record
    Init(init::InitArgs),
    /// Labs: list, show, start
    #[command(subcommand)]
    Lab(lab::LabCommand),
    /// Grade a script in a lab
    Check(check::CheckArgs),
    /// Grade a whole class into a gradebook (in parallel, resumable, by shard)
    Grade(grade::GradeArgs),
    /// Join the output folders of a class graded in shards into one gradebook
    Merge(grade::MergeArgs),
    /// Reveal the next hint for the first check you fail (or a named check)
    Hint(hint::HintArgs),
    /// Run a Rhai script in the default simulated world, or in a lab's world (--lab)
    Run(run::RunArgs),
    /// Quizzes: list, take, template, grade, export
    #[command(subcommand)]
    Quiz(QuizCommand),
    /// Validate labs and quizzes (default: the built-in course)
    Validate(validate::ValidateArgs),
    /// CI kits: `amilab ci init github|gitlab|gradescope --lab ID` writes a ready grading setup
    #[command(subcommand)]
    Ci(ci::CiCommand),
    /// Print a JSON Schema (for editors and tools)
    Schema(schema::SchemaArgs),
    /// Run an AWS CLI command against your sandbox: `amilab aws ec2 describe-images --owners self`
    Aws(aws::AwsArgs),
    /// Type Rhai against a live simulated world and see each answer at once (a REPL)
    Explore(explore::ExploreArgs),
    /// Analytics of a graded class: item difficulty and discrimination, scores, AWS errors
    Stats(stats::StatsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(shell::CompletionsArgs),
    /// Print the man page, or write one per command with --out DIR
    Man(shell::ManArgs),
}

/// An error that ends a command with an exit code and a message for standard error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

/// A lab or quiz that cannot be loaded is a bad input (exit 2); its diagnostics say where.
impl From<crate::yaml::LoadError> for CliError {
    fn from(e: crate::yaml::LoadError) -> Self {
        CliError::usage(e.to_string())
    }
}

/// What a command wants written: stdout, stderr and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

/// Runs the CLI with `args` (program name first) and returns the exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    crate::bug::install_hook();
    // `check` and `quiz grade` contain panics in grading themselves (a report with outcome
    // `error`); this catches the rest, anywhere in any command: exit 3, never a crash.
    let outcome = crate::bug::catch(|| match cli.command {
        None => home::execute(),
        Some(command) => execute(command),
    })
    .unwrap_or_else(|bug| {
        Err(CliError {
            code: exit::UNGRADABLE,
            message: bug.describe(),
        })
    });
    let outcome = outcome.unwrap_or_else(|e| Outcome {
        stdout: String::new(),
        stderr: with_error_label(&e.message),
        code: e.code,
    });
    // Ignore broken pipes (`amilab run x | head`): the exit code still tells the story.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    outcome.code
}

/// Runs one command.
fn execute(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Init(args) => init::execute(&args),
        Command::Run(args) => run::execute(&args),
        Command::Schema(args) => schema::execute(&args),
        Command::Lab(cmd) => lab::execute(&cmd),
        Command::Validate(args) => validate::execute(&args),
        // The watch drives `check` from above, so `check` never calls back into it.
        Command::Check(args) if args.watch && !assignment::is_assignment_arg(&args.lab) => {
            watch::run(&args)
        }
        Command::Check(args) => check::execute(&args),
        Command::Grade(args) => grade::execute(&args),
        Command::Merge(args) => grade::merge(&args),
        Command::Hint(args) => hint::execute(&args),
        Command::Quiz(cmd) => quiz::execute(&cmd),
        Command::Ci(cmd) => ci::execute(&cmd),
        Command::Aws(args) => aws::execute(&args),
        Command::Explore(args) => explore::execute(&args),
        Command::Stats(args) => stats::execute(&args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
    }
}

/// `error: message`, unless the message already carries its own label.
fn with_error_label(message: &str) -> String {
    let message = message.trim_end();
    if message.starts_with("error") {
        format!("{message}\n")
    } else {
        format!(
            "{}: {message}\n",
            style::error_label(style::stderr_colors())
        )
    }
}

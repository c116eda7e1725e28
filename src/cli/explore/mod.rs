//! `amilab explore [--lab LAB] [--world FILE]`: a REPL on a live simulated world. Rhai typed at
//! the prompt runs at once, against one world, with variables and functions kept from one input
//! to the next; `:` commands show the state and the trail, reset the world and save the inputs
//! as a script. Not on a terminal, inputs are read from standard input, which makes a session
//! scriptable (and testable).

mod commands;
mod editor;
mod repl;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::{exit, CliError, Outcome};
use crate::script::session::is_incomplete;
use repl::{Repl, Reply};

#[derive(Debug, Args)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub start: crate::cli::run::StartArgs,
    /// Start in the world saved in FILE (by `amilab run --world FILE` or `amilab aws`) instead
    /// of a new one; explore reads the file and never writes it. A file that is not a valid
    /// world is refused (exit 2)
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,
}

/// Where the line editor keeps its history, relative to the current directory.
pub const HISTORY_FILE: &str = ".amilab/explore_history";

pub fn execute(args: &ExploreArgs) -> Result<Outcome, CliError> {
    let world = super::run::start_world(
        args.start.lab.as_deref(),
        args.start.learner.as_deref(),
        args.start.seed,
        args.world.as_deref(),
    )?;
    let banner = banner(&world);
    let mut repl = Repl::new(
        world,
        args.start.seed.is_some(),
        args.world.as_deref(),
        super::style::stdout_colors(),
        super::style::stderr_colors(),
    );
    if std::io::stdin().is_terminal() {
        editor::run(&mut repl, &banner)?;
    } else {
        piped(&mut repl, std::io::stdin().lock())?;
    }
    Ok(Outcome {
        code: exit::OK,
        ..Outcome::default()
    })
}

/// What a terminal session greets the learner with.
fn banner(world: &super::run::LabWorld) -> String {
    let place = match &world.lab {
        Some(lab) => format!(
            "the world of lab {}{}",
            lab.id,
            lab.learner
                .as_ref()
                .map(|l| format!(" (learner {l})"))
                .unwrap_or_default()
        ),
        None => format!("the default world (seed {})", world.seed),
    };
    format!(
        "amilab explore: Rhai against {place}, account {}.\n\
         Try `let ec2 = client(\"ec2\");` then `ec2.describe_images(#{{owners: [\"self\"]}})`.\n\
         Tab completes, :help lists the commands, Ctrl-D leaves.\n",
        world.cloud.account()
    )
}

/// Reads inputs from `input` (standard input, not a terminal) until its end or `:quit`; an
/// input goes on over lines while it is incomplete, as at the prompt.
fn piped(repl: &mut Repl, input: impl BufRead) -> Result<(), CliError> {
    let mut buffer = String::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| {
            CliError::usage(format!(
                "cannot read line {} of standard input: {}",
                n + 1,
                crate::diagnostic::io_reason(&e)
            ))
        })?;
        if buffer.is_empty() && line.trim_start().starts_with(':') {
            if emit(repl.handle(&line)) {
                return Ok(());
            }
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if is_incomplete(&buffer) {
            continue;
        }
        let reply = repl.handle(&buffer);
        buffer.clear();
        if emit(reply) {
            return Ok(());
        }
    }
    // An input still open at the end is run as it is: its syntax error says what is missing.
    emit(repl.handle(&buffer));
    Ok(())
}

/// Writes a reply (stdout first, as the learner sees it); true when the session ends.
fn emit(reply: Reply) -> bool {
    // A closed pipe ends nothing here: the inputs still run, as `amilab run x | head` does.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(reply.stdout.as_bytes());
    let _ = out.flush();
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(reply.stderr.as_bytes());
    let _ = err.flush();
    reply.quit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_has_help() {
        use clap::CommandFactory;
        let cli = crate::cli::Cli::command();
        cli.clone().debug_assert();
        let explore = cli
            .find_subcommand("explore")
            .expect("explore is a subcommand");
        assert!(explore.get_about().is_some());
        for arg in explore.get_arguments() {
            assert!(arg.get_help().is_some(), "--{} has no help", arg.get_id());
        }
    }

    #[test]
    fn the_banner_names_the_world() {
        let world = crate::cli::run::start_world(None, None, Some(3), None).unwrap();
        let text = banner(&world);
        assert!(
            text.starts_with(
                "amilab explore: Rhai against the default world (seed 3), account 123456789012.\n"
            ),
            "{text}"
        );
        let lab = crate::cli::run::start_world(Some("first-golden-image"), Some("ada"), None, None)
            .unwrap();
        assert!(banner(&lab).contains("the world of lab first-golden-image (learner ada)"));
    }
}

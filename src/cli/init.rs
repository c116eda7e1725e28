//! `amilab init [DIR]`: create a learner's workspace — a README, every lab's starter in
//! `labs/`, and `.amilab/progress.json` — and say what to do next.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::workspace;

/// The folder `amilab init` creates when none is named.
pub const DEFAULT_DIR: &str = "amilab-course";

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make a workspace of (created if missing; files already there are kept).
    #[arg(default_value = DEFAULT_DIR)]
    pub dir: PathBuf,
    /// Your learner id: it decides your variant of every lab (regions, names, counts). Default:
    /// $AMILAB_LEARNER, else none (the variant of `anonymous`).
    #[arg(long, env = "AMILAB_LEARNER")]
    pub learner: Option<String>,
}

pub fn execute(args: &InitArgs) -> Result<Outcome, CliError> {
    if args.learner.as_ref().is_some_and(|l| l.trim().is_empty()) {
        return Err(CliError::usage(
            "the learner id is empty\n  = help: give your learner id (`--learner ada`), or leave --learner out to be `anonymous`",
        ));
    }
    let learner = args.learner.clone();
    let done =
        workspace::init(&args.dir, learner.clone()).map_err(|e| CliError::usage(e.to_string()))?;
    let dir = args.dir.display();
    let mut out = format!("Created an amilab workspace in `{dir}`");
    match &learner {
        Some(l) => out.push_str(&format!(" for learner `{l}`.\n")),
        None => out.push_str(".\n"),
    }
    let starters = done
        .written
        .iter()
        .filter(|f| f.starts_with("labs/"))
        .count();
    let mut wrote = Vec::new();
    if done.written.iter().any(|f| f == "README.md") {
        wrote.push("README.md".to_string());
    }
    if starters > 0 {
        wrote.push(format!(
            "{} in labs/",
            amilab_text::plural(starters, "lab starter", "lab starters")
        ));
    }
    wrote.push(".amilab/progress.json (your record)".to_string());
    out.push_str(&format!("  wrote {}\n", wrote.join(", ")));
    if !done.kept.is_empty() {
        out.push_str(&format!(
            "  kept what was already there: {}\n",
            done.kept.join(", ")
        ));
    }
    let first = crate::lab::BUILTIN.first().map_or("LAB", |b| b.id);
    let cd = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!("  cd {dir}\n")
    };
    out.push_str(&format!(
        "\nNext:\n{cd}  amilab                      your progress and what to do next\n  amilab lab show {first}\n  amilab check {first}\n"
    ));
    Ok(Outcome {
        stdout: out,
        ..Outcome::default()
    })
}

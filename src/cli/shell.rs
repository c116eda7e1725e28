//! `amilab completions SHELL` and `amilab man`: shell completion scripts and man pages, both
//! generated from the clap definitions that `--help` is made from, so they cannot drift.

use std::path::PathBuf;

use clap::{Args, CommandFactory, ValueEnum};

use super::{Cli, CliError, Outcome};

/// A shell `amilab completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
#[command(after_help = "Install, for example:
  bash:       amilab completions bash > ~/.local/share/bash-completion/completions/amilab
  zsh:        amilab completions zsh > ~/.zfunc/_amilab   (with fpath+=(~/.zfunc) before compinit)
  fish:       amilab completions fish > ~/.config/fish/completions/amilab.fish
  PowerShell: amilab completions powershell >> $PROFILE
  elvish:     amilab completions elvish > ~/.config/elvish/lib/amilab.elv   (then `use amilab`)")]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Read it now: amilab man | man -l -")]
pub struct ManArgs {
    /// Write a page per command (amilab.1, amilab-check.1, …) into this folder instead of
    /// printing amilab.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs) -> Result<Outcome, CliError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    };
    clap_complete::generate(shell, &mut cmd, "amilab", &mut script);
    Ok(Outcome {
        stdout: String::from_utf8_lossy(&script).into_owned(),
        ..Outcome::default()
    })
}

pub fn man(args: &ManArgs) -> Result<Outcome, CliError> {
    let cmd = Cli::command();
    let Some(dir) = &args.out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut page)
            .map_err(|e| CliError::usage(format!("cannot render the man page: {e}")))?;
        return Ok(Outcome {
            stdout: String::from_utf8_lossy(&page).into_owned(),
            ..Outcome::default()
        });
    };
    std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, &e))?;
    clap_mangen::generate_to(cmd, dir).map_err(|e| cannot_write(dir, &e))?;
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| cannot_write(dir, &e))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("amilab") && n.ends_with(".1"))
        .collect();
    pages.sort();
    Ok(Outcome {
        stdout: format!(
            "wrote {} man pages to `{}`: {}\n  read one: man -l {}/amilab.1\n",
            pages.len(),
            dir.display(),
            pages.join(", "),
            dir.display()
        ),
        ..Outcome::default()
    })
}

fn cannot_write(dir: &std::path::Path, e: &std::io::Error) -> CliError {
    CliError::usage(format!(
        "cannot write the man pages to `{}`: {}",
        dir.display(),
        crate::diagnostic::io_reason(e)
    ))
}

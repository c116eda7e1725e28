//! `amilab lab list|show|start`: browse the labs and start one.

use std::path::PathBuf;

use clap::Subcommand;

use super::check::relative_to_cwd;
use super::{CliError, Outcome};
use crate::lab::{self, show, Who};

#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// List the labs shipped with amilab.
    List,
    /// Show a lab: story, objectives, your variant, checks and points.
    Show {
        /// Lab id (see `amilab lab list`) or path to a lab.yaml / lab directory.
        lab: String,
        /// Learner id: it decides your variant (regions, names, counts); default
        /// $AMILAB_LEARNER, else your workspace's learner, else anonymous; --seed wins over all.
        #[arg(long, env = "AMILAB_LEARNER")]
        learner: Option<String>,
        /// Show the variant of this seed instead.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Write the lab's starter script as ID.rhai.
    Start {
        /// Lab id or path.
        lab: String,
        /// Directory to write into (default: your workspace's labs/ folder inside a workspace,
        /// else the current directory).
        #[arg(long, value_name = "D")]
        dir: Option<PathBuf>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

pub fn execute(cmd: &LabCommand) -> Result<Outcome, CliError> {
    match cmd {
        LabCommand::List => {
            let mut stdout = String::new();
            for b in lab::BUILTIN {
                let spec = lab::course::builtin(b)?.spec;
                stdout.push_str(&show::list_line(&spec));
            }
            Ok(Outcome {
                stdout,
                ..Outcome::default()
            })
        }
        LabCommand::Show {
            lab: id,
            learner,
            seed,
        } => {
            let loaded = lab::load(id)?;
            let (workspace, progress) = super::check::current_workspace()?;
            let v = lab::variant(
                &loaded.spec,
                &Who {
                    learner: super::check::learner(learner.as_ref(), progress.as_ref()),
                    seed: *seed,
                },
            );
            // The workspace's commands fit only its learner's own variant.
            let script = workspace
                .filter(|_| {
                    progress
                        .as_ref()
                        .and_then(|p| {
                            super::check::not_recorded_because(
                                p,
                                &Who {
                                    learner: v.learner.clone(),
                                    seed: *seed,
                                },
                            )
                        })
                        .is_none()
                })
                .map(|ws| {
                    relative_to_cwd(&ws.lab_script(&loaded.spec.id))
                        .display()
                        .to_string()
                });
            Ok(Outcome {
                stdout: show::show_as(&loaded, &v, &lab_arg(id, &loaded), script.as_deref()),
                ..Outcome::default()
            })
        }
        LabCommand::Start {
            lab: id,
            dir,
            force,
        } => {
            let loaded = lab::load(id)?;
            let starter = loaded.read(&loaded.spec.starter).map_err(CliError::usage)?;
            let dir = match dir {
                Some(dir) => dir.clone(),
                None => crate::workspace::Workspace::current()
                    .map(|ws| ws.root.join(crate::workspace::LABS_DIR))
                    .map(|d| relative_to_cwd(&d))
                    .unwrap_or_else(|| PathBuf::from(".")),
            };
            let path = dir.join(format!("{}.rhai", loaded.spec.id));
            if path.exists() && !force {
                return Err(CliError::usage(format!(
                    "`{}` already exists; it may hold your work, so it was left alone\n  = help: pass --force to overwrite it, or --dir to write elsewhere",
                    path.display()
                )));
            }
            std::fs::create_dir_all(&dir)
                .and_then(|_| std::fs::write(&path, starter))
                .map_err(|e| CliError::usage(format!("cannot write `{}`: {e}", path.display())))?;
            Ok(Outcome {
                stdout: format!(
                    "wrote {path}\n  read the story:  amilab lab show {lab}\n  try it:          amilab run --lab {lab} {path}\n  check your work: amilab check {lab} {path}\n",
                    path = path.display(),
                    lab = lab_arg(id, &loaded)
                ),
                ..Outcome::default()
            })
        }
    }
}

/// How next-step commands name the lab: as the user gave it when that was a path (a lab outside
/// the built-ins is not found by its id), else by its id.
fn lab_arg(arg: &str, loaded: &lab::Loaded) -> String {
    if lab::course::looks_like_path(arg) {
        arg.to_string()
    } else {
        loaded.spec.id.clone()
    }
}

//! `amilab` with no command: inside a workspace, the progress dashboard; outside one, a short
//! "start here" (never a usage error).

use super::check::{current_workspace, relative_to_cwd};
use super::{CliError, Outcome};
use crate::lab::Who;
use crate::workspace::dashboard::{self, Entry, Kind};
use crate::workspace::Progress;

/// What `amilab` alone prints outside a workspace.
const START_HERE: &str =
    "amilab — a course on AWS machine images, graded against a simulated AWS cloud

Start here:
  amilab init                 create a workspace (amilab-course/) with every lab's starter
  cd amilab-course && amilab  see your progress and what to do next

Or look around first:
  amilab lab list             the labs
  amilab quiz list            the quizzes
  amilab --help               every command
";

pub fn execute() -> Result<Outcome, CliError> {
    let (Some(ws), Some(progress)) = current_workspace()? else {
        return Ok(Outcome {
            stdout: START_HERE.to_string(),
            ..Outcome::default()
        });
    };
    let lab_script = |id: &str| relative_to_cwd(&ws.lab_script(id)).display().to_string();
    Ok(Outcome {
        stdout: dashboard::render(&progress, &course(&progress)?, &lab_script),
        ..Outcome::default()
    })
}

/// The built-in labs and quizzes, in the course's order, with the titles of the workspace
/// learner's variants.
fn course(progress: &Progress) -> Result<Vec<Entry>, CliError> {
    let who = Who {
        learner: progress.learner.clone(),
        seed: None,
    };
    let mut entries = Vec::new();
    for b in crate::lab::BUILTIN {
        let spec = crate::lab::course::builtin(b)?.spec;
        let v = crate::lab::variant(&spec, &who);
        entries.push(Entry {
            kind: Kind::Lab,
            title: v.text.render(&spec.title),
            id: spec.id,
        });
    }
    for b in crate::quiz::BUILTIN {
        let spec = crate::quiz::load(b.id)?.spec;
        entries.push(Entry {
            kind: Kind::Quiz,
            id: b.id.to_string(),
            title: spec.title,
        });
    }
    Ok(entries)
}

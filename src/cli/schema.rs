//! `amilab schema lab|quiz|answers|assignment|result`: JSON Schemas generated from the Rust
//! types, for editors (yaml-language-server) and tools.

use clap::{Args, ValueEnum};

use super::{CliError, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Lab files (labs/<id>/lab.yaml)
    Lab,
    /// Quiz files (quizzes/<id>.yaml)
    Quiz,
    /// Answers files (amilab quiz grade)
    Answers,
    /// Assignment files (assignment.yaml: labs and quizzes graded together)
    Assignment,
    /// The result model (--format json)
    Result,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print
    #[arg(value_enum)]
    pub what: SchemaKind,
}

pub fn execute(args: &SchemaArgs) -> Result<Outcome, CliError> {
    let stdout = match args.what {
        SchemaKind::Lab => crate::lab::schema::lab_schema(),
        SchemaKind::Quiz => crate::quiz::schema::quiz_schema(),
        SchemaKind::Answers => crate::quiz::schema::answers_schema(),
        SchemaKind::Assignment => crate::assignment::spec::assignment_schema(),
        SchemaKind::Result => {
            let mut s =
                serde_json::to_string_pretty(&crate::report::result_schema()).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    Ok(Outcome {
        stdout,
        ..Outcome::default()
    })
}

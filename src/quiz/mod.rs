//! Quizzes: the YAML format, validation, per-learner draws, scoring, answers files,
//! templates, GIFT export and the interactive mode.
//!
//! The flow: [`bank::load`] → [`draw::draw`] a learner's paper → answers (a file through
//! [`answers`], or interactively with `amilab quiz take`) → [`grade`] → a [`crate::report::RunResult`].

pub mod answers;
pub mod bank;
pub mod draw;
pub mod gift;
pub mod grade;
pub mod number;
/// Moved to [`crate::yaml`]; re-exported for existing callers.
pub use crate::yaml::{locate, parse};
pub mod schema;
pub mod score;
pub mod spec;
pub mod template;
pub mod validate;

pub use answers::{Answer, AnswersFile, Response};
pub use bank::{load, LoadError, Loaded, BUILTIN};
pub use draw::{draw, learner_seed, Paper};
pub use spec::{Kind, QuestionSpec, QuizSpec};
pub use validate::{validate_quiz, validate_spec};

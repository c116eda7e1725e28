//! Labs: the YAML format, loading (built-in or from a path), per-learner variants, the world
//! a script starts in, the check helpers, grading and validation.
//!
//! The flow: [`course::load`] → [`grade::variant`] → [`world::build`] → the learner's script →
//! [`checks::run`] for every check → a [`crate::report::RunResult`].

pub mod checks;
pub mod course;
pub mod evidence;
pub mod explain;
pub mod fleet_helpers;
pub mod grade;
pub mod helpers;
pub mod hint_use;
pub mod mutants;
pub mod mutation;
pub mod params;
pub mod prove;
pub mod schema;
pub mod show;
pub mod spec;
pub mod validate;
pub mod world;

pub use course::{load, LoadError, Loaded, BUILTIN};
pub use grade::{grade, variant, Who};
pub use spec::LabSpec;

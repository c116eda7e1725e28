//! Strict YAML input shared by quizzes and labs: parsing with cargo-like diagnostics, and
//! finding where an item or key sits in the text (the parsed types keep no positions).

pub mod documents;
pub mod load;
pub mod locate;
pub mod parse;

pub use documents::component_document;
pub use load::LoadError;
pub use locate::Locator;
pub use parse::{parse_strict, yaml_error};

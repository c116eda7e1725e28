//! Analytics of a graded class (`amilab stats`): read `results.jsonl` files, compute item and
//! score statistics, and render them as text, JSON or one self-contained HTML page.
//!
//! One job per file: [`read`] parses and checks the input, [`statistics`] computes, [`text`],
//! [`json`] and [`html`] render.

pub mod html;
pub mod json;
pub mod read;
pub mod statistics;
pub mod text;

pub use read::{read_class, Class};
pub use statistics::{compute, ClassStats};

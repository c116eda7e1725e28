//! The simulated AWS cloud: pure Rust, deterministic, knows nothing of Rhai or YAML.

pub mod guest;

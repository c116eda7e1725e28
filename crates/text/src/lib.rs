//! How amilab reads what people type, one rule for every layer: `*`/`?` [`wildcard`]s (EC2
//! filter values, the guest shell's globs), did-you-mean suggestions ([`closest`]) for whatever
//! a person mistyped (API parameters and methods, YAML keys, lab and quiz ids, concept ids), and
//! serde's error messages [`classify`]'d (request parameters and content files alike).
//!
//! ```
//! assert!(amilab_text::wildcard("al2023-ami-*-x86_64", "al2023-ami-2023.6-x86_64"));
//! assert_eq!(amilab_text::closest("promt", ["id", "prompt", "points"]), Some("prompt"));
//! ```

#![warn(missing_docs)]

mod serde_error;
mod suggest;
mod wildcard;

pub use serde_error::{classify, Expected, Found, SerdeProblem};
pub use suggest::closest;
pub use wildcard::wildcard;

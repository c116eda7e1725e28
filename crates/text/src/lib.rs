//! How amilab reads what people type, one rule for every layer: `*`/`?` [`wildcard`]s (EC2
//! filter values, the guest shell's globs), did-you-mean suggestions ([`closest`]) for whatever
//! a person mistyped (API parameters and methods, YAML keys, lab and quiz ids, concept ids), and
//! serde's error messages [`classify`]'d (request parameters and content files alike); and the
//! few rules for how it words what it shows back: counts in the right number ([`plural`]) and
//! titles ended as sentences ([`sentence`]).
//!
//! ```
//! assert!(amilab_text::wildcard("al2023-ami-*-x86_64", "al2023-ami-2023.6-x86_64"));
//! assert_eq!(amilab_text::closest("promt", ["id", "prompt", "points"]), Some("prompt"));
//! assert_eq!(amilab_text::plural(1, "point", "points"), "1 point");
//! ```

#![warn(missing_docs)]

mod serde_error;
mod suggest;
mod wildcard;
mod words;
mod xml;

pub use serde_error::{classify, Expected, Found, SerdeProblem};
pub use suggest::closest;
pub use wildcard::wildcard;
pub use words::{noun, plural, sentence};
pub use xml::xml;

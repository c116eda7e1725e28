//! Pictures of the simulated cloud: the AMI lineage — instance → image → snapshots → copies in
//! other regions → instances launched from each — read from a [`Cloud`](amilab_cloud::Cloud)
//! into plain data ([`Lineage`]) and drawn as a Mermaid flowchart ([`mermaid::render`]) or a
//! self-contained SVG ([`svg::render`]).
//!
//! Depends on the simulation only: no script engine, YAML, command line or terminal crates.
//! Every output is deterministic: regions and ids are sorted, nothing reads the wall clock.

#![warn(missing_docs)]

pub mod lineage;
pub mod mermaid;
pub mod svg;

pub use lineage::Lineage;

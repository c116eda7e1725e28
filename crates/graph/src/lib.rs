//! Pictures of the simulated cloud: the AMI lineage — instance → image → snapshots → copies in
//! other regions → instances launched from each — read from a [`Cloud`](amilab_cloud::Cloud)
//! into plain data ([`Lineage`]) and drawn as a Mermaid flowchart ([`mermaid::render`]) or a
//! self-contained SVG ([`svg::render`]).
//!
//! Depends on the simulation only: no script engine, YAML, command line or terminal crates.
//! Every output is deterministic: regions and ids are sorted, nothing reads the wall clock.
//!
//! # Example
//!
//! ```
//! use amilab_cloud::{Caller, Cloud, WorldConfig, DEFAULT_ACCOUNT};
//! use amilab_graph::{mermaid, svg, Lineage};
//! use serde_json::json;
//!
//! let mut cloud = Cloud::new(WorldConfig::default());
//! // A fresh world holds only the public catalogue: nothing of the learner's to draw.
//! assert!(Lineage::of(&cloud).is_empty());
//!
//! let me = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
//! let filter = json!([{"name": "name", "values": ["al2023-ami-*-x86_64"]}]);
//! let found = cloud.call(&me, "ec2", "describe_images",
//!     json!({"owners": ["amazon"], "filters": filter}))?;
//! cloud.call(&me, "ec2", "run_instances", json!({"image_id": found["images"][0]["image_id"],
//!     "instance_type": "t3.micro", "min_count": 1, "max_count": 1}))?;
//!
//! let lineage = Lineage::of(&cloud);
//! let text = mermaid::render(&lineage);
//! assert!(text.starts_with("flowchart LR\n  subgraph region_us_east_1[\"us-east-1\"]\n"));
//! assert!(text.contains("-->|launched|"));
//! assert!(svg::render(&lineage).starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
//! # Ok::<(), amilab_cloud::CallError>(())
//! ```

#![warn(missing_docs)]

pub mod lineage;
pub mod mermaid;
pub mod svg;

pub use lineage::Lineage;

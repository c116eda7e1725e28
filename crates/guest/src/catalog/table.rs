//! The package table: every package per OS family, the base system of each OS, and the package
//! groups and topics package managers know. Generated at build time by `build.rs` from
//! `data/packages.toml` (the rules it must pass are in `data.rs`); edit the data file, not this.

use super::super::os::{OsFamily, OS_AL2, OS_AL2023, OS_LEGACY, OS_RHEL, OS_UBUNTU};
use super::{Channel, PackageSpec};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

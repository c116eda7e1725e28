//! World files: a whole [`Cloud`] saved as versioned JSON text, resumed exactly later.
//!
//! ```text
//! {
//!   "format": "amilab-world",
//!   "version": 1,
//!   "cloud": { "clock": …, "ids": …, "schedule": …, "regions": { "us-east-1": …, … }, … }
//! }
//! ```
//!
//! The `cloud` member holds everything later answers depend on: the clock, the id generator's
//! position, the scheduled transitions, every region's resources (instances with their guest
//! systems, images with captured guests, volumes, snapshots, …), KMS, SSM, Auto Scaling, Image
//! Builder, the billing ledger, the quotas and the accounts, and the current run's trail and
//! API-call count. Maps are written in key order and maps whose keys are not strings are written
//! as lists of `[key, value]` pairs, so the same cloud always gives the same text.
//!
//! One thing is not data and is not saved: the component document parser
//! ([`WorldConfig::component_document_parser`](crate::WorldConfig::component_document_parser)), a
//! function the embedding application injects. [`Cloud::load_world`] takes it again.
//!
//! The text's shape inside `cloud` follows the simulation's own types and may change between
//! amilab versions: [`WORLD_VERSION`] is raised whenever an older file would no longer load
//! as it was saved; a file of a newer version is refused ([`WorldFileError::Newer`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::imagebuilder::DocumentParser;
use crate::Cloud;

/// The `format` member of every world file.
pub const WORLD_FORMAT: &str = "amilab-world";

/// The version of the world files this build writes, and the newest it reads.
pub const WORLD_VERSION: u64 = 1;

/// Why a world file could not be loaded. Each message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum WorldFileError {
    /// The text is not JSON at all (`line` and `column` are 1-based, from serde_json).
    #[error("not a world file: the text is not JSON ({message} at line {line}, column {column})")]
    NotJson {
        /// serde_json's description of the problem.
        message: String,
        /// The line of the problem, from 1.
        line: usize,
        /// The column of the problem, from 1.
        column: usize,
    },
    /// JSON, but not the envelope `{"format": "amilab-world", "version": N, "cloud": {…}}`.
    #[error("not an amilab world file: {0}")]
    NotAWorld(String),
    /// Written by a newer amilab, whose format this build does not know.
    #[error(
        "this world file is version {found}, made by a newer amilab (this one reads up to version {supported}): upgrade amilab to use it"
    )]
    Newer {
        /// The file's version.
        found: u64,
        /// [`WORLD_VERSION`].
        supported: u64,
    },
    /// An amilab world of a known version whose `cloud` does not describe a valid cloud (a
    /// missing member, a value of the wrong type, an unknown region or key spec, …). `path`
    /// is where in `cloud` the problem is (`regions.us-east-1.instances`).
    #[error("invalid world file: {message} (at cloud.{path})")]
    Invalid {
        /// What is wrong.
        message: String,
        /// The JSON path of the problem under `cloud`.
        path: String,
    },
}

/// The envelope, written with the cloud borrowed.
#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    cloud: &'a Cloud,
}

/// The envelope as read: `cloud` is parsed only once the version is known.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope {
    format: String,
    version: u64,
    cloud: Value,
}

impl Cloud {
    /// The whole cloud as world-file text (JSON, pretty-printed, ending in a newline): the
    /// envelope `{"format": "amilab-world", "version": 1, "cloud": {…}}` described in
    /// [`crate::world`]. The same cloud always gives the same text, and
    /// [`Cloud::load_world`] of it answers every later call as this cloud would.
    pub fn save_world(&self) -> String {
        let envelope = Envelope {
            format: WORLD_FORMAT,
            version: WORLD_VERSION,
            cloud: self,
        };
        // Every map key is a string and no value is a float: serialising cannot fail.
        let mut text =
            serde_json::to_string_pretty(&envelope).expect("a cloud always serialises to JSON");
        text.push('\n');
        text
    }

    /// Reads a world file written by [`Cloud::save_world`] (of this version or an older one).
    /// The component document parser is not in the file: pass the one the application gives
    /// every cloud ([`WorldConfig::component_document_parser`](crate::WorldConfig)), or `None`.
    ///
    /// # Errors
    /// [`WorldFileError::NotJson`] (with line and column), [`WorldFileError::NotAWorld`],
    /// [`WorldFileError::Newer`] or [`WorldFileError::Invalid`].
    pub fn load_world(
        text: &str,
        document_parser: Option<DocumentParser>,
    ) -> Result<Cloud, WorldFileError> {
        let value: Value = serde_json::from_str(text).map_err(|e| WorldFileError::NotJson {
            message: strip_position(&e.to_string()),
            line: e.line(),
            column: e.column(),
        })?;
        let format = value.get("format").and_then(Value::as_str);
        if format != Some(WORLD_FORMAT) {
            return Err(WorldFileError::NotAWorld(match format {
                Some(other) => format!("its format is `{other}`, not `{WORLD_FORMAT}`"),
                None => format!("it has no \"format\": \"{WORLD_FORMAT}\" member"),
            }));
        }
        let raw: RawEnvelope =
            serde_json::from_value(value).map_err(|e| WorldFileError::NotAWorld(e.to_string()))?;
        debug_assert_eq!(raw.format, WORLD_FORMAT);
        if raw.version > WORLD_VERSION {
            return Err(WorldFileError::Newer {
                found: raw.version,
                supported: WORLD_VERSION,
            });
        }
        if raw.version == 0 {
            return Err(WorldFileError::NotAWorld(
                "its version is 0; versions start at 1".to_string(),
            ));
        }
        let mut cloud: Cloud =
            serde_path_to_error::deserialize(raw.cloud).map_err(|e| WorldFileError::Invalid {
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            })?;
        cloud.document_parser = document_parser;
        Ok(cloud)
    }
}

/// serde_json's message without its trailing " at line L column C" (given separately).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// Reads a name back as the matching `&'static str` of a closed list.
fn one_of<'de, D: serde::Deserializer<'de>>(
    d: D,
    what: &str,
    known: impl IntoIterator<Item = &'static str> + Clone,
) -> Result<&'static str, D::Error> {
    use serde::de::Error;
    let name = String::deserialize(d)?;
    known
        .clone()
        .into_iter()
        .find(|k| *k == name)
        .ok_or_else(|| {
            let all: Vec<&str> = known.into_iter().collect();
            D::Error::custom(format!(
                "unknown {what} `{name}`; expected one of {}",
                all.join(", ")
            ))
        })
}

/// A name from a static table. Fields of this type are spelt through the alias so that serde's
/// derive does not take them for strings borrowed from the input.
pub(crate) type StaticStr = &'static str;

/// `#[serde(with)]` helpers for the simulation's references into its static catalogues: each
/// is saved as its name and read back as the catalogue's entry.
pub(crate) mod statics {
    use serde::{Deserializer, Serializer};

    use crate::catalog::{RegionInfo, REGIONS};
    use crate::kms::key_spec::{KeySpec, KEY_SPECS};

    /// A region's catalogue entry, by name.
    pub(crate) mod region_info {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            info: &&'static RegionInfo,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            s.serialize_str(info.name)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<&'static RegionInfo, D::Error> {
            let name = super::super::one_of(d, "region", REGIONS.iter().map(|r| r.name))?;
            Ok(REGIONS
                .iter()
                .find(|r| r.name == name)
                .expect("the name was found"))
        }
    }

    /// A KMS key spec, by name (`SYMMETRIC_DEFAULT`).
    pub(crate) mod key_spec {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            spec: &&'static KeySpec,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            s.serialize_str(spec.name)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<&'static KeySpec, D::Error> {
            let name = super::super::one_of(d, "key spec", KEY_SPECS.iter().map(|k| k.name))?;
            Ok(KEY_SPECS
                .iter()
                .find(|k| k.name == name)
                .expect("the name was found"))
        }
    }

    /// An Auto Scaling activity's status.
    pub(crate) fn activity_status<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<&'static str, D::Error> {
        super::one_of(d, "activity status", ["InProgress", "Successful", "Failed"])
    }

    /// A KMS key manager: `AWS` or `CUSTOMER`.
    pub(crate) fn key_manager<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        super::one_of(d, "key manager", ["AWS", "CUSTOMER"])
    }

    /// A KMS key usage, one some key spec allows (`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, …).
    pub(crate) fn key_usage<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        super::one_of(
            d,
            "key usage",
            KEY_SPECS.iter().flat_map(|k| k.usages.iter().copied()),
        )
    }
}

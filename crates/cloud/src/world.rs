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
use serde_json::error::Category;
use serde_json::value::RawValue;
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
    #[error("invalid world file: {message} at line {line}, column {column} (cloud.{path})")]
    Invalid {
        /// What is wrong.
        message: String,
        /// The JSON path of the problem under `cloud`.
        path: String,
        /// The line of the problem in the file, from 1.
        line: usize,
        /// The column of the problem, from 1.
        column: usize,
    },
}

/// The envelope, written with the cloud borrowed.
#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    cloud: &'a Cloud,
}

/// The envelope's identification, read first (other members are skipped) so that a newer
/// version is recognised whatever else it holds.
#[derive(Deserialize)]
struct Head {
    format: Option<Value>,
    version: Option<Value>,
}

/// The envelope as read: `cloud` is parsed from its own text once the version is known.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope<'a> {
    #[allow(dead_code)]
    format: serde::de::IgnoredAny,
    #[allow(dead_code)]
    version: serde::de::IgnoredAny,
    #[serde(borrow)]
    cloud: &'a RawValue,
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
        let not_json = |e: serde_json::Error| WorldFileError::NotJson {
            message: strip_position(&e.to_string()),
            line: e.line(),
            column: e.column(),
        };
        let head: Head = serde_json::from_str(text).map_err(|e| match e.classify() {
            Category::Data => WorldFileError::NotAWorld(format!(
                "it is not a JSON object with \"format\": \"{WORLD_FORMAT}\" ({})",
                strip_position(&e.to_string())
            )),
            _ => not_json(e),
        })?;
        match head.format.as_ref().and_then(Value::as_str) {
            Some(WORLD_FORMAT) => {}
            Some(other) => {
                return Err(WorldFileError::NotAWorld(format!(
                    "its format is `{other}`, not `{WORLD_FORMAT}`"
                )))
            }
            None => {
                return Err(WorldFileError::NotAWorld(format!(
                    "it has no \"format\": \"{WORLD_FORMAT}\" member"
                )))
            }
        }
        let version = match head.version.as_ref().and_then(Value::as_u64) {
            Some(v) if v >= 1 => v,
            _ => {
                return Err(WorldFileError::NotAWorld(
                    "it has no \"version\" (a whole number from 1)".to_string(),
                ))
            }
        };
        if version > WORLD_VERSION {
            return Err(WorldFileError::Newer {
                found: version,
                supported: WORLD_VERSION,
            });
        }
        let raw: RawEnvelope = serde_json::from_str(text)
            .map_err(|e| WorldFileError::NotAWorld(strip_position(&e.to_string())))?;
        // Positions in the cloud's own text, moved to the whole file's.
        let start = raw.cloud.get().as_ptr() as usize - text.as_ptr() as usize;
        let before = &text[..start];
        let (line0, col0) = (
            before.matches('\n').count(),
            before.len() - before.rfind('\n').map_or(0, |n| n + 1),
        );
        let mut de = serde_json::Deserializer::from_str(raw.cloud.get());
        let mut cloud: Cloud = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = match inner.line() {
                1 => (line0 + 1, col0 + inner.column()),
                l => (line0 + l, inner.column()),
            };
            WorldFileError::Invalid {
                path,
                message: strip_position(&inner.to_string()),
                line,
                column,
            }
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

    /// The enabled regions. A region the world never changed is still the process's shared
    /// pristine copy (public catalogue only): it is written as the string `"pristine"` and read
    /// back as that shared copy; any other region is written in full.
    pub(crate) mod regions {
        use std::collections::BTreeMap;
        use std::fmt;
        use std::sync::Arc;

        use serde::de::{self, MapAccess, Visitor};
        use serde::ser::SerializeMap;
        use serde::{Deserialize, Serialize};

        use super::*;
        use crate::ec2::RegionState;

        /// How an untouched region is written.
        pub(crate) const PRISTINE: &str = "pristine";

        /// One region as written: `"pristine"` or its whole state.
        struct Entry<'a>(&'a Arc<RegionState>);

        impl Serialize for Entry<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if Arc::ptr_eq(self.0, &RegionState::pristine(self.0.info)) {
                    s.serialize_str(PRISTINE)
                } else {
                    self.0.serialize(s)
                }
            }
        }

        pub(crate) fn serialize<S: Serializer>(
            regions: &BTreeMap<String, Arc<RegionState>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(regions.len()))?;
            for (name, state) in regions {
                map.serialize_entry(name, &Entry(state))?;
            }
            map.end()
        }

        /// A region as read: the pristine copy of the region its key names, or a state.
        enum Read {
            Pristine,
            State(Arc<RegionState>),
        }

        impl<'de> Deserialize<'de> for Read {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Read, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Read;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        write!(f, "\"{PRISTINE}\" or a region's state")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Read, E> {
                        if v == PRISTINE {
                            Ok(Read::Pristine)
                        } else {
                            Err(E::invalid_value(de::Unexpected::Str(v), &self))
                        }
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Read, A::Error> {
                        RegionState::deserialize(de::value::MapAccessDeserializer::new(map))
                            .map(|state| Read::State(Arc::new(state)))
                    }
                }
                d.deserialize_any(V)
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<BTreeMap<String, Arc<RegionState>>, D::Error> {
            let read = BTreeMap::<String, Read>::deserialize(d)?;
            let mut regions = BTreeMap::new();
            for (name, region) in read {
                let state = match region {
                    Read::Pristine => {
                        let info = REGIONS
                            .iter()
                            .find(|r| r.name == name)
                            .ok_or_else(|| de::Error::custom(format!("unknown region `{name}`")))?;
                        RegionState::pristine(info)
                    }
                    Read::State(state) if state.info.name == name => state,
                    Read::State(state) => {
                        return Err(de::Error::custom(format!(
                            "the region under `{name}` is `{}`",
                            state.info.name
                        )))
                    }
                };
                regions.insert(name, state);
            }
            Ok(regions)
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

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use std::sync::Arc;

    use super::*;
    use crate::clock::durations;
    use crate::ec2::RegionState;
    use crate::{Caller, WorldConfig, DEFAULT_ACCOUNT};

    fn me() -> Caller {
        Caller::new(DEFAULT_ACCOUNT, "us-east-1")
    }

    fn call(cloud: &mut Cloud, service: &str, method: &str, input: Value) -> Value {
        cloud
            .call(&me(), service, method, input)
            .unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    fn id(v: &Value, key: &str) -> String {
        v[key].as_str().unwrap_or_default().to_string()
    }

    /// A cloud with a bit of everything: an instance whose user data wrote files, an image of
    /// it (with its snapshot still pending), a KMS key with an alias, an encrypted volume and
    /// its snapshot, a launch template, an Auto Scaling group launching, an SSM command, and
    /// transitions still scheduled.
    fn busy() -> (Cloud, String) {
        let mut cloud = Cloud::new(WorldConfig {
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            seed: 7,
            ..WorldConfig::default()
        });
        let found = call(
            &mut cloud,
            "ec2",
            "describe_images",
            json!({"owners": ["amazon"], "filters": [{"name": "name", "values": ["al2023-ami-*-x86_64"]}]}),
        );
        let ami = id(&found["images"][0], "image_id");
        let run = call(
            &mut cloud,
            "ec2",
            "run_instances",
            json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1,
                "user_data": "#!/bin/bash\necho 'hello from user data' > /etc/motd\nmkdir -p /srv/app\necho v1 > /srv/app/VERSION\nsync"}),
        );
        let instance = id(&run["instances"][0], "instance_id");
        cloud.advance(durations::EBS_BOOT);
        call(
            &mut cloud,
            "ec2",
            "create_image",
            json!({"instance_id": instance, "name": "web-v1", "no_reboot": true}),
        );
        let key = call(
            &mut cloud,
            "kms",
            "create_key",
            json!({"description": "data"}),
        );
        let key = id(&key["key_metadata"], "key_id");
        call(
            &mut cloud,
            "kms",
            "create_alias",
            json!({"alias_name": "alias/data", "target_key_id": key}),
        );
        let volume = call(
            &mut cloud,
            "ec2",
            "create_volume",
            json!({"availability_zone": "us-east-1a", "size": 8, "encrypted": true, "kms_key_id": key}),
        );
        cloud.advance(30);
        call(
            &mut cloud,
            "ec2",
            "create_snapshot",
            json!({"volume_id": id(&volume, "volume_id")}),
        );
        call(
            &mut cloud,
            "ec2",
            "create_launch_template",
            json!({"launch_template_name": "web", "launch_template_data": {"image_id": ami, "instance_type": "t3.micro"}}),
        );
        call(
            &mut cloud,
            "autoscaling",
            "create_auto_scaling_group",
            json!({"auto_scaling_group_name": "web", "launch_template": {"launch_template_name": "web"},
                "min_size": 2, "max_size": 4, "availability_zones": ["us-east-1a", "us-east-1b"]}),
        );
        call(
            &mut cloud,
            "ssm",
            "send_command",
            json!({"instance_ids": [instance], "document_name": "AWS-RunShellScript",
                "parameters": {"commands": ["echo buffered >> /srv/app/log"]}}),
        );
        cloud.advance(5);
        (cloud, instance)
    }

    /// What happens next, as answers: time passes, the instance's files are read through SSM,
    /// new resources get ids, and every listing is taken.
    fn future(cloud: &mut Cloud, instance: &str) -> Vec<Value> {
        let mut out = Vec::new();
        cloud.advance(600);
        let sent = call(
            cloud,
            "ssm",
            "send_command",
            json!({"instance_ids": [instance], "document_name": "AWS-RunShellScript",
                "parameters": {"commands": ["cat /etc/motd /srv/app/VERSION /srv/app/log"]}}),
        );
        cloud.advance(5);
        out.push(call(
            cloud,
            "ssm",
            "get_command_invocation",
            json!({"command_id": id(&sent["command"], "command_id"), "instance_id": instance}),
        ));
        out.push(call(
            cloud,
            "ec2",
            "describe_images",
            json!({"owners": ["self"]}),
        ));
        out.push(call(cloud, "ec2", "describe_instances", json!({})));
        out.push(call(
            cloud,
            "ec2",
            "describe_snapshots",
            json!({"owner_ids": ["self"]}),
        ));
        out.push(call(cloud, "ec2", "describe_volumes", json!({})));
        out.push(call(cloud, "kms", "list_aliases", json!({})));
        out.push(call(
            cloud,
            "autoscaling",
            "describe_auto_scaling_groups",
            json!({}),
        ));
        out.push(call(
            cloud,
            "ec2",
            "create_key_pair",
            json!({"key_name": "after"}),
        ));
        out.push(serde_json::to_value(cloud.trail()).unwrap());
        out
    }

    #[test]
    fn image_builder_client_tokens_round_trip() {
        // Every Image Builder create records its client token under a four-part key: the map
        // once failed to save ("key must be a string"), with the AWS CLI, which always sends a
        // token.
        let mut cloud = Cloud::default();
        call(
            &mut cloud,
            "imagebuilder",
            "create_infrastructure_configuration",
            json!({"name": "infra", "instance_profile_name": "EC2InstanceProfileForImageBuilder",
                "client_token": "token-1"}),
        );
        let text = cloud.save_world();
        let loaded = Cloud::load_world(&text, None).unwrap();
        assert_eq!(loaded.state_digest(), cloud.state_digest());
        assert_eq!(loaded.save_world(), text);
        // Files saved before the tokens were written as pairs hold an empty map: they load.
        let old = Cloud::default().save_world();
        assert!(old.contains("\"tokens\": []"));
        let old = old.replace("\"tokens\": []", "\"tokens\": {}");
        assert_eq!(
            Cloud::load_world(&old, None).unwrap().state_digest(),
            Cloud::default().state_digest()
        );
    }

    #[test]
    fn untouched_regions_are_written_as_pristine() {
        let (cloud, _) = busy();
        let text = cloud.save_world();
        assert!(text.contains("\"eu-west-1\": \"pristine\""), "never called");
        assert!(!text.contains("\"us-east-1\": \"pristine\""), "changed");
        let loaded = Cloud::load_world(&text, None).unwrap();
        let shared = |c: &Cloud, name: &str| {
            Arc::ptr_eq(
                &c.regions[name],
                &RegionState::pristine(c.regions[name].info),
            )
        };
        assert!(shared(&loaded, "eu-west-1"), "read back as the shared copy");
        assert!(!shared(&loaded, "us-east-1"));
        assert!(Cloud::default().save_world().len() < 4_000);
    }

    #[test]
    fn a_busy_world_round_trips() {
        let (cloud, instance) = busy();
        assert!(
            !cloud.schedule.is_empty(),
            "transitions are still scheduled"
        );
        let text = cloud.save_world();
        assert!(text.starts_with("{\n  \"format\": \"amilab-world\",\n  \"version\": 1,"));
        assert!(
            text.contains("hello from user data"),
            "the guest's files are saved"
        );
        let loaded = Cloud::load_world(&text, None).unwrap();
        assert_eq!(loaded.state_digest(), cloud.state_digest());
        assert_eq!(loaded.trail(), cloud.trail());
        assert_eq!(
            loaded.save_world(),
            text,
            "saving again gives the same text"
        );
        let (mut a, mut b) = (cloud, loaded);
        let (straight, resumed) = (future(&mut a, &instance), future(&mut b, &instance));
        assert_eq!(straight, resumed);
        assert!(straight[0]["standard_output_content"]
            .as_str()
            .unwrap()
            .contains("hello from user data\nv1\n"));
        assert_eq!(a.save_world(), b.save_world());
    }

    #[test]
    fn the_parser_hook_is_taken_again() {
        fn parser(_: &str) -> Result<Value, String> {
            Ok(json!({}))
        }
        let text = Cloud::default().save_world();
        assert!(Cloud::load_world(&text, None)
            .unwrap()
            .document_parser
            .is_none());
        let loaded = Cloud::load_world(&text, Some(parser)).unwrap();
        assert!(loaded.document_parser.is_some());
    }

    /// Why `text` does not load (a cloud is too big to print when it loads after all).
    fn refusal(text: &str) -> WorldFileError {
        match Cloud::load_world(text, None) {
            Ok(_) => panic!("the text loads"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_newer_version_is_refused() {
        let text = Cloud::default()
            .save_world()
            .replacen("\"version\": 1,", "\"version\": 2,", 1);
        let err = refusal(&text);
        assert!(
            matches!(
                err,
                WorldFileError::Newer {
                    found: 2,
                    supported: 1
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("newer amilab"), "{err}");
        assert!(err.to_string().contains("upgrade"), "{err}");
    }

    #[test]
    fn corrupt_text_is_refused_with_its_line_and_column() {
        let saved = Cloud::default().save_world();
        let mut text: String = saved.lines().take(3).map(|l| format!("{l}\n")).collect();
        text.push_str("  ???\n");
        let err = refusal(&text);
        let lines = 4;
        match &err {
            WorldFileError::NotJson { line, column, .. } => {
                assert_eq!((*line, *column), (lines, 3), "{err}");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().contains(&format!("line {lines}, column 3")),
            "{err}"
        );
    }

    #[test]
    fn other_json_is_not_a_world() {
        for text in [
            "[]",
            "{\"format\": \"something-else\", \"version\": 1, \"cloud\": {}}",
            "{\"version\": 1}",
            "{\"format\": \"amilab-world\", \"cloud\": {}}",
        ] {
            let err = refusal(text);
            assert!(
                matches!(err, WorldFileError::NotAWorld(_)),
                "{text}: {err:?}"
            );
        }
    }

    #[test]
    fn an_invalid_cloud_is_refused_with_where() {
        let text = busy().0.save_world().replacen(
            "\"info\": \"us-east-1\"",
            "\"info\": \"mars-north-1\"",
            1,
        );
        let err = refusal(&text);
        let WorldFileError::Invalid {
            message,
            path,
            line,
            ..
        } = &err
        else {
            panic!("{err:?}");
        };
        assert!(message.contains("unknown region `mars-north-1`"), "{err}");
        assert!(path.starts_with("regions.us-east-1"), "{err}");
        let text = busy().0.save_world();
        let at = text.find("\"info\": \"us-east-1\"").unwrap();
        assert_eq!(*line, text[..at].matches('\n').count() + 1, "{err}");
        let text = Cloud::default()
            .save_world()
            .replacen("\"seq\":", "\"seq_renamed\":", 1);
        assert!(matches!(refusal(&text), WorldFileError::Invalid { .. }));
        let text = Cloud::default().save_world().replacen(
            "\"ap-south-1\": \"pristine\"",
            "\"mars-north-1\": \"pristine\"",
            1,
        );
        let err = refusal(&text);
        assert!(
            err.to_string().contains("unknown region `mars-north-1`"),
            "{err}"
        );
        let text = Cloud::default().save_world().replacen(
            "\"ap-south-1\": \"pristine\"",
            "\"ap-south-1\": \"pristin\"",
            1,
        );
        assert!(matches!(
            Cloud::load_world(&text, None),
            Err(WorldFileError::Invalid { .. })
        ));
    }
}

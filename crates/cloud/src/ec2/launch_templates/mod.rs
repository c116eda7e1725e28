//! Launch templates: versioned launch parameters (CreateLaunchTemplate, its versions, the default
//! version, describe and delete), RunInstances from a template, and GetLaunchTemplateData, the
//! API behind the console's "create template from instance" (EC2-BEHAVIOUR.md, Launch templates).
//!
//! Sources: the EC2 API reference (CreateLaunchTemplate, CreateLaunchTemplateVersion,
//! ModifyLaunchTemplate, DescribeLaunchTemplates, DescribeLaunchTemplateVersions,
//! DeleteLaunchTemplate, DeleteLaunchTemplateVersions, GetLaunchTemplateData, and
//! `LaunchTemplateSpecification` in RunInstances) and the EC2 User Guide, "Store instance launch
//! parameters in Amazon EC2 launch templates".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::filters::{self, bool_str, Filterable, Matcher, Sink};
use super::instances::{
    IamInstanceProfileInput, MetadataOptionsInput, MonitoringInput, PlacementInput,
    RunInstancesInput,
};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::BlockDeviceMappingRequest;
use crate::clock::iso8601;
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};

mod queries;
mod run;
mod shapes;
mod versions;

pub use shapes::*;

/// The longest version description, in characters (the model's `VersionDescription`).
const MAX_DESCRIPTION: usize = 255;
/// At most this many versions in one DeleteLaunchTemplateVersions request.
const MAX_VERSIONS_PER_DELETE: usize = 200;

/// The launch parameters a template version holds (the simulated part of EC2's
/// `RequestLaunchTemplateData`; the other members are declared not simulated). Every member is
/// optional: RunInstances takes what the version leaves out from the request or EC2's defaults.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateData {
    /// Whether the instance is EBS-optimized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ebs_optimized: Option<bool>,
    /// The IAM instance profile (`{arn}` or `{name}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile: Option<IamInstanceProfileInput>,
    /// Block device mappings, as in RunInstances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_device_mappings: Option<Vec<BlockDeviceMappingRequest>>,
    /// The AMI (`ami-…`); not checked until a launch uses it, as in EC2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The instance type (`t3.micro`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// The key pair's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    /// `{enabled}`: detailed monitoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<MonitoringInput>,
    /// `{availability_zone}` or `{availability_zone_id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<PlacementInput>,
    /// `true` to refuse TerminateInstances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_termination: Option<bool>,
    /// `stop` or `terminate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_initiated_shutdown_behavior: Option<String>,
    /// The user data, **base64-encoded by the caller**: boto3 encodes it only for RunInstances,
    /// and EC2 refuses text that is not base64 here (`InvalidUserData.Malformed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
    /// Tags for the instances (`instance`) and volumes (`volume`) launched from the version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Vec<TagSpecification>>,
    /// Security groups by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_ids: Option<Vec<String>>,
    /// Security groups by name (default VPC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    /// Instance metadata options (`{http_tokens: "required"}` for IMDSv2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_options: Option<MetadataOptionsInput>,
    /// `true` to refuse StopInstances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_stop: Option<bool>,
}

impl LaunchTemplateData {
    /// `self` with every member `over` sets replacing its own (CreateLaunchTemplateVersion's
    /// `source_version` inheritance: "parameters that you specify override").
    fn overridden_by(&self, over: &LaunchTemplateData) -> LaunchTemplateData {
        fn pick<T: Clone>(over: &Option<T>, base: &Option<T>) -> Option<T> {
            over.clone().or_else(|| base.clone())
        }
        LaunchTemplateData {
            ebs_optimized: pick(&over.ebs_optimized, &self.ebs_optimized),
            iam_instance_profile: pick(&over.iam_instance_profile, &self.iam_instance_profile),
            block_device_mappings: pick(&over.block_device_mappings, &self.block_device_mappings),
            image_id: pick(&over.image_id, &self.image_id),
            instance_type: pick(&over.instance_type, &self.instance_type),
            key_name: pick(&over.key_name, &self.key_name),
            monitoring: pick(&over.monitoring, &self.monitoring),
            placement: pick(&over.placement, &self.placement),
            disable_api_termination: pick(
                &over.disable_api_termination,
                &self.disable_api_termination,
            ),
            instance_initiated_shutdown_behavior: pick(
                &over.instance_initiated_shutdown_behavior,
                &self.instance_initiated_shutdown_behavior,
            ),
            user_data: pick(&over.user_data, &self.user_data),
            tag_specifications: pick(&over.tag_specifications, &self.tag_specifications),
            security_group_ids: pick(&over.security_group_ids, &self.security_group_ids),
            security_groups: pick(&over.security_groups, &self.security_groups),
            metadata_options: pick(&over.metadata_options, &self.metadata_options),
            disable_api_stop: pick(&over.disable_api_stop, &self.disable_api_stop),
        }
    }

    /// What EC2 checks when a version is stored: the user data is base64, the tag
    /// specifications name `instance` or `volume` with valid tags, the shutdown behaviour is
    /// `stop` or `terminate`. The rest (image, type, key, groups) is checked at launch.
    ///
    /// Errors: `InvalidUserData.Malformed`; `InvalidParameterValue`; `TagLimitExceeded`.
    fn validate(&self) -> AwsResult<()> {
        if let Some(data) = &self.user_data {
            decode_user_data(data)?;
        }
        if let Some(specs) = &self.tag_specifications {
            tags_for(specs, &["instance", "volume"], "instance")?;
            tags_for(specs, &["instance", "volume"], "volume")?;
        }
        if let Some(b) = &self.instance_initiated_shutdown_behavior {
            if !["stop", "terminate"].contains(&b.as_str()) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({b}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate"
                )));
            }
        }
        Ok(())
    }

    /// The data as EC2 answers it (`ResponseLaunchTemplateData`): members left unset are absent.
    fn response(&self) -> Value {
        without_nulls(serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

/// The text of base64 user data.
///
/// Errors: `InvalidUserData.Malformed` "Invalid BASE64 encoding of user data." (EC2's answer for
/// user data that does not decode).
fn decode_user_data(data: &str) -> AwsResult<String> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            AwsError::new(
                "InvalidUserData.Malformed",
                "Invalid BASE64 encoding of user data.",
            )
        })
}

/// User data as EC2 returns it: base64.
fn encode_user_data(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A JSON value with every null member of every object removed: boto3 omits what EC2 leaves out.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// One version of a launch template. Versions never change once made: a change is a new version.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LaunchTemplateVersion {
    /// 1, 2, 3… in creation order; a deleted number is never reused.
    pub number: u64,
    /// The version's description, if given.
    pub description: Option<String>,
    /// When it was made, in seconds since the Unix epoch.
    pub create_time: u64,
    /// Its launch parameters.
    pub data: LaunchTemplateData,
}

/// A launch template, in one region, of one account.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LaunchTemplate {
    /// `lt-` and 17 hex digits.
    pub id: String,
    /// Unique per account and region: 3–128 of `a-z A-Z 0-9 ( ) . - / _`.
    pub name: String,
    /// The owning account.
    pub owner_id: String,
    /// When it was made, in seconds since the Unix epoch.
    pub create_time: u64,
    /// The version RunInstances uses when none is named (`$Default`).
    pub default_version: u64,
    /// The highest number ever given to a version (the next one is this plus one).
    pub last_number: u64,
    /// The versions that exist, by number.
    pub versions: BTreeMap<u64, LaunchTemplateVersion>,
    /// Its tags.
    pub tags: Tags,
}

impl LaunchTemplate {
    /// The highest existing version number (`$Latest`).
    pub fn latest_version(&self) -> u64 {
        self.versions
            .keys()
            .next_back()
            .copied()
            .unwrap_or(self.default_version)
    }

    /// The version a request names: `$Latest`, `$Default`, or a number; absent is `$Default`.
    ///
    /// Errors: `InvalidLaunchTemplateId.VersionNotFound` for a version that does not exist (or
    /// is neither a number nor `$Latest` / `$Default`).
    pub fn resolve(&self, version: Option<&str>) -> AwsResult<&LaunchTemplateVersion> {
        let number = match version.map(str::trim) {
            None | Some("$Default") => Some(self.default_version),
            Some("$Latest") => Some(self.latest_version()),
            Some(n) => n.parse::<u64>().ok(),
        };
        number
            .and_then(|n| self.versions.get(&n))
            .ok_or_else(|| version_not_found(&self.id, version.unwrap_or("$Default")))
    }

    fn shape(&self) -> LaunchTemplateShape {
        LaunchTemplateShape {
            launch_template_id: self.id.clone(),
            launch_template_name: self.name.clone(),
            create_time: iso8601(self.create_time),
            created_by: created_by(&self.owner_id),
            default_version_number: self.default_version,
            latest_version_number: self.latest_version(),
            tags: self.tags.to_list(),
        }
    }

    fn version_shape(&self, v: &LaunchTemplateVersion) -> LaunchTemplateVersionShape {
        LaunchTemplateVersionShape {
            launch_template_id: self.id.clone(),
            launch_template_name: self.name.clone(),
            version_number: v.number,
            version_description: v.description.clone(),
            create_time: iso8601(v.create_time),
            created_by: created_by(&self.owner_id),
            default_version: v.number == self.default_version,
            launch_template_data: v.data.response(),
        }
    }
}

/// `arn:aws:iam::<account>:root`: who made a template (the simulation has no IAM users).
fn created_by(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

fn version_not_found(id: &str, version: &str) -> AwsError {
    AwsError::new(
        "InvalidLaunchTemplateId.VersionNotFound",
        format!(
            "Could not find launch template version {version} for launch template with ID {id}."
        ),
    )
}

impl Filterable for LaunchTemplate {
    const FILTER_NAMES: &'static [&'static str] = &["create-time", "launch-template-name"];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "create-time" => out.push(iso8601(self.create_time)),
            "launch-template-name" => out.push(self.name.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

fn id_not_found(id: &str) -> AwsError {
    AwsError::new(
        "InvalidLaunchTemplateId.NotFound",
        format!("The specified launch template, with template ID {id}, does not exist."),
    )
}

fn name_not_found(name: &str) -> AwsError {
    AwsError::new(
        "InvalidLaunchTemplateName.NotFoundException",
        format!("The specified launch template, with template name {name}, does not exist."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_models_pattern() {
        assert!(check_name("web-(v1)/a_b.c").is_ok());
        for bad in ["ab", "has space", "é-name", &"x".repeat(129)] {
            assert_eq!(
                check_name(bad).unwrap_err().code,
                "InvalidLaunchTemplateName.MalformedException"
            );
        }
    }

    #[test]
    fn given_members_override_the_source_version() {
        let base = LaunchTemplateData {
            image_id: Some("ami-1".into()),
            instance_type: Some("t3.micro".into()),
            ..Default::default()
        };
        let over = LaunchTemplateData {
            instance_type: Some("t3.small".into()),
            ..Default::default()
        };
        let merged = base.overridden_by(&over);
        assert_eq!(merged.image_id.as_deref(), Some("ami-1"));
        assert_eq!(merged.instance_type.as_deref(), Some("t3.small"));
    }

    #[test]
    fn responses_leave_unset_members_out() {
        let data = LaunchTemplateData {
            metadata_options: Some(MetadataOptionsInput {
                http_tokens: Some("required".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            data.response(),
            serde_json::json!({"metadata_options": {"http_tokens": "required"}})
        );
        assert_eq!(
            decode_user_data("not base64!").unwrap_err().code,
            "InvalidUserData.Malformed"
        );
    }
}

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

/// The longest version description, in characters (the model's `VersionDescription`).
const MAX_DESCRIPTION: usize = 255;
/// At most this many versions in one DeleteLaunchTemplateVersions request.
const MAX_VERSIONS_PER_DELETE: usize = 200;

/// The launch parameters a template version holds (the simulated part of EC2's
/// `RequestLaunchTemplateData`; the other members are declared not simulated). Every member is
/// optional: RunInstances takes what the version leaves out from the request or EC2's defaults.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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

/// A launch template as EC2 answers it (`LaunchTemplate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateShape {
    /// `lt-…`.
    pub launch_template_id: String,
    /// Its name.
    pub launch_template_name: String,
    /// ISO-8601.
    pub create_time: String,
    /// `arn:aws:iam::<account>:root`.
    pub created_by: String,
    /// The default version's number.
    pub default_version_number: u64,
    /// The latest version's number.
    pub latest_version_number: u64,
    /// Its tags; absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// A launch template version as EC2 answers it (`LaunchTemplateVersion`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateVersionShape {
    /// The template's id.
    pub launch_template_id: String,
    /// The template's name.
    pub launch_template_name: String,
    /// The version's number.
    pub version_number: u64,
    /// Its description; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
    /// ISO-8601.
    pub create_time: String,
    /// `arn:aws:iam::<account>:root`.
    pub created_by: String,
    /// Whether it is the template's default version.
    pub default_version: bool,
    /// Its launch parameters (`ResponseLaunchTemplateData`; unset members absent).
    pub launch_template_data: Value,
}

/// `launch_template` in RunInstances (EC2's `LaunchTemplateSpecification`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateSpecification {
    /// The template by id.
    pub launch_template_id: Option<String>,
    /// The template by name (not with the id).
    pub launch_template_name: Option<String>,
    /// A version number, `$Latest` or `$Default` (the default when absent).
    pub version: Option<String>,
}

/// Checks a template name: 3–128 characters of `a-z A-Z 0-9 ( ) . - / _` (the model's
/// `LaunchTemplateName` pattern).
///
/// Errors: `InvalidLaunchTemplateName.MalformedException`.
fn check_name(name: &str) -> AwsResult<()> {
    let ok = (3..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "().-/_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidLaunchTemplateName.MalformedException",
            "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'",
        ))
    }
}

fn check_description(description: Option<&str>) -> AwsResult<()> {
    match description {
        Some(d) if d.chars().count() > MAX_DESCRIPTION => Err(AwsError::invalid_parameter_value(
            format!("The version description must be at most {MAX_DESCRIPTION} characters long."),
        )),
        _ => Ok(()),
    }
}

request! {
    /// Input of EC2 `CreateLaunchTemplate`
    /// (`ec2.create_launch_template(#{launch_template_name, launch_template_data: #{image_id,
    /// instance_type}})`).
    pub struct CreateLaunchTemplateInput {
        ..not_simulated["operator", "launch_template_data.kernel_id", "launch_template_data.network_interfaces", "launch_template_data.ram_disk_id", "launch_template_data.elastic_gpu_specifications", "launch_template_data.elastic_inference_accelerators", "launch_template_data.instance_market_options", "launch_template_data.credit_specification", "launch_template_data.cpu_options", "launch_template_data.capacity_reservation_specification", "launch_template_data.license_specifications", "launch_template_data.hibernation_options", "launch_template_data.enclave_options", "launch_template_data.instance_requirements", "launch_template_data.private_dns_name_options", "launch_template_data.maintenance_options", "launch_template_data.operator", "launch_template_data.network_performance_options", "launch_template_data.secondary_interfaces", "launch_template_data.monitoring.metric_category_ids", "launch_template_data.block_device_mappings.ebs.throughput", "launch_template_data.block_device_mappings.ebs.volume_initialization_rate", "launch_template_data.block_device_mappings.ebs.ebs_card_index", "launch_template_data.placement.affinity", "launch_template_data.placement.group_name", "launch_template_data.placement.host_id", "launch_template_data.placement.tenancy", "launch_template_data.placement.spread_domain", "launch_template_data.placement.host_resource_group_arn", "launch_template_data.placement.partition_number", "launch_template_data.placement.group_id"],
        ..dry_run,
        /// An idempotency token (accepted, not checked).
        pub client_token: Option<String>,
        /// The template's name (required): unique in the account and region.
        pub launch_template_name: String,
        /// Version 1's description, at most 255 characters.
        pub version_description: Option<String>,
        /// Version 1's launch parameters (required).
        pub launch_template_data: LaunchTemplateData,
        /// Tags for the template itself (`launch-template`).
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
    }
}

/// EC2 `CreateLaunchTemplate`', `ModifyLaunchTemplate`' and `DeleteLaunchTemplate`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateOutput {
    /// The template.
    pub launch_template: LaunchTemplateShape,
}

request! {
    /// Input of EC2 `CreateLaunchTemplateVersion`: a new version of a template named by id or
    /// by name.
    pub struct CreateLaunchTemplateVersionInput {
        ..not_simulated["resolve_alias", "launch_template_data.kernel_id", "launch_template_data.network_interfaces", "launch_template_data.ram_disk_id", "launch_template_data.elastic_gpu_specifications", "launch_template_data.elastic_inference_accelerators", "launch_template_data.instance_market_options", "launch_template_data.credit_specification", "launch_template_data.cpu_options", "launch_template_data.capacity_reservation_specification", "launch_template_data.license_specifications", "launch_template_data.hibernation_options", "launch_template_data.enclave_options", "launch_template_data.instance_requirements", "launch_template_data.private_dns_name_options", "launch_template_data.maintenance_options", "launch_template_data.operator", "launch_template_data.network_performance_options", "launch_template_data.secondary_interfaces", "launch_template_data.monitoring.metric_category_ids", "launch_template_data.block_device_mappings.ebs.throughput", "launch_template_data.block_device_mappings.ebs.volume_initialization_rate", "launch_template_data.block_device_mappings.ebs.ebs_card_index", "launch_template_data.placement.affinity", "launch_template_data.placement.group_name", "launch_template_data.placement.host_id", "launch_template_data.placement.tenancy", "launch_template_data.placement.spread_domain", "launch_template_data.placement.host_resource_group_arn", "launch_template_data.placement.partition_number", "launch_template_data.placement.group_id"],
        ..dry_run,
        /// An idempotency token (accepted, not checked).
        pub client_token: Option<String>,
        /// The template by id.
        pub launch_template_id: Option<String>,
        /// The template by name (not with the id).
        pub launch_template_name: Option<String>,
        /// A version to start from: its parameters, with `launch_template_data`'s members over
        /// them.
        pub source_version: Option<String>,
        /// The new version's description, at most 255 characters.
        pub version_description: Option<String>,
        /// The new version's launch parameters (required).
        pub launch_template_data: LaunchTemplateData,
    }
}

/// EC2 `CreateLaunchTemplateVersion`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateLaunchTemplateVersionOutput {
    /// The new version.
    pub launch_template_version: LaunchTemplateVersionShape,
}

request! {
    /// Input of EC2 `ModifyLaunchTemplate`: a new default version.
    pub struct ModifyLaunchTemplateInput {
        ..dry_run,
        /// An idempotency token (accepted, not checked).
        pub client_token: Option<String>,
        /// The template by id.
        pub launch_template_id: Option<String>,
        /// The template by name (not with the id).
        pub launch_template_name: Option<String>,
        /// The version to make the default: a number (or `$Latest` / `$Default`).
        pub default_version: Option<String>,
    }
}

request! {
    /// Input of EC2 `DescribeLaunchTemplates`.
    #[derive(Default)]
    pub struct DescribeLaunchTemplatesInput {
        ..not_simulated["include_managed_resources"],
        ..dry_run,
        /// Only these templates; an unknown one is `InvalidLaunchTemplateId.NotFound`.
        #[serde(default)]
        pub launch_template_ids: Vec<String>,
        /// Only these templates, by name; an unknown one is
        /// `InvalidLaunchTemplateName.NotFoundException`.
        #[serde(default)]
        pub launch_template_names: Vec<String>,
        ..filters,
        ..paging,
    }
}

/// EC2 `DescribeLaunchTemplates`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeLaunchTemplatesOutput {
    /// The caller's matching templates, in id order.
    pub launch_templates: Vec<LaunchTemplateShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DescribeLaunchTemplateVersions`: the versions of one template (by id or
    /// name), or, without a template, the `$Latest` / `$Default` versions of all the caller's.
    #[derive(Default)]
    pub struct DescribeLaunchTemplateVersionsInput {
        ..not_simulated["resolve_alias", "include_managed_resources"],
        ..dry_run,
        /// The template by id.
        pub launch_template_id: Option<String>,
        /// The template by name (not with the id).
        pub launch_template_name: Option<String>,
        /// Only these versions: numbers, `$Latest`, `$Default`.
        #[serde(default)]
        pub versions: Vec<String>,
        /// Only versions numbered at least this.
        pub min_version: Option<String>,
        /// Only versions numbered at most this.
        pub max_version: Option<String>,
        ..paging,
        ..filters,
    }
}

/// EC2 `DescribeLaunchTemplateVersions`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeLaunchTemplateVersionsOutput {
    /// The matching versions, by template id then version number.
    pub launch_template_versions: Vec<LaunchTemplateVersionShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DeleteLaunchTemplate`: the template and all its versions.
    pub struct DeleteLaunchTemplateInput {
        ..dry_run,
        /// The template by id.
        pub launch_template_id: Option<String>,
        /// The template by name (not with the id).
        pub launch_template_name: Option<String>,
    }
}

request! {
    /// Input of EC2 `DeleteLaunchTemplateVersions`.
    pub struct DeleteLaunchTemplateVersionsInput {
        ..dry_run,
        /// The template by id.
        pub launch_template_id: Option<String>,
        /// The template by name (not with the id).
        pub launch_template_name: Option<String>,
        /// The versions to delete (1 to 200): numbers, `$Latest`, `$Default`.
        pub versions: Vec<String>,
    }
}

/// A deleted version (`DeleteLaunchTemplateVersionsResponseSuccessItem`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeletedVersionShape {
    /// The template's id.
    pub launch_template_id: String,
    /// The template's name.
    pub launch_template_name: String,
    /// The deleted version.
    pub version_number: u64,
}

/// `{code, message}` of a version that was not deleted (`ResponseError`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseErrorShape {
    /// `launchTemplateVersionDoesNotExist`, or `unexpectedError` for the default version.
    pub code: String,
    /// What went wrong.
    pub message: String,
}

/// A version that was not deleted (`DeleteLaunchTemplateVersionsResponseErrorItem`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndeletedVersionShape {
    /// The template's id.
    pub launch_template_id: String,
    /// The template's name.
    pub launch_template_name: String,
    /// The version as requested, when it is a number; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_number: Option<u64>,
    /// Why.
    pub response_error: ResponseErrorShape,
}

/// EC2 `DeleteLaunchTemplateVersions`' answer: per version, deleted or not (HTTP 200 either
/// way).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteLaunchTemplateVersionsOutput {
    /// The versions deleted; absent when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub successfully_deleted_launch_template_versions: Vec<DeletedVersionShape>,
    /// The versions not deleted, with why; absent when all were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsuccessfully_deleted_launch_template_versions: Vec<UndeletedVersionShape>,
}

request! {
    /// Input of EC2 `GetLaunchTemplateData`.
    pub struct GetLaunchTemplateDataInput {
        ..dry_run,
        /// The instance: the caller's.
        pub instance_id: String,
    }
}

/// EC2 `GetLaunchTemplateData`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetLaunchTemplateDataOutput {
    /// The instance's launch parameters, ready for CreateLaunchTemplate.
    pub launch_template_data: Value,
}

/// A version as DescribeLaunchTemplateVersions' filters see it.
struct VersionView<'a> {
    template: &'a LaunchTemplate,
    version: &'a LaunchTemplateVersion,
    no_tags: Tags,
}

impl Filterable for VersionView<'_> {
    const FILTER_NAMES: &'static [&'static str] = &[
        "create-time",
        "ebs-optimized",
        "iam-instance-profile",
        "image-id",
        "instance-type",
        "is-default-version",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        let data = &self.version.data;
        match name {
            "create-time" => out.push(iso8601(self.version.create_time)),
            "ebs-optimized" => out.push(bool_str(data.ebs_optimized.unwrap_or(false))),
            "iam-instance-profile" => {
                if let Some(p) = &data.iam_instance_profile {
                    out.extend(p.arn.iter().chain(p.name.iter()));
                }
            }
            "image-id" => out.extend(data.image_id.iter()),
            "instance-type" => out.extend(data.instance_type.iter()),
            "is-default-version" => out.push(bool_str(
                self.version.number == self.template.default_version,
            )),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.no_tags
    }
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

impl Cloud {
    /// The caller's template named by id or by name (exactly one of them).
    ///
    /// Errors: `InvalidParameterCombination` for both; `MissingParameter` for neither;
    /// `InvalidLaunchTemplateId.NotFound` / `InvalidLaunchTemplateName.NotFoundException`.
    pub(crate) fn own_launch_template(
        &self,
        caller: &Caller,
        id: Option<&str>,
        name: Option<&str>,
    ) -> AwsResult<&LaunchTemplate> {
        let region = self.region_ref(&caller.region)?;
        let mine = |t: &&LaunchTemplate| t.owner_id == caller.account;
        match (id, name) {
            (Some(_), Some(_)) => Err(AwsError::invalid_parameter_combination(
                "Specify either the launch template ID or the launch template name, but not both.",
            )),
            (None, None) => Err(AwsError::missing_parameter(
                "The request must contain the parameter launchTemplateName or launchTemplateId",
            )),
            (Some(id), None) => region
                .launch_templates
                .get(id)
                .filter(mine)
                .ok_or_else(|| id_not_found(id)),
            (None, Some(name)) => region
                .launch_templates
                .values()
                .filter(mine)
                .find(|t| t.name == name)
                .ok_or_else(|| name_not_found(name)),
        }
    }

    fn launch_template_mut(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut LaunchTemplate> {
        self.region_mut(&caller.region)?
            .launch_templates
            .get_mut(id)
            .ok_or_else(|| id_not_found(id))
    }

    /// EC2 `CreateLaunchTemplate`: a template whose version 1 holds `launch_template_data`,
    /// default and latest. The data is checked as EC2 checks it at creation (user data, tag
    /// specifications, shutdown behaviour); the image, type, key pair and groups only at launch.
    ///
    /// Errors: `InvalidLaunchTemplateName.MalformedException` for a name outside 3–128 of
    /// `a-z A-Z 0-9 ( ) . - / _`; `InvalidLaunchTemplateName.AlreadyExistsException` "Launch
    /// template name already in use." for a name the account already uses in the region;
    /// `InvalidUserData.Malformed` for user data that is not base64; `InvalidParameterValue`
    /// (a description over 255 characters, a tag resource type other than `launch-template`,
    /// or `instance` / `volume` inside the data, bad tags); `TagLimitExceeded`.
    pub fn create_launch_template(
        &mut self,
        caller: &Caller,
        input: CreateLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        check_name(&input.launch_template_name)?;
        check_description(input.version_description.as_deref())?;
        input.launch_template_data.validate()?;
        let tags = tags_for(
            &input.tag_specifications,
            &["launch-template"],
            "launch-template",
        )?;
        let region = self.region_ref(&caller.region)?;
        if region
            .launch_templates
            .values()
            .any(|t| t.owner_id == caller.account && t.name == input.launch_template_name)
        {
            return Err(AwsError::new(
                "InvalidLaunchTemplateName.AlreadyExistsException",
                "Launch template name already in use.",
            ));
        }
        let now = self.now();
        let id = self.ids.next("lt");
        let version = LaunchTemplateVersion {
            number: 1,
            description: input.version_description,
            create_time: now,
            data: input.launch_template_data,
        };
        let template = LaunchTemplate {
            id: id.clone(),
            name: input.launch_template_name,
            owner_id: caller.account.clone(),
            create_time: now,
            default_version: 1,
            last_number: 1,
            versions: BTreeMap::from([(1, version)]),
            tags,
        };
        let shape = template.shape();
        self.region_mut(&caller.region)?
            .launch_templates
            .insert(id, template);
        Ok(LaunchTemplateOutput {
            launch_template: shape,
        })
    }

    /// EC2 `CreateLaunchTemplateVersion`: the template's next version (numbers are never
    /// reused), not the default. With `source_version`, the new version starts from that
    /// version's parameters and `launch_template_data`'s members replace them member by member.
    ///
    /// Errors: those of naming a template (`InvalidParameterCombination`, `MissingParameter`,
    /// `InvalidLaunchTemplateId.NotFound`, `InvalidLaunchTemplateName.NotFoundException`);
    /// `InvalidLaunchTemplateId.VersionNotFound` for an unknown `source_version`; the data
    /// errors of [`Cloud::create_launch_template`].
    pub fn create_launch_template_version(
        &mut self,
        caller: &Caller,
        input: CreateLaunchTemplateVersionInput,
    ) -> AwsResult<CreateLaunchTemplateVersionOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        check_description(input.version_description.as_deref())?;
        let data = match &input.source_version {
            Some(source) => template
                .resolve(Some(source))?
                .data
                .overridden_by(&input.launch_template_data),
            None => input.launch_template_data.clone(),
        };
        data.validate()?;
        let id = template.id.clone();
        let now = self.now();
        let template = self.launch_template_mut(caller, &id)?;
        template.last_number += 1;
        let version = LaunchTemplateVersion {
            number: template.last_number,
            description: input.version_description,
            create_time: now,
            data,
        };
        let shape = template.version_shape(&version);
        template.versions.insert(version.number, version);
        Ok(CreateLaunchTemplateVersionOutput {
            launch_template_version: shape,
        })
    }

    /// EC2 `ModifyLaunchTemplate`: makes `default_version` the template's default (without it,
    /// nothing changes).
    ///
    /// Errors: those of naming a template; `InvalidLaunchTemplateId.VersionNotFound` for a
    /// version that does not exist.
    pub fn modify_launch_template(
        &mut self,
        caller: &Caller,
        input: ModifyLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        let default = match &input.default_version {
            Some(v) => template.resolve(Some(v))?.number,
            None => template.default_version,
        };
        let id = template.id.clone();
        let template = self.launch_template_mut(caller, &id)?;
        template.default_version = default;
        Ok(LaunchTemplateOutput {
            launch_template: template.shape(),
        })
    }

    /// EC2 `DescribeLaunchTemplates`: the caller's templates (all, or those named by id or
    /// name), filtered by `create-time`, `launch-template-name`, `tag:<key>` and `tag-key`, in
    /// id order, paged by `max_results` (1–200; every template without it).
    ///
    /// Errors: `InvalidLaunchTemplateId.NotFound` / `InvalidLaunchTemplateName.NotFoundException`
    /// for a named template that is not the caller's; `InvalidParameterValue` for an unknown
    /// filter name, a page size over 200 or a bad token.
    pub fn describe_launch_templates(
        &mut self,
        caller: &Caller,
        input: DescribeLaunchTemplatesInput,
    ) -> AwsResult<DescribeLaunchTemplatesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_LAUNCH_TEMPLATES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        filters::validate::<LaunchTemplate>(&input.filters)?;
        for id in &input.launch_template_ids {
            self.own_launch_template(caller, Some(id), None)?;
        }
        for name in &input.launch_template_names {
            self.own_launch_template(caller, None, Some(name))?;
        }
        let matcher = Matcher::new(&input.filters);
        let region = self.region_ref(&caller.region)?;
        let items: Vec<&LaunchTemplate> = region
            .launch_templates
            .values()
            .filter(|t| t.owner_id == caller.account)
            .filter(|t| {
                input.launch_template_ids.is_empty() || input.launch_template_ids.contains(&t.id)
            })
            .filter(|t| {
                input.launch_template_names.is_empty()
                    || input.launch_template_names.contains(&t.name)
            })
            .filter(|t| matcher.matches(*t))
            .collect();
        let (page, next_token) = pager.page(items, |t| t.id.clone());
        Ok(DescribeLaunchTemplatesOutput {
            launch_templates: page.into_iter().map(LaunchTemplate::shape).collect(),
            next_token,
        })
    }

    /// EC2 `DescribeLaunchTemplateVersions`: the versions of one template (all, or those named
    /// in `versions`, within `min_version`–`max_version`), or without a template the `$Latest`
    /// / `$Default` versions of every template of the caller's; filtered by `create-time`,
    /// `ebs-optimized`, `iam-instance-profile`, `image-id`, `instance-type` and
    /// `is-default-version`; ordered by template id then number; paged by `max_results` (1–200;
    /// every version without it).
    ///
    /// Errors: those of naming a template (both id and name: `InvalidParameterCombination`);
    /// `InvalidLaunchTemplateId.VersionNotFound` for a named version that does not exist;
    /// `MissingParameter` without a template for versions other than `$Latest` / `$Default`;
    /// `InvalidParameterValue` for a bad `min_version` / `max_version`, an unknown filter, a
    /// page size outside 1–200 or a bad token.
    pub fn describe_launch_template_versions(
        &mut self,
        caller: &Caller,
        input: DescribeLaunchTemplateVersionsInput,
    ) -> AwsResult<DescribeLaunchTemplateVersionsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_LAUNCH_TEMPLATE_VERSIONS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        filters::validate::<VersionView>(&input.filters)?;
        let bound = |v: &Option<String>| -> AwsResult<Option<u64>> {
            v.as_deref()
                .map(|s| {
                    s.trim().parse::<u64>().map_err(|_| {
                        AwsError::invalid_parameter_value(format!(
                            "Value ({s}) for parameter version is invalid. Expecting a version number."
                        ))
                    })
                })
                .transpose()
        };
        let (min, max) = (bound(&input.min_version)?, bound(&input.max_version)?);
        let templates: Vec<&LaunchTemplate> = if input.launch_template_id.is_some()
            || input.launch_template_name.is_some()
        {
            vec![self.own_launch_template(
                caller,
                input.launch_template_id.as_deref(),
                input.launch_template_name.as_deref(),
            )?]
        } else {
            if input.versions.is_empty()
                || input
                    .versions
                    .iter()
                    .any(|v| v != "$Latest" && v != "$Default")
            {
                return Err(AwsError::missing_parameter(
                        "The request must contain the parameter launchTemplateName or launchTemplateId, unless it asks only for $Latest or $Default versions",
                    ));
            }
            self.region_ref(&caller.region)?
                .launch_templates
                .values()
                .filter(|t| t.owner_id == caller.account)
                .collect()
        };
        let matcher = Matcher::new(&input.filters);
        let mut items: Vec<(&LaunchTemplate, &LaunchTemplateVersion)> = Vec::new();
        for template in templates {
            let mut chosen: Vec<&LaunchTemplateVersion> = if input.versions.is_empty() {
                template.versions.values().collect()
            } else {
                let mut named = Vec::new();
                for v in &input.versions {
                    named.push(template.resolve(Some(v))?);
                }
                named.sort_by_key(|v| v.number);
                named.dedup_by_key(|v| v.number);
                named
            };
            chosen
                .retain(|v| min.is_none_or(|m| v.number >= m) && max.is_none_or(|m| v.number <= m));
            for version in chosen {
                let view = VersionView {
                    template,
                    version,
                    no_tags: Tags::default(),
                };
                if matcher.matches(&view) {
                    items.push((template, version));
                }
            }
        }
        let (page, next_token) = pager.page(items, |(t, v)| format!("{}/{:020}", t.id, v.number));
        Ok(DescribeLaunchTemplateVersionsOutput {
            launch_template_versions: page.into_iter().map(|(t, v)| t.version_shape(v)).collect(),
            next_token,
        })
    }

    /// EC2 `DeleteLaunchTemplate`: the template and all its versions; instances launched from
    /// it are not affected.
    ///
    /// Errors: those of naming a template.
    pub fn delete_launch_template(
        &mut self,
        caller: &Caller,
        input: DeleteLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        let id = self
            .own_launch_template(
                caller,
                input.launch_template_id.as_deref(),
                input.launch_template_name.as_deref(),
            )?
            .id
            .clone();
        let template = self
            .region_mut(&caller.region)?
            .launch_templates
            .remove(&id)
            .ok_or_else(|| id_not_found(&id))?;
        Ok(LaunchTemplateOutput {
            launch_template: template.shape(),
        })
    }

    /// EC2 `DeleteLaunchTemplateVersions`: deletes each named version (a number, `$Latest` or
    /// `$Default`) and answers, version by version, what was deleted and what was not: the
    /// default version is never deleted (`unexpectedError`: "You can't delete the default
    /// version of a launch template", the API reference's rule; the model's
    /// `LaunchTemplateErrorCode` has no code of its own for it), an unknown version is
    /// `launchTemplateVersionDoesNotExist`. Such per-version failures are not errors of the
    /// call (HTTP 200).
    ///
    /// Errors: those of naming a template; `MissingParameter` for no versions;
    /// `InvalidParameterValue` for more than 200.
    pub fn delete_launch_template_versions(
        &mut self,
        caller: &Caller,
        input: DeleteLaunchTemplateVersionsInput,
    ) -> AwsResult<DeleteLaunchTemplateVersionsOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        if input.versions.is_empty() {
            return Err(AwsError::missing_parameter(
                "The request must contain the parameter LaunchTemplateVersion",
            ));
        }
        if input.versions.len() > MAX_VERSIONS_PER_DELETE {
            return Err(AwsError::invalid_parameter_value(format!(
                "You can delete up to {MAX_VERSIONS_PER_DELETE} launch template versions in a single request."
            )));
        }
        let (id, name) = (template.id.clone(), template.name.clone());
        let mut deleted = Vec::new();
        let mut failed = Vec::new();
        let fail = |number: Option<u64>, code: &str, message: String| UndeletedVersionShape {
            launch_template_id: id.clone(),
            launch_template_name: name.clone(),
            version_number: number,
            response_error: ResponseErrorShape {
                code: code.to_string(),
                message,
            },
        };
        for requested in &input.versions {
            match template.resolve(Some(requested)) {
                Err(_) => failed.push(fail(
                    requested.trim().parse().ok(),
                    "launchTemplateVersionDoesNotExist",
                    format!("The specified launch template version {requested} does not exist."),
                )),
                Ok(v) if v.number == template.default_version => failed.push(fail(
                    Some(v.number),
                    "unexpectedError",
                    "You can't delete the default version of a launch template; assign a different version as the default first.".into(),
                )),
                Ok(v) if deleted.contains(&v.number) => {}
                Ok(v) => deleted.push(v.number),
            }
        }
        let template = self.launch_template_mut(caller, &id)?;
        for number in &deleted {
            template.versions.remove(number);
        }
        Ok(DeleteLaunchTemplateVersionsOutput {
            successfully_deleted_launch_template_versions: deleted
                .into_iter()
                .map(|number| DeletedVersionShape {
                    launch_template_id: id.clone(),
                    launch_template_name: name.clone(),
                    version_number: number,
                })
                .collect(),
            unsuccessfully_deleted_launch_template_versions: failed,
        })
    }

    /// EC2 `GetLaunchTemplateData`: an instance's launch parameters as launch template data
    /// (image, type, key pair, security groups, user data in base64, EBS devices with their
    /// sizes and types, metadata options, IAM profile, monitoring, placement, protections,
    /// shutdown behaviour, and the instance's own tags), ready to pass to CreateLaunchTemplate.
    /// Unlike CreateImage it captures no disk: a template made from it launches the same
    /// *image* with the same settings, not the instance's current data.
    ///
    /// Errors: `InvalidInstanceID.Malformed`; `InvalidInstanceID.NotFound` for an instance that
    /// is not the caller's.
    pub fn get_launch_template_data(
        &mut self,
        caller: &Caller,
        input: GetLaunchTemplateDataInput,
    ) -> AwsResult<GetLaunchTemplateDataOutput> {
        super::instances::check_instance_id(&input.instance_id)?;
        let i = self.own_instance(caller, &input.instance_id)?;
        let region = self.region_ref(&caller.region)?;
        let mappings = i
            .mappings
            .iter()
            .filter_map(|m| {
                let volume = region.volumes.get(m.volume_id.as_deref()?)?;
                Some(BlockDeviceMappingRequest {
                    device_name: Some(m.device_name.clone()),
                    virtual_name: None,
                    ebs: Some(super::EbsRequest {
                        delete_on_termination: Some(m.delete_on_termination),
                        iops: volume.iops,
                        snapshot_id: volume.snapshot_id.clone(),
                        volume_size: Some(i64::from(volume.size)),
                        volume_type: Some(volume.volume_type.clone()),
                        kms_key_id: None,
                        encrypted: Some(volume.encrypted),
                    }),
                    no_device: None,
                })
            })
            .collect();
        let own_tags: Vec<Tag> = i
            .tags
            .iter()
            .filter(|(k, _)| !k.starts_with("aws:"))
            .map(|(k, v)| Tag {
                key: k.to_string(),
                value: v.to_string(),
            })
            .collect();
        let options = i.metadata_options.clone();
        let data = LaunchTemplateData {
            ebs_optimized: Some(i.ebs_optimized),
            iam_instance_profile: i.iam_instance_profile.as_ref().map(|p| {
                IamInstanceProfileInput {
                    arn: Some(p.arn.clone()),
                    name: None,
                }
            }),
            block_device_mappings: Some(mappings),
            image_id: Some(i.image_id.clone()),
            instance_type: Some(i.instance_type.clone()),
            key_name: i.key_name.clone(),
            monitoring: Some(MonitoringInput {
                enabled: i.monitoring,
            }),
            placement: Some(PlacementInput {
                availability_zone: Some(i.availability_zone.clone()),
                availability_zone_id: None,
            }),
            disable_api_termination: Some(i.disable_api_termination),
            instance_initiated_shutdown_behavior: Some(i.shutdown_behavior.clone()),
            user_data: i.user_data.as_deref().map(encode_user_data),
            tag_specifications: (!own_tags.is_empty()).then(|| {
                vec![TagSpecification {
                    resource_type: Some("instance".into()),
                    tags: own_tags,
                }]
            }),
            security_group_ids: Some(i.security_groups.iter().map(|(id, _)| id.clone()).collect()),
            security_groups: None,
            metadata_options: Some(MetadataOptionsInput {
                http_tokens: Some(options.http_tokens),
                http_put_response_hop_limit: Some(options.http_put_response_hop_limit),
                http_endpoint: Some(options.http_endpoint),
                http_protocol_ipv6: Some(options.http_protocol_ipv6),
                instance_metadata_tags: Some(options.instance_metadata_tags),
            }),
            disable_api_stop: Some(i.disable_api_stop),
        };
        Ok(GetLaunchTemplateDataOutput {
            launch_template_data: data.response(),
        })
    }

    /// RunInstances' `launch_template`: the request with the template version's parameters
    /// under its own (a member the request sets wins; lists count as set when not empty), and
    /// the `aws:ec2launchtemplate:id` / `aws:ec2launchtemplate:version` tags the instances get.
    ///
    /// Errors: those of naming a template (none named: `MissingParameter`);
    /// `InvalidLaunchTemplateId.VersionNotFound`.
    pub(crate) fn apply_launch_template(
        &self,
        caller: &Caller,
        mut input: RunInstancesInput,
    ) -> AwsResult<(RunInstancesInput, Vec<(String, String)>)> {
        let Some(spec) = input.launch_template.take() else {
            return Ok((input, Vec::new()));
        };
        let template = self.own_launch_template(
            caller,
            spec.launch_template_id.as_deref(),
            spec.launch_template_name.as_deref(),
        )?;
        let version = template.resolve(spec.version.as_deref())?;
        let data = version.data.clone();
        fn fill<T>(slot: &mut Option<T>, from: Option<T>) {
            if slot.is_none() {
                *slot = from;
            }
        }
        fn fill_list<T>(slot: &mut Vec<T>, from: Option<Vec<T>>) {
            if slot.is_empty() {
                *slot = from.unwrap_or_default();
            }
        }
        fill(&mut input.image_id, data.image_id);
        fill(&mut input.instance_type, data.instance_type);
        fill(&mut input.key_name, data.key_name);
        if input.security_group_ids.is_empty() && input.security_groups.is_empty() {
            input.security_group_ids = data.security_group_ids.unwrap_or_default();
            input.security_groups = data.security_groups.unwrap_or_default();
        }
        if input.user_data.is_none() {
            input.user_data = data
                .user_data
                .as_deref()
                .map(decode_user_data)
                .transpose()?;
        }
        fill(&mut input.placement, data.placement);
        fill_list(&mut input.block_device_mappings, data.block_device_mappings);
        fill_list(&mut input.tag_specifications, data.tag_specifications);
        fill(
            &mut input.disable_api_termination,
            data.disable_api_termination,
        );
        fill(&mut input.disable_api_stop, data.disable_api_stop);
        fill(
            &mut input.instance_initiated_shutdown_behavior,
            data.instance_initiated_shutdown_behavior,
        );
        fill(&mut input.ebs_optimized, data.ebs_optimized);
        fill(&mut input.monitoring, data.monitoring);
        fill(&mut input.iam_instance_profile, data.iam_instance_profile);
        fill(&mut input.metadata_options, data.metadata_options);
        let tags = vec![
            ("aws:ec2launchtemplate:id".to_string(), template.id.clone()),
            (
                "aws:ec2launchtemplate:version".to_string(),
                version.number.to_string(),
            ),
        ];
        Ok((input, tags))
    }
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

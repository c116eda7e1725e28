//! The request and response shapes of the launch template operations (boto3's keys), and the checks of names and descriptions.

use super::*;

/// A launch template as EC2 answers it (`LaunchTemplate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateShape {
    /// `lt-…`.
    pub launch_template_id: String,
    /// Its name.
    pub launch_template_name: String,
    /// ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
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
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub create_time: String,
    /// `arn:aws:iam::<account>:root`.
    pub created_by: String,
    /// Whether it is the template's default version.
    pub default_version: bool,
    /// Its launch parameters (`ResponseLaunchTemplateData`; unset members absent), with
    /// boto3's keys.
    #[serde(serialize_with = "crate::wire::boto3_structure")]
    pub launch_template_data: Value,
}

/// `launch_template` in RunInstances (EC2's `LaunchTemplateSpecification`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateSpecification {
    /// The template by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template_id: Option<String>,
    /// The template by name (not with the id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template_name: Option<String>,
    /// A version number, `$Latest` or `$Default` (the default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Checks a template name: 3–128 characters of `a-z A-Z 0-9 ( ) . - / _` (the model's
/// `LaunchTemplateName` pattern).
///
/// Errors: `InvalidLaunchTemplateName.MalformedException`.
pub(super) fn check_name(name: &str) -> AwsResult<()> {
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

pub(super) fn check_description(description: Option<&str>) -> AwsResult<()> {
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
    /// The instance's launch parameters, ready for CreateLaunchTemplate, with boto3's keys.
    #[serde(serialize_with = "crate::wire::boto3_structure")]
    pub launch_template_data: Value,
}

/// A version as DescribeLaunchTemplateVersions' filters see it.
pub(super) struct VersionView<'a> {
    pub(super) template: &'a LaunchTemplate,
    pub(super) version: &'a LaunchTemplateVersion,
    pub(super) no_tags: Tags,
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

//! Image Builder's request and response shapes, in boto3's snake_case (botocore's
//! `imagebuilder/2019-12-02` model is the authority; the conformance test holds them to it).
//! The resource shapes (`ImageRecipe`, `Image`, …) are also what the simulation keeps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ec2::BlockDeviceMappingRequest;
use crate::request::request;

/// Tags (`{key: value}`), sorted by key.
pub type TagMap = BTreeMap<String, String>;

fn is_empty_map(m: &TagMap) -> bool {
    m.is_empty()
}

request! {
    /// Input of Image Builder `CreateComponent`
    /// (`imagebuilder.create_component(#{name: "web", semantic_version: "1.0.0", platform:
    /// "Linux", data: document})`).
    pub struct CreateComponentInput {
        ..not_simulated["uri", "kms_key_id", "dry_run"],
        /// The component's name.
        pub name: String,
        /// `major.minor.patch`, each a non-negative integer.
        pub semantic_version: String,
        /// A description.
        pub description: Option<String>,
        /// What changed in this version.
        pub change_description: Option<String>,
        /// `Linux` (the only platform simulated; `Windows` and `macOS` are refused).
        pub platform: String,
        /// OS versions the component supports (stored, shown).
        pub supported_os_versions: Option<Vec<String>>,
        /// The component document (YAML or JSON; see `imagebuilder::document`). Required here:
        /// `uri` is not simulated.
        pub data: Option<String>,
        /// Tags of the component.
        #[serde(default)]
        pub tags: TagMap,
        /// Idempotency token (boto3 makes one when absent).
        pub client_token: Option<String>,
    }
}

/// A component of a recipe (`{component_arn, parameters}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentConfiguration {
    /// The component's build version ARN (`…:component/web/1.0.0/1`) or version ARN
    /// (`…/1.0.0`, its newest build).
    pub component_arn: String,
    /// Document parameters: not simulated (documents have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<serde_json::Value>>,
}

request! {
    /// Input of Image Builder `CreateImageRecipe`.
    pub struct CreateImageRecipeInput {
        ..not_simulated["components.parameters", "block_device_mappings.ebs.throughput", "additional_instance_configuration", "ami_tags", "ami_watermarks", "dry_run"],
        /// The recipe's name.
        pub name: String,
        /// A description.
        pub description: Option<String>,
        /// `major.minor.patch`.
        pub semantic_version: String,
        /// The components, run in this order (at least one).
        #[serde(default)]
        pub components: Vec<ComponentConfiguration>,
        /// An AMI id of the caller's region, or an Amazon-managed image ARN
        /// (`arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x`).
        pub parent_image: String,
        /// Block devices of the build and test instances (and so of the image).
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// Tags of the recipe.
        #[serde(default)]
        pub tags: TagMap,
        /// Where components run (stored, shown).
        pub working_directory: Option<String>,
        /// Idempotency token.
        pub client_token: Option<String>,
    }
}

request! {
    /// Input of Image Builder `CreateInfrastructureConfiguration`.
    pub struct CreateInfrastructureConfigurationInput {
        ..not_simulated["logging", "sns_topic_arn", "resource_tags", "instance_metadata_options", "placement", "parent_instance", "dry_run"],
        /// The configuration's name.
        pub name: String,
        /// A description.
        pub description: Option<String>,
        /// Instance types for build and test instances; the first is used (`m5.large` when
        /// empty, as AWS does).
        #[serde(default)]
        pub instance_types: Vec<String>,
        /// The instance profile build instances run with (stored, shown).
        pub instance_profile_name: String,
        /// Security groups of the build instances.
        #[serde(default)]
        pub security_group_ids: Vec<String>,
        /// The subnet build instances launch in.
        pub subnet_id: Option<String>,
        /// A key pair for the build instances.
        pub key_pair: Option<String>,
        /// Keep the build instance of a failed build for troubleshooting (default true:
        /// terminate it).
        pub terminate_instance_on_failure: Option<bool>,
        /// Terminate build instances when a build completes (default true).
        pub terminate_instance_on_completion: Option<bool>,
        /// Tags of the configuration.
        #[serde(default)]
        pub tags: TagMap,
        /// Idempotency token.
        pub client_token: Option<String>,
    }
}

/// `launch_permission` of an AMI distribution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchPermissionConfiguration {
    /// Accounts that may launch the AMI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_ids: Vec<String>,
    /// `all` makes the AMI public (the only value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_groups: Vec<String>,
}

/// `ami_distribution_configuration`: how the AMI is named and shared in one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmiDistributionConfiguration {
    /// The AMI's name; `{{imagebuilder:buildDate}}` and `{{imagebuilder:buildVersion}}` are
    /// replaced at distribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The AMI's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Accounts the AMI is shared with (given launch permission; see the module's notes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_account_ids: Vec<String>,
    /// Who may launch the AMI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_permission: Option<LaunchPermissionConfiguration>,
}

/// One region of a distribution configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The region the AMI goes to.
    pub region: String,
    /// The AMI's name, description and sharing there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ami_distribution_configuration: Option<AmiDistributionConfiguration>,
}

request! {
    /// Input of Image Builder `CreateDistributionConfiguration`.
    pub struct CreateDistributionConfigurationInput {
        ..not_simulated["distributions.ami_distribution_configuration.ami_tags", "distributions.ami_distribution_configuration.kms_key_id", "distributions.ami_distribution_configuration.launch_permission.organization_arns", "distributions.ami_distribution_configuration.launch_permission.organizational_unit_arns", "distributions.container_distribution_configuration", "distributions.license_configuration_arns", "distributions.launch_template_configurations", "distributions.s3_export_configuration", "distributions.fast_launch_configurations", "distributions.ssm_parameter_configurations", "dry_run"],
        /// The configuration's name.
        pub name: String,
        /// A description.
        pub description: Option<String>,
        /// One entry per region (at least one; each region once).
        pub distributions: Vec<Distribution>,
        /// Tags of the configuration.
        #[serde(default)]
        pub tags: TagMap,
        /// Idempotency token.
        pub client_token: Option<String>,
    }
}

/// `image_tests_configuration`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageTestsConfiguration {
    /// Run the test phases (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_tests_enabled: Option<bool>,
    /// Minutes the tests may take, 60–1440 (default 720; stored, shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_minutes: Option<i64>,
}

/// A pipeline's `schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `cron(minutes hours day-of-month month day-of-week year)`, in UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
    /// `EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE` (the default: a scheduled run
    /// starts only when the recipe's inputs changed since the last image) or
    /// `EXPRESSION_MATCH_ONLY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_execution_start_condition: Option<String>,
}

request! {
    /// Input of Image Builder `CreateImagePipeline`.
    pub struct CreateImagePipelineInput {
        ..not_simulated["container_recipe_arn", "schedule.timezone", "schedule.auto_disable_policy", "image_scanning_configuration", "workflows", "execution_role", "logging_configuration", "dry_run"],
        /// The pipeline's name.
        pub name: String,
        /// A description.
        pub description: Option<String>,
        /// The recipe it builds (required here: container recipes are not simulated).
        pub image_recipe_arn: Option<String>,
        /// Where it builds.
        pub infrastructure_configuration_arn: String,
        /// Where its AMIs go (the build region only, when absent).
        pub distribution_configuration_arn: Option<String>,
        /// Whether the test phases run.
        pub image_tests_configuration: Option<ImageTestsConfiguration>,
        /// Collect inventory (stored, shown).
        pub enhanced_image_metadata_enabled: Option<bool>,
        /// When it runs by itself.
        pub schedule: Option<Schedule>,
        /// `ENABLED` (default) or `DISABLED` (no scheduled runs).
        pub status: Option<String>,
        /// Tags of the pipeline.
        #[serde(default)]
        pub tags: TagMap,
        /// Tags of the images it makes.
        #[serde(default)]
        pub image_tags: TagMap,
        /// Idempotency token.
        pub client_token: Option<String>,
    }
}

request! {
    /// Input of Image Builder `StartImagePipelineExecution`.
    pub struct StartImagePipelineExecutionInput {
        /// The pipeline to run.
        pub image_pipeline_arn: String,
        /// Idempotency token: the same token answers the same image.
        pub client_token: Option<String>,
        /// Tags of the image this run makes.
        #[serde(default)]
        pub tags: TagMap,
    }
}

request! {
    /// Input of Image Builder `GetImage`.
    pub struct GetImageInput {
        /// A build version ARN (`…/image/web/1.0.0/1`) or a version ARN (`…/1.0.0`: its newest
        /// build).
        pub image_build_version_arn: String,
    }
}

request! {
    /// Input of Image Builder `GetComponent`.
    pub struct GetComponentInput {
        /// A build version ARN or a version ARN (its newest build).
        pub component_build_version_arn: String,
    }
}

request! {
    /// Input of Image Builder `GetImagePipeline`.
    pub struct GetImagePipelineInput {
        /// The pipeline.
        pub image_pipeline_arn: String,
    }
}

request! {
    /// Input of Image Builder `ListImages`: the caller's image versions (`owner` `Self`) or the
    /// Amazon-managed parent images (`Amazon`).
    #[derive(Default)]
    pub struct ListImagesInput {
        ..not_simulated["filters", "by_name", "include_deprecated"],
        /// `Self` (default) or `Amazon`; `Shared`, `ThirdParty` and `AWSMarketplace` list nothing.
        pub owner: Option<String>,
        ..paging,
    }
}

request! {
    /// Input of Image Builder `ListImagePipelineImages`.
    pub struct ListImagePipelineImagesInput {
        ..not_simulated["filters"],
        /// The pipeline whose images to list, oldest first.
        pub image_pipeline_arn: String,
        ..paging,
    }
}

/// The answer of a Create call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateOutput {
    /// The request's id.
    pub request_id: String,
    /// The idempotency token the call used.
    pub client_token: String,
    /// CreateComponent's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_build_version_arn: Option<String>,
    /// CreateImageRecipe's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_recipe_arn: Option<String>,
    /// CreateInfrastructureConfiguration's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infrastructure_configuration_arn: Option<String>,
    /// CreateDistributionConfiguration's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution_configuration_arn: Option<String>,
    /// CreateImagePipeline's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_pipeline_arn: Option<String>,
    /// StartImagePipelineExecution's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_build_version_arn: Option<String>,
}

/// A component (GetComponent's `component`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ComponentShape {
    /// `arn:aws:imagebuilder:<region>:<account>:component/<name>/<version>/<build>`.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its semantic version.
    pub version: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_description: Option<String>,
    /// `BUILD`, or `TEST` for a document with only a test phase.
    #[serde(rename = "type")]
    pub kind: String,
    /// `Linux`.
    pub platform: String,
    /// Supported OS versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_os_versions: Option<Vec<String>>,
    /// `{status: ACTIVE}`.
    pub state: ComponentState,
    /// The owning account.
    pub owner: String,
    /// The document as given.
    pub data: String,
    /// false: documents are not encrypted here.
    pub encrypted: bool,
    /// When it was created.
    pub date_created: String,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
}

/// A component's `state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ComponentState {
    /// `ACTIVE`.
    pub status: String,
}

/// A recipe (inside an image's answer).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ImageRecipeShape {
    /// `arn:aws:imagebuilder:<region>:<account>:image-recipe/<name>/<version>`.
    pub arn: String,
    /// `AMI`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Linux`.
    pub platform: String,
    /// The owning account.
    pub owner: String,
    /// Its semantic version.
    pub version: String,
    /// Its components, in order.
    pub components: Vec<ComponentConfiguration>,
    /// The parent image as given.
    pub parent_image: String,
    /// Block devices, as given (members left out stay out), with boto3's keys.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::wire::boto3_structures"
    )]
    pub block_device_mappings: Vec<serde_json::Value>,
    /// When it was created.
    pub date_created: String,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// Where components run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
}

/// An infrastructure configuration (inside an image's answer).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct InfrastructureConfigurationShape {
    /// `arn:aws:imagebuilder:<region>:<account>:infrastructure-configuration/<name>`.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Instance types, as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_types: Vec<String>,
    /// The instance profile.
    pub instance_profile_name: String,
    /// Security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    /// The subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// The key pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_pair: Option<String>,
    /// Whether a failed build's instance is terminated.
    pub terminate_instance_on_failure: bool,
    /// When it was created.
    pub date_created: String,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// Whether build instances are terminated when a build completes.
    pub terminate_instance_on_completion: bool,
}

/// A distribution configuration (inside an image's answer).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct DistributionConfigurationShape {
    /// `arn:aws:imagebuilder:<region>:<account>:distribution-configuration/<name>`.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its regions.
    pub distributions: Vec<Distribution>,
    /// 720, AWS's default.
    pub timeout_minutes: i64,
    /// When it was created.
    pub date_created: String,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
}

/// A pipeline (GetImagePipeline's `image_pipeline`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ImagePipelineShape {
    /// `arn:aws:imagebuilder:<region>:<account>:image-pipeline/<name>`.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Linux`.
    pub platform: String,
    /// Whether inventory is collected.
    pub enhanced_image_metadata_enabled: bool,
    /// The recipe.
    pub image_recipe_arn: String,
    /// The infrastructure configuration.
    pub infrastructure_configuration_arn: String,
    /// The distribution configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution_configuration_arn: Option<String>,
    /// Test settings.
    pub image_tests_configuration: ImageTestsConfiguration,
    /// Its schedule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    /// When it was created.
    pub date_created: String,
    /// When it last changed.
    pub date_updated: String,
    /// When it last ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_last_run: Option<String>,
    /// The status of the image of its last run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run_status: Option<String>,
    /// When its schedule next falls due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_next_run: Option<String>,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// Tags of its images.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub image_tags: TagMap,
}

/// An image's `state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ImageStateShape {
    /// `PENDING`, `BUILDING`, `TESTING`, `DISTRIBUTING`, `AVAILABLE` or `FAILED`.
    pub status: String,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One AMI an image produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AmiShape {
    /// Its region.
    pub region: String,
    /// Its id.
    pub image: String,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `{status: AVAILABLE}` once distributed.
    pub state: ImageStateShape,
    /// The owning account.
    pub account_id: String,
}

/// `output_resources`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OutputResources {
    /// The AMIs, one per region.
    pub amis: Vec<AmiShape>,
}

/// An image build version (GetImage's `image`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ImageShape {
    /// `arn:aws:imagebuilder:<region>:<account>:image/<name>/<version>/<build>`.
    pub arn: String,
    /// `AMI`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The recipe's name.
    pub name: String,
    /// `<version>/<build>` (`1.0.0/1`).
    pub version: String,
    /// `Linux`.
    pub platform: String,
    /// Whether inventory was collected.
    pub enhanced_image_metadata_enabled: bool,
    /// The parent image's OS (`Amazon Linux 2023`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// Where the build is.
    pub state: ImageStateShape,
    /// The recipe, as it was when the build started.
    pub image_recipe: ImageRecipeShape,
    /// The pipeline's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_pipeline_name: Option<String>,
    /// The pipeline's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_pipeline_arn: Option<String>,
    /// The infrastructure configuration, as it was.
    pub infrastructure_configuration: InfrastructureConfigurationShape,
    /// The distribution configuration, as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution_configuration: Option<DistributionConfigurationShape>,
    /// Test settings.
    pub image_tests_configuration: ImageTestsConfiguration,
    /// When the build started.
    pub date_created: String,
    /// The AMIs made so far.
    pub output_resources: OutputResources,
    /// Its tags.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// `USER_INITIATED` or `SCHEDULED`.
    pub build_type: String,
    /// `CUSTOM`.
    pub image_source: String,
}

/// GetImage's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetImageOutput {
    /// The request's id.
    pub request_id: String,
    /// The image build version.
    pub image: ImageShape,
}

/// GetComponent's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetComponentOutput {
    /// The request's id.
    pub request_id: String,
    /// The component build version.
    pub component: ComponentShape,
}

/// GetImagePipeline's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetImagePipelineOutput {
    /// The request's id.
    pub request_id: String,
    /// The pipeline.
    pub image_pipeline: ImagePipelineShape,
}

/// One image version in ListImages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageVersionShape {
    /// The version ARN (`…/image/web/1.0.0`; Amazon's: `…:aws:image/amazon-linux-2023-x86/x.x.x`).
    pub arn: String,
    /// The name.
    pub name: String,
    /// `AMI`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The semantic version.
    pub version: String,
    /// `Linux` or `Windows`.
    pub platform: String,
    /// The OS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// The owning account, or `Amazon`.
    pub owner: String,
    /// When the version was first built.
    pub date_created: String,
    /// `USER_INITIATED` or `SCHEDULED` (the first build's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_type: Option<String>,
    /// `CUSTOM` or `AMAZON_MANAGED`.
    pub image_source: String,
}

/// ListImages' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListImagesOutput {
    /// The request's id.
    pub request_id: String,
    /// The versions, by ARN.
    pub image_version_list: Vec<ImageVersionShape>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One image in ListImagePipelineImages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageSummaryShape {
    /// The build version ARN.
    pub arn: String,
    /// The name.
    pub name: String,
    /// `AMI`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `<version>/<build>`.
    pub version: String,
    /// `Linux`.
    pub platform: String,
    /// The OS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// Where the build is.
    pub state: ImageStateShape,
    /// The owning account.
    pub owner: String,
    /// When the build started.
    pub date_created: String,
    /// The AMIs made so far.
    pub output_resources: OutputResources,
    /// Its tags.
    #[serde(skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// `USER_INITIATED` or `SCHEDULED`.
    pub build_type: String,
    /// `CUSTOM`.
    pub image_source: String,
}

/// ListImagePipelineImages' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListImagePipelineImagesOutput {
    /// The request's id.
    pub request_id: String,
    /// The pipeline's images, oldest first.
    pub image_summary_list: Vec<ImageSummaryShape>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

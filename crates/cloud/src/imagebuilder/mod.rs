//! EC2 Image Builder: components, image recipes, infrastructure and distribution
//! configurations, and image pipelines that build, test and distribute AMIs on the simulated
//! clock, by hand or on a cron schedule.
//!
//! A run of a pipeline ([`pipeline`]) makes an *image build version*
//! (`arn:aws:imagebuilder:<region>:<account>:image/<recipe-name>/<version>/<build>`, the build
//! number counting the runs of that recipe version from 1) whose status goes `PENDING` →
//! `BUILDING` → `TESTING` → `DISTRIBUTING` → `AVAILABLE`, or `FAILED` with a reason naming the
//! failed step and its output. The build and test instances are real simulated instances (from
//! `RunInstances`), the components' `ExecuteBash` steps run on their guests, the AMI is made with
//! `CreateImage` and distributed with `CopyImage` and `ModifyImageAttribute`, as Image Builder
//! does on the account's behalf.
//!
//! Component documents are YAML in AWS; the simulation reads them through an injected parser
//! ([`document`], [`crate::WorldConfig::component_document_parser`]) and understands JSON alone
//! without one.
//!
//! Sources: the EC2 Image Builder API reference (CreateComponent, CreateImageRecipe,
//! CreateInfrastructureConfiguration, CreateDistributionConfiguration, CreateImagePipeline,
//! StartImagePipelineExecution, GetImage, GetComponent, GetImagePipeline, ListImages,
//! ListImagePipelineImages; "Common errors") and the user guide ("Manage Image Builder
//! resources", "Component document schema", "Use cron expressions in Image Builder", "Semantic
//! versioning", "Distribution settings" for the output name variables), with botocore's model
//! for every shape. Error wordings quoted by users: `The following resource 'ImageRecipe'
//! already exists: '<arn>'.` (ministryofjustice/modernisation-platform-ami-builds#549), `The
//! value supplied for parameter '<member>' is not valid. …` (boto/boto3#2224,
//! aws-cloudformation/cloudformation-coverage-roadmap#2439).
//!
//! # Simplifications (documented, tested)
//! - One AMI per distribution region, owned by the building account; `target_account_ids`
//!   shares that AMI with the accounts (a launch permission) instead of copying it into them.
//! - The build region always keeps its AMI, named by its own distribution entry when the
//!   configuration has one, else `<recipe name> <build date>`.
//! - Instance profiles are stored and shown, not checked; logging, SNS, workflows, scanning,
//!   container recipes and time zones other than UTC are declared not simulated.

use std::collections::BTreeMap;

use crate::error::AwsError;

pub mod cron;
pub mod document;
pub mod pipeline;
mod resources;
pub mod shapes;

pub use document::DocumentParser;
pub use shapes::*;

/// Seconds from StartImagePipelineExecution (or a schedule's instant) to `BUILDING`.
pub const START_DELAY: u64 = 60;
/// Seconds from launching the build instance to running the build and validate phases (its
/// boot and the SSM agent's registration).
pub const BUILD_WAIT: u64 = 300;
/// Seconds from launching the test instance to running the test phases.
pub const TEST_WAIT: u64 = 300;
/// Seconds between two looks at AMIs that are still pending.
pub const POLL: u64 = 60;
/// The instance type when the infrastructure configuration names none (AWS's default).
pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";

/// Amazon-managed parent images (`arn:aws:imagebuilder:<region>:aws:image/<name>/x.x.x`) and the
/// catalogue images they stand for.
pub const MANAGED_IMAGES: &[(&str, &str, &str)] = &[
    (
        "amazon-linux-2023-x86",
        "al2023-x86_64",
        "Amazon Linux 2023",
    ),
    (
        "amazon-linux-2023-arm64",
        "al2023-arm64",
        "Amazon Linux 2023",
    ),
    ("amazon-linux-2-x86", "amzn2-x86_64", "Amazon Linux 2"),
    (
        "ubuntu-server-22-lts-x86",
        "ubuntu-jammy-amd64",
        "Ubuntu 22",
    ),
    (
        "ubuntu-server-22-lts-arm64",
        "ubuntu-jammy-arm64",
        "Ubuntu 22",
    ),
];

/// Where an image build is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImageStatus {
    /// Waiting to start.
    Pending,
    /// The build instance runs the build and validate phases; the AMI is being made.
    Building,
    /// The test instance runs the test phases.
    Testing,
    /// The AMI is copied and shared.
    Distributing,
    /// Done.
    Available,
    /// A step failed (see the image's reason).
    Failed,
}

impl ImageStatus {
    /// Image Builder's name for it (`BUILDING`).
    pub fn as_str(self) -> &'static str {
        match self {
            ImageStatus::Pending => "PENDING",
            ImageStatus::Building => "BUILDING",
            ImageStatus::Testing => "TESTING",
            ImageStatus::Distributing => "DISTRIBUTING",
            ImageStatus::Available => "AVAILABLE",
            ImageStatus::Failed => "FAILED",
        }
    }
}

/// What a build does next, when its step event is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Stage {
    Launch,
    RunBuild,
    AwaitAmi,
    RunTests,
    Finish,
    Done,
}

/// A component build version.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Component {
    /// The owning account and region.
    pub account: String,
    /// Its region.
    pub region: String,
    /// Its build number.
    pub build: u32,
    /// Its document, checked.
    pub document: document::Document,
    /// The idempotency fingerprint of the request that made it.
    pub(crate) shape: ComponentShape,
}

impl Component {
    /// The answer GetComponent gives.
    pub fn shape(&self) -> &ComponentShape {
        &self.shape
    }
}

/// A recipe, an infrastructure or a distribution configuration: the shape shown and where it
/// lives.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Owned<T> {
    /// The owning account.
    pub account: String,
    /// Its region.
    pub region: String,
    /// The resource as Image Builder shows it.
    pub shape: T,
}

/// An image pipeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pipeline {
    /// The owning account.
    pub account: String,
    /// Its region.
    pub region: String,
    /// The pipeline as GetImagePipeline shows it (its run fields filled in when asked).
    pub(crate) shape: ImagePipelineShape,
    /// Its parsed schedule.
    pub schedule: Option<cron::Cron>,
    /// When its next scheduled run is due.
    pub next_run: Option<u64>,
    /// When it last ran.
    pub last_run: Option<u64>,
}

impl Pipeline {
    /// Its ARN.
    pub fn arn(&self) -> &str {
        &self.shape.arn
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.shape.name
    }

    /// Its schedule expression (`cron(0 0 * * ? *)`), if it has one.
    pub fn schedule_expression(&self) -> Option<&str> {
        self.shape
            .schedule
            .as_ref()
            .and_then(|s| s.schedule_expression.as_deref())
    }

    /// Whether scheduled runs start only when the recipe's inputs changed (the default).
    fn needs_updates(&self) -> bool {
        self.shape
            .schedule
            .as_ref()
            .and_then(|s| s.pipeline_execution_start_condition.as_deref())
            != Some("EXPRESSION_MATCH_ONLY")
    }
}

/// An image build version and the resources its build uses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    /// The owning account.
    pub account: String,
    /// The build region.
    pub region: String,
    /// The recipe's semantic version.
    pub semantic_version: String,
    /// Its build number.
    pub build: u32,
    /// Where it is.
    pub status: ImageStatus,
    /// Why it failed.
    pub reason: Option<String>,
    /// The pipeline that made it.
    pub pipeline_arn: Option<String>,
    /// The parent AMI in the build region.
    pub parent_ami: String,
    /// The components' documents, in recipe order: (build version ARN, document).
    pub components: Vec<(String, document::Document)>,
    /// When the build started.
    pub created: u64,
    /// The temporary build instance, while it exists.
    pub build_instance: Option<String>,
    /// The temporary test instance, while it exists.
    pub test_instance: Option<String>,
    pub(crate) stage: Stage,
    pub(crate) shape: ImageShape,
    pub(crate) seq: u64,
}

impl Image {
    /// Its build version ARN.
    pub fn arn(&self) -> &str {
        &self.shape.arn
    }

    /// The AMIs it produced, one per region.
    pub fn amis(&self) -> &[AmiShape] {
        &self.shape.output_resources.amis
    }

    /// Its status (`BUILDING`, `AVAILABLE`, `FAILED`, …).
    pub fn status_name(&self) -> &'static str {
        self.status.as_str()
    }

    /// The answer GetImage gives.
    pub fn shape(&self) -> ImageShape {
        let mut shape = self.shape.clone();
        shape.state = self.state();
        shape
    }

    fn state(&self) -> ImageStateShape {
        ImageStateShape {
            status: self.status.as_str().into(),
            reason: self.reason.clone(),
        }
    }
}

/// Every account's Image Builder resources, by ARN.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ImageBuilder {
    pub(crate) components: BTreeMap<String, Component>,
    pub(crate) recipes: BTreeMap<String, Owned<ImageRecipeShape>>,
    pub(crate) infrastructures: BTreeMap<String, Owned<InfrastructureConfigurationShape>>,
    pub(crate) distributions: BTreeMap<String, Owned<DistributionConfigurationShape>>,
    pub(crate) pipelines: BTreeMap<String, Pipeline>,
    pub(crate) images: BTreeMap<String, Image>,
    /// (account, region, operation, client token) → (the request's fingerprint, the ARN it made).
    #[serde(with = "tokens_in_world")]
    pub(crate) tokens: BTreeMap<(String, String, String, String), (String, String)>,
}

/// Client tokens in a world file: a list of `[key, value]` pairs, as every map whose keys are
/// not strings is written. A world file saved before they were written so holds an empty map
/// (`{}`: with any token in it, saving failed), which reads as no tokens.
mod tokens_in_world {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serializer};
    use serde_with::{Same, Seq};

    type Tokens = BTreeMap<(String, String, String, String), (String, String)>;

    pub(super) fn serialize<S: Serializer>(
        tokens: &Tokens,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serde_with::As::<Seq<(Same, Same)>>::serialize(tokens, serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Tokens, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Saved {
            Pairs(#[serde(with = "serde_with::As::<Seq<(Same, Same)>>")] Tokens),
            Empty(BTreeMap<String, serde::de::IgnoredAny>),
        }
        match Saved::deserialize(deserializer)? {
            Saved::Pairs(tokens) => Ok(tokens),
            Saved::Empty(map) if map.is_empty() => Ok(Tokens::new()),
            Saved::Empty(_) => Err(serde::de::Error::custom(
                "client tokens must be a list of [key, value] pairs",
            )),
        }
    }
}

impl crate::Cloud {
    /// Every image pipeline of every account, by ARN (read-only; for `--state` and checks).
    pub fn image_pipelines(&self) -> impl Iterator<Item = &Pipeline> {
        self.imagebuilder.pipelines.values()
    }

    /// Every image build version of every account, in the order the builds started.
    pub fn image_builds(&self) -> Vec<&Image> {
        let mut images: Vec<&Image> = self.imagebuilder.images.values().collect();
        images.sort_by_key(|i| i.seq);
        images
    }

    /// The image build versions a pipeline made, oldest first.
    pub fn pipeline_images(&self, pipeline_arn: &str) -> Vec<&Image> {
        self.image_builds()
            .into_iter()
            .filter(|i| i.pipeline_arn.as_deref() == Some(pipeline_arn))
            .collect()
    }
}

/// The build number the next build of `version_arn` (`…/<name>/<x.y.z>`) gets: 1 more than the
/// builds of that version among `arns` (`…/<x.y.z>/<n>`).
pub(crate) fn next_build<'a>(arns: impl Iterator<Item = &'a String>, version_arn: &str) -> u32 {
    arns.filter(|k| k.rsplit_once('/').is_some_and(|(v, _)| v == version_arn))
        .count() as u32
        + 1
}

/// `arn:aws:imagebuilder:<region>:<account>:<kind>/<name>…`, Image Builder's ARNs: names are
/// lowercased and every character other than a letter, a digit, `-` or `_` becomes `-`.
pub(crate) fn arn(region: &str, account: &str, kind: &str, name: &str) -> String {
    format!(
        "arn:aws:imagebuilder:{region}:{account}:{kind}/{}",
        arn_name(name)
    )
}

pub(crate) fn arn_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// `InvalidParameterValueException`: "The value supplied for parameter '<member>' is not valid.
/// <why>".
pub(crate) fn invalid_value(member: &str, why: impl std::fmt::Display) -> AwsError {
    AwsError::new(
        "InvalidParameterValueException",
        format!("The value supplied for parameter '{member}' is not valid. {why}"),
    )
}

/// `ResourceNotFoundException` (HTTP 404) for an ARN that names nothing the caller can see.
pub(crate) fn not_found(arn: &str) -> AwsError {
    AwsError::new(
        "ResourceNotFoundException",
        format!("The resource '{arn}' does not exist."),
    )
    .with_status(404)
}

/// `ResourceAlreadyExistsException`: "The following resource '<Kind>' already exists: '<arn>'."
pub(crate) fn already_exists(kind: &str, arn: &str) -> AwsError {
    AwsError::new(
        "ResourceAlreadyExistsException",
        format!("The following resource '{kind}' already exists: '{arn}'."),
    )
}

/// Checks a resource name against the model's `ResourceName` pattern
/// (`^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$`).
pub(crate) fn check_name(name: &str) -> Result<(), AwsError> {
    let ok = (3..=128).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ')
        && !name.starts_with(' ')
        && !name.ends_with(' ');
    if ok {
        Ok(())
    } else {
        Err(invalid_value(
            "name",
            "'name' must match pattern ^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$",
        ))
    }
}

/// Checks `major.minor.patch` (the model's `VersionNumber`).
pub(crate) fn check_version(version: &str) -> Result<(), AwsError> {
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.chars().all(|c| c.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidVersionNumberException",
            format!(
                "The value supplied for parameter 'semanticVersion' is not valid. semanticVersion must match pattern ^[0-9]+\\.[0-9]+\\.[0-9]+$ (got '{version}')."
            ),
        ))
    }
}

/// An AMI name with Image Builder's output variables replaced: `{{imagebuilder:buildDate}}`
/// (the build's start, `2025-06-02T09-00-00.000Z`: EC2 names cannot hold `:`) and
/// `{{imagebuilder:buildVersion}}` (the build number); spaces inside the braces are allowed.
/// Any other `{{…}}` is an error, naming it.
pub fn render_ami_name(template: &str, build_date: u64, build: u32) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| format!("'{template}' has '{{{{' without '}}}}'"))?;
        let variable = after[..close].trim();
        match variable {
            "imagebuilder:buildDate" => {
                out.push_str(&crate::clock::iso8601(build_date).replace(':', "-"))
            }
            "imagebuilder:buildVersion" => out.push_str(&build.to_string()),
            other => {
                return Err(format!(
                    "Unknown variable '{{{{{other}}}}}'; the AMI name may use {{{{imagebuilder:buildDate}}}} and {{{{imagebuilder:buildVersion}}}}."
                ))
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_lowercase_names() {
        assert_eq!(
            arn("us-east-1", "123456789012", "image-recipe", "Web Server"),
            "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/web-server"
        );
    }

    #[test]
    fn names_and_versions_follow_the_model() {
        assert!(check_name("web").is_ok());
        assert!(check_name("web server_2").is_ok());
        assert!(check_name("ab").is_err());
        assert!(check_name("web!").is_err());
        assert!(check_name(" web").is_err());
        assert!(check_version("1.0.0").is_ok());
        for bad in ["1.0", "1.0.x", "a.b.c", "1..0", "1.0.0.0"] {
            let e = check_version(bad).unwrap_err();
            assert_eq!(e.code, "InvalidVersionNumberException", "{bad}");
        }
    }

    #[test]
    fn ami_names_render_build_date_and_version() {
        let t = crate::clock::parse_iso8601("2025-06-02T09:00:00.000Z").unwrap();
        assert_eq!(
            render_ami_name("web-{{imagebuilder:buildDate}}", t, 3).unwrap(),
            "web-2025-06-02T09-00-00.000Z"
        );
        assert_eq!(
            render_ami_name("web {{ imagebuilder:buildVersion }}", t, 3).unwrap(),
            "web 3"
        );
        assert_eq!(render_ami_name("plain", t, 1).unwrap(), "plain");
        assert!(render_ami_name("web-{{imagebuilder:region}}", t, 1)
            .unwrap_err()
            .contains("Unknown variable '{{imagebuilder:region}}'"));
        assert!(render_ami_name("web-{{oops", t, 1).is_err());
    }
}

//! The lab file format (`labs/<id>/lab.yaml`): serde types, strict (`deny_unknown_fields`),
//! with JSON Schema generated from them (`amilab schema lab`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::Visibility;

fn hundred() -> f64 {
    100.0
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn one() -> f64 {
    1.0
}

/// How hard a lab is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

impl Difficulty {
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Beginner => "beginner",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
        }
    }
}

/// A lab: a story, a starting world, per-learner params and the checks that grade a script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabSpec {
    /// Lower-case id, the name of the lab's directory (`first-golden-image`).
    pub id: String,
    /// May use `{{params.NAME}}`.
    pub title: String,
    pub difficulty: Difficulty,
    /// Estimated time to complete, in minutes.
    pub minutes: u32,
    /// Syllabus concept ids the lab teaches (see CONCEPTS.md).
    pub concepts: Vec<String>,
    /// Markdown shown by `amilab lab show`; may use `{{params.NAME}}`.
    pub story: String,
    /// What the learner will have done, one line each; may use `{{params.NAME}}`.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Points taken off a check for each of its hints a learner reveals with `amilab hint`
    /// (never more than the check earned; its status stays as graded). With a cost, `amilab
    /// check` shows only the hints revealed. Default 0: hints are free.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hint_cost: f64,
    /// Percentage of the maximum score needed to pass (0–100).
    #[serde(default = "hundred")]
    pub pass_mark: f64,
    /// The cloud the learner's script starts in.
    #[serde(default)]
    pub world: WorldSpec,
    /// Per-learner variants, drawn from the learner's seed; read as `params.NAME` in scripts
    /// and checks, `{{params.NAME}}` in text.
    #[serde(default)]
    pub params: BTreeMap<String, ParamSpec>,
    /// Sandbox limits for the learner's script (defaults apply to what is not set).
    #[serde(default)]
    pub limits: LimitsSpec,
    /// The starter file given to learners (relative to the lab directory).
    #[serde(default = "starter")]
    pub starter: String,
    /// The reference solution: it must score 100 % for every variant.
    #[serde(default = "solution")]
    pub solution: String,
    /// Known-wrong submissions and the checks each must fail.
    #[serde(default)]
    pub wrong: Vec<WrongSpec>,
    /// Rhai functions shared by every check (compiled in front of each check's code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prelude: Option<String>,
    pub checks: Vec<CheckSpec>,
    /// Mutation testing of the reference solution (`amilab validate --mutants`).
    #[serde(default, skip_serializing_if = "MutantsSpec::is_empty")]
    pub mutants: MutantsSpec,
}

/// What `validate` needs to know about the solution's mutants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MutantsSpec {
    /// Mutants that cannot change the verdict (removing a `print`, say), by stable id, each
    /// with the reason. Any other surviving mutant fails validation.
    #[serde(default)]
    pub equivalent: Vec<EquivalentMutant>,
}

impl MutantsSpec {
    pub fn is_empty(&self) -> bool {
        self.equivalent.is_empty()
    }
}

/// A mutant of the solution declared equivalent: no correct check can tell it apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EquivalentMutant {
    /// The mutant's stable id, as `amilab validate --mutants` prints it (`remove-3f2a1c`).
    pub id: String,
    /// Why the mutant still deserves full marks.
    pub why: String,
}

fn starter() -> String {
    "starter.rhai".into()
}

fn solution() -> String {
    "solution.rhai".into()
}

/// The starting cloud.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorldSpec {
    /// The learner's account id (default `123456789012`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Other accounts by name (`teammate: "444455556666"`); scripts use
    /// `session(accounts.teammate)`, checks and resources refer to them by name.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// Enabled regions (default: every catalogue region); entries may use placeholders.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The simulated clock's start, ISO-8601 UTC (`2025-03-01T09:00:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Resources that exist before the learner's script runs. Every string in them (names,
    /// regions, zones, images, types, key names, security groups, descriptions, tags, setup
    /// and commands, accounts, `shared_with`) may use `{{params.NAME}}`, `{{accounts.NAME}}`,
    /// `{{account}}` and `{{learner}}`, rendered per learner before the world is built (so
    /// `world["NAME"]` keys are the rendered names).
    #[serde(default)]
    pub resources: ResourcesSpec,
    /// AWS Marketplace subscriptions: which accounts accepted which products' terms. Launching an
    /// image that carries a marketplace product code (a catalogue marketplace image, or an image
    /// made from one) needs the launching account to be subscribed; otherwise RunInstances
    /// answers `OptInRequired`. None by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<SubscriptionSpec>,
}

/// One AWS Marketplace subscription: `{product_code: 7axhc9g8w4lqkc3v2b6e1mzpa, account: learner}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSpec {
    /// The product code of a catalogue marketplace image (DescribeImages' `product_codes`).
    pub product_code: String,
    /// The subscribed account: `learner` (default), a name from `world.accounts`, or a 12-digit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// Pre-existing resources, created in this order: key pairs, security groups, instances,
/// images, volumes, snapshots, launch templates, Auto Scaling groups (settled: their instances
/// run). Every string may use placeholders (`{{params.NAME}}`, …); a
/// `region` from a param is valid when every value the param can draw is an enabled region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourcesSpec {
    #[serde(default)]
    pub key_pairs: Vec<KeyPairSpec>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupSpec>,
    #[serde(default)]
    pub instances: Vec<InstanceSpec>,
    #[serde(default)]
    pub images: Vec<ImageSpec>,
    #[serde(default)]
    pub volumes: Vec<VolumeSpec>,
    #[serde(default)]
    pub snapshots: Vec<SnapshotSpec>,
    #[serde(default)]
    pub launch_templates: Vec<LaunchTemplateSpec>,
    #[serde(default)]
    pub auto_scaling_groups: Vec<AutoScalingGroupSpec>,
}

/// A count: a number, or a placeholder that renders to one (`"{{params.count}}"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CountSpec {
    Number(i64),
    Text(String),
}

impl Default for CountSpec {
    fn default() -> Self {
        CountSpec::Number(0)
    }
}

impl CountSpec {
    /// The number, once placeholders are rendered; `None` for text that is not one.
    pub fn value(&self) -> Option<i64> {
        match self {
            CountSpec::Number(n) => Some(*n),
            CountSpec::Text(t) => t.trim().parse().ok(),
        }
    }
}

/// A launch template whose version 1 launches an image (EC2 CreateLaunchTemplate).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateSpec {
    /// The template's name (3–128 of `a-z A-Z 0-9 ( ) . - / _`); `world["NAME"]` is its id.
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// A catalogue image key (`al2023-x86_64`, …) or the name of a world image.
    pub image: String,
    #[serde(default = "t3_micro")]
    pub instance_type: String,
    /// Tags of the template.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An Auto Scaling group launching from a world launch template, settled before the learner's
/// script runs (its instances are in service).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroupSpec {
    /// The group's name; `world["NAME"]` is the name too (groups have no id).
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The `name` of a world launch template.
    pub launch_template: String,
    /// The template version the group names: a number, `$Latest` (default) or `$Default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub min_size: CountSpec,
    pub max_size: CountSpec,
    /// Default: `min_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<CountSpec>,
    /// Availability zones (default: the region's first two).
    #[serde(default)]
    pub zones: Vec<String>,
    /// Tags of the group, propagated to its instances.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Fields every pre-existing resource has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPairSpec {
    /// The key pair's name (unique per account and region).
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    /// Owning account: `learner` (default) or a name from `world.accounts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupSpec {
    /// Group name; referred to by instances' `security_groups`.
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Inbound TCP ports opened to `0.0.0.0/0`.
    #[serde(default)]
    pub open_ports: Vec<u16>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A running (or stopped) instance, configured by commands at first boot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceSpec {
    /// Its `Name` tag, and how checks refer to it (`world["NAME"]` is its id); may use
    /// placeholders (`"{{params.app}}-server"`).
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// A catalogue image key (`al2023-x86_64`, `ubuntu-noble-amd64`, …) or the name of an
    /// image in `resources.images` created earlier.
    pub image: String,
    #[serde(default = "t3_micro")]
    pub instance_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    /// Security group names (default: the account's `default` group).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Shell commands run at first boot (user data), e.g. installing and enabling nginx.
    #[serde(default)]
    pub setup: Vec<String>,
    /// Commands run through SSM after the instance is up; their file writes stay buffered
    /// until a sync, a reboot or a stop (what `no_reboot` images miss).
    #[serde(default)]
    pub commands: Vec<String>,
    /// Leave the instance `stopped` instead of `running`.
    #[serde(default)]
    pub stopped: bool,
    /// Extra tags (the `Name` tag is set from `name`); keys and values may use placeholders.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn t3_micro() -> String {
    "t3.micro".into()
}

/// An image made from a world instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    /// The image name (also how other resources and checks refer to it).
    pub name: String,
    /// The `name` of the instance in `resources.instances` to image (same region and account).
    pub from_instance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Accounts (ids or names from `world.accounts`) allowed to launch it.
    #[serde(default)]
    pub shared_with: Vec<String>,
}

/// A standalone EBS volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    /// Its `Name` tag and reference.
    pub name: String,
    /// Its region, e.g. `us-east-1` or `"{{params.region}}"`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Size in GiB.
    pub size: u32,
    /// Availability zone (default: the region's first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A snapshot of a world volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSpec {
    /// Its `Name` tag and reference.
    pub name: String,
    /// The `name` of the volume in `resources.volumes`.
    pub volume: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// One per-learner parameter: exactly one of `choose` + `from`, `one_of`, `range`, `value`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Pick this many distinct values of `from` (an array, in `from`'s order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choose: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Vec<serde_json::Value>>,
    /// Pick one value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<serde_json::Value>>,
    /// An integer from `[low, high]`, both included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[i64; 2]>,
    /// A fixed value (the same for everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// What the parameter means (for instructors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Sandbox limits for the learner's script.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// Rhai operations (default 2 000 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<u64>,
    /// Real seconds the script may run (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_seconds: Option<f64>,
    /// API calls the script may make (default 20 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_calls: Option<u64>,
    /// Instances per account per region (default 256).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances_per_region: Option<usize>,
    /// Lines of `print` output kept (default 2 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_lines: Option<usize>,
}

/// A known-wrong submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WrongSpec {
    /// The script, relative to the lab directory (`wrong/no-reboot.rhai`).
    pub file: String,
    /// The ids of exactly the checks it must fail (for every validated variant).
    pub fails: Vec<String>,
    /// The mistake it makes (for instructors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One graded check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Stable id, unique in the lab (`image-available`).
    pub id: String,
    /// What the check wants, for the learner; may use `{{params.NAME}}`.
    pub title: String,
    #[serde(default = "one")]
    pub points: f64,
    /// A required check must pass for the lab to pass, whatever the points: use it for what
    /// the story forbids or insists on (the server keeps serving, the image stays private).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// `visible` (default) or `hidden`: a hidden check shows only "hidden check" and its
    /// points, never its code, message or hints.
    #[serde(default)]
    pub visibility: Visibility,
    /// Concept ids this check grades (default: none beyond the lab's).
    #[serde(default)]
    pub concepts: Vec<String>,
    /// Hints revealed one at a time (`amilab hint`, or free with `amilab check --hints N` when
    /// the lab's `hint_cost` is 0); may use `{{params.NAME}}`.
    #[serde(default)]
    pub hints: Vec<String>,
    /// What a passing state looks like, shown beside `found` when the check fails; may use
    /// `{{params.NAME}}`. A check may also return its own `expected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// A Rhai expression (or block whose last expression is the value), run read-only after
    /// the learner's script. It returns `true` / `false`, or a map
    /// `#{pass, score, message, expected, found}` where `score` is 0.0–1.0 of the points.
    pub rhai: String,
}

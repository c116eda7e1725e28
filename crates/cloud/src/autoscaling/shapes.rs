//! Auto Scaling's request and response shapes for groups and their instances, in boto3's
//! snake_case (botocore's `autoscaling` model is the authority; the conformance test holds
//! them to it).

use serde::{Deserialize, Serialize};

use crate::ec2::launch_templates::LaunchTemplateSpecification;
use crate::request::request;

/// A tag in CreateAutoScalingGroup (`{key, value, propagate_at_launch}`; `resource_id` and
/// `resource_type`, when given, name the group itself).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupTagInput {
    /// The group's name, if given (it must be the group's own).
    pub resource_id: Option<String>,
    /// `auto-scaling-group`, if given.
    pub resource_type: Option<String>,
    /// The key: 1–128 characters, not starting with `aws:`.
    pub key: String,
    /// The value (empty when absent).
    pub value: Option<String>,
    /// Whether instances the group launches get the tag (default false).
    pub propagate_at_launch: Option<bool>,
}

/// `instance_maintenance_policy`: the healthy percentages replacements keep (`-1` clears one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceMaintenancePolicy {
    /// 0–100, or -1 to clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_healthy_percentage: Option<i64>,
    /// 100–200, or -1 to clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_healthy_percentage: Option<i64>,
}

request! {
    /// Input of Auto Scaling `CreateAutoScalingGroup`
    /// (`autoscaling.create_auto_scaling_group(#{auto_scaling_group_name: "web",
    /// launch_template: #{launch_template_name: "web", version: "$Latest"}, min_size: 2,
    /// max_size: 6, availability_zones: ["us-east-1a", "us-east-1b"]})`).
    pub struct CreateAutoScalingGroupInput {
        ..not_simulated["launch_configuration_name", "mixed_instances_policy", "instance_id", "availability_zone_ids", "load_balancer_names", "target_group_arns", "placement_group", "capacity_rebalance", "lifecycle_hook_specification_list", "deletion_protection", "service_linked_role_arn", "max_instance_lifetime", "context", "desired_capacity_type", "traffic_sources", "availability_zone_distribution", "availability_zone_impairment_policy", "skip_zonal_shift_validation", "capacity_reservation_specification", "instance_lifecycle_policy", "operator"],
        /// The group's name: 1–255 characters, unique per account and region.
        pub auto_scaling_group_name: String,
        /// The launch template (`{launch_template_id | launch_template_name, version}`;
        /// version a number, `$Latest` or `$Default`, `$Default` when absent). Required.
        pub launch_template: Option<LaunchTemplateSpecification>,
        /// The fewest instances (≥ 0).
        pub min_size: i64,
        /// The most instances (≥ min_size).
        pub max_size: i64,
        /// The instances to keep (min ≤ desired ≤ max); `min_size` when absent.
        pub desired_capacity: Option<i64>,
        /// Seconds (default 300; stored and shown).
        pub default_cooldown: Option<i64>,
        /// Zones to launch in (their default subnets), unless `vpc_zone_identifier` is given.
        #[serde(default)]
        pub availability_zones: Vec<String>,
        /// `EC2` (default), `ELB`, `VPC_LATTICE` or `EBS`; only EC2 status is simulated.
        pub health_check_type: Option<String>,
        /// Seconds (default 0).
        pub health_check_grace_period: Option<i64>,
        /// Comma-separated subnet ids to launch in, one zone each.
        pub vpc_zone_identifier: Option<String>,
        /// Termination policies in order: `Default`, `OldestInstance`, `NewestInstance`,
        /// `OldestLaunchTemplate`, `ClosestToNextInstanceHour`.
        #[serde(default)]
        pub termination_policies: Vec<String>,
        /// New instances start protected from scale-in.
        pub new_instances_protected_from_scale_in: Option<bool>,
        /// Tags of the group; those with `propagate_at_launch` go onto its instances.
        #[serde(default)]
        pub tags: Vec<GroupTagInput>,
        /// Seconds a new instance needs before it counts as warmed up.
        pub default_instance_warmup: Option<i64>,
        /// Healthy percentages for replacements.
        pub instance_maintenance_policy: Option<InstanceMaintenancePolicy>,
    }
}

request! {
    /// Input of Auto Scaling `UpdateAutoScalingGroup`: only the members given change; a new
    /// minimum above the desired capacity raises it, a new maximum below lowers it. Existing
    /// instances keep their configuration.
    pub struct UpdateAutoScalingGroupInput {
        ..not_simulated["launch_configuration_name", "mixed_instances_policy", "availability_zone_ids", "placement_group", "service_linked_role_arn", "max_instance_lifetime", "capacity_rebalance", "context", "desired_capacity_type", "availability_zone_distribution", "availability_zone_impairment_policy", "skip_zonal_shift_validation", "capacity_reservation_specification", "instance_lifecycle_policy", "deletion_protection"],
        /// The group.
        pub auto_scaling_group_name: String,
        /// A new launch template (new launches use it).
        pub launch_template: Option<LaunchTemplateSpecification>,
        /// A new minimum.
        pub min_size: Option<i64>,
        /// A new maximum.
        pub max_size: Option<i64>,
        /// A new desired capacity.
        pub desired_capacity: Option<i64>,
        /// A new cooldown, in seconds.
        pub default_cooldown: Option<i64>,
        /// New zones.
        pub availability_zones: Option<Vec<String>>,
        /// A new health check type.
        pub health_check_type: Option<String>,
        /// A new grace period, in seconds.
        pub health_check_grace_period: Option<i64>,
        /// New subnets.
        pub vpc_zone_identifier: Option<String>,
        /// New termination policies.
        pub termination_policies: Option<Vec<String>>,
        /// Whether new instances start protected.
        pub new_instances_protected_from_scale_in: Option<bool>,
        /// A new default warm-up, in seconds (-1 clears it).
        pub default_instance_warmup: Option<i64>,
        /// New healthy percentages.
        pub instance_maintenance_policy: Option<InstanceMaintenancePolicy>,
    }
}

request! {
    /// Input of Auto Scaling `DeleteAutoScalingGroup`.
    pub struct DeleteAutoScalingGroupInput {
        /// The group.
        pub auto_scaling_group_name: String,
        /// Terminate its instances and delete it once they are gone.
        pub force_delete: Option<bool>,
    }
}

/// A filter of DescribeAutoScalingGroups (`tag-key`, `tag-value`, `tag:<key>`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFilter {
    /// The filter's name.
    pub name: Option<String>,
    /// Values, any of which matches.
    #[serde(default)]
    pub values: Vec<String>,
}

request! {
    /// Input of Auto Scaling `DescribeAutoScalingGroups`.
    #[derive(Default)]
    pub struct DescribeAutoScalingGroupsInput {
        ..not_simulated["include_managed_resources"],
        /// Only these groups (names); every group of the caller's region when empty.
        #[serde(default)]
        pub auto_scaling_group_names: Vec<String>,
        /// List each group's instances (default true).
        pub include_instances: Option<bool>,
        /// The `next_token` of the previous page.
        pub next_token: Option<String>,
        /// Groups per page: 1–100, 50 when absent.
        pub max_records: Option<i64>,
        /// `tag-key`, `tag-value` and `tag:<key>` filters (all must match).
        #[serde(default)]
        pub filters: Vec<GroupFilter>,
    }
}

request! {
    /// Input of Auto Scaling `DescribeAutoScalingInstances`.
    #[derive(Default)]
    pub struct DescribeAutoScalingInstancesInput {
        ..not_simulated["include_managed_resources"],
        /// Only these instances; every group instance of the caller's region when empty.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        /// Instances per page: 1–50, 50 when absent.
        pub max_records: Option<i64>,
        /// The `next_token` of the previous page.
        pub next_token: Option<String>,
    }
}

request! {
    /// Input of Auto Scaling `SetDesiredCapacity`.
    pub struct SetDesiredCapacityInput {
        /// The group.
        pub auto_scaling_group_name: String,
        /// The new desired capacity, within the group's bounds.
        pub desired_capacity: i64,
        /// Accepted; there are no scaling policies whose cooldown it would honour.
        pub honor_cooldown: Option<bool>,
    }
}

request! {
    /// Input of Auto Scaling `TerminateInstanceInAutoScalingGroup`.
    pub struct TerminateInstanceInAutoScalingGroupInput {
        ..not_simulated["instance_ids", "auto_scaling_group_name"],
        /// The instance.
        pub instance_id: Option<String>,
        /// Lower the desired capacity by one (no replacement) or keep it (a replacement launches).
        pub should_decrement_desired_capacity: bool,
    }
}

request! {
    /// Input of Auto Scaling `SetInstanceProtection`.
    pub struct SetInstanceProtectionInput {
        /// Instances of the group (at most 50).
        pub instance_ids: Vec<String>,
        /// The group.
        pub auto_scaling_group_name: String,
        /// Protect them from scale-in, or lift the protection.
        pub protected_from_scale_in: bool,
    }
}

/// A launch template as a group or instance shows it: `{launch_template_id,
/// launch_template_name, version}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateShape {
    /// The template id.
    pub launch_template_id: String,
    /// The template name.
    pub launch_template_name: String,
    /// The version as the group names it (`$Latest`), or the number an instance launched with.
    pub version: String,
}

/// An instance as DescribeAutoScalingGroups lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupInstanceShape {
    /// The instance id.
    pub instance_id: String,
    /// Its instance type.
    pub instance_type: String,
    /// Its zone.
    pub availability_zone: String,
    /// Its zone id (`use1-az6`).
    pub availability_zone_id: String,
    /// `Pending`, `InService` or `Terminating`.
    pub lifecycle_state: String,
    /// `Healthy` or `Unhealthy`.
    pub health_status: String,
    /// The template version it was launched from.
    pub launch_template: LaunchTemplateShape,
    /// Whether it is protected from scale-in.
    pub protected_from_scale_in: bool,
}

/// An instance as DescribeAutoScalingInstances lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoScalingInstanceShape {
    /// The instance id.
    pub instance_id: String,
    /// Its instance type.
    pub instance_type: String,
    /// Its group.
    pub auto_scaling_group_name: String,
    /// Its zone.
    pub availability_zone: String,
    /// Its zone id.
    pub availability_zone_id: String,
    /// Its lifecycle state in the group, in upper case (`INSERVICE`) as this call writes it.
    pub lifecycle_state: String,
    /// `HEALTHY` or `UNHEALTHY`, as this call writes it.
    pub health_status: String,
    /// The template version it was launched from.
    pub launch_template: LaunchTemplateShape,
    /// Whether it is protected from scale-in.
    pub protected_from_scale_in: bool,
}

/// A group's tag as DescribeAutoScalingGroups shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagDescription {
    /// The group's name.
    pub resource_id: String,
    /// `auto-scaling-group`.
    pub resource_type: String,
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Whether instances get it at launch.
    pub propagate_at_launch: bool,
}

/// A group as DescribeAutoScalingGroups shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoScalingGroupShape {
    /// Its name.
    pub auto_scaling_group_name: String,
    /// Its ARN.
    pub auto_scaling_group_arn: String,
    /// Its launch template, version as given.
    pub launch_template: LaunchTemplateShape,
    /// The fewest instances.
    pub min_size: i64,
    /// The most instances.
    pub max_size: i64,
    /// The instances it keeps.
    pub desired_capacity: i64,
    /// Seconds.
    pub default_cooldown: i64,
    /// Its zones.
    pub availability_zones: Vec<String>,
    /// Always empty: load balancers are not simulated.
    pub load_balancer_names: Vec<String>,
    /// Always empty.
    pub target_group_arns: Vec<String>,
    /// `EC2`, …
    pub health_check_type: String,
    /// Seconds.
    pub health_check_grace_period: i64,
    /// Its instances (left out with `include_instances: false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<GroupInstanceShape>>,
    /// When it was created, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub created_time: String,
    /// Always empty: suspending processes is not simulated.
    pub suspended_processes: Vec<serde_json::Value>,
    /// Its subnets as given, comma-separated (empty when it names zones).
    pub vpc_zone_identifier: String,
    /// Always empty.
    pub enabled_metrics: Vec<serde_json::Value>,
    /// `Delete in progress` while a forced delete runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Its tags, by key.
    pub tags: Vec<TagDescription>,
    /// Its termination policies.
    pub termination_policies: Vec<String>,
    /// Whether new instances start protected.
    pub new_instances_protected_from_scale_in: bool,
    /// The service-linked role Auto Scaling uses.
    pub service_linked_role_arn: String,
    /// Always false.
    pub capacity_rebalance: bool,
    /// Seconds, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_instance_warmup: Option<i64>,
    /// Always empty.
    pub traffic_sources: Vec<serde_json::Value>,
    /// Its healthy percentages, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_maintenance_policy: Option<InstanceMaintenancePolicy>,
}

/// DescribeAutoScalingGroups' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeAutoScalingGroupsOutput {
    /// The groups, by name.
    pub auto_scaling_groups: Vec<AutoScalingGroupShape>,
    /// The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// DescribeAutoScalingInstances' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeAutoScalingInstancesOutput {
    /// The instances, by id.
    pub auto_scaling_instances: Vec<AutoScalingInstanceShape>,
    /// The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The empty answer of the calls that return nothing but metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Empty {}

//! The request and response shapes of the instance operations (boto3's keys).

use super::*;

/// An instance's `Monitoring`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringShape {
    /// `enabled` or `disabled`: detailed (one-minute) monitoring.
    pub state: String,
}

/// An instance's `Placement`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementShape {
    /// Its placement group; always empty.
    pub group_name: String,
    /// Always `default`.
    pub tenancy: String,
    /// Its availability zone (`us-east-1a`).
    pub availability_zone: String,
}

/// A security group as an instance lists it: `{group_id, group_name}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShape {
    /// The group id (`sg-…`).
    pub group_id: String,
    /// The group name.
    pub group_name: String,
}

/// The EBS part of an instance's block device mapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceEbsShape {
    /// When the volume was attached, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub attach_time: String,
    /// Whether the volume is deleted when the instance terminates.
    pub delete_on_termination: bool,
    /// Always `attached`.
    pub status: String,
    /// The volume (`vol-…`).
    pub volume_id: String,
}

/// One EBS device of an instance (instance-store devices are not listed, as in EC2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceBlockDeviceShape {
    /// The device name (`/dev/xvda`).
    pub device_name: String,
    /// The attached volume.
    pub ebs: InstanceEbsShape,
}

/// An instance as DescribeInstances and RunInstances return it (boto3's keys, converted by
/// `xform_name`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceShape {
    /// `i386`, `x86_64` or `arm64`.
    pub architecture: String,
    /// Its attached EBS volumes.
    pub block_device_mappings: Vec<InstanceBlockDeviceShape>,
    /// The idempotency token given at launch, or empty.
    pub client_token: String,
    /// Whether it is EBS-optimized.
    pub ebs_optimized: bool,
    /// Whether ENA enhanced networking is enabled.
    pub ena_support: bool,
    /// Always `xen` (EC2 reports `xen` for both Xen and Nitro instances).
    pub hypervisor: String,
    /// The IAM instance profile associated with it; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile: Option<IamInstanceProfileShape>,
    /// The root device's name (`/dev/xvda`).
    pub root_device_name: String,
    /// `ebs` or `instance-store`.
    pub root_device_type: String,
    /// Its security groups.
    pub security_groups: Vec<GroupShape>,
    /// Always `true`.
    pub source_dest_check: bool,
    /// Why the state last changed (`Client.UserInitiatedShutdown`), when EC2 says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<StateReasonShape>,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `hvm` or `paravirtual`.
    pub virtualization_type: String,
    /// Its instance metadata options.
    pub metadata_options: MetadataOptionsShape,
    /// `uefi`, `legacy-bios` or `uefi-preferred`; absent when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<String>,
    /// `Linux/UNIX`, `Windows`, ….
    pub platform_details: String,
    /// The billing code (`RunInstances`, …).
    pub usage_operation: String,
    /// The instance id (`i-…`).
    pub instance_id: String,
    /// The AMI it was launched from.
    pub image_id: String,
    /// Its state, `{code, name}`.
    pub state: StateShape,
    /// `ip-172-31-….ec2.internal` (`<region>.compute.internal` outside us-east-1); empty once
    /// terminated.
    pub private_dns_name: String,
    /// `ec2-<public ip>.compute-1.amazonaws.com` (`<region>.compute.amazonaws.com` outside
    /// us-east-1); empty without a public address.
    pub public_dns_name: String,
    /// `User initiated` after a user stop or terminate; empty otherwise.
    pub state_transition_reason: String,
    /// The key pair named at launch; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    /// Its position among the instances of its launch, from 0.
    pub ami_launch_index: u32,
    /// The image's marketplace product codes.
    pub product_codes: Vec<ProductCodeShape>,
    /// Its type (`t3.micro`).
    pub instance_type: String,
    /// When it was launched, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub launch_time: String,
    /// Where it runs.
    pub placement: PlacementShape,
    /// The kernel of a paravirtual instance; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<String>,
    /// `windows` for Windows instances; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Detailed monitoring.
    pub monitoring: MonitoringShape,
    /// Its subnet; absent once terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Its VPC; absent once terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Its private IPv4 address; absent once terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
    /// Its public IPv4 address; absent when stopped or terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip_address: Option<String>,
}

/// A reservation: the instances of one RunInstances call. RunInstances answers one;
/// DescribeInstances lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservationShape {
    /// The reservation id (`r-…`).
    pub reservation_id: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Always empty (EC2-Classic security groups).
    pub groups: Vec<GroupShape>,
    /// Its instances, in launch order.
    pub instances: Vec<InstanceShape>,
}

/// `placement` in RunInstances (EC2's `Placement`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
    /// The zone to launch in (`us-east-1b`); by default a zone is drawn from the seeded generator.
    pub availability_zone: Option<String>,
    /// The zone by its id (`use1-az6`), instead of or agreeing with `availability_zone`.
    pub availability_zone_id: Option<String>,
}

request! {
    /// Input of EC2 `RunInstances` (`ec2.run_instances(#{image_id, instance_type, min_count: 1,
    /// max_count: 1})`; EC2-BEHAVIOUR.md, RunInstances).
    #[derive(Default)]
    pub struct RunInstancesInput {
        ..not_simulated["additional_info", "capacity_reservation_specification", "cpu_options", "credit_specification", "elastic_gpu_specification", "elastic_inference_accelerators", "enable_primary_ipv6", "enclave_options", "hibernation_options", "instance_market_options", "ipv6_address_count", "ipv6_addresses", "kernel_id", "license_specifications", "maintenance_options", "network_interfaces", "network_performance_options", "operator", "private_dns_name_options", "private_ip_address", "ramdisk_id", "secondary_interfaces", "block_device_mappings.ebs.throughput", "placement.group_name", "placement.tenancy", "placement.affinity", "placement.partition_number", "placement.host_id", "placement.spread_domain", "placement.host_resource_group_arn", "placement.group_id"],
        /// The AMI to launch (required): one the caller may launch, `available`.
        pub image_id: Option<String>,
        /// Launch at least this many (≥ 1), or none.
        pub min_count: i64,
        /// Launch up to this many (≥ `min_count`), as the instance quota allows.
        pub max_count: i64,
        /// The instance type; `m1.small` when absent, EC2's documented default.
        pub instance_type: Option<String>,
        /// A key pair of the caller's in the region.
        pub key_name: Option<String>,
        /// Security groups by id; the VPC's `default` group when neither form is given.
        #[serde(default)]
        pub security_group_ids: Vec<String>,
        /// Security groups by name, in the launch VPC.
        #[serde(default)]
        pub security_groups: Vec<String>,
        /// A script run at the first boot, as text (boto3 base64-encodes it on the wire); at most
        /// 16 KiB. Lines starting with `#!` are skipped.
        pub user_data: Option<String>,
        /// Where to launch (`{availability_zone}`).
        pub placement: Option<PlacementInput>,
        /// The subnet to launch in; by default the default subnet of the chosen zone.
        pub subnet_id: Option<String>,
        /// Changes to the image's devices: override an EBS device's size, type or
        /// `delete_on_termination`, add devices, or leave one out with `no_device`.
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// Tags for the new `instance`s and `volume`s (`network-interface`,
        /// `spot-instances-request` and `elastic-gpu` are accepted and not applied).
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        /// `true` to refuse TerminateInstances until the attribute is cleared.
        pub disable_api_termination: Option<bool>,
        /// `true` to refuse StopInstances until the attribute is cleared.
        pub disable_api_stop: Option<bool>,
        /// `stop` (default) or `terminate`.
        pub instance_initiated_shutdown_behavior: Option<String>,
        /// An idempotency token; recorded on the instance.
        pub client_token: Option<String>,
        /// Whether the instance is EBS-optimized; `false` when absent.
        pub ebs_optimized: Option<bool>,
        /// A launch template (`{launch_template_id | launch_template_name, version}`) whose
        /// version (`$Default` when absent) supplies what the request leaves out.
        pub launch_template: Option<crate::ec2::launch_templates::LaunchTemplateSpecification>,
        /// `{enabled: true}` turns on detailed monitoring.
        pub monitoring: Option<MonitoringInput>,
        /// The IAM instance profile to associate (`{name}` or `{arn}`); any well-formed name is a
        /// profile of the caller's account (there is no IAM here).
        pub iam_instance_profile: Option<IamInstanceProfileInput>,
        /// Instance metadata options (`{http_tokens: "required"}` for IMDSv2); by default those
        /// of the image (`required` and 2 hops for an image with `imds_support` `v2.0`).
        pub metadata_options: Option<MetadataOptionsInput>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeInstances`.
    #[derive(Default)]
    pub struct DescribeInstancesInput {
        ..not_simulated["include_managed_resources"],
        /// Only these instances; any that is not the caller's is `InvalidInstanceID.NotFound`.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeInstances`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstancesOutput {
    /// The caller's matching instances, grouped by reservation, in launch order.
    pub reservations: Vec<ReservationShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `StopInstances` (its members in botocore's model).
    pub struct StopInstancesInput {
        /// The instances (at least one): all the caller's.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        /// `Hibernate`: `true` is refused, as no instance here is enabled for hibernation.
        pub hibernate: Option<bool>,
        /// `SkipOsShutdown`: stop without shutting the operating system down (faster; buffered
        /// writes may be lost on real EC2).
        pub skip_os_shutdown: Option<bool>,
        ..dry_run,
        /// `Force`: stop without a clean shutdown, like `skip_os_shutdown`.
        pub force: Option<bool>,
    }
}

request! {
    /// Input of EC2 `StartInstances` (its members in botocore's model).
    pub struct StartInstancesInput {
        ..not_simulated["additional_info"],
        /// The instances (at least one): all the caller's.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `RebootInstances` (its members in botocore's model).
    pub struct RebootInstancesInput {
        /// The instances (at least one): all the caller's.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `TerminateInstances` (its members in botocore's model).
    pub struct TerminateInstancesInput {
        /// The instances (at least one): all the caller's.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        /// `Force`: terminate without a clean shutdown.
        pub force: Option<bool>,
        /// `SkipOsShutdown`: terminate without shutting the operating system down (faster).
        pub skip_os_shutdown: Option<bool>,
        ..dry_run,
    }
}

/// An `InstanceStateChange`: one instance's previous and current state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateChangeShape {
    /// The instance id.
    pub instance_id: String,
    /// The state after the call.
    pub current_state: StateShape,
    /// The state before the call.
    pub previous_state: StateShape,
}

/// EC2 `StopInstances`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoppingOutput {
    /// One state change per instance, in request order.
    pub stopping_instances: Vec<StateChangeShape>,
}

/// EC2 `StartInstances`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartingOutput {
    /// One state change per instance, in request order.
    pub starting_instances: Vec<StateChangeShape>,
}

/// EC2 `TerminateInstances`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerminatingOutput {
    /// One state change per instance, in request order.
    pub terminating_instances: Vec<StateChangeShape>,
}

/// `{value: …}` wrappers of ModifyInstanceAttribute.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoolValue {
    /// The new value.
    pub value: Option<bool>,
}

/// A `{value: …}` wrapper of ModifyInstanceAttribute for a string attribute.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StringValue {
    /// The new value.
    pub value: Option<String>,
}

request! {
    /// Input of EC2 `ModifyInstanceAttribute`: either `attribute` + `value`, or one of the
    /// structured members.
    pub struct ModifyInstanceAttributeInput {
        ..not_simulated["block_device_mappings", "ena_support", "enclave_options", "kernel", "ramdisk", "source_dest_check", "sriov_net_support"],
        /// The instance: the caller's.
        pub instance_id: String,
        /// The attribute to set with `value`: `instanceType`, `disableApiTermination`,
        /// `disableApiStop`, `instanceInitiatedShutdownBehavior` or `userData`.
        pub attribute: Option<String>,
        /// The new value for `attribute` (`"true"` / `"false"` for flags).
        pub value: Option<String>,
        /// A new instance type (the instance must be stopped, and the type compatible with its
        /// image).
        pub instance_type: Option<StringValue>,
        /// Turn termination protection on or off.
        pub disable_api_termination: Option<BoolValue>,
        /// Turn stop protection on or off.
        pub disable_api_stop: Option<BoolValue>,
        /// New user data (the instance must be stopped).
        pub user_data: Option<StringValue>,
        /// `stop` or `terminate`.
        pub instance_initiated_shutdown_behavior: Option<StringValue>,
        /// Turn EBS optimization on or off.
        pub ebs_optimized: Option<BoolValue>,
        /// Replace the instance's security groups (ids of the caller's groups).
        #[serde(default)]
        pub groups: Vec<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeInstanceAttribute`.
    pub struct DescribeInstanceAttributeInput {
        /// The instance: the caller's.
        pub instance_id: String,
        /// `instanceType`, `disableApiTermination`, `disableApiStop`, `userData`,
        /// `instanceInitiatedShutdownBehavior`, `rootDeviceName` or `groupSet`.
        pub attribute: String,
        ..dry_run,
    }
}

/// `{value: bool}` as DescribeInstanceAttribute answers a flag.
#[derive(Debug, Clone, Serialize)]
pub struct BoolValueShape {
    /// The flag's value.
    pub value: bool,
}

/// `{value: string}` as DescribeInstanceAttribute answers a string attribute.
#[derive(Debug, Clone, Serialize)]
pub struct StringValueShape {
    /// The value; absent when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// EC2 `DescribeInstanceAttribute`'s answer: the instance id and the one attribute asked for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InstanceAttributeOutput {
    /// For `disableApiTermination`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_termination: Option<BoolValueShape>,
    /// The instance id.
    pub instance_id: String,
    /// For `instanceInitiatedShutdownBehavior`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_initiated_shutdown_behavior: Option<StringValueShape>,
    /// For `instanceType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<StringValueShape>,
    /// For `rootDeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_device_name: Option<StringValueShape>,
    /// For `userData`: the user data, base64-encoded as EC2 returns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<StringValueShape>,
    /// For `disableApiStop`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_stop: Option<BoolValueShape>,
    /// For `groupSet`: the instance's security groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupShape>>,
}

request! {
    /// Input of EC2 `GetConsoleOutput`.
    pub struct GetConsoleOutputInput {
        /// The instance: the caller's.
        pub instance_id: String,
        /// `Latest`: the most recent output rather than the buffered one; an instance here has
        /// one console output, so both are the same.
        pub latest: Option<bool>,
        ..dry_run,
    }
}

/// EC2 `GetConsoleOutput`'s answer.
#[derive(Debug, Clone, Serialize)]
pub struct ConsoleOutput {
    /// The instance id.
    pub instance_id: String,
    /// The current simulated time, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub timestamp: String,
    /// What cloud-init printed at the first boot (the user data's output), as text; empty without
    /// user data.
    pub output: String,
}

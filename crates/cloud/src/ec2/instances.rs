//! Instances: RunInstances with its compatibility rules, DescribeInstances, the stop / start /
//! reboot / terminate lifecycle, and instance attributes.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::filters::{self, Filterable, Matcher, Sink};
use super::images::{ImageProfile, ProductCodeShape};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::volumes::{Volume, VolumeState};
use super::{check_volume_type, BlockDeviceMappingRequest, Empty, StateReasonShape, StateShape};
use crate::catalog::{instance_type, Arch, InstanceTypeInfo, RootDevice, Virtualization};
use crate::clock::{durations, iso8601};
use crate::error::{AwsError, AwsResult};
use crate::guest::Guest;
use crate::ids::is_well_formed;
use crate::lifecycle::Event;
use crate::request::request;
use crate::{Caller, Cloud};

/// EC2's default instance type when RunInstances names none.
pub const DEFAULT_INSTANCE_TYPE: &str = "m1.small";
/// User data larger than this is refused.
pub const MAX_USER_DATA_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

impl InstanceState {
    pub fn code(self) -> i64 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::ShuttingDown => 32,
            InstanceState::Terminated => 48,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }

    pub fn shape(self) -> StateShape {
        StateShape {
            code: self.code(),
            name: self.as_str().to_string(),
        }
    }

    /// Counts against the instance quota.
    pub fn is_live(self) -> bool {
        !matches!(
            self,
            InstanceState::ShuttingDown | InstanceState::Terminated
        )
    }
}

/// One device attached to an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceMapping {
    pub device_name: String,
    /// The EBS volume; `None` for an instance-store device.
    pub volume_id: Option<String>,
    pub virtual_name: Option<String>,
    pub delete_on_termination: bool,
    pub attach_time: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub id: String,
    pub seq: u64,
    pub owner_id: String,
    pub reservation_id: String,
    pub image_id: String,
    pub instance_type: String,
    pub state: InstanceState,
    pub state_reason: Option<(String, String)>,
    pub state_transition_reason: String,
    pub launch_time: u64,
    pub availability_zone: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub private_ip: String,
    pub public_ip: Option<String>,
    pub key_name: Option<String>,
    /// (group id, group name)
    pub security_groups: Vec<(String, String)>,
    pub profile: ImageProfile,
    pub mappings: Vec<InstanceMapping>,
    pub tags: Tags,
    pub disable_api_termination: bool,
    pub disable_api_stop: bool,
    pub shutdown_behavior: String,
    pub user_data: Option<String>,
    pub guest: Arc<Guest>,
    /// Has it ever reached `running`? (user data runs at the first boot only)
    pub ever_running: bool,
    pub ami_launch_index: u32,
    pub client_token: Option<String>,
    pub ebs_optimized: bool,
    /// What cloud-init printed at the first boot (GetConsoleOutput).
    pub console_output: String,
    /// Why the first boot will fail, if it will (the instance then terminates on its own).
    pub boot_failure: Option<(String, String)>,
}

impl Instance {
    pub fn type_info(&self) -> Option<&'static InstanceTypeInfo> {
        instance_type(&self.instance_type)
    }

    fn dns_suffix(&self, region: &str) -> (String, String) {
        if region == "us-east-1" {
            ("ec2.internal".into(), "compute-1.amazonaws.com".into())
        } else {
            (
                format!("{region}.compute.internal"),
                format!("{region}.compute.amazonaws.com"),
            )
        }
    }

    /// What `http://169.254.169.254/latest/meta-data/...` serves; the hostname first.
    fn metadata(&self, region: &str) -> Vec<(&'static str, String)> {
        let (private_suffix, _) = self.dns_suffix(region);
        let hostname = format!("ip-{}.{private_suffix}", self.private_ip.replace('.', "-"));
        let mut out = vec![
            ("meta-data/hostname", hostname.clone()),
            ("meta-data/local-hostname", hostname),
            ("meta-data/instance-id", self.id.clone()),
            ("meta-data/ami-id", self.image_id.clone()),
            ("meta-data/instance-type", self.instance_type.clone()),
            ("meta-data/local-ipv4", self.private_ip.clone()),
            (
                "meta-data/placement/availability-zone",
                self.availability_zone.clone(),
            ),
            ("meta-data/placement/region", region.to_string()),
        ];
        if let Some(ip) = &self.public_ip {
            out.push(("meta-data/public-ipv4", ip.clone()));
        }
        if let Some(data) = &self.user_data {
            out.push(("user-data", data.clone()));
        }
        out
    }

    pub fn describe(&self, region: &str) -> InstanceShape {
        let (private_suffix, public_suffix) = self.dns_suffix(region);
        let visible_network = self.state != InstanceState::Terminated;
        InstanceShape {
            ami_launch_index: self.ami_launch_index,
            image_id: self.image_id.clone(),
            instance_id: self.id.clone(),
            instance_type: self.instance_type.clone(),
            kernel_id: self.profile.kernel_id.clone(),
            key_name: self.key_name.clone(),
            launch_time: iso8601(self.launch_time),
            monitoring: MonitoringShape {
                state: "disabled".into(),
            },
            placement: PlacementShape {
                availability_zone: self.availability_zone.clone(),
                group_name: String::new(),
                tenancy: "default".into(),
            },
            platform: self.profile.os.is_windows().then(|| "windows".to_string()),
            platform_details: self.profile.platform_details.clone(),
            usage_operation: self.profile.usage_operation.clone(),
            private_dns_name: if visible_network {
                format!("ip-{}.{private_suffix}", self.private_ip.replace('.', "-"))
            } else {
                String::new()
            },
            private_ip_address: visible_network.then(|| self.private_ip.clone()),
            product_codes: self
                .profile
                .product_codes
                .iter()
                .map(|c| ProductCodeShape {
                    product_code_id: c.clone(),
                    product_code_type: "marketplace".into(),
                })
                .collect(),
            public_dns_name: self
                .public_ip
                .as_ref()
                .map(|ip| format!("ec2-{}.{public_suffix}", ip.replace('.', "-")))
                .unwrap_or_default(),
            public_ip_address: self.public_ip.clone(),
            state: self.state.shape(),
            state_transition_reason: self.state_transition_reason.clone(),
            state_reason: self.state_reason.as_ref().map(|(c, m)| StateReasonShape {
                code: c.clone(),
                message: m.clone(),
            }),
            subnet_id: visible_network.then(|| self.subnet_id.clone()),
            vpc_id: visible_network.then(|| self.vpc_id.clone()),
            architecture: self.profile.architecture.as_str().to_string(),
            block_device_mappings: self
                .mappings
                .iter()
                .filter_map(|m| {
                    m.volume_id.as_ref().map(|v| InstanceBlockDeviceShape {
                        device_name: m.device_name.clone(),
                        ebs: InstanceEbsShape {
                            attach_time: iso8601(m.attach_time),
                            delete_on_termination: m.delete_on_termination,
                            status: "attached".into(),
                            volume_id: v.clone(),
                        },
                    })
                })
                .collect(),
            client_token: self.client_token.clone().unwrap_or_default(),
            ebs_optimized: self.ebs_optimized,
            ena_support: self.profile.ena_support,
            hypervisor: "xen".into(),
            root_device_name: self.profile.root_device_name.clone(),
            root_device_type: self.profile.root_device.as_str().to_string(),
            security_groups: self
                .security_groups
                .iter()
                .map(|(id, name)| GroupShape {
                    group_id: id.clone(),
                    group_name: name.clone(),
                })
                .collect(),
            source_dest_check: true,
            tags: self.tags.to_list(),
            virtualization_type: self.profile.virtualization.as_str().to_string(),
            boot_mode: self.profile.boot_mode.clone(),
        }
    }
}

impl Filterable for Instance {
    const FILTER_NAMES: &'static [&'static str] = &[
        "architecture",
        "availability-zone",
        "block-device-mapping.device-name",
        "block-device-mapping.volume-id",
        "image-id",
        "instance-id",
        "instance-lifecycle",
        "instance-state-code",
        "instance-state-name",
        "instance-type",
        "instance.group-id",
        "instance.group-name",
        "ip-address",
        "key-name",
        "launch-time",
        "owner-id",
        "placement.availability-zone",
        "platform",
        "platform-details",
        "private-ip-address",
        "product-code",
        "reservation-id",
        "root-device-name",
        "root-device-type",
        "subnet-id",
        "virtualization-type",
        "vpc-id",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "architecture" => out.push(self.profile.architecture.as_str()),
            "availability-zone" | "placement.availability-zone" => {
                out.push(self.availability_zone.as_str())
            }
            "block-device-mapping.device-name" => out.extend(
                self.mappings
                    .iter()
                    .map(|m| Cow::from(m.device_name.as_str())),
            ),
            "block-device-mapping.volume-id" => out.extend(
                self.mappings
                    .iter()
                    .filter_map(|m| m.volume_id.as_deref().map(Cow::from)),
            ),
            "image-id" => out.push(self.image_id.as_str()),
            "instance-id" => out.push(self.id.as_str()),
            "instance-state-code" => out.push(self.state.code().to_string()),
            "instance-state-name" => out.push(self.state.as_str()),
            "instance-type" => out.push(self.instance_type.as_str()),
            "instance.group-id" => out.extend(
                self.security_groups
                    .iter()
                    .map(|(id, _)| Cow::from(id.as_str())),
            ),
            "instance.group-name" => out.extend(
                self.security_groups
                    .iter()
                    .map(|(_, n)| Cow::from(n.as_str())),
            ),
            "ip-address" => out.extend(self.public_ip.as_deref().map(Cow::from)),
            "key-name" => out.extend(self.key_name.as_deref().map(Cow::from)),
            "launch-time" => out.push(iso8601(self.launch_time)),
            "owner-id" => out.push(self.owner_id.as_str()),
            "platform" if self.profile.os.is_windows() => out.push("windows"),
            "platform-details" => out.push(self.profile.platform_details.as_str()),
            "private-ip-address" => out.push(self.private_ip.as_str()),
            "product-code" => out.extend(
                self.profile
                    .product_codes
                    .iter()
                    .map(|c| Cow::from(c.as_str())),
            ),
            "reservation-id" => out.push(self.reservation_id.as_str()),
            "root-device-name" => out.push(self.profile.root_device_name.as_str()),
            "root-device-type" => out.push(self.profile.root_device.as_str()),
            "subnet-id" => out.push(self.subnet_id.as_str()),
            "virtualization-type" => out.push(self.profile.virtualization.as_str()),
            "vpc-id" => out.push(self.vpc_id.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringShape {
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementShape {
    pub availability_zone: String,
    pub group_name: String,
    pub tenancy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShape {
    pub group_id: String,
    pub group_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceEbsShape {
    pub attach_time: String,
    pub delete_on_termination: bool,
    pub status: String,
    pub volume_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceBlockDeviceShape {
    pub device_name: String,
    pub ebs: InstanceEbsShape,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceShape {
    pub ami_launch_index: u32,
    pub image_id: String,
    pub instance_id: String,
    pub instance_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    pub launch_time: String,
    pub monitoring: MonitoringShape,
    pub placement: PlacementShape,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub platform_details: String,
    pub usage_operation: String,
    pub private_dns_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
    pub product_codes: Vec<ProductCodeShape>,
    pub public_dns_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip_address: Option<String>,
    pub state: StateShape,
    pub state_transition_reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<StateReasonShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    pub architecture: String,
    pub block_device_mappings: Vec<InstanceBlockDeviceShape>,
    pub client_token: String,
    pub ebs_optimized: bool,
    pub ena_support: bool,
    pub hypervisor: String,
    pub root_device_name: String,
    pub root_device_type: String,
    pub security_groups: Vec<GroupShape>,
    pub source_dest_check: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    pub virtualization_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservationShape {
    pub reservation_id: String,
    pub owner_id: String,
    pub groups: Vec<GroupShape>,
    pub instances: Vec<InstanceShape>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
    pub availability_zone: Option<String>,
    pub availability_zone_id: Option<String>,
    pub group_name: Option<String>,
    pub tenancy: Option<String>,
}

request! {
    #[derive(Default)]
    pub struct RunInstancesInput {
        pub image_id: Option<String>,
        pub min_count: i64,
        pub max_count: i64,
        pub instance_type: Option<String>,
        pub key_name: Option<String>,
        #[serde(default)]
        pub security_group_ids: Vec<String>,
        #[serde(default)]
        pub security_groups: Vec<String>,
        pub user_data: Option<String>,
        pub placement: Option<PlacementInput>,
        pub subnet_id: Option<String>,
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        pub disable_api_termination: Option<bool>,
        pub disable_api_stop: Option<bool>,
        pub instance_initiated_shutdown_behavior: Option<String>,
        pub private_ip_address: Option<String>,
        pub client_token: Option<String>,
        pub ebs_optimized: Option<bool>,
        pub launch_template: Option<Value>,
        pub network_interfaces: Option<Vec<Value>>,
        pub monitoring: Option<Value>,
        pub iam_instance_profile: Option<Value>,
        pub metadata_options: Option<Value>,
        pub credit_specification: Option<Value>,
        ..dry_run,
    }
}

request! {
    #[derive(Default)]
    pub struct DescribeInstancesInput {
        #[serde(default)]
        pub instance_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstancesOutput {
    pub reservations: Vec<ReservationShape>,
}

request! {
    pub struct InstanceIdsInput {
        #[serde(default)]
        pub instance_ids: Vec<String>,
        pub force: Option<bool>,
        pub hibernate: Option<bool>,
        pub skip_os_shutdown: Option<bool>,
        pub additional_info: Option<String>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateChangeShape {
    pub instance_id: String,
    pub current_state: StateShape,
    pub previous_state: StateShape,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoppingOutput {
    pub stopping_instances: Vec<StateChangeShape>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartingOutput {
    pub starting_instances: Vec<StateChangeShape>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerminatingOutput {
    pub terminating_instances: Vec<StateChangeShape>,
}

/// `{value: …}` wrappers of ModifyInstanceAttribute.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoolValue {
    pub value: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StringValue {
    pub value: Option<String>,
}

request! {
    pub struct ModifyInstanceAttributeInput {
        pub instance_id: String,
        pub attribute: Option<String>,
        pub value: Option<String>,
        pub instance_type: Option<StringValue>,
        pub disable_api_termination: Option<BoolValue>,
        pub disable_api_stop: Option<BoolValue>,
        pub user_data: Option<StringValue>,
        pub instance_initiated_shutdown_behavior: Option<StringValue>,
        pub ebs_optimized: Option<BoolValue>,
        pub source_dest_check: Option<BoolValue>,
        pub ena_support: Option<BoolValue>,
        #[serde(default)]
        pub groups: Vec<String>,
        ..dry_run,
    }
}

request! {
    pub struct DescribeInstanceAttributeInput {
        pub instance_id: String,
        pub attribute: String,
        ..dry_run,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BoolValueShape {
    pub value: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StringValueShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct InstanceAttributeOutput {
    pub instance_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<StringValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_termination: Option<BoolValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_stop: Option<BoolValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<StringValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_initiated_shutdown_behavior: Option<StringValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_device_name: Option<StringValueShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupShape>>,
}

request! {
    pub struct GetConsoleOutputInput {
        pub instance_id: String,
        pub latest: Option<bool>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsoleOutput {
    pub instance_id: String,
    pub timestamp: String,
    pub output: String,
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

pub(crate) fn check_instance_id(id: &str) -> AwsResult<()> {
    if is_well_formed(id, "i") {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidInstanceID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"i-...\")"),
        ))
    }
}

pub(crate) fn instances_not_found(ids: &[&str]) -> AwsError {
    if ids.len() == 1 {
        AwsError::new(
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{}' does not exist", ids[0]),
        )
    } else {
        AwsError::new(
            "InvalidInstanceID.NotFound",
            format!("The instance IDs '{}' do not exist", ids.join(", ")),
        )
    }
}

fn type_arch(t: &InstanceTypeInfo) -> Arch {
    *t.architectures().last().unwrap_or(&Arch::X86_64)
}

/// The three compatibility rules between an image and an instance type, in the order EC2
/// checks them.
pub(crate) fn check_compatible(
    image_id: &str,
    profile: &ImageProfile,
    t: &InstanceTypeInfo,
) -> AwsResult<()> {
    if !t.supports_arch(profile.architecture) {
        return Err(AwsError::invalid_parameter_value(format!(
            "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
            type_arch(t).as_str(),
            profile.architecture.as_str()
        )));
    }
    if profile.virtualization == Virtualization::Paravirtual
        && !t.supports_virtualization(Virtualization::Paravirtual)
    {
        return Err(AwsError::invalid_parameter_combination(format!(
            "Virtualization type 'hvm' is required for instances of type '{}'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see Linux AMI virtualization types.",
            t.name
        )));
    }
    if profile.root_device == RootDevice::InstanceStore
        && !t.supports_root_device(RootDevice::InstanceStore)
    {
        return Err(AwsError::new(
            "UnsupportedOperation",
            format!(
                "AMI '{image_id}' with an instance-store root device is not supported for the instance type '{}'.",
                t.name
            ),
        ));
    }
    Ok(())
}

fn unknown_instance_type(name: &str) -> AwsError {
    AwsError::invalid_parameter_value(format!(
        "The following supplied instance types do not exist: [{name}]"
    ))
}

// ---------------------------------------------------------------------------------------------
// Operations

impl Cloud {
    /// One of the caller's own instances in its region.
    pub(crate) fn own_instance(&self, caller: &Caller, id: &str) -> AwsResult<&Instance> {
        check_instance_id(id)?;
        self.region_ref(&caller.region)?
            .instances
            .get(id)
            .filter(|i| i.owner_id == caller.account)
            .ok_or_else(|| instances_not_found(&[id]))
    }

    fn own_instance_mut(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut Instance> {
        self.own_instance(caller, id)?;
        Ok(self
            .region_mut(&caller.region)?
            .instances
            .get_mut(id)
            .expect("checked above"))
    }

    /// The caller's security groups with these ids, as (id, name).
    fn own_security_groups(
        &self,
        caller: &Caller,
        ids: &[String],
    ) -> AwsResult<Vec<(String, String)>> {
        let region = self.region_ref(&caller.region)?;
        ids.iter()
            .map(|gid| {
                region
                    .security_groups
                    .get(gid)
                    .filter(|g| g.owner_id == caller.account)
                    .map(|g| (g.id.clone(), g.name.clone()))
                    .ok_or_else(|| {
                        AwsError::new(
                            "InvalidGroup.NotFound",
                            format!("The security group '{gid}' does not exist"),
                        )
                    })
            })
            .collect()
    }

    /// Checks a list of instance ids: malformed first, then every unknown id named at once.
    fn check_instance_ids(&self, caller: &Caller, ids: &[String]) -> AwsResult<()> {
        for id in ids {
            check_instance_id(id)?;
        }
        let region = self.region_ref(&caller.region)?;
        let missing: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| {
                region
                    .instances
                    .get(*id)
                    .is_none_or(|i| i.owner_id != caller.account)
            })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(instances_not_found(&missing))
        }
    }

    pub fn run_instances(
        &mut self,
        caller: &Caller,
        input: RunInstancesInput,
    ) -> AwsResult<ReservationShape> {
        if input.min_count < 1 {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({}) for parameter minCount is invalid. Expected a value greater than or equal to 1.",
                input.min_count
            )));
        }
        if input.max_count < input.min_count {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount ({}).",
                input.max_count, input.min_count
            )));
        }
        if let Some(lt) = &input.launch_template {
            let name = lt
                .get("launch_template_name")
                .and_then(Value::as_str)
                .map(str::to_string);
            let id = lt.get("launch_template_id").and_then(Value::as_str);
            return Err(match (id, name) {
                (Some(id), _) => AwsError::new(
                    "InvalidLaunchTemplateId.NotFound",
                    format!("The specified launch template, with template ID {id}, does not exist."),
                ),
                (None, Some(name)) => AwsError::new(
                    "InvalidLaunchTemplateName.NotFoundException",
                    format!("The specified launch template, with template name {name}, does not exist."),
                ),
                (None, None) => AwsError::missing_parameter(
                    "The request must contain the parameter launch_template_id or launch_template_name",
                ),
            });
        }
        if input.subnet_id.is_some() && input.network_interfaces.is_some() {
            return Err(AwsError::invalid_parameter_combination(
                "Network interfaces and an instance-level subnet ID may not be specified on the same request",
            ));
        }
        let image_id = input.image_id.clone().ok_or_else(|| {
            AwsError::missing_parameter("The request must contain the parameter ImageId")
        })?;
        let image = self.visible_image(&caller.region, &caller.account, &image_id)?;
        if image.state != super::images::ImageState::Available {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!(
                    "AMI '{image_id}' is {}, and cannot be run",
                    image.state.as_str()
                ),
            ));
        }
        let type_name = input
            .instance_type
            .clone()
            .unwrap_or_else(|| DEFAULT_INSTANCE_TYPE.to_string());
        let itype = instance_type(&type_name).ok_or_else(|| unknown_instance_type(&type_name))?;
        check_compatible(&image_id, &image.profile, itype)?;
        // What instances take from the image; the image itself is not needed past this point.
        let devices = plan_devices(image, &input.block_device_mappings)?;
        let (profile, guest) = (image.profile.clone(), image.guest.get());
        // An image encrypted with the owner's AWS-managed key can be shared and seen, but no
        // other account can use that key: EC2 accepts the launch, and the instance dies at boot.
        let boot_failure = (image.owner_id != caller.account
            && image.mappings.iter().any(|m| {
                m.ebs.as_ref().is_some_and(|e| {
                    e.encrypted
                        && e.kms_key_id
                            .as_deref()
                            .is_some_and(|k| self.kms.is_aws_managed(k))
                })
            }))
        .then(|| {
            (
                "Client.InvalidKMSKey.InvalidState".to_string(),
                "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state"
                    .to_string(),
            )
        });
        if let Some(data) = &input.user_data {
            if data.len() > MAX_USER_DATA_BYTES {
                return Err(AwsError::invalid_parameter_value(format!(
                    "User data is limited to {MAX_USER_DATA_BYTES} bytes"
                )));
            }
        }
        let shutdown_behavior = input
            .instance_initiated_shutdown_behavior
            .clone()
            .unwrap_or_else(|| "stop".into());
        if !["stop", "terminate"].contains(&shutdown_behavior.as_str()) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({shutdown_behavior}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate"
            )));
        }
        let instance_tags = tags_for(&input.tag_specifications, RUN_TAG_TYPES, "instance")?;
        let volume_tags = tags_for(&input.tag_specifications, RUN_TAG_TYPES, "volume")?;

        let region = self.region_ref(&caller.region)?;
        if let Some(key) = &input.key_name {
            if !region
                .key_pairs
                .contains_key(&(caller.account.clone(), key.clone()))
            {
                return Err(AwsError::new(
                    "InvalidKeyPair.NotFound",
                    format!("The key pair '{key}' does not exist"),
                ));
            }
        }
        // Network placement: an explicit subnet, else the default subnet of the chosen zone.
        let (subnet_id, vpc_id, zone, subnet_index) = self.pick_subnet(caller, &input)?;
        let mut groups = self.own_security_groups(caller, &input.security_group_ids)?;
        let region = self.region_ref(&caller.region)?;
        for name in &input.security_groups {
            let g =
                region
                    .security_groups
                    .values()
                    .find(|g| g.owner_id == caller.account && g.vpc_id == vpc_id && &g.name == name)
                    .ok_or_else(|| {
                        AwsError::new(
                    "InvalidGroup.NotFound",
                    format!("The security group '{name}' does not exist in default VPC '{vpc_id}'"),
                )
                    })?;
            groups.push((g.id.clone(), g.name.clone()));
        }
        if groups.is_empty() {
            let g = region
                .security_groups
                .values()
                .find(|g| g.owner_id == caller.account && g.vpc_id == vpc_id && g.name == "default")
                .expect("every account has a default group once its network exists");
            groups.push((g.id.clone(), g.name.clone()));
        }

        // Launch as many as the quota allows, up to max; fewer than min launches nothing.
        let quota = self.quotas.instances_per_region;
        // Counting the account's live instances is a scan: skip it when the whole region holds
        // too few instances for anyone to be near the quota.
        let live = if region.instances.len() + input.max_count as usize <= quota {
            0
        } else {
            region
                .instances
                .values()
                .filter(|i| i.owner_id == caller.account && i.state.is_live())
                .count()
        };
        let count = (input.max_count as usize).min(quota.saturating_sub(live));
        if count < input.min_count as usize {
            return Err(AwsError::new(
                "InstanceLimitExceeded",
                format!(
                    "You have requested more instances ({}) than your current instance limit of {quota} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
                    input.min_count,
                ),
            ));
        }
        let new_volumes = count * devices.iter().filter(|d| d.ebs.is_some()).count();
        let volume_quota = self.quotas.volumes_per_region;
        super::check_quota(
            region.volumes.values(),
            new_volumes,
            volume_quota,
            |v| v.owner_id == caller.account,
            || super::volumes::volume_limit(volume_quota),
        )?;

        let now = self.now();
        let reservation_id = self.ids.next("r");
        let boot = match profile.root_device {
            RootDevice::Ebs => durations::EBS_BOOT,
            RootDevice::InstanceStore => durations::INSTANCE_STORE_BOOT,
        };
        let mut shapes = Vec::with_capacity(count);
        for index in 0..count {
            let id = self.ids.next("i");
            let private_ip = format!(
                "172.31.{}.{}",
                subnet_index * 16 + self.ids.below(16),
                4 + self.ids.below(250)
            );
            let public_ip = Some(self.new_public_ip());
            let mut mappings = Vec::with_capacity(devices.len());
            for device in &devices {
                let volume_id = match &device.ebs {
                    Some(ebs) => {
                        let vid = self.ids.next("vol");
                        let seq = self.next_seq();
                        let mut volume = Volume {
                            id: vid.clone(),
                            seq,
                            owner_id: caller.account.clone(),
                            size: ebs.volume_size,
                            snapshot_id: ebs.snapshot_id.clone(),
                            availability_zone: zone.clone(),
                            state: VolumeState::InUse,
                            create_time: now,
                            volume_type: ebs.volume_type.clone(),
                            iops: None,
                            encrypted: ebs.encrypted,
                            kms_key_id: ebs.kms_key_id.clone(),
                            tags: Tags::default(),
                            attachment: Some(super::volumes::Attachment {
                                instance_id: id.clone(),
                                device: device.device_name.clone(),
                                attach_time: now,
                                delete_on_termination: ebs.delete_on_termination,
                            }),
                        };
                        volume.tags.apply(&volume_tags)?;
                        self.region_mut(&caller.region)?
                            .volumes
                            .insert(vid.clone(), volume);
                        Some(vid)
                    }
                    None => None,
                };
                mappings.push(InstanceMapping {
                    device_name: device.device_name.clone(),
                    volume_id,
                    virtual_name: device.virtual_name.clone(),
                    delete_on_termination: device
                        .ebs
                        .as_ref()
                        .map(|e| e.delete_on_termination)
                        .unwrap_or(true),
                    attach_time: now,
                });
            }
            let mut tags = Tags::default();
            tags.apply(&instance_tags)?;
            let seq = self.next_seq();
            let instance = Instance {
                id: id.clone(),
                seq,
                owner_id: caller.account.clone(),
                reservation_id: reservation_id.clone(),
                image_id: image_id.clone(),
                instance_type: itype.name.to_string(),
                state: InstanceState::Pending,
                state_reason: Some(("pending".into(), "pending".into())),
                state_transition_reason: String::new(),
                launch_time: now,
                availability_zone: zone.clone(),
                subnet_id: subnet_id.clone(),
                vpc_id: vpc_id.clone(),
                private_ip,
                public_ip,
                key_name: input.key_name.clone(),
                security_groups: groups.clone(),
                profile: profile.clone(),
                mappings,
                tags,
                disable_api_termination: input.disable_api_termination.unwrap_or(false),
                disable_api_stop: input.disable_api_stop.unwrap_or(false),
                shutdown_behavior: shutdown_behavior.clone(),
                user_data: input.user_data.clone(),
                guest: guest.clone(),
                ever_running: false,
                boot_failure: boot_failure.clone(),
                ami_launch_index: index as u32,
                client_token: input.client_token.clone(),
                ebs_optimized: input.ebs_optimized.unwrap_or(false),
                console_output: String::new(),
            };
            shapes.push(instance.describe(&caller.region));
            self.region_mut(&caller.region)?
                .instances
                .insert(id.clone(), instance);
            self.schedule_in(
                boot,
                Event::InstanceRunning {
                    region: caller.region.clone(),
                    instance_id: id,
                },
            );
        }
        Ok(ReservationShape {
            reservation_id,
            owner_id: caller.account.clone(),
            groups: Vec::new(),
            instances: shapes,
        })
    }

    fn new_public_ip(&mut self) -> String {
        format!(
            "{}.{}.{}.{}",
            [3, 18, 34, 44, 52, 54][self.ids.below(6) as usize],
            self.ids.below(256),
            self.ids.below(256),
            1 + self.ids.below(254)
        )
    }

    /// (subnet id, vpc id, zone, subnet index) for a launch.
    fn pick_subnet(
        &mut self,
        caller: &Caller,
        input: &RunInstancesInput,
    ) -> AwsResult<(String, String, String, u32)> {
        let wanted_zone = input
            .placement
            .as_ref()
            .and_then(|p| p.availability_zone.clone());
        let region_name = caller.region.clone();
        let zone_pick = self
            .ids
            .below(self.region_ref(&region_name)?.info.zones.len() as u32);
        let region = self.region_ref(&region_name)?;
        if let Some(zone) = &wanted_zone {
            if !region.info.has_zone(zone) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Invalid availability zone: [{zone}]"
                )));
            }
        }
        if let Some(sid) = &input.subnet_id {
            let s = region
                .subnets
                .get(sid)
                .filter(|s| s.owner_id == caller.account)
                .ok_or_else(|| {
                    AwsError::new(
                        "InvalidSubnetID.NotFound",
                        format!("The subnet ID '{sid}' does not exist"),
                    )
                })?;
            if let Some(zone) = &wanted_zone {
                if zone != &s.availability_zone {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "The subnet '{sid}' is in {}, not in the requested availability zone {zone}.",
                        s.availability_zone
                    )));
                }
            }
            return Ok((
                s.id.clone(),
                s.vpc_id.clone(),
                s.availability_zone.clone(),
                s.index,
            ));
        }
        let zone = wanted_zone.unwrap_or_else(|| {
            let (suffix, _) = region.info.zones[zone_pick as usize];
            format!("{}{suffix}", region.info.name)
        });
        let s = region
            .subnets
            .values()
            .find(|s| {
                s.owner_id == caller.account && s.default_for_az && s.availability_zone == zone
            })
            .expect("default subnets exist for every zone");
        Ok((s.id.clone(), s.vpc_id.clone(), zone, s.index))
    }

    pub fn describe_instances(
        &mut self,
        caller: &Caller,
        input: DescribeInstancesInput,
    ) -> AwsResult<DescribeInstancesOutput> {
        filters::validate::<Instance>(&input.filters)?;
        self.check_instance_ids(caller, &input.instance_ids)?;
        let wanted: BTreeSet<&str> = input.instance_ids.iter().map(String::as_str).collect();
        let matcher = Matcher::new(&input.filters);
        let region = self.region_ref(&caller.region)?;
        let mut found: Vec<&Instance> = region
            .instances
            .values()
            .filter(|i| i.owner_id == caller.account)
            .filter(|i| wanted.is_empty() || wanted.contains(i.id.as_str()))
            .filter(|i| matcher.matches(*i))
            .collect();
        found.sort_by_key(|i| i.seq);
        let mut reservations: Vec<ReservationShape> = Vec::new();
        for instance in found {
            match reservations.last_mut() {
                Some(r) if r.reservation_id == instance.reservation_id => {
                    r.instances.push(instance.describe(&caller.region))
                }
                _ => reservations.push(ReservationShape {
                    reservation_id: instance.reservation_id.clone(),
                    owner_id: instance.owner_id.clone(),
                    groups: Vec::new(),
                    instances: vec![instance.describe(&caller.region)],
                }),
            }
        }
        Ok(DescribeInstancesOutput { reservations })
    }

    pub fn stop_instances(
        &mut self,
        caller: &Caller,
        input: InstanceIdsInput,
    ) -> AwsResult<StoppingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if i.profile.root_device != RootDevice::Ebs {
                return Err(AwsError::new(
                    "UnsupportedOperation",
                    format!("The instance '{id}' does not have an 'ebs' root device type and cannot be stopped."),
                ));
            }
            if i.disable_api_stop {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again."),
                ));
            }
            match i.state {
                InstanceState::Pending if !i.ever_running => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
                    ))
                }
                InstanceState::ShuttingDown | InstanceState::Terminated => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!("This instance '{id}' is not in a state from which it can be stopped."),
                    ))
                }
                _ => {}
            }
            if input.hibernate == Some(true) {
                return Err(AwsError::new(
                    "UnsupportedHibernationConfiguration",
                    format!("The instance '{id}' is not enabled for hibernation."),
                ));
            }
        }
        let stopping_instances = self.transition(
            caller,
            &input.instance_ids,
            Transition {
                applies: |s| matches!(s, InstanceState::Running | InstanceState::Pending),
                apply: |cloud, caller, id| {
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::Stopping;
                    i.state_transition_reason = "User initiated".into();
                    let guest = Arc::make_mut(&mut i.guest);
                    guest.shutdown();
                    guest.wipe_instance_store();
                    Ok(())
                },
                delay: durations::STOP,
                event: |region, instance_id| Event::InstanceStopped {
                    region,
                    instance_id,
                },
            },
        )?;
        Ok(StoppingOutput { stopping_instances })
    }

    pub fn start_instances(
        &mut self,
        caller: &Caller,
        input: InstanceIdsInput,
    ) -> AwsResult<StartingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if !matches!(
                i.state,
                InstanceState::Stopped | InstanceState::Running | InstanceState::Pending
            ) {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in a state from which it can be started."),
                ));
            }
        }
        let starting_instances = self.transition(
            caller,
            &input.instance_ids,
            Transition {
                applies: |s| s == InstanceState::Stopped,
                apply: |cloud, caller, id| {
                    // A stopped instance gave up its public address; it gets a new one.
                    let ip = cloud.new_public_ip();
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::Pending;
                    i.public_ip = Some(ip);
                    i.state_transition_reason = String::new();
                    Ok(())
                },
                delay: durations::EBS_BOOT,
                event: |region, instance_id| Event::InstanceRunning {
                    region,
                    instance_id,
                },
            },
        )?;
        Ok(StartingOutput { starting_instances })
    }

    pub fn reboot_instances(
        &mut self,
        caller: &Caller,
        input: InstanceIdsInput,
    ) -> AwsResult<Empty> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if matches!(
                i.state,
                InstanceState::Terminated | InstanceState::ShuttingDown
            ) {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in a state from which it can be rebooted."),
                ));
            }
        }
        for id in &input.instance_ids {
            let i = self.own_instance_mut(caller, id)?;
            if i.state == InstanceState::Running {
                // A reboot is a clean restart: buffered writes reach the disk.
                let guest = Arc::make_mut(&mut i.guest);
                guest.shutdown();
                guest.boot();
            }
        }
        Ok(Empty {})
    }

    pub fn terminate_instances(
        &mut self,
        caller: &Caller,
        input: InstanceIdsInput,
    ) -> AwsResult<TerminatingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            if self.own_instance(caller, id)?.disable_api_termination {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
                ));
            }
        }
        let terminating_instances = self.transition(
            caller,
            &input.instance_ids,
            Transition {
                applies: InstanceState::is_live,
                apply: |cloud, caller, id| {
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::ShuttingDown;
                    i.state_transition_reason = "User initiated".into();
                    i.state_reason = Some((
                        "Client.UserInitiatedShutdown".into(),
                        "Client.UserInitiatedShutdown: User initiated shutdown".into(),
                    ));
                    Arc::make_mut(&mut i.guest).shutdown();
                    Ok(())
                },
                delay: durations::TERMINATE,
                event: |region, instance_id| Event::InstanceTerminated {
                    region,
                    instance_id,
                },
            },
        )?;
        Ok(TerminatingOutput {
            terminating_instances,
        })
    }

    /// Applies a state change to every instance it applies to (others are reported as they
    /// are, as EC2 does), schedules where each goes next, and reports previous → current.
    fn transition(
        &mut self,
        caller: &Caller,
        ids: &[String],
        t: Transition,
    ) -> AwsResult<Vec<StateChangeShape>> {
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            let previous = self.own_instance(caller, id)?.state;
            if (t.applies)(previous) {
                (t.apply)(self, caller, id)?;
                self.schedule_in(t.delay, (t.event)(caller.region.clone(), id.clone()));
            }
            changes.push(StateChangeShape {
                instance_id: id.clone(),
                current_state: self.own_instance(caller, id)?.state.shape(),
                previous_state: previous.shape(),
            });
        }
        Ok(changes)
    }

    /// Empty list: `InvalidParameterCombination`; otherwise every id must be the caller's.
    fn require_ids(&self, caller: &Caller, ids: &[String]) -> AwsResult<()> {
        if ids.is_empty() {
            return Err(AwsError::invalid_parameter_combination(
                "No instances specified",
            ));
        }
        self.check_instance_ids(caller, ids)
    }

    pub fn modify_instance_attribute(
        &mut self,
        caller: &Caller,
        input: ModifyInstanceAttributeInput,
    ) -> AwsResult<Empty> {
        let instance = self.own_instance(caller, &input.instance_id)?.clone();
        // The flat form: `attribute` + `value`.
        let mut new_type = input.instance_type.as_ref().and_then(|v| v.value.clone());
        let mut termination = input.disable_api_termination.as_ref().and_then(|v| v.value);
        let mut stop = input.disable_api_stop.as_ref().and_then(|v| v.value);
        let mut behavior = input
            .instance_initiated_shutdown_behavior
            .as_ref()
            .and_then(|v| v.value.clone());
        let mut user_data = input.user_data.as_ref().and_then(|v| v.value.clone());
        if let Some(attr) = &input.attribute {
            let value = input.value.clone().ok_or_else(|| {
                AwsError::missing_parameter("The request must contain the parameter value")
            })?;
            let as_bool = || value.eq_ignore_ascii_case("true");
            match attr.as_str() {
                "instanceType" => new_type = Some(value.clone()),
                "disableApiTermination" => termination = Some(as_bool()),
                "disableApiStop" => stop = Some(as_bool()),
                "instanceInitiatedShutdownBehavior" => behavior = Some(value.clone()),
                "userData" => user_data = Some(value.clone()),
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Value ({other}) for parameter attribute is invalid. Valid attributes: instanceType, disableApiTermination, disableApiStop, instanceInitiatedShutdownBehavior, userData"
                    )))
                }
            }
        }
        let stopped = instance.state == InstanceState::Stopped;
        if let Some(t) = &new_type {
            let info = instance_type(t).ok_or_else(|| unknown_instance_type(t))?;
            if !stopped {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!(
                        "The instance '{}' is not in the 'stopped' state.",
                        instance.id
                    ),
                ));
            }
            check_compatible(&instance.image_id, &instance.profile, info)?;
        }
        if user_data.is_some() && !stopped {
            return Err(AwsError::new(
                "IncorrectInstanceState",
                format!(
                    "The instance '{}' is not in the 'stopped' state.",
                    instance.id
                ),
            ));
        }
        if let Some(b) = &behavior {
            if !["stop", "terminate"].contains(&b.as_str()) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({b}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate"
                )));
            }
        }
        let groups = self.own_security_groups(caller, &input.groups)?;
        let i = self.own_instance_mut(caller, &input.instance_id)?;
        if let Some(t) = new_type {
            i.instance_type = t;
        }
        if let Some(v) = termination {
            i.disable_api_termination = v;
        }
        if let Some(v) = stop {
            i.disable_api_stop = v;
        }
        if let Some(v) = behavior {
            i.shutdown_behavior = v;
        }
        if let Some(v) = user_data {
            i.user_data = Some(v);
        }
        if let Some(v) = input.ebs_optimized.as_ref().and_then(|v| v.value) {
            i.ebs_optimized = v;
        }
        if !groups.is_empty() {
            i.security_groups = groups;
        }
        Ok(Empty {})
    }

    pub fn describe_instance_attribute(
        &mut self,
        caller: &Caller,
        input: DescribeInstanceAttributeInput,
    ) -> AwsResult<InstanceAttributeOutput> {
        let i = self.own_instance(caller, &input.instance_id)?;
        let mut out = InstanceAttributeOutput {
            instance_id: i.id.clone(),
            ..Default::default()
        };
        let s = |v: &str| {
            Some(StringValueShape {
                value: Some(v.to_string()),
            })
        };
        match input.attribute.as_str() {
            "instanceType" => out.instance_type = s(&i.instance_type),
            "disableApiTermination" => out.disable_api_termination = Some(BoolValueShape { value: i.disable_api_termination }),
            "disableApiStop" => out.disable_api_stop = Some(BoolValueShape { value: i.disable_api_stop }),
            "userData" => out.user_data = Some(StringValueShape { value: i.user_data.as_deref().map(base64) }),
            "instanceInitiatedShutdownBehavior" => out.instance_initiated_shutdown_behavior = s(&i.shutdown_behavior),
            "rootDeviceName" => out.root_device_name = s(&i.profile.root_device_name),
            "groupSet" => {
                out.groups = Some(
                    i.security_groups
                        .iter()
                        .map(|(id, name)| GroupShape { group_id: id.clone(), group_name: name.clone() })
                        .collect(),
                )
            }
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Valid attributes: instanceType, disableApiTermination, disableApiStop, userData, instanceInitiatedShutdownBehavior, rootDeviceName, groupSet"
                )))
            }
        }
        Ok(out)
    }

    pub fn get_console_output(
        &mut self,
        caller: &Caller,
        input: GetConsoleOutputInput,
    ) -> AwsResult<ConsoleOutput> {
        let i = self.own_instance(caller, &input.instance_id)?;
        Ok(ConsoleOutput {
            instance_id: i.id.clone(),
            timestamp: iso8601(self.now()),
            output: i.console_output.clone(),
        })
    }

    /// `pending` → `running`; the first boot runs the user data, like cloud-init.
    pub(crate) fn finish_boot(&mut self, region: &str, id: &str) {
        let Some(i) = self
            .region_mut_opt(region)
            .and_then(|r| r.instances.get_mut(id))
        else {
            return;
        };
        if i.state != InstanceState::Pending {
            return;
        }
        if let Some(reason) = i.boot_failure.take() {
            i.state = InstanceState::ShuttingDown;
            i.state_transition_reason = "Server.InternalError".into();
            i.state_reason = Some(reason);
            self.finish_termination(region, id);
            return;
        }
        i.state = InstanceState::Running;
        i.state_reason = None;
        let first_boot = !i.ever_running;
        i.ever_running = true;
        let metadata = i.metadata(region);
        let guest = Arc::make_mut(&mut i.guest);
        // The instance metadata service answers for this instance (its address may have
        // changed since the last boot); cloud-init names the host after its private address.
        guest.clear_instance_metadata();
        for (key, value) in &metadata {
            guest.set_instance_metadata(key, value);
        }
        if first_boot {
            guest.set_hostname(&metadata[0].1);
        }
        guest.set_machine(match i.profile.architecture {
            Arch::Arm64 => "aarch64",
            Arch::I386 => "i686",
            Arch::X86_64 => "x86_64",
        });
        guest.boot();
        if first_boot {
            if let Some(data) = &i.user_data {
                let lines: Vec<String> = data
                    .lines()
                    .filter(|l| !l.starts_with("#!"))
                    .map(str::to_string)
                    .collect();
                let result = guest.run_script(&lines);
                i.console_output = format!(
                    "cloud-init: running user data ({} lines)\n{}{}cloud-init: user data finished with exit code {}\n",
                    lines.len(),
                    result.stdout,
                    result.stderr,
                    result.exit_code
                );
            }
        }
    }

    pub(crate) fn finish_stop(&mut self, region: &str, id: &str) {
        if let Some(i) = self
            .region_mut_opt(region)
            .and_then(|r| r.instances.get_mut(id))
        {
            if i.state == InstanceState::Stopping {
                i.state = InstanceState::Stopped;
                i.public_ip = None;
                i.state_reason = Some((
                    "Client.UserInitiatedShutdown".into(),
                    "Client.UserInitiatedShutdown: User initiated shutdown".into(),
                ));
            }
        }
    }

    /// `shutting-down` → `terminated`: volumes marked delete-on-termination go, the others
    /// become `available`.
    pub(crate) fn finish_termination(&mut self, region: &str, id: &str) {
        let Some(r) = self.region_mut_opt(region) else {
            return;
        };
        let Some(i) = r.instances.get_mut(id) else {
            return;
        };
        if i.state != InstanceState::ShuttingDown {
            return;
        }
        i.state = InstanceState::Terminated;
        i.public_ip = None;
        let mappings = std::mem::take(&mut i.mappings);
        for m in mappings {
            if let Some(vid) = m.volume_id {
                if m.delete_on_termination {
                    r.volumes.remove(&vid);
                } else if let Some(v) = r.volumes.get_mut(&vid) {
                    v.state = VolumeState::Available;
                    v.attachment = None;
                }
            }
        }
        self.schedule_in(
            durations::TERMINATED_VISIBLE,
            Event::InstanceForgotten {
                region: region.to_string(),
                instance_id: id.to_string(),
            },
        );
    }

    pub(crate) fn forget_instance(&mut self, region: &str, id: &str) {
        if let Some(r) = self.region_mut_opt(region) {
            if r.instances
                .get(id)
                .is_some_and(|i| i.state == InstanceState::Terminated)
            {
                r.instances.remove(id);
            }
        }
    }
}

const RUN_TAG_TYPES: &[&str] = &[
    "instance",
    "volume",
    "network-interface",
    "spot-instances-request",
    "elastic-gpu",
];

/// One kind of state change (stop, start, terminate).
struct Transition {
    /// Which current states the change applies to.
    applies: fn(InstanceState) -> bool,
    apply: fn(&mut Cloud, &Caller, &str) -> AwsResult<()>,
    /// When the instance reaches its next state, and the event that takes it there.
    delay: u64,
    event: fn(String, String) -> Event,
}

/// A device an instance will get at launch.
struct PlannedDevice {
    device_name: String,
    virtual_name: Option<String>,
    ebs: Option<super::images::ImageEbs>,
}

/// The image's block device mapping, with the request's overrides and additions applied.
fn plan_devices(
    image: &super::images::Image,
    requests: &[BlockDeviceMappingRequest],
) -> AwsResult<Vec<PlannedDevice>> {
    let mut devices: Vec<PlannedDevice> = image
        .mappings
        .iter()
        .map(|m| PlannedDevice {
            device_name: m.device_name.clone(),
            virtual_name: m.virtual_name.clone(),
            ebs: m.ebs.clone(),
        })
        .collect();
    for req in requests {
        let name = req.device_name.clone().ok_or_else(|| {
            AwsError::missing_parameter("Each block device mapping needs a device_name.")
        })?;
        if req.no_device.is_some() {
            if name == image.profile.root_device_name {
                return Err(AwsError::new(
                    "InvalidBlockDeviceMapping",
                    "The root device cannot be suppressed with NoDevice.",
                ));
            }
            devices.retain(|d| d.device_name != name);
            continue;
        }
        if let Some(virtual_name) = &req.virtual_name {
            devices.retain(|d| d.device_name != name);
            devices.push(PlannedDevice {
                device_name: name,
                virtual_name: Some(virtual_name.clone()),
                ebs: None,
            });
            continue;
        }
        let Some(ebs) = &req.ebs else { continue };
        if let Some(t) = &ebs.volume_type {
            check_volume_type(t)?;
        }
        match devices.iter_mut().find(|d| d.device_name == name) {
            Some(existing) => {
                let current = existing.ebs.as_mut().ok_or_else(|| {
                    AwsError::new(
                        "InvalidBlockDeviceMapping",
                        format!("The device '{name}' is an instance store volume and has no EBS settings."),
                    )
                })?;
                if let Some(size) = ebs.volume_size {
                    let size = super::volume_size(size)?;
                    if size < current.volume_size {
                        return Err(AwsError::new(
                            "InvalidBlockDeviceMapping",
                            format!(
                                "Volume of size {size}GB is smaller than snapshot '{}', expect size >= {}GB",
                                current.snapshot_id.as_deref().unwrap_or("-"),
                                current.volume_size
                            ),
                        ));
                    }
                    current.volume_size = size;
                }
                if let Some(t) = &ebs.volume_type {
                    current.volume_type = t.clone();
                }
                if let Some(d) = ebs.delete_on_termination {
                    current.delete_on_termination = d;
                }
                if ebs.encrypted == Some(true) {
                    current.encrypted = true;
                }
            }
            None => {
                let size = super::volume_size(ebs.volume_size.ok_or_else(|| {
                    AwsError::missing_parameter(format!(
                        "The block device mapping for '{name}' needs a volume_size or a snapshot_id."
                    ))
                })?)?;
                devices.push(PlannedDevice {
                    device_name: name,
                    virtual_name: None,
                    ebs: Some(super::images::ImageEbs {
                        snapshot_id: ebs.snapshot_id.clone(),
                        volume_size: size,
                        volume_type: ebs.volume_type.clone().unwrap_or_else(|| "gp2".into()),
                        delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
                        encrypted: ebs.encrypted.unwrap_or(false),
                        kms_key_id: ebs.kms_key_id.clone(),
                    }),
                });
            }
        }
    }
    Ok(devices)
}

/// Base64 for the userData attribute, as EC2 returns it.
fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_match_ec2() {
        let codes: Vec<_> = [
            InstanceState::Pending,
            InstanceState::Running,
            InstanceState::ShuttingDown,
            InstanceState::Terminated,
            InstanceState::Stopping,
            InstanceState::Stopped,
        ]
        .iter()
        .map(|s| s.code())
        .collect();
        assert_eq!(codes, vec![0, 16, 32, 48, 64, 80]);
    }
}

//! Instances: RunInstances with its compatibility rules, DescribeInstances, the stop / start /
//! reboot / terminate lifecycle, and instance attributes.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::filters::{self, Filterable, Matcher, Sink};
use super::images::{ImageProfile, ProductCodeShape};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::volumes::{Volume, VolumeState};
use super::{check_volume_type, BlockDeviceMappingRequest, Empty, StateReasonShape, StateShape};
use crate::catalog::{instance_type, Arch, InstanceTypeInfo, RootDevice, Virtualization};
use crate::clock::{durations, iso8601};
use crate::error::{AwsError, AwsResult};
use crate::guest::Guest;
use crate::lifecycle::Event;
use crate::request::request;
use crate::{Caller, Cloud};

mod attributes;
mod checks;
mod options;
mod queries;
mod run;
mod shapes;
mod state;

pub(crate) use checks::*;
pub use options::*;
pub use shapes::*;

/// EC2's default instance type when RunInstances names none.
pub(crate) const DEFAULT_INSTANCE_TYPE: &str = "m1.small";
/// User data larger than this is refused.
pub(crate) const MAX_USER_DATA_BYTES: usize = 16 * 1024;

/// An instance's state (EC2-BEHAVIOUR.md, Instance lifecycle): `pending` → `running` → `stopping` →
/// `stopped`, or → `shutting-down` → `terminated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InstanceState {
    /// `pending` (code 0): launched or started, booting.
    Pending,
    /// `running` (code 16).
    Running,
    /// `shutting-down` (code 32): terminating.
    ShuttingDown,
    /// `terminated` (code 48): gone; still listed for an hour.
    Terminated,
    /// `stopping` (code 64).
    Stopping,
    /// `stopped` (code 80): EBS volumes kept, no charge for the instance.
    Stopped,
}

impl InstanceState {
    /// EC2's state code: pending 0, running 16, shutting-down 32, terminated 48, stopping 64,
    /// stopped 80.
    pub(crate) fn code(self) -> i64 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::ShuttingDown => 32,
            InstanceState::Terminated => 48,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    /// EC2's name for the state (`running`).
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

    /// `{code, name}`, as DescribeInstances shows the state.
    pub(crate) fn shape(self) -> StateShape {
        StateShape {
            code: self.code(),
            name: self.as_str().to_string(),
        }
    }

    /// Counts against the instance quota.
    pub(crate) fn is_live(self) -> bool {
        !matches!(
            self,
            InstanceState::ShuttingDown | InstanceState::Terminated
        )
    }
}

/// One device attached to an instance.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InstanceMapping {
    /// The device name (`/dev/xvda`).
    pub device_name: String,
    /// The EBS volume; `None` for an instance-store device.
    pub volume_id: Option<String>,
    /// An instance-store device's virtual name (`ephemeral0`).
    pub virtual_name: Option<String>,
    /// Whether the volume is deleted when the instance terminates.
    pub delete_on_termination: bool,
    /// When the device was attached, in seconds since the Unix epoch.
    pub attach_time: u64,
}

/// An EC2 instance as the simulation holds it, in one region: what graders read. Scripts see it
/// through DescribeInstances, as an [`InstanceShape`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Instance {
    /// The instance id (`i-` and 17 hex digits).
    pub id: String,
    /// Creation number in the world: describe calls list resources in this order.
    pub seq: u64,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// The reservation (`r-…`) of the RunInstances call that launched it.
    pub reservation_id: String,
    /// The AMI it was launched from.
    pub image_id: String,
    /// Its instance type (`t3.micro`).
    pub instance_type: String,
    /// Its state.
    pub state: InstanceState,
    /// Why the state last changed, as (code, message) (`Client.UserInitiatedShutdown`).
    pub state_reason: Option<(String, String)>,
    /// `User initiated` after a user stop or terminate; empty otherwise.
    pub state_transition_reason: String,
    /// When it was launched, in seconds since the Unix epoch.
    pub launch_time: u64,
    /// Its availability zone (`us-east-1a`).
    pub availability_zone: String,
    /// The subnet it runs in.
    pub subnet_id: String,
    /// The VPC it runs in.
    pub vpc_id: String,
    /// Its private IPv4 address, in its subnet's range.
    pub private_ip: String,
    /// Its public IPv4 address while running; a stopped instance gives it up.
    pub public_ip: Option<String>,
    /// The key pair named at launch.
    pub key_name: Option<String>,
    /// (group id, group name)
    pub security_groups: Vec<(String, String)>,
    /// What it took from its image: OS, architecture, root device, ….
    pub profile: ImageProfile,
    /// Its attached devices, in attachment order.
    pub mappings: Vec<InstanceMapping>,
    /// Its tags.
    pub tags: Tags,
    /// `DisableApiTermination`: TerminateInstances is refused while set.
    pub disable_api_termination: bool,
    /// `DisableApiStop`: StopInstances is refused while set.
    pub disable_api_stop: bool,
    /// `InstanceInitiatedShutdownBehavior`: `stop` or `terminate`.
    pub shutdown_behavior: String,
    /// The user data script given at launch, as text.
    pub user_data: Option<String>,
    /// The operating system running inside it.
    pub guest: Arc<Guest>,
    /// Has it ever reached `running`? (user data runs at the first boot only)
    pub ever_running: bool,
    /// Its position among the instances of its launch, from 0.
    pub ami_launch_index: u32,
    /// The idempotency token given at launch.
    pub client_token: Option<String>,
    /// Its instance metadata options (IMDSv2 required or not, hop limit, …).
    pub metadata_options: MetadataOptions,
    /// The IAM instance profile associated at launch, if any.
    pub iam_instance_profile: Option<IamInstanceProfile>,
    /// Whether detailed monitoring is on.
    pub monitoring: bool,
    /// Whether it is EBS-optimized.
    pub ebs_optimized: bool,
    /// What cloud-init printed at the first boot (GetConsoleOutput).
    pub console_output: String,
    /// Why the first boot will fail, if it will (the instance then terminates on its own).
    pub boot_failure: Option<(String, String)>,
}

impl Instance {
    /// The catalogue entry of its instance type.
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

    /// The instance as DescribeInstances shows it in `region`.
    pub(crate) fn describe(&self, region: &str) -> InstanceShape {
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
                state: if self.monitoring {
                    "enabled"
                } else {
                    "disabled"
                }
                .into(),
            },
            metadata_options: self.metadata_options.shape(),
            iam_instance_profile: self
                .iam_instance_profile
                .as_ref()
                .map(IamInstanceProfile::shape),
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

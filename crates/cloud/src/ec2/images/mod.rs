//! AMIs: DescribeImages, CreateImage, CopyImage, RegisterImage, DeregisterImage, the image
//! attributes (launch permissions, description, …), and the lifecycle controls (deprecation,
//! disabling, deregistration protection).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::filters::{self, bool_str, Filter, Filterable, Matcher, Sink};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::volumes::Snapshot;
use super::{BlockDeviceMappingRequest, BlockDeviceMappingShape, EbsShape, Empty};
use crate::catalog::images::PublicImage;
use crate::catalog::{Arch, RootDevice, Virtualization};
use crate::clock::{durations, iso8601, parse_iso8601};
use crate::error::{AwsError, AwsResult};
use crate::guest::{Guest, OsFamily};
use crate::ids::stable_id;
use crate::lifecycle::Event;
use crate::request::request;
use crate::{is_account_id, Caller, Cloud};

mod attributes;
mod checks;
mod create;
mod lifecycle;
mod queries;
mod shapes;

pub(crate) use checks::*;
pub use shapes::*;

/// What an image tells an instance about itself; copied onto every instance launched from it
/// and onto every image created from such an instance.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageProfile {
    /// The operating system of the image's guest.
    pub os: OsFamily,
    /// The CPU architecture (`x86_64`, `arm64`, `i386`).
    pub architecture: Arch,
    /// `hvm` or `paravirtual`.
    pub virtualization: Virtualization,
    /// Whether the root device is EBS or instance store.
    pub root_device: RootDevice,
    /// The root device's name (`/dev/xvda`).
    pub root_device_name: String,
    /// EC2's `PlatformDetails` (`Linux/UNIX`, `Windows`, …).
    pub platform_details: String,
    /// EC2's `UsageOperation` billing code (`RunInstances`, `RunInstances:0002`, …).
    pub usage_operation: String,
    /// `BootMode` (`uefi`, `legacy-bios`, `uefi-preferred`), when set.
    pub boot_mode: Option<String>,
    /// Whether ENA enhanced networking is enabled.
    pub ena_support: bool,
    /// `SriovNetSupport` (`simple`) when Intel enhanced networking is enabled.
    pub sriov_net_support: Option<String>,
    /// The kernel image (`aki-…`) a paravirtual image boots with.
    pub kernel_id: Option<String>,
    /// Marketplace product codes; they follow the software into derived images.
    pub product_codes: Vec<String>,
    /// A marketplace image's software fee, USD per instance-hour, on top of the instance's price.
    pub software_fee_hourly: f64,
}

/// An AMI's `State`. EC2 also knows `invalid`, `transient` and `error`, which the simulation never
/// reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImageState {
    /// `pending`: being created, copied or registered; it cannot be launched or modified yet.
    Pending,
    /// `available`: ready to launch.
    Available,
    /// `failed`: creation failed.
    Failed,
    /// `deregistered`: deregistered; kept so graders can see it, but invisible to DescribeImages
    /// and unlaunchable.
    Deregistered,
    /// `disabled`: DisableImage took it out of use (EC2 User Guide, "Disable an Amazon EC2
    /// AMI"): it has no launch permissions and cannot be launched, copied or shared, and
    /// DescribeImages leaves it out unless `include_disabled` is set or its id is named (only its
    /// owner can see it). EnableImage makes it `available` again.
    Disabled,
}

impl ImageState {
    /// EC2's name for the state (`available`).
    pub fn as_str(self) -> &'static str {
        match self {
            ImageState::Pending => "pending",
            ImageState::Available => "available",
            ImageState::Failed => "failed",
            ImageState::Deregistered => "deregistered",
            ImageState::Disabled => "disabled",
        }
    }
}

/// One device of an image's block device mapping.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageMapping {
    /// The device name (`/dev/xvda`, `/dev/sdb`).
    pub device_name: String,
    /// `ephemeral0`, … for instance-store volumes.
    pub virtual_name: Option<String>,
    /// The EBS volume the device gets; `None` for an instance-store device.
    pub ebs: Option<ImageEbs>,
}

/// The EBS part of an image's block device mapping: the snapshot a volume is created from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageEbs {
    /// The snapshot the volume is created from (`snap-…`).
    pub snapshot_id: Option<String>,
    /// The volume's size in GiB.
    pub volume_size: u32,
    /// The EBS volume type (`gp3`).
    pub volume_type: String,
    /// Whether instances launched from the image delete the volume when they terminate.
    pub delete_on_termination: bool,
    /// Whether the snapshot is encrypted.
    pub encrypted: bool,
    /// The ARN of the KMS key that encrypts it.
    pub kms_key_id: Option<String>,
}

/// Who besides the owner may launch an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LaunchPermissions {
    /// Launchable by every account: the `{group: "all"}` permission.
    pub public: bool,
    /// The 12-digit accounts it is shared with.
    pub user_ids: BTreeSet<String>,
    /// The AWS Organizations it is shared with (`arn:aws:organizations::…`).
    pub organization_arns: BTreeSet<String>,
    /// The organizational units it is shared with.
    pub organizational_unit_arns: BTreeSet<String>,
}

/// How long deregistration protection enabled `with_cooldown` stays in effect after it is turned
/// off, in seconds: 24 hours (EC2 User Guide, "Protect an Amazon EC2 AMI from deregistration").
pub const DEREGISTRATION_COOLDOWN: u64 = 86_400;

/// How long after a launch EC2 reports it as an image's `LastLaunchedTime`, in seconds: "there is
/// a 24-hour delay before that usage is reported" (EC2 API reference, Image.LastLaunchedTime).
pub const LAST_LAUNCHED_DELAY: u64 = 86_400;

/// An image's deregistration protection (EnableImageDeregistrationProtection and
/// DisableImageDeregistrationProtection; EC2 User Guide, "Protect an Amazon EC2 AMI from
/// deregistration"). While it is in effect, DeregisterImage refuses the image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeregistrationProtection {
    /// Off, as on every new image: `disabled`.
    #[default]
    Disabled,
    /// On: `enabled-with-cooldown` when turning it off leaves it in effect for
    /// [`DEREGISTRATION_COOLDOWN`] seconds, else `enabled-without-cooldown`.
    Enabled {
        /// Whether it was enabled `with_cooldown`.
        cooldown: bool,
    },
    /// Turned off while it had a cooldown: still in effect until `until` (seconds since the Unix
    /// epoch), then off.
    CoolingDown {
        /// When the cooldown ends.
        until: u64,
    },
}

impl DeregistrationProtection {
    /// Does it refuse DeregisterImage at `now`?
    pub fn in_effect(self, now: u64) -> bool {
        match self {
            DeregistrationProtection::Disabled => false,
            DeregistrationProtection::Enabled { .. } => true,
            DeregistrationProtection::CoolingDown { until } => now < until,
        }
    }

    /// The value DescribeImages and DescribeImageAttribute show at `now`: `disabled`,
    /// `enabled-without-cooldown`, `enabled-with-cooldown` (the values the AWS CLI's examples and
    /// the EnableImageDeregistrationProtection answer show), or, during a cooldown,
    /// `disabled-until 2025-06-03T09:00:00.000Z` (amilab's form: AWS does not document the value
    /// it shows during a cooldown).
    pub fn describe(self, now: u64) -> String {
        match self {
            DeregistrationProtection::Enabled { cooldown: true } => "enabled-with-cooldown".into(),
            DeregistrationProtection::Enabled { cooldown: false } => {
                "enabled-without-cooldown".into()
            }
            DeregistrationProtection::CoolingDown { until } if now < until => {
                format!("disabled-until {}", iso8601(until))
            }
            _ => "disabled".into(),
        }
    }
}

/// When instances were launched from an image: what `LastLaunchedTime` reports, 24 hours late.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LaunchHistory {
    /// Launch times in seconds since the Unix epoch, ascending: those not yet reported, and the
    /// latest one that is.
    times: Vec<u64>,
}

impl LaunchHistory {
    /// Records a launch at `now` (a RunInstances call that launched from the image). Launches
    /// older than the latest reported one can never be reported again and are dropped, so the
    /// record stays as small as a day of launches.
    pub(crate) fn record(&mut self, now: u64) {
        if let Some(reported) = self.reported_index(now) {
            self.times.drain(..reported);
        }
        if self.times.last() != Some(&now) {
            self.times.push(now);
        }
    }

    /// The `LastLaunchedTime` EC2 reports at `now`: the latest launch at least
    /// [`LAST_LAUNCHED_DELAY`] seconds ago, if any.
    pub fn last_reported(&self, now: u64) -> Option<u64> {
        self.reported_index(now).map(|i| self.times[i])
    }

    fn reported_index(&self, now: u64) -> Option<usize> {
        self.times
            .iter()
            .rposition(|t| t.saturating_add(LAST_LAUNCHED_DELAY) <= now)
    }
}

/// An image's firmware settings from RegisterImage: NitroTPM support and the UEFI variable store.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Firmware {
    /// `TpmSupport`: `v2.0` when the image is configured for NitroTPM.
    pub tpm_support: Option<String>,
    /// `UefiData`: the base64 non-volatile UEFI variable store, as registered.
    pub uefi_data: Option<String>,
}

/// An AMI as the simulation holds it, in one region: what graders read. Scripts see it
/// through DescribeImages, as an [`ImageShape`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    /// The image id (`ami-` and 17 hex digits).
    pub id: String,
    /// Creation number in the world: describe calls list resources in this order.
    pub seq: u64,
    /// The AMI name, unique per account per region.
    pub name: String,
    /// The description, if any.
    pub description: Option<String>,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// `amazon` or `aws-marketplace` for catalogue images; `None` for an account's own.
    pub owner_alias: Option<String>,
    /// When it was created, in seconds since the Unix epoch.
    pub creation_date: u64,
    /// Its state.
    pub state: ImageState,
    /// Why the state changed, as (code, message), if EC2 would say.
    pub state_reason: Option<(String, String)>,
    /// What it tells instances about themselves: OS, architecture, root device, ….
    pub profile: ImageProfile,
    /// Its block device mapping, in device order.
    pub mappings: Vec<ImageMapping>,
    /// `<owner or alias>/<name>`, or the S3 manifest path of an instance-store image.
    pub image_location: String,
    /// The owner's tags.
    pub tags: Tags,
    /// Other accounts' tags on the image, by account id: an account the image is shared with
    /// tags its own view, and sees only its own tags (EC2-BEHAVIOUR.md, Launch permissions).
    pub account_tags: BTreeMap<String, Tags>,
    /// The instance CreateImage made it from.
    pub source_instance_id: Option<String>,
    /// The image CopyImage copied it from.
    pub source_image_id: Option<String>,
    /// The region CopyImage copied it from.
    pub source_image_region: Option<String>,
    /// When it is (or will be) deprecated, ISO-8601 on a whole minute, if EnableImageDeprecation
    /// (or the catalogue) set a time; it is deprecated once that time has come
    /// ([`Image::is_deprecated`]).
    pub deprecation_time: Option<String>,
    /// `ImdsSupport`: `v2.0` when instances launched from it require IMDSv2 (Amazon Linux 2023
    /// images, or after ModifyImageAttribute); `None` otherwise.
    pub imds_support: Option<String>,
    /// Who besides the owner may launch it.
    pub launch_permissions: LaunchPermissions,
    /// Its deregistration protection.
    pub deregistration_protection: DeregistrationProtection,
    /// When instances were launched from it (`LastLaunchedTime`).
    pub launches: LaunchHistory,
    /// `TpmSupport` and `UefiData`, from RegisterImage (kept by CopyImage).
    pub firmware: Firmware,
    /// The root file system's contents: what instances launched from the image boot into.
    pub guest: ImageGuest,
}

/// An image's root file system. A catalogue image's is built the first time something needs
/// it: a world holds over a hundred catalogue images and a run launches from one or two.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ImageGuest {
    /// The guest of `PUBLIC_IMAGES[index]`, shared by every region and world.
    Catalogue(usize),
    /// Captured from an instance, or copied from another image.
    Captured(Arc<Guest>),
}

impl ImageGuest {
    /// The guest instances launched from this image boot into (built on first use for a catalogue
    /// image).
    pub fn get(&self) -> Arc<Guest> {
        match self {
            ImageGuest::Catalogue(index) => super::catalogue_guest(*index),
            ImageGuest::Captured(guest) => guest.clone(),
        }
    }
}

impl Image {
    /// The tags `account` sees on the image: the owner's own, or that account's.
    pub fn tags_seen_by(&self, account: &str) -> &Tags {
        static NONE: std::sync::OnceLock<Tags> = std::sync::OnceLock::new();
        if account == self.owner_id {
            &self.tags
        } else {
            self.account_tags
                .get(account)
                .unwrap_or_else(|| NONE.get_or_init(Tags::default))
        }
    }

    /// Forgets `account`'s view of the image's tags when it holds none, so that an account that
    /// never tagged the image and one whose tags are all gone look the same (and a failed
    /// CreateTags / DeleteTags leaves nothing behind).
    pub(crate) fn forget_empty_view(&mut self, account: &str) {
        if self.account_tags.get(account).is_some_and(Tags::is_empty) {
            self.account_tags.remove(account);
        }
    }

    /// The tags `account` changes with CreateTags / DeleteTags.
    pub(crate) fn tags_of_mut(&mut self, account: &str) -> &mut Tags {
        if account == self.owner_id {
            &mut self.tags
        } else {
            self.account_tags.entry(account.to_string()).or_default()
        }
    }

    pub(crate) fn from_catalogue(
        p: &PublicImage,
        region: &str,
        seq: u64,
        guest: ImageGuest,
    ) -> Image {
        let id = crate::catalog::images::public_image_id(p.key, region).unwrap_or_default();
        let mut mappings = Vec::new();
        match p.root_device {
            RootDevice::Ebs => mappings.push(ImageMapping {
                device_name: p.root_device_name.to_string(),
                virtual_name: None,
                ebs: Some(ImageEbs {
                    snapshot_id: Some(stable_id("snap", &format!("{}@{region}", p.key))),
                    volume_size: p.root_size_gb,
                    volume_type: p.volume_type.to_string(),
                    delete_on_termination: true,
                    encrypted: false,
                    kms_key_id: None,
                }),
            }),
            RootDevice::InstanceStore => mappings.push(ImageMapping {
                device_name: "/dev/sdb".into(),
                virtual_name: Some("ephemeral0".into()),
                ebs: None,
            }),
        }
        let alias_or_owner = p.owner_alias.unwrap_or(p.owner_id);
        Image {
            id,
            seq,
            name: p.name.to_string(),
            description: Some(p.description.to_string()),
            owner_id: p.owner_id.to_string(),
            owner_alias: p.owner_alias.map(str::to_string),
            creation_date: parse_iso8601(p.creation_date).unwrap_or_default(),
            state: ImageState::Available,
            state_reason: None,
            profile: ImageProfile {
                os: p.os,
                architecture: p.architecture,
                virtualization: p.virtualization,
                root_device: p.root_device,
                root_device_name: p.root_device_name.to_string(),
                platform_details: p.platform_details.to_string(),
                usage_operation: p.usage_operation.to_string(),
                boot_mode: p.boot_mode.map(str::to_string),
                ena_support: p.ena_support,
                sriov_net_support: Some("simple".into()).filter(|_| p.ena_support),
                kernel_id: (p.virtualization == Virtualization::Paravirtual)
                    .then(|| stable_id("aki", &format!("pv-grub@{region}"))),
                product_codes: p
                    .product_code
                    .map(|c| vec![c.to_string()])
                    .unwrap_or_default(),
                software_fee_hourly: p.software_fee_hourly,
            },
            mappings,
            image_location: match p.root_device {
                RootDevice::InstanceStore => {
                    format!("{alias_or_owner}-{region}/{}.manifest.xml", p.name)
                }
                RootDevice::Ebs => format!("{alias_or_owner}/{}", p.name),
            },
            tags: Tags::default(),
            account_tags: BTreeMap::new(),
            source_instance_id: None,
            source_image_id: None,
            source_image_region: None,
            deprecation_time: p.deprecation_time.map(str::to_string),
            // Amazon Linux 2023 images are published with ImdsSupport v2.0.
            imds_support: (p.os == OsFamily::AmazonLinux2023).then(|| "v2.0".to_string()),
            launch_permissions: LaunchPermissions {
                public: true,
                ..Default::default()
            },
            deregistration_protection: DeregistrationProtection::Disabled,
            launches: LaunchHistory::default(),
            firmware: Firmware::default(),
            guest,
        }
    }

    /// False once deregistered.
    pub fn is_registered(&self) -> bool {
        self.state != ImageState::Deregistered
    }

    /// True once its deprecation time has come (`now` in seconds since the Unix epoch): "a
    /// deprecated AMI is an AMI whose deprecation date is in the past. If you have set the
    /// deprecation date to a date in the future, the AMI is not yet deprecated" (EC2 User Guide,
    /// "Deprecate an AMI").
    pub fn is_deprecated(&self, now: u64) -> bool {
        self.deprecation_time
            .as_deref()
            .and_then(parse_iso8601)
            .is_some_and(|t| t <= now)
    }

    /// True when every account may launch it (`{group: "all"}`).
    pub fn is_public(&self) -> bool {
        self.launch_permissions.public
    }

    /// Encrypted when any of its EBS snapshots is.
    pub(crate) fn is_encrypted(&self) -> bool {
        self.mappings
            .iter()
            .any(|m| m.ebs.as_ref().is_some_and(|e| e.encrypted))
    }

    /// May `account` see this image, and launch it while it is `available`? The owner always may
    /// (implicit permission); a disabled image has no launch permissions, so only its owner sees
    /// it.
    pub(crate) fn launchable_by(&self, account: &str) -> bool {
        self.is_registered()
            && (self.owner_id == account
                || self.launch_permissions.public
                || self.launch_permissions.user_ids.contains(account))
    }

    /// The snapshots of its EBS devices, in device order.
    pub(crate) fn snapshot_ids(&self) -> impl Iterator<Item = &str> {
        self.mappings
            .iter()
            .filter_map(|m| m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()))
    }

    /// The image as DescribeImages shows it to `account` at `now`. Its deregistration protection
    /// and last launch time are shown to its owner only (the release that added them: "enables
    /// the AMI owners to view the AMI 'LastLaunchedTime' in DescribeImages").
    pub(crate) fn describe(&self, account: &str, now: u64) -> ImageShape {
        let owner = self.owner_id == account;
        ImageShape {
            image_id: self.id.clone(),
            image_location: self.image_location.clone(),
            state: self.state.as_str().to_string(),
            owner_id: self.owner_id.clone(),
            creation_date: iso8601(self.creation_date),
            public: self.is_public(),
            product_codes: product_code_shapes(&self.profile.product_codes),
            architecture: self.profile.architecture.as_str().to_string(),
            image_type: "machine".into(),
            kernel_id: self.profile.kernel_id.clone(),
            platform: self.profile.os.is_windows().then(|| "windows".to_string()),
            platform_details: self.profile.platform_details.clone(),
            usage_operation: self.profile.usage_operation.clone(),
            sriov_net_support: self.profile.sriov_net_support.clone(),
            state_reason: self
                .state_reason
                .as_ref()
                .map(|(c, m)| super::StateReasonShape {
                    code: c.clone(),
                    message: m.clone(),
                }),
            image_owner_alias: self.owner_alias.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            root_device_type: self.profile.root_device.as_str().to_string(),
            root_device_name: self.profile.root_device_name.clone(),
            block_device_mappings: self.mappings.iter().map(mapping_shape).collect(),
            virtualization_type: self.profile.virtualization.as_str().to_string(),
            tags: self.tags_seen_by(account).to_list(),
            hypervisor: "xen".into(),
            ena_support: self.profile.ena_support,
            boot_mode: self.profile.boot_mode.clone(),
            tpm_support: self.firmware.tpm_support.clone(),
            deprecation_time: self.deprecation_time.clone(),
            imds_support: self.imds_support.clone(),
            deregistration_protection: owner.then(|| self.deregistration_protection.describe(now)),
            last_launched_time: self
                .launches
                .last_reported(now)
                .filter(|_| owner)
                .map(last_launched),
            source_instance_id: self.source_instance_id.clone(),
            source_image_id: self.source_image_id.clone(),
            source_image_region: self.source_image_region.clone(),
        }
    }
}

/// `2025-06-02T09:00:00Z`: how EC2 writes `LastLaunchedTime` (whole seconds, as in the user
/// guide's example, "Check when an Amazon EC2 AMI was last used").
pub(crate) fn last_launched(seconds: u64) -> String {
    let full = iso8601(seconds);
    match full.strip_suffix(".000Z") {
        Some(whole) => format!("{whole}Z"),
        None => full,
    }
}

fn mapping_shape(m: &ImageMapping) -> BlockDeviceMappingShape {
    BlockDeviceMappingShape {
        device_name: m.device_name.clone(),
        virtual_name: m.virtual_name.clone(),
        ebs: m.ebs.as_ref().map(|e| EbsShape {
            delete_on_termination: e.delete_on_termination,
            snapshot_id: e.snapshot_id.clone(),
            volume_size: e.volume_size,
            volume_type: e.volume_type.clone(),
            encrypted: e.encrypted,
            kms_key_id: e.kms_key_id.clone(),
        }),
    }
}

fn product_code_shapes(codes: &[String]) -> Option<Vec<ProductCodeShape>> {
    if codes.is_empty() {
        None
    } else {
        Some(
            codes
                .iter()
                .map(|c| ProductCodeShape {
                    product_code_id: c.clone(),
                    product_code_type: "marketplace".into(),
                })
                .collect(),
        )
    }
}

impl Filterable for Image {
    const FILTER_NAMES: &'static [&'static str] = &[
        "architecture",
        "block-device-mapping.delete-on-termination",
        "block-device-mapping.device-name",
        "block-device-mapping.snapshot-id",
        "block-device-mapping.volume-size",
        "block-device-mapping.volume-type",
        "block-device-mapping.encrypted",
        "creation-date",
        "description",
        "ena-support",
        "hypervisor",
        "image-id",
        "image-type",
        "is-public",
        "kernel-id",
        "name",
        "owner-alias",
        "owner-id",
        "platform",
        "product-code",
        "product-code.type",
        "root-device-name",
        "root-device-type",
        "source-image-id",
        "source-image-region",
        "source-instance-id",
        "state",
        "state-reason-code",
        "sriov-net-support",
        "virtualization-type",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        let ebs = || self.mappings.iter().filter_map(|m| m.ebs.as_ref());
        match name {
            "architecture" => out.push(self.profile.architecture.as_str()),
            "block-device-mapping.delete-on-termination" => {
                out.extend(ebs().map(|e| bool_str(e.delete_on_termination)))
            }
            "block-device-mapping.device-name" => out.extend(
                self.mappings
                    .iter()
                    .map(|m| Cow::from(m.device_name.as_str())),
            ),
            "block-device-mapping.snapshot-id" => out.extend(self.snapshot_ids().map(Cow::from)),
            "block-device-mapping.volume-size" => {
                out.extend(ebs().map(|e| Cow::from(e.volume_size.to_string())))
            }
            "block-device-mapping.volume-type" => {
                out.extend(ebs().map(|e| Cow::from(e.volume_type.as_str())))
            }
            "block-device-mapping.encrypted" => out.extend(ebs().map(|e| bool_str(e.encrypted))),
            "creation-date" => out.push(iso8601(self.creation_date)),
            "description" => out.extend(self.description.as_deref().map(Cow::from)),
            "ena-support" => out.push(bool_str(self.profile.ena_support)),
            "hypervisor" => out.push("xen"),
            "image-id" => out.push(self.id.as_str()),
            "image-type" => out.push("machine"),
            "is-public" => out.push(bool_str(self.is_public())),
            "kernel-id" => out.extend(self.profile.kernel_id.as_deref().map(Cow::from)),
            "name" => out.push(self.name.as_str()),
            "owner-alias" => out.extend(self.owner_alias.as_deref().map(Cow::from)),
            "owner-id" => out.push(self.owner_id.as_str()),
            "platform" if self.profile.os.is_windows() => out.push("windows"),
            "product-code" => out.extend(
                self.profile
                    .product_codes
                    .iter()
                    .map(|c| Cow::from(c.as_str())),
            ),
            "product-code.type" => out.extend(
                self.profile
                    .product_codes
                    .iter()
                    .map(|_| Cow::from("marketplace")),
            ),
            "root-device-name" => out.push(self.profile.root_device_name.as_str()),
            "root-device-type" => out.push(self.profile.root_device.as_str()),
            "source-image-id" => out.extend(self.source_image_id.as_deref().map(Cow::from)),
            "source-image-region" => out.extend(self.source_image_region.as_deref().map(Cow::from)),
            "source-instance-id" => out.extend(self.source_instance_id.as_deref().map(Cow::from)),
            "state" => out.push(self.state.as_str()),
            "state-reason-code" => out.extend(
                self.state_reason
                    .as_ref()
                    .map(|(c, _)| Cow::from(c.as_str())),
            ),
            "sriov-net-support" => {
                out.extend(self.profile.sriov_net_support.as_deref().map(Cow::from))
            }
            "virtualization-type" => out.push(self.profile.virtualization.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// An image as one account sees it, for filtering: its `tag:` filters match that account's tags.
pub(crate) struct ImageSeenBy<'a> {
    pub image: &'a Image,
    pub account: &'a str,
}

impl Filterable for ImageSeenBy<'_> {
    const FILTER_NAMES: &'static [&'static str] = Image::FILTER_NAMES;

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        self.image.field(name, out)
    }

    fn tags(&self) -> &Tags {
        self.image.tags_seen_by(self.account)
    }
}

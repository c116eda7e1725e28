//! AMIs: DescribeImages, CreateImage, CopyImage, RegisterImage, DeregisterImage, and the image
//! attributes (launch permissions, description, …).

use std::borrow::Cow;
use std::collections::BTreeSet;
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
use crate::ids::{is_well_formed, stable_id};
use crate::lifecycle::Event;
use crate::request::request;
use crate::{is_account_id, Caller, Cloud};

/// What an image tells an instance about itself; copied onto every instance launched from it
/// and onto every image created from such an instance.
#[derive(Debug, Clone, PartialEq)]
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

/// An AMI's `State`. EC2 also knows `invalid`, `error` and `disabled`, which the simulation never
/// reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl ImageState {
    /// EC2's name for the state (`available`).
    pub fn as_str(self) -> &'static str {
        match self {
            ImageState::Pending => "pending",
            ImageState::Available => "available",
            ImageState::Failed => "failed",
            ImageState::Deregistered => "deregistered",
        }
    }
}

/// One device of an image's block device mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageMapping {
    /// The device name (`/dev/xvda`, `/dev/sdb`).
    pub device_name: String,
    /// `ephemeral0`, … for instance-store volumes.
    pub virtual_name: Option<String>,
    /// The EBS volume the device gets; `None` for an instance-store device.
    pub ebs: Option<ImageEbs>,
}

/// The EBS part of an image's block device mapping: the snapshot a volume is created from.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// An AMI as the simulation holds it, in one region: what graders read. Scripts see it
/// through DescribeImages, as an [`ImageShape`].
#[derive(Debug, Clone, PartialEq)]
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
    /// The instance CreateImage made it from.
    pub source_instance_id: Option<String>,
    /// The image CopyImage copied it from.
    pub source_image_id: Option<String>,
    /// The region CopyImage copied it from.
    pub source_image_region: Option<String>,
    /// When it is deprecated, ISO-8601, if it is.
    pub deprecation_time: Option<String>,
    /// Who besides the owner may launch it.
    pub launch_permissions: LaunchPermissions,
    /// The root file system's contents: what instances launched from the image boot into.
    pub guest: ImageGuest,
}

/// An image's root file system. A catalogue image's is built the first time something needs
/// it: a world holds over a hundred catalogue images and a run launches from one or two.
#[derive(Debug, Clone, PartialEq)]
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
            source_instance_id: None,
            source_image_id: None,
            source_image_region: None,
            deprecation_time: p.deprecation_time.map(str::to_string),
            launch_permissions: LaunchPermissions {
                public: true,
                ..Default::default()
            },
            guest,
        }
    }

    /// False once deregistered.
    pub fn is_registered(&self) -> bool {
        self.state != ImageState::Deregistered
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

    /// May `account` see and launch this image? The owner always may (implicit permission).
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

    /// The image as DescribeImages shows it.
    pub(crate) fn describe(&self) -> ImageShape {
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
            tags: self.tags.to_list(),
            hypervisor: "xen".into(),
            ena_support: self.profile.ena_support,
            boot_mode: self.profile.boot_mode.clone(),
            deprecation_time: self.deprecation_time.clone(),
            source_instance_id: self.source_instance_id.clone(),
            source_image_id: self.source_image_id.clone(),
            source_image_region: self.source_image_region.clone(),
        }
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

// ---------------------------------------------------------------------------------------------
// Shapes

/// A marketplace product code as EC2 shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductCodeShape {
    /// The product code.
    pub product_code_id: String,
    /// Always `marketplace`.
    pub product_code_type: String,
}

/// An image as DescribeImages returns it (boto3's keys, converted by `xform_name`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageShape {
    /// The image id (`ami-…`).
    pub image_id: String,
    /// `<owner or alias>/<name>` for EBS images, the S3 manifest path for instance-store ones.
    pub image_location: String,
    /// `pending`, `available`, `failed` (deregistered images are not listed).
    pub state: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// When it was created, ISO-8601 (`2025-06-02T09:00:00.000Z`).
    pub creation_date: String,
    /// Whether every account may launch it.
    pub public: bool,
    /// Marketplace product codes; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_codes: Option<Vec<ProductCodeShape>>,
    /// `i386`, `x86_64` or `arm64`.
    pub architecture: String,
    /// Always `machine`.
    pub image_type: String,
    /// The kernel (`aki-…`) of a paravirtual image; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<String>,
    /// `windows` for Windows images; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// `Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`, ….
    pub platform_details: String,
    /// The billing code (`RunInstances`, `RunInstances:0002`, …).
    pub usage_operation: String,
    /// `simple` when Intel enhanced networking is enabled; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sriov_net_support: Option<String>,
    /// Why the state changed, when EC2 says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<super::StateReasonShape>,
    /// `amazon` or `aws-marketplace`; absent on an account's own images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_owner_alias: Option<String>,
    /// The AMI name.
    pub name: String,
    /// The description; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ebs` or `instance-store`.
    pub root_device_type: String,
    /// The root device's name (`/dev/xvda`).
    pub root_device_name: String,
    /// The devices instances get, with their snapshots.
    pub block_device_mappings: Vec<BlockDeviceMappingShape>,
    /// `hvm` or `paravirtual`.
    pub virtualization_type: String,
    /// The caller's tags on it; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Always `xen`, the only hypervisor EC2 reports for images.
    pub hypervisor: String,
    /// Whether ENA enhanced networking is enabled.
    pub ena_support: bool,
    /// `uefi`, `legacy-bios` or `uefi-preferred`; absent when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<String>,
    /// When it is deprecated, ISO-8601; absent when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecation_time: Option<String>,
    /// The instance CreateImage made it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_instance_id: Option<String>,
    /// The image CopyImage copied it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_image_id: Option<String>,
    /// The region CopyImage copied it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_image_region: Option<String>,
}

request! {
    /// Input of EC2 `DescribeImages` (`ec2.describe_images(#{owners: ["self"]})`).
    #[derive(Default)]
    pub struct DescribeImagesInput {
        /// Only these images (`ami-…`). An id that does not exist, or whose image the caller may
        /// not launch, is `InvalidAMIID.NotFound`; a deregistered image is simply not listed.
        #[serde(default)]
        pub image_ids: Vec<String>,
        /// Only images of these owners: account ids, `self`, `amazon` or `aws-marketplace`.
        #[serde(default)]
        pub owners: Vec<String>,
        /// Only images shared with these: an account id (explicitly shared with it), `self` (shared
        /// with the caller) or `all` (public).
        #[serde(default)]
        pub executable_users: Vec<String>,
        ..filters,
        /// `IncludeDeprecated`; accepted and ignored: deprecated images are always listed.
        pub include_deprecated: Option<bool>,
        /// `IncludeDisabled`; accepted and ignored (images are never disabled here).
        pub include_disabled: Option<bool>,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeImages`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeImagesOutput {
    /// The matching images, in creation order (catalogue images first).
    pub images: Vec<ImageShape>,
}

request! {
    /// Input of EC2 `CreateImage` (EC2-BEHAVIOUR.md, CreateImage).
    pub struct CreateImageInput {
        /// The instance to image: the caller's, EBS-backed, and running, stopping or stopped.
        pub instance_id: String,
        /// The AMI name: 3–128 characters of letters, digits, `( ) [ ]`, space, `. / - ' @ _`;
        /// unique per account per region.
        pub name: String,
        /// A description, at most 255 characters.
        pub description: Option<String>,
        /// `true` to image the running instance without the clean shutdown EC2 does by default:
        /// writes not yet synced in the guest are lost.
        pub no_reboot: Option<bool>,
        /// Changes to the instance's devices: only `delete_on_termination` may change, and
        /// `no_device` leaves a data volume out.
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// Tags for the new `image` and its `snapshot`s; other resource types are refused.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

/// `{image_id}`: the answer of CreateImage, CopyImage and RegisterImage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageIdOutput {
    /// The new image's id (`ami-…`).
    pub image_id: String,
}

request! {
    /// Input of EC2 `CopyImage`, called in the destination region (EC2-BEHAVIOUR.md, CopyImage).
    pub struct CopyImageInput {
        /// The copy's AMI name (same rules as CreateImage's).
        pub name: String,
        /// The image to copy.
        pub source_image_id: String,
        /// The region the source image is in; may be the caller's own.
        pub source_region: String,
        /// The copy's description; by default `[Copied ami-… from <region>] <source description>`.
        pub description: Option<String>,
        /// `true` to encrypt the copy's snapshots; a copy of an encrypted image is always
        /// encrypted.
        pub encrypted: Option<bool>,
        /// The KMS key (id, ARN or alias) that encrypts the copy, in the destination region; needs
        /// `encrypted: true`. By default the destination account's `aws/ebs` key (or, within a
        /// region, the source's key).
        pub kms_key_id: Option<String>,
        /// `true` to copy the source's tags (never its `aws:` tags).
        pub copy_image_tags: Option<bool>,
        /// Tags for the new `image` and its `snapshot`s.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        /// An idempotency token: repeating a CopyImage with the same token answers the first call's
        /// image id and copies nothing.
        pub client_token: Option<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `RegisterImage`. Only EBS-backed images registered from snapshots are
    /// supported; `image_location` (an S3 manifest) is refused.
    pub struct RegisterImageInput {
        /// The AMI name (same rules as CreateImage's).
        pub name: String,
        /// An S3 manifest path (instance-store images); refused with `UnsupportedOperation`.
        pub image_location: Option<String>,
        /// A description, at most 255 characters.
        pub description: Option<String>,
        /// `i386`, `x86_64` or `arm64`; `x86_64` when absent (AWS documents `i386` as the default
        /// for EBS-backed images).
        pub architecture: Option<String>,
        /// The kernel (`aki-…`) a paravirtual image boots with.
        pub kernel_id: Option<String>,
        /// `RamdiskId`; accepted and ignored.
        pub ramdisk_id: Option<String>,
        /// The root device's name (required); a block device mapping with a snapshot must name it.
        pub root_device_name: Option<String>,
        /// The image's devices (required): each needs a `device_name`, and an `ebs` device a
        /// `snapshot_id` of the caller's or a `volume_size`.
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// `hvm` or `paravirtual`; `paravirtual` when absent, RegisterImage's documented default.
        pub virtualization_type: Option<String>,
        /// `simple` to enable Intel enhanced networking.
        pub sriov_net_support: Option<String>,
        /// Whether ENA enhanced networking is enabled; `false` when absent.
        pub ena_support: Option<bool>,
        /// `uefi`, `legacy-bios` or `uefi-preferred`.
        pub boot_mode: Option<String>,
        /// Tags for the new `image`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DeregisterImage` (EC2-BEHAVIOUR.md, DeregisterImage).
    pub struct DeregisterImageInput {
        /// The image to deregister: the caller's own.
        pub image_id: String,
        /// `true` to delete the image's snapshots too (those no other registered image uses); by
        /// default they stay, and keep costing money.
        pub delete_associated_snapshots: Option<bool>,
        ..dry_run,
    }
}

/// What happened to one snapshot when DeregisterImage deleted associated snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteSnapshotResult {
    /// The snapshot.
    pub snapshot_id: String,
    /// `success` (deleted), `skipped` (another registered image uses it) or `missing-permissions`
    /// (not the caller's).
    pub return_code: String,
}

/// EC2 `DeregisterImage`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeregisterImageOutput {
    /// Always `true`; serialised as `return`.
    #[serde(rename = "return")]
    pub return_: bool,
    /// One result per snapshot when `delete_associated_snapshots` was set; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_snapshot_results: Option<Vec<DeleteSnapshotResult>>,
}

request! {
    /// Input of EC2 `DescribeImageAttribute`.
    pub struct DescribeImageAttributeInput {
        /// The attribute to read: `description`, `kernel`, `ramdisk`, `launchPermission`,
        /// `productCodes`, `sriovNetSupport`, `bootMode` or `imdsSupport` (`blockDeviceMapping` is
        /// deprecated and refused).
        pub attribute: String,
        /// The image: the caller's own.
        pub image_id: String,
        ..dry_run,
    }
}

/// `{value: …}`, EC2's attribute-value wrapper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeValue {
    /// The value; absent when unset.
    pub value: Option<String>,
}

/// One launch permission: exactly one of its members is set. `{group: "all"}` makes an image
/// public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaunchPermission {
    /// A 12-digit account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// A group; the only group is `all` (every account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// An AWS Organizations organization ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_arn: Option<String>,
    /// An organizational unit ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizational_unit_arn: Option<String>,
}

/// EC2 `DescribeImageAttribute`'s answer: the image id and the one attribute asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageAttributeOutput {
    /// The image id.
    pub image_id: String,
    /// For `launchPermission`: the image's permissions (`[{user_id} | {group: "all"} | …]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_permissions: Option<Vec<LaunchPermission>>,
    /// For `productCodes`: its marketplace product codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_codes: Option<Vec<ProductCodeShape>>,
    /// For `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<AttributeValue>,
    /// For `kernel`: the kernel id of a paravirtual image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<AttributeValue>,
    /// For `ramdisk`: always unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ramdisk_id: Option<AttributeValue>,
    /// For `sriovNetSupport`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sriov_net_support: Option<AttributeValue>,
    /// For `bootMode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<AttributeValue>,
    /// For `imdsSupport`: always unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imds_support: Option<AttributeValue>,
}

/// `launch_permission: #{add: [...], remove: [...]}` in ModifyImageAttribute (EC2's
/// `LaunchPermissionModifications`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaunchPermissionModifications {
    /// Permissions to add; adding one that exists is not an error.
    #[serde(default)]
    pub add: Vec<LaunchPermission>,
    /// Permissions to remove; removing one that is absent is not an error.
    #[serde(default)]
    pub remove: Vec<LaunchPermission>,
}

request! {
    /// Input of EC2 `ModifyImageAttribute`: share or unshare an image (`launch_permission`, or
    /// `attribute: "launchPermission"` with `operation_type` and `user_ids` / `user_groups` / …),
    /// or change its description (EC2-BEHAVIOUR.md, Launch permissions).
    pub struct ModifyImageAttributeInput {
        /// The image: the caller's own.
        pub image_id: String,
        /// `launchPermission` or `description`.
        pub attribute: Option<String>,
        /// The new description (`{value}`).
        pub description: Option<AttributeValue>,
        /// Permissions to add and remove.
        pub launch_permission: Option<LaunchPermissionModifications>,
        /// `add` or `remove`, for the flat form's lists.
        pub operation_type: Option<String>,
        /// Accounts to add or remove (flat form).
        #[serde(default)]
        pub user_ids: Vec<String>,
        /// Groups to add or remove (flat form); the only group is `all`.
        #[serde(default)]
        pub user_groups: Vec<String>,
        /// Organizations to add or remove (flat form).
        #[serde(default)]
        pub organization_arns: Vec<String>,
        /// Organizational units to add or remove (flat form).
        #[serde(default)]
        pub organizational_unit_arns: Vec<String>,
        /// `ProductCodes`; accepted and ignored.
        #[serde(default)]
        pub product_codes: Vec<String>,
        /// The new value for `attribute: "description"`.
        pub value: Option<String>,
        ..dry_run,
    }
}

impl ModifyImageAttributeInput {
    /// The launch-permission changes the request asks for, whichever form it uses: a
    /// `launch_permission` structure (`#{add: [..], remove: [..]}`), or `attribute:
    /// "launchPermission"` with `operation_type` and `user_ids` / `user_groups` /
    /// `organization_arns` / `organizational_unit_arns` (ModifyImageAttribute, EC2 API
    /// reference). `attribute` beside a structure alone names what the structure changes (the
    /// AWS CLI's `--attribute launchPermission --launch-permission …`). Items are not
    /// validated here. `Err` (InvalidParameterValue) when the flat form's operation type is
    /// neither `add` nor `remove`.
    pub fn launch_permission_changes(&self) -> AwsResult<LaunchPermissionModifications> {
        let mut changes = self.launch_permission.clone().unwrap_or_default();
        if self.attribute.as_deref() != Some("launchPermission") {
            return Ok(changes);
        }
        let one = |f: fn(String) -> LaunchPermission, list: &[String]| {
            list.iter().cloned().map(f).collect::<Vec<_>>()
        };
        let mut items = one(
            |u| LaunchPermission {
                user_id: Some(u),
                ..Default::default()
            },
            &self.user_ids,
        );
        items.extend(one(
            |g| LaunchPermission {
                group: Some(g),
                ..Default::default()
            },
            &self.user_groups,
        ));
        items.extend(one(
            |a| LaunchPermission {
                organization_arn: Some(a),
                ..Default::default()
            },
            &self.organization_arns,
        ));
        items.extend(one(
            |a| LaunchPermission {
                organizational_unit_arn: Some(a),
                ..Default::default()
            },
            &self.organizational_unit_arns,
        ));
        match self.operation_type.as_deref() {
            Some("add") => changes.add.extend(items),
            Some("remove") => changes.remove.extend(items),
            None if self.launch_permission.is_some() && items.is_empty() => {}
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({}) for parameter operationType is invalid. Valid values: add, remove",
                    other.unwrap_or("null")
                )))
            }
        }
        Ok(changes)
    }
}

request! {
    /// Input of EC2 `ResetImageAttribute`.
    pub struct ResetImageAttributeInput {
        /// The attribute to reset; only `launchPermission` can be.
        pub attribute: String,
        /// The image: the caller's own.
        pub image_id: String,
        ..dry_run,
    }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

/// `Invalid id: "x" (expecting "ami-...")` for the first malformed image id.
pub(crate) fn check_image_id(id: &str) -> AwsResult<()> {
    if is_well_formed(id, "ami") {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"ami-...\")"),
        ))
    }
}

pub(crate) fn image_not_found(ids: &[&str]) -> AwsError {
    if ids.len() == 1 {
        AwsError::new(
            "InvalidAMIID.NotFound",
            format!("The image id '[{}]' does not exist", ids[0]),
        )
    } else {
        AwsError::new(
            "InvalidAMIID.NotFound",
            format!("The image ids '[{}]' do not exist", ids.join(", ")),
        )
    }
}

/// AMI names: 3–128 characters of letters, digits and `( ) [ ] space . / - ' @ _`.
pub(crate) fn check_image_name(name: &str) -> AwsResult<()> {
    let len = name.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "()[] ./-'@_".contains(c);
    if (3..=128).contains(&len) && name.chars().all(allowed) {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidAMIName.Malformed",
            format!(
                "AMI name '{name}' is invalid. AMI names must be between 3 and 128 characters long, and may contain letters, numbers, spaces, and the characters ( ) [ ] . / - ' @ _ only."
            ),
        ))
    }
}

fn check_description(description: Option<&str>) -> AwsResult<()> {
    match description {
        Some(d) if d.chars().count() > 255 => Err(AwsError::invalid_parameter_value(
            "The description must be at most 255 characters long.",
        )),
        _ => Ok(()),
    }
}

const IMAGE_TAG_TYPES: &[&str] = &["image", "snapshot"];

// ---------------------------------------------------------------------------------------------
// Operations

impl Cloud {
    /// An image the caller may see in its region, or the right error.
    pub(crate) fn visible_image(&self, region: &str, account: &str, id: &str) -> AwsResult<&Image> {
        check_image_id(id)?;
        self.region_ref(region)?
            .images
            .get(id)
            .filter(|i| i.launchable_by(account))
            .ok_or_else(|| image_not_found(&[id]))
    }

    /// An image the caller owns, for mutations; someone else's visible image is `AuthFailure`.
    fn owned_image_mut(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut Image> {
        check_image_id(id)?;
        let region = self.region_mut(&caller.region)?;
        let image = region
            .images
            .get_mut(id)
            .filter(|i| i.launchable_by(&caller.account) || i.owner_id == caller.account)
            .ok_or_else(|| image_not_found(&[id]))?;
        if image.owner_id != caller.account {
            return Err(AwsError::new(
                "AuthFailure",
                format!("Not authorized for image:{id}"),
            ));
        }
        Ok(image)
    }

    /// EC2 `DescribeImages`: the images the caller may launch in its region (public ones, its own,
    /// those shared with it), narrowed by ids, owners, executable users and filters
    /// (EC2-BEHAVIOUR.md, DescribeImages). Deregistered images are not listed.
    ///
    /// Errors: `InvalidParameterValue` for an unknown filter name or a filter without a name;
    /// `InvalidAMIID.Malformed` for an id not shaped `ami-…`; `InvalidUserID.Malformed` for an
    /// owner that is neither an account id nor `self`, `amazon`, `aws-marketplace`;
    /// `InvalidAMIID.NotFound` naming every listed id that does not exist or whose image the
    /// caller may not launch.
    pub fn describe_images(
        &mut self,
        caller: &Caller,
        input: DescribeImagesInput,
    ) -> AwsResult<DescribeImagesOutput> {
        filters::validate::<Image>(&input.filters)?;
        for id in &input.image_ids {
            check_image_id(id)?;
        }
        for owner in &input.owners {
            if !(is_account_id(owner)
                || ["self", "amazon", "aws-marketplace"].contains(&owner.as_str()))
            {
                return Err(AwsError::new(
                    "InvalidUserID.Malformed",
                    format!("Invalid user id: \"{owner}\""),
                ));
            }
        }
        let account = caller.account.as_str();
        let region = self.region_ref(&caller.region)?;
        if !input.image_ids.is_empty() {
            let missing: Vec<&str> = input
                .image_ids
                .iter()
                .map(String::as_str)
                .filter(|id| match region.images.get(*id) {
                    Some(i) => !i.launchable_by(account) && i.is_registered(),
                    None => true,
                })
                .collect();
            if !missing.is_empty() {
                return Err(image_not_found(&missing));
            }
        }
        let owner_matches = |i: &Image| {
            input.owners.is_empty()
                || input.owners.iter().any(|o| match o.as_str() {
                    "self" => i.owner_id == account,
                    "amazon" | "aws-marketplace" => i.owner_alias.as_deref() == Some(o.as_str()),
                    id => i.owner_id == id,
                })
        };
        let executable_matches = |i: &Image| {
            input.executable_users.is_empty()
                || input.executable_users.iter().any(|u| match u.as_str() {
                    "all" => i.is_public(),
                    "self" => i.launch_permissions.user_ids.contains(account),
                    id => i.launch_permissions.user_ids.contains(id),
                })
        };
        let wanted: BTreeSet<&str> = input.image_ids.iter().map(String::as_str).collect();
        let matcher = Matcher::new(&input.filters);
        let mut found: Vec<&Image> = candidates(region, &input.image_ids, &input.filters)
            .into_iter()
            .filter(|i| i.launchable_by(account))
            .filter(|i| wanted.is_empty() || wanted.contains(i.id.as_str()))
            .filter(|i| owner_matches(i))
            .filter(|i| executable_matches(i))
            .filter(|i| matcher.matches(*i))
            .collect();
        found.sort_by_key(|i| i.seq);
        Ok(DescribeImagesOutput {
            images: found.into_iter().map(Image::describe).collect(),
        })
    }

    /// EC2 `CreateImage`: an EBS-backed image of one of the caller's instances, `pending` for
    /// [`durations::CREATE_IMAGE`] seconds and then `available`, with one new snapshot per EBS
    /// volume. The image captures the instance's guest: after a clean reboot by default, or as it
    /// is on disk with `no_reboot: true` (unsynced writes are lost).
    ///
    /// Errors: `InvalidAMIName.Malformed`; `InvalidParameterValue` (description over 255
    /// characters, a tag type other than `image` / `snapshot`, an instance not running, stopping or
    /// stopped); `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`;
    /// `UnsupportedOperation` for an instance-store-backed instance; `InvalidAMIName.Duplicate`;
    /// `ResourceLimitExceeded` at the image quota; `InvalidBlockDeviceMapping` for a device the
    /// instance lacks, a change other than `delete_on_termination`, or leaving out the root device;
    /// `TagLimitExceeded`.
    pub fn create_image(
        &mut self,
        caller: &Caller,
        input: CreateImageInput,
    ) -> AwsResult<ImageIdOutput> {
        check_image_name(&input.name)?;
        check_description(input.description.as_deref())?;
        let image_tags = tags_for(&input.tag_specifications, IMAGE_TAG_TYPES, "image")?;
        let snapshot_tags = tags_for(&input.tag_specifications, IMAGE_TAG_TYPES, "snapshot")?;
        let instance = self.own_instance(caller, &input.instance_id)?.clone();
        use super::instances::InstanceState as S;
        if !matches!(instance.state, S::Running | S::Stopping | S::Stopped) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{}' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'",
                instance.id
            )));
        }
        if instance.profile.root_device != RootDevice::Ebs {
            return Err(AwsError::new(
                "UnsupportedOperation",
                format!(
                    "The instance '{}' does not have an 'ebs' root device type. CreateImage makes EBS-backed images only; instance store-backed images are bundled with the AMI tools (ec2-bundle-vol) and registered from Amazon S3.",
                    instance.id
                ),
            ));
        }
        self.check_name_free(caller, &input.name)?;
        self.check_image_quota(caller)?;
        // Only DeleteOnTermination may change, and NoDevice may leave a data volume out.
        for bdm in &input.block_device_mappings {
            let device = bdm.device_name.as_deref().unwrap_or_default();
            if !instance.mappings.iter().any(|m| m.device_name == device) {
                return Err(AwsError::new(
                    "InvalidBlockDeviceMapping",
                    format!(
                        "The device '{device}' is not attached to instance '{}'.",
                        instance.id
                    ),
                ));
            }
            if let Some(ebs) = &bdm.ebs {
                if ebs.snapshot_id.is_some()
                    || ebs.volume_size.is_some()
                    || ebs.volume_type.is_some()
                    || ebs.encrypted.is_some()
                    || ebs.kms_key_id.is_some()
                    || ebs.iops.is_some()
                {
                    return Err(AwsError::new(
                        "InvalidBlockDeviceMapping",
                        format!("Only DeleteOnTermination can be changed for the existing device '{device}' when creating an image."),
                    ));
                }
            }
            if bdm.no_device.is_some() && device == instance.profile.root_device_name {
                return Err(AwsError::new(
                    "InvalidBlockDeviceMapping",
                    "The root device cannot be excluded from the image.",
                ));
            }
        }

        // Without NoReboot, EC2 shuts the instance down cleanly first: buffered writes reach
        // the disk. With it, the image gets whatever was on disk at that moment.
        let reboot = !input.no_reboot.unwrap_or(false) && instance.state == S::Running;
        let captured: Guest = {
            let region = self.region_mut(&caller.region)?;
            let live = region
                .instances
                .get_mut(&instance.id)
                .expect("instance checked above");
            if reboot {
                let g = Arc::make_mut(&mut live.guest);
                g.shutdown();
                g.boot();
            }
            let mut copy = if instance.state == S::Running && !reboot {
                live.guest.crash_consistent_copy()
            } else {
                (*live.guest).clone()
            };
            // Instance-store volumes are not part of an EBS-backed image, and the metadata
            // service belongs to the instance, not to its disk.
            copy.wipe_instance_store();
            copy.clear_instance_metadata();
            copy
        };
        let captured = Arc::new(captured);

        let image_id = self.ids.next("ami");
        let now = self.now();
        let mut mappings = Vec::new();
        for m in &instance.mappings {
            let bdm = input
                .block_device_mappings
                .iter()
                .find(|b| b.device_name.as_deref() == Some(m.device_name.as_str()));
            if bdm.is_some_and(|b| b.no_device.is_some()) {
                continue;
            }
            let Some(volume_id) = &m.volume_id else {
                mappings.push(ImageMapping {
                    device_name: m.device_name.clone(),
                    virtual_name: m.virtual_name.clone(),
                    ebs: None,
                });
                continue;
            };
            let volume = self.region_ref(&caller.region)?.volumes[volume_id].clone();
            let snapshot_id = self.ids.next("snap");
            let seq = self.next_seq();
            let mut snapshot = Snapshot {
                id: snapshot_id.clone(),
                seq,
                owner_id: caller.account.clone(),
                volume_id: volume.id.clone(),
                volume_size: volume.size,
                state: super::volumes::SnapshotState::Pending,
                start_time: now,
                description: Some(format!(
                    "Created by CreateImage({}) for {image_id}",
                    instance.id
                )),
                encrypted: volume.encrypted,
                kms_key_id: volume.kms_key_id.clone(),
                tags: Tags::default(),
                content: (m.device_name == instance.profile.root_device_name)
                    .then(|| captured.clone()),
            };
            snapshot.tags.apply(&snapshot_tags)?;
            self.region_mut(&caller.region)?
                .snapshots
                .insert(snapshot_id.clone(), snapshot);
            self.schedule_in(
                durations::CREATE_IMAGE,
                Event::SnapshotCompleted {
                    region: caller.region.clone(),
                    snapshot_id: snapshot_id.clone(),
                },
            );
            let delete_on_termination = bdm
                .and_then(|b| b.ebs.as_ref())
                .and_then(|e| e.delete_on_termination)
                .unwrap_or(m.delete_on_termination);
            mappings.push(ImageMapping {
                device_name: m.device_name.clone(),
                virtual_name: None,
                ebs: Some(ImageEbs {
                    snapshot_id: Some(snapshot_id),
                    volume_size: volume.size,
                    volume_type: volume.volume_type.clone(),
                    delete_on_termination,
                    encrypted: volume.encrypted,
                    kms_key_id: volume.kms_key_id.clone(),
                }),
            });
        }
        let mut tags = Tags::default();
        tags.apply(&image_tags)?;
        let seq = self.next_seq();
        let image = Image {
            id: image_id.clone(),
            seq,
            name: input.name.clone(),
            description: input.description,
            owner_id: caller.account.clone(),
            owner_alias: None,
            creation_date: now,
            state: ImageState::Pending,
            state_reason: None,
            profile: instance.profile.clone(),
            mappings,
            image_location: format!("{}/{}", caller.account, input.name),
            tags,
            source_instance_id: Some(instance.id.clone()),
            source_image_id: None,
            source_image_region: None,
            deprecation_time: None,
            launch_permissions: LaunchPermissions::default(),
            guest: ImageGuest::Captured(captured),
        };
        self.region_mut(&caller.region)?.insert_image(image);
        self.schedule_in(
            durations::CREATE_IMAGE,
            Event::ImageAvailable {
                region: caller.region.clone(),
                image_id: image_id.clone(),
            },
        );
        Ok(ImageIdOutput { image_id })
    }

    fn check_name_free(&self, caller: &Caller, name: &str) -> AwsResult<()> {
        let region = self.region_ref(&caller.region)?;
        if let Some(existing) = region
            .image_names
            .get(&(name.to_string(), caller.account.clone()))
        {
            return Err(AwsError::new(
                "InvalidAMIName.Duplicate",
                format!("AMI name {name} is already in use by AMI {existing}"),
            ));
        }
        Ok(())
    }

    fn check_image_quota(&self, caller: &Caller) -> AwsResult<()> {
        let quota = self.quotas.images_per_region;
        let region = self.region_ref(&caller.region)?;
        super::check_quota(
            region.images.values(),
            1,
            quota,
            |i| i.owner_id == caller.account && i.is_registered(),
            || {
                AwsError::new(
                    "ResourceLimitExceeded",
                    format!("You have reached the limit of {quota} AMIs per Region for this account. Deregister images you no longer need."),
                )
            },
        )
    }

    /// EC2 `CopyImage`, called in the destination region: a new image owned by the caller with new
    /// snapshots, `pending` for [`durations::COPY_IMAGE_SAME_REGION`] or
    /// [`durations::COPY_IMAGE_CROSS_REGION`] seconds. Launch permissions are not copied; an
    /// encrypted source gives encrypted copies (EC2-BEHAVIOUR.md, CopyImage).
    ///
    /// Errors: `InvalidAMIName.Malformed`; `InvalidParameterValue` (description too long, an
    /// unknown source region or KMS key, a bad tag type); `InvalidAMIID.Malformed` /
    /// `InvalidAMIID.NotFound` for a source the caller cannot see; `InvalidAMIID.Unavailable` for a
    /// source that is not `available`; `UnsupportedOperation` for another account's image with a
    /// marketplace product code; `InvalidParameterDependency` for `kms_key_id` without `encrypted:
    /// true`; `InvalidRequest` for `encrypted: false` of an encrypted source;
    /// `InvalidAMIName.Duplicate`; `ResourceLimitExceeded`; `TagLimitExceeded`.
    pub fn copy_image(
        &mut self,
        caller: &Caller,
        input: CopyImageInput,
    ) -> AwsResult<ImageIdOutput> {
        check_image_name(&input.name)?;
        check_description(input.description.as_deref())?;
        let image_tags = tags_for(&input.tag_specifications, IMAGE_TAG_TYPES, "image")?;
        let snapshot_tags = tags_for(&input.tag_specifications, IMAGE_TAG_TYPES, "snapshot")?;
        if let Some(token) = &input.client_token {
            let key = (caller.account.clone(), caller.region.clone(), token.clone());
            if let Some(id) = self.copy_tokens.get(&key) {
                return Ok(ImageIdOutput {
                    image_id: id.clone(),
                });
            }
        }
        if self.region(&input.source_region).is_none() {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{}' for SourceRegion. Use one of: {}",
                input.source_region,
                self.region_names().collect::<Vec<_>>().join(", ")
            )));
        }
        let source = self
            .visible_image(
                &input.source_region,
                &caller.account,
                &input.source_image_id,
            )?
            .clone();
        if source.state != ImageState::Available {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!(
                    "AMI '{}' is {}, and cannot be copied",
                    source.id,
                    source.state.as_str()
                ),
            ));
        }
        if !source.profile.product_codes.is_empty() && source.owner_id != caller.account {
            return Err(AwsError::new(
                "UnsupportedOperation",
                format!(
                    "AMI '{}' has a billing product code and belongs to another account, so it cannot be copied. Launch an instance from it and create your own image instead.",
                    source.id
                ),
            ));
        }
        if input.kms_key_id.is_some() && input.encrypted != Some(true) {
            return Err(AwsError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        if input.encrypted == Some(false) && source.is_encrypted() {
            // EC2-BEHAVIOUR.md, CopyImage: no unencrypted copy of an encrypted image.
            return Err(AwsError::new(
                "InvalidRequest",
                format!(
                    "AMI '{}' is encrypted, and an unencrypted copy of an encrypted snapshot is not supported. Leave Encrypted out to copy it encrypted.",
                    source.id
                ),
            ));
        }
        let requested_key = match &input.kms_key_id {
            Some(key) => Some(
                self.kms
                    .resolve(&caller.account, &caller.region, key)
                    .ok_or_else(|| {
                        AwsError::invalid_parameter_value(format!(
                            "The KMS key '{key}' does not exist in {} or is not accessible.",
                            caller.region
                        ))
                    })?,
            ),
            None => None,
        };
        self.check_name_free(caller, &input.name)?;
        self.check_image_quota(caller)?;

        let cross_region = input.source_region != caller.region;
        let duration = if cross_region {
            durations::COPY_IMAGE_CROSS_REGION
        } else {
            durations::COPY_IMAGE_SAME_REGION
        };
        let image_id = self.ids.next("ami");
        let now = self.now();
        let default_key = self.kms.default_ebs_key(&caller.account, &caller.region);
        let mut mappings = Vec::new();
        for m in &source.mappings {
            let Some(ebs) = &m.ebs else {
                mappings.push(m.clone());
                continue;
            };
            // An encrypted source gives encrypted copies; `encrypted: true` encrypts a clear one.
            let encrypted = ebs.encrypted || input.encrypted == Some(true);
            let kms_key_id = if !encrypted {
                None
            } else if let Some(key) = &requested_key {
                Some(key.clone())
            } else if ebs.encrypted && !cross_region {
                ebs.kms_key_id.clone()
            } else {
                Some(default_key.clone())
            };
            let snapshot_id = self.ids.next("snap");
            let seq = self.next_seq();
            let mut snapshot = Snapshot {
                id: snapshot_id.clone(),
                seq,
                owner_id: caller.account.clone(),
                volume_id: "vol-ffffffff".into(),
                volume_size: ebs.volume_size,
                state: super::volumes::SnapshotState::Pending,
                start_time: now,
                description: Some(format!(
                    "Copied for DestinationAmi {image_id} from SourceAmi {} for SourceSnapshot {}. Task created on {}.",
                    source.id,
                    ebs.snapshot_id.as_deref().unwrap_or("-"),
                    iso8601(now)
                )),
                encrypted,
                kms_key_id: kms_key_id.clone(),
                tags: Tags::default(),
                content: (m.device_name == source.profile.root_device_name).then(|| source.guest.get()),
            };
            snapshot.tags.apply(&snapshot_tags)?;
            self.region_mut(&caller.region)?
                .snapshots
                .insert(snapshot_id.clone(), snapshot);
            self.schedule_in(
                duration,
                Event::SnapshotCompleted {
                    region: caller.region.clone(),
                    snapshot_id: snapshot_id.clone(),
                },
            );
            mappings.push(ImageMapping {
                device_name: m.device_name.clone(),
                virtual_name: None,
                ebs: Some(ImageEbs {
                    snapshot_id: Some(snapshot_id),
                    encrypted,
                    kms_key_id,
                    ..ebs.clone()
                }),
            });
        }
        let mut tags = if input.copy_image_tags == Some(true) {
            source.tags.without_aws_reserved()
        } else {
            Tags::default()
        };
        tags.apply(&image_tags)?;
        let description = input.description.or_else(|| {
            Some(format!(
                "[Copied {} from {}] {}",
                source.id,
                input.source_region,
                source.description.as_deref().unwrap_or_default()
            ))
            .map(|d| d.trim_end().to_string())
        });
        let seq = self.next_seq();
        let image = Image {
            id: image_id.clone(),
            seq,
            name: input.name.clone(),
            description,
            owner_id: caller.account.clone(),
            owner_alias: None,
            creation_date: now,
            state: ImageState::Pending,
            state_reason: None,
            profile: source.profile.clone(),
            mappings,
            image_location: format!("{}/{}", caller.account, input.name),
            tags,
            source_instance_id: None,
            source_image_id: Some(source.id.clone()),
            source_image_region: Some(input.source_region.clone()),
            deprecation_time: None,
            launch_permissions: LaunchPermissions::default(),
            guest: source.guest.clone(),
        };
        self.region_mut(&caller.region)?.insert_image(image);
        self.schedule_in(
            duration,
            Event::ImageAvailable {
                region: caller.region.clone(),
                image_id: image_id.clone(),
            },
        );
        if let Some(token) = input.client_token {
            self.copy_tokens.insert(
                (caller.account.clone(), caller.region.clone(), token),
                image_id.clone(),
            );
        }
        Ok(ImageIdOutput { image_id })
    }

    /// EC2 `RegisterImage` from snapshots: a new EBS-backed image whose root device's snapshot
    /// holds its guest, `pending` for [`durations::REGISTER_IMAGE`] seconds.
    ///
    /// Errors: `InvalidAMIName.Malformed`; `UnsupportedOperation` for `image_location`;
    /// `MissingParameter` without `root_device_name`, `block_device_mappings`, a mapping's
    /// `device_name`, or an EBS mapping's snapshot or size; `InvalidParameterValue` (architecture,
    /// virtualization type, volume size or type, a root device no mapping with a snapshot names, a
    /// bad tag type); `InvalidSnapshot.NotFound` for a snapshot that is not the caller's;
    /// `InvalidAMIName.Duplicate`; `ResourceLimitExceeded`.
    pub fn register_image(
        &mut self,
        caller: &Caller,
        input: RegisterImageInput,
    ) -> AwsResult<ImageIdOutput> {
        check_image_name(&input.name)?;
        check_description(input.description.as_deref())?;
        let image_tags = tags_for(&input.tag_specifications, &["image"], "image")?;
        if input.image_location.is_some() {
            return Err(AwsError::new(
                "UnsupportedOperation",
                "Registering an instance store-backed AMI from an Amazon S3 manifest is not available in this simulation. Register an EBS-backed AMI from a snapshot with block_device_mappings and root_device_name.",
            ));
        }
        let root_device_name = input.root_device_name.clone().ok_or_else(|| {
            AwsError::missing_parameter(
                "The request must contain the parameter rootDeviceName when registering an EBS-backed AMI from a snapshot.",
            )
        })?;
        let architecture = match input.architecture.as_deref() {
            None => Arch::X86_64,
            Some(a) => Arch::parse(a).ok_or_else(|| {
                AwsError::invalid_parameter_value(format!(
                    "Value ({a}) for parameter architecture is invalid. Valid values: i386, x86_64, arm64"
                ))
            })?,
        };
        // RegisterImage's documented default virtualization type is paravirtual.
        let virtualization = match input.virtualization_type.as_deref() {
            None => Virtualization::Paravirtual,
            Some(v) => Virtualization::parse(v).ok_or_else(|| {
                AwsError::invalid_parameter_value(format!(
                    "Value ({v}) for parameter virtualizationType is invalid. Valid values: hvm, paravirtual"
                ))
            })?,
        };
        if input.block_device_mappings.is_empty() {
            return Err(AwsError::missing_parameter(
                "The request must contain the parameter blockDeviceMapping with the root device's snapshot.",
            ));
        }
        self.check_name_free(caller, &input.name)?;
        self.check_image_quota(caller)?;
        let region = self.region_ref(&caller.region)?;
        let mut mappings = Vec::new();
        let mut root_content: Option<Arc<Guest>> = None;
        for bdm in &input.block_device_mappings {
            let device_name = bdm.device_name.clone().ok_or_else(|| {
                AwsError::missing_parameter("Each block device mapping needs a device_name.")
            })?;
            if bdm.no_device.is_some() {
                continue;
            }
            let Some(ebs) = &bdm.ebs else {
                mappings.push(ImageMapping {
                    device_name,
                    virtual_name: bdm.virtual_name.clone(),
                    ebs: None,
                });
                continue;
            };
            let (size, encrypted, kms) = match &ebs.snapshot_id {
                Some(snap_id) => {
                    let snap = region
                        .snapshots
                        .get(snap_id)
                        .filter(|s| s.owner_id == caller.account)
                        .ok_or_else(|| super::volumes::snapshot_not_found(snap_id))?;
                    if device_name == root_device_name {
                        root_content = snap.content.clone();
                    }
                    (snap.volume_size, snap.encrypted, snap.kms_key_id.clone())
                }
                None => {
                    let size = ebs.volume_size.ok_or_else(|| {
                        AwsError::missing_parameter(format!(
                            "The block device mapping for '{device_name}' needs a snapshot_id or a volume_size."
                        ))
                    })?;
                    (
                        super::volume_size(size)?,
                        ebs.encrypted.unwrap_or(false),
                        None,
                    )
                }
            };
            let volume_type = ebs.volume_type.clone().unwrap_or_else(|| "gp2".into());
            super::check_volume_type(&volume_type)?;
            mappings.push(ImageMapping {
                device_name,
                virtual_name: None,
                ebs: Some(ImageEbs {
                    snapshot_id: ebs.snapshot_id.clone(),
                    volume_size: match ebs.volume_size {
                        Some(requested) => super::volume_size(requested)?.max(size),
                        None => size,
                    },
                    volume_type,
                    delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
                    encrypted,
                    kms_key_id: kms,
                }),
            });
        }
        if !mappings
            .iter()
            .any(|m| m.device_name == root_device_name && m.ebs.is_some())
        {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{root_device_name}' for rootDeviceName: no block device mapping with a snapshot names that device."
            )));
        }
        let guest = root_content.unwrap_or_else(|| Arc::new(Guest::new(OsFamily::AmazonLinux2023)));
        let os = guest.os();
        let mut tags = Tags::default();
        tags.apply(&image_tags)?;
        let image_id = self.ids.next("ami");
        let seq = self.next_seq();
        let image = Image {
            id: image_id.clone(),
            seq,
            name: input.name.clone(),
            description: input.description,
            owner_id: caller.account.clone(),
            owner_alias: None,
            creation_date: self.now(),
            state: ImageState::Pending,
            state_reason: None,
            profile: ImageProfile {
                os,
                architecture,
                virtualization,
                root_device: RootDevice::Ebs,
                root_device_name,
                platform_details: if os.is_windows() {
                    "Windows"
                } else {
                    "Linux/UNIX"
                }
                .into(),
                usage_operation: if os.is_windows() {
                    "RunInstances:0002"
                } else {
                    "RunInstances"
                }
                .into(),
                boot_mode: input.boot_mode,
                ena_support: input.ena_support.unwrap_or(false),
                sriov_net_support: input.sriov_net_support,
                kernel_id: input.kernel_id,
                product_codes: Vec::new(),
                software_fee_hourly: 0.0,
            },
            mappings,
            image_location: format!("{}/{}", caller.account, input.name),
            tags,
            source_instance_id: None,
            source_image_id: None,
            source_image_region: None,
            deprecation_time: None,
            launch_permissions: LaunchPermissions::default(),
            guest: ImageGuest::Captured(guest),
        };
        self.region_mut(&caller.region)?.insert_image(image);
        self.schedule_in(
            durations::REGISTER_IMAGE,
            Event::ImageAvailable {
                region: caller.region.clone(),
                image_id: image_id.clone(),
            },
        );
        Ok(ImageIdOutput { image_id })
    }

    /// EC2 `DeregisterImage`: the image becomes `deregistered` and its name free; instances already
    /// launched keep running, and its snapshots stay unless `delete_associated_snapshots` is set
    /// (EC2-BEHAVIOUR.md, DeregisterImage).
    ///
    /// Errors: `InvalidAMIID.Malformed`; `InvalidAMIID.NotFound` for an image the caller cannot
    /// see; `AuthFailure` for another account's image; `InvalidAMIID.Unavailable` when it is
    /// already deregistered.
    pub fn deregister_image(
        &mut self,
        caller: &Caller,
        input: DeregisterImageInput,
    ) -> AwsResult<DeregisterImageOutput> {
        check_image_id(&input.image_id)?;
        let region = self.region_mut(&caller.region)?;
        let image = region
            .images
            .get(&input.image_id)
            .filter(|i| i.owner_id == caller.account || i.launchable_by(&caller.account))
            .ok_or_else(|| image_not_found(&[&input.image_id]))?;
        if image.owner_id != caller.account {
            return Err(AwsError::new(
                "AuthFailure",
                format!("Not authorized for image:{}", input.image_id),
            ));
        }
        if !image.is_registered() {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!("The image id '[{}]' is no longer available", input.image_id),
            ));
        }
        let snapshots: Vec<String> = image.snapshot_ids().map(str::to_string).collect();
        let name = image.name.clone();
        let image = region
            .images
            .get_mut(&input.image_id)
            .expect("checked above");
        image.state = ImageState::Deregistered;
        image.launch_permissions = LaunchPermissions::default();
        region.image_names.remove(&(name, caller.account.clone()));

        let results = if input.delete_associated_snapshots == Some(true) {
            let mut results = Vec::new();
            for snap_id in snapshots {
                let used_elsewhere = region
                    .images
                    .values()
                    .any(|i| i.is_registered() && i.snapshot_ids().any(|s| s == snap_id));
                let owned = region
                    .snapshots
                    .get(&snap_id)
                    .is_some_and(|s| s.owner_id == caller.account);
                let code = if used_elsewhere {
                    "skipped"
                } else if !owned {
                    "missing-permissions"
                } else {
                    region.snapshots.remove(&snap_id);
                    "success"
                };
                results.push(DeleteSnapshotResult {
                    snapshot_id: snap_id,
                    return_code: code.into(),
                });
            }
            Some(results)
        } else {
            None
        };
        Ok(DeregisterImageOutput {
            return_: true,
            delete_snapshot_results: results,
        })
    }

    /// EC2 `DescribeImageAttribute`: one attribute of one of the caller's images.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image or for the deprecated `blockDeviceMapping`; `InvalidParameterValue` for an
    /// unknown attribute.
    pub fn describe_image_attribute(
        &mut self,
        caller: &Caller,
        input: DescribeImageAttributeInput,
    ) -> AwsResult<ImageAttributeOutput> {
        let image = self.owned_image_mut(caller, &input.image_id)?.clone();
        let mut out = ImageAttributeOutput {
            image_id: image.id.clone(),
            ..Default::default()
        };
        let value = |v: Option<String>| Some(AttributeValue { value: v });
        match input.attribute.as_str() {
            "description" => out.description = value(image.description.clone()),
            "kernel" => out.kernel_id = value(image.profile.kernel_id.clone()),
            "ramdisk" => out.ramdisk_id = value(None),
            "launchPermission" => out.launch_permissions = Some(launch_permission_list(&image.launch_permissions)),
            "productCodes" => out.product_codes = Some(product_code_shapes(&image.profile.product_codes).unwrap_or_default()),
            "sriovNetSupport" => out.sriov_net_support = value(image.profile.sriov_net_support.clone()),
            "bootMode" => out.boot_mode = value(image.profile.boot_mode.clone()),
            "imdsSupport" => out.imds_support = value(None),
            "blockDeviceMapping" => {
                return Err(AwsError::new(
                    "AuthFailure",
                    "Unauthorized attempt to access restricted resource: the blockDeviceMapping attribute is deprecated; read block_device_mappings from describe_images.",
                ))
            }
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Valid attributes: description, kernel, ramdisk, launchPermission, productCodes, blockDeviceMapping, sriovNetSupport, bootMode, imdsSupport"
                )))
            }
        }
        Ok(out)
    }

    /// EC2 `ModifyImageAttribute`: adds and removes launch permissions, or sets the description.
    /// Every item is validated before any is applied. Answers `{}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` while the image is pending;
    /// `InvalidParameterValue` for an unknown attribute or operation type, or for making public an
    /// image with a product code; `UnsupportedOperation` for making an encrypted image public
    /// (EC2-BEHAVIOUR.md); `MissingParameter` when nothing to change is
    /// given; `InvalidAMIAttributeItemValue` for a group other than `all` or a user id that is not
    /// 12 digits; `OperationNotPermitted` for new public sharing while the account's block public
    /// access for AMIs is on.
    pub fn modify_image_attribute(
        &mut self,
        caller: &Caller,
        input: ModifyImageAttributeInput,
    ) -> AwsResult<Empty> {
        let blocked = self
            .image_public_access_blocked
            .contains(&(caller.account.clone(), caller.region.clone()));
        let image = self.owned_image_mut(caller, &input.image_id)?;
        if image.state == ImageState::Pending {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!("AMI '{}' is pending, and cannot be modified", image.id),
            ));
        }
        match input.attribute.as_deref() {
            Some("launchPermission") => {}
            Some("description") => {
                let text = input.value.clone().or(input.description.as_ref().and_then(|d| d.value.clone()));
                image.description = text;
                return Ok(Empty {});
            }
            Some(other) => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Modifiable attributes: launchPermission, description"
                )))
            }
            None => {
                if let Some(d) = &input.description {
                    image.description = d.value.clone();
                    if input.launch_permission.is_none() {
                        return Ok(Empty {});
                    }
                }
                if input.launch_permission.is_none() {
                    return Err(AwsError::missing_parameter(
                        "The request must contain the parameter attribute, launch_permission or description.",
                    ));
                }
            }
        }
        let changes = input.launch_permission_changes()?;
        // Validate everything before applying anything.
        for item in changes.add.iter().chain(changes.remove.iter()) {
            if let Some(g) = &item.group {
                if g != "all" {
                    return Err(AwsError::new(
                        "InvalidAMIAttributeItemValue",
                        format!("Invalid attribute item value \"{g}\" for UserGroup item type."),
                    ));
                }
            }
            if let Some(u) = &item.user_id {
                if !is_account_id(u) {
                    return Err(AwsError::new(
                        "InvalidAMIAttributeItemValue",
                        format!("Invalid attribute item value \"{u}\" for userId item type."),
                    ));
                }
            }
        }
        let makes_public = changes
            .add
            .iter()
            .any(|i| i.group.as_deref() == Some("all"));
        if makes_public && !image.is_public() {
            if !image.profile.product_codes.is_empty() {
                return Err(AwsError::new(
                    "InvalidParameterValue",
                    format!(
                        "AMI '{}' has a product code and cannot be made public.",
                        image.id
                    ),
                ));
            }
            if image.is_encrypted() {
                // EC2-BEHAVIOUR.md, launch permissions; the message is EC2's own.
                return Err(AwsError::new(
                    "UnsupportedOperation",
                    "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
                ));
            }
            if blocked {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    "Block public access for AMIs is enabled for this account in this Region: new public sharing is refused. Disable it with disable_image_block_public_access first.",
                ));
            }
        }
        let perms = &mut image.launch_permissions;
        for item in &changes.add {
            if item.group.is_some() {
                perms.public = true;
            }
            if let Some(u) = &item.user_id {
                perms.user_ids.insert(u.clone());
            }
            if let Some(a) = &item.organization_arn {
                perms.organization_arns.insert(a.clone());
            }
            if let Some(a) = &item.organizational_unit_arn {
                perms.organizational_unit_arns.insert(a.clone());
            }
        }
        for item in &changes.remove {
            if item.group.is_some() {
                perms.public = false;
            }
            if let Some(u) = &item.user_id {
                perms.user_ids.remove(u);
            }
            if let Some(a) = &item.organization_arn {
                perms.organization_arns.remove(a);
            }
            if let Some(a) = &item.organizational_unit_arn {
                perms.organizational_unit_arns.remove(a);
            }
        }
        Ok(Empty {})
    }

    /// EC2 `ResetImageAttribute`: removes every launch permission (the image becomes private).
    /// Answers `{}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidParameterValue` for an attribute other than `launchPermission`.
    pub fn reset_image_attribute(
        &mut self,
        caller: &Caller,
        input: ResetImageAttributeInput,
    ) -> AwsResult<Empty> {
        let image = self.owned_image_mut(caller, &input.image_id)?;
        if input.attribute != "launchPermission" {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({}) for parameter attribute is invalid. Only launchPermission can be reset.",
                input.attribute
            )));
        }
        image.launch_permissions = LaunchPermissions::default();
        Ok(Empty {})
    }

    /// A pending image becomes available (its snapshots complete at the same moment).
    pub(crate) fn finish_image(&mut self, region: &str, image_id: &str) {
        if let Some(image) = self
            .region_mut_opt(region)
            .and_then(|r| r.images.get_mut(image_id))
        {
            if image.state == ImageState::Pending {
                image.state = ImageState::Available;
            }
        }
    }
}

/// The images worth filtering: the named ids, or those whose name starts with the literal
/// prefix of every `name` filter pattern (found through the name index), or else all of them.
/// Every filter still applies to the candidates; this only avoids visiting images that cannot
/// match.
fn candidates<'r>(
    region: &'r super::RegionState,
    image_ids: &[String],
    filters: &[Filter],
) -> Vec<&'r Image> {
    if !image_ids.is_empty() {
        let ids: BTreeSet<&str> = image_ids.iter().map(String::as_str).collect();
        return ids
            .into_iter()
            .filter_map(|id| region.images.get(id))
            .collect();
    }
    let prefixes: Option<Vec<&str>> = filters
        .iter()
        .find(|f| f.name.as_deref() == Some("name"))
        .and_then(|f| f.values.as_deref())
        .map(|patterns| {
            patterns
                .iter()
                .map(|p| &p[..p.find(['*', '?']).unwrap_or(p.len())])
                .collect()
        });
    match prefixes {
        Some(prefixes) if prefixes.iter().all(|p| !p.is_empty()) => {
            let mut ids = BTreeSet::new();
            for prefix in prefixes {
                let start = (prefix.to_string(), String::new());
                ids.extend(
                    region
                        .image_names
                        .range(start..)
                        .take_while(|((name, _), _)| name.starts_with(prefix))
                        .map(|(_, id)| id.as_str()),
                );
            }
            ids.into_iter()
                .filter_map(|id| region.images.get(id))
                .collect()
        }
        _ => region.images.values().collect(),
    }
}

fn launch_permission_list(p: &LaunchPermissions) -> Vec<LaunchPermission> {
    let mut out: Vec<LaunchPermission> = p
        .user_ids
        .iter()
        .map(|u| LaunchPermission {
            user_id: Some(u.clone()),
            ..Default::default()
        })
        .collect();
    if p.public {
        out.push(LaunchPermission {
            group: Some("all".into()),
            ..Default::default()
        });
    }
    out.extend(p.organization_arns.iter().map(|a| LaunchPermission {
        organization_arn: Some(a.clone()),
        ..Default::default()
    }));
    out.extend(p.organizational_unit_arns.iter().map(|a| LaunchPermission {
        organizational_unit_arn: Some(a.clone()),
        ..Default::default()
    }));
    out
}

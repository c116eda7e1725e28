//! EC2: one module per resource family, all sharing a region's state.

pub mod account;
pub mod ebs_defaults;
pub mod filters;
pub mod images;
pub mod instances;
pub mod launch_templates;
pub mod marketplace;
pub mod network;
pub mod regions;
pub mod snapshot_permissions;
pub mod tags;
pub mod volumes;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::catalog::{RegionInfo, PUBLIC_IMAGES, REGIONS};
use super::error::{AwsError, AwsResult};
use super::guest::Guest;
use super::ids::stable_id;

pub use images::Image;
pub use instances::Instance;
pub use launch_templates::LaunchTemplate;
pub use network::{KeyPair, SecurityGroup, Subnet, Vpc};
pub use tags::Tags;
pub use volumes::{Snapshot, Volume};

/// Everything that lives in one region.
///
/// The maps are private to the crate: only the operations change them, so the indexes kept
/// beside them (`image_names`, `accounts_ready`) never fall out of step. Outside code reads
/// through the accessors below.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RegionState {
    #[serde(with = "crate::world::statics::region_info")]
    pub(crate) info: &'static RegionInfo,
    pub(crate) images: BTreeMap<String, Image>,
    /// (name, owner) → image id: names are unique per account per region, and DescribeImages
    /// finds name prefixes through it.
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    pub(crate) image_names: BTreeMap<(String, String), String>,
    pub(crate) instances: BTreeMap<String, Instance>,
    pub(crate) volumes: BTreeMap<String, Volume>,
    pub(crate) snapshots: BTreeMap<String, Snapshot>,
    /// (account, key name) → key pair.
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    pub(crate) key_pairs: BTreeMap<(String, String), KeyPair>,
    pub(crate) security_groups: BTreeMap<String, SecurityGroup>,
    pub(crate) vpcs: BTreeMap<String, Vpc>,
    pub(crate) subnets: BTreeMap<String, Subnet>,
    /// Launch templates by id (`lt-…`), of every account; names are unique per account.
    pub(crate) launch_templates: BTreeMap<String, LaunchTemplate>,
    accounts_ready: BTreeSet<String>,
}

impl RegionState {
    /// A fresh region holding only the public catalogue, shared by every world of the process:
    /// worlds copy a region only when they change it, so starting one costs almost nothing.
    pub(crate) fn pristine(info: &'static RegionInfo) -> Arc<RegionState> {
        // One cell per region, each built on first use: a world enables a few of the
        // catalogue's regions, and building every region's public images was 8 % of a whole
        // `amilab check` (BENCHMARKS.md, "Speed per submission").
        static PRISTINE: OnceLock<Vec<OnceLock<Arc<RegionState>>>> = OnceLock::new();
        let cells = PRISTINE.get_or_init(|| REGIONS.iter().map(|_| OnceLock::new()).collect());
        let index = REGIONS
            .iter()
            .position(|r| r.name == info.name)
            .unwrap_or(0);
        cells[index]
            .get_or_init(|| Arc::new(RegionState::with_public_catalogue(&REGIONS[index])))
            .clone()
    }

    /// A region holding the public catalogue, each image under its region-specific id and
    /// creation numbers 1..=N (what a world creates is numbered after them).
    fn with_public_catalogue(info: &'static RegionInfo) -> Self {
        let mut state = RegionState {
            info,
            images: BTreeMap::new(),
            image_names: BTreeMap::new(),
            instances: BTreeMap::new(),
            volumes: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            key_pairs: BTreeMap::new(),
            security_groups: BTreeMap::new(),
            vpcs: BTreeMap::new(),
            subnets: BTreeMap::new(),
            launch_templates: BTreeMap::new(),
            accounts_ready: BTreeSet::new(),
        };
        for (index, public) in PUBLIC_IMAGES.iter().enumerate() {
            let seq = index as u64 + 1;
            let image =
                Image::from_catalogue(public, info.name, seq, images::ImageGuest::Catalogue(index));
            state.insert_image(image);
        }
        state
    }

    /// The region's catalogue entry (name, zones, …).
    pub fn info(&self) -> &'static RegionInfo {
        self.info
    }

    /// The region's name (`us-east-1`).
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// Every image held here, of every account and in every state (deregistered ones stay), in
    /// image-id order.
    pub fn images(&self) -> impl DoubleEndedIterator<Item = &Image> + ExactSizeIterator + Clone {
        self.images.values()
    }

    /// The image with this id (`ami-…`), whatever its owner or state.
    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.get(id)
    }

    /// Every instance held here, in instance-id order; a terminated instance stays listed until
    /// it is forgotten, as in EC2 ([`crate::clock::durations::TERMINATED_VISIBLE`]).
    pub fn instances(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Instance> + ExactSizeIterator + Clone {
        self.instances.values()
    }

    /// The instance with this id (`i-…`).
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.get(id)
    }

    /// Every EBS volume held here, in volume-id order.
    pub fn volumes(&self) -> impl DoubleEndedIterator<Item = &Volume> + ExactSizeIterator + Clone {
        self.volumes.values()
    }

    /// The volume with this id (`vol-…`).
    pub fn volume(&self, id: &str) -> Option<&Volume> {
        self.volumes.get(id)
    }

    /// Every snapshot held here, in snapshot-id order.
    pub fn snapshots(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Snapshot> + ExactSizeIterator + Clone {
        self.snapshots.values()
    }

    /// The snapshot with this id (`snap-…`).
    pub fn snapshot(&self, id: &str) -> Option<&Snapshot> {
        self.snapshots.get(id)
    }

    /// Every key pair held here, ordered by (owning account, key name): key names are unique
    /// per account, not per region.
    pub fn key_pairs(
        &self,
    ) -> impl DoubleEndedIterator<Item = &KeyPair> + ExactSizeIterator + Clone {
        self.key_pairs.values()
    }

    /// The key pair `name` of `account`.
    pub fn key_pair(&self, account: &str, name: &str) -> Option<&KeyPair> {
        self.key_pairs.get(&(account.to_string(), name.to_string()))
    }

    /// Every security group held here (default groups included), in group-id order.
    pub fn security_groups(
        &self,
    ) -> impl DoubleEndedIterator<Item = &SecurityGroup> + ExactSizeIterator + Clone {
        self.security_groups.values()
    }

    /// The security group with this id (`sg-…`).
    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.get(id)
    }

    /// Every VPC held here (the default VPCs of the accounts that worked here), in VPC-id order.
    pub fn vpcs(&self) -> impl DoubleEndedIterator<Item = &Vpc> + ExactSizeIterator + Clone {
        self.vpcs.values()
    }

    /// The VPC with this id (`vpc-…`).
    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.get(id)
    }

    /// Every subnet held here, in subnet-id order.
    pub fn subnets(&self) -> impl DoubleEndedIterator<Item = &Subnet> + ExactSizeIterator + Clone {
        self.subnets.values()
    }

    /// The subnet with this id (`subnet-…`).
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.get(id)
    }

    /// Every launch template held here, of every account, in template-id order.
    pub fn launch_templates(
        &self,
    ) -> impl DoubleEndedIterator<Item = &LaunchTemplate> + ExactSizeIterator + Clone {
        self.launch_templates.values()
    }

    /// The launch template with this id (`lt-…`).
    pub fn launch_template(&self, id: &str) -> Option<&LaunchTemplate> {
        self.launch_templates.get(id)
    }

    /// Adds an image and its (name, owner) entry together: the one way images enter a region,
    /// so that name lookups and the duplicate-name rule always see every image.
    pub(crate) fn insert_image(&mut self, image: Image) {
        self.image_names.insert(
            (image.name.clone(), image.owner_id.clone()),
            image.id.clone(),
        );
        self.images.insert(image.id.clone(), image);
    }

    /// The account's default VPC with one default subnet per zone and a `default` security
    /// group, created the first time the account works in this region. Their ids derive from
    /// the account and region, so they do not disturb the seeded ids of everything else.
    pub(crate) fn has_default_network(&self, account: &str) -> bool {
        self.accounts_ready.contains(account)
    }

    pub(crate) fn ensure_default_network(&mut self, account: &str) {
        if self.accounts_ready.contains(account) {
            return;
        }
        self.accounts_ready.insert(account.to_string());
        let region = self.info.name;
        let vpc_id = stable_id("vpc", &format!("{account}/{region}"));
        self.vpcs.insert(
            vpc_id.clone(),
            Vpc {
                id: vpc_id.clone(),
                owner_id: account.to_string(),
                cidr_block: "172.31.0.0/16".into(),
                is_default: true,
                tags: Tags::default(),
            },
        );
        for (index, (suffix, zone_id)) in self.info.zones.iter().enumerate() {
            let zone = format!("{region}{suffix}");
            let subnet_id = stable_id("subnet", &format!("{account}/{zone}"));
            self.subnets.insert(
                subnet_id.clone(),
                Subnet {
                    id: subnet_id,
                    vpc_id: vpc_id.clone(),
                    owner_id: account.to_string(),
                    availability_zone: zone,
                    availability_zone_id: zone_id.to_string(),
                    cidr_block: format!("172.31.{}.0/20", index * 16),
                    default_for_az: true,
                    index: index as u32,
                    tags: Tags::default(),
                },
            );
        }
        let sg_id = stable_id("sg", &format!("{account}/{region}/default"));
        self.security_groups.insert(
            sg_id.clone(),
            SecurityGroup::default_group(sg_id, vpc_id, account),
        );
    }

    /// Forgets the empty tag views `account` holds on the images among `ids` (see
    /// `Image::forget_empty_view`).
    pub(crate) fn forget_empty_views(&mut self, ids: &[String], account: &str) {
        for id in ids {
            if let Some(image) = self.images.get_mut(id) {
                image.forget_empty_view(account);
            }
        }
    }

    /// The tags of any taggable resource in this region, by id.
    pub(crate) fn tags_of_mut(&mut self, id: &str, account: &str) -> Option<&mut Tags> {
        let prefix = id.split('-').next().unwrap_or_default();
        match prefix {
            // An account the image is shared with tags its own view of it.
            "ami" => self
                .images
                .get_mut(id)
                .filter(|i| i.is_registered() && i.launchable_by(account))
                .map(|i| i.tags_of_mut(account)),
            "i" => self
                .instances
                .get_mut(id)
                .filter(|i| i.owner_id == account)
                .map(|i| &mut i.tags),
            "vol" => self
                .volumes
                .get_mut(id)
                .filter(|v| v.owner_id == account)
                .map(|v| &mut v.tags),
            "snap" => self
                .snapshots
                .get_mut(id)
                .filter(|s| s.owner_id == account)
                .map(|s| &mut s.tags),
            "sg" => self
                .security_groups
                .get_mut(id)
                .filter(|g| g.owner_id == account)
                .map(|g| &mut g.tags),
            "vpc" => self
                .vpcs
                .get_mut(id)
                .filter(|v| v.owner_id == account)
                .map(|v| &mut v.tags),
            "subnet" => self
                .subnets
                .get_mut(id)
                .filter(|s| s.owner_id == account)
                .map(|s| &mut s.tags),
            "lt" => self
                .launch_templates
                .get_mut(id)
                .filter(|t| t.owner_id == account)
                .map(|t| &mut t.tags),
            "key" => self
                .key_pairs
                .values_mut()
                .find(|k| k.id == id && k.owner_id == account)
                .map(|k| &mut k.tags),
            _ => None,
        }
    }

    /// Every tagged resource an account owns here: (resource id, resource type, tags).
    pub(crate) fn tagged_resources(&self, account: &str) -> Vec<(&str, &'static str, &Tags)> {
        let mut out: Vec<(&str, &'static str, &Tags)> = Vec::new();
        out.extend(
            self.images
                .values()
                .filter(|i| i.is_registered() && i.launchable_by(account))
                .map(|i| (i.id.as_str(), "image", i.tags_seen_by(account)))
                .filter(|(_, _, tags)| !tags.is_empty()),
        );
        out.extend(
            self.instances
                .values()
                .filter(|i| i.owner_id == account)
                .map(|i| (i.id.as_str(), "instance", &i.tags)),
        );
        out.extend(
            self.volumes
                .values()
                .filter(|v| v.owner_id == account)
                .map(|v| (v.id.as_str(), "volume", &v.tags)),
        );
        out.extend(
            self.snapshots
                .values()
                .filter(|s| s.owner_id == account)
                .map(|s| (s.id.as_str(), "snapshot", &s.tags)),
        );
        out.extend(
            self.security_groups
                .values()
                .filter(|g| g.owner_id == account)
                .map(|g| (g.id.as_str(), "security-group", &g.tags)),
        );
        out.extend(
            self.key_pairs
                .values()
                .filter(|k| k.owner_id == account)
                .map(|k| (k.id.as_str(), "key-pair", &k.tags)),
        );
        out.extend(
            self.launch_templates
                .values()
                .filter(|t| t.owner_id == account)
                .map(|t| (t.id.as_str(), "launch-template", &t.tags)),
        );
        out.extend(
            self.vpcs
                .values()
                .filter(|v| v.owner_id == account)
                .map(|v| (v.id.as_str(), "vpc", &v.tags)),
        );
        out.extend(
            self.subnets
                .values()
                .filter(|s| s.owner_id == account)
                .map(|s| (s.id.as_str(), "subnet", &s.tags)),
        );
        out.retain(|(_, _, t)| !t.is_empty());
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }
}

/// The guest of catalogue image `index`: a base system plus what its vendor installed, built
/// once per process on first use and shared by every region and world (guests are
/// copy-on-write).
pub(crate) fn catalogue_guest(index: usize) -> Arc<Guest> {
    const COUNT: usize = PUBLIC_IMAGES.len();
    static GUESTS: [OnceLock<Arc<Guest>>; COUNT] = [const { OnceLock::new() }; COUNT];
    let index = index.min(COUNT - 1);
    GUESTS[index]
        .get_or_init(|| {
            let public = &PUBLIC_IMAGES[index];
            let mut guest = Guest::new(public.os);
            if !public.preinstalled.is_empty() {
                let lines: Vec<String> =
                    public.preinstalled.iter().map(|s| s.to_string()).collect();
                guest.run_script(&lines);
                guest.sync();
            }
            Arc::new(guest)
        })
        .clone()
}

/// A block device mapping in a request (`create_image`, `run_instances`, `register_image`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockDeviceMappingRequest {
    /// The device name (`/dev/xvda`, `/dev/sdf`).
    pub device_name: Option<String>,
    /// An instance-store volume's virtual name (`ephemeral0`, …).
    pub virtual_name: Option<String>,
    /// The EBS volume to create for the device.
    pub ebs: Option<EbsRequest>,
    /// `NoDevice` (an empty string): leave this device out of the mapping.
    pub no_device: Option<String>,
}

/// The `ebs` part of a requested block device mapping (EC2's `EbsBlockDevice`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EbsRequest {
    /// Whether the volume is deleted when the instance terminates.
    pub delete_on_termination: Option<bool>,
    /// Provisioned IOPS (io1, io2, gp3).
    pub iops: Option<i64>,
    /// The snapshot to create the volume from (`snap-…`).
    pub snapshot_id: Option<String>,
    /// The volume's size in GiB, 1 to 16,384; at least the snapshot's size.
    pub volume_size: Option<i64>,
    /// The EBS volume type: `gp2`, `gp3`, `io1`, `io2`, `st1`, `sc1` or `standard`.
    pub volume_type: Option<String>,
    /// The KMS key that encrypts the volume.
    pub kms_key_id: Option<String>,
    /// Whether the volume is encrypted.
    pub encrypted: Option<bool>,
}

/// A block device mapping as DescribeImages shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockDeviceMappingShape {
    /// The EBS volume the device gets; absent for an instance-store device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ebs: Option<EbsShape>,
    /// The device name (`/dev/xvda`).
    pub device_name: String,
    /// An instance-store volume's virtual name (`ephemeral0`); absent for EBS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_name: Option<String>,
}

/// The `ebs` part of an image's block device mapping as DescribeImages shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EbsShape {
    /// Whether instances launched from the image delete the volume when they terminate.
    pub delete_on_termination: bool,
    /// The snapshot the volume is created from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// The volume's size in GiB.
    pub volume_size: u32,
    /// The EBS volume type (`gp3`).
    pub volume_type: String,
    /// The ARN of the KMS key that encrypts it; absent when unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Whether the snapshot, and so the volume, is encrypted.
    pub encrypted: bool,
}

/// Refuses `requested` more items when the account would then own more than `quota` of them in
/// the region. With fewer items in the region than the quota allows, no account can be at its
/// limit, so the owner count (a full scan) is skipped.
pub(crate) fn check_quota<'a, T: 'a>(
    items: impl ExactSizeIterator<Item = &'a T>,
    requested: usize,
    quota: usize,
    owned: impl Fn(&T) -> bool,
    exceeded: impl FnOnce() -> AwsError,
) -> AwsResult<()> {
    if items.len().saturating_add(requested) <= quota {
        return Ok(());
    }
    if items.filter(|i| owned(i)).count().saturating_add(requested) > quota {
        return Err(exceeded());
    }
    Ok(())
}

/// EC2's refusal to make encrypted snapshots public, directly or through an image built on
/// them: `UnsupportedOperation`, EC2's own message (EC2-BEHAVIOUR.md, Launch permissions).
pub(crate) fn encrypted_public_refused() -> AwsError {
    AwsError::new(
        "UnsupportedOperation",
        "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
    )
}

/// EC2's refusal to share snapshots encrypted with the AWS-managed key `aws/ebs` with any
/// account, directly or through an image built on them: `InvalidParameter`, EC2's own message
/// (EC2-BEHAVIOUR.md, Launch permissions).
pub(crate) fn aws_managed_share_refused() -> AwsError {
    AwsError::new(
        "InvalidParameter",
        "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.",
    )
}

/// EC2's refusal of a volume smaller than the snapshot it is made from (sizes in GiB).
pub(crate) fn smaller_than_snapshot(size: u32, snapshot_id: &str, snapshot_size: u32) -> AwsError {
    AwsError::new(
        "InvalidBlockDeviceMapping",
        format!(
            "Volume of size {size}GB is smaller than snapshot '{snapshot_id}', expect size >= {snapshot_size}GB"
        ),
    )
}

/// A volume size from a request: 1 to 16,384 GiB.
pub(crate) fn volume_size(size: i64) -> AwsResult<u32> {
    match u32::try_from(size) {
        Ok(gib @ 1..=16384) => Ok(gib),
        _ => Err(AwsError::invalid_parameter_value(format!(
            "Volume size {size} is out of range: expected 1 to 16384 GiB."
        ))),
    }
}

/// Volume types EBS knows.
pub(crate) const VOLUME_TYPES: &[&str] = &["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"];

pub(crate) fn check_volume_type(volume_type: &str) -> AwsResult<()> {
    if VOLUME_TYPES.contains(&volume_type) {
        Ok(())
    } else {
        Err(AwsError::invalid_parameter_value(format!(
            "Value ({volume_type}) for parameter volumeType is invalid. Valid volume types: {}",
            VOLUME_TYPES.join(", ")
        )))
    }
}

/// `{code, name}` as EC2 reports an instance's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateShape {
    /// The state's code: pending 0, running 16, shutting-down 32, terminated 48, stopping 64,
    /// stopped 80 (EC2-BEHAVIOUR.md, General).
    pub code: i64,
    /// The state's name (`running`).
    pub name: String,
}

/// `{code, message}` as EC2 reports why a state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateReasonShape {
    /// The reason's code (`Client.UserInitiatedShutdown`).
    pub code: String,
    /// The reason's message.
    pub message: String,
}

/// An empty response (`{}`), for operations boto3 answers with only metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

/// `{return: true}`, as several EC2 mutations answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnTrue {
    /// Always `true`; serialised as `return`.
    #[serde(rename = "return")]
    pub return_: bool,
}

impl ReturnTrue {
    /// `{return: true}`.
    pub(crate) fn yes() -> Self {
        ReturnTrue { return_: true }
    }
}

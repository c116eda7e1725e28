//! EBS volumes and snapshots: create, describe, attach, detach, delete, copy.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use super::check_volume_type;
use super::filters::{self, bool_str, Filterable, Matcher, Sink};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use crate::clock::{durations, iso8601};
use crate::error::{AwsError, AwsResult};
use crate::guest::Guest;
use crate::lifecycle::Event;
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{is_account_id, Caller, Cloud};

/// An EBS volume's `State`. EC2 also knows `deleting`, `deleted` and `error`, which the simulation
/// never shows (a deleted volume is gone at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VolumeState {
    /// `creating`: being created; `available` [`durations::CREATE_VOLUME`] seconds later.
    Creating,
    /// `available`: not attached; can be attached or deleted.
    Available,
    /// `in-use`: attached to an instance.
    InUse,
}

impl VolumeState {
    /// EC2's name for the state (`in-use`).
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeState::Creating => "creating",
            VolumeState::Available => "available",
            VolumeState::InUse => "in-use",
        }
    }
}

/// A volume's attachment to an instance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    /// The instance it is attached to.
    pub instance_id: String,
    /// The device name on that instance (`/dev/sdf`).
    pub device: String,
    /// When it was attached, in seconds since the Unix epoch.
    pub attach_time: u64,
    /// Whether it is deleted when the instance terminates.
    pub delete_on_termination: bool,
}

/// An EBS volume as the simulation holds it: what graders read. Scripts see it through
/// DescribeVolumes, as a [`VolumeShape`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Volume {
    /// The volume id (`vol-` and 17 hex digits).
    pub id: String,
    /// Creation number in the world: describe calls list resources in this order.
    pub seq: u64,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Size in GiB.
    pub size: u32,
    /// The snapshot it was created from, if any.
    pub snapshot_id: Option<String>,
    /// Its availability zone: it attaches only to instances in the same zone.
    pub availability_zone: String,
    /// Its state.
    pub state: VolumeState,
    /// When it was created, in seconds since the Unix epoch.
    pub create_time: u64,
    /// Its EBS volume type (`gp2`, `gp3`, `io1`, `io2`, `st1`, `sc1`, `standard`).
    pub volume_type: String,
    /// Provisioned IOPS, when requested.
    pub iops: Option<i64>,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The ARN of the KMS key that encrypts it.
    pub kms_key_id: Option<String>,
    /// Its tags.
    pub tags: Tags,
    /// Where it is attached, if it is.
    pub attachment: Option<Attachment>,
}

/// An EBS snapshot's `State`. EC2 also knows `recoverable` and `recovering`, which the
/// simulation never shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SnapshotState {
    /// `pending`: being taken or copied.
    Pending,
    /// `completed`: usable (an image's snapshots complete when the image becomes available).
    Completed,
    /// `error`: the copy failed (here: EBS could not use its KMS key); it can only be deleted.
    Error,
}

impl SnapshotState {
    /// EC2's name for the state (`completed`).
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Pending => "pending",
            SnapshotState::Completed => "completed",
            SnapshotState::Error => "error",
        }
    }
}

/// An EBS snapshot as the simulation holds it: what graders read. Scripts see it through
/// DescribeSnapshots, as a [`SnapshotShape`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// The snapshot id (`snap-` and 17 hex digits).
    pub id: String,
    /// Creation number in the world: describe calls list resources in this order.
    pub seq: u64,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// The volume it was taken from; `vol-ffffffff` for a copy, as in EC2.
    pub volume_id: String,
    /// The size of that volume, in GiB.
    pub volume_size: u32,
    /// Its state.
    pub state: SnapshotState,
    /// When it was started, in seconds since the Unix epoch.
    pub start_time: u64,
    /// Its description (CreateImage and CopyImage write one).
    pub description: Option<String>,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The ARN of the KMS key that encrypts it.
    pub kms_key_id: Option<String>,
    /// Its tags.
    pub tags: Tags,
    /// The file system of a root volume, so that an image registered from this snapshot boots
    /// into the same system.
    pub content: Option<Arc<Guest>>,
    /// Who besides the owner may create volumes from it (ModifySnapshotAttribute).
    pub create_volume_permissions: CreateVolumePermissions,
    /// The snapshot its data came from: the one its volume was created from (CreateSnapshot,
    /// CreateImage), or the one it copies (CopySnapshot, CopyImage). Graders follow it to find
    /// every copy of an image's disk; EC2 keeps no such link in its answers.
    pub source_snapshot_id: Option<String>,
}

/// Who besides the owner may create volumes from a snapshot (and so copy it, or copy an image
/// built on it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreateVolumePermissions {
    /// Anyone (`{group: "all"}`).
    pub public: bool,
    /// These accounts.
    pub user_ids: BTreeSet<String>,
}

impl Snapshot {
    /// May `account` create volumes from this snapshot (and copy it)? Its owner always may
    /// (ModifySnapshotAttribute shares it: `crate::ec2::snapshot_permissions`).
    pub(crate) fn restorable_by(&self, account: &str) -> bool {
        self.owner_id == account
            || self.create_volume_permissions.public
            || self.create_volume_permissions.user_ids.contains(account)
    }
}

impl Volume {
    /// The volume as DescribeVolumes shows it.
    pub(crate) fn describe(&self) -> VolumeShape {
        VolumeShape {
            volume_id: self.id.clone(),
            size: self.size,
            snapshot_id: self.snapshot_id.clone().unwrap_or_default(),
            availability_zone: self.availability_zone.clone(),
            state: self.state.as_str().to_string(),
            create_time: iso8601(self.create_time),
            attachments: self
                .attachment
                .iter()
                .map(|a| AttachmentShape {
                    attach_time: iso8601(a.attach_time),
                    device: a.device.clone(),
                    instance_id: a.instance_id.clone(),
                    state: "attached".into(),
                    volume_id: self.id.clone(),
                    delete_on_termination: a.delete_on_termination,
                })
                .collect(),
            volume_type: self.volume_type.clone(),
            iops: self.iops,
            encrypted: self.encrypted,
            kms_key_id: self.kms_key_id.clone(),
            tags: self.tags.to_list(),
        }
    }
}

impl Snapshot {
    /// The snapshot as DescribeSnapshots shows it.
    pub(crate) fn describe(&self) -> SnapshotShape {
        SnapshotShape {
            snapshot_id: self.id.clone(),
            volume_id: self.volume_id.clone(),
            state: self.state.as_str().to_string(),
            start_time: iso8601(self.start_time),
            progress: match self.state {
                SnapshotState::Pending | SnapshotState::Error => "0%".into(),
                SnapshotState::Completed => "100%".into(),
            },
            owner_id: self.owner_id.clone(),
            description: self.description.clone().unwrap_or_default(),
            volume_size: self.volume_size,
            encrypted: self.encrypted,
            kms_key_id: self.kms_key_id.clone(),
            storage_tier: "standard".into(),
            tags: self.tags.to_list(),
        }
    }
}

impl Filterable for Volume {
    const FILTER_NAMES: &'static [&'static str] = &[
        "attachment.device",
        "attachment.instance-id",
        "attachment.delete-on-termination",
        "availability-zone",
        "create-time",
        "encrypted",
        "size",
        "snapshot-id",
        "status",
        "volume-id",
        "volume-type",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        let a = self.attachment.as_ref();
        match name {
            "attachment.device" => out.extend(a.map(|a| Cow::from(a.device.as_str()))),
            "attachment.instance-id" => out.extend(a.map(|a| Cow::from(a.instance_id.as_str()))),
            "attachment.delete-on-termination" => {
                out.extend(a.map(|a| bool_str(a.delete_on_termination)))
            }
            "availability-zone" => out.push(self.availability_zone.as_str()),
            "create-time" => out.push(iso8601(self.create_time)),
            "encrypted" => out.push(bool_str(self.encrypted)),
            "size" => out.push(self.size.to_string()),
            "snapshot-id" => out.extend(self.snapshot_id.as_deref().map(Cow::from)),
            "status" => out.push(self.state.as_str()),
            "volume-id" => out.push(self.id.as_str()),
            "volume-type" => out.push(self.volume_type.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

impl Filterable for Snapshot {
    const FILTER_NAMES: &'static [&'static str] = &[
        "description",
        "encrypted",
        "owner-alias",
        "owner-id",
        "progress",
        "snapshot-id",
        "start-time",
        "status",
        "volume-id",
        "volume-size",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "description" => out.extend(self.description.as_deref().map(Cow::from)),
            "encrypted" => out.push(bool_str(self.encrypted)),
            "owner-id" => out.push(self.owner_id.as_str()),
            "progress" => out.push(match self.state {
                SnapshotState::Pending | SnapshotState::Error => "0%",
                SnapshotState::Completed => "100%",
            }),
            "snapshot-id" => out.push(self.id.as_str()),
            "start-time" => out.push(iso8601(self.start_time)),
            "status" => out.push(self.state.as_str()),
            "volume-id" => out.push(self.volume_id.as_str()),
            "volume-size" => out.push(self.volume_size.to_string()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes

/// A `VolumeAttachment` as DescribeVolumes lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttachmentShape {
    /// Whether the volume is deleted when the instance terminates.
    pub delete_on_termination: bool,
    /// The volume.
    pub volume_id: String,
    /// The instance.
    pub instance_id: String,
    /// The device name (`/dev/sdf`).
    pub device: String,
    /// Always `attached`.
    pub state: String,
    /// When it was attached, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub attach_time: String,
}

/// A volume as DescribeVolumes and CreateVolume return it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeShape {
    /// Provisioned IOPS; absent when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops: Option<i64>,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Its EBS volume type.
    pub volume_type: String,
    /// The volume id (`vol-…`).
    pub volume_id: String,
    /// Size in GiB.
    pub size: u32,
    /// The snapshot it was created from, or empty.
    pub snapshot_id: String,
    /// Its availability zone.
    pub availability_zone: String,
    /// `creating`, `available` or `in-use`.
    pub state: String,
    /// When it was created, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub create_time: String,
    /// Its attachment, if any (EC2 lists at most one for a non-Multi-Attach volume).
    pub attachments: Vec<AttachmentShape>,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The KMS key's ARN; absent when unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// A snapshot as DescribeSnapshots and CreateSnapshot return it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotShape {
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Always `standard` (not archived).
    pub storage_tier: String,
    /// The snapshot id (`snap-…`).
    pub snapshot_id: String,
    /// The volume it was taken from (`vol-ffffffff` for copies).
    pub volume_id: String,
    /// `pending` or `completed`.
    pub state: String,
    /// When it was started, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub start_time: String,
    /// `0%` while pending, `100%` once completed.
    pub progress: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Its description, or empty.
    pub description: String,
    /// The volume's size in GiB.
    pub volume_size: u32,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// The KMS key's ARN; absent when unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

request! {
    /// Input of EC2 `CreateVolume`.
    pub struct CreateVolumeInput {
        ..not_simulated["availability_zone_id", "client_token", "multi_attach_enabled", "operator", "outpost_arn", "throughput", "volume_initialization_rate"],
        /// The zone to create it in (required), one of the caller's region.
        pub availability_zone: Option<String>,
        /// Size in GiB, 1 to 16,384; at least the snapshot's size. Required without `snapshot_id`.
        pub size: Option<i64>,
        /// A snapshot of the caller's to create it from; the size defaults to the snapshot's.
        pub snapshot_id: Option<String>,
        /// `gp2` (default), `gp3`, `io1`, `io2`, `st1`, `sc1` or `standard`.
        pub volume_type: Option<String>,
        /// Provisioned IOPS; recorded, not checked.
        pub iops: Option<i64>,
        /// `true` to encrypt it; a volume from an encrypted snapshot, or made while the account
        /// encrypts by default, is always encrypted.
        pub encrypted: Option<bool>,
        /// The KMS key that encrypts it (id, ARN or alias); by default the snapshot's key or the
        /// account's default EBS key (`aws/ebs` unless ModifyEbsDefaultKmsKeyId changed it).
        pub kms_key_id: Option<String>,
        /// Tags for the new `volume`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeVolumes`.
    #[derive(Default)]
    pub struct DescribeVolumesInput {
        ..not_simulated["include_managed_resources"],
        /// Only these volumes; any that is not the caller's is `InvalidVolume.NotFound`.
        #[serde(default)]
        pub volume_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeVolumes`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeVolumesOutput {
    /// The caller's matching volumes in its region, in creation order.
    pub volumes: Vec<VolumeShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DeleteVolume`.
    pub struct VolumeIdInput {
        /// The volume: the caller's, not attached.
        pub volume_id: String,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `AttachVolume`.
    pub struct AttachVolumeInput {
        ..not_simulated["ebs_card_index"],
        /// The device name to expose it as (`/dev/sdf`); not already used on the instance.
        pub device: String,
        /// The instance: the caller's, running or stopped, in the volume's zone.
        pub instance_id: String,
        /// The volume: the caller's, `available`.
        pub volume_id: String,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DetachVolume`.
    pub struct DetachVolumeInput {
        /// The volume to detach.
        pub volume_id: String,
        /// The instance it is attached to (checked when given).
        pub instance_id: Option<String>,
        /// The device it is attached at (checked when given).
        pub device: Option<String>,
        /// Force the detachment; the same as a plain one here.
        pub force: Option<bool>,
        ..dry_run,
    }
}

/// EC2 `AttachVolume`'s and `DetachVolume`'s answer: the attachment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeAttachmentOutput {
    /// The volume.
    pub volume_id: String,
    /// The instance.
    pub instance_id: String,
    /// The device name.
    pub device: String,
    /// `attached` (AttachVolume) or `detaching` (DetachVolume).
    pub state: String,
    /// When the volume was attached, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub attach_time: String,
}

request! {
    /// Input of EC2 `CreateSnapshot`.
    pub struct CreateSnapshotInput {
        ..not_simulated["location", "outpost_arn"],
        /// The volume to snapshot: the caller's.
        pub volume_id: String,
        /// A description.
        pub description: Option<String>,
        /// Tags for the new `snapshot`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeSnapshots`.
    #[derive(Default)]
    pub struct DescribeSnapshotsInput {
        /// Only these snapshots; any that is not the caller's is `InvalidSnapshot.NotFound`.
        #[serde(default)]
        pub snapshot_ids: Vec<String>,
        /// Only snapshots of these owners: account ids, `self` or `amazon` (which owns none here).
        #[serde(default)]
        pub owner_ids: Vec<String>,
        /// Only snapshots these accounts may create volumes from (account ids or `self`).
        #[serde(default)]
        pub restorable_by_user_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeSnapshots`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSnapshotsOutput {
    /// The caller's matching snapshots in its region, in creation order.
    pub snapshots: Vec<SnapshotShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DeleteSnapshot`.
    pub struct SnapshotIdInput {
        /// The snapshot: the caller's, not used by a registered image.
        pub snapshot_id: String,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `CopySnapshot`, called in the destination region.
    pub struct CopySnapshotInput {
        ..not_simulated["completion_duration_minutes", "destination_availability_zone", "destination_outpost_arn", "destination_region", "presigned_url"],
        /// The region the source snapshot is in.
        pub source_region: String,
        /// The snapshot to copy: the caller's, `completed`.
        pub source_snapshot_id: String,
        /// The copy's description; by default `[Copied snap-… from <region>] <source description>`.
        pub description: Option<String>,
        /// `true` to encrypt the copy; a copy of an encrypted snapshot, or made while the account
        /// encrypts by default, is always encrypted.
        pub encrypted: Option<bool>,
        /// The KMS key that encrypts the copy; by default the account's default EBS key.
        pub kms_key_id: Option<String>,
        /// Tags for the new `snapshot`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

/// EC2 `CopySnapshot`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopySnapshotOutput {
    /// The new snapshot's id.
    pub snapshot_id: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

// ---------------------------------------------------------------------------------------------

pub(crate) fn snapshot_not_found(id: &str) -> AwsError {
    AwsError::new(
        "InvalidSnapshot.NotFound",
        format!("The snapshot '{id}' does not exist."),
    )
}

pub(crate) fn volume_limit(quota: usize) -> AwsError {
    AwsError::new(
        "VolumeLimitExceeded",
        format!("You have exceeded your maximum volume limit of {quota} volumes in this Region."),
    )
}

fn volume_not_found(id: &str) -> AwsError {
    AwsError::new(
        "InvalidVolume.NotFound",
        format!("The volume '{id}' does not exist."),
    )
}

pub(crate) fn check_snapshot_id(id: &str) -> AwsResult<()> {
    crate::ids::check_well_formed(id, "snap", "InvalidSnapshotID.Malformed")
}

fn check_volume_id(id: &str) -> AwsResult<()> {
    crate::ids::check_well_formed(id, "vol", "InvalidVolumeID.Malformed")
}

impl Cloud {
    /// Adds a new snapshot to a region and remembers where its data came from, for good: the
    /// lineage outlives the snapshot ([`Cloud::snapshot_sources`]).
    pub(crate) fn add_snapshot(&mut self, region: &str, snapshot: Snapshot) -> AwsResult<()> {
        if let Some(source) = &snapshot.source_snapshot_id {
            self.snapshot_sources
                .insert(snapshot.id.clone(), source.clone());
        }
        self.meter_snapshot(region, &snapshot, true);
        self.region_mut(region)?
            .snapshots
            .insert(snapshot.id.clone(), snapshot);
        Ok(())
    }
}

impl Cloud {
    fn own_volume(&self, caller: &Caller, id: &str) -> AwsResult<&Volume> {
        check_volume_id(id)?;
        self.region_ref(&caller.region)?
            .volumes
            .get(id)
            .filter(|v| v.owner_id == caller.account)
            .ok_or_else(|| volume_not_found(id))
    }

    fn check_volume_quota(&self, caller: &Caller) -> AwsResult<()> {
        let quota = self.quotas.volumes_per_region;
        let region = self.region_ref(&caller.region)?;
        super::check_quota(
            region.volumes.values(),
            1,
            quota,
            |v| v.owner_id == caller.account,
            || volume_limit(quota),
        )
    }

    fn check_snapshot_quota(&self, caller: &Caller) -> AwsResult<()> {
        let quota = self.quotas.snapshots_per_region;
        let region = self.region_ref(&caller.region)?;
        super::check_quota(
            region.snapshots.values(),
            1,
            quota,
            |s| s.owner_id == caller.account,
            || {
                AwsError::new(
                "SnapshotLimitExceeded",
                format!("The maximum number of snapshots ({quota}) has been reached for this Region."),
            )
            },
        )
    }

    /// EC2 `CreateVolume`: a new volume, `creating` for [`durations::CREATE_VOLUME`] seconds and
    /// then `available`; a volume from an encrypted snapshot is encrypted, and so is every new
    /// volume while the account encrypts by default ([`super::ebs_defaults`]). Answers the
    /// volume. When EBS cannot use the snapshot's or the volume's KMS key for the caller
    /// ([`crate::kms::access`]), the request is still accepted and the volume disappears at the
    /// end of `creating`, as AWS's does.
    ///
    /// Errors: `MissingParameter` without `availability_zone`, or without both `size` and
    /// `snapshot_id`; `InvalidParameterValue` for an unknown zone, a size out of range or below the
    /// snapshot's, an unknown volume type or KMS key, a bad tag type; `InvalidSnapshotID.Malformed`
    /// / `InvalidSnapshot.NotFound`; `VolumeLimitExceeded`; `TagLimitExceeded`.
    pub fn create_volume(
        &mut self,
        caller: &Caller,
        input: CreateVolumeInput,
    ) -> AwsResult<VolumeShape> {
        let zone = input.availability_zone.clone().ok_or_else(|| {
            AwsError::missing_parameter("The request must contain the parameter AvailabilityZone")
        })?;
        let region = self.region_ref(&caller.region)?;
        if !region.info.has_zone(&zone) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid availability zone: [{zone}]"
            )));
        }
        let tags = tags_for(&input.tag_specifications, &["volume"], "volume")?;
        let volume_type = input.volume_type.clone().unwrap_or_else(|| "gp2".into());
        check_volume_type(&volume_type)?;
        let snapshot = match &input.snapshot_id {
            Some(sid) => {
                check_snapshot_id(sid)?;
                Some(
                    region
                        .snapshots
                        .get(sid)
                        .filter(|s| s.restorable_by(&caller.account))
                        .ok_or_else(|| snapshot_not_found(sid))?
                        .clone(),
                )
            }
            None => None,
        };
        let size = match (input.size, &snapshot) {
            (Some(size), snapshot) => {
                let size = super::volume_size(size)?;
                if let Some(s) = snapshot.as_ref().filter(|s| size < s.volume_size) {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "The volume size {size} GiB is smaller than the snapshot's {} GiB.",
                        s.volume_size
                    )));
                }
                size
            }
            (None, Some(s)) => s.volume_size,
            (None, None) => {
                return Err(AwsError::missing_parameter(
                    "The request must contain the parameter size or snapshotId",
                ))
            }
        };
        self.check_volume_quota(caller)?;
        // Encrypted when asked, when the snapshot is, or when the account encrypts by default
        // (Amazon EBS User Guide, "Encryption by default").
        let encrypted = input.encrypted.unwrap_or(false)
            || snapshot.as_ref().is_some_and(|s| s.encrypted)
            || self.ebs_encrypted_by_default(&caller.account, &caller.region);
        let kms_key_id = if encrypted {
            Some(match (&input.kms_key_id, &snapshot) {
                (Some(k), _) => self
                    .kms
                    .resolve(&caller.account, &caller.region, k)
                    .ok_or_else(|| {
                        AwsError::invalid_parameter_value(format!(
                            "The KMS key '{k}' does not exist in {}.",
                            caller.region
                        ))
                    })?,
                (None, Some(s)) if s.encrypted => s.kms_key_id.clone().unwrap_or_default(),
                _ => self.ebs_default_key(&caller.account, &caller.region),
            })
        } else {
            None
        };
        // EBS checks the keys after accepting the request: a volume it cannot encrypt (or whose
        // snapshot it cannot decrypt) is `creating`, then gone (EC2 API Reference: "Amazon Web
        // Services authenticates the KMS key asynchronously"; aws/aws-sdk-ruby#1222).
        let source_key = snapshot.as_ref().and_then(|s| s.kms_key_id.clone());
        let unusable = self
            .ebs_key_refusal(
                &caller.account,
                [source_key.as_deref(), kms_key_id.as_deref()],
            )
            .is_some();
        let id = self.ids.next("vol");
        let seq = self.next_seq();
        let volume = Volume {
            id: id.clone(),
            seq,
            owner_id: caller.account.clone(),
            size,
            snapshot_id: input.snapshot_id.clone(),
            availability_zone: zone,
            state: VolumeState::Creating,
            create_time: self.now(),
            volume_type,
            iops: input.iops,
            encrypted,
            kms_key_id,
            tags,
            attachment: None,
        };
        let shape = volume.describe();
        self.meter_volume(&caller.region, &volume, true);
        self.region_mut(&caller.region)?
            .volumes
            .insert(id.clone(), volume);
        let event = if unusable {
            Event::VolumeCreationFailed {
                region: caller.region.clone(),
                volume_id: id,
            }
        } else {
            Event::VolumeAvailable {
                region: caller.region.clone(),
                volume_id: id,
            }
        };
        self.schedule_in(durations::CREATE_VOLUME, event);
        Ok(shape)
    }

    /// EC2 `DescribeVolumes`: the caller's volumes in its region, narrowed by ids and filters.
    /// Pages: `max_results` 5–500 (more is served as 500), every volume without it; not with
    /// `volume_ids` (`paging::DESCRIBE_VOLUMES`).
    ///
    /// Errors: `InvalidParameterCombination` for `volume_ids` with `max_results`;
    /// `InvalidParameterValue` for a page size below 5, an invalid `next_token` or an unknown
    /// filter name; `InvalidVolumeID.Malformed` / `InvalidVolume.NotFound`.
    pub fn describe_volumes(
        &mut self,
        caller: &Caller,
        input: DescribeVolumesInput,
    ) -> AwsResult<DescribeVolumesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_VOLUMES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.volume_ids.is_empty(),
        )?;
        filters::validate::<Volume>(&input.filters)?;
        for id in &input.volume_ids {
            self.own_volume(caller, id)?;
        }
        let wanted: BTreeSet<&str> = input.volume_ids.iter().map(String::as_str).collect();
        let matcher = Matcher::new(&input.filters);
        let mut found: Vec<&Volume> = self
            .region_ref(&caller.region)?
            .volumes
            .values()
            .filter(|v| v.owner_id == caller.account)
            .filter(|v| wanted.is_empty() || wanted.contains(v.id.as_str()))
            .filter(|v| matcher.matches(*v))
            .collect();
        found.sort_by_key(|v| v.seq);
        let (page, next_token) = pager.page(found, |v| paging::seq_key(v.seq));
        Ok(DescribeVolumesOutput {
            volumes: page.into_iter().map(Volume::describe).collect(),
            next_token,
        })
    }

    /// EC2 `DeleteVolume`: the volume is gone at once. Answers `{}`.
    ///
    /// Errors: `InvalidVolumeID.Malformed` / `InvalidVolume.NotFound`; `VolumeInUse` while it is
    /// attached.
    pub fn delete_volume(
        &mut self,
        caller: &Caller,
        input: VolumeIdInput,
    ) -> AwsResult<super::Empty> {
        let v = self.own_volume(caller, &input.volume_id)?;
        if v.state == VolumeState::InUse {
            return Err(AwsError::new(
                "VolumeInUse",
                format!(
                    "Volume {} is currently attached to {}",
                    v.id,
                    v.attachment
                        .as_ref()
                        .map(|a| a.instance_id.as_str())
                        .unwrap_or("an instance")
                ),
            ));
        }
        if let Some(gone) = self
            .region_mut(&caller.region)?
            .volumes
            .remove(&input.volume_id)
        {
            self.meter_volume(&caller.region, &gone, false);
        }
        Ok(super::Empty {})
    }

    /// EC2 `AttachVolume`: attaches an available volume to an instance in the same zone; the volume
    /// becomes `in-use` at once and is not deleted with the instance.
    ///
    /// Errors: `InvalidVolumeID.Malformed` / `InvalidVolume.NotFound`;
    /// `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`; `VolumeInUse` for a volume
    /// attached to an instance; `IncorrectState` for a volume still being created or an
    /// instance that is neither running nor stopped;
    /// `InvalidVolume.ZoneMismatch` for a volume in another zone; `InvalidParameterValue` for a
    /// device name already in use.
    pub fn attach_volume(
        &mut self,
        caller: &Caller,
        input: AttachVolumeInput,
    ) -> AwsResult<VolumeAttachmentOutput> {
        let v = self.own_volume(caller, &input.volume_id)?.clone();
        let i = self.own_instance(caller, &input.instance_id)?.clone();
        if let Some(att) = &v.attachment {
            // EC2-BEHAVIOUR.md, AttachVolume: an attached volume is in use.
            return Err(AwsError::new(
                "VolumeInUse",
                format!(
                    "{} is already attached to an instance ({}).",
                    v.id, att.instance_id
                ),
            ));
        }
        if v.state != VolumeState::Available {
            return Err(AwsError::new(
                "IncorrectState",
                format!("vol '{}' is not 'available'.", v.id),
            ));
        }
        if v.availability_zone != i.availability_zone {
            // EC2-BEHAVIOUR.md, AttachVolume; the message is EC2's own.
            return Err(AwsError::new(
                "InvalidVolume.ZoneMismatch",
                format!(
                    "The volume '{}' is not in the same availability zone as instance '{}'",
                    v.id, i.id
                ),
            ));
        }
        use super::instances::InstanceState as S;
        if !matches!(i.state, S::Running | S::Stopped) {
            return Err(AwsError::new(
                "IncorrectState",
                format!("Instance '{}' is not 'running' or 'stopped'.", i.id),
            ));
        }
        if i.mappings.iter().any(|m| m.device_name == input.device) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{}' for unixDevice. Attachment point {} is already in use",
                input.device, input.device
            )));
        }
        let now = self.now();
        let region = self.region_mut(&caller.region)?;
        let vol = region.volumes.get_mut(&v.id).expect("checked above");
        vol.state = VolumeState::InUse;
        vol.attachment = Some(Attachment {
            instance_id: i.id.clone(),
            device: input.device.clone(),
            attach_time: now,
            delete_on_termination: false,
        });
        let inst = region.instances.get_mut(&i.id).expect("checked above");
        inst.mappings.push(super::instances::InstanceMapping {
            device_name: input.device.clone(),
            volume_id: Some(v.id.clone()),
            virtual_name: None,
            delete_on_termination: false,
            attach_time: now,
        });
        Ok(VolumeAttachmentOutput {
            attach_time: iso8601(now),
            device: input.device,
            instance_id: i.id,
            state: "attached".into(),
            volume_id: v.id,
        })
    }

    /// EC2 `DetachVolume`: the volume becomes `available` at once. `instance_id` and `device`,
    /// when given, must name the volume's attachment; `force` detaches the same way (there are
    /// no buffers to lose here).
    ///
    /// Errors: `InvalidVolumeID.Malformed` / `InvalidVolume.NotFound`; `IncorrectState` for a
    /// volume that is not attached, or the root volume of an instance that is not stopped;
    /// `InvalidAttachment.NotFound` when `instance_id` or `device` is not the volume's
    /// attachment.
    pub fn detach_volume(
        &mut self,
        caller: &Caller,
        input: DetachVolumeInput,
    ) -> AwsResult<VolumeAttachmentOutput> {
        let v = self.own_volume(caller, &input.volume_id)?.clone();
        let Some(att) = v.attachment.clone() else {
            return Err(AwsError::new(
                "IncorrectState",
                format!("Volume '{}' is in the 'available' state.", v.id),
            ));
        };
        let other_instance = input
            .instance_id
            .as_ref()
            .filter(|i| **i != att.instance_id);
        let other_device = input.device.as_ref().filter(|d| **d != att.device);
        if other_instance.is_some() || other_device.is_some() {
            return Err(AwsError::new(
                "InvalidAttachment.NotFound",
                format!(
                    "Volume '{}' is not attached to instance '{}' at '{}': it is attached to '{}' at '{}'.",
                    v.id,
                    input.instance_id.as_deref().unwrap_or(&att.instance_id),
                    input.device.as_deref().unwrap_or(&att.device),
                    att.instance_id,
                    att.device
                ),
            ));
        }
        let region = self.region_mut(&caller.region)?;
        if let Some(inst) = region.instances.get_mut(&att.instance_id) {
            if inst.profile.root_device_name == att.device
                && inst.state != super::instances::InstanceState::Stopped
            {
                return Err(AwsError::new(
                    "IncorrectState",
                    format!(
                        "Unable to detach root volume '{}' from instance '{}'",
                        v.id, inst.id
                    ),
                ));
            }
            inst.mappings
                .retain(|m| m.volume_id.as_deref() != Some(v.id.as_str()));
        }
        let vol = region.volumes.get_mut(&v.id).expect("checked above");
        vol.state = VolumeState::Available;
        vol.attachment = None;
        Ok(VolumeAttachmentOutput {
            attach_time: iso8601(att.attach_time),
            device: att.device,
            instance_id: att.instance_id,
            state: "detaching".into(),
            volume_id: v.id,
        })
    }

    /// EC2 `CreateSnapshot`: a snapshot of one of the caller's volumes, `pending` for
    /// [`durations::SNAPSHOT`] seconds and then `completed`; it is encrypted when the volume is. A
    /// snapshot of an attached root volume holds what is on disk now (unsynced writes are not in
    /// it).
    ///
    /// Errors: `InvalidVolumeID.Malformed` / `InvalidVolume.NotFound`; `SnapshotLimitExceeded`;
    /// `InvalidParameterValue` for a bad tag type; `TagLimitExceeded`.
    pub fn create_snapshot(
        &mut self,
        caller: &Caller,
        input: CreateSnapshotInput,
    ) -> AwsResult<SnapshotShape> {
        let tags = tags_for(&input.tag_specifications, &["snapshot"], "snapshot")?;
        let volume = self.own_volume(caller, &input.volume_id)?.clone();
        self.check_snapshot_quota(caller)?;
        // A snapshot of an attached root volume holds what is on disk right now.
        let content = volume.attachment.as_ref().and_then(|a| {
            let region = self.region(&caller.region)?;
            let inst = region.instances.get(&a.instance_id)?;
            (inst.profile.root_device_name == a.device)
                .then(|| Arc::new(inst.guest.crash_consistent_copy()))
        });
        let id = self.ids.next("snap");
        let seq = self.next_seq();
        let snapshot = Snapshot {
            id: id.clone(),
            seq,
            owner_id: caller.account.clone(),
            volume_id: volume.id.clone(),
            volume_size: volume.size,
            state: SnapshotState::Pending,
            start_time: self.now(),
            description: input.description.clone(),
            encrypted: volume.encrypted,
            kms_key_id: volume.kms_key_id.clone(),
            tags,
            content,
            create_volume_permissions: CreateVolumePermissions::default(),
            source_snapshot_id: volume.snapshot_id.clone(),
        };
        let shape = snapshot.describe();
        self.add_snapshot(&caller.region, snapshot)?;
        self.schedule_in(
            durations::SNAPSHOT,
            Event::SnapshotCompleted {
                region: caller.region.clone(),
                snapshot_id: id,
            },
        );
        Ok(shape)
    }

    /// EC2 `DescribeSnapshots`: the caller's snapshots in its region, narrowed by ids, owners and
    /// filters. Pages: `max_results` 5–1000 (more is served as 1000), every snapshot without
    /// it; not with `snapshot_ids` (`paging::DESCRIBE_SNAPSHOTS`).
    ///
    /// Errors: `InvalidParameterCombination` for `snapshot_ids` with `max_results`;
    /// `InvalidParameterValue` for a page size below 5, an invalid `next_token` or an unknown
    /// filter name; `InvalidUserID.Malformed` for an owner that is neither an account id nor
    /// `self` or `amazon`; `InvalidSnapshotID.Malformed`; `InvalidSnapshot.NotFound` for an id
    /// that is not the caller's.
    pub fn describe_snapshots(
        &mut self,
        caller: &Caller,
        input: DescribeSnapshotsInput,
    ) -> AwsResult<DescribeSnapshotsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_SNAPSHOTS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.snapshot_ids.is_empty(),
        )?;
        filters::validate::<Snapshot>(&input.filters)?;
        for owner in &input.owner_ids {
            if !(is_account_id(owner) || ["self", "amazon"].contains(&owner.as_str())) {
                return Err(AwsError::new(
                    "InvalidUserID.Malformed",
                    format!("Invalid user id: \"{owner}\""),
                ));
            }
        }
        let region = self.region_ref(&caller.region)?;
        for id in &input.snapshot_ids {
            check_snapshot_id(id)?;
            if region
                .snapshots
                .get(id)
                .is_none_or(|s| !s.restorable_by(&caller.account))
            {
                return Err(snapshot_not_found(id));
            }
        }
        let wanted: BTreeSet<&str> = input.snapshot_ids.iter().map(String::as_str).collect();
        let owner_ok = |s: &Snapshot| {
            input.owner_ids.is_empty()
                || input.owner_ids.iter().any(|o| match o.as_str() {
                    "self" => s.owner_id == caller.account,
                    "amazon" => false,
                    id => s.owner_id == id,
                })
        };
        // `restorable_by_user_ids`: snapshots those accounts may create volumes from (`self` is
        // the caller).
        let restorable_ok = |s: &Snapshot| {
            input.restorable_by_user_ids.iter().all(|u| {
                let account = if u == "self" { &caller.account } else { u };
                s.restorable_by(account)
            })
        };
        let matcher = Matcher::new(&input.filters);
        let mut found: Vec<&Snapshot> = region
            .snapshots
            .values()
            .filter(|s| s.restorable_by(&caller.account))
            .filter(|s| wanted.is_empty() || wanted.contains(s.id.as_str()))
            .filter(|s| owner_ok(s))
            .filter(|s| restorable_ok(s))
            .filter(|s| matcher.matches(*s))
            .collect();
        found.sort_by_key(|s| s.seq);
        let (page, next_token) = pager.page(found, |s| paging::seq_key(s.seq));
        Ok(DescribeSnapshotsOutput {
            snapshots: page.into_iter().map(Snapshot::describe).collect(),
            next_token,
        })
    }

    /// EC2 `DeleteSnapshot`. Answers `{}`.
    ///
    /// Errors: `InvalidSnapshotID.Malformed`; `InvalidSnapshot.NotFound` for a snapshot that is not
    /// the caller's (or already deleted); `InvalidSnapshot.InUse` while a registered image uses it.
    pub fn delete_snapshot(
        &mut self,
        caller: &Caller,
        input: SnapshotIdInput,
    ) -> AwsResult<super::Empty> {
        check_snapshot_id(&input.snapshot_id)?;
        let region = self.region_mut(&caller.region)?;
        if region
            .snapshots
            .get(&input.snapshot_id)
            .is_none_or(|s| s.owner_id != caller.account)
        {
            return Err(snapshot_not_found(&input.snapshot_id));
        }
        if let Some(image) = region
            .images
            .values()
            .filter(|i| i.is_registered())
            .find(|i| i.snapshot_ids().any(|s| s == input.snapshot_id))
        {
            return Err(AwsError::new(
                "InvalidSnapshot.InUse",
                format!(
                    "The snapshot {} is currently in use by {}",
                    input.snapshot_id, image.id
                ),
            ));
        }
        if let Some(gone) = region.snapshots.remove(&input.snapshot_id) {
            self.meter_snapshot(&caller.region, &gone, false);
        }
        Ok(super::Empty {})
    }

    /// EC2 `CopySnapshot`, called in the destination region: a new snapshot of the caller's,
    /// `pending` for [`durations::SNAPSHOT`] seconds within a region and
    /// [`durations::COPY_IMAGE_CROSS_REGION`] across regions. The copy is encrypted when the
    /// source is, when asked, or while the account encrypts by default — with `kms_key_id` or the
    /// account's default EBS key. When EBS cannot use the source's or the copy's key for the
    /// caller ([`crate::kms::access`]), the copy ends in state `error` instead of `completed`.
    ///
    /// Errors: `InvalidSnapshotID.Malformed`; `InvalidParameterValue` for an unknown source region
    /// or KMS key, or a bad tag type; `InvalidSnapshot.NotFound` for a source that is not the
    /// caller's; `IncorrectState` for a source that is not `completed`; `SnapshotLimitExceeded`;
    /// `TagLimitExceeded`.
    pub fn copy_snapshot(
        &mut self,
        caller: &Caller,
        input: CopySnapshotInput,
    ) -> AwsResult<CopySnapshotOutput> {
        let tags = tags_for(&input.tag_specifications, &["snapshot"], "snapshot")?;
        check_snapshot_id(&input.source_snapshot_id)?;
        let source_region = self.region(&input.source_region).ok_or_else(|| {
            AwsError::invalid_parameter_value(format!(
                "Invalid value '{}' for SourceRegion.",
                input.source_region
            ))
        })?;
        let source = source_region
            .snapshots
            .get(&input.source_snapshot_id)
            .filter(|s| s.restorable_by(&caller.account))
            .ok_or_else(|| snapshot_not_found(&input.source_snapshot_id))?
            .clone();
        if source.state != SnapshotState::Completed {
            return Err(AwsError::new(
                "IncorrectState",
                format!(
                    "Snapshot '{}' is not 'completed' and cannot be copied yet.",
                    source.id
                ),
            ));
        }
        self.check_snapshot_quota(caller)?;
        let encrypted = source.encrypted
            || input.encrypted == Some(true)
            || self.ebs_encrypted_by_default(&caller.account, &caller.region);
        let kms_key_id = match (&input.kms_key_id, encrypted) {
            (_, false) => None,
            (Some(k), true) => Some(
                self.kms
                    .resolve(&caller.account, &caller.region, k)
                    .ok_or_else(|| {
                        AwsError::invalid_parameter_value(format!(
                            "The KMS key '{k}' does not exist in {}.",
                            caller.region
                        ))
                    })?,
            ),
            (None, true) => Some(self.ebs_default_key(&caller.account, &caller.region)),
        };
        // The copy reads the source with its key and writes with the copy's: a key the caller
        // cannot use leaves the copy in state `error` (EC2 API Reference, CopySnapshot: "To copy
        // an encrypted snapshot that has been shared from another account, you must have
        // permissions for the KMS key used to encrypt the snapshot").
        let unusable = self
            .ebs_key_refusal(
                &caller.account,
                [source.kms_key_id.as_deref(), kms_key_id.as_deref()],
            )
            .is_some();
        let id = self.ids.next("snap");
        let seq = self.next_seq();
        let snapshot = Snapshot {
            id: id.clone(),
            seq,
            owner_id: caller.account.clone(),
            volume_id: "vol-ffffffff".into(),
            volume_size: source.volume_size,
            state: SnapshotState::Pending,
            start_time: self.now(),
            description: input.description.clone().or_else(|| {
                Some(
                    format!(
                        "[Copied {} from {}] {}",
                        source.id,
                        input.source_region,
                        source.description.clone().unwrap_or_default()
                    )
                    .trim_end()
                    .to_string(),
                )
            }),
            encrypted,
            kms_key_id,
            tags,
            content: source.content.clone(),
            create_volume_permissions: CreateVolumePermissions::default(),
            source_snapshot_id: Some(source.id.clone()),
        };
        let out_tags = snapshot.tags.to_list();
        self.add_snapshot(&caller.region, snapshot)?;
        let duration = if input.source_region == caller.region {
            durations::SNAPSHOT
        } else {
            durations::COPY_IMAGE_CROSS_REGION
        };
        let event = if unusable {
            Event::SnapshotCopyFailed {
                region: caller.region.clone(),
                snapshot_id: id.clone(),
            }
        } else {
            Event::SnapshotCompleted {
                region: caller.region.clone(),
                snapshot_id: id.clone(),
            }
        };
        self.schedule_in(duration, event);
        Ok(CopySnapshotOutput {
            snapshot_id: id,
            tags: out_tags,
        })
    }

    pub(crate) fn finish_snapshot(&mut self, region: &str, id: &str) {
        if let Some(s) = self
            .region_mut_opt(region)
            .and_then(|r| r.snapshots.get_mut(id))
        {
            if s.state == SnapshotState::Pending {
                s.state = SnapshotState::Completed;
            }
        }
    }

    /// A snapshot copy whose key EBS could not use ends in state `error`.
    pub(crate) fn fail_snapshot_copy(&mut self, region: &str, id: &str) {
        if let Some(s) = self
            .region_mut_opt(region)
            .and_then(|r| r.snapshots.get_mut(id))
        {
            if s.state == SnapshotState::Pending {
                s.state = SnapshotState::Error;
            }
        }
    }

    /// A volume whose key EBS could not use disappears while `creating` (DescribeVolumes then
    /// answers `InvalidVolume.NotFound`, as AWS does).
    pub(crate) fn fail_volume_creation(&mut self, region: &str, id: &str) {
        if let Some(r) = self.region_mut_opt(region) {
            if r.volumes
                .get(id)
                .is_some_and(|v| v.state == VolumeState::Creating)
            {
                r.volumes.remove(id);
            }
        }
    }

    pub(crate) fn finish_volume(&mut self, region: &str, id: &str) {
        if let Some(v) = self
            .region_mut_opt(region)
            .and_then(|r| r.volumes.get_mut(id))
        {
            if v.state == VolumeState::Creating {
                v.state = VolumeState::Available;
            }
        }
    }
}

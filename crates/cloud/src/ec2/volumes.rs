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
use crate::ids::is_well_formed;
use crate::lifecycle::Event;
use crate::request::request;
use crate::{is_account_id, Caller, Cloud};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeState {
    Creating,
    Available,
    InUse,
}

impl VolumeState {
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeState::Creating => "creating",
            VolumeState::Available => "available",
            VolumeState::InUse => "in-use",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub instance_id: String,
    pub device: String,
    pub attach_time: u64,
    pub delete_on_termination: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    pub id: String,
    pub seq: u64,
    pub owner_id: String,
    pub size: u32,
    pub snapshot_id: Option<String>,
    pub availability_zone: String,
    pub state: VolumeState,
    pub create_time: u64,
    pub volume_type: String,
    pub iops: Option<i64>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub tags: Tags,
    pub attachment: Option<Attachment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotState {
    Pending,
    Completed,
}

impl SnapshotState {
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Pending => "pending",
            SnapshotState::Completed => "completed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub id: String,
    pub seq: u64,
    pub owner_id: String,
    pub volume_id: String,
    pub volume_size: u32,
    pub state: SnapshotState,
    pub start_time: u64,
    pub description: Option<String>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub tags: Tags,
    /// The file system of a root volume, so that an image registered from this snapshot boots
    /// into the same system.
    pub content: Option<Arc<Guest>>,
}

impl Volume {
    pub fn describe(&self) -> VolumeShape {
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
    pub fn describe(&self) -> SnapshotShape {
        SnapshotShape {
            snapshot_id: self.id.clone(),
            volume_id: self.volume_id.clone(),
            state: self.state.as_str().to_string(),
            start_time: iso8601(self.start_time),
            progress: match self.state {
                SnapshotState::Pending => "0%".into(),
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
                SnapshotState::Pending => "0%",
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttachmentShape {
    pub attach_time: String,
    pub device: String,
    pub instance_id: String,
    pub state: String,
    pub volume_id: String,
    pub delete_on_termination: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeShape {
    pub volume_id: String,
    pub size: u32,
    pub snapshot_id: String,
    pub availability_zone: String,
    pub state: String,
    pub create_time: String,
    pub attachments: Vec<AttachmentShape>,
    pub volume_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops: Option<i64>,
    pub encrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotShape {
    pub snapshot_id: String,
    pub volume_id: String,
    pub state: String,
    pub start_time: String,
    pub progress: String,
    pub owner_id: String,
    pub description: String,
    pub volume_size: u32,
    pub encrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    pub storage_tier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

request! {
    pub struct CreateVolumeInput {
        pub availability_zone: Option<String>,
        pub size: Option<i64>,
        pub snapshot_id: Option<String>,
        pub volume_type: Option<String>,
        pub iops: Option<i64>,
        pub throughput: Option<i64>,
        pub encrypted: Option<bool>,
        pub kms_key_id: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        pub client_token: Option<String>,
        ..dry_run,
    }
}

request! {
    #[derive(Default)]
    pub struct DescribeVolumesInput {
        #[serde(default)]
        pub volume_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeVolumesOutput {
    pub volumes: Vec<VolumeShape>,
}

request! {
    pub struct VolumeIdInput {
        pub volume_id: String,
        ..dry_run,
    }
}

request! {
    pub struct AttachVolumeInput {
        pub device: String,
        pub instance_id: String,
        pub volume_id: String,
        ..dry_run,
    }
}

request! {
    pub struct DetachVolumeInput {
        pub volume_id: String,
        pub instance_id: Option<String>,
        pub device: Option<String>,
        pub force: Option<bool>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeAttachmentOutput {
    pub attach_time: String,
    pub device: String,
    pub instance_id: String,
    pub state: String,
    pub volume_id: String,
}

request! {
    pub struct CreateSnapshotInput {
        pub volume_id: String,
        pub description: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    #[derive(Default)]
    pub struct DescribeSnapshotsInput {
        #[serde(default)]
        pub snapshot_ids: Vec<String>,
        #[serde(default)]
        pub owner_ids: Vec<String>,
        #[serde(default)]
        pub restorable_by_user_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSnapshotsOutput {
    pub snapshots: Vec<SnapshotShape>,
}

request! {
    pub struct SnapshotIdInput {
        pub snapshot_id: String,
        ..dry_run,
    }
}

request! {
    pub struct CopySnapshotInput {
        pub source_region: String,
        pub source_snapshot_id: String,
        pub description: Option<String>,
        pub destination_region: Option<String>,
        pub encrypted: Option<bool>,
        pub kms_key_id: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopySnapshotOutput {
    pub snapshot_id: String,
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

fn check_snapshot_id(id: &str) -> AwsResult<()> {
    if is_well_formed(id, "snap") {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidSnapshotID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"snap-...\")"),
        ))
    }
}

fn check_volume_id(id: &str) -> AwsResult<()> {
    if is_well_formed(id, "vol") {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidVolumeID.Malformed",
            format!("Invalid id: \"{id}\" (expecting \"vol-...\")"),
        ))
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
                        .filter(|s| s.owner_id == caller.account)
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
        let encrypted =
            input.encrypted.unwrap_or(false) || snapshot.as_ref().is_some_and(|s| s.encrypted);
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
                _ => self.kms.default_ebs_key(&caller.account, &caller.region),
            })
        } else {
            None
        };
        let id = self.ids.next("vol");
        let seq = self.next_seq();
        let mut volume = Volume {
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
            tags: Tags::default(),
            attachment: None,
        };
        volume.tags.apply(&tags)?;
        let shape = volume.describe();
        self.region_mut(&caller.region)?
            .volumes
            .insert(id.clone(), volume);
        self.schedule_in(
            durations::CREATE_VOLUME,
            Event::VolumeAvailable {
                region: caller.region.clone(),
                volume_id: id,
            },
        );
        Ok(shape)
    }

    pub fn describe_volumes(
        &mut self,
        caller: &Caller,
        input: DescribeVolumesInput,
    ) -> AwsResult<DescribeVolumesOutput> {
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
        Ok(DescribeVolumesOutput {
            volumes: found.into_iter().map(Volume::describe).collect(),
        })
    }

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
        self.region_mut(&caller.region)?
            .volumes
            .remove(&input.volume_id);
        Ok(super::Empty {})
    }

    pub fn attach_volume(
        &mut self,
        caller: &Caller,
        input: AttachVolumeInput,
    ) -> AwsResult<VolumeAttachmentOutput> {
        let v = self.own_volume(caller, &input.volume_id)?.clone();
        let i = self.own_instance(caller, &input.instance_id)?.clone();
        if v.state != VolumeState::Available {
            return Err(AwsError::new(
                "IncorrectState",
                format!("vol '{}' is not 'available'.", v.id),
            ));
        }
        if v.availability_zone != i.availability_zone {
            return Err(AwsError::invalid_parameter_value(format!(
                "Volume '{}' is in {} and instance '{}' is in {}: a volume attaches only to an instance in its own availability zone.",
                v.id, v.availability_zone, i.id, i.availability_zone
            )));
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
        let mut snapshot = Snapshot {
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
            tags: Tags::default(),
            content,
        };
        snapshot.tags.apply(&tags)?;
        let shape = snapshot.describe();
        self.region_mut(&caller.region)?
            .snapshots
            .insert(id.clone(), snapshot);
        self.schedule_in(
            durations::SNAPSHOT,
            Event::SnapshotCompleted {
                region: caller.region.clone(),
                snapshot_id: id,
            },
        );
        Ok(shape)
    }

    pub fn describe_snapshots(
        &mut self,
        caller: &Caller,
        input: DescribeSnapshotsInput,
    ) -> AwsResult<DescribeSnapshotsOutput> {
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
                .is_none_or(|s| s.owner_id != caller.account)
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
        let matcher = Matcher::new(&input.filters);
        let mut found: Vec<&Snapshot> = region
            .snapshots
            .values()
            .filter(|s| s.owner_id == caller.account)
            .filter(|s| wanted.is_empty() || wanted.contains(s.id.as_str()))
            .filter(|s| owner_ok(s))
            .filter(|s| matcher.matches(*s))
            .collect();
        found.sort_by_key(|s| s.seq);
        Ok(DescribeSnapshotsOutput {
            snapshots: found.into_iter().map(Snapshot::describe).collect(),
        })
    }

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
        region.snapshots.remove(&input.snapshot_id);
        Ok(super::Empty {})
    }

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
            .filter(|s| s.owner_id == caller.account)
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
        let encrypted = source.encrypted || input.encrypted == Some(true);
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
            (None, true) => Some(self.kms.default_ebs_key(&caller.account, &caller.region)),
        };
        let id = self.ids.next("snap");
        let seq = self.next_seq();
        let mut snapshot = Snapshot {
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
            tags: Tags::default(),
            content: source.content.clone(),
        };
        snapshot.tags.apply(&tags)?;
        let out_tags = snapshot.tags.to_list();
        self.region_mut(&caller.region)?
            .snapshots
            .insert(id.clone(), snapshot);
        let duration = if input.source_region == caller.region {
            durations::SNAPSHOT
        } else {
            durations::COPY_IMAGE_CROSS_REGION
        };
        self.schedule_in(
            duration,
            Event::SnapshotCompleted {
                region: caller.region.clone(),
                snapshot_id: id.clone(),
            },
        );
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
            s.state = SnapshotState::Completed;
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

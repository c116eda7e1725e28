//! CreateImage, CopyImage, RegisterImage and DeregisterImage: where images come from and go.

use super::*;

impl Cloud {
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
        use crate::ec2::instances::InstanceState as S;
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
            let snapshot = Snapshot {
                id: snapshot_id.clone(),
                seq,
                owner_id: caller.account.clone(),
                volume_id: volume.id.clone(),
                volume_size: volume.size,
                state: crate::ec2::volumes::SnapshotState::Pending,
                start_time: now,
                description: Some(format!(
                    "Created by CreateImage({}) for {image_id}",
                    instance.id
                )),
                encrypted: volume.encrypted,
                kms_key_id: volume.kms_key_id.clone(),
                tags: snapshot_tags.clone(),
                content: (m.device_name == instance.profile.root_device_name)
                    .then(|| captured.clone()),
                create_volume_permissions: Default::default(),
                source_snapshot_id: volume.snapshot_id.clone(),
            };
            self.add_snapshot(&caller.region, snapshot)?;
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
        let tags = image_tags;
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
            account_tags: BTreeMap::new(),
            source_instance_id: Some(instance.id.clone()),
            source_image_id: None,
            source_image_region: None,
            deprecation_time: None,
            // CreateImage starts an image afresh: ImdsSupport is set on it only when asked.
            imds_support: None,
            launch_permissions: LaunchPermissions::default(),
            deregistration_protection: DeregistrationProtection::Disabled,
            launches: LaunchHistory::default(),
            firmware: Firmware::default(),
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

    pub(super) fn check_name_free(&self, caller: &Caller, name: &str) -> AwsResult<()> {
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

    pub(super) fn check_image_quota(&self, caller: &Caller) -> AwsResult<()> {
        let quota = self.quotas.images_per_region;
        let region = self.region_ref(&caller.region)?;
        crate::ec2::check_quota(
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
    /// encrypted source gives encrypted copies (EC2-BEHAVIOUR.md, CopyImage), and so does a clear
    /// one while the account encrypts by default. Without `kms_key_id`, a copy of the caller's
    /// own encrypted image in the same region keeps its key; any other copy uses the caller's
    /// default EBS key. When EBS cannot use a source snapshot's or a copy's key for the caller
    /// ([`crate::kms::access`]), the copy is accepted and ends `failed` (state reason
    /// `Client.InternalError`, "Copy image failed with an internal error."), its snapshots `error`.
    ///
    /// Errors: `InvalidAMIName.Malformed`; `InvalidParameterValue` (description too long, an
    /// unknown source region or KMS key, a bad tag type); `InvalidAMIID.Malformed` /
    /// `InvalidAMIID.NotFound` for a source the caller cannot see; `InvalidAMIID.Unavailable` for a
    /// source that is not `available`; `UnsupportedOperation` for another account's image with a
    /// marketplace product code; `InvalidParameterDependency` for `kms_key_id` without `encrypted:
    /// true`; `InvalidRequest` for `encrypted: false` of an encrypted source, or for another account's image
    /// whose snapshots the caller has no `createVolumePermission` on;
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
        // Copying someone else's image reads its snapshots: the owner must have granted
        // createVolumePermission on each (EC2-BEHAVIOUR.md, launch permissions). The public
        // catalogue's snapshots are public.
        if source.owner_id != caller.account {
            let snapshots = &self.region_ref(&input.source_region)?.snapshots;
            let readable = source.mappings.iter().all(|m| {
                m.ebs
                    .as_ref()
                    .and_then(|e| e.snapshot_id.as_ref())
                    .and_then(|id| snapshots.get(id))
                    .is_none_or(|s| s.restorable_by(&caller.account))
            });
            if !readable {
                return Err(AwsError::new(
                    "InvalidRequest",
                    "You do not have permission to access the storage of this ami",
                ));
            }
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

        let mut tags = if input.copy_image_tags == Some(true) {
            source.tags_seen_by(&caller.account).without_aws_reserved()
        } else {
            Tags::default()
        };
        tags.merge(&image_tags)?;

        let cross_region = input.source_region != caller.region;
        let duration = if cross_region {
            durations::COPY_IMAGE_CROSS_REGION
        } else {
            durations::COPY_IMAGE_SAME_REGION
        };
        let image_id = self.ids.next("ami");
        let now = self.now();
        let default_key = self.ebs_default_key(&caller.account, &caller.region);
        let by_default = self.ebs_encrypted_by_default(&caller.account, &caller.region);
        let mut mappings = Vec::new();
        // Whether EBS can read every source snapshot and write every copy with its key
        // ([`crate::kms::access`]); if not, the copy is accepted and then fails.
        let mut unusable = false;
        for m in &source.mappings {
            let Some(ebs) = &m.ebs else {
                mappings.push(m.clone());
                continue;
            };
            // An encrypted source gives encrypted copies; `encrypted: true` or encryption by
            // default encrypts a clear one.
            let encrypted = ebs.encrypted || input.encrypted == Some(true) || by_default;
            let kms_key_id = if !encrypted {
                None
            } else if let Some(key) = &requested_key {
                Some(key.clone())
            } else if ebs.encrypted && !cross_region && source.owner_id == caller.account {
                ebs.kms_key_id.clone()
            } else {
                Some(default_key.clone())
            };
            unusable |= self
                .ebs_key_refusal(
                    &caller.account,
                    [ebs.kms_key_id.as_deref(), kms_key_id.as_deref()],
                )
                .is_some();
            let snapshot_id = self.ids.next("snap");
            let seq = self.next_seq();
            let snapshot = Snapshot {
                id: snapshot_id.clone(),
                seq,
                owner_id: caller.account.clone(),
                volume_id: "vol-ffffffff".into(),
                volume_size: ebs.volume_size,
                state: crate::ec2::volumes::SnapshotState::Pending,
                start_time: now,
                description: Some(format!(
                    "Copied for DestinationAmi {image_id} from SourceAmi {} for SourceSnapshot {}. Task created on {}.",
                    source.id,
                    ebs.snapshot_id.as_deref().unwrap_or("-"),
                    iso8601(now)
                )),
                encrypted,
                kms_key_id: kms_key_id.clone(),
                tags: snapshot_tags.clone(),
                content: (m.device_name == source.profile.root_device_name).then(|| source.guest.get()),
                create_volume_permissions: Default::default(),
                source_snapshot_id: ebs.snapshot_id.clone(),
            };
            self.add_snapshot(&caller.region, snapshot)?;
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
            account_tags: BTreeMap::new(),
            source_instance_id: None,
            source_image_id: Some(source.id.clone()),
            source_image_region: Some(input.source_region.clone()),
            deprecation_time: None,
            imds_support: source.imds_support.clone(),
            launch_permissions: LaunchPermissions::default(),
            deregistration_protection: DeregistrationProtection::Disabled,
            launches: LaunchHistory::default(),
            firmware: source.firmware.clone(),
            guest: source.guest.clone(),
        };
        self.region_mut(&caller.region)?.insert_image(image);
        let event = if unusable {
            Event::ImageCopyFailed {
                region: caller.region.clone(),
                image_id: image_id.clone(),
            }
        } else {
            Event::ImageAvailable {
                region: caller.region.clone(),
                image_id: image_id.clone(),
            }
        };
        self.schedule_in(duration, event);
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
    /// bad tag type, a `tpm_support` other than `v2.0`, `uefi_data` that is not base64 or longer
    /// than 64,000 characters); `InvalidSnapshot.NotFound` for a snapshot that is not the caller's;
    /// `InvalidAMIName.Duplicate`; `ResourceLimitExceeded`.
    pub fn register_image(
        &mut self,
        caller: &Caller,
        input: RegisterImageInput,
    ) -> AwsResult<ImageIdOutput> {
        check_image_name(&input.name)?;
        check_description(input.description.as_deref())?;
        let image_tags = tags_for(&input.tag_specifications, &["image"], "image")?;
        let imds_support = match input.imds_support.as_deref() {
            Some(value) => Some(super::attributes::imds_support(Some(value))?),
            None => None,
        };
        let firmware = firmware(input.tpm_support.as_deref(), input.uefi_data.as_deref())?;
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
        // RegisterImage's documented default for EBS-backed images is i386 (EC2 API reference,
        // RegisterImage, Architecture): a snapshot of a 64-bit system registered without an
        // architecture makes an image 64-bit types refuse.
        let architecture = match input.architecture.as_deref() {
            None => Arch::I386,
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
                        .ok_or_else(|| crate::ec2::volumes::snapshot_not_found(snap_id))?;
                    if device_name == root_device_name {
                        root_content = snap.content.clone();
                    }
                    (snap.volume_size, snap.encrypted, snap.kms_key_id.clone())
                }
                None => {
                    let size = ebs.volume_size.ok_or_else(|| {
                        AwsError::new(
                            "InvalidBlockDeviceMapping",
                            format!("The block device mapping for '{device_name}' needs a snapshot_id or a volume_size."),
                        )
                    })?;
                    (
                        crate::ec2::volume_size(size)?,
                        ebs.encrypted.unwrap_or(false),
                        None,
                    )
                }
            };
            let volume_type = ebs.volume_type.clone().unwrap_or_else(|| "gp2".into());
            crate::ec2::check_volume_type(&volume_type)?;
            mappings.push(ImageMapping {
                device_name,
                virtual_name: None,
                ebs: Some(ImageEbs {
                    snapshot_id: ebs.snapshot_id.clone(),
                    volume_size: match (ebs.volume_size, &ebs.snapshot_id) {
                        (Some(requested), Some(snapshot_id)) => {
                            let requested = crate::ec2::volume_size(requested)?;
                            if requested < size {
                                return Err(crate::ec2::smaller_than_snapshot(
                                    requested,
                                    snapshot_id,
                                    size,
                                ));
                            }
                            requested
                        }
                        _ => size,
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
        let tags = image_tags;
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
            account_tags: BTreeMap::new(),
            source_instance_id: None,
            source_image_id: None,
            source_image_region: None,
            deprecation_time: None,
            imds_support,
            launch_permissions: LaunchPermissions::default(),
            deregistration_protection: DeregistrationProtection::Disabled,
            launches: LaunchHistory::default(),
            firmware,
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
    /// already deregistered; `OperationNotPermitted` while its deregistration protection is in
    /// effect, cooldown included ("the AMI can't be deregistered by any user, regardless of their
    /// IAM permissions", EC2 User Guide, "Protect an Amazon EC2 AMI from deregistration"; AWS does
    /// not document the code: amilab answers the one EC2 gives for termination protection).
    pub fn deregister_image(
        &mut self,
        caller: &Caller,
        input: DeregisterImageInput,
    ) -> AwsResult<DeregisterImageOutput> {
        check_image_id(&input.image_id)?;
        let now = self.now();
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
        if image.deregistration_protection.in_effect(now) {
            let message = match image.deregistration_protection {
                DeregistrationProtection::CoolingDown { until } => format!(
                    "AMI '{}' can't be deregistered: its deregistration protection was turned off with a 24-hour cooldown, and stays in effect until {}.",
                    input.image_id,
                    iso8601(until)
                ),
                _ => format!(
                    "AMI '{}' has deregistration protection enabled and can't be deregistered. Turn it off with disable_image_deregistration_protection first.",
                    input.image_id
                ),
            };
            return Err(AwsError::new("OperationNotPermitted", message));
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

        let mut deleted = Vec::new();
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
                    deleted.extend(region.snapshots.remove(&snap_id));
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
        for gone in &deleted {
            self.meter_snapshot(&caller.region, gone, false);
        }
        Ok(DeregisterImageOutput {
            return_: true,
            delete_snapshot_results: results,
        })
    }

    /// A pending image becomes available (its snapshots complete at the same moment).
    /// An image copy whose KMS keys EBS could not use ends `failed`, and its snapshots in state
    /// `error`. The state reason follows what AWS shows for such copies ("Copy image failed with
    /// an internal error", as reported in hashicorp/packer#6737).
    pub(crate) fn fail_image_copy(&mut self, region: &str, image_id: &str) {
        let Some(r) = self.region_mut_opt(region) else {
            return;
        };
        let Some(image) = r.images.get_mut(image_id) else {
            return;
        };
        if image.state != ImageState::Pending {
            return;
        }
        image.state = ImageState::Failed;
        image.state_reason = Some((
            "Client.InternalError".into(),
            "Copy image failed with an internal error.".into(),
        ));
        let snapshots: Vec<String> = image.snapshot_ids().map(str::to_string).collect();
        for id in snapshots {
            if let Some(s) = r.snapshots.get_mut(&id) {
                s.state = crate::ec2::volumes::SnapshotState::Error;
            }
        }
    }

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

/// RegisterImage's `TpmSupport` and `UefiData`, checked: `v2.0` is the only `TpmSupport`
/// (botocore's enum), and `UefiData` is base64 of at most 64,000 characters (botocore's model).
fn firmware(tpm_support: Option<&str>, uefi_data: Option<&str>) -> AwsResult<Firmware> {
    use base64::Engine;
    if let Some(tpm) = tpm_support.filter(|t| *t != "v2.0") {
        return Err(AwsError::invalid_parameter_value(format!(
            "Value ({tpm}) for parameter tpmSupport is invalid. Valid values: v2.0"
        )));
    }
    if let Some(data) = uefi_data {
        if data.chars().count() > 64_000
            || base64::engine::general_purpose::STANDARD
                .decode(data)
                .is_err()
        {
            return Err(AwsError::invalid_parameter_value(
                "Value for parameter uefiData is invalid: it must be the base64 representation of the UEFI variable store, at most 64000 characters.",
            ));
        }
    }
    Ok(Firmware {
        tpm_support: tpm_support.map(str::to_string),
        uefi_data: uefi_data.map(str::to_string),
    })
}

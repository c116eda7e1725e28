//! RunInstances: compatibility rules, placement, block devices, tags, and the new instances.

use super::*;
use crate::kms::access::Refusal;

impl Cloud {
    /// EC2 `RunInstances`: launches between `min_count` and `max_count` instances of an image in
    /// one reservation, each `pending` for [`durations::EBS_BOOT`] seconds
    /// ([`durations::INSTANCE_STORE_BOOT`] for an instance-store root) and then `running`; the
    /// first boot runs the user data. Each EBS device gets a new volume, encrypted when its
    /// snapshot is, when the mapping asks, or when the account encrypts by default. An instance
    /// whose volumes need a KMS key EBS cannot use for the caller (not allowed by the key policy
    /// or a grant, disabled, pending deletion, deleted, another account's `aws/ebs`) is launched
    /// and terminates at boot (see `encrypt_devices`). A deprecated image still launches (EC2 User Guide,
    /// "Deprecate an AMI"); a disabled one does not ("Disable an AMI"). The image records the
    /// launch for its `LastLaunchedTime`.
    ///
    /// With `launch_template` (`{launch_template_id | launch_template_name, version}`, version
    /// `$Default` when absent), the version's parameters fill in every member the request
    /// leaves out (explicit parameters override the template's), and each instance is tagged
    /// `aws:ec2launchtemplate:id` and `aws:ec2launchtemplate:version` (EC2 User Guide, "Launch
    /// an instance from a launch template").
    ///
    /// Errors: `InvalidParameterValue` (counts, an unknown instance type, an architecture mismatch,
    /// user data over 16 KiB, a shutdown behaviour, an unknown zone or a subnet outside the
    /// requested zone, a bad tag type); for `launch_template`, `InvalidLaunchTemplateId.NotFound` /
    /// `InvalidLaunchTemplateName.NotFoundException`, `InvalidLaunchTemplateId.VersionNotFound`,
    /// `InvalidParameterCombination` for both its id and name, `MissingParameter` for neither; `InvalidParameterCombination` for a paravirtual image on an HVM-only type; `MissingParameter`
    /// without `image_id`, or for a block device mapping without `device_name` or a new EBS
    /// device without `volume_size`; `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound` /
    /// `InvalidAMIID.Unavailable` for an image that is pending or disabled; `UnsupportedOperation` for an instance-store image on a type
    /// without instance-store roots; `InvalidBlockDeviceMapping`; `InvalidKeyPair.NotFound`;
    /// `InvalidSubnetID.NotFound`; `InvalidGroup.NotFound`; `InstanceLimitExceeded` when fewer than
    /// `min_count` fit the quota; `VolumeLimitExceeded`; `TagLimitExceeded`.
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
        // A launch template's version fills in what the request leaves out.
        let (input, template_tags) = self.apply_launch_template(caller, input)?;
        let image_id = input.image_id.clone().ok_or_else(|| {
            AwsError::missing_parameter("The request must contain the parameter ImageId")
        })?;
        let image = self.visible_image(&caller.region, &caller.account, &image_id)?;
        let metadata_options = MetadataOptions::at_launch(
            image.imds_support.as_deref(),
            input.metadata_options.as_ref(),
        )?;
        let iam_instance_profile = input
            .iam_instance_profile
            .as_ref()
            .map(|p| IamInstanceProfile::named(&caller.account, p))
            .transpose()?;
        if image.state != crate::ec2::images::ImageState::Available {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!(
                    "AMI '{image_id}' is {}, and cannot be run",
                    image.state.as_str()
                ),
            ));
        }
        // A marketplace product launches only for a subscribed account, its owner's included.
        self.check_subscribed(&caller.account, &image.profile.product_codes)?;
        let type_name = input
            .instance_type
            .clone()
            .unwrap_or_else(|| DEFAULT_INSTANCE_TYPE.to_string());
        let itype = instance_type(&type_name).ok_or_else(|| unknown_instance_type(&type_name))?;
        check_compatible(&image_id, &image.profile, itype)?;
        // What instances take from the image; the image itself is not needed past this point.
        let mut devices = plan_devices(
            image,
            &input.block_device_mappings,
            &self.region_ref(&caller.region)?.snapshots,
            &caller.account,
        )?;
        let (profile, guest) = (image.profile.clone(), image.guest.get());
        let boot_failure = self.encrypt_devices(caller, &mut devices);
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
        let mut instance_tags = tags_for(&input.tag_specifications, RUN_TAG_TYPES, "instance")?;
        // AWS's own tags: set directly, as no request may set an `aws:` key.
        for (key, value) in template_tags {
            instance_tags.insert(key, value);
        }
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
        crate::ec2::check_quota(
            region.volumes.values(),
            new_volumes,
            volume_quota,
            |v| v.owner_id == caller.account,
            || crate::ec2::volumes::volume_limit(volume_quota),
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
                        let volume = Volume {
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
                            tags: volume_tags.clone(),
                            attachment: Some(crate::ec2::volumes::Attachment {
                                instance_id: id.clone(),
                                device: device.device_name.clone(),
                                attach_time: now,
                                delete_on_termination: ebs.delete_on_termination,
                            }),
                        };
                        self.meter_volume(&caller.region, &volume, true);
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
            let tags = instance_tags.clone();
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
                metadata_options: metadata_options.clone(),
                iam_instance_profile: iam_instance_profile.clone(),
                monitoring: input.monitoring.as_ref().is_some_and(|m| m.enabled),
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
        // LastLaunchedTime: the image remembers the launch (and reports it a day later).
        if let Some(image) = self.region_mut(&caller.region)?.images.get_mut(&image_id) {
            image.launches.record(now);
        }
        Ok(ReservationShape {
            reservation_id,
            owner_id: caller.account.clone(),
            groups: Vec::new(),
            instances: shapes,
        })
    }

    /// Settles each new volume's encryption — encryption by default encrypts a clear one with
    /// the default key, `encrypted` without a key takes the default key, a key named by id or
    /// alias becomes its ARN — and says whether the instance will die at boot because EBS cannot
    /// use one of the keys for the caller ([`crate::kms::access`]): EC2 accepts the launch, the
    /// instance goes `pending` → `terminated`.
    ///
    /// The state reason is `Client.InternalError` / "Client.InternalError: Client error on
    /// launch" for a customer key the account may not use, or that is disabled, pending deletion
    /// or deleted (AWS Knowledge Center, "Why does my EC2 instance stop immediately with a client
    /// error on launch when it has encrypted volumes?"); for another account's AWS-managed key it
    /// stays `Client.InvalidKMSKey.InvalidState`.
    fn encrypt_devices(
        &self,
        caller: &Caller,
        devices: &mut [PlannedDevice],
    ) -> Option<(String, String)> {
        let by_default = self.ebs_encrypted_by_default(&caller.account, &caller.region);
        let default_key = self.ebs_default_key(&caller.account, &caller.region);
        let snapshots = &self.region(&caller.region)?.snapshots;
        let mut refusal = None;
        for ebs in devices.iter_mut().filter_map(|d| d.ebs.as_mut()) {
            ebs.encrypted |= by_default;
            if ebs.encrypted {
                let key = match ebs.kms_key_id.take() {
                    Some(k) => self
                        .kms
                        .resolve(&caller.account, &caller.region, &k)
                        .unwrap_or(k),
                    None => default_key.clone(),
                };
                ebs.kms_key_id = Some(key);
            }
            let source_key = ebs
                .snapshot_id
                .as_ref()
                .and_then(|id| snapshots.get(id))
                .and_then(|s| s.kms_key_id.as_deref());
            refusal = refusal
                .or(self.ebs_key_refusal(&caller.account, [source_key, ebs.kms_key_id.as_deref()]));
        }
        refusal.map(|r| match r {
            Refusal::OthersManagedKey => (
                "Client.InvalidKMSKey.InvalidState".to_string(),
                "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state"
                    .to_string(),
            ),
            _ => (
                "Client.InternalError".to_string(),
                "Client.InternalError: Client error on launch".to_string(),
            ),
        })
    }

    pub(super) fn new_public_ip(&mut self) -> String {
        format!(
            "{}.{}.{}.{}",
            [3, 18, 34, 44, 52, 54][self.ids.below(6) as usize],
            self.ids.below(256),
            self.ids.below(256),
            1 + self.ids.below(254)
        )
    }

    /// (subnet id, vpc id, zone, subnet index) for a launch.
    pub(super) fn pick_subnet(
        &mut self,
        caller: &Caller,
        input: &RunInstancesInput,
    ) -> AwsResult<(String, String, String, u32)> {
        let region_name = caller.region.clone();
        let info = self.region_ref(&region_name)?.info;
        let placement = input.placement.clone().unwrap_or_default();
        if let Some(zone) = &placement.availability_zone {
            if !info.has_zone(zone) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Invalid availability zone: [{zone}]"
                )));
            }
        }
        // A zone id (`use1-az6`) names the same zone in every account here.
        let zone_of_id = match &placement.availability_zone_id {
            Some(id) => Some(info.zone_of_id(id).ok_or_else(|| {
                AwsError::invalid_parameter_value(format!("Invalid availability zone ID: [{id}]"))
            })?),
            None => None,
        };
        let wanted_zone = match (placement.availability_zone, zone_of_id) {
            (Some(zone), Some(of_id)) if zone != of_id => {
                return Err(AwsError::invalid_parameter_combination(format!(
                    "The availability zone {zone} and the availability zone ID {} name different zones.",
                    placement.availability_zone_id.unwrap_or_default()
                )))
            }
            (zone, of_id) => zone.or(of_id),
        };
        // Drawn only once the request is known to be valid: a refused call leaves the seeded
        // stream where it was.
        let zone_pick = self.ids.below(info.zones.len() as u32);
        let region = self.region_ref(&region_name)?;
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
}

pub(super) const RUN_TAG_TYPES: &[&str] = &[
    "instance",
    "volume",
    "network-interface",
    "spot-instances-request",
    "elastic-gpu",
];

/// A device an instance will get at launch.
pub(super) struct PlannedDevice {
    device_name: String,
    virtual_name: Option<String>,
    ebs: Option<crate::ec2::images::ImageEbs>,
}

/// The image's block device mapping, with the request's overrides and additions applied. A new
/// EBS device is made from a snapshot `account` may restore (in `snapshots`) or is empty, and
/// needs a size or a snapshot (EC2-BEHAVIOUR.md, Snapshots and volumes).
pub(super) fn plan_devices(
    image: &crate::ec2::images::Image,
    requests: &[BlockDeviceMappingRequest],
    snapshots: &std::collections::BTreeMap<String, crate::ec2::volumes::Snapshot>,
    account: &str,
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
                    let size = crate::ec2::volume_size(size)?;
                    if size < current.volume_size {
                        return Err(crate::ec2::smaller_than_snapshot(
                            size,
                            current.snapshot_id.as_deref().unwrap_or("-"),
                            current.volume_size,
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
                let snapshot = match &ebs.snapshot_id {
                    Some(id) => Some(
                        snapshots
                            .get(id)
                            .filter(|s| s.restorable_by(account))
                            .ok_or_else(|| crate::ec2::volumes::snapshot_not_found(id))?,
                    ),
                    None => None,
                };
                let size = match (snapshot, ebs.volume_size) {
                    (Some(s), Some(requested)) => {
                        let size = crate::ec2::volume_size(requested)?;
                        if size < s.volume_size {
                            return Err(crate::ec2::smaller_than_snapshot(size, &s.id, s.volume_size));
                        }
                        size
                    }
                    (Some(s), None) => s.volume_size,
                    (None, Some(requested)) => crate::ec2::volume_size(requested)?,
                    (None, None) => {
                        return Err(AwsError::new(
                            "InvalidBlockDeviceMapping",
                            format!("The block device mapping for '{name}' needs a volume_size or a snapshot_id."),
                        ))
                    }
                };
                devices.push(PlannedDevice {
                    device_name: name,
                    virtual_name: None,
                    ebs: Some(crate::ec2::images::ImageEbs {
                        snapshot_id: ebs.snapshot_id.clone(),
                        volume_size: size,
                        volume_type: ebs.volume_type.clone().unwrap_or_else(|| "gp2".into()),
                        delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
                        encrypted: ebs.encrypted.unwrap_or(false)
                            || snapshot.is_some_and(|s| s.encrypted),
                        kms_key_id: ebs
                            .kms_key_id
                            .clone()
                            .or_else(|| snapshot.and_then(|s| s.kms_key_id.clone())),
                    }),
                });
            }
        }
    }
    Ok(devices)
}

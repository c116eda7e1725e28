//! DescribeImageAttribute, ModifyImageAttribute and ResetImageAttribute: launch permissions, description and the other attributes.

use super::*;

impl Cloud {
    /// EC2 `DescribeImageAttribute`: one attribute of one of the caller's images. Besides the
    /// classic ones: `tpmSupport` and `uefiData` (from RegisterImage), `lastLaunchedTime` (the
    /// latest launch, reported 24 hours after it: "Check when an Amazon EC2 AMI was last used",
    /// EC2 User Guide) and `deregistrationProtection` (EnableImageDeregistrationProtection).
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image or for the deprecated `blockDeviceMapping`; `InvalidParameterValue` for an
    /// unknown attribute.
    pub fn describe_image_attribute(
        &mut self,
        caller: &Caller,
        input: DescribeImageAttributeInput,
    ) -> AwsResult<ImageAttributeOutput> {
        let now = self.now();
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
            "tpmSupport" => out.tpm_support = value(image.firmware.tpm_support.clone()),
            "uefiData" => out.uefi_data = value(image.firmware.uefi_data.clone()),
            "lastLaunchedTime" => {
                out.last_launched_time = value(image.launches.last_reported(now).map(last_launched))
            }
            "imdsSupport" => out.imds_support = value(image.imds_support.clone()),
            "deregistrationProtection" => {
                out.deregistration_protection = value(Some(image.deregistration_protection.describe(now)))
            }
            "blockDeviceMapping" => {
                return Err(AwsError::new(
                    "AuthFailure",
                    "Unauthorized attempt to access restricted resource: the blockDeviceMapping attribute is deprecated; read block_device_mappings from describe_images.",
                ))
            }
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Valid attributes: description, kernel, ramdisk, launchPermission, productCodes, blockDeviceMapping, sriovNetSupport, bootMode, tpmSupport, uefiData, lastLaunchedTime, imdsSupport, deregistrationProtection"
                )))
            }
        }
        Ok(out)
    }

    /// EC2 `ModifyImageAttribute`: adds and removes launch permissions, sets the description, or
    /// sets `imds_support` to `v2.0` (for good: it cannot be undone). Everything is validated
    /// before anything is applied. Answers `{}`.
    ///
    /// Errors: `InvalidAMIID.Malformed` / `InvalidAMIID.NotFound`; `AuthFailure` for another
    /// account's image; `InvalidAMIID.Unavailable` while the image is pending;
    /// `InvalidParameterValue` for an unknown attribute or operation type, or for making public an
    /// image with a product code, or an `imds_support` other than `v2.0`; `UnsupportedOperation`
    /// for making an encrypted image public and `InvalidParameter` for sharing one encrypted with
    /// the AWS-managed key `aws/ebs` (EC2-BEHAVIOUR.md); `MissingParameter` when nothing to change is
    /// given; `InvalidAMIAttributeItemValue` for a group other than `all` or a user id that is not
    /// 12 digits; `OperationNotPermitted` for new public sharing while the account's block public
    /// access for AMIs is on; `InvalidAMIID.Unavailable` for adding a launch permission to a
    /// disabled image ("a disabled AMI can't be shared", EC2 User Guide, "Disable an AMI"; the
    /// code is amilab's, as for a pending image).
    pub fn modify_image_attribute(
        &mut self,
        caller: &Caller,
        input: ModifyImageAttributeInput,
    ) -> AwsResult<Empty> {
        let blocked = self
            .image_public_access_blocked
            .contains(&(caller.account.clone(), caller.region.clone()));
        let image = self.owned_image_mut(caller, &input.image_id)?.clone();
        if image.state == ImageState::Pending {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!("AMI '{}' is pending, and cannot be modified", image.id),
            ));
        }
        // Everything the request changes is decided and checked first; the image changes only
        // when all of it is valid.
        let mut updated = image.clone();
        let mut permissions = false;
        match input.attribute.as_deref() {
            Some("launchPermission") => permissions = true,
            Some("description") => {
                updated.description = input
                    .value
                    .clone()
                    .or(input.description.as_ref().and_then(|d| d.value.clone()));
            }
            Some("imdsSupport") => {
                let value = input
                    .value
                    .as_deref()
                    .or(input.imds_support.as_ref().and_then(|v| v.value.as_deref()));
                updated.imds_support = Some(imds_support(value)?);
            }
            Some(other) => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Modifiable attributes: launchPermission, description, imdsSupport"
                )))
            }
            None => {
                if let Some(d) = &input.description {
                    updated.description = d.value.clone();
                }
                if let Some(v) = &input.imds_support {
                    updated.imds_support = Some(imds_support(v.value.as_deref())?);
                }
                permissions = input.launch_permission.is_some();
                if input.description.is_none() && input.imds_support.is_none() && !permissions {
                    return Err(AwsError::missing_parameter(
                        "The request must contain the parameter attribute, launch_permission, description or imds_support.",
                    ));
                }
            }
        }
        if permissions {
            let changes = input.launch_permission_changes()?;
            self.check_launch_permission_changes(&image, &changes, blocked)?;
            let perms = &mut updated.launch_permissions;
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
        }
        *self.owned_image_mut(caller, &input.image_id)? = updated;
        Ok(Empty {})
    }

    /// Checks launch permission changes against the image and the account's settings
    /// (EC2-BEHAVIOUR.md, Launch permissions): every item first, then what sharing the image
    /// with others or with everyone allows.
    fn check_launch_permission_changes(
        &self,
        image: &Image,
        changes: &LaunchPermissionModifications,
        blocked: bool,
    ) -> AwsResult<()> {
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
        if image.state == ImageState::Disabled && !changes.add.is_empty() {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!(
                    "AMI '{}' is disabled, and cannot be shared. Re-enable it with enable_image first.",
                    image.id
                ),
            ));
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
                return Err(crate::ec2::encrypted_public_refused());
            }
            if blocked {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    "Block public access for AMIs is enabled for this account in this Region: new public sharing is refused. Disable it with disable_image_block_public_access first.",
                ));
            }
        }
        let shares = changes.add.iter().any(|i| {
            i.user_id.is_some()
                || i.organization_arn.is_some()
                || i.organizational_unit_arn.is_some()
        });
        let aws_managed = image.mappings.iter().any(|m| {
            m.ebs
                .as_ref()
                .and_then(|e| e.kms_key_id.as_deref())
                .is_some_and(|key| self.kms.is_aws_managed(key))
        });
        if shares && aws_managed {
            // The share itself is refused (EC2-BEHAVIOUR.md, corrected).
            return Err(crate::ec2::aws_managed_share_refused());
        }
        Ok(())
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
}

pub(super) fn launch_permission_list(p: &LaunchPermissions) -> Vec<LaunchPermission> {
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

/// An `ImdsSupport` value: only `v2.0` exists, and once set it cannot be unset (EC2 API
/// reference, ModifyImageAttribute and RegisterImage).
pub(super) fn imds_support(value: Option<&str>) -> AwsResult<String> {
    match value {
        Some("v2.0") => Ok("v2.0".into()),
        other => Err(AwsError::invalid_parameter_value(format!(
            "Value ({}) for parameter imdsSupport is invalid. The only valid value is v2.0, and it cannot be undone.",
            other.unwrap_or("")
        ))),
    }
}

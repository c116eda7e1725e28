//! DescribeImageAttribute, ModifyImageAttribute and ResetImageAttribute: launch permissions, description and the other attributes.

use super::*;

impl Cloud {
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

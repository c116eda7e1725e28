//! Snapshot sharing: `createVolumePermission` through ModifySnapshotAttribute,
//! DescribeSnapshotAttribute and ResetSnapshotAttribute, and who may restore a snapshot.
//!
//! Rules (EC2-BEHAVIOUR.md, Snapshots and volumes; the EC2 API reference for the three
//! operations): permissions are account ids or the group `all`; an encrypted snapshot cannot be
//! public; one encrypted with the AWS-managed key `aws/ebs` cannot be shared at all. A snapshot
//! shared with an account may be described, copied and turned into volumes by it; copying an
//! image owned by someone else needs that permission on each of its snapshots.

use serde::{Deserialize, Serialize};

use super::volumes::{check_snapshot_id, snapshot_not_found, CreateVolumePermissions, Snapshot};
use super::Empty;
use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{is_account_id, Caller, Cloud};

/// One `createVolumePermission` item: `{user_id}` or `{group: "all"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVolumePermission {
    /// `all`: anyone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// A 12-digit account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// `create_volume_permission: #{add: [...], remove: [...]}` in ModifySnapshotAttribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVolumePermissionModifications {
    /// Permissions to add.
    #[serde(default)]
    pub add: Vec<CreateVolumePermission>,
    /// Permissions to remove.
    #[serde(default)]
    pub remove: Vec<CreateVolumePermission>,
}

request! {
    /// Input of EC2 `ModifySnapshotAttribute`: share or unshare a snapshot, with
    /// `create_volume_permission: #{add, remove}` or `attribute: "createVolumePermission"` with
    /// `operation_type` and `user_ids` / `group_names`.
    pub struct ModifySnapshotAttributeInput {
        /// `createVolumePermission` (`productCodes` cannot be modified).
        pub attribute: Option<String>,
        /// Permissions to add and remove.
        pub create_volume_permission: Option<CreateVolumePermissionModifications>,
        /// Groups for the flat form; the only group is `all`.
        #[serde(default)]
        pub group_names: Vec<String>,
        /// `add` or `remove`, for the flat form.
        pub operation_type: Option<String>,
        /// The snapshot: the caller's own.
        pub snapshot_id: String,
        /// Accounts for the flat form.
        #[serde(default)]
        pub user_ids: Vec<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeSnapshotAttribute` and `ResetSnapshotAttribute`.
    pub struct SnapshotAttributeInput {
        /// `createVolumePermission` or `productCodes`.
        pub attribute: String,
        /// The snapshot: the caller's own.
        pub snapshot_id: String,
        ..dry_run,
    }
}

/// EC2 `DescribeSnapshotAttribute`'s answer: the snapshot id and the one attribute asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SnapshotAttributeOutput {
    /// Always empty, for `productCodes`: snapshots here carry no product codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_codes: Option<Vec<serde_json::Value>>,
    /// The snapshot id.
    pub snapshot_id: String,
    /// `[{user_id} | {group: "all"}]`, for `createVolumePermission`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_volume_permissions: Option<Vec<CreateVolumePermission>>,
}

impl CreateVolumePermissions {
    fn list(&self) -> Vec<CreateVolumePermission> {
        let mut out: Vec<CreateVolumePermission> = self
            .user_ids
            .iter()
            .map(|u| CreateVolumePermission {
                user_id: Some(u.clone()),
                group: None,
            })
            .collect();
        if self.public {
            out.push(CreateVolumePermission {
                group: Some("all".into()),
                user_id: None,
            });
        }
        out
    }
}

fn check_snapshot_attribute(attribute: &str) -> AwsResult<()> {
    if ["createVolumePermission", "productCodes"].contains(&attribute) {
        Ok(())
    } else {
        Err(AwsError::invalid_parameter_value(format!(
            "Value ({attribute}) for parameter attribute is invalid. Valid attributes: createVolumePermission, productCodes"
        )))
    }
}

impl ModifySnapshotAttributeInput {
    /// The request's changes, from either form (`create_volume_permission: #{add, remove}`, or
    /// `operation_type` with `user_ids` / `group_names`): how graders read what a call did.
    ///
    /// Errors: `InvalidParameterValue` for an attribute other than `createVolumePermission` or
    /// an operation type other than `add` / `remove`; `MissingParameter` without an operation
    /// type for the flat form, or when nothing is to change.
    pub fn create_volume_permission_changes(
        &self,
    ) -> AwsResult<CreateVolumePermissionModifications> {
        if let Some(attribute) = &self.attribute {
            if attribute != "createVolumePermission" {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified."
                )));
            }
        }
        let mut changes = self.create_volume_permission.clone().unwrap_or_default();
        if !self.user_ids.is_empty() || !self.group_names.is_empty() {
            let items = self
                .user_ids
                .iter()
                .map(|u| CreateVolumePermission {
                    user_id: Some(u.clone()),
                    group: None,
                })
                .chain(self.group_names.iter().map(|g| CreateVolumePermission {
                    group: Some(g.clone()),
                    user_id: None,
                }));
            match self.operation_type.as_deref() {
                Some("add") => changes.add.extend(items),
                Some("remove") => changes.remove.extend(items),
                Some(other) => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Value ({other}) for parameter operationType is invalid. Valid values: add, remove"
                    )))
                }
                None => {
                    return Err(AwsError::missing_parameter(
                        "The request must contain the parameter operationType",
                    ))
                }
            }
        }
        if changes.add.is_empty() && changes.remove.is_empty() {
            return Err(AwsError::missing_parameter(
                "The request must contain the parameter createVolumePermission, userIds or groupNames",
            ));
        }
        Ok(changes)
    }
}

impl Cloud {
    /// One of the caller's own snapshots in its region; another account's (shared or not) is
    /// not found, as EC2 answers for attributes of snapshots one does not own.
    fn own_snapshot(&self, caller: &Caller, id: &str) -> AwsResult<&Snapshot> {
        check_snapshot_id(id)?;
        self.region_ref(&caller.region)?
            .snapshots
            .get(id)
            .filter(|s| s.owner_id == caller.account)
            .ok_or_else(|| snapshot_not_found(id))
    }

    /// EC2 `ModifySnapshotAttribute`: adds and removes `createVolumePermission`s (account ids
    /// and the group `all`). Every item is checked before any is applied. Answers `{}`.
    ///
    /// Errors: `InvalidSnapshotID.Malformed` / `InvalidSnapshot.NotFound` (not the caller's);
    /// `InvalidParameterValue` for an attribute other than `createVolumePermission`, an
    /// operation type other than `add` / `remove`, a group other than `all` or a user id that is
    /// not 12 digits; `MissingParameter` when nothing is to change; `UnsupportedOperation` for
    /// making an encrypted snapshot public; `InvalidParameter` for sharing one encrypted with
    /// the AWS-managed key `aws/ebs` (EC2-BEHAVIOUR.md).
    pub fn modify_snapshot_attribute(
        &mut self,
        caller: &Caller,
        input: ModifySnapshotAttributeInput,
    ) -> AwsResult<Empty> {
        let snapshot = self.own_snapshot(caller, &input.snapshot_id)?;
        let changes = input.create_volume_permission_changes()?;
        for item in changes.add.iter().chain(&changes.remove) {
            match (&item.group, &item.user_id) {
                (Some(g), _) if g != "all" => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Invalid attribute item value \"{g}\" for group item type."
                    )))
                }
                (_, Some(u)) if !is_account_id(u) => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Invalid attribute item value \"{u}\" for userId item type."
                    )))
                }
                _ => {}
            }
        }
        let makes_public = changes.add.iter().any(|i| i.group.is_some());
        if makes_public && snapshot.encrypted {
            return Err(crate::ec2::encrypted_public_refused());
        }
        let shares = changes.add.iter().any(|i| i.user_id.is_some());
        let aws_managed = snapshot
            .kms_key_id
            .as_deref()
            .is_some_and(|key| self.kms.is_aws_managed(key));
        if shares && aws_managed {
            return Err(crate::ec2::aws_managed_share_refused());
        }
        let mut permissions = snapshot.create_volume_permissions.clone();
        for item in &changes.add {
            if item.group.is_some() {
                permissions.public = true;
            }
            if let Some(u) = &item.user_id {
                permissions.user_ids.insert(u.clone());
            }
        }
        for item in &changes.remove {
            if item.group.is_some() {
                permissions.public = false;
            }
            if let Some(u) = &item.user_id {
                permissions.user_ids.remove(u);
            }
        }
        let region = self.region_mut(&caller.region)?;
        if let Some(s) = region.snapshots.get_mut(&input.snapshot_id) {
            s.create_volume_permissions = permissions;
        }
        Ok(Empty {})
    }

    /// EC2 `DescribeSnapshotAttribute`: a snapshot's `createVolumePermission` list or its
    /// (always empty) `productCodes`.
    ///
    /// Errors: `InvalidSnapshotID.Malformed` / `InvalidSnapshot.NotFound` (not the caller's);
    /// `InvalidParameterValue` for another attribute.
    pub fn describe_snapshot_attribute(
        &mut self,
        caller: &Caller,
        input: SnapshotAttributeInput,
    ) -> AwsResult<SnapshotAttributeOutput> {
        let snapshot = self.own_snapshot(caller, &input.snapshot_id)?;
        check_snapshot_attribute(&input.attribute)?;
        let mut out = SnapshotAttributeOutput {
            snapshot_id: snapshot.id.clone(),
            ..Default::default()
        };
        if input.attribute == "createVolumePermission" {
            out.create_volume_permissions = Some(snapshot.create_volume_permissions.list());
        } else {
            out.product_codes = Some(Vec::new());
        }
        Ok(out)
    }

    /// EC2 `ResetSnapshotAttribute`: removes every `createVolumePermission` (the snapshot becomes
    /// private). Answers `{}`.
    ///
    /// Errors: `InvalidSnapshotID.Malformed` / `InvalidSnapshot.NotFound` (not the caller's);
    /// `InvalidParameterValue` for an attribute other than `createVolumePermission`.
    pub fn reset_snapshot_attribute(
        &mut self,
        caller: &Caller,
        input: SnapshotAttributeInput,
    ) -> AwsResult<Empty> {
        self.own_snapshot(caller, &input.snapshot_id)?;
        if input.attribute != "createVolumePermission" {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({}) for parameter attribute is invalid. Only createVolumePermission can be reset.",
                input.attribute
            )));
        }
        let region = self.region_mut(&caller.region)?;
        if let Some(s) = region.snapshots.get_mut(&input.snapshot_id) {
            s.create_volume_permissions = CreateVolumePermissions::default();
        }
        Ok(Empty {})
    }
}

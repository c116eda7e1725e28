//! What checks judge besides the final state, computed once per graded run without Rhai: an
//! image's lineage (copies, and images of instances launched from it), and the history of launch permissions taken from the calls
//! that actually changed them (successful, not dry runs) — never from strings in the trail.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use amilab_cloud::ec2::images::{Image, LaunchPermission, ModifyImageAttributeInput};
use amilab_cloud::ec2::snapshot_permissions::ModifySnapshotAttributeInput;
use amilab_cloud::trail::TrailEvent;
use amilab_cloud::Cloud;

/// Was this call a dry run (`dry_run: true`; `dry_run: false` is a real call)?
pub fn is_dry_run(event: &TrailEvent) -> bool {
    event.parameters.get("dry_run") == Some(&Value::Bool(true))
}

/// Did this call change anything? It succeeded and was not a dry run (a dry run that would
/// succeed fails with `DryRunOperation`).
pub fn took_effect(event: &TrailEvent) -> bool {
    event.error_code.is_none() && !is_dry_run(event)
}

/// What a launch-permission change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Remove,
    /// `ResetImageAttribute` of `launchPermission`, or `DisableImage` (which removes every launch
    /// permission): the image is private again, shared with no one.
    Reset,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Remove => "remove",
            Action::Reset => "reset",
        }
    }
}

/// One entry a successful `ModifyImageAttribute` (or `ResetImageAttribute`, or `DisableImage`)
/// applied to an image's launch permissions. Exactly one of `group`, `user_id`,
/// `organization_arn`, `organizational_unit_arn` is set, except for [`Action::Reset`], which
/// names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionChange {
    /// The call's place in the trail.
    pub seq: u64,
    /// Simulated time of the call, ISO-8601.
    pub time: String,
    /// The caller (the image's owner: only the owner can change permissions).
    pub account: String,
    pub region: String,
    pub image_id: String,
    pub action: Action,
    /// `all` makes an image public.
    pub group: Option<String>,
    pub user_id: Option<String>,
    pub organization_arn: Option<String>,
    pub organizational_unit_arn: Option<String>,
}

/// The launch-permission changes that took effect, in call order. Both request forms count:
/// `launch_permission: #{add: [..], remove: [..]}` and `operation_type` with `user_ids` /
/// `user_groups` / `organization_arns` / `organizational_unit_arns` (ModifyImageAttribute in
/// the EC2 API reference).
pub fn permission_changes(trail: &[TrailEvent]) -> Vec<PermissionChange> {
    let mut out = Vec::new();
    for e in trail.iter().filter(|e| took_effect(e)) {
        let change = |image_id: &str, action: Action, p: LaunchPermission| PermissionChange {
            seq: e.seq,
            time: e.time.clone(),
            account: e.account.clone(),
            region: e.region.clone(),
            image_id: image_id.to_string(),
            action,
            group: p.group,
            user_id: p.user_id,
            organization_arn: p.organization_arn,
            organizational_unit_arn: p.organizational_unit_arn,
        };
        match e.operation.as_str() {
            "ModifyImageAttribute" => {
                // The cloud's own reading of the request, so both forms count the same way.
                let Some((id, m)) =
                    serde_json::from_value::<ModifyImageAttributeInput>(e.parameters.clone())
                        .ok()
                        .and_then(|i| {
                            Some((i.image_id.clone(), i.launch_permission_changes().ok()?))
                        })
                else {
                    continue;
                };
                out.extend(m.add.into_iter().map(|p| change(&id, Action::Add, p)));
                out.extend(m.remove.into_iter().map(|p| change(&id, Action::Remove, p)));
            }
            "DisableImage" => {
                if let Some(id) = e.parameters.get("image_id").and_then(Value::as_str) {
                    out.push(change(id, Action::Reset, LaunchPermission::default()));
                }
            }
            "ResetImageAttribute" => {
                let attribute = e.parameters.get("attribute").and_then(Value::as_str);
                let image = e.parameters.get("image_id").and_then(Value::as_str);
                if let (Some("launchPermission"), Some(id)) = (attribute, image) {
                    out.push(change(id, Action::Reset, LaunchPermission::default()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Who could ever launch an image, by the changes that took effect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionHistory {
    /// The group `all` was added at some point, however briefly.
    pub ever_public: bool,
    /// Every account id, organization ARN and organizational-unit ARN ever added.
    pub ever_shared_with: BTreeSet<String>,
}

/// [`PermissionHistory`] by image id.
pub fn histories(changes: &[PermissionChange]) -> BTreeMap<String, PermissionHistory> {
    let mut out: BTreeMap<String, PermissionHistory> = BTreeMap::new();
    for c in changes.iter().filter(|c| c.action == Action::Add) {
        let h = out.entry(c.image_id.clone()).or_default();
        if c.group.as_deref() == Some("all") {
            h.ever_public = true;
        }
        for p in [&c.user_id, &c.organization_arn, &c.organizational_unit_arn]
            .into_iter()
            .flatten()
        {
            h.ever_shared_with.insert(p.clone());
        }
    }
    out
}

/// Who could ever create volumes from each snapshot (and so read the disk of an image built on
/// it), by snapshot id, from the `createVolumePermission` changes that took effect
/// (ModifySnapshotAttribute, both request forms). A reset only removes: what was granted stays
/// in the history.
pub fn snapshot_histories(trail: &[TrailEvent]) -> BTreeMap<String, PermissionHistory> {
    let mut out: BTreeMap<String, PermissionHistory> = BTreeMap::new();
    for e in trail.iter().filter(|e| took_effect(e)) {
        if e.operation != "ModifySnapshotAttribute" {
            continue;
        }
        let Some((id, changes)) =
            serde_json::from_value::<ModifySnapshotAttributeInput>(e.parameters.clone())
                .ok()
                .and_then(|i| {
                    Some((
                        i.snapshot_id.clone(),
                        i.create_volume_permission_changes().ok()?,
                    ))
                })
        else {
            continue;
        };
        let h = out.entry(id).or_default();
        for p in changes.add {
            if p.group.as_deref() == Some("all") {
                h.ever_public = true;
            }
            if let Some(u) = p.user_id {
                h.ever_shared_with.insert(u);
            }
        }
    }
    out
}

/// Every snapshot holding a copy of another's data, by that other snapshot's id: its copies
/// (CopySnapshot, CopyImage), snapshots of volumes made from it (CreateSnapshot, CreateImage of
/// an instance launched from an image), and theirs, in any account and region. An image's disk
/// is given away by any of them, not only by the snapshots the image names.
pub fn snapshot_descendants(cloud: &Cloud) -> BTreeMap<String, BTreeSet<String>> {
    // Deleted snapshots stay in the lineage: a copy of a deleted copy is still a copy.
    let sources = cloud.snapshot_sources();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, source) in sources {
        let mut at = Some(source);
        // Each step goes to an older snapshot, so the chain ends; the bound guards anyway.
        for _ in 0..=sources.len() {
            let Some(ancestor) = at else { break };
            if !out.entry(ancestor.clone()).or_default().insert(id.clone()) {
                break;
            }
            at = sources.get(ancestor);
        }
    }
    out
}

/// The snapshot `id` in whichever region holds it.
pub fn find_snapshot<'c>(cloud: &'c Cloud, id: &str) -> Option<&'c amilab_cloud::ec2::Snapshot> {
    cloud
        .region_names()
        .find_map(|r| cloud.region(r).and_then(|r| r.snapshot(id)))
}

/// The images an image came from, nearest first: the image it was copied from
/// (`source_image_id`, CopyImage) or, for an image made with CreateImage, the image its
/// instance was launched from; then that image's origin, and so on (a copy of a copy, or an
/// image of a clone of a copy, chains back to the original). The chain stops at an image or an
/// instance that is not in the cloud any more, or at an image with no origin.
pub fn lineage(cloud: &Cloud, image_id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut at = find_image(cloud, image_id, None);
    while let Some(image) = at {
        let (source, region) = match (&image.source_image_id, &image.source_instance_id) {
            (Some(s), _) => (s.clone(), image.source_image_region.clone()),
            (None, Some(instance)) => match find_instance_image(cloud, instance) {
                Some(s) => (s, None),
                None => break,
            },
            (None, None) => break,
        };
        if source == image_id || out.contains(&source) {
            break; // a cycle cannot happen in EC2; never loop if it somehow did
        }
        at = find_image(cloud, &source, region.as_deref());
        out.push(source);
    }
    out
}

/// The image an instance was launched from, if the instance is still in the cloud.
fn find_instance_image(cloud: &Cloud, instance_id: &str) -> Option<String> {
    cloud.region_names().find_map(|r| {
        cloud
            .region(r)
            .and_then(|r| r.instance(instance_id))
            .map(|i| i.image_id.clone())
    })
}

/// The image `id`, looked up in `region` first when it is known, else in every region.
pub fn find_image<'c>(cloud: &'c Cloud, id: &str, region: Option<&str>) -> Option<&'c Image> {
    if let Some(r) = region {
        if let Some(image) = cloud.region(r).and_then(|r| r.image(id)) {
            return Some(image);
        }
    }
    cloud
        .region_names()
        .find_map(|r| cloud.region(r).and_then(|r| r.image(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(seq: u64, operation: &str, parameters: Value, error: Option<&str>) -> TrailEvent {
        TrailEvent {
            seq,
            time: format!("2025-01-01T00:00:{seq:02}Z"),
            account: "123456789012".into(),
            region: "us-east-1".into(),
            service: "ec2".into(),
            operation: operation.into(),
            parameters,
            error_code: error.map(str::to_string),
            user_agent: None,
        }
    }

    #[test]
    fn only_changes_that_took_effect_count() {
        let trail = vec![
            // A dry run of making it public: refused with DryRunOperation, changes nothing.
            event(
                1,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "launch_permission": {"add": [{"group": "all"}]}, "dry_run": true}),
                Some("DryRunOperation"),
            ),
            // A defensive remove of the all group and a description "all" are not "public".
            event(
                2,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "launch_permission": {"remove": [{"group": "all"}]}}),
                None,
            ),
            event(
                3,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "description": {"value": "all"}}),
                None,
            ),
            event(
                4,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "attribute": "launchPermission", "operation_type": "add", "user_ids": ["444455556666"]}),
                None,
            ),
            // A failed call (the image does not exist) adds nothing.
            event(
                5,
                "ModifyImageAttribute",
                json!({"image_id": "ami-2", "launch_permission": {"add": [{"user_id": "777788889999"}]}}),
                Some("InvalidAMIID.NotFound"),
            ),
        ];
        let changes = permission_changes(&trail);
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.seq, c.action, c.group.clone(), c.user_id.clone()))
                .collect::<Vec<_>>(),
            vec![
                (2, Action::Remove, Some("all".to_string()), None),
                (4, Action::Add, None, Some("444455556666".to_string())),
            ]
        );
        let h = histories(&changes);
        assert!(!h["ami-1"].ever_public);
        assert_eq!(
            h["ami-1"].ever_shared_with.iter().collect::<Vec<_>>(),
            ["444455556666"]
        );
        assert!(!h.contains_key("ami-2"));
    }

    #[test]
    fn public_for_a_moment_stays_in_the_history() {
        let trail = vec![
            event(
                1,
                "ModifyImageAttribute",
                // The flat form (EC2 refuses it without `attribute`, so a successful call has it).
                json!({"image_id": "ami-1", "attribute": "launchPermission", "operation_type": "add", "user_groups": ["all"]}),
                None,
            ),
            event(
                2,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "launch_permission": {"remove": [{"group": "all"}]}}),
                None,
            ),
            event(
                3,
                "ResetImageAttribute",
                json!({"image_id": "ami-1", "attribute": "launchPermission"}),
                None,
            ),
            event(
                4,
                "ModifyImageAttribute",
                json!({"image_id": "ami-1", "launch_permission": {"add": [{"user_id": "444455556666"}]}, "dry_run": false}),
                None,
            ),
            event(5, "DisableImage", json!({"image_id": "ami-1"}), None),
        ];
        let changes = permission_changes(&trail);
        assert_eq!(
            changes.iter().map(|c| c.action).collect::<Vec<_>>(),
            [
                Action::Add,
                Action::Remove,
                Action::Reset,
                Action::Add,
                Action::Reset
            ]
        );
        let h = histories(&changes);
        assert!(h["ami-1"].ever_public);
        assert!(h["ami-1"].ever_shared_with.contains("444455556666"));
    }
}

//! The AMI lineage of a cloud as plain data: per region the images, snapshots and instances a
//! learner should see, and the edges between them (create_image, snapshot, copy, launched).

use std::collections::{BTreeMap, BTreeSet};

use amilab_cloud::catalog::Virtualization;
use amilab_cloud::ec2::images::{ImageGuest, ImageState};
use amilab_cloud::ec2::{Image, RegionState};
use amilab_cloud::Cloud;

/// Everything the pictures draw, in a fixed order: regions by name, nodes by id, edges by
/// (from, to, kind).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lineage {
    /// The regions that hold at least one node, sorted by name.
    pub regions: Vec<RegionLineage>,
    /// Every edge, sorted by (from, to, kind); both ends are nodes of [`Lineage::regions`].
    pub edges: Vec<Edge>,
}

/// One region's nodes, each list sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionLineage {
    /// The region's name (`us-east-1`).
    pub name: String,
    /// Its images.
    pub images: Vec<ImageNode>,
    /// Its snapshots.
    pub snapshots: Vec<SnapshotNode>,
    /// Its instances.
    pub instances: Vec<InstanceNode>,
    /// Its launch templates.
    pub launch_templates: Vec<TemplateNode>,
    /// Its Auto Scaling groups.
    pub groups: Vec<GroupNode>,
}

/// Who besides the owner may launch an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Only the owner.
    Private,
    /// These accounts, organizations or organizational units (sorted).
    Shared(Vec<String>),
    /// Every account (`{group: "all"}`).
    Public,
}

impl Access {
    /// `private`, `shared with 111122223333, …` or `public`.
    pub fn describe(&self) -> String {
        match self {
            Access::Private => "private".to_string(),
            Access::Shared(with) => format!("shared with {}", with.join(", ")),
            Access::Public => "public".to_string(),
        }
    }
}

/// An AMI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageNode {
    /// `ami-…`.
    pub id: String,
    /// The AMI name.
    pub name: String,
    /// `pending`, `available`, `deregistered`, ….
    pub state: String,
    /// `x86_64`, `arm64`, `i386`.
    pub architecture: String,
    /// `hvm` or `paravirtual`.
    pub virtualization: String,
    /// `ebs` or `instance-store`.
    pub root_device: String,
    /// Whether any of its EBS snapshots is encrypted.
    pub encrypted: bool,
    /// Who may launch it.
    pub access: Access,
    /// Whether its deprecation time has come.
    pub deprecated: bool,
    /// The owning account when it is not the learner's (a teammate's, `amazon`'s).
    pub owner: Option<String>,
    /// One of the public catalogue's images (Amazon Linux, Ubuntu, …), public by design.
    pub catalogue: bool,
}

impl ImageNode {
    /// Deregistered: drawn only because something still points at it.
    pub fn is_deregistered(&self) -> bool {
        self.state == ImageState::Deregistered.as_str()
    }
}

/// An EBS snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotNode {
    /// `snap-…`.
    pub id: String,
    /// `pending`, `completed`, ….
    pub state: String,
    /// Size of the volume it was taken from, GiB.
    pub size_gib: u32,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// No registered image uses it: it still costs money and nothing launches from it.
    pub orphaned: bool,
}

/// An EC2 instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceNode {
    /// `i-…`.
    pub id: String,
    /// `pending`, `running`, `stopped`, `terminated`, ….
    pub state: String,
    /// `t3.micro`.
    pub instance_type: String,
    /// Its `Name` tag, if any.
    pub name: Option<String>,
    /// The AMI it was launched from.
    pub image_id: String,
    /// The Auto Scaling group it belongs to, if any.
    pub group: Option<String>,
}

/// A launch template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateNode {
    /// `lt-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The version launches use unless told otherwise.
    pub default_version: u64,
    /// Its newest version.
    pub latest_version: u64,
}

/// An Auto Scaling group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNode {
    /// A node id for it, `asg-` and the group's unique id (names are unique only per account).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its desired capacity.
    pub desired: i64,
    /// Its minimum size.
    pub min: i64,
    /// Its maximum size.
    pub max: i64,
    /// Members in service now.
    pub in_service: usize,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Instance → the image CreateImage made from it.
    CreateImage,
    /// Image → a snapshot of its block device mapping.
    Snapshot,
    /// Image → the image CopyImage made of it (usually in another region).
    Copy,
    /// Image → an instance launched from it.
    Launched,
    /// Image → a launch template one of whose versions launches it.
    Template,
    /// Launch template → an Auto Scaling group that launches from it.
    Group,
}

impl EdgeKind {
    /// The edge's label: the API call or relation it stands for.
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::CreateImage => "create_image",
            EdgeKind::Snapshot => "snapshot",
            EdgeKind::Copy => "copy",
            EdgeKind::Launched => "launched",
            EdgeKind::Template => "template",
            EdgeKind::Group => "group",
        }
    }
}

/// A directed edge between two node ids.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The source node's id.
    pub from: String,
    /// The target node's id.
    pub to: String,
    /// What it means.
    pub kind: EdgeKind,
}

impl Lineage {
    /// The lineage of `cloud` as its learner should see it: every image, snapshot, instance,
    /// launch template and Auto Scaling group of the world's accounts; a public catalogue image
    /// only when an instance was launched from it, a launch template names it or an image was
    /// copied from it; a deregistered image only when something still points at it (an
    /// instance, a launch template, a copy, or a snapshot it leaves behind).
    pub fn of(cloud: &Cloud) -> Lineage {
        let now = cloud.now();
        let regions: Vec<&RegionState> = cloud
            .region_names()
            .filter_map(|n| cloud.region(n))
            .collect();
        let kept = kept_images(&regions);
        let mut lineage = Lineage::default();
        for region in &regions {
            let mut out = RegionLineage {
                name: region.name().to_string(),
                ..RegionLineage::default()
            };
            // Snapshots used by a registered image (of any owner) are not orphans.
            let in_use: BTreeSet<&str> = region
                .images()
                .filter(|i| i.state != ImageState::Deregistered)
                .flat_map(snapshot_ids)
                .collect();
            let snapshots: BTreeSet<&str> = region.snapshots().map(|s| s.id.as_str()).collect();
            for image in region.images().filter(|i| kept.contains(i.id.as_str())) {
                out.images.push(image_node(image, cloud.account(), now));
                for snap in snapshot_ids(image).filter(|s| snapshots.contains(s)) {
                    lineage
                        .edges
                        .push(edge(&image.id, snap, EdgeKind::Snapshot));
                }
                if let Some(source) = &image.source_image_id {
                    if kept.contains(source.as_str()) {
                        lineage.edges.push(edge(source, &image.id, EdgeKind::Copy));
                    }
                }
                if let Some(instance) = &image.source_instance_id {
                    if region.instance(instance).is_some() {
                        lineage
                            .edges
                            .push(edge(instance, &image.id, EdgeKind::CreateImage));
                    }
                }
            }
            for snap in region.snapshots() {
                out.snapshots.push(SnapshotNode {
                    id: snap.id.clone(),
                    state: snap.state.as_str().to_string(),
                    size_gib: snap.volume_size,
                    encrypted: snap.encrypted,
                    orphaned: !in_use.contains(snap.id.as_str()),
                });
            }
            let groups: Vec<&amilab_cloud::autoscaling::Group> = cloud
                .auto_scaling_groups()
                .filter(|g| g.region == region.name())
                .collect();
            for template in region.launch_templates() {
                let images: BTreeSet<&str> = template
                    .versions
                    .values()
                    .filter_map(|v| v.data.image_id.as_deref())
                    .filter(|id| kept.contains(id))
                    .collect();
                for image in images {
                    lineage
                        .edges
                        .push(edge(image, &template.id, EdgeKind::Template));
                }
                out.launch_templates.push(TemplateNode {
                    id: template.id.clone(),
                    name: template.name.clone(),
                    default_version: template.default_version,
                    latest_version: template.latest_version(),
                });
            }
            let mut member_of: BTreeMap<&str, &str> = BTreeMap::new();
            for group in &groups {
                let id = group_node_id(group);
                let spec = &group.launch_template;
                let template = region.launch_templates().find(|t| {
                    t.owner_id == group.account
                        && (spec.launch_template_id.as_deref() == Some(t.id.as_str())
                            || spec.launch_template_name.as_deref() == Some(t.name.as_str()))
                });
                if let Some(template) = template {
                    lineage.edges.push(edge(&template.id, &id, EdgeKind::Group));
                }
                member_of.extend(
                    group
                        .members
                        .iter()
                        .map(|m| (m.instance_id.as_str(), group.name.as_str())),
                );
                out.groups.push(GroupNode {
                    id,
                    name: group.name.clone(),
                    desired: group.desired_capacity,
                    min: group.min_size,
                    max: group.max_size,
                    in_service: group.in_service(),
                });
            }
            out.groups.sort_by(|a, b| a.id.cmp(&b.id));
            for instance in region.instances() {
                if kept.contains(instance.image_id.as_str()) {
                    lineage
                        .edges
                        .push(edge(&instance.image_id, &instance.id, EdgeKind::Launched));
                }
                out.instances.push(InstanceNode {
                    id: instance.id.clone(),
                    state: instance.state.as_str().to_string(),
                    instance_type: instance.instance_type.clone(),
                    name: instance.tags.get("Name").map(str::to_string),
                    image_id: instance.image_id.clone(),
                    group: member_of.get(instance.id.as_str()).map(|g| g.to_string()),
                });
            }
            if !(out.images.is_empty()
                && out.snapshots.is_empty()
                && out.instances.is_empty()
                && out.launch_templates.is_empty()
                && out.groups.is_empty())
            {
                lineage.regions.push(out);
            }
        }
        lineage.edges.sort();
        lineage.edges.dedup();
        lineage
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Every image, with its region's name, in region then id order.
    pub fn images(&self) -> impl Iterator<Item = (&str, &ImageNode)> {
        self.regions
            .iter()
            .flat_map(|r| r.images.iter().map(move |i| (r.name.as_str(), i)))
    }
}

/// `asg-` and the uuid of the group's ARN (unique per group, names are not), or the whole ARN
/// made safe if it has no uuid.
fn group_node_id(group: &amilab_cloud::autoscaling::Group) -> String {
    let uuid = group.arn.split(':').nth(6).filter(|u| !u.is_empty());
    format!("asg-{}", uuid.unwrap_or(&group.arn))
}

fn edge(from: &str, to: &str, kind: EdgeKind) -> Edge {
    Edge {
        from: from.to_string(),
        to: to.to_string(),
        kind,
    }
}

/// A public catalogue image (Amazon's, Canonical's, Red Hat's, the Marketplace's): one of
/// over a hundred in every region, drawn only when something of the learner's points at it.
fn is_catalogue(image: &Image) -> bool {
    matches!(image.guest, ImageGuest::Catalogue(_))
}

/// The snapshot ids of an image's EBS mappings.
fn snapshot_ids(image: &Image) -> impl Iterator<Item = &str> {
    image
        .mappings
        .iter()
        .filter_map(|m| m.ebs.as_ref()?.snapshot_id.as_deref())
}

/// The ids of the images to draw (ids are unique across regions: the seeded generator never
/// repeats, and catalogue ids are made per region).
fn kept_images<'a>(regions: &[&'a RegionState]) -> BTreeSet<&'a str> {
    let catalogue = is_catalogue;
    let mut kept: BTreeSet<&str> = regions
        .iter()
        .flat_map(|r| r.images())
        .filter(|i| !catalogue(i) && i.state != ImageState::Deregistered)
        .map(|i| i.id.as_str())
        .collect();
    // What points at an image: instances launched from it, and images copied from it.
    let mut launched_from: BTreeSet<&str> = BTreeSet::new();
    for region in regions {
        launched_from.extend(region.instances().map(|i| i.image_id.as_str()));
        // A launch template's versions point at images too.
        launched_from.extend(
            region
                .launch_templates()
                .flat_map(|t| t.versions.values())
                .filter_map(|v| v.data.image_id.as_deref()),
        );
    }
    // A deregistered image whose snapshot survives is drawn, so the orphan shows its origin.
    for region in regions {
        let snapshots: BTreeSet<&str> = region.snapshots().map(|s| s.id.as_str()).collect();
        for image in region.images() {
            if image.state == ImageState::Deregistered
                && !catalogue(image)
                && snapshot_ids(image).any(|s| snapshots.contains(s))
            {
                kept.insert(image.id.as_str());
            }
        }
    }
    kept.extend(
        launched_from
            .iter()
            .copied()
            .filter(|id| regions.iter().any(|r| r.image(id).is_some())),
    );
    // Copies of copies: follow sources until nothing new is added (bounded by the image count).
    let sources: BTreeMap<&str, &str> = regions
        .iter()
        .flat_map(|r| r.images())
        .filter_map(|i| Some((i.id.as_str(), i.source_image_id.as_deref()?)))
        .collect();
    loop {
        let more: Vec<&str> = kept
            .iter()
            .filter_map(|id| sources.get(id).copied())
            .filter(|s| !kept.contains(s) && regions.iter().any(|r| r.image(s).is_some()))
            .collect();
        if more.is_empty() {
            break;
        }
        kept.extend(more);
    }
    kept
}

fn image_node(image: &Image, account: &str, now: u64) -> ImageNode {
    let permissions = &image.launch_permissions;
    let access = if permissions.public {
        Access::Public
    } else {
        let with: Vec<String> = permissions
            .user_ids
            .iter()
            .chain(&permissions.organization_arns)
            .chain(&permissions.organizational_unit_arns)
            .cloned()
            .collect();
        if with.is_empty() {
            Access::Private
        } else {
            Access::Shared(with)
        }
    };
    let encrypted = image
        .mappings
        .iter()
        .any(|m| m.ebs.as_ref().is_some_and(|e| e.encrypted));
    let owner = match &image.owner_alias {
        Some(alias) => Some(alias.clone()),
        None if image.owner_id != account => Some(image.owner_id.clone()),
        None => None,
    };
    ImageNode {
        id: image.id.clone(),
        name: image.name.clone(),
        state: image.state.as_str().to_string(),
        architecture: image.profile.architecture.as_str().to_string(),
        virtualization: match image.profile.virtualization {
            Virtualization::Hvm => "hvm",
            Virtualization::Paravirtual => "paravirtual",
        }
        .to_string(),
        root_device: image.profile.root_device.as_str().to_string(),
        encrypted,
        access,
        deprecated: image.is_deprecated(now),
        owner,
        catalogue: is_catalogue(image),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use amilab_cloud::clock::durations;
    use amilab_cloud::{Caller, WorldConfig, DEFAULT_ACCOUNT};
    use serde_json::{json, Value};

    /// Calls `op` as the learner in `region`; panics on an AWS error (a broken test).
    pub(crate) fn call(cloud: &mut Cloud, region: &str, op: &str, req: Value) -> Value {
        cloud
            .call(&Caller::new(DEFAULT_ACCOUNT, region), "ec2", op, req)
            .unwrap_or_else(|e| panic!("{op}: {e:?}"))
    }

    fn s(v: &Value) -> String {
        v.as_str().unwrap().to_string()
    }

    /// Launches Amazon Linux 2023 in `region` and waits for it to run: the instance id.
    pub(crate) fn launch(cloud: &mut Cloud, region: &str, image: Option<&str>) -> String {
        let ami = match image {
            Some(id) => id.to_string(),
            None => {
                let filter = json!([{"name": "name", "values": ["al2023-ami-*-x86_64"]}]);
                let found = call(
                    cloud,
                    region,
                    "describe_images",
                    json!({"owners": ["amazon"], "filters": filter}),
                );
                s(&found["images"][0]["image_id"])
            }
        };
        let run = call(
            cloud,
            region,
            "run_instances",
            json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
        );
        cloud.advance(durations::EBS_BOOT);
        s(&run["instances"][0]["instance_id"])
    }

    /// An instance, an image of it, a copy in eu-west-1 and an instance launched from the copy.
    pub(crate) fn copied_world() -> (Cloud, [String; 4]) {
        let mut cloud = Cloud::new(WorldConfig::default());
        let instance = launch(&mut cloud, "us-east-1", None);
        let image = s(&call(
            &mut cloud,
            "us-east-1",
            "create_image",
            json!({"instance_id": instance, "name": "web [v1] (it's) @x"}),
        )["image_id"]);
        cloud.advance(3600);
        let copy = s(&call(
            &mut cloud,
            "eu-west-1",
            "copy_image",
            json!({"name": "web-copy", "source_image_id": image, "source_region": "us-east-1"}),
        )["image_id"]);
        cloud.advance(3 * 3600);
        let clone = launch(&mut cloud, "eu-west-1", Some(&copy));
        (cloud, [instance, image, copy, clone])
    }

    #[test]
    fn an_empty_world_has_no_lineage() {
        let lineage = Lineage::of(&Cloud::new(WorldConfig::default()));
        assert!(lineage.is_empty());
        assert!(lineage.edges.is_empty());
    }

    #[test]
    fn copies_and_launches_are_edges_across_regions() {
        let (cloud, [instance, image, copy, clone]) = copied_world();
        let lineage = Lineage::of(&cloud);
        let names: Vec<&str> = lineage.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["eu-west-1", "us-east-1"]);
        let has = |from: &str, to: &str, kind| {
            lineage
                .edges
                .iter()
                .any(|e| e.from == from && e.to == to && e.kind == kind)
        };
        assert!(has(&instance, &image, EdgeKind::CreateImage));
        assert!(has(&image, &copy, EdgeKind::Copy));
        assert!(has(&copy, &clone, EdgeKind::Launched));
        // The catalogue image the first instance came from is drawn, and only it.
        let catalogue: Vec<_> = lineage.images().filter(|(_, i)| i.catalogue).collect();
        assert_eq!(catalogue.len(), 1);
        let snapshot_edges = lineage
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Snapshot)
            .count();
        assert_eq!(snapshot_edges, 2, "{:#?}", lineage.edges);
        assert!(lineage
            .regions
            .iter()
            .flat_map(|r| &r.snapshots)
            .all(|s| !s.orphaned));
    }

    #[test]
    fn a_deregistered_image_stays_while_its_snapshot_does_and_the_snapshot_is_an_orphan() {
        let mut cloud = Cloud::new(WorldConfig::default());
        let instance = launch(&mut cloud, "us-east-1", None);
        let image = s(&call(
            &mut cloud,
            "us-east-1",
            "create_image",
            json!({"instance_id": instance, "name": "gone"}),
        )["image_id"]);
        cloud.advance(3600);
        call(
            &mut cloud,
            "us-east-1",
            "deregister_image",
            json!({"image_id": image}),
        );
        let lineage = Lineage::of(&cloud);
        let (_, node) = lineage.images().find(|(_, i)| i.id == image).unwrap();
        assert!(node.is_deregistered());
        let snaps = &lineage.regions[0].snapshots;
        assert_eq!(snaps.len(), 1);
        assert!(snaps[0].orphaned);
        // Once the snapshot is deleted too, nothing points at the image: it is not drawn.
        call(
            &mut cloud,
            "us-east-1",
            "delete_snapshot",
            json!({"snapshot_id": snaps[0].id}),
        );
        let lineage = Lineage::of(&cloud);
        assert!(lineage.images().all(|(_, i)| i.id != image));
    }

    #[test]
    fn sharing_and_public_access_are_read_from_launch_permissions() {
        let (mut cloud, [_, image, ..]) = copied_world();
        call(
            &mut cloud,
            "us-east-1",
            "modify_image_attribute",
            json!({"image_id": image, "launch_permission": {"add": [{"user_id": "111122223333"}]}}),
        );
        let lineage = Lineage::of(&cloud);
        let (_, node) = lineage.images().find(|(_, i)| i.id == image).unwrap();
        assert_eq!(node.access, Access::Shared(vec!["111122223333".into()]));
        assert_eq!(node.access.describe(), "shared with 111122223333");
        assert_eq!(Access::Public.describe(), "public");
    }

    #[test]
    fn a_launch_template_keeps_the_catalogue_image_it_names() {
        let mut cloud = Cloud::new(WorldConfig::default());
        let filter = json!([{"name": "name", "values": ["al2023-ami-*-x86_64"]}]);
        let found = call(
            &mut cloud,
            "us-west-2",
            "describe_images",
            json!({"owners": ["amazon"], "filters": filter}),
        );
        let ami = s(&found["images"][0]["image_id"]);
        let made = call(
            &mut cloud,
            "us-west-2",
            "create_launch_template",
            json!({"launch_template_name": "web", "launch_template_data": {"image_id": ami}}),
        );
        let lt = s(&made["launch_template"]["launch_template_id"]);
        let lineage = Lineage::of(&cloud);
        assert_eq!(lineage.regions.len(), 1);
        let region = &lineage.regions[0];
        assert_eq!(region.images.len(), 1);
        assert!(region.images[0].catalogue);
        assert_eq!(region.launch_templates[0].name, "web");
        assert_eq!(
            lineage.edges,
            [Edge {
                from: ami,
                to: lt,
                kind: EdgeKind::Template
            }]
        );
    }

    #[test]
    fn the_same_cloud_gives_the_same_lineage() {
        assert_eq!(
            Lineage::of(&copied_world().0),
            Lineage::of(&copied_world().0)
        );
    }
}

//! The read-only views of the simulation: what `Cloud` and `RegionState` show outside the crate
//! agrees with what the API answers, in id order, and the one deliberate mutator (the API-call
//! quota) does what it says.

use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::{CallError, Caller, Cloud, Quotas, WorldConfig, DEFAULT_ACCOUNT};
use serde_json::{json, Value};

const REGION: &str = "eu-west-1";
const MATE: &str = "444455556666";

fn world() -> Cloud {
    Cloud::new(WorldConfig {
        regions: vec![REGION.into(), "us-east-1".into()],
        other_accounts: vec![MATE.into()],
        ..WorldConfig::default()
    })
}

fn ec2(cloud: &mut Cloud, method: &str, params: Value) -> Value {
    cloud
        .call(&Caller::new(DEFAULT_ACCOUNT, REGION), "ec2", method, params)
        .unwrap_or_else(|e| panic!("{method}: {e:?}"))
}

fn text(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}

/// Ids listed by an accessor, checking they come strictly in order.
fn ids_in_order<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let ids: Vec<&str> = ids.collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "not in id order: {ids:?}"
    );
    ids
}

#[test]
fn region_views_show_what_the_api_made_in_id_order() {
    let mut cloud = world();
    let ami = public_image_id("al2023-x86_64", REGION).expect("catalogue image");
    let run = ec2(
        &mut cloud,
        "run_instances",
        json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 2, "max_count": 2}),
    );
    cloud.advance(60);
    let instance = text(&run["instances"][0]["instance_id"]);
    let image = text(
        &ec2(
            &mut cloud,
            "create_image",
            json!({"instance_id": instance, "name": "golden"}),
        )["image_id"],
    );
    let key = ec2(&mut cloud, "create_key_pair", json!({"key_name": "ops"}));
    let group = text(
        &ec2(
            &mut cloud,
            "create_security_group",
            json!({"group_name": "web", "description": "web"}),
        )["group_id"],
    );
    let volume = text(
        &ec2(
            &mut cloud,
            "create_volume",
            json!({"availability_zone": format!("{REGION}a"), "size": 8}),
        )["volume_id"],
    );
    let snapshot =
        text(&ec2(&mut cloud, "create_snapshot", json!({"volume_id": volume}))["snapshot_id"]);

    let region = cloud.region(REGION).expect("enabled region");
    assert_eq!(region.name(), REGION);
    assert_eq!(region.info().name, REGION);

    let images = ids_in_order(region.images().map(|i| i.id.as_str()));
    assert!(images.contains(&image.as_str()) && images.contains(&ami.as_str()));
    assert_eq!(
        region.image(&image).map(|i| i.name.as_str()),
        Some("golden")
    );
    assert_eq!(
        region.image(&image).map(|i| i.source_instance_id.clone()),
        Some(Some(instance.clone()))
    );
    assert!(region.image("ami-0123456789abcdef0").is_none());

    let instances = ids_in_order(region.instances().map(|i| i.id.as_str()));
    assert_eq!(instances.len(), 2);
    assert_eq!(
        region.instance(&instance).map(|i| i.image_id.as_str()),
        Some(ami.as_str())
    );
    // The iterators run both ways and know their length.
    assert_eq!(region.instances().rev().count(), region.instances().len());

    ids_in_order(region.volumes().map(|v| v.id.as_str()));
    // Two root volumes and the one created.
    assert_eq!(region.volumes().len(), 3);
    assert_eq!(region.volume(&volume).map(|v| v.size), Some(8));
    let snaps = ids_in_order(region.snapshots().map(|s| s.id.as_str()));
    assert!(snaps.contains(&snapshot.as_str()));
    assert_eq!(
        region.snapshot(&snapshot).map(|s| s.volume_id.as_str()),
        Some(volume.as_str())
    );

    assert_eq!(region.key_pairs().len(), 1);
    let pair = region.key_pair(DEFAULT_ACCOUNT, "ops").expect("key pair");
    assert_eq!(pair.id, text(&key["key_pair_id"]));
    assert!(
        region.key_pair(MATE, "ops").is_none(),
        "key names are per account"
    );

    ids_in_order(region.security_groups().map(|g| g.id.as_str()));
    let web = region.security_group(&group).expect("group");
    assert_eq!(web.name, "web");
    // The default network: one VPC holding one subnet per zone and the web group.
    let vpcs: Vec<_> = region.vpcs().collect();
    assert_eq!(vpcs.len(), 1);
    assert_eq!(region.vpc(&web.vpc_id).map(|v| v.is_default), Some(true));
    ids_in_order(region.subnets().map(|s| s.id.as_str()));
    assert_eq!(region.subnets().len(), region.info().zones.len());
    let first = region.subnets().next().expect("a subnet");
    assert_eq!(region.subnet(&first.id), Some(first));
    assert!(region.subnets().all(|s| s.vpc_id == vpcs[0].id));

    // Another region saw none of it.
    let other = cloud.region("us-east-1").expect("enabled region");
    assert_eq!(
        (
            other.instances().len(),
            other.key_pairs().len(),
            other.vpcs().len()
        ),
        (0, 0, 0)
    );
}

#[test]
fn cloud_views_and_the_api_call_quota() {
    let mut cloud = world();
    assert_eq!(cloud.account(), DEFAULT_ACCOUNT);
    assert_eq!(
        cloud
            .accounts()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        vec![DEFAULT_ACCOUNT, MATE]
    );
    assert_eq!(cloud.quotas(), &Quotas::default());

    ec2(&mut cloud, "describe_key_pairs", json!({}));
    ec2(&mut cloud, "describe_vpcs", json!({}));
    let ops: Vec<_> = cloud
        .trail()
        .events()
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert_eq!(ops, vec!["DescribeKeyPairs", "DescribeVpcs"]);

    // Lowering the quota keeps the calls already made: one more fits, the next is refused.
    cloud.set_api_call_quota(3);
    assert_eq!(cloud.quotas().api_calls, 3);
    assert_eq!(
        cloud.quotas().instances_per_region,
        Quotas::default().instances_per_region
    );
    ec2(&mut cloud, "describe_vpcs", json!({}));
    let refused = cloud
        .call(
            &Caller::new(DEFAULT_ACCOUNT, REGION),
            "ec2",
            "describe_vpcs",
            json!({}),
        )
        .unwrap_err();
    assert!(matches!(refused, CallError::Aws(e) if e.code == "RequestLimitExceeded"));
    assert_eq!(cloud.api_calls(), 4);

    // A new run starts counting again under the quota it was given.
    cloud.begin_run();
    assert!(cloud.trail().events().is_empty());
    ec2(&mut cloud, "describe_vpcs", json!({}));
    assert_eq!(cloud.api_calls(), 1);
}

#[test]
fn snapshot_lineage_outlives_the_snapshots() {
    let mut cloud = world();
    let volume = ec2(
        &mut cloud,
        "create_volume",
        json!({"availability_zone": "eu-west-1a", "size": 1}),
    );
    cloud.advance(30);
    let first = text(
        &ec2(
            &mut cloud,
            "create_snapshot",
            json!({"volume_id": volume["volume_id"]}),
        )["snapshot_id"],
    );
    cloud.advance(120);
    let copy = text(
        &ec2(
            &mut cloud,
            "copy_snapshot",
            json!({"source_snapshot_id": first, "source_region": REGION}),
        )["snapshot_id"],
    );
    cloud.advance(120);
    let restored = ec2(
        &mut cloud,
        "create_volume",
        json!({"availability_zone": "eu-west-1a", "snapshot_id": copy}),
    );
    cloud.advance(30);
    let again = text(
        &ec2(
            &mut cloud,
            "create_snapshot",
            json!({"volume_id": restored["volume_id"]}),
        )["snapshot_id"],
    );
    cloud.advance(120);
    ec2(&mut cloud, "delete_snapshot", json!({"snapshot_id": copy}));
    let sources = cloud.snapshot_sources();
    // A snapshot of a blank volume comes from nothing; a copy from its source; a snapshot of a
    // volume restored from a snapshot from that snapshot, deleted or not.
    assert!(!sources.contains_key(&first));
    assert_eq!(sources.get(&copy), Some(&first));
    assert_eq!(sources.get(&again), Some(&copy));
}

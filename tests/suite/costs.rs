//! Costs and the marketplace at script level (issue 10): Cost Explorer's `get_cost_and_usage`
//! over a small story (snapshotted), and a marketplace launch refused with `OptInRequired`, then
//! accepted in a world with the subscription.

use crate::common::{self, expect_error, output_in, run_in, subscribed};
use amilab_cloud::{Caller, WorldConfig, DEFAULT_ACCOUNT};
use serde_json::json;

const LAMP: &str = "7axhc9g8w4lqkc3v2b6e1mzpa";

const FIND_LAMP: &str = r#"
fn lamp(ec2) {
    ec2.describe_images(#{owners: ["aws-marketplace"], filters: [#{name: "name", values: ["bitnami-lampstack-*"]}]}).images[0].image_id
}
"#;

/// A t3.micro running 2 h then terminated, its image deregistered and its snapshot deleted ten
/// days later, a 30-GiB gp3 volume, a marketplace (LAMP) instance for an hour; then the bill,
/// asked from another region.
const STORY: &str = r#"
let ce = client("ce", "eu-west-1");
let web = running_web(ec2);
let img = ec2.create_image(#{instance_id: web, name: "web-v1", no_reboot: true}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [img]});
sleep(7200 - 120);
ec2.terminate_instances(#{instance_ids: [web]});
let shop = launch(ec2, lamp(ec2), "t3.small");
ec2.get_waiter("instance_running").wait(#{instance_ids: [shop]});
sleep(3600);
ec2.terminate_instances(#{instance_ids: [shop]});
let vol = ec2.create_volume(#{availability_zone: "us-east-1a", size: 30, volume_type: "gp3"}).volume_id;
let snap = ec2.describe_images(#{image_ids: [img]}).images[0].block_device_mappings[0].ebs.snapshot_id;
ec2.deregister_image(#{image_id: img});
for day in 0..10 { sleep(86400); }
ec2.delete_snapshot(#{snapshot_id: snap});
let june = #{start: "2025-06-01", end: "2025-07-01"};
let bill = ce.get_cost_and_usage(#{time_period: june, granularity: "MONTHLY", metrics: ["UnblendedCost"]});
let total = bill.results_by_time[0].total;
print(total["UnblendedCost"].amount + " " + total["UnblendedCost"].unit);
let by_service = ce.get_cost_and_usage(#{time_period: june, granularity: "MONTHLY", metrics: ["UnblendedCost"],
    group_by: [#{type: "DIMENSION", key: "SERVICE"}]});
for g in by_service.results_by_time[0].groups { print(g.keys[0] + ": " + g.metrics["UnblendedCost"].amount); }
try {
    ce.get_cost_and_usage(#{time_period: #{start: "2025-06-10", end: "2025-06-01"}, granularity: "DAILY", metrics: ["UnblendedCost"]});
} catch (e) { print(e.code + ": " + e.message); }
"#;

#[test]
fn cost_explorer_reports_the_story_by_service_and_usage_type() {
    let (report, cloud) = run_in(subscribed(&[LAMP]), &format!("{FIND_LAMP}\n{STORY}"));
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let lines: Vec<String> = report.output.lines.iter().map(|l| l.text.clone()).collect();
    insta::assert_json_snapshot!("costs_story_printed", lines);
    let answer = cloud
        .borrow_mut()
        .call(
            &Caller::new(DEFAULT_ACCOUNT, "us-east-1"),
            "ce",
            "get_cost_and_usage",
            json!({"time_period": {"start": "2025-06-01", "end": "2025-07-01"}, "granularity": "MONTHLY",
                   "metrics": ["UnblendedCost", "UsageQuantity"],
                   "group_by": [{"type": "DIMENSION", "key": "SERVICE"}, {"type": "DIMENSION", "key": "USAGE_TYPE"}]}),
        )
        .expect("get_cost_and_usage");
    insta::assert_json_snapshot!("costs_story_by_service_and_usage_type", answer);
}

#[test]
fn a_marketplace_launch_needs_a_subscription() {
    let body = format!(
        r#"{FIND_LAMP}
           launch(ec2, lamp(ec2), "t3.small");"#
    );
    expect_error(
        &body,
        "OptInRequired",
        "In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit https://aws.amazon.com/marketplace/pp?sku=7axhc9g8w4lqkc3v2b6e1mzpa",
    );
    // Refused, nothing launched.
    let lines = output_in(
        WorldConfig {
            seed: 7,
            ..WorldConfig::default()
        },
        &format!(
            r#"{FIND_LAMP}
               try {{ launch(ec2, lamp(ec2), "t3.small"); }} catch (e) {{ print(e.code); }}
               print(ec2.describe_instances().reservations.len());"#
        ),
    );
    assert_eq!(lines, ["OptInRequired", "0"]);
    // The same script in a world where the learner subscribed.
    let lines = output_in(
        subscribed(&[LAMP]),
        &format!(
            r#"{FIND_LAMP}
               let id = launch(ec2, lamp(ec2), "t3.small");
               let i = ec2.describe_instances(#{{instance_ids: [id]}}).reservations[0].instances[0];
               print(i.product_codes[0].product_code_id);"#
        ),
    );
    assert_eq!(lines, [LAMP]);
}

#[test]
fn the_ce_client_is_listed_among_the_services() {
    let f = common::failure(r#"client("cost-explorer", "us-east-1");"#);
    assert!(f.message.contains("ce, ec2"), "{f:?}");
}

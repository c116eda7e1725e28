//! Costs and marketplace subscriptions end to end: the ledger behind Cost Explorer's
//! GetCostAndUsage (exact amounts for a small story, every error code), and `OptInRequired` for
//! launches of marketplace products an account is not subscribed to.

use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::clock::durations;
use amilab_cloud::{CallError, Caller, Cloud, WorldConfig, DEFAULT_ACCOUNT};
use serde_json::{json, Value};

const LAMP: &str = "7axhc9g8w4lqkc3v2b6e1mzpa";
const MATE: &str = "444455556666";
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

fn me() -> Caller {
    Caller::new(DEFAULT_ACCOUNT, "us-east-1")
}

fn world(subscribed: &[(&str, &str)]) -> Cloud {
    Cloud::new(WorldConfig {
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        other_accounts: vec![MATE.into()],
        subscriptions: subscribed
            .iter()
            .map(|(a, c)| (a.to_string(), c.to_string()))
            .collect(),
        ..WorldConfig::default()
    })
}

fn call(cloud: &mut Cloud, who: &Caller, service: &str, method: &str, params: Value) -> Value {
    cloud
        .call(who, service, method, params.clone())
        .unwrap_or_else(|e| panic!("{service}.{method}({params}): {e}"))
}

fn code(result: Result<Value, CallError>) -> String {
    match result {
        Err(CallError::Aws(e)) => e.code,
        other => panic!("expected an AWS error, got {other:?}"),
    }
}

fn run(cloud: &mut Cloud, who: &Caller, image: &str, itype: &str) -> String {
    let r = call(
        cloud,
        who,
        "ec2",
        "run_instances",
        json!({"image_id": image, "instance_type": itype, "min_count": 1, "max_count": 1}),
    );
    r["instances"][0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn terminate(cloud: &mut Cloud, who: &Caller, id: &str) {
    call(
        cloud,
        who,
        "ec2",
        "terminate_instances",
        json!({"instance_ids": [id]}),
    );
}

/// The story: a t3.micro running two hours then terminated; a 30-GiB gp3 volume kept ten days;
/// an image whose 8-GiB snapshot outlives its deregistration and is deleted after ten days; a
/// marketplace instance running one hour. Starts 2025-06-02T09:00:00Z.
fn story() -> Cloud {
    let mut cloud = world(&[(DEFAULT_ACCOUNT, LAMP)]);
    let me = me();
    let al2023 = public_image_id("al2023-x86_64", "us-east-1").unwrap();
    let lamp = public_image_id("marketplace-lamp", "us-east-1").unwrap();

    let web = run(&mut cloud, &me, &al2023, "t3.micro");
    cloud.advance(durations::EBS_BOOT);
    let image = call(
        &mut cloud,
        &me,
        "ec2",
        "create_image",
        json!({"instance_id": web, "name": "web-v1", "no_reboot": true}),
    )["image_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(2 * HOUR);
    terminate(&mut cloud, &me, &web);

    let shop = run(&mut cloud, &me, &lamp, "t3.small");
    cloud.advance(durations::EBS_BOOT + HOUR);
    terminate(&mut cloud, &me, &shop);

    let volume = call(
        &mut cloud,
        &me,
        "ec2",
        "create_volume",
        json!({"availability_zone": "us-east-1a", "size": 30, "volume_type": "gp3"}),
    )["volume_id"]
        .as_str()
        .unwrap()
        .to_string();
    let snapshot = call(
        &mut cloud,
        &me,
        "ec2",
        "describe_images",
        json!({"image_ids": [image]}),
    )["images"][0]["block_device_mappings"][0]["ebs"]["snapshot_id"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        &mut cloud,
        &me,
        "ec2",
        "deregister_image",
        json!({"image_id": image}),
    );
    cloud.advance(10 * DAY);
    call(
        &mut cloud,
        &me,
        "ec2",
        "delete_snapshot",
        json!({"snapshot_id": snapshot}),
    );
    call(
        &mut cloud,
        &me,
        "ec2",
        "delete_volume",
        json!({"volume_id": volume}),
    );
    cloud.advance(DAY);
    cloud
}

fn lines(bill: &amilab_cloud::ce::Bill) -> Vec<(String, String, String)> {
    bill.lines
        .iter()
        .map(|l| (l.service.clone(), l.usage_type.clone(), l.usd.clone()))
        .collect()
}

#[test]
fn the_bill_of_the_story_is_exact_and_outlives_the_resources() {
    let cloud = story();
    let bill = cloud.bill(DEFAULT_ACCOUNT, 0, u64::MAX);
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    let compute = "Amazon Elastic Compute Cloud - Compute";
    assert_eq!(
        lines(&bill),
        [
            // 7200 s × $0.0104/h.
            s(compute, "BoxUsage:t3.micro", "0.0208"),
            // 3600 s × $0.0208/h.
            s(compute, "BoxUsage:t3.small", "0.0208"),
            // The image's 8-GiB snapshot, from CreateImage (30 s after launch) to its deletion
            // 10 days and 3 hours later, deregistration notwithstanding: 874 830 s of a
            // 30-day month, 8 × 0.05 × 874 830 / 2 592 000.
            s("EC2 - Other", "EBS:SnapshotUsage", "0.1350046296"),
            // The marketplace instance's 10-GiB root: launch to the end of its termination,
            // 3660 s: 10 × 0.08 × 3660 / 2 592 000.
            s("EC2 - Other", "EBS:VolumeUsage.gp3", "0.0011296296"),
            // The t3.micro's 8-GiB root: 7260 s.
            s("EC2 - Other", "EBS:VolumeUsage.gp3", "0.0017925926"),
            // 30 GiB for ten days: 30 × 0.08 × 10 / 30.
            s("EC2 - Other", "EBS:VolumeUsage.gp3", "0.8"),
            // One hour of the LAMP stack's software fee.
            s(
                "LAMP packaged by Bitnami",
                "SoftwareUsage:t3.small",
                "0.025"
            ),
        ]
    );
    assert_eq!(bill.total_usd, "1.0045268519");
    // The teammate was billed nothing.
    assert_eq!(cloud.bill(MATE, 0, u64::MAX).total_usd, "0");
    // Nothing is left running, yet the ledger remembers.
    assert!(cloud.usage_records().len() >= 10);
}

#[test]
fn cost_explorer_groups_and_totals_follow_the_api_reference() {
    let mut cloud = story();
    let who = Caller::new(DEFAULT_ACCOUNT, "eu-west-1"); // any region answers for all
    let month = json!({"start": "2025-06-01", "end": "2025-07-01"});
    let plain = call(
        &mut cloud,
        &who,
        "ce",
        "get_cost_and_usage",
        json!({"time_period": month, "granularity": "MONTHLY", "metrics": ["UnblendedCost"]}),
    );
    assert_eq!(
        plain["results_by_time"],
        json!([{
            "time_period": {"start": "2025-06-01", "end": "2025-07-01"},
            "total": {"UnblendedCost": {"amount": "1.0045268519", "unit": "USD"}},
            "groups": [],
            "estimated": true
        }])
    );
    assert!(plain.get("group_definitions").is_none());
    assert_eq!(plain["dimension_value_attributes"], json!([]));

    let grouped = call(
        &mut cloud,
        &who,
        "ce",
        "get_cost_and_usage",
        json!({"time_period": month, "granularity": "MONTHLY", "metrics": ["UnblendedCost"],
               "group_by": [{"type": "DIMENSION", "key": "SERVICE"}]}),
    );
    let period = &grouped["results_by_time"][0];
    assert_eq!(
        period["total"],
        json!({}),
        "grouped: the amounts are in the groups"
    );
    let groups: Vec<(String, String)> = period["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["keys"][0].as_str().unwrap().to_string(),
                g["metrics"]["UnblendedCost"]["amount"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "Amazon Elastic Compute Cloud - Compute".to_string(),
                "0.0416".to_string()
            ),
            ("EC2 - Other".to_string(), "0.9379268519".to_string()),
            ("LAMP packaged by Bitnami".to_string(), "0.025".to_string()),
        ]
    );
    assert_eq!(
        grouped["group_definitions"],
        json!([{"type": "DIMENSION", "key": "SERVICE"}])
    );

    // Daily: the first day carries the instances; a day after everything was deleted is zero.
    let daily = call(
        &mut cloud,
        &me(),
        "ce",
        "get_cost_and_usage",
        json!({"time_period": {"start": "2025-06-02", "end": "2025-06-14"}, "granularity": "DAILY",
               "metrics": ["UnblendedCost", "UsageQuantity"]}),
    );
    let days = daily["results_by_time"].as_array().unwrap();
    assert_eq!(days.len(), 12);
    assert_eq!(days[0]["time_period"]["start"], "2025-06-02");
    assert_eq!(days[11]["total"]["UnblendedCost"]["amount"], "0");
    assert_eq!(days[11]["total"]["UsageQuantity"]["unit"], "N/A");
    assert_eq!(days[0]["estimated"], false);
    // Every day's total adds up to the month's.
    let sum: f64 = days
        .iter()
        .map(|d| {
            d["total"]["UnblendedCost"]["amount"]
                .as_str()
                .unwrap()
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    assert!((sum - 1.0045268519).abs() < 1e-8, "{sum}");

    // A period before any usage has no groups.
    let before = call(
        &mut cloud,
        &me(),
        "ce",
        "get_cost_and_usage",
        json!({"time_period": {"start": "2025-05-01", "end": "2025-06-01"}, "granularity": "MONTHLY",
               "metrics": ["BlendedCost"], "group_by": [{"type": "DIMENSION", "key": "USAGE_TYPE"}]}),
    );
    assert_eq!(before["results_by_time"][0]["groups"], json!([]));
}

#[test]
fn regions_other_than_the_us_cost_ten_percent_more_and_carry_their_prefix() {
    let mut cloud = world(&[]);
    let dublin = Caller::new(DEFAULT_ACCOUNT, "eu-west-1");
    let image = public_image_id("al2023-x86_64", "eu-west-1").unwrap();
    let id = run(&mut cloud, &dublin, &image, "t3.micro");
    cloud.advance(durations::EBS_BOOT + HOUR);
    terminate(&mut cloud, &dublin, &id);
    let bill = cloud.bill(DEFAULT_ACCOUNT, 0, u64::MAX);
    assert_eq!(bill.lines[0].usage_type, "EU-BoxUsage:t3.micro");
    assert_eq!(bill.lines[0].usd, "0.01144");
    assert_eq!(bill.lines[1].usage_type, "EU-EBS:VolumeUsage.gp3");
}

#[test]
fn a_stopped_instance_is_not_billed_and_each_start_bills_at_least_a_minute() {
    let mut cloud = world(&[]);
    let me = me();
    let image = public_image_id("al2023-x86_64", "us-east-1").unwrap();
    let id = run(&mut cloud, &me, &image, "t3.micro");
    cloud.advance(durations::EBS_BOOT + 10);
    call(
        &mut cloud,
        &me,
        "ec2",
        "stop_instances",
        json!({"instance_ids": [id]}),
    );
    cloud.advance(DAY);
    call(
        &mut cloud,
        &me,
        "ec2",
        "start_instances",
        json!({"instance_ids": [id]}),
    );
    cloud.advance(durations::EBS_BOOT + 3590);
    terminate(&mut cloud, &me, &id);
    let bill = cloud.bill(DEFAULT_ACCOUNT, 0, u64::MAX);
    // 60 s (10 s billed as the minimum) + 3590 s = 3650 s × $0.0104/h.
    assert_eq!(bill.lines[0].usd, "0.0105444444");
    assert_eq!(bill.lines[0].quantity, "1.0138888889");
    assert_eq!(bill.lines[0].unit, "Hrs");
}

#[test]
fn every_cost_explorer_error() {
    let mut cloud = world(&[]);
    let june = json!({"start": "2025-06-01", "end": "2025-06-02"});
    let metrics = json!(["UnblendedCost"]);
    let cases = [
        // end before start, and equal
        (
            json!({"time_period": {"start": "2025-06-02", "end": "2025-06-01"}, "granularity": "DAILY", "metrics": metrics}),
            "should be before end date",
        ),
        (
            json!({"time_period": {"start": "2025-06-01", "end": "2025-06-01"}, "granularity": "DAILY", "metrics": metrics}),
            "should be before end date",
        ),
        // malformed dates
        (
            json!({"time_period": {"start": "2025/06/01", "end": "2025-06-02"}, "granularity": "DAILY", "metrics": metrics}),
            "Invalid date format: 2025/06/01",
        ),
        // the start after today (the world starts 2025-06-02), the end past next month's first day
        (
            json!({"time_period": {"start": "2025-06-03", "end": "2025-06-04"}, "granularity": "DAILY", "metrics": metrics}),
            "after the current date",
        ),
        (
            json!({"time_period": {"start": "2025-06-01", "end": "2025-07-02"}, "granularity": "DAILY", "metrics": metrics}),
            "end date past the beginning of next month",
        ),
        // more than 13 months of history
        (
            json!({"time_period": {"start": "2024-04-30", "end": "2025-06-02"}, "granularity": "MONTHLY", "metrics": metrics}),
            "on or after 2024-05-01",
        ),
        // granularity
        (
            json!({"time_period": june, "granularity": "WEEKLY", "metrics": metrics}),
            "Value 'WEEKLY' at 'granularity'",
        ),
        (
            json!({"time_period": june, "granularity": "HOURLY", "metrics": metrics}),
            "Hourly granularity",
        ),
        // metrics
        (
            json!({"time_period": june, "granularity": "DAILY", "metrics": []}),
            "Metrics is required",
        ),
        (
            json!({"time_period": june, "granularity": "DAILY", "metrics": ["UnblendedCosts"]}),
            "Invalid metric: UnblendedCosts",
        ),
        // group by
        (
            json!({"time_period": june, "granularity": "DAILY", "metrics": metrics, "group_by": [
            {"type": "DIMENSION", "key": "SERVICE"}, {"type": "DIMENSION", "key": "REGION"},
            {"type": "DIMENSION", "key": "USAGE_TYPE"}]}),
            "at most 2",
        ),
        (
            json!({"time_period": june, "granularity": "DAILY", "metrics": metrics, "group_by": [{"type": "TAG", "key": "team"}]}),
            "Group by type 'TAG'",
        ),
        (
            json!({"time_period": june, "granularity": "DAILY", "metrics": metrics, "group_by": [{"type": "DIMENSION", "key": "AZ"}]}),
            "Group by dimension 'AZ'",
        ),
    ];
    for (params, fragment) in cases {
        let message = match cloud.call(&me(), "ce", "get_cost_and_usage", params.clone()) {
            Err(CallError::Aws(e)) if e.code == "ValidationException" => e.message,
            other => panic!("{params}: {other:?}"),
        };
        assert!(message.contains(fragment), "{params}: {message}");
    }
    let mut ask = |params: Value| code(cloud.call(&me(), "ce", "get_cost_and_usage", params));
    assert_eq!(
        ask(
            json!({"time_period": june, "granularity": "DAILY", "metrics": metrics, "next_page_token": "x"})
        ),
        "InvalidNextTokenException"
    );
    let err = cloud
        .call(
            &me(),
            "ce",
            "get_cost_and_usage",
            json!({"time_period": {"start": "2025-06-02", "end": "2025-06-02"}, "granularity": "DAILY", "metrics": ["UnblendedCost"]}),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "(ValidationException) Start date (and hour) should be before end date (and hour)"
    );
    // Filters are not simulated; a missing required member is boto3's parameter error.
    assert!(matches!(
        cloud.call(&me(), "ce", "get_cost_and_usage",
            json!({"time_period": june, "granularity": "DAILY", "metrics": ["UnblendedCost"], "filter": {"dimensions": {"key": "SERVICE", "values": ["x"]}}})),
        Err(CallError::NotSimulated { .. })
    ));
    assert!(matches!(
        cloud.call(
            &me(),
            "ce",
            "get_cost_and_usage",
            json!({"granularity": "DAILY", "metrics": ["UnblendedCost"]})
        ),
        Err(CallError::Param(_))
    ));
}

#[test]
fn an_unsubscribed_marketplace_launch_is_refused_and_changes_nothing() {
    let mut cloud = world(&[]);
    let lamp = public_image_id("marketplace-lamp", "us-east-1").unwrap();
    // The account's first call in the region makes its default network: make it first.
    call(&mut cloud, &me(), "ec2", "describe_vpcs", json!({}));
    let before = cloud.state_digest();
    let err = cloud
        .call(
            &me(),
            "ec2",
            "run_instances",
            json!({"image_id": lamp, "instance_type": "t3.small", "min_count": 1, "max_count": 3}),
        )
        .unwrap_err();
    let CallError::Aws(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!((e.code.as_str(), e.http_status), ("OptInRequired", 401));
    assert_eq!(
        e.message,
        format!("In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit https://aws.amazon.com/marketplace/pp?sku={LAMP}")
    );
    assert!(cloud.state_digest() == before, "nothing launched");
    // A dry run meets the same refusal.
    assert_eq!(
        code(cloud.call(&me(), "ec2", "run_instances",
            json!({"image_id": lamp, "min_count": 1, "max_count": 1, "instance_type": "t3.small", "dry_run": true}))),
        "OptInRequired"
    );
}

#[test]
fn the_product_code_follows_into_derived_images_and_binds_every_launch() {
    let mut cloud = world(&[(DEFAULT_ACCOUNT, LAMP)]);
    let me = me();
    let mate = Caller::new(MATE, "us-east-1");
    let lamp = public_image_id("marketplace-lamp", "us-east-1").unwrap();
    let id = run(&mut cloud, &me, &lamp, "t3.small");
    cloud.advance(durations::EBS_BOOT);
    let mine = call(
        &mut cloud,
        &me,
        "ec2",
        "create_image",
        json!({"instance_id": id, "name": "my-lamp"}),
    )["image_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(durations::CREATE_IMAGE);
    let copy = call(
        &mut cloud,
        &me,
        "ec2",
        "copy_image",
        json!({"name": "my-lamp-copy", "source_image_id": mine, "source_region": "us-east-1"}),
    )["image_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(durations::COPY_IMAGE_SAME_REGION);
    let codes = call(
        &mut cloud,
        &me,
        "ec2",
        "describe_images",
        json!({"image_ids": [mine, copy]}),
    );
    for image in codes["images"].as_array().unwrap() {
        assert_eq!(image["product_codes"][0]["product_code_id"], LAMP);
    }
    // The subscribed owner launches its derived images.
    run(&mut cloud, &me, &copy, "t3.small");
    // Shared with a teammate who is not subscribed: refused, directly and through a template.
    call(
        &mut cloud,
        &me,
        "ec2",
        "modify_image_attribute",
        json!({"image_id": mine, "launch_permission": {"add": [{"user_id": MATE}]}}),
    );
    let direct = cloud.call(
        &mate,
        "ec2",
        "run_instances",
        json!({"image_id": mine, "instance_type": "t3.small", "min_count": 1, "max_count": 1}),
    );
    assert_eq!(code(direct), "OptInRequired");
    call(
        &mut cloud,
        &mate,
        "ec2",
        "create_launch_template",
        json!({"launch_template_name": "shop", "launch_template_data": {"image_id": mine, "instance_type": "t3.small"}}),
    );
    let templated = cloud.call(
        &mate,
        "ec2",
        "run_instances",
        json!({"launch_template": {"launch_template_name": "shop"}, "min_count": 1, "max_count": 1}),
    );
    assert_eq!(code(templated), "OptInRequired");
}

#[test]
fn a_subscription_lets_exactly_its_account_launch() {
    let mut cloud = world(&[(MATE, LAMP)]);
    let lamp = public_image_id("marketplace-lamp", "us-east-1").unwrap();
    run(
        &mut cloud,
        &Caller::new(MATE, "us-east-1"),
        &lamp,
        "t3.small",
    );
    let mine = cloud.call(
        &me(),
        "ec2",
        "run_instances",
        json!({"image_id": lamp, "instance_type": "t3.small", "min_count": 1, "max_count": 1}),
    );
    assert_eq!(code(mine), "OptInRequired");
    // Other marketplace products need their own subscription.
    let nginx = public_image_id("marketplace-nginx-plus", "us-east-1").unwrap();
    let other = cloud.call(
        &Caller::new(MATE, "us-east-1"),
        "ec2",
        "run_instances",
        json!({"image_id": nginx, "instance_type": "t4g.micro", "min_count": 1, "max_count": 1}),
    );
    assert_eq!(code(other), "OptInRequired");
    assert!(cloud.is_subscribed(MATE, LAMP));
    assert_eq!(cloud.subscriptions().len(), 1);
}

//! Auto Scaling groups on the simulated clock: launching to desired across zones, replacing
//! unhealthy members, scale-in with protection, instance refreshes batch by batch, and every
//! error code of the operations.

use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::{CallError, Caller, Cloud, WorldConfig};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";

fn me() -> Caller {
    Caller::new(amilab_cloud::DEFAULT_ACCOUNT, REGION)
}

fn cloud() -> Cloud {
    Cloud::new(WorldConfig {
        regions: vec![REGION.into()],
        ..WorldConfig::default()
    })
}

fn call(cloud: &mut Cloud, service: &str, method: &str, params: Value) -> Value {
    cloud
        .call(&me(), service, method, params.clone())
        .unwrap_or_else(|e| panic!("{method}({params}): {e:?}"))
}

fn error(cloud: &mut Cloud, service: &str, method: &str, params: Value) -> (String, String) {
    match cloud.call(&me(), service, method, params) {
        Err(CallError::Aws(e)) => (e.code, e.message),
        other => panic!("{method}: expected an AWS error, got {other:?}"),
    }
}

fn asg(cloud: &mut Cloud, method: &str, params: Value) -> Value {
    call(cloud, "autoscaling", method, params)
}

/// An image of a web server: v1 or v2 by name.
fn image(cloud: &mut Cloud, name: &str) -> String {
    let ami = public_image_id("al2023-x86_64", REGION).unwrap();
    let run = call(
        cloud,
        "ec2",
        "run_instances",
        json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
    );
    let id = run["instances"][0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(60);
    let image = call(
        cloud,
        "ec2",
        "create_image",
        json!({"instance_id": id, "name": name}),
    );
    cloud.advance(600);
    call(
        cloud,
        "ec2",
        "terminate_instances",
        json!({"instance_ids": [id]}),
    );
    image["image_id"].as_str().unwrap().to_string()
}

/// Image v1, a template `web` whose version 1 launches it, and a group of `desired` across two
/// zones, settled.
fn fleet(desired: i64) -> (Cloud, String) {
    let mut cloud = cloud();
    let v1 = image(&mut cloud, "web-v1");
    call(
        &mut cloud,
        "ec2",
        "create_launch_template",
        json!({"launch_template_name": "web", "launch_template_data": {"image_id": v1, "instance_type": "t3.micro"}}),
    );
    asg(
        &mut cloud,
        "create_auto_scaling_group",
        json!({"auto_scaling_group_name": "web", "launch_template": {"launch_template_name": "web", "version": "$Latest"},
               "min_size": 1, "max_size": 10, "desired_capacity": desired,
               "availability_zones": ["us-east-1a", "us-east-1b"]}),
    );
    cloud.advance(120);
    (cloud, v1)
}

fn group(cloud: &mut Cloud) -> Value {
    asg(
        cloud,
        "describe_auto_scaling_groups",
        json!({"auto_scaling_group_names": ["web"]}),
    )["auto_scaling_groups"][0]
        .clone()
}

fn members(cloud: &mut Cloud) -> Vec<Value> {
    group(cloud)["instances"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn in_service(cloud: &mut Cloud) -> usize {
    members(cloud)
        .iter()
        .filter(|m| m["lifecycle_state"] == "InService")
        .count()
}

fn images_in_service(cloud: &mut Cloud) -> Vec<String> {
    let ids: Vec<String> = members(cloud)
        .iter()
        .filter(|m| m["lifecycle_state"] == "InService")
        .map(|m| m["instance_id"].as_str().unwrap().to_string())
        .collect();
    let found = call(
        cloud,
        "ec2",
        "describe_instances",
        json!({"instance_ids": ids}),
    );
    let mut images: Vec<String> = found["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["instances"].as_array().unwrap().clone())
        .map(|i| i["image_id"].as_str().unwrap().to_string())
        .collect();
    images.sort();
    images
}

#[test]
fn a_group_launches_to_desired_balanced_across_zones_and_tags_its_instances() {
    let (mut cloud, v1) = fleet(4);
    let list = members(&mut cloud);
    assert_eq!(list.len(), 4);
    assert!(list
        .iter()
        .all(|m| m["lifecycle_state"] == "InService" && m["health_status"] == "Healthy"));
    let in_zone = |z: &str| list.iter().filter(|m| m["availability_zone"] == z).count();
    assert_eq!((in_zone("us-east-1a"), in_zone("us-east-1b")), (2, 2));
    assert_eq!(images_in_service(&mut cloud), vec![v1.clone(); 4]);
    let tags = call(
        &mut cloud,
        "ec2",
        "describe_tags",
        json!({"filters": [{"name": "key", "values": ["aws:autoscaling:groupName"]}]}),
    );
    assert_eq!(tags["tags"].as_array().unwrap().len(), 4);
    let activities = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web"}),
    );
    let list = activities["activities"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert!(list.iter().all(|a| a["status_code"] == "Successful"));
    assert!(
        list[0]["cause"].as_str().unwrap().contains(
            "a user request created an AutoScalingGroup changing the desired capacity from 0 to 4"
        ),
        "{}",
        list[0]["cause"]
    );
}

#[test]
fn nothing_launches_until_the_clock_moves() {
    let mut cloud = cloud();
    let ami = public_image_id("al2023-x86_64", REGION).unwrap();
    call(
        &mut cloud,
        "ec2",
        "create_launch_template",
        json!({"launch_template_name": "tpl", "launch_template_data": {"image_id": ami, "instance_type": "t3.micro"}}),
    );
    asg(
        &mut cloud,
        "create_auto_scaling_group",
        json!({"auto_scaling_group_name": "web",
        "launch_template": {"launch_template_name": "tpl"}, "min_size": 2, "max_size": 2, "availability_zones": ["us-east-1a"]}),
    );
    assert_eq!(members(&mut cloud).len(), 0);
    cloud.advance(1);
    let list = members(&mut cloud);
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|m| m["lifecycle_state"] == "Pending"));
    cloud.advance(60);
    assert_eq!(in_service(&mut cloud), 2);
}

#[test]
fn terminated_or_stopped_members_are_replaced() {
    let (mut cloud, _) = fleet(3);
    let list = members(&mut cloud);
    let a = list[0]["instance_id"].as_str().unwrap().to_string();
    let b = list[1]["instance_id"].as_str().unwrap().to_string();
    call(
        &mut cloud,
        "ec2",
        "terminate_instances",
        json!({"instance_ids": [a]}),
    );
    call(
        &mut cloud,
        "ec2",
        "stop_instances",
        json!({"instance_ids": [b]}),
    );
    cloud.advance(300);
    let list = members(&mut cloud);
    let ids: Vec<&str> = list
        .iter()
        .map(|m| m["instance_id"].as_str().unwrap())
        .collect();
    assert_eq!(list.len(), 3, "{list:?}");
    assert!(!ids.contains(&a.as_str()) && !ids.contains(&b.as_str()));
    assert_eq!(in_service(&mut cloud), 3);
    let activities = asg(&mut cloud, "describe_scaling_activities", json!({}));
    let causes: Vec<&str> = activities["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["cause"].as_str().unwrap())
        .collect();
    assert!(causes
        .iter()
        .any(|c| c.contains("EC2 health check indicating it has been terminated or stopped")));
}

#[test]
fn scale_in_spares_protected_instances_and_takes_from_the_fuller_zone() {
    let (mut cloud, _) = fleet(4);
    let list = members(&mut cloud);
    let protect: Vec<String> = list
        .iter()
        .filter(|m| m["availability_zone"] == "us-east-1a")
        .map(|m| m["instance_id"].as_str().unwrap().to_string())
        .collect();
    asg(
        &mut cloud,
        "set_instance_protection",
        json!({"auto_scaling_group_name": "web", "instance_ids": protect, "protected_from_scale_in": true}),
    );
    asg(
        &mut cloud,
        "set_desired_capacity",
        json!({"auto_scaling_group_name": "web", "desired_capacity": 2}),
    );
    cloud.advance(120);
    let left: Vec<String> = members(&mut cloud)
        .iter()
        .map(|m| m["instance_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, {
        let mut p = protect.clone();
        p.sort();
        p
    });
    // Scaling in further cannot touch them: the group stays above desired.
    asg(
        &mut cloud,
        "update_auto_scaling_group",
        json!({"auto_scaling_group_name": "web", "min_size": 0, "desired_capacity": 0}),
    );
    cloud.advance(120);
    assert_eq!(members(&mut cloud).len(), 2);
}

#[test]
fn terminate_in_group_with_and_without_decrement() {
    let (mut cloud, _) = fleet(3);
    let id = members(&mut cloud)[0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = asg(
        &mut cloud,
        "terminate_instance_in_auto_scaling_group",
        json!({"instance_id": id, "should_decrement_desired_capacity": true}),
    );
    assert_eq!(
        out["activity"]["description"],
        format!("Terminating EC2 instance: {id}")
    );
    cloud.advance(120);
    assert_eq!(group(&mut cloud)["desired_capacity"], 2);
    assert_eq!(members(&mut cloud).len(), 2);
    let id = members(&mut cloud)[0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    asg(
        &mut cloud,
        "terminate_instance_in_auto_scaling_group",
        json!({"instance_id": id, "should_decrement_desired_capacity": false}),
    );
    cloud.advance(120);
    let list = members(&mut cloud);
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|m| m["instance_id"] != id.as_str()));
    // desired 2, min 1: one more decrement is allowed, a second is not.
    let id = list[0]["instance_id"].as_str().unwrap().to_string();
    asg(
        &mut cloud,
        "terminate_instance_in_auto_scaling_group",
        json!({"instance_id": id, "should_decrement_desired_capacity": true}),
    );
    let id = list[1]["instance_id"].as_str().unwrap().to_string();
    let (code, message) = error(
        &mut cloud,
        "autoscaling",
        "terminate_instance_in_auto_scaling_group",
        json!({"instance_id": id, "should_decrement_desired_capacity": true}),
    );
    assert_eq!(code, "ValidationError");
    assert!(
        message.starts_with("Currently, desiredSize equals minSize (1)."),
        "{message}"
    );
}

/// The scenario: image v1 → template → group of 4 across two zones → image v2 → refresh
/// with min healthy 50 % → every member on v2, never fewer than 2 in service at any step.
#[test]
fn a_refresh_rolls_a_new_image_through_the_group_keeping_half_in_service() {
    let (mut cloud, v1) = fleet(4);
    let v2 = image(&mut cloud, "web-v2");
    call(
        &mut cloud,
        "ec2",
        "create_launch_template_version",
        json!({"launch_template_name": "web", "source_version": "1", "launch_template_data": {"image_id": v2}}),
    );
    let started = asg(
        &mut cloud,
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web",
        "preferences": {"min_healthy_percentage": 50, "instance_warmup": 60}}),
    );
    let id = started["instance_refresh_id"].as_str().unwrap().to_string();
    let (code, _) = error(
        &mut cloud,
        "autoscaling",
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(code, "InstanceRefreshInProgress");
    let mut fewest = usize::MAX;
    let mut seen = Vec::new();
    for _ in 0..120 {
        cloud.advance(5);
        fewest = fewest.min(in_service(&mut cloud));
        let r = asg(
            &mut cloud,
            "describe_instance_refreshes",
            json!({"auto_scaling_group_name": "web"}),
        );
        let status = r["instance_refreshes"][0]["status"]
            .as_str()
            .unwrap()
            .to_string();
        let pct = r["instance_refreshes"][0]["percentage_complete"]
            .as_i64()
            .unwrap();
        if seen.last() != Some(&(status.clone(), pct)) {
            seen.push((status.clone(), pct));
        }
        if status == "Successful" {
            break;
        }
    }
    assert!(fewest >= 2, "in service dropped to {fewest}");
    assert_eq!(
        seen.last().unwrap(),
        &("Successful".to_string(), 100),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|(_, p)| *p == 50),
        "half-way is reported: {seen:?}"
    );
    assert_eq!(images_in_service(&mut cloud), vec![v2.clone(); 4]);
    assert_ne!(v1, v2);
    let r = asg(
        &mut cloud,
        "describe_instance_refreshes",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(
        r["instance_refreshes"][0]["instance_refresh_id"],
        id.as_str()
    );
    assert!(r["instance_refreshes"][0]["end_time"].is_string());
}

#[test]
fn a_refresh_with_max_healthy_above_100_launches_before_terminating() {
    let (mut cloud, _) = fleet(4);
    let v2 = image(&mut cloud, "web-v2");
    call(
        &mut cloud,
        "ec2",
        "create_launch_template_version",
        json!({"launch_template_name": "web", "source_version": "1", "launch_template_data": {"image_id": v2}}),
    );
    asg(
        &mut cloud,
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web",
        "preferences": {"min_healthy_percentage": 100, "max_healthy_percentage": 150, "instance_warmup": 0}}),
    );
    let (mut fewest, mut most) = (usize::MAX, 0);
    for _ in 0..200 {
        cloud.advance(5);
        let n = in_service(&mut cloud);
        fewest = fewest.min(n);
        most = most.max(
            members(&mut cloud)
                .iter()
                .filter(|m| m["lifecycle_state"] != "Terminating")
                .count(),
        );
    }
    assert_eq!(fewest, 4, "never below 100 %");
    assert_eq!(most, 6, "never above 150 %");
    assert_eq!(images_in_service(&mut cloud), vec![v2; 4]);
}

#[test]
fn skip_matching_checkpoints_desired_configuration_and_cancel() {
    let (mut cloud, _) = fleet(2);
    // Nothing to replace: succeeds at once.
    asg(
        &mut cloud,
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web", "preferences": {"skip_matching": true}}),
    );
    cloud.advance(1);
    let r = asg(
        &mut cloud,
        "describe_instance_refreshes",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(r["instance_refreshes"][0]["status"], "Successful");

    // A desired configuration (version 2 of the template, by number) with a checkpoint at 50 %.
    let v2 = image(&mut cloud, "web-v2");
    call(
        &mut cloud,
        "ec2",
        "create_launch_template_version",
        json!({"launch_template_name": "web", "source_version": "1", "launch_template_data": {"image_id": v2}}),
    );
    asg(
        &mut cloud,
        "update_auto_scaling_group",
        json!({"auto_scaling_group_name": "web", "launch_template": {"launch_template_name": "web", "version": "1"}}),
    );
    asg(
        &mut cloud,
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web",
        "desired_configuration": {"launch_template": {"launch_template_name": "web", "version": "2"}},
        "preferences": {"min_healthy_percentage": 50, "instance_warmup": 0, "checkpoint_percentages": [50, 100], "checkpoint_delay": 600}}),
    );
    cloud.advance(200);
    let r = asg(
        &mut cloud,
        "describe_instance_refreshes",
        json!({"auto_scaling_group_name": "web"}),
    );
    let now = &r["instance_refreshes"][0];
    assert_eq!(
        (now["status"].as_str(), now["percentage_complete"].as_i64()),
        (Some("InProgress"), Some(50)),
        "{now}"
    );
    assert!(
        now["status_reason"]
            .as_str()
            .unwrap()
            .starts_with("Waiting for checkpoint"),
        "{now}"
    );
    cloud.advance(700);
    let r = asg(
        &mut cloud,
        "describe_instance_refreshes",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(r["instance_refreshes"][0]["status"], "Successful");
    assert_eq!(
        group(&mut cloud)["launch_template"]["version"],
        "2",
        "the desired configuration is applied"
    );

    // Cancelling: nothing active is an error; an active one goes Cancelled.
    let (code, _) = error(
        &mut cloud,
        "autoscaling",
        "cancel_instance_refresh",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(code, "ActiveInstanceRefreshNotFound");
    asg(
        &mut cloud,
        "start_instance_refresh",
        json!({"auto_scaling_group_name": "web", "preferences": {"instance_warmup": 300}}),
    );
    cloud.advance(1);
    asg(
        &mut cloud,
        "cancel_instance_refresh",
        json!({"auto_scaling_group_name": "web"}),
    );
    cloud.advance(120);
    let r = asg(
        &mut cloud,
        "describe_instance_refreshes",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(r["instance_refreshes"][0]["status"], "Cancelled");
    assert_eq!(r["instance_refreshes"].as_array().unwrap().len(), 3);
}

#[test]
fn errors() {
    let (mut cloud, v1) = fleet(1);
    let create = |name: &str, extra: Value| {
        let mut p = json!({"auto_scaling_group_name": name, "launch_template": {"launch_template_name": "web"},
            "min_size": 1, "max_size": 2, "availability_zones": ["us-east-1a"]});
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    let cases = [
        (
            create("web", json!({})),
            "AlreadyExists",
            "AutoScalingGroup by this name already exists",
        ),
        (
            json!({"auto_scaling_group_name": "x", "min_size": 1, "max_size": 1, "availability_zones": ["us-east-1a"]}),
            "ValidationError",
            "Valid requests must contain either LaunchTemplate",
        ),
        (
            create("x", json!({"desired_capacity": 10})),
            "ValidationError",
            "Desired capacity:10 must be between the specified min size:1 and max size:2",
        ),
        (
            create("x", json!({"max_size": 0})),
            "ValidationError",
            "Max bound, 0, must be greater than or equal to min bound, 1",
        ),
        (
            create("x", json!({"availability_zones": []})),
            "ValidationError",
            "At least one Availability Zone or VPC Subnet is required.",
        ),
        (
            create("x", json!({"availability_zones": ["us-east-1z"]})),
            "ValidationError",
            "Invalid Availability Zone",
        ),
        (
            create(
                "x",
                json!({"vpc_zone_identifier": "subnet-0000000000000000f"}),
            ),
            "ValidationError",
            "The subnet ID 'subnet-0000000000000000f' does not exist",
        ),
        (
            create(
                "x",
                json!({"launch_template": {"launch_template_name": "nope"}}),
            ),
            "ValidationError",
            "You must use a valid fully-formed launch template.",
        ),
        (
            create("x", json!({"termination_policies": ["Random"]})),
            "ValidationError",
            "Unsupported termination policy",
        ),
        (
            create("x", json!({"tags": [{"key": "aws:x", "value": "1"}]})),
            "ValidationError",
            "may not start with 'aws:'",
        ),
    ];
    for (params, code, message) in cases {
        let (c, m) = error(
            &mut cloud,
            "autoscaling",
            "create_auto_scaling_group",
            params.clone(),
        );
        assert_eq!(c, code, "{params}");
        assert!(m.contains(message), "{params}: {m}");
    }
    // An arm64 type with the x86_64 image: EC2's architecture message, as a ValidationError.
    call(
        &mut cloud,
        "ec2",
        "create_launch_template",
        json!({"launch_template_name": "arm", "launch_template_data": {"image_id": v1, "instance_type": "t4g.micro"}}),
    );
    let (c, m) = error(
        &mut cloud,
        "autoscaling",
        "create_auto_scaling_group",
        create(
            "x",
            json!({"launch_template": {"launch_template_name": "arm"}}),
        ),
    );
    assert_eq!(c, "ValidationError");
    assert!(m.starts_with("You must use a valid fully-formed launch template. The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'"), "{m}");

    let missing = json!({"auto_scaling_group_name": "nope", "desired_capacity": 1});
    assert_eq!(
        error(&mut cloud, "autoscaling", "set_desired_capacity", missing).1,
        "AutoScalingGroup name not found - null"
    );
    assert_eq!(
        error(
            &mut cloud,
            "autoscaling",
            "update_auto_scaling_group",
            json!({"auto_scaling_group_name": "nope"})
        )
        .0,
        "ValidationError"
    );
    let (c, m) = error(
        &mut cloud,
        "autoscaling",
        "set_desired_capacity",
        json!({"auto_scaling_group_name": "web", "desired_capacity": 11}),
    );
    assert_eq!(
        (c.as_str(), m.as_str()),
        (
            "ValidationError",
            "New SetDesiredCapacity value 11 is above max value 10 for the AutoScalingGroup."
        )
    );
    let (c, m) = error(
        &mut cloud,
        "autoscaling",
        "set_desired_capacity",
        json!({"auto_scaling_group_name": "web", "desired_capacity": 0}),
    );
    assert_eq!(
        (c.as_str(), m.as_str()),
        (
            "ValidationError",
            "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup."
        )
    );
    let (c, m) = error(
        &mut cloud,
        "autoscaling",
        "terminate_instance_in_auto_scaling_group",
        json!({"instance_id": "i-0123456789abcdef0", "should_decrement_desired_capacity": false}),
    );
    assert_eq!((c.as_str(), m.as_str()), ("ValidationError", "Instance Id not found - No managed instance found for instance ID: i-0123456789abcdef0"));
    let (c, m) = error(
        &mut cloud,
        "autoscaling",
        "set_instance_protection",
        json!({"auto_scaling_group_name": "web", "instance_ids": ["i-0123456789abcdef0"], "protected_from_scale_in": true}),
    );
    assert_eq!(
        (c.as_str(), m.as_str()),
        (
            "ValidationError",
            "The instance i-0123456789abcdef0 is not part of Auto Scaling group web."
        )
    );
    let (c, _) = error(
        &mut cloud,
        "autoscaling",
        "delete_auto_scaling_group",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(c, "ResourceInUse");
    for prefs in [
        json!({"min_healthy_percentage": 100, "max_healthy_percentage": 100}),
        json!({"max_healthy_percentage": 150}),
        json!({"min_healthy_percentage": 10, "max_healthy_percentage": 150}),
        json!({"checkpoint_percentages": [50]}),
        json!({"checkpoint_percentages": [60, 50, 100]}),
    ] {
        let (c, _) = error(
            &mut cloud,
            "autoscaling",
            "start_instance_refresh",
            json!({"auto_scaling_group_name": "web", "preferences": prefs}),
        );
        assert_eq!(c, "ValidationError", "{prefs}");
    }
    assert_eq!(
        error(
            &mut cloud,
            "autoscaling",
            "describe_auto_scaling_groups",
            json!({"max_records": 101})
        )
        .0,
        "ValidationError"
    );
    assert_eq!(
        error(
            &mut cloud,
            "autoscaling",
            "describe_auto_scaling_groups",
            json!({"next_token": "bogus"})
        )
        .0,
        "InvalidNextToken"
    );
}

#[test]
fn force_delete_terminates_the_instances_then_the_group_goes() {
    let (mut cloud, _) = fleet(2);
    let ids: Vec<String> = members(&mut cloud)
        .iter()
        .map(|m| m["instance_id"].as_str().unwrap().to_string())
        .collect();
    asg(
        &mut cloud,
        "delete_auto_scaling_group",
        json!({"auto_scaling_group_name": "web", "force_delete": true}),
    );
    assert_eq!(group(&mut cloud)["status"], "Delete in progress");
    cloud.advance(120);
    let groups = asg(&mut cloud, "describe_auto_scaling_groups", json!({}));
    assert_eq!(groups["auto_scaling_groups"], json!([]));
    let found = call(
        &mut cloud,
        "ec2",
        "describe_instances",
        json!({"instance_ids": ids}),
    );
    assert!(found["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["instances"].as_array().unwrap())
        .all(|i| i["state"]["name"] == "terminated"));
    // The name is free again; the old group's activities are gone unless asked for.
    let acts = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web"}),
    );
    assert_eq!(acts["activities"], json!([]));
    let acts = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web", "include_deleted_groups": true}),
    );
    assert!(acts["activities"].as_array().unwrap().len() >= 4);
}

#[test]
fn a_failing_launch_is_a_failed_activity_and_is_retried() {
    let (mut cloud, v1) = fleet(1);
    // Deregistering the image makes every later launch fail.
    call(
        &mut cloud,
        "ec2",
        "deregister_image",
        json!({"image_id": v1}),
    );
    asg(
        &mut cloud,
        "set_desired_capacity",
        json!({"auto_scaling_group_name": "web", "desired_capacity": 2}),
    );
    cloud.advance(10);
    let acts = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web"}),
    );
    let newest = &acts["activities"][0];
    assert_eq!(newest["status_code"], "Failed");
    assert!(
        newest["status_message"].as_str().unwrap().contains(&v1),
        "{newest}"
    );
    cloud.advance(600);
    let acts = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web"}),
    );
    let failed = acts["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status_code"] == "Failed")
        .count();
    assert_eq!(failed, 3, "tried at once, then every five minutes");
}

#[test]
fn the_same_calls_give_the_same_fleet() {
    let run = || {
        let (mut cloud, _) = fleet(3);
        (group(&mut cloud), cloud.state_digest())
    };
    assert_eq!(run(), run());
}

#[test]
fn instances_that_die_at_boot_are_failed_launches_retried_every_five_minutes() {
    let (mut cloud, v1) = fleet(1);
    // v1 copied encrypted with a customer key that is then disabled: every launch of the copy
    // terminates at boot (Client.InternalError), for its owner too.
    let key = call(&mut cloud, "kms", "create_key", json!({}))["key_metadata"]["key_id"]
        .as_str()
        .unwrap()
        .to_string();
    let copy = call(
        &mut cloud,
        "ec2",
        "copy_image",
        json!({"source_image_id": v1, "source_region": REGION,
        "name": "web-v1-encrypted", "encrypted": true, "kms_key_id": key}),
    )["image_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(600);
    call(&mut cloud, "kms", "disable_key", json!({"key_id": key}));
    call(
        &mut cloud,
        "ec2",
        "create_launch_template_version",
        json!({"launch_template_name": "web", "source_version": "1", "launch_template_data": {"image_id": copy}}),
    );
    asg(
        &mut cloud,
        "set_desired_capacity",
        json!({"auto_scaling_group_name": "web", "desired_capacity": 2}),
    );
    cloud.advance(700);
    let acts = asg(
        &mut cloud,
        "describe_scaling_activities",
        json!({"auto_scaling_group_name": "web"}),
    );
    let failed: Vec<&Value> = acts["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status_code"] == "Failed")
        .collect();
    assert_eq!(
        failed.len(),
        3,
        "each failure backs off five minutes: {failed:?}"
    );
    assert!(
        failed[0]["status_message"]
            .as_str()
            .unwrap()
            .contains("Client.InternalError"),
        "{}",
        failed[0]
    );
    assert_eq!(
        in_service(&mut cloud),
        1,
        "the member from v1 keeps serving"
    );
}

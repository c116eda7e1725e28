//! Quotas keep every run's footprint bounded, and are answered with AWS's own limit errors.

use amilab_cloud::{CallError, Caller, Cloud, Quotas, WorldConfig};
use serde_json::{json, Value};

fn small_cloud() -> Cloud {
    Cloud::new(WorldConfig {
        quotas: Quotas {
            instances_per_region: 2,
            images_per_region: 1,
            snapshots_per_region: 2,
            volumes_per_region: 3,
            groups_and_keys_per_region: 2,
            api_calls: 40,
        },
        ..WorldConfig::default()
    })
}

fn call(cloud: &mut Cloud, method: &str, params: Value) -> Result<Value, String> {
    cloud
        .call(
            &Caller::new("123456789012", "us-east-1"),
            "ec2",
            method,
            params,
        )
        .map_err(|e| match e {
            CallError::Aws(e) => e.code,
            other => format!("{other:?}"),
        })
}

fn server(cloud: &mut Cloud) -> String {
    let ami = amilab_cloud::catalog::images::public_image_id("al2023-x86_64", "us-east-1").unwrap();
    let r = call(
        cloud,
        "run_instances",
        json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
    )
    .unwrap();
    cloud.advance(60);
    r["instances"][0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn instances_volumes_images_snapshots_keys() {
    let mut cloud = small_cloud();
    let id = server(&mut cloud);
    let ami = amilab_cloud::catalog::images::public_image_id("al2023-x86_64", "us-east-1").unwrap();
    // One more instance fits; a third does not, and max_count is trimmed to what fits.
    let r = call(
        &mut cloud,
        "run_instances",
        json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 5}),
    )
    .unwrap();
    assert_eq!(r["instances"].as_array().unwrap().len(), 1);
    assert_eq!(
        call(
            &mut cloud,
            "run_instances",
            json!({"image_id": ami, "min_count": 1, "max_count": 1})
        ),
        Err("InstanceLimitExceeded".into())
    );
    // Two root volumes exist; a third fits, a fourth does not.
    call(
        &mut cloud,
        "create_volume",
        json!({"availability_zone": "us-east-1a", "size": 1}),
    )
    .unwrap();
    assert_eq!(
        call(
            &mut cloud,
            "create_volume",
            json!({"availability_zone": "us-east-1a", "size": 1})
        ),
        Err("VolumeLimitExceeded".into())
    );
    // One image, then ResourceLimitExceeded.
    call(
        &mut cloud,
        "create_image",
        json!({"instance_id": id, "name": "one"}),
    )
    .unwrap();
    assert_eq!(
        call(
            &mut cloud,
            "create_image",
            json!({"instance_id": id, "name": "two"})
        ),
        Err("ResourceLimitExceeded".into())
    );
    // The image made one snapshot; one more fits.
    let vol =
        call(&mut cloud, "describe_volumes", json!({})).unwrap()["volumes"][0]["volume_id"].clone();
    call(&mut cloud, "create_snapshot", json!({"volume_id": vol})).unwrap();
    assert_eq!(
        call(&mut cloud, "create_snapshot", json!({"volume_id": vol})),
        Err("SnapshotLimitExceeded".into())
    );
    // Each account has a default security group: one key pair fits, a second does not.
    call(&mut cloud, "create_key_pair", json!({"key_name": "a"})).unwrap();
    assert_eq!(
        call(&mut cloud, "create_key_pair", json!({"key_name": "b"})),
        Err("KeyPairLimitExceeded".into())
    );
    assert_eq!(
        call(
            &mut cloud,
            "create_security_group",
            json!({"group_name": "web", "description": "x"})
        ),
        Err("SecurityGroupLimitExceeded".into())
    );
}

#[test]
fn api_calls_per_run() {
    let mut cloud = small_cloud();
    for _ in 0..40 {
        call(&mut cloud, "describe_regions", json!({})).unwrap();
    }
    assert_eq!(
        call(&mut cloud, "describe_regions", json!({})),
        Err("RequestLimitExceeded".into())
    );
    // Refused calls are still on the trail, as CloudTrail records throttled requests.
    let last = cloud.trail().events().last().unwrap();
    assert_eq!(last.error_code.as_deref(), Some("RequestLimitExceeded"));
}

/// Runs `command` on `instance` through SSM and returns (status, stderr) once it finished.
fn ssm_run(cloud: &mut Cloud, instance: &str, command: &str) -> (String, String) {
    let caller = Caller::new("123456789012", "us-east-1");
    let sent = cloud
        .call(
            &caller,
            "ssm",
            "send_command",
            json!({"instance_ids": [instance], "document_name": "AWS-RunShellScript",
                   "parameters": {"commands": [command]}}),
        )
        .unwrap();
    cloud.advance(60);
    let id = sent["command"]["command_id"].as_str().unwrap();
    let got = cloud
        .call(
            &caller,
            "ssm",
            "get_command_invocation",
            json!({"command_id": id, "instance_id": instance}),
        )
        .unwrap();
    (
        got["status"].as_str().unwrap().to_string(),
        got["standard_error_content"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_guests_regular_expressions_share_one_budget_per_run() {
    // Each command spends a whole guest run's budget (`a.*b|a` on one long line reads to the
    // end of the line for every match); after four, the run's budget is spent, and even a
    // cheap substitution is refused until the next run.
    let mut cloud = Cloud::new(WorldConfig::default());
    let id = server(&mut cloud);
    let line = "a".repeat(40_000);
    let (status, _) = ssm_run(&mut cloud, &id, &format!("echo {line} > /tmp/long"));
    assert_eq!(status, "Success");
    let (status, _) = ssm_run(&mut cloud, &id, "echo key=value > /tmp/conf");
    assert_eq!(status, "Success");
    let per_run = amilab_cloud::guest::MAX_REGEX_SCAN_BYTES;
    let runs = amilab_cloud::GUEST_REGEX_BUDGET / per_run;
    for _ in 0..runs {
        let (_, stderr) = ssm_run(&mut cloud, &id, "sed -E 's/a.*b|a/X/g' /tmp/long");
        assert!(stderr.contains("simulator limit"), "{stderr}");
    }
    let cheap = "sed -i 's/value/other/' /tmp/conf";
    let (status, stderr) = ssm_run(&mut cloud, &id, cheap);
    assert_eq!(status, "Failed", "{stderr}");
    assert!(stderr.contains("sed: simulator limit"), "{stderr}");
    cloud.begin_run();
    let (status, stderr) = ssm_run(&mut cloud, &id, cheap);
    assert_eq!(status, "Success", "{stderr}");
}

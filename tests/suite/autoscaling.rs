//! Auto Scaling from scripts (issue 10): the rolling-refresh example (image v1 → template →
//! group of 4 across two zones → image v2 → refresh at 50 % minimum healthy, checked at every
//! step of the clock), `--state` halfway through a refresh, and errors thrown as AWS errors.

use crate::cli_common::run;
use crate::common::{expect_error, output};

#[test]
fn the_rolling_refresh_example_keeps_half_the_fleet_in_service() {
    let source = std::fs::read_to_string("examples/rolling-refresh.rhai").unwrap();
    let lines = output(&source);
    let tail: Vec<&str> = lines.iter().map(String::as_str).skip(1).collect();
    assert!(lines[0].starts_with("fleet of 4 on ami-"), "{lines:?}");
    assert_eq!(
        tail,
        vec![
            "refresh done; never fewer than 2 in service",
            "members on v2: 4 of 4"
        ]
    );
}

#[test]
fn state_shows_a_refresh_in_progress() {
    let (code, stdout, stderr) = run(&[
        "run",
        "tests/fixtures/refresh-in-progress.rhai",
        "--state",
        "--format",
        "plain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_second_refresh_and_a_mismatched_template_are_refused() {
    let setup = r#"
        let asg = client("autoscaling", "us-east-1");
        let ami = al2023(ec2);
        ec2.create_launch_template(#{launch_template_name: "web",
            launch_template_data: #{image_id: ami, instance_type: "t3.micro"}});
        ec2.create_launch_template(#{launch_template_name: "arm",
            launch_template_data: #{image_id: ami, instance_type: "t4g.micro"}});
    "#;
    expect_error(
        &format!(
            r#"{setup}
            asg.create_auto_scaling_group(#{{auto_scaling_group_name: "web",
                launch_template: #{{launch_template_name: "web"}}, min_size: 1, max_size: 2,
                availability_zones: ["us-east-1a"]}});
            asg.start_instance_refresh(#{{auto_scaling_group_name: "web"}});
            asg.start_instance_refresh(#{{auto_scaling_group_name: "web"}});"#
        ),
        "InstanceRefreshInProgress",
        "An Instance Refresh is already in progress",
    );
    expect_error(
        &format!(
            r#"{setup}
            asg.create_auto_scaling_group(#{{auto_scaling_group_name: "arm",
                launch_template: #{{launch_template_name: "arm"}}, min_size: 1, max_size: 2,
                availability_zones: ["us-east-1a"]}});"#
        ),
        "ValidationError",
        "You must use a valid fully-formed launch template. The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI.",
    );
}

#[test]
fn a_client_without_waiters_says_so_and_what_to_do() {
    let f = crate::common::failure(
        r#"let asg = client("autoscaling", "us-east-1");
           asg.get_waiter("group_in_service");"#,
    );
    assert_eq!(f.code.as_deref(), Some("ValueError"));
    assert!(
        f.message.contains("Waiter does not exist: group_in_service. The client has no waiters (as in boto3): poll its describe call with sleep() in a loop."),
        "{}",
        f.message
    );
}

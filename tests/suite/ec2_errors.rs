//! Every error code of EC2-BEHAVIOUR.md, triggered the way a learner would trigger it.

use crate::common;
use common::{expect_error, output};

// ---- General ---------------------------------------------------------------------------------

#[test]
fn dry_run_succeeds_with_dry_run_operation_and_changes_nothing() {
    let f = expect_error(
        r#"ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1, dry_run: true});"#,
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
    );
    assert!(f.message.starts_with(
        "An error occurred (DryRunOperation) when calling the RunInstances operation"
    ));
    let lines = output(
        r#"try { ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, instance_type: "t3.micro", dry_run: true}); } catch (e) { print(e.code) }
           print(ec2.describe_instances().reservations.len());"#,
    );
    assert_eq!(lines, vec!["DryRunOperation", "0"]);
}

#[test]
fn dry_run_reports_the_real_error_when_the_call_would_fail() {
    expect_error(
        r#"ec2.run_instances(#{image_id: "ami-0123456789abcdef0", min_count: 1, max_count: 1, dry_run: true});"#,
        "InvalidAMIID.NotFound",
        "ami-0123456789abcdef0",
    );
}

#[test]
fn malformed_image_id_names_the_first_bad_id() {
    expect_error(
        r#"ec2.describe_images(#{image_ids: ["ami-0123456789abcdef0", "x", "y"]});"#,
        "InvalidAMIID.Malformed",
        r#"Invalid id: "x" (expecting "ami-...")"#,
    );
}

// ---- DescribeImages ----------------------------------------------------------------------------

#[test]
fn unknown_image_id_one_and_many() {
    expect_error(
        r#"ec2.describe_images(#{image_ids: ["ami-0123456789abcdef0"]});"#,
        "InvalidAMIID.NotFound",
        "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    expect_error(
        r#"ec2.describe_images(#{image_ids: ["ami-0123456789abcdef0", "ami-0123456789abcdef1"]});"#,
        "InvalidAMIID.NotFound",
        "The image ids '[ami-0123456789abcdef0, ami-0123456789abcdef1]' do not exist",
    );
}

#[test]
fn filter_without_a_name_and_unknown_filter() {
    expect_error(
        r#"ec2.describe_images(#{filters: [#{values: ["x"]}]});"#,
        "InvalidParameterValue",
        "The filter 'null' is invalid.",
    );
    expect_error(
        r#"ec2.describe_images(#{filters: [#{name: "colour", values: ["x"]}]});"#,
        "InvalidParameterValue",
        "The filter 'colour' is invalid.",
    );
}

// ---- CreateImage -------------------------------------------------------------------------------

#[test]
fn create_image_name_rules() {
    expect_error(
        r#"ec2.create_image(#{instance_id: running_web(ec2), name: "ab"});"#,
        "InvalidAMIName.Malformed",
        "between 3 and 128",
    );
    expect_error(
        r#"ec2.create_image(#{instance_id: running_web(ec2), name: "web#1"});"#,
        "InvalidAMIName.Malformed",
        "web#1",
    );
    let f = expect_error(
        r#"let id = running_web(ec2);
           let first = ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id;
           ec2.create_image(#{instance_id: id, name: "web-v1"});"#,
        "InvalidAMIName.Duplicate",
        "AMI name web-v1 is already in use by AMI ami-",
    );
    assert!(f.message.contains("CreateImage"));
}

#[test]
fn the_same_name_in_another_region_is_fine() {
    let lines = output(
        r#"let id = running_web(ec2);
           let a = ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [a]});
           let b = client("ec2", "eu-west-1").copy_image(#{name: "web-v1", source_image_id: a, source_region: "us-east-1"}).image_id;
           print(a != b);"#,
    );
    assert_eq!(lines, vec!["true"]);
}

#[test]
fn create_image_needs_a_running_stopping_or_stopped_instance() {
    expect_error(
        r#"let id = launch(ec2, al2023(ec2), "t3.micro");
           ec2.create_image(#{instance_id: id, name: "too-early"});"#,
        "InvalidParameterValue",
        "Instance is not in state 'running' or 'stopping' or 'stopped'",
    );
    expect_error(
        r#"ec2.create_image(#{instance_id: "i-0123456789abcdef0", name: "nope"});"#,
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist",
    );
}

#[test]
fn create_image_tag_specifications_only_for_image_and_snapshot() {
    expect_error(
        r#"ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1", tag_specifications: [#{resource_type: "instance", tags: [#{key: "a", value: "b"}]}]});"#,
        "InvalidParameterValue",
        "'instance' is not a valid taggable resource type for this operation.",
    );
}

#[test]
fn pending_images_cannot_be_run_or_modified() {
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.run_instances(#{image_id: img, min_count: 1, max_count: 1, instance_type: "t3.micro"});"#,
        "InvalidAMIID.Unavailable",
        "is pending, and cannot be run",
    );
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});"#,
        "InvalidAMIID.Unavailable",
        "is pending",
    );
}

#[test]
fn instance_store_instances_cannot_be_imaged_with_create_image() {
    expect_error(
        r#"let ami = base_image(ec2, "amzn-ami-hvm-*-s3");
           let id = launch(ec2, ami, "m3.medium");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           ec2.create_image(#{instance_id: id, name: "store"});"#,
        "UnsupportedOperation",
        "does not have an 'ebs' root device type",
    );
}

// ---- CopyImage ---------------------------------------------------------------------------------

#[test]
fn copy_from_the_wrong_region_is_not_found() {
    expect_error(
        r#"let ami = al2023(ec2);
           client("ec2", "eu-west-1").copy_image(#{name: "copy", source_image_id: ami, source_region: "eu-west-1"});"#,
        "InvalidAMIID.NotFound",
        "does not exist",
    );
}

#[test]
fn kms_key_needs_encrypted_and_must_exist() {
    expect_error(
        r#"client("ec2", "eu-west-1").copy_image(#{source_image_id: al2023(ec2), source_region: "us-east-1", kms_key_id: "alias/aws/ebs", name: "copy"});"#,
        "InvalidParameterDependency",
        "requires the parameter Encrypted",
    );
    expect_error(
        r#"client("ec2", "eu-west-1").copy_image(#{source_image_id: al2023(ec2), source_region: "us-east-1", encrypted: true, kms_key_id: "alias/nope", name: "copy"});"#,
        "InvalidParameterValue",
        "alias/nope",
    );
}

// ---- DeregisterImage ---------------------------------------------------------------------------

#[test]
fn deregister_twice_and_unknown() {
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.deregister_image(#{image_id: img});
           ec2.deregister_image(#{image_id: img});"#,
        "InvalidAMIID.Unavailable",
        "is no longer available",
    );
    expect_error(
        r#"ec2.deregister_image(#{image_id: "ami-0123456789abcdef0"});"#,
        "InvalidAMIID.NotFound",
        "does not exist",
    );
}

#[test]
fn launching_from_a_deregistered_image_fails() {
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           ec2.deregister_image(#{image_id: img});
           ec2.run_instances(#{image_id: img, min_count: 1, max_count: 1, instance_type: "t3.micro"});"#,
        "InvalidAMIID.NotFound",
        img_fragment(),
    );
}

fn img_fragment() -> &'static str {
    "The image id '[ami-"
}

// ---- Snapshots and volumes ---------------------------------------------------------------------

#[test]
fn snapshot_errors() {
    expect_error(
        r#"ec2.create_snapshot(#{volume_id: "vol-0123456789abcdef0"});"#,
        "InvalidVolume.NotFound",
        "The volume 'vol-0123456789abcdef0' does not exist.",
    );
    expect_error(
        r#"ec2.delete_snapshot(#{snapshot_id: "snap-0123456789abcdef0"});"#,
        "InvalidSnapshot.NotFound",
        "snap-0123456789abcdef0",
    );
    expect_error(
        r#"ec2.describe_snapshots(#{snapshot_ids: ["snap-0123456789abcdef0"]});"#,
        "InvalidSnapshot.NotFound",
        "snap-0123456789abcdef0",
    );
    let f = expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           let snap = ec2.describe_images(#{image_ids: [img]}).images[0].block_device_mappings[0].ebs.snapshot_id;
           ec2.delete_snapshot(#{snapshot_id: snap});"#,
        "InvalidSnapshot.InUse",
        "is currently in use by ami-",
    );
    assert!(f.message.contains("The snapshot snap-"));
}

// ---- Launch permissions ------------------------------------------------------------------------

const READY_IMAGE: &str = r#"
let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [img]});
"#;

#[test]
fn bad_group_or_user_id_applies_nothing() {
    expect_error(
        &format!(
            r#"{READY_IMAGE} ec2.modify_image_attribute(#{{image_id: img, launch_permission: #{{add: [#{{group: "everyone"}}]}}}});"#
        ),
        "InvalidAMIAttributeItemValue",
        r#"Invalid attribute item value "everyone" for UserGroup item type."#,
    );
    let lines = output(&format!(
        r#"{READY_IMAGE}
        try {{
            ec2.modify_image_attribute(#{{image_id: img, attribute: "launchPermission", operation_type: "add", user_ids: ["444455556666", "12345"]}});
        }} catch (e) {{ print(e.code); print(e.message); }}
        print(ec2.describe_image_attribute(#{{image_id: img, attribute: "launchPermission"}}).launch_permissions.len());"#
    ));
    assert_eq!(
        lines,
        vec![
            "InvalidAMIAttributeItemValue",
            r#"Invalid attribute item value "12345" for userId item type."#,
            "0"
        ]
    );
}

#[test]
fn attribute_beside_a_launch_permission_structure_is_accepted() {
    // `aws ec2 modify-image-attribute --attribute launchPermission --launch-permission Add=[…]`.
    let lines = output(&format!(
        r#"{READY_IMAGE}
        ec2.modify_image_attribute(#{{image_id: img, attribute: "launchPermission", launch_permission: #{{add: [#{{user_id: "444455556666"}}]}}}});
        print(ec2.describe_image_attribute(#{{image_id: img, attribute: "launchPermission"}}).launch_permissions[0].user_id);"#
    ));
    assert_eq!(lines, vec!["444455556666"]);
    // Without either an operation type or a structure, it still says what is missing.
    expect_error(
        &format!(
            r#"{READY_IMAGE} ec2.modify_image_attribute(#{{image_id: img, attribute: "launchPermission", user_ids: ["444455556666"]}});"#
        ),
        "InvalidParameterValue",
        "operationType",
    );
}

#[test]
fn block_device_mapping_attribute_is_deprecated() {
    expect_error(
        &format!(
            r#"{READY_IMAGE} ec2.describe_image_attribute(#{{image_id: img, attribute: "blockDeviceMapping"}});"#
        ),
        "AuthFailure",
        "Unauthorized attempt",
    );
}

// ---- RunInstances ------------------------------------------------------------------------------

#[test]
fn architecture_mismatch() {
    expect_error(
        r#"ec2.run_instances(#{image_id: base_image(ec2, "al2023-ami-*-arm64"), instance_type: "m5.large", min_count: 1, max_count: 1});"#,
        "InvalidParameterValue",
        "The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI.",
    );
    expect_error(
        r#"ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t4g.micro", min_count: 1, max_count: 1});"#,
        "InvalidParameterValue",
        "The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'",
    );
}

#[test]
fn paravirtual_image_on_an_hvm_only_type() {
    expect_error(
        r#"ec2.run_instances(#{image_id: base_image(ec2, "amzn-ami-pv-*-ebs"), instance_type: "t2.micro", min_count: 1, max_count: 1});"#,
        "InvalidParameterCombination",
        "Virtualization type 'hvm' is required for instances of type 't2.micro'.",
    );
    // ...while an old PV-capable type runs it.
    let lines =
        output(r#"print(launch(ec2, base_image(ec2, "amzn-ami-pv-*-ebs"), "m3.medium").len());"#);
    assert_eq!(lines, vec!["19"]);
}

#[test]
fn instance_store_image_on_an_ebs_only_type() {
    expect_error(
        r#"ec2.run_instances(#{image_id: base_image(ec2, "amzn-ami-hvm-*-s3"), instance_type: "t2.micro", min_count: 1, max_count: 1});"#,
        "UnsupportedOperation",
        "with an instance-store root device is not supported for the instance type 't2.micro'.",
    );
}

#[test]
fn unknown_key_pair_group_and_subnet() {
    let base = r#"#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1"#;
    expect_error(
        &format!(r#"ec2.run_instances({base}, key_name: "nope"}});"#),
        "InvalidKeyPair.NotFound",
        "The key pair 'nope' does not exist",
    );
    expect_error(
        &format!(r#"ec2.run_instances({base}, security_group_ids: ["sg-0123456789abcdef0"]}});"#),
        "InvalidGroup.NotFound",
        "sg-0123456789abcdef0",
    );
    expect_error(
        &format!(r#"ec2.run_instances({base}, subnet_id: "subnet-0123456789abcdef0"}});"#),
        "InvalidSubnetID.NotFound",
        "subnet-0123456789abcdef0",
    );
    expect_error(
        &format!(
            r#"ec2.run_instances({base}, subnet_id: "subnet-0123456789abcdef0", network_interfaces: [#{{device_index: 0}}]}});"#
        ),
        "NotSimulated",
        "An error occurred (NotSimulated) when calling the RunInstances operation: amilab does not simulate `network_interfaces`",
    );
}

#[test]
fn members_not_simulated_are_caught_like_aws_errors() {
    let lines = output(
        r#"try {
               ec2.run_instances(#{image_id: "ami-0123456789abcdef0", min_count: 1, max_count: 1,
                   placement: #{group_name: "cluster"}});
           } catch (e) { print(e.code); print(e.operation); }"#,
    );
    assert_eq!(lines, vec!["NotSimulated", "RunInstances"]);
}

#[test]
fn fewer_than_min_count_launches_nothing() {
    let lines = output(
        r#"try {
               ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 300, max_count: 300});
           } catch (e) { print(e.code); }
           print(ec2.describe_instances().reservations.len());
           let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 300});
           print(r.instances.len());"#,
    );
    assert_eq!(lines, vec!["InstanceLimitExceeded", "0", "256"]);
}

// ---- Instance lifecycle ------------------------------------------------------------------------

#[test]
fn stop_rules() {
    expect_error(
        r#"let id = launch(ec2, base_image(ec2, "amzn-ami-hvm-*-s3"), "m3.medium");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           ec2.stop_instances(#{instance_ids: [id]});"#,
        "UnsupportedOperation",
        "does not have an 'ebs' root device type and cannot be stopped.",
    );
    expect_error(
        r#"let id = launch(ec2, al2023(ec2), "t3.micro");
           ec2.stop_instances(#{instance_ids: [id]});"#,
        "IncorrectInstanceState",
        "cannot be stopped as it has never reached the 'running' state.",
    );
    expect_error(
        r#"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1, disable_api_stop: true});
           let id = r.instances[0].instance_id;
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           ec2.stop_instances(#{instance_ids: [id]});"#,
        "OperationNotPermitted",
        "may not be stopped",
    );
}

#[test]
fn start_needs_a_stopped_instance() {
    expect_error(
        r#"let id = running_web(ec2);
           ec2.terminate_instances(#{instance_ids: [id]});
           ec2.start_instances(#{instance_ids: [id]});"#,
        "IncorrectInstanceState",
        "is not in a state from which it can be started.",
    );
}

#[test]
fn terminate_rules() {
    expect_error(
        r#"ec2.terminate_instances(#{instance_ids: []});"#,
        "InvalidParameterCombination",
        "No instances specified",
    );
    let lines = output(
        r#"let id = running_web(ec2);
           try { ec2.terminate_instances(#{instance_ids: [id, "i-0123456789abcdef0"]}); }
           catch (e) { print(e.code); print(e.message); }
           print(ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].state.name);"#,
    );
    assert_eq!(
        lines,
        vec![
            "InvalidInstanceID.NotFound",
            "The instance ID 'i-0123456789abcdef0' does not exist",
            "running"
        ]
    );
    expect_error(
        r#"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1, disable_api_termination: true});
           ec2.terminate_instances(#{instance_ids: [r.instances[0].instance_id]});"#,
        "OperationNotPermitted",
        "may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.",
    );
}

// ---- Tags --------------------------------------------------------------------------------------

#[test]
fn tag_errors() {
    expect_error(
        r#"ec2.create_tags(#{resources: ["i-0123456789abcdef0"], tags: [#{key: "a", value: "b"}]});"#,
        "InvalidID",
        "The ID 'i-0123456789abcdef0' is not valid",
    );
    expect_error(
        r#"let id = running_web(ec2);
           let tags = [];
           for i in 0..51 { tags.push(#{key: `k${i}`, value: "v"}); }
           ec2.create_tags(#{resources: [id], tags: tags});"#,
        "TagLimitExceeded",
        "50 tags",
    );
}

#[test]
fn volume_sizes_must_be_1_to_16384_gib() {
    let base = r#"#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1"#;
    expect_error(
        &format!(
            r#"ec2.run_instances({base}, block_device_mappings: [#{{device_name: "/dev/xvda", ebs: #{{volume_size: -5}}}}]}});"#
        ),
        "InvalidParameterValue",
        "Volume size -5 is out of range",
    );
    expect_error(
        &format!(
            r#"ec2.run_instances({base}, block_device_mappings: [#{{device_name: "/dev/xvda", ebs: #{{volume_size: 4}}}}]}});"#
        ),
        "InvalidBlockDeviceMapping",
        "Volume of size 4GB is smaller than snapshot",
    );
    expect_error(
        r#"ec2.create_volume(#{availability_zone: "us-east-1a", size: 0});"#,
        "InvalidParameterValue",
        "out of range",
    );
    expect_error(
        r#"ec2.create_volume(#{availability_zone: "us-east-1a", size: 99999});"#,
        "InvalidParameterValue",
        "out of range",
    );
}

#[test]
fn a_volume_attaches_only_in_its_own_zone() {
    expect_error(
        r#"let id = running_web(ec2);
           let zone = ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].placement.availability_zone;
           let other = if zone == "us-east-1a" { "us-east-1b" } else { "us-east-1a" };
           let vol = ec2.create_volume(#{availability_zone: other, size: 8}).volume_id;
           ec2.get_waiter("volume_available").wait(#{volume_ids: [vol]});
           ec2.attach_volume(#{volume_id: vol, instance_id: id, device: "/dev/sdf"});"#,
        "InvalidVolume.ZoneMismatch",
        "is not in the same availability zone as instance 'i-",
    );
}

#[test]
fn an_encrypted_image_cannot_be_made_public() {
    let f = expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let key = client("kms", "us-east-1").create_key(#{description: "images"}).key_metadata.key_id;
           let enc = ec2.copy_image(#{name: "web-v1-enc", source_image_id: img, source_region: "us-east-1", encrypted: true, kms_key_id: key}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [enc]});
           ec2.modify_image_attribute(#{image_id: enc, launch_permission: #{add: [#{group: "all"}]}});"#,
        "UnsupportedOperation",
        "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
    );
    assert!(f.line.is_some());
}

#[test]
fn an_encrypted_image_has_no_unencrypted_copy() {
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let enc = ec2.copy_image(#{name: "web-v1-enc", source_image_id: img, source_region: "us-east-1", encrypted: true}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [enc]});
           // Leaving `encrypted` out copies it encrypted; asking for a clear copy is refused.
           ec2.copy_image(#{name: "web-v1-enc-again", source_image_id: enc, source_region: "us-east-1"});
           ec2.copy_image(#{name: "web-v1-clear", source_image_id: enc, source_region: "us-east-1", encrypted: false});"#,
        "InvalidRequest",
        "unencrypted copy of an encrypted snapshot is not supported",
    );
}

#[test]
fn an_ingress_rule_needs_a_source() {
    // Through the rule list and through the top-level members alike; nothing is added.
    expect_error(
        r#"ec2.authorize_security_group_ingress(#{group_name: "default",
               ip_permissions: [#{ip_protocol: "tcp", from_port: 22, to_port: 22}]});"#,
        "MissingParameter",
        "Missing source specification: include source security group or CIDR information",
    );
    expect_error(
        r#"ec2.authorize_security_group_ingress(#{group_name: "default", ip_protocol: "tcp", from_port: 22, to_port: 22});"#,
        "MissingParameter",
        "Missing source specification",
    );
    let lines = output(
        r#"try { ec2.authorize_security_group_ingress(#{group_name: "default",
               ip_permissions: [#{ip_protocol: "tcp", from_port: 22, to_port: 22}]}); } catch (e) {}
           let g = ec2.describe_security_groups(#{group_names: ["default"]}).security_groups[0];
           print(g.ip_permissions.len());"#,
    );
    assert_eq!(lines, vec!["1"]);
}

//! What real EC2, KMS and SSM do that scripts can observe (issue 9): snapshot sharing and the
//! storage permission CopyImage needs, launch options that take effect (IMDSv2, IAM instance
//! profiles, detailed monitoring), KMS key specs, SSM command settings and plugin details, and
//! members refused as not simulated. Each rule with its exact error code.

use crate::common::{expect_error, output};

const MATE: &str = "444455556666";

/// An image of the caller's, available, and the snapshot behind its root device.
const IMAGE: &str = r#"
let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [img]});
let snap = ec2.describe_images(#{image_ids: [img]}).images[0].block_device_mappings[0].ebs.snapshot_id;
let mate = session("444455556666").client("ec2", "us-east-1");
"#;

#[test]
fn a_shared_snapshot_can_be_described_and_restored_by_the_account_it_is_shared_with() {
    let lines = output(&format!(
        r#"{IMAGE}
           print(mate.describe_snapshots(#{{restorable_by_user_ids: ["self"]}}).snapshots.len());
           ec2.modify_snapshot_attribute(#{{snapshot_id: snap, create_volume_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});
           print(ec2.describe_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission"}}).create_volume_permissions);
           print(mate.describe_snapshots(#{{restorable_by_user_ids: ["self"]}}).snapshots[0].snapshot_id == snap);
           let v = mate.create_volume(#{{availability_zone: "us-east-1a", snapshot_id: snap}});
           print(v.snapshot_id == snap);
           ec2.reset_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission"}});
           print(ec2.describe_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission"}}).create_volume_permissions.len());
           try {{ mate.create_volume(#{{availability_zone: "us-east-1a", snapshot_id: snap}}); }} catch (e) {{ print(e.code); }}"#
    ));
    assert_eq!(
        lines,
        vec![
            "0",
            &format!("[#{{\"user_id\": \"{MATE}\"}}]"),
            "true",
            "true",
            "0",
            "InvalidSnapshot.NotFound"
        ]
    );
}

#[test]
fn copying_a_shared_image_needs_create_volume_permission_on_its_snapshots_launching_does_not() {
    let lines = output(&format!(
        r#"{IMAGE}
           ec2.modify_image_attribute(#{{image_id: img, launch_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});
           let i = mate.run_instances(#{{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1}}).instances[0].instance_id;
           print(i.starts_with("i-"));
           try {{ mate.copy_image(#{{source_image_id: img, source_region: "us-east-1", name: "mine"}}); }}
           catch (e) {{ print(e.code + ": " + e.message); }}
           ec2.modify_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission", operation_type: "add", user_ids: ["{MATE}"]}});
           print(mate.copy_image(#{{source_image_id: img, source_region: "us-east-1", name: "mine"}}).image_id.starts_with("ami-"));"#
    ));
    assert_eq!(
        lines,
        vec![
            "true",
            "InvalidRequest: You do not have permission to access the storage of this ami",
            "true"
        ]
    );
}

#[test]
fn snapshot_sharing_follows_ec2s_rules() {
    let setup = format!(
        r#"{IMAGE}
           let key = client("kms", "us-east-1").create_key(#{{}}).key_metadata.key_id;
           let v = ec2.create_volume(#{{availability_zone: "us-east-1a", size: 1, encrypted: true}});
           let managed = ec2.create_snapshot(#{{volume_id: v.volume_id}}).snapshot_id;
           let w = ec2.create_volume(#{{availability_zone: "us-east-1a", size: 1, encrypted: true, kms_key_id: key}});
           let own_key = ec2.create_snapshot(#{{volume_id: w.volume_id}}).snapshot_id;
        "#
    );
    expect_error(
        &format!(
            r#"{setup} ec2.modify_snapshot_attribute(#{{snapshot_id: own_key, create_volume_permission: #{{add: [#{{group: "all"}}]}}}});"#
        ),
        "UnsupportedOperation",
        "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.modify_snapshot_attribute(#{{snapshot_id: managed, create_volume_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});"#
        ),
        "InvalidParameter",
        "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.modify_snapshot_attribute(#{{snapshot_id: snap, create_volume_permission: #{{add: [#{{group: "everyone"}}]}}}});"#
        ),
        "InvalidParameterValue",
        "for group item type",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.modify_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission", user_ids: ["{MATE}"]}});"#
        ),
        "MissingParameter",
        "operationType",
    );
    expect_error(
        &format!(
            r#"{setup} mate.modify_snapshot_attribute(#{{snapshot_id: snap, create_volume_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});"#
        ),
        "InvalidSnapshot.NotFound",
        "does not exist",
    );
    // A customer key's snapshot may be shared with an account (the key's policy is the owner's
    // business), and a refused request shares nothing.
    let lines = output(&format!(
        r#"{setup}
           ec2.modify_snapshot_attribute(#{{snapshot_id: own_key, create_volume_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});
           try {{ ec2.modify_snapshot_attribute(#{{snapshot_id: snap, create_volume_permission: #{{add: [#{{user_id: "{MATE}"}}, #{{user_id: "12"}}]}}}}); }} catch (e) {{ print(e.code); }}
           print(ec2.describe_snapshot_attribute(#{{snapshot_id: snap, attribute: "createVolumePermission"}}).create_volume_permissions.len());
           print(ec2.describe_snapshot_attribute(#{{snapshot_id: own_key, attribute: "createVolumePermission"}}).create_volume_permissions.len());"#
    ));
    assert_eq!(lines, vec!["InvalidParameterValue", "0", "1"]);
}

#[test]
fn launch_options_take_effect_and_show_in_describe_instances() {
    let lines = output(
        r#"let plain = ec2.run_instances(#{image_id: base_image(ec2, "ubuntu/images/*jammy*amd64*"), instance_type: "t3.micro", min_count: 1, max_count: 1}).instances[0];
           print(plain.metadata_options.http_tokens + " " + plain.metadata_options.http_put_response_hop_limit + " " + plain.monitoring.state);
           print("iam_instance_profile" in plain);
           let v2 = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1,
               monitoring: #{enabled: true}, iam_instance_profile: #{name: "web-server"}}).instances[0];
           print(v2.metadata_options.http_tokens + " " + v2.metadata_options.http_put_response_hop_limit + " " + v2.monitoring.state);
           print(v2.iam_instance_profile.arn);
           let changed = ec2.modify_instance_metadata_options(#{instance_id: plain.instance_id, http_tokens: "required"});
           print(changed.instance_metadata_options.http_tokens);
           let seen = ec2.describe_instances(#{instance_ids: [plain.instance_id]}).reservations[0].instances[0];
           print(seen.metadata_options.http_tokens + " " + seen.metadata_options.state);
           print(ec2.describe_images(#{image_ids: [al2023(ec2)]}).images[0].imds_support);"#,
    );
    assert_eq!(
        lines,
        vec![
            "optional 1 disabled",
            "false",
            "required 2 enabled",
            "arn:aws:iam::123456789012:instance-profile/web-server",
            "required",
            "required applied",
            "v2.0"
        ]
    );
    expect_error(
        r#"ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, metadata_options: #{http_tokens: "always"}});"#,
        "InvalidParameterValue",
        "Value (always) for parameter HttpTokens is invalid. Valid values: optional, required",
    );
    expect_error(
        r#"ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, metadata_options: #{http_put_response_hop_limit: 65}});"#,
        "InvalidParameterValue",
        "HttpPutResponseHopLimit",
    );
    expect_error(
        r#"ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, iam_instance_profile: #{arn: "arn:aws:iam::123456789012:role/web"}});"#,
        "InvalidParameterValue",
        "iamInstanceProfile.arn",
    );
}

#[test]
fn imds_support_is_set_once_and_for_good() {
    let lines = output(&format!(
        r#"{IMAGE}
           print("imds_support" in ec2.describe_images(#{{image_ids: [img]}}).images[0]);
           ec2.modify_image_attribute(#{{image_id: img, imds_support: #{{value: "v2.0"}}}});
           print(ec2.describe_image_attribute(#{{image_id: img, attribute: "imdsSupport"}}).imds_support.value);
           let i = ec2.run_instances(#{{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1}}).instances[0];
           print(i.metadata_options.http_tokens);
           try {{ ec2.modify_image_attribute(#{{image_id: img, attribute: "imdsSupport", value: "v1.0"}}); }} catch (e) {{ print(e.code); }}"#
    ));
    assert_eq!(
        lines,
        vec!["false", "v2.0", "required", "InvalidParameterValue"]
    );
}

#[test]
fn kms_keys_have_the_spec_and_usage_asked_for() {
    let lines = output(
        r#"let kms = client("kms", "us-east-1");
           let k = kms.create_key(#{key_spec: "RSA_2048", key_usage: "SIGN_VERIFY"}).key_metadata;
           print(k.key_spec + " " + k.key_usage + " " + k.signing_algorithms.len() + " " + ("encryption_algorithms" in k));
           let d = kms.create_key(#{}).key_metadata;
           print(d.key_spec + " " + d.key_usage + " " + d.encryption_algorithms);
           try { kms.create_key(#{key_spec: "HMAC_256"}); } catch (e) { print(e.code); }
           try { kms.create_key(#{key_spec: "AES_256"}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "RSA_2048 SIGN_VERIFY 6 false",
            "SYMMETRIC_DEFAULT ENCRYPT_DECRYPT [\"SYMMETRIC_DEFAULT\"]",
            "ValidationException",
            "ValidationException"
        ]
    );
}

#[test]
fn ssm_commands_keep_their_settings_and_show_plugin_output() {
    let lines = output(
        r#"let ssm = client("ssm", "us-east-1");
           let id = running_web(ec2);
           let c = ssm.send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript",
               parameters: #{commands: ["echo hello"]}, timeout_seconds: 600, max_concurrency: "10%", max_errors: "1"}).command;
           print(c.timeout_seconds + " " + c.max_concurrency + " " + c.max_errors);
           sleep(5);
           let inv = ssm.list_command_invocations(#{command_id: c.command_id, details: true}).command_invocations[0];
           let out = inv.command_plugins[0].output;
           out.trim();
           print(inv.command_plugins[0].name + " " + out);
           print("command_plugins" in ssm.list_command_invocations(#{command_id: c.command_id}).command_invocations[0]);
           try { ssm.get_command_invocation(#{command_id: c.command_id, instance_id: id, plugin_name: "aws:runPowerShellScript"}); } catch (e) { print(e.code); }
           try { ssm.send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{commands: ["true"]}, timeout_seconds: 5}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "600 10% 1",
            "aws:runShellScript hello",
            "false",
            "InvalidPluginName",
            "ValidationException"
        ]
    );
}

#[test]
fn a_stop_records_when_it_happened_and_a_forced_stop_is_quicker() {
    let lines = output(
        r#"let a = running_web(ec2);
           let b = running_web(ec2);
           ec2.stop_instances(#{instance_ids: [a]});
           ec2.stop_instances(#{instance_ids: [b], force: true});
           let reason = ec2.describe_instances(#{instance_ids: [a]}).reservations[0].instances[0].state_transition_reason;
           print(reason.starts_with("User initiated (") && reason.ends_with(" GMT)"));
           sleep(10);
           for id in [a, b] { print(ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].state.name); }"#,
    );
    assert_eq!(lines, vec!["true", "stopping", "stopped"]);
}

#[test]
fn block_device_mappings_follow_ec2s_rules() {
    let setup = r#"let img = al2023(ec2);
        let v = ec2.create_volume(#{availability_zone: "us-east-1a", size: 4});
        sleep(20);
        let snap = ec2.create_snapshot(#{volume_id: v.volume_id}).snapshot_id;
        sleep(120);
    "#;
    expect_error(
        &format!(
            r#"{setup} ec2.run_instances(#{{image_id: img, min_count: 1, max_count: 1, block_device_mappings: [#{{device_name: "/dev/sdf", ebs: #{{volume_type: "gp3"}}}}]}});"#
        ),
        "InvalidBlockDeviceMapping",
        "needs a volume_size or a snapshot_id",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.run_instances(#{{image_id: img, min_count: 1, max_count: 1, block_device_mappings: [#{{device_name: "/dev/sdf", ebs: #{{snapshot_id: snap, volume_size: 2}}}}]}});"#
        ),
        "InvalidBlockDeviceMapping",
        "is smaller than snapshot",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.register_image(#{{name: "from-snap", root_device_name: "/dev/xvda", block_device_mappings: [#{{device_name: "/dev/xvda", ebs: #{{snapshot_id: snap, volume_size: 2}}}}]}});"#
        ),
        "InvalidBlockDeviceMapping",
        "expect size >= 4GB",
    );
    expect_error(
        &format!(
            r#"{setup} ec2.register_image(#{{name: "from-snap", root_device_name: "/dev/xvda", block_device_mappings: [#{{device_name: "/dev/xvda", ebs: #{{snapshot_id: snap}}}}, #{{device_name: "/dev/sdf", ebs: #{{}}}}]}});"#
        ),
        "InvalidBlockDeviceMapping",
        "needs a snapshot_id or a volume_size",
    );
    // A new device from a snapshot alone takes the snapshot's size.
    let lines = output(&format!(
        r#"{setup}
           let i = ec2.run_instances(#{{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1,
               block_device_mappings: [#{{device_name: "/dev/sdf", ebs: #{{snapshot_id: snap}}}}]}}).instances[0].instance_id;
           ec2.get_waiter("instance_running").wait(#{{instance_ids: [i]}});
           let vols = ec2.describe_volumes(#{{filters: [#{{name: "attachment.instance-id", values: [i]}}]}}).volumes;
           for v in vols {{ if v.snapshot_id == snap {{ print(v.size); }} }}"#
    ));
    assert_eq!(lines, vec!["4"]);
}

#[test]
fn an_attached_volume_is_in_use() {
    expect_error(
        r#"let a = running_web(ec2);
           let b = running_web(ec2);
           let zone = ec2.describe_instances(#{instance_ids: [a]}).reservations[0].instances[0].placement.availability_zone;
           let v = ec2.create_volume(#{availability_zone: zone, size: 1}).volume_id;
           sleep(20);
           ec2.attach_volume(#{volume_id: v, instance_id: a, device: "/dev/sdf"});
           ec2.attach_volume(#{volume_id: v, instance_id: b, device: "/dev/sdf"});"#,
        "VolumeInUse",
        "is already attached to an instance",
    );
}

#[test]
fn key_pairs_take_a_format_and_show_their_public_key_when_asked() {
    let lines = output(
        r#"let k = ec2.create_key_pair(#{key_name: "putty", key_format: "ppk"});
           print(k.key_material.starts_with("PuTTY-User-Key-File-2: ssh-rsa"));
           ec2.import_key_pair(#{key_name: "laptop", public_key_material: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop\n"});
           print("public_key" in ec2.describe_key_pairs(#{key_names: ["laptop"]}).key_pairs[0]);
           print(ec2.describe_key_pairs(#{key_names: ["laptop"], include_public_key: true}).key_pairs[0].public_key);
           print(ec2.describe_key_pairs(#{key_names: ["putty"], include_public_key: true}).key_pairs[0].public_key.starts_with("ssh-rsa AAAA"));
           try { ec2.create_key_pair(#{key_name: "x", key_format: "der"}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "true",
            "false",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop",
            "true",
            "InvalidParameterValue"
        ]
    );
}

#[test]
fn regions_and_zones_by_every_name_ec2_knows() {
    let lines = output(
        r#"let enabled = ec2.describe_regions(#{}).regions;
           let all = ec2.describe_regions(#{all_regions: true}).regions;
           print(enabled.len() == all.len());
           let zone = ec2.describe_availability_zones(#{zone_names: ["us-east-1b"]}).availability_zones[0];
           let i = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1,
               placement: #{availability_zone_id: zone.zone_id}}).instances[0];
           print(i.placement.availability_zone);
           try { ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, placement: #{availability_zone_id: "use1-az99"}}); } catch (e) { print(e.code); }
           try { ec2.run_instances(#{image_id: al2023(ec2), min_count: 1, max_count: 1, placement: #{availability_zone: "us-east-1a", availability_zone_id: zone.zone_id}}); } catch (e) { print(e.code); }"#,
    );
    // The default world enables every catalogue region.
    assert_eq!(
        lines,
        vec![
            "true",
            "us-east-1b",
            "InvalidParameterValue",
            "InvalidParameterCombination"
        ]
    );
}

#[test]
fn each_account_sees_only_its_own_tags_on_a_shared_image() {
    let lines = output(&format!(
        r#"{IMAGE}
           ec2.create_tags(#{{resources: [img], tags: [#{{key: "team", value: "web"}}]}});
           ec2.modify_image_attribute(#{{image_id: img, launch_permission: #{{add: [#{{user_id: "{MATE}"}}]}}}});
           print("tags" in mate.describe_images(#{{image_ids: [img]}}).images[0]);
           mate.create_tags(#{{resources: [img], tags: [#{{key: "use", value: "staging"}}]}});
           print(mate.describe_images(#{{image_ids: [img]}}).images[0].tags);
           print(ec2.describe_images(#{{image_ids: [img]}}).images[0].tags);
           print(mate.describe_images(#{{filters: [#{{name: "tag:use", values: ["staging"]}}]}}).images.len());
           print(mate.describe_images(#{{filters: [#{{name: "tag:team", values: ["web"]}}]}}).images.len());
           print(mate.describe_tags(#{{filters: [#{{name: "resource-id", values: [img]}}]}}).tags.len());"#
    ));
    assert_eq!(
        lines,
        vec![
            "false",
            "[#{\"key\": \"use\", \"value\": \"staging\"}]",
            "[#{\"key\": \"team\", \"value\": \"web\"}]",
            "1",
            "0",
            "1"
        ]
    );
}

//! Time and lifecycles: pending → available / running, stop / start / terminate, copies,
//! deregistration, sharing, encryption, the marketplace, and the smaller EC2 families.

use crate::common;
use amilab_cloud::clock::{durations, DEFAULT_START};
use common::{expect_error, output, run};

#[test]
fn images_are_pending_then_available_after_the_documented_time() {
    let (report, cloud) = run(r#"let id = running_web(ec2);
           let img = ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id;
           print(ec2.describe_images(#{image_ids: [img]}).images[0].state);
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           print(ec2.describe_images(#{image_ids: [img]}).images[0].state);"#);
    let lines: Vec<_> = report
        .output
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(lines, vec!["pending", "available"]);
    // 30 s boot (two polls of 15 s) + 120 s of CreateImage, polled every 15 s.
    assert_eq!(
        cloud.borrow().now() - DEFAULT_START,
        durations::EBS_BOOT + durations::CREATE_IMAGE
    );
}

#[test]
fn cross_region_copies_take_longer_than_same_region_copies() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let same = ec2.copy_image(#{name: "web-v1-copy", source_image_id: img, source_region: "us-east-1"}).image_id;
           let eu = client("ec2", "eu-west-1");
           let far = eu.copy_image(#{name: "web-v1", source_image_id: img, source_region: "us-east-1"}).image_id;
           sleep(200);
           print(ec2.describe_images(#{image_ids: [same]}).images[0].state);
           print(eu.describe_images(#{image_ids: [far]}).images[0].state);
           sleep(250);
           print(eu.describe_images(#{image_ids: [far]}).images[0].state);"#,
    );
    assert_eq!(lines, vec!["available", "pending", "available"]);
}

#[test]
fn a_copy_is_a_new_independent_image_with_its_own_snapshots() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1",
                   tag_specifications: [#{resource_type: "image", tags: [#{key: "Version", value: "1"}]}]}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
           let eu = client("ec2", "eu-west-1");
           let copy = eu.copy_image(#{name: "web-v1", source_image_id: img, source_region: "us-east-1", copy_image_tags: true}).image_id;
           eu.get_waiter("image_available").wait(#{image_ids: [copy]});
           let src = ec2.describe_images(#{image_ids: [img]}).images[0];
           let dst = eu.describe_images(#{image_ids: [copy]}).images[0];
           print(dst.source_image_id == img);
           print(dst.source_image_region);
           print(dst.block_device_mappings[0].ebs.snapshot_id != src.block_device_mappings[0].ebs.snapshot_id);
           print(dst.tags[0].key + "=" + dst.tags[0].value);
           print(eu.describe_image_attribute(#{image_id: copy, attribute: "launchPermission"}).launch_permissions.len());
           print(dst.description);
           ec2.deregister_image(#{image_id: img});
           print(eu.describe_images(#{image_ids: [copy]}).images[0].state);"#,
    );
    assert_eq!(lines[0], "true");
    assert_eq!(lines[1], "us-east-1");
    assert_eq!(lines[2], "true");
    assert_eq!(lines[3], "Version=1");
    assert_eq!(lines[4], "0", "launch permissions are not copied");
    assert!(lines[5].starts_with("[Copied ami-"), "{}", lines[5]);
    assert_eq!(lines[6], "available");
}

#[test]
fn an_image_id_is_unknown_in_another_region() {
    expect_error(
        r#"client("ec2", "eu-west-1").describe_images(#{image_ids: [al2023(ec2)]});"#,
        "InvalidAMIID.NotFound",
        "does not exist",
    );
}

#[test]
fn encryption_on_copy_and_never_public() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let kms = client("kms", "us-east-1");
           let key = kms.create_key(#{description: "images"}).key_metadata;
           kms.create_alias(#{alias_name: "alias/images", target_key_id: key.key_id});
           let enc = ec2.copy_image(#{name: "web-v1-enc", source_image_id: img, source_region: "us-east-1", encrypted: true, kms_key_id: "alias/images"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [enc]});
           let ebs = ec2.describe_images(#{image_ids: [enc]}).images[0].block_device_mappings[0].ebs;
           print(ebs.encrypted);
           print(ebs.kms_key_id == key.arn);
           try { ec2.modify_image_attribute(#{image_id: enc, launch_permission: #{add: [#{group: "all"}]}}); } catch (e) { print(e.code); }
           let again = ec2.copy_image(#{name: "web-v1-enc2", source_image_id: enc, source_region: "us-east-1"}).image_id;
           print(ec2.describe_images(#{image_ids: [again]}).images[0].block_device_mappings[0].ebs.encrypted);"#,
    );
    assert_eq!(lines, vec!["true", "true", "UnsupportedOperation", "true"]);
}

#[test]
fn deregistering_leaves_snapshots_unless_asked() {
    let lines = output(
        r#"let id = running_web(ec2);
           let a = ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id;
           let b = ec2.create_image(#{instance_id: id, name: "web-v2"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [a, b]});
           ec2.deregister_image(#{image_id: a});
           print(ec2.describe_images(#{image_ids: [a]}).images.len());
           print(ec2.describe_snapshots(#{owner_ids: ["self"]}).snapshots.len());
           let r = ec2.deregister_image(#{image_id: b, delete_associated_snapshots: true});
           print(r.delete_snapshot_results[0].return_code);
           print(ec2.describe_snapshots(#{owner_ids: ["self"]}).snapshots.len());
           // The name is free again.
           print(ec2.create_image(#{instance_id: id, name: "web-v1"}).image_id.len());"#,
    );
    assert_eq!(lines, vec!["0", "2", "success", "1", "21"]);
}

#[test]
fn shared_images_are_private_to_the_accounts_named() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let mate = session("444455556666").client("ec2", "us-east-1");
           let stranger = session("777788889999").client("ec2", "us-east-1");
           print(mate.describe_images(#{owners: ["123456789012"]}).images.len());
           ec2.modify_image_attribute(#{image_id: img, attribute: "launchPermission", operation_type: "add", user_ids: ["444455556666"]});
           print(mate.describe_images(#{executable_users: ["self"]}).images.len());
           print(stranger.describe_images(#{owners: ["123456789012"]}).images.len());
           let r = mate.run_instances(#{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1});
           print(r.owner_id);
           print(ec2.describe_images(#{image_ids: [img]}).images[0]["public"]);
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}});
           print(stranger.describe_images(#{executable_users: ["all"], owners: ["123456789012"]}).images.len());
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{remove: [#{group: "all"}, #{user_id: "444455556666"}]}});
           print(mate.describe_images(#{owners: ["123456789012"]}).images.len());
           try { mate.deregister_image(#{image_id: img}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "0",
            "1",
            "0",
            "444455556666",
            "false",
            "1",
            "0",
            "InvalidAMIID.NotFound"
        ]
    );
}

#[test]
fn block_public_access_refuses_new_public_sharing() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           ec2.enable_image_block_public_access(#{image_block_public_access_state: "block-new-sharing"});
           print(ec2.get_image_block_public_access_state().image_block_public_access_state);
           try { ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(lines, vec!["block-new-sharing", "OperationNotPermitted"]);
}

#[test]
fn marketplace_product_codes_follow_the_software() {
    // The learner subscribed to the LAMP stack (launching it otherwise is `OptInRequired`).
    let lines = common::output_in(
        common::subscribed(&["7axhc9g8w4lqkc3v2b6e1mzpa"]),
        r#"let lamp = ec2.describe_images(#{owners: ["aws-marketplace"], filters: [#{name: "name", values: ["bitnami-lampstack-*"]}]}).images[0];
           print(lamp.product_codes[0].product_code_type);
           let id = launch(ec2, lamp.image_id, "t3.small");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           let mine = ec2.create_image(#{instance_id: id, name: "my-lamp"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [mine]});
           print(ec2.describe_images(#{image_ids: [mine]}).images[0].product_codes[0].product_code_id == lamp.product_codes[0].product_code_id);
           try { ec2.modify_image_attribute(#{image_id: mine, launch_permission: #{add: [#{group: "all"}]}}); } catch (e) { print(e.code); }
           try { client("ec2", "eu-west-1").copy_image(#{name: "lamp-copy", source_image_id: lamp.image_id, source_region: "us-east-1"}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "marketplace",
            "true",
            "InvalidParameterValue",
            "UnsupportedOperation"
        ]
    );
}

#[test]
fn stop_start_terminate_lifecycle_and_volumes() {
    let lines = output(
        r#"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1,
                 block_device_mappings: [#{device_name: "/dev/sdf", ebs: #{volume_size: 20, delete_on_termination: false}}]});
           let id = r.instances[0].instance_id;
           print(r.instances[0].state.name);
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           let ip = ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].public_ip_address;
           let s = ec2.stop_instances(#{instance_ids: [id]}).stopping_instances[0];
           print(s.previous_state.name + " -> " + s.current_state.name);
           ec2.get_waiter("instance_stopped").wait(#{instance_ids: [id]});
           print(ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].keys().contains("public_ip_address"));
           print(ec2.describe_volumes().volumes.len());
           ec2.start_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           print(ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].public_ip_address != ip);
           let t = ec2.terminate_instances(#{instance_ids: [id]}).terminating_instances[0];
           print(t.current_state.name + " " + t.current_state.code);
           ec2.get_waiter("instance_terminated").wait(#{instance_ids: [id]});
           let vols = ec2.describe_volumes().volumes;
           print(vols.len() + " " + vols[0].state + " " + vols[0].size);
           print(ec2.terminate_instances(#{instance_ids: [id]}).terminating_instances[0].current_state.name);
           sleep(3600);
           print(ec2.describe_instances().reservations.len());"#,
    );
    assert_eq!(
        lines,
        vec![
            "pending",
            "running -> stopping",
            "false",
            "2",
            "true",
            "shutting-down 32",
            "1 available 20",
            "terminated",
            "0"
        ]
    );
}

#[test]
fn instance_store_boots_are_slower_than_ebs_boots() {
    let (report, cloud) = run(
        r#"let id = launch(ec2, base_image(ec2, "amzn-ami-hvm-*-s3"), "m3.medium");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});"#,
    );
    assert!(report.succeeded(), "{:?}", report.failure);
    assert!(cloud.borrow().now() - DEFAULT_START >= durations::INSTANCE_STORE_BOOT);
}

#[test]
fn run_instances_places_and_tags_like_ec2() {
    let lines = output(
        r#"let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 3, max_count: 3,
                 placement: #{availability_zone: "us-east-1b"},
                 tag_specifications: [#{resource_type: "instance", tags: [#{key: "Name", value: "web"}]},
                                      #{resource_type: "volume", tags: [#{key: "Team", value: "a"}]}]});
           print(r.instances.len());
           print(r.instances.filter(|i| i.placement.availability_zone == "us-east-1b").len());
           print(r.instances.map(|i| i.ami_launch_index));
           let named = ec2.describe_instances(#{filters: [#{name: "tag:Name", values: ["web"]}, #{name: "instance-state-name", values: ["pending", "running"]}]});
           print(named.reservations[0].instances.len());
           print(ec2.describe_volumes(#{filters: [#{name: "tag:Team", values: ["a"]}]}).volumes.len());
           print(r.instances[0].security_groups[0].group_name);"#,
    );
    assert_eq!(lines, vec!["3", "3", "[0, 1, 2]", "3", "3", "default"]);
}

#[test]
fn describe_images_filters_owners_and_wildcards() {
    let lines = output(
        r#"print(ec2.describe_images(#{owners: ["amazon"], filters: [#{name: "architecture", values: ["arm64"]}]}).images.len());
           print(ec2.describe_images(#{filters: [#{name: "name", values: ["ubuntu/images/*-2?.04-*"]}]}).images.len());
           print(ec2.describe_images(#{filters: [#{name: "platform", values: ["windows"]}]}).images.len());
           print(ec2.describe_images(#{filters: [#{name: "virtualization-type", values: ["paravirtual"]}]}).images.len());
           print(ec2.describe_images(#{filters: [#{name: "root-device-type", values: ["instance-store"]}]}).images.len());
           print(ec2.describe_images(#{owners: ["aws-marketplace"]}).images.len());
           print(ec2.describe_images(#{filters: [#{name: "name", values: []}]}).images.len());
           print(ec2.describe_images(#{owners: ["self"]}).images.len());"#,
    );
    assert_eq!(lines, vec!["1", "4", "1", "1", "1", "3", "0", "0"]);
}

#[test]
fn regions_zones_and_instance_types() {
    let lines = output(
        r#"print(ec2.describe_regions().regions.len());
           print(client("ec2", "us-west-2").describe_availability_zones().availability_zones.map(|z| z.zone_name));
           let t = ec2.describe_instance_types(#{instance_types: ["t4g.micro"]}).instance_types[0];
           print(t.processor_info.supported_architectures);
           let pv = ec2.describe_instance_types(#{filters: [#{name: "supported-virtualization-type", values: ["paravirtual"]}]});
           print(pv.instance_types.map(|t| t.instance_type));
           try { ec2.describe_instance_types(#{instance_types: ["m9.huge"]}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(lines[0], "8");
    assert_eq!(
        lines[1],
        r#"["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]"#
    );
    assert_eq!(lines[2], r#"["arm64"]"#);
    assert_eq!(
        lines[3],
        r#"["c1.medium", "c3.large", "m1.medium", "m1.small", "m3.medium", "t1.micro"]"#
    );
    assert_eq!(lines[4], "InvalidParameterValue");
}

#[test]
fn key_pairs_security_groups_and_the_default_vpc() {
    let lines = output(
        r#"let k = ec2.create_key_pair(#{key_name: "deploy"});
           print(k.key_material.contains("PRIVATE KEY"));
           try { ec2.create_key_pair(#{key_name: "deploy"}); } catch (e) { print(e.code); }
           let vpc = ec2.describe_vpcs(#{filters: [#{name: "is-default", values: ["true"]}]}).vpcs[0];
           print(ec2.describe_subnets(#{filters: [#{name: "vpc-id", values: [vpc.vpc_id]}]}).subnets.len());
           let sg = ec2.create_security_group(#{group_name: "web", description: "HTTP in"}).group_id;
           ec2.authorize_security_group_ingress(#{group_id: sg, ip_permissions: [#{ip_protocol: "tcp", from_port: 80, to_port: 80, ip_ranges: [#{cidr_ip: "0.0.0.0/0"}]}]});
           try { ec2.authorize_security_group_ingress(#{group_id: sg, ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ip: "0.0.0.0/0"}); } catch (e) { print(e.code); }
           let r = ec2.run_instances(#{image_id: al2023(ec2), instance_type: "t3.micro", min_count: 1, max_count: 1, key_name: "deploy", security_group_ids: [sg]});
           print(r.instances[0].key_name + " " + r.instances[0].security_groups[0].group_name);
           try { ec2.delete_security_group(#{group_id: sg}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "true",
            "InvalidKeyPair.Duplicate",
            "6",
            "InvalidPermission.Duplicate",
            "deploy web",
            "DependencyViolation"
        ]
    );
}

#[test]
fn tags_can_be_created_described_and_deleted() {
    let lines = output(
        r#"let id = running_web(ec2);
           ec2.create_tags(#{resources: [id], tags: [#{key: "Name", value: "web"}, #{key: "Env", value: "prod"}]});
           ec2.create_tags(#{resources: [id], tags: [#{key: "Name", value: "web-1"}]});
           print(ec2.describe_tags(#{filters: [#{name: "resource-id", values: [id]}]}).tags.map(|t| t.key + "=" + t.value));
           ec2.delete_tags(#{resources: [id], tags: [#{key: "Env", value: "dev"}]});
           print(ec2.describe_tags().tags.len());
           ec2.delete_tags(#{resources: [id], tags: [#{key: "Env"}]});
           print(ec2.describe_tags().tags.len());"#,
    );
    assert_eq!(lines, vec![r#"["Env=prod", "Name=web-1"]"#, "2", "1"]);
}

#[test]
fn sts_and_kms_basics() {
    let lines = output(
        r#"let id = client("sts", "us-east-1").get_caller_identity();
           print(id.account + " " + id.arn);
           let kms = client("kms", "eu-west-1");
           print(kms.list_aliases().aliases[0].alias_name);
           print(kms.describe_key(#{key_id: "alias/aws/ebs"}).key_metadata.key_manager);
           try { kms.describe_key(#{key_id: "alias/nope"}); } catch (e) { print(e.code); }"#,
    );
    assert_eq!(
        lines,
        vec![
            "123456789012 arn:aws:iam::123456789012:user/learner",
            "alias/aws/ebs",
            "AWS",
            "NotFoundException"
        ]
    );
}

#[test]
fn register_image_from_a_snapshot_defaults_to_paravirtual_i386() {
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let snap = ec2.describe_images(#{image_ids: [img]}).images[0].block_device_mappings[0].ebs.snapshot_id;
           let pv = ec2.register_image(#{name: "from-snap", root_device_name: "/dev/xvda",
               block_device_mappings: [#{device_name: "/dev/xvda", ebs: #{snapshot_id: snap}}]}).image_id;
           let hvm = ec2.register_image(#{name: "from-snap-hvm", root_device_name: "/dev/xvda", virtualization_type: "hvm", ena_support: true,
               block_device_mappings: [#{device_name: "/dev/xvda", ebs: #{snapshot_id: snap}}]}).image_id;
           let hvm64 = ec2.register_image(#{name: "from-snap-hvm-64", root_device_name: "/dev/xvda", virtualization_type: "hvm", ena_support: true,
               architecture: "x86_64", block_device_mappings: [#{device_name: "/dev/xvda", ebs: #{snapshot_id: snap}}]}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [pv, hvm, hvm64]});
           let img = ec2.describe_images(#{image_ids: [pv]}).images[0];
           print(img.virtualization_type + " " + img.architecture);
           try { launch(ec2, pv, "t3.micro"); } catch (e) { print(e.code); }
           try { launch(ec2, hvm, "t3.micro"); } catch (e) { print(e.code); }
           print(launch(ec2, hvm64, "t3.micro").len());"#,
    );
    assert_eq!(
        lines,
        vec![
            "paravirtual i386",
            // i386 comes before paravirtual: t3 is 64-bit only.
            "InvalidParameterValue",
            "InvalidParameterValue",
            "19"
        ]
    );
}

#[test]
fn images_encrypted_with_the_aws_managed_key_cannot_be_shared() {
    // EC2-BEHAVIOUR.md (corrected): the share itself is refused, and nothing is shared. A copy
    // encrypted with a customer key can be shared, and launched by the teammate once the key
    // policy lets the teammate use the key (kms_cross_account.rs has the whole story).
    let lines = output(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [img]});
           let managed = ec2.copy_image(#{name: "web-v1-ebs-key", source_image_id: img, source_region: "us-east-1", encrypted: true}).image_id;
           let key = client("kms", "us-east-1").create_key(#{description: "shared"}).key_metadata.key_id;
           let custom = ec2.copy_image(#{name: "web-v1-own-key", source_image_id: img, source_region: "us-east-1", encrypted: true, kms_key_id: key}).image_id;
           ec2.get_waiter("image_available").wait(#{image_ids: [managed, custom]});
           for id in [managed, custom] {
               try {
                   ec2.modify_image_attribute(#{image_id: id, launch_permission: #{add: [#{user_id: "444455556666"}]}});
                   print("shared");
               } catch (e) { print(e.code + ": " + e.message); }
           }
           print(ec2.describe_image_attribute(#{image_id: managed, attribute: "launchPermission"}).launch_permissions.len());
           let mate = session("444455556666").client("ec2", "us-east-1");
           print(mate.describe_images(#{executable_users: ["self"]}).images.len());
           // The teammate may launch it once the key policy lets it use the key.
           client("kms", "us-east-1").put_key_policy(#{key_id: key, policy: `{"Statement": [
               {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "444455556666"]}, "Action": "kms:*", "Resource": "*"}]}`});
           let i = mate.run_instances(#{image_id: custom, instance_type: "t3.micro", min_count: 1, max_count: 1}).instances[0].instance_id;
           mate.get_waiter("instance_running").wait(#{instance_ids: [i]});
           print(mate.describe_instances(#{instance_ids: [i]}).reservations[0].instances[0].state.name);"#,
    );
    assert_eq!(
        lines,
        vec![
            "InvalidParameter: Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.",
            "shared",
            "0",
            "1",
            "running"
        ]
    );
}

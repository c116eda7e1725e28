#![allow(dead_code)] // each test binary that includes the tour uses a part of it

//! A tour of the operation table: a story that calls every operation at least once with a
//! request it accepts, in an order where each call has what it needs (an instance before its
//! image, a volume before its attachment). The conformance test checks each answer against
//! botocore's output shapes; the atomicity test tries failing requests at every step.

use amilab_cloud::api::OPERATIONS;
use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::{CallError, Caller, Cloud, WorldConfig};
use serde_json::{json, Value};

pub const REGION: &str = "us-east-1";
pub const OTHER_REGION: &str = "eu-west-1";
pub const MATE: &str = "222233334444";

/// One successful call of the tour.
#[derive(Debug, Clone)]
pub struct Step {
    pub service: &'static str,
    pub method: &'static str,
    pub params: Value,
    pub response: Value,
}

/// The tour's cloud: two regions, the learner's account and a teammate's. Each account has
/// already made a call in each region, so that the default network EC2 gives an account in a
/// region (made at its first call there) exists before the tour begins.
pub fn world() -> Cloud {
    let mut cloud = Cloud::new(WorldConfig {
        regions: vec![REGION.into(), OTHER_REGION.into()],
        other_accounts: vec![MATE.into()],
        ..WorldConfig::default()
    });
    for account in [amilab_cloud::DEFAULT_ACCOUNT, MATE] {
        for region in [REGION, OTHER_REGION] {
            let caller = Caller::new(account, region);
            cloud
                .call(&caller, "sts", "get_caller_identity", json!({}))
                .expect("GetCallerIdentity");
        }
    }
    cloud
}

pub fn me() -> Caller {
    Caller::new(amilab_cloud::DEFAULT_ACCOUNT, REGION)
}

/// Runs the tour. `before` sees the cloud, the caller and the request of every step before the
/// step runs (the atomicity test tries its failing variants there).
// One call per line reads as the story it is; rustfmt would spread each over six.
#[rustfmt::skip]
pub fn run(mut before: impl FnMut(&mut Cloud, &Caller, &'static str, &'static str, &Value)) -> Vec<Step> {
    let mut cloud = world();
    let mut steps = Vec::new();
    let mut call = |cloud: &mut Cloud, caller: &Caller, service: &'static str, method: &'static str, params: Value| -> Value {
        before(cloud, caller, service, method, &params);
        let response = cloud
            .call(caller, service, method, params.clone())
            .unwrap_or_else(|e: CallError| panic!("tour step {service}.{method}({params}) failed: {e:?}"));
        steps.push(Step { service, method, params, response: response.clone() });
        response
    };
    let me = me();
    let mate = Caller::new(MATE, REGION);
    let away = Caller::new(amilab_cloud::DEFAULT_ACCOUNT, OTHER_REGION);
    let al2023 = public_image_id("al2023-x86_64", REGION).expect("catalogue image");
    let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).to_string();

    // Account, regions, catalogue: the answers with the most variety.
    call(&mut cloud, &me, "sts", "get_caller_identity", json!({}));
    call(&mut cloud, &me, "ec2", "describe_regions", json!({}));
    call(&mut cloud, &me, "ec2", "describe_regions", json!({"all_regions": true}));
    call(&mut cloud, &me, "ec2", "describe_availability_zones", json!({}));
    call(&mut cloud, &me, "ec2", "describe_availability_zones", json!({"all_availability_zones": true}));
    call(&mut cloud, &me, "ec2", "describe_instance_types", json!({"instance_types": ["t3.micro"]}));
    call(&mut cloud, &me, "ec2", "describe_instance_types", json!({}));
    call(&mut cloud, &me, "ec2", "describe_vpcs", json!({}));
    call(&mut cloud, &me, "ec2", "describe_subnets", json!({}));
    call(&mut cloud, &me, "ec2", "describe_images", json!({"image_ids": [al2023]}));
    call(&mut cloud, &me, "ec2", "describe_images", json!({"owners": ["amazon", "aws-marketplace"]}));

    // Key pairs and a web security group.
    call(&mut cloud, &me, "ec2", "create_key_pair", json!({"key_name": "web", "tag_specifications": [{"resource_type": "key-pair", "tags": [{"key": "team", "value": "web"}]}]}));
    let laptop = call(&mut cloud, &me, "ec2", "import_key_pair", json!({"key_name": "laptop", "public_key_material": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl laptop"}));
    call(&mut cloud, &me, "ec2", "describe_key_pairs", json!({}));
    call(&mut cloud, &me, "ec2", "describe_key_pairs", json!({"include_public_key": true}));
    let sg = call(&mut cloud, &me, "ec2", "create_security_group", json!({"group_name": "web", "description": "web servers"}));
    let sg = s(&sg["group_id"]);
    call(&mut cloud, &me, "ec2", "authorize_security_group_ingress", json!({"group_id": sg, "ip_permissions": [
        {"ip_protocol": "tcp", "from_port": 80, "to_port": 80, "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}]},
        {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "ip_ranges": [{"cidr_ip": "10.0.0.0/8"}]}]}));
    call(&mut cloud, &me, "ec2", "revoke_security_group_ingress", json!({"group_id": sg, "ip_permissions": [
        {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "ip_ranges": [{"cidr_ip": "10.0.0.0/8"}]}]}));
    call(&mut cloud, &me, "ec2", "describe_security_groups", json!({}));

    // An instance with every launch option simulated, its attributes and its console.
    let run = call(&mut cloud, &me, "ec2", "run_instances", json!({
        "image_id": al2023, "instance_type": "t3.micro", "min_count": 1, "max_count": 1, "placement": {"availability_zone": "us-east-1c"},
        "key_name": "web", "security_group_ids": [sg], "user_data": "#!/bin/bash\ndnf install -y nginx\n",
        "monitoring": {"enabled": true}, "iam_instance_profile": {"name": "web-server"},
        "metadata_options": {"http_tokens": "required", "http_put_response_hop_limit": 2, "instance_metadata_tags": "enabled"},
        "tag_specifications": [{"resource_type": "instance", "tags": [{"key": "Name", "value": "web-1"}]}]}));
    let instance = s(&run["instances"][0]["instance_id"]);
    call(&mut cloud, &me, "ec2", "describe_instances", json!({"instance_ids": [instance]}));
    cloud.advance(120);
    call(&mut cloud, &me, "ec2", "describe_instances", json!({"instance_ids": [instance]}));
    for attribute in ["instanceType", "disableApiTermination", "disableApiStop", "userData", "instanceInitiatedShutdownBehavior", "rootDeviceName", "groupSet"] {
        call(&mut cloud, &me, "ec2", "describe_instance_attribute", json!({"instance_id": instance, "attribute": attribute}));
    }
    call(&mut cloud, &me, "ec2", "get_console_output", json!({"instance_id": instance}));
    call(&mut cloud, &me, "ec2", "get_console_output", json!({"instance_id": instance, "latest": true}));
    call(&mut cloud, &me, "ec2", "modify_instance_metadata_options", json!({"instance_id": instance, "http_endpoint": "enabled", "http_put_response_hop_limit": 3}));
    call(&mut cloud, &me, "ec2", "reboot_instances", json!({"instance_ids": [instance]}));
    cloud.advance(120);
    call(&mut cloud, &me, "ec2", "stop_instances", json!({"instance_ids": [instance], "force": true}));
    call(&mut cloud, &me, "ec2", "describe_instances", json!({"instance_ids": [instance]}));
    cloud.advance(120);
    call(&mut cloud, &me, "ec2", "describe_instances", json!({"instance_ids": [instance]}));
    call(&mut cloud, &me, "ec2", "modify_instance_attribute", json!({"instance_id": instance, "instance_type": {"value": "t3.small"}}));
    call(&mut cloud, &me, "ec2", "start_instances", json!({"instance_ids": [instance]}));
    cloud.advance(120);

    // Launch templates: one made from scratch, one from the running instance, versions, a launch.
    let lt = call(&mut cloud, &me, "ec2", "create_launch_template", json!({"launch_template_name": "web", "version_description": "first", "launch_template_data": {"image_id": al2023, "instance_type": "t3.micro", "key_name": "web", "security_group_ids": [sg], "user_data": "IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngK", "monitoring": {"enabled": true}, "metadata_options": {"http_tokens": "required"}, "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 16, "volume_type": "gp3"}}], "tag_specifications": [{"resource_type": "instance", "tags": [{"key": "Name", "value": "from-template"}]}]}, "tag_specifications": [{"resource_type": "launch-template", "tags": [{"key": "team", "value": "web"}]}]}));
    let lt = s(&lt["launch_template"]["launch_template_id"]);
    call(&mut cloud, &me, "ec2", "create_launch_template_version", json!({"launch_template_id": lt, "source_version": "1", "version_description": "bigger", "launch_template_data": {"instance_type": "t3.small"}}));
    call(&mut cloud, &me, "ec2", "create_launch_template_version", json!({"launch_template_name": "web", "launch_template_data": {"image_id": al2023}}));
    call(&mut cloud, &me, "ec2", "modify_launch_template", json!({"launch_template_id": lt, "default_version": "2"}));
    call(&mut cloud, &me, "ec2", "describe_launch_templates", json!({}));
    call(&mut cloud, &me, "ec2", "describe_launch_templates", json!({"launch_template_names": ["web"], "filters": [{"name": "tag:team", "values": ["web"]}]}));
    call(&mut cloud, &me, "ec2", "describe_launch_template_versions", json!({"launch_template_id": lt}));
    call(&mut cloud, &me, "ec2", "describe_launch_template_versions", json!({"launch_template_name": "web", "versions": ["$Latest", "$Default"], "max_results": 1}));
    call(&mut cloud, &me, "ec2", "describe_launch_template_versions", json!({"versions": ["$Default"], "filters": [{"name": "is-default-version", "values": ["true"]}]}));
    let from_lt = call(&mut cloud, &me, "ec2", "run_instances", json!({"launch_template": {"launch_template_id": lt}, "instance_type": "t3.medium", "min_count": 1, "max_count": 1}));
    let from_lt = s(&from_lt["instances"][0]["instance_id"]);
    // Auto Scaling: a group from the template across two zones, protection, scaling, a refresh
    // back to version 1, a cancelled one, and a forced delete.
    call(&mut cloud, &me, "autoscaling", "create_auto_scaling_group", json!({"auto_scaling_group_name": "web", "launch_template": {"launch_template_id": lt, "version": "$Default"}, "min_size": 1, "max_size": 4, "desired_capacity": 2, "default_cooldown": 120, "availability_zones": ["us-east-1a", "us-east-1b"], "health_check_type": "EC2", "health_check_grace_period": 30, "termination_policies": ["OldestInstance", "Default"], "new_instances_protected_from_scale_in": false, "tags": [{"resource_id": "web", "resource_type": "auto-scaling-group", "key": "team", "value": "web", "propagate_at_launch": true}], "default_instance_warmup": 30, "instance_maintenance_policy": {"min_healthy_percentage": 50, "max_healthy_percentage": 100}}));
    cloud.advance(60);
    call(&mut cloud, &me, "autoscaling", "describe_auto_scaling_groups", json!({}));
    let group = call(&mut cloud, &me, "autoscaling", "describe_auto_scaling_groups", json!({"auto_scaling_group_names": ["web"], "include_instances": true, "max_records": 1, "filters": [{"name": "tag:team", "values": ["web"]}]}));
    let member = s(&group["auto_scaling_groups"][0]["instances"][0]["instance_id"]);
    call(&mut cloud, &me, "autoscaling", "describe_auto_scaling_instances", json!({"instance_ids": [member], "max_records": 10}));
    call(&mut cloud, &me, "autoscaling", "set_instance_protection", json!({"auto_scaling_group_name": "web", "instance_ids": [member], "protected_from_scale_in": true}));
    call(&mut cloud, &me, "autoscaling", "set_desired_capacity", json!({"auto_scaling_group_name": "web", "desired_capacity": 3, "honor_cooldown": false}));
    call(&mut cloud, &me, "autoscaling", "update_auto_scaling_group", json!({"auto_scaling_group_name": "web", "max_size": 5, "min_size": 1, "launch_template": {"launch_template_id": lt, "version": "$Latest"}, "vpc_zone_identifier": "", "availability_zones": ["us-east-1a", "us-east-1b"], "health_check_grace_period": 10}));
    cloud.advance(60);
    call(&mut cloud, &me, "autoscaling", "start_instance_refresh", json!({"auto_scaling_group_name": "web", "strategy": "Rolling", "desired_configuration": {"launch_template": {"launch_template_id": lt, "version": "1"}}, "preferences": {"min_healthy_percentage": 50, "instance_warmup": 10, "checkpoint_percentages": [50, 100], "checkpoint_delay": 60, "skip_matching": false, "scale_in_protected_instances": "Refresh", "max_healthy_percentage": 150}}));
    cloud.advance(30);
    call(&mut cloud, &me, "autoscaling", "describe_instance_refreshes", json!({"auto_scaling_group_name": "web"}));
    cloud.advance(600);
    call(&mut cloud, &me, "autoscaling", "describe_instance_refreshes", json!({"auto_scaling_group_name": "web", "max_records": 5}));
    call(&mut cloud, &me, "autoscaling", "start_instance_refresh", json!({"auto_scaling_group_name": "web"}));
    call(&mut cloud, &me, "autoscaling", "cancel_instance_refresh", json!({"auto_scaling_group_name": "web"}));
    let group = call(&mut cloud, &me, "autoscaling", "describe_auto_scaling_groups", json!({"auto_scaling_group_names": ["web"]}));
    let victim = s(&group["auto_scaling_groups"][0]["instances"][0]["instance_id"]);
    call(&mut cloud, &me, "autoscaling", "terminate_instance_in_auto_scaling_group", json!({"instance_id": victim, "should_decrement_desired_capacity": true}));
    call(&mut cloud, &me, "autoscaling", "describe_scaling_activities", json!({"auto_scaling_group_name": "web", "max_records": 3}));
    call(&mut cloud, &me, "autoscaling", "describe_scaling_activities", json!({}));
    call(&mut cloud, &me, "autoscaling", "delete_auto_scaling_group", json!({"auto_scaling_group_name": "web", "force_delete": true}));
    cloud.advance(120);
    call(&mut cloud, &me, "autoscaling", "describe_scaling_activities", json!({"include_deleted_groups": true, "activity_ids": []}));
    call(&mut cloud, &me, "ec2", "delete_launch_template_versions", json!({"launch_template_id": lt, "versions": ["3", "2", "9"]}));
    let data = call(&mut cloud, &me, "ec2", "get_launch_template_data", json!({"instance_id": instance}));
    call(&mut cloud, &me, "ec2", "create_launch_template", json!({"launch_template_name": "from-instance", "launch_template_data": data["launch_template_data"]}));
    call(&mut cloud, &me, "ec2", "delete_launch_template", json!({"launch_template_name": "from-instance"}));
    call(&mut cloud, &me, "ec2", "delete_launch_template", json!({"launch_template_id": lt}));
    call(&mut cloud, &me, "ec2", "terminate_instances", json!({"instance_ids": [from_lt]}));

    // SSM on the running instance.
    call(&mut cloud, &me, "ssm", "describe_instance_information", json!({}));
    let sent = call(&mut cloud, &me, "ssm", "send_command", json!({"document_name": "AWS-RunShellScript", "instance_ids": [instance],
        "parameters": {"commands": ["uname -r"]}, "timeout_seconds": 600, "max_concurrency": "10%", "max_errors": "1", "document_version": "$LATEST"}));
    let command = s(&sent["command"]["command_id"]);
    cloud.advance(10);
    call(&mut cloud, &me, "ssm", "list_commands", json!({}));
    call(&mut cloud, &me, "ssm", "list_command_invocations", json!({"instance_id": instance}));
    call(&mut cloud, &me, "ssm", "list_command_invocations", json!({"command_id": command}));
    call(&mut cloud, &me, "ssm", "list_command_invocations", json!({"command_id": command, "details": true}));
    call(&mut cloud, &me, "ssm", "get_command_invocation", json!({"command_id": command, "instance_id": instance, "plugin_name": "aws:runShellScript"}));

    // Volumes and snapshots.
    let zone = s(&cloud.call(&me, "ec2", "describe_instances", json!({"instance_ids": [instance]})).expect("describe")["reservations"][0]["instances"][0]["placement"]["availability_zone"]);
    let volume = call(&mut cloud, &me, "ec2", "create_volume", json!({"availability_zone": zone, "size": 8, "volume_type": "gp3", "tag_specifications": [{"resource_type": "volume", "tags": [{"key": "Name", "value": "data"}]}]}));
    let volume = s(&volume["volume_id"]);
    cloud.advance(30);
    call(&mut cloud, &me, "ec2", "attach_volume", json!({"volume_id": volume, "instance_id": instance, "device": "/dev/sdf"}));
    cloud.advance(30);
    call(&mut cloud, &me, "ec2", "describe_volumes", json!({}));
    let snapshot = call(&mut cloud, &me, "ec2", "create_snapshot", json!({"volume_id": volume, "description": "data"}));
    let snapshot = s(&snapshot["snapshot_id"]);
    call(&mut cloud, &me, "ec2", "describe_snapshots", json!({"snapshot_ids": [snapshot]}));
    cloud.advance(600);
    call(&mut cloud, &me, "ec2", "detach_volume", json!({"volume_id": volume, "instance_id": instance, "device": "/dev/sdf"}));
    cloud.advance(30);
    call(&mut cloud, &me, "ec2", "describe_snapshots", json!({"owner_ids": ["self"]}));
    let copied = call(&mut cloud, &me, "ec2", "copy_snapshot", json!({"source_snapshot_id": snapshot, "source_region": REGION, "description": "copy"}));
    call(&mut cloud, &me, "ec2", "modify_snapshot_attribute", json!({"snapshot_id": snapshot, "create_volume_permission": {"add": [{"user_id": MATE}, {"group": "all"}]}}));
    call(&mut cloud, &me, "ec2", "describe_snapshot_attribute", json!({"snapshot_id": snapshot, "attribute": "createVolumePermission"}));
    call(&mut cloud, &me, "ec2", "describe_snapshot_attribute", json!({"snapshot_id": snapshot, "attribute": "productCodes"}));
    call(&mut cloud, &mate, "ec2", "describe_snapshots", json!({"restorable_by_user_ids": ["self"]}));
    call(&mut cloud, &me, "ec2", "reset_snapshot_attribute", json!({"snapshot_id": snapshot, "attribute": "createVolumePermission"}));
    cloud.advance(600);

    // Images: create, describe, share, copy, register, deregister.
    let image = call(&mut cloud, &me, "ec2", "create_image", json!({"instance_id": instance, "name": "web-golden", "description": "nginx",
        "tag_specifications": [{"resource_type": "image", "tags": [{"key": "version", "value": "1"}]}]}));
    let image = s(&image["image_id"]);
    call(&mut cloud, &me, "ec2", "describe_images", json!({"owners": ["self"]}));
    cloud.advance(900);
    call(&mut cloud, &me, "ec2", "describe_images", json!({"owners": ["self"]}));
    for attribute in ["description", "kernel", "ramdisk", "launchPermission", "productCodes", "sriovNetSupport", "bootMode", "imdsSupport"] {
        call(&mut cloud, &me, "ec2", "describe_image_attribute", json!({"image_id": image, "attribute": attribute}));
    }
    call(&mut cloud, &me, "ec2", "modify_image_attribute", json!({"image_id": image, "launch_permission": {"add": [{"user_id": MATE}]}}));
    call(&mut cloud, &me, "ec2", "modify_image_attribute", json!({"image_id": image, "imds_support": {"value": "v2.0"}}));
    call(&mut cloud, &me, "ec2", "describe_image_attribute", json!({"image_id": image, "attribute": "launchPermission"}));
    let shared = call(&mut cloud, &mate, "ec2", "describe_images", json!({"executable_users": ["self"]}));
    let image_snapshot = s(&shared["images"][0]["block_device_mappings"][0]["ebs"]["snapshot_id"]);
    call(&mut cloud, &me, "ec2", "modify_snapshot_attribute", json!({"snapshot_id": image_snapshot, "attribute": "createVolumePermission", "operation_type": "add", "user_ids": [MATE]}));
    call(&mut cloud, &mate, "ec2", "copy_image", json!({"source_image_id": image, "source_region": REGION, "name": "copied-from-a-teammate"}));
    call(&mut cloud, &me, "ec2", "reset_image_attribute", json!({"image_id": image, "attribute": "launchPermission"}));
    call(&mut cloud, &me, "ec2", "get_image_block_public_access_state", json!({}));
    call(&mut cloud, &me, "ec2", "disable_image_block_public_access", json!({}));
    call(&mut cloud, &me, "ec2", "enable_image_block_public_access", json!({"image_block_public_access_state": "block-new-sharing"}));
    call(&mut cloud, &away, "ec2", "copy_image", json!({"source_image_id": image, "source_region": REGION, "name": "web-golden-eu"}));
    call(&mut cloud, &away, "ec2", "copy_image", json!({"source_image_id": image, "source_region": REGION, "name": "web-golden-eu-encrypted", "encrypted": true}));
    cloud.advance(900);
    call(&mut cloud, &away, "ec2", "describe_images", json!({"owners": ["self"]}));
    call(&mut cloud, &away, "ec2", "describe_snapshots", json!({"owner_ids": ["self"]}));
    let registered = call(&mut cloud, &me, "ec2", "register_image", json!({"name": "from-snapshot", "architecture": "x86_64",
        "root_device_name": "/dev/xvda", "virtualization_type": "hvm", "ena_support": true, "imds_support": "v2.0",
        "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"snapshot_id": snapshot, "volume_type": "gp3"}}]}));
    let registered = s(&registered["image_id"]);
    call(&mut cloud, &me, "ec2", "deregister_image", json!({"image_id": registered, "delete_associated_snapshots": false}));
    call(&mut cloud, &me, "ec2", "enable_image_deprecation", json!({"image_id": image, "deprecate_at": "2030-01-01T12:00:20Z"}));
    call(&mut cloud, &me, "ec2", "describe_images", json!({"owners": ["self"], "include_deprecated": true, "include_disabled": true}));
    call(&mut cloud, &me, "ec2", "disable_image_deprecation", json!({"image_id": image}));
    call(&mut cloud, &me, "ec2", "enable_image_deregistration_protection", json!({"image_id": image, "with_cooldown": true}));
    call(&mut cloud, &me, "ec2", "disable_image_deregistration_protection", json!({"image_id": image}));
    call(&mut cloud, &me, "ec2", "describe_image_attribute", json!({"image_id": image, "attribute": "deregistrationProtection"}));
    call(&mut cloud, &me, "ec2", "disable_image", json!({"image_id": image}));
    call(&mut cloud, &me, "ec2", "describe_images", json!({"image_ids": [image]}));
    call(&mut cloud, &me, "ec2", "enable_image", json!({"image_id": image}));
    let uefi = call(&mut cloud, &me, "ec2", "register_image", json!({"name": "from-snapshot-uefi", "architecture": "x86_64", "root_device_name": "/dev/xvda",
        "virtualization_type": "hvm", "ena_support": true, "boot_mode": "uefi", "tpm_support": "v2.0", "uefi_data": "QU1JTGFiIFVFRkkgdmFyaWFibGVz",
        "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"snapshot_id": snapshot, "volume_type": "gp3"}}]}));
    let uefi = s(&uefi["image_id"]);
    call(&mut cloud, &me, "ec2", "run_instances", json!({"image_id": image, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}));
    cloud.advance(86_400);
    call(&mut cloud, &me, "ec2", "describe_images", json!({"image_ids": [image, uefi]}));
    for attribute in ["tpmSupport", "uefiData", "lastLaunchedTime", "deregistrationProtection"] {
        call(&mut cloud, &me, "ec2", "describe_image_attribute", json!({"image_id": uefi, "attribute": attribute}));
        call(&mut cloud, &me, "ec2", "describe_image_attribute", json!({"image_id": image, "attribute": attribute}));
    }

    // Tags.
    call(&mut cloud, &me, "ec2", "create_tags", json!({"resources": [image, snapshot], "tags": [{"key": "env", "value": "prod"}]}));
    call(&mut cloud, &me, "ec2", "describe_tags", json!({}));
    call(&mut cloud, &me, "ec2", "describe_volumes", json!({}));
    call(&mut cloud, &me, "ec2", "delete_tags", json!({"resources": [snapshot], "tags": [{"key": "env"}]}));

    // KMS: a key for images, an encrypted volume, and one key of each kind.
    let key = call(&mut cloud, &me, "kms", "create_key", json!({"description": "images"}));
    let key = s(&key["key_metadata"]["key_id"]);
    let sealed = call(&mut cloud, &me, "ec2", "create_volume", json!({"availability_zone": zone, "size": 4, "encrypted": true, "kms_key_id": key}));
    call(&mut cloud, &me, "ec2", "create_snapshot", json!({"volume_id": s(&sealed["volume_id"])}));
    call(&mut cloud, &me, "ec2", "describe_snapshots", json!({"owner_ids": ["self"]}));
    call(&mut cloud, &me, "ec2", "describe_volumes", json!({}));
    call(&mut cloud, &me, "kms", "create_alias", json!({"alias_name": "alias/images", "target_key_id": key}));
    call(&mut cloud, &me, "kms", "describe_key", json!({"key_id": "alias/images"}));
    for (spec, usage) in [("RSA_2048", "SIGN_VERIFY"), ("RSA_3072", "ENCRYPT_DECRYPT"), ("ECC_NIST_P256", "KEY_AGREEMENT"),
        ("HMAC_256", "GENERATE_VERIFY_MAC"), ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE"), ("ML_DSA_65", "SIGN_VERIFY")] {
        let other = call(&mut cloud, &me, "kms", "create_key", json!({"key_spec": spec, "key_usage": usage}));
        call(&mut cloud, &me, "kms", "describe_key", json!({"key_id": s(&other["key_metadata"]["key_id"])}));
    }
    call(&mut cloud, &me, "kms", "list_keys", json!({}));
    call(&mut cloud, &me, "kms", "list_aliases", json!({}));
    call(&mut cloud, &me, "kms", "list_aliases", json!({"key_id": key}));

    // Key policies, grants and key states: the owner lets the teammate use its key.
    let key_arn = format!("arn:aws:kms:{REGION}:{}:key/{key}", amilab_cloud::DEFAULT_ACCOUNT);
    call(&mut cloud, &me, "kms", "get_key_policy", json!({"key_id": key}));
    call(&mut cloud, &me, "kms", "get_key_policy", json!({"key_id": "alias/aws/ebs", "policy_name": "default"}));
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{}:root", amilab_cloud::DEFAULT_ACCOUNT)}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Teammate", "Effect": "Allow", "Principal": {"AWS": [format!("arn:aws:iam::{MATE}:root")]}, "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:ListGrants"], "Resource": "*"}]});
    call(&mut cloud, &me, "kms", "put_key_policy", json!({"key_id": key, "policy": policy.to_string()}));
    call(&mut cloud, &mate, "kms", "describe_key", json!({"key_id": key_arn}));
    let grant = call(&mut cloud, &me, "kms", "create_grant", json!({"key_id": key, "grantee_principal": format!("arn:aws:iam::{MATE}:root"),
        "retiring_principal": format!("arn:aws:iam::{}:root", amilab_cloud::DEFAULT_ACCOUNT), "operations": ["Decrypt", "DescribeKey", "CreateGrant"], "name": "teammate-launches"}));
    call(&mut cloud, &me, "kms", "create_grant", json!({"key_id": key_arn, "grantee_principal": MATE, "operations": ["GenerateDataKeyWithoutPlaintext"]}));
    call(&mut cloud, &me, "kms", "list_grants", json!({"key_id": key}));
    call(&mut cloud, &mate, "kms", "list_grants", json!({"key_id": key_arn, "limit": 1}));
    call(&mut cloud, &me, "kms", "revoke_grant", json!({"key_id": key, "grant_id": s(&grant["grant_id"])}));
    let spare = call(&mut cloud, &me, "kms", "create_key", json!({"description": "spare", "policy": policy.to_string(), "bypass_policy_lockout_safety_check": false}));
    let spare = s(&spare["key_metadata"]["key_id"]);
    call(&mut cloud, &me, "kms", "disable_key", json!({"key_id": spare}));
    call(&mut cloud, &me, "kms", "describe_key", json!({"key_id": spare}));
    call(&mut cloud, &me, "kms", "enable_key", json!({"key_id": spare}));
    call(&mut cloud, &me, "kms", "schedule_key_deletion", json!({"key_id": spare, "pending_window_in_days": 7}));
    call(&mut cloud, &me, "kms", "describe_key", json!({"key_id": spare}));
    call(&mut cloud, &me, "kms", "cancel_key_deletion", json!({"key_id": spare}));
    call(&mut cloud, &me, "kms", "schedule_key_deletion", json!({"key_id": spare}));

    // EBS encryption by default, with a customer key as the default.
    call(&mut cloud, &me, "ec2", "get_ebs_encryption_by_default", json!({}));
    call(&mut cloud, &me, "ec2", "enable_ebs_encryption_by_default", json!({}));
    call(&mut cloud, &me, "ec2", "get_ebs_default_kms_key_id", json!({}));
    call(&mut cloud, &me, "ec2", "modify_ebs_default_kms_key_id", json!({"kms_key_id": "alias/images"}));
    call(&mut cloud, &me, "ec2", "get_ebs_default_kms_key_id", json!({}));
    call(&mut cloud, &me, "ec2", "create_volume", json!({"availability_zone": zone, "size": 2}));
    call(&mut cloud, &me, "ec2", "get_ebs_encryption_by_default", json!({}));
    call(&mut cloud, &me, "ec2", "reset_ebs_default_kms_key_id", json!({}));
    call(&mut cloud, &me, "ec2", "disable_ebs_encryption_by_default", json!({}));

    // Image Builder: a component, a recipe from Amazon Linux 2023, infrastructure, distribution
    // to both regions shared with the teammate, a scheduled pipeline run by hand to the end.
    let doc = json!({"schemaVersion": 1.0, "phases": [
        {"name": "build", "steps": [{"name": "Install", "action": "ExecuteBash", "inputs": {"commands": ["dnf install -y nginx", "systemctl enable nginx"]}}]},
        {"name": "test", "steps": [{"name": "Check", "action": "ExecuteBash", "inputs": {"commands": ["rpm -q nginx"]}}]}]}).to_string();
    let component = call(&mut cloud, &me, "imagebuilder", "create_component", json!({"name": "web", "semantic_version": "1.0.0", "platform": "Linux", "data": doc, "description": "nginx", "tags": {"team": "web"}}));
    let component = s(&component["component_build_version_arn"]);
    call(&mut cloud, &me, "imagebuilder", "get_component", json!({"component_build_version_arn": component}));
    let recipe = call(&mut cloud, &me, "imagebuilder", "create_image_recipe", json!({"name": "web", "semantic_version": "1.0.0", "components": [{"component_arn": component}],
        "parent_image": format!("arn:aws:imagebuilder:{REGION}:aws:image/amazon-linux-2023-x86/x.x.x"),
        "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 8, "volume_type": "gp3", "delete_on_termination": true}}]}));
    let infra = call(&mut cloud, &me, "imagebuilder", "create_infrastructure_configuration", json!({"name": "builders", "instance_profile_name": "EC2InstanceProfileForImageBuilder", "instance_types": ["t3.micro"], "terminate_instance_on_failure": true}));
    let dist = call(&mut cloud, &me, "imagebuilder", "create_distribution_configuration", json!({"name": "two-regions", "distributions": [
        {"region": REGION, "ami_distribution_configuration": {"name": "web-{{imagebuilder:buildDate}}", "launch_permission": {"user_ids": [MATE]}}},
        {"region": OTHER_REGION, "ami_distribution_configuration": {"name": "web-{{imagebuilder:buildDate}}", "description": "web", "target_account_ids": [MATE]}}]}));
    let pipeline = call(&mut cloud, &me, "imagebuilder", "create_image_pipeline", json!({"name": "web", "image_recipe_arn": s(&recipe["image_recipe_arn"]),
        "infrastructure_configuration_arn": s(&infra["infrastructure_configuration_arn"]), "distribution_configuration_arn": s(&dist["distribution_configuration_arn"]),
        "image_tests_configuration": {"image_tests_enabled": true, "timeout_minutes": 60}, "schedule": {"schedule_expression": "cron(0 0 * * ? *)"}, "image_tags": {"built-by": "pipeline"}}));
    let pipeline = s(&pipeline["image_pipeline_arn"]);
    let build = call(&mut cloud, &me, "imagebuilder", "start_image_pipeline_execution", json!({"image_pipeline_arn": pipeline, "client_token": "run-1"}));
    call(&mut cloud, &me, "imagebuilder", "get_image", json!({"image_build_version_arn": s(&build["image_build_version_arn"])}));
    cloud.advance(3600);
    call(&mut cloud, &me, "imagebuilder", "get_image", json!({"image_build_version_arn": s(&build["image_build_version_arn"])}));
    call(&mut cloud, &me, "imagebuilder", "get_image_pipeline", json!({"image_pipeline_arn": pipeline}));
    call(&mut cloud, &me, "imagebuilder", "list_image_pipeline_images", json!({"image_pipeline_arn": pipeline, "max_results": 5}));
    call(&mut cloud, &me, "imagebuilder", "list_images", json!({}));
    call(&mut cloud, &me, "imagebuilder", "list_images", json!({"owner": "Amazon"}));

    // Clean up.
    call(&mut cloud, &me, "ec2", "delete_snapshot", json!({"snapshot_id": s(&copied["snapshot_id"])}));
    call(&mut cloud, &me, "ec2", "delete_volume", json!({"volume_id": volume}));
    call(&mut cloud, &me, "ec2", "terminate_instances", json!({"instance_ids": [instance]}));
    call(&mut cloud, &me, "ec2", "describe_instances", json!({}));
    cloud.advance(120);
    call(&mut cloud, &me, "ec2", "describe_instances", json!({}));
    call(&mut cloud, &me, "ec2", "delete_key_pair", json!({"key_pair_id": s(&laptop["key_pair_id"])}));
    call(&mut cloud, &me, "ec2", "delete_key_pair", json!({"key_name": "web"}));
    call(&mut cloud, &me, "ec2", "delete_security_group", json!({"group_id": sg}));

    // Cost Explorer: the bill of everything above, from any region, daily and grouped.
    let month = json!({"start": "2025-06-01", "end": "2025-07-01"});
    call(&mut cloud, &me, "ce", "get_cost_and_usage", json!({"time_period": month, "granularity": "MONTHLY", "metrics": ["UnblendedCost", "UsageQuantity"]}));
    call(&mut cloud, &away, "ce", "get_cost_and_usage", json!({"time_period": month, "granularity": "DAILY", "metrics": ["UnblendedCost"],
        "group_by": [{"type": "DIMENSION", "key": "SERVICE"}, {"type": "DIMENSION", "key": "USAGE_TYPE"}]}));
    steps
}

/// Every operation of the table that the tour never called.
pub fn missing(steps: &[Step]) -> Vec<String> {
    OPERATIONS
        .iter()
        .map(|op| (op.service, op.method()))
        .filter(|(service, method)| {
            !steps
                .iter()
                .any(|s| s.service == *service && s.method == method)
        })
        .map(|(service, method)| format!("{service}.{method}"))
        .collect()
}

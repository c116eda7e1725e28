//! KMS across accounts and EBS encryption by default (issue 10, item 3), as scripts see them:
//! an image encrypted with a customer key, shared with a teammate, launches for the teammate
//! only while the key policy or a grant lets the teammate use the key and the key is enabled;
//! a launch EBS cannot decrypt goes `pending` → `terminated` with `Client.InternalError`.

use crate::common::{expect_error, output};

/// The owner bakes an image, copies it encrypted with a new customer key and shares the copy
/// with the teammate. Defines `key` (metadata), `ami` (the encrypted copy), `mate`, `kms` and
/// `launch_as(client, ami)` → `[state, state reason code, state reason message]` two minutes
/// after the launch.
const SHARED: &str = r#"
fn launch_as(client, ami) {
    let id = launch(client, ami, "t3.micro");
    sleep(120);
    let i = client.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0];
    if i.contains("state_reason") { [i.state.name, i.state_reason.code, i.state_reason.message] } else { [i.state.name] }
}
let mate = session("444455556666").client("ec2", "us-east-1");
let kms = client("kms", "us-east-1");
let web = running_web(ec2);
let plain = ec2.create_image(#{instance_id: web, name: "web-v1"}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [plain]});
let key = kms.create_key(#{description: "images"}).key_metadata;
let ami = ec2.copy_image(#{source_image_id: plain, source_region: "us-east-1", name: "web-v1-cmk",
    encrypted: true, kms_key_id: key.arn}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [ami]});
ec2.modify_image_attribute(#{image_id: ami, launch_permission: #{add: [#{user_id: "444455556666"}]}});
let owner_root = `arn:aws:iam::${key.aws_account_id}:root`;
let mate_policy = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "${owner_root}"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
   "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*", "kms:GenerateDataKey*"], "Resource": "*"}]}`;
"#;

#[test]
fn a_teammate_launches_only_while_the_key_policy_lets_it_and_the_key_is_enabled() {
    let lines = output(&format!(
        r#"{SHARED}
           let snap = ec2.describe_images(#{{image_ids: [ami]}}).images[0].block_device_mappings[0].ebs;
           print(`${{snap.encrypted}} ${{snap.kms_key_id == key.arn}}`);
           print(launch_as(mate, ami));
           kms.put_key_policy(#{{key_id: key.key_id, policy: mate_policy}});
           print(launch_as(mate, ami));
           let before = mate.describe_instances(#{{filters: [#{{name: "instance-state-name", values: ["running"]}}]}}).reservations.len();
           kms.disable_key(#{{key_id: key.key_id}});
           print(launch_as(mate, ami));
           print(launch_as(ec2, ami));
           // Disabling the key does not touch what already runs.
           let after = mate.describe_instances(#{{filters: [#{{name: "instance-state-name", values: ["running"]}}]}}).reservations.len();
           print(`${{before}} ${{after}}`);
           kms.enable_key(#{{key_id: key.key_id}});
           print(launch_as(mate, ami));"#
    ));
    assert_eq!(
        lines,
        vec![
            "true true",
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
            r#"["running"]"#,
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
            "1 1",
            r#"["running"]"#,
        ]
    );
}

#[test]
fn a_grant_works_like_a_policy_statement_until_it_is_revoked() {
    let lines = output(&format!(
        r#"{SHARED}
           let grant = kms.create_grant(#{{key_id: key.key_id, grantee_principal: "arn:aws:iam::444455556666:root",
               operations: ["Decrypt", "DescribeKey", "CreateGrant", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"]}});
           print(`${{grant.grant_id.len()}}`);
           let listed = kms.list_grants(#{{key_id: key.key_id}}).grants;
           print(`${{listed.len()}} ${{listed[0].grantee_principal}} ${{listed[0].issuing_account == owner_root}}`);
           print(launch_as(mate, ami));
           kms.revoke_grant(#{{key_id: key.key_id, grant_id: grant.grant_id}});
           print(kms.list_grants(#{{key_id: key.key_id}}).grants.len());
           print(launch_as(mate, ami));"#
    ));
    assert_eq!(
        lines,
        vec![
            "64",
            "1 arn:aws:iam::444455556666:root true",
            r#"["running"]"#,
            "0",
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
        ]
    );
}

#[test]
fn the_teammate_sees_the_key_only_through_its_arn_and_what_the_policy_allows() {
    let lines = output(&format!(
        r#"{SHARED}
           let mate_kms = session("444455556666").client("kms", "us-east-1");
           try {{ mate_kms.describe_key(#{{key_id: key.arn}}); }} catch (e) {{ print(e.code); }}
           kms.put_key_policy(#{{key_id: key.key_id, policy: mate_policy}});
           let seen = mate_kms.describe_key(#{{key_id: key.arn}}).key_metadata;
           print(`${{seen.key_state}} ${{seen.enabled}} ${{seen.key_manager}}`);
           try {{ mate_kms.describe_key(#{{key_id: key.key_id}}); }} catch (e) {{ print(e.code); }}
           try {{ mate_kms.disable_key(#{{key_id: key.arn}}); }} catch (e) {{ print(e.code); }}"#
    ));
    assert_eq!(
        lines,
        vec![
            "AccessDeniedException",
            "Enabled true CUSTOMER",
            "NotFoundException",
            "NotFoundException",
        ]
    );
}

#[test]
fn a_key_pending_deletion_stops_launches_and_cancelling_leaves_it_disabled() {
    let lines = output(&format!(
        r#"{SHARED}
           let s = kms.schedule_key_deletion(#{{key_id: key.key_id, pending_window_in_days: 7}});
           print(`${{s.key_state}} ${{s.pending_window_in_days}} ${{s.key_id == key.arn}}`);
           let m = kms.describe_key(#{{key_id: key.key_id}}).key_metadata;
           print(`${{m.key_state}} ${{m.enabled}} ${{m.deletion_date == s.deletion_date}}`);
           print(launch_as(ec2, ami));
           kms.cancel_key_deletion(#{{key_id: key.key_id}});
           let m = kms.describe_key(#{{key_id: key.key_id}}).key_metadata;
           print(`${{m.key_state}} ${{m.enabled}} ${{m.contains("deletion_date")}}`);
           print(launch_as(ec2, ami));
           kms.enable_key(#{{key_id: key.key_id}});
           print(launch_as(ec2, ami));"#
    ));
    assert_eq!(
        lines,
        vec![
            "PendingDeletion 7 true",
            "PendingDeletion false true",
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
            "Disabled false false",
            r#"["terminated", "Client.InternalError", "Client.InternalError: Client error on launch"]"#,
            r#"["running"]"#,
        ]
    );
}

#[test]
fn a_teammates_copy_of_the_shared_image_fails_until_the_key_is_shared_and_then_uses_its_own_key() {
    let lines = output(&format!(
        r#"{SHARED}
           let snap = ec2.describe_images(#{{image_ids: [ami]}}).images[0].block_device_mappings[0].ebs.snapshot_id;
           ec2.modify_snapshot_attribute(#{{snapshot_id: snap, create_volume_permission: #{{add: [#{{user_id: "444455556666"}}]}}}});
           let failed = mate.copy_image(#{{source_image_id: ami, source_region: "us-east-1", name: "mine"}}).image_id;
           sleep(1800);
           let img = mate.describe_images(#{{image_ids: [failed]}}).images[0];
           print(`${{img.state}} ${{img.state_reason.code}} ${{img.state_reason.message}}`);
           let copy_snap = img.block_device_mappings[0].ebs.snapshot_id;
           print(mate.describe_snapshots(#{{snapshot_ids: [copy_snap]}}).snapshots[0].state);
           kms.put_key_policy(#{{key_id: key.key_id, policy: mate_policy}});
           let copy = mate.copy_image(#{{source_image_id: ami, source_region: "us-east-1", name: "mine-2"}}).image_id;
           mate.get_waiter("image_available").wait(#{{image_ids: [copy]}});
           let ebs = mate.describe_images(#{{image_ids: [copy]}}).images[0].block_device_mappings[0].ebs;
           let mates_ebs_key = session("444455556666").client("kms", "us-east-1").describe_key(#{{key_id: "alias/aws/ebs"}}).key_metadata.arn;
           print(`${{ebs.encrypted}} ${{ebs.kms_key_id == mates_ebs_key}}`);
           // The copy is the teammate's, encrypted with its own key: it launches whatever the
           // owner does to its key.
           kms.disable_key(#{{key_id: key.key_id}});
           print(launch_as(mate, copy));"#
    ));
    assert_eq!(
        lines,
        vec![
            "failed Client.InternalError Copy image failed with an internal error.",
            "error",
            "true true",
            r#"["running"]"#,
        ]
    );
}

#[test]
fn copies_and_volumes_fail_as_ebs_does_when_the_key_cannot_be_used() {
    let lines = output(
        r#"let kms = client("kms", "us-east-1");
           let key = kms.create_key(#{}).key_metadata;
           let zone = "us-east-1a";
           let vol = ec2.create_volume(#{availability_zone: zone, size: 1, encrypted: true, kms_key_id: key.key_id}).volume_id;
           sleep(60);
           let snap = ec2.create_snapshot(#{volume_id: vol}).snapshot_id;
           ec2.get_waiter("snapshot_completed").wait(#{snapshot_ids: [snap]});
           kms.disable_key(#{key_id: key.key_id});
           // CreateVolume is accepted, then the volume is gone.
           let doomed = ec2.create_volume(#{availability_zone: zone, snapshot_id: snap});
           print(`${doomed.state} ${doomed.encrypted}`);
           sleep(60);
           try { ec2.describe_volumes(#{volume_ids: [doomed.volume_id]}); } catch (e) { print(e.code); }
           // CopySnapshot is accepted, then the copy is in state error.
           let copy = ec2.copy_snapshot(#{source_snapshot_id: snap, source_region: "us-east-1"}).snapshot_id;
           sleep(600);
           print(ec2.describe_snapshots(#{snapshot_ids: [copy]}).snapshots[0].state);
           kms.enable_key(#{key_id: key.key_id});
           let ok = ec2.copy_snapshot(#{source_snapshot_id: snap, source_region: "us-east-1"}).snapshot_id;
           ec2.get_waiter("snapshot_completed").wait(#{snapshot_ids: [ok]});
           print("copied");"#,
    );
    assert_eq!(
        lines,
        vec!["creating true", "InvalidVolume.NotFound", "error", "copied"]
    );
}

#[test]
fn encryption_by_default_encrypts_new_volumes_copies_and_launches_with_the_default_key() {
    let lines = output(
        r#"let kms = client("kms", "us-east-1");
           print(ec2.get_ebs_encryption_by_default(#{}).ebs_encryption_by_default);
           print(ec2.enable_ebs_encryption_by_default(#{}).ebs_encryption_by_default);
           print(ec2.get_ebs_default_kms_key_id(#{}).kms_key_id);
           let v = ec2.create_volume(#{availability_zone: "us-east-1a", size: 1});
           let managed = kms.describe_key(#{key_id: "alias/aws/ebs"}).key_metadata.arn;
           print(`${v.encrypted} ${v.kms_key_id == managed}`);
           let key = kms.create_key(#{description: "default"}).key_metadata;
           kms.create_alias(#{alias_name: "alias/ebs-default", target_key_id: key.key_id});
           print(ec2.modify_ebs_default_kms_key_id(#{kms_key_id: "alias/ebs-default"}).kms_key_id == key.arn);
           let id = launch(ec2, al2023(ec2), "t3.micro");
           sleep(120);
           let i = ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0];
           let root = ec2.describe_volumes(#{volume_ids: [i.block_device_mappings[0].ebs.volume_id]}).volumes[0];
           print(`${i.state.name} ${root.encrypted} ${root.kms_key_id == key.arn}`);
           // A snapshot keeps its volume's encryption; an image copy comes out encrypted too.
           let snap = ec2.create_snapshot(#{volume_id: root.volume_id}).snapshot_id;
           print(ec2.describe_snapshots(#{snapshot_ids: [snap]}).snapshots[0].kms_key_id == key.arn);
           let copy = ec2.copy_image(#{source_image_id: al2023(ec2), source_region: "us-east-1", name: "al-enc"}).image_id;
           let ebs = ec2.describe_images(#{image_ids: [copy]}).images[0].block_device_mappings[0].ebs;
           print(`${ebs.encrypted} ${ebs.kms_key_id == key.arn}`);
           // A disabled default key makes launches fail.
           kms.disable_key(#{key_id: key.key_id});
           let id = launch(ec2, al2023(ec2), "t3.micro");
           sleep(120);
           print(ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0].state.name);
           print(ec2.reset_ebs_default_kms_key_id(#{}).kms_key_id == managed);
           print(ec2.disable_ebs_encryption_by_default(#{}).ebs_encryption_by_default);
           print(ec2.create_volume(#{availability_zone: "us-east-1a", size: 1}).encrypted);"#,
    );
    assert_eq!(
        lines,
        vec![
            "false",
            "true",
            "alias/aws/ebs",
            "true true",
            "true",
            "running true true",
            "true",
            "true true",
            "terminated",
            "true",
            "false",
            "false",
        ]
    );
}

#[test]
fn kms_errors_carry_aws_codes() {
    let key = r#"let kms = client("kms", "us-east-1"); let k = kms.create_key(#{}).key_metadata;"#;
    expect_error(
        &format!(r#"{key} kms.get_key_policy(#{{key_id: k.key_id, policy_name: "other"}});"#),
        "NotFoundException",
        "No such policy exists",
    );
    expect_error(
        &format!(r#"{key} kms.put_key_policy(#{{key_id: k.key_id, policy: "nope"}});"#),
        "MalformedPolicyDocumentException",
        "not valid JSON",
    );
    expect_error(
        &format!(
            r#"{key} kms.put_key_policy(#{{key_id: k.key_id, policy: `{{"Statement": {{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt"}}}}`}});"#
        ),
        "MalformedPolicyDocumentException",
        "will not allow you to update the key policy in the future",
    );
    expect_error(
        r#"let kms = client("kms", "us-east-1"); kms.create_key(#{policy: "{}"});"#,
        "MalformedPolicyDocumentException",
        "Statement",
    );
    expect_error(
        r#"let kms = client("kms", "us-east-1"); kms.put_key_policy(#{key_id: "alias/aws/ebs", policy: "{}"});"#,
        "AccessDeniedException",
        "is not authorized to perform: kms:PutKeyPolicy on resource: arn:aws:kms:us-east-1:123456789012:key/",
    );
    expect_error(
        &format!(
            r#"{key} kms.disable_key(#{{key_id: k.key_id}}); kms.create_grant(#{{key_id: k.key_id, grantee_principal: "111122223333", operations: ["Decrypt"]}});"#
        ),
        "DisabledException",
        "is disabled.",
    );
    expect_error(
        &format!(
            r#"{key} kms.schedule_key_deletion(#{{key_id: k.key_id}}); kms.disable_key(#{{key_id: k.key_id}});"#
        ),
        "KMSInvalidStateException",
        "is pending deletion.",
    );
    expect_error(
        &format!(r#"{key} kms.cancel_key_deletion(#{{key_id: k.key_id}});"#),
        "KMSInvalidStateException",
        "is not pending deletion.",
    );
    expect_error(
        &format!(
            r#"{key} kms.schedule_key_deletion(#{{key_id: k.key_id, pending_window_in_days: 31}});"#
        ),
        "ValidationException",
        "between 7 and 30",
    );
    expect_error(
        &format!(
            r#"{key} kms.create_grant(#{{key_id: k.key_id, grantee_principal: "111122223333", operations: ["Fly"]}});"#
        ),
        "ValidationException",
        "enum value set",
    );
    expect_error(
        &format!(r#"{key} kms.create_grant(#{{key_id: k.key_id, operations: ["Decrypt"]}});"#),
        "ValidationException",
        "GranteePrincipal",
    );
    expect_error(
        &format!(r#"{key} kms.revoke_grant(#{{key_id: k.key_id, grant_id: "abc"}});"#),
        "InvalidGrantIdException",
        "abc",
    );
    expect_error(
        &format!(
            r#"{key} kms.revoke_grant(#{{key_id: k.key_id, grant_id: "{}"}});"#,
            "0".repeat(64)
        ),
        "NotFoundException",
        "not found",
    );
    expect_error(
        &format!(r#"{key} kms.list_grants(#{{key_id: k.key_id, grant_id: "x"}});"#),
        "InvalidGrantIdException",
        "x",
    );
    expect_error(
        r#"ec2.modify_ebs_default_kms_key_id(#{kms_key_id: "alias/missing"});"#,
        "InvalidParameterValue",
        "does not exist",
    );
    expect_error(
        r#"let kms = client("kms", "us-east-1"); let k = kms.create_key(#{key_spec: "RSA_2048", key_usage: "ENCRYPT_DECRYPT"}).key_metadata;
           ec2.modify_ebs_default_kms_key_id(#{kms_key_id: k.arn});"#,
        "InvalidParameterValue",
        "symmetric",
    );
}

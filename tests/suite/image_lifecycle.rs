//! The image lifecycle controls of issue 9, item 5, as a learner meets them: deprecation
//! (EnableImageDeprecation / DisableImageDeprecation, `include_deprecated`), disabling
//! (DisableImage / EnableImage, `include_disabled`), deregistration protection and its cooldown,
//! `LastLaunchedTime`, and RegisterImage's `tpm_support` / `uefi_data`. Each rule that refuses a
//! call is checked with its exact error code.

use crate::common;
use amilab_cloud::clock::{iso8601, DEFAULT_START};
use common::{expect_error, output, run};

/// A teammate's account and an image of the learner's, available, made from a running web server.
const SETUP: &str = r#"
fn golden(ec2, name) {
    let img = ec2.create_image(#{instance_id: running_web(ec2), name: name}).image_id;
    ec2.get_waiter("image_available").wait(#{image_ids: [img]});
    img
}
let mate = session("444455556666").client("ec2", "us-east-1");
"#;

fn with_setup(body: &str) -> String {
    format!("{SETUP}\n{body}")
}

// ---- Deprecation -------------------------------------------------------------------------------

#[test]
fn a_deprecation_time_in_the_past_is_refused() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2025-06-01T00:00:00Z"});"#,
        ),
        "InvalidParameterValue",
        "you can't specify a date in the past",
    );
}

#[test]
fn a_deprecation_time_more_than_ten_years_ahead_is_refused() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2035-06-02T10:00:00Z"});"#,
        ),
        "InvalidParameterValue",
        "is more than 10 years from now",
    );
    // Just under ten years is fine.
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           print(ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2035-06-02T09:00:00Z"})["return"]);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deprecation_time);"#,
    ));
    assert_eq!(lines, ["true", "2035-06-02T09:00:00.000Z"]);
}

#[test]
fn a_public_images_deprecation_is_at_most_two_years_after_its_creation() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}});
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2027-06-03T00:00:00Z"});"#,
        ),
        "InvalidParameterValue",
        "is more than 2 years after the creation date of the public AMI",
    );
}

#[test]
fn a_public_images_deprecation_cannot_move_later() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}});
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2026-01-01T00:00:00Z"});
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2025-12-01T00:00:00Z"});
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2026-02-01T00:00:00Z"});"#,
        ),
        "InvalidParameterValue",
        "make the AMI private to move its deprecation later",
    );
}

#[test]
fn a_public_images_deprecation_cannot_be_cancelled_until_it_is_private() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}});
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2026-01-01T00:00:00Z"});
               ec2.disable_image_deprecation(#{image_id: img});"#,
        ),
        "UnsupportedOperation",
        "can't be cancelled. Make the AMI private",
    );
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{group: "all"}]}});
           ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2026-01-01T00:00:00Z"});
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{remove: [#{group: "all"}]}});
           ec2.disable_image_deprecation(#{image_id: img});
           print(ec2.describe_images(#{image_ids: [img]}).images[0].contains("deprecation_time"));"#,
    ));
    assert_eq!(lines, ["false"]);
}

#[test]
fn only_the_owner_deprecates_an_image() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
               mate.enable_image_deprecation(#{image_id: img, deprecate_at: "2026-01-01T00:00:00Z"});"#,
        ),
        "AuthFailure",
        "Not authorized for image",
    );
    expect_error(
        r#"ec2.disable_image_deprecation(#{image_id: "ami-0123456789abcdef0"});"#,
        "InvalidAMIID.NotFound",
        "ami-0123456789abcdef0",
    );
}

#[test]
fn deprecate_at_must_be_a_timestamp() {
    let f = expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "next tuesday"});"#,
        ),
        "ParamValidationError",
        "\"next tuesday\" is not a timestamp",
    );
    assert!(f.message.contains("deprecate_at"), "{}", f.message);
    // Seconds since the epoch work too, as in boto3.
    let at = DEFAULT_START + 86_400;
    let lines = output(&with_setup(&format!(
        r#"let img = golden(ec2, "web-v1");
           ec2.enable_image_deprecation(#{{image_id: img, deprecate_at: {at}}});
           print(ec2.describe_images(#{{image_ids: [img]}}).images[0].deprecation_time);"#
    )));
    assert_eq!(lines, [iso8601(at)]);
}

#[test]
fn deprecation_rounds_to_the_minute_and_hides_the_image_from_other_accounts_once_it_comes() {
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
           ec2.enable_image_deprecation(#{image_id: img, deprecate_at: "2025-06-02T10:00:31Z"});
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deprecation_time);
           // A time in the future: not deprecated yet, still listed for everyone.
           print(mate.describe_images(#{executable_users: ["self"]}).images.len());
           sleep(3600);
           // Deprecated: gone from the teammate's listing, still in the owner's.
           print(mate.describe_images(#{executable_users: ["self"]}).images.len());
           print(mate.describe_images(#{executable_users: ["self"], include_deprecated: false}).images.len());
           print(ec2.describe_images(#{owners: ["self"]}).images.len());
           print(ec2.describe_images(#{owners: ["self"], include_deprecated: false}).images.len());
           // Asked for, or named by id, it shows; and it still launches.
           print(mate.describe_images(#{executable_users: ["self"], include_deprecated: true}).images.len());
           print(mate.describe_images(#{image_ids: [img]}).images[0].image_id == img);
           let r = mate.run_instances(#{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1});
           print(r.instances[0].image_id == img);
           // Cancelled: listed again, without a deprecation time.
           ec2.disable_image_deprecation(#{image_id: img});
           let seen = mate.describe_images(#{executable_users: ["self"]}).images;
           print(seen.len());
           print(seen[0].contains("deprecation_time"));"#,
    ));
    assert_eq!(
        lines,
        [
            "2025-06-02T10:01:00.000Z",
            "1",
            "0",
            "0",
            "1",
            "1",
            "1",
            "true",
            "true",
            "1",
            "false"
        ]
    );
}

// ---- Disabling ---------------------------------------------------------------------------------

#[test]
fn a_disabled_image_cannot_be_launched() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.disable_image(#{image_id: img});
               ec2.run_instances(#{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1});"#,
        ),
        "InvalidAMIID.Unavailable",
        "is disabled, and cannot be run",
    );
}

#[test]
fn a_disabled_image_cannot_be_shared_or_copied() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.disable_image(#{image_id: img});
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});"#,
        ),
        "InvalidAMIID.Unavailable",
        "is disabled, and cannot be shared",
    );
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.disable_image(#{image_id: img});
               client("ec2", "eu-west-1").copy_image(#{name: "web-v1", source_image_id: img, source_region: "us-east-1"});"#,
        ),
        "InvalidAMIID.Unavailable",
        "is disabled, and cannot be copied",
    );
}

#[test]
fn disabling_removes_every_launch_permission_and_enabling_gives_none_back() {
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}, #{group: "all"}]}});
           print(ec2.disable_image(#{image_id: img})["return"]);
           print(ec2.describe_image_attribute(#{image_id: img, attribute: "launchPermission"}).launch_permissions.len());
           // Hidden from listings, even the owner's, unless asked for; shown when named.
           print(ec2.describe_images(#{owners: ["self"]}).images.len());
           print(ec2.describe_images(#{owners: ["self"], include_disabled: true}).images[0].state);
           print(ec2.describe_images(#{owners: ["self"], include_disabled: true}).images[0]["public"]);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].state);
           print(ec2.describe_images(#{owners: ["self"], include_disabled: true, filters: [#{name: "state", values: ["disabled"]}]}).images.len());
           // The teammate lost access.
           try { mate.describe_images(#{image_ids: [img]}); } catch (e) { print(e.code) }
           print(ec2.enable_image(#{image_id: img})["return"]);
           print(ec2.describe_images(#{owners: ["self"]}).images[0].state);
           print(ec2.describe_image_attribute(#{image_id: img, attribute: "launchPermission"}).launch_permissions.len());
           try { mate.describe_images(#{image_ids: [img]}); } catch (e) { print(e.code) }
           // Enabled again, it launches; disabling or enabling twice changes nothing.
           print(launch(ec2, img, "t3.micro").len() > 2);
           ec2.enable_image(#{image_id: img});
           ec2.disable_image(#{image_id: img});
           ec2.disable_image(#{image_id: img});
           print(ec2.describe_images(#{image_ids: [img]}).images[0].state);"#,
    ));
    assert_eq!(
        lines,
        [
            "true",
            "0",
            "0",
            "disabled",
            "false",
            "disabled",
            "1",
            "InvalidAMIID.NotFound",
            "true",
            "available",
            "0",
            "InvalidAMIID.NotFound",
            "true",
            "disabled"
        ]
    );
}

#[test]
fn only_the_owner_disables_an_available_image() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
               mate.disable_image(#{image_id: img});"#,
        ),
        "AuthFailure",
        "Not authorized for image",
    );
    expect_error(
        r#"ec2.enable_image(#{image_id: al2023(ec2)});"#,
        "AuthFailure",
        "Not authorized for image",
    );
    expect_error(
        r#"let img = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           ec2.disable_image(#{image_id: img});"#,
        "InvalidAMIID.Unavailable",
        "is pending, and cannot be disabled",
    );
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.deregister_image(#{image_id: img});
               ec2.enable_image(#{image_id: img});"#,
        ),
        "InvalidAMIID.Unavailable",
        "is no longer available",
    );
}

#[test]
fn a_disabled_images_snapshots_stay_in_use() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.disable_image(#{image_id: img});
               let snap = ec2.describe_images(#{image_ids: [img]}).images[0].block_device_mappings[0].ebs.snapshot_id;
               ec2.delete_snapshot(#{snapshot_id: snap});"#,
        ),
        "InvalidSnapshot.InUse",
        "is currently in use by",
    );
}

// ---- Deregistration protection -----------------------------------------------------------------

#[test]
fn deregistration_protection_refuses_deregistration_until_turned_off() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.enable_image_deregistration_protection(#{image_id: img});
               ec2.deregister_image(#{image_id: img});"#,
        ),
        "OperationNotPermitted",
        "has deregistration protection enabled and can't be deregistered",
    );
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deregistration_protection);
           print(ec2.enable_image_deregistration_protection(#{image_id: img})["return"]);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deregistration_protection);
           print(ec2.describe_image_attribute(#{image_id: img, attribute: "deregistrationProtection"}).deregistration_protection.value);
           try { ec2.deregister_image(#{image_id: img}); } catch (e) { print(e.code) }
           print(ec2.describe_images(#{image_ids: [img]}).images[0].state);
           print(ec2.disable_image_deregistration_protection(#{image_id: img})["return"]);
           print(ec2.deregister_image(#{image_id: img})["return"]);"#,
    ));
    assert_eq!(
        lines,
        [
            "disabled",
            "enabled-without-cooldown",
            "enabled-without-cooldown",
            "enabled-without-cooldown",
            "OperationNotPermitted",
            "available",
            "disabled",
            "true"
        ]
    );
}

#[test]
fn with_cooldown_the_protection_stays_24_hours_after_it_is_turned_off() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.enable_image_deregistration_protection(#{image_id: img, with_cooldown: true});
               ec2.disable_image_deregistration_protection(#{image_id: img});
               sleep(86399);
               ec2.deregister_image(#{image_id: img});"#,
        ),
        "OperationNotPermitted",
        "turned off with a 24-hour cooldown",
    );
    let (report, cloud) = run(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           print(ec2.enable_image_deregistration_protection(#{image_id: img, with_cooldown: true})["return"]);
           print(ec2.disable_image_deregistration_protection(#{image_id: img})["return"]);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deregistration_protection);
           // Turning it off again does not restart the cooldown.
           sleep(86399);
           ec2.disable_image_deregistration_protection(#{image_id: img});
           try { ec2.deregister_image(#{image_id: img}); } catch (e) { print(e.code) }
           sleep(1);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].deregistration_protection);
           print(ec2.deregister_image(#{image_id: img})["return"]);"#,
    ));
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let lines: Vec<&str> = report
        .output
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    // The cooldown ends 24 hours after the protection was turned off: as the run ends.
    let until = iso8601(cloud.borrow().now());
    let cooling = format!("disabled-until {until}");
    assert_eq!(
        lines,
        [
            "enabled-with-cooldown",
            cooling.as_str(),
            cooling.as_str(),
            "OperationNotPermitted",
            "disabled",
            "true"
        ]
    );
}

#[test]
fn only_the_owner_sees_and_changes_the_protection() {
    expect_error(
        &with_setup(
            r#"let img = golden(ec2, "web-v1");
               ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
               mate.enable_image_deregistration_protection(#{image_id: img, with_cooldown: true});"#,
        ),
        "AuthFailure",
        "Not authorized for image",
    );
    let lines = output(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
           ec2.enable_image_deregistration_protection(#{image_id: img});
           print(mate.describe_images(#{image_ids: [img]}).images[0].contains("deregistration_protection"));
           // A disabled image can be protected too.
           ec2.disable_image(#{image_id: img});
           print(ec2.enable_image_deregistration_protection(#{image_id: img, with_cooldown: true})["return"]);"#,
    ));
    assert_eq!(lines, ["false", "enabled-with-cooldown"]);
}

// ---- Last launched time ------------------------------------------------------------------------

#[test]
fn the_last_launch_is_reported_a_day_later_to_the_owner() {
    let (report, cloud) = run(&with_setup(
        r#"let img = golden(ec2, "web-v1");
           ec2.modify_image_attribute(#{image_id: img, launch_permission: #{add: [#{user_id: "444455556666"}]}});
           let attr = ec2.describe_image_attribute(#{image_id: img, attribute: "lastLaunchedTime"});
           print(attr.last_launched_time.contains("value"));
           mate.run_instances(#{image_id: img, instance_type: "t3.micro", min_count: 1, max_count: 1});
           sleep(86399);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].contains("last_launched_time"));
           sleep(1);
           print(ec2.describe_image_attribute(#{image_id: img, attribute: "lastLaunchedTime"}).last_launched_time.value);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].last_launched_time);
           print(mate.describe_images(#{image_ids: [img]}).images[0].contains("last_launched_time"));"#,
    ));
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let lines: Vec<&str> = report
        .output
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    let launched = iso8601(cloud.borrow().now() - 86_400).replace(".000Z", "Z");
    assert_eq!(
        lines,
        [
            "false",
            "false",
            launched.as_str(),
            launched.as_str(),
            "false"
        ]
    );
}

// ---- Firmware: TpmSupport and UefiData ---------------------------------------------------------

/// Registers an image from the golden image's root snapshot with `extra` RegisterImage members.
fn register(extra: &str) -> String {
    with_setup(&format!(
        r#"let img = golden(ec2, "web-v1");
           let snap = ec2.describe_images(#{{image_ids: [img]}}).images[0].block_device_mappings[0].ebs.snapshot_id;
           let reg = ec2.register_image(#{{name: "web-uefi", root_device_name: "/dev/xvda", architecture: "x86_64",
               virtualization_type: "hvm", ena_support: true, boot_mode: "uefi", {extra}
               block_device_mappings: [#{{device_name: "/dev/xvda", ebs: #{{snapshot_id: snap}}}}]}}).image_id;"#
    ))
}

#[test]
fn tpm_support_is_v2_only() {
    expect_error(
        &register(r#"tpm_support: "v1.2","#),
        "InvalidParameterValue",
        "Value (v1.2) for parameter tpmSupport is invalid. Valid values: v2.0",
    );
}

#[test]
fn uefi_data_must_be_base64() {
    expect_error(
        &register(r#"uefi_data: "not base64!","#),
        "InvalidParameterValue",
        "Value for parameter uefiData is invalid",
    );
}

#[test]
fn tpm_support_and_uefi_data_show_and_follow_copies() {
    let lines = output(&format!(
        "{}\n{}",
        register(r#"tpm_support: "v2.0", uefi_data: "QU1JTGFiIFVFRkk=","#),
        r#"ec2.get_waiter("image_available").wait(#{image_ids: [reg]});
           print(ec2.describe_images(#{image_ids: [reg]}).images[0].tpm_support);
           print(ec2.describe_image_attribute(#{image_id: reg, attribute: "tpmSupport"}).tpm_support.value);
           print(ec2.describe_image_attribute(#{image_id: reg, attribute: "uefiData"}).uefi_data.value);
           let copy = ec2.copy_image(#{name: "web-uefi-copy", source_image_id: reg, source_region: "us-east-1"}).image_id;
           print(ec2.describe_images(#{image_ids: [copy]}).images[0].tpm_support);
           print(ec2.describe_image_attribute(#{image_id: copy, attribute: "uefiData"}).uefi_data.value);
           print(ec2.describe_images(#{image_ids: [img]}).images[0].contains("tpm_support"));"#
    ));
    assert_eq!(
        lines,
        [
            "v2.0",
            "v2.0",
            "QU1JTGFiIFVFRkk=",
            "v2.0",
            "QU1JTGFiIFVFRkk=",
            "false"
        ]
    );
}

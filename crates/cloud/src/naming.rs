//! botocore's `xform_name`: how boto3 turns `DescribeImages` into `describe_images` and
//! `ImageIds` into `image_ids`; and its way back, [`wire_name`]: how the API (and so the AWS
//! CLI) spells a member boto3 calls `image_ids`.

use std::borrow::Cow;

/// Converts a CamelCase API name to boto3's snake_case, as botocore's `xform_name` does:
/// a run of capitals stays one word (`KmsKeyId` → `kms_key_id`, `DryRun` → `dry_run`,
/// `EnaSupport` → `ena_support`, `Ipv6Addresses` → `ipv6_addresses`).
pub fn xform_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let starts_word = match prev {
                None => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                // The last capital of a run starts a new word when a lowercase letter follows
                // (`SSMParameter` → `ssm_parameter`).
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Members whose API name is not the capitalised words of boto3's key, per service
/// (`AutoScalingGroupARN`, not `AutoScalingGroupArn`). Only members of the simulated operations
/// are listed: the conformance test (`every_wire_name_is_botocores`) walks botocore's input and
/// output shapes of every operation in the table and holds each member's name to [`wire_name`].
const WIRE_NAME_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "autoscaling",
        "auto_scaling_group_arn",
        "AutoScalingGroupARN",
    ),
    (
        "autoscaling",
        "notification_target_arn",
        "NotificationTargetARN",
    ),
    ("autoscaling", "role_arn", "RoleARN"),
    (
        "autoscaling",
        "service_linked_role_arn",
        "ServiceLinkedRoleARN",
    ),
    ("autoscaling", "target_group_arns", "TargetGroupARNs"),
    (
        "autoscaling",
        "total_local_storage_gb",
        "TotalLocalStorageGB",
    ),
    ("autoscaling", "vpc_zone_identifier", "VPCZoneIdentifier"),
    (
        "ec2",
        "enable_resource_name_dns_aaaa_record",
        "EnableResourceNameDnsAAAARecord",
    ),
    ("ec2", "size_in_gb", "SizeInGB"),
    ("ec2", "total_local_storage_gb", "TotalLocalStorageGB"),
    ("ec2", "total_size_in_gb", "TotalSizeInGB"),
    ("kms", "aws_account_id", "AWSAccountId"),
    ("ssm", "ip_address", "IPAddress"),
];

/// The API's name for the member boto3 calls `key` in `service`: the inverse of
/// [`xform_name`]. Each `_`-separated word is capitalised (`image_ids` → `ImageIds`,
/// `kms_key_id` → `KmsKeyId`); Image Builder's REST-JSON members start lower case
/// (`image_pipeline_arn` → `imagePipelineArn`); the few members with a run of capitals come from
/// a table (`vpc_zone_identifier` → `VPCZoneIdentifier` in `autoscaling`). Map keys are the caller's and never go
/// through it.
pub fn wire_name<'a>(service: &str, key: &'a str) -> Cow<'a, str> {
    if let Some((_, _, wire)) = WIRE_NAME_EXCEPTIONS
        .iter()
        .find(|(s, k, _)| *s == service && *k == key)
    {
        return Cow::Borrowed(wire);
    }
    let mut out = String::with_capacity(key.len());
    for (i, word) in key.split('_').enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 && service == "imagebuilder" {
                out.push(first);
            } else {
                out.push(first.to_ascii_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    Cow::Owned(out)
}

/// A path of boto3 keys in the API's names, each step through [`wire_name`]: a member path
/// (`placement.group_name` → `Placement.GroupName`) or a waiter's expression
/// (`reservations[].instances[].state.name` → `Reservations[].Instances[].State.Name`).
pub fn wire_path(service: &str, path: &str) -> String {
    path.split('.')
        .map(|step| {
            let name_end = step.find(['[', '(']).unwrap_or(step.len());
            let (name, rest) = step.split_at(name_end);
            format!("{}{rest}", wire_name(service, name))
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_step_by_step() {
        assert_eq!(
            wire_path("ec2", "placement.group_name"),
            "Placement.GroupName"
        );
        assert_eq!(
            wire_path("ec2", "reservations[].instances[].state.name"),
            "Reservations[].Instances[].State.Name"
        );
    }

    #[test]
    fn wire_names_invert_xform_name() {
        for (service, wire) in [
            ("ec2", "ImageIds"),
            ("ec2", "KmsKeyId"),
            ("ec2", "Ipv6Addresses"),
            ("ec2", "SizeInGB"),
            ("autoscaling", "VPCZoneIdentifier"),
            ("kms", "AWSAccountId"),
            ("imagebuilder", "imagePipelineArn"),
            ("imagebuilder", "amis"),
        ] {
            assert_eq!(wire_name(service, &xform_name(wire)), wire, "{wire}");
        }
    }

    #[test]
    fn matches_botocore() {
        for (camel, snake) in [
            ("DescribeImages", "describe_images"),
            ("ImageIds", "image_ids"),
            ("KmsKeyId", "kms_key_id"),
            ("MinCount", "min_count"),
            ("DryRun", "dry_run"),
            ("BlockDeviceMappings", "block_device_mappings"),
            ("SriovNetSupport", "sriov_net_support"),
            ("GetCallerIdentity", "get_caller_identity"),
            ("SSMParameter", "ssm_parameter"),
            ("Ipv6Addresses", "ipv6_addresses"),
            ("Return", "return"),
        ] {
            assert_eq!(xform_name(camel), snake, "{camel}");
        }
    }
}

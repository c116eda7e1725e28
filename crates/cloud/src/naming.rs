//! botocore's `xform_name`: how boto3 turns `DescribeImages` into `describe_images` and
//! `ImageIds` into `image_ids`.

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

#[cfg(test)]
mod tests {
    use super::*;

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

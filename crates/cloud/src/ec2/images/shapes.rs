//! The request and response shapes of the image operations (boto3's keys).

use super::*;

/// A marketplace product code as EC2 shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductCodeShape {
    /// The product code.
    pub product_code_id: String,
    /// Always `marketplace`.
    pub product_code_type: String,
}

/// An image as DescribeImages returns it (boto3's keys, converted by `xform_name`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageShape {
    /// `Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`, ….
    pub platform_details: String,
    /// The billing code (`RunInstances`, `RunInstances:0002`, …).
    pub usage_operation: String,
    /// The devices instances get, with their snapshots.
    pub block_device_mappings: Vec<BlockDeviceMappingShape>,
    /// The description; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether ENA enhanced networking is enabled.
    pub ena_support: bool,
    /// Always `xen`, the only hypervisor EC2 reports for images.
    pub hypervisor: String,
    /// `amazon` or `aws-marketplace`; absent on an account's own images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_owner_alias: Option<String>,
    /// The AMI name.
    pub name: String,
    /// The root device's name (`/dev/xvda`).
    pub root_device_name: String,
    /// `ebs` or `instance-store`.
    pub root_device_type: String,
    /// `simple` when Intel enhanced networking is enabled; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sriov_net_support: Option<String>,
    /// Why the state changed, when EC2 says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<crate::ec2::StateReasonShape>,
    /// The caller's tags on it; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `hvm` or `paravirtual`.
    pub virtualization_type: String,
    /// `uefi`, `legacy-bios` or `uefi-preferred`; absent when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<String>,
    /// `v2.0` when it is configured for NitroTPM (RegisterImage's `tpm_support`); absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpm_support: Option<String>,
    /// When it is (or will be) deprecated, ISO-8601 on a whole minute; absent when no
    /// deprecation time is set. A time in the future means it is not deprecated yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecation_time: Option<String>,
    /// `v2.0` when instances launched from it require IMDSv2; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imds_support: Option<String>,
    /// The instance CreateImage made it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_instance_id: Option<String>,
    /// `disabled`, `enabled-without-cooldown`, `enabled-with-cooldown`, or `disabled-until
    /// <time>` during a cooldown; shown to the owner only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deregistration_protection: Option<String>,
    /// When an instance was last launched from it (`2025-06-02T09:00:00Z`), reported 24 hours
    /// after the launch; shown to the owner only, absent before the first report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_launched_time: Option<String>,
    /// The image CopyImage copied it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_image_id: Option<String>,
    /// The region CopyImage copied it from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_image_region: Option<String>,
    /// The image id (`ami-…`).
    pub image_id: String,
    /// `<owner or alias>/<name>` for EBS images, the S3 manifest path for instance-store ones.
    pub image_location: String,
    /// `pending`, `available`, `failed` or `disabled` (deregistered images are not listed).
    pub state: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// When it was created, ISO-8601 (`2025-06-02T09:00:00.000Z`).
    pub creation_date: String,
    /// Whether every account may launch it.
    pub public: bool,
    /// Marketplace product codes; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_codes: Option<Vec<ProductCodeShape>>,
    /// `i386`, `x86_64` or `arm64`.
    pub architecture: String,
    /// Always `machine`.
    pub image_type: String,
    /// The kernel (`aki-…`) of a paravirtual image; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<String>,
    /// `windows` for Windows images; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

request! {
    /// Input of EC2 `DescribeImages` (`ec2.describe_images(#{owners: ["self"]})`).
    #[derive(Default)]
    pub struct DescribeImagesInput {
        /// Only these images (`ami-…`). An id that does not exist, or whose image the caller may
        /// not launch, is `InvalidAMIID.NotFound`; a deregistered image is simply not listed. A
        /// named image is listed even when it is deprecated or disabled (EC2 User Guide,
        /// "Deprecate an AMI" and "Disable an AMI").
        #[serde(default)]
        pub image_ids: Vec<String>,
        /// Only images of these owners: account ids, `self`, `amazon` or `aws-marketplace`.
        #[serde(default)]
        pub owners: Vec<String>,
        /// Only images shared with these: an account id (explicitly shared with it), `self` (shared
        /// with the caller) or `all` (public).
        #[serde(default)]
        pub executable_users: Vec<String>,
        ..filters,
        /// `true` to list other accounts' deprecated images too. By default an image whose
        /// deprecation time has come is left out unless the caller owns it or names its id
        /// (DescribeImages `IncludeDeprecated`; EC2 User Guide, "Deprecate an AMI").
        pub include_deprecated: Option<bool>,
        /// `true` to list disabled images (only their owner can see them). By default they are
        /// left out unless their id is named (DescribeImages `IncludeDisabled`; EC2 User Guide,
        /// "Disable an AMI").
        pub include_disabled: Option<bool>,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeImages`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeImagesOutput {
    /// The matching images, in creation order (catalogue images first).
    pub images: Vec<ImageShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `CreateImage` (EC2-BEHAVIOUR.md, CreateImage).
    pub struct CreateImageInput {
        ..not_simulated["boot_mode_override", "snapshot_location", "block_device_mappings.ebs.throughput"],
        /// The instance to image: the caller's, EBS-backed, and running, stopping or stopped.
        pub instance_id: String,
        /// The AMI name: 3–128 characters of letters, digits, `( ) [ ]`, space, `. / - ' @ _`;
        /// unique per account per region.
        pub name: String,
        /// A description, at most 255 characters.
        pub description: Option<String>,
        /// `true` to image the running instance without the clean shutdown EC2 does by default:
        /// writes not yet synced in the guest are lost.
        pub no_reboot: Option<bool>,
        /// Changes to the instance's devices: only `delete_on_termination` may change, and
        /// `no_device` leaves a data volume out.
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// Tags for the new `image` and its `snapshot`s; other resource types are refused.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

/// `{image_id}`: the answer of CreateImage, CopyImage and RegisterImage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageIdOutput {
    /// The new image's id (`ami-…`).
    pub image_id: String,
}

request! {
    /// Input of EC2 `CopyImage`, called in the destination region (EC2-BEHAVIOUR.md, CopyImage).
    pub struct CopyImageInput {
        ..not_simulated["destination_availability_zone", "destination_availability_zone_id", "destination_outpost_arn", "snapshot_copy_completion_duration_minutes"],
        /// The copy's AMI name (same rules as CreateImage's).
        pub name: String,
        /// The image to copy.
        pub source_image_id: String,
        /// The region the source image is in; may be the caller's own.
        pub source_region: String,
        /// The copy's description; by default `[Copied ami-… from <region>] <source description>`.
        pub description: Option<String>,
        /// `true` to encrypt the copy's snapshots; a copy of an encrypted image is always
        /// encrypted.
        pub encrypted: Option<bool>,
        /// The KMS key (id, ARN or alias) that encrypts the copy, in the destination region; needs
        /// `encrypted: true`. By default the destination account's default EBS key (or, for a
        /// copy of the caller's own image within a region, the source's key).
        pub kms_key_id: Option<String>,
        /// `true` to copy the source's tags (never its `aws:` tags).
        pub copy_image_tags: Option<bool>,
        /// Tags for the new `image` and its `snapshot`s.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        /// An idempotency token: repeating a CopyImage with the same token answers the first call's
        /// image id and copies nothing.
        pub client_token: Option<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `RegisterImage`. Only EBS-backed images registered from snapshots are
    /// supported; `image_location` (an S3 manifest) is refused.
    pub struct RegisterImageInput {
        ..not_simulated["billing_products", "ramdisk_id", "block_device_mappings.ebs.throughput"],
        /// The AMI name (same rules as CreateImage's).
        pub name: String,
        /// An S3 manifest path (instance-store images); refused with `UnsupportedOperation`.
        pub image_location: Option<String>,
        /// A description, at most 255 characters.
        pub description: Option<String>,
        /// `i386`, `x86_64` or `arm64`; `i386` when absent, RegisterImage's documented default for
        /// EBS-backed images.
        pub architecture: Option<String>,
        /// The kernel (`aki-…`) a paravirtual image boots with.
        pub kernel_id: Option<String>,
        /// The root device's name (required); a block device mapping with a snapshot must name it.
        pub root_device_name: Option<String>,
        /// The image's devices (required): each needs a `device_name`, and an `ebs` device a
        /// `snapshot_id` of the caller's or a `volume_size`.
        #[serde(default)]
        pub block_device_mappings: Vec<BlockDeviceMappingRequest>,
        /// `hvm` or `paravirtual`; `paravirtual` when absent, RegisterImage's documented default.
        pub virtualization_type: Option<String>,
        /// `simple` to enable Intel enhanced networking.
        pub sriov_net_support: Option<String>,
        /// Whether ENA enhanced networking is enabled; `false` when absent.
        pub ena_support: Option<bool>,
        /// `uefi`, `legacy-bios` or `uefi-preferred`.
        pub boot_mode: Option<String>,
        /// `v2.0` to configure the image for NitroTPM; shown as `tpm_support` by DescribeImages
        /// and DescribeImageAttribute, and kept by CopyImage. Any other value is
        /// `InvalidParameterValue`.
        pub tpm_support: Option<String>,
        /// The base64 non-volatile UEFI variable store, at most 64,000 characters (botocore's
        /// model); shown by DescribeImageAttribute `uefiData`, and kept by CopyImage. Anything
        /// that is not base64, or longer, is `InvalidParameterValue`.
        pub uefi_data: Option<String>,
        /// `v2.0`: instances launched from the image require IMDSv2.
        pub imds_support: Option<String>,
        /// Tags for the new `image`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DeregisterImage` (EC2-BEHAVIOUR.md, DeregisterImage).
    pub struct DeregisterImageInput {
        /// The image to deregister: the caller's own.
        pub image_id: String,
        /// `true` to delete the image's snapshots too (those no other registered image uses); by
        /// default they stay, and keep costing money.
        pub delete_associated_snapshots: Option<bool>,
        ..dry_run,
    }
}

/// What happened to one snapshot when DeregisterImage deleted associated snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteSnapshotResult {
    /// The snapshot.
    pub snapshot_id: String,
    /// `success` (deleted), `skipped` (another registered image uses it) or `missing-permissions`
    /// (not the caller's).
    pub return_code: String,
}

/// EC2 `DeregisterImage`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeregisterImageOutput {
    /// Always `true`; serialised as `return`.
    #[serde(rename = "return")]
    pub return_: bool,
    /// One result per snapshot when `delete_associated_snapshots` was set; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_snapshot_results: Option<Vec<DeleteSnapshotResult>>,
}

request! {
    /// Input of EC2 `DescribeImageAttribute`.
    pub struct DescribeImageAttributeInput {
        /// The attribute to read: `description`, `kernel`, `ramdisk`, `launchPermission`,
        /// `productCodes`, `sriovNetSupport`, `bootMode`, `tpmSupport`, `uefiData`,
        /// `lastLaunchedTime`, `imdsSupport` or `deregistrationProtection` (`blockDeviceMapping`
        /// is deprecated and refused).
        pub attribute: String,
        /// The image: the caller's own.
        pub image_id: String,
        ..dry_run,
    }
}

/// `{value: …}`, EC2's attribute-value wrapper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeValue {
    /// The value; absent when unset (EC2 answers `{}` for an image without a kernel).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One launch permission: exactly one of its members is set. `{group: "all"}` makes an image
/// public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchPermission {
    /// A 12-digit account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// A group; the only group is `all` (every account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// An AWS Organizations organization ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_arn: Option<String>,
    /// An organizational unit ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizational_unit_arn: Option<String>,
}

/// EC2 `DescribeImageAttribute`'s answer: the image id and the one attribute asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageAttributeOutput {
    /// For `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<AttributeValue>,
    /// For `kernel`: the kernel id of a paravirtual image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_id: Option<AttributeValue>,
    /// For `ramdisk`: always unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ramdisk_id: Option<AttributeValue>,
    /// For `sriovNetSupport`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sriov_net_support: Option<AttributeValue>,
    /// For `bootMode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<AttributeValue>,
    /// For `tpmSupport`: `v2.0` for a NitroTPM image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpm_support: Option<AttributeValue>,
    /// For `uefiData`: the base64 UEFI variable store registered with the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uefi_data: Option<AttributeValue>,
    /// For `lastLaunchedTime`: when an instance was last launched from it, reported 24 hours
    /// after the launch (`2025-06-02T09:00:00Z`); unset before that.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_launched_time: Option<AttributeValue>,
    /// For `imdsSupport`: `v2.0` when instances launched from it require IMDSv2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imds_support: Option<AttributeValue>,
    /// For `deregistrationProtection`: as [`ImageShape::deregistration_protection`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deregistration_protection: Option<AttributeValue>,
    /// The image id.
    pub image_id: String,
    /// For `launchPermission`: the image's permissions (`[{user_id} | {group: "all"} | …]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_permissions: Option<Vec<LaunchPermission>>,
    /// For `productCodes`: its marketplace product codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_codes: Option<Vec<ProductCodeShape>>,
}

/// `launch_permission: #{add: [...], remove: [...]}` in ModifyImageAttribute (EC2's
/// `LaunchPermissionModifications`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchPermissionModifications {
    /// Permissions to add; adding one that exists is not an error.
    #[serde(default)]
    pub add: Vec<LaunchPermission>,
    /// Permissions to remove; removing one that is absent is not an error.
    #[serde(default)]
    pub remove: Vec<LaunchPermission>,
}

request! {
    /// Input of EC2 `ModifyImageAttribute`: share or unshare an image (`launch_permission`, or
    /// `attribute: "launchPermission"` with `operation_type` and `user_ids` / `user_groups` / …),
    /// or change its description (EC2-BEHAVIOUR.md, Launch permissions).
    pub struct ModifyImageAttributeInput {
        ..not_simulated["product_codes"],
        /// The image: the caller's own.
        pub image_id: String,
        /// `launchPermission` or `description`.
        pub attribute: Option<String>,
        /// The new description (`{value}`).
        pub description: Option<AttributeValue>,
        /// Permissions to add and remove.
        pub launch_permission: Option<LaunchPermissionModifications>,
        /// `add` or `remove`, for the flat form's lists.
        pub operation_type: Option<String>,
        /// Accounts to add or remove (flat form).
        #[serde(default)]
        pub user_ids: Vec<String>,
        /// Groups to add or remove (flat form); the only group is `all`.
        #[serde(default)]
        pub user_groups: Vec<String>,
        /// Organizations to add or remove (flat form).
        #[serde(default)]
        pub organization_arns: Vec<String>,
        /// Organizational units to add or remove (flat form).
        #[serde(default)]
        pub organizational_unit_arns: Vec<String>,
        /// The new value for `attribute: "description"` or `attribute: "imdsSupport"`.
        pub value: Option<String>,
        /// `{value: "v2.0"}`: instances launched from the image require IMDSv2.
        pub imds_support: Option<AttributeValue>,
        ..dry_run,
    }
}

impl ModifyImageAttributeInput {
    /// The launch-permission changes the request asks for, whichever form it uses: a
    /// `launch_permission` structure (`#{add: [..], remove: [..]}`), or `attribute:
    /// "launchPermission"` with `operation_type` and `user_ids` / `user_groups` /
    /// `organization_arns` / `organizational_unit_arns` (ModifyImageAttribute, EC2 API
    /// reference). `attribute` beside a structure alone names what the structure changes (the
    /// AWS CLI's `--attribute launchPermission --launch-permission …`). Items are not
    /// validated here. `Err` (InvalidParameterValue) when the flat form's operation type is
    /// neither `add` nor `remove`.
    pub fn launch_permission_changes(&self) -> AwsResult<LaunchPermissionModifications> {
        let mut changes = self.launch_permission.clone().unwrap_or_default();
        if self.attribute.as_deref() != Some("launchPermission") {
            return Ok(changes);
        }
        let one = |f: fn(String) -> LaunchPermission, list: &[String]| {
            list.iter().cloned().map(f).collect::<Vec<_>>()
        };
        let mut items = one(
            |u| LaunchPermission {
                user_id: Some(u),
                ..Default::default()
            },
            &self.user_ids,
        );
        items.extend(one(
            |g| LaunchPermission {
                group: Some(g),
                ..Default::default()
            },
            &self.user_groups,
        ));
        items.extend(one(
            |a| LaunchPermission {
                organization_arn: Some(a),
                ..Default::default()
            },
            &self.organization_arns,
        ));
        items.extend(one(
            |a| LaunchPermission {
                organizational_unit_arn: Some(a),
                ..Default::default()
            },
            &self.organizational_unit_arns,
        ));
        match self.operation_type.as_deref() {
            Some("add") => changes.add.extend(items),
            Some("remove") => changes.remove.extend(items),
            None if self.launch_permission.is_some() && items.is_empty() => {}
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({}) for parameter operationType is invalid. Valid values: add, remove",
                    other.unwrap_or("null")
                )))
            }
        }
        Ok(changes)
    }
}

request! {
    /// Input of EC2 `ResetImageAttribute`.
    pub struct ResetImageAttributeInput {
        /// The attribute to reset; only `launchPermission` can be.
        pub attribute: String,
        /// The image: the caller's own.
        pub image_id: String,
        ..dry_run,
    }
}

/// A timestamp as boto3 takes one (botocore's `timestamp` type): an ISO-8601 string
/// (`2025-07-01T12:00:00Z`, `2025-07-01T12:00:00.500+02:00`, `2025-07-01T12:00:00` in UTC, or a
/// date, `2025-07-01`) or seconds since the Unix epoch. Anything else is refused before the call
/// is sent, as boto3's parameter validation refuses it. Kept to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    millis: i64,
}

impl Timestamp {
    /// The timestamp at `seconds` since the Unix epoch.
    pub fn from_seconds(seconds: i64) -> Timestamp {
        Timestamp {
            millis: seconds.saturating_mul(1000),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.millis
    }

    /// Seconds since the Unix epoch, rounded to the nearest minute (half a minute rounds up), as
    /// EC2 rounds `DeprecateAt`.
    pub fn nearest_minute(self) -> i64 {
        self.millis.saturating_add(30_000).div_euclid(60_000) * 60
    }

    fn parse(text: &str) -> Option<Timestamp> {
        use chrono::{DateTime, NaiveDate, NaiveDateTime};
        let text = text.trim();
        let utc = DateTime::parse_from_rfc3339(text)
            .map(|t| t.timestamp_millis())
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|t| t.and_utc().timestamp_millis())
            })
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t.and_utc().timestamp_millis())
            })?;
        Some(Timestamp { millis: utc })
    }
}

/// botocore's `timestamp`: a string in the `date-time` format, which is how the AWS CLI front end
/// knows to accept ISO-8601 text or epoch seconds for it.
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date-time"})
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match chrono::DateTime::from_timestamp_millis(self.millis) {
            Some(t) => serializer.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
            None => serializer.serialize_i64(self.millis / 1000),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        const HOW: &str =
            "give an ISO-8601 string (\"2025-07-01T12:00:00Z\") or seconds since the Unix epoch";
        impl<'v> serde::de::Visitor<'v> for Visit {
            type Value = Timestamp;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a timestamp")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v)
                    .ok_or_else(|| E::custom(format!("\"{v}\" is not a timestamp; {HOW}")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_seconds(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_seconds(
                    i64::try_from(v).unwrap_or(i64::MAX),
                ))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
                // Seconds with a fraction, within what a timestamp can hold.
                if v.is_finite() && v.abs() < 1e14 {
                    Ok(Timestamp {
                        millis: (v * 1000.0).round() as i64,
                    })
                } else {
                    Err(E::custom(format!("{v} is not a timestamp; {HOW}")))
                }
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Timestamp, E> {
                Err(E::custom(format!("{v} is not a timestamp; {HOW}")))
            }
            fn visit_map<A: serde::de::MapAccess<'v>>(self, _: A) -> Result<Timestamp, A::Error> {
                Err(serde::de::Error::custom(format!(
                    "a map is not a timestamp; {HOW}"
                )))
            }
            fn visit_seq<A: serde::de::SeqAccess<'v>>(self, _: A) -> Result<Timestamp, A::Error> {
                Err(serde::de::Error::custom(format!(
                    "a list is not a timestamp; {HOW}"
                )))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

request! {
    /// Input of EC2 `EnableImageDeprecation` (`ec2.enable_image_deprecation(#{image_id, deprecate_at:
    /// "2026-01-01T00:00:00Z"})`).
    pub struct EnableImageDeprecationInput {
        /// The image: the caller's own.
        pub image_id: String,
        /// When the image is deprecated; EC2 rounds it to the nearest minute. Not in the past, at
        /// most 10 years from now, and for a public image at most 2 years from its creation
        /// date (EnableImageDeprecation, EC2 API reference).
        pub deprecate_at: Timestamp,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DisableImageDeprecation`, `DisableImage`, `EnableImage` and
    /// `DisableImageDeregistrationProtection`: one image of the caller's.
    pub struct ImageIdInput {
        /// The image: the caller's own.
        pub image_id: String,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `EnableImageDeregistrationProtection`.
    pub struct EnableImageDeregistrationProtectionInput {
        /// The image: the caller's own.
        pub image_id: String,
        /// `true` to keep the protection in effect for 24 hours after it is turned off
        /// ([`DEREGISTRATION_COOLDOWN`]).
        pub with_cooldown: Option<bool>,
        ..dry_run,
    }
}

/// `{return: "…"}`: the answer of EnableImageDeregistrationProtection and
/// DisableImageDeregistrationProtection, the protection's new value
/// (`enabled-without-cooldown`, `enabled-with-cooldown`, `disabled`, `disabled-until …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectionOutput {
    /// The image's deregistration protection after the call; serialised as `return`.
    #[serde(rename = "return")]
    pub return_: String,
}

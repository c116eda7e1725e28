//! The default VPC and its subnets, security groups with ingress rules, and key pairs.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::filters::{self, bool_str, Filterable, Matcher, Sink};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::{Empty, ReturnTrue};
use crate::clock::iso8601;
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};

/// A VPC: here only each account's default VPC (`172.31.0.0/16`), created the first time the
/// account calls into a region.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Vpc {
    /// The VPC id (`vpc-…`), derived from the account and region.
    pub id: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Its IPv4 range (`172.31.0.0/16`).
    pub cidr_block: String,
    /// Whether it is the account's default VPC.
    pub is_default: bool,
    /// Its tags.
    pub tags: Tags,
}

/// A subnet: here the default subnet of each availability zone in the default VPC (a `/20` each).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subnet {
    /// The subnet id (`subnet-…`), derived from the account and zone.
    pub id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Its availability zone (`us-east-1a`).
    pub availability_zone: String,
    /// Its zone id (`use1-az6`).
    pub availability_zone_id: String,
    /// Its IPv4 range (`172.31.0.0/20`, `172.31.16.0/20`, …).
    pub cidr_block: String,
    /// Whether it is its zone's default subnet.
    pub default_for_az: bool,
    /// Position of its zone in the region (addresses are drawn from its /20).
    pub index: u32,
    /// Its tags.
    pub tags: Tags,
}

/// One ingress rule: protocol, port range and source CIDR ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp` (or their numbers 6, 17, 1), or `-1` for every protocol.
    pub ip_protocol: String,
    /// The first port of the range (the ICMP type for `icmp`); -1 for all; absent for a rule of
    /// every protocol, as EC2 leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i64>,
    /// The last port of the range (the ICMP code for `icmp`); -1 for all; absent like
    /// `from_port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i64>,
    /// Source security groups.
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
    /// Source IPv4 ranges (`[{cidr_ip: "0.0.0.0/0"}]`).
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    /// Source IPv6 ranges.
    #[serde(default)]
    pub ipv6_ranges: Vec<Ipv6Range>,
    /// Source prefix lists; kept as given.
    #[serde(default)]
    pub prefix_list_ids: Vec<serde_json::Value>,
}

/// An IPv4 range in a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpRange {
    /// The range in CIDR notation (`203.0.113.0/24`).
    pub cidr_ip: String,
    /// A description of the range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An IPv6 range in a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ipv6Range {
    /// The range in CIDR notation (`::/0`).
    pub cidr_ipv6: String,
    /// A description of the range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A security group as the source of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIdGroupPair {
    /// A description of the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The account that owns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The source group (`sg-…`).
    pub group_id: Option<String>,
}

/// A security group as the simulation holds it: what graders read. Scripts see it through
/// DescribeSecurityGroups, as a [`SecurityGroupShape`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityGroup {
    /// The group id (`sg-…`).
    pub id: String,
    /// The group name, unique per VPC.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// Its inbound rules; the `default` group lets in traffic from its own members. Outbound
    /// traffic is always allowed.
    pub ingress: Vec<IpPermission>,
    /// Its tags.
    pub tags: Tags,
}

impl SecurityGroup {
    pub(crate) fn default_group(id: String, vpc_id: String, account: &str) -> Self {
        SecurityGroup {
            id: id.clone(),
            name: "default".into(),
            description: "default VPC security group".into(),
            vpc_id,
            owner_id: account.to_string(),
            ingress: vec![IpPermission {
                ip_protocol: "-1".into(),
                from_port: None,
                to_port: None,
                ip_ranges: Vec::new(),
                ipv6_ranges: Vec::new(),
                user_id_group_pairs: vec![UserIdGroupPair {
                    group_id: Some(id),
                    user_id: Some(account.to_string()),
                    description: None,
                }],
                prefix_list_ids: Vec::new(),
            }],
            tags: Tags::default(),
        }
    }

    fn describe(&self) -> SecurityGroupShape {
        SecurityGroupShape {
            group_id: self.id.clone(),
            group_name: self.name.clone(),
            description: self.description.clone(),
            vpc_id: self.vpc_id.clone(),
            owner_id: self.owner_id.clone(),
            ip_permissions: self.ingress.clone(),
            ip_permissions_egress: vec![IpPermission {
                ip_protocol: "-1".into(),
                from_port: None,
                to_port: None,
                ip_ranges: vec![IpRange {
                    cidr_ip: "0.0.0.0/0".into(),
                    description: None,
                }],
                ipv6_ranges: Vec::new(),
                user_id_group_pairs: Vec::new(),
                prefix_list_ids: Vec::new(),
            }],
            tags: self.tags.to_list(),
        }
    }
}

/// An EC2 key pair. The simulation keeps only its metadata; no real key material exists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyPair {
    /// The key pair id (`key-…`).
    pub id: String,
    /// Its name, unique per account per region.
    pub name: String,
    /// The owner's 12-digit account id.
    pub owner_id: String,
    /// `rsa` or `ed25519`.
    pub key_type: String,
    /// A fingerprint (20 colon-separated hex bytes), drawn from the seeded generator.
    pub fingerprint: String,
    /// When it was created, in seconds since the Unix epoch.
    pub create_time: u64,
    /// Its tags.
    pub tags: Tags,
    /// The OpenSSH public key: the imported one, or a placeholder for a created key (the
    /// simulation never makes real key material).
    pub public_key: String,
}

impl Filterable for SecurityGroup {
    const FILTER_NAMES: &'static [&'static str] = &[
        "description",
        "group-id",
        "group-name",
        "owner-id",
        "vpc-id",
        "ip-permission.from-port",
        "ip-permission.to-port",
        "ip-permission.cidr",
        "ip-permission.protocol",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "description" => out.push(self.description.as_str()),
            "group-id" => out.push(self.id.as_str()),
            "group-name" => out.push(self.name.as_str()),
            "owner-id" => out.push(self.owner_id.as_str()),
            "vpc-id" => out.push(self.vpc_id.as_str()),
            "ip-permission.from-port" => out.extend(
                self.ingress
                    .iter()
                    .filter_map(|p| p.from_port)
                    .map(|p| Cow::from(p.to_string())),
            ),
            "ip-permission.to-port" => out.extend(
                self.ingress
                    .iter()
                    .filter_map(|p| p.to_port)
                    .map(|p| Cow::from(p.to_string())),
            ),
            "ip-permission.cidr" => out.extend(
                self.ingress
                    .iter()
                    .flat_map(|p| p.ip_ranges.iter().map(|r| Cow::from(r.cidr_ip.as_str()))),
            ),
            "ip-permission.protocol" => out.extend(
                self.ingress
                    .iter()
                    .map(|p| Cow::from(p.ip_protocol.as_str())),
            ),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

impl Filterable for KeyPair {
    const FILTER_NAMES: &'static [&'static str] =
        &["key-pair-id", "key-name", "fingerprint", "key-type"];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "key-pair-id" => out.push(self.id.as_str()),
            "key-name" => out.push(self.name.as_str()),
            "fingerprint" => out.push(self.fingerprint.as_str()),
            "key-type" => out.push(self.key_type.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

impl Filterable for Subnet {
    const FILTER_NAMES: &'static [&'static str] = &[
        "availability-zone",
        "availability-zone-id",
        "cidr-block",
        "default-for-az",
        "owner-id",
        "subnet-id",
        "vpc-id",
        "state",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "availability-zone" => out.push(self.availability_zone.as_str()),
            "availability-zone-id" => out.push(self.availability_zone_id.as_str()),
            "cidr-block" => out.push(self.cidr_block.as_str()),
            "default-for-az" => out.push(bool_str(self.default_for_az)),
            "owner-id" => out.push(self.owner_id.as_str()),
            "subnet-id" => out.push(self.id.as_str()),
            "vpc-id" => out.push(self.vpc_id.as_str()),
            "state" => out.push("available"),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

impl Filterable for Vpc {
    const FILTER_NAMES: &'static [&'static str] = &[
        "cidr",
        "cidr-block",
        "is-default",
        "owner-id",
        "state",
        "vpc-id",
    ];

    fn field(&self, name: &str, out: &mut Sink<'_>) {
        match name {
            "cidr" | "cidr-block" => out.push(self.cidr_block.as_str()),
            "is-default" => out.push(bool_str(self.is_default)),
            "owner-id" => out.push(self.owner_id.as_str()),
            "state" => out.push("available"),
            "vpc-id" => out.push(self.id.as_str()),
            _ => {}
        }
    }

    fn tags(&self) -> &Tags {
        &self.tags
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes

/// A VPC as DescribeVpcs returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VpcShape {
    /// The owner's account id.
    pub owner_id: String,
    /// Always `default`.
    pub instance_tenancy: String,
    /// Whether it is the default VPC.
    pub is_default: bool,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// The VPC id.
    pub vpc_id: String,
    /// Always `available`.
    pub state: String,
    /// Its IPv4 range.
    pub cidr_block: String,
}

/// A subnet as DescribeSubnets returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubnetShape {
    /// Its zone id (`use1-az6`).
    pub availability_zone_id: String,
    /// The owner's account id.
    pub owner_id: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// The subnet id.
    pub subnet_id: String,
    /// Always `available`.
    pub state: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its IPv4 range.
    pub cidr_block: String,
    /// Always 4091 (a `/20` less AWS's five reserved addresses).
    pub available_ip_address_count: u32,
    /// Its zone (`us-east-1a`).
    pub availability_zone: String,
    /// Whether it is its zone's default subnet.
    pub default_for_az: bool,
    /// Always `true`, as for default subnets.
    pub map_public_ip_on_launch: bool,
}

/// A security group as DescribeSecurityGroups returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityGroupShape {
    /// The group id.
    pub group_id: String,
    /// Its outbound rules: always everything to `0.0.0.0/0`.
    pub ip_permissions_egress: Vec<IpPermission>,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Its VPC.
    pub vpc_id: String,
    /// The owner's account id.
    pub owner_id: String,
    /// The group name.
    pub group_name: String,
    /// Its description.
    pub description: String,
    /// Its inbound rules.
    pub ip_permissions: Vec<IpPermission>,
}

/// A key pair as DescribeKeyPairs returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyPairShape {
    /// The key pair id (`key-…`).
    pub key_pair_id: String,
    /// `rsa` or `ed25519`.
    pub key_type: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// The OpenSSH public key, with `include_public_key: true`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// When it was created, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub create_time: String,
    /// Its name.
    pub key_name: String,
    /// Its fingerprint.
    pub key_fingerprint: String,
}

/// EC2 `ImportKeyPair`'s answer: botocore's `ImportKeyPairResult` has no key type or creation
/// time (DescribeKeyPairs shows them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportKeyPairOutput {
    /// The MD5 fingerprint of the imported public key.
    pub key_fingerprint: String,
    /// Its name.
    pub key_name: String,
    /// The key pair id (`key-…`).
    pub key_pair_id: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// EC2 `CreateKeyPair`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateKeyPairOutput {
    /// The key pair id (`key-…`).
    pub key_pair_id: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Its name.
    pub key_name: String,
    /// Its fingerprint.
    pub key_fingerprint: String,
    /// A placeholder private key: the simulation never makes real key material.
    pub key_material: String,
}

request! {
    /// Input of EC2 `DescribeVpcs`.
    #[derive(Default)]
    pub struct DescribeVpcsInput {
        /// Only these VPCs; any that is not the caller's is `InvalidVpcID.NotFound`.
        #[serde(default)]
        pub vpc_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeVpcs`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeVpcsOutput {
    /// The caller's matching VPCs in its region, in id order.
    pub vpcs: Vec<VpcShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DescribeSubnets`.
    #[derive(Default)]
    pub struct DescribeSubnetsInput {
        /// Only these subnets; any that is not the caller's is `InvalidSubnetID.NotFound`.
        #[serde(default)]
        pub subnet_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeSubnets`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSubnetsOutput {
    /// The caller's matching subnets in its region, in zone order.
    pub subnets: Vec<SubnetShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `CreateSecurityGroup`.
    pub struct CreateSecurityGroupInput {
        /// The name: 1–255 characters, not starting with `sg-`, unique in the VPC.
        pub group_name: String,
        /// Its description (required).
        pub description: String,
        /// The VPC; the caller's default VPC when absent.
        pub vpc_id: Option<String>,
        /// Tags for the new `security-group`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

/// EC2 `CreateSecurityGroup`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateSecurityGroupOutput {
    /// The new group's id (`sg-…`).
    pub group_id: String,
    /// Its tags; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

request! {
    /// Input of EC2 `DescribeSecurityGroups`.
    #[derive(Default)]
    pub struct DescribeSecurityGroupsInput {
        /// Only these groups (`sg-…`).
        #[serde(default)]
        pub group_ids: Vec<String>,
        /// Only the groups with these names.
        #[serde(default)]
        pub group_names: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// EC2 `DescribeSecurityGroups`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSecurityGroupsOutput {
    /// The caller's matching groups in its region, in id order.
    pub security_groups: Vec<SecurityGroupShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of EC2 `DeleteSecurityGroup`: the group by id or by name.
    pub struct DeleteSecurityGroupInput {
        /// The group's id.
        pub group_id: Option<String>,
        /// The group's name (used when `group_id` is absent).
        pub group_name: Option<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `AuthorizeSecurityGroupIngress`: the group by id or name, and the rules as
    /// `ip_permissions` or in the flat form (`ip_protocol`, `from_port`, `to_port`, `cidr_ip`).
    pub struct IngressInput {
        ..not_simulated["source_security_group_name", "source_security_group_owner_id", "tag_specifications"],
        /// The group's id.
        pub group_id: Option<String>,
        /// The group's name (used when `group_id` is absent).
        pub group_name: Option<String>,
        /// The rules.
        #[serde(default)]
        pub ip_permissions: Vec<IpPermission>,
        /// Flat form: the protocol of one more rule.
        pub ip_protocol: Option<String>,
        /// Flat form: its first port.
        pub from_port: Option<i64>,
        /// Flat form: its last port.
        pub to_port: Option<i64>,
        /// Flat form: its source range.
        pub cidr_ip: Option<String>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `RevokeSecurityGroupIngress`: as [`IngressInput`], without tags (botocore's
    /// model has no `TagSpecifications` here).
    pub struct RevokeIngressInput {
        ..not_simulated["security_group_rule_ids", "source_security_group_name", "source_security_group_owner_id"],
        /// The group's id.
        pub group_id: Option<String>,
        /// The group's name (used when `group_id` is absent).
        pub group_name: Option<String>,
        /// The rules to remove.
        #[serde(default)]
        pub ip_permissions: Vec<IpPermission>,
        /// Flat form: the protocol of one more rule.
        pub ip_protocol: Option<String>,
        /// Flat form: its first port.
        pub from_port: Option<i64>,
        /// Flat form: its last port.
        pub to_port: Option<i64>,
        /// Flat form: its source range.
        pub cidr_ip: Option<String>,
        ..dry_run,
    }
}

impl From<RevokeIngressInput> for IngressInput {
    fn from(r: RevokeIngressInput) -> Self {
        IngressInput {
            group_id: r.group_id,
            group_name: r.group_name,
            ip_permissions: r.ip_permissions,
            ip_protocol: r.ip_protocol,
            from_port: r.from_port,
            to_port: r.to_port,
            cidr_ip: r.cidr_ip,
            dry_run: r.dry_run,
        }
    }
}

request! {
    /// Input of EC2 `CreateKeyPair`.
    pub struct CreateKeyPairInput {
        /// The name: 1–255 characters, unique per account per region.
        pub key_name: String,
        /// `rsa` (default) or `ed25519`.
        pub key_type: Option<String>,
        /// `pem` (default) or `ppk` (PuTTY): the format of the private key returned.
        pub key_format: Option<String>,
        /// Tags for the new `key-pair`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `ImportKeyPair`.
    pub struct ImportKeyPairInput {
        /// The name: 1–255 characters, unique per account per region.
        pub key_name: String,
        /// The OpenSSH public key (`ssh-rsa …` or `ssh-ed25519 …`), as text.
        pub public_key_material: String,
        /// Tags for the new `key-pair`.
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DescribeKeyPairs`.
    #[derive(Default)]
    pub struct DescribeKeyPairsInput {
        /// Only these key pairs, by name; any unknown one is `InvalidKeyPair.NotFound`.
        #[serde(default)]
        pub key_names: Vec<String>,
        /// Only these key pairs, by id; any unknown one is `InvalidKeyPair.NotFound`.
        #[serde(default)]
        pub key_pair_ids: Vec<String>,
        ..filters,
        /// `true` to include each key's OpenSSH public key (`public_key`).
        pub include_public_key: Option<bool>,
        ..dry_run,
    }
}

/// EC2 `DescribeKeyPairs`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeKeyPairsOutput {
    /// The caller's matching key pairs in its region, in name order.
    pub key_pairs: Vec<KeyPairShape>,
}

request! {
    /// Input of EC2 `DeleteKeyPair`: the key pair by name or by id.
    pub struct DeleteKeyPairInput {
        /// The key pair's name.
        pub key_name: Option<String>,
        /// The key pair's id.
        pub key_pair_id: Option<String>,
        ..dry_run,
    }
}

// ---------------------------------------------------------------------------------------------

fn group_not_found(what: &str) -> AwsError {
    AwsError::new(
        "InvalidGroup.NotFound",
        format!("The security group '{what}' does not exist"),
    )
}

impl Cloud {
    /// EC2 `DescribeVpcs`: the caller's VPCs in its region (its default VPC), narrowed by ids and
    /// filters. Pages: `max_results` 5–1000, every VPC without it (`paging::DESCRIBE_VPCS`).
    ///
    /// Errors: `InvalidParameterValue` for a page size above 1000, an invalid or empty
    /// `next_token` or an unknown filter name; `InvalidVpcID.NotFound`.
    pub fn describe_vpcs(
        &mut self,
        caller: &Caller,
        input: DescribeVpcsInput,
    ) -> AwsResult<DescribeVpcsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_VPCS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.vpc_ids.is_empty(),
        )?;
        filters::validate::<Vpc>(&input.filters)?;
        let region = self.region_ref(&caller.region)?;
        for id in &input.vpc_ids {
            if region
                .vpcs
                .get(id)
                .is_none_or(|v| v.owner_id != caller.account)
            {
                return Err(AwsError::new(
                    "InvalidVpcID.NotFound",
                    format!("The vpc ID '{id}' does not exist"),
                ));
            }
        }
        let matcher = Matcher::new(&input.filters);
        let found: Vec<&Vpc> = region
            .vpcs
            .values()
            .filter(|v| v.owner_id == caller.account)
            .filter(|v| input.vpc_ids.is_empty() || input.vpc_ids.contains(&v.id))
            .filter(|v| matcher.matches(*v))
            .collect();
        let (page, next_token) = pager.page(found, |v| v.id.clone());
        let vpcs = page
            .into_iter()
            .map(|v| VpcShape {
                vpc_id: v.id.clone(),
                owner_id: v.owner_id.clone(),
                cidr_block: v.cidr_block.clone(),
                is_default: v.is_default,
                state: "available".into(),
                instance_tenancy: "default".into(),
                tags: v.tags.to_list(),
            })
            .collect();
        Ok(DescribeVpcsOutput { vpcs, next_token })
    }

    /// EC2 `DescribeSubnets`: the caller's subnets in its region, narrowed by ids and filters.
    /// Pages: `max_results` 5–1000, every subnet without it (`paging::DESCRIBE_SUBNETS`).
    ///
    /// Errors: `InvalidParameterValue` for a page size above 1000, an invalid `next_token` or an
    /// unknown filter name; `InvalidSubnetID.NotFound`.
    pub fn describe_subnets(
        &mut self,
        caller: &Caller,
        input: DescribeSubnetsInput,
    ) -> AwsResult<DescribeSubnetsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_SUBNETS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.subnet_ids.is_empty(),
        )?;
        filters::validate::<Subnet>(&input.filters)?;
        let region = self.region_ref(&caller.region)?;
        for id in &input.subnet_ids {
            if region
                .subnets
                .get(id)
                .is_none_or(|s| s.owner_id != caller.account)
            {
                return Err(AwsError::new(
                    "InvalidSubnetID.NotFound",
                    format!("The subnet ID '{id}' does not exist"),
                ));
            }
        }
        let matcher = Matcher::new(&input.filters);
        let mut subnets: Vec<&Subnet> = region
            .subnets
            .values()
            .filter(|s| s.owner_id == caller.account)
            .filter(|s| input.subnet_ids.is_empty() || input.subnet_ids.contains(&s.id))
            .filter(|s| matcher.matches(*s))
            .collect();
        subnets.sort_by_key(|s| (s.index, s.id.as_str()));
        let (page, next_token) = pager.page(subnets, |s| {
            format!("{}\u{0}{}", paging::seq_key(u64::from(s.index)), s.id)
        });
        Ok(DescribeSubnetsOutput {
            next_token,
            subnets: page
                .into_iter()
                .map(|s| SubnetShape {
                    subnet_id: s.id.clone(),
                    vpc_id: s.vpc_id.clone(),
                    owner_id: s.owner_id.clone(),
                    availability_zone: s.availability_zone.clone(),
                    availability_zone_id: s.availability_zone_id.clone(),
                    cidr_block: s.cidr_block.clone(),
                    default_for_az: s.default_for_az,
                    map_public_ip_on_launch: true,
                    available_ip_address_count: 4091,
                    state: "available".into(),
                    tags: s.tags.to_list(),
                })
                .collect(),
        })
    }

    fn default_vpc_id(&self, caller: &Caller) -> AwsResult<String> {
        self.region_ref(&caller.region)?
            .vpcs
            .values()
            .find(|v| v.owner_id == caller.account && v.is_default)
            .map(|v| v.id.clone())
            .ok_or_else(|| AwsError::new("VPCIdNotSpecified", "No default VPC for this user"))
    }

    fn groups_and_keys(&self, caller: &Caller) -> AwsResult<usize> {
        let r = self.region_ref(&caller.region)?;
        Ok(r.security_groups
            .values()
            .filter(|g| g.owner_id == caller.account)
            .count()
            + r.key_pairs
                .values()
                .filter(|k| k.owner_id == caller.account)
                .count())
    }

    /// EC2 `CreateSecurityGroup`: a new group without inbound rules.
    ///
    /// Errors: `InvalidParameterValue` for a bad name or tag type; `InvalidVpcID.NotFound`;
    /// `VPCIdNotSpecified` without a default VPC; `InvalidGroup.Duplicate`;
    /// `SecurityGroupLimitExceeded` at the groups-and-keys quota; `TagLimitExceeded`.
    pub fn create_security_group(
        &mut self,
        caller: &Caller,
        input: CreateSecurityGroupInput,
    ) -> AwsResult<CreateSecurityGroupOutput> {
        let tags = tags_for(
            &input.tag_specifications,
            &["security-group"],
            "security-group",
        )?;
        if input.group_name.is_empty() || input.group_name.len() > 255 {
            return Err(AwsError::invalid_parameter_value(
                "Group names must be 1 to 255 characters long.",
            ));
        }
        if input.group_name.starts_with("sg-") {
            return Err(AwsError::invalid_parameter_value(
                "Group names may not be in the format sg-*.",
            ));
        }
        let vpc_id = match &input.vpc_id {
            Some(v) => {
                if self
                    .region_ref(&caller.region)?
                    .vpcs
                    .get(v)
                    .is_none_or(|x| x.owner_id != caller.account)
                {
                    return Err(AwsError::new(
                        "InvalidVpcID.NotFound",
                        format!("The vpc ID '{v}' does not exist"),
                    ));
                }
                v.clone()
            }
            None => self.default_vpc_id(caller)?,
        };
        let region = self.region_ref(&caller.region)?;
        if region.security_groups.values().any(|g| {
            g.owner_id == caller.account && g.vpc_id == vpc_id && g.name == input.group_name
        }) {
            return Err(AwsError::new(
                "InvalidGroup.Duplicate",
                format!(
                    "The security group '{}' already exists for VPC '{vpc_id}'",
                    input.group_name
                ),
            ));
        }
        if self.groups_and_keys(caller)? >= self.quotas.groups_and_keys_per_region {
            return Err(AwsError::new(
                "SecurityGroupLimitExceeded",
                "The maximum number of security groups has been reached.",
            ));
        }
        let id = self.ids.next("sg");
        let group = SecurityGroup {
            id: id.clone(),
            name: input.group_name,
            description: input.description,
            vpc_id,
            owner_id: caller.account.clone(),
            ingress: Vec::new(),
            tags,
        };
        let out_tags = group.tags.to_list();
        self.region_mut(&caller.region)?
            .security_groups
            .insert(id.clone(), group);
        Ok(CreateSecurityGroupOutput {
            group_id: id,
            tags: out_tags,
        })
    }

    fn find_group_id(
        &self,
        caller: &Caller,
        id: Option<&str>,
        name: Option<&str>,
    ) -> AwsResult<String> {
        let region = self.region_ref(&caller.region)?;
        match (id, name) {
            (Some(id), _) => {
                crate::ids::check_well_formed(id, "sg", "InvalidGroupId.Malformed")?;
                region
                    .security_groups
                    .get(id)
                    .filter(|g| g.owner_id == caller.account)
                    .map(|g| g.id.clone())
                    .ok_or_else(|| group_not_found(id))
            }
            (None, Some(name)) => region
                .security_groups
                .values()
                .find(|g| g.owner_id == caller.account && g.name == name)
                .map(|g| g.id.clone())
                .ok_or_else(|| group_not_found(name)),
            (None, None) => Err(AwsError::missing_parameter(
                "The request must contain the parameter groupId or groupName",
            )),
        }
    }

    /// EC2 `DescribeSecurityGroups`: the caller's groups in its region, narrowed by ids, names and
    /// filters. Pages: `max_results` 5–1000, every group without it
    /// (`paging::DESCRIBE_SECURITY_GROUPS`).
    ///
    /// Errors: `InvalidParameterValue` for a page size above 1000, an invalid `next_token` or an
    /// unknown filter name; `InvalidGroupId.Malformed`; `InvalidGroup.NotFound`.
    pub fn describe_security_groups(
        &mut self,
        caller: &Caller,
        input: DescribeSecurityGroupsInput,
    ) -> AwsResult<DescribeSecurityGroupsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_SECURITY_GROUPS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !(input.group_ids.is_empty() && input.group_names.is_empty()),
        )?;
        filters::validate::<SecurityGroup>(&input.filters)?;
        let mut ids = Vec::new();
        for id in &input.group_ids {
            ids.push(self.find_group_id(caller, Some(id), None)?);
        }
        for name in &input.group_names {
            ids.push(self.find_group_id(caller, None, Some(name))?);
        }
        let matcher = Matcher::new(&input.filters);
        let region = self.region_ref(&caller.region)?;
        let found: Vec<&SecurityGroup> = region
            .security_groups
            .values()
            .filter(|g| g.owner_id == caller.account)
            .filter(|g| ids.is_empty() || ids.contains(&g.id))
            .filter(|g| matcher.matches(*g))
            .collect();
        let (page, next_token) = pager.page(found, |g| g.id.clone());
        Ok(DescribeSecurityGroupsOutput {
            security_groups: page.into_iter().map(SecurityGroup::describe).collect(),
            next_token,
        })
    }

    /// EC2 `DeleteSecurityGroup`. Answers `{}`.
    ///
    /// Errors: `InvalidGroupId.Malformed` / `InvalidGroup.NotFound`; `MissingParameter` without id
    /// or name; `CannotDelete` for a `default` group; `DependencyViolation` while a live instance
    /// uses it.
    pub fn delete_security_group(
        &mut self,
        caller: &Caller,
        input: DeleteSecurityGroupInput,
    ) -> AwsResult<Empty> {
        let id = self.find_group_id(
            caller,
            input.group_id.as_deref(),
            input.group_name.as_deref(),
        )?;
        let region = self.region_mut(&caller.region)?;
        let group = &region.security_groups[&id];
        if group.name == "default" {
            return Err(AwsError::new(
                "CannotDelete",
                format!(
                    "the specified group: \"{id}\" name: \"default\" cannot be deleted by a user"
                ),
            ));
        }
        if region
            .instances
            .values()
            .any(|i| i.state.is_live() && i.security_groups.iter().any(|(g, _)| g == &id))
        {
            return Err(AwsError::new(
                "DependencyViolation",
                format!("resource {id} has a dependent object"),
            ));
        }
        region.security_groups.remove(&id);
        Ok(Empty {})
    }

    /// EC2 `AuthorizeSecurityGroupIngress`: adds inbound rules. Answers `{return: true}`.
    ///
    /// Errors: `InvalidGroupId.Malformed` / `InvalidGroup.NotFound`; `MissingParameter` without a
    /// group, a rule or a rule's source (a CIDR range, a group or a prefix list); `InvalidParameterValue` for an unknown protocol or a bad port range;
    /// `InvalidPermission.Duplicate` for a rule the group already has (nothing is added).
    pub fn authorize_security_group_ingress(
        &mut self,
        caller: &Caller,
        input: IngressInput,
    ) -> AwsResult<ReturnTrue> {
        let id = self.find_group_id(
            caller,
            input.group_id.as_deref(),
            input.group_name.as_deref(),
        )?;
        let rules = ingress_rules(&input)?;
        let group = self
            .region_mut(&caller.region)?
            .security_groups
            .get_mut(&id)
            .expect("found above");
        for rule in &rules {
            if group.ingress.contains(rule) {
                return Err(AwsError::new(
                    "InvalidPermission.Duplicate",
                    format!(
                        "the specified rule \"peer: {}, {}, ALLOW\" already exists",
                        rule_peer(rule),
                        rule_ports(rule)
                    ),
                ));
            }
        }
        group.ingress.extend(rules);
        Ok(ReturnTrue::yes())
    }

    /// EC2 `RevokeSecurityGroupIngress`: removes inbound rules. Answers `{return: true}`.
    ///
    /// Errors: `InvalidGroupId.Malformed` / `InvalidGroup.NotFound`; `MissingParameter` without a
    /// group or a rule; `InvalidParameterValue` for an unknown protocol or a bad port range;
    /// `InvalidPermission.NotFound` for a rule the group lacks (nothing is removed).
    pub fn revoke_security_group_ingress(
        &mut self,
        caller: &Caller,
        input: RevokeIngressInput,
    ) -> AwsResult<ReturnTrue> {
        let input = IngressInput::from(input);
        let id = self.find_group_id(
            caller,
            input.group_id.as_deref(),
            input.group_name.as_deref(),
        )?;
        let rules = ingress_rules(&input)?;
        let group = self
            .region_mut(&caller.region)?
            .security_groups
            .get_mut(&id)
            .expect("found above");
        for rule in &rules {
            if !group.ingress.contains(rule) {
                return Err(AwsError::new(
                    "InvalidPermission.NotFound",
                    "The specified rule does not exist in this security group.",
                ));
            }
        }
        group.ingress.retain(|r| !rules.contains(r));
        Ok(ReturnTrue::yes())
    }

    /// EC2 `CreateKeyPair`: a new key pair; its `key_material` is a placeholder, never a real
    /// private key.
    ///
    /// Errors: `InvalidParameterValue` for a bad name, key type or tag type;
    /// `InvalidKeyPair.Duplicate`; `KeyPairLimitExceeded` at the groups-and-keys quota;
    /// `TagLimitExceeded`.
    pub fn create_key_pair(
        &mut self,
        caller: &Caller,
        input: CreateKeyPairInput,
    ) -> AwsResult<CreateKeyPairOutput> {
        let tags = tags_for(&input.tag_specifications, &["key-pair"], "key-pair")?;
        let key_type = input.key_type.clone().unwrap_or_else(|| "rsa".into());
        if !["rsa", "ed25519"].contains(&key_type.as_str()) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({key_type}) for parameter keyType is invalid. Valid values: rsa, ed25519"
            )));
        }
        let key_format = input.key_format.as_deref().unwrap_or("pem");
        if !["pem", "ppk"].contains(&key_format) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({key_format}) for parameter keyFormat is invalid. Valid values: pem, ppk"
            )));
        }
        let key = self.new_key_pair(caller, &input.key_name, &key_type, &tags, None)?;
        let placeholder = format!(
            "(simulated key material for {}; amilab never creates real keys)",
            key.name
        );
        let key_material = if key_format == "ppk" {
            format!(
                "PuTTY-User-Key-File-2: ssh-{}\nEncryption: none\nComment: {}\n{placeholder}",
                if key_type == "rsa" { "rsa" } else { "ed25519" },
                key.name
            )
        } else {
            let kind = key_type.to_uppercase();
            format!("-----BEGIN {kind} PRIVATE KEY-----\n{placeholder}\n-----END {kind} PRIVATE KEY-----")
        };
        Ok(CreateKeyPairOutput {
            key_pair_id: key.id.clone(),
            key_name: key.name.clone(),
            key_fingerprint: key.fingerprint.clone(),
            key_material,
            tags: key.tags.to_list(),
        })
    }

    /// EC2 `ImportKeyPair`: registers a public key; its type comes from the key's prefix.
    ///
    /// Errors: `InvalidKey.Format` for a key that is not `ssh-rsa` or `ssh-ed25519`;
    /// `InvalidParameterValue` for a bad name or tag type; `InvalidKeyPair.Duplicate`;
    /// `KeyPairLimitExceeded`; `TagLimitExceeded`.
    pub fn import_key_pair(
        &mut self,
        caller: &Caller,
        input: ImportKeyPairInput,
    ) -> AwsResult<ImportKeyPairOutput> {
        let tags = tags_for(&input.tag_specifications, &["key-pair"], "key-pair")?;
        let key_type = if input.public_key_material.starts_with("ssh-ed25519") {
            "ed25519"
        } else if input.public_key_material.starts_with("ssh-rsa") {
            "rsa"
        } else {
            return Err(AwsError::new(
                "InvalidKey.Format",
                "Key is not in valid OpenSSH public key format",
            ));
        };
        let key = self.new_key_pair(
            caller,
            &input.key_name,
            key_type,
            &tags,
            Some(input.public_key_material.trim()),
        )?;
        Ok(ImportKeyPairOutput {
            key_pair_id: key.id.clone(),
            key_name: key.name.clone(),
            key_fingerprint: key.fingerprint.clone(),
            tags: key.tags.to_list(),
        })
    }

    fn new_key_pair(
        &mut self,
        caller: &Caller,
        name: &str,
        key_type: &str,
        tags: &Tags,
        public_key: Option<&str>,
    ) -> AwsResult<KeyPair> {
        if name.is_empty() || name.len() > 255 {
            return Err(AwsError::invalid_parameter_value(
                "Key pair names must be 1 to 255 characters long.",
            ));
        }
        let map_key = (caller.account.clone(), name.to_string());
        if self
            .region_ref(&caller.region)?
            .key_pairs
            .contains_key(&map_key)
        {
            return Err(AwsError::new(
                "InvalidKeyPair.Duplicate",
                format!("The keypair '{name}' already exists."),
            ));
        }
        if self.groups_and_keys(caller)? >= self.quotas.groups_and_keys_per_region {
            return Err(AwsError::new(
                "KeyPairLimitExceeded",
                "The maximum number of key pairs has been reached.",
            ));
        }
        let id = self.ids.next("key");
        let fingerprint = (0..20)
            .map(|_| format!("{:02x}", self.ids.below(256)))
            .collect::<Vec<_>>()
            .join(":");
        let key = KeyPair {
            id,
            name: name.to_string(),
            owner_id: caller.account.clone(),
            key_type: key_type.to_string(),
            fingerprint,
            create_time: self.now(),
            tags: tags.clone(),
            public_key: match public_key {
                Some(given) => given.to_string(),
                None => format!(
                    "ssh-{} AAAA{} {name}",
                    if key_type == "rsa" { "rsa" } else { "ed25519" },
                    crate::ids::stable_id("", &format!("{}/{name}", caller.account))
                        .trim_start_matches('-')
                ),
            },
        };
        self.region_mut(&caller.region)?
            .key_pairs
            .insert(map_key, key.clone());
        Ok(key)
    }

    /// EC2 `DescribeKeyPairs`: the caller's key pairs in its region, narrowed by names, ids and
    /// filters.
    ///
    /// Errors: `InvalidParameterValue` for an unknown filter name; `InvalidKeyPair.NotFound`.
    pub fn describe_key_pairs(
        &mut self,
        caller: &Caller,
        input: DescribeKeyPairsInput,
    ) -> AwsResult<DescribeKeyPairsOutput> {
        filters::validate::<KeyPair>(&input.filters)?;
        let region = self.region_ref(&caller.region)?;
        let mine: Vec<&KeyPair> = region
            .key_pairs
            .values()
            .filter(|k| k.owner_id == caller.account)
            .collect();
        for name in &input.key_names {
            if !mine.iter().any(|k| &k.name == name) {
                return Err(AwsError::new(
                    "InvalidKeyPair.NotFound",
                    format!("The key pair '{name}' does not exist"),
                ));
            }
        }
        for id in &input.key_pair_ids {
            if !mine.iter().any(|k| &k.id == id) {
                return Err(AwsError::new(
                    "InvalidKeyPair.NotFound",
                    format!("The key pair '{id}' does not exist"),
                ));
            }
        }
        let matcher = Matcher::new(&input.filters);
        let key_pairs = mine
            .into_iter()
            .filter(|k| input.key_names.is_empty() || input.key_names.contains(&k.name))
            .filter(|k| input.key_pair_ids.is_empty() || input.key_pair_ids.contains(&k.id))
            .filter(|k| matcher.matches(*k))
            .map(|k| key_shape(k, input.include_public_key == Some(true)))
            .collect();
        Ok(DescribeKeyPairsOutput { key_pairs })
    }

    /// EC2 `DeleteKeyPair`: deletes the key pair named by `key_name` or `key_pair_id`. Deleting one
    /// that does not exist succeeds, as in EC2. Answers `{return: true}`.
    ///
    /// Errors: `MissingParameter` when neither `key_name` nor `key_pair_id` is given.
    pub fn delete_key_pair(
        &mut self,
        caller: &Caller,
        input: DeleteKeyPairInput,
    ) -> AwsResult<ReturnTrue> {
        if input.key_name.is_none() && input.key_pair_id.is_none() {
            return Err(AwsError::missing_parameter(
                "The request must contain the parameter KeyName or KeyPairId",
            ));
        }
        let region = self.region_mut(&caller.region)?;
        // Deleting a key pair that does not exist succeeds, as in EC2.
        region.key_pairs.retain(|(account, name), k| {
            !(account == &caller.account
                && (input.key_name.as_deref() == Some(name.as_str())
                    || input.key_pair_id.as_deref() == Some(k.id.as_str())))
        });
        Ok(ReturnTrue::yes())
    }
}

fn key_shape(k: &KeyPair, include_public_key: bool) -> KeyPairShape {
    KeyPairShape {
        key_pair_id: k.id.clone(),
        key_name: k.name.clone(),
        key_fingerprint: k.fingerprint.clone(),
        key_type: k.key_type.clone(),
        create_time: iso8601(k.create_time),
        tags: k.tags.to_list(),
        public_key: include_public_key.then(|| k.public_key.clone()),
    }
}

/// The rules of an ingress request, from `ip_permissions` or the flat form.
fn ingress_rules(input: &IngressInput) -> AwsResult<Vec<IpPermission>> {
    let mut rules = input.ip_permissions.clone();
    if let Some(protocol) = &input.ip_protocol {
        rules.push(IpPermission {
            ip_protocol: protocol.clone(),
            from_port: input.from_port,
            to_port: input.to_port,
            ip_ranges: input
                .cidr_ip
                .iter()
                .map(|c| IpRange {
                    cidr_ip: c.clone(),
                    description: None,
                })
                .collect(),
            ipv6_ranges: Vec::new(),
            user_id_group_pairs: Vec::new(),
            prefix_list_ids: Vec::new(),
        });
    }
    if rules.is_empty() {
        return Err(AwsError::missing_parameter(
            "The request must contain the parameter ipPermissions",
        ));
    }
    for rule in &rules {
        // A rule allows traffic from somewhere: EC2 refuses one that names no source (boto3
        // issue #1078 quotes the message).
        if rule.ip_ranges.is_empty()
            && rule.ipv6_ranges.is_empty()
            && rule.user_id_group_pairs.is_empty()
            && rule.prefix_list_ids.is_empty()
        {
            return Err(AwsError::missing_parameter(
                "Missing source specification: include source security group or CIDR information",
            ));
        }
        if !["tcp", "udp", "icmp", "-1", "6", "17", "1"].contains(&rule.ip_protocol.as_str()) {
            return Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{}' for IP protocol. Unknown protocol.",
                rule.ip_protocol
            )));
        }
        if let (Some(from), Some(to)) = (rule.from_port, rule.to_port) {
            if from > to || !(-1..=65535).contains(&from) || !(-1..=65535).contains(&to) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Invalid port range {from}-{to}."
                )));
            }
        }
        for r in &rule.ip_ranges {
            if !looks_like_cidr(&r.cidr_ip) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "CIDR block {} is malformed",
                    r.cidr_ip
                )));
            }
        }
    }
    Ok(rules)
}

fn looks_like_cidr(text: &str) -> bool {
    let Some((addr, bits)) = text.split_once('/') else {
        return false;
    };
    let octets: Vec<_> = addr.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|o| o.parse::<u8>().is_ok())
        && bits.parse::<u8>().is_ok_and(|b| b <= 32)
}

fn rule_peer(rule: &IpPermission) -> String {
    rule.ip_ranges
        .first()
        .map(|r| r.cidr_ip.clone())
        .unwrap_or_else(|| "-".into())
}

fn rule_ports(rule: &IpPermission) -> String {
    format!(
        "{}, from port: {}, to port: {}",
        rule.ip_protocol.to_uppercase(),
        rule.from_port.unwrap_or(-1),
        rule.to_port.unwrap_or(-1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_shapes() {
        assert!(looks_like_cidr("0.0.0.0/0"));
        assert!(looks_like_cidr("10.1.2.3/32"));
        assert!(!looks_like_cidr("10.1.2/8"));
        assert!(!looks_like_cidr("10.1.2.3/33"));
        assert!(!looks_like_cidr("anywhere"));
    }
}

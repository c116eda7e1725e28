//! The default VPC and its subnets, security groups with ingress rules, and key pairs.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::filters::{self, bool_str, Filterable, Matcher, Sink};
use super::tags::{tags_for, Tag, TagSpecification, Tags};
use super::{Empty, ReturnTrue};
use crate::clock::iso8601;
use crate::error::{AwsError, AwsResult};
use crate::ids::is_well_formed;
use crate::request::request;
use crate::{Caller, Cloud};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpc {
    pub id: String,
    pub owner_id: String,
    pub cidr_block: String,
    pub is_default: bool,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub availability_zone: String,
    pub availability_zone_id: String,
    pub cidr_block: String,
    pub default_for_az: bool,
    /// Position of its zone in the region (addresses are drawn from its /20).
    pub index: u32,
    pub tags: Tags,
}

/// One ingress rule: protocol, port range and source CIDR ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpPermission {
    pub ip_protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    #[serde(default)]
    pub ipv6_ranges: Vec<Ipv6Range>,
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
    #[serde(default)]
    pub prefix_list_ids: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpRange {
    pub cidr_ip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ipv6Range {
    pub cidr_ipv6: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserIdGroupPair {
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub ingress: Vec<IpPermission>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub key_type: String,
    pub fingerprint: String,
    pub create_time: u64,
    pub tags: Tags,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VpcShape {
    pub vpc_id: String,
    pub owner_id: String,
    pub cidr_block: String,
    pub is_default: bool,
    pub state: String,
    pub instance_tenancy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubnetShape {
    pub subnet_id: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub availability_zone: String,
    pub availability_zone_id: String,
    pub cidr_block: String,
    pub default_for_az: bool,
    pub map_public_ip_on_launch: bool,
    pub available_ip_address_count: u32,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityGroupShape {
    pub group_id: String,
    pub group_name: String,
    pub description: String,
    pub vpc_id: String,
    pub owner_id: String,
    pub ip_permissions: Vec<IpPermission>,
    pub ip_permissions_egress: Vec<IpPermission>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyPairShape {
    pub key_pair_id: String,
    pub key_name: String,
    pub key_fingerprint: String,
    pub key_type: String,
    pub create_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateKeyPairOutput {
    pub key_pair_id: String,
    pub key_name: String,
    pub key_fingerprint: String,
    /// A placeholder private key: the simulation never makes real key material.
    pub key_material: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

request! {
    #[derive(Default)]
    pub struct DescribeVpcsInput {
        #[serde(default)]
        pub vpc_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeVpcsOutput {
    pub vpcs: Vec<VpcShape>,
}

request! {
    #[derive(Default)]
    pub struct DescribeSubnetsInput {
        #[serde(default)]
        pub subnet_ids: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSubnetsOutput {
    pub subnets: Vec<SubnetShape>,
}

request! {
    pub struct CreateSecurityGroupInput {
        pub group_name: String,
        pub description: String,
        pub vpc_id: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateSecurityGroupOutput {
    pub group_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

request! {
    #[derive(Default)]
    pub struct DescribeSecurityGroupsInput {
        #[serde(default)]
        pub group_ids: Vec<String>,
        #[serde(default)]
        pub group_names: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeSecurityGroupsOutput {
    pub security_groups: Vec<SecurityGroupShape>,
}

request! {
    pub struct DeleteSecurityGroupInput {
        pub group_id: Option<String>,
        pub group_name: Option<String>,
        ..dry_run,
    }
}

request! {
    pub struct IngressInput {
        pub group_id: Option<String>,
        pub group_name: Option<String>,
        #[serde(default)]
        pub ip_permissions: Vec<IpPermission>,
        pub ip_protocol: Option<String>,
        pub from_port: Option<i64>,
        pub to_port: Option<i64>,
        pub cidr_ip: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    pub struct CreateKeyPairInput {
        pub key_name: String,
        pub key_type: Option<String>,
        pub key_format: Option<String>,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    pub struct ImportKeyPairInput {
        pub key_name: String,
        pub public_key_material: String,
        #[serde(default)]
        pub tag_specifications: Vec<TagSpecification>,
        ..dry_run,
    }
}

request! {
    #[derive(Default)]
    pub struct DescribeKeyPairsInput {
        #[serde(default)]
        pub key_names: Vec<String>,
        #[serde(default)]
        pub key_pair_ids: Vec<String>,
        ..filters,
        pub include_public_key: Option<bool>,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeKeyPairsOutput {
    pub key_pairs: Vec<KeyPairShape>,
}

request! {
    pub struct DeleteKeyPairInput {
        pub key_name: Option<String>,
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
    pub fn describe_vpcs(
        &mut self,
        caller: &Caller,
        input: DescribeVpcsInput,
    ) -> AwsResult<DescribeVpcsOutput> {
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
        let vpcs = region
            .vpcs
            .values()
            .filter(|v| v.owner_id == caller.account)
            .filter(|v| input.vpc_ids.is_empty() || input.vpc_ids.contains(&v.id))
            .filter(|v| matcher.matches(*v))
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
        Ok(DescribeVpcsOutput { vpcs })
    }

    pub fn describe_subnets(
        &mut self,
        caller: &Caller,
        input: DescribeSubnetsInput,
    ) -> AwsResult<DescribeSubnetsOutput> {
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
        subnets.sort_by_key(|s| s.index);
        Ok(DescribeSubnetsOutput {
            subnets: subnets
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
        let mut group = SecurityGroup {
            id: id.clone(),
            name: input.group_name,
            description: input.description,
            vpc_id,
            owner_id: caller.account.clone(),
            ingress: Vec::new(),
            tags: Tags::default(),
        };
        group.tags.apply(&tags)?;
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
                if !is_well_formed(id, "sg") {
                    return Err(AwsError::new(
                        "InvalidGroupId.Malformed",
                        format!("Invalid id: \"{id}\" (expecting \"sg-...\")"),
                    ));
                }
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

    pub fn describe_security_groups(
        &mut self,
        caller: &Caller,
        input: DescribeSecurityGroupsInput,
    ) -> AwsResult<DescribeSecurityGroupsOutput> {
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
        let security_groups = region
            .security_groups
            .values()
            .filter(|g| g.owner_id == caller.account)
            .filter(|g| ids.is_empty() || ids.contains(&g.id))
            .filter(|g| matcher.matches(*g))
            .map(SecurityGroup::describe)
            .collect();
        Ok(DescribeSecurityGroupsOutput { security_groups })
    }

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

    pub fn revoke_security_group_ingress(
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
        let key = self.new_key_pair(caller, &input.key_name, &key_type, &tags)?;
        Ok(CreateKeyPairOutput {
            key_pair_id: key.id.clone(),
            key_name: key.name.clone(),
            key_fingerprint: key.fingerprint.clone(),
            key_material: format!(
                "-----BEGIN {} PRIVATE KEY-----\n(simulated key material for {}; amilab never creates real keys)\n-----END {} PRIVATE KEY-----",
                key_type.to_uppercase(), key.name, key_type.to_uppercase()
            ),
            tags: key.tags.to_list(),
        })
    }

    pub fn import_key_pair(
        &mut self,
        caller: &Caller,
        input: ImportKeyPairInput,
    ) -> AwsResult<KeyPairShape> {
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
        let key = self.new_key_pair(caller, &input.key_name, key_type, &tags)?;
        Ok(key_shape(&key))
    }

    fn new_key_pair(
        &mut self,
        caller: &Caller,
        name: &str,
        key_type: &str,
        tags: &[Tag],
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
        let mut key = KeyPair {
            id,
            name: name.to_string(),
            owner_id: caller.account.clone(),
            key_type: key_type.to_string(),
            fingerprint,
            create_time: self.now(),
            tags: Tags::default(),
        };
        key.tags.apply(tags)?;
        self.region_mut(&caller.region)?
            .key_pairs
            .insert(map_key, key.clone());
        Ok(key)
    }

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
            .map(key_shape)
            .collect();
        Ok(DescribeKeyPairsOutput { key_pairs })
    }

    pub fn delete_key_pair(
        &mut self,
        caller: &Caller,
        input: DeleteKeyPairInput,
    ) -> AwsResult<ReturnTrue> {
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

fn key_shape(k: &KeyPair) -> KeyPairShape {
    KeyPairShape {
        key_pair_id: k.id.clone(),
        key_name: k.name.clone(),
        key_fingerprint: k.fingerprint.clone(),
        key_type: k.key_type.clone(),
        create_time: iso8601(k.create_time),
        tags: k.tags.to_list(),
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

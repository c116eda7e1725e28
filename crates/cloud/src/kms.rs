//! A small KMS: the AWS-managed `aws/ebs` key every account has in every region, customer keys
//! and aliases — enough to encrypt image copies and to see why sharing needs a customer key.

use std::collections::BTreeMap;

use serde::Serialize;

use super::clock::iso8601;
use super::error::{AwsError, AwsResult};
use super::ids::stable_uuid;
use super::{Caller, Cloud};
use crate::request::request;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsKey {
    pub id: String,
    pub account: String,
    pub region: String,
    pub description: String,
    pub created: u64,
    /// `AWS` for AWS-managed keys such as `aws/ebs`, `CUSTOMER` for the account's own.
    pub manager: &'static str,
}

impl KmsKey {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:kms:{}:{}:key/{}",
            self.region, self.account, self.id
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct Kms {
    /// key id → key
    keys: BTreeMap<String, KmsKey>,
    /// (account, region, alias name) → key id
    aliases: BTreeMap<(String, String, String), String>,
}

/// The AWS-managed EBS key's id for an account and region: stable, so it never disturbs the
/// seeded ids.
fn managed_key_id(account: &str, region: &str) -> String {
    stable_uuid(&format!("aws/ebs/{account}/{region}"))
}

impl Kms {
    fn managed_key(&self, account: &str, region: &str) -> KmsKey {
        KmsKey {
            id: managed_key_id(account, region),
            account: account.to_string(),
            region: region.to_string(),
            description: "Default key that protects my EBS volumes when no other key is defined"
                .into(),
            created: 0,
            manager: "AWS",
        }
    }

    /// The ARN of the account's `aws/ebs` key in a region.
    pub fn default_ebs_key(&self, account: &str, region: &str) -> String {
        self.managed_key(account, region).arn()
    }

    /// True when `arn` is an AWS-managed key (which cannot be shared with other accounts).
    pub fn is_aws_managed(&self, arn: &str) -> bool {
        let id = arn.rsplit('/').next().unwrap_or(arn);
        !self.keys.contains_key(id)
    }

    /// Resolves a key id, key ARN, alias name (`alias/x`) or alias ARN to a key ARN, if the key
    /// exists for this account in this region.
    pub fn resolve(&self, account: &str, region: &str, reference: &str) -> Option<String> {
        let managed = self.managed_key(account, region);
        let alias = reference
            .split_once(":alias/")
            .map(|(_, a)| format!("alias/{a}"))
            .or_else(|| {
                reference
                    .starts_with("alias/")
                    .then(|| reference.to_string())
            });
        if let Some(alias) = alias {
            if alias == "alias/aws/ebs" {
                return Some(managed.arn());
            }
            let id = self
                .aliases
                .get(&(account.to_string(), region.to_string(), alias))?;
            return self.keys.get(id).map(KmsKey::arn);
        }
        let id = reference.rsplit('/').next().unwrap_or(reference);
        if id == managed.id {
            return Some(managed.arn());
        }
        self.keys
            .get(id)
            .filter(|k| k.account == account && k.region == region)
            .map(KmsKey::arn)
    }
}

request! {
    #[derive(Default)]
    pub struct CreateKeyInput {
        pub description: Option<String>,
        pub key_usage: Option<String>,
        pub key_spec: Option<String>,
        pub policy: Option<String>,
        #[serde(default)]
        pub tags: Vec<serde_json::Value>,
        pub multi_region: Option<bool>,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyMetadata {
    pub aws_account_id: String,
    pub key_id: String,
    pub arn: String,
    pub creation_date: String,
    pub enabled: bool,
    pub description: String,
    pub key_usage: String,
    pub key_state: String,
    pub origin: String,
    pub key_manager: String,
    pub key_spec: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyMetadataOutput {
    pub key_metadata: KeyMetadata,
}

request! {
    pub struct DescribeKeyInput {
        pub key_id: String,
        #[serde(default)]
        pub grant_tokens: Vec<String>,
    }
}

request! {
    #[derive(Default)]
    pub struct ListInput {
        pub limit: Option<i64>,
        pub marker: Option<String>,
        pub key_id: Option<String>,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyListEntry {
    pub key_id: String,
    pub key_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListKeysOutput {
    pub keys: Vec<KeyListEntry>,
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasEntry {
    pub alias_name: String,
    pub alias_arn: String,
    pub target_key_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListAliasesOutput {
    pub aliases: Vec<AliasEntry>,
    pub truncated: bool,
}

request! {
    pub struct CreateAliasInput {
        pub alias_name: String,
        pub target_key_id: String,
    }
}

fn metadata(k: &KmsKey) -> KeyMetadata {
    KeyMetadata {
        aws_account_id: k.account.clone(),
        key_id: k.id.clone(),
        arn: k.arn(),
        creation_date: iso8601(k.created),
        enabled: true,
        description: k.description.clone(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        key_state: "Enabled".into(),
        origin: "AWS_KMS".into(),
        key_manager: k.manager.into(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
    }
}

fn key_not_found(reference: &str) -> AwsError {
    AwsError::new(
        "NotFoundException",
        format!("Key '{reference}' does not exist"),
    )
}

/// Customer keys one account may hold in one region.
const MAX_KEYS: usize = 100;

impl Cloud {
    pub fn kms_create_key(
        &mut self,
        caller: &Caller,
        input: CreateKeyInput,
    ) -> AwsResult<KeyMetadataOutput> {
        let owned = self
            .kms
            .keys
            .values()
            .filter(|k| k.account == caller.account && k.region == caller.region)
            .count();
        if owned >= MAX_KEYS {
            return Err(AwsError::new(
                "LimitExceededException",
                format!("You may have at most {MAX_KEYS} customer managed keys per Region."),
            ));
        }
        let key = KmsKey {
            id: self.ids.uuid(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            description: input.description.unwrap_or_default(),
            created: self.now(),
            manager: "CUSTOMER",
        };
        let out = metadata(&key);
        self.kms.keys.insert(key.id.clone(), key);
        Ok(KeyMetadataOutput { key_metadata: out })
    }

    pub fn kms_describe_key(
        &mut self,
        caller: &Caller,
        input: DescribeKeyInput,
    ) -> AwsResult<KeyMetadataOutput> {
        let arn = self
            .kms
            .resolve(&caller.account, &caller.region, &input.key_id)
            .ok_or_else(|| key_not_found(&input.key_id))?;
        let id = arn.rsplit('/').next().unwrap_or_default();
        let key = self
            .kms
            .keys
            .get(id)
            .cloned()
            .unwrap_or_else(|| self.kms.managed_key(&caller.account, &caller.region));
        Ok(KeyMetadataOutput {
            key_metadata: metadata(&key),
        })
    }

    pub fn kms_list_keys(
        &mut self,
        caller: &Caller,
        _input: ListInput,
    ) -> AwsResult<ListKeysOutput> {
        let mut keys = vec![self.kms.managed_key(&caller.account, &caller.region)];
        keys.extend(
            self.kms
                .keys
                .values()
                .filter(|k| k.account == caller.account && k.region == caller.region)
                .cloned(),
        );
        Ok(ListKeysOutput {
            keys: keys
                .iter()
                .map(|k| KeyListEntry {
                    key_id: k.id.clone(),
                    key_arn: k.arn(),
                })
                .collect(),
            truncated: false,
        })
    }

    pub fn kms_create_alias(
        &mut self,
        caller: &Caller,
        input: CreateAliasInput,
    ) -> AwsResult<super::ec2::Empty> {
        if !input.alias_name.starts_with("alias/") || input.alias_name.starts_with("alias/aws/") {
            return Err(AwsError::new(
                "ValidationException",
                format!("Alias must start with the prefix \"alias/\" and may not use the reserved prefix \"alias/aws/\": {}", input.alias_name),
            ));
        }
        let arn = self
            .kms
            .resolve(&caller.account, &caller.region, &input.target_key_id)
            .ok_or_else(|| key_not_found(&input.target_key_id))?;
        let id = arn.rsplit('/').next().unwrap_or_default().to_string();
        let key = (
            caller.account.clone(),
            caller.region.clone(),
            input.alias_name.clone(),
        );
        if self.kms.aliases.contains_key(&key) {
            return Err(AwsError::new(
                "AlreadyExistsException",
                format!(
                    "An alias with the name arn:aws:kms:{}:{}:{} already exists",
                    caller.region, caller.account, input.alias_name
                ),
            ));
        }
        self.kms.aliases.insert(key, id);
        Ok(super::ec2::Empty {})
    }

    pub fn kms_list_aliases(
        &mut self,
        caller: &Caller,
        _input: ListInput,
    ) -> AwsResult<ListAliasesOutput> {
        let managed = self.kms.managed_key(&caller.account, &caller.region);
        let mut aliases = vec![AliasEntry {
            alias_name: "alias/aws/ebs".into(),
            alias_arn: format!(
                "arn:aws:kms:{}:{}:alias/aws/ebs",
                caller.region, caller.account
            ),
            target_key_id: managed.id,
        }];
        for ((account, region, name), id) in &self.kms.aliases {
            if account == &caller.account && region == &caller.region {
                aliases.push(AliasEntry {
                    alias_name: name.clone(),
                    alias_arn: format!("arn:aws:kms:{region}:{account}:{name}"),
                    target_key_id: id.clone(),
                });
            }
        }
        Ok(ListAliasesOutput {
            aliases,
            truncated: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_key_resolves_by_alias_id_and_arn() {
        let kms = Kms::default();
        let arn = kms.default_ebs_key("123456789012", "us-east-1");
        assert!(arn.starts_with("arn:aws:kms:us-east-1:123456789012:key/"));
        assert_eq!(
            kms.resolve("123456789012", "us-east-1", "alias/aws/ebs"),
            Some(arn.clone())
        );
        assert_eq!(
            kms.resolve("123456789012", "us-east-1", &arn),
            Some(arn.clone())
        );
        assert!(kms.is_aws_managed(&arn));
        assert_eq!(
            kms.resolve("123456789012", "us-east-1", "alias/missing"),
            None
        );
        assert_ne!(kms.default_ebs_key("123456789012", "eu-west-1"), arn);
    }
}

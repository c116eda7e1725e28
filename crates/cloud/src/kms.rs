//! A small KMS: the AWS-managed `aws/ebs` key every account has in every region, customer keys
//! and aliases — enough to encrypt image copies and to see why sharing needs a customer key —
//! with key policies ([`policy`]), grants ([`grants`]), key states ([`key_state`]) and the one
//! rule that decides who may use a key for EBS ([`access`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::clock::iso8601;
use super::error::{AwsError, AwsResult};
use super::ids::stable_uuid;
use super::paging::{self, Pager};
use super::{Caller, Cloud};
use crate::request::request;

pub mod access;
pub mod grants;
pub mod key_policy;
pub(crate) mod key_spec;
pub mod key_state;
pub mod policy;

use grants::Grant;
use key_spec::KeySpec;
use key_state::KeyState;

/// A KMS key: the account's AWS-managed `aws/ebs` key or a customer managed key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct KmsKey {
    pub id: String,
    pub account: String,
    pub region: String,
    pub description: String,
    pub created: u64,
    /// `AWS` for AWS-managed keys such as `aws/ebs`, `CUSTOMER` for the account's own.
    #[serde(deserialize_with = "crate::world::statics::key_manager")]
    pub manager: crate::world::StaticStr,
    /// Its key spec (`SYMMETRIC_DEFAULT` for `aws/ebs`).
    #[serde(with = "crate::world::statics::key_spec")]
    pub spec: &'static KeySpec,
    /// Its key usage, one its spec allows (`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, …).
    #[serde(deserialize_with = "crate::world::statics::key_usage")]
    pub usage: crate::world::StaticStr,
    /// `Enabled`, `Disabled` or `PendingDeletion` (always `Enabled` for `aws/ebs`).
    pub state: KeyState,
    /// When a key pending deletion will be deleted, in seconds since the epoch.
    pub deletion_date: Option<u64>,
    /// The key policy, as the JSON text the learner wrote (or [`policy::default_policy`]).
    pub policy: String,
}

impl KmsKey {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:kms:{}:{}:key/{}",
            self.region, self.account, self.id
        )
    }
}

/// Every account's customer keys and aliases, across regions.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Kms {
    /// key id → key
    keys: BTreeMap<String, KmsKey>,
    /// (account, region, alias name) → key id
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    aliases: BTreeMap<(String, String, String), String>,
    /// key id → its grants, in creation order.
    grants: BTreeMap<String, Vec<Grant>>,
}

/// A customer managed key as graders and `--state` see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySummary {
    /// The key id (a UUID).
    pub key_id: String,
    /// The key ARN.
    pub arn: String,
    /// The owning account and its region.
    pub account: String,
    /// The key's region.
    pub region: String,
    /// Its description.
    pub description: String,
    /// `Enabled`, `Disabled` or `PendingDeletion`.
    pub state: &'static str,
    /// Its aliases (`alias/…`), sorted.
    pub aliases: Vec<String>,
    /// Accounts other than its own that its key policy or a grant lets use it for EBS.
    pub usable_by: Vec<String>,
}

impl Cloud {
    /// Every customer managed key that exists (deleted keys are gone), in key-id order, with
    /// the other accounts among the world's that may use it for EBS
    /// (the rule of `crate::kms::access`).
    pub fn kms_keys(&self) -> Vec<KeySummary> {
        self.kms
            .keys
            .values()
            .map(|k| KeySummary {
                key_id: k.id.clone(),
                arn: k.arn(),
                account: k.account.clone(),
                region: k.region.clone(),
                description: k.description.clone(),
                state: k.state.as_str(),
                aliases: self
                    .kms
                    .aliases
                    .iter()
                    .filter(|(_, id)| **id == k.id)
                    .map(|((_, _, alias), _)| alias.clone())
                    .collect(),
                usable_by: self
                    .accounts()
                    .iter()
                    .filter(|a| **a != k.account && self.kms.ebs_may_use(a, &k.arn()).is_ok())
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}

/// The parts of a key ARN `arn:aws:kms:<region>:<account>:key/<id>`: (region, account, id).
pub(crate) fn parse_key_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let rest = arn.strip_prefix("arn:aws:kms:")?;
    let mut parts = rest.splitn(3, ':');
    let (region, account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    let id = resource.strip_prefix("key/")?;
    Some((region, account, id))
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
            spec: &key_spec::KEY_SPECS[0],
            usage: "ENCRYPT_DECRYPT",
            state: KeyState::Enabled,
            deletion_date: None,
            policy: policy::managed_ebs_policy(account, region),
        }
    }

    /// Any key, of any account, named by its key ARN: a customer key that still exists, or an
    /// account's AWS-managed `aws/ebs` key.
    pub(crate) fn by_arn(&self, arn: &str) -> Option<KmsKey> {
        let (region, account, id) = parse_key_arn(arn)?;
        if id == managed_key_id(account, region) {
            return Some(self.managed_key(account, region));
        }
        self.keys.get(id).filter(|k| k.arn() == arn).cloned()
    }

    /// The key a request names for a caller in its region: its own key by id, ARN, alias or
    /// alias ARN; with `cross_account`, also another account's key by key ARN (KMS lets other
    /// accounts name a key only by its ARN).
    pub(crate) fn key_for(
        &self,
        caller: &Caller,
        reference: &str,
        cross_account: bool,
    ) -> Option<KmsKey> {
        if let Some(arn) = self.resolve(&caller.account, &caller.region, reference) {
            return self.by_arn(&arn);
        }
        let (region, account, _) = parse_key_arn(reference)?;
        (cross_account && region == caller.region && account != caller.account)
            .then(|| self.by_arn(reference))
            .flatten()
    }

    /// True when the key's policy (or, short of an explicit deny, one of its grants) lets
    /// `account` do `action` (`kms:Decrypt`) with it ([`policy::decide`], [`grants`]).
    pub(crate) fn allows(&self, key: &KmsKey, account: &str, action: &str) -> bool {
        let parsed = policy::parse(&key.policy).unwrap_or_default();
        match policy::decide(&parsed, account, action, &key.arn()) {
            policy::Decision::Allow => true,
            policy::Decision::Deny => false,
            policy::Decision::NotMentioned => self.granted(&key.id, account, action),
        }
    }

    /// The ARN of the account's `aws/ebs` key in a region.
    pub fn default_ebs_key(&self, account: &str, region: &str) -> String {
        self.managed_key(account, region).arn()
    }

    /// True when `arn` is an AWS-managed key (which cannot be shared with other accounts).
    pub fn is_aws_managed(&self, arn: &str) -> bool {
        parse_key_arn(arn)
            .is_some_and(|(region, account, id)| id == managed_key_id(account, region))
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
    /// Input of KMS `CreateKey` (`kms.create_key(#{description: …, key_spec: "RSA_2048",
    /// key_usage: "SIGN_VERIFY"})`). Tags, multi-Region keys and other key origins are not
    /// simulated.
    #[derive(Default)]
    pub struct CreateKeyInput {
        ..not_simulated["custom_key_store_id", "multi_region", "origin", "tags", "xks_key_id"],
        /// `Policy`: the key policy, a JSON document with a `Statement`; KMS's default key policy
        /// (the account's root may do `kms:*`) when absent.
        pub policy: Option<String>,
        /// `BypassPolicyLockoutSafetyCheck`: accept a policy that would not let the account
        /// change the key policy later.
        pub bypass_policy_lockout_safety_check: Option<bool>,
        /// A description of the key, at most 8192 characters.
        pub description: Option<String>,
        /// `KeyUsage`: `ENCRYPT_DECRYPT` (the default), `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`,
        /// `KEY_AGREEMENT` or `ENCAPSULATE_DECAPSULATE`, one the key spec allows.
        pub key_usage: Option<String>,
        /// `CustomerMasterKeySpec`: the deprecated name of `key_spec` (not both).
        pub customer_master_key_spec: Option<String>,
        /// `KeySpec`: `SYMMETRIC_DEFAULT` (the default), `RSA_2048`, `ECC_NIST_P256`,
        /// `HMAC_256`, `ML_DSA_65`, … (the KMS Developer Guide's key spec reference).
        pub key_spec: Option<String>,
    }
}

/// KMS's `KeyMetadata` as `CreateKey` and `DescribeKey` return it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyMetadata {
    /// The 12-digit account that owns the key.
    pub aws_account_id: String,
    /// The key id, a UUID (`1234abcd-12ab-…`).
    pub key_id: String,
    /// The key ARN: `arn:aws:kms:<region>:<account>:key/<key id>`.
    pub arn: String,
    /// When the key was created, ISO-8601 (the epoch for an AWS-managed key).
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub creation_date: String,
    /// True exactly when the key state is `Enabled`.
    pub enabled: bool,
    /// The key's description.
    pub description: String,
    /// The key's usage (`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, …).
    pub key_usage: String,
    /// `Enabled`, `Disabled` or `PendingDeletion`.
    pub key_state: String,
    /// When a key pending deletion will be deleted, ISO-8601; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub deletion_date: Option<String>,
    /// Always `AWS_KMS`.
    pub origin: String,
    /// `AWS` for an AWS-managed key (`aws/ebs`), `CUSTOMER` for the account's own.
    pub key_manager: String,
    /// The same, under its deprecated name; absent for specs that name never had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_master_key_spec: Option<String>,
    /// The key spec (`SYMMETRIC_DEFAULT`, `RSA_2048`, …).
    pub key_spec: String,
    /// The encryption algorithms of an `ENCRYPT_DECRYPT` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_algorithms: Option<Vec<String>>,
    /// The signing algorithms of a `SIGN_VERIFY` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_algorithms: Option<Vec<String>>,
    /// The key agreement algorithms of a `KEY_AGREEMENT` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_agreement_algorithms: Option<Vec<String>>,
    /// The encapsulation algorithms of an `ENCAPSULATE_DECAPSULATE` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encapsulation_algorithms: Option<Vec<String>>,
    /// Always `false`: multi-Region keys are not simulated.
    pub multi_region: bool,
    /// The MAC algorithms of a `GENERATE_VERIFY_MAC` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_algorithms: Option<Vec<String>>,
}

/// The answer of KMS `CreateKey` and `DescribeKey`: `{key_metadata}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyMetadataOutput {
    /// The key's metadata.
    pub key_metadata: KeyMetadata,
}

request! {
    /// Input of KMS `DescribeKey`.
    pub struct DescribeKeyInput {
        ..not_simulated["grant_tokens"],
        /// The key to describe: a key id, a key ARN, an alias name (`alias/aws/ebs`) or an alias
        /// ARN.
        pub key_id: String,
    }
}

request! {
    /// Input of KMS `ListKeys`: its paging members.
    #[derive(Default)]
    pub struct ListKeysInput {
        ..not_simulated["resource_owners"],
        /// `Limit`: at most this many keys in the page, 1–1000; 100 when absent.
        pub limit: Option<i64>,
        /// `Marker`: the `next_marker` of the previous page, to get the page after it.
        pub marker: Option<String>,
    }
}

request! {
    /// Input of KMS `ListAliases`: its paging members and a key.
    #[derive(Default)]
    pub struct ListAliasesInput {
        /// `KeyId`: only the aliases of this key (its key id or key ARN).
        pub key_id: Option<String>,
        /// `Limit`: at most this many aliases in the page, 1–1000 accepted, at most 100 served;
        /// 50 when absent.
        pub limit: Option<i64>,
        /// `Marker`: the `next_marker` of the previous page, to get the page after it.
        pub marker: Option<String>,
    }
}

/// One key in `ListKeys`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyListEntry {
    /// The key id (a UUID).
    pub key_id: String,
    /// The key ARN.
    pub key_arn: String,
}

/// KMS `ListKeys`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListKeysOutput {
    /// The caller's keys in its region: the AWS-managed `aws/ebs` key first, then customer keys
    /// in id order.
    pub keys: Vec<KeyListEntry>,
    /// The marker of the next page; present exactly when `truncated` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// True when more keys follow this page.
    pub truncated: bool,
}

/// One alias in `ListAliases`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasEntry {
    /// The alias name, `alias/…`.
    pub alias_name: String,
    /// The alias ARN: `arn:aws:kms:<region>:<account>:alias/<name>`.
    pub alias_arn: String,
    /// The id of the key the alias points to.
    pub target_key_id: String,
}

/// KMS `ListAliases`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListAliasesOutput {
    /// The caller's aliases in its region: `alias/aws/ebs` first, then its own in name order.
    pub aliases: Vec<AliasEntry>,
    /// The marker of the next page; present exactly when `truncated` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// True when more aliases follow this page.
    pub truncated: bool,
}

request! {
    /// Input of KMS `CreateAlias`.
    pub struct CreateAliasInput {
        /// The new alias: must start with `alias/` and must not start with the reserved
        /// `alias/aws/`.
        pub alias_name: String,
        /// The key it names: a key id, key ARN, alias name or alias ARN.
        pub target_key_id: String,
    }
}

fn metadata(k: &KmsKey) -> KeyMetadata {
    KeyMetadata {
        aws_account_id: k.account.clone(),
        key_id: k.id.clone(),
        arn: k.arn(),
        creation_date: iso8601(k.created),
        enabled: k.state == KeyState::Enabled,
        description: k.description.clone(),
        key_usage: k.usage.into(),
        key_state: k.state.as_str().into(),
        deletion_date: k.deletion_date.map(iso8601),
        origin: "AWS_KMS".into(),
        key_manager: k.manager.into(),
        key_spec: k.spec.name.into(),
        customer_master_key_spec: k.spec.legacy_name.then(|| k.spec.name.into()),
        encryption_algorithms: algorithms(k, "ENCRYPT_DECRYPT", k.spec.encryption),
        signing_algorithms: algorithms(k, "SIGN_VERIFY", k.spec.signing),
        mac_algorithms: algorithms(k, "GENERATE_VERIFY_MAC", k.spec.mac),
        key_agreement_algorithms: algorithms(k, "KEY_AGREEMENT", k.spec.key_agreement),
        encapsulation_algorithms: algorithms(k, "ENCAPSULATE_DECAPSULATE", k.spec.encapsulation),
        multi_region: false,
    }
}

/// A key's algorithms for one usage: present only when the key has that usage.
fn algorithms(k: &KmsKey, usage: &str, list: &[&str]) -> Option<Vec<String>> {
    (k.usage == usage).then(|| list.iter().map(|a| a.to_string()).collect())
}

/// KMS's answer for a key the caller cannot see: `NotFoundException`.
pub(crate) fn key_not_found(reference: &str) -> AwsError {
    AwsError::new(
        "NotFoundException",
        format!("Key '{reference}' does not exist"),
    )
}

/// KMS's refusal when no key policy statement (nor grant) allows the action: the
/// `AccessDeniedException` wording AWS uses for resource-based policies.
pub(crate) fn access_denied(account: &str, action: &str, arn: &str) -> AwsError {
    AwsError::new(
        "AccessDeniedException",
        format!("User: arn:aws:iam::{account}:root is not authorized to perform: {action} on resource: {arn} because no resource-based policy allows the {action} action"),
    )
}

impl Cloud {
    /// The key a KMS request names, once the key's policy (or a grant) lets the caller do
    /// `action` with it. `cross_account`: whether the operation accepts another account's key
    /// (by key ARN), as DescribeKey and the grant operations do.
    ///
    /// Errors: `NotFoundException` for a key the caller cannot name; `AccessDeniedException`
    /// when nothing allows the action.
    pub(crate) fn kms_key(
        &self,
        caller: &Caller,
        reference: &str,
        action: &str,
        cross_account: bool,
    ) -> AwsResult<KmsKey> {
        let key = self
            .kms
            .key_for(caller, reference, cross_account)
            .ok_or_else(|| key_not_found(reference))?;
        if !self.kms.allows(&key, &caller.account, action) {
            return Err(access_denied(&caller.account, action, &key.arn()));
        }
        Ok(key)
    }

    /// The stored customer key with this id, to change.
    pub(crate) fn kms_key_mut(&mut self, id: &str) -> Option<&mut KmsKey> {
        self.kms.keys.get_mut(id)
    }
}

/// Customer keys one account may hold in one region.
const MAX_KEYS: usize = 100;

/// The longest key description KMS takes, in characters (botocore's `DescriptionType`).
const MAX_DESCRIPTION: usize = 8192;

impl Cloud {
    /// KMS `CreateKey`: a new customer managed key in the caller's region, with a seeded UUID id:
    /// a symmetric encryption key unless `key_spec` and `key_usage` ask for another kind, whose
    /// algorithms DescribeKey then lists. Its policy is `policy`, or KMS's default key policy.
    ///
    /// Errors: `MalformedPolicyDocumentException` for a policy that is not a JSON document with a
    /// `Statement`, or that would lock the account out of the key
    /// ([`key_policy::check_new_policy`]); `ValidationException` for a description over 8192 characters, a key spec or usage
    /// outside KMS's enums, both `key_spec` and `customer_master_key_spec`, or a usage the spec
    /// does not allow; `UnsupportedOperationException` for `SM2` (China Regions only);
    /// `LimitExceededException` when the account already has 100 customer keys in the region (a
    /// simulation limit; AWS's quota is far higher).
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
        let description = input.description.unwrap_or_default();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(AwsError::new(
                "ValidationException",
                format!("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to {MAX_DESCRIPTION}"),
            ));
        }
        let (spec, usage) = key_spec::choose(
            input.key_spec.as_deref(),
            input.customer_master_key_spec.as_deref(),
            input.key_usage.as_deref(),
        )?;
        let policy = match input.policy {
            Some(text) => {
                key_policy::check_new_policy(
                    &text,
                    &caller.account,
                    input.bypass_policy_lockout_safety_check,
                )?;
                text
            }
            None => policy::default_policy(&caller.account),
        };
        let key = KmsKey {
            id: self.ids.uuid(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            description,
            created: self.now(),
            manager: "CUSTOMER",
            spec,
            usage,
            state: KeyState::Enabled,
            deletion_date: None,
            policy,
        };
        let out = metadata(&key);
        self.kms.keys.insert(key.id.clone(), key);
        Ok(KeyMetadataOutput { key_metadata: out })
    }

    /// KMS `DescribeKey`: the metadata of a key in the caller's region, named by id, ARN, alias or
    /// alias ARN; `alias/aws/ebs` names the account's AWS-managed EBS key. Another account's key
    /// can be described by its key ARN when its policy (or a grant) allows `kms:DescribeKey`.
    /// The metadata tells the key's state truthfully (`enabled`, `key_state`, `deletion_date`).
    ///
    /// Errors: `NotFoundException` when no such key or alias exists for the caller in that region;
    /// `AccessDeniedException` when the key policy does not allow `kms:DescribeKey`.
    pub fn kms_describe_key(
        &mut self,
        caller: &Caller,
        input: DescribeKeyInput,
    ) -> AwsResult<KeyMetadataOutput> {
        let key = self.kms_key(caller, &input.key_id, "kms:DescribeKey", true)?;
        Ok(KeyMetadataOutput {
            key_metadata: metadata(&key),
        })
    }

    /// KMS `ListKeys`: the caller's keys in its region, the AWS-managed `aws/ebs` key first.
    /// Pages: `limit` 1–1000, 100 keys without it; `truncated` and `next_marker` say whether more
    /// follow (`paging::LIST_KEYS`).
    ///
    /// Errors: `ValidationException` for a limit above 1000; `InvalidMarkerException` for a
    /// marker this call did not make for the caller.
    pub fn kms_list_keys(
        &mut self,
        caller: &Caller,
        input: ListKeysInput,
    ) -> AwsResult<ListKeysOutput> {
        let pager = Pager::new(
            &paging::LIST_KEYS,
            caller,
            input.limit,
            input.marker.as_deref(),
            false,
        )?;
        // The managed key sorts first ("0"), customer keys after it by id ("1…").
        let mut keys = vec![(
            "0".to_string(),
            self.kms.managed_key(&caller.account, &caller.region),
        )];
        keys.extend(
            self.kms
                .keys
                .values()
                .filter(|k| k.account == caller.account && k.region == caller.region)
                .map(|k| (format!("1{}", k.id), k.clone())),
        );
        let (page, next_marker) = pager.page(keys, |(key, _)| key.clone());
        Ok(ListKeysOutput {
            keys: page
                .iter()
                .map(|(_, k)| KeyListEntry {
                    key_id: k.id.clone(),
                    key_arn: k.arn(),
                })
                .collect(),
            truncated: next_marker.is_some(),
            next_marker,
        })
    }

    /// KMS `CreateAlias`: names a key. Answers `{}`.
    ///
    /// Errors: `ValidationException` for a name without the `alias/` prefix or with the reserved
    /// `alias/aws/` prefix; `NotFoundException` for an unknown target key; `AlreadyExistsException`
    /// when the account already has that alias in the region.
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

    /// KMS `ListAliases`: the caller's aliases in its region, `alias/aws/ebs` first. Pages:
    /// `limit` 1–1000 accepted, at most 100 aliases per page, 50 without it; `truncated` and
    /// `next_marker` say whether more follow (`paging::LIST_ALIASES`).
    ///
    /// With `key_id`, only that key's aliases.
    ///
    /// Errors: `ValidationException` for a limit above 1000; `InvalidMarkerException` for a
    /// marker this call did not make for the caller; `NotFoundException` for a `key_id` that
    /// names no key of the caller's in its region.
    pub fn kms_list_aliases(
        &mut self,
        caller: &Caller,
        input: ListAliasesInput,
    ) -> AwsResult<ListAliasesOutput> {
        let pager = Pager::new(
            &paging::LIST_ALIASES,
            caller,
            input.limit,
            input.marker.as_deref(),
            false,
        )?;
        let only_key = match &input.key_id {
            Some(reference) => {
                let arn = self
                    .kms
                    .resolve(&caller.account, &caller.region, reference)
                    .ok_or_else(|| key_not_found(reference))?;
                Some(arn.rsplit('/').next().unwrap_or(&arn).to_string())
            }
            None => None,
        };
        let managed = self.kms.managed_key(&caller.account, &caller.region);
        // `alias/aws/ebs` sorts first ("0"), the caller's own after it by name ("1…").
        let mut aliases = vec![(
            "0".to_string(),
            AliasEntry {
                alias_name: "alias/aws/ebs".into(),
                alias_arn: format!(
                    "arn:aws:kms:{}:{}:alias/aws/ebs",
                    caller.region, caller.account
                ),
                target_key_id: managed.id,
            },
        )];
        for ((account, region, name), id) in &self.kms.aliases {
            if account == &caller.account && region == &caller.region {
                aliases.push((
                    format!("1{name}"),
                    AliasEntry {
                        alias_name: name.clone(),
                        alias_arn: format!("arn:aws:kms:{region}:{account}:{name}"),
                        target_key_id: id.clone(),
                    },
                ));
            }
        }
        aliases.retain(|(_, a)| only_key.as_ref().is_none_or(|k| *k == a.target_key_id));
        let (page, next_marker) = pager.page(aliases, |(key, _)| key.clone());
        Ok(ListAliasesOutput {
            aliases: page.into_iter().map(|(_, a)| a).collect(),
            truncated: next_marker.is_some(),
            next_marker,
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

//! EBS encryption by default, per account per region: `EnableEbsEncryptionByDefault`,
//! `DisableEbsEncryptionByDefault`, `GetEbsEncryptionByDefault`, `GetEbsDefaultKmsKeyId`,
//! `ModifyEbsDefaultKmsKeyId` and `ResetEbsDefaultKmsKeyId` (Amazon EBS User Guide, "Encryption
//! by default").
//!
//! When it is on, every new EBS volume and snapshot copy of the account in the region comes out
//! encrypted: CreateVolume without `encrypted`, the volumes RunInstances makes, CopySnapshot and
//! CopyImage of unencrypted sources — with the default KMS key unless the request names one.
//! Existing volumes and snapshots do not change. The default key is the account's `aws/ebs` key
//! until ModifyEbsDefaultKmsKeyId names a customer key; if that key is later disabled or deleted,
//! launches that need it fail.

use serde::Serialize;

use crate::error::{AwsError, AwsResult};
use crate::kms::access::Refusal;
use crate::request::request;
use crate::{Caller, Cloud};

/// One account's settings in one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct EbsDefaults {
    /// Encryption by default is on.
    pub enabled: bool,
    /// The default key's ARN; `None`: the account's `aws/ebs` key.
    pub key: Option<String>,
}

request! {
    /// Input of the EBS encryption-by-default operations that take only `DryRun`.
    #[derive(Default)]
    pub struct EbsDefaultsInput {
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `ModifyEbsDefaultKmsKeyId`.
    pub struct ModifyEbsDefaultKmsKeyIdInput {
        /// The new default key: a key id, key ARN, alias name or alias ARN of a symmetric
        /// encryption (`ENCRYPT_DECRYPT`, `SYMMETRIC_DEFAULT`) key of the caller's in its region.
        pub kms_key_id: String,
        ..dry_run,
    }
}

/// The answer of EC2 `EnableEbsEncryptionByDefault`, `DisableEbsEncryptionByDefault` and
/// `GetEbsEncryptionByDefault`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EbsEncryptionByDefaultOutput {
    /// Whether encryption by default is on for the account in the region.
    pub ebs_encryption_by_default: bool,
}

/// The answer of EC2 `GetEbsDefaultKmsKeyId`, `ModifyEbsDefaultKmsKeyId` and
/// `ResetEbsDefaultKmsKeyId`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EbsDefaultKmsKeyIdOutput {
    /// The default key: its ARN (Get answers `alias/aws/ebs` while the default is the AWS-managed
    /// key).
    pub kms_key_id: String,
}

impl Cloud {
    fn ebs_defaults(&self, account: &str, region: &str) -> EbsDefaults {
        self.ebs_defaults
            .get(&(account.to_string(), region.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    fn set_ebs_defaults(&mut self, caller: &Caller, change: impl FnOnce(&mut EbsDefaults)) {
        let key = (caller.account.clone(), caller.region.clone());
        let entry = self.ebs_defaults.entry(key.clone()).or_default();
        change(entry);
        if *entry == EbsDefaults::default() {
            self.ebs_defaults.remove(&key);
        }
    }

    /// Whether new EBS volumes and snapshot copies of `account` in `region` are encrypted by
    /// default.
    pub(crate) fn ebs_encrypted_by_default(&self, account: &str, region: &str) -> bool {
        self.ebs_defaults(account, region).enabled
    }

    /// The ARN of the key EBS encrypts with when a request names none: the configured default
    /// key, or the account's `aws/ebs` key.
    pub(crate) fn ebs_default_key(&self, account: &str, region: &str) -> String {
        self.ebs_defaults(account, region)
            .key
            .unwrap_or_else(|| self.kms.default_ebs_key(account, region))
    }

    /// The first of `keys` (key ARNs; `None`s skipped) that `account` may not use for EBS, and
    /// why ([`crate::kms::access`]).
    pub(crate) fn ebs_key_refusal<'a>(
        &self,
        account: &str,
        keys: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Option<Refusal> {
        keys.into_iter()
            .flatten()
            .find_map(|k| self.kms.ebs_may_use(account, k).err())
    }

    /// EC2 `EnableEbsEncryptionByDefault`: turns encryption by default on for the caller in its
    /// region; existing volumes do not change. Answers `{ebs_encryption_by_default: true}`.
    pub fn enable_ebs_encryption_by_default(
        &mut self,
        caller: &Caller,
        _input: EbsDefaultsInput,
    ) -> AwsResult<EbsEncryptionByDefaultOutput> {
        self.set_ebs_defaults(caller, |d| d.enabled = true);
        Ok(EbsEncryptionByDefaultOutput {
            ebs_encryption_by_default: true,
        })
    }

    /// EC2 `DisableEbsEncryptionByDefault`: turns it off; existing encrypted volumes stay
    /// encrypted. Answers `{ebs_encryption_by_default: false}`.
    pub fn disable_ebs_encryption_by_default(
        &mut self,
        caller: &Caller,
        _input: EbsDefaultsInput,
    ) -> AwsResult<EbsEncryptionByDefaultOutput> {
        self.set_ebs_defaults(caller, |d| d.enabled = false);
        Ok(EbsEncryptionByDefaultOutput {
            ebs_encryption_by_default: false,
        })
    }

    /// EC2 `GetEbsEncryptionByDefault`: whether encryption by default is on for the caller in its
    /// region (off in a new account).
    pub fn get_ebs_encryption_by_default(
        &mut self,
        caller: &Caller,
        _input: EbsDefaultsInput,
    ) -> AwsResult<EbsEncryptionByDefaultOutput> {
        Ok(EbsEncryptionByDefaultOutput {
            ebs_encryption_by_default: self
                .ebs_encrypted_by_default(&caller.account, &caller.region),
        })
    }

    /// EC2 `GetEbsDefaultKmsKeyId`: the default key's ARN, or `alias/aws/ebs` while it is the
    /// AWS-managed key (as the AWS CLI's example shows).
    pub fn get_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        _input: EbsDefaultsInput,
    ) -> AwsResult<EbsDefaultKmsKeyIdOutput> {
        Ok(EbsDefaultKmsKeyIdOutput {
            kms_key_id: self
                .ebs_defaults(&caller.account, &caller.region)
                .key
                .unwrap_or_else(|| "alias/aws/ebs".into()),
        })
    }

    /// EC2 `ModifyEbsDefaultKmsKeyId`: makes a symmetric customer key of the caller's the default
    /// for encryption by default in its region. Answers the key's ARN.
    ///
    /// Errors: `InvalidParameterValue` for a key that does not exist for the caller in its region
    /// (EBS takes no other account's key here), or that is not a symmetric encryption key ("Amazon
    /// EBS does not support asymmetric KMS keys", the operation's documentation).
    pub fn modify_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        input: ModifyEbsDefaultKmsKeyIdInput,
    ) -> AwsResult<EbsDefaultKmsKeyIdOutput> {
        let key = self
            .kms
            .resolve(&caller.account, &caller.region, &input.kms_key_id)
            .and_then(|arn| self.kms.by_arn(&arn))
            .ok_or_else(|| {
                AwsError::invalid_parameter_value(format!(
                    "The KMS key '{}' does not exist in {} or is not accessible.",
                    input.kms_key_id, caller.region
                ))
            })?;
        if key.usage != "ENCRYPT_DECRYPT" || key.spec.name != "SYMMETRIC_DEFAULT" {
            return Err(AwsError::invalid_parameter_value(format!(
                "The KMS key '{}' is not a symmetric encryption key. Amazon EBS supports only symmetric encryption KMS keys.",
                key.arn()
            )));
        }
        let arn = key.arn();
        let managed = self.kms.is_aws_managed(&arn);
        self.set_ebs_defaults(caller, |d| d.key = (!managed).then(|| arn.clone()));
        Ok(EbsDefaultKmsKeyIdOutput { kms_key_id: arn })
    }

    /// EC2 `ResetEbsDefaultKmsKeyId`: the account's `aws/ebs` key is the default again. Answers
    /// that key's ARN.
    pub fn reset_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        _input: EbsDefaultsInput,
    ) -> AwsResult<EbsDefaultKmsKeyIdOutput> {
        self.set_ebs_defaults(caller, |d| d.key = None);
        Ok(EbsDefaultKmsKeyIdOutput {
            kms_key_id: self.kms.default_ebs_key(&caller.account, &caller.region),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn code(r: Result<Value, crate::CallError>) -> String {
        match r {
            Err(crate::CallError::Aws(e)) => e.code,
            other => panic!("expected an AWS error, got {other:?}"),
        }
    }

    #[test]
    fn settings_are_per_account_per_region_and_reset() {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let away = Caller::new(crate::DEFAULT_ACCOUNT, "eu-west-1");
        let mate = Caller::new("444455556666", "us-east-1");
        let get = |c: &mut Cloud, who: &Caller| {
            c.call(who, "ec2", "get_ebs_encryption_by_default", json!({}))
                .unwrap()["ebs_encryption_by_default"]
                .clone()
        };
        assert_eq!(get(&mut cloud, &me), false);
        cloud
            .call(&me, "ec2", "enable_ebs_encryption_by_default", json!({}))
            .unwrap();
        assert_eq!(get(&mut cloud, &me), true);
        assert_eq!(get(&mut cloud, &away), false);
        assert_eq!(get(&mut cloud, &mate), false);

        let key = |c: &mut Cloud, who: &Caller| {
            c.call(who, "ec2", "get_ebs_default_kms_key_id", json!({}))
                .unwrap()["kms_key_id"]
                .clone()
        };
        assert_eq!(key(&mut cloud, &me), "alias/aws/ebs");
        let k =
            cloud.call(&me, "kms", "create_key", json!({})).unwrap()["key_metadata"]["arn"].clone();
        let id = k.as_str().unwrap().rsplit('/').next().unwrap().to_string();
        let out = cloud
            .call(
                &me,
                "ec2",
                "modify_ebs_default_kms_key_id",
                json!({"kms_key_id": id}),
            )
            .unwrap();
        assert_eq!(out["kms_key_id"], k);
        assert_eq!(key(&mut cloud, &me), k);
        assert_eq!(key(&mut cloud, &away), "alias/aws/ebs");
        let reset = cloud
            .call(&me, "ec2", "reset_ebs_default_kms_key_id", json!({}))
            .unwrap();
        assert_eq!(
            reset["kms_key_id"],
            json!(cloud
                .kms
                .default_ebs_key(crate::DEFAULT_ACCOUNT, "us-east-1"))
        );
        assert_eq!(key(&mut cloud, &me), "alias/aws/ebs");
        cloud
            .call(&me, "ec2", "disable_ebs_encryption_by_default", json!({}))
            .unwrap();
        assert_eq!(get(&mut cloud, &me), false);
        assert!(cloud.ebs_defaults.is_empty());
    }

    #[test]
    fn the_default_key_must_be_a_symmetric_key_of_the_callers() {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let mate = Caller::new("444455556666", "us-east-1");
        let rsa = cloud
            .call(
                &me,
                "kms",
                "create_key",
                json!({"key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"}),
            )
            .unwrap();
        let r = cloud.call(
            &me,
            "ec2",
            "modify_ebs_default_kms_key_id",
            json!({"kms_key_id": rsa["key_metadata"]["key_id"]}),
        );
        assert_eq!(code(r), "InvalidParameterValue");
        let r = cloud.call(
            &me,
            "ec2",
            "modify_ebs_default_kms_key_id",
            json!({"kms_key_id": "alias/none"}),
        );
        assert_eq!(code(r), "InvalidParameterValue");
        let theirs = cloud.call(&mate, "kms", "create_key", json!({})).unwrap();
        let r = cloud.call(
            &me,
            "ec2",
            "modify_ebs_default_kms_key_id",
            json!({"kms_key_id": theirs["key_metadata"]["arn"]}),
        );
        assert_eq!(code(r), "InvalidParameterValue");
        // Naming aws/ebs itself is the same as resetting.
        cloud
            .call(
                &me,
                "ec2",
                "modify_ebs_default_kms_key_id",
                json!({"kms_key_id": "alias/aws/ebs"}),
            )
            .unwrap();
        assert!(cloud.ebs_defaults.is_empty());
    }
}

//! Who may use a key for EBS: the one rule every EBS path (RunInstances, CreateVolume,
//! CopySnapshot, CopyImage) asks before it decrypts or encrypts a volume's data.
//!
//! Account `X` may use key `K` for EBS when
//! 1. `K` exists (a customer key not yet deleted, or an account's AWS-managed `aws/ebs` key);
//! 2. `K` is `Enabled` (a `Disabled` key or one `PendingDeletion` cannot be used, by anyone);
//! 3. for an AWS-managed key: `X` is its own account (no other account can ever use one — AWS
//!    KMS Developer Guide, "AWS managed keys");
//! 4. for a customer key: every action EBS needs, [`EBS_ACTIONS`], is allowed to `X` by the key
//!    policy ([`super::policy::decide`]: the default policy allows the owner everything) or,
//!    short of an explicit `Deny`, by a grant to `X` ([`super::grants`]).
//!
//! The actions follow what EC2 asks for when it refuses a launch for an inaccessible key
//! ("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlainText",
//! "kms:ReEncrypt") and the EC2 User Guide's "Share an AMI with specific AWS accounts"
//! (`kms:ReEncrypt*` stands for `kms:ReEncryptFrom` and `kms:ReEncryptTo`).

use super::key_state::KeyState;
use super::{Kms, KmsKey};

/// The KMS actions EBS performs with a key on an account's behalf.
pub const EBS_ACTIONS: &[&str] = &[
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
];

/// Why an account may not use a key for EBS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No such key (never existed, or deleted).
    Missing,
    /// The key is `Disabled` or `PendingDeletion`.
    NotEnabled(KeyState),
    /// Another account's AWS-managed key.
    OthersManagedKey,
    /// Neither the key policy nor a grant allows every action EBS needs.
    NotAllowed,
}

impl Kms {
    /// Whether `account` may use the key `key_arn` for EBS (the module documentation gives the
    /// rule).
    pub(crate) fn ebs_may_use(&self, account: &str, key_arn: &str) -> Result<(), Refusal> {
        let key: KmsKey = self.by_arn(key_arn).ok_or(Refusal::Missing)?;
        if key.state != KeyState::Enabled {
            return Err(Refusal::NotEnabled(key.state));
        }
        if key.manager == "AWS" {
            return if key.account == account {
                Ok(())
            } else {
                Err(Refusal::OthersManagedKey)
            };
        }
        if EBS_ACTIONS.iter().all(|a| self.allows(&key, account, a)) {
            Ok(())
        } else {
            Err(Refusal::NotAllowed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Caller, Cloud};
    use serde_json::json;

    const OWNER: &str = "111122223333";
    const MATE: &str = "444455556666";

    fn setup() -> (Cloud, Caller, String) {
        let mut cloud = Cloud::default();
        let owner = Caller::new(OWNER, "us-east-1");
        let out = cloud.call(&owner, "kms", "create_key", json!({})).unwrap();
        let arn = out["key_metadata"]["arn"].as_str().unwrap().to_string();
        (cloud, owner, arn)
    }

    fn policy_allowing(principal: &str, actions: serde_json::Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OWNER}:root")}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, "Resource": "*"}
        ]})
        .to_string()
    }

    #[test]
    fn the_owner_may_and_others_may_not_by_default() {
        let (cloud, _, arn) = setup();
        assert_eq!(cloud.kms.ebs_may_use(OWNER, &arn), Ok(()));
        assert_eq!(cloud.kms.ebs_may_use(MATE, &arn), Err(Refusal::NotAllowed));
        assert_eq!(
            cloud
                .kms
                .ebs_may_use(OWNER, "arn:aws:kms:us-east-1:111122223333:key/nope"),
            Err(Refusal::Missing)
        );
        let managed = cloud.kms.default_ebs_key(OWNER, "us-east-1");
        assert_eq!(cloud.kms.ebs_may_use(OWNER, &managed), Ok(()));
        assert_eq!(
            cloud.kms.ebs_may_use(MATE, &managed),
            Err(Refusal::OthersManagedKey)
        );
    }

    #[test]
    fn a_policy_statement_lets_another_account_in_when_it_covers_every_ebs_action() {
        let (mut cloud, owner, arn) = setup();
        for (principal, actions, ok) in [
            (format!("arn:aws:iam::{MATE}:root"), json!("kms:*"), true),
            (
                MATE.to_string(),
                json!([
                    "kms:Decrypt",
                    "kms:CreateGrant",
                    "kms:DescribeKey",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*"
                ]),
                true,
            ),
            ("*".to_string(), json!("kms:*"), true),
            (
                MATE.to_string(),
                json!(["kms:Decrypt", "kms:DescribeKey"]),
                false,
            ),
            ("999999999999".to_string(), json!("kms:*"), false),
        ] {
            let policy = policy_allowing(&principal, actions.clone());
            cloud
                .call(
                    &owner,
                    "kms",
                    "put_key_policy",
                    json!({"key_id": arn, "policy": policy}),
                )
                .unwrap();
            assert_eq!(
                cloud.kms.ebs_may_use(MATE, &arn).is_ok(),
                ok,
                "{principal} {actions}"
            );
        }
    }

    #[test]
    fn a_grant_lets_another_account_in_and_revoking_it_shuts_it_out() {
        let (mut cloud, owner, arn) = setup();
        let ops = json!([
            "Decrypt",
            "CreateGrant",
            "DescribeKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo"
        ]);
        let g = cloud
            .call(&owner, "kms", "create_grant", json!({"key_id": arn, "grantee_principal": format!("arn:aws:iam::{MATE}:root"), "operations": ops}))
            .unwrap();
        assert_eq!(cloud.kms.ebs_may_use(MATE, &arn), Ok(()));
        cloud
            .call(
                &owner,
                "kms",
                "revoke_grant",
                json!({"key_id": arn, "grant_id": g["grant_id"]}),
            )
            .unwrap();
        assert_eq!(cloud.kms.ebs_may_use(MATE, &arn), Err(Refusal::NotAllowed));
        // A grant missing an operation EBS needs is not enough.
        cloud
            .call(
                &owner,
                "kms",
                "create_grant",
                json!({"key_id": arn, "grantee_principal": MATE, "operations": ["Decrypt"]}),
            )
            .unwrap();
        assert_eq!(cloud.kms.ebs_may_use(MATE, &arn), Err(Refusal::NotAllowed));
    }

    #[test]
    fn an_explicit_deny_beats_a_grant_and_the_owner_can_shut_itself_out() {
        let (mut cloud, owner, arn) = setup();
        let ops = json!([
            "Decrypt",
            "CreateGrant",
            "DescribeKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo"
        ]);
        cloud
            .call(
                &owner,
                "kms",
                "create_grant",
                json!({"key_id": arn, "grantee_principal": MATE, "operations": ops}),
            )
            .unwrap();
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OWNER}:root")}, "Action": "kms:PutKeyPolicy"},
            {"Effect": "Deny", "Principal": {"AWS": MATE}, "Action": "kms:Decrypt"}
        ]});
        cloud
            .call(
                &owner,
                "kms",
                "put_key_policy",
                json!({"key_id": arn, "policy": policy.to_string()}),
            )
            .unwrap();
        assert_eq!(cloud.kms.ebs_may_use(MATE, &arn), Err(Refusal::NotAllowed));
        // The new policy no longer gives the owner kms:Decrypt.
        assert_eq!(cloud.kms.ebs_may_use(OWNER, &arn), Err(Refusal::NotAllowed));
    }

    #[test]
    fn only_an_enabled_key_can_be_used_even_by_its_owner() {
        let (mut cloud, owner, arn) = setup();
        cloud
            .call(&owner, "kms", "disable_key", json!({"key_id": arn}))
            .unwrap();
        assert_eq!(
            cloud.kms.ebs_may_use(OWNER, &arn),
            Err(Refusal::NotEnabled(KeyState::Disabled))
        );
        cloud
            .call(
                &owner,
                "kms",
                "schedule_key_deletion",
                json!({"key_id": arn}),
            )
            .unwrap();
        assert_eq!(
            cloud.kms.ebs_may_use(OWNER, &arn),
            Err(Refusal::NotEnabled(KeyState::PendingDeletion))
        );
        cloud
            .call(&owner, "kms", "cancel_key_deletion", json!({"key_id": arn}))
            .unwrap();
        cloud
            .call(&owner, "kms", "enable_key", json!({"key_id": arn}))
            .unwrap();
        assert_eq!(cloud.kms.ebs_may_use(OWNER, &arn), Ok(()));
    }
}

//! KMS `GetKeyPolicy` and `PutKeyPolicy`: reading and replacing a key's one policy, `default`.

use serde::Serialize;

use super::policy::{self, Decision, POLICY_NAME};
use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{Caller, Cloud};

request! {
    /// Input of KMS `GetKeyPolicy`.
    pub struct GetKeyPolicyInput {
        /// The key: its id, key ARN, alias name or alias ARN (the caller's own keys only).
        pub key_id: String,
        /// `PolicyName`: `default`, the only name KMS has (and the default).
        pub policy_name: Option<String>,
    }
}

/// KMS `GetKeyPolicy`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetKeyPolicyOutput {
    /// The key policy, the JSON text as it was set.
    pub policy: String,
    /// Always `default`.
    pub policy_name: String,
}

request! {
    /// Input of KMS `PutKeyPolicy`.
    pub struct PutKeyPolicyInput {
        /// The key: its id, key ARN, alias name or alias ARN (the caller's own keys only).
        pub key_id: String,
        /// `PolicyName`: `default`, the only name KMS has (and the default).
        pub policy_name: Option<String>,
        /// The new key policy: a JSON document with a `Statement` (see [`policy`] for what the
        /// simulation evaluates).
        pub policy: String,
        /// `BypassPolicyLockoutSafetyCheck`: accept a policy that would not let the account
        /// change the key policy later.
        pub bypass_policy_lockout_safety_check: Option<bool>,
    }
}

/// `NotFoundException` for a policy name other than `default` (KMS keys have exactly one key
/// policy, named `default`: AWS KMS API Reference, GetKeyPolicy / PutKeyPolicy `PolicyName`).
fn check_policy_name(name: Option<&str>) -> AwsResult<()> {
    match name {
        None | Some(POLICY_NAME) => Ok(()),
        Some(_) => Err(AwsError::new("NotFoundException", "No such policy exists")),
    }
}

/// Checks a key policy about to be set by `account`: well formed ([`policy::parse`]) and, unless
/// `bypass` is true, still letting the account change the key policy later (KMS's "policy
/// lockout safety check", AWS KMS Developer Guide, "Default key policy").
///
/// Errors: `MalformedPolicyDocumentException`, for a lockout with "The new key policy will not
/// allow you to update the key policy in the future."
pub fn check_new_policy(text: &str, account: &str, bypass: Option<bool>) -> AwsResult<()> {
    let doc = policy::parse(text)?;
    // The key ARN is not known (CreateKey) or irrelevant: a statement naming another resource
    // cannot lock anyone out of this key, so `*` stands for it.
    if bypass != Some(true)
        && policy::decide(&doc, account, "kms:PutKeyPolicy", "*") != Decision::Allow
    {
        return Err(AwsError::new(
            "MalformedPolicyDocumentException",
            "The new key policy will not allow you to update the key policy in the future.",
        ));
    }
    Ok(())
}

impl Cloud {
    /// KMS `GetKeyPolicy`: the key policy of one of the caller's keys (AWS-managed keys
    /// included). Answers `{policy, policy_name}`.
    ///
    /// Errors: `NotFoundException` for an unknown key or a policy name other than `default`;
    /// `AccessDeniedException` when the key policy does not allow `kms:GetKeyPolicy`.
    pub fn kms_get_key_policy(
        &mut self,
        caller: &Caller,
        input: GetKeyPolicyInput,
    ) -> AwsResult<GetKeyPolicyOutput> {
        check_policy_name(input.policy_name.as_deref())?;
        let key = self.kms_key(caller, &input.key_id, "kms:GetKeyPolicy", false)?;
        Ok(GetKeyPolicyOutput {
            policy: key.policy,
            policy_name: POLICY_NAME.into(),
        })
    }

    /// KMS `PutKeyPolicy`: replaces the key policy of one of the caller's customer keys, which
    /// from then on decides who may use the key ([`crate::kms::access`]). Answers `{}`.
    ///
    /// Errors: `NotFoundException` for an unknown key or a policy name other than `default`;
    /// `AccessDeniedException` when the current policy does not allow `kms:PutKeyPolicy` (always
    /// for an AWS-managed key such as `aws/ebs`, whose policy nobody may change);
    /// `MalformedPolicyDocumentException` ([`check_new_policy`]).
    pub fn kms_put_key_policy(
        &mut self,
        caller: &Caller,
        input: PutKeyPolicyInput,
    ) -> AwsResult<crate::ec2::Empty> {
        check_policy_name(input.policy_name.as_deref())?;
        let key = self.kms_key(caller, &input.key_id, "kms:PutKeyPolicy", false)?;
        check_new_policy(
            &input.policy,
            &caller.account,
            input.bypass_policy_lockout_safety_check,
        )?;
        if let Some(k) = self.kms_key_mut(&key.id) {
            k.policy = input.policy;
        }
        Ok(crate::ec2::Empty {})
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::{Caller, Cloud};

    fn code(r: Result<Value, crate::CallError>) -> String {
        match r {
            Err(crate::CallError::Aws(e)) => e.code,
            other => panic!("expected an AWS error, got {other:?}"),
        }
    }

    #[test]
    fn a_new_key_has_the_default_policy_and_a_put_replaces_it() {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let key = cloud.call(&me, "kms", "create_key", json!({})).unwrap()["key_metadata"]
            ["key_id"]
            .clone();
        let got = cloud
            .call(&me, "kms", "get_key_policy", json!({"key_id": key}))
            .unwrap();
        assert_eq!(got["policy_name"], "default");
        let policy: Value = serde_json::from_str(got["policy"].as_str().unwrap()).unwrap();
        assert_eq!(
            policy["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::123456789012:root"
        );
        assert_eq!(policy["Statement"][0]["Action"], "kms:*");
        let text = r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "kms:*"}}"#;
        cloud
            .call(
                &me,
                "kms",
                "put_key_policy",
                json!({"key_id": key, "policy": text, "policy_name": "default"}),
            )
            .unwrap();
        assert_eq!(
            cloud
                .call(&me, "kms", "get_key_policy", json!({"key_id": key}))
                .unwrap()["policy"],
            text
        );
    }

    #[test]
    fn the_lockout_check_can_be_bypassed_and_then_the_owner_is_locked_out() {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let key = cloud.call(&me, "kms", "create_key", json!({})).unwrap()["key_metadata"]
            ["key_id"]
            .clone();
        let lockout =
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt"}}"#;
        let r = cloud.call(
            &me,
            "kms",
            "put_key_policy",
            json!({"key_id": key, "policy": lockout}),
        );
        assert_eq!(code(r), "MalformedPolicyDocumentException");
        cloud
            .call(&me, "kms", "put_key_policy", json!({"key_id": key, "policy": lockout, "bypass_policy_lockout_safety_check": true}))
            .unwrap();
        let r = cloud.call(
            &me,
            "kms",
            "put_key_policy",
            json!({"key_id": key, "policy": lockout}),
        );
        assert_eq!(code(r), "AccessDeniedException");
        assert_eq!(
            code(cloud.call(&me, "kms", "get_key_policy", json!({"key_id": key}))),
            "AccessDeniedException"
        );
        // CreateKey runs the same check.
        let r = cloud.call(&me, "kms", "create_key", json!({"policy": lockout}));
        assert_eq!(code(r), "MalformedPolicyDocumentException");
    }

    #[test]
    fn another_accounts_key_policy_is_out_of_reach() {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let mate = Caller::new("444455556666", "us-east-1");
        let arn =
            cloud.call(&me, "kms", "create_key", json!({})).unwrap()["key_metadata"]["arn"].clone();
        assert_eq!(
            code(cloud.call(&mate, "kms", "get_key_policy", json!({"key_id": arn}))),
            "NotFoundException"
        );
    }
}

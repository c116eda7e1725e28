//! Key states and the operations that change them: `EnableKey`, `DisableKey`,
//! `ScheduleKeyDeletion` and `CancelKeyDeletion` (AWS KMS Developer Guide, "Key states of AWS KMS
//! keys").
//!
//! `Enabled` ⇄ `Disabled` (both idempotent); either → `PendingDeletion` for 7–30 days (30 by
//! default); `PendingDeletion` → `Disabled` when cancelled (as AWS does: a cancelled key must be
//! enabled again); at the deletion date the key, its aliases and its grants are gone. Only an
//! `Enabled` key can be used ([`crate::kms::access`]).

use serde::Serialize;

use crate::clock::iso8601;
use crate::error::{AwsError, AwsResult};
use crate::lifecycle::Event;
use crate::request::request;
use crate::{Caller, Cloud};

/// A key's state (KMS's `KeyState`; the states of imported, custom-store and multi-Region keys
/// are not simulated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Not usable until `EnableKey`.
    Disabled,
    /// Not usable; deleted at its deletion date unless `CancelKeyDeletion` comes first.
    PendingDeletion,
}

impl KeyState {
    /// KMS's name for the state (`PendingDeletion`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
        }
    }
}

/// `KMSInvalidStateException` "<key ARN> is pending deletion." — AWS's answer for an operation a
/// key pending deletion cannot take (as reported from real KMS, e.g. in
/// hashicorp/terraform-provider-aws#17889).
pub(crate) fn pending_deletion(arn: &str) -> AwsError {
    AwsError::new(
        "KMSInvalidStateException",
        format!("{arn} is pending deletion."),
    )
}

/// `DisabledException` "<key ARN> is disabled." — a disabled key used where an enabled one is
/// needed (CreateGrant).
pub(crate) fn disabled(arn: &str) -> AwsError {
    AwsError::new("DisabledException", format!("{arn} is disabled."))
}

/// The shortest and longest waiting period before deletion, and the default, in days
/// (botocore's ScheduleKeyDeletion documentation: "between 7 and 30, inclusive … defaults to 30").
const WINDOW_DAYS: (i64, i64, i64) = (7, 30, 30);

const DAY: u64 = 86_400;

request! {
    /// Input of KMS `EnableKey`, `DisableKey` and `CancelKeyDeletion`.
    pub struct KeyIdInput {
        /// The key: its id, key ARN, alias name or alias ARN (the caller's own keys only).
        pub key_id: String,
    }
}

request! {
    /// Input of KMS `ScheduleKeyDeletion`.
    pub struct ScheduleKeyDeletionInput {
        /// The key: its id, key ARN, alias name or alias ARN (the caller's own keys only).
        pub key_id: String,
        /// `PendingWindowInDays`: 7–30 days before deletion; 30 when absent.
        pub pending_window_in_days: Option<i64>,
    }
}

/// KMS `ScheduleKeyDeletion`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleKeyDeletionOutput {
    /// The key ARN.
    pub key_id: String,
    /// When the key will be deleted, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub deletion_date: String,
    /// `PendingDeletion`.
    pub key_state: String,
    /// The waiting period, in days.
    pub pending_window_in_days: i64,
}

/// KMS `CancelKeyDeletion`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CancelKeyDeletionOutput {
    /// The key ARN.
    pub key_id: String,
}

impl Cloud {
    /// Sets a customer key's state after the checks every state operation shares: the caller's
    /// own key (`NotFoundException`), a policy allowing `action` (`AccessDeniedException`,
    /// always for AWS-managed keys, whose policy allows no such action), and `change`'s verdict
    /// on the current state.
    fn change_key_state(
        &mut self,
        caller: &Caller,
        reference: &str,
        action: &str,
        change: impl FnOnce(&str, KeyState) -> AwsResult<(KeyState, Option<u64>)>,
    ) -> AwsResult<(String, KeyState, Option<u64>)> {
        let key = self.kms_key(caller, reference, action, false)?;
        let arn = key.arn();
        let (state, deletion_date) = change(&arn, key.state)?;
        if let Some(k) = self.kms_key_mut(&key.id) {
            k.state = state;
            k.deletion_date = deletion_date;
        }
        Ok((key.id, state, deletion_date))
    }

    /// KMS `EnableKey`: a `Disabled` key becomes `Enabled` (an enabled one stays so). Answers `{}`.
    ///
    /// Errors: `NotFoundException`; `AccessDeniedException` (an AWS-managed key, or a policy that
    /// does not allow `kms:EnableKey`); `KMSInvalidStateException` for a key pending deletion.
    pub fn kms_enable_key(
        &mut self,
        caller: &Caller,
        input: KeyIdInput,
    ) -> AwsResult<crate::ec2::Empty> {
        self.change_key_state(
            caller,
            &input.key_id,
            "kms:EnableKey",
            |arn, state| match state {
                KeyState::PendingDeletion => Err(pending_deletion(arn)),
                _ => Ok((KeyState::Enabled, None)),
            },
        )?;
        Ok(crate::ec2::Empty {})
    }

    /// KMS `DisableKey`: an `Enabled` key becomes `Disabled` (a disabled one stays so). EBS can no
    /// longer use it: new volumes, copies and launches that need it fail; instances already
    /// running are not affected. Answers `{}`.
    ///
    /// Errors: `NotFoundException`; `AccessDeniedException` (an AWS-managed key, or a policy that
    /// does not allow `kms:DisableKey`); `KMSInvalidStateException` for a key pending deletion.
    pub fn kms_disable_key(
        &mut self,
        caller: &Caller,
        input: KeyIdInput,
    ) -> AwsResult<crate::ec2::Empty> {
        self.change_key_state(
            caller,
            &input.key_id,
            "kms:DisableKey",
            |arn, state| match state {
                KeyState::PendingDeletion => Err(pending_deletion(arn)),
                _ => Ok((KeyState::Disabled, None)),
            },
        )?;
        Ok(crate::ec2::Empty {})
    }

    /// KMS `ScheduleKeyDeletion`: the key becomes `PendingDeletion` and is deleted (with its
    /// aliases and grants) `pending_window_in_days` days later unless the deletion is cancelled.
    ///
    /// Errors: `ValidationException` for a window outside 7–30 days; `NotFoundException`;
    /// `AccessDeniedException` (an AWS-managed key, or a policy that does not allow
    /// `kms:ScheduleKeyDeletion`); `KMSInvalidStateException` for a key already pending deletion.
    pub fn kms_schedule_key_deletion(
        &mut self,
        caller: &Caller,
        input: ScheduleKeyDeletionInput,
    ) -> AwsResult<ScheduleKeyDeletionOutput> {
        let (min, max, default) = WINDOW_DAYS;
        let days = input.pending_window_in_days.unwrap_or(default);
        if !(min..=max).contains(&days) {
            return Err(AwsError::new(
                "ValidationException",
                format!(
                    "PendingWindowInDays must be between {min} and {max} inclusive; {days} is not."
                ),
            ));
        }
        let at = self.now().saturating_add(days as u64 * DAY);
        let (id, state, _) = self.change_key_state(
            caller,
            &input.key_id,
            "kms:ScheduleKeyDeletion",
            |arn, state| match state {
                KeyState::PendingDeletion => Err(pending_deletion(arn)),
                _ => Ok((KeyState::PendingDeletion, Some(at))),
            },
        )?;
        self.schedule.at(
            at,
            Event::KmsKeyDeleted {
                key_id: id.clone(),
                at,
            },
        );
        let arn = self.kms.keys[&id].arn();
        Ok(ScheduleKeyDeletionOutput {
            key_id: arn,
            deletion_date: iso8601(at),
            key_state: state.as_str().into(),
            pending_window_in_days: days,
        })
    }

    /// KMS `CancelKeyDeletion`: a key pending deletion becomes `Disabled` (enable it to use it
    /// again) and keeps its aliases and grants.
    ///
    /// Errors: `NotFoundException`; `AccessDeniedException` (an AWS-managed key, or a policy that
    /// does not allow `kms:CancelKeyDeletion`); `KMSInvalidStateException` for a key that is not
    /// pending deletion.
    pub fn kms_cancel_key_deletion(
        &mut self,
        caller: &Caller,
        input: KeyIdInput,
    ) -> AwsResult<CancelKeyDeletionOutput> {
        let (id, _, _) = self.change_key_state(
            caller,
            &input.key_id,
            "kms:CancelKeyDeletion",
            |arn, state| match state {
                KeyState::PendingDeletion => Ok((KeyState::Disabled, None)),
                _ => Err(AwsError::new(
                    "KMSInvalidStateException",
                    format!("{arn} is not pending deletion."),
                )),
            },
        )?;
        Ok(CancelKeyDeletionOutput {
            key_id: self.kms.keys[&id].arn(),
        })
    }

    /// The scheduled deletion of a key falls due: the key, its aliases and its grants are gone —
    /// unless the deletion was cancelled (or rescheduled) meanwhile.
    pub(crate) fn finish_key_deletion(&mut self, key_id: &str, at: u64) {
        let due =
            self.kms.keys.get(key_id).is_some_and(|k| {
                k.state == KeyState::PendingDeletion && k.deletion_date == Some(at)
            });
        if due {
            self.kms.keys.remove(key_id);
            self.kms.aliases.retain(|_, target| target != key_id);
            self.kms.grants.remove(key_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn cloud_with_key() -> (Cloud, Caller, String) {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let out = cloud.call(&me, "kms", "create_key", json!({})).unwrap();
        let id = out["key_metadata"]["key_id"].as_str().unwrap().to_string();
        (cloud, me, id)
    }

    fn state(cloud: &mut Cloud, me: &Caller, id: &str) -> Value {
        cloud
            .call(me, "kms", "describe_key", json!({"key_id": id}))
            .unwrap()["key_metadata"]
            .clone()
    }

    fn code(r: Result<Value, crate::CallError>) -> String {
        match r {
            Err(crate::CallError::Aws(e)) => e.code,
            other => panic!("expected an AWS error, got {other:?}"),
        }
    }

    #[test]
    fn disable_enable_schedule_cancel_and_delete() {
        let (mut cloud, me, id) = cloud_with_key();
        let k = json!({"key_id": id});
        cloud.call(&me, "kms", "disable_key", k.clone()).unwrap();
        cloud.call(&me, "kms", "disable_key", k.clone()).unwrap(); // idempotent
        let m = state(&mut cloud, &me, &id);
        assert_eq!(
            (m["key_state"].as_str(), m["enabled"].as_bool()),
            (Some("Disabled"), Some(false))
        );
        cloud.call(&me, "kms", "enable_key", k.clone()).unwrap();
        assert_eq!(state(&mut cloud, &me, &id)["key_state"], "Enabled");

        let s = cloud
            .call(
                &me,
                "kms",
                "schedule_key_deletion",
                json!({"key_id": id, "pending_window_in_days": 7}),
            )
            .unwrap();
        assert_eq!(s["key_state"], "PendingDeletion");
        assert_eq!(s["pending_window_in_days"], 7);
        let m = state(&mut cloud, &me, &id);
        assert_eq!(m["deletion_date"], s["deletion_date"]);
        assert_eq!(
            code(cloud.call(&me, "kms", "enable_key", k.clone())),
            "KMSInvalidStateException"
        );
        assert_eq!(
            code(cloud.call(&me, "kms", "disable_key", k.clone())),
            "KMSInvalidStateException"
        );
        assert_eq!(
            code(cloud.call(&me, "kms", "schedule_key_deletion", k.clone())),
            "KMSInvalidStateException"
        );

        cloud
            .call(&me, "kms", "cancel_key_deletion", k.clone())
            .unwrap();
        let m = state(&mut cloud, &me, &id);
        assert_eq!(m["key_state"], "Disabled");
        assert!(m.get("deletion_date").is_none());
        assert_eq!(
            code(cloud.call(&me, "kms", "cancel_key_deletion", k.clone())),
            "KMSInvalidStateException"
        );
        // The cancelled deletion never happens.
        cloud.advance(8 * DAY);
        assert_eq!(state(&mut cloud, &me, &id)["key_state"], "Disabled");

        // Default window: 30 days, then the key is gone.
        cloud
            .call(&me, "kms", "schedule_key_deletion", k.clone())
            .unwrap();
        cloud.advance(30 * DAY - 1);
        assert_eq!(state(&mut cloud, &me, &id)["key_state"], "PendingDeletion");
        cloud.advance(1);
        assert_eq!(
            code(cloud.call(&me, "kms", "describe_key", k)),
            "NotFoundException"
        );
    }

    #[test]
    fn windows_outside_seven_to_thirty_days_are_refused() {
        let (mut cloud, me, id) = cloud_with_key();
        for days in [0, 6, 31, 365] {
            let r = cloud.call(
                &me,
                "kms",
                "schedule_key_deletion",
                json!({"key_id": id, "pending_window_in_days": days}),
            );
            assert_eq!(code(r), "ValidationException", "{days}");
        }
        assert_eq!(state(&mut cloud, &me, &id)["key_state"], "Enabled");
    }

    #[test]
    fn the_aws_managed_key_cannot_be_disabled_or_deleted() {
        let (mut cloud, me, _) = cloud_with_key();
        let k = json!({"key_id": "alias/aws/ebs"});
        for op in [
            "disable_key",
            "enable_key",
            "schedule_key_deletion",
            "cancel_key_deletion",
        ] {
            assert_eq!(
                code(cloud.call(&me, "kms", op, k.clone())),
                "AccessDeniedException",
                "{op}"
            );
        }
        assert_eq!(
            code(cloud.call(&me, "kms", "disable_key", json!({"key_id": "nope"}))),
            "NotFoundException"
        );
    }
}

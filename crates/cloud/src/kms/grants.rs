//! Grants: `CreateGrant`, `ListGrants` and `RevokeGrant` — the other way, besides the key policy,
//! to let a principal (here: another account) use a key (AWS KMS Developer Guide, "Grants in AWS
//! KMS").
//!
//! A grant names a grantee principal and the operations it allows (`Decrypt`, `CreateGrant`, …).
//! It counts for account `X` when its grantee is `arn:aws:iam::X:root` or `X` (every call here
//! acts as an account's root; grants to IAM users or roles of `X` do not count for the account).
//! A key policy's explicit `Deny` still wins over a grant. Grant constraints, grant tokens,
//! retiring grants and service principals are not simulated.

use serde::Serialize;

use super::key_state::{disabled, pending_deletion, KeyState};
use super::Kms;
use crate::clock::iso8601;
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};

/// One grant on a key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Grant {
    /// 64 lowercase hex digits, seeded.
    pub id: String,
    /// The opaque token CreateGrant answered with.
    pub token: String,
    pub name: Option<String>,
    pub grantee: String,
    pub retiring: Option<String>,
    /// The operations, as given (`Decrypt`, `CreateGrant`, …).
    pub operations: Vec<String>,
    /// The account that created it.
    pub issuing_account: String,
    pub created: u64,
    /// Creation order on its key, for paging.
    pub seq: u64,
}

/// The operations a grant may allow (botocore's `GrantOperation` enum).
pub(crate) const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
];

/// Grants one key may hold (a simulation bound; AWS's quota is 50,000).
const MAX_GRANTS_PER_KEY: usize = 100;

impl Kms {
    /// True when a grant on key `key_id` lets `account` do `action` (`kms:Decrypt` → the grant
    /// operation `Decrypt`).
    pub(crate) fn granted(&self, key_id: &str, account: &str, action: &str) -> bool {
        let Some(op) = action.strip_prefix("kms:") else {
            return false;
        };
        let root = format!("arn:aws:iam::{account}:root");
        self.grants.get(key_id).is_some_and(|grants| {
            grants.iter().any(|g| {
                (g.grantee == root || g.grantee == account) && g.operations.iter().any(|o| o == op)
            })
        })
    }
}

request! {
    /// Input of KMS `CreateGrant`.
    pub struct CreateGrantInput {
        ..not_simulated["constraints", "grant_tokens", "dry_run", "grantee_service_principal", "retiring_service_principal"],
        /// The key: the caller's own (id, ARN, alias), or another account's by key ARN.
        pub key_id: String,
        /// `GranteePrincipal`: who the grant is for, such as `arn:aws:iam::444455556666:root`.
        pub grantee_principal: Option<String>,
        /// `RetiringPrincipal`: who may retire it (recorded).
        pub retiring_principal: Option<String>,
        /// The operations the grant allows (`Decrypt`, `CreateGrant`, `DescribeKey`, …).
        pub operations: Vec<String>,
        /// A name; a second CreateGrant with the same name and the same parameters answers the
        /// existing grant instead of making another.
        pub name: Option<String>,
    }
}

/// KMS `CreateGrant`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateGrantOutput {
    /// The grant token (opaque).
    pub grant_token: String,
    /// The grant id: 64 hex digits.
    pub grant_id: String,
}

request! {
    /// Input of KMS `ListGrants`.
    pub struct ListGrantsInput {
        ..not_simulated["grantee_service_principal"],
        /// `Limit`: at most this many grants in the page, 1–1000 accepted, at most 100 served; 50
        /// when absent.
        pub limit: Option<i64>,
        /// `Marker`: the `next_marker` of the previous page, to get the page after it.
        pub marker: Option<String>,
        /// The key: the caller's own (id, ARN, alias), or another account's by key ARN.
        pub key_id: String,
        /// Only this grant.
        pub grant_id: Option<String>,
        /// Only grants to this principal.
        pub grantee_principal: Option<String>,
    }
}

/// One grant in `ListGrants`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrantListEntry {
    /// The key ARN.
    pub key_id: String,
    /// The grant id.
    pub grant_id: String,
    /// Its name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it was created, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub creation_date: String,
    /// Who it is for.
    pub grantee_principal: String,
    /// Who may retire it, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retiring_principal: Option<String>,
    /// The account that created it: `arn:aws:iam::<account>:root`.
    pub issuing_account: String,
    /// The operations it allows.
    pub operations: Vec<String>,
}

/// KMS `ListGrants`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListGrantsOutput {
    /// The key's grants in creation order.
    pub grants: Vec<GrantListEntry>,
    /// The marker of the next page; present exactly when `truncated` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// True when more grants follow this page.
    pub truncated: bool,
}

request! {
    /// Input of KMS `RevokeGrant`.
    pub struct RevokeGrantInput {
        ..not_simulated["dry_run"],
        /// The key: the caller's own (id, ARN, alias), or another account's by key ARN.
        pub key_id: String,
        /// The grant to delete.
        pub grant_id: String,
    }
}

fn validation(message: String) -> AwsError {
    AwsError::new(
        "ValidationException",
        format!("1 validation error detected: {message}"),
    )
}

/// `PrincipalIdType`'s pattern: `^[\w+=,.@:/-]+$`, 1–256 characters.
fn check_principal(member: &str, value: &str) -> AwsResult<()> {
    let ok = !value.is_empty()
        && value.len() <= 256
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
    if ok {
        return Ok(());
    }
    Err(validation(format!(
        "Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$"
    )))
}

/// A grant id is 64 hex digits; anything else is not one.
fn invalid_grant_id(id: &str) -> AwsError {
    AwsError::new("InvalidGrantIdException", format!("Invalid grant ID: {id}"))
}

fn is_grant_id(id: &str) -> bool {
    id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit())
}

impl Cloud {
    /// KMS `CreateGrant`: lets `grantee_principal` do `operations` with the key — for EBS, the
    /// way to let another account launch images encrypted with it ([`crate::kms::access`]).
    /// Answers `{grant_token, grant_id}`.
    ///
    /// Errors: `ValidationException` without `grantee_principal`, for a principal or name outside
    /// the model's pattern, for no operations or an operation outside botocore's enum;
    /// `NotFoundException` for a key the caller cannot name; `AccessDeniedException` when neither
    /// the key policy nor a grant allows the caller `kms:CreateGrant`; `DisabledException` for a
    /// disabled key; `KMSInvalidStateException` for a key pending deletion;
    /// `LimitExceededException` past 100 grants on the key (a simulation bound).
    pub fn kms_create_grant(
        &mut self,
        caller: &Caller,
        input: CreateGrantInput,
    ) -> AwsResult<CreateGrantOutput> {
        let grantee = input.grantee_principal.clone().ok_or_else(|| {
            AwsError::new(
                "ValidationException",
                "Either GranteePrincipal or GranteeServicePrincipal must be specified.",
            )
        })?;
        check_principal("granteePrincipal", &grantee)?;
        if let Some(r) = &input.retiring_principal {
            check_principal("retiringPrincipal", r)?;
        }
        if let Some(name) = &input.name {
            let ok = !name.is_empty()
                && name.len() <= 256
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":/_-".contains(c));
            if !ok {
                return Err(validation(format!("Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")));
            }
        }
        if input.operations.is_empty() {
            return Err(validation(
                "Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
            ));
        }
        if input
            .operations
            .iter()
            .any(|o| !GRANT_OPERATIONS.contains(&o.as_str()))
        {
            return Err(validation(format!(
                "Value '[{}]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
                input.operations.join(", "),
                GRANT_OPERATIONS.join(", ")
            )));
        }
        let key = self.kms_key(caller, &input.key_id, "kms:CreateGrant", true)?;
        match key.state {
            KeyState::Enabled => {}
            KeyState::Disabled => return Err(disabled(&key.arn())),
            KeyState::PendingDeletion => return Err(pending_deletion(&key.arn())),
        }
        let grants = self
            .kms
            .grants
            .get(&key.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let Some(same) = grants.iter().find(|g| {
            input.name.is_some()
                && g.name == input.name
                && g.grantee == grantee
                && g.retiring == input.retiring_principal
                && g.operations == input.operations
        }) {
            return Ok(CreateGrantOutput {
                grant_token: same.token.clone(),
                grant_id: same.id.clone(),
            });
        }
        if grants.len() >= MAX_GRANTS_PER_KEY {
            return Err(AwsError::new(
                "LimitExceededException",
                format!("The key {} already has {MAX_GRANTS_PER_KEY} grants, the most this simulation allows.", key.arn()),
            ));
        }
        let seq = grants.last().map_or(1, |g| g.seq + 1);
        let id = format!("{}{}", self.ids.uuid(), self.ids.uuid()).replace('-', "");
        let token = format!("AQpA{}", self.ids.uuid().replace('-', ""));
        let grant = Grant {
            id: id.clone(),
            token: token.clone(),
            name: input.name,
            grantee,
            retiring: input.retiring_principal,
            operations: input.operations,
            issuing_account: caller.account.clone(),
            created: self.now(),
            seq,
        };
        self.kms.grants.entry(key.id).or_default().push(grant);
        Ok(CreateGrantOutput {
            grant_token: token,
            grant_id: id,
        })
    }

    /// KMS `ListGrants`: a key's grants in creation order, optionally only one grant or one
    /// grantee's. Pages: `limit` 1–1000 accepted, at most 100 grants per page, 50 without it
    /// (`paging::LIST_GRANTS`).
    ///
    /// Errors: `ValidationException` for a limit above 1000; `InvalidMarkerException` for a
    /// marker this call did not make for the caller; `InvalidGrantIdException` for a `grant_id`
    /// that is not 64 hex digits; `NotFoundException`; `AccessDeniedException` when the key policy
    /// does not allow the caller `kms:ListGrants`.
    pub fn kms_list_grants(
        &mut self,
        caller: &Caller,
        input: ListGrantsInput,
    ) -> AwsResult<ListGrantsOutput> {
        let pager = Pager::new(
            &paging::LIST_GRANTS,
            caller,
            input.limit,
            input.marker.as_deref(),
            false,
        )?;
        if let Some(id) = input.grant_id.as_deref().filter(|id| !is_grant_id(id)) {
            return Err(invalid_grant_id(id));
        }
        let key = self.kms_key(caller, &input.key_id, "kms:ListGrants", true)?;
        let arn = key.arn();
        let grants: Vec<&Grant> = self
            .kms
            .grants
            .get(&key.id)
            .map(|g| g.iter().collect())
            .unwrap_or_default();
        let wanted: Vec<&Grant> = grants
            .into_iter()
            .filter(|g| input.grant_id.as_ref().is_none_or(|id| *id == g.id))
            .filter(|g| {
                input
                    .grantee_principal
                    .as_ref()
                    .is_none_or(|p| *p == g.grantee)
            })
            .collect();
        let (page, next_marker) = pager.page(wanted, |g| format!("{:020}", g.seq));
        Ok(ListGrantsOutput {
            grants: page
                .into_iter()
                .map(|g| GrantListEntry {
                    key_id: arn.clone(),
                    grant_id: g.id.clone(),
                    name: g.name.clone(),
                    creation_date: iso8601(g.created),
                    grantee_principal: g.grantee.clone(),
                    retiring_principal: g.retiring.clone(),
                    issuing_account: format!("arn:aws:iam::{}:root", g.issuing_account),
                    operations: g.operations.clone(),
                })
                .collect(),
            truncated: next_marker.is_some(),
            next_marker,
        })
    }

    /// KMS `RevokeGrant`: deletes a grant; what it allowed is no longer allowed (instances
    /// already running keep running). Answers `{}`.
    ///
    /// Errors: `InvalidGrantIdException` for a grant id that is not 64 hex digits;
    /// `NotFoundException` for an unknown key, or a grant the key does not have;
    /// `AccessDeniedException` when the key policy does not allow the caller `kms:RevokeGrant`.
    pub fn kms_revoke_grant(
        &mut self,
        caller: &Caller,
        input: RevokeGrantInput,
    ) -> AwsResult<crate::ec2::Empty> {
        if !is_grant_id(&input.grant_id) {
            return Err(invalid_grant_id(&input.grant_id));
        }
        let key = self.kms_key(caller, &input.key_id, "kms:RevokeGrant", true)?;
        let grants = self
            .kms
            .grants
            .get(&key.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let Some(index) = grants.iter().position(|g| g.id == input.grant_id) else {
            return Err(AwsError::new(
                "NotFoundException",
                format!("Grant ID {} not found", input.grant_id),
            ));
        };
        if let Some(grants) = self.kms.grants.get_mut(&key.id) {
            grants.remove(index);
            if grants.is_empty() {
                self.kms.grants.remove(&key.id);
            }
        }
        Ok(crate::ec2::Empty {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const MATE: &str = "444455556666";

    fn setup() -> (Cloud, Caller, String) {
        let mut cloud = Cloud::default();
        let me = Caller::new(crate::DEFAULT_ACCOUNT, "us-east-1");
        let out = cloud.call(&me, "kms", "create_key", json!({})).unwrap();
        (
            cloud,
            me,
            out["key_metadata"]["arn"].as_str().unwrap().to_string(),
        )
    }

    fn code(r: Result<Value, crate::CallError>) -> String {
        match r {
            Err(crate::CallError::Aws(e)) => e.code,
            other => panic!("expected an AWS error, got {other:?}"),
        }
    }

    fn grant(
        cloud: &mut Cloud,
        who: &Caller,
        key: &str,
        grantee: &str,
        name: Option<&str>,
    ) -> Result<Value, crate::CallError> {
        let mut req =
            json!({"key_id": key, "grantee_principal": grantee, "operations": ["Decrypt"]});
        if let Some(n) = name {
            req["name"] = json!(n);
        }
        cloud.call(who, "kms", "create_grant", req)
    }

    #[test]
    fn a_named_grant_is_made_once_and_grants_page_in_creation_order() {
        let (mut cloud, me, key) = setup();
        let a = grant(&mut cloud, &me, &key, MATE, Some("launch")).unwrap();
        let again = grant(&mut cloud, &me, &key, MATE, Some("launch")).unwrap();
        assert_eq!(a, again);
        let b = grant(
            &mut cloud,
            &me,
            &key,
            "arn:aws:iam::111122223333:root",
            None,
        )
        .unwrap();
        assert_ne!(a["grant_id"], b["grant_id"]);
        let page = cloud
            .call(
                &me,
                "kms",
                "list_grants",
                json!({"key_id": key, "limit": 1}),
            )
            .unwrap();
        assert_eq!(page["grants"][0]["grant_id"], a["grant_id"]);
        assert_eq!(page["truncated"], true);
        let next = cloud
            .call(
                &me,
                "kms",
                "list_grants",
                json!({"key_id": key, "limit": 1, "marker": page["next_marker"]}),
            )
            .unwrap();
        assert_eq!(next["grants"][0]["grant_id"], b["grant_id"]);
        assert_eq!(next["truncated"], false);
        let only = cloud
            .call(
                &me,
                "kms",
                "list_grants",
                json!({"key_id": key, "grantee_principal": MATE}),
            )
            .unwrap();
        assert_eq!(only["grants"].as_array().unwrap().len(), 1);
        let one = cloud
            .call(
                &me,
                "kms",
                "list_grants",
                json!({"key_id": key, "grant_id": b["grant_id"]}),
            )
            .unwrap();
        assert_eq!(
            one["grants"][0]["grantee_principal"],
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(one["grants"][0]["key_id"], json!(key));
    }

    #[test]
    fn another_account_needs_the_policy_or_a_grant_to_create_grants() {
        let (mut cloud, me, key) = setup();
        let mate = Caller::new(MATE, "us-east-1");
        assert_eq!(
            code(grant(&mut cloud, &mate, &key, MATE, None)),
            "AccessDeniedException"
        );
        assert_eq!(
            code(cloud.call(&mate, "kms", "list_grants", json!({"key_id": key}))),
            "AccessDeniedException"
        );
        // By key id, another account's key cannot even be named.
        let id = key.rsplit('/').next().unwrap();
        assert_eq!(
            code(grant(&mut cloud, &mate, id, MATE, None)),
            "NotFoundException"
        );
        cloud
            .call(
                &me,
                "kms",
                "create_grant",
                json!({"key_id": key, "grantee_principal": MATE, "operations": ["CreateGrant"]}),
            )
            .unwrap();
        grant(
            &mut cloud,
            &mate,
            &key,
            "arn:aws:iam::999999999999:root",
            None,
        )
        .unwrap();
    }

    #[test]
    fn a_key_pending_deletion_takes_no_grant_and_a_key_holds_at_most_100() {
        let (mut cloud, me, key) = setup();
        for _ in 0..MAX_GRANTS_PER_KEY {
            grant(&mut cloud, &me, &key, MATE, None).unwrap();
        }
        assert_eq!(
            code(grant(&mut cloud, &me, &key, MATE, None)),
            "LimitExceededException"
        );
        cloud
            .call(&me, "kms", "schedule_key_deletion", json!({"key_id": key}))
            .unwrap();
        assert_eq!(
            code(grant(&mut cloud, &me, &key, MATE, None)),
            "KMSInvalidStateException"
        );
        // Deleting the key deletes its grants.
        cloud.advance(30 * 86_400);
        assert!(cloud.kms.grants.is_empty());
    }

    #[test]
    fn principals_and_names_outside_the_models_patterns_are_refused() {
        let (mut cloud, me, key) = setup();
        assert_eq!(
            code(grant(&mut cloud, &me, &key, "not a principal", None)),
            "ValidationException"
        );
        assert_eq!(
            code(grant(&mut cloud, &me, &key, MATE, Some("bad name"))),
            "ValidationException"
        );
        let r = cloud.call(
            &me,
            "kms",
            "create_grant",
            json!({"key_id": key, "grantee_principal": MATE, "operations": []}),
        );
        assert_eq!(code(r), "ValidationException");
        let r = cloud.call(&me, "kms", "create_grant", json!({"key_id": key, "grantee_principal": MATE, "retiring_principal": "a b", "operations": ["Decrypt"]}));
        assert_eq!(code(r), "ValidationException");
        assert!(cloud.kms.grants.is_empty());
    }
}

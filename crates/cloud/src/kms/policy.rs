//! Key policies: checking a policy document and deciding what it lets an account do.
//!
//! # What is evaluated
//!
//! A deliberately small, documented subset of the IAM policy language, enough for the course's
//! lessons (AWS KMS Developer Guide, "Key policies in AWS KMS" and "Allowing users in other
//! accounts to use a KMS key"):
//!
//! - The document must be a JSON object with a `Statement` that is an object or a list of objects
//!   (otherwise `MalformedPolicyDocumentException`).
//! - A statement takes part only when its `Effect` is `Allow` or `Deny`, its `Principal` names
//!   the account (see below), its `Action` covers the action, and its `Resource` is absent, `"*"`,
//!   the key's ARN, or a list holding one of those.
//! - `Principal` matches account `X` when it is `"*"`, or `{"AWS": …}` whose value (a string or a
//!   list of strings) holds `"*"`, `"X"` or `"arn:aws:iam::X:root"`. Other principals (IAM users,
//!   roles, `Service` principals) never match: every call here acts as an account's root.
//! - `Action` is a string or a list of strings, each a pattern matched case-insensitively against
//!   the action (`kms:Decrypt`) with `*` (any run of characters) and `?` (one character):
//!   `kms:*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `*`.
//! - A statement with `Condition`, `NotPrincipal`, `NotAction` or `NotResource` is **not
//!   evaluated**: it neither allows nor denies anything. (Conditions such as `kms:ViaService`
//!   cannot be judged without the service context; leaving them out errs towards refusing.)
//! - An applicable `Deny` wins over any `Allow`; without an applicable `Allow` the action is
//!   refused (an implicit deny).

use serde_json::{json, Value};

use crate::error::{AwsError, AwsResult};

/// The one policy name KMS supports (`GetKeyPolicy` / `PutKeyPolicy`'s `PolicyName`).
pub(crate) const POLICY_NAME: &str = "default";

/// The policy KMS gives a key created without one (AWS KMS Developer Guide, "Default key
/// policy"): the account's root principal may do everything (`kms:*`), which lets the account
/// delegate through IAM.
pub(crate) fn default_policy(account: &str) -> String {
    pretty(&json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*"
        }]
    }))
}

/// The policy of an account's AWS-managed `aws/ebs` key: use through EC2 for the account's
/// principals (a `Condition` on `kms:CallerAccount` and `kms:ViaService`), and read-only access to
/// the key's metadata for the account's root. Nothing lets anyone change, disable or delete it.
pub(crate) fn managed_ebs_policy(account: &str, region: &str) -> String {
    pretty(&json!({
        "Version": "2012-10-17",
        "Id": "auto-ebs-2",
        "Statement": [
            {
                "Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {
                    "kms:CallerAccount": account,
                    "kms:ViaService": format!("ec2.{region}.amazonaws.com")
                }}
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
                "Resource": "*"
            }
        ]
    }))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn malformed(message: &str) -> AwsError {
    AwsError::new("MalformedPolicyDocumentException", message)
}

/// Checks a key policy document and returns it parsed.
///
/// Errors: `MalformedPolicyDocumentException` when the text is not a JSON object, or has no
/// `Statement` that is an object or a non-empty list of objects, or a statement's `Effect` is
/// neither `Allow` nor `Deny`.
pub fn parse(text: &str) -> AwsResult<Value> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|_| malformed("The policy document is not valid JSON."))?;
    if !doc.is_object() {
        return Err(malformed("The policy document must be a JSON object."));
    }
    let statements = statements(&doc);
    if statements.is_empty() {
        return Err(malformed(
            "The policy document must contain a Statement: an object or a list of objects.",
        ));
    }
    for s in statements {
        if !matches!(
            s.get("Effect").and_then(Value::as_str),
            Some("Allow" | "Deny")
        ) {
            return Err(malformed(
                "Every statement needs an Effect of \"Allow\" or \"Deny\".",
            ));
        }
    }
    Ok(doc)
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Object(_)) => vec![&doc["Statement"]],
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// A string or a list of strings, as IAM writes single values and lists alike.
fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn principal_matches(principal: Option<&Value>, account: &str) -> bool {
    let root = format!("arn:aws:iam::{account}:root");
    let names = match principal {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Object(map)) => strings(map.get("AWS")),
        _ => Vec::new(),
    };
    names
        .iter()
        .any(|n| *n == "*" || *n == account || *n == root)
}

/// `*` and `?` wildcards, ASCII case-insensitive (IAM action names ignore case).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn resource_matches(resource: Option<&Value>, key_arn: &str) -> bool {
    resource.is_none() || strings(resource).iter().any(|r| *r == "*" || *r == key_arn)
}

/// What a policy says about one account doing one action on one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// An applicable `Allow` and no applicable `Deny`.
    Allow,
    /// An applicable `Deny`.
    Deny,
    /// No applicable statement: an implicit deny (a grant may still allow it).
    NotMentioned,
}

/// Evaluates a parsed policy for `account` doing `action` (`kms:Decrypt`) on the key `key_arn`,
/// as the module documentation describes.
pub fn decide(policy: &Value, account: &str, action: &str, key_arn: &str) -> Decision {
    let mut allowed = false;
    for s in statements(policy) {
        let unevaluated = ["Condition", "NotPrincipal", "NotAction", "NotResource"];
        if unevaluated.iter().any(|k| s.get(*k).is_some()) {
            continue;
        }
        let applies = principal_matches(s.get("Principal"), account)
            && strings(s.get("Action")).iter().any(|a| glob(a, action))
            && resource_matches(s.get("Resource"), key_arn);
        if !applies {
            continue;
        }
        match s.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Decision::Deny,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::NotMentioned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";

    fn doc(statements: Value) -> Value {
        parse(&json!({"Version": "2012-10-17", "Statement": statements}).to_string()).unwrap()
    }

    #[test]
    fn the_default_policy_gives_the_owner_everything_and_nobody_else_anything() {
        let p = parse(&default_policy("111122223333")).unwrap();
        assert_eq!(
            decide(&p, "111122223333", "kms:Decrypt", KEY),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, "111122223333", "kms:PutKeyPolicy", KEY),
            Decision::Allow
        );
        assert_eq!(
            decide(&p, "444455556666", "kms:Decrypt", KEY),
            Decision::NotMentioned
        );
    }

    #[test]
    fn principals_match_by_star_account_id_or_root_arn_in_strings_and_lists() {
        let action = json!("kms:Decrypt");
        for principal in [
            json!("*"),
            json!({"AWS": "*"}),
            json!({"AWS": "444455556666"}),
            json!({"AWS": "arn:aws:iam::444455556666:root"}),
            json!({"AWS": ["arn:aws:iam::999999999999:root", "arn:aws:iam::444455556666:root"]}),
        ] {
            let p = doc(
                json!([{"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}]),
            );
            assert_eq!(
                decide(&p, "444455556666", "kms:Decrypt", KEY),
                Decision::Allow,
                "{principal}"
            );
        }
        for principal in [
            json!({"AWS": "arn:aws:iam::444455556666:role/admin"}),
            json!({"Service": "ec2.amazonaws.com"}),
            json!({"AWS": "arn:aws:iam::999999999999:root"}),
        ] {
            let p = doc(json!([{"Effect": "Allow", "Principal": principal, "Action": action}]));
            assert_eq!(
                decide(&p, "444455556666", "kms:Decrypt", KEY),
                Decision::NotMentioned,
                "{principal}"
            );
        }
    }

    #[test]
    fn actions_match_with_wildcards_in_any_case() {
        assert!(glob("kms:*", "kms:Decrypt"));
        assert!(glob("kms:ReEncrypt*", "kms:ReEncryptFrom"));
        assert!(glob("KMS:decrypt", "kms:Decrypt"));
        assert!(glob(
            "kms:GenerateDataKey*",
            "kms:GenerateDataKeyWithoutPlaintext"
        ));
        assert!(glob("kms:?ecrypt", "kms:Decrypt"));
        assert!(glob("*", "kms:Decrypt"));
        assert!(!glob("kms:Encrypt", "kms:Decrypt"));
        assert!(!glob("kms:Decrypt*", "kms:Decryp"));
        let p =
            doc(json!({"Effect": "Allow", "Principal": "*", "Action": ["kms:Encrypt", "kms:Re*"]}));
        assert_eq!(decide(&p, "1", "kms:ReEncryptTo", KEY), Decision::Allow);
        assert_eq!(decide(&p, "1", "kms:Decrypt", KEY), Decision::NotMentioned);
    }

    #[test]
    fn resources_other_than_star_or_the_key_do_not_apply() {
        let p = doc(
            json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"}]),
        );
        assert_eq!(decide(&p, "1", "kms:Decrypt", KEY), Decision::NotMentioned);
        let p = doc(
            json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": [KEY]}]),
        );
        assert_eq!(decide(&p, "1", "kms:Decrypt", KEY), Decision::Allow);
    }

    #[test]
    fn deny_wins_and_conditional_statements_are_not_evaluated() {
        let p = doc(json!([
            {"Effect": "Allow", "Principal": "*", "Action": "kms:*"},
            {"Effect": "Deny", "Principal": {"AWS": "444455556666"}, "Action": "kms:Decrypt"}
        ]));
        assert_eq!(
            decide(&p, "444455556666", "kms:Decrypt", KEY),
            Decision::Deny
        );
        assert_eq!(
            decide(&p, "444455556666", "kms:Encrypt", KEY),
            Decision::Allow
        );
        let p = doc(
            json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "444455556666"}}}]),
        );
        assert_eq!(
            decide(&p, "444455556666", "kms:Decrypt", KEY),
            Decision::NotMentioned
        );
        // The managed key's policy: nobody may change or disable it, the owner may read it.
        let m = parse(&managed_ebs_policy("111122223333", "us-east-1")).unwrap();
        assert_eq!(
            decide(&m, "111122223333", "kms:DisableKey", KEY),
            Decision::NotMentioned
        );
        assert_eq!(
            decide(&m, "111122223333", "kms:GetKeyPolicy", KEY),
            Decision::Allow
        );
    }

    #[test]
    fn malformed_documents_are_refused() {
        for text in [
            "not json",
            "[1]",
            "{}",
            r#"{"Statement": []}"#,
            r#"{"Statement": [1]}"#,
            r#"{"Statement": {"Effect": "Perhaps"}}"#,
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.code, "MalformedPolicyDocumentException", "{text}");
        }
        assert!(parse(r#"{"Statement": {"Effect": "Allow"}}"#).is_ok());
    }
}

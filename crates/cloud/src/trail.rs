//! The API trail: one CloudTrail-like record per call, for graders and for `amilab run --trail`.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

/// At most this many records are kept; later calls are counted but not recorded.
pub(crate) const MAX_RECORDS: usize = 50_000;

/// The longest string a record keeps of a parameter, in bytes: a longer one keeps its first
/// bytes (up to a character boundary) and a marker that gives its whole length. Without it, a
/// loop repeating one call with a 100 KB filter value filled gigabytes; honest parameters (ids,
/// names, descriptions of at most 255 characters, policies) fit.
pub const MAX_RECORDED_STRING: usize = 1024;

/// One call as the trail records it: CloudTrail's event record, reduced to what graders and `amilab
/// run --trail` read. Serialised with these snake_case keys; `error_code` is left out when the call
/// succeeded, `user_agent` when a script's client made it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TrailEvent {
    /// Position in the trail, from 1, in call order.
    pub seq: u64,
    /// Simulated time of the call, ISO-8601.
    pub time: String,
    /// The 12-digit account the call acted as.
    pub account: String,
    /// The region the call was made in (`us-east-1`).
    pub region: String,
    /// The service's boto3 name (`ec2`, `kms`, `ssm`, `sts`).
    pub service: String,
    /// The API name (`CreateImage`).
    pub operation: String,
    /// The request as the script sent it (snake_case keys), with strings longer than
    /// [`MAX_RECORDED_STRING`] bytes cut (see [`recorded`]).
    pub parameters: Value,
    /// The AWS error code when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// CloudTrail's `userAgent`: [`crate::api::AWS_CLI_USER_AGENT`] for a call made through the
    /// AWS CLI front end; left out for a script's boto3-style client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// The API trail of a run: every call since [`crate::Cloud::begin_run`], including failed calls and
/// dry runs (`DryRunOperation`); calls that boto3's parameter validation refused are not recorded,
/// as they never reach AWS. At most 50,000 records are kept; later calls are counted in
/// [`Trail::dropped`] instead.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trail {
    /// Shared between clones of a cloud until one of them records a call.
    events: Arc<Vec<TrailEvent>>,
    dropped: u64,
}

impl Trail {
    /// Appends `event`, numbering it; past the record limit only counts it as dropped.
    pub(crate) fn record(&mut self, mut event: TrailEvent) {
        if self.events.len() >= MAX_RECORDS {
            self.dropped += 1;
            return;
        }
        event.seq = self.events.len() as u64 + 1;
        Arc::make_mut(&mut self.events).push(event);
    }

    /// Every record kept, in call order.
    pub fn events(&self) -> &[TrailEvent] {
        &self.events
    }

    /// How many calls were not recorded because the trail was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Records of one operation (`RunInstances`), in call order.
    pub fn by_operation<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a TrailEvent> {
        self.events.iter().filter(move |e| e.operation == operation)
    }
}

/// The copy of a request a record keeps: `params` with every string longer than
/// [`MAX_RECORDED_STRING`] bytes cut to its first bytes and `…[truncated: 131072 bytes in all]`.
pub fn recorded(params: &Value) -> Value {
    match params {
        Value::String(s) if s.len() > MAX_RECORDED_STRING => {
            let mut end = MAX_RECORDED_STRING;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Value::String(format!(
                "{}…[truncated: {} bytes in all]",
                &s[..end],
                s.len()
            ))
        }
        Value::Array(items) => Value::Array(items.iter().map(recorded).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), recorded(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_are_cut_at_a_character_boundary_and_say_their_length() {
        let long = format!("a{}", "é".repeat(1000)); // 2,001 bytes; byte 1024 is mid-character
        let params = serde_json::json!({
            "filters": [{"name": "name", "values": [long, "short"]}],
            "dry_run": true,
        });
        let kept = recorded(&params);
        let cut = kept["filters"][0]["values"][0].as_str().unwrap();
        assert!(cut.starts_with(&long[..1023]), "{cut}");
        assert!(cut.ends_with("…[truncated: 2001 bytes in all]"), "{cut}");
        assert_eq!(kept["filters"][0]["values"][1], "short");
        assert_eq!(kept["dry_run"], true);
        let exact = "x".repeat(MAX_RECORDED_STRING);
        assert_eq!(
            recorded(&Value::String(exact.clone())),
            Value::String(exact)
        );
    }

    fn event(op: &str) -> TrailEvent {
        TrailEvent {
            seq: 0,
            time: "t".into(),
            account: "123456789012".into(),
            region: "us-east-1".into(),
            service: "ec2".into(),
            operation: op.into(),
            parameters: Value::Null,
            error_code: None,
            user_agent: None,
        }
    }

    #[test]
    fn numbers_records_and_filters_by_operation() {
        let mut t = Trail::default();
        t.record(event("RunInstances"));
        t.record(event("CreateImage"));
        t.record(event("RunInstances"));
        assert_eq!(t.events()[2].seq, 3);
        assert_eq!(t.by_operation("RunInstances").count(), 2);
    }
}

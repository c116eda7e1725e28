//! A call that fails changes nothing, and a call that only reads never changes anything.
//!
//! At every step of the tour (every operation of the table, in a world where each call has what
//! it needs) the test tries failing variants of the step's request on a copy of the cloud — an id
//! that does not exist, a list with one bad entry after good ones, a reserved tag key, an invalid
//! name, a negative number — and compares the whole state (`Cloud::state_digest`: resources, the
//! id generator, the schedule, KMS and SSM; everything but the record of calls) before and after
//! each one that fails. Read-only operations are compared across their successful calls too.

mod tour;

use std::collections::BTreeMap;

use amilab_cloud::api::{operation, OPERATIONS};
use amilab_cloud::{Caller, Cloud};
use serde_json::{json, Value};

/// Well-formed ids that name nothing, by prefix.
const GHOSTS: &[(&str, &str)] = &[
    ("ami-", "ami-0fffffffffffffff0"),
    ("i-", "i-0fffffffffffffff0"),
    ("vol-", "vol-0fffffffffffffff0"),
    ("snap-", "snap-0fffffffffffffff0"),
    ("sg-", "sg-0fffffffffffffff0"),
    ("key-", "key-0fffffffffffffff0"),
    ("subnet-", "subnet-0fffffffffffffff0"),
    ("vpc-", "vpc-0fffffffffffffff0"),
    ("lt-", "lt-0fffffffffffffff0"),
];

fn ghost(id: &str) -> Option<&'static str> {
    GHOSTS
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix) && id.len() > prefix.len() + 7)
        .map(|(_, g)| *g)
}

/// Failing variants of a request, each with what it breaks.
fn variants(params: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    // Without each of its top-level members (a required one is then missing).
    if let Value::Object(map) = params {
        for key in map.keys() {
            let mut fewer = map.clone();
            fewer.remove(key);
            out.push((format!("without {key}"), Value::Object(fewer)));
        }
    }
    walk(params, &mut Vec::new(), &mut |path, value| {
        let at = |replacement: Value| set(params, path, replacement);
        let name = path.last().cloned().unwrap_or_default();
        match value {
            Value::String(s) => {
                if let Some(g) = ghost(s) {
                    out.push((format!("{} → unknown id", show(path)), at(json!(g))));
                }
                if name == "name"
                    || name == "key_name"
                    || name == "group_name"
                    || name == "alias_name"
                {
                    out.push((
                        format!("{} → invalid name", show(path)),
                        at(json!("bad*name?{}")),
                    ));
                }
                if name.ends_with("name") || name == "description" {
                    out.push((
                        format!("{} → too long", show(path)),
                        at(json!("n".repeat(9000))),
                    ));
                }
                if ["_state", "_type", "_usage", "_spec", "attribute"]
                    .iter()
                    .any(|e| name.ends_with(e))
                {
                    out.push((
                        format!("{} → not a value it takes", show(path)),
                        at(json!("nope")),
                    ));
                }
                if name == "availability_zone" || name == "availability_zone_id" {
                    out.push((
                        format!("{} → no such zone", show(path)),
                        at(json!("nowhere-1z")),
                    ));
                }
                if name == "public_key_material" {
                    out.push((
                        format!("{} → not a key", show(path)),
                        at(json!("not a key")),
                    ));
                }
                if name == "key" && path.iter().any(|p| p == "tags") {
                    out.push((
                        format!("{} → reserved tag key", show(path)),
                        at(json!("aws:reserved")),
                    ));
                }
            }
            Value::Array(items) => {
                // One bad entry after the good ones: the good ones must not be acted on.
                if let Some(Value::String(first)) = items.first() {
                    if let Some(g) = ghost(first) {
                        let mut longer = items.clone();
                        longer.push(json!(g));
                        out.push((
                            format!("{} + an unknown id", show(path)),
                            at(Value::Array(longer)),
                        ));
                    }
                }
                if name == "tags" {
                    let mut longer = items.clone();
                    longer.push(json!({"key": "aws:reserved", "value": "x"}));
                    out.push((
                        format!("{} + a reserved tag", show(path)),
                        at(Value::Array(longer)),
                    ));
                }
            }
            Value::Number(n) if n.as_i64().is_some_and(|n| n > 0) => {
                out.push((format!("{} → -1", show(path)), at(json!(-1))));
            }
            _ => {}
        }
    });
    out
}

fn show(path: &[String]) -> String {
    path.join(".")
}

/// Visits every value with its path (object keys and array indexes).
fn walk(value: &Value, path: &mut Vec<String>, visit: &mut impl FnMut(&[String], &Value)) {
    visit(path, value);
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                walk(v, path, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(v, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `params` with the value at `path` replaced.
fn set(params: &Value, path: &[String], replacement: Value) -> Value {
    let mut out = params.clone();
    let mut here = &mut out;
    for p in path {
        here = match here {
            Value::Object(map) => map.get_mut(p).expect("path from walk"),
            Value::Array(items) => &mut items[p.parse::<usize>().expect("index")],
            _ => unreachable!("walk only descends into containers"),
        };
    }
    *here = replacement;
    out
}

/// Where two digests first differ, with some context.
fn difference(before: &str, after: &str) -> String {
    let at = before
        .bytes()
        .zip(after.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    let window = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        // `at` counts bytes; the digests are ASCII but for names, so this is close enough to
        // show where they part.
        let start = at.saturating_sub(150).min(chars.len());
        let end = (at + 150).min(chars.len());
        chars[start..end].iter().collect::<String>()
    };
    format!(
        "  before: …{}…\n  after:  …{}…",
        window(before),
        window(after)
    )
}

#[test]
fn a_failed_call_changes_nothing_and_a_read_changes_nothing() {
    // operation → (failed variants compared, variants that happened to succeed)
    let mut tried: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut broken: Vec<String> = Vec::new();
    let mut reads = 0;
    let check = |cloud: &mut Cloud,
                 caller: &Caller,
                 service: &'static str,
                 method: &'static str,
                 params: &Value| {
        let op = operation(service, method).expect("tour calls table operations");
        let before = cloud.state_digest();
        for (what, variant) in variants(params) {
            let mut copy = cloud.clone();
            let entry = tried.entry(format!("{service}.{method}")).or_default();
            match copy.call(caller, service, method, variant.clone()) {
                Ok(_) => entry.1 += 1,
                Err(e) => {
                    entry.0 += 1;
                    let after = copy.state_digest();
                    if after != before {
                        broken.push(format!("{service}.{method} with {what} failed ({e:?}) but changed the cloud\n  request: {variant}\n{}", difference(&before, &after)));
                    }
                }
            }
        }
        if !op.mutating {
            let mut copy = cloud.clone();
            copy.call(caller, service, method, params.clone())
                .expect("the tour's own request");
            reads += 1;
            let after = copy.state_digest();
            if after != before {
                broken.push(format!("{service}.{method} is read-only but changed the cloud\n  request: {params}\n{}", difference(&before, &after)));
            }
        }
    };
    let steps = tour::run(check);
    assert_eq!(tour::missing(&steps), Vec::<String>::new());
    println!("{reads} reads compared; failing variants per operation (failed, succeeded):");
    for (op, (failed, succeeded)) in &tried {
        println!("  {op}: {failed}, {succeeded}");
    }
    assert!(
        broken.is_empty(),
        "{} non-atomic calls:\n{}",
        broken.len(),
        broken.join("\n")
    );
    // Every mutating operation was tried with at least one failing request, but those whose
    // only request is empty (nothing in it can be wrong).
    let empty_requests = [
        "ec2.disable_image_block_public_access",
        "ec2.disable_ebs_encryption_by_default",
        "ec2.enable_ebs_encryption_by_default",
        "ec2.reset_ebs_default_kms_key_id",
    ];
    let untried: Vec<String> = OPERATIONS
        .iter()
        .filter(|op| op.mutating)
        .map(|op| format!("{}.{}", op.service, op.method()))
        .filter(|name| !empty_requests.contains(&name.as_str()))
        .filter(|name| tried.get(name).is_none_or(|(failed, _)| *failed == 0))
        .collect();
    assert!(
        untried.is_empty(),
        "mutating operations never tried with a failing request: {untried:?}"
    );
}

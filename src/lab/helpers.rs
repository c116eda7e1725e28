//! The concise, read-only helpers a check's Rhai code uses: `instances(#{…})`, `images(#{…})`,
//! `snapshots(#{…})`, `volumes(#{…})` across regions, `trail(op)` (the learner's calls only),
//! `guest(id)` (what is installed on an instance or captured in an image), `count_by(list, key)`.
//!
//! Records are plain maps with short keys (`id`, `region`, `account`, `state`, `tags`, `created`, …);
//! a condition map keeps the records whose fields match: strings with `*` / `?` wildcards,
//! arrays of strings as "any of", `tag_KEY` for one tag, `account`/`owner` as `self`, a
//! `world.accounts` name or an id (default: the learner's), `region` as a name or a list.

use crate::cloud::ec2::filters::glob_match;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, NativeCallContext};
use serde_json::{json, Map as JsonMap, Value};

use crate::cloud::clock::iso8601;
use crate::cloud::ec2::images::ImageState;
use crate::cloud::ec2::Tags;
use crate::cloud::guest::Guest;
use crate::cloud::trail::TrailEvent;
use crate::cloud::Cloud;
use crate::script::convert::{from_json, to_json};

type Shared = Rc<RefCell<Cloud>>;
type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

/// What the helpers know besides the cloud.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub account: String,
    /// Named accounts (`teammate` → id, `learner` → the learner's).
    pub accounts: BTreeMap<String, String>,
    /// Ids that existed before the learner's script (records carry `created: false`).
    pub preexisting: std::collections::BTreeSet<String>,
    /// The learner's API calls.
    pub trail: Vec<TrailEvent>,
}

fn tags_map(tags: &Tags) -> Value {
    Value::Object(
        tags.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

/// The records of one kind whose owner `keep` accepts, in every region (regions in name order,
/// resources in id order). Owners are tested first: most resources (the public catalogue) are
/// someone else's, and building their records would be wasted.
fn records(cloud: &Cloud, ctx: &Context, kind: Kind, keep: &dyn Fn(&str) -> bool) -> Vec<Value> {
    let mut out = Vec::new();
    for name in cloud.region_names() {
        let region = cloud.region(name).expect("listed region");
        let new = |id: &str| !ctx.preexisting.contains(id);
        match kind {
            Kind::Instances => {
                for i in region.instances.values().filter(|i| keep(&i.owner_id)) {
                    out.push(json!({
                        "id": i.id, "region": name, "account": i.owner_id,
                        "state": i.state.as_str(), "instance_type": i.instance_type,
                        "image_id": i.image_id, "zone": i.availability_zone,
                        "key_name": i.key_name,
                        "security_groups": i.security_groups.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
                        "launch_time": iso8601(i.launch_time),
                        "tags": tags_map(&i.tags), "created": new(&i.id),
                    }));
                }
            }
            Kind::Images => {
                for im in region.images.values().filter(|i| keep(&i.owner_id)) {
                    let snapshots: Vec<&str> = im
                        .mappings
                        .iter()
                        .filter_map(|m| m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()))
                        .collect();
                    let encrypted = im
                        .mappings
                        .iter()
                        .any(|m| m.ebs.as_ref().is_some_and(|e| e.encrypted));
                    out.push(json!({
                        "id": im.id, "region": name, "account": im.owner_id, "name": im.name,
                        "description": im.description, "state": im.state.as_str(),
                        "public": im.launch_permissions.public,
                        "shared_with": im.launch_permissions.user_ids.iter().collect::<Vec<_>>(),
                        "source_image_id": im.source_image_id,
                        "source_image_region": im.source_image_region,
                        "source_instance_id": im.source_instance_id,
                        "snapshot_ids": snapshots, "encrypted": encrypted,
                        "architecture": im.profile.architecture.as_str(),
                        "root_device_type": im.profile.root_device.as_str(),
                        "creation_date": iso8601(im.creation_date),
                        "tags": tags_map(&im.tags), "created": new(&im.id),
                    }));
                }
            }
            Kind::Snapshots => {
                for s in region.snapshots.values().filter(|s| keep(&s.owner_id)) {
                    out.push(json!({
                        "id": s.id, "region": name, "account": s.owner_id,
                        "state": s.state.as_str(), "volume_id": s.volume_id,
                        "volume_size": s.volume_size, "encrypted": s.encrypted,
                        "description": s.description, "tags": tags_map(&s.tags), "created": new(&s.id),
                    }));
                }
            }
            Kind::Volumes => {
                for v in region.volumes.values().filter(|v| keep(&v.owner_id)) {
                    out.push(json!({
                        "id": v.id, "region": name, "account": v.owner_id,
                        "state": v.state.as_str(), "size": v.size, "snapshot_id": v.snapshot_id,
                        "zone": v.availability_zone, "encrypted": v.encrypted,
                        "attached_to": v.attachment.as_ref().map(|a| a.instance_id.clone()),
                        "tags": tags_map(&v.tags), "created": new(&v.id),
                    }));
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Instances,
    Images,
    Snapshots,
    Volumes,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Instances => "instances",
            Kind::Images => "images",
            Kind::Snapshots => "snapshots",
            Kind::Volumes => "volumes",
        }
    }
}

/// Does one field value match a wanted value?
fn matches(found: &Value, wanted: &Value) -> bool {
    match (found, wanted) {
        (_, Value::Array(any)) if !found.is_array() => any.iter().any(|w| matches(found, w)),
        (Value::String(f), Value::String(w)) => glob_match(w, f),
        (Value::Array(items), w) if !w.is_array() => items.iter().any(|i| matches(i, w)),
        (Value::Number(f), Value::Number(w)) => f.as_f64() == w.as_f64(),
        (f, w) => f == w,
    }
}

fn resolve_account(ctx: &Context, wanted: &Value) -> Value {
    let one = |v: &Value| match v.as_str() {
        Some("self") => Value::String(ctx.account.clone()),
        Some(name) => ctx
            .accounts
            .get(name)
            .map(|id| Value::String(id.clone()))
            .unwrap_or_else(|| v.clone()),
        None => v.clone(),
    };
    match wanted {
        Value::Array(items) => Value::Array(items.iter().map(one).collect()),
        other => one(other),
    }
}

fn select(
    cloud: &Cloud,
    ctx: &Context,
    kind: Kind,
    conditions: &JsonMap<String, Value>,
) -> std::result::Result<Vec<Value>, String> {
    let mut conditions = conditions.clone();
    let account = conditions
        .remove("account")
        .or_else(|| conditions.remove("owner"));
    let account = match account {
        None => Some(Value::String(ctx.account.clone())),
        Some(Value::String(s)) if s == "any" => None,
        Some(v) => Some(resolve_account(ctx, &v)),
    };
    let owner_ok = |owner: &str| {
        account
            .as_ref()
            .is_none_or(|a| matches(&Value::String(owner.to_string()), a))
    };
    let all = records(cloud, ctx, kind, &owner_ok);
    // Unknown condition keys are refused; any record (even someone else's) shows the fields.
    let sample = match all.first() {
        Some(first) => Some(first.clone()),
        None if !conditions.is_empty() => records(cloud, ctx, kind, &|_| true).into_iter().next(),
        None => None,
    };
    if let Some(sample) = sample.as_ref().and_then(Value::as_object) {
        for key in conditions.keys() {
            if !key.starts_with("tag_") && !sample.contains_key(key) {
                let mut valid: Vec<&str> = sample.keys().map(String::as_str).collect();
                valid.extend(["account", "owner", "tag_KEY"]);
                valid.sort_unstable();
                let hint = crate::report::diagnostic::closest(key, valid.iter().copied())
                    .map(|s| format!(" Did you mean '{s}'?"))
                    .unwrap_or_default();
                return Err(format!(
                    "{}(): no field '{key}'.{hint} Fields: {}",
                    kind.name(),
                    valid.join(", ")
                ));
            }
        }
    }
    let hide_deregistered = kind == Kind::Images && !conditions.contains_key("state");
    Ok(all
        .into_iter()
        .filter(|r| {
            if hide_deregistered && r["state"] == ImageState::Deregistered.as_str() {
                return false;
            }
            conditions
                .iter()
                .all(|(k, wanted)| match k.strip_prefix("tag_") {
                    Some(tag) => r["tags"]
                        .get(tag)
                        .is_some_and(|found| matches(found, wanted)),
                    None if k == "tags" => wanted.as_object().is_some_and(|w| {
                        w.iter().all(|(tk, tv)| {
                            r["tags"].get(tk).is_some_and(|found| matches(found, tv))
                        })
                    }),
                    None => matches(&r[k.as_str()], wanted),
                })
        })
        .collect())
}

fn trail_record(e: &TrailEvent) -> Value {
    json!({
        "seq": e.seq, "time": e.time, "account": e.account, "region": e.region,
        "service": e.service, "operation": e.operation, "parameters": e.parameters,
        "error_code": e.error_code, "ok": e.error_code.is_none(),
    })
}

/// `RunInstances`, `run_instances` and `runinstances` all name the same operation.
fn same_operation(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace('_', "").to_ascii_lowercase();
    norm(a) == norm(b)
}

/// A read-only view of an instance's or an image's guest system.
#[derive(Debug, Clone)]
pub struct GuestView(pub Arc<Guest>);

fn guest_of(cloud: &Cloud, id: &str) -> Option<Arc<Guest>> {
    for name in cloud.region_names() {
        let region = cloud.region(name).expect("listed region");
        if let Some(i) = region.instances.get(id) {
            return Some(i.guest.clone());
        }
        if let Some(im) = region.images.get(id) {
            return Some(im.guest.get());
        }
    }
    None
}

fn err(ctx: &NativeCallContext, message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        message.into(),
        ctx.call_position(),
    ))
}

fn strings(list: Vec<String>) -> Array {
    list.into_iter().map(Dynamic::from).collect()
}

fn service_map(s: &crate::cloud::guest::ServiceInfo) -> Dynamic {
    let mut m = Map::new();
    m.insert("name".into(), s.name.clone().into());
    m.insert("enabled".into(), s.enabled.into());
    m.insert("active".into(), s.active.into());
    Dynamic::from_map(m)
}

fn opt_string(s: Option<String>) -> Dynamic {
    s.map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

/// Registers the helpers on a check's engine.
pub fn register(engine: &mut Engine, cloud: Shared, ctx: Rc<Context>) {
    for kind in [
        Kind::Instances,
        Kind::Images,
        Kind::Snapshots,
        Kind::Volumes,
    ] {
        let (c, x) = (cloud.clone(), ctx.clone());
        engine.register_fn(
            kind.name(),
            move |nctx: NativeCallContext, conditions: Map| -> Result<Dynamic> {
                let json = to_json(&Dynamic::from_map(conditions))?;
                let conditions = json.as_object().cloned().unwrap_or_default();
                select(&c.borrow(), &x, kind, &conditions)
                    .map(|list| from_json(Value::Array(list)))
                    .map_err(|m| err(&nctx, m))
            },
        );
        let (c, x) = (cloud.clone(), ctx.clone());
        engine.register_fn(kind.name(), move || -> Dynamic {
            let list = select(&c.borrow(), &x, kind, &JsonMap::new()).unwrap_or_default();
            from_json(Value::Array(list))
        });
    }
    {
        let x = ctx.clone();
        engine.register_fn("trail", move || -> Dynamic {
            from_json(Value::Array(x.trail.iter().map(trail_record).collect()))
        });
        let x = ctx.clone();
        engine.register_fn("trail", move |operation: &str| -> Dynamic {
            from_json(Value::Array(
                x.trail
                    .iter()
                    .filter(|e| same_operation(&e.operation, operation))
                    .map(trail_record)
                    .collect(),
            ))
        });
    }
    engine.register_fn(
        "count_by",
        |nctx: NativeCallContext, list: Array, key: &str| -> Result<Map> {
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for item in list {
                let value = item
                    .read_lock::<Map>()
                    .and_then(|m| m.get(key).cloned())
                    .ok_or_else(|| {
                        err(&nctx, format!("count_by(): an item has no field '{key}'"))
                    })?;
                *counts.entry(value.to_string()).or_default() += 1;
            }
            Ok(counts
                .into_iter()
                .map(|(k, v)| (k.into(), Dynamic::from(v)))
                .collect())
        },
    );
    {
        let c = cloud;
        engine.register_fn("guest", move |id: &str| -> Dynamic {
            match guest_of(&c.borrow(), id) {
                Some(g) => Dynamic::from(GuestView(g)),
                None => Dynamic::UNIT,
            }
        });
    }
    engine
        .register_type_with_name::<GuestView>("Guest")
        .register_fn("packages", |g: &mut GuestView| strings(g.0.packages()))
        .register_fn("has_package", |g: &mut GuestView, n: &str| {
            g.0.has_package(n)
        })
        .register_fn("services", |g: &mut GuestView| -> Array {
            g.0.services().iter().map(service_map).collect()
        })
        .register_fn("service", |g: &mut GuestView, n: &str| {
            g.0.service(n)
                .map(|s| service_map(&s))
                .unwrap_or(Dynamic::UNIT)
        })
        .register_fn("users", |g: &mut GuestView| strings(g.0.users()))
        .register_fn("has_user", |g: &mut GuestView, n: &str| g.0.has_user(n))
        .register_fn("file", |g: &mut GuestView, p: &str| opt_string(g.0.file(p)))
        .register_fn("durable_file", |g: &mut GuestView, p: &str| {
            opt_string(g.0.durable_file(p))
        })
        .register_fn("files", |g: &mut GuestView| strings(g.0.files()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("web-v*", "web-v12"));
        assert!(glob_match("web-v?", "web-v1"));
        assert!(!glob_match("web-v?", "web-v12"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b", "a"));
    }

    #[test]
    fn matching_rules() {
        assert!(matches(&json!("eu-west-1"), &json!(["us-east-1", "eu-*"])));
        assert!(matches(&json!(["a", "b"]), &json!("b")));
        assert!(matches(&json!(3), &json!(3.0)));
        assert!(!matches(&json!(true), &json!(false)));
        assert!(same_operation("RunInstances", "run_instances"));
    }
}

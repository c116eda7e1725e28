//! The read-only helper library a check's Rhai code uses (README, "Check helpers", lists each
//! with its return shape): records across regions in creation order (`instances`, `images`,
//! `snapshots`, `volumes`, `image`, `instance`, `newest`, `oldest`), lineage through copies
//! (`lineage`, `derived_from`, the `derived_from` condition), launch-permission history from
//! the calls that took effect (`permission_changes`, `was_public`, `was_shared_with`), the
//! learner's calls (`trail`, `calls`), the guest system (`guest(id)`), and `count_by`.
//!
//! Records are plain maps with short keys (`id`, `region`, `account`, `state`, `tags`, `created`, …);
//! a condition map keeps the records whose fields match: strings with `*` / `?` wildcards,
//! arrays of strings as "any of", `tag_KEY` for one tag, `account`/`owner` as `self`, a
//! `world.accounts` name or an id (default: the learner's), `region` as a name or a list,
//! `derived_from` as an image id (the record is that image, a copy of it at any depth, or an
//! instance launched from one of those).

use amilab_text::wildcard;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, NativeCallContext};
use serde_json::{json, Map as JsonMap, Value};

use super::evidence::{self, PermissionChange, PermissionHistory};
use crate::script::convert::{from_json, to_json};
use amilab_cloud::clock::iso8601;
use amilab_cloud::ec2::images::ImageState;
use amilab_cloud::ec2::instances::InstanceState;
use amilab_cloud::ec2::Tags;
use amilab_cloud::guest::Guest;
use amilab_cloud::trail::{Trail, TrailEvent};
use amilab_cloud::Cloud;

type Shared = Rc<RefCell<Cloud>>;
type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

/// What the helpers know besides the cloud, computed once per graded run.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub account: String,
    /// Named accounts (`teammate` → id, `learner` → the learner's).
    pub accounts: BTreeMap<String, String>,
    /// Ids that existed before the learner's script (records carry `created: false`).
    pub preexisting: std::collections::BTreeSet<String>,
    /// The learner's API calls (shared with the cloud, not copied).
    pub trail: Trail,
    /// Launch-permission changes that took effect, in call order.
    pub changes: Vec<PermissionChange>,
    /// Who could ever launch each image, by image id.
    pub histories: BTreeMap<String, PermissionHistory>,
    /// Who could ever create volumes from each snapshot, by snapshot id.
    pub snapshot_histories: BTreeMap<String, PermissionHistory>,
    /// Every snapshot holding a copy of a snapshot's data, by that snapshot's id.
    pub snapshot_descendants: BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl Context {
    /// The context of a run that ended with `cloud` (its trail holds the learner's calls).
    pub fn new(
        account: String,
        accounts: BTreeMap<String, String>,
        preexisting: std::collections::BTreeSet<String>,
        cloud: &Cloud,
    ) -> Self {
        let changes = evidence::permission_changes(cloud.trail().events());
        let histories = evidence::histories(&changes);
        let snapshot_histories = evidence::snapshot_histories(cloud.trail().events());
        let snapshot_descendants = evidence::snapshot_descendants(cloud);
        Context {
            account,
            accounts,
            preexisting,
            trail: cloud.trail().clone(),
            changes,
            histories,
            snapshot_histories,
            snapshot_descendants,
        }
    }

    fn account_id(&self, name_or_id: &str) -> String {
        match name_or_id {
            "self" => self.account.clone(),
            n => self
                .accounts
                .get(n)
                .cloned()
                .unwrap_or_else(|| n.to_string()),
        }
    }
}

fn tags_map(tags: &Tags) -> Value {
    Value::Object(
        tags.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

/// What a resource is known by before its record is built: owner, id, and lineage (images and
/// instances; empty for the rest).
type Keep<'k> = &'k dyn Fn(&str, &str, &[String]) -> bool;

/// The records of one kind that `keep` accepts, in every region, in creation order (creation
/// time, then the order the cloud made them, then id) so that "the newest" never depends on
/// the learner's random ids. `keep` runs first: most resources (the public catalogue) are
/// someone else's or not asked for, and building their records would be wasted.
fn records(cloud: &Cloud, ctx: &Context, kind: Kind, keep: Keep) -> Vec<Value> {
    let mut out: Vec<((u64, u64), Value)> = Vec::new();
    for name in cloud.region_names() {
        let region = cloud.region(name).expect("listed region");
        let new = |id: &str| !ctx.preexisting.contains(id);
        match kind {
            Kind::Instances => {
                for i in region.instances() {
                    let mut lineage = vec![i.image_id.clone()];
                    lineage.extend(evidence::lineage(cloud, &i.image_id));
                    if !keep(&i.owner_id, &i.id, &lineage) {
                        continue;
                    }
                    out.push(((i.launch_time, 0), json!({
                        "id": i.id, "region": name, "account": i.owner_id,
                        "state": i.state.as_str(), "instance_type": i.instance_type,
                        "image_id": i.image_id, "zone": i.availability_zone,
                        "key_name": i.key_name,
                        "security_groups": i.security_groups.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
                        "launch_time": iso8601(i.launch_time),
                        "created_at": iso8601(i.launch_time), "lineage": lineage,
                        "tags": tags_map(&i.tags), "created": new(&i.id),
                    })));
                }
            }
            Kind::Images => {
                for im in region.images() {
                    let lineage = evidence::lineage(cloud, &im.id);
                    if !keep(&im.owner_id, &im.id, &lineage) {
                        continue;
                    }
                    let snapshots: Vec<&str> = im
                        .mappings
                        .iter()
                        .filter_map(|m| m.ebs.as_ref().and_then(|e| e.snapshot_id.as_deref()))
                        .collect();
                    let encrypted = im
                        .mappings
                        .iter()
                        .any(|m| m.ebs.as_ref().is_some_and(|e| e.encrypted));
                    let history = ctx.histories.get(&im.id).cloned().unwrap_or_default();
                    // Who could ever read the image's disk: through its snapshots, or any copy of
                    // them (a copied snapshot, a snapshot of a volume made from one), in any
                    // account and region, whoever could launch it.
                    let mut disk: std::collections::BTreeSet<&str> =
                        snapshots.iter().copied().collect();
                    for id in &snapshots {
                        if let Some(copies) = ctx.snapshot_descendants.get(*id) {
                            disk.extend(copies.iter().map(String::as_str));
                        }
                    }
                    let mut storage = PermissionHistory::default();
                    for id in disk {
                        let past = ctx.snapshot_histories.get(id).cloned().unwrap_or_default();
                        storage.ever_public |= past.ever_public;
                        storage.ever_shared_with.extend(past.ever_shared_with);
                        if let Some(now) = evidence::find_snapshot(cloud, id) {
                            storage.ever_public |= now.create_volume_permissions.public;
                            storage
                                .ever_shared_with
                                .extend(now.create_volume_permissions.user_ids.iter().cloned());
                        }
                    }
                    out.push((
                        (im.creation_date, im.seq),
                        json!({
                            "id": im.id, "region": name, "account": im.owner_id, "name": im.name,
                            "description": im.description, "state": im.state.as_str(),
                            "public": im.launch_permissions.public,
                            "shared_with": principals(&im.launch_permissions),
                            "ever_public": history.ever_public || im.launch_permissions.public,
                            "ever_shared_with": history.ever_shared_with.iter().cloned()
                                .chain(principals(&im.launch_permissions))
                                .collect::<std::collections::BTreeSet<_>>(),
                            "storage_ever_public": storage.ever_public,
                            "storage_ever_shared_with": storage.ever_shared_with,
                            "lineage": lineage,
                            "source_image_id": im.source_image_id,
                            "source_image_region": im.source_image_region,
                            "source_instance_id": im.source_instance_id,
                            "snapshot_ids": snapshots, "encrypted": encrypted,
                            "architecture": im.profile.architecture.as_str(),
                            "root_device_type": im.profile.root_device.as_str(),
                            "creation_date": iso8601(im.creation_date),
                            "created_at": iso8601(im.creation_date),
                            "tags": tags_map(&im.tags), "created": new(&im.id),
                        }),
                    ));
                }
            }
            Kind::Snapshots => {
                for s in region.snapshots().filter(|s| keep(&s.owner_id, &s.id, &[])) {
                    let history = ctx
                        .snapshot_histories
                        .get(&s.id)
                        .cloned()
                        .unwrap_or_default();
                    let permissions = &s.create_volume_permissions;
                    out.push((
                        (s.start_time, 0),
                        json!({
                            "id": s.id, "region": name, "account": s.owner_id,
                            "state": s.state.as_str(), "volume_id": s.volume_id,
                            "volume_size": s.volume_size, "encrypted": s.encrypted,
                            "public": permissions.public,
                            "shared_with": permissions.user_ids,
                            "ever_public": history.ever_public || permissions.public,
                            "ever_shared_with": history.ever_shared_with.iter()
                                .chain(&permissions.user_ids).cloned()
                                .collect::<std::collections::BTreeSet<_>>(),
                            "description": s.description, "created_at": iso8601(s.start_time),
                            "tags": tags_map(&s.tags), "created": new(&s.id),
                        }),
                    ));
                }
            }
            Kind::Volumes => {
                for v in region.volumes().filter(|v| keep(&v.owner_id, &v.id, &[])) {
                    out.push((
                        (v.create_time, 0),
                        json!({
                            "id": v.id, "region": name, "account": v.owner_id,
                            "state": v.state.as_str(), "size": v.size, "snapshot_id": v.snapshot_id,
                            "zone": v.availability_zone, "encrypted": v.encrypted,
                            "attached_to": v.attachment.as_ref().map(|a| a.instance_id.clone()),
                            "created_at": iso8601(v.create_time),
                            "tags": tags_map(&v.tags), "created": new(&v.id),
                        }),
                    ));
                }
            }
        }
    }
    out.sort_by(|(a, x), (b, y)| {
        a.cmp(b)
            .then_with(|| x["id"].as_str().cmp(&y["id"].as_str()))
    });
    out.into_iter().map(|(_, v)| v).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Instances,
    Images,
    Snapshots,
    Volumes,
}

impl Kind {
    /// Records of this kind carry a `lineage` (images and instances).
    fn has_lineage(self) -> bool {
        matches!(self, Kind::Instances | Kind::Images)
    }

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
        (Value::String(f), Value::String(w)) => wildcard(w, f),
        (Value::Array(items), w) if !w.is_array() => items.iter().any(|i| matches(i, w)),
        (Value::Number(f), Value::Number(w)) => f.as_f64() == w.as_f64(),
        (f, w) => f == w,
    }
}

/// Is the resource `id` (an image or an instance, with its lineage) one of the ids `wanted`, or
/// derived from one?
fn is_derived(id: &str, lineage: &[String], wanted: &Value) -> bool {
    let hit = |w: &Value| {
        w.as_str()
            .is_some_and(|w| w == id || lineage.iter().any(|l| l == w))
    };
    match wanted {
        Value::Array(ids) => ids.iter().any(hit),
        w => hit(w),
    }
}

/// The ids an `id` condition names exactly (no wildcards), if it does: lets [`records`] skip
/// every other resource.
fn exact_ids(wanted: Option<&Value>) -> Option<Vec<&str>> {
    fn literal(v: &Value) -> Option<&str> {
        v.as_str().filter(|s| !s.contains(['*', '?']))
    }
    match wanted? {
        Value::Array(items) => items.iter().map(literal).collect(),
        one => literal(one).map(|s| vec![s]),
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
    // Owner, exact ids and lineage are decided before any record is built.
    let derived = if kind.has_lineage() {
        conditions.remove("derived_from")
    } else {
        None
    };
    let ids = exact_ids(conditions.get("id"));
    let keep = |owner: &str, id: &str, lineage: &[String]| {
        account
            .as_ref()
            .is_none_or(|a| matches(&Value::String(owner.to_string()), a))
            && ids.as_ref().is_none_or(|ids| ids.contains(&id))
            && derived.as_ref().is_none_or(|d| is_derived(id, lineage, d))
    };
    let all = records(cloud, ctx, kind, &keep);
    // Unknown condition keys are refused; any record (even someone else's) shows the fields.
    let sample = match all.first() {
        Some(first) => Some(first.clone()),
        None if !conditions.is_empty() => {
            let mut first = None;
            for_first_record(cloud, ctx, kind, &mut first);
            first
        }
        None => None,
    };
    if let Some(sample) = sample.as_ref().and_then(Value::as_object) {
        for key in conditions.keys() {
            if !key.starts_with("tag_") && !sample.contains_key(key) {
                let mut valid: Vec<&str> = sample.keys().map(String::as_str).collect();
                valid.extend(["account", "owner", "tag_KEY"]);
                if kind.has_lineage() {
                    valid.push("derived_from");
                }
                valid.sort_unstable();
                let hint = amilab_text::closest(key, valid.iter().copied())
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

/// The first record of a kind in the whole cloud (to list the fields a condition may name).
fn for_first_record(cloud: &Cloud, ctx: &Context, kind: Kind, first: &mut Option<Value>) {
    let seen = std::cell::Cell::new(false);
    let once = |_: &str, _: &str, _: &[String]| !seen.replace(true);
    *first = records(cloud, ctx, kind, &once).into_iter().next();
}

fn trail_record(e: &TrailEvent) -> Value {
    json!({
        "seq": e.seq, "time": e.time, "account": e.account, "region": e.region,
        "service": e.service, "operation": e.operation, "parameters": e.parameters,
        "error_code": e.error_code, "ok": e.error_code.is_none(),
        "dry_run": evidence::is_dry_run(e),
    })
}

fn change_record(c: &PermissionChange) -> Value {
    json!({
        "seq": c.seq, "time": c.time, "account": c.account, "region": c.region,
        "image_id": c.image_id, "action": c.action.as_str(), "group": c.group,
        "user_id": c.user_id, "organization_arn": c.organization_arn,
        "organizational_unit_arn": c.organizational_unit_arn,
    })
}

/// The record with the greatest (or least) `created_at` in a list, ties to the later (earlier)
/// item — lists from the record helpers are already in creation order.
fn pick_by_time(list: Array, newest: bool) -> Dynamic {
    let key = |d: &Dynamic| {
        d.read_lock::<Map>()
            .and_then(|m| m.get("created_at").map(|t| t.to_string()))
            .unwrap_or_default()
    };
    let mut best: Option<(String, Dynamic)> = None;
    for item in list {
        let k = key(&item);
        let better = match &best {
            None => true,
            Some((b, _)) if newest => k >= *b,
            Some((b, _)) => k < *b,
        };
        if better {
            best = Some((k, item));
        }
    }
    best.map(|(_, d)| d).unwrap_or(Dynamic::UNIT)
}

/// `RunInstances`, `run_instances` and `runinstances` all name the same operation.
fn same_operation(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace('_', "").to_ascii_lowercase();
    norm(a) == norm(b)
}

/// A read-only view of an instance's or an image's guest system.
#[derive(Debug, Clone)]
pub struct GuestView(pub Arc<Guest>);

/// What `GET path` on port 80 returns from an instance or an image: a running instance answers
/// as it is now; a pending instance or an image as it will once booted; anything else (stopped,
/// gone, unknown) does not answer.
fn serves(cloud: &Cloud, id: &str, path: &str) -> Option<(u16, String)> {
    for name in cloud.region_names() {
        let region = cloud.region(name).expect("listed region");
        if let Some(i) = region.instance(id) {
            return match i.state {
                InstanceState::Running => i.guest.http_get(path),
                InstanceState::Pending => i.guest.http_get_once_booted(path),
                _ => None,
            };
        }
        if let Some(im) = region.image(id) {
            return im.guest.get().http_get_once_booted(path);
        }
    }
    None
}

fn reply_map(reply: Option<(u16, String)>) -> Dynamic {
    match reply {
        Some((status, body)) => {
            let mut m = Map::new();
            m.insert("status".into(), Dynamic::from(status as i64));
            m.insert("body".into(), Dynamic::from(body));
            Dynamic::from_map(m)
        }
        None => Dynamic::UNIT,
    }
}

fn guest_of(cloud: &Cloud, id: &str) -> Option<Arc<Guest>> {
    for name in cloud.region_names() {
        let region = cloud.region(name).expect("listed region");
        if let Some(i) = region.instance(id) {
            return Some(i.guest.clone());
        }
        if let Some(im) = region.image(id) {
            return Some(im.guest.get());
        }
    }
    None
}

/// Who may launch an image besides its owner and the public: account ids, then organization
/// and organizational-unit ARNs (sharing with an organization is sharing too).
fn principals(p: &amilab_cloud::ec2::images::LaunchPermissions) -> Vec<String> {
    p.user_ids
        .iter()
        .chain(&p.organization_arns)
        .chain(&p.organizational_unit_arns)
        .cloned()
        .collect()
}

fn image_public_now(cloud: &Cloud, id: &str) -> bool {
    evidence::find_image(cloud, id, None).is_some_and(|i| i.launch_permissions.public)
}

fn image_shared_now(cloud: &Cloud, id: &str, account: &str) -> bool {
    evidence::find_image(cloud, id, None).is_some_and(|i| {
        principals(&i.launch_permissions)
            .iter()
            .any(|p| p == account)
    })
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

fn service_map(s: &amilab_cloud::guest::ServiceInfo) -> Dynamic {
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
        // trail(): every call, failed and dry-run ones too; calls(): those that took effect.
        let list = |x: &Context, op: Option<&str>, effective: bool| -> Dynamic {
            from_json(Value::Array(
                x.trail
                    .events()
                    .iter()
                    .filter(|e| op.is_none_or(|op| same_operation(&e.operation, op)))
                    .filter(|e| !effective || evidence::took_effect(e))
                    .map(trail_record)
                    .collect(),
            ))
        };
        for (name, effective) in [("trail", false), ("calls", true)] {
            let x = ctx.clone();
            engine.register_fn(name, move || list(&x, None, effective));
            let x = ctx.clone();
            engine.register_fn(name, move |op: &str| list(&x, Some(op), effective));
        }
        let x = ctx.clone();
        engine.register_fn("permission_changes", move || -> Dynamic {
            from_json(Value::Array(x.changes.iter().map(change_record).collect()))
        });
        let x = ctx.clone();
        engine.register_fn("permission_changes", move |image_id: &str| -> Dynamic {
            from_json(Value::Array(
                x.changes
                    .iter()
                    .filter(|c| c.image_id == image_id)
                    .map(change_record)
                    .collect(),
            ))
        });
        let (c, x) = (cloud.clone(), ctx.clone());
        engine.register_fn("was_public", move |image_id: &str| -> bool {
            x.histories.get(image_id).is_some_and(|h| h.ever_public)
                || image_public_now(&c.borrow(), image_id)
        });
        let (c, x) = (cloud.clone(), ctx.clone());
        engine.register_fn(
            "was_shared_with",
            move |image_id: &str, account: &str| -> bool {
                let id = x.account_id(account);
                x.histories
                    .get(image_id)
                    .is_some_and(|h| h.ever_shared_with.contains(&id))
                    || image_shared_now(&c.borrow(), image_id, &id)
            },
        );
    }
    for (name, kind) in [("image", Kind::Images), ("instance", Kind::Instances)] {
        let (c, x) = (cloud.clone(), ctx.clone());
        engine.register_fn(name, move |id: &str| -> Dynamic {
            let mut conditions = JsonMap::new();
            conditions.insert("id".into(), Value::String(id.to_string()));
            conditions.insert("account".into(), Value::String("any".into()));
            conditions.insert("state".into(), Value::String("*".into()));
            select(&c.borrow(), &x, kind, &conditions)
                .ok()
                .and_then(|mut l| l.pop())
                .map(from_json)
                .unwrap_or(Dynamic::UNIT)
        });
    }
    {
        let c = cloud.clone();
        engine.register_fn("serves", move |id: &str, path: &str| {
            reply_map(serves(&c.borrow(), id, path))
        });
    }
    engine.register_fn("newest", |list: Array| pick_by_time(list, true));
    engine.register_fn("oldest", |list: Array| pick_by_time(list, false));
    {
        let c = cloud.clone();
        engine.register_fn("lineage", move |image_id: &str| -> Array {
            evidence::lineage(&c.borrow(), image_id)
                .into_iter()
                .map(Dynamic::from)
                .collect()
        });
        let c = cloud.clone();
        engine.register_fn(
            "derived_from",
            move |nctx: NativeCallContext, item: Dynamic, ancestor: &str| -> Result<bool> {
                let id = match item.read_lock::<Map>() {
                    Some(m) => m.get("id").map(|d| d.to_string()),
                    None => item.clone().into_string().ok(),
                };
                let Some(id) = id else {
                    return Err(err(
                        &nctx,
                        "derived_from(): give an image or instance record, or an id".into(),
                    ));
                };
                let cloud = c.borrow();
                // An instance is derived from its image and that image's ancestors.
                let image = cloud
                    .region_names()
                    .find_map(|r| cloud.region(r).and_then(|r| r.instance(&id)))
                    .map(|i| i.image_id.clone())
                    .unwrap_or(id);
                Ok(image == ancestor
                    || evidence::lineage(&cloud, &image)
                        .iter()
                        .any(|a| a == ancestor))
            },
        );
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
        .register_fn("files", |g: &mut GuestView| strings(g.0.files()))
        .register_fn("http_get", |g: &mut GuestView, path: &str| {
            reply_map(g.0.http_get(path))
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::checks::{self, CheckEnv, Runner, Show};
    use crate::lab::params::TextContext;
    use crate::lab::spec::CheckSpec;
    use crate::script::{self, RunOptions};
    use amilab_cloud::WorldConfig;

    /// Runs `script` in a fresh default world, then evaluates each check code on the state
    /// reached; returns (score, found) per check.
    fn judge(script: &str, codes: &[&str]) -> Vec<(f64, Option<String>)> {
        let cloud = Rc::new(RefCell::new(Cloud::new(WorldConfig::default())));
        let report = script::run(&cloud, script, RunOptions::default());
        assert!(report.failure.is_none(), "{:?}", report.failure);
        let cloud = cloud.borrow().clone();
        let account = amilab_cloud::DEFAULT_ACCOUNT.to_string();
        let mut accounts = BTreeMap::new();
        accounts.insert("teammate".to_string(), "444455556666".to_string());
        let env = CheckEnv {
            helpers: Rc::new(Context::new(account, accounts, Default::default(), &cloud)),
            cloud,
            globals: Default::default(),
        };
        let runner = Runner::new(&env);
        codes
            .iter()
            .map(|code| {
                let spec = CheckSpec {
                    id: "c".into(),
                    title: "c".into(),
                    points: 1.0,
                    required: false,
                    visibility: Default::default(),
                    concepts: vec![],
                    hints: vec![],
                    expected: None,
                    rhai: code.to_string(),
                };
                let show = Show {
                    hints: 0,
                    taken: &crate::lab::hint_use::NONE_TAKEN,
                    reveal_hidden: true,
                };
                let (item, fault) =
                    checks::run(&runner, &spec, None, &TextContext::default(), &show);
                assert!(fault.is_none(), "{code}: {fault:?}");
                (item.points, item.found)
            })
            .collect()
    }

    const TWO_COPIES: &str = r#"
        let home = client("ec2", "us-east-1");
        let src = home.describe_images(#{owners: ["amazon"], filters: [#{name: "name", values: ["al2023-ami-2023*x86_64"]}]}).images[0].image_id;
        let id = home.run_instances(#{image_id: src, instance_type: "t3.micro", min_count: 1, max_count: 1}).instances[0].instance_id;
        home.get_waiter("instance_running").wait(#{instance_ids: [id]});
        let a = home.create_image(#{instance_id: id, name: "golden"}).image_id;
        home.get_waiter("image_available").wait(#{image_ids: [a]});
        let west = client("ec2", "us-west-2");
        let b = west.copy_image(#{source_image_id: a, source_region: "us-east-1", name: "golden"}).image_id;
        west.get_waiter("image_available").wait(#{image_ids: [b]});
        let eu = client("ec2", "eu-west-1");
        let c = eu.copy_image(#{source_image_id: b, source_region: "us-west-2", name: "golden"}).image_id;
        eu.get_waiter("image_available").wait(#{image_ids: [c]});
        eu.run_instances(#{image_id: c, instance_type: "t3.micro", min_count: 2, max_count: 2});
        // Permission history: a dry run of public, a defensive remove, a share, a reset, a re-add.
        try { home.modify_image_attribute(#{image_id: a, launch_permission: #{add: [#{group: "all"}]}, dry_run: true}); } catch (e) {}
        home.modify_image_attribute(#{image_id: a, launch_permission: #{remove: [#{group: "all"}]}});
        home.modify_image_attribute(#{image_id: a, attribute: "launchPermission", operation_type: "add", user_ids: ["444455556666"]});
        home.reset_image_attribute(#{image_id: a, attribute: "launchPermission"});
        home.modify_image_attribute(#{image_id: a, launch_permission: #{add: [#{user_id: "444455556666"}]}});
    "#;

    #[test]
    fn lineage_follows_a_copy_of_a_copy_back_to_the_original() {
        let results = judge(
            TWO_COPIES,
            &[
                // The copy in eu-west-1 chains back through us-west-2 to the original.
                r#"let a = images(#{region: "us-east-1", name: "golden"})[0];
                   let c = images(#{region: "eu-west-1"})[0];
                   // …and on through CreateImage to the catalogue image its instance ran.
                   #{pass: c.lineage.len() == 3 && c.lineage[1] == a.id && a.lineage.len() == 1
                       && c.lineage[2] == a.lineage[0] && a.lineage[0] == instances()[0].image_id
                       && lineage(c.id) == c.lineage, found: `${c.lineage}`}"#,
                r#"let a = images(#{region: "us-east-1", name: "golden"})[0];
                   #{pass: images(#{derived_from: a.id}).len() == 3, found: `${images(#{derived_from: a.id}).len()}`}"#,
                r#"let a = images(#{region: "us-east-1", name: "golden"})[0];
                   let clones = instances(#{derived_from: a.id, region: "eu-west-1"});
                   clones.len() == 2 && derived_from(clones[0], a.id) && derived_from(clones[0].id, a.id)"#,
                // Records come in creation order; newest() and oldest() agree with it.
                r#"let all = images(#{name: "golden"});
                   newest(all).region == "eu-west-1" && oldest(all).region == "us-east-1" && newest([]) == ()"#,
                // A missing tag reads as (), it does not crash.
                r#"let a = images(#{region: "us-east-1"})[0]; a.tags.Version == ()"#,
            ],
        );
        for (i, (score, found)) in results.iter().enumerate() {
            assert_eq!(*score, 1.0, "check {i}: {found:?}");
        }
    }

    #[test]
    fn lookups_by_id_and_lineage_skip_the_rest_but_keep_their_answers() {
        let cloud = Cloud::new(WorldConfig::default());
        let ctx = Context::new(
            "123456789012".into(),
            BTreeMap::new(),
            Default::default(),
            &cloud,
        );
        let conditions = |v: Value| v.as_object().cloned().unwrap();
        // Someone else's image (the catalogue), by exact id, in any account.
        let any = select(
            &cloud,
            &ctx,
            Kind::Images,
            &conditions(json!({"account": "any"})),
        )
        .unwrap();
        assert!(any.len() > 10);
        let id = any[3]["id"].clone();
        let one = select(
            &cloud,
            &ctx,
            Kind::Images,
            &conditions(json!({"account": "any", "id": id})),
        )
        .unwrap();
        assert_eq!(one, vec![any[3].clone()]);
        // A wildcard id still filters after the records are built.
        let star = select(
            &cloud,
            &ctx,
            Kind::Images,
            &conditions(json!({"account": "any", "id": "ami-*"})),
        )
        .unwrap();
        assert_eq!(star.len(), any.len());
        let derived = select(
            &cloud,
            &ctx,
            Kind::Images,
            &conditions(json!({"account": "any", "derived_from": id})),
        )
        .unwrap();
        assert_eq!(derived, one, "an image is derived from itself");
        // With no image of the learner's, a misspelt field is still refused with the fields
        // (someone else's record shows them).
        let err = select(
            &cloud,
            &ctx,
            Kind::Images,
            &conditions(json!({"nmae": "x"})),
        )
        .unwrap_err();
        assert!(err.contains("Did you mean 'name'?"), "{err}");
    }

    #[test]
    fn permission_history_counts_only_what_took_effect() {
        let results = judge(
            TWO_COPIES,
            &[
                r#"let a = images(#{region: "us-east-1", name: "golden"})[0];
                   !a.ever_public && !was_public(a.id) && was_shared_with(a.id, "teammate")
                     && a.ever_shared_with == ["444455556666"] && a.shared_with == ["444455556666"]"#,
                r#"let a = images(#{region: "us-east-1", name: "golden"})[0];
                   permission_changes(a.id).map(|c| c.action) == ["remove", "add", "reset", "add"]"#,
                r#"calls("ModifyImageAttribute").len() == 3 && trail("ModifyImageAttribute").len() == 4
                   && trail("ModifyImageAttribute")[0].dry_run"#,
            ],
        );
        for (i, (score, found)) in results.iter().enumerate() {
            assert_eq!(*score, 1.0, "check {i}: {found:?}");
        }
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

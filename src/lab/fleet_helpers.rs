//! Check helpers for fleets and their cost: the learner's launch templates
//! (`launch_templates()`), Auto Scaling groups (`auto_scaling_groups()`,
//! `auto_scaling_group(name)`), charges (`bill()`), KMS keys (`kms_keys()`) and Image Builder
//! pipelines with their builds (`image_pipelines()`) as plain records, so that a lab can grade
//! a group's size, its members' images, its instance refreshes, what the run cost, who may use
//! a key and what a pipeline built and distributed.
//!
//! Records use the short keys of the other helpers (`id`, `name`, `region`, `account`,
//! `created`); README, "Check helpers", lists each field.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine};
use serde_json::{json, Value};

use super::helpers::Context;
use crate::script::convert::from_json;
use amilab_cloud::autoscaling::{CountLog, Group};
use amilab_cloud::clock::iso8601;
use amilab_cloud::Cloud;

type Shared = Rc<RefCell<Cloud>>;

/// The learner's launch templates across regions, in (region, creation) order.
fn launch_templates(cloud: &Cloud, ctx: &Context) -> Vec<Value> {
    let mut out = Vec::new();
    for region in cloud.region_names() {
        let Some(r) = cloud.region(region) else {
            continue;
        };
        let mut mine: Vec<_> = r
            .launch_templates()
            .filter(|t| t.owner_id == ctx.account)
            .collect();
        mine.sort_by_key(|t| (t.create_time, t.id.clone()));
        for t in mine {
            out.push(json!({
                "id": t.id, "name": t.name, "region": region, "account": t.owner_id,
                "created": !ctx.preexisting.contains(&t.id),
                "default_version": t.default_version,
                "latest_version": t.versions.keys().next_back(),
                "versions": t.versions.values().map(|v| json!({
                    "number": v.number,
                    "image_id": v.data.image_id,
                    "instance_type": v.data.instance_type,
                    "description": v.description,
                })).collect::<Vec<_>>(),
            }));
        }
    }
    out
}

/// A count's changes from `since` on, as `[#{time, count}]`.
fn history(log: &CountLog, since: u64) -> Value {
    log.changes()
        .iter()
        .filter(|(t, _)| *t >= since)
        .map(|(t, n)| json!({"time": iso8601(*t), "count": n}))
        .collect()
}

fn group_record(cloud: &Cloud, g: &Group) -> Value {
    let spec = &g.launch_template;
    let in_service = g.in_service();
    json!({
        "name": g.name, "region": g.region, "account": g.account,
        "min_size": g.min_size, "max_size": g.max_size, "desired_capacity": g.desired_capacity,
        "in_service": in_service,
        "fewest_in_service": g.in_service_log.fewest_since(cloud.run_started_at()),
        "fewest_serving": g.serving_log.fewest_since(cloud.run_started_at()),
        "in_service_history": history(&g.in_service_log, cloud.run_started_at()),
        "serving_history": history(&g.serving_log, cloud.run_started_at()),
        "launches_image": cloud.auto_scaling_launch_image(g),
        "zones": g.zones,
        "launch_template": spec.launch_template_id.clone().or_else(|| spec.launch_template_name.clone()),
        "version": spec.version.clone().unwrap_or_else(|| "$Default".into()),
        "deleting": g.deleting,
        "instances": g.members.iter().map(|m| json!({
            "id": m.instance_id, "lifecycle_state": m.lifecycle.as_str(),
            "healthy": m.healthy, "zone": m.availability_zone,
            "image_id": m.image_id, "instance_type": m.instance_type,
            "template_id": m.launched_from.template_id, "version": m.launched_from.version,
            "protected": m.protected_from_scale_in,
            "state": cloud.region(&g.region).and_then(|r| r.instance(&m.instance_id)).map(|i| i.state.as_str()),
        })).collect::<Vec<_>>(),
        "refreshes": g.refreshes.iter().map(|r| json!({
            "id": r.id, "status": r.status.as_str(), "percentage_complete": r.percentage_complete,
            "status_reason": r.status_reason, "started": iso8601(r.start), "ended": r.end.map(iso8601),
            "min_healthy_percentage": r.preferences.min_healthy_percentage,
            "max_healthy_percentage": r.preferences.max_healthy_percentage,
        })).collect::<Vec<_>>(),
    })
}

/// The learner's groups across regions, by (region, name).
fn groups(cloud: &Cloud, ctx: &Context) -> Vec<Value> {
    cloud
        .auto_scaling_groups()
        .filter(|g| g.account == ctx.account)
        .map(|g| group_record(cloud, g))
        .collect()
}

/// The learner's charges since the run began (Cost Explorer's names), with each amount also as a
/// number for comparisons.
fn bill(cloud: &Cloud, ctx: &Context) -> Value {
    let bill = cloud.bill(&ctx.account, cloud.run_started_at(), cloud.now());
    let number = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    json!({
        "since": iso8601(cloud.run_started_at()),
        "until": iso8601(cloud.now()),
        "total_usd": bill.total_usd,
        "total": number(&bill.total_usd),
        "lines": bill.lines.iter().map(|l| json!({
            "service": l.service, "usage_type": l.usage_type, "region": l.region,
            "resource_id": l.resource_id, "usd": l.usd, "cost": number(&l.usd),
            "quantity": l.quantity, "unit": l.unit,
        })).collect::<Vec<_>>(),
    })
}

/// The learner's customer managed keys across regions, in key-id order.
fn kms_keys(cloud: &Cloud, ctx: &Context) -> Vec<Value> {
    cloud
        .kms_keys()
        .into_iter()
        .filter(|k| k.account == ctx.account)
        .map(|k| {
            json!({
                "id": k.key_id, "arn": k.arn, "region": k.region, "account": k.account,
                "description": k.description, "state": k.state, "aliases": k.aliases,
                "usable_by": k.usable_by,
            })
        })
        .collect()
}

/// The learner's Image Builder pipelines across regions, with the image build versions each
/// made (oldest first) and their AMIs.
fn image_pipelines(cloud: &Cloud, ctx: &Context) -> Vec<Value> {
    cloud
        .image_pipelines()
        .filter(|p| p.account == ctx.account)
        .map(|p| {
            json!({
                "name": p.name(), "arn": p.arn(), "region": p.region, "account": p.account,
                "schedule": p.schedule_expression(),
                "images": cloud.pipeline_images(p.arn()).iter().map(|i| json!({
                    "arn": i.arn(), "version": i.semantic_version, "build": i.build,
                    "status": i.status_name(), "reason": i.reason,
                    "started": iso8601(i.created),
                    "amis": i.amis().iter().map(|a| json!({"region": a.region, "image_id": a.image, "name": a.name})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Registers `launch_templates()`, `auto_scaling_groups()`, `auto_scaling_group(name)`,
/// `bill()`, `kms_keys()` and `image_pipelines()`.
pub fn register(engine: &mut Engine, cloud: Shared, ctx: Rc<Context>) {
    let (c, x) = (cloud.clone(), ctx.clone());
    engine.register_fn("launch_templates", move || -> Dynamic {
        from_json(Value::Array(launch_templates(&c.borrow(), &x)))
    });
    let (c, x) = (cloud.clone(), ctx.clone());
    engine.register_fn("auto_scaling_groups", move || -> Dynamic {
        from_json(Value::Array(groups(&c.borrow(), &x)))
    });
    let (c, x) = (cloud.clone(), ctx.clone());
    engine.register_fn("bill", move || -> Dynamic {
        from_json(bill(&c.borrow(), &x))
    });
    let (c, x) = (cloud.clone(), ctx.clone());
    engine.register_fn("image_pipelines", move || -> Dynamic {
        from_json(Value::Array(image_pipelines(&c.borrow(), &x)))
    });
    let (c, x) = (cloud.clone(), ctx.clone());
    engine.register_fn("kms_keys", move || -> Dynamic {
        from_json(Value::Array(kms_keys(&c.borrow(), &x)))
    });
    let (c, x) = (cloud, ctx);
    engine.register_fn("auto_scaling_group", move |name: &str| -> Dynamic {
        groups(&c.borrow(), &x)
            .into_iter()
            .find(|g| g["name"] == name)
            .map(from_json)
            .unwrap_or(Dynamic::UNIT)
    });
}

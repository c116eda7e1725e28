//! Building a lab's starting cloud: accounts, regions, clock, and the pre-existing resources,
//! each made through `Cloud::call` as its owning account (exactly as a script would), with time
//! advanced until everything is settled; then the learner's run starts with a clean trail.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::params::TextContext;
use super::spec::{InstanceSpec, LabSpec};
use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::{clock, CallError, Caller, Cloud, Quotas, WorldConfig, DEFAULT_ACCOUNT};

/// Seconds of simulated time allowed for boots, commands, images and snapshots to settle.
const SETTLE_SECONDS: u64 = 900;

/// A built world: the cloud, ready for the learner's script.
#[derive(Debug, Clone)]
pub struct World {
    pub cloud: Cloud,
    /// The learner's account id.
    pub account: String,
    /// Named accounts (`teammate` → id); `learner` is the learner's own.
    pub accounts: BTreeMap<String, String>,
    /// Pre-existing resources by name (`web-server` → `i-…`).
    pub names: BTreeMap<String, String>,
    /// Every resource id that existed before the learner's script ran.
    pub preexisting: BTreeSet<String>,
}

/// Why a world could not be built (a fault in the lab file: exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WorldError {
    /// The lab-file path of the resource (`world.resources.instances[0]`).
    pub path: String,
    pub message: String,
}

fn tag_list(name: Option<&str>, tags: &BTreeMap<String, String>) -> Value {
    let mut list = Vec::new();
    if let Some(name) = name {
        list.push(json!({"key": "Name", "value": name}));
    }
    for (k, v) in tags {
        list.push(json!({"key": k, "value": v}));
    }
    Value::Array(list)
}

fn tag_specs(resource_type: &str, tags: Value) -> Value {
    json!([{"resource_type": resource_type, "tags": tags}])
}

struct Builder {
    world: World,
}

impl Builder {
    /// The account id of `name` (`learner`, a `world.accounts` name, or a 12-digit id).
    fn account(&self, name: Option<&str>, path: &str) -> Result<String, WorldError> {
        match name {
            None | Some("learner") => Ok(self.world.account.clone()),
            Some(n) if amilab_cloud::is_account_id(n) => Ok(n.to_string()),
            Some(n) => self
                .world
                .accounts
                .get(n)
                .cloned()
                .ok_or_else(|| WorldError {
                    path: path.to_string(),
                    message: format!(
                        "unknown account `{n}`; declare it under world.accounts or use `learner`"
                    ),
                }),
        }
    }

    fn call(
        &mut self,
        path: &str,
        account: &str,
        region: &str,
        service: &str,
        method: &str,
        params: Value,
    ) -> Result<Value, WorldError> {
        self.world
            .cloud
            .call(&Caller::new(account, region), service, method, params)
            .map_err(|e| WorldError {
                path: path.to_string(),
                message: match e {
                    CallError::Aws(e) => format!("{method} failed: {} ({})", e.message, e.code),
                    CallError::Param(m) | CallError::Waiter(m) => format!("{method} failed: {m}"),
                    e @ CallError::NotSimulated { .. } => format!("{method} failed: {e}"),
                },
            })
    }

    fn name_taken(&self, name: &str, path: &str) -> Result<(), WorldError> {
        if self.world.names.contains_key(name) {
            return Err(WorldError {
                path: path.to_string(),
                message: format!("the name `{name}` is used by two world resources"),
            });
        }
        Ok(())
    }

    fn instance(&mut self, index: usize, spec: &InstanceSpec) -> Result<(), WorldError> {
        let path = format!("world.resources.instances[{index}]");
        self.name_taken(&spec.name, &path)?;
        let account = self.account(spec.account.as_deref(), &path)?;
        let region = spec.region.as_str();
        let image_id = match self.world.names.get(&spec.image) {
            Some(id) if id.starts_with("ami-") => id.clone(),
            _ => public_image_id(&spec.image, region).ok_or_else(|| WorldError {
                path: path.clone(),
                message: format!(
                    "`{}` is neither a catalogue image key nor a world image made earlier",
                    spec.image
                ),
            })?,
        };
        let mut request = json!({
            "image_id": image_id,
            "instance_type": spec.instance_type,
            "min_count": 1,
            "max_count": 1,
            "tag_specifications": tag_specs("instance", tag_list(Some(&spec.name), &spec.tags)),
        });
        if let Some(key) = &spec.key_name {
            request["key_name"] = json!(key);
        }
        if !spec.security_groups.is_empty() {
            request["security_groups"] = json!(spec.security_groups);
        }
        if !spec.setup.is_empty() {
            request["user_data"] = json!(format!("#!/bin/bash\n{}\n", spec.setup.join("\n")));
        }
        let out = self.call(&path, &account, region, "ec2", "run_instances", request)?;
        let id = out["instances"][0]["instance_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.world.cloud.advance(SETTLE_SECONDS);
        if !spec.commands.is_empty() {
            self.call(
                &path,
                &account,
                region,
                "ssm",
                "send_command",
                json!({"instance_ids": [id], "document_name": "AWS-RunShellScript",
                       "parameters": {"commands": spec.commands}}),
            )?;
            self.world.cloud.advance(60);
        }
        if spec.stopped {
            self.call(
                &path,
                &account,
                region,
                "ec2",
                "stop_instances",
                json!({"instance_ids": [id]}),
            )?;
            self.world.cloud.advance(SETTLE_SECONDS);
        }
        self.world.names.insert(spec.name.clone(), id);
        Ok(())
    }

    fn build(&mut self, spec: &LabSpec) -> Result<(), WorldError> {
        let res = &spec.world.resources;
        for (i, k) in res.key_pairs.iter().enumerate() {
            let path = format!("world.resources.key_pairs[{i}]");
            let account = self.account(k.account.as_deref(), &path)?;
            self.call(
                &path,
                &account,
                &k.region,
                "ec2",
                "create_key_pair",
                json!({"key_name": k.name}),
            )?;
        }
        for (i, g) in res.security_groups.iter().enumerate() {
            let path = format!("world.resources.security_groups[{i}]");
            let account = self.account(g.account.as_deref(), &path)?;
            let description = if g.description.is_empty() {
                g.name.clone()
            } else {
                g.description.clone()
            };
            let mut request = json!({"group_name": g.name, "description": description});
            if !g.tags.is_empty() {
                request["tag_specifications"] =
                    tag_specs("security-group", tag_list(None, &g.tags));
            }
            let out = self.call(
                &path,
                &account,
                &g.region,
                "ec2",
                "create_security_group",
                request,
            )?;
            let group_id = out["group_id"].as_str().unwrap_or_default().to_string();
            if !g.open_ports.is_empty() {
                let perms: Vec<Value> = g
                    .open_ports
                    .iter()
                    .map(|p| {
                        json!({"ip_protocol": "tcp", "from_port": p, "to_port": p,
                                    "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}]})
                    })
                    .collect();
                self.call(
                    &path,
                    &account,
                    &g.region,
                    "ec2",
                    "authorize_security_group_ingress",
                    json!({"group_id": group_id, "ip_permissions": perms}),
                )?;
            }
        }
        // Instances from catalogue images first, then images, then instances from those images.
        let from_world_image = |i: &InstanceSpec| res.images.iter().any(|im| im.name == i.image);
        for (i, inst) in res.instances.iter().enumerate() {
            if !from_world_image(inst) {
                self.instance(i, inst)?;
            }
        }
        for (i, im) in res.images.iter().enumerate() {
            let path = format!("world.resources.images[{i}]");
            self.name_taken(&im.name, &path)?;
            let Some(source) = res
                .instances
                .iter()
                .find(|s| s.name == im.from_instance && !from_world_image(s))
            else {
                return Err(WorldError {
                    path,
                    message: format!(
                        "from_instance `{}` is not an instance of world.resources.instances launched from a catalogue image",
                        im.from_instance
                    ),
                });
            };
            let account = self.account(source.account.as_deref(), &path)?;
            let instance_id = self.world.names[&source.name].clone();
            let mut request = json!({"instance_id": instance_id, "name": im.name});
            if let Some(d) = &im.description {
                request["description"] = json!(d);
            }
            if !im.tags.is_empty() {
                request["tag_specifications"] = tag_specs("image", tag_list(None, &im.tags));
            }
            let out = self.call(
                &path,
                &account,
                &source.region,
                "ec2",
                "create_image",
                request,
            )?;
            let image_id = out["image_id"].as_str().unwrap_or_default().to_string();
            self.world.cloud.advance(SETTLE_SECONDS);
            if !im.shared_with.is_empty() {
                let mut add = Vec::new();
                for who in &im.shared_with {
                    add.push(json!({"user_id": self.account(Some(who), &path)?}));
                }
                self.call(
                    &path,
                    &account,
                    &source.region,
                    "ec2",
                    "modify_image_attribute",
                    json!({"image_id": image_id, "launch_permission": {"add": add}}),
                )?;
            }
            self.world.names.insert(im.name.clone(), image_id);
        }
        for (i, inst) in res.instances.iter().enumerate() {
            if from_world_image(inst) {
                self.instance(i, inst)?;
            }
        }
        let mut volume_places = BTreeMap::new();
        for (i, v) in res.volumes.iter().enumerate() {
            let path = format!("world.resources.volumes[{i}]");
            self.name_taken(&v.name, &path)?;
            let account = self.account(v.account.as_deref(), &path)?;
            let zone = v.zone.clone().unwrap_or_else(|| format!("{}a", v.region));
            let out = self.call(
                &path,
                &account,
                &v.region,
                "ec2",
                "create_volume",
                json!({"availability_zone": zone, "size": v.size,
                       "tag_specifications": tag_specs("volume", tag_list(Some(&v.name), &v.tags))}),
            )?;
            let id = out["volume_id"].as_str().unwrap_or_default().to_string();
            volume_places.insert(v.name.clone(), (account, v.region.clone()));
            self.world.names.insert(v.name.clone(), id);
        }
        self.world.cloud.advance(60);
        for (i, s) in res.snapshots.iter().enumerate() {
            let path = format!("world.resources.snapshots[{i}]");
            self.name_taken(&s.name, &path)?;
            let Some((account, region)) = volume_places.get(&s.volume).cloned() else {
                return Err(WorldError {
                    path,
                    message: format!(
                        "volume `{}` is not a volume of world.resources.volumes",
                        s.volume
                    ),
                });
            };
            let mut request = json!({"volume_id": self.world.names[&s.volume],
                "tag_specifications": tag_specs("snapshot", tag_list(Some(&s.name), &s.tags))});
            if let Some(d) = &s.description {
                request["description"] = json!(d);
            }
            let out = self.call(&path, &account, &region, "ec2", "create_snapshot", request)?;
            let id = out["snapshot_id"].as_str().unwrap_or_default().to_string();
            self.world.names.insert(s.name.clone(), id);
        }
        self.world.cloud.advance(SETTLE_SECONDS);
        self.fleets(spec)
    }

    /// Launch templates, then Auto Scaling groups, left with their instances in service.
    fn fleets(&mut self, spec: &LabSpec) -> Result<(), WorldError> {
        let res = &spec.world.resources;
        let mut template_places = BTreeMap::new();
        for (i, t) in res.launch_templates.iter().enumerate() {
            let path = format!("world.resources.launch_templates[{i}]");
            self.name_taken(&t.name, &path)?;
            let account = self.account(t.account.as_deref(), &path)?;
            let image_id = match self.world.names.get(&t.image) {
                Some(id) if id.starts_with("ami-") => id.clone(),
                _ => public_image_id(&t.image, &t.region).ok_or_else(|| WorldError {
                    path: path.clone(),
                    message: format!(
                        "`{}` is neither a catalogue image key nor a world image",
                        t.image
                    ),
                })?,
            };
            let mut request = json!({"launch_template_name": t.name,
                "launch_template_data": {"image_id": image_id, "instance_type": t.instance_type}});
            if !t.tags.is_empty() {
                request["tag_specifications"] =
                    tag_specs("launch-template", tag_list(None, &t.tags));
            }
            let out = self.call(
                &path,
                &account,
                &t.region,
                "ec2",
                "create_launch_template",
                request,
            )?;
            let id = out["launch_template"]["launch_template_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            template_places.insert(t.name.clone(), (account, t.region.clone()));
            self.world.names.insert(t.name.clone(), id);
        }
        for (i, g) in res.auto_scaling_groups.iter().enumerate() {
            let path = format!("world.resources.auto_scaling_groups[{i}]");
            self.name_taken(&g.name, &path)?;
            let account = self.account(g.account.as_deref(), &path)?;
            if template_places.get(&g.launch_template) != Some(&(account.clone(), g.region.clone()))
            {
                return Err(WorldError {
                    path,
                    message: format!(
                        "launch_template `{}` is not a template of world.resources.launch_templates in the group's region and account",
                        g.launch_template
                    ),
                });
            }
            let zones = if g.zones.is_empty() {
                amilab_cloud::catalog::region(&g.region)
                    .map(|r| r.zone_names().take(2).collect())
                    .unwrap_or_default()
            } else {
                g.zones.clone()
            };
            let tags: Vec<Value> = g
                .tags
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v, "propagate_at_launch": true}))
                .collect();
            let count = |c: &crate::lab::spec::CountSpec, key: &str| {
                c.value().ok_or_else(|| WorldError {
                    path: format!("{path}.{key}"),
                    message: format!("`{c:?}` is not a whole number"),
                })
            };
            let mut request = json!({"auto_scaling_group_name": g.name,
                "launch_template": {"launch_template_name": g.launch_template,
                    "version": g.version.clone().unwrap_or_else(|| "$Latest".into())},
                "min_size": count(&g.min_size, "min_size")?,
                "max_size": count(&g.max_size, "max_size")?,
                "availability_zones": zones, "tags": tags});
            if let Some(d) = &g.desired_capacity {
                request["desired_capacity"] = json!(count(d, "desired_capacity")?);
            }
            self.call(
                &path,
                &account,
                &g.region,
                "autoscaling",
                "create_auto_scaling_group",
                request,
            )?;
            self.world.names.insert(g.name.clone(), g.name.clone());
        }
        if !res.auto_scaling_groups.is_empty() {
            self.world.cloud.advance(SETTLE_SECONDS);
        }
        Ok(())
    }
}

/// The world's learner account id.
pub fn learner_account(spec: &LabSpec) -> String {
    spec.world
        .account
        .clone()
        .unwrap_or_else(|| DEFAULT_ACCOUNT.to_string())
}

fn render_value(v: Value, ctx: &TextContext) -> Value {
    match v {
        Value::String(s) => Value::String(ctx.render(&s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|i| render_value(i, ctx)).collect())
        }
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (ctx.render(&k), render_value(v, ctx)))
                .collect(),
        ),
        other => other,
    }
}

/// `spec` with every placeholder (`{{params.NAME}}`, `{{accounts.NAME}}`, `{{account}}`,
/// `{{learner}}`) of `world.regions` and of every string of `world.resources` (names, regions,
/// images, tags, commands…) rendered for one variant.
/// `Err` only if the rendered resources no longer fit their types (a placeholder turned a
/// number field into text).
pub fn render_world(spec: &LabSpec, ctx: &TextContext) -> Result<LabSpec, WorldError> {
    let mut out = spec.clone();
    out.world.regions = spec.world.regions.iter().map(|r| ctx.render(r)).collect();
    out.world.resources = serde_json::to_value(&spec.world.resources)
        .map(|v| render_value(v, ctx))
        .and_then(serde_json::from_value)
        .map_err(|e| WorldError {
            path: "world.resources".into(),
            message: format!("after filling in placeholders: {e}"),
        })?;
    Ok(out)
}

/// Builds the world of `spec` with resource ids drawn from `seed`; `ctx` renders the
/// placeholders of `world.regions` and `world.resources` first ([`render_world`]), so
/// `world["NAME"]` keys are the rendered names. The returned cloud's trail and call counter
/// are empty and its API-call quota is the lab's.
pub fn build(spec: &LabSpec, seed: u64, ctx: &TextContext) -> Result<World, WorldError> {
    let spec = &render_world(spec, ctx)?;
    let account = learner_account(spec);
    let start_time = match &spec.world.start {
        None => clock::DEFAULT_START,
        Some(text) => clock::parse_iso8601(text).ok_or_else(|| WorldError {
            path: "world.start".into(),
            message: format!("`{text}` is not an ISO-8601 UTC time like 2025-03-01T09:00:00Z"),
        })?,
    };
    let mut quotas = Quotas::default();
    if let Some(n) = spec.limits.instances_per_region {
        quotas.instances_per_region = n;
    }
    let learner_calls = spec.limits.api_calls.unwrap_or(quotas.api_calls);
    quotas.api_calls = u64::MAX;
    let mut subscriptions = std::collections::BTreeSet::new();
    for (index, s) in spec.world.subscriptions.iter().enumerate() {
        let holder = match s.account.as_deref() {
            None | Some("learner") => account.clone(),
            Some(id) if amilab_cloud::is_account_id(id) => id.to_string(),
            Some(name) => spec
                .world
                .accounts
                .get(name)
                .cloned()
                .ok_or_else(|| WorldError {
                    path: format!("world.subscriptions[{index}].account"),
                    message: format!(
                        "unknown account `{name}`; declare it under world.accounts or use `learner`"
                    ),
                })?,
        };
        subscriptions.insert((holder, s.product_code.clone()));
    }
    let cloud = Cloud::new(WorldConfig {
        seed,
        account: account.clone(),
        other_accounts: spec.world.accounts.values().cloned().collect(),
        regions: spec.world.regions.clone(),
        start_time,
        quotas,
        subscriptions,
        component_document_parser: Some(crate::yaml::component_document),
    });
    let mut accounts = spec.world.accounts.clone();
    accounts.insert("learner".into(), account.clone());
    let mut builder = Builder {
        world: World {
            cloud,
            account,
            accounts,
            names: BTreeMap::new(),
            preexisting: BTreeSet::new(),
        },
    };
    builder.build(spec)?;
    let mut world = builder.world;
    let mut ids = BTreeSet::new();
    let names: Vec<String> = world.cloud.region_names().map(str::to_string).collect();
    for name in names {
        let region = world.cloud.region(&name).expect("listed region");
        ids.extend(region.instances().map(|x| x.id.clone()));
        ids.extend(region.images().map(|x| x.id.clone()));
        ids.extend(region.volumes().map(|x| x.id.clone()));
        ids.extend(region.snapshots().map(|x| x.id.clone()));
        ids.extend(region.launch_templates().map(|x| x.id.clone()));
    }
    world.preexisting = ids;
    world.cloud.set_api_call_quota(learner_calls);
    world.cloud.begin_run();
    Ok(world)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::course::{parse, Source};
    use crate::lab::grade::{variant, Who};

    #[test]
    fn placeholders_in_world_resources_are_rendered_per_variant() {
        let text = include_str!("../../tests/fixtures/labs/param-region/lab.yaml");
        let lab = parse("lab.yaml", text, Source::Dir(".".into())).unwrap();
        let mut regions = BTreeSet::new();
        for learner in ["ada", "grace", "bob", "zoe", "linus"] {
            let v = variant(
                &lab.spec,
                &Who {
                    learner: Some(learner.into()),
                    seed: None,
                },
            );
            let (app, region) = (
                v.params["app"].as_str().unwrap(),
                v.params["region"].as_str().unwrap(),
            );
            regions.insert(region.to_string());
            let world = build(&lab.spec, v.seed, &v.text).unwrap();
            let id = &world.names[&format!("{app}-server")];
            let inst = world.cloud.region(region).unwrap().instance(id).unwrap();
            assert_eq!(
                inst.key_name.as_deref(),
                Some(format!("{app}-key").as_str())
            );
            assert_eq!(inst.security_groups[0].1, format!("{app}-web"));
            assert_eq!(inst.tags.get("Team"), Some(app));
            assert_eq!(inst.tags.get("Reviewer"), Some("444455556666"));
        }
        assert!(regions.len() > 1, "learners get different regions");
    }

    #[test]
    fn subscriptions_name_accounts_by_name_or_id_and_reach_the_cloud() {
        let text = "id: t\ntitle: T\ndifficulty: beginner\nminutes: 1\nconcepts: []\nstory: s\nworld:\n  accounts: {mate: \"444455556666\"}\n  subscriptions:\n    - {product_code: abc}\n    - {product_code: def, account: mate}\n    - {product_code: ghi, account: \"111122223333\"}\nchecks: []\n";
        let lab = parse("lab.yaml", text, Source::Dir(".".into())).unwrap();
        let world = build(&lab.spec, 1, &TextContext::default()).unwrap();
        let subs: Vec<(String, String)> = world.cloud.subscriptions().iter().cloned().collect();
        let pair = |a: &str, c: &str| (a.to_string(), c.to_string());
        assert_eq!(
            subs,
            [
                pair("111122223333", "ghi"),
                pair("123456789012", "abc"),
                pair("444455556666", "def"),
            ]
        );
        let bad = text.replace("account: mate", "account: stranger");
        let lab = parse("lab.yaml", &bad, Source::Dir(".".into())).unwrap();
        let err = build(&lab.spec, 1, &TextContext::default()).err().unwrap();
        assert_eq!(err.path, "world.subscriptions[1].account");
    }

    #[test]
    fn a_world_marketplace_instance_needs_its_owner_subscribed() {
        let lab = |subscriptions: &str| {
            let text = format!("id: t\ntitle: T\ndifficulty: beginner\nminutes: 1\nconcepts: []\nstory: s\nworld:\n  regions: [us-east-1]\n  resources:\n    instances:\n      - {{name: shop, region: us-east-1, image: marketplace-lamp, instance_type: t3.small}}\n{subscriptions}checks: []\n");
            parse("lab.yaml", &text, Source::Dir(".".into())).unwrap()
        };
        let refused = lab("");
        let err = build(&refused.spec, 1, &TextContext::default())
            .err()
            .unwrap();
        assert!(err.message.contains("OptInRequired"), "{err:?}");
        let subscribed = lab("  subscriptions: [{product_code: 7axhc9g8w4lqkc3v2b6e1mzpa}]\n");
        let world = build(&subscribed.spec, 1, &TextContext::default()).unwrap();
        assert!(world.names.contains_key("shop"));
    }
}

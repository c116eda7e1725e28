//! Rules on `world:`: account ids, regions (literal or drawn from a param), images and owning
//! accounts of the pre-existing resources.

use std::collections::HashSet;

use super::text::values;
use super::{find, Ctx, Finding};
use crate::lab::params::placeholders;
use crate::lab::spec::LabSpec;
use amilab_cloud::catalog::{self, images::PUBLIC_IMAGES};
use amilab_cloud::is_account_id;
use amilab_text::closest;

/// A resource with a region and an owner.
struct Placed<'a> {
    kind: &'static str,
    index: usize,
    name: &'a str,
    region: &'a str,
    account: Option<&'a str>,
}

fn placed(spec: &LabSpec) -> Vec<Placed<'_>> {
    let r = &spec.world.resources;
    let mut out = Vec::new();
    macro_rules! add {
        ($list:expr, $kind:literal) => {
            out.extend($list.iter().enumerate().map(|(index, x)| Placed {
                kind: $kind,
                index,
                name: x.name.as_str(),
                region: x.region.as_str(),
                account: x.account.as_deref(),
            }))
        };
    }
    add!(r.key_pairs, "key_pairs");
    add!(r.security_groups, "security_groups");
    add!(r.instances, "instances");
    add!(r.volumes, "volumes");
    add!(r.launch_templates, "launch_templates");
    add!(r.auto_scaling_groups, "auto_scaling_groups");
    out
}

fn keys(kind: &str) -> [&str; 3] {
    ["world", "resources", kind]
}

/// `account-id`: `world.account` and the values of `world.accounts`.
pub(super) fn account_id(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, id) in &cx.spec.world.accounts {
        if !is_account_id(id) {
            out.push(
                Finding::new(
                    format!("account `{name}` is `{id}`, not a 12-digit account id"),
                    cx.loc.path(&["world", "accounts", name]),
                )
                .help("quote it: teammate: \"444455556666\""),
            );
        }
    }
    if let Some(a) = &cx.spec.world.account {
        if !is_account_id(a) {
            out.push(
                Finding::new(
                    format!("world.account `{a}` is not a 12-digit account id"),
                    cx.loc.path(&["world", "account"]),
                )
                .help("quote it: account: \"123456789012\""),
            );
        }
    }
    out
}

/// `unknown-region`: every entry of `world.regions` (each value of a placeholder).
pub(super) fn unknown_region(cx: &Ctx) -> Vec<Finding> {
    let all: Vec<&str> = catalog::REGIONS.iter().map(|r| r.name).collect();
    let mut out = Vec::new();
    for r in &cx.spec.world.regions {
        let at = find(&cx.loc, r, cx.loc.path(&["world", "regions"]));
        for v in values(cx.spec, r).unwrap_or_default() {
            if catalog::region(&v).is_some() {
                continue;
            }
            let message = if v == *r {
                format!("unknown region `{r}`")
            } else {
                format!("unknown region `{v}` (a value of `{r}`)")
            };
            let mut f = Finding::new(message, at);
            if let Some(b) = closest(&v, all.iter().copied()) {
                f = f.help(format!("did you mean `{b}`?"));
            }
            out.push(f);
        }
    }
    out
}

/// The enabled regions, when `world.regions` restricts them (`None`: every catalogue region).
fn enabled_regions(spec: &LabSpec) -> Option<HashSet<String>> {
    if spec.world.regions.is_empty() {
        return None;
    }
    let mut set = HashSet::new();
    for r in &spec.world.regions {
        set.extend(values(spec, r)?);
    }
    Some(set)
}

/// `resource-region-disabled`: a resource's literal region, or any value its placeholder can
/// take, is not enabled.
pub(super) fn region_disabled(cx: &Ctx) -> Vec<Finding> {
    let enabled = enabled_regions(cx.spec);
    let is_enabled = |r: &str| match &enabled {
        Some(set) => set.contains(r),
        None => catalog::region(r).is_some(),
    };
    let mut out = Vec::new();
    for p in placed(cx.spec) {
        let at = cx.loc.item_key(&keys(p.kind), p.index, "region");
        let names = placeholders(p.region);
        let literal = names.is_empty();
        let list_param = names.iter().find_map(|n| {
            let param = n.strip_prefix("params.")?;
            let n = cx.spec.params.get(param)?.choose.filter(|n| *n > 1)?;
            Some((param, n))
        });
        if let Some((param, n)) = list_param {
            out.push(
                Finding::new(
                    format!(
                        "world resource `{}` is in `{}`, but param `{param}` draws {n} values (`choose: {n}`), not one region",
                        p.name, p.region
                    ),
                    at,
                )
                .help("draw one region per learner: `one_of: [...]` or `choose: 1`"),
            );
            continue;
        }
        for v in values(cx.spec, p.region).unwrap_or_default() {
            if is_enabled(&v) {
                continue;
            }
            out.push(if literal {
                Finding::new(
                    format!(
                        "world resource `{}` is in `{v}`, which is not an enabled region",
                        p.name
                    ),
                    at,
                )
                .help("add the region to world.regions or move the resource")
            } else {
                Finding::new(
                    format!(
                        "world resource `{}` is in `{}`, which can be `{v}`: not an enabled region",
                        p.name, p.region
                    ),
                    at,
                )
                .help(format!(
                    "add `{v}` to world.regions, or draw only enabled regions in the param"
                ))
            });
        }
    }
    out
}

/// `unknown-image`: the image of an instance or a launch template (each value of a
/// placeholder) is neither a catalogue key nor the name of a world image.
pub(super) fn unknown_image(cx: &Ctx) -> Vec<Finding> {
    let res = &cx.spec.world.resources;
    let world_images: HashSet<&str> = res.images.iter().map(|i| i.name.as_str()).collect();
    let keys_list: Vec<&str> = PUBLIC_IMAGES
        .iter()
        .map(|p| p.key)
        .filter(|k| !k.is_empty())
        .collect();
    let users = res
        .instances
        .iter()
        .enumerate()
        .map(|(i, x)| {
            (
                "instances",
                "instance",
                i,
                x.name.as_str(),
                x.image.as_str(),
            )
        })
        .chain(res.launch_templates.iter().enumerate().map(|(i, x)| {
            (
                "launch_templates",
                "launch template",
                i,
                x.name.as_str(),
                x.image.as_str(),
            )
        }));
    let mut out = Vec::new();
    for (kind, what, index, name, image) in users {
        if world_images.contains(image) {
            continue;
        }
        for v in values(cx.spec, image).unwrap_or_default() {
            if world_images.contains(v.as_str()) || PUBLIC_IMAGES.iter().any(|p| p.key == v) {
                continue;
            }
            let shown = if v == image {
                format!("`{v}`")
            } else {
                format!("`{image}` (which can be `{v}`)")
            };
            let f = Finding::new(
                format!(
                    "{what} `{name}` uses image {shown}, which is neither a catalogue key nor a world image"
                ),
                cx.loc.item_key(&keys(kind), index, "image"),
            );
            out.push(match closest(&v, keys_list.iter().copied()) {
                Some(b) => f.help(format!(
                    "did you mean `{b}`? catalogue keys: {}",
                    keys_list.join(", ")
                )),
                None => f.help(format!("catalogue keys: {}", keys_list.join(", "))),
            });
        }
    }
    out
}

/// `unknown-account`: a resource's `account` or an image's `shared_with` entry (each value of
/// a placeholder) is not `learner`, a `world.accounts` name or a 12-digit id.
pub(super) fn unknown_account(cx: &Ctx) -> Vec<Finding> {
    let spec = cx.spec;
    let mut owners: Vec<(&str, usize, &str, &str)> = placed(spec)
        .into_iter()
        .filter_map(|p| p.account.map(|a| (p.kind, p.index, "account", a)))
        .collect();
    for (i, im) in spec.world.resources.images.iter().enumerate() {
        owners.extend(
            im.shared_with
                .iter()
                .map(|a| ("images", i, "shared_with", a.as_str())),
        );
    }
    let mut out = Vec::new();
    for (index, s) in spec.world.subscriptions.iter().enumerate() {
        let Some(a) = s.account.as_deref() else {
            continue;
        };
        let declared = spec.world.accounts.contains_key(a);
        if a == "learner" || is_account_id(a) || declared {
            continue;
        }
        out.push(
            Finding::new(
                format!("unknown account `{a}` in world.subscriptions"),
                cx.loc
                    .item_value(&["world", "subscriptions"], index, "account", a),
            )
            .help("use `learner`, a name declared under world.accounts, or a 12-digit id"),
        );
    }
    for (kind, index, field, o) in owners {
        for v in values(spec, o).unwrap_or_default() {
            let declared = spec.world.accounts.contains_key(&v)
                || spec.world.accounts.values().any(|id| *id == v);
            if v == "learner" || is_account_id(&v) || declared {
                continue;
            }
            out.push(
                Finding::new(
                    format!("unknown account `{v}` in world.resources"),
                    cx.loc.item_value(&keys(kind), index, field, o),
                )
                .help("use `learner`, a name declared under world.accounts, or a 12-digit id"),
            );
        }
    }
    out
}

/// `unknown-product-code`: a `world.subscriptions` entry names a product code no catalogue
/// marketplace image carries.
pub(super) fn unknown_product_code(cx: &Ctx) -> Vec<Finding> {
    let codes: Vec<&str> = PUBLIC_IMAGES
        .iter()
        .filter_map(|i| i.product_code)
        .collect();
    let mut out = Vec::new();
    for (index, s) in cx.spec.world.subscriptions.iter().enumerate() {
        if codes.contains(&s.product_code.as_str()) {
            continue;
        }
        let f = Finding::new(
            format!(
                "world.subscriptions names product code `{}`, which no catalogue marketplace image carries",
                s.product_code
            ),
            cx.loc.item_value(
                &["world", "subscriptions"],
                index,
                "product_code",
                &s.product_code,
            ),
        );
        out.push(match closest(&s.product_code, codes.iter().copied()) {
            Some(b) => f.help(format!(
                "did you mean `{b}`? product codes: {}",
                codes.join(", ")
            )),
            None => f.help(format!("product codes: {}", codes.join(", "))),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml, CHECK};
    use super::*;

    const WORLD: &str = "params:\n  region: {one_of: [us-east-1, ap-south-1]}\nworld:\n  account: \"12\"\n  accounts:\n    team: 4444\n  regions: [us-east-1, eu-wset-1]\n  resources:\n    instances:\n      - name: a\n        image: al2023-x86\n        region: ap-south-1\n        account: contractor\n      - name: b\n        image: al2023-x86_64\n        region: \"{{params.region}}\"\n        account: \"{{accounts.team}}\"\n    images:\n      - name: img\n        from_instance: a\n        shared_with: [team, nobody]\n";

    fn msgs(f: &[Finding]) -> Vec<(String, Option<(usize, usize)>)> {
        f.iter().map(|f| (f.message.clone(), f.at)).collect()
    }

    #[test]
    fn subscriptions_are_checked_where_they_are_written() {
        let y = yaml(
            "world:\n  subscriptions:\n    - product_code: 7axhc9g8w4lqkc3v2b6e1mzpa\n    - product_code: 7axhc9g8w4lqkc3v2b6e1mzpb\n      account: stranger\n",
            CHECK,
        );
        let p = findings(&y, unknown_product_code);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].at, Some((10, 21)));
        assert!(p[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `7axhc9g8w4lqkc3v2b6e1mzpa`?"));
        let a = findings(&y, unknown_account);
        assert_eq!(
            msgs(&a),
            [(
                "unknown account `stranger` in world.subscriptions".into(),
                Some((11, 16))
            )]
        );
    }

    #[test]
    fn accounts_and_regions() {
        let y = yaml(WORLD, CHECK);
        assert_eq!(findings(&y, account_id).len(), 2);
        let r = findings(&y, unknown_region);
        assert_eq!(
            msgs(&r),
            [("unknown region `eu-wset-1`".into(), Some((13, 24)))]
        );
        let d = findings(&y, region_disabled);
        assert_eq!(
            msgs(&d),
            [
                ("world resource `a` is in `ap-south-1`, which is not an enabled region".into(), Some((18, 9))),
                ("world resource `b` is in `{{params.region}}`, which can be `ap-south-1`: not an enabled region".into(), Some((22, 9))),
            ]
        );
    }

    #[test]
    fn images_and_owners() {
        let y = yaml(WORLD, CHECK);
        let i = findings(&y, unknown_image);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].at, Some((17, 9)));
        let a = findings(&y, unknown_account);
        assert_eq!(
            msgs(&a),
            [
                (
                    "unknown account `contractor` in world.resources".into(),
                    Some((19, 18))
                ),
                (
                    "unknown account `nobody` in world.resources".into(),
                    Some((27, 29))
                ),
            ]
        );
    }
}

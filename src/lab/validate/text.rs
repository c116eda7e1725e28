//! Placeholders (`{{params.NAME}}`, `{{accounts.NAME}}`, `{{account}}`, `{{learner}}`): the
//! `unknown-placeholder` rule over learner-facing text and world resources, and every text a
//! field with placeholders can become (for the rules that check world values).

use serde_json::Value;

use super::resources::resource_strings;
use super::{find, Ctx, Finding};
use crate::lab::params::{placeholders, TextContext};
use crate::lab::spec::{LabSpec, ParamSpec};
use crate::lab::world::learner_account;
use amilab_text::closest;

/// Most combinations [`values`] enumerates before giving up.
const MAX_VALUES: usize = 1000;

/// True when the placeholder `name` (without braces) names something.
pub(super) fn is_known(spec: &LabSpec, name: &str) -> bool {
    match name.split_once('.') {
        Some(("params", p)) => spec.params.contains_key(p),
        Some(("accounts", a)) => a == "learner" || spec.world.accounts.contains_key(a),
        None => name == "account" || name == "learner",
        _ => false,
    }
}

/// Every value a param can take (`None` when there are too many, or it is malformed).
fn param_values(p: &ParamSpec) -> Option<Vec<Value>> {
    if let Some(v) = &p.value {
        return Some(vec![v.clone()]);
    }
    if let (Some(n), Some(from)) = (p.choose, &p.from) {
        // One value per choice when one is chosen; otherwise a list, never a single value:
        // one representative stands for all.
        return Some(if n == 1 {
            from.iter().map(|v| Value::Array(vec![v.clone()])).collect()
        } else {
            vec![Value::Array(from.iter().take(n).cloned().collect())]
        });
    }
    if let Some(list) = &p.one_of {
        return Some(list.clone());
    }
    if let Some([lo, hi]) = p.range {
        if hi >= lo && ((hi - lo) as usize) < MAX_VALUES {
            return Some((lo..=hi).map(Value::from).collect());
        }
    }
    None
}

/// Every text `text` can become once rendered, or `None` when that cannot be known statically
/// (`{{learner}}`, an unknown placeholder, too many combinations). A text without placeholders
/// is its only value.
pub(super) fn values(spec: &LabSpec, text: &str) -> Option<Vec<String>> {
    let names = placeholders(text);
    let account = learner_account(spec);
    let mut accounts = spec.world.accounts.clone();
    accounts.insert("learner".into(), account.clone());
    let mut combos = vec![TextContext {
        accounts,
        account,
        ..TextContext::default()
    }];
    for name in &names {
        if !is_known(spec, name) || name == "learner" {
            return None;
        }
        let Some(p) = name.strip_prefix("params.") else {
            continue;
        };
        if combos[0].params.contains_key(p) {
            continue;
        }
        let vals = param_values(&spec.params[p])?;
        if combos.len() * vals.len() > MAX_VALUES {
            return None;
        }
        combos = combos
            .into_iter()
            .flat_map(|c| {
                vals.iter().map(move |v| {
                    let mut c = c.clone();
                    c.params.insert(p.to_string(), v.clone());
                    c
                })
            })
            .collect();
    }
    let mut out: Vec<String> = combos.iter().map(|c| c.render(text)).collect();
    out.dedup();
    Some(out)
}

fn unknown(spec: &LabSpec, name: &str, at: Option<(usize, usize)>) -> Finding {
    let params: Vec<String> = spec.params.keys().map(|k| format!("params.{k}")).collect();
    let f = Finding::new(format!("unknown placeholder `{{{{{name}}}}}`"), at);
    f.help(match closest(name, params.iter().map(String::as_str)) {
        Some(b) => format!("did you mean `{{{{{b}}}}}`?"),
        None => "placeholders are {{params.NAME}}, {{accounts.NAME}}, {{account}} and {{learner}}"
            .to_string(),
    })
}

/// `unknown-placeholder`: in the title, story, objectives, checks' titles, hints and
/// `expected`, and every string of `world.resources`.
pub(super) fn unknown_placeholder(cx: &Ctx) -> Vec<Finding> {
    let (spec, loc) = (cx.spec, &cx.loc);
    let mut texts: Vec<(&str, Option<(usize, usize)>)> = vec![
        (&spec.title, loc.top("title")),
        (&spec.story, loc.top("story")),
    ];
    texts.extend(
        spec.objectives
            .iter()
            .map(|o| (o.as_str(), loc.top("objectives"))),
    );
    for c in &spec.checks {
        texts.push((&c.title, loc.key(&c.id, "title")));
        texts.extend(
            c.hints
                .iter()
                .map(|h| (h.as_str(), loc.key(&c.id, "hints"))),
        );
        if let Some(e) = &c.expected {
            texts.push((e, loc.key(&c.id, "expected")));
        }
    }
    let mut out = Vec::new();
    for (text, at) in texts {
        for name in placeholders(text)
            .into_iter()
            .filter(|n| !is_known(spec, n))
        {
            out.push(unknown(spec, &name, find(loc, &name, at)));
        }
    }
    for s in resource_strings(spec) {
        for name in placeholders(&s.text)
            .into_iter()
            .filter(|n| !is_known(spec, n))
        {
            out.push(unknown(spec, &name, s.position(loc, &name)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, lab, yaml, CHECK};
    use super::*;

    const WORLD: &str = "params:\n  region: {one_of: [us-east-1, eu-west-1]}\n  n: {range: [1, 2]}\nworld:\n  accounts:\n    team: \"444455556666\"\n  resources:\n    instances:\n      - name: \"web-{{params.n}}\"\n        region: \"{{params.regoin}}\"\n        image: al2023-x86_64\n        tags:\n          Owner: \"{{accounts.team}} {{nope}}\"\n";

    #[test]
    fn unknown_placeholders_in_text_and_world() {
        let y = yaml(WORLD, CHECK).replace("story: s", "story: \"{{params.regon}}\"");
        let f = findings(&y, unknown_placeholder);
        let got: Vec<(&str, Option<(usize, usize)>)> =
            f.iter().map(|f| (f.message.as_str(), f.at)).collect();
        assert_eq!(
            got,
            [
                ("unknown placeholder `{{params.regon}}`", Some((6, 11))),
                ("unknown placeholder `{{params.regoin}}`", Some((16, 20))),
                ("unknown placeholder `{{nope}}`", Some((19, 39))),
            ]
        );
        assert_eq!(
            f[1].help.as_deref(),
            Some("did you mean `{{params.region}}`?")
        );
    }

    #[test]
    fn enumerates_values() {
        let l = lab(&yaml(WORLD, CHECK));
        let s = &l.spec;
        assert_eq!(values(s, "plain").unwrap(), ["plain"]);
        assert_eq!(
            values(s, "{{params.region}}").unwrap(),
            ["us-east-1", "eu-west-1"]
        );
        assert_eq!(
            values(s, "{{params.n}}-{{params.n}}").unwrap(),
            ["1-1", "2-2"]
        );
        assert_eq!(values(s, "{{accounts.team}}").unwrap(), ["444455556666"]);
        assert_eq!(values(s, "{{learner}}"), None);
        assert_eq!(values(s, "{{params.nope}}"), None);
    }
}

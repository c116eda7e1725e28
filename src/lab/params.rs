//! Per-learner variants: the seed from a learner id (sha256), drawing each param with ChaCha8
//! (portable: every platform draws the same variant), and `{{params.NAME}}` in text.

use std::collections::BTreeMap;

use serde_json::Value;

use super::spec::ParamSpec;

/// Drawn values, by param name.
pub type Params = BTreeMap<String, Value>;

use crate::learner::Draw;
pub use crate::learner::ANONYMOUS;

/// The seed of a learner's variant of a lab: the first 8 bytes (little-endian) of a sha256 of
/// the lab id and the learner id. The same seed also drives the world's resource ids.
pub fn learner_seed(lab_id: &str, learner: &str) -> u64 {
    crate::learner::seed_from(&["amilab-lab", lab_id, learner])
}

/// Draws every param from `seed`. Each param has its own stream (seeded by its name), so adding
/// a param never changes the others. A malformed spec (caught by validation) draws `null`.
pub fn draw(specs: &BTreeMap<String, ParamSpec>, seed: u64) -> Params {
    specs
        .iter()
        .map(|(name, spec)| {
            let mut draw = Draw::new(&[&seed.to_string(), "param", name]);
            (name.clone(), draw_one(spec, &mut draw))
        })
        .collect()
}

fn draw_one(spec: &ParamSpec, draw: &mut Draw) -> Value {
    if let Some(v) = &spec.value {
        return v.clone();
    }
    if let (Some(n), Some(from)) = (spec.choose, &spec.from) {
        // `n` of the indices, then `from`'s own order.
        let chosen = draw.choose(n, from.len());
        return Value::Array(chosen.into_iter().map(|i| from[i].clone()).collect());
    }
    if let Some(list) = &spec.one_of {
        if list.is_empty() {
            return Value::Null;
        }
        return list[draw.below(list.len() as u64) as usize].clone();
    }
    if let Some([lo, hi]) = spec.range {
        if hi < lo {
            return Value::Null;
        }
        let span = (hi - lo) as u64 + 1;
        return Value::from(lo + draw.below(span) as i64);
    }
    Value::Null
}

/// A value as text: strings as they are, arrays as an English list (`a`, `a and b`,
/// `a, b and c`), other values as JSON.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let mut parts: Vec<String> = items.iter().map(text_of).collect();
            match parts.pop() {
                None => String::new(),
                Some(last) if parts.is_empty() => last,
                Some(last) => format!("{} and {last}", parts.join(", ")),
            }
        }
        other => other.to_string(),
    }
}

/// What `{{...}}` placeholders may name: `params.NAME`, `accounts.NAME`, `account`, `learner`.
#[derive(Debug, Clone, Default)]
pub struct TextContext {
    pub params: Params,
    pub accounts: BTreeMap<String, String>,
    pub account: String,
    pub learner: String,
}

impl TextContext {
    /// The value of one placeholder, or `None` when it names nothing.
    pub fn lookup(&self, name: &str) -> Option<String> {
        let name = name.trim();
        if let Some(p) = name.strip_prefix("params.") {
            return self.params.get(p).map(text_of);
        }
        if let Some(a) = name.strip_prefix("accounts.") {
            return self.accounts.get(a).cloned();
        }
        match name {
            "account" => Some(self.account.clone()),
            "learner" => Some(self.learner.clone()),
            _ => None,
        }
    }

    /// Replaces every known `{{...}}`; unknown placeholders stay as written (validation
    /// reports them).
    pub fn render(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find("}}") {
                Some(end) => {
                    match self.lookup(&after[..end]) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&rest[start..start + 2 + end + 2]),
                    }
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The placeholders of `text` (without braces), in order.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn specs() -> BTreeMap<String, ParamSpec> {
        let mut m = BTreeMap::new();
        m.insert(
            "regions".into(),
            ParamSpec {
                choose: Some(2),
                from: Some(vec![json!("a"), json!("b"), json!("c"), json!("d")]),
                ..ParamSpec::default()
            },
        );
        m.insert(
            "count".into(),
            ParamSpec {
                range: Some([6, 12]),
                ..ParamSpec::default()
            },
        );
        m.insert(
            "prefix".into(),
            ParamSpec {
                one_of: Some(vec![json!("web"), json!("shop")]),
                ..ParamSpec::default()
            },
        );
        m
    }

    #[test]
    fn draws_are_deterministic_and_in_range() {
        let s = specs();
        for learner in ["alice", "bob", "carol", "dave", "erin", "frank"] {
            let seed = learner_seed("lab", learner);
            let a = draw(&s, seed);
            assert_eq!(a, draw(&s, seed));
            let regions = a["regions"].as_array().unwrap();
            assert_eq!(regions.len(), 2);
            assert!(
                regions[0].as_str() < regions[1].as_str(),
                "kept in list order"
            );
            let count = a["count"].as_i64().unwrap();
            assert!((6..=12).contains(&count));
            assert!(["web", "shop"].contains(&a["prefix"].as_str().unwrap()));
        }
    }

    #[test]
    fn learners_get_different_variants() {
        let s = specs();
        let variants: std::collections::BTreeSet<String> = (0..20)
            .map(|i| draw(&s, learner_seed("lab", &format!("learner-{i}"))))
            .map(|p| serde_json::to_string(&p).unwrap())
            .collect();
        assert!(variants.len() > 5, "{variants:?}");
    }

    #[test]
    fn renders_placeholders() {
        let mut ctx = TextContext {
            learner: "alice".into(),
            ..TextContext::default()
        };
        ctx.params
            .insert("regions".into(), json!(["eu-west-1", "ap-south-1"]));
        ctx.params.insert("count".into(), json!(10));
        ctx.accounts
            .insert("teammate".into(), "444455556666".into());
        assert_eq!(
            ctx.render("{{params.count}} in {{ params.regions }} for {{accounts.teammate}} ({{learner}}) {{nope}} {{"),
            "10 in eu-west-1 and ap-south-1 for 444455556666 (alice) {{nope}} {{"
        );
        assert_eq!(placeholders("a {{x}} b {{ y.z }}"), vec!["x", "y.z"]);
    }
}

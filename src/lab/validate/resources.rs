//! Every string of the world's pre-existing resources, with where it sits in lab.yaml: what the
//! text and world rules read placeholders and names from.

use serde_json::Value;

use crate::lab::spec::LabSpec;
use crate::yaml::Locator;

/// One string somewhere in a world resource (a tag value, a list item…).
pub(super) struct ResourceString {
    /// `instances`, `volumes`, … (the key under `world.resources`).
    pub kind: String,
    pub index: usize,
    /// The resource's own key the string sits under (`region`, `tags`, `security_groups`).
    pub field: String,
    pub text: String,
}

impl ResourceString {
    /// Where `needle` sits in the field's value.
    pub fn position(&self, loc: &Locator, needle: &str) -> Option<(usize, usize)> {
        loc.item_value(
            &["world", "resources", &self.kind],
            self.index,
            &self.field,
            needle,
        )
    }
}

fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings_in(i, out)),
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                strings_in(v, out);
            }
        }
        _ => {}
    }
}

/// Every string (and map key) of every world resource.
pub(super) fn resource_strings(spec: &LabSpec) -> Vec<ResourceString> {
    let mut out = Vec::new();
    let Ok(Value::Object(kinds)) = serde_json::to_value(&spec.world.resources) else {
        return out;
    };
    for (kind, list) in kinds {
        for (index, item) in list.as_array().into_iter().flatten().enumerate() {
            for (field, v) in item.as_object().into_iter().flatten() {
                let mut texts = Vec::new();
                strings_in(v, &mut texts);
                out.extend(texts.into_iter().map(|text| ResourceString {
                    kind: kind.clone(),
                    index,
                    field: field.clone(),
                    text,
                }));
            }
        }
    }
    out
}

//! DescribeX filters: names AND together, values within one filter OR, `*` and `?` wildcards.

use amilab_text::wildcard;
use serde::Deserialize;

use super::tags::Tags;
use crate::error::{AwsError, AwsResult};

/// `{name, values}` as boto3 sends it.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The filter's name (`name`, `state`, `tag:Name`, `tag-key`, …); required.
    pub name: Option<String>,
    /// The values to match, with `*` and `?` wildcards; a resource matches when any value does.
    /// Empty matches nothing.
    pub values: Option<Vec<String>>,
}

/// A resource that DescribeX can filter.
pub(crate) trait Filterable {
    /// Filter names this resource understands, besides `tag:<key>` and `tag-key`.
    const FILTER_NAMES: &'static [&'static str];

    /// Hands the values of the field `name` to `out`.
    fn field(&self, name: &str, out: &mut Sink<'_>);

    fn tags(&self) -> &Tags;
}

/// Checks the filters' names up front, so an unknown name fails even when nothing would match.
pub(crate) fn validate<T: Filterable>(filters: &[Filter]) -> AwsResult<()> {
    for f in filters {
        match f.name.as_deref() {
            None => {
                return Err(AwsError::invalid_parameter_value(
                    "The filter 'null' is invalid.",
                ))
            }
            Some(name)
                if name.starts_with("tag:")
                    || name == "tag-key"
                    || T::FILTER_NAMES.contains(&name) => {}
            Some(name) => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "The filter '{name}' is invalid."
                )))
            }
        }
    }
    Ok(())
}

/// Receives a field's values one by one, so that matching allocates nothing for values the
/// resource already holds.
pub(crate) struct Sink<'s> {
    visit: &'s mut dyn FnMut(&str),
}

impl Sink<'_> {
    pub fn push(&mut self, value: impl AsRef<str>) {
        (self.visit)(value.as_ref())
    }

    pub fn extend<S: AsRef<str>>(&mut self, values: impl IntoIterator<Item = S>) {
        for v in values {
            self.push(v);
        }
    }
}

/// Matches resources against a request's filters.
pub(crate) struct Matcher<'f> {
    filters: &'f [Filter],
}

impl<'f> Matcher<'f> {
    pub fn new(filters: &'f [Filter]) -> Self {
        Matcher { filters }
    }

    pub fn matches<T: Filterable>(&self, resource: &T) -> bool {
        self.filters.iter().all(|f| {
            let name = f.name.as_deref().unwrap_or_default();
            let patterns = f.values.as_deref().unwrap_or_default();
            let mut hit = false;
            let mut visit = |value: &str| {
                hit = hit || patterns.iter().any(|p| wildcard(p, value));
            };
            let mut sink = Sink { visit: &mut visit };
            if let Some(key) = name.strip_prefix("tag:") {
                if let Some(v) = resource.tags().get(key) {
                    sink.push(v);
                }
            } else if name == "tag-key" {
                sink.extend(resource.tags().keys());
            } else {
                resource.field(name, &mut sink);
            }
            hit
        })
    }
}

/// `true` / `false`, as filters compare booleans.
pub(crate) fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

//! Tags on resources, tag specifications at creation, and CreateTags / DeleteTags / DescribeTags.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{AwsError, AwsResult};
use crate::request::request;

/// At most this many tags on one resource.
pub(crate) const MAX_TAGS_PER_RESOURCE: usize = 50;

/// A tag: `{key, value}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// The key: 1–128 characters, not starting with the reserved `aws:`.
    pub key: String,
    /// The value; empty when absent.
    #[serde(default)]
    pub value: String,
}

/// `{resource_type, tags}` in a create call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TagSpecification {
    /// The kind of resource the tags are for (`instance`, `volume`, `image`, `snapshot`, …); each
    /// operation accepts only the kinds it creates.
    pub resource_type: Option<String>,
    /// The tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A resource's tags, kept sorted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tags(BTreeMap<String, String>);

impl Tags {
    /// The value of the tag `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Every (key, value), sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many tags there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sets a tag without the checks CreateTags makes: it may set an `aws:` key, as AWS itself
    /// does on the resources it creates.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.insert(key.into(), value.into());
    }

    /// Removes the tag `key`, if present.
    pub(crate) fn remove(&mut self, key: &str) {
        self.0.remove(key);
    }

    /// Applies tags, refusing the whole set when the result would exceed the limit.
    pub(crate) fn apply(&mut self, tags: &[Tag]) -> AwsResult<()> {
        let mut next = self.0.clone();
        for t in tags {
            validate_key(&t.key)?;
            next.insert(t.key.clone(), t.value.clone());
        }
        if next.len() > MAX_TAGS_PER_RESOURCE {
            return Err(tag_limit_exceeded());
        }
        self.0 = next;
        Ok(())
    }

    /// Adds every tag of `other` (its values win), refusing the whole set when the result would
    /// exceed the limit.
    pub(crate) fn merge(&mut self, other: &Tags) -> AwsResult<()> {
        let mut next = self.0.clone();
        next.extend(other.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        if next.len() > MAX_TAGS_PER_RESOURCE {
            return Err(tag_limit_exceeded());
        }
        self.0 = next;
        Ok(())
    }

    /// boto3's `Tags` list, or `None` when there are none (boto3 omits the key).
    pub(crate) fn to_list(&self) -> Option<Vec<Tag>> {
        if self.0.is_empty() {
            None
        } else {
            Some(
                self.0
                    .iter()
                    .map(|(k, v)| Tag {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect(),
            )
        }
    }

    /// Copies every tag but AWS's own (`aws:` prefix), as CopyImage's `copy_image_tags` does.
    pub(crate) fn without_aws_reserved(&self) -> Tags {
        Tags(
            self.0
                .iter()
                .filter(|(k, _)| !k.starts_with("aws:"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
}

fn tag_limit_exceeded() -> AwsError {
    AwsError::new(
        "TagLimitExceeded",
        format!(
            "The maximum number of Tags for a resource has been reached. You may have at most {MAX_TAGS_PER_RESOURCE} tags per resource."
        ),
    )
}

fn validate_key(key: &str) -> AwsResult<()> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(AwsError::invalid_parameter_value(
            "Tag keys must be between 1 and 128 characters long.",
        ));
    }
    if key.starts_with("aws:") {
        return Err(AwsError::invalid_parameter_value(
            "Tag keys starting with 'aws:' are reserved for internal use",
        ));
    }
    Ok(())
}

/// The tags a create call gives a new resource of `resource_type`, picked out of its tag
/// specifications and validated (keys, values, the 50-tag limit), refusing resource types the
/// operation does not tag. Validated here, before the call changes anything, so that putting
/// them on the new resource cannot fail.
pub(crate) fn tags_for(
    specs: &[TagSpecification],
    allowed: &[&str],
    resource_type: &str,
) -> AwsResult<Tags> {
    let mut out = Vec::new();
    for spec in specs {
        let kind = spec.resource_type.as_deref().unwrap_or_default();
        if !allowed.contains(&kind) {
            return Err(AwsError::invalid_parameter_value(format!(
                "'{kind}' is not a valid taggable resource type for this operation."
            )));
        }
        if kind == resource_type {
            out.extend(spec.tags.iter().cloned());
        }
    }
    let mut tags = Tags::default();
    tags.apply(&out)?;
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.into(),
            value: v.into(),
        }
    }

    #[test]
    fn overwrite_and_limit() {
        let mut t = Tags::default();
        t.apply(&[tag("Name", "a")]).unwrap();
        t.apply(&[tag("Name", "b")]).unwrap();
        assert_eq!(t.get("Name"), Some("b"));
        let many: Vec<_> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
        let err = t.apply(&many).unwrap_err();
        assert_eq!(err.code, "TagLimitExceeded");
        assert_eq!(t.len(), 1, "a refused request applies nothing");
    }

    #[test]
    fn reserved_prefix_refused_and_not_copied() {
        let mut t = Tags::default();
        assert_eq!(
            t.apply(&[tag("aws:x", "1")]).unwrap_err().code,
            "InvalidParameterValue"
        );
        t.0.insert("aws:ec2launchtemplate:id".into(), "lt-1".into());
        t.insert("Name", "web");
        let copied = t.without_aws_reserved();
        assert_eq!(copied.keys().collect::<Vec<_>>(), vec!["Name"]);
    }

    #[test]
    fn tag_specifications_by_type() {
        let specs = vec![
            TagSpecification {
                resource_type: Some("image".into()),
                tags: vec![tag("Name", "img")],
            },
            TagSpecification {
                resource_type: Some("snapshot".into()),
                tags: vec![tag("Name", "snap")],
            },
        ];
        let allowed = ["image", "snapshot"];
        assert_eq!(
            tags_for(&specs, &allowed, "image").unwrap().get("Name"),
            Some("img")
        );
        // Tags are validated when they are picked, before any resource exists.
        let reserved = vec![TagSpecification {
            resource_type: Some("image".into()),
            tags: vec![tag("aws:x", "1")],
        }];
        assert_eq!(
            tags_for(&reserved, &allowed, "image").unwrap_err().code,
            "InvalidParameterValue"
        );
        let bad = vec![TagSpecification {
            resource_type: Some("instance".into()),
            tags: vec![],
        }];
        assert_eq!(
            tags_for(&bad, &allowed, "image").unwrap_err().message,
            "'instance' is not a valid taggable resource type for this operation."
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CreateTags / DeleteTags / DescribeTags

use crate::paging::{self, Pager};
use crate::{Caller, Cloud};
use amilab_text::wildcard;

/// At most this many resources in one CreateTags / DeleteTags call.
pub(crate) const MAX_RESOURCES_PER_CALL: usize = 1000;

request! {
    /// Input of EC2 `CreateTags` (EC2-BEHAVIOUR.md, Tags).
    pub struct CreateTagsInput {
        /// The resources to tag (`ami-…`, `i-…`, `vol-…`, `snap-…`, `sg-…`, `vpc-…`, `subnet-…`,
        /// `key-…`): the caller's, at most 1000.
        pub resources: Vec<String>,
        /// The tags to set; an existing key is overwritten.
        pub tags: Vec<Tag>,
        ..dry_run,
    }
}

request! {
    /// Input of EC2 `DeleteTags`.
    pub struct DeleteTagsInput {
        /// The resources to untag: the caller's, at most 1000.
        pub resources: Vec<String>,
        /// The tags to delete; every tag when empty.
        #[serde(default)]
        pub tags: Vec<DeleteTag>,
        ..dry_run,
    }
}

/// In DeleteTags a value is optional: with it, the tag goes only when the value matches.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteTag {
    /// The tag's key.
    pub key: String,
    /// The value it must have to be deleted; any value when absent.
    pub value: Option<String>,
}

request! {
    /// Input of EC2 `DescribeTags`. Filters: `key`, `value`, `resource-id`, `resource-type`.
    #[derive(Default)]
    pub struct DescribeTagsInput {
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// One tag on one resource, as DescribeTags lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagDescription {
    /// The tag's key.
    pub key: String,
    /// The resource's id.
    pub resource_id: String,
    /// `image`, `instance`, `volume`, `snapshot`, `security-group`, `key-pair`, `vpc` or `subnet`.
    pub resource_type: String,
    /// The tag's value.
    pub value: String,
}

/// EC2 `DescribeTags`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeTagsOutput {
    /// Every matching tag of the caller's resources in its region, by resource id, then key.
    pub tags: Vec<TagDescription>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

fn check_resources(resources: &[String]) -> AwsResult<()> {
    if resources.len() > MAX_RESOURCES_PER_CALL {
        return Err(AwsError::invalid_parameter_value(format!(
            "At most {MAX_RESOURCES_PER_CALL} resources can be tagged in one request."
        )));
    }
    Ok(())
}

impl Cloud {
    /// EC2 `CreateTags`: sets tags on resources; a failing request tags nothing. Answers `{}`.
    ///
    /// Errors: `InvalidParameterValue` for more than 1000 resources or a bad key (empty, over 128
    /// characters, `aws:` prefix); `InvalidID` for a resource that is not the caller's (or a
    /// deregistered image); `TagLimitExceeded` past 50 tags on a resource.
    pub fn create_tags(
        &mut self,
        caller: &Caller,
        input: CreateTagsInput,
    ) -> AwsResult<super::Empty> {
        check_resources(&input.resources)?;
        let region = self.region_mut(&caller.region)?;
        // Check every resource and the limit first: a failing request tags nothing.
        let checked = input.resources.iter().try_for_each(|id| {
            let tags = region
                .tags_of_mut(id, &caller.account)
                .ok_or_else(|| AwsError::new("InvalidID", format!("The ID '{id}' is not valid")))?;
            tags.clone().apply(&input.tags)
        });
        if let Err(e) = checked {
            region.forget_empty_views(&input.resources, &caller.account);
            return Err(e);
        }
        for id in &input.resources {
            let tags = region
                .tags_of_mut(id, &caller.account)
                .expect("checked above");
            tags.apply(&input.tags)?;
        }
        region.forget_empty_views(&input.resources, &caller.account);
        Ok(super::Empty {})
    }

    /// EC2 `DeleteTags`: removes tags (all of them when `tags` is empty; a tag given with a value
    /// only when the value matches). Answers `{}`.
    ///
    /// Errors: `InvalidParameterValue` for more than 1000 resources; `InvalidID` for a resource
    /// that is not the caller's.
    pub fn delete_tags(
        &mut self,
        caller: &Caller,
        input: DeleteTagsInput,
    ) -> AwsResult<super::Empty> {
        check_resources(&input.resources)?;
        let region = self.region_mut(&caller.region)?;
        let checked = input.resources.iter().try_for_each(|id| {
            region
                .tags_of_mut(id, &caller.account)
                .map(|_| ())
                .ok_or_else(|| AwsError::new("InvalidID", format!("The ID '{id}' is not valid")))
        });
        if let Err(e) = checked {
            region.forget_empty_views(&input.resources, &caller.account);
            return Err(e);
        }
        for id in &input.resources {
            let tags = region
                .tags_of_mut(id, &caller.account)
                .expect("checked above");
            if input.tags.is_empty() {
                *tags = Tags::default();
            }
            for t in &input.tags {
                let matches = match (&t.value, tags.get(&t.key)) {
                    (Some(want), Some(have)) => want == have,
                    (None, Some(_)) => true,
                    _ => false,
                };
                if matches {
                    tags.remove(&t.key);
                }
            }
        }
        region.forget_empty_views(&input.resources, &caller.account);
        Ok(super::Empty {})
    }

    /// EC2 `DescribeTags`: the tags of the caller's resources in its region, narrowed by filters.
    /// Pages: `max_results` 5–1000 (more is served as 1000), every tag without it
    /// (`paging::DESCRIBE_TAGS`).
    ///
    /// Errors: `InvalidParameterValue` for a page size below 5, an invalid `next_token` or an
    /// unknown filter name.
    pub fn describe_tags(
        &mut self,
        caller: &Caller,
        input: DescribeTagsInput,
    ) -> AwsResult<DescribeTagsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_TAGS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        const NAMES: &[&str] = &["key", "value", "resource-id", "resource-type"];
        for f in &input.filters {
            match f.name.as_deref() {
                Some(n) if NAMES.contains(&n) => {}
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "The filter '{}' is invalid.",
                        other.unwrap_or("null")
                    )))
                }
            }
        }
        let region = self.region_ref(&caller.region)?;
        let mut out = Vec::new();
        for (id, kind, tags) in region.tagged_resources(&caller.account) {
            for (k, v) in tags.iter() {
                let field = |name: &str| match name {
                    "key" => k,
                    "value" => v,
                    "resource-id" => id,
                    _ => kind,
                };
                let keep = input.filters.iter().all(|f| {
                    let value = field(f.name.as_deref().unwrap_or_default());
                    f.values
                        .as_deref()
                        .unwrap_or_default()
                        .iter()
                        .any(|p| wildcard(p, value))
                });
                if keep {
                    out.push(TagDescription {
                        key: k.to_string(),
                        resource_id: id.to_string(),
                        resource_type: kind.to_string(),
                        value: v.to_string(),
                    });
                }
            }
        }
        // Sorted by resource id, then key: NUL sorts before every other character.
        let (tags, next_token) = pager.page(out, |t| format!("{}\u{0}{}", t.resource_id, t.key));
        Ok(DescribeTagsOutput { tags, next_token })
    }
}

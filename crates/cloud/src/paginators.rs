//! boto3's paginators: `ec2.get_paginator("describe_images").paginate(#{…})` makes one real call
//! per page (each on the trail and counted against the run's quota), feeding each page's token to
//! the next call, and `build_full_result()` merges the pages. Names, tokens, limit keys and
//! result keys are botocore's (`paginators-1.json` of ec2, kms and ssm); the page loop, the
//! `PaginationConfig` (`MaxItems`, `PageSize`, `StartingToken`), the resume token and the full
//! result follow botocore's `paginate.py` (`PageIterator`).
//!
//! # Example
//!
//! ```
//! use amilab_cloud::paginators::{paginator, PaginationConfig};
//! use amilab_cloud::{Caller, Cloud, DEFAULT_ACCOUNT};
//! use serde_json::json;
//!
//! let mut cloud = Cloud::default();
//! let me = Caller::new(DEFAULT_ACCOUNT, "us-east-1");
//! let spec = paginator("ec2", "describe_images").expect("botocore has this paginator");
//! let config = PaginationConfig { page_size: Some(5), max_items: Some(7), ..Default::default() };
//! // The public catalogue: more than 7 images.
//! let pages = cloud.paginate(&me, spec, json!({}), config).unwrap();
//! assert_eq!(pages.pages().len(), 2); // 5 images, then 2 of the next page of 5
//! let full = pages.build_full_result();
//! assert_eq!(full["images"].as_array().unwrap().len(), 7);
//! assert!(full["next_token"].is_string()); // where a later paginate() can resume
//! ```

use base64::Engine as _;
use serde_json::{Map, Value};

use super::api::Client;
use super::error::CallError;
use super::{Caller, Cloud};

/// One of boto3's paginators (`ec2.get_paginator("describe_images")`): the operation it calls and
/// the members it pages with, as botocore's `paginators-1.json` names them (in boto3's
/// snake_case). Opaque: look one up with [`paginator`] and run it with [`Cloud::paginate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaginatorSpec {
    service: &'static str,
    /// The boto3 method, which is also the paginator's name (`describe_images`).
    name: &'static str,
    /// The API name (`DescribeImages`), the class boto3 names the paginator after.
    operation: &'static str,
    /// botocore's `input_token` as boto3 spells the request member (`NextToken`, `Marker`): the
    /// key of the resume token's JSON.
    input_token_member: &'static str,
    /// `input_token` in snake_case (`next_token`, `marker`).
    input_token: &'static str,
    /// `output_token` (`next_token`, `next_marker`).
    output_token: &'static str,
    /// `limit_key` (`max_results`, `limit`): where `page_size` goes.
    limit_key: &'static str,
    /// `more_results` (KMS's `truncated`): the page says whether another follows.
    more_results: Option<&'static str>,
    /// `result_key` (`images`): the list the pages are made of.
    result_key: &'static str,
}

impl PaginatorSpec {
    /// A response member's name as `client` gets it: boto3's key, or the API's name for the
    /// AWS CLI.
    fn key(&self, client: Client, key: &'static str) -> std::borrow::Cow<'static, str> {
        match client {
            Client::Boto3 => key.into(),
            Client::AwsCli => crate::naming::wire_name(self.service, key),
        }
    }

    /// The boto3 service name (`ec2`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The paginator's name for `get_paginator`, boto3's method name (`describe_images`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The API operation it calls (`DescribeImages`); boto3's class is
    /// `EC2.Paginator.DescribeImages`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The request member a page's token goes into (`next_token`; KMS: `marker`).
    pub fn input_token(&self) -> &'static str {
        self.input_token
    }

    /// The response member holding the next page's token (`next_token`; KMS: `next_marker`).
    pub fn output_token(&self) -> &'static str {
        self.output_token
    }

    /// The request member `page_size` sets (`max_results`; KMS: `limit`).
    pub fn limit_key(&self) -> &'static str {
        self.limit_key
    }

    /// The response member that says whether more pages follow, when the service has one (KMS:
    /// `truncated`).
    pub fn more_results(&self) -> Option<&'static str> {
        self.more_results
    }

    /// The list each page holds and `build_full_result` concatenates (`images`).
    pub fn result_key(&self) -> &'static str {
        self.result_key
    }
}

const fn next_token(
    service: &'static str,
    name: &'static str,
    operation: &'static str,
    result_key: &'static str,
) -> PaginatorSpec {
    PaginatorSpec {
        service,
        name,
        operation,
        input_token_member: "NextToken",
        input_token: "next_token",
        output_token: "next_token",
        limit_key: "max_results",
        more_results: None,
        result_key,
    }
}

/// An Image Builder paginator: REST-JSON members, `nextToken` and `maxResults`.
const fn camel_next_token(
    name: &'static str,
    operation: &'static str,
    result_key: &'static str,
) -> PaginatorSpec {
    PaginatorSpec {
        input_token_member: "nextToken",
        ..next_token("imagebuilder", name, operation, result_key)
    }
}

/// An Auto Scaling paginator: `NextToken` and `MaxRecords`.
const fn max_records(
    name: &'static str,
    operation: &'static str,
    result_key: &'static str,
) -> PaginatorSpec {
    PaginatorSpec {
        limit_key: "max_records",
        ..next_token("autoscaling", name, operation, result_key)
    }
}

const fn marker(
    name: &'static str,
    operation: &'static str,
    result_key: &'static str,
) -> PaginatorSpec {
    PaginatorSpec {
        service: "kms",
        name,
        operation,
        input_token_member: "Marker",
        input_token: "marker",
        output_token: "next_marker",
        limit_key: "limit",
        more_results: Some("truncated"),
        result_key,
    }
}

/// Every paginator of an operation the simulation has, with botocore's tokens and keys
/// (`autoscaling/2011-01-01/paginators-1.json`, `ec2/2016-11-15/paginators-1.json`,
/// `imagebuilder/2019-12-02/paginators-1.json`,
/// `kms/2014-11-01/paginators-1.json`, `ssm/2014-11-06/paginators-1.json`; the conformance test
/// holds the table to botocore's).
static PAGINATORS: &[PaginatorSpec] = &[
    max_records(
        "describe_auto_scaling_groups",
        "DescribeAutoScalingGroups",
        "auto_scaling_groups",
    ),
    max_records(
        "describe_auto_scaling_instances",
        "DescribeAutoScalingInstances",
        "auto_scaling_instances",
    ),
    max_records(
        "describe_scaling_activities",
        "DescribeScalingActivities",
        "activities",
    ),
    next_token("ec2", "describe_images", "DescribeImages", "images"),
    next_token(
        "ec2",
        "describe_instance_types",
        "DescribeInstanceTypes",
        "instance_types",
    ),
    next_token(
        "ec2",
        "describe_instances",
        "DescribeInstances",
        "reservations",
    ),
    next_token(
        "ec2",
        "describe_launch_template_versions",
        "DescribeLaunchTemplateVersions",
        "launch_template_versions",
    ),
    next_token(
        "ec2",
        "describe_launch_templates",
        "DescribeLaunchTemplates",
        "launch_templates",
    ),
    next_token(
        "ec2",
        "describe_security_groups",
        "DescribeSecurityGroups",
        "security_groups",
    ),
    next_token(
        "ec2",
        "describe_snapshots",
        "DescribeSnapshots",
        "snapshots",
    ),
    next_token("ec2", "describe_subnets", "DescribeSubnets", "subnets"),
    next_token("ec2", "describe_tags", "DescribeTags", "tags"),
    next_token("ec2", "describe_volumes", "DescribeVolumes", "volumes"),
    next_token("ec2", "describe_vpcs", "DescribeVpcs", "vpcs"),
    camel_next_token(
        "list_image_pipeline_images",
        "ListImagePipelineImages",
        "image_summary_list",
    ),
    camel_next_token("list_images", "ListImages", "image_version_list"),
    marker("list_aliases", "ListAliases", "aliases"),
    marker("list_grants", "ListGrants", "grants"),
    marker("list_keys", "ListKeys", "keys"),
    next_token(
        "ssm",
        "describe_instance_information",
        "DescribeInstanceInformation",
        "instance_information_list",
    ),
    next_token(
        "ssm",
        "list_command_invocations",
        "ListCommandInvocations",
        "command_invocations",
    ),
    next_token("ssm", "list_commands", "ListCommands", "commands"),
];

/// The paginator boto3 calls `name` for `service` (`("ec2", "describe_images")`), or `None` when
/// the operation cannot be paginated (boto3's `OperationNotPageableError`).
pub fn paginator(service: &str, name: &str) -> Option<&'static PaginatorSpec> {
    PAGINATORS
        .iter()
        .find(|p| p.service == service && p.name == name)
}

/// The paginator names of `service`, sorted; empty for a service without paginators (`sts`).
pub fn paginator_names(service: &str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = PAGINATORS
        .iter()
        .filter(|p| p.service == service)
        .map(|p| p.name)
        .collect();
    names.sort_unstable();
    names
}

/// Every paginator, in table order.
pub fn all() -> &'static [PaginatorSpec] {
    PAGINATORS
}

/// boto3's `PaginationConfig` (`max_items`, `page_size`, `starting_token` in scripts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationConfig {
    /// `MaxItems`: stop after this many items of the result key in all; the last page is cut
    /// short, and the resume token says where the next `paginate` starts.
    pub max_items: Option<usize>,
    /// `PageSize`: sent as each call's limit member (`max_results`, KMS's `limit`), so the
    /// operation's own range applies.
    pub page_size: Option<i64>,
    /// `StartingToken`: a resume token (`build_full_result()`'s `next_token`), or a service's
    /// own page token.
    pub starting_token: Option<String>,
}

/// What went wrong while paginating.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaginateError {
    /// A page's call failed, as the call itself fails (its `ParamValidationError` or the
    /// service's error); the pages before it were made (and are on the trail).
    #[error(transparent)]
    Call(#[from] CallError),
    /// boto3's `ValueError`: the starting token is neither a resume token nor a service token
    /// (`Bad starting token: …`).
    #[error("Bad starting token: {0}")]
    BadStartingToken(String),
    /// botocore's `PaginationError`: the service answered the same token twice.
    #[error("Error during pagination: The same next token was received twice: {0}")]
    Pagination(String),
}

/// The pages one `paginate` made, in order, and where a later one can resume.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    spec: &'static PaginatorSpec,
    client: Client,
    pages: Vec<Value>,
    resume_token: Option<String>,
}

impl Pages {
    /// Each call's answer, as the call returned it; with `max_items`, the last one's result list
    /// is cut to the items that fit, and with a starting token that points into a page, the
    /// first one's starts there.
    pub fn pages(&self) -> &[Value] {
        &self.pages
    }

    /// The pages, taken.
    pub fn into_pages(self) -> Vec<Value> {
        self.pages
    }

    /// boto3's `resume_token`: where a `paginate` with `starting_token` continues when
    /// `max_items` stopped this one early; `None` when every page was read.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    /// boto3's `build_full_result()`: one answer whose result list (`images`) is every page's
    /// concatenated, plus `next_token` (the resume token) when `max_items` stopped early. Page
    /// tokens and KMS's `truncated` are left out, as boto3 leaves them out.
    pub fn build_full_result(&self) -> Value {
        let result_key = self.spec.key(self.client, self.spec.result_key);
        let mut items: Option<Vec<Value>> = None;
        for page in &self.pages {
            if let Some(Value::Array(list)) = page.get(result_key.as_ref()) {
                items
                    .get_or_insert_with(Vec::new)
                    .extend(list.iter().cloned());
            }
        }
        let mut full = Map::new();
        if let Some(items) = items {
            full.insert(result_key.into_owned(), Value::Array(items));
        }
        if let Some(token) = &self.resume_token {
            // botocore's `build_full_result` names the resume token `NextToken` whatever the
            // service calls its own page token (Image Builder's is `nextToken`).
            let next_token = match self.client {
                Client::Boto3 => "next_token",
                Client::AwsCli => "NextToken",
            };
            full.insert(next_token.to_string(), Value::String(token.clone()));
        }
        Value::Object(full)
    }
}

/// A resume token as botocore's `TokenEncoder` writes it: the base64 of Python's
/// `json.dumps({"NextToken": …, "boto_truncate_amount": n})`.
fn encode_resume_token(
    spec: &PaginatorSpec,
    token: Option<&str>,
    truncate: Option<usize>,
) -> String {
    let value = token.map_or_else(|| "null".to_string(), |t| Value::from(t).to_string());
    let mut json = format!("{{\"{}\": {value}", spec.input_token_member);
    if let Some(n) = truncate {
        json.push_str(&format!(", \"boto_truncate_amount\": {n}"));
    }
    json.push('}');
    base64::engine::general_purpose::STANDARD.encode(json)
}

/// A starting token read as botocore reads it (`_parse_starting_token`): a resume token's
/// service token and how many items of its page to skip; otherwise, the deprecated form, a
/// service token itself (optionally `token___skip`). `None` as the service token: the first page.
fn parse_starting_token(
    spec: &PaginatorSpec,
    token: &str,
) -> Result<(Option<String>, usize), PaginateError> {
    let bad = || PaginateError::BadStartingToken(token.to_string());
    let resume = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| match v {
            Value::Object(map) => Some(map),
            _ => None,
        });
    if let Some(mut map) = resume {
        let skip = match map.remove("boto_truncate_amount") {
            None => 0,
            Some(n) => n
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(bad)?,
        };
        let service_token = match map.remove(spec.input_token_member) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err(bad()),
        };
        if !map.is_empty() {
            return Err(bad());
        }
        return Ok((service_token.filter(|t| t != "None"), skip));
    }
    // botocore's `_parse_starting_token_deprecated`, for one input token.
    let parts: Vec<&str> = token.split("___").collect();
    let (service_token, skip) = match parts.as_slice() {
        [only] => (*only, 0),
        [first, index] => match index.trim().parse::<i64>() {
            Ok(skip) => (*first, usize::try_from(skip).map_err(|_| bad())?),
            // Not an index: the whole string is the service's token.
            Err(_) => (token, 0),
        },
        _ => return Err(bad()),
    };
    let service_token = (service_token != "None").then(|| service_token.to_string());
    Ok((service_token, skip))
}

impl Cloud {
    /// Runs a paginator to its end, as iterating boto3's `PageIterator` does: one call of the
    /// paginator's operation per page, with `params` (boto3's request keys; `null` counts as
    /// `{}`), `config.page_size` as the limit member and each page's token in the next call,
    /// until a page has no token (KMS: is not `truncated`) or `config.max_items` items are read.
    /// Every call is a real one: on the trail and counted against the quota.
    ///
    /// Errors: [`PaginateError::Call`] for the first page call that fails (a parameter boto3
    /// refuses, a page size out of the operation's range, an invalid token, …);
    /// [`PaginateError::BadStartingToken`] for a starting token botocore cannot read;
    /// [`PaginateError::Pagination`] if the service answered the same token twice.
    pub fn paginate(
        &mut self,
        caller: &Caller,
        spec: &'static PaginatorSpec,
        params: Value,
        config: PaginationConfig,
    ) -> Result<Pages, PaginateError> {
        self.paginate_as(Client::Boto3, caller, spec, params, config)
    }

    /// [`Cloud::paginate`] made by `client` ([`Cloud::call_as`]): each page encoded for it, and
    /// the full result's keys too (`Images` and `NextToken` for [`Client::AwsCli`]). `params`
    /// keep boto3's keys.
    pub fn paginate_as(
        &mut self,
        client: Client,
        caller: &Caller,
        spec: &'static PaginatorSpec,
        params: Value,
        config: PaginationConfig,
    ) -> Result<Pages, PaginateError> {
        let result_key = spec.key(client, spec.result_key);
        let output_token = spec.key(client, spec.output_token);
        let more_results = spec.more_results.map(|k| spec.key(client, k));
        let mut params = match params {
            Value::Null => Map::new(),
            Value::Object(map) => map,
            other => {
                return Err(CallError::Param(format!(
                    "Parameter validation failed:\nInvalid type for parameter input, value: {other}, type: {}, valid types: map",
                    match other {
                        Value::Array(_) => "list",
                        Value::String(_) => "str",
                        Value::Bool(_) => "bool",
                        _ => "number",
                    }
                ))
                .into())
            }
        };
        let (mut token, skip) = match &config.starting_token {
            Some(t) => parse_starting_token(spec, t)?,
            None => (None, 0),
        };
        if let Some(t) = &token {
            params.insert(spec.input_token.into(), Value::String(t.clone()));
        }
        if let Some(size) = config.page_size {
            params.insert(spec.limit_key.into(), Value::from(size));
        }
        let mut pages = Vec::new();
        let mut total = 0usize;
        let mut previous: Option<String> = None;
        let mut resume_token = None;
        loop {
            let mut page = self.call_as(
                client,
                caller,
                spec.service,
                spec.name,
                Value::Object(params.clone()),
            )?;
            let first = pages.is_empty();
            let starting_truncation = if first { skip } else { 0 };
            let items = match page.get_mut(result_key.as_ref()) {
                Some(Value::Array(items)) => Some(items),
                _ => None,
            };
            let mut count = 0;
            if let Some(items) = items {
                if first && config.starting_token.is_some() {
                    items.drain(..skip.min(items.len()));
                }
                count = items.len();
                if let Some(max) = config.max_items {
                    if total + count > max {
                        let keep = max - total;
                        items.truncate(keep);
                        resume_token = Some(encode_resume_token(
                            spec,
                            token.as_deref(),
                            Some(keep + starting_truncation),
                        ));
                        pages.push(page);
                        break;
                    }
                }
            }
            let more = more_results
                .as_ref()
                .is_none_or(|key| page.get(key.as_ref()).and_then(Value::as_bool) == Some(true));
            let next = page
                .get(output_token.as_ref())
                .and_then(Value::as_str)
                .filter(|t| more && !t.is_empty())
                .map(str::to_string);
            pages.push(page);
            total += count;
            let Some(next) = next else {
                break;
            };
            if config.max_items == Some(total) {
                resume_token = Some(encode_resume_token(spec, Some(&next), None));
                break;
            }
            if previous.as_deref() == Some(next.as_str()) {
                return Err(PaginateError::Pagination(format!(
                    "{{'{}': '{next}'}}",
                    spec.input_token_member
                )));
            }
            params.insert(spec.input_token.into(), Value::String(next.clone()));
            previous = Some(next.clone());
            token = Some(next);
        }
        Ok(Pages {
            spec,
            client,
            pages,
            resume_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            paginator("ec2", "describe_images").map(|p| p.result_key()),
            Some("images")
        );
        assert!(paginator("ec2", "describe_key_pairs").is_none());
        assert!(paginator("ssm", "describe_images").is_none());
        assert_eq!(
            paginator_names("kms"),
            vec!["list_aliases", "list_grants", "list_keys"]
        );
        assert!(paginator_names("sts").is_empty());
    }

    #[test]
    fn every_paginator_pages_an_operation_that_pages() {
        for p in all() {
            let op = crate::api::operation(p.service, p.name)
                .unwrap_or_else(|| panic!("no operation {}.{}", p.service, p.name));
            assert_eq!(op.name, p.operation);
            let rule = crate::paging::rule(p.service, p.operation)
                .unwrap_or_else(|| panic!("{} has no paging rule", p.operation));
            assert_eq!(
                (rule.limit_key, rule.token_key),
                (p.limit_key, p.input_token)
            );
            let params = op.parameters();
            assert!(params.contains(&p.limit_key) && params.contains(&p.input_token));
        }
        // Operations that page but that botocore gives no paginator.
        let without = ["DescribeInstanceRefreshes"];
        assert_eq!(all().len() + without.len(), crate::paging::RULES.len());
        for operation in without {
            assert!(crate::paging::RULES
                .iter()
                .any(|r| r.operation == operation));
            assert!(all().iter().all(|p| p.operation != operation));
        }
    }

    #[test]
    fn resume_tokens_are_botocores() {
        let spec = paginator("ec2", "describe_images").unwrap();
        let t = encode_resume_token(spec, Some("abc"), Some(3));
        // base64 of Python's json.dumps({"NextToken": "abc", "boto_truncate_amount": 3})
        assert_eq!(
            t,
            "eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogM30="
        );
        assert_eq!(
            parse_starting_token(spec, &t).unwrap(),
            (Some("abc".into()), 3)
        );
        let t = encode_resume_token(spec, None, Some(2));
        assert_eq!(parse_starting_token(spec, &t).unwrap(), (None, 2));
        let t = encode_resume_token(spec, Some("x"), None);
        assert_eq!(
            parse_starting_token(spec, &t).unwrap(),
            (Some("x".into()), 0)
        );
        let kms = paginator("kms", "list_keys").unwrap();
        let t = encode_resume_token(kms, Some("m"), None);
        assert_eq!(
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(&t)
                    .unwrap()
            )
            .unwrap(),
            "{\"Marker\": \"m\"}"
        );
    }

    #[test]
    fn deprecated_starting_tokens_are_service_tokens() {
        let spec = paginator("ec2", "describe_images").unwrap();
        assert_eq!(
            parse_starting_token(spec, "svc-token").unwrap(),
            (Some("svc-token".into()), 0)
        );
        assert_eq!(
            parse_starting_token(spec, "svc___4").unwrap(),
            (Some("svc".into()), 4)
        );
        assert_eq!(parse_starting_token(spec, "None___2").unwrap(), (None, 2));
        assert_eq!(
            parse_starting_token(spec, "a___x").unwrap(),
            (Some("a___x".into()), 0)
        );
        for bad in ["a___b___c", "a___-1"] {
            assert_eq!(
                parse_starting_token(spec, bad),
                Err(PaginateError::BadStartingToken(bad.into())),
                "{bad}"
            );
        }
        // A resume token with keys botocore would not send.
        let odd = base64::engine::general_purpose::STANDARD.encode("{\"Foo\": 1}");
        assert!(parse_starting_token(spec, &odd).is_err());
    }
}

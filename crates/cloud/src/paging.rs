//! Pagination of describe and list calls: EC2's and SSM's `MaxResults` / `NextToken`, KMS's
//! `Limit` / `Marker`, with each operation's page-size limits, default page size and errors.
//!
//! One [`PageRule`] per paginated operation of the table says what AWS does; an operation reads
//! its request's paging members through a [`Pager`] (`Pager::new` refuses what AWS refuses,
//! before anything else is looked at) and cuts its sorted answer into a page with
//! [`Pager::page`], which also makes the next page's token.
//!
//! # Order
//!
//! Every paginated answer is sorted by a key that never changes for an item (a creation
//! sequence number, an id, a name), and a token remembers the key of the last item it
//! returned: the next page starts after it. An item deleted between two pages cannot shift
//! the pages after it, and an item created between two pages shows up on a later page if it
//! sorts after the token; every item present throughout is returned exactly once.
//!
//! # Tokens
//!
//! A token (`NextToken`, KMS's `NextMarker`) is the standard base64 (with padding) of five
//! lines and a check: `1` (the format's version), the operation (`DescribeImages`), the
//! account, the region and the last key, then 12 hex digits of the SHA-256 of those lines.
//! Tokens are opaque to scripts, deterministic (the same world and the same calls give the
//! same tokens: nothing random, no wall clock), and bound to the operation, account and region
//! that made them. A token that does not decode, fails its check, or was made by another
//! operation, account or region is refused with the service's error for an invalid token.
//!
//! # Client-side checks
//!
//! botocore validates an integer member's `min` before sending anything (its `range_check`:
//! only the minimum, never the maximum) and a string member's minimum length; a page size
//! below the model's minimum (`DescribeVpcs` below 5, KMS `Limit` below 1) is therefore boto3's
//! `ParamValidationError`, not a service error, and is neither counted nor recorded
//! ([`client_side_check`]). What botocore lets through is the service's to refuse.

use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::{AwsError, AwsResult};
use super::Caller;

/// What a service answers for a page size above its largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AboveMax {
    /// Serves the largest page instead (EC2's documented behaviour for DescribeInstances,
    /// DescribeSnapshots, DescribeVolumes: "if MaxResults is given a value larger than 1000,
    /// only 1000 results are returned").
    Clamp,
    /// Refuses the request (the largest value is a constraint of the model's shape).
    Refuse,
}

/// The service family, which decides the wording of paging errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// EC2's query protocol: `InvalidParameterValue`, `InvalidParameterCombination`.
    Ec2,
    /// SSM's JSON protocol: `ValidationException`, `InvalidNextToken`.
    Ssm,
    /// KMS's JSON protocol: `ValidationException`, `InvalidMarkerException`.
    Kms,
    /// Auto Scaling's query protocol: `ValidationError`, `InvalidNextToken`.
    AutoScaling,
    /// Image Builder's REST-JSON protocol: `InvalidRequestException`,
    /// `InvalidPaginationTokenException`.
    ImageBuilder,
}

/// How one operation pages: its members, limits, default and errors (the AWS pages each rule
/// follows are on the constants below).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageRule {
    /// The boto3 service name (`ec2`).
    pub(crate) service: &'static str,
    /// The API name (`DescribeImages`), written into tokens.
    pub(crate) operation: &'static str,
    pub(crate) family: Family,
    /// The page-size member as scripts spell it: `max_results`, or KMS's `limit`.
    pub(crate) limit_key: &'static str,
    /// The token member as scripts spell it: `next_token`, or KMS's `marker`.
    pub(crate) token_key: &'static str,
    /// The page-size member's `min` in botocore's model, checked client-side.
    pub(crate) model_min: Option<i64>,
    /// The smallest page size the service accepts.
    pub(crate) min: i64,
    /// The largest page size the service accepts (or serves, with [`AboveMax::Clamp`]).
    pub(crate) max: i64,
    pub(crate) above_max: AboveMax,
    /// The most items one page holds, whatever the page size (KMS ListAliases: 100).
    pub(crate) page_cap: usize,
    /// The page size when the request names none; `None`: every item in one page.
    pub(crate) default: Option<usize>,
    /// The name EC2's message gives the id list that cannot be combined with `MaxResults`
    /// (`instancesSet`), for the operations whose documentation forbids the combination.
    pub(crate) ids_conflict: Option<&'static str>,
    /// An empty `NextToken` is refused instead of meaning the first page.
    pub(crate) empty_token_refused: bool,
}

const fn ec2(operation: &'static str, max: i64, above_max: AboveMax) -> PageRule {
    PageRule {
        service: "ec2",
        operation,
        family: Family::Ec2,
        limit_key: "max_results",
        token_key: "next_token",
        model_min: None,
        min: 5,
        max,
        above_max,
        page_cap: max as usize,
        default: None,
        ids_conflict: None,
        empty_token_refused: false,
    }
}

/// EC2 `DescribeImages`: 5–1000 (a larger value is served as 1000), every image without
/// `MaxResults`, not with `ImageIds`.
///
/// Sources: botocore's model (an unconstrained `Integer`; paginator `Images`); the EC2
/// pagination guide (ec2-api-pagination.html: describe calls without `MaxResults` return every
/// item); EC2's refusal of small values, "Value ( 1 ) for parameter maxResults is invalid.
/// Expecting a value greater than 5." (reported in aws/aws-sdk-ruby#2575); "The parameter
/// imageIdsSet cannot be used with the parameter maxResults" (AWS's `InvalidParameterCombination`
/// as quoted by SDK users). The upper bound follows DescribeInstances' documented one.
pub(crate) const DESCRIBE_IMAGES: PageRule = PageRule {
    ids_conflict: Some("imageIdsSet"),
    ..ec2("DescribeImages", 1000, AboveMax::Clamp)
};

/// EC2 `DescribeInstances`: 5–1000 (a larger value is served as 1000), every reservation
/// without `MaxResults`, not with `InstanceIds`. A page counts reservations, the paginator's
/// result key.
///
/// Sources: botocore's model ("You cannot specify this parameter and the instance IDs
/// parameter in the same request"); the API reference before 2023 ("This value can be between 5
/// and 1000; if MaxResults is given a value larger than 1000, only 1000 results are returned");
/// `InvalidParameterCombination` "The parameter instancesSet cannot be used with the parameter
/// maxResults" (AWS's answer as SDK users and moto report it).
pub(crate) const DESCRIBE_INSTANCES: PageRule = PageRule {
    ids_conflict: Some("instancesSet"),
    ..ec2("DescribeInstances", 1000, AboveMax::Clamp)
};

/// EC2 `DescribeSnapshots`: 5–1000 (a larger value is served as 1000), every snapshot without
/// `MaxResults`, not with `SnapshotIds`.
///
/// Sources: the API reference before 2023 ("This value can be between 5 and 1,000; if
/// MaxResults is given a value larger than 1,000, only 1,000 results are returned. If this
/// parameter is not used, then DescribeSnapshots returns all results. You cannot specify this
/// parameter and the snapshot IDs parameter in the same request."). The combination's message
/// follows DescribeImages' (AWS publishes no wording for this call).
pub(crate) const DESCRIBE_SNAPSHOTS: PageRule = PageRule {
    ids_conflict: Some("snapshotIdsSet"),
    ..ec2("DescribeSnapshots", 1000, AboveMax::Clamp)
};

/// EC2 `DescribeVolumes`: 5–500 (a larger value is served as 500), every volume without
/// `MaxResults`, not with `VolumeIds`.
///
/// Sources: the API reference before 2023 ("This value can be between 5 and 500; if you specify
/// a value larger than 500, only 500 items are returned. If this parameter is not used, then all
/// items are returned. You cannot specify this parameter and the volume IDs parameter in the same
/// request."). The combination's message follows DescribeImages'.
pub(crate) const DESCRIBE_VOLUMES: PageRule = PageRule {
    ids_conflict: Some("volumeIdsSet"),
    ..ec2("DescribeVolumes", 500, AboveMax::Clamp)
};

/// EC2 `DescribeLaunchTemplates`: 1–200 (the model's `DescribeLaunchTemplatesMaxResults`: below
/// 1 boto3 refuses it, above 200 EC2 does), every template without `MaxResults`.
///
/// Sources: botocore's model (`min` 1, `max` 200; "This value can be between 1 and 200").
pub(crate) const DESCRIBE_LAUNCH_TEMPLATES: PageRule = PageRule {
    model_min: Some(1),
    min: 1,
    ..ec2("DescribeLaunchTemplates", 200, AboveMax::Refuse)
};

/// EC2 `DescribeLaunchTemplateVersions`: 1–200 (an unconstrained `Integer` in the model, so
/// EC2 refuses what is outside), every version without `MaxResults`.
///
/// Sources: botocore's model ("This value can be between 1 and 200").
pub(crate) const DESCRIBE_LAUNCH_TEMPLATE_VERSIONS: PageRule = PageRule {
    min: 1,
    ..ec2("DescribeLaunchTemplateVersions", 200, AboveMax::Refuse)
};

/// EC2 `DescribeTags`: 5–1000 (a larger value is served as 1000), every tag without
/// `MaxResults`.
///
/// Sources: botocore's model ("This value can be between 5 and 1000"); the pagination guide.
pub(crate) const DESCRIBE_TAGS: PageRule = ec2("DescribeTags", 1000, AboveMax::Clamp);

/// EC2 `DescribeInstanceTypes`: 5–100 (the model's `DITMaxResults`: below 5 boto3 refuses it,
/// above 100 EC2 does), 100 types per page without `MaxResults`.
///
/// Sources: botocore's model (`min` 5, `max` 100); an unpaged call answers 100 types and a
/// token (RHEnVision/provisioning-backend#189).
pub(crate) const DESCRIBE_INSTANCE_TYPES: PageRule = PageRule {
    model_min: Some(5),
    default: Some(100),
    ..ec2("DescribeInstanceTypes", 100, AboveMax::Refuse)
};

/// EC2 `DescribeSecurityGroups`: 5–1000 (the model's shape: below 5 boto3 refuses it, above
/// 1000 EC2 does), every group without `MaxResults`.
///
/// Sources: botocore's model (`min` 5, `max` 1000; "If this parameter is not specified, then
/// all items are returned").
pub(crate) const DESCRIBE_SECURITY_GROUPS: PageRule = PageRule {
    model_min: Some(5),
    ..ec2("DescribeSecurityGroups", 1000, AboveMax::Refuse)
};

/// EC2 `DescribeSubnets`: 5–1000 (the model's shape), every subnet without `MaxResults`.
///
/// Sources: botocore's model (`min` 5, `max` 1000); the pagination guide.
pub(crate) const DESCRIBE_SUBNETS: PageRule = PageRule {
    model_min: Some(5),
    ..ec2("DescribeSubnets", 1000, AboveMax::Refuse)
};

/// EC2 `DescribeVpcs`: 5–1000 (the model's shape), every VPC without `MaxResults`; unlike the
/// other describe calls it refuses an empty `NextToken`.
///
/// Sources: botocore's model (`min` 5, `max` 1000); "Value (  ) for parameter NextToken is
/// invalid. The token is invalid." for `NextToken=''`, which other EC2 calls accept
/// (boto/boto3#2673).
pub(crate) const DESCRIBE_VPCS: PageRule = PageRule {
    model_min: Some(5),
    empty_token_refused: true,
    ..ec2("DescribeVpcs", 1000, AboveMax::Refuse)
};

const fn kms(operation: &'static str, page_cap: usize, default: usize) -> PageRule {
    PageRule {
        service: "kms",
        operation,
        family: Family::Kms,
        limit_key: "limit",
        token_key: "marker",
        model_min: Some(1),
        min: 1,
        max: 1000,
        above_max: AboveMax::Refuse,
        page_cap,
        default: Some(default),
        ids_conflict: None,
        empty_token_refused: false,
    }
}

/// KMS `ListKeys`: `Limit` 1–1000, 100 keys per page without it; `Truncated` and `NextMarker`
/// say whether more follow.
///
/// Sources: botocore's model (`LimitType` 1–1000: "If you do not include a value, it defaults to
/// 100"; `InvalidMarkerException`); an out-of-range value is the JSON protocol's
/// `ValidationException` ("1 validation error detected: Value '…' at 'limit' failed to satisfy
/// constraint: …").
pub(crate) const LIST_KEYS: PageRule = kms("ListKeys", 1000, 100);

/// KMS `ListAliases`: `Limit` 1–1000 accepted (the model's `LimitType`) but at most 100 aliases
/// per page ("it must be between 1 and 100, inclusive" — KMS "might return fewer"), 50 without
/// it.
///
/// Sources: botocore's model (`LimitType`; "If you do not include a value, it defaults to 50").
pub(crate) const LIST_ALIASES: PageRule = kms("ListAliases", 100, 50);

const fn autoscaling(operation: &'static str, max: i64, default: usize) -> PageRule {
    PageRule {
        service: "autoscaling",
        operation,
        family: Family::AutoScaling,
        limit_key: "max_records",
        token_key: "next_token",
        model_min: None,
        min: 1,
        max,
        above_max: AboveMax::Refuse,
        page_cap: max as usize,
        default: Some(default),
        ids_conflict: None,
        empty_token_refused: false,
    }
}

/// Auto Scaling `DescribeAutoScalingGroups`: `MaxRecords` 1–100, 50 groups per page without it.
///
/// Sources: the API reference ("The default value is 50 and the maximum value is 100."); the
/// model's `InvalidNextToken` ("The NextToken value is not valid.").
pub(crate) const DESCRIBE_AUTO_SCALING_GROUPS: PageRule =
    autoscaling("DescribeAutoScalingGroups", 100, 50);

/// Auto Scaling `DescribeAutoScalingInstances`: 1–50, 50 per page without `MaxRecords`.
///
/// Sources: the API reference ("The default value is 50 and the maximum value is 50.").
pub(crate) const DESCRIBE_AUTO_SCALING_INSTANCES: PageRule =
    autoscaling("DescribeAutoScalingInstances", 50, 50);

/// Auto Scaling `DescribeScalingActivities`: 1–100, 100 per page without `MaxRecords`.
///
/// Sources: the API reference ("The default value is 100 and the maximum value is 100.").
pub(crate) const DESCRIBE_SCALING_ACTIVITIES: PageRule =
    autoscaling("DescribeScalingActivities", 100, 100);

/// Auto Scaling `DescribeInstanceRefreshes`: 1–100, 50 per page without `MaxRecords`.
///
/// Sources: the API reference ("The default value is 50 and the maximum value is 100.").
pub(crate) const DESCRIBE_INSTANCE_REFRESHES: PageRule =
    autoscaling("DescribeInstanceRefreshes", 100, 50);
/// KMS `ListGrants`: `Limit` 1–1000 accepted (the model's `LimitType`) but at most 100 grants per
/// page, 50 without it, as ListAliases.
///
/// Sources: botocore's model (`LimitType`; "This value is optional. If you include a value, it
/// must be between 1 and 100, inclusive. If you do not include a value, it defaults to 50.").
pub(crate) const LIST_GRANTS: PageRule = kms("ListGrants", 100, 50);

const fn ssm(operation: &'static str, min: i64, max: i64, default: Option<usize>) -> PageRule {
    PageRule {
        service: "ssm",
        operation,
        family: Family::Ssm,
        limit_key: "max_results",
        token_key: "next_token",
        model_min: Some(min),
        min,
        max,
        above_max: AboveMax::Refuse,
        page_cap: max as usize,
        default,
        ids_conflict: None,
        empty_token_refused: false,
    }
}

/// SSM `DescribeInstanceInformation`: 5–50, 10 instances per page without `MaxResults`.
///
/// Sources: botocore's model (`MaxResultsEC2Compatible` 5–50; "The default value is 10
/// items."; `InvalidNextToken`); an unpaged call answers 10 of 43 instances (boto/boto3#2766);
/// above 50: "1 validation error detected: Value '100' at 'maxResults' failed to satisfy
/// constraint: Member must have value less than or equal to 50" (SSM's answer,
/// flanksource/config-db#35).
pub(crate) const DESCRIBE_INSTANCE_INFORMATION: PageRule =
    ssm("DescribeInstanceInformation", 5, 50, Some(10));

/// SSM `ListCommands`: 1–50; without `MaxResults` every command (the model documents no
/// default page size).
///
/// Sources: botocore's model (`CommandMaxResults` 1–50; `InvalidNextToken`).
pub(crate) const LIST_COMMANDS: PageRule = ssm("ListCommands", 1, 50, None);

/// SSM `ListCommandInvocations`: 1–50; without `MaxResults` every invocation (no documented
/// default).
///
/// Sources: botocore's model (`CommandMaxResults` 1–50; `InvalidNextToken`).
pub(crate) const LIST_COMMAND_INVOCATIONS: PageRule = ssm("ListCommandInvocations", 1, 50, None);

const fn imagebuilder(operation: &'static str) -> PageRule {
    PageRule {
        service: "imagebuilder",
        operation,
        family: Family::ImageBuilder,
        limit_key: "max_results",
        token_key: "next_token",
        model_min: Some(1),
        min: 1,
        max: 100,
        above_max: AboveMax::Refuse,
        page_cap: 100,
        default: Some(25),
        ids_conflict: None,
        empty_token_refused: false,
    }
}

/// Image Builder `ListImages`: `maxResults` 1–100, 25 per page without it.
///
/// Sources: botocore's model (`RestrictedInteger` 1–100: "If you don't specify a value, Image
/// Builder returns up to 25 items. The largest page size that you can request is 100 items.";
/// `InvalidPaginationTokenException`); pages of 25 observed in aws/aws-cli#8980. The answer
/// above 100 is the JSON protocol's constraint message under the service's
/// `InvalidRequestException` (amilab's choice: Image Builder's model has no
/// `ValidationException`).
pub(crate) const LIST_IMAGES: PageRule = imagebuilder("ListImages");

/// Image Builder `ListImagePipelineImages`: as ListImages.
pub(crate) const LIST_IMAGE_PIPELINE_IMAGES: PageRule = imagebuilder("ListImagePipelineImages");

/// Every paginated operation's rule.
pub(crate) static RULES: &[&PageRule] = &[
    &DESCRIBE_IMAGES,
    &DESCRIBE_INSTANCE_TYPES,
    &DESCRIBE_INSTANCES,
    &DESCRIBE_LAUNCH_TEMPLATE_VERSIONS,
    &DESCRIBE_LAUNCH_TEMPLATES,
    &DESCRIBE_SECURITY_GROUPS,
    &DESCRIBE_SNAPSHOTS,
    &DESCRIBE_SUBNETS,
    &DESCRIBE_TAGS,
    &DESCRIBE_VOLUMES,
    &DESCRIBE_VPCS,
    &LIST_ALIASES,
    &LIST_GRANTS,
    &LIST_KEYS,
    &DESCRIBE_INSTANCE_INFORMATION,
    &LIST_COMMAND_INVOCATIONS,
    &LIST_COMMANDS,
    &DESCRIBE_AUTO_SCALING_GROUPS,
    &DESCRIBE_AUTO_SCALING_INSTANCES,
    &DESCRIBE_INSTANCE_REFRESHES,
    &DESCRIBE_SCALING_ACTIVITIES,
    &LIST_IMAGES,
    &LIST_IMAGE_PIPELINE_IMAGES,
];

/// The rule of `service`'s operation `operation` (API name), if it pages.
pub(crate) fn rule(service: &str, operation: &str) -> Option<&'static PageRule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.service == service && r.operation == operation)
}

/// boto3's own checks of an operation's paging members, made before the request is sent: the
/// model's minimum page size and the token's minimum length (KMS's `Marker`: 1). `params` is the
/// request as scripts write it; members of the wrong type are left to decoding.
///
/// Errors: the `ParamValidationError` line, in botocore's wording: `Invalid value for parameter
/// max_results, value: 3, valid min value: 5` / `Invalid length for parameter marker, value: 0,
/// valid min length: 1`.
pub(crate) fn client_side_check(
    service: &str,
    operation: &str,
    params: &Value,
) -> Result<(), String> {
    let Some(rule) = rule(service, operation) else {
        return Ok(());
    };
    if let (Some(min), Some(size)) = (
        rule.model_min,
        params.get(rule.limit_key).and_then(Value::as_i64),
    ) {
        if size < min {
            return Err(format!(
                "Invalid value for parameter {}, value: {size}, valid min value: {min}",
                rule.limit_key
            ));
        }
    }
    if rule.family == Family::Kms {
        if let Some(marker) = params.get(rule.token_key).and_then(Value::as_str) {
            if marker.is_empty() {
                return Err(format!(
                    "Invalid length for parameter {}, value: 0, valid min length: 1",
                    rule.token_key
                ));
            }
        }
    }
    Ok(())
}

/// One request's paging: the page size and where the page starts. Made by [`Pager::new`],
/// which refuses what the service refuses; used once, by [`Pager::page`].
#[derive(Debug, Clone)]
pub(crate) struct Pager {
    rule: &'static PageRule,
    account: String,
    region: String,
    /// Items per page; `None`: every remaining item.
    size: Option<usize>,
    /// The key of the last item the previous page returned.
    after: Option<String>,
}

impl Pager {
    /// Reads a request's page size (`max_results` / `limit`) and token (`next_token` /
    /// `marker`). `ids_given` says whether the request lists resource ids (for the operations
    /// whose ids cannot be combined with a page size).
    ///
    /// Errors, checked in this order:
    /// - EC2: `InvalidParameterCombination` "The parameter instancesSet cannot be used with the
    ///   parameter maxResults" (and its siblings) for ids with a page size;
    /// - a page size out of range: EC2's `InvalidParameterValue` "Value ( 1 ) for parameter
    ///   maxResults is invalid. Expecting a value greater than 5." (or "… less than or equal to
    ///   1000."), SSM's and KMS's `ValidationException` "1 validation error detected: Value '100'
    ///   at 'maxResults' failed to satisfy constraint: Member must have value less than or equal
    ///   to 50";
    /// - a token that is not one this operation made for this account and region: EC2's
    ///   `InvalidParameterValue` "Value ( x ) for parameter NextToken is invalid. The token is
    ///   invalid.", SSM's `InvalidNextToken` "The specified token isn't valid.", KMS's
    ///   `InvalidMarkerException` "The request was rejected because the marker that specifies
    ///   where pagination should next begin is not valid.".
    pub(crate) fn new(
        rule: &'static PageRule,
        caller: &Caller,
        size: Option<i64>,
        token: Option<&str>,
        ids_given: bool,
    ) -> AwsResult<Pager> {
        if let (Some(set), Some(_), true) = (rule.ids_conflict, size, ids_given) {
            return Err(AwsError::invalid_parameter_combination(format!(
                "The parameter {set} cannot be used with the parameter maxResults"
            )));
        }
        let size = match size {
            None => rule.default,
            Some(n) if n < rule.min => return Err(size_below_min(rule, n)),
            Some(n) if n > rule.max && rule.above_max == AboveMax::Refuse => {
                return Err(size_above_max(rule, n))
            }
            Some(n) => Some(n.min(rule.max) as usize),
        }
        .map(|n| n.min(rule.page_cap));
        let after = match token {
            None => None,
            Some("") if !rule.empty_token_refused => None,
            Some(t) => Some(decode_token(rule, caller, t).ok_or_else(|| invalid_token(rule, t))?),
        };
        Ok(Pager {
            rule,
            account: caller.account.clone(),
            region: caller.region.clone(),
            size,
            after,
        })
    }

    /// Cuts one page from `items`, which must be sorted by `key` (ascending, each key unique):
    /// the first items whose key comes after the request's token, at most the page size of them,
    /// and the token of the next page when items remain.
    pub(crate) fn page<T>(
        &self,
        items: Vec<T>,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        let mut rest = items.into_iter().peekable();
        if let Some(after) = &self.after {
            while rest
                .next_if(|item| key(item).as_str() <= after.as_str())
                .is_some()
            {}
        }
        let page: Vec<T> = match self.size {
            Some(n) => rest.by_ref().take(n).collect(),
            None => rest.by_ref().collect(),
        };
        let next = match (rest.peek(), page.last()) {
            (Some(_), Some(last)) => Some(self.token(&key(last))),
            // A page of size 0 cannot happen (the smallest size is 1); nothing remains otherwise.
            _ => None,
        };
        (page, next)
    }

    fn token(&self, key: &str) -> String {
        encode_token(self.rule.operation, &self.account, &self.region, key)
    }
}

/// The format version written first in every token.
const TOKEN_VERSION: &str = "1";

fn check(payload: &str) -> String {
    let digest = Sha256::digest(payload.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// A token for the page after the item keyed `key` (see the module's documentation).
pub(crate) fn encode_token(operation: &str, account: &str, region: &str, key: &str) -> String {
    let payload = format!("{TOKEN_VERSION}\n{operation}\n{account}\n{region}\n{key}");
    let sealed = format!("{payload}\n{}", check(&payload));
    base64::engine::general_purpose::STANDARD.encode(sealed)
}

/// The key a token carries, if `rule`'s operation made it for this caller and nobody changed it.
fn decode_token(rule: &PageRule, caller: &Caller, token: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (payload, sum) = text.rsplit_once('\n')?;
    if check(payload) != sum {
        return None;
    }
    let mut fields = payload.splitn(5, '\n');
    let (version, operation, account, region, key) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    (version == TOKEN_VERSION
        && operation == rule.operation
        && account == caller.account
        && region == caller.region)
        .then(|| key.to_string())
}

fn validation(rule: &PageRule, value: i64, constraint: String) -> AwsError {
    let (member, code) = match rule.family {
        Family::Kms => ("limit", "ValidationException"),
        Family::AutoScaling => ("maxRecords", "ValidationError"),
        Family::ImageBuilder => ("maxResults", "InvalidRequestException"),
        _ => ("maxResults", "ValidationException"),
    };
    AwsError::new(
        code,
        format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"),
    )
}

fn size_below_min(rule: &PageRule, n: i64) -> AwsError {
    match rule.family {
        Family::Ec2 => AwsError::invalid_parameter_value(format!(
            "Value ( {n} ) for parameter maxResults is invalid. Expecting a value greater than {}.",
            rule.min
        )),
        Family::Ssm | Family::Kms | Family::AutoScaling | Family::ImageBuilder => validation(
            rule,
            n,
            format!(
                "Member must have value greater than or equal to {}",
                rule.min
            ),
        ),
    }
}

fn size_above_max(rule: &PageRule, n: i64) -> AwsError {
    match rule.family {
        Family::Ec2 => AwsError::invalid_parameter_value(format!(
            "Value ( {n} ) for parameter maxResults is invalid. Expecting a value less than or equal to {}.",
            rule.max
        )),
        Family::Ssm | Family::Kms | Family::AutoScaling | Family::ImageBuilder => validation(
            rule,
            n,
            format!("Member must have value less than or equal to {}", rule.max),
        ),
    }
}

fn invalid_token(rule: &PageRule, token: &str) -> AwsError {
    match rule.family {
        Family::Ec2 => AwsError::invalid_parameter_value(format!(
            "Value ( {token} ) for parameter NextToken is invalid. The token is invalid."
        )),
        Family::Ssm => AwsError::new("InvalidNextToken", "The specified token isn't valid."),
        Family::AutoScaling => AwsError::new("InvalidNextToken", "The NextToken value is not valid."),
        Family::ImageBuilder => AwsError::new(
            "InvalidPaginationTokenException",
            "The provided pagination token is not valid.",
        ),
        Family::Kms => AwsError::new(
            "InvalidMarkerException",
            "The request was rejected because the marker that specifies where pagination should next begin is not valid.",
        ),
    }
}

/// A sequence number as a key that sorts as the number does (20 digits, zero-padded).
pub(crate) fn seq_key(seq: u64) -> String {
    format!("{seq:020}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn me() -> Caller {
        Caller::new("123456789012", "us-east-1")
    }

    fn pager(rule: &'static PageRule, size: Option<i64>, token: Option<&str>) -> AwsResult<Pager> {
        Pager::new(rule, &me(), size, token, false)
    }

    fn keys(n: u64) -> Vec<u64> {
        (1..=n).collect()
    }

    #[test]
    fn pages_follow_each_other_and_cover_everything_once() {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let p = pager(&DESCRIBE_IMAGES, Some(5), token.as_deref()).unwrap();
            let (page, next) = p.page(keys(23), |k| seq_key(*k));
            seen.extend(page);
            pages += 1;
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, keys(23));
        assert_eq!(pages, 5);
    }

    #[test]
    fn without_a_size_everything_or_the_default_page() {
        let p = pager(&DESCRIBE_IMAGES, None, None).unwrap();
        let (page, next) = p.page(keys(2000), |k| seq_key(*k));
        assert_eq!((page.len(), next), (2000, None));
        let p = pager(&DESCRIBE_INSTANCE_INFORMATION, None, None).unwrap();
        let (page, next) = p.page(keys(12), |k| seq_key(*k));
        assert_eq!(page.len(), 10);
        assert!(next.is_some());
    }

    #[test]
    fn sizes_above_the_largest_are_served_or_refused() {
        let p = pager(&DESCRIBE_VOLUMES, Some(10_000), None).unwrap();
        assert_eq!(p.page(keys(600), |k| seq_key(*k)).0.len(), 500);
        let e = pager(&DESCRIBE_VPCS, Some(1001), None).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        assert_eq!(
            e.message,
            "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than or equal to 1000."
        );
        let e = pager(&DESCRIBE_INSTANCE_INFORMATION, Some(51), None).unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert_eq!(e.message, "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
        let e = pager(&LIST_KEYS, Some(1001), None).unwrap_err();
        assert!(e.message.contains("at 'limit'"), "{}", e.message);
        // ListAliases accepts up to 1000 but serves at most 100.
        let p = pager(&LIST_ALIASES, Some(1000), None).unwrap();
        assert_eq!(p.page(keys(300), |k| seq_key(*k)).0.len(), 100);
    }

    #[test]
    fn sizes_below_the_smallest_are_refused_by_ec2() {
        let e = pager(&DESCRIBE_INSTANCES, Some(1), None).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        assert_eq!(
            e.message,
            "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5."
        );
        assert!(pager(&DESCRIBE_INSTANCES, Some(-3), None).is_err());
        assert!(pager(&DESCRIBE_INSTANCES, Some(5), None).is_ok());
    }

    #[test]
    fn ids_and_a_size_do_not_mix_where_ec2_says_so() {
        let e = Pager::new(&DESCRIBE_INSTANCES, &me(), Some(5), None, true).unwrap_err();
        assert_eq!(e.code, "InvalidParameterCombination");
        assert_eq!(
            e.message,
            "The parameter instancesSet cannot be used with the parameter maxResults"
        );
        assert!(Pager::new(&DESCRIBE_INSTANCES, &me(), None, None, true).is_ok());
        assert!(Pager::new(&DESCRIBE_SUBNETS, &me(), Some(5), None, true).is_ok());
    }

    #[test]
    fn tokens_are_opaque_deterministic_and_bound_to_their_call() {
        let t = encode_token("DescribeImages", "123456789012", "us-east-1", &seq_key(42));
        assert_eq!(
            t,
            encode_token("DescribeImages", "123456789012", "us-east-1", &seq_key(42))
        );
        assert!(!t.chars().all(|c| c.is_ascii_digit()));
        assert!(pager(&DESCRIBE_IMAGES, Some(5), Some(&t)).is_ok());
        // Another operation's, account's or region's token is refused.
        let e = pager(&DESCRIBE_SNAPSHOTS, Some(5), Some(&t)).unwrap_err();
        assert_eq!(
            e.message,
            format!("Value ( {t} ) for parameter NextToken is invalid. The token is invalid.")
        );
        let other = Caller::new("444455556666", "us-east-1");
        assert!(Pager::new(&DESCRIBE_IMAGES, &other, Some(5), Some(&t), false).is_err());
        let eu = Caller::new("123456789012", "eu-west-1");
        assert!(Pager::new(&DESCRIBE_IMAGES, &eu, Some(5), Some(&t), false).is_err());
        // A forged key fails the check.
        let forged = base64::engine::general_purpose::STANDARD.encode(format!(
            "1\nDescribeImages\n123456789012\nus-east-1\n{}\n000000000000",
            seq_key(7)
        ));
        assert!(pager(&DESCRIBE_IMAGES, Some(5), Some(&forged)).is_err());
        for junk in ["5", "abc", "////", "\u{e9}", "=="] {
            assert!(
                pager(&DESCRIBE_IMAGES, Some(5), Some(junk)).is_err(),
                "{junk}"
            );
        }
    }

    #[test]
    fn each_service_words_an_invalid_token_its_own_way() {
        let e = pager(&LIST_COMMANDS, None, Some("x")).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InvalidNextToken", "The specified token isn't valid.")
        );
        let e = pager(&LIST_KEYS, None, Some("x")).unwrap_err();
        assert_eq!(e.code, "InvalidMarkerException");
    }

    #[test]
    fn an_empty_token_is_the_first_page_except_for_describe_vpcs() {
        assert!(pager(&DESCRIBE_SUBNETS, None, Some("")).is_ok());
        let e = pager(&DESCRIBE_VPCS, None, Some("")).unwrap_err();
        assert_eq!(
            e.message,
            "Value (  ) for parameter NextToken is invalid. The token is invalid."
        );
    }

    #[test]
    fn an_item_gone_between_pages_shifts_nothing() {
        let p = pager(&DESCRIBE_IMAGES, Some(5), None).unwrap();
        let (_, next) = p.page(keys(12), |k| seq_key(*k));
        let mut items = keys(12);
        items.retain(|k| *k != 5 && *k != 6);
        let p = pager(&DESCRIBE_IMAGES, Some(5), next.as_deref()).unwrap();
        assert_eq!(p.page(items, |k| seq_key(*k)).0, vec![7, 8, 9, 10, 11]);
    }

    #[test]
    fn client_side_checks_are_botocores() {
        let check = |service, op, v| client_side_check(service, op, &v);
        assert_eq!(
            check("ec2", "DescribeVpcs", json!({"max_results": 3})),
            Err("Invalid value for parameter max_results, value: 3, valid min value: 5".into())
        );
        // No minimum in the model: the service answers instead.
        assert_eq!(
            check("ec2", "DescribeImages", json!({"max_results": 3})),
            Ok(())
        );
        assert_eq!(
            check("kms", "ListKeys", json!({"limit": 0})),
            Err("Invalid value for parameter limit, value: 0, valid min value: 1".into())
        );
        assert_eq!(
            check("kms", "ListAliases", json!({"marker": ""})),
            Err("Invalid length for parameter marker, value: 0, valid min length: 1".into())
        );
        assert_eq!(
            check("ec2", "DescribeKeyPairs", json!({"max_results": 1})),
            Ok(())
        );
    }
}

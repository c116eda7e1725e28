//! The launch options an instance keeps and DescribeInstances shows: instance metadata options
//! (IMDSv2), the IAM instance profile and detailed monitoring.
//!
//! Sources: the EC2 API reference for `InstanceMetadataOptionsRequest`,
//! `IamInstanceProfileSpecification` and `RunInstancesMonitoringEnabled`; the EC2 User Guide,
//! "Configure the AMI" (an image whose `ImdsSupport` is `v2.0` launches instances with
//! `HttpTokens` `required` and a hop limit of 2).

use serde::{Deserialize, Serialize};

use crate::error::{AwsError, AwsResult};
use crate::ids::stable_id;
use crate::request::request;

/// `metadata_options` in RunInstances (EC2's `InstanceMetadataOptionsRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetadataOptionsInput {
    /// `optional` (IMDSv1 or IMDSv2) or `required` (IMDSv2 only).
    pub http_tokens: Option<String>,
    /// How many network hops a metadata response may travel, 1 to 64.
    pub http_put_response_hop_limit: Option<i64>,
    /// `enabled` or `disabled`: whether the metadata service answers at all.
    pub http_endpoint: Option<String>,
    /// `enabled` or `disabled`: the IPv6 endpoint.
    pub http_protocol_ipv6: Option<String>,
    /// `enabled` or `disabled`: whether instance tags are readable from the metadata service.
    pub instance_metadata_tags: Option<String>,
}

/// An instance's metadata options, as it keeps them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MetadataOptions {
    /// `optional` or `required`.
    pub http_tokens: String,
    /// 1 to 64.
    pub http_put_response_hop_limit: i64,
    /// `enabled` or `disabled`.
    pub http_endpoint: String,
    /// `enabled` or `disabled`.
    pub http_protocol_ipv6: String,
    /// `enabled` or `disabled`.
    pub instance_metadata_tags: String,
}

/// An instance's `MetadataOptions` as DescribeInstances shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetadataOptionsShape {
    /// Always `applied`: a change takes effect at once here.
    pub state: String,
    /// `optional` or `required`.
    pub http_tokens: String,
    /// 1 to 64.
    pub http_put_response_hop_limit: i64,
    /// `enabled` or `disabled`.
    pub http_endpoint: String,
    /// `enabled` or `disabled`.
    pub http_protocol_ipv6: String,
    /// `enabled` or `disabled`.
    pub instance_metadata_tags: String,
}

fn one_of(member: &str, value: &str, allowed: &[&str]) -> AwsResult<String> {
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(AwsError::invalid_parameter_value(format!(
            "Value ({value}) for parameter {member} is invalid. Valid values: {}",
            allowed.join(", ")
        )))
    }
}

impl MetadataOptions {
    /// The options of an instance launched from an image with `imds_support` (`v2.0` or
    /// none), with the request's choices over the image's defaults.
    ///
    /// Errors: `InvalidParameterValue` for a value outside a member's set or a hop limit
    /// outside 1–64.
    pub fn at_launch(
        imds_support: Option<&str>,
        input: Option<&MetadataOptionsInput>,
    ) -> AwsResult<MetadataOptions> {
        let v2_image = imds_support == Some("v2.0");
        let mut options = MetadataOptions {
            http_tokens: if v2_image { "required" } else { "optional" }.into(),
            http_put_response_hop_limit: if v2_image { 2 } else { 1 },
            http_endpoint: "enabled".into(),
            http_protocol_ipv6: "disabled".into(),
            instance_metadata_tags: "disabled".into(),
        };
        if let Some(input) = input {
            options.apply(input)?;
        }
        Ok(options)
    }

    /// Sets every member the request names; nothing changes when one is invalid.
    pub fn apply(&mut self, input: &MetadataOptionsInput) -> AwsResult<()> {
        const SWITCH: &[&str] = &["enabled", "disabled"];
        let mut next = self.clone();
        if let Some(v) = &input.http_tokens {
            next.http_tokens = one_of("HttpTokens", v, &["optional", "required"])?;
        }
        if let Some(hops) = input.http_put_response_hop_limit {
            if !(1..=64).contains(&hops) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({hops}) for parameter HttpPutResponseHopLimit is invalid. Valid values: 1 to 64"
                )));
            }
            next.http_put_response_hop_limit = hops;
        }
        if let Some(v) = &input.http_endpoint {
            next.http_endpoint = one_of("HttpEndpoint", v, SWITCH)?;
        }
        if let Some(v) = &input.http_protocol_ipv6 {
            next.http_protocol_ipv6 = one_of("HttpProtocolIpv6", v, SWITCH)?;
        }
        if let Some(v) = &input.instance_metadata_tags {
            next.instance_metadata_tags = one_of("InstanceMetadataTags", v, SWITCH)?;
        }
        *self = next;
        Ok(())
    }

    /// The options as DescribeInstances shows them.
    pub fn shape(&self) -> MetadataOptionsShape {
        MetadataOptionsShape {
            state: "applied".into(),
            http_tokens: self.http_tokens.clone(),
            http_put_response_hop_limit: self.http_put_response_hop_limit,
            http_endpoint: self.http_endpoint.clone(),
            http_protocol_ipv6: self.http_protocol_ipv6.clone(),
            instance_metadata_tags: self.instance_metadata_tags.clone(),
        }
    }
}

request! {
    /// Input of EC2 `ModifyInstanceMetadataOptions`: the members to change; the others keep
    /// their values.
    pub struct ModifyInstanceMetadataOptionsInput {
        /// The instance: the caller's, not terminated.
        pub instance_id: String,
        /// `optional` or `required` (IMDSv2 only).
        pub http_tokens: Option<String>,
        /// 1 to 64.
        pub http_put_response_hop_limit: Option<i64>,
        /// `enabled` or `disabled`.
        pub http_endpoint: Option<String>,
        ..dry_run,
        /// `enabled` or `disabled`.
        pub http_protocol_ipv6: Option<String>,
        /// `enabled` or `disabled`.
        pub instance_metadata_tags: Option<String>,
    }
}

impl ModifyInstanceMetadataOptionsInput {
    /// The options the request names, as RunInstances takes them.
    pub(crate) fn options(&self) -> MetadataOptionsInput {
        MetadataOptionsInput {
            http_tokens: self.http_tokens.clone(),
            http_put_response_hop_limit: self.http_put_response_hop_limit,
            http_endpoint: self.http_endpoint.clone(),
            http_protocol_ipv6: self.http_protocol_ipv6.clone(),
            instance_metadata_tags: self.instance_metadata_tags.clone(),
        }
    }
}

/// EC2 `ModifyInstanceMetadataOptions`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModifyInstanceMetadataOptionsOutput {
    /// The instance id.
    pub instance_id: String,
    /// Its metadata options after the change.
    pub instance_metadata_options: MetadataOptionsShape,
}

/// `iam_instance_profile` in RunInstances: the profile by ARN or by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IamInstanceProfileInput {
    /// `arn:aws:iam::<account>:instance-profile/<path/>name`.
    pub arn: Option<String>,
    /// The profile's name.
    pub name: Option<String>,
}

/// The IAM instance profile associated with an instance. The simulation has no IAM: any
/// well-formed name is a profile of the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IamInstanceProfile {
    /// `arn:aws:iam::<account>:instance-profile/<name>`.
    pub arn: String,
    /// The profile's id: `AIPA` and 17 characters, stable for the ARN.
    pub id: String,
}

/// An instance's `IamInstanceProfile` as DescribeInstances shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IamInstanceProfileShape {
    /// The profile's ARN.
    pub arn: String,
    /// The profile's id (`AIPA…`).
    pub id: String,
}

impl IamInstanceProfile {
    /// The profile a RunInstances request names, for an instance of `account`.
    ///
    /// Errors: `InvalidParameterValue` for an ARN that is not an instance profile's, a name of
    /// other than 1–128 letters, digits and `+=,.@_-`, or neither member;
    /// `InvalidParameterCombination` for an ARN and a name that disagree.
    pub fn named(account: &str, input: &IamInstanceProfileInput) -> AwsResult<IamInstanceProfile> {
        let from_arn = match &input.arn {
            Some(arn) => {
                let rest = arn
                    .strip_prefix("arn:aws:iam::")
                    .and_then(|r| r.split_once(":instance-profile/"));
                match rest {
                    Some((owner, path)) if crate::is_account_id(owner) && !path.is_empty() => {
                        Some((arn.clone(), path.rsplit('/').next().unwrap_or(path).to_string()))
                    }
                    _ => {
                        return Err(AwsError::invalid_parameter_value(format!(
                            "Value ({arn}) for parameter iamInstanceProfile.arn is invalid. Expected: arn:aws:iam::<account>:instance-profile/<name>"
                        )))
                    }
                }
            }
            None => None,
        };
        let (arn, name) = match (from_arn, &input.name) {
            (Some((arn, name)), None) => (arn, name),
            (Some((arn, name)), Some(given)) if *given == name => (arn, name),
            (Some(_), Some(_)) => {
                return Err(AwsError::invalid_parameter_combination(
                    "The iamInstanceProfile.arn and iamInstanceProfile.name parameters name different instance profiles.",
                ))
            }
            (None, Some(name)) => (format!("arn:aws:iam::{account}:instance-profile/{name}"), name.clone()),
            (None, None) => {
                return Err(AwsError::invalid_parameter_value(
                    "The parameter iamInstanceProfile must name a profile by arn or by name.",
                ))
            }
        };
        let well_formed = (1..=128).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !well_formed {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"
            )));
        }
        let digest = stable_id("", &arn);
        let id = format!(
            "AIPA{}",
            digest
                .trim_start_matches('-')
                .to_uppercase()
                .chars()
                .take(17)
                .collect::<String>()
        );
        Ok(IamInstanceProfile { arn, id })
    }

    /// The profile as DescribeInstances shows it.
    pub fn shape(&self) -> IamInstanceProfileShape {
        IamInstanceProfileShape {
            arn: self.arn.clone(),
            id: self.id.clone(),
        }
    }
}

/// `monitoring` in RunInstances: `{enabled: true}` turns on detailed monitoring.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringInput {
    /// Whether detailed (one-minute) monitoring is on.
    pub enabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imdsv2_image_requires_tokens_and_two_hops() {
        let v2 = MetadataOptions::at_launch(Some("v2.0"), None).unwrap();
        assert_eq!(
            (v2.http_tokens.as_str(), v2.http_put_response_hop_limit),
            ("required", 2)
        );
        let v1 = MetadataOptions::at_launch(None, None).unwrap();
        assert_eq!(
            (v1.http_tokens.as_str(), v1.http_put_response_hop_limit),
            ("optional", 1)
        );
        let asked = MetadataOptionsInput {
            http_tokens: Some("required".into()),
            ..Default::default()
        };
        assert_eq!(
            MetadataOptions::at_launch(None, Some(&asked))
                .unwrap()
                .http_tokens,
            "required"
        );
    }

    #[test]
    fn invalid_options_change_nothing() {
        let mut options = MetadataOptions::at_launch(None, None).unwrap();
        let before = options.clone();
        let bad = MetadataOptionsInput {
            http_tokens: Some("required".into()),
            http_put_response_hop_limit: Some(65),
            ..Default::default()
        };
        assert_eq!(
            options.apply(&bad).unwrap_err().code,
            "InvalidParameterValue"
        );
        assert_eq!(options, before);
        let bad = MetadataOptionsInput {
            http_endpoint: Some("on".into()),
            ..Default::default()
        };
        assert!(options
            .apply(&bad)
            .unwrap_err()
            .message
            .contains("Valid values: enabled, disabled"));
    }

    #[test]
    fn profiles_by_name_or_arn() {
        let by_name = IamInstanceProfile::named(
            "123456789012",
            &IamInstanceProfileInput {
                name: Some("web".into()),
                arn: None,
            },
        )
        .unwrap();
        assert_eq!(
            by_name.arn,
            "arn:aws:iam::123456789012:instance-profile/web"
        );
        assert!(
            by_name.id.starts_with("AIPA") && by_name.id.len() == 21,
            "{}",
            by_name.id
        );
        let by_arn = IamInstanceProfile::named(
            "123456789012",
            &IamInstanceProfileInput {
                arn: Some(by_name.arn.clone()),
                name: None,
            },
        )
        .unwrap();
        assert_eq!(by_arn, by_name);
        let both = IamInstanceProfileInput {
            arn: Some(by_name.arn.clone()),
            name: Some("db".into()),
        };
        assert_eq!(
            IamInstanceProfile::named("123456789012", &both)
                .unwrap_err()
                .code,
            "InvalidParameterCombination"
        );
        let bad = IamInstanceProfileInput {
            arn: Some("arn:aws:iam::123456789012:role/web".into()),
            name: None,
        };
        assert_eq!(
            IamInstanceProfile::named("123456789012", &bad)
                .unwrap_err()
                .code,
            "InvalidParameterValue"
        );
        let bad = IamInstanceProfileInput {
            name: Some("web server".into()),
            arn: None,
        };
        assert_eq!(
            IamInstanceProfile::named("123456789012", &bad)
                .unwrap_err()
                .code,
            "InvalidParameterValue"
        );
    }
}

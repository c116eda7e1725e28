//! The operation table: one line per API operation, naming its service, its API name, whether
//! it mutates, and the typed function that implements it. [`Cloud::call`] decodes a JSON request
//! into that function's input type (boto3's parameter validation), runs it, records the trail
//! and encodes the response.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use amilab_text::{classify, Expected, SerdeProblem};

use super::clock::iso8601;
use super::error::{AwsError, AwsResult, CallError};
use super::naming::xform_name;
use super::paging;
use super::request::Request;
use super::trail::TrailEvent;
use super::{Caller, Cloud};

/// The services a script can make clients for.
pub const SERVICES: &[&str] = &[
    "autoscaling",
    "ce",
    "ec2",
    "imagebuilder",
    "kms",
    "ssm",
    "sts",
];

type Invoke = fn(&mut Cloud, &Caller, Value, Encoding<'_>) -> Result<Value, CallError>;

/// How an answer is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding<'a> {
    /// boto3's snake_case keys.
    Boto3,
    /// The API's member names ([`crate::wire`]).
    Wire,
    /// boto3's keys, only the members these paths reach ([`crate::prune`]): a waiter's poll
    /// reads one or two members of the answer.
    Pruned(&'a [&'a str]),
}

/// Who makes a call: how its answer is encoded, and what the trail records as its
/// `user_agent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Client {
    /// A script's boto3-style client: answers with boto3's snake_case keys; the trail records
    /// no user agent.
    #[default]
    Boto3,
    /// The AWS CLI front end (`amilab aws …`, `aws("…")` in scripts): answers with the API's
    /// own member names ([`crate::wire`]); the trail records the user agent
    /// [`AWS_CLI_USER_AGENT`].
    AwsCli,
}

/// The `user_agent` the trail records for calls made through the AWS CLI front end, as
/// CloudTrail records `aws-cli/…` for the real one.
pub const AWS_CLI_USER_AGENT: &str = "aws-cli";

/// One API operation.
pub struct OperationSpec {
    /// The service's boto3 name (`ce`, `ec2`, `imagebuilder`, `kms`, `ssm`, `sts`), one of [`SERVICES`].
    pub service: &'static str,
    /// The API name, as CloudTrail and error messages show it (`CreateImage`).
    pub name: &'static str,
    /// Changes state; refused in read-only contexts (graders' checks) and dry-run on a copy.
    pub mutating: bool,
    invoke: Invoke,
    parameters: fn() -> &'static [&'static str],
    not_simulated: fn() -> &'static [&'static str],
    input_schema: fn() -> schemars::Schema,
}

impl OperationSpec {
    /// boto3's method name (`create_image`).
    pub fn method(&self) -> String {
        xform_name(self.name)
    }

    /// The parameters the operation accepts (boto3's snake_case keys), in the order its input
    /// declares them; any other key is refused as boto3 refuses it.
    pub fn parameters(&self) -> &'static [&'static str] {
        (self.parameters)()
    }

    /// The members of botocore's input shape that the simulation refuses as not simulated
    /// (boto3 key paths, `placement.group_name` for a nested one); see
    /// `Request::not_simulated`. With [`OperationSpec::parameters`], they cover the whole
    /// input shape.
    pub fn not_simulated(&self) -> &'static [&'static str] {
        (self.not_simulated)()
    }

    /// The JSON Schema of the operation's input, generated from the type that decodes it:
    /// boto3's snake_case keys as properties, `required` for the members a request must have,
    /// each member's documentation as its `description`, timestamps as strings in the
    /// `date-time` format, and `$defs` for the structures it uses. The AWS CLI front end reads
    /// its options, their types and its help from it.
    pub fn input_schema(&self) -> schemars::Schema {
        (self.input_schema)()
    }
}

/// The keys of `func`'s input type (the type is all that is read of `func`).
fn parameters_of<I: DeserializeOwned, O>(
    _func: fn(&mut Cloud, &Caller, I) -> AwsResult<O>,
) -> &'static [&'static str] {
    super::parameters::of::<I>()
}

/// The JSON Schema of `func`'s input type.
fn input_schema_of<I: schemars::JsonSchema, O>(
    _func: fn(&mut Cloud, &Caller, I) -> AwsResult<O>,
) -> schemars::Schema {
    schemars::SchemaGenerator::default().into_root_schema_for::<I>()
}

/// The members `func`'s input type declares not simulated.
fn not_simulated_of<I: Request, O>(
    _func: fn(&mut Cloud, &Caller, I) -> AwsResult<O>,
) -> &'static [&'static str] {
    I::not_simulated()
}

macro_rules! operations {
    ($( $service:literal $name:literal $mutating:literal => $func:path; )*) => {
        /// Every operation of the simulated cloud.
        pub static OPERATIONS: &[OperationSpec] = &[
            $( OperationSpec {
                service: $service,
                name: $name,
                mutating: $mutating,
                invoke: |cloud, caller, params, encoding| {
                    invoke(cloud, caller, params, ($service, $name), $mutating, encoding, $func)
                },
                parameters: || parameters_of($func),
                not_simulated: || not_simulated_of($func),
                input_schema: || input_schema_of($func),
            }, )*
        ];
    };
}

operations! {
    "autoscaling" "CancelInstanceRefresh" true => Cloud::cancel_instance_refresh;
    "autoscaling" "CreateAutoScalingGroup" true => Cloud::create_auto_scaling_group;
    "autoscaling" "DeleteAutoScalingGroup" true => Cloud::delete_auto_scaling_group;
    "autoscaling" "DescribeAutoScalingGroups" false => Cloud::describe_auto_scaling_groups;
    "autoscaling" "DescribeAutoScalingInstances" false => Cloud::describe_auto_scaling_instances;
    "autoscaling" "DescribeInstanceRefreshes" false => Cloud::describe_instance_refreshes;
    "autoscaling" "DescribeScalingActivities" false => Cloud::describe_scaling_activities;
    "autoscaling" "SetDesiredCapacity" true => Cloud::set_desired_capacity;
    "autoscaling" "SetInstanceProtection" true => Cloud::set_instance_protection;
    "autoscaling" "StartInstanceRefresh" true => Cloud::start_instance_refresh;
    "autoscaling" "TerminateInstanceInAutoScalingGroup" true => Cloud::terminate_instance_in_auto_scaling_group;
    "autoscaling" "UpdateAutoScalingGroup" true => Cloud::update_auto_scaling_group;
    "ce" "GetCostAndUsage" false => Cloud::get_cost_and_usage;
    "ec2" "AttachVolume" true => Cloud::attach_volume;
    "ec2" "AuthorizeSecurityGroupIngress" true => Cloud::authorize_security_group_ingress;
    "ec2" "CopyImage" true => Cloud::copy_image;
    "ec2" "CopySnapshot" true => Cloud::copy_snapshot;
    "ec2" "CreateImage" true => Cloud::create_image;
    "ec2" "CreateKeyPair" true => Cloud::create_key_pair;
    "ec2" "CreateLaunchTemplate" true => Cloud::create_launch_template;
    "ec2" "CreateLaunchTemplateVersion" true => Cloud::create_launch_template_version;
    "ec2" "CreateSecurityGroup" true => Cloud::create_security_group;
    "ec2" "CreateSnapshot" true => Cloud::create_snapshot;
    "ec2" "CreateTags" true => Cloud::create_tags;
    "ec2" "CreateVolume" true => Cloud::create_volume;
    "ec2" "DeleteKeyPair" true => Cloud::delete_key_pair;
    "ec2" "DeleteLaunchTemplate" true => Cloud::delete_launch_template;
    "ec2" "DeleteLaunchTemplateVersions" true => Cloud::delete_launch_template_versions;
    "ec2" "DeleteSecurityGroup" true => Cloud::delete_security_group;
    "ec2" "DeleteSnapshot" true => Cloud::delete_snapshot;
    "ec2" "DeleteTags" true => Cloud::delete_tags;
    "ec2" "DeleteVolume" true => Cloud::delete_volume;
    "ec2" "DeregisterImage" true => Cloud::deregister_image;
    "ec2" "DescribeAvailabilityZones" false => Cloud::describe_availability_zones;
    "ec2" "DescribeImageAttribute" false => Cloud::describe_image_attribute;
    "ec2" "DescribeImages" false => Cloud::describe_images;
    "ec2" "DescribeInstanceAttribute" false => Cloud::describe_instance_attribute;
    "ec2" "DescribeInstanceTypes" false => Cloud::describe_instance_types;
    "ec2" "DescribeInstances" false => Cloud::describe_instances;
    "ec2" "DescribeKeyPairs" false => Cloud::describe_key_pairs;
    "ec2" "DescribeLaunchTemplateVersions" false => Cloud::describe_launch_template_versions;
    "ec2" "DescribeLaunchTemplates" false => Cloud::describe_launch_templates;
    "ec2" "DescribeRegions" false => Cloud::describe_regions;
    "ec2" "DescribeSecurityGroups" false => Cloud::describe_security_groups;
    "ec2" "DescribeSnapshotAttribute" false => Cloud::describe_snapshot_attribute;
    "ec2" "DescribeSnapshots" false => Cloud::describe_snapshots;
    "ec2" "DescribeSubnets" false => Cloud::describe_subnets;
    "ec2" "DescribeTags" false => Cloud::describe_tags;
    "ec2" "DescribeVolumes" false => Cloud::describe_volumes;
    "ec2" "DescribeVpcs" false => Cloud::describe_vpcs;
    "ec2" "DetachVolume" true => Cloud::detach_volume;
    "ec2" "DisableEbsEncryptionByDefault" true => Cloud::disable_ebs_encryption_by_default;
    "ec2" "DisableImage" true => Cloud::disable_image;
    "ec2" "DisableImageBlockPublicAccess" true => Cloud::disable_image_block_public_access;
    "ec2" "DisableImageDeprecation" true => Cloud::disable_image_deprecation;
    "ec2" "DisableImageDeregistrationProtection" true => Cloud::disable_image_deregistration_protection;
    "ec2" "EnableEbsEncryptionByDefault" true => Cloud::enable_ebs_encryption_by_default;
    "ec2" "EnableImage" true => Cloud::enable_image;
    "ec2" "EnableImageBlockPublicAccess" true => Cloud::enable_image_block_public_access;
    "ec2" "EnableImageDeprecation" true => Cloud::enable_image_deprecation;
    "ec2" "EnableImageDeregistrationProtection" true => Cloud::enable_image_deregistration_protection;
    "ec2" "GetConsoleOutput" false => Cloud::get_console_output;
    "ec2" "GetEbsDefaultKmsKeyId" false => Cloud::get_ebs_default_kms_key_id;
    "ec2" "GetEbsEncryptionByDefault" false => Cloud::get_ebs_encryption_by_default;
    "ec2" "GetImageBlockPublicAccessState" false => Cloud::get_image_block_public_access_state;
    "ec2" "GetLaunchTemplateData" false => Cloud::get_launch_template_data;
    "ec2" "ImportKeyPair" true => Cloud::import_key_pair;
    "ec2" "ModifyEbsDefaultKmsKeyId" true => Cloud::modify_ebs_default_kms_key_id;
    "ec2" "ModifyImageAttribute" true => Cloud::modify_image_attribute;
    "ec2" "ModifyInstanceAttribute" true => Cloud::modify_instance_attribute;
    "ec2" "ModifyInstanceMetadataOptions" true => Cloud::modify_instance_metadata_options;
    "ec2" "ModifyLaunchTemplate" true => Cloud::modify_launch_template;
    "ec2" "ModifySnapshotAttribute" true => Cloud::modify_snapshot_attribute;
    "ec2" "RebootInstances" true => Cloud::reboot_instances;
    "ec2" "RegisterImage" true => Cloud::register_image;
    "ec2" "ResetEbsDefaultKmsKeyId" true => Cloud::reset_ebs_default_kms_key_id;
    "ec2" "ResetImageAttribute" true => Cloud::reset_image_attribute;
    "ec2" "ResetSnapshotAttribute" true => Cloud::reset_snapshot_attribute;
    "ec2" "RevokeSecurityGroupIngress" true => Cloud::revoke_security_group_ingress;
    "ec2" "RunInstances" true => Cloud::run_instances;
    "ec2" "StartInstances" true => Cloud::start_instances;
    "ec2" "StopInstances" true => Cloud::stop_instances;
    "ec2" "TerminateInstances" true => Cloud::terminate_instances;
    "imagebuilder" "CreateComponent" true => Cloud::create_component;
    "imagebuilder" "CreateDistributionConfiguration" true => Cloud::create_distribution_configuration;
    "imagebuilder" "CreateImagePipeline" true => Cloud::create_image_pipeline;
    "imagebuilder" "CreateImageRecipe" true => Cloud::create_image_recipe;
    "imagebuilder" "CreateInfrastructureConfiguration" true => Cloud::create_infrastructure_configuration;
    "imagebuilder" "GetComponent" false => Cloud::get_component;
    "imagebuilder" "GetImage" false => Cloud::get_image;
    "imagebuilder" "GetImagePipeline" false => Cloud::get_image_pipeline;
    "imagebuilder" "ListImagePipelineImages" false => Cloud::list_image_pipeline_images;
    "imagebuilder" "ListImages" false => Cloud::list_images;
    "imagebuilder" "StartImagePipelineExecution" true => Cloud::start_image_pipeline_execution;
    "kms" "CancelKeyDeletion" true => Cloud::kms_cancel_key_deletion;
    "kms" "CreateAlias" true => Cloud::kms_create_alias;
    "kms" "CreateGrant" true => Cloud::kms_create_grant;
    "kms" "CreateKey" true => Cloud::kms_create_key;
    "kms" "DescribeKey" false => Cloud::kms_describe_key;
    "kms" "DisableKey" true => Cloud::kms_disable_key;
    "kms" "EnableKey" true => Cloud::kms_enable_key;
    "kms" "GetKeyPolicy" false => Cloud::kms_get_key_policy;
    "kms" "ListAliases" false => Cloud::kms_list_aliases;
    "kms" "ListGrants" false => Cloud::kms_list_grants;
    "kms" "ListKeys" false => Cloud::kms_list_keys;
    "kms" "PutKeyPolicy" true => Cloud::kms_put_key_policy;
    "kms" "RevokeGrant" true => Cloud::kms_revoke_grant;
    "kms" "ScheduleKeyDeletion" true => Cloud::kms_schedule_key_deletion;
    "ssm" "DescribeInstanceInformation" false => Cloud::describe_instance_information;
    "ssm" "GetCommandInvocation" false => Cloud::get_command_invocation;
    "ssm" "ListCommandInvocations" false => Cloud::list_command_invocations;
    "ssm" "ListCommands" false => Cloud::list_commands;
    "ssm" "SendCommand" true => Cloud::send_command;
    "sts" "GetCallerIdentity" false => Cloud::get_caller_identity;
}

/// (service, boto3 method name) → operation.
fn index() -> &'static BTreeMap<(&'static str, String), &'static OperationSpec> {
    static INDEX: OnceLock<BTreeMap<(&'static str, String), &'static OperationSpec>> =
        OnceLock::new();
    INDEX.get_or_init(|| {
        OPERATIONS
            .iter()
            .map(|op| ((op.service, op.method()), op))
            .collect()
    })
}

/// The operation a boto3 method name stands for.
pub fn operation(service: &str, method: &str) -> Option<&'static OperationSpec> {
    index().get(&(service, method.to_string())).copied()
}

/// Every distinct boto3 method name of [`OPERATIONS`], sorted; made once per process (a
/// script engine registers one function per name, and grading makes two engines per
/// submission).
pub fn method_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = index().keys().map(|(_, m)| m.clone()).collect();
        names.sort();
        names.dedup();
        names
    })
}

/// boto3 method names of a service, sorted.
pub fn methods(service: &str) -> Vec<String> {
    index()
        .keys()
        .filter(|(s, _)| *s == service)
        .map(|(_, m)| m.clone())
        .collect()
}

/// Decodes, runs (on a copy for a dry run) and encodes one call.
///
/// Whether it is a dry run is the decoded input's to say ([`Request::dry_run`]): only inputs
/// declared with EC2's `DryRun` member can be one, and for every other input decoding has
/// already refused a `dry_run` key as unknown, as boto3 does.
fn invoke<I, O>(
    cloud: &mut Cloud,
    caller: &Caller,
    mut params: Value,
    (service, name): (&'static str, &'static str),
    mutating: bool,
    encoding: Encoding<'_>,
    func: fn(&mut Cloud, &Caller, I) -> AwsResult<O>,
) -> Result<Value, CallError>
where
    I: DeserializeOwned + Request,
    O: Serialize,
{
    // boto3 checks the whole request before sending it: a member the simulation does not
    // simulate is set aside so that any parameter error is reported first, as boto3 would.
    let not_simulated = take_members(&mut params, I::not_simulated());
    // boto3's range checks of the paging members come after the shape's own (unknown or
    // missing keys, wrong types), as botocore's validator reports them.
    let paging = paging::client_side_check(service, name, &params);
    let input: I = decode(params)?;
    paging.map_err(|line| CallError::Param(format!("Parameter validation failed:\n{line}")))?;
    if let Some(member) = not_simulated {
        return Err(CallError::NotSimulated {
            operation: name,
            member: member.to_string(),
        });
    }
    cloud.admit(caller)?;
    if input.dry_run() {
        // A dry run checks everything the real call would, then changes nothing: run it on a
        // throwaway copy of the cloud.
        let outcome = if mutating {
            func(&mut cloud.clone(), caller, input).map(|_| ())
        } else {
            func(cloud, caller, input).map(|_| ())
        };
        return Err(CallError::Aws(
            outcome.err().unwrap_or_else(AwsError::dry_run_succeeded),
        ));
    }
    let output = func(cloud, caller, input)?;
    // Encoding a response of plain records cannot fail today; should a change ever make it
    // fail, the caller gets what AWS answers when the service itself breaks, never a null.
    match encoding {
        Encoding::Boto3 => serde_json::to_value(output),
        Encoding::Wire => crate::wire::to_wire(service, &output),
        Encoding::Pruned(paths) => crate::prune::to_value(&output, paths),
    }
    .map_err(|e| CallError::Aws(AwsError::internal_error(&e)))
}

impl Cloud {
    /// Lets a decoded request through: counts it against the quota and makes sure the
    /// caller's default network exists in the region.
    fn admit(&mut self, caller: &Caller) -> AwsResult<()> {
        self.count_call()?;
        self.ensure_account(&caller.account, &caller.region)
    }

    /// Calls `service.method(params)` as `caller`, recording the call on the trail.
    /// Parameter validation errors happen before anything is sent and are not recorded.
    ///
    /// `params` is a JSON object with boto3's snake_case keys (`null` counts as `{}`); the answer
    /// is boto3's response structure as JSON, with the keys boto3 would omit left out.
    ///
    /// Errors: [`CallError::Param`] for a method the service lacks or a request boto3 itself
    /// would refuse (an unknown or missing key, a value of the wrong type, a page size below
    /// the model's minimum); [`CallError::Aws`]
    /// for what the service answers, among them `InvalidRegion` for a region the world does not
    /// enable, `RequestLimitExceeded` (HTTP 503) past the run's API-call quota, and
    /// `DryRunOperation` (HTTP 412) for a dry run that would have succeeded.
    pub fn call(
        &mut self,
        caller: &Caller,
        service: &str,
        method: &str,
        params: Value,
    ) -> Result<Value, CallError> {
        self.call_as(Client::Boto3, caller, service, method, params)
    }

    /// [`Cloud::call`] made by `client`: the same request (boto3's snake_case keys), the same
    /// checks and errors; the answer is encoded for that client (the API's member names for
    /// [`Client::AwsCli`]) and the trail records its user agent.
    pub fn call_as(
        &mut self,
        client: Client,
        caller: &Caller,
        service: &str,
        method: &str,
        params: Value,
    ) -> Result<Value, CallError> {
        let encoding = match client {
            Client::Boto3 => Encoding::Boto3,
            Client::AwsCli => Encoding::Wire,
        };
        self.call_encoded(client, encoding, caller, service, method, params)
    }

    /// A call by `client` whose answer is encoded as `encoding` says.
    pub(crate) fn call_encoded(
        &mut self,
        client: Client,
        encoding: Encoding<'_>,
        caller: &Caller,
        service: &str,
        method: &str,
        params: Value,
    ) -> Result<Value, CallError> {
        let op = operation(service, method)
            .ok_or_else(|| CallError::Param(format!("'{service}' has no operation '{method}'")))?;
        let recorded = crate::trail::recorded(&params);
        // A refused call leaves the seeded id stream where it was, even when the operation drew
        // from it before finding the request invalid (RunInstances picks a zone before it
        // looks up security groups by name): ids after a failed call are those of a run without
        // it. A waiter that gave up is not refused: the time it waited, and what happened in
        // it, stay.
        let ids = self.ids.clone();
        let result = (op.invoke)(self, caller, params, encoding);
        if matches!(
            result,
            Err(CallError::Aws(_) | CallError::Param(_) | CallError::NotSimulated { .. })
        ) {
            self.ids = ids;
        }
        let error_code = match &result {
            Err(CallError::Param(_) | CallError::NotSimulated { .. }) => return result,
            Err(CallError::Aws(e)) => Some(e.code.clone()),
            Err(CallError::Waiter(_)) | Ok(_) => None,
        };
        self.trail.record(TrailEvent {
            seq: 0,
            time: iso8601(self.now()),
            account: caller.account.clone(),
            region: caller.region.clone(),
            service: service.to_string(),
            operation: op.name.to_string(),
            parameters: recorded,
            error_code,
            user_agent: (client == Client::AwsCli).then(|| AWS_CLI_USER_AGENT.to_string()),
        });
        result
    }
}

/// Removes every member named by `paths` (boto3 key paths, descending through lists) from a
/// request, and returns the first path, in `paths` order, that was present and not null.
fn take_members(params: &mut Value, paths: &[&'static str]) -> Option<&'static str> {
    // Runs on every call: walks the path in place, allocating nothing.
    fn take(value: &mut Value, path: &str) -> bool {
        match value {
            Value::Array(items) => {
                // Every element, not only up to the first hit: each loses the member.
                let mut found = false;
                for item in items {
                    found |= take(item, path);
                }
                found
            }
            Value::Object(map) => match path.split_once('.') {
                None => map.remove(path).is_some_and(|v| !v.is_null()),
                Some((first, rest)) => map.get_mut(first).is_some_and(|v| take(v, rest)),
            },
            _ => false,
        }
    }
    let mut first = None;
    for path in paths {
        if take(params, path) && first.is_none() {
            first = Some(*path);
        }
    }
    first
}

/// Decodes a request, turning serde's complaints into boto3's ParamValidationError wording.
fn decode<I: DeserializeOwned>(params: Value) -> Result<I, CallError> {
    let params = if params.is_null() {
        Value::Object(Default::default())
    } else {
        params
    };
    serde_path_to_error::deserialize(params).map_err(|e| {
        let path = e.path().to_string();
        CallError::Param(param_message(&path, &e.into_inner().to_string()))
    })
}

/// `Parameter validation failed:` + boto3's line for the problem.
fn param_message(path: &str, serde_message: &str) -> String {
    // serde's path ends with the offending field for unknown-field errors, and names the
    // containing structure for missing-field errors.
    let location = |path_ends_with_field: bool| {
        let parent = if path_ends_with_field {
            path.rsplit_once('.').map_or("", |(p, _)| p)
        } else {
            path
        };
        if parent.is_empty() || parent == "." {
            "input".to_string()
        } else {
            parent.to_string()
        }
    };
    let line = match classify(serde_message) {
        SerdeProblem::UnknownField { field, expected } => {
            let mut line = format!(
                "Unknown parameter in {}: \"{field}\", must be one of: {}",
                location(true),
                expected.join(", ")
            );
            if let Some(s) = suggest(field, &expected) {
                line.push_str(&format!(". Did you mean \"{s}\"?"));
            }
            line
        }
        SerdeProblem::MissingField { field } => format!(
            "Missing required parameter in {}: \"{field}\"",
            location(false)
        ),
        SerdeProblem::InvalidType { found, expected } => format!(
            "Invalid type for parameter {path}, value: {}, type: {}, valid types: {}",
            found.value.unwrap_or(found.kind),
            found.kind,
            type_word(expected)
        ),
        _ => format!("Invalid value for parameter {path}: {serde_message}"),
    };
    format!("Parameter validation failed:\n{line}")
}

/// boto3's name for a kind of value (`valid types: list`).
fn type_word(expected: Expected) -> &'static str {
    match expected {
        Expected::List => "list",
        Expected::Boolean => "boolean",
        Expected::String => "string",
        Expected::Integer | Expected::Unsigned => "integer",
        Expected::Map | Expected::Number | Expected::Other(_) => "map",
    }
}

/// The valid key closest to what was typed, if close enough: boto3's CamelCase spelling first
/// (`ImageIds` → `image_ids`), then amilab's one did-you-mean rule ([`amilab_text::closest`]).
pub fn suggest<'a>(typed: &str, valid: &[&'a str]) -> Option<&'a str> {
    let snake = xform_name(typed);
    if let Some(v) = valid.iter().find(|v| **v == snake) {
        return Some(v);
    }
    amilab_text::closest(typed, valid.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_are_every_operations_method_once_sorted() {
        let mut expected: Vec<String> = OPERATIONS.iter().map(OperationSpec::method).collect();
        expected.sort();
        expected.dedup();
        assert_eq!(method_names(), expected.as_slice());
        assert!(method_names().iter().any(|m| m == "describe_images"));
    }

    #[test]
    fn every_operation_has_a_unique_method() {
        assert_eq!(index().len(), OPERATIONS.len());
        assert!(operation("ec2", "create_image").is_some());
        assert!(operation("ssm", "create_image").is_none());
        assert!(methods("sts").contains(&"get_caller_identity".to_string()));
    }

    #[test]
    fn members_not_simulated_are_taken_out_of_a_request_at_any_depth() {
        let mut params = serde_json::json!({
            "image_id": "ami-1",
            "cpu_options": null,
            "placement": {"availability_zone": "us-east-1a", "group_name": "g"},
            "block_device_mappings": [{"device_name": "/dev/sdf"}, {"ebs": {"outpost_arn": "x"}}]
        });
        let paths = [
            "cpu_options",
            "block_device_mappings.ebs.outpost_arn",
            "placement.group_name",
        ];
        assert_eq!(
            take_members(&mut params, &paths),
            Some("block_device_mappings.ebs.outpost_arn")
        );
        assert_eq!(
            params,
            serde_json::json!({
                "image_id": "ami-1",
                "placement": {"availability_zone": "us-east-1a"},
                "block_device_mappings": [{"device_name": "/dev/sdf"}, {"ebs": {}}]
            })
        );
        assert_eq!(take_members(&mut params, &paths), None);
    }

    #[test]
    fn suggestions() {
        let valid = ["image_ids", "owners", "filters", "executable_users"];
        assert_eq!(suggest("ImageIds", &valid), Some("image_ids"));
        assert_eq!(suggest("image_id", &valid), Some("image_ids"));
        assert_eq!(suggest("ownr", &valid), Some("owners"));
        assert_eq!(suggest("zzzzzzzzzzzzz", &valid), None);
    }
}

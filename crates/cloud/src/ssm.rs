//! Systems Manager Run Command: `send_command` with `AWS-RunShellScript`, its invocations and
//! their output. Commands run on the instance's guest when they finish on the simulated clock.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use super::clock::{durations, iso8601};
use super::ec2::instances::{check_instance_id, InstanceState};
use super::error::{AwsError, AwsResult};
use super::lifecycle::Event;
use super::paging::{self, Pager};
use super::{Caller, Cloud};
use crate::request::request;

/// The one SSM document the simulation runs: `AWS-RunShellScript`.
pub(crate) const SHELL_DOCUMENT: &str = "AWS-RunShellScript";

/// The one plugin of `AWS-RunShellScript`.
const SHELL_PLUGIN: &str = "aws:runShellScript";

/// A `MaxConcurrency` or `MaxErrors` value: a count (`10`) or a percentage (`10%`, at most
/// `100%`), at least `least`; `default` when absent. Shaped as SSM's `MaxConcurrency` /
/// `MaxErrors` patterns allow.
fn rate(member: &str, value: Option<String>, default: &str, least: u32) -> AwsResult<String> {
    let Some(value) = value else {
        return Ok(default.to_string());
    };
    let (digits, percent) = match value.strip_suffix('%') {
        Some(d) => (d, true),
        None => (value.as_str(), false),
    };
    let ok = !digits.is_empty()
        && digits.len() <= 7
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'))
        && digits
            .parse::<u32>()
            .is_ok_and(|n| n >= least && (!percent || n <= 100));
    if ok {
        Ok(value)
    } else {
        Err(AwsError::new(
            "ValidationException",
            format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must be a number of at least {least} or a percentage such as 10%"),
        ))
    }
}

/// An invocation's status on one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum InvocationStatus {
    InProgress,
    Success,
    Failed,
}

impl InvocationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvocationStatus::InProgress => "InProgress",
            InvocationStatus::Success => "Success",
            InvocationStatus::Failed => "Failed",
        }
    }
}

/// A command's run on one instance.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Invocation {
    pub status: InvocationStatus,
    pub response_code: i32,
    pub stdout: String,
    pub stderr: String,
    pub finished: Option<u64>,
}

/// One `SendCommand` with its invocations, by instance id.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Command {
    pub id: String,
    pub seq: u64,
    pub account: String,
    pub region: String,
    pub comment: String,
    pub commands: Vec<String>,
    pub parameters: Value,
    pub requested: u64,
    pub invocations: BTreeMap<String, Invocation>,
    pub document_version: String,
    pub timeout_seconds: i64,
    pub max_concurrency: String,
    pub max_errors: String,
}

impl Command {
    fn status(&self) -> &'static str {
        if self
            .invocations
            .values()
            .any(|i| i.status == InvocationStatus::InProgress)
        {
            "InProgress"
        } else if self
            .invocations
            .values()
            .any(|i| i.status == InvocationStatus::Failed)
        {
            "Failed"
        } else {
            "Success"
        }
    }

    fn shape(&self) -> CommandShape {
        CommandShape {
            command_id: self.id.clone(),
            document_name: SHELL_DOCUMENT.into(),
            document_version: self.document_version.clone(),
            comment: self.comment.clone(),
            parameters: self.parameters.clone(),
            instance_ids: self.invocations.keys().cloned().collect(),
            requested_date_time: iso8601(self.requested),
            status: self.status().into(),
            status_details: self.status().into(),
            target_count: self.invocations.len(),
            completed_count: self
                .invocations
                .values()
                .filter(|i| i.status != InvocationStatus::InProgress)
                .count(),
            error_count: self
                .invocations
                .values()
                .filter(|i| i.status == InvocationStatus::Failed)
                .count(),
            timeout_seconds: self.timeout_seconds,
            max_concurrency: self.max_concurrency.clone(),
            max_errors: self.max_errors.clone(),
        }
    }
}

/// Every Run Command command of the world, by command id.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ssm {
    commands: BTreeMap<String, Command>,
}

request! {
    /// Input of SSM `SendCommand` (`ssm.send_command(#{instance_ids, document_name:
    /// "AWS-RunShellScript", parameters: #{commands: [...]}})`).
    pub struct SendCommandInput {
        ..not_simulated["alarm_configuration", "cloud_watch_output_config", "document_hash", "document_hash_type", "notification_config", "output_s3_bucket_name", "output_s3_key_prefix", "output_s3_region", "service_role_arn", "targets"],
        /// The SSM document to run; only `AWS-RunShellScript` exists here (`InvalidDocument`
        /// otherwise).
        pub document_name: String,
        /// The instances to run on: running instances of the caller's, in its region, with the SSM
        /// agent running.
        #[serde(default)]
        pub instance_ids: Vec<String>,
        /// The document's parameters: `commands` (a list of shell lines, or one string of lines;
        /// required), and optionally `workingDirectory` and `executionTimeout`. Its schema is
        /// botocore's (a map of lists of strings), so that the AWS CLI reads
        /// `--parameters commands="echo hi"` as the real one does.
        #[schemars(with = "Option<std::collections::BTreeMap<String, Vec<String>>>")]
        pub parameters: Option<serde_json::Map<String, Value>>,
        /// A comment shown with the command, up to 100 characters in AWS (not checked).
        pub comment: Option<String>,
        /// `TimeoutSeconds`: how long, 30 to 2,592,000 seconds, the command may wait to start
        /// on an instance (3600 by default); shown on the command. The simulated agent starts
        /// every command at once, so it is never reached.
        pub timeout_seconds: Option<i64>,
        /// `DocumentVersion`: `$DEFAULT`, `$LATEST` or `1`, the one version of the document.
        pub document_version: Option<String>,
        /// `MaxConcurrency`: how many instances (`10`) or what share of them (`10%`) run the
        /// command at once; `50` by default; shown on the command.
        pub max_concurrency: Option<String>,
        /// `MaxErrors`: after how many (`0`) or what share (`10%`) of failed invocations the
        /// command stops being sent; `0` by default; shown on the command.
        pub max_errors: Option<String>,
    }
}

/// SSM's `Command` as `SendCommand` and `ListCommands` return it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandShape {
    /// The command id, a UUID.
    pub command_id: String,
    /// Always `AWS-RunShellScript`.
    pub document_name: String,
    /// The document version asked for (`$DEFAULT` unless another was named).
    pub document_version: String,
    /// The comment given to `SendCommand`, or empty.
    pub comment: String,
    /// The document parameters as sent (`{commands: [...]}`).
    pub parameters: Value,
    /// The instances the command was sent to, sorted.
    pub instance_ids: Vec<String>,
    /// When the command was sent, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub requested_date_time: String,
    /// `Pending` in `SendCommand`'s answer; later `InProgress`, `Success` or `Failed` (failed when
    /// any invocation failed).
    pub status: String,
    /// The same as `status`.
    pub status_details: String,
    /// The `MaxConcurrency` it was sent with (`50` by default).
    pub max_concurrency: String,
    /// The `MaxErrors` it was sent with (`0` by default).
    pub max_errors: String,
    /// How many instances the command was sent to.
    pub target_count: usize,
    /// How many invocations have finished, successfully or not.
    pub completed_count: usize,
    /// How many invocations failed.
    pub error_count: usize,
    /// The `TimeoutSeconds` it was sent with (3600 by default).
    pub timeout_seconds: i64,
}

/// SSM `SendCommand`'s answer: `{command}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendCommandOutput {
    /// The command just sent.
    pub command: CommandShape,
}

request! {
    /// Input of SSM `GetCommandInvocation`.
    pub struct GetCommandInvocationInput {
        /// The command's id, from `SendCommand`.
        pub command_id: String,
        /// The instance whose invocation to read.
        pub instance_id: String,
        /// `PluginName`: the document's one plugin, `aws:runShellScript`.
        pub plugin_name: Option<String>,
    }
}

/// SSM `GetCommandInvocation`'s answer: one command's result on one instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandInvocationOutput {
    /// The command id.
    pub command_id: String,
    /// The instance id.
    pub instance_id: String,
    /// The command's comment, or empty.
    pub comment: String,
    /// Always `AWS-RunShellScript`.
    pub document_name: String,
    /// Always `$DEFAULT`.
    pub document_version: String,
    /// Always `aws:runShellScript`.
    pub plugin_name: String,
    /// The shell's exit code; -1 while the command is still running.
    pub response_code: i32,
    /// When the command was sent, ISO-8601.
    pub execution_start_date_time: String,
    /// How long it ran, ISO-8601 duration (`PT2S`); empty while running.
    pub execution_elapsed_time: String,
    /// When it finished, ISO-8601; empty while running.
    pub execution_end_date_time: String,
    /// `InProgress`, `Success` (exit code 0) or `Failed`.
    pub status: String,
    /// The same as `status`.
    pub status_details: String,
    /// What the commands printed on standard output.
    pub standard_output_content: String,
    /// Always empty: output is not sent to S3 here.
    pub standard_output_url: String,
    /// What the commands printed on standard error.
    pub standard_error_content: String,
    /// Always empty: output is not sent to S3 here.
    pub standard_error_url: String,
}

request! {
    /// Input of SSM `ListCommands`.
    #[derive(Default)]
    pub struct ListCommandsInput {
        ..not_simulated["filters"],
        /// Only this command (`InvalidCommandId` when it does not exist).
        pub command_id: Option<String>,
        /// Only commands sent to this instance.
        pub instance_id: Option<String>,
        ..paging,
    }
}

request! {
    /// Input of SSM `ListCommandInvocations`.
    #[derive(Default)]
    pub struct ListCommandInvocationsInput {
        ..not_simulated["filters"],
        /// Only this command (`InvalidCommandId` when it does not exist).
        pub command_id: Option<String>,
        /// Only invocations on this instance.
        pub instance_id: Option<String>,
        ..paging,
        /// `true` to include each invocation's plugin results (`command_plugins`) with their
        /// output.
        pub details: Option<bool>,
    }
}

/// SSM's `CommandPlugin`: the result of the document's one step on one instance, as
/// `ListCommandInvocations` shows it with `details: true`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandPluginShape {
    /// Always `aws:runShellScript`.
    pub name: String,
    /// `InProgress`, `Success` or `Failed`.
    pub status: String,
    /// The same as `status`.
    pub status_details: String,
    /// The shell's exit code; -1 while the command is still running.
    pub response_code: i32,
    /// When the step started, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub response_start_date_time: String,
    /// When it finished, ISO-8601; absent while running.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub response_finish_date_time: Option<String>,
    /// What it printed, standard output then standard error, cut to SSM's 2,500 characters.
    pub output: String,
    /// Always empty: output is not sent to S3 here.
    pub standard_output_url: String,
    /// Always empty: output is not sent to S3 here.
    pub standard_error_url: String,
}

/// How much of a plugin's output ListCommandInvocations shows (SSM API reference,
/// CommandPlugin.Output).
const PLUGIN_OUTPUT_CHARS: usize = 2500;

/// One invocation's plugin result, for `details: true`.
fn plugin_shape(command: &Command, inv: &Invocation) -> CommandPluginShape {
    let output: String = format!("{}{}", inv.stdout, inv.stderr)
        .chars()
        .take(PLUGIN_OUTPUT_CHARS)
        .collect();
    CommandPluginShape {
        name: SHELL_PLUGIN.into(),
        status: inv.status.as_str().into(),
        status_details: inv.status.as_str().into(),
        response_code: inv.response_code,
        response_start_date_time: iso8601(command.requested),
        response_finish_date_time: inv.finished.map(iso8601),
        output,
        standard_output_url: String::new(),
        standard_error_url: String::new(),
    }
}

/// SSM `ListCommands`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListCommandsOutput {
    /// The caller's commands in its region, in the order they were sent.
    pub commands: Vec<CommandShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// SSM's `CommandInvocation` as `ListCommandInvocations` returns it: one command on one instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvocationShape {
    /// The command id.
    pub command_id: String,
    /// The instance id.
    pub instance_id: String,
    /// The command's comment, or empty.
    pub comment: String,
    /// Always `AWS-RunShellScript`.
    pub document_name: String,
    /// When the command was sent, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub requested_date_time: String,
    /// `InProgress`, `Success` or `Failed`.
    pub status: String,
    /// The same as `status`.
    pub status_details: String,
    /// The plugin results, with `details: true`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_plugins: Option<Vec<CommandPluginShape>>,
}

/// SSM `ListCommandInvocations`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListCommandInvocationsOutput {
    /// One entry per (command, instance), commands in the order they were sent, then by
    /// instance id.
    pub command_invocations: Vec<InvocationShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

request! {
    /// Input of SSM `DescribeInstanceInformation`: its paging members (filters are not
    /// simulated).
    #[derive(Default)]
    pub struct DescribeInstanceInformationInput {
        ..not_simulated["filters", "instance_information_filter_list"],
        ..paging,
    }
}

/// SSM's `InstanceInformation`: one managed instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceInformation {
    /// The instance id.
    pub instance_id: String,
    /// Always `Online`.
    pub ping_status: String,
    /// The current simulated time, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub last_ping_date_time: String,
    /// The SSM agent version reported (fixed).
    pub agent_version: String,
    /// Always `true`.
    pub is_latest_version: bool,
    /// `Linux` or `Windows`.
    pub platform_type: String,
    /// The instance's platform details (`Linux/UNIX`, `Windows`, …).
    pub platform_name: String,
    /// Always `EC2Instance`.
    pub resource_type: String,
    /// The instance's private IPv4 address.
    pub ip_address: String,
}

/// SSM `DescribeInstanceInformation`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstanceInformationOutput {
    /// The caller's running instances in its region, in launch order.
    pub instance_information_list: Vec<InstanceInformation>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

fn invocation_missing() -> AwsError {
    // SSM answers this one with a code and no message (`{"__type": "InvocationDoesNotExist"}`).
    AwsError::new("InvocationDoesNotExist", "").with_status(400)
}

/// The commands of `parameters.commands`: a list of lines, or one string of lines.
fn command_lines(parameters: Option<&serde_json::Map<String, Value>>) -> AwsResult<Vec<String>> {
    let missing = || {
        AwsError::new(
            "InvalidParameters",
            "Parameter \"commands\" is required and must be a list of strings.",
        )
    };
    let value = parameters
        .and_then(|p| p.get("commands"))
        .ok_or_else(missing)?;
    match value {
        Value::String(s) => Ok(s.lines().map(str::to_string).collect()),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(missing))
            .collect(),
        _ => Err(missing()),
    }
}

impl Cloud {
    /// SSM `SendCommand` with `AWS-RunShellScript`: the commands run on each instance's guest
    /// [`durations::SSM_COMMAND`] simulated seconds later; until then the invocations are
    /// `InProgress`.
    ///
    /// Errors: `InvalidDocument` for any other document; `ValidationException` without
    /// `instance_ids` (targets are not supported); `InvalidParameters` for a parameter the document
    /// does not define or a missing or malformed `commands`; `InvalidInstanceID.Malformed` for a
    /// malformed id; `InvalidInstanceId` when an instance is not the caller's, not running, or has
    /// no SSM agent running; `UnsupportedPlatformType` for a Windows instance.
    pub fn send_command(
        &mut self,
        caller: &Caller,
        input: SendCommandInput,
    ) -> AwsResult<SendCommandOutput> {
        if input.document_name != SHELL_DOCUMENT {
            return Err(AwsError::new(
                "InvalidDocument",
                format!(
                    "Document {} is not available in this simulation: use {SHELL_DOCUMENT}.",
                    input.document_name
                ),
            ));
        }
        if input.instance_ids.is_empty() {
            return Err(AwsError::new(
                "ValidationException",
                "Either InstanceIds or Targets must be specified.",
            ));
        }
        let timeout_seconds = input.timeout_seconds.unwrap_or(3600);
        if !(30..=2_592_000).contains(&timeout_seconds) {
            return Err(AwsError::new(
                "ValidationException",
                format!("1 validation error detected: Value '{timeout_seconds}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value between 30 and 2592000"),
            ));
        }
        let document_version = input.document_version.unwrap_or_else(|| "$DEFAULT".into());
        if !["$DEFAULT", "$LATEST", "1"].contains(&document_version.as_str()) {
            return Err(AwsError::new(
                "InvalidDocumentVersion",
                format!("Document {SHELL_DOCUMENT} has no version {document_version}: use $DEFAULT, $LATEST or 1."),
            ));
        }
        let max_concurrency = rate("maxConcurrency", input.max_concurrency, "50", 1)?;
        let max_errors = rate("maxErrors", input.max_errors, "0", 0)?;
        if let Some(p) = &input.parameters {
            if let Some(unknown) = p.keys().find(|k| {
                !["commands", "workingDirectory", "executionTimeout"].contains(&k.as_str())
            }) {
                return Err(AwsError::new("InvalidParameters", format!("Parameter \"{unknown}\" is not defined in document {SHELL_DOCUMENT}. Valid parameters: commands, workingDirectory, executionTimeout")));
            }
        }
        let lines = command_lines(input.parameters.as_ref())?;
        let region = self.region_ref(&caller.region)?;
        for id in &input.instance_ids {
            check_instance_id(id)?;
            let ok = region
                .instances
                .get(id)
                .filter(|i| i.owner_id == caller.account && i.state == InstanceState::Running);
            let ok = ok.filter(|i| i.guest.ssm_agent_running());
            let Some(instance) = ok else {
                return Err(AwsError::new(
                    "InvalidInstanceId",
                    format!(
                        "Instances [[{id}]] not in a valid state for account {}",
                        caller.account
                    ),
                ));
            };
            if instance.profile.os.is_windows() {
                return Err(AwsError::new(
                    "UnsupportedPlatformType",
                    format!("The document {SHELL_DOCUMENT} does not support the platform type of instance {id} (Windows)."),
                ));
            }
        }
        let id = self.ids.uuid();
        let seq = self.next_seq();
        let command = Command {
            id: id.clone(),
            seq,
            account: caller.account.clone(),
            region: caller.region.clone(),
            comment: input.comment.unwrap_or_default(),
            commands: lines,
            parameters: Value::Object(input.parameters.unwrap_or_default()),
            requested: self.now(),
            document_version,
            timeout_seconds,
            max_concurrency,
            max_errors,
            invocations: input
                .instance_ids
                .iter()
                .map(|i| {
                    (
                        i.clone(),
                        Invocation {
                            status: InvocationStatus::InProgress,
                            response_code: -1,
                            stdout: String::new(),
                            stderr: String::new(),
                            finished: None,
                        },
                    )
                })
                .collect(),
        };
        let mut shape = command.shape();
        shape.status = "Pending".into();
        shape.status_details = "Pending".into();
        for instance_id in &input.instance_ids {
            self.schedule_in(
                durations::SSM_COMMAND,
                Event::CommandFinished {
                    command_id: id.clone(),
                    instance_id: instance_id.clone(),
                },
            );
        }
        self.ssm.commands.insert(id, command);
        Ok(SendCommandOutput { command: shape })
    }

    /// Runs the command on the instance's guest and records the result.
    pub(crate) fn finish_command(&mut self, command_id: &str, instance_id: &str) {
        let Some(command) = self.ssm.commands.get(command_id) else {
            return;
        };
        let (region, lines) = (command.region.clone(), command.commands.clone());
        let now = self.now();
        let mut regex_budget = self.guest_regex_left;
        let result = self
            .region_mut_opt(&region)
            .and_then(|r| r.instances.get_mut(instance_id))
            .filter(|i| i.state == InstanceState::Running)
            .map(|i| Arc::make_mut(&mut i.guest).run_script_within(&lines, &mut regex_budget));
        self.guest_regex_left = regex_budget;
        let Some(inv) = self
            .ssm
            .commands
            .get_mut(command_id)
            .and_then(|c| c.invocations.get_mut(instance_id))
        else {
            return;
        };
        inv.finished = Some(now);
        match result {
            Some(r) => {
                inv.status = if r.exit_code == 0 {
                    InvocationStatus::Success
                } else {
                    InvocationStatus::Failed
                };
                inv.response_code = r.exit_code;
                inv.stdout = r.stdout;
                inv.stderr = r.stderr;
            }
            None => {
                inv.status = InvocationStatus::Failed;
                inv.stderr = "The instance stopped running before the command could run.".into();
            }
        }
    }

    /// SSM `GetCommandInvocation`: one command's status and output on one instance.
    ///
    /// Errors: `InvocationDoesNotExist` when the command is not the caller's in its region or was
    /// not sent to that instance; `InvalidPluginName` for a plugin other than the document's one,
    /// `aws:runShellScript`.
    pub fn get_command_invocation(
        &mut self,
        caller: &Caller,
        input: GetCommandInvocationInput,
    ) -> AwsResult<CommandInvocationOutput> {
        let command = self
            .ssm
            .commands
            .get(&input.command_id)
            .filter(|c| c.account == caller.account && c.region == caller.region)
            .ok_or_else(invocation_missing)?;
        let inv = command
            .invocations
            .get(&input.instance_id)
            .ok_or_else(invocation_missing)?;
        if let Some(plugin) = input.plugin_name.as_deref().filter(|p| *p != SHELL_PLUGIN) {
            return Err(AwsError::new(
                "InvalidPluginName",
                format!("The plugin name {plugin} is not valid: {SHELL_DOCUMENT} has one plugin, {SHELL_PLUGIN}."),
            ));
        }
        let end = inv.finished.map(iso8601).unwrap_or_default();
        Ok(CommandInvocationOutput {
            command_id: command.id.clone(),
            instance_id: input.instance_id.clone(),
            comment: command.comment.clone(),
            document_name: SHELL_DOCUMENT.into(),
            document_version: "$DEFAULT".into(),
            plugin_name: SHELL_PLUGIN.into(),
            response_code: inv.response_code,
            execution_start_date_time: iso8601(command.requested),
            execution_elapsed_time: inv
                .finished
                .map(|f| format!("PT{}S", f.saturating_sub(command.requested)))
                .unwrap_or_default(),
            execution_end_date_time: end,
            status: inv.status.as_str().into(),
            status_details: inv.status.as_str().into(),
            standard_output_content: inv.stdout.clone(),
            standard_output_url: String::new(),
            standard_error_content: inv.stderr.clone(),
            standard_error_url: String::new(),
        })
    }

    fn commands_of<'a>(
        &'a self,
        caller: &'a Caller,
        command_id: Option<&'a String>,
        instance_id: Option<&'a String>,
    ) -> Vec<&'a Command> {
        let mut found: Vec<&Command> = self
            .ssm
            .commands
            .values()
            .filter(|c| c.account == caller.account && c.region == caller.region)
            .filter(|c| command_id.is_none_or(|id| &c.id == id))
            .filter(|c| instance_id.is_none_or(|id| c.invocations.contains_key(id)))
            .collect();
        found.sort_by_key(|c| c.seq);
        found
    }

    /// SSM `ListCommands`: the caller's commands in its region, optionally one command or those
    /// sent to one instance. Pages: `max_results` 1–50, every command without it
    /// (`paging::LIST_COMMANDS`).
    ///
    /// Errors: `ValidationException` for a page size above 50; `InvalidNextToken`;
    /// `InvalidCommandId` when `command_id` names no command.
    pub fn list_commands(
        &mut self,
        caller: &Caller,
        input: ListCommandsInput,
    ) -> AwsResult<ListCommandsOutput> {
        let pager = Pager::new(
            &paging::LIST_COMMANDS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        if let Some(id) = &input.command_id {
            if !self.ssm.commands.contains_key(id) {
                return Err(AwsError::new(
                    "InvalidCommandId",
                    format!("Command {id} does not exist."),
                ));
            }
        }
        let (page, next_token) = pager.page(
            self.commands_of(
                caller,
                input.command_id.as_ref(),
                input.instance_id.as_ref(),
            ),
            |c| paging::seq_key(c.seq),
        );
        Ok(ListCommandsOutput {
            commands: page.into_iter().map(Command::shape).collect(),
            next_token,
        })
    }

    /// SSM `ListCommandInvocations`: one entry per (command, instance) of the caller's commands in
    /// its region, narrowed by `command_id` and `instance_id`. Pages: `max_results` 1–50, every
    /// invocation without it (`paging::LIST_COMMAND_INVOCATIONS`).
    ///
    /// Errors: `ValidationException` for a page size above 50; `InvalidNextToken`.
    pub fn list_command_invocations(
        &mut self,
        caller: &Caller,
        input: ListCommandInvocationsInput,
    ) -> AwsResult<ListCommandInvocationsOutput> {
        let pager = Pager::new(
            &paging::LIST_COMMAND_INVOCATIONS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        let mut out = Vec::new();
        let details = input.details == Some(true);
        let commands = self.commands_of(
            caller,
            input.command_id.as_ref(),
            input.instance_id.as_ref(),
        );
        for c in commands {
            for (instance_id, inv) in &c.invocations {
                if input.instance_id.as_ref().is_some_and(|i| i != instance_id) {
                    continue;
                }
                out.push((
                    format!("{}\u{0}{instance_id}", paging::seq_key(c.seq)),
                    InvocationShape {
                        command_id: c.id.clone(),
                        instance_id: instance_id.clone(),
                        document_name: SHELL_DOCUMENT.into(),
                        requested_date_time: iso8601(c.requested),
                        status: inv.status.as_str().into(),
                        status_details: inv.status.as_str().into(),
                        comment: c.comment.clone(),
                        command_plugins: details.then(|| vec![plugin_shape(c, inv)]),
                    },
                ));
            }
        }
        let (page, next_token) = pager.page(out, |(key, _)| key.clone());
        Ok(ListCommandInvocationsOutput {
            command_invocations: page.into_iter().map(|(_, i)| i).collect(),
            next_token,
        })
    }

    /// SSM `DescribeInstanceInformation`: the caller's running instances in its region, each
    /// reported `Online`. Pages: `max_results` 5–50, 10 instances per page
    /// without it, as AWS answers (`paging::DESCRIBE_INSTANCE_INFORMATION`).
    ///
    /// Errors: `ValidationException` for a page size above 50; `InvalidNextToken`.
    pub fn describe_instance_information(
        &mut self,
        caller: &Caller,
        input: DescribeInstanceInformationInput,
    ) -> AwsResult<DescribeInstanceInformationOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_INSTANCE_INFORMATION,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        let region = self.region_ref(&caller.region)?;
        let mut managed: Vec<_> = region
            .instances
            .values()
            .filter(|i| i.owner_id == caller.account && i.state == InstanceState::Running)
            .collect();
        managed.sort_by_key(|i| i.seq);
        let (managed, next_token) = pager.page(managed, |i| paging::seq_key(i.seq));
        let now = iso8601(self.now());
        Ok(DescribeInstanceInformationOutput {
            next_token,
            instance_information_list: managed
                .into_iter()
                .map(|i| InstanceInformation {
                    instance_id: i.id.clone(),
                    ping_status: "Online".into(),
                    last_ping_date_time: now.clone(),
                    agent_version: "3.3.1142.0".into(),
                    is_latest_version: true,
                    platform_type: if i.profile.os.is_windows() {
                        "Windows"
                    } else {
                        "Linux"
                    }
                    .into(),
                    platform_name: i.profile.platform_details.clone(),
                    resource_type: "EC2Instance".into(),
                    ip_address: i.private_ip.clone(),
                })
                .collect(),
        })
    }
}

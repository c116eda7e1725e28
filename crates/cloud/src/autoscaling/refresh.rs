//! Instance refreshes: StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh,
//! and the rolling replacement a group's checks carry out, batch by batch.
//!
//! Each step (run by a group check) replaces a batch of the instances the refresh set out to
//! replace, keeping at least `ceil(desired × min_healthy_percentage / 100)` instances in service
//! and warmed up, and at most `floor(desired × max_healthy_percentage / 100)` instances in all:
//! with a maximum of 100 %, it terminates `max(1, healthy − minimum)` old instances and the
//! capacity step launches their replacements; above 100 %, it launches replacements first
//! (up to the maximum) and terminates old instances once they are warmed up. A replacement
//! counts once it has been in service for the warm-up; the refresh pauses at each checkpoint for
//! its delay and succeeds when no old instance is left, applying its desired configuration to
//! the group ("Use an instance refresh to update instances in an Auto Scaling group").

use serde::{Deserialize, Serialize};

use super::reconcile::Why;
use super::{key_of, percent_of, validation, GroupKey, Lifecycle};
use crate::clock::iso8601;
use crate::ec2::launch_templates::LaunchTemplateSpecification;
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};

/// An instance refresh's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RefreshStatus {
    /// Started; the group's next check begins it.
    Pending,
    /// Replacing instances.
    InProgress,
    /// Every instance replaced.
    Successful,
    /// A replacement could not be launched.
    Failed,
    /// CancelInstanceRefresh was called; launches in flight finish.
    Cancelling,
    /// Stopped by CancelInstanceRefresh; replaced instances stay.
    Cancelled,
}

impl RefreshStatus {
    /// The name Auto Scaling gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            RefreshStatus::Pending => "Pending",
            RefreshStatus::InProgress => "InProgress",
            RefreshStatus::Successful => "Successful",
            RefreshStatus::Failed => "Failed",
            RefreshStatus::Cancelling => "Cancelling",
            RefreshStatus::Cancelled => "Cancelled",
        }
    }

    /// Pending, InProgress or Cancelling: another refresh cannot start.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RefreshStatus::Pending | RefreshStatus::InProgress | RefreshStatus::Cancelling
        )
    }
}

/// A refresh's preferences with AWS's defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preferences {
    /// Percent of the desired capacity kept healthy (default 90, or the group's instance
    /// maintenance policy).
    pub min_healthy_percentage: i64,
    /// Percent of the desired capacity the group may reach (default 100).
    pub max_healthy_percentage: i64,
    /// Seconds a replacement must be in service before it counts.
    pub instance_warmup: i64,
    /// Whether `instance_warmup` was given (it is echoed only then).
    pub instance_warmup_given: bool,
    /// Ascending percentages to pause at; the last is 100.
    pub checkpoint_percentages: Vec<i64>,
    /// Seconds to pause at a checkpoint (default 3600 when there are checkpoints).
    pub checkpoint_delay: Option<i64>,
    /// Leave instances that already run the desired configuration alone.
    pub skip_matching: bool,
    /// `Ignore` (default: protected instances are not replaced), `Refresh` or `Wait`.
    pub scale_in_protected_instances: String,
}

/// One instance refresh.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InstanceRefresh {
    /// A UUID.
    pub id: String,
    /// Its status.
    pub status: RefreshStatus,
    /// Why it is where it is (a checkpoint pause, a failure), when there is something to say.
    pub status_reason: Option<String>,
    /// When it started and ended, in seconds since the Unix epoch.
    pub start: u64,
    /// When it ended.
    pub end: Option<u64>,
    /// Its preferences.
    pub preferences: Preferences,
    /// The configuration it moves the group to (applied on success); the group's own when
    /// absent.
    pub desired_configuration: Option<LaunchTemplateSpecification>,
    /// The instances it set out to replace, in the group's order.
    pub to_replace: Vec<String>,
    /// Checkpoints passed so far.
    pub checkpoints_passed: usize,
    /// The end of a checkpoint pause.
    pub paused_until: Option<u64>,
    /// 0–100: replacements in service and warmed up, against `to_replace`.
    pub percentage_complete: i64,
    /// Instances still to replace.
    pub instances_to_update: i64,
}

/// `desired_configuration` of StartInstanceRefresh.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesiredConfiguration {
    /// The template version to move to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template: Option<LaunchTemplateSpecification>,
}

/// `preferences` of StartInstanceRefresh.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshPreferencesInput {
    /// 0–100 (default 90).
    pub min_healthy_percentage: Option<i64>,
    /// Seconds (default: the group's default instance warm-up, else its health check grace
    /// period).
    pub instance_warmup: Option<i64>,
    /// Ascending percentages, the last 100.
    pub checkpoint_percentages: Option<Vec<i64>>,
    /// Seconds, 0–172800 (default 3600).
    pub checkpoint_delay: Option<i64>,
    /// Skip instances already on the desired configuration (default false).
    pub skip_matching: Option<bool>,
    /// `Refresh`, `Ignore` (default) or `Wait`.
    pub scale_in_protected_instances: Option<String>,
    /// 100–200 (default 100); needs `min_healthy_percentage`, at most 100 above it.
    pub max_healthy_percentage: Option<i64>,
}

request! {
    /// Input of Auto Scaling `StartInstanceRefresh` (strategy `Rolling`).
    pub struct StartInstanceRefreshInput {
        ..not_simulated["desired_configuration.mixed_instances_policy", "preferences.auto_rollback", "preferences.standby_instances", "preferences.alarm_specification", "preferences.bake_time"],
        /// The group.
        pub auto_scaling_group_name: String,
        /// `Rolling` (the default; `ReplaceRootVolume` is not simulated).
        pub strategy: Option<String>,
        /// The template version to move to.
        pub desired_configuration: Option<DesiredConfiguration>,
        /// Healthy percentages, warm-up, checkpoints, skip matching.
        pub preferences: Option<RefreshPreferencesInput>,
    }
}

request! {
    /// Input of Auto Scaling `DescribeInstanceRefreshes`.
    pub struct DescribeInstanceRefreshesInput {
        /// The group.
        pub auto_scaling_group_name: String,
        /// Only these refreshes.
        #[serde(default)]
        pub instance_refresh_ids: Vec<String>,
        /// The `next_token` of the previous page.
        pub next_token: Option<String>,
        /// Refreshes per page: 1–100, 50 when absent.
        pub max_records: Option<i64>,
    }
}

request! {
    /// Input of Auto Scaling `CancelInstanceRefresh`.
    pub struct CancelInstanceRefreshInput {
        ..not_simulated["wait_for_transitioning_instances"],
        /// The group.
        pub auto_scaling_group_name: String,
    }
}

/// StartInstanceRefresh's and CancelInstanceRefresh's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceRefreshIdOutput {
    /// The refresh.
    pub instance_refresh_id: String,
}

/// A refresh's preferences as DescribeInstanceRefreshes shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreferencesShape {
    /// Percent.
    pub min_healthy_percentage: i64,
    /// Seconds, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_warmup: Option<i64>,
    /// Percentages, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_percentages: Option<Vec<i64>>,
    /// Seconds, when there are checkpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_delay: Option<i64>,
    /// Whether matching instances are skipped.
    pub skip_matching: bool,
    /// Always false: rollback is not simulated.
    pub auto_rollback: bool,
    /// `Ignore`, `Refresh` or `Wait`.
    pub scale_in_protected_instances: String,
    /// `Ignore`: standby is not simulated.
    pub standby_instances: String,
    /// Percent.
    pub max_healthy_percentage: i64,
}

/// `{percentage_complete, instances_to_update}` of the live pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LivePoolProgress {
    /// 0–100.
    pub percentage_complete: i64,
    /// Instances still to replace.
    pub instances_to_update: i64,
}

/// `progress_details` of a refresh.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressDetails {
    /// The group's own instances (there is no warm pool).
    pub live_pool_progress: LivePoolProgress,
}

/// A refresh as DescribeInstanceRefreshes shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceRefreshShape {
    /// Its id.
    pub instance_refresh_id: String,
    /// Its group.
    pub auto_scaling_group_name: String,
    /// `Pending`, `InProgress`, `Successful`, `Failed`, `Cancelling`, `Cancelled`.
    pub status: String,
    /// Why, when there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub start_time: String,
    /// ISO-8601, once it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub end_time: Option<String>,
    /// 0–100.
    pub percentage_complete: i64,
    /// Instances still to replace.
    pub instances_to_update: i64,
    /// The same, for the live pool.
    pub progress_details: ProgressDetails,
    /// Its preferences.
    pub preferences: PreferencesShape,
    /// Its desired configuration, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_configuration: Option<DesiredConfiguration>,
    /// `Rolling`.
    pub strategy: String,
}

/// DescribeInstanceRefreshes' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstanceRefreshesOutput {
    /// The group's refreshes, newest first.
    pub instance_refreshes: Vec<InstanceRefreshShape>,
    /// The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl InstanceRefresh {
    fn shape(&self, group: &str) -> InstanceRefreshShape {
        let p = &self.preferences;
        InstanceRefreshShape {
            instance_refresh_id: self.id.clone(),
            auto_scaling_group_name: group.to_string(),
            status: self.status.as_str().into(),
            status_reason: self.status_reason.clone(),
            start_time: iso8601(self.start),
            end_time: self.end.map(iso8601),
            percentage_complete: self.percentage_complete,
            instances_to_update: self.instances_to_update,
            progress_details: ProgressDetails {
                live_pool_progress: LivePoolProgress {
                    percentage_complete: self.percentage_complete,
                    instances_to_update: self.instances_to_update,
                },
            },
            preferences: PreferencesShape {
                min_healthy_percentage: p.min_healthy_percentage,
                instance_warmup: p.instance_warmup_given.then_some(p.instance_warmup),
                checkpoint_percentages: (!p.checkpoint_percentages.is_empty())
                    .then(|| p.checkpoint_percentages.clone()),
                checkpoint_delay: p.checkpoint_delay,
                skip_matching: p.skip_matching,
                auto_rollback: false,
                scale_in_protected_instances: p.scale_in_protected_instances.clone(),
                standby_instances: "Ignore".into(),
                max_healthy_percentage: p.max_healthy_percentage,
            },
            desired_configuration: self.desired_configuration.clone().map(|t| {
                DesiredConfiguration {
                    launch_template: Some(t),
                }
            }),
            strategy: "Rolling".into(),
        }
    }
}

/// Checks the preferences and fills in AWS's defaults.
fn preferences(
    input: Option<RefreshPreferencesInput>,
    group: &super::Group,
) -> AwsResult<Preferences> {
    let p = input.unwrap_or_default();
    let min = p
        .min_healthy_percentage
        .or(group.maintenance_min_healthy)
        .unwrap_or(90);
    let max = p
        .max_healthy_percentage
        .or(group.maintenance_max_healthy)
        .unwrap_or(100);
    if !(0..=100).contains(&min) {
        return Err(validation(format!(
            "MinHealthyPercentage must be between 0 and 100, but was {min}."
        )));
    }
    if !(100..=200).contains(&max) {
        return Err(validation(format!(
            "MaxHealthyPercentage must be between 100 and 200, but was {max}."
        )));
    }
    if p.max_healthy_percentage.is_some() && p.min_healthy_percentage.is_none() {
        return Err(validation(
            "You must specify MinHealthyPercentage when you specify MaxHealthyPercentage.",
        ));
    }
    if max - min > 100 {
        return Err(validation(
            "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.",
        ));
    }
    if p.max_healthy_percentage.is_some() && min == 100 && max == 100 {
        return Err(validation(
            "MinHealthyPercentage and MaxHealthyPercentage cannot both be 100.",
        ));
    }
    let checkpoints = p.checkpoint_percentages.unwrap_or_default();
    if !checkpoints.is_empty() {
        if checkpoints.iter().any(|c| !(1..=100).contains(c))
            || checkpoints.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(validation(
                "Checkpoint percentages must be between 1 and 100 and in ascending order.",
            ));
        }
        if checkpoints.last() != Some(&100) {
            return Err(validation("The last checkpoint percentage must be 100."));
        }
    }
    if let Some(delay) = p.checkpoint_delay {
        if !(0..=172_800).contains(&delay) {
            return Err(validation(
                "CheckpointDelay must be between 0 and 172800 seconds.",
            ));
        }
    }
    let protected = p
        .scale_in_protected_instances
        .unwrap_or_else(|| "Ignore".into());
    if !["Refresh", "Ignore", "Wait"].contains(&protected.as_str()) {
        return Err(validation(format!(
            "Invalid value '{protected}' for ScaleInProtectedInstances. Valid values: Refresh, Ignore, Wait."
        )));
    }
    let warmup = p
        .instance_warmup
        .or(group.default_instance_warmup)
        .unwrap_or(group.health_check_grace_period);
    Ok(Preferences {
        min_healthy_percentage: min,
        max_healthy_percentage: max,
        instance_warmup: warmup.max(0),
        instance_warmup_given: p.instance_warmup.is_some(),
        checkpoint_delay: p
            .checkpoint_delay
            .or((!checkpoints.is_empty()).then_some(3600)),
        checkpoint_percentages: checkpoints,
        skip_matching: p.skip_matching.unwrap_or(false),
        scale_in_protected_instances: protected,
    })
}

impl Cloud {
    /// Auto Scaling `StartInstanceRefresh`: starts replacing the group's instances (all of them,
    /// or with `skip_matching` those not on the desired configuration; protected ones only with
    /// `scale_in_protected_instances: "Refresh"` or `"Wait"`), as the module documentation
    /// describes. The refresh is `Pending` until the group's next check, at once.
    ///
    /// Errors: `ValidationError` for an unknown group, a strategy other than `Rolling`, a
    /// desired configuration that is not a valid, fully-formed launch template, or preferences
    /// out of range; `InstanceRefreshInProgress` while another refresh is Pending, InProgress or
    /// Cancelling.
    pub fn start_instance_refresh(
        &mut self,
        caller: &Caller,
        input: StartInstanceRefreshInput,
    ) -> AwsResult<InstanceRefreshIdOutput> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let group = self.autoscaling.live_group(&key)?;
        if group.active_refresh().is_some() {
            return Err(AwsError::new(
                "InstanceRefreshInProgress",
                format!(
                    "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh for Auto Scaling group {}.",
                    group.name
                ),
            ));
        }
        match input.strategy.as_deref() {
            None | Some("Rolling") => {}
            Some(other) => {
                return Err(validation(format!(
                    "The strategy '{other}' is not simulated here: only Rolling refreshes are."
                )))
            }
        }
        let preferences = preferences(input.preferences, group)?;
        let desired = input.desired_configuration.and_then(|d| d.launch_template);
        let target = desired
            .clone()
            .unwrap_or_else(|| group.launch_template.clone());
        self.check_launch_template(caller, &target)?;
        let target = self.resolve_spec(&key, &target)?;
        let group = &self.autoscaling.groups[&key];
        let to_replace: Vec<String> = group
            .live()
            .filter(|m| !(preferences.skip_matching && m.launched_from == target))
            .filter(|m| {
                !m.protected_from_scale_in || preferences.scale_in_protected_instances != "Ignore"
            })
            .map(|m| m.instance_id.clone())
            .collect();
        let refresh = InstanceRefresh {
            id: self.ids.uuid(),
            status: RefreshStatus::Pending,
            status_reason: None,
            start: self.now(),
            end: None,
            instances_to_update: to_replace.len() as i64,
            preferences,
            desired_configuration: desired,
            to_replace,
            checkpoints_passed: 0,
            paused_until: None,
            percentage_complete: 0,
        };
        let id = refresh.id.clone();
        self.autoscaling
            .groups
            .get_mut(&key)
            .expect("checked above")
            .refreshes
            .push(refresh);
        let now = self.now();
        self.schedule_group_check(&key, now);
        Ok(InstanceRefreshIdOutput {
            instance_refresh_id: id,
        })
    }

    /// Auto Scaling `DescribeInstanceRefreshes`: the group's refreshes, newest first (an unknown
    /// group has none).
    ///
    /// Errors: `ValidationError` for a page size outside 1–100; `InvalidNextToken`.
    pub fn describe_instance_refreshes(
        &mut self,
        caller: &Caller,
        input: DescribeInstanceRefreshesInput,
    ) -> AwsResult<DescribeInstanceRefreshesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_INSTANCE_REFRESHES,
            caller,
            input.max_records,
            input.next_token.as_deref(),
            false,
        )?;
        let key = key_of(caller, &input.auto_scaling_group_name);
        let refreshes: Vec<(String, InstanceRefreshShape)> = self
            .autoscaling
            .groups
            .get(&key)
            .map(|g| {
                g.refreshes
                    .iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, r)| {
                        input.instance_refresh_ids.is_empty()
                            || input.instance_refresh_ids.contains(&r.id)
                    })
                    .map(|(i, r)| (paging::seq_key(u64::MAX - i as u64), r.shape(&g.name)))
                    .collect()
            })
            .unwrap_or_default();
        let (page, next_token) = pager.page(refreshes, |(k, _)| k.clone());
        Ok(DescribeInstanceRefreshesOutput {
            instance_refreshes: page.into_iter().map(|(_, r)| r).collect(),
            next_token,
        })
    }

    /// Auto Scaling `CancelInstanceRefresh`: the running refresh goes `Cancelling`, then
    /// `Cancelled` once no replacement is still launching; instances already replaced stay.
    ///
    /// Errors: `ValidationError` for an unknown group; `ActiveInstanceRefreshNotFound` when no
    /// refresh is Pending or InProgress.
    pub fn cancel_instance_refresh(
        &mut self,
        caller: &Caller,
        input: CancelInstanceRefreshInput,
    ) -> AwsResult<InstanceRefreshIdOutput> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let group = self.autoscaling.live_group_mut(&key)?;
        let Some(refresh) = group
            .refreshes
            .last_mut()
            .filter(|r| matches!(r.status, RefreshStatus::Pending | RefreshStatus::InProgress))
        else {
            return Err(AwsError::new(
                "ActiveInstanceRefreshNotFound",
                format!(
                    "No in progress or pending Instance Refresh found for Auto Scaling group {}",
                    input.auto_scaling_group_name
                ),
            ));
        };
        refresh.status = RefreshStatus::Cancelling;
        refresh.paused_until = None;
        refresh.status_reason = None;
        let id = refresh.id.clone();
        let now = self.now();
        self.schedule_group_check(&key, now);
        Ok(InstanceRefreshIdOutput {
            instance_refresh_id: id,
        })
    }

    /// A launch for the group failed: a running refresh fails with it.
    pub(crate) fn refresh_launch_failed(&mut self, key: &GroupKey, message: &str) {
        let now = self.now();
        let Some(group) = self.autoscaling.groups.get_mut(key) else {
            return;
        };
        if let Some(r) = group
            .refreshes
            .last_mut()
            .filter(|r| r.status == RefreshStatus::InProgress)
        {
            r.status = RefreshStatus::Failed;
            r.end = Some(now);
            r.status_reason = Some(format!(
                "Instance refresh failed: a replacement instance could not be launched. {message}"
            ));
        }
    }

    /// One step of the group's running refresh (see the module documentation).
    pub(crate) fn refresh_step(&mut self, key: &GroupKey) {
        let now = self.now();
        let Some(group) = self.autoscaling.groups.get(key) else {
            return;
        };
        let Some(refresh) = group.active_refresh() else {
            return;
        };
        let spec = refresh
            .desired_configuration
            .clone()
            .unwrap_or_else(|| group.launch_template.clone());
        let target = match self.resolve_spec(key, &spec) {
            Ok(t) => Some(t),
            Err(e) => {
                self.refresh_launch_failed(key, &e.message);
                None
            }
        };
        let group = self.autoscaling.groups.get_mut(key).expect("checked above");
        let desired = group.desired_capacity;
        let live = group.live().count() as i64;
        let refresh = group.refreshes.last_mut().expect("an active refresh");
        match refresh.status {
            RefreshStatus::Pending => refresh.status = RefreshStatus::InProgress,
            RefreshStatus::Cancelling => {
                let launching = group
                    .members
                    .iter()
                    .any(|m| m.lifecycle == Lifecycle::Pending);
                let refresh = group.refreshes.last_mut().expect("an active refresh");
                if !launching {
                    refresh.status = RefreshStatus::Cancelled;
                    refresh.end = Some(now);
                    refresh.status_reason = Some("Instance refresh was cancelled.".into());
                }
                return;
            }
            _ => {}
        }
        let Some(target) = target else { return };
        let refresh = group.refreshes.last().expect("an active refresh");
        if refresh.status != RefreshStatus::InProgress {
            return;
        }
        if let Some(until) = refresh.paused_until {
            if until > now {
                return;
            }
        }
        let warmup = refresh.preferences.instance_warmup as u64;
        let start = refresh.start;
        let warmed = |m: &super::Member| {
            m.lifecycle == Lifecycle::InService
                && m.healthy
                && (m.launched_at < start || m.in_service_at.is_some_and(|t| t + warmup <= now))
        };
        let replacements: Vec<&super::Member> = group
            .live()
            .filter(|m| m.launched_at >= start && m.launched_from == target)
            .collect();
        let warming = replacements.iter().filter(|m| !warmed(m)).count();
        let warm_end = replacements
            .iter()
            .filter(|m| !warmed(m))
            .filter_map(|m| m.in_service_at)
            .map(|t| t + warmup)
            .min();
        let total = refresh.to_replace.len() as i64;
        let done = (replacements.len() - warming) as i64;
        let old: Vec<String> = refresh
            .to_replace
            .iter()
            .filter(|id| group.live().any(|m| &&m.instance_id == id))
            .cloned()
            .collect();
        let healthy = group.live().filter(|m| warmed(m)).count() as i64;
        let protected: Vec<bool> = old
            .iter()
            .map(|id| {
                group
                    .members
                    .iter()
                    .any(|m| &m.instance_id == id && m.protected_from_scale_in)
            })
            .collect();
        let refresh = group.refreshes.last_mut().expect("an active refresh");
        refresh.paused_until = None;
        refresh.percentage_complete = if total == 0 {
            100
        } else {
            (done.min(total) * 100) / total
        };
        refresh.instances_to_update = (total - done.min(total)).max(old.len() as i64);
        if warming > 0 {
            if let Some(at) = warm_end {
                self.schedule_group_check(key, at);
            }
            return;
        }
        // A checkpoint below 100 % pauses the refresh for its delay.
        let p = &refresh.preferences;
        if let Some(&checkpoint) = p.checkpoint_percentages.get(refresh.checkpoints_passed) {
            if checkpoint < 100 && refresh.percentage_complete >= checkpoint {
                let delay = p.checkpoint_delay.unwrap_or(3600) as u64;
                refresh.checkpoints_passed += 1;
                refresh.paused_until = Some(now + delay);
                refresh.status_reason = Some(format!(
                    "Waiting for checkpoint: {}% of the instances are replaced; the refresh resumes after {delay} seconds.",
                    refresh.percentage_complete
                ));
                self.schedule_group_check(key, now + delay);
                return;
            }
        }
        refresh.status_reason = None;
        if old.is_empty() && live >= desired {
            refresh.status = RefreshStatus::Successful;
            refresh.end = Some(now);
            refresh.percentage_complete = 100;
            refresh.instances_to_update = 0;
            if let Some(spec) = refresh.desired_configuration.clone() {
                group.launch_template = spec;
            }
            return;
        }
        if live < desired {
            // The capacity step refills the group first.
            return;
        }
        let p = refresh.preferences.clone();
        let min_healthy = percent_of(desired, p.min_healthy_percentage, true);
        let max_total = percent_of(desired, p.max_healthy_percentage, false).max(desired);
        let spare = healthy - min_healthy;
        let mut batch = if p.max_healthy_percentage == 100 {
            spare.max(1)
        } else {
            spare.max(0)
        };
        // Protected instances wait (`Wait`) until their protection is lifted.
        let replaceable: Vec<String> = old
            .iter()
            .zip(&protected)
            .filter(|(_, p_)| !**p_ || p.scale_in_protected_instances == "Refresh")
            .map(|(id, _)| id.clone())
            .collect();
        batch = batch.min(replaceable.len() as i64);
        // Above 100 %, replacements launch ahead of the old instances they replace: as many as
        // the maximum allows, and no more than the old instances left after this batch need
        // (surplus instances already in the group count as launched ahead).
        let live_after = live - batch;
        let ahead = (live_after - desired).max(0);
        let surge = (max_total - live_after.max(desired)).min(old.len() as i64 - batch - ahead);
        if replaceable.is_empty() && !old.is_empty() {
            refresh.status_reason = Some(
                "Waiting for scale-in protection to be removed from the remaining instances."
                    .into(),
            );
            return;
        }
        for id in replaceable.into_iter().take(batch.max(0) as usize) {
            self.terminate_member(key, &id, Why::Refresh);
        }
        let cause = format!(
            "At {} an instance was launched in response to an instance refresh.",
            iso8601(now)
        );
        for _ in 0..surge.max(0) {
            if !self.launch_member(key, &cause) {
                break;
            }
        }
    }
}

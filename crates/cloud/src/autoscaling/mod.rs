//! Amazon EC2 Auto Scaling: groups that keep a number of instances from a launch template alive
//! across availability zones, reconciled on the simulated clock, with scaling activities,
//! scale-in protection and rolling instance refreshes (EC2-BEHAVIOUR.md, Auto Scaling).
//!
//! A group is checked whenever something that concerns it happens: a call changes it, one of its
//! instances changes state (`lifecycle` tells the group), a refresh's warm-up or checkpoint ends,
//! or a failed launch is due for a retry. A check (`reconcile`) reads its members' EC2 states,
//! replaces the unhealthy ones, launches or terminates to reach the desired capacity and moves
//! an instance refresh forward. Nothing polls: a settled group costs nothing while time passes.
//!
//! Sources: the Amazon EC2 Auto Scaling API reference (CreateAutoScalingGroup,
//! UpdateAutoScalingGroup, DeleteAutoScalingGroup, DescribeAutoScalingGroups,
//! DescribeAutoScalingInstances, SetDesiredCapacity, TerminateInstanceInAutoScalingGroup,
//! SetInstanceProtection, DescribeScalingActivities, StartInstanceRefresh,
//! DescribeInstanceRefreshes, CancelInstanceRefresh) and its user guide ("Health checks",
//! "Control which instances terminate during scale in", "Use an instance refresh to update
//! instances", "Understand instance refresh default values").

use std::collections::BTreeMap;

use crate::ec2::launch_templates::LaunchTemplateSpecification;
use crate::ec2::Tags;
use crate::error::AwsError;

mod activities;
mod groups;
mod reconcile;
mod refresh;
mod shapes;

pub use activities::Activity;
pub use shapes::*;

/// A group's key: (account, region, group name). Names are unique per account and region.
pub(crate) type GroupKey = (String, String, String);

/// The tag every instance of a group carries (`aws:autoscaling:groupName`).
pub const GROUP_NAME_TAG: &str = "aws:autoscaling:groupName";

/// Seconds before a failed launch is tried again (Auto Scaling retries with a back-off; a fixed
/// five minutes keeps a failing group from flooding its activity history).
pub(crate) const LAUNCH_RETRY: u64 = 300;

/// Every account's groups and the history of their scaling activities.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct AutoScaling {
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    pub(crate) groups: BTreeMap<GroupKey, Group>,
    /// Every activity ever started, oldest first (deleted groups' included).
    pub(crate) activities: Vec<Activity>,
}

/// Where a member is in its life in the group (a part of Auto Scaling's `LifecycleState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lifecycle {
    /// Launched, its instance not yet running.
    Pending,
    /// Running and counted as capacity.
    InService,
    /// Being terminated; no longer counted as capacity.
    Terminating,
}

impl Lifecycle {
    /// The name Auto Scaling gives the state (`InService`).
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Pending => "Pending",
            Lifecycle::InService => "InService",
            Lifecycle::Terminating => "Terminating",
        }
    }
}

/// The launch template and resolved version an instance was launched with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LaunchedFrom {
    /// The template id (`lt-…`).
    pub template_id: String,
    /// The template name.
    pub template_name: String,
    /// The version number it resolved to (`$Latest` and `$Default` are resolved at launch).
    pub version: u64,
}

/// One instance of a group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// The instance id (`i-…`).
    pub instance_id: String,
    /// Its availability zone.
    pub availability_zone: String,
    /// Its instance type and image, as launched.
    pub instance_type: String,
    /// The AMI it was launched from.
    pub image_id: String,
    /// Its lifecycle state in the group.
    pub lifecycle: Lifecycle,
    /// False once an EC2 health check found it stopped, stopping or terminated.
    pub healthy: bool,
    /// Protected from scale-in: never chosen when the group shrinks.
    pub protected_from_scale_in: bool,
    /// The template version it was launched from.
    pub launched_from: LaunchedFrom,
    /// When it was launched, in seconds since the Unix epoch.
    pub launched_at: u64,
    /// When the group first saw it running (`InService`).
    pub in_service_at: Option<u64>,
}

/// A count that changes over simulated time, recorded at each change: (seconds since the Unix
/// epoch, count), oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CountLog(Vec<(u64, usize)>);

impl CountLog {
    /// A log that starts at `count` at `at`.
    pub(crate) fn starting(at: u64, count: usize) -> Self {
        CountLog(vec![(at, count)])
    }

    /// Records `count` at `at` if it differs from the last one.
    pub(crate) fn record(&mut self, at: u64, count: usize) {
        if self.0.last().map(|(_, last)| *last) != Some(count) {
            self.0.push((at, count));
        }
    }

    /// Every change, oldest first.
    pub fn changes(&self) -> &[(u64, usize)] {
        &self.0
    }

    /// The smallest count at any moment from `since` on (the count at `since` included; 0 when
    /// nothing was recorded by then).
    pub fn fewest_since(&self, since: u64) -> usize {
        let before = self
            .0
            .iter()
            .rev()
            .find(|(t, _)| *t <= since)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        self.0
            .iter()
            .filter(|(t, _)| *t > since)
            .map(|(_, n)| *n)
            .fold(before, usize::min)
    }
}

/// A tag of a group (`{key, value, propagate_at_launch}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupTag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Whether instances the group launches get it.
    pub propagate_at_launch: bool,
}

/// An Auto Scaling group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    /// Its name, unique per account and region.
    pub name: String,
    /// `arn:aws:autoscaling:<region>:<account>:autoScalingGroup:<uuid>:autoScalingGroupName/<name>`.
    pub arn: String,
    /// The owning account and its region.
    pub account: String,
    /// The region it lives in.
    pub region: String,
    /// The launch template as the request named it (id or name, version as given).
    pub launch_template: LaunchTemplateSpecification,
    /// Bounds and target of its capacity.
    pub min_size: i64,
    /// The most instances it may have.
    pub max_size: i64,
    /// The number of healthy instances it keeps.
    pub desired_capacity: i64,
    /// Seconds between scaling activities of simple scaling policies (stored, shown).
    pub default_cooldown: i64,
    /// `EC2` (the only health check simulated).
    pub health_check_type: String,
    /// Seconds a new instance is given before health checks count (and the default refresh
    /// warm-up when `default_instance_warmup` is unset).
    pub health_check_grace_period: i64,
    /// Seconds a new instance needs before it counts towards a refresh's healthy capacity.
    pub default_instance_warmup: Option<i64>,
    /// The zones it launches in, in the order given (from `availability_zones` or the subnets).
    pub zones: Vec<String>,
    /// The subnets it launches in, by zone (empty when the group names zones instead).
    pub subnets: BTreeMap<String, String>,
    /// `vpc_zone_identifier` as given (`subnet-a,subnet-b`), or empty.
    pub vpc_zone_identifier: String,
    /// Termination policies in order (`Default`, `OldestInstance`, …).
    pub termination_policies: Vec<String>,
    /// New instances start protected from scale-in.
    pub new_instances_protected_from_scale_in: bool,
    /// Its tags.
    pub tags: Vec<GroupTag>,
    /// The instance maintenance policy's healthy percentages (`-1` or absent: unset).
    pub maintenance_min_healthy: Option<i64>,
    /// The instance maintenance policy's maximum healthy percentage.
    pub maintenance_max_healthy: Option<i64>,
    /// When it was created, in seconds since the Unix epoch.
    pub created: u64,
    /// Its members in launch order.
    pub members: Vec<Member>,
    /// Set by a forced delete: the group goes once its instances are gone.
    pub deleting: bool,
    /// Its instance refreshes, oldest first.
    pub refreshes: Vec<refresh::InstanceRefresh>,
    /// How many members were in service and healthy, each time the number changed: graders
    /// read outages off it.
    pub in_service_log: CountLog,
    /// How many of those answered `GET /` on port 80 with 200, each time the number changed
    /// (a load balancer's view: an instance in service whose web server is down serves no one).
    pub serving_log: CountLog,
    /// The change that set the current desired capacity, which the activities it starts name
    /// as their cause (`At … a user request created an AutoScalingGroup …`).
    pub(crate) pending_cause: Option<String>,
    /// When a check is already scheduled (so that one is not scheduled twice).
    pub(crate) check_due: Option<u64>,
    /// When the next launch may be tried after a failure.
    pub(crate) retry_at: Option<u64>,
}

impl Group {
    /// Members counted as capacity (pending or in service).
    pub fn live(&self) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(|m| m.lifecycle != Lifecycle::Terminating)
    }

    /// Members in service (running, healthy) now.
    pub fn in_service(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.lifecycle == Lifecycle::InService && m.healthy)
            .count()
    }

    /// The refresh that is running (Pending, InProgress or Cancelling), if any.
    pub fn active_refresh(&self) -> Option<&refresh::InstanceRefresh> {
        self.refreshes.last().filter(|r| r.status.is_active())
    }

    /// Tags its instances get at launch, besides `aws:autoscaling:groupName`.
    pub(crate) fn propagated_tags(&self) -> Tags {
        let mut tags = Tags::default();
        for t in self.tags.iter().filter(|t| t.propagate_at_launch) {
            tags.insert(t.key.clone(), t.value.clone());
        }
        tags
    }
}

pub use refresh::{InstanceRefresh, RefreshStatus};

impl crate::Cloud {
    /// The AMI the group's next launch would use: its launch template version as the group (or
    /// its running refresh) names it, resolved now; `None` when that no longer resolves or names
    /// no image.
    pub fn auto_scaling_launch_image(&self, group: &Group) -> Option<String> {
        let key = (
            group.account.clone(),
            group.region.clone(),
            group.name.clone(),
        );
        let spec = self.launch_spec(&key);
        let caller = crate::Caller::new(key.0.clone(), key.1.clone());
        let template = self
            .own_launch_template(
                &caller,
                spec.launch_template_id.as_deref(),
                spec.launch_template_name.as_deref(),
            )
            .ok()?;
        template
            .resolve(spec.version.as_deref())
            .ok()?
            .data
            .image_id
            .clone()
    }

    /// Every Auto Scaling group of every account, by (account, region, name); a group being
    /// force-deleted is listed until its last instance is gone.
    pub fn auto_scaling_groups(&self) -> impl Iterator<Item = &Group> {
        self.autoscaling.groups.values()
    }
}

/// The key of the caller's group `name` (groups belong to an account and a region).
pub(crate) fn key_of(caller: &crate::Caller, name: &str) -> GroupKey {
    (
        caller.account.clone(),
        caller.region.clone(),
        name.to_string(),
    )
}

impl AutoScaling {
    /// A group that exists and is not being deleted.
    ///
    /// Errors: `ValidationError` "AutoScalingGroup name not found - null".
    pub(crate) fn live_group(&self, key: &GroupKey) -> crate::AwsResult<&Group> {
        self.groups
            .get(key)
            .filter(|g| !g.deleting)
            .ok_or_else(group_not_found)
    }

    /// The same, to change.
    pub(crate) fn live_group_mut(&mut self, key: &GroupKey) -> crate::AwsResult<&mut Group> {
        self.groups
            .get_mut(key)
            .filter(|g| !g.deleting)
            .ok_or_else(group_not_found)
    }
}

/// Auto Scaling's parameter error: `ValidationError` (HTTP 400).
pub(crate) fn validation(message: impl Into<String>) -> AwsError {
    AwsError::new("ValidationError", message)
}

/// The answer for a group that does not exist (as UpdateAutoScalingGroup words it).
pub(crate) fn group_not_found() -> AwsError {
    validation("AutoScalingGroup name not found - null")
}

/// Percentages of a desired capacity, as instance counts: `ceil(capacity × percent / 100)` for a
/// minimum healthy percentage ("rounded up to the nearest integer", RefreshPreferences),
/// `floor` for a maximum.
pub(crate) fn percent_of(capacity: i64, percent: i64, round_up: bool) -> i64 {
    let product = capacity * percent;
    if round_up {
        (product + 99) / 100
    } else {
        product / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_log_keeps_changes_and_finds_the_fewest_since_a_time() {
        let mut log = CountLog::starting(10, 0);
        for (t, n) in [(20, 4), (30, 4), (40, 2), (50, 4)] {
            log.record(t, n);
        }
        assert_eq!(log.changes(), &[(10, 0), (20, 4), (40, 2), (50, 4)]);
        assert_eq!(log.fewest_since(25), 2);
        assert_eq!(
            log.fewest_since(45),
            2,
            "the count at the start is included"
        );
        assert_eq!(log.fewest_since(50), 4);
        assert_eq!(log.fewest_since(5), 0);
    }

    #[test]
    fn healthy_minimums_round_up_and_maximums_down() {
        assert_eq!(percent_of(4, 50, true), 2);
        assert_eq!(percent_of(4, 90, true), 4);
        assert_eq!(percent_of(3, 50, true), 2);
        assert_eq!(percent_of(4, 150, false), 6);
        assert_eq!(percent_of(3, 150, false), 4);
        assert_eq!(percent_of(0, 90, true), 0);
    }
}

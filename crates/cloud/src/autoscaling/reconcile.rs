//! A group's check: EC2 health of its members, replacement of the unhealthy ones, launches and
//! terminations towards the desired capacity (balanced across zones, by termination policy,
//! sparing protected instances), and the step of a running instance refresh.

use super::activities::Activity;
use super::{Group, GroupKey, LaunchedFrom, Lifecycle, Member, GROUP_NAME_TAG, LAUNCH_RETRY};
use crate::clock::iso8601;
use crate::ec2::instances::{InstanceState, PlacementInput, RunInstancesInput};
use crate::ec2::launch_templates::LaunchTemplateSpecification;
use crate::error::AwsResult;
use crate::lifecycle::Event;
use crate::{Caller, Cloud};

/// Termination policies Auto Scaling knows ("Control which instances terminate during scale in").
pub(crate) const TERMINATION_POLICIES: &[&str] = &[
    "Default",
    "AllocationStrategy",
    "OldestLaunchTemplate",
    "OldestLaunchConfiguration",
    "ClosestToNextInstanceHour",
    "NewestInstance",
    "OldestInstance",
];

/// Why an instance leaves a group, for its activity's cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// An EC2 health check found it stopped or terminated.
    Unhealthy,
    /// The group has more instances than it wants.
    ScaleIn { from: usize, to: i64 },
    /// An instance refresh replaces it.
    Refresh,
    /// TerminateInstanceInAutoScalingGroup.
    UserRequest,
    /// A forced delete of the group.
    GroupDeleted,
}

impl Cloud {
    /// Makes sure the group is checked at `at` (now at the earliest).
    pub(crate) fn schedule_group_check(&mut self, key: &GroupKey, at: u64) {
        let now = self.now();
        let at = at.max(now);
        let Some(group) = self.autoscaling.groups.get_mut(key) else {
            return;
        };
        // A check already due between now and `at` will do.
        if group.check_due.is_some_and(|due| due <= at && due >= now) {
            return;
        }
        group.check_due = Some(at);
        let (account, region, name) = key.clone();
        self.schedule.at(
            at,
            Event::AutoScalingCheck {
                account,
                region,
                name,
            },
        );
    }

    /// An instance changed state: if a group owns it, the group looks at once (Auto Scaling's
    /// EC2 health checks, simulated as immediate). A member whose instance is no longer pending
    /// or running is unhealthy from this moment (AWS counts any other state as unhealthy); the
    /// check that replaces it runs as soon as the clock moves.
    pub(crate) fn instance_changed(&mut self, region: &str, instance_id: &str) {
        let Some(instance) = self
            .region(region)
            .and_then(|r| r.instances.get(instance_id))
        else {
            return;
        };
        let Some(name) = instance.tags.get(GROUP_NAME_TAG) else {
            return;
        };
        let up = matches!(
            instance.state,
            InstanceState::Pending | InstanceState::Running
        );
        let key = (
            instance.owner_id.clone(),
            region.to_string(),
            name.to_string(),
        );
        let Some(group) = self.autoscaling.groups.get_mut(&key) else {
            return;
        };
        if !up {
            if let Some(m) = group
                .members
                .iter_mut()
                .find(|m| m.instance_id == instance_id && m.lifecycle != Lifecycle::Terminating)
            {
                m.healthy = false;
            }
        }
        let now = self.now();
        self.schedule_group_check(&key, now);
    }

    /// A scheduled check is due.
    pub(crate) fn group_check_due(&mut self, key: &GroupKey) {
        let now = self.now();
        if let Some(g) = self.autoscaling.groups.get_mut(key) {
            if g.check_due.is_some_and(|due| due <= now) {
                g.check_due = None;
            }
        }
        self.reconcile(key);
    }

    /// One check of a group: health, the refresh's step, capacity; a deleted group goes once
    /// its last instance is gone.
    pub(crate) fn reconcile(&mut self, key: &GroupKey) {
        if !self.autoscaling.groups.contains_key(key) {
            return;
        }
        self.health_check(key);
        self.refresh_step(key);
        self.scale_to_desired(key);
        self.record_service(key);
        let gone = self
            .autoscaling
            .groups
            .get(key)
            .is_some_and(|g| g.deleting && g.members.is_empty());
        if gone {
            self.autoscaling.groups.remove(key);
        }
    }

    /// Records how many members are in service, and how many of those serve `GET /` on port
    /// 80 (what a load balancer in front of the group would see).
    fn record_service(&mut self, key: &GroupKey) {
        let now = self.now();
        let Some(g) = self.autoscaling.groups.get(key) else {
            return;
        };
        let region = self.region(&key.1);
        let serving = g
            .members
            .iter()
            .filter(|m| m.lifecycle == Lifecycle::InService && m.healthy)
            .filter(|m| {
                region
                    .and_then(|r| r.instances.get(&m.instance_id))
                    .filter(|i| i.state == InstanceState::Running)
                    .and_then(|i| i.guest.http_get("/"))
                    .is_some_and(|(status, _)| status == 200)
            })
            .count();
        let in_service = g.in_service();
        let g = self.autoscaling.groups.get_mut(key).expect("checked above");
        g.in_service_log.record(now, in_service);
        g.serving_log.record(now, serving);
    }

    /// A command ran on an instance (through SSM): what it serves may have changed, so its
    /// group, if any, looks again.
    pub(crate) fn instance_ran_command(&mut self, instance_id: &str) {
        let region = self
            .region_names()
            .find(|r| {
                self.region(r)
                    .is_some_and(|r| r.instances.contains_key(instance_id))
            })
            .map(str::to_string);
        if let Some(region) = region {
            self.instance_changed(&region, instance_id);
        }
    }

    /// Reads each member's EC2 state: pending → running puts it in service; stopped, stopping,
    /// shutting down or terminated makes it unhealthy and it is terminated (and replaced by the
    /// capacity step); a terminating member whose instance is gone leaves the group.
    fn health_check(&mut self, key: &GroupKey) {
        let now = self.now();
        let Some(region) = self.region(&key.1) else {
            return;
        };
        let group = &self.autoscaling.groups[key];
        let (mut gone, mut started, mut unhealthy) = (Vec::new(), Vec::new(), Vec::new());
        for m in &group.members {
            let state = region.instances.get(&m.instance_id).map(|i| i.state);
            match (m.lifecycle, state) {
                (Lifecycle::Terminating, None | Some(InstanceState::Terminated)) => {
                    gone.push(m.instance_id.clone())
                }
                (Lifecycle::Terminating, _) => {}
                (_, Some(InstanceState::Pending)) => {}
                (Lifecycle::Pending, Some(InstanceState::Running)) => {
                    started.push(m.instance_id.clone())
                }
                (_, Some(InstanceState::Running)) => {}
                _ => unhealthy.push((
                    m.instance_id.clone(),
                    region
                        .instances
                        .get(&m.instance_id)
                        .and_then(|i| i.state_reason.as_ref())
                        .map(|(_, message)| message.clone()),
                )),
            }
        }
        for id in gone {
            let group = self.autoscaling.groups.get_mut(key).expect("checked above");
            group.members.retain(|m| m.instance_id != id);
            self.autoscaling.finish_activity(&id, now);
        }
        for id in started {
            let group = self.autoscaling.groups.get_mut(key).expect("checked above");
            if let Some(m) = group.members.iter_mut().find(|m| m.instance_id == id) {
                m.lifecycle = Lifecycle::InService;
                m.in_service_at = Some(now);
            }
            self.autoscaling.finish_activity(&id, now);
        }
        for (id, reason) in unhealthy {
            let group = self.autoscaling.groups.get_mut(key).expect("checked above");
            let mut never_served = false;
            if let Some(m) = group.members.iter_mut().find(|m| m.instance_id == id) {
                m.healthy = false;
                never_served = m.lifecycle == Lifecycle::Pending;
            }
            if never_served {
                // It died before it ever served (an image whose KMS key the account may not
                // use, say): the launch failed, and launches back off as after any failure.
                group.retry_at = Some(now + LAUNCH_RETRY);
                self.autoscaling.fail_activity(
                    &id,
                    now,
                    format!(
                        "Instance became unhealthy while waiting for instance to be in InService state. Termination Reason: {}",
                        reason.unwrap_or_else(|| "the instance stopped or terminated".into())
                    ),
                );
                self.schedule_group_check(key, now + LAUNCH_RETRY);
            } else {
                self.autoscaling.finish_activity(&id, now);
            }
            self.terminate_member(key, &id, Why::Unhealthy);
        }
    }

    /// Launches or terminates towards the desired capacity. While an instance refresh runs, the
    /// refresh decides which instances go; this step only fills the group back up.
    fn scale_to_desired(&mut self, key: &GroupKey) {
        let now = self.now();
        let group = &self.autoscaling.groups[key];
        let desired = if group.deleting {
            0
        } else {
            group.desired_capacity
        };
        let live = group.live().count() as i64;
        if live < desired {
            if group.retry_at.is_some_and(|t| t > now) {
                return;
            }
            let cause = format!(
                "At {} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {live} to {desired}.",
                iso8601(now)
            );
            for _ in live..desired {
                if !self.launch_member(key, &cause) {
                    break;
                }
            }
        } else if live > desired && group.active_refresh().is_none() {
            let victims = choose_victims(group, (live - desired) as usize, now, self);
            let why = Why::ScaleIn {
                from: live as usize,
                to: desired,
            };
            for id in victims {
                self.terminate_member(key, &id, why);
            }
        }
    }

    /// The template version new instances of the group launch with: a running refresh's
    /// desired configuration, else the group's own.
    pub(crate) fn launch_spec(&self, key: &GroupKey) -> LaunchTemplateSpecification {
        let group = &self.autoscaling.groups[key];
        group
            .active_refresh()
            .and_then(|r| r.desired_configuration.clone())
            .unwrap_or_else(|| group.launch_template.clone())
    }

    /// The template version `spec` resolves to now, for the group's account and region.
    pub(crate) fn resolve_spec(
        &self,
        key: &GroupKey,
        spec: &LaunchTemplateSpecification,
    ) -> AwsResult<LaunchedFrom> {
        let caller = Caller::new(key.0.clone(), key.1.clone());
        let template = self.own_launch_template(
            &caller,
            spec.launch_template_id.as_deref(),
            spec.launch_template_name.as_deref(),
        )?;
        let version = template.resolve(spec.version.as_deref())?;
        Ok(LaunchedFrom {
            template_id: template.id.clone(),
            template_name: template.name.clone(),
            version: version.number,
        })
    }

    /// Launches one instance into the zone with the fewest of the group's instances. A failed
    /// launch is a `Failed` activity, and launches wait [`LAUNCH_RETRY`] seconds. Returns
    /// whether an instance launched.
    pub(crate) fn launch_member(&mut self, key: &GroupKey, cause: &str) -> bool {
        let now = self.now();
        let spec = self.launch_spec(key);
        let group = &self.autoscaling.groups[key];
        let zone = emptiest_zone(group);
        let subnet = group.subnets.get(&zone).cloned();
        let caller = Caller::new(key.0.clone(), key.1.clone());
        let mut input = RunInstancesInput {
            min_count: 1,
            max_count: 1,
            launch_template: Some(spec.clone()),
            ..RunInstancesInput::default()
        };
        match &subnet {
            Some(s) => input.subnet_id = Some(s.clone()),
            None => {
                input.placement = Some(PlacementInput {
                    availability_zone: Some(zone.clone()),
                    availability_zone_id: None,
                })
            }
        }
        let launched = self
            .resolve_spec(key, &spec)
            .and_then(|from| self.run_instances(&caller, input).map(|r| (from, r)));
        let group = &self.autoscaling.groups[key];
        let arn = group.arn.clone();
        let subnet_id = match &subnet {
            Some(s) => s.clone(),
            None => self
                .region(&key.1)
                .and_then(|r| {
                    r.subnets.values().find(|s| {
                        s.owner_id == key.0 && s.availability_zone == zone && s.default_for_az
                    })
                })
                .map(|s| s.id.clone())
                .unwrap_or_default(),
        };
        let details = format!("{{\"Subnet ID\":\"{subnet_id}\",\"Availability Zone\":\"{zone}\"}}");
        match launched {
            Ok((from, reservation)) => {
                let Some(shape) = reservation.instances.into_iter().next() else {
                    return false;
                };
                let id = shape.instance_id.clone();
                let tags = group.propagated_tags();
                let protected = group.new_instances_protected_from_scale_in;
                if let Some(i) = self
                    .region_mut_opt(&key.1)
                    .and_then(|r| r.instances.get_mut(&id))
                {
                    for (k, v) in tags.iter() {
                        i.tags.insert(k, v);
                    }
                    i.tags.insert(GROUP_NAME_TAG, key.2.clone());
                }
                let member = Member {
                    instance_id: id.clone(),
                    availability_zone: zone,
                    instance_type: shape.instance_type.clone(),
                    image_id: shape.image_id.clone(),
                    lifecycle: Lifecycle::Pending,
                    healthy: true,
                    protected_from_scale_in: protected,
                    launched_from: from,
                    launched_at: now,
                    in_service_at: None,
                };
                let group = self.autoscaling.groups.get_mut(key).expect("checked above");
                group.members.push(member);
                group.retry_at = None;
                let activity = Activity {
                    id: self.ids.uuid(),
                    group: key.clone(),
                    group_arn: arn,
                    description: format!("Launching a new EC2 instance: {id}"),
                    cause: format!("{}{cause}", pending_cause(group)),
                    start: now,
                    end: None,
                    status: "InProgress",
                    status_message: None,
                    instance_id: Some(id),
                    details,
                };
                self.autoscaling.record(activity);
                true
            }
            Err(e) => {
                let activity = Activity {
                    id: self.ids.uuid(),
                    group: key.clone(),
                    group_arn: arn,
                    description: "Launching a new EC2 instance.  Status Reason: ".to_string()
                        + &e.message,
                    cause: format!("{}{cause}", pending_cause(group)),
                    start: now,
                    end: Some(now),
                    status: "Failed",
                    status_message: Some(e.message.clone()),
                    instance_id: None,
                    details,
                };
                self.autoscaling.record(activity);
                let retry = now + LAUNCH_RETRY;
                if let Some(g) = self.autoscaling.groups.get_mut(key) {
                    g.retry_at = Some(retry);
                }
                self.schedule_group_check(key, retry);
                self.refresh_launch_failed(key, &e.message);
                false
            }
        }
    }

    /// Takes a member out of service and terminates its instance (termination protection does
    /// not stop Auto Scaling); it leaves the group once its instance is terminated.
    pub(crate) fn terminate_member(&mut self, key: &GroupKey, id: &str, why: Why) {
        let now = self.now();
        let Some(group) = self.autoscaling.groups.get_mut(key) else {
            return;
        };
        let Some(m) = group.members.iter_mut().find(|m| m.instance_id == id) else {
            return;
        };
        if m.lifecycle == Lifecycle::Terminating {
            return;
        }
        m.lifecycle = Lifecycle::Terminating;
        let zone = m.availability_zone.clone();
        let at = iso8601(now);
        let cause = match why {
            Why::Unhealthy => format!("At {at} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped."),
            Why::ScaleIn { from, to } => format!(
                "{}At {at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {to}.",
                pending_cause(group)
            ),
            Why::Refresh => format!("At {at} an instance was taken out of service in response to an instance refresh."),
            Why::UserRequest => format!("At {at} instance {id} was taken out of service in response to a user request."),
            Why::GroupDeleted => format!("At {at} an instance was taken out of service in response to a user request to delete the group."),
        };
        let activity = Activity {
            id: self.ids.uuid(),
            group: key.clone(),
            group_arn: group.arn.clone(),
            description: format!("Terminating EC2 instance: {id}"),
            cause,
            start: now,
            end: None,
            status: "InProgress",
            status_message: None,
            instance_id: Some(id.to_string()),
            details: format!("{{\"Availability Zone\":\"{zone}\"}}"),
        };
        self.autoscaling.record(activity);
        let caller = Caller::new(key.0.clone(), key.1.clone());
        self.terminate_for_service(&caller, id);
        // An instance that was already terminated leaves at once.
        let terminated = self
            .region(&key.1)
            .and_then(|r| r.instances.get(id))
            .is_none_or(|i| i.state == InstanceState::Terminated);
        if terminated {
            if let Some(group) = self.autoscaling.groups.get_mut(key) {
                group.members.retain(|m| m.instance_id != id);
            }
            self.autoscaling.finish_activity(id, now);
        }
    }
}

/// The cause a group change left for the activities it starts (`At … a user request created an
/// AutoScalingGroup changing the desired capacity from 0 to 4.  `), or nothing.
fn pending_cause(group: &Group) -> String {
    group
        .pending_cause
        .as_ref()
        .map(|c| format!("{c}  "))
        .unwrap_or_default()
}

/// The zone with the fewest live members (the first such in the group's order).
fn emptiest_zone(group: &Group) -> String {
    group
        .zones
        .iter()
        .min_by_key(|z| group.live().filter(|m| &m.availability_zone == *z).count())
        .cloned()
        .unwrap_or_default()
}

/// The `n` unprotected live members a scale-in terminates, in order: each from the zone with
/// the most live members, and within it by the group's termination policies (`Default`:
/// instances of an older template version first, then those closest to the next instance hour;
/// the instance id breaks what ties remain, where AWS picks at random).
pub(crate) fn choose_victims(group: &Group, n: usize, now: u64, cloud: &Cloud) -> Vec<String> {
    let key = (
        group.account.clone(),
        group.region.clone(),
        group.name.clone(),
    );
    let current = cloud.resolve_spec(&key, &group.launch_template).ok();
    let mut chosen: Vec<String> = Vec::new();
    for _ in 0..n {
        let remaining: Vec<&Member> = group
            .live()
            .filter(|m| !chosen.contains(&m.instance_id))
            .collect();
        let count = |zone: &str| {
            remaining
                .iter()
                .filter(|m| m.availability_zone == zone)
                .count()
        };
        let candidates: Vec<&&Member> = remaining
            .iter()
            .filter(|m| !m.protected_from_scale_in)
            .collect();
        let Some(zone) = group
            .zones
            .iter()
            .filter(|z| candidates.iter().any(|m| &m.availability_zone == *z))
            .max_by_key(|z| {
                (
                    count(z),
                    std::cmp::Reverse(group.zones.iter().position(|x| x == *z)),
                )
            })
        else {
            break;
        };
        let victim = candidates
            .iter()
            .filter(|m| &m.availability_zone == zone)
            .min_by_key(|m| policy_key(group, m, current.as_ref(), now))
            .map(|m| m.instance_id.clone());
        match victim {
            Some(id) => chosen.push(id),
            None => break,
        }
    }
    chosen
}

/// Sort key of a member under the group's termination policies: smaller goes first.
fn policy_key(
    group: &Group,
    m: &Member,
    current: Option<&LaunchedFrom>,
    now: u64,
) -> (Vec<i64>, String) {
    let mut key = Vec::new();
    let mut push = |policy: &str| match policy {
        "OldestLaunchTemplate" | "OldestLaunchConfiguration" => {
            let is_current = current.is_some_and(|c| *c == m.launched_from);
            key.push(is_current as i64);
            key.push(m.launched_from.version as i64);
        }
        "ClosestToNextInstanceHour" => {
            let age = now.saturating_sub(m.launched_at);
            key.push(3600 - (age % 3600) as i64);
        }
        "NewestInstance" => key.push(-(m.launched_at as i64)),
        "OldestInstance" => key.push(m.launched_at as i64),
        _ => {}
    };
    for policy in &group.termination_policies {
        if policy == "Default" {
            push("OldestLaunchTemplate");
            push("ClosestToNextInstanceHour");
        } else {
            push(policy);
        }
    }
    (key, m.instance_id.clone())
}

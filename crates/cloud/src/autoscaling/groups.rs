//! Group operations: create, update, delete, describe (groups and their instances), desired
//! capacity, terminating one instance, and scale-in protection.

use std::collections::BTreeMap;

use super::activities::ActivityOutput;
use super::reconcile::{Why, TERMINATION_POLICIES};
use super::shapes::*;
use super::{
    group_not_found, key_of, validation, CountLog, Group, GroupKey, GroupTag, Lifecycle, Member,
};
use crate::clock::iso8601;
use crate::ec2::instances::RunInstancesInput;
use crate::ec2::launch_templates::LaunchTemplateSpecification;
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::{Caller, Cloud};

/// The health check types Auto Scaling accepts; only EC2 status checks are simulated.
const HEALTH_CHECK_TYPES: &[&str] = &["EC2", "ELB", "VPC_LATTICE", "EBS"];

/// `min ≤ desired ≤ max`, in Auto Scaling's words.
fn check_bounds(min: i64, max: i64, desired: i64) -> AwsResult<()> {
    if min < 0 {
        return Err(validation(format!(
            "Min bound, {min}, must be greater than or equal to 0"
        )));
    }
    if max < min {
        return Err(validation(format!(
            "Max bound, {max}, must be greater than or equal to min bound, {min}"
        )));
    }
    if desired < min || desired > max {
        return Err(validation(format!(
            "Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}"
        )));
    }
    Ok(())
}

fn check_policy(
    policy: &Option<InstanceMaintenancePolicy>,
) -> AwsResult<(Option<i64>, Option<i64>)> {
    let Some(p) = policy else {
        return Ok((None, None));
    };
    let unset = |v: Option<i64>| v.filter(|v| *v != -1);
    let (min, max) = (
        unset(p.min_healthy_percentage),
        unset(p.max_healthy_percentage),
    );
    if min.is_some_and(|m| !(0..=100).contains(&m))
        || max.is_some_and(|m| !(100..=200).contains(&m))
    {
        return Err(validation(
            "MinHealthyPercentage must be between 0 and 100 and MaxHealthyPercentage between 100 and 200 (or -1 to clear).",
        ));
    }
    if let (Some(min), Some(max)) = (min, max) {
        if max - min > 100 {
            return Err(validation(
                "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.",
            ));
        }
    }
    Ok((min, max))
}

fn check_policies(policies: &[String]) -> AwsResult<()> {
    for p in policies {
        if !TERMINATION_POLICIES.contains(&p.as_str()) {
            return Err(validation(format!(
                "Unsupported termination policy: {p}. Valid policies: {}",
                TERMINATION_POLICIES.join(", ")
            )));
        }
    }
    Ok(())
}

fn check_health_check_type(t: &str) -> AwsResult<()> {
    if HEALTH_CHECK_TYPES.contains(&t) {
        Ok(())
    } else {
        Err(validation(format!(
            "Invalid health check type '{t}'. Valid types: {}",
            HEALTH_CHECK_TYPES.join(", ")
        )))
    }
}

impl Cloud {
    /// Checks that a launch template can launch: a group accepts only "a valid fully-formed
    /// launch template" (EC2-BEHAVIOUR.md, Auto Scaling). The check is a launch on a throwaway
    /// copy of the cloud, so it refuses exactly what RunInstances would (unknown template or
    /// version, no image, an architecture mismatch, …); running out of instance or volume quota
    /// is a launch-time problem, not the template's, and passes.
    ///
    /// Errors: `ValidationError` "You must use a valid fully-formed launch template. <EC2's
    /// message>".
    pub(crate) fn check_launch_template(
        &self,
        caller: &Caller,
        spec: &LaunchTemplateSpecification,
    ) -> AwsResult<()> {
        let input = RunInstancesInput {
            min_count: 1,
            max_count: 1,
            launch_template: Some(spec.clone()),
            ..RunInstancesInput::default()
        };
        match self.clone().run_instances(caller, input) {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.code.as_str(),
                    "InstanceLimitExceeded" | "VolumeLimitExceeded"
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(validation(format!(
                "You must use a valid fully-formed launch template. {}",
                e.message
            ))),
        }
    }

    /// The zones and subnets a group launches in: `vpc_zone_identifier`'s subnets (each one the
    /// caller's, in the region; their zones in order) or `availability_zones`.
    ///
    /// Errors: `ValidationError` for neither, an unknown zone or an unknown subnet.
    fn placement(
        &self,
        caller: &Caller,
        zones: &[String],
        subnets: Option<&str>,
    ) -> AwsResult<(Vec<String>, BTreeMap<String, String>)> {
        let region = self.region_ref(&caller.region)?;
        let subnet_ids: Vec<&str> = subnets
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if !subnet_ids.is_empty() {
            let mut order = Vec::new();
            let mut by_zone = BTreeMap::new();
            for id in subnet_ids {
                let subnet = region
                    .subnets
                    .get(id)
                    .filter(|s| s.owner_id == caller.account)
                    .ok_or_else(|| validation(format!("The subnet ID '{id}' does not exist")))?;
                if !by_zone.contains_key(&subnet.availability_zone) {
                    order.push(subnet.availability_zone.clone());
                    by_zone.insert(subnet.availability_zone.clone(), subnet.id.clone());
                }
            }
            return Ok((order, by_zone));
        }
        if zones.is_empty() {
            return Err(validation(
                "At least one Availability Zone or VPC Subnet is required.",
            ));
        }
        let mut order: Vec<String> = Vec::new();
        for z in zones {
            if !region.info.has_zone(z) {
                return Err(validation(format!("Invalid Availability Zone: {z}")));
            }
            if !order.contains(z) {
                order.push(z.clone());
            }
        }
        Ok((order, BTreeMap::new()))
    }

    /// Auto Scaling `CreateAutoScalingGroup`: a group of `desired_capacity` instances (default
    /// `min_size`) from a launch template, balanced across its zones. Its instances launch at the
    /// group's first check (the next time the clock moves) and are tagged
    /// `aws:autoscaling:groupName` and with the group's `propagate_at_launch` tags.
    ///
    /// Errors: `AlreadyExists` for a name in use; `ValidationError` without a launch template,
    /// for one that is not valid and fully formed (an architecture mismatch, an unknown image or
    /// version…), for bounds that do not hold ("Desired capacity:10 must be between the
    /// specified min size:1 and max size:1"), for no zone or subnet, an unknown zone or subnet,
    /// an unknown termination policy or health check type, or a reserved `aws:` tag key.
    pub fn create_auto_scaling_group(
        &mut self,
        caller: &Caller,
        input: CreateAutoScalingGroupInput,
    ) -> AwsResult<Empty> {
        let name = input.auto_scaling_group_name.clone();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(validation(
                "AutoScalingGroupName must be 1 to 255 characters long.",
            ));
        }
        let key = key_of(caller, &name);
        if self.autoscaling.groups.contains_key(&key) {
            return Err(AwsError::new(
                "AlreadyExists",
                format!("AutoScalingGroup by this name already exists - A group with the name {name} already exists"),
            ));
        }
        let spec = input.launch_template.clone().ok_or_else(|| {
            validation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
        })?;
        let desired = input.desired_capacity.unwrap_or(input.min_size);
        check_bounds(input.min_size, input.max_size, desired)?;
        let (zones, subnets) = self.placement(
            caller,
            &input.availability_zones,
            input.vpc_zone_identifier.as_deref(),
        )?;
        let health_check_type = input.health_check_type.unwrap_or_else(|| "EC2".into());
        check_health_check_type(&health_check_type)?;
        check_policies(&input.termination_policies)?;
        let (min_healthy, max_healthy) = check_policy(&input.instance_maintenance_policy)?;
        let mut tags: Vec<GroupTag> = Vec::new();
        for t in &input.tags {
            if t.key.is_empty() || t.key.chars().count() > 128 || t.key.starts_with("aws:") {
                return Err(validation(format!(
                    "Tag key '{}' is not valid: keys are 1 to 128 characters and may not start with 'aws:'.",
                    t.key
                )));
            }
            if t.resource_id.as_deref().is_some_and(|r| r != name) {
                return Err(validation(format!(
                    "The tag's ResourceId must be the group's name, {name}."
                )));
            }
            tags.retain(|x| x.key != t.key);
            tags.push(GroupTag {
                key: t.key.clone(),
                value: t.value.clone().unwrap_or_default(),
                propagate_at_launch: t.propagate_at_launch.unwrap_or(false),
            });
        }
        tags.sort_by(|a, b| a.key.cmp(&b.key));
        self.check_launch_template(caller, &spec)?;
        let now = self.now();
        let arn = format!(
            "arn:aws:autoscaling:{}:{}:autoScalingGroup:{}:autoScalingGroupName/{name}",
            caller.region,
            caller.account,
            self.ids.uuid()
        );
        let group = Group {
            name: name.clone(),
            arn,
            account: caller.account.clone(),
            region: caller.region.clone(),
            launch_template: spec,
            min_size: input.min_size,
            max_size: input.max_size,
            desired_capacity: desired,
            default_cooldown: input.default_cooldown.unwrap_or(300),
            health_check_type,
            health_check_grace_period: input.health_check_grace_period.unwrap_or(0),
            default_instance_warmup: input.default_instance_warmup.filter(|w| *w >= 0),
            zones,
            subnets,
            vpc_zone_identifier: input.vpc_zone_identifier.unwrap_or_default(),
            termination_policies: if input.termination_policies.is_empty() {
                vec!["Default".into()]
            } else {
                input.termination_policies
            },
            new_instances_protected_from_scale_in: input
                .new_instances_protected_from_scale_in
                .unwrap_or(false),
            tags,
            maintenance_min_healthy: min_healthy,
            maintenance_max_healthy: max_healthy,
            created: now,
            members: Vec::new(),
            deleting: false,
            refreshes: Vec::new(),
            in_service_log: CountLog::starting(now, 0),
            serving_log: CountLog::starting(now, 0),
            pending_cause: Some(format!(
                "At {} a user request created an AutoScalingGroup changing the desired capacity from 0 to {desired}.",
                iso8601(now)
            )),
            check_due: None,
            retry_at: None,
        };
        self.autoscaling.groups.insert(key.clone(), group);
        self.schedule_group_check(&key, now);
        Ok(Empty {})
    }

    /// Auto Scaling `UpdateAutoScalingGroup`: changes what the request names. A new minimum
    /// above the desired capacity raises it and a new maximum below lowers it (unless
    /// `desired_capacity` is given, which must then fit); a new launch template applies to new
    /// instances only; the group checks itself at once.
    ///
    /// Errors: `ValidationError` "AutoScalingGroup name not found - null" for an unknown group,
    /// and those of CreateAutoScalingGroup for the members given.
    pub fn update_auto_scaling_group(
        &mut self,
        caller: &Caller,
        input: UpdateAutoScalingGroupInput,
    ) -> AwsResult<Empty> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let group = self.autoscaling.live_group(&key)?;
        let min = input.min_size.unwrap_or(group.min_size);
        let max = input.max_size.unwrap_or(group.max_size);
        let desired = match input.desired_capacity {
            Some(d) => d,
            None => group.desired_capacity.clamp(min, max.max(min)),
        };
        check_bounds(min, max, desired)?;
        let placement = match (&input.availability_zones, &input.vpc_zone_identifier) {
            (None, None) => None,
            (zones, subnets) => {
                Some(self.placement(caller, zones.as_deref().unwrap_or(&[]), subnets.as_deref())?)
            }
        };
        if let Some(t) = &input.health_check_type {
            check_health_check_type(t)?;
        }
        if let Some(p) = &input.termination_policies {
            check_policies(p)?;
        }
        let maintenance = input
            .instance_maintenance_policy
            .as_ref()
            .map(|p| check_policy(&Some(p.clone())))
            .transpose()?;
        if let Some(spec) = &input.launch_template {
            self.check_launch_template(caller, spec)?;
        }
        let now = self.now();
        let group = self
            .autoscaling
            .groups
            .get_mut(&key)
            .expect("checked above");
        if desired != group.desired_capacity {
            group.pending_cause = Some(format!(
                "At {} a user request update of AutoScalingGroup constraints to min: {min}, max: {max}, desired: {desired} changing the desired capacity from {} to {desired}.",
                iso8601(now),
                group.desired_capacity
            ));
        }
        group.min_size = min;
        group.max_size = max;
        group.desired_capacity = desired;
        if let Some(spec) = input.launch_template {
            group.launch_template = spec;
        }
        if let Some(c) = input.default_cooldown {
            group.default_cooldown = c;
        }
        if let Some((zones, subnets)) = placement {
            group.zones = zones;
            group.subnets = subnets;
            group.vpc_zone_identifier = input.vpc_zone_identifier.unwrap_or_default();
        }
        if let Some(t) = input.health_check_type {
            group.health_check_type = t;
        }
        if let Some(g) = input.health_check_grace_period {
            group.health_check_grace_period = g;
        }
        if let Some(p) = input.termination_policies {
            group.termination_policies = if p.is_empty() {
                vec!["Default".into()]
            } else {
                p
            };
        }
        if let Some(p) = input.new_instances_protected_from_scale_in {
            group.new_instances_protected_from_scale_in = p;
        }
        if let Some(w) = input.default_instance_warmup {
            group.default_instance_warmup = (w >= 0).then_some(w);
        }
        if let Some((min_h, max_h)) = maintenance {
            group.maintenance_min_healthy = min_h;
            group.maintenance_max_healthy = max_h;
        }
        self.schedule_group_check(&key, now);
        Ok(Empty {})
    }

    /// Auto Scaling `DeleteAutoScalingGroup`: an empty group goes at once; with `force_delete`
    /// its instances are terminated, its running refresh is cancelled, and DescribeAutoScalingGroups
    /// shows it as `Delete in progress` until the last instance is gone.
    ///
    /// Errors: `ValidationError` for an unknown group; without `force_delete`, `ResourceInUse`
    /// while it has instances and `ScalingActivityInProgress` while an activity runs.
    pub fn delete_auto_scaling_group(
        &mut self,
        caller: &Caller,
        input: DeleteAutoScalingGroupInput,
    ) -> AwsResult<Empty> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let group = self
            .autoscaling
            .groups
            .get(&key)
            .ok_or_else(group_not_found)?;
        let force = input.force_delete == Some(true);
        if !force {
            if !group.members.is_empty() {
                return Err(AwsError::new(
                    "ResourceInUse",
                    "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
                ));
            }
            let busy = self
                .autoscaling
                .activities
                .iter()
                .any(|a| a.group == key && a.group_arn == group.arn && a.end.is_none());
            if busy {
                return Err(AwsError::new(
                    "ScalingActivityInProgress",
                    "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.",
                ));
            }
        }
        if group.members.is_empty() {
            self.autoscaling.groups.remove(&key);
            return Ok(Empty {});
        }
        let now = self.now();
        let group = self
            .autoscaling
            .groups
            .get_mut(&key)
            .expect("checked above");
        group.deleting = true;
        group.min_size = 0;
        group.max_size = 0;
        group.desired_capacity = 0;
        if let Some(r) = group.refreshes.last_mut().filter(|r| r.status.is_active()) {
            r.status = super::RefreshStatus::Cancelled;
            r.end = Some(now);
        }
        let ids: Vec<String> = group.live().map(|m| m.instance_id.clone()).collect();
        for id in ids {
            self.terminate_member(&key, &id, Why::GroupDeleted);
        }
        self.reconcile(&key);
        Ok(Empty {})
    }

    /// The shape of a group's launch template: the template's id and name (as named when it no
    /// longer exists) and the version as the group names it.
    fn template_shape(
        &self,
        key: &GroupKey,
        spec: &LaunchTemplateSpecification,
    ) -> LaunchTemplateShape {
        let caller = Caller::new(key.0.clone(), key.1.clone());
        let found = self
            .own_launch_template(
                &caller,
                spec.launch_template_id.as_deref(),
                spec.launch_template_name.as_deref(),
            )
            .ok();
        LaunchTemplateShape {
            launch_template_id: found
                .map(|t| t.id.clone())
                .or_else(|| spec.launch_template_id.clone())
                .unwrap_or_default(),
            launch_template_name: found
                .map(|t| t.name.clone())
                .or_else(|| spec.launch_template_name.clone())
                .unwrap_or_default(),
            version: spec.version.clone().unwrap_or_else(|| "$Default".into()),
        }
    }

    /// A member as the describe calls list it.
    fn member_shape(&self, g: &Group, m: &Member) -> GroupInstanceShape {
        GroupInstanceShape {
            instance_id: m.instance_id.clone(),
            instance_type: m.instance_type.clone(),
            availability_zone: m.availability_zone.clone(),
            availability_zone_id: self
                .region(&g.region)
                .and_then(|r| r.info.id_of_zone(&m.availability_zone))
                .unwrap_or_default()
                .to_string(),
            lifecycle_state: m.lifecycle.as_str().into(),
            health_status: if m.healthy { "Healthy" } else { "Unhealthy" }.into(),
            launch_template: LaunchTemplateShape {
                launch_template_id: m.launched_from.template_id.clone(),
                launch_template_name: m.launched_from.template_name.clone(),
                version: m.launched_from.version.to_string(),
            },
            protected_from_scale_in: m.protected_from_scale_in,
        }
    }

    fn group_shape(
        &self,
        key: &GroupKey,
        g: &Group,
        with_instances: bool,
    ) -> AutoScalingGroupShape {
        let instances = with_instances.then(|| {
            let mut list: Vec<GroupInstanceShape> =
                g.members.iter().map(|m| self.member_shape(g, m)).collect();
            list.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
            list
        });
        AutoScalingGroupShape {
            auto_scaling_group_name: g.name.clone(),
            auto_scaling_group_arn: g.arn.clone(),
            launch_template: self.template_shape(key, &g.launch_template),
            min_size: g.min_size,
            max_size: g.max_size,
            desired_capacity: g.desired_capacity,
            default_cooldown: g.default_cooldown,
            availability_zones: g.zones.clone(),
            load_balancer_names: Vec::new(),
            target_group_arns: Vec::new(),
            health_check_type: g.health_check_type.clone(),
            health_check_grace_period: g.health_check_grace_period,
            instances,
            created_time: iso8601(g.created),
            suspended_processes: Vec::new(),
            vpc_zone_identifier: g.vpc_zone_identifier.clone(),
            enabled_metrics: Vec::new(),
            status: g.deleting.then(|| "Delete in progress".to_string()),
            tags: g
                .tags
                .iter()
                .map(|t| TagDescription {
                    resource_id: g.name.clone(),
                    resource_type: "auto-scaling-group".into(),
                    key: t.key.clone(),
                    value: t.value.clone(),
                    propagate_at_launch: t.propagate_at_launch,
                })
                .collect(),
            termination_policies: g.termination_policies.clone(),
            new_instances_protected_from_scale_in: g.new_instances_protected_from_scale_in,
            service_linked_role_arn: format!(
                "arn:aws:iam::{}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                g.account
            ),
            capacity_rebalance: false,
            default_instance_warmup: g.default_instance_warmup,
            traffic_sources: Vec::new(),
            instance_maintenance_policy: (g.maintenance_min_healthy.is_some()
                || g.maintenance_max_healthy.is_some())
            .then(|| InstanceMaintenancePolicy {
                min_healthy_percentage: Some(g.maintenance_min_healthy.unwrap_or(-1)),
                max_healthy_percentage: Some(g.maintenance_max_healthy.unwrap_or(-1)),
            }),
        }
    }

    /// Auto Scaling `DescribeAutoScalingGroups`: the caller's groups in its region, by name
    /// (names it does not have are left out), with their instances by id.
    ///
    /// Errors: `ValidationError` for a page size outside 1–100 or an unknown filter name;
    /// `InvalidNextToken`.
    pub fn describe_auto_scaling_groups(
        &mut self,
        caller: &Caller,
        input: DescribeAutoScalingGroupsInput,
    ) -> AwsResult<DescribeAutoScalingGroupsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_AUTO_SCALING_GROUPS,
            caller,
            input.max_records,
            input.next_token.as_deref(),
            false,
        )?;
        for f in &input.filters {
            let name = f.name.as_deref().unwrap_or("");
            if !(name == "tag-key" || name == "tag-value" || name.starts_with("tag:")) {
                return Err(validation(format!(
                    "Filter name '{name}' is not valid. Valid filters: tag-key, tag-value, tag:<key>."
                )));
            }
        }
        let matches = |g: &Group| {
            input.filters.iter().all(|f| {
                let name = f.name.as_deref().unwrap_or("");
                g.tags.iter().any(|t| match name {
                    "tag-key" => f.values.contains(&t.key),
                    "tag-value" => f.values.contains(&t.value),
                    _ => {
                        name.strip_prefix("tag:") == Some(t.key.as_str())
                            && f.values.contains(&t.value)
                    }
                })
            })
        };
        let with_instances = input.include_instances != Some(false);
        let groups: Vec<(String, AutoScalingGroupShape)> = self
            .autoscaling
            .groups
            .iter()
            .filter(|((a, r, _), _)| *a == caller.account && *r == caller.region)
            .filter(|((_, _, n), _)| {
                input.auto_scaling_group_names.is_empty()
                    || input.auto_scaling_group_names.contains(n)
            })
            .filter(|(_, g)| matches(g))
            .map(|(k, g)| (k.2.clone(), self.group_shape(k, g, with_instances)))
            .collect();
        let (page, next_token) = pager.page(groups, |(k, _)| k.clone());
        Ok(DescribeAutoScalingGroupsOutput {
            auto_scaling_groups: page.into_iter().map(|(_, g)| g).collect(),
            next_token,
        })
    }

    /// Auto Scaling `DescribeAutoScalingInstances`: the instances of the caller's groups in its
    /// region, by id (ids that are in no group are left out).
    ///
    /// Errors: `ValidationError` for a page size outside 1–50; `InvalidNextToken`.
    pub fn describe_auto_scaling_instances(
        &mut self,
        caller: &Caller,
        input: DescribeAutoScalingInstancesInput,
    ) -> AwsResult<DescribeAutoScalingInstancesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_AUTO_SCALING_INSTANCES,
            caller,
            input.max_records,
            input.next_token.as_deref(),
            false,
        )?;
        let mut list: Vec<(String, AutoScalingInstanceShape)> = Vec::new();
        for (k, g) in &self.autoscaling.groups {
            if k.0 != caller.account || k.1 != caller.region {
                continue;
            }
            for i in g.members.iter().map(|m| self.member_shape(g, m)) {
                if !input.instance_ids.is_empty() && !input.instance_ids.contains(&i.instance_id) {
                    continue;
                }
                list.push((
                    i.instance_id.clone(),
                    AutoScalingInstanceShape {
                        instance_id: i.instance_id,
                        instance_type: i.instance_type,
                        auto_scaling_group_name: g.name.clone(),
                        availability_zone: i.availability_zone,
                        availability_zone_id: i.availability_zone_id,
                        lifecycle_state: i.lifecycle_state,
                        health_status: i.health_status.to_uppercase(),
                        launch_template: i.launch_template,
                        protected_from_scale_in: i.protected_from_scale_in,
                    },
                ));
            }
        }
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let (page, next_token) = pager.page(list, |(k, _)| k.clone());
        Ok(DescribeAutoScalingInstancesOutput {
            auto_scaling_instances: page.into_iter().map(|(_, i)| i).collect(),
            next_token,
        })
    }

    /// Auto Scaling `SetDesiredCapacity`: the group launches or terminates (sparing protected
    /// instances) at its next check, at once.
    ///
    /// Errors: `ValidationError` for an unknown group, or "New SetDesiredCapacity value 10 is
    /// above max value 5 for the AutoScalingGroup." (below min likewise).
    pub fn set_desired_capacity(
        &mut self,
        caller: &Caller,
        input: SetDesiredCapacityInput,
    ) -> AwsResult<Empty> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let now = self.now();
        let group = self.autoscaling.live_group_mut(&key)?;
        let d = input.desired_capacity;
        if d > group.max_size {
            return Err(validation(format!(
                "New SetDesiredCapacity value {d} is above max value {} for the AutoScalingGroup.",
                group.max_size
            )));
        }
        if d < group.min_size {
            return Err(validation(format!(
                "New SetDesiredCapacity value {d} is below min value {} for the AutoScalingGroup.",
                group.min_size
            )));
        }
        if d != group.desired_capacity {
            group.pending_cause = Some(format!(
                "At {} a user request explicitly set group desired capacity changing the desired capacity from {} to {d}.",
                iso8601(now),
                group.desired_capacity
            ));
        }
        group.desired_capacity = d;
        self.schedule_group_check(&key, now);
        Ok(Empty {})
    }

    /// Auto Scaling `TerminateInstanceInAutoScalingGroup`: terminates one instance of a group;
    /// with `should_decrement_desired_capacity` the group shrinks by one, otherwise a
    /// replacement launches. Answers the termination's activity.
    ///
    /// Errors: `ValidationError` without an instance id, for an instance in none of the caller's
    /// groups ("Instance Id not found - No managed instance found for instance ID: i-…"), or when
    /// decrementing would go below the group's minimum.
    pub fn terminate_instance_in_auto_scaling_group(
        &mut self,
        caller: &Caller,
        input: TerminateInstanceInAutoScalingGroupInput,
    ) -> AwsResult<ActivityOutput> {
        let id = input
            .instance_id
            .clone()
            .ok_or_else(|| validation("Instance Id or InstanceIds must be specified"))?;
        let key = self
            .autoscaling
            .groups
            .iter()
            .find(|(k, g)| {
                k.0 == caller.account
                    && k.1 == caller.region
                    && g.members
                        .iter()
                        .any(|m| m.instance_id == id && m.lifecycle != Lifecycle::Terminating)
            })
            .map(|(k, _)| k.clone())
            .ok_or_else(|| {
                validation(format!(
                    "Instance Id not found - No managed instance found for instance ID: {id}"
                ))
            })?;
        let group = self.autoscaling.groups.get_mut(&key).expect("found above");
        if input.should_decrement_desired_capacity {
            if group.desired_capacity <= group.min_size {
                return Err(validation(format!(
                    "Currently, desiredSize equals minSize ({}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
                    group.min_size
                )));
            }
            group.desired_capacity -= 1;
        }
        self.terminate_member(&key, &id, Why::UserRequest);
        let activity = self
            .autoscaling
            .activities
            .iter()
            .rev()
            .find(|a| a.instance_id.as_deref() == Some(id.as_str()))
            .map(|a| a.shape())
            .expect("terminate_member records an activity");
        let now = self.now();
        self.schedule_group_check(&key, now);
        Ok(ActivityOutput { activity })
    }

    /// Auto Scaling `SetInstanceProtection`: protects instances of a group from scale-in (or
    /// lifts it). Protection does not stop health replacements or TerminateInstanceInAutoScalingGroup.
    ///
    /// Errors: `ValidationError` for an unknown group, more than 50 instances, or an instance
    /// that is not in the group ("The instance i-… is not part of Auto Scaling group web.").
    pub fn set_instance_protection(
        &mut self,
        caller: &Caller,
        input: SetInstanceProtectionInput,
    ) -> AwsResult<Empty> {
        let key = key_of(caller, &input.auto_scaling_group_name);
        let group = self.autoscaling.live_group_mut(&key)?;
        if input.instance_ids.len() > 50 {
            return Err(AwsError::new(
                "LimitExceeded",
                "The number of instances must not exceed 50.",
            ));
        }
        for id in &input.instance_ids {
            if !group.members.iter().any(|m| &m.instance_id == id) {
                return Err(validation(format!(
                    "The instance {id} is not part of Auto Scaling group {}.",
                    group.name
                )));
            }
        }
        for m in group.members.iter_mut() {
            if input.instance_ids.contains(&m.instance_id) {
                m.protected_from_scale_in = input.protected_from_scale_in;
            }
        }
        let now = self.now();
        self.schedule_group_check(&key, now);
        Ok(Empty {})
    }
}

//! DescribeInstances, and finding the caller's instances and security groups.

use super::*;
use crate::paging::{self, Pager};

impl Cloud {
    /// One of the caller's own instances in its region.
    pub(crate) fn own_instance(&self, caller: &Caller, id: &str) -> AwsResult<&Instance> {
        check_instance_id(id)?;
        self.region_ref(&caller.region)?
            .instances
            .get(id)
            .filter(|i| i.owner_id == caller.account)
            .ok_or_else(|| instances_not_found(&[id]))
    }

    pub(super) fn own_instance_mut(
        &mut self,
        caller: &Caller,
        id: &str,
    ) -> AwsResult<&mut Instance> {
        self.own_instance(caller, id)?;
        Ok(self
            .region_mut(&caller.region)?
            .instances
            .get_mut(id)
            .expect("checked above"))
    }

    /// The caller's security groups with these ids, as (id, name).
    pub(super) fn own_security_groups(
        &self,
        caller: &Caller,
        ids: &[String],
    ) -> AwsResult<Vec<(String, String)>> {
        let region = self.region_ref(&caller.region)?;
        ids.iter()
            .map(|gid| {
                region
                    .security_groups
                    .get(gid)
                    .filter(|g| g.owner_id == caller.account)
                    .map(|g| (g.id.clone(), g.name.clone()))
                    .ok_or_else(|| {
                        AwsError::new(
                            "InvalidGroup.NotFound",
                            format!("The security group '{gid}' does not exist"),
                        )
                    })
            })
            .collect()
    }

    /// Checks a list of instance ids: malformed first, then every unknown id named at once.
    pub(super) fn check_instance_ids(&self, caller: &Caller, ids: &[String]) -> AwsResult<()> {
        for id in ids {
            check_instance_id(id)?;
        }
        let region = self.region_ref(&caller.region)?;
        let missing: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| {
                region
                    .instances
                    .get(*id)
                    .is_none_or(|i| i.owner_id != caller.account)
            })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(instances_not_found(&missing))
        }
    }

    /// Empty list: `InvalidParameterCombination`; otherwise every id must be the caller's.
    pub(super) fn require_ids(&self, caller: &Caller, ids: &[String]) -> AwsResult<()> {
        if ids.is_empty() {
            return Err(AwsError::invalid_parameter_combination(
                "No instances specified",
            ));
        }
        self.check_instance_ids(caller, ids)
    }

    /// EC2 `DescribeInstances`: the caller's instances in its region (terminated ones for an hour
    /// after they terminate), narrowed by ids and filters, grouped by reservation.
    ///
    /// Pages by reservation: `max_results` 5–1000 (more is served as 1000), every reservation
    /// without it; not with `instance_ids` (`paging::DESCRIBE_INSTANCES`).
    ///
    /// Errors: `InvalidParameterCombination` for `instance_ids` with `max_results`;
    /// `InvalidParameterValue` for a page size below 5, an invalid `next_token` or an unknown
    /// filter name; `InvalidInstanceID.Malformed`; `InvalidInstanceID.NotFound` naming the ids
    /// that are not the caller's.
    pub fn describe_instances(
        &mut self,
        caller: &Caller,
        input: DescribeInstancesInput,
    ) -> AwsResult<DescribeInstancesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_INSTANCES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.instance_ids.is_empty(),
        )?;
        filters::validate::<Instance>(&input.filters)?;
        self.check_instance_ids(caller, &input.instance_ids)?;
        let wanted: BTreeSet<&str> = input.instance_ids.iter().map(String::as_str).collect();
        let matcher = Matcher::new(&input.filters);
        let region = self.region_ref(&caller.region)?;
        let mut found: Vec<&Instance> = region
            .instances
            .values()
            .filter(|i| i.owner_id == caller.account)
            .filter(|i| wanted.is_empty() || wanted.contains(i.id.as_str()))
            .filter(|i| matcher.matches(*i))
            .collect();
        found.sort_by_key(|i| i.seq);
        // Reservations in launch order, each keyed by its first instance's sequence number.
        let mut groups: Vec<(u64, &Instance, Vec<&Instance>)> = Vec::new();
        for instance in found {
            match groups.last_mut() {
                Some((_, first, members)) if first.reservation_id == instance.reservation_id => {
                    members.push(instance)
                }
                _ => groups.push((instance.seq, instance, vec![instance])),
            }
        }
        let (page, next_token) = pager.page(groups, |(seq, _, _)| paging::seq_key(*seq));
        let reservations = page
            .into_iter()
            .map(|(_, first, members)| ReservationShape {
                reservation_id: first.reservation_id.clone(),
                owner_id: first.owner_id.clone(),
                groups: Vec::new(),
                instances: members.iter().map(|i| i.describe(&caller.region)).collect(),
            })
            .collect();
        Ok(DescribeInstancesOutput {
            reservations,
            next_token,
        })
    }
}

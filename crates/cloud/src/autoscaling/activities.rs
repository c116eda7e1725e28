//! Scaling activities: the history of every launch and termination a group made, with its cause,
//! and DescribeScalingActivities (newest first).

use serde::Serialize;

use super::{validation, AutoScaling, GroupKey};
use crate::clock::iso8601;
use crate::error::AwsResult;
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};

/// One scaling activity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Activity {
    /// A UUID.
    pub id: String,
    /// The group it belongs to: (account, region, name).
    pub group: GroupKey,
    /// The group's ARN.
    pub group_arn: String,
    /// `Launching a new EC2 instance: i-…` / `Terminating EC2 instance: i-…`, or a failure.
    pub description: String,
    /// Why it happened, in Auto Scaling's words (`At 2025-06-02T08:20:00Z a user request …`).
    pub cause: String,
    /// When it started and ended (seconds since the Unix epoch).
    pub start: u64,
    /// When it ended; `None` while in progress.
    pub end: Option<u64>,
    /// `InProgress`, `Successful`, `Failed`…
    #[serde(deserialize_with = "crate::world::statics::activity_status")]
    pub status: crate::world::StaticStr,
    /// What went wrong, for a failed activity.
    pub status_message: Option<String>,
    /// The instance it launched or terminated.
    pub instance_id: Option<String>,
    /// Its zone and subnet, as the activity's `details` JSON says.
    pub details: String,
}

impl AutoScaling {
    /// Records an activity and returns its index.
    pub(crate) fn record(&mut self, activity: Activity) -> usize {
        self.activities.push(activity);
        self.activities.len() - 1
    }

    /// Ends the in-progress activity about `instance_id` as `Failed`, with why.
    pub(crate) fn fail_activity(&mut self, instance_id: &str, now: u64, message: String) {
        for a in self.activities.iter_mut().rev() {
            if a.instance_id.as_deref() == Some(instance_id) && a.status == "InProgress" {
                a.status = "Failed";
                a.end = Some(now);
                a.status_message = Some(message);
                return;
            }
        }
    }

    /// Ends the in-progress activity about `instance_id` (launch or termination), successfully.
    pub(crate) fn finish_activity(&mut self, instance_id: &str, now: u64) {
        for a in self.activities.iter_mut().rev() {
            if a.instance_id.as_deref() == Some(instance_id) && a.status == "InProgress" {
                a.status = "Successful";
                a.end = Some(now);
                return;
            }
        }
    }
}

request! {
    /// Input of Auto Scaling `DescribeScalingActivities`.
    #[derive(Default)]
    pub struct DescribeScalingActivitiesInput {
        ..not_simulated["include_managed_resources", "filters"],
        /// Only these activities.
        #[serde(default)]
        pub activity_ids: Vec<String>,
        /// Only this group's.
        pub auto_scaling_group_name: Option<String>,
        /// Include the activities of deleted groups (default false).
        pub include_deleted_groups: Option<bool>,
        /// Activities per page: 1–100, 100 when absent.
        pub max_records: Option<i64>,
        /// The `next_token` of the previous page.
        pub next_token: Option<String>,
    }
}

/// An activity as DescribeScalingActivities and TerminateInstanceInAutoScalingGroup show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityShape {
    /// Its id.
    pub activity_id: String,
    /// Its group.
    pub auto_scaling_group_name: String,
    /// What it does.
    pub description: String,
    /// Why.
    pub cause: String,
    /// When it started, ISO-8601.
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub start_time: String,
    /// When it ended, ISO-8601; absent while in progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::wire::timestamp")]
    pub end_time: Option<String>,
    /// `InProgress`, `Successful`, `Failed`.
    pub status_code: String,
    /// What went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// 0–100.
    pub progress: i64,
    /// JSON text: `{"Subnet ID":"subnet-…","Availability Zone":"us-east-1a"}`.
    pub details: String,
    /// The group's ARN.
    pub auto_scaling_group_arn: String,
}

impl Activity {
    pub(crate) fn shape(&self) -> ActivityShape {
        ActivityShape {
            activity_id: self.id.clone(),
            auto_scaling_group_name: self.group.2.clone(),
            description: self.description.clone(),
            cause: self.cause.clone(),
            start_time: iso8601(self.start),
            end_time: self.end.map(iso8601),
            status_code: self.status.to_string(),
            status_message: self.status_message.clone(),
            progress: if self.end.is_some() { 100 } else { 50 },
            details: self.details.clone(),
            auto_scaling_group_arn: self.group_arn.clone(),
        }
    }
}

/// DescribeScalingActivities' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivitiesOutput {
    /// The activities, newest first.
    pub activities: Vec<ActivityShape>,
    /// The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// TerminateInstanceInAutoScalingGroup's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityOutput {
    /// The termination's activity.
    pub activity: ActivityShape,
}

impl Cloud {
    /// Auto Scaling `DescribeScalingActivities`: the caller's activities in its region, newest
    /// first; of one group with `auto_scaling_group_name` (an unknown group has none), of
    /// existing groups only unless `include_deleted_groups`.
    ///
    /// Errors: `ValidationError` for a page size outside 1–100; `InvalidNextToken`.
    pub fn describe_scaling_activities(
        &mut self,
        caller: &Caller,
        input: DescribeScalingActivitiesInput,
    ) -> AwsResult<ActivitiesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_SCALING_ACTIVITIES,
            caller,
            input.max_records,
            input.next_token.as_deref(),
            false,
        )?;
        if input.activity_ids.len() > 50 {
            return Err(validation("The number of activity ids must not exceed 50."));
        }
        let deleted_too = input.include_deleted_groups == Some(true);
        let asg = &self.autoscaling;
        let mut keyed: Vec<(String, ActivityShape)> = asg
            .activities
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, a)| a.group.0 == caller.account && a.group.1 == caller.region)
            .filter(|(_, a)| {
                input
                    .auto_scaling_group_name
                    .as_ref()
                    .is_none_or(|n| *n == a.group.2)
            })
            .filter(|(_, a)| input.activity_ids.is_empty() || input.activity_ids.contains(&a.id))
            .filter(|(_, a)| {
                deleted_too
                    || asg
                        .groups
                        .get(&a.group)
                        .is_some_and(|g| g.arn == a.group_arn)
            })
            // Newest first: the key counts down as activities get older.
            .map(|(i, a)| (paging::seq_key(u64::MAX - i as u64), a.shape()))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let (page, next_token) = pager.page(keyed, |(k, _)| k.clone());
        Ok(ActivitiesOutput {
            activities: page.into_iter().map(|(_, a)| a).collect(),
            next_token,
        })
    }
}

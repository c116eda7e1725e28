//! Scheduled state transitions: every lifecycle change (pending → available, stopping →
//! stopped, …) is an event on the simulated clock, applied in time order when time advances.

use std::collections::BTreeMap;

use super::Cloud;

/// A transition due at some simulated instant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    ImageAvailable {
        region: String,
        image_id: String,
    },
    SnapshotCompleted {
        region: String,
        snapshot_id: String,
    },
    VolumeAvailable {
        region: String,
        volume_id: String,
    },
    InstanceRunning {
        region: String,
        instance_id: String,
    },
    InstanceStopped {
        region: String,
        instance_id: String,
    },
    InstanceTerminated {
        region: String,
        instance_id: String,
    },
    /// A terminated instance drops out of DescribeInstances.
    InstanceForgotten {
        region: String,
        instance_id: String,
    },
    CommandFinished {
        command_id: String,
        instance_id: String,
    },
    /// An Auto Scaling group's check is due.
    AutoScalingCheck {
        account: String,
        region: String,
        name: String,
    },
    /// A KMS key's scheduled deletion falls due (`at`: the deletion date it was scheduled for).
    KmsKeyDeleted {
        key_id: String,
        at: u64,
    },
    /// A volume whose KMS key EBS could not use disappears instead of becoming available.
    VolumeCreationFailed {
        region: String,
        volume_id: String,
    },
    /// A snapshot copy whose KMS key EBS could not use ends in state `error`.
    SnapshotCopyFailed {
        region: String,
        snapshot_id: String,
    },
    /// An image copy whose KMS key EBS could not use ends in state `failed`.
    ImageCopyFailed {
        region: String,
        image_id: String,
    },
    /// An Image Builder build's next step is due.
    ImageBuildStep {
        image_arn: String,
    },
    /// An image pipeline's schedule falls due (`at`: the instant it was scheduled for).
    PipelineScheduled {
        pipeline_arn: String,
        at: u64,
    },
}

/// Events ordered by (due time, insertion order), so equal times apply in the order scheduled.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    #[serde(with = "serde_with::As::<serde_with::Seq<(serde_with::Same, serde_with::Same)>>")]
    events: BTreeMap<(u64, u64), Event>,
    counter: u64,
}

impl Schedule {
    pub fn at(&mut self, time: u64, event: Event) {
        self.counter += 1;
        self.events.insert((time, self.counter), event);
    }

    /// Removes and returns the earliest event due at or before `until`.
    pub fn pop_due(&mut self, until: u64) -> Option<(u64, Event)> {
        let (&key, _) = self.events.iter().next()?;
        if key.0 > until {
            return None;
        }
        self.events.remove(&key).map(|e| (key.0, e))
    }

    /// When the next event is due, if any.
    #[cfg(test)]
    pub fn next_due(&self) -> Option<u64> {
        self.events.keys().next().map(|k| k.0)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.events.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

impl Cloud {
    /// Schedules `event` `delay` seconds from now.
    pub(crate) fn schedule_in(&mut self, delay: u64, event: Event) {
        let at = self.now().saturating_add(delay);
        self.schedule.at(at, event);
    }
}

/// Applies one due event. Events whose resource moved on meanwhile (an instance terminated
/// while pending, say) are ignored: each handler checks the state it expects.
pub(crate) fn apply(cloud: &mut Cloud, event: Event) {
    match event {
        Event::ImageAvailable { region, image_id } => cloud.finish_image(&region, &image_id),
        Event::SnapshotCompleted {
            region,
            snapshot_id,
        } => cloud.finish_snapshot(&region, &snapshot_id),
        Event::VolumeAvailable { region, volume_id } => cloud.finish_volume(&region, &volume_id),
        Event::InstanceRunning {
            region,
            instance_id,
        } => {
            cloud.finish_boot(&region, &instance_id);
            cloud.instance_changed(&region, &instance_id);
        }
        Event::InstanceStopped {
            region,
            instance_id,
        } => {
            cloud.finish_stop(&region, &instance_id);
            cloud.instance_changed(&region, &instance_id);
        }
        Event::InstanceTerminated {
            region,
            instance_id,
        } => {
            cloud.finish_termination(&region, &instance_id);
            cloud.instance_changed(&region, &instance_id);
        }
        Event::InstanceForgotten {
            region,
            instance_id,
        } => cloud.forget_instance(&region, &instance_id),
        Event::CommandFinished {
            command_id,
            instance_id,
        } => {
            cloud.finish_command(&command_id, &instance_id);
            cloud.instance_ran_command(&instance_id);
        }
        Event::AutoScalingCheck {
            account,
            region,
            name,
        } => cloud.group_check_due(&(account, region, name)),
        Event::KmsKeyDeleted { key_id, at } => cloud.finish_key_deletion(&key_id, at),
        Event::VolumeCreationFailed { region, volume_id } => {
            cloud.fail_volume_creation(&region, &volume_id)
        }
        Event::SnapshotCopyFailed {
            region,
            snapshot_id,
        } => cloud.fail_snapshot_copy(&region, &snapshot_id),
        Event::ImageCopyFailed { region, image_id } => cloud.fail_image_copy(&region, &image_id),
        Event::ImageBuildStep { image_arn } => cloud.image_build_step(&image_arn),
        Event::PipelineScheduled { pipeline_arn, at } => {
            cloud.pipeline_schedule_due(&pipeline_arn, at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_pop_in_time_then_insertion_order() {
        let mut s = Schedule::default();
        let ev = |id: &str| Event::ImageAvailable {
            region: "r".into(),
            image_id: id.into(),
        };
        s.at(20, ev("late"));
        s.at(10, ev("first"));
        s.at(10, ev("second"));
        assert_eq!(s.next_due(), Some(10));
        assert_eq!(s.pop_due(15), Some((10, ev("first"))));
        assert_eq!(s.pop_due(15), Some((10, ev("second"))));
        assert_eq!(s.pop_due(15), None);
        assert_eq!(s.len(), 1);
        assert_eq!(s.pop_due(20), Some((20, ev("late"))));
        assert!(s.is_empty());
    }
}

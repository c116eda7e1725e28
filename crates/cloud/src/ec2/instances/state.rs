//! StopInstances, StartInstances, RebootInstances and TerminateInstances, and the moments each change completes.

use super::*;
use crate::clock::user_initiated;

impl Cloud {
    /// EC2 `StopInstances`: `running` (or `pending`) instances go `stopping` and,
    /// [`durations::STOP`] seconds later, `stopped`; they give up their public address, and
    /// instance-store data is lost. Buffered writes reach the disk (a clean shutdown). With
    /// `force` or `skip_os_shutdown` the operating system is not shut down, so the stop takes
    /// [`durations::WITHOUT_OS_SHUTDOWN`] seconds. The state transition reason says when
    /// (`User initiated (2025-06-02 09:01:00 GMT)`). Instances in other states are reported
    /// unchanged.
    ///
    /// Errors: `InvalidParameterCombination` for an empty list; `InvalidInstanceID.Malformed` /
    /// `InvalidInstanceID.NotFound`; `UnsupportedOperation` for an instance-store-backed instance;
    /// `OperationNotPermitted` while `disable_api_stop` is set; `IncorrectInstanceState` for an
    /// instance that never reached `running` or is terminating;
    /// `UnsupportedHibernationConfiguration` for `hibernate: true`.
    pub fn stop_instances(
        &mut self,
        caller: &Caller,
        input: StopInstancesInput,
    ) -> AwsResult<StoppingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        let skip_shutdown = input.force == Some(true) || input.skip_os_shutdown == Some(true);
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if i.profile.root_device != RootDevice::Ebs {
                return Err(AwsError::new(
                    "UnsupportedOperation",
                    format!("The instance '{id}' does not have an 'ebs' root device type and cannot be stopped."),
                ));
            }
            if i.disable_api_stop {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again."),
                ));
            }
            match i.state {
                InstanceState::Pending if !i.ever_running => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
                    ))
                }
                InstanceState::ShuttingDown | InstanceState::Terminated => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!("This instance '{id}' is not in a state from which it can be stopped."),
                    ))
                }
                _ => {}
            }
            if input.hibernate == Some(true) {
                return Err(AwsError::new(
                    "UnsupportedHibernationConfiguration",
                    format!("The instance '{id}' is not enabled for hibernation."),
                ));
            }
        }
        let stopping_instances = self.transition(
            caller,
            &input.instance_ids,
            Transition {
                applies: |s| matches!(s, InstanceState::Running | InstanceState::Pending),
                apply: |cloud, caller, id| {
                    let reason = user_initiated(cloud.now());
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::Stopping;
                    i.state_transition_reason = reason;
                    i.state_reason = Some((
                        "Client.UserInitiatedShutdown".into(),
                        "Client.UserInitiatedShutdown: User initiated shutdown".into(),
                    ));
                    let guest = Arc::make_mut(&mut i.guest);
                    guest.shutdown();
                    guest.wipe_instance_store();
                    Ok(())
                },
                delay: if skip_shutdown {
                    durations::WITHOUT_OS_SHUTDOWN
                } else {
                    durations::STOP
                },
                event: |region, instance_id| Event::InstanceStopped {
                    region,
                    instance_id,
                },
            },
        )?;
        Ok(StoppingOutput { stopping_instances })
    }

    /// EC2 `StartInstances`: `stopped` instances go `pending`, with a new public address, and
    /// `running` [`durations::EBS_BOOT`] seconds later. Instances already pending or running are
    /// reported unchanged.
    ///
    /// Errors: `InvalidParameterCombination` for an empty list; `InvalidInstanceID.Malformed` /
    /// `InvalidInstanceID.NotFound`; `IncorrectInstanceState` for an instance that is stopping,
    /// terminating or terminated.
    pub fn start_instances(
        &mut self,
        caller: &Caller,
        input: StartInstancesInput,
    ) -> AwsResult<StartingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if !matches!(
                i.state,
                InstanceState::Stopped | InstanceState::Running | InstanceState::Pending
            ) {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in a state from which it can be started."),
                ));
            }
        }
        let starting_instances = self.transition(
            caller,
            &input.instance_ids,
            Transition {
                applies: |s| s == InstanceState::Stopped,
                apply: |cloud, caller, id| {
                    // A stopped instance gave up its public address; it gets a new one.
                    let ip = cloud.new_public_ip();
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::Pending;
                    i.public_ip = Some(ip);
                    i.state_transition_reason = String::new();
                    i.state_reason = Some(("pending".into(), "pending".into()));
                    Ok(())
                },
                delay: durations::EBS_BOOT,
                event: |region, instance_id| Event::InstanceRunning {
                    region,
                    instance_id,
                },
            },
        )?;
        Ok(StartingOutput { starting_instances })
    }

    /// EC2 `RebootInstances`: a clean restart of the running instances (buffered writes reach the
    /// disk); the state stays `running`. Answers `{}`.
    ///
    /// Errors: `InvalidParameterCombination` for an empty list; `InvalidInstanceID.Malformed` /
    /// `InvalidInstanceID.NotFound`; `IncorrectInstanceState` for a terminating or terminated
    /// instance.
    pub fn reboot_instances(
        &mut self,
        caller: &Caller,
        input: RebootInstancesInput,
    ) -> AwsResult<Empty> {
        self.require_ids(caller, &input.instance_ids)?;
        for id in &input.instance_ids {
            let i = self.own_instance(caller, id)?;
            if matches!(
                i.state,
                InstanceState::Terminated | InstanceState::ShuttingDown
            ) {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!("The instance '{id}' is not in a state from which it can be rebooted."),
                ));
            }
        }
        for id in &input.instance_ids {
            let i = self.own_instance_mut(caller, id)?;
            if i.state == InstanceState::Running {
                // A reboot is a clean restart: buffered writes reach the disk.
                let guest = Arc::make_mut(&mut i.guest);
                guest.shutdown();
                guest.boot();
            }
        }
        Ok(Empty {})
    }

    /// EC2 `TerminateInstances`: instances go `shutting-down` and, [`durations::TERMINATE`] seconds
    /// later ([`durations::WITHOUT_OS_SHUTDOWN`] with `force` or `skip_os_shutdown`),
    /// `terminated`; volumes marked `delete_on_termination` are deleted, the others become
    /// `available`. Idempotent: terminated instances are reported unchanged.
    ///
    /// Errors: `InvalidParameterCombination` for an empty list; `InvalidInstanceID.Malformed` /
    /// `InvalidInstanceID.NotFound` (and nothing is terminated); `OperationNotPermitted` while
    /// `disable_api_termination` is set.
    pub fn terminate_instances(
        &mut self,
        caller: &Caller,
        input: TerminateInstancesInput,
    ) -> AwsResult<TerminatingOutput> {
        self.require_ids(caller, &input.instance_ids)?;
        let skip_shutdown = input.force == Some(true) || input.skip_os_shutdown == Some(true);
        for id in &input.instance_ids {
            if self.own_instance(caller, id)?.disable_api_termination {
                return Err(AwsError::new(
                    "OperationNotPermitted",
                    format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
                ));
            }
        }
        let terminating_instances = self.shut_down(caller, &input.instance_ids, skip_shutdown)?;
        Ok(TerminatingOutput {
            terminating_instances,
        })
    }

    /// Terminates an instance on behalf of an AWS service (an Auto Scaling group replacing or
    /// shrinking): termination protection does not stop it ("Termination protection does not
    /// prevent Amazon EC2 Auto Scaling from terminating an instance", EC2 User Guide). An
    /// instance already shutting down or gone is left as it is.
    pub(crate) fn terminate_for_service(&mut self, caller: &Caller, id: &str) {
        let live = self
            .region(&caller.region)
            .and_then(|r| r.instances.get(id))
            .is_some_and(|i| i.owner_id == caller.account && i.state.is_live());
        if live {
            // The instance exists, is the caller's and is live: the transition cannot fail.
            let _ = self.shut_down(caller, &[id.to_string()], false);
        }
    }

    /// `… → shutting-down`, then `terminated` after the shutdown delay.
    fn shut_down(
        &mut self,
        caller: &Caller,
        ids: &[String],
        skip_shutdown: bool,
    ) -> AwsResult<Vec<StateChangeShape>> {
        self.transition(
            caller,
            ids,
            Transition {
                applies: InstanceState::is_live,
                apply: |cloud, caller, id| {
                    let reason = user_initiated(cloud.now());
                    let i = cloud.own_instance_mut(caller, id)?;
                    i.state = InstanceState::ShuttingDown;
                    i.state_transition_reason = reason;
                    i.state_reason = Some((
                        "Client.UserInitiatedShutdown".into(),
                        "Client.UserInitiatedShutdown: User initiated shutdown".into(),
                    ));
                    Arc::make_mut(&mut i.guest).shutdown();
                    Ok(())
                },
                delay: if skip_shutdown {
                    durations::WITHOUT_OS_SHUTDOWN
                } else {
                    durations::TERMINATE
                },
                event: |region, instance_id| Event::InstanceTerminated {
                    region,
                    instance_id,
                },
            },
        )
    }

    /// Applies a state change to every instance it applies to (others are reported as they
    /// are, as EC2 does), schedules where each goes next, and reports previous → current.
    pub(super) fn transition(
        &mut self,
        caller: &Caller,
        ids: &[String],
        t: Transition,
    ) -> AwsResult<Vec<StateChangeShape>> {
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            let previous = self.own_instance(caller, id)?.state;
            if (t.applies)(previous) {
                (t.apply)(self, caller, id)?;
                if previous == InstanceState::Running {
                    // Billing stops when the instance leaves `running` (stopping, shutting down).
                    let i = self.own_instance(caller, id)?;
                    let (owner, meter) = (i.owner_id.clone(), crate::ce::ledger::instance_meter(i));
                    self.meter(&owner, &caller.region, id, meter, false);
                }
                self.schedule_in(t.delay, (t.event)(caller.region.clone(), id.clone()));
                // An Auto Scaling group sees its member leave `running` at once.
                self.instance_changed(&caller.region, id);
            }
            changes.push(StateChangeShape {
                instance_id: id.clone(),
                current_state: self.own_instance(caller, id)?.state.shape(),
                previous_state: previous.shape(),
            });
        }
        Ok(changes)
    }

    /// `pending` → `running`; the first boot runs the user data, like cloud-init.
    pub(crate) fn finish_boot(&mut self, region: &str, id: &str) {
        let mut regex_budget = self.guest_regex_left;
        let Some(i) = self
            .region_mut_opt(region)
            .and_then(|r| r.instances.get_mut(id))
        else {
            return;
        };
        if i.state != InstanceState::Pending {
            return;
        }
        if let Some(reason) = i.boot_failure.take() {
            i.state = InstanceState::ShuttingDown;
            i.state_transition_reason = "Server.InternalError".into();
            i.state_reason = Some(reason);
            self.finish_termination(region, id);
            return;
        }
        i.state = InstanceState::Running;
        i.state_reason = None;
        // Billing starts when the instance enters `running`.
        let (owner, meter) = (i.owner_id.clone(), crate::ce::ledger::instance_meter(i));
        let first_boot = !i.ever_running;
        i.ever_running = true;
        let metadata = i.metadata(region);
        let guest = Arc::make_mut(&mut i.guest);
        // The instance metadata service answers for this instance (its address may have
        // changed since the last boot); cloud-init names the host after its private address.
        guest.clear_instance_metadata();
        for (key, value) in &metadata {
            guest.set_instance_metadata(key, value);
        }
        if first_boot {
            guest.set_hostname(&metadata[0].1);
        }
        guest.set_machine(match i.profile.architecture {
            Arch::Arm64 => "aarch64",
            Arch::I386 => "i686",
            Arch::X86_64 => "x86_64",
        });
        guest.boot();
        if first_boot {
            if let Some(data) = &i.user_data {
                let lines: Vec<String> = data
                    .lines()
                    .filter(|l| !l.starts_with("#!"))
                    .map(str::to_string)
                    .collect();
                let result = guest.run_script_within(&lines, &mut regex_budget);
                i.console_output = format!(
                    "cloud-init: running user data ({} lines)\n{}{}cloud-init: user data finished with exit code {}\n",
                    lines.len(),
                    result.stdout,
                    result.stderr,
                    result.exit_code
                );
            }
        }
        self.guest_regex_left = regex_budget;
        self.meter(&owner, region, id, meter, true);
    }

    pub(crate) fn finish_stop(&mut self, region: &str, id: &str) {
        if let Some(i) = self
            .region_mut_opt(region)
            .and_then(|r| r.instances.get_mut(id))
        {
            if i.state == InstanceState::Stopping {
                i.state = InstanceState::Stopped;
                i.public_ip = None;
                i.state_reason = Some((
                    "Client.UserInitiatedShutdown".into(),
                    "Client.UserInitiatedShutdown: User initiated shutdown".into(),
                ));
            }
        }
    }

    /// `shutting-down` → `terminated`: volumes marked delete-on-termination go, the others
    /// become `available`.
    pub(crate) fn finish_termination(&mut self, region: &str, id: &str) {
        let Some(r) = self.region_mut_opt(region) else {
            return;
        };
        let Some(i) = r.instances.get_mut(id) else {
            return;
        };
        if i.state != InstanceState::ShuttingDown {
            return;
        }
        i.state = InstanceState::Terminated;
        i.public_ip = None;
        let mappings = std::mem::take(&mut i.mappings);
        let mut deleted = Vec::new();
        for m in mappings {
            if let Some(vid) = m.volume_id {
                if m.delete_on_termination {
                    deleted.extend(r.volumes.remove(&vid));
                } else if let Some(v) = r.volumes.get_mut(&vid) {
                    v.state = VolumeState::Available;
                    v.attachment = None;
                }
            }
        }
        for gone in &deleted {
            self.meter_volume(region, gone, false);
        }
        self.schedule_in(
            durations::TERMINATED_VISIBLE,
            Event::InstanceForgotten {
                region: region.to_string(),
                instance_id: id.to_string(),
            },
        );
    }

    pub(crate) fn forget_instance(&mut self, region: &str, id: &str) {
        if let Some(r) = self.region_mut_opt(region) {
            if r.instances
                .get(id)
                .is_some_and(|i| i.state == InstanceState::Terminated)
            {
                r.instances.remove(id);
            }
        }
    }
}

/// One kind of state change (stop, start, terminate).
pub(super) struct Transition {
    /// Which current states the change applies to.
    applies: fn(InstanceState) -> bool,
    apply: fn(&mut Cloud, &Caller, &str) -> AwsResult<()>,
    /// When the instance reaches its next state, and the event that takes it there.
    delay: u64,
    event: fn(String, String) -> Event,
}

//! ModifyInstanceAttribute, DescribeInstanceAttribute and GetConsoleOutput.

use super::*;

impl Cloud {
    /// EC2 `ModifyInstanceAttribute`: changes one or more of the instance's attributes. Answers
    /// `{}`.
    ///
    /// Errors: `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`; `MissingParameter` for
    /// `attribute` without `value`; `InvalidParameterValue` for an unknown attribute, instance type
    /// or shutdown behaviour, or an incompatible type; `IncorrectInstanceState` for a new type or
    /// user data while the instance is not stopped; `InvalidParameterCombination` for a type that
    /// cannot run its paravirtual image; `UnsupportedOperation` for a type that cannot boot its
    /// instance-store root; `InvalidGroup.NotFound`.
    pub fn modify_instance_attribute(
        &mut self,
        caller: &Caller,
        input: ModifyInstanceAttributeInput,
    ) -> AwsResult<Empty> {
        let instance = self.own_instance(caller, &input.instance_id)?.clone();
        // The flat form: `attribute` + `value`.
        let mut new_type = input.instance_type.as_ref().and_then(|v| v.value.clone());
        let mut termination = input.disable_api_termination.as_ref().and_then(|v| v.value);
        let mut stop = input.disable_api_stop.as_ref().and_then(|v| v.value);
        let mut behavior = input
            .instance_initiated_shutdown_behavior
            .as_ref()
            .and_then(|v| v.value.clone());
        let mut user_data = input.user_data.as_ref().and_then(|v| v.value.clone());
        if let Some(attr) = &input.attribute {
            let value = input.value.clone().ok_or_else(|| {
                AwsError::missing_parameter("The request must contain the parameter value")
            })?;
            let as_bool = || value.eq_ignore_ascii_case("true");
            match attr.as_str() {
                "instanceType" => new_type = Some(value.clone()),
                "disableApiTermination" => termination = Some(as_bool()),
                "disableApiStop" => stop = Some(as_bool()),
                "instanceInitiatedShutdownBehavior" => behavior = Some(value.clone()),
                "userData" => user_data = Some(value.clone()),
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "Value ({other}) for parameter attribute is invalid. Valid attributes: instanceType, disableApiTermination, disableApiStop, instanceInitiatedShutdownBehavior, userData"
                    )))
                }
            }
        }
        let stopped = instance.state == InstanceState::Stopped;
        if let Some(t) = &new_type {
            let info = instance_type(t).ok_or_else(|| unknown_instance_type(t))?;
            if !stopped {
                return Err(AwsError::new(
                    "IncorrectInstanceState",
                    format!(
                        "The instance '{}' is not in the 'stopped' state.",
                        instance.id
                    ),
                ));
            }
            check_compatible(&instance.image_id, &instance.profile, info)?;
        }
        if user_data.is_some() && !stopped {
            return Err(AwsError::new(
                "IncorrectInstanceState",
                format!(
                    "The instance '{}' is not in the 'stopped' state.",
                    instance.id
                ),
            ));
        }
        if let Some(b) = &behavior {
            if !["stop", "terminate"].contains(&b.as_str()) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({b}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate"
                )));
            }
        }
        let groups = self.own_security_groups(caller, &input.groups)?;
        let i = self.own_instance_mut(caller, &input.instance_id)?;
        if let Some(t) = new_type {
            i.instance_type = t;
        }
        if let Some(v) = termination {
            i.disable_api_termination = v;
        }
        if let Some(v) = stop {
            i.disable_api_stop = v;
        }
        if let Some(v) = behavior {
            i.shutdown_behavior = v;
        }
        if let Some(v) = user_data {
            i.user_data = Some(v);
        }
        if let Some(v) = input.ebs_optimized.as_ref().and_then(|v| v.value) {
            i.ebs_optimized = v;
        }
        if !groups.is_empty() {
            i.security_groups = groups;
        }
        Ok(Empty {})
    }

    /// EC2 `DescribeInstanceAttribute`: one attribute of one of the caller's instances; `userData`
    /// comes back base64-encoded, as in EC2.
    ///
    /// Errors: `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`;
    /// `InvalidParameterValue` for an unknown attribute.
    pub fn describe_instance_attribute(
        &mut self,
        caller: &Caller,
        input: DescribeInstanceAttributeInput,
    ) -> AwsResult<InstanceAttributeOutput> {
        let i = self.own_instance(caller, &input.instance_id)?;
        let mut out = InstanceAttributeOutput {
            instance_id: i.id.clone(),
            ..Default::default()
        };
        let s = |v: &str| {
            Some(StringValueShape {
                value: Some(v.to_string()),
            })
        };
        match input.attribute.as_str() {
            "instanceType" => out.instance_type = s(&i.instance_type),
            "disableApiTermination" => out.disable_api_termination = Some(BoolValueShape { value: i.disable_api_termination }),
            "disableApiStop" => out.disable_api_stop = Some(BoolValueShape { value: i.disable_api_stop }),
            "userData" => out.user_data = Some(StringValueShape { value: i.user_data.as_deref().map(base64) }),
            "instanceInitiatedShutdownBehavior" => out.instance_initiated_shutdown_behavior = s(&i.shutdown_behavior),
            "rootDeviceName" => out.root_device_name = s(&i.profile.root_device_name),
            "groupSet" => {
                out.groups = Some(
                    i.security_groups
                        .iter()
                        .map(|(id, name)| GroupShape { group_id: id.clone(), group_name: name.clone() })
                        .collect(),
                )
            }
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "Value ({other}) for parameter attribute is invalid. Valid attributes: instanceType, disableApiTermination, disableApiStop, userData, instanceInitiatedShutdownBehavior, rootDeviceName, groupSet"
                )))
            }
        }
        Ok(out)
    }

    /// EC2 `ModifyInstanceMetadataOptions`: changes the named metadata options of one of the
    /// caller's instances (running or stopped) at once, and answers them.
    ///
    /// Errors: `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`;
    /// `IncorrectInstanceState` for a terminated or terminating instance; `InvalidParameterValue`
    /// for a value outside a member's set or a hop limit outside 1–64 (and nothing changes).
    pub fn modify_instance_metadata_options(
        &mut self,
        caller: &Caller,
        input: ModifyInstanceMetadataOptionsInput,
    ) -> AwsResult<ModifyInstanceMetadataOptionsOutput> {
        let instance = self.own_instance(caller, &input.instance_id)?;
        if !instance.state.is_live() {
            return Err(AwsError::new(
                "IncorrectInstanceState",
                format!(
                    "The instance '{}' is not in a state from which its metadata options can be modified.",
                    instance.id
                ),
            ));
        }
        let mut options = instance.metadata_options.clone();
        options.apply(&input.options())?;
        let instance = self.own_instance_mut(caller, &input.instance_id)?;
        instance.metadata_options = options;
        Ok(ModifyInstanceMetadataOptionsOutput {
            instance_id: instance.id.clone(),
            instance_metadata_options: instance.metadata_options.shape(),
        })
    }

    /// EC2 `GetConsoleOutput`: what the instance printed at its first boot (cloud-init running the
    /// user data).
    ///
    /// Errors: `InvalidInstanceID.Malformed` / `InvalidInstanceID.NotFound`.
    pub fn get_console_output(
        &mut self,
        caller: &Caller,
        input: GetConsoleOutputInput,
    ) -> AwsResult<ConsoleOutput> {
        let i = self.own_instance(caller, &input.instance_id)?;
        Ok(ConsoleOutput {
            instance_id: i.id.clone(),
            timestamp: iso8601(self.now()),
            output: i.console_output.clone(),
        })
    }
}

/// Base64 for the userData attribute, as EC2 returns it.
pub(super) fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

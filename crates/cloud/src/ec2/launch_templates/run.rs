//! RunInstances from a launch template: the version's parameters under the request's, and the aws:ec2launchtemplate tags.

use super::*;

impl Cloud {
    /// RunInstances' `launch_template`: the request with the template version's parameters
    /// under its own (a member the request sets wins; lists count as set when not empty), and
    /// the `aws:ec2launchtemplate:id` / `aws:ec2launchtemplate:version` tags the instances get.
    ///
    /// Errors: those of naming a template (none named: `MissingParameter`);
    /// `InvalidLaunchTemplateId.VersionNotFound`.
    pub(crate) fn apply_launch_template(
        &self,
        caller: &Caller,
        mut input: RunInstancesInput,
    ) -> AwsResult<(RunInstancesInput, Vec<(String, String)>)> {
        let Some(spec) = input.launch_template.take() else {
            return Ok((input, Vec::new()));
        };
        let template = self.own_launch_template(
            caller,
            spec.launch_template_id.as_deref(),
            spec.launch_template_name.as_deref(),
        )?;
        let version = template.resolve(spec.version.as_deref())?;
        let data = version.data.clone();
        fn fill<T>(slot: &mut Option<T>, from: Option<T>) {
            if slot.is_none() {
                *slot = from;
            }
        }
        fn fill_list<T>(slot: &mut Vec<T>, from: Option<Vec<T>>) {
            if slot.is_empty() {
                *slot = from.unwrap_or_default();
            }
        }
        fill(&mut input.image_id, data.image_id);
        fill(&mut input.instance_type, data.instance_type);
        fill(&mut input.key_name, data.key_name);
        if input.security_group_ids.is_empty() && input.security_groups.is_empty() {
            input.security_group_ids = data.security_group_ids.unwrap_or_default();
            input.security_groups = data.security_groups.unwrap_or_default();
        }
        if input.user_data.is_none() {
            input.user_data = data
                .user_data
                .as_deref()
                .map(decode_user_data)
                .transpose()?;
        }
        fill(&mut input.placement, data.placement);
        fill_list(&mut input.block_device_mappings, data.block_device_mappings);
        fill_list(&mut input.tag_specifications, data.tag_specifications);
        fill(
            &mut input.disable_api_termination,
            data.disable_api_termination,
        );
        fill(&mut input.disable_api_stop, data.disable_api_stop);
        fill(
            &mut input.instance_initiated_shutdown_behavior,
            data.instance_initiated_shutdown_behavior,
        );
        fill(&mut input.ebs_optimized, data.ebs_optimized);
        fill(&mut input.monitoring, data.monitoring);
        fill(&mut input.iam_instance_profile, data.iam_instance_profile);
        fill(&mut input.metadata_options, data.metadata_options);
        let tags = vec![
            ("aws:ec2launchtemplate:id".to_string(), template.id.clone()),
            (
                "aws:ec2launchtemplate:version".to_string(),
                version.number.to_string(),
            ),
        ];
        Ok((input, tags))
    }
}

//! CreateLaunchTemplate, CreateLaunchTemplateVersion, ModifyLaunchTemplate and the two deletes: where templates and their versions come from and go.

use super::*;

impl Cloud {
    /// EC2 `CreateLaunchTemplate`: a template whose version 1 holds `launch_template_data`,
    /// default and latest. The data is checked as EC2 checks it at creation (user data, tag
    /// specifications, shutdown behaviour); the image, type, key pair and groups only at launch.
    ///
    /// Errors: `InvalidLaunchTemplateName.MalformedException` for a name outside 3–128 of
    /// `a-z A-Z 0-9 ( ) . - / _`; `InvalidLaunchTemplateName.AlreadyExistsException` "Launch
    /// template name already in use." for a name the account already uses in the region;
    /// `InvalidUserData.Malformed` for user data that is not base64; `InvalidParameterValue`
    /// (a description over 255 characters, a tag resource type other than `launch-template`,
    /// or `instance` / `volume` inside the data, bad tags); `TagLimitExceeded`.
    pub fn create_launch_template(
        &mut self,
        caller: &Caller,
        input: CreateLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        check_name(&input.launch_template_name)?;
        check_description(input.version_description.as_deref())?;
        input.launch_template_data.validate()?;
        let tags = tags_for(
            &input.tag_specifications,
            &["launch-template"],
            "launch-template",
        )?;
        let region = self.region_ref(&caller.region)?;
        if region
            .launch_templates
            .values()
            .any(|t| t.owner_id == caller.account && t.name == input.launch_template_name)
        {
            return Err(AwsError::new(
                "InvalidLaunchTemplateName.AlreadyExistsException",
                "Launch template name already in use.",
            ));
        }
        let now = self.now();
        let id = self.ids.next("lt");
        let version = LaunchTemplateVersion {
            number: 1,
            description: input.version_description,
            create_time: now,
            data: input.launch_template_data,
        };
        let template = LaunchTemplate {
            id: id.clone(),
            name: input.launch_template_name,
            owner_id: caller.account.clone(),
            create_time: now,
            default_version: 1,
            last_number: 1,
            versions: BTreeMap::from([(1, version)]),
            tags,
        };
        let shape = template.shape();
        self.region_mut(&caller.region)?
            .launch_templates
            .insert(id, template);
        Ok(LaunchTemplateOutput {
            launch_template: shape,
        })
    }

    /// EC2 `CreateLaunchTemplateVersion`: the template's next version (numbers are never
    /// reused), not the default. With `source_version`, the new version starts from that
    /// version's parameters and `launch_template_data`'s members replace them member by member.
    ///
    /// Errors: those of naming a template (`InvalidParameterCombination`, `MissingParameter`,
    /// `InvalidLaunchTemplateId.NotFound`, `InvalidLaunchTemplateName.NotFoundException`);
    /// `InvalidLaunchTemplateId.VersionNotFound` for an unknown `source_version`; the data
    /// errors of [`Cloud::create_launch_template`].
    pub fn create_launch_template_version(
        &mut self,
        caller: &Caller,
        input: CreateLaunchTemplateVersionInput,
    ) -> AwsResult<CreateLaunchTemplateVersionOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        check_description(input.version_description.as_deref())?;
        let data = match &input.source_version {
            Some(source) => template
                .resolve(Some(source))?
                .data
                .overridden_by(&input.launch_template_data),
            None => input.launch_template_data.clone(),
        };
        data.validate()?;
        let id = template.id.clone();
        let now = self.now();
        let template = self.launch_template_mut(caller, &id)?;
        template.last_number += 1;
        let version = LaunchTemplateVersion {
            number: template.last_number,
            description: input.version_description,
            create_time: now,
            data,
        };
        let shape = template.version_shape(&version);
        template.versions.insert(version.number, version);
        Ok(CreateLaunchTemplateVersionOutput {
            launch_template_version: shape,
        })
    }

    /// EC2 `ModifyLaunchTemplate`: makes `default_version` the template's default (without it,
    /// nothing changes).
    ///
    /// Errors: those of naming a template; `InvalidLaunchTemplateId.VersionNotFound` for a
    /// version that does not exist.
    pub fn modify_launch_template(
        &mut self,
        caller: &Caller,
        input: ModifyLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        let default = match &input.default_version {
            Some(v) => template.resolve(Some(v))?.number,
            None => template.default_version,
        };
        let id = template.id.clone();
        let template = self.launch_template_mut(caller, &id)?;
        template.default_version = default;
        Ok(LaunchTemplateOutput {
            launch_template: template.shape(),
        })
    }

    /// EC2 `DeleteLaunchTemplate`: the template and all its versions; instances launched from
    /// it are not affected.
    ///
    /// Errors: those of naming a template.
    pub fn delete_launch_template(
        &mut self,
        caller: &Caller,
        input: DeleteLaunchTemplateInput,
    ) -> AwsResult<LaunchTemplateOutput> {
        let id = self
            .own_launch_template(
                caller,
                input.launch_template_id.as_deref(),
                input.launch_template_name.as_deref(),
            )?
            .id
            .clone();
        let template = self
            .region_mut(&caller.region)?
            .launch_templates
            .remove(&id)
            .ok_or_else(|| id_not_found(&id))?;
        Ok(LaunchTemplateOutput {
            launch_template: template.shape(),
        })
    }

    /// EC2 `DeleteLaunchTemplateVersions`: deletes each named version (a number, `$Latest` or
    /// `$Default`) and answers, version by version, what was deleted and what was not: the
    /// default version is never deleted (`unexpectedError`: "You can't delete the default
    /// version of a launch template", the API reference's rule; the model's
    /// `LaunchTemplateErrorCode` has no code of its own for it), an unknown version is
    /// `launchTemplateVersionDoesNotExist`. Such per-version failures are not errors of the
    /// call (HTTP 200).
    ///
    /// Errors: those of naming a template; `MissingParameter` for no versions;
    /// `InvalidParameterValue` for more than 200.
    pub fn delete_launch_template_versions(
        &mut self,
        caller: &Caller,
        input: DeleteLaunchTemplateVersionsInput,
    ) -> AwsResult<DeleteLaunchTemplateVersionsOutput> {
        let template = self.own_launch_template(
            caller,
            input.launch_template_id.as_deref(),
            input.launch_template_name.as_deref(),
        )?;
        if input.versions.is_empty() {
            return Err(AwsError::missing_parameter(
                "The request must contain the parameter LaunchTemplateVersion",
            ));
        }
        if input.versions.len() > MAX_VERSIONS_PER_DELETE {
            return Err(AwsError::invalid_parameter_value(format!(
                "You can delete up to {MAX_VERSIONS_PER_DELETE} launch template versions in a single request."
            )));
        }
        let (id, name) = (template.id.clone(), template.name.clone());
        let mut deleted = Vec::new();
        let mut failed = Vec::new();
        let fail = |number: Option<u64>, code: &str, message: String| UndeletedVersionShape {
            launch_template_id: id.clone(),
            launch_template_name: name.clone(),
            version_number: number,
            response_error: ResponseErrorShape {
                code: code.to_string(),
                message,
            },
        };
        for requested in &input.versions {
            match template.resolve(Some(requested)) {
                Err(_) => failed.push(fail(
                    requested.trim().parse().ok(),
                    "launchTemplateVersionDoesNotExist",
                    format!("The specified launch template version {requested} does not exist."),
                )),
                Ok(v) if v.number == template.default_version => failed.push(fail(
                    Some(v.number),
                    "unexpectedError",
                    "You can't delete the default version of a launch template; assign a different version as the default first.".into(),
                )),
                Ok(v) if deleted.contains(&v.number) => {}
                Ok(v) => deleted.push(v.number),
            }
        }
        let template = self.launch_template_mut(caller, &id)?;
        for number in &deleted {
            template.versions.remove(number);
        }
        Ok(DeleteLaunchTemplateVersionsOutput {
            successfully_deleted_launch_template_versions: deleted
                .into_iter()
                .map(|number| DeletedVersionShape {
                    launch_template_id: id.clone(),
                    launch_template_name: name.clone(),
                    version_number: number,
                })
                .collect(),
            unsuccessfully_deleted_launch_template_versions: failed,
        })
    }
}

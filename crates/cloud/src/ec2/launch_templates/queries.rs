//! DescribeLaunchTemplates, DescribeLaunchTemplateVersions and GetLaunchTemplateData, and finding the caller's templates.

use super::*;

impl Cloud {
    /// The caller's template named by id or by name (exactly one of them).
    ///
    /// Errors: `InvalidParameterCombination` for both; `MissingParameter` for neither;
    /// `InvalidLaunchTemplateId.NotFound` / `InvalidLaunchTemplateName.NotFoundException`.
    pub(crate) fn own_launch_template(
        &self,
        caller: &Caller,
        id: Option<&str>,
        name: Option<&str>,
    ) -> AwsResult<&LaunchTemplate> {
        let region = self.region_ref(&caller.region)?;
        let mine = |t: &&LaunchTemplate| t.owner_id == caller.account;
        match (id, name) {
            (Some(_), Some(_)) => Err(AwsError::invalid_parameter_combination(
                "Specify either the launch template ID or the launch template name, but not both.",
            )),
            (None, None) => Err(AwsError::missing_parameter(
                "The request must contain the parameter launchTemplateName or launchTemplateId",
            )),
            (Some(id), None) => region
                .launch_templates
                .get(id)
                .filter(mine)
                .ok_or_else(|| id_not_found(id)),
            (None, Some(name)) => region
                .launch_templates
                .values()
                .filter(mine)
                .find(|t| t.name == name)
                .ok_or_else(|| name_not_found(name)),
        }
    }

    pub(super) fn launch_template_mut(
        &mut self,
        caller: &Caller,
        id: &str,
    ) -> AwsResult<&mut LaunchTemplate> {
        self.region_mut(&caller.region)?
            .launch_templates
            .get_mut(id)
            .ok_or_else(|| id_not_found(id))
    }

    /// EC2 `DescribeLaunchTemplates`: the caller's templates (all, or those named by id or
    /// name), filtered by `create-time`, `launch-template-name`, `tag:<key>` and `tag-key`, in
    /// id order, paged by `max_results` (1–200; every template without it).
    ///
    /// Errors: `InvalidLaunchTemplateId.NotFound` / `InvalidLaunchTemplateName.NotFoundException`
    /// for a named template that is not the caller's; `InvalidParameterValue` for an unknown
    /// filter name, a page size over 200 or a bad token.
    pub fn describe_launch_templates(
        &mut self,
        caller: &Caller,
        input: DescribeLaunchTemplatesInput,
    ) -> AwsResult<DescribeLaunchTemplatesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_LAUNCH_TEMPLATES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        filters::validate::<LaunchTemplate>(&input.filters)?;
        for id in &input.launch_template_ids {
            self.own_launch_template(caller, Some(id), None)?;
        }
        for name in &input.launch_template_names {
            self.own_launch_template(caller, None, Some(name))?;
        }
        let matcher = Matcher::new(&input.filters);
        let region = self.region_ref(&caller.region)?;
        let items: Vec<&LaunchTemplate> = region
            .launch_templates
            .values()
            .filter(|t| t.owner_id == caller.account)
            .filter(|t| {
                input.launch_template_ids.is_empty() || input.launch_template_ids.contains(&t.id)
            })
            .filter(|t| {
                input.launch_template_names.is_empty()
                    || input.launch_template_names.contains(&t.name)
            })
            .filter(|t| matcher.matches(*t))
            .collect();
        let (page, next_token) = pager.page(items, |t| t.id.clone());
        Ok(DescribeLaunchTemplatesOutput {
            launch_templates: page.into_iter().map(LaunchTemplate::shape).collect(),
            next_token,
        })
    }

    /// EC2 `DescribeLaunchTemplateVersions`: the versions of one template (all, or those named
    /// in `versions`, within `min_version`–`max_version`), or without a template the `$Latest`
    /// / `$Default` versions of every template of the caller's; filtered by `create-time`,
    /// `ebs-optimized`, `iam-instance-profile`, `image-id`, `instance-type` and
    /// `is-default-version`; ordered by template id then number; paged by `max_results` (1–200;
    /// every version without it).
    ///
    /// Errors: those of naming a template (both id and name: `InvalidParameterCombination`);
    /// `InvalidLaunchTemplateId.VersionNotFound` for a named version that does not exist;
    /// `MissingParameter` without a template for versions other than `$Latest` / `$Default`;
    /// `InvalidParameterValue` for a bad `min_version` / `max_version`, an unknown filter, a
    /// page size outside 1–200 or a bad token.
    pub fn describe_launch_template_versions(
        &mut self,
        caller: &Caller,
        input: DescribeLaunchTemplateVersionsInput,
    ) -> AwsResult<DescribeLaunchTemplateVersionsOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_LAUNCH_TEMPLATE_VERSIONS,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        filters::validate::<VersionView>(&input.filters)?;
        let bound = |v: &Option<String>| -> AwsResult<Option<u64>> {
            v.as_deref()
                .map(|s| {
                    s.trim().parse::<u64>().map_err(|_| {
                        AwsError::invalid_parameter_value(format!(
                            "Value ({s}) for parameter version is invalid. Expecting a version number."
                        ))
                    })
                })
                .transpose()
        };
        let (min, max) = (bound(&input.min_version)?, bound(&input.max_version)?);
        let templates: Vec<&LaunchTemplate> = if input.launch_template_id.is_some()
            || input.launch_template_name.is_some()
        {
            vec![self.own_launch_template(
                caller,
                input.launch_template_id.as_deref(),
                input.launch_template_name.as_deref(),
            )?]
        } else {
            if input.versions.is_empty()
                || input
                    .versions
                    .iter()
                    .any(|v| v != "$Latest" && v != "$Default")
            {
                return Err(AwsError::missing_parameter(
                        "The request must contain the parameter launchTemplateName or launchTemplateId, unless it asks only for $Latest or $Default versions",
                    ));
            }
            self.region_ref(&caller.region)?
                .launch_templates
                .values()
                .filter(|t| t.owner_id == caller.account)
                .collect()
        };
        let matcher = Matcher::new(&input.filters);
        let mut items: Vec<(&LaunchTemplate, &LaunchTemplateVersion)> = Vec::new();
        for template in templates {
            let mut chosen: Vec<&LaunchTemplateVersion> = if input.versions.is_empty() {
                template.versions.values().collect()
            } else {
                let mut named = Vec::new();
                for v in &input.versions {
                    named.push(template.resolve(Some(v))?);
                }
                named.sort_by_key(|v| v.number);
                named.dedup_by_key(|v| v.number);
                named
            };
            chosen
                .retain(|v| min.is_none_or(|m| v.number >= m) && max.is_none_or(|m| v.number <= m));
            for version in chosen {
                let view = VersionView {
                    template,
                    version,
                    no_tags: Tags::default(),
                };
                if matcher.matches(&view) {
                    items.push((template, version));
                }
            }
        }
        let (page, next_token) = pager.page(items, |(t, v)| format!("{}/{:020}", t.id, v.number));
        Ok(DescribeLaunchTemplateVersionsOutput {
            launch_template_versions: page.into_iter().map(|(t, v)| t.version_shape(v)).collect(),
            next_token,
        })
    }

    /// EC2 `GetLaunchTemplateData`: an instance's launch parameters as launch template data
    /// (image, type, key pair, security groups, user data in base64, EBS devices with their
    /// sizes and types, metadata options, IAM profile, monitoring, placement, protections,
    /// shutdown behaviour, and the instance's own tags), ready to pass to CreateLaunchTemplate.
    /// Unlike CreateImage it captures no disk: a template made from it launches the same
    /// *image* with the same settings, not the instance's current data.
    ///
    /// Errors: `InvalidInstanceID.Malformed`; `InvalidInstanceID.NotFound` for an instance that
    /// is not the caller's.
    pub fn get_launch_template_data(
        &mut self,
        caller: &Caller,
        input: GetLaunchTemplateDataInput,
    ) -> AwsResult<GetLaunchTemplateDataOutput> {
        crate::ec2::instances::check_instance_id(&input.instance_id)?;
        let i = self.own_instance(caller, &input.instance_id)?;
        let region = self.region_ref(&caller.region)?;
        let mappings = i
            .mappings
            .iter()
            .filter_map(|m| {
                let volume = region.volumes.get(m.volume_id.as_deref()?)?;
                Some(BlockDeviceMappingRequest {
                    device_name: Some(m.device_name.clone()),
                    virtual_name: None,
                    ebs: Some(crate::ec2::EbsRequest {
                        delete_on_termination: Some(m.delete_on_termination),
                        iops: volume.iops,
                        snapshot_id: volume.snapshot_id.clone(),
                        volume_size: Some(i64::from(volume.size)),
                        volume_type: Some(volume.volume_type.clone()),
                        kms_key_id: None,
                        encrypted: Some(volume.encrypted),
                    }),
                    no_device: None,
                })
            })
            .collect();
        let own_tags: Vec<Tag> = i
            .tags
            .iter()
            .filter(|(k, _)| !k.starts_with("aws:"))
            .map(|(k, v)| Tag {
                key: k.to_string(),
                value: v.to_string(),
            })
            .collect();
        let options = i.metadata_options.clone();
        let data = LaunchTemplateData {
            ebs_optimized: Some(i.ebs_optimized),
            iam_instance_profile: i.iam_instance_profile.as_ref().map(|p| {
                IamInstanceProfileInput {
                    arn: Some(p.arn.clone()),
                    name: None,
                }
            }),
            block_device_mappings: Some(mappings),
            image_id: Some(i.image_id.clone()),
            instance_type: Some(i.instance_type.clone()),
            key_name: i.key_name.clone(),
            monitoring: Some(MonitoringInput {
                enabled: i.monitoring,
            }),
            placement: Some(PlacementInput {
                availability_zone: Some(i.availability_zone.clone()),
                availability_zone_id: None,
            }),
            disable_api_termination: Some(i.disable_api_termination),
            instance_initiated_shutdown_behavior: Some(i.shutdown_behavior.clone()),
            user_data: i.user_data.as_deref().map(encode_user_data),
            tag_specifications: (!own_tags.is_empty()).then(|| {
                vec![TagSpecification {
                    resource_type: Some("instance".into()),
                    tags: own_tags,
                }]
            }),
            security_group_ids: Some(i.security_groups.iter().map(|(id, _)| id.clone()).collect()),
            security_groups: None,
            metadata_options: Some(MetadataOptionsInput {
                http_tokens: Some(options.http_tokens),
                http_put_response_hop_limit: Some(options.http_put_response_hop_limit),
                http_endpoint: Some(options.http_endpoint),
                http_protocol_ipv6: Some(options.http_protocol_ipv6),
                instance_metadata_tags: Some(options.instance_metadata_tags),
            }),
            disable_api_stop: Some(i.disable_api_stop),
        };
        Ok(GetLaunchTemplateDataOutput {
            launch_template_data: data.response(),
        })
    }
}

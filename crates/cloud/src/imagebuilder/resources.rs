//! The Create, Get and List operations of Image Builder's resources.

use serde::Serialize;

use super::*;
use crate::clock::iso8601;
use crate::error::AwsResult;
use crate::ids::stable_uuid;
use crate::paging::{self, Pager};
use crate::{Caller, Cloud};

/// What Image Builder answers for a client token used again with other parameters.
fn token_mismatch(token: &str) -> AwsError {
    AwsError::new(
        "IdempotentParameterMismatchException",
        format!(
            "The client token '{token}' has already been used with different request parameters."
        ),
    )
}

impl Cloud {
    /// A request id: deterministic, made without the id generator (reads change nothing).
    pub(crate) fn ib_request_id(&self, operation: &str) -> String {
        stable_uuid(&format!("imagebuilder/{operation}/{}", self.api_calls()))
    }

    /// The client token of a request: the caller's, or one derived deterministically (boto3
    /// makes a random one; the simulation may not).
    pub(crate) fn ib_token(
        &self,
        caller: &Caller,
        operation: &str,
        given: &Option<String>,
    ) -> String {
        given.clone().unwrap_or_else(|| {
            stable_uuid(&format!(
                "token/{operation}/{}/{}/{}",
                caller.account,
                caller.region,
                self.api_calls()
            ))
        })
    }

    /// A replayed request's ARN: the same token with the same parameters answers what the first
    /// call made; with other parameters, `IdempotentParameterMismatchException`.
    pub(crate) fn ib_replay<I: Serialize>(
        &self,
        caller: &Caller,
        operation: &'static str,
        token: &str,
        input: &I,
    ) -> AwsResult<(String, Option<String>)> {
        let fingerprint = serde_json::to_string(input).unwrap_or_default();
        let key = (
            caller.account.clone(),
            caller.region.clone(),
            operation.to_string(),
            token.to_string(),
        );
        match self.imagebuilder.tokens.get(&key) {
            Some((seen, arn)) if *seen == fingerprint => Ok((fingerprint, Some(arn.clone()))),
            Some(_) => Err(token_mismatch(token)),
            None => Ok((fingerprint, None)),
        }
    }

    pub(crate) fn ib_remember(
        &mut self,
        caller: &Caller,
        operation: &'static str,
        token: &str,
        fingerprint: String,
        arn: &str,
    ) {
        self.imagebuilder.tokens.insert(
            (
                caller.account.clone(),
                caller.region.clone(),
                operation.to_string(),
                token.to_string(),
            ),
            (fingerprint, arn.to_string()),
        );
    }

    pub(crate) fn ib_created(&self, operation: &str, token: String) -> CreateOutput {
        CreateOutput {
            request_id: self.ib_request_id(operation),
            client_token: token,
            component_build_version_arn: None,
            image_recipe_arn: None,
            infrastructure_configuration_arn: None,
            distribution_configuration_arn: None,
            image_pipeline_arn: None,
            image_build_version_arn: None,
        }
    }

    /// Image Builder `CreateComponent`: a component build version
    /// (`…:component/<name>/<version>/<build>`) from an inline document. Creating the same name
    /// and version again makes the next build version (`/2`), as Image Builder does since its
    /// November 2025 release ("automatically increments the build version when you create a
    /// component with the same name and semantic version").
    ///
    /// Errors: `InvalidParameterValueException` for a bad name, a platform other than `Linux`,
    /// a missing `data`, or a document that is not valid ("The value supplied for parameter
    /// 'data' is not valid. …", see [`document`]); `InvalidVersionNumberException` for a
    /// version that is not `major.minor.patch`; `IdempotentParameterMismatchException` for a
    /// token reused with other parameters.
    pub fn create_component(
        &mut self,
        caller: &Caller,
        input: CreateComponentInput,
    ) -> AwsResult<CreateOutput> {
        let token = self.ib_token(caller, "CreateComponent", &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, "CreateComponent", &token, &input)?;
        let mut out = self.ib_created("CreateComponent", token.clone());
        if let Some(arn) = replay {
            out.component_build_version_arn = Some(arn);
            return Ok(out);
        }
        check_name(&input.name)?;
        check_version(&input.semantic_version)?;
        if input.platform != "Linux" {
            return Err(invalid_value(
                "platform",
                format!(
                    "Platform '{}' is not simulated by amilab: components run on Linux guests only.",
                    input.platform
                ),
            ));
        }
        let data = input
            .data
            .clone()
            .ok_or_else(|| invalid_value("data", "Either 'data' or 'uri' must be specified."))?;
        let document = document::parse(&data, self.document_parser)
            .map_err(|why| invalid_value("data", why))?;
        let version_arn = format!(
            "{}/{}",
            arn(&caller.region, &caller.account, "component", &input.name),
            input.semantic_version
        );
        let build = super::next_build(self.imagebuilder.components.keys(), &version_arn);
        let build_arn = format!("{version_arn}/{build}");
        let shape = ComponentShape {
            arn: build_arn.clone(),
            name: input.name.clone(),
            version: input.semantic_version.clone(),
            description: input.description.clone(),
            change_description: input.change_description.clone(),
            kind: document.component_type().into(),
            platform: "Linux".into(),
            supported_os_versions: input.supported_os_versions.clone(),
            state: ComponentState {
                status: "ACTIVE".into(),
            },
            owner: caller.account.clone(),
            data,
            encrypted: false,
            date_created: iso8601(self.now()),
            tags: input.tags.clone(),
        };
        self.imagebuilder.components.insert(
            build_arn.clone(),
            Component {
                account: caller.account.clone(),
                region: caller.region.clone(),
                build,
                document,
                shape,
            },
        );
        self.ib_remember(caller, "CreateComponent", &token, fingerprint, &build_arn);
        out.component_build_version_arn = Some(build_arn);
        Ok(out)
    }

    /// The caller's component a recipe names: a build version ARN, or a version ARN (its newest
    /// build).
    pub(crate) fn ib_component(&self, caller: &Caller, arn: &str) -> Option<&Component> {
        let own = |c: &&Component| c.account == caller.account && c.region == caller.region;
        if let Some(c) = self.imagebuilder.components.get(arn).filter(own) {
            return Some(c);
        }
        self.imagebuilder
            .components
            .values()
            .filter(own)
            .filter(|c| c.shape.arn.rsplit_once('/').is_some_and(|(v, _)| v == arn))
            .max_by_key(|c| c.build)
    }

    /// Image Builder `CreateImageRecipe`: the parent image, the components in order and the
    /// block devices of an AMI to build (`…:image-recipe/<name>/<version>`).
    ///
    /// `parent_image` is an AMI id the caller can use in its region or an Amazon-managed image
    /// ARN of the region ([`MANAGED_IMAGES`]: `arn:aws:imagebuilder:us-east-1:aws:image/
    /// amazon-linux-2023-x86/x.x.x`, any version).
    ///
    /// Errors: `ResourceAlreadyExistsException` `The following resource 'ImageRecipe' already
    /// exists: '<arn>'.` for a name and version that exist; `InvalidParameterValueException` for
    /// a bad name, no components, a component that does not exist (`The value supplied for
    /// parameter 'components[0].componentArn' is not valid. …`) or a parent image that cannot
    /// be found; `InvalidVersionNumberException`; `IdempotentParameterMismatchException`.
    pub fn create_image_recipe(
        &mut self,
        caller: &Caller,
        input: CreateImageRecipeInput,
    ) -> AwsResult<CreateOutput> {
        let token = self.ib_token(caller, "CreateImageRecipe", &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, "CreateImageRecipe", &token, &input)?;
        let mut out = self.ib_created("CreateImageRecipe", token.clone());
        if let Some(arn) = replay {
            out.image_recipe_arn = Some(arn);
            return Ok(out);
        }
        check_name(&input.name)?;
        check_version(&input.semantic_version)?;
        let recipe_arn = format!(
            "{}/{}",
            arn(&caller.region, &caller.account, "image-recipe", &input.name),
            input.semantic_version
        );
        if self.imagebuilder.recipes.contains_key(&recipe_arn) {
            return Err(already_exists("ImageRecipe", &recipe_arn));
        }
        if input.components.is_empty() {
            return Err(invalid_value(
                "components",
                "A recipe needs at least one component.",
            ));
        }
        for (i, c) in input.components.iter().enumerate() {
            if self.ib_component(caller, &c.component_arn).is_none() {
                return Err(invalid_value(
                    &format!("components[{i}].componentArn"),
                    format!("The component '{}' does not exist.", c.component_arn),
                ));
            }
        }
        self.ib_parent_ami(caller, &input.parent_image)?;
        let block_device_mappings = input
            .block_device_mappings
            .iter()
            .map(|m| strip_nulls(serde_json::to_value(m).unwrap_or_default()))
            .collect();
        let shape = ImageRecipeShape {
            arn: recipe_arn.clone(),
            kind: "AMI".into(),
            name: input.name.clone(),
            description: input.description.clone(),
            platform: "Linux".into(),
            owner: caller.account.clone(),
            version: input.semantic_version.clone(),
            components: input.components.clone(),
            parent_image: input.parent_image.clone(),
            block_device_mappings,
            date_created: iso8601(self.now()),
            tags: input.tags.clone(),
            working_directory: input.working_directory.clone(),
        };
        self.imagebuilder.recipes.insert(
            recipe_arn.clone(),
            Owned {
                account: caller.account.clone(),
                region: caller.region.clone(),
                shape,
            },
        );
        self.ib_remember(
            caller,
            "CreateImageRecipe",
            &token,
            fingerprint,
            &recipe_arn,
        );
        out.image_recipe_arn = Some(recipe_arn);
        Ok(out)
    }

    /// The AMI a parent image stands for in the caller's region, and its OS name.
    pub(crate) fn ib_parent_ami(
        &self,
        caller: &Caller,
        parent: &str,
    ) -> AwsResult<(String, Option<String>)> {
        let refuse = |why: String| invalid_value("parentImage", why);
        if parent.starts_with("ami-") {
            self.visible_image(&caller.region, &caller.account, parent)
                .map_err(|_| refuse(format!("The AMI '{parent}' does not exist or is not available to this account in {}.", caller.region)))?;
            return Ok((parent.to_string(), None));
        }
        let prefix = format!("arn:aws:imagebuilder:{}:aws:image/", caller.region);
        let managed = parent.strip_prefix(&prefix).and_then(|rest| {
            let (name, version) = rest.split_once('/')?;
            let ok = version.split('.').count() == 3
                && version
                    .split('.')
                    .all(|p| p == "x" || (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit())));
            MANAGED_IMAGES
                .iter()
                .find(|(n, _, _)| *n == name)
                .filter(|_| ok)
        });
        match managed {
            Some((_, key, os)) => {
                let ami = crate::catalog::images::public_image_id(key, &caller.region)
                    .ok_or_else(|| refuse(format!("'{parent}' is not in the catalogue.")))?;
                Ok((ami, Some(os.to_string())))
            }
            None => Err(refuse(format!(
                "The parent image must be an AMI id or an Amazon-managed image ARN of {} such as 'arn:aws:imagebuilder:{}:aws:image/amazon-linux-2023-x86/x.x.x' (amilab knows {}).",
                caller.region,
                caller.region,
                MANAGED_IMAGES.iter().map(|m| m.0).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// Image Builder `CreateInfrastructureConfiguration`: the instance type, profile, network and
    /// key pair of build and test instances (`…:infrastructure-configuration/<name>`).
    ///
    /// Errors: `ResourceAlreadyExistsException` for a name in use; `InvalidParameterValueException`
    /// for a bad name or an unknown instance type; `IdempotentParameterMismatchException`.
    pub fn create_infrastructure_configuration(
        &mut self,
        caller: &Caller,
        input: CreateInfrastructureConfigurationInput,
    ) -> AwsResult<CreateOutput> {
        let op = "CreateInfrastructureConfiguration";
        let token = self.ib_token(caller, op, &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, op, &token, &input)?;
        let mut out = self.ib_created(op, token.clone());
        if let Some(arn) = replay {
            out.infrastructure_configuration_arn = Some(arn);
            return Ok(out);
        }
        check_name(&input.name)?;
        let infra_arn = arn(
            &caller.region,
            &caller.account,
            "infrastructure-configuration",
            &input.name,
        );
        if self.imagebuilder.infrastructures.contains_key(&infra_arn) {
            return Err(already_exists("InfrastructureConfiguration", &infra_arn));
        }
        for t in &input.instance_types {
            if crate::catalog::instance_types::instance_type(t).is_none() {
                return Err(invalid_value(
                    "instanceTypes",
                    format!("The instance type '{t}' does not exist."),
                ));
            }
        }
        let shape = InfrastructureConfigurationShape {
            arn: infra_arn.clone(),
            name: input.name.clone(),
            description: input.description.clone(),
            instance_types: input.instance_types.clone(),
            instance_profile_name: input.instance_profile_name.clone(),
            security_group_ids: input.security_group_ids.clone(),
            subnet_id: input.subnet_id.clone(),
            key_pair: input.key_pair.clone(),
            terminate_instance_on_failure: input.terminate_instance_on_failure.unwrap_or(true),
            terminate_instance_on_completion: input
                .terminate_instance_on_completion
                .unwrap_or(true),
            date_created: iso8601(self.now()),
            tags: input.tags.clone(),
        };
        self.imagebuilder.infrastructures.insert(
            infra_arn.clone(),
            Owned {
                account: caller.account.clone(),
                region: caller.region.clone(),
                shape,
            },
        );
        self.ib_remember(caller, op, &token, fingerprint, &infra_arn);
        out.infrastructure_configuration_arn = Some(infra_arn);
        Ok(out)
    }

    /// Image Builder `CreateDistributionConfiguration`: per region, the output AMI's name
    /// (with `{{imagebuilder:buildDate}}` / `{{imagebuilder:buildVersion}}`), description,
    /// launch permission and target accounts (`…:distribution-configuration/<name>`).
    ///
    /// Errors: `ResourceAlreadyExistsException` for a name in use; `InvalidParameterValueException`
    /// for a bad name, no distributions, a region twice or not enabled in the world, an AMI name
    /// with an unknown variable, a user group other than `all`, an account id that is not 12
    /// digits; `IdempotentParameterMismatchException`.
    pub fn create_distribution_configuration(
        &mut self,
        caller: &Caller,
        input: CreateDistributionConfigurationInput,
    ) -> AwsResult<CreateOutput> {
        let op = "CreateDistributionConfiguration";
        let token = self.ib_token(caller, op, &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, op, &token, &input)?;
        let mut out = self.ib_created(op, token.clone());
        if let Some(arn) = replay {
            out.distribution_configuration_arn = Some(arn);
            return Ok(out);
        }
        check_name(&input.name)?;
        let dist_arn = arn(
            &caller.region,
            &caller.account,
            "distribution-configuration",
            &input.name,
        );
        if self.imagebuilder.distributions.contains_key(&dist_arn) {
            return Err(already_exists("DistributionConfiguration", &dist_arn));
        }
        if input.distributions.is_empty() {
            return Err(invalid_value(
                "distributions",
                "At least one distribution is required.",
            ));
        }
        let is_account = |a: &String| a.len() == 12 && a.chars().all(|c| c.is_ascii_digit());
        for (i, d) in input.distributions.iter().enumerate() {
            let member = |m: &str| format!("distributions[{i}].{m}");
            if self.region(&d.region).is_none() {
                return Err(invalid_value(
                    &member("region"),
                    format!("The region '{}' is not enabled in this world.", d.region),
                ));
            }
            if input.distributions[..i]
                .iter()
                .any(|o| o.region == d.region)
            {
                return Err(invalid_value(
                    "distributions",
                    format!("The region '{}' appears more than once.", d.region),
                ));
            }
            let Some(ami) = &d.ami_distribution_configuration else {
                continue;
            };
            if let Some(name) = &ami.name {
                render_ami_name(name, 0, 1).map_err(|why| {
                    invalid_value(&member("amiDistributionConfiguration.name"), why)
                })?;
            }
            if let Some(bad) = ami.target_account_ids.iter().find(|a| !is_account(a)) {
                return Err(invalid_value(
                    &member("amiDistributionConfiguration.targetAccountIds"),
                    format!("'{bad}' is not a 12-digit account id."),
                ));
            }
            if let Some(lp) = &ami.launch_permission {
                if let Some(bad) = lp.user_ids.iter().find(|a| !is_account(a)) {
                    return Err(invalid_value(
                        &member("amiDistributionConfiguration.launchPermission.userIds"),
                        format!("'{bad}' is not a 12-digit account id."),
                    ));
                }
                if let Some(bad) = lp.user_groups.iter().find(|g| *g != "all") {
                    return Err(invalid_value(
                        &member("amiDistributionConfiguration.launchPermission.userGroups"),
                        format!("'{bad}' is not a group; the only group is 'all'."),
                    ));
                }
            }
        }
        let shape = DistributionConfigurationShape {
            arn: dist_arn.clone(),
            name: input.name.clone(),
            description: input.description.clone(),
            distributions: input.distributions.clone(),
            timeout_minutes: 720,
            date_created: iso8601(self.now()),
            tags: input.tags.clone(),
        };
        self.imagebuilder.distributions.insert(
            dist_arn.clone(),
            Owned {
                account: caller.account.clone(),
                region: caller.region.clone(),
                shape,
            },
        );
        self.ib_remember(caller, op, &token, fingerprint, &dist_arn);
        out.distribution_configuration_arn = Some(dist_arn);
        Ok(out)
    }

    /// Image Builder `CreateImagePipeline`: a recipe, an infrastructure configuration, an
    /// optional distribution configuration, test settings and an optional cron schedule
    /// (`…:image-pipeline/<name>`). An `ENABLED` pipeline with a schedule runs by itself when
    /// the simulated clock passes its next instant ([`cron`]).
    ///
    /// Errors: `ResourceAlreadyExistsException` for a name in use; `ResourceNotFoundException`
    /// (404) for a recipe, infrastructure or distribution configuration the caller does not have
    /// in the region; `InvalidParameterValueException` for a bad name, a missing recipe, a
    /// status other than `ENABLED` / `DISABLED`, a schedule expression outside the simulated
    /// subset, an unknown start condition, a test timeout outside 60–1440;
    /// `IdempotentParameterMismatchException`.
    pub fn create_image_pipeline(
        &mut self,
        caller: &Caller,
        input: CreateImagePipelineInput,
    ) -> AwsResult<CreateOutput> {
        let op = "CreateImagePipeline";
        let token = self.ib_token(caller, op, &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, op, &token, &input)?;
        let mut out = self.ib_created(op, token.clone());
        if let Some(arn) = replay {
            out.image_pipeline_arn = Some(arn);
            return Ok(out);
        }
        check_name(&input.name)?;
        let pipeline_arn = arn(
            &caller.region,
            &caller.account,
            "image-pipeline",
            &input.name,
        );
        if self.imagebuilder.pipelines.contains_key(&pipeline_arn) {
            return Err(already_exists("ImagePipeline", &pipeline_arn));
        }
        let recipe_arn = input.image_recipe_arn.clone().ok_or_else(|| {
            invalid_value(
                "imageRecipeArn",
                "An image recipe is required (container recipes are not simulated).",
            )
        })?;
        let own =
            |account: &str, region: &str| account == caller.account && region == caller.region;
        if !self
            .imagebuilder
            .recipes
            .get(&recipe_arn)
            .is_some_and(|r| own(&r.account, &r.region))
        {
            return Err(not_found(&recipe_arn));
        }
        let infra = &input.infrastructure_configuration_arn;
        if !self
            .imagebuilder
            .infrastructures
            .get(infra)
            .is_some_and(|r| own(&r.account, &r.region))
        {
            return Err(not_found(infra));
        }
        if let Some(dist) = &input.distribution_configuration_arn {
            if !self
                .imagebuilder
                .distributions
                .get(dist)
                .is_some_and(|r| own(&r.account, &r.region))
            {
                return Err(not_found(dist));
            }
        }
        let status = input.status.clone().unwrap_or_else(|| "ENABLED".into());
        if status != "ENABLED" && status != "DISABLED" {
            return Err(invalid_value(
                "status",
                format!("'{status}' is not one of ENABLED, DISABLED."),
            ));
        }
        let tests = input
            .image_tests_configuration
            .clone()
            .unwrap_or(ImageTestsConfiguration {
                image_tests_enabled: None,
                timeout_minutes: None,
            });
        if let Some(t) = tests.timeout_minutes.filter(|t| !(60..=1440).contains(t)) {
            return Err(invalid_value(
                "imageTestsConfiguration.timeoutMinutes",
                format!("{t} is outside 60-1440."),
            ));
        }
        let tests = ImageTestsConfiguration {
            image_tests_enabled: Some(tests.image_tests_enabled.unwrap_or(true)),
            timeout_minutes: Some(tests.timeout_minutes.unwrap_or(720)),
        };
        let mut schedule = None;
        let mut cron = None;
        if let Some(s) = &input.schedule {
            let expression = s.schedule_expression.clone().ok_or_else(|| {
                invalid_value(
                    "schedule.scheduleExpression",
                    "A schedule needs a scheduleExpression.",
                )
            })?;
            cron = Some(
                cron::Cron::parse(&expression)
                    .map_err(|why| invalid_value("schedule.scheduleExpression", why))?,
            );
            let condition = s
                .pipeline_execution_start_condition
                .clone()
                .unwrap_or_else(|| "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE".into());
            if ![
                "EXPRESSION_MATCH_ONLY",
                "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE",
            ]
            .contains(&condition.as_str())
            {
                return Err(invalid_value(
                    "schedule.pipelineExecutionStartCondition",
                    format!("'{condition}' is not one of EXPRESSION_MATCH_ONLY, EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE."),
                ));
            }
            schedule = Some(Schedule {
                schedule_expression: Some(expression),
                pipeline_execution_start_condition: Some(condition),
            });
        }
        let now = iso8601(self.now());
        let shape = ImagePipelineShape {
            arn: pipeline_arn.clone(),
            name: input.name.clone(),
            description: input.description.clone(),
            platform: "Linux".into(),
            enhanced_image_metadata_enabled: input.enhanced_image_metadata_enabled.unwrap_or(true),
            image_recipe_arn: recipe_arn,
            infrastructure_configuration_arn: infra.clone(),
            distribution_configuration_arn: input.distribution_configuration_arn.clone(),
            image_tests_configuration: tests,
            schedule,
            status,
            date_created: now.clone(),
            date_updated: now,
            date_last_run: None,
            last_run_status: None,
            date_next_run: None,
            tags: input.tags.clone(),
            image_tags: input.image_tags.clone(),
        };
        self.imagebuilder.pipelines.insert(
            pipeline_arn.clone(),
            Pipeline {
                account: caller.account.clone(),
                region: caller.region.clone(),
                shape,
                schedule: cron,
                next_run: None,
                last_run: None,
            },
        );
        self.schedule_next_run(&pipeline_arn);
        self.ib_remember(caller, op, &token, fingerprint, &pipeline_arn);
        out.image_pipeline_arn = Some(pipeline_arn);
        Ok(out)
    }

    /// Image Builder `GetComponent`.
    ///
    /// Errors: `ResourceNotFoundException` (404) for a component the caller does not have in the
    /// region.
    pub fn get_component(
        &mut self,
        caller: &Caller,
        input: GetComponentInput,
    ) -> AwsResult<GetComponentOutput> {
        let c = self
            .ib_component(caller, &input.component_build_version_arn)
            .ok_or_else(|| not_found(&input.component_build_version_arn))?;
        Ok(GetComponentOutput {
            request_id: self.ib_request_id("GetComponent"),
            component: c.shape.clone(),
        })
    }

    /// Image Builder `GetImagePipeline`, with its last and next runs.
    ///
    /// Errors: `ResourceNotFoundException` (404).
    pub fn get_image_pipeline(
        &mut self,
        caller: &Caller,
        input: GetImagePipelineInput,
    ) -> AwsResult<GetImagePipelineOutput> {
        let p = self
            .imagebuilder
            .pipelines
            .get(&input.image_pipeline_arn)
            .filter(|p| p.account == caller.account && p.region == caller.region)
            .ok_or_else(|| not_found(&input.image_pipeline_arn))?;
        let mut shape = p.shape.clone();
        shape.date_last_run = p.last_run.map(iso8601);
        shape.date_next_run = p.next_run.map(iso8601);
        shape.last_run_status = self
            .pipeline_images(p.arn())
            .last()
            .map(|i| i.status.as_str().to_string());
        Ok(GetImagePipelineOutput {
            request_id: self.ib_request_id("GetImagePipeline"),
            image_pipeline: shape,
        })
    }

    /// The caller's image build version: a build version ARN, or a version ARN (its newest
    /// build).
    pub(crate) fn ib_image(&self, caller: &Caller, arn: &str) -> Option<&Image> {
        let own = |i: &&Image| i.account == caller.account && i.region == caller.region;
        if let Some(i) = self.imagebuilder.images.get(arn).filter(own) {
            return Some(i);
        }
        self.imagebuilder
            .images
            .values()
            .filter(own)
            .filter(|i| i.arn().rsplit_once('/').is_some_and(|(v, _)| v == arn))
            .max_by_key(|i| i.build)
    }

    /// Image Builder `GetImage`: an image build version, its state (`reason` when `FAILED`) and
    /// its AMIs per region (`output_resources.amis`).
    ///
    /// Errors: `ResourceNotFoundException` (404) for an image the caller does not have in the
    /// region.
    pub fn get_image(
        &mut self,
        caller: &Caller,
        input: GetImageInput,
    ) -> AwsResult<GetImageOutput> {
        let image = self
            .ib_image(caller, &input.image_build_version_arn)
            .ok_or_else(|| not_found(&input.image_build_version_arn))?;
        Ok(GetImageOutput {
            request_id: self.ib_request_id("GetImage"),
            image: image.shape(),
        })
    }

    /// Image Builder `ListImages`: the caller's image versions in the region, one per recipe name
    /// and version, by ARN (`owner` `Self`, the default), or the Amazon-managed parent images
    /// (`Amazon`). Pages of at most 100 (the model's `RestrictedInteger`), 25 without
    /// `max_results`.
    ///
    /// Errors: `InvalidParameterValueException` for another owner; `InvalidRequestException` for
    /// a page size above 100; `InvalidPaginationTokenException` for a token this operation did not
    /// make for the caller.
    pub fn list_images(
        &mut self,
        caller: &Caller,
        input: ListImagesInput,
    ) -> AwsResult<ListImagesOutput> {
        let pager = Pager::new(
            &paging::LIST_IMAGES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        let owner = input.owner.as_deref().unwrap_or("Self");
        let mut versions: BTreeMap<String, ImageVersionShape> = BTreeMap::new();
        match owner {
            "Self" => {
                for image in self.image_builds() {
                    if image.account != caller.account || image.region != caller.region {
                        continue;
                    }
                    let version_arn = image
                        .arn()
                        .rsplit_once('/')
                        .map(|(v, _)| v.to_string())
                        .unwrap_or_default();
                    versions
                        .entry(version_arn.clone())
                        .or_insert(ImageVersionShape {
                            arn: version_arn,
                            name: image.shape.name.clone(),
                            kind: "AMI".into(),
                            version: image.semantic_version.clone(),
                            platform: "Linux".into(),
                            os_version: image.shape.os_version.clone(),
                            owner: caller.account.clone(),
                            date_created: image.shape.date_created.clone(),
                            build_type: Some(image.shape.build_type.clone()),
                            image_source: "CUSTOM".into(),
                        });
                }
            }
            "Amazon" => {
                for (name, key, os) in MANAGED_IMAGES {
                    let Some(public) = crate::catalog::PUBLIC_IMAGES.iter().find(|i| i.key == *key)
                    else {
                        continue;
                    };
                    let arn = format!(
                        "arn:aws:imagebuilder:{}:aws:image/{name}/x.x.x",
                        caller.region
                    );
                    versions.insert(
                        arn.clone(),
                        ImageVersionShape {
                            arn,
                            name: name.to_string(),
                            kind: "AMI".into(),
                            version: "x.x.x".into(),
                            platform: "Linux".into(),
                            os_version: Some(os.to_string()),
                            owner: "Amazon".into(),
                            date_created: public.creation_date.to_string(),
                            build_type: None,
                            image_source: "AMAZON_MANAGED".into(),
                        },
                    );
                }
            }
            "Shared" | "ThirdParty" | "AWSMarketplace" => {}
            other => {
                return Err(invalid_value(
                    "owner",
                    format!(
                        "'{other}' is not one of Self, Shared, Amazon, ThirdParty, AWSMarketplace."
                    ),
                ))
            }
        }
        let (page, next_token) = pager.page(versions.into_values().collect(), |v| v.arn.clone());
        Ok(ListImagesOutput {
            request_id: self.ib_request_id("ListImages"),
            image_version_list: page,
            next_token,
        })
    }

    /// Image Builder `ListImagePipelineImages`: the image build versions a pipeline made, oldest
    /// first, in pages of at most 100 (25 without `max_results`).
    ///
    /// Errors: `ResourceNotFoundException` (404) for a pipeline the caller does not have in the
    /// region; the paging errors of [`Cloud::list_images`].
    pub fn list_image_pipeline_images(
        &mut self,
        caller: &Caller,
        input: ListImagePipelineImagesInput,
    ) -> AwsResult<ListImagePipelineImagesOutput> {
        let pager = Pager::new(
            &paging::LIST_IMAGE_PIPELINE_IMAGES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            false,
        )?;
        let arn = &input.image_pipeline_arn;
        if !self
            .imagebuilder
            .pipelines
            .get(arn)
            .is_some_and(|p| p.account == caller.account && p.region == caller.region)
        {
            return Err(not_found(arn));
        }
        let summaries: Vec<(u64, ImageSummaryShape)> = self
            .pipeline_images(arn)
            .into_iter()
            .map(|i| {
                let s = i.shape();
                (
                    i.seq,
                    ImageSummaryShape {
                        arn: s.arn,
                        name: s.name,
                        kind: s.kind,
                        version: s.version,
                        platform: s.platform,
                        os_version: s.os_version,
                        state: s.state,
                        owner: i.account.clone(),
                        date_created: s.date_created,
                        output_resources: s.output_resources,
                        tags: s.tags,
                        build_type: s.build_type,
                        image_source: s.image_source,
                    },
                )
            })
            .collect();
        let (page, next_token) = pager.page(summaries, |(seq, _)| format!("{seq:020}"));
        Ok(ListImagePipelineImagesOutput {
            request_id: self.ib_request_id("ListImagePipelineImages"),
            image_summary_list: page.into_iter().map(|(_, s)| s).collect(),
            next_token,
        })
    }
}

/// A JSON value with every null member left out (AWS never answers null).
fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, strip_nulls(v)))
            .collect(),
        serde_json::Value::Array(items) => items.into_iter().map(strip_nulls).collect(),
        other => other,
    }
}

//! A pipeline's run on the simulated clock, and its schedule.
//!
//! StartImagePipelineExecution (or a schedule's instant) makes an image build version in
//! `PENDING`; then, each step an event on the clock (the crate's `lifecycle`):
//!
//! 1. after [`START_DELAY`]: `BUILDING` — a build instance is launched from the parent image
//!    with the infrastructure's first instance type (and its subnet, security groups, key pair,
//!    the recipe's block devices), tagged `Ec2ImageBuilderArn`;
//! 2. after [`BUILD_WAIT`]: every component's `build` phase, then every component's `validate`
//!    phase, in recipe order, run step by step on the build instance's guest; a step whose
//!    script exits with a code other than 0 fails the build. Then `CreateImage` of the build
//!    instance, named for the build region;
//! 3. once that AMI is available: the build instance is terminated; with tests enabled and a
//!    component that has a `test` phase, `TESTING` — a test instance is launched from the new
//!    AMI and, after [`TEST_WAIT`], the test phases run on it, then it is terminated;
//! 4. `DISTRIBUTING` — `CopyImage` to every other region of the distribution configuration,
//!    with the rendered name ([`super::render_ami_name`]) and description;
//! 5. once every copy is available: `ModifyImageAttribute` adds the launch permissions (user
//!    ids, the `all` group, the target accounts) in each region, and the image is `AVAILABLE`
//!    with one AMI per region in `output_resources.amis`.
//!
//! A failing step makes the image `FAILED` with a `reason` naming the step, the component, the
//! exit code and the output (at most 1,024 characters, the model's limit); the temporary
//! instances are terminated (the build instance kept if the infrastructure says
//! `terminate_instance_on_failure: false`) and any AMI the build made is deregistered.
//!
//! The reason's wording is amilab's, shaped like the messages the Image Builder console shows
//! ("Workflow Execution ID … failed with reason: … Document arn:…:component/… failed!").

use serde_json::{json, Value};

use super::*;
use crate::clock::{durations, iso8601};
use crate::ec2::images::ImageState;
use crate::ec2::instances::{InstanceState, TerminateInstancesInput};
use crate::error::AwsResult;
use crate::lifecycle::Event;
use crate::{Caller, Cloud};

/// The longest `reason` the model allows.
const REASON_MAX: usize = 1024;

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> AwsResult<T> {
    serde_json::from_value(value).map_err(|e| AwsError::internal_error(&e))
}

fn truncate(text: String) -> String {
    if text.len() <= REASON_MAX {
        return text;
    }
    let mut end = REASON_MAX - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

impl Cloud {
    /// Image Builder `StartImagePipelineExecution`: starts a run of the pipeline now (whatever
    /// its status and schedule) and answers the new image build version's ARN
    /// (`…:image/<recipe>/<version>/<build>`). The same client token with the same parameters
    /// answers the same image and starts nothing.
    ///
    /// Errors: `ResourceNotFoundException` (404) for a pipeline the caller does not have in the
    /// region; `ResourceNotFoundException` for a recipe component that no longer exists;
    /// `InvalidParameterValueException` for a parent image no longer available;
    /// `IdempotentParameterMismatchException`.
    pub fn start_image_pipeline_execution(
        &mut self,
        caller: &Caller,
        input: StartImagePipelineExecutionInput,
    ) -> AwsResult<CreateOutput> {
        let op = "StartImagePipelineExecution";
        let token = self.ib_token(caller, op, &input.client_token);
        let (fingerprint, replay) = self.ib_replay(caller, op, &token, &input)?;
        let mut out = self.ib_created(op, token.clone());
        if let Some(arn) = replay {
            out.image_build_version_arn = Some(arn);
            return Ok(out);
        }
        let arn = &input.image_pipeline_arn;
        if !self
            .imagebuilder
            .pipelines
            .get(arn)
            .is_some_and(|p| p.account == caller.account && p.region == caller.region)
        {
            return Err(not_found(arn));
        }
        let image = self.start_build(arn, "USER_INITIATED", &input.tags)?;
        self.ib_remember(caller, op, &token, fingerprint, &image);
        out.image_build_version_arn = Some(image);
        Ok(out)
    }

    /// Makes a pipeline's next image build version, `PENDING`, and schedules its first step.
    fn start_build(
        &mut self,
        pipeline_arn: &str,
        build_type: &str,
        tags: &TagMap,
    ) -> AwsResult<String> {
        let p = self.imagebuilder.pipelines[pipeline_arn].clone();
        let caller = Caller::new(p.account.clone(), p.region.clone());
        let recipe = self
            .imagebuilder
            .recipes
            .get(&p.shape.image_recipe_arn)
            .ok_or_else(|| not_found(&p.shape.image_recipe_arn))?
            .shape
            .clone();
        let infra = self
            .imagebuilder
            .infrastructures
            .get(&p.shape.infrastructure_configuration_arn)
            .ok_or_else(|| not_found(&p.shape.infrastructure_configuration_arn))?
            .shape
            .clone();
        let dist = match &p.shape.distribution_configuration_arn {
            Some(a) => Some(
                self.imagebuilder
                    .distributions
                    .get(a)
                    .ok_or_else(|| not_found(a))?
                    .shape
                    .clone(),
            ),
            None => None,
        };
        let (parent_ami, os_version) = self.ib_parent_ami(&caller, &recipe.parent_image)?;
        let mut components = Vec::new();
        for c in &recipe.components {
            let found = self
                .ib_component(&caller, &c.component_arn)
                .ok_or_else(|| not_found(&c.component_arn))?;
            components.push((found.shape.arn.clone(), found.document.clone()));
        }
        let version_arn = format!(
            "{}/{}",
            arn(&p.region, &p.account, "image", &recipe.name),
            recipe.version
        );
        let build = super::next_build(self.imagebuilder.images.keys(), &version_arn);
        let image_arn = format!("{version_arn}/{build}");
        let now = self.now();
        let mut all_tags = p.shape.image_tags.clone();
        all_tags.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
        let shape = ImageShape {
            arn: image_arn.clone(),
            kind: "AMI".into(),
            name: recipe.name.clone(),
            version: format!("{}/{build}", recipe.version),
            platform: "Linux".into(),
            enhanced_image_metadata_enabled: p.shape.enhanced_image_metadata_enabled,
            os_version,
            state: ImageStateShape {
                status: "PENDING".into(),
                reason: None,
            },
            image_recipe: recipe.clone(),
            source_pipeline_name: Some(p.shape.name.clone()),
            source_pipeline_arn: Some(pipeline_arn.to_string()),
            infrastructure_configuration: infra,
            distribution_configuration: dist,
            image_tests_configuration: p.shape.image_tests_configuration.clone(),
            date_created: iso8601(now),
            output_resources: OutputResources::default(),
            tags: all_tags,
            build_type: build_type.into(),
            image_source: "CUSTOM".into(),
        };
        let seq = self.next_seq();
        self.imagebuilder.images.insert(
            image_arn.clone(),
            Image {
                account: p.account.clone(),
                region: p.region.clone(),
                semantic_version: recipe.version.clone(),
                build,
                status: ImageStatus::Pending,
                reason: None,
                pipeline_arn: Some(pipeline_arn.to_string()),
                parent_ami,
                components,
                created: now,
                build_instance: None,
                test_instance: None,
                stage: Stage::Launch,
                shape,
                seq,
            },
        );
        if let Some(p) = self.imagebuilder.pipelines.get_mut(pipeline_arn) {
            p.last_run = Some(now);
        }
        self.schedule_in(
            START_DELAY,
            Event::ImageBuildStep {
                image_arn: image_arn.clone(),
            },
        );
        Ok(image_arn)
    }

    fn step_later(&mut self, image_arn: &str, delay: u64, stage: Stage) {
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.stage = stage;
        }
        self.schedule_in(
            delay,
            Event::ImageBuildStep {
                image_arn: image_arn.to_string(),
            },
        );
    }

    fn set_status(&mut self, image_arn: &str, status: ImageStatus) {
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.status = status;
        }
    }

    /// An image build's step is due (see the module documentation).
    pub(crate) fn image_build_step(&mut self, image_arn: &str) {
        let Some(image) = self.imagebuilder.images.get(image_arn) else {
            return;
        };
        let result = match image.stage {
            Stage::Launch => self.launch_build_instance(image_arn),
            Stage::RunBuild => self.run_build(image_arn),
            Stage::AwaitAmi => self.after_ami(image_arn),
            Stage::RunTests => self.run_tests(image_arn),
            Stage::Finish => self.finish_distribution(image_arn),
            Stage::Done => Ok(()),
        };
        if let Err(reason) = result {
            self.fail_build(image_arn, reason);
        }
    }

    fn owner_of(&self, image_arn: &str) -> Caller {
        let i = &self.imagebuilder.images[image_arn];
        Caller::new(i.account.clone(), i.region.clone())
    }

    /// Launches a temporary instance of a build from `ami`.
    fn launch_for(&mut self, image_arn: &str, ami: &str, role: &str) -> Result<String, String> {
        let caller = self.owner_of(image_arn);
        let image = &self.imagebuilder.images[image_arn];
        let infra = &image.shape.infrastructure_configuration;
        let instance_type = infra
            .instance_types
            .first()
            .cloned()
            .unwrap_or_else(|| DEFAULT_INSTANCE_TYPE.into());
        let mut request = json!({
            "image_id": ami,
            "instance_type": instance_type,
            "min_count": 1,
            "max_count": 1,
            "tag_specifications": [{"resource_type": "instance", "tags": [
                {"key": "Name", "value": format!("{role} instance for {}", image.shape.name)},
                {"key": "CreatedBy", "value": "EC2 Image Builder"},
                {"key": "Ec2ImageBuilderArn", "value": image_arn},
            ]}],
        });
        if let Some(subnet) = &infra.subnet_id {
            request["subnet_id"] = json!(subnet);
        }
        if !infra.security_group_ids.is_empty() {
            request["security_group_ids"] = json!(infra.security_group_ids);
        }
        if let Some(key) = &infra.key_pair {
            request["key_name"] = json!(key);
        }
        if !image.shape.image_recipe.block_device_mappings.is_empty() && role == "Build" {
            request["block_device_mappings"] =
                json!(image.shape.image_recipe.block_device_mappings);
        }
        let launched = typed(request).and_then(|input| self.run_instances(&caller, input));
        match launched {
            Ok(r) => r
                .instances
                .first()
                .map(|i| i.instance_id.clone())
                .ok_or_else(|| format!("Launching the {} instance failed.", role.to_lowercase())),
            Err(e) => Err(format!(
                "Launching the {} instance failed: ({}) {}",
                role.to_lowercase(),
                e.code,
                e.message
            )),
        }
    }

    fn launch_build_instance(&mut self, image_arn: &str) -> Result<(), String> {
        self.set_status(image_arn, ImageStatus::Building);
        let parent = self.imagebuilder.images[image_arn].parent_ami.clone();
        let id = self.launch_for(image_arn, &parent, "Build")?;
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.build_instance = Some(id);
        }
        self.step_later(image_arn, BUILD_WAIT, Stage::RunBuild);
        Ok(())
    }

    /// Runs one phase of every component that has it on an instance's guest, in recipe order.
    fn run_phase(&mut self, image_arn: &str, instance: &str, phase: &str) -> Result<(), String> {
        let image = &self.imagebuilder.images[image_arn];
        let region = image.region.clone();
        let work: Vec<(String, document::Step)> = image
            .components
            .iter()
            .filter_map(|(arn, doc)| doc.phase(phase).map(|p| (arn, p)))
            .flat_map(|(arn, p)| p.steps.iter().map(move |s| (arn.clone(), s.clone())))
            .collect();
        let workflow_step = if phase == "test" {
            "RunTestPhases"
        } else {
            "ApplyBuildComponents"
        };
        for (component, step) in work {
            let mut regex_budget = self.guest_regex_left;
            let Some(i) = self
                .region_mut_opt(&region)
                .and_then(|r| r.instances.get_mut(instance))
                .filter(|i| i.state == InstanceState::Running)
            else {
                return Err(format!(
                    "Step '{workflow_step}' failed: the instance {instance} is not running."
                ));
            };
            let result = std::sync::Arc::make_mut(&mut i.guest)
                .run_script_within(&step.commands, &mut regex_budget);
            self.guest_regex_left = regex_budget;
            if result.exit_code != 0 {
                let output = format!("{}{}", result.stdout, result.stderr);
                return Err(format!(
                    "Step '{workflow_step}' failed. Document {component} failed in phase '{phase}', step '{}' (ExecuteBash), exit code {}. Output: {}",
                    step.name,
                    result.exit_code,
                    output.trim_end()
                ));
            }
        }
        Ok(())
    }

    /// The AMI name and description for a region: its distribution entry's, rendered, or the
    /// default `<recipe name> <build date>`.
    fn ami_name_for(
        &self,
        image_arn: &str,
        region: &str,
    ) -> Result<(String, Option<String>), String> {
        let image = &self.imagebuilder.images[image_arn];
        let entry = image
            .shape
            .distribution_configuration
            .as_ref()
            .and_then(|d| d.distributions.iter().find(|d| d.region == region))
            .and_then(|d| d.ami_distribution_configuration.clone())
            .unwrap_or_default();
        let template = entry
            .name
            .unwrap_or_else(|| format!("{} {{{{imagebuilder:buildDate}}}}", image.shape.name));
        let name = render_ami_name(&template, image.created, image.build)?;
        Ok((name, entry.description))
    }

    fn run_build(&mut self, image_arn: &str) -> Result<(), String> {
        let caller = self.owner_of(image_arn);
        let instance = self.imagebuilder.images[image_arn]
            .build_instance
            .clone()
            .unwrap_or_default();
        self.run_phase(image_arn, &instance, "build")?;
        self.run_phase(image_arn, &instance, "validate")?;
        let (name, description) = self.ami_name_for(image_arn, &caller.region)?;
        let mut request = json!({"instance_id": instance, "name": name});
        if let Some(d) = &description {
            request["description"] = json!(d);
        }
        let ami = typed(request)
            .and_then(|input| self.create_image(&caller, input))
            .map_err(|e| format!("Step 'CreateOutputAMI' failed: ({}) {}", e.code, e.message))?;
        self.record_ami(image_arn, &caller, ami.image_id, name, description);
        self.step_later(image_arn, durations::CREATE_IMAGE + 10, Stage::AwaitAmi);
        Ok(())
    }

    fn record_ami(
        &mut self,
        image_arn: &str,
        caller: &Caller,
        ami: String,
        name: String,
        description: Option<String>,
    ) {
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.shape.output_resources.amis.push(AmiShape {
                region: caller.region.clone(),
                image: ami,
                name,
                description,
                state: ImageStateShape {
                    status: "PENDING".into(),
                    reason: None,
                },
                account_id: caller.account.clone(),
            });
        }
    }

    /// Whether every AMI of the build is available.
    fn amis_available(&self, image_arn: &str) -> bool {
        self.imagebuilder.images[image_arn].amis().iter().all(|a| {
            self.region(&a.region)
                .and_then(|r| r.images.get(&a.image))
                .is_some_and(|i| i.state == ImageState::Available)
        })
    }

    fn terminate(&mut self, image_arn: &str, instance: Option<String>) {
        let Some(id) = instance else {
            return;
        };
        let caller = self.owner_of(image_arn);
        let _ = self.terminate_instances(
            &caller,
            TerminateInstancesInput {
                instance_ids: vec![id],
                force: None,
                skip_os_shutdown: None,
                dry_run: None,
            },
        );
    }

    fn after_ami(&mut self, image_arn: &str) -> Result<(), String> {
        if !self.amis_available(image_arn) {
            self.step_later(image_arn, POLL, Stage::AwaitAmi);
            return Ok(());
        }
        let image = &self.imagebuilder.images[image_arn];
        let keep = !image
            .shape
            .infrastructure_configuration
            .terminate_instance_on_completion;
        let build_instance = image.build_instance.clone();
        let tests = image.shape.image_tests_configuration.image_tests_enabled != Some(false)
            && image
                .components
                .iter()
                .any(|(_, d)| d.phase("test").is_some());
        let ami = image
            .amis()
            .first()
            .map(|a| a.image.clone())
            .unwrap_or_default();
        if !keep {
            self.terminate(image_arn, build_instance);
            if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
                i.build_instance = None;
            }
        }
        if tests {
            self.set_status(image_arn, ImageStatus::Testing);
            let id = self.launch_for(image_arn, &ami, "Test")?;
            if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
                i.test_instance = Some(id);
            }
            self.step_later(image_arn, TEST_WAIT, Stage::RunTests);
            return Ok(());
        }
        self.distribute(image_arn)
    }

    fn run_tests(&mut self, image_arn: &str) -> Result<(), String> {
        let instance = self.imagebuilder.images[image_arn]
            .test_instance
            .clone()
            .unwrap_or_default();
        let outcome = self.run_phase(image_arn, &instance, "test");
        self.terminate(image_arn, Some(instance));
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.test_instance = None;
        }
        outcome?;
        self.distribute(image_arn)
    }

    fn distribute(&mut self, image_arn: &str) -> Result<(), String> {
        self.set_status(image_arn, ImageStatus::Distributing);
        let caller = self.owner_of(image_arn);
        let source = self.imagebuilder.images[image_arn]
            .amis()
            .first()
            .map(|a| a.image.clone())
            .unwrap_or_default();
        let regions: Vec<String> = self.imagebuilder.images[image_arn]
            .shape
            .distribution_configuration
            .iter()
            .flat_map(|d| d.distributions.iter().map(|d| d.region.clone()))
            .filter(|r| *r != caller.region)
            .collect();
        let copies = !regions.is_empty();
        for region in regions {
            let (name, description) = self.ami_name_for(image_arn, &region)?;
            let there = Caller::new(caller.account.clone(), region.clone());
            let mut request =
                json!({"name": name, "source_image_id": source, "source_region": caller.region});
            if let Some(d) = &description {
                request["description"] = json!(d);
            }
            let copied = self
                .ensure_account(&there.account, &there.region)
                .and_then(|_| typed(request))
                .and_then(|input| self.copy_image(&there, input))
                .map_err(|e| {
                    format!(
                        "Step 'DistributeImage' failed in {region}: ({}) {}",
                        e.code, e.message
                    )
                })?;
            self.record_ami(image_arn, &there, copied.image_id, name, description);
        }
        let wait = if copies {
            durations::COPY_IMAGE_CROSS_REGION + 30
        } else {
            1
        };
        self.step_later(image_arn, wait, Stage::Finish);
        Ok(())
    }

    fn finish_distribution(&mut self, image_arn: &str) -> Result<(), String> {
        if !self.amis_available(image_arn) {
            self.step_later(image_arn, POLL, Stage::Finish);
            return Ok(());
        }
        let image = &self.imagebuilder.images[image_arn];
        let account = image.account.clone();
        let mut grants = Vec::new();
        for ami in image.amis() {
            let entry = image
                .shape
                .distribution_configuration
                .as_ref()
                .and_then(|d| d.distributions.iter().find(|d| d.region == ami.region))
                .and_then(|d| d.ami_distribution_configuration.clone())
                .unwrap_or_default();
            let lp = entry.launch_permission.unwrap_or_default();
            let mut add: Vec<Value> = lp
                .user_ids
                .iter()
                .chain(entry.target_account_ids.iter())
                .filter(|a| **a != account)
                .map(|a| json!({"user_id": a}))
                .collect();
            add.extend(lp.user_groups.iter().map(|g| json!({"group": g})));
            if !add.is_empty() {
                grants.push((ami.region.clone(), ami.image.clone(), add));
            }
        }
        for (region, ami, add) in grants {
            let there = Caller::new(account.clone(), region.clone());
            typed(json!({"image_id": ami, "launch_permission": {"add": add}}))
                .and_then(|input| self.modify_image_attribute(&there, input))
                .map_err(|e| {
                    format!(
                        "Step 'DistributeImage' failed in {region}: ({}) {}",
                        e.code, e.message
                    )
                })?;
        }
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            for a in &mut i.shape.output_resources.amis {
                a.state.status = "AVAILABLE".into();
            }
            i.status = ImageStatus::Available;
            i.stage = Stage::Done;
        }
        Ok(())
    }

    /// Marks a build `FAILED`, cleaning up its instances and AMIs.
    fn fail_build(&mut self, image_arn: &str, reason: String) {
        let Some(image) = self.imagebuilder.images.get(image_arn) else {
            return;
        };
        let keep_build = !image
            .shape
            .infrastructure_configuration
            .terminate_instance_on_failure;
        let (build, test) = (image.build_instance.clone(), image.test_instance.clone());
        let amis: Vec<(String, String)> = image
            .amis()
            .iter()
            .map(|a| (a.region.clone(), a.image.clone()))
            .collect();
        let account = image.account.clone();
        if !keep_build {
            self.terminate(image_arn, build);
        }
        self.terminate(image_arn, test);
        for (region, ami) in amis {
            let there = Caller::new(account.clone(), region);
            if let Ok(input) = typed(json!({"image_id": ami})) {
                let _ = self.deregister_image(&there, input);
            }
        }
        if let Some(i) = self.imagebuilder.images.get_mut(image_arn) {
            i.status = ImageStatus::Failed;
            i.reason = Some(truncate(reason));
            i.stage = Stage::Done;
            i.test_instance = None;
            if !keep_build {
                i.build_instance = None;
            }
            i.shape.output_resources.amis.clear();
        }
    }

    /// Schedules a pipeline's next scheduled run, if it is enabled and has a schedule.
    pub(crate) fn schedule_next_run(&mut self, pipeline_arn: &str) {
        let now = self.now();
        let Some(p) = self.imagebuilder.pipelines.get_mut(pipeline_arn) else {
            return;
        };
        p.next_run = None;
        if p.shape.status != "ENABLED" {
            return;
        }
        let Some(at) = p.schedule.as_ref().and_then(|c| c.next_after(now)) else {
            return;
        };
        p.next_run = Some(at);
        self.schedule.at(
            at,
            Event::PipelineScheduled {
                pipeline_arn: pipeline_arn.to_string(),
                at,
            },
        );
    }

    /// A pipeline's schedule falls due: it runs unless a build of it is in progress or, with the
    /// default start condition, an earlier build already made an `AVAILABLE` image from the
    /// same recipe (the simulated catalogue never updates a parent image or component, so there
    /// are no "dependency updates" after a first success).
    pub(crate) fn pipeline_schedule_due(&mut self, pipeline_arn: &str, at: u64) {
        let Some(p) = self.imagebuilder.pipelines.get(pipeline_arn) else {
            return;
        };
        if p.next_run != Some(at) {
            return;
        }
        let images = self.pipeline_images(pipeline_arn);
        let busy = images
            .iter()
            .any(|i| !matches!(i.status, ImageStatus::Available | ImageStatus::Failed));
        let built = images.iter().any(|i| {
            i.status == ImageStatus::Available
                && i.shape.image_recipe.arn == p.shape.image_recipe_arn
        });
        let up_to_date = p.needs_updates() && built;
        if !busy && !up_to_date {
            let _ = self.start_build(pipeline_arn, "SCHEDULED", &TagMap::new());
        }
        self.schedule_next_run(pipeline_arn);
    }
}

//! EC2 Image Builder from scripts (issue 10, item 6): a YAML component that installs nginx and
//! writes a page, a recipe from Amazon Linux 2023, distribution to two regions with a launch
//! permission, a pipeline run to `AVAILABLE` whose AMI serves the page; a failing test step;
//! a scheduled pipeline that runs while the script sleeps; `get_image`'s answer as a snapshot.

use amilab_cloud::Caller;
use serde_json::json;

use crate::common::{expect_error, output, run};

/// The component, recipe, infrastructure and distribution; `TEST` is the test phase's command.
const SETUP: &str = r#"
let ib = client("imagebuilder", "us-east-1");
let doc = `schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: InstallNginx
        action: ExecuteBash
        inputs:
          commands:
            - dnf install -y nginx
            - systemctl enable --now nginx
            - echo '<h1>baked by Image Builder</h1>' > /usr/share/nginx/html/index.html
  - name: validate
    steps:
      - name: PageWritten
        action: ExecuteBash
        inputs:
          commands:
            - test -f /usr/share/nginx/html/index.html
  - name: test
    steps:
      - name: ServesThePage
        action: ExecuteBash
        inputs:
          commands:
            - echo probing the page
            - TEST
`;
let c = ib.create_component(#{name: "nginx-web", semantic_version: "1.0.0", platform: "Linux", data: doc});
let r = ib.create_image_recipe(#{name: "web", semantic_version: "1.0.0",
    parent_image: "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
    components: [#{component_arn: c.component_build_version_arn}]});
let i = ib.create_infrastructure_configuration(#{name: "builders",
    instance_profile_name: "EC2InstanceProfileForImageBuilder", instance_types: ["t3.micro"]});
let share = #{name: "web-{{imagebuilder:buildDate}}", launch_permission: #{user_ids: ["210987654321"]}};
let d = ib.create_distribution_configuration(#{name: "east-and-west", distributions: [
    #{region: "us-east-1", ami_distribution_configuration: share},
    #{region: "eu-west-1", ami_distribution_configuration: share}]});
"#;

fn setup(test_command: &str) -> String {
    SETUP.replace("TEST", test_command)
}

#[test]
fn a_pipeline_bakes_an_ami_in_two_regions_that_serves_the_page() {
    let body = format!(
        r#"{}
let p = ib.create_image_pipeline(#{{name: "web", image_recipe_arn: r.image_recipe_arn,
    infrastructure_configuration_arn: i.infrastructure_configuration_arn,
    distribution_configuration_arn: d.distribution_configuration_arn}});
let arn = ib.start_image_pipeline_execution(#{{image_pipeline_arn: p.image_pipeline_arn}}).image_build_version_arn;
print(arn);
print(ib.get_image(#{{image_build_version_arn: arn}}).image.state.status);
ib.get_waiter("image_available").wait(#{{image_build_version_arn: arn}});
let img = ib.get_image(#{{image_build_version_arn: arn}}).image;
print(img.state.status);
for a in img.output_resources.amis {{ print(a.region + " " + a.name); }}
let west = img.output_resources.amis[1].image;
let ec2w = client("ec2", "eu-west-1");
print(ec2w.describe_image_attribute(#{{image_id: west, attribute: "launchPermission"}}).launch_permissions[0].user_id);
let id = launch(ec2w, west, "t3.micro");
ec2w.get_waiter("instance_running").wait(#{{instance_ids: [id]}});
let ssm = client("ssm", "eu-west-1");
let cmd = ssm.send_command(#{{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{{commands: ["curl -s http://localhost"]}}}}).command;
ssm.get_waiter("command_executed").wait(#{{command_id: cmd.command_id, instance_id: id}});
let page = ssm.get_command_invocation(#{{command_id: cmd.command_id, instance_id: id}}).standard_output_content;
page.trim();
print(page);
print(ec2.describe_instances(#{{filters: [#{{name: "instance-state-name", values: ["pending", "running"]}}]}}).reservations.len());"#,
        setup("systemctl is-active nginx")
    );
    let lines = output(&body);
    assert_eq!(
        lines[0],
        "arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/1"
    );
    assert_eq!(lines[1], "PENDING");
    assert_eq!(lines[2], "AVAILABLE");
    assert!(
        lines[3].starts_with("us-east-1 web-2025-06-02T09-00-"),
        "{lines:?}"
    );
    assert!(
        lines[4].starts_with("eu-west-1 web-2025-06-02T09-00-"),
        "{lines:?}"
    );
    assert_eq!(
        lines[5..],
        ["210987654321", "<h1>baked by Image Builder</h1>", "0"]
    );
}

#[test]
fn a_failing_test_step_fails_the_image_with_the_steps_output() {
    let body = format!(
        r#"{}
let p = ib.create_image_pipeline(#{{name: "web", image_recipe_arn: r.image_recipe_arn,
    infrastructure_configuration_arn: i.infrastructure_configuration_arn,
    distribution_configuration_arn: d.distribution_configuration_arn}});
let arn = ib.start_image_pipeline_execution(#{{image_pipeline_arn: p.image_pipeline_arn}}).image_build_version_arn;
try {{ ib.get_waiter("image_available").wait(#{{image_build_version_arn: arn}}); }} catch {{ print("waiter gave up"); }}
let img = ib.get_image(#{{image_build_version_arn: arn}}).image;
print(img.state.status);
print(img.state.reason);
print(img.output_resources.amis.len());"#,
        setup("test -f /etc/web-ready")
    );
    let lines = output(&body);
    assert_eq!(lines[0], "waiter gave up");
    assert_eq!(lines[1], "FAILED");
    assert!(
        lines[2].contains("phase 'test', step 'ServesThePage'"),
        "{lines:?}"
    );
    assert!(
        lines[2].contains("exit code 1") && lines[2].contains("probing the page"),
        "{lines:?}"
    );
    assert_eq!(lines[3], "0");
}

#[test]
fn a_scheduled_pipeline_runs_while_the_script_sleeps() {
    // The clock starts at 2025-06-02T09:00Z; the pipeline runs at 10:00 every day.
    let body = format!(
        r#"{}
let p = ib.create_image_pipeline(#{{name: "nightly", image_recipe_arn: r.image_recipe_arn,
    infrastructure_configuration_arn: i.infrastructure_configuration_arn,
    distribution_configuration_arn: d.distribution_configuration_arn,
    schedule: #{{schedule_expression: "cron(0 10 * * ? *)", pipeline_execution_start_condition: "EXPRESSION_MATCH_ONLY"}}}});
let arn = p.image_pipeline_arn;
print(ib.get_image_pipeline(#{{image_pipeline_arn: arn}}).image_pipeline.date_next_run);
print(ib.list_image_pipeline_images(#{{image_pipeline_arn: arn}}).image_summary_list.len());
sleep(3 * 3600);
let images = ib.list_image_pipeline_images(#{{image_pipeline_arn: arn}}).image_summary_list;
print(images.len() + " " + images[0].build_type + " " + images[0].state.status);
print(ib.get_image_pipeline(#{{image_pipeline_arn: arn}}).image_pipeline.date_next_run);"#,
        setup("systemctl is-active nginx")
    );
    assert_eq!(
        output(&body),
        vec![
            "2025-06-02T10:00:00.000Z",
            "0",
            "1 SCHEDULED AVAILABLE",
            "2025-06-03T10:00:00.000Z"
        ]
    );
}

#[test]
fn a_document_that_is_not_valid_yaml_is_refused() {
    expect_error(
        r#"let ib = client("imagebuilder", "us-east-1");
           ib.create_component(#{name: "broken", semantic_version: "1.0.0", platform: "Linux",
               data: "phases: [unclosed"});"#,
        "InvalidParameterValueException",
        "The value supplied for parameter 'data' is not valid. The document is not valid YAML",
    );
}

#[test]
fn get_image_answers_the_whole_build() {
    let body = format!(
        r#"{}
let p = ib.create_image_pipeline(#{{name: "web", image_recipe_arn: r.image_recipe_arn,
    infrastructure_configuration_arn: i.infrastructure_configuration_arn,
    distribution_configuration_arn: d.distribution_configuration_arn}});
ib.start_image_pipeline_execution(#{{image_pipeline_arn: p.image_pipeline_arn, client_token: "snapshot"}});
sleep(3600);"#,
        setup("systemctl is-active nginx")
    );
    let (report, cloud) = run(&body);
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let mut cloud = cloud.borrow_mut();
    let me = Caller::new(amilab_cloud::DEFAULT_ACCOUNT, "us-east-1");
    let image = cloud
        .call(
            &me,
            "imagebuilder",
            "get_image",
            json!({"image_build_version_arn": "arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/1"}),
        )
        .unwrap();
    insta::assert_json_snapshot!(image);
}

#[test]
fn a_world_mid_build_and_after_it_saves_and_resumes_exactly() {
    // Client tokens (which the AWS CLI always sends), every configuration and a build under
    // way: the world file once could not hold them.
    let body = format!(
        r#"{}
let p = ib.create_image_pipeline(#{{name: "web", image_recipe_arn: r.image_recipe_arn,
    infrastructure_configuration_arn: i.infrastructure_configuration_arn,
    distribution_configuration_arn: d.distribution_configuration_arn, client_token: "t-1"}});
ib.start_image_pipeline_execution(#{{image_pipeline_arn: p.image_pipeline_arn, client_token: "t-2"}});
"#,
        setup("true")
    );
    let (report, cloud) = run(&body);
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let mut cloud = cloud.borrow().clone();
    for _ in 0..2 {
        let text = cloud.save_world();
        let mut loaded =
            amilab_cloud::Cloud::load_world(&text, Some(amilab::yaml::component_document)).unwrap();
        assert_eq!(loaded.state_digest(), cloud.state_digest());
        assert_eq!(loaded.save_world(), text);
        // The build goes on the same in both.
        cloud.advance(3600);
        loaded.advance(3600);
        assert_eq!(loaded.save_world(), cloud.save_world());
    }
}

//! EC2 Image Builder through `Cloud::call`: a pipeline's run on the clock (build, validate,
//! test, distribute to two regions with launch permissions), failures with their reasons,
//! build numbering, schedules, idempotency and every error code.

use amilab_cloud::{CallError, Caller, Cloud, WorldConfig, DEFAULT_ACCOUNT};
use serde_json::{json, Value};

const EAST: &str = "us-east-1";
const WEST: &str = "eu-west-1";
const MATE: &str = "222233334444";

fn cloud() -> Cloud {
    Cloud::new(WorldConfig {
        regions: vec![EAST.into(), WEST.into()],
        other_accounts: vec![MATE.into()],
        ..WorldConfig::default()
    })
}

fn me() -> Caller {
    Caller::new(DEFAULT_ACCOUNT, EAST)
}

fn call(cloud: &mut Cloud, method: &str, params: Value) -> Value {
    cloud
        .call(&me(), "imagebuilder", method, params.clone())
        .unwrap_or_else(|e| panic!("{method}({params}): {e:?}"))
}

fn aws_error(cloud: &mut Cloud, method: &str, params: Value) -> (String, String, u16) {
    match cloud.call(&me(), "imagebuilder", method, params) {
        Err(CallError::Aws(e)) => (e.code, e.message, e.http_status),
        other => panic!("{method}: expected an AWS error, got {other:?}"),
    }
}

fn document(build: &[&str], test: &[&str]) -> String {
    let phase = |name: &str, commands: &[&str]| json!({"name": name, "steps": [{"name": format!("{name}Step"), "action": "ExecuteBash", "inputs": {"commands": commands}}]});
    let mut phases = vec![phase("build", build)];
    if !test.is_empty() {
        phases.push(phase("test", test));
    }
    json!({"schemaVersion": 1.0, "phases": phases}).to_string()
}

const NGINX: &[&str] = &[
    "dnf install -y nginx",
    "systemctl enable nginx",
    "echo '<h1>baked</h1>' > /usr/share/nginx/html/index.html",
];

/// Component → recipe (AL2023) → infrastructure → distribution (east + west, a launch
/// permission for MATE) → pipeline; answers the pipeline's ARN.
fn pipeline(cloud: &mut Cloud, name: &str, test: &[&str], extra: Value) -> String {
    let c = call(
        cloud,
        "create_component",
        json!({"name": format!("{name}-c"), "semantic_version": "1.0.0", "platform": "Linux",
        "data": document(NGINX, test)}),
    );
    let r = call(
        cloud,
        "create_image_recipe",
        json!({"name": format!("{name}-r"), "semantic_version": "1.0.0",
        "parent_image": format!("arn:aws:imagebuilder:{EAST}:aws:image/amazon-linux-2023-x86/x.x.x"),
        "components": [{"component_arn": c["component_build_version_arn"]}]}),
    );
    let i = call(
        cloud,
        "create_infrastructure_configuration",
        json!({"name": format!("{name}-i"), "instance_profile_name": "EC2InstanceProfileForImageBuilder", "instance_types": ["t3.micro"]}),
    );
    let d = call(
        cloud,
        "create_distribution_configuration",
        json!({"name": format!("{name}-d"), "distributions": [
        {"region": EAST, "ami_distribution_configuration": {"name": format!("{name}-{{{{imagebuilder:buildDate}}}}"), "launch_permission": {"user_ids": [MATE]}}},
        {"region": WEST, "ami_distribution_configuration": {"name": format!("{name}-{{{{imagebuilder:buildDate}}}}"), "description": "web server", "launch_permission": {"user_ids": [MATE]}}}]}),
    );
    let mut params = json!({"name": name, "image_recipe_arn": r["image_recipe_arn"],
        "infrastructure_configuration_arn": i["infrastructure_configuration_arn"],
        "distribution_configuration_arn": d["distribution_configuration_arn"]});
    for (k, v) in extra.as_object().into_iter().flatten() {
        params[k] = v.clone();
    }
    call(cloud, "create_image_pipeline", params)["image_pipeline_arn"]
        .as_str()
        .unwrap()
        .to_string()
}

fn status(cloud: &mut Cloud, image: &str) -> String {
    call(
        cloud,
        "get_image",
        json!({"image_build_version_arn": image}),
    )["image"]["state"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_pipeline_builds_tests_and_distributes_on_the_clock() {
    let mut cloud = cloud();
    let p = pipeline(&mut cloud, "web", &["systemctl is-active nginx"], json!({}));
    let run = call(
        &mut cloud,
        "start_image_pipeline_execution",
        json!({"image_pipeline_arn": p}),
    );
    let image = run["image_build_version_arn"].as_str().unwrap().to_string();
    assert_eq!(
        image,
        format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image/web-r/1.0.0/1")
    );
    let mut seen = vec![status(&mut cloud, &image)];
    for _ in 0..60 {
        cloud.advance(30);
        let s = status(&mut cloud, &image);
        if seen.last() != Some(&s) {
            seen.push(s);
        }
    }
    assert_eq!(
        seen,
        [
            "PENDING",
            "BUILDING",
            "TESTING",
            "DISTRIBUTING",
            "AVAILABLE"
        ]
    );
    let got = call(
        &mut cloud,
        "get_image",
        json!({"image_build_version_arn": image}),
    );
    let amis = got["image"]["output_resources"]["amis"]
        .as_array()
        .unwrap()
        .clone();
    let regions: Vec<&str> = amis.iter().map(|a| a["region"].as_str().unwrap()).collect();
    assert_eq!(regions, [EAST, WEST]);
    assert!(amis[0]["name"].as_str().unwrap().starts_with("web-2025-"));
    // The temporary instances are gone; the AMIs are shared with MATE.
    let ec2 = |cloud: &mut Cloud, caller: &Caller, method: &str, params: Value| {
        cloud.call(caller, "ec2", method, params).unwrap()
    };
    let running = ec2(
        &mut cloud,
        &me(),
        "describe_instances",
        json!({"filters": [{"name": "instance-state-name", "values": ["pending", "running"]}]}),
    );
    assert_eq!(
        running["reservations"].as_array().unwrap().len(),
        0,
        "{running}"
    );
    let west_ami = amis[1]["image"].as_str().unwrap();
    let attr = ec2(
        &mut cloud,
        &Caller::new(DEFAULT_ACCOUNT, WEST),
        "describe_image_attribute",
        json!({"image_id": west_ami, "attribute": "launchPermission"}),
    );
    assert_eq!(attr["launch_permissions"], json!([{"user_id": MATE}]));
    // MATE launches the distributed AMI in the other region, and it serves the page.
    let mate = Caller::new(MATE, WEST);
    let r = ec2(
        &mut cloud,
        &mate,
        "run_instances",
        json!({"image_id": west_ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
    );
    let id = r["instances"][0]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(60);
    let cmd = ec2_ssm(&mut cloud, &mate, &id, "curl -s http://localhost");
    assert_eq!(cmd.trim(), "<h1>baked</h1>");
    // A second run of the same recipe version is build 2; the pipeline lists both.
    let second = call(
        &mut cloud,
        "start_image_pipeline_execution",
        json!({"image_pipeline_arn": p}),
    );
    assert!(second["image_build_version_arn"]
        .as_str()
        .unwrap()
        .ends_with("/1.0.0/2"));
    let listed = call(
        &mut cloud,
        "list_image_pipeline_images",
        json!({"image_pipeline_arn": p}),
    );
    let versions: Vec<&str> = listed["image_summary_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.0.0/1", "1.0.0/2"]);
    let images = call(&mut cloud, "list_images", json!({}));
    assert_eq!(images["image_version_list"].as_array().unwrap().len(), 1);
    assert_eq!(
        images["image_version_list"][0]["arn"],
        format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image/web-r/1.0.0")
    );
    let pipe = call(
        &mut cloud,
        "get_image_pipeline",
        json!({"image_pipeline_arn": p}),
    );
    assert_eq!(pipe["image_pipeline"]["last_run_status"], "PENDING");
    // The state accessors.
    assert_eq!(cloud.image_pipelines().count(), 1);
    assert_eq!(cloud.pipeline_images(&p).len(), 2);
}

fn ec2_ssm(cloud: &mut Cloud, caller: &Caller, instance: &str, command: &str) -> String {
    let sent = cloud
        .call(caller, "ssm", "send_command", json!({"instance_ids": [instance], "document_name": "AWS-RunShellScript", "parameters": {"commands": [command]}}))
        .unwrap();
    cloud.advance(5);
    let id = sent["command"]["command_id"].as_str().unwrap();
    let inv = cloud
        .call(
            caller,
            "ssm",
            "get_command_invocation",
            json!({"command_id": id, "instance_id": instance}),
        )
        .unwrap();
    inv["standard_output_content"].as_str().unwrap().to_string()
}

#[test]
fn a_failing_test_step_fails_the_image_with_its_output() {
    let mut cloud = cloud();
    let p = pipeline(
        &mut cloud,
        "web",
        &["echo checking port 8080", "test -f /etc/nope"],
        json!({}),
    );
    let image = call(
        &mut cloud,
        "start_image_pipeline_execution",
        json!({"image_pipeline_arn": p}),
    )["image_build_version_arn"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(3600);
    let got = call(
        &mut cloud,
        "get_image",
        json!({"image_build_version_arn": image}),
    );
    assert_eq!(got["image"]["state"]["status"], "FAILED");
    let reason = got["image"]["state"]["reason"].as_str().unwrap();
    assert!(reason.contains("phase 'test', step 'testStep'"), "{reason}");
    assert!(reason.contains("exit code 1"), "{reason}");
    assert!(reason.contains("checking port 8080"), "{reason}");
    assert!(got["image"]["output_resources"]["amis"]
        .as_array()
        .unwrap()
        .is_empty());
    let running = cloud
        .call(
            &me(),
            "ec2",
            "describe_instances",
            json!({"filters": [{"name": "instance-state-name", "values": ["pending", "running"]}]}),
        )
        .unwrap();
    assert_eq!(running["reservations"].as_array().unwrap().len(), 0);
    // The AMI made before the tests is deregistered.
    let mine = cloud
        .call(&me(), "ec2", "describe_images", json!({"owners": ["self"]}))
        .unwrap();
    assert_eq!(mine["images"].as_array().unwrap().len(), 0, "{mine}");
}

#[test]
fn a_failing_build_step_fails_before_any_ami() {
    let mut cloud = cloud();
    let c = call(
        &mut cloud,
        "create_component",
        json!({"name": "broken", "semantic_version": "1.0.0", "platform": "Linux",
        "data": document(&["frobnicate --now"], &[])}),
    );
    let parent = cloud.call(&me(), "ec2", "describe_images", json!({"owners": ["amazon"], "filters": [{"name": "name", "values": ["al2023-ami-*-x86_64"]}]})).unwrap()["images"][0]["image_id"].clone();
    let r = call(
        &mut cloud,
        "create_image_recipe",
        json!({"name": "broken", "semantic_version": "2.1.0",
        "parent_image": parent,
        "components": [{"component_arn": c["component_build_version_arn"]}]}),
    );
    let i = call(
        &mut cloud,
        "create_infrastructure_configuration",
        json!({"name": "infra", "instance_profile_name": "p"}),
    );
    let p = call(
        &mut cloud,
        "create_image_pipeline",
        json!({"name": "broken", "image_recipe_arn": r["image_recipe_arn"], "infrastructure_configuration_arn": i["infrastructure_configuration_arn"]}),
    );
    let image = call(
        &mut cloud,
        "start_image_pipeline_execution",
        json!({"image_pipeline_arn": p["image_pipeline_arn"]}),
    )["image_build_version_arn"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(1200);
    let got = call(
        &mut cloud,
        "get_image",
        json!({"image_build_version_arn": image}),
    );
    assert_eq!(got["image"]["state"]["status"], "FAILED");
    let reason = got["image"]["state"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("phase 'build'")
            && reason.contains("exit code 127")
            && reason.contains("command not found"),
        "{reason}"
    );
    assert_eq!(
        got["image"]["infrastructure_configuration"]["instance_types"],
        Value::Null
    );
}

#[test]
fn a_scheduled_pipeline_runs_by_itself() {
    let mut cloud = cloud();
    // The clock starts 2025-06-02T09:00Z; 10:00 every day.
    let p = pipeline(
        &mut cloud,
        "nightly",
        &[],
        json!({"schedule": {"schedule_expression": "cron(0 10 * * ? *)", "pipeline_execution_start_condition": "EXPRESSION_MATCH_ONLY"}}),
    );
    let pipe = call(
        &mut cloud,
        "get_image_pipeline",
        json!({"image_pipeline_arn": p}),
    );
    assert_eq!(
        pipe["image_pipeline"]["date_next_run"],
        "2025-06-02T10:00:00.000Z"
    );
    cloud.advance(3599);
    assert!(cloud.pipeline_images(&p).is_empty());
    cloud.advance(2 * 3600);
    let images = cloud.pipeline_images(&p);
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].shape().build_type, "SCHEDULED");
    assert_eq!(images[0].status.as_str(), "AVAILABLE");
    cloud.advance(86_400);
    assert_eq!(cloud.pipeline_images(&p).len(), 2);
    // With the default start condition, a second day without updates starts nothing.
    let q = pipeline(
        &mut cloud,
        "weekly",
        &[],
        json!({"schedule": {"schedule_expression": "cron(0 10 * * ? *)"}}),
    );
    cloud.advance(3 * 86_400);
    assert_eq!(cloud.pipeline_images(&q).len(), 1);
    // A disabled pipeline never runs by itself.
    let d = pipeline(
        &mut cloud,
        "off",
        &[],
        json!({"status": "DISABLED", "schedule": {"schedule_expression": "cron(0 * * * ? *)"}}),
    );
    cloud.advance(86_400);
    assert!(cloud.pipeline_images(&d).is_empty());
}

#[test]
fn components_of_the_same_version_get_build_numbers_and_tokens_are_idempotent() {
    let mut cloud = cloud();
    let data = document(&["true"], &[]);
    let first = call(
        &mut cloud,
        "create_component",
        json!({"name": "comp1", "semantic_version": "1.2.3", "platform": "Linux", "data": data, "client_token": "t-1"}),
    );
    assert!(first["component_build_version_arn"]
        .as_str()
        .unwrap()
        .ends_with("component/comp1/1.2.3/1"));
    assert_eq!(first["client_token"], "t-1");
    let again = call(
        &mut cloud,
        "create_component",
        json!({"name": "comp1", "semantic_version": "1.2.3", "platform": "Linux", "data": data, "client_token": "t-1"}),
    );
    assert_eq!(
        again["component_build_version_arn"],
        first["component_build_version_arn"]
    );
    let second = call(
        &mut cloud,
        "create_component",
        json!({"name": "comp1", "semantic_version": "1.2.3", "platform": "Linux", "data": data}),
    );
    assert!(second["component_build_version_arn"]
        .as_str()
        .unwrap()
        .ends_with("/1.2.3/2"));
    let got = call(
        &mut cloud,
        "get_component",
        json!({"component_build_version_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:component/comp1/1.2.3")}),
    );
    assert_eq!(
        got["component"]["arn"],
        second["component_build_version_arn"]
    );
    assert_eq!(got["component"]["type"], "BUILD");
    let (code, message, _) = aws_error(
        &mut cloud,
        "create_component",
        json!({"name": "comp1", "semantic_version": "1.2.4", "platform": "Linux", "data": data, "client_token": "t-1"}),
    );
    assert_eq!(code, "IdempotentParameterMismatchException");
    assert!(message.contains("t-1"));
}

#[test]
fn every_error_code() {
    let mut cloud = cloud();
    let p = pipeline(&mut cloud, "web", &[], json!({}));
    let good = document(&["true"], &[]);
    let missing = format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image-pipeline/nope");
    let al2023 = format!("arn:aws:imagebuilder:{EAST}:aws:image/amazon-linux-2023-x86/x.x.x");
    let exists = format!("The following resource 'ImageRecipe' already exists: 'arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image-recipe/web-r/1.0.0'.");
    let cases: Vec<(&str, Value, &str, &str, u16)> = vec![
        ("create_component", json!({"name": "x", "semantic_version": "1.0.0", "platform": "Linux", "data": good}), "InvalidParameterValueException", "The value supplied for parameter 'name' is not valid.", 400),
        ("create_component", json!({"name": "cc1", "semantic_version": "1.0", "platform": "Linux", "data": good}), "InvalidVersionNumberException", "semanticVersion must match pattern", 400),
        ("create_component", json!({"name": "cc1", "semantic_version": "1.0.0", "platform": "Windows", "data": good}), "InvalidParameterValueException", "Platform 'Windows' is not simulated", 400),
        ("create_component", json!({"name": "cc1", "semantic_version": "1.0.0", "platform": "Linux"}), "InvalidParameterValueException", "Either 'data' or 'uri'", 400),
        ("create_component", json!({"name": "cc1", "semantic_version": "1.0.0", "platform": "Linux", "data": "phases:\n  - name: build\n"}), "InvalidParameterValueException", "JSON component documents only", 400),
        ("create_component", json!({"name": "cc1", "semantic_version": "1.0.0", "platform": "Linux", "data": json!({"schemaVersion": 1.0, "phases": [{"name": "build", "steps": [{"name": "S", "action": "S3Download", "inputs": []}]}]}).to_string()}), "InvalidParameterValueException", "The value supplied for parameter 'data' is not valid. Parsing step 'S' in phase 'build' failed. Error: Action S3Download is not simulated", 400),
        ("create_image_recipe", json!({"name": "web-r", "semantic_version": "1.0.0", "parent_image": al2023, "components": []}), "ResourceAlreadyExistsException", &exists, 400),
        ("create_image_recipe", json!({"name": "rr2", "semantic_version": "1.0.0", "parent_image": al2023, "components": []}), "InvalidParameterValueException", "at least one component", 400),
        ("create_image_recipe", json!({"name": "rr2", "semantic_version": "1.0.0", "parent_image": al2023, "components": [{"component_arn": "arn:aws:imagebuilder:us-east-1:123456789012:component/zz/1.0.0/1"}]}), "InvalidParameterValueException", "parameter 'components[0].componentArn' is not valid", 400),
        ("create_image_recipe", json!({"name": "rr2", "semantic_version": "1.0.0", "parent_image": "ami-00000000000000000", "components": [{"component_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:component/web-c/1.0.0/1")}]}), "InvalidParameterValueException", "parameter 'parentImage' is not valid", 400),
        ("create_image_recipe", json!({"name": "rr2", "semantic_version": "1.0.0", "parent_image": "arn:aws:imagebuilder:us-east-1:aws:image/windows-2022/x.x.x", "components": [{"component_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:component/web-c/1.0.0/1")}]}), "InvalidParameterValueException", "amazon-linux-2023-x86", 400),
        ("create_infrastructure_configuration", json!({"name": "web-i", "instance_profile_name": "p"}), "ResourceAlreadyExistsException", "'InfrastructureConfiguration' already exists", 400),
        ("create_infrastructure_configuration", json!({"name": "ii2", "instance_profile_name": "p", "instance_types": ["t9.huge"]}), "InvalidParameterValueException", "The instance type 't9.huge' does not exist.", 400),
        ("create_distribution_configuration", json!({"name": "web-d", "distributions": [{"region": EAST}]}), "ResourceAlreadyExistsException", "'DistributionConfiguration' already exists", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": []}), "InvalidParameterValueException", "At least one distribution", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": [{"region": "ap-south-1"}]}), "InvalidParameterValueException", "'ap-south-1' is not enabled", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": [{"region": EAST}, {"region": EAST}]}), "InvalidParameterValueException", "more than once", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": [{"region": EAST, "ami_distribution_configuration": {"name": "w-{{imagebuilder:nope}}"}}]}), "InvalidParameterValueException", "Unknown variable", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": [{"region": EAST, "ami_distribution_configuration": {"launch_permission": {"user_groups": ["friends"]}}}]}), "InvalidParameterValueException", "the only group is 'all'", 400),
        ("create_distribution_configuration", json!({"name": "dd2", "distributions": [{"region": EAST, "ami_distribution_configuration": {"target_account_ids": ["123"]}}]}), "InvalidParameterValueException", "not a 12-digit account id", 400),
        ("create_image_pipeline", json!({"name": "web", "image_recipe_arn": "x", "infrastructure_configuration_arn": "y"}), "ResourceAlreadyExistsException", "'ImagePipeline' already exists", 400),
        ("create_image_pipeline", json!({"name": "pp2", "image_recipe_arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/zz/1.0.0", "infrastructure_configuration_arn": "y"}), "ResourceNotFoundException", "image-recipe/zz/1.0.0' does not exist.", 404),
        ("create_image_pipeline", json!({"name": "pp2", "infrastructure_configuration_arn": "y"}), "InvalidParameterValueException", "imageRecipeArn", 400),
        ("create_image_pipeline", json!({"name": "pp2", "image_recipe_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image-recipe/web-r/1.0.0"), "infrastructure_configuration_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:infrastructure-configuration/web-i"), "schedule": {"schedule_expression": "rate(1 day)"}}), "InvalidParameterValueException", "parameter 'schedule.scheduleExpression' is not valid", 400),
        ("create_image_pipeline", json!({"name": "pp2", "image_recipe_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:image-recipe/web-r/1.0.0"), "infrastructure_configuration_arn": format!("arn:aws:imagebuilder:{EAST}:{DEFAULT_ACCOUNT}:infrastructure-configuration/web-i"), "status": "PAUSED"}), "InvalidParameterValueException", "'PAUSED' is not one of", 400),
        ("start_image_pipeline_execution", json!({"image_pipeline_arn": missing}), "ResourceNotFoundException", "image-pipeline/nope' does not exist.", 404),
        ("get_image", json!({"image_build_version_arn": "arn:aws:imagebuilder:us-east-1:123456789012:image/nope/1.0.0/1"}), "ResourceNotFoundException", "does not exist", 404),
        ("get_component", json!({"component_build_version_arn": "arn:aws:imagebuilder:us-east-1:123456789012:component/nope/1.0.0/1"}), "ResourceNotFoundException", "does not exist", 404),
        ("get_image_pipeline", json!({"image_pipeline_arn": missing}), "ResourceNotFoundException", "does not exist", 404),
        ("list_image_pipeline_images", json!({"image_pipeline_arn": missing}), "ResourceNotFoundException", "does not exist", 404),
        ("list_images", json!({"max_results": 101}), "InvalidRequestException", "Member must have value less than or equal to 100", 400),
        ("list_images", json!({"next_token": "garbage"}), "InvalidPaginationTokenException", "The provided pagination token is not valid.", 400),
        ("list_images", json!({"owner": "Everyone"}), "InvalidParameterValueException", "'Everyone' is not one of", 400),
    ];
    for (method, params, code, fragment, http) in cases {
        let (c, m, h) = aws_error(&mut cloud, method, params.clone());
        assert_eq!((c.as_str(), h), (code, http), "{method}({params}): {m}");
        assert!(m.contains(fragment), "{method}({params}): {m}");
    }
    // Another account sees none of it.
    let mate = Caller::new(MATE, EAST);
    let err = cloud.call(
        &mate,
        "imagebuilder",
        "get_image_pipeline",
        json!({"image_pipeline_arn": p}),
    );
    assert!(matches!(err, Err(CallError::Aws(e)) if e.code == "ResourceNotFoundException"));
    // Members not simulated are refused before anything is sent.
    let err = cloud.call(
        &me(),
        "imagebuilder",
        "create_component",
        json!({"name": "u", "semantic_version": "1.0.0", "platform": "Linux", "uri": "s3://b/k"}),
    );
    assert!(
        matches!(err, Err(CallError::NotSimulated { .. })),
        "{err:?}"
    );
}

#[test]
fn amazon_managed_parent_images_are_listed() {
    let mut cloud = cloud();
    let listed = call(
        &mut cloud,
        "list_images",
        json!({"owner": "Amazon", "max_results": 2}),
    );
    assert_eq!(listed["image_version_list"].as_array().unwrap().len(), 2);
    assert!(listed["next_token"].is_string());
    let rest = call(
        &mut cloud,
        "list_images",
        json!({"owner": "Amazon", "next_token": listed["next_token"]}),
    );
    let all: Vec<String> = listed["image_version_list"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["image_version_list"].as_array().unwrap())
        .map(|v| v["arn"].as_str().unwrap().to_string())
        .collect();
    assert!(all.contains(&format!(
        "arn:aws:imagebuilder:{EAST}:aws:image/amazon-linux-2023-x86/x.x.x"
    )));
    assert_eq!(all.len(), 5);
}

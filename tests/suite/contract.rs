//! The script API contract of DESIGN.md: boto3's names and shapes, errors as catchable maps,
//! did-you-mean on unknown keys, reserved words, sessions, waiters and the sandbox.

use crate::common;
use amilab::script::FailureKind;
use common::{expect_error, failure, output, run};

#[test]
fn request_and_response_keys_are_boto3_snake_case() {
    let lines = output(
        r#"let r = ec2.describe_images(#{image_ids: [al2023(ec2)]});
           let img = r.images[0];
           print(img.image_id.sub_string(0, 4));
           print(img.block_device_mappings[0].ebs.volume_size);
           print(img.root_device_type + " " + img.virtualization_type + " " + img.architecture);
           print(img.image_owner_alias);
           print(img.keys().contains("ImageId"));"#,
    );
    assert_eq!(
        lines,
        vec!["ami-", "8", "ebs hvm x86_64", "amazon", "false"]
    );
}

#[test]
fn fields_boto3_would_omit_are_absent() {
    let lines = output(
        r#"let img = ec2.describe_images(#{image_ids: [al2023(ec2)]}).images[0];
           print(img.keys().contains("platform"));
           let win = base_image(ec2, "Windows_Server-2022-*");
           print(ec2.describe_images(#{image_ids: [win]}).images[0].platform);
           let ubuntu = base_image(ec2, "ubuntu/images/*noble*amd64*");
           print(ec2.describe_images(#{image_ids: [ubuntu]}).images[0].keys().contains("image_owner_alias"));"#,
    );
    assert_eq!(lines, vec!["false", "windows", "false"]);
}

#[test]
fn unknown_key_lists_valid_keys_and_suggests_the_closest() {
    let f = failure(r#"ec2.describe_images(#{image_idz: ["ami-1"]});"#);
    assert_eq!(f.code.as_deref(), Some("ParamValidationError"));
    assert!(f.message.starts_with("Parameter validation failed:\nUnknown parameter in input: \"image_idz\", must be one of: image_ids, owners"), "{}", f.message);
    assert!(
        f.message.ends_with("Did you mean \"image_ids\"?"),
        "{}",
        f.message
    );
    // boto3's own spelling is recognised and translated.
    let f = failure(r#"ec2.describe_images(#{ImageIds: ["ami-1"]});"#);
    assert!(
        f.message.contains("Did you mean \"image_ids\"?"),
        "{}",
        f.message
    );
    // Nested structures say where.
    let f = failure(r#"ec2.describe_images(#{filters: [#{nam: "name", values: ["x"]}]});"#);
    assert!(
        f.message
            .contains("Unknown parameter in filters[0]: \"nam\", must be one of: name, values"),
        "{}",
        f.message
    );
}

#[test]
fn missing_required_key_and_wrong_types() {
    let f = failure(r#"ec2.create_image(#{instance_id: "i-0123456789abcdef0"});"#);
    assert_eq!(
        f.message,
        "Parameter validation failed:\nMissing required parameter in input: \"name\""
    );
    let f =
        failure(r#"ec2.run_instances(#{image_id: al2023(ec2), min_count: "1", max_count: 1});"#);
    assert!(
        f.message.contains("Invalid type for parameter min_count"),
        "{}",
        f.message
    );
    assert!(f.message.contains("valid types: integer"), "{}", f.message);
    let f = failure(r#"ec2.describe_images(#{image_ids: "ami-0123456789abcdef0"});"#);
    assert!(f.message.contains("valid types: list"), "{}", f.message);
    let f = failure(r#"ec2.describe_images("ami-0123456789abcdef0");"#);
    assert!(f.message.contains("must be an object map"), "{}", f.message);
}

#[test]
fn errors_are_catchable_maps_with_code_message_operation() {
    let lines = output(
        r#"try {
               ec2.describe_images(#{image_ids: ["ami-0123456789abcdef0"]});
           } catch (e) {
               print(type_of(e));
               print(e.code);
               print(e.operation);
               print(e.message);
           }
           print("after");"#,
    );
    assert_eq!(
        lines,
        vec![
            "map",
            "InvalidAMIID.NotFound",
            "DescribeImages",
            "The image id '[ami-0123456789abcdef0]' does not exist",
            "after"
        ]
    );
}

#[test]
fn reserved_words_are_read_with_an_index() {
    let lines = output(
        r#"let img = ec2.describe_images(#{image_ids: [al2023(ec2)]}).images[0];
           print(img["public"]);
           let mine = ec2.create_image(#{instance_id: running_web(ec2), name: "web-v1"}).image_id;
           let r = ec2.deregister_image(#{image_id: mine});
           print(r["return"]);"#,
    );
    assert_eq!(lines, vec!["true", "true"]);
}

#[test]
fn unknown_methods_services_and_regions_say_what_exists() {
    let f = failure(r#"ec2.describe_imagez(#{});"#);
    assert!(f.message.contains("describe_imagez"), "{}", f.message);
    let f = expect_error(
        r#"client("ssm", "us-east-1").create_image(#{});"#,
        "AttributeError",
        "'SSM' object has no attribute 'create_image'",
    );
    assert_eq!(f.kind, FailureKind::Runtime);
    let f = expect_error(
        r#"client("ecc2", "us-east-1");"#,
        "UnknownServiceError",
        "Unknown service: 'ecc2'",
    );
    assert!(f.message.contains("Did you mean 'ec2'?"), "{}", f.message);
    let f = expect_error(
        r#"client("ec2", "us-east-9");"#,
        "InvalidRegion",
        "Unknown region: 'us-east-9'",
    );
    assert!(f.message.contains("us-west-2"), "{}", f.message);
}

#[test]
fn sessions_act_as_another_account() {
    let (report, cloud) = run(
        r#"let mate = session("444455556666").client("sts", "us-east-1");
           print(mate.get_caller_identity().account);
           print(client("sts", "us-east-1").get_caller_identity().account);"#,
    );
    let lines: Vec<_> = report.output.lines.iter().map(|l| l.text.clone()).collect();
    assert_eq!(lines, vec!["444455556666", "123456789012"]);
    let accounts: Vec<_> = cloud
        .borrow()
        .trail()
        .events()
        .iter()
        .map(|e| e.account.clone())
        .collect();
    assert!(accounts.contains(&"444455556666".to_string()));
    expect_error(
        r#"session("4444");"#,
        "InvalidAccountId",
        "exactly 12 digits",
    );
}

#[test]
fn waiters_advance_the_clock_and_give_up_like_boto3() {
    let lines = output(
        r#"let id = launch(ec2, al2023(ec2), "t3.micro");
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
           let r = ec2.describe_instances(#{instance_ids: [id]}).reservations[0].instances[0];
           print(r.state.name);
           print(r.state.code);"#,
    );
    assert_eq!(lines, vec!["running", "16"]);
    let f = failure(
        r#"let id = running_web(ec2);
           ec2.get_waiter("instance_stopped").wait(#{instance_ids: [id], waiter_config: #{delay: 1, max_attempts: 2}});"#,
    );
    assert_eq!(f.code.as_deref(), Some("WaiterError"));
    assert_eq!(
        f.message,
        "Waiter InstanceStopped failed: Max attempts exceeded"
    );
    let f = failure(
        r#"let id = running_web(ec2);
           ec2.terminate_instances(#{instance_ids: [id]});
           ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});"#,
    );
    assert!(
        f.message.contains("terminal failure state"),
        "{}",
        f.message
    );
    let f = expect_error(
        r#"ec2.get_waiter("image_availble");"#,
        "ValueError",
        "Waiter does not exist: image_availble",
    );
    assert!(
        f.message.contains("Did you mean 'image_available'?"),
        "{}",
        f.message
    );
}

#[test]
fn sleep_moves_simulated_time_only() {
    let (report, cloud) = run(r#"let before = ec2.describe_regions(); sleep(3600); sleep(0.5);"#);
    assert!(report.succeeded());
    assert_eq!(
        cloud.borrow().now(),
        amilab_cloud::clock::DEFAULT_START + 3601
    );
    expect_error("sleep(-1);", "ValueError", "simulated time");
}

#[test]
fn the_sandbox_refuses_eval_import_and_runaway_loops() {
    let f = failure(r#"eval("1 + 1");"#);
    assert_eq!(f.kind, FailureKind::Syntax, "{f:?}");
    let f = failure(r#"import "os" as os;"#);
    assert_eq!(f.kind, FailureKind::Syntax, "{f:?}");
    let f = failure("loop { }");
    assert_eq!(f.kind, FailureKind::Limit, "{f:?}");
    let f = failure("fn f(n) { f(n + 1) } f(0);");
    assert_eq!(f.kind, FailureKind::Limit, "{f:?}");
    let f = failure(r#"let s = "x"; loop { s += s; }"#);
    assert_eq!(f.kind, FailureKind::Limit, "{f:?}");
}

#[test]
fn print_capture_is_bounded() {
    let (report, _) = run("for i in 0..5000 { print(i); }");
    assert!(report.succeeded());
    assert!(report.output.truncated);
    assert_eq!(report.output.lines.len(), 2000);
}

#[test]
fn api_call_quota_is_answered_with_request_limit_exceeded() {
    // 20,000 calls, with time to make them on a slow, loaded machine (a debug build under the
    // whole suite took more than the default 5 s, and API calls now stop at the deadline).
    let cloud = std::rc::Rc::new(std::cell::RefCell::new(amilab_cloud::Cloud::new(
        amilab_cloud::WorldConfig {
            seed: 7,
            ..amilab_cloud::WorldConfig::default()
        },
    )));
    let options = amilab::script::RunOptions {
        limits: amilab::script::Limits {
            deadline: std::time::Duration::from_secs(120),
            ..amilab::script::Limits::default()
        },
        ..amilab::script::RunOptions::default()
    };
    let source = "let ec2 = client(\"ec2\", \"us-east-1\");\nloop { ec2.describe_regions(); }";
    let f = amilab::script::run(&cloud, source, options)
        .failure
        .unwrap();
    assert_eq!(f.code.as_deref(), Some("RequestLimitExceeded"), "{f:?}");
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let cloud = common::cloud(1);
    let report = amilab::script::run(&cloud, "let x = 1;\nlet y = ;\n", Default::default());
    let f = report.failure.unwrap();
    assert_eq!(f.kind, FailureKind::Syntax);
    assert_eq!((f.line, f.column), (Some(2), Some(9)));
    assert_eq!(cloud.borrow().api_calls(), 0);
}

#[test]
fn uncaught_aws_errors_use_the_aws_cli_wording_and_position() {
    let cloud = common::cloud(1);
    let source = "let ec2 = client(\"ec2\", \"us-east-1\");\nec2.describe_images(#{image_ids: [\"ami-0123456789abcdef0\"]});\n";
    let f = amilab::script::run(&cloud, source, Default::default())
        .failure
        .unwrap();
    assert_eq!(
        f.message,
        "An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages operation: The image id '[ami-0123456789abcdef0]' does not exist"
    );
    assert_eq!((f.line, f.column), (Some(2), Some(5)));
}

#[test]
fn checks_engine_refuses_mutations() {
    let cloud = common::cloud(1);
    let options = amilab::script::RunOptions {
        read_only: true,
        ..Default::default()
    };
    let f = amilab::script::run(
        &cloud,
        "client(\"ec2\", \"us-east-1\").create_key_pair(#{key_name: \"k\"});",
        options,
    )
    .failure
    .unwrap();
    assert_eq!(f.code.as_deref(), Some("ReadOnly"));
    let ok = amilab::script::run(
        &cloud,
        "client(\"ec2\", \"us-east-1\").describe_key_pairs();",
        options,
    );
    assert!(ok.succeeded());
}

//! Helpers shared by the integration tests: run Rhai in a fresh default world.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use amilab::script::{self, Failure, RunOptions, RunReport};
use amilab_cloud::{Cloud, WorldConfig};

/// Functions every test script may use.
pub const PRELUDE: &str = r#"
fn base_image(ec2, pattern) {
    ec2.describe_images(#{owners: ["amazon", "099720109477"], filters: [#{name: "name", values: [pattern]}]}).images[0].image_id
}
fn al2023(ec2) { base_image(ec2, "al2023-ami-*-x86_64") }
fn launch(ec2, ami, kind) {
    let r = ec2.run_instances(#{image_id: ami, instance_type: kind, min_count: 1, max_count: 1});
    r.instances[0].instance_id
}
fn running_web(ec2) {
    let id = launch(ec2, al2023(ec2), "t3.micro");
    ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
    id
}
let ec2 = client("ec2", "us-east-1");
"#;

pub fn cloud(seed: u64) -> Rc<RefCell<Cloud>> {
    Rc::new(RefCell::new(Cloud::new(WorldConfig {
        seed,
        component_document_parser: Some(amilab::yaml::component_document),
        ..WorldConfig::default()
    })))
}

/// Runs `body` after the prelude in a fresh world.
pub fn run(body: &str) -> (RunReport, Rc<RefCell<Cloud>>) {
    run_in(
        WorldConfig {
            seed: 7,
            ..WorldConfig::default()
        },
        body,
    )
}

/// Runs `body` after the prelude in a fresh world made from `config`.
pub fn run_in(mut config: WorldConfig, body: &str) -> (RunReport, Rc<RefCell<Cloud>>) {
    // As the binary does: component documents may be YAML.
    config
        .component_document_parser
        .get_or_insert(amilab::yaml::component_document);
    let cloud = Rc::new(RefCell::new(Cloud::new(config)));
    let source = format!("{PRELUDE}\n{body}");
    let report = script::run(&cloud, &source, RunOptions::default());
    (report, cloud)
}

/// The default world (seed 7) whose learner is subscribed to these marketplace product codes.
pub fn subscribed(codes: &[&str]) -> WorldConfig {
    WorldConfig {
        seed: 7,
        subscriptions: codes
            .iter()
            .map(|c| (amilab_cloud::DEFAULT_ACCOUNT.to_string(), c.to_string()))
            .collect(),
        ..WorldConfig::default()
    }
}

/// Runs `body` in `config`'s world and returns its printed lines; panics if it did not finish.
pub fn output_in(config: WorldConfig, body: &str) -> Vec<String> {
    let (report, _) = run_in(config, body);
    if let Some(f) = &report.failure {
        panic!("script failed: {f:?}\n--- script ---\n{body}");
    }
    report.output.lines.iter().map(|l| l.text.clone()).collect()
}

/// Runs `body` and returns its printed lines; panics with the failure if it did not finish.
pub fn output(body: &str) -> Vec<String> {
    let (report, _) = run(body);
    if let Some(f) = &report.failure {
        panic!("script failed: {f:?}\n--- script ---\n{body}");
    }
    report.output.lines.iter().map(|l| l.text.clone()).collect()
}

/// Runs `body`, which must stop on an uncaught error, and returns that error.
pub fn failure(body: &str) -> Failure {
    let (report, _) = run(body);
    report
        .failure
        .unwrap_or_else(|| panic!("script succeeded but should have failed:\n{body}"))
}

/// Asserts that `body` fails with AWS error `code` and a message containing `fragment`.
pub fn expect_error(body: &str, code: &str, fragment: &str) -> Failure {
    let f = failure(body);
    assert_eq!(f.code.as_deref(), Some(code), "wrong error code: {f:?}");
    assert!(
        f.message.contains(fragment),
        "message {:?} lacks {:?}",
        f.message,
        fragment
    );
    f
}

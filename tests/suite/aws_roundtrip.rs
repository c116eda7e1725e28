//! The AWS CLI front end against the same cloud as scripts: what a script does through boto3
//! clients and through `aws("…")` leaves the same state, and a sandbox saved and reloaded
//! between commands answers byte for byte as one that never stopped.

use std::cell::RefCell;
use std::rc::Rc;

use amilab::script::{self, RunOptions};
use amilab_awscli::driver::{self, Session};
use amilab_cloud::Cloud;

use crate::cli_common::amilab;

fn world() -> Rc<RefCell<Cloud>> {
    Rc::new(RefCell::new(amilab::cli::aws::new_sandbox()))
}

fn run(cloud: &Rc<RefCell<Cloud>>, source: &str) {
    let report = script::run(cloud, source, RunOptions::default());
    assert!(report.failure.is_none(), "{:?}", report.failure);
}

/// A golden image's whole story, through boto3-style clients.
const THROUGH_CLIENTS: &str = r#"
let ec2 = client("ec2");
let image = ec2.describe_images(#{owners: ["amazon"], filters: [#{name: "name", values: ["al2023-ami-2023*-x86_64"]}]}).images[0].image_id;
ec2.create_key_pair(#{key_name: "web"});
let r = ec2.run_instances(#{image_id: image, instance_type: "t3.micro", key_name: "web", min_count: 1, max_count: 1,
    tag_specifications: [#{resource_type: "instance", tags: [#{key: "Name", value: "web"}]}]});
let id = r.instances[0].instance_id;
ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
let ssm = client("ssm");
ssm.send_command(#{instance_ids: [id], document_name: "AWS-RunShellScript", parameters: #{commands: ["dnf install -y nginx", "systemctl enable nginx", "sync"]}});
sleep(60);
let ami = ec2.create_image(#{instance_id: id, name: "web-v1", no_reboot: true}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [ami]});
ec2.copy_image(#{source_image_id: ami, source_region: "us-east-1", name: "web-v1-copy"});
ec2.modify_image_attribute(#{image_id: ami, launch_permission: #{add: [#{user_id: "444455556666"}]}});
ec2.create_tags(#{resources: [ami], tags: [#{key: "stage", value: "golden"}]});
ec2.stop_instances(#{instance_ids: [id]});
"#;

/// The same story, through `aws("…")`.
const THROUGH_THE_CLI: &str = r#"
let image = aws("ec2 describe-images --owners amazon --filters Name=name,Values=al2023-ami-2023*-x86_64 --query Images[0].ImageId");
aws("ec2 create-key-pair --key-name web");
let id = aws(`ec2 run-instances --image-id ${image} --instance-type t3.micro --key-name web
    --tag-specifications ResourceType=instance,Tags=[{Key=Name,Value=web}]
    --query Instances[0].InstanceId`);
aws(`ec2 wait instance-running --instance-ids ${id}`);
aws(`ssm send-command --instance-ids ${id} --document-name AWS-RunShellScript
    --parameters 'commands=["dnf install -y nginx","systemctl enable nginx","sync"]'`);
sleep(60);
let ami = aws(`ec2 create-image --instance-id ${id} --name web-v1 --no-reboot --query ImageId`);
aws(`ec2 wait image-available --image-ids ${ami}`);
aws(`ec2 copy-image --source-image-id ${ami} --source-region us-east-1 --name web-v1-copy`);
aws(`ec2 modify-image-attribute --image-id ${ami} --launch-permission Add=[{UserId=444455556666}]`);
aws(`ec2 create-tags --resources ${ami} --tags Key=stage,Value=golden`);
aws(`ec2 stop-instances --instance-ids ${id}`);
"#;

#[test]
fn clients_and_the_cli_leave_the_same_state() {
    let (a, b) = (world(), world());
    run(&a, THROUGH_CLIENTS);
    run(&b, THROUGH_THE_CLI);
    assert_eq!(a.borrow().state_digest(), b.borrow().state_digest());
    // The trail tells them apart: every call of the second came through the CLI.
    let b = b.borrow();
    assert!(b
        .trail()
        .events()
        .iter()
        .all(|e| e.user_agent.as_deref() == Some(amilab_cloud::api::AWS_CLI_USER_AGENT)));
    assert!(a
        .borrow()
        .trail()
        .events()
        .iter()
        .all(|e| e.user_agent.is_none()));
}

/// Commands a learner might type in a sitting, waits included.
fn sitting() -> Vec<Vec<String>> {
    [
        "ec2 create-key-pair --key-name web --query KeyName",
        "ec2 run-instances --image-id ami-0fa4458047b7c1527 --instance-type t2.micro --key-name web --count 2",
        "ec2 describe-instances --query Reservations[].Instances[].[InstanceId,State.Name] --output text",
        "ec2 wait instance-running --filters Name=key-name,Values=web",
        "ec2 describe-instances --output table --query Reservations[].Instances[].[InstanceId,State.Name]",
        "ec2 create-image --instance-id i-nope --name broken",
        "ec2 describe-images --owners amazon --max-items 2 --query Images[].ImageId",
        "sts get-caller-identity",
    ]
    .iter()
    .map(|line| line.split(' ').map(String::from).collect())
    .collect()
}

#[test]
fn a_sandbox_saved_between_commands_answers_as_one_that_never_stopped() {
    // One process, one cloud, never saved.
    let mut cloud = amilab::cli::aws::new_sandbox();
    let refuse = |_: &str| -> Result<String, String> { Err("no files".into()) };
    let mut expected = Vec::new();
    for words in sitting() {
        cloud.advance(amilab::cli::aws::COMMAND_GAP);
        let outcome = driver::run(
            &mut Session {
                cloud: &mut cloud,
                account: amilab::cli::aws::SANDBOX_ACCOUNT.into(),
                default_region: amilab::cli::aws::SANDBOX_REGION.into(),
                read_file: &refuse,
                read_only: false,
                default_output: None,
            },
            &words,
        );
        expected.push((outcome.exit_code, outcome.stdout, outcome.stderr));
    }
    // One process per command, the world saved and loaded between them.
    let dir = tempfile::tempdir().unwrap();
    for (words, expected) in sitting().iter().zip(&expected) {
        let o = amilab()
            .current_dir(dir.path())
            .arg("aws")
            .args(words)
            .output()
            .unwrap();
        let got = (
            o.status.code().unwrap(),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        );
        assert_eq!(&got, expected, "aws {}", words.join(" "));
    }
    let saved = std::fs::read_to_string(dir.path().join(".amilab/sandbox.json")).unwrap();
    assert_eq!(saved, cloud.save_world());
}

#[test]
fn aws_returns_data_for_json_and_text_for_text_and_tables() {
    let cloud = world();
    let report = script::run(
        &cloud,
        r#"
let id = aws("ec2 describe-images --owners amazon --query Images[0].ImageId");
print(type_of(id) + " " + id);
let text = aws("ec2 describe-images --image-ids " + id + " --query Images[0].ImageId --output text");
print(text == id);
let table = aws("sts get-caller-identity --query Account --output=table");
print(type_of(table));
try { aws("ec2 describe-images --image-ids ami-00000000000000000"); } catch (e) { print(e.code); }
"#,
        RunOptions::default(),
    );
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let lines: Vec<&str> = report
        .output
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].starts_with("string ami-"), "{}", lines[0]);
    assert_eq!(&lines[1..], ["true", "string", "InvalidAMIID.NotFound"]);
}

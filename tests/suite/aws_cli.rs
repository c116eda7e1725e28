//! `amilab aws …`: the study notes' AWS CLI commands typed verbatim (with ids from the sandbox)
//! against a sandbox kept between commands, their json / text / table output as the CLI prints
//! it, the CLI's errors and exit codes, and the sandbox file's safety.

use std::path::Path;

use crate::cli_common::amilab;

/// Runs `amilab aws WORDS…` in `dir`: (exit code, stdout, stderr).
fn aws(dir: &Path, words: &[&str]) -> (i32, String, String) {
    let o = amilab()
        .current_dir(dir)
        .arg("aws")
        .args(words)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// Runs a command that must work; its standard output, trimmed of the final newline.
fn ok(dir: &Path, words: &[&str]) -> String {
    let (code, out, err) = aws(dir, words);
    assert_eq!(code, 0, "aws {words:?}\nstdout: {out}\nstderr: {err}");
    assert_eq!(err, "", "aws {words:?}");
    out.trim_end().to_string()
}

/// Launches an instance as the notes do and waits until it runs: its id.
fn launched(dir: &Path) -> String {
    let image = ok(
        dir,
        &[
            "ec2",
            "describe-images",
            "--owners",
            "amazon",
            "--filters",
            "Name=name,Values=al2023-ami-2023*-x86_64",
            "--query",
            "Images[0].ImageId",
            "--output",
            "text",
        ],
    );
    ok(
        dir,
        &[
            "ec2",
            "create-key-pair",
            "--key-name",
            "your-key-pair",
            "--query",
            "KeyName",
        ],
    );
    let group = ok(
        dir,
        &[
            "ec2",
            "describe-security-groups",
            "--query",
            "SecurityGroups[0].GroupId",
            "--output",
            "text",
        ],
    );
    let subnet = ok(
        dir,
        &[
            "ec2",
            "describe-subnets",
            "--query",
            "Subnets[0].SubnetId",
            "--output",
            "text",
        ],
    );
    // Seed 004, "Launch instance from AMI", verbatim but for the ids.
    let instance = ok(
        dir,
        &[
            "ec2",
            "run-instances",
            "--image-id",
            &image,
            "--instance-type",
            "t2.micro",
            "--key-name",
            "your-key-pair",
            "--security-group-ids",
            &group,
            "--subnet-id",
            &subnet,
            "--query",
            "Instances[0].InstanceId",
            "--output",
            "text",
        ],
    );
    ok(
        dir,
        &[
            "ec2",
            "wait",
            "instance-running",
            "--instance-ids",
            &instance,
        ],
    );
    instance
}

#[test]
fn the_study_notes_commands_run_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let instance = launched(dir);
    // Seed 004, "Create AMI".
    let created = ok(
        dir,
        &[
            "ec2",
            "create-image",
            "--instance-id",
            &instance,
            "--name",
            "MyNodeAppAMI",
            "--description",
            "AMI with Node.js app pre-installed",
            "--no-reboot",
        ],
    );
    insta::assert_snapshot!("create_image_json", created);
    // Seed 001, "Create AMI from instance".
    let image: serde_json::Value = serde_json::from_str(&ok(
        dir,
        &[
            "ec2",
            "create-image",
            "--instance-id",
            &instance,
            "--name",
            "MyAppImage",
        ],
    ))
    .unwrap();
    let image = image["ImageId"].as_str().unwrap().to_string();
    ok(
        dir,
        &["ec2", "wait", "image-available", "--image-ids", &image],
    );
    // Seed 001, "List available AMIs", in each output format.
    let list = [
        "ec2",
        "describe-images",
        "--owners",
        "self",
        "--query",
        "Images[*].[ImageId,Name,CreationDate]",
        "--output",
    ];
    for format in ["table", "text", "json"] {
        let mut words = list.to_vec();
        words.push(format);
        insta::assert_snapshot!(format!("describe_images_{format}"), ok(dir, &words));
    }
    // Seed 001, "AMI and Regions".
    let copy = ok(
        dir,
        &[
            "ec2",
            "copy-image",
            "--source-image-id",
            &image,
            "--source-region",
            "us-east-1",
            "--region",
            "ap-south-1",
            "--name",
            "MyCopiedAMI",
        ],
    );
    insta::assert_snapshot!("copy_image_json", copy);
    // Seed 001, "Deregister AMI": prints nothing but the answer's members (none for EC2's
    // `Return`-only answer? the CLI prints `{"Return": true}` for it, as botocore parses it).
    let deregistered = ok(dir, &["ec2", "deregister-image", "--image-id", &image]);
    insta::assert_snapshot!("deregister_image_json", deregistered);
    let left = ok(
        dir,
        &[
            "ec2",
            "describe-images",
            "--owners",
            "self",
            "--query",
            "Images[].Name",
            "--output",
            "text",
        ],
    );
    assert_eq!(left, "MyNodeAppAMI");
    // The copy is in ap-south-1, and only there.
    let copied = ok(
        dir,
        &[
            "ec2",
            "describe-images",
            "--owners",
            "self",
            "--region",
            "ap-south-1",
            "--query",
            "Images[].Name",
        ],
    );
    insta::assert_snapshot!("copied_in_ap_south_1", copied);
}

#[test]
fn the_instances_table_and_text_are_the_clis() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    launched(dir);
    let query = "Reservations[].Instances[].{Id:InstanceId,Type:InstanceType,State:State.Name,Zone:Placement.AvailabilityZone}";
    insta::assert_snapshot!(
        "describe_instances_table",
        ok(
            dir,
            &[
                "ec2",
                "describe-instances",
                "--query",
                query,
                "--output",
                "table"
            ]
        )
    );
    insta::assert_snapshot!(
        "describe_instances_text",
        ok(dir, &["ec2", "describe-instances", "--output", "text"])
    );
}

#[test]
fn errors_are_the_clis_with_its_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // A service error: 254 and botocore's sentence.
    let (code, out, err) = aws(
        dir,
        &[
            "ec2",
            "deregister-image",
            "--image-id",
            "ami-0123456789abcdef0",
        ],
    );
    assert_eq!((code, out.as_str()), (254, ""));
    insta::assert_snapshot!("service_error", err);
    // A parameter the command lacks: 252, and the usage lines first.
    let (code, _, err) = aws(dir, &["ec2", "describe-images", "--owners-of", "self"]);
    assert_eq!(code, 252);
    insta::assert_snapshot!("unknown_option", err);
    // A required option missing.
    let (code, _, err) = aws(dir, &["ec2", "create-image", "--name", "MyAppImage"]);
    assert_eq!(code, 252);
    assert!(
        err.ends_with("aws: error: the following arguments are required: --instance-id\n"),
        "{err}"
    );
    // A mistyped command: the closest valid one.
    let (code, _, err) = aws(dir, &["ec2", "describe-image"]);
    assert_eq!(code, 252);
    assert!(
        err.contains("Invalid choice: 'describe-image', maybe you meant:\n\n  * describe-images"),
        "{err}"
    );
    // A shorthand the CLI cannot parse.
    let (code, _, err) = aws(
        dir,
        &["ec2", "describe-images", "--filters", "Name=name,Values"],
    );
    assert_eq!(code, 252);
    insta::assert_snapshot!("bad_shorthand", err);
    // A nested member botocore does not know, in its validator's words.
    let (code, _, err) = aws(
        dir,
        &[
            "ec2",
            "describe-images",
            "--filters",
            r#"[{"Nme":"name","Values":["x"]}]"#,
        ],
    );
    assert_eq!(code, 252);
    assert_eq!(
        err,
        "\nParameter validation failed:\nUnknown parameter in Filters[0]: \"Nme\", must be one of: Name, Values\n"
    );
    // A dry run that would have worked.
    let (code, _, err) = aws(
        dir,
        &["ec2", "describe-images", "--owners", "self", "--dry-run"],
    );
    assert_eq!(code, 254);
    assert!(
        err.contains("(DryRunOperation) when calling the DescribeImages operation"),
        "{err}"
    );
    // A bad --query.
    let (code, _, err) = aws(
        dir,
        &[
            "ec2",
            "describe-images",
            "--query",
            "Images[",
            "--owners",
            "self",
        ],
    );
    assert_eq!(code, 255);
    assert!(err.starts_with("\nBad value for --query Images["), "{err}");
}

#[test]
fn help_and_skeletons_come_from_the_operation_table() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let help = ok(dir, &["ec2", "create-image", "help"]);
    assert!(help.contains("          --instance-id <value>\n"), "{help}");
    assert!(help.contains("[--no-reboot | --reboot]"), "{help}");
    assert!(help.contains("       --name (string)\n"), "{help}");
    let service = ok(dir, &["ec2", "help"]);
    assert!(service.contains("       o describe-images\n"));
    assert!(service.contains("       o wait"), "{service}");
    insta::assert_snapshot!(
        "deregister_image_skeleton",
        ok(dir, &["ec2", "deregister-image", "--generate-cli-skeleton"])
    );
    // A skeleton, filled in, is a request: --cli-input-json takes it back.
    let (code, _, err) = aws(
        dir,
        &[
            "ec2",
            "deregister-image",
            "--cli-input-json",
            r#"{"ImageId": "ami-0123456789abcdef0"}"#,
        ],
    );
    assert_eq!(code, 254);
    assert!(err.contains("InvalidAMIID"), "{err}");
    // Helpers never touch the cloud: no sandbox is made for them... but one is saved for
    // every command, so that the next one finds it.
    assert!(dir.join(".amilab/sandbox.json").exists());
}

#[test]
fn file_arguments_are_read_inside_the_working_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(
        dir.join("filters.json"),
        r#"[{"Name": "name", "Values": ["al2023-ami-2023*-arm64"]}]"#,
    )
    .unwrap();
    let names = ok(
        dir,
        &[
            "ec2",
            "describe-images",
            "--owners",
            "amazon",
            "--filters",
            "file://filters.json",
            "--query",
            "length(Images)",
        ],
    );
    assert_ne!(names, "0");
    let (code, _, err) = aws(
        dir,
        &["ec2", "describe-images", "--filters", "file:///etc/passwd"],
    );
    assert_eq!(code, 252);
    assert!(err.contains("inside the working directory only"), "{err}");
    let (code, _, err) = aws(
        dir,
        &["ec2", "describe-images", "--filters", "file://../x.json"],
    );
    assert_eq!(code, 252, "{err}");
}

#[test]
fn the_sandbox_is_kept_reset_and_never_overwritten_when_bad() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(
        dir,
        &[
            "ec2",
            "create-key-pair",
            "--key-name",
            "kept",
            "--query",
            "KeyName",
        ],
    );
    let names = ok(
        dir,
        &[
            "ec2",
            "describe-key-pairs",
            "--query",
            "KeyPairs[].KeyName",
            "--output",
            "text",
        ],
    );
    assert_eq!(names, "kept");
    let (code, out, _) = aws(dir, &["--reset"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "A new sandbox is in .amilab/sandbox.json.\n")
    );
    let names = ok(
        dir,
        &[
            "ec2",
            "describe-key-pairs",
            "--query",
            "KeyPairs[].KeyName",
            "--output",
            "text",
        ],
    );
    assert_eq!(names, "");
    // A corrupt sandbox is refused (exit 2) and left exactly as it was.
    let sandbox = dir.join(".amilab/sandbox.json");
    std::fs::write(&sandbox, "{ not json").unwrap();
    let (code, _, err) = aws(dir, &["ec2", "describe-key-pairs"]);
    assert_eq!(code, 2);
    assert!(err.contains(".amilab/sandbox.json:1:3"), "{err}");
    assert!(err.contains("amilab aws --reset"), "{err}");
    assert_eq!(std::fs::read_to_string(&sandbox).unwrap(), "{ not json");
    // So is a sandbox from a newer amilab.
    std::fs::write(
        &sandbox,
        r#"{"format":"amilab-world","version":999,"cloud":{}}"#,
    )
    .unwrap();
    let (code, _, err) = aws(dir, &["ec2", "describe-key-pairs"]);
    assert_eq!(code, 2, "{err}");
    assert!(std::fs::read_to_string(&sandbox).unwrap().contains("999"));
}

#[test]
fn what_the_cli_accepts_beyond_exact_options() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // argparse's abbreviations: one match is the option, several are the CLI's error.
    assert_eq!(
        ok(
            dir,
            &[
                "ec2",
                "describe-images",
                "--owner",
                "amazon",
                "--query",
                "length(Images) > `0`"
            ]
        ),
        "true"
    );
    let (code, _, err) = aws(dir, &["ec2", "describe-images", "--i", "x"]);
    assert_eq!(code, 252);
    assert!(
        err.ends_with("aws: error: ambiguous option: --i could match --image-ids, --include-deprecated, --include-disabled\n"),
        "{err}"
    );
    // A member real AWS has and the simulation does not is refused by name, not as a typo.
    let (code, _, err) = aws(
        dir,
        &[
            "ssm",
            "send-command",
            "--targets",
            "Key=tag:Name,Values=web",
            "--document-name",
            "AWS-RunShellScript",
        ],
    );
    assert_eq!(code, 252);
    assert!(err.contains("amilab does not simulate --targets"), "{err}");
    // --cli-input-json from a file; global options that change nothing here are accepted.
    std::fs::write(
        dir.join("in.json"),
        r#"{"Owners": ["amazon"], "MaxResults": 5}"#,
    )
    .unwrap();
    let count = ok(
        dir,
        &[
            "ec2",
            "describe-images",
            "--cli-input-json",
            "file://in.json",
            "--profile",
            "dev",
            "--no-cli-pager",
            "--query",
            "length(Images) > `0`",
        ],
    );
    assert_eq!(count, "true");
    let (code, out, _) = aws(dir, &["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("aws-cli/2 (amilab "), "{out}");
    // A region that does not exist cannot be reached, as the CLI says it.
    let (code, _, err) = aws(dir, &["ec2", "describe-vpcs", "--region", "mars-east-1"]);
    assert_eq!(code, 255);
    assert_eq!(
        err,
        "\nCould not connect to the endpoint URL: \"https://ec2.mars-east-1.amazonaws.com/\"\n"
    );
    // The region and output variables of the CLI.
    let o = amilab()
        .current_dir(dir)
        .env("AWS_DEFAULT_REGION", "eu-west-1")
        .env("AWS_DEFAULT_OUTPUT", "text")
        .args([
            "aws",
            "ec2",
            "describe-availability-zones",
            "--query",
            "AvailabilityZones[0].RegionName",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "eu-west-1\n");
    // A waiter that gives up names what it last saw, as botocore does.
    let (code, _, err) = aws(
        dir,
        &[
            "ec2",
            "wait",
            "instance-running",
            "--instance-ids",
            "i-00000000000000000",
        ],
    );
    assert_eq!(code, 255);
    assert_eq!(
        err,
        "\nWaiter InstanceRunning failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: InvalidInstanceID.NotFound\n"
    );
}

#[test]
fn time_moves_between_sandbox_commands() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(
        dir,
        &[
            "ec2",
            "create-launch-template",
            "--launch-template-name",
            "web",
            "--launch-template-data",
            "ImageId=ami-0fa4458047b7c1527,InstanceType=t3.micro",
        ],
    );
    ok(
        dir,
        &[
            "autoscaling",
            "create-auto-scaling-group",
            "--auto-scaling-group-name",
            "web",
            "--launch-template",
            "LaunchTemplateName=web",
            "--min-size",
            "1",
            "--max-size",
            "3",
            "--desired-capacity",
            "2",
            "--availability-zones",
            "us-east-1a",
            "us-east-1b",
        ],
    );
    // The group's launches happen while the next command is typed.
    let members = ok(
        dir,
        &[
            "autoscaling",
            "describe-auto-scaling-groups",
            "--query",
            "length(AutoScalingGroups[0].Instances)",
        ],
    );
    assert_eq!(members, "2");
    // The launch template's data is printed with the API's names.
    let data = ok(
        dir,
        &[
            "ec2",
            "describe-launch-template-versions",
            "--launch-template-name",
            "web",
            "--query",
            "LaunchTemplateVersions[0].LaunchTemplateData",
        ],
    );
    assert!(
        data.contains("\"ImageId\": \"ami-0fa4458047b7c1527\""),
        "{data}"
    );
}

#[test]
fn help_pages_are_generated_from_the_operations() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    insta::assert_snapshot!(
        "create_image_help",
        ok(dir, &["ec2", "create-image", "help"])
    );
    insta::assert_snapshot!(
        "image_available_help",
        ok(dir, &["ec2", "wait", "image-available", "help"])
    );
    insta::assert_snapshot!(
        "run_instances_skeleton",
        ok(dir, &["ec2", "run-instances", "--generate-cli-skeleton"])
    );
}

#[test]
fn image_builder_resources_live_in_the_sandbox() {
    // The CLI sends a client token with every create: the sandbox keeps them between commands.
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let arn = ok(
        dir,
        &[
            "imagebuilder",
            "create-infrastructure-configuration",
            "--name",
            "builders",
            "--instance-profile-name",
            "EC2InstanceProfileForImageBuilder",
            "--client-token",
            "t-1",
            "--query",
            "infrastructureConfigurationArn",
            "--output",
            "text",
        ],
    );
    assert!(
        arn.ends_with(":infrastructure-configuration/builders"),
        "{arn}"
    );
    // The same token and request again: the same answer, as Image Builder's idempotency says.
    let again = ok(
        dir,
        &[
            "imagebuilder",
            "create-infrastructure-configuration",
            "--name",
            "builders",
            "--instance-profile-name",
            "EC2InstanceProfileForImageBuilder",
            "--client-token",
            "t-1",
            "--query",
            "infrastructureConfigurationArn",
            "--output",
            "text",
        ],
    );
    assert_eq!(again, arn);
}

#[test]
fn parameter_errors_name_the_apis_members() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // A range the simulation checks, named as botocore names it for the CLI.
    let (code, _, err) = aws(dir, &["kms", "list-aliases", "--limit", "0"]);
    assert_eq!(code, 252);
    assert_eq!(
        err,
        "\nParameter validation failed:\nInvalid value for parameter Limit, value: 0, valid min value: 1\n"
    );
    // A required boolean is the request's check, not the argument parser's.
    let (code, _, err) = aws(
        dir,
        &[
            "autoscaling",
            "terminate-instance-in-auto-scaling-group",
            "--instance-id",
            "i-0123456789abcdef0",
        ],
    );
    assert_eq!(code, 252);
    assert_eq!(
        err,
        "\nParameter validation failed:\nMissing required parameter in input: \"ShouldDecrementDesiredCapacity\"\n"
    );
    // The resume token is botocore's `NextToken` for every service.
    let token = ok(
        dir,
        &[
            "imagebuilder",
            "list-images",
            "--owner",
            "Amazon",
            "--max-items",
            "1",
            "--query",
            "NextToken",
            "--output",
            "text",
        ],
    );
    assert!(!token.is_empty() && token != "None", "{token}");
}

//! `dry_run`: every EC2 operation accepts it (botocore gives each one a `DryRun` member), checks
//! everything the real call would and changes nothing; KMS, SSM and STS have no such parameter
//! and reject it like any unknown key.

use amilab_cloud::api::OPERATIONS;
use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::{AwsError, CallError, Caller, Cloud, WorldConfig};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";

fn cloud() -> Cloud {
    Cloud::new(WorldConfig {
        regions: vec![REGION.into()],
        ..WorldConfig::default()
    })
}

fn me() -> Caller {
    Caller::new(amilab_cloud::DEFAULT_ACCOUNT, REGION)
}

fn call(cloud: &mut Cloud, service: &str, method: &str, params: Value) -> Result<Value, CallError> {
    cloud.call(&me(), service, method, params)
}

fn al2023() -> String {
    public_image_id("al2023-x86_64", REGION).expect("catalogue image")
}

fn launch(cloud: &mut Cloud) -> String {
    let r = call(
        cloud,
        "ec2",
        "run_instances",
        json!({"image_id": al2023(), "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
    )
    .expect("launch");
    cloud.advance(60);
    r["instances"][0]["instance_id"]
        .as_str()
        .expect("an instance id")
        .to_string()
}

fn dry_run_succeeded() -> CallError {
    CallError::Aws(AwsError::dry_run_succeeded())
}

fn aws_code(result: Result<Value, CallError>) -> String {
    match result {
        Err(CallError::Aws(e)) => e.code,
        other => panic!("expected an AWS error, got {other:?}"),
    }
}

#[test]
fn a_dry_run_of_a_mutation_answers_dry_run_operation_and_changes_nothing() {
    let mut real = cloud();
    let id = launch(&mut real);
    let mut dry = real.clone();
    for (method, params) in [
        (
            "run_instances",
            json!({"image_id": al2023(), "instance_type": "t3.micro", "min_count": 2, "max_count": 2, "dry_run": true}),
        ),
        (
            "create_image",
            json!({"instance_id": id, "name": "golden", "dry_run": true}),
        ),
        (
            "terminate_instances",
            json!({"instance_ids": [id], "dry_run": true}),
        ),
        ("create_key_pair", json!({"key_name": "k", "dry_run": true})),
    ] {
        assert_eq!(
            call(&mut dry, "ec2", method, params),
            Err(dry_run_succeeded()),
            "{method}"
        );
    }
    // The trail shows each attempt as a DryRunOperation answer...
    let codes: Vec<_> = dry.trail().events()[1..]
        .iter()
        .map(|e| e.error_code.as_deref())
        .collect();
    assert_eq!(codes, vec![Some("DryRunOperation"); 4]);
    // ...and nothing else moved: not the state, not even the id generator, so the next real
    // call answers exactly what it answers on a cloud that never saw the dry runs.
    let region = dry.region(REGION).expect("region");
    assert_eq!(region.instances().len(), 1);
    assert_eq!(
        region.instance(&id).map(|i| i.state),
        real.region(REGION)
            .and_then(|r| r.instance(&id))
            .map(|i| i.state)
    );
    assert_eq!(region.key_pairs().len(), 0);
    assert!(region.images().all(|i| i.name != "golden"));
    let next = json!({"instance_id": id, "name": "golden"});
    assert_eq!(
        call(&mut dry, "ec2", "create_image", next.clone()).expect("real call"),
        call(&mut real, "ec2", "create_image", next).expect("real call")
    );
}

#[test]
fn a_dry_run_of_a_read_answers_dry_run_operation() {
    let mut c = cloud();
    assert_eq!(
        call(
            &mut c,
            "ec2",
            "describe_images",
            json!({"owners": ["self"], "dry_run": true})
        ),
        Err(dry_run_succeeded())
    );
}

#[test]
fn a_dry_run_that_would_fail_answers_the_real_error() {
    let mut c = cloud();
    call(&mut c, "ec2", "create_key_pair", json!({"key_name": "k"})).expect("first key");
    assert_eq!(
        aws_code(call(
            &mut c,
            "ec2",
            "create_key_pair",
            json!({"key_name": "k", "dry_run": true})
        )),
        "InvalidKeyPair.Duplicate"
    );
    assert_eq!(
        aws_code(call(
            &mut c,
            "ec2",
            "terminate_instances",
            json!({"instance_ids": ["i-0123456789abcdef0"], "dry_run": true})
        )),
        "InvalidInstanceID.NotFound"
    );
    let last = c.trail().events().last().expect("recorded");
    assert_eq!(
        last.error_code.as_deref(),
        Some("InvalidInstanceID.NotFound")
    );
}

#[test]
fn dry_run_false_and_null_are_real_calls() {
    let mut c = cloud();
    for (name, flag) in [("a", json!(false)), ("b", Value::Null)] {
        let made = call(
            &mut c,
            "ec2",
            "create_key_pair",
            json!({"key_name": name, "dry_run": flag}),
        )
        .expect("real call");
        assert_eq!(made["key_name"], json!(name));
    }
    assert_eq!(c.region(REGION).expect("region").key_pairs().len(), 2);
}

#[test]
fn dry_run_must_be_a_boolean() {
    let mut c = cloud();
    let err = call(
        &mut c,
        "ec2",
        "create_key_pair",
        json!({"key_name": "k", "dry_run": "yes"}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        CallError::Param(
            "Parameter validation failed:\nInvalid type for parameter dry_run, value: \"yes\", type: string, valid types: boolean".into()
        )
    );
    assert!(c.trail().events().is_empty(), "refused before it was sent");
}

/// The message boto3 gives for a parameter the operation does not have.
fn unknown_dry_run(err: &CallError) -> bool {
    matches!(err, CallError::Param(m)
        if m.starts_with("Parameter validation failed:\nUnknown parameter in input: \"dry_run\", must be one of: "))
}

#[test]
fn every_ec2_operation_accepts_dry_run_and_no_other_service_does() {
    let mut answered_dry = 0;
    for op in OPERATIONS {
        let method = op.method();
        let dry = call(&mut cloud(), op.service, &method, json!({"dry_run": true}));
        if op.service == "ec2" {
            // With `dry_run` added, a call that would succeed answers DryRunOperation and a
            // call that would fail (most lack required parameters here) fails the same way.
            match call(&mut cloud(), op.service, &method, json!({})) {
                Ok(_) => {
                    assert_eq!(dry, Err(dry_run_succeeded()), "ec2.{method}");
                    answered_dry += 1;
                }
                Err(real) => assert_eq!(dry, Err(real), "ec2.{method}"),
            }
        } else if op.service == "kms" && ["create_grant", "revoke_grant"].contains(&method.as_str())
        {
            // KMS's own `DryRun` (botocore's model has it on CreateGrant and RevokeGrant, answered
            // with `DryRunOperationException`) is a member the simulation does not simulate.
            let request =
                json!({"key_id": "k", "grant_id": "g", "operations": ["Decrypt"], "dry_run": true});
            let mut request = request.as_object().cloned().unwrap_or_default();
            if method == "create_grant" {
                request.remove("grant_id");
            } else {
                request.remove("operations");
            }
            let err = call(&mut cloud(), op.service, &method, request.into())
                .expect_err("KMS's DryRun is not simulated");
            assert!(
                matches!(&err, CallError::NotSimulated { member, .. } if member == "dry_run"),
                "kms.{method}: {err:?}"
            );
        } else if op.service == "imagebuilder" && op.not_simulated().contains(&"dry_run") {
            // Image Builder's own `DryRun` (botocore's model has it on the Create calls,
            // answered with `DryRunOperationException`) is a member the simulation does not
            // simulate: never an unknown parameter.
            let err = dry.expect_err("Image Builder's DryRun is not simulated");
            assert!(!unknown_dry_run(&err), "imagebuilder.{method}: {err:?}");
            let err = call(&mut cloud(), op.service, &method, json!({"name": "probe", "semantic_version": "1.0.0",
                "platform": "Linux", "parent_image": "ami-1", "instance_profile_name": "p", "distributions": [],
                "infrastructure_configuration_arn": "a", "dry_run": true}))
            .expect_err("not simulated");
            assert!(
                matches!(&err, CallError::NotSimulated { member, .. } if member == "dry_run")
                    || matches!(&err, CallError::Param(m) if m.contains("Unknown parameter") && !m.contains("\"dry_run\"")),
                "imagebuilder.{method}: {err:?}"
            );
        } else {
            let err = dry.expect_err("dry_run is unknown here");
            assert!(unknown_dry_run(&err), "{}.{method}: {err:?}", op.service);
        }
    }
    // The describe calls and a few mutations that need no parameter got that far.
    assert!(answered_dry >= 10, "{answered_dry}");
}

#[test]
fn kms_and_ssm_reject_dry_run_word_for_word() {
    let mut c = cloud();
    let keys_before = call(&mut c, "kms", "list_keys", json!({})).expect("list");
    let kms = call(
        &mut c,
        "kms",
        "create_key",
        json!({"description": "k", "dry_run": true}),
    )
    .unwrap_err();
    assert_eq!(
        kms,
        CallError::Param(
            "Parameter validation failed:\nUnknown parameter in input: \"dry_run\", must be one of: policy, bypass_policy_lockout_safety_check, description, key_usage, customer_master_key_spec, key_spec".into()
        )
    );
    let ssm = call(&mut c, "ssm", "list_commands", json!({"dry_run": true})).unwrap_err();
    assert_eq!(
        ssm,
        CallError::Param(
            "Parameter validation failed:\nUnknown parameter in input: \"dry_run\", must be one of: command_id, instance_id, max_results, next_token".into()
        )
    );
    let sts = call(
        &mut c,
        "sts",
        "get_caller_identity",
        json!({"dry_run": false}),
    )
    .unwrap_err();
    assert!(unknown_dry_run(&sts), "{sts:?}");
    // Nothing was created.
    let keys = call(&mut c, "kms", "list_keys", json!({})).expect("list");
    assert_eq!(keys, keys_before);
}

//! Conformance to botocore's service models, the authority on request shapes: every parameter an
//! operation of the table accepts is a member of its input shape in botocore's model (in boto3's
//! snake_case). A parameter boto3 would refuse must be refused here too.
//!
//! It needs Python with botocore (pinned in `.ci/run`, which creates the virtualenv and runs this
//! test with `AMILAB_PYTHON` pointing at it). Ignored by a plain `cargo test`; run it with
//! `AMILAB_PYTHON=/path/to/venv/bin/python cargo test -p amilab-cloud --test conformance -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use amilab_cloud::api::{methods, operation, Client, SERVICES};
use amilab_cloud::paginators::paginator;
use amilab_cloud::{CallError, Caller, Cloud, WorldConfig};
use serde_json::{json, Value};

/// Every parameter an operation accepts, from the operation table.
fn accepted(service: &str, method: &str) -> Vec<&'static str> {
    operation(service, method)
        .unwrap_or_else(|| panic!("no operation {service}.{method}"))
        .parameters()
        .to_vec()
}

/// Runs one of the scripts in `tests/conformance` with the Python botocore is installed in
/// (`AMILAB_PYTHON`, else `python3`) and reads the JSON it prints.
fn botocore_script(name: &str, args: &[&str]) -> Value {
    let python = std::env::var("AMILAB_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!("{}/tests/conformance/{name}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(&python)
        .arg(&script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{python}`: {e}"));
    assert!(
        out.status.success(),
        "`{python} {script}` failed (is botocore installed?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

#[test]
#[ignore = "needs Python with botocore: .ci/run runs it with AMILAB_PYTHON set"]
fn every_accepted_parameter_is_a_member_of_the_botocore_model() {
    let model = botocore_script("botocore_members.py", SERVICES);
    let mut invented: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut operations, mut parameters) = (0, 0);
    for service in SERVICES {
        for method in methods(service) {
            let members: BTreeSet<&str> = model["services"][service][&method]
                .as_array()
                .unwrap_or_else(|| panic!("botocore has no operation {service}.{method}"))
                .iter()
                .filter_map(Value::as_str)
                .collect();
            operations += 1;
            for p in accepted(service, &method) {
                parameters += 1;
                if !members.contains(p) {
                    invented
                        .entry(format!("{service}.{method}"))
                        .or_default()
                        .push(p.to_string());
                }
            }
        }
    }
    println!(
        "botocore {}: {operations} operations, {parameters} accepted parameters checked",
        model["botocore"].as_str().unwrap_or("?")
    );
    assert!(
        invented.is_empty(),
        "parameters boto3 would refuse (not in botocore's input shapes):\n{invented:#?}"
    );
}

/// Every member of every input shape is either simulated (accepted) or declared not simulated,
/// so that boto3's parameters never meet amilab's "Unknown parameter": a member boto3 accepts
/// is answered for, or refused as not simulated. Every declared path is in the model, and no
/// member is both.
#[test]
#[ignore = "needs Python with botocore: .ci/run runs it with AMILAB_PYTHON set"]
fn every_member_of_the_model_is_simulated_or_declared_not_simulated() {
    let model = botocore_script("botocore_members.py", SERVICES);
    let mut problems = Vec::new();
    let mut declared = 0;
    for service in SERVICES {
        for method in methods(service) {
            let op = operation(service, &method).expect("listed");
            let list = |key: &str| -> BTreeSet<String> {
                model[key][service][&method]
                    .as_array()
                    .unwrap_or_else(|| panic!("botocore has no operation {service}.{method}"))
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            };
            let (members, paths) = (list("services"), list("paths"));
            let accepted: BTreeSet<&str> = op.parameters().iter().copied().collect();
            for path in op.not_simulated() {
                declared += 1;
                if !paths.contains(*path) {
                    problems.push(format!("{service}.{method}: `{path}` is declared not simulated but is not in the model"));
                }
                if accepted.contains(path) {
                    problems.push(format!(
                        "{service}.{method}: `{path}` is both accepted and declared not simulated"
                    ));
                }
            }
            let top: BTreeSet<&str> = op
                .not_simulated()
                .iter()
                .filter(|p| !p.contains('.'))
                .copied()
                .collect();
            for member in &members {
                if !accepted.contains(member.as_str()) && !top.contains(member.as_str()) {
                    problems.push(format!("{service}.{method}: `{member}` is neither accepted nor declared not simulated"));
                }
            }
        }
    }
    println!("{declared} members declared not simulated");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The paging members botocore gives an operation, with the paginator it declares: every
/// operation of the table whose botocore input has `MaxResults` / `NextToken` (KMS: `Limit` /
/// `Marker`) accepts them, and the table's paginators are botocore's, member for member.
#[test]
#[ignore = "needs Python with botocore: .ci/run runs it with AMILAB_PYTHON set"]
fn paging_members_and_paginators_are_botocores() {
    let model = botocore_script("botocore_members.py", SERVICES);
    let mut problems = Vec::new();
    let mut paginated = 0;
    for service in SERVICES {
        for method in methods(service) {
            let members = &model["services"][service][&method];
            let accepts = accepted(service, &method);
            for member in ["max_results", "next_token", "limit", "marker"] {
                let in_model = members
                    .as_array()
                    .is_some_and(|m| m.iter().any(|v| v == member));
                if in_model != accepts.contains(&member) {
                    problems.push(format!(
                        "{service}.{method}: botocore {} `{member}`, the table {}",
                        if in_model { "has" } else { "lacks" },
                        if in_model { "lacks it" } else { "has it" }
                    ));
                }
            }
            let theirs = &model["paginators"][service][&method];
            match (theirs.is_object(), paginator(service, &method)) {
                (false, None) => {}
                (true, None) => problems.push(format!("{service}.{method}: botocore paginates it")),
                (false, Some(_)) => {
                    problems.push(format!("{service}.{method}: botocore has no paginator"))
                }
                (true, Some(ours)) => {
                    paginated += 1;
                    let ours = json!({
                        "input_token": ours.input_token(),
                        "output_token": ours.output_token(),
                        "limit_key": ours.limit_key(),
                        "more_results": ours.more_results(),
                        "result_key": ours.result_key(),
                    });
                    if &ours != theirs {
                        problems.push(format!(
                            "{service}.{method}: paginator {ours} but botocore's is {theirs}"
                        ));
                    }
                }
            }
        }
    }
    println!("{paginated} paginators checked against botocore's");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Every paginated operation takes the page sizes its model's shape allows and refuses the others:
/// below the model's `min` as boto3 does (a `ParamValidationError`, before sending), above its
/// `max` as the service does.
#[test]
#[ignore = "needs Python with botocore: .ci/run runs it with AMILAB_PYTHON set"]
fn page_sizes_follow_the_models_ranges() {
    let model = botocore_script("botocore_members.py", SERVICES);
    let mut cloud = Cloud::new(WorldConfig::default());
    let caller = Caller::new(amilab_cloud::DEFAULT_ACCOUNT, "us-east-1");
    for p in amilab_cloud::paginators::all() {
        let (service, method, key) = (p.service(), p.name(), p.limit_key());
        let range = &model["ranges"][service][method][key];
        // ListGrants is the one paginated call with a required member: the key whose grants
        // it lists.
        let required = match (service, method) {
            ("kms", "list_grants") => json!({"key_id": "alias/aws/ebs"}),
            ("imagebuilder", "list_image_pipeline_images") => {
                json!({"image_pipeline_arn": a_pipeline(&mut cloud, &caller)})
            }
            _ => json!({}),
        };
        let mut size = |n: i64| {
            let mut params = required.clone();
            params[key] = json!(n);
            cloud.call(&caller, service, method, params)
        };
        if let Some(min) = range[0].as_i64() {
            match size(min - 1) {
                Err(CallError::Param(m)) => assert!(
                    m.contains(&format!("value: {}, valid min value: {min}", min - 1)),
                    "{service}.{method}: {m}"
                ),
                other => panic!("{service}.{method} {key}={}: {other:?}", min - 1),
            }
            assert!(size(min).is_ok(), "{service}.{method} {key}={min}");
        }
        if let Some(max) = range[1].as_i64() {
            assert!(size(max).is_ok(), "{service}.{method} {key}={max}");
            assert!(
                matches!(size(max + 1), Err(CallError::Aws(_))),
                "{service}.{method} {key}={}",
                max + 1
            );
        }
    }
}

/// An Image Builder pipeline (the one member ListImagePipelineImages requires).
fn a_pipeline(cloud: &mut Cloud, caller: &Caller) -> String {
    let mut call = |method: &str, params: Value| {
        cloud
            .call(caller, "imagebuilder", method, params)
            .unwrap_or_else(|e| panic!("{method}: {e:?}"))
    };
    let doc = json!({"schemaVersion": 1.0, "phases": [{"name": "build", "steps": [
        {"name": "S", "action": "ExecuteBash", "inputs": {"commands": ["true"]}}]}]});
    let c = call(
        "create_component",
        json!({"name": "probe", "semantic_version": "1.0.0", "platform": "Linux", "data": doc.to_string()}),
    );
    let r = call(
        "create_image_recipe",
        json!({"name": "probe", "semantic_version": "1.0.0",
        "parent_image": "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
        "components": [{"component_arn": c["component_build_version_arn"]}]}),
    );
    let i = call(
        "create_infrastructure_configuration",
        json!({"name": "probe", "instance_profile_name": "p"}),
    );
    let p = call(
        "create_image_pipeline",
        json!({"name": "probe", "image_recipe_arn": r["image_recipe_arn"],
        "infrastructure_configuration_arn": i["infrastructure_configuration_arn"]}),
    );
    p["image_pipeline_arn"]
        .as_str()
        .expect("an ARN")
        .to_string()
}

/// The parameters the simulation once accepted and boto3 refuses (issue 9's list), refused
/// here too, without botocore at hand.
#[test]
fn parameters_botocore_lacks_are_refused() {
    for (service, method, param) in [
        ("ec2", "start_instances", "force"),
        ("ec2", "start_instances", "hibernate"),
        ("ec2", "start_instances", "skip_os_shutdown"),
        ("ec2", "reboot_instances", "force"),
        ("ec2", "reboot_instances", "hibernate"),
        ("ec2", "reboot_instances", "additional_info"),
        ("ec2", "stop_instances", "additional_info"),
        ("ec2", "terminate_instances", "hibernate"),
        ("ec2", "terminate_instances", "additional_info"),
        ("ec2", "revoke_security_group_ingress", "tag_specifications"),
        ("kms", "list_keys", "key_id"),
        ("ssm", "list_commands", "details"),
    ] {
        let keys = accepted(service, method);
        assert!(
            !keys.contains(&param),
            "{service}.{method} accepts `{param}`: {keys:?}"
        );
    }
    // What botocore does have stays accepted.
    assert!(accepted("ec2", "stop_instances").contains(&"hibernate"));
    assert!(accepted("kms", "list_aliases").contains(&"key_id"));
}

/// The table's list is the list the cloud enforces: the keys its refusal of an unknown one
/// names, for every operation.
#[test]
fn the_listed_parameters_are_the_enforced_ones() {
    let mut cloud = Cloud::new(WorldConfig::default());
    let caller = Caller::new(amilab_cloud::DEFAULT_ACCOUNT, "us-east-1");
    for service in SERVICES {
        for method in methods(service) {
            let err = cloud.call(&caller, service, &method, json!({"zz_probe": 1}));
            let Err(CallError::Param(m)) = err else {
                panic!("{service}.{method} accepted an unknown parameter: {err:?}");
            };
            let listed = accepted(service, &method).join(", ");
            assert!(
                m.contains(&format!("must be one of: {listed}")),
                "{service}.{method}: table says {listed}; the cloud says {m}"
            );
        }
    }
}

mod tour;

#[test]
fn the_tour_calls_every_operation() {
    let steps = tour::run(|_, _, _, _, _| {});
    assert_eq!(tour::missing(&steps), Vec::<String>::new());
}

/// Every state the tour passes through (every operation has run at least once by its end) is
/// saved to a world file and read back exactly: a resource that cannot be saved (Image
/// Builder's client tokens once) fails here, whichever operation makes it.
#[test]
fn every_state_of_the_tour_saves_and_loads() {
    let mut checked = 0;
    tour::run(|cloud, _, service, method, _| {
        let text = cloud.save_world();
        let loaded = Cloud::load_world(&text, None)
            .unwrap_or_else(|e| panic!("the world before {service}.{method} does not load: {e}"));
        assert_eq!(
            loaded.state_digest(),
            cloud.state_digest(),
            "the world before {service}.{method} loads as another"
        );
        checked += 1;
    });
    assert!(checked > 100, "{checked} states");
}

/// Every answer of the tour (every operation of the table, at least once) has the shape boto3
/// would return: keys that are members, values of the member's type, enum values the model
/// lists, ISO-8601 timestamps, no nulls.
#[test]
#[ignore = "needs Python with botocore: .ci/run runs it with AMILAB_PYTHON set"]
fn every_response_conforms_to_its_botocore_output_shape() {
    // Each step is also answered to the AWS CLI, on a copy of the cloud as it is before the
    // step: the same answer with the API's member names, which must be botocore's.
    let mut wire = Vec::new();
    let steps = tour::run(|cloud, caller, service, method, params| {
        let answer = cloud
            .clone()
            .call_as(Client::AwsCli, caller, service, method, params.clone())
            .unwrap_or_else(|e| panic!("{service}.{method} through the CLI: {e:?}"));
        wire.push(json!({"service": service, "method": method, "response": answer, "wire": true}));
    });
    assert_eq!(tour::missing(&steps), Vec::<String>::new());
    let responses: Vec<Value> = steps
        .iter()
        .map(|s| json!({"service": s.service, "method": s.method, "response": s.response}))
        .chain(wire)
        .collect();
    let file = std::env::temp_dir().join(format!("amilab-conformance-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(&responses).expect("JSON")).expect("write responses");
    let verdict = botocore_script("botocore_outputs.py", &[file.to_str().expect("UTF-8 path")]);
    let _ = std::fs::remove_file(&file);
    println!(
        "botocore {}: {} responses of {} operations, {} values checked",
        verdict["botocore"].as_str().unwrap_or("?"),
        steps.len(),
        verdict["operations"],
        verdict["values"]
    );
    // Not a failure: the CLI prints a structure's members in the order the simulation declares
    // them, which for these is not botocore's (README, "The AWS CLI").
    let unordered = verdict["unordered"].as_array().map_or(0, Vec::len);
    println!(
        "structures printed in another member order than botocore's: {unordered} ({})",
        verdict["unordered"]
    );
    let problems: Vec<&str> = verdict["problems"]
        .as_array()
        .expect("a problem list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        problems.is_empty(),
        "responses boto3 would not return ({}):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

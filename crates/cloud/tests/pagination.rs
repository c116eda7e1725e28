//! Pagination: page sizes, their limits and errors, tokens, and boto3's paginators, through the
//! operation table as scripts reach it.

use std::collections::BTreeSet;

use amilab_cloud::catalog::images::public_image_id;
use amilab_cloud::paginators::{paginator, PaginateError, PaginationConfig};
use amilab_cloud::{CallError, Caller, Cloud, WorldConfig};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";

fn cloud(seed: u64) -> Cloud {
    Cloud::new(WorldConfig {
        seed,
        regions: vec![REGION.into(), "eu-west-1".into()],
        ..WorldConfig::default()
    })
}

fn me() -> Caller {
    Caller::new(amilab_cloud::DEFAULT_ACCOUNT, REGION)
}

fn call(cloud: &mut Cloud, service: &str, method: &str, params: Value) -> Result<Value, CallError> {
    cloud.call(&me(), service, method, params)
}

fn ec2(cloud: &mut Cloud, method: &str, params: Value) -> Value {
    call(cloud, "ec2", method, params).unwrap_or_else(|e| panic!("{method}: {e:?}"))
}

/// The AWS error a call answers: (code, message).
fn aws_error(result: Result<Value, CallError>) -> (String, String) {
    match result {
        Err(CallError::Aws(e)) => (e.code, e.message),
        other => panic!("expected an AWS error, got {other:?}"),
    }
}

fn launch(cloud: &mut Cloud, count: u32) -> Vec<String> {
    let ami = public_image_id("al2023-x86_64", REGION).expect("catalogue image");
    let r = ec2(
        cloud,
        "run_instances",
        json!({"image_id": ami, "instance_type": "t3.micro", "min_count": count, "max_count": count}),
    );
    cloud.advance(60);
    ids(&r["instances"], "instance_id")
}

/// The values of `key` in a list of records.
fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v[key].as_str().expect("an id").to_string())
        .collect()
}

/// `count` images of the caller's, imaged from one instance without reboot (the quickest way to
/// many images: no boot, one snapshot each).
fn images(cloud: &mut Cloud, count: usize) -> Vec<String> {
    images_named(cloud, "build", count)
}

fn images_named(cloud: &mut Cloud, prefix: &str, count: usize) -> Vec<String> {
    let server = launch(cloud, 1).remove(0);
    (0..count)
        .map(|i| {
            let r = ec2(
                cloud,
                "create_image",
                json!({"instance_id": server, "name": format!("{prefix}-{i:04}"), "no_reboot": true}),
            );
            r["image_id"].as_str().expect("an image id").to_string()
        })
        .collect()
}

/// Every page of `method`, calling it by hand with `max_results` and each page's `next_token`.
fn pages_by_hand(cloud: &mut Cloud, method: &str, mut params: Value, size: i64) -> Vec<Value> {
    params["max_results"] = json!(size);
    let mut pages = Vec::new();
    loop {
        let page = ec2(cloud, method, params.clone());
        let next = page.get("next_token").cloned();
        pages.push(page);
        match next {
            Some(token) => params["next_token"] = token,
            None => return pages,
        }
    }
}

#[test]
fn paginating_describe_images_over_1000_images_returns_every_image_exactly_once() {
    let mut c = cloud(0);
    let made = images(&mut c, 1000);
    c.advance(600);
    let mine = json!({"owners": ["self"]});

    // boto3's paginator, 100 a page.
    let spec = paginator("ec2", "describe_images").unwrap();
    let config = PaginationConfig {
        page_size: Some(100),
        ..PaginationConfig::default()
    };
    let pages = c.paginate(&me(), spec, mine.clone(), config).unwrap();
    assert_eq!(pages.pages().len(), 10);
    let listed = ids(&pages.build_full_result()["images"], "image_id");
    assert_eq!(listed.len(), 1000);
    assert_eq!(
        listed.iter().collect::<BTreeSet<_>>().len(),
        1000,
        "no image twice"
    );
    assert_eq!(listed, made, "every image, in creation order");

    // By hand, with a page size that does not divide 1000: 143 pages, the last one of 6.
    let pages = pages_by_hand(&mut c, "describe_images", mine.clone(), 7);
    assert_eq!(pages.len(), 143);
    assert_eq!(pages[142]["images"].as_array().unwrap().len(), 6);
    let listed: Vec<String> = pages
        .iter()
        .flat_map(|p| ids(&p["images"], "image_id"))
        .collect();
    assert_eq!(listed, made);

    // Without max_results, every image in one answer, as before.
    let all = ec2(&mut c, "describe_images", mine);
    assert_eq!(ids(&all["images"], "image_id"), made);
    assert!(all.get("next_token").is_none());
}

#[test]
fn every_item_present_throughout_is_listed_once_even_when_others_come_and_go() {
    let mut c = cloud(0);
    let made = images(&mut c, 30);
    c.advance(600);
    let first = ec2(
        &mut c,
        "describe_images",
        json!({"owners": ["self"], "max_results": 10}),
    );
    let token = first["next_token"].clone();
    // Two images of the first page and one of the second go; a new one comes.
    for id in [&made[0], &made[5], &made[12]] {
        ec2(&mut c, "deregister_image", json!({"image_id": id}));
    }
    let newcomer = images_named(&mut c, "late", 1).remove(0);
    let mut rest = pages_by_hand(
        &mut c,
        "describe_images",
        json!({"owners": ["self"], "next_token": token}),
        10,
    );
    let second: Vec<String> = rest
        .drain(..)
        .flat_map(|p| ids(&p["images"], "image_id"))
        .collect();
    let mut expected: Vec<String> = made[10..]
        .iter()
        .filter(|i| *i != &made[12])
        .cloned()
        .collect();
    expected.push(newcomer);
    assert_eq!(second, expected);
}

#[test]
fn two_identical_worlds_make_identical_tokens() {
    let tokens = || {
        let mut c = cloud(42);
        images(&mut c, 12);
        let mut out: Vec<String> =
            pages_by_hand(&mut c, "describe_images", json!({"owners": ["self"]}), 5)
                .iter()
                .filter_map(|p| p["next_token"].as_str().map(str::to_string))
                .collect();
        let spec = paginator("ec2", "describe_snapshots").unwrap();
        let config = PaginationConfig {
            page_size: Some(5),
            max_items: Some(7),
            ..PaginationConfig::default()
        };
        let pages = c.paginate(&me(), spec, json!({}), config).unwrap();
        out.extend(pages.resume_token().map(str::to_string));
        out
    };
    let a = tokens();
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(a, tokens());
    // Opaque: neither a number nor an id a learner could edit.
    for t in &a {
        assert!(t.parse::<i64>().is_err() && !t.contains("ami-"), "{t}");
    }
}

#[test]
fn tokens_belong_to_their_operation_account_and_region() {
    let mut c = cloud(0);
    images(&mut c, 6);
    let page = ec2(
        &mut c,
        "describe_images",
        json!({"owners": ["self"], "max_results": 5}),
    );
    let token = page["next_token"].as_str().unwrap().to_string();
    let invalid =
        format!("Value ( {token} ) for parameter NextToken is invalid. The token is invalid.");
    // Another operation.
    let (code, message) = aws_error(call(
        &mut c,
        "ec2",
        "describe_snapshots",
        json!({"next_token": token}),
    ));
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterValue", invalid.as_str())
    );
    // Another region, another account.
    let eu = Caller::new(amilab_cloud::DEFAULT_ACCOUNT, "eu-west-1");
    let (code, _) = aws_error(c.call(&eu, "ec2", "describe_images", json!({"next_token": token})));
    assert_eq!(code, "InvalidParameterValue");
    let mate = Caller::new("444455556666", REGION);
    let (code, _) = aws_error(c.call(
        &mate,
        "ec2",
        "describe_images",
        json!({"next_token": token}),
    ));
    assert_eq!(code, "InvalidParameterValue");
    // A forged one.
    let (code, _) = aws_error(call(
        &mut c,
        "ec2",
        "describe_images",
        json!({"next_token": "5"}),
    ));
    assert_eq!(code, "InvalidParameterValue");
    // SSM's and KMS's own errors.
    let (code, message) = aws_error(call(
        &mut c,
        "ssm",
        "list_commands",
        json!({"next_token": token}),
    ));
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidNextToken", "The specified token isn't valid.")
    );
    let (code, _) = aws_error(call(&mut c, "kms", "list_keys", json!({"marker": token})));
    assert_eq!(code, "InvalidMarkerException");
}

#[test]
fn page_sizes_out_of_range_get_awss_answers() {
    let mut c = cloud(0);
    // EC2 refuses small sizes where the model sets no minimum...
    let (code, message) = aws_error(call(
        &mut c,
        "ec2",
        "describe_instances",
        json!({"max_results": 1}),
    ));
    assert_eq!(code, "InvalidParameterValue");
    assert_eq!(
        message,
        "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5."
    );
    // ...boto3 refuses them where it does, before sending: not counted, not on the trail.
    let calls = c.api_calls();
    let err = call(&mut c, "ec2", "describe_vpcs", json!({"max_results": 4})).unwrap_err();
    assert_eq!(
        err,
        CallError::Param(
            "Parameter validation failed:\nInvalid value for parameter max_results, value: 4, valid min value: 5".into()
        )
    );
    assert_eq!(c.api_calls(), calls);
    assert!(c
        .trail()
        .events()
        .iter()
        .all(|e| e.operation != "DescribeVpcs"));
    let err = call(&mut c, "kms", "list_aliases", json!({"limit": 0})).unwrap_err();
    assert!(matches!(err, CallError::Param(m) if m.contains("valid min value: 1")));
    let err = call(&mut c, "kms", "list_keys", json!({"marker": ""})).unwrap_err();
    assert!(matches!(err, CallError::Param(m) if m.contains("valid min length: 1")));
    // Too large: refused where the model sets a maximum...
    for (method, size, max) in [
        ("describe_vpcs", 1001, 1000),
        ("describe_subnets", 5000, 1000),
        ("describe_security_groups", 1001, 1000),
        ("describe_instance_types", 101, 100),
    ] {
        let (code, message) = aws_error(call(&mut c, "ec2", method, json!({"max_results": size})));
        assert_eq!(code, "InvalidParameterValue", "{method}");
        assert_eq!(
            message,
            format!("Value ( {size} ) for parameter maxResults is invalid. Expecting a value less than or equal to {max}.")
        );
    }
    let (code, message) = aws_error(call(
        &mut c,
        "ssm",
        "describe_instance_information",
        json!({"max_results": 100}),
    ));
    assert_eq!(code, "ValidationException");
    assert_eq!(message, "1 validation error detected: Value '100' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50");
    let (code, _) = aws_error(call(&mut c, "kms", "list_keys", json!({"limit": 1001})));
    assert_eq!(code, "ValidationException");
    // ...served as the largest page where EC2 documents that.
    for method in [
        "describe_instances",
        "describe_images",
        "describe_snapshots",
        "describe_volumes",
        "describe_tags",
    ] {
        ec2(&mut c, method, json!({"max_results": 100_000}));
    }
}

#[test]
fn ids_and_a_page_size_do_not_mix() {
    let mut c = cloud(0);
    let instances = launch(&mut c, 1);
    for (method, params, set) in [
        (
            "describe_instances",
            json!({"instance_ids": instances}),
            "instancesSet",
        ),
        (
            "describe_images",
            json!({"image_ids": [public_image_id("al2023-x86_64", REGION).unwrap()]}),
            "imageIdsSet",
        ),
    ] {
        let mut with_size = params.clone();
        with_size["max_results"] = json!(5);
        let (code, message) = aws_error(call(&mut c, "ec2", method, with_size));
        assert_eq!(code, "InvalidParameterCombination");
        assert_eq!(
            message,
            format!("The parameter {set} cannot be used with the parameter maxResults")
        );
        ec2(&mut c, method, params);
    }
}

#[test]
fn default_page_sizes_follow_the_documentation() {
    let mut c = cloud(0);
    // SSM DescribeInstanceInformation: 10 without MaxResults.
    launch(&mut c, 12);
    let first = call(&mut c, "ssm", "describe_instance_information", json!({})).unwrap();
    assert_eq!(
        first["instance_information_list"].as_array().unwrap().len(),
        10
    );
    let rest = call(
        &mut c,
        "ssm",
        "describe_instance_information",
        json!({"next_token": first["next_token"]}),
    )
    .unwrap();
    assert_eq!(
        rest["instance_information_list"].as_array().unwrap().len(),
        2
    );
    assert!(rest.get("next_token").is_none());
    // KMS ListKeys: 100 without Limit, then `truncated` and `next_marker`.
    for _ in 0..100 {
        call(&mut c, "kms", "create_key", json!({})).unwrap();
    }
    let keys = call(&mut c, "kms", "list_keys", json!({})).unwrap();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 100);
    assert_eq!(keys["truncated"], json!(true));
    let last = call(
        &mut c,
        "kms",
        "list_keys",
        json!({"marker": keys["next_marker"]}),
    )
    .unwrap();
    assert_eq!(last["keys"].as_array().unwrap().len(), 1);
    assert_eq!(last["truncated"], json!(false));
    assert!(last.get("next_marker").is_none());
    // EC2's describe calls: everything.
    let all = ec2(&mut c, "describe_instances", json!({}));
    assert_eq!(
        all["reservations"][0]["instances"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
}

#[test]
fn describe_instances_pages_whole_reservations() {
    let mut c = cloud(0);
    launch(&mut c, 3);
    launch(&mut c, 1);
    for _ in 0..5 {
        launch(&mut c, 2);
    }
    let pages = pages_by_hand(&mut c, "describe_instances", json!({}), 5);
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["reservations"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![5, 2]);
    assert_eq!(
        pages[0]["reservations"][0]["instances"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn paginators_resume_where_max_items_stopped() {
    let mut c = cloud(0);
    let made = images(&mut c, 23);
    let spec = paginator("ec2", "describe_images").unwrap();
    let mine = json!({"owners": ["self"]});
    let calls_before = c.api_calls();
    let mut listed = Vec::new();
    let mut starting_token = None;
    let mut runs = 0;
    loop {
        let config = PaginationConfig {
            max_items: Some(7),
            page_size: Some(5),
            starting_token: starting_token.take(),
        };
        let pages = c.paginate(&me(), spec, mine.clone(), config).unwrap();
        let full = pages.build_full_result();
        listed.extend(ids(&full["images"], "image_id"));
        runs += 1;
        match full.get("next_token").and_then(Value::as_str) {
            Some(t) => {
                assert_eq!(Some(t), pages.resume_token());
                starting_token = Some(t.to_string());
            }
            None => break,
        }
    }
    assert_eq!(runs, 4);
    assert_eq!(listed, made, "every image once, across resumed paginations");
    // Each page was one real call, on the trail; resuming inside a page asks for it again.
    let calls = c.api_calls() - calls_before;
    let on_trail = c
        .trail()
        .events()
        .iter()
        .filter(|e| e.operation == "DescribeImages")
        .count() as u64;
    assert_eq!(calls, on_trail);
    assert_eq!(calls, 2 + 2 + 3 + 1);
}

#[test]
fn a_page_boundary_resume_token_is_the_service_token() {
    let mut c = cloud(0);
    images(&mut c, 12);
    let spec = paginator("ec2", "describe_images").unwrap();
    let config = PaginationConfig {
        max_items: Some(5),
        page_size: Some(5),
        ..PaginationConfig::default()
    };
    let pages = c
        .paginate(&me(), spec, json!({"owners": ["self"]}), config)
        .unwrap();
    assert_eq!(pages.pages().len(), 1);
    let service_token = pages.pages()[0]["next_token"].as_str().unwrap().to_string();
    let resume = pages.resume_token().unwrap().to_string();
    // botocore's encoding: {"NextToken": "<service token>"}, base64.
    let decoded = json!({"NextToken": service_token});
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&resume)
        .unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap(), decoded);
    // A service token works as a starting token too (botocore's older form).
    let config = PaginationConfig {
        starting_token: Some(service_token),
        ..PaginationConfig::default()
    };
    let rest = c
        .paginate(&me(), spec, json!({"owners": ["self"]}), config)
        .unwrap();
    assert_eq!(
        rest.build_full_result()["images"].as_array().unwrap().len(),
        7
    );
}

#[test]
fn paginators_report_the_first_failing_call() {
    let mut c = cloud(0);
    let spec = paginator("ec2", "describe_vpcs").unwrap();
    let config = PaginationConfig {
        page_size: Some(2000),
        ..PaginationConfig::default()
    };
    let err = c.paginate(&me(), spec, json!({}), config).unwrap_err();
    assert!(
        matches!(&err, PaginateError::Call(CallError::Aws(e)) if e.code == "InvalidParameterValue"),
        "{err:?}"
    );
    let config = PaginationConfig {
        starting_token: Some("a___b___c".into()),
        ..PaginationConfig::default()
    };
    let err = c.paginate(&me(), spec, json!({}), config).unwrap_err();
    assert_eq!(err.to_string(), "Bad starting token: a___b___c");
    let err = c
        .paginate(
            &me(),
            spec,
            json!({"vpc_idz": []}),
            PaginationConfig::default(),
        )
        .unwrap_err();
    assert!(matches!(err, PaginateError::Call(CallError::Param(_))));
}

#[test]
fn kms_pages_say_truncated_and_paginators_follow_next_marker() {
    let mut c = cloud(0);
    for i in 0..7 {
        let key =
            call(&mut c, "kms", "create_key", json!({})).unwrap()["key_metadata"]["key_id"].clone();
        call(
            &mut c,
            "kms",
            "create_alias",
            json!({"alias_name": format!("alias/app-{i}"), "target_key_id": key}),
        )
        .unwrap();
    }
    let spec = paginator("kms", "list_aliases").unwrap();
    let config = PaginationConfig {
        page_size: Some(3),
        ..PaginationConfig::default()
    };
    let pages = c.paginate(&me(), spec, json!({}), config).unwrap();
    let truncated: Vec<bool> = pages
        .pages()
        .iter()
        .map(|p| p["truncated"].as_bool().unwrap())
        .collect();
    assert_eq!(truncated, vec![true, true, false]);
    let names = ids(&pages.build_full_result()["aliases"], "alias_name");
    assert_eq!(names.len(), 8);
    assert_eq!(names[0], "alias/aws/ebs");
    assert_eq!(names[7], "alias/app-6");
}

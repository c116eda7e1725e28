//! Pagination as a learner writes it: `max_results` / `next_token` by hand, and boto3's
//! paginators — `get_paginator`, `paginate`, `for page in …`, `build_full_result()`,
//! `pagination_config` — with their errors.

use crate::common;
use common::{expect_error, output, run};

/// Makes `n` images named `build-0`, `build-1`, … from one running instance.
const IMAGES: &str = r#"
fn make_images(ec2, n) {
    let id = running_web(ec2);
    let made = [];
    for i in 0..n {
        made.push(ec2.create_image(#{instance_id: id, name: `build-${i}`, no_reboot: true}).image_id);
    }
    made
}
"#;

fn script(body: &str) -> String {
    format!("{IMAGES}\n{body}")
}

#[test]
fn for_page_in_paginate_walks_every_page_one_call_each() {
    let (report, cloud) = run(&script(
        r#"let made = make_images(ec2, 12);
           let seen = [];
           let paginator = ec2.get_paginator("describe_images");
           for page in paginator.paginate(#{owners: ["self"], pagination_config: #{page_size: 5}}) {
               print(page.images.len());
               for image in page.images { seen.push(image.image_id); }
           }
           print(seen == made);"#,
    ));
    assert!(report.succeeded(), "{:?}", report.failure);
    let lines: Vec<&str> = report
        .output
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(lines, ["5", "5", "2", "true"]);
    let cloud = cloud.borrow();
    let calls: Vec<_> = cloud
        .trail()
        .events()
        .iter()
        .filter(|e| e.operation == "DescribeImages")
        .collect();
    // The prelude's base image lookup, then one call per page.
    assert_eq!(calls.len(), 1 + 3);
    assert_eq!(calls[1].parameters["max_results"], 5);
    assert!(calls[2].parameters["next_token"].is_string());
}

#[test]
fn next_token_by_hand() {
    let lines = output(&script(
        r#"make_images(ec2, 11);
           let request = #{owners: ["self"], max_results: 5};
           let count = 0;
           let pages = 0;
           loop {
               let page = ec2.describe_images(request);
               count += page.images.len();
               pages += 1;
               if !("next_token" in page) { break; }
               request.next_token = page.next_token;
           }
           print(`${count} images in ${pages} pages`);
           print("next_token" in ec2.describe_images(#{owners: ["self"]}));"#,
    ));
    assert_eq!(lines, ["11 images in 3 pages", "false"]);
}

#[test]
fn build_full_result_merges_pages_and_resumes_with_starting_token() {
    let lines = output(&script(
        r#"let made = make_images(ec2, 9);
           let paginator = ec2.get_paginator("describe_images");
           let first = paginator.paginate(#{owners: ["self"], pagination_config: #{max_items: 4, page_size: 5}}).build_full_result();
           print(first.images.len());
           print(type_of(first.next_token));
           let rest = paginator.paginate(#{owners: ["self"],
               pagination_config: #{starting_token: first.next_token, page_size: 5}}).build_full_result();
           print(rest.images.len());
           print("next_token" in rest);
           let ids = [];
           for image in first.images + rest.images { ids.push(image.image_id); }
           print(ids == made);
           let pages = paginator.paginate(#{owners: ["self"], pagination_config: #{max_items: 4}});
           print(pages.len());
           print(pages.resume_token == first.next_token);"#,
    ));
    assert_eq!(lines, ["4", "string", "5", "false", "true", "1", "true"]);
}

#[test]
fn pages_index_like_arrays_and_print_like_boto3() {
    let lines = output(
        r#"let paginator = ec2.get_paginator("describe_images");
           print(paginator);
           let pages = paginator.paginate(#{pagination_config: #{page_size: 5}});
           print(type_of(pages));
           print(pages[0].images.len());
           print(pages[-1] == pages[pages.len() - 1]);
           print(ec2.can_paginate("describe_images"));
           print(ec2.can_paginate("run_instances"));"#,
    );
    assert_eq!(
        lines,
        [
            "<botocore.client.EC2.Paginator.DescribeImages object>",
            "PageIterator",
            "5",
            "true",
            "true",
            "false"
        ]
    );
}

#[test]
fn other_services_paginate_with_their_own_tokens() {
    let lines = output(
        r#"let kms = client("kms", "us-east-1");
           for i in 0..4 { kms.create_key(#{}); }
           let pages = kms.get_paginator("list_keys").paginate(#{pagination_config: #{page_size: 2}});
           for page in pages { print(`${page.keys.len()} ${page.truncated}`); }
           print(pages.build_full_result().keys.len());
           let ssm = client("ssm", "us-east-1");
           print(ssm.get_paginator("describe_instance_information").paginate().build_full_result().instance_information_list.len());"#,
    );
    assert_eq!(lines, ["2 true", "2 true", "1 false", "5", "0"]);
}

#[test]
fn an_unknown_paginator_suggests_the_closest() {
    expect_error(
        r#"ec2.get_paginator("describe_image");"#,
        "OperationNotPageableError",
        "Operation cannot be paginated: describe_image. Paginators of the EC2 client: describe_images,",
    );
    expect_error(
        r#"ec2.get_paginator("DescribeImages");"#,
        "OperationNotPageableError",
        "Did you mean 'describe_images'?",
    );
    expect_error(
        r#"ec2.get_paginator("run_instances");"#,
        "OperationNotPageableError",
        "Operation cannot be paginated: run_instances.",
    );
    expect_error(
        r#"client("sts").get_paginator("get_caller_identity");"#,
        "OperationNotPageableError",
        "The STS client has no paginators.",
    );
}

#[test]
fn pagination_config_is_checked_like_parameters() {
    expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{pagination_config: #{max_item: 3}});"#,
        "ParamValidationError",
        r#"Unknown parameter in pagination_config: "max_item", must be one of: max_items, page_size, starting_token. Did you mean "max_items"?"#,
    );
    expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{pagination_config: #{max_items: -1}});"#,
        "ParamValidationError",
        "pagination_config.max_items, value: -1",
    );
    expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{pagination_config: #{page_size: "5"}});"#,
        "ParamValidationError",
        "pagination_config.page_size",
    );
    // The page size is the operation's to refuse: botocore's minimum first, then the service's.
    expect_error(
        r#"ec2.get_paginator("describe_vpcs").paginate(#{pagination_config: #{page_size: 2}});"#,
        "ParamValidationError",
        "Invalid value for parameter max_results, value: 2, valid min value: 5",
    );
    let f = expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{pagination_config: #{page_size: 2}});"#,
        "InvalidParameterValue",
        "Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    );
    assert!(f
        .message
        .contains("when calling the DescribeImages operation"));
    expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{pagination_config: #{starting_token: "a___b___c"}});"#,
        "ValueError",
        "Bad starting token: a___b___c",
    );
    expect_error(
        r#"ec2.get_paginator("describe_images").paginate(#{ownerz: ["self"]});"#,
        "ParamValidationError",
        r#"Did you mean "owners"?"#,
    );
}

#[test]
fn page_size_limits_and_tokens_are_awss_errors() {
    expect_error(
        r#"ec2.describe_instances(#{instance_ids: [running_web(ec2)], max_results: 5});"#,
        "InvalidParameterCombination",
        "The parameter instancesSet cannot be used with the parameter maxResults",
    );
    expect_error(
        r#"ec2.describe_snapshots(#{next_token: "0"});"#,
        "InvalidParameterValue",
        "Value ( 0 ) for parameter NextToken is invalid. The token is invalid.",
    );
    expect_error(
        r#"let t = ec2.describe_images(#{max_results: 5}).next_token;
           ec2.describe_snapshots(#{next_token: t});"#,
        "InvalidParameterValue",
        "for parameter NextToken is invalid",
    );
    expect_error(
        r#"client("ssm").list_commands(#{max_results: 51});"#,
        "ValidationException",
        "Member must have value less than or equal to 50",
    );
}

//! Benchmarks of the simulated cloud's hot operations, in process (no Rhai).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::json;

use amilab_cloud::ec2::filters::Filter;
use amilab_cloud::ec2::images::{CopyImageInput, CreateImageInput, DescribeImagesInput};
use amilab_cloud::ec2::instances::RunInstancesInput;
use amilab_cloud::{Caller, Cloud, Quotas, WorldConfig};

/// The binary's allocator, so that the numbers match what `amilab` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn roomy_cloud() -> Cloud {
    Cloud::new(WorldConfig {
        quotas: Quotas {
            instances_per_region: usize::MAX,
            images_per_region: usize::MAX,
            volumes_per_region: usize::MAX,
            snapshots_per_region: usize::MAX,
            api_calls: u64::MAX,
            ..Quotas::default()
        },
        ..WorldConfig::default()
    })
}

fn caller() -> Caller {
    Caller::new("123456789012", "us-east-1")
}

fn base_image(cloud: &mut Cloud) -> String {
    let out = cloud
        .call(&caller(), "ec2", "describe_images", json!({"owners": ["amazon"], "filters": [{"name": "name", "values": ["al2023-ami-*-x86_64"]}]}))
        .unwrap();
    out["images"][0]["image_id"].as_str().unwrap().to_string()
}

fn launch_input(image_id: &str) -> RunInstancesInput {
    RunInstancesInput {
        image_id: Some(image_id.to_string()),
        instance_type: Some("t3.micro".into()),
        min_count: 1,
        max_count: 1,
        ..RunInstancesInput::default()
    }
}

/// A cloud with one running instance, and that instance's id.
fn cloud_with_server() -> (Cloud, String) {
    let mut cloud = roomy_cloud();
    let ami = base_image(&mut cloud);
    let r = cloud
        .call(
            &caller(),
            "ec2",
            "run_instances",
            json!({"image_id": ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}),
        )
        .unwrap();
    cloud.advance(60);
    (
        cloud,
        r["instances"][0]["instance_id"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

/// Launches into realistic clouds: a fresh world every 200 launches (a learner's account holds
/// at most 256 instances per region), timing only the launches.
fn run_instances(c: &mut Criterion) {
    let who = caller();
    c.bench_function("run_instances (1 instance, typed)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                let mut cloud = roomy_cloud();
                let ami = base_image(&mut cloud);
                let batch = (iters - done).min(200);
                let inputs: Vec<_> = (0..batch).map(|_| launch_input(&ami)).collect();
                let start = Instant::now();
                for input in inputs {
                    black_box(cloud.run_instances(&who, input).unwrap());
                }
                total += start.elapsed();
                done += batch;
            }
            total
        })
    });
}

fn create_image(c: &mut Criterion) {
    let (mut cloud, server) = cloud_with_server();
    let who = caller();
    let mut n = 0u64;
    c.bench_function("create_image (typed)", |b| {
        b.iter(|| {
            n += 1;
            let input = CreateImageInput {
                instance_id: server.clone(),
                name: format!("web-v{n}"),
                description: None,
                no_reboot: Some(true),
                block_device_mappings: Vec::new(),
                tag_specifications: Vec::new(),
                dry_run: None,
            };
            black_box(cloud.create_image(&who, input).unwrap())
        })
    });
}

fn copy_image(c: &mut Criterion) {
    let (mut cloud, server) = cloud_with_server();
    let who = caller();
    let image = cloud
        .call(
            &who,
            "ec2",
            "create_image",
            json!({"instance_id": server, "name": "web-v1"}),
        )
        .unwrap()["image_id"]
        .as_str()
        .unwrap()
        .to_string();
    cloud.advance(600);
    let dest = Caller::new("123456789012", "eu-west-1");
    let mut n = 0u64;
    c.bench_function("copy_image across regions (typed)", |b| {
        b.iter(|| {
            n += 1;
            let input = CopyImageInput {
                name: format!("web-v1-copy-{n}"),
                source_image_id: image.clone(),
                source_region: "us-east-1".into(),
                description: None,
                encrypted: None,
                kms_key_id: None,
                copy_image_tags: None,
                tag_specifications: Vec::new(),
                client_token: None,
                dry_run: None,
            };
            black_box(cloud.copy_image(&dest, input).unwrap())
        })
    });
}

fn describe_images_over_10k(c: &mut Criterion) {
    let (mut cloud, server) = cloud_with_server();
    let who = caller();
    for i in 0..10_000 {
        cloud
            .call(
                &who,
                "ec2",
                "create_image",
                json!({"instance_id": server, "name": format!("build-{i:05}"), "no_reboot": true}),
            )
            .unwrap();
    }
    cloud.advance(600);
    let input = DescribeImagesInput {
        owners: vec!["self".into()],
        filters: vec![Filter {
            name: Some("name".into()),
            values: Some(vec!["build-0421*".into()]),
        }],
        ..DescribeImagesInput::default()
    };
    c.bench_function(
        "describe_images name filter over 10,000 images (typed)",
        |b| {
            b.iter(|| {
                let out = cloud.describe_images(&who, input.clone()).unwrap();
                assert_eq!(out.images.len(), 10);
                black_box(out)
            })
        },
    );
    // A filter the name index cannot serve: every image is visited.
    let scan = DescribeImagesInput {
        owners: vec!["self".into()],
        filters: vec![Filter {
            name: Some("description".into()),
            values: Some(vec!["nightly*".into()]),
        }],
        ..DescribeImagesInput::default()
    };
    c.bench_function(
        "describe_images description filter over 10,000 images (full scan)",
        |b| b.iter(|| black_box(cloud.describe_images(&who, scan.clone()).unwrap())),
    );
}

fn run_instances_through_dispatch(c: &mut Criterion) {
    c.bench_function("run_instances via Cloud::call (JSON in/out, trail)", |b| {
        b.iter_batched_ref(
            || {
                let mut cloud = roomy_cloud();
                let ami = base_image(&mut cloud);
                (cloud, ami)
            },
            |(cloud, ami)| {
                black_box(
                    cloud
                        .call(&caller(), "ec2", "run_instances", json!({"image_id": *ami, "instance_type": "t3.micro", "min_count": 1, "max_count": 1}))
                        .unwrap(),
                )
            },
            BatchSize::LargeInput,
        )
    });
}

/// A cloud with a launch template `web` (version 1: AL2023 on t3.micro; version 2: t3.small)
/// and a settled Auto Scaling group `web` of 100 instances across three zones.
fn cloud_with_fleet() -> Cloud {
    let mut cloud = roomy_cloud();
    let ami = base_image(&mut cloud);
    let me = caller();
    cloud
        .call(&me, "ec2", "create_launch_template", json!({"launch_template_name": "web", "launch_template_data": {"image_id": ami, "instance_type": "t3.micro"}}))
        .unwrap();
    cloud
        .call(&me, "ec2", "create_launch_template_version", json!({"launch_template_name": "web", "source_version": "1", "launch_template_data": {"instance_type": "t3.small"}}))
        .unwrap();
    cloud
        .call(&me, "autoscaling", "create_auto_scaling_group", json!({"auto_scaling_group_name": "web",
            "launch_template": {"launch_template_name": "web", "version": "1"}, "min_size": 100, "max_size": 200,
            "availability_zones": ["us-east-1a", "us-east-1b", "us-east-1c"]}))
        .unwrap();
    cloud.advance(120);
    cloud
}

/// A group of 100 over a simulated day: every hour five members are terminated from outside
/// and the group replaces them (health checks, launches, activities).
fn autoscaling_day(c: &mut Criterion) {
    c.bench_function(
        "Auto Scaling group of 100 over a simulated day (120 replacements)",
        |b| {
            b.iter_batched_ref(
                cloud_with_fleet,
                |cloud| {
                    let me = caller();
                    for _ in 0..24 {
                        let group = cloud
                            .call(
                                &me,
                                "autoscaling",
                                "describe_auto_scaling_groups",
                                json!({}),
                            )
                            .unwrap();
                        let victims: Vec<String> = group["auto_scaling_groups"][0]["instances"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .take(5)
                            .map(|i| i["instance_id"].as_str().unwrap().to_string())
                            .collect();
                        cloud
                            .call(
                                &me,
                                "ec2",
                                "terminate_instances",
                                json!({"instance_ids": victims}),
                            )
                            .unwrap();
                        for _ in 0..60 {
                            cloud.advance(60);
                        }
                    }
                    black_box(cloud.now())
                },
                BatchSize::LargeInput,
            )
        },
    );
}

/// An instance refresh of a group of 100 to a new template version, 10 % at a time.
fn instance_refresh(c: &mut Criterion) {
    c.bench_function("instance refresh of 100 instances (min healthy 90 %)", |b| {
        b.iter_batched_ref(
            cloud_with_fleet,
            |cloud| {
                let me = caller();
                cloud
                    .call(&me, "autoscaling", "start_instance_refresh", json!({"auto_scaling_group_name": "web",
                        "desired_configuration": {"launch_template": {"launch_template_name": "web", "version": "2"}},
                        "preferences": {"instance_warmup": 60}}))
                    .unwrap();
                cloud.advance(3600);
                let r = cloud
                    .call(&me, "autoscaling", "describe_instance_refreshes", json!({"auto_scaling_group_name": "web"}))
                    .unwrap();
                assert_eq!(r["instance_refreshes"][0]["status"], "Successful");
                black_box(r)
            },
            BatchSize::LargeInput,
        )
    });
}

/// Cost Explorer over a busy month: 200 instances, each stopped and started daily for 30 days
/// (12,000 ledger intervals with their root volumes), asked for daily costs by service and usage
/// type.
fn get_cost_and_usage_over_a_busy_month(c: &mut Criterion) {
    let who = caller();
    let mut cloud = roomy_cloud();
    let ami = base_image(&mut cloud);
    let ids: Vec<String> = (0..200)
        .map(|_| {
            cloud
                .run_instances(&who, launch_input(&ami))
                .unwrap()
                .instances[0]
                .instance_id
                .clone()
        })
        .collect();
    for _ in 0..30 {
        cloud.advance(12 * 3600);
        cloud
            .call(&who, "ec2", "stop_instances", json!({"instance_ids": ids}))
            .unwrap();
        cloud.advance(12 * 3600);
        cloud
            .call(&who, "ec2", "start_instances", json!({"instance_ids": ids}))
            .unwrap();
    }
    let request = json!({"time_period": {"start": "2025-06-01", "end": "2025-07-01"},
        "granularity": "DAILY", "metrics": ["UnblendedCost"],
        "group_by": [{"type": "DIMENSION", "key": "SERVICE"}, {"type": "DIMENSION", "key": "USAGE_TYPE"}]});
    c.bench_function(
        "get_cost_and_usage DAILY by service and usage type, 12,000 intervals",
        |b| {
            b.iter(|| {
                black_box(
                    cloud
                        .call(&who, "ce", "get_cost_and_usage", request.clone())
                        .unwrap(),
                )
            })
        },
    );
}

/// One Image Builder pipeline run to `AVAILABLE`: a build instance runs a component's build,
/// validate and test phases, the AMI is made, tested on a second instance and distributed to a
/// second region with a launch permission.
fn pipeline_run(c: &mut Criterion) {
    fn ready() -> (Cloud, String) {
        let mut cloud = roomy_cloud();
        let me = caller();
        let call = |cloud: &mut Cloud, method: &str, params: serde_json::Value| {
            cloud.call(&me, "imagebuilder", method, params).unwrap()
        };
        let doc = json!({"schemaVersion": 1.0, "phases": [
            {"name": "build", "steps": [{"name": "Install", "action": "ExecuteBash", "inputs": {"commands": ["dnf install -y nginx", "systemctl enable nginx", "echo hi > /usr/share/nginx/html/index.html"]}}]},
            {"name": "test", "steps": [{"name": "Check", "action": "ExecuteBash", "inputs": {"commands": ["rpm -q nginx"]}}]}]});
        let comp = call(
            &mut cloud,
            "create_component",
            json!({"name": "web", "semantic_version": "1.0.0", "platform": "Linux", "data": doc.to_string()}),
        );
        let recipe = call(
            &mut cloud,
            "create_image_recipe",
            json!({"name": "web", "semantic_version": "1.0.0",
            "parent_image": "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
            "components": [{"component_arn": comp["component_build_version_arn"]}]}),
        );
        let infra = call(
            &mut cloud,
            "create_infrastructure_configuration",
            json!({"name": "builders", "instance_profile_name": "p", "instance_types": ["t3.micro"]}),
        );
        let dist = call(
            &mut cloud,
            "create_distribution_configuration",
            json!({"name": "two", "distributions": [
            {"region": "us-east-1", "ami_distribution_configuration": {"name": "web-{{imagebuilder:buildDate}}", "launch_permission": {"user_ids": ["222233334444"]}}},
            {"region": "eu-west-1", "ami_distribution_configuration": {"name": "web-{{imagebuilder:buildDate}}"}}]}),
        );
        let pipeline = call(
            &mut cloud,
            "create_image_pipeline",
            json!({"name": "web", "image_recipe_arn": recipe["image_recipe_arn"],
            "infrastructure_configuration_arn": infra["infrastructure_configuration_arn"], "distribution_configuration_arn": dist["distribution_configuration_arn"]}),
        );
        let arn = pipeline["image_pipeline_arn"].as_str().unwrap().to_string();
        (cloud, arn)
    }
    c.bench_function(
        "image builder pipeline run (build, test, distribute to 2 regions)",
        |b| {
            b.iter_batched_ref(
                ready,
                |(cloud, pipeline)| {
                    let me = caller();
                    let run = cloud
                        .call(
                            &me,
                            "imagebuilder",
                            "start_image_pipeline_execution",
                            json!({"image_pipeline_arn": pipeline}),
                        )
                        .unwrap();
                    cloud.advance(3600);
                    let image = cloud
                        .call(
                            &me,
                            "imagebuilder",
                            "get_image",
                            json!({"image_build_version_arn": run["image_build_version_arn"]}),
                        )
                        .unwrap();
                    assert_eq!(image["image"]["state"]["status"], "AVAILABLE");
                    black_box(image)
                },
                BatchSize::LargeInput,
            )
        },
    );
}

/// A busy world — an Auto Scaling group of 100 running instances, each with its guest system —
/// saved as a world file and loaded back (`amilab run --world` does one of each per run).
fn world_file_of_100_instances(c: &mut Criterion) {
    let cloud = cloud_with_fleet();
    let text = cloud.save_world();
    eprintln!(
        "world file of 100 instances: {} bytes ({} KiB)",
        text.len(),
        text.len() / 1024
    );
    c.bench_function("save_world, 100 instances", |b| {
        b.iter(|| black_box(cloud.save_world().len()))
    });
    c.bench_function("load_world, 100 instances", |b| {
        b.iter(|| black_box(Cloud::load_world(&text, None).unwrap().now()))
    });
}

criterion_group!(
    benches,
    world_file_of_100_instances,
    pipeline_run,
    get_cost_and_usage_over_a_busy_month,
    autoscaling_day,
    instance_refresh,
    run_instances,
    create_image,
    copy_image,
    describe_images_over_10k,
    run_instances_through_dispatch
);
criterion_main!(benches);

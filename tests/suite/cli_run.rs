//! `amilab run` as a learner uses it: output, trail, state, errors and exit codes.

use assert_cmd::Command;

fn amilab() -> Command {
    let mut cmd = Command::cargo_bin("amilab").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = amilab().arg("run").args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn clone_example_output() {
    let (stdout, stderr, code) = run(&["examples/clone-across-regions.rhai"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn trail_view() {
    let (stdout, _, code) = run(&[
        "examples/share-with-teammate.rhai",
        "--trail",
        "--format",
        "plain",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn state_view() {
    let (stdout, _, code) = run(&["examples/golden-image.rhai", "--state", "--format", "plain"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn uncaught_aws_error_is_shown_like_the_aws_cli_with_its_place() {
    let (stdout, stderr, code) = run(&["tests/fixtures/uncaught.rhai"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("found ami-"),
        "the output before the error is kept: {stdout}"
    );
    insta::assert_snapshot!(stderr);
}

/// An image that exists but is not shared with the caller: the hint names both causes (wrong
/// region, or an account the owner has not shared it with), as a fresh learner was misled by
/// the region alone.
#[test]
fn a_private_image_not_found_hints_at_sharing_too() {
    let (_, stderr, code) = run(&["tests/fixtures/unshared.rhai"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr);
}

/// A member boto3 accepts and amilab does not simulate is refused by name, never ignored.
#[test]
fn a_member_not_simulated_is_refused_by_name() {
    let (_, stderr, code) = run(&["tests/fixtures/not_simulated.rhai"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn parameter_typo_suggests_the_boto3_key() {
    let (_, stderr, code) = run(&["tests/fixtures/typo.rhai"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn syntax_error_cannot_run() {
    let (stdout, stderr, code) = run(&["tests/fixtures/syntax.rhai"]);
    assert_eq!(code, 3);
    assert!(!stdout.contains("finished"));
    insta::assert_snapshot!(stderr);
}

#[test]
fn unreadable_inputs_are_usage_errors() {
    let (_, stderr, code) = run(&["tests/fixtures/does-not-exist.rhai"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: cannot read script `tests/fixtures/does-not-exist.rhai`: no such file\n"
    );
    let (_, stderr, code) = run(&["tests/fixtures"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a directory"), "{stderr}");
    let (_, stderr, code) = run(&["tests/fixtures/latin1.rhai"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: script `tests/fixtures/latin1.rhai` is not valid UTF-8 (first bad byte at tests/fixtures/latin1.rhai:1:11); save it as UTF-8 text\n");
    let (_, stderr, code) = run(&[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Usage"), "{stderr}");
}

#[test]
fn runaway_scripts_are_stopped_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.rhai");
    std::fs::write(
        &path,
        "let ec2 = client(\"ec2\", \"us-east-1\");\nloop { }\n",
    )
    .unwrap();
    let (_, stderr, code) = run(&[path.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(stderr.contains("error[limit]"), "{stderr}");
}

#[test]
fn json_format_is_one_document() {
    let (stdout, _, code) = run(&[
        "tests/fixtures/uncaught.rhai",
        "--format",
        "json",
        "--trail",
        "--state",
    ]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["error"]["code"], "InvalidAMIID.NotFound");
    assert_eq!(doc["error"]["line"], 6);
    assert_eq!(doc["trail"][1]["error_code"], "InvalidAMIID.NotFound");
    assert_eq!(doc["trail"][1]["region"], "us-west-2");
    assert!(doc["output"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("found ami-"));
}

#[test]
fn same_seed_same_bytes_other_seed_other_ids() {
    let a = run(&[
        "examples/clone-across-regions.rhai",
        "--trail",
        "--state",
        "--format",
        "json",
        "--seed",
        "42",
    ]);
    let b = run(&[
        "examples/clone-across-regions.rhai",
        "--trail",
        "--state",
        "--format",
        "json",
        "--seed",
        "42",
    ]);
    let c = run(&[
        "examples/clone-across-regions.rhai",
        "--trail",
        "--state",
        "--format",
        "json",
        "--seed",
        "43",
    ]);
    assert_eq!(a.0, b.0);
    assert_ne!(a.0, c.0);
}

#[test]
fn no_colour_when_not_a_terminal() {
    let out = Command::cargo_bin("amilab")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "tests/fixtures/uncaught.rhai"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

/// Bakes `web-N` (N: the images the account already owns) from a fresh instance and prints
/// the images it owns.
const BAKE: &str = r#"let ec2 = client("ec2", "us-east-1");
let mine = ec2.describe_images(#{owners: ["self"]}).images;
let base = ec2.describe_images(#{owners: ["amazon"], filters: [#{name: "name", values: ["al2023-ami-*-x86_64"]}]}).images[0].image_id;
let run = ec2.run_instances(#{image_id: base, instance_type: "t3.micro", min_count: 1, max_count: 1});
let id = run.instances[0].instance_id;
ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
let image = ec2.create_image(#{instance_id: id, name: `web-${mine.len()}`}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [image]});
for i in ec2.describe_images(#{owners: ["self"]}).images { print(`${i.name} ${i.image_id}`); }
"#;

#[test]
fn a_world_file_keeps_the_world_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("bake.rhai");
    std::fs::write(&script, BAKE).unwrap();
    let world = dir.path().join("w.json");
    let args = [
        script.to_str().unwrap(),
        "--world",
        world.to_str().unwrap(),
        "--format",
        "plain",
    ];
    let (first, stderr, code) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&world).expect("the world file is created");
    assert!(text.starts_with("{\n  \"format\": \"amilab-world\",\n  \"version\": 1,"));
    let web0 = first.lines().next().unwrap();
    assert!(web0.starts_with("web-0 ami-"), "{first}");
    let (second, stderr, code) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let mut lines = second.lines();
    assert_eq!(
        lines.next(),
        Some(web0),
        "the second run sees the first run's image"
    );
    assert!(lines.next().unwrap().starts_with("web-1 ami-"), "{second}");
    // The new world replaced the old one, and no temporary file is left beside it.
    assert_ne!(std::fs::read_to_string(&world).unwrap(), text);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bake.rhai", "w.json"]);
    // Without --world, a run starts again from the default world.
    let (fresh, _, _) = run(&args[..1]);
    assert!(fresh.starts_with("web-0 ami-"), "{fresh}");
    assert_eq!(fresh.lines().count(), 1 + 1, "{fresh}");
}

#[test]
fn a_bad_world_file_is_refused_with_exit_2_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("bake.rhai");
    std::fs::write(&script, BAKE).unwrap();
    let world = dir.path().join("w.json");
    let args = [script.to_str().unwrap(), "--world", world.to_str().unwrap()];
    let corrupt =
        "{\n  \"format\": \"amilab-world\",\n  \"version\": 1,\n  \"cloud\": {\"clock\": \n";
    std::fs::write(&world, corrupt).unwrap();
    let (stdout, stderr, code) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "", "the script did not run");
    assert!(
        stderr.contains(&format!("{}:5:0: not a world file", world.display())),
        "{stderr}"
    );
    assert!(stderr.contains("the file was not changed"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&world).unwrap(), corrupt);
    // A world from a newer amilab: refused, kept for the amilab that wrote it.
    let (_, _, code) = run(&[
        script.to_str().unwrap(),
        "--world",
        world.to_str().unwrap(),
        "--seed",
        "1",
    ]);
    assert_eq!(code, 2);
    std::fs::remove_file(&world).unwrap();
    let (_, stderr, code) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let newer =
        std::fs::read_to_string(&world)
            .unwrap()
            .replacen("\"version\": 1,", "\"version\": 99,", 1);
    std::fs::write(&world, &newer).unwrap();
    let (_, stderr, code) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("made by a newer amilab"), "{stderr}");
    assert!(stderr.contains("upgrade amilab"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&world).unwrap(), newer);
}

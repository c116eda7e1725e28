//! `amilab explore` with piped standard input: each input's value, output and errors (as
//! `amilab run` words them), `:` commands, multi-line inputs, `:save` and `:reset`.

use crate::cli_common::amilab;

/// Runs `amilab explore args…` with `stdin`: (exit code, stdout, stderr).
fn explore(args: &[&str], stdin: &str) -> (i32, String, String) {
    let o = amilab()
        .arg("explore")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

const SESSION: &str = r#"let ec2 = client("ec2");
let image = ec2.describe_images(#{owners: ["amazon"]}).images[0].image_id;
fn launch(client, image) {
    client.run_instances(#{
        image_id: image,
        instance_type: "t3.micro",
        min_count: 1,
        max_count: 1,
    })
}
let r = launch(ec2, image);
print(`launched ${r.instances[0].instance_id}`);
r.instances[0].state

ec2.describe_images(#{image_ids: ["ami-00000000000000000"]})
ec2.describe_images(#{image_ids: [image], dry_run: true})
debug(image);
let broken = ;
r.instances.len()
:state
:trail
:stat
"#;

#[test]
fn a_piped_session_shows_values_output_errors_and_commands() {
    let (code, stdout, stderr) = explore(&[], SESSION);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("piped_stdout", stdout);
    insta::assert_snapshot!("piped_stderr", stderr);
    // Same inputs, same answers, byte for byte.
    assert_eq!(explore(&[], SESSION), (code, stdout, stderr));
}

#[test]
fn save_writes_the_inputs_that_ran_as_a_script_that_run_replays() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.rhai");
    let file = file.to_str().unwrap();
    let inputs = format!(
        "let ec2 = client(\"ec2\")\nlet image = ec2.describe_images(#{{owners: [\"amazon\"]}}).images[0].image_id\nlet = oops\nec2.run_instances(#{{image_id: image, instance_type: \"t3.micro\", min_count: 1, max_count: 1}}).instances.len()\nsleep(120)\n:state\n:save {file}\n:save {file}\n:save! {file}\n"
    );
    let (code, stdout, stderr) = explore(&["--seed", "7"], &inputs);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&format!("Saved 4 inputs to `{file}`.")),
        "{stdout}"
    );
    assert_eq!(stdout.matches("Saved 4 inputs").count(), 2, "{stdout}");
    assert!(
        stderr.contains(&format!(
            "error: `{file}` already exists; it was not changed"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("= help: `:save! {file}` replaces it")),
        "{stderr}"
    );
    let script = std::fs::read_to_string(file).unwrap();
    insta::assert_snapshot!("saved_script", script);
    // The script leaves the world as the session did.
    let explored_state = stdout
        .split("Resources of account")
        .nth(1)
        .unwrap()
        .split("Saved")
        .next()
        .unwrap();
    let run = amilab()
        .args(["run", "--seed", "7", "--state", file])
        .output()
        .unwrap();
    assert!(run.status.success());
    let ran = String::from_utf8(run.stdout).unwrap();
    assert!(ran.contains(explored_state), "{ran}\n---\n{explored_state}");
}

#[test]
fn reset_goes_back_to_the_starting_world() {
    let inputs = "let ec2 = client(\"ec2\");\nec2.create_key_pair(#{key_name: \"k\"}).key_name\nsleep(60)\n:reset\nec2\nclient(\"ec2\").describe_key_pairs().key_pairs.len()\n:trail\n";
    let (code, stdout, stderr) = explore(&[], inputs);
    assert_eq!(code, 0);
    insta::assert_snapshot!("reset_stdout", stdout);
    assert!(stderr.contains("Variable not found: ec2"), "{stderr}");
}

#[test]
fn a_lab_world_gives_the_learners_variables() {
    let (code, stdout, stderr) = explore(
        &["--lab", "first-golden-image", "--learner", "ada"],
        "type_of(params)\naccount\nlearner\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    insta::assert_snapshot!("lab_stdout", stdout);
}

#[test]
fn quit_ends_the_session_and_an_open_input_at_the_end_is_reported() {
    let (code, stdout, _) = explore(&[], "1 + 1\n:quit\n2 + 2\n");
    assert_eq!((code, stdout.as_str()), (0, "2\n"));
    let (code, stdout, stderr) = explore(&[], "let xs = [1,\n2,\n");
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert!(stderr.starts_with("error[syntax]"), "{stderr}");
    assert!(stderr.contains("--> <input 1>:"), "{stderr}");
}

#[test]
fn help_lists_the_commands() {
    let (code, stdout, _) = explore(&[], ":help\n");
    assert_eq!(code, 0);
    insta::assert_snapshot!("help", stdout);
}

#[test]
fn bad_starting_worlds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("world.json");
    std::fs::write(&bad, "not a world").unwrap();
    let (code, _, stderr) = explore(&["--world", bad.to_str().unwrap()], "1\n");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("world.json:1:2: not a world file"),
        "{stderr}"
    );
    assert!(stderr.contains("pass another --world FILE"), "{stderr}");
    let (code, _, stderr) = explore(&["--lab", "no-such-lab"], "1\n");
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_saved_world_is_explored_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.json");
    let script = dir.path().join("make.rhai");
    std::fs::write(
        &script,
        "client(\"ec2\").create_key_pair(#{key_name: \"saved\"});",
    )
    .unwrap();
    let made = amilab()
        .args([
            "run",
            "--world",
            world.to_str().unwrap(),
            script.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(made.status.success());
    let before = std::fs::read(&world).unwrap();
    let (code, stdout, stderr) = explore(
        &["--world", world.to_str().unwrap()],
        "client(\"ec2\").describe_key_pairs().key_pairs[0].key_name\nclient(\"ec2\").create_key_pair(#{key_name: \"new\"}).key_name\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "\"saved\"\n\"new\"\n");
    assert_eq!(std::fs::read(&world).unwrap(), before);
}

/// `:graph` draws the world as it is now: Mermaid on the screen, a picture into a file, and a
/// clear error for a format it does not write (the session goes on).
#[test]
fn graph_draws_the_lineage_of_the_world_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("now.svg");
    let input = format!(
        "let ec2 = client(\"ec2\");\nlet image = ec2.describe_images(#{{owners: [\"amazon\"]}}).images[0].image_id;\nlet r = ec2.run_instances(#{{image_id: image, instance_type: \"t3.micro\", min_count: 1, max_count: 1}});\n:graph\n:graph {}\n:graph now.png\n1 + 1\n",
        svg.display()
    );
    let (code, out, err) = explore(&[], &input);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("flowchart LR") && out.contains("-->|launched|"),
        "{out}"
    );
    assert!(
        out.contains(&format!("wrote the lineage to `{}`", svg.display())),
        "{out}"
    );
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    assert!(
        err.contains("`.png` is not a picture format amilab writes"),
        "{err}"
    );
    assert!(out.trim_end().ends_with('2'), "the session went on: {out}");
}

/// Inputs ending in `}` (a request map, a closure) are saved with the `;` a script needs, so
/// the saved script replays.
#[test]
fn saved_maps_and_closures_replay() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.rhai");
    let input = format!(
        "let m = #{{a: 1}}\nlet f = |x| {{ x + 1 }}\nprint(f.call(m.a))\n:save {}\n",
        file.display()
    );
    let (code, _, err) = explore(&[], &input);
    assert_eq!(code, 0, "{err}");
    let o = amilab().arg("run").arg(&file).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().next(), Some("2"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The saved script's header names a lab from a path by its path, and quotes what a shell
/// would split.
#[test]
fn the_replay_command_names_path_labs_and_quotes_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.rhai");
    let lab = format!(
        "{}/tests/fixtures/labs/costly-hints",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, _, err) = explore(
        &["--lab", &lab, "--learner", "Ada Lovelace"],
        &format!("1\n:save {}\n", file.display()),
    );
    assert_eq!(code, 0, "{err}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains(&format!(
            "amilab run --lab {lab} --learner 'Ada Lovelace' FILE"
        )),
        "{saved}"
    );
}

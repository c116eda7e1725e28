//! `--graph FILE` of `amilab run` and `amilab check`: the AMI lineage of the final state as
//! Mermaid (snapshots of the course's reference states, structural rules of the syntax) and as
//! SVG (well-formed, every image drawn, no overlapping boxes, rendered to PNG by a real
//! renderer), byte-identical from run to run; and the GitHub step summary's Mermaid block.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::cli_common::{amilab, run};

/// A script in the default world: an image of an instance, deregistered, leaving its snapshot.
const ORPHAN: &str = r#"
let ec2 = client("ec2", "us-east-1");
let ami = ec2.describe_images(#{owners: ["amazon"],
    filters: [#{name: "name", values: ["al2023-ami-*-x86_64"]}]}).images[0].image_id;
let id = ec2.run_instances(#{image_id: ami, instance_type: "t3.micro", min_count: 1,
    max_count: 1}).instances[0].instance_id;
ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
let image = ec2.create_image(#{instance_id: id, name: "web [old] (v0)"}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [image]});
ec2.terminate_instances(#{instance_ids: [id]});
ec2.deregister_image(#{image_id: image});
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `amilab run [--lab LAB] SCRIPT --graph OUT` in a temporary folder: the file's text.
fn graph_of(lab: Option<&str>, script: &str, out: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(out);
    let mut args: Vec<String> = Vec::new();
    if let Some(lab) = lab {
        args.extend(["--lab".into(), lab.into()]);
    }
    let (code, _, stderr) = {
        let mut all = vec!["run".to_string()];
        all.extend(args);
        all.extend([script.into(), "--graph".into(), path.display().to_string()]);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        run(&all)
    };
    assert_eq!(code, 0, "{stderr}");
    std::fs::read_to_string(&path).unwrap()
}

fn clone_solution(out: &str) -> String {
    graph_of(
        Some("clone-across-regions"),
        "labs/clone-across-regions/solution.rhai",
        out,
    )
}

/// The structural rules of the Mermaid we write, checked line by line: a `flowchart LR`
/// header, balanced `subgraph` / `end`, node declarations with one double-quoted label free of
/// quotes, raw `#`, `<` (but `<br/>`), brackets and backticks; edges whose ends are declared;
/// `classDef` / `class` lines naming declared nodes. Returns the declared node ids.
fn check_mermaid(text: &str) -> BTreeSet<String> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut depth = 0i32;
    let mut declared = BTreeSet::new();
    let mut used = Vec::new();
    let entity = regex::Regex::new(r"#\d+;").unwrap();
    let label_ok = |label: &str| {
        let rest = label.replace("<br/>", "\n");
        let rest = entity.replace_all(&rest, "");
        !rest.contains(['"', '<', '>', '#', '[', ']', '{', '}', '`', '|', ';'])
    };
    let node = regex::Regex::new(
        r#"^ +(n_[A-Za-z0-9_]+|empty)(\(\[|\[\(|\[\[|\{\{|\[)"([^"]*)"(\]\)|\)\]|\]\]|\}\}|\])$"#,
    )
    .unwrap();
    let edge = regex::Regex::new(r"^  (n_\w+) -->\|([a-z_]+)\| (n_\w+)$").unwrap();
    let title = regex::Regex::new(r#"^region_[a-z0-9_]+\["[a-z0-9-]+"\]$"#).unwrap();
    for line in lines {
        if let Some(c) = node.captures(line) {
            let (open, close) = (&c[2], &c[4]);
            let pair = matches!(
                (open, close),
                ("([", "])") | ("[(", ")]") | ("[[", "]]") | ("{{", "}}") | ("[", "]")
            );
            assert!(pair, "mismatched shape: {line}");
            assert!(label_ok(&c[3]), "unescaped label: {line}");
            assert!(declared.insert(c[1].to_string()), "declared twice: {line}");
        } else if let Some(c) = edge.captures(line) {
            used.push(c[1].to_string());
            used.push(c[3].to_string());
        } else if let Some(rest) = line.strip_prefix("  subgraph ") {
            assert!(title.is_match(rest), "{line}");
            depth += 1;
        } else if line == "  end" {
            depth -= 1;
            assert!(depth >= 0, "`end` without `subgraph`");
        } else if let Some(rest) = line.strip_prefix("  class ") {
            let (ids, _class) = rest.split_once(' ').unwrap();
            used.extend(ids.split(',').map(str::to_string));
        } else {
            assert!(line.starts_with("  classDef "), "unexpected line: {line}");
        }
    }
    assert_eq!(depth, 0, "unbalanced subgraph / end");
    for id in used {
        assert!(declared.contains(&id), "{id} is used but never declared");
    }
    declared
}

#[test]
fn an_empty_world_is_a_small_diagram_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "nothing.rhai", "let x = 1;\n");
    let text = graph_of(None, script.to_str().unwrap(), "empty.mmd");
    check_mermaid(&text);
    insta::assert_snapshot!("graph_empty_world", text);
}

#[test]
fn the_clone_across_regions_solution_draws_three_regions_and_their_copies() {
    let text = clone_solution("clone.mmd");
    let nodes = check_mermaid(&text);
    assert!(nodes.len() > 10);
    assert_eq!(text.matches("  subgraph ").count(), 3);
    assert_eq!(text.matches("-->|copy|").count(), 2);
    insta::assert_snapshot!("graph_clone_across_regions", text);
}

/// A script in the default world: an image, a copy of it in another region encrypted with a
/// key of the account's own (AWS-managed keys cannot be shared), shared with a teammate's account, and made public by mistake in the first.
const SHARED_ENCRYPTED: &str = r#"
let ec2 = client("ec2", "us-east-1");
let ami = ec2.describe_images(#{owners: ["amazon"],
    filters: [#{name: "name", values: ["al2023-ami-*-x86_64"]}]}).images[0].image_id;
let id = ec2.run_instances(#{image_id: ami, instance_type: "t3.micro", min_count: 1,
    max_count: 1}).instances[0].instance_id;
ec2.get_waiter("instance_running").wait(#{instance_ids: [id]});
let image = ec2.create_image(#{instance_id: id, name: "base-v1"}).image_id;
ec2.get_waiter("image_available").wait(#{image_ids: [image]});
let key = client("kms", "eu-west-1").create_key(#{description: "images"}).key_metadata.arn;
let eu = client("ec2", "eu-west-1");
let copy = eu.copy_image(#{name: "base-v1-encrypted", source_image_id: image,
    source_region: "us-east-1", encrypted: true, kms_key_id: key}).image_id;
eu.get_waiter("image_available").wait(#{image_ids: [copy]});
eu.modify_image_attribute(#{image_id: copy,
    launch_permission: #{add: [#{user_id: "444455556666"}]}});
ec2.modify_image_attribute(#{image_id: image, launch_permission: #{add: [#{group: "all"}]}});
"#;

#[test]
fn an_encrypted_copy_shared_with_a_teammate_and_a_public_image_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "shared.rhai", SHARED_ENCRYPTED);
    let text = graph_of(None, script.to_str().unwrap(), "shared.mmd");
    check_mermaid(&text);
    assert!(
        text.contains("<br/>encrypted, shared with 444455556666"),
        "{text}"
    );
    assert!(text.contains("<br/>unencrypted, public"), "{text}");
    assert!(text.contains("-->|copy|"), "{text}");
    insta::assert_snapshot!("graph_shared_encrypted_copy", text);
    let svg = graph_of(None, script.to_str().unwrap(), "shared.svg");
    assert_eq!(check_svg(&svg).len(), 6);
    render_png(&svg, "shared-encrypted-copy");
}

#[test]
fn the_share_with_teammate_solution_shows_the_shared_image() {
    let text = graph_of(
        Some("share-with-teammate"),
        "labs/share-with-teammate/solution.rhai",
        "share.md",
    );
    // A `.md` file is a ```mermaid block, for GitHub to draw.
    let inner = text
        .strip_prefix("```mermaid\n")
        .and_then(|t| t.strip_suffix("```\n"))
        .expect("a fenced mermaid block");
    check_mermaid(inner);
    assert!(
        inner.contains("<br/>unencrypted, shared with 444455556666"),
        "{inner}"
    );
    insta::assert_snapshot!("graph_share_with_teammate", text);
}

#[test]
fn a_deregistered_image_is_drawn_with_the_orphaned_snapshot_it_left() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "orphan.rhai", ORPHAN);
    let text = graph_of(None, script.to_str().unwrap(), "orphan.mmd");
    check_mermaid(&text);
    assert!(text.contains("DEREGISTERED") && text.contains("ORPHANED"));
    insta::assert_snapshot!("graph_orphaned_snapshot", text);
    let svg = graph_of(None, script.to_str().unwrap(), "orphan.svg");
    assert_eq!(check_svg(&svg).len(), 4);
    assert!(svg.contains("stroke-dasharray") && svg.contains("ORPHANED"));
    render_png(&svg, "orphaned-snapshot");
}

#[test]
fn the_same_run_twice_gives_byte_identical_pictures() {
    assert_eq!(clone_solution("a.mmd"), clone_solution("b.mmd"));
    assert_eq!(clone_solution("a.svg"), clone_solution("b.svg"));
}

/// (id, x, y, width, height) of every node box.
fn node_boxes(doc: &roxmltree::Document) -> Vec<(String, f32, f32, f32, f32)> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .map(|g| {
            let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
            let num = |a: &str| rect.attribute(a).unwrap().parse::<f32>().unwrap();
            let id = g.attribute("id").unwrap().to_string();
            (id, num("x"), num("y"), num("width"), num("height"))
        })
        .collect()
}

/// Checks the rules every picture keeps: well-formed XML, self-contained, no two node boxes
/// overlapping. Returns the ids of the boxes.
fn check_svg(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    let boxes = node_boxes(&doc);
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1 || a.2 + a.4 <= b.2 || b.2 + b.4 <= a.2;
            assert!(apart, "{} overlaps {}", a.0, b.0);
        }
    }
    // Self-contained: nothing fetched, nothing run.
    for outside in ["href=\"http", "<script", "@import", "<image", "url(http"] {
        assert!(!svg.contains(outside), "{outside}");
    }
    boxes.into_iter().map(|b| b.0).collect()
}

/// Renders `svg` with resvg (text through the system's fonts) to
/// `target/test-output/NAME.png`, for a person to look at, and checks it is not blank.
fn render_png(svg: &str, name: &str) {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("resvg reads it");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let dark = pixmap.pixels().iter().filter(|p| p.red() < 100).count();
    assert!(
        dark > 1000,
        "the picture is (almost) blank: {dark} dark pixels"
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../test-output");
    std::fs::create_dir_all(&out).unwrap();
    pixmap.save_png(out.join(format!("{name}.png"))).unwrap();
}

#[test]
fn the_svg_is_well_formed_draws_every_image_apart_and_renders_to_png() {
    let svg = clone_solution("clone.svg");
    let mermaid = clone_solution("clone.mmd");
    let boxes = check_svg(&svg);
    let images = regex::Regex::new(r"<br/>(ami-[0-9a-f]{17})<br/>").unwrap();
    let ids: Vec<&str> = images
        .captures_iter(&mermaid)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(ids.len(), 4, "{mermaid}");
    for id in ids {
        assert!(boxes.iter().any(|b| b == id), "{id} is not drawn");
    }
    render_png(&svg, "clone-across-regions");
}

#[test]
fn check_writes_the_graded_state_and_dash_appends_mermaid_after_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("graded.svg");
    let (code, _, stderr) = run(&[
        "check",
        "clone-across-regions",
        "labs/clone-across-regions/solution.rhai",
        "--graph",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    roxmltree::Document::parse(&std::fs::read_to_string(&svg).unwrap()).unwrap();

    let (code, stdout, _) = run(&[
        "check",
        "clone-across-regions",
        "labs/clone-across-regions/solution.rhai",
        "--format",
        "plain",
        "--no-timings",
        "--graph",
        "-",
    ]);
    assert_eq!(code, 0);
    let (report, picture) = stdout
        .split_once("\nflowchart LR\n")
        .expect("mermaid after the report");
    assert!(report.contains("100"), "{report}");
    check_mermaid(&format!("flowchart LR\n{picture}"));
    // The same picture as `run` draws of the same script in the same variant.
    assert_eq!(
        format!("flowchart LR\n{picture}"),
        clone_solution("run.mmd")
    );
}

#[test]
fn an_unknown_extension_or_dash_with_a_tool_format_is_a_usage_error() {
    let (code, stdout, stderr) = run(&[
        "run",
        "labs/clone-across-regions/solution.rhai",
        "--graph",
        "lineage.png",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("graph_bad_extension", stderr);
    assert!(!Path::new("lineage.png").exists());

    let (code, _, stderr) = run(&[
        "check",
        "clone-across-regions",
        "labs/clone-across-regions/solution.rhai",
        "--graph",
        "lineage",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`.mmd` or `.md` (Mermaid) or `.svg`"),
        "{stderr}"
    );

    for args in [
        &[
            "run",
            "labs/clone-across-regions/solution.rhai",
            "--format",
            "json",
            "--graph",
            "-",
        ][..],
        &[
            "check",
            "clone-across-regions",
            "labs/clone-across-regions/solution.rhai",
            "--format",
            "junit",
            "--graph",
            "-",
        ][..],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}");
        assert!(stderr.contains("--graph lineage.mmd"), "{stderr}");
    }
}

#[test]
fn the_github_step_summary_ends_with_the_lineage_as_a_mermaid_block() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let out = amilab()
        .args([
            "check",
            "clone-across-regions",
            "labs/clone-across-regions/solution.rhai",
            "--format",
            "github",
            "--no-timings",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = std::fs::read_to_string(&summary).unwrap();
    let (report, section) = md
        .split_once("\n#### Your cloud at the end (AMI lineage)\n\n```mermaid\n")
        .expect("a mermaid section");
    assert!(report.contains("**Points"), "{report}");
    let block = section
        .strip_suffix("```\n")
        .expect("the block ends the summary");
    check_mermaid(block);
    assert_eq!(block, clone_solution("run.mmd"));
    // Standard output stays the workflow commands only.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("flowchart"));
}

#[test]
fn a_hostile_name_tag_stays_inside_its_label() {
    // Quotes, brackets, an arrow, a code fence, `end`, a newline, markup, `#`, `|`, `;`, `%%`.
    let script = r#"
let ec2 = client("ec2", "us-east-1");
let ami = ec2.describe_images(#{owners: ["amazon"],
    filters: [#{name: "name", values: ["al2023-ami-*-x86_64"]}]}).images[0].image_id;
ec2.run_instances(#{image_id: ami, instance_type: "t3.micro", min_count: 1, max_count: 1,
  tag_specifications: [#{resource_type: "instance", tags: [#{key: "Name",
    value: "a\"] --> x[\"pwn``` end\n<script>#1;|; %% {}"}]}]});
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.rhai", script);
    let text = graph_of(None, path.to_str().unwrap(), "hostile.md");
    let inner = text
        .strip_prefix("```mermaid\n")
        .and_then(|t| t.strip_suffix("```\n"))
        .expect("one fenced block");
    check_mermaid(inner);
    assert!(
        !inner.contains('`') && !inner.contains("<script"),
        "{inner}"
    );
    assert!(inner.contains("a#34;#93; --#62; x#91;#34;pwn#96;#96;#96; end#10;#60;script#62;"));
    let svg = graph_of(None, path.to_str().unwrap(), "hostile.svg");
    roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert!(!svg.contains("<script"));
}

#[test]
fn the_roll_out_solution_draws_the_launch_template_and_its_auto_scaling_group() {
    let text = graph_of(
        Some("roll-out-v2"),
        "labs/roll-out-v2/solution.rhai",
        "roll.mmd",
    );
    check_mermaid(&text);
    assert_eq!(text.matches("-->|template|").count(), 2, "{text}");
    assert_eq!(text.matches("-->|group|").count(), 1, "{text}");
    assert!(text.contains("<br/>in group web\"]"), "{text}");
    insta::assert_snapshot!("graph_roll_out_v2", text);
    let svg = graph_of(
        Some("roll-out-v2"),
        "labs/roll-out-v2/solution.rhai",
        "roll.svg",
    );
    check_svg(&svg);
    render_png(&svg, "roll-out-v2");
}

#[test]
fn after_an_internal_error_no_graph_is_written_and_stderr_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("graded.svg");
    let out = amilab()
        .env("AMILAB_TEST_PANIC", "checks")
        .env_remove("RUST_BACKTRACE")
        .args([
            "check",
            "first-golden-image",
            "labs/first-golden-image/solution.rhai",
            "--graph",
            svg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: no graph was written to `")
            && stderr.contains("after an internal error"),
        "{stderr}"
    );
    assert!(!svg.exists());
}

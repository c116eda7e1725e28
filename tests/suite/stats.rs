//! `amilab stats`: the fixture class (tests/fixtures/stats, made by its generate.sh from real
//! `amilab check` runs) in every format, its numbers recomputed independently, shards, the
//! HTML page, and every input it must refuse.

use std::path::{Path, PathBuf};

use crate::cli_common::{amilab, run};

const CLASS: &str = "tests/fixtures/stats/class";
const RESULTS: &str = "tests/fixtures/stats/class/results.jsonl";

fn lines() -> Vec<String> {
    std::fs::read_to_string(RESULTS)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn text_and_json_over_the_fixture_class() {
    for format in ["pretty", "plain", "json"] {
        let (code, stdout, stderr) = run(&["stats", CLASS, "--format", format]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{format}");
        assert!(
            !stdout.contains('\u{1b}'),
            "{format}: colour when not a terminal"
        );
        insta::assert_snapshot!(format!("stats_{format}"), stdout);
    }
    let (_, plain, _) = run(&["stats", CLASS, "--format", "plain"]);
    assert!(plain.is_ascii(), "plain is ASCII only");
}

#[test]
fn pretty_is_coloured_when_colour_is_forced_and_the_same_text_otherwise() {
    let out = amilab()
        .args(["stats", CLASS])
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    let coloured = String::from_utf8(out.stdout).unwrap();
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let (_, plain_pretty, _) = run(&["stats", CLASS]);
    let stripped = regex::Regex::new("\u{1b}\\[[0-9;]*m")
        .unwrap()
        .replace_all(&coloured, "");
    assert_eq!(stripped, plain_pretty);
}

/// Recomputes the statistics from the raw lines with textbook formulas, apart from amilab's code.
#[test]
fn json_numbers_agree_with_an_independent_computation() {
    let doc = json(&["stats", RESULTS, "--format", "json"]);
    let rows: Vec<serde_json::Value> = lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let graded: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["result"]["outcome"] != "error")
        .collect();
    assert_eq!(doc["learners"], rows.len());
    assert_eq!(doc["ungradable"]["count"], rows.len() - graded.len());
    assert!(
        graded.len() < rows.len() && graded.len() > 20,
        "the class has both kinds"
    );
    assert_eq!(doc["scores"]["count"], graded.len());
    let passed = graded
        .iter()
        .filter(|r| r["result"]["passed"] == true)
        .count();
    assert_eq!(doc["scores"]["passed"], passed);
    let bins: u64 = doc["scores"]["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(bins as usize, graded.len());

    let items = doc["items"].as_array().unwrap();
    let first = graded[0]["result"]["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let order: Vec<&str> = first.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, order, "items in the content's order");
    let mut defined = 0;
    for item in items {
        let id = item["id"].as_str().unwrap();
        let mut pass = Vec::new();
        let mut rest = Vec::new();
        let mut hints = 0;
        for r in &graded {
            let it = r["result"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == id)
                .unwrap();
            pass.push(it["status"] == "passed");
            rest.push(r["result"]["score"].as_f64().unwrap() - it["points"].as_f64().unwrap());
            hints += usize::from(it["hints_used"].as_u64().unwrap_or(0) > 0);
        }
        let n = pass.len() as f64;
        let ones = pass.iter().filter(|p| **p).count() as f64;
        assert_eq!(item["full_marks"], ones as u64);
        assert_eq!(item["hints"]["learners"], hints, "{id}");
        let p = ones / n;
        assert!(
            (item["pass_rate"].as_f64().unwrap() - p).abs() < 0.0006,
            "{id}"
        );
        // r_pb = (M1 − M0) / s_n · √(p·q)
        let mean = |f: bool| {
            let v: Vec<f64> = pass
                .iter()
                .zip(&rest)
                .filter(|(b, _)| **b == f)
                .map(|(_, y)| *y)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let all = rest.iter().sum::<f64>() / n;
        let s = (rest.iter().map(|y| (y - all).powi(2)).sum::<f64>() / n).sqrt();
        match item["discrimination"].as_f64() {
            Some(r) => {
                let expected = (mean(true) - mean(false)) / s * (p * (1.0 - p)).sqrt();
                assert!(
                    (r - expected).abs() < 0.0006,
                    "{id}: {r} against {expected}"
                );
                defined += 1;
            }
            None => {
                assert!(
                    ones == 0.0 || ones == n || s < 1e-9,
                    "{id} undefined without reason"
                );
                assert!(item["discrimination_undefined"].is_string());
            }
        }
    }
    assert!(defined >= 3, "the fixture class exercises the correlation");
    assert!(
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["hints"]["learners"].as_u64() > Some(0)),
        "the fixture class took hints"
    );
    assert!(
        !doc["aws_errors"].as_array().unwrap().is_empty(),
        "the fixture class met AWS errors"
    );
}

#[test]
fn shards_read_as_one_class() {
    let dir = tempfile::tempdir().unwrap();
    let all = lines();
    let (a, b): (Vec<_>, Vec<_>) = all
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 3 == 0);
    let strip = |v: Vec<(usize, String)>| v.into_iter().map(|(_, l)| l).collect::<Vec<_>>();
    write(&dir.path().join("shard1"), "results.jsonl", &strip(a));
    // A shard file given by name, and the other by its directory.
    let two = write(&dir.path().join("shard2"), "results.jsonl", &strip(b));
    let mut sharded = json(&[
        "stats",
        dir.path().join("shard1").to_str().unwrap(),
        two.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let mut whole = json(&["stats", CLASS, "--format", "json"]);
    assert_eq!(sharded["files"].as_array().unwrap().len(), 2);
    sharded["files"] = serde_json::Value::Null;
    whole["files"] = serde_json::Value::Null;
    assert_eq!(sharded, whole);
}

#[test]
fn refuses_bad_input_with_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = lines();
    let mut malformed = all[..3].to_vec();
    malformed[1] = malformed[1].replacen("\"result\":{", "\"result\":{\"score\":\"high\",", 1);
    let other_lab =
        vec![all[0].replace("\"id\":\"roll-out-v2\"", "\"id\":\"clone-across-regions\"")];
    let sha = serde_json::from_str::<serde_json::Value>(&all[0]).unwrap()["content"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let other_version = vec![all[1].replace(&sha, &"0".repeat(64))];
    let cases: Vec<(&str, Vec<PathBuf>)> = vec![
        ("malformed", vec![write(d, "malformed.jsonl", &malformed)]),
        (
            "truncated",
            vec![write(
                d,
                "truncated.jsonl",
                &[all[0].clone(), all[1][..40].to_string()],
            )],
        ),
        (
            "other_lab",
            vec![
                write(d, "a.jsonl", &all[..2]),
                write(d, "other.jsonl", &other_lab),
            ],
        ),
        (
            "other_version",
            vec![
                write(d, "a.jsonl", &all[..1]),
                write(d, "v.jsonl", &other_version),
            ],
        ),
        (
            "learner_twice",
            vec![
                write(d, "s1.jsonl", &all[..4]),
                write(d, "s2.jsonl", &all[3..6]),
            ],
        ),
        ("empty", vec![write(d, "empty.jsonl", &[String::new()])]),
        ("missing", vec![d.join("nowhere.jsonl")]),
        ("directory_without_results", vec![d.join("sub")]),
    ];
    std::fs::create_dir_all(d.join("sub")).unwrap();
    let mut report = String::new();
    for (name, files) in cases {
        let mut args = vec!["stats".to_string()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}");
        let dirname = d.display().to_string();
        report.push_str(&format!("{name}:\n{}\n", stderr.replace(&dirname, "[DIR]")));
    }
    insta::assert_snapshot!("stats_refusals", report);
}

#[test]
fn the_html_page_is_self_contained_deterministic_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // An ungradable learner whose name and error are markup.
    let mut class = lines();
    let hostile = class
        .iter()
        .find(|l| l.contains("\"outcome\":\"error\""))
        .unwrap()
        .replacen("\"learner\":\"", "\"learner\":\"<b>x</b>&", 1);
    class.push(hostile);
    let results = write(dir.path(), "r.jsonl", &class);
    let page = |name: &str| {
        let html = dir.path().join(name);
        let (code, stdout, stderr) = run(&[
            "stats",
            results.to_str().unwrap(),
            "--format",
            "plain",
            "--html",
            html.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.starts_with("Class statistics"));
        assert_eq!(
            stderr,
            format!("Wrote the class page to `{}`.\n", html.display())
        );
        std::fs::read_to_string(html).unwrap()
    };
    let html = page("a.html");
    assert_eq!(html, page("b.html"), "byte-identical");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;&amp;") && !html.contains("<b>x</b>"));
    for outside in [
        "<script", "<link", "@import", "url(", "<img", "src=", "https://", "<iframe",
    ] {
        assert!(
            !html.contains(outside),
            "the page fetches or runs something: {outside}"
        );
    }
    // The only absolute URL is the SVG namespace, which nothing fetches.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(html.contains("point-biserial") && html.contains("is below 0.2"));
    for id in ["score-histogram", "item-chart"] {
        let start = html.find(&format!("<svg id=\"{id}\"")).expect(id);
        let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
        let svg = &html[start..end];
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{id}: {e}"));
        let rects = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert!(rects >= 10, "{id}: {rects} bars");
        render_png(svg, id);
    }
}

/// Renders a chart with resvg to `target/test-output/NAME.png`, and checks it is not blank.
fn render_png(svg: &str, name: &str) {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    // plotters names the generic family; resvg's default for it (Arial) is not on Debian.
    options.fontdb_mut().set_sans_serif_family("DejaVu Sans");
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("resvg reads it");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let coloured = pixmap
        .pixels()
        .iter()
        .filter(|p| p.alpha() > 0 && (p.red() < 200 || p.blue() < 200))
        .count();
    assert!(coloured > 2000, "{name} is (almost) blank: {coloured}");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../test-output");
    std::fs::create_dir_all(&out).unwrap();
    pixmap
        .save_png(out.join(format!("stats-{name}.png")))
        .unwrap();
}

#[test]
fn writing_the_page_to_a_bad_path_names_it() {
    let (code, stdout, stderr) = run(&[
        "stats",
        CLASS,
        "--html",
        "tests/fixtures/stats/no-such-dir/class.html",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "error: cannot write `tests/fixtures/stats/no-such-dir/class.html`: no such file\n"
    );
}

#[test]
fn a_class_where_nothing_could_be_graded() {
    let dir = tempfile::tempdir().unwrap();
    let ungradable: Vec<String> = lines()
        .into_iter()
        .filter(|l| l.contains("\"outcome\":\"error\""))
        .collect();
    let f = write(dir.path(), "r.jsonl", &ungradable);
    let doc = json(&["stats", f.to_str().unwrap(), "--format", "json"]);
    assert_eq!(doc["scores"]["count"], 0);
    assert!(doc["scores"]["pass_rate"].is_null());
    assert_eq!(doc["items"], serde_json::json!([]));
    assert_eq!(doc["ungradable"]["count"], ungradable.len());
    let (code, text, _) = run(&["stats", f.to_str().unwrap(), "--format", "plain"]);
    assert_eq!(code, 0);
    assert!(text.contains("nothing could be graded"), "{text}");
}

#[test]
fn learner_text_cannot_drive_the_terminal_or_a_ci_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut class = lines();
    let mut hostile: serde_json::Value = serde_json::from_str(
        class
            .iter()
            .find(|l| l.contains("\"outcome\":\"error\""))
            .unwrap(),
    )
    .unwrap();
    hostile["learner"] = "\u{1b}[2Jmallory".into();
    hostile["submission"] = "x\n::error::forged".into();
    hostile["result"]["error"] = "##vso[task.complete]".into();
    class.push(hostile.to_string());
    let f = write(dir.path(), "r.jsonl", &class);
    for format in ["pretty", "plain"] {
        let (code, text, _) = run(&["stats", f.to_str().unwrap(), "--format", format]);
        assert_eq!(code, 0);
        assert!(
            !text.contains('\u{1b}') && text.contains("\\u{1b}[2Jmallory"),
            "{text}"
        );
        // Folded onto one line: no line of the log starts a workflow command.
        assert!(text.contains("x / ::error::forged"), "{text}");
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("::")),
            "{text}"
        );
        assert!(!text.contains("##vso["), "{text}");
    }
    let (_, json, _) = run(&["stats", f.to_str().unwrap(), "--format", "json"]);
    assert!(!json.contains("##vso["), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let learners: Vec<&str> = doc["ungradable"]["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["learner"].as_str().unwrap())
        .collect();
    assert!(
        learners.contains(&"\u{1b}[2Jmallory"),
        "JSON keeps the text as it is"
    );
}

/// `amilab grade`'s own output, whole and in shards: what `stats` is for.
#[test]
fn reads_what_amilab_grade_writes_whole_or_in_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("subs");
    std::fs::create_dir(&subs).unwrap();
    let lab = Path::new("labs/roll-out-v2");
    for (learner, file) in [
        ("ana", lab.join("solution.rhai")),
        ("ben", lab.join("starter.rhai")),
        ("cy", lab.join("solution.rhai")),
        ("dee", lab.join("wrong/terminate-all.rhai")),
        ("eli", "tests/fixtures/stats/scripts/uncaught.rhai".into()),
        ("fay", "tests/fixtures/syntax.rhai".into()),
    ] {
        std::fs::copy(file, subs.join(format!("{learner}.rhai"))).unwrap();
    }
    let grade = |out: &str, extra: &[&str]| {
        let out = tmp.path().join(out);
        let mut args = vec![
            "grade",
            "roll-out-v2",
            subs.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        out.display().to_string()
    };
    let whole = grade("all", &[]);
    let one = grade("s1", &["--shard", "1/2"]);
    let two = grade("s2", &["--shard", "2/2"]);

    let mut doc = json(&["stats", &whole, "--format", "json"]);
    assert_eq!(doc["content"]["id"], "roll-out-v2");
    assert_eq!(doc["learners"], 6);
    assert_eq!(doc["ungradable"]["count"], 1);
    assert_eq!(doc["ungradable"]["submissions"][0]["learner"], "fay");
    assert_eq!(doc["scores"]["count"], 5);
    assert_eq!(doc["scores"]["passed"], 2);
    assert_eq!(doc["items"].as_array().unwrap().len(), 7);
    let codes: Vec<&str> = doc["aws_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"InvalidAMIID.NotFound"), "{codes:?}");

    let mut sharded = json(&["stats", &one, &two, "--format", "json"]);
    doc["files"] = serde_json::Value::Null;
    sharded["files"] = serde_json::Value::Null;
    assert_eq!(sharded, doc, "two shards read as the whole class");
    // A shard given twice repeats its learners.
    let (code, _, stderr) = run(&["stats", &one, &one]);
    assert_eq!(code, 2);
    assert!(stderr.contains("appears twice"), "{stderr}");
}

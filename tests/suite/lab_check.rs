//! `amilab check`: every report format for a passing, a partial and a failing run; exit codes;
//! determinism; hostile submissions; JUnit / Gradescope / GitHub outputs against their fields.

use std::path::Path;

use crate::cli_common;

use base64::Engine as _;
use cli_common::{amilab, FORMATS};
use serde_json::Value;

fn check(lab: &str, script: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", lab, script, "--no-timings"];
    args.extend_from_slice(extra);
    amilab().args(&args).output().unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap()
}

/// (name, lab, script, learner, exit code)
const RUNS: [(&str, &str, &str, &str, i32); 3] = [
    (
        "pass",
        "clone-across-regions",
        "labs/clone-across-regions/solution.rhai",
        "ada",
        0,
    ),
    (
        "partial",
        "first-golden-image",
        "labs/first-golden-image/wrong/no-reboot.rhai",
        "ada",
        1,
    ),
    (
        "fail",
        "share-with-teammate",
        "labs/share-with-teammate/starter.rhai",
        "ada",
        1,
    ),
];

#[test]
fn every_format_for_pass_partial_and_fail() {
    for (name, lab, script, learner, code) in RUNS {
        for format in FORMATS {
            let out = check(lab, script, &["--learner", learner, "--format", format]);
            assert_eq!(
                out.status.code(),
                Some(code),
                "{name} as {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            insta::assert_snapshot!(format!("check_{name}_{format}"), stdout(&out));
        }
    }
}

#[test]
fn partial_credit_and_status_words() {
    let v = json(&check(
        "first-golden-image",
        "labs/first-golden-image/wrong/unversioned-name.rhai",
        &["--learner", "ada", "--format", "json"],
    ));
    let tagged = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "tagged")
        .unwrap();
    assert_eq!(tagged["status"], "partial");
    assert_eq!(tagged["points"], 1.0);
    assert!(tagged["found"].as_str().unwrap().contains("Version=1"));
}

#[test]
fn json_has_hashes_of_lab_and_submission() {
    let script = "labs/clone-across-regions/solution.rhai";
    let v = json(&check(
        "clone-across-regions",
        script,
        &["--learner", "ada", "--format", "json"],
    ));
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["kind"], "lab");
    let sources = v["sources"].as_array().unwrap();
    let hash = |p: &str| {
        use sha2::Digest;
        let d = sha2::Sha256::digest(std::fs::read(p).unwrap());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_eq!(sources[0]["path"], "labs/clone-across-regions/lab.yaml");
    assert_eq!(
        sources[0]["sha256"],
        hash("labs/clone-across-regions/lab.yaml")
    );
    assert_eq!(sources[1]["path"], script);
    assert_eq!(sources[1]["sha256"], hash(script));
    assert_eq!(v["submission"]["status"], "completed");
}

#[test]
fn same_learner_same_variant_and_bytes_other_learner_other_variant() {
    let script = "labs/clone-across-regions/solution.rhai";
    for format in FORMATS {
        let a = check(
            "clone-across-regions",
            script,
            &["--learner", "ada", "--format", format],
        );
        let b = check(
            "clone-across-regions",
            script,
            &["--learner", "ada", "--format", format],
        );
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
    let titles: std::collections::BTreeSet<String> =
        ["ada", "grace", "linus", "margaret", "dennis", "ken"]
            .iter()
            .map(|l| {
                json(&check(
                    "clone-across-regions",
                    script,
                    &["--learner", l, "--format", "json"],
                ))["title"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
    assert!(
        titles.len() > 1,
        "every learner got the same variant: {titles:?}"
    );
    // --seed gives a reproducible variant without a learner id.
    let s1 = check(
        "clone-across-regions",
        script,
        &["--seed", "7", "--format", "json"],
    );
    let s2 = check(
        "clone-across-regions",
        script,
        &["--seed", "7", "--format", "json"],
    );
    assert_eq!(s1.stdout, s2.stdout);
    assert_eq!(json(&s1)["seed"], 7);
    assert!(json(&s1).get("learner").is_none());
}

#[test]
fn pretty_has_no_colour_when_not_a_terminal_and_plain_no_symbols() {
    let (_, lab, script, l, _) = RUNS[1];
    let pretty = stdout(&check(lab, script, &["--learner", l]));
    assert!(!pretty.contains('\u{1b}'));
    let plain = stdout(&check(lab, script, &["--learner", l, "--format", "plain"]));
    assert!(plain.contains("PASS") && plain.contains("FAIL"));
    for symbol in ['✔', '✘', '◐', '·', '│'] {
        assert!(!plain.contains(symbol), "plain contains {symbol:?}");
    }
}

#[test]
fn failed_checks_show_expected_found_and_progressive_hints() {
    let (_, lab, script, l, _) = RUNS[1];
    let one = stdout(&check(lab, script, &["--learner", l, "--format", "plain"]));
    assert!(one.contains("expected: /usr/share/nginx/html/index.html"));
    assert!(one.contains("found: no index.html in the image"));
    assert!(one.contains("Hint 1/2") && !one.contains("Hint 2/2"));
    assert!(one.contains("--hints 2"));
    let two = stdout(&check(
        lab,
        script,
        &["--learner", l, "--format", "plain", "--hints", "2"],
    ));
    assert!(two.contains("Hint 2/2") && two.contains("no_reboot"));
}

#[test]
fn hidden_checks_show_only_title_and_points() {
    let (_, lab, script, l, _) = RUNS[2];
    for format in FORMATS {
        let text = stdout(&check(lab, script, &["--learner", l, "--format", format]));
        assert!(text.contains("hidden check"), "{format}");
        assert!(!text.contains("image-kept: The shared"), "{format}");
        assert!(
            !text.contains("still registered"),
            "{format}: hidden title leaked"
        );
    }
}

#[test]
fn junit_parses_with_a_real_xml_parser() {
    for (name, lab, script, l, _) in RUNS {
        let xml = stdout(&check(lab, script, &["--learner", l, "--format", "junit"]));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(suite.attribute("tests").unwrap(), cases.len().to_string());
        for c in &cases {
            assert!(c.attribute("classname").unwrap().starts_with("amilab.lab."));
            assert!(c.attribute("name").is_some() && c.attribute("time").is_some());
        }
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|x| x.has_tag_name("failure")))
            .count();
        assert_eq!(suite.attribute("failures").unwrap(), failures.to_string());
    }
}

#[test]
fn gradescope_results_have_the_documented_fields() {
    for (_, lab, script, l, _) in RUNS {
        let v = json(&check(
            lab,
            script,
            &["--learner", l, "--format", "gradescope"],
        ));
        assert!(v["score"].is_number() && v["max_score"].is_number());
        assert_eq!(v["output_format"], "md");
        for t in v["tests"].as_array().unwrap() {
            for key in [
                "score",
                "max_score",
                "status",
                "name",
                "output",
                "visibility",
                "output_format",
            ] {
                assert!(t.get(key).is_some(), "test lacks {key}: {t}");
            }
            assert!(["passed", "failed"].contains(&t["status"].as_str().unwrap()));
            assert!(["visible", "hidden"].contains(&t["visibility"].as_str().unwrap()));
        }
    }
}

#[test]
fn github_writes_runner_result_annotation_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out");
    let summary = dir.path().join("summary");
    let (_, lab, script, l, _) = RUNS[1];
    let out = amilab()
        .args([
            "check",
            lab,
            script,
            "--learner",
            l,
            "--format",
            "github",
            "--no-timings",
        ])
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = std::fs::read_to_string(&output).unwrap();
    let b64 = line.trim().strip_prefix("result=").unwrap();
    let runner: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(runner["version"], 1);
    assert_eq!(runner["status"], "fail");
    assert_eq!(runner["max_score"], 13.0);
    for t in runner["tests"].as_array().unwrap() {
        for key in ["name", "status", "score", "message"] {
            assert!(t.get(key).is_some(), "{t}");
        }
    }
    assert!(stdout(&out).contains("::notice title=amilab lab first-golden-image::Points 10/13"));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("**Points 10/13**"));
}

fn hostile(name: &str) -> String {
    format!("tests/fixtures/labs/hostile/{name}.rhai")
}

#[test]
fn forged_score_lines_never_reach_a_ci_parser() {
    let lab = "share-with-teammate";
    let script = hostile("forged-output");
    let truth = json(&check(
        lab,
        &script,
        &["--learner", "ada", "--format", "json"],
    ));
    // Only the checks that hold without any work pass (never public, nobody else got access,
    // image kept).
    assert_eq!(truth["score"], 5.0);
    assert!(truth["submission"]["output"][0] == "Points 10/10");
    for format in FORMATS {
        let text = stdout(&check(
            lab,
            &script,
            &["--learner", "ada", "--format", format],
        ));
        for line in text.lines() {
            let t = line.trim_start();
            if format == "github" && t.starts_with("::") {
                assert!(
                    t.starts_with("::notice title=amilab lab share-with-teammate::Points 5/10"),
                    "{format}: forged command {line:?}"
                );
            } else {
                assert!(
                    !t.starts_with("::") && !t.starts_with("##["),
                    "{format}: {line:?}"
                );
            }
            assert!(!line.starts_with("Points 10/10"), "{format}: {line:?}");
            assert!(!line.starts_with("Score 10/10"), "{format}: {line:?}");
            assert!(!line.starts_with("Result: PASSED"), "{format}: {line:?}");
            assert!(!line.starts_with("ok 1 - shared"), "{format}: {line:?}");
            assert!(!line.starts_with("# Score 10/10"), "{format}: {line:?}");
            assert!(!line.contains('\u{1b}'), "{format}: {line:?}");
        }
        if format == "junit" {
            let doc = roxmltree::Document::parse(&text).unwrap();
            assert!(!doc
                .descendants()
                .any(|n| n.attribute("name") == Some("forged")));
        }
        if format == "github" {
            assert_eq!(text.lines().filter(|l| l.starts_with("::")).count(), 1);
        }
    }
}

#[test]
fn redefining_helpers_changes_nothing() {
    let lab = "share-with-teammate";
    let base = json(&check(
        lab,
        "labs/share-with-teammate/starter.rhai",
        &["--learner", "ada", "--format", "json"],
    ));
    let evil = json(&check(
        lab,
        &hostile("redefine-helpers"),
        &["--learner", "ada", "--format", "json"],
    ));
    let statuses = |v: &Value| -> Vec<(String, String)> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["id"].to_string(), i["status"].to_string()))
            .collect()
    };
    assert_eq!(statuses(&base), statuses(&evil));
    assert_eq!(base["score"], evil["score"]);
    // Its own `params` shadowed ours inside the script only.
    assert!(evil["submission"]["output"][0]
        .as_str()
        .unwrap()
        .contains("99"));
}

#[test]
fn endless_loop_is_a_limit_breach_graded_and_exit_3() {
    let out = check(
        "share-with-teammate",
        &hostile("endless"),
        &["--learner", "ada", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["outcome"], "error");
    assert_eq!(v["submission"]["status"], "limit_exceeded");
    assert_eq!(
        v["items"].as_array().unwrap().len(),
        5,
        "the state reached is graded"
    );
    assert!(v["error"].as_str().unwrap().contains("endless loop"));
    // Every format prints the checks before this message (Gradescope above them): the
    // message says no place.
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .ends_with("; the checks graded the state it reached"),
        "{}",
        v["error"]
    );
    let pretty = stdout(&check(
        "share-with-teammate",
        &hostile("endless"),
        &["--learner", "ada"],
    ));
    assert!(pretty.contains("stopped by a sandbox limit"));
    assert!(pretty.contains("NOT GRADED"));
}

#[test]
fn syntax_error_is_not_gradable_with_line_and_column() {
    let out = check(
        "share-with-teammate",
        &hostile("syntax"),
        &["--learner", "ada", "--format", "plain"],
    );
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert!(text.contains("line 2, column"), "{text}");
    assert!(text.contains("NOT GRADED"));
    insta::assert_snapshot!("check_syntax_error_plain", text);
}

#[test]
fn runtime_error_grades_the_state_reached() {
    let out = check(
        "share-with-teammate",
        &hostile("runtime-error"),
        &["--learner", "ada", "--format", "json"],
    );
    // 8 of 10 points reach the pass mark of 80 %, but the teammate never launched, and that
    // check is required: not passed, although the state reached was graded.
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["score"], 8.0);
    assert_eq!(v["submission"]["status"], "runtime_error");
    assert_eq!(v["submission"]["error"]["code"], "InvalidAMIID.NotFound");
    let shared = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "shared")
        .unwrap();
    assert_eq!(
        shared["status"], "passed",
        "work done before the error counts"
    );
    let pretty = stdout(&check(
        "share-with-teammate",
        &hostile("runtime-error"),
        &["--learner", "ada"],
    ));
    assert!(pretty.starts_with("Lab share-with-teammate"));
    assert!(pretty.contains("Your script stopped with an error"));
}

#[test]
fn out_file_and_default_script_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "labs/share-with-teammate/solution.rhai",
        dir.path().join("share-with-teammate.rhai"),
    )
    .unwrap();
    let report = dir.path().join("report.xml");
    let out = amilab()
        .current_dir(dir.path())
        .args([
            "check",
            "share-with-teammate",
            "--learner",
            "ada",
            "--format",
            "junit",
            "--out",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("<testsuites"));
    let missing = amilab()
        .current_dir(dir.path())
        .args(["check", "clone-across-regions"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("amilab lab start clone-across-regions")
    );
}

#[test]
fn a_lab_path_works_like_a_builtin_id() {
    let by_path = check(
        "labs/share-with-teammate/lab.yaml",
        "labs/share-with-teammate/solution.rhai",
        &["--learner", "ada", "--format", "json"],
    );
    let by_dir = check(
        "labs/share-with-teammate",
        "labs/share-with-teammate/solution.rhai",
        &["--learner", "ada", "--format", "json"],
    );
    assert_eq!(by_path.status.code(), Some(0));
    assert_eq!(json(&by_path)["score"], json(&by_dir)["score"]);
    let unknown = amilab()
        .args(["check", "share-with-teamate", "x.rhai"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `share-with-teammate`"));
}

#[test]
fn every_lab_file_is_embedded() {
    for entry in std::fs::read_dir("labs").unwrap() {
        let dir = entry.unwrap().path();
        let id = dir.file_name().unwrap().to_str().unwrap().to_string();
        let builtin = amilab::lab::BUILTIN
            .iter()
            .find(|b| b.id == id)
            .unwrap_or_else(|| panic!("labs/{id} is not in lab::BUILTIN"));
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(&dir)
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .replace('\\', "/");
                    assert!(
                        builtin.files.iter().any(|(f, _)| *f == rel),
                        "labs/{id}/{rel} is not embedded"
                    );
                }
            }
        }
    }
    assert!(Path::new("labs").exists());
}

/// The fleet and cost helpers (`launch_templates`, `auto_scaling_groups`, `auto_scaling_group`,
/// `bill`) see what the world and the script made; a world declares templates and groups.
#[test]
fn fleet_and_cost_helpers_see_templates_groups_refreshes_and_the_bill() {
    let lab = "tests/fixtures/labs/fleet-helpers";
    let result = json(&check(
        lab,
        "tests/fixtures/labs/fleet-helpers/solution.rhai",
        &["--format", "json"],
    ));
    assert_eq!(result["passed"], true, "{result}");
    let starter = json(&check(
        lab,
        "tests/fixtures/labs/fleet-helpers/starter.rhai",
        &["--format", "json"],
    ));
    assert_eq!(starter["passed"], false, "{starter}");
}

#[test]
fn checks_cannot_affect_one_another() {
    // The first check sleeps two hours of simulated time and defines a function; the second
    // must still see the original clock and no such function.
    let lab = "tests/fixtures/labs/isolation";
    let result = json(&check(
        lab,
        "tests/fixtures/labs/isolation/solution.rhai",
        &["--format", "json"],
    ));
    assert_eq!(result["passed"], true, "{result}");
    assert_eq!(result["items"][1]["status"], "passed", "{result}");
}

#[test]
fn the_learner_can_come_from_the_environment_and_a_seed_wins() {
    let lab = "clone-across-regions";
    let script = "labs/clone-across-regions/solution.rhai";
    let by_flag = check(lab, script, &["--learner", "ada", "--format", "json"]);
    let by_env = amilab()
        .env("AMILAB_LEARNER", "ada")
        .args(["check", lab, script, "--no-timings", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&by_flag), stdout(&by_env));
    let seeded = amilab()
        .env("AMILAB_LEARNER", "ada")
        .args([
            "check",
            lab,
            script,
            "--no-timings",
            "--format",
            "json",
            "--seed",
            "7",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&seeded)["seed"], 7, "{}", stdout(&seeded));
}

#[test]
fn format_help_lists_every_format_with_its_purpose() {
    let out = amilab().args(["check", "--help"]).output().unwrap();
    let help = stdout(&out);
    for format in FORMATS {
        assert!(
            help.contains(&format!("- {format}:")),
            "`--format {format}` missing from --help:\n{help}"
        );
    }
    assert!(
        help.contains("- gradescope: Gradescope's results.json"),
        "{help}"
    );
    let out = amilab()
        .args([
            "check",
            "first-golden-image",
            "x.rhai",
            "--format",
            "gradescop",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("possible values: pretty, plain, json, junit, tap, gradescope, github"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

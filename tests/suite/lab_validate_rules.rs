//! Static validation as named rules: every rule has a fixture that triggers it (and nothing
//! else), placeholders in world resources validate and grade, and their mistakes are reported
//! at the right `file:line:column`.

use std::path::Path;

use amilab::lab::validate::{run_rules, RULES};

use crate::cli_common;

use cli_common::run;

const RULE_FIXTURES: &str = "tests/fixtures/labs/rules";

/// The fixture of a rule: `rules/<name>.yaml`, or `rules/<name>/lab.yaml`.
fn fixture(rule: &str) -> String {
    let dir = format!("{RULE_FIXTURES}/{rule}/lab.yaml");
    if Path::new(&dir).exists() {
        dir
    } else {
        format!("{RULE_FIXTURES}/{rule}.yaml")
    }
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it_alone() {
    for rule in RULES {
        let path = fixture(rule.name);
        assert!(
            Path::new(&path).exists(),
            "rule `{}` needs a fixture {path}",
            rule.name
        );
        let lab = amilab::lab::load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let found = run_rules(&lab);
        assert!(
            found.iter().any(|r| r.rule == rule.name),
            "{path} does not trigger `{}`: {found:#?}",
            rule.name
        );
        for r in &found {
            assert_eq!(
                r.rule, rule.name,
                "{path} also triggers {:#?}",
                r.diagnostic
            );
            assert_eq!(r.diagnostic.severity, rule.level);
            assert!(
                r.diagnostic.line.is_some(),
                "{:#?} has no position",
                r.diagnostic
            );
            // The rendered diagnostic names its rule, as cargo names its lints.
            let shown = r.diagnostic.to_string();
            assert!(shown.contains(&format!("[{}]: ", rule.name)), "{shown}");
        }
    }
}

#[test]
fn every_rule_fixture_belongs_to_a_rule() {
    for entry in std::fs::read_dir(RULE_FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let is_lab = path.is_dir() || path.extension().is_some_and(|e| e == "yaml");
        if is_lab {
            assert!(
                RULES.iter().any(|r| r.name == name),
                "{} is not the fixture of any rule",
                path.display()
            );
        }
    }
}

#[test]
fn a_world_in_a_param_region_validates_and_grades_for_every_learner() {
    let (code, out, err) = run(&["validate", "tests/fixtures/labs/param-region"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.starts_with("ok "), "{out}");
    let mut regions = std::collections::BTreeSet::new();
    for learner in ["ada", "grace", "bob", "zoe", "linus", "margaret"] {
        let (code, out, err) = run(&[
            "check",
            "tests/fixtures/labs/param-region/lab.yaml",
            "tests/fixtures/labs/param-region/solution.rhai",
            "--learner",
            learner,
        ]);
        assert_eq!(code, 0, "{learner}: {out}\n{err}");
        assert!(out.contains("Score 3/3 (100%)"), "{learner}: {out}");
        let region = out
            .split("is available in ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_default()
            .to_string();
        regions.insert(region);
        let (code, out, _) = run(&[
            "check",
            "tests/fixtures/labs/param-region",
            "tests/fixtures/labs/param-region/wrong/not-waited.rhai",
            "--learner",
            learner,
        ]);
        assert_eq!(code, 1, "{learner}: {out}");
    }
    assert!(
        regions.len() > 1,
        "learners work in different regions: {regions:?}"
    );
}

#[test]
fn placeholder_mistakes_in_the_world_and_checks_are_located() {
    let (code, _, err) = run(&["validate", "tests/fixtures/labs/world-placeholders"]);
    assert_eq!(code, 2);
    for expected in [
        "lab.yaml:21:9",
        "param `regions` draws 2 values",
        "lab.yaml:24:9",
        "which can be `ap-south-1`: not an enabled region",
        "unknown placeholder `{{params.ap}}`",
        "the prelude reads `params.home_region`",
        "check `server` reads `params.regoin`",
        "did you mean `params.region`?",
        "did you mean `world[\"data\"]`?",
        "warning[hidden-check-hints]: hidden check `data` has 1 hint",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    insta::assert_snapshot!("validate_world_placeholders", err);
}

#[test]
fn diagnostics_come_out_in_file_order() {
    let lab = amilab::lab::load("tests/fixtures/labs/broken").unwrap();
    let lines: Vec<(bool, usize)> = run_rules(&lab)
        .iter()
        .map(|r| {
            (
                !r.diagnostic.file.ends_with("lab.yaml"),
                r.diagnostic.line.unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

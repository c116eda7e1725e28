//! Static lab validation (`amilab validate`) as named rules, in the manner of cargo's lints: each
//! [`Rule`] has a stable name, a level, a one-line summary and a function that finds its
//! problems. The proof by running lives in [`super::prove`].

mod checks;
mod code;
mod files;
mod lab;
mod params;
mod position;
mod resources;
mod scan;
mod text;
mod world;

use std::cmp::Ordering;

use super::course::Loaded;
use super::spec::LabSpec;
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Locator;

pub(crate) use position::{check_code, find, prelude};

/// One validation rule: a stable name, a level and the function that finds its problems.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable, kebab-case name (`unknown-region`), shown after each problem's help.
    pub name: &'static str,
    /// Error (the lab is refused) or warning.
    pub level: Severity,
    /// What the rule catches, in one line.
    pub summary: &'static str,
    check: fn(&Ctx) -> Vec<Finding>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("name", &self.name)
            .field("level", &self.level)
            .finish()
    }
}

const fn error(name: &'static str, summary: &'static str, check: fn(&Ctx) -> Vec<Finding>) -> Rule {
    Rule {
        name,
        level: Severity::Error,
        summary,
        check,
    }
}

const fn warning(
    name: &'static str,
    summary: &'static str,
    check: fn(&Ctx) -> Vec<Finding>,
) -> Rule {
    Rule {
        name,
        level: Severity::Warning,
        summary,
        check,
    }
}

/// Every rule, in the order they are documented. Adding a rule is one entry here (and a
/// fixture under `tests/fixtures/labs/rules/<name>.yaml` that triggers it).
pub const RULES: &[Rule] = &[
    error(
        "lab-id-slug",
        "the lab id is not a lower-case slug",
        lab::id_slug,
    ),
    error(
        "lab-id-directory",
        "the lab id differs from its directory's name",
        lab::id_directory,
    ),
    error("empty-title", "the lab title is empty", lab::empty_title),
    error(
        "pass-mark",
        "pass_mark is not a percentage from 0 to 100",
        lab::pass_mark,
    ),
    error(
        "limits",
        "limits.deadline_seconds is not a number of seconds from 0 to 600",
        lab::limits,
    ),
    error(
        "hint-cost",
        "hint_cost is negative or not a number",
        lab::hint_cost,
    ),
    warning(
        "hint-cost-blocks-pass",
        "one hint's cost takes a perfect score below the pass mark, so one hint forbids a pass",
        lab::hint_cost_blocks_pass,
    ),
    error(
        "unknown-concept",
        "a lab or check concept is not in CONCEPTS.md",
        lab::unknown_concept,
    ),
    error(
        "param-shape",
        "a param does not use exactly one well-formed way of drawing",
        params::shape,
    ),
    error(
        "unknown-placeholder",
        "a `{{...}}` in text or a world resource names no param or account",
        text::unknown_placeholder,
    ),
    error(
        "account-id",
        "world.account or a world.accounts entry is not a 12-digit id",
        world::account_id,
    ),
    error(
        "unknown-region",
        "world.regions lists a region the catalogue does not have",
        world::unknown_region,
    ),
    error(
        "resource-region-disabled",
        "a world resource's region (or a value its param can take) is not enabled",
        world::region_disabled,
    ),
    error(
        "unknown-image",
        "a world instance's image is neither a catalogue key nor a world image",
        world::unknown_image,
    ),
    error(
        "unknown-account",
        "a world resource's account is neither `learner`, a declared name nor an id",
        world::unknown_account,
    ),
    error(
        "unknown-product-code",
        "a world subscription names a product code no catalogue marketplace image carries",
        world::unknown_product_code,
    ),
    error("no-checks", "the lab has no checks", checks::no_checks),
    error(
        "duplicate-check-id",
        "two checks share an id",
        checks::duplicate_id,
    ),
    error(
        "check-id-slug",
        "a check id is not a lower-case slug",
        checks::id_slug,
    ),
    error(
        "check-points",
        "a check's points are not a positive number",
        checks::points,
    ),
    error(
        "visible-check-without-hints",
        "a visible check has no hints",
        checks::visible_without_hints,
    ),
    warning(
        "hidden-check-hints",
        "a hidden check has hints, which are never shown",
        checks::hidden_with_hints,
    ),
    error(
        "prelude-compiles",
        "the prelude is not valid Rhai",
        code::prelude_compiles,
    ),
    error(
        "check-compiles",
        "a check's code (after the prelude) is not valid Rhai",
        code::check_compiles,
    ),
    error(
        "unknown-param-in-check",
        "check code or the prelude reads a param, account or world resource that does not exist",
        code::unknown_name,
    ),
    error(
        "submission-missing",
        "the starter, solution or a wrong submission cannot be read",
        files::missing,
    ),
    error(
        "submission-parses",
        "the starter, solution or a wrong submission is not valid Rhai",
        files::parses,
    ),
    error(
        "wrong-unknown-check",
        "a wrong submission declares a check id that does not exist",
        files::wrong_unknown_check,
    ),
    error(
        "wrong-fails-nothing",
        "a wrong submission declares no failing check",
        files::wrong_fails_nothing,
    ),
];

/// The rule named `name`.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// One problem a rule found (its level and rule name come from the rule).
#[derive(Debug, Clone, Default)]
pub(crate) struct Finding {
    pub message: String,
    pub at: Option<(usize, usize)>,
    pub help: Option<String>,
    /// The file, when not the lab file (a submission).
    pub file: Option<String>,
}

impl Finding {
    pub fn new(message: impl Into<String>, at: Option<(usize, usize)>) -> Self {
        Finding {
            message: message.into(),
            at,
            ..Finding::default()
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

/// What every rule sees: the lab and a locator over its text.
pub(crate) struct Ctx<'a> {
    pub lab: &'a Loaded,
    pub spec: &'a LabSpec,
    pub loc: Locator<'a>,
}

/// A problem found by a named rule.
#[derive(Debug, Clone)]
pub struct Reported {
    pub rule: &'static str,
    pub diagnostic: Diagnostic,
}

/// Runs every rule: each problem with the name of the rule that found it, sorted by file (the
/// lab file first), then line and column, errors before warnings at the same place.
pub fn run_rules(lab: &Loaded) -> Vec<Reported> {
    let ctx = Ctx {
        lab,
        spec: &lab.spec,
        loc: Locator::for_list(&lab.text, "checks"),
    };
    let mut out = Vec::new();
    for rule in RULES {
        for f in (rule.check)(&ctx) {
            let file = f.file.unwrap_or_else(|| lab.file.clone());
            let mut d = match rule.level {
                Severity::Error => Diagnostic::error(file, f.message),
                Severity::Warning => Diagnostic::warning(file, f.message),
            };
            d = d.at(f.at).code(rule.name);
            if let Some(h) = f.help {
                d = d.hint(h);
            }
            out.push(Reported {
                rule: rule.name,
                diagnostic: d,
            });
        }
    }
    out.sort_by(|a, b| order(&lab.file, &a.diagnostic, &b.diagnostic));
    out
}

/// File order: the lab file first, then the others by name; then line, column, and errors
/// before warnings at the same place (a stable sort keeps rule order otherwise).
fn order(lab_file: &str, a: &Diagnostic, b: &Diagnostic) -> Ordering {
    let key = |d: &Diagnostic| {
        (
            d.file != lab_file,
            d.file.clone(),
            d.line.unwrap_or(0),
            d.column.unwrap_or(0),
            !d.is_error(),
        )
    };
    key(a).cmp(&key(b))
}

/// Validates the parsed lab without running anything: every rule's problems, in file order.
pub fn validate_static(lab: &Loaded) -> Vec<Diagnostic> {
    run_rules(lab).into_iter().map(|r| r.diagnostic).collect()
}

/// True for a lower-case slug (`first-golden-image`).
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Parsing a lab from text for the rules' unit tests.
    use super::*;
    use crate::lab::course::{parse, Source};

    /// A lab parsed from `yaml`, in a directory that does not exist.
    pub fn lab(yaml: &str) -> Loaded {
        parse("lab.yaml", yaml, Source::Dir("/nonexistent".into())).expect("test lab parses")
    }

    /// The findings of one rule over `yaml`.
    pub fn findings(yaml: &str, check: fn(&Ctx) -> Vec<Finding>) -> Vec<Finding> {
        let lab = lab(yaml);
        let ctx = Ctx {
            lab: &lab,
            spec: &lab.spec,
            loc: Locator::for_list(&lab.text, "checks"),
        };
        check(&ctx)
    }

    /// A minimal valid lab: `extra` is appended (top-level keys), `checks` replaces the checks.
    pub fn yaml(extra: &str, checks: &str) -> String {
        format!(
            "id: t\ntitle: T\ndifficulty: beginner\nminutes: 1\nconcepts: []\nstory: s\n{extra}checks:\n{checks}"
        )
    }

    /// One visible check with a hint and the given code.
    pub const CHECK: &str = "  - id: c\n    title: C\n    hints: [h]\n    rhai: |\n      true\n";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case_with_summaries() {
        let mut names = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(is_slug(r.name), "{}", r.name);
            assert!(names.insert(r.name), "duplicate rule {}", r.name);
            assert!(!r.summary.is_empty() && !r.summary.contains('\n'));
        }
        assert!(rule("unknown-region").is_some());
    }

    #[test]
    fn sorted_by_position_errors_first() {
        let e = |l, c| Diagnostic::error("lab.yaml", "e").at(Some((l, c)));
        let w = |l, c| Diagnostic::warning("lab.yaml", "w").at(Some((l, c)));
        let mut v = [
            w(3, 1),
            e(3, 1),
            e(1, 5),
            Diagnostic::error("a.rhai", "s").at(Some((1, 1))),
        ];
        v.sort_by(|a, b| order("lab.yaml", a, b));
        let got: Vec<_> = v
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.is_error()))
            .collect();
        assert_eq!(
            got,
            [
                ("lab.yaml", Some(1), true),
                ("lab.yaml", Some(3), true),
                ("lab.yaml", Some(3), false),
                ("a.rhai", Some(1), true)
            ]
        );
    }
}

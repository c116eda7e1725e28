//! Proving a lab by running it (`amilab validate`): the solution scores 100 % in every variant,
//! the starter does not pass, each known-wrong submission is not passed and fails each check it
//! declares, and no check ever fails to run. Problems are reported once each, with the
//! variants they happen in.

use std::collections::{BTreeMap, BTreeSet};

use amilab_text::{noun, plural};
use rayon::prelude::*;

use super::checks::{Fault, Show};
use super::course::Loaded;
use super::explain::{describe, describe_failures, fault_diagnostic};
use super::grade::{self, Variant, Who};
use super::params;
use super::spec::{LabSpec, ParamSpec};
use super::validate::{find, validate_static};
use super::world::{World, WorldError};
use crate::diagnostic::Diagnostic;
use crate::report::{fmt_points, ItemStatus, RunResult};
use crate::yaml::Locator;

/// Param spaces up to this many combinations are enumerated in full.
pub const MAX_ENUMERATED: u64 = 1000;
/// Learners sampled when the param space is larger (`validate --learners N`).
pub const DEFAULT_SAMPLE: usize = 50;
/// Seeds tried while looking for every combination of an enumerable space.
const SEED_SEARCH: u64 = 100_000;

/// How to prove a lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProveOptions {
    /// Learners to sample when the param space is too large to enumerate.
    pub learners: usize,
    /// Show hidden checks' messages in the report (for instructors).
    pub reveal: bool,
}

impl Default for ProveOptions {
    fn default() -> Self {
        ProveOptions {
            learners: DEFAULT_SAMPLE,
            reveal: false,
        }
    }
}

/// The variants a lab is proven on, and how they were chosen.
#[derive(Debug, Clone)]
pub struct Variants {
    pub list: Vec<Variant>,
    /// Every combination of the params is in `list`.
    pub complete: bool,
    /// The number of combinations (saturating).
    pub space: u64,
}

/// How many values one param can take (saturating).
fn choices(p: &ParamSpec) -> u64 {
    if p.value.is_some() {
        return 1;
    }
    if let (Some(k), Some(from)) = (p.choose, &p.from) {
        return binomial(from.len() as u64, k as u64);
    }
    if let Some(list) = &p.one_of {
        return list.len().max(1) as u64;
    }
    if let Some([lo, hi]) = p.range {
        return (hi.saturating_sub(lo)).max(0) as u64 + 1;
    }
    1
}

fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: u64 = 1;
    for i in 0..k {
        r = r.saturating_mul(n - i) / (i + 1);
    }
    r
}

/// The variants to prove a lab on: every combination of its params when there are at most
/// [`MAX_ENUMERATED`], each found as the smallest seed that draws it (so `amilab check --seed N`
/// reproduces it exactly, world ids included); else `sample` learners `learner-1`, `learner-2`, ….
pub fn variants(spec: &LabSpec, sample: usize) -> Variants {
    let space = spec
        .params
        .values()
        .map(choices)
        .fold(1u64, u64::saturating_mul);
    if space <= MAX_ENUMERATED {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut list = Vec::new();
        for seed in 0..SEED_SEARCH {
            let drawn = params::draw(&spec.params, seed);
            let key = serde_json::to_string(&drawn).unwrap_or_default();
            if seen.insert(key) {
                list.push(grade::variant_with(spec, None, seed, drawn));
                if list.len() as u64 == space {
                    break;
                }
            }
        }
        let complete = list.len() as u64 == space;
        return Variants {
            list,
            complete,
            space,
        };
    }
    let list = (1..=sample.max(1))
        .map(|i| {
            grade::variant(
                spec,
                &Who {
                    learner: Some(format!("learner-{i}")),
                    seed: None,
                },
            )
        })
        .collect();
    Variants {
        list,
        complete: false,
        space,
    }
}

/// What grading one submission in one variant came to (what validation needs of it).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub variant: usize,
    pub result: RunResult,
    pub faults: Vec<(String, Fault)>,
}

/// Builds each variant's world once, in parallel (every submission is graded in a copy of
/// it); `Err` when a world cannot be built.
pub fn build_worlds(lab: &Loaded, variants: &[Variant]) -> Result<Vec<World>, WorldError> {
    variants
        .par_iter()
        .map(|v| grade::build_world(&lab.spec, v))
        .collect()
}

/// Grades `source` in each variant (in a copy of its world from [`build_worlds`]), in parallel.
pub fn grade_all(
    lab: &Loaded,
    file: &str,
    source: &str,
    variants: &[Variant],
    worlds: &[World],
    reveal: bool,
) -> Vec<Outcome> {
    let show = Show {
        hints: 0,
        taken: &crate::lab::hint_use::NONE_TAKEN,
        reveal_hidden: reveal,
    };
    let display = lab.display(file);
    variants
        .par_iter()
        .zip(worlds)
        .enumerate()
        .map(|(i, (v, w))| {
            let g = grade::grade_in_world(lab, &display, source, v, w.clone(), &show);
            Outcome {
                variant: i,
                result: g.result,
                faults: g.faults,
            }
        })
        .collect()
}

/// One problem, seen in some variants.
struct Problem {
    diagnostic: Diagnostic,
    variants: Vec<usize>,
}

/// Problems keyed by what they are, so each is reported once with the variants it happens in.
#[derive(Default)]
struct Problems {
    by_key: BTreeMap<String, Problem>,
    order: Vec<String>,
}

impl Problems {
    fn add(&mut self, key: String, variant: usize, make: impl FnOnce() -> Diagnostic) {
        match self.by_key.get_mut(&key) {
            Some(p) => p.variants.push(variant),
            None => {
                self.order.push(key.clone());
                self.by_key.insert(
                    key,
                    Problem {
                        diagnostic: make(),
                        variants: vec![variant],
                    },
                );
            }
        }
    }

    /// The diagnostics, each with "in N of M variants: …" appended.
    fn finish(
        mut self,
        variants: &Variants,
        reproduce: &dyn Fn(&Variant) -> String,
    ) -> Vec<Diagnostic> {
        let total = variants.list.len();
        let mut out = Vec::new();
        for key in self.order {
            let Some(p) = self.by_key.remove(&key) else {
                continue;
            };
            let mut d = p.diagnostic;
            let shown: Vec<String> = p
                .variants
                .iter()
                .take(3)
                .map(|&i| describe(&variants.list[i]))
                .collect();
            let more = p.variants.len().saturating_sub(3);
            let list = if more > 0 {
                format!("{}; and {more} more", shown.join("; "))
            } else {
                shown.join("; ")
            };
            d.message = format!(
                "{} — in {} of {}: {list}",
                d.message,
                p.variants.len(),
                plural(total, "variant", "variants")
            );
            let first = &variants.list[p.variants[0]];
            d = d.note(format!("reproduce with `{}`", reproduce(first)));
            out.push(d);
        }
        out
    }
}

fn failed_ids(result: &RunResult) -> BTreeSet<String> {
    result
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .map(|i| i.id.clone())
        .collect()
}

/// Runs the lab's own submissions over [`variants`] and reports what does not hold.
pub fn validate_runs(lab: &Loaded, options: &ProveOptions) -> (Vec<Diagnostic>, Summary) {
    let spec: &LabSpec = &lab.spec;
    let loc = Locator::for_list(&lab.text, "checks");
    let variants = variants(spec, options.learners);
    let mut summary = Summary {
        variants: variants.list.len(),
        complete: variants.complete,
        space: variants.space,
        ..Summary::default()
    };
    let reproduce = |file: &str| {
        let path = lab.display(file);
        let lab_arg = lab.file.clone();
        move |v: &Variant| format!("amilab check {lab_arg} {path} --seed {}", v.seed)
    };
    let mut out = Vec::new();
    let faults = |problems: &mut Problems, file: &str, o: &Outcome| {
        for (check_id, fault) in &o.faults {
            let key = format!("fault {check_id} {:?} {}", fault.place, fault.message);
            let on = format!("`{}`", lab.display(file));
            problems.add(key, o.variant, || {
                fault_diagnostic(lab, &loc, check_id, fault, &on)
            });
        }
    };

    let worlds = match build_worlds(lab, &variants.list) {
        Ok(w) => w,
        Err(e) => {
            let key = e.path.split('[').next().unwrap_or("world").to_string();
            let keys: Vec<&str> = key.split('.').collect();
            let d = Diagnostic::error(&lab.file, format!("the world cannot be built: {e}"))
                .code("world-builds")
                .at(loc.path(&keys))
                .hint("fix the resource; it is created with the same API calls a script makes");
            return (vec![d], summary);
        }
    };
    let run = |file: &str| -> Result<Vec<Outcome>, Diagnostic> {
        let source = lab
            .read(file)
            .map_err(|e| Diagnostic::error(&lab.file, e))?;
        Ok(grade_all(
            lab,
            file,
            &source,
            &variants.list,
            &worlds,
            options.reveal,
        ))
    };

    // The solution: 100 % in every variant.
    let solution = match run(&spec.solution) {
        Ok(s) => s,
        Err(d) => return (vec![d], summary),
    };
    let mut sol_problems = Problems::default();
    for o in &solution {
        faults(&mut sol_problems, &spec.solution, o);
        let r = &o.result;
        if o.faults.is_empty() && (r.score < r.max_score || r.error.is_some()) {
            let failed: Vec<String> = failed_ids(r).into_iter().collect();
            let key = format!("solution {failed:?} {:?}", r.error.is_some());
            let detail = describe_failures(r);
            sol_problems.add(key, o.variant, || {
                Diagnostic::error(
                    lab.display(&spec.solution),
                    format!(
                        "the solution scores {}/{} ({detail})",
                        fmt_points(r.score),
                        fmt_points(r.max_score)
                    ),
                )
                .code("solution-below-full-marks")
            });
        }
    }
    out.extend(sol_problems.finish(&variants, &reproduce(&spec.solution)));

    // The starter: never passed.
    let starter = run(&spec.starter).map_err(|d| out.push(d)).ok();
    if let Some(starter) = starter {
        let mut st = Problems::default();
        for o in &starter {
            faults(&mut st, &spec.starter, o);
            if o.result.passed {
                st.add("starter passes".into(), o.variant, || {
                    Diagnostic::error(lab.display(&spec.starter), "the starter already passes")
                        .code("starter-passes")
                        .hint("the starter should leave the work to the learner")
                });
            }
        }
        out.extend(st.finish(&variants, &reproduce(&spec.starter)));
    }

    // Each wrong submission: not passed, and fails each check it declares.
    for w in &spec.wrong {
        let outcomes = match run(&w.file) {
            Ok(o) => o,
            Err(d) => {
                out.push(d);
                continue;
            }
        };
        let at = find(&loc, &w.file, loc.top("wrong"));
        let mut wp = Problems::default();
        for o in &outcomes {
            faults(&mut wp, &w.file, o);
            let r = &o.result;
            if r.passed {
                wp.add(format!("{} passes", w.file), o.variant, || {
                    Diagnostic::error(
                        &lab.file,
                        format!(
                            "wrong submission `{}` is passed ({}/{}, {}%)",
                            w.file,
                            fmt_points(r.score),
                            fmt_points(r.max_score),
                            fmt_points(r.percent())
                        ),
                    )
                    .code("wrong-passes")
                    .at(at)
                    .hint("a known-wrong submission must not pass: make the check that catches its mistake `required: true`, or worth more points")
                });
            }
            let failed = failed_ids(r);
            for declared in &w.fails {
                if !failed.contains(declared) {
                    wp.add(format!("{} keeps {declared}", w.file), o.variant, || {
                        Diagnostic::error(
                            &lab.file,
                            format!(
                                "wrong submission `{}` passes check `{declared}`, which it declares it fails",
                                w.file
                            ),
                        )
                        .code("wrong-keeps-declared-check")
                        .at(find(&loc, declared, at))
                        .hint("the check does not catch the mistake it is meant for; fix the check or the declaration")
                    });
                }
            }
            for extra in failed.iter().filter(|f| !w.fails.contains(f)) {
                wp.add(format!("{} also {extra}", w.file), o.variant, || {
                    Diagnostic::warning(
                        &lab.file,
                        format!(
                            "wrong submission `{}` also fails check `{extra}`, which it does not declare",
                            w.file
                        ),
                    )
                    .code("wrong-fails-undeclared-check")
                    .at(at)
                    .hint(format!("if that is the mistake's effect too, add `{extra}` to its `fails:`"))
                });
            }
        }
        out.extend(wp.finish(&variants, &reproduce(&w.file)));
    }
    summary.wrong = spec.wrong.len();
    if !out.iter().any(Diagnostic::is_error) {
        match super::mutation::run(lab, &variants.list, &worlds) {
            Ok(report) => {
                out.extend(super::mutation::diagnostics(lab, &report));
                summary.mutation = Some(report);
            }
            Err(e) => out.push(Diagnostic::error(lab.display(&spec.solution), e)),
        }
    }
    (out, summary)
}

/// What a successful validation proved, for the one-line summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Variants graded.
    pub variants: usize,
    /// They were every combination of the params.
    pub complete: bool,
    /// Combinations of the params.
    pub space: u64,
    /// Known-wrong submissions.
    pub wrong: usize,
    /// The mutation run, when there was one.
    pub mutation: Option<super::mutation::Report>,
}

impl Summary {
    /// `solution 100% in all 150 variants; starter not passed; 3 wrong submission(s) not passed`.
    pub fn line(&self, checks: usize) -> String {
        let which = if self.complete {
            match self.variants {
                1 => "its only variant".to_string(),
                n => format!("all {n} variants"),
            }
        } else if self.space <= MAX_ENUMERATED {
            format!(
                "{} of {}",
                self.variants,
                plural(self.space, "variant", "variants")
            )
        } else {
            let learners = noun(self.variants, "sampled learner's", "sampled learners'");
            let variants = noun(self.variants, "variant", "variants");
            format!("{} {learners} {variants}", self.variants)
        };
        let mutation = self
            .mutation
            .as_ref()
            .map(|m| format!("; {}", m.line()))
            .unwrap_or_default();
        format!(
            "lab: {}; solution 100% in {which}; starter not passed; {} not passed, failing what they declare{mutation}",
            plural(checks, "check", "checks"),
            plural(self.wrong, "wrong submission", "wrong submissions")
        )
    }
}

/// Everything: the static rules, then (when they hold) the runs.
pub fn validate_lab(lab: &Loaded, options: &ProveOptions) -> (Vec<Diagnostic>, Option<Summary>) {
    let mut out = validate_static(lab);
    if out.iter().any(Diagnostic::is_error) {
        return (out, None);
    }
    let (runs, summary) = validate_runs(lab, options);
    out.extend(runs);
    (out, Some(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_combinations() {
        assert_eq!(binomial(6, 2), 15);
        assert_eq!(binomial(5, 0), 1);
        assert_eq!(binomial(2, 3), 0);
        let spec = |s: &str| -> ParamSpec { serde_json::from_str(s).unwrap() };
        assert_eq!(
            choices(&spec(r#"{"choose": 2, "from": [1,2,3,4,5,6]}"#)),
            15
        );
        assert_eq!(choices(&spec(r#"{"range": [8, 12]}"#)), 5);
        assert_eq!(choices(&spec(r#"{"one_of": ["a", "b"]}"#)), 2);
        assert_eq!(choices(&spec(r#"{"value": 3}"#)), 1);
    }

    #[test]
    fn enumerates_every_combination_with_reproducible_seeds() {
        let lab = crate::lab::load("clone-across-regions").unwrap();
        let v = variants(&lab.spec, DEFAULT_SAMPLE);
        assert_eq!(v.space, 15 * 5 * 2);
        assert!(v.complete);
        let distinct: BTreeSet<String> = v
            .list
            .iter()
            .map(|x| serde_json::to_string(&x.params).unwrap())
            .collect();
        assert_eq!(distinct.len(), 150);
        for x in &v.list {
            // `amilab check --seed N` draws exactly this variant.
            let again = grade::variant(
                &lab.spec,
                &Who {
                    learner: None,
                    seed: Some(x.seed),
                },
            );
            assert_eq!(again.params, x.params);
        }
    }

    #[test]
    fn samples_learners_when_the_space_is_large() {
        let mut lab = crate::lab::load("clone-across-regions").unwrap();
        lab.spec.params.get_mut("count").unwrap().range = Some([1, 100_000]);
        let v = variants(&lab.spec, 7);
        assert!(!v.complete);
        assert_eq!(v.list.len(), 7);
        assert_eq!(v.list[0].learner.as_deref(), Some("learner-1"));
    }
}

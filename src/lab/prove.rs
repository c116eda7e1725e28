//! Proving a lab by running it (`amilab validate`): the solution scores 100 % in every variant,
//! the starter does not, each known-wrong submission is not passed and fails what it declares.

use std::collections::BTreeSet;

use super::course::Loaded;
use super::grade::{self, Who};
use super::spec::LabSpec;
use super::validate::{find, validate_static};
use crate::report::diagnostic::Diagnostic;
use crate::report::ItemStatus;
use crate::yaml::Locator;

/// The learners whose variants validation grades the solution and the wrong submissions for.
pub const LEARNERS: [&str; 5] = ["ada", "grace", "linus", "margaret", "dennis"];

fn failed_ids(result: &crate::report::RunResult) -> BTreeSet<String> {
    result
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .map(|i| i.id.clone())
        .collect()
}

fn describe_failures(result: &crate::report::RunResult) -> String {
    let mut parts: Vec<String> = result
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .map(|i| match &i.message {
            Some(m) => format!("`{}` ({})", i.id, crate::report::escape::one_line(m)),
            None => format!("`{}`", i.id),
        })
        .collect();
    if let Some(e) = result.submission.as_ref().and_then(|s| s.error.as_ref()) {
        parts.push(format!("the script stopped: {}", e.describe()));
    }
    parts.join(", ")
}

/// Runs the lab's own submissions: the solution must score 100 % for every learner of
/// [`LEARNERS`], the starter less, each wrong submission must fail exactly its declared checks.
pub fn validate_runs(lab: &Loaded) -> Vec<Diagnostic> {
    let spec: &LabSpec = &lab.spec;
    let loc = Locator::for_list(&lab.text, "checks");
    let mut out = Vec::new();
    let grade_as = |file: &str, learner: &str| -> Result<crate::report::RunResult, Diagnostic> {
        let source = lab
            .read(file)
            .map_err(|e| Diagnostic::error(&lab.file, e))?;
        grade::grade(
            lab,
            &lab.display(file),
            &source,
            &Who {
                learner: Some(learner.into()),
                seed: None,
            },
            0,
        )
        .map_err(|e| {
            let key = e.path.split('[').next().unwrap_or("world").to_string();
            let keys: Vec<&str> = key.split('.').collect();
            Diagnostic::error(&lab.file, format!("the world cannot be built: {e}"))
                .at(loc.path(&keys))
                .hint("fix the resource; it is created with the same API calls a script makes")
        })
    };
    for learner in LEARNERS {
        match grade_as(&spec.solution, learner) {
            Err(d) => {
                out.push(d);
                return out;
            }
            Ok(r) if r.score < r.max_score || r.error.is_some() => out.push(
                Diagnostic::error(
                    lab.display(&spec.solution),
                    format!(
                        "the solution scores {}/{} for learner `{learner}` (seed {}): {}",
                        crate::report::fmt_points(r.score),
                        crate::report::fmt_points(r.max_score),
                        r.seed,
                        describe_failures(&r)
                    ),
                )
                .hint(format!(
                    "reproduce with `amilab check {} {} --learner {learner}`",
                    lab.file,
                    lab.display(&spec.solution)
                )),
            ),
            Ok(_) => {}
        }
    }
    match grade_as(&spec.starter, LEARNERS[0]) {
        Ok(r) if r.score >= r.max_score && r.error.is_none() => out.push(
            Diagnostic::error(
                lab.display(&spec.starter),
                "the starter already scores 100 %",
            )
            .hint("the starter should leave the work to the learner"),
        ),
        Err(d) => out.push(d),
        Ok(_) => {}
    }
    for w in &spec.wrong {
        let declared: BTreeSet<String> = w.fails.iter().cloned().collect();
        for learner in LEARNERS {
            match grade_as(&w.file, learner) {
                Err(d) => out.push(d),
                Ok(r) => {
                    let failed = failed_ids(&r);
                    if failed != declared {
                        let list =
                            |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
                        out.push(
                            Diagnostic::error(&lab.file, format!(
                                "wrong submission `{}` for learner `{learner}` fails [{}] but declares [{}]",
                                w.file, list(&failed), list(&declared)
                            ))
                            .at(find(&loc, &w.file, loc.top("wrong")))
                            .hint(format!("details: {}", if failed.is_empty() { "every check passed".to_string() } else { describe_failures(&r) })),
                        );
                        break;
                    }
                }
            }
        }
    }
    out
}

/// Everything: the static rules, then (when they hold) the runs.
pub fn validate_lab(lab: &Loaded) -> Vec<Diagnostic> {
    let mut out = validate_static(lab);
    if !out.iter().any(Diagnostic::is_error) {
        out.extend(validate_runs(lab));
    }
    out
}

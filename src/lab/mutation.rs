//! Mutation testing of a lab (`amilab validate --mutants`): grades every mutant of the
//! reference solution ([`super::mutants`]) and reports the ones the checks let pass. A mutant
//! is *killed* when some variant grades it not passed (or its run makes a check fail to run,
//! which is reported as a fault in the lab); it *survives* when every variant tried passes it.

use rayon::prelude::*;

use super::checks::{Fault, Show};
use super::course::Loaded;
use super::grade::{self, Variant};
use super::mutants::{self, Mutant};
use super::world::World;
use crate::diagnostic::Diagnostic;
use crate::yaml::Locator;

/// Variants a surviving mutant is tried in before it is called a survivor (its own variant
/// first, then others spread over the list).
pub const TRIES: usize = 8;

/// What became of one mutant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Not passed in this variant (its description).
    Killed {
        variant: String,
        failed: Vec<String>,
    },
    /// A check failed to run on it: a fault in the lab (the check's id and the fault).
    Fault {
        variant: String,
        check: String,
        fault: Fault,
    },
    /// Passed in every variant tried.
    Survived,
}

/// One graded mutant, and whether the lab declares it equivalent.
#[derive(Debug, Clone)]
pub struct Graded {
    pub mutant: Mutant,
    pub fate: Fate,
    /// The reason given under `mutants.equivalent`, if declared.
    pub equivalent: Option<String>,
}

/// The mutation report of one lab.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub mutants: Vec<Graded>,
}

impl Report {
    /// Mutants killed, and mutants not declared equivalent (the score's denominator).
    pub fn score(&self) -> (usize, usize) {
        let counted: Vec<&Graded> = self
            .mutants
            .iter()
            .filter(|g| g.equivalent.is_none())
            .collect();
        let killed = counted
            .iter()
            .filter(|g| !matches!(g.fate, Fate::Survived))
            .count();
        (killed, counted.len())
    }

    /// `mutants: 27/27 killed (100%), 6 declared equivalent`.
    pub fn line(&self) -> String {
        let (killed, total) = self.score();
        let equivalent = self.mutants.len() - total;
        let percent = if total == 0 {
            100.0
        } else {
            killed as f64 * 100.0 / total as f64
        };
        format!(
            "mutants: {killed}/{total} killed ({}%), {equivalent} declared equivalent",
            crate::report::fmt_points(percent)
        )
    }

    /// One line per mutant: fate, id, the diff line, and why.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for g in &self.mutants {
            let (word, why) = match (&g.fate, &g.equivalent) {
                (Fate::Survived, Some(reason)) => ("equivalent", reason.clone()),
                (Fate::Survived, None) => ("SURVIVED", "every variant tried passes it".into()),
                (Fate::Killed { variant, failed }, eq) => (
                    if eq.is_some() {
                        "killed (declared equivalent)"
                    } else {
                        "killed"
                    },
                    format!("fails {} ({variant})", failed.join(", ")),
                ),
                (Fate::Fault { check, .. }, _) => {
                    ("FAULT", format!("check `{check}` failed to run"))
                }
            };
            out.push_str(&format!(
                "    {word:<10} {:<30} {}  — {why}\n",
                g.mutant.id, g.mutant.diff
            ));
        }
        out
    }
}

/// An account id for the "share with another account" sabotage: one the lab does not name.
fn stranger(lab: &Loaded) -> String {
    let taken: Vec<&String> = lab.spec.world.accounts.values().collect();
    ["999988887777", "210987654321", "135792468013"]
        .into_iter()
        .find(|c| !taken.iter().any(|t| t.as_str() == *c))
        .unwrap_or("999988887777")
        .to_string()
}

/// Grades every mutant of the lab's solution over `variants`, in parallel. `Err` when the
/// solution cannot be read or mutated.
pub fn run(lab: &Loaded, variants: &[Variant], worlds: &[World]) -> Result<Report, String> {
    let source = lab.read(&lab.spec.solution)?;
    let list = mutants::derive(&source, &stranger(lab))?;
    let show = Show {
        hints: 0,
        taken: &crate::lab::hint_use::NONE_TAKEN,
        reveal_hidden: true,
    };
    let name = lab.display(&lab.spec.solution);
    let graded = list
        .into_par_iter()
        .map(|m| {
            let fate = fate_of(lab, &name, &m, variants, worlds, &show);
            let equivalent = lab
                .spec
                .mutants
                .equivalent
                .iter()
                .find(|e| e.id == m.id)
                .map(|e| e.why.clone());
            Graded {
                mutant: m,
                fate,
                equivalent,
            }
        })
        .collect();
    Ok(Report { mutants: graded })
}

/// The variants a mutant is tried in: its own (chosen by its id, so the choice is stable),
/// then up to [`TRIES`] − 1 others spread evenly over the list.
fn order(id: &str, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let own = id
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % n;
    let step = (n / TRIES).max(1);
    let mut out: Vec<usize> = Vec::new();
    // Spread first (own, own + step, …), then whatever is left in order, without repeats.
    for v in (0..n).map(|k| (own + k * step) % n).chain(0..n) {
        if out.len() == TRIES.min(n) {
            break;
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn fate_of(
    lab: &Loaded,
    name: &str,
    m: &Mutant,
    variants: &[Variant],
    worlds: &[World],
    show: &Show,
) -> Fate {
    for i in order(&m.id, variants.len()) {
        let v = &variants[i];
        let g = grade::grade_in_world(lab, name, &m.source, v, worlds[i].clone(), show);
        let variant = super::explain::describe(v);
        if let Some((check, fault)) = g.faults.first() {
            return Fate::Fault {
                variant,
                check: check.clone(),
                fault: fault.clone(),
            };
        }
        if !g.result.passed {
            let mut failed: Vec<String> = g
                .result
                .items
                .iter()
                .filter(|i| i.status != crate::report::ItemStatus::Passed)
                .map(|i| i.id.clone())
                .collect();
            if failed.is_empty() {
                failed.push("the pass mark".into());
            }
            return Fate::Killed { variant, failed };
        }
    }
    Fate::Survived
}

/// What validation reports of a mutation run: survivors not declared equivalent and faults are
/// errors; declarations that name no mutant are errors; a declared-equivalent mutant that is
/// killed is a warning (the declaration can go).
pub fn diagnostics(lab: &Loaded, report: &Report) -> Vec<Diagnostic> {
    let loc = Locator::for_list(&lab.text, "checks");
    let at_mutants = loc.top("mutants");
    let declared_at = |id: &str| super::validate::find(&loc, id, at_mutants);
    let mut out = Vec::new();
    for g in &report.mutants {
        let m = &g.mutant;
        match (&g.fate, &g.equivalent) {
            (Fate::Survived, None) => out.push(
                Diagnostic::error(
                    lab.display(&lab.spec.solution),
                    format!("mutant `{}` survives: {}", m.id, m.diff),
                )
                .code("mutant-survives")
                .at(Some((m.line, 1)))
                .hint(format!(
                    "no check notices this change; strengthen a check (or make one `required`), or if the change cannot matter declare it in lab.yaml:\n      mutants:\n        equivalent:\n          - {{id: {}, why: \"...\"}}",
                    m.id
                )),
            ),
            (Fate::Fault { variant, check, fault }, _) => out.push(super::explain::fault_diagnostic(
                lab,
                &loc,
                check,
                fault,
                &format!("mutant `{}` ({}) in {variant}", m.id, m.diff),
            )),
            (Fate::Killed { .. }, Some(_)) => out.push(
                Diagnostic::warning(
                    &lab.file,
                    format!("mutant `{}` is declared equivalent but the checks kill it", m.id),
                )
                .code("equivalent-mutant-killed")
                .at(declared_at(&m.id))
                .hint("remove the declaration"),
            ),
            _ => {}
        }
    }
    for e in &lab.spec.mutants.equivalent {
        if !report.mutants.iter().any(|g| g.mutant.id == e.id) {
            out.push(
                Diagnostic::error(
                    &lab.file,
                    format!("`mutants.equivalent` names `{}`, which is not a mutant of the solution", e.id),
                )
                .code("equivalent-mutant-unknown")
                .at(declared_at(&e.id))
                .hint("the solution changed, or the id is mistyped: run `amilab validate --mutants` for the current ids"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_its_own_variant_first_then_distinct_others() {
        let o = order("remove-abc123", 150);
        assert_eq!(o.len(), TRIES);
        let mut d = o.clone();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), TRIES, "{o:?}");
        assert_eq!(order("remove-abc123", 150), o, "stable");
        assert_eq!(order("x", 3).len(), 3);
        assert!(order("x", 0).is_empty());
    }
}

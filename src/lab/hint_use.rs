//! Hints in a graded result: which of a failed check's hints the report shows, and what the
//! hints a learner revealed with `amilab hint` cost. A lab's `hint_cost` takes that many points
//! off a check per hint revealed (never more than the check earned); the check's status stays
//! what its verdict was, so a required check that is met still counts as met.

use std::collections::BTreeMap;

use super::params::TextContext;
use super::spec::{CheckSpec, LabSpec};
use crate::report::{fmt_points, round2, ItemResult, ItemStatus, Visibility};

/// Hints revealed with `amilab hint`, by check id: the first N hints of each.
pub type HintsTaken = BTreeMap<String, u32>;

/// Nothing revealed (outside a workspace, in validation).
pub static NONE_TAKEN: HintsTaken = BTreeMap::new();

/// How many of `check`'s hints a report shows: those revealed, and when hints are free the
/// first `free` too (`amilab check --hints N`). When hints cost points, only revealed ones show.
pub fn shown(spec: &LabSpec, check: &CheckSpec, taken: u32, free: usize) -> usize {
    let free = if spec.hint_cost > 0.0 { 0 } else { free };
    (taken as usize).max(free).min(check.hints.len())
}

/// Sets the item's hint feedback (for a visible check that did not pass) and charges the
/// hints taken. `lab_arg` names the lab in the pointer to the next hint.
pub fn annotate(
    item: &mut ItemResult,
    spec: &LabSpec,
    check: &CheckSpec,
    ctx: &TextContext,
    taken: u32,
    free: usize,
    lab_arg: &str,
) {
    let visible = item.visibility == Visibility::Visible && check.visibility == Visibility::Visible;
    if visible && item.status != ItemStatus::Passed && item.status != ItemStatus::Error {
        item.feedback = feedback(spec, check, ctx, shown(spec, check, taken, free), lab_arg);
    }
    let taken = taken.min(check.hints.len() as u32);
    if taken == 0 {
        return;
    }
    item.hints_used = taken;
    if spec.hint_cost > 0.0 {
        let penalty = round2((spec.hint_cost * f64::from(taken)).min(item.points));
        // Exact points less the penalty, for the run's percentage; all of them when the
        // penalty takes every point shown.
        if penalty >= item.points {
            item.set_points(0.0);
        } else {
            item.set_points(item.exact() - penalty);
        }
        item.hint_penalty = penalty;
        // In the feedback too, so the formats that show feedback say why.
        if let Some(line) = item.hint_charge() {
            item.feedback = Some(match item.feedback.take() {
                Some(f) => format!("{f}\n{line}"),
                None => line,
            });
        }
    }
}

/// `Hint 1/3: …` lines for the first `n` hints, and how to get the next one.
fn feedback(
    spec: &LabSpec,
    check: &CheckSpec,
    ctx: &TextContext,
    n: usize,
    lab_arg: &str,
) -> Option<String> {
    let total = check.hints.len();
    let mut lines: Vec<String> = check.hints[..n]
        .iter()
        .enumerate()
        .map(|(i, h)| format!("Hint {}/{total}: {}", i + 1, ctx.render(h).trim()))
        .collect();
    if n < total {
        let command = format!("amilab hint {lab_arg} {}", check.id);
        lines.push(if spec.hint_cost > 0.0 {
            format!(
                "(next hint: `{command}`; each hint costs {} of this check's points)",
                fmt_points(spec.hint_cost)
            )
        } else {
            format!("(more hints: `{command}`, or --hints {})", n + 1)
        });
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(cost: f64) -> (LabSpec, CheckSpec) {
        let mut spec: LabSpec = serde_yaml::from_str(
            "{id: l, title: T, difficulty: beginner, minutes: 1, concepts: [], story: S, checks: [{id: c, title: C, points: 2, hints: [one, two, three], rhai: 'true'}]}",
        )
        .unwrap();
        spec.hint_cost = cost;
        let check = spec.checks[0].clone();
        (spec, check)
    }

    #[test]
    fn free_hints_show_the_first_ones_and_point_to_the_next() {
        let (spec, check) = lab(0.0);
        let mut item = ItemResult::new("c", "C", 0.0, 2.0);
        annotate(&mut item, &spec, &check, &TextContext::default(), 0, 1, "l");
        assert_eq!(
            item.feedback.as_deref(),
            Some("Hint 1/3: one\n(more hints: `amilab hint l c`, or --hints 2)")
        );
        assert_eq!((item.hints_used, item.hint_penalty), (0, 0.0));
    }

    #[test]
    fn costly_hints_show_only_what_was_revealed_and_are_charged_but_keep_the_status() {
        let (spec, check) = lab(0.5);
        let mut failed = ItemResult::new("c", "C", 0.0, 2.0);
        annotate(
            &mut failed,
            &spec,
            &check,
            &TextContext::default(),
            0,
            1,
            "l",
        );
        assert_eq!(
            failed.feedback.as_deref(),
            Some("(next hint: `amilab hint l c`; each hint costs 0.5 of this check's points)")
        );
        let mut passed = ItemResult::new("c", "C", 2.0, 2.0);
        annotate(
            &mut passed,
            &spec,
            &check,
            &TextContext::default(),
            3,
            1,
            "l",
        );
        assert_eq!(
            (passed.points, passed.hint_penalty, passed.hints_used),
            (0.5, 1.5, 3)
        );
        assert_eq!(passed.status, ItemStatus::Passed, "the verdict stands");
        assert_eq!(
            passed.feedback.as_deref(),
            Some("3 hints taken: 1.5 points off"),
            "every format says why the points dropped"
        );
        let mut none_earned = ItemResult::new("c", "C", 0.0, 2.0);
        annotate(
            &mut none_earned,
            &spec,
            &check,
            &TextContext::default(),
            9,
            1,
            "l",
        );
        assert_eq!((none_earned.points, none_earned.hint_penalty), (0.0, 0.0));
        assert_eq!(none_earned.hints_used, 3, "at most the hints there are");
    }
}

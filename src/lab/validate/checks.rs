//! Rules on the `checks:` list itself: there are some, ids are unique slugs, points are
//! positive, hints are where learners can see them.

use std::collections::HashMap;

use super::{is_slug, Ctx, Finding};
use crate::lab::spec::CheckSpec;
use crate::report::Visibility;
use crate::yaml::Locator;

/// Each check with a locator that finds it (the n-th check of a duplicated id finds the n-th).
fn located<'a>(cx: &'a Ctx) -> Vec<(&'a CheckSpec, Locator<'a>, bool)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    cx.spec
        .checks
        .iter()
        .map(|c| {
            let n = counts.entry(c.id.as_str()).or_default();
            let here = cx.loc.occurrence(*n);
            *n += 1;
            (c, here, *n > 1)
        })
        .collect()
}

/// `no-checks`
pub(super) fn no_checks(cx: &Ctx) -> Vec<Finding> {
    if !cx.spec.checks.is_empty() {
        return vec![];
    }
    vec![Finding::new("the lab has no checks", cx.loc.top("checks")).help("add at least one check")]
}

/// `duplicate-check-id`: at every repeat after the first.
pub(super) fn duplicate_id(cx: &Ctx) -> Vec<Finding> {
    located(cx)
        .into_iter()
        .filter(|(_, _, repeat)| *repeat)
        .map(|(c, here, _)| {
            Finding::new(
                format!("duplicate check id `{}`", c.id),
                here.question(&c.id),
            )
            .help("every check needs its own id")
        })
        .collect()
}

/// `check-id-slug`
pub(super) fn id_slug(cx: &Ctx) -> Vec<Finding> {
    located(cx)
        .into_iter()
        .filter(|(c, _, _)| !is_slug(&c.id))
        .map(|(c, here, _)| {
            Finding::new(
                format!("check id `{}` is not a lower-case slug", c.id),
                here.question(&c.id),
            )
            .help("use lower-case letters, digits and `-`")
        })
        .collect()
}

/// `check-points`
pub(super) fn points(cx: &Ctx) -> Vec<Finding> {
    located(cx)
        .into_iter()
        .filter(|(c, _, _)| {
            c.points <= 0.0 || !c.points.is_finite() || c.points > crate::limits::MAX_POINTS
        })
        .map(|(c, here, _)| {
            Finding::new(
                format!("check `{}` has {} points", c.id, c.points),
                here.key(&c.id, "points"),
            )
            .help(format!(
                "give every check a positive number of points, at most {}",
                crate::limits::MAX_POINTS
            ))
        })
        .collect()
}

/// `visible-check-without-hints`: learners of a failing visible check ask for hints.
pub(super) fn visible_without_hints(cx: &Ctx) -> Vec<Finding> {
    located(cx)
        .into_iter()
        .filter(|(c, _, _)| {
            c.visibility == Visibility::Visible && c.hints.iter().all(|h| h.trim().is_empty())
        })
        .map(|(c, here, _)| {
            Finding::new(
                format!("visible check `{}` has no hints", c.id),
                here.question(&c.id),
            )
            .help("add `hints:` with at least one hint; learners see one more each time they ask")
        })
        .collect()
}

/// `hidden-check-hints`: a hidden check never shows its hints.
pub(super) fn hidden_with_hints(cx: &Ctx) -> Vec<Finding> {
    located(cx)
        .into_iter()
        .filter(|(c, _, _)| c.visibility == Visibility::Hidden && !c.hints.is_empty())
        .map(|(c, here, _)| {
            Finding::new(
                format!(
                    "hidden check `{}` has {}, which learners never see",
                    c.id,
                    amilab_text::plural(c.hints.len(), "hint", "hints")
                ),
                here.key(&c.id, "hints"),
            )
            .help("remove `hints:`, or make the check visible if learners should get help with it")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml, CHECK};
    use super::*;

    #[test]
    fn ids_points_and_hints() {
        let checks = format!(
            "{CHECK}  - id: c\n    title: again\n    points: 0\n    rhai: \"true\"\n  - id: Bad_Id\n    title: x\n    visibility: hidden\n    hints:\n      - never shown\n    rhai: \"true\"\n"
        );
        let y = yaml("", &checks);
        let at = |f: Vec<Finding>| f.iter().map(|f| f.at).collect::<Vec<_>>();
        assert_eq!(at(findings(&y, duplicate_id)), [Some((13, 5))]);
        assert_eq!(at(findings(&y, points)), [Some((15, 5))]);
        assert_eq!(at(findings(&y, visible_without_hints)), [Some((13, 5))]);
        assert_eq!(at(findings(&y, id_slug)), [Some((17, 5))]);
        assert_eq!(at(findings(&y, hidden_with_hints)), [Some((20, 5))]);
        assert!(findings(&yaml("", CHECK), hidden_with_hints).is_empty());
        assert_eq!(findings(&yaml("", "  []\n"), no_checks).len(), 1);
    }
}

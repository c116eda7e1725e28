//! Rules on the lab's top-level fields: its id, title, pass mark and concepts.

use super::{find, is_slug, Ctx, Finding};
use crate::concepts;
use crate::lab::course::Source;

/// `lab-id-slug`
pub(super) fn id_slug(cx: &Ctx) -> Vec<Finding> {
    if is_slug(&cx.spec.id) {
        return vec![];
    }
    vec![Finding::new(
        format!("lab id `{}` is not a lower-case slug", cx.spec.id),
        cx.loc.top("id"),
    )
    .help("use lower-case letters, digits and `-`, e.g. `first-golden-image`")]
}

/// `lab-id-directory`: only for a `lab.yaml` (a lab file of another name may sit anywhere).
pub(super) fn id_directory(cx: &Ctx) -> Vec<Finding> {
    let id = &cx.spec.id;
    let dir = match &cx.lab.source {
        Source::Builtin(b) => Some(b.id.to_string()),
        Source::Dir(d) => std::fs::canonicalize(d)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
    };
    match dir {
        Some(dir) if dir != *id && cx.lab.file.ends_with("lab.yaml") => vec![Finding::new(
            format!("lab id `{id}` does not match its directory `{dir}`"),
            cx.loc.top("id"),
        )
        .help(format!("rename the directory to `{id}` or set `id: {dir}`"))],
        _ => vec![],
    }
}

/// `empty-title`
pub(super) fn empty_title(cx: &Ctx) -> Vec<Finding> {
    if !cx.spec.title.trim().is_empty() {
        return vec![];
    }
    vec![Finding::new("the lab title is empty", cx.loc.top("title")).help("give the lab a title")]
}

/// `pass-mark`
pub(super) fn pass_mark(cx: &Ctx) -> Vec<Finding> {
    let p = cx.spec.pass_mark;
    if (0.0..=100.0).contains(&p) {
        return vec![];
    }
    vec![Finding::new(
        format!("pass_mark {p} is not a percentage"),
        cx.loc.top("pass_mark"),
    )
    .help("use a number from 0 to 100")]
}

/// `hint-cost`: a number of points, not negative, NaN or infinite.
pub(super) fn hint_cost(cx: &Ctx) -> Vec<Finding> {
    let c = cx.spec.hint_cost;
    if c.is_finite() && c >= 0.0 {
        return vec![];
    }
    vec![Finding::new(
        format!("hint_cost {c} is not a number of points"),
        cx.loc.top("hint_cost"),
    )
    .help("use 0 (hints are free) or the points a hint takes off its check, e.g. 0.5")]
}

/// `hint-cost-blocks-pass`: when one hint's cost takes a perfect score below the pass mark, a
/// learner who pays for a single hint can never pass, whatever they fix afterwards.
pub(super) fn hint_cost_blocks_pass(cx: &Ctx) -> Vec<Finding> {
    let cost = cx.spec.hint_cost;
    let total: f64 = cx.spec.checks.iter().map(|c| c.points).sum();
    if cost <= 0.0 || total <= 0.0 {
        return vec![];
    }
    let after_one = (total - cost).max(0.0) / total * 100.0;
    if after_one + 1e-9 >= cx.spec.pass_mark {
        return vec![];
    }
    vec![Finding::new(
        format!(
            "hint_cost {cost} with pass_mark {}: one hint leaves at most {:.2} % of the {total} points, so a learner who reveals one can never pass",
            cx.spec.pass_mark, after_one
        ),
        cx.loc.top("hint_cost"),
    )
    .help(format!(
        "lower pass_mark to {:.0} or less (so a hint costs score, not the pass), lower hint_cost, or make hints free",
        after_one.floor()
    ))]
}

/// `limits`: `deadline_seconds` is a number of seconds a script may run, not NaN, infinite,
/// negative or beyond the 600 s the grader allows (a NaN once crashed every run of the lab).
pub(super) fn limits(cx: &Ctx) -> Vec<Finding> {
    match cx.spec.limits.deadline_seconds {
        Some(s) if !(s.is_finite() && s > 0.0 && s <= 600.0) => vec![Finding::new(
            format!("limits.deadline_seconds {s} is not a number of seconds from 0 to 600"),
            cx.loc.top("limits"),
        )
        .help("use a positive number of seconds, at most 600 (the default is 5)")],
        _ => vec![],
    }
}

fn concept_finding(c: &str, at: Option<(usize, usize)>) -> Finding {
    let f = Finding::new(format!("unknown concept `{c}`"), at);
    match concepts::closest(c) {
        Some(best) => f.help(format!("did you mean `{best}`? (see CONCEPTS.md)")),
        None => f.help("use an id from CONCEPTS.md (`amilab` ships the list)"),
    }
}

/// `unknown-concept`: the lab's concepts and every check's.
pub(super) fn unknown_concept(cx: &Ctx) -> Vec<Finding> {
    let mut out: Vec<Finding> = cx
        .spec
        .concepts
        .iter()
        .filter(|c| !concepts::is_known(c))
        .map(|c| concept_finding(c, find(&cx.loc, c, cx.loc.top("concepts"))))
        .collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for c in &cx.spec.checks {
        let n = seen.entry(c.id.as_str()).or_default();
        let here = cx.loc.occurrence(*n);
        *n += 1;
        for concept in c.concepts.iter().filter(|c| !concepts::is_known(c)) {
            out.push(concept_finding(
                concept,
                here.value(&c.id, "concepts", concept),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml, CHECK};
    use super::*;

    #[test]
    fn top_level_fields() {
        let y = yaml("pass_mark: 101\n", CHECK)
            .replace("id: t\n", "id: T_1\n")
            .replace("title: T\n", "title: \" \"\n")
            .replace("concepts: []", "concepts: [ami-basic]");
        assert_eq!(findings(&y, id_slug)[0].at, Some((1, 1)));
        assert_eq!(findings(&y, empty_title).len(), 1);
        assert_eq!(findings(&y, pass_mark).len(), 1);
        let c = findings(&y, unknown_concept);
        assert_eq!(c[0].at, Some((5, 12)));
        assert!(c[0].help.as_deref().unwrap().contains("ami-basics"));
        assert!(findings(&yaml("", CHECK), id_slug).is_empty());
        assert!(findings(&yaml("", CHECK), pass_mark).is_empty());
    }
}

//! Rules on the lab's submissions: the starter, the solution and the known-wrong scripts exist
//! and parse, and each wrong one declares real checks it fails.

use std::collections::BTreeSet;

use super::{find, Ctx, Finding};
use amilab_text::closest;

/// The submissions: (file, the key naming it).
fn submissions<'a>(cx: &'a Ctx) -> Vec<(&'a str, &'static str)> {
    let mut files = vec![
        (cx.spec.starter.as_str(), "starter"),
        (cx.spec.solution.as_str(), "solution"),
    ];
    files.extend(cx.spec.wrong.iter().map(|w| (w.file.as_str(), "wrong")));
    files
}

/// `submission-missing`
pub(super) fn missing(cx: &Ctx) -> Vec<Finding> {
    let loc = &cx.loc;
    submissions(cx)
        .into_iter()
        .filter_map(|(f, key)| {
            let e = cx.lab.read(f).err()?;
            let at = if key == "wrong" {
                find(loc, f, loc.top("wrong"))
            } else {
                loc.top(key).or(loc.top("id"))
            };
            Some(
                Finding::new(format!("{key} file: {e}"), at)
                    .help(format!("create `{}`", cx.lab.display(f))),
            )
        })
        .collect()
}

/// `submission-parses`: reported in the submission itself.
pub(super) fn parses(cx: &Ctx) -> Vec<Finding> {
    let engine = rhai::Engine::new_raw();
    submissions(cx)
        .into_iter()
        .filter_map(|(f, _)| {
            let source = cx.lab.read(f).ok()?;
            let e = engine.compile(&source).err()?;
            let pos = e.position();
            Some(
                Finding::new(
                    format!("syntax error: {}", e.err_type()),
                    pos.line().map(|l| (l, pos.position().unwrap_or(1))),
                )
                .help("the submissions of a lab must parse (the starter too)")
                .in_file(cx.lab.display(f)),
            )
        })
        .collect()
}

/// `wrong-unknown-check`
pub(super) fn wrong_unknown_check(cx: &Ctx) -> Vec<Finding> {
    let loc = &cx.loc;
    let ids: BTreeSet<&str> = cx.spec.checks.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    for w in &cx.spec.wrong {
        for f in w.fails.iter().filter(|f| !ids.contains(f.as_str())) {
            let finding = Finding::new(
                format!(
                    "wrong submission `{}` declares an unknown check `{f}`",
                    w.file
                ),
                find(loc, f, find(loc, &w.file, loc.top("wrong"))),
            );
            let list = ids.iter().copied().collect::<Vec<_>>().join(", ");
            out.push(match closest(f, ids.iter().copied()) {
                Some(b) => finding.help(format!("did you mean `{b}`?")),
                None => finding.help(format!("the check ids are: {list}")),
            });
        }
    }
    out
}

/// `wrong-fails-nothing`
pub(super) fn wrong_fails_nothing(cx: &Ctx) -> Vec<Finding> {
    let loc = &cx.loc;
    cx.spec
        .wrong
        .iter()
        .filter(|w| w.fails.is_empty())
        .map(|w| {
            Finding::new(
                format!("wrong submission `{}` declares no failing check", w.file),
                find(loc, &w.file, loc.top("wrong")),
            )
            .help("list the ids of the checks it must fail under `fails:`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml, CHECK};
    use super::*;

    #[test]
    fn wrong_submissions_and_missing_files() {
        let y = yaml(
            "wrong:\n  - file: w1.rhai\n    fails: [d]\n  - file: w2.rhai\n    fails: []\n",
            CHECK,
        );
        let u = findings(&y, wrong_unknown_check);
        assert_eq!(u[0].at, Some((9, 13)));
        assert_eq!(u[0].help.as_deref(), Some("the check ids are: c"));
        assert_eq!(findings(&y, wrong_fails_nothing)[0].at, Some((10, 11)));
        let m = findings(&y, missing);
        assert_eq!(m.len(), 4, "starter, solution and two wrong files");
        assert!(findings(&y, parses).is_empty());
    }
}

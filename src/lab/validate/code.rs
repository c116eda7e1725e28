//! Rules on check code and the prelude: they compile, and every `params.NAME`,
//! `accounts.NAME` and `world["NAME"]` they read exists.

use std::collections::{BTreeSet, HashMap};

use super::scan::{references, Reference};
use super::text::values;
use super::{position, Ctx, Finding};
use crate::lab::checks::{self, CheckEnv};
use crate::lab::helpers::Context;
use amilab_text::closest;

type CompileError = (String, Option<usize>, Option<usize>);

/// Compiles every piece of code on a check engine (so helper functions are known).
fn compile_all<R>(f: impl FnOnce(&dyn Fn(&str) -> Result<(), CompileError>) -> R) -> R {
    let env = CheckEnv {
        cloud: amilab_cloud::Cloud::new(amilab_cloud::WorldConfig {
            regions: vec!["us-east-1".into()],
            component_document_parser: Some(crate::yaml::component_document),
            ..Default::default()
        }),
        helpers: std::rc::Rc::new(Context::default()),
        globals: Default::default(),
    };
    let runner = checks::Runner::new(&env);
    f(&|code| runner.compile(code).map(|_| ()))
}

/// `prelude-compiles`
pub(super) fn prelude_compiles(cx: &Ctx) -> Vec<Finding> {
    let Some(p) = &cx.spec.prelude else {
        return vec![];
    };
    compile_all(|compile| match compile(p) {
        Ok(()) => vec![],
        Err((msg, line, col)) => vec![Finding::new(
            format!("the prelude does not compile: {msg}"),
            position::prelude(&cx.loc, line, col),
        )
        .help("fix the Rhai syntax")],
    })
}

/// `check-compiles`: each check after the prelude (skipped when the prelude does not compile).
pub(super) fn check_compiles(cx: &Ctx) -> Vec<Finding> {
    let spec = cx.spec;
    let prelude_lines = spec
        .prelude
        .as_deref()
        .map(|p| p.lines().count() + 1)
        .unwrap_or(0);
    compile_all(|compile| {
        if spec.prelude.as_deref().is_some_and(|p| compile(p).is_err()) {
            return vec![];
        }
        let mut out = Vec::new();
        for c in &spec.checks {
            let code = checks::code_of(c, spec.prelude.as_deref());
            if let Err((msg, line, col)) = compile(&code) {
                let line = line.map(|l| l.saturating_sub(prelude_lines).max(1));
                out.push(
                    Finding::new(
                        format!("check `{}` does not compile: {msg}", c.id),
                        position::check_code(&cx.loc, &c.id, line, col),
                    )
                    .help("a check is Rhai code whose last expression is true / false or #{pass, score, message}"),
                );
            }
        }
        out
    })
}

/// What each root may name.
struct Known {
    params: BTreeSet<String>,
    accounts: BTreeSet<String>,
    /// `None` when a resource's name cannot be known statically.
    world: Option<BTreeSet<String>>,
}

impl Known {
    fn of(cx: &Ctx) -> Known {
        let spec = cx.spec;
        let mut accounts: BTreeSet<String> = spec.world.accounts.keys().cloned().collect();
        accounts.insert("learner".into());
        let r = &spec.world.resources;
        let names = r
            .instances
            .iter()
            .map(|x| &x.name)
            .chain(r.images.iter().map(|x| &x.name))
            .chain(r.volumes.iter().map(|x| &x.name))
            .chain(r.snapshots.iter().map(|x| &x.name))
            .chain(r.launch_templates.iter().map(|x| &x.name))
            .chain(r.auto_scaling_groups.iter().map(|x| &x.name));
        let mut world = Some(BTreeSet::new());
        for n in names {
            match (values(spec, n), world.as_mut()) {
                (Some(v), Some(w)) => w.extend(v),
                _ => world = None,
            }
        }
        Known {
            params: spec.params.keys().cloned().collect(),
            accounts,
            world,
        }
    }

    fn finding(&self, who: &str, r: &Reference, at: Option<(usize, usize)>) -> Option<Finding> {
        let (set, what, label) = match r.root {
            "params" => (
                Some(&self.params),
                "is not declared under `params:`",
                "declared params",
            ),
            "accounts" => (
                Some(&self.accounts),
                "is not `learner` nor declared under `world.accounts:`",
                "accounts",
            ),
            _ => (
                self.world.as_ref(),
                "is not the name of a world resource",
                "world resources",
            ),
        };
        let set = set?;
        if set.contains(&r.name) {
            return None;
        }
        let shown = |name: &str| {
            if r.indexed {
                format!("{}[\"{name}\"]", r.root)
            } else {
                format!("{}.{name}", r.root)
            }
        };
        let names: Vec<&str> = set.iter().map(String::as_str).collect();
        let list = if names.is_empty() {
            format!("{label}: none")
        } else {
            format!("{label}: {}", names.join(", "))
        };
        let help = match closest(&r.name, names.iter().copied()) {
            Some(b) => format!("did you mean `{}`? ({list})", shown(b)),
            None => format!("declare it or fix the name ({list})"),
        };
        Some(
            Finding::new(
                format!("{who} reads `{}`, which {what}", shown(&r.name)),
                at,
            )
            .help(help),
        )
    }
}

/// `unknown-param-in-check`: the prelude and every check, located inside their `rhai: |`.
pub(super) fn unknown_name(cx: &Ctx) -> Vec<Finding> {
    let known = Known::of(cx);
    let mut out = Vec::new();
    if let Some(p) = &cx.spec.prelude {
        for r in references(p) {
            let at = position::prelude(&cx.loc, Some(r.line), Some(r.column));
            out.extend(known.finding("the prelude", &r, at));
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for c in &cx.spec.checks {
        let n = seen.entry(c.id.as_str()).or_default();
        let here = cx.loc.occurrence(*n);
        *n += 1;
        for r in references(&c.rhai) {
            let at =
                position::in_block(&here, here.key(&c.id, "rhai"), Some(r.line), Some(r.column));
            out.extend(known.finding(&format!("check `{}`", c.id), &r, at));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml};
    use super::*;

    #[test]
    fn unknown_reads_are_located_in_the_yaml() {
        let extra = "params:\n  region: {one_of: [us-east-1]}\nworld:\n  accounts:\n    teammate: \"444455556666\"\n  resources:\n    instances:\n      - {name: web, region: us-east-1, image: al2023-x86_64}\nprelude: |\n  fn r() { params.regoin }\n";
        let checks = "  - id: c\n    title: C\n    hints: [h]\n    rhai: |\n      let ok = world[\"webb\"] != ();\n        ok && accounts.teamate != params.region\n";
        let f = findings(&yaml(extra, checks), unknown_name);
        let got: Vec<(&str, Option<(usize, usize)>)> =
            f.iter().map(|f| (f.message.as_str(), f.at)).collect();
        assert_eq!(
            got,
            [
                ("the prelude reads `params.regoin`, which is not declared under `params:`", Some((16, 19))),
                ("check `c` reads `world[\"webb\"]`, which is not the name of a world resource", Some((22, 23))),
                ("check `c` reads `accounts.teamate`, which is not `learner` nor declared under `world.accounts:`", Some((23, 24))),
            ]
        );
        assert!(f[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `params.region`?"));
        assert!(f[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `world[\"web\"]`?"));
    }

    #[test]
    fn compile_errors_point_into_the_block() {
        let extra = "prelude: |\n  fn f() { 1 }\n";
        let checks = "  - id: c\n    title: C\n    hints: [h]\n    rhai: |\n      let x = 1;\n      x +* 2\n";
        let f = findings(&yaml(extra, checks), check_compiles);
        assert_eq!(f[0].at, Some((15, 10)));
        let f = findings(&yaml("prelude: |\n  fn f( {\n", "  []\n"), prelude_compiles);
        assert_eq!(f.len(), 1);
    }
}

//! Static lab validation (`amilab validate`): the file's shape and references and that every
//! check compiles. The proof by running lives in [`super::prove`].

use std::collections::{BTreeSet, HashSet};

use super::checks::{self, CheckEnv};
use super::course::{Loaded, Source};
use super::helpers::Context;
use super::params::placeholders;
use crate::cloud::catalog::{self, images::PUBLIC_IMAGES};
use crate::cloud::is_account_id;
use crate::concepts;
use crate::report::diagnostic::{closest, Diagnostic};
use crate::report::Visibility;
use crate::yaml::Locator;

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// The first line containing `needle` at or after `from` (1-based position).
pub(crate) fn find(
    loc: &Locator,
    needle: &str,
    from: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let start = from.map(|(l, _)| l.saturating_sub(1)).unwrap_or(0);
    loc.lines()
        .iter()
        .enumerate()
        .skip(start)
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
        .or(from)
}

/// Where line `line` / column `column` of a check's code sits in the YAML text (for block
/// scalars `rhai: |`; a one-line value points at the key).
pub(crate) fn code_position(
    loc: &Locator,
    check_id: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<(usize, usize)> {
    let key = loc.key(check_id, "rhai")?;
    let lines = loc.lines();
    let key_line = lines.get(key.0 - 1)?;
    let value = key_line
        .split_once("rhai:")
        .map(|x| x.1.trim())
        .unwrap_or("");
    if !(value.starts_with('|') || value.starts_with('>')) {
        return Some(key);
    }
    let l = line.unwrap_or(1);
    let target = key.0 + l; // 1-based line of code line `l`
    let text = lines.get(target - 1)?;
    let indent = text.len() - text.trim_start().len();
    Some((target, indent + column.unwrap_or(1)))
}

/// Validates the parsed lab without running anything. Errors and warnings, in file order.
pub fn validate_static(lab: &Loaded) -> Vec<Diagnostic> {
    let spec = &lab.spec;
    let file = lab.file.as_str();
    let loc = Locator::for_list(&lab.text, "checks");
    let mut out = Vec::new();
    let err = |msg: String, at: Option<(usize, usize)>| Diagnostic::error(file, msg).at(at);

    if !is_slug(&spec.id) {
        out.push(
            err(
                format!("lab id `{}` is not a lower-case slug", spec.id),
                loc.top("id"),
            )
            .hint("use lower-case letters, digits and `-`, e.g. `first-golden-image`"),
        );
    }
    let dir_name = match &lab.source {
        Source::Builtin(b) => Some(b.id.to_string()),
        Source::Dir(d) => std::fs::canonicalize(d)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
    };
    if let Some(dir) = dir_name {
        if dir != spec.id && lab.file.ends_with("lab.yaml") {
            out.push(
                err(
                    format!("lab id `{}` does not match its directory `{dir}`", spec.id),
                    loc.top("id"),
                )
                .hint(format!(
                    "rename the directory to `{}` or set `id: {dir}`",
                    spec.id
                )),
            );
        }
    }
    if spec.title.trim().is_empty() {
        out.push(
            err("the lab title is empty".into(), loc.top("title")).hint("give the lab a title"),
        );
    }
    if !(0.0..=100.0).contains(&spec.pass_mark) {
        out.push(
            err(
                format!("pass_mark {} is not a percentage", spec.pass_mark),
                loc.top("pass_mark"),
            )
            .hint("use a number from 0 to 100"),
        );
    }
    let concept_error = |c: &str, at: Option<(usize, usize)>| {
        let mut d = err(format!("unknown concept `{c}`"), at);
        d = match concepts::closest(c) {
            Some(best) => d.hint(format!("did you mean `{best}`? (see CONCEPTS.md)")),
            None => d.hint("use an id from CONCEPTS.md (`amilab` ships the list)"),
        };
        d
    };
    for c in &spec.concepts {
        if !concepts::is_known(c) {
            out.push(concept_error(c, find(&loc, c, loc.top("concepts"))));
        }
    }

    // Params.
    for (name, p) in &spec.params {
        let at = loc.path(&["params", name]);
        let forms = [
            p.choose.is_some() || p.from.is_some(),
            p.one_of.is_some(),
            p.range.is_some(),
            p.value.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            out.push(
                err(format!("param `{name}` must use exactly one of choose + from, one_of, range, value"), at)
                    .hint("e.g. `{choose: 2, from: [eu-west-1, ap-south-1, eu-central-1]}` or `{range: [6, 12]}`"),
            );
            continue;
        }
        match (p.choose, &p.from) {
            (Some(_), None) | (None, Some(_)) => out.push(
                err(format!("param `{name}` needs both `choose` and `from`"), at)
                    .hint("`choose: N` picks N distinct values of the list `from`"),
            ),
            (Some(n), Some(from)) if n == 0 || n > from.len() => out.push(
                err(
                    format!("param `{name}` chooses {n} of {} value(s)", from.len()),
                    at,
                )
                .hint("choose at least 1 and at most as many values as `from` lists"),
            ),
            _ => {}
        }
        if p.one_of.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                err(format!("param `{name}` has an empty one_of"), at)
                    .hint("list at least one value"),
            );
        }
        if let Some([lo, hi]) = p.range {
            if lo > hi {
                out.push(
                    err(
                        format!("param `{name}` has range [{lo}, {hi}] with low above high"),
                        at,
                    )
                    .hint("write the range as [low, high]"),
                );
            }
        }
    }

    // Placeholders in learner-facing text.
    let mut texts: Vec<(String, Option<(usize, usize)>)> = vec![
        (spec.title.clone(), loc.top("title")),
        (spec.story.clone(), loc.top("story")),
    ];
    texts.extend(
        spec.objectives
            .iter()
            .map(|o| (o.clone(), loc.top("objectives"))),
    );
    for c in &spec.checks {
        texts.push((c.title.clone(), loc.key(&c.id, "title")));
        texts.extend(c.hints.iter().map(|h| (h.clone(), loc.key(&c.id, "hints"))));
        if let Some(e) = &c.expected {
            texts.push((e.clone(), loc.key(&c.id, "expected")));
        }
    }
    for (text, at) in texts {
        for name in placeholders(&text) {
            let known = match name.split_once('.') {
                Some(("params", p)) => spec.params.contains_key(p),
                Some(("accounts", a)) => a == "learner" || spec.world.accounts.contains_key(a),
                None => name == "account" || name == "learner",
                _ => false,
            };
            if !known {
                let params: Vec<String> =
                    spec.params.keys().map(|k| format!("params.{k}")).collect();
                let mut d = err(
                    format!("unknown placeholder `{{{{{name}}}}}`"),
                    find(&loc, &name, at),
                );
                let best = closest(&name, params.iter().map(String::as_str));
                d = d.hint(match best {
                    Some(b) => format!("did you mean `{{{{{b}}}}}`?"),
                    None => "placeholders are {{params.NAME}}, {{accounts.NAME}}, {{account}} and {{learner}}".to_string(),
                });
                out.push(d);
            }
        }
    }

    // World.
    for (name, id) in &spec.world.accounts {
        if !is_account_id(id) {
            out.push(
                err(
                    format!("account `{name}` is `{id}`, not a 12-digit account id"),
                    loc.path(&["world", "accounts", name]),
                )
                .hint("quote it: teammate: \"444455556666\""),
            );
        }
    }
    if let Some(a) = &spec.world.account {
        if !is_account_id(a) {
            out.push(
                err(
                    format!("world.account `{a}` is not a 12-digit account id"),
                    loc.path(&["world", "account"]),
                )
                .hint("quote it: account: \"123456789012\""),
            );
        }
    }
    let all_regions: Vec<&str> = catalog::REGIONS.iter().map(|r| r.name).collect();
    for r in &spec.world.regions {
        if catalog::region(r).is_none() {
            let mut d = err(
                format!("unknown region `{r}`"),
                find(&loc, r, loc.path(&["world", "regions"])),
            );
            if let Some(b) = closest(r, all_regions.iter().copied()) {
                d = d.hint(format!("did you mean `{b}`?"));
            }
            out.push(d);
        }
    }
    let enabled = |r: &str| {
        if spec.world.regions.is_empty() {
            catalog::region(r).is_some()
        } else {
            spec.world.regions.iter().any(|x| x == r)
        }
    };
    let res = &spec.world.resources;
    let world_images: HashSet<&str> = res.images.iter().map(|i| i.name.as_str()).collect();
    let mut regions_used: Vec<(&str, &str)> = Vec::new();
    regions_used.extend(
        res.instances
            .iter()
            .map(|i| (i.name.as_str(), i.region.as_str())),
    );
    regions_used.extend(
        res.key_pairs
            .iter()
            .map(|i| (i.name.as_str(), i.region.as_str())),
    );
    regions_used.extend(
        res.security_groups
            .iter()
            .map(|i| (i.name.as_str(), i.region.as_str())),
    );
    regions_used.extend(
        res.volumes
            .iter()
            .map(|i| (i.name.as_str(), i.region.as_str())),
    );
    for (name, region) in regions_used {
        if !enabled(region) {
            out.push(
                err(
                    format!(
                        "world resource `{name}` is in `{region}`, which is not an enabled region"
                    ),
                    find(
                        &loc,
                        &format!("region: {region}"),
                        loc.path(&["world", "resources"]),
                    ),
                )
                .hint("add the region to world.regions or move the resource"),
            );
        }
    }
    for inst in &res.instances {
        if !world_images.contains(inst.image.as_str())
            && !PUBLIC_IMAGES.iter().any(|p| p.key == inst.image)
        {
            let keys: Vec<&str> = PUBLIC_IMAGES
                .iter()
                .map(|p| p.key)
                .filter(|k| !k.is_empty())
                .collect();
            let mut d = err(
                format!("instance `{}` uses image `{}`, which is neither a catalogue key nor a world image", inst.name, inst.image),
                find(&loc, &format!("image: {}", inst.image), loc.path(&["world", "resources", "instances"])),
            );
            d = match closest(&inst.image, keys.iter().copied()) {
                Some(b) => d.hint(format!(
                    "did you mean `{b}`? catalogue keys: {}",
                    keys.join(", ")
                )),
                None => d.hint(format!("catalogue keys: {}", keys.join(", "))),
            };
            out.push(d);
        }
    }
    let account_names = |a: &Option<String>| a.as_deref().map(str::to_string);
    let mut owners: Vec<String> = Vec::new();
    owners.extend(
        res.instances
            .iter()
            .filter_map(|i| account_names(&i.account)),
    );
    owners.extend(
        res.key_pairs
            .iter()
            .filter_map(|i| account_names(&i.account)),
    );
    owners.extend(
        res.security_groups
            .iter()
            .filter_map(|i| account_names(&i.account)),
    );
    owners.extend(res.volumes.iter().filter_map(|i| account_names(&i.account)));
    owners.extend(res.images.iter().flat_map(|i| i.shared_with.clone()));
    for o in owners {
        if o != "learner" && !is_account_id(&o) && !spec.world.accounts.contains_key(&o) {
            out.push(
                err(
                    format!("unknown account `{o}` in world.resources"),
                    find(&loc, &o, loc.path(&["world", "resources"])),
                )
                .hint("use `learner`, a name declared under world.accounts, or a 12-digit id"),
            );
        }
    }

    // Checks.
    if spec.checks.is_empty() {
        out.push(
            err("the lab has no checks".into(), loc.top("checks")).hint("add at least one check"),
        );
    }
    let mut seen = HashSet::new();
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for c in &spec.checks {
        let n = counts.entry(c.id.as_str()).or_default();
        let here = loc.occurrence(*n);
        *n += 1;
        if !seen.insert(c.id.as_str()) {
            out.push(
                err(
                    format!("duplicate check id `{}`", c.id),
                    here.question(&c.id),
                )
                .hint("every check needs its own id"),
            );
        }
        if !is_slug(&c.id) {
            out.push(
                err(
                    format!("check id `{}` is not a lower-case slug", c.id),
                    here.question(&c.id),
                )
                .hint("use lower-case letters, digits and `-`"),
            );
        }
        if c.points <= 0.0 || !c.points.is_finite() {
            out.push(
                err(
                    format!("check `{}` has {} points", c.id, c.points),
                    here.key(&c.id, "points"),
                )
                .hint("give every check a positive number of points"),
            );
        }
        if c.visibility == Visibility::Visible && c.hints.iter().all(|h| h.trim().is_empty()) {
            out.push(
                err(
                    format!("visible check `{}` has no hints", c.id),
                    here.question(&c.id),
                )
                .hint(
                    "add `hints:` with at least one hint; learners see one more each time they ask",
                ),
            );
        }
        for concept in &c.concepts {
            if !concepts::is_known(concept) {
                out.push(concept_error(
                    concept,
                    here.value(&c.id, "concepts", concept),
                ));
            }
        }
    }

    // Every check compiles (on a check engine, with the prelude).
    let env = CheckEnv {
        cloud: crate::cloud::Cloud::new(crate::cloud::WorldConfig {
            regions: vec!["us-east-1".into()],
            ..Default::default()
        }),
        helpers: std::rc::Rc::new(Context::default()),
        globals: Default::default(),
    };
    let prelude_lines = spec
        .prelude
        .as_deref()
        .map(|p| p.lines().count() + 1)
        .unwrap_or(0);
    let mut prelude_ok = true;
    let runner = checks::Runner::new(&env);
    if let Some(p) = &spec.prelude {
        if let Err((msg, line, col)) = runner.compile(p) {
            prelude_ok = false;
            let at = loc.top("prelude").map(|(l, _)| {
                let target = l + line.unwrap_or(1);
                let indent = loc
                    .lines()
                    .get(target - 1)
                    .map(|t| t.len() - t.trim_start().len())
                    .unwrap_or(0);
                (target, indent + col.unwrap_or(1))
            });
            out.push(
                err(format!("the prelude does not compile: {msg}"), at).hint("fix the Rhai syntax"),
            );
        }
    }
    for c in spec.checks.iter().filter(|_| prelude_ok) {
        let code = checks::code_of(c, spec.prelude.as_deref());
        if let Err((msg, line, col)) = runner.compile(&code) {
            let line = line.map(|l| l.saturating_sub(prelude_lines).max(1));
            out.push(
                err(format!("check `{}` does not compile: {msg}", c.id), code_position(&loc, &c.id, line, col))
                    .hint("a check is Rhai code whose last expression is true / false or #{pass, score, message}"),
            );
        }
    }

    // Submissions exist and parse.
    let engine = rhai::Engine::new_raw();
    let mut files = vec![
        (spec.starter.clone(), "starter"),
        (spec.solution.clone(), "solution"),
    ];
    files.extend(spec.wrong.iter().map(|w| (w.file.clone(), "wrong")));
    for (f, key) in files {
        let at = if key == "wrong" {
            find(&loc, &f, loc.top("wrong"))
        } else {
            loc.top(key).or(loc.top("id"))
        };
        match lab.read(&f) {
            Err(e) => out.push(
                err(format!("{key} file: {e}"), at).hint(format!("create `{}`", lab.display(&f))),
            ),
            Ok(source) => {
                if let Err(e) = engine.compile(&source) {
                    let d = Diagnostic::error(
                        lab.display(&f),
                        format!("syntax error: {}", e.err_type()),
                    )
                    .at(e
                        .position()
                        .line()
                        .map(|l| (l, e.position().position().unwrap_or(1))))
                    .hint("the submissions of a lab must parse (the starter too)");
                    out.push(d);
                }
            }
        }
    }
    let ids: BTreeSet<&str> = spec.checks.iter().map(|c| c.id.as_str()).collect();
    for w in &spec.wrong {
        for f in &w.fails {
            if !ids.contains(f.as_str()) {
                let mut d = err(
                    format!(
                        "wrong submission `{}` declares an unknown check `{f}`",
                        w.file
                    ),
                    find(&loc, f, find(&loc, &w.file, loc.top("wrong"))),
                );
                if let Some(b) = closest(f, ids.iter().copied()) {
                    d = d.hint(format!("did you mean `{b}`?"));
                }
                out.push(d);
            }
        }
        if w.fails.is_empty() {
            out.push(
                err(
                    format!("wrong submission `{}` declares no failing check", w.file),
                    find(&loc, &w.file, loc.top("wrong")),
                )
                .hint("list the ids of the checks it must fail under `fails:`"),
            );
        }
    }
    out
}

//! `amilab lab list` and `amilab lab show`: a lab rendered for the terminal (plain text, the
//! story's markdown kept as written), with the learner's own variant filled in.

use super::course::Loaded;
use super::grade::Variant;
use super::params::text_of;
use super::spec::LabSpec;
use crate::report::{escape, fmt_points, points_text, Visibility};

/// One line of `amilab lab list` (the title as the variant `v` reads it).
/// A title as every learner sees it before drawing a variant: placeholders become `<name>`.
pub fn generic(text: &str) -> String {
    let mut out = text.to_string();
    for name in crate::lab::params::placeholders(text) {
        let short = name.rsplit('.').next().unwrap_or(&name).to_string();
        out = out.replace(&format!("{{{{{name}}}}}"), &format!("<{short}>"));
    }
    out
}

pub fn list_line(spec: &LabSpec) -> String {
    format!(
        "{:<22} {:<12} {:>3} min  {}  [{}]\n",
        spec.id,
        spec.difficulty.as_str(),
        spec.minutes,
        escape::one_line(&generic(&spec.title)),
        spec.concepts.join(", ")
    )
}

/// The whole lab for the terminal: title, facts, story, objectives, the learner's variant and
/// the checks with their points (hidden checks show only their points).
pub fn show(lab: &Loaded, v: &Variant) -> String {
    show_as(lab, v, &lab.spec.id, None)
}

/// [`show`], with the next-step commands naming the lab as `lab_arg` (the path the user gave
/// for a lab outside the built-ins, whose id alone would not resolve) and, in a workspace for
/// the workspace's learner, its script (`labs/ID.rhai`).
pub fn show_as(lab: &Loaded, v: &Variant, lab_arg: &str, workspace_script: Option<&str>) -> String {
    let spec = &lab.spec;
    let t = &v.text;
    let mut out = String::new();
    let title = escape::one_line(&t.render(&spec.title));
    out.push_str(&format!("{title}\n{}\n", "=".repeat(title.chars().count())));
    out.push_str(&format!(
        "lab {} · {} · about {} · pass mark {}%\nconcepts: {}\n\n",
        spec.id,
        spec.difficulty.as_str(),
        amilab_text::plural(spec.minutes, "minute", "minutes"),
        fmt_points(spec.pass_mark),
        spec.concepts.join(", ")
    ));
    out.push_str(escape::terminal(t.render(&spec.story).trim_end()).as_str());
    out.push_str("\n\n");
    if !spec.objectives.is_empty() {
        out.push_str("Objectives\n");
        for o in &spec.objectives {
            out.push_str(&format!("  - {}\n", escape::one_line(&t.render(o))));
        }
        out.push('\n');
    }
    if !v.params.is_empty() {
        match &v.learner {
            Some(l) => out.push_str(&format!(
                "Your variant (learner {}):\n",
                escape::one_line(l)
            )),
            None => out.push_str(&format!("Your variant (seed {}):\n", v.seed)),
        }
        for (name, value) in &v.params {
            // Lists as the script reads them (an array), other values as text.
            let shown = match value {
                serde_json::Value::Array(_) => value.to_string(),
                other => text_of(other),
            };
            out.push_str(&format!("  params.{name} = {}\n", escape::one_line(&shown)));
        }
        out.push('\n');
    }
    // The regions a script can use here (others answer InvalidRegion / are not enabled).
    let regions: Vec<String> = if spec.world.regions.is_empty() {
        amilab_cloud::catalog::REGIONS
            .iter()
            .map(|r| r.name.to_string())
            .collect()
    } else {
        spec.world.regions.iter().map(|r| t.render(r)).collect()
    };
    out.push_str(&format!(
        "Regions of this world: {}\n\n",
        regions.join(", ")
    ));
    let total: f64 = spec.checks.iter().map(|c| c.points).sum();
    let required = spec.checks.iter().filter(|c| c.required).count();
    let rule = if required > 0 {
        format!(
            "pass: {}% of the points and every required check",
            fmt_points(spec.pass_mark)
        )
    } else {
        format!("pass: {}% of the points", fmt_points(spec.pass_mark))
    };
    out.push_str(&format!("Checks ({}; {rule})\n", points_text(total)));
    let width = spec
        .checks
        .iter()
        .map(|c| fmt_points(c.points).len())
        .max()
        .unwrap_or(1);
    for c in &spec.checks {
        let title = match c.visibility {
            Visibility::Visible => escape::one_line(&t.render(&c.title)),
            Visibility::Hidden => super::checks::HIDDEN_TITLE.to_string(),
        };
        let required = if c.required { " (required)" } else { "" };
        out.push_str(&format!(
            "  {:>width$} pt  {title}{required}\n",
            fmt_points(c.points)
        ));
    }
    let who = match (&v.learner, v.seed) {
        (Some(l), _) => format!(
            " --learner {}",
            shlex::try_quote(l).map_or_else(|_| l.clone(), |q| q.into_owned())
        ),
        (None, seed) => format!(" --seed {seed}"),
    };
    match workspace_script {
        // In a workspace the starter is already there, and the workspace's learner is used.
        Some(script) => out.push_str(&format!(
            "\nTry:    amilab run --lab {lab_arg} {script}\nCheck:  amilab check {lab_arg}\nStuck?  amilab hint {lab_arg}\n"
        )),
        None => out.push_str(&format!(
            "\nStart:  amilab lab start {lab_arg}\nTry:    amilab run --lab {lab_arg} {id}.rhai{who}\nCheck:  amilab check {lab_arg} {id}.rhai{who}\n",
            id = spec.id
        )),
    }
    out
}

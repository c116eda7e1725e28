//! How `amilab run` shows a finished run: text for people, JSON for tools.

use std::fmt::Write;

use owo_colors::OwoColorize;
use serde_json::{json, Value};

use super::style::paint;
use crate::script::{Failure, FailureKind, RunReport};
use amilab_cloud::{clock, Cloud};

/// Everything a rendering needs.
pub struct RunView<'a> {
    pub script_name: String,
    pub source: &'a str,
    pub seed: u64,
    pub report: &'a RunReport,
    pub cloud: &'a Cloud,
    /// Simulated seconds the run took.
    pub elapsed: u64,
    pub show_trail: bool,
    pub show_state: bool,
    /// The lab the script ran in (`run --lab`), and the learner whose variant it was.
    pub lab: Option<LabRun>,
    /// A help line that wins over [`super::hints::hint`] (e.g. "run it in its lab").
    pub help: Option<String>,
}

/// The lab a run happened in.
pub struct LabRun {
    pub id: String,
    /// How commands name the lab: its id for a built-in, else its directory.
    pub arg: String,
    pub learner: Option<String>,
}

impl RunView<'_> {
    /// The help line under the failure, if any.
    fn help(&self, f: &Failure) -> Option<String> {
        self.help
            .clone()
            .or_else(|| super::hints::hint(f, self.cloud))
    }
}

/// `12m 30s`
pub fn duration(seconds: u64) -> String {
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, s) => format!("{h}h {m}m {s}s"),
    }
}

/// (stdout, stderr): the script's output, optional trail and state, then how it ended.
pub fn text(view: &RunView, color: bool, err_color: bool) -> (String, String) {
    let mut out = output_section(&view.report.output, color);
    if view.show_trail {
        out.push('\n');
        out.push_str(&trail_section(view.cloud, color));
    }
    if view.show_state {
        out.push('\n');
        out.push_str(&state_section(view.cloud, color));
    }
    if view.report.failure.is_none() {
        let _ = writeln!(
            out,
            "{} {}",
            paint("✓ finished:", color, |s| s.green().bold().to_string()),
            summary(view)
        );
    }
    (out, failure_section(view, err_color))
}

/// What a script printed (`debug` lines tagged with their line), and a note if it was cut.
pub fn output_section(output: &crate::script::Output, color: bool) -> String {
    let mut out = String::new();
    for line in &output.lines {
        if line.debug {
            let tag = paint(&format!("[debug line {}]", line.line), color, |s| {
                s.dimmed().to_string()
            });
            let _ = writeln!(out, "{tag} {}", line.text);
        } else {
            let _ = writeln!(out, "{}", line.text);
        }
    }
    if let Some(note) = output.truncation_note() {
        let _ = writeln!(
            out,
            "{}",
            paint(&format!("(output truncated: {note})"), color, |s| s
                .yellow()
                .to_string())
        );
    }
    out
}

/// `N API calls, 1m 30s of simulated time`
fn summary(view: &RunView) -> String {
    let calls = view.cloud.api_calls();
    format!(
        "{calls} API {}, {} of simulated time",
        amilab_text::noun(calls, "call", "calls"),
        duration(view.elapsed)
    )
}

/// How a failed run ended (what [`text`] writes to standard error): the error, where, the
/// help line and a note; empty when the run did not fail.
pub fn failure_section(view: &RunView, color: bool) -> String {
    let mut err = String::new();
    if let Some(f) = &view.report.failure {
        failure_text(&mut err, view, f, &summary(view), color);
    }
    err
}

fn failure_text(err: &mut String, view: &RunView, f: &Failure, summary: &str, color: bool) {
    let label = match (&f.kind, &f.code) {
        (FailureKind::Syntax, _) => "error[syntax]".to_string(),
        (FailureKind::Limit, _) => "error[limit]".to_string(),
        (FailureKind::Internal, _) => "error[bug]".to_string(),
        (FailureKind::Runtime, Some(code)) => format!("error[{code}]"),
        (FailureKind::Runtime, None) => "error".to_string(),
    };
    let _ = writeln!(
        err,
        "{}: {}",
        paint(&label, color, |s| s.red().bold().to_string()),
        f.message
    );
    if let Some(line) = f.line {
        let column = f.column.unwrap_or(1);
        let gutter = line.to_string().len();
        let _ = writeln!(
            err,
            "{:gutter$}--> {}:{line}:{column}",
            "", view.script_name
        );
        if let Some(text) = view.source.lines().nth(line - 1) {
            let bar = paint("|", color, |s| s.blue().to_string());
            let _ = writeln!(err, "{:gutter$} {bar}", "");
            let _ = writeln!(err, "{line} {bar} {text}");
            let caret = paint("^", color, |s| s.red().bold().to_string());
            let _ = writeln!(
                err,
                "{:gutter$} {bar} {:pad$}{caret}",
                "",
                "",
                pad = column.saturating_sub(1)
            );
        }
    }
    let indent = f.line.map(|l| l.to_string().len() + 1).unwrap_or(2);
    if let Some(help) = view.help(f) {
        let _ = writeln!(
            err,
            "{:indent$}= {}: {help}",
            "",
            paint("help", color, |s| s.cyan().bold().to_string())
        );
    }
    let note = match f.kind {
        FailureKind::Syntax => "nothing ran: fix the syntax and run again".to_string(),
        FailureKind::Limit => format!("the script was stopped; the state it reached is kept ({summary})"),
        FailureKind::Internal => "amilab failed, not your script: the run has no verdict".to_string(),
        FailureKind::Runtime => format!("the script stopped here; the state it reached is kept ({summary}). Catch errors with `try {{ ... }} catch (e) {{ print(e.code) }}`"),
    };
    let _ = writeln!(
        err,
        "{:width$}= {note}",
        "",
        width = f.line.map(|l| l.to_string().len() + 1).unwrap_or(2)
    );
}

/// `1 call`, `N calls`.
fn calls(n: usize) -> String {
    amilab_text::plural(n, "call", "calls")
}

/// `API trail (N calls)` and one line per call of the learner's trail (`--trail`).
pub fn trail_section(cloud: &Cloud, color: bool) -> String {
    let mut out = String::new();
    let events = cloud.trail().events();
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!("API trail ({})", calls(events.len())),
            color,
            |s| s.bold().to_string()
        )
    );
    for e in events {
        let time = e.time.get(11..19).unwrap_or(&e.time);
        let result = match &e.error_code {
            None => paint("ok", color, |s| s.green().to_string()),
            Some(code) => paint(code, color, |s| s.red().to_string()),
        };
        let _ = writeln!(
            out,
            "  {:>3}  {time}  {}  {:<14}  {:<36} {result}",
            e.seq,
            e.account,
            e.region,
            format!("{}.{}", e.service, e.operation)
        );
    }
    if cloud.trail().dropped() > 0 {
        let _ = writeln!(
            out,
            "  … and {} more calls not recorded",
            cloud.trail().dropped()
        );
    }
    out
}

/// The learner's resources in each region (`--state`).
pub fn state_section(cloud: &Cloud, color: bool) -> String {
    let mut out = String::new();
    let state = state_json(cloud);
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!("Resources of account {}", cloud.account()),
            color,
            |s| s.bold().to_string()
        )
    );
    let regions = state.as_object().cloned().unwrap_or_default();
    if regions.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for (region, r) in regions {
        let _ = writeln!(out, "  {}", paint(&region, color, |s| s.cyan().to_string()));
        for image in r["images"].as_array().into_iter().flatten() {
            let sharing = if image["public"] == json!(true) {
                "public".to_string()
            } else if let Some(users) = image["shared_with"].as_array().filter(|u| !u.is_empty()) {
                format!(
                    "shared with {}",
                    users
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                "private".to_string()
            };
            let _ = writeln!(
                out,
                "    image     {}  {:<10} {}  ({sharing})",
                image["image_id"].as_str().unwrap_or(""),
                image["state"].as_str().unwrap_or(""),
                image["name"].as_str().unwrap_or("")
            );
        }
        for i in r["instances"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "    instance  {}  {:<10} {} from {} in {}",
                i["instance_id"].as_str().unwrap_or(""),
                i["state"].as_str().unwrap_or(""),
                i["instance_type"].as_str().unwrap_or(""),
                i["image_id"].as_str().unwrap_or(""),
                i["availability_zone"].as_str().unwrap_or("")
            );
        }
        for s in r["snapshots"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "    snapshot  {}  {:<10} {} GiB",
                s["snapshot_id"].as_str().unwrap_or(""),
                s["state"].as_str().unwrap_or(""),
                s["volume_size"]
            );
        }
        for v in r["volumes"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "    volume    {}  {:<10} {} GiB",
                v["volume_id"].as_str().unwrap_or(""),
                v["state"].as_str().unwrap_or(""),
                v["size"]
            );
        }
        for p in r["image_pipelines"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "    pipeline  {}{}",
                p["name"].as_str().unwrap_or(""),
                p["schedule"]
                    .as_str()
                    .map(|s| format!("  {s}"))
                    .unwrap_or_default()
            );
            for i in p["images"].as_array().into_iter().flatten() {
                let version = i["arn"]
                    .as_str()
                    .and_then(|a| a.split_once(":image/"))
                    .map(|(_, v)| v)
                    .unwrap_or("");
                let amis = i["amis"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        format!(
                            "{} in {}",
                            a["image_id"].as_str().unwrap_or(""),
                            a["region"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(
                    out,
                    "              {version}  {:<12} {amis}",
                    i["status"].as_str().unwrap_or("")
                );
            }
        }
        for k in r["kms_keys"].as_array().into_iter().flatten() {
            let names = |key: &str| {
                k[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let aliases = names("aliases");
            let usable_by = names("usable_by");
            let _ = writeln!(
                out,
                "    kms key   {}  {:<10} {}{}",
                k["key_id"].as_str().unwrap_or(""),
                k["state"].as_str().unwrap_or(""),
                if aliases.is_empty() {
                    "(no alias)".to_string()
                } else {
                    aliases
                },
                if usable_by.is_empty() {
                    String::new()
                } else {
                    format!("  usable by {usable_by}")
                },
            );
        }
        for t in r["launch_templates"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "    template  {}  {}  default v{}, latest v{}",
                t["launch_template_id"].as_str().unwrap_or(""),
                t["launch_template_name"].as_str().unwrap_or(""),
                t["default_version_number"],
                t["latest_version_number"]
            );
        }
        for g in r["auto_scaling_groups"].as_array().into_iter().flatten() {
            let refresh = match &g["instance_refresh"] {
                Value::Object(r) => format!(
                    "  refresh {} {}%",
                    r["status"].as_str().unwrap_or(""),
                    r["percentage_complete"]
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "    group     {}  desired {} (min {}, max {})  {} {}{refresh}{}",
                g["auto_scaling_group_name"].as_str().unwrap_or(""),
                g["desired_capacity"],
                g["min_size"],
                g["max_size"],
                g["launch_template"].as_str().unwrap_or(""),
                g["version"].as_str().unwrap_or(""),
                g["status"]
                    .as_str()
                    .map(|s| format!("  ({s})"))
                    .unwrap_or_default(),
            );
            for m in g["instances"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "              {}  {:<11} {:<9} {}  {} (v{}){}",
                    m["instance_id"].as_str().unwrap_or(""),
                    m["lifecycle_state"].as_str().unwrap_or(""),
                    m["health_status"].as_str().unwrap_or(""),
                    m["availability_zone"].as_str().unwrap_or(""),
                    m["image_id"].as_str().unwrap_or(""),
                    m["version"],
                    if m["protected_from_scale_in"] == json!(true) {
                        "  protected"
                    } else {
                        ""
                    },
                );
            }
        }
    }
    bill_section(cloud, &mut out);
    out
}

/// How many bill lines `--state` prints before summing up the rest.
const BILL_LINES_SHOWN: usize = 8;

/// What the learner's account was charged since the run began (`--state`): the total and one
/// line per service, usage type, region and resource (Cost Explorer's names).
pub fn bill_json(cloud: &Cloud) -> Value {
    let bill = cloud.bill(cloud.account(), cloud.run_started_at(), cloud.now());
    json!({
        "since": clock::iso8601(cloud.run_started_at()),
        "until": clock::iso8601(cloud.now()),
        "total_usd": bill.total_usd,
        "lines": bill.lines,
    })
}

fn bill_section(cloud: &Cloud, out: &mut String) {
    let bill = bill_json(cloud);
    let lines = bill["lines"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(
        out,
        "  cost since the run began: ${}",
        bill["total_usd"].as_str().unwrap_or("0")
    );
    for l in lines.iter().take(BILL_LINES_SHOWN) {
        let _ = writeln!(
            out,
            "    {:<24} {:<28} {}  ${}",
            l["usage_type"].as_str().unwrap_or(""),
            l["resource_id"].as_str().unwrap_or(""),
            l["region"].as_str().unwrap_or(""),
            l["usd"].as_str().unwrap_or("")
        );
    }
    if lines.len() > BILL_LINES_SHOWN {
        let _ = writeln!(
            out,
            "    … and {} more charges (--format json lists them all)",
            lines.len() - BILL_LINES_SHOWN
        );
    }
}

/// The learner's resources per region (regions where it has none are left out).
pub fn state_json(cloud: &Cloud) -> Value {
    let account = cloud.account();
    let mut regions = serde_json::Map::new();
    for name in cloud.region_names() {
        let Some(r) = cloud.region(name) else {
            continue;
        };
        let mut images: Vec<_> = r
            .images()
            .filter(|i| i.owner_id == account && i.is_registered())
            .collect();
        images.sort_by_key(|i| i.seq);
        let mut instances: Vec<_> = r.instances().filter(|i| i.owner_id == account).collect();
        instances.sort_by_key(|i| i.seq);
        let mut snapshots: Vec<_> = r.snapshots().filter(|s| s.owner_id == account).collect();
        snapshots.sort_by_key(|s| s.seq);
        let mut volumes: Vec<_> = r.volumes().filter(|v| v.owner_id == account).collect();
        volumes.sort_by_key(|v| v.seq);
        let mut templates: Vec<_> = r
            .launch_templates()
            .filter(|t| t.owner_id == account)
            .collect();
        templates.sort_by_key(|t| (t.create_time, t.id.clone()));
        let groups: Vec<_> = cloud
            .auto_scaling_groups()
            .filter(|g| g.account == account && g.region == name)
            .collect();
        let pipelines: Vec<_> = cloud
            .image_pipelines()
            .filter(|p| p.account == account && p.region == name)
            .collect();
        let keys: Vec<_> = cloud
            .kms_keys()
            .into_iter()
            .filter(|k| k.account == account && k.region == name)
            .collect();
        if images.is_empty()
            && instances.is_empty()
            && snapshots.is_empty()
            && volumes.is_empty()
            && templates.is_empty()
            && groups.is_empty()
            && keys.is_empty()
            && pipelines.is_empty()
        {
            continue;
        }
        regions.insert(
            name.to_string(),
            json!({
                "launch_templates": templates.iter().map(|t| json!({
                    "launch_template_id": t.id, "launch_template_name": t.name,
                    "default_version_number": t.default_version,
                    "latest_version_number": t.versions.keys().next_back(),
                })).collect::<Vec<_>>(),
                "auto_scaling_groups": groups.iter().map(|g| group_json(g)).collect::<Vec<_>>(),
                "image_pipelines": pipelines.iter().map(|p| json!({
                    "name": p.name(), "arn": p.arn(), "schedule": p.schedule_expression(),
                    "images": cloud.pipeline_images(p.arn()).iter().map(|i| json!({
                        "arn": i.arn(), "status": i.status_name(), "reason": i.reason,
                        "amis": i.amis().iter().map(|a| json!({"region": a.region, "image_id": a.image})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "kms_keys": keys.iter().map(|k| json!({
                    "key_id": k.key_id, "state": k.state, "description": k.description,
                    "aliases": k.aliases, "usable_by": k.usable_by,
                })).collect::<Vec<_>>(),
                "images": images.iter().map(|i| json!({
                    "image_id": i.id, "name": i.name, "state": i.state.as_str(), "public": i.is_public(),
                    "shared_with": i.launch_permissions.user_ids.iter().collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "instances": instances.iter().map(|i| json!({
                    "instance_id": i.id, "state": i.state.as_str(), "instance_type": i.instance_type,
                    "image_id": i.image_id, "availability_zone": i.availability_zone,
                })).collect::<Vec<_>>(),
                "snapshots": snapshots.iter().map(|s| json!({
                    "snapshot_id": s.id, "state": s.state.as_str(), "volume_size": s.volume_size,
                })).collect::<Vec<_>>(),
                "volumes": volumes.iter().map(|v| json!({
                    "volume_id": v.id, "state": v.state.as_str(), "size": v.size,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    Value::Object(regions)
}

/// A group as `--state` shows it: capacity, template, members and its latest refresh.
fn group_json(g: &amilab_cloud::autoscaling::Group) -> Value {
    let spec = &g.launch_template;
    json!({
        "auto_scaling_group_name": g.name,
        "min_size": g.min_size, "max_size": g.max_size, "desired_capacity": g.desired_capacity,
        "launch_template": spec.launch_template_id.clone().or_else(|| spec.launch_template_name.clone()),
        "version": spec.version.clone().unwrap_or_else(|| "$Default".into()),
        "status": g.deleting.then_some("Delete in progress"),
        "instances": g.members.iter().map(|m| json!({
            "instance_id": m.instance_id, "lifecycle_state": m.lifecycle.as_str(),
            "health_status": if m.healthy { "Healthy" } else { "Unhealthy" },
            "availability_zone": m.availability_zone, "image_id": m.image_id,
            "version": m.launched_from.version, "protected_from_scale_in": m.protected_from_scale_in,
        })).collect::<Vec<_>>(),
        "instance_refresh": g.refreshes.last().map(|r| json!({
            "instance_refresh_id": r.id, "status": r.status.as_str(),
            "percentage_complete": r.percentage_complete, "status_reason": r.status_reason,
        })),
    })
}

/// The whole run as one JSON document (`schema_version` 1). Serializing plain records cannot
/// fail today; if a change ever makes it fail, the run says so instead of printing `null`.
pub fn json(view: &RunView) -> Result<String, serde_json::Error> {
    let f = view.report.failure.as_ref();
    let mut doc = json!({
        "schema_version": 1,
        "script": view.script_name,
        "seed": view.seed,
        "ok": f.is_none(),
        "output": view.report.output.lines.iter().map(|l| json!({"text": l.text, "debug": l.debug})).collect::<Vec<_>>(),
        "output_truncated": view.report.output.truncated,
        "error": f.map(|f| json!({
            "kind": match f.kind { FailureKind::Syntax => "syntax", FailureKind::Runtime => "runtime", FailureKind::Limit => "limit", FailureKind::Internal => "internal" },
            "code": f.code, "message": f.message, "line": f.line, "column": f.column,
            "help": view.help(f),
        })),
        "api_calls": view.cloud.api_calls(),
        "simulated_seconds": view.elapsed,
        "clock": clock::iso8601(view.cloud.now()),
    });
    if let Some(lab) = &view.lab {
        doc["lab"] = json!(lab.id);
        doc["learner"] = json!(lab.learner);
    }
    if view.show_trail {
        doc["trail"] = serde_json::to_value(view.cloud.trail().events())?;
    }
    if view.show_state {
        doc["state"] = state_json(view.cloud);
        doc["bill"] = bill_json(view.cloud);
    }
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

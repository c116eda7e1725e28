//! `amilab stats --html FILE`: one self-contained page for an instructor — summary, score
//! histogram and item chart as inline SVG (drawn with plotters' SVG backend), the item table,
//! the ungradable submissions and the AWS error codes. No JavaScript, no network, no external
//! CSS or fonts: it works offline, opened straight from disk, and its bytes depend only on the
//! statistics.

use plotters::prelude::*;

use super::json::round;
use super::statistics::{
    flag_rule, ClassStats, Discrimination, DISCRIMINATION_RULE, MAX_PASS_RATE, MIN_DISCRIMINATION,
    MIN_PASS_RATE, UNGRADABLE_RULE,
};
use super::text::{capitalized, discrimination, rate};
use crate::report::fmt_points;
use amilab_text::xml as esc;

/// The charts' colours: pass rate, discrimination, histogram bars, thresholds, grid text.
const BLUE: RGBColor = RGBColor(37, 99, 235);
const ORANGE: RGBColor = RGBColor(234, 88, 12);
const TEAL: RGBColor = RGBColor(13, 148, 136);
const RED: RGBColor = RGBColor(220, 38, 38);
const GREY: RGBColor = RGBColor(100, 116, 139);

/// Style sheet of the page: system fonts only, so that nothing is fetched.
const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; background: #f8fafc; color: #0f172a; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
.meta { color: #475569; margin: 0 0 16px; font-size: 0.9rem; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card .value { font-size: 1.5rem; font-weight: 600; }
.card .label { color: #475569; font-size: 0.85rem; }
figure { margin: 12px 0; background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #475569; font-size: 0.85rem; padding: 4px 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem; }
th, td { border: 1px solid #e2e8f0; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.flagged td { background: #fff7ed; }
.flag { display: inline-block; background: #fed7aa; color: #7c2d12; border-radius: 4px; padding: 0 6px; margin: 1px 2px; font-size: 0.8rem; white-space: nowrap; }
.why { color: #64748b; font-size: 0.8rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
.rules { color: #334155; font-size: 0.9rem; }
footer { color: #94a3b8; font-size: 0.8rem; margin-top: 40px; }
"#;

/// The page for `stats`.
///
/// # Errors
/// When plotters cannot draw a chart (it draws into a string, so this would be a bug).
pub fn render(stats: &ClassStats) -> Result<String, String> {
    let title = format!("Class statistics: {}", stats.title);
    let s = &stats.scores;
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    h.push_str(&format!(
        "<p class=\"meta\">{} <code>{}</code>, sha256 <code>{}</code>; read from {}</p>\n",
        esc(&stats.kind),
        esc(&stats.id),
        esc(&stats.sha256),
        stats
            .files
            .iter()
            .map(|f| format!("<code>{}</code>", esc(f)))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    // Summary cards.
    let na = || "n/a".to_string();
    let cards = [
        (stats.learners.to_string(), "learners"),
        (s.count.to_string(), "graded"),
        (stats.ungradable.len().to_string(), "ungradable"),
        (
            s.mean_percent
                .map_or_else(na, |m| format!("{}%", fmt_points(m))),
            "mean score",
        ),
        (
            s.median_percent
                .map_or_else(na, |m| format!("{}%", fmt_points(m))),
            "median score",
        ),
        (s.pass_rate.map_or_else(na, rate), "passed"),
    ];
    h.push_str("<section id=\"summary\" class=\"cards\">\n");
    for (value, label) in cards {
        h.push_str(&format!(
            "<div class=\"card\"><div class=\"value\">{value}</div><div class=\"label\">{label}</div></div>\n"
        ));
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"scores\">\n<h2>Score distribution</h2>\n<figure>\n");
    h.push_str(&histogram_svg(stats)?);
    h.push_str(&format!(
        "<figcaption>Graded submissions by score, in 10-point bins (100% counts in 90–100). {} of {} passed.</figcaption>\n</figure>\n</section>\n",
        s.passed, s.count
    ));

    h.push_str("<section id=\"items\">\n<h2>Items</h2>\n");
    if stats.items.is_empty() {
        h.push_str("<p>No item was graded.</p>\n");
    } else {
        h.push_str("<figure>\n");
        h.push_str(&items_svg(stats)?);
        h.push_str(&format!(
            "<figcaption>Per item (numbered as in the table): pass rate (difficulty) in blue, discrimination in orange; dashed red lines at the bounds of the rule below (pass rate {MAX_PASS_RATE} and {MIN_PASS_RATE}, discrimination {MIN_DISCRIMINATION}). An item without an orange bar has no defined discrimination.</figcaption>\n</figure>\n"
        ));
        h.push_str(&items_table(stats));
    }
    h.push_str("<div class=\"rules\">\n");
    for rule in [
        DISCRIMINATION_RULE.to_string(),
        flag_rule(),
        UNGRADABLE_RULE.to_string(),
    ] {
        h.push_str(&format!(
            "<p>{}</p>\n",
            esc(&amilab_text::sentence(&capitalized(&rule)))
        ));
    }
    h.push_str("</div>\n</section>\n");

    h.push_str("<section id=\"ungradable\">\n<h2>Ungradable submissions</h2>\n");
    if stats.ungradable.is_empty() {
        h.push_str("<p>Every submission could be graded.</p>\n");
    } else {
        h.push_str("<table>\n<thead><tr><th>Learner</th><th>Submission</th><th>Why</th></tr></thead>\n<tbody>\n");
        for u in &stats.ungradable {
            h.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                esc(&u.learner),
                esc(&u.submission),
                esc(&u.error)
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"aws-errors\">\n<h2>AWS error codes</h2>\n");
    if stats.aws_errors.is_empty() {
        h.push_str("<p>No AWS error in any learner's API trail.</p>\n");
    } else {
        h.push_str("<table>\n<thead><tr><th>Code</th><th>Learners</th><th>Occurrences</th></tr></thead>\n<tbody>\n");
        for e in &stats.aws_errors {
            h.push_str(&format!(
                "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&e.code),
                e.learners,
                e.occurrences
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
    h.push_str(&format!(
        "<footer>Made by <code>amilab stats</code> {}.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    Ok(h)
}

/// The item table.
fn items_table(stats: &ClassStats) -> String {
    let mut h = String::from(
        "<table id=\"item-table\">\n<thead><tr><th>#</th><th>Item</th><th>Pass rate</th><th>Mean points</th><th>Discrimination</th><th>Hints: learners</th><th>Hints: mean</th><th>Errors</th><th>Flags</th></tr></thead>\n<tbody>\n",
    );
    for i in &stats.items {
        let class = if i.flags.is_empty() {
            ""
        } else {
            " class=\"flagged\""
        };
        let disc = match &i.discrimination {
            Discrimination::Value(_) => discrimination(&i.discrimination),
            Discrimination::Undefined(why) => {
                format!("n/a<br><span class=\"why\">{}</span>", esc(why))
            }
        };
        let flags: String = i
            .flags
            .iter()
            .map(|f| format!("<span class=\"flag\">{}</span>", f.words()))
            .collect();
        h.push_str(&format!(
            "<tr{class}><td class=\"num\">{}</td><td>{}<br><code>{}</code></td><td class=\"num\">{} <span class=\"why\">({} of {})</span></td><td class=\"num\">{} / {}</td><td class=\"num\">{disc}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({})</td><td>{flags}</td></tr>\n",
            i.number,
            esc(&i.name),
            esc(&i.id),
            rate(i.pass_rate),
            i.full_marks,
            i.n,
            fmt_points(i.mean_points),
            fmt_points(i.max_points),
            i.hint_learners,
            fmt_points(i.mean_hints),
            i.errors,
            rate(i.error_share),
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

/// plotters' errors in words.
fn drawn<T, E: std::fmt::Debug>(r: Result<T, E>) -> Result<T, String> {
    r.map_err(|e| format!("cannot draw the charts: {e:?}"))
}

/// The score histogram as SVG.
fn histogram_svg(stats: &ClassStats) -> Result<String, String> {
    let hist = &stats.scores.histogram;
    let top = hist.iter().copied().max().unwrap_or(0).max(1);
    // Headroom above the tallest bar for its count.
    let y_max = (top as f64 * 1.15).ceil().max(top as f64 + 1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 360)).into_drawing_area();
        drawn(root.fill(&WHITE))?;
        let mut chart = drawn(
            ChartBuilder::on(&root)
                .margin(16)
                .x_label_area_size(48)
                .y_label_area_size(56)
                .build_cartesian_2d(0f64..100f64, 0f64..y_max),
        )?;
        drawn(
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(11)
                .y_labels(top.min(10) + 1)
                .x_label_formatter(&|v| format!("{v:.0}%"))
                .y_label_formatter(&|v| {
                    if (v - v.round()).abs() < 1e-9 {
                        format!("{v:.0}")
                    } else {
                        String::new()
                    }
                })
                .x_desc("Score")
                .y_desc("Learners")
                .label_style(("sans-serif", 15).into_font().color(&GREY))
                .axis_desc_style(("sans-serif", 16).into_font())
                .max_light_lines(0)
                .bold_line_style(RGBColor(226, 232, 240))
                .draw(),
        )?;
        drawn(chart.draw_series(hist.iter().enumerate().map(|(i, count)| {
            let x = i as f64 * 10.0;
            Rectangle::new([(x + 0.6, 0.0), (x + 9.4, *count as f64)], TEAL.filled())
        })))?;
        drawn(
            chart.draw_series(hist.iter().enumerate().filter(|(_, c)| **c > 0).map(
                |(i, count)| {
                    Text::new(
                        count.to_string(),
                        (i as f64 * 10.0 + 4.2, *count as f64 + y_max * 0.06),
                        ("sans-serif", 15).into_font(),
                    )
                },
            )),
        )?;
        drawn(root.present())?;
    }
    Ok(tidy(
        svg,
        "score-histogram",
        "Histogram of the graded scores",
    ))
}

/// The per-item chart (pass rate and discrimination side by side) as SVG.
fn items_svg(stats: &ClassStats) -> Result<String, String> {
    let k = stats.items.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 420)).into_drawing_area();
        drawn(root.fill(&WHITE))?;
        let mut chart = drawn(
            ChartBuilder::on(&root)
                .margin(16)
                .x_label_area_size(40)
                .y_label_area_size(56)
                .build_cartesian_2d(-0.5f64..(k as f64 - 0.5), -1f64..1f64),
        )?;
        drawn(
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(k)
                .y_labels(11)
                .x_label_formatter(&|v| {
                    // Item numbers under the integer positions, nothing between them.
                    if (v - v.round()).abs() < 1e-9 && *v >= -1e-9 {
                        format!("#{}", v.round() as i64 + 1)
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| format!("{v:.1}"))
                .x_desc("Item")
                .y_desc("Rate / correlation")
                .label_style(("sans-serif", 15).into_font().color(&GREY))
                .axis_desc_style(("sans-serif", 16).into_font())
                .max_light_lines(0)
                .bold_line_style(RGBColor(226, 232, 240))
                .draw(),
        )?;
        let line = |y: f64, color: RGBColor| {
            // Dashes: short segments along the whole width.
            let (from, to) = (-0.5, k as f64 - 0.5);
            let step = (to - from) / 120.0;
            (0..120)
                .step_by(2)
                .map(move |j| {
                    let x = from + j as f64 * step;
                    PathElement::new(vec![(x, y), (x + step, y)], color.stroke_width(1))
                })
                .collect::<Vec<_>>()
        };
        let mut thresholds = vec![MAX_PASS_RATE, MIN_PASS_RATE, MIN_DISCRIMINATION];
        thresholds.sort_by(f64::total_cmp);
        thresholds.dedup();
        for y in thresholds {
            drawn(chart.draw_series(line(y, RED)))?;
        }
        drawn(chart.draw_series(std::iter::once(PathElement::new(
            vec![(-0.5, 0.0), (k as f64 - 0.5, 0.0)],
            BLACK.stroke_width(1),
        ))))?;
        drawn(
            chart.draw_series(stats.items.iter().enumerate().map(|(x, item)| {
                let x = x as f64;
                Rectangle::new([(x - 0.36, 0.0), (x - 0.02, item.pass_rate)], BLUE.filled())
            })),
        )?
        .label("pass rate")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BLUE.filled()));
        drawn(
            chart.draw_series(stats.items.iter().enumerate().filter_map(|(x, item)| {
                let r = item.discrimination.value()?;
                let x = x as f64;
                Some(Rectangle::new(
                    [(x + 0.02, 0.0), (x + 0.36, round(r, 3))],
                    ORANGE.filled(),
                ))
            })),
        )?
        .label("discrimination")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], ORANGE.filled()));
        drawn(
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerLeft)
                .label_font(("sans-serif", 15).into_font())
                .background_style(WHITE.mix(0.9))
                .border_style(RGBColor(203, 213, 225))
                .draw(),
        )?;
        drawn(root.present())?;
    }
    Ok(tidy(
        svg,
        "item-chart",
        "Pass rate and discrimination per item",
    ))
}

/// plotters' SVG with an id and an accessible name, ready to sit inline in HTML.
fn tidy(svg: String, id: &str, label: &str) -> String {
    let svg = svg
        .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .trim_start();
    let mut out = svg.replacen(
        "<svg ",
        &format!(
            "<svg id=\"{id}\" role=\"img\" aria-label=\"{}\" ",
            esc(label)
        ),
        1,
    );
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

//! The lineage as a self-contained SVG: one box per region, stacked top to bottom, and inside
//! each, columns by generation (an image right of the instance it was made from, its
//! snapshots and copies right of it, the instances launched from it right of those).
//!
//! The layout is our own, a simple layered one, not a layout crate's: the graph is small and
//! always flows forward in time (a node is created after everything pointing at it), so a
//! node's column is its longest path from a root and nodes never need untangling beyond
//! ordering each column by its parents. `layout-rs` (a pure-Rust Graphviz-style layout) was the
//! candidate; its documentation says it lacks nested graphs, so it has no clusters to draw a
//! region as a box, which is the point here. Our layout needs no external program (Graphviz
//! is not assumed), is integer arithmetic on sorted data (byte-identical output on every
//! machine), and takes microseconds. Text widths are estimated for a monospace font at a fixed
//! size, so boxes fit their text without measuring fonts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use amilab_text::xml;

use crate::lineage::{Access, Lineage};
use crate::mermaid::{group_lines, image_lines, instance_lines, snapshot_lines, template_lines};

/// Font size of node text, px.
const FONT: u32 = 12;
/// Advance of one monospace character at [`FONT`] px, in tenths of a px (DejaVu Sans Mono:
/// 0.602 em).
const CHAR_W10: u32 = 73;
/// Height of one text line, px.
const LINE_H: u32 = 16;
/// Padding inside a node box, px.
const PAD: u32 = 8;
/// Longest line a node shows before it is cut with `…`.
const MAX_CHARS: usize = 44;
/// Horizontal room between columns (for edges and their labels), px.
const GAP_X: u32 = 90;
/// Vertical room between nodes of one column, px.
const GAP_Y: u32 = 18;
/// Margin around the picture and inside a region's box, px.
const MARGIN: u32 = 16;
/// Height of a region box's title bar, px.
const TITLE_H: u32 = 26;

/// What kind of node a box is: its colours and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Instance,
    Image,
    Snapshot,
    Template,
    Group,
}

/// One node to place.
#[derive(Debug, Clone)]
struct Node {
    id: String,
    region: usize,
    kind: Kind,
    lines: Vec<String>,
    /// `deregistered`, `orphaned`, `public` or empty.
    mark: &'static str,
}

/// A placed box, in px.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

/// The picture of `lineage`. An empty lineage gives a small picture that says so.
pub fn render(lineage: &Lineage) -> String {
    if lineage.is_empty() {
        let text = "No images, snapshots or instances of yours in this world";
        let w = 2 * MARGIN + text_width(text.chars().count());
        let h = 2 * MARGIN + LINE_H;
        let mut out = header(w, h);
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"{FONT}\" fill=\"#333333\">{}</text>",
            MARGIN + FONT,
            xml(text)
        );
        out.push_str("</svg>\n");
        return out;
    }
    let nodes = nodes(lineage);
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let edges: Vec<(usize, usize, &'static str)> = lineage
        .edges
        .iter()
        .filter_map(|e| {
            Some((
                *index.get(e.from.as_str())?,
                *index.get(e.to.as_str())?,
                e.kind.label(),
            ))
        })
        .collect();
    let rank = ranks(nodes.len(), &edges);
    let columns = rank.iter().max().map_or(1, |r| r + 1);

    // Column widths: the widest text in the column, bounded.
    let mut col_w = vec![0u32; columns];
    for (i, n) in nodes.iter().enumerate() {
        let chars = n.lines.iter().map(|l| fit(l).chars().count()).max();
        let w = text_width(chars.unwrap_or(0)) + 2 * PAD;
        col_w[rank[i]] = col_w[rank[i]].max(w);
    }
    let mut col_x = Vec::with_capacity(columns);
    let mut x = 2 * MARGIN;
    for w in &col_w {
        col_x.push(x);
        x += w + GAP_X;
    }
    let width = x - GAP_X + 2 * MARGIN;

    // Rows: region by region, each column ordered by its nodes' parents, then kind and id.
    let mut rects: Vec<Option<Rect>> = vec![None; nodes.len()];
    let mut order: Vec<usize> = vec![usize::MAX; nodes.len()];
    let mut placed = 0usize;
    let mut boxes = Vec::new();
    let mut y = MARGIN;
    for (r, region) in lineage.regions.iter().enumerate() {
        let top = y;
        let mut bottom = top + TITLE_H;
        for (c, &cx) in col_x.iter().enumerate() {
            let mut members: Vec<usize> = (0..nodes.len())
                .filter(|&i| nodes[i].region == r && rank[i] == c)
                .collect();
            members.sort_by_key(|&i| {
                let parent = edges
                    .iter()
                    .filter(|(_, to, _)| *to == i)
                    .map(|(from, _, _)| order[*from])
                    .min()
                    .unwrap_or(usize::MAX);
                (parent, nodes[i].kind, nodes[i].id.clone())
            });
            let mut cy = top + TITLE_H + MARGIN / 2;
            for i in members {
                let h = 2 * PAD + LINE_H * nodes[i].lines.len() as u32;
                rects[i] = Some(Rect {
                    x: cx,
                    y: cy,
                    w: col_w[c],
                    h,
                });
                order[i] = placed;
                placed += 1;
                cy += h + GAP_Y;
                bottom = bottom.max(cy - GAP_Y);
            }
        }
        let bottom = bottom + MARGIN;
        boxes.push((region.name.as_str(), top, bottom - top));
        y = bottom + MARGIN;
    }
    let height = y;

    let mut out = header(width, height);
    out.push_str(concat!(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ",
        "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">",
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker></defs>\n"
    ));
    for (name, top, h) in &boxes {
        let _ = writeln!(
            out,
            "<g class=\"region\"><rect x=\"{MARGIN}\" y=\"{top}\" width=\"{}\" height=\"{h}\" rx=\"8\" fill=\"#fafafa\" stroke=\"#9aa5b1\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" fill=\"#243b53\">{}</text></g>",
            width - 2 * MARGIN,
            MARGIN + PAD,
            top + 18,
            xml(name)
        );
    }
    for (i, n) in nodes.iter().enumerate() {
        let Some(r) = rects[i] else { continue };
        let (fill, stroke, ink) = match (n.kind, n.mark) {
            (_, "deregistered") => ("#f2f2f2", "#888888", "#555555"),
            (_, "orphaned") => ("#fdecea", "#c0392b", "#5c1710"),
            // An image of one's own that anyone may launch: worth a second look.
            (_, "public") => ("#e8f1fb", "#c0392b", "#10253f"),
            (Kind::Image, _) => ("#e8f1fb", "#2f6fb3", "#10253f"),
            (Kind::Snapshot, _) => ("#eef7ee", "#3c8d40", "#16361a"),
            (Kind::Instance, _) => ("#fff6e5", "#b7791f", "#3d2a07"),
            (Kind::Template, _) => ("#f3e8fd", "#7b3fb3", "#2e1245"),
            (Kind::Group, _) => ("#e6f6f7", "#1f7a80", "#0b3033"),
        };
        let dash = if n.mark == "deregistered" {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let stroke_w = if n.mark == "public" { 3 } else { 1 };
        let rx = match n.kind {
            Kind::Image => 14,
            Kind::Snapshot => 2,
            Kind::Instance | Kind::Template | Kind::Group => 4,
        };
        let _ = write!(
            out,
            "<g class=\"node\" id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_w}\"{dash}/>",
            xml(&n.id),
            r.x,
            r.y,
            r.w,
            r.h
        );
        for (l, line) in n.lines.iter().enumerate() {
            let weight = if l == 0 { " font-weight=\"bold\"" } else { "" };
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" fill=\"{ink}\"{weight}>{}</text>",
                r.x + PAD,
                r.y + PAD + LINE_H * l as u32 + FONT,
                xml(&fit(line))
            );
        }
        out.push_str("</g>\n");
    }
    // Edges last, above the boxes they may cross, labels on a white halo. A label sits over the
    // edge's last stretch, which runs level into its target: where fanned-out edges from one
    // source have parted, so labels do not pile up at the source.
    for &(from, to, label) in &edges {
        let (Some(a), Some(b)) = (rects[from], rects[to]) else {
            continue;
        };
        let (x1, y1) = (a.x + a.w, a.y + a.h / 2);
        let (x2, y2) = (b.x, b.y + b.h / 2);
        let bend = GAP_X / 2;
        let _ = writeln!(
            out,
            "<g class=\"edge\"><path d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#333333\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{label}</text></g>",
            x1 + bend,
            x2.saturating_sub(bend),
            x2.saturating_sub(10),
            y2.saturating_sub(7),
        );
    }
    out.push_str("</svg>\n");
    out
}

fn header(w: u32, h: u32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n"
    )
}

/// Every node of the lineage in region order, then instances, images, snapshots, launch
/// templates and groups by id.
fn nodes(lineage: &Lineage) -> Vec<Node> {
    let mut nodes = Vec::new();
    for (r, region) in lineage.regions.iter().enumerate() {
        for i in &region.instances {
            nodes.push(Node {
                id: i.id.clone(),
                region: r,
                kind: Kind::Instance,
                lines: instance_lines(i),
                mark: "",
            });
        }
        for i in &region.images {
            let mark = if i.is_deregistered() {
                "deregistered"
            } else if i.access == Access::Public && !i.catalogue {
                "public"
            } else {
                ""
            };
            nodes.push(Node {
                id: i.id.clone(),
                region: r,
                kind: Kind::Image,
                lines: image_lines(i),
                mark,
            });
        }
        for s in &region.snapshots {
            nodes.push(Node {
                id: s.id.clone(),
                region: r,
                kind: Kind::Snapshot,
                lines: snapshot_lines(s),
                mark: if s.orphaned { "orphaned" } else { "" },
            });
        }
        for t in &region.launch_templates {
            nodes.push(Node {
                id: t.id.clone(),
                region: r,
                kind: Kind::Template,
                lines: template_lines(t),
                mark: "",
            });
        }
        for g in &region.groups {
            nodes.push(Node {
                id: g.id.clone(),
                region: r,
                kind: Kind::Group,
                lines: group_lines(g),
                mark: "",
            });
        }
    }
    nodes
}

/// Each node's column: the length of the longest path reaching it. Lineage edges follow
/// creation order, so there is no cycle; should one appear, relaxing stops after as many
/// rounds as there are nodes and the picture is still drawn.
fn ranks(count: usize, edges: &[(usize, usize, &str)]) -> Vec<usize> {
    let mut rank = vec![0usize; count];
    for _ in 0..count {
        let mut changed = false;
        for &(from, to, _) in edges {
            if rank[to] < rank[from] + 1 {
                rank[to] = rank[from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rank
}

/// Width of `chars` monospace characters, px (rounded up).
fn text_width(chars: usize) -> u32 {
    (chars as u32 * CHAR_W10).div_ceil(10)
}

/// The line, cut to [`MAX_CHARS`] with `…`.
fn fit(line: &str) -> String {
    if line.chars().count() <= MAX_CHARS {
        line.to_string()
    } else {
        let mut cut: String = line.chars().take(MAX_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lineage::tests::copied_world;
    use amilab_cloud::{Cloud, WorldConfig};

    /// The `rect` of every node group: (id, x, y, w, h).
    fn node_rects(svg: &str) -> Vec<(String, f64, f64, f64, f64)> {
        let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("node"))
            .map(|g| {
                let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
                let num = |a: &str| rect.attribute(a).unwrap().parse::<f64>().unwrap();
                (
                    g.attribute("id").unwrap().to_string(),
                    num("x"),
                    num("y"),
                    num("width"),
                    num("height"),
                )
            })
            .collect()
    }

    #[test]
    fn the_picture_is_xml_with_every_node_and_no_overlap() {
        let (cloud, ids) = copied_world();
        let svg = render(&Lineage::of(&cloud));
        let rects = node_rects(&svg);
        for id in &ids {
            assert!(rects.iter().any(|r| &r.0 == id), "{id} missing");
        }
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let apart =
                    a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1 || a.2 + a.4 <= b.2 || b.2 + b.4 <= a.2;
                assert!(apart, "{} overlaps {}", a.0, b.0);
            }
        }
        // The learner's quotes and brackets are escaped, not markup.
        assert!(svg.contains("web [v1] (it&apos;s) @x"));
        assert!(
            !svg.contains("http-equiv") && !svg.contains("<script") && !svg.contains("@import")
        );
    }

    #[test]
    fn an_empty_world_is_a_small_picture_that_says_so() {
        let svg = render(&Lineage::of(&Cloud::new(WorldConfig::default())));
        roxmltree::Document::parse(&svg).unwrap();
        assert!(svg.contains("No images, snapshots or instances"));
    }

    #[test]
    fn columns_follow_generations() {
        let edges = [(0, 1, "a"), (1, 2, "b"), (0, 2, "c"), (3, 3, "loop")];
        assert_eq!(ranks(4, &edges)[..3], [0, 1, 2]);
        assert_eq!(fit(&"x".repeat(60)).chars().count(), MAX_CHARS);
    }
}

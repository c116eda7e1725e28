//! The lineage as a Mermaid `flowchart LR`: one `subgraph` per region, labelled nodes and edges,
//! ready for a ```` ```mermaid ```` block that GitHub renders.
//!
//! Labels are double-quoted and every character outside a small safe set is written as a
//! Mermaid entity code (`#35;` for `#`, `#quot;`-style numbers for quotes, brackets, `<`,
//! backticks), so a learner's AMI name can neither break the diagram nor end the fenced block
//! it sits in. Node ids are the resource ids with every other character turned to `_`, prefixed
//! so that none is a Mermaid keyword (`end`) or starts an edge shape (`o`, `x`).

use std::fmt::Write as _;

use crate::lineage::{GroupNode, ImageNode, InstanceNode, Lineage, SnapshotNode, TemplateNode};

/// The diagram of `lineage`. An empty lineage gives a one-node diagram that says so.
pub fn render(lineage: &Lineage) -> String {
    let mut out = String::from("flowchart LR\n");
    if lineage.is_empty() {
        out.push_str(&format!(
            "  empty[\"{}\"]\n",
            escape("No images, snapshots or instances of yours in this world")
        ));
        return out;
    }
    let mut classes: Vec<(&str, Vec<String>)> = vec![
        ("image", Vec::new()),
        ("snapshot", Vec::new()),
        ("instance", Vec::new()),
        ("template", Vec::new()),
        ("group", Vec::new()),
        ("deregistered", Vec::new()),
        ("orphaned", Vec::new()),
        ("public", Vec::new()),
    ];
    let mut add = |class: &str, id: &str| {
        if let Some((_, ids)) = classes.iter_mut().find(|(c, _)| *c == class) {
            ids.push(node_id(id));
        }
    };
    for region in &lineage.regions {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            region_id(&region.name),
            escape(&region.name)
        );
        for image in &region.images {
            let _ = writeln!(
                out,
                "    {}([\"{}\"])",
                node_id(&image.id),
                join(&image_lines(image))
            );
            add("image", &image.id);
            if image.is_deregistered() {
                add("deregistered", &image.id);
            }
            // A public image of one's own is worth a second look; the catalogue's are public by
            // design.
            if image.access == crate::lineage::Access::Public && !image.catalogue {
                add("public", &image.id);
            }
        }
        for snap in &region.snapshots {
            let _ = writeln!(
                out,
                "    {}[(\"{}\")]",
                node_id(&snap.id),
                join(&snapshot_lines(snap))
            );
            add("snapshot", &snap.id);
            if snap.orphaned {
                add("orphaned", &snap.id);
            }
        }
        for instance in &region.instances {
            let _ = writeln!(
                out,
                "    {}[\"{}\"]",
                node_id(&instance.id),
                join(&instance_lines(instance))
            );
            add("instance", &instance.id);
        }
        for template in &region.launch_templates {
            let _ = writeln!(
                out,
                "    {}{{{{\"{}\"}}}}",
                node_id(&template.id),
                join(&template_lines(template))
            );
            add("template", &template.id);
        }
        for group in &region.groups {
            let _ = writeln!(
                out,
                "    {}[[\"{}\"]]",
                node_id(&group.id),
                join(&group_lines(group))
            );
            add("group", &group.id);
        }
        out.push_str("  end\n");
    }
    for edge in &lineage.edges {
        let _ = writeln!(
            out,
            "  {} -->|{}| {}",
            node_id(&edge.from),
            edge.kind.label(),
            node_id(&edge.to)
        );
    }
    out.push_str(concat!(
        "  classDef image fill:#e8f1fb,stroke:#2f6fb3,color:#10253f\n",
        "  classDef snapshot fill:#eef7ee,stroke:#3c8d40,color:#16361a\n",
        "  classDef instance fill:#fff6e5,stroke:#b7791f,color:#3d2a07\n",
        "  classDef template fill:#f3e8fd,stroke:#7b3fb3,color:#2e1245\n",
        "  classDef group fill:#e6f6f7,stroke:#1f7a80,color:#0b3033\n",
        "  classDef deregistered fill:#f2f2f2,stroke:#888888,color:#555555,stroke-dasharray:5 5\n",
        "  classDef orphaned fill:#fdecea,stroke:#c0392b,color:#5c1710\n",
        "  classDef public stroke:#c0392b,stroke-width:3px\n",
    ));
    for (class, ids) in &classes {
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out
}

/// The text lines of an image's node (shared with the SVG).
pub(crate) fn image_lines(image: &ImageNode) -> Vec<String> {
    let mut lines = vec![
        image.name.clone(),
        image.id.clone(),
        format!(
            "{}, {}, {}, {}",
            image.state, image.architecture, image.virtualization, image.root_device
        ),
        format!(
            "{}, {}",
            if image.encrypted {
                "encrypted"
            } else {
                "unencrypted"
            },
            image.access.describe()
        ),
    ];
    let mut notes = Vec::new();
    if let Some(owner) = &image.owner {
        notes.push(format!("owner {owner}"));
    }
    if image.deprecated {
        notes.push("deprecated".to_string());
    }
    if image.is_deregistered() {
        notes.push("DEREGISTERED".to_string());
    }
    if !notes.is_empty() {
        lines.push(notes.join(", "));
    }
    lines
}

/// The text lines of a snapshot's node.
pub(crate) fn snapshot_lines(snap: &SnapshotNode) -> Vec<String> {
    let mut lines = vec![
        snap.id.clone(),
        format!(
            "{}, {} GiB, {}",
            snap.state,
            snap.size_gib,
            if snap.encrypted {
                "encrypted"
            } else {
                "unencrypted"
            }
        ),
    ];
    if snap.orphaned {
        lines.push("ORPHANED: no image uses it".to_string());
    }
    lines
}

/// The text lines of an instance's node.
pub(crate) fn instance_lines(instance: &InstanceNode) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(name) = &instance.name {
        lines.push(name.clone());
    }
    lines.push(instance.id.clone());
    lines.push(format!("{}, {}", instance.state, instance.instance_type));
    if let Some(group) = &instance.group {
        lines.push(format!("in group {group}"));
    }
    lines
}

/// The text lines of a launch template's node.
pub(crate) fn template_lines(template: &TemplateNode) -> Vec<String> {
    vec![
        template.name.clone(),
        template.id.clone(),
        format!(
            "launch template, default v{}, latest v{}",
            template.default_version, template.latest_version
        ),
    ]
}

/// The text lines of an Auto Scaling group's node.
pub(crate) fn group_lines(group: &GroupNode) -> Vec<String> {
    vec![
        group.name.clone(),
        "Auto Scaling group".to_string(),
        format!(
            "desired {} (min {}, max {}), {} in service",
            group.desired, group.min, group.max, group.in_service
        ),
    ]
}

fn join(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Text for inside a double-quoted Mermaid label: letters, digits, space and `.,:/@=+-_()`
/// stay; everything else becomes an entity code (`#35;`), which Mermaid turns back into the
/// character. No quote, bracket, `<`, `#`, backtick or newline is left to be read as syntax.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " .,:/@=+-_()".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

/// A node id safe anywhere in a flowchart: `n_` and the resource id with every character
/// other than an ASCII letter or digit turned to `_` (resource ids are unique, and their
/// characters are letters, digits and `-`, so two ids never meet).
pub fn node_id(id: &str) -> String {
    format!("n_{}", safe(id))
}

fn region_id(name: &str) -> String {
    format!("region_{}", safe(name))
}

fn safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lineage::tests::copied_world;
    use amilab_cloud::{Cloud, WorldConfig};

    #[test]
    fn an_empty_world_is_a_small_valid_diagram_that_says_so() {
        let text = render(&Lineage::of(&Cloud::new(WorldConfig::default())));
        assert_eq!(
            text,
            "flowchart LR\n  empty[\"No images, snapshots or instances of yours in this world\"]\n"
        );
    }

    #[test]
    fn labels_escape_quotes_hashes_brackets_and_backticks() {
        assert_eq!(
            escape("a\"b#c<d>[e]`f"),
            "a#34;b#35;c#60;d#62;#91;e#93;#96;f"
        );
        assert_eq!(escape("line\nbreak;"), "line#10;break#59;");
        assert_eq!(escape("café"), "caf#233;");
        assert_eq!(node_id("ami-0abc"), "n_ami_0abc");
    }

    #[test]
    fn a_learners_odd_image_name_cannot_break_the_diagram() {
        let text = render(&Lineage::of(&copied_world().0));
        assert!(text.contains("web #91;v1#93; (it#39;s) @x"), "{text}");
        for line in text.lines() {
            // Quotes only delimit labels: an even number on every line, none inside.
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
            assert!(!line.contains('`'), "{line}");
        }
        assert!(text.contains("-->|copy|"));
        assert!(text.contains("-->|launched|"));
        assert!(text.contains("-->|create_image|"));
        assert!(text.contains("-->|snapshot|"));
        assert!(text.contains("subgraph region_eu_west_1[\"eu-west-1\"]"));
    }
}

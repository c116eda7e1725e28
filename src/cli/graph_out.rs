//! `--graph FILE` of `amilab run` and `amilab check`: the final state's AMI lineage (see the
//! `amilab-graph` crate), as Mermaid or SVG by the file's extension, or Mermaid on standard
//! output after the report for `-`; and the Mermaid section of the GitHub step summary.

use std::path::{Path, PathBuf};

use amilab_cloud::Cloud;
use amilab_graph::{mermaid, svg, Lineage};

use super::CliError;
use crate::diagnostic::io_reason;

/// How a picture is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// A Mermaid flowchart, as it is (`.mmd`).
    Mermaid,
    /// A Mermaid flowchart in a ```` ```mermaid ```` block, which GitHub shows as the
    /// picture (`.md`).
    MermaidMarkdown,
    /// A self-contained SVG (`.svg`).
    Svg,
}

/// Where `--graph` sends the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `-`: Mermaid on standard output, after the report.
    Stdout,
    /// A file, in the format its extension names.
    File(PathBuf, Picture),
}

/// The target `--graph ARG` names, checked before anything runs: an extension other than
/// `.mmd`, `.md` or `.svg` is a usage error (exit 2) naming them. `stdout_free` says whether
/// standard output may carry Mermaid after the report (not when it is JSON or another format
/// read by tools); `-` is refused otherwise.
pub fn target(arg: Option<&Path>, stdout_free: bool) -> Result<Option<Target>, CliError> {
    let Some(path) = arg else {
        return Ok(None);
    };
    if path == Path::new("-") {
        if !stdout_free {
            return Err(CliError::usage(
                "`--graph -` cannot be used with this `--format`: standard output carries a report read by tools\n  = help: write the picture to a file instead: `--graph lineage.mmd` or `--graph lineage.svg`",
            ));
        }
        return Ok(Some(Target::Stdout));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let picture = match ext.as_deref() {
        Some("mmd") => Picture::Mermaid,
        Some("md") => Picture::MermaidMarkdown,
        Some("svg") => Picture::Svg,
        _ => {
            let what = match &ext {
                Some(e) => format!("`.{e}` is not a picture format amilab writes"),
                None => "the file has no extension to tell the picture's format".to_string(),
            };
            return Err(CliError::usage(format!(
                "cannot write the graph to `{}`: {what}\n  = help: name a file ending in `.mmd` or `.md` (Mermaid) or `.svg` (SVG), or `-` for Mermaid on standard output",
                path.display()
            )));
        }
    };
    Ok(Some(Target::File(path.to_path_buf(), picture)))
}

/// The picture of `cloud` in `picture`'s format.
pub fn render(cloud: &Cloud, picture: Picture) -> String {
    let lineage = Lineage::of(cloud);
    match picture {
        Picture::Mermaid => mermaid::render(&lineage),
        Picture::MermaidMarkdown => fenced(&mermaid::render(&lineage)),
        Picture::Svg => svg::render(&lineage),
    }
}

/// Writes the picture of `cloud` to `target`: a file is written now, and the text for
/// standard output (a blank line, then the Mermaid) is returned. A file that cannot be
/// written is a usage error naming it (exit 2).
pub fn write(target: &Target, cloud: &Cloud) -> Result<Option<String>, CliError> {
    match target {
        Target::Stdout => Ok(Some(format!("\n{}", render(cloud, Picture::Mermaid)))),
        Target::File(path, picture) => {
            std::fs::write(path, render(cloud, *picture)).map_err(|e| {
                CliError::usage(format!(
                    "cannot write the graph to `{}`: {}\n  = help: check that the folder exists and that you may write there",
                    path.display(),
                    io_reason(&e)
                ))
            })?;
            Ok(None)
        }
    }
}

/// What standard error says when `--graph` was asked for but there is no state to draw: the
/// run or the grading stopped on an internal error (a bug), which may have left the cloud
/// half-way through a change.
pub fn not_drawn(target: &Target) -> String {
    let what = match target {
        Target::Stdout => "standard output".to_string(),
        Target::File(path, _) => format!("`{}`", path.display()),
    };
    format!("note: no graph was written to {what}: there is no final state to draw after an internal error\n")
}

/// The section the GitHub step summary ends with: the lineage of the graded state, which
/// GitHub draws from the ```` ```mermaid ```` block. The Mermaid escapes every backtick, so no
/// learner text can close the block.
pub fn github_summary(cloud: &Cloud) -> String {
    let mermaid = render(cloud, Picture::Mermaid);
    let body = if fits_github(&mermaid) {
        fenced(&mermaid)
    } else {
        "Too large for GitHub to draw. Draw it yourself: `amilab check LAB SCRIPT --graph lineage.svg`.\n".to_string()
    };
    format!("\n#### Your cloud at the end (AMI lineage)\n\n{body}")
}

/// Within the limits of the Mermaid GitHub runs (its defaults: `maxTextSize` 50,000
/// characters, `maxEdges` 500); past them GitHub shows an error instead of the picture.
fn fits_github(mermaid: &str) -> bool {
    mermaid.len() <= 50_000 && mermaid.matches(" -->|").count() <= 500
}

fn fenced(mermaid: &str) -> String {
    format!("```mermaid\n{mermaid}```\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        let t = |p: &str| target(Some(Path::new(p)), true);
        assert_eq!(
            t("a/b.mmd").unwrap(),
            Some(Target::File("a/b.mmd".into(), Picture::Mermaid))
        );
        assert_eq!(
            t("b.MD").unwrap(),
            Some(Target::File("b.MD".into(), Picture::MermaidMarkdown))
        );
        assert_eq!(
            t("c.svg").unwrap(),
            Some(Target::File("c.svg".into(), Picture::Svg))
        );
        assert_eq!(t("-").unwrap(), Some(Target::Stdout));
        assert_eq!(target(None, true).unwrap(), None);
    }

    #[test]
    fn another_extension_or_a_busy_stdout_is_a_usage_error_that_says_what_to_do() {
        for bad in ["out.png", "out"] {
            let e = target(Some(Path::new(bad)), true).unwrap_err();
            assert_eq!(e.code, super::super::exit::USAGE);
            assert!(e.message.contains("`.mmd` or `.md`"), "{}", e.message);
            assert!(e.message.contains("= help:"), "{}", e.message);
        }
        let e = target(Some(Path::new("-")), false).unwrap_err();
        assert!(e.message.contains("--graph lineage.mmd"), "{}", e.message);
    }

    #[test]
    fn markdown_and_the_summary_fence_the_mermaid() {
        let cloud = Cloud::default();
        let md = render(&cloud, Picture::MermaidMarkdown);
        assert!(md.starts_with("```mermaid\nflowchart LR\n") && md.ends_with("\n```\n"));
        assert!(github_summary(&cloud).contains("#### Your cloud at the end"));
    }

    #[test]
    fn a_diagram_past_githubs_limits_is_left_out_saying_why() {
        assert!(fits_github("flowchart LR\n"));
        assert!(!fits_github(&"x".repeat(50_001)));
        assert!(!fits_github(&"  a -->|launched| b\n".repeat(501)));
    }
}

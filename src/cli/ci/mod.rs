//! `amilab ci init github|gitlab|gradescope`: write a ready CI grading kit for one lab or quiz,
//! pinned to that content's sha256, and say what to edit before pushing.

pub mod kits;

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::{CliError, Outcome};
use kits::Kit;

#[derive(Debug, Subcommand)]
pub enum CiCommand {
    /// Write a CI kit into DIR: GitHub Classroom's workflow, a GitLab CI job, or Gradescope's
    /// setup.sh and run_autograder. Existing files are never overwritten without --force.
    Init(InitArgs),
}

/// Where a kit runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Platform {
    /// GitHub Classroom: .github/workflows/classroom.yml with Classroom's grading reporter.
    Github,
    /// GitLab CI: .gitlab-ci.yml with a JUnit report.
    Gitlab,
    /// Gradescope: setup.sh and run_autograder (zip DIR's contents as the autograder).
    Gradescope,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("content").required(true).args(["lab", "quiz"])))]
pub struct InitArgs {
    /// Where the kit runs.
    #[arg(value_enum)]
    pub platform: Platform,
    /// The lab to grade: a built-in id, or the path of a lab.yaml / lab directory inside DIR.
    #[arg(long, value_name = "ID_OR_PATH")]
    pub lab: Option<String>,
    /// The quiz to grade (answers.yaml): a built-in id, or the path of a quiz file inside DIR.
    #[arg(long, value_name = "ID_OR_PATH")]
    pub quiz: Option<String>,
    /// The folder to write the kit into: the repository's root (GitHub, GitLab) or the
    /// autograder's folder (Gradescope). Created if missing.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite the kit's files where they already exist.
    #[arg(long)]
    pub force: bool,
    /// The git URL the kit's install step builds amilab from (`cargo install --git URL`).
    /// Without it the kit has a placeholder, and its install step stops with an error until
    /// you edit it.
    #[arg(long, value_name = "URL")]
    pub amilab_source: Option<String>,
}

/// Writes the kit; the outcome's stdout lists the files and what to edit before pushing.
pub fn execute(cmd: &CiCommand) -> Result<Outcome, CliError> {
    let CiCommand::Init(args) = cmd;
    let kit = kit_for(args)?;
    let files = files(args.platform, &kit);
    let existing: Vec<&str> = files
        .iter()
        .filter(|f| args.dir.join(f.path).exists())
        .map(|f| f.path)
        .collect();
    if !existing.is_empty() && !args.force {
        let (verb, them) = if existing.len() == 1 {
            ("exists", "it")
        } else {
            ("exist", "them")
        };
        return Err(CliError::usage(format!(
            "{} already {verb} in `{}`; nothing was written\n  = help: pass --force to overwrite {them}, or choose another --dir",
            quoted(&existing),
            args.dir.display(),
        )));
    }
    for file in &files {
        write(&args.dir.join(file.path), &file.text, file.executable)?;
    }
    Ok(Outcome {
        stdout: summary(args, &kit, &files),
        ..Outcome::default()
    })
}

/// `` `a`, `b` `` for messages.
fn quoted(paths: &[&str]) -> String {
    paths
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One file of a kit.
#[derive(Debug)]
struct KitFile {
    path: &'static str,
    text: String,
    executable: bool,
}

fn files(platform: Platform, kit: &Kit) -> Vec<KitFile> {
    match platform {
        Platform::Github => vec![KitFile {
            path: ".github/workflows/classroom.yml",
            text: kits::github(kit),
            executable: false,
        }],
        Platform::Gitlab => vec![KitFile {
            path: ".gitlab-ci.yml",
            text: kits::gitlab(kit),
            executable: false,
        }],
        Platform::Gradescope => vec![
            KitFile {
                path: "setup.sh",
                text: kits::gradescope_setup(kit),
                executable: true,
            },
            KitFile {
                path: "run_autograder",
                text: kits::gradescope_run(kit),
                executable: true,
            },
        ],
    }
}

/// Loads what `args` names and decides how the kit refers to it.
fn kit_for(args: &InitArgs) -> Result<Kit, CliError> {
    let source = match &args.amilab_source {
        Some(url) if url.trim().is_empty() || !safe_word(url, ":@%+~") => {
            return Err(CliError::usage(format!(
                "`--amilab-source {url}` is not a git URL the kit can use\n  = help: give the URL you would pass to `git clone`, e.g. `https://github.com/OWNER/amilab.git`"
            )))
        }
        Some(url) => url.clone(),
        None => kits::PLACEHOLDER_SOURCE.to_string(),
    };
    let (kind, given) = match (&args.lab, &args.quiz) {
        (Some(lab), _) => ("lab", lab.as_str()),
        (None, Some(quiz)) => ("quiz", quiz.as_str()),
        (None, None) => {
            return Err(CliError::usage(
                "say what the kit grades: --lab ID_OR_PATH or --quiz ID_OR_PATH",
            ))
        }
    };
    let (id, file, text, is_path, max_points) = if kind == "lab" {
        let loaded = super::check::load_lab(given)?;
        let is_path = !matches!(loaded.source, crate::lab::course::Source::Builtin(_));
        let max = loaded.spec.checks.iter().map(|c| c.points).sum();
        (loaded.spec.id, loaded.file, loaded.text, is_path, max)
    } else {
        let loaded = crate::quiz::load(given)?;
        let is_path = !crate::quiz::BUILTIN.iter().any(|b| b.id == given);
        let max = quiz_max_points(&loaded.spec);
        (loaded.spec.id, loaded.file, loaded.text, is_path, max)
    };
    let arg = if is_path {
        inside(&args.dir, given, kind)?
    } else {
        given.to_string()
    };
    let submission = match kind {
        "lab" => format!("{id}.rhai"),
        _ => "answers.yaml".to_string(),
    };
    Ok(Kit {
        kind,
        id,
        arg,
        is_path,
        submission,
        sha256: super::pin::content_sha256(&file, &text),
        source,
        max_points,
    })
}

/// The points of a quiz paper: every question's, or `pick` of them when they are all worth
/// the same; 0 (unknown) when the draw decides.
fn quiz_max_points(spec: &crate::quiz::QuizSpec) -> f64 {
    let all: Vec<f64> = spec.questions.iter().map(|q| q.points).collect();
    match spec.pick {
        None => all.iter().sum(),
        Some(n) if all.windows(2).all(|w| w[0] == w[1]) => {
            all.first().copied().unwrap_or(0.0) * n.min(all.len()) as f64
        }
        Some(_) => 0.0,
    }
}

/// Letters, digits, `_ . / -` and `extra`: a word that needs no quoting in YAML or a shell.
fn safe_word(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c) || extra.contains(c))
}

/// `path` relative to `dir`: a lab or quiz from a path must be inside the kit's folder, where
/// CI finds it, and be named with characters that need no quoting.
fn inside(dir: &Path, path: &str, kind: &str) -> Result<String, CliError> {
    let abs = |p: &Path| std::path::absolute(p).map(|a| normalize(&a));
    let (Ok(dir_abs), Ok(path_abs)) = (abs(dir), abs(Path::new(path))) else {
        return Err(CliError::usage(format!("cannot resolve the path `{path}`")));
    };
    let Ok(rel) = path_abs.strip_prefix(&dir_abs) else {
        return Err(CliError::usage(format!(
            "the {kind} `{path}` is outside `{}`, the folder the kit is written to, so CI would not find it\n  = help: copy the {kind} into that folder (your repository) first, or pass --dir with the repository's root",
            dir.display()
        )));
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rel.is_empty() || !safe_word(&rel, "") {
        return Err(CliError::usage(format!(
            "the {kind} path `{rel}` has characters a CI file would have to quote\n  = help: name its folders and file with letters, digits, `_`, `.`, `/` and `-` only"
        )));
    }
    Ok(rel)
}

/// `a/./b/../c` → `a/c`, without touching the file system (the kit's folder may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Creates the file's folder and writes it (`executable`: mode 755 on Unix); a failure names
/// the path (exit 2).
fn write(path: &Path, text: &str, executable: bool) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError::usage(format!(
            "cannot write `{}`: {}\n  = help: check that you may write in that folder",
            path.display(),
            crate::diagnostic::io_reason(&e)
        ))
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(fail)?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

/// What was written, what it runs, and what to do before pushing.
fn summary(args: &InitArgs, kit: &Kit, files: &[KitFile]) -> String {
    let (name, learner) = match args.platform {
        Platform::Github => ("GitHub Classroom", "the learner's GitHub login"),
        Platform::Gitlab => ("GitLab CI", "the learner's GitLab login"),
        Platform::Gradescope => ("Gradescope", "the submitter's email"),
    };
    let mut out = format!(
        "Wrote the {name} kit for the {} `{}` into `{}`:\n",
        kit.kind,
        kit.id,
        args.dir.display()
    );
    for f in files {
        out.push_str(&format!("  {}\n", f.path));
    }
    out.push_str(&format!(
        "\nIt grades `{}` as {learner}, pinned to the {} file's sha256 {}: an amilab whose copy differs refuses to grade (exit 2) until you write the kit again.\n",
        kit.submission, kit.kind, kit.sha256
    ));
    out.push_str(match args.platform {
        Platform::Gradescope => "\nBefore you upload it:\n",
        _ => "\nBefore you push:\n",
    });
    let install_in = match args.platform {
        Platform::Github => ".github/workflows/classroom.yml",
        Platform::Gitlab => ".gitlab-ci.yml",
        Platform::Gradescope => "setup.sh",
    };
    if kit.has_placeholder() {
        out.push_str(&format!(
            "  - set AMILAB_SOURCE in {install_in} to the git URL of amilab (or write the kit again with --amilab-source URL): it is a placeholder now, and the install step stops with an error until you do\n"
        ));
    } else {
        let when = match args.platform {
            Platform::Gradescope => "once, when Gradescope builds the autograder",
            _ => "minutes on every run",
        };
        out.push_str(&format!(
            "  - the install step builds amilab from {} with cargo ({when}): replace it in {install_in} if you have a faster install\n",
            kit.source
        ));
    }
    match args.platform {
        Platform::Github => out.push_str(
            "  - push it to the assignment's template repository; Classroom reads the workflow's points from its reporter step\n",
        ),
        Platform::Gitlab => out.push_str(&format!(
            "  - learners commit `{}` in the repository's root; the job fails unless it passes, and publishes {} either way\n",
            kit.submission,
            kits::GITLAB_REPORT
        )),
        Platform::Gradescope => out.push_str(&format!(
            "  - zip the folder's contents (setup.sh and run_autograder at the top{}) and upload it as the autograder; learners upload `{}`\n",
            if kit.is_path { ", with the lab or quiz file" } else { "" },
            kit.submission
        )),
    }
    if kit.kind == "quiz" {
        out.push_str(&format!(
            "  - learners write answers.yaml from `amilab quiz template {} --learner ID` with ID as {learner}: the paper depends on it\n",
            kit.arg
        ));
    }
    out
}

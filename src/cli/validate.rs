//! `amilab validate [PATH|ID…]`: check labs, quizzes and assignments (default: the built-in
//! course).

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit, CliError, Outcome};
use crate::diagnostic::{render_all, Diagnostic};
use crate::lab::{self, course, prove};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Lab directories, lab.yaml files, quiz files, assignment files, directories holding them,
    /// or ids of built-in labs and quizzes (default: every built-in lab and quiz).
    pub paths: Vec<PathBuf>,
    /// Learners to sample when a lab's params have more than 1000 combinations (smaller spaces
    /// are enumerated in full).
    #[arg(long, value_name = "N", default_value_t = prove::DEFAULT_SAMPLE)]
    pub learners: usize,
    /// Show hidden checks' messages in the findings (for instructors).
    #[arg(long)]
    pub reveal: bool,
    /// List every mutant of each lab's solution with its fate (the summary line shows the
    /// mutation score either way).
    #[arg(long)]
    pub mutants: bool,
}

enum Target {
    Lab(Box<course::Loaded>),
    LabPath(PathBuf),
    Quiz {
        file: String,
        text: Option<String>,
    },
    /// An assignment file: itself, then the labs and quizzes it names by path.
    Assignment(PathBuf),
}

/// An assignment, and after it the labs and quizzes it names by path (built-in ones are
/// validated with the course), each validated in full as if named on the command line.
fn assignment_targets(path: &Path, out: &mut Vec<Target>) {
    out.push(Target::Assignment(path.to_path_buf()));
    let Ok(loaded) = crate::assignment::load(&path.display().to_string()) else {
        return;
    };
    for part in loaded.parts {
        match part.content {
            crate::assignment::Content::Lab(l) => {
                if matches!(l.source, course::Source::Dir(_)) {
                    out.push(Target::Lab(l));
                }
            }
            crate::assignment::Content::Quiz(q) => {
                if !crate::quiz::BUILTIN.iter().any(|b| b.path == q.file) {
                    out.push(Target::Quiz {
                        file: q.file,
                        text: Some(q.text),
                    });
                }
            }
        }
    }
}

fn targets_in(path: &Path, out: &mut Vec<Target>) {
    if path.is_dir() {
        if path.join("lab.yaml").exists() {
            out.push(Target::LabPath(path.join("lab.yaml")));
            return;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            if e.is_dir() && e.join("lab.yaml").exists() {
                out.push(Target::LabPath(e.join("lab.yaml")));
            } else if crate::assignment::is_assignment_file(&e) {
                assignment_targets(&e, out);
            } else if e.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(Target::Quiz {
                    file: e.display().to_string(),
                    text: None,
                });
            }
        }
    } else if path.file_name().is_some_and(|n| n == "lab.yaml") {
        out.push(Target::LabPath(path.to_path_buf()));
    } else if crate::assignment::is_assignment_file(path) {
        assignment_targets(path, out);
    } else {
        out.push(Target::Quiz {
            file: path.display().to_string(),
            text: None,
        });
    }
}

fn builtin_lab(b: &'static lab::course::Builtin) -> Result<Target, CliError> {
    let l = course::builtin(b).map_err(|e| CliError::usage(e.to_string()))?;
    Ok(Target::Lab(Box::new(l)))
}

fn builtin_quiz(q: &crate::quiz::bank::Builtin) -> Target {
    Target::Quiz {
        file: q.path.to_string(),
        text: Some(q.source.to_string()),
    }
}

pub fn execute(args: &ValidateArgs) -> Result<Outcome, CliError> {
    let mut targets = Vec::new();
    if args.paths.is_empty() {
        for b in lab::BUILTIN {
            targets.push(builtin_lab(b)?);
        }
        targets.extend(crate::quiz::BUILTIN.iter().map(builtin_quiz));
    } else {
        for p in &args.paths {
            let arg = p.to_string_lossy();
            // A built-in lab or quiz may be named by id, as `check` and `lab show` take them.
            if let Some(b) = lab::BUILTIN.iter().find(|b| b.id == arg) {
                targets.push(builtin_lab(b)?);
                continue;
            }
            if let Some(q) = crate::quiz::BUILTIN.iter().find(|q| q.id == arg) {
                targets.push(builtin_quiz(q));
                continue;
            }
            if !p.exists() {
                let ids = lab::BUILTIN.iter().map(|b| b.id);
                let ids = ids.chain(crate::quiz::BUILTIN.iter().map(|q| q.id));
                let mut message = format!(
                    "`{}` is neither a file, a folder nor a lab or quiz id",
                    p.display()
                );
                if let Some(best) = amilab_text::closest(&arg, ids) {
                    message.push_str(&format!("; did you mean `{best}`?"));
                }
                message.push_str("\n  = help: pass a lab folder, a lab.yaml or a quiz file, an id from `amilab lab list` or `amilab quiz list`, or nothing for the whole course");
                return Err(CliError::usage(message));
            }
            targets_in(p, &mut targets);
        }
    }
    // Assignments sharing a lab or quiz file name it once each: validate it once.
    let mut seen = std::collections::BTreeSet::new();
    targets.retain(|t| {
        seen.insert(match t {
            Target::Lab(l) => l.file.clone(),
            Target::LabPath(p) | Target::Assignment(p) => p.display().to_string(),
            Target::Quiz { file, .. } => file.clone(),
        })
    });
    let options = prove::ProveOptions {
        learners: args.learners,
        reveal: args.reveal,
    };
    let mut stdout = String::new();
    let mut all: Vec<Diagnostic> = Vec::new();
    for t in targets {
        let report = match t {
            Target::Lab(l) => lab_report(*l, &options, args.mutants),
            Target::LabPath(p) => match lab::load(&p.display().to_string()) {
                Ok(l) => lab_report(l, &options, args.mutants),
                Err(course::LoadError::Invalid(d)) => Report::new(p.display().to_string(), d),
                Err(e) => Report::new(
                    p.display().to_string(),
                    vec![Diagnostic::error(p.display().to_string(), e.to_string())],
                ),
            },
            Target::Assignment(path) => {
                let file = path.display().to_string();
                let text = match crate::yaml::load::read_content(
                    crate::yaml::load::ContentKind::Assignment,
                    &path,
                ) {
                    Ok(t) => t,
                    Err(e) => {
                        all.push(Diagnostic::error(&file, e.to_string()));
                        continue;
                    }
                };
                let base = path.parent().unwrap_or(Path::new(""));
                let (loaded, d) = crate::assignment::check_text(&file, &text, base);
                let summary = loaded
                    .map(|a| {
                        format!(
                            "assignment: {}, {} in all",
                            amilab_text::plural(a.parts.len(), "part", "parts"),
                            crate::report::points_text(a.total_points())
                        )
                    })
                    .unwrap_or_default();
                Report {
                    summary,
                    ..Report::new(file, d)
                }
            }
            Target::Quiz { file, text } => {
                let text = match text.map(Ok).unwrap_or_else(|| {
                    crate::yaml::load::read_content(
                        crate::yaml::load::ContentKind::Quiz,
                        std::path::Path::new(&file),
                    )
                    .map_err(|e| e.to_string())
                }) {
                    Ok(t) => t,
                    Err(e) => {
                        all.push(Diagnostic::error(&file, e));
                        continue;
                    }
                };
                let d = crate::quiz::validate_quiz(&file, &text);
                Report {
                    summary: "quiz".to_string(),
                    ..Report::new(file, d)
                }
            }
        };
        let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
        let name = &report.name;
        if errors == 0 {
            stdout.push_str(&format!("ok     {name}  {}\n", report.summary));
        } else {
            let errors = amilab_text::plural(errors, "error", "errors");
            stdout.push_str(&format!("FAILED {name}  {errors}\n"));
        }
        stdout.push_str(&report.details);
        all.extend(report.diagnostics);
    }
    let failed = all.iter().any(Diagnostic::is_error);
    let stderr = if all.is_empty() {
        String::new()
    } else {
        render_all(&all)
    };
    Ok(Outcome {
        stdout,
        stderr,
        code: if failed { exit::USAGE } else { exit::OK },
    })
}

/// What validating one file came to.
struct Report {
    name: String,
    diagnostics: Vec<Diagnostic>,
    /// The one-line proof shown after `ok`.
    summary: String,
    /// Lines shown under it (`--mutants`: every mutant and its fate), each ending in `\n`.
    details: String,
}

impl Report {
    fn new(name: String, diagnostics: Vec<Diagnostic>) -> Self {
        Report {
            name,
            diagnostics,
            summary: String::new(),
            details: String::new(),
        }
    }
}

fn lab_report(l: course::Loaded, options: &prove::ProveOptions, list_mutants: bool) -> Report {
    let (diagnostics, proof) = prove::validate_lab(&l, options);
    let summary = proof
        .as_ref()
        .map(|s| s.line(l.spec.checks.len()))
        .unwrap_or_default();
    let details = match proof.as_ref().and_then(|s| s.mutation.as_ref()) {
        Some(m) if list_mutants => m.details(),
        _ => String::new(),
    };
    Report {
        name: l.file.clone(),
        diagnostics,
        summary,
        details,
    }
}

//! `amilab grade CONTENT SUBMISSIONS --out DIR`: grade a whole class into a gradebook, in
//! parallel, resumable, optionally one shard of it (`--shard I/N`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CliError, Outcome};
use crate::batch::run::{self, Options, Progress};
use crate::batch::submissions::{self, LearnerMap};
use crate::batch::{Content, Shard};
use crate::report::Format;

/// The formats a learner's report file may be written in (`--reports`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Plain text feedback, as `amilab check --format plain` prints it (`reports/<learner>.txt`).
    Plain,
    /// The result model as JSON (`<learner>.json`).
    Json,
    /// JUnit XML (`<learner>.xml`).
    Junit,
    /// TAP version 14 (`<learner>.tap`).
    Tap,
    /// Gradescope's results.json (`<learner>.gradescope.json`).
    Gradescope,
    /// No report files.
    None,
}

impl ReportFormat {
    fn format(self) -> Option<Format> {
        match self {
            ReportFormat::Plain => Some(Format::Plain),
            ReportFormat::Json => Some(Format::Json),
            ReportFormat::Junit => Some(Format::Junit),
            ReportFormat::Tap => Some(Format::Tap),
            ReportFormat::Gradescope => Some(Format::Gradescope),
            ReportFormat::None => None,
        }
    }
}

/// `--reports`, shared by `grade` and `merge`.
#[derive(Debug, Clone, Args)]
pub struct ReportsArg {
    /// Formats of the per-learner reports in DIR/reports/<format>/, comma-separated (`none`:
    /// no reports).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "plain",
        value_name = "FORMATS"
    )]
    pub reports: Vec<ReportFormat>,
}

impl ReportsArg {
    /// The formats asked for, once each, in the order given; none for `none`.
    pub fn formats(&self) -> Vec<Format> {
        if self.reports.contains(&ReportFormat::None) {
            return Vec::new();
        }
        let mut formats: Vec<Format> = Vec::new();
        for f in self.reports.iter().filter_map(|r| r.format()) {
            if !formats.contains(&f) {
                formats.push(f);
            }
        }
        formats
    }
}

#[derive(Debug, Clone, Args)]
pub struct GradeArgs {
    /// The lab, quiz or assignment: a built-in id (see `amilab lab list`, `amilab quiz
    /// list`), a lab directory or lab.yaml, a quiz file, or an assignment file.
    pub content: String,
    /// The submissions folder: one entry per learner, named by its learner id — a script
    /// `alice.rhai` (a quiz: answers `alice.yaml`), or a folder `alice/` holding it (a learner's
    /// workspace or repository; an assignment: always a folder).
    pub submissions: PathBuf,
    /// Where to write results.jsonl, gradebook.csv, canvas.csv, manifest.json and reports/.
    /// Grading into a folder that holds an earlier run's results grades only what changed.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Grading threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Grade share I of N of the class (learners split by a hash of their id), for one CI
    /// runner of N; join the N output folders with `amilab merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// A CSV file mapping submission names to learner ids: a header naming the columns
    /// `submission,learner`, then one row per submission (e.g. GitHub user → student id).
    #[arg(long, value_name = "FILE")]
    pub learners: Option<PathBuf>,
    #[command(flatten)]
    pub reports: ReportsArg,
    /// Grade every submission again, even those an earlier run into DIR graded.
    #[arg(long)]
    pub regrade: bool,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse()
}

/// Loads what a class is graded against: a built-in lab or quiz id, a lab folder or
/// `lab.yaml`, a quiz file (told apart by its top-level `questions`), or an assignment file
/// (`assignment.yaml`, or a top-level `parts`).
pub fn load_content(arg: &str) -> Result<Content, CliError> {
    if super::assignment::is_assignment_arg(arg) {
        return Ok(Content::Assignment(crate::assignment::load(arg)?));
    }
    let is_lab_id = crate::lab::BUILTIN.iter().any(|b| b.id == arg);
    let is_quiz_id = crate::quiz::BUILTIN.iter().any(|b| b.id == arg);
    let path = Path::new(arg);
    let quiz_file = !is_lab_id
        && (is_quiz_id
            || (path.is_file()
                && path.file_name().is_some_and(|n| n != "lab.yaml")
                && std::fs::read_to_string(path)
                    .ok()
                    .and_then(|t| serde_yaml::from_str::<serde_yaml::Value>(&t).ok())
                    .is_some_and(|v| v.get("questions").is_some())));
    if quiz_file {
        return Ok(Content::Quiz(crate::quiz::load(arg)?));
    }
    if !is_lab_id && !crate::lab::course::looks_like_path(arg) {
        return Err(CliError::usage(format!(
            "`{arg}` is neither a lab nor a quiz\n  = help: see `amilab lab list` and `amilab quiz list`, or give the path of a lab folder or a quiz file"
        )));
    }
    Ok(Content::Lab(super::check::load_lab(arg)?))
}

/// Grades the class; exit 0 when every submission has a grade (whatever the grades), 2 when the
/// batch cannot run (bad content, folder, map or output folder).
pub fn execute(args: &GradeArgs) -> Result<Outcome, CliError> {
    let content = load_content(&args.content)?;
    let map = match &args.learners {
        Some(path) => {
            let text = super::input::read_input(path, "learner map", 16 * 1024 * 1024)?;
            Some(LearnerMap::parse(&path.display().to_string(), &text).map_err(CliError::usage)?)
        }
        None => None,
    };
    if let Some(why) = out_inside(&args.out, &args.submissions) {
        return Err(CliError::usage(why));
    }
    let found = submissions::discover(&args.submissions, content.accepts(), map.as_ref())
        .map_err(CliError::usage)?;
    if found.submissions.is_empty() {
        return Err(CliError::usage(format!(
            "`{}` holds no submissions: each learner's is {}\n{}",
            args.submissions.display(),
            match content {
                Content::Lab(_) => "a `.rhai` script named by the learner id, or a folder",
                Content::Quiz(_) => "a `.yaml` answers file named by the learner id, or a folder",
                Content::Assignment(_) => "a folder named by the learner id",
            },
            skipped_text(&found.skipped).trim_end()
        )));
    }
    let reports = args.reports.formats();
    let options = Options {
        jobs: args.jobs,
        shard: args.shard.unwrap_or(Shard::WHOLE),
        regrade: args.regrade,
        reports: reports.clone(),
    };
    let display = ProgressDisplay::new();
    let summary = run::grade_class(&content, &found.submissions, &args.out, &options, &|p| {
        display.show(&p)
    })
    .map_err(|e| CliError::usage(e.0))?;
    display.finish();
    Ok(Outcome {
        stdout: summary_text(&args.out, &summary, &reports),
        stderr: skipped_text(&found.skipped),
        code: super::exit::OK,
    })
}

/// What the batch did, for standard output.
fn summary_text(out: &Path, summary: &run::Summary, reports: &[Format]) -> String {
    use amilab_text::plural;
    let m = &summary.manifest;
    let shard = if m.shard.total > 1 {
        format!(
            " (shard {}: {} of the class's {})",
            m.shard,
            plural(summary.in_shard, "learner", "learners"),
            m.class.submissions
        )
    } else {
        String::new()
    };
    let mut text = format!(
        "graded {} of the {} `{}`{shard} into {}\n",
        plural(summary.graded, "submission", "submissions"),
        m.content.kind.as_str(),
        m.content.id,
        out.display()
    );
    if summary.reused > 0 {
        text.push_str(&format!(
            "kept {} graded by an earlier run (unchanged submission, {} and amilab); --regrade grades them again\n",
            plural(summary.reused, "result", "results"),
            m.content.kind.as_str()
        ));
    }
    let g = &m.graded;
    text.push_str(&format!(
        "outcomes: {} passed, {} failed, {} could not be graded\n",
        g.passed, g.failed, g.error
    ));
    if g.error > 0 {
        text.push_str("  the `error` column of gradebook.csv says why each could not be graded\n");
    }
    let reports = if reports.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = reports.iter().map(|f| f.name()).collect();
        format!(", {}/ ({})", run::REPORTS, names.join(", "))
    };
    text.push_str(&format!(
        "wrote {}, {}, {}{reports}, {}\n",
        run::RESULTS,
        run::GRADEBOOK,
        run::CANVAS,
        crate::batch::manifest::FILE
    ));
    text
}

/// The entries of the submissions folder that were not graded, for standard error.
fn skipped_text(skipped: &[(String, String)]) -> String {
    let mut text = String::new();
    for (name, why) in skipped {
        text.push_str(&format!("note: `{name}` was not graded: {why}\n"));
    }
    text
}

/// Progress on standard error: a bar on a terminal (indicatif); in CI and logs, a plain line
/// at every tenth of the batch.
struct ProgressDisplay {
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressDisplay {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "grading {bar:30} {pos}/{len} submissions, {per_sec}, about {eta} left",
                )
                .expect("a valid template"),
            );
            bar
        });
        ProgressDisplay { bar }
    }

    fn show(&self, p: &Progress<'_>) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
            }
            None => {
                let step = (p.total / 10).max(1);
                if p.done.is_multiple_of(step) || p.done == p.total {
                    eprintln!("graded {}/{}", p.done, p.total);
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `amilab merge DIR… --out DIR`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The output folders of `amilab grade --shard I/N`, one per shard (1 to N).
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// Where to write the joined results.jsonl, gradebook.csv, canvas.csv, manifest.json and
    /// reports/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub reports: ReportsArg,
}

/// Joins shard folders; exit 2 (and nothing written) when they do not make one class.
pub fn merge(args: &MergeArgs) -> Result<Outcome, CliError> {
    if let Some(same) = args.shards.iter().find(|d| same_dir(d, &args.out)) {
        return Err(CliError::usage(format!(
            "--out `{}` is one of the shard folders (`{}`); merge into a folder of its own",
            args.out.display(),
            same.display()
        )));
    }
    let reports = args.reports.formats();
    let m = crate::batch::merge::merge(&args.shards, &args.out, &reports)
        .map_err(|e| CliError::usage(e.0))?;
    let g = &m.graded;
    Ok(Outcome {
        stdout: format!(
            "merged {} into {}: {} of the {} `{}`; {} passed, {} failed, {} could not be graded\n",
            amilab_text::plural(args.shards.len(), "shard", "shards"),
            args.out.display(),
            amilab_text::plural(g.records, "learner", "learners"),
            m.content.kind.as_str(),
            m.content.id,
            g.passed,
            g.failed,
            g.error
        ),
        ..Outcome::default()
    })
}

/// Why `out` cannot hold a batch's output, if it cannot: inside the submissions folder, its
/// files would be taken for learners by the next run.
fn out_inside(out: &Path, submissions: &Path) -> Option<String> {
    let subs = std::fs::canonicalize(submissions).ok()?;
    // `out` may not exist yet: resolve the part of it that does.
    let abs = std::path::absolute(out).ok()?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
    let mut resolved = std::fs::canonicalize(existing).ok()?;
    resolved.extend(rest.iter().rev());
    resolved.starts_with(&subs).then(|| {
        format!(
            "--out `{}` is inside the submissions folder `{}`: its files would be graded as learners' submissions\n  = help: write the results next to the submissions, e.g. --out graded/",
            out.display(),
            submissions.display()
        )
    })
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

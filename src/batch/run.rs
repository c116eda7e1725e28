//! Grading a class in parallel into an output folder, resuming what an interrupted batch left.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::content::Content;
use super::gradebook;
use super::journal::{self, Journal};
use super::manifest::{self, Class, Counts, Manifest};
use super::record::{self, GradeRecord, AMILAB_VERSION};
use super::shard::Shard;
use super::submissions::Submission;
use crate::report::{self, Format};

/// The file names of an output folder.
pub const RESULTS: &str = "results.jsonl";
pub const GRADEBOOK: &str = "gradebook.csv";
pub const CANVAS: &str = "canvas.csv";
pub const REPORTS: &str = "reports";
/// The lock file that keeps a second batch out of a folder being written.
pub const LOCK: &str = ".amilab-grade.lock";

/// How to grade a class.
#[derive(Debug, Clone)]
pub struct Options {
    /// Grading threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// This machine's share of the class.
    pub shard: Shard,
    /// Grade every submission again, even those an earlier run graded.
    pub regrade: bool,
    /// The formats of the per-learner reports in `reports/` (none: no reports).
    pub reports: Vec<Format>,
}

/// A grading thread's stack: Rhai recurses up to the sandbox's call depth, and an unoptimised
/// build's frames are large; the main thread's 8 MiB is what the limits were measured on, and a
/// pool thread's default 2 MiB overflowed (a crash no `catch` can contain).
const STACK_BYTES: usize = 16 * 1024 * 1024;

/// One graded submission, as the progress display hears of it.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    /// How many of this run's submissions are graded, this one included.
    pub done: usize,
    /// How many this run grades (those reused from an earlier run are not counted).
    pub total: usize,
    pub record: &'a GradeRecord,
}

/// What a batch did.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The manifest written.
    pub manifest: Manifest,
    /// Submissions graded by this run.
    pub graded: usize,
    /// Submissions whose earlier result was kept (same submission, content and amilab).
    pub reused: usize,
    /// Learners in this shard.
    pub in_shard: usize,
}

/// Why a batch could not run or finish; the folder keeps what was graded (the journal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BatchError(pub String);

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> BatchError {
    BatchError(format!(
        "cannot {what} `{}`: {}",
        path.display(),
        crate::diagnostic::io_reason(e)
    ))
}

/// The records an output folder already holds: its `results.jsonl`, then its journal (a later
/// record of a learner wins). `Err` when the folder holds another content's results: a batch
/// must not mix two labs in one gradebook.
pub fn earlier_records(
    out: &Path,
    content: &record::ContentRef,
) -> Result<BTreeMap<String, GradeRecord>, BatchError> {
    let mut records = BTreeMap::new();
    let results = out.join(RESULTS);
    match std::fs::read_to_string(&results) {
        Ok(text) => {
            // A results file that does not parse is not ours to overwrite.
            let parsed = record::parse_lines(&text).map_err(|(line, why)| {
                BatchError(format!(
                    "`{}:{line}` is not a result of `amilab grade` ({why}); it was left alone\n  = help: grade into an empty folder, or remove the file",
                    results.display()
                ))
            })?;
            records.extend(parsed.into_iter().map(|r| (r.learner.clone(), r)));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error("read", &results, &e)),
    }
    records.extend(
        journal::read(out)
            .into_iter()
            .map(|r| (r.learner.clone(), r)),
    );
    if let Some(other) = records
        .values()
        .find(|r| r.content.id != content.id || r.content.kind != content.kind)
    {
        return Err(BatchError(format!(
            "`{}` holds results of the {} `{}`, not of the {} `{}`; they were left alone\n  = help: grade into another folder (--out)",
            out.display(),
            other.content.kind.as_str(),
            other.content.id,
            content.kind.as_str(),
            content.id
        )));
    }
    Ok(records)
}

/// Grades the submissions of this shard into `out`, in parallel, and writes `results.jsonl`,
/// `gradebook.csv`, `canvas.csv`, `manifest.json` and `reports/`. `class` is every submission
/// found (all shards'); `progress` hears of each submission as it is graded.
pub fn grade_class(
    content: &Content,
    class: &[Submission],
    out: &Path,
    options: &Options,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Summary, BatchError> {
    std::fs::create_dir_all(out).map_err(|e| io_error("create the folder", out, &e))?;
    // One batch at a time in a folder: two would interleave their journals and the last to
    // finish would silently win.
    let lock_path = out.join(LOCK);
    let lock_file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io_error("write", &lock_path, &e))?;
    let mut lock = fd_lock::RwLock::new(lock_file);
    let _guard = lock.try_write().map_err(|_| {
        BatchError(format!(
            "another `amilab grade` is writing into `{}`; wait for it, or grade into another folder",
            out.display()
        ))
    })?;
    let reference = content.reference();
    let earlier = earlier_records(out, &reference)?;
    let mine: Vec<&Submission> = class
        .iter()
        .filter(|s| options.shard.contains(&s.learner))
        .collect();

    // What an earlier run graded stays, when the submission, the content and amilab are the
    // same; the rest is graded now.
    let mut kept: Vec<GradeRecord> = Vec::new();
    let mut todo: Vec<(&Submission, String)> = Vec::new();
    for sub in &mine {
        let digest = sub.digest();
        match earlier.get(&sub.learner) {
            Some(r)
                if !options.regrade
                    && r.still_valid(&sub.learner, &sub.name, &digest, &reference) =>
            {
                kept.push(r.clone())
            }
            _ => todo.push((sub, digest)),
        }
    }
    let reused = kept.len();
    let total = todo.len();

    let journal = Mutex::new(
        Journal::open(out).map_err(|e| io_error("write", &out.join(journal::FILE), &e))?,
    );
    let done = AtomicUsize::new(0);
    let failure: Mutex<Option<BatchError>> = Mutex::new(None);
    // No more threads than submissions to grade: `--jobs 100000` must not start 100,000.
    let threads = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, total.max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .num_threads(threads)
        // A script's time limit counts its own thread's processor time here: the other
        // threads' scripts must not use up a learner's time (see the sandbox's doc).
        .start_handler(|_| crate::script::sandbox::count_processor_time_on_this_thread())
        .build()
        .map_err(|e| BatchError(format!("cannot start the grading threads: {e}")))?;
    let graded: Vec<GradeRecord> = pool.install(|| {
        todo.par_iter()
            .map(|(sub, digest)| {
                let record = content.grade(sub, digest.clone());
                // The journal first: once progress says it is done, it is on disk.
                let written = journal
                    .lock()
                    .map_err(|_| BatchError("the journal lock is poisoned".into()))
                    .and_then(|mut j| {
                        j.append(&record)
                            .map_err(|e| io_error("write", &out.join(journal::FILE), &e))
                    });
                if let Err(e) = written {
                    failure.lock().expect("not poisoned").get_or_insert(e);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(Progress {
                    done: n,
                    total,
                    record: &record,
                });
                record
            })
            .collect()
    });
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let mut records = kept;
    records.extend(graded);
    records.sort_by(|a, b| a.learner.cmp(&b.learner));

    let manifest = Manifest {
        manifest_version: manifest::MANIFEST_VERSION,
        amilab_version: AMILAB_VERSION.to_string(),
        content: reference,
        title: content.title(),
        items: content.item_ids(),
        shard: options.shard,
        class: Class::of(class.iter().map(|s| (s.learner.as_str(), s.name.as_str()))),
        graded: Counts::of(&records),
    };
    write_outputs(out, &manifest, &records, &options.reports)?;
    journal
        .into_inner()
        .expect("not poisoned")
        .finish()
        .map_err(|e| io_error("remove", &out.join(journal::FILE), &e))?;
    // A finished folder holds only its results; the lock goes with the batch.
    let _ = std::fs::remove_file(&lock_path);
    Ok(Summary {
        manifest,
        graded: total,
        reused,
        in_shard: mine.len(),
    })
}

/// Writes an output folder's files from its manifest and records (sorted by learner):
/// `results.jsonl`, `gradebook.csv`, `canvas.csv`, `manifest.json`, and a report per learner
/// and format in `reports/` (reports of learners no longer in the class are removed).
pub fn write_outputs(
    out: &Path,
    manifest: &Manifest,
    records: &[GradeRecord],
    reports: &[Format],
) -> Result<(), BatchError> {
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        crate::atomic_file::write(&path, text).map_err(|e| io_error("write", &path, &e))
    };
    write(RESULTS, &record::to_text(records))?;
    write(GRADEBOOK, &gradebook::gradebook_csv(manifest, records))?;
    write(CANVAS, &gradebook::canvas_csv(manifest, records))?;
    write_reports(out, records, reports)?;
    // The manifest last: a folder with a manifest is a finished one.
    write(manifest::FILE, &manifest.to_text())
}

/// The report formats a batch writes, each in a folder of its own (`reports/<format>/`), so
/// that no learner's report can take another's name (a learner `bob.gradescope`).
pub const REPORT_FORMATS: [Format; 5] = [
    Format::Plain,
    Format::Json,
    Format::Junit,
    Format::Tap,
    Format::Gradescope,
];

/// A report file's extension: `plain` → `txt`, `json`/`gradescope` → `json`, `junit` → `xml`,
/// `tap` → `tap`.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Pretty | Format::Plain => "txt",
        Format::Json | Format::Gradescope => "json",
        Format::Junit => "xml",
        Format::Tap => "tap",
        Format::Github => "txt",
    }
}

/// Writes `reports/<format>/<learner>.<ext>` for each record and format, and removes the report
/// files of earlier runs that are not wanted now (a learner gone, a format no longer asked
/// for): only files with the format's extension, in the format folders this command writes.
/// A `reports` folder that is a link is refused: cleaning it would delete files elsewhere.
fn write_reports(
    out: &Path,
    records: &[GradeRecord],
    reports: &[Format],
) -> Result<(), BatchError> {
    let root = out.join(REPORTS);
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| !m.file_type().is_dir());
    if is_link(&root) {
        return Err(BatchError(format!(
            "`{}` is not a folder (a link, or a file); amilab writes and cleans its reports there, so it must be a folder of its own",
            root.display()
        )));
    }
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    for &format in reports {
        let dir = root.join(format.name());
        if is_link(&dir) {
            return Err(BatchError(format!(
                "`{}` is not a folder (a link, or a file); amilab writes and cleans its reports there",
                dir.display()
            )));
        }
        std::fs::create_dir_all(&dir).map_err(|e| io_error("create the folder", &dir, &e))?;
        for r in records {
            let path = dir.join(format!("{}.{}", r.learner, extension(format)));
            let text = report::render(&r.result, format, false);
            std::fs::write(&path, text).map_err(|e| io_error("write", &path, &e))?;
            wanted.insert(path);
        }
    }
    for format in REPORT_FORMATS {
        let dir = root.join(format.name());
        if is_link(&dir) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let ext = format!(".{}", extension(format));
        for entry in entries.flatten() {
            let path = entry.path();
            let ours = entry.file_type().is_ok_and(|t| t.is_file())
                && entry.file_name().to_string_lossy().ends_with(&ext);
            if ours && !wanted.contains(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    Ok(())
}

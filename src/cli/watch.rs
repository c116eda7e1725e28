//! `amilab check LAB [SCRIPT] --watch`: grade, then grade again whenever the script is saved,
//! until Ctrl-C.
//!
//! The watch is on the script's folder, not the file (see [`events`]), with a short debounce
//! so that an editor's truncate-then-write or write-temporary-then-rename is one save. After
//! each batch of events the script is read again and graded only if its text differs from the
//! text graded last: a half-written empty file is never graded twice in a row, and a save
//! without changes (or `touch`) leaves the report as it is, in both modes, and says so.

mod events;
mod mount;
mod screen;

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use super::check::{self, CheckArgs};
use super::{style, CliError, Outcome};
use crate::report::Format;
use mount::{Mode, Reason};
use screen::Screen;

/// The exit code after Ctrl-C: 128 + SIGINT, what a shell reports for a program that SIGINT
/// ended. Not 0: in amilab 0 means "passed", and a watch ended by hand has not passed
/// anything; a non-zero code also stops `amilab check … --watch && next`.
pub const INTERRUPTED: u8 = 130;

/// Events closer together than this are one save.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What wakes the loop.
enum Wake {
    Files(DebounceEventResult),
    Interrupt,
}

/// The watcher, kept alive while the loop runs (dropping it stops it).
#[expect(dead_code, reason = "held for its drop, never read")]
enum Active {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

/// Runs `check` in watch mode (`args.watch` is set). Bad input found by the first grade is
/// returned as it would be without `--watch`; after that, problems are shown and the watch goes
/// on. Ends with [`INTERRUPTED`] on Ctrl-C, or with the last grade's code after
/// `--watch-limit` re-grades.
pub fn run(args: &CheckArgs) -> Result<Outcome, CliError> {
    watchable(args)?;
    let mut once = args.clone();
    once.watch = false;

    let interrupted = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let on_interrupt = tx.clone();
    let flag = Arc::clone(&interrupted);
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        let _ = on_interrupt.send(Wake::Interrupt);
    })
    .map_err(|e| CliError {
        code: super::exit::UNGRADABLE,
        message: format!("cannot watch: Ctrl-C cannot be handled: {e}"),
    })?;

    // The first grade reports bad input (unknown lab, missing script) exactly as `check` does.
    let script = check::script_of(args);
    // Every grade is of the file found now, whatever appears elsewhere later.
    if once.script.is_none() && !once.lab.to_ascii_lowercase().ends_with(".rhai") {
        once.script.clone_from(&script);
    }
    let mut last = script.as_ref().and_then(|s| std::fs::read(s).ok());
    let first = check::execute(&once)?;
    let Some(script) = script else {
        return Ok(first);
    };
    // A link is followed: saves change the file it points to, in that file's folder.
    let real = script.canonicalize().unwrap_or_else(|_| script.clone());
    let name = real
        .file_name()
        .map(ToOwned::to_owned)
        .ok_or_else(|| CliError::usage(format!("cannot watch `{}`", script.display())))?;
    let dir = folder(&real);

    let (mode, _active) = start(&dir, args.poll, tx)?;
    let tty = io::stdout().is_terminal();
    let color = args.report.format == Format::Pretty && tty && style::stdout_colors();
    let mut screen = Screen::new(
        io::stdout().lock(),
        tty,
        color,
        script.display().to_string(),
        mode.short(),
    );
    let mut code = first.code;
    let mut graded = 0u64;
    let shown = screen
        .start(&mode.describe())
        .and_then(|()| screen.report(&first.stdout, true));
    if shown.is_err() || interrupted.load(Ordering::SeqCst) {
        return Ok(end(&mut screen, code, &interrupted));
    }
    // A save between the first read and the watch's start would be missed: look once more.
    let mut pending = std::fs::read(&script).ok() != last;

    loop {
        let save = if std::mem::take(&mut pending) {
            true
        } else {
            match rx.recv() {
                Err(_) | Ok(Wake::Interrupt) => return Ok(end(&mut screen, code, &interrupted)),
                Ok(Wake::Files(Ok(batch))) => batch.iter().any(|e| events::is_save(e, &name)),
                Ok(Wake::Files(Err(errors))) => {
                    let why: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    if screen
                        .notice(&format!("watch error: {}", why.join("; ")))
                        .is_err()
                    {
                        return Ok(end(&mut screen, code, &interrupted));
                    }
                    false
                }
            }
        };
        if !save {
            continue;
        }
        // Read after the debounce: the text as the editor left it.
        let shown = match std::fs::read(&script) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => screen.gone(),
            Ok(text) if Some(&text) == last.as_ref() => screen.unchanged(),
            read => {
                last = read.ok();
                let (report, c) = grade(&once);
                code = c;
                graded += 1;
                if interrupted.load(Ordering::SeqCst) {
                    return Ok(end(&mut screen, code, &interrupted));
                }
                screen.report(&report, false)
            }
        };
        if shown.is_err() || args.watch_limit.is_some_and(|n| graded >= n) {
            return Ok(end(&mut screen, code, &interrupted));
        }
    }
}

/// `--watch` redraws a report for people: not with the formats tools read, nor into a file.
fn watchable(args: &CheckArgs) -> Result<(), CliError> {
    if let Some(out) = &args.report.out {
        return Err(CliError::usage(format!(
            "`--watch` cannot be used with `--out`: the report is redrawn on the screen at every save\n  = help: drop `--out` to watch, or drop `--watch` to write the report to `{}` once",
            out.display()
        )));
    }
    if matches!(args.report.format, Format::Pretty | Format::Plain) {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "`--watch` cannot be used with `--format {}`: a report redrawn at every save is for people, not tools\n  = help: use `--format pretty` or `--format plain` to watch, or drop `--watch` to grade once",
        args.report.format.name()
    )))
}

/// The folder to watch: the script's, absolute and with links resolved (the mount table
/// speaks of real paths).
fn folder(script: &Path) -> PathBuf {
    let parent = match script.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent
        .canonicalize()
        .unwrap_or_else(|_| parent.to_path_buf())
}

/// Starts watching `dir` in the mode its file system needs, falling back to polling when native
/// events cannot be set up.
fn start(dir: &Path, poll: bool, tx: mpsc::Sender<Wake>) -> Result<(Mode, Active), CliError> {
    let handler = move |result| {
        let _ = tx.send(Wake::Files(result));
    };
    let mut mode = mount::choose(dir, poll);
    if mode == Mode::Native {
        let native = new_debouncer_opt::<_, RecommendedWatcher, _>(
            DEBOUNCE,
            None,
            handler.clone(),
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .and_then(|mut d| d.watch(dir, RecursiveMode::NonRecursive).map(|()| d));
        match native {
            Ok(d) => return Ok((mode, Active::Native(d))),
            Err(e) => mode = Mode::Poll(Reason::NoEvents(e.to_string())),
        }
    }
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_millis(mount::POLL_INTERVAL_MS))
        .with_compare_contents(true);
    new_debouncer_opt::<_, PollWatcher, _>(
        DEBOUNCE,
        None,
        handler,
        RecommendedCache::new(),
        config,
    )
    .and_then(|mut d| d.watch(dir, RecursiveMode::NonRecursive).map(|()| d))
    .map(|d| (mode, Active::Poll(d)))
    .map_err(|e| {
        CliError::usage(format!(
            "cannot watch `{}`: {e}\n  = help: check that the folder exists and that you may read it",
            dir.display()
        ))
    })
}

/// One grade after a save: the report, or the error that stands in for it, and the exit code.
fn grade(args: &CheckArgs) -> (String, u8) {
    match check::execute(args) {
        Ok(outcome) => (outcome.stdout + outcome.stderr.as_str(), outcome.code),
        Err(e) => (
            format!(
                "{}: {}\n",
                style::error_label(style::stdout_colors()),
                e.message.trim_end()
            ),
            e.code,
        ),
    }
}

/// Leaves the terminal tidy; the code is [`INTERRUPTED`] after Ctrl-C, else the last grade's.
fn end<W: io::Write>(screen: &mut Screen<W>, code: u8, interrupted: &AtomicBool) -> Outcome {
    let _ = screen.finish();
    Outcome {
        code: if interrupted.load(Ordering::SeqCst) {
            INTERRUPTED
        } else {
            code
        },
        ..Outcome::default()
    }
}

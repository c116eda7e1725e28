//! Panics contained: a bug in amilab (a panic anywhere in running or grading) becomes a result
//! that says so and asks for a bug report, with exit code 3 ("could not run to a verdict"),
//! never a Rust crash with exit code 101 and a backtrace in the learner's face.
//!
//! [`install_hook`] replaces the default panic message with a record of the panic that
//! [`catch`] turns into a [`Bug`]; with `RUST_BACKTRACE` set, the default message (and its
//! backtrace) is printed as well, for whoever debugs amilab itself.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// Where bugs are reported, and what a report should hold.
pub const REPORT_TO: &str = "please report this bug to the amilab maintainers (the course's issue tracker, or whoever gave you amilab) with the command you ran, the output of `amilab --version`, this message, and the files it read (the script, the lab or quiz, the answers file)";

/// A panic caught by [`catch`]: what it said and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bug {
    /// The panic's message.
    pub message: String,
    /// `file:line:column` in amilab's source, when known.
    pub location: Option<String>,
}

impl Bug {
    /// One line for reports: what failed, and the request for a bug report.
    pub fn describe(&self) -> String {
        let at = self
            .location
            .as_deref()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        format!(
            "amilab itself failed (a bug, not a fault in your files): {}{at}; {REPORT_TO}",
            self.message
        )
    }
}

thread_local! {
    /// The last panic on this thread, recorded by the hook for [`catch`].
    static LAST: RefCell<Option<Bug>> = const { RefCell::new(None) };
    /// How many [`catch`]es are running on this thread: a panic outside any of them (a test's
    /// failed assertion, a thread of its own) keeps Rust's default message.
    static CATCHING: Cell<usize> = const { Cell::new(0) };
}

/// Installs the panic hook once per process: inside [`catch`], it records the panic and prints
/// nothing, unless `RUST_BACKTRACE` is set (then Rust's default message and backtrace follow);
/// outside, it is Rust's default hook.
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                return default(info);
            }
            let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = info.payload().downcast_ref::<String>() {
                s.clone()
            } else {
                "a panic with no message".to_string()
            };
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            LAST.with(|last| *last.borrow_mut() = Some(Bug { message, location }));
            if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
                default(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err(Bug)`. The closure's state is not used after a
/// panic (callers build a fresh result), hence [`AssertUnwindSafe`].
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Bug> {
    LAST.with(|last| *last.borrow_mut() = None);
    CATCHING.with(|c| c.set(c.get() + 1));
    let caught = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    caught.map_err(|payload| {
        LAST.with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| Bug {
                message: payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic with no message".to_string()),
                location: None,
            })
    })
}

/// Test-only: panics at `point` when `AMILAB_TEST_PANIC` names it, so that the suite can
/// prove panics are contained. Compiled only into debug builds (tests run those); a release
/// build never reads the variable.
#[inline]
pub fn test_panic(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("AMILAB_TEST_PANIC").is_ok_and(|p| p == point) {
        panic!("AMILAB_TEST_PANIC={point}: a panic triggered for the test suite");
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_bug_with_its_message_and_place() {
        install_hook();
        let bug = catch(|| -> u8 { panic!("boom {}", 7) }).unwrap_err();
        assert_eq!(bug.message, "boom 7");
        assert!(
            bug.location.as_deref().unwrap().starts_with("src/bug.rs:"),
            "{bug:?}"
        );
        assert!(
            bug.describe().contains("please report this bug"),
            "{}",
            bug.describe()
        );
        assert_eq!(catch(|| 5), Ok(5));
    }
}

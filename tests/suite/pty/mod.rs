//! A real pseudo-terminal for the interactive tests: a detached tmux session running a command,
//! its screen read back, keys sent to it.
//!
//! Needs `tmux` (CI: `apt-get install -y tmux`). Without it a test is skipped locally and fails
//! when `CI` is set, so CI can never skip it silently.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A tmux session, killed when dropped.
pub struct Session(pub String);

impl Session {
    /// Starts `command` (run by `sh -c` in `dir`) in a `width`×`height` terminal, or `None`
    /// when tmux is missing outside CI. The command should end with a pause (`; sleep 60`)
    /// so the screen stays readable after it exits.
    pub fn start(
        label: &str,
        dir: &Path,
        command: &str,
        width: u16,
        height: u16,
    ) -> Option<Session> {
        if !available() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install tmux for the pseudo-terminal tests"
            );
            eprintln!("skipped: tmux is not installed");
            return None;
        }
        let name = format!("amilab-{label}-{}", std::process::id());
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh", "-c", command])
            .current_dir(dir)
            .env_remove("AMILAB_LEARNER")
            .status()
            .unwrap();
        assert!(status.success());
        Some(Session(name))
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen and its scrollback, wrapped lines joined.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-S", "-500", "-t", &self.0])
    }

    /// The screen alone, without the scrollback (to see that it was cleared).
    pub fn visible(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-t", &self.0])
    }

    /// Waits until the screen and its scrollback show `text`, and returns them.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_n(text, 1)
    }

    /// Waits until the screen and its scrollback show `text` `times` times, and returns them.
    pub fn wait_for_n(&self, text: &str, times: usize) -> String {
        self.wait_until(|s| s.matches(text).count() >= times, text, Session::screen)
    }

    /// Waits until the screen alone (no scrollback) shows `text`, and returns it.
    pub fn wait_visible(&self, text: &str) -> String {
        self.wait_until(|s| s.contains(text), text, Session::visible)
    }

    /// Polls `read` until `done` holds (a loaded 2-core machine may take a while: up to a
    /// minute), then lets the screen settle.
    fn wait_until(
        &self,
        done: impl Fn(&str) -> bool,
        what: &str,
        read: fn(&Session) -> String,
    ) -> String {
        let start = Instant::now();
        loop {
            let screen = read(self);
            if done(&screen) {
                sleep(Duration::from_millis(250));
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out waiting for {what:?}; screen:\n{screen}"
            );
            sleep(Duration::from_millis(100));
        }
    }

    /// Sends tmux key names (`Enter`, `Down`, `C-c`) one at a time.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.0, k]);
            sleep(Duration::from_millis(60));
        }
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.0, "-l", text]);
        sleep(Duration::from_millis(60));
    }

    /// Types `text`, then Enter.
    pub fn line(&self, text: &str) {
        self.type_text(text);
        self.keys(&["Enter"]);
    }

    pub fn down(&self, n: usize) {
        for _ in 0..n {
            self.keys(&["Down"]);
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

/// Whether tmux can be run.
pub fn available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

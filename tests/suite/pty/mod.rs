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

    /// Waits (up to 20 s) until the screen shows `text`, and returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                sleep(Duration::from_millis(250));
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {text:?}; screen:\n{screen}"
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

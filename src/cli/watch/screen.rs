//! What the watch writes: on a terminal, each report on a cleared screen under a status line
//! that later notices rewrite in place; piped, reports one after another between separator
//! lines, and notices as lines of their own.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use crate::cli::style;

/// Clears the screen and puts the cursor at its top left.
const CLEAR: &str = "\x1b[H\x1b[2J";
/// Back to the start of the line, and erase it.
const ERASE_LINE: &str = "\r\x1b[2K";
/// Shows the cursor (were anything to have hidden it).
const SHOW_CURSOR: &str = "\x1b[?25h";

/// The watch's output, on a terminal or not.
pub struct Screen<W: Write> {
    out: W,
    tty: bool,
    color: bool,
    /// The script's path as the learner wrote it.
    script: String,
    /// `file events` or `polling`.
    mode: &'static str,
    /// On a terminal, how saves are noticed, shown under the first report only.
    intro: Option<String>,
}

impl<W: Write> Screen<W> {
    pub fn new(out: W, tty: bool, color: bool, script: String, mode: &'static str) -> Self {
        Screen {
            out,
            tty,
            color,
            script,
            mode,
            intro: None,
        }
    }

    /// Says once how saves are noticed: piped, before the first report; on a terminal, above
    /// the status line under the first report (a line above it would be cleared at once).
    pub fn start(&mut self, how: &str) -> io::Result<()> {
        if self.tty {
            self.intro = Some(how.to_string());
            return Ok(());
        }
        writeln!(self.out, "watching {} — {how}", self.script)?;
        self.out.flush()
    }

    /// A report (or an error that stood in for one). `first`: the grade at start; the others
    /// follow a save.
    pub fn report(&mut self, text: &str, first: bool) -> io::Result<()> {
        let mut page = String::new();
        if self.tty {
            page.push_str(CLEAR);
        } else if !first {
            page.push_str(&format!(
                "\n---- {} changed: graded again ----\n\n",
                self.script
            ));
        }
        page.push_str(text);
        if !text.ends_with('\n') {
            page.push('\n');
        }
        if self.tty {
            page.push('\n');
            if let Some(intro) = self.intro.take() {
                page.push_str(&self.status(&intro));
                page.push('\n');
            }
            page.push_str(&self.status(&format!(
                "watching {} ({}) — save to re-grade, Ctrl-C to quit",
                self.script, self.mode
            )));
        }
        // One write: a Ctrl-C never leaves half a report.
        self.out.write_all(page.as_bytes())?;
        self.out.flush()
    }

    /// A short notice: on a terminal it replaces the status line, piped it is a line.
    pub fn notice(&mut self, text: &str) -> io::Result<()> {
        let line = if self.tty {
            format!("{ERASE_LINE}{}", self.status(text))
        } else {
            format!("{text}\n")
        };
        self.out.write_all(line.as_bytes())?;
        self.out.flush()
    }

    /// The script was saved without changing it.
    pub fn unchanged(&mut self) -> io::Result<()> {
        let text = format!(
            "{} saved without changes: the report stands — Ctrl-C to quit",
            self.script
        );
        self.notice(&text)
    }

    /// The script is gone (deleted, or mid-rename).
    pub fn gone(&mut self) -> io::Result<()> {
        let text = format!(
            "{} is gone: waiting for it to be saved again — Ctrl-C to quit",
            self.script
        );
        self.notice(&text)
    }

    /// The end (Ctrl-C): the shell's prompt starts on a line of its own, with the cursor shown.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.tty {
            write!(self.out, "\n{SHOW_CURSOR}")?;
        }
        self.out.flush()
    }

    fn status(&self, text: &str) -> String {
        style::paint(text, self.color, |s| s.dimmed().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(tty: bool) -> Screen<Vec<u8>> {
        Screen::new(Vec::new(), tty, false, "lab.rhai".into(), "polling")
    }

    fn text(s: Screen<Vec<u8>>) -> String {
        String::from_utf8(s.out).unwrap()
    }

    #[test]
    fn piped_reports_are_separated_not_cleared() {
        let mut s = screen(false);
        s.start("polling every 500 ms (--poll)").unwrap();
        s.report("report 1\n", true).unwrap();
        s.unchanged().unwrap();
        s.gone().unwrap();
        s.report("report 2", false).unwrap();
        s.finish().unwrap();
        let out = text(s);
        assert!(!out.contains('\x1b'), "{out:?}");
        assert_eq!(
            out,
            "watching lab.rhai — polling every 500 ms (--poll)\n\
             report 1\n\
             lab.rhai saved without changes: the report stands — Ctrl-C to quit\n\
             lab.rhai is gone: waiting for it to be saved again — Ctrl-C to quit\n\
             \n---- lab.rhai changed: graded again ----\n\n\
             report 2\n"
        );
    }

    #[test]
    fn on_a_terminal_each_report_clears_the_screen_under_a_status_line() {
        let mut s = screen(true);
        s.start("polling every 500 ms (--poll)").unwrap();
        s.report("report 1\n", true).unwrap();
        s.unchanged().unwrap();
        s.report("report 2\n", false).unwrap();
        s.finish().unwrap();
        assert_eq!(
            text(s),
            "\x1b[H\x1b[2Jreport 1\n\npolling every 500 ms (--poll)\nwatching lab.rhai (polling) — save to re-grade, Ctrl-C to quit\
             \r\x1b[2Klab.rhai saved without changes: the report stands — Ctrl-C to quit\
             \x1b[H\x1b[2Jreport 2\n\nwatching lab.rhai (polling) — save to re-grade, Ctrl-C to quit\
             \n\x1b[?25h"
        );
    }
}

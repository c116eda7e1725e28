//! Redirections (`>`, `>>`, `2>&1`, `<`, …) and file access that knows `/dev/null` and friends.

use std::mem;

use super::super::fs::FsError;
use super::super::paths::is_device;
use super::lex::Op;
use super::outcome::Outcome;
use super::Shell;

/// Where a stream ends up after redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    Stdout,
    Stderr,
    File(String),
}

impl Shell<'_> {
    /// Whether a `>` redirection could write `target`; bash opens the file before the command
    /// runs, so a bad target means the command does not run at all.
    pub(crate) fn check_writable(&self, target: &str) -> Result<(), FsError> {
        let path = self.path(target);
        if is_device(&path) {
            return Ok(());
        }
        if self.guest.live.is_dir(&path) {
            return Err(FsError::IsADirectory);
        }
        self.guest.live.check_parent(&path)
    }

    /// Sends a command's output where its redirections say: into files, or to the other stream.
    pub(crate) fn apply_redirects(
        &mut self,
        mut outcome: Outcome,
        redirects: &[(Op, Option<String>)],
        name: &str,
    ) -> Outcome {
        if redirects.iter().all(|(op, _)| *op == Op::In) {
            return outcome;
        }
        let mut out_sink = Sink::Stdout;
        let mut err_sink = Sink::Stderr;
        let mut truncated: Vec<String> = Vec::new();
        for (op, target) in redirects {
            let file = || match self.path(target.as_deref().unwrap_or_default()).as_str() {
                "/dev/stdout" => Sink::Stdout,
                "/dev/stderr" => Sink::Stderr,
                _ => Sink::File(target.clone().unwrap_or_default()),
            };
            match op {
                Op::Out | Op::Append => out_sink = file(),
                Op::ErrOut | Op::ErrAppend => err_sink = file(),
                Op::AllOut => {
                    out_sink = file();
                    err_sink = file();
                }
                Op::ErrToOut => err_sink = out_sink.clone(),
                Op::OutToErr => out_sink = err_sink.clone(),
                _ => {}
            }
            if matches!(op, Op::Out | Op::ErrOut | Op::AllOut) {
                truncated.extend(target.clone());
            }
        }
        let out = mem::take(&mut outcome.out);
        let err = mem::take(&mut outcome.err);
        let mut write_error = None;
        // `>` empties its file before anything is written, even when the command prints nothing.
        for target in &truncated {
            if let Err(e) = self.write_path(target, String::new(), false) {
                write_error.get_or_insert(e);
            }
        }
        for (text, sink) in [(out, out_sink), (err, err_sink)] {
            match sink {
                Sink::Stdout => outcome.out.push_str(&text),
                Sink::Stderr => outcome.err.push_str(&text),
                Sink::File(target) => {
                    if let Err(e) = self.write_path(&target, text, true) {
                        write_error.get_or_insert(e);
                    }
                }
            }
        }
        if let Some(e) = write_error {
            outcome.error(1, &format!("bash: {name}: write error: {}", e.describe()));
        }
        outcome
    }

    /// Reads a file for the shell or a tool. Devices read as empty; `/etc/passwd` and
    /// `/etc/group` are rendered from the account tables.
    pub(crate) fn read_path(&self, raw: &str) -> Result<String, FsError> {
        let path = self.path(raw);
        if is_device(&path) {
            return Ok(String::new());
        }
        match self.guest.live.read(&path) {
            Ok(content) => Ok(content.to_string()),
            Err(FsError::NotFound) => self.guest.account_file(&path).ok_or(FsError::NotFound),
            Err(e) => Err(e),
        }
    }

    /// Writes or appends to a file; devices swallow what is written.
    pub(crate) fn write_path(
        &mut self,
        raw: &str,
        content: String,
        append: bool,
    ) -> Result<(), FsError> {
        let path = self.path(raw);
        if is_device(&path) {
            return Ok(());
        }
        if append {
            self.guest.live.append(&path, &content)
        } else {
            self.guest.live.write(&path, content)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn writing_into_a_missing_directory_fails() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo hi > /no/such/file");
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stderr,
            "bash: /no/such/file: No such file or directory\n"
        );
        let result = run(&mut guest, "echo hi | tee /no/such/file");
        assert_eq!(result.exit_code, 1);
        assert!(result
            .stderr
            .contains("tee: /no/such/file: No such file or directory"));
        assert_eq!(
            run(&mut guest, "echo hi > /etc").stderr,
            "bash: /etc: Is a directory\n"
        );
    }

    #[test]
    fn stream_redirections() {
        let mut guest = al2023();
        let result = run(&mut guest, "cat /missing 2>/dev/null\ncat /missing 2>&1 | grep -c 'No such'\necho oops >&2\nls /missing > /tmp/out 2>&1");
        assert_eq!(result.stdout, "1\n");
        assert_eq!(result.stderr, "oops\n");
        assert!(guest.file("/tmp/out").unwrap().contains("cannot access"));
        let result = run(&mut guest, "wc -l < /etc/hosts");
        assert_eq!(result.stdout, "2\n");
        let result = run(&mut guest, "mkdir -p /opt/app/{logs,conf} && touch /opt/app/logs/f{1..2} '/opt/{q}'\nls /opt/app /opt/app/logs");
        assert_eq!(
            result.stdout,
            "/opt/app:\nconf\nlogs\n\n/opt/app/logs:\nf1\nf2\n"
        );
        assert!(
            guest.file("/opt/{q}").is_some(),
            "quoted braces stay literal"
        );
    }
}

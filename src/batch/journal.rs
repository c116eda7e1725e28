//! The batch's journal: every graded record is appended to `results.partial.jsonl` and flushed
//! the moment it is graded, so a batch stopped half-way (Ctrl-C, a CI runner's timeout) resumes
//! without grading again what is done. A finished batch removes it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::record::GradeRecord;

/// The journal's file name in the output folder.
pub const FILE: &str = "results.partial.jsonl";

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens (creating) the journal of the output folder `out` for appending; refuses one that
    /// is a link or not a file.
    pub fn open(out: &Path) -> io::Result<Journal> {
        let path = out.join(FILE);
        // Appending through a link would write into whatever file it points at.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
            return Err(io::Error::other(
                "it is not a file of its own (a link, or a folder); remove it",
            ));
        }
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(Journal { file, path })
    }

    /// Appends one record as a whole line and hands it to the operating system at once: a
    /// record is either in the journal whole, or (the process killed mid-write) a torn last
    /// line that [`read`] leaves out.
    pub fn append(&mut self, record: &GradeRecord) -> io::Result<()> {
        let mut line = record.to_line();
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.file.flush()
    }

    /// Removes the journal (its records are in `results.jsonl` now).
    pub fn finish(self) -> io::Result<()> {
        drop(self.file);
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The records of a journal left by an interrupted batch; a line that does not parse (the
/// last one, torn by the interruption, or any other) is left out: its learner is graded again.
pub fn read(out: &Path) -> Vec<GradeRecord> {
    let Ok(text) = std::fs::read_to_string(out.join(FILE)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

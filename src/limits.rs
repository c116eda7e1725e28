//! Source limits: the largest script, lab, quiz and answers file amilab reads, checked before
//! anything parses them (README, "Limits"). The sizes leave a wide margin over the course's
//! own files and bound the worst parse time: Rhai's parser is quadratic in the number of
//! variables a script declares, and the worst script of [`MAX_SCRIPT_BYTES`] (11,000 `let`
//! statements) parses in about 0.5 s in a release build.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest script (`.rhai`): 128 KiB, 35 times the course's largest (3.7 KB).
pub const MAX_SCRIPT_BYTES: u64 = 128 * 1024;
/// The largest lab file (`lab.yaml`): 1 MiB, 90 times the course's largest (11 KB).
pub const MAX_LAB_BYTES: u64 = 1024 * 1024;
/// The largest quiz file: 1 MiB, 55 times the course's largest (19 KB).
pub const MAX_QUIZ_BYTES: u64 = 1024 * 1024;
/// The largest answers file: 256 KiB, over 50 times the template of the largest quiz.
pub const MAX_ANSWERS_BYTES: u64 = 256 * 1024;
/// The largest assignment file: 256 KiB, a thousand parts and their comments (one part is a
/// few dozen bytes).
pub const MAX_ASSIGNMENT_BYTES: u64 = 256 * 1024;

/// The most points one lab check or quiz question may be worth. Far above any real weighting,
/// it keeps a total finite: at 1e308 points each, a sum was infinite and a perfect paper
/// scored NaN percent and failed.
pub const MAX_POINTS: f64 = 1_000_000.0;

/// The largest world file (`amilab run --world`): 256 MiB. A saved world grows with what it
/// holds (about 12 KB per instance with its guest system, 2 KB for an untouched world); every
/// region at its instance quota would be about 50 MB.
pub const MAX_WORLD_BYTES: u64 = 256 * 1024 * 1024;

/// What reading a file under a limit found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capped {
    /// The whole file, within the limit.
    Bytes(Vec<u8>),
    /// The file is larger than the limit; at most the limit and one byte were read.
    TooLarge(TooLarge),
}

/// The breach of a script (or an explore input) over [`MAX_SCRIPT_BYTES`], checked before
/// parsing: parse time grows with the square of the variables declared.
pub fn script_too_large(source: &str) -> Option<TooLarge> {
    (source.len() as u64 > MAX_SCRIPT_BYTES).then_some(TooLarge {
        size: source.len() as u64,
        exact: true,
        limit: MAX_SCRIPT_BYTES,
    })
}

/// A file over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The file's size, or (for a pipe or device, whose size is not known beforehand) the
    /// bytes read before giving up, with `exact` false.
    pub size: u64,
    pub exact: bool,
    pub limit: u64,
}

impl TooLarge {
    /// `is 2.0 MiB (2,097,152 bytes), more than the limit of 1 MiB`.
    pub fn describe(&self) -> String {
        let size = if self.exact {
            format!("is {} ({} bytes)", human(self.size), thousands(self.size))
        } else {
            format!("is more than {}", human(self.limit))
        };
        format!("{size}, more than the limit of {}", human(self.limit))
    }
}

/// Reads `path` unless it is larger than `limit` bytes: a regular file's size is checked
/// before reading, and no more than `limit + 1` bytes are ever read (pipes, devices, files that
/// grow while being read).
pub fn read_capped(path: &Path, limit: u64) -> io::Result<Capped> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > limit {
        return Ok(Capped::TooLarge(TooLarge {
            size: meta.len(),
            exact: true,
            limit,
        }));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Capped::TooLarge(TooLarge {
            size: bytes.len() as u64,
            exact: false,
            limit,
        }));
    }
    Ok(Capped::Bytes(bytes))
}

/// `128 KiB`, `1.05 MiB`, `900 bytes`.
pub fn human(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (value, unit) = if bytes >= MIB {
        (bytes as f64 / MIB as f64, "MiB")
    } else if bytes >= KIB {
        (bytes as f64 / KIB as f64, "KiB")
    } else {
        return amilab_text::plural(bytes, "byte", "bytes");
    };
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

/// `2,000,000`: digits grouped by thousands.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human(900), "900 bytes");
        assert_eq!(human(128 * 1024), "128 KiB");
        assert_eq!(human(1536 * 1024), "1.5 MiB");
        assert_eq!(thousands(2_097_152), "2,097,152");
        let t = TooLarge {
            size: 2 * 1024 * 1024,
            exact: true,
            limit: 1024 * 1024,
        };
        assert_eq!(
            t.describe(),
            "is 2 MiB (2,097,152 bytes), more than the limit of 1 MiB"
        );
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let dir = std::env::temp_dir().join(format!("amilab-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.txt");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(
            read_capped(&path, 5).unwrap(),
            Capped::Bytes(b"12345".to_vec())
        );
        assert!(matches!(
            read_capped(&path, 4).unwrap(),
            Capped::TooLarge(TooLarge {
                size: 5,
                exact: true,
                limit: 4
            })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

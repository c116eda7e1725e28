//! `--lab-sha256` / `--quiz-sha256`: grade only against the lab or quiz file a course pinned.
//!
//! A CI kit (`amilab ci init`) pins the content it was set up with, so that a newer amilab
//! whose built-in lab changed, or an edited lab file in the repository, cannot silently grade
//! learners against different checks. The hash is the sha256 of the file's bytes: the same one
//! a report gives as its first `sources` entry.

use super::CliError;
use crate::report::SourceHash;

/// The sha256 of a lab or quiz file as `--lab-sha256` / `--quiz-sha256` compare it: lower-case
/// hex of the bytes of `text`.
pub fn content_sha256(file: &str, text: &str) -> String {
    SourceHash::of(file, text.as_bytes()).sha256
}

/// Refuses (exit 2) when `pinned` is given and is not the sha256 of `text`, the `kind`
/// (`lab` / `quiz`) file `file` that `arg` named. A pin that is not 64 hex digits is refused
/// too, whatever the file.
pub fn verify(
    kind: &str,
    arg: &str,
    file: &str,
    text: &str,
    pinned: Option<&str>,
) -> Result<(), CliError> {
    let Some(pinned) = pinned else {
        return Ok(());
    };
    let flag = format!("--{kind}-sha256");
    let wanted = pinned.trim().to_ascii_lowercase();
    if wanted.len() != 64 || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CliError::usage(format!(
            "`{flag} {pinned}` is not a sha256: it takes 64 hexadecimal digits\n  = help: copy it from `amilab ci init` or from the first `sources` entry of `--format json`"
        )));
    }
    let actual = content_sha256(file, text);
    if actual == wanted {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "the {kind} file `{file}` changed from the pinned version, so nothing was graded: its sha256 is {actual}, and {flag} pins {wanted}\n  = help: grade with the amilab (and {kind} file) the course was set up with; if the change is intended, pin the new hash: `{flag} {actual}` (`amilab ci init … --{kind} {arg} --force` writes the kit again with it)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn no_pin_and_the_right_pin_grade() {
        assert_eq!(verify("lab", "x", "lab.yaml", "abc", None), Ok(()));
        assert_eq!(verify("lab", "x", "lab.yaml", "abc", Some(ABC)), Ok(()));
        // Upper-case hex is the same hash.
        let upper = ABC.to_ascii_uppercase();
        assert_eq!(verify("lab", "x", "lab.yaml", "abc", Some(&upper)), Ok(()));
    }

    #[test]
    fn another_file_is_refused_with_both_hashes_and_what_to_do() {
        let e = verify("quiz", "q.yaml", "q.yaml", "abd", Some(ABC)).unwrap_err();
        assert_eq!(e.code, crate::cli::exit::USAGE);
        assert!(e.message.starts_with(
            "the quiz file `q.yaml` changed from the pinned version, so nothing was graded"
        ));
        assert!(e.message.contains(&format!("--quiz-sha256 pins {ABC}")));
        assert!(e.message.contains(&format!(
            "--quiz-sha256 {}",
            content_sha256("q.yaml", "abd")
        )));
    }

    #[test]
    fn a_pin_that_is_no_hash_is_refused() {
        let e = verify("lab", "x", "lab.yaml", "abc", Some("abc123")).unwrap_err();
        assert_eq!(e.code, crate::cli::exit::USAGE);
        assert!(e.message.contains("is not a sha256"), "{}", e.message);
    }
}

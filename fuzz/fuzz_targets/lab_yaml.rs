//! A lab file as `amilab check` and `amilab validate` load it: strict parsing
//! (`lab::course::parse`), every static validation rule (`validate_static`), and, for a lab
//! without errors, grading an empty script in the anonymous learner's variant (params drawn,
//! world built, every check run). Bad input must give diagnostics, never a panic.
#![no_main]

use std::path::PathBuf;

use amilab::diagnostic::Diagnostic;
use amilab::lab::course::{self, Source};
use amilab::lab::validate::validate_static;
use amilab::lab::{grade, Who};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `read_content` refuses larger files and non-UTF-8 before parsing.
    if data.len() as u64 > amilab::limits::MAX_LAB_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A directory that does not exist: the rules that read the lab's scripts get an error.
    let source = Source::Dir(PathBuf::from("/nonexistent/amilab-fuzz/lab"));
    let Ok(lab) = course::parse("lab.yaml", text, source) else {
        return;
    };
    let problems = validate_static(&lab);
    if problems.iter().any(Diagnostic::is_error) {
        return;
    }
    let _ = grade(&lab, "fuzz.rhai", "", &Who::default(), 1);
});

//! A learner's script: `amilab::script::run` on arbitrary source in a fresh default cloud,
//! with small limits (after Rhai's own fuzz target: little memory, few call levels, a short
//! deadline). A panic inside the run is contained by amilab and reported as
//! an `Internal` failure; the target turns that back into a crash, since it is a bug.
#![no_main]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use amilab::script::{self, FailureKind, Limits, RunOptions};
use amilab_cloud::Cloud;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits {
        max_operations: 20_000,
        max_call_levels: 10,
        max_expr_depth: 50,
        max_function_expr_depth: 16,
        // Rhai's own fuzz target caps strings, arrays and maps; amilab bounds them all by
        // memory: 16 MiB keeps each input quick.
        max_memory: 16 << 20,
        max_variables: 1000,
        max_functions: 64,
        deadline: Duration::from_millis(200),
        max_output_lines: 100,
        max_output_bytes: 8192,
    };
    let cloud = Rc::new(RefCell::new(Cloud::default()));
    let report = script::run(
        &cloud,
        source,
        RunOptions {
            limits,
            read_only: false,
        },
    );
    if let Some(f) = &report.failure {
        assert!(
            f.kind != FailureKind::Internal,
            "contained panic: {}",
            f.message
        );
    }
});

//! The AWS CLI front end (`amilab_awscli::driver::run`): one command line per input, split as
//! a shell splits it (`shlex`; an input a shell cannot split is skipped), run against a fresh
//! default cloud. Checks that it ends with one of the CLI's exit codes and never panics, hangs
//! or aborts (a recursive parser given deep nesting aborts the process: the bug this target
//! first found, in `--query`).
#![no_main]

use std::sync::OnceLock;

use amilab_awscli::driver::{self, Session};
use amilab_cloud::{Cloud, WorldConfig};
use libfuzzer_sys::fuzz_target;

fn template() -> &'static Cloud {
    static CLOUD: OnceLock<Cloud> = OnceLock::new();
    CLOUD.get_or_init(|| Cloud::new(WorldConfig::default()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Some(words) = shlex::split(line) else {
        return;
    };
    let mut cloud = template().clone();
    let refuse = |_: &str| -> Result<String, String> { Err("no files".into()) };
    let outcome = driver::run(
        &mut Session {
            cloud: &mut cloud,
            account: "123456789012".into(),
            default_region: "us-east-1".into(),
            read_file: &refuse,
            read_only: false,
            default_output: None,
        },
        &words,
    );
    assert!(
        [0, 252, 254, 255].contains(&outcome.exit_code),
        "exit {}",
        outcome.exit_code
    );
});

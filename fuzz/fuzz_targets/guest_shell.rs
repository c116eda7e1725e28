//! The guest's shell (`amilab_guest::Guest::run_script`): what SSM `AWS-RunShellScript` and
//! user data run inside a simulated instance. The first byte picks the operating system; the
//! rest is the script. Checks the documented output caps, and that a crash-consistent copy,
//! a reboot and a second run of the script on the changed system stay well-behaved.
#![no_main]

use amilab_guest::{Guest, OsFamily, MAX_STDERR_CHARS, MAX_STDOUT_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(script) = std::str::from_utf8(rest) else {
        return;
    };
    let os = OsFamily::ALL[usize::from(first) % OsFamily::ALL.len()];
    let mut guest = Guest::new(os);
    let lines = vec![script.to_string()];
    let run = guest.run_script(&lines);
    assert!(run.stdout.chars().count() <= MAX_STDOUT_CHARS);
    assert!(run.stderr.chars().count() <= MAX_STDERR_CHARS);
    let mut copy = guest.crash_consistent_copy();
    copy.boot();
    guest.shutdown();
    guest.boot();
    let _ = guest.run_script(&lines);
});

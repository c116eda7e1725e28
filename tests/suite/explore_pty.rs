//! `amilab explore` at a real pseudo-terminal (tmux): a multi-line input, Tab completion of a
//! method and of a request key, Up-arrow history, Ctrl-C at the prompt and while an input runs,
//! `:trail`, `:quit`, and the history file it leaves.
//!
//! Needs `tmux` (CI: `apt-get install -y tmux`). Without it the test is skipped locally and
//! fails when `CI` is set, so CI can never skip it silently.

use std::thread::sleep;
use std::time::Duration;

use crate::pty::Session;

#[test]
fn explore_at_a_pseudo_terminal() {
    // A directory of its own: the history file is written where explore runs.
    let dir = tempfile::tempdir().unwrap();
    let Some(p) = start(dir.path(), "first") else {
        return;
    };

    p.wait_for("Ctrl-D leaves.");
    p.line("let ec2 = client(\"ec2\");");

    // An open `[` goes on over lines; the value comes once it is closed.
    p.line("let n = [");
    p.line("  1, 2,");
    p.line("  3];");
    p.line("n.len() * 100");
    p.wait_for("\n300\n");

    // Tab completes a method of the client, then a key of its request.
    p.type_text("ec2.describe_key_p");
    p.keys(&["Tab"]);
    p.line("().key_pairs.len() + 40");
    p.wait_for("amilab> ec2.describe_key_pairs().key_pairs.len() + 40");
    p.wait_for("\n40\n");
    p.type_text("ec2.create_key_pair(#{key_n");
    p.keys(&["Tab"]);
    p.line(": \"tabbed\"}).key_name");
    p.wait_for("amilab> ec2.create_key_pair(#{key_name: \"tabbed\"}).key_name");
    p.wait_for("\"tabbed\"");

    // Up, Up: the describe call again, which now finds the key.
    p.keys(&["Up", "Up", "Enter"]);
    p.wait_for("\n41\n");

    // Ctrl-C drops what was typed; the session goes on.
    p.type_text("let junk = 99");
    p.keys(&["C-c"]);
    p.line("junk");
    p.wait_for("Variable not found: junk");

    p.line(":trail");
    let screen = p.wait_for("API trail (3 calls)");
    assert_eq!(
        screen.matches("ec2.DescribeKeyPairs").count(),
        2,
        "{screen}"
    );
    assert_eq!(screen.matches("ec2.CreateKeyPair").count(), 1, "{screen}");

    // Ctrl-C while an input runs stops that input; the session goes on. (After `:trail`,
    // whose count this loop's calls would change.)
    // API calls cost few operations and much time: the loop is still running when Ctrl-C
    // comes, even on a loaded machine (a bare `loop {}` can reach the operations limit first).
    p.line("let spins = 0; loop { spins += 1; ec2.describe_images(#{owners: [\"amazon\"]}); }");
    sleep(Duration::from_millis(500));
    p.keys(&["C-c"]);
    p.wait_for("error[limit]: the script was interrupted (Ctrl-C) and stopped");
    p.line("spins > 0");
    p.wait_for("\ntrue\n");

    p.line(":quit");
    p.wait_for("EXIT=0");
    let history = std::fs::read_to_string(dir.path().join(".amilab/explore_history")).unwrap();
    assert!(history.contains(":trail"), "{history}");
    assert!(
        history.contains("key_name: \\\"tabbed\\\"") || history.contains("key_name: \"tabbed\""),
        "{history}"
    );
    assert!(!history.contains("junk = 99"), "{history}");
    drop(p);

    // The next session starts with that history; Ctrl-D leaves.
    let p = start(dir.path(), "second").unwrap();
    p.wait_for("Ctrl-D leaves.");
    p.keys(&["Up", "Up"]);
    p.wait_for("amilab> spins > 0");
    p.keys(&["C-c", "C-d"]);
    p.wait_for("EXIT=0");
    drop(p);

    // Where the history cannot be saved (`.amilab` is a file), the session goes on without.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join(".amilab"), "not a directory").unwrap();
    let p = start(elsewhere.path(), "third").unwrap();
    p.wait_for("Ctrl-D leaves.");
    p.line("6 * 7");
    p.wait_for("\n42\n");
    p.line(":quit");
    p.wait_for("EXIT=0");
}

/// `amilab explore` in a new tmux session, run in `dir`.
fn start(dir: &std::path::Path, tag: &str) -> Option<Session> {
    let bin = env!("CARGO_BIN_EXE_amilab");
    // The shell around explore gets Ctrl-C's SIGINT too (one process group, no job control):
    // a trap keeps it going to report the exit code. A trap, not an ignore, which explore
    // would inherit.
    let command = format!("trap ':' INT; NO_COLOR=1 {bin} explore; echo EXIT=$?; sleep 60");
    Session::start(&format!("explore-{tag}"), dir, &command, 160, 50)
}

//! Shell integration: completion scripts and man pages come from the clap definitions, and
//! every command and option has help text to generate them from.

use clap::CommandFactory;

use crate::cli_common::run;

/// Every command, subcommand, argument and option says what it is for (`--help`, completions
/// and man pages all show it).
#[test]
fn every_command_and_option_has_help_text() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let path = format!("{path} {}", cmd.get_name()).trim().to_string();
        if cmd.get_about().is_none() && path != "amilab" {
            missing.push(format!("command `{path}`"));
        }
        for arg in cmd.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && !arg.is_hide_set() && arg.get_help().is_none() {
                missing.push(format!("`{path}` argument `{}`", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() != "help" {
                walk(sub, &path, missing);
            }
        }
    }
    let mut missing = Vec::new();
    walk(&amilab::cli::Cli::command(), "", &mut missing);
    assert!(missing.is_empty(), "no help text:\n{}", missing.join("\n"));
}

#[test]
fn completion_scripts_know_every_command() {
    let (code, bash, _) = run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(bash.contains("complete -F _amilab"), "{bash}");
    for word in [
        "init",
        "check",
        "hint",
        "--learner",
        "--format",
        "completions",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let (code, script, _) = run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(script.contains("hint"), "{shell}: {script}");
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("possible values: bash, zsh, fish, powershell, elvish"),
        "{err}"
    );
}

#[test]
fn man_pages_render_from_the_same_definitions() {
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH amilab 1"), "{page}");
    assert!(page.contains("Reveal the next hint"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let (code, said, _) = run(&["man", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{said}");
    let check = std::fs::read_to_string(out.join("amilab-check.1")).unwrap();
    assert!(check.contains("\\-\\-learner"), "{check}");
    assert!(said.contains("amilab-hint.1"), "{said}");
}

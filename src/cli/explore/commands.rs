//! The `:` commands of `amilab explore`: their table (for `:help` and completion) and parsing.
//! A new command is a row of [`COMMANDS`], a variant of [`Command`] and an arm of the REPL's
//! dispatch.

use std::path::PathBuf;

/// One command as `:help` lists it.
pub struct CommandInfo {
    pub name: &'static str,
    /// What follows the name (`FILE`), empty when nothing does.
    pub args: &'static str,
    pub summary: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "state",
        args: "",
        summary: "the resources left in each region (as `amilab run --state`)",
    },
    CommandInfo {
        name: "trail",
        args: "",
        summary: "every API call so far (as `amilab run --trail`)",
    },
    CommandInfo {
        name: "graph",
        args: "[FILE]",
        summary: "the AMI lineage of the world as it is: Mermaid here, or into FILE (.mmd, .md, .svg)",
    },
    CommandInfo {
        name: "reset",
        args: "",
        summary: "back to the starting world: variables, functions and inputs to save are forgotten (history is kept)",
    },
    CommandInfo {
        name: "save",
        args: "FILE",
        summary: "save the inputs that ran (syntax errors left out) as a script; `:save! FILE` overwrites",
    },
    CommandInfo {
        name: "help",
        args: "",
        summary: "this list",
    },
    CommandInfo {
        name: "quit",
        args: "",
        summary: "leave (Ctrl-D too)",
    },
];

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    State,
    Trail,
    /// `:graph` (Mermaid on the screen) or `:graph FILE`.
    Graph(Option<PathBuf>),
    Reset,
    Save {
        path: PathBuf,
        overwrite: bool,
    },
    Help,
    Quit,
}

/// Why a command line is not a command: the message and a help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCommand {
    pub message: String,
    pub help: String,
}

/// The command on `line` (which starts with `:`).
pub fn parse(line: &str) -> Result<Command, BadCommand> {
    let line = line.trim();
    let body = line.strip_prefix(':').unwrap_or(line);
    let (name, rest) = match body.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, rest.trim()),
        None => (body, ""),
    };
    let no_argument = |command: Command| {
        if rest.is_empty() {
            Ok(command)
        } else {
            Err(BadCommand {
                message: format!("`:{name}` takes no argument, but `{rest}` followed it"),
                help: format!("type `:{name}` alone"),
            })
        }
    };
    match name {
        "state" => no_argument(Command::State),
        "trail" => no_argument(Command::Trail),
        "graph" if rest.is_empty() => Ok(Command::Graph(None)),
        "graph" => Ok(Command::Graph(Some(PathBuf::from(rest)))),
        "reset" => no_argument(Command::Reset),
        "help" | "h" | "?" => no_argument(Command::Help),
        "quit" | "q" | "exit" => no_argument(Command::Quit),
        "save" | "save!" if rest.is_empty() => Err(BadCommand {
            message: format!("`:{name}` needs the file to save the inputs to"),
            help: format!("`:{name} explore.rhai`"),
        }),
        "save" | "save!" => Ok(Command::Save {
            path: PathBuf::from(rest),
            overwrite: name == "save!",
        }),
        _ => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            let suggestion = amilab_cloud::api::suggest(name, &names)
                .map(|s| format!("did you mean `:{s}`? "))
                .unwrap_or_default();
            Err(BadCommand {
                message: format!("unknown command `:{name}`"),
                help: format!("{suggestion}`:help` lists the commands"),
            })
        }
    }
}

/// The `:help` text.
pub fn help() -> String {
    let mut out = String::from(
        "Type Rhai, as in a script: variables and functions stay defined from one input to the\n\
         next, and the value of the last expression is shown. An unclosed `{`, `(`, `[` or string\n\
         continues on the next line. Tab completes services, methods and request keys.\n\nCommands:\n",
    );
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + c.args.len() + 2)
        .max()
        .unwrap_or(0);
    for c in COMMANDS {
        let usage = if c.args.is_empty() {
            format!(":{}", c.name)
        } else {
            format!(":{} {}", c.name, c.args)
        };
        out.push_str(&format!("  {usage:<width$}  {}\n", c.summary));
    }
    out.push_str(
        "\nCtrl-C clears the input being typed, or stops the one running; Ctrl-D leaves.\n",
    );
    out
}

/// The commands whose `:name` starts with `typed` (which starts with `:`), for completion.
pub fn complete(typed: &str) -> Vec<String> {
    let mut names: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!(":{}", c.name))
        .chain([":save!".to_string()])
        .filter(|c| c.starts_with(typed))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(parse(":state"), Ok(Command::State));
        assert_eq!(parse("  :trail  "), Ok(Command::Trail));
        assert_eq!(parse(":graph"), Ok(Command::Graph(None)));
        assert_eq!(
            parse(":graph clone.svg"),
            Ok(Command::Graph(Some(PathBuf::from("clone.svg"))))
        );
        assert_eq!(parse(":q"), Ok(Command::Quit));
        assert_eq!(
            parse(":save out/x.rhai"),
            Ok(Command::Save {
                path: "out/x.rhai".into(),
                overwrite: false
            })
        );
        assert_eq!(
            parse(":save! x.rhai"),
            Ok(Command::Save {
                path: "x.rhai".into(),
                overwrite: true
            })
        );
    }

    #[test]
    fn bad_commands_say_what_to_do() {
        let e = parse(":stat").unwrap_err();
        assert_eq!(e.message, "unknown command `:stat`");
        assert_eq!(e.help, "did you mean `:state`? `:help` lists the commands");
        let e = parse(":save").unwrap_err();
        assert!(e.message.contains("needs the file"), "{e:?}");
        let e = parse(":reset now").unwrap_err();
        assert!(e.message.contains("takes no argument"), "{e:?}");
    }

    #[test]
    fn help_lists_every_command_and_completion_offers_them() {
        let help = help();
        for c in COMMANDS {
            assert!(help.contains(&format!(":{}", c.name)), "{}", c.name);
        }
        assert_eq!(complete(":s"), [":save", ":save!", ":state"]);
        assert_eq!(complete(":q"), [":quit"]);
    }
}

//! Shell builtins (`cd`, `echo`, `set`, `test`, `source`, …) and the wrappers that run another
//! command (`sudo`, `env`, `nohup`, `timeout`).

use std::mem;

use super::super::paths::is_device;
use super::super::shell::{is_assignment, truncate_bytes, Outcome, Scope, Shell, Stop};
use super::super::MAX_STREAM_BYTES;

/// The backslash escapes of `echo -e` and `printf`; `\c` ends the output.
pub(crate) fn interpret_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('e') => out.push('\u{1b}'),
            Some('c') => break,
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn builtin_echo(args: &[String]) -> Outcome {
    let mut newline = true;
    let mut escapes = false;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let is_option = arg.len() > 1
            && arg.starts_with('-')
            && arg[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'));
        if !is_option {
            break;
        }
        for c in arg[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        index += 1;
    }
    let mut text = args[index..].join(" ");
    if escapes {
        text = interpret_escapes(&text);
    }
    if newline {
        text.push('\n');
    }
    Outcome::print(text)
}

/// `printf FORMAT ARGS…` with `%s %d %i %u %f %b %c %%` and backslash escapes; the format is
/// reused while arguments remain, as in bash.
fn builtin_printf(args: &[String]) -> Outcome {
    let Some((format, rest)) = args.split_first() else {
        return Outcome::fail(2, "printf: usage: printf [-v var] format [arguments]");
    };
    let mut out = String::new();
    let mut remaining = rest.iter();
    loop {
        let mut consumed = 0;
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        let mut literal = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                literal.push(c);
                i += 1;
                continue;
            }
            out.push_str(&interpret_escapes(&mem::take(&mut literal)));
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || matches!(chars[i], '-' | '.' | '+' | ' ' | '#'))
            {
                i += 1;
            }
            let Some(&conversion) = chars.get(i) else {
                break;
            };
            i += 1;
            if conversion == '%' {
                out.push('%');
                continue;
            }
            consumed += 1;
            let arg = remaining.next().map(String::as_str).unwrap_or("");
            match conversion {
                'd' | 'i' | 'u' => out.push_str(if arg.is_empty() { "0" } else { arg }),
                'b' => out.push_str(&interpret_escapes(arg)),
                'c' => out.extend(arg.chars().next()),
                _ => out.push_str(arg),
            }
        }
        out.push_str(&interpret_escapes(&literal));
        if consumed == 0 || remaining.len() == 0 || out.len() > MAX_STREAM_BYTES {
            break;
        }
    }
    truncate_bytes(&mut out, MAX_STREAM_BYTES);
    Outcome::print(out)
}

impl Shell<'_> {
    pub(crate) fn run_builtin(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &str,
    ) -> Option<Result<Outcome, Stop>> {
        let outcome = match name {
            ":" | "true" => Outcome::success(),
            "false" => Outcome::status(1),
            "cd" => self.builtin_cd(args),
            "pwd" => Outcome::print(format!("{}\n", self.cwd)),
            "echo" => builtin_echo(args),
            "printf" => builtin_printf(args),
            "exit" => return Some(self.builtin_exit(args)),
            "set" => self.builtin_set(args),
            "export" | "readonly" | "declare" | "local" | "typeset" => self.builtin_export(args),
            "unset" => {
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    self.vars.remove(arg);
                }
                Outcome::success()
            }
            "source" | "." => return Some(self.builtin_source(name, args)),
            "eval" => return Some(self.run_text(&args.join(" "), Scope::SameShell, None)),
            "test" | "[" | "[[" => self.builtin_test(name, args),
            "command" => return Some(self.builtin_command(args, stdin)),
            "type" => self.builtin_type(args),
            "read" => self.builtin_read(args, stdin),
            "wait" | "umask" | "alias" | "unalias" | "shopt" | "trap" | "hash" | "ulimit"
            | "disown" => Outcome::success(),
            // Rebooting is the SSM layer's business; here the command just returns.
            "reboot" | "shutdown" | "poweroff" | "halt" => Outcome::success(),
            "sudo" => return Some(self.wrapper_sudo(args, stdin)),
            "nohup" | "exec" | "builtin" | "stdbuf" | "nice" => {
                if args.is_empty() {
                    return Some(Ok(if name == "exec" {
                        Outcome::success()
                    } else {
                        Outcome::fail(125, &format!("{name}: missing operand"))
                    }));
                }
                let skip = args.iter().take_while(|a| a.starts_with('-')).count();
                return Some(self.dispatch(&args[skip..], stdin));
            }
            "time" => {
                let result = self.dispatch(args, stdin);
                return Some(result.map(|mut outcome| {
                    outcome
                        .err
                        .push_str("\nreal\t0m0.001s\nuser\t0m0.000s\nsys\t0m0.000s\n");
                    outcome
                }));
            }
            "env" => return Some(self.wrapper_env(args, stdin)),
            "timeout" => {
                let mut index = 0;
                while args.get(index).is_some_and(|a| a.starts_with('-')) {
                    index += if matches!(
                        args[index].as_str(),
                        "-s" | "-k" | "--signal" | "--kill-after"
                    ) {
                        2
                    } else {
                        1
                    };
                }
                if args.len() <= index + 1 {
                    return Some(Ok(Outcome::fail(125, "timeout: missing operand")));
                }
                return Some(self.dispatch(&args[index + 1..], stdin));
            }
            _ => return None,
        };
        Some(Ok(outcome))
    }

    fn builtin_cd(&mut self, args: &[String]) -> Outcome {
        let target = match args
            .iter()
            .find(|a| !a.starts_with('-') || a.as_str() == "-")
        {
            None => "/root".to_string(),
            Some(dash) if dash == "-" => self.previous_dir.clone(),
            Some(dir) => dir.clone(),
        };
        let path = self.path(&target);
        if self.guest.live.is_dir(&path) {
            self.previous_dir = mem::replace(&mut self.cwd, path);
            Outcome::success()
        } else {
            let why = self.guest.live.not_a_dir_error(&path).describe();
            Outcome::fail(1, &format!("bash: cd: {target}: {why}"))
        }
    }

    fn builtin_exit(&mut self, args: &[String]) -> Result<Outcome, Stop> {
        let status = match args.first() {
            None => self.last_status,
            Some(arg) => match arg.parse::<i64>() {
                Ok(n) => n.rem_euclid(256) as i32,
                Err(_) => {
                    self.stderr
                        .push(&format!("bash: exit: {arg}: numeric argument required\n"));
                    2
                }
            },
        };
        Err(Stop::Exit(status))
    }

    fn builtin_set(&mut self, args: &[String]) -> Outcome {
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            index += 1;
            let enable = match arg.chars().next() {
                Some('-') => true,
                Some('+') => false,
                _ => continue,
            };
            for flag in arg.chars().skip(1) {
                match flag {
                    'e' => self.options.errexit = enable,
                    'x' => self.options.xtrace = enable,
                    'u' => self.options.nounset = enable,
                    'o' => {
                        let option = args.get(index).cloned().unwrap_or_default();
                        index += 1;
                        match option.as_str() {
                            "errexit" => self.options.errexit = enable,
                            "xtrace" => self.options.xtrace = enable,
                            "nounset" => self.options.nounset = enable,
                            "pipefail" => self.options.pipefail = enable,
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
        Outcome::success()
    }

    fn builtin_export(&mut self, args: &[String]) -> Outcome {
        let mut outcome = Outcome::success();
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            for (name, value) in &self.vars {
                outcome.say(&format!("declare -x {name}=\"{value}\""));
            }
            return outcome;
        }
        for arg in names {
            let (name, value) = arg.split_once('=').unwrap_or((arg.as_str(), ""));
            if !is_assignment(&format!("{name}=")) {
                outcome.error(1, &format!("bash: export: `{arg}': not a valid identifier"));
            } else if arg.contains('=') || !self.vars.contains_key(name) {
                if let Err(message) = self.set_var(name, value) {
                    outcome.error(1, &message);
                }
            }
        }
        outcome
    }

    fn builtin_source(&mut self, name: &str, args: &[String]) -> Result<Outcome, Stop> {
        let Some(file) = args.first() else {
            return Ok(Outcome::fail(
                2,
                &format!("bash: {name}: filename argument required"),
            ));
        };
        match self.read_path(file) {
            Ok(text) => self.run_text(&text, Scope::SameShell, None),
            Err(e) => Ok(Outcome::fail(1, &format!("bash: {file}: {}", e.describe()))),
        }
    }

    fn builtin_test(&self, name: &str, args: &[String]) -> Outcome {
        let closing = match name {
            "[" => Some("]"),
            "[[" => Some("]]"),
            _ => None,
        };
        let args = match closing {
            None => args,
            Some(close) => match args.split_last() {
                Some((last, rest)) if last == close => rest,
                _ => return Outcome::fail(2, &format!("bash: {name}: missing `{close}'")),
            },
        };
        match self.evaluate_test(args) {
            Ok(true) => Outcome::success(),
            Ok(false) => Outcome::status(1),
            Err(message) => Outcome::fail(2, &format!("bash: {name}: {message}")),
        }
    }

    fn evaluate_test(&self, args: &[String]) -> Result<bool, String> {
        let live = &self.guest.live;
        match args {
            [] => Ok(false),
            [bang, rest @ ..] if bang == "!" => self.evaluate_test(rest).map(|b| !b),
            [single] => Ok(!single.is_empty()),
            [op, operand] => {
                let path = self.path(operand);
                match op.as_str() {
                    "-f" => Ok(live.is_file(&path)),
                    "-d" => Ok(live.is_dir(&path)),
                    "-e" | "-r" | "-w" => Ok(live.exists(&path) || is_device(&path)),
                    "-s" => Ok(live.files.get(&path).is_some_and(|c| !c.is_empty())),
                    "-x" => Ok(live.exists(&path) && live.meta_of(&path).mode & 0o111 != 0),
                    "-L" | "-h" => Ok(false),
                    "-z" => Ok(operand.is_empty()),
                    "-n" => Ok(!operand.is_empty()),
                    _ => Err(format!("{op}: unary operator expected")),
                }
            }
            [left, op, right] => {
                let number = |s: &String| {
                    s.trim()
                        .parse::<i64>()
                        .map_err(|_| format!("{s}: integer expression expected"))
                };
                match op.as_str() {
                    "=" | "==" => Ok(left == right),
                    "!=" => Ok(left != right),
                    "-eq" => Ok(number(left)? == number(right)?),
                    "-ne" => Ok(number(left)? != number(right)?),
                    "-lt" => Ok(number(left)? < number(right)?),
                    "-le" => Ok(number(left)? <= number(right)?),
                    "-gt" => Ok(number(left)? > number(right)?),
                    "-ge" => Ok(number(left)? >= number(right)?),
                    _ => Err(format!("{op}: binary operator expected")),
                }
            }
            _ => Err("too many arguments".to_string()),
        }
    }

    pub(crate) fn is_builtin(name: &str) -> bool {
        matches!(
            name,
            ":" | "true"
                | "false"
                | "cd"
                | "pwd"
                | "echo"
                | "printf"
                | "exit"
                | "set"
                | "export"
                | "unset"
                | "source"
                | "."
                | "eval"
                | "test"
                | "["
                | "command"
                | "type"
                | "read"
                | "wait"
                | "umask"
                | "alias"
                | "trap"
                | "exec"
                | "time"
                | "local"
                | "declare"
                | "readonly"
        )
    }

    fn builtin_command(&mut self, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
        match args.first().map(String::as_str) {
            Some("-v" | "-V") => {
                let mut outcome = Outcome::success();
                for name in &args[1..] {
                    if Self::is_builtin(name) {
                        outcome.say(name);
                    } else if let Some(path) = self.command_path(name) {
                        outcome.say(&path);
                    } else {
                        outcome.status = 1;
                    }
                }
                Ok(outcome)
            }
            Some(_) => self.dispatch(args, stdin),
            None => Ok(Outcome::success()),
        }
    }

    fn builtin_type(&self, args: &[String]) -> Outcome {
        let mut outcome = Outcome::success();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            if Self::is_builtin(name) {
                outcome.say(&format!("{name} is a shell builtin"));
            } else if let Some(path) = self.command_path(name) {
                outcome.say(&format!("{name} is {path}"));
            } else {
                outcome.error(1, &format!("bash: type: {name}: not found"));
            }
        }
        outcome
    }

    fn builtin_read(&mut self, args: &[String], stdin: &str) -> Outcome {
        let mut names: Vec<&String> = Vec::new();
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            if matches!(arg.as_str(), "-p" | "-t" | "-n" | "-d" | "-u") {
                index += 1;
            } else if !arg.starts_with('-') {
                names.push(arg);
            }
            index += 1;
        }
        let Some(line) = stdin.lines().next() else {
            return Outcome::status(1);
        };
        let default_name = "REPLY".to_string();
        let names = if names.is_empty() {
            vec![&default_name]
        } else {
            names
        };
        let mut words = line.split_whitespace();
        for (i, name) in names.iter().enumerate() {
            let value = if i + 1 == names.len() {
                words.by_ref().collect::<Vec<_>>().join(" ")
            } else {
                words.next().unwrap_or("").to_string()
            };
            if let Err(message) = self.set_var(name, &value) {
                return Outcome::fail(1, &message);
            }
        }
        Outcome::success()
    }

    fn wrapper_sudo(&mut self, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            if arg == "--" {
                index += 1;
                break;
            }
            if !arg.starts_with('-') {
                break;
            }
            let takes_value = matches!(
                arg.as_str(),
                "-u" | "-g" | "-C" | "-D" | "-p" | "-r" | "-t" | "-U" | "-h"
            );
            index += if takes_value { 2 } else { 1 };
        }
        if index >= args.len() {
            if args.iter().any(|a| a == "-i" || a == "-s") {
                return Ok(Outcome::success());
            }
            return Ok(Outcome::fail(1, "usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-u user] command [arg ...]"));
        }
        // Everything already runs as root: the command runs unchanged.
        self.dispatch(&args[index..], stdin)
    }

    fn wrapper_env(&mut self, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            if arg == "-u" || arg == "--unset" {
                index += 2;
            } else if arg.starts_with('-') || is_assignment(arg) {
                index += 1;
            } else {
                break;
            }
        }
        if index < args.len() {
            return self.dispatch(&args[index..], stdin);
        }
        let mut outcome = Outcome::success();
        for (name, value) in &self.vars {
            outcome.say(&format!("{name}={value}"));
        }
        for assignment in args.iter().filter(|a| is_assignment(a)) {
            outcome.say(assignment);
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn cd_changes_where_relative_paths_point() {
        let mut guest = al2023();
        let result = run(&mut guest, "pwd\nmkdir -p /opt/app\ncd /opt/app\npwd\necho x > notes.txt\nmkdir sub && cd sub && touch ../up.txt\ncd ..\nls");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "/\n/opt/app\nnotes.txt\nsub\nup.txt\n");
        assert!(
            guest.file("/opt/app/notes.txt").is_some() && guest.file("/opt/app/up.txt").is_some()
        );
        let result = run(&mut guest, "cd /nowhere");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "bash: cd: /nowhere: No such file or directory\n")
        );
        run(&mut guest, "cd\ntouch home.txt");
        assert!(
            guest.file("/root/home.txt").is_some(),
            "cd alone goes to root's home"
        );
    }

    #[test]
    fn test_builtin_and_brackets() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "[ -f /etc/hostname ] && echo file\n[ -d /etc ] && echo dir\ntest -e /nope || echo missing\n[ 3 -gt 2 ] && echo bigger\n[ a = b ] || echo differ\n[ -z \"\" ] && echo empty",
        );
        assert_eq!(result.stdout, "file\ndir\nmissing\nbigger\ndiffer\nempty\n");
        let result = run(&mut guest, "[ -f /etc/hostname");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (2, "bash: [: missing `]'\n")
        );
        assert_eq!(run(&mut guest, "[ x -eq 1 ]").exit_code, 2);
    }
}

//! Running programs by path: the PATH search, executable scripts, and `bash`/`sh`.

use super::super::fs::FsError;
use super::super::paths::{base_name, child_path, parent_of};
use super::super::shell::{Outcome, Scope, Shell, ShellOptions, Stop};

impl Shell<'_> {
    const PATH_DIRS: [&'static str; 6] = [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ];

    /// An executable script in a PATH directory, for commands that no package provides.
    pub(crate) fn find_on_path(&self, name: &str) -> Option<String> {
        Self::PATH_DIRS
            .iter()
            .map(|dir| child_path(dir, name))
            .find(|path| {
                self.guest.live.is_file(path) && self.guest.live.meta_of(path).mode & 0o111 != 0
            })
    }

    /// Where `which` finds a command.
    pub(crate) fn command_path(&self, name: &str) -> Option<String> {
        if self.guest.command_available(name) {
            let dir = if matches!(
                name,
                "sshd" | "useradd" | "userdel" | "usermod" | "groupadd" | "nginx" | "httpd"
            ) {
                "/usr/sbin"
            } else {
                "/usr/bin"
            };
            return Some(child_path(dir, name));
        }
        self.find_on_path(name)
    }

    pub(crate) fn run_path(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &str,
    ) -> Result<Outcome, Stop> {
        let path = self.path(name);
        let live = &self.guest.live;
        if live.is_file(&path) {
            if live.meta_of(&path).mode & 0o111 == 0 {
                return Ok(Outcome::fail(
                    126,
                    &format!("bash: {name}: Permission denied"),
                ));
            }
            return self.run_script_file(name, &path, None);
        }
        if live.is_dir(&path) {
            return Ok(Outcome::fail(126, &format!("bash: {name}: Is a directory")));
        }
        let program = base_name(&path).to_string();
        let in_bin_dir = Self::PATH_DIRS.contains(&parent_of(&path));
        if in_bin_dir && (Self::is_builtin(&program) || self.guest.command_available(&program)) {
            let mut argv = vec![program];
            argv.extend_from_slice(args);
            return self.dispatch(&argv, stdin);
        }
        Ok(Outcome::fail(
            127,
            &format!("bash: {name}: No such file or directory"),
        ))
    }

    /// Runs a script file in a new shell. Scripts for other interpreters (`#!/usr/bin/env
    /// python3`) are not simulated: they succeed silently.
    pub(crate) fn run_script_file(
        &mut self,
        shown: &str,
        path: &str,
        options: Option<ShellOptions>,
    ) -> Result<Outcome, Stop> {
        let text = match self.guest.live.read(path) {
            Ok(text) => text.to_string(),
            Err(FsError::NotFound) => {
                return Ok(Outcome::fail(
                    127,
                    &format!("bash: {shown}: No such file or directory"),
                ))
            }
            Err(e) => {
                return Ok(Outcome::fail(
                    126,
                    &format!("bash: {shown}: {}", e.describe()),
                ))
            }
        };
        let interpreter = text
            .lines()
            .next()
            .filter(|l| l.starts_with("#!"))
            .unwrap_or("");
        if ["python", "node", "perl", "ruby", "php"]
            .iter()
            .any(|i| interpreter.contains(i))
        {
            return Ok(Outcome::success());
        }
        self.run_text(&text, Scope::NewShell, options)
    }

    pub(crate) fn cmd_bash(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &str,
    ) -> Result<Outcome, Stop> {
        let mut options = ShellOptions::default();
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            if arg == "-c" {
                let Some(script) = args.get(index + 1) else {
                    return Ok(Outcome::fail(
                        2,
                        &format!("{name}: -c: option requires an argument"),
                    ));
                };
                return self.run_text(script, Scope::NewShell, Some(options));
            }
            if arg.starts_with('-') && arg.len() > 1 {
                options.errexit |= arg.contains('e');
                options.xtrace |= arg.contains('x');
                options.nounset |= arg.contains('u');
                index += 1;
                continue;
            }
            let path = self.path(arg);
            return self.run_script_file(arg, &path, Some(options));
        }
        // `curl … | bash`: the script comes from standard input.
        self.run_text(stdin, Scope::NewShell, Some(options))
    }
}

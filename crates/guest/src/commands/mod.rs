//! The simulated commands, grouped by family, and the dispatch that picks one for a command line.

mod apt;
mod args;
mod builtins;
mod exec;
// `files` and `git` are visible to the guest module for its cross-module unit test.
pub(super) mod files;
pub(super) mod git;
mod grep;
mod languages;
mod network;
mod regex;
mod rpm;
mod sed;
mod services;
mod system;
mod text;
mod tools;
mod users;

use super::shell::{command_not_found, is_assignment, Outcome, Shell, Stop};
use files::{cmd_basename, cmd_dirname};
use system::{cmd_date, cmd_sleep};

impl Shell<'_> {
    /// Runs one expanded command line. In order: variable assignments, builtins, programs named
    /// by path, commands of installed packages, and executable scripts in a PATH directory.
    pub(crate) fn dispatch(&mut self, argv: &[String], stdin: &str) -> Result<Outcome, Stop> {
        let Some(first) = argv.first() else {
            return Ok(Outcome::success());
        };
        if is_assignment(first) {
            let count = argv.iter().take_while(|w| is_assignment(w)).count();
            if count < argv.len() {
                // `NAME=value command`: the variable only matters to that command's environment.
                return self.dispatch(&argv[count..], stdin);
            }
            for assignment in argv {
                let (name, value) = assignment.split_once('=').unwrap_or_default();
                if let Err(message) = self.set_var(name, value) {
                    return Ok(Outcome::fail(1, &message));
                }
            }
            return Ok(Outcome::status(self.substitution_status.unwrap_or(0)));
        }
        let name = first.as_str();
        let args = &argv[1..];
        if let Some(result) = self.run_builtin(name, args, stdin) {
            return result;
        }
        if name.contains('/') {
            return self.run_path(name, args, stdin);
        }
        if self.guest.command_available(name) {
            return self.run_external(name, args, stdin);
        }
        if let Some(script) = self.find_on_path(name) {
            return self.run_script_file(name, &script, None);
        }
        Ok(command_not_found(name))
    }

    /// A command some installed package provides: its simulation, or the generic answer of a
    /// tool that is installed but not simulated.
    fn run_external(&mut self, name: &str, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
        let outcome = match name {
            "cat" => self.cmd_cat(args, stdin),
            "ls" => self.cmd_ls(args),
            "mkdir" => self.cmd_mkdir(args),
            "rm" => self.cmd_rm(args),
            "rmdir" => self.cmd_rmdir(args),
            "cp" => self.cmd_cp(args),
            "mv" => self.cmd_mv(args),
            "touch" => self.cmd_touch(args),
            "chmod" => self.cmd_chmod(args),
            "chown" => self.cmd_chown("chown", args),
            "chgrp" => self.cmd_chgrp(args),
            "ln" => self.cmd_ln(args),
            "tee" => self.cmd_tee(args, stdin),
            "grep" | "egrep" | "fgrep" => self.cmd_grep(name, args, stdin),
            "sed" => self.cmd_sed(args, stdin),
            "head" | "tail" => self.cmd_head_tail(name, args, stdin),
            "wc" => self.cmd_wc(args, stdin),
            "sort" => self.cmd_sort(args, stdin),
            "basename" => cmd_basename(args),
            "dirname" => cmd_dirname(args),
            "sync" => {
                self.guest.sync();
                Outcome::success()
            }
            "whoami" => Outcome::print("root\n"),
            "hostname" => self.cmd_hostname(args),
            "hostnamectl" => self.cmd_hostnamectl(args),
            "uname" => self.cmd_uname(args),
            "id" => self.cmd_id(args),
            "which" => self.cmd_which(args),
            "date" => cmd_date(args),
            "sleep" => cmd_sleep(args),
            "dnf" | "yum" => self.cmd_dnf(name, args),
            "apt" | "apt-get" => self.cmd_apt(name, args),
            "rpm" => self.cmd_rpm(args),
            "dpkg" | "dpkg-query" => self.cmd_dpkg(name, args),
            "snap" => self.cmd_snap(args),
            "amazon-linux-extras" => self.cmd_extras(args),
            "systemctl" => self.cmd_systemctl(args),
            "service" => self.cmd_service(args),
            "chkconfig" => self.cmd_chkconfig(args),
            "useradd" => self.cmd_useradd("useradd", args),
            "adduser" if self.os().is_debian() => self.cmd_adduser(args),
            "adduser" => self.cmd_useradd("adduser", args),
            "userdel" | "deluser" => self.cmd_userdel(name, args),
            "usermod" => self.cmd_usermod(args),
            "groupadd" => self.cmd_groupadd(args),
            "groupdel" => self.cmd_groupdel(args),
            "passwd" => self.cmd_passwd(args, stdin),
            "chpasswd" => self.cmd_chpasswd(stdin),
            "git" => self.cmd_git(args),
            "npm" => self.cmd_npm(args),
            "pip" | "pip3" => self.cmd_pip(name, args),
            "python" | "python2" | "python2.7" | "python3" => self.cmd_python(name, args),
            "node" | "nodejs" => self.cmd_node(args),
            "docker" => self.cmd_docker(args),
            "curl" => self.cmd_curl(args),
            "wget" => self.cmd_wget(args),
            "crontab" => self.cmd_crontab(args, stdin),
            "postgresql-setup" => self.cmd_postgresql_setup(args),
            "amazon-cloudwatch-agent-ctl" => self.cmd_cloudwatch_ctl(args),
            "bash" | "sh" => return self.cmd_bash(name, args, stdin),
            _ => self.generic_tool(name, args),
        };
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn unknown_commands_and_comments() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "#!/bin/bash\n\n   # just a comment\nfrobnicate --now",
        );
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (127, "bash: frobnicate: command not found\n")
        );
        let result = run(&mut guest, "# only comments\n");
        assert_eq!(result.exit_code, 0);
        assert!(result.stdout.is_empty() && result.stderr.is_empty());
    }
}

//! System information tools: `hostname`, `hostnamectl`, `uname`, `id`, `which`, `date`, `sleep`.

use super::super::os::{pretty_name, OsFamily};
use super::super::shell::{Outcome, Shell};
use super::args::Flags;

impl Shell<'_> {
    pub(crate) fn cmd_hostname(&self, args: &[String]) -> Outcome {
        let hostname = self.guest.hostname();
        match args.first().map(String::as_str) {
            None => Outcome::print(format!("{hostname}\n")),
            Some("-I" | "-i" | "--all-ip-addresses" | "--ip-address") => {
                Outcome::print(format!("{}\n", self.guest.private_ip()))
            }
            Some("-s" | "--short") => {
                Outcome::print(format!("{}\n", hostname.split('.').next().unwrap_or("")))
            }
            Some("-f" | "--fqdn" | "--long") => {
                let fqdn = if hostname.contains('.') {
                    hostname
                } else {
                    format!("{hostname}.ec2.internal")
                };
                Outcome::print(format!("{fqdn}\n"))
            }
            // Setting the transient hostname changes nothing that outlives the run.
            Some(_) => Outcome::success(),
        }
    }

    pub(crate) fn cmd_hostnamectl(&mut self, args: &[String]) -> Outcome {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        match operands.as_slice() {
            [] | [_] if operands.first().is_none_or(|s| s.as_str() == "status") => {
                let mut outcome = Outcome::success();
                outcome.say(&format!(" Static hostname: {}", self.guest.hostname()));
                outcome.say("       Icon name: computer-vm");
                outcome.say(&format!("Operating System: {}", pretty_name(self.guest.os)));
                outcome.say(&format!(
                    "          Kernel: Linux {}",
                    self.guest.os.kernel_release()
                ));
                outcome.say("    Architecture: x86-64");
                outcome
            }
            [verb, name] if verb.as_str() == "set-hostname" || verb.as_str() == "hostname" => {
                match self.guest.live.write("/etc/hostname", format!("{name}\n")) {
                    Ok(()) => Outcome::success(),
                    Err(e) => Outcome::fail(
                        1,
                        &format!("Could not set static hostname: {}", e.describe()),
                    ),
                }
            }
            _ => Outcome::fail(1, &format!("Unknown command verb '{}'.", operands[0])),
        }
    }

    pub(crate) fn cmd_uname(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.guest.os;
        let machine = self.guest.machine();
        let fields: [(char, String); 8] = [
            ('s', "Linux".to_string()),
            ('n', self.guest.hostname()),
            ('r', kernel_release(os, machine)),
            ('v', "#1 SMP PREEMPT_DYNAMIC".to_string()),
            ('m', machine.to_string()),
            ('p', machine.to_string()),
            ('i', machine.to_string()),
            ('o', "GNU/Linux".to_string()),
        ];
        let all = flags.any('a', "all");
        let chosen: Vec<&str> = fields
            .iter()
            .filter(|(c, _)| all || flags.has(*c))
            .map(|(_, value)| value.as_str())
            .collect();
        let line = if chosen.is_empty() {
            "Linux".to_string()
        } else {
            chosen.join(" ")
        };
        Outcome::print(format!("{line}\n"))
    }

    pub(crate) fn cmd_id(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let name = flags
            .operands
            .first()
            .cloned()
            .unwrap_or_else(|| "root".to_string());
        let guest = &*self.guest;
        let Some(account) = guest.users.get(&name) else {
            return Outcome::fail(1, &format!("id: '{name}': no such user"));
        };
        let gid = guest.primary_gid(account);
        let names = flags.has('n');
        let line = if flags.has('u') {
            if names {
                name.clone()
            } else {
                account.uid.to_string()
            }
        } else if flags.has('g') {
            if names {
                account.group.clone()
            } else {
                gid.to_string()
            }
        } else if flags.has('G') {
            let groups = guest.groups_of(&name).unwrap_or_default();
            let shown: Vec<String> = groups
                .iter()
                .map(|g| {
                    if names {
                        g.clone()
                    } else {
                        guest.groups.get(g).copied().unwrap_or(0).to_string()
                    }
                })
                .collect();
            shown.join(" ")
        } else {
            guest.id_line(&name).unwrap_or_default()
        };
        Outcome::print(format!("{line}\n"))
    }

    pub(crate) fn cmd_which(&self, args: &[String]) -> Outcome {
        let mut outcome = Outcome::success();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            match self.command_path(name) {
                Some(path) => outcome.say(&path),
                None => {
                    outcome.status = 1;
                    if !self.guest.os.is_debian() {
                        let path = self.vars.get("PATH").cloned().unwrap_or_default();
                        outcome.warn(&format!("/usr/bin/which: no {name} in ({path})"));
                    }
                }
            }
        }
        outcome
    }
}

/// The simulation has no clock: `date` always reports the same instant.
pub(crate) fn cmd_date(args: &[String]) -> Outcome {
    match args.iter().find(|a| a.starts_with('+')) {
        None => Outcome::print("Thu Jan  1 00:00:00 UTC 2026\n"),
        Some(format) => {
            let mut text = format[1..].to_string();
            for (code, value) in [
                ("%F", "2026-01-01"),
                ("%T", "00:00:00"),
                ("%Y", "2026"),
                ("%m", "01"),
                ("%d", "01"),
                ("%H", "00"),
                ("%M", "00"),
                ("%S", "00"),
                ("%s", "1767225600"),
                ("%Z", "UTC"),
            ] {
                text = text.replace(code, value);
            }
            Outcome::print(format!("{text}\n"))
        }
    }
}

pub(crate) fn cmd_sleep(args: &[String]) -> Outcome {
    if args.is_empty() {
        return Outcome::fail(1, "sleep: missing operand");
    }
    for arg in args {
        let number = arg.trim_end_matches(['s', 'm', 'h', 'd']);
        if number.parse::<f64>().is_err() {
            return Outcome::fail(1, &format!("sleep: invalid time interval '{arg}'"));
        }
    }
    Outcome::success()
}

/// The kernel release as `uname -r` shows it: the OS's kernel, built for this processor.
fn kernel_release(os: OsFamily, machine: &str) -> String {
    let release = os.kernel_release();
    match release.rsplit_once('.') {
        Some((base, "x86_64")) => format!("{base}.{machine}"),
        _ => release.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn misc_system_commands() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "whoami\nhostname\nuname\nuname -m\nwhich curl\nwhich git",
        );
        assert_eq!(result.exit_code, 1, "which fails for a missing command");
        assert_eq!(
            result.stdout,
            "root\nip-172-31-16-10.ec2.internal\nLinux\nx86_64\n/usr/bin/curl\n"
        );
        assert!(result.stderr.contains("no git in"));
        assert!(run(&mut guest, "uname -a").stdout.contains("amzn2023"));
        let result = run(&mut guest, "reboot");
        assert_eq!(
            (
                result.exit_code,
                result.stdout.as_str(),
                result.stderr.as_str()
            ),
            (0, "", "")
        );
        run(&mut guest, "hostnamectl set-hostname web-1");
        assert_eq!(run(&mut guest, "hostname").stdout, "web-1\n");
    }
}

//! Service control: `systemctl`, `service` and `chkconfig`.

use super::super::services::{service_description, StartError};
use super::super::shell::{Outcome, Shell};

/// What systemd says when a unit fails to start.
pub(crate) fn start_failure_message(unit: &str) -> String {
    format!(
        "Job for {unit}.service failed because the control process exited with error code.\nSee \"systemctl status {unit}.service\" and \"journalctl -xeu {unit}.service\" for details."
    )
}

/// What `systemctl enable` says when it enables a unit.
pub(crate) fn enabled_message(unit: &str) -> String {
    format!(
        "Created symlink /etc/systemd/system/multi-user.target.wants/{unit}.service → /usr/lib/systemd/system/{unit}.service."
    )
}

impl Shell<'_> {
    pub(crate) fn cmd_systemctl(&mut self, args: &[String]) -> Outcome {
        let now = args.iter().any(|a| a == "--now");
        let quiet = args.iter().any(|a| a == "-q" || a == "--quiet");
        let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some((verb, units)) = words.split_first() else {
            return self.list_units();
        };
        match verb.as_str() {
            "daemon-reload" | "daemon-reexec" | "reset-failed" => return Outcome::success(),
            "list-units" | "list-unit-files" => return self.list_units(),
            "enable" | "disable" | "start" | "stop" | "restart" | "try-restart" | "reload"
            | "reload-or-restart" | "status" | "is-enabled" | "is-active" | "is-failed"
            | "mask" | "unmask" | "kill" => {}
            other => return Outcome::fail(1, &format!("Unknown command verb '{other}'.")),
        }
        if units.is_empty() {
            return Outcome::fail(1, "Too few arguments.");
        }
        let mut outcome = Outcome::success();
        for raw in units {
            let unit = self.guest.canonical_unit(raw);
            let result = self.systemctl_one(verb, &unit, now);
            outcome.absorb(result);
        }
        if quiet {
            outcome.out.clear();
        }
        outcome
    }

    fn systemctl_one(&mut self, verb: &str, unit: &str, now: bool) -> Outcome {
        let exists = self.guest.services.contains_key(unit);
        let state = self.guest.services.get(unit).copied().unwrap_or_default();
        let mut outcome = Outcome::success();
        match verb {
            "enable" | "disable" | "mask" | "unmask" if !exists => {
                let action = if verb.ends_with("able") {
                    verb
                } else {
                    "enable"
                };
                outcome.error(
                    1,
                    &format!("Failed to {action} unit: Unit file {unit}.service does not exist."),
                );
            }
            "enable" => {
                if !state.enabled {
                    self.guest.set_enabled(unit, true);
                    outcome.warn(&enabled_message(unit));
                }
                if now {
                    outcome.absorb(self.systemctl_one("start", unit, false));
                }
            }
            "disable" | "mask" => {
                if state.enabled {
                    self.guest.set_enabled(unit, false);
                    outcome.warn(&format!(
                        "Removed \"/etc/systemd/system/multi-user.target.wants/{unit}.service\"."
                    ));
                }
                if now {
                    self.guest.stop_unit(unit);
                }
            }
            "unmask" => {}
            "is-enabled" if !exists => {
                outcome.error(1, &format!("Failed to get unit file state for {unit}.service: No such file or directory"));
            }
            "is-enabled" => {
                outcome.say(if state.enabled { "enabled" } else { "disabled" });
                outcome.status = if state.enabled { 0 } else { 1 };
            }
            "is-active" => {
                outcome.say(if state.active { "active" } else { "inactive" });
                outcome.status = if state.active { 0 } else { 3 };
            }
            "is-failed" => {
                outcome.say(if state.active { "active" } else { "inactive" });
                outcome.status = 1;
            }
            "status" if !exists => {
                outcome.error(4, &format!("Unit {unit}.service could not be found."))
            }
            "status" => {
                let (dot, active) = if state.active {
                    ("●", "active (running)")
                } else {
                    ("○", "inactive (dead)")
                };
                outcome.say(&format!(
                    "{dot} {unit}.service - {}",
                    service_description(unit)
                ));
                outcome.say(&format!(
                    "     Loaded: loaded (/usr/lib/systemd/system/{unit}.service; {}; preset: disabled)",
                    if state.enabled { "enabled" } else { "disabled" }
                ));
                outcome.say(&format!("     Active: {active}"));
                outcome.status = if state.active { 0 } else { 3 };
            }
            "start" | "stop" | "restart" | "try-restart" | "reload" | "reload-or-restart"
            | "kill"
                if !exists =>
            {
                let (action, why) = if verb == "stop" || verb == "kill" {
                    ("stop", "not loaded")
                } else {
                    (verb, "not found")
                };
                outcome.error(
                    5,
                    &format!("Failed to {action} {unit}.service: Unit {unit}.service {why}."),
                );
            }
            "start" => {
                if let Err(
                    StartError::PortBusy | StartError::NotInitialized | StartError::NotFound,
                ) = self.guest.start_unit(unit)
                {
                    outcome.error(1, &start_failure_message(unit));
                }
            }
            "stop" | "kill" => self.guest.stop_unit(unit),
            "restart" | "reload-or-restart" => {
                self.guest.stop_unit(unit);
                if self.guest.start_unit(unit).is_err() {
                    outcome.error(1, &start_failure_message(unit));
                }
            }
            "try-restart" => {}
            "reload" if !state.active => {
                outcome.error(1, &format!("{unit}.service is not active, cannot reload."))
            }
            _ => {}
        }
        outcome
    }

    fn list_units(&self) -> Outcome {
        let mut outcome = Outcome::print(
            "UNIT                                   LOAD   ACTIVE   SUB     DESCRIPTION\n",
        );
        for (unit, state) in &self.guest.services {
            let (active, sub) = if state.active {
                ("active", "running")
            } else {
                ("inactive", "dead")
            };
            outcome.say(&format!(
                "{:<38} loaded {:<8} {:<7} {}",
                format!("{unit}.service"),
                active,
                sub,
                service_description(unit)
            ));
        }
        outcome
    }

    pub(crate) fn cmd_service(&mut self, args: &[String]) -> Outcome {
        if args.first().is_some_and(|a| a == "--status-all") {
            let mut outcome = Outcome::success();
            for (unit, state) in &self.guest.services {
                outcome.say(&format!(
                    " [ {} ]  {unit}",
                    if state.active { "+" } else { "-" }
                ));
            }
            return outcome;
        }
        let (Some(name), Some(action)) = (args.first(), args.get(1)) else {
            return Outcome::fail(1, "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]");
        };
        let unit = self.guest.canonical_unit(name);
        if self.os().has_systemd() {
            let mut outcome = Outcome::success();
            if !self.os().is_debian() {
                outcome.warn(&format!(
                    "Redirecting to /bin/systemctl {action} {unit}.service"
                ));
            }
            outcome.absorb(self.systemctl_one(action, &unit, false));
            return outcome;
        }
        // SysV init on the original Amazon Linux AMI.
        let Some(state) = self.guest.services.get(&unit).copied() else {
            return Outcome::fail(1, &format!("{name}: unrecognized service"));
        };
        let column = |verb: &str, ok: bool| {
            format!(
                "{verb} {unit}:{}[{}]",
                " ".repeat(40usize.saturating_sub(verb.len() + unit.len())),
                if ok { "  OK  " } else { "FAILED" }
            )
        };
        match action.as_str() {
            "start" => {
                let ok = state.active || self.guest.start_unit(&unit).is_ok();
                let mut outcome = Outcome::print(format!("{}\n", column("Starting", ok)));
                outcome.status = if ok { 0 } else { 1 };
                outcome
            }
            "stop" => {
                self.guest.stop_unit(&unit);
                Outcome::print(format!("{}\n", column("Stopping", true)))
            }
            "restart" | "reload" | "condrestart" => {
                self.guest.stop_unit(&unit);
                let ok = self.guest.start_unit(&unit).is_ok();
                let mut outcome = Outcome::print(format!(
                    "{}\n{}\n",
                    column("Stopping", true),
                    column("Starting", ok)
                ));
                outcome.status = if ok { 0 } else { 1 };
                outcome
            }
            "status" if state.active => Outcome::print(format!("{unit} is running...\n")),
            "status" => {
                let mut outcome = Outcome::print(format!("{unit} is stopped\n"));
                outcome.status = 3;
                outcome
            }
            other => Outcome::fail(
                2,
                &format!("Usage: /etc/init.d/{unit} {{start|stop|restart|status}} (got {other})"),
            ),
        }
    }

    pub(crate) fn cmd_chkconfig(&mut self, args: &[String]) -> Outcome {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let listing = args.iter().any(|a| a == "--list");
        if listing || operands.is_empty() {
            let mut outcome = Outcome::success();
            for (unit, state) in &self.guest.services {
                if operands.first().is_some_and(|o| o.as_str() != unit) {
                    continue;
                }
                let on = if state.enabled { "on" } else { "off" };
                outcome.say(&format!(
                    "{unit:<16}0:off\t1:off\t2:{on}\t3:{on}\t4:{on}\t5:{on}\t6:off"
                ));
            }
            return outcome;
        }
        let name = operands[0];
        let unit = self.guest.canonical_unit(name);
        if !self.guest.services.contains_key(&unit) {
            return Outcome::fail(
                1,
                &format!("error reading information on service {name}: No such file or directory"),
            );
        }
        match operands.get(1).map(|s| s.as_str()) {
            Some("on") => self.guest.set_enabled(&unit, true),
            Some("off") => self.guest.set_enabled(&unit, false),
            _ => {}
        }
        Outcome::success()
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn systemctl_enable_now_and_state_queries() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y nginx");
        let result = run(&mut guest, "systemctl is-active nginx");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (3, "inactive\n")
        );
        let result = run(&mut guest, "systemctl is-enabled nginx.service");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (1, "disabled\n")
        );
        let result = run(&mut guest, "sudo systemctl enable --now nginx");
        assert_eq!(result.exit_code, 0);
        assert!(result.stderr.contains("Created symlink"));
        assert_eq!(
            guest
                .service("nginx.service")
                .map(|s| (s.enabled, s.active)),
            Some((true, true))
        );
        let result = run(&mut guest, "systemctl is-active nginx");
        assert_eq!((result.exit_code, result.stdout.as_str()), (0, "active\n"));
        let status = run(&mut guest, "systemctl status nginx");
        assert_eq!(status.exit_code, 0);
        assert!(status.stdout.contains("Active: active (running)"));
        run(&mut guest, "systemctl stop nginx");
        let status = run(&mut guest, "systemctl status nginx");
        assert_eq!(status.exit_code, 3);
        assert!(status.stdout.contains("inactive (dead)"));
        run(&mut guest, "systemctl disable --now nginx");
        assert_eq!(guest.service("nginx").map(|s| s.enabled), Some(false));
    }

    #[test]
    fn systemctl_unknown_units() {
        let mut guest = al2023();
        let result = run(&mut guest, "systemctl enable nginx");
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stderr,
            "Failed to enable unit: Unit file nginx.service does not exist.\n"
        );
        let result = run(&mut guest, "systemctl start nginx.service");
        assert_eq!(result.exit_code, 5);
        assert_eq!(
            result.stderr,
            "Failed to start nginx.service: Unit nginx.service not found.\n"
        );
        let result = run(&mut guest, "systemctl status nginx");
        assert_eq!(result.exit_code, 4);
        let result = run(&mut guest, "systemctl is-active nginx");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (3, "inactive\n")
        );
        assert_eq!(run(&mut guest, "systemctl frobnicate nginx").exit_code, 1);
    }

    #[test]
    fn service_command_and_ubuntu_sshd_alias() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y httpd");
        let result = run(&mut guest, "service httpd start");
        assert_eq!(result.exit_code, 0);
        assert!(result
            .stderr
            .contains("Redirecting to /bin/systemctl start httpd.service"));
        assert!(guest.service("httpd").unwrap().active);
        let mut guest = ubuntu();
        assert_eq!(
            run(
                &mut guest,
                "systemctl restart sshd && systemctl is-active sshd"
            )
            .exit_code,
            0
        );
    }

    #[test]
    fn legacy_linux_uses_sysv_init() {
        let mut guest = Guest::new(OsFamily::LegacyLinux);
        assert_eq!(run(&mut guest, "systemctl start sshd").exit_code, 127);
        let result = run(
            &mut guest,
            "yum install -y httpd\nchkconfig httpd on\nservice httpd start",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("Starting httpd:"));
        let httpd = guest.service("httpd").unwrap();
        assert!(httpd.enabled && httpd.active);
        assert_eq!(run(&mut guest, "service nosuch start").exit_code, 1);
    }
}

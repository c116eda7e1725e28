//! Debian package managers: `apt`/`apt-get`, `dpkg`/`dpkg-query`, and `snap`.

use super::super::catalog::{
    installed_spec, is_protected, resolve_package, resolve_package_file, spec_named, Channel,
    NO_INSTALL_CANDIDATE_UBUNTU,
};
use super::super::shell::{Outcome, Shell};
use super::args::Flags;
use super::services::{enabled_message, start_failure_message};

const APT_PREAMBLE: &str =
    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";

impl Shell<'_> {
    pub(crate) fn cmd_apt(&mut self, tool: &str, args: &[String]) -> Outcome {
        let mut outcome = Outcome::success();
        if tool == "apt" {
            outcome.err.push_str("\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n");
        }
        let operands: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let purge_flag = args.iter().any(|a| a == "--purge");
        let result = match operands.split_first() {
            None => Outcome::fail(100, &format!("E: Invalid operation {tool}")),
            Some((&verb, names)) => match verb {
                "update" => Outcome::print(
                    "Hit:1 http://us-east-1.ec2.archive.ubuntu.com/ubuntu noble InRelease\nHit:2 http://us-east-1.ec2.archive.ubuntu.com/ubuntu noble-updates InRelease\nHit:3 http://us-east-1.ec2.archive.ubuntu.com/ubuntu noble-backports InRelease\nHit:4 http://security.ubuntu.com/ubuntu noble-security InRelease\nReading package lists...\n",
                ),
                "install" | "reinstall" => self.apt_install(names),
                "remove" => self.apt_remove(names, purge_flag),
                "purge" => self.apt_remove(names, true),
                "autoremove" if !names.is_empty() => self.apt_remove(names, purge_flag),
                "upgrade" | "full-upgrade" | "dist-upgrade" | "autoremove" | "autoclean" | "clean" => {
                    Outcome::print(format!("{APT_PREAMBLE}Calculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"))
                }
                "list" => {
                    let mut listing = Outcome::print("Listing...\n");
                    for spec in self.guest.installed_specs() {
                        listing.say(&format!("{}/noble,now {} amd64 [installed]", spec.name, spec.deb_version()));
                    }
                    listing
                }
                "show" | "search" | "policy" | "depends" | "madison" => Outcome::success(),
                _ => Outcome::fail(100, &format!("E: Invalid operation {verb}")),
            },
        };
        outcome.absorb(result);
        outcome
    }

    fn apt_install(&mut self, names: &[&str]) -> Outcome {
        let mut outcome = Outcome::print(APT_PREAMBLE);
        if let Some(name) = names
            .iter()
            .find(|n| NO_INSTALL_CANDIDATE_UBUNTU.contains(n))
        {
            outcome.say(&format!("Package {name} is not available, but is referred to by another package.\nThis may mean that the package is missing, has been obsoleted, or\nis only available from another source"));
            outcome.error(
                100,
                &format!("E: Package '{name}' has no installation candidate"),
            );
            return outcome;
        }
        let plan = self.guest.plan_install(names, Channel::Repo);
        if !plan.missing.is_empty() {
            for name in &plan.missing {
                outcome.error(100, &format!("E: Unable to locate package {name}"));
            }
            return outcome;
        }
        for spec in &plan.already {
            outcome.say(&format!(
                "{} is already the newest version ({}).",
                spec.name,
                spec.deb_version()
            ));
        }
        if !plan.install.is_empty() {
            let listed: Vec<&str> = plan.install.iter().map(|s| s.name).collect();
            outcome.say("The following NEW packages will be installed:");
            outcome.say(&format!("  {}", listed.join(" ")));
        }
        outcome.say(&format!(
            "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.",
            plan.install.len()
        ));
        for spec in &plan.install {
            outcome.say(&format!(
                "Setting up {} ({}) ...",
                spec.name,
                spec.deb_version()
            ));
            for unit in spec.services {
                outcome.say(&enabled_message(unit));
            }
        }
        match self.guest.apply_install(&plan) {
            Err((name, e)) => {
                outcome.error(
                    100,
                    &format!("dpkg: error processing archive {name}: {}", e.describe()),
                );
                outcome.warn("E: Sub-process /usr/bin/dpkg returned an error code (1)");
            }
            Ok(failed) if !failed.is_empty() => {
                for unit in &failed {
                    outcome.warn(&start_failure_message(unit));
                    outcome.warn(&format!(
                        "invoke-rc.d: initscript {unit}, action \"start\" failed."
                    ));
                }
                outcome.error(
                    100,
                    "E: Sub-process /usr/bin/dpkg returned an error code (1)",
                );
            }
            Ok(_) => {}
        }
        outcome
    }

    fn apt_remove(&mut self, names: &[&str], purge: bool) -> Outcome {
        let mut outcome = Outcome::print(APT_PREAMBLE);
        let unknown: Vec<&&str> = names
            .iter()
            .filter(|n| {
                resolve_package(self.os(), n, Channel::Repo).is_none()
                    && !self.guest.packages.contains(**n)
            })
            .collect();
        if !unknown.is_empty() {
            for name in unknown {
                outcome.error(100, &format!("E: Unable to locate package {name}"));
            }
            return outcome;
        }
        let (present, absent) = self.guest.split_installed(names, Channel::Repo);
        for name in &absent {
            outcome.say(&format!(
                "Package '{name}' is not installed, so not removed"
            ));
        }
        let removal = self.guest.removal_set(&present);
        if removal.iter().any(|p| is_protected(p)) {
            outcome.error(100, "E: Removing essential system-critical packages is not permitted. This might break the system.");
            return outcome;
        }
        if !removal.is_empty() {
            outcome.say("The following packages will be REMOVED:");
            outcome.say(&format!("  {}", removal.join(" ")));
        }
        outcome.say(&format!(
            "0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.",
            removal.len()
        ));
        for name in &removal {
            let version =
                installed_spec(self.os(), name).map_or_else(String::new, |s| s.deb_version());
            outcome.say(&format!("Removing {name} ({version}) ..."));
            self.guest.uninstall(name, purge);
        }
        outcome
    }

    pub(crate) fn cmd_snap(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Some((verb, names)) = flags.operands.split_first() else {
            return Outcome::fail(1, "error: missing command");
        };
        let os = self.os();
        match verb.as_str() {
            "install" => {
                let mut outcome = Outcome::success();
                for name in names {
                    let Some(spec) = resolve_package(os, name, Channel::Snap) else {
                        outcome.error(1, &format!("error: snap \"{name}\" not found"));
                        continue;
                    };
                    if self.guest.packages.contains(spec.name) {
                        outcome.say(&format!(
                            "snap \"{name}\" is already installed, see 'snap help refresh'"
                        ));
                        continue;
                    }
                    if spec.name == "aws-cli" && !flags.long.contains("classic") {
                        outcome.error(1, &format!("error: This revision of snap \"{name}\" was published using classic confinement and thus may\n       perform arbitrary system changes outside of the security sandbox that snaps are usually\n       confined to, which may put your system at risk.\n\n       If you understand and want to proceed repeat the command including --classic."));
                        continue;
                    }
                    match self.guest.install_spec(spec) {
                        Ok(()) => outcome.say(&format!(
                            "{name} {} from Amazon Web Services (aws✓) installed",
                            spec.version
                        )),
                        Err(e) => outcome.error(
                            1,
                            &format!("error: cannot install \"{name}\": {}", e.describe()),
                        ),
                    }
                }
                outcome
            }
            "remove" => {
                let mut outcome = Outcome::success();
                for name in names {
                    if self.guest.packages.contains(name.as_str())
                        && spec_named(os, name).is_some_and(|s| s.channel == Channel::Snap)
                    {
                        self.guest.uninstall(name, true);
                        outcome.say(&format!("{name} removed"));
                    } else {
                        outcome.error(1, &format!("error: snap \"{name}\" is not installed"));
                    }
                }
                outcome
            }
            "list" => {
                let mut outcome = Outcome::print(
                    "Name              Version     Rev    Tracking       Publisher   Notes\n",
                );
                for spec in self
                    .guest
                    .packages
                    .iter()
                    .filter_map(|p| spec_named(os, p))
                    .filter(|s| s.channel == Channel::Snap)
                {
                    outcome.say(&format!(
                        "{:<17} {:<11} 1      latest/stable  aws✓        classic",
                        spec.name, spec.version
                    ));
                }
                outcome
            }
            "refresh" | "info" | "services" | "start" | "stop" | "restart" => Outcome::success(),
            other => Outcome::fail(
                1,
                &format!("error: unknown command \"{other}\", see 'snap help'."),
            ),
        }
    }

    pub(crate) fn cmd_dpkg(&mut self, tool: &str, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.os();
        let mut outcome = Outcome::success();
        if flags.any('s', "status") {
            for name in &flags.operands {
                match self.guest.installed_package(name) {
                    Some(spec) => outcome.say(&format!(
                        "Package: {}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: {}\nDescription: {}",
                        spec.name,
                        spec.deb_version(),
                        spec.summary
                    )),
                    None => {
                        outcome.error(1, &format!("dpkg-query: package '{name}' is not installed and no information is available"));
                        outcome.warn("Use dpkg --info (= dpkg-deb --info) to examine archive files.");
                    }
                }
            }
            return outcome;
        }
        if flags.any('l', "list") {
            outcome.say("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n||/ Name                      Version              Architecture Description\n+++-=========================-====================-============-================================");
            let mut found = false;
            for spec in self.guest.installed_specs() {
                if flags.operands.is_empty() || flags.operands.iter().any(|o| o == spec.name) {
                    found = true;
                    outcome.say(&format!(
                        "ii  {:<25} {:<20} amd64        {}",
                        spec.name,
                        spec.deb_version(),
                        spec.summary
                    ));
                }
            }
            if !found && !flags.operands.is_empty() {
                outcome.error(
                    1,
                    &format!(
                        "dpkg-query: no packages found matching {}",
                        flags.operands.join(" ")
                    ),
                );
            }
            return outcome;
        }
        if flags.any('L', "listfiles") {
            for name in &flags.operands {
                match self.guest.installed_package(name) {
                    Some(spec) => spec.files.iter().for_each(|(path, _)| outcome.say(path)),
                    None => {
                        outcome.error(1, &format!("dpkg-query: package '{name}' is not installed"))
                    }
                }
            }
            return outcome;
        }
        if flags.has('W') || flags.long.contains("show") {
            for name in &flags.operands {
                match self.guest.installed_package(name) {
                    Some(spec) => outcome.say(&format!("{}\t{}", spec.name, spec.deb_version())),
                    None => {
                        outcome.error(1, &format!("dpkg-query: no packages found matching {name}"))
                    }
                }
            }
            return outcome;
        }
        if tool == "dpkg" && flags.any('i', "install") {
            for file in &flags.operands {
                match resolve_package_file(os, file) {
                    Some(spec) => match self.guest.install_spec(spec) {
                        Ok(()) => outcome.say(&format!("Setting up {} ({}) ...", spec.name, spec.deb_version())),
                        Err(e) => outcome.error(1, &format!("dpkg: error processing archive {file}: {}", e.describe())),
                    },
                    None => outcome.error(1, &format!("dpkg: error: cannot access archive '{file}': No such file or directory")),
                }
            }
            return outcome;
        }
        if tool == "dpkg" && (flags.any('r', "remove") || flags.any('P', "purge")) {
            for name in &flags.operands {
                if self.guest.packages.contains(name.as_str()) {
                    self.guest.uninstall(name, flags.has('P'));
                    outcome.say(&format!("Removing {name} ..."));
                } else {
                    outcome.warn(&format!(
                        "dpkg: warning: ignoring request to remove {name} which isn't installed"
                    ));
                }
            }
            return outcome;
        }
        Outcome::fail(2, &format!("{tool}: error: need an action option"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn debian_packages_start_their_services_on_install() {
        let mut guest = ubuntu();
        let result = run(&mut guest, "apt-get update\napt install apache2");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result
            .stderr
            .contains("WARNING: apt does not have a stable CLI interface"));
        let apache = guest.service("apache2").unwrap();
        assert!(apache.enabled && apache.active);
        assert!(guest
            .file("/var/www/html/index.html")
            .unwrap()
            .contains("Apache2"));
        // nginx cannot bind port 80 while apache2 holds it
        let result = run(&mut guest, "apt-get install -y nginx");
        assert_eq!(result.exit_code, 100);
        assert!(result.stderr.contains("Job for nginx.service failed"));
        assert!(guest.has_package("nginx"));
        assert!(!guest.service("nginx").unwrap().active);
    }

    #[test]
    fn ubuntu_has_no_awscli_package_but_a_snap() {
        let mut guest = ubuntu();
        let result = run(&mut guest, "apt-get install -y awscli");
        assert_eq!(result.exit_code, 100);
        assert!(result.stderr.contains("has no installation candidate"));
        assert_eq!(run(&mut guest, "snap install aws-cli").exit_code, 1);
        assert_eq!(
            run(&mut guest, "snap install aws-cli --classic").exit_code,
            0
        );
        assert_eq!(run(&mut guest, "aws --version").exit_code, 0);
    }

    #[test]
    fn apt_remove_and_purge() {
        let mut guest = ubuntu();
        run(
            &mut guest,
            "apt-get install -y nginx\necho edited > /etc/nginx/nginx.conf",
        );
        let result = run(&mut guest, "apt-get remove -y nginx");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("Removing nginx"));
        assert!(!guest.has_package("nginx") && guest.service("nginx").is_none());
        assert_eq!(
            guest.file("/etc/nginx/nginx.conf").as_deref(),
            Some("edited\n")
        );
        let result = run(&mut guest, "apt-get remove -y nginx");
        assert!(result
            .stdout
            .contains("Package 'nginx' is not installed, so not removed"));
        run(
            &mut guest,
            "apt-get install -y nginx\napt-get purge -y nginx",
        );
        assert!(
            guest.file("/etc/nginx/nginx.conf").is_none(),
            "purge removes edited config too"
        );
        assert_eq!(
            run(&mut guest, "apt-get remove -y nosuchpkg").exit_code,
            100
        );
        assert_eq!(run(&mut guest, "apt-get remove -y systemd").exit_code, 100);
    }
}

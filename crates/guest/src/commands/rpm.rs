//! RPM package managers: `dnf`/`yum`, `rpm` and `amazon-linux-extras`.

use super::super::catalog::{
    installed_spec, is_protected, resolve_package_file, Channel, AL2_TOPICS, PACKAGE_GROUPS,
};
use super::super::os::OsFamily;
use super::super::shell::{Outcome, Shell};
use super::args::Flags;

const YUM_PLUGINS: &str =
    "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd\n";
const DNF_NOTHING_TO_DO: &str = "Dependencies resolved.\nNothing to do.\nComplete!\n";

/// How output starts: yum 3 (Amazon Linux 2, the legacy AMI) lists its plugins, dnf says nothing.
fn banner(yum3: bool) -> Outcome {
    Outcome::print(if yum3 { YUM_PLUGINS } else { "" })
}

/// The line that opens a transaction summary.
fn resolved_line(yum3: bool) -> &'static str {
    if yum3 {
        "Resolving Dependencies"
    } else {
        "Dependencies resolved."
    }
}

impl Shell<'_> {
    pub(crate) fn cmd_dnf(&mut self, tool: &str, args: &[String]) -> Outcome {
        let yum3 = matches!(self.os(), OsFamily::AmazonLinux2 | OsFamily::LegacyLinux);
        let operands: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let Some((&verb, names)) = operands.split_first() else {
            return if yum3 {
                Outcome::fail(1, "You need to give some command")
            } else {
                Outcome::fail(1, &format!("usage: {tool} [options] COMMAND"))
            };
        };
        match verb {
            "install" | "reinstall" | "localinstall" => self.rpm_install(names, yum3),
            "remove" | "erase" => self.rpm_remove(names, yum3),
            "autoremove" if names.is_empty() => self.nothing_to_do(yum3),
            "autoremove" => self.rpm_remove(names, yum3),
            "groupinstall" => self.group_install(&names.join(" "), yum3),
            "group" | "groups" if names.first() == Some(&"install") => {
                self.group_install(&names[1..].join(" "), yum3)
            }
            "update" | "upgrade" | "distro-sync" | "upgrade-minimal" | "makecache" | "clean"
            | "check-update" | "repolist" | "config-manager" | "module" | "info" | "search"
            | "provides" | "history" | "group" | "groups" | "repoquery" => self.nothing_to_do(yum3),
            "list" => {
                let mut outcome = banner(yum3);
                outcome.say("Installed Packages");
                for spec in self.guest.installed_specs() {
                    outcome.say(&format!(
                        "{:<40} {:<28} @{}",
                        format!("{}.x86_64", spec.name),
                        spec.rpm_version_release(self.os()),
                        self.os().repo_name()
                    ));
                }
                outcome
            }
            _ => Outcome::fail(
                1,
                &format!("No such command: {verb}. Please use /usr/bin/{tool} --help"),
            ),
        }
    }

    fn nothing_to_do(&self, yum3: bool) -> Outcome {
        if yum3 {
            Outcome::print(format!("{YUM_PLUGINS}No packages marked for update\n"))
        } else {
            Outcome::print(DNF_NOTHING_TO_DO)
        }
    }

    fn rpm_install(&mut self, names: &[&str], yum3: bool) -> Outcome {
        if names.is_empty() {
            return Outcome::fail(1, "Error: Need to pass a list of pkgs to install");
        }
        let os = self.os();
        let plan = self.guest.plan_install(names, Channel::Repo);
        if !plan.missing.is_empty() || !plan.gated.is_empty() {
            let mut outcome = Outcome::status(1);
            let unavailable: Vec<&str> = plan
                .missing
                .iter()
                .map(String::as_str)
                .chain(plan.gated.iter().map(|(n, _)| n.as_str()))
                .collect();
            if yum3 {
                outcome.out.push_str(YUM_PLUGINS);
                for name in &unavailable {
                    outcome.say(&format!("No package {name} available."));
                }
                outcome.warn("Error: Nothing to do");
                for (name, topic) in &plan.gated {
                    outcome.out.push_str(&format!(
                        "\n\n{name} is available in Amazon Linux Extra topic \"{topic}\"\n\nTo use, run\n# sudo amazon-linux-extras install {topic}\n\nLearn more at\nhttps://aws.amazon.com/amazon-linux-2/faqs/#Amazon_Linux_Extras\n"
                    ));
                }
            } else {
                for name in &unavailable {
                    outcome.warn(&format!("No match for argument: {name}"));
                }
                outcome.warn(&format!(
                    "Error: Unable to find a match: {}",
                    unavailable.join(" ")
                ));
            }
            return outcome;
        }
        let mut outcome = banner(yum3);
        for spec in &plan.already {
            if yum3 {
                outcome.say(&format!(
                    "Package {} already installed and latest version",
                    spec.rpm_nevra(os)
                ));
            } else {
                outcome.say(&format!(
                    "Package {} is already installed.",
                    spec.rpm_nevra(os)
                ));
            }
        }
        if plan.install.is_empty() {
            outcome.out.push_str(if yum3 {
                "Nothing to do\n"
            } else {
                DNF_NOTHING_TO_DO
            });
            return outcome;
        }
        outcome.say(resolved_line(yum3));
        outcome.say("Installing:");
        for spec in &plan.install {
            outcome.say(&format!(
                " {:<32} x86_64  {:<28} {}",
                spec.name,
                spec.rpm_version_release(os),
                os.repo_name()
            ));
        }
        if let Err((name, e)) = self.guest.apply_install(&plan) {
            outcome.error(
                1,
                &format!(
                    "Error: Transaction failed: installing package {name} failed: {}",
                    e.describe()
                ),
            );
            return outcome;
        }
        outcome.say("");
        outcome.say("Installed:");
        for spec in &plan.install {
            outcome.say(&format!("  {}", spec.rpm_nevra(os)));
        }
        outcome.say("");
        outcome.say("Complete!");
        outcome
    }

    fn group_install(&mut self, group: &str, yum3: bool) -> Outcome {
        let wanted = group
            .trim_start_matches('@')
            .replace('-', " ")
            .to_lowercase();
        match PACKAGE_GROUPS.iter().find(|(name, _)| *name == wanted) {
            Some((_, packages)) => self.rpm_install(packages, yum3),
            None if yum3 => Outcome::fail(
                1,
                &format!("Warning: group {group} does not exist.\nError: Nothing to do"),
            ),
            None => Outcome::fail(
                1,
                &format!("Module or Group '{group}' does not exist.\nError: Nothing to do."),
            ),
        }
    }

    fn rpm_remove(&mut self, names: &[&str], yum3: bool) -> Outcome {
        if names.is_empty() {
            return Outcome::fail(1, "Error: Need to pass a list of pkgs to remove");
        }
        let os = self.os();
        let (present, absent) = self.guest.split_installed(names, Channel::Repo);
        let removal = self.guest.removal_set(&present);
        let protected: Vec<&String> = removal.iter().filter(|p| is_protected(p)).collect();
        if !protected.is_empty() {
            let listed: Vec<&str> = protected.iter().map(|p| p.as_str()).collect();
            return Outcome::fail(
                1,
                &format!(
                    "Error: \n Problem: The operation would result in removing the following protected packages: {}",
                    listed.join(", ")
                ),
            );
        }
        let mut outcome = banner(yum3);
        for name in &absent {
            outcome.say(&format!(
                "No {} for argument: {name}",
                if yum3 { "Match" } else { "match" }
            ));
        }
        if removal.is_empty() {
            if yum3 {
                outcome.out.push_str("No Packages marked for removal\n");
            } else {
                outcome.out.push_str("No packages marked for removal.\n");
                outcome.out.push_str(DNF_NOTHING_TO_DO);
            }
            return outcome;
        }
        outcome.say(resolved_line(yum3));
        outcome.say("Removing:");
        let nevras: Vec<String> = removal
            .iter()
            .map(|name| installed_spec(os, name).map_or_else(|| name.clone(), |s| s.rpm_nevra(os)))
            .collect();
        for name in &removal {
            outcome.say(&format!(" {name}"));
            self.guest.uninstall(name, false);
        }
        outcome.say("");
        outcome.say("Removed:");
        for nevra in nevras {
            outcome.say(&format!("  {nevra}"));
        }
        outcome.say("");
        outcome.say("Complete!");
        outcome
    }

    pub(crate) fn cmd_extras(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Some((verb, topics)) = flags.operands.split_first() else {
            return Outcome::fail(
                1,
                "Usage: amazon-linux-extras [list|info|enable|disable|install] ...",
            );
        };
        let mut outcome = Outcome::success();
        match verb.as_str() {
            "list" => {
                for (index, (topic, _)) in AL2_TOPICS.iter().enumerate() {
                    let state = if self.guest.extras_topics.contains(*topic) {
                        "enabled"
                    } else {
                        "available"
                    };
                    outcome.say(&format!("  {:>2}  {:<24} {state}", index + 1, topic));
                }
            }
            "enable" | "install" => {
                for topic in topics {
                    let Some((name, packages)) = AL2_TOPICS.iter().find(|(name, _)| name == topic)
                    else {
                        outcome.error(1, &format!("Topic {topic} is not found."));
                        return outcome;
                    };
                    self.guest.extras_topics.insert(name.to_string());
                    if verb == "enable" {
                        outcome.say(&format!(
                            "Now you can install:\n # yum clean metadata\n # yum install {}",
                            packages.join(" ")
                        ));
                    } else {
                        outcome.absorb(self.rpm_install(packages, true));
                    }
                }
            }
            "disable" => {
                for topic in topics {
                    self.guest.extras_topics.remove(topic.as_str());
                }
            }
            "info" => {}
            other => outcome.error(
                1,
                &format!("amazon-linux-extras: error: invalid command: '{other}'"),
            ),
        }
        outcome
    }

    pub(crate) fn cmd_rpm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.os();
        if flags.long.contains("version") {
            return Outcome::print("RPM version 4.16.1.3\n");
        }
        let mut outcome = Outcome::success();
        if flags.has('q') {
            if flags.has('a') {
                for spec in self.guest.installed_specs() {
                    outcome.say(&spec.rpm_nevra(os));
                }
                return outcome;
            }
            if flags.operands.is_empty() {
                return Outcome::fail(1, "rpm: no arguments given for query");
            }
            for name in &flags.operands {
                match self.guest.installed_package(name) {
                    Some(spec) if flags.has('l') => {
                        for (path, _) in spec.files {
                            outcome.say(path);
                        }
                    }
                    Some(spec) => outcome.say(&spec.rpm_nevra(os)),
                    None => {
                        outcome.say(&format!("package {name} is not installed"));
                        outcome.status = 1;
                    }
                }
            }
            return outcome;
        }
        if flags.has('e') {
            for name in &flags.operands {
                if !self.guest.packages.contains(name.as_str()) {
                    outcome.error(1, &format!("error: package {name} is not installed"));
                } else if is_protected(name) {
                    outcome.error(1, &format!("error: Failed dependencies:\n\t{name} is needed by (installed) systemd"));
                } else {
                    self.guest.uninstall(name, false);
                }
            }
            return outcome;
        }
        if flags.has('i') || flags.has('U') || flags.has('F') {
            for file in &flags.operands {
                let Some(spec) = resolve_package_file(os, file) else {
                    outcome.error(
                        1,
                        &format!("error: open of {file} failed: No such file or directory"),
                    );
                    continue;
                };
                if self.guest.packages.contains(spec.name) {
                    outcome.error(
                        1,
                        &format!("\tpackage {} is already installed", spec.rpm_nevra(os)),
                    );
                    continue;
                }
                match self.guest.install_spec(spec) {
                    Ok(()) => outcome.say(&format!("Updating / installing...\n   1:{}    ################################# [100%]", spec.rpm_nevra(os))),
                    Err(e) => outcome.error(1, &format!("error: unpacking of archive failed: {}", e.describe())),
                }
            }
            return outcome;
        }
        Outcome::fail(1, "rpm: no operation specified")
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;
    use super::*;

    #[test]
    fn dnf_install_is_all_or_nothing() {
        let mut guest = al2023();
        let result = run(&mut guest, "dnf install -y git nosuchpkg");
        assert_eq!(result.exit_code, 1);
        assert!(!guest.has_package("git"));
    }

    #[test]
    fn yum_and_dnf_are_aliases_on_al2023() {
        let mut guest = al2023();
        let result = run(&mut guest, "yum install -y git");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("Complete!"));
        assert!(guest.has_package("git"));
    }

    #[test]
    fn installing_nginx_creates_a_disabled_service_and_files() {
        let mut guest = al2023();
        let result = run(&mut guest, "sudo dnf install -y nginx");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("nginx"));
        assert!(guest.has_user("nginx"));
        assert_eq!(
            guest.service("nginx"),
            Some(ServiceInfo {
                name: "nginx".into(),
                enabled: false,
                active: false
            })
        );
        assert!(guest.file("/etc/nginx/nginx.conf").is_some());
        assert!(guest
            .file("/usr/share/nginx/html/index.html")
            .unwrap()
            .contains("Welcome to nginx"));
    }

    #[test]
    fn amazon_linux_2_needs_extras_for_nginx() {
        let mut guest = Guest::new(OsFamily::AmazonLinux2);
        let result = run(&mut guest, "yum install -y nginx");
        assert_eq!(result.exit_code, 1);
        assert!(result.stdout.contains("No package nginx available."));
        assert!(result.stdout.contains("amazon-linux-extras install nginx1"));
        let result = run(&mut guest, "amazon-linux-extras install -y nginx1");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("nginx"));
    }

    #[test]
    fn package_removal_takes_services_and_untouched_files() {
        let mut guest = al2023();
        run(
            &mut guest,
            "dnf install -y nginx\necho custom > /etc/nginx/nginx.conf",
        );
        let result = run(&mut guest, "dnf remove -y nginx");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(!guest.has_package("nginx"));
        assert!(guest.service("nginx").is_none());
        assert_eq!(
            guest.file("/etc/nginx/nginx.conf").as_deref(),
            Some("custom\n"),
            "edited config is kept"
        );
        assert!(guest.file("/usr/share/nginx/html/index.html").is_none());
        let result = run(&mut guest, "dnf remove -y bash");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("protected packages"));
        assert!(guest.has_package("bash"));
    }

    #[test]
    fn yum_on_amazon_linux_2_reports_missing_packages_its_way() {
        let mut guest = Guest::new(OsFamily::AmazonLinux2);
        let result = run(&mut guest, "yum install -y nosuchpkg");
        assert_eq!(result.exit_code, 1);
        assert!(result.stdout.contains("No package nosuchpkg available."));
        assert_eq!(result.stderr, "Error: Nothing to do\n");
    }

    #[test]
    fn dnf_group_install() {
        let mut guest = al2023();
        let result = run(&mut guest, "dnf groupinstall -y \"Development Tools\"");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("gcc") && guest.has_package("make") && guest.has_package("git"));
        assert_eq!(
            run(&mut guest, "dnf group install -y 'No Such Group'").exit_code,
            1
        );
    }
}

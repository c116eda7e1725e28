//! The guest's package database: which commands are installed, install plans with dependencies,
//! installing and removing packages.

use std::collections::BTreeSet;

use super::catalog::{
    installed_spec, is_package_file, resolve_package, resolve_package_file, spec_named, Channel,
    PackageSpec,
};
use super::fs::FsError;
use super::os::OsFamily;
use super::paths::parent_of;
use super::{Guest, MAX_PACKAGES};

/// What `install` would do, worked out before anything changes.
#[derive(Debug, Default)]
pub(crate) struct InstallPlan {
    pub(crate) install: Vec<&'static PackageSpec>,
    pub(crate) already: Vec<&'static PackageSpec>,
    pub(crate) missing: Vec<String>,
    /// Amazon Linux 2 packages whose extras topic is not enabled: (name, topic).
    pub(crate) gated: Vec<(String, &'static str)>,
}

impl Guest {
    /// Installed package names, sorted; `npm:NAME` and `pip:NAME` for language packages.
    pub fn packages(&self) -> Vec<String> {
        self.packages.iter().cloned().collect()
    }

    /// Whether a package of exactly this name is installed (`npm:NAME`, `pip:NAME` for
    /// language packages; a name another package only provides does not count).
    pub fn has_package(&self, name: &str) -> bool {
        self.packages.contains(name)
    }

    /// Whether `cmd` is on the PATH: some installed package provides it.
    pub(crate) fn command_available(&self, cmd: &str) -> bool {
        self.packages.iter().any(|name| match name.split_once(':') {
            Some((_, tool)) => tool == cmd,
            None => installed_spec(self.os, name).is_some_and(|s| s.commands.contains(&cmd)),
        })
    }

    /// The version of the installed package that provides `cmd`, or `fallback` when none does.
    pub(crate) fn version_of(&self, cmd: &str, fallback: &'static str) -> &'static str {
        self.installed_specs()
            .find(|s| s.commands.contains(&cmd))
            .map_or(fallback, |s| s.version)
    }

    /// Specs of the installed OS packages, in name order (language packages have none).
    pub(crate) fn installed_specs(&self) -> impl Iterator<Item = &'static PackageSpec> + '_ {
        self.packages
            .iter()
            .filter_map(|name| installed_spec(self.os, name))
    }

    /// The spec of package `name`, if it is installed.
    pub(crate) fn installed_package(&self, name: &str) -> Option<&'static PackageSpec> {
        installed_spec(self.os, name).filter(|_| self.packages.contains(name))
    }

    /// Records a language package (`npm:NAME`, `pip:NAME`); false when the table is full.
    pub(crate) fn add_language_package(&mut self, manager: &str, name: &str) -> bool {
        let key = language_package_key(manager, name);
        if !self.packages.contains(&key) && self.packages.len() >= MAX_PACKAGES {
            return false;
        }
        self.packages.insert(key);
        true
    }

    /// Forgets a language package; false when it was not installed.
    pub(crate) fn remove_language_package(&mut self, manager: &str, name: &str) -> bool {
        self.packages.remove(&language_package_key(manager, name))
    }

    pub(crate) fn has_language_package(&self, manager: &str, name: &str) -> bool {
        self.packages.contains(&language_package_key(manager, name))
    }

    /// Names of the installed packages of one language package manager (`npm`, `pip`), sorted.
    pub(crate) fn language_packages<'a>(
        &'a self,
        manager: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.packages
            .iter()
            .filter_map(move |p| p.strip_prefix(manager)?.strip_prefix(':'))
    }

    pub(crate) fn plan_install(&self, names: &[&str], channel: Channel) -> InstallPlan {
        let mut plan = InstallPlan::default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: Vec<&'static PackageSpec> = Vec::new();
        for &name in names {
            let from_file = is_package_file(name);
            let found = if from_file {
                resolve_package_file(self.os, name)
            } else {
                resolve_package(self.os, name, channel)
            };
            let Some(spec) = found else {
                plan.missing.push(name.to_string());
                continue;
            };
            let gated_topic = spec.al2_topic.filter(|topic| {
                self.os == OsFamily::AmazonLinux2
                    && !from_file
                    && !self.extras_topics.contains(*topic)
            });
            if let Some(topic) = gated_topic {
                plan.gated.push((name.to_string(), topic));
            } else if self.packages.contains(spec.name) {
                if seen.insert(spec.name) {
                    plan.already.push(spec);
                }
            } else {
                queue.push(spec);
            }
        }
        let mut next = 0;
        while next < queue.len() {
            let spec = queue[next];
            next += 1;
            if self.packages.contains(spec.name) || !seen.insert(spec.name) {
                continue;
            }
            plan.install.push(spec);
            for dep in spec.requires.iter().chain(spec.recommends) {
                if let Some(dep_spec) = spec_named(self.os, dep) {
                    queue.push(dep_spec);
                }
            }
        }
        plan
    }

    /// Adds a package and what it brings: accounts, directories, files (buffered like any
    /// write; files that already exist are left alone) and its units (disabled).
    pub(crate) fn install_spec(&mut self, spec: &'static PackageSpec) -> Result<(), FsError> {
        if self.packages.len() >= MAX_PACKAGES {
            return Err(FsError::NoSpace);
        }
        if let Some(account) = spec.account {
            self.ensure_system_account(account);
        }
        if let Some(group) = spec.group {
            self.ensure_system_group(group);
        }
        for dir in spec.dirs {
            self.live.mkdir_all(dir)?;
        }
        for (path, content) in spec.files {
            self.live.mkdir_all(parent_of(path))?;
            if !self.live.exists(path) {
                self.live.write(path, content.to_string())?;
            }
        }
        self.packages.insert(spec.name.to_string());
        for unit in spec.services {
            self.services.entry(unit.to_string()).or_default();
        }
        Ok(())
    }

    fn install_all(&mut self, specs: &[&'static PackageSpec]) -> Result<(), (String, FsError)> {
        for spec in specs {
            self.install_spec(spec)
                .map_err(|e| (spec.name.to_string(), e))?;
        }
        Ok(())
    }

    /// Installs a plan's packages; on Ubuntu their services are enabled and started right away,
    /// as Debian packages do. Returns the units that failed to start.
    pub(crate) fn apply_install(
        &mut self,
        plan: &InstallPlan,
    ) -> Result<Vec<String>, (String, FsError)> {
        self.install_all(&plan.install)?;
        let mut failed = Vec::new();
        if self.os.is_debian() {
            for spec in &plan.install {
                for unit in spec.services {
                    if self.enable_and_start(unit).is_err() {
                        failed.push(unit.to_string());
                    }
                }
            }
        }
        Ok(failed)
    }

    /// The packages removed along with `roots`: everything that requires them, transitively.
    pub(crate) fn removal_set(&self, roots: &[String]) -> Vec<String> {
        let mut set: BTreeSet<String> = roots.iter().cloned().collect();
        let mut order: Vec<String> = roots.to_vec();
        loop {
            let dependents: Vec<String> = self
                .packages
                .iter()
                .filter(|p| !set.contains(*p))
                .filter(|p| {
                    installed_spec(self.os, p)
                        .is_some_and(|s| s.requires.iter().any(|r| set.contains(*r)))
                })
                .cloned()
                .collect();
            if dependents.is_empty() {
                return order;
            }
            set.extend(dependents.iter().cloned());
            order.extend(dependents);
        }
    }

    /// Installed package names a removal request refers to (provides resolved), and the rest.
    pub(crate) fn split_installed(
        &self,
        names: &[&str],
        channel: Channel,
    ) -> (Vec<String>, Vec<String>) {
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for &name in names {
            let resolved = resolve_package(self.os, name, channel).map_or(name, |s| s.name);
            if self.packages.contains(resolved) {
                if !present.iter().any(|p: &String| p == resolved) {
                    present.push(resolved.to_string());
                }
            } else {
                absent.push(name.to_string());
            }
        }
        (present, absent)
    }

    /// Removes a package, its units, and the files it shipped that nobody edited (`purge`
    /// removes edited ones too).
    pub(crate) fn uninstall(&mut self, name: &str, purge: bool) {
        self.packages.remove(name);
        let Some(spec) = installed_spec(self.os, name) else {
            return;
        };
        for unit in spec.services {
            self.services.remove(*unit);
        }
        for (path, content) in spec.files {
            let untouched = self.live.files.get(*path).is_some_and(|c| c == content);
            if purge || untouched {
                self.live.remove_file(path);
            }
        }
    }
}

/// How a language package is listed among the installed packages: `npm:NAME`, `pip:NAME`.
fn language_package_key(manager: &str, name: &str) -> String {
    format!("{manager}:{name}")
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn wrong_package_manager_is_command_not_found() {
        let mut guest = al2023();
        let result = run(&mut guest, "apt-get install -y nginx");
        assert_eq!(result.exit_code, 127);
        assert_eq!(result.stderr, "bash: apt-get: command not found\n");

        let mut guest = ubuntu();
        for tool in ["dnf", "yum"] {
            let result = run(&mut guest, &format!("sudo {tool} install -y nginx"));
            assert_eq!(result.exit_code, 127);
            assert_eq!(result.stderr, format!("bash: {tool}: command not found\n"));
        }

        let mut guest = Guest::new(OsFamily::AmazonLinux2);
        assert_eq!(run(&mut guest, "dnf install -y git").exit_code, 127);
        assert_eq!(run(&mut guest, "yum install -y git").exit_code, 0);
        assert!(guest.has_package("git"));
    }

    #[test]
    fn unknown_packages_fail_like_dnf_and_apt() {
        let mut guest = al2023();
        let result = run(&mut guest, "dnf install -y nosuchpkg");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("No match for argument: nosuchpkg"));
        assert!(result
            .stderr
            .contains("Error: Unable to find a match: nosuchpkg"));

        let mut guest = ubuntu();
        let result = run(&mut guest, "apt-get install -y nosuchpkg");
        assert_eq!(result.exit_code, 100);
        assert!(result
            .stderr
            .contains("E: Unable to locate package nosuchpkg"));
    }

    #[test]
    fn installing_an_installed_package_succeeds() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y git");
        let result = run(&mut guest, "dnf install -y git");
        assert_eq!(result.exit_code, 0);
        assert!(result.stdout.contains("is already installed"));
        let mut guest = ubuntu();
        run(&mut guest, "apt-get install -y git");
        let result = run(&mut guest, "apt-get install -y git");
        assert_eq!(result.exit_code, 0);
        assert!(result.stdout.contains("git is already the newest version"));
    }

    #[test]
    fn rpm_and_dpkg_queries() {
        let mut guest = al2023();
        let result = run(&mut guest, "rpm -q nginx");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (1, "package nginx is not installed\n")
        );
        run(&mut guest, "dnf install -y nginx");
        let result = run(&mut guest, "rpm -q nginx");
        assert_eq!(result.exit_code, 0);
        assert_eq!(result.stdout, "nginx-1.24.0-1.amzn2023.x86_64\n");
        assert_eq!(run(&mut guest, "dpkg -s nginx").exit_code, 127);

        let mut guest = ubuntu();
        let result = run(&mut guest, "dpkg -s nginx");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains(
            "dpkg-query: package 'nginx' is not installed and no information is available"
        ));
        run(&mut guest, "apt-get install -y nginx");
        let result = run(&mut guest, "dpkg -s nginx");
        assert!(result
            .stdout
            .starts_with("Package: nginx\nStatus: install ok installed\n"));
        assert_eq!(run(&mut guest, "rpm -q nginx").exit_code, 127);
    }

    #[test]
    fn downloaded_package_files_install_by_name() {
        let mut guest = Guest::new(OsFamily::Rhel);
        let result = run(
            &mut guest,
            "sudo dnf install -y https://s3.amazonaws.com/amazoncloudwatch-agent/redhat/amd64/latest/amazon-cloudwatch-agent.rpm",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("amazon-cloudwatch-agent"));
        assert!(guest.service("amazon-cloudwatch-agent").is_some());
    }
}

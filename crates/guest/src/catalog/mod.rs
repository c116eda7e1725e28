//! The simulated package repositories: what a package is, and how names, provides and
//! downloaded package files resolve to one.
//!
//! The packages themselves are content, not code: `data/packages.toml` lists them, `build.rs`
//! checks that file with the rules of `data` and writes it out as the static tables of `table`.

#[cfg(test)]
mod data;
mod table;
#[cfg(test)]
mod tests;

use super::os::OsFamily;
use super::paths::base_name;
use table::{CATALOG, PROTECTED_PACKAGES};

pub(crate) use table::{base_packages, AL2_TOPICS, NO_INSTALL_CANDIDATE_UBUNTU, PACKAGE_GROUPS};

/// Where `amazon-cloudwatch-agent-ctl -a fetch-config` saves the agent's configuration: inside a
/// directory the `amazon-cloudwatch-agent` package creates (a test checks that it does).
pub(crate) const CLOUDWATCH_CONFIG: &str =
    "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";
/// The file `postgresql-setup --initdb` writes on RPM systems, and whose presence lets the
/// `postgresql` unit start (Ubuntu's `postgresql` package ships its cluster ready-made).
pub(crate) const PG_VERSION_RPM: &str = "/var/lib/pgsql/data/PG_VERSION";

/// Where a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    /// The distribution's repositories (dnf/yum/apt).
    Repo,
    /// The Snap Store (Ubuntu).
    Snap,
    /// Only as a downloaded `.rpm`/`.deb` file.
    Download,
}

/// A package the simulated repositories know, and what installing it does to the guest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackageSpec {
    pub(crate) name: &'static str,
    /// Bit set of the OS families whose repositories carry it.
    oses: u8,
    pub(crate) version: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) commands: &'static [&'static str],
    pub(crate) services: &'static [&'static str],
    pub(crate) files: &'static [(&'static str, &'static str)],
    pub(crate) dirs: &'static [&'static str],
    /// Installed with it, and removed when it goes.
    pub(crate) requires: &'static [&'static str],
    /// Installed with it, but left alone when it goes (weak dependencies).
    pub(crate) recommends: &'static [&'static str],
    /// Other names that resolve to this package.
    provides: &'static [&'static str],
    /// A system account (and same-named group) the package creates.
    pub(crate) account: Option<&'static str>,
    /// A system group the package creates.
    pub(crate) group: Option<&'static str>,
    /// On Amazon Linux 2 the package needs this `amazon-linux-extras` topic first.
    pub(crate) al2_topic: Option<&'static str>,
    pub(crate) channel: Channel,
}

impl PackageSpec {
    /// `1.24.0-1.amzn2023`, as `dnf list` shows it.
    pub(crate) fn rpm_version_release(&self, os: OsFamily) -> String {
        format!("{}-1.{}", self.version, os.rpm_release())
    }

    /// `nginx-1.24.0-1.amzn2023.x86_64`, as `rpm -q` shows it.
    pub(crate) fn rpm_nevra(&self, os: OsFamily) -> String {
        format!("{}-{}.x86_64", self.name, self.rpm_version_release(os))
    }

    pub(crate) fn deb_version(&self) -> String {
        format!("{}-1ubuntu1", self.version)
    }
}

/// The first package named `name` for any of the OS families in the bit set `oses`.
fn find_spec(name: &str, oses: u8) -> Option<&'static PackageSpec> {
    CATALOG
        .iter()
        .find(|s| s.name == name && s.oses & oses != 0)
}

/// A package with this exact name for this OS, from any channel.
pub(crate) fn spec_named(os: OsFamily, name: &str) -> Option<&'static PackageSpec> {
    find_spec(name, os.bit())
}

/// The spec behind an installed package name (packages from downloaded files included).
pub(crate) fn installed_spec(os: OsFamily, name: &str) -> Option<&'static PackageSpec> {
    spec_named(os, name).or_else(|| find_spec(name, os.family_mask()))
}

/// What a package manager finds for `name` in one channel: exact names first, then provides.
pub(crate) fn resolve_package(
    os: OsFamily,
    name: &str,
    channel: Channel,
) -> Option<&'static PackageSpec> {
    let candidates = || {
        CATALOG
            .iter()
            .filter(move |s| s.oses & os.bit() != 0 && s.channel == channel)
    };
    candidates()
        .find(|s| s.name == name)
        .or_else(|| candidates().find(|s| s.provides.contains(&name)))
}

/// A downloaded package file (`./x.rpm`, `https://…/x.deb`): its package, if the catalog knows it.
pub(crate) fn resolve_package_file(os: OsFamily, file: &str) -> Option<&'static PackageSpec> {
    find_spec(package_file_stem(file), os.family_mask())
}

/// Whether package managers refuse to remove `name` (dnf's "protected packages").
pub(crate) fn is_protected(name: &str) -> bool {
    PROTECTED_PACKAGES.contains(&name)
}

pub(crate) fn is_package_file(arg: &str) -> bool {
    arg.ends_with(".rpm") || arg.ends_with(".deb")
}

/// `amazon-cloudwatch-agent.rpm` → `amazon-cloudwatch-agent`; `foo-1.2-3.x86_64.rpm` → `foo`;
/// `foo_1.2_amd64.deb` → `foo`.
pub(crate) fn package_file_stem(file: &str) -> &str {
    let name = base_name(file);
    let name = name.trim_end_matches(".rpm").trim_end_matches(".deb");
    let bytes = name.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if (bytes[i] == b'-' || bytes[i] == b'_') && bytes[i + 1].is_ascii_digit() {
            return &name[..i];
        }
    }
    name
}

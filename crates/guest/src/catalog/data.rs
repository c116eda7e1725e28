//! The package catalogue's data file, `data/packages.toml`: its shape, the rules that keep it
//! whole, and the Rust source it becomes.
//!
//! Two compilations share this module. The build script (`build.rs`, through `#[path]`) parses
//! the file, checks it and writes the static tables that `catalog::table` includes, so a
//! malformed file fails the build with messages naming the entry, and start-up parses nothing.
//! The crate's tests compile it as well, to test the rules. It depends on `std`, `serde` and
//! `toml` only, which are build- and dev-dependencies of the crate, never run-time ones.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Deserialize;
use toml::Spanned;

/// The OS families packages are for: (name in the data file, bit constant in `os.rs`,
/// `OsFamily` variant). Windows is missing on purpose: it has no packages.
pub const FAMILIES: [(&str, &str, &str); 5] = [
    ("al2023", "OS_AL2023", "AmazonLinux2023"),
    ("al2", "OS_AL2", "AmazonLinux2"),
    ("rhel", "OS_RHEL", "Rhel"),
    ("ubuntu", "OS_UBUNTU", "Ubuntu"),
    ("legacy", "OS_LEGACY", "LegacyLinux"),
];

/// Names for sets of families, usable in a package's `os` list. They mirror the set constants
/// of `os.rs` (`OS_RPM`, …); a test checks that both agree.
pub const OS_GROUPS: [(&str, &[&str]); 6] = [
    ("amazon", &["al2023", "al2"]),
    ("dnf", &["al2023", "rhel"]),
    ("modern-rpm", &["al2023", "al2", "rhel"]),
    ("rpm", &["al2023", "al2", "rhel", "legacy"]),
    ("systemd", &["al2023", "al2", "rhel", "ubuntu"]),
    ("linux", &["al2023", "al2", "rhel", "ubuntu", "legacy"]),
];

/// The whole file, as written (see the comment at the top of `data/packages.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    protected: Vec<String>,
    #[serde(default)]
    no_install_candidate: Vec<String>,
    base: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    al2_topics: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    groups: BTreeMap<String, Vec<String>>,
    package: Vec<Package>,
}

/// One `[[package]]` entry; the fields are documented at the top of the data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Spanned so that messages can give the entry's line.
    pub name: Spanned<String>,
    pub os: Vec<String>,
    pub version: String,
    pub summary: String,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub commands: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub files: Vec<ShippedFile>,
    #[serde(default)]
    pub dirs: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub recommends: Vec<String>,
    #[serde(default)]
    pub provides: Vec<String>,
    pub account: Option<String>,
    pub group: Option<String>,
    pub al2_topic: Option<String>,
}

/// A `[[package.files]]` entry: a file the package ships.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippedFile {
    pub path: String,
    pub content: String,
}

/// Where a package comes from; mirrors `catalog::Channel`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Repo,
    Snap,
    Download,
}

/// A data file that passed every rule.
#[derive(Debug)]
pub struct Catalog {
    file: File,
    /// Per package (same order), the indices into [`FAMILIES`] of the families it is for.
    families: Vec<BTreeSet<usize>>,
}

/// Index into [`FAMILIES`] of a family name.
fn family_index(name: &str) -> Option<usize> {
    FAMILIES.iter().position(|(n, _, _)| *n == name)
}

/// The families an `os` list names, or the names that are neither a family nor a group.
fn resolve_os(names: &[String]) -> Result<BTreeSet<usize>, Vec<&str>> {
    let mut families = BTreeSet::new();
    let mut unknown = Vec::new();
    for name in names {
        if let Some(index) = family_index(name) {
            families.insert(index);
        } else if let Some((_, members)) = OS_GROUPS.iter().find(|(g, _)| g == name) {
            families.extend(members.iter().filter_map(|m| family_index(m)));
        } else {
            unknown.push(name.as_str());
        }
    }
    if unknown.is_empty() {
        Ok(families)
    } else {
        Err(unknown)
    }
}

fn family_name(index: usize) -> &'static str {
    FAMILIES[index].0
}

impl Catalog {
    /// Parses and checks the text of a data file. On failure, every problem found, one message
    /// each, naming the entry (`line N: package "x" (os = [...]): …`) or the table it is in.
    pub fn parse(text: &str) -> Result<Catalog, Vec<String>> {
        let file: File = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        let label = |p: &Package| {
            let before = text.get(..p.name.span().start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            format!(
                "line {line}: package {:?} (os = {:?})",
                p.name.get_ref(),
                p.os
            )
        };

        let mut families = Vec::new();
        for package in &file.package {
            let set = match resolve_os(&package.os) {
                Ok(set) if set.is_empty() => {
                    errors.push(format!("{}: `os` names no OS family", label(package)));
                    set
                }
                Ok(set) => set,
                Err(unknown) => {
                    let groups: Vec<&str> = OS_GROUPS.iter().map(|(g, _)| *g).collect();
                    let names: Vec<&str> = FAMILIES.iter().map(|(n, _, _)| *n).collect();
                    errors.push(format!(
                        "{}: unknown OS family {unknown:?}; families are {}, and groups {}",
                        label(package),
                        names.join(", "),
                        groups.join(", ")
                    ));
                    BTreeSet::new()
                }
            };
            families.push(set);
            for (what, value) in [
                ("name", package.name.get_ref()),
                ("version", &package.version),
                ("summary", &package.summary),
            ] {
                if value.trim().is_empty() {
                    errors.push(format!("{}: empty `{what}`", label(package)));
                }
            }
            if package.name.get_ref().contains(char::is_whitespace) {
                errors.push(format!("{}: a package name has no spaces", label(package)));
            }
            let paths = package
                .dirs
                .iter()
                .chain(package.files.iter().map(|f| &f.path));
            for path in paths {
                if !path.starts_with('/') {
                    errors.push(format!("{}: path {path:?} is not absolute", label(package)));
                }
            }
            if let Some(topic) = &package.al2_topic {
                if !file.al2_topics.contains_key(topic) {
                    errors.push(format!(
                        "{}: al2_topic {topic:?} is not in [al2_topics]",
                        label(package)
                    ));
                }
            }
        }

        // A name once per family: package managers look a name up per family, first match.
        let mut seen: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (index, (package, set)) in file.package.iter().zip(&families).enumerate() {
            // Earlier entry → the families both are for, so one message per pair of entries.
            let mut clashes: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
            for &family in set {
                let key = (family, package.name.get_ref().as_str());
                if let Some(&first) = seen.get(&key) {
                    clashes.entry(first).or_default().push(family_name(family));
                } else {
                    seen.insert(key, index);
                }
            }
            for (first, shared) in clashes {
                errors.push(format!(
                    "{}: listed twice for {} (see {})",
                    label(package),
                    shared.join(", "),
                    label(&file.package[first])
                ));
            }
        }
        let named = |name: &str, family: usize| seen.contains_key(&(family, name));
        // What a package manager finds in the repositories: the name itself, then `provides`.
        let in_repo = |name: &str, family: usize| {
            file.package.iter().zip(&families).any(|(p, set)| {
                set.contains(&family)
                    && p.channel == Channel::Repo
                    && (p.name.get_ref() == name || p.provides.iter().any(|n| n == name))
            })
        };

        // Dependencies are installed by exact name from any channel (`plan_install`).
        for (package, set) in file.package.iter().zip(&families) {
            let deps = package.requires.iter().map(|d| ("requires", d));
            let deps = deps.chain(package.recommends.iter().map(|d| ("recommends", d)));
            for (kind, dep) in deps {
                let missing: Vec<&str> = set
                    .iter()
                    .filter(|&&f| !named(dep, f))
                    .map(|&f| family_name(f))
                    .collect();
                if !missing.is_empty() {
                    errors.push(format!(
                        "{}: {kind} {dep:?}, which names no package of {}",
                        label(package),
                        missing.join(", ")
                    ));
                }
            }
        }

        for (os, names) in &file.base {
            let Some(family) = family_index(os) else {
                errors.push(format!(
                    "[base]: {os:?} is not an OS family (a base system is for one family)"
                ));
                continue;
            };
            let mut listed = BTreeSet::new();
            for name in names {
                if !named(name, family) {
                    errors.push(format!("[base] {os}: {name:?} names no package of {os}"));
                }
                if !listed.insert(name) {
                    errors.push(format!("[base] {os}: {name:?} is listed twice"));
                }
            }
        }
        for (os, _, _) in FAMILIES {
            if !file.base.contains_key(os) {
                errors.push(format!("[base]: no base system for {os}"));
            }
        }

        let al2 = family_index("al2").unwrap_or_default();
        for (topic, names) in &file.al2_topics {
            for name in names.iter().filter(|n| !in_repo(n, al2)) {
                errors.push(format!(
                    "[al2_topics] {topic:?}: {name:?} names no al2 repository package"
                ));
            }
        }

        // Groups are a dnf/yum feature, so their packages must exist on every RPM family.
        let rpm = resolve_os(&["rpm".to_string()]).unwrap_or_default();
        for (group, names) in &file.groups {
            if group.chars().any(|c| c.is_uppercase() || c == '-') {
                // `groupinstall` lower-cases the name the learner typed and turns dashes into
                // spaces before looking it up, so such a group could never be found.
                errors.push(format!(
                    "[groups] {group:?}: write group names in lower case, with spaces"
                ));
            }
            for name in names {
                let missing: Vec<&str> = rpm
                    .iter()
                    .filter(|&&f| !in_repo(name, f))
                    .map(|&f| family_name(f))
                    .collect();
                if !missing.is_empty() {
                    errors.push(format!(
                        "[groups] {group:?}: {name:?} names no repository package of {}",
                        missing.join(", ")
                    ));
                }
            }
        }

        for name in &file.protected {
            if !(0..FAMILIES.len()).any(|f| named(name, f)) {
                errors.push(format!("protected: {name:?} names no package"));
            }
        }
        let ubuntu = family_index("ubuntu").unwrap_or_default();
        for name in &file.no_install_candidate {
            if in_repo(name, ubuntu) {
                errors.push(format!(
                    "no_install_candidate: {name:?} is an ubuntu package, which apt could then never install"
                ));
            }
        }

        if errors.is_empty() {
            Ok(Catalog { file, families })
        } else {
            Err(errors)
        }
    }

    /// The Rust source of the tables `catalog::table` includes: `CATALOG`, `base_packages`,
    /// `PROTECTED_PACKAGES`, `AL2_TOPICS`, `PACKAGE_GROUPS` and `NO_INSTALL_CANDIDATE_UBUNTU`,
    /// with the same types the hand-written table had. String literals are written with
    /// `{:?}`, which escapes them as Rust source.
    pub fn to_rust(&self) -> String {
        let mut out = String::from(
            "// Generated by build.rs from data/packages.toml: edit that file instead.\n\n",
        );
        out += "/// Every package the simulated repositories know; a name appears once per OS family.\n";
        out += "pub(crate) static CATALOG: &[PackageSpec] = &[\n";
        for (p, set) in self.file.package.iter().zip(&self.families) {
            let oses: Vec<&str> = set.iter().map(|&f| FAMILIES[f].1).collect();
            let files: Vec<String> = p
                .files
                .iter()
                .map(|f| format!("({:?}, {:?})", f.path, f.content))
                .collect();
            let channel = match p.channel {
                Channel::Repo => "Repo",
                Channel::Snap => "Snap",
                Channel::Download => "Download",
            };
            let _ = writeln!(
                out,
                "    PackageSpec {{ name: {:?}, oses: {}, version: {:?}, summary: {:?}, commands: {}, services: {}, files: &[{}], dirs: {}, requires: {}, recommends: {}, provides: {}, account: {:?}, group: {:?}, al2_topic: {:?}, channel: Channel::{channel} }},",
                p.name.get_ref(),
                oses.join(" | "),
                p.version,
                p.summary,
                str_slice(&p.commands),
                str_slice(&p.services),
                files.join(", "),
                str_slice(&p.dirs),
                str_slice(&p.requires),
                str_slice(&p.recommends),
                str_slice(&p.provides),
                p.account,
                p.group,
                p.al2_topic,
            );
        }
        out += "];\n\n";

        out += "/// Packages of a freshly installed system, per OS, in install order.\n";
        out += "pub(crate) fn base_packages(os: OsFamily) -> &'static [&'static str] {\n    match os {\n";
        for (name, _, variant) in FAMILIES {
            let names = self
                .file
                .base
                .get(name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let _ = writeln!(out, "        OsFamily::{variant} => {},", str_slice(names));
        }
        out += "        OsFamily::Windows => &[],\n    }\n}\n\n";

        let _ = writeln!(
            out,
            "/// Packages that package managers refuse to remove (dnf's \"protected packages\").\npub(crate) const PROTECTED_PACKAGES: &[&str] = {};\n",
            str_slice(&self.file.protected)
        );
        let _ = writeln!(
            out,
            "/// Amazon Linux 2 `amazon-linux-extras` topics and the packages they install, by name.\npub(crate) const AL2_TOPICS: &[(&str, &[&str])] = {};\n",
            pairs(&self.file.al2_topics)
        );
        let _ = writeln!(
            out,
            "/// dnf/yum package groups.\npub(crate) const PACKAGE_GROUPS: &[(&str, &[&str])] = {};\n",
            pairs(&self.file.groups)
        );
        let _ = writeln!(
            out,
            "/// Ubuntu 24.04 knows these names but has nothing to install for them.\npub(crate) const NO_INSTALL_CANDIDATE_UBUNTU: &[&str] = {};",
            str_slice(&self.file.no_install_candidate)
        );
        out
    }
}

/// `&["a", "b"]`.
fn str_slice(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", items.join(", "))
}

/// `&[("a", &["b"]), …]`, in name order.
fn pairs(map: &BTreeMap<String, Vec<String>>) -> String {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("({k:?}, {})", str_slice(v)))
        .collect();
    format!("&[{}]", items.join(", "))
}

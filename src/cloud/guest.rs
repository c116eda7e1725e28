//! The inside of a simulated EC2 instance (packages, services, users, files) and the small shell that SSM `AWS-RunShellScript` and user data run in it.
//!
//! # State
//! A [`Guest`] is plain data (`BTreeMap`s and `BTreeSet`s, no clocks, no randomness), so the same
//! script on the same guest always gives the same result, and cloning a guest is the same as
//! taking an image of it.
//!
//! The file system is kept twice. `live` is what the running OS sees: the disk plus every write
//! still sitting in the page cache. `disk` is what has reached the EBS volume. Each file change
//! (including files created by package installs, `mkdir`, `rm`) happens in `live` only; `sync`
//! copies `live` to `disk`. A crash, or an image taken with `NoReboot`, keeps only `disk`
//! ([`Guest::crash_consistent_copy`]). The package, service and account tables count as
//! persisted as soon as they change, because package managers and `useradd` fsync their
//! databases.
//!
//! # Shell
//! [`Guest::run_script`] joins its lines into one script, like `AWS-RunShellScript` does, and runs
//! it as root with `/` as the working directory. Supported syntax: words with `'single'` and
//! `"double"` quotes and `\` escapes, `$VAR`, `${VAR}`, `${VAR:-default}`, `$?`, `$(command)` and
//! backticks, `~`, `*`/`?` globs, `{a,b}`/`{1..3}` braces, `#` comments, `;`, `&&`, `||`, `|`,
//! `!`, a trailing `&` (run in the foreground), redirections (`>`, `>>`, `<`, `2>`, `2>>`, `2>&1`,
//! `>&2`, `&>`), line continuation with `\`, `&&`, `||` or `|` at the end of a line, and
//! `set -e`/`-x`/`-u`/`-o pipefail`. Compound commands (`if`, `for`, `while`, `case`, functions,
//! subshells) and here-documents are reported as unsupported and stop the script with exit code
//! 2, as a syntax error would.
//!
//! Simulated commands: shell builtins (`cd`, `echo`, `printf`, `export`, `set`, `test`/`[`,
//! `source`, `eval`, `exit`, `read`, `sudo`, `env`, `nohup`, `timeout`), file tools (`cat`, `ls`,
//! `mkdir`, `rm`, `rmdir`, `cp`, `mv`, `touch`, `chmod`, `chown`, `chgrp`, `ln`, `tee`, `grep`,
//! `sed`, `head`, `tail`, `wc`, `sort`, `basename`, `dirname`), system tools (`sync`, `whoami`,
//! `hostname`, `hostnamectl`, `uname`, `id`, `which`, `date`, `sleep`), package managers (`dnf`,
//! `yum`, `rpm`, `amazon-linux-extras`, `apt`, `apt-get`, `dpkg`, `snap`, `npm`, `pip`),
//! services (`systemctl`, `service`, `chkconfig`), accounts (`useradd`, `adduser`, `userdel`,
//! `usermod`, `groupadd`, `groupdel`, `passwd`, `chpasswd`, `crontab`) and tools (`git`, `curl`,
//! `wget`, `bash`/`sh`, `python3`, `node`, `docker`, `postgresql-setup`,
//! `amazon-cloudwatch-agent-ctl`). A command is only there when a package provides it, so
//! `apt-get` on Amazon Linux is "command not found". Installed tools that are not simulated
//! (`tar`, `vim`, `mount`, …) answer `--version` and otherwise succeed silently. `/etc/passwd`
//! and `/etc/group` can be read; they are rendered from the account tables, not stored.
//!
//! Language packages installed with `npm install` and `pip install` appear in
//! [`Guest::packages`] as `npm:NAME` and `pip:NAME`; each also provides a command `NAME` (so
//! `npm install -g pm2` makes `pm2` runnable).
//!
//! `curl` and `wget` reach the guest's own web server (nginx, httpd or apache2 on port 80) and
//! the instance metadata service ([`Guest::set_instance_metadata`]); any other URL answers with a
//! placeholder body that is a shell comment, so `curl … | bash` installers do nothing.
//!
//! # Limits
//! Captured output is cut at SSM's limits ([`MAX_STDOUT_CHARS`], [`MAX_STDERR_CHARS`]). Files are
//! capped at [`MAX_FILE_BYTES`] each, [`MAX_DISK_BYTES`] in total (contents plus path names) and
//! [`MAX_FILES`]/[`MAX_DIRS`] entries; writes beyond fail with "No space left on device". One
//! run executes at most 10,000 commands, so no script can grow memory or time without bound.

use std::collections::{BTreeMap, BTreeSet};
use std::mem;
use std::ops::Bound;

// ======================================================================================
// Limits
// ======================================================================================

/// SSM Run Command keeps at most this many characters of standard output.
pub const MAX_STDOUT_CHARS: usize = 24_000;
/// SSM Run Command keeps at most this many characters of standard error.
pub const MAX_STDERR_CHARS: usize = 8_000;
/// Largest regular file a guest may hold; bigger writes fail with "No space left on device".
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Disk budget of a guest: file contents plus path names (a stand-in for blocks and inodes).
pub const MAX_DISK_BYTES: usize = 1024 * 1024;
/// Most regular files a guest may hold.
pub const MAX_FILES: usize = 10_000;
/// Most directories a guest may hold.
pub const MAX_DIRS: usize = 10_000;

const MAX_PATH_BYTES: usize = 4096;
const MAX_COMMANDS_PER_RUN: usize = 10_000;
/// Like Linux's ARG_MAX: bounds what one command line can expand to.
const MAX_ARG_BYTES: usize = 256 * 1024;
/// Bounds what one command may pass down a pipe or capture from a nested script.
const MAX_STREAM_BYTES: usize = 1024 * 1024;
const MAX_NESTING: usize = 8;
const MAX_LOGICAL_LINE_BYTES: usize = 64 * 1024;
const MAX_ACCOUNTS: usize = 1_000;
const MAX_PACKAGES: usize = 2_000;
const MAX_SHELL_VARS: usize = 512;
const MAX_SHELL_VAR_BYTES: usize = 256 * 1024;
const MAX_METADATA_ENTRIES: usize = 1_000;
const MAX_PATTERN_PIECES: usize = 256;

// ======================================================================================
// Public types
// ======================================================================================

/// The operating system installed on an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsFamily {
    AmazonLinux2023,
    AmazonLinux2,
    Ubuntu,
    Rhel,
    Windows,
    /// The original Amazon Linux AMI (2018.03): yum, SysV init (`service`/`chkconfig`, no systemd).
    LegacyLinux,
}

const OS_AL2023: u8 = 1;
const OS_AL2: u8 = 1 << 1;
const OS_RHEL: u8 = 1 << 2;
const OS_UBUNTU: u8 = 1 << 3;
const OS_LEGACY: u8 = 1 << 4;
const OS_DNF: u8 = OS_AL2023 | OS_RHEL;
const OS_AMAZON: u8 = OS_AL2023 | OS_AL2;
const OS_MODERN_RPM: u8 = OS_AL2023 | OS_AL2 | OS_RHEL;
const OS_RPM: u8 = OS_MODERN_RPM | OS_LEGACY;
const OS_LINUX: u8 = OS_RPM | OS_UBUNTU;
const OS_SYSTEMD: u8 = OS_MODERN_RPM | OS_UBUNTU;

impl OsFamily {
    /// Every family, in declaration order.
    pub const ALL: [OsFamily; 6] = [
        OsFamily::AmazonLinux2023,
        OsFamily::AmazonLinux2,
        OsFamily::Ubuntu,
        OsFamily::Rhel,
        OsFamily::Windows,
        OsFamily::LegacyLinux,
    ];

    pub fn is_windows(self) -> bool {
        self == OsFamily::Windows
    }

    /// The account AWS creates for the key pair: `ec2-user`, `ubuntu` or `Administrator`.
    pub fn default_user(self) -> &'static str {
        match self {
            OsFamily::Ubuntu => "ubuntu",
            OsFamily::Windows => "Administrator",
            _ => "ec2-user",
        }
    }

    fn bit(self) -> u8 {
        match self {
            OsFamily::AmazonLinux2023 => OS_AL2023,
            OsFamily::AmazonLinux2 => OS_AL2,
            OsFamily::Ubuntu => OS_UBUNTU,
            OsFamily::Rhel => OS_RHEL,
            OsFamily::LegacyLinux => OS_LEGACY,
            OsFamily::Windows => 0,
        }
    }

    fn is_debian(self) -> bool {
        self == OsFamily::Ubuntu
    }

    fn has_systemd(self) -> bool {
        self.bit() & OS_SYSTEMD != 0
    }

    /// Packages from downloaded `.rpm`/`.deb` files ignore the repositories, not the format.
    fn family_mask(self) -> u8 {
        if self.is_debian() {
            OS_UBUNTU
        } else {
            OS_RPM
        }
    }

    fn rpm_release(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "amzn2023",
            OsFamily::AmazonLinux2 => "amzn2",
            OsFamily::Rhel => "el9",
            OsFamily::LegacyLinux => "amzn1",
            OsFamily::Ubuntu | OsFamily::Windows => "",
        }
    }

    fn repo_name(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "amazonlinux",
            OsFamily::AmazonLinux2 => "amzn2-core",
            OsFamily::Rhel => "rhel-9-baseos-rhui-rpms",
            OsFamily::LegacyLinux => "amzn-main",
            OsFamily::Ubuntu => "noble",
            OsFamily::Windows => "",
        }
    }

    fn kernel_release(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "6.1.115-126.197.amzn2023.x86_64",
            OsFamily::AmazonLinux2 => "5.10.228-219.884.amzn2.x86_64",
            OsFamily::Ubuntu => "6.8.0-1018-aws",
            OsFamily::Rhel => "5.14.0-427.13.1.el9_4.x86_64",
            OsFamily::LegacyLinux => "4.14.355-196.643.amzn1.x86_64",
            OsFamily::Windows => "10.0.20348",
        }
    }

    fn nologin(self) -> &'static str {
        if self.is_debian() {
            "/usr/sbin/nologin"
        } else {
            "/sbin/nologin"
        }
    }
}

/// What one run of [`Guest::run_script`] reports, like an SSM command invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A systemd unit (or SysV service on [`OsFamily::LegacyLinux`]) as `systemctl` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub name: String,
    pub enabled: bool,
    pub active: bool,
}

// ======================================================================================
// File system
// ======================================================================================

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    NoSpace,
    NameTooLong,
}

impl FsError {
    fn describe(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::AlreadyExists => "File exists",
            FsError::NoSpace => "No space left on device",
            FsError::NameTooLong => "File name too long",
        }
    }
}

/// Mode and ownership; stored only where they differ from the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Meta {
    mode: u32,
    owner: String,
    group: String,
}

impl Meta {
    fn default_for(is_dir: bool) -> Meta {
        Meta {
            mode: if is_dir { 0o755 } else { 0o644 },
            owner: "root".into(),
            group: "root".into(),
        }
    }
}

/// One view of the guest's file tree. `used_bytes` is kept in step with the maps so that limit
/// checks stay cheap.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct FileSystem {
    files: BTreeMap<String, String>,
    dirs: BTreeSet<String>,
    meta: BTreeMap<String, Meta>,
    used_bytes: usize,
}

/// The key prefix shared by everything strictly below `path`.
fn subtree_prefix(path: &str) -> String {
    if path == "/" {
        "/".to_string()
    } else {
        format!("{path}/")
    }
}

fn keys_under<'a, V>(
    map: &'a BTreeMap<String, V>,
    prefix: &'a str,
) -> impl Iterator<Item = &'a String> {
    map.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .map(|(k, _)| k)
        .take_while(move |k| k.starts_with(prefix))
}

fn set_under<'a>(set: &'a BTreeSet<String>, prefix: &'a str) -> impl Iterator<Item = &'a String> {
    set.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |k| k.starts_with(prefix))
}

impl FileSystem {
    fn with_root() -> FileSystem {
        let mut fs = FileSystem::default();
        fs.dirs.insert("/".to_string());
        fs.used_bytes = 1;
        fs
    }

    fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path)
    }

    fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    fn exists(&self, path: &str) -> bool {
        self.is_dir(path) || self.is_file(path)
    }

    fn read(&self, path: &str) -> Result<&str, FsError> {
        if let Some(content) = self.files.get(path) {
            return Ok(content);
        }
        if self.is_dir(path) {
            Err(FsError::IsADirectory)
        } else {
            Err(self.unreachable_reason(path))
        }
    }

    /// Why a missing `path` cannot be used: a missing component, or a file used as a directory.
    fn unreachable_reason(&self, path: &str) -> FsError {
        let mut current = parent_of(path);
        loop {
            if self.is_file(current) {
                return FsError::NotADirectory;
            }
            if self.is_dir(current) || current == "/" {
                return FsError::NotFound;
            }
            current = parent_of(current);
        }
    }

    fn check_parent(&self, path: &str) -> Result<(), FsError> {
        if path.len() > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        if self.is_dir(parent_of(path)) {
            Ok(())
        } else {
            Err(self.unreachable_reason(path))
        }
    }

    fn write(&mut self, path: &str, content: String) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        self.check_parent(path)?;
        if content.len() > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        let old_cost = self.files.get(path).map(|c| c.len() + path.len());
        if old_cost.is_none() && self.files.len() >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        let used = self.used_bytes - old_cost.unwrap_or(0) + content.len() + path.len();
        if used > MAX_DISK_BYTES {
            return Err(FsError::NoSpace);
        }
        self.used_bytes = used;
        self.files.insert(path.to_string(), content);
        Ok(())
    }

    fn append(&mut self, path: &str, extra: &str) -> Result<(), FsError> {
        let existing = match self.read(path) {
            Ok(content) => content,
            Err(FsError::NotFound) => "",
            Err(e) => return Err(e),
        };
        // Checked before building the string so a huge append never allocates.
        if existing.len() + extra.len() > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        let combined = format!("{existing}{extra}");
        self.write(path, combined)
    }

    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.exists(path) {
            return Err(FsError::AlreadyExists);
        }
        self.check_parent(path)?;
        if self.dirs.len() >= MAX_DIRS || self.used_bytes + path.len() > MAX_DISK_BYTES {
            return Err(FsError::NoSpace);
        }
        self.used_bytes += path.len();
        self.dirs.insert(path.to_string());
        Ok(())
    }

    fn mkdir_all(&mut self, path: &str) -> Result<(), FsError> {
        if path.len() > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        for ancestor in ancestors_and_self(path) {
            if self.is_file(&ancestor) {
                return Err(if ancestor == path {
                    FsError::AlreadyExists
                } else {
                    FsError::NotADirectory
                });
            }
            if !self.is_dir(&ancestor) {
                self.mkdir(&ancestor)?;
            }
        }
        Ok(())
    }

    fn remove_file(&mut self, path: &str) -> bool {
        match self.files.remove(path) {
            Some(content) => {
                self.used_bytes -= content.len() + path.len();
                self.meta.remove(path);
                true
            }
            None => false,
        }
    }

    fn remove_dir_entry(&mut self, path: &str) {
        if path != "/" && self.dirs.remove(path) {
            self.used_bytes -= path.len();
            self.meta.remove(path);
        }
    }

    /// Files and directories strictly below `path`, in sorted order.
    fn subtree(&self, path: &str) -> (Vec<String>, Vec<String>) {
        let prefix = subtree_prefix(path);
        let files = keys_under(&self.files, &prefix).cloned().collect();
        let dirs = set_under(&self.dirs, &prefix)
            .filter(|d| d.as_str() != path)
            .cloned()
            .collect();
        (files, dirs)
    }

    fn clear_contents(&mut self, path: &str) {
        let (files, dirs) = self.subtree(path);
        for file in files {
            self.remove_file(&file);
        }
        for dir in dirs {
            self.remove_dir_entry(&dir);
        }
    }

    fn remove_tree(&mut self, path: &str) {
        self.clear_contents(path);
        self.remove_dir_entry(path);
    }

    /// Direct children of `dir`: name → is a directory, sorted by name.
    fn children(&self, dir: &str) -> BTreeMap<String, bool> {
        let prefix = subtree_prefix(dir);
        let direct = |k: &String| {
            let rest = &k[prefix.len()..];
            !rest.is_empty() && !rest.contains('/')
        };
        let mut out = BTreeMap::new();
        for dir_path in set_under(&self.dirs, &prefix).filter(|k| direct(k)) {
            out.insert(dir_path[prefix.len()..].to_string(), true);
        }
        for file_path in keys_under(&self.files, &prefix).filter(|k| direct(k)) {
            out.insert(file_path[prefix.len()..].to_string(), false);
        }
        out
    }

    fn meta_of(&self, path: &str) -> Meta {
        self.meta
            .get(path)
            .cloned()
            .unwrap_or_else(|| Meta::default_for(self.is_dir(path)))
    }

    fn set_meta(&mut self, path: &str, meta: Meta) {
        if meta == Meta::default_for(self.is_dir(path)) {
            self.meta.remove(path);
        } else {
            self.meta.insert(path.to_string(), meta);
        }
    }

    /// Copies a directory tree, merging into directories that exist; like `cp -r`, it stops at
    /// the first error and leaves what it already copied.
    fn copy_tree(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (files, dirs) = self.subtree(from);
        for dir in std::iter::once(from.to_string()).chain(dirs) {
            let target = rebase(&dir, from, to);
            if !self.is_dir(&target) {
                self.mkdir(&target)?;
            }
        }
        for file in files {
            let content = self.files.get(&file).cloned().unwrap_or_default();
            self.write(&rebase(&file, from, to), content)?;
        }
        Ok(())
    }

    /// Renames a file or directory tree in one step, like rename(2): all or nothing.
    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        self.check_parent(to)?;
        if self.exists(to) {
            return Err(FsError::AlreadyExists);
        }
        if let Some(content) = self.files.get(from).cloned() {
            let meta = self.meta.get(from).cloned();
            self.remove_file(from);
            if let Err(e) = self.write(to, content.clone()) {
                self.write(from, content)
                    .expect("restoring a file that was just removed fits");
                if let Some(meta) = meta {
                    self.meta.insert(from.to_string(), meta);
                }
                return Err(e);
            }
            if let Some(meta) = meta {
                self.meta.insert(to.to_string(), meta);
            }
            return Ok(());
        }
        if !self.is_dir(from) {
            return Err(self.unreachable_reason(from));
        }
        let (files, dirs) = self.subtree(from);
        let entries = files.len() + dirs.len() + 1;
        let longest = files
            .iter()
            .chain(&dirs)
            .map(|p| rebase(p, from, to).len())
            .max()
            .unwrap_or(0);
        if longest.max(to.len()) > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        let grown = entries * to.len();
        let shrunk = entries * from.len();
        if self.used_bytes + grown > MAX_DISK_BYTES + shrunk {
            return Err(FsError::NoSpace);
        }
        self.used_bytes = self.used_bytes + grown - shrunk;
        for dir in std::iter::once(from.to_string()).chain(dirs) {
            self.dirs.remove(&dir);
            self.dirs.insert(rebase(&dir, from, to));
        }
        for file in files {
            if let Some(content) = self.files.remove(&file) {
                self.files.insert(rebase(&file, from, to), content);
            }
        }
        let moved_meta: Vec<String> = self
            .meta
            .keys()
            .filter(|k| k.as_str() == from || k.starts_with(&subtree_prefix(from)))
            .cloned()
            .collect();
        for key in moved_meta {
            if let Some(meta) = self.meta.remove(&key) {
                self.meta.insert(rebase(&key, from, to), meta);
            }
        }
        Ok(())
    }
}

// ======================================================================================
// Paths
// ======================================================================================

/// Makes `raw` absolute against `cwd` and resolves `.`, `..` and repeated slashes.
fn normalize_path(cwd: &str, raw: &str) -> String {
    let joined = if raw.starts_with('/') {
        raw.to_string()
    } else {
        format!("{cwd}/{raw}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for component in joined.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", parts.join("/"))
    }
}

fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn child_path(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `/a`, `/a/b`, `/a/b/c` for `/a/b/c` (the root itself is left out).
fn ancestors_and_self(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in path.char_indices().skip(1) {
        if c == '/' {
            out.push(path[..i].to_string());
        }
    }
    if path != "/" {
        out.push(path.to_string());
    }
    out
}

/// Moves `path` from below `from` to below `to`.
fn rebase(path: &str, from: &str, to: &str) -> String {
    format!("{to}{}", &path[from.len()..])
}

fn is_inside(path: &str, dir: &str) -> bool {
    path == dir || path.starts_with(&subtree_prefix(dir))
}

fn mode_string(mode: u32, is_dir: bool) -> String {
    let mut s = String::from(if is_dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

// ======================================================================================
// Package catalog
// ======================================================================================

/// Where a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    /// The distribution's repositories (dnf/yum/apt).
    Repo,
    /// The Snap Store (Ubuntu).
    Snap,
    /// Only as a downloaded `.rpm`/`.deb` file.
    Download,
}

/// A package the simulated repositories know, and what installing it does to the guest.
#[derive(Debug, Clone, Copy)]
struct PackageSpec {
    name: &'static str,
    /// Bit set of the OS families whose repositories carry it.
    oses: u8,
    version: &'static str,
    summary: &'static str,
    commands: &'static [&'static str],
    services: &'static [&'static str],
    files: &'static [(&'static str, &'static str)],
    dirs: &'static [&'static str],
    /// Installed with it, and removed when it goes.
    requires: &'static [&'static str],
    /// Installed with it, but left alone when it goes (weak dependencies).
    recommends: &'static [&'static str],
    /// Other names that resolve to this package.
    provides: &'static [&'static str],
    /// A system account (and same-named group) the package creates.
    account: Option<&'static str>,
    /// A system group the package creates.
    group: Option<&'static str>,
    /// On Amazon Linux 2 the package needs this `amazon-linux-extras` topic first.
    al2_topic: Option<&'static str>,
    channel: Channel,
}

const fn pkg(
    name: &'static str,
    oses: u8,
    version: &'static str,
    summary: &'static str,
) -> PackageSpec {
    PackageSpec {
        name,
        oses,
        version,
        summary,
        commands: &[],
        services: &[],
        files: &[],
        dirs: &[],
        requires: &[],
        recommends: &[],
        provides: &[],
        account: None,
        group: None,
        al2_topic: None,
        channel: Channel::Repo,
    }
}

impl PackageSpec {
    const fn cmds(self, commands: &'static [&'static str]) -> Self {
        PackageSpec { commands, ..self }
    }
    const fn svc(self, services: &'static [&'static str]) -> Self {
        PackageSpec { services, ..self }
    }
    const fn files(self, files: &'static [(&'static str, &'static str)]) -> Self {
        PackageSpec { files, ..self }
    }
    const fn dirs(self, dirs: &'static [&'static str]) -> Self {
        PackageSpec { dirs, ..self }
    }
    const fn requires(self, requires: &'static [&'static str]) -> Self {
        PackageSpec { requires, ..self }
    }
    const fn recommends(self, recommends: &'static [&'static str]) -> Self {
        PackageSpec { recommends, ..self }
    }
    const fn provides(self, provides: &'static [&'static str]) -> Self {
        PackageSpec { provides, ..self }
    }
    const fn account(self, name: &'static str) -> Self {
        PackageSpec {
            account: Some(name),
            ..self
        }
    }
    const fn group(self, name: &'static str) -> Self {
        PackageSpec {
            group: Some(name),
            ..self
        }
    }
    const fn al2_topic(self, topic: &'static str) -> Self {
        PackageSpec {
            al2_topic: Some(topic),
            ..self
        }
    }
    const fn snap(self) -> Self {
        PackageSpec {
            channel: Channel::Snap,
            ..self
        }
    }
    const fn download_only(self) -> Self {
        PackageSpec {
            channel: Channel::Download,
            ..self
        }
    }

    fn rpm_nevra(&self, os: OsFamily) -> String {
        format!(
            "{}-{}-1.{}.x86_64",
            self.name,
            self.version,
            os.rpm_release()
        )
    }

    fn deb_version(&self) -> String {
        format!("{}-1ubuntu1", self.version)
    }
}

const COREUTILS: &[&str] = &[
    "cat",
    "ls",
    "mkdir",
    "rmdir",
    "rm",
    "cp",
    "mv",
    "touch",
    "chmod",
    "chown",
    "chgrp",
    "ln",
    "tee",
    "pwd",
    "echo",
    "printf",
    "sync",
    "whoami",
    "uname",
    "id",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "sleep",
    "env",
    "basename",
    "dirname",
    "true",
    "false",
    "test",
    "[",
    "nohup",
    "timeout",
    "date",
    "df",
    "du",
    "stat",
    "hostname",
    "which",
    "xargs",
    "find",
    "seq",
    "tr",
    "md5sum",
    "sha256sum",
    "base64",
    "nproc",
    "free",
    "ps",
    "uptime",
];

const NGINX_CONF_RPM: &str = "user nginx;\nworker_processes auto;\nerror_log /var/log/nginx/error.log notice;\npid /run/nginx.pid;\n\nevents {\n    worker_connections 1024;\n}\n\nhttp {\n    include /etc/nginx/mime.types;\n    include /etc/nginx/conf.d/*.conf;\n\n    server {\n        listen       80;\n        listen       [::]:80;\n        server_name  _;\n        root         /usr/share/nginx/html;\n    }\n}\n";
const NGINX_CONF_DEB: &str = "user www-data;\nworker_processes auto;\npid /run/nginx.pid;\n\nevents {\n\tworker_connections 768;\n}\n\nhttp {\n\tinclude /etc/nginx/mime.types;\n\tinclude /etc/nginx/conf.d/*.conf;\n\tinclude /etc/nginx/sites-enabled/*;\n}\n";
const NGINX_SITE_DEB: &str = "server {\n\tlisten 80 default_server;\n\tlisten [::]:80 default_server;\n\troot /var/www/html;\n\tindex index.html index.htm index.nginx-debian.html;\n\tserver_name _;\n}\n";
const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";
const HTTPD_CONF: &str = "ServerRoot \"/etc/httpd\"\nListen 80\nInclude conf.modules.d/*.conf\nUser apache\nGroup apache\nDocumentRoot \"/var/www/html\"\nDirectoryIndex index.html\nIncludeOptional conf.d/*.conf\n";
const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";
const APACHE2_CONF: &str = "DefaultRuntimeDir ${APACHE_RUN_DIR}\nPidFile ${APACHE_PID_FILE}\nUser ${APACHE_RUN_USER}\nGroup ${APACHE_RUN_GROUP}\nIncludeOptional mods-enabled/*.load\nInclude ports.conf\nIncludeOptional sites-enabled/*.conf\n";
const APACHE2_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Apache2 Ubuntu Default Page: It works</title>\n</head>\n<body>\n<h1>Apache2 Default Page</h1>\n<p>It works!</p>\n</body>\n</html>\n";
const SSHD_CONFIG: &str = "Include /etc/ssh/sshd_config.d/*.conf\n#Port 22\nPermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding no\nSubsystem sftp /usr/libexec/openssh/sftp-server\n";
const CHRONY_CONF: &str = "# Amazon Time Sync Service\nserver 169.254.169.123 prefer iburst minpoll 4 maxpoll 4\ndriftfile /var/lib/chrony/drift\nmakestep 1.0 3\nrtcsync\n";
const DOCKER_SYSCONFIG: &str = "OPTIONS=\"--default-ulimit nofile=32768:65536\"\n";
const REDIS_CONF: &str =
    "bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\ndaemonize no\nsupervised systemd\n";
const PHP_FPM_CONF: &str = "[www]\nuser = apache\ngroup = apache\nlisten = /run/php-fpm/www.sock\npm = dynamic\npm.max_children = 50\n";
const FAIL2BAN_JAIL: &str = "[DEFAULT]\nbantime = 10m\nfindtime = 10m\nmaxretry = 5\n\n[sshd]\nport = ssh\nlogpath = %(sshd_log)s\n";
const PG_CONF: &str =
    "data_directory = '/var/lib/postgresql/16/main'\nlisten_addresses = 'localhost'\nport = 5432\n";
const CLOUDWATCH_CONFIG_DIR: &str = "/opt/aws/amazon-cloudwatch-agent/etc";
const CLOUDWATCH_CONFIG: &str = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";
const PG_VERSION_RPM: &str = "/var/lib/pgsql/data/PG_VERSION";

static CATALOG: &[PackageSpec] = &[
    // ---- the base systems ----
    pkg("bash", OS_LINUX, "5.2.15", "The GNU Bourne Again shell").cmds(&["bash", "sh"]),
    pkg(
        "coreutils",
        OS_LINUX,
        "8.32",
        "A set of basic GNU tools commonly used in shell scripts",
    )
    .cmds(COREUTILS),
    pkg("grep", OS_LINUX, "3.8", "Pattern matching utilities").cmds(&["grep", "egrep", "fgrep"]),
    pkg("sed", OS_LINUX, "4.8", "A GNU stream text editor").cmds(&["sed"]),
    pkg("tar", OS_LINUX, "1.34", "GNU file archiving program").cmds(&["tar"]),
    pkg("gzip", OS_LINUX, "1.12", "The GNU data compression program")
        .cmds(&["gzip", "gunzip", "zcat"]),
    pkg(
        "less",
        OS_LINUX,
        "608",
        "A text file browser similar to more, but better",
    )
    .cmds(&["less", "more"]),
    pkg(
        "util-linux",
        OS_LINUX,
        "2.37.4",
        "A collection of basic system utilities",
    )
    .cmds(&[
        "mount",
        "umount",
        "lsblk",
        "blkid",
        "findmnt",
        "mkfs",
        "mkfs.xfs",
        "mkfs.ext4",
        "kill",
        "logger",
        "su",
        "growpart",
        "xfs_growfs",
        "resize2fs",
        "file",
        "swapon",
        "mkswap",
        "fallocate",
    ]),
    pkg(
        "shadow-utils",
        OS_RPM,
        "4.9",
        "Utilities for managing accounts and shadow password files",
    )
    .cmds(&[
        "useradd", "userdel", "usermod", "groupadd", "groupdel", "adduser", "chpasswd", "passwd",
    ]),
    pkg(
        "passwd",
        OS_UBUNTU,
        "4.13",
        "change and administer password and group data",
    )
    .cmds(&[
        "useradd", "userdel", "usermod", "groupadd", "groupdel", "chpasswd", "passwd",
    ]),
    pkg(
        "adduser",
        OS_UBUNTU,
        "3.137",
        "add and remove users and groups",
    )
    .cmds(&["adduser", "deluser"]),
    pkg(
        "systemd",
        OS_SYSTEMD,
        "252.23",
        "System and Service Manager",
    )
    .cmds(&[
        "systemctl",
        "journalctl",
        "hostnamectl",
        "timedatectl",
        "service",
    ]),
    pkg(
        "initscripts",
        OS_LEGACY,
        "9.03.58",
        "The inittab file and the /etc/init.d scripts",
    )
    .cmds(&["service", "chkconfig"]),
    pkg("dnf", OS_DNF, "4.14.0", "Package manager").cmds(&["dnf", "yum"]),
    pkg(
        "yum",
        OS_AL2 | OS_LEGACY,
        "3.4.3",
        "RPM package installer/updater/manager",
    )
    .cmds(&["yum"]),
    pkg(
        "rpm",
        OS_RPM,
        "4.16.1.3",
        "The RPM package management system",
    )
    .cmds(&["rpm"]),
    pkg(
        "amazon-linux-extras",
        OS_AL2,
        "2.0.3",
        "Amazon Linux Extras topics",
    )
    .cmds(&["amazon-linux-extras"]),
    pkg("apt", OS_UBUNTU, "2.7.14", "commandline package manager").cmds(&[
        "apt",
        "apt-get",
        "apt-cache",
    ]),
    pkg(
        "dpkg",
        OS_UBUNTU,
        "1.22.6",
        "Debian package management system",
    )
    .cmds(&["dpkg", "dpkg-query"]),
    pkg(
        "snapd",
        OS_UBUNTU,
        "2.63",
        "Daemon and tooling that enable snap packages",
    )
    .cmds(&["snap"])
    .svc(&["snapd"]),
    pkg(
        "openssh-server",
        OS_RPM,
        "8.7p1",
        "An open source SSH server daemon",
    )
    .cmds(&["sshd"])
    .svc(&["sshd"])
    .files(&[("/etc/ssh/sshd_config", SSHD_CONFIG)]),
    pkg(
        "openssh-server",
        OS_UBUNTU,
        "9.6p1",
        "secure shell (SSH) server, for secure access from remote machines",
    )
    .cmds(&["sshd"])
    .svc(&["ssh"])
    .files(&[("/etc/ssh/sshd_config", SSHD_CONFIG)]),
    pkg(
        "openssh-clients",
        OS_RPM,
        "8.7p1",
        "An open source SSH client applications",
    )
    .cmds(&["ssh", "scp", "ssh-keygen"]),
    pkg(
        "openssh-client",
        OS_UBUNTU,
        "9.6p1",
        "secure shell (SSH) client",
    )
    .cmds(&["ssh", "scp", "ssh-keygen"]),
    pkg("amazon-ssm-agent", OS_RPM, "3.3.1142.0", "Amazon SSM Agent")
        .cmds(&["amazon-ssm-agent"])
        .svc(&["amazon-ssm-agent"]),
    pkg(
        "amazon-ssm-agent",
        OS_UBUNTU,
        "3.3.1142.0",
        "Amazon SSM Agent",
    )
    .cmds(&["amazon-ssm-agent"])
    .svc(&["amazon-ssm-agent"])
    .snap(),
    pkg(
        "curl",
        OS_LINUX,
        "8.5.0",
        "A utility for getting files from remote servers",
    )
    .cmds(&["curl"]),
    pkg(
        "wget",
        OS_LINUX,
        "1.21.3",
        "A utility for retrieving files using the HTTP or FTP protocols",
    )
    .cmds(&["wget"]),
    pkg("python3", OS_MODERN_RPM, "3.9.16", "Python 3.9 interpreter").cmds(&["python3"]),
    pkg(
        "python3",
        OS_UBUNTU,
        "3.12.3",
        "interactive high-level object-oriented language",
    )
    .cmds(&["python3"]),
    pkg(
        "python",
        OS_AL2,
        "2.7.18",
        "An interpreted, interactive, object-oriented programming language",
    )
    .cmds(&["python", "python2"]),
    pkg(
        "python27",
        OS_LEGACY,
        "2.7.18",
        "An interpreted, interactive, object-oriented programming language",
    )
    .cmds(&["python", "python2.7"]),
    pkg(
        "sudo",
        OS_LINUX,
        "1.9.15",
        "Allows restricted root access for specified users",
    )
    .cmds(&["sudo"]),
    pkg(
        "cloud-init",
        OS_LINUX,
        "22.2.2",
        "Cloud instance init scripts",
    )
    .cmds(&["cloud-init"]),
    pkg("chrony", OS_MODERN_RPM, "4.3", "An NTP client/server")
        .cmds(&["chronyc"])
        .svc(&["chronyd"])
        .files(&[("/etc/chrony.conf", CHRONY_CONF)]),
    pkg(
        "chrony",
        OS_UBUNTU,
        "4.5",
        "Versatile implementation of the Network Time Protocol",
    )
    .cmds(&["chronyc"])
    .svc(&["chrony"])
    .files(&[("/etc/chrony/chrony.conf", CHRONY_CONF)]),
    pkg("ntp", OS_LEGACY, "4.2.8p15", "The NTP daemon and utilities").svc(&["ntpd"]),
    pkg(
        "cronie",
        OS_RPM,
        "1.5.7",
        "Cron daemon for executing programs at set times",
    )
    .cmds(&["crontab"])
    .svc(&["crond"]),
    pkg("cron", OS_UBUNTU, "3.0pl1", "process scheduling daemon")
        .cmds(&["crontab"])
        .svc(&["cron"]),
    pkg("glibc", OS_RPM, "2.34", "The GNU libc libraries"),
    pkg(
        "libc6",
        OS_UBUNTU,
        "2.39",
        "GNU C Library: Shared libraries",
    ),
    pkg("kernel", OS_RPM, "6.1.115", "The Linux kernel"),
    pkg(
        "linux-aws",
        OS_UBUNTU,
        "6.8.0.1018",
        "Complete Linux kernel for Amazon Web Services (AWS) systems",
    ),
    pkg(
        "ec2-instance-connect",
        OS_AMAZON | OS_UBUNTU,
        "1.1",
        "EC2 Instance Connect",
    ),
    pkg(
        "awscli-2",
        OS_AL2023,
        "2.15.30",
        "Universal Command Line Environment for AWS, version 2",
    )
    .cmds(&["aws"])
    .provides(&["awscli", "aws-cli"]),
    pkg(
        "awscli",
        OS_AL2,
        "1.18.147",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"]),
    pkg(
        "aws-cli",
        OS_LEGACY,
        "1.18.107",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"]),
    pkg(
        "aws-cli",
        OS_UBUNTU,
        "2.17.0",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"])
    .snap(),
    pkg(
        "vim-minimal",
        OS_RPM,
        "9.0.2153",
        "A minimal version of the VIM editor",
    )
    .cmds(&["vi"]),
    pkg(
        "vim",
        OS_UBUNTU,
        "9.1.0016",
        "Vi IMproved - enhanced vi editor",
    )
    .cmds(&["vim", "vi"]),
    pkg("nano", OS_LINUX, "7.2", "small, friendly text editor").cmds(&["nano"]),
    pkg(
        "ufw",
        OS_UBUNTU,
        "0.36.2",
        "program for managing a Netfilter firewall",
    )
    .cmds(&["ufw"]),
    // ---- web servers ----
    pkg(
        "nginx",
        OS_RPM,
        "1.24.0",
        "A high performance web server and reverse proxy server",
    )
    .cmds(&["nginx"])
    .svc(&["nginx"])
    .files(&[
        ("/etc/nginx/nginx.conf", NGINX_CONF_RPM),
        ("/usr/share/nginx/html/index.html", NGINX_INDEX),
    ])
    .dirs(&["/etc/nginx/conf.d", "/var/log/nginx"])
    .account("nginx")
    .al2_topic("nginx1"),
    pkg(
        "nginx",
        OS_UBUNTU,
        "1.24.0",
        "small, powerful, scalable web/proxy server",
    )
    .cmds(&["nginx"])
    .svc(&["nginx"])
    .files(&[
        ("/etc/nginx/nginx.conf", NGINX_CONF_DEB),
        ("/etc/nginx/sites-available/default", NGINX_SITE_DEB),
        ("/var/www/html/index.nginx-debian.html", NGINX_INDEX),
    ])
    .dirs(&[
        "/etc/nginx/sites-enabled",
        "/etc/nginx/conf.d",
        "/var/log/nginx",
    ]),
    pkg("httpd", OS_RPM, "2.4.62", "Apache HTTP Server")
        .cmds(&["httpd", "apachectl"])
        .svc(&["httpd"])
        .files(&[
            ("/etc/httpd/conf/httpd.conf", HTTPD_CONF),
            ("/var/www/html/index.html", HTTPD_INDEX),
        ])
        .dirs(&["/etc/httpd/conf.d", "/var/log/httpd"])
        .account("apache"),
    pkg("apache2", OS_UBUNTU, "2.4.58", "Apache HTTP Server")
        .cmds(&[
            "apache2ctl",
            "apachectl",
            "a2enmod",
            "a2ensite",
            "a2dissite",
        ])
        .svc(&["apache2"])
        .files(&[
            ("/etc/apache2/apache2.conf", APACHE2_CONF),
            ("/var/www/html/index.html", APACHE2_INDEX),
        ])
        .dirs(&["/etc/apache2/sites-enabled", "/var/log/apache2"]),
    // ---- languages and their package managers ----
    pkg("git", OS_LINUX, "2.40.1", "Fast Version Control System").cmds(&["git"]),
    pkg("nodejs", OS_DNF, "18.20.4", "JavaScript runtime")
        .cmds(&["node"])
        .recommends(&["nodejs-npm"]),
    pkg("nodejs-npm", OS_DNF, "10.7.0", "Node.js Package Manager")
        .cmds(&["npm", "npx"])
        .requires(&["nodejs"])
        .provides(&["npm"]),
    pkg(
        "nodejs",
        OS_UBUNTU,
        "18.19.1",
        "evented I/O for V8 javascript - runtime executable",
    )
    .cmds(&["node", "nodejs"]),
    pkg("npm", OS_UBUNTU, "9.2.0", "package manager for Node.js")
        .cmds(&["npm", "npx"])
        .requires(&["nodejs"]),
    pkg(
        "python3-pip",
        OS_MODERN_RPM | OS_UBUNTU,
        "21.3.1",
        "A tool for installing and managing Python3 packages",
    )
    .cmds(&["pip3", "pip"]),
    pkg(
        "python3-venv",
        OS_UBUNTU,
        "3.12.3",
        "venv module for python3 (default python3 version)",
    ),
    pkg(
        "php",
        OS_MODERN_RPM,
        "8.2.20",
        "PHP scripting language for creating dynamic web sites",
    )
    .cmds(&["php"])
    .al2_topic("php8.2"),
    pkg(
        "php-fpm",
        OS_MODERN_RPM,
        "8.2.20",
        "PHP FastCGI Process Manager",
    )
    .cmds(&["php-fpm"])
    .svc(&["php-fpm"])
    .files(&[("/etc/php-fpm.d/www.conf", PHP_FPM_CONF)])
    .al2_topic("php8.2"),
    pkg(
        "php",
        OS_UBUNTU,
        "8.3.6",
        "server-side, HTML-embedded scripting language (default)",
    )
    .cmds(&["php"])
    .recommends(&["apache2"]),
    pkg(
        "php-fpm",
        OS_UBUNTU,
        "8.3.6",
        "server-side, HTML-embedded scripting language (FPM-CGI binary) (default)",
    )
    .cmds(&["php-fpm8.3"])
    .svc(&["php8.3-fpm"]),
    pkg(
        "java-17-amazon-corretto",
        OS_AMAZON,
        "17.0.12",
        "Amazon Corretto runtime environment",
    )
    .cmds(&["java", "javac"])
    .provides(&[
        "java-17-amazon-corretto-devel",
        "java-17-amazon-corretto-headless",
    ]),
    pkg(
        "java-21-amazon-corretto",
        OS_AL2023,
        "21.0.4",
        "Amazon Corretto runtime environment",
    )
    .cmds(&["java", "javac"]),
    pkg(
        "java-17-openjdk",
        OS_RHEL,
        "17.0.12",
        "OpenJDK 17 Runtime Environment",
    )
    .cmds(&["java"]),
    pkg(
        "openjdk-17-jdk",
        OS_UBUNTU,
        "17.0.12",
        "OpenJDK Development Kit (JDK)",
    )
    .cmds(&["java", "javac"]),
    pkg(
        "openjdk-17-jre-headless",
        OS_UBUNTU,
        "17.0.12",
        "OpenJDK Java runtime, using Hotspot JIT (headless)",
    )
    .cmds(&["java"]),
    pkg(
        "golang",
        OS_MODERN_RPM,
        "1.22.7",
        "The Go Programming Language",
    )
    .cmds(&["go"]),
    pkg(
        "golang-go",
        OS_UBUNTU,
        "1.22.2",
        "Go programming language compiler, linker, compiled stdlib",
    )
    .cmds(&["go"]),
    pkg(
        "ruby",
        OS_LINUX,
        "3.2.4",
        "An interpreter of object-oriented scripting language",
    )
    .cmds(&["ruby", "gem"]),
    pkg(
        "gcc",
        OS_LINUX,
        "11.4.1",
        "Various compilers (C, C++, Objective-C, ...)",
    )
    .cmds(&["gcc", "cc"]),
    pkg(
        "make",
        OS_LINUX,
        "4.3",
        "A GNU tool which simplifies the build process for users",
    )
    .cmds(&["make"]),
    pkg(
        "build-essential",
        OS_UBUNTU,
        "12.10",
        "Informational list of build-essential packages",
    )
    .requires(&["gcc", "make"]),
    // ---- containers and databases ----
    pkg(
        "docker",
        OS_AMAZON | OS_LEGACY,
        "25.0.6",
        "Automates deployment of containerized applications",
    )
    .cmds(&["docker", "dockerd"])
    .svc(&["docker"])
    .group("docker")
    .files(&[("/etc/sysconfig/docker", DOCKER_SYSCONFIG)]),
    pkg("docker.io", OS_UBUNTU, "24.0.7", "Linux container runtime")
        .cmds(&["docker", "dockerd"])
        .svc(&["docker"])
        .group("docker"),
    pkg(
        "podman",
        OS_RHEL,
        "4.9.4",
        "Manage Pods, Containers and Container Images",
    )
    .cmds(&["podman"]),
    pkg(
        "mariadb105-server",
        OS_AL2023,
        "10.5.25",
        "The MariaDB server and related files",
    )
    .cmds(&["mysqld", "mariadbd", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb105"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb105",
        OS_AL2023,
        "10.5.25",
        "A very fast and robust SQL database server",
    )
    .cmds(&["mysql", "mariadb"]),
    pkg(
        "mariadb-server",
        OS_AL2 | OS_RHEL,
        "10.5.22",
        "The MariaDB server and related files",
    )
    .cmds(&["mysqld", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb",
        OS_AL2 | OS_RHEL,
        "10.5.22",
        "A very fast and robust SQL database server",
    )
    .cmds(&["mysql"]),
    pkg(
        "mariadb-server",
        OS_UBUNTU,
        "10.11.8",
        "MariaDB database server",
    )
    .cmds(&["mysqld", "mariadbd", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb-client"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb-client",
        OS_UBUNTU,
        "10.11.8",
        "MariaDB database client binaries",
    )
    .cmds(&["mysql", "mariadb"]),
    pkg("mysql-server", OS_UBUNTU, "8.0.39", "MySQL database server")
        .cmds(&["mysqld", "mysql_secure_installation"])
        .svc(&["mysql"])
        .account("mysql")
        .requires(&["mysql-client"])
        .dirs(&["/var/lib/mysql"]),
    pkg("mysql-client", OS_UBUNTU, "8.0.39", "MySQL database client").cmds(&["mysql"]),
    pkg(
        "postgresql15-server",
        OS_AL2023,
        "15.8",
        "The programs needed to create and run a PostgreSQL server",
    )
    .cmds(&["postgres", "postgresql-setup", "initdb"])
    .svc(&["postgresql"])
    .account("postgres")
    .requires(&["postgresql15"])
    .dirs(&["/var/lib/pgsql"]),
    pkg(
        "postgresql15",
        OS_AL2023,
        "15.8",
        "PostgreSQL client programs",
    )
    .cmds(&["psql", "pg_dump"]),
    pkg(
        "postgresql-server",
        OS_AL2 | OS_RHEL,
        "13.16",
        "The programs needed to create and run a PostgreSQL server",
    )
    .cmds(&["postgres", "postgresql-setup", "initdb"])
    .svc(&["postgresql"])
    .account("postgres")
    .requires(&["postgresql"])
    .dirs(&["/var/lib/pgsql"]),
    pkg(
        "postgresql",
        OS_AL2 | OS_RHEL,
        "13.16",
        "PostgreSQL client programs",
    )
    .cmds(&["psql", "pg_dump"]),
    pkg(
        "postgresql",
        OS_UBUNTU,
        "16.4",
        "object-relational SQL database (supported version)",
    )
    .cmds(&["psql", "pg_dump", "pg_ctlcluster"])
    .svc(&["postgresql"])
    .account("postgres")
    .files(&[
        ("/var/lib/postgresql/16/main/PG_VERSION", "16\n"),
        ("/etc/postgresql/16/main/postgresql.conf", PG_CONF),
    ]),
    pkg(
        "redis6",
        OS_AL2023,
        "6.2.14",
        "A persistent key-value database",
    )
    .cmds(&["redis6-server", "redis6-cli"])
    .svc(&["redis6"])
    .account("redis")
    .files(&[("/etc/redis6/redis6.conf", REDIS_CONF)]),
    pkg(
        "redis",
        OS_AL2 | OS_RHEL,
        "6.2.14",
        "A persistent key-value database",
    )
    .cmds(&["redis-server", "redis-cli"])
    .svc(&["redis"])
    .account("redis")
    .files(&[("/etc/redis/redis.conf", REDIS_CONF)])
    .al2_topic("redis6"),
    pkg(
        "redis-server",
        OS_UBUNTU,
        "7.0.15",
        "Persistent key-value database with network interface",
    )
    .cmds(&["redis-server"])
    .svc(&["redis-server"])
    .account("redis")
    .requires(&["redis-tools"])
    .files(&[("/etc/redis/redis.conf", REDIS_CONF)]),
    pkg(
        "redis-tools",
        OS_UBUNTU,
        "7.0.15",
        "Persistent key-value database with network interface (client)",
    )
    .cmds(&["redis-cli"]),
    pkg(
        "sqlite",
        OS_RPM,
        "3.40.0",
        "Library that implements an embeddable SQL database engine",
    )
    .cmds(&["sqlite3"]),
    pkg(
        "sqlite3",
        OS_UBUNTU,
        "3.45.1",
        "Command line interface for SQLite 3",
    )
    .cmds(&["sqlite3"]),
    // ---- AWS tools ----
    pkg(
        "amazon-cloudwatch-agent",
        OS_AMAZON,
        "1.300044.0",
        "Amazon CloudWatch Agent",
    )
    .cmds(&["amazon-cloudwatch-agent-ctl"])
    .svc(&["amazon-cloudwatch-agent"])
    .dirs(&[
        CLOUDWATCH_CONFIG_DIR,
        "/opt/aws/amazon-cloudwatch-agent/bin",
    ]),
    pkg(
        "amazon-cloudwatch-agent",
        OS_UBUNTU,
        "1.300044.0",
        "Amazon CloudWatch Agent",
    )
    .cmds(&["amazon-cloudwatch-agent-ctl"])
    .svc(&["amazon-cloudwatch-agent"])
    .dirs(&[
        CLOUDWATCH_CONFIG_DIR,
        "/opt/aws/amazon-cloudwatch-agent/bin",
    ])
    .download_only(),
    pkg(
        "amazon-efs-utils",
        OS_AMAZON,
        "2.0.4",
        "Utility for mounting Amazon EFS file systems",
    )
    .cmds(&["mount.efs"])
    .requires(&["nfs-utils"]),
    // ---- everyday tools ----
    pkg(
        "vim-enhanced",
        OS_RPM,
        "9.0.2153",
        "A version of the VIM editor which includes recent enhancements",
    )
    .cmds(&["vim"])
    .provides(&["vim"]),
    pkg(
        "htop",
        OS_AL2023 | OS_UBUNTU,
        "3.3.0",
        "Interactive process viewer",
    )
    .cmds(&["htop"]),
    pkg("tmux", OS_LINUX, "3.2a", "A terminal multiplexer").cmds(&["tmux"]),
    pkg(
        "unzip",
        OS_LINUX,
        "6.0",
        "A utility for unpacking zip files",
    )
    .cmds(&["unzip"]),
    pkg(
        "zip",
        OS_LINUX,
        "3.0",
        "A file compression and packaging utility",
    )
    .cmds(&["zip"]),
    pkg("jq", OS_LINUX, "1.7.1", "Command-line JSON processor").cmds(&["jq"]),
    pkg("tree", OS_LINUX, "1.8.0", "File system tree viewer").cmds(&["tree"]),
    pkg(
        "rsync",
        OS_LINUX,
        "3.2.7",
        "A program for synchronizing files over a network",
    )
    .cmds(&["rsync"]),
    pkg(
        "telnet",
        OS_LINUX,
        "0.17",
        "The client program for the Telnet remote login protocol",
    )
    .cmds(&["telnet"]),
    pkg(
        "lsof",
        OS_LINUX,
        "4.94.0",
        "A utility which lists open files on a Linux/UNIX system",
    )
    .cmds(&["lsof"]),
    pkg(
        "strace",
        OS_LINUX,
        "6.6",
        "Tracks and displays system calls associated with a running process",
    )
    .cmds(&["strace"]),
    pkg(
        "bind-utils",
        OS_RPM,
        "9.16.48",
        "Utilities for querying DNS name servers",
    )
    .cmds(&["dig", "nslookup", "host"]),
    pkg(
        "dnsutils",
        OS_UBUNTU,
        "9.18.28",
        "Transitional package for bind9-dnsutils",
    )
    .cmds(&["dig", "nslookup", "host"]),
    pkg("nmap-ncat", OS_RPM, "7.93", "Nmap's Netcat replacement")
        .cmds(&["nc", "ncat"])
        .provides(&["nc"]),
    pkg(
        "netcat-openbsd",
        OS_UBUNTU,
        "1.226",
        "TCP/IP swiss army knife",
    )
    .cmds(&["nc"]),
    pkg(
        "nfs-utils",
        OS_RPM,
        "2.5.4",
        "NFS utilities and supporting clients and daemons",
    )
    .cmds(&["mount.nfs", "showmount"]),
    pkg(
        "nfs-common",
        OS_UBUNTU,
        "2.6.4",
        "NFS support files common to client and server",
    )
    .cmds(&["mount.nfs", "showmount"]),
    pkg(
        "stress",
        OS_AL2023 | OS_UBUNTU,
        "1.0.4",
        "A tool to put given subsystems under a specified load",
    )
    .cmds(&["stress"]),
    pkg(
        "stress-ng",
        OS_DNF | OS_UBUNTU,
        "0.17.06",
        "Stress test a computer system in various ways",
    )
    .cmds(&["stress-ng"]),
    pkg(
        "fail2ban",
        OS_UBUNTU,
        "1.0.2",
        "ban hosts that cause multiple authentication errors",
    )
    .cmds(&["fail2ban-client"])
    .svc(&["fail2ban"])
    .files(&[("/etc/fail2ban/jail.conf", FAIL2BAN_JAIL)]),
    pkg(
        "certbot",
        OS_AL2023 | OS_UBUNTU,
        "2.9.0",
        "automatically configure HTTPS using Let's Encrypt",
    )
    .cmds(&["certbot"]),
    pkg(
        "epel-release",
        OS_AL2,
        "7",
        "Extra Packages for Enterprise Linux repository configuration",
    )
    .al2_topic("epel"),
];

/// Packages of a freshly installed system, per OS.
fn base_packages(os: OsFamily) -> &'static [&'static str] {
    const AL2023: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "dnf",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "glibc",
        "kernel",
        "ec2-instance-connect",
        "awscli-2",
        "vim-minimal",
    ];
    const AL2: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "yum",
        "rpm",
        "amazon-linux-extras",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cronie",
        "glibc",
        "kernel",
        "ec2-instance-connect",
        "awscli",
        "vim-minimal",
    ];
    const RHEL: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "dnf",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cronie",
        "glibc",
        "kernel",
        "vim-minimal",
    ];
    const UBUNTU: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "passwd",
        "adduser",
        "systemd",
        "apt",
        "dpkg",
        "snapd",
        "openssh-server",
        "openssh-client",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cron",
        "libc6",
        "linux-aws",
        "ec2-instance-connect",
        "vim",
        "nano",
        "ufw",
    ];
    const LEGACY: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "initscripts",
        "yum",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python27",
        "sudo",
        "cloud-init",
        "ntp",
        "cronie",
        "glibc",
        "kernel",
        "aws-cli",
        "vim-minimal",
    ];
    match os {
        OsFamily::AmazonLinux2023 => AL2023,
        OsFamily::AmazonLinux2 => AL2,
        OsFamily::Rhel => RHEL,
        OsFamily::Ubuntu => UBUNTU,
        OsFamily::LegacyLinux => LEGACY,
        OsFamily::Windows => &[],
    }
}

/// Packages that package managers refuse to remove (dnf's "protected packages").
const PROTECTED_PACKAGES: &[&str] = &[
    "bash",
    "coreutils",
    "systemd",
    "dnf",
    "yum",
    "rpm",
    "glibc",
    "kernel",
    "sudo",
    "apt",
    "dpkg",
    "libc6",
    "linux-aws",
    "initscripts",
    "shadow-utils",
    "passwd",
    "util-linux",
];

/// Amazon Linux 2 `amazon-linux-extras` topics and the packages they install.
const AL2_TOPICS: &[(&str, &[&str])] = &[
    ("docker", &["docker"]),
    ("epel", &["epel-release"]),
    ("mariadb10.5", &["mariadb-server"]),
    ("nginx1", &["nginx"]),
    ("php8.2", &["php", "php-fpm"]),
    ("postgresql14", &["postgresql", "postgresql-server"]),
    ("redis6", &["redis"]),
];

/// dnf/yum package groups.
const PACKAGE_GROUPS: &[(&str, &[&str])] = &[("development tools", &["gcc", "make", "git"])];

/// Ubuntu 24.04 knows these names but has nothing to install for them.
const NO_INSTALL_CANDIDATE_UBUNTU: &[&str] = &["awscli"];

/// A package with this exact name for this OS, from any channel.
fn spec_named(os: OsFamily, name: &str) -> Option<&'static PackageSpec> {
    CATALOG
        .iter()
        .find(|s| s.name == name && s.oses & os.bit() != 0)
}

/// The spec behind an installed package name (packages from downloaded files included).
fn installed_spec(os: OsFamily, name: &str) -> Option<&'static PackageSpec> {
    spec_named(os, name).or_else(|| {
        CATALOG
            .iter()
            .find(|s| s.name == name && s.oses & os.family_mask() != 0)
    })
}

/// What a package manager finds for `name` in one channel: exact names first, then provides.
fn resolve_package(os: OsFamily, name: &str, channel: Channel) -> Option<&'static PackageSpec> {
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
fn resolve_package_file(os: OsFamily, file: &str) -> Option<&'static PackageSpec> {
    let stem = package_file_stem(file);
    CATALOG
        .iter()
        .find(|s| s.name == stem && s.oses & os.family_mask() != 0)
}

fn is_package_file(arg: &str) -> bool {
    arg.ends_with(".rpm") || arg.ends_with(".deb")
}

/// `amazon-cloudwatch-agent.rpm` → `amazon-cloudwatch-agent`; `foo-1.2-3.x86_64.rpm` → `foo`;
/// `foo_1.2_amd64.deb` → `foo`.
fn package_file_stem(file: &str) -> &str {
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

fn service_description(unit: &str) -> &'static str {
    match unit {
        "sshd" => "OpenSSH server daemon",
        "ssh" => "OpenBSD Secure Shell server",
        "amazon-ssm-agent" => "amazon-ssm-agent",
        "nginx" => "The nginx HTTP and reverse proxy server",
        "httpd" | "apache2" => "The Apache HTTP Server",
        "docker" => "Docker Application Container Engine",
        "mariadb" => "MariaDB database server",
        "mysql" => "MySQL Community Server",
        "postgresql" => "PostgreSQL database server",
        "redis" | "redis6" | "redis-server" => "Redis persistent key-value database",
        "php-fpm" | "php8.3-fpm" => "The PHP FastCGI Process Manager",
        "crond" => "Command Scheduler",
        "cron" => "Regular background program processing daemon",
        "chronyd" | "chrony" => "NTP client/server",
        "ntpd" => "Network Time Service",
        "amazon-cloudwatch-agent" => "Amazon CloudWatch Agent",
        "fail2ban" => "Fail2Ban Service",
        "snapd" => "Snap Daemon",
        _ => "Simulated service",
    }
}

/// Services that listen on port 80; only one can hold it.
const WEB_SERVERS: &[&str] = &["apache2", "httpd", "nginx"];

// ======================================================================================
// The guest
// ======================================================================================

const INSTANCE_STORE: &str = "/mnt/ephemeral0";
const IMDS_HOST: &str = "169.254.169.254";
const IMDS_TOKEN: &str = "AQAEAEsimulatedIMDSv2token==";

const BASE_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc/cron.d",
    "/etc/logrotate.d",
    "/etc/profile.d",
    "/etc/ssh/sshd_config.d",
    "/etc/skel",
    "/etc/sudoers.d",
    "/etc/systemd/system",
    "/home",
    INSTANCE_STORE,
    "/opt",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/tmp",
    "/usr/bin",
    "/usr/lib",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/sbin",
    "/usr/share",
    "/var/cache",
    "/var/lib",
    "/var/log",
    "/var/spool",
    "/var/tmp",
];
const RPM_DIRS: &[&str] = &["/etc/sysconfig", "/etc/yum.repos.d"];
const DEBIAN_DIRS: &[&str] = &["/etc/apt/sources.list.d", "/etc/default"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ServiceState {
    enabled: bool,
    active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Account {
    uid: u32,
    /// Name of the primary group.
    group: String,
    home: String,
    shell: String,
    /// Supplementary groups.
    groups: BTreeSet<String>,
    locked: bool,
}

/// The operating system inside one instance (or one image). See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    os: OsFamily,
    /// What the running OS sees: the disk plus every write still in the page cache.
    live: FileSystem,
    /// What has reached the volume; `sync` copies `live` here and a crash keeps only this.
    disk: FileSystem,
    /// Installed package names (with `npm:`/`pip:` entries for language packages).
    packages: BTreeSet<String>,
    services: BTreeMap<String, ServiceState>,
    users: BTreeMap<String, Account>,
    /// Group name → gid.
    groups: BTreeMap<String, u32>,
    /// Amazon Linux 2 `amazon-linux-extras` topics that are enabled.
    extras_topics: BTreeSet<String>,
    /// Instance metadata served at `http://169.254.169.254/latest/<key>`.
    metadata: BTreeMap<String, String>,
}

/// Why a unit would not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartError {
    NotFound,
    /// Another web server already listens on port 80.
    PortBusy,
    /// PostgreSQL on RHEL-like systems needs `postgresql-setup --initdb` first.
    NotInitialized,
}

/// What `install` would do, worked out before anything changes.
#[derive(Debug, Default)]
struct InstallPlan {
    install: Vec<&'static PackageSpec>,
    already: Vec<&'static PackageSpec>,
    missing: Vec<String>,
    /// Amazon Linux 2 packages whose extras topic is not enabled: (name, topic).
    gated: Vec<(String, &'static str)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct HttpReply {
    status: u16,
    body: String,
    server: String,
}

/// A `useradd`/`adduser` request.
#[derive(Debug, Default)]
struct NewAccount {
    name: String,
    uid: Option<u32>,
    primary: Option<String>,
    supplementary: Vec<String>,
    home: Option<String>,
    shell: Option<String>,
    create_home: bool,
    system: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum AccountError {
    Exists,
    GroupMissing(String),
    /// A group named like the new user exists already (useradd wants `-g`).
    GroupExists,
    UidTaken(u32),
    TooMany,
}

fn os_release(os: OsFamily) -> &'static str {
    match os {
        OsFamily::AmazonLinux2023 => "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\nPLATFORM_ID=\"platform:al2023\"\nPRETTY_NAME=\"Amazon Linux 2023.6.20250218\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2023\"\nHOME_URL=\"https://aws.amazon.com/linux/amazon-linux-2023/\"\nDOCUMENTATION_URL=\"https://docs.aws.amazon.com/linux/\"\nSUPPORT_URL=\"https://aws.amazon.com/premiumsupport/\"\nBUG_REPORT_URL=\"https://github.com/amazonlinux/amazon-linux-2023\"\nVENDOR_NAME=\"AWS\"\nVENDOR_URL=\"https://aws.amazon.com/\"\nSUPPORT_END=\"2029-06-30\"\n",
        OsFamily::AmazonLinux2 => "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\nVERSION_ID=\"2\"\nPRETTY_NAME=\"Amazon Linux 2\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2\"\nHOME_URL=\"https://amazonlinux.com/\"\nSUPPORT_END=\"2026-06-30\"\n",
        OsFamily::Ubuntu => "PRETTY_NAME=\"Ubuntu 24.04.2 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nVERSION=\"24.04.2 LTS (Noble Numbat)\"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL=\"https://www.ubuntu.com/\"\nSUPPORT_URL=\"https://help.ubuntu.com/\"\nBUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\nPRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/privacy-policy\"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n",
        OsFamily::Rhel => "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"9.5 (Plow)\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.5\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.5 (Plow)\"\nANSI_COLOR=\"0;31\"\nLOGO=\"fedora-logo-icon\"\nCPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\nHOME_URL=\"https://www.redhat.com/\"\nDOCUMENTATION_URL=\"https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9\"\nBUG_REPORT_URL=\"https://issues.redhat.com/\"\nREDHAT_SUPPORT_PRODUCT=\"Red Hat Enterprise Linux 9\"\nREDHAT_SUPPORT_PRODUCT_VERSION=\"9.5\"\n",
        OsFamily::LegacyLinux => "NAME=\"Amazon Linux AMI\"\nVERSION=\"2018.03\"\nID=\"amzn\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"2018.03\"\nPRETTY_NAME=\"Amazon Linux AMI 2018.03\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:/o:amazon:linux:2018.03:ga\"\nHOME_URL=\"http://aws.amazon.com/amazon-linux-ami/\"\n",
        OsFamily::Windows => "",
    }
}

fn base_files(os: OsFamily) -> Vec<(&'static str, String)> {
    let hostname = if os.is_debian() {
        "ip-172-31-16-10"
    } else {
        "ip-172-31-16-10.ec2.internal"
    };
    let environment = if os.is_debian() {
        "PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin\"\n"
    } else {
        ""
    };
    let fstab = if os.is_debian() {
        "LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,commit=30,errors=remount-ro\t0 1\nLABEL=UEFI\t/boot/efi\tvfat\tumask=0077\t0 1\n"
    } else {
        "UUID=4c1cbbb4-5c6c-4c8e-8a5b-4e3b2d3c1f0a     /           xfs    defaults,noatime  1   1\n"
    };
    vec![
        ("/etc/os-release", os_release(os).to_string()),
        ("/etc/hostname", format!("{hostname}\n")),
        ("/etc/hosts", "127.0.0.1   localhost localhost.localdomain\n::1         localhost6 localhost6.localdomain6\n".to_string()),
        ("/etc/environment", environment.to_string()),
        ("/etc/fstab", fstab.to_string()),
        ("/etc/sudoers", "root\tALL=(ALL)\tALL\n%wheel\tALL=(ALL)\tALL\n#includedir /etc/sudoers.d\n".to_string()),
    ]
}

fn error_page(server: &str, status: u16) -> String {
    let reason = if status == 403 {
        "Forbidden"
    } else {
        "Not Found"
    };
    if server == "nginx" {
        format!("<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n")
    } else {
        format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n")
    }
}

impl Guest {
    /// A freshly installed system: the base packages, accounts and files of `os`, with `sshd`
    /// (`ssh` on Ubuntu) and `amazon-ssm-agent` enabled and running. Everything is on disk.
    pub fn new(os: OsFamily) -> Guest {
        let mut guest = Guest {
            os,
            live: FileSystem::with_root(),
            disk: FileSystem::default(),
            packages: BTreeSet::new(),
            services: BTreeMap::new(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            extras_topics: BTreeSet::new(),
            metadata: BTreeMap::new(),
        };
        if os.is_windows() {
            guest.seed_windows();
        } else {
            guest.seed_linux();
        }
        guest.disk = guest.live.clone();
        guest
    }

    fn seed_linux(&mut self) {
        let os = self.os;
        let family_dirs = if os.is_debian() {
            DEBIAN_DIRS
        } else {
            RPM_DIRS
        };
        for dir in BASE_DIRS.iter().chain(family_dirs) {
            self.live
                .mkdir_all(dir)
                .expect("the base tree fits the disk limits");
        }
        self.live.set_meta(
            "/tmp",
            Meta {
                mode: 0o1777,
                ..Meta::default_for(true)
            },
        );
        self.live.set_meta(
            "/root",
            Meta {
                mode: 0o550,
                ..Meta::default_for(true)
            },
        );
        self.seed_accounts();
        for (path, content) in base_files(os) {
            self.live
                .write(path, content)
                .expect("base files fit the disk limits");
        }
        for name in base_packages(os) {
            let spec = spec_named(os, name).expect("base packages are in the catalog");
            self.install_spec(spec)
                .expect("base packages fit the disk limits");
        }
        for state in self.services.values_mut() {
            *state = ServiceState {
                enabled: true,
                active: true,
            };
        }
    }

    fn seed_accounts(&mut self) {
        let os = self.os;
        let debian = os.is_debian();
        let mut groups: Vec<(&str, u32)> = vec![("root", 0), ("bin", 1), ("daemon", 2), ("adm", 4)];
        if debian {
            groups.extend([
                ("sys", 3),
                ("sudo", 27),
                ("www-data", 33),
                ("nogroup", 65534),
            ]);
        } else {
            groups.extend([
                ("wheel", 10),
                ("sshd", 74),
                ("systemd-journal", 190),
                ("nobody", 65534),
            ]);
        }
        for (name, gid) in groups {
            self.add_group(name, gid);
        }
        let nologin = os.nologin();
        let nobody_group = if debian { "nogroup" } else { "nobody" };
        self.add_account("root", 0, "root", "/root", "/bin/bash");
        self.add_account("bin", if debian { 2 } else { 1 }, "bin", "/bin", nologin);
        self.add_account(
            "daemon",
            if debian { 1 } else { 2 },
            "daemon",
            "/sbin",
            nologin,
        );
        self.add_account("nobody", 65534, nobody_group, "/nonexistent", nologin);
        if debian {
            self.add_account("www-data", 33, "www-data", "/var/www", nologin);
            self.add_account("sshd", 105, "nogroup", "/run/sshd", nologin);
        } else {
            self.add_account("sshd", 74, "sshd", "/usr/share/empty.sshd", nologin);
        }
        let user = os.default_user();
        self.add_group(user, 1000);
        self.add_account(user, 1000, user, &format!("/home/{user}"), "/bin/bash");
        let extra: &[&str] = if debian {
            &["adm", "sudo"]
        } else {
            &["adm", "wheel", "systemd-journal"]
        };
        if let Some(account) = self.users.get_mut(user) {
            account.groups = extra.iter().map(|g| g.to_string()).collect();
        }
        for dir in [format!("/home/{user}"), format!("/home/{user}/.ssh")] {
            self.live
                .mkdir_all(&dir)
                .expect("home directories fit the disk limits");
            self.live.set_meta(
                &dir,
                Meta {
                    mode: 0o700,
                    owner: user.into(),
                    group: user.into(),
                },
            );
        }
    }

    fn seed_windows(&mut self) {
        self.add_group("Administrators", 544);
        self.add_account(
            "Administrator",
            500,
            "Administrators",
            "C:\\Users\\Administrator",
            "powershell.exe",
        );
        self.services.insert(
            "AmazonSSMAgent".into(),
            ServiceState {
                enabled: true,
                active: true,
            },
        );
    }

    pub fn os(&self) -> OsFamily {
        self.os
    }

    /// Runs the lines as one shell script, as root in `/`, like `AWS-RunShellScript`: a failing
    /// line does not stop the script unless `set -e` ran earlier; the exit code is the last
    /// command's. On Windows every line fails: there is no Linux shell.
    pub fn run_script(&mut self, lines: &[String]) -> Execution {
        if self.os.is_windows() {
            return refuse_on_windows(lines);
        }
        let physical: Vec<String> = lines
            .iter()
            .flat_map(|l| l.split('\n'))
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        let mut shell = Shell::new(self);
        let exit_code = match shell.run_lines(&physical) {
            Ok(status) => status,
            Err(stop) => stop.status(),
        };
        Execution {
            exit_code,
            stdout: shell.stdout.text,
            stderr: shell.stderr.text,
        }
    }

    /// Flushes buffered writes to disk (the `sync` command).
    pub fn sync(&mut self) {
        if self.disk != self.live {
            self.disk = self.live.clone();
        }
    }

    /// Discards buffered writes, as a crash or power loss would.
    pub fn lose_unsynced(&mut self) {
        if self.live != self.disk {
            self.live = self.disk.clone();
        }
    }

    /// What an image taken without rebooting captures: this guest with unsynced writes dropped.
    pub fn crash_consistent_copy(&self) -> Guest {
        let mut copy = self.clone();
        copy.lose_unsynced();
        copy
    }

    /// A clean shutdown: writes are synced, every service stops, `/tmp` and the instance store
    /// `/mnt/ephemeral0` are emptied.
    pub fn shutdown(&mut self) {
        self.sync();
        for state in self.services.values_mut() {
            state.active = false;
        }
        for fs in [&mut self.live, &mut self.disk] {
            fs.clear_contents("/tmp");
            fs.clear_contents(INSTANCE_STORE);
        }
    }

    /// Starts every enabled service, in name order. A web server that finds port 80 taken by
    /// another one stays down, as on a real boot.
    pub fn boot(&mut self) {
        let units: Vec<String> = self.services.keys().cloned().collect();
        for state in self.services.values_mut() {
            state.active = false;
        }
        for unit in units {
            if self.services.get(&unit).is_some_and(|s| s.enabled) {
                let _ = self.start_unit(&unit);
            }
        }
    }

    /// Empties the instance-store mount `/mnt/ephemeral0`; its data does not survive a stop.
    pub fn wipe_instance_store(&mut self) {
        self.live.clear_contents(INSTANCE_STORE);
        self.disk.clear_contents(INSTANCE_STORE);
    }

    /// Installed package names, sorted; `npm:NAME` and `pip:NAME` for language packages.
    pub fn packages(&self) -> Vec<String> {
        self.packages.iter().cloned().collect()
    }

    pub fn has_package(&self, name: &str) -> bool {
        self.packages.contains(name)
    }

    /// Every service, sorted by name.
    pub fn services(&self) -> Vec<ServiceInfo> {
        self.services
            .iter()
            .map(|(name, state)| service_info(name, *state))
            .collect()
    }

    /// One service by unit name (a `.service` suffix is accepted).
    pub fn service(&self, name: &str) -> Option<ServiceInfo> {
        let unit = name.strip_suffix(".service").unwrap_or(name);
        self.services
            .get(unit)
            .map(|state| service_info(unit, *state))
    }

    /// Account names, sorted, system accounts included.
    pub fn users(&self) -> Vec<String> {
        self.users.keys().cloned().collect()
    }

    pub fn has_user(&self, name: &str) -> bool {
        self.users.contains_key(name)
    }

    /// A file's content as the running OS sees it (buffered writes included).
    pub fn file(&self, path: &str) -> Option<String> {
        self.live.files.get(&normalize_path("/", path)).cloned()
    }

    /// A file's content on disk (synced writes only).
    pub fn durable_file(&self, path: &str) -> Option<String> {
        self.disk.files.get(&normalize_path("/", path)).cloned()
    }

    /// Paths of all regular files as the running OS sees them, sorted.
    pub fn files(&self) -> Vec<String> {
        self.live.files.keys().cloned().collect()
    }

    pub fn has_unsynced_writes(&self) -> bool {
        self.live != self.disk
    }

    /// Paths of all directories as the running OS sees them, sorted (`/` included).
    pub fn directories(&self) -> Vec<String> {
        self.live.dirs.iter().cloned().collect()
    }

    pub fn has_directory(&self, path: &str) -> bool {
        self.live.is_dir(&normalize_path("/", path))
    }

    /// Mode bits (e.g. `0o755`) and `(owner, group)` of a file or directory.
    pub fn file_mode(&self, path: &str) -> Option<(u32, String, String)> {
        let path = normalize_path("/", path);
        self.live.exists(&path).then(|| {
            let meta = self.live.meta_of(&path);
            (meta.mode, meta.owner, meta.group)
        })
    }

    /// A user's uid.
    pub fn uid_of(&self, user: &str) -> Option<u32> {
        self.users.get(user).map(|a| a.uid)
    }

    /// A user's groups: the primary group first, then the supplementary ones sorted.
    pub fn groups_of(&self, user: &str) -> Option<Vec<String>> {
        let account = self.users.get(user)?;
        let mut out = vec![account.group.clone()];
        out.extend(
            account
                .groups
                .iter()
                .filter(|g| **g != account.group)
                .cloned(),
        );
        Some(out)
    }

    /// The static hostname (`/etc/hostname`), or `localhost` when there is none.
    pub fn hostname(&self) -> String {
        self.live
            .files
            .get("/etc/hostname")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".to_string())
    }

    /// Sets the hostname as cloud-init does at boot: written straight to disk.
    pub fn set_hostname(&mut self, hostname: &str) {
        if self.os.is_windows() {
            return;
        }
        for fs in [&mut self.live, &mut self.disk] {
            let _ = fs.write("/etc/hostname", format!("{hostname}\n"));
        }
    }

    /// Sets one instance-metadata entry, served at `http://169.254.169.254/latest/<key>`
    /// (e.g. key `meta-data/instance-id`). Returns false when the table is full.
    pub fn set_instance_metadata(&mut self, key: &str, value: &str) -> bool {
        let key = key.trim_matches('/').to_string();
        if !self.metadata.contains_key(&key) && self.metadata.len() >= MAX_METADATA_ENTRIES {
            return false;
        }
        self.metadata.insert(key, value.to_string());
        true
    }

    /// Forgets all instance metadata (an image's instances get their own).
    pub fn clear_instance_metadata(&mut self) {
        self.metadata.clear();
    }

    /// What `curl http://localhost<path>` would get: `None` when nothing listens on port 80,
    /// else the HTTP status and body. Load-balancer health checks can use this.
    pub fn http_get(&self, path: &str) -> Option<(u16, String)> {
        self.serve_http(80, path)
            .map(|reply| (reply.status, reply.body))
    }

    /// Whether the SSM agent runs (`amazon-ssm-agent` on Linux, `AmazonSSMAgent` on Windows).
    pub fn ssm_agent_running(&self) -> bool {
        ["amazon-ssm-agent", "AmazonSSMAgent"]
            .iter()
            .any(|unit| self.services.get(*unit).is_some_and(|s| s.active))
    }

    // ---- packages ----

    /// Whether `cmd` is on the PATH: some installed package provides it.
    fn command_available(&self, cmd: &str) -> bool {
        self.packages.iter().any(|name| match name.split_once(':') {
            Some((_, tool)) => tool == cmd,
            None => installed_spec(self.os, name).is_some_and(|s| s.commands.contains(&cmd)),
        })
    }

    /// The installed package that provides `cmd`, for version strings.
    fn provider_of(&self, cmd: &str) -> Option<&'static PackageSpec> {
        self.packages
            .iter()
            .filter_map(|name| installed_spec(self.os, name))
            .find(|s| s.commands.contains(&cmd))
    }

    fn plan_install(&self, names: &[&str], channel: Channel) -> InstallPlan {
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
    fn install_spec(&mut self, spec: &'static PackageSpec) -> Result<(), FsError> {
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

    /// The packages removed along with `roots`: everything that requires them, transitively.
    fn removal_set(&self, roots: &[String]) -> Vec<String> {
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

    /// Removes a package, its units, and the files it shipped that nobody edited (`purge`
    /// removes edited ones too).
    fn uninstall(&mut self, name: &str, purge: bool) {
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

    // ---- services ----

    /// Strips `.service` and follows the aliases real unit files declare.
    fn canonical_unit(&self, raw: &str) -> String {
        let base = raw.strip_suffix(".service").unwrap_or(raw);
        let has = |unit: &str| self.services.contains_key(unit);
        let alias = match base {
            "sshd" if self.os.is_debian() => "ssh",
            "mysqld" | "mysql" if has("mariadb") => "mariadb",
            "mysqld" if has("mysql") => "mysql",
            "redis" if has("redis6") => "redis6",
            "redis" if has("redis-server") => "redis-server",
            other => other,
        };
        alias.to_string()
    }

    fn start_unit(&mut self, unit: &str) -> Result<(), StartError> {
        let state = self
            .services
            .get(unit)
            .copied()
            .ok_or(StartError::NotFound)?;
        if state.active {
            return Ok(());
        }
        let port_taken = WEB_SERVERS.contains(&unit)
            && self
                .web_server_active()
                .is_some_and(|holder| holder != unit);
        if port_taken {
            return Err(StartError::PortBusy);
        }
        if unit == "postgresql" && !self.os.is_debian() && !self.live.is_file(PG_VERSION_RPM) {
            return Err(StartError::NotInitialized);
        }
        if let Some(state) = self.services.get_mut(unit) {
            state.active = true;
        }
        Ok(())
    }

    fn stop_unit(&mut self, unit: &str) {
        if let Some(state) = self.services.get_mut(unit) {
            state.active = false;
        }
    }

    fn set_enabled(&mut self, unit: &str, enabled: bool) {
        if let Some(state) = self.services.get_mut(unit) {
            state.enabled = enabled;
        }
    }

    fn web_server_active(&self) -> Option<&'static str> {
        WEB_SERVERS
            .iter()
            .copied()
            .find(|unit| self.services.get(*unit).is_some_and(|s| s.active))
    }

    fn web_root(&self, server: &str) -> &'static str {
        if server == "nginx" && !self.os.is_debian() {
            "/usr/share/nginx/html"
        } else {
            "/var/www/html"
        }
    }

    fn server_header(&self, server: &str) -> String {
        match (server, self.os) {
            ("nginx", OsFamily::Ubuntu) => "nginx/1.24.0 (Ubuntu)".into(),
            ("nginx", _) => "nginx/1.24.0".into(),
            ("apache2", _) => "Apache/2.4.58 (Ubuntu)".into(),
            (_, OsFamily::Rhel) => "Apache/2.4.62 (Red Hat Enterprise Linux)".into(),
            _ => "Apache/2.4.62 (Amazon Linux)".into(),
        }
    }

    /// An HTTP GET on this guest's `port`: `None` when nothing listens there.
    fn serve_http(&self, port: u16, path: &str) -> Option<HttpReply> {
        if port != 80 {
            return None;
        }
        let server = self.web_server_active()?;
        let root = self.web_root(server);
        let clean = path.split(['?', '#']).next().unwrap_or("");
        let relative = normalize_path("/", clean);
        let target = if relative == "/" {
            root.to_string()
        } else {
            format!("{root}{relative}")
        };
        let (status, body) = if self.live.is_dir(&target) {
            let indexes: &[&str] = if server == "nginx" {
                &["index.html", "index.htm", "index.nginx-debian.html"]
            } else {
                &["index.html"]
            };
            match indexes
                .iter()
                .find_map(|i| self.live.files.get(&child_path(&target, i)))
            {
                Some(body) => (200, body.clone()),
                None => (403, error_page(server, 403)),
            }
        } else if let Some(body) = self.live.files.get(&target) {
            (200, body.clone())
        } else {
            (404, error_page(server, 404))
        };
        Some(HttpReply {
            status,
            body,
            server: self.server_header(server),
        })
    }

    // ---- accounts ----

    fn add_group(&mut self, name: &str, gid: u32) {
        self.groups.insert(name.to_string(), gid);
    }

    fn add_account(&mut self, name: &str, uid: u32, group: &str, home: &str, shell: &str) {
        let account = Account {
            uid,
            group: group.to_string(),
            home: home.to_string(),
            shell: shell.to_string(),
            groups: BTreeSet::new(),
            locked: false,
        };
        self.users.insert(name.to_string(), account);
    }

    fn uid_in_use(&self, uid: u32) -> bool {
        self.users.values().any(|a| a.uid == uid)
    }

    fn gid_in_use(&self, gid: u32) -> bool {
        self.groups.values().any(|g| *g == gid)
    }

    fn next_regular_uid(&self) -> u32 {
        let used = self
            .users
            .values()
            .map(|a| a.uid)
            .filter(|u| (1000..60000).contains(u));
        used.max().map_or(1000, |max| max + 1)
    }

    fn next_regular_gid(&self) -> u32 {
        let used = self
            .groups
            .values()
            .copied()
            .filter(|g| (1000..60000).contains(g));
        used.max().map_or(1000, |max| max + 1)
    }

    /// System ids are handed out downwards from 999, like useradd -r does.
    fn next_system_id(&self) -> u32 {
        (100..1000)
            .rev()
            .find(|id| !self.uid_in_use(*id) && !self.gid_in_use(*id))
            .unwrap_or(999)
    }

    fn ensure_system_group(&mut self, name: &str) {
        if !self.groups.contains_key(name) {
            let gid = self.next_system_id();
            self.add_group(name, gid);
        }
    }

    fn ensure_system_account(&mut self, name: &str) {
        if self.users.contains_key(name) {
            return;
        }
        let id = self.next_system_id();
        if !self.groups.contains_key(name) {
            self.add_group(name, id);
        }
        self.add_account(
            name,
            id,
            name,
            &format!("/var/lib/{name}"),
            self.os.nologin(),
        );
    }

    /// Creates an account. The home directory is created when asked; failing that (no space)
    /// the account still exists, as with useradd, and the error is returned in `Ok`.
    fn create_account(&mut self, req: &NewAccount) -> Result<Option<FsError>, AccountError> {
        if self.users.contains_key(&req.name) {
            return Err(AccountError::Exists);
        }
        if self.users.len() >= MAX_ACCOUNTS || self.groups.len() >= MAX_ACCOUNTS {
            return Err(AccountError::TooMany);
        }
        match &req.primary {
            Some(group) if !self.groups.contains_key(group) => {
                return Err(AccountError::GroupMissing(group.clone()))
            }
            None if self.groups.contains_key(&req.name) => return Err(AccountError::GroupExists),
            _ => {}
        }
        if let Some(missing) = req
            .supplementary
            .iter()
            .find(|g| !self.groups.contains_key(*g))
        {
            return Err(AccountError::GroupMissing(missing.clone()));
        }
        let uid = match req.uid {
            Some(uid) if self.uid_in_use(uid) => return Err(AccountError::UidTaken(uid)),
            Some(uid) => uid,
            None if req.system => self.next_system_id(),
            None => self.next_regular_uid(),
        };
        let group = match &req.primary {
            Some(group) => group.clone(),
            None => {
                let gid = if !self.gid_in_use(uid) {
                    uid
                } else if req.system {
                    self.next_system_id()
                } else {
                    self.next_regular_gid()
                };
                self.add_group(&req.name, gid);
                req.name.clone()
            }
        };
        let home = req
            .home
            .clone()
            .unwrap_or_else(|| format!("/home/{}", req.name));
        let default_shell = if self.os.is_debian() {
            "/bin/sh"
        } else {
            "/bin/bash"
        };
        let shell = req
            .shell
            .clone()
            .unwrap_or_else(|| default_shell.to_string());
        self.add_account(&req.name, uid, &group, &home, &shell);
        if let Some(account) = self.users.get_mut(&req.name) {
            account.groups = req.supplementary.iter().cloned().collect();
        }
        if !req.create_home || self.live.exists(&home) {
            return Ok(None);
        }
        match self.live.mkdir_all(&home) {
            Ok(()) => {
                let meta = Meta {
                    mode: 0o700,
                    owner: req.name.clone(),
                    group,
                };
                self.live.set_meta(&home, meta);
                Ok(None)
            }
            Err(e) => Ok(Some(e)),
        }
    }

    /// Deletes an account and its private group; `remove_home` also deletes the home directory.
    fn delete_account(&mut self, name: &str, remove_home: bool) -> bool {
        let Some(account) = self.users.remove(name) else {
            return false;
        };
        let group_still_used = self.users.values().any(|a| a.group == account.group);
        if account.group == name && !group_still_used {
            self.groups.remove(name);
        }
        if remove_home && self.live.is_dir(&account.home) {
            self.live.remove_tree(&account.home);
        }
        true
    }

    /// `/etc/passwd` and `/etc/group`, rendered from the account tables for commands that read
    /// them (`cat`, `grep`); they are views, not stored files.
    fn account_file(&self, path: &str) -> Option<String> {
        if self.os.is_windows() {
            return None;
        }
        let mut out = String::new();
        match path {
            "/etc/passwd" => {
                let mut accounts: Vec<(&String, &Account)> = self.users.iter().collect();
                accounts.sort_by_key(|(name, account)| (account.uid, name.as_str()));
                for (name, account) in accounts {
                    let gid = self
                        .groups
                        .get(&account.group)
                        .copied()
                        .unwrap_or(account.uid);
                    out.push_str(&format!(
                        "{name}:x:{}:{gid}::{}:{}\n",
                        account.uid, account.home, account.shell
                    ));
                }
            }
            "/etc/group" => {
                let mut groups: Vec<(&String, &u32)> = self.groups.iter().collect();
                groups.sort_by_key(|(name, gid)| (**gid, name.as_str()));
                for (group, gid) in groups {
                    let members: Vec<&str> = self
                        .users
                        .iter()
                        .filter(|(_, a)| a.groups.contains(group))
                        .map(|(n, _)| n.as_str())
                        .collect();
                    out.push_str(&format!("{group}:x:{gid}:{}\n", members.join(",")));
                }
            }
            _ => return None,
        }
        Some(out)
    }

    /// `uid=1001(deploy) gid=1001(deploy) groups=1001(deploy),10(wheel)`
    fn id_line(&self, name: &str) -> Option<String> {
        let account = self.users.get(name)?;
        let gid = self
            .groups
            .get(&account.group)
            .copied()
            .unwrap_or(account.uid);
        let mut groups = vec![(gid, account.group.clone())];
        let mut extra: Vec<(u32, String)> = account
            .groups
            .iter()
            .filter(|g| **g != account.group)
            .filter_map(|g| self.groups.get(g).map(|gid| (*gid, g.clone())))
            .collect();
        extra.sort();
        groups.extend(extra);
        let listed: Vec<String> = groups
            .iter()
            .map(|(gid, g)| format!("{gid}({g})"))
            .collect();
        Some(format!(
            "uid={}({name}) gid={gid}({}) groups={}",
            account.uid,
            account.group,
            listed.join(",")
        ))
    }
}

fn service_info(name: &str, state: ServiceState) -> ServiceInfo {
    ServiceInfo {
        name: name.to_string(),
        enabled: state.enabled,
        active: state.active,
    }
}

fn refuse_on_windows(lines: &[String]) -> Execution {
    const WHY: &str =
        "the Linux shell (sh) is not available on Windows instances; use AWS-RunPowerShellScript";
    let mut stderr = Capture::new(MAX_STDERR_CHARS);
    let commands: Vec<&str> = lines
        .iter()
        .flat_map(|l| l.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if commands.is_empty() {
        stderr.push(&format!("{WHY}\n"));
    }
    for command in commands {
        stderr.push(&format!("{command}: {WHY}\n"));
    }
    Execution {
        exit_code: 1,
        stdout: String::new(),
        stderr: stderr.text,
    }
}

// ======================================================================================
// Shell: output capture
// ======================================================================================

/// Collects output up to a character limit and silently drops the rest, as SSM does.
#[derive(Debug)]
struct Capture {
    text: String,
    chars: usize,
    limit: usize,
}

impl Capture {
    fn new(limit: usize) -> Capture {
        Capture {
            text: String::new(),
            chars: 0,
            limit,
        }
    }

    fn push(&mut self, s: &str) {
        let room = self.limit.saturating_sub(self.chars);
        match s.char_indices().nth(room) {
            Some((cut, _)) => {
                self.text.push_str(&s[..cut]);
                self.chars = self.limit;
            }
            None => {
                self.text.push_str(s);
                self.chars += s.chars().count();
            }
        }
    }
}

/// Cuts `s` to at most `max` bytes on a character boundary.
fn truncate_bytes(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

// ======================================================================================
// Shell: lexer
// ======================================================================================

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Semi,
    Background,
    Pipe,
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `2>`
    ErrOut,
    /// `2>>`
    ErrAppend,
    /// `2>&1`
    ErrToOut,
    /// `>&2`
    OutToErr,
    /// `&>`
    AllOut,
    /// `<`
    In,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::And => "&&",
            Op::Or => "||",
            Op::Semi => ";",
            Op::Background => "&",
            Op::Pipe => "|",
            Op::Out => ">",
            Op::Append => ">>",
            Op::ErrOut => "2>",
            Op::ErrAppend => "2>>",
            Op::ErrToOut => "2>&1",
            Op::OutToErr => ">&2",
            Op::AllOut => "&>",
            Op::In => "<",
        }
    }

    fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Out
                | Op::Append
                | Op::ErrOut
                | Op::ErrAppend
                | Op::ErrToOut
                | Op::OutToErr
                | Op::AllOut
                | Op::In
        )
    }

    fn needs_target(self) -> bool {
        self.is_redirect() && !matches!(self, Op::ErrToOut | Op::OutToErr)
    }
}

/// A piece of a word; expansions are done when the command runs, not when it is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text {
        text: String,
        quoted: bool,
    },
    Var {
        name: String,
        default: Option<String>,
        quoted: bool,
    },
    Subst {
        script: String,
        quoted: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Word {
    parts: Vec<Part>,
}

impl Word {
    /// The word's text when it is one unquoted literal (for keywords and `!`).
    fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Text {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Word),
    Op(Op),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LexError {
    /// The line ends inside quotes or `$(`: the script continues on the next line.
    Unterminated(char),
    Unsupported(&'static str),
}

#[derive(Default)]
struct WordBuilder {
    parts: Vec<Part>,
    started: bool,
}

impl WordBuilder {
    fn push_char(&mut self, c: char, quoted: bool) {
        self.started = true;
        if let Some(Part::Text { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.parts.push(Part::Text {
            text: c.to_string(),
            quoted,
        });
    }

    fn push_text(&mut self, s: &str, quoted: bool) {
        self.started = true;
        if let Some(Part::Text { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push_str(s);
                return;
            }
        }
        self.parts.push(Part::Text {
            text: s.to_string(),
            quoted,
        });
    }

    fn push_part(&mut self, part: Part) {
        self.started = true;
        self.parts.push(part);
    }

    fn finish_into(&mut self, tokens: &mut Vec<Token>) {
        if self.started {
            tokens.push(Token::Word(Word {
                parts: mem::take(&mut self.parts),
            }));
            self.started = false;
        }
    }
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

fn is_word_end(c: Option<&char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '/' | ';' | '&' | '|' | '<' | '>'))
}

/// Splits one logical line into words and operators.
fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut word = WordBuilder::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !word.started {
            if c == '#' {
                break;
            }
            if let Some((op, len)) = fd_redirect(&chars[i..]) {
                tokens.push(Token::Op(op));
                i += len;
                continue;
            }
            if c == '~' && is_word_end(chars.get(i + 1)) {
                word.push_text("/root", true);
                i += 1;
                continue;
            }
        }
        match c {
            c if c.is_whitespace() => {
                word.finish_into(&mut tokens);
                i += 1;
            }
            '&' | '|' | ';' | '<' | '>' => {
                word.finish_into(&mut tokens);
                let (op, len) = operator(&chars[i..])?;
                tokens.push(Token::Op(op));
                i += len;
            }
            '(' | ')' => return Err(LexError::Unsupported("subshells and functions ( )")),
            '\'' => {
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .ok_or(LexError::Unterminated('\''))?;
                let inner: String = chars[i + 1..end].iter().collect();
                word.push_text(&inner, true);
                i = end + 1;
            }
            '"' => i = lex_double_quoted(&chars, i + 1, &mut word)?,
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        word.push_char(next, true);
                    }
                }
                i += 2;
            }
            '$' => i = lex_dollar(&chars, i, false, &mut word)?,
            '`' => i = lex_backticks(&chars, i, false, &mut word)?,
            _ => {
                word.push_char(c, false);
                i += 1;
            }
        }
    }
    word.finish_into(&mut tokens);
    Ok(tokens)
}

/// `2>&1`, `2>>`, `2>`, `1>&2`, `1>>`, `1>` at the start of a word.
fn fd_redirect(chars: &[char]) -> Option<(Op, usize)> {
    let starts = |s: &str| s.chars().enumerate().all(|(k, c)| chars.get(k) == Some(&c));
    [
        ("2>&1", Op::ErrToOut),
        ("2>>", Op::ErrAppend),
        ("2>", Op::ErrOut),
        ("1>&2", Op::OutToErr),
        ("1>>", Op::Append),
        ("1>", Op::Out),
    ]
    .into_iter()
    .find(|(s, _)| starts(s))
    .map(|(s, op)| (op, s.len()))
}

fn operator(chars: &[char]) -> Result<(Op, usize), LexError> {
    let next = chars.get(1).copied();
    let op = match (chars[0], next) {
        ('&', Some('&')) => (Op::And, 2),
        ('&', Some('>')) => (Op::AllOut, 2),
        ('&', _) => (Op::Background, 1),
        ('|', Some('|')) => (Op::Or, 2),
        ('|', _) => (Op::Pipe, 1),
        (';', Some(';')) => return Err(LexError::Unsupported("case statements (;;)")),
        (';', _) => (Op::Semi, 1),
        ('<', Some('<')) => return Err(LexError::Unsupported("here-documents (<<)")),
        ('<', _) => (Op::In, 1),
        ('>', Some('>')) => (Op::Append, 2),
        ('>', Some('&')) if chars.get(2) == Some(&'2') => (Op::OutToErr, 3),
        ('>', Some('|')) => (Op::Out, 2),
        _ => (Op::Out, 1),
    };
    Ok(op)
}

fn lex_double_quoted(
    chars: &[char],
    start: usize,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    word.push_text("", true);
    let mut i = start;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(LexError::Unterminated('"'));
        };
        match c {
            '"' => return Ok(i + 1),
            '\\' => match chars.get(i + 1) {
                Some(&next @ ('"' | '\\' | '$' | '`')) => {
                    word.push_char(next, true);
                    i += 2;
                }
                Some('\n') => i += 2,
                _ => {
                    word.push_char('\\', true);
                    i += 1;
                }
            },
            '$' => i = lex_dollar(chars, i, true, word)?,
            '`' => i = lex_backticks(chars, i, true, word)?,
            _ => {
                word.push_char(c, true);
                i += 1;
            }
        }
    }
}

/// `$NAME`, `${NAME}`, `${NAME:-default}`, `$?`, `$(command)`; a lone `$` is literal.
fn lex_dollar(
    chars: &[char],
    i: usize,
    quoted: bool,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    match chars.get(i + 1) {
        Some('{') => {
            let end = (i + 2..chars.len())
                .find(|&j| chars[j] == '}')
                .ok_or(LexError::Unterminated('}'))?;
            let inner: String = chars[i + 2..end].iter().collect();
            let (name, default) = match inner.split_once(":-") {
                Some((name, default)) => (name.to_string(), Some(default.to_string())),
                None => (inner, None),
            };
            word.push_part(Part::Var {
                name,
                default,
                quoted,
            });
            Ok(end + 1)
        }
        Some('(') => {
            if chars.get(i + 2) == Some(&'(') {
                return Err(LexError::Unsupported("arithmetic expansion $(( ))"));
            }
            let end = matching_paren(chars, i + 2).ok_or(LexError::Unterminated(')'))?;
            let script: String = chars[i + 2..end].iter().collect();
            word.push_part(Part::Subst { script, quoted });
            Ok(end + 1)
        }
        Some(&c) if matches!(c, '?' | '$' | '#' | '@' | '*' | '!') || c.is_ascii_digit() => {
            word.push_part(Part::Var {
                name: c.to_string(),
                default: None,
                quoted,
            });
            Ok(i + 2)
        }
        Some(&c) if c == '_' || c.is_ascii_alphabetic() => {
            let end = (i + 1..chars.len())
                .find(|&j| !is_name_char(chars[j]))
                .unwrap_or(chars.len());
            let name: String = chars[i + 1..end].iter().collect();
            word.push_part(Part::Var {
                name,
                default: None,
                quoted,
            });
            Ok(end)
        }
        _ => {
            word.push_char('$', quoted);
            Ok(i + 1)
        }
    }
}

fn lex_backticks(
    chars: &[char],
    i: usize,
    quoted: bool,
    word: &mut WordBuilder,
) -> Result<usize, LexError> {
    let end = (i + 1..chars.len())
        .find(|&j| chars[j] == '`')
        .ok_or(LexError::Unterminated('`'))?;
    let script: String = chars[i + 1..end].iter().collect();
    word.push_part(Part::Subst { script, quoted });
    Ok(end + 1)
}

/// The `)` closing a `$(` whose body starts at `start`, skipping quoted text.
fn matching_paren(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 1;
    let mut quote: Option<char> = None;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => i += 1,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => i += 1,
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

// ======================================================================================
// Shell: parser
// ======================================================================================

#[derive(Debug, Clone, PartialEq, Eq)]
struct Redirect {
    op: Op,
    target: Option<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct SimpleCommand {
    words: Vec<Word>,
    redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pipeline {
    negated: bool,
    commands: Vec<SimpleCommand>,
}

/// `a && b || c`: the first pipeline, then each one with whether it follows `&&`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AndOrList {
    first: Pipeline,
    rest: Vec<(bool, Pipeline)>,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "{", "}",
];

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

fn unexpected(token: Option<&Token>) -> String {
    match token {
        None => "syntax error: unexpected end of file".to_string(),
        Some(Token::Op(op)) => format!("syntax error near unexpected token `{}'", op.text()),
        Some(Token::Word(_)) => "syntax error".to_string(),
    }
}

impl Parser {
    fn parse(tokens: Vec<Token>) -> Result<Vec<AndOrList>, String> {
        let mut parser = Parser { tokens, pos: 0 };
        let mut lists = Vec::new();
        while parser.peek().is_some() {
            let first = parser.pipeline()?;
            let mut rest = Vec::new();
            while let Some(Token::Op(op @ (Op::And | Op::Or))) = parser.peek() {
                let is_and = *op == Op::And;
                parser.pos += 1;
                rest.push((is_and, parser.pipeline()?));
            }
            lists.push(AndOrList { first, rest });
            match parser.peek() {
                None => break,
                Some(Token::Op(Op::Semi | Op::Background)) => parser.pos += 1,
                other => return Err(unexpected(other)),
            }
        }
        Ok(lists)
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn pipeline(&mut self) -> Result<Pipeline, String> {
        let negated = matches!(self.peek(), Some(Token::Word(w)) if w.literal() == Some("!"));
        if negated {
            self.pos += 1;
        }
        let mut commands = vec![self.simple_command()?];
        while let Some(Token::Op(Op::Pipe)) = self.peek() {
            self.pos += 1;
            commands.push(self.simple_command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn simple_command(&mut self) -> Result<SimpleCommand, String> {
        let mut command = SimpleCommand::default();
        loop {
            match self.peek() {
                Some(Token::Word(word)) => {
                    if command.words.is_empty() {
                        if let Some(keyword) = word.literal().filter(|w| KEYWORDS.contains(w)) {
                            return Err(format!(
                                "`{keyword}': compound commands (if, for, while, case, {{ }}) are not supported by this simulated shell"
                            ));
                        }
                    }
                    command.words.push(word.clone());
                    self.pos += 1;
                }
                Some(Token::Op(op)) if op.is_redirect() => {
                    let op = *op;
                    self.pos += 1;
                    let target = if op.needs_target() {
                        match self.peek() {
                            Some(Token::Word(word)) => {
                                let word = word.clone();
                                self.pos += 1;
                                Some(word)
                            }
                            None => {
                                return Err(
                                    "syntax error near unexpected token `newline'".to_string()
                                )
                            }
                            other => return Err(unexpected(other)),
                        }
                    } else {
                        None
                    };
                    command.redirects.push(Redirect { op, target });
                }
                other => {
                    if command.words.is_empty() && command.redirects.is_empty() {
                        return Err(unexpected(other));
                    }
                    return Ok(command);
                }
            }
        }
    }
}

// ======================================================================================
// Shell: execution
// ======================================================================================

/// Why a script stops before its last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// `exit`, `set -e`, or a syntax error: ends the current (sub)shell.
    Exit(i32),
    /// A simulator limit: ends the whole run.
    Abort(i32),
}

impl Stop {
    fn status(self) -> i32 {
        match self {
            Stop::Exit(status) | Stop::Abort(status) => status,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ShellOptions {
    errexit: bool,
    xtrace: bool,
    pipefail: bool,
    nounset: bool,
}

/// What one command produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Outcome {
    status: i32,
    out: String,
    err: String,
}

impl Outcome {
    fn success() -> Outcome {
        Outcome::default()
    }

    fn status(status: i32) -> Outcome {
        Outcome {
            status,
            ..Outcome::default()
        }
    }

    /// Standard output `text`, exit 0.
    fn print(text: impl Into<String>) -> Outcome {
        Outcome {
            status: 0,
            out: text.into(),
            err: String::new(),
        }
    }

    /// One line on standard error and `status`.
    fn fail(status: i32, line: &str) -> Outcome {
        Outcome {
            status,
            out: String::new(),
            err: format!("{line}\n"),
        }
    }

    fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn warn(&mut self, line: &str) {
        self.err.push_str(line);
        self.err.push('\n');
    }

    fn error(&mut self, status: i32, line: &str) {
        self.warn(line);
        self.status = status;
    }

    /// Appends another command's output; a failure's status wins.
    fn absorb(&mut self, other: Outcome) {
        self.out.push_str(&other.out);
        self.err.push_str(&other.err);
        if other.status != 0 {
            self.status = other.status;
        }
    }
}

fn command_not_found(name: &str) -> Outcome {
    Outcome::fail(127, &format!("bash: {name}: command not found"))
}

/// Where a stream ends up after redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    Stdout,
    Stderr,
    File(String),
}

/// How a nested script relates to the shell that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// `source`, `eval`: same variables, directory and options.
    SameShell,
    /// `$(…)`: a copy of the shell; changes do not come back.
    Subshell,
    /// `bash FILE`, `./script.sh`: a new shell with default options.
    NewShell,
}

struct Shell<'g> {
    guest: &'g mut Guest,
    cwd: String,
    previous_dir: String,
    vars: BTreeMap<String, String>,
    options: ShellOptions,
    last_status: i32,
    stdout: Capture,
    stderr: Capture,
    commands_run: usize,
    depth: usize,
    /// Status of the last `$(…)` in the current command: a bare `x=$(cmd)` returns it.
    substitution_status: Option<i32>,
}

fn default_vars(os: OsFamily) -> BTreeMap<String, String> {
    let path = if os.is_debian() {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"
    } else {
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    };
    [
        ("HOME", "/root"),
        ("USER", "root"),
        ("LOGNAME", "root"),
        ("SHELL", "/bin/bash"),
        ("PATH", path),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(is_name_char)
        }
        None => false,
    }
}

impl<'g> Shell<'g> {
    fn new(guest: &'g mut Guest) -> Shell<'g> {
        let vars = default_vars(guest.os);
        Shell {
            guest,
            cwd: "/".to_string(),
            previous_dir: "/".to_string(),
            vars,
            options: ShellOptions::default(),
            last_status: 0,
            stdout: Capture::new(MAX_STDOUT_CHARS),
            stderr: Capture::new(MAX_STDERR_CHARS),
            commands_run: 0,
            depth: 0,
            substitution_status: None,
        }
    }

    fn path(&self, raw: &str) -> String {
        normalize_path(&self.cwd, raw)
    }

    fn run_lines(&mut self, lines: &[String]) -> Result<i32, Stop> {
        let mut index = 0;
        while index < lines.len() {
            let start = index;
            let (lists, used) = match read_logical_line(lines, index) {
                Ok(parsed) => parsed,
                Err(message) => {
                    self.stderr
                        .push(&format!("bash: line {}: {message}\n", start + 1));
                    return Err(Stop::Exit(2));
                }
            };
            index += used;
            for list in &lists {
                self.run_and_or(list)?;
            }
        }
        Ok(self.last_status)
    }

    fn run_and_or(&mut self, list: &AndOrList) -> Result<(), Stop> {
        let (mut status, mut negated) = self.run_pipeline(&list.first)?;
        let mut ran_last = list.rest.is_empty();
        for (index, (is_and, pipeline)) in list.rest.iter().enumerate() {
            if *is_and == (status == 0) {
                (status, negated) = self.run_pipeline(pipeline)?;
                ran_last = index + 1 == list.rest.len();
            }
        }
        self.last_status = status;
        // set -e ignores failures inside `a && b` except the last command, and negations.
        if self.options.errexit && status != 0 && ran_last && !negated {
            return Err(Stop::Exit(status));
        }
        Ok(())
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline) -> Result<(i32, bool), Stop> {
        let mut stdin = String::new();
        let mut status = 0;
        let mut rightmost_failure = 0;
        let count = pipeline.commands.len();
        for (index, command) in pipeline.commands.iter().enumerate() {
            let outcome = self.run_simple(command, mem::take(&mut stdin))?;
            self.stderr.push(&outcome.err);
            if index + 1 == count {
                self.stdout.push(&outcome.out);
            } else {
                stdin = outcome.out;
            }
            status = outcome.status;
            if status != 0 {
                rightmost_failure = status;
            }
        }
        if self.options.pipefail && rightmost_failure != 0 {
            status = rightmost_failure;
        }
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        self.last_status = status;
        Ok((status, pipeline.negated))
    }

    fn count_command(&mut self) -> Result<(), Stop> {
        self.commands_run += 1;
        if self.commands_run > MAX_COMMANDS_PER_RUN {
            self.stderr.push(&format!(
                "bash: simulator limit: more than {MAX_COMMANDS_PER_RUN} commands in one run; script stopped\n"
            ));
            return Err(Stop::Abort(124));
        }
        Ok(())
    }

    fn run_simple(&mut self, command: &SimpleCommand, stdin: String) -> Result<Outcome, Stop> {
        self.count_command()?;
        self.substitution_status = None;
        let argv = self.expand_words(&command.words)?;
        let mut redirects = Vec::new();
        for redirect in &command.redirects {
            let target = match &redirect.target {
                Some(word) => {
                    let fields = self.expand_words(std::slice::from_ref(word))?;
                    match fields.as_slice() {
                        [one] => Some(one.clone()),
                        _ => return Ok(Outcome::fail(1, "bash: ambiguous redirect")),
                    }
                }
                None => None,
            };
            redirects.push((redirect.op, target));
        }
        if argv.iter().map(String::len).sum::<usize>() > MAX_ARG_BYTES {
            let name = argv.first().map_or("bash", String::as_str);
            return Ok(Outcome::fail(
                126,
                &format!("bash: {name}: Argument list too long"),
            ));
        }
        if self.options.xtrace && !argv.is_empty() {
            self.stderr.push(&format!("+ {}\n", argv.join(" ")));
        }
        let mut stdin = stdin;
        for (op, target) in &redirects {
            let Some(target) = target else { continue };
            if *op == Op::In {
                match self.read_path(target) {
                    Ok(content) => stdin = content,
                    Err(e) => {
                        return Ok(Outcome::fail(
                            1,
                            &format!("bash: {target}: {}", e.describe()),
                        ))
                    }
                }
            } else if let Err(e) = self.check_writable(target) {
                return Ok(Outcome::fail(
                    1,
                    &format!("bash: {target}: {}", e.describe()),
                ));
            }
        }
        let mut outcome = self.dispatch(&argv, &stdin)?;
        truncate_bytes(&mut outcome.out, MAX_STREAM_BYTES);
        truncate_bytes(&mut outcome.err, MAX_STREAM_BYTES);
        let name = argv.first().map_or("bash", String::as_str);
        Ok(self.apply_redirects(outcome, &redirects, name))
    }

    fn check_writable(&self, target: &str) -> Result<(), FsError> {
        let path = self.path(target);
        if is_device(&path) {
            return Ok(());
        }
        if self.guest.live.is_dir(&path) {
            return Err(FsError::IsADirectory);
        }
        self.guest.live.check_parent(&path)
    }

    fn apply_redirects(
        &mut self,
        mut outcome: Outcome,
        redirects: &[(Op, Option<String>)],
        name: &str,
    ) -> Outcome {
        if redirects.iter().all(|(op, _)| *op == Op::In) {
            return outcome;
        }
        let mut out_sink = Sink::Stdout;
        let mut err_sink = Sink::Stderr;
        let mut truncated: Vec<String> = Vec::new();
        for (op, target) in redirects {
            let file = || match self.path(target.as_deref().unwrap_or_default()).as_str() {
                "/dev/stdout" => Sink::Stdout,
                "/dev/stderr" => Sink::Stderr,
                _ => Sink::File(target.clone().unwrap_or_default()),
            };
            match op {
                Op::Out | Op::Append => out_sink = file(),
                Op::ErrOut | Op::ErrAppend => err_sink = file(),
                Op::AllOut => {
                    out_sink = file();
                    err_sink = file();
                }
                Op::ErrToOut => err_sink = out_sink.clone(),
                Op::OutToErr => out_sink = err_sink.clone(),
                _ => {}
            }
            if matches!(op, Op::Out | Op::ErrOut | Op::AllOut) {
                truncated.extend(target.clone());
            }
        }
        let out = mem::take(&mut outcome.out);
        let err = mem::take(&mut outcome.err);
        let mut write_error = None;
        // `>` empties its file before anything is written, even when the command prints nothing.
        for target in &truncated {
            if let Err(e) = self.write_path(target, String::new(), false) {
                write_error.get_or_insert(e);
            }
        }
        for (text, sink) in [(out, out_sink), (err, err_sink)] {
            match sink {
                Sink::Stdout => outcome.out.push_str(&text),
                Sink::Stderr => outcome.err.push_str(&text),
                Sink::File(target) => {
                    if let Err(e) = self.write_path(&target, text, true) {
                        write_error.get_or_insert(e);
                    }
                }
            }
        }
        if let Some(e) = write_error {
            outcome.error(1, &format!("bash: {name}: write error: {}", e.describe()));
        }
        outcome
    }

    // ---- file access with devices ----

    fn read_path(&self, raw: &str) -> Result<String, FsError> {
        let path = self.path(raw);
        if is_device(&path) {
            return Ok(String::new());
        }
        match self.guest.live.read(&path) {
            Ok(content) => Ok(content.to_string()),
            Err(FsError::NotFound) => self.guest.account_file(&path).ok_or(FsError::NotFound),
            Err(e) => Err(e),
        }
    }

    fn write_path(&mut self, raw: &str, content: String, append: bool) -> Result<(), FsError> {
        let path = self.path(raw);
        if is_device(&path) {
            return Ok(());
        }
        if append {
            self.guest.live.append(&path, &content)
        } else {
            self.guest.live.write(&path, content)
        }
    }

    // ---- expansion ----

    fn expand_words(&mut self, words: &[Word]) -> Result<Vec<String>, Stop> {
        let mut argv = Vec::new();
        for word in words {
            let braces = word
                .parts
                .iter()
                .any(|p| matches!(p, Part::Text { text, quoted: false } if text.contains('{')));
            for (field, glob) in self.expand_fields(word)? {
                let alternatives = if braces {
                    expand_braces(&field)
                } else {
                    vec![field]
                };
                for field in alternatives {
                    if glob {
                        argv.extend(self.glob(&field));
                    } else {
                        argv.push(field);
                    }
                }
                if argv.len() > MAX_ARG_BYTES {
                    break;
                }
            }
        }
        Ok(argv)
    }

    /// One word → fields. Unquoted expansions split on whitespace; unquoted `*`/`?` mark a
    /// field for globbing.
    fn expand_fields(&mut self, word: &Word) -> Result<Vec<(String, bool)>, Stop> {
        let mut fields = Vec::new();
        let mut current = String::new();
        let mut glob = false;
        let mut started = false;
        for part in &word.parts {
            let (value, quoted) = match part {
                Part::Text { text, quoted } => {
                    current.push_str(text);
                    started = true;
                    glob |= !quoted && text.contains(['*', '?']);
                    continue;
                }
                Part::Var {
                    name,
                    default,
                    quoted,
                } => (self.variable(name, default.as_deref())?, *quoted),
                Part::Subst { script, quoted } => (self.command_substitution(script)?, *quoted),
            };
            if current.len() + value.len() > MAX_ARG_BYTES {
                self.stderr.push("bash: Argument list too long\n");
                return Err(Stop::Exit(126));
            }
            if quoted {
                current.push_str(&value);
                started = true;
                continue;
            }
            let starts_blank = value.starts_with(char::is_whitespace);
            let ends_blank = value.ends_with(char::is_whitespace);
            for (index, piece) in value.split_whitespace().enumerate() {
                if (index > 0 || starts_blank) && started {
                    fields.push((mem::take(&mut current), mem::take(&mut glob)));
                }
                current.push_str(piece);
                started = true;
            }
            if ends_blank && started {
                fields.push((mem::take(&mut current), mem::take(&mut glob)));
                started = false;
            }
        }
        if started {
            fields.push((current, glob));
        }
        Ok(fields)
    }

    fn variable(&mut self, name: &str, default: Option<&str>) -> Result<String, Stop> {
        let value = match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some("4242".to_string()),
            "#" => Some("0".to_string()),
            "0" => Some("bash".to_string()),
            "PWD" => Some(self.cwd.clone()),
            "HOSTNAME" => Some(self.guest.hostname()),
            _ => self.vars.get(name).cloned(),
        };
        match (value, default) {
            (Some(value), Some(default)) if value.is_empty() => Ok(default.to_string()),
            (Some(value), _) => Ok(value),
            (None, Some(default)) => Ok(default.to_string()),
            (None, None) if self.options.nounset && !matches!(name, "@" | "*" | "!") => {
                self.stderr
                    .push(&format!("bash: {name}: unbound variable\n"));
                Err(Stop::Exit(1))
            }
            (None, None) => Ok(String::new()),
        }
    }

    fn command_substitution(&mut self, script: &str) -> Result<String, Stop> {
        let lines: Vec<String> = script.lines().map(str::to_string).collect();
        let (result, out, err) = self.run_nested(&lines, Scope::Subshell, None);
        self.stderr.push(&err);
        self.last_status = match result {
            Ok(status) | Err(Stop::Exit(status)) => status,
            Err(abort) => return Err(abort),
        };
        self.substitution_status = Some(self.last_status);
        Ok(out.trim_end_matches('\n').to_string())
    }

    /// Expands a glob against the live file system; no match leaves the word as it was.
    fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        // (shown form, absolute path) of every candidate so far
        let mut candidates: Vec<(String, String)> = vec![(
            if absolute {
                "/".to_string()
            } else {
                String::new()
            },
            if absolute {
                "/".to_string()
            } else {
                self.cwd.clone()
            },
        )];
        for component in pattern.split('/').filter(|c| !c.is_empty()) {
            let mut next = Vec::new();
            for (shown, path) in &candidates {
                let join_shown = |name: &str| {
                    if shown.is_empty() || shown.ends_with('/') {
                        format!("{shown}{name}")
                    } else {
                        format!("{shown}/{name}")
                    }
                };
                if component.contains(['*', '?']) {
                    if !self.guest.live.is_dir(path) {
                        continue;
                    }
                    for name in self.guest.live.children(path).into_keys() {
                        let hidden_ok = !name.starts_with('.') || component.starts_with('.');
                        if hidden_ok && wildcard_match(component, &name) {
                            next.push((join_shown(&name), child_path(path, &name)));
                        }
                    }
                } else {
                    let candidate = normalize_path(path, component);
                    if self.guest.live.exists(&candidate) {
                        next.push((join_shown(component), candidate));
                    }
                }
            }
            candidates = next;
            if candidates.is_empty() {
                break;
            }
        }
        let mut matches: Vec<String> = candidates.into_iter().map(|(shown, _)| shown).collect();
        matches.sort();
        if matches.is_empty() {
            vec![pattern.to_string()]
        } else {
            matches
        }
    }

    fn set_var(&mut self, name: &str, value: &str) -> Result<(), String> {
        let others: usize = self
            .vars
            .iter()
            .filter(|(k, _)| k.as_str() != name)
            .map(|(_, v)| v.len())
            .sum();
        if others + value.len() > MAX_SHELL_VAR_BYTES {
            return Err(format!(
                "bash: {name}: variables too large (simulator limit)"
            ));
        }
        if !self.vars.contains_key(name) && self.vars.len() >= MAX_SHELL_VARS {
            return Err(format!(
                "bash: {name}: too many variables (simulator limit)"
            ));
        }
        self.vars.insert(name.to_string(), value.to_string());
        Ok(())
    }

    /// Runs lines as a nested script and returns its result and output.
    fn run_nested(
        &mut self,
        lines: &[String],
        scope: Scope,
        options: Option<ShellOptions>,
    ) -> (Result<i32, Stop>, String, String) {
        if self.depth >= MAX_NESTING {
            return (
                Ok(1),
                String::new(),
                "bash: maximum nesting level exceeded (simulator limit)\n".to_string(),
            );
        }
        let saved_out = mem::replace(&mut self.stdout, Capture::new(MAX_STREAM_BYTES));
        let saved_err = mem::replace(&mut self.stderr, Capture::new(MAX_STREAM_BYTES));
        let saved_state = (scope != Scope::SameShell).then(|| {
            (
                self.cwd.clone(),
                self.previous_dir.clone(),
                self.vars.clone(),
                self.options,
            )
        });
        if scope == Scope::NewShell {
            self.options = options.unwrap_or_default();
        }
        self.depth += 1;
        let result = self.run_lines(lines);
        self.depth -= 1;
        if let Some((cwd, previous_dir, vars, options)) = saved_state {
            self.cwd = cwd;
            self.previous_dir = previous_dir;
            self.vars = vars;
            self.options = options;
        }
        let out = mem::replace(&mut self.stdout, saved_out).text;
        let err = mem::replace(&mut self.stderr, saved_err).text;
        (result, out, err)
    }

    /// Turns a nested run into the outcome of the command that started it. A new shell or
    /// subshell absorbs `exit`; the same shell passes it on.
    fn nested_outcome(
        &mut self,
        scope: Scope,
        run: (Result<i32, Stop>, String, String),
    ) -> Result<Outcome, Stop> {
        let (result, out, err) = run;
        match result {
            Ok(status) => Ok(Outcome { status, out, err }),
            Err(Stop::Exit(status)) if scope != Scope::SameShell => {
                Ok(Outcome { status, out, err })
            }
            Err(stop) => {
                self.stdout.push(&out);
                self.stderr.push(&err);
                Err(stop)
            }
        }
    }
}

/// Reads lines from `start` until a whole command is parsed: a trailing `\`, an open quote, or
/// a trailing `&&`/`||`/`|` continues on the next line. Returns the commands and lines used.
fn read_logical_line(lines: &[String], start: usize) -> Result<(Vec<AndOrList>, usize), String> {
    let mut text = String::new();
    let mut used = 0;
    loop {
        let line = &lines[start + used];
        used += 1;
        text.push_str(line);
        if text.len() > MAX_LOGICAL_LINE_BYTES {
            return Err("command too long (simulator limit)".to_string());
        }
        let more = start + used < lines.len();
        let trailing_backslashes = text.chars().rev().take_while(|c| *c == '\\').count();
        if trailing_backslashes % 2 == 1 {
            text.pop();
            if more {
                continue;
            }
        }
        match tokenize(&text) {
            Ok(tokens) => {
                let open = matches!(tokens.last(), Some(Token::Op(Op::And | Op::Or | Op::Pipe)));
                if open && more {
                    text.push('\n');
                    continue;
                }
                return Parser::parse(tokens).map(|lists| (lists, used));
            }
            Err(LexError::Unterminated(_)) if more => text.push('\n'),
            Err(LexError::Unterminated(c)) => {
                return Err(format!("unexpected EOF while looking for matching `{c}'"));
            }
            Err(LexError::Unsupported(what)) => {
                return Err(format!("{what}: not supported by this simulated shell"));
            }
        }
    }
}

fn is_device(path: &str) -> bool {
    matches!(
        path,
        "/dev/null" | "/dev/zero" | "/dev/stdout" | "/dev/stderr" | "/dev/tty"
    )
}

/// Brace expansion: `a{b,c}d` → `abd acd`, `f{1..3}` → `f1 f2 f3`. Text without a complete
/// group stays as it is; the number of results is bounded.
fn expand_braces(word: &str) -> Vec<String> {
    const MAX_BRACE_RESULTS: usize = 1024;
    let Some((prefix, alternatives, suffix)) = first_brace_group(word) else {
        return vec![word.to_string()];
    };
    let mut out = Vec::new();
    let mut bytes = 0;
    for alternative in alternatives {
        for expanded in expand_braces(&format!("{prefix}{alternative}{suffix}")) {
            bytes += expanded.len();
            if out.len() >= MAX_BRACE_RESULTS || bytes > MAX_ARG_BYTES {
                return out;
            }
            out.push(expanded);
        }
    }
    out
}

/// The first `{…}` group with a top-level comma or a `N..M` range: prefix, choices, suffix.
fn first_brace_group(word: &str) -> Option<(&str, Vec<String>, &str)> {
    for (open, _) in word.char_indices().filter(|(_, c)| *c == '{') {
        let mut depth = 0;
        let mut commas = Vec::new();
        for (offset, c) in word[open..].char_indices() {
            match c {
                '{' => depth += 1,
                ',' if depth == 1 => commas.push(open + offset),
                '}' => {
                    depth -= 1;
                    if depth > 0 {
                        continue;
                    }
                    let close = open + offset;
                    let inner = &word[open + 1..close];
                    let choices: Vec<String> = if commas.is_empty() {
                        let (from, to) = inner.split_once("..")?;
                        let (from, to) = (from.parse::<i64>().ok()?, to.parse::<i64>().ok()?);
                        if from.abs_diff(to) > 1024 {
                            return None;
                        }
                        if from <= to {
                            (from..=to).map(|n| n.to_string()).collect()
                        } else {
                            (to..=from).rev().map(|n| n.to_string()).collect()
                        }
                    } else {
                        let mut bounds = vec![open];
                        bounds.extend(&commas);
                        bounds.push(close);
                        bounds
                            .windows(2)
                            .map(|w| word[w[0] + 1..w[1]].to_string())
                            .collect()
                    };
                    return Some((&word[..open], choices, &word[close + 1..]));
                }
                _ => {}
            }
        }
    }
    None
}

/// Shell wildcard match of `*` and `?` against a whole name.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((star_p, star_n)) = star {
            pi = star_p + 1;
            ni = star_n + 1;
            star = Some((star_p, star_n + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

// ======================================================================================
// Shell: command dispatch and builtins
// ======================================================================================

/// Short flags (`-rf` → r, f), long flags (`--force` → force) and operands; `--` ends flags.
#[derive(Debug, Default)]
struct Flags {
    short: BTreeSet<char>,
    long: BTreeSet<String>,
    operands: Vec<String>,
}

impl Flags {
    fn parse(args: &[String]) -> Flags {
        let mut flags = Flags::default();
        let mut only_operands = false;
        for arg in args {
            if only_operands || arg == "-" || !arg.starts_with('-') {
                flags.operands.push(arg.clone());
            } else if arg == "--" {
                only_operands = true;
            } else if let Some(long) = arg.strip_prefix("--") {
                flags
                    .long
                    .insert(long.split('=').next().unwrap_or(long).to_string());
            } else {
                flags.short.extend(arg.chars().skip(1));
            }
        }
        flags
    }

    fn has(&self, short: char) -> bool {
        self.short.contains(&short)
    }

    fn any(&self, short: char, long: &str) -> bool {
        self.short.contains(&short) || self.long.contains(long)
    }
}

/// Appends `text` unless `out` already holds a stream's worth (so `cat f f f …` stays bounded).
fn push_bounded(out: &mut String, text: &str) {
    if out.len() < MAX_STREAM_BYTES {
        out.push_str(text);
        truncate_bytes(out, MAX_STREAM_BYTES);
    }
}

/// The value after an option that takes one (`-m 755`, `-m755`, `--mode=755`).
fn option_value(
    args: &[String],
    index: &mut usize,
    short: &str,
    long: &str,
) -> Option<Option<String>> {
    let arg = &args[*index];
    if arg == short || arg == long {
        *index += 1;
        return Some(args.get(*index).cloned());
    }
    if let Some(value) = arg.strip_prefix(&format!("{long}=")) {
        return Some(Some(value.to_string()));
    }
    if short.len() == 2 && arg.starts_with(short) && !arg.starts_with("--") {
        return Some(Some(arg[short.len()..].to_string()));
    }
    None
}

fn interpret_escapes(text: &str) -> String {
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
    fn dispatch(&mut self, argv: &[String], stdin: &str) -> Result<Outcome, Stop> {
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

    fn run_builtin(
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
            "eval" => return Some(self.run_text(&args.join(" "), Scope::SameShell)),
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
            let why = if self.guest.live.is_file(&path) {
                "Not a directory"
            } else {
                "No such file or directory"
            };
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
            Ok(text) => self.run_text(&text, Scope::SameShell),
            Err(e) => Ok(Outcome::fail(1, &format!("bash: {file}: {}", e.describe()))),
        }
    }

    fn run_text(&mut self, text: &str, scope: Scope) -> Result<Outcome, Stop> {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let run = self.run_nested(&lines, scope, None);
        self.nested_outcome(scope, run)
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

    fn is_builtin(name: &str) -> bool {
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

    // ---- running programs by path ----

    const PATH_DIRS: [&'static str; 6] = [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ];

    /// An executable script in a PATH directory, for commands that no package provides.
    fn find_on_path(&self, name: &str) -> Option<String> {
        Self::PATH_DIRS
            .iter()
            .map(|dir| child_path(dir, name))
            .find(|path| {
                self.guest.live.is_file(path) && self.guest.live.meta_of(path).mode & 0o111 != 0
            })
    }

    /// Where `which` finds a command.
    fn command_path(&self, name: &str) -> Option<String> {
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

    fn run_path(&mut self, name: &str, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
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
    fn run_script_file(
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
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let run = self.run_nested(&lines, Scope::NewShell, options);
        self.nested_outcome(Scope::NewShell, run)
    }

    fn cmd_bash(&mut self, name: &str, args: &[String], stdin: &str) -> Result<Outcome, Stop> {
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
                let lines: Vec<String> = script.lines().map(str::to_string).collect();
                let run = self.run_nested(&lines, Scope::NewShell, Some(options));
                return self.nested_outcome(Scope::NewShell, run);
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
        let lines: Vec<String> = stdin.lines().map(str::to_string).collect();
        let run = self.run_nested(&lines, Scope::NewShell, Some(options));
        self.nested_outcome(Scope::NewShell, run)
    }
}

// ======================================================================================
// Shell: files and text
// ======================================================================================

/// Applies a chmod mode (`755`, `u+x`, `go-w`, `a=r,u+w`) to `current`; `None` if invalid.
fn parse_mode(spec: &str, current: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.len() <= 4 && spec.chars().all(|c| ('0'..='7').contains(&c)) {
        return u32::from_str_radix(spec, 8).ok();
    }
    let mut mode = current;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                'u' => who |= 0o700,
                'g' => who |= 0o070,
                'o' => who |= 0o007,
                'a' => who |= 0o777,
                _ => break,
            }
            i += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if i >= chars.len() {
            return None;
        }
        while i < chars.len() {
            let op = chars[i];
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            i += 1;
            let mut bits = 0;
            while let Some(&c) = chars.get(i) {
                match c {
                    'r' => bits |= 0o444,
                    'w' => bits |= 0o222,
                    'x' => bits |= 0o111,
                    'X' if is_dir || mode & 0o111 != 0 => bits |= 0o111,
                    'X' | 's' | 't' => {}
                    _ => break,
                }
                i += 1;
            }
            bits &= who;
            mode = match op {
                '+' => mode | bits,
                '-' => mode & !bits,
                _ => (mode & !who) | bits,
            };
        }
    }
    Some(mode)
}

impl Shell<'_> {
    fn cmd_cat(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        if flags.operands.is_empty() {
            return Outcome::print(stdin);
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            if operand == "-" {
                push_bounded(&mut outcome.out, stdin);
                continue;
            }
            match self.read_path(operand) {
                Ok(content) => push_bounded(&mut outcome.out, &content),
                Err(e) => outcome.error(1, &format!("cat: {operand}: {}", e.describe())),
            }
        }
        outcome
    }

    fn ls_long_line(&self, path: &str, shown: &str) -> String {
        let live = &self.guest.live;
        let meta = live.meta_of(path);
        let is_dir = live.is_dir(path);
        let size = if is_dir {
            4096
        } else {
            live.files.get(path).map_or(0, String::len)
        };
        format!(
            "{} {} {} {} {:>5} Jan  1 00:00 {shown}\n",
            mode_string(meta.mode, is_dir),
            if is_dir { 2 } else { 1 },
            meta.owner,
            meta.group,
            size
        )
    }

    fn cmd_ls(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let all = flags.any('a', "all");
        let almost_all = flags.any('A', "almost-all");
        let long = flags.has('l');
        let targets = if flags.operands.is_empty() {
            vec![".".to_string()]
        } else {
            flags.operands.clone()
        };
        let mut outcome = Outcome::success();
        let mut plain = Vec::new();
        let mut dirs = Vec::new();
        for target in &targets {
            let path = self.path(target);
            if self.guest.live.is_dir(&path) && !flags.has('d') {
                dirs.push((target.clone(), path));
            } else if self.guest.live.exists(&path) {
                plain.push((target.clone(), path));
            } else {
                outcome.error(
                    2,
                    &format!("ls: cannot access '{target}': No such file or directory"),
                );
            }
        }
        for (shown, path) in &plain {
            outcome.out.push_str(&if long {
                self.ls_long_line(path, shown)
            } else {
                format!("{shown}\n")
            });
        }
        let headers = plain.len() + dirs.len() > 1;
        for (index, (shown, path)) in dirs.iter().enumerate() {
            if headers {
                if index > 0 || !plain.is_empty() {
                    outcome.out.push('\n');
                }
                outcome.out.push_str(&format!("{shown}:\n"));
            }
            let mut entries: Vec<(String, String)> = Vec::new();
            if all {
                entries.push((".".into(), path.clone()));
                entries.push(("..".into(), parent_of(path).to_string()));
            }
            for name in self.guest.live.children(path).into_keys() {
                if !name.starts_with('.') || all || almost_all {
                    let child = child_path(path, &name);
                    entries.push((name, child));
                }
            }
            if long {
                outcome
                    .out
                    .push_str(&format!("total {}\n", entries.len() * 4));
            }
            for (name, child) in entries {
                let line = if long {
                    self.ls_long_line(&child, &name)
                } else {
                    format!("{name}\n")
                };
                push_bounded(&mut outcome.out, &line);
            }
        }
        outcome
    }

    fn cmd_mkdir(&mut self, args: &[String]) -> Outcome {
        let mut parents = false;
        let mut mode = None;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            if let Some(value) = option_value(args, &mut index, "-m", "--mode") {
                mode = value;
            } else if args[index] == "--parents" {
                parents = true;
            } else if args[index].starts_with('-') && args[index].len() > 1 {
                parents |= args[index].contains('p');
            } else {
                operands.push(args[index].clone());
            }
            index += 1;
        }
        if operands.is_empty() {
            return Outcome::fail(1, "mkdir: missing operand");
        }
        let mut outcome = Outcome::success();
        for operand in operands {
            let path = self.path(&operand);
            let result = if parents {
                self.guest.live.mkdir_all(&path)
            } else {
                self.guest.live.mkdir(&path)
            };
            match result {
                Ok(()) => {
                    if let Some(bits) = mode.as_deref().and_then(|m| parse_mode(m, 0o755, true)) {
                        let meta = Meta {
                            mode: bits,
                            ..self.guest.live.meta_of(&path)
                        };
                        self.guest.live.set_meta(&path, meta);
                    }
                }
                Err(e) => outcome.error(
                    1,
                    &format!(
                        "mkdir: cannot create directory '{operand}': {}",
                        e.describe()
                    ),
                ),
            }
        }
        outcome
    }

    fn cmd_rm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let recursive = flags.has('r') || flags.has('R') || flags.long.contains("recursive");
        let force = flags.any('f', "force");
        if flags.operands.is_empty() {
            return if force {
                Outcome::success()
            } else {
                Outcome::fail(1, "rm: missing operand")
            };
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            let live = &mut self.guest.live;
            if live.is_dir(&path) {
                if !recursive {
                    outcome.error(1, &format!("rm: cannot remove '{operand}': Is a directory"));
                } else if path == "/" {
                    outcome.error(1, "rm: it is dangerous to operate recursively on '/'");
                    outcome.warn("rm: use --no-preserve-root to override this failsafe");
                } else {
                    live.remove_tree(&path);
                }
            } else if !live.remove_file(&path) && !force {
                outcome.error(
                    1,
                    &format!("rm: cannot remove '{operand}': No such file or directory"),
                );
            }
        }
        outcome
    }

    fn cmd_rmdir(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            let live = &mut self.guest.live;
            if !live.is_dir(&path) {
                let why = if live.is_file(&path) {
                    "Not a directory"
                } else {
                    "No such file or directory"
                };
                outcome.error(1, &format!("rmdir: failed to remove '{operand}': {why}"));
            } else if !live.children(&path).is_empty() {
                outcome.error(
                    1,
                    &format!("rmdir: failed to remove '{operand}': Directory not empty"),
                );
            } else {
                live.remove_dir_entry(&path);
            }
        }
        outcome
    }

    fn cmd_touch(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        if flags.operands.is_empty() {
            return Outcome::fail(1, "touch: missing file operand");
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            if self.guest.live.exists(&path) || is_device(&path) || flags.has('c') {
                continue;
            }
            if let Err(e) = self.guest.live.write(&path, String::new()) {
                outcome.error(
                    1,
                    &format!("touch: cannot touch '{operand}': {}", e.describe()),
                );
            }
        }
        outcome
    }

    fn cmd_cp(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let recursive =
            flags.has('r') || flags.has('R') || flags.has('a') || flags.long.contains("recursive");
        let Some((dest_raw, sources)) = flags.operands.split_last() else {
            return Outcome::fail(1, "cp: missing file operand");
        };
        if sources.is_empty() {
            return Outcome::fail(
                1,
                &format!("cp: missing destination file operand after '{dest_raw}'"),
            );
        }
        let dest = self.path(dest_raw);
        let dest_is_dir = self.guest.live.is_dir(&dest);
        if sources.len() > 1 && !dest_is_dir {
            return Outcome::fail(1, &format!("cp: target '{dest_raw}' is not a directory"));
        }
        let mut outcome = Outcome::success();
        for source_raw in sources {
            let source = self.path(source_raw);
            let name = base_name(&source).to_string();
            let (target, shown) = if dest_is_dir {
                (
                    child_path(&dest, &name),
                    format!("{}/{name}", dest_raw.trim_end_matches('/')),
                )
            } else {
                (dest.clone(), dest_raw.clone())
            };
            let live = &mut self.guest.live;
            if live.is_dir(&source) {
                if !recursive {
                    outcome.error(
                        1,
                        &format!("cp: -r not specified; omitting directory '{source_raw}'"),
                    );
                } else if is_inside(&target, &source) {
                    outcome.error(
                        1,
                        &format!(
                            "cp: cannot copy a directory, '{source_raw}', into itself, '{shown}'"
                        ),
                    );
                } else if let Err(e) = live.copy_tree(&source, &target) {
                    outcome.error(
                        1,
                        &format!("cp: cannot create directory '{shown}': {}", e.describe()),
                    );
                }
            } else if let Some(content) = live.files.get(&source).cloned() {
                if target == source {
                    outcome.error(
                        1,
                        &format!("cp: '{source_raw}' and '{shown}' are the same file"),
                    );
                    continue;
                }
                let existed = live.is_file(&target);
                match live.write(&target, content) {
                    Ok(()) if !existed => {
                        let mode = live.meta_of(&source).mode;
                        live.set_meta(
                            &target,
                            Meta {
                                mode,
                                ..Meta::default_for(false)
                            },
                        );
                    }
                    Ok(()) => {}
                    Err(e) => outcome.error(
                        1,
                        &format!("cp: cannot create regular file '{shown}': {}", e.describe()),
                    ),
                }
            } else {
                outcome.error(
                    1,
                    &format!("cp: cannot stat '{source_raw}': No such file or directory"),
                );
            }
        }
        outcome
    }

    fn cmd_mv(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Some((dest_raw, sources)) = flags.operands.split_last() else {
            return Outcome::fail(1, "mv: missing file operand");
        };
        if sources.is_empty() {
            return Outcome::fail(
                1,
                &format!("mv: missing destination file operand after '{dest_raw}'"),
            );
        }
        let dest = self.path(dest_raw);
        let dest_is_dir = self.guest.live.is_dir(&dest);
        if sources.len() > 1 && !dest_is_dir {
            return Outcome::fail(1, &format!("mv: target '{dest_raw}' is not a directory"));
        }
        let mut outcome = Outcome::success();
        for source_raw in sources {
            let source = self.path(source_raw);
            let target = if dest_is_dir {
                child_path(&dest, base_name(&source))
            } else {
                dest.clone()
            };
            let live = &mut self.guest.live;
            if !live.exists(&source) {
                outcome.error(
                    1,
                    &format!("mv: cannot stat '{source_raw}': No such file or directory"),
                );
                continue;
            }
            if target == source {
                outcome.error(
                    1,
                    &format!("mv: '{source_raw}' and '{dest_raw}' are the same file"),
                );
                continue;
            }
            if live.is_dir(&source) && is_inside(&target, &source) {
                outcome.error(
                    1,
                    &format!(
                        "mv: cannot move '{source_raw}' to a subdirectory of itself, '{dest_raw}'"
                    ),
                );
                continue;
            }
            if live.is_dir(&target) {
                if live.is_file(&source) {
                    outcome.error(
                        1,
                        &format!("mv: cannot overwrite directory '{dest_raw}' with non-directory"),
                    );
                    continue;
                }
                if !live.children(&target).is_empty() {
                    outcome.error(
                        1,
                        &format!(
                            "mv: cannot move '{source_raw}' to '{dest_raw}': Directory not empty"
                        ),
                    );
                    continue;
                }
                live.remove_dir_entry(&target);
            } else if live.is_file(&target) {
                if live.is_dir(&source) {
                    outcome.error(1, &format!("mv: cannot overwrite non-directory '{dest_raw}' with directory '{source_raw}'"));
                    continue;
                }
                live.remove_file(&target);
            }
            if let Err(e) = live.rename(&source, &target) {
                outcome.error(
                    1,
                    &format!(
                        "mv: cannot move '{source_raw}' to '{dest_raw}': {}",
                        e.describe()
                    ),
                );
            }
        }
        outcome
    }

    /// Paths a recursive operation on `path` touches: itself, then everything below it.
    fn tree_paths(&self, path: &str, recursive: bool) -> Vec<String> {
        let mut paths = vec![path.to_string()];
        if recursive && self.guest.live.is_dir(path) {
            let (files, dirs) = self.guest.live.subtree(path);
            paths.extend(dirs);
            paths.extend(files);
        }
        paths
    }

    fn cmd_chmod(&mut self, args: &[String]) -> Outcome {
        let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
        let rest: Vec<&String> = args
            .iter()
            .filter(|a| !matches!(a.as_str(), "-R" | "--recursive" | "-v" | "-f" | "-c"))
            .collect();
        let Some((mode, paths)) = rest.split_first() else {
            return Outcome::fail(1, "chmod: missing operand");
        };
        if paths.is_empty() {
            return Outcome::fail(1, &format!("chmod: missing operand after '{mode}'"));
        }
        if parse_mode(mode, 0o644, false).is_none() {
            return Outcome::fail(1, &format!("chmod: invalid mode: '{mode}'"));
        }
        let mut outcome = Outcome::success();
        for raw in paths {
            let path = self.path(raw);
            if !self.guest.live.exists(&path) {
                outcome.error(
                    1,
                    &format!("chmod: cannot access '{raw}': No such file or directory"),
                );
                continue;
            }
            for target in self.tree_paths(&path, recursive) {
                let live = &mut self.guest.live;
                let meta = live.meta_of(&target);
                let bits = parse_mode(mode, meta.mode, live.is_dir(&target)).unwrap_or(meta.mode);
                live.set_meta(&target, Meta { mode: bits, ..meta });
            }
        }
        outcome
    }

    fn cmd_chown(&mut self, tool: &str, args: &[String]) -> Outcome {
        let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
        let rest: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some((spec, paths)) = rest.split_first() else {
            return Outcome::fail(1, &format!("{tool}: missing operand"));
        };
        if paths.is_empty() {
            return Outcome::fail(1, &format!("{tool}: missing operand after '{spec}'"));
        }
        let (user, group) = match spec.split_once([':', '.']) {
            Some((user, group)) => (user, Some(group)),
            None => (spec.as_str(), None),
        };
        if !user.is_empty() && !self.guest.users.contains_key(user) {
            return Outcome::fail(1, &format!("{tool}: invalid user: '{spec}'"));
        }
        let group = match group {
            Some("") => self.guest.users.get(user).map(|a| a.group.clone()),
            Some(group) if !self.guest.groups.contains_key(group) => {
                return Outcome::fail(1, &format!("{tool}: invalid group: '{spec}'"));
            }
            Some(group) => Some(group.to_string()),
            None => None,
        };
        let mut outcome = Outcome::success();
        for raw in paths {
            let path = self.path(raw);
            if !self.guest.live.exists(&path) {
                outcome.error(
                    1,
                    &format!("{tool}: cannot access '{raw}': No such file or directory"),
                );
                continue;
            }
            for target in self.tree_paths(&path, recursive) {
                let live = &mut self.guest.live;
                let mut meta = live.meta_of(&target);
                if !user.is_empty() {
                    meta.owner = user.to_string();
                }
                if let Some(group) = &group {
                    meta.group = group.clone();
                }
                live.set_meta(&target, meta);
            }
        }
        outcome
    }

    /// Symbolic links are not modelled: `ln` checks its arguments and succeeds.
    fn cmd_ln(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Some((link, targets)) = flags.operands.split_last() else {
            return Outcome::fail(1, "ln: missing file operand");
        };
        let Some(target) = targets.first() else {
            return Outcome::success();
        };
        let live = &self.guest.live;
        if !flags.has('s') && !live.exists(&self.path(target)) {
            return Outcome::fail(
                1,
                &format!("ln: failed to access '{target}': No such file or directory"),
            );
        }
        let link_path = self.path(link);
        if !live.is_dir(&link_path) && live.check_parent(&link_path).is_err() {
            let kind = if flags.has('s') {
                "symbolic link"
            } else {
                "hard link"
            };
            return Outcome::fail(
                1,
                &format!("ln: failed to create {kind} '{link}': No such file or directory"),
            );
        }
        Outcome::success()
    }

    fn cmd_tee(&mut self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let append = flags.any('a', "append");
        let mut outcome = Outcome::print(stdin);
        for operand in &flags.operands {
            if let Err(e) = self.write_path(operand, stdin.to_string(), append) {
                outcome.error(1, &format!("tee: {operand}: {}", e.describe()));
            }
        }
        outcome
    }

    /// Standard input or the named files, as (name, content); unreadable ones become errors.
    fn sources(
        &self,
        tool: &str,
        files: &[String],
        stdin: &str,
        outcome: &mut Outcome,
    ) -> Vec<(String, String)> {
        if files.is_empty() {
            return vec![("(standard input)".to_string(), stdin.to_string())];
        }
        let mut out = Vec::new();
        for file in files {
            match self.read_path(file) {
                Ok(content) => out.push((file.clone(), content)),
                Err(e) => outcome.error(1, &format!("{tool}: {file}: {}", e.describe())),
            }
        }
        out
    }

    fn cmd_head_tail(&self, tool: &str, args: &[String], stdin: &str) -> Outcome {
        let mut count = 10usize;
        let mut from_start = false;
        let mut files = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            let value = if let Some(value) = option_value(args, &mut index, "-n", "--lines") {
                value
            } else if arg.len() > 1
                && arg.starts_with('-')
                && arg[1..].chars().all(|c| c.is_ascii_digit())
            {
                Some(arg[1..].to_string())
            } else {
                if !arg.starts_with('-') || arg == "-" {
                    files.push(arg.clone());
                }
                index += 1;
                continue;
            };
            index += 1;
            let value = value.unwrap_or_default();
            from_start = value.starts_with('+');
            match value.trim_start_matches(['+', '-']).parse::<usize>() {
                Ok(n) => count = n,
                Err(_) => {
                    return Outcome::fail(1, &format!("{tool}: invalid number of lines: '{value}'"))
                }
            }
        }
        let mut outcome = Outcome::success();
        let sources = if files.is_empty() {
            vec![(String::new(), stdin.to_string())]
        } else {
            let mut found = Vec::new();
            for file in &files {
                match self.read_path(file) {
                    Ok(content) => found.push((file.clone(), content)),
                    Err(_) => outcome.error(
                        1,
                        &format!(
                            "{tool}: cannot open '{file}' for reading: No such file or directory"
                        ),
                    ),
                }
            }
            found
        };
        let headers = sources.len() > 1;
        for (index, (name, content)) in sources.iter().enumerate() {
            if headers {
                outcome.out.push_str(&format!(
                    "{}==> {name} <==\n",
                    if index > 0 { "\n" } else { "" }
                ));
            }
            let lines: Vec<&str> = content.split_inclusive('\n').collect();
            let selected = if tool == "head" {
                &lines[..count.min(lines.len())]
            } else if from_start {
                &lines[count.saturating_sub(1).min(lines.len())..]
            } else {
                &lines[lines.len().saturating_sub(count)..]
            };
            outcome.out.push_str(&selected.concat());
        }
        outcome
    }

    fn cmd_wc(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        let sources = self.sources("wc", &flags.operands, stdin, &mut outcome);
        let wanted: Vec<char> = ['l', 'w', 'c', 'm']
            .into_iter()
            .filter(|c| flags.has(*c))
            .collect();
        let wanted = if wanted.is_empty() {
            vec!['l', 'w', 'c']
        } else {
            wanted
        };
        for (name, content) in sources {
            let counts: Vec<String> = wanted
                .iter()
                .map(|c| match c {
                    'l' => content.matches('\n').count(),
                    'w' => content.split_whitespace().count(),
                    'm' => content.chars().count(),
                    _ => content.len(),
                })
                .map(|n| n.to_string())
                .collect();
            let suffix = if flags.operands.is_empty() {
                String::new()
            } else {
                format!(" {name}")
            };
            outcome.say(&format!("{}{suffix}", counts.join(" ")));
        }
        outcome
    }

    fn cmd_sort(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        let sources = self.sources("sort", &flags.operands, stdin, &mut outcome);
        let mut lines: Vec<String> = sources
            .iter()
            .flat_map(|(_, c)| c.lines().map(str::to_string))
            .collect();
        if flags.has('n') {
            let key = |s: &String| s.trim().parse::<f64>().unwrap_or(0.0);
            lines.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.cmp(b)));
        } else {
            lines.sort();
        }
        if flags.has('u') {
            lines.dedup();
        }
        if flags.has('r') {
            lines.reverse();
        }
        for line in lines {
            outcome.say(&line);
        }
        outcome
    }
}

// ======================================================================================
// Shell: regular expressions for grep and sed
// ======================================================================================

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Literal(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
}

impl Atom {
    fn matches(&self, c: char, ignore_case: bool) -> bool {
        let fold = |x: char| {
            if ignore_case {
                x.to_ascii_lowercase()
            } else {
                x
            }
        };
        match self {
            Atom::Literal(l) => fold(*l) == fold(c),
            Atom::Any => c != '\n',
            Atom::Class { ranges, negated } => {
                let hit = |x: char| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&x));
                let found = hit(c)
                    || (ignore_case
                        && (hit(c.to_ascii_lowercase()) || hit(c.to_ascii_uppercase())));
                found != *negated
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Once,
    ZeroOrMore,
    ZeroOrOne,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    atom: Atom,
    repeat: Repeat,
}

/// A small POSIX-style regex: literals, `.`, `[...]` (ranges, `^`, `[:digit:]`-style classes),
/// `*`, `\+`/`\?` (`+`/`?` in extended mode), `^` and `$` anchors. Matching simulates the
/// automaton (no backtracking), so it is linear in the text for a given pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    pieces: Vec<Piece>,
    anchored_start: bool,
    anchored_end: bool,
    ignore_case: bool,
}

fn posix_class(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        _ => return None,
    })
}

/// Parses `[...]` starting at `chars[start] == '['`; returns the atom and the index after `]`.
fn parse_bracket(chars: &[char], start: usize) -> Result<(Atom, usize), String> {
    let mut i = start + 1;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated [".to_string());
        };
        if c == ']' && !first {
            return Ok((Atom::Class { ranges, negated }, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = posix_class(&rest[..end])
                    .ok_or_else(|| "invalid character class".to_string())?;
                ranges.extend(class);
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

impl Pattern {
    fn compile(source: &str, extended: bool, ignore_case: bool) -> Result<Pattern, String> {
        let chars: Vec<char> = source.chars().collect();
        let anchored_start = chars.first() == Some(&'^');
        let mut i = usize::from(anchored_start);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut anchored_end = false;
        while i < chars.len() {
            let c = chars[i];
            let repeat = match c {
                '*' => Some(Repeat::ZeroOrMore),
                '+' if extended => Some(Repeat::Once),
                '?' if extended => Some(Repeat::ZeroOrOne),
                '\\' if !extended && chars.get(i + 1) == Some(&'+') => Some(Repeat::Once),
                '\\' if !extended && chars.get(i + 1) == Some(&'?') => Some(Repeat::ZeroOrOne),
                _ => None,
            };
            if let (Some(repeat), Some(last)) = (repeat, pieces.last().cloned()) {
                i += if c == '\\' { 2 } else { 1 };
                match repeat {
                    // one-or-more is one, then zero-or-more
                    Repeat::Once => pieces.push(Piece {
                        atom: last.atom,
                        repeat: Repeat::ZeroOrMore,
                    }),
                    other => {
                        if let Some(piece) = pieces.last_mut() {
                            piece.repeat = other;
                        }
                    }
                }
                continue;
            }
            let atom = match c {
                '$' if i + 1 == chars.len() => {
                    anchored_end = true;
                    i += 1;
                    continue;
                }
                '.' => {
                    i += 1;
                    Atom::Any
                }
                '[' => {
                    let (atom, next) = parse_bracket(&chars, i)?;
                    i = next;
                    atom
                }
                '\\' => {
                    let next = *chars
                        .get(i + 1)
                        .ok_or_else(|| "trailing backslash (\\)".to_string())?;
                    i += 2;
                    match next {
                        'n' => Atom::Literal('\n'),
                        't' => Atom::Literal('\t'),
                        'd' => Atom::Class {
                            ranges: vec![('0', '9')],
                            negated: false,
                        },
                        's' => Atom::Class {
                            ranges: vec![(' ', ' '), ('\t', '\r')],
                            negated: false,
                        },
                        'w' => Atom::Class {
                            ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
                            negated: false,
                        },
                        other => Atom::Literal(other),
                    }
                }
                _ => {
                    i += 1;
                    Atom::Literal(c)
                }
            };
            pieces.push(Piece {
                atom,
                repeat: Repeat::Once,
            });
            if pieces.len() > MAX_PATTERN_PIECES {
                return Err("regular expression too big".to_string());
            }
        }
        Ok(Pattern {
            pieces,
            anchored_start,
            anchored_end,
            ignore_case,
        })
    }

    /// A pattern that matches `text` literally (`grep -F`).
    fn literal(text: &str, ignore_case: bool) -> Pattern {
        let pieces = text
            .chars()
            .map(|c| Piece {
                atom: Atom::Literal(c),
                repeat: Repeat::Once,
            })
            .collect();
        Pattern {
            pieces,
            anchored_start: false,
            anchored_end: false,
            ignore_case,
        }
    }

    fn add_thread(&self, set: &mut [Option<usize>], state: usize, start: usize) {
        let mut state = state;
        loop {
            if set[state].is_some_and(|existing| existing <= start) {
                return;
            }
            set[state] = Some(start);
            if state < self.pieces.len() && self.pieces[state].repeat != Repeat::Once {
                state += 1;
            } else {
                return;
            }
        }
    }

    /// The leftmost-longest match at or after `from`, as character positions.
    fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let accept = self.pieces.len();
        let mut current: Vec<Option<usize>> = vec![None; accept + 1];
        let mut best: Option<(usize, usize)> = None;
        let mut pos = from;
        loop {
            if best.is_none() && (!self.anchored_start || pos == 0) {
                self.add_thread(&mut current, 0, pos);
            }
            if let Some(start) = current[accept] {
                let at_end_ok = !self.anchored_end || pos == text.len();
                let better = best.is_none_or(|(s, e)| start < s || (start == s && pos > e));
                if at_end_ok && better {
                    best = Some((start, pos));
                }
            }
            if pos >= text.len() {
                break;
            }
            let c = text[pos];
            let mut next: Vec<Option<usize>> = vec![None; accept + 1];
            for (state, thread) in current.iter().enumerate().take(accept) {
                let Some(start) = *thread else { continue };
                if best.is_some_and(|(s, _)| start > s) {
                    continue;
                }
                let piece = &self.pieces[state];
                if piece.atom.matches(c, self.ignore_case) {
                    let target = if piece.repeat == Repeat::ZeroOrMore {
                        state
                    } else {
                        state + 1
                    };
                    self.add_thread(&mut next, target, start);
                }
            }
            current = next;
            pos += 1;
            let alive = current.iter().any(Option::is_some);
            if !alive && (best.is_some() || self.anchored_start) {
                break;
            }
        }
        best
    }

    fn is_match(&self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        self.find_at(&chars, 0).is_some()
    }
}

/// One sed command: `s/pattern/replacement/flags` or `/pattern/d`.
#[derive(Debug, Clone)]
enum SedCommand {
    Substitute {
        pattern: Pattern,
        replacement: String,
        global: bool,
    },
    Delete {
        pattern: Pattern,
    },
}

/// Reads text up to an unescaped `delimiter`; `\delimiter` becomes the delimiter itself.
fn read_delimited(chars: &[char], start: usize, delimiter: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c == delimiter {
            return Some((out, i + 1));
        }
        if c == '\\' && chars.get(i + 1) == Some(&delimiter) {
            out.push(delimiter);
            i += 2;
            continue;
        }
        if c == '\\' {
            if let Some(&next) = chars.get(i + 1) {
                out.push('\\');
                out.push(next);
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    None
}

fn parse_sed_script(script: &str, extended: bool) -> Result<Vec<SedCommand>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut commands = Vec::new();
    let mut i = 0;
    let unknown =
        |i: usize, c: char| format!("-e expression #1, char {}: unknown command: `{c}'", i + 1);
    let unterminated = |i: usize| format!("-e expression #1, char {}: unterminated `s' command", i);
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ';' {
            i += 1;
            continue;
        }
        if c == '/' {
            let (source, next) =
                read_delimited(&chars, i + 1, '/').ok_or_else(|| unterminated(chars.len()))?;
            let pattern = Pattern::compile(&source, extended, false)?;
            match chars.get(next) {
                Some('d') => commands.push(SedCommand::Delete { pattern }),
                Some(&other) => return Err(unknown(next, other)),
                None => return Err(format!("-e expression #1, char {}: missing command", next)),
            }
            i = next + 1;
            continue;
        }
        if c != 's' {
            return Err(unknown(i, c));
        }
        let delimiter = *chars.get(i + 1).ok_or_else(|| unterminated(chars.len()))?;
        let (source, next) =
            read_delimited(&chars, i + 2, delimiter).ok_or_else(|| unterminated(chars.len()))?;
        let (replacement, next) =
            read_delimited(&chars, next, delimiter).ok_or_else(|| unterminated(chars.len()))?;
        let mut global = false;
        let mut ignore_case = false;
        i = next;
        while let Some(&flag) = chars.get(i) {
            match flag {
                'g' => global = true,
                'I' | 'i' => ignore_case = true,
                'p' => {}
                d if d.is_ascii_digit() => {}
                _ => break,
            }
            i += 1;
        }
        let pattern = Pattern::compile(&source, extended, ignore_case)?;
        commands.push(SedCommand::Substitute {
            pattern,
            replacement,
            global,
        });
    }
    Ok(commands)
}

/// Expands `&` (the match) and `\n`, `\t`, `\&`, `\\` in a sed replacement.
fn render_replacement(replacement: &str, matched: &str, out: &mut String) {
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(matched),
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) if other.is_ascii_digit() => {}
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            other => out.push(other),
        }
    }
}

/// Applies `s///` to one line; `None` when the result would exceed a file's size limit.
fn substitute(line: &str, pattern: &Pattern, replacement: &str, global: bool) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    while pos <= chars.len() {
        let Some((start, end)) = pattern.find_at(&chars, pos) else {
            break;
        };
        out.extend(&chars[pos..start]);
        let matched: String = chars[start..end].iter().collect();
        render_replacement(replacement, &matched, &mut out);
        if out.len() > MAX_FILE_BYTES {
            return None;
        }
        if end == start {
            if let Some(&c) = chars.get(start) {
                out.push(c);
            }
            pos = start + 1;
        } else {
            pos = end;
        }
        if !global {
            break;
        }
    }
    if pos < chars.len() {
        out.extend(&chars[pos..]);
    }
    Some(out)
}

/// Runs a sed program over text; `None` when the result would be too large.
fn run_sed(commands: &[SedCommand], text: &str) -> Option<String> {
    let mut out = String::new();
    'lines: for raw in text.split_inclusive('\n') {
        let (mut line, newline) = match raw.strip_suffix('\n') {
            Some(body) => (body.to_string(), "\n"),
            None => (raw.to_string(), ""),
        };
        for command in commands {
            match command {
                SedCommand::Delete { pattern } if pattern.is_match(&line) => continue 'lines,
                SedCommand::Delete { .. } => {}
                SedCommand::Substitute {
                    pattern,
                    replacement,
                    global,
                } => {
                    line = substitute(&line, pattern, replacement, *global)?;
                }
            }
        }
        out.push_str(&line);
        out.push_str(newline);
        if out.len() > MAX_FILE_BYTES {
            return None;
        }
    }
    Some(out)
}

impl Shell<'_> {
    fn cmd_grep(&self, tool: &str, args: &[String], stdin: &str) -> Outcome {
        let mut patterns: Vec<String> = Vec::new();
        let mut short = BTreeSet::new();
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-e", "--regexp") {
                patterns.extend(value);
            } else if arg == "--" {
                operands.extend(args[index + 1..].iter().cloned());
                break;
            } else if let Some(long) = arg.strip_prefix("--") {
                match long {
                    "quiet" | "silent" => short.insert('q'),
                    "ignore-case" => short.insert('i'),
                    "invert-match" => short.insert('v'),
                    "count" => short.insert('c'),
                    "recursive" => short.insert('r'),
                    _ => false,
                };
            } else if arg.starts_with('-') && arg.len() > 1 {
                short.extend(arg.chars().skip(1));
            } else {
                operands.push(arg.clone());
            }
            index += 1;
        }
        if patterns.is_empty() {
            if operands.is_empty() {
                return Outcome::fail(2, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.");
            }
            patterns.push(operands.remove(0));
        }
        let has = |c: char| short.contains(&c);
        let extended = has('E') || tool == "egrep";
        let ignore_case = has('i');
        let mut compiled = Vec::new();
        for source in &patterns {
            let pattern = if has('F') || tool == "fgrep" {
                Ok(Pattern::literal(source, ignore_case))
            } else {
                Pattern::compile(source, extended, ignore_case)
            };
            match pattern {
                Ok(mut pattern) => {
                    if has('x') {
                        pattern.anchored_start = true;
                        pattern.anchored_end = true;
                    }
                    compiled.push(pattern);
                }
                Err(message) => return Outcome::fail(2, &format!("grep: {message}")),
            }
        }
        let mut outcome = Outcome::success();
        let mut had_error = false;
        let recursive = has('r') || has('R');
        let mut sources: Vec<(String, String)> = Vec::new();
        if operands.is_empty() && !recursive {
            sources.push(("(standard input)".into(), stdin.to_string()));
        }
        let operands = if operands.is_empty() && recursive {
            vec![".".to_string()]
        } else {
            operands
        };
        for operand in &operands {
            let path = self.path(operand);
            let live = &self.guest.live;
            if live.is_dir(&path) {
                if recursive {
                    let (files, _) = live.subtree(&path);
                    for file in files {
                        let shown = format!(
                            "{}{}",
                            operand.trim_end_matches('/'),
                            &file[path.len().min(file.len())..]
                        );
                        let shown = if path == "/" { file.clone() } else { shown };
                        sources.push((shown, live.files.get(&file).cloned().unwrap_or_default()));
                    }
                } else {
                    had_error = true;
                    if !has('s') {
                        outcome.warn(&format!("grep: {operand}: Is a directory"));
                    }
                }
                continue;
            }
            match self.read_path(operand) {
                Ok(content) => sources.push((operand.clone(), content)),
                Err(e) => {
                    had_error = true;
                    if !has('s') {
                        outcome.warn(&format!("grep: {operand}: {}", e.describe()));
                    }
                }
            }
        }
        let prefix_names = (sources.len() > 1 || recursive) && !has('h');
        let mut matched_any = false;
        for (name, content) in &sources {
            let mut count = 0;
            for (number, line) in content.lines().enumerate() {
                let hit = compiled.iter().any(|p| p.is_match(line)) != has('v');
                if !hit {
                    continue;
                }
                count += 1;
                matched_any = true;
                if has('q') || has('c') || has('l') {
                    continue;
                }
                let mut shown = String::new();
                if prefix_names {
                    shown.push_str(&format!("{name}:"));
                }
                if has('n') {
                    shown.push_str(&format!("{}:", number + 1));
                }
                shown.push_str(line);
                shown.push('\n');
                push_bounded(&mut outcome.out, &shown);
            }
            if has('c') && !has('q') {
                let label = if prefix_names {
                    format!("{name}:")
                } else {
                    String::new()
                };
                outcome.say(&format!("{label}{count}"));
            }
            if has('l') && count > 0 && !has('q') {
                outcome.say(name);
            }
        }
        outcome.status = if had_error && !(has('q') && matched_any) {
            2
        } else if matched_any {
            0
        } else {
            1
        };
        outcome
    }

    fn cmd_sed(&mut self, args: &[String], stdin: &str) -> Outcome {
        let mut scripts: Vec<String> = Vec::new();
        let mut in_place: Option<String> = None;
        let mut extended = false;
        let mut quiet = false;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-e", "--expression") {
                scripts.extend(value);
            } else if arg == "-i" || arg == "--in-place" {
                in_place = Some(String::new());
            } else if let Some(suffix) = arg.strip_prefix("-i") {
                in_place = Some(suffix.to_string());
            } else if arg == "-E" || arg == "-r" || arg == "--regexp-extended" {
                extended = true;
            } else if arg == "-n" || arg == "--quiet" {
                quiet = true;
            } else if arg.starts_with('-') && arg.len() > 1 {
                // other options (-s, -u, --follow-symlinks) change nothing here
            } else {
                operands.push(arg.clone());
            }
            index += 1;
        }
        if scripts.is_empty() {
            if operands.is_empty() {
                return Outcome::fail(
                    1,
                    "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...",
                );
            }
            scripts.push(operands.remove(0));
        }
        let commands = match parse_sed_script(&scripts.join("\n"), extended) {
            Ok(commands) => commands,
            Err(message) => return Outcome::fail(1, &format!("sed: {message}")),
        };
        let mut outcome = Outcome::success();
        let Some(suffix) = in_place else {
            let sources = if operands.is_empty() {
                vec![stdin.to_string()]
            } else {
                let mut found = Vec::new();
                for file in &operands {
                    match self.read_path(file) {
                        Ok(content) => found.push(content),
                        Err(e) => {
                            outcome.error(2, &format!("sed: can't read {file}: {}", e.describe()))
                        }
                    }
                }
                found
            };
            for source in sources {
                match run_sed(&commands, &source) {
                    Some(result) if !quiet => push_bounded(&mut outcome.out, &result),
                    Some(_) => {}
                    None => outcome.error(4, "sed: couldn't write: No space left on device"),
                }
            }
            return outcome;
        };
        if operands.is_empty() {
            return Outcome::fail(1, "sed: no input files");
        }
        for file in &operands {
            let content = match self.read_path(file) {
                Ok(content) => content,
                Err(e) => {
                    outcome.error(2, &format!("sed: can't read {file}: {}", e.describe()));
                    continue;
                }
            };
            let Some(result) = run_sed(&commands, &content) else {
                outcome.error(
                    4,
                    &format!("sed: couldn't write to {file}: No space left on device"),
                );
                continue;
            };
            if !suffix.is_empty() {
                if let Err(e) = self.write_path(&format!("{file}{suffix}"), content, false) {
                    outcome.error(
                        4,
                        &format!("sed: couldn't open file {file}{suffix}: {}", e.describe()),
                    );
                    continue;
                }
            }
            if let Err(e) = self.write_path(file, result, false) {
                outcome.error(
                    4,
                    &format!("sed: couldn't write to {file}: {}", e.describe()),
                );
            }
        }
        outcome
    }
}

// ======================================================================================
// Shell: system information
// ======================================================================================

fn pretty_name(os: OsFamily) -> &'static str {
    os_release(os)
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"'))
        .unwrap_or("Microsoft Windows Server 2022 Datacenter")
}

impl Shell<'_> {
    fn private_ip(&self) -> String {
        self.guest
            .metadata
            .get("meta-data/local-ipv4")
            .cloned()
            .unwrap_or_else(|| "172.31.16.10".to_string())
    }

    fn cmd_hostname(&self, args: &[String]) -> Outcome {
        let hostname = self.guest.hostname();
        match args.first().map(String::as_str) {
            None => Outcome::print(format!("{hostname}\n")),
            Some("-I" | "-i" | "--all-ip-addresses" | "--ip-address") => {
                Outcome::print(format!("{}\n", self.private_ip()))
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

    fn cmd_hostnamectl(&mut self, args: &[String]) -> Outcome {
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

    fn cmd_uname(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.guest.os;
        let fields: [(char, String); 8] = [
            ('s', "Linux".to_string()),
            ('n', self.guest.hostname()),
            ('r', os.kernel_release().to_string()),
            ('v', "#1 SMP PREEMPT_DYNAMIC".to_string()),
            ('m', "x86_64".to_string()),
            ('p', "x86_64".to_string()),
            ('i', "x86_64".to_string()),
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

    fn cmd_id(&self, args: &[String]) -> Outcome {
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
        let gid = guest
            .groups
            .get(&account.group)
            .copied()
            .unwrap_or(account.uid);
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

    fn cmd_which(&self, args: &[String]) -> Outcome {
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
fn cmd_date(args: &[String]) -> Outcome {
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

fn cmd_sleep(args: &[String]) -> Outcome {
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

// ======================================================================================
// Shell: package managers
// ======================================================================================

const APT_PREAMBLE: &str =
    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";
const YUM_PLUGINS: &str =
    "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd\n";

impl Shell<'_> {
    fn os(&self) -> OsFamily {
        self.guest.os
    }

    /// Installs a plan's packages; on Ubuntu their services are enabled and started right away,
    /// as Debian packages do. Returns the units that failed to start.
    fn apply_install(&mut self, plan: &InstallPlan) -> Result<Vec<String>, (String, FsError)> {
        self.guest.install_all(&plan.install)?;
        let mut failed = Vec::new();
        if self.os().is_debian() {
            for spec in &plan.install {
                for unit in spec.services {
                    self.guest.set_enabled(unit, true);
                    if self.guest.start_unit(unit).is_err() {
                        failed.push(unit.to_string());
                    }
                }
            }
        }
        Ok(failed)
    }

    fn cmd_dnf(&mut self, tool: &str, args: &[String]) -> Outcome {
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
                let mut outcome = Outcome::print(if yum3 { YUM_PLUGINS } else { "" });
                outcome.say("Installed Packages");
                for spec in self
                    .guest
                    .packages
                    .iter()
                    .filter_map(|p| installed_spec(self.os(), p))
                {
                    outcome.say(&format!(
                        "{:<40} {:<28} @{}",
                        format!("{}.x86_64", spec.name),
                        format!("{}-1.{}", spec.version, self.os().rpm_release()),
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
            Outcome::print("Dependencies resolved.\nNothing to do.\nComplete!\n")
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
        let mut outcome = Outcome::print(if yum3 { YUM_PLUGINS } else { "" });
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
                "Dependencies resolved.\nNothing to do.\nComplete!\n"
            });
            return outcome;
        }
        outcome.say(if yum3 {
            "Resolving Dependencies"
        } else {
            "Dependencies resolved."
        });
        outcome.say("Installing:");
        for spec in &plan.install {
            outcome.say(&format!(
                " {:<32} x86_64  {:<28} {}",
                spec.name,
                format!("{}-1.{}", spec.version, os.rpm_release()),
                os.repo_name()
            ));
        }
        if let Err((name, e)) = self.apply_install(&plan) {
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

    /// Installed package names a removal request refers to (provides resolved), and the rest.
    fn split_installed(&self, names: &[&str], channel: Channel) -> (Vec<String>, Vec<String>) {
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for &name in names {
            let resolved = resolve_package(self.os(), name, channel).map_or(name, |s| s.name);
            if self.guest.packages.contains(resolved) {
                if !present.iter().any(|p: &String| p == resolved) {
                    present.push(resolved.to_string());
                }
            } else {
                absent.push(name.to_string());
            }
        }
        (present, absent)
    }

    fn rpm_remove(&mut self, names: &[&str], yum3: bool) -> Outcome {
        if names.is_empty() {
            return Outcome::fail(1, "Error: Need to pass a list of pkgs to remove");
        }
        let os = self.os();
        let (present, absent) = self.split_installed(names, Channel::Repo);
        let removal = self.guest.removal_set(&present);
        let protected: Vec<&String> = removal
            .iter()
            .filter(|p| PROTECTED_PACKAGES.contains(&p.as_str()))
            .collect();
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
        let mut outcome = Outcome::print(if yum3 { YUM_PLUGINS } else { "" });
        for name in &absent {
            outcome.say(&format!(
                "No {} for argument: {name}",
                if yum3 { "Match" } else { "match" }
            ));
        }
        if removal.is_empty() {
            outcome.out.push_str(if yum3 {
                "No Packages marked for removal\n"
            } else {
                "No packages marked for removal.\nDependencies resolved.\nNothing to do.\nComplete!\n"
            });
            return outcome;
        }
        outcome.say(if yum3 {
            "Resolving Dependencies"
        } else {
            "Dependencies resolved."
        });
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

    fn cmd_apt(&mut self, tool: &str, args: &[String]) -> Outcome {
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
                    for spec in self.guest.packages.iter().filter_map(|p| installed_spec(self.os(), p)) {
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
                outcome.say(&format!(
                    "Created symlink /etc/systemd/system/multi-user.target.wants/{unit}.service → /usr/lib/systemd/system/{unit}.service."
                ));
            }
        }
        match self.apply_install(&plan) {
            Err((name, e)) => {
                outcome.error(
                    100,
                    &format!("dpkg: error processing archive {name}: {}", e.describe()),
                );
                outcome.warn("E: Sub-process /usr/bin/dpkg returned an error code (1)");
            }
            Ok(failed) if !failed.is_empty() => {
                for unit in &failed {
                    outcome.warn(&format!("Job for {unit}.service failed because the control process exited with error code.\nSee \"systemctl status {unit}.service\" and \"journalctl -xeu {unit}.service\" for details.\ninvoke-rc.d: initscript {unit}, action \"start\" failed."));
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
        let (present, absent) = self.split_installed(names, Channel::Repo);
        for name in &absent {
            outcome.say(&format!(
                "Package '{name}' is not installed, so not removed"
            ));
        }
        let removal = self.guest.removal_set(&present);
        if removal
            .iter()
            .any(|p| PROTECTED_PACKAGES.contains(&p.as_str()))
        {
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

    fn cmd_snap(&mut self, args: &[String]) -> Outcome {
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

    fn cmd_extras(&mut self, args: &[String]) -> Outcome {
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

    fn cmd_rpm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.os();
        if flags.long.contains("version") {
            return Outcome::print("RPM version 4.16.1.3\n");
        }
        let mut outcome = Outcome::success();
        if flags.has('q') {
            if flags.has('a') {
                for spec in self
                    .guest
                    .packages
                    .iter()
                    .filter_map(|p| installed_spec(os, p))
                {
                    outcome.say(&spec.rpm_nevra(os));
                }
                return outcome;
            }
            if flags.operands.is_empty() {
                return Outcome::fail(1, "rpm: no arguments given for query");
            }
            for name in &flags.operands {
                match installed_spec(os, name)
                    .filter(|_| self.guest.packages.contains(name.as_str()))
                {
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
                } else if PROTECTED_PACKAGES.contains(&name.as_str()) {
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

    fn cmd_dpkg(&mut self, tool: &str, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let os = self.os();
        let installed =
            |name: &str| installed_spec(os, name).filter(|_| self.guest.packages.contains(name));
        let mut outcome = Outcome::success();
        if flags.any('s', "status") {
            for name in &flags.operands {
                match installed(name) {
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
            for spec in self
                .guest
                .packages
                .iter()
                .filter_map(|p| installed_spec(os, p))
            {
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
                match installed(name) {
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
                match installed(name) {
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

// ======================================================================================
// Shell: services
// ======================================================================================

fn start_failure_message(unit: &str) -> String {
    format!(
        "Job for {unit}.service failed because the control process exited with error code.\nSee \"systemctl status {unit}.service\" and \"journalctl -xeu {unit}.service\" for details."
    )
}

impl Shell<'_> {
    fn cmd_systemctl(&mut self, args: &[String]) -> Outcome {
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
                    outcome.warn(&format!(
                        "Created symlink /etc/systemd/system/multi-user.target.wants/{unit}.service → /usr/lib/systemd/system/{unit}.service."
                    ));
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

    fn cmd_service(&mut self, args: &[String]) -> Outcome {
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

    fn cmd_chkconfig(&mut self, args: &[String]) -> Outcome {
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

// ======================================================================================
// Shell: users and groups
// ======================================================================================

fn valid_account_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_lowercase());
    let body = name.trim_end_matches('$');
    first_ok
        && name.len() <= 32
        && body.chars().all(|c| {
            c == '_' || c == '-' || c == '.' || c.is_ascii_lowercase() || c.is_ascii_digit()
        })
}

fn account_error_message(tool: &str, name: &str, error: &AccountError) -> (i32, String) {
    match error {
        AccountError::Exists => (9, format!("{tool}: user '{name}' already exists")),
        AccountError::GroupMissing(group) => (6, format!("{tool}: group '{group}' does not exist")),
        AccountError::GroupExists => (
            9,
            format!(
                "{tool}: group {name} exists - if you want to add this user to that group, use -g."
            ),
        ),
        AccountError::UidTaken(uid) => (4, format!("{tool}: UID {uid} is not unique")),
        AccountError::TooMany => (
            1,
            format!("{tool}: cannot add user '{name}': too many accounts (simulator limit)"),
        ),
    }
}

impl Shell<'_> {
    fn cmd_useradd(&mut self, tool: &str, args: &[String]) -> Outcome {
        let mut request = NewAccount {
            create_home: !self.os().is_debian(),
            ..NewAccount::default()
        };
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            let takes_value = matches!(
                arg,
                "-s" | "--shell"
                    | "-G"
                    | "--groups"
                    | "-g"
                    | "--gid"
                    | "-d"
                    | "--home-dir"
                    | "--home"
                    | "-u"
                    | "--uid"
                    | "-c"
                    | "--comment"
                    | "-p"
                    | "--password"
                    | "-e"
                    | "--expiredate"
                    | "-k"
                    | "--skel"
                    | "-f"
                    | "--inactive"
                    | "-K"
                    | "--key"
            );
            if takes_value {
                let Some(value) = args.get(index + 1).cloned() else {
                    return Outcome::fail(
                        2,
                        &format!(
                            "{tool}: option requires an argument -- '{}'",
                            arg.trim_start_matches('-')
                        ),
                    );
                };
                match arg {
                    "-s" | "--shell" => request.shell = Some(value),
                    "-G" | "--groups" => {
                        request.supplementary = value
                            .split(',')
                            .filter(|g| !g.is_empty())
                            .map(str::to_string)
                            .collect()
                    }
                    "-g" | "--gid" => request.primary = Some(value),
                    "-d" | "--home-dir" | "--home" => request.home = Some(value),
                    "-u" | "--uid" => match value.parse() {
                        Ok(uid) => request.uid = Some(uid),
                        Err(_) => {
                            return Outcome::fail(3, &format!("{tool}: invalid user ID '{value}'"))
                        }
                    },
                    _ => {}
                }
                index += 2;
                continue;
            }
            match arg {
                "-m" | "--create-home" => request.create_home = true,
                "-M" | "--no-create-home" => request.create_home = false,
                "-r" | "--system" => {
                    request.system = true;
                    request.create_home = false;
                }
                "-U" | "-N" | "-o" | "-l" | "--user-group" | "--no-user-group" | "--non-unique"
                | "--no-log-init" => {}
                flag if flag.starts_with('-') && flag.len() > 1 => {
                    for c in flag.chars().skip(1) {
                        match c {
                            'm' => request.create_home = true,
                            'M' => request.create_home = false,
                            'r' => request.system = true,
                            'U' | 'N' | 'o' | 'l' => {}
                            other => {
                                return Outcome::fail(
                                    2,
                                    &format!("{tool}: invalid option -- '{other}'"),
                                )
                            }
                        }
                    }
                }
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, &format!("Usage: {tool} [options] LOGIN"));
        };
        if !valid_account_name(name) {
            return Outcome::fail(3, &format!("{tool}: invalid user name '{name}'"));
        }
        request.name = name.clone();
        match self.guest.create_account(&request) {
            Ok(None) => Outcome::success(),
            Ok(Some(e)) => {
                let home = request
                    .home
                    .clone()
                    .unwrap_or_else(|| format!("/home/{name}"));
                Outcome::fail(
                    12,
                    &format!("{tool}: cannot create directory {home}: {}", e.describe()),
                )
            }
            Err(error) => {
                let (status, message) = account_error_message(tool, name, &error);
                Outcome::fail(status, &message)
            }
        }
    }

    /// Debian's `adduser`: `adduser NAME` creates an account with a home directory;
    /// `adduser NAME GROUP` adds an existing user to a group.
    fn cmd_adduser(&mut self, args: &[String]) -> Outcome {
        let mut request = NewAccount {
            create_home: true,
            shell: Some("/bin/bash".into()),
            ..NewAccount::default()
        };
        let mut positional = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            match arg {
                "--gecos" | "--comment" | "--uid" | "--gid" | "--shell" | "--home"
                | "--ingroup" | "--firstuid" | "--lastuid" => {
                    let value = args.get(index + 1).cloned().unwrap_or_default();
                    match arg {
                        "--shell" => request.shell = Some(value),
                        "--home" => request.home = Some(value),
                        "--ingroup" => request.primary = Some(value),
                        "--uid" => request.uid = value.parse().ok(),
                        _ => {}
                    }
                    index += 2;
                    continue;
                }
                "--system" => request.system = true,
                "--no-create-home" => request.create_home = false,
                flag if flag.starts_with('-') => {}
                name => positional.push(name.to_string()),
            }
            index += 1;
        }
        match positional.as_slice() {
            [user, group] => {
                if !self.guest.users.contains_key(user) {
                    return Outcome::fail(1, &format!("fatal: The user `{user}' does not exist."));
                }
                if !self.guest.groups.contains_key(group) {
                    return Outcome::fail(
                        1,
                        &format!("fatal: The group `{group}' does not exist."),
                    );
                }
                if let Some(account) = self.guest.users.get_mut(user) {
                    account.groups.insert(group.clone());
                }
                Outcome::print(format!(
                    "info: Adding user `{user}' to group `{group}' ...\n"
                ))
            }
            [name] => {
                if !valid_account_name(name) {
                    return Outcome::fail(1, "fatal: Please enter a username matching the regular expression\nconfigured via the NAME_REGEX configuration variable.  Use the `--allow-bad-names'\noption to relax this check or reconfigure NAME_REGEX.");
                }
                request.name = name.clone();
                match self.guest.create_account(&request) {
                    Ok(_) => {
                        let uid = self.guest.uid_of(name).unwrap_or_default();
                        let group = self
                            .guest
                            .users
                            .get(name)
                            .map(|a| a.group.clone())
                            .unwrap_or_default();
                        let gid = self.guest.groups.get(&group).copied().unwrap_or(uid);
                        let home = self
                            .guest
                            .users
                            .get(name)
                            .map(|a| a.home.clone())
                            .unwrap_or_default();
                        let mut outcome = Outcome::success();
                        outcome.say(&format!("info: Adding user `{name}' ..."));
                        outcome.say("info: Selecting UID/GID from range 1000 to 59999 ...");
                        outcome.say(&format!("info: Adding new group `{group}' ({gid}) ..."));
                        outcome.say(&format!("info: Adding new user `{name}' ({uid}) with group `{group} ({gid})' ..."));
                        outcome.say(&format!("info: Creating home directory `{home}' ..."));
                        outcome.say("info: Copying files from `/etc/skel' ...");
                        outcome
                    }
                    Err(AccountError::Exists) => {
                        Outcome::fail(1, &format!("fatal: The user `{name}' already exists."))
                    }
                    Err(error) => {
                        let (status, message) = account_error_message("adduser", name, &error);
                        Outcome::fail(status, &message)
                    }
                }
            }
            _ => Outcome::fail(1, "fatal: Only one or two names allowed."),
        }
    }

    fn cmd_userdel(&mut self, tool: &str, args: &[String]) -> Outcome {
        let remove_home = args
            .iter()
            .any(|a| a == "-r" || a == "--remove" || a == "--remove-home" || a == "-rf");
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let [name] = names.as_slice() else {
            return Outcome::fail(2, &format!("Usage: {tool} [options] LOGIN"));
        };
        if name.as_str() == "root" {
            return Outcome::fail(
                8,
                &format!("{tool}: user root is currently used by process 1"),
            );
        }
        if self.guest.delete_account(name, remove_home) {
            Outcome::success()
        } else if tool == "deluser" {
            Outcome::fail(2, &format!("fatal: The user `{name}' does not exist."))
        } else {
            Outcome::fail(6, &format!("{tool}: user '{name}' does not exist"))
        }
    }

    fn cmd_usermod(&mut self, args: &[String]) -> Outcome {
        let mut append = false;
        let mut groups: Option<Vec<String>> = None;
        let mut shell = None;
        let mut home = None;
        let mut primary = None;
        let mut lock = None;
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            let value = args.get(index + 1).cloned();
            match arg {
                "-aG" | "-Ga" => {
                    append = true;
                    groups = value.map(|v| v.split(',').map(str::to_string).collect());
                    index += 1;
                }
                "-G" | "--groups" => {
                    groups = value.map(|v| v.split(',').map(str::to_string).collect());
                    index += 1;
                }
                "-a" | "--append" => append = true,
                "-s" | "--shell" => {
                    shell = value;
                    index += 1;
                }
                "-d" | "--home" => {
                    home = value;
                    index += 1;
                }
                "-g" | "--gid" => {
                    primary = value;
                    index += 1;
                }
                "-L" | "--lock" => lock = Some(true),
                "-U" | "--unlock" => lock = Some(false),
                "-c" | "--comment" | "-e" | "-f" | "-l" | "-u" | "-p" => index += 1,
                flag if flag.starts_with('-') => {}
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, "Usage: usermod [options] LOGIN");
        };
        if !self.guest.users.contains_key(name) {
            return Outcome::fail(6, &format!("usermod: user '{name}' does not exist"));
        }
        let wanted = groups.iter().flatten().chain(primary.iter());
        if let Some(missing) = wanted
            .into_iter()
            .find(|g| !self.guest.groups.contains_key(*g))
        {
            return Outcome::fail(6, &format!("usermod: group '{missing}' does not exist"));
        }
        if let Some(account) = self.guest.users.get_mut(name) {
            if let Some(groups) = groups {
                if !append {
                    account.groups.clear();
                }
                account.groups.extend(groups);
            }
            if let Some(shell) = shell {
                account.shell = shell;
            }
            if let Some(home) = home {
                account.home = home;
            }
            if let Some(primary) = primary {
                account.group = primary;
            }
            if let Some(lock) = lock {
                account.locked = lock;
            }
        }
        Outcome::success()
    }

    fn cmd_groupadd(&mut self, args: &[String]) -> Outcome {
        let force = args.iter().any(|a| a == "-f" || a == "--force");
        let system = args.iter().any(|a| a == "-r" || a == "--system");
        let mut gid = None;
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-g" | "--gid" => {
                    gid = args.get(index + 1).and_then(|v| v.parse::<u32>().ok());
                    index += 1;
                }
                flag if flag.starts_with('-') => {}
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, "Usage: groupadd [options] GROUP");
        };
        if !valid_account_name(name) {
            return Outcome::fail(3, &format!("groupadd: '{name}' is not a valid group name"));
        }
        if self.guest.groups.contains_key(name) {
            return if force {
                Outcome::success()
            } else {
                Outcome::fail(9, &format!("groupadd: group '{name}' already exists"))
            };
        }
        if self.guest.groups.len() >= MAX_ACCOUNTS {
            return Outcome::fail(1, "groupadd: too many groups (simulator limit)");
        }
        let gid = match gid {
            Some(gid) if self.guest.gid_in_use(gid) => {
                return Outcome::fail(4, &format!("groupadd: GID '{gid}' already exists"))
            }
            Some(gid) => gid,
            None if system => self.guest.next_system_id(),
            None => self.guest.next_regular_gid(),
        };
        self.guest.add_group(name, gid);
        Outcome::success()
    }

    fn cmd_groupdel(&mut self, args: &[String]) -> Outcome {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            return Outcome::fail(2, "Usage: groupdel [options] GROUP");
        };
        if !self.guest.groups.contains_key(name) {
            return Outcome::fail(6, &format!("groupdel: group '{name}' does not exist"));
        }
        if let Some((user, _)) = self.guest.users.iter().find(|(_, a)| &a.group == name) {
            return Outcome::fail(
                8,
                &format!("groupdel: cannot remove the primary group of user '{user}'"),
            );
        }
        self.guest.groups.remove(name);
        for account in self.guest.users.values_mut() {
            account.groups.remove(name);
        }
        Outcome::success()
    }

    fn cmd_passwd(&mut self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let name = flags
            .operands
            .first()
            .cloned()
            .unwrap_or_else(|| "root".to_string());
        if !self.guest.users.contains_key(&name) {
            return Outcome::fail(1, &format!("passwd: user '{name}' does not exist"));
        }
        let debian = self.os().is_debian();
        if flags.any('l', "lock") || flags.any('u', "unlock") {
            let lock = flags.any('l', "lock");
            if let Some(account) = self.guest.users.get_mut(&name) {
                account.locked = lock;
            }
            return if debian {
                Outcome::print("passwd: password changed.\n")
            } else {
                let verb = if lock { "Locking" } else { "Unlocking" };
                Outcome::print(format!(
                    "{verb} password for user {name}.\npasswd: Success\n"
                ))
            };
        }
        if flags.any('d', "delete") || flags.any('e', "expire") {
            return Outcome::print(if debian {
                "passwd: password changed.\n"
            } else {
                "Expiring password for user.\npasswd: Success\n"
            });
        }
        if flags.long.contains("stdin") && !debian && !stdin.is_empty() {
            return Outcome::print(format!(
                "Changing password for user {name}.\npasswd: all authentication tokens updated successfully.\n"
            ));
        }
        // SSM gives the command no terminal, so an interactive prompt reads end-of-file.
        Outcome::fail(
            10,
            "passwd: Authentication token manipulation error\npasswd: password unchanged",
        )
    }

    fn cmd_chpasswd(&self, stdin: &str) -> Outcome {
        let mut outcome = Outcome::success();
        for (number, line) in stdin
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let user = line.split(':').next().unwrap_or("");
            if !line.contains(':') {
                outcome.error(
                    1,
                    &format!("chpasswd: line {}: missing new password", number + 1),
                );
            } else if !self.guest.users.contains_key(user) {
                outcome.error(
                    1,
                    &format!(
                        "chpasswd: line {}: user '{user}' does not exist",
                        number + 1
                    ),
                );
            }
        }
        outcome
    }
}

// ======================================================================================
// Shell: network, language tools and the rest
// ======================================================================================

#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

fn parse_url(raw: &str) -> Option<Url> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), raw),
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !host.is_empty() => {
            (host, port.parse().ok()?)
        }
        _ => (authority, default_port),
    };
    if host.is_empty() {
        return None;
    }
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    Some(Url {
        scheme,
        host: host.trim_matches(['[', ']']).to_ascii_lowercase(),
        port,
        path,
    })
}

/// What an HTTP request from inside the guest gets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fetch {
    Reply(HttpReply),
    Refused,
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Unknown",
    }
}

/// The repository name `git clone` derives from a URL.
fn repo_name(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() {
        "repo".to_string()
    } else {
        name.to_string()
    }
}

/// `express@4.18` → `express`, `@types/node@20` → `@types/node`; `None` if not a valid name.
fn npm_package_name(spec: &str) -> Option<String> {
    let name = match spec.strip_prefix('@') {
        Some(scoped) => format!("@{}", scoped.split('@').next().unwrap_or("")),
        None => spec.split('@').next().unwrap_or("").to_string(),
    };
    let valid = !name.is_empty()
        && name.len() <= 214
        && !name.starts_with(['.', '_'])
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~/@".contains(c));
    valid.then_some(name)
}

/// `Flask[async]>=2.0` → `flask`; `None` for an empty requirement.
fn pip_package_name(spec: &str) -> Option<String> {
    let end = spec
        .find(['=', '<', '>', '!', '~', ';', '[', ' ', '@'])
        .unwrap_or(spec.len());
    let name = spec[..end].trim().to_ascii_lowercase().replace('_', "-");
    let valid = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c));
    valid.then_some(name)
}

const PIP_ROOT_WARNING: &str = "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv";
const PEP668_ERROR: &str = "error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.\n\n    If you wish to install a non-Debian-packaged Python package,\n    create a virtual environment using python3 -m venv path/to/venv.\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.";

impl Shell<'_> {
    fn is_local_host(&self, host: &str) -> bool {
        matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1")
            || host == self.guest.hostname().to_ascii_lowercase()
            || host == self.private_ip()
    }

    /// Local web servers and the instance metadata service are simulated; any other host
    /// answers with a placeholder body (a comment line, so `curl … | bash` does nothing).
    fn fetch(&self, url: &Url, method: &str) -> Fetch {
        if self.is_local_host(&url.host) {
            let served = if url.scheme == "https" {
                None
            } else {
                self.guest.serve_http(url.port, &url.path)
            };
            return served.map_or(Fetch::Refused, Fetch::Reply);
        }
        if url.host == IMDS_HOST {
            return Fetch::Reply(self.imds(&url.path, method));
        }
        let body = format!(
            "# simulated download of {}://{}{}\n",
            url.scheme, url.host, url.path
        );
        Fetch::Reply(HttpReply {
            status: 200,
            body,
            server: "AmazonS3".into(),
        })
    }

    fn imds(&self, path: &str, method: &str) -> HttpReply {
        let reply = |status: u16, body: String| HttpReply {
            status,
            body,
            server: "EC2ws".into(),
        };
        let not_found = || {
            reply(
                404,
                "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>404 - Not Found</title>\n"
                    .into(),
            )
        };
        let key = path
            .trim_start_matches('/')
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        let Some(key) = key
            .strip_prefix("latest")
            .map(|k| k.trim_start_matches('/'))
        else {
            return not_found();
        };
        if key == "api/token" {
            return if method == "PUT" {
                reply(200, IMDS_TOKEN.into())
            } else {
                reply(405, String::new())
            };
        }
        if let Some(value) = self.guest.metadata.get(key) {
            return reply(200, value.clone());
        }
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let mut children = BTreeSet::new();
        for stored in self
            .guest
            .metadata
            .keys()
            .filter(|k| k.starts_with(&prefix))
        {
            let rest = &stored[prefix.len()..];
            children.insert(match rest.split_once('/') {
                Some((dir, _)) => format!("{dir}/"),
                None => rest.to_string(),
            });
        }
        if children.is_empty() {
            not_found()
        } else {
            reply(200, children.into_iter().collect::<Vec<_>>().join("\n"))
        }
    }

    fn cmd_curl(&mut self, args: &[String]) -> Outcome {
        let mut silent = false;
        let mut show_error = false;
        let mut fail = false;
        let mut head = false;
        let mut include = false;
        let mut remote_name = false;
        let mut output: Option<String> = None;
        let mut write_out: Option<String> = None;
        let mut method = "GET".to_string();
        let mut url: Option<String> = None;
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            let take_value = |index: &mut usize, inline: Option<&str>| -> String {
                match inline {
                    Some(v) if !v.is_empty() => v.to_string(),
                    _ => {
                        *index += 1;
                        args.get(*index).cloned().unwrap_or_default()
                    }
                }
            };
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (long, None),
                };
                match name {
                    "silent" => silent = true,
                    "show-error" => show_error = true,
                    "fail" | "fail-with-body" => fail = true,
                    "head" => head = true,
                    "include" => include = true,
                    "remote-name" => remote_name = true,
                    "output" => output = Some(take_value(&mut index, inline)),
                    "write-out" => write_out = Some(take_value(&mut index, inline)),
                    "request" => method = take_value(&mut index, inline),
                    "data" | "data-raw" | "data-binary" | "data-urlencode" | "json" | "form"
                    | "upload-file" => {
                        take_value(&mut index, inline);
                        if method == "GET" {
                            method = "POST".into();
                        }
                    }
                    "header" | "max-time" | "connect-timeout" | "retry" | "retry-delay"
                    | "user-agent" | "user" | "cacert" | "cert" | "proxy" | "resolve"
                    | "retry-max-time" => {
                        take_value(&mut index, inline);
                    }
                    _ => {}
                }
            } else if arg.len() > 1 && arg.starts_with('-') {
                let cluster: Vec<char> = arg[1..].chars().collect();
                for (position, c) in cluster.iter().enumerate() {
                    if "oXHdmwAuTFe".contains(*c) {
                        let rest: String = cluster[position + 1..].iter().collect();
                        let value = take_value(&mut index, Some(&rest));
                        match c {
                            'o' => output = Some(value),
                            'X' => method = value,
                            'w' => write_out = Some(value),
                            'd' | 'T' | 'F' if method == "GET" => method = "POST".into(),
                            _ => {}
                        }
                        break;
                    }
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        'O' => remote_name = true,
                        _ => {}
                    }
                }
            } else if url.is_none() {
                url = Some(arg.clone());
            }
            index += 1;
        }
        let Some(raw) = url else {
            return Outcome::fail(2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information");
        };
        let mut outcome = Outcome::success();
        // `-s` hides curl's own error messages unless `-S` brings them back.
        let report = !silent || show_error;
        let fail_with = |outcome: &mut Outcome, code: i32, message: String| {
            outcome.status = code;
            if report {
                outcome.warn(&format!("curl: ({code}) {message}"));
            }
        };
        let Some(parsed) = parse_url(&raw) else {
            fail_with(
                &mut outcome,
                3,
                "URL rejected: Malformed input to a URL function".into(),
            );
            return outcome;
        };
        if !matches!(parsed.scheme.as_str(), "http" | "https") {
            fail_with(
                &mut outcome,
                1,
                format!("Protocol \"{}\" not supported", parsed.scheme),
            );
            return outcome;
        }
        let write_code = |outcome: &mut Outcome, code: &str| {
            if let Some(format) = &write_out {
                outcome.out.push_str(&interpret_escapes(
                    &format
                        .replace("%{http_code}", code)
                        .replace("%{response_code}", code),
                ));
            }
        };
        let reply = match self.fetch(&parsed, &method) {
            Fetch::Refused => {
                write_code(&mut outcome, "000");
                fail_with(
                    &mut outcome,
                    7,
                    format!(
                        "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        parsed.host, parsed.port
                    ),
                );
                return outcome;
            }
            Fetch::Reply(reply) => reply,
        };
        if fail && reply.status >= 400 {
            write_code(&mut outcome, &reply.status.to_string());
            fail_with(
                &mut outcome,
                22,
                format!("The requested URL returned error: {}", reply.status),
            );
            return outcome;
        }
        let headers = format!(
            "HTTP/1.1 {} {}\nServer: {}\nContent-Type: text/html\nContent-Length: {}\n\n",
            reply.status,
            reason_phrase(reply.status),
            reply.server,
            reply.body.len()
        );
        let payload = if head {
            headers
        } else if include {
            format!("{headers}{}", reply.body)
        } else {
            reply.body
        };
        let target = output.or_else(|| {
            remote_name.then(|| {
                let name = base_name(&parsed.path);
                if name.is_empty() {
                    "index.html".to_string()
                } else {
                    name.to_string()
                }
            })
        });
        match target {
            Some(file) if file != "-" => {
                if let Err(e) = self.write_path(&file, payload, false) {
                    fail_with(
                        &mut outcome,
                        23,
                        format!("Failure writing output to destination: {}", e.describe()),
                    );
                    return outcome;
                }
            }
            _ => outcome.out.push_str(&payload),
        }
        write_code(&mut outcome, &reply.status.to_string());
        outcome
    }

    fn cmd_wget(&mut self, args: &[String]) -> Outcome {
        let mut quiet = false;
        let mut output: Option<String> = None;
        let mut url = None;
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-O", "--output-document") {
                output = value;
            } else if arg == "-q" || arg == "--quiet" {
                quiet = true;
            } else if let Some(rest) = arg.strip_prefix("-q").filter(|r| r.starts_with('O')) {
                quiet = true;
                output = Some(if rest.len() > 1 {
                    rest[1..].to_string()
                } else {
                    index += 1;
                    args.get(index).cloned().unwrap_or_default()
                });
            } else if !arg.starts_with('-') && url.is_none() {
                url = Some(arg.clone());
            }
            index += 1;
        }
        let Some(raw) = url else {
            return Outcome::fail(1, "wget: missing URL\nUsage: wget [OPTION]... [URL]...");
        };
        let Some(parsed) = parse_url(&raw) else {
            return Outcome::fail(1, &format!("{raw}: Invalid URL"));
        };
        let reply = match self.fetch(&parsed, "GET") {
            Fetch::Refused => {
                return Outcome::fail(
                    4,
                    &format!(
                        "Connecting to {}:{}... failed: Connection refused.",
                        parsed.host, parsed.port
                    ),
                );
            }
            Fetch::Reply(reply) => reply,
        };
        if reply.status >= 400 {
            return Outcome::fail(
                8,
                &format!("ERROR {}: {}.", reply.status, reason_phrase(reply.status)),
            );
        }
        let file = output.unwrap_or_else(|| {
            let name = base_name(&parsed.path);
            if name.is_empty() {
                "index.html".to_string()
            } else {
                name.to_string()
            }
        });
        let mut outcome = Outcome::success();
        if file == "-" {
            outcome.out = reply.body;
            return outcome;
        }
        let size = reply.body.len();
        if let Err(e) = self.write_path(&file, reply.body, false) {
            return Outcome::fail(3, &format!("Cannot write to '{file}' ({}).", e.describe()));
        }
        if !quiet {
            outcome.warn(&format!("--2026-01-01 00:00:00--  {raw}\nSaving to: '{file}'\n\n'{file}' saved [{size}/{size}]"));
        }
        outcome
    }

    fn in_git_repo(&self) -> bool {
        let mut dir = self.cwd.clone();
        loop {
            if self.guest.live.is_dir(&child_path(&dir, ".git")) {
                return true;
            }
            if dir == "/" {
                return false;
            }
            dir = parent_of(&dir).to_string();
        }
    }

    fn cmd_git(&mut self, args: &[String]) -> Outcome {
        let Some((verb, rest)) = args.split_first() else {
            return Outcome::fail(
                1,
                "usage: git [--version] [--help] [-C <path>] <command> [<args>]",
            );
        };
        let version = self
            .guest
            .provider_of("git")
            .map_or("2.40.1", |s| s.version);
        let not_a_repo = || {
            Outcome::fail(
                128,
                "fatal: not a git repository (or any of the parent directories): .git",
            )
        };
        match verb.as_str() {
            "--version" | "version" => Outcome::print(format!("git version {version}\n")),
            "clone" => self.git_clone(rest),
            "init" => {
                let dir = rest
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| ".".to_string());
                let path = self.path(&dir);
                let git_dir = child_path(&path, ".git");
                let live = &mut self.guest.live;
                match live.mkdir_all(&git_dir).and_then(|()| {
                    live.write(
                        &child_path(&git_dir, "HEAD"),
                        "ref: refs/heads/main\n".into(),
                    )
                }) {
                    Ok(()) => {
                        Outcome::print(format!("Initialized empty Git repository in {git_dir}/\n"))
                    }
                    Err(e) => {
                        Outcome::fail(128, &format!("fatal: cannot mkdir {dir}: {}", e.describe()))
                    }
                }
            }
            "status" if self.in_git_repo() => {
                Outcome::print("On branch main\nnothing to commit, working tree clean\n")
            }
            "pull" | "fetch" if self.in_git_repo() => Outcome::print("Already up to date.\n"),
            "status" | "pull" | "fetch" | "log" | "commit" | "checkout" | "switch" | "branch"
            | "remote" | "add" | "push" | "reset" | "diff" => {
                if self.in_git_repo() {
                    Outcome::success()
                } else {
                    not_a_repo()
                }
            }
            "config" | "help" | "-C" => Outcome::success(),
            other => Outcome::fail(
                1,
                &format!("git: '{other}' is not a git command. See 'git --help'."),
            ),
        }
    }

    fn git_clone(&mut self, args: &[String]) -> Outcome {
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            if matches!(
                arg,
                "-b" | "--branch"
                    | "--depth"
                    | "-o"
                    | "--origin"
                    | "-c"
                    | "--config"
                    | "--reference"
            ) {
                index += 1;
            } else if !arg.starts_with('-') {
                operands.push(args[index].clone());
            }
            index += 1;
        }
        let Some(url) = operands.first() else {
            return Outcome::fail(129, "fatal: You must specify a repository to clone.");
        };
        let name = repo_name(url);
        let dir = operands.get(1).cloned().unwrap_or_else(|| name.clone());
        let path = self.path(&dir);
        let live = &mut self.guest.live;
        if live.is_file(&path) || (live.is_dir(&path) && !live.children(&path).is_empty()) {
            return Outcome::fail(
                128,
                &format!(
                    "fatal: destination path '{dir}' already exists and is not an empty directory."
                ),
            );
        }
        let git_dir = child_path(&path, ".git");
        let created = live
            .mkdir_all(&git_dir)
            .and_then(|()| {
                live.write(
                    &child_path(&git_dir, "HEAD"),
                    "ref: refs/heads/main\n".into(),
                )
            })
            .and_then(|()| {
                live.write(
                    &child_path(&git_dir, "config"),
                    format!("[remote \"origin\"]\n\turl = {url}\n"),
                )
            })
            .and_then(|()| live.write(&child_path(&path, "README.md"), format!("# {name}\n")));
        let mut outcome = Outcome::success();
        outcome.warn(&format!("Cloning into '{dir}'..."));
        if let Err(e) = created {
            outcome.error(
                128,
                &format!(
                    "fatal: could not create work tree dir '{dir}': {}",
                    e.describe()
                ),
            );
        }
        outcome
    }

    fn npm_missing_package_json(&self) -> Outcome {
        let file = child_path(&self.cwd, "package.json");
        let mut outcome = Outcome::status(254);
        outcome.warn("npm error code ENOENT\nnpm error syscall open");
        outcome.warn(&format!("npm error path {file}\nnpm error errno -2"));
        outcome.warn(&format!(
            "npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{file}'"
        ));
        outcome
    }

    fn add_language_package(&mut self, prefix: &str, name: &str) -> bool {
        let key = format!("{prefix}:{name}");
        if !self.guest.packages.contains(&key) && self.guest.packages.len() >= MAX_PACKAGES {
            return false;
        }
        self.guest.packages.insert(key);
        true
    }

    fn cmd_npm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let version = self
            .guest
            .provider_of("npm")
            .map_or("10.7.0", |s| s.version);
        let Some((verb, names)) = flags.operands.split_first() else {
            return if flags.any('v', "version") {
                Outcome::print(format!("{version}\n"))
            } else {
                Outcome::print("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\n")
            };
        };
        let has_package_json = self
            .guest
            .live
            .is_file(&child_path(&self.cwd, "package.json"));
        match verb.as_str() {
            "install" | "i" | "add" | "ci" | "isntall" => {
                if names.is_empty() {
                    return if has_package_json {
                        Outcome::print("\nup to date, audited 1 package in 1s\n\nfound 0 vulnerabilities\n")
                    } else {
                        self.npm_missing_package_json()
                    };
                }
                let mut resolved = Vec::new();
                for spec in names {
                    match npm_package_name(spec) {
                        Some(name) => resolved.push(name),
                        None => {
                            return Outcome::fail(1, &format!("npm error code EINVALIDPACKAGENAME\nnpm error Invalid package name \"{spec}\""));
                        }
                    }
                }
                for name in &resolved {
                    if !self.add_language_package("npm", name) {
                        return Outcome::fail(1, "npm error code ENOSPC\nnpm error syscall write\nnpm error errno -28");
                    }
                }
                Outcome::print(format!(
                    "\nadded {} packages, and audited {} packages in 2s\n\nfound 0 vulnerabilities\n",
                    resolved.len(),
                    resolved.len() + 1
                ))
            }
            "uninstall" | "remove" | "rm" | "un" | "r" => {
                let removed = names
                    .iter()
                    .filter_map(|n| npm_package_name(n))
                    .filter(|n| self.guest.packages.remove(&format!("npm:{n}")))
                    .count();
                Outcome::print(format!("\nremoved {removed} package{}, and audited 1 package in 1s\n", if removed == 1 { "" } else { "s" }))
            }
            "init" => {
                let file = child_path(&self.cwd, "package.json");
                let project = base_name(&self.cwd).to_string();
                let project = if project.is_empty() { "root".to_string() } else { project };
                let json = format!(
                    "{{\n  \"name\": \"{project}\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\",\n  \"scripts\": {{\n    \"start\": \"node index.js\"\n  }},\n  \"license\": \"ISC\"\n}}\n"
                );
                match self.guest.live.write(&file, json.clone()) {
                    Ok(()) => Outcome::print(format!("Wrote to {file}:\n\n{json}\n")),
                    Err(e) => Outcome::fail(1, &format!("npm error code {}\nnpm error path {file}", e.describe())),
                }
            }
            "start" | "run" | "run-script" | "test" | "t" => {
                if has_package_json {
                    let script = if verb == "run" || verb == "run-script" { names.first().cloned().unwrap_or_default() } else { verb.clone() };
                    Outcome::print(format!("\n> {script}\n\n"))
                } else {
                    self.npm_missing_package_json()
                }
            }
            "list" | "ls" => {
                let mut outcome = Outcome::print(format!("{}\n", if flags.any('g', "global") { "/usr/lib" } else { &self.cwd }));
                for name in self.guest.packages.iter().filter_map(|p| p.strip_prefix("npm:")) {
                    outcome.say(&format!("├── {name}@1.0.0"));
                }
                outcome
            }
            "config" | "cache" | "audit" | "update" | "outdated" | "prune" | "version" | "help" => Outcome::success(),
            other => Outcome::fail(1, &format!("Unknown command: \"{other}\"\n\nTo see a list of supported npm commands, run:\n  npm help")),
        }
    }

    fn cmd_pip(&mut self, tool: &str, args: &[String]) -> Outcome {
        let mut requirement_files = Vec::new();
        let mut break_system = false;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            match arg {
                "-r" | "--requirement" => {
                    requirement_files.extend(args.get(index + 1).cloned());
                    index += 1;
                }
                "--break-system-packages" => break_system = true,
                "--version" | "-V" if operands.is_empty() => {
                    let version = self.guest.provider_of(tool).map_or("21.3.1", |s| s.version);
                    return Outcome::print(format!(
                        "pip {version} from /usr/lib/python3/site-packages/pip (python 3)\n"
                    ));
                }
                "-i" | "--index-url" | "--extra-index-url" | "-t" | "--target" | "-c"
                | "--constraint" => index += 1,
                flag if flag.starts_with('-') => {}
                _ => operands.push(args[index].clone()),
            }
            index += 1;
        }
        let Some((verb, names)) = operands.split_first() else {
            return Outcome::print(format!("\nUsage:   \n  {tool} <command> [options]\n"));
        };
        match verb.as_str() {
            "install" => self.pip_install(names, &requirement_files, break_system),
            "uninstall" => {
                let mut outcome = Outcome::success();
                for name in names.iter().filter_map(|n| pip_package_name(n)) {
                    if self.guest.packages.remove(&format!("pip:{name}")) {
                        outcome.say(&format!("Found existing installation: {name} 1.0.0\nUninstalling {name}-1.0.0:\n  Successfully uninstalled {name}-1.0.0"));
                    } else {
                        outcome.warn(&format!("WARNING: Skipping {name} as it is not installed."));
                    }
                }
                outcome
            }
            "list" | "freeze" => {
                let mut outcome = Outcome::success();
                if verb == "list" {
                    outcome.say("Package    Version\n---------- -------");
                }
                for name in self
                    .guest
                    .packages
                    .iter()
                    .filter_map(|p| p.strip_prefix("pip:"))
                {
                    outcome.say(&if verb == "list" {
                        format!("{name:<10} 1.0.0")
                    } else {
                        format!("{name}==1.0.0")
                    });
                }
                outcome
            }
            "show" => {
                let mut outcome = Outcome::success();
                for name in names.iter().filter_map(|n| pip_package_name(n)) {
                    if self.guest.packages.contains(&format!("pip:{name}")) {
                        outcome.say(&format!("Name: {name}\nVersion: 1.0.0"));
                    } else {
                        outcome.error(1, &format!("WARNING: Package(s) not found: {name}"));
                    }
                }
                outcome
            }
            "download" | "wheel" | "config" | "cache" | "check" | "help" => Outcome::success(),
            other => Outcome::fail(1, &format!("ERROR: unknown command \"{other}\"")),
        }
    }

    fn pip_install(
        &mut self,
        names: &[String],
        requirement_files: &[String],
        break_system: bool,
    ) -> Outcome {
        let in_venv = self.vars.contains_key("VIRTUAL_ENV");
        if self.os().is_debian() && !break_system && !in_venv {
            return Outcome::fail(1, PEP668_ERROR);
        }
        let mut wanted: Vec<String> = names.to_vec();
        for file in requirement_files {
            match self.read_path(file) {
                Ok(text) => wanted.extend(
                    text.lines()
                        .map(|l| l.split('#').next().unwrap_or("").trim())
                        .filter(|l| !l.is_empty() && !l.starts_with('-'))
                        .map(str::to_string),
                ),
                Err(_) => {
                    return Outcome::fail(1, &format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"));
                }
            }
        }
        let resolved: Vec<String> = wanted.iter().filter_map(|w| pip_package_name(w)).collect();
        if resolved.is_empty() {
            return Outcome::fail(1, "ERROR: You must give at least one requirement to install (see \"pip help install\")");
        }
        let mut outcome = Outcome::success();
        for name in &resolved {
            outcome.say(&format!(
                "Collecting {name}\n  Downloading {name}-1.0.0-py3-none-any.whl (10 kB)"
            ));
            if !self.add_language_package("pip", name) {
                outcome.error(1, "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device");
                return outcome;
            }
        }
        let installed: Vec<String> = resolved.iter().map(|n| format!("{n}-1.0.0")).collect();
        outcome.say(&format!(
            "Installing collected packages: {}",
            resolved.join(", ")
        ));
        outcome.say(&format!("Successfully installed {}", installed.join(" ")));
        if !in_venv && !self.os().is_debian() {
            outcome.warn(PIP_ROOT_WARNING);
        }
        outcome
    }

    fn cmd_python(&mut self, tool: &str, args: &[String]) -> Outcome {
        let version = self.guest.provider_of(tool).map_or("3.9.16", |s| s.version);
        match args.first().map(String::as_str) {
            Some("--version" | "-V") if version.starts_with('2') => {
                Outcome::fail(0, &format!("Python {version}"))
            }
            Some("--version" | "-V") => Outcome::print(format!("Python {version}\n")),
            Some("-m") => match args.get(1).map(String::as_str) {
                Some("pip") if self.guest.command_available("pip3") => {
                    self.cmd_pip("pip3", &args[2..])
                }
                Some("pip") => Outcome::fail(1, &format!("/usr/bin/{tool}: No module named pip")),
                Some("venv") => self.python_venv(args.get(2..).unwrap_or_default(), version),
                _ => Outcome::success(),
            },
            Some(file) if !file.starts_with('-') => {
                let path = self.path(file);
                if self.guest.live.is_file(&path) {
                    Outcome::success()
                } else {
                    Outcome::fail(
                        2,
                        &format!(
                            "{tool}: can't open file '{path}': [Errno 2] No such file or directory"
                        ),
                    )
                }
            }
            _ => Outcome::success(),
        }
    }

    fn python_venv(&mut self, args: &[String], version: &str) -> Outcome {
        let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
            return Outcome::fail(2, "usage: venv [-h] ENV_DIR [ENV_DIR ...]\nError: the following arguments are required: ENV_DIR");
        };
        if self.os().is_debian() && !self.guest.packages.contains("python3-venv") {
            return Outcome::fail(1, "The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.\n\n    apt install python3.12-venv\n\nYou may need to use sudo with that command.  After installing the python3-venv\npackage, recreate your virtual environment.");
        }
        let path = self.path(dir);
        let bin = child_path(&path, "bin");
        let activate = format!("# This file must be used with \"source bin/activate\"\nexport VIRTUAL_ENV={path}\nexport PATH=\"{bin}:$PATH\"\n");
        let live = &mut self.guest.live;
        let created = live
            .mkdir_all(&bin)
            .and_then(|()| live.write(&child_path(&path, "pyvenv.cfg"), format!("home = /usr/bin\ninclude-system-site-packages = false\nversion = {version}\n")))
            .and_then(|()| live.write(&child_path(&bin, "activate"), activate));
        match created {
            Ok(()) => Outcome::success(),
            Err(e) => Outcome::fail(1, &format!("Error: [Errno 28] {}: '{path}'", e.describe())),
        }
    }

    fn cmd_node(&self, args: &[String]) -> Outcome {
        let version = self
            .guest
            .provider_of("node")
            .map_or("18.20.4", |s| s.version);
        match args.first().map(String::as_str) {
            Some("--version" | "-v") => Outcome::print(format!("v{version}\n")),
            Some(file) if !file.starts_with('-') => {
                let path = self.path(file);
                if self.guest.live.is_file(&path) {
                    Outcome::success()
                } else {
                    Outcome::fail(1, &format!("node:internal/modules/cjs/loader:1143\n  throw err;\n  ^\n\nError: Cannot find module '{path}'"))
                }
            }
            _ => Outcome::success(),
        }
    }

    fn cmd_docker(&self, args: &[String]) -> Outcome {
        let version = self
            .guest
            .provider_of("docker")
            .map_or("25.0.6", |s| s.version);
        let verb = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str);
        if args.first().is_some_and(|a| a == "--version" || a == "-v") {
            return Outcome::print(format!("Docker version {version}, build 5dc9bcc\n"));
        }
        if self.guest.services.get("docker").is_none_or(|s| !s.active) {
            return Outcome::fail(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
        }
        match verb {
            Some("ps") => Outcome::print("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"),
            Some("images") => Outcome::print("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"),
            Some("info") => Outcome::print(format!("Server:\n Containers: 0\n Server Version: {version}\n Storage Driver: overlay2\n")),
            Some("run") if args.iter().any(|a| a.starts_with("hello-world")) => Outcome::print(
                "\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n",
            ),
            _ => Outcome::success(),
        }
    }

    fn cmd_crontab(&mut self, args: &[String], stdin: &str) -> Outcome {
        let mut user = "root".to_string();
        let mut flags = BTreeSet::new();
        let mut file = None;
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-u" => {
                    user = args.get(index + 1).cloned().unwrap_or_default();
                    index += 1;
                }
                "-" => file = Some("-".to_string()),
                flag if flag.starts_with('-') => flags.extend(flag.chars().skip(1)),
                path => file = Some(path.to_string()),
            }
            index += 1;
        }
        if !self.guest.users.contains_key(&user) {
            return Outcome::fail(1, &format!("crontab: user '{user}' unknown"));
        }
        let spool = if self.os().is_debian() {
            "/var/spool/cron/crontabs"
        } else {
            "/var/spool/cron"
        };
        let path = child_path(spool, &user);
        let live = &mut self.guest.live;
        if flags.contains(&'l') {
            return match live.files.get(&path) {
                Some(table) => Outcome::print(table.clone()),
                None => Outcome::fail(1, &format!("no crontab for {user}")),
            };
        }
        if flags.contains(&'r') {
            return if live.remove_file(&path) {
                Outcome::success()
            } else {
                Outcome::fail(1, &format!("no crontab for {user}"))
            };
        }
        let content = match file.as_deref() {
            None | Some("-") => stdin.to_string(),
            Some(source) => match self.read_path(source) {
                Ok(content) => content,
                Err(e) => return Outcome::fail(1, &format!("crontab: {source}: {}", e.describe())),
            },
        };
        let live = &mut self.guest.live;
        match live
            .mkdir_all(spool)
            .and_then(|()| live.write(&path, content))
        {
            Ok(()) => Outcome::success(),
            Err(e) => Outcome::fail(
                1,
                &format!("crontab: installing new crontab: {}", e.describe()),
            ),
        }
    }

    fn cmd_postgresql_setup(&mut self, args: &[String]) -> Outcome {
        if !args.iter().any(|a| a == "--initdb" || a == "initdb") {
            return Outcome::fail(1, "Usage: postgresql-setup --initdb");
        }
        let live = &mut self.guest.live;
        if live.is_file(PG_VERSION_RPM) {
            return Outcome::fail(
                1,
                " * Data directory /var/lib/pgsql/data is not empty!\n * Initialization failed.",
            );
        }
        let major = self
            .guest
            .packages
            .iter()
            .find(|p| p.starts_with("postgresql"))
            .and_then(|p| installed_spec(self.guest.os, p))
            .map_or("15", |s| s.version.split('.').next().unwrap_or("15"));
        let live = &mut self.guest.live;
        match live.mkdir_all(parent_of(PG_VERSION_RPM)).and_then(|()| live.write(PG_VERSION_RPM, format!("{major}\n"))) {
            Ok(()) => Outcome::print(
                " * Initializing database in '/var/lib/pgsql/data'\n * Initialized, logs are in /var/lib/pgsql/initdb_postgresql.log\n",
            ),
            Err(e) => Outcome::fail(1, &format!(" * Initialization failed: {}", e.describe())),
        }
    }

    fn cmd_cloudwatch_ctl(&mut self, args: &[String]) -> Outcome {
        let mut action = None;
        let mut config = None;
        let mut start_after = false;
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-a" => {
                    action = args.get(index + 1).cloned();
                    index += 1;
                }
                "-c" => {
                    config = args.get(index + 1).cloned();
                    index += 1;
                }
                "-m" => index += 1,
                "-s" => start_after = true,
                _ => {}
            }
            index += 1;
        }
        const UNIT: &str = "amazon-cloudwatch-agent";
        let mut outcome = Outcome::success();
        match action.as_deref() {
            Some("fetch-config" | "append-config") => {
                let content = match config.as_deref() {
                    Some(source) if source.starts_with("file:") => match self.read_path(&source[5..]) {
                        Ok(content) => content,
                        Err(_) => {
                            return Outcome::fail(1, &format!("E! Failed to fetch config: open {}: no such file or directory", &source[5..]));
                        }
                    },
                    Some(source) if source.starts_with("ssm:") => format!("{{\"source\": \"{source}\"}}\n"),
                    Some("default") | None => "{}\n".to_string(),
                    Some(other) => return Outcome::fail(1, &format!("E! Invalid config location: {other}")),
                };
                if let Err(e) = self.guest.live.write(CLOUDWATCH_CONFIG, content) {
                    return Outcome::fail(1, &format!("E! Failed to save config: {}", e.describe()));
                }
                outcome.say(&format!("****** processing amazon-cloudwatch-agent ******\nSuccessfully fetched the config and saved in {CLOUDWATCH_CONFIG}"));
                if start_after {
                    self.guest.set_enabled(UNIT, true);
                    let _ = self.guest.start_unit(UNIT);
                }
            }
            Some("start") => {
                if !self.guest.live.is_file(CLOUDWATCH_CONFIG) {
                    return Outcome::fail(1, "E! No configuration found; run with -a fetch-config first");
                }
                self.guest.set_enabled(UNIT, true);
                let _ = self.guest.start_unit(UNIT);
            }
            Some("stop") => self.guest.stop_unit(UNIT),
            Some("status") => {
                let running = self.guest.services.get(UNIT).is_some_and(|s| s.active);
                let configured = self.guest.live.is_file(CLOUDWATCH_CONFIG);
                outcome.say(&format!(
                    "{{\n  \"status\": \"{}\",\n  \"starttime\": \"\",\n  \"configstatus\": \"{}\",\n  \"version\": \"1.300044.0\"\n}}",
                    if running { "running" } else { "stopped" },
                    if configured { "configured" } else { "not configured" }
                ));
            }
            _ => return Outcome::fail(1, "usage: amazon-cloudwatch-agent-ctl -a fetch-config|start|stop|status [-m ec2] [-c file:PATH] [-s]"),
        }
        outcome
    }

    /// A tool that is installed but not simulated: `--version` answers, anything else succeeds
    /// without output.
    fn generic_tool(&self, name: &str, args: &[String]) -> Outcome {
        let asks_version = args.first().is_some_and(|a| {
            matches!(
                a.as_str(),
                "--version" | "-v" | "-V" | "version" | "-version"
            )
        });
        if !asks_version {
            return Outcome::success();
        }
        let version = self.guest.provider_of(name).map_or("1.0.0", |s| s.version);
        match name {
            "java" | "javac" => {
                Outcome::fail(0, &format!("openjdk version \"{version}\" 2024-07-16 LTS"))
            }
            "nginx" => Outcome::fail(0, &format!("nginx version: nginx/{version}")),
            "aws" => Outcome::print(format!(
                "aws-cli/{version} Python/3.11.8 Linux/{} source/x86_64\n",
                self.os().kernel_release()
            )),
            "go" => Outcome::print(format!("go version go{version} linux/amd64\n")),
            "php" => Outcome::print(format!("PHP {version} (cli)\n")),
            "httpd" | "apachectl" | "apache2ctl" => {
                Outcome::print(format!("Server version: Apache/{version}\n"))
            }
            _ => Outcome::print(format!("{name} {version}\n")),
        }
    }

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
            "chgrp" => {
                let mut converted = args.to_vec();
                if let Some(group) = converted.iter_mut().find(|a| !a.starts_with('-')) {
                    *group = format!(":{group}");
                }
                self.cmd_chown("chgrp", &converted)
            }
            "ln" => self.cmd_ln(args),
            "tee" => self.cmd_tee(args, stdin),
            "grep" | "egrep" | "fgrep" => self.cmd_grep(name, args, stdin),
            "sed" => self.cmd_sed(args, stdin),
            "head" | "tail" => self.cmd_head_tail(name, args, stdin),
            "wc" => self.cmd_wc(args, stdin),
            "sort" => self.cmd_sort(args, stdin),
            "basename" => match args.first() {
                Some(path) => {
                    let base = base_name(path);
                    let base = args
                        .get(1)
                        .and_then(|suffix| base.strip_suffix(suffix.as_str()))
                        .unwrap_or(base);
                    Outcome::print(format!("{base}\n"))
                }
                None => Outcome::fail(1, "basename: missing operand"),
            },
            "dirname" => match args.first() {
                Some(path) if path.contains('/') => {
                    Outcome::print(format!("{}\n", parent_of(path.trim_end_matches('/'))))
                }
                Some(_) => Outcome::print(".\n"),
                None => Outcome::fail(1, "dirname: missing operand"),
            },
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
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn run(guest: &mut Guest, text: &str) -> Execution {
        guest.run_script(&lines(text))
    }

    fn al2023() -> Guest {
        Guest::new(OsFamily::AmazonLinux2023)
    }

    fn ubuntu() -> Guest {
        Guest::new(OsFamily::Ubuntu)
    }

    // ---- base systems ----

    #[test]
    fn base_linux_systems_have_their_users_packages_and_services() {
        for os in OsFamily::ALL.into_iter().filter(|os| !os.is_windows()) {
            let guest = Guest::new(os);
            let user = os.default_user();
            assert!(
                guest.has_user("root") && guest.has_user(user) && guest.has_user("nobody"),
                "{os:?}"
            );
            assert_eq!(guest.uid_of("root"), Some(0));
            assert_eq!(guest.uid_of(user), Some(1000));
            assert!(guest.has_directory(&format!("/home/{user}")), "{os:?}");
            assert!(guest.has_directory("/mnt/ephemeral0"));
            for absent in ["git", "nodejs", "nginx", "httpd", "docker"] {
                assert!(
                    !guest.has_package(absent),
                    "{os:?} should not ship {absent}"
                );
            }
            assert!(
                guest.has_package("bash")
                    && guest.has_package("curl")
                    && guest.has_package("amazon-ssm-agent")
            );
            let sshd = if os == OsFamily::Ubuntu {
                "ssh"
            } else {
                "sshd"
            };
            for unit in [sshd, "amazon-ssm-agent"] {
                let info = guest
                    .service(unit)
                    .unwrap_or_else(|| panic!("{os:?} lacks {unit}"));
                assert!(info.enabled && info.active, "{os:?} {unit}");
            }
            assert!(guest.file("/etc/hostname").is_some());
            assert!(
                !guest.has_unsynced_writes(),
                "a fresh system is all on disk"
            );
            assert!(guest.ssm_agent_running());
        }
    }

    #[test]
    fn os_release_is_realistic_per_family() {
        let release = |os| Guest::new(os).file("/etc/os-release").unwrap();
        let al2023 = release(OsFamily::AmazonLinux2023);
        assert!(al2023.contains("NAME=\"Amazon Linux\"") && al2023.contains("VERSION=\"2023\""));
        assert!(release(OsFamily::AmazonLinux2).contains("VERSION=\"2\""));
        assert!(release(OsFamily::Ubuntu).contains("VERSION_ID=\"24.04\""));
        assert!(release(OsFamily::Rhel).contains("NAME=\"Red Hat Enterprise Linux\""));
        assert!(release(OsFamily::Rhel).contains("VERSION_ID=\"9."));
        assert!(release(OsFamily::LegacyLinux).contains("Amazon Linux AMI 2018.03"));
    }

    #[test]
    fn default_users_and_windows_flag() {
        assert_eq!(OsFamily::AmazonLinux2023.default_user(), "ec2-user");
        assert_eq!(OsFamily::LegacyLinux.default_user(), "ec2-user");
        assert_eq!(OsFamily::Ubuntu.default_user(), "ubuntu");
        assert_eq!(OsFamily::Windows.default_user(), "Administrator");
        assert!(OsFamily::Windows.is_windows());
        assert!(!OsFamily::Rhel.is_windows());
    }

    #[test]
    fn windows_refuses_linux_shell_scripts() {
        let mut guest = Guest::new(OsFamily::Windows);
        assert!(guest.has_user("Administrator"));
        assert!(guest.packages().is_empty());
        assert!(guest.ssm_agent_running());
        let result = run(&mut guest, "echo hi\nmkdir /x");
        assert_eq!(result.exit_code, 1);
        assert!(result.stdout.is_empty());
        assert_eq!(result.stderr.matches("not available on Windows").count(), 2);
        assert!(result.stderr.starts_with("echo hi: "));
    }

    // ---- package managers ----

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

    // ---- language package managers ----

    #[test]
    fn npm_needs_nodejs() {
        let mut guest = al2023();
        let result = run(&mut guest, "npm install -g pm2");
        assert_eq!(result.exit_code, 127);
        assert_eq!(result.stderr, "bash: npm: command not found\n");
        let result = run(
            &mut guest,
            "dnf install -y nodejs\nnpm install -g pm2 express@4\npm2 start app.js\nnode --version",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("v18."));
        assert!(guest.has_package("nodejs-npm"), "dnf's nodejs brings npm");
        assert!(guest.has_package("npm:pm2") && guest.has_package("npm:express"));
        assert!(guest.packages().contains(&"npm:express".to_string()));

        let mut guest = ubuntu();
        assert_eq!(
            run(&mut guest, "apt-get install -y nodejs\nnode -v").exit_code,
            0
        );
        assert_eq!(
            run(&mut guest, "npm install express").exit_code,
            127,
            "Ubuntu ships npm separately"
        );
        assert_eq!(
            run(&mut guest, "apt-get install -y npm\nnpm install express").exit_code,
            0
        );
        assert!(guest.has_package("npm:express"));
    }

    #[test]
    fn npm_without_package_json_fails_like_npm() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y nodejs");
        let result = run(&mut guest, "npm install");
        assert_eq!(result.exit_code, 254);
        assert!(result.stderr.contains("npm error code ENOENT"));
        let result = run(
            &mut guest,
            "mkdir /app && cd /app && npm init -y && npm install",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.file("/app/package.json").is_some());
    }

    #[test]
    fn pip_needs_python3_pip_and_ubuntu_wants_a_venv() {
        let mut guest = al2023();
        assert_eq!(run(&mut guest, "pip3 install flask").exit_code, 127);
        let result = run(
            &mut guest,
            "dnf install -y python3-pip\npip3 install Flask==3.0 gunicorn",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("pip:flask") && guest.has_package("pip:gunicorn"));

        let mut guest = ubuntu();
        run(&mut guest, "apt-get install -y python3-pip");
        let result = run(&mut guest, "pip install flask");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("externally-managed-environment"));
        assert_eq!(
            run(&mut guest, "pip install --break-system-packages flask").exit_code,
            0
        );
        assert!(guest.has_package("pip:flask"));
    }

    #[test]
    fn pip_reads_requirements_files() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "dnf install -y python3-pip\nprintf 'requests>=2\\n# comment\\nboto3\\n' > /tmp/req.txt\npip3 install -r /tmp/req.txt",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("pip:requests") && guest.has_package("pip:boto3"));
    }

    // ---- services ----

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

    #[test]
    fn two_web_servers_cannot_share_port_80() {
        let mut guest = al2023();
        run(
            &mut guest,
            "dnf install -y nginx httpd\nsystemctl enable --now httpd",
        );
        let result = run(&mut guest, "systemctl start nginx");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("Job for nginx.service failed"));
        // enabled on boot: the first in name order wins
        run(&mut guest, "systemctl enable nginx");
        guest.shutdown();
        guest.boot();
        assert!(guest.service("httpd").unwrap().active);
        assert!(!guest.service("nginx").unwrap().active);
    }

    #[test]
    fn postgresql_needs_initdb_on_rpm_systems() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y postgresql15-server");
        assert_eq!(run(&mut guest, "systemctl start postgresql").exit_code, 1);
        let result = run(
            &mut guest,
            "postgresql-setup --initdb && systemctl enable --now postgresql",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.service("postgresql").unwrap().active);
    }

    #[test]
    fn boot_starts_enabled_services_and_shutdown_stops_all() {
        let mut guest = al2023();
        run(
            &mut guest,
            "dnf install -y nginx docker\nsystemctl enable nginx\nsystemctl start docker",
        );
        guest.shutdown();
        assert!(guest.services().iter().all(|s| !s.active));
        guest.boot();
        assert!(guest.service("nginx").unwrap().active);
        assert!(
            !guest.service("docker").unwrap().active,
            "started but not enabled"
        );
        assert!(guest.service("sshd").unwrap().active);
    }

    #[test]
    fn docker_needs_its_daemon() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y docker");
        let result = run(&mut guest, "docker ps");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("Is the docker daemon running?"));
        let result = run(
            &mut guest,
            "systemctl start docker\nusermod -aG docker ec2-user\ndocker ps",
        );
        assert_eq!(result.exit_code, 0);
        assert!(result.stdout.starts_with("CONTAINER ID"));
        assert!(guest
            .groups_of("ec2-user")
            .unwrap()
            .contains(&"docker".to_string()));
    }

    // ---- users ----

    #[test]
    fn useradd_assigns_uids_in_order_and_rejects_duplicates() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "useradd deploy\nuseradd -m -s /bin/bash app\nid deploy\nid app",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(
            result.stdout,
            "uid=1001(deploy) gid=1001(deploy) groups=1001(deploy)\nuid=1002(app) gid=1002(app) groups=1002(app)\n"
        );
        assert!(
            guest.has_directory("/home/deploy"),
            "RHEL-style useradd creates homes"
        );
        assert_eq!(
            guest.file_mode("/home/app").map(|(_, owner, _)| owner),
            Some("app".to_string())
        );
        let result = run(&mut guest, "useradd deploy");
        assert_eq!(result.exit_code, 9);
        assert_eq!(result.stderr, "useradd: user 'deploy' already exists\n");
    }

    #[test]
    fn userdel_and_id_errors() {
        let mut guest = al2023();
        let result = run(&mut guest, "userdel ghost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (6, "userdel: user 'ghost' does not exist\n")
        );
        let result = run(&mut guest, "id ghost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "id: 'ghost': no such user\n")
        );
        run(&mut guest, "useradd deploy\nuserdel -r deploy");
        assert!(!guest.has_user("deploy"));
        assert!(!guest.has_directory("/home/deploy"));
        assert_eq!(
            run(&mut guest, "id").stdout,
            "uid=0(root) gid=0(root) groups=0(root)\n"
        );
    }

    #[test]
    fn groups_and_usermod() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "groupadd devs\nuseradd -G devs,wheel alice\nid -Gn alice",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "alice devs wheel\n");
        assert_eq!(run(&mut guest, "groupadd devs").exit_code, 9);
        let result = run(&mut guest, "usermod -aG nosuch alice");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (6, "usermod: group 'nosuch' does not exist\n")
        );
        assert_eq!(run(&mut guest, "usermod -aG devs ghost").exit_code, 6);
        assert_eq!(run(&mut guest, "useradd -G nosuch bob").exit_code, 6);
        assert_eq!(run(&mut guest, "passwd -l alice").exit_code, 0);
    }

    #[test]
    fn ubuntu_adduser_and_useradd_home_rules() {
        let mut guest = ubuntu();
        let result = run(&mut guest, "adduser --disabled-password --gecos '' deploy");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_user("deploy") && guest.has_directory("/home/deploy"));
        assert_eq!(run(&mut guest, "adduser deploy").exit_code, 1);
        run(&mut guest, "useradd plain");
        assert!(
            guest.has_user("plain") && !guest.has_directory("/home/plain"),
            "Debian useradd needs -m"
        );
        assert_eq!(guest.uid_of("plain"), Some(1002));
    }

    // ---- files ----

    #[test]
    fn echo_redirects_and_tee() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo 'PORT=8080' >> /etc/environment\necho first > /tmp/f\necho second >> /tmp/f\necho \"<h1>hello</h1>\" | sudo tee /tmp/page.html\necho more | tee -a /tmp/page.html > /dev/null",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "<h1>hello</h1>\n", "tee echoes its input");
        assert_eq!(
            guest.file("/etc/environment").as_deref(),
            Some("PORT=8080\n")
        );
        assert_eq!(guest.file("/tmp/f").as_deref(), Some("first\nsecond\n"));
        assert_eq!(
            guest.file("/tmp/page.html").as_deref(),
            Some("<h1>hello</h1>\nmore\n")
        );
        let result = run(
            &mut guest,
            "echo -n abc > /tmp/n\necho -e 'a\\tb' > /tmp/e\nprintf '%s-%s\\n' x y > /tmp/p",
        );
        assert_eq!(result.exit_code, 0);
        assert_eq!(guest.file("/tmp/n").as_deref(), Some("abc"));
        assert_eq!(guest.file("/tmp/e").as_deref(), Some("a\tb\n"));
        assert_eq!(guest.file("/tmp/p").as_deref(), Some("x-y\n"));
    }

    #[test]
    fn writing_into_a_missing_directory_fails() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo hi > /no/such/file");
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stderr,
            "bash: /no/such/file: No such file or directory\n"
        );
        let result = run(&mut guest, "echo hi | tee /no/such/file");
        assert_eq!(result.exit_code, 1);
        assert!(result
            .stderr
            .contains("tee: /no/such/file: No such file or directory"));
        assert_eq!(
            run(&mut guest, "echo hi > /etc").stderr,
            "bash: /etc: Is a directory\n"
        );
    }

    #[test]
    fn cat_reads_files_and_reports_missing_ones() {
        let mut guest = al2023();
        let result = run(&mut guest, "cat /etc/hostname /nope");
        assert_eq!(result.exit_code, 1);
        assert_eq!(result.stdout, "ip-172-31-16-10.ec2.internal\n");
        assert_eq!(result.stderr, "cat: /nope: No such file or directory\n");
        assert_eq!(
            run(&mut guest, "cat /etc").stderr,
            "cat: /etc: Is a directory\n"
        );
    }

    #[test]
    fn mkdir_needs_parents_without_p() {
        let mut guest = al2023();
        let result = run(&mut guest, "mkdir /a/b");
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stderr,
            "mkdir: cannot create directory '/a/b': No such file or directory\n"
        );
        assert_eq!(
            run(&mut guest, "mkdir -p /a/b/c && mkdir -p /a/b").exit_code,
            0
        );
        assert!(guest.has_directory("/a/b/c"));
        assert_eq!(
            run(&mut guest, "mkdir /a").stderr,
            "mkdir: cannot create directory '/a': File exists\n"
        );
    }

    #[test]
    fn rm_removes_files_and_trees() {
        let mut guest = al2023();
        run(
            &mut guest,
            "mkdir -p /srv/app/logs && touch /srv/app/logs/a.log /srv/app/x",
        );
        let result = run(&mut guest, "rm /srv/app");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "rm: cannot remove '/srv/app': Is a directory\n")
        );
        assert_eq!(run(&mut guest, "rm /srv/app/x").exit_code, 0);
        assert!(guest.file("/srv/app/x").is_none());
        assert_eq!(run(&mut guest, "rm -rf /srv/app").exit_code, 0);
        assert!(!guest.has_directory("/srv/app") && guest.file("/srv/app/logs/a.log").is_none());
        let result = run(&mut guest, "rm /missing");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (
                1,
                "rm: cannot remove '/missing': No such file or directory\n"
            )
        );
        assert_eq!(run(&mut guest, "rm -f /missing").exit_code, 0);
        assert_eq!(run(&mut guest, "rm -rf /").exit_code, 1);
        assert!(guest.has_directory("/etc"));
    }

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
    fn cp_mv_ls_and_globs() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "mkdir -p /d/sub\necho 1 > /d/b.log\necho 2 > /d/a.log\necho 3 > /d/.hidden\ncp /d/a.log /d/sub/\nmv /d/b.log /d/c.log\nls /d\nls -a /d/sub\necho /d/*.log",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(
            result.stdout,
            "a.log\nc.log\nsub\n.\n..\na.log\n/d/a.log /d/c.log\n"
        );
        assert_eq!(run(&mut guest, "cp /d /e").exit_code, 1);
        assert_eq!(run(&mut guest, "cp -r /d /e && mv /e /f").exit_code, 0);
        assert_eq!(guest.file("/f/sub/a.log").as_deref(), Some("2\n"));
        assert!(!guest.has_directory("/e"));
        let result = run(&mut guest, "rm /d/*.log\nls /d");
        assert_eq!(result.stdout, "sub\n");
        let result = run(&mut guest, "ls /none");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (2, "ls: cannot access '/none': No such file or directory\n")
        );
        assert_eq!(run(&mut guest, "mv /none /x").exit_code, 1);
    }

    #[test]
    fn chmod_chown_and_executing_scripts() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo 'echo from script' > /opt/run.sh\n/opt/run.sh",
        );
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (126, "bash: /opt/run.sh: Permission denied\n")
        );
        let result = run(
            &mut guest,
            "chmod +x /opt/run.sh && /opt/run.sh && bash /opt/run.sh",
        );
        assert_eq!(result.stdout, "from script\nfrom script\n");
        assert_eq!(guest.file_mode("/opt/run.sh").map(|m| m.0), Some(0o755));
        assert_eq!(run(&mut guest, "chmod 600 /nope").exit_code, 1);
        assert_eq!(run(&mut guest, "chmod abc /opt/run.sh").exit_code, 1);
        run(
            &mut guest,
            "useradd deploy\nmkdir -p /srv/app/x\nchown -R deploy:deploy /srv/app",
        );
        assert_eq!(
            guest.file_mode("/srv/app/x").map(|m| m.1),
            Some("deploy".to_string())
        );
        assert_eq!(
            run(&mut guest, "chown ghost /srv/app").stderr,
            "chown: invalid user: 'ghost'\n"
        );
        assert_eq!(run(&mut guest, "chown deploy /missing").exit_code, 1);
        let result = run(&mut guest, "ls -l /srv");
        assert!(
            result
                .stdout
                .contains("drwxr-xr-x 2 deploy deploy  4096 Jan  1 00:00 app"),
            "{}",
            result.stdout
        );
    }

    #[test]
    fn sed_and_grep() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y nginx");
        let result = run(&mut guest, "sed -i 's/listen       80;/listen 8080;/' /etc/nginx/nginx.conf\ngrep -q 'listen 8080' /etc/nginx/nginx.conf");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        run(&mut guest, "printf 'a-a-a\\n#Port 22\\n' > /tmp/t\nsed -i -e 's/a/b/g' -e 's/^#Port .*/Port 2222/' /tmp/t");
        assert_eq!(guest.file("/tmp/t").as_deref(), Some("b-b-b\nPort 2222\n"));
        let result = run(&mut guest, "grep -n Port /tmp/t");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (0, "2:Port 2222\n")
        );
        assert_eq!(run(&mut guest, "grep nothing /tmp/t").exit_code, 1);
        assert_eq!(run(&mut guest, "grep x /missing").exit_code, 2);
        assert_eq!(
            run(&mut guest, "echo Hello | grep -i hello").stdout,
            "Hello\n"
        );
        assert_eq!(
            run(&mut guest, "sed 's/l\\+/L/' /etc/hostname").stdout,
            "ip-172-31-16-10.ec2.internaL\n"
        );
    }

    // ---- git ----

    #[test]
    fn git_clone_needs_git() {
        let mut guest = al2023();
        let result = run(&mut guest, "git clone https://github.com/example/app.git");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (127, "bash: git: command not found\n")
        );
        let result = run(&mut guest, "dnf install -y git\ncd /opt\ngit clone https://github.com/example/app.git\ngit clone git@github.com:example/site.git /srv/www");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stderr.contains("Cloning into 'app'..."));
        assert!(guest.file("/opt/app/README.md").is_some() && guest.has_directory("/opt/app/.git"));
        assert!(guest.has_directory("/srv/www/.git"));
        let result = run(
            &mut guest,
            "cd /opt && git clone https://github.com/example/app.git",
        );
        assert_eq!(result.exit_code, 128);
        assert!(result
            .stderr
            .contains("already exists and is not an empty directory"));
        assert_eq!(run(&mut guest, "cd /opt/app && git status").exit_code, 0);
        assert_eq!(run(&mut guest, "cd / && git status").exit_code, 128);
    }

    // ---- shell semantics ----

    #[test]
    fn failures_do_not_stop_a_script_without_set_e() {
        let mut guest = al2023();
        let result = run(&mut guest, "false\nnosuchcommand\necho after\ntrue");
        assert_eq!(result.exit_code, 0);
        assert_eq!(result.stdout, "after\n");
        assert_eq!(result.stderr, "bash: nosuchcommand: command not found\n");
        let result = run(&mut guest, "echo before\nfalse");
        assert_eq!(result.exit_code, 1, "the exit code is the last command's");
    }

    #[test]
    fn set_e_stops_at_the_first_failure() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "set -e\necho one\nfalse && echo skipped\necho two\nmkdir /a/b\necho never",
        );
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stdout, "one\ntwo\n",
            "a failure inside && does not trigger set -e"
        );
        let result = run(&mut guest, "set -euo pipefail\nfalse | true\necho never");
        assert_eq!(result.exit_code, 1);
        assert!(result.stdout.is_empty());
        let result = run(&mut guest, "set -e\nset +e\nfalse\necho survived");
        assert_eq!(result.stdout, "survived\n");
    }

    #[test]
    fn and_or_and_semicolons() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "true && echo a || echo b; false && echo c || echo d; false || true && echo e",
        );
        assert_eq!(result.stdout, "a\nd\ne\n");
        assert_eq!(result.exit_code, 0);
        let result = run(&mut guest, "! false && echo negated");
        assert_eq!(result.stdout, "negated\n");
    }

    #[test]
    fn quoting_groups_words_and_is_removed() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo 'a  b'   \"c  d\" e\\ f\necho '$HOME' \"$HOME\" ~\necho \"it's\" 'say \"hi\"'\necho a#b # comment");
        assert_eq!(
            result.stdout,
            "a  b c  d e f\n$HOME /root /root\nit's say \"hi\"\na#b\n"
        );
        run(&mut guest, "touch '/tmp/with space'");
        assert!(guest.file("/tmp/with space").is_some());
        let result = run(&mut guest, "echo \"unterminated");
        assert_eq!(result.exit_code, 2);
        assert!(result
            .stderr
            .contains("unexpected EOF while looking for matching"));
    }

    #[test]
    fn variables_and_command_substitution() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "export APP=web\nNAME=\"my app\"\necho \"$APP ${NAME} ${MISSING:-fallback} [$MISSING]\"\necho \"<h1>$(hostname)</h1>\" > /tmp/i.html\nfalse; echo $?",
        );
        assert_eq!(result.stdout, "web my app fallback []\n1\n");
        assert_eq!(
            guest.file("/tmp/i.html").as_deref(),
            Some("<h1>ip-172-31-16-10.ec2.internal</h1>\n")
        );
        let result = run(&mut guest, "set -e\nx=$(false)\necho never");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (1, ""),
            "x=$(false) fails, as in bash"
        );
        let result = run(&mut guest, "set -u\necho $UNDEFINED\necho never");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("UNDEFINED: unbound variable"));
    }

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

    #[test]
    fn line_continuations_join_lines() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "dnf install -y \\\n  git \\\n  jq &&\n  echo done",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("git") && guest.has_package("jq"));
        assert!(result.stdout.ends_with("done\n"));
    }

    #[test]
    fn unsupported_syntax_stops_like_a_syntax_error() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo one\nif true; then echo two; fi\necho three",
        );
        assert_eq!(result.exit_code, 2);
        assert_eq!(result.stdout, "one\n");
        assert!(result
            .stderr
            .contains("not supported by this simulated shell"));
        let result = run(&mut guest, "cat > /tmp/x <<EOF\nhello\nEOF");
        assert_eq!(result.exit_code, 2);
        assert!(guest.file("/tmp/x").is_none());
        let result = run(&mut guest, "&& echo x");
        assert_eq!(result.exit_code, 2);
        assert!(result
            .stderr
            .contains("syntax error near unexpected token `&&'"));
    }

    #[test]
    fn exit_stops_the_script() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo a\nexit 3\necho b");
        assert_eq!((result.exit_code, result.stdout.as_str()), (3, "a\n"));
        let result = run(&mut guest, "bash -c 'exit 4'\necho status=$?");
        assert_eq!(
            (result.exit_code, result.stdout.as_str()),
            (0, "status=4\n"),
            "exit in a child shell ends only that shell"
        );
    }

    #[test]
    fn stream_redirections() {
        let mut guest = al2023();
        let result = run(&mut guest, "cat /missing 2>/dev/null\ncat /missing 2>&1 | grep -c 'No such'\necho oops >&2\nls /missing > /tmp/out 2>&1");
        assert_eq!(result.stdout, "1\n");
        assert_eq!(result.stderr, "oops\n");
        assert!(guest.file("/tmp/out").unwrap().contains("cannot access"));
        let result = run(&mut guest, "wc -l < /etc/hosts");
        assert_eq!(result.stdout, "2\n");
        let result = run(&mut guest, "mkdir -p /opt/app/{logs,conf} && touch /opt/app/logs/f{1..2} '/opt/{q}'\nls /opt/app /opt/app/logs");
        assert_eq!(
            result.stdout,
            "/opt/app:\nconf\nlogs\n\n/opt/app/logs:\nf1\nf2\n"
        );
        assert!(
            guest.file("/opt/{q}").is_some(),
            "quoted braces stay literal"
        );
    }

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

    #[test]
    fn crontab_needs_cronie_on_al2023() {
        let mut guest = al2023();
        assert_eq!(
            run(&mut guest, "echo '* * * * * true' | crontab -").exit_code,
            127
        );
        let mut guest = Guest::new(OsFamily::AmazonLinux2);
        let result = run(
            &mut guest,
            "echo '*/5 * * * * /opt/job.sh' | crontab -\ncrontab -l",
        );
        assert_eq!(result.stdout, "*/5 * * * * /opt/job.sh\n");
        assert!(guest.file("/var/spool/cron/root").is_some());
    }

    // ---- web ----

    #[test]
    fn curl_localhost_follows_the_web_server() {
        let mut guest = al2023();
        let result = run(&mut guest, "curl http://localhost");
        assert_eq!(result.exit_code, 7);
        assert_eq!(result.stderr, "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n");
        let result = run(&mut guest, "curl -s localhost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (7, ""),
            "-s silences curl's errors"
        );
        assert!(guest.http_get("/").is_none());
        let result = run(
            &mut guest,
            "dnf install -y nginx\nsystemctl enable --now nginx\necho '<h1>hello</h1>' | sudo tee /usr/share/nginx/html/index.html\ncurl -s http://localhost/",
        );
        assert!(
            result.stdout.ends_with("<h1>hello</h1>\n<h1>hello</h1>\n"),
            "{}",
            result.stdout
        );
        assert_eq!(
            guest.http_get("/index.html"),
            Some((200, "<h1>hello</h1>\n".to_string()))
        );
        let result = run(
            &mut guest,
            "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/missing",
        );
        assert_eq!(result.stdout, "404");
        assert_eq!(
            run(&mut guest, "curl -sf http://localhost/missing").exit_code,
            22
        );
    }

    #[test]
    fn instance_metadata_is_served_to_curl() {
        let mut guest = al2023();
        assert!(guest.set_instance_metadata("meta-data/instance-id", "i-0123456789abcdef0"));
        let result = run(
            &mut guest,
            "echo \"<p>$(curl -s http://169.254.169.254/latest/meta-data/instance-id)</p>\" > /tmp/id\ncurl -s http://169.254.169.254/latest/meta-data/",
        );
        assert_eq!(
            guest.file("/tmp/id").as_deref(),
            Some("<p>i-0123456789abcdef0</p>\n")
        );
        assert_eq!(result.stdout, "instance-id");
        guest.clear_instance_metadata();
        assert_eq!(
            run(
                &mut guest,
                "curl -sf http://169.254.169.254/latest/meta-data/instance-id"
            )
            .exit_code,
            22
        );
    }

    // ---- buffered writes ----

    #[test]
    fn unsynced_writes_are_visible_but_not_durable() {
        let mut guest = al2023();
        let result = run(&mut guest, "echo data > /opt/app.conf\ncat /opt/app.conf");
        assert_eq!(result.stdout, "data\n");
        assert_eq!(guest.file("/opt/app.conf").as_deref(), Some("data\n"));
        assert_eq!(guest.durable_file("/opt/app.conf"), None);
        assert!(guest.has_unsynced_writes());
        let copy = guest.crash_consistent_copy();
        assert_eq!(copy.file("/opt/app.conf"), None);
        assert!(!copy.has_unsynced_writes());
        assert_eq!(
            guest.file("/opt/app.conf").as_deref(),
            Some("data\n"),
            "the original keeps its cache"
        );

        run(&mut guest, "sync");
        assert_eq!(
            guest.durable_file("/opt/app.conf").as_deref(),
            Some("data\n")
        );
        assert!(!guest.has_unsynced_writes());
        assert_eq!(
            guest
                .crash_consistent_copy()
                .file("/opt/app.conf")
                .as_deref(),
            Some("data\n")
        );
    }

    #[test]
    fn removals_and_package_files_are_buffered_but_tables_are_not() {
        let mut guest = al2023();
        run(
            &mut guest,
            "rm /etc/hostname\ndnf install -y nginx\nuseradd deploy",
        );
        assert_eq!(guest.file("/etc/hostname"), None);
        assert!(guest.durable_file("/etc/hostname").is_some());
        let crashed = guest.crash_consistent_copy();
        assert!(
            crashed.file("/etc/hostname").is_some(),
            "the deletion was lost"
        );
        assert!(
            crashed.has_package("nginx")
                && crashed.service("nginx").is_some()
                && crashed.has_user("deploy")
        );
        assert!(
            crashed.file("/etc/nginx/nginx.conf").is_none(),
            "package files sat in the page cache"
        );
        assert!(!crashed.has_directory("/home/deploy"));
    }

    #[test]
    fn sync_shutdown_and_power_loss() {
        let mut guest = al2023();
        run(&mut guest, "echo a > /opt/a");
        guest.sync();
        assert_eq!(guest.durable_file("/opt/a").as_deref(), Some("a\n"));
        run(&mut guest, "echo b > /opt/b");
        guest.lose_unsynced();
        assert_eq!(guest.file("/opt/b"), None);
        assert_eq!(guest.file("/opt/a").as_deref(), Some("a\n"));
        run(
            &mut guest,
            "echo c > /opt/c\necho t > /tmp/t\necho s > /mnt/ephemeral0/s",
        );
        guest.shutdown();
        assert_eq!(
            guest.durable_file("/opt/c").as_deref(),
            Some("c\n"),
            "clean shutdown syncs"
        );
        assert_eq!(guest.file("/tmp/t"), None);
        assert_eq!(guest.file("/mnt/ephemeral0/s"), None);
        assert!(guest.has_directory("/tmp") && guest.has_directory("/mnt/ephemeral0"));
        assert!(!guest.has_unsynced_writes());
    }

    #[test]
    fn wipe_instance_store_empties_only_the_mount() {
        let mut guest = al2023();
        run(&mut guest, "mkdir -p /mnt/ephemeral0/cache && echo x > /mnt/ephemeral0/cache/x && echo k > /opt/keep\nsync");
        guest.wipe_instance_store();
        assert!(guest.has_directory("/mnt/ephemeral0"));
        assert!(!guest.has_directory("/mnt/ephemeral0/cache"));
        assert_eq!(guest.durable_file("/mnt/ephemeral0/cache/x"), None);
        assert_eq!(guest.file("/opt/keep").as_deref(), Some("k\n"));
    }

    // ---- limits and determinism ----

    #[test]
    fn captured_output_is_cut_at_ssm_limits() {
        let mut guest = al2023();
        let long = "x".repeat(1000);
        let script: Vec<String> = (0..40)
            .flat_map(|_| [format!("echo {long}"), format!("echo {long} >&2")])
            .collect();
        let result = guest.run_script(&script);
        assert_eq!(result.stdout.chars().count(), MAX_STDOUT_CHARS);
        assert_eq!(result.stderr.chars().count(), MAX_STDERR_CHARS);
        assert_eq!(result.exit_code, 0);
    }

    #[test]
    fn file_size_and_disk_limits() {
        let mut guest = al2023();
        let chunk = "y".repeat(60_000);
        let result = run(
            &mut guest,
            &format!("echo {chunk} > /opt/big\necho {chunk} >> /opt/big"),
        );
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("No space left on device"));
        assert_eq!(guest.file("/opt/big").map(|c| c.len()), Some(60_001));
        let fill: Vec<String> = (0..20)
            .map(|i| format!("echo {chunk} > /opt/f{i}"))
            .collect();
        let result = guest.run_script(&fill);
        assert_eq!(result.exit_code, 1);
        let used: usize = guest
            .files()
            .iter()
            .filter_map(|f| guest.file(f))
            .map(|c| c.len())
            .sum();
        assert!(used <= MAX_DISK_BYTES);
    }

    #[test]
    fn file_count_limit() {
        let mut fs = FileSystem::with_root();
        for i in 0..MAX_FILES {
            fs.write(&format!("/{i}"), String::new()).unwrap();
        }
        assert_eq!(fs.write("/one-more", String::new()), Err(FsError::NoSpace));
        assert_eq!(
            fs.write("/0", "rewrite".into()),
            Ok(()),
            "existing files can still change"
        );
    }

    #[test]
    fn runaway_scripts_are_bounded() {
        let mut guest = al2023();
        let script = vec!["true".to_string(); MAX_COMMANDS_PER_RUN + 5];
        let result = guest.run_script(&script);
        assert_eq!(result.exit_code, 124);
        assert!(result.stderr.contains("simulator limit"));
        let result = run(
            &mut guest,
            "echo 'source /opt/loop.sh' > /opt/loop.sh\nsource /opt/loop.sh\necho after",
        );
        assert_eq!(result.stdout, "after\n");
        assert!(result.stderr.contains("maximum nesting level"));
        let grow = "A=$A$A$A$A$A$A$A$A\n".repeat(5);
        let result = run(
            &mut guest,
            &format!("A=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{grow}echo never"),
        );
        assert_eq!(result.exit_code, 126, "variables cannot grow without bound");
        assert!(result.stderr.contains("Argument list too long"));
        assert!(result.stdout.is_empty());
    }

    #[test]
    fn same_script_gives_equal_guests() {
        let script = "dnf install -y nginx git nodejs\nsystemctl enable --now nginx\nuseradd deploy\nnpm install -g pm2\necho hi > /opt/x\ngit clone https://github.com/a/b.git /srv/b";
        let mut first = al2023();
        let mut second = al2023();
        let a = run(&mut first, script);
        let b = run(&mut second, script);
        assert_eq!(a, b);
        assert_eq!(first, second);
        assert_eq!(first.clone(), first);
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

    #[test]
    fn cloudwatch_agent_starts_from_a_config_file() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y amazon-cloudwatch-agent");
        let ctl = "amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/cw.json";
        assert_eq!(
            run(&mut guest, ctl).exit_code,
            1,
            "the config file is missing"
        );
        let result = run(&mut guest, &format!("echo '{{}}' > /opt/cw.json\n{ctl}"));
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        let agent = guest.service("amazon-cloudwatch-agent").unwrap();
        assert!(agent.enabled && agent.active);
        assert!(run(&mut guest, "amazon-cloudwatch-agent-ctl -a status")
            .stdout
            .contains("\"running\""));
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

    #[test]
    fn text_tools_head_tail_sort_wc() {
        let mut guest = al2023();
        run(&mut guest, "printf 'c\\nb\\na\\nb\\n' > /tmp/l");
        assert_eq!(run(&mut guest, "head -n 2 /tmp/l").stdout, "c\nb\n");
        assert_eq!(run(&mut guest, "tail -1 /tmp/l").stdout, "b\n");
        assert_eq!(run(&mut guest, "sort -u /tmp/l").stdout, "a\nb\nc\n");
        assert_eq!(
            run(&mut guest, "cat /tmp/l | sort -r | head -n 1").stdout,
            "c\n"
        );
        assert_eq!(run(&mut guest, "wc -l /tmp/l").stdout, "4 /tmp/l\n");
        let result = run(&mut guest, "head /missing");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("cannot open '/missing' for reading"));
    }

    #[test]
    fn rmdir_and_ln() {
        let mut guest = al2023();
        run(&mut guest, "mkdir -p /x/y && touch /x/y/f");
        let result = run(&mut guest, "rmdir /x/y");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "rmdir: failed to remove '/x/y': Directory not empty\n")
        );
        assert_eq!(run(&mut guest, "rm /x/y/f && rmdir /x/y").exit_code, 0);
        assert!(!guest.has_directory("/x/y"));
        assert_eq!(run(&mut guest, "ln -s /etc/hostname /x/link").exit_code, 0);
        assert_eq!(
            run(&mut guest, "ln -s /etc/hostname /nodir/link").exit_code,
            1
        );
        assert_eq!(run(&mut guest, "ln /missing /x/hard").exit_code, 1);
    }

    #[test]
    fn wget_downloads_to_a_file() {
        let mut guest = ubuntu();
        let result = run(
            &mut guest,
            "cd /tmp && wget -q https://example.com/tool.tar.gz && ls",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "tool.tar.gz\n");
        assert!(guest
            .file("/tmp/tool.tar.gz")
            .unwrap()
            .starts_with("# simulated download"));
        let result = run(&mut guest, "wget -qO- http://localhost/");
        assert_eq!(result.exit_code, 4);
        assert!(result.stderr.contains("Connection refused"));
    }

    // ---- internals ----

    #[test]
    fn patterns_match_like_basic_regexes() {
        let matches = |p: &str, s: &str| Pattern::compile(p, false, false).unwrap().is_match(s);
        assert!(matches("^#\\?Port", "#Port 22") && matches("^#\\?Port", "Port 22"));
        assert!(!matches("^Port", "#Port"));
        assert!(matches("a.*c$", "xxabbbc") && !matches("a.*c$", "abcd"));
        assert!(matches("[0-9][0-9]*", "port 80") && !matches("[[:digit:]]", "none"));
        assert!(Pattern::compile("ab+c", true, false)
            .unwrap()
            .is_match("abbbc"));
        let chars: Vec<char> = "aaa".chars().collect();
        assert_eq!(
            Pattern::compile("a*", false, false)
                .unwrap()
                .find_at(&chars, 0),
            Some((0, 3))
        );
        assert!(Pattern::compile("[abc", false, false).is_err());
    }

    #[test]
    fn tokenizer_and_paths() {
        assert_eq!(normalize_path("/opt/app", "../x/./y//z"), "/opt/x/y/z");
        assert_eq!(normalize_path("/", ".."), "/");
        assert_eq!(
            package_file_stem("https://x/y/amazon-cloudwatch-agent.rpm"),
            "amazon-cloudwatch-agent"
        );
        assert_eq!(package_file_stem("foo_1.2_amd64.deb"), "foo");
        assert_eq!(repo_name("git@github.com:me/site.git"), "site");
        let tokens = tokenize("a 2>&1 | b >> f && c").unwrap();
        assert_eq!(
            tokens.iter().filter(|t| matches!(t, Token::Op(_))).count(),
            4
        );
        assert!(wildcard_match("*.log", "a.log") && !wildcard_match("*.log", "a.txt"));
        assert_eq!(parse_mode("u+x,go-w", 0o666, false), Some(0o744));
        assert_eq!(
            expand_braces("/opt/{a,b{1..2}}/x"),
            ["/opt/a/x", "/opt/b1/x", "/opt/b2/x"]
        );
        assert_eq!(expand_braces("${x}{}"), ["${x}{}"]);
    }
}

//! The inside of a simulated EC2 instance (packages, services, users, files) and the small shell that SSM `AWS-RunShellScript` and user data run in it.
//!
//! # Example
//! Install and start a web server on Amazon Linux 2023, change its page, and look at the result:
//! ```
//! use amilab_guest::{Guest, OsFamily};
//!
//! let mut guest = Guest::new(OsFamily::AmazonLinux2023);
//! let run = guest.run_script(&[
//!     "dnf install -y nginx".to_string(),
//!     "systemctl enable --now nginx".to_string(),
//!     "echo 'Hello from my AMI' > /usr/share/nginx/html/index.html".to_string(),
//!     "curl -s http://localhost/".to_string(),
//! ]);
//! assert_eq!(run.exit_code, 0);
//! assert!(run.stdout.ends_with("Hello from my AMI\n"));
//! assert!(guest.has_package("nginx"));
//! assert!(guest.service("nginx").is_some_and(|s| s.enabled && s.active));
//!
//! // The page is written, but still in the page cache: an image taken without a reboot
//! // would not have it until something runs `sync`.
//! let page = "/usr/share/nginx/html/index.html";
//! assert_eq!(guest.file(page).as_deref(), Some("Hello from my AMI\n"));
//! assert_eq!(guest.durable_file(page), None);
//! guest.sync();
//! assert_eq!(guest.durable_file(page).as_deref(), Some("Hello from my AMI\n"));
//! ```
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
//!
//! # Layout
//! - `os` (the OS families), `paths` (path arithmetic) and `fs` (one file tree with its limits).
//! - The guest's tables and their rules: `catalog` (the packages of each OS, content kept in
//!   `data/packages.toml` and turned into static tables by `build.rs`), `packages`,
//!   `services`, `users`, `http` (its web server and the metadata service), and `seed` (what a
//!   fresh system holds).
//! - `shell`: lexing, parsing, expansion, redirections and running scripts.
//! - `commands`: the simulated commands, one module per family, and the dispatch between them.

#![warn(missing_docs)]

mod catalog;
mod commands;
mod fs;
mod http;
mod os;
mod packages;
mod paths;
mod seed;
mod services;
mod shell;
#[cfg(test)]
mod testing;
mod users;

pub use os::OsFamily;

use std::collections::{BTreeMap, BTreeSet};

use fs::FileSystem;
use paths::normalize_path;
use services::ServiceState;
use shell::{Capture, Shell};
use users::Account;

// Limits (see the module documentation); the private ones bound what one script can use.

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
/// Bytes the regular-expression searches of one run (user data, one SSM command) may read,
/// each search charged twice the rest of its line (what the two searches of a leftmost-longest
/// match may read): under a second of matching in a release build. Lines of configuration
/// files never come near (`s/a/x/g` on a 16 KiB line of 8,000 matches is charged 128 MiB);
/// `s/a.*b|a/X/g` on one 64 KiB line would read 4 GiB (7.6 s in GNU sed). A cloud also gives
/// all the runs of one script a budget of a few times this. See `commands::regex`.
pub const MAX_REGEX_SCAN_BYTES: u64 = 256 << 20;
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
/// Longest regular expression `grep` and `sed` take, in bytes of its source.
const MAX_PATTERN_BYTES: usize = 8 * 1024;
/// Most parentheses a translated regular expression may hold (groups, and the wrappers of a
/// repeated repetition such as `a**`): bounds the nesting the `regex` crate has to parse.
const MAX_PATTERN_NESTING: usize = 200;
/// What one compiled regular expression may take (the `regex` crate's size limits): the guest
/// compiles learners' patterns, so `x{1000}{1000}` is refused as too big, not built. A pattern
/// a learner writes takes a few kilobytes (`\w` alone, Unicode, takes 18); `\w{50}` fits.
const MAX_REGEX_BYTES: usize = 1024 * 1024;

/// What one run of [`Guest::run_script`] reports, like an SSM command invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// The script's exit status, as a shell gives it: the last command's (0 is success,
    /// 127 "command not found", 2 a syntax error or unsupported construct, 1 on Windows).
    pub exit_code: i32,
    /// Standard output, at most [`MAX_STDOUT_CHARS`] characters (the rest is dropped, as SSM
    /// drops it).
    pub stdout: String,
    /// Standard error, at most [`MAX_STDERR_CHARS`] characters.
    pub stderr: String,
}

/// A systemd unit (or SysV service on [`OsFamily::LegacyLinux`]) as `systemctl` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The unit name without `.service` (`nginx`, `sshd`, `amazon-ssm-agent`).
    pub name: String,
    /// Starts at boot (`systemctl enable`, `chkconfig on`).
    pub enabled: bool,
    /// Runs now (`systemctl start`); every service stops at shutdown.
    pub active: bool,
}

const INSTANCE_STORE: &str = "/mnt/ephemeral0";

/// The operating system inside one instance (or one image). See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// What `uname -m` says: the processor of the instance the system runs on.
    #[serde(with = "machine_name")]
    machine: StaticStr,
}

/// A name from a static table. Spelt through an alias so that serde's derive does not take it
/// for a string borrowed from the input (which would tie a guest to the text it was read from).
type StaticStr = &'static str;

/// The processors [`Guest::set_machine`] is told about; a saved guest names one of them.
const MACHINES: [&str; 3] = ["x86_64", "aarch64", "i686"];

/// `machine` is saved as its name and read back as the matching static name.
mod machine_name {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        machine: &&'static str,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(machine)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        let name = String::deserialize(d)?;
        super::MACHINES
            .iter()
            .find(|m| **m == name)
            .copied()
            .ok_or_else(|| {
                D::Error::custom(format!(
                    "unknown machine `{name}`, expected one of {:?}",
                    super::MACHINES
                ))
            })
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
            machine: "x86_64",
        };
        if os.is_windows() {
            guest.seed_windows();
        } else {
            guest.seed_linux();
        }
        guest.disk = guest.live.clone();
        guest
    }

    /// The operating system the guest was created with; it never changes.
    pub fn os(&self) -> OsFamily {
        self.os
    }

    /// Runs the lines as one shell script, as root in `/`, like `AWS-RunShellScript`: a failing
    /// line does not stop the script unless `set -e` ran earlier; the exit code is the last
    /// command's. On Windows every line fails: there is no Linux shell.
    pub fn run_script(&mut self, lines: &[String]) -> Execution {
        self.run_script_within(lines, &mut MAX_REGEX_SCAN_BYTES.clone())
    }

    /// [`Guest::run_script`], its regular-expression searches charged to `regex_budget` (bytes
    /// they may read; what is left is written back) as well as to the run's own
    /// [`MAX_REGEX_SCAN_BYTES`]: a cloud passes one budget to all the runs of a script, so that
    /// no number of runs can keep it busy for long.
    pub fn run_script_within(&mut self, lines: &[String], regex_budget: &mut u64) -> Execution {
        if self.os.is_windows() {
            return refuse_on_windows(lines);
        }
        let physical: Vec<String> = lines
            .iter()
            .flat_map(|l| l.split('\n'))
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        let mut shell = Shell::new(self);
        let granted = MAX_REGEX_SCAN_BYTES.min(*regex_budget);
        shell.regex_scan_left = granted;
        let exit_code = match shell.run_lines(&physical) {
            Ok(status) => status,
            Err(stop) => stop.status(),
        };
        *regex_budget -= granted - shell.regex_scan_left;
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

    /// Whether some change to the files (a write, a removal, a package's files) has not reached
    /// the disk yet: an image taken without rebooting now would miss it.
    pub fn has_unsynced_writes(&self) -> bool {
        self.live != self.disk
    }

    /// Paths of all directories as the running OS sees them, sorted (`/` included).
    pub fn directories(&self) -> Vec<String> {
        self.live.dirs.iter().cloned().collect()
    }

    /// Whether `path` (absolute, or relative to `/`) is a directory as the running OS sees it.
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

    /// The static hostname (`/etc/hostname`), or `localhost` when there is none.
    pub fn hostname(&self) -> String {
        self.live
            .files
            .get("/etc/hostname")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".to_string())
    }

    /// Tells the system which processor it runs on (`x86_64`, `aarch64`, `i686`): the instance
    /// type decides, not the disk.
    pub fn set_machine(&mut self, machine: &'static str) {
        self.machine = machine;
    }

    /// The processor `uname -m` reports.
    pub fn machine(&self) -> &'static str {
        self.machine
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

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use catalog::package_file_stem;
    use commands::files::parse_mode;
    use commands::git::repo_name;
    use shell::expand::expand_braces;
    use shell::lex::{tokenize, Token};

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
        assert_eq!(parse_mode("u+x,go-w", 0o666, false), Some(0o744));
        assert_eq!(
            expand_braces("/opt/{a,b{1..2}}/x"),
            ["/opt/a/x", "/opt/b1/x", "/opt/b2/x"]
        );
        assert_eq!(expand_braces("${x}{}"), ["${x}{}"]);
    }
}

//! What a freshly installed system holds: base directories, files, accounts and packages per OS.

use super::catalog::{base_packages, spec_named};
use super::fs::Meta;
use super::os::{os_release, OsFamily};
use super::services::ServiceState;
use super::{Guest, INSTANCE_STORE};

/// Directories of every Linux guest; each family adds its own below.
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

/// Configuration files every Linux guest starts with.
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

impl Guest {
    pub(crate) fn seed_linux(&mut self) {
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
            *state = ServiceState::RUNNING;
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

    pub(crate) fn seed_windows(&mut self) {
        self.add_group("Administrators", 544);
        self.add_account(
            "Administrator",
            500,
            "Administrators",
            "C:\\Users\\Administrator",
            "powershell.exe",
        );
        self.services
            .insert("AmazonSSMAgent".into(), ServiceState::RUNNING);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! The operating systems a guest can run, and the facts about each that the simulation needs.

/// The operating system installed on an instance.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum OsFamily {
    /// Amazon Linux 2023: dnf, systemd, `ec2-user`.
    AmazonLinux2023,
    /// Amazon Linux 2: yum, systemd, `amazon-linux-extras` topics, `ec2-user`.
    AmazonLinux2,
    /// Ubuntu 24.04 LTS (Noble Numbat): apt, snap, systemd, `ubuntu`.
    Ubuntu,
    /// Red Hat Enterprise Linux 9: dnf, systemd, `ec2-user`.
    Rhel,
    /// Windows Server 2022: no Linux shell and no packages; `Administrator`.
    Windows,
    /// The original Amazon Linux AMI (2018.03): yum, SysV init (`service`/`chkconfig`, no systemd).
    LegacyLinux,
}

// One bit per family: a package's `oses` (which repositories carry it) is a set of them. The
// sets below are the ones the code asks about; the data file has same-named groups
// (`modern-rpm`, `rpm`, `systemd`), and a catalogue test checks that they agree.
pub(crate) const OS_AL2023: u8 = 1;
pub(crate) const OS_AL2: u8 = 1 << 1;
pub(crate) const OS_RHEL: u8 = 1 << 2;
pub(crate) const OS_UBUNTU: u8 = 1 << 3;
pub(crate) const OS_LEGACY: u8 = 1 << 4;
pub(crate) const OS_MODERN_RPM: u8 = OS_AL2023 | OS_AL2 | OS_RHEL;
pub(crate) const OS_RPM: u8 = OS_MODERN_RPM | OS_LEGACY;
pub(crate) const OS_SYSTEMD: u8 = OS_MODERN_RPM | OS_UBUNTU;

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

    /// Whether this is [`OsFamily::Windows`], where scripts for the Linux shell fail.
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

    pub(crate) fn bit(self) -> u8 {
        match self {
            OsFamily::AmazonLinux2023 => OS_AL2023,
            OsFamily::AmazonLinux2 => OS_AL2,
            OsFamily::Ubuntu => OS_UBUNTU,
            OsFamily::Rhel => OS_RHEL,
            OsFamily::LegacyLinux => OS_LEGACY,
            OsFamily::Windows => 0,
        }
    }

    pub(crate) fn is_debian(self) -> bool {
        self == OsFamily::Ubuntu
    }

    pub(crate) fn has_systemd(self) -> bool {
        self.bit() & OS_SYSTEMD != 0
    }

    /// Packages from downloaded `.rpm`/`.deb` files ignore the repositories, not the format.
    pub(crate) fn family_mask(self) -> u8 {
        if self.is_debian() {
            OS_UBUNTU
        } else {
            OS_RPM
        }
    }

    pub(crate) fn rpm_release(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "amzn2023",
            OsFamily::AmazonLinux2 => "amzn2",
            OsFamily::Rhel => "el9",
            OsFamily::LegacyLinux => "amzn1",
            OsFamily::Ubuntu | OsFamily::Windows => "",
        }
    }

    pub(crate) fn repo_name(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "amazonlinux",
            OsFamily::AmazonLinux2 => "amzn2-core",
            OsFamily::Rhel => "rhel-9-baseos-rhui-rpms",
            OsFamily::LegacyLinux => "amzn-main",
            OsFamily::Ubuntu => "noble",
            OsFamily::Windows => "",
        }
    }

    pub(crate) fn kernel_release(self) -> &'static str {
        match self {
            OsFamily::AmazonLinux2023 => "6.1.115-126.197.amzn2023.x86_64",
            OsFamily::AmazonLinux2 => "5.10.228-219.884.amzn2.x86_64",
            OsFamily::Ubuntu => "6.8.0-1018-aws",
            OsFamily::Rhel => "5.14.0-427.13.1.el9_4.x86_64",
            OsFamily::LegacyLinux => "4.14.355-196.643.amzn1.x86_64",
            OsFamily::Windows => "10.0.20348",
        }
    }

    pub(crate) fn nologin(self) -> &'static str {
        if self.is_debian() {
            "/usr/sbin/nologin"
        } else {
            "/sbin/nologin"
        }
    }
}

/// The contents of `/etc/os-release`.
pub(crate) fn os_release(os: OsFamily) -> &'static str {
    match os {
        OsFamily::AmazonLinux2023 => "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\nPLATFORM_ID=\"platform:al2023\"\nPRETTY_NAME=\"Amazon Linux 2023.6.20250218\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2023\"\nHOME_URL=\"https://aws.amazon.com/linux/amazon-linux-2023/\"\nDOCUMENTATION_URL=\"https://docs.aws.amazon.com/linux/\"\nSUPPORT_URL=\"https://aws.amazon.com/premiumsupport/\"\nBUG_REPORT_URL=\"https://github.com/amazonlinux/amazon-linux-2023\"\nVENDOR_NAME=\"AWS\"\nVENDOR_URL=\"https://aws.amazon.com/\"\nSUPPORT_END=\"2029-06-30\"\n",
        OsFamily::AmazonLinux2 => "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\nVERSION_ID=\"2\"\nPRETTY_NAME=\"Amazon Linux 2\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2\"\nHOME_URL=\"https://amazonlinux.com/\"\nSUPPORT_END=\"2026-06-30\"\n",
        OsFamily::Ubuntu => "PRETTY_NAME=\"Ubuntu 24.04.2 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nVERSION=\"24.04.2 LTS (Noble Numbat)\"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL=\"https://www.ubuntu.com/\"\nSUPPORT_URL=\"https://help.ubuntu.com/\"\nBUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\nPRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/privacy-policy\"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n",
        OsFamily::Rhel => "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"9.5 (Plow)\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.5\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.5 (Plow)\"\nANSI_COLOR=\"0;31\"\nLOGO=\"fedora-logo-icon\"\nCPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\nHOME_URL=\"https://www.redhat.com/\"\nDOCUMENTATION_URL=\"https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9\"\nBUG_REPORT_URL=\"https://issues.redhat.com/\"\nREDHAT_SUPPORT_PRODUCT=\"Red Hat Enterprise Linux 9\"\nREDHAT_SUPPORT_PRODUCT_VERSION=\"9.5\"\n",
        OsFamily::LegacyLinux => "NAME=\"Amazon Linux AMI\"\nVERSION=\"2018.03\"\nID=\"amzn\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"2018.03\"\nPRETTY_NAME=\"Amazon Linux AMI 2018.03\"\nANSI_COLOR=\"0;33\"\nCPE_NAME=\"cpe:/o:amazon:linux:2018.03:ga\"\nHOME_URL=\"http://aws.amazon.com/amazon-linux-ami/\"\n",
        OsFamily::Windows => "",
    }
}

/// The `PRETTY_NAME` of os-release, as `hostnamectl` shows it.
pub(crate) fn pretty_name(os: OsFamily) -> &'static str {
    os_release(os)
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"'))
        .unwrap_or("Microsoft Windows Server 2022 Datacenter")
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

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
}

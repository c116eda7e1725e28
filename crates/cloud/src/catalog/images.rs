//! The public image catalogue present in every region: Amazon's, Canonical's, Red Hat's and
//! Microsoft's images, legacy PV and instance-store images, and marketplace images.

use super::{Arch, RootDevice, Virtualization};
use crate::guest::OsFamily;

/// The account that publishes Amazon's Linux images (alias `amazon`).
pub(crate) const AMAZON_OWNER: &str = "137112412989";
/// The account that publishes Amazon's Windows images (alias `amazon`).
pub(crate) const AMAZON_WINDOWS_OWNER: &str = "801119661308";
/// Canonical's account (Ubuntu).
pub(crate) const CANONICAL_OWNER: &str = "099720109477";
/// Red Hat's account (RHEL).
pub(crate) const REDHAT_OWNER: &str = "309956199498";
/// The account marketplace images are listed under here (alias `aws-marketplace`).
pub(crate) const MARKETPLACE_OWNER: &str = "679593333241";

/// One catalogue image; it exists in every region under a region-specific id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublicImage {
    /// A stable key the region-specific id is derived from.
    pub key: &'static str,
    /// The AMI name (`al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64`), as its publisher named it.
    pub name: &'static str,
    /// The AMI description.
    pub description: &'static str,
    /// The publisher's 12-digit account id.
    pub owner_id: &'static str,
    /// `amazon` or `aws-marketplace`; absent for other publishers.
    pub owner_alias: Option<&'static str>,
    /// When the publisher created it, ISO-8601.
    pub creation_date: &'static str,
    /// The operating system its guest runs.
    pub os: OsFamily,
    /// The CPU architecture it was built for.
    pub architecture: Arch,
    /// `hvm` or `paravirtual`.
    pub virtualization: Virtualization,
    /// Where its root device lives: EBS or the instance store.
    pub root_device: RootDevice,
    /// The root device's name (`/dev/xvda`, `/dev/sda1`).
    pub root_device_name: &'static str,
    /// Root volume size in GiB.
    pub root_size_gb: u32,
    /// The root volume's EBS type (`gp3`, `gp2`, `standard`); empty for an instance-store image.
    pub volume_type: &'static str,
    /// EC2's `PlatformDetails` (`Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`).
    pub platform_details: &'static str,
    /// EC2's `UsageOperation`, the billing code (`RunInstances`, `RunInstances:0002` for Windows,
    /// …).
    pub usage_operation: &'static str,
    /// `BootMode` (`uefi`, `legacy-bios`, `uefi-preferred`), when the image sets one.
    pub boot_mode: Option<&'static str>,
    /// Whether the image enables ENA (enhanced networking).
    pub ena_support: bool,
    /// Marketplace product code, if any.
    pub product_code: Option<&'static str>,
    /// Software fee per instance-hour, on top of the instance price.
    pub software_fee_hourly: f64,
    /// When the image is deprecated, ISO-8601, if it is.
    pub deprecation_time: Option<&'static str>,
    /// Shell commands that configured the image's guest when its vendor built it.
    pub preinstalled: &'static [&'static str],
}

const LINUX: &str = "Linux/UNIX";

const BASE: PublicImage = PublicImage {
    key: "",
    name: "",
    description: "",
    owner_id: AMAZON_OWNER,
    owner_alias: Some("amazon"),
    creation_date: "2025-02-20T00:00:00.000Z",
    os: OsFamily::AmazonLinux2023,
    architecture: Arch::X86_64,
    virtualization: Virtualization::Hvm,
    root_device: RootDevice::Ebs,
    root_device_name: "/dev/xvda",
    root_size_gb: 8,
    volume_type: "gp3",
    platform_details: LINUX,
    usage_operation: "RunInstances",
    boot_mode: Some("uefi-preferred"),
    ena_support: true,
    product_code: None,
    software_fee_hourly: 0.0,
    deprecation_time: None,
    preinstalled: &[],
};

/// Every catalogue image, in catalogue order (the order DescribeImages lists them in).
pub const PUBLIC_IMAGES: &[PublicImage] = &[
    PublicImage {
        key: "al2023-x86_64",
        name: "al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI 2023.6.20250218.2 x86_64 HVM kernel-6.1",
        ..BASE
    },
    PublicImage {
        key: "al2023-arm64",
        name: "al2023-ami-2023.6.20250218.2-kernel-6.1-arm64",
        description: "Amazon Linux 2023 AMI 2023.6.20250218.2 arm64 HVM kernel-6.1",
        architecture: Arch::Arm64,
        boot_mode: Some("uefi"),
        ..BASE
    },
    PublicImage {
        key: "amzn2-x86_64",
        name: "amzn2-ami-kernel-5.10-hvm-2.0.20250220.0-x86_64-gp2",
        description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20250220.0 x86_64 HVM gp2",
        creation_date: "2025-02-21T00:00:00.000Z",
        os: OsFamily::AmazonLinux2,
        volume_type: "gp2",
        boot_mode: None,
        ..BASE
    },
    PublicImage {
        key: "ubuntu-jammy-amd64",
        name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250228",
        description: "Canonical, Ubuntu, 22.04, amd64 jammy image",
        owner_id: CANONICAL_OWNER,
        owner_alias: None,
        creation_date: "2025-02-28T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        root_device_name: "/dev/sda1",
        volume_type: "gp2",
        boot_mode: Some("legacy-bios"),
        ..BASE
    },
    PublicImage {
        key: "ubuntu-jammy-arm64",
        name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20250228",
        description: "Canonical, Ubuntu, 22.04, arm64 jammy image",
        owner_id: CANONICAL_OWNER,
        owner_alias: None,
        creation_date: "2025-02-28T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        architecture: Arch::Arm64,
        root_device_name: "/dev/sda1",
        volume_type: "gp2",
        boot_mode: Some("uefi"),
        ..BASE
    },
    PublicImage {
        key: "ubuntu-noble-amd64",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305",
        description: "Canonical, Ubuntu, 24.04, amd64 noble image",
        owner_id: CANONICAL_OWNER,
        owner_alias: None,
        creation_date: "2025-03-05T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        root_device_name: "/dev/sda1",
        boot_mode: Some("uefi-preferred"),
        ..BASE
    },
    PublicImage {
        key: "ubuntu-noble-arm64",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250305",
        description: "Canonical, Ubuntu, 24.04, arm64 noble image",
        owner_id: CANONICAL_OWNER,
        owner_alias: None,
        creation_date: "2025-03-05T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        architecture: Arch::Arm64,
        root_device_name: "/dev/sda1",
        boot_mode: Some("uefi"),
        ..BASE
    },
    PublicImage {
        key: "rhel-9-x86_64",
        name: "RHEL-9.5.0_HVM-20250128-x86_64-0-Hourly2-GP3",
        description: "Provided by Red Hat, Inc.",
        owner_id: REDHAT_OWNER,
        owner_alias: None,
        creation_date: "2025-01-28T00:00:00.000Z",
        os: OsFamily::Rhel,
        root_size_gb: 10,
        platform_details: "Red Hat Enterprise Linux",
        usage_operation: "RunInstances:0010",
        boot_mode: None,
        ..BASE
    },
    PublicImage {
        key: "windows-2022",
        name: "Windows_Server-2022-English-Full-Base-2025.02.13",
        description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
        owner_id: AMAZON_WINDOWS_OWNER,
        creation_date: "2025-02-13T00:00:00.000Z",
        os: OsFamily::Windows,
        root_device_name: "/dev/sda1",
        root_size_gb: 30,
        volume_type: "gp2",
        platform_details: "Windows",
        usage_operation: "RunInstances:0002",
        boot_mode: None,
        ..BASE
    },
    PublicImage {
        key: "amzn-legacy-pv-ebs",
        name: "amzn-ami-pv-2018.03.0.20231218.0-x86_64-ebs",
        description: "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 PV EBS",
        creation_date: "2023-12-18T00:00:00.000Z",
        os: OsFamily::LegacyLinux,
        virtualization: Virtualization::Paravirtual,
        root_device_name: "/dev/sda1",
        volume_type: "standard",
        boot_mode: None,
        ena_support: false,
        deprecation_time: Some("2025-12-31T00:00:00.000Z"),
        ..BASE
    },
    PublicImage {
        key: "amzn-legacy-instance-store",
        name: "amzn-ami-hvm-2018.03.0.20231218.0-x86_64-s3",
        description: "Amazon Linux AMI 2018.03.0.20231218.0 x86_64 HVM instance-store",
        creation_date: "2023-12-18T00:00:00.000Z",
        os: OsFamily::LegacyLinux,
        root_device: RootDevice::InstanceStore,
        root_device_name: "/dev/sda1",
        root_size_gb: 10,
        volume_type: "",
        boot_mode: None,
        ena_support: false,
        deprecation_time: Some("2025-12-31T00:00:00.000Z"),
        ..BASE
    },
    PublicImage {
        key: "marketplace-lamp",
        name: "bitnami-lampstack-8.2.28-0-linux-debian-12-x86_64-hvm-ebs-nami",
        description: "LAMP packaged by Bitnami (Apache, MariaDB, PHP) on Debian 12",
        owner_id: MARKETPLACE_OWNER,
        owner_alias: Some("aws-marketplace"),
        creation_date: "2025-03-10T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        root_device_name: "/dev/xvda",
        root_size_gb: 10,
        boot_mode: None,
        product_code: Some("7axhc9g8w4lqkc3v2b6e1mzpa"),
        software_fee_hourly: 0.025,
        preinstalled: &[
            "apt-get install -y apache2 mariadb-server php",
            "systemctl enable --now apache2 mariadb",
            "sync",
        ],
        ..BASE
    },
    PublicImage {
        key: "marketplace-wordpress",
        name: "bitnami-wordpress-6.7.2-r0-debian-12-amd64",
        description: "WordPress packaged by Bitnami on Debian 12",
        owner_id: MARKETPLACE_OWNER,
        owner_alias: Some("aws-marketplace"),
        creation_date: "2025-03-12T00:00:00.000Z",
        os: OsFamily::Ubuntu,
        root_size_gb: 10,
        boot_mode: None,
        product_code: Some("3f9d0xq8vnm2l7k5r1tyu6wcb"),
        software_fee_hourly: 0.03,
        preinstalled: &[
            "apt-get install -y apache2 mariadb-server php",
            "systemctl enable --now apache2 mariadb",
            "mkdir -p /opt/bitnami/wordpress",
            "echo 'WordPress 6.7.2' > /opt/bitnami/wordpress/VERSION",
            "sync",
        ],
        ..BASE
    },
    PublicImage {
        key: "marketplace-nginx-plus",
        name: "nginx-plus-premium-al2023-r33-arm64",
        description: "NGINX Plus Premium on Amazon Linux 2023 (arm64), sold by F5",
        owner_id: MARKETPLACE_OWNER,
        owner_alias: Some("aws-marketplace"),
        creation_date: "2025-03-15T00:00:00.000Z",
        architecture: Arch::Arm64,
        boot_mode: Some("uefi"),
        product_code: Some("bq2nk8z5y0wt4e7hj9c1xrv3m"),
        software_fee_hourly: 0.11,
        preinstalled: &[
            "dnf install -y nginx",
            "systemctl enable --now nginx",
            "sync",
        ],
        ..BASE
    },
];

/// The id a catalogue image has in a region (`al2023-x86_64` in `eu-west-1` → `ami-0…`).
pub fn public_image_id(key: &str, region: &str) -> Option<String> {
    PUBLIC_IMAGES
        .iter()
        .any(|i| i.key == key)
        .then(|| crate::ids::stable_id("ami", &format!("{key}@{region}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_names_are_unique() {
        let mut keys: Vec<_> = PUBLIC_IMAGES.iter().map(|i| i.key).collect();
        let mut names: Vec<_> = PUBLIC_IMAGES.iter().map(|i| i.name).collect();
        keys.sort();
        keys.dedup();
        names.sort();
        names.dedup();
        assert_eq!(keys.len(), PUBLIC_IMAGES.len());
        assert_eq!(names.len(), PUBLIC_IMAGES.len());
    }

    #[test]
    fn catalogue_covers_the_teaching_cases() {
        let has = |f: &dyn Fn(&PublicImage) -> bool| PUBLIC_IMAGES.iter().any(f);
        assert!(has(&|i| i.virtualization == Virtualization::Paravirtual
            && i.root_device == RootDevice::Ebs));
        assert!(has(&|i| i.root_device == RootDevice::InstanceStore));
        assert!(has(
            &|i| i.os == OsFamily::Windows && i.root_device == RootDevice::Ebs
        ));
        assert!(
            PUBLIC_IMAGES
                .iter()
                .filter(|i| i.owner_alias == Some("aws-marketplace") && i.product_code.is_some())
                .count()
                >= 2
        );
        assert!(has(
            &|i| i.architecture == Arch::Arm64 && i.os == OsFamily::Ubuntu
        ));
    }

    #[test]
    fn ids_differ_per_region() {
        let east = public_image_id("al2023-x86_64", "us-east-1").unwrap();
        let west = public_image_id("al2023-x86_64", "eu-west-1").unwrap();
        assert_ne!(east, west);
        assert!(public_image_id("no-such-key", "us-east-1").is_none());
    }
}

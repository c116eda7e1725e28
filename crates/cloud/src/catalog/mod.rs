//! Data compiled into the binary: regions and zones, instance types, the public image catalogue.

pub mod images;
pub mod instance_types;
pub mod regions;

pub use images::{PublicImage, PUBLIC_IMAGES};
pub use instance_types::InstanceTypeInfo;
pub(crate) use instance_types::{instance_type, INSTANCE_TYPES};
pub use regions::{region, RegionInfo, REGIONS};

/// CPU architecture of an image or instance type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Arch {
    /// `i386`: 32-bit x86, which only a few old families run.
    I386,
    /// `x86_64`: 64-bit x86 (Intel, AMD).
    X86_64,
    /// `arm64`: 64-bit Arm (AWS Graviton).
    Arm64,
}

impl Arch {
    /// EC2's name for the architecture (`x86_64`), as `architecture` fields and filters show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::I386 => "i386",
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    /// The architecture EC2 calls `text`, if any (`i386`, `x86_64`, `arm64`).
    pub(crate) fn parse(text: &str) -> Option<Arch> {
        match text {
            "i386" => Some(Arch::I386),
            "x86_64" => Some(Arch::X86_64),
            "arm64" => Some(Arch::Arm64),
            _ => None,
        }
    }
}

/// Hardware virtual machine or paravirtual.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Virtualization {
    /// `hvm`: hardware virtual machine, what every current instance type runs.
    Hvm,
    /// `paravirtual`: Xen PV, only on old families (c1, c3, m1, m2, m3, t1; EC2-BEHAVIOUR.md,
    /// Instance types).
    Paravirtual,
}

impl Virtualization {
    /// EC2's name (`hvm`, `paravirtual`), as `virtualization_type` shows it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Virtualization::Hvm => "hvm",
            Virtualization::Paravirtual => "paravirtual",
        }
    }

    /// The virtualization type EC2 calls `text`, if any.
    pub(crate) fn parse(text: &str) -> Option<Virtualization> {
        match text {
            "hvm" => Some(Virtualization::Hvm),
            "paravirtual" => Some(Virtualization::Paravirtual),
            _ => None,
        }
    }
}

/// Where the root device lives: an EBS volume or the host's instance store.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RootDevice {
    /// `ebs`: the root device is an EBS volume made from the image's snapshot; the instance can
    /// stop and start.
    Ebs,
    /// `instance-store`: the root device is on the host's instance store, copied from an S3 bundle;
    /// it cannot stop, and its data is lost when the instance terminates.
    InstanceStore,
}

impl RootDevice {
    /// EC2's name (`ebs`, `instance-store`), as `root_device_type` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            RootDevice::Ebs => "ebs",
            RootDevice::InstanceStore => "instance-store",
        }
    }
}

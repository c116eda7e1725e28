//! Data compiled into the binary: regions and zones, instance types, the public image catalogue.

pub mod images;
pub mod instance_types;
pub mod regions;

pub use images::{PublicImage, PUBLIC_IMAGES};
pub use instance_types::{instance_type, InstanceTypeInfo, INSTANCE_TYPES};
pub use regions::{region, RegionInfo, REGIONS};

/// CPU architecture of an image or instance type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arch {
    I386,
    X86_64,
    Arm64,
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::I386 => "i386",
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    pub fn parse(text: &str) -> Option<Arch> {
        match text {
            "i386" => Some(Arch::I386),
            "x86_64" => Some(Arch::X86_64),
            "arm64" => Some(Arch::Arm64),
            _ => None,
        }
    }
}

/// Hardware virtual machine or paravirtual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Virtualization {
    Hvm,
    Paravirtual,
}

impl Virtualization {
    pub fn as_str(self) -> &'static str {
        match self {
            Virtualization::Hvm => "hvm",
            Virtualization::Paravirtual => "paravirtual",
        }
    }

    pub fn parse(text: &str) -> Option<Virtualization> {
        match text {
            "hvm" => Some(Virtualization::Hvm),
            "paravirtual" => Some(Virtualization::Paravirtual),
            _ => None,
        }
    }
}

/// Where the root device lives: an EBS volume or the host's instance store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RootDevice {
    Ebs,
    InstanceStore,
}

impl RootDevice {
    pub fn as_str(self) -> &'static str {
        match self {
            RootDevice::Ebs => "ebs",
            RootDevice::InstanceStore => "instance-store",
        }
    }
}

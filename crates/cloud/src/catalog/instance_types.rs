//! Instance types with their real architecture, virtualization and root-device support, size and
//! an approximate on-demand Linux price (us-east-1, USD per hour; a teaching approximation).

use super::{Arch, RootDevice, Virtualization};

/// One EC2 instance type and the facts the simulation needs about it. Architecture, virtualization
/// and root-device support follow from the type's family (EC2-BEHAVIOUR.md, Instance types).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceTypeInfo {
    /// The type's API name (`t3.micro`).
    pub name: &'static str,
    /// Default vCPUs, as DescribeInstanceTypes' `v_cpu_info.default_v_cpus` reports.
    pub vcpus: u32,
    /// Memory in MiB.
    pub memory_mib: u32,
    /// Approximate on-demand Linux price in us-east-1, USD per hour (a teaching approximation).
    pub hourly_usd: f64,
    /// Instance-store disks: (count, size in GB each). `(0, 0)` when EBS-only.
    pub instance_store: (u32, u32),
    /// GPUs (0 for most types).
    pub gpus: u32,
}

/// Families whose processors are Graviton (arm64).
const ARM_FAMILIES: &[&str] = &[
    "a1", "c6g", "c6gd", "c6gn", "c7g", "c7gd", "c7gn", "c8g", "m6g", "m6gd", "m7g", "m7gd", "m8g",
    "r6g", "r6gd", "r7g", "t4g", "x2gd",
];
/// Families that also run 32-bit (i386) images.
const I386_FAMILIES: &[&str] = &["c1", "c3", "m1", "t1", "t2"];
/// Families that run paravirtual images (they run HVM images too).
const PV_FAMILIES: &[&str] = &["c1", "c3", "m1", "m2", "m3", "t1"];
/// Families that can boot from an instance-store root device.
const INSTANCE_STORE_ROOT_FAMILIES: &[&str] =
    &["c1", "c3", "d2", "i2", "m1", "m2", "m3", "r3", "x1"];
/// Previous-generation families.
const PREVIOUS_GENERATION: &[&str] = &[
    "a1", "c1", "c3", "c4", "d2", "g2", "i2", "m1", "m2", "m3", "m4", "r3", "r4", "t1",
];
/// Burstable families (CPU credits).
const BURSTABLE_FAMILIES: &[&str] = &["t1", "t2", "t3", "t3a", "t4g"];

impl InstanceTypeInfo {
    /// The family: the name up to the dot (`t3` for `t3.micro`).
    pub(crate) fn family(&self) -> &'static str {
        self.name.split('.').next().unwrap_or(self.name)
    }

    fn in_family(&self, list: &[&str]) -> bool {
        list.contains(&self.family())
    }

    /// The architectures the type runs: `arm64` alone for Graviton families, `i386` and `x86_64`
    /// for c1, c3, m1, t1, t2, `x86_64` alone otherwise.
    pub(crate) fn architectures(&self) -> Vec<Arch> {
        if self.in_family(ARM_FAMILIES) {
            vec![Arch::Arm64]
        } else if self.in_family(I386_FAMILIES) {
            vec![Arch::I386, Arch::X86_64]
        } else {
            vec![Arch::X86_64]
        }
    }

    /// True when the type runs images of `arch`.
    pub(crate) fn supports_arch(&self, arch: Arch) -> bool {
        self.architectures().contains(&arch)
    }

    /// `hvm`, plus `paravirtual` for the old families that run PV images.
    pub(crate) fn virtualizations(&self) -> Vec<Virtualization> {
        if self.in_family(PV_FAMILIES) {
            vec![Virtualization::Hvm, Virtualization::Paravirtual]
        } else {
            vec![Virtualization::Hvm]
        }
    }

    /// True when the type runs images of virtualization type `v`.
    pub(crate) fn supports_virtualization(&self, v: Virtualization) -> bool {
        self.virtualizations().contains(&v)
    }

    /// `ebs`, plus `instance-store` for the families that boot from an instance-store root.
    pub(crate) fn root_devices(&self) -> Vec<RootDevice> {
        if self.in_family(INSTANCE_STORE_ROOT_FAMILIES) {
            vec![RootDevice::Ebs, RootDevice::InstanceStore]
        } else {
            vec![RootDevice::Ebs]
        }
    }

    /// True when the type can boot an image whose root device is `r`.
    pub(crate) fn supports_root_device(&self, r: RootDevice) -> bool {
        self.root_devices().contains(&r)
    }

    /// False for previous-generation families (a1, c1, c3, c4, d2, g2, i2, m1–m4, r3, r4, t1).
    pub(crate) fn current_generation(&self) -> bool {
        !self.in_family(PREVIOUS_GENERATION)
    }

    /// True for burstable families that run on CPU credits (t1, t2, t3, t3a, t4g).
    pub(crate) fn burstable(&self) -> bool {
        self.in_family(BURSTABLE_FAMILIES)
    }

    /// True for the free-tier types (`t2.micro`, `t3.micro`, `t4g.micro`).
    pub(crate) fn free_tier_eligible(&self) -> bool {
        matches!(self.name, "t2.micro" | "t3.micro" | "t4g.micro")
    }
}

macro_rules! types {
    ($( $name:literal $vcpu:literal $mem:literal $price:literal $store:expr, $gpus:literal; )*) => {
        /// Every instance type, sorted by name.
        pub(crate) const INSTANCE_TYPES: &[InstanceTypeInfo] = &[
            $( InstanceTypeInfo { name: $name, vcpus: $vcpu, memory_mib: $mem, hourly_usd: $price,
                                  instance_store: $store, gpus: $gpus }, )*
        ];
    };
}

types! {
    "c1.medium"   2  1740 0.130  (1, 350), 0;
    "c3.large"    2  3840 0.105  (2, 16), 0;
    "c5.large"    2  4096 0.085  (0, 0), 0;
    "c6g.large"   2  4096 0.068  (0, 0), 0;
    "c6gd.large"  2  4096 0.0768 (1, 118), 0;
    "c7g.large"   2  4096 0.0725 (0, 0), 0;
    "d2.xlarge"   4 31232 0.690  (3, 2000), 0;
    "g4dn.xlarge" 4 16384 0.526  (1, 125), 1;
    "i3.large"    2 15616 0.156  (1, 475), 0;
    "i4i.large"   2 16384 0.172  (1, 468), 0;
    "m1.medium"   1  3840 0.087  (1, 410), 0;
    "m1.small"    1  1740 0.044  (1, 160), 0;
    "m3.medium"   1  3840 0.067  (1, 4), 0;
    "m4.large"    2  8192 0.100  (0, 0), 0;
    "m5.large"    2  8192 0.096  (0, 0), 0;
    "m5.xlarge"   4 16384 0.192  (0, 0), 0;
    "m5d.large"   2  8192 0.113  (1, 75), 0;
    "m6g.large"   2  8192 0.077  (0, 0), 0;
    "m6i.large"   2  8192 0.096  (0, 0), 0;
    "m7g.large"   2  8192 0.0816 (0, 0), 0;
    "m7i.large"   2  8192 0.1008 (0, 0), 0;
    "r5.large"    2 16384 0.126  (0, 0), 0;
    "r6g.large"   2 16384 0.1008 (0, 0), 0;
    "t1.micro"    1   627 0.020  (0, 0), 0;
    "t2.medium"   2  4096 0.0464 (0, 0), 0;
    "t2.micro"    1  1024 0.0116 (0, 0), 0;
    "t2.small"    1  2048 0.023  (0, 0), 0;
    "t3.large"    2  8192 0.0832 (0, 0), 0;
    "t3.medium"   2  4096 0.0416 (0, 0), 0;
    "t3.micro"    2  1024 0.0104 (0, 0), 0;
    "t3.nano"     2   512 0.0052 (0, 0), 0;
    "t3.small"    2  2048 0.0208 (0, 0), 0;
    "t3a.micro"   2  1024 0.0094 (0, 0), 0;
    "t4g.medium"  2  4096 0.0336 (0, 0), 0;
    "t4g.micro"   2  1024 0.0084 (0, 0), 0;
    "t4g.small"   2  2048 0.0168 (0, 0), 0;
}

/// The catalogue entry of the instance type `name`, or `None`.
pub(crate) fn instance_type(name: &str) -> Option<&'static InstanceTypeInfo> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        let names: Vec<_> = INSTANCE_TYPES.iter().map(|t| t.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn graviton_is_arm_only() {
        assert_eq!(
            instance_type("t4g.micro").unwrap().architectures(),
            vec![Arch::Arm64]
        );
        assert_eq!(
            instance_type("m5.large").unwrap().architectures(),
            vec![Arch::X86_64]
        );
        assert!(instance_type("t2.micro").unwrap().supports_arch(Arch::I386));
    }

    #[test]
    fn pv_and_instance_store_only_on_old_families() {
        let t2 = instance_type("t2.micro").unwrap();
        assert!(!t2.supports_virtualization(Virtualization::Paravirtual));
        assert!(!t2.supports_root_device(RootDevice::InstanceStore));
        let m1 = instance_type("m1.small").unwrap();
        assert!(m1.supports_virtualization(Virtualization::Paravirtual));
        assert!(m1.supports_root_device(RootDevice::InstanceStore));
        assert!(!m1.current_generation());
        // An instance-store *data* disk does not make an instance-store root possible.
        let m5d = instance_type("m5d.large").unwrap();
        assert_eq!(m5d.instance_store, (1, 75));
        assert!(!m5d.supports_root_device(RootDevice::InstanceStore));
    }

    #[test]
    fn required_types_exist() {
        for name in [
            "t1.micro",
            "t2.micro",
            "t3.micro",
            "t3.small",
            "t3.medium",
            "t3a.micro",
            "t4g.micro",
            "t4g.small",
            "m1.small",
            "m3.medium",
            "c1.medium",
            "m5.large",
            "m5d.large",
            "m6g.large",
            "m7g.large",
            "c5.large",
            "c6g.large",
            "i3.large",
            "g4dn.xlarge",
        ] {
            assert!(instance_type(name).is_some(), "{name}");
        }
    }
}

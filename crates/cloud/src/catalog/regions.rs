//! The regions of the simulated cloud with their real availability-zone names and ids.

/// One region and its zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionInfo {
    /// The region's name (`us-east-1`).
    pub name: &'static str,
    /// Zone name suffixes (`a`, `b`, …) paired with their zone ids (`use1-az6`, …).
    pub zones: &'static [(&'static str, &'static str)],
}

impl RegionInfo {
    /// The region's availability-zone names (`us-east-1a`, …), in suffix order.
    pub fn zone_names(&self) -> impl Iterator<Item = String> + '_ {
        self.zones
            .iter()
            .map(|(s, _)| format!("{}{}", self.name, s))
    }

    /// True when `zone` is one of the region's availability-zone names.
    pub(crate) fn has_zone(&self, zone: &str) -> bool {
        zone.strip_prefix(self.name)
            .is_some_and(|s| self.zones.iter().any(|(z, _)| *z == s))
    }

    /// The zone id (`use1-az6`) of a zone name of the region (`us-east-1a`).
    pub(crate) fn id_of_zone(&self, zone: &str) -> Option<&'static str> {
        let suffix = zone.strip_prefix(self.name)?;
        self.zones
            .iter()
            .find(|(s, _)| *s == suffix)
            .map(|(_, id)| *id)
    }

    /// The zone name (`us-east-1a`) of a zone id of the region (`use1-az6`).
    pub(crate) fn zone_of_id(&self, id: &str) -> Option<String> {
        self.zones
            .iter()
            .find(|(_, zone_id)| *zone_id == id)
            .map(|(suffix, _)| format!("{}{suffix}", self.name))
    }

    /// The region's EC2 endpoint host (`ec2.us-east-1.amazonaws.com`), as DescribeRegions shows it.
    pub(crate) fn endpoint(&self) -> String {
        format!("ec2.{}.amazonaws.com", self.name)
    }
}

/// Every region, sorted by name.
pub const REGIONS: &[RegionInfo] = &[
    RegionInfo {
        name: "ap-south-1",
        zones: &[("a", "aps1-az1"), ("b", "aps1-az3"), ("c", "aps1-az2")],
    },
    RegionInfo {
        name: "ap-southeast-2",
        zones: &[("a", "apse2-az3"), ("b", "apse2-az1"), ("c", "apse2-az2")],
    },
    RegionInfo {
        name: "eu-central-1",
        zones: &[("a", "euc1-az2"), ("b", "euc1-az3"), ("c", "euc1-az1")],
    },
    RegionInfo {
        name: "eu-west-1",
        zones: &[("a", "euw1-az1"), ("b", "euw1-az2"), ("c", "euw1-az3")],
    },
    RegionInfo {
        name: "sa-east-1",
        zones: &[("a", "sae1-az1"), ("b", "sae1-az2"), ("c", "sae1-az3")],
    },
    RegionInfo {
        name: "us-east-1",
        zones: &[
            ("a", "use1-az6"),
            ("b", "use1-az1"),
            ("c", "use1-az2"),
            ("d", "use1-az4"),
            ("e", "use1-az3"),
            ("f", "use1-az5"),
        ],
    },
    RegionInfo {
        name: "us-east-2",
        zones: &[("a", "use2-az1"), ("b", "use2-az2"), ("c", "use2-az3")],
    },
    RegionInfo {
        name: "us-west-2",
        zones: &[
            ("a", "usw2-az2"),
            ("b", "usw2-az1"),
            ("c", "usw2-az3"),
            ("d", "usw2-az4"),
        ],
    },
];

/// The catalogue entry of the region named `name`, or `None`.
pub fn region(name: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.name == name)
}

/// Every catalogue region's name, sorted.
pub fn region_names() -> Vec<&'static str> {
    REGIONS.iter().map(|r| r.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_sorted_and_have_zones() {
        let names = region_names();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.len() >= 8);
        assert!(REGIONS.iter().all(|r| r.zones.len() >= 3));
    }

    #[test]
    fn zone_membership() {
        let r = region("us-east-1").unwrap();
        assert!(r.has_zone("us-east-1f"));
        assert!(!r.has_zone("us-east-1g"));
        assert!(!r.has_zone("us-east-2a"));
        assert_eq!(r.zone_names().next().unwrap(), "us-east-1a");
    }
}

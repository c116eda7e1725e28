//! DescribeRegions, DescribeAvailabilityZones and DescribeInstanceTypes, answered from the
//! catalogue.

use serde::Serialize;

use super::filters::Filter;
use crate::catalog::{instance_type, INSTANCE_TYPES};
use crate::error::{AwsError, AwsResult};
use crate::paging::{self, Pager};
use crate::request::request;
use crate::{Caller, Cloud};
use amilab_text::wildcard;

request! {
    /// Input of EC2 `DescribeRegions`. Filters: `endpoint`, `region-name`, `opt-in-status`.
    #[derive(Default)]
    pub struct DescribeRegionsInput {
        /// Only these regions; any that is not enabled is `InvalidParameterValue`.
        #[serde(default)]
        pub region_names: Vec<String>,
        /// `true` to list every region, the ones the world does not enable too (as
        /// `not-opted-in`).
        pub all_regions: Option<bool>,
        ..filters,
        ..dry_run,
    }
}

/// A region as DescribeRegions returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionShape {
    /// `opt-in-not-required` for a region the world enables, `not-opted-in` for one it does
    /// not (listed only with `all_regions`).
    pub opt_in_status: String,
    /// Its name (`us-east-1`).
    pub region_name: String,
    /// Its EC2 endpoint host (`ec2.us-east-1.amazonaws.com`).
    pub endpoint: String,
}

/// EC2 `DescribeRegions`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeRegionsOutput {
    /// The world's enabled regions that match, sorted by name.
    pub regions: Vec<RegionShape>,
}

request! {
    /// Input of EC2 `DescribeAvailabilityZones`. Filters: `zone-name`, `zone-id`, `state`,
    /// `region-name`, `zone-type`, `group-name`.
    #[derive(Default)]
    pub struct DescribeAvailabilityZonesInput {
        /// Only these zones (`us-east-1a`); an unknown one is `InvalidParameterValue`.
        #[serde(default)]
        pub zone_names: Vec<String>,
        /// Only these zone ids (`use1-az6`).
        #[serde(default)]
        pub zone_ids: Vec<String>,
        /// `AllAvailabilityZones`: also Local and Wavelength Zones. The simulation has only
        /// availability zones, so the answer is the same either way.
        pub all_availability_zones: Option<bool>,
        ..filters,
        ..dry_run,
    }
}

/// An availability zone as DescribeAvailabilityZones returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneShape {
    /// Always `opt-in-not-required`.
    pub opt_in_status: String,
    /// Its region (`us-east-1`).
    pub region_name: String,
    /// Its name (`us-east-1a`).
    pub zone_name: String,
    /// Its id (`use1-az6`): the same physical zone for every account, unlike the name.
    pub zone_id: String,
    /// Its zone group: the region's name.
    pub group_name: String,
    /// Its network border group: the region's name.
    pub network_border_group: String,
    /// Always `availability-zone`.
    pub zone_type: String,
    /// Always `available`.
    pub state: String,
}

/// EC2 `DescribeAvailabilityZones`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeAvailabilityZonesOutput {
    /// The caller's region's matching zones, in name order.
    pub availability_zones: Vec<ZoneShape>,
}

request! {
    /// Input of EC2 `DescribeInstanceTypes`. Filters: `instance-type`,
    /// `processor-info.supported-architecture`, `supported-virtualization-type`,
    /// `supported-root-device-type`, `current-generation`, `free-tier-eligible`,
    /// `vcpu-info.default-vcpus`, `instance-storage-supported`, `burstable-performance-supported`.
    #[derive(Default)]
    pub struct DescribeInstanceTypesInput {
        ..not_simulated["include_unsupported_in_region"],
        /// Only these types (`t3.micro`); an unknown one is `InvalidParameterValue`.
        #[serde(default)]
        pub instance_types: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

/// An instance type's `ProcessorInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessorInfo {
    /// The architectures it runs (`x86_64`, `arm64`, `i386`).
    pub supported_architectures: Vec<String>,
}

/// An instance type's `VCpuInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VCpuInfo {
    /// Its default number of vCPUs.
    pub default_v_cpus: u32,
}

/// An instance type's `MemoryInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryInfo {
    /// Memory in MiB (boto3's `SizeInMiB`).
    pub size_in_mi_b: u32,
}

/// An instance type's `InstanceStorageInfo`: its instance-store disks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceStorageInfo {
    /// Total instance-store size in GB.
    pub total_size_in_gb: u32,
    /// Its disks.
    pub disks: Vec<DiskInfo>,
}

/// A group of identical instance-store disks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiskInfo {
    /// Size of each disk in GB.
    pub size_in_gb: u32,
    /// How many.
    pub count: u32,
}

/// An instance type as DescribeInstanceTypes returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceTypeShape {
    /// Its name (`t3.micro`).
    pub instance_type: String,
    /// False for previous-generation families.
    pub current_generation: bool,
    /// True for `t2.micro`, `t3.micro` and `t4g.micro`.
    pub free_tier_eligible: bool,
    /// `ebs`, plus `instance-store` for the families that boot from it.
    pub supported_root_device_types: Vec<String>,
    /// `hvm`, plus `paravirtual` for the old families that run PV images.
    pub supported_virtualization_types: Vec<String>,
    /// Always `false`.
    pub bare_metal: bool,
    /// `nitro` for current-generation types, `xen` for previous-generation ones.
    pub hypervisor: String,
    /// Its architectures.
    pub processor_info: ProcessorInfo,
    /// Its vCPUs.
    pub v_cpu_info: VCpuInfo,
    /// Its memory.
    pub memory_info: MemoryInfo,
    /// Whether it has instance-store disks.
    pub instance_storage_supported: bool,
    /// Its instance-store disks; absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_storage_info: Option<InstanceStorageInfo>,
    /// Whether it runs on CPU credits (t1, t2, t3, t3a, t4g).
    pub burstable_performance_supported: bool,
}

/// EC2 `DescribeInstanceTypes`' answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstanceTypesOutput {
    /// The matching types, sorted by name.
    pub instance_types: Vec<InstanceTypeShape>,
    /// The token of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

fn filter_value<'a>(filters: &'a [Filter], name: &str) -> Option<&'a [String]> {
    filters
        .iter()
        .find(|f| f.name.as_deref() == Some(name))
        .and_then(|f| f.values.as_deref())
}

fn check_filters(filters: &[Filter], known: &[&str]) -> AwsResult<()> {
    for f in filters {
        match f.name.as_deref() {
            Some(n) if known.contains(&n) => {}
            other => {
                return Err(AwsError::invalid_parameter_value(format!(
                    "The filter '{}' is invalid.",
                    other.unwrap_or("null")
                )))
            }
        }
    }
    Ok(())
}

fn any_match(patterns: Option<&[String]>, value: &str) -> bool {
    patterns.is_none_or(|p| p.iter().any(|p| wildcard(p, value)))
}

impl Cloud {
    /// EC2 `DescribeRegions`: the world's enabled regions (with `all_regions`, every region,
    /// those the world does not enable as `not-opted-in`), narrowed by names and filters.
    ///
    /// Errors: `InvalidParameterValue` for an unknown filter name or a region that is not enabled.
    pub fn describe_regions(
        &mut self,
        _caller: &Caller,
        input: DescribeRegionsInput,
    ) -> AwsResult<DescribeRegionsOutput> {
        check_filters(
            &input.filters,
            &["endpoint", "region-name", "opt-in-status"],
        )?;
        for name in &input.region_names {
            if self.region(name).is_none() {
                return Err(AwsError::new(
                    "InvalidParameterValue",
                    format!("Invalid region names: [{name}]"),
                ));
            }
        }
        let names = filter_value(&input.filters, "region-name");
        let all = input.all_regions == Some(true);
        let regions = crate::catalog::REGIONS
            .iter()
            .map(|info| {
                let status = if self.region(info.name).is_some() {
                    "opt-in-not-required"
                } else {
                    "not-opted-in"
                };
                (info, status)
            })
            .filter(|(_, status)| all || *status == "opt-in-not-required")
            .filter(|(info, _)| {
                input.region_names.is_empty() || input.region_names.iter().any(|n| n == info.name)
            })
            .filter(|(info, _)| any_match(names, info.name))
            .filter(|(info, _)| {
                any_match(filter_value(&input.filters, "endpoint"), &info.endpoint())
            })
            .filter(|(_, status)| any_match(filter_value(&input.filters, "opt-in-status"), status))
            .map(|(info, status)| RegionShape {
                endpoint: info.endpoint(),
                region_name: info.name.to_string(),
                opt_in_status: status.into(),
            })
            .collect();
        Ok(DescribeRegionsOutput { regions })
    }

    /// EC2 `DescribeAvailabilityZones`: the zones of the caller's region, with their real names and
    /// ids.
    ///
    /// Errors: `InvalidParameterValue` for an unknown filter name or zone name.
    pub fn describe_availability_zones(
        &mut self,
        caller: &Caller,
        input: DescribeAvailabilityZonesInput,
    ) -> AwsResult<DescribeAvailabilityZonesOutput> {
        check_filters(
            &input.filters,
            &[
                "zone-name",
                "zone-id",
                "state",
                "region-name",
                "zone-type",
                "group-name",
            ],
        )?;
        let region = self.region_ref(&caller.region)?;
        let zones: Vec<ZoneShape> = region
            .info
            .zones
            .iter()
            .map(|(suffix, id)| ZoneShape {
                state: "available".into(),
                opt_in_status: "opt-in-not-required".into(),
                region_name: region.info.name.to_string(),
                zone_name: format!("{}{suffix}", region.info.name),
                zone_id: id.to_string(),
                group_name: region.info.name.to_string(),
                network_border_group: region.info.name.to_string(),
                zone_type: "availability-zone".into(),
            })
            .collect();
        for name in &input.zone_names {
            if !zones.iter().any(|z| &z.zone_name == name) {
                return Err(AwsError::invalid_parameter_value(format!(
                    "The zone '{name}' does not exist in region {}.",
                    region.info.name
                )));
            }
        }
        let f = |n| filter_value(&input.filters, n);
        let availability_zones = zones
            .into_iter()
            .filter(|z| input.zone_names.is_empty() || input.zone_names.contains(&z.zone_name))
            .filter(|z| input.zone_ids.is_empty() || input.zone_ids.contains(&z.zone_id))
            .filter(|z| any_match(f("zone-name"), &z.zone_name))
            .filter(|z| any_match(f("zone-id"), &z.zone_id))
            .filter(|z| any_match(f("state"), &z.state))
            .filter(|z| any_match(f("region-name"), &z.region_name))
            .filter(|z| any_match(f("zone-type"), &z.zone_type))
            .filter(|z| any_match(f("group-name"), &z.group_name))
            .collect();
        Ok(DescribeAvailabilityZonesOutput { availability_zones })
    }

    /// EC2 `DescribeInstanceTypes`: the catalogue's instance types, narrowed by names and filters.
    /// Pages: `max_results` 5–100, 100 types per page without it
    /// (`paging::DESCRIBE_INSTANCE_TYPES`).
    ///
    /// Errors: `InvalidParameterValue` for a page size above 100, an invalid `next_token`, an
    /// unknown filter name or instance type.
    pub fn describe_instance_types(
        &mut self,
        caller: &Caller,
        input: DescribeInstanceTypesInput,
    ) -> AwsResult<DescribeInstanceTypesOutput> {
        let pager = Pager::new(
            &paging::DESCRIBE_INSTANCE_TYPES,
            caller,
            input.max_results,
            input.next_token.as_deref(),
            !input.instance_types.is_empty(),
        )?;
        check_filters(
            &input.filters,
            &[
                "instance-type",
                "processor-info.supported-architecture",
                "supported-virtualization-type",
                "supported-root-device-type",
                "current-generation",
                "free-tier-eligible",
                "vcpu-info.default-vcpus",
                "instance-storage-supported",
                "burstable-performance-supported",
            ],
        )?;
        let unknown: Vec<&str> = input
            .instance_types
            .iter()
            .map(String::as_str)
            .filter(|t| instance_type(t).is_none())
            .collect();
        if !unknown.is_empty() {
            return Err(AwsError::invalid_parameter_value(format!(
                "The following supplied instance types do not exist: [{}]",
                unknown.join(", ")
            )));
        }
        let f = |n| filter_value(&input.filters, n);
        let any_of = |n, values: Vec<String>| {
            f(n).is_none_or(|p| p.iter().any(|p| values.iter().any(|v| wildcard(p, v))))
        };
        let instance_types = INSTANCE_TYPES
            .iter()
            .filter(|t| {
                input.instance_types.is_empty() || input.instance_types.iter().any(|n| n == t.name)
            })
            .filter(|t| any_match(f("instance-type"), t.name))
            .filter(|t| {
                any_of(
                    "processor-info.supported-architecture",
                    t.architectures()
                        .iter()
                        .map(|a| a.as_str().to_string())
                        .collect(),
                )
            })
            .filter(|t| {
                any_of(
                    "supported-virtualization-type",
                    t.virtualizations()
                        .iter()
                        .map(|v| v.as_str().to_string())
                        .collect(),
                )
            })
            .filter(|t| {
                any_of(
                    "supported-root-device-type",
                    t.root_devices()
                        .iter()
                        .map(|r| r.as_str().to_string())
                        .collect(),
                )
            })
            .filter(|t| any_match(f("current-generation"), &t.current_generation().to_string()))
            .filter(|t| any_match(f("free-tier-eligible"), &t.free_tier_eligible().to_string()))
            .filter(|t| any_match(f("vcpu-info.default-vcpus"), &t.vcpus.to_string()))
            .filter(|t| {
                any_match(
                    f("instance-storage-supported"),
                    &(t.instance_store.0 > 0).to_string(),
                )
            })
            .filter(|t| {
                any_match(
                    f("burstable-performance-supported"),
                    &t.burstable().to_string(),
                )
            })
            .map(|t| InstanceTypeShape {
                instance_type: t.name.to_string(),
                current_generation: t.current_generation(),
                free_tier_eligible: t.free_tier_eligible(),
                supported_root_device_types: t
                    .root_devices()
                    .iter()
                    .map(|r| r.as_str().to_string())
                    .collect(),
                supported_virtualization_types: t
                    .virtualizations()
                    .iter()
                    .map(|v| v.as_str().to_string())
                    .collect(),
                bare_metal: false,
                hypervisor: if t.current_generation() {
                    "nitro"
                } else {
                    "xen"
                }
                .into(),
                processor_info: ProcessorInfo {
                    supported_architectures: t
                        .architectures()
                        .iter()
                        .map(|a| a.as_str().to_string())
                        .collect(),
                },
                v_cpu_info: VCpuInfo {
                    default_v_cpus: t.vcpus,
                },
                memory_info: MemoryInfo {
                    size_in_mi_b: t.memory_mib,
                },
                instance_storage_supported: t.instance_store.0 > 0,
                instance_storage_info: (t.instance_store.0 > 0).then(|| InstanceStorageInfo {
                    total_size_in_gb: t.instance_store.0 * t.instance_store.1,
                    disks: vec![DiskInfo {
                        size_in_gb: t.instance_store.1,
                        count: t.instance_store.0,
                    }],
                }),
                burstable_performance_supported: t.burstable(),
            })
            .collect::<Vec<_>>();
        let (instance_types, next_token) = pager.page(instance_types, |t| t.instance_type.clone());
        Ok(DescribeInstanceTypesOutput {
            instance_types,
            next_token,
        })
    }
}

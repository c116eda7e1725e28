//! DescribeRegions, DescribeAvailabilityZones and DescribeInstanceTypes, answered from the
//! catalogue.

use serde::Serialize;

use super::filters::Filter;
use crate::catalog::{instance_type, INSTANCE_TYPES};
use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{Caller, Cloud};
use amilab_text::wildcard;

request! {
    #[derive(Default)]
    pub struct DescribeRegionsInput {
        #[serde(default)]
        pub region_names: Vec<String>,
        pub all_regions: Option<bool>,
        ..filters,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionShape {
    pub endpoint: String,
    pub region_name: String,
    pub opt_in_status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeRegionsOutput {
    pub regions: Vec<RegionShape>,
}

request! {
    #[derive(Default)]
    pub struct DescribeAvailabilityZonesInput {
        #[serde(default)]
        pub zone_names: Vec<String>,
        #[serde(default)]
        pub zone_ids: Vec<String>,
        pub all_availability_zones: Option<bool>,
        ..filters,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneShape {
    pub state: String,
    pub opt_in_status: String,
    pub region_name: String,
    pub zone_name: String,
    pub zone_id: String,
    pub group_name: String,
    pub network_border_group: String,
    pub zone_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeAvailabilityZonesOutput {
    pub availability_zones: Vec<ZoneShape>,
}

request! {
    #[derive(Default)]
    pub struct DescribeInstanceTypesInput {
        #[serde(default)]
        pub instance_types: Vec<String>,
        ..filters,
        ..paging,
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessorInfo {
    pub supported_architectures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VCpuInfo {
    pub default_v_cpus: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryInfo {
    pub size_in_mi_b: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceStorageInfo {
    pub total_size_in_gb: u32,
    pub disks: Vec<DiskInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiskInfo {
    pub size_in_gb: u32,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstanceTypeShape {
    pub instance_type: String,
    pub current_generation: bool,
    pub free_tier_eligible: bool,
    pub supported_root_device_types: Vec<String>,
    pub supported_virtualization_types: Vec<String>,
    pub bare_metal: bool,
    pub hypervisor: String,
    pub processor_info: ProcessorInfo,
    pub v_cpu_info: VCpuInfo,
    pub memory_info: MemoryInfo,
    pub instance_storage_supported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_storage_info: Option<InstanceStorageInfo>,
    pub burstable_performance_supported: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribeInstanceTypesOutput {
    pub instance_types: Vec<InstanceTypeShape>,
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
        let regions = self
            .regions
            .values()
            .filter(|r| {
                input.region_names.is_empty() || input.region_names.iter().any(|n| n == r.info.name)
            })
            .filter(|r| any_match(names, r.info.name))
            .filter(|r| any_match(filter_value(&input.filters, "endpoint"), &r.info.endpoint()))
            .filter(|_| {
                any_match(
                    filter_value(&input.filters, "opt-in-status"),
                    "opt-in-not-required",
                )
            })
            .map(|r| RegionShape {
                endpoint: r.info.endpoint(),
                region_name: r.info.name.to_string(),
                opt_in_status: "opt-in-not-required".into(),
            })
            .collect();
        Ok(DescribeRegionsOutput { regions })
    }

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

    pub fn describe_instance_types(
        &mut self,
        _caller: &Caller,
        input: DescribeInstanceTypesInput,
    ) -> AwsResult<DescribeInstanceTypesOutput> {
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
            .collect();
        Ok(DescribeInstanceTypesOutput { instance_types })
    }
}

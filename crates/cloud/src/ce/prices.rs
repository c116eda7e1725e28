//! The price table: approximate public on-demand prices (us-east-1, USD), the one rule for
//! other regions, AWS's usage-type and service names, and exact money arithmetic.
//!
//! Prices are teaching approximations of AWS's public on-demand list prices (Amazon EC2
//! On-Demand Pricing, Amazon EBS pricing, the catalogue's AWS Marketplace listings), held in
//! micro-dollars so that every sum is exact:
//! - instances: the catalogue's Linux price per hour ([`crate::catalog::InstanceTypeInfo`]),
//!   billed per second with a 60-second minimum each time an instance starts, as AWS bills
//!   Linux instances ("Amazon EC2 pricing", per-second billing);
//! - EBS volumes: per GB-month of provisioned size by volume type ([`EBS_VOLUME_PRICES`]);
//!   provisioned IOPS and throughput are not charged;
//! - EBS snapshots: [`SNAPSHOT_GB_MONTH`] per GB-month of the **full size of the volume** the
//!   snapshot was taken from (AWS bills only the changed blocks of incremental snapshots; the
//!   simulation does not track blocks, so every snapshot is billed as a full copy);
//! - marketplace software: the catalogue image's fee per instance-hour, billed for the same
//!   seconds as the instance ([`MARKETPLACE_PRODUCTS`]).
//!
//! GB-months follow the EBS pricing page: a GB-month is one GB for a whole month, so storage
//! costs `size × seconds / (days in that month × 86 400)` of the monthly price.
//!
//! Other regions: the US regions (`us-east-1`, `us-east-2`, `us-west-2`) cost the us-east-1
//! price; every other region costs 10 % more ([`region_permille`]).

use std::fmt;

use crate::catalog::{images::PUBLIC_IMAGES, INSTANCE_TYPES};

/// One micro-dollar: every rate in this module is an integer number of them.
pub const MICRO: u64 = 1_000_000;

/// EBS storage per GB-month in us-east-1, in micro-dollars, by volume type, with the usage type
/// suffix AWS bills it under (`EBS:VolumeUsage.gp3`; `io1` is `piops`, magnetic `standard` has
/// none).
pub const EBS_VOLUME_PRICES: &[(&str, u64, &str)] = &[
    ("gp2", 100_000, "EBS:VolumeUsage.gp2"),
    ("gp3", 80_000, "EBS:VolumeUsage.gp3"),
    ("io1", 125_000, "EBS:VolumeUsage.piops"),
    ("io2", 125_000, "EBS:VolumeUsage.io2"),
    ("sc1", 15_000, "EBS:VolumeUsage.sc1"),
    ("st1", 45_000, "EBS:VolumeUsage.st1"),
    ("standard", 50_000, "EBS:VolumeUsage"),
];

/// EBS snapshot storage (standard tier) per GB-month in us-east-1, in micro-dollars.
pub const SNAPSHOT_GB_MONTH: u64 = 50_000;

/// A marketplace product: its code, its title (the name Cost Explorer's `SERVICE` dimension shows
/// for the software charges), and the catalogue image that sells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarketplaceProduct {
    /// The product code (`7axhc9g8w4lqkc3v2b6e1mzpa`), the `sku` of its marketplace page.
    pub code: &'static str,
    /// The product's title, used as its service name in Cost Explorer.
    pub title: &'static str,
    /// The catalogue key of the image that carries the code.
    pub image_key: &'static str,
}

/// The catalogue's marketplace products; their hourly fees are the catalogue's
/// ([`crate::catalog::PublicImage::software_fee_hourly`]).
pub const MARKETPLACE_PRODUCTS: &[MarketplaceProduct] = &[
    MarketplaceProduct {
        code: "7axhc9g8w4lqkc3v2b6e1mzpa",
        title: "LAMP packaged by Bitnami",
        image_key: "marketplace-lamp",
    },
    MarketplaceProduct {
        code: "3f9d0xq8vnm2l7k5r1tyu6wcb",
        title: "WordPress packaged by Bitnami",
        image_key: "marketplace-wordpress",
    },
    MarketplaceProduct {
        code: "bq2nk8z5y0wt4e7hj9c1xrv3m",
        title: "NGINX Plus Premium",
        image_key: "marketplace-nginx-plus",
    },
];

/// Cost Explorer's `SERVICE` name for instance hours.
pub const SERVICE_EC2_COMPUTE: &str = "Amazon Elastic Compute Cloud - Compute";
/// Cost Explorer's `SERVICE` name for EBS volumes and snapshots.
pub const SERVICE_EC2_OTHER: &str = "EC2 - Other";

/// Exact micro-dollars from a catalogue price in dollars (every catalogue price is a whole
/// number of micro-dollars; a test holds it to that).
fn micro(usd: f64) -> u64 {
    (usd * MICRO as f64).round() as u64
}

/// An instance type's Linux on-demand price per hour in us-east-1, in micro-dollars; `None` for a
/// type the catalogue does not know.
pub fn instance_hourly(instance_type: &str) -> Option<u64> {
    INSTANCE_TYPES
        .iter()
        .find(|t| t.name == instance_type)
        .map(|t| micro(t.hourly_usd))
}

/// The EBS price per GB-month in us-east-1 (micro-dollars) and the usage-type suffix of a volume
/// type; unknown types are billed as `gp2`.
pub fn ebs_volume(volume_type: &str) -> (u64, &'static str) {
    let row = EBS_VOLUME_PRICES
        .iter()
        .find(|(t, _, _)| *t == volume_type)
        .unwrap_or(&EBS_VOLUME_PRICES[0]);
    (row.1, row.2)
}

/// A marketplace product by code, if the catalogue sells it.
pub fn marketplace_product(code: &str) -> Option<&'static MarketplaceProduct> {
    MARKETPLACE_PRODUCTS.iter().find(|p| p.code == code)
}

/// A marketplace product's software fee per instance-hour, in micro-dollars (0 when unknown).
pub fn marketplace_hourly(code: &str) -> u64 {
    marketplace_product(code)
        .and_then(|p| PUBLIC_IMAGES.iter().find(|i| i.key == p.image_key))
        .map(|i| micro(i.software_fee_hourly))
        .unwrap_or(0)
}

/// The price factor of a region, in thousandths: 1000 in the US regions, 1100 elsewhere (the
/// module's one rule for regions other than us-east-1).
pub fn region_permille(region: &str) -> u64 {
    if region.starts_with("us-") {
        1000
    } else {
        1100
    }
}

/// The prefix AWS puts before a usage type billed in `region` (`USE2-BoxUsage:t3.micro`): none in
/// us-east-1 (`BoxUsage:t3.micro`, `EBS:VolumeUsage.gp3`), `EU-` in eu-west-1, the region's
/// billing code elsewhere (AWS Cost and Usage Report, "Line item details", usage type).
pub fn usage_type_prefix(region: &str) -> String {
    let code = match region {
        "us-east-1" => return String::new(),
        "us-east-2" => "USE2",
        "us-west-1" => "USW1",
        "us-west-2" => "USW2",
        "eu-west-1" => "EU",
        "eu-west-2" => "EUW2",
        "eu-central-1" => "EUC1",
        "ap-south-1" => "APS3",
        "ap-southeast-1" => "APS1",
        "ap-southeast-2" => "APS2",
        "ap-northeast-1" => "APN1",
        "sa-east-1" => "SAE1",
        "ca-central-1" => "CAN1",
        other => return format!("{}-", other.to_ascii_uppercase()),
    };
    format!("{code}-")
}

/// The common denominator of every amount: 10⁹ (micro-dollars × permille) × 86 400 seconds ×
/// lcm(28, 29, 30, 31) days, so that hourly and GB-month charges in months of any length add up
/// exactly.
const DAYS_LCM: u128 = 377_580;
const SCALE: u128 = 1_000_000_000 * 86_400 * DAYS_LCM;
/// Usage quantities (hours, GB-months) are exact in units of 1 / (86 400 × lcm(28…31)).
const QTY_SCALE: u128 = 86_400 * DAYS_LCM;

/// An exact amount of US dollars (a multiple of 10⁻⁹ / (86 400 × 377 580) USD, so that sums of
/// hourly and GB-month charges stay exact); shown with at most ten decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usd(u128);

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd(0);

    /// `seconds` of something priced `micro_per_hour` micro-dollars per hour in a region of
    /// factor `permille`.
    pub fn hourly(micro_per_hour: u64, permille: u64, seconds: u64) -> Usd {
        Usd(u128::from(micro_per_hour) * u128::from(permille) * u128::from(seconds) * 24 * DAYS_LCM)
    }

    /// `gb` GB kept for `seconds` within a month of `days_in_month` days, priced
    /// `micro_per_gb_month` micro-dollars per GB-month.
    pub fn gb_month(
        micro_per_gb_month: u64,
        permille: u64,
        gb: u64,
        seconds: u64,
        days_in_month: u32,
    ) -> Usd {
        Usd(u128::from(micro_per_gb_month)
            * u128::from(permille)
            * u128::from(gb)
            * u128::from(seconds)
            * (DAYS_LCM / u128::from(days_in_month)))
    }

    /// The amount as a decimal string, rounded half up to ten decimals, trailing zeros dropped
    /// (`0.0208`, `2.4`, `0`): Cost Explorer's `Amount`.
    pub fn to_decimal(self) -> String {
        decimal(self.0, SCALE)
    }
}

impl std::ops::Add for Usd {
    type Output = Usd;
    fn add(self, other: Usd) -> Usd {
        Usd(self.0 + other.0)
    }
}

impl std::ops::AddAssign for Usd {
    fn add_assign(&mut self, other: Usd) {
        self.0 += other.0;
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal())
    }
}

/// An exact usage quantity (hours or GB-months).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(u128);

impl Quantity {
    /// `seconds` as hours.
    pub fn hours(seconds: u64) -> Quantity {
        Quantity(u128::from(seconds) * 24 * DAYS_LCM)
    }

    /// `gb` GB for `seconds` in a month of `days_in_month` days, as GB-months.
    pub fn gb_months(gb: u64, seconds: u64, days_in_month: u32) -> Quantity {
        Quantity(u128::from(gb) * u128::from(seconds) * (DAYS_LCM / u128::from(days_in_month)))
    }

    /// As a decimal string, like [`Usd::to_decimal`].
    pub fn to_decimal(self) -> String {
        decimal(self.0, QTY_SCALE)
    }
}

impl std::ops::AddAssign for Quantity {
    fn add_assign(&mut self, other: Quantity) {
        self.0 += other.0;
    }
}

/// `value / scale` rounded half up to ten decimals, without trailing zeros.
fn decimal(value: u128, scale: u128) -> String {
    const PLACES: u128 = 10_000_000_000;
    let tenths = (value * PLACES + scale / 2) / scale;
    let (whole, frac) = (tenths / PLACES, tenths % PLACES);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:010}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// The README's price table, generated from this module (a test keeps the README in step).
pub fn markdown_table() -> String {
    let mut out =
        String::from("| item | usage type (us-east-1) | USD (us-east-1) |\n|---|---|---|\n");
    for t in INSTANCE_TYPES {
        out.push_str(&format!(
            "| `{}` instance (Linux) | `BoxUsage:{}` | {} per hour |\n",
            t.name,
            t.name,
            Usd::hourly(micro(t.hourly_usd), 1000, 3600)
        ));
    }
    for (ty, price, usage) in EBS_VOLUME_PRICES {
        out.push_str(&format!(
            "| EBS `{ty}` volume | `{usage}` | {} per GB-month |\n",
            Usd::gb_month(*price, 1000, 1, 30 * 86_400, 30)
        ));
    }
    out.push_str(&format!(
        "| EBS snapshot (full volume size) | `EBS:SnapshotUsage` | {} per GB-month |\n",
        Usd::gb_month(SNAPSHOT_GB_MONTH, 1000, 1, 30 * 86_400, 30)
    ));
    for p in MARKETPLACE_PRODUCTS {
        out.push_str(&format!(
            "| {} software (`{}`) | `SoftwareUsage:<instance type>` | {} per instance-hour |\n",
            p.title,
            p.code,
            Usd::hourly(marketplace_hourly(p.code), 1000, 3600)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_prices_are_whole_micro_dollars() {
        for t in INSTANCE_TYPES {
            let m = t.hourly_usd * MICRO as f64;
            assert!((m - m.round()).abs() < 1e-6, "{}", t.name);
        }
        for p in MARKETPLACE_PRODUCTS {
            assert!(marketplace_hourly(p.code) > 0, "{}", p.code);
            let image = PUBLIC_IMAGES.iter().find(|i| i.key == p.image_key).unwrap();
            assert_eq!(image.product_code, Some(p.code));
        }
        // Every catalogue product has a row.
        for image in PUBLIC_IMAGES {
            if let Some(code) = image.product_code {
                assert!(marketplace_product(code).is_some(), "{code}");
            }
        }
    }

    #[test]
    fn hourly_arithmetic_is_exact() {
        let t3 = instance_hourly("t3.micro").unwrap();
        assert_eq!(t3, 10_400);
        assert_eq!(Usd::hourly(t3, 1000, 7200).to_decimal(), "0.0208");
        assert_eq!(Usd::hourly(t3, 1000, 1).to_decimal(), "0.0000028889");
        assert_eq!(Usd::hourly(t3, 1100, 3600).to_decimal(), "0.01144");
        assert_eq!(Usd::ZERO.to_decimal(), "0");
        assert_eq!(Usd::hourly(1_000_000, 1000, 3600).to_decimal(), "1");
    }

    #[test]
    fn gb_month_arithmetic_follows_the_month_length() {
        // 30 GiB of gp3 for the whole of a 30-day month: 30 × $0.08.
        let (gp3, usage) = ebs_volume("gp3");
        assert_eq!(usage, "EBS:VolumeUsage.gp3");
        assert_eq!(
            Usd::gb_month(gp3, 1000, 30, 30 * 86_400, 30).to_decimal(),
            "2.4"
        );
        // One day of a 31-day month is 1/31 of the price.
        assert_eq!(
            Usd::gb_month(gp3, 1000, 31, 86_400, 31).to_decimal(),
            "0.08"
        );
        // The EBS pricing page's example: 2000 GB for 12 hours of a 30-day month is 33.3 GB-months.
        assert_eq!(
            Quantity::gb_months(2000, 12 * 3600, 30).to_decimal(),
            "33.3333333333"
        );
        assert_eq!(Quantity::hours(5400).to_decimal(), "1.5");
        assert_eq!(ebs_volume("io1").1, "EBS:VolumeUsage.piops");
        assert_eq!(ebs_volume("standard").1, "EBS:VolumeUsage");
    }

    #[test]
    fn sums_are_exact_across_month_lengths() {
        let mut sum = Usd::ZERO;
        for days in [28, 29, 30, 31] {
            sum += Usd::gb_month(SNAPSHOT_GB_MONTH, 1000, 1, u64::from(days) * 86_400, days);
        }
        assert_eq!(sum.to_decimal(), "0.2");
    }

    #[test]
    fn region_prefixes_and_factors() {
        assert_eq!(usage_type_prefix("us-east-1"), "");
        assert_eq!(usage_type_prefix("us-east-2"), "USE2-");
        assert_eq!(usage_type_prefix("eu-west-1"), "EU-");
        assert_eq!(usage_type_prefix("ap-south-1"), "APS3-");
        assert_eq!(region_permille("us-west-2"), 1000);
        assert_eq!(region_permille("eu-central-1"), 1100);
    }
}

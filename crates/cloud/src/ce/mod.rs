//! Cost Explorer (`ce`): GetCostAndUsage over the usage ledger, with boto3's shapes.
//!
//! The ledger ([`ledger`]) records when each instance, volume and snapshot starts and stops
//! accruing charges; the price table ([`prices`]) turns that into dollars. Cost Explorer is a
//! global service: a client made in any region answers for every region of the caller's account.

pub mod ledger;
pub mod prices;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{Caller, Cloud};

pub(crate) use ledger::Ledger;
pub use ledger::{Bill, BillLine, Meter, UsageRecord};
use prices::{Quantity, Usd};

/// Cost Explorer's `DateInterval`: `YYYY-MM-DD` dates, start inclusive, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateInterval {
    /// The first day included (`2025-06-01`).
    pub start: String,
    /// The day after the last one included (`2025-07-01`).
    pub end: String,
}

/// Cost Explorer's `GroupDefinition`: `{type: "DIMENSION", key: "SERVICE"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupDefinition {
    /// `DIMENSION` (the only type simulated; `TAG`, `COST_CATEGORY` and `PRODUCT_ATTRIBUTE` are
    /// refused).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The dimension: `SERVICE`, `USAGE_TYPE`, `REGION`, `INSTANCE_TYPE` or `LINKED_ACCOUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

request! {
    /// Input of Cost Explorer `GetCostAndUsage` (`ce.get_cost_and_usage(#{time_period: #{start:
    /// "2025-06-01", end: "2025-07-01"}, granularity: "DAILY", metrics: ["UnblendedCost"],
    /// group_by: [#{type: "DIMENSION", key: "SERVICE"}]})`). Filters and billing views are not
    /// simulated.
    pub struct GetCostAndUsageInput {
        ..not_simulated["filter", "billing_view_arn"],
        /// `TimePeriod`: the days to report, start inclusive, end exclusive.
        pub time_period: DateInterval,
        /// `Granularity`: `DAILY` or `MONTHLY` (`HOURLY` needs an opt-in no simulated account
        /// has).
        pub granularity: String,
        /// `Metrics`: `UnblendedCost`, `BlendedCost`, `AmortizedCost`, `NetUnblendedCost`,
        /// `NetAmortizedCost` (all equal here: on-demand prices, no discounts or credits) or
        /// `UsageQuantity`.
        pub metrics: Vec<String>,
        /// `GroupBy`: at most two dimensions.
        pub group_by: Option<Vec<GroupDefinition>>,
        /// `NextPageToken`: every answer fits one page, so no token is ever valid.
        pub next_page_token: Option<String>,
    }
}

/// Cost Explorer's `MetricValue`: `{amount, unit}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricValue {
    /// A decimal string with at most ten decimals (`0.0208`, `0`).
    pub amount: String,
    /// `USD` for costs; `Hrs`, `GB-Mo`, or `N/A` for usage of mixed units.
    pub unit: String,
}

/// One group of a period: its dimension values and metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The group's value of each `group_by` dimension, in `group_by` order.
    pub keys: Vec<String>,
    /// Metric name → value.
    pub metrics: BTreeMap<String, MetricValue>,
}

/// Cost Explorer's `ResultByTime`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultByTime {
    /// The period: a day (`DAILY`) or a calendar month clipped to the request (`MONTHLY`).
    pub time_period: DateInterval,
    /// Metric name → value over the period; empty when the request groups (the amounts are in
    /// `groups` then, as Cost Explorer answers).
    pub total: BTreeMap<String, MetricValue>,
    /// The groups with usage in the period, sorted by keys; empty without `group_by`.
    pub groups: Vec<Group>,
    /// True while the period has not ended (its amounts can still grow).
    pub estimated: bool,
}

/// Cost Explorer's `DimensionValuesWithAttributes` (always empty here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionValuesWithAttributes {
    /// The dimension value.
    pub value: String,
    /// Its attributes.
    pub attributes: BTreeMap<String, String>,
}

/// Cost Explorer `GetCostAndUsage`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetCostAndUsageOutput {
    /// The request's `group_by`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_definitions: Option<Vec<GroupDefinition>>,
    /// One result per period, in time order.
    pub results_by_time: Vec<ResultByTime>,
    /// Attributes of dimension values; empty for the dimensions simulated.
    pub dimension_value_attributes: Vec<DimensionValuesWithAttributes>,
}

/// The metrics answered; the cost metrics are equal (on-demand prices, no reservations, savings
/// plans, credits or discounts).
const COST_METRICS: &[&str] = &[
    "AmortizedCost",
    "BlendedCost",
    "NetAmortizedCost",
    "NetUnblendedCost",
    "UnblendedCost",
];
const USAGE_QUANTITY: &str = "UsageQuantity";
/// The `DIMENSION` keys `group_by` accepts.
const DIMENSIONS: &[&str] = &[
    "INSTANCE_TYPE",
    "LINKED_ACCOUNT",
    "REGION",
    "SERVICE",
    "USAGE_TYPE",
];
/// Cost Explorer answers at most this many `group_by` entries.
const MAX_GROUP_BY: usize = 2;

fn validation(message: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", message)
}

fn parse_day(text: &str) -> AwsResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            validation(format!(
                "Invalid date format: {text}. Dates are YYYY-MM-DD (for example 2025-06-01)."
            ))
        })
}

fn epoch_seconds(day: NaiveDate) -> u64 {
    day.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp().max(0) as u64)
        .unwrap_or(0)
}

fn first_of_next_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day)
}

/// Months of history before the current one that Cost Explorer answers for (AWS keeps 13 months
/// of history unless an account enables multi-year data, which no simulated account has).
const HISTORY_MONTHS: u32 = 13;

/// The first day Cost Explorer answers for: the first of the month [`HISTORY_MONTHS`] months
/// before `today`'s.
fn earliest_day(today: NaiveDate) -> NaiveDate {
    let months = today.year() * 12 + today.month0() as i32 - HISTORY_MONTHS as i32;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today)
}

/// The periods of a request: days, or calendar months clipped to [start, end).
fn periods(start: NaiveDate, end: NaiveDate, monthly: bool) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut from = start;
    while from < end {
        let to = if monthly {
            first_of_next_month(from).min(end)
        } else {
            from.succ_opt().unwrap_or(end)
        };
        out.push((from, to));
        from = to;
    }
    out
}

/// A charge line's value of one dimension.
fn dimension_value(line: &ledger::ChargeLine, key: &str) -> String {
    match key {
        "SERVICE" => line.service.to_string(),
        "USAGE_TYPE" => line.usage_type.clone(),
        "REGION" => line.record.region.clone(),
        "LINKED_ACCOUNT" => line.record.account.clone(),
        // Cost Explorer's value for usage that has no instance type.
        _ => line.instance_type.unwrap_or("NoInstanceType").to_string(),
    }
}

/// Running sums of one group (or a period's total).
#[derive(Default)]
struct Sums {
    cost: Usd,
    quantity: Quantity,
    units: std::collections::BTreeSet<&'static str>,
}

impl Sums {
    fn add(&mut self, c: &ledger::Charge, unit: &'static str) {
        self.cost += c.cost;
        self.quantity += c.quantity;
        self.units.insert(unit);
    }

    fn metrics(&self, names: &[String]) -> BTreeMap<String, MetricValue> {
        names
            .iter()
            .map(|name| {
                let value = if name == USAGE_QUANTITY {
                    MetricValue {
                        amount: self.quantity.to_decimal(),
                        unit: match self.units.len() {
                            1 => self.units.iter().next().copied().unwrap_or("N/A"),
                            _ => "N/A",
                        }
                        .to_string(),
                    }
                } else {
                    MetricValue {
                        amount: self.cost.to_decimal(),
                        unit: "USD".into(),
                    }
                };
                (name.clone(), value)
            })
            .collect()
    }
}

impl Cloud {
    /// Cost Explorer `GetCostAndUsage`: the caller's costs in every region, from the usage ledger,
    /// per day or per calendar month, optionally grouped by up to two dimensions (`SERVICE`,
    /// `USAGE_TYPE`, `REGION`, `INSTANCE_TYPE`, `LINKED_ACCOUNT`). Without `group_by` each
    /// period has a `total` and no groups; with it, each period lists its groups (sorted by
    /// keys) and an empty `total`. Usage still accruing counts up to the current simulated
    /// time, and a period that has not ended is `estimated`. The AWS Billing and Cost
    /// Management API Reference, "GetCostAndUsage".
    ///
    /// Errors: `ValidationException` for a date that is not `YYYY-MM-DD`, a start not before the
    /// end ("Start date (and hour) should be before end date (and hour)"), a start after today or
    /// more than 13 months before the current month,
    /// an end past the first day of next month ("end date past the beginning of next month"),
    /// a granularity other than `DAILY` or `MONTHLY`, no metric or an unknown one, more than two
    /// `group_by` entries, a `group_by` type other than `DIMENSION` or a dimension outside the
    /// simulated ones; `InvalidNextTokenException` for any `next_page_token` (every answer is one
    /// page).
    pub fn get_cost_and_usage(
        &mut self,
        caller: &Caller,
        input: GetCostAndUsageInput,
    ) -> AwsResult<GetCostAndUsageOutput> {
        if let Some(token) = &input.next_page_token {
            return Err(AwsError::new(
                "InvalidNextTokenException",
                format!("The next page token '{token}' is invalid."),
            ));
        }
        let monthly = match input.granularity.as_str() {
            "DAILY" => false,
            "MONTHLY" => true,
            "HOURLY" => {
                return Err(validation(
                    "Hourly granularity is not enabled for this account. Use DAILY or MONTHLY.",
                ))
            }
            other => {
                return Err(validation(format!(
                    "1 validation error detected: Value '{other}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [DAILY, MONTHLY, HOURLY]"
                )))
            }
        };
        if input.metrics.is_empty() {
            return Err(validation(
                "Metrics is required for GetCostAndUsage requests.",
            ));
        }
        for metric in &input.metrics {
            if !COST_METRICS.contains(&metric.as_str()) && metric != USAGE_QUANTITY {
                return Err(validation(format!(
                    "Invalid metric: {metric}. Valid metrics are {}, {USAGE_QUANTITY}.",
                    COST_METRICS.join(", ")
                )));
            }
        }
        let group_by = input.group_by.clone().unwrap_or_default();
        if group_by.len() > MAX_GROUP_BY {
            return Err(validation(format!(
                "You can group by at most {MAX_GROUP_BY} different dimensions; the request has {}.",
                group_by.len()
            )));
        }
        let mut keys = Vec::with_capacity(group_by.len());
        for g in &group_by {
            let kind = g.type_.as_deref().unwrap_or_default();
            let key = g.key.as_deref().unwrap_or_default();
            if kind != "DIMENSION" {
                return Err(validation(format!(
                    "Group by type '{kind}' is not supported; group by DIMENSION."
                )));
            }
            if !DIMENSIONS.contains(&key) {
                return Err(validation(format!(
                    "Group by dimension '{key}' is not supported. Valid dimensions: {}.",
                    DIMENSIONS.join(", ")
                )));
            }
            keys.push(key);
        }
        let start = parse_day(&input.time_period.start)?;
        let end = parse_day(&input.time_period.end)?;
        if start >= end {
            return Err(validation(
                "Start date (and hour) should be before end date (and hour)",
            ));
        }
        let now = self.now();
        let today = chrono::DateTime::from_timestamp(now as i64, 0)
            .map(|t| t.date_naive())
            .unwrap_or(start);
        if start > today {
            return Err(validation(format!(
                "Start date {start} is after the current date {today}: the start date must be equal to or no later than the current date."
            )));
        }
        if end > first_of_next_month(today) {
            return Err(validation("end date past the beginning of next month"));
        }
        let earliest = earliest_day(today);
        if start < earliest {
            return Err(validation(format!(
                "Cost Explorer keeps the current month and the {HISTORY_MONTHS} before it: the start date must be on or after {earliest}."
            )));
        }

        let charges = self.ledger.charges(
            &caller.account,
            now,
            epoch_seconds(start),
            epoch_seconds(end),
        );
        let periods = periods(start, end, monthly);
        // Each line's group, interned once: groups are listed sorted by their keys.
        let mut group_ids: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let line_groups: Vec<usize> = charges
            .lines
            .iter()
            .map(|line| {
                let values: Vec<String> = keys.iter().map(|k| dimension_value(line, k)).collect();
                let next = group_ids.len();
                *group_ids.entry(values).or_insert(next)
            })
            .collect();
        // (period, group) → sums, in one pass over the charges.
        let first_days: Vec<i64> = periods
            .iter()
            .map(|(from, _)| (epoch_seconds(*from) / 86_400) as i64)
            .collect();
        let mut sums: BTreeMap<(usize, usize), Sums> = BTreeMap::new();
        for c in &charges.pieces {
            let period = first_days
                .partition_point(|d| *d <= c.day)
                .saturating_sub(1);
            sums.entry((period, line_groups[c.line]))
                .or_default()
                .add(c, charges.lines[c.line].unit);
        }
        let results_by_time = periods
            .iter()
            .enumerate()
            .map(|(index, (from, to))| {
                let mut groups = Vec::new();
                let mut total = BTreeMap::new();
                for (values, id) in &group_ids {
                    let Some(group) = sums.get(&(index, *id)) else {
                        continue;
                    };
                    if keys.is_empty() {
                        // Ungrouped, every line shares the one empty group: the total.
                        total = group.metrics(&input.metrics);
                    } else {
                        groups.push(Group {
                            keys: values.clone(),
                            metrics: group.metrics(&input.metrics),
                        });
                    }
                }
                if keys.is_empty() && total.is_empty() {
                    total = Sums::default().metrics(&input.metrics);
                }
                ResultByTime {
                    time_period: DateInterval {
                        start: from.format("%Y-%m-%d").to_string(),
                        end: to.format("%Y-%m-%d").to_string(),
                    },
                    total,
                    groups,
                    estimated: epoch_seconds(*to) > now,
                }
            })
            .collect();
        Ok(GetCostAndUsageOutput {
            group_definitions: input.group_by,
            results_by_time,
            dimension_value_attributes: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    #[test]
    fn monthly_periods_are_calendar_months_clipped_to_the_request() {
        let p = periods(day("2025-05-20"), day("2025-07-03"), true);
        let shown: Vec<(String, String)> = p
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(
            shown,
            [
                ("2025-05-20".into(), "2025-06-01".into()),
                ("2025-06-01".into(), "2025-07-01".into()),
                ("2025-07-01".into(), "2025-07-03".into()),
            ]
        );
        assert_eq!(
            periods(day("2025-12-30"), day("2026-01-02"), false).len(),
            3
        );
    }

    #[test]
    fn history_reaches_back_thirteen_months() {
        assert_eq!(earliest_day(day("2025-06-02")), day("2024-05-01"));
        assert_eq!(earliest_day(day("2025-01-31")), day("2023-12-01"));
    }

    #[test]
    fn dates_must_be_plain_days() {
        assert!(parse_day("2025-06-01").is_ok());
        for bad in ["2025-6-1", "2025-06-01T00:00:00Z", "June", "2025-02-30"] {
            assert_eq!(
                parse_day(bad).unwrap_err().code,
                "ValidationException",
                "{bad}"
            );
        }
    }
}

//! Pipeline schedules: the `cron(…)` expressions of an image pipeline's `schedule`, in UTC.
//!
//! Image Builder takes the six-field form of EventBridge's cron expressions ("Use cron
//! expressions in Image Builder", Image Builder user guide; "Cron expressions reference",
//! EventBridge user guide): `cron(minutes hours day-of-month month day-of-week year)`, for
//! example `cron(0 0 * * ? *)` (every day at midnight) or `cron(30 6 ? * MON-FRI *)`.
//!
//! The subset simulated, in every field:
//! - `*` (any value), a number, a list `1,15`, a range `1-5`, and steps `*/15`, `0/15`, `1-30/2`;
//! - month names `JAN`–`DEC` and day names `SUN`–`SAT` (day-of-week 1 is Sunday, 7 Saturday);
//! - `?` ("no specific value") in day-of-month or day-of-week: exactly one of the two must be
//!   `?`, as AWS requires.
//!
//! Not simulated (refused with a message saying so): `L`, `W` and `#`, and `rate(…)`
//! expressions, which Image Builder does not take either. Time zones other than UTC are not
//! simulated (`schedule.timezone` is declared not simulated).
//!
//! Why a parser of its own: the `cron` crate reads a seven-field, seconds-first form with its
//! own day-of-week numbering and would need the same translation and checks as parsing does;
//! this one is small and has no dependency.

use chrono::{Datelike, NaiveDate, TimeZone, Utc};

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cron {
    minutes: u64,
    hours: u64,
    /// `None`: `?`.
    days_of_month: Option<u64>,
    months: u64,
    /// `None`: `?`. Bit 1 is Sunday … bit 7 Saturday.
    days_of_week: Option<u64>,
    /// Years from 1970: bit `y - 1970` (1970–2199 need four words).
    years: [u64; 4],
    text: String,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A field's values, as a set of numbers in `lo..=hi`.
fn field(text: &str, what: &str, lo: u32, hi: u32, names: &[&str]) -> Result<Vec<u32>, String> {
    let value = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(lo + i as u32);
        }
        let n: u32 = s
            .parse()
            .map_err(|_| format!("'{s}' is not a valid {what} value"))?;
        if n < lo || n > hi {
            return Err(format!("{what} value {n} is outside {lo}-{hi}"));
        }
        Ok(n)
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        if part.contains(['L', 'W', '#']) && !names.iter().any(|n| n.eq_ignore_ascii_case(part)) {
            return Err(format!(
                "'{part}' uses L, W or #, which amilab does not simulate"
            ));
        }
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("'{s}' is not a valid step in the {what} field"))?;
                (r, step)
            }
            None => (part, 1),
        };
        let (start, end) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            // `5/15`: from 5, every 15; a plain `5`: only 5.
            (v, if part.contains('/') { hi } else { v })
        };
        if start > end {
            return Err(format!("the {what} range {range} runs backwards"));
        }
        out.extend((start..=end).step_by(step as usize));
    }
    Ok(out)
}

fn bits(values: &[u32]) -> u64 {
    values.iter().fold(0, |acc, v| acc | 1 << v)
}

impl Cron {
    /// Parses `cron(m h dom mon dow year)`. The error says what is wrong (the text after
    /// "The value supplied for parameter 'schedule.scheduleExpression' is not valid. ").
    pub fn parse(expression: &str) -> Result<Cron, String> {
        let trimmed = expression.trim();
        if trimmed.starts_with("rate(") {
            return Err("Image Builder takes cron expressions only, not rate expressions.".into());
        }
        let inner = trimmed
            .strip_prefix("cron(")
            .and_then(|s| s.strip_suffix(')'))
            .ok_or("The schedule expression must have the form cron(minutes hours day-of-month month day-of-week year).")?;
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "A cron expression has 6 fields (minutes hours day-of-month month day-of-week year); '{inner}' has {}.",
                fields.len()
            ));
        }
        let (dom, dow) = (fields[2], fields[4]);
        if (dom == "?") == (dow == "?") {
            return Err("Exactly one of day-of-month and day-of-week must be '?'.".into());
        }
        if fields[0] == "?" || fields[1] == "?" || fields[3] == "?" || fields[5] == "?" {
            return Err("'?' is only allowed in day-of-month or day-of-week.".into());
        }
        let mut years = [0u64; 4];
        for y in field(fields[5], "year", 1970, 2199, &[])? {
            let i = (y - 1970) as usize;
            years[i / 64] |= 1 << (i % 64);
        }
        Ok(Cron {
            minutes: bits(&field(fields[0], "minute", 0, 59, &[])?),
            hours: bits(&field(fields[1], "hour", 0, 23, &[])?),
            days_of_month: (dom != "?")
                .then(|| field(dom, "day-of-month", 1, 31, &[]).map(|v| bits(&v)))
                .transpose()?,
            months: bits(&field(fields[3], "month", 1, 12, MONTHS)?),
            days_of_week: (dow != "?")
                .then(|| field(dow, "day-of-week", 1, 7, DAYS).map(|v| bits(&v)))
                .transpose()?,
            years,
            text: trimmed.to_string(),
        })
    }

    /// The expression as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
        let year_index = date.year() - 1970;
        if !(0..230).contains(&year_index) {
            return false;
        }
        let i = year_index as usize;
        if self.years[i / 64] & (1 << (i % 64)) == 0 || self.months & (1 << date.month()) == 0 {
            return false;
        }
        match (self.days_of_month, self.days_of_week) {
            (Some(dom), _) => dom & (1 << date.day()) != 0,
            (None, Some(dow)) => dow & (1 << (date.weekday().num_days_from_sunday() + 1)) != 0,
            (None, None) => true,
        }
    }

    /// The first instant strictly after `after` (seconds since the Unix epoch, UTC) that the
    /// expression matches, to the minute; `None` if none comes before 2200.
    pub fn next_after(&self, after: u64) -> Option<u64> {
        // The next whole minute after `after`.
        let start = (after / 60 + 1) * 60;
        let first = Utc.timestamp_opt(start as i64, 0).single()?;
        let mut date = first.date_naive();
        let mut from_minute = (first.timestamp() as u64 % 86_400) / 60;
        while date.year() < 2200 {
            if self.day_matches(date) {
                for m in from_minute..1440 {
                    let (h, min) = (m / 60, m % 60);
                    if self.hours & (1 << h) != 0 && self.minutes & (1 << min) != 0 {
                        let midnight = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp() as u64;
                        return Some(midnight + m * 60);
                    }
                }
            }
            date = date.succ_opt()?;
            from_minute = 0;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{iso8601, parse_iso8601};

    fn next(expr: &str, after: &str) -> String {
        let c = Cron::parse(expr).unwrap();
        iso8601(c.next_after(parse_iso8601(after).unwrap()).unwrap())
    }

    #[test]
    fn daily_weekly_and_stepped_schedules() {
        let t = "2025-06-02T09:00:00.000Z"; // a Monday
        assert_eq!(next("cron(0 0 * * ? *)", t), "2025-06-03T00:00:00.000Z");
        assert_eq!(next("cron(0 10 * * ? *)", t), "2025-06-02T10:00:00.000Z");
        // Strictly after: a time that matches now is next day's.
        assert_eq!(next("cron(0 9 * * ? *)", t), "2025-06-03T09:00:00.000Z");
        assert_eq!(next("cron(*/15 * * * ? *)", t), "2025-06-02T09:15:00.000Z");
        assert_eq!(next("cron(0/20 9 * * ? *)", t), "2025-06-02T09:20:00.000Z");
        assert_eq!(next("cron(30 6 ? * SAT *)", t), "2025-06-07T06:30:00.000Z");
        assert_eq!(next("cron(30 6 ? * 1 *)", t), "2025-06-08T06:30:00.000Z"); // 1 = Sunday
        assert_eq!(
            next("cron(0 8 ? * MON-FRI *)", t),
            "2025-06-03T08:00:00.000Z"
        );
        assert_eq!(next("cron(0 0 1,15 * ? *)", t), "2025-06-15T00:00:00.000Z");
        assert_eq!(next("cron(0 0 1 JAN ? *)", t), "2026-01-01T00:00:00.000Z");
        assert_eq!(next("cron(0 0 1 1 ? 2027)", t), "2027-01-01T00:00:00.000Z");
        assert_eq!(next("cron(0 12 31 * ? *)", t), "2025-07-31T12:00:00.000Z");
        assert!(Cron::parse("cron(0 0 1 1 ? 1999)")
            .unwrap()
            .next_after(parse_iso8601(t).unwrap())
            .is_none());
    }

    #[test]
    fn expressions_outside_the_subset_are_refused() {
        for (expr, fragment) in [
            ("rate(1 day)", "not rate"),
            ("0 0 * * ? *", "must have the form"),
            ("cron(0 0 * * ?)", "has 5"),
            ("cron(0 0 * * * *)", "Exactly one"),
            ("cron(0 0 ? * ? *)", "Exactly one"),
            ("cron(60 0 * * ? *)", "outside 0-59"),
            ("cron(0 0 L * ? *)", "L, W or #"),
            ("cron(0 0 ? * 2#1 *)", "L, W or #"),
            ("cron(0 0 * FOO ? *)", "not a valid month"),
            ("cron(0 5-1 * * ? *)", "runs backwards"),
            ("cron(*/0 0 * * ? *)", "not a valid step"),
            ("cron(? 0 * * ? *)", "only allowed"),
        ] {
            let err = Cron::parse(expr).unwrap_err();
            assert!(err.contains(fragment), "{expr}: {err}");
        }
    }
}

//! Simulated time: a clock that only moves when a script sleeps or waits, and the documented
//! durations of every lifecycle transition.

use chrono::DateTime;

/// 2025-06-02T09:00:00Z: where every world's clock starts unless the world says otherwise.
pub const DEFAULT_START: u64 = 1_748_854_800;

/// How long each transition takes, in simulated seconds. These are teaching approximations of
/// what AWS typically shows, fixed so that runs are reproducible.
pub mod durations {
    /// An EBS-backed instance goes from `pending` to `running`.
    pub const EBS_BOOT: u64 = 30;
    /// An instance-store-backed instance boots from an image bundle copied from S3: slower.
    pub const INSTANCE_STORE_BOOT: u64 = 240;
    /// `stopping` → `stopped`.
    pub const STOP: u64 = 30;
    /// `shutting-down` → `terminated`.
    pub const TERMINATE: u64 = 30;
    /// `stopping` → `stopped` or `shutting-down` → `terminated` when the caller skipped the
    /// operating system's shutdown (`force` or `skip_os_shutdown`).
    pub const WITHOUT_OS_SHUTDOWN: u64 = 5;
    /// A terminated instance stays visible to DescribeInstances for this long.
    pub const TERMINATED_VISIBLE: u64 = 3600;
    /// CreateImage: `pending` → `available`.
    pub const CREATE_IMAGE: u64 = 120;
    /// RegisterImage from an existing snapshot.
    pub const REGISTER_IMAGE: u64 = 15;
    /// CopyImage within one region.
    pub const COPY_IMAGE_SAME_REGION: u64 = 180;
    /// CopyImage across regions: the snapshots travel.
    pub const COPY_IMAGE_CROSS_REGION: u64 = 420;
    /// CreateSnapshot / CopySnapshot: `pending` → `completed`.
    pub const SNAPSHOT: u64 = 60;
    /// CreateVolume: `creating` → `available`.
    pub const CREATE_VOLUME: u64 = 10;
    /// An SSM command runs on the instance and reports back.
    pub const SSM_COMMAND: u64 = 2;
}

/// The current simulated time, in seconds since the Unix epoch.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct Clock {
    now: u64,
}

impl Clock {
    pub fn starting_at(now: u64) -> Self {
        Clock { now }
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    // Only tests step a bare clock: `Cloud::advance` moves it event by event instead.
    #[cfg(test)]
    pub fn advance(&mut self, seconds: u64) {
        self.now = self.now.saturating_add(seconds);
    }
}

/// `2025-06-02T09:00:00.000Z`, the form of EC2's `CreationDate` and boto3's ISO timestamps.
/// Written digit by digit: every call on the trail and every described resource formats
/// times, and `format!`'s padding machinery was 3 % of a whole `amilab check` (BENCHMARKS.md,
/// "Speed per submission").
pub fn iso8601(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rem = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    if year > 9999 {
        return format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    let mut text = *b"0000-00-00T00:00:00.000Z";
    put_digits(&mut text[0..4], year as u64);
    put_digits(&mut text[5..7], u64::from(month));
    put_digits(&mut text[8..10], u64::from(day));
    put_digits(&mut text[11..13], rem / 3600);
    put_digits(&mut text[14..16], rem % 3600 / 60);
    put_digits(&mut text[17..19], rem % 60);
    String::from_utf8(text.to_vec()).expect("ASCII digits and separators")
}

/// Writes `n` into `slots` in decimal, right-aligned, zero-padded (its lowest digits only).
fn put_digits(slots: &mut [u8], mut n: u64) {
    for slot in slots.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `2025-06-02 09:01:00 GMT`: how EC2 writes a moment inside a state transition reason.
pub fn gmt(seconds: u64) -> String {
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    let rem = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `User initiated (2025-06-02 09:01:00 GMT)`: an instance's `StateTransitionReason` after the
/// caller stopped or terminated it (EC2-BEHAVIOUR.md).
pub fn user_initiated(seconds: u64) -> String {
    format!("User initiated ({})", gmt(seconds))
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` back into seconds (worlds that set their own start).
pub fn parse_iso8601(text: &str) -> Option<u64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .and_then(|t| u64::try_from(t.timestamp()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_ec2() {
        assert_eq!(iso8601(DEFAULT_START), "2025-06-02T09:00:00.000Z");
    }

    #[test]
    fn agrees_with_chrono_across_years() {
        for t in [
            0u64,
            951_782_400,
            1_709_164_800,
            DEFAULT_START,
            4_102_444_799,
            253_402_300_799,
        ] {
            let expected = DateTime::from_timestamp(t as i64, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%S.000Z")
                .to_string();
            assert_eq!(iso8601(t), expected, "{t}");
        }
    }

    #[test]
    fn five_digit_years_are_written_whole() {
        assert_eq!(iso8601(253_402_300_800), "10000-01-01T00:00:00.000Z");
    }

    #[test]
    fn parses_back() {
        assert_eq!(parse_iso8601("2025-06-02T09:00:00Z"), Some(DEFAULT_START));
        assert_eq!(parse_iso8601("yesterday"), None);
    }

    #[test]
    fn advancing_moves_forward_only() {
        let mut c = Clock::starting_at(10);
        c.advance(5);
        assert_eq!(c.now(), 15);
        c.advance(u64::MAX);
        assert_eq!(c.now(), u64::MAX);
    }
}

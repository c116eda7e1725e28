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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock {
    now: u64,
}

impl Clock {
    pub fn starting_at(now: u64) -> Self {
        Clock { now }
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn advance(&mut self, seconds: u64) {
        self.now = self.now.saturating_add(seconds);
    }
}

/// `2025-06-02T09:00:00.000Z`, the form of EC2's `CreationDate` and boto3's ISO timestamps.
pub fn iso8601(seconds: u64) -> String {
    DateTime::from_timestamp(seconds as i64, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S.000Z").to_string())
        .unwrap_or_else(|| "9999-12-31T23:59:59.000Z".to_string())
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

//! Splitting a class across machines: `--shard I/N` grades the learners whose id falls in share
//! I of N, decided by the id alone, so every runner agrees without talking to the others.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Share `index` (from 1, as GitLab's `CI_NODE_INDEX` and a 1-based matrix count) of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u32,
    pub total: u32,
}

/// The largest `N` of `--shard I/N`: more runners than this is a typing mistake.
pub const MAX_SHARDS: u32 = 1024;

impl Shard {
    /// The whole class as one shard.
    pub const WHOLE: Shard = Shard { index: 1, total: 1 };

    /// The share (from 1) that `learner` belongs to when the class is split in `total`: the
    /// first 8 bytes of the sha256 of the id, as a big-endian number, modulo `total`. A hash,
    /// not the position in a sorted list, so a learner added late does not move the others.
    pub fn of(learner: &str, total: u32) -> u32 {
        let digest = Sha256::digest(learner.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % u64::from(total.max(1))) as u32 + 1
    }

    /// Whether `learner` is graded by this shard.
    pub fn contains(&self, learner: &str) -> bool {
        Shard::of(learner, self.total) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.total)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N` with `1 ≤ I ≤ N ≤` [`MAX_SHARDS`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("`{s}` is not a shard: write I/N, the runner's number from 1 and how many runners there are (e.g. 2/4)")
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let total: u32 = n.trim().parse().map_err(|_| bad())?;
        if total == 0 || total > MAX_SHARDS {
            return Err(format!(
                "`{s}`: the number of shards must be 1 to {MAX_SHARDS}"
            ));
        }
        if index == 0 || index > total {
            return Err(format!(
                "`{s}`: the shard number counts from 1 to {total} (GitLab's CI_NODE_INDEX, or a matrix index plus 1)"
            ));
        }
        Ok(Shard { index, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, total: 4 }));
        assert_eq!("1/1".parse(), Ok(Shard::WHOLE));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "1/2000", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn every_learner_is_in_exactly_one_shard() {
        for total in 1..=7 {
            for i in 0..200 {
                let learner = format!("learner-{i}");
                let owners = (1..=total)
                    .filter(|&index| Shard { index, total }.contains(&learner))
                    .count();
                assert_eq!(owners, 1, "{learner} in {owners} of {total} shards");
            }
        }
    }

    #[test]
    fn shares_are_roughly_even_and_stable() {
        let mut counts = [0u32; 4];
        for i in 0..4000 {
            counts[Shard::of(&format!("s{i}"), 4) as usize - 1] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
        // The rule is part of the file format: shard outputs of two amilab builds (or of
        // another tool that computes it) must agree. The expected shares were computed
        // independently, with Python's hashlib.
        assert_eq!(
            (1..=7).map(|t| Shard::of("alice", t)).collect::<Vec<_>>(),
            [1, 2, 3, 4, 3, 6, 2]
        );
        assert_eq!(
            (1..=7).map(|t| Shard::of("bob", t)).collect::<Vec<_>>(),
            [1, 1, 3, 3, 1, 3, 2]
        );
    }
}

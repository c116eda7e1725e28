//! Learner ids and the seeds derived from them: a portable hash (sha256), never Rust's
//! `DefaultHasher`, so a learner's variant is the same on every machine and every release.

use sha2::{Digest, Sha256};

/// The learner id used when none is given.
pub const ANONYMOUS: &str = "anonymous";

/// The first 8 bytes (little-endian) of a sha256 of the length-prefixed parts.
pub fn seed_from(parts: &[&str]) -> u64 {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&d[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed() {
        assert_ne!(seed_from(&["ab", "c"]), seed_from(&["a", "bc"]));
        assert_eq!(seed_from(&["x"]), seed_from(&["x"]));
    }
}

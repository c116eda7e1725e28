//! Learner ids, the seeds derived from them and every draw made from a seed: a portable hash
//! (sha256, never Rust's `DefaultHasher`) and a portable generator (ChaCha8), with the shuffles
//! written here rather than taken from a library's sampling code, so a learner's lab variant
//! and quiz paper are the same on every machine and every release.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
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

/// One labelled stream of draws: ChaCha8 seeded from [`seed_from`]`(parts)`. Give each draw
/// its own labels (the param's name, the question's id) so that adding one never changes the
/// others.
pub struct Draw(ChaCha8Rng);

impl Draw {
    /// The stream for these labels.
    pub fn new(parts: &[&str]) -> Self {
        Draw(ChaCha8Rng::seed_from_u64(seed_from(parts)))
    }

    /// A number below `n` (`next_u64 % n`; 0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.0.next_u64() % n
        }
    }

    /// Shuffles `items` in place: Fisher–Yates from the last item down (quiz papers).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// `n` of the indices `0..len` (all of them when `n >= len`), in ascending order: a partial
    /// Fisher–Yates from the first index up (lab params' `choose`). Both directions are kept
    /// because learners already hold variants and papers drawn with each.
    pub fn choose(&mut self, n: usize, len: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..len).collect();
        let n = n.min(len);
        for i in 0..n {
            let j = i + self.below((len - i) as u64) as usize;
            idx.swap(i, j);
        }
        let mut chosen = idx[..n].to_vec();
        chosen.sort_unstable();
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed() {
        assert_ne!(seed_from(&["ab", "c"]), seed_from(&["a", "bc"]));
        assert_eq!(seed_from(&["x"]), seed_from(&["x"]));
    }

    #[test]
    fn draws_are_fixed_forever() {
        // Learners hold variants and papers drawn with these: a change here changes them.
        let mut d = Draw::new(&["amilab", "test"]);
        let mut v: Vec<u32> = (0..8).collect();
        d.shuffle(&mut v);
        let chosen = Draw::new(&["amilab", "test"]).choose(3, 8);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>(), "a permutation");
        assert_eq!((v, chosen), (vec![2, 3, 0, 5, 7, 6, 4, 1], vec![1, 5, 6]));
        assert_eq!(Draw::new(&["x"]).below(0), 0);
        assert_eq!(Draw::new(&["x"]).choose(9, 2), vec![0, 1]);
    }
}

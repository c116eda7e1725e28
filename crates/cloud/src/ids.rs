//! Resource ids (`ami-` + 17 hex digits, …) from a seeded ChaCha generator, never from time.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// A seeded, portable id generator: the same seed gives the same ids on every machine.
///
/// Saved (and shown by `Debug`, so that [`crate::Cloud::state_digest`] tells positions apart)
/// as its ChaCha8 stream position: `{"seed": 64 hex digits, "stream": n, "word_pos": n}`, the
/// abstract state rand_chacha documents as all that determines the outputs.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "Position", try_from = "Position")]
pub struct IdGen {
    rng: ChaCha8Rng,
}

/// Where a ChaCha8 stream is: its key, stream number and position in 32-bit words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Position {
    seed: String,
    stream: u64,
    word_pos: u128,
}

impl From<IdGen> for Position {
    fn from(ids: IdGen) -> Position {
        Position::of(&ids)
    }
}

impl Position {
    fn of(ids: &IdGen) -> Position {
        Position {
            seed: ids
                .rng
                .get_seed()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            stream: ids.rng.get_stream(),
            word_pos: ids.rng.get_word_pos(),
        }
    }
}

impl TryFrom<Position> for IdGen {
    type Error = String;

    fn try_from(p: Position) -> Result<IdGen, String> {
        let bad = || format!("the id generator's seed `{}` is not 64 hex digits", p.seed);
        if p.seed.len() != 64 || !p.seed.is_ascii() {
            return Err(bad());
        }
        let mut seed = [0u8; 32];
        for (i, byte) in seed.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&p.seed[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        let mut rng = ChaCha8Rng::from_seed(seed);
        rng.set_stream(p.stream);
        rng.set_word_pos(p.word_pos);
        Ok(IdGen { rng })
    }
}

impl std::fmt::Debug for IdGen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = Position::of(self);
        f.debug_struct("IdGen")
            .field("seed", &p.seed)
            .field("stream", &p.stream)
            .field("word_pos", &p.word_pos)
            .finish()
    }
}

impl IdGen {
    pub fn new(seed: u64) -> Self {
        IdGen {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A new id such as `ami-0a1b2c3d4e5f60718`: the prefix, a dash and 17 lowercase hex digits.
    pub fn next(&mut self, prefix: &str) -> String {
        let value = self.rng.next_u64() as u128 | ((self.rng.next_u32() as u128) << 64);
        format_id(prefix, value)
    }

    /// A random-looking number in `0..bound` (used for addresses and the like).
    pub fn below(&mut self, bound: u32) -> u32 {
        self.rng.next_u32() % bound.max(1)
    }

    /// A UUID-shaped id (SSM command ids).
    pub fn uuid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// A stable id derived from a name (catalogue images, default VPCs): the same in every run and
/// independent of the seed, as real public AMI ids are fixed per region.
pub fn stable_id(prefix: &str, name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format_id(prefix, u128::from_be_bytes(bytes))
}

/// A UUID-shaped id derived from a name (AWS-managed KMS keys).
pub fn stable_uuid(name: &str) -> String {
    let d = Sha256::digest(name.as_bytes());
    let h: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn format_id(prefix: &str, value: u128) -> String {
    // 17 hex digits = 68 bits; a leading 0 like many real ids.
    let hex = format!("{:032x}", value);
    format!("{prefix}-0{}", &hex[hex.len() - 16..])
}

/// EC2's refusal of a malformed id, `code` (`InvalidAMIID.Malformed`, …): `Invalid id: "x"
/// (expecting "ami-...")`; `Ok` for an id [`is_well_formed`] accepts.
pub(crate) fn check_well_formed(id: &str, prefix: &str, code: &str) -> crate::error::AwsResult<()> {
    if is_well_formed(id, prefix) {
        Ok(())
    } else {
        Err(crate::error::AwsError::new(
            code,
            format!("Invalid id: \"{id}\" (expecting \"{prefix}-...\")"),
        ))
    }
}

/// True when `id` is `prefix-` followed by 8 or 17 lowercase hex digits.
pub fn is_well_formed(id: &str, prefix: &str) -> bool {
    match id
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
    {
        Some(hex) => {
            (hex.len() == 17 || hex.len() == 8)
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_saved_generator_goes_on_where_it_was() {
        let mut ids = super::IdGen::new(42);
        ids.next("ami");
        ids.below(7);
        let text = serde_json::to_string(&ids).unwrap();
        assert!(text.starts_with("{\"seed\":\""), "{text}");
        let mut read: super::IdGen = serde_json::from_str(&text).unwrap();
        assert_eq!(format!("{read:?}"), format!("{ids:?}"));
        assert_eq!(read.next("i"), ids.next("i"));
        assert_eq!(read.uuid(), ids.uuid());
        let bad = text.replacen("\"seed\":\"", "\"seed\":\"zz", 1);
        assert!(serde_json::from_str::<super::IdGen>(&bad).is_err());
    }

    use super::*;

    #[test]
    fn ids_have_prefix_and_17_hex_digits() {
        let mut ids = IdGen::new(7);
        let id = ids.next("ami");
        assert!(is_well_formed(&id, "ami"), "{id}");
        assert_eq!(id.len(), "ami-".len() + 17);
    }

    #[test]
    fn same_seed_same_ids_other_seed_other_ids() {
        let a: Vec<_> = (0..5)
            .map({
                let mut g = IdGen::new(1);
                move |_| g.next("i")
            })
            .collect();
        let b: Vec<_> = (0..5)
            .map({
                let mut g = IdGen::new(1);
                move |_| g.next("i")
            })
            .collect();
        let c: Vec<_> = (0..5)
            .map({
                let mut g = IdGen::new(2);
                move |_| g.next("i")
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// The stream a seed gives is part of the course's contract: learners' ids, quiz papers and
    /// lab variants must not change when `rand_chacha` / `rand_core` is upgraded. These values
    /// were produced by rand_chacha 0.3.1 + rand_core 0.6.4 (`seed_from_u64` is PCG32 filling
    /// the 32-byte key, then ChaCha8 with a zero nonce); a bump that fails here changes every
    /// learner's world: pin the old seeding explicitly instead of updating these.
    #[test]
    fn seed_42_gives_the_same_stream_as_rand_chacha_0_3() {
        let mut g = IdGen::new(42);
        assert_eq!(g.next("ami"), "ami-0ae90bfb5395d5ba1");
        assert_eq!(g.next("ami"), "ami-0c5b6538cf3453fc6");
        assert_eq!(g.below(1000), 250);
        assert_eq!(g.uuid(), "bcb642b0-a09a-42f9-a45d-829e49e149d8");
    }

    #[test]
    fn stable_ids_depend_only_on_the_name() {
        assert_eq!(stable_id("ami", "x"), stable_id("ami", "x"));
        assert_ne!(
            stable_id("ami", "x/us-east-1"),
            stable_id("ami", "x/eu-west-1")
        );
        assert!(is_well_formed(&stable_id("vpc", "x"), "vpc"));
    }

    #[test]
    fn malformed_ids_are_recognized() {
        assert!(!is_well_formed("ami-XYZ", "ami"));
        assert!(!is_well_formed("i-0123", "ami"));
        assert!(is_well_formed("ami-12345678", "ami"));
    }

    #[test]
    fn uuids_look_like_uuids() {
        let u = IdGen::new(3).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.matches('-').count(), 4);
    }
}

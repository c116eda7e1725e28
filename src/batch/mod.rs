//! Grading a class: every submission of one lab, quiz or assignment, graded in parallel into a
//! gradebook (`amilab grade`), split across machines by shard and joined again (`amilab merge`).
//!
//! The pieces, in the order a batch uses them: [`content`] is what is graded, [`submissions`]
//! finds who submitted what, [`shard`] picks this machine's share, [`run`] grades (resuming from
//! [`journal`]), and [`record`], [`gradebook`] and [`manifest`] are what it writes.

pub mod content;
pub mod gradebook;
pub mod journal;
pub mod manifest;
pub mod merge;
pub mod record;
pub mod run;
pub mod shard;
pub mod submissions;

pub use content::Content;
pub use record::GradeRecord;
pub use shard::Shard;

/// Lower-case hex sha256 of `bytes`.
pub fn content_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    submissions::hex(&Sha256::digest(bytes))
}

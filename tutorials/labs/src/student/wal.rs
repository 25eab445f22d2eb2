//! Lab 2 — the write-ahead log's framing (chapter 04, "The write-ahead
//! log").
//!
//! A log is a sequence of [`BLOCK_SIZE_BYTES`] (32 KiB) blocks. A record
//! is cut into fragments that never cross a block boundary; each fragment
//! is a [`HEADER_BYTES`]-byte header then its payload:
//! - masked CRC32C: u32 little-endian over the type byte, the synced length
//!   and the payload ([`strata_engine::coding::masked_crc_parts`]`(&[&[type],
//!   &synced_len.to_le_bytes(), payload])`)
//! - length: u16 little-endian, payload bytes
//! - type: u8 — 1 FULL (the whole record), 2 FIRST, 3 MIDDLE, 4 LAST
//! - synced length: u64 little-endian, how much of the log was synced when
//!   the fragment was written (never more than the fragment's own offset)
//!
//! When fewer than `HEADER_BYTES` bytes are left in a block, they are
//! zeros and the record continues (or starts) in the next block.
//!
//! The reader must tell a *torn tail* (a crash that lost or tore unsynced
//! appends: partial header, short or bad fragment, missing LAST, zeros,
//! even intact later records after such a hole) from *damage to synced
//! bytes*. The first is ignored — those records were never acknowledged;
//! the second is an error, because skipping it would lose acknowledged
//! writes. To decide, try every byte position after the damage for a
//! fragment whose header and checksum are valid: if one says the log was
//! synced past the damage, it is `Damaged`.
//!
//! Done when `cargo test -p strata-labs --test wal` passes: your bytes
//! equal the engine's, and your reader agrees with the engine's on every
//! truncation and every flipped byte of a log.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

pub use strata_engine::wal::{BLOCK_SIZE_BYTES, HEADER_BYTES};

/// How a read of a log ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogEnd {
    /// Every byte belonged to a whole record (or to block padding).
    Clean,
    /// A torn tail after the last whole record was ignored; the log's intact
    /// part ends at `valid_end`.
    TornTail {
        /// End of the last whole record.
        valid_end: u64,
    },
    /// Damage followed by intact fragments: acknowledged records would be
    /// lost, so reading stops with an error at `offset`.
    Damaged {
        /// Where the damaged fragment starts.
        offset: u64,
    },
}

/// The bytes that append `payload` to a log that is `log_len` bytes long,
/// of which the first `synced_len` were synced: padding to the next block
/// if fewer than a header's bytes are left, then the fragments.
pub fn encode_record(log_len: u64, synced_len: u64, payload: &[u8]) -> Vec<u8> {
    todo!("wal lab: encode_record")
}

/// The records of `log` in order, and how the read ended.
pub fn read_log(log: &[u8]) -> (Vec<Vec<u8>>, LogEnd) {
    todo!("wal lab: read_log")
}

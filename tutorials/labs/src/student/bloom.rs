//! Lab 4 — the bloom filter (chapter 06, "Bloom filters").
//!
//! A table's filter answers "may this key be here?" with no false
//! negatives and few false positives. Keys are hashed once to 64 bits with
//! [`key_hash`] (given); every probe is derived from that one hash by
//! *double hashing*. To run inside the engine and give the very same
//! tables as the engine's own filter (so the chapters' scenes look the
//! same), use exactly these definitions:
//! - probes per key `k`: `round(bits_per_key × ln 2)`, clamped to `1..=30`
//! - bit count `m`: `keys × bits_per_key` rounded up to whole bytes, at
//!   least [`MIN_FILTER_BITS`]
//! - probe `i` (for `i` in `0..k`) tests bit `(h1 + i × h2) mod m`, where
//!   `h1 = hash mod m` and `h2 = (second_hash(hash) mod m) | 1`
//! - bit `p` is bit `p % 8` (least significant first) of byte `p / 8`
//!
//! Done when `cargo test -p strata-labs --test bloom` passes: no false
//! negatives, a false positive rate within 25 % of
//! `(1 - e^(-k / bits_per_key))^k`, and the engine's scenes unchanged
//! with your filter in every table.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

pub use strata_engine::bloom::{key_hash, second_hash, MIN_FILTER_BITS};

/// Probes per key for `bits_per_key`: `round(bits_per_key * ln 2)`,
/// clamped to `1..=30`.
pub fn hash_count(bits_per_key: u32) -> u32 {
    todo!("bloom lab: hash_count")
}

/// The `hash_count` bit positions `hash` tests in a filter of `bits` bits,
/// by double hashing.
pub fn probe_positions(hash: u64, bits: u64, hash_count: u32) -> Vec<u64> {
    todo!("bloom lab: probe_positions")
}

/// A filter over keys given by their [`key_hash`]es: its hash count and
/// its bytes.
pub fn build(hashes: &[u64], bits_per_key: u32) -> (u32, Vec<u8>) {
    todo!("bloom lab: build")
}

/// Whether a key with this hash may be in the filter (`bytes.len() * 8`
/// bits, `hash_count` probes). `false` means certainly not.
pub fn may_contain(hash_count: u32, bytes: &[u8], hash: u64) -> bool {
    todo!("bloom lab: may_contain")
}

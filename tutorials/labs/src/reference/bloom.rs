//! Reference solution of the bloom lab: the engine's own algorithm,
//! `strata_engine::bloom::StandardBloom`.

use strata_engine::bloom::{optimal_hash_count, StandardBloom};

pub use strata_engine::bloom::{key_hash, second_hash, MIN_FILTER_BITS};

/// Probes per key for `bits_per_key`: `round(bits_per_key * ln 2)`,
/// clamped to `1..=30`.
pub fn hash_count(bits_per_key: u32) -> u32 {
    optimal_hash_count(bits_per_key)
}

/// The `hash_count` bit positions `hash` tests in a filter of `bits` bits,
/// by double hashing.
pub fn probe_positions(hash: u64, bits: u64, hash_count: u32) -> Vec<u64> {
    StandardBloom::positions(hash, bits, hash_count)
}

/// A filter over keys given by their [`key_hash`]es: its hash count and
/// its bytes.
pub fn build(hashes: &[u64], bits_per_key: u32) -> (u32, Vec<u8>) {
    StandardBloom::build(hashes, bits_per_key)
}

/// Whether a key with this hash may be in the filter.
pub fn may_contain(hash_count: u32, bytes: &[u8], hash: u64) -> bool {
    StandardBloom::may_contain(hash_count, bytes, hash)
}

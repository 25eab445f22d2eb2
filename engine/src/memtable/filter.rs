//! A bloom filter over the user keys in a memtable, so a get for a key the
//! memtable does not hold (most gets, once the data outgrows one memtable)
//! skips the skiplist search and its cache misses.
//!
//! Purely in memory and fixed in size: it is never written to disk, its
//! bits are set by the one writer holding the memtable's write lock (a
//! plain load and store, no read-modify-write) and read without any lock
//! (relaxed atomics; a reader that races an insert of the key it asks for
//! may miss it, exactly as it may miss the skiplist node being linked). It
//! changes no result and no event, and charges nothing to the memtable's
//! size accounting, so memtables freeze at the same points as without it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::bloom::key_hash;

/// Bits in the filter: 64 KiB, about 18 bits per key for a default 4 MiB
/// memtable of 100-byte values (a false positive rate well under 1 %).
/// Larger memtables get more false positives, never wrong answers.
const FILTER_BITS: u64 = 1 << 19;
/// Bits set and tested per key.
const PROBES: u32 = 3;

/// The memtable's key filter.
#[derive(Debug)]
pub(super) struct KeyFilter {
    words: Vec<AtomicU64>,
}

impl KeyFilter {
    pub(super) fn new() -> Self {
        Self {
            words: (0..FILTER_BITS / 64).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Records `user_key`. Callers serialise `add`s (the memtable's write
    /// lock): bits are set by a load and a store, which concurrent adds
    /// could lose.
    pub(super) fn add(&self, user_key: &[u8]) {
        for bit in probes(user_key) {
            if let Some(w) = self.words.get((bit / 64) as usize) {
                let word = w.load(Ordering::Relaxed);
                w.store(word | (1 << (bit % 64)), Ordering::Relaxed);
            }
        }
    }

    /// `false` if `user_key` was certainly never added.
    #[cfg(test)]
    pub(super) fn may_contain(&self, user_key: &[u8]) -> bool {
        self.may_contain_hash(key_hash(user_key))
    }

    /// [`KeyFilter::may_contain`] for the key's precomputed [`key_hash`].
    pub(super) fn may_contain_hash(&self, hash: u64) -> bool {
        probes_of_hash(hash).all(|bit| {
            self.words
                .get((bit / 64) as usize)
                .is_some_and(|w| w.load(Ordering::Relaxed) & (1 << (bit % 64)) != 0)
        })
    }

    /// An independent copy holding the same keys.
    pub(super) fn duplicate(&self) -> Self {
        Self {
            words: self
                .words
                .iter()
                .map(|w| AtomicU64::new(w.load(Ordering::Relaxed)))
                .collect(),
        }
    }
}

/// The bit positions of `user_key`: double hashing over one 64-bit hash.
fn probes(user_key: &[u8]) -> impl Iterator<Item = u64> {
    probes_of_hash(key_hash(user_key))
}

/// [`probes`] of a key with hash `h`.
fn probes_of_hash(h: u64) -> impl Iterator<Item = u64> {
    let (h1, h2) = (h, (h >> 32) | 1);
    (0..u64::from(PROBES)).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % FILTER_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_keys_are_always_found() {
        let f = KeyFilter::new();
        for i in 0..30_000u32 {
            f.add(&i.to_be_bytes());
        }
        assert!((0..30_000u32).all(|i| f.may_contain(&i.to_be_bytes())));
        assert!(f.duplicate().may_contain(&7u32.to_be_bytes()));
    }

    #[test]
    fn absent_keys_are_mostly_filtered_out() {
        let f = KeyFilter::new();
        for i in 0..30_000u64 {
            f.add(&i.to_be_bytes());
        }
        let false_positives = (1_000_000..1_100_000u64)
            .filter(|i| f.may_contain(&i.to_be_bytes()))
            .count();
        assert!(false_positives < 2_000, "{false_positives} of 100000");
        assert!(!KeyFilter::new().may_contain(b"anything"));
    }
}

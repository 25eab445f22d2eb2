//! Lab 1 — the skiplist (chapter 03, "The memtable").
//!
//! Write the memtable's sorted structure: a skiplist whose nodes live in
//! one `Vec` (an *arena*) and point at each other by index, so that the
//! whole list is one allocation and links are 4-byte numbers.
//!
//! - Keys are *internal keys* (user key, then an 8-byte trailer of
//!   sequence number and kind). Order them with
//!   [`strata_engine::record::compare_internal_keys`], never with `<` on
//!   the bytes.
//! - Node 0 is the head: a sentinel with a full tower of [`MAX_HEIGHT`]
//!   links and no key.
//! - Tower heights are drawn exactly as the engine draws them, so the same
//!   seed gives the same towers: one `SeededRng::new(seed)`
//!   ([`strata_engine::rng::SeededRng`]) per list, one `next_u64()` per
//!   insert; the height is 1 plus the number of low base-[`BRANCHING`]
//!   digits of that number that are zero (`bits % BRANCHING == 0`, then
//!   `bits /= BRANCHING`), capped at [`MAX_HEIGHT`].
//!
//! Done when `cargo test -p strata-labs --test skiplist` passes.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

pub use strata_engine::memtable::skiplist::{BRANCHING, MAX_HEIGHT};

/// A skiplist of internal keys over an arena of nodes.
#[derive(Debug)]
pub struct SkipList {
    // Your fields: the arena of nodes (key, value, tower of next-indices),
    // the height in use, the random number generator.
}

impl SkipList {
    /// An empty list whose tower heights are drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        todo!("skiplist lab: SkipList::new")
    }

    /// Inserts `key` (not yet in the list) with `value`; returns the height
    /// of the new node's tower.
    ///
    /// Find the predecessor at every level (top down), draw the height,
    /// push the node into the arena and splice it in at each level of its
    /// tower.
    pub fn insert(&mut self, key: Vec<u8>, value: Vec<u8>) -> usize {
        todo!("skiplist lab: SkipList::insert")
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        todo!("skiplist lab: SkipList::len")
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        todo!("skiplist lab: SkipList::is_empty")
    }

    /// The first entry whose key is `>= key` (in internal-key order).
    pub fn seek(&self, key: &[u8]) -> Option<(&[u8], &[u8])> {
        todo!("skiplist lab: SkipList::seek")
    }

    /// Every entry in key order (walk level 0).
    pub fn entries(&self) -> Vec<(&[u8], &[u8])> {
        todo!("skiplist lab: SkipList::entries")
    }

    /// The keys reached by following the links of `level` from the head.
    pub fn level_keys(&self, level: usize) -> Vec<&[u8]> {
        todo!("skiplist lab: SkipList::level_keys")
    }
}

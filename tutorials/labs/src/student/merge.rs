//! Lab 5 — the merging iterator (chapter 07, "The read path").
//!
//! Reads and scans see the memtables and all tables as one sorted
//! sequence. Write the k-way merge over sorted sources: each source is a
//! vector of `(internal key, value)` sorted by
//! [`strata_engine::record::compare_internal_keys`], source 0 the newest.
//!
//! - [`pick`] is the step the engine plugs in: of the sources' current
//!   keys, the smallest going forward (the largest going backward); on
//!   equal keys the lowest index wins, so newer data comes first.
//! - [`MergingIter`] keeps a position in every source. Going forward,
//!   each source stands on its first key after the current one; going
//!   backward, on its last key before it. When the direction changes,
//!   reposition every source other than the current one to the right side
//!   of the current key before stepping.
//!
//! Done when `cargo test -p strata-labs --test merge` passes: iteration in
//! both directions equals a sort of all the sources, and the engine's
//! scans and scenes are unchanged with your `pick`.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

/// The source to stand on: the smallest current key going forward, the
/// largest going backward (internal-key order); ties go to the lowest
/// index, which holds the newest data. `None` when every source is done.
pub fn pick(keys: &[Option<&[u8]>], forward: bool) -> Option<usize> {
    todo!("merge lab: pick")
}

/// One sorted view over several sorted sources (index 0 is the newest).
pub struct MergingIter {
    // Your fields: the sources, a position in each, the current source,
    // the direction.
}

impl MergingIter {
    /// A cursor over `sources`, each sorted by internal key (not positioned).
    pub fn new(sources: Vec<Vec<(Vec<u8>, Vec<u8>)>>) -> Self {
        todo!("merge lab: MergingIter::new")
    }

    /// Moves to the first entry.
    pub fn seek_to_first(&mut self) {
        todo!("merge lab: MergingIter::seek_to_first")
    }

    /// Moves to the last entry.
    pub fn seek_to_last(&mut self) {
        todo!("merge lab: MergingIter::seek_to_last")
    }

    /// Moves to the first entry `>= target`.
    pub fn seek(&mut self, target: &[u8]) {
        todo!("merge lab: MergingIter::seek")
    }

    /// Moves to the next entry.
    pub fn next(&mut self) {
        todo!("merge lab: MergingIter::next")
    }

    /// Moves to the previous entry.
    pub fn prev(&mut self) {
        todo!("merge lab: MergingIter::prev")
    }

    /// The entry at the cursor, `None` past either end.
    pub fn current(&self) -> Option<(&[u8], &[u8])> {
        todo!("merge lab: MergingIter::current")
    }
}

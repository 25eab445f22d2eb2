//! Seams for student implementations (cargo feature `labs`).
//!
//! The course's labs (`tutorials/labs`) have students write the engine's
//! core pieces again: the bloom filter, the merging iterator's choice of
//! the next source, compaction picking and tombstone fates. With the
//! feature `labs`, each of those places in the engine first asks this
//! table for a student's function and falls back to its own code when the
//! slot is empty. Without the feature this module does not exist and the
//! engine is compiled exactly as before: the seams cost nothing in a
//! normal build.
//!
//! The table is process-wide, so that a database opened anywhere in a
//! test uses the installed functions. Callers that install functions in
//! tests running side by side serialise themselves (the labs crate holds
//! a lock while its functions are installed).

use std::sync::RwLock;

use crate::event::EntryFate;
use crate::record::{SeqNo, ValueKind};

/// A bloom filter: builds the filter's `(hash_count, bytes)` from key
/// hashes and a bits-per-key budget, answers probes on those bytes, and
/// lists the bit positions a hash tests (for the visualizer's bloom
/// panel). Hashes are [`crate::bloom::key_hash`]es.
#[derive(Clone, Copy, Debug)]
pub struct BloomHooks {
    /// `(hashes, bits_per_key) -> (hash_count, bytes)`.
    pub build: fn(&[u64], u32) -> (u32, Vec<u8>),
    /// `(hash_count, bytes, hash) -> may the key be present?`
    pub may_contain: fn(u32, &[u8], u64) -> bool,
    /// `(hash, bits, hash_count) -> the tested bit positions, in order`.
    pub positions: fn(u64, u64, u32) -> Vec<u64>,
}

/// The merging iterator's step: given each source's current internal key
/// (`None` when exhausted), the source to stand on next — the smallest key
/// going forward, the largest going backward, ties to the lowest index.
pub type MergePickFn = fn(&[Option<&[u8]>], bool) -> Option<usize>;

/// `(largest internal key of each table, pointer) -> the table to take`.
pub type NextAfterPointerFn = fn(&[&[u8]], Option<&[u8]>) -> Option<usize>;

/// `(user-key range of each level-0 table, newest first) -> the inputs`.
pub type Level0InputsFn = fn(&[(&[u8], &[u8])]) -> Vec<usize>;

/// Compaction picking, one decision each.
#[derive(Clone, Copy, Debug)]
pub struct PickingHooks {
    /// `(scores, compactable) -> the level to compact`: the highest score
    /// at or above 1.0 among compactable levels, ties to the upper level.
    pub choose_level: fn(&[f64], &[bool]) -> Option<usize>,
    /// `(largest internal key of each table, pointer) -> the table to
    /// take`: the first whose largest key is past the pointer, wrapping.
    pub next_after_pointer: NextAfterPointerFn,
    /// `(user-key range of each level-0 table, newest first) -> the tables
    /// to compact`: the oldest and everything transitively overlapping it,
    /// as indices in ascending order.
    pub level0_inputs: Level0InputsFn,
}

/// Tombstone fates: the stripe of a sequence number and the fate of one
/// record (see [`crate::compaction::fate`]).
#[derive(Clone, Copy, Debug)]
pub struct FateHooks {
    /// `(snapshots ascending, seq) -> stripe`.
    pub stripe: fn(&[SeqNo], SeqNo) -> usize,
    /// `(newer_stripe, stripe, kind, older_data_below) -> fate`.
    pub decide: fn(Option<usize>, usize, ValueKind, &mut dyn FnMut() -> bool) -> EntryFate,
}

/// The installed student functions; an empty slot means the engine's own.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hooks {
    /// The bloom filter lab.
    pub bloom: Option<BloomHooks>,
    /// The merging iterator lab.
    pub merge_pick: Option<MergePickFn>,
    /// The compaction picking lab.
    pub picking: Option<PickingHooks>,
    /// The tombstone fates lab.
    pub fate: Option<FateHooks>,
}

static HOOKS: RwLock<Hooks> = RwLock::new(Hooks {
    bloom: None,
    merge_pick: None,
    picking: None,
    fate: None,
});

/// Installs `hooks` for every database in the process and returns the
/// previous table.
pub fn install(hooks: Hooks) -> Hooks {
    let mut slot = HOOKS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::replace(&mut *slot, hooks)
}

/// The table in force.
pub fn current() -> Hooks {
    *HOOKS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

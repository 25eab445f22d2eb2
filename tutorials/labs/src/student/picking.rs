//! Lab 6 — compaction picking (chapter 09, "Leveled compaction").
//!
//! Write the decisions the engine makes each time maintenance asks "what
//! next?". Every level has a *score* ([`level_score`]); the most urgent due
//! level is compacted ([`choose_level`]). A leveled level gives up one
//! table at a time, round-robin after its *compaction pointer*
//! ([`next_after_pointer`]: compare internal keys with
//! [`strata_engine::record::compare_internal_keys`]). Level 0 under the
//! leveled strategy takes its oldest table plus everything that overlaps
//! it, transitively ([`level0_inputs`]): leaving an older overlapping
//! table behind would put a newer version of a key below an older one.
//! A lone table with nothing below it moves down without a rewrite
//! ([`is_trivial_move`]).
//!
//! Done when `cargo test -p strata-labs --test picking` passes: your
//! decisions equal the engine's on versions recorded from real runs, and
//! the engine with your picker passes the model test and replays the
//! chapters' scenes unchanged.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

/// What decides a level's score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LevelShape {
    /// A tiered level (level 0 always): overlapping runs, one per table.
    Tiered {
        /// Runs in the level.
        runs: u64,
        /// Runs that make it due (`l0_compaction_trigger`).
        trigger_runs: u64,
    },
    /// A leveled level: one sorted run.
    Leveled {
        /// Bytes in the level.
        bytes: u64,
        /// The level's target size.
        target_bytes: u64,
    },
}

/// The level's score: runs over the trigger, or bytes over the target
/// (a zero trigger or target counts as 1).
pub fn level_score(shape: LevelShape) -> f64 {
    todo!("picking lab: level_score")
}

/// The level to compact: the highest score at or above 1.0 among the
/// compactable levels; ties go to the upper (lower-numbered) level.
pub fn choose_level(scores: &[f64], compactable: &[bool]) -> Option<usize> {
    todo!("picking lab: choose_level")
}

/// The table a leveled level gives up next: the first whose largest
/// internal key is past the compaction pointer, wrapping to the first.
pub fn next_after_pointer(largest: &[&[u8]], pointer: Option<&[u8]>) -> Option<usize> {
    todo!("picking lab: next_after_pointer")
}

/// Level 0's inputs: the oldest table (the last; the level is newest
/// first) and every table that overlaps the growing set's user-key range,
/// until nothing more joins. Indices ascending.
pub fn level0_inputs(ranges: &[(&[u8], &[u8])]) -> Vec<usize> {
    todo!("picking lab: level0_inputs")
}

/// Whether a compaction can move its input down by a manifest edit alone:
/// exactly one input table, nothing overlapping it in the output level,
/// and no more grandparent bytes under it than one output may overlap.
pub fn is_trivial_move(
    inputs: usize,
    overlapping_below: usize,
    grandparent_bytes: u64,
    grandparent_limit_bytes: u64,
) -> bool {
    todo!("picking lab: is_trivial_move")
}

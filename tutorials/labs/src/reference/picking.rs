//! Reference solution of the compaction picking lab: the decisions of the
//! engine's `compaction::pick`, one function each (the engine inlines
//! them in `compaction/mod.rs` and `compaction/leveled.rs`).

use std::cmp::Ordering;

use strata_engine::record::compare_internal_keys;

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
    match shape {
        LevelShape::Tiered { runs, trigger_runs } => runs as f64 / trigger_runs.max(1) as f64,
        LevelShape::Leveled {
            bytes,
            target_bytes,
        } => bytes as f64 / target_bytes.max(1) as f64,
    }
}

/// The level to compact: the highest score at or above 1.0 among the
/// compactable levels; ties go to the upper (lower-numbered) level.
pub fn choose_level(scores: &[f64], compactable: &[bool]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (level, (&score, &can)) in scores.iter().zip(compactable).enumerate() {
        if can && score >= 1.0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((level, score));
        }
    }
    best.map(|(level, _)| level)
}

/// The table a leveled level gives up next: the first whose largest
/// internal key is past the compaction pointer, wrapping to the first.
pub fn next_after_pointer(largest: &[&[u8]], pointer: Option<&[u8]>) -> Option<usize> {
    let after = pointer.and_then(|p| {
        largest
            .iter()
            .position(|k| compare_internal_keys(k, p) == Ordering::Greater)
    });
    after.or_else(|| (!largest.is_empty()).then_some(0))
}

/// Level 0's inputs: the oldest table (the last; the level is newest
/// first) and every table that overlaps the growing set's user-key range,
/// until nothing more joins. Indices ascending.
pub fn level0_inputs(ranges: &[(&[u8], &[u8])]) -> Vec<usize> {
    let Some(&(mut lo, mut hi)) = ranges.last() else {
        return Vec::new();
    };
    let mut taken: Vec<bool> = ranges.iter().map(|_| false).collect();
    if let Some(last) = taken.last_mut() {
        *last = true;
    }
    loop {
        let mut grew = false;
        for (&(small, large), taken) in ranges.iter().zip(taken.iter_mut()) {
            if !*taken && small <= hi && large >= lo {
                *taken = true;
                grew = true;
                lo = lo.min(small);
                hi = hi.max(large);
            }
        }
        if !grew {
            break;
        }
    }
    (0..ranges.len())
        .filter(|&i| taken.get(i).copied().unwrap_or(false))
        .collect()
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
    inputs == 1 && overlapping_below == 0 && grandparent_bytes <= grandparent_limit_bytes
}

//! Full compaction of a key range ([`crate::Db::compact_range`]).
//!
//! The compactions [`super::pick`] chooses run only when a level is over
//! its trigger, so a range can stay spread over several levels, with
//! shadowed versions and tombstones, for as long as nothing is written
//! near it. A full compaction pushes everything in the range down to the
//! *target level*, the deepest level holding any table:
//!
//! 1. for each level above the target, from level 0 down, the level's
//!    tables that meet the range go down as one compaction ([`pick_step`])
//!    to the next level holding any table (the target at most: empty
//!    levels in between are skipped), merged with the tables they overlap
//!    there. In a
//!    tiered level the set is first closed over overlap, for the reason
//!    `compaction/leveled.rs` gives for level 0: a newer version must never
//!    land below an older one. A step may be a trivial move, except into
//!    the target level;
//! 2. the tables of the target level that meet the range and that step 1
//!    did not just write are merged in place ([`pick_bottom`]), so that
//!    every record of the range has been through a merge at the bottom:
//!    shadowed versions are gone and tombstones are dropped (unless a
//!    snapshot still needs them).
//!
//! Each step is an ordinary [`CompactionPlan`] with the trigger
//! [`CompactionTrigger::Manual`], run by [`super::run`], so its events are
//! those of any compaction.

use std::collections::BTreeSet;
use std::ops::{Bound, RangeBounds};
use std::sync::Arc;

use crate::event::CompactionTrigger;
use crate::manifest::{Version, NUM_LEVELS};
use crate::options::Options;
use crate::table_meta::TableMeta;

use super::{level_scores, plan_into, CompactionPlan, Due};

/// A range of user keys, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRange {
    /// The lower bound.
    pub start: Bound<Vec<u8>>,
    /// The upper bound.
    pub end: Bound<Vec<u8>>,
}

impl KeyRange {
    /// Copies the bounds of `range`.
    pub fn new<K: AsRef<[u8]>>(range: &impl RangeBounds<K>) -> Self {
        let own = |b: Bound<&K>| match b {
            Bound::Included(k) => Bound::Included(k.as_ref().to_vec()),
            Bound::Excluded(k) => Bound::Excluded(k.as_ref().to_vec()),
            Bound::Unbounded => Bound::Unbounded,
        };
        Self {
            start: own(range.start_bound()),
            end: own(range.end_bound()),
        }
    }

    /// Whether some key of `[smallest, largest]` lies in the range.
    pub fn meets(&self, smallest: &[u8], largest: &[u8]) -> bool {
        let above_start = match &self.start {
            Bound::Included(s) => largest >= s.as_slice(),
            Bound::Excluded(s) => largest > s.as_slice(),
            Bound::Unbounded => true,
        };
        let below_end = match &self.end {
            Bound::Included(e) => smallest <= e.as_slice(),
            Bound::Excluded(e) => smallest < e.as_slice(),
            Bound::Unbounded => true,
        };
        above_start && below_end
    }

    /// Whether `key` lies in the range.
    pub fn contains(&self, key: &[u8]) -> bool {
        self.meets(key, key)
    }

    fn meets_table(&self, t: &TableMeta) -> bool {
        self.meets(t.smallest_user_key(), t.largest_user_key())
    }
}

/// The level a full compaction writes to: the deepest level holding any
/// table, and at least level 1. `None` for an empty tree.
pub fn target_level(version: &Version) -> Option<u32> {
    let deepest = (0..NUM_LEVELS)
        .rev()
        .find(|&l| !version.level(l).is_empty())?;
    Some(deepest.max(1) as u32)
}

/// The tables of `level` that meet `range`; in a tiered level, closed over
/// key overlap within the level.
fn tables_meeting(version: &Version, level: usize, range: &KeyRange) -> Vec<Arc<TableMeta>> {
    let tables = version.level(level);
    let mut taken: Vec<bool> = tables.iter().map(|t| range.meets_table(t)).collect();
    if version.is_tiered(level) {
        loop {
            let mut grew = false;
            let chosen: Vec<(&[u8], &[u8])> = tables
                .iter()
                .zip(&taken)
                .filter(|(_, on)| **on)
                .map(|(t, _)| (t.smallest_user_key(), t.largest_user_key()))
                .collect();
            for (t, on) in tables.iter().zip(taken.iter_mut()) {
                let overlaps = chosen
                    .iter()
                    .any(|(lo, hi)| t.smallest_user_key() <= *hi && t.largest_user_key() >= *lo);
                if !*on && overlaps {
                    *on = true;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
    }
    tables
        .iter()
        .zip(&taken)
        .filter(|(_, on)| **on)
        .map(|(t, _)| Arc::clone(t))
        .collect()
}

fn manual_due(version: &Version, options: &Options, level: u32, target_level: u32) -> Due {
    let score = level_scores(version, options)
        .get(level as usize)
        .map_or(0.0, |s| s.1);
    Due {
        level,
        score,
        trigger: CompactionTrigger::Manual { target_level },
    }
}

/// The step moving the tables of `level` (above `target_level`) that meet
/// `range` one level down; `None` if no table there meets it.
pub fn pick_step(
    version: &Version,
    options: &Options,
    range: &KeyRange,
    level: u32,
    target_level: u32,
) -> Option<CompactionPlan> {
    if level >= target_level {
        return None;
    }
    let chosen = tables_meeting(version, level as usize, range);
    let due = manual_due(version, options, level, target_level);
    // Empty levels in between are skipped: nothing there can be older.
    let mut output_level = level as usize + 1;
    while output_level < target_level as usize && version.level(output_level).is_empty() {
        output_level += 1;
    }
    let allow_move = output_level < target_level as usize;
    plan_into(
        version,
        options,
        &due,
        chosen,
        output_level,
        allow_move,
        None,
    )
}

/// The merge, in place, of the tables of `target_level` that meet
/// `range`; `None` when every one of them is in `written` (just written
/// by a step of the same full compaction) and, in a tiered level, there
/// is only one.
pub fn pick_bottom(
    version: &Version,
    options: &Options,
    range: &KeyRange,
    target_level: u32,
    written: &BTreeSet<u64>,
) -> Option<CompactionPlan> {
    let level = target_level as usize;
    let chosen = tables_meeting(version, level, range);
    let fresh = chosen.iter().all(|t| written.contains(&t.file_number));
    let one_run = !version.is_tiered(level) || chosen.len() <= 1;
    if fresh && one_run {
        return None;
    }
    let due = manual_due(version, options, target_level, target_level);
    plan_into(version, options, &due, chosen, level, false, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(lo: Bound<&str>, hi: Bound<&str>) -> KeyRange {
        KeyRange::new::<&[u8]>(&(lo.map(str::as_bytes), hi.map(str::as_bytes)))
    }

    #[test]
    fn a_range_meets_spans_that_touch_its_bounds_as_the_bounds_say() {
        let r = range(Bound::Included("c"), Bound::Excluded("f"));
        assert!(r.meets(b"a", b"c"));
        assert!(!r.meets(b"a", b"b"));
        assert!(!r.meets(b"f", b"g"));
        assert!(r.meets(b"e", b"g"));
        let r = range(Bound::Excluded("c"), Bound::Included("f"));
        assert!(!r.meets(b"a", b"c"));
        assert!(r.meets(b"f", b"g"));
        let all = range(Bound::Unbounded, Bound::Unbounded);
        assert!(all.meets(b"", b"") && all.contains(b"zzz"));
    }
}

//! Picking in leveled levels, and in level 0 under the leveled strategy.
//!
//! A leveled level gives up one table at a time, taken round-robin: each
//! level remembers the largest key of its last compacted table (the
//! *compaction pointer*) and next takes the first table beyond it, wrapping
//! to the start. Over time every part of the key space is pushed down in
//! turn, so no range sits in a level forever.
//!
//! Level 0 under the leveled strategy starts from its oldest table and
//! pulls in every level-0 table that overlaps the growing set. Taking a
//! table down while an older overlapping one stays behind would put the
//! newer version of a key below the older one; closing the set over overlap
//! rules that out.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::manifest::Version;
use crate::options::Options;
use crate::record::compare_internal_keys;
use crate::table_meta::TableMeta;

use super::{complete_plan, CompactionPlan, Due};

/// Picks in the leveled level `due.level` (never the last one).
pub(super) fn pick(
    version: &Version,
    options: &Options,
    compact_pointers: &BTreeMap<u32, Vec<u8>>,
    due: &Due,
) -> Option<CompactionPlan> {
    let tables = version.level(due.level as usize);
    let table = next_after_pointer(tables, compact_pointers.get(&due.level))?;
    let pointer = Some((due.level, table.largest.clone()));
    complete_plan(version, options, due, vec![table], true, pointer)
}

/// The first table whose largest key is past `pointer`, wrapping to the
/// first table.
fn next_after_pointer(
    tables: &[Arc<TableMeta>],
    pointer: Option<&Vec<u8>>,
) -> Option<Arc<TableMeta>> {
    #[cfg(feature = "labs")]
    if let Some(lab) = crate::labs::current().picking {
        let largest: Vec<&[u8]> = tables.iter().map(|t| t.largest.as_slice()).collect();
        let index = (lab.next_after_pointer)(&largest, pointer.map(Vec::as_slice));
        return index.and_then(|i| tables.get(i)).cloned();
    }
    let after = pointer.and_then(|p| {
        tables
            .iter()
            .find(|t| compare_internal_keys(&t.largest, p) == Ordering::Greater)
    });
    after.or_else(|| tables.first()).cloned()
}

/// Picks in level 0 under the leveled strategy: the oldest table and its
/// transitive overlap within level 0, in the level's (newest first) order.
pub(super) fn pick_level0(
    version: &Version,
    options: &Options,
    due: &Due,
) -> Option<CompactionPlan> {
    let tables = version.level(0);
    #[cfg(feature = "labs")]
    if let Some(lab) = crate::labs::current().picking {
        let ranges: Vec<(&[u8], &[u8])> = tables
            .iter()
            .map(|t| (t.smallest_user_key(), t.largest_user_key()))
            .collect();
        let inputs: Vec<Arc<TableMeta>> = (lab.level0_inputs)(&ranges)
            .into_iter()
            .filter_map(|i| tables.get(i).cloned())
            .collect();
        return complete_plan(version, options, due, inputs, true, None);
    }
    let oldest = tables.last()?;
    let mut chosen: Vec<bool> = tables.iter().map(|_| false).collect();
    if let Some(last) = chosen.last_mut() {
        *last = true;
    }
    let mut lo = oldest.smallest_user_key();
    let mut hi = oldest.largest_user_key();
    loop {
        let mut grew = false;
        for (t, taken) in tables.iter().zip(chosen.iter_mut()) {
            if !*taken && t.smallest_user_key() <= hi && t.largest_user_key() >= lo {
                *taken = true;
                grew = true;
                lo = lo.min(t.smallest_user_key());
                hi = hi.max(t.largest_user_key());
            }
        }
        if !grew {
            break;
        }
    }
    let inputs: Vec<Arc<TableMeta>> = tables
        .iter()
        .zip(&chosen)
        .filter(|(_, taken)| **taken)
        .map(|(t, _)| Arc::clone(t))
        .collect();
    complete_plan(version, options, due, inputs, true, None)
}

//! Reference solution of the tombstone fates lab: the engine's own
//! `compaction::fate` functions.

use strata_engine::compaction::fate::{standard_decide, standard_stripe};

pub use strata_engine::event::EntryFate;
pub use strata_engine::record::{SeqNo, ValueKind};

/// The stripe of `seq`: the index of the first snapshot `>= seq`, or
/// `snapshots.len()` when every snapshot is older (sorted ascending).
pub fn stripe(snapshots: &[SeqNo], seq: SeqNo) -> usize {
    standard_stripe(snapshots, seq)
}

/// The fate of one record in a compaction, given the stripe of the next
/// newer version of its key in this compaction (`None` for the newest).
/// `older_data_below` may be asked only for a tombstone in stripe 0.
pub fn decide(
    newer_stripe: Option<usize>,
    stripe: usize,
    kind: ValueKind,
    older_data_below: &mut dyn FnMut() -> bool,
) -> EntryFate {
    standard_decide(newer_stripe, stripe, kind, older_data_below)
}

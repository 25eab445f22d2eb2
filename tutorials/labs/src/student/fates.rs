//! Lab 7 — tombstone fates (chapter 10, "Tombstones").
//!
//! A compaction walks each key's versions newest first and decides, for
//! every record, whether it is written out ([`EntryFate`]):
//! - Live snapshots cut the sequence numbers into *stripes*: stripe `i`
//!   holds `(snapshots[i-1], snapshots[i]]`, the last stripe everything
//!   newer than every snapshot. A reader sees, of each key, the newest
//!   version in its stripe or below.
//! - So within one stripe only the newest version can be read; the others
//!   are `Shadowed`.
//! - The newest put of a key is `Kept`; an older one that is the newest of
//!   its stripe is `KeptForSnapshot`.
//! - A tombstone that some snapshot needs (stripe above 0) is
//!   `KeptForSnapshot`. In stripe 0 it hides nothing a snapshot sees: it
//!   is dropped (`TombstoneDroppedAtBottom`) unless older data of the key
//!   may lie below the output level (`TombstoneKeptOlderDataBelow`).
//!   Asking "older data below?" costs a search of the levels: ask only in
//!   that case.
//!
//! Done when `cargo test -p strata-labs --test fates` passes: the fate
//! table, the engine's compactions with your function (a model test with
//! snapshots) and the chapters' scenes unchanged.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

pub use strata_engine::event::EntryFate;
pub use strata_engine::record::{SeqNo, ValueKind};

/// The stripe of `seq`: the index of the first snapshot `>= seq`, or
/// `snapshots.len()` when every snapshot is older (sorted ascending).
pub fn stripe(snapshots: &[SeqNo], seq: SeqNo) -> usize {
    todo!("fates lab: stripe")
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
    todo!("fates lab: decide")
}

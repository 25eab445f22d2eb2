//! What a compaction does with range tombstones, and with the records they
//! cover.
//!
//! The inputs' range tombstones are cut into disjoint fragments
//! ([`crate::range_tombstone::fragment`]); each fragment's sequence numbers
//! are the versions of one "key" and get their fates from the point rules
//! of [`super::fate`]: within one snapshot stripe only the newest is
//! needed (the others are `Shadowed`), and one in stripe 0 is dropped at
//! the bottom when no table outside the inputs, at or below the output
//! level, overlaps the fragment. The kept fragments are written to the
//! outputs, clipped to each output's key range.
//!
//! A record is dropped (`CoveredByRangeTombstone`) when a tombstone over
//! its key is newer than it and in the same stripe: every reader that can
//! see the record sees the tombstone too. A tombstone in a newer stripe
//! leaves the record to the snapshots between them.

use crate::event::{EntryFate, Event, Tracer};
use crate::range_tombstone::{coalesce, FragmentedTombstones, RangeTombstone};
use crate::record::{SeqNo, ValueKind};

use super::fate::{decide, is_kept, stripe};

/// The range tombstones of one compaction.
#[derive(Debug)]
pub(super) struct RangeDeletions<'a> {
    snapshots: &'a [SeqNo],
    /// Every input tombstone, fragmented: what the records are checked
    /// against.
    fragments: FragmentedTombstones,
    /// The fragments to write, in (start, seq) order.
    kept: Vec<RangeTombstone>,
}

impl<'a> RangeDeletions<'a> {
    /// Fragments `tombstones` and decides each fragment's fate, emitting
    /// `CompactionRangeTombstone` for each. `older_data_below(start,
    /// largest)` says whether a table outside the inputs, at or below the
    /// output level, overlaps the user keys `[start, largest]`.
    pub(super) fn new(
        tombstones: &[RangeTombstone],
        snapshots: &'a [SeqNo],
        older_data_below: impl Fn(&[u8], &[u8]) -> bool,
        tracer: &Tracer,
    ) -> Self {
        let fragments = FragmentedTombstones::new(tombstones);
        let mut kept = Vec::new();
        for f in fragments.fragments() {
            let mut newer_stripe = None;
            for &seq in &f.seqs {
                let piece = RangeTombstone::new(f.start.clone(), f.end.clone(), seq);
                let this_stripe = stripe(snapshots, seq);
                let fate = decide(newer_stripe, this_stripe, ValueKind::Delete, || {
                    older_data_below(&piece.start, piece.largest_bound())
                });
                newer_stripe = Some(this_stripe);
                tracer.emit(|| Event::CompactionRangeTombstone {
                    start: piece.start.clone(),
                    end: piece.end.clone(),
                    seq,
                    fate,
                });
                if is_kept(fate) {
                    kept.push(piece);
                }
            }
        }
        Self {
            snapshots,
            fragments,
            kept: coalesce(kept),
        }
    }

    /// Whether there are no tombstones at all.
    pub(super) fn is_empty(&self) -> bool {
        self.fragments.is_empty()
    }

    /// `fate` for the record (`user_key`, `seq`), or
    /// `CoveredByRangeTombstone` when a kept record is covered by a newer
    /// tombstone in its own stripe.
    pub(super) fn refine(&self, user_key: &[u8], seq: SeqNo, fate: EntryFate) -> EntryFate {
        if !is_kept(fate) {
            return fate;
        }
        let Some(f) = self.fragments.fragment_at(user_key) else {
            return fate;
        };
        // Newest first: the last one above `seq` is the oldest tombstone
        // newer than the record, the likeliest to share its stripe.
        let oldest_newer = f.seqs.iter().rev().find(|&&t| t > seq);
        match oldest_newer {
            Some(&t) if stripe(self.snapshots, t) == stripe(self.snapshots, seq) => {
                EntryFate::CoveredByRangeTombstone
            }
            _ => fate,
        }
    }

    /// The kept fragments, to be written to the outputs.
    pub(super) fn kept(&self) -> &[RangeTombstone] {
        &self.kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntryFate::*;

    fn t(start: &str, end: &str, seq: SeqNo) -> RangeTombstone {
        RangeTombstone::new(start.as_bytes(), end.as_bytes(), seq)
    }

    #[test]
    fn records_under_a_tombstone_in_their_stripe_are_dropped() {
        let r = RangeDeletions::new(&[t("b", "f", 10)], &[], |_, _| false, &Tracer::off());
        assert_eq!(r.refine(b"c", 4, Kept), CoveredByRangeTombstone);
        assert_eq!(r.refine(b"c", 12, Kept), Kept, "newer than the tombstone");
        assert_eq!(r.refine(b"f", 4, Kept), Kept, "the end is not covered");
        assert_eq!(r.refine(b"c", 4, Shadowed), Shadowed);
    }

    #[test]
    fn a_snapshot_between_record_and_tombstone_keeps_the_record() {
        let r = RangeDeletions::new(&[t("b", "f", 10)], &[6], |_, _| false, &Tracer::off());
        assert_eq!(r.refine(b"c", 4, KeptForSnapshot), KeptForSnapshot);
        assert_eq!(r.refine(b"c", 8, Kept), CoveredByRangeTombstone);
        assert_eq!(r.kept(), [t("b", "f", 10)], "kept for the latest readers");
    }

    #[test]
    fn tombstones_follow_the_point_tombstone_rules() {
        let tombstones = [t("a", "m", 5), t("f", "z", 9)];
        let at_bottom = RangeDeletions::new(&tombstones, &[], |_, _| false, &Tracer::off());
        assert!(at_bottom.kept().is_empty(), "nothing below, no snapshot");

        let data_below = RangeDeletions::new(&tombstones, &[], |_, _| true, &Tracer::off());
        // [f, m) at 5 is shadowed by 9 in the same stripe; the rest stays.
        assert_eq!(data_below.kept(), [t("a", "f", 5), t("f", "z", 9)]);

        let snapshot = RangeDeletions::new(&tombstones, &[7], |_, _| false, &Tracer::off());
        // 9 is newer than the snapshot: kept for the latest readers; 5 is
        // in stripe 0 with nothing below: dropped.
        assert_eq!(snapshot.kept(), [t("f", "z", 9)]);
    }
}

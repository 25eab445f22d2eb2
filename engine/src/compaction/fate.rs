//! What a compaction does with each record: keep it, or drop it and why.
//!
//! Live snapshots cut the sequence-number line into *stripes*: stripe `i`
//! holds the sequence numbers in `(snapshots[i-1], snapshots[i]]`, and the
//! last stripe (`snapshots.len()`) holds everything newer than every
//! snapshot, which only readers at the latest sequence number see. A reader
//! sees, of each key, the newest version in its own stripe or below, so
//! within one stripe only the newest version of a key can ever be read: the
//! others are shadowed and may go.
//!
//! A tombstone exists to hide older versions. When no snapshot is older
//! than it (stripe 0) and no older version of the key can exist below the
//! output level, it hides nothing anyone can see and is dropped too.
//!
//! The decision is pure: [`FateTracker`] walks one key's versions newest to
//! oldest and needs nothing but the snapshot list and, for tombstones, the
//! answer to "may older data of this key lie below?".

use crate::event::EntryFate;
use crate::record::{SeqNo, ValueKind};

/// The stripe of `seq`: the index of the first snapshot `>= seq`, or
/// `snapshots.len()` ("latest") if every snapshot is older. `snapshots`
/// must be sorted ascending.
pub fn stripe(snapshots: &[SeqNo], seq: SeqNo) -> usize {
    #[cfg(feature = "labs")]
    if let Some(lab) = crate::labs::current().fate {
        return (lab.stripe)(snapshots, seq);
    }
    standard_stripe(snapshots, seq)
}

/// The engine's own [`stripe`], which a course lab may replace (cargo
/// feature `labs`).
#[inline]
pub fn standard_stripe(snapshots: &[SeqNo], seq: SeqNo) -> usize {
    snapshots.partition_point(|&s| s < seq)
}

/// Whether a record with this fate is written to the output.
pub fn is_kept(fate: EntryFate) -> bool {
    match fate {
        EntryFate::Kept | EntryFate::TombstoneKeptOlderDataBelow | EntryFate::KeptForSnapshot => {
            true
        }
        EntryFate::Shadowed
        | EntryFate::TombstoneDroppedAtBottom
        | EntryFate::CoveredByRangeTombstone => false,
    }
}

/// Decides the fate of one record, given the stripe of the next newer
/// version of the same key in this compaction (`None` if it is the newest).
/// `older_data_below` is only called for a tombstone in stripe 0.
pub fn decide(
    newer_stripe: Option<usize>,
    stripe: usize,
    kind: ValueKind,
    older_data_below: impl FnOnce() -> bool,
) -> EntryFate {
    #[cfg(feature = "labs")]
    if let Some(lab) = crate::labs::current().fate {
        let mut once = Some(older_data_below);
        let mut ask = move || once.take().is_some_and(|f| f());
        return (lab.decide)(newer_stripe, stripe, kind, &mut ask);
    }
    standard_decide(newer_stripe, stripe, kind, older_data_below)
}

/// The engine's own [`decide`], which a course lab may replace (cargo
/// feature `labs`).
#[inline]
pub fn standard_decide(
    newer_stripe: Option<usize>,
    stripe: usize,
    kind: ValueKind,
    older_data_below: impl FnOnce() -> bool,
) -> EntryFate {
    if newer_stripe == Some(stripe) {
        return EntryFate::Shadowed;
    }
    match kind {
        ValueKind::Delete if stripe == 0 => {
            if older_data_below() {
                EntryFate::TombstoneKeptOlderDataBelow
            } else {
                EntryFate::TombstoneDroppedAtBottom
            }
        }
        ValueKind::Delete => EntryFate::KeptForSnapshot,
        ValueKind::Put if newer_stripe.is_none() => EntryFate::Kept,
        ValueKind::Put => EntryFate::KeptForSnapshot,
    }
}

/// Walks a compaction's records in internal-key order (each key's versions
/// newest first), remembering what [`decide`] needs about the key.
#[derive(Debug)]
pub struct FateTracker<'a> {
    snapshots: &'a [SeqNo],
    key: Vec<u8>,
    /// Stripe of the previous record, if it had the same user key as `key`.
    newer_stripe: Option<usize>,
}

impl<'a> FateTracker<'a> {
    /// A tracker for the given live snapshots (sorted ascending).
    pub fn new(snapshots: &'a [SeqNo]) -> Self {
        Self {
            snapshots,
            key: Vec::new(),
            newer_stripe: None,
        }
    }

    /// Whether `user_key` differs from the previous record's key (true for
    /// the first record).
    pub fn is_new_key(&self, user_key: &[u8]) -> bool {
        self.newer_stripe.is_none() || self.key != user_key
    }

    /// The fate of the next record. Records must arrive in internal-key
    /// order; `older_data_below` is asked only for a tombstone in stripe 0.
    pub fn next(
        &mut self,
        user_key: &[u8],
        seq: SeqNo,
        kind: ValueKind,
        older_data_below: impl FnOnce() -> bool,
    ) -> EntryFate {
        if self.is_new_key(user_key) {
            self.key.clear();
            self.key.extend_from_slice(user_key);
            self.newer_stripe = None;
        }
        let stripe = stripe(self.snapshots, seq);
        let fate = decide(self.newer_stripe, stripe, kind, older_data_below);
        self.newer_stripe = Some(stripe);
        fate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EntryFate::*;
    use crate::record::ValueKind::{Delete as D, Put as P};

    /// One key's versions newest first, with the expected fates.
    struct Case {
        name: &'static str,
        snapshots: &'static [SeqNo],
        below: bool,
        versions: &'static [(SeqNo, ValueKind, EntryFate)],
    }

    const CASES: &[Case] = &[
        Case {
            name: "newest put is kept, older puts are shadowed",
            snapshots: &[],
            below: false,
            versions: &[(9, P, Kept), (5, P, Shadowed), (2, P, Shadowed)],
        },
        Case {
            name: "a snapshot between versions keeps the one it sees",
            snapshots: &[6],
            below: false,
            versions: &[(9, P, Kept), (5, P, KeptForSnapshot), (2, P, Shadowed)],
        },
        Case {
            name: "a snapshot equal to a version's seq sees that version",
            snapshots: &[5],
            below: false,
            versions: &[(9, P, Kept), (5, P, KeptForSnapshot), (4, P, Shadowed)],
        },
        Case {
            name: "several snapshots keep one version per stripe",
            snapshots: &[3, 6, 8],
            below: false,
            versions: &[
                (10, P, Kept),
                (9, P, Shadowed),
                (7, P, KeptForSnapshot),
                (5, P, KeptForSnapshot),
                (4, P, Shadowed),
                (2, P, KeptForSnapshot),
                (1, P, Shadowed),
            ],
        },
        Case {
            name: "a snapshot newer than every version changes nothing",
            snapshots: &[100],
            below: false,
            versions: &[(9, P, Kept), (5, P, Shadowed)],
        },
        Case {
            name: "tombstone at the bottom is dropped with everything older",
            snapshots: &[],
            below: false,
            versions: &[
                (9, D, TombstoneDroppedAtBottom),
                (5, P, Shadowed),
                (3, D, Shadowed),
            ],
        },
        Case {
            name: "tombstone with older data below is kept",
            snapshots: &[],
            below: true,
            versions: &[(9, D, TombstoneKeptOlderDataBelow), (5, P, Shadowed)],
        },
        Case {
            name: "tombstone newer than a snapshot is kept for it",
            snapshots: &[6],
            below: false,
            versions: &[
                (9, D, KeptForSnapshot),
                (5, P, KeptForSnapshot),
                (2, P, Shadowed),
            ],
        },
        Case {
            name: "tombstone older than every snapshot is dropped at the bottom",
            snapshots: &[6],
            below: false,
            versions: &[
                (9, P, Kept),
                (5, D, TombstoneDroppedAtBottom),
                (2, P, Shadowed),
            ],
        },
        Case {
            name: "put over a tombstone: the tombstone is shadowed",
            snapshots: &[],
            below: true,
            versions: &[(9, P, Kept), (5, D, Shadowed)],
        },
        Case {
            name: "a tombstone under a newer put is kept while data lies below",
            snapshots: &[6],
            below: true,
            versions: &[(9, P, Kept), (5, D, TombstoneKeptOlderDataBelow)],
        },
        Case {
            name: "a tombstone in a middle stripe is kept for its snapshot",
            snapshots: &[4, 8],
            below: false,
            versions: &[
                (9, P, Kept),
                (7, D, KeptForSnapshot),
                (3, P, KeptForSnapshot),
            ],
        },
    ];

    #[test]
    fn every_rule_matches_its_table() {
        for case in CASES {
            let mut tracker = FateTracker::new(case.snapshots);
            for &(seq, kind, want) in case.versions {
                let got = tracker.next(b"k", seq, kind, || case.below);
                assert_eq!(got, want, "{}: seq {seq}", case.name);
            }
        }
    }

    #[test]
    fn a_new_key_starts_fresh() {
        let mut tracker = FateTracker::new(&[]);
        assert_eq!(tracker.next(b"a", 5, P, || false), Kept);
        assert_eq!(tracker.next(b"a", 4, P, || false), Shadowed);
        assert!(tracker.is_new_key(b"b"));
        assert_eq!(tracker.next(b"b", 3, P, || false), Kept);
        assert_eq!(tracker.next(b"c", 9, D, || false), TombstoneDroppedAtBottom);
        assert_eq!(tracker.next(b"d", 1, P, || false), Kept);
    }

    #[test]
    fn older_data_is_asked_only_for_stripe_zero_tombstones() {
        let mut asked = 0;
        let mut tracker = FateTracker::new(&[6]);
        tracker.next(b"k", 9, D, || {
            asked += 1;
            true
        });
        tracker.next(b"k", 7, P, || {
            asked += 1;
            true
        });
        tracker.next(b"j", 3, P, || {
            asked += 1;
            true
        });
        assert_eq!(asked, 0);
        tracker.next(b"m", 3, D, || {
            asked += 1;
            true
        });
        assert_eq!(asked, 1);
    }

    #[test]
    fn stripes_split_at_snapshots() {
        let snaps = [3, 6];
        let got: Vec<usize> = (1..=8).map(|s| stripe(&snaps, s)).collect();
        assert_eq!(got, [0, 0, 0, 1, 1, 1, 2, 2]);
        assert_eq!(stripe(&[], 42), 0);
    }

    #[test]
    fn only_dropping_fates_are_not_kept() {
        assert!(is_kept(Kept) && is_kept(KeptForSnapshot) && is_kept(TombstoneKeptOlderDataBelow));
        assert!(!is_kept(Shadowed) && !is_kept(TombstoneDroppedAtBottom));
    }
}

//! Range tombstones: one record that deletes every key of `[start, end)`.
//!
//! A range tombstone with sequence number `t` hides every version of every
//! key in its range whose sequence number is below `t`, for readers whose
//! snapshot is at least `t`. A newer put of a key in the range is visible
//! again.
//!
//! Tombstones written at different times may overlap. Reads and compaction
//! work on *fragments*: the key space cut at every tombstone's start and
//! end, each piece carrying the sequence numbers of all tombstones that
//! cover it. Fragments never overlap, so the tombstones covering a key are
//! found by one binary search.

use crate::record::SeqNo;

/// Deletes every key in `[start, end)` written before `seq`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RangeTombstone {
    /// First key deleted.
    pub start: Vec<u8>,
    /// First key after the range (not deleted).
    pub end: Vec<u8>,
    /// Sequence number of the delete.
    pub seq: SeqNo,
}

impl RangeTombstone {
    /// A tombstone over `[start, end)` at `seq`.
    pub fn new(start: impl Into<Vec<u8>>, end: impl Into<Vec<u8>>, seq: SeqNo) -> Self {
        Self {
            start: start.into(),
            end: end.into(),
            seq,
        }
    }

    /// Whether `key` lies in `[start, end)`.
    pub fn covers(&self, key: &[u8]) -> bool {
        self.start.as_slice() <= key && key < self.end.as_slice()
    }

    /// The part of the tombstone inside `[lower, upper)` (`None` bounds are
    /// open), or `None` if nothing of it is.
    pub fn clip(&self, lower: Option<&[u8]>, upper: Option<&[u8]>) -> Option<RangeTombstone> {
        let start = match lower {
            Some(l) if l > self.start.as_slice() => l,
            _ => self.start.as_slice(),
        };
        let end = match upper {
            Some(u) if u < self.end.as_slice() => u,
            _ => self.end.as_slice(),
        };
        (start < end).then(|| RangeTombstone::new(start, end, self.seq))
    }

    /// The largest key the tombstone may cover, as a table bound: the key
    /// just before `end` when `end` has one (`end` is some `k ++ [0]`),
    /// otherwise `end` itself (a bound one key too wide, which only makes
    /// the table look a little wider than it is).
    pub fn largest_bound(&self) -> &[u8] {
        match self.end.split_last() {
            Some((0, before)) => before,
            _ => &self.end,
        }
    }
}

/// The parts of `tombstones` inside `[lower, upper)` (`None` bounds are
/// open): what a table cut at those bounds holds of them.
pub fn clip_all(
    tombstones: &[RangeTombstone],
    lower: Option<&[u8]>,
    upper: Option<&[u8]>,
) -> Vec<RangeTombstone> {
    tombstones
        .iter()
        .filter_map(|t| t.clip(lower, upper))
        .collect()
}

/// `tombstones` with every run of same-numbered, touching pieces joined
/// into one, in (start, seq) order: fragmenting cuts a tombstone wherever
/// another begins or ends, and this undoes the cuts that no longer matter.
pub fn coalesce(mut tombstones: Vec<RangeTombstone>) -> Vec<RangeTombstone> {
    tombstones.sort_by(|a, b| a.seq.cmp(&b.seq).then_with(|| a.start.cmp(&b.start)));
    let mut out: Vec<RangeTombstone> = Vec::with_capacity(tombstones.len());
    for t in tombstones {
        match out.last_mut() {
            Some(last) if last.seq == t.seq && last.end >= t.start => {
                if t.end > last.end {
                    last.end = t.end;
                }
            }
            _ => out.push(t),
        }
    }
    out.sort();
    out
}

/// The smallest key after `key`: `key ++ [0]`.
pub fn successor(key: &[u8]) -> Vec<u8> {
    let mut next = Vec::with_capacity(key.len() + 1);
    next.extend_from_slice(key);
    next.push(0);
    next
}

/// A piece of the key space and every tombstone covering all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// First key of the piece.
    pub start: Vec<u8>,
    /// First key after the piece.
    pub end: Vec<u8>,
    /// Sequence numbers of the covering tombstones, newest first.
    pub seqs: Vec<SeqNo>,
}

/// Cuts `tombstones` into non-overlapping fragments in key order, each with
/// the sequence numbers of the tombstones covering it (newest first, no
/// duplicates). Empty tombstones (`start >= end`) cover nothing.
pub fn fragment(tombstones: &[RangeTombstone]) -> Vec<Fragment> {
    let mut by_start: Vec<&RangeTombstone> =
        tombstones.iter().filter(|t| t.start < t.end).collect();
    by_start.sort_by(|a, b| a.start.cmp(&b.start));
    let mut bounds: Vec<&[u8]> = by_start
        .iter()
        .flat_map(|t| [t.start.as_slice(), t.end.as_slice()])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut fragments = Vec::new();
    let mut active: Vec<&RangeTombstone> = Vec::new();
    let mut next = 0;
    for pair in bounds.windows(2) {
        let [from, to] = pair else { continue };
        active.retain(|t| t.end.as_slice() > *from);
        while let Some(t) = by_start.get(next).filter(|t| t.start.as_slice() <= *from) {
            active.push(t);
            next += 1;
        }
        if active.is_empty() {
            continue;
        }
        let mut seqs: Vec<SeqNo> = active.iter().map(|t| t.seq).collect();
        seqs.sort_unstable_by(|a, b| b.cmp(a));
        seqs.dedup();
        fragments.push(Fragment {
            start: from.to_vec(),
            end: to.to_vec(),
            seqs,
        });
    }
    fragments
}

/// Fragmented tombstones, searchable by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FragmentedTombstones {
    fragments: Vec<Fragment>,
}

impl FragmentedTombstones {
    /// The fragments of `tombstones`.
    pub fn new(tombstones: &[RangeTombstone]) -> Self {
        Self {
            fragments: fragment(tombstones),
        }
    }

    /// Whether there are no tombstones.
    pub fn is_empty(&self) -> bool {
        self.fragments.is_empty()
    }

    /// The fragments in key order.
    pub fn fragments(&self) -> &[Fragment] {
        &self.fragments
    }

    /// The fragment holding `key`, if any.
    pub fn fragment_at(&self, key: &[u8]) -> Option<&Fragment> {
        let i = self.fragments.partition_point(|f| f.end.as_slice() <= key);
        self.fragments.get(i).filter(|f| f.start.as_slice() <= key)
    }

    /// The newest tombstone covering `key` with a sequence number
    /// `<= snapshot_seq`, if any.
    pub fn covering_seq(&self, key: &[u8], snapshot_seq: SeqNo) -> Option<SeqNo> {
        let f = self.fragment_at(key)?;
        f.seqs.iter().copied().find(|&s| s <= snapshot_seq)
    }

    /// One tombstone per fragment and sequence number, in key order.
    pub fn to_tombstones(&self) -> Vec<RangeTombstone> {
        self.fragments
            .iter()
            .flat_map(|f| {
                f.seqs
                    .iter()
                    .map(|&seq| RangeTombstone::new(f.start.clone(), f.end.clone(), seq))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(start: &str, end: &str, seq: SeqNo) -> RangeTombstone {
        RangeTombstone::new(start.as_bytes(), end.as_bytes(), seq)
    }

    fn shape(fragments: &[Fragment]) -> Vec<(String, String, Vec<SeqNo>)> {
        fragments
            .iter()
            .map(|f| {
                (
                    String::from_utf8_lossy(&f.start).into_owned(),
                    String::from_utf8_lossy(&f.end).into_owned(),
                    f.seqs.clone(),
                )
            })
            .collect()
    }

    fn s(start: &str, end: &str, seqs: &[SeqNo]) -> (String, String, Vec<SeqNo>) {
        (start.into(), end.into(), seqs.to_vec())
    }

    #[test]
    fn overlapping_tombstones_become_disjoint_fragments_with_every_covering_seq() {
        let got = fragment(&[t("a", "e", 5), t("c", "g", 9), t("d", "f", 7)]);
        assert_eq!(
            shape(&got),
            vec![
                s("a", "c", &[5]),
                s("c", "d", &[9, 5]),
                s("d", "e", &[9, 7, 5]),
                s("e", "f", &[9, 7]),
                s("f", "g", &[9]),
            ]
        );
    }

    #[test]
    fn gaps_between_tombstones_have_no_fragment() {
        let got = fragment(&[t("m", "p", 3), t("a", "c", 4)]);
        assert_eq!(shape(&got), vec![s("a", "c", &[4]), s("m", "p", &[3])]);
    }

    #[test]
    fn touching_and_nested_tombstones_fragment_at_every_bound() {
        let got = fragment(&[t("a", "c", 2), t("c", "e", 3), t("a", "e", 8)]);
        assert_eq!(
            shape(&got),
            vec![s("a", "c", &[8, 2]), s("c", "e", &[8, 3])]
        );
    }

    #[test]
    fn empty_tombstones_cover_nothing() {
        assert!(fragment(&[t("c", "c", 2), t("d", "a", 3)]).is_empty());
        assert!(fragment(&[]).is_empty());
    }

    #[test]
    fn covering_seq_respects_the_snapshot_and_the_exclusive_end() {
        let set = FragmentedTombstones::new(&[t("b", "d", 5), t("c", "f", 9)]);
        assert_eq!(set.covering_seq(b"a", 100), None);
        assert_eq!(set.covering_seq(b"b", 100), Some(5));
        assert_eq!(set.covering_seq(b"c", 100), Some(9));
        assert_eq!(set.covering_seq(b"c", 8), Some(5));
        assert_eq!(set.covering_seq(b"c", 4), None);
        assert_eq!(set.covering_seq(b"ez", 100), Some(9));
        assert_eq!(set.covering_seq(b"f", 100), None);
    }

    #[test]
    fn fragments_expand_back_to_tombstones_covering_the_same_keys() {
        let input = [t("a", "e", 5), t("c", "g", 9)];
        let set = FragmentedTombstones::new(&input);
        let again = FragmentedTombstones::new(&set.to_tombstones());
        for key in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            for snap in [4, 5, 8, 9, 10] {
                let direct = input
                    .iter()
                    .filter(|t| t.covers(key.as_bytes()) && t.seq <= snap)
                    .map(|t| t.seq)
                    .max();
                assert_eq!(
                    again.covering_seq(key.as_bytes(), snap),
                    direct,
                    "{key}@{snap}"
                );
            }
        }
    }

    #[test]
    fn touching_pieces_of_one_tombstone_are_joined_again() {
        let pieces = vec![
            t("c", "e", 5),
            t("a", "c", 5),
            t("e", "g", 7),
            t("g", "h", 5),
        ];
        assert_eq!(
            coalesce(pieces),
            vec![t("a", "e", 5), t("e", "g", 7), t("g", "h", 5)]
        );
    }

    #[test]
    fn clipping_keeps_the_part_inside_the_bounds() {
        let x = t("c", "m", 4);
        assert_eq!(x.clip(Some(b"e"), Some(b"h")), Some(t("e", "h", 4)));
        assert_eq!(x.clip(None, Some(b"d")), Some(t("c", "d", 4)));
        assert_eq!(x.clip(Some(b"a"), None), Some(x.clone()));
        assert_eq!(x.clip(Some(b"m"), None), None);
        assert_eq!(x.clip(None, Some(b"c")), None);
    }

    #[test]
    fn the_largest_bound_is_exact_for_a_successor_end() {
        let cut = RangeTombstone::new(b"a".to_vec(), successor(b"k"), 1);
        assert_eq!(cut.largest_bound(), b"k");
        assert!(cut.covers(b"k") && !cut.covers(b"k\0"));
        assert_eq!(t("a", "k", 1).largest_bound(), b"k");
    }
}

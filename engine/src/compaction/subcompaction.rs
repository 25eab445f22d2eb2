//! Sub-compactions: one large compaction split by key range into parts
//! that merge at the same time.
//!
//! A compaction into a leveled level writes disjoint tables in key order,
//! so disjoint key ranges of its input can be merged independently: every
//! version of a user key lies in one part (parts are cut between user
//! keys), and a record's fate depends only on the versions of its own key,
//! the snapshots and the levels below. Each part writes its own tables; put
//! side by side in part order they are what one merge would have written,
//! except that a table also ends where a part ends.
//!
//! The cut points come from the inputs' table boundaries, chosen so the
//! parts hold about the same number of input bytes. Who runs the parts is
//! the driver's choice ([`Workers`]): the native background driver gives
//! each a thread, everyone else runs them one after the other, or rather
//! never splits (a single worker means a single part).

use crate::options::Options;
use crate::range_tombstone::RangeTombstone;

use super::CompactionPlan;

/// Runs the parts of a compaction.
pub trait Workers: Sync {
    /// Most parts worth running at once.
    fn parallelism(&self) -> usize;

    /// Calls `task(i)` for every `i` in `0..count`, each exactly once, and
    /// returns when all have returned.
    fn run(&self, count: usize, task: &(dyn Fn(usize) + Sync));
}

/// One worker: every compaction is a single part on the calling thread
/// (the inline and manual drivers, whose traces must not depend on timing).
#[derive(Clone, Copy, Debug, Default)]
pub struct OneAtATime;

impl Workers for OneAtATime {
    fn parallelism(&self) -> usize {
        1
    }

    fn run(&self, count: usize, task: &(dyn Fn(usize) + Sync)) {
        (0..count).for_each(task);
    }
}

/// The user keys `[lo, hi)` of one part; `None` is unbounded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// First user key of the part (inclusive).
    pub lo: Option<Vec<u8>>,
    /// First user key past the part (exclusive).
    pub hi: Option<Vec<u8>>,
}

impl Span {
    /// The whole key space.
    pub fn all() -> Self {
        Self::default()
    }

    /// Whether `user_key` lies past the part's end.
    pub fn is_past(&self, user_key: &[u8]) -> bool {
        self.hi.as_deref().is_some_and(|hi| user_key >= hi)
    }
}

/// Input bytes below which a part is not worth a thread: two output tables.
fn part_bytes_min(options: &Options) -> u64 {
    options.target_file_size_bytes.saturating_mul(2)
}

/// The parts `plan` is merged in: one (the whole key space) unless the
/// plan writes split outputs, more than one part is allowed, and the
/// inputs hold at least two parts' worth of bytes.
///
/// Cut points are input tables' smallest user keys. They divide the key
/// space into intervals; each table's bytes are spread evenly over the
/// intervals its key range meets, and a cut is made where the running
/// total crosses each part's share.
///
/// No cut falls inside or at the end of one of the inputs' range
/// tombstones (`tombstones`): the part before it would clip the tombstone
/// at the cut, and a table holding a tombstone ends *at* its end key, so
/// its last table would share that key with the next part's first table
/// and the level would no longer be disjoint.
pub fn split(
    plan: &CompactionPlan,
    parts_max: usize,
    options: &Options,
    tombstones: &[RangeTombstone],
) -> Vec<Span> {
    let total = plan.input_bytes();
    let worth = usize::try_from(total / part_bytes_min(options).max(1)).unwrap_or(usize::MAX);
    let parts = parts_max.min(worth);
    if parts <= 1 || !plan.split_outputs || plan.trivial_move {
        return vec![Span::all()];
    }
    let mut keys: Vec<&[u8]> = plan
        .inputs
        .iter()
        .map(|(_, t)| t.smallest_user_key())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    // No cut before the very first key: that part would be empty.
    let inside = |c: &[u8]| {
        tombstones
            .iter()
            .any(|t| t.start.as_slice() < c && c <= t.end.as_slice())
    };
    let candidates: Vec<&[u8]> = keys
        .get(1..)
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|c| !inside(c))
        .collect();
    let candidates = candidates.as_slice();
    let mut weights = vec![0u64; candidates.len() + 1];
    for (_, t) in &plan.inputs {
        let first = candidates.partition_point(|c| *c <= t.smallest_user_key());
        let last = candidates.partition_point(|c| *c <= t.largest_user_key());
        let met = last.saturating_sub(first) + 1;
        let each = t.size_bytes / met as u64;
        for w in weights.iter_mut().skip(first).take(met) {
            *w += each;
        }
    }
    let share = weights.iter().sum::<u64>() / parts as u64;
    let mut cuts: Vec<&[u8]> = Vec::new();
    let mut running = 0u64;
    for (w, cut) in weights.iter().zip(candidates) {
        running += w;
        if cuts.len() + 1 < parts && running >= share * (cuts.len() as u64 + 1) {
            cuts.push(cut);
        }
    }
    spans_between(&cuts)
}

/// The parts separated by `cuts` (ascending, distinct user keys).
fn spans_between(cuts: &[&[u8]]) -> Vec<Span> {
    let mut spans = Vec::with_capacity(cuts.len() + 1);
    let mut lo: Option<Vec<u8>> = None;
    for cut in cuts {
        spans.push(Span {
            lo: lo.take(),
            hi: Some(cut.to_vec()),
        });
        lo = Some(cut.to_vec());
    }
    spans.push(Span { lo, hi: None });
    spans
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::compaction::testutil::meta;
    use crate::event::CompactionTrigger;
    use crate::options::CompactionStrategy;

    fn plan(tables: &[(u32, &str, &str, u64)], split_outputs: bool) -> CompactionPlan {
        CompactionPlan {
            strategy: CompactionStrategy::Leveled,
            level: 1,
            output_level: 2,
            score: 1.0,
            trigger: CompactionTrigger::Manual { target_level: 2 },
            inputs: tables
                .iter()
                .zip(1u64..)
                .map(|((level, lo, hi, size), n)| (*level, Arc::new(meta(n, lo, hi, *size, 1))))
                .collect(),
            trivial_move: false,
            split_outputs,
            grandparents: Vec::new(),
            compact_pointer: None,
        }
    }

    fn options() -> Options {
        Options {
            target_file_size_bytes: 1000,
            ..Options::default()
        }
    }

    fn cuts(spans: &[Span]) -> Vec<String> {
        spans
            .iter()
            .filter_map(|s| s.hi.as_ref())
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect()
    }

    /// One L1 table over a..z and four L2 tables below it.
    fn one_wide_over_four() -> CompactionPlan {
        plan(
            &[
                (1, "a", "z", 4000),
                (2, "a", "f", 1000),
                (2, "g", "l", 1000),
                (2, "m", "r", 1000),
                (2, "s", "z", 1000),
            ],
            true,
        )
    }

    #[test]
    fn parts_hold_about_equal_input_bytes() {
        let p = one_wide_over_four();
        let spans = split(&p, 2, &options(), &[]);
        assert_eq!(cuts(&spans), ["m"]);
        assert_eq!(spans.first().and_then(|s| s.lo.clone()), None);
        assert_eq!(spans.last().and_then(|s| s.lo.clone()), Some(b"m".to_vec()));
        let spans = split(&p, 4, &options(), &[]);
        assert_eq!(cuts(&spans), ["g", "m", "s"]);
    }

    #[test]
    fn small_tiered_or_single_worker_compactions_are_one_part() {
        let big = [(1, "a", "m", 5000), (2, "n", "z", 5000)];
        assert_eq!(
            split(&plan(&big, true), 1, &options(), &[]),
            vec![Span::all()]
        );
        assert_eq!(
            split(&plan(&big, false), 4, &options(), &[]),
            vec![Span::all()]
        );
        let small = [(1, "a", "m", 900), (2, "n", "z", 900)];
        assert_eq!(
            split(&plan(&small, true), 4, &options(), &[]),
            vec![Span::all()]
        );
    }

    #[test]
    fn a_cut_never_repeats_or_starts_the_first_part() {
        let p = plan(
            &[
                (1, "a", "z", 3000),
                (2, "a", "c", 3000),
                (2, "a", "d", 3000),
                (2, "k", "z", 3000),
            ],
            true,
        );
        let spans = split(&p, 4, &options(), &[]);
        assert_eq!(cuts(&spans), ["k"], "a is everyone's first key");
        for pair in spans.windows(2) {
            if let [a, b] = pair {
                assert_eq!(a.hi, b.lo, "parts meet");
            }
        }
    }

    /// A cut inside a range tombstone, or at its end, would leave two
    /// tables of the output level sharing that key.
    #[test]
    fn no_cut_falls_inside_or_at_the_end_of_a_range_tombstone() {
        let p = one_wide_over_four();
        let across_m = [RangeTombstone::new("k", "n", 9)];
        assert_eq!(cuts(&split(&p, 2, &options(), &across_m)), ["s"]);
        let ending_at_m = [RangeTombstone::new("h", "m", 9)];
        assert_eq!(cuts(&split(&p, 2, &options(), &ending_at_m)), ["s"]);
        let starting_at_m = [RangeTombstone::new("m", "q", 9)];
        assert_eq!(cuts(&split(&p, 2, &options(), &starting_at_m)), ["m"]);
    }

    #[test]
    fn a_span_ends_before_its_upper_key() {
        let s = Span {
            lo: Some(b"b".to_vec()),
            hi: Some(b"d".to_vec()),
        };
        assert!(!s.is_past(b"c"));
        assert!(s.is_past(b"d"));
        assert!(!Span::all().is_past(b"\xff\xff"));
    }
}

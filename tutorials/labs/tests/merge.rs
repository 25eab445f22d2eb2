//! Lab 5 — the merging iterator: against a sort of the concatenated
//! sources in both directions and across direction changes, and the
//! engine's scans and scenes with the student's step plugged in.

mod common;

use std::cmp::Ordering;

use common::Data;
use strata_engine::record::{compare_internal_keys, internal_key, ValueKind};
use strata_labs::merge::{pick, MergingIter};
use strata_labs::plug::{with_labs, Lab};

type Entry = (Vec<u8>, Vec<u8>);

/// `k` sorted sources over shared user keys; every internal key unique.
fn sources(seed: u64, k: usize, n: u64) -> (Vec<Vec<Entry>>, Vec<Entry>) {
    let mut data = Data::new(seed);
    let mut sources: Vec<Vec<Entry>> = vec![Vec::new(); k];
    for seq in 1..=n {
        let entry = (
            internal_key(&data.user_key(), seq, ValueKind::Put),
            data.bytes(3),
        );
        sources[data.below(k as u64) as usize].push(entry);
    }
    for s in &mut sources {
        s.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
    }
    let mut all: Vec<Entry> = sources.concat();
    all.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
    (sources, all)
}

fn here(it: &MergingIter) -> Option<Entry> {
    it.current().map(|(k, v)| (k.to_vec(), v.to_vec()))
}

#[test]
fn pick_takes_the_smallest_forward_the_largest_backward_and_ties_to_the_newest() {
    let a = internal_key(b"a", 5, ValueKind::Put);
    let a_newer = internal_key(b"a", 9, ValueKind::Put);
    let b = internal_key(b"b", 1, ValueKind::Put);
    let keys = [
        None,
        Some(b.as_slice()),
        Some(a.as_slice()),
        Some(a_newer.as_slice()),
    ];
    assert_eq!(
        pick(&keys, true),
        Some(3),
        "merge lab: a@9 sorts before a@5 going forward"
    );
    assert_eq!(
        pick(&keys, false),
        Some(1),
        "merge lab: b is the largest going backward"
    );
    let tie = [Some(b.as_slice()), None, Some(b.as_slice())];
    assert_eq!(
        pick(&tie, true),
        Some(0),
        "merge lab: equal keys go to the lowest index"
    );
    assert_eq!(
        pick(&tie, false),
        Some(0),
        "merge lab: equal keys go to the lowest index"
    );
    assert_eq!(pick(&[None, None], true), None, "merge lab: no source left");
}

#[test]
fn forward_iteration_is_the_sorted_concatenation() {
    for (seed, k) in [(1, 1), (2, 3), (3, 7)] {
        let (sources, all) = sources(seed, k, 600);
        let mut it = MergingIter::new(sources);
        it.seek_to_first();
        let mut got = Vec::new();
        while let Some(e) = here(&it) {
            got.push(e);
            it.next();
        }
        assert!(
            got == all,
            "merge lab: {k} sources forward differ from the sorted union"
        );
    }
}

#[test]
fn backward_iteration_is_the_reverse() {
    let (sources, all) = sources(4, 5, 600);
    let mut it = MergingIter::new(sources);
    it.seek_to_last();
    let mut got = Vec::new();
    while let Some(e) = here(&it) {
        got.push(e);
        it.prev();
    }
    got.reverse();
    assert!(
        got == all,
        "merge lab: backward iteration differs from the sorted union reversed"
    );
}

#[test]
fn seeks_and_direction_changes_follow_the_sorted_union() {
    let (sources, all) = sources(6, 4, 400);
    let mut it = MergingIter::new(sources);
    let mut data = Data::new(60);
    for round in 0..50 {
        let target = internal_key(&data.user_key(), data.below(400), ValueKind::Put);
        it.seek(&target);
        let mut at =
            all.partition_point(|(k, _)| compare_internal_keys(k, &target) == Ordering::Less);
        assert_eq!(
            here(&it),
            all.get(at).cloned(),
            "merge lab: seek in round {round}"
        );
        for step in 0..40 {
            if at >= all.len() {
                break;
            }
            if data.below(2) == 0 {
                it.next();
                at += 1;
            } else if at > 0 {
                it.prev();
                at -= 1;
            } else {
                continue;
            }
            assert_eq!(
                here(&it),
                all.get(at).cloned(),
                "merge lab: round {round}, step {step}: after a change of direction the cursor \
                 must be on the neighbour in the sorted union"
            );
        }
    }
}

#[test]
fn the_engines_scans_with_your_step_agree_with_a_btreemap() {
    let checked = with_labs(&[Lab::Merge], || common::model_test(5, 4000));
    assert!(checked > 500, "merge lab: only {checked} reads checked");
}

#[test]
fn the_chapter_scenes_are_unchanged_with_your_step() {
    let scenes = common::scenes_unchanged_with(&[Lab::Merge]);
    assert!(scenes > 14, "merge lab: only {scenes} scenes replayed");
}

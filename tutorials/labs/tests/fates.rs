//! Lab 7 — tombstone fates: stripes, the fate table, when "older data
//! below" may be asked, and the engine's compactions with the student's
//! function.

mod common;

use strata_engine::compaction::fate::standard_decide;
use strata_labs::fates::{decide, stripe, EntryFate, SeqNo, ValueKind};
use strata_labs::plug::{with_labs, Lab};

use EntryFate::*;
use ValueKind::{Delete as D, Put as P};

#[test]
fn snapshots_cut_the_sequence_numbers_into_stripes() {
    let snapshots = [10, 20];
    for (seq, expected) in [(1, 0), (10, 0), (11, 1), (20, 1), (21, 2), (99, 2)] {
        assert_eq!(
            stripe(&snapshots, seq),
            expected,
            "fates lab: seq {seq} with snapshots {snapshots:?}"
        );
    }
    assert_eq!(stripe(&[], 5), 0, "fates lab: no snapshots, one stripe");
}

/// Walks one key's versions newest first, as a compaction does.
fn fates(snapshots: &[SeqNo], below: bool, versions: &[(SeqNo, ValueKind)]) -> Vec<EntryFate> {
    let mut newer = None;
    versions
        .iter()
        .map(|&(seq, kind)| {
            let s = stripe(snapshots, seq);
            let fate = decide(newer, s, kind, &mut || below);
            newer = Some(s);
            fate
        })
        .collect()
}

#[test]
fn the_fate_table() {
    type Case = (
        &'static str,
        &'static [SeqNo],
        bool,
        &'static [(SeqNo, ValueKind)],
        &'static [EntryFate],
    );
    let cases: &[Case] = &[
        (
            "newest put kept, older shadowed",
            &[],
            false,
            &[(9, P), (5, P)],
            &[Kept, Shadowed],
        ),
        (
            "a snapshot keeps what it sees",
            &[6],
            false,
            &[(9, P), (5, P), (2, P)],
            &[Kept, KeptForSnapshot, Shadowed],
        ),
        (
            "snapshot equal to a seq sees it",
            &[5],
            false,
            &[(9, P), (5, P)],
            &[Kept, KeptForSnapshot],
        ),
        (
            "bottom tombstone dropped with what it hides",
            &[],
            false,
            &[(9, D), (5, P)],
            &[TombstoneDroppedAtBottom, Shadowed],
        ),
        (
            "tombstone kept while older data lies below",
            &[],
            true,
            &[(9, D)],
            &[TombstoneKeptOlderDataBelow],
        ),
        (
            "a snapshot older than the tombstone keeps both",
            &[6],
            false,
            &[(9, D), (5, P)],
            &[KeptForSnapshot, KeptForSnapshot],
        ),
        (
            "an old tombstone under a put is shadowed",
            &[],
            true,
            &[(9, P), (5, D)],
            &[Kept, Shadowed],
        ),
    ];
    for (name, snapshots, below, versions, expected) in cases {
        assert_eq!(
            fates(snapshots, *below, versions),
            *expected,
            "fates lab: {name} (snapshots {snapshots:?}, older data below: {below})"
        );
    }
}

#[test]
fn older_data_below_is_asked_only_for_a_tombstone_in_stripe_0() {
    for newer in [None, Some(0), Some(1), Some(2)] {
        for s in 0..3 {
            for kind in [P, D] {
                for below in [false, true] {
                    let mut asked = 0;
                    let fate = decide(newer, s, kind, &mut || {
                        asked += 1;
                        below
                    });
                    let expected = standard_decide(newer, s, kind, || below);
                    let may_ask = kind == D && s == 0 && newer != Some(s);
                    assert_eq!(
                        fate, expected,
                        "fates lab: decide(newer {newer:?}, stripe {s}, {kind:?}, below {below})"
                    );
                    assert!(
                        asked <= usize::from(may_ask),
                        "fates lab: asked about older data {asked} times for newer {newer:?}, \
                         stripe {s}, {kind:?} (only a stripe-0 tombstone that is not shadowed may ask, once)"
                    );
                }
            }
        }
    }
}

#[test]
fn the_engines_compactions_with_your_fates_agree_with_a_btreemap() {
    let checked = with_labs(&[Lab::Fates], || common::model_test(7, 5000));
    assert!(checked > 500, "fates lab: only {checked} reads checked");
}

#[test]
fn the_chapter_scenes_are_unchanged_with_your_fates() {
    let scenes = common::scenes_unchanged_with(&[Lab::Fates]);
    assert!(scenes > 14, "fates lab: only {scenes} scenes replayed");
}

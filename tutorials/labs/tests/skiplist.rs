//! Lab 1 — the skiplist: a model test against `BTreeMap`, seek, the tower
//! invariants and the seeded heights.

mod common;

use std::cmp::Reverse;
use std::collections::BTreeMap;

use common::Data;
use strata_engine::memtable::skiplist::SkipList as EngineList;
use strata_engine::record::{internal_key, parse_internal_key, ValueKind};
use strata_labs::skiplist::{SkipList, MAX_HEIGHT};

type Model = BTreeMap<(Vec<u8>, Reverse<u64>), Vec<u8>>;

/// Inserts `n` distinct random internal keys into a list and a model.
fn filled(seed: u64, n: u64) -> (SkipList, Model) {
    let mut data = Data::new(seed);
    let mut list = SkipList::new(seed);
    let mut model = Model::new();
    for seq in 1..=n {
        let user = data.user_key();
        let value = data.bytes(data_len(seq));
        list.insert(internal_key(&user, seq, ValueKind::Put), value.clone());
        model.insert((user, Reverse(seq)), value);
    }
    (list, model)
}

fn data_len(seq: u64) -> usize {
    (seq % 7) as usize
}

fn model_entries(model: &Model) -> Vec<(Vec<u8>, Vec<u8>)> {
    model
        .iter()
        .map(|((user, Reverse(seq)), v)| (internal_key(user, *seq, ValueKind::Put), v.clone()))
        .collect()
}

fn owned(entries: Vec<(&[u8], &[u8])>) -> Vec<(Vec<u8>, Vec<u8>)> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

#[test]
fn an_empty_list_has_nothing_to_seek_or_walk() {
    let list = SkipList::new(7);
    assert!(list.is_empty(), "skiplist lab: a new list must be empty");
    assert_eq!(list.len(), 0);
    assert_eq!(list.seek(b"anything"), None);
    assert!(list.entries().is_empty());
}

#[test]
fn entries_come_back_in_internal_key_order_like_a_btreemap() {
    for seed in [1, 2, 3] {
        let (list, model) = filled(seed, 2000);
        assert_eq!(list.len(), model.len(), "skiplist lab: len after inserts");
        assert!(
            owned(list.entries()) == model_entries(&model),
            "skiplist lab: entries() must equal the BTreeMap model in internal-key order \
             (user key ascending, newest sequence number first)"
        );
    }
}

#[test]
fn seek_finds_the_first_key_at_or_after_the_target() {
    let (list, model) = filled(11, 1500);
    let all = model_entries(&model);
    let mut data = Data::new(99);
    for _ in 0..2000 {
        let target = internal_key(&data.user_key(), data.below(1600), ValueKind::Put);
        let expected = all.iter().find(|(k, _)| {
            strata_engine::record::compare_internal_keys(k, &target) != std::cmp::Ordering::Less
        });
        let got = list.seek(&target).map(|(k, v)| (k.to_vec(), v.to_vec()));
        assert_eq!(
            got.as_ref(),
            expected,
            "skiplist lab: seek({:?}) must return the first entry >= the target",
            parse_internal_key(&target)
        );
    }
}

#[test]
fn every_level_is_sorted_and_contained_in_the_level_below() {
    let (list, _) = filled(5, 3000);
    let keys: Vec<Vec<u8>> = owned(list.entries()).into_iter().map(|(k, _)| k).collect();
    let level0: Vec<Vec<u8>> = list.level_keys(0).into_iter().map(<[u8]>::to_vec).collect();
    assert_eq!(
        level0, keys,
        "skiplist lab: level 0 links every entry in order"
    );
    for level in 1..MAX_HEIGHT {
        let upper = list.level_keys(level);
        let lower = list.level_keys(level - 1);
        let mut rest = lower.iter();
        assert!(
            upper.iter().all(|k| rest.any(|l| l == k)),
            "skiplist lab: level {level} must be a sorted subsequence of level {}",
            level - 1
        );
    }
    assert!(
        list.level_keys(MAX_HEIGHT).is_empty(),
        "skiplist lab: no tower is taller than MAX_HEIGHT"
    );
    assert!(
        list.level_keys(1).len() > 3000 / 8,
        "skiplist lab: about a quarter of the towers reach level 1"
    );
}

#[test]
fn tower_heights_match_the_engine_for_the_same_seed() {
    let mut data = Data::new(3);
    let mut list = SkipList::new(42);
    let mut engine = EngineList::new(42);
    for seq in 1..=1000 {
        let key = internal_key(&data.user_key(), seq, ValueKind::Put);
        let ours = list.insert(key.clone(), Vec::new());
        let theirs = usize::from(engine.insert(key, Vec::new()));
        assert_eq!(
            ours, theirs,
            "skiplist lab: insert #{seq} drew height {ours}, the engine's seeded rng gives {theirs}"
        );
    }
}

//! The level cursor against a sorted `Vec` model, across table boundaries.

use std::cmp::Ordering;
use std::sync::Arc;

use proptest::prelude::*;
use strata_storage::MemStorage;

use crate::compaction::testutil::{build_table, put, CountingOpener, Entry};
use crate::error::Result;
use crate::iter::InternalIterator;
use crate::options::Options;
use crate::record::{compare_internal_keys, internal_key, user_key, ValueKind};
use crate::table_meta::TableMeta;

use super::LevelIter;

#[derive(Clone, Debug)]
enum Move {
    First,
    Last,
    Seek(u8, u64),
    Next,
    Prev,
}

fn small_options() -> Options {
    Options {
        block_size_bytes: 64,
        ..Options::default()
    }
}

/// Builds one table per group; groups hold disjoint, ascending user keys.
fn build_level(storage: &MemStorage, groups: &[Vec<Entry>]) -> Result<Vec<Arc<TableMeta>>> {
    let mut tables = Vec::new();
    for (n, group) in (1u64..).zip(groups) {
        tables.push(Arc::new(build_table(storage, n, group, &small_options())?));
    }
    Ok(tables)
}

/// Records for keys k00..k{n}, several versions each, cut into tables at
/// the user-key boundaries in `cuts`.
fn level_entries(versions: &[u8], cuts: &[bool]) -> (Vec<Vec<Entry>>, Vec<Entry>) {
    let mut groups: Vec<Vec<Entry>> = vec![vec![]];
    let mut all = Vec::new();
    for (i, (&count, &cut)) in versions.iter().zip(cuts).enumerate() {
        if cut && groups.last().is_some_and(|g| !g.is_empty()) {
            groups.push(vec![]);
        }
        for v in 0..u64::from(count) {
            let record = put(&format!("k{i:02}"), 10 + v * 7, &format!("v{i}-{v}"));
            if let Some(g) = groups.last_mut() {
                g.push(record.clone());
            }
            all.push(record);
        }
    }
    groups.retain(|g| !g.is_empty());
    all.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
    (groups, all)
}

fn apply(
    it: &mut LevelIter,
    model: &[Entry],
    at: Option<usize>,
    step: &Move,
) -> Result<Option<usize>> {
    let len = model.len();
    Ok(match step {
        Move::First => {
            it.seek_to_first()?;
            (len > 0).then_some(0)
        }
        Move::Last => {
            it.seek_to_last()?;
            len.checked_sub(1)
        }
        Move::Seek(k, seq) => {
            let target = internal_key(format!("k{k:02}").as_bytes(), *seq, ValueKind::Put);
            it.seek(&target)?;
            let i =
                model.partition_point(|(k, _)| compare_internal_keys(k, &target) == Ordering::Less);
            (i < len).then_some(i)
        }
        Move::Next => {
            it.next()?;
            at.and_then(|i| (i + 1 < len).then_some(i + 1))
        }
        Move::Prev => {
            it.prev()?;
            at.and_then(|i| i.checked_sub(1))
        }
    })
}

fn check(versions: &[u8], cuts: &[bool], moves: &[Move]) -> Result<()> {
    let storage = Arc::new(MemStorage::new());
    let (groups, model) = level_entries(versions, cuts);
    let tables = build_level(&storage, &groups)?;
    let counting = CountingOpener::new(storage);
    let mut it = LevelIter::new(tables, counting.opener());
    let mut at = None;
    for step in moves {
        at = apply(&mut it, &model, at, step)?;
        match at.and_then(|i| model.get(i)) {
            Some((k, v)) => {
                assert!(it.valid(), "after {step:?}");
                assert_eq!(
                    (it.key(), it.value()),
                    (k.as_slice(), v.as_slice()),
                    "after {step:?}"
                );
                let table = it.current_table().map(|t| t.covers(user_key(k)));
                assert_eq!(table, Some(true), "the reported table holds the key");
            }
            None => assert!(!it.valid(), "after {step:?} expected the end"),
        }
        assert!(counting.alive() <= 1, "more than one table held at once");
    }
    Ok(())
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let one = prop_oneof![
        1 => Just(Move::First),
        1 => Just(Move::Last),
        3 => (0u8..40, 0u64..60).prop_map(|(k, s)| Move::Seek(k, s)),
        5 => Just(Move::Next),
        5 => Just(Move::Prev),
    ];
    proptest::collection::vec(one, 1..80)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn level_cursor_matches_a_sorted_vec_across_tables(
        versions in proptest::collection::vec(1u8..4, 0..36),
        cuts in proptest::collection::vec(any::<bool>(), 36),
        moves in moves(),
    ) {
        check(&versions, &cuts, &moves).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

#[test]
fn walking_a_level_opens_each_table_once_and_holds_one() -> Result<()> {
    let storage = Arc::new(MemStorage::new());
    let versions = [2u8; 30];
    let cuts: Vec<bool> = (0..30).map(|i| i % 3 == 0).collect();
    let (groups, model) = level_entries(&versions, &cuts);
    let tables = build_level(&storage, &groups)?;
    assert_eq!(tables.len(), 10);
    let counting = CountingOpener::new(storage);
    let mut it = LevelIter::new(tables, counting.opener());
    assert_eq!(counting.opened(), 0, "nothing opens before the first move");
    it.seek_to_first()?;
    let mut seen = 0;
    while it.valid() {
        seen += 1;
        assert!(counting.alive() <= 1);
        it.next()?;
    }
    assert_eq!(seen, model.len());
    assert_eq!(counting.opened(), 10);
    assert!(!it.has_open_table(), "past the end nothing is held");
    Ok(())
}

#[test]
fn seek_between_tables_lands_on_the_next_table() -> Result<()> {
    let storage = Arc::new(MemStorage::new());
    let groups = vec![
        vec![put("a", 1, "1"), put("c", 1, "1")],
        vec![put("e", 1, "1"), put("g", 1, "1")],
    ];
    let tables = build_level(&storage, &groups)?;
    let counting = CountingOpener::new(storage);
    let mut it = LevelIter::new(tables, counting.opener());
    it.seek(&internal_key(b"d", 5, ValueKind::Put))?;
    assert_eq!(user_key(it.key()), b"e");
    it.prev()?;
    assert_eq!(user_key(it.key()), b"c");
    it.seek(&internal_key(b"h", 5, ValueKind::Put))?;
    assert!(!it.valid());
    it.seek_to_last()?;
    assert_eq!(user_key(it.key()), b"g");
    Ok(())
}

#[test]
fn an_empty_level_is_never_valid() -> Result<()> {
    let storage = Arc::new(MemStorage::new());
    let counting = CountingOpener::new(storage);
    let mut it = LevelIter::new(vec![], counting.opener());
    it.seek_to_first()?;
    assert!(!it.valid());
    it.seek_to_last()?;
    assert!(!it.valid());
    it.seek(b"anything")?;
    assert!(!it.valid());
    Ok(())
}

//! The table cursor against a sorted `Vec` model, under random moves.

use std::cmp::Ordering;

use proptest::prelude::*;
use strata_storage::MemStorage;

use crate::error::Result;
use crate::iter::InternalIterator;
use crate::options::{Compression, Options};
use crate::record::{compare_internal_keys, internal_key, parse_internal_key, ValueKind};

use super::table_tests::{build, Entry};
use super::{Table, TableIter};

#[derive(Clone, Debug)]
enum Move {
    First,
    Last,
    Seek(Vec<u8>, u64),
    Next,
    Prev,
}

fn user_key() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'c')], 0..6)
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let one = prop_oneof![
        1 => Just(Move::First),
        1 => Just(Move::Last),
        3 => (user_key(), 0..40u64).prop_map(|(k, s)| Move::Seek(k, s)),
        4 => Just(Move::Next),
        4 => Just(Move::Prev),
    ];
    proptest::collection::vec(one, 1..60)
}

fn records() -> impl Strategy<Value = Vec<Entry>> {
    let record = (
        user_key(),
        0..40u64,
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..40),
    );
    proptest::collection::vec(record, 0..200).prop_map(|raw| {
        let mut entries: Vec<Entry> = raw
            .into_iter()
            .map(|(k, seq, put, v)| {
                let kind = if put {
                    ValueKind::Put
                } else {
                    ValueKind::Delete
                };
                (internal_key(&k, seq, kind), v)
            })
            .collect();
        entries.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
        // One record per (user key, seq), as the engine writes them.
        let version = |e: &Entry| parse_internal_key(&e.0).map(|p| (p.user_key.to_vec(), p.seq));
        entries.dedup_by(|a, b| version(a) == version(b));
        entries
    })
}

/// Applies `step` to both the cursor and the model position.
fn apply(
    it: &mut TableIter,
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
        Move::Seek(key, seq) => {
            let target = internal_key(key, *seq, ValueKind::Put);
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

fn check(
    entries: &[Entry],
    moves: &[Move],
    block_size_bytes: usize,
    restart_interval: usize,
    lz4: bool,
) -> Result<()> {
    let storage = MemStorage::new();
    let options = Options {
        block_size_bytes,
        block_restart_interval: restart_interval,
        compression: if lz4 {
            Compression::Lz4
        } else {
            Compression::None
        },
        ..Options::default()
    };
    build(&storage, 1, entries, &options)?;
    let table = Table::open(&storage, 1)?;
    let mut it = table.iter();
    let mut at = None;
    for step in moves {
        at = apply(&mut it, entries, at, step)?;
        match at.and_then(|i| entries.get(i)) {
            Some((k, v)) => {
                assert!(it.valid(), "after {step:?}");
                assert_eq!(
                    (it.key(), it.value()),
                    (k.as_slice(), v.as_slice()),
                    "after {step:?}"
                );
            }
            None => assert!(!it.valid(), "after {step:?} expected the end"),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn table_cursor_matches_a_sorted_vec(
        entries in records(),
        moves in moves(),
        block_size_bytes in 64usize..400,
        restart_interval in 1usize..6,
        lz4 in any::<bool>(),
    ) {
        check(&entries, &moves, block_size_bytes, restart_interval, lz4).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

//! Range deletes against a `BTreeMap` model: random puts, deletes, range
//! deletes (one tombstone each), gets, scans both ways, snapshots,
//! flushes, compaction steps, full compactions and reopens, under every
//! compaction strategy; and the behaviours range tombstones promise
//! (one log record, a put over a deleted range, space reclaimed).
//!
//! Native only, like `model.rs` (proptest); the browser runs its own model
//! test in `browser_engine.rs`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::ops::Bound;
use std::sync::Arc;

use common::{remove_range, Model, ModelDb, STRATEGIES};
use proptest::prelude::*;
use strata_engine::{Db, Event, Options, TraceRecorder, WriteBatch};
use strata_storage::{MemStorage, Storage};

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u16),
    Delete(u8),
    DeleteRange(u8, u8),
    BatchWithRange(u8, u8, u8),
    Get(u8),
    Scan(Option<u8>, Option<u8>, bool),
    TakeSnapshot,
    ReadSnapshot(usize, u8),
    ScanSnapshot(usize, bool),
    DropSnapshot(usize),
    Flush,
    Step,
    CompactAll,
    Reopen,
}

fn key(k: u8) -> Vec<u8> {
    format!("k{:03}", k % 80).into_bytes()
}

fn value(k: u8, v: u16) -> Vec<u8> {
    let mut out = format!("v{k}-{v}-").into_bytes();
    out.resize(out.len() + usize::from(v % 61) * 2, b'a' + (v % 26) as u8);
    out
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        2 => any::<u8>().prop_map(Op::Delete),
        3 => (any::<u8>(), 0u8..30).prop_map(|(k, n)| Op::DeleteRange(k, n)),
        1 => (any::<u8>(), 0u8..20, any::<u8>()).prop_map(|(k, n, p)| Op::BatchWithRange(k, n, p)),
        4 => any::<u8>().prop_map(Op::Get),
        2 => (prop::option::of(any::<u8>()), prop::option::of(any::<u8>()), any::<bool>())
            .prop_map(|(a, b, r)| Op::Scan(a, b, r)),
        1 => Just(Op::TakeSnapshot),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Op::ReadSnapshot(i, k)),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, r)| Op::ScanSnapshot(i, r)),
        1 => any::<usize>().prop_map(Op::DropSnapshot),
        1 => Just(Op::Flush),
        2 => Just(Op::Step),
        1 => Just(Op::CompactAll),
        1 => Just(Op::Reopen),
    ]
}

/// The range deleted by `DeleteRange(k, n)`: from key `k` over `n` keys.
fn range_of(k: u8, n: u8) -> (Vec<u8>, Vec<u8>) {
    let start = key(k);
    let end = format!("k{:03}", u32::from(k % 80) + u32::from(n)).into_bytes();
    (start, end)
}

fn run(h: &mut ModelDb, op: Op) -> anyhow::Result<()> {
    match op {
        Op::Put(k, v) => h.put(key(k), value(k, v))?,
        Op::Delete(k) => h.delete(key(k))?,
        Op::DeleteRange(k, n) => {
            let (start, end) = range_of(k, n);
            h.delete_range(start, end)?;
        }
        Op::BatchWithRange(k, n, p) => {
            // A range delete between puts in one batch: the later put wins.
            let (start, end) = range_of(k, n);
            let mut batch = WriteBatch::new();
            batch.put(key(p), value(p, 1));
            h.model.insert(key(p), value(p, 1));
            batch.delete_range(&start, &end);
            remove_range(&mut h.model, &start, &end);
            batch.put(key(k.wrapping_add(1)), value(k, 2));
            h.model.insert(key(k.wrapping_add(1)), value(k, 2));
            h.db().write(&batch)?;
        }
        Op::Get(k) => {
            assert_eq!(
                h.db().get(key(k))?,
                h.model.get(&key(k)).cloned(),
                "get {k}"
            );
        }
        Op::Scan(a, b, reverse) => {
            let lo = a.map_or(Bound::Unbounded, |a| Bound::Included(key(a)));
            let hi = b.map_or(Bound::Unbounded, |b| Bound::Excluded(key(b)));
            h.check_scan_bounds(lo, hi, reverse)?;
        }
        Op::TakeSnapshot => h.take_snapshot(),
        Op::ReadSnapshot(i, k) => {
            if let Some((snap, model)) = h.snapshots.get(i % h.snapshots.len().max(1)) {
                assert_eq!(
                    snap.get(key(k))?,
                    model.get(&key(k)).cloned(),
                    "snapshot get"
                );
            }
        }
        Op::ScanSnapshot(i, reverse) => {
            if let Some((snap, model)) = h.snapshots.get(i % h.snapshots.len().max(1)) {
                let mut want: Vec<_> = model.clone().into_iter().collect();
                let scan = snap.scan::<&[u8]>(..)?;
                let got: Vec<_> = if reverse {
                    want.reverse();
                    scan.rev().collect::<Result<_, _>>()?
                } else {
                    scan.collect::<Result<_, _>>()?
                };
                assert_eq!(got, want, "snapshot scan reverse={reverse}");
            }
        }
        Op::DropSnapshot(i) => {
            if !h.snapshots.is_empty() {
                h.snapshots.remove(i % h.snapshots.len());
            }
        }
        Op::Flush => h.db().flush()?,
        Op::Step => {
            h.db().maintenance_step()?;
        }
        Op::CompactAll => {
            h.db().compact_range::<&[u8]>(..)?;
        }
        Op::Reopen => h.reopen()?,
    }
    Ok(())
}

/// The model test's options, with smaller tables: more output cuts for
/// range tombstones to span.
fn options(strategy: usize, manual: bool) -> Options {
    Options {
        target_file_size_bytes: 1024,
        ..common::model_options(strategy, manual)
    }
}

fn run_sequence(ops: Vec<Op>, options: Options) -> anyhow::Result<()> {
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let mut h = ModelDb::open(storage, options)?;
    for op in ops {
        run(&mut h, op)?;
        h.db().check_invariants().map_err(anyhow::Error::msg)?;
    }
    h.check()?;
    run(&mut h, Op::CompactAll)?;
    h.check()?;
    h.reopen()?;
    h.check_latest()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn range_deletes_match_a_btreemap_under_every_strategy(
        ops in prop::collection::vec(op(), 1..300), strategy in 0..4usize, manual in any::<bool>(),
    ) {
        run_sequence(ops, options(strategy, manual))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

#[test]
fn long_workload_with_range_deletes_matches_a_btreemap() -> anyhow::Result<()> {
    let mut ops = Vec::new();
    let mut x: u64 = 11;
    for i in 0..2500u32 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (x >> 33) as u8;
        let v = (x >> 17) as u16;
        ops.push(match (x >> 40) % 24 {
            0..=11 => Op::Put(k, v),
            12 => Op::Delete(k),
            13 | 14 => Op::DeleteRange(k, (v % 25) as u8),
            15..=17 => Op::Get(k),
            18 => Op::Scan(Some(k), Some(k.wrapping_add(30)), i % 2 == 0),
            19 if i % 700 == 0 => Op::Reopen,
            19 if i % 300 == 0 => Op::CompactAll,
            19 => Op::TakeSnapshot,
            20 if i % 5 == 0 => Op::DropSnapshot(i as usize),
            21 => Op::ScanSnapshot(i as usize, i % 3 == 0),
            _ => Op::ReadSnapshot(i as usize, k),
        });
    }
    for strategy in 0..STRATEGIES.len() {
        for manual in [false, true] {
            run_sequence(ops.clone(), options(strategy, manual))?;
        }
    }
    Ok(())
}

fn recorded(options: Options) -> anyhow::Result<(Db, Arc<TraceRecorder>)> {
    let recorder = TraceRecorder::new();
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let db = Db::open_observed(storage, options, recorder.clone())?;
    Ok((db, recorder))
}

#[test]
fn a_range_delete_is_one_log_record_with_one_sequence_number() -> anyhow::Result<()> {
    let (db, recorder) = recorded(common::small_options())?;
    for i in 0..200 {
        db.put(common::key(i), b"v")?;
    }
    recorder.take();
    db.delete_range(common::key(0), common::key(200))?;
    let events = recorder.take();
    let appends: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::WalAppended { count, .. } => Some(*count),
            _ => None,
        })
        .collect();
    assert_eq!(appends, [1], "one log record of one operation");
    let deleted: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, Event::RangeDeleted { seq: 201, .. }))
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(db.scan::<&[u8]>(..)?.count(), 0);
    Ok(())
}

#[test]
fn a_put_after_a_range_delete_is_visible_and_older_versions_stay_hidden() -> anyhow::Result<()> {
    for strategy in 0..STRATEGIES.len() {
        let db = common::open(&MemStorage::new(), &options(strategy, true))?;
        for i in 0..100 {
            db.put(common::key(i), b"old")?;
        }
        db.flush()?;
        db.delete_range(common::key(10), common::key(90))?;
        db.put(common::key(50), b"new")?;
        db.flush()?;
        for _ in 0..3 {
            assert_eq!(db.get(common::key(50))?, Some(b"new".to_vec()));
            assert_eq!(db.get(common::key(49))?, None);
            assert_eq!(db.get(common::key(90))?, Some(b"old".to_vec()));
            assert_eq!(db.scan::<&[u8]>(..)?.count(), 21);
            db.compact_range::<&[u8]>(..)?;
        }
    }
    Ok(())
}

#[test]
fn full_compaction_without_snapshots_drops_the_range_and_its_tombstone() -> anyhow::Result<()> {
    let (db, recorder) = recorded(options(0, true))?;
    for i in 0..300 {
        db.put(common::key(i), [b'x'; 40])?;
    }
    db.flush()?;
    db.compact_range::<&[u8]>(..)?;
    db.delete_range(common::key(100), common::key(250))?;
    db.flush()?;
    recorder.take();
    db.compact_range::<&[u8]>(..)?;
    let events = recorder.take();
    let dropped_at_bottom = events.iter().any(|e| {
        matches!(
            e,
            Event::CompactionRangeTombstone {
                fate: strata_engine::event::EntryFate::TombstoneDroppedAtBottom,
                ..
            }
        )
    });
    assert!(dropped_at_bottom, "the tombstone is dropped at the bottom");
    let covered = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::CompactionEntry {
                    fate: strata_engine::event::EntryFate::CoveredByRangeTombstone,
                    ..
                }
            )
        })
        .count();
    assert_eq!(covered, 150, "every covered record is dropped");
    let entries: u64 = db.levels().iter().flatten().map(|t| t.entries).sum();
    assert_eq!(entries, 150);
    assert_eq!(db.scan::<&[u8]>(..)?.count(), 150);
    Ok(())
}

#[test]
fn a_snapshot_keeps_what_it_sees_through_compaction() -> anyhow::Result<()> {
    for strategy in 0..STRATEGIES.len() {
        let db = common::open(&MemStorage::new(), &options(strategy, true))?;
        for i in 0..50 {
            db.put(common::key(i), b"v")?;
        }
        let before = db.snapshot();
        db.delete_range(common::key(0), common::key(40))?;
        let after = db.snapshot();
        db.flush()?;
        db.compact_range::<&[u8]>(..)?;
        assert_eq!(before.scan::<&[u8]>(..)?.count(), 50);
        assert_eq!(after.scan::<&[u8]>(..)?.count(), 10);
        assert_eq!(before.get(common::key(5))?, Some(b"v".to_vec()));
        assert_eq!(after.get(common::key(5))?, None);
        drop(before);
        db.compact_range::<&[u8]>(..)?;
        assert_eq!(after.scan::<&[u8]>(..)?.rev().count(), 10);
        assert_eq!(db.get(common::key(45))?, Some(b"v".to_vec()));
    }
    Ok(())
}

#[test]
fn repair_keeps_range_tombstones_from_tables_and_logs() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let options = options(0, true);
    let mut model = Model::new();
    {
        let db = common::open(&storage, &options)?;
        for i in 0..200 {
            db.put(common::key(i), format!("v{i}"))?;
            model.insert(common::key(i), format!("v{i}").into_bytes());
        }
        db.flush()?;
        db.compact_range::<&[u8]>(..)?;
        // One range tombstone in a table, one only in the log.
        db.delete_range(common::key(20), common::key(60))?;
        remove_range(&mut model, &common::key(20), &common::key(60));
        db.flush()?;
        db.delete_range(common::key(100), common::key(150))?;
        remove_range(&mut model, &common::key(100), &common::key(150));
        db.put(common::key(120), "back")?;
        model.insert(common::key(120), b"back".to_vec());
        db.close()?;
    }
    storage.remove("CURRENT")?;
    let mut set_aside = |name: &str| storage.rename(name, &format!("lost/{name}"));
    strata_engine::repair(&storage, &options, &mut set_aside)?;
    let db = common::open(&storage, &options)?;
    let want: Vec<_> = model.into_iter().collect();
    assert_eq!(common::contents(&db)?, want);
    assert_eq!(db.get(common::key(30))?, None);
    assert_eq!(db.get(common::key(120))?, Some(b"back".to_vec()));
    db.check_invariants().map_err(anyhow::Error::msg)?;
    Ok(())
}

#[test]
fn a_fork_keeps_the_memtable_range_tombstones() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = common::open(&storage, &options(0, true))?;
    for i in 0..50 {
        db.put(common::key(i), "v")?;
    }
    db.flush()?;
    db.delete_range(common::key(10), common::key(30))?;
    let (fork, _) = db.fork(Arc::new(storage.snapshot()), &[])?;
    for d in [&db, &fork] {
        assert_eq!(d.get(common::key(15))?, None);
        assert_eq!(d.scan::<&[u8]>(..)?.count(), 30);
    }
    fork.flush()?;
    fork.compact_range::<&[u8]>(..)?;
    assert_eq!(fork.scan::<&[u8]>(..)?.rev().count(), 30);
    Ok(())
}

/// Bytes that do not compress.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = len as u64;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

#[test]
fn output_cuts_between_a_key_and_its_successor_keep_levels_disjoint() -> anyhow::Result<()> {
    // Keys k, k ++ [0], k ++ [0, 0], … are neighbours with nothing between
    // them: a cut after one puts the next table's first key exactly where
    // the clipped range tombstone of the previous table ends.
    let keys: Vec<Vec<u8>> = (0..12)
        .map(|n| [b"m".as_slice(), &vec![0u8; n]].concat())
        .collect();
    for strategy in 0..STRATEGIES.len() {
        let options = Options {
            target_file_size_bytes: 1024,
            ..options(strategy, true)
        };
        let db = common::open(&MemStorage::new(), &options)?;
        let mut model = Model::new();
        for (i, k) in keys.iter().enumerate() {
            let value = noise(900 + i);
            db.put(k, &value)?;
            model.insert(k.clone(), value);
        }
        db.flush()?;
        db.compact_range::<&[u8]>(..)?;
        let snapshot = db.snapshot();
        let before: Vec<_> = model.clone().into_iter().collect();
        db.delete_range(b"a", b"z")?;
        model.clear();
        for k in keys.iter().step_by(3) {
            db.put(k, b"new")?;
            model.insert(k.clone(), b"new".to_vec());
        }
        db.flush()?;
        db.compact_range::<&[u8]>(..)?;
        db.check_invariants().map_err(anyhow::Error::msg)?;
        let want: Vec<_> = model.clone().into_iter().collect();
        assert_eq!(common::contents(&db)?, want);
        let got: Vec<_> = snapshot.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
        assert_eq!(got, before, "the snapshot still sees every key");
        for k in &keys {
            assert_eq!(db.get(k)?, model.get(k).cloned());
        }
        if STRATEGIES.get(strategy) == Some(&strata_engine::CompactionStrategy::Leveled) {
            // Leveled outputs are cut (tiered ones are one table per run).
            let tables = db.levels().iter().map(Vec::len).sum::<usize>();
            assert!(tables > 3, "outputs were cut: {tables} tables");
        }
    }
    Ok(())
}

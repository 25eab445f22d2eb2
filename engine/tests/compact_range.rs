//! Full compaction (`Db::compact_range`): random puts, deletes, flushes,
//! maintenance steps, snapshots, reopens and range compactions under every
//! strategy and maintenance mode, with static and dynamic level targets, checked against a `BTreeMap`; after each
//! range compaction every table meeting the range must sit in the deepest
//! level, and a full-range compaction with no snapshot must leave exactly
//! one record per live key (no shadowed version, no tombstone). Also the
//! trace of a range compaction, a crash in the middle of one, and range
//! compactions racing a writer under background maintenance.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use common::{contents, crashed_copy, key, open, ModelDb, STRATEGIES};
use proptest::prelude::*;
use strata_engine::event::{CompactionTrigger, EntryFate};
use strata_engine::{CompactionStrategy, Db, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::{MemStorage, Storage};

fn options(strategy: CompactionStrategy, maintenance: MaintenanceMode) -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        level_base_bytes: 4 << 10,
        level_size_ratio: 3,
        target_file_size_bytes: 2 << 10,
        l0_compaction_trigger: 2,
        compaction_strategy: strategy,
        maintenance,
        ..Options::default()
    }
}

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u16),
    Delete(u8),
    Flush,
    Step,
    TakeSnapshot,
    DropSnapshot,
    CompactRange(Option<u8>, Option<u8>),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        4 => any::<u8>().prop_map(Op::Delete),
        1 => Just(Op::Flush),
        1 => Just(Op::Step),
        1 => Just(Op::TakeSnapshot),
        1 => Just(Op::DropSnapshot),
        2 => (prop::option::of(any::<u8>()), prop::option::of(any::<u8>()))
            .prop_map(|(a, b)| Op::CompactRange(a, b)),
        1 => Just(Op::Reopen),
    ]
}

fn user_key(k: u8) -> Vec<u8> {
    key(u64::from(k % 96))
}

fn value(k: u8, v: u16) -> Vec<u8> {
    let mut out = format!("v{k}-{v}-").into_bytes();
    out.resize(out.len() + usize::from(v % 61), b'a' + (v % 26) as u8);
    out
}

/// The range-compaction ops on top of the shared model harness.
trait RangeHarness {
    fn run(&mut self, op: Op) -> anyhow::Result<()>;
    fn compact_range(&mut self, a: Option<u8>, b: Option<u8>) -> anyhow::Result<()>;
}

impl RangeHarness for ModelDb {
    fn run(&mut self, op: Op) -> anyhow::Result<()> {
        match op {
            Op::Put(k, v) => self.put(user_key(k), value(k, v))?,
            Op::Delete(k) => self.delete(user_key(k))?,
            Op::Flush => self.db().flush()?,
            Op::Step => {
                self.db().maintenance_step()?;
            }
            Op::TakeSnapshot => self.take_snapshot(),
            Op::DropSnapshot => {
                self.snapshots.pop();
            }
            Op::CompactRange(a, b) => self.compact_range(a, b)?,
            Op::Reopen => self.reopen()?,
        }
        Ok(())
    }

    fn compact_range(&mut self, a: Option<u8>, b: Option<u8>) -> anyhow::Result<()> {
        let lo = a.map_or(Bound::Unbounded, |a| Bound::Included(user_key(a)));
        let hi = b.map_or(Bound::Unbounded, |b| Bound::Excluded(user_key(b)));
        self.db().compact_range((lo.clone(), hi.clone()))?;
        self.db().check_invariants().map_err(anyhow::Error::msg)?;
        let levels = self.db().levels();
        let deepest = levels.iter().rposition(|l| !l.is_empty());
        let meets = |smallest: &[u8], largest: &[u8]| {
            let above = match &lo {
                Bound::Included(s) => largest >= s.as_slice(),
                _ => true,
            };
            let below = match &hi {
                Bound::Excluded(e) => smallest < e.as_slice(),
                _ => true,
            };
            above && below
        };
        for (level, tables) in levels.iter().enumerate() {
            for t in tables {
                if meets(t.smallest_user_key(), t.largest_user_key()) {
                    assert_eq!(
                        Some(level),
                        deepest,
                        "table {} meets the range but is not in the deepest level",
                        t.file_number
                    );
                }
            }
        }
        if a.is_none() && b.is_none() && self.snapshots.is_empty() {
            let records: u64 = levels.iter().flatten().map(|t| t.entries).sum();
            assert_eq!(
                records,
                self.model.len() as u64,
                "a full compaction leaves one record per live key"
            );
        }
        self.check()
    }
}

fn run_ops(options: Options, ops: Vec<Op>) -> anyhow::Result<()> {
    let mut h = ModelDb::open(Arc::new(MemStorage::new()), options)?;
    for op in ops {
        h.run(op)?;
    }
    h.run(Op::CompactRange(None, None))?;
    h.check()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn range_compactions_keep_every_strategy_equal_to_the_model(
        ops in prop::collection::vec(op(), 1..300),
        strategy in 0usize..4,
        manual in any::<bool>(),
        dynamic in any::<bool>(),
    ) {
        let mode = if manual { MaintenanceMode::Manual } else { MaintenanceMode::Inline };
        let strategy = STRATEGIES.get(strategy).copied().unwrap_or_default();
        let options = Options {
            level_compaction_dynamic_level_bytes: dynamic,
            ..options(strategy, mode)
        };
        run_ops(options, ops).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

/// Fills a database over several levels, with overwrites and deletes.
fn filled(options: &Options) -> anyhow::Result<(MemStorage, Db)> {
    let storage = MemStorage::new();
    let db = open(&storage, options)?;
    for round in 0..6u64 {
        for i in 0..200u64 {
            db.put(key(i), format!("value-{round}-{i}"))?;
        }
        for i in (0..200u64).step_by(7) {
            db.delete(key(i + round))?;
        }
        db.flush()?;
    }
    Ok((storage, db))
}

#[test]
fn a_full_compaction_is_traced_as_manual_steps_that_drop_tombstones_at_the_bottom(
) -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        // Manual maintenance: nothing compacts before the full compaction,
        // so the tombstones are still there for it to drop.
        let options = options(strategy, MaintenanceMode::Manual);
        let (_storage, db) = filled(&options)?;
        let before = contents(&db)?;
        let recorder = TraceRecorder::new();
        db.set_observer(Some(recorder.clone()));
        let ran = db.compact_range::<&[u8]>(..)?;
        let events = recorder.take();
        assert_eq!(contents(&db)?, before, "{strategy:?}");
        let Some(Event::CompactRangeStarted { target_level, .. }) = events.first() else {
            panic!("{strategy:?}: the trace starts with CompactRangeStarted");
        };
        assert!(
            matches!(events.last(), Some(Event::CompactRangeFinished { compactions }) if *compactions == ran),
            "{strategy:?}: the trace ends with CompactRangeFinished"
        );
        let picked: Vec<&CompactionTrigger> = events
            .iter()
            .filter_map(|e| match e {
                Event::CompactionPicked { trigger, .. } => Some(trigger),
                _ => None,
            })
            .collect();
        assert_eq!(picked.len() as u32, ran, "{strategy:?}");
        assert!(picked.iter().all(|t| matches!(
            t,
            CompactionTrigger::Manual { target_level: l } if l == target_level
        )));
        let dropped = events.iter().any(|e| {
            matches!(
                e,
                Event::CompactionEntry {
                    fate: EntryFate::TombstoneDroppedAtBottom,
                    ..
                }
            )
        });
        assert!(
            dropped,
            "{strategy:?}: tombstones are dropped at the bottom"
        );
        let levels = db.levels();
        let records: u64 = levels.iter().flatten().map(|t| t.entries).sum();
        assert_eq!(records, before.len() as u64, "{strategy:?}");
        let occupied: Vec<usize> = (0..levels.len())
            .filter(|&l| levels.get(l).is_some_and(|t| !t.is_empty()))
            .collect();
        assert_eq!(occupied, vec![*target_level as usize], "{strategy:?}");
        // A second full compaction cannot know the deepest level is clean:
        // it rewrites it once more, in place, and changes nothing.
        assert_eq!(db.compact_range::<&[u8]>(..)?, 1, "{strategy:?}");
        assert_eq!(contents(&db)?, before, "{strategy:?}");
        let again: u64 = db.levels().iter().flatten().map(|t| t.entries).sum();
        assert_eq!(again, records, "{strategy:?}");
    }
    Ok(())
}

fn level0(db: &Db) -> Vec<strata_engine::table_meta::TableMeta> {
    db.levels().into_iter().next().unwrap_or_default()
}

#[test]
fn a_range_compaction_leaves_tables_outside_the_range_where_they_were() -> anyhow::Result<()> {
    let options = options(CompactionStrategy::Leveled, MaintenanceMode::Manual);
    let storage = MemStorage::new();
    let db = open(&storage, &options)?;
    for i in 0..300u64 {
        db.put(key(i), format!("old-{i}"))?;
    }
    db.compact_range::<&[u8]>(..)?;
    for i in 200..300u64 {
        db.put(key(i), format!("new-{i}"))?;
    }
    db.flush()?;
    let upper_before: Vec<u64> = level0(&db).iter().map(|t| t.file_number).collect();
    assert!(!upper_before.is_empty());
    db.compact_range(key(0)..key(100))?;
    let upper_after: Vec<u64> = level0(&db).iter().map(|t| t.file_number).collect();
    assert_eq!(upper_before, upper_after, "L0 tables outside 0..100 stay");
    let (meeting, apart): (Vec<_>, Vec<_>) = level0(&db).iter().cloned().partition(|t| {
        t.smallest_user_key() <= key(260).as_slice() && t.largest_user_key() >= key(250).as_slice()
    });
    assert!(!meeting.is_empty());
    db.compact_range(key(250)..=key(260))?;
    let upper: Vec<u64> = level0(&db).iter().map(|t| t.file_number).collect();
    let apart: Vec<u64> = apart.iter().map(|t| t.file_number).collect();
    assert_eq!(
        upper, apart,
        "only the L0 tables meeting 250..=260 went down"
    );
    assert_eq!(db.get(key(255))?, Some(b"new-255".to_vec()));
    assert_eq!(db.get(key(5))?, Some(b"old-5".to_vec()));
    Ok(())
}

#[test]
fn a_crash_during_a_full_compaction_loses_nothing_synced() -> anyhow::Result<()> {
    let options = options(CompactionStrategy::Hybrid, MaintenanceMode::Inline);
    let (storage, db) = filled(&options)?;
    let want = contents(&db)?;
    /// Takes a crashed copy of the storage at every compaction event.
    struct Crasher {
        storage: MemStorage,
        copies: std::sync::Mutex<Vec<MemStorage>>,
    }
    impl strata_engine::Observer for Crasher {
        fn on_event(&self, event: &Event) {
            if matches!(
                event,
                Event::CompactionPicked { .. } | Event::CompactionFinished { .. }
            ) {
                let copy = crashed_copy(&self.storage);
                self.copies.lock().expect("lock").push(copy);
            }
        }
    }
    let crasher = Arc::new(Crasher {
        storage: storage.clone(),
        copies: std::sync::Mutex::new(Vec::new()),
    });
    db.set_observer(Some(crasher.clone() as Arc<dyn strata_engine::Observer>));
    db.compact_range::<&[u8]>(..)?;
    let copies = std::mem::take(&mut *crasher.copies.lock().expect("lock"));
    assert!(copies.len() >= 2);
    for copy in copies {
        let reopened = Db::open(Arc::new(copy) as Arc<dyn Storage>, options.clone())?;
        reopened.check_invariants().map_err(anyhow::Error::msg)?;
        assert_eq!(contents(&reopened)?, want);
    }
    Ok(())
}

#[test]
fn a_full_compaction_under_background_maintenance_waits_for_the_driver_and_keeps_every_write(
) -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        let options = options(strategy, MaintenanceMode::Background);
        let storage = MemStorage::new();
        let db = Arc::new(open(&storage, &options)?);
        let writer = {
            let db = Arc::clone(&db);
            std::thread::spawn(move || -> anyhow::Result<()> {
                for i in 0..3000u64 {
                    db.put(key(i % 500), format!("late-{i}"))?;
                }
                Ok(())
            })
        };
        for i in 0..2000u64 {
            db.put(key(i % 400), format!("early-{i}"))?;
            if i % 500 == 0 {
                db.compact_range(key(100)..key(300))?;
            }
        }
        writer.join().expect("writer thread")?;
        db.compact_range::<&[u8]>(..)?;
        db.check_invariants().map_err(anyhow::Error::msg)?;
        let got: BTreeMap<Vec<u8>, Vec<u8>> = contents(&db)?.into_iter().collect();
        assert_eq!(got.len(), 500, "{strategy:?}");
        // Two writers raced on keys 0..400: either may have written last.
        for (k, v) in &got {
            assert!(v.starts_with(b"late-") || v.starts_with(b"early-"), "{k:?}");
        }
        assert_eq!(
            db.get(key(499))?,
            Some(b"late-2999".to_vec()),
            "{strategy:?}: only the writer wrote key 499"
        );
    }
    Ok(())
}

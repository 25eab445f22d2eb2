//! Time to live: a key is visible while its last put is younger than
//! `ttl_ms` by the caller's time, checked against a `BTreeMap` of values
//! and write times under every strategy, across restarts and compactions;
//! compaction drops expired records with the reason `expired` while a
//! snapshot keeps what it saw; a database keeps the value format it was
//! created with; the time is part of the trace.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{contents, key, open, small_options, ModelDb, STRATEGIES};
use strata_engine::compaction::filter::{
    CompactionFilter, FilterDecision, FilterOutcome, FilterReason, FilterSlot,
};
use strata_engine::event::{GetOutcome, ScanDecision};
use strata_engine::trace::{replay, OpOutcome, TraceOp, TraceRunner};
use strata_engine::{CompactionStrategy, Db, Error, Event, Options, Snapshot, TraceRecorder};
use strata_storage::{MemStorage, Storage};

const TTL_MS: u64 = 1000;

fn ttl_options(strategy: CompactionStrategy) -> Options {
    Options {
        compaction_strategy: strategy,
        l0_compaction_trigger: 2,
        level_base_bytes: 4 << 10,
        target_file_size_bytes: 2 << 10,
        ttl_ms: Some(TTL_MS),
        ..small_options()
    }
}

/// Keys and values in key order, as a scan returns them.
type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Values and write times; what a read at `now_ms` sees.
#[derive(Clone, Default)]
struct TimedModel {
    records: BTreeMap<Vec<u8>, (Vec<u8>, u64)>,
}

impl TimedModel {
    fn visible(&self, now_ms: u64) -> Entries {
        self.records
            .iter()
            .filter(|(_, (_, written))| now_ms.saturating_sub(*written) < TTL_MS)
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }
}

/// A step of the pseudo-random workload.
fn next(x: &mut u64) -> u64 {
    *x = x
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *x >> 33
}

fn check(db: &Db, model: &TimedModel, now_ms: u64, what: &str) -> anyhow::Result<()> {
    let want = model.visible(now_ms);
    assert_eq!(contents(db)?, want, "{what}: forward scan at {now_ms} ms");
    let mut backwards: Vec<_> = db.scan::<&[u8]>(..)?.rev().collect::<Result<_, _>>()?;
    backwards.reverse();
    assert_eq!(backwards, want, "{what}: backward scan at {now_ms} ms");
    Ok(())
}

/// Each snapshot still reads what the model showed when it was taken.
fn check_snapshots(snapshots: &[(Snapshot, Entries)], what: &str) -> anyhow::Result<()> {
    for (snapshot, seen) in snapshots {
        let got: Vec<_> = snapshot.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
        assert_eq!(&got, seen, "{what}: a snapshot's view changed");
    }
    Ok(())
}

#[test]
fn reads_see_exactly_the_keys_written_less_than_a_ttl_ago_under_every_strategy(
) -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
        let mut db = ModelDb::open(storage, ttl_options(strategy))?;
        let mut model = TimedModel::default();
        let mut snapshots: Vec<(Snapshot, Entries)> = Vec::new();
        let (mut now_ms, mut x) = (0u64, 7u64);
        for i in 0..3000u64 {
            let k = key(next(&mut x) % 150);
            match next(&mut x) % 100 {
                0..=59 => {
                    let v = format!("v{i}").into_bytes();
                    db.put(k.clone(), v.clone())?;
                    model.records.insert(k, (v, now_ms));
                }
                60..=69 => {
                    db.delete(k.clone())?;
                    model.records.remove(&k);
                }
                70..=84 => {
                    now_ms += next(&mut x) % 120;
                    db.db().set_time(now_ms)?;
                }
                85..=94 => {
                    let want = model.visible(now_ms).into_iter().find(|(mk, _)| *mk == k);
                    assert_eq!(
                        db.db().get(&k)?,
                        want.map(|(_, v)| v),
                        "{strategy:?}: get {k:?} at {now_ms} ms"
                    );
                }
                95 => {
                    snapshots.push((db.db().snapshot(), model.visible(now_ms)));
                    if snapshots.len() > 3 {
                        snapshots.remove(0);
                    }
                }
                96 => {
                    db.db().compact_range::<&[u8]>(..)?;
                }
                97 => {
                    snapshots.clear();
                    db.reopen()?;
                    // The time starts at 0 in a new process: the caller
                    // sets it again.
                    db.db().set_time(now_ms)?;
                }
                _ => {
                    check(db.db(), &model, now_ms, &format!("{strategy:?} op {i}"))?;
                    check_snapshots(&snapshots, &format!("{strategy:?} op {i}"))?;
                }
            }
        }
        check(db.db(), &model, now_ms, &format!("{strategy:?} at the end"))?;
        check_snapshots(&snapshots, &format!("{strategy:?} at the end"))?;
        snapshots.clear();
        // Past every TTL and fully compacted, nothing is left on storage.
        now_ms += TTL_MS;
        db.db().set_time(now_ms)?;
        db.db().compact_range::<&[u8]>(..)?;
        check(
            db.db(),
            &model,
            now_ms,
            &format!("{strategy:?} all expired"),
        )?;
        let entries: u64 = db.db().levels().iter().flatten().map(|t| t.entries).sum();
        assert_eq!(entries, 0, "{strategy:?}: expired records left on storage");
        db.db().check_invariants().map_err(anyhow::Error::msg)?;
    }
    Ok(())
}

#[test]
fn write_times_survive_a_restart_and_a_compaction() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let options = ttl_options(CompactionStrategy::Leveled);
    let db = open(&storage, &options)?;
    db.set_time(100)?;
    db.put("a", "old")?;
    db.put("b", "old")?;
    db.flush()?;
    db.set_time(600)?;
    db.put("c", "young")?;
    // "c" is still only in the log when the database closes.
    db.close()?;

    let db = open(&storage, &options)?;
    assert_eq!(db.time_ms(), 0, "the time is the caller's, not stored");
    db.set_time(1099)?;
    assert_eq!(db.get("a")?, Some(b"old".to_vec()), "younger than the TTL");
    db.set_time(1100)?;
    assert_eq!(db.get("a")?, None, "written 1000 ms ago");
    assert_eq!(db.get("c")?, Some(b"young".to_vec()));
    db.compact_range::<&[u8]>(..)?;
    db.close()?;

    let db = open(&storage, &options)?;
    db.set_time(1599)?;
    assert_eq!(contents(&db)?, vec![(b"c".to_vec(), b"young".to_vec())]);
    db.set_time(1600)?;
    assert_eq!(db.get("c")?, None, "its write time survived the compaction");
    Ok(())
}

#[test]
fn a_database_opens_only_with_the_value_format_it_was_created_with() -> anyhow::Result<()> {
    let timed = MemStorage::new();
    let options = ttl_options(CompactionStrategy::Leveled);
    let db = open(&timed, &options)?;
    db.put("k", "v")?;
    db.flush()?;
    db.close()?;
    // Reopened twice: each open writes a new manifest, which must keep
    // the format.
    open(&timed, &options)?.close()?;
    let plain = Options {
        ttl_ms: None,
        ..options.clone()
    };
    let refused = open(&timed, &plain).err().map(|e| e.to_string());
    assert!(
        refused
            .as_deref()
            .is_some_and(|m| m.contains("created with ttl_ms set")),
        "{refused:?}"
    );
    // Another TTL is fine: write times are stored, not deadlines.
    let longer = Options {
        ttl_ms: Some(5 * TTL_MS),
        ..options.clone()
    };
    let db = open(&timed, &longer)?;
    db.set_time(4999)?;
    assert_eq!(db.get("k")?, Some(b"v".to_vec()));
    db.close()?;

    let untimed = MemStorage::new();
    let db = open(&untimed, &plain)?;
    db.put("k", "v")?;
    db.close()?;
    let refused = open(&untimed, &options)
        .err()
        .and_then(|e| e.downcast::<Error>().ok());
    assert!(
        matches!(&refused, Some(Error::InvalidOptions(m)) if m.contains("without ttl_ms")),
        "{refused:?}"
    );
    Ok(())
}

fn filtered(events: &[Event]) -> Vec<(Vec<u8>, FilterOutcome, FilterReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::CompactionFiltered {
                key,
                outcome,
                reason,
                ..
            } => Some((key.clone(), *outcome, *reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn compaction_drops_expired_records_as_expired_and_a_snapshot_keeps_its_view() -> anyhow::Result<()>
{
    let db = open(
        &MemStorage::new(),
        &ttl_options(CompactionStrategy::Leveled),
    )?;
    db.put("x", "1")?;
    db.put("y", "2")?;
    let snapshot = db.snapshot();
    db.put("z", "3")?;
    db.set_time(2 * TTL_MS)?;
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    assert_eq!(db.get("x")?, None);
    let outcome = recorder.take().into_iter().find_map(|e| match e {
        Event::GetFinished { outcome, .. } => Some(outcome),
        _ => None,
    });
    assert_eq!(outcome, Some(GetOutcome::Expired));
    db.compact_range::<&[u8]>(..)?;
    // Only "z" is newer than the snapshot; under a snapshot a removed
    // record becomes a tombstone.
    assert_eq!(
        filtered(&recorder.take()),
        vec![(
            b"z".to_vec(),
            FilterOutcome::Tombstoned,
            FilterReason::Expired
        )]
    );
    let seen: Vec<_> = snapshot.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
    assert_eq!(
        seen,
        vec![
            (b"x".to_vec(), b"1".to_vec()),
            (b"y".to_vec(), b"2".to_vec())
        ],
        "the snapshot reads at its own time"
    );
    assert_eq!(contents(&db)?, vec![]);
    drop(snapshot);
    db.compact_range::<&[u8]>(..)?;
    assert_eq!(
        filtered(&recorder.take()),
        vec![
            (b"x".to_vec(), FilterOutcome::Dropped, FilterReason::Expired),
            (b"y".to_vec(), FilterOutcome::Dropped, FilterReason::Expired),
        ]
    );
    let entries: u64 = db.levels().iter().flatten().map(|t| t.entries).sum();
    assert_eq!(entries, 0);
    Ok(())
}

#[test]
fn an_expired_newest_version_hides_the_older_ones_in_gets_and_scans() -> anyhow::Result<()> {
    let db = open(
        &MemStorage::new(),
        &ttl_options(CompactionStrategy::Leveled),
    )?;
    db.put("k", "old")?;
    db.flush()?;
    db.set_time(500)?;
    db.put("k", "new")?;
    db.set_time(1500)?;
    // "old" expired at 1000, "new" lives until 1500: both gone now.
    assert_eq!(db.get("k")?, None);
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    assert_eq!(contents(&db)?, vec![]);
    let decisions: Vec<ScanDecision> = recorder
        .take()
        .into_iter()
        .filter_map(|e| match e {
            Event::ScanStep { decision, .. } => Some(decision),
            _ => None,
        })
        .collect();
    assert_eq!(
        decisions,
        vec![ScanDecision::Expired, ScanDecision::Shadowed]
    );
    Ok(())
}

/// Upper-cases every value.
struct Upper;

impl CompactionFilter for Upper {
    fn name(&self) -> &str {
        "upper"
    }
    fn filter(&self, _level: u32, _key: &[u8], value: &[u8]) -> FilterDecision {
        FilterDecision::ChangeValue(value.to_ascii_uppercase())
    }
}

#[test]
fn a_callers_filter_sees_values_without_write_times_and_keeps_them() -> anyhow::Result<()> {
    let options = Options {
        compaction_filter: FilterSlot::new(Arc::new(Upper)),
        ..ttl_options(CompactionStrategy::Leveled)
    };
    let db = open(&MemStorage::new(), &options)?;
    db.set_time(100)?;
    db.put("k", "value")?;
    db.compact_range::<&[u8]>(..)?;
    assert_eq!(db.get("k")?, Some(b"VALUE".to_vec()));
    db.set_time(1100)?;
    assert_eq!(db.get("k")?, None, "the changed value kept its write time");
    Ok(())
}

#[test]
fn time_only_moves_forward_and_is_part_of_the_trace() -> anyhow::Result<()> {
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let mut runner = TraceRunner::open(storage, ttl_options(CompactionStrategy::Leveled))?;
    runner.apply(TraceOp::SetTime { now_ms: 300 });
    runner.apply(TraceOp::Put {
        key: b"k".to_vec(),
        value: b"v".to_vec(),
    });
    runner.apply(TraceOp::AdvanceTime { by_ms: 999 });
    let found = runner.apply(TraceOp::Get {
        key: b"k".to_vec(),
        snapshot: None,
    });
    assert_eq!(
        found.outcome,
        OpOutcome::Value {
            value: Some(b"v".to_vec())
        }
    );
    let step = runner.apply(TraceOp::AdvanceTime { by_ms: 1 });
    assert_eq!(
        step.events,
        vec![Event::TimeSet {
            now_ms: 1300,
            ttl_ms: Some(TTL_MS)
        }]
    );
    let gone = runner.apply(TraceOp::Get {
        key: b"k".to_vec(),
        snapshot: None,
    });
    assert_eq!(gone.outcome, OpOutcome::Value { value: None });
    let back = runner.apply(TraceOp::SetTime { now_ms: 5 });
    assert!(
        matches!(&back.outcome, OpOutcome::Failed { message } if message.contains("cannot go back")),
        "{:?}",
        back.outcome
    );
    let trace = runner.finish();
    assert_eq!(replay(&trace)?, trace, "the trace replays to itself");
    Ok(())
}

#[test]
fn the_user_bytes_written_leave_out_the_write_times() -> anyhow::Result<()> {
    for ttl_ms in [None, Some(TTL_MS)] {
        let options = Options {
            ttl_ms,
            ..ttl_options(CompactionStrategy::Leveled)
        };
        let db = open(&MemStorage::new(), &options)?;
        db.put("key", "value")?;
        db.delete("key")?;
        assert_eq!(db.stats().user_bytes_written, 3 + 5 + 3, "ttl {ttl_ms:?}");
    }
    Ok(())
}

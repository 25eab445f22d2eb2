//! What the database does when storage fails: the first failed write,
//! sync, manifest append, table write or directory sync stops every later
//! write with `Error::WritesStopped` until the database is reopened, no
//! failure panics, and a crash after the failure still recovers every
//! acknowledged synced write as a prefix of the history.
//!
//! Besides one test per failure point, a sweep fails the n-th call of each
//! kind of storage operation, for every n a workload reaches, on a
//! database that is opened (recovered) and then written, flushed and
//! compacted.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strata_engine::{Db, Error, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{CrashMode, FaultRule, FaultStorage, MemStorage, Op, Trigger};

type Contents = BTreeMap<Vec<u8>, Vec<u8>>;
const SYNC: WriteOptions = WriteOptions { sync: true };

fn options() -> Options {
    Options {
        memtable_bytes_max: 1024,
        block_size_bytes: 256,
        l0_compaction_trigger: 2,
        level_base_bytes: 4096,
        target_file_size_bytes: 1024,
        ..Options::deterministic()
    }
}

fn key(i: usize) -> Vec<u8> {
    format!("key{i:04}").into_bytes()
}

fn value(i: usize) -> Vec<u8> {
    format!("value {i} {}", "v".repeat(40)).into_bytes()
}

fn faulty(base: &MemStorage, seed: u64) -> FaultStorage {
    FaultStorage::new(Arc::new(base.clone()), seed).unwrap()
}

fn contents(db: &Db) -> Contents {
    db.scan::<&[u8]>(..)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn is_stopped(result: Result<(), Error>) -> bool {
    matches!(result, Err(Error::WritesStopped(_)))
}

/// A database with `n` synced keys on a fault storage.
fn db_with_keys(n: usize, seed: u64) -> (FaultStorage, Db) {
    let fault = faulty(&MemStorage::new(), seed);
    let db = Db::open(Arc::new(fault.clone()), options()).unwrap();
    for i in 0..n {
        db.write_opt(WriteBatch::new().put(key(i), value(i)), SYNC)
            .unwrap();
    }
    (fault, db)
}

/// After a crash of `fault` now, the database holds keys `0..n` for some
/// `n >= synced`, with their values.
fn assert_recovers_prefix(fault: &FaultStorage, synced: usize) {
    let image = fault.crash_image(CrashMode::Prefix).unwrap();
    let db = Db::open(Arc::new(image), options()).unwrap();
    let got = contents(&db);
    assert!(got.len() >= synced, "{} of {synced} synced keys", got.len());
    for (i, (k, v)) in got.iter().enumerate() {
        assert_eq!((k, v), (&key(i), &value(i)), "hole at key {i}");
    }
    db.check_invariants().unwrap();
}

/// Fails the first matching call after 50 synced keys, then checks that
/// the next write fails, every later one is refused, reads still work, and
/// a crash recovers every acknowledged key.
fn failure_stops_writes(rule: FaultRule, trigger_flush: bool) {
    let (fault, db) = db_with_keys(50, 7);
    fault.fail(rule.clone());
    let mut acked = 50;
    let mut first_error = None;
    for i in 50..400 {
        let result = if trigger_flush && i == 50 {
            db.flush()
        } else {
            db.write_opt(WriteBatch::new().put(key(i), value(i)), SYNC)
        };
        match result {
            Ok(()) if first_error.is_none() => acked = i + 1,
            Ok(()) => panic!("{rule:?}: a write succeeded after {first_error:?}"),
            Err(e) if first_error.is_none() => {
                assert!(matches!(e, Error::Io { .. }), "{rule:?}: first error {e}");
                first_error = Some(e);
            }
            Err(e) => assert!(matches!(e, Error::WritesStopped(_)), "{rule:?}: {e}"),
        }
    }
    assert!(first_error.is_some(), "{rule:?} never fired");
    assert!(is_stopped(db.flush()), "{rule:?}: flush after the failure");
    assert!(db.maintenance_step().is_err() || db.compact().is_err());
    assert_eq!(
        db.get(key(0)).unwrap(),
        Some(value(0)),
        "reads keep working"
    );
    assert_recovers_prefix(&fault, acked);
}

#[test]
fn failed_wal_append_stops_writes() {
    failure_stops_writes(
        FaultRule::new(Op::Append, Trigger::Nth(1)).on_files(".log"),
        false,
    );
}

#[test]
fn failed_wal_sync_stops_writes() {
    failure_stops_writes(
        FaultRule::new(Op::Sync, Trigger::Nth(1)).on_files(".log"),
        false,
    );
}

#[test]
fn failed_manifest_append_stops_writes() {
    let rule = FaultRule::new(Op::Append, Trigger::Nth(1)).on_files("MANIFEST");
    failure_stops_writes(rule, true);
}

#[test]
fn failed_manifest_sync_stops_writes() {
    let rule = FaultRule::new(Op::Sync, Trigger::Nth(1)).on_files("MANIFEST");
    failure_stops_writes(rule, true);
}

#[test]
fn failed_table_write_during_flush_stops_writes() {
    let rule = FaultRule::new(Op::Append, Trigger::Nth(2)).on_files(".sst");
    failure_stops_writes(rule, true);
}

#[test]
fn failed_table_sync_stops_writes() {
    failure_stops_writes(
        FaultRule::new(Op::Sync, Trigger::Nth(1)).on_files(".sst"),
        true,
    );
}

#[test]
fn failed_table_write_during_compaction_stops_writes() {
    // Manual maintenance: the flushes get through, then the compaction
    // they make due fails on its first table write.
    let fault = faulty(&MemStorage::new(), 8);
    let opts = Options {
        maintenance: MaintenanceMode::Manual,
        ..options()
    };
    let mut failed = None;
    let db = Db::open(Arc::new(fault.clone()), opts).unwrap();
    // Three overlapping tables: the compaction must merge, not move.
    for _ in 0..3 {
        for i in 0..30 {
            db.write_opt(WriteBatch::new().put(key(i), value(i)), SYNC)
                .unwrap();
        }
        db.flush().unwrap();
    }
    fault.fail(FaultRule::new(Op::Append, Trigger::Nth(1)).on_files(".sst"));
    while failed.is_none() {
        match db.maintenance_step() {
            Ok(Some(_)) => {}
            Ok(None) => panic!("no compaction was due"),
            Err(e) => failed = Some(e),
        }
    }
    assert!(matches!(failed, Some(Error::Io { .. })), "{failed:?}");
    assert!(is_stopped(db.put(b"x", b"y")));
    assert_recovers_prefix(&fault, 30);
}

#[test]
fn failed_directory_sync_stops_writes() {
    failure_stops_writes(FaultRule::new(Op::SyncDir, Trigger::Nth(1)), true);
}

#[test]
fn failed_log_creation_stops_writes() {
    failure_stops_writes(
        FaultRule::new(Op::Create, Trigger::Nth(1)).on_files(".log"),
        true,
    );
}

#[test]
fn background_failure_stops_waiting_writers() {
    let fault = faulty(&MemStorage::new(), 9);
    let opts = Options {
        maintenance: MaintenanceMode::Background,
        ..options()
    };
    let db = Db::open(Arc::new(fault.clone()), opts).unwrap();
    fault.fail(FaultRule::new(Op::Append, Trigger::From(1)).on_files(".sst"));
    let started = Instant::now();
    let mut stopped = false;
    for i in 0..100_000 {
        match db.put(key(i % 5000), value(i)) {
            Ok(()) => {}
            Err(Error::WritesStopped(_)) => {
                stopped = true;
                break;
            }
            Err(e) => panic!("unexpected {e}"),
        }
        assert!(started.elapsed() < Duration::from_secs(20), "writers hang");
    }
    assert!(stopped, "the background failure never stopped writes");
}

/// One run of the sweep: open an existing database on a storage that
/// fails as `rule` says, write, flush and compact; returns whether the
/// rule fired.
fn sweep_run(base: &MemStorage, base_keys: usize, rule: FaultRule, seed: u64) -> bool {
    let fault = faulty(base, seed);
    fault.fail(rule.clone());
    let mut acked = base_keys;
    if let Ok(db) = Db::open(Arc::new(fault.clone()), options()) {
        let mut failed = false;
        let mut next_key = base_keys;
        for step in 0..120 {
            let result = match step % 40 {
                0 => db.flush(),
                20 => db.compact(),
                _ => {
                    next_key += 1;
                    let i = next_key - 1;
                    db.write_opt(WriteBatch::new().put(key(i), value(i)), SYNC)
                }
            };
            match result {
                Ok(()) if failed => panic!("{rule:?}: step {step} succeeded after a failure"),
                Ok(()) => acked = next_key,
                Err(Error::WritesStopped(_)) if failed => {}
                // Maintenance an acknowledged write triggered failed: that
                // write was `Ok`, this one is the first refused.
                Err(Error::WritesStopped(_)) if db.maintenance_error().is_some() => failed = true,
                Err(e) => {
                    assert!(!failed, "{rule:?}: {e} after a failure");
                    assert!(matches!(e, Error::Io { .. }), "{rule:?}: {e}");
                    failed = true;
                }
            }
        }
    }
    let fired = fault.injected_faults() > 0;
    assert_recovers_prefix(&fault, acked);
    fired
}

#[test]
fn failing_each_storage_call_in_turn_never_loses_a_synced_write() {
    let base = MemStorage::new();
    let base_keys = 30;
    {
        let db = Db::open(Arc::new(base.clone()), options()).unwrap();
        for i in 0..base_keys {
            db.write_opt(WriteBatch::new().put(key(i), value(i)), SYNC)
                .unwrap();
        }
    }
    let base = {
        let copy = base.snapshot();
        copy.crash();
        copy
    };
    let mut runs = 0;
    for op in [
        Op::Create,
        Op::OpenAppend,
        Op::Open,
        Op::Read,
        Op::Stat,
        Op::Truncate,
        Op::Rename,
        Op::Remove,
        Op::List,
        Op::SyncDir,
        Op::Append,
        Op::Sync,
    ] {
        for n in 1.. {
            runs += 1;
            if !sweep_run(&base, base_keys, FaultRule::new(op, Trigger::Nth(n)), n) {
                break;
            }
        }
    }
    println!("{runs} runs, each failing one storage call");
}

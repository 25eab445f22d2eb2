//! Log switches: a freeze syncs the old log before the new one takes a
//! record, so a crash keeps every log but the last whole (damage in one is
//! `Corruption`: `frozen_log_damage.rs`).

mod common;

use common::{contents, crashed_copy, fill_until_frozen, key, open};
use strata_engine::{Db, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{MemStorage, Storage};

/// Manual maintenance: a frozen memtable waits, with its log, until a
/// writer needs the slot again.
fn options() -> Options {
    Options {
        memtable_bytes_max: 1024,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    }
}

fn logs(storage: &MemStorage) -> anyhow::Result<Vec<String>> {
    let mut names: Vec<String> = storage
        .list()?
        .into_iter()
        .filter(|n| n.ends_with(".log"))
        .collect();
    names.sort();
    Ok(names)
}

fn keys_present(db: &Db) -> anyhow::Result<Vec<Vec<u8>>> {
    Ok(contents(db)?.into_iter().map(|(k, _)| k).collect())
}

#[test]
fn a_freeze_syncs_the_old_log_so_a_crash_keeps_it_whole() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    db.put(key(frozen), "in the new log, unsynced")?;
    // A power cut: only synced bytes survive. Nothing was synced by a
    // write, yet the frozen memtable's log is whole.
    let crashed = crashed_copy(&storage);
    std::mem::forget(db);
    // (The new log's name was not synced yet: it may be gone.)
    assert!(!logs(&crashed)?.is_empty());
    let db = open(&crashed, &options())?;
    // The last put of `fill_until_frozen` went to the new log.
    let expected: Vec<Vec<u8>> = (0..frozen - 1).map(key).collect();
    assert_eq!(keys_present(&db)?, expected, "every record of the old log");
    Ok(())
}

#[test]
fn a_synced_write_after_a_freeze_makes_the_old_log_durable() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    let mut batch = WriteBatch::new();
    batch.put(key(frozen), "synced");
    db.write_opt(&batch, WriteOptions { sync: true })?;
    let crashed = crashed_copy(&storage);
    std::mem::forget(db);
    let db = open(&crashed, &options())?;
    let expected: Vec<Vec<u8>> = (0..=frozen).map(key).collect();
    assert_eq!(keys_present(&db)?, expected);
    Ok(())
}

#[test]
fn unsynced_writes_after_a_freeze_are_lost_only_as_a_suffix() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    db.put(key(frozen), "unsynced")?;
    let crashed = crashed_copy(&storage);
    std::mem::forget(db);
    let db = open(&crashed, &options())?;
    let present = keys_present(&db)?;
    let expected: Vec<Vec<u8>> = (0..present.len() as u64).map(key).collect();
    assert_eq!(present, expected, "a prefix of the puts");
    Ok(())
}

#[test]
fn close_after_a_freeze_survives_a_power_cut() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    db.put(key(frozen), "last")?;
    db.close()?;
    let db = open(&crashed_copy(&storage), &options())?;
    let expected: Vec<Vec<u8>> = (0..=frozen).map(key).collect();
    assert_eq!(keys_present(&db)?, expected);
    Ok(())
}

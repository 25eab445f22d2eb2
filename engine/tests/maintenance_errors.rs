//! Maintenance failures and the calls around them. Two bugs: with
//! `Inline` maintenance, `Db::open` ran every due compaction before
//! returning, so one damaged table made the database unopenable even for
//! reads ("block checksum mismatch" from ten overlapping L0 tables with one
//! bad byte in the oldest); and a `put` returned the `Err` of the
//! maintenance it triggered *after* its record was applied and synced, so
//! a caller could not tell "not written" from "written; maintenance
//! failed". Open now never waits for compactions; a write's result is
//! about that write, and a maintenance failure stops later writes with
//! `WritesStopped` and is reported by `Db::maintenance_error`.

mod common;

use common::{key, open};
use strata_engine::{Error, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{MemStorage, Storage};

const SYNC: WriteOptions = WriteOptions { sync: true };

/// Ten overlapping L0 tables (every one holds keys 0..50), the oldest with
/// a damaged data block. Returns the storage and the oldest table's name.
fn ten_tables_oldest_damaged() -> anyhow::Result<MemStorage> {
    let storage = MemStorage::new();
    let manual = Options {
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    };
    let db = open(&storage, &manual)?;
    for round in 0..10 {
        for i in 0..50 {
            db.put(key(i), format!("round {round} key {i}"))?;
        }
        db.put(format!("only{round}"), "here")?;
        db.flush()?;
    }
    db.close()?;
    let mut tables: Vec<(u64, String)> = storage
        .list()?
        .into_iter()
        .filter_map(|n| Some((n.strip_suffix(".sst")?.parse().ok()?, n)))
        .collect();
    tables.sort();
    anyhow::ensure!(tables.len() == 10, "{tables:?}");
    let oldest = tables.first().map(|(_, n)| n.clone()).unwrap_or_default();
    let mut bytes = strata_storage::read_all(&storage, &oldest)?;
    if let Some(b) = bytes.get_mut(20) {
        *b ^= 0x01;
    }
    let mut file = storage.create(&oldest)?;
    file.append(&bytes)?;
    file.sync()?;
    Ok(storage)
}

#[test]
fn open_succeeds_for_reads_with_a_damaged_table_and_compactions_due() -> anyhow::Result<()> {
    let storage = ten_tables_oldest_damaged()?;
    let db = open(&storage, &Options::deterministic())?;
    assert_eq!(db.get(key(7))?, Some(b"round 9 key 7".to_vec()));
    assert_eq!(db.get("only9")?.as_deref(), Some(&b"here"[..]));
    assert!(db.get("only0").is_err(), "the damaged table's own key");
    Ok(())
}

#[test]
fn a_write_that_triggers_failing_maintenance_is_ok_and_later_writes_stop() -> anyhow::Result<()> {
    let storage = ten_tables_oldest_damaged()?;
    let options = Options {
        memtable_bytes_max: 2048,
        ..Options::deterministic()
    };
    let db = open(&storage, &options)?;
    assert_eq!(db.maintenance_error(), None);
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for i in 0..2000u64 {
        let k = format!("new{i:05}");
        match db.write_opt(WriteBatch::new().put(&k, "synced"), SYNC) {
            Ok(()) => acknowledged.push(k),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let refused = refused.ok_or_else(|| anyhow::anyhow!("maintenance never failed"))?;
    assert!(matches!(refused, Error::WritesStopped(_)), "{refused}");
    let reason = db.maintenance_error().unwrap_or_default();
    assert!(reason.contains("checksum"), "{reason:?}");
    for k in &acknowledged {
        assert_eq!(db.get(k)?.as_deref(), Some(&b"synced"[..]), "{k}");
    }
    drop(db);
    let db = open(&storage, &options)?;
    for k in &acknowledged {
        assert_eq!(
            db.get(k)?.as_deref(),
            Some(&b"synced"[..]),
            "{k} after reopen"
        );
    }
    Ok(())
}

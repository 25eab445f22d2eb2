//! Recovery: what a reopen finds after a clean close and after the crashes
//! the storage contract allows.

mod common;

use common::{contents, crashed_copy, key, open, small_options};
use strata_engine::{Error, Options, WriteBatch, WriteOptions};
use strata_storage::{MemStorage, Storage};

const SYNC: WriteOptions = WriteOptions { sync: true };

/// The name of the one file whose name `matches` (an error if there are
/// none or several).
fn only_file(storage: &MemStorage, matches: impl Fn(&str) -> bool) -> anyhow::Result<String> {
    let names: Vec<String> = storage.list()?.into_iter().filter(|n| matches(n)).collect();
    let [name] = names
        .try_into()
        .map_err(|v| anyhow::anyhow!("expected one such file, found {v:?}"))?;
    Ok(name)
}

/// The database's one write-ahead log.
fn only_log(storage: &MemStorage) -> anyhow::Result<String> {
    only_file(storage, |n| n.ends_with(".log"))
}

/// Appends `count` zero bytes to `name` and syncs them.
fn append_zeros(storage: &MemStorage, name: &str, count: usize) -> anyhow::Result<()> {
    let mut file = storage.open_append(name)?;
    file.append(&vec![0; count])?;
    file.sync()?;
    Ok(())
}

#[test]
fn reopen_after_clean_close_keeps_everything() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &small_options())?;
    for i in 0..500 {
        db.put(key(i), format!("value {i}"))?;
    }
    for i in (0..500).step_by(3) {
        db.delete(key(i))?;
    }
    let before = contents(&db)?;
    db.close()?;
    let db = open(&storage, &small_options())?;
    assert_eq!(contents(&db)?, before);
    assert_eq!(db.get(key(1))?, Some(b"value 1".to_vec()));
    assert_eq!(db.get(key(3))?, None);
    Ok(())
}

#[test]
fn crash_loses_only_the_unsynced_tail() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..100 {
        let mut b = WriteBatch::new();
        b.put(key(i), b"synced");
        db.write_opt(&b, SYNC)?;
    }
    for i in 100..200 {
        db.put(key(i), b"unsynced")?;
    }
    let crashed = crashed_copy(&storage);
    drop(db);
    let db = open(&crashed, &Options::deterministic())?;
    let got = contents(&db)?;
    assert!(
        got.len() >= 100,
        "a synced write was lost: {} keys",
        got.len()
    );
    // What survives is a prefix of the history: keys 0..n for some n.
    for (i, (k, _)) in got.iter().enumerate() {
        assert_eq!(k, &key(i as u64), "hole in the recovered history");
    }
    Ok(())
}

#[test]
fn torn_last_wal_record_is_cut_and_the_log_stays_usable() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..10 {
        db.write_opt(WriteBatch::new().put(key(i), vec![b'x'; 100]), SYNC)?;
    }
    let crashed = crashed_copy(&storage);
    drop(db);
    let log = only_log(&crashed)?;
    let len = crashed.len(&log)?;
    crashed.truncate(&log, len - 20)?;
    let db = open(&crashed, &Options::deterministic())?;
    assert_eq!(contents(&db)?.len(), 9, "the torn tenth record is dropped");
    db.write_opt(WriteBatch::new().put(b"after", b"tear"), SYNC)?;
    drop(db);
    let db = open(&crashed_copy(&crashed), &Options::deterministic())?;
    assert_eq!(db.get(b"after")?, Some(b"tear".to_vec()));
    assert_eq!(contents(&db)?.len(), 10);
    Ok(())
}

/// A log whose file was extended with zeros ahead of its records (space
/// reserved for appends that a crash cut short) recovers every record,
/// and the zeros are cut so later appends follow the last record.
#[test]
fn a_zero_filled_log_tail_is_cut_like_a_torn_tail() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..50 {
        db.write_opt(WriteBatch::new().put(key(i), vec![b'x'; 100]), SYNC)?;
    }
    let crashed = crashed_copy(&storage);
    drop(db);
    let log = only_log(&crashed)?;
    append_zeros(&crashed, &log, 100_000)?;
    let db = open(&crashed, &Options::deterministic())?;
    assert_eq!(contents(&db)?.len(), 50);
    db.write_opt(WriteBatch::new().put(b"after", b"zeros"), SYNC)?;
    drop(db);
    let db = open(&crashed_copy(&crashed), &Options::deterministic())?;
    assert_eq!(db.get(b"after")?, Some(b"zeros".to_vec()));
    assert_eq!(contents(&db)?.len(), 51);
    Ok(())
}

/// The manifest is written in the log format and reserves space the same
/// way: a zero tail after its last edit is the end of the manifest, not a
/// torn edit that would make recovery suspicious.
#[test]
fn a_zero_filled_manifest_tail_is_the_end_of_the_manifest() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &small_options())?;
    for i in 0..400 {
        db.put(key(i), format!("value {i}"))?;
    }
    db.flush()?;
    let before = contents(&db)?;
    let crashed = crashed_copy(&storage);
    drop(db);
    let manifest = only_file(&crashed, |n| n.starts_with("MANIFEST-"))?;
    append_zeros(&crashed, &manifest, 100_000)?;
    let db = open(&crashed, &small_options())?;
    assert_eq!(contents(&db)?, before);
    db.put(b"after", b"zeros")?;
    db.flush()?;
    drop(db);
    let db = open(&crashed_copy(&crashed), &small_options())?;
    assert_eq!(db.get(b"after")?, Some(b"zeros".to_vec()));
    Ok(())
}

#[test]
fn corruption_in_the_middle_of_the_log_is_an_error() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..10 {
        db.write_opt(WriteBatch::new().put(key(i), vec![b'x'; 100]), SYNC)?;
    }
    drop(db);
    let log = only_log(&storage)?;
    storage.corrupt_byte(&log, 30, 0x40)?;
    match open(&storage, &Options::deterministic()).map(|_| ()) {
        Err(e) => match e.downcast_ref::<Error>() {
            Some(Error::Corruption { file, .. }) => assert_eq!(file, &log),
            other => panic!("expected corruption, got {other:?}"),
        },
        Ok(()) => panic!("a damaged log opened silently"),
    }
    Ok(())
}

#[test]
fn crash_between_table_write_and_manifest_edit_loses_nothing() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..300 {
        db.write_opt(WriteBatch::new().put(key(i), b"v"), SYNC)?;
    }
    // The durable state just before the flush...
    let before_flush = crashed_copy(&storage);
    db.flush()?;
    // ...plus the table the flush wrote, as if the crash hit before the
    // manifest edit that would have made it part of the database.
    let table = storage
        .list()?
        .into_iter()
        .find(|n| n.ends_with(".sst"))
        .ok_or_else(|| anyhow::anyhow!("flush wrote no table"))?;
    let bytes = strata_storage::read_all(&storage, &table)?;
    let mut f = before_flush.create(&table)?;
    f.append(&bytes)?;
    f.sync()?;
    before_flush.sync_dir()?;
    drop((f, db));
    let db = open(&before_flush, &Options::deterministic())?;
    assert_eq!(contents(&db)?.len(), 300);
    assert!(
        !before_flush.exists(&table)?,
        "the orphaned table is deleted"
    );
    Ok(())
}

#[test]
fn crash_after_flush_recovers_from_tables_and_the_new_log() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let options = small_options();
    let db = open(&storage, &options)?;
    for i in 0..2000 {
        db.write_opt(
            WriteBatch::new().put(key(i), b"value"),
            WriteOptions { sync: i % 50 == 49 },
        )?;
    }
    db.flush()?;
    db.write_opt(WriteBatch::new().put(b"after", b"flush"), SYNC)?;
    let crashed = crashed_copy(&storage);
    drop(db);
    let db = open(&crashed, &options)?;
    assert_eq!(contents(&db)?.len(), 2001, "every synced write survives");
    assert_eq!(db.get(b"after")?, Some(b"flush".to_vec()));
    Ok(())
}

#[test]
fn opening_a_missing_database_without_create_fails_cleanly() {
    let options = Options {
        create_if_missing: false,
        ..Options::deterministic()
    };
    let result = open(&MemStorage::new(), &options);
    assert!(matches!(
        result.map(|_| ()).map_err(|e| e.downcast::<Error>()),
        Err(Ok(Error::NotFound))
    ));
}

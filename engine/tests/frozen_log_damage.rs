//! Damage in a log that has a successor. Recovery used to read a damaged
//! record at the end of a frozen (non-last) log as a torn tail, stop there,
//! and delete every newer log — synced writes included: one flipped byte
//! near the end of the older of two logs, and the database opened without
//! an error, five of five synced writes of the newer log gone. A log is
//! synced before the next one takes a record, so only the last log can
//! have a torn tail; damage in any other log is `Corruption` naming it,
//! and nothing is deleted.

mod common;

use common::{contents, crashed_copy, fill_until_frozen, key, open};
use strata_engine::{Error, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{MemStorage, Storage};

const SYNC: WriteOptions = WriteOptions { sync: true };

fn options() -> Options {
    Options {
        memtable_bytes_max: 1024,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    }
}

fn log_names(storage: &MemStorage) -> anyhow::Result<Vec<String>> {
    let mut names: Vec<(u64, String)> = storage
        .list()?
        .into_iter()
        .filter_map(|n| Some((n.strip_suffix(".log")?.parse().ok()?, n)))
        .collect();
    names.sort();
    Ok(names.into_iter().map(|(_, n)| n).collect())
}

/// Flips one bit of `name` at `offset` (synced, as bit rot would be).
fn flip(storage: &MemStorage, name: &str, offset: usize) -> anyhow::Result<()> {
    let mut bytes = strata_storage::read_all(storage, name)?;
    let byte = bytes
        .get_mut(offset)
        .ok_or_else(|| anyhow::anyhow!("{name} has no byte {offset}"))?;
    *byte ^= 0x10;
    let mut file = storage.create(name)?;
    file.append(&bytes)?;
    file.sync()?;
    Ok(())
}

/// Two logs, five synced writes in the newer one, then a flipped byte
/// `from_end` bytes before the end of the older one.
fn damaged_older_log(from_end: usize) -> anyhow::Result<(MemStorage, u64, Vec<String>)> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    for i in 0..5 {
        db.write_opt(WriteBatch::new().put(key(frozen + i), "synced"), SYNC)?;
    }
    let crashed = crashed_copy(&storage);
    std::mem::forget(db);
    let logs = log_names(&crashed)?;
    assert_eq!(logs.len(), 2, "{logs:?}");
    let older = logs.first().cloned().unwrap_or_default();
    let len = crashed.len(&older)? as usize;
    flip(&crashed, &older, len - from_end)?;
    Ok((crashed, frozen, logs))
}

#[test]
fn damage_at_the_end_of_a_frozen_log_is_corruption_not_a_torn_tail() -> anyhow::Result<()> {
    let (storage, frozen, logs) = damaged_older_log(3)?;
    let before = storage.list()?;
    match open(&storage, &options()) {
        Ok(db) => {
            let got = contents(&db)?;
            let synced: Vec<_> = (frozen..frozen + 5).map(key).collect();
            let present = synced.iter().filter(|k| got.iter().any(|(g, _)| g == *k));
            panic!(
                "opened without an error; {} of 5 synced writes present",
                present.count()
            );
        }
        Err(e) => match e.downcast::<Error>()? {
            Error::Corruption { file, .. } => {
                assert_eq!(Some(&file), logs.first(), "names the damaged log")
            }
            other => panic!("not corruption: {other}"),
        },
    }
    assert_eq!(storage.list()?, before, "a refused open deleted files");
    Ok(())
}

#[test]
fn repair_salvages_both_logs_up_to_the_damage() -> anyhow::Result<()> {
    let (storage, frozen, _) = damaged_older_log(3)?;
    let mut set_aside = |name: &str| storage.rename(name, &format!("lost/{name}"));
    strata_engine::repair(&storage, &options(), &mut set_aside)?;
    let db = open(&storage, &options())?;
    for i in frozen..frozen + 5 {
        assert_eq!(db.get(key(i))?.as_deref(), Some(&b"synced"[..]));
    }
    Ok(())
}

/// A process killed after a freeze leaves the older log with the zeros its
/// writer reserved ahead of appends: space, not damage.
#[test]
fn a_zero_tail_on_a_frozen_log_is_reserved_space_not_damage() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options())?;
    let frozen = fill_until_frozen(&db)?;
    for i in 0..5 {
        db.write_opt(WriteBatch::new().put(key(frozen + i), "synced"), SYNC)?;
    }
    let crashed = crashed_copy(&storage);
    std::mem::forget(db);
    let older = log_names(&crashed)?.first().cloned().unwrap_or_default();
    let mut file = crashed.open_append(&older)?;
    file.append(&vec![0; 40_000])?;
    file.sync()?;
    let db = open(&crashed, &options())?;
    for i in 0..frozen + 5 {
        assert!(db.get(key(i))?.is_some(), "key {i}");
    }
    Ok(())
}

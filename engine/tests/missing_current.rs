//! A lost `CURRENT`. A directory holding tables and logs but no `CURRENT`
//! used to open, with default options, as a new empty database — and the
//! obsolete-file pass then deleted every table. Open must refuse instead,
//! naming the missing `CURRENT` and the Strata files it found, and delete
//! nothing; `strata_engine::repair` rebuilds a manifest from what the
//! tables and logs hold.

mod common;

use common::{contents, key, open, small_options};
use strata_engine::{Error, Options};
use strata_storage::{MemStorage, Storage};

/// A database with tables and a log holding unflushed writes, closed
/// cleanly; returns its contents.
fn populated(storage: &MemStorage) -> anyhow::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let db = open(storage, &small_options())?;
    for i in 0..400 {
        db.put(key(i % 150), format!("value {i}"))?;
        if i % 7 == 0 {
            db.delete(key(i % 11))?;
        }
    }
    let want = contents(&db)?;
    db.close()?;
    Ok(want)
}

#[test]
fn a_directory_without_current_is_refused_and_nothing_is_deleted() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    populated(&storage)?;
    storage.remove("CURRENT")?;
    let before = storage.list()?;
    assert!(before.iter().any(|n| n.ends_with(".sst")));
    let refused = open(&storage, &Options::deterministic())
        .err()
        .map(|e| e.downcast::<Error>());
    let Some(Ok(error)) = refused else {
        panic!("opened without CURRENT: {refused:?}");
    };
    assert!(matches!(error, Error::CurrentMissing { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("CURRENT"), "{message}");
    for name in before.iter().filter(|n| n.ends_with(".sst")).take(3) {
        assert!(
            message.contains(name.as_str()),
            "{name} not named: {message}"
        );
    }
    assert_eq!(storage.list()?, before, "open deleted files");
    Ok(())
}

#[test]
fn a_new_database_still_opens_in_an_empty_directory() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    db.put("k", "v")?;
    Ok(())
}

/// Moves `name` to `lost/name` (what `strata repair` does on real files).
fn into_lost(storage: &MemStorage) -> impl FnMut(&str) -> std::io::Result<()> + '_ {
    move |name| storage.rename(name, &format!("lost/{name}"))
}

#[test]
fn repair_rebuilds_every_key_from_tables_and_logs() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let want = populated(&storage)?;
    storage.remove("CURRENT")?;
    let before = storage.list()?;
    let report = strata_engine::repair(&storage, &small_options(), &mut into_lost(&storage))?;
    assert!(report.tables.iter().all(|t| t.damage.is_none()));
    assert!(!report.written.is_empty());
    for name in &before {
        let kept = storage.exists(name)? || storage.exists(&format!("lost/{name}"))?;
        assert!(kept, "{name} was deleted");
    }
    let db = open(&storage, &small_options())?;
    assert_eq!(contents(&db)?, want);
    for i in 0..150 {
        let expected = want
            .iter()
            .find(|(k, _)| *k == key(i))
            .map(|(_, v)| v.clone());
        assert_eq!(db.get(key(i))?, expected, "get of {i} after repair");
    }
    db.check_invariants().map_err(anyhow::Error::msg)?;
    db.put("after", "repair")?;
    db.close()?;
    let db = open(&storage, &small_options())?;
    assert_eq!(db.get("after")?.as_deref(), Some(&b"repair"[..]));
    Ok(())
}

#[test]
fn repair_sets_a_damaged_table_aside_and_keeps_the_rest() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    populated(&storage)?;
    storage.remove("CURRENT")?;
    let tables: Vec<String> = storage
        .list()?
        .into_iter()
        .filter(|n| n.ends_with(".sst"))
        .collect();
    let damaged = tables.first().cloned().unwrap_or_default();
    let bytes = strata_storage::read_all(&storage, &damaged)?;
    let mut flipped = bytes.clone();
    if let Some(b) = flipped.get_mut(10) {
        *b ^= 0x40;
    }
    let mut file = storage.create(&damaged)?;
    file.append(&flipped)?;
    file.sync()?;
    let report = strata_engine::repair(&storage, &small_options(), &mut into_lost(&storage))?;
    let bad: Vec<_> = report
        .tables
        .iter()
        .filter(|t| t.damage.is_some())
        .collect();
    assert_eq!(bad.len(), 1, "{:?}", report.tables);
    assert_eq!(bad.first().map(|t| t.name.as_str()), Some(damaged.as_str()));
    assert_eq!(
        strata_storage::read_all(&storage, &format!("lost/{damaged}"))?,
        flipped
    );
    let db = open(&storage, &small_options())?;
    assert!(!contents(&db)?.is_empty());
    db.check_invariants().map_err(anyhow::Error::msg)?;
    Ok(())
}

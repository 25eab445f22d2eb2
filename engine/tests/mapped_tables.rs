//! Tables on real files are read through memory maps (`FsStorage` maps what
//! `Storage::open_immutable` opens, up to a budget of files). These tests
//! check that a map changes nothing a reader can see: the same contents as
//! reads through `pread`, a scan that outlives the compaction which replaced
//! its tables, a budget smaller than the table count, and damage still
//! reported as `Corruption` naming the table, by a compaction too when a
//! point read had verified the block before the damage appeared.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use strata_engine::{Db, Error, Options};
use strata_storage::FsStorage;

type KeyValue = (Vec<u8>, Vec<u8>);

fn options() -> Options {
    Options {
        memtable_bytes_max: 16 << 10,
        block_size_bytes: 512,
        block_cache_bytes: 0,
        ..Options::deterministic()
    }
}

fn open(dir: &Path, mapped_files_max: usize) -> anyhow::Result<Db> {
    let storage = FsStorage::open(dir)?.with_mapped_files_max(mapped_files_max);
    Ok(Db::open(Arc::new(storage), options())?)
}

fn key(i: u32) -> Vec<u8> {
    format!("key{:06}", (i * 7919) % 5000).into_bytes()
}

/// Writes 5,000 puts (some overwrites) and deletes of every seventh key,
/// so several levels hold tables; returns the expected contents.
fn fill(db: &Db) -> anyhow::Result<BTreeMap<Vec<u8>, Vec<u8>>> {
    let mut model = BTreeMap::new();
    for i in 0..5000u32 {
        let value = format!("value-{i}-{}", "x".repeat((i % 40) as usize)).into_bytes();
        db.put(key(i), &value)?;
        model.insert(key(i), value);
        if i % 7 == 0 {
            db.delete(key(i / 2))?;
            model.remove(&key(i / 2));
        }
    }
    db.flush()?;
    Ok(model)
}

fn contents(db: &Db) -> anyhow::Result<Vec<KeyValue>> {
    Ok(db.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?)
}

fn file_numbers(db: &Db) -> Vec<u64> {
    db.levels()
        .iter()
        .flatten()
        .map(|t| t.file_number)
        .collect()
}

fn table_count(db: &Db) -> usize {
    db.levels().iter().map(Vec::len).sum()
}

#[test]
fn mapped_and_pread_tables_read_the_same_contents() -> anyhow::Result<()> {
    for mapped_files_max in [1000, 2, 0] {
        let dir = tempfile::tempdir()?;
        let db = open(dir.path(), mapped_files_max)?;
        let model = fill(&db)?;
        assert!(table_count(&db) > 2, "the budget of 2 must be exceeded");
        let expected: Vec<KeyValue> = model.clone().into_iter().collect();
        assert_eq!(contents(&db)?, expected, "budget {mapped_files_max}");
        for i in 0..5000 {
            let k = key(i);
            assert_eq!(
                db.get(&k)?,
                model.get(&k).cloned(),
                "budget {mapped_files_max}"
            );
        }
        drop(db);
        let db = open(dir.path(), mapped_files_max)?;
        assert_eq!(
            contents(&db)?,
            expected,
            "after reopen, budget {mapped_files_max}"
        );
    }
    Ok(())
}

#[test]
fn a_scan_started_before_a_compaction_reads_the_tables_it_began_with() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open(dir.path(), 1000)?;
    let model = fill(&db)?;
    let before = file_numbers(&db);
    let mut scan = db.scan::<&[u8]>(..)?;
    let first = scan.next().transpose()?;
    db.compact_range::<&[u8]>(..)?;
    let after = file_numbers(&db);
    assert!(
        before.iter().any(|n| !after.contains(n)),
        "the compaction must replace some of the scan's tables"
    );
    let mut seen: Vec<KeyValue> = first.into_iter().collect();
    for kv in scan {
        seen.push(kv?);
    }
    assert_eq!(seen, model.into_iter().collect::<Vec<_>>());
    Ok(())
}

#[test]
fn a_damaged_mapped_table_is_reported_as_corruption() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open(dir.path(), 1000)?;
    fill(&db)?;
    db.compact_range::<&[u8]>(..)?;
    let table = db.levels().iter().flatten().next().map(|t| t.file_number);
    drop(db);
    let name = format!(
        "{:06}.sst",
        table.ok_or_else(|| anyhow::anyhow!("no table"))?
    );
    let path = dir.path().join(&name);
    let mut bytes = std::fs::read(&path)?;
    // The first data block starts the file; its first entry is at byte 0.
    let byte = bytes
        .get_mut(40)
        .ok_or_else(|| anyhow::anyhow!("short table"))?;
    *byte ^= 0x10;
    std::fs::write(&path, &bytes)?;
    let db = open(dir.path(), 1000)?;
    let failure = contents(&db).map(|_| ()).map_err(|e| e.downcast::<Error>());
    match failure {
        Err(Ok(Error::Corruption { file, .. })) => assert_eq!(file, name),
        other => panic!("expected Corruption in {name}, got {other:?}"),
    }
    Ok(())
}

/// A seek or get may trust a block of a mapped table it verified before,
/// as it would trust a cached block; a compaction checks every block it
/// reads, so damage that appears under an open table cannot be copied
/// into a new table under a fresh checksum.
#[cfg(unix)]
#[test]
fn damage_after_a_point_read_verified_a_block_stops_the_compaction() -> anyhow::Result<()> {
    use std::os::unix::fs::FileExt;

    let dir = tempfile::tempdir()?;
    let db = open(dir.path(), 1000)?;
    let model = fill(&db)?;
    db.compact_range::<&[u8]>(..)?;
    let first = db.levels().into_iter().flatten().next();
    let first = first.ok_or_else(|| anyhow::anyhow!("no table"))?;
    let smallest = first.smallest_user_key().to_vec();
    assert_eq!(db.get(&smallest)?.as_ref(), model.get(&smallest));
    // Damage the first data block in place: the map shows the page cache,
    // so the open table sees the new byte at once.
    let name = format!("{:06}.sst", first.file_number);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.path().join(&name))?;
    let mut byte = [0u8; 1];
    file.read_exact_at(&mut byte, 40)?;
    file.write_all_at(&[byte[0] ^ 0x10], 40)?;
    let _ = db.get(&smallest)?;
    match db.compact_range::<&[u8]>(..) {
        Err(Error::Corruption { file, .. }) => assert_eq!(file, name),
        other => panic!("expected Corruption in {name}, got {other:?}"),
    }
    Ok(())
}

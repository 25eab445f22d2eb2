//! The manifest is rewritten while the database runs. It used to be
//! rewritten only at open, so a database that ran for long grew its
//! manifest by one edit per flush and compaction without bound. Now, past
//! a size, a fresh manifest holding the current version replaces it, and a
//! crash around the switch still recovers everything.

mod common;

use common::{contents, crashed_copy, key, open, small_options};
use strata_storage::{MemStorage, Storage};

fn manifest(storage: &MemStorage) -> anyhow::Result<(String, u64)> {
    let name = storage
        .list()?
        .into_iter()
        .find(|n| n.starts_with("MANIFEST-"))
        .ok_or_else(|| anyhow::anyhow!("no manifest"))?;
    let len = storage.len(&name)?;
    Ok((name, len))
}

#[test]
fn a_long_running_database_keeps_its_manifest_small() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &small_options())?;
    let (first, _) = manifest(&storage)?;
    let mut largest = 0;
    let mut names = std::collections::BTreeSet::new();
    for i in 0..6000u64 {
        db.put(key(i % 500), format!("value {i}"))?;
        if i % 3 == 2 {
            db.flush()?;
        }
        if i % 50 == 0 {
            let (name, len) = manifest(&storage)?;
            largest = largest.max(len);
            names.insert(name);
        }
    }
    assert!(names.len() > 2, "never rewritten: {names:?}");
    assert!(!names.contains(&first) || names.len() > 1);
    assert!(largest < 160 << 10, "manifest reached {largest} bytes");
    let want = contents(&db)?;
    let crashed = crashed_copy(&storage);
    drop(db);
    let db = open(&crashed, &small_options())?;
    assert_eq!(contents(&db)?, want);
    db.check_invariants().map_err(anyhow::Error::msg)?;
    Ok(())
}

//! Handles that outlive their `Db`. A `Snapshot` keeps the database's
//! internals alive, log writer included, while the directory lock used to
//! belong to the `Db` alone: drop the `Db`, keep a snapshot, reopen the
//! directory (the lock was free), write synced records, drop the snapshot —
//! and its log writer's drop trimmed the shared log back to its own length,
//! taking the synced records with it. Whatever keeps a writer alive must
//! keep the lock, so reopening while such a handle lives is refused; and a
//! handle that outlives its `Db` must never cost a synced write.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::sync::Arc;

use strata_engine::{Db, Options, WriteBatch, WriteOptions};
use strata_storage::{FsStorage, Storage};

const SYNC: WriteOptions = WriteOptions { sync: true };

fn fs(dir: &Path) -> anyhow::Result<Arc<dyn Storage>> {
    Ok(Arc::new(FsStorage::open(dir)?))
}

fn key(i: u32) -> String {
    format!("key{i:05}")
}

/// Reopens `dir` while `old_handle` lives. If the open is refused, the
/// refusal must name the lock; if it succeeds, 100 synced writes through
/// the new handle must survive dropping the old handle and reopening.
fn reopen_is_refused_or_safe<H>(dir: &Path, old_handle: H) -> anyhow::Result<bool> {
    let refused = match Db::open(fs(dir)?, Options::deterministic()) {
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains("LOCK"), "unclear refusal: {message}");
            drop(old_handle);
            true
        }
        Ok(db) => {
            for i in 0..100 {
                db.write_opt(WriteBatch::new().put(key(i), b"synced"), SYNC)?;
            }
            drop(old_handle);
            drop(db);
            false
        }
    };
    let db = Db::open(fs(dir)?, Options::deterministic())?;
    if !refused {
        for i in 0..100 {
            assert_eq!(
                db.get(key(i))?.as_deref(),
                Some(&b"synced"[..]),
                "synced write {i} lost"
            );
        }
    }
    assert_eq!(db.get("before")?.as_deref(), Some(&b"old"[..]));
    Ok(refused)
}

#[test]
fn a_snapshot_outliving_its_db_keeps_the_directory_locked() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(fs(dir.path())?, Options::deterministic())?;
    db.write_opt(WriteBatch::new().put("before", "old"), SYNC)?;
    let snapshot = db.snapshot();
    drop(db);
    assert_eq!(snapshot.get("before")?.as_deref(), Some(&b"old"[..]));
    let refused = reopen_is_refused_or_safe(dir.path(), snapshot)?;
    assert!(refused, "a live snapshot's writer must keep the lock");
    Ok(())
}

#[test]
fn a_scan_outliving_its_db_costs_no_synced_write() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(fs(dir.path())?, Options::deterministic())?;
    db.write_opt(WriteBatch::new().put("before", "old"), SYNC)?;
    let scan = db.scan::<&[u8]>(..)?;
    drop(db);
    reopen_is_refused_or_safe(dir.path(), scan)?;
    Ok(())
}

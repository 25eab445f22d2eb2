//! Forks: a database copied mid-run continues exactly like the original —
//! the property the visualizer's backward steps rely on.

mod common;

use std::sync::Arc;

use common::{contents, key};
use strata_engine::{Db, MaintenanceMode, Options, TraceRecorder};
use strata_storage::{MemStorage, Storage};

fn drive(db: &Db, from: u64, to: u64) -> anyhow::Result<()> {
    for i in from..to {
        let k = key(i * 13 % 400);
        if i % 5 == 0 {
            db.delete(&k)?;
        } else {
            db.put(&k, format!("v{i}"))?;
        }
        if i % 50 == 0 {
            db.get(key(i % 400))?;
            db.maintenance_step()?;
        }
    }
    Ok(())
}

#[test]
fn a_fork_produces_the_same_events_and_contents_as_the_original() -> anyhow::Result<()> {
    let options = Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        level_base_bytes: 8 << 10,
        target_file_size_bytes: 4 << 10,
        l0_compaction_trigger: 2,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    };
    let storage = MemStorage::new();
    let db = Db::open(Arc::new(storage.clone()) as Arc<dyn Storage>, options)?;
    drive(&db, 0, 1500)?;
    let snap = db.snapshot();
    drive(&db, 1500, 1700)?;
    let (fork, fork_snaps) = db.fork(Arc::new(storage.snapshot()), &[&snap])?;
    let (a, b) = (TraceRecorder::new(), TraceRecorder::new());
    db.set_observer(Some(a.clone()));
    fork.set_observer(Some(b.clone()));
    drive(&db, 1700, 3500)?;
    drive(&fork, 1700, 3500)?;
    db.compact()?;
    fork.compact()?;
    let (ea, eb) = (a.take(), b.take());
    assert!(ea.len() > 1000);
    assert_eq!(ea, eb, "the fork's trace differs");
    assert_eq!(contents(&db)?, contents(&fork)?);
    let fork_snap = fork_snaps
        .first()
        .ok_or_else(|| anyhow::anyhow!("no snapshot"))?;
    for i in 0..400 {
        assert_eq!(snap.get(key(i))?, fork_snap.get(key(i))?);
    }
    fork.check_invariants().map_err(anyhow::Error::msg)?;
    Ok(())
}

/// A live fork must not count as a reader of the original: the original
/// deletes obsolete tables exactly when an unforked twin does (the
/// visualizer keeps forks as checkpoints while the head runs on).
#[test]
fn a_live_fork_does_not_delay_the_originals_file_deletions() -> anyhow::Result<()> {
    let options = Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        l0_compaction_trigger: 2,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    };
    let (forked_storage, twin_storage) = (MemStorage::new(), MemStorage::new());
    let forked = Db::open(
        Arc::new(forked_storage.clone()) as Arc<dyn Storage>,
        options.clone(),
    )?;
    let twin = Db::open(Arc::new(twin_storage) as Arc<dyn Storage>, options)?;
    drive(&forked, 0, 600)?;
    drive(&twin, 0, 600)?;
    let (_fork, _) = forked.fork(Arc::new(forked_storage.snapshot()), &[])?;
    let (a, b) = (TraceRecorder::new(), TraceRecorder::new());
    forked.set_observer(Some(a.clone()));
    twin.set_observer(Some(b.clone()));
    drive(&forked, 600, 2000)?;
    drive(&twin, 600, 2000)?;
    forked.compact()?;
    twin.compact()?;
    let (ea, eb) = (a.take(), b.take());
    let deleted = |events: &[strata_engine::Event]| {
        events
            .iter()
            .filter(|e| matches!(e, strata_engine::Event::FileDeleted { .. }))
            .count()
    };
    assert!(deleted(&eb) > 0, "the run deletes no file");
    assert_eq!(
        ea, eb,
        "the forked database's trace differs from its twin's"
    );
    Ok(())
}

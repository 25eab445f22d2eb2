//! Compaction: every strategy against a model, tombstones that must (and
//! must not) be dropped, snapshots across compactions, and crashes in the
//! middle of a compaction.
//!
//! The tests marked `#[cfg_attr(test, test)] pub fn` also run with the
//! labs' code plugged into the engine's seams:
//! `tutorials/labs/examples/engine_tests.rs` includes this file and calls
//! them (an example is built without `cfg(test)`).

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{contents, crashed_copy, key, open, STRATEGIES};
use strata_engine::event::EntryFate;
use strata_engine::{
    CompactionStrategy, Db, Event, Maintenance, MaintenanceMode, Options, TraceRecorder,
    WriteBatch, WriteOptions,
};
use strata_storage::{MemStorage, Storage};

fn options(strategy: CompactionStrategy, maintenance: MaintenanceMode) -> Options {
    Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        level_base_bytes: 16 << 10,
        target_file_size_bytes: 8 << 10,
        l0_compaction_trigger: 3,
        compaction_strategy: strategy,
        maintenance,
        ..Options::deterministic()
    }
}

/// Runs maintenance one unit at a time, checking the tree after each.
fn step_until_idle(db: &Db) -> anyhow::Result<u32> {
    let mut compactions = 0;
    while let Some(work) = db.maintenance_step()? {
        db.check_invariants().map_err(anyhow::Error::msg)?;
        if matches!(work, Maintenance::Compacted { .. }) {
            compactions += 1;
        }
    }
    Ok(compactions)
}

/// A deterministic stream of numbers for workloads.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

#[cfg_attr(test, test)]
pub fn every_strategy_matches_a_model_with_snapshots_held_across_compactions() -> anyhow::Result<()>
{
    for strategy in STRATEGIES {
        let storage = MemStorage::new();
        let opts = options(strategy, MaintenanceMode::Manual);
        let mut db = open(&storage, &opts)?;
        let mut model = BTreeMap::new();
        let mut snapshots = Vec::new();
        let mut rng = Lcg(u64::from(strategy as u8) + 1);
        let mut compactions = 0;
        for i in 0..12_000u64 {
            let k = key(rng.next(700));
            match rng.next(10) {
                0..=5 => {
                    let v = format!("{i}-{}", "x".repeat(rng.next(60) as usize)).into_bytes();
                    db.put(&k, &v)?;
                    model.insert(k, v);
                }
                6 | 7 => {
                    db.delete(&k)?;
                    model.remove(&k);
                }
                _ => assert_eq!(db.get(&k)?, model.get(&k).cloned(), "{strategy:?} get"),
            }
            if i % 97 == 0 {
                compactions += step_until_idle(&db)?;
            }
            if i % 1500 == 0 {
                snapshots.push((db.snapshot(), model.clone()));
            }
            if i % 4000 == 3999 {
                snapshots.clear();
                drop(db);
                db = open(&storage, &opts)?;
            }
            for (snap, seen) in snapshots.iter().filter(|_| i % 500 == 0) {
                let got: BTreeMap<_, _> = snap.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
                assert_eq!(&got, seen, "{strategy:?} snapshot view");
            }
        }
        compactions += step_until_idle(&db)?;
        assert!(
            compactions > 5,
            "{strategy:?}: only {compactions} compactions"
        );
        let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
        assert_eq!(got, model, "{strategy:?} final contents");
    }
    Ok(())
}

#[cfg_attr(test, test)]
pub fn inline_and_background_maintenance_give_the_same_results() -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        for mode in [MaintenanceMode::Inline, MaintenanceMode::Background] {
            let db = open(&MemStorage::new(), &options(strategy, mode))?;
            let mut model = BTreeMap::new();
            let mut rng = Lcg(9);
            for i in 0..6000u64 {
                let k = key(rng.next(900));
                if rng.next(4) == 0 {
                    db.delete(&k)?;
                    model.remove(&k);
                } else {
                    db.put(&k, i.to_le_bytes())?;
                    model.insert(k, i.to_le_bytes().to_vec());
                }
            }
            db.flush()?;
            db.compact()?;
            db.check_invariants().map_err(anyhow::Error::msg)?;
            let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
            assert_eq!(got, model, "{strategy:?} {mode:?}");
            let stats = db.stats();
            assert!(stats.levels.iter().map(|l| l.compactions).sum::<u64>() > 0);
        }
    }
    Ok(())
}

fn fates(events: &[Event], k: &[u8]) -> Vec<EntryFate> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::CompactionEntry { key, fate, .. } if key == k => Some(*fate),
            _ => None,
        })
        .collect()
}

/// Pushes everything currently in the database to the deepest level it
/// reaches by running every due compaction, repeatedly flushing.
fn settle(db: &Db) -> anyhow::Result<()> {
    db.flush()?;
    step_until_idle(db)?;
    Ok(())
}

#[cfg_attr(test, test)]
pub fn a_tombstone_over_deeper_data_is_kept_until_it_reaches_the_bottom() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let opts = options(CompactionStrategy::Leveled, MaintenanceMode::Manual);
    let db = open(&storage, &opts)?;
    // Old data for many keys, compacted down below L1.
    for round in 0..6 {
        for i in 0..400 {
            db.put(key(i), format!("old-{round}-{}", "y".repeat(40)))?;
        }
        settle(&db)?;
    }
    let deepest = db.levels().iter().rposition(|l| !l.is_empty()).unwrap_or(0);
    assert!(
        deepest >= 2,
        "data should reach L2 or below, reached L{deepest}"
    );
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    db.delete(key(7))?;
    for i in 1000..1300 {
        db.put(key(i), b"filler")?;
    }
    db.flush()?;
    // Step by step: the tombstone is first kept (older data lies below), and
    // at no step does the old value come back.
    let mut first_fate = None;
    while db.maintenance_step()?.is_some() {
        let seen = fates(&recorder.take(), &key(7));
        first_fate = first_fate.or(seen.first().copied());
        assert_eq!(db.get(key(7))?, None, "the deleted key came back");
        db.check_invariants().map_err(anyhow::Error::msg)?;
    }
    assert_eq!(first_fate, Some(EntryFate::TombstoneKeptOlderDataBelow));
    assert_eq!(db.get(key(8))?.map(|v| v.starts_with(b"old-5")), Some(true));
    // Reopen: still deleted.
    drop(db);
    let db = open(&storage, &opts)?;
    assert_eq!(db.get(key(7))?, None);
    Ok(())
}

#[cfg_attr(test, test)]
pub fn a_tombstone_at_the_bottom_is_dropped_and_the_key_stays_deleted() -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        let storage = MemStorage::new();
        let opts = options(strategy, MaintenanceMode::Manual);
        let db = open(&storage, &opts)?;
        let recorder = TraceRecorder::new();
        db.set_observer(Some(recorder.clone()));
        for round in 0..8 {
            for i in 0..300 {
                if i % 3 == 0 && round == 7 {
                    db.delete(key(i))?;
                } else {
                    db.put(key(i), format!("v{round}"))?;
                }
            }
            settle(&db)?;
        }
        // Keep compacting until no tombstone is left anywhere.
        for _ in 0..10 {
            for i in 300..600 {
                db.put(key(i), b"push")?;
            }
            settle(&db)?;
        }
        let events = recorder.take();
        let dropped = (0..300)
            .step_by(3)
            .filter(|&i| fates(&events, &key(i)).contains(&EntryFate::TombstoneDroppedAtBottom))
            .count();
        assert!(dropped > 0, "{strategy:?}: no tombstone reached the bottom");
        for i in (0..300).step_by(3) {
            assert_eq!(db.get(key(i))?, None, "{strategy:?}: key {i} came back");
        }
        drop(db);
        let db = open(&storage, &opts)?;
        for i in (0..300).step_by(3) {
            assert_eq!(
                db.get(key(i))?,
                None,
                "{strategy:?}: key {i} came back after reopen"
            );
        }
        assert_eq!(db.get(key(1))?, Some(b"v7".to_vec()));
    }
    Ok(())
}

#[cfg_attr(test, test)]
pub fn a_snapshot_taken_before_a_delete_sees_the_value_after_compaction() -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        let db = open(
            &MemStorage::new(),
            &options(strategy, MaintenanceMode::Manual),
        )?;
        for i in 0..500 {
            db.put(key(i), b"before")?;
        }
        settle(&db)?;
        let snap = db.snapshot();
        for i in 0..500 {
            db.delete(key(i))?;
        }
        for round in 0..6 {
            for i in 500..900 {
                db.put(key(i), format!("r{round}"))?;
            }
            settle(&db)?;
        }
        assert_eq!(snap.get(key(42))?, Some(b"before".to_vec()), "{strategy:?}");
        assert_eq!(db.get(key(42))?, None, "{strategy:?}");
        let seen: Vec<_> = snap.scan(key(0)..key(500))?.collect::<Result<_, _>>()?;
        assert_eq!(seen.len(), 500, "{strategy:?}");
        drop(snap);
        settle(&db)?;
        assert_eq!(db.get(key(42))?, None);
    }
    Ok(())
}

/// Crashes after every maintenance step of a synced workload and checks
/// that the reopened database holds exactly the acknowledged writes.
#[cfg_attr(test, test)]
pub fn a_crash_at_any_point_of_a_compaction_loses_no_key() -> anyhow::Result<()> {
    for strategy in STRATEGIES {
        let storage = MemStorage::new();
        let opts = options(strategy, MaintenanceMode::Manual);
        let db = open(&storage, &opts)?;
        let mut model = BTreeMap::new();
        let mut crashes = 0;
        for i in 0..3000u64 {
            let k = key(i * 7 % 500);
            let v = format!("{i}").into_bytes();
            db.write_opt(WriteBatch::new().put(&k, &v), WriteOptions { sync: true })?;
            model.insert(k, v);
            if i % 50 == 0 {
                // Before the step: inputs and edit untouched. After each
                // step: output written and installed but the input deletions
                // not yet durable (no directory sync follows them).
                let before = crashed_copy(&storage);
                while let Some(work) = db.maintenance_step()? {
                    let after = crashed_copy(&storage);
                    if let Maintenance::Compacted { outputs, .. } = &work {
                        // Also: outputs written, edit never made.
                        let orphaned = before.snapshot();
                        for n in outputs {
                            let name = format!("{n:06}.sst");
                            let bytes = strata_storage::read_all(&storage, &name)?;
                            let mut f = orphaned.create(&name)?;
                            f.append(&bytes)?;
                            f.sync()?;
                        }
                        orphaned.sync_dir()?;
                        check_recovers(&orphaned, &opts, &model)?;
                        crashes += 1;
                    }
                    check_recovers(&after, &opts, &model)?;
                    crashes += 1;
                }
            }
        }
        assert!(crashes > 20, "{strategy:?}: only {crashes} crash points");
    }
    Ok(())
}

fn check_recovers(
    storage: &MemStorage,
    opts: &Options,
    model: &BTreeMap<Vec<u8>, Vec<u8>>,
) -> anyhow::Result<()> {
    let db = Db::open(
        Arc::new(storage.snapshot()) as Arc<dyn Storage>,
        opts.clone(),
    )?;
    db.check_invariants().map_err(anyhow::Error::msg)?;
    let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
    assert_eq!(&got, model);
    Ok(())
}

#[cfg_attr(test, test)]
pub fn opening_with_another_strategy_is_refused_and_loses_nothing() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let tiered = options(CompactionStrategy::SizeTiered, MaintenanceMode::Inline);
    let db = open(&storage, &tiered)?;
    for i in 0..3000 {
        db.put(key(i % 400), format!("{i}"))?;
    }
    db.flush()?;
    drop(db);
    let leveled = options(CompactionStrategy::Leveled, MaintenanceMode::Inline);
    match open(&storage, &leveled).map(|_| ()) {
        Err(e) => assert!(e.to_string().contains("created with the SizeTiered"), "{e}"),
        Ok(()) => panic!("a size-tiered database opened as leveled"),
    }
    // The data is intact for the right strategy.
    let db = open(&storage, &tiered)?;
    assert_eq!(contents(&db)?.len(), 400);
    Ok(())
}

#[cfg_attr(test, test)]
pub fn compaction_inputs_are_deleted_once_no_reader_holds_them() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(
        &storage,
        &options(CompactionStrategy::Leveled, MaintenanceMode::Manual),
    )?;
    let tables = |s: &MemStorage| -> anyhow::Result<usize> {
        Ok(s.list()?.iter().filter(|n| n.ends_with(".sst")).count())
    };
    // Fill L0 to its trigger without compacting.
    for round in 0..3 {
        for i in 0..200 {
            db.put(key(i), format!("r{round}"))?;
        }
        db.flush()?;
    }
    while let Some(Maintenance::Flushed { .. }) = db.maintenance_step()? {}
    // A scan holds the current version: the compaction's inputs must stay.
    let scan = db.scan::<&[u8]>(..)?;
    let live_before = db.levels().iter().map(Vec::len).sum::<usize>();
    let work = db.maintenance_step()?;
    assert!(
        matches!(
            work,
            Some(Maintenance::Compacted {
                trivial_move: false,
                ..
            })
        ),
        "{work:?}"
    );
    let live_after = db.levels().iter().map(Vec::len).sum::<usize>();
    assert!(
        tables(&storage)? > live_after,
        "inputs deleted under a live scan"
    );
    assert_eq!(scan.count(), 200, "the scan still reads its version");
    // With the scan gone, the next step (even an idle one) deletes them.
    while db.maintenance_step()?.is_some() {}
    assert_eq!(
        tables(&storage)?,
        db.levels().iter().map(Vec::len).sum::<usize>()
    );
    assert!(live_before >= 3);
    // And without readers, a compaction deletes its own inputs at once.
    for round in 0..3 {
        for i in 0..200 {
            db.put(key(i), format!("s{round}"))?;
        }
        db.flush()?;
    }
    while db.maintenance_step()?.is_some() {
        assert_eq!(
            tables(&storage)?,
            db.levels().iter().map(Vec::len).sum::<usize>()
        );
    }
    Ok(())
}

//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use strata_engine::{CompactionStrategy, Db, Options, Snapshot};
use strata_storage::{MemStorage, Storage};

/// Every compaction strategy, for tests that run under each.
pub const STRATEGIES: [CompactionStrategy; 4] = [
    CompactionStrategy::Leveled,
    CompactionStrategy::SizeTiered,
    CompactionStrategy::Hybrid,
    CompactionStrategy::Universal,
];

/// What the database should hold: user key to value.
pub type Model = BTreeMap<Vec<u8>, Vec<u8>>;

/// Options that make flushes frequent, so small tests reach the tables.
pub fn small_options() -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        ..Options::deterministic()
    }
}

/// Small sizes so a few hundred operations flush and compact many times,
/// under `STRATEGIES[strategy]`, with maintenance inline (or manual, where
/// the test decides when to compact).
pub fn model_options(strategy: usize, manual: bool) -> Options {
    Options {
        compaction_strategy: STRATEGIES.get(strategy).copied().unwrap_or_default(),
        maintenance: if manual {
            strata_engine::MaintenanceMode::Manual
        } else {
            strata_engine::MaintenanceMode::Inline
        },
        l0_compaction_trigger: 2,
        level_base_bytes: 4096,
        target_file_size_bytes: 2048,
        ..small_options()
    }
}

/// Opens a database on `storage` with `options`.
pub fn open(storage: &MemStorage, options: &Options) -> anyhow::Result<Db> {
    Ok(Db::open(
        Arc::new(storage.clone()) as Arc<dyn Storage>,
        options.clone(),
    )?)
}

/// The state a power cut at this moment would leave: a copy of `storage`
/// that keeps only synced bytes and synced directory entries.
pub fn crashed_copy(storage: &MemStorage) -> MemStorage {
    let copy = storage.snapshot();
    copy.crash();
    copy
}

/// Every live key and value, by a full forward scan.
pub fn contents(db: &Db) -> anyhow::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    Ok(db.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?)
}

/// Removes every key of `[start, end)` from `model` (nothing if the range
/// is empty).
pub fn remove_range(model: &mut Model, start: &[u8], end: &[u8]) {
    if start >= end {
        return;
    }
    let doomed: Vec<Vec<u8>> = model
        .range::<[u8], _>((
            std::ops::Bound::Included(start),
            std::ops::Bound::Excluded(end),
        ))
        .map(|(k, _)| k.clone())
        .collect();
    for k in doomed {
        model.remove(&k);
    }
}

/// A key like `key00042`.
pub fn key(i: u64) -> Vec<u8> {
    format!("key{i:05}").into_bytes()
}

/// Puts `key(n)` = `value {n}` for n from 0 on until a memtable is frozen
/// (with manual maintenance it then waits); returns how many. The last put
/// froze the memtable and went to the new one.
pub fn fill_until_frozen(db: &Db) -> anyhow::Result<u64> {
    let mut n = 0;
    while !db.stats().immutable_memtable {
        db.put(key(n), format!("value {n}"))?;
        n += 1;
        anyhow::ensure!(n < 10_000, "no freeze after {n} puts");
    }
    Ok(n)
}

/// A database driven beside a `BTreeMap` model: writes go to both, and each
/// snapshot is kept with the model as it was when the snapshot was taken.
pub struct ModelDb {
    pub storage: Arc<dyn Storage>,
    pub options: Options,
    pub db: Option<Db>,
    pub model: Model,
    pub snapshots: Vec<(Snapshot, Model)>,
}

/// The model's entries in `(lo, hi)` in key order, as a scan returns them
/// (none when the bounds cross).
pub fn model_range(
    model: &Model,
    lo: &Bound<Vec<u8>>,
    hi: &Bound<Vec<u8>>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    if let (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) =
        (lo, hi)
    {
        if a > b {
            return vec![];
        }
    }
    model
        .range::<Vec<u8>, _>((lo.clone(), hi.clone()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl ModelDb {
    /// Scans `(lo, hi)`, forwards or backwards, and checks the result
    /// against the model.
    pub fn check_scan_bounds(
        &self,
        lo: Bound<Vec<u8>>,
        hi: Bound<Vec<u8>>,
        reverse: bool,
    ) -> anyhow::Result<()> {
        let mut want = model_range(&self.model, &lo, &hi);
        let what = format!("scan {lo:?}..{hi:?} reverse={reverse}");
        let scan = self.db().scan((lo, hi))?;
        let got: Vec<_> = if reverse {
            want.reverse();
            scan.rev().collect::<Result<_, _>>()?
        } else {
            scan.collect::<Result<_, _>>()?
        };
        assert_eq!(got, want, "{what}");
        Ok(())
    }

    /// Opens a database on `storage` with an empty model.
    pub fn open(storage: Arc<dyn Storage>, options: Options) -> anyhow::Result<Self> {
        let db = Db::open(storage.clone(), options.clone())?;
        Ok(Self {
            storage,
            options,
            db: Some(db),
            model: Model::new(),
            snapshots: Vec::new(),
        })
    }

    /// The open database.
    pub fn db(&self) -> &Db {
        self.db.as_ref().expect("database is open")
    }

    /// Writes `key` = `value` to the database and the model.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) -> anyhow::Result<()> {
        self.db().put(&key, &value)?;
        self.model.insert(key, value);
        Ok(())
    }

    /// Deletes `key` from the database and the model.
    pub fn delete(&mut self, key: Vec<u8>) -> anyhow::Result<()> {
        self.db().delete(&key)?;
        self.model.remove(&key);
        Ok(())
    }

    /// Deletes every key of `[start, end)` from the database (one range
    /// tombstone) and from the model.
    pub fn delete_range(&mut self, start: Vec<u8>, end: Vec<u8>) -> anyhow::Result<()> {
        self.db().delete_range(&start, &end)?;
        remove_range(&mut self.model, &start, &end);
        Ok(())
    }

    /// Takes a snapshot and keeps it with a copy of the model.
    pub fn take_snapshot(&mut self) {
        let snap = self.db().snapshot();
        self.snapshots.push((snap, self.model.clone()));
    }

    /// Closes and reopens the database; snapshots do not outlive it.
    pub fn reopen(&mut self) -> anyhow::Result<()> {
        self.snapshots.clear();
        self.db.take().expect("database is open").close()?;
        self.db = Some(Db::open(self.storage.clone(), self.options.clone())?);
        Ok(())
    }

    /// A full scan of the database equals the model.
    pub fn check_latest(&self) -> anyhow::Result<()> {
        let want: Vec<_> = self.model.clone().into_iter().collect();
        assert_eq!(contents(self.db())?, want, "database and model differ");
        Ok(())
    }

    /// A full scan of the database equals the model, and a full scan of
    /// every held snapshot equals the model of its moment.
    pub fn check(&self) -> anyhow::Result<()> {
        self.check_latest()?;
        for (snap, model) in &self.snapshots {
            let got: Vec<_> = snap.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
            let want: Vec<_> = model.clone().into_iter().collect();
            assert_eq!(got, want, "snapshot and its model differ");
        }
        Ok(())
    }
}

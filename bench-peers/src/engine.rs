//! The small interface every engine under test implements, so the
//! workloads never know which engine they drive.

use std::path::Path;

use anyhow::Result;

/// Settings every engine gets the same way (where it has the knob).
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Block / page cache budget.
    pub cache_bytes: usize,
    /// Memtable (write buffer) size of the LSM engines; redb commits
    /// durably after this many bytes of writes instead.
    pub memtable_bytes: usize,
    /// Sync the log (or commit durably) on every write.
    pub sync: bool,
    /// redb only: writes grouped per transaction (see `engines/redb.rs`).
    pub redb_writes_per_txn: usize,
    /// Strata only: inline or background maintenance.
    pub strata_background: bool,
    /// Strata only: L0 slowdown trigger, if not the default.
    pub strata_l0_slowdown: Option<usize>,
    /// Strata only: L0 stop trigger, if not the default.
    pub strata_l0_stop: Option<usize>,
    /// Strata: background threads (`None`: Options').
    pub strata_jobs: Option<u32>,
    /// Strata: most parts a compaction is split into (`None`: Options').
    pub strata_subcompactions: Option<u32>,
    /// Strata: most table files mapped into memory (`None`: FsStorage's
    /// default; 0 reads every file with `pread`).
    pub strata_mapped_files: Option<usize>,
    /// Every engine with its own default options instead of the shared
    /// settings above (`sync` and redb's write grouping still apply).
    pub defaults: bool,
}

/// One thread's access to an open engine, for the many-thread workloads.
pub trait Handle: Send {
    /// Stores `value` under `key` (synced if the engine was opened so).
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()>;
    /// The length of the value of `key`, if present.
    fn get(&mut self, key: &[u8]) -> Result<Option<usize>>;
    /// Makes this handle's pending writes visible (redb commits its open
    /// transaction); the LSM engines have none.
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// What the harness needs from an engine.
pub trait Engine {
    /// Stores `value` under `key`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()>;
    /// Removes `key`.
    fn delete(&mut self, key: &[u8]) -> Result<()>;
    /// The length of the value of `key`, if present. Engines use their
    /// cheapest read API (no copy where they offer one).
    fn get(&mut self, key: &[u8]) -> Result<Option<usize>>;
    /// Visits up to `limit` entries from `start` on, in key order; returns
    /// (entries, key + value bytes).
    fn scan(&mut self, start: &[u8], limit: usize) -> Result<(u64, u64)>;
    /// A full compaction (Strata: `compact_range(..)`, which flushes and
    /// takes every key down to the deepest level).
    fn compact(&mut self) -> Result<()>;
    /// Write amplification as the engine itself counts it, if it does.
    fn reported_write_amp(&self) -> Option<f64> {
        None
    }
    /// Where writers waited since the last call, where the engine says.
    fn stall_report(&self) -> Option<String> {
        None
    }
    /// Tables per level, where the engine says.
    fn shape(&self) -> Option<String> {
        None
    }
    /// A handle another thread can use alongside this one.
    fn handle(&mut self) -> Result<Box<dyn Handle>>;
    /// Closes the database, waiting for background work (every handle
    /// must be dropped first).
    fn close(self: Box<Self>) -> Result<()>;
}

/// The engines the harness knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Strata,
    Fjall,
    Rocksdb,
    Redb,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Strata => "strata",
            Kind::Fjall => "fjall",
            Kind::Rocksdb => "rocksdb",
            Kind::Redb => "redb",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Strata, Kind::Fjall, Kind::Rocksdb, Kind::Redb]
            .into_iter()
            .find(|k| k.name() == s)
    }

    /// Whether this build can run the engine.
    pub fn available(self) -> bool {
        self != Kind::Rocksdb || cfg!(feature = "rocksdb")
    }

    /// Opens (creating if needed) the engine's database in `dir`.
    pub fn open(self, dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
        match self {
            Kind::Strata => crate::engines::strata::open(dir, config),
            Kind::Fjall => crate::engines::fjall::open(dir, config),
            Kind::Redb => crate::engines::redb::open(dir, config),
            #[cfg(feature = "rocksdb")]
            Kind::Rocksdb => crate::engines::rocks::open(dir, config),
            #[cfg(not(feature = "rocksdb"))]
            Kind::Rocksdb => anyhow::bail!("built without the `rocksdb` feature"),
        }
    }
}

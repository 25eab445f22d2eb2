//! Options that shape a database.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How data blocks are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Blocks are stored as built.
    #[default]
    None,
    /// Blocks are LZ4-compressed when that saves at least 1/8 of the bytes.
    Lz4,
}

/// How tables are merged as the tree grows. Every strategy gives the same
/// query results; they differ in write, read and space amplification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CompactionStrategy {
    /// LevelDB's: L0 tables overlap; every deeper level is one sorted run
    /// `level_size_ratio` times larger than the one above.
    #[default]
    Leveled,
    /// Tiering: each level collects up to `l0_compaction_trigger` sorted
    /// runs of similar size, then merges them all into one run a level down.
    SizeTiered,
    /// Tiering in L0 and L1, leveling from L2 down.
    Hybrid,
    /// RocksDB's universal compaction: the tree is a list of sorted runs by
    /// age; a stretch of runs merges when the newer runs outweigh the
    /// oldest (`universal_max_size_amplification_percent`), when runs of
    /// similar size pile up (`universal_size_ratio`,
    /// `universal_min_merge_width`), or to keep the run count under
    /// `l0_compaction_trigger`.
    Universal,
}

impl CompactionStrategy {
    /// How many levels, from L0, hold overlapping runs.
    pub fn tiered_levels(self) -> usize {
        match self {
            CompactionStrategy::Leveled => 1,
            CompactionStrategy::SizeTiered => crate::manifest::NUM_LEVELS,
            CompactionStrategy::Hybrid => 2,
            CompactionStrategy::Universal => crate::manifest::NUM_LEVELS,
        }
    }
}

/// Who runs flushes and compactions. The default is [`Background`] on
/// native targets (the fastest writes) and [`Inline`] on wasm32, which has
/// no threads; [`Options::deterministic`] asks for [`Inline`] everywhere.
///
/// [`Background`]: MaintenanceMode::Background
/// [`Inline`]: MaintenanceMode::Inline
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceMode {
    /// The writer that fills the memtable flushes it and runs whatever
    /// compactions are due before it returns (their failure does not fail
    /// that write: see [`crate::Db::maintenance_error`]). `Db::open` runs
    /// none. Deterministic, every target; the default on wasm32.
    Inline,
    /// A background thread flushes and compacts; writers slow down and stop
    /// on L0 file counts. Native only; the default there. When work happens
    /// depends on thread timing, so tree shapes after a write are not
    /// reproducible (the data read back always is).
    Background,
    /// Nothing runs by itself: the caller calls
    /// [`crate::Db::maintenance_step`] (the visualizer animates each step).
    /// A writer that finds the memtable full while the previous one still
    /// waits flushes that one itself.
    Manual,
}

impl Default for MaintenanceMode {
    /// [`MaintenanceMode::Background`] natively, [`MaintenanceMode::Inline`]
    /// on wasm32.
    fn default() -> Self {
        if cfg!(target_arch = "wasm32") {
            MaintenanceMode::Inline
        } else {
            MaintenanceMode::Background
        }
    }
}

/// Options for [`crate::Db::open`]. Serialisable, so a trace can carry the
/// options that produced it; a field missing from serialised options takes
/// its value from [`Options::deterministic`], so a trace never turns into
/// a background run by omission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default = "Options::deterministic")]
pub struct Options {
    /// Create an empty database if none exists.
    pub create_if_missing: bool,
    /// Refuse to open an existing database.
    pub error_if_exists: bool,
    /// Freeze the memtable once it holds this many bytes.
    pub memtable_bytes_max: usize,
    /// Target size of an uncompressed data block.
    pub block_size_bytes: usize,
    /// Keys between restart points in a block.
    pub block_restart_interval: usize,
    /// Bloom filter bits per key; 0 builds no filter.
    pub bloom_bits_per_key: u32,
    /// Block compression.
    pub compression: Compression,
    /// Seed of every random choice the engine makes (skiplist towers).
    pub seed: u64,
    /// How tables are merged.
    pub compaction_strategy: CompactionStrategy,
    /// Who runs flushes and compactions.
    pub maintenance: MaintenanceMode,
    /// L0 tables (or runs in a tiered level) that trigger a compaction.
    pub l0_compaction_trigger: usize,
    /// L0 tables at which each write is delayed (background mode).
    /// Default 20, RocksDB's figure: at LevelDB's 8, writers of a random
    /// fill spent a fifth to a half of their time delayed (BENCHMARKS.md,
    /// round 5), for about 7 % faster point reads.
    pub l0_slowdown_trigger: usize,
    /// L0 tables at which writes wait for compaction (background mode).
    /// Default 36.
    pub l0_stop_trigger: usize,
    /// Target size of the first leveled level.
    pub level_base_bytes: u64,
    /// Each leveled level's target is this many times the one above.
    pub level_size_ratio: u32,
    /// Set level targets from the last level up (RocksDB's
    /// `level_compaction_dynamic_level_bytes`): the last level's target is
    /// its size, each level above gets `1/level_size_ratio` of the one
    /// below down to `level_base_bytes`, and L0 compacts straight into that
    /// *base level*. Space amplification then approaches `1 + 1/T`. Only
    /// leveled levels have targets (no effect under size-tiered).
    pub level_compaction_dynamic_level_bytes: bool,
    /// Universal compaction: merge every run when the runs newer than the
    /// oldest hold more than this percentage of the oldest run's bytes.
    pub universal_max_size_amplification_percent: u32,
    /// Universal compaction: a run joins a merge while it is at most
    /// `100 + this` percent of the bytes of the runs taken before it.
    pub universal_size_ratio: u32,
    /// Universal compaction: fewest runs a size-ratio merge takes.
    pub universal_min_merge_width: usize,
    /// A rule compaction applies to the newest version of each key that no
    /// snapshot sees: keep, remove or change the value
    /// ([`crate::compaction::filter`]). Not serialised.
    #[serde(skip)]
    pub compaction_filter: crate::compaction::filter::FilterSlot,
    /// Compaction outputs into leveled levels are cut at this size.
    pub target_file_size_bytes: u64,
    /// An output is also cut before it overlaps more than this many times
    /// `target_file_size_bytes` of the level below its own.
    pub grandparent_overlap_factor: u32,
    /// Limit on compaction write throughput (background mode); `None` for
    /// no limit.
    pub compaction_bytes_per_second: Option<u64>,
    /// Background mode: threads that flush and compact. With more than
    /// one, compactions whose levels do not meet run at the same time
    /// (an L0 → L1 merge beside an L3 → L4 one), and a flush need not wait
    /// for a compaction. The inline and manual drivers run one unit at a
    /// time whatever this says.
    pub max_background_jobs: u32,
    /// Background mode: most parts one compaction into a leveled level is
    /// split into, by key range, each merged on a thread of its own
    /// (RocksDB's sub-compactions; its default is 1). 1: never split. The
    /// default, 2, made a full compaction of a million entries about 1.5×
    /// faster on two cores (BENCHMARKS.md, "Parallel compactions").
    pub max_subcompactions: u32,
    /// Budget of the cache of decoded data blocks that point reads fill;
    /// 0 disables it. Caching never changes results or events. Tables
    /// whose storage lends their bytes without a copy (`FsStorage`'s
    /// mapped files, `MemStorage`, the browser's image of IndexedDB) are
    /// read in place and do not use it, the map or the memory being their
    /// cache, unless their blocks are compressed. It serves those and the
    /// tables read with `pread`, past the storage's limit on mapped files.
    pub block_cache_bytes: usize,
    /// Most tables kept open (each holds a file handle): the least
    /// recently used is closed past this. A scan still opens, for its
    /// life, every table it reads.
    pub max_open_tables: usize,
    /// Time to live: a record written this many milliseconds ago or more
    /// (by the time of [`crate::Db::set_time`]) is hidden from reads and
    /// removed by compaction ([`crate::ttl`]). Set, every put is stored
    /// with its write time; whether a database stores write times is
    /// fixed when it is created. `None` (the default): records never
    /// expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            create_if_missing: true,
            error_if_exists: false,
            memtable_bytes_max: 4 << 20,
            block_size_bytes: 4096,
            block_restart_interval: 16,
            bloom_bits_per_key: 10,
            compression: Compression::None,
            seed: 0x5354_5241_5441,
            compaction_strategy: CompactionStrategy::Leveled,
            maintenance: MaintenanceMode::default(),
            l0_compaction_trigger: 4,
            l0_slowdown_trigger: 20,
            l0_stop_trigger: 36,
            level_base_bytes: 10 << 20,
            level_size_ratio: 10,
            level_compaction_dynamic_level_bytes: false,
            universal_max_size_amplification_percent: 200,
            universal_size_ratio: 1,
            universal_min_merge_width: 2,
            compaction_filter: crate::compaction::filter::FilterSlot::default(),
            target_file_size_bytes: 2 << 20,
            grandparent_overlap_factor: 10,
            compaction_bytes_per_second: None,
            max_background_jobs: 2,
            max_subcompactions: 2,
            block_cache_bytes: 8 << 20,
            max_open_tables: 1000,
            ttl_ms: None,
        }
    }
}

impl Options {
    /// The defaults with [`MaintenanceMode::Inline`]: every flush and
    /// compaction runs inside the write that makes it due, so the same
    /// operations build the same tree and emit the same trace on every
    /// target. Scripts, traces, the visualizer and tests that look at tree
    /// shapes start from these.
    pub fn deterministic() -> Self {
        Options {
            maintenance: MaintenanceMode::Inline,
            ..Options::default()
        }
    }
}

/// Limits on options, so a typo cannot make the engine allocate wildly.
pub const MAX_MEMTABLE_BYTES: usize = 1 << 30;
/// Largest accepted block size.
pub const MAX_BLOCK_SIZE_BYTES: usize = 1 << 20;
/// Largest accepted bloom bits per key.
pub const MAX_BLOOM_BITS_PER_KEY: u32 = 64;
/// Most background threads.
pub const MAX_BACKGROUND_JOBS: u32 = 64;
/// Most parts a compaction is split into.
pub const MAX_SUBCOMPACTIONS: u32 = 64;

impl Options {
    /// Checks every option against its limits.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidOptions(msg));
        if !(1024..=MAX_MEMTABLE_BYTES).contains(&self.memtable_bytes_max) {
            return bad(format!(
                "memtable_bytes_max must be within 1 KiB..={MAX_MEMTABLE_BYTES}"
            ));
        }
        if !(64..=MAX_BLOCK_SIZE_BYTES).contains(&self.block_size_bytes) {
            return bad(format!(
                "block_size_bytes must be within 64..={MAX_BLOCK_SIZE_BYTES}"
            ));
        }
        if !(1..=1024).contains(&self.block_restart_interval) {
            return bad("block_restart_interval must be within 1..=1024".into());
        }
        if self.bloom_bits_per_key > MAX_BLOOM_BITS_PER_KEY {
            return bad(format!(
                "bloom_bits_per_key must be at most {MAX_BLOOM_BITS_PER_KEY}"
            ));
        }
        if !(1..=1_000_000).contains(&self.max_open_tables) {
            return bad("max_open_tables must be within 1..=1000000".into());
        }
        self.validate_compaction()
    }

    fn validate_compaction(&self) -> Result<()> {
        let bad = |msg: &str| Err(Error::InvalidOptions(msg.to_owned()));
        if !(2..=64).contains(&self.l0_compaction_trigger) {
            return bad("l0_compaction_trigger must be within 2..=64");
        }
        if self.l0_slowdown_trigger < self.l0_compaction_trigger
            || self.l0_stop_trigger < self.l0_slowdown_trigger
            || self.l0_stop_trigger > 1024
        {
            return bad(
                "need l0_compaction_trigger <= l0_slowdown_trigger <= l0_stop_trigger <= 1024",
            );
        }
        if !(2..=100).contains(&self.level_size_ratio) {
            return bad("level_size_ratio must be within 2..=100");
        }
        if !(1024..=1 << 40).contains(&self.level_base_bytes) {
            return bad("level_base_bytes must be within 1 KiB..=1 TiB");
        }
        if !(1024..=1 << 32).contains(&self.target_file_size_bytes) {
            return bad("target_file_size_bytes must be within 1 KiB..=4 GiB");
        }
        if !(1..=1000).contains(&self.grandparent_overlap_factor) {
            return bad("grandparent_overlap_factor must be within 1..=1000");
        }
        if !(1..=100_000).contains(&self.universal_max_size_amplification_percent) {
            return bad("universal_max_size_amplification_percent must be within 1..=100000");
        }
        if self.universal_size_ratio > 10_000 {
            return bad("universal_size_ratio must be at most 10000");
        }
        if !(2..=64).contains(&self.universal_min_merge_width) {
            return bad("universal_min_merge_width must be within 2..=64");
        }
        if self.ttl_ms == Some(0) {
            return bad("ttl_ms must be positive (or None)");
        }
        if !(1..=MAX_BACKGROUND_JOBS).contains(&self.max_background_jobs) {
            return bad("max_background_jobs must be within 1..=64");
        }
        if !(1..=MAX_SUBCOMPACTIONS).contains(&self.max_subcompactions) {
            return bad("max_subcompactions must be within 1..=64");
        }
        if self.compaction_bytes_per_second == Some(0) {
            return bad("compaction_bytes_per_second must be positive (or None)");
        }
        if self.maintenance == MaintenanceMode::Background && cfg!(target_arch = "wasm32") {
            return bad("background maintenance needs threads; use Inline or Manual on wasm32");
        }
        Ok(())
    }

    /// Static target size of `level` (leveled levels; 0 for L0). With
    /// `level_compaction_dynamic_level_bytes` the targets depend on the
    /// tree: see [`crate::compaction::level_targets`].
    pub fn level_target_bytes(&self, level: usize) -> u64 {
        let first_leveled = self.compaction_strategy.tiered_levels().max(1);
        if level < first_leveled {
            return 0;
        }
        let steps = (level - first_leveled) as u32;
        (0..steps).fold(self.level_base_bytes, |bytes, _| {
            bytes.saturating_mul(u64::from(self.level_size_ratio))
        })
    }
}

/// Options of one write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOptions {
    /// Sync the write-ahead log before acknowledging: the write then
    /// survives any crash of the process or the machine — on real files.
    /// **In the browser it does not:** `IdbStorage`'s sync makes the write
    /// durable in its in-memory image only, and IndexedDB commits it a
    /// moment later; a tab closed in between loses it. Await
    /// [`crate::Db::persisted`] when that matters.
    pub sync: bool,
}

//! Counters of what the engine did, and the amplification figures derived
//! from them.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use serde::{Deserialize, Serialize};

/// Live counters, updated without locks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub user_bytes_written: AtomicU64,
    pub wal_bytes_written: AtomicU64,
    pub flush_bytes_written: AtomicU64,
    pub flushes: AtomicU64,
    pub flushes_during_compaction: AtomicU64,
    pub gets: AtomicU64,
    pub tables_probed: AtomicU64,
    pub bloom_probes: AtomicU64,
    pub bloom_negatives: AtomicU64,
    pub bloom_false_positives: AtomicU64,
    pub blocks_read: AtomicU64,
    pub levels: [LevelCounters; crate::manifest::NUM_LEVELS],
    pub stalls: StallCounters,
}

/// Writer stalls by reason (counted by the background driver only).
#[derive(Debug, Default)]
pub(crate) struct StallCounters {
    pub memtable_full: StallCounter,
    pub l0_stop: StallCounter,
    pub l0_slowdown: StallCounter,
    pub log_switch: StallCounter,
}

/// How many writes waited for one reason, and for how long in total.
#[derive(Debug, Default)]
pub(crate) struct StallCounter {
    pub count: AtomicU64,
    pub micros: AtomicU64,
}

impl StallCounter {
    /// Counts waits; only the native background driver times them.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add(&self, count: u64, micros: u64) {
        self.count.fetch_add(count, Relaxed);
        self.micros.fetch_add(micros, Relaxed);
    }

    fn load(&self) -> Stall {
        Stall {
            count: self.count.load(Relaxed),
            micros: self.micros.load(Relaxed),
        }
    }
}

/// Per-level compaction counters.
#[derive(Debug, Default)]
pub(crate) struct LevelCounters {
    pub compactions: AtomicU64,
    pub trivial_moves: AtomicU64,
    pub bytes_read: AtomicU64,
    pub bytes_written: AtomicU64,
    pub micros: AtomicU64,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }
}

/// One level of the tree.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelStats {
    /// Tables in the level.
    pub tables: u64,
    /// Bytes of those tables.
    pub bytes: u64,
    /// Target size (leveled levels; 0 for tiered ones).
    pub target_bytes: u64,
    /// Compactions whose outputs went to this level.
    pub compactions: u64,
    /// Of those, trivial moves (no rewrite).
    pub trivial_moves: u64,
    /// Table bytes those compactions read.
    pub compaction_bytes_read: u64,
    /// Table bytes those compactions wrote.
    pub compaction_bytes_written: u64,
    /// Time spent in them, measured by the background driver (the engine
    /// core has no clock; 0 in the inline and manual modes).
    pub compaction_micros: u64,
}

/// Writes that waited for one reason, and the time they waited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stall {
    /// Writes that waited (each write counts once per reason).
    pub count: u64,
    /// Microseconds they waited, in total.
    pub micros: u64,
}

/// Where writers waited, by reason, as RocksDB's stall statistics report
/// it. Measured by the native background mode only: the engine core has
/// no clock, so in the inline and manual modes every figure is 0 (writers
/// there do the maintenance themselves instead of waiting for it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StallStats {
    /// The memtable was full while the previous one still waited for its
    /// flush.
    pub memtable_full: Stall,
    /// L0 held `l0_stop_trigger` tables: writes waited for compaction.
    pub l0_stop: Stall,
    /// L0 held `l0_slowdown_trigger` tables: each write was delayed once.
    pub l0_slowdown: Stall,
    /// A freeze switched to a new log (under the database lock): it
    /// creates the file, and syncs the directory only if the old log's
    /// name is not durable yet. The old log is not synced here (see
    /// `docs/durability.md`).
    pub log_switch: Stall,
}

impl StallStats {
    /// All stalls together.
    pub fn total(&self) -> Stall {
        [
            self.memtable_full,
            self.l0_stop,
            self.l0_slowdown,
            self.log_switch,
        ]
        .iter()
        .fold(Stall::default(), |a, s| Stall {
            count: a.count + s.count,
            micros: a.micros + s.micros,
        })
    }

    /// The stalls since `earlier` (a snapshot of the same database).
    pub fn since(&self, earlier: &StallStats) -> StallStats {
        let d = |a: Stall, b: Stall| Stall {
            count: a.count.saturating_sub(b.count),
            micros: a.micros.saturating_sub(b.micros),
        };
        StallStats {
            memtable_full: d(self.memtable_full, earlier.memtable_full),
            l0_stop: d(self.l0_stop, earlier.l0_stop),
            l0_slowdown: d(self.l0_slowdown, earlier.l0_slowdown),
            log_switch: d(self.log_switch, earlier.log_switch),
        }
    }
}

/// A snapshot of the engine's counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Key and value bytes the user wrote.
    pub user_bytes_written: u64,
    /// Bytes appended to write-ahead logs.
    pub wal_bytes_written: u64,
    /// Table bytes written by flushes.
    pub flush_bytes_written: u64,
    /// Memtables flushed.
    pub flushes: u64,
    /// Of those, flushes the background driver ran in the middle of a
    /// compaction, between pieces of its output.
    #[serde(default)]
    pub flushes_during_compaction: u64,
    /// Point lookups served.
    pub gets: u64,
    /// Tables whose filter or blocks a get looked at.
    pub tables_probed: u64,
    /// Data blocks gets read.
    pub blocks_read: u64,
    /// Bloom filter tests.
    pub bloom_probes: u64,
    /// Tests that answered "definitely absent".
    pub bloom_negatives: u64,
    /// Tests that answered "maybe" for a key the table did not hold.
    pub bloom_false_positives: u64,
    /// Entries in the active memtable.
    pub memtable_entries: u64,
    /// Approximate bytes in the active memtable.
    pub memtable_bytes: u64,
    /// Whether a frozen memtable waits to be flushed.
    pub immutable_memtable: bool,
    /// The last sequence number used.
    pub last_seq: u64,
    /// Per level, L0 first.
    pub levels: Vec<LevelStats>,
    /// Where writers waited (background mode).
    #[serde(default)]
    pub stalls: StallStats,
}

impl Stats {
    pub(crate) fn from_counters(c: &Counters) -> Self {
        Self {
            user_bytes_written: c.user_bytes_written.load(Relaxed),
            wal_bytes_written: c.wal_bytes_written.load(Relaxed),
            flush_bytes_written: c.flush_bytes_written.load(Relaxed),
            flushes: c.flushes.load(Relaxed),
            flushes_during_compaction: c.flushes_during_compaction.load(Relaxed),
            gets: c.gets.load(Relaxed),
            tables_probed: c.tables_probed.load(Relaxed),
            bloom_probes: c.bloom_probes.load(Relaxed),
            bloom_negatives: c.bloom_negatives.load(Relaxed),
            bloom_false_positives: c.bloom_false_positives.load(Relaxed),
            blocks_read: c.blocks_read.load(Relaxed),
            levels: c
                .levels
                .iter()
                .map(|l| LevelStats {
                    compactions: l.compactions.load(Relaxed),
                    trivial_moves: l.trivial_moves.load(Relaxed),
                    compaction_bytes_read: l.bytes_read.load(Relaxed),
                    compaction_bytes_written: l.bytes_written.load(Relaxed),
                    compaction_micros: l.micros.load(Relaxed),
                    ..LevelStats::default()
                })
                .collect(),
            stalls: StallStats {
                memtable_full: c.stalls.memtable_full.load(),
                l0_stop: c.stalls.l0_stop.load(),
                l0_slowdown: c.stalls.l0_slowdown.load(),
                log_switch: c.stalls.log_switch.load(),
            },
            ..Self::default()
        }
    }

    /// Table bytes written by compactions, all levels.
    pub fn compaction_bytes_written(&self) -> u64 {
        self.levels.iter().map(|l| l.compaction_bytes_written).sum()
    }

    /// Bytes of all live tables.
    pub fn table_bytes(&self) -> u64 {
        self.levels.iter().map(|l| l.bytes).sum()
    }

    /// Write amplification: (flush + compaction bytes) / user bytes.
    pub fn write_amplification(&self) -> f64 {
        ratio(
            self.flush_bytes_written + self.compaction_bytes_written(),
            self.user_bytes_written,
        )
    }

    /// Read amplification: tables probed per get.
    pub fn read_amplification(&self) -> f64 {
        ratio(self.tables_probed, self.gets)
    }

    /// Read amplification in blocks: data blocks read per get.
    pub fn blocks_read_per_get(&self) -> f64 {
        ratio(self.blocks_read, self.gets)
    }

    /// Space amplification: table bytes / `live_data_bytes` (see
    /// [`crate::Db::live_data_bytes`]).
    pub fn space_amplification(&self, live_data_bytes: u64) -> f64 {
        ratio(self.table_bytes(), live_data_bytes)
    }

    /// Observed bloom false-positive rate over the tests of keys a table did
    /// not hold: false positives / (negatives + false positives).
    pub fn bloom_false_positive_rate(&self) -> f64 {
        ratio(
            self.bloom_false_positives,
            self.bloom_negatives + self.bloom_false_positives,
        )
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

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
    pub gets: AtomicU64,
    pub tables_probed: AtomicU64,
    pub bloom_probes: AtomicU64,
    pub bloom_negatives: AtomicU64,
    pub bloom_false_positives: AtomicU64,
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
    /// Point lookups served.
    pub gets: u64,
    /// Tables whose filter or blocks a get looked at.
    pub tables_probed: u64,
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
}

impl Stats {
    pub(crate) fn from_counters(c: &Counters) -> Self {
        Self {
            user_bytes_written: c.user_bytes_written.load(Relaxed),
            wal_bytes_written: c.wal_bytes_written.load(Relaxed),
            flush_bytes_written: c.flush_bytes_written.load(Relaxed),
            flushes: c.flushes.load(Relaxed),
            gets: c.gets.load(Relaxed),
            tables_probed: c.tables_probed.load(Relaxed),
            bloom_probes: c.bloom_probes.load(Relaxed),
            bloom_negatives: c.bloom_negatives.load(Relaxed),
            bloom_false_positives: c.bloom_false_positives.load(Relaxed),
            ..Self::default()
        }
    }

    /// Table bytes written per user byte: (flush bytes) / user bytes.
    pub fn write_amplification(&self) -> f64 {
        ratio(self.flush_bytes_written, self.user_bytes_written)
    }

    /// Tables probed per get.
    pub fn read_amplification(&self) -> f64 {
        ratio(self.tables_probed, self.gets)
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

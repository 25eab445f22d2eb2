//! The trace: every internal step of the engine as a typed event.
//!
//! Events are the visualizer's only window into the engine. They carry what
//! is needed to draw and narrate a step (file numbers, key ranges, bit
//! positions, reasons) and nothing that differs between runs: no times, no
//! addresses. The same options, seed and calls give the same events on every
//! target.
//!
//! With no observer attached, [`Tracer::emit`] tests one `Option` and builds
//! nothing.

mod tracer;

use serde::{Deserialize, Serialize};

use crate::record::{SeqNo, ValueKind};

pub use tracer::{Job, Observer, TraceRecorder, Tracer};

/// Which memtable a step touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemtableSlot {
    /// The memtable taking writes.
    Active,
    /// The frozen memtable waiting to be flushed.
    Immutable,
}

/// Why a get skipped a table or looked inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableDecision {
    /// The key lies outside the table's key range.
    SkippedKeyRange,
    /// The key range covers the key: the table is probed.
    Probed,
}

/// What a bloom filter said about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BloomVerdict {
    /// At least one bit is clear: the key is certainly not in the table.
    DefinitelyAbsent,
    /// All bits are set: the key may be in the table.
    MaybePresent,
}

/// Where a get found its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "in")]
pub enum GetSource {
    /// A memtable.
    Memtable {
        /// Which one.
        slot: MemtableSlot,
    },
    /// A table.
    Table {
        /// Its level.
        level: u32,
        /// Its file number.
        file_number: u64,
    },
    /// Nowhere: the key has never been written (or is gone).
    Nowhere,
}

/// The answer a get gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GetOutcome {
    /// A value was found.
    Found,
    /// The newest visible record is a tombstone.
    Deleted,
    /// No record of the key is visible.
    NotFound,
    /// The newest visible record is a put older than the time to live
    /// ([`crate::Options::ttl_ms`]): hidden, as if deleted.
    Expired,
}

/// How a WAL record was split across 32 KiB blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FragmentKind {
    /// The whole record in one fragment.
    Full,
    /// The first fragment of several.
    First,
    /// A fragment in the middle.
    Middle,
    /// The last fragment.
    Last,
}

/// What a scan did with one entry it met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanDecision {
    /// Returned to the caller.
    Returned,
    /// An older version hidden by a newer one.
    Shadowed,
    /// A tombstone: the key is deleted.
    Tombstone,
    /// Newer than the scan's snapshot.
    Invisible,
    /// The newest visible version is a put older than the time to live:
    /// the key is hidden, as if deleted.
    Expired,
}

/// Why a compaction was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompactionTrigger {
    /// A tiered level (L0 in every strategy) holds too many runs.
    RunCount {
        /// Runs (tables) in the level.
        runs: u64,
        /// The count that triggers a compaction.
        threshold: u64,
    },
    /// A leveled level is larger than its target.
    LevelSize {
        /// Bytes in the level.
        bytes: u64,
        /// Its target.
        target_bytes: u64,
    },
    /// Universal compaction: the runs newer than the oldest hold more than
    /// `max_percent` % of the oldest run's bytes.
    SpaceAmplification {
        /// Bytes of the newer runs, as a percentage of the oldest run's.
        percent: u64,
        /// `universal_max_size_amplification_percent`.
        max_percent: u64,
    },
    /// Universal compaction: `runs` consecutive runs of similar size (each
    /// at most `100 + size_ratio_percent` % of the ones before it).
    SizeRatio {
        /// Runs in the stretch.
        runs: u64,
        /// `universal_size_ratio`.
        size_ratio_percent: u64,
    },
    /// [`crate::Db::compact_range`] asked for it: the level holds tables
    /// in the range, which go down to `target_level`.
    Manual {
        /// The deepest level holding data, where the range ends up.
        target_level: u32,
    },
}

/// What a compaction did with one record, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryFate {
    /// The newest version of its key: written to the output.
    Kept,
    /// A newer version of the key is visible to every reader: dropped.
    Shadowed,
    /// A tombstone with nothing older below it and no snapshot needing it:
    /// dropped, and the key is gone for good.
    TombstoneDroppedAtBottom,
    /// A tombstone kept because older versions of the key may lie in a
    /// level below the output.
    TombstoneKeptOlderDataBelow,
    /// An older version (or a tombstone) kept because a live snapshot sees
    /// it.
    KeptForSnapshot,
    /// A record older than a range tombstone covering its key, which every
    /// reader that sees the record also sees: dropped.
    CoveredByRangeTombstone,
}

/// A table as shown in events: number, level, size and user-key range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSummary {
    /// Level the table is in.
    pub level: u32,
    /// File number.
    pub file_number: u64,
    /// Bytes on storage.
    pub size_bytes: u64,
    /// Number of entries.
    pub entries: u64,
    /// Smallest user key.
    #[serde(with = "crate::key_text")]
    pub smallest: Vec<u8>,
    /// Largest user key.
    #[serde(with = "crate::key_text")]
    pub largest: Vec<u8>,
}

/// One step of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A write batch was appended to the write-ahead log.
    WalAppended {
        /// The log's file number.
        file_number: u64,
        /// Offset of the record's first fragment.
        offset: u64,
        /// Bytes written, headers included.
        bytes: u64,
        /// How the record was fragmented.
        fragments: Vec<FragmentKind>,
        /// Sequence number of the batch's first record.
        first_seq: SeqNo,
        /// Records in the batch.
        count: u32,
    },
    /// The write-ahead log was synced.
    WalSynced {
        /// The log's file number.
        file_number: u64,
    },
    /// A record went into the active memtable.
    MemtableInsert {
        /// The user key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// Its sequence number.
        seq: SeqNo,
        /// Put or delete.
        kind: ValueKind,
        /// Height of the new skiplist node's tower.
        tower_height: u8,
        /// Entries in the memtable afterwards.
        entries: u64,
        /// Approximate bytes in the memtable afterwards.
        bytes: u64,
    },
    /// A range tombstone went into the active memtable: every key of
    /// `[start, end)` written before `seq` is deleted.
    RangeDeleted {
        /// First key deleted.
        #[serde(with = "crate::key_text")]
        start: Vec<u8>,
        /// First key after the range (not deleted).
        #[serde(with = "crate::key_text")]
        end: Vec<u8>,
        /// The tombstone's sequence number.
        seq: SeqNo,
        /// Approximate bytes in the memtable afterwards.
        bytes: u64,
    },
    /// The active memtable was frozen; a fresh one and a fresh log take writes.
    MemtableFrozen {
        /// Entries in the frozen memtable.
        entries: u64,
        /// Its approximate size.
        bytes: u64,
        /// The log that holds its records.
        wal_file_number: u64,
        /// The log the new memtable writes to.
        new_wal_file_number: u64,
    },
    /// Flushing the immutable memtable to a table began.
    FlushStarted {
        /// The table being written.
        file_number: u64,
        /// Entries to write.
        entries: u64,
    },
    /// A data block was written to a table.
    BlockWritten {
        /// The table.
        file_number: u64,
        /// Index of the block in the table.
        block_index: u32,
        /// Offset of the block in the file.
        offset: u64,
        /// Bytes on storage (after compression, with trailer).
        bytes: u64,
        /// Entries in the block.
        entries: u32,
        /// Restart points in the block.
        restarts: u32,
        /// First user key.
        #[serde(with = "crate::key_text")]
        first_key: Vec<u8>,
        /// Last user key.
        #[serde(with = "crate::key_text")]
        last_key: Vec<u8>,
        /// Whether the block is stored compressed.
        compressed: bool,
    },
    /// A table's bloom filter was built.
    BloomBuilt {
        /// The table.
        file_number: u64,
        /// Keys added.
        keys: u64,
        /// Bits in the filter.
        bits: u64,
        /// Hash functions (probes per key).
        hash_count: u32,
    },
    /// A table was completed and synced.
    TableFinished {
        /// The table.
        table: TableSummary,
        /// Data blocks in it.
        data_blocks: u32,
    },
    /// The flush finished; the table is part of the new version.
    FlushFinished {
        /// The new table.
        file_number: u64,
    },
    /// A version edit was appended to the manifest and synced.
    ManifestEdit {
        /// The manifest's file number.
        manifest_file_number: u64,
        /// Tables added.
        added: Vec<TableSummary>,
        /// Tables removed: (level, file number).
        removed: Vec<(u32, u64)>,
        /// Logs older than this are no longer needed.
        log_number: Option<u64>,
        /// The next file number to hand out.
        next_file_number: Option<u64>,
        /// The last sequence number used.
        last_seq: Option<SeqNo>,
    },
    /// A log no longer needed was deleted.
    WalRetired {
        /// The log's file number.
        file_number: u64,
    },
    /// A file no version references was deleted.
    FileDeleted {
        /// The file's name.
        name: String,
    },
    /// A get began.
    GetStarted {
        /// The key looked up.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The sequence number the read sees up to.
        snapshot_seq: SeqNo,
    },
    /// A get looked in a memtable.
    MemtableSearched {
        /// Which memtable.
        slot: MemtableSlot,
        /// Kind of the newest visible record of the key there, if any.
        found: Option<ValueKind>,
    },
    /// A get considered a table.
    TableConsidered {
        /// Its level.
        level: u32,
        /// Its file number.
        file_number: u64,
        /// Whether it was skipped (and why) or probed.
        decision: TableDecision,
    },
    /// A table's bloom filter was tested.
    BloomProbe {
        /// The table.
        file_number: u64,
        /// The bit positions tested.
        bit_positions: Vec<u64>,
        /// Bits in the filter.
        bits: u64,
        /// The verdict.
        verdict: BloomVerdict,
    },
    /// The index block was searched for the data block that may hold the key.
    IndexSearch {
        /// The table.
        file_number: u64,
        /// The data block chosen; `None` if the key is past the last block.
        block_index: Option<u32>,
    },
    /// A block was read from storage.
    BlockRead {
        /// The table.
        file_number: u64,
        /// Index of the data block.
        block_index: u32,
        /// Offset in the file.
        offset: u64,
        /// Bytes read.
        bytes: u64,
    },
    /// A bloom filter said "maybe" but the table did not hold the key.
    BloomFalsePositive {
        /// The table.
        file_number: u64,
    },
    /// A range tombstone answered the get: at `source` the newest record
    /// of the key the get may see is older than a range tombstone covering
    /// it, so the key reads as deleted there (whatever the filter and the
    /// blocks said).
    RangeTombstoneCovers {
        /// The memtable or table holding the tombstone.
        source: GetSource,
        /// The tombstone's sequence number.
        seq: SeqNo,
    },
    /// A get finished.
    GetFinished {
        /// The key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The answer.
        outcome: GetOutcome,
        /// Where the answer came from.
        source: GetSource,
        /// Tables whose blocks were read.
        tables_probed: u32,
    },
    /// A scan began.
    ScanStarted {
        /// Sources merged: memtables and tables.
        sources: u32,
        /// The sequence number the scan sees up to.
        snapshot_seq: SeqNo,
        /// Whether it runs from high keys to low.
        reverse: bool,
    },
    /// A scan met an entry.
    ScanStep {
        /// The user key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The record's sequence number.
        seq: SeqNo,
        /// What the scan did with it.
        decision: ScanDecision,
        /// The merging iterator's source it came from, an index into the
        /// sources in the order `ScanStarted` counts them: the memtable,
        /// the immutable memtable if any, each table of a tiered level
        /// (newest first), then one cursor per non-empty leveled level.
        #[serde(default)]
        source: u32,
    },
    /// A compaction was chosen.
    CompactionPicked {
        /// The strategy that chose it.
        strategy: crate::options::CompactionStrategy,
        /// The level being compacted.
        level: u32,
        /// The level the outputs go to.
        output_level: u32,
        /// The level's score (size or run count over its trigger).
        score: f64,
        /// Why the level was due.
        trigger: CompactionTrigger,
        /// Input tables from both levels.
        inputs: Vec<TableSummary>,
        /// Whether the table moves down by a manifest edit alone.
        trivial_move: bool,
    },
    /// A compaction decided the fate of one record.
    CompactionEntry {
        /// The user key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The record's sequence number.
        seq: SeqNo,
        /// Put or delete.
        kind: ValueKind,
        /// What happened to it.
        fate: EntryFate,
    },
    /// A compaction decided the fate of one fragment of a range tombstone
    /// (overlapping tombstones are cut into disjoint fragments first). Kept
    /// fragments are written to the output tables, clipped to each
    /// table's key range.
    CompactionRangeTombstone {
        /// First key of the fragment.
        #[serde(with = "crate::key_text")]
        start: Vec<u8>,
        /// First key after the fragment.
        #[serde(with = "crate::key_text")]
        end: Vec<u8>,
        /// The tombstone's sequence number.
        seq: SeqNo,
        /// What happened to it: `Shadowed` (a newer tombstone over the
        /// fragment hides it from every reader), `TombstoneDroppedAtBottom`,
        /// `TombstoneKeptOlderDataBelow` or `KeptForSnapshot`, under the
        /// rules of point tombstones.
        fate: EntryFate,
    },
    /// [`crate::Db::compact_range`] began: everything in the range goes
    /// down to `target_level`, one level at a time.
    CompactRangeStarted {
        /// First key (inclusive); `None` from the beginning.
        #[serde(default, with = "crate::key_text::option")]
        start: Option<Vec<u8>>,
        /// Last key; `None` to the end.
        #[serde(default, with = "crate::key_text::option")]
        end: Option<Vec<u8>>,
        /// Whether `end` itself is in the range.
        #[serde(default)]
        end_inclusive: bool,
        /// The deepest level holding data.
        target_level: u32,
    },
    /// [`crate::Db::compact_range`] finished.
    CompactRangeFinished {
        /// Compactions it ran (trivial moves included).
        compactions: u32,
    },
    /// The compaction filter changed or removed the record just reported
    /// by `CompactionEntry` (its fate there is `kept`).
    CompactionFiltered {
        /// The user key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The record's sequence number.
        seq: SeqNo,
        /// What became of it.
        outcome: crate::compaction::filter::FilterOutcome,
        /// Why: the caller's filter, or the record's time to live.
        #[serde(default)]
        reason: crate::compaction::filter::FilterReason,
    },
    /// The caller set the time ([`crate::Db::set_time`]): later puts carry
    /// it, and with a TTL, reads and compactions expire records by it.
    TimeSet {
        /// The time, in milliseconds on the caller's clock.
        now_ms: u64,
        /// The database's time to live, if it has one.
        ttl_ms: Option<u64>,
    },
    /// A compaction finished and its edit is installed.
    CompactionFinished {
        /// The level compacted.
        level: u32,
        /// The level written.
        output_level: u32,
        /// Input tables removed.
        inputs: Vec<u64>,
        /// Output tables added.
        outputs: Vec<u64>,
        /// Table bytes read.
        bytes_read: u64,
        /// Table bytes written.
        bytes_written: u64,
        /// Records read.
        entries_in: u64,
        /// Records written.
        entries_out: u64,
    },
    /// Opening began.
    RecoveryStarted {
        /// Whether an existing database was found.
        existing: bool,
    },
    /// The manifest was replayed.
    ManifestReplayed {
        /// The manifest's file number.
        manifest_file_number: u64,
        /// Version edits applied.
        edits: u32,
        /// Tables in the recovered version.
        tables: u32,
    },
    /// A write-ahead log was replayed into the memtable.
    WalReplayed {
        /// The log's file number.
        file_number: u64,
        /// Batches applied.
        batches: u64,
        /// Records applied.
        records: u64,
        /// If the log ended in a torn record, the offset it was cut at.
        truncated_at: Option<u64>,
    },
    /// Opening finished.
    RecoveryFinished {
        /// The last sequence number in the database.
        last_seq: SeqNo,
        /// Tables in the database.
        tables: u32,
    },
}

//! The narration catalogue: one [`Line`] per sentence the narration shows
//! for an operation, its outcome or an engine event, rendered by a `match`
//! per language with no wildcard arm. The view-model
//! (`model::narrate`) picks the line and its arguments; names of files,
//! keys and sizes arrive already written, since they read the same in
//! both languages.

mod en;
mod zh;

use strata_engine::compaction::filter::{FilterOutcome, FilterReason};
use strata_engine::event::{EntryFate, GetOutcome, MemtableSlot, ScanDecision};
use strata_engine::ValueKind;

use super::{shown, Lang};

/// Where a get found its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// In a memtable.
    Memtable(MemtableSlot),
    /// In a table of a level.
    Table { level: u32, table: &'a str },
    /// Nowhere: not found.
    Nowhere,
}

/// Why a compaction was due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due<'a> {
    /// A tiered level holds too many runs.
    RunCount {
        level: u32,
        runs: u64,
        threshold: u64,
    },
    /// A leveled level is over its target size.
    LevelSize {
        level: u32,
        bytes: &'a str,
        target: &'a str,
    },
    /// A full compaction of a key range takes it down to `target_level`.
    Manual { target_level: u32 },
    /// Universal: the newer runs hold `percent` % of the oldest's bytes.
    SpaceAmplification { percent: u64, max_percent: u64 },
    /// Universal: `runs` consecutive runs of similar size.
    SizeRatio { runs: u64, size_ratio_percent: u64 },
}

/// A narration sentence (or a part of one), with its arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Line<'a> {
    /// Operation label: a batch.
    OpBatch { writes: u64 },
    /// Operation label: a get through a snapshot.
    OpGetAt { key: &'a str, snapshot: u64 },
    /// Operation label: a scan; `None` ends are open.
    OpScan {
        start: Option<&'a str>,
        end: Option<&'a str>,
        reverse: bool,
    },
    /// Operation label: releasing a snapshot.
    OpRelease { id: u64 },
    /// Operation label: one maintenance step.
    OpStep,
    /// `compact-range START END`: a full compaction of a key range.
    OpCompactRange {
        start: Option<&'a str>,
        end: Option<&'a str>,
    },
    /// Outcome: done.
    OutDone,
    /// Outcome: a get's value.
    OutValue { value: &'a str },
    /// Outcome: a get found nothing.
    OutNotFound,
    /// Outcome: a scan's entries.
    OutEntries { entries: u64 },
    /// Outcome: a maintenance step found nothing due.
    OutNothingDue,
    /// Outcome: a flush.
    OutFlushed { table: &'a str },
    /// Outcome: a compaction.
    OutCompacted { level: u32, output: u32 },
    /// Outcome: other maintenance.
    OutMaintenance,
    /// Outcome: the operation failed.
    OutFailed { message: &'a str },
    /// An operation that caused no event, with its outcome.
    QuietOp { op: &'a str, outcome: &'a str },
    /// Records appended to the log.
    WalAppended {
        records: u64,
        seq: u64,
        wal: &'a str,
        offset: u64,
        bytes: &'a str,
        fragments: Option<u64>,
    },
    /// A log synced.
    WalSynced { wal: &'a str },
    /// A record inserted into the memtable.
    MemtableInsert {
        key: &'a str,
        kind: ValueKind,
        seq: u64,
        height: u8,
        records: u64,
        bytes: &'a str,
    },
    /// A range tombstone inserted into the memtable.
    RangeDeleted {
        start: &'a str,
        end: &'a str,
        seq: u64,
        bytes: &'a str,
    },
    /// A range tombstone answered a get.
    RangeTombstoneCovers { seq: u64, place: Place<'a> },
    /// The memtable frozen.
    MemtableFrozen {
        bytes: &'a str,
        records: u64,
        wal: &'a str,
    },
    /// A flush started.
    FlushStarted { records: u64, table: &'a str },
    /// A data block written.
    BlockWritten {
        block: u32,
        table: &'a str,
        records: u64,
        first: &'a str,
        last: &'a str,
        bytes: &'a str,
        compressed: bool,
    },
    /// A table's filter built.
    BloomBuilt {
        table: &'a str,
        keys: u64,
        bits: u64,
        probes: u32,
    },
    /// A table written and synced.
    TableFinished {
        table: &'a str,
        bytes: &'a str,
        records: u64,
        blocks: u64,
        first: &'a str,
        last: &'a str,
    },
    /// A flush done.
    FlushFinished { table: &'a str },
    /// A manifest edit; `removed` is empty when nothing was removed.
    ManifestEdit {
        added: &'a [(String, u32)],
        removed: &'a [(String, u32)],
    },
    /// A log deleted after its flush.
    WalRetired { wal: &'a str },
    /// An obsolete file deleted.
    FileDeleted { name: &'a str },
    /// A get started.
    GetStarted { key: &'a str, seq: u64 },
    /// A memtable searched.
    MemtableSearched {
        slot: MemtableSlot,
        found: Option<ValueKind>,
    },
    /// A table skipped by its key range (`None`: its range unknown).
    TableSkipped {
        level: u32,
        table: &'a str,
        range: Option<&'a str>,
    },
    /// A table whose range covers the key.
    TableProbed {
        level: u32,
        table: &'a str,
        range: Option<&'a str>,
    },
    /// A filter said absent.
    BloomAbsent {
        table: &'a str,
        tested: u64,
        bits: u64,
        clear: Option<u64>,
    },
    /// A filter said maybe.
    BloomMaybe { table: &'a str, tested: u64 },
    /// The index points to a block.
    IndexPoints { table: &'a str, block: u32 },
    /// The key is past the table's last block.
    IndexPast { table: &'a str },
    /// A data block read.
    BlockRead {
        block: u32,
        table: &'a str,
        bytes: &'a str,
        offset: u64,
    },
    /// A filter's false positive.
    FalsePositive { table: &'a str },
    /// A get's answer.
    GetFinished {
        key: &'a str,
        outcome: GetOutcome,
        place: Place<'a>,
        probed: u64,
    },
    /// A scan started.
    ScanStarted {
        reverse: bool,
        sources: u64,
        seq: u64,
    },
    /// A scan met a record.
    ScanStep {
        key: &'a str,
        seq: u64,
        decision: ScanDecision,
    },
    /// A compaction picked.
    CompactionPicked {
        level: u32,
        output: u32,
        due: Due<'a>,
        score: f64,
        inputs: &'a [(String, u32)],
        trivial_move: bool,
    },
    /// A record's fate in a compaction.
    CompactionEntry {
        key: &'a str,
        kind: ValueKind,
        seq: u64,
        fate: EntryFate,
    },
    /// The compaction filter, or the time to live, removed or changed the
    /// record just met.
    CompactionFiltered {
        key: &'a str,
        seq: u64,
        outcome: FilterOutcome,
        reason: FilterReason,
    },
    /// The caller set the time.
    TimeSet { now_ms: u64, ttl_ms: Option<u64> },
    /// A range tombstone fragment's fate in a compaction.
    CompactionRangeTombstone {
        start: &'a str,
        end: &'a str,
        seq: u64,
        fate: EntryFate,
    },
    /// A compaction installed.
    CompactionFinished {
        level: u32,
        output: u32,
        tables_in: u64,
        tables_out: u64,
        read: &'a str,
        wrote: &'a str,
        records_in: u64,
        records_out: u64,
    },
    /// Opening the database.
    RecoveryStarted { existing: bool },
    /// The manifest replayed.
    ManifestReplayed {
        manifest: u64,
        edits: u64,
        tables: u64,
    },
    /// A log replayed.
    WalReplayed {
        wal: &'a str,
        batches: u64,
        records: u64,
        torn_at: Option<u64>,
    },
    /// The database open.
    RecoveryFinished { seq: u64, tables: u64 },
}

/// The text of `line` in `lang`.
pub fn text(lang: Lang, line: &Line) -> String {
    match lang {
        Lang::En => en::text(line),
        Lang::Zh => zh::text(line),
    }
}

/// The text of `line` in the language shown.
pub fn say(line: &Line) -> String {
    text(shown(), line)
}

#[cfg(test)]
pub(crate) mod coverage;

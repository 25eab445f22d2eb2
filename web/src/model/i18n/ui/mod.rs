//! The panels' catalogue: headings, buttons, labels, tooltips, screen
//! reader names, notices and status lines of the visualizer's components,
//! one [`Ui`] value per text, rendered by a `match` per language with no
//! wildcard arm. Arguments that read the same in both languages (file
//! names, keys, sizes) arrive already written; counts arrive as numbers so
//! each language words them itself.

mod en;
mod zh;

use strata_engine::event::{EntryFate, GetOutcome};
use strata_engine::CompactionStrategy;

use super::{shown, Lang};
use crate::model::views::structure::TableMark;

/// A text of a panel, with its arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ui<'a> {
    // Notices of the page.
    /// The link's query part could not be read.
    IgnoredQuery { error: &'a str },
    /// The link could not be read; the first scenario is shown.
    LinkUnreadableFallback { error: &'a str },
    /// The link could not be read.
    LinkUnreadable { error: &'a str },
    // Timeline.
    /// The timeline, to a screen reader.
    Timeline,
    /// Pause, with its key.
    Pause,
    /// Play, with its key.
    PlayKey,
    /// The play button's face.
    Play,
    /// To the first frame.
    ToStart,
    /// To the previous operation.
    PreviousOp,
    /// One frame back.
    StepBack,
    /// One frame on.
    StepForward,
    /// To the next operation.
    NextOp,
    /// To the last frame.
    ToEnd,
    /// The scrubber, to a screen reader.
    Frame,
    /// The scrubber's value.
    FrameOf { pos: usize, total: usize },
    /// The frame counter.
    FrameShort { pos: usize, total: usize },
    /// The operation counter.
    OpOf { op: usize, ops: usize },
    /// Before the first operation.
    Opening,
    /// The speed choice.
    Speed,
    /// The speed choice, to a screen reader.
    FramesPerSecond,
    /// A speed.
    PerSecond { speed: &'a str },
    /// The event counter within an operation.
    EventOf { event: usize, events: usize },
    /// An operation without events.
    NoEvents,
    /// The narration, to a screen reader.
    WhatHappens,
    /// The label of the frame before any operation.
    OpenTheDatabase,
    /// The narration of the frame before any operation.
    OpenAndEmpty,
    // Structure.
    /// The structure panel's heading.
    Structure,
    /// The merge cursor's line.
    MergeCursorAt { key: &'a str },
    /// The list of tables being written, to a screen reader.
    TablesBeingWritten,
    /// A table written by the running flush or compaction.
    TableWritten {
        table: &'a str,
        level: u32,
        bytes: &'a str,
    },
    /// A table still being written.
    TableWriting {
        table: &'a str,
        level: u32,
        blocks: u64,
        bytes: &'a str,
    },
    /// No log file yet.
    NoLog,
    /// The log box, to a screen reader.
    WriteAheadLog,
    /// The log box's heading.
    WalHeading,
    /// A log record's tooltip.
    WalRecord {
        offset: u64,
        bytes: &'a str,
        records: u64,
        seq: u64,
    },
    /// Bytes written to the log.
    WalWritten { bytes: &'a str },
    /// Bytes synced.
    WalSyncedTo { bytes: &'a str },
    /// Older logs kept.
    WalKeptFor { logs: &'a str },
    /// The memtable box's heading.
    Memtable,
    /// The memtable's size line.
    MemtableMeta {
        records: u64,
        bytes: &'a str,
        capacity: &'a str,
    },
    /// The memtable's fill meter, to a screen reader.
    MemtableFill,
    /// The skiplist, to a screen reader.
    SkiplistNodes,
    /// A skiplist node's tooltip.
    Node {
        key: &'a str,
        seq: u64,
        tombstone: bool,
        height: u8,
    },
    /// Nodes not drawn.
    More { count: u64 },
    /// The immutable memtable's heading.
    ImmutableMemtable,
    /// No immutable memtable.
    NoneWaiting,
    /// The immutable memtable's size line.
    ImmutableMeta { records: u64, bytes: &'a str },
    /// The log of the immutable memtable.
    ItsLog { wal: &'a str },
    /// The immutable memtable being flushed.
    FlushingInto { table: &'a str },
    /// What a table's mark means, after a separator (empty when normal).
    Mark(TableMark),
    /// A table's tooltip.
    TableTitle {
        table: &'a str,
        level: u32,
        bytes: &'a str,
        records: u64,
        first: &'a str,
        last: &'a str,
        mark: TableMark,
        tombstones: u64,
        range_tombstones: u64,
    },
    /// A range tombstone: a band's tooltip, a line in the memtable.
    RangeTombstone {
        start: &'a str,
        end: &'a str,
        seq: u64,
    },
    /// The memtable's range tombstones, to a screen reader.
    RangeTombstones,
    /// What the range delete shown hides.
    RangeDeleteHides {
        start: &'a str,
        end: &'a str,
        tables: &'a str,
    },
    /// The range delete shown, when no table holds keys of its range.
    RangeDeleteHidesNothing { start: &'a str, end: &'a str },
    /// A read-path stop where a range tombstone answers the get.
    RangeTombstoneAnswers { seq: u64 },
    /// A tiered level's fill.
    RunsOf { live: usize, trigger: u64 },
    /// A leveled level's fill.
    SizeOf { bytes: &'a str, target: &'a str },
    /// A level, to a screen reader.
    LevelLabel {
        level: u32,
        tables: usize,
        target: &'a str,
        tiered: bool,
    },
    /// A level's fill bar tooltip.
    FillOfTrigger { percent: &'a str },
    /// The key axis.
    KeyAxis,
    /// The levels, to a screen reader.
    LevelsOnAxis,
    // Compaction.
    /// The compaction panel's heading.
    Compaction,
    /// Before any compaction, around the `step` command.
    NoCompactionYet,
    /// After the `step` command.
    NoCompactionYetAfter,
    /// A compaction strategy.
    Strategy(CompactionStrategy),
    /// A tiered level due.
    DueRuns {
        level: u32,
        runs: u64,
        threshold: u64,
    },
    /// A leveled level due.
    DueSize {
        level: u32,
        bytes: &'a str,
        target: &'a str,
    },
    /// A full compaction of a key range due.
    DueManual { target_level: u32 },
    /// Universal compaction: the newer runs are too large beside the oldest.
    DueSpaceAmplification { percent: u64, max_percent: u64 },
    /// Universal compaction: runs of similar size.
    DueSizeRatio { runs: u64 },
    /// The score.
    Score { score: f64 },
    /// A trivial move.
    TrivialMove,
    /// Inputs of a level.
    InputsOf { level: u32 },
    /// No inputs.
    NoInputs,
    /// The merge progress, to a screen reader.
    RecordsMerged,
    /// The merge progress.
    MergedOf { seen: u64, total: u64 },
    /// The merge cursor.
    CursorAt { key: &'a str },
    /// A fate, in a few words.
    Fate(EntryFate),
    /// A fate, in a word or two.
    FateShort(EntryFate),
    /// A column: the key.
    ColKey,
    /// A column: the sequence number.
    ColSeq,
    /// A column: the kind of record.
    ColKind,
    /// A column: the fate.
    ColFate,
    /// A column: the block.
    ColBlock,
    /// A column: the level.
    ColLevel,
    /// A column: the tables.
    ColTables,
    /// A column: the bytes.
    ColBytes,
    /// A column: the target.
    ColTarget,
    /// A kind of record.
    Kind { tombstone: bool },
    /// A put in a table, with its value's size.
    PutOf { bytes: &'a str },
    /// The list of notable records, to a screen reader.
    Notable,
    /// A notable record.
    NotableEntry {
        key: &'a str,
        seq: u64,
        tombstone: bool,
        fate: EntryFate,
    },
    /// Outputs of a compaction.
    OutputsIn { level: u32 },
    /// A trivial move installed.
    InstalledMove,
    /// A compaction installed.
    Installed {
        read: &'a str,
        wrote: &'a str,
        records_in: u64,
        records_out: u64,
    },
    // Read path.
    /// The read path's heading.
    ReadPath,
    /// Before any get, around the example command.
    NoGetYet,
    /// A memtable on the read path.
    Slot { immutable: bool },
    /// A memtable without the key.
    NoRecord,
    /// A memtable with the key.
    FoundStop { tombstone: bool },
    /// The filter's word on the read path.
    BloomSaid { absent: bool },
    /// A table skipped by its range.
    OutsideRange,
    /// A table whose range covers the key.
    RangeCovers,
    /// A table skipped by its filter.
    FilteredOut,
    /// The index's answer.
    IndexToBlock { block: u32 },
    /// The key past the table's last block.
    PastLastBlock,
    /// A block read.
    BlockReadNo { block: u32 },
    /// A false positive's block.
    ReadForNothing,
    /// The table with the answer.
    KeyIsHere,
    /// The get being shown.
    GetAt { key: &'a str, seq: u64 },
    /// A get's answer, where, and how many tables were read.
    Answer {
        outcome: GetOutcome,
        memtable: bool,
        table: Option<(u32, &'a str)>,
        tables: u64,
    },
    // Bloom.
    /// The bloom panel's heading.
    BloomFilter,
    /// A tested bit's tooltip.
    Bit { position: u64, set: Option<bool> },
    /// The bit grid, to a screen reader.
    BitArray {
        bits: u64,
        per_cell: u64,
        tested: usize,
    },
    /// A filter's verdict.
    Verdict { absent: bool, false_positive: bool },
    /// Set bits.
    BitsSet { set: u64, bits: u64 },
    /// The probe line.
    ProbeLine {
        key: &'a str,
        table: &'a str,
        probes: u64,
    },
    /// Counter: probes.
    Probes,
    /// Counter: definitely absent.
    DefinitelyAbsent,
    /// Counter: false positives.
    FalsePositives,
    /// Counter: observed rate.
    FpObserved,
    /// Counter: theoretical rate.
    FpTheory { bits_per_key: &'a str },
    /// No filter.
    NoFilter,
    // Statistics.
    /// The statistics panel's heading.
    Statistics,
    /// Write amplification, and how it is measured.
    WriteAmp,
    /// Its definition.
    WriteAmpHow,
    /// Read amplification.
    ReadAmp,
    /// Its definition.
    ReadAmpHow,
    /// Space amplification.
    SpaceAmp,
    /// Its definition.
    SpaceAmpHow,
    /// Blocks read per get.
    BlocksPerGet,
    /// The filter's false-positive rate.
    BloomFpRate,
    /// Live data against table bytes.
    LiveData,
    /// The chart, to a screen reader.
    AmpChart { ops: usize, max: &'a str },
    /// The chart's scale.
    ChartScale { max: &'a str },
    /// The chart's key: which line is which (0 write, 1 read, 2 space).
    ChartKey { line: u8 },
    /// A tiered level's target.
    Runs { runs: u64 },
    // Legend.
    /// The legend's heading.
    Legend,
    /// The level colours, to a screen reader.
    Levels,
    /// The table marks, to a screen reader.
    Tables,
    /// The fates, to a screen reader.
    Fates,
    /// A mark in the legend.
    LegendMark(TableMark),
    // Console.
    /// The console's heading.
    Operations,
    /// The command line's label.
    Command,
    /// Runs a command.
    Run,
    /// The key field.
    KeyField,
    /// The value field.
    ValueField,
    /// The bulk loaders.
    BulkLoad,
    /// How many.
    Count,
    /// The seed.
    Seed,
    /// How many distinct keys.
    Keys,
    /// A range's start.
    From,
    /// A range's end.
    To,
    /// Deletes a range.
    DeleteRange,
    /// The help's heading.
    CommandLanguage,
    /// The last line of the help.
    KeysHelp,
    // Options.
    /// The options panel's heading.
    Options,
    /// What changing one does.
    OptionsRestart,
    /// Back to the preset's options.
    BackToPreset,
    /// Where the files live.
    DatabaseFiles,
    /// In memory.
    InMemory,
    /// In IndexedDB.
    InIndexedDb,
    /// An option's label, by its name.
    OptionLabel { name: &'a str },
    // Sharing.
    /// Too long for a link.
    TooLongForLink,
    /// Link copied.
    LinkCopied,
    /// The clipboard refused.
    CouldNotCopy { error: &'a str },
    /// Too long to embed.
    TooLongToEmbed,
    /// Embed code copied.
    EmbedCopied,
    /// Copy it by hand.
    CopyEmbedByHand,
    /// Copy the link.
    CopyLink,
    /// Copy the embed code.
    CopyEmbed,
    /// The embed code's box.
    EmbedCode,
    /// The trace panel's heading.
    Trace,
    /// What a trace holds.
    TraceHolds,
    /// Export.
    ExportTrace,
    /// Import.
    ImportTrace,
    /// Export failed.
    CouldNotExport { error: &'a str },
    /// Reading a file failed.
    CouldNotReadFile { error: &'a str },
    // Chapter scenes.
    /// A scene's caption.
    Scene { number: usize },
    /// Its button, to a screen reader.
    RunSceneLabel { number: usize },
    /// Its button.
    RunScene,
    /// After it was loaded.
    SceneLoaded,
    /// What follows a heading run into its text (`Title: text`).
    Colon,
    // Browser errors.
    /// The browser refused an operation without saying why.
    BrowserRefused,
    /// A download link could not be made.
    NoAnchor,
    /// An imported file is not text.
    FileNotText,
}

/// The text of `ui` in `lang`.
pub fn text(lang: Lang, ui: &Ui) -> String {
    match lang {
        Lang::En => en::text(ui),
        Lang::Zh => zh::text(ui),
    }
}

/// The text of `ui` in the language shown.
pub fn ui(ui: &Ui) -> String {
    text(shown(), ui)
}

#[cfg(test)]
mod coverage;

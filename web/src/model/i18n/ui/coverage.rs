//! Every panel text renders in both languages, and the Chinese one keeps
//! no English word: the samples name each [`Ui`] variant at least once
//! (`variant_index` has no wildcard arm, so a new variant must be added
//! there, and the test fails until a sample uses it), and every mark,
//! fate, strategy and option is rendered too.

use strata_engine::event::{EntryFate, GetOutcome};
use strata_engine::CompactionStrategy;

use super::{text, Ui};
use crate::model::i18n::narration::coverage::english_words;
use crate::model::i18n::Lang;
use crate::model::setup::PANEL_OPTIONS;
use crate::model::views::structure::TableMark;

const VARIANTS: usize = 187;

fn variant_index(ui: &Ui) -> usize {
    match ui {
        Ui::IgnoredQuery { .. } => 0,
        Ui::LinkUnreadableFallback { .. } => 1,
        Ui::LinkUnreadable { .. } => 2,
        Ui::Timeline => 3,
        Ui::Pause => 4,
        Ui::PlayKey => 5,
        Ui::Play => 6,
        Ui::ToStart => 7,
        Ui::PreviousOp => 8,
        Ui::StepBack => 9,
        Ui::StepForward => 10,
        Ui::NextOp => 11,
        Ui::ToEnd => 12,
        Ui::Frame => 13,
        Ui::FrameOf { .. } => 14,
        Ui::FrameShort { .. } => 15,
        Ui::OpOf { .. } => 16,
        Ui::Opening => 17,
        Ui::Speed => 18,
        Ui::FramesPerSecond => 19,
        Ui::PerSecond { .. } => 20,
        Ui::EventOf { .. } => 21,
        Ui::NoEvents => 22,
        Ui::WhatHappens => 23,
        Ui::OpenTheDatabase => 24,
        Ui::OpenAndEmpty => 25,
        Ui::Structure => 26,
        Ui::MergeCursorAt { .. } => 27,
        Ui::TablesBeingWritten => 28,
        Ui::TableWritten { .. } => 29,
        Ui::TableWriting { .. } => 30,
        Ui::NoLog => 31,
        Ui::WriteAheadLog => 32,
        Ui::WalRecord { .. } => 33,
        Ui::WalWritten { .. } => 34,
        Ui::WalSyncedTo { .. } => 35,
        Ui::WalKeptFor { .. } => 36,
        Ui::Memtable => 37,
        Ui::MemtableMeta { .. } => 38,
        Ui::MemtableFill => 39,
        Ui::SkiplistNodes => 40,
        Ui::Node { .. } => 41,
        Ui::More { .. } => 42,
        Ui::ImmutableMemtable => 43,
        Ui::NoneWaiting => 44,
        Ui::ImmutableMeta { .. } => 45,
        Ui::ItsLog { .. } => 46,
        Ui::FlushingInto { .. } => 47,
        Ui::Mark(_) => 48,
        Ui::TableTitle { .. } => 49,
        Ui::RunsOf { .. } => 50,
        Ui::SizeOf { .. } => 51,
        Ui::LevelLabel { .. } => 52,
        Ui::FillOfTrigger { .. } => 53,
        Ui::KeyAxis => 54,
        Ui::LevelsOnAxis => 55,
        Ui::Compaction => 56,
        Ui::NoCompactionYet => 57,
        Ui::NoCompactionYetAfter => 58,
        Ui::Strategy(_) => 59,
        Ui::DueRuns { .. } => 60,
        Ui::DueSize { .. } => 61,
        Ui::DueManual { .. } => 62,
        Ui::DueSpaceAmplification { .. } => 63,
        Ui::DueSizeRatio { .. } => 64,
        Ui::Score { .. } => 65,
        Ui::TrivialMove => 66,
        Ui::InputsOf { .. } => 67,
        Ui::NoInputs => 68,
        Ui::RecordsMerged => 69,
        Ui::MergedOf { .. } => 70,
        Ui::CursorAt { .. } => 71,
        Ui::Fate(_) => 72,
        Ui::FateShort(_) => 73,
        Ui::ColKey => 74,
        Ui::ColSeq => 75,
        Ui::ColKind => 76,
        Ui::ColFate => 77,
        Ui::ColBlock => 78,
        Ui::ColLevel => 79,
        Ui::ColTables => 80,
        Ui::ColBytes => 81,
        Ui::ColTarget => 82,
        Ui::Kind { .. } => 83,
        Ui::PutOf { .. } => 84,
        Ui::Notable => 85,
        Ui::NotableEntry { .. } => 86,
        Ui::OutputsIn { .. } => 87,
        Ui::InstalledMove => 88,
        Ui::Installed { .. } => 89,
        Ui::ReadPath => 90,
        Ui::NoGetYet => 91,
        Ui::Slot { .. } => 92,
        Ui::NoRecord => 93,
        Ui::FoundStop { .. } => 94,
        Ui::BloomSaid { .. } => 95,
        Ui::OutsideRange => 96,
        Ui::RangeCovers => 97,
        Ui::FilteredOut => 98,
        Ui::IndexToBlock { .. } => 99,
        Ui::PastLastBlock => 100,
        Ui::BlockReadNo { .. } => 101,
        Ui::ReadForNothing => 102,
        Ui::KeyIsHere => 103,
        Ui::GetAt { .. } => 104,
        Ui::Answer { .. } => 105,
        Ui::BloomFilter => 106,
        Ui::Bit { .. } => 107,
        Ui::BitArray { .. } => 108,
        Ui::Verdict { .. } => 109,
        Ui::BitsSet { .. } => 110,
        Ui::ProbeLine { .. } => 111,
        Ui::Probes => 112,
        Ui::DefinitelyAbsent => 113,
        Ui::FalsePositives => 114,
        Ui::FpObserved => 115,
        Ui::FpTheory { .. } => 116,
        Ui::NoFilter => 117,
        Ui::Statistics => 118,
        Ui::WriteAmp => 119,
        Ui::WriteAmpHow => 120,
        Ui::ReadAmp => 121,
        Ui::ReadAmpHow => 122,
        Ui::SpaceAmp => 123,
        Ui::SpaceAmpHow => 124,
        Ui::BlocksPerGet => 125,
        Ui::BloomFpRate => 126,
        Ui::LiveData => 127,
        Ui::AmpChart { .. } => 128,
        Ui::ChartScale { .. } => 129,
        Ui::Runs { .. } => 130,
        Ui::Legend => 131,
        Ui::Levels => 132,
        Ui::Tables => 133,
        Ui::Fates => 134,
        Ui::LegendMark(_) => 135,
        Ui::Operations => 136,
        Ui::Command => 137,
        Ui::Run => 138,
        Ui::KeyField => 139,
        Ui::ValueField => 140,
        Ui::BulkLoad => 141,
        Ui::Count => 142,
        Ui::Seed => 143,
        Ui::Keys => 144,
        Ui::From => 145,
        Ui::To => 146,
        Ui::DeleteRange => 147,
        Ui::CommandLanguage => 148,
        Ui::KeysHelp => 149,
        Ui::Options => 150,
        Ui::OptionsRestart => 151,
        Ui::BackToPreset => 152,
        Ui::DatabaseFiles => 153,
        Ui::InMemory => 154,
        Ui::InIndexedDb => 155,
        Ui::OptionLabel { .. } => 156,
        Ui::TooLongForLink => 157,
        Ui::LinkCopied => 158,
        Ui::CouldNotCopy { .. } => 159,
        Ui::TooLongToEmbed => 160,
        Ui::EmbedCopied => 161,
        Ui::CopyEmbedByHand => 162,
        Ui::CopyLink => 163,
        Ui::CopyEmbed => 164,
        Ui::EmbedCode => 165,
        Ui::Trace => 166,
        Ui::TraceHolds => 167,
        Ui::ExportTrace => 168,
        Ui::ImportTrace => 169,
        Ui::CouldNotExport { .. } => 170,
        Ui::CouldNotReadFile { .. } => 171,
        Ui::Scene { .. } => 172,
        Ui::RunSceneLabel { .. } => 173,
        Ui::RunScene => 174,
        Ui::BrowserRefused => 175,
        Ui::NoAnchor => 176,
        Ui::FileNotText => 177,
        Ui::WalHeading => 178,
        Ui::ChartKey { .. } => 179,
        Ui::Colon => 180,
        Ui::SceneLoaded => 181,
        Ui::RangeTombstone { .. } => 182,
        Ui::RangeTombstones => 183,
        Ui::RangeDeleteHides { .. } => 184,
        Ui::RangeDeleteHidesNothing { .. } => 185,
        Ui::RangeTombstoneAnswers { .. } => 186,
    }
}

const MARKS: [TableMark; 11] = [
    TableMark::Normal,
    TableMark::New,
    TableMark::Input,
    TableMark::Fading,
    TableMark::SkippedRange,
    TableMark::FilteredOut,
    TableMark::Read,
    TableMark::FalsePositive,
    TableMark::Answer,
    TableMark::KeepsTombstone,
    TableMark::HiddenByRange,
];

const FATES: [EntryFate; 6] = [
    EntryFate::Kept,
    EntryFate::Shadowed,
    EntryFate::TombstoneDroppedAtBottom,
    EntryFate::TombstoneKeptOlderDataBelow,
    EntryFate::KeptForSnapshot,
    EntryFate::CoveredByRangeTombstone,
];

fn samples() -> Vec<Ui<'static>> {
    let mut all = vec![
        Ui::IgnoredQuery { error: "“k”" },
        Ui::LinkUnreadableFallback { error: "“k”" },
        Ui::LinkUnreadable { error: "“k”" },
        Ui::Timeline,
        Ui::Pause,
        Ui::PlayKey,
        Ui::Play,
        Ui::ToStart,
        Ui::PreviousOp,
        Ui::StepBack,
        Ui::StepForward,
        Ui::NextOp,
        Ui::ToEnd,
        Ui::Frame,
        Ui::FrameOf { pos: 2, total: 2 },
        Ui::FrameShort { pos: 2, total: 2 },
        Ui::OpOf { op: 2, ops: 2 },
        Ui::Opening,
        Ui::Speed,
        Ui::FramesPerSecond,
        Ui::PerSecond { speed: "“k”" },
        Ui::EventOf {
            event: 2,
            events: 2,
        },
        Ui::NoEvents,
        Ui::WhatHappens,
        Ui::OpenTheDatabase,
        Ui::OpenAndEmpty,
        Ui::Structure,
        Ui::MergeCursorAt { key: "“k”" },
        Ui::TablesBeingWritten,
        Ui::TableWritten {
            table: "“k”",
            level: 2,
            bytes: "“k”",
        },
        Ui::TableWriting {
            table: "“k”",
            level: 2,
            blocks: 2,
            bytes: "“k”",
        },
        Ui::NoLog,
        Ui::WriteAheadLog,
        Ui::WalRecord {
            offset: 2,
            bytes: "“k”",
            records: 2,
            seq: 2,
        },
        Ui::WalWritten { bytes: "“k”" },
        Ui::WalSyncedTo { bytes: "“k”" },
        Ui::WalKeptFor { logs: "“k”" },
        Ui::Memtable,
        Ui::MemtableMeta {
            records: 2,
            bytes: "“k”",
            capacity: "“k”",
        },
        Ui::MemtableFill,
        Ui::SkiplistNodes,
        Ui::Node {
            key: "“k”",
            seq: 2,
            tombstone: true,
            height: 2,
        },
        Ui::More { count: 2 },
        Ui::ImmutableMemtable,
        Ui::NoneWaiting,
        Ui::ImmutableMeta {
            records: 2,
            bytes: "“k”",
        },
        Ui::ItsLog { wal: "“k”" },
        Ui::FlushingInto { table: "“k”" },
        Ui::Mark(TableMark::New),
        Ui::TableTitle {
            table: "“k”",
            level: 2,
            bytes: "“k”",
            records: 2,
            first: "“k”",
            last: "“k”",
            mark: TableMark::New,
            tombstones: 2,
            range_tombstones: 2,
        },
        Ui::RangeTombstone {
            start: "“k”",
            end: "“k”",
            seq: 2,
        },
        Ui::RangeTombstones,
        Ui::RangeTombstoneAnswers { seq: 2 },
        Ui::RangeDeleteHides {
            start: "“k”",
            end: "“k”",
            tables: "“k”",
        },
        Ui::RangeDeleteHidesNothing {
            start: "“k”",
            end: "“k”",
        },
        Ui::RunsOf {
            live: 2,
            trigger: 2,
        },
        Ui::SizeOf {
            bytes: "“k”",
            target: "“k”",
        },
        Ui::LevelLabel {
            level: 2,
            tables: 2,
            target: "“k”",
            tiered: true,
        },
        Ui::FillOfTrigger { percent: "“k”" },
        Ui::KeyAxis,
        Ui::LevelsOnAxis,
        Ui::Compaction,
        Ui::NoCompactionYet,
        Ui::NoCompactionYetAfter,
        Ui::Strategy(CompactionStrategy::Leveled),
        Ui::DueRuns {
            level: 2,
            runs: 2,
            threshold: 2,
        },
        Ui::DueManual { target_level: 6 },
        Ui::DueSpaceAmplification {
            percent: 296,
            max_percent: 200,
        },
        Ui::DueSizeRatio { runs: 3 },
        Ui::DueSize {
            level: 2,
            bytes: "“k”",
            target: "“k”",
        },
        Ui::Score { score: 1.5 },
        Ui::TrivialMove,
        Ui::InputsOf { level: 2 },
        Ui::NoInputs,
        Ui::RecordsMerged,
        Ui::MergedOf { seen: 2, total: 2 },
        Ui::CursorAt { key: "“k”" },
        Ui::Fate(EntryFate::Kept),
        Ui::FateShort(EntryFate::Kept),
        Ui::ColKey,
        Ui::ColSeq,
        Ui::ColKind,
        Ui::ColFate,
        Ui::ColBlock,
        Ui::ColLevel,
        Ui::ColTables,
        Ui::ColBytes,
        Ui::ColTarget,
        Ui::Kind { tombstone: true },
        Ui::PutOf { bytes: "“k”" },
        Ui::Notable,
        Ui::NotableEntry {
            key: "“k”",
            seq: 2,
            tombstone: true,
            fate: EntryFate::Kept,
        },
        Ui::OutputsIn { level: 2 },
        Ui::InstalledMove,
        Ui::Installed {
            read: "“k”",
            wrote: "“k”",
            records_in: 2,
            records_out: 2,
        },
        Ui::ReadPath,
        Ui::NoGetYet,
        Ui::Slot { immutable: true },
        Ui::NoRecord,
        Ui::FoundStop { tombstone: true },
        Ui::BloomSaid { absent: true },
        Ui::OutsideRange,
        Ui::RangeCovers,
        Ui::FilteredOut,
        Ui::IndexToBlock { block: 2 },
        Ui::PastLastBlock,
        Ui::BlockReadNo { block: 2 },
        Ui::ReadForNothing,
        Ui::KeyIsHere,
        Ui::GetAt {
            key: "“k”", seq: 2
        },
        Ui::Answer {
            outcome: GetOutcome::Found,
            memtable: true,
            table: Some((1, "000009.sst")),
            tables: 2,
        },
        Ui::BloomFilter,
        Ui::Bit {
            position: 2,
            set: Some(true),
        },
        Ui::BitArray {
            bits: 2,
            per_cell: 2,
            tested: 2,
        },
        Ui::Verdict {
            absent: true,
            false_positive: true,
        },
        Ui::BitsSet { set: 2, bits: 2 },
        Ui::ProbeLine {
            key: "“k”",
            table: "“k”",
            probes: 2,
        },
        Ui::Probes,
        Ui::DefinitelyAbsent,
        Ui::FalsePositives,
        Ui::FpObserved,
        Ui::FpTheory {
            bits_per_key: "“k”",
        },
        Ui::NoFilter,
        Ui::Statistics,
        Ui::WriteAmp,
        Ui::WriteAmpHow,
        Ui::ReadAmp,
        Ui::ReadAmpHow,
        Ui::SpaceAmp,
        Ui::SpaceAmpHow,
        Ui::BlocksPerGet,
        Ui::BloomFpRate,
        Ui::LiveData,
        Ui::AmpChart {
            ops: 2, max: "“k”"
        },
        Ui::ChartScale { max: "“k”" },
        Ui::Runs { runs: 2 },
        Ui::Legend,
        Ui::Levels,
        Ui::Tables,
        Ui::Fates,
        Ui::LegendMark(TableMark::New),
        Ui::Operations,
        Ui::Command,
        Ui::Run,
        Ui::KeyField,
        Ui::ValueField,
        Ui::BulkLoad,
        Ui::Count,
        Ui::Seed,
        Ui::Keys,
        Ui::From,
        Ui::To,
        Ui::DeleteRange,
        Ui::CommandLanguage,
        Ui::KeysHelp,
        Ui::Options,
        Ui::OptionsRestart,
        Ui::BackToPreset,
        Ui::DatabaseFiles,
        Ui::InMemory,
        Ui::InIndexedDb,
        Ui::OptionLabel { name: "seed" },
        Ui::TooLongForLink,
        Ui::LinkCopied,
        Ui::CouldNotCopy { error: "“k”" },
        Ui::TooLongToEmbed,
        Ui::EmbedCopied,
        Ui::CopyEmbedByHand,
        Ui::CopyLink,
        Ui::CopyEmbed,
        Ui::EmbedCode,
        Ui::Trace,
        Ui::TraceHolds,
        Ui::ExportTrace,
        Ui::ImportTrace,
        Ui::CouldNotExport { error: "“k”" },
        Ui::CouldNotReadFile { error: "“k”" },
        Ui::Scene { number: 2 },
        Ui::RunSceneLabel { number: 2 },
        Ui::RunScene,
        Ui::SceneLoaded,
        Ui::Colon,
        Ui::WalHeading,
        Ui::ChartKey { line: 0 },
        Ui::ChartKey { line: 1 },
        Ui::BrowserRefused,
        Ui::NoAnchor,
        Ui::FileNotText,
    ];
    for mark in MARKS {
        all.extend([Ui::Mark(mark), Ui::LegendMark(mark)]);
    }
    for fate in FATES {
        all.extend([Ui::Fate(fate), Ui::FateShort(fate)]);
    }
    for s in [
        CompactionStrategy::Leveled,
        CompactionStrategy::SizeTiered,
        CompactionStrategy::Hybrid,
        CompactionStrategy::Universal,
    ] {
        all.push(Ui::Strategy(s));
    }
    for o in PANEL_OPTIONS {
        all.push(Ui::OptionLabel { name: o.name });
    }
    for b in [false, true] {
        all.extend([
            Ui::Slot { immutable: b },
            Ui::FoundStop { tombstone: b },
            Ui::BloomSaid { absent: b },
            Ui::Kind { tombstone: b },
            Ui::Verdict {
                absent: b,
                false_positive: !b,
            },
            Ui::Verdict {
                absent: false,
                false_positive: b,
            },
            Ui::LevelLabel {
                level: 1,
                tables: 1,
                target: "8.0 KiB",
                tiered: b,
            },
        ]);
    }
    for outcome in [
        GetOutcome::Found,
        GetOutcome::Deleted,
        GetOutcome::NotFound,
        GetOutcome::Expired,
    ] {
        all.push(Ui::Answer {
            outcome,
            memtable: true,
            table: None,
            tables: 1,
        });
        all.push(Ui::Answer {
            outcome,
            memtable: false,
            table: None,
            tables: 0,
        });
    }
    for set in [Some(false), None] {
        all.push(Ui::Bit { position: 3, set });
    }
    all
}

/// Texts that read the same in both languages.
fn same_in_both(ui: &Ui) -> bool {
    matches!(
        ui,
        Ui::Mark(TableMark::Normal) | Ui::Kind { tombstone: false }
    )
}

#[test]
fn every_panel_text_renders_in_both_languages() {
    let mut seen = [false; VARIANTS];
    for ui in &samples() {
        if let Some(slot) = seen.get_mut(variant_index(ui)) {
            *slot = true;
        }
        let (en, zh) = (text(Lang::En, ui), text(Lang::Zh, ui));
        if !same_in_both(ui) {
            assert!(!en.is_empty() && !zh.is_empty(), "{ui:?}");
            assert_ne!(en, zh, "{ui:?}");
        }
    }
    let missing: Vec<usize> = (0..VARIANTS)
        .filter(|i| !seen.get(*i).copied().unwrap_or(false))
        .collect();
    assert!(missing.is_empty(), "no sample for variants {missing:?}");
}

/// Words a panel may show untranslated besides the narration's: the
/// browser's storage, the trace format and key names.
const PANEL_WORDS: &[&str] = &["IndexedDB", "JSON", "trace", "Home", "End", "shift", "x"];

#[test]
fn chinese_panels_keep_no_english_word() {
    for ui in &samples() {
        let zh = text(Lang::Zh, ui);
        let words: Vec<String> = english_words(&zh)
            .into_iter()
            .filter(|w| !PANEL_WORDS.contains(&w.as_str()))
            .collect();
        assert!(words.is_empty(), "{words:?} left in {zh}");
    }
}

#[test]
fn every_option_has_a_chinese_label() {
    for o in PANEL_OPTIONS {
        let zh = text(Lang::Zh, &Ui::OptionLabel { name: o.name });
        assert_ne!(zh, o.name);
        assert_eq!(text(Lang::En, &Ui::OptionLabel { name: o.name }), o.label);
    }
}

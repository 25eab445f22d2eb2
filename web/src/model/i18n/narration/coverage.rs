//! Every narration line renders in both languages, and the Chinese one
//! has no English word left in it: the samples below name each [`Line`]
//! variant at least once (`variant_index` has no wildcard arm, so a new
//! variant must be added there, and the test fails until a sample uses
//! it).

use strata_engine::compaction::filter::{FilterOutcome, FilterReason};
use strata_engine::event::{EntryFate, GetOutcome, MemtableSlot, ScanDecision};
use strata_engine::ValueKind;

use super::{text, Due, Line, Place};
use crate::model::i18n::Lang;

const VARIANTS: usize = 53;

fn variant_index(line: &Line) -> usize {
    match line {
        Line::OpBatch { .. } => 0,
        Line::OpGetAt { .. } => 1,
        Line::OpScan { .. } => 2,
        Line::OpRelease { .. } => 3,
        Line::OpStep => 4,
        Line::OpCompactRange { .. } => 47,
        Line::OutDone => 5,
        Line::OutValue { .. } => 6,
        Line::OutNotFound => 7,
        Line::OutEntries { .. } => 8,
        Line::OutNothingDue => 9,
        Line::OutFlushed { .. } => 10,
        Line::OutCompacted { .. } => 11,
        Line::OutMaintenance => 12,
        Line::OutFailed { .. } => 13,
        Line::QuietOp { .. } => 14,
        Line::WalAppended { .. } => 15,
        Line::WalSynced { .. } => 16,
        Line::MemtableInsert { .. } => 17,
        Line::MemtableFrozen { .. } => 18,
        Line::FlushStarted { .. } => 19,
        Line::BlockWritten { .. } => 20,
        Line::BloomBuilt { .. } => 21,
        Line::TableFinished { .. } => 22,
        Line::FlushFinished { .. } => 23,
        Line::ManifestEdit { .. } => 24,
        Line::WalRetired { .. } => 25,
        Line::FileDeleted { .. } => 26,
        Line::GetStarted { .. } => 27,
        Line::MemtableSearched { .. } => 28,
        Line::TableSkipped { .. } => 29,
        Line::TableProbed { .. } => 30,
        Line::BloomAbsent { .. } => 31,
        Line::BloomMaybe { .. } => 32,
        Line::IndexPoints { .. } => 33,
        Line::IndexPast { .. } => 34,
        Line::BlockRead { .. } => 35,
        Line::FalsePositive { .. } => 36,
        Line::GetFinished { .. } => 37,
        Line::ScanStarted { .. } => 38,
        Line::ScanStep { .. } => 39,
        Line::CompactionPicked { .. } => 40,
        Line::CompactionEntry { .. } => 41,
        Line::CompactionFinished { .. } => 42,
        Line::RecoveryStarted { .. } => 43,
        Line::ManifestReplayed { .. } => 44,
        Line::WalReplayed { .. } => 45,
        Line::RecoveryFinished { .. } => 46,
        Line::CompactionFiltered { .. } => 48,
        Line::TimeSet { .. } => 49,
        Line::RangeDeleted { .. } => 50,
        Line::CompactionRangeTombstone { .. } => 51,
        Line::RangeTombstoneCovers { .. } => 52,
    }
}

fn samples() -> Vec<Line<'static>> {
    let tables: &'static [(String, u32)] = Box::leak(Box::new([("000009.sst".to_owned(), 0)]));
    let none: &'static [(String, u32)] = &[];
    let mut lines = vec![
        Line::OpBatch { writes: 2 },
        Line::OpGetAt {
            key: "“a”",
            snapshot: 1,
        },
        Line::OpScan {
            start: None,
            end: Some("“k”"),
            reverse: true,
        },
        Line::OpRelease { id: 0 },
        Line::OpStep,
        Line::OpCompactRange {
            start: Some("'a'"),
            end: None,
        },
        Line::OutDone,
        Line::OutValue { value: "“v”" },
        Line::OutNotFound,
        Line::OutEntries { entries: 3 },
        Line::OutNothingDue,
        Line::OutFlushed {
            table: "000009.sst",
        },
        Line::OutCompacted {
            level: 0,
            output: 1,
        },
        Line::OutMaintenance,
        Line::OutFailed { message: "x" },
        Line::QuietOp {
            op: "snapshot",
            outcome: "→ 0",
        },
        Line::WalAppended {
            records: 1,
            seq: 4,
            wal: "000007.log",
            offset: 0,
            bytes: "40 B",
            fragments: Some(2),
        },
        Line::WalSynced { wal: "000007.log" },
        Line::MemtableInsert {
            key: "“a”",
            kind: ValueKind::Delete,
            seq: 4,
            height: 2,
            records: 5,
            bytes: "1.0 KiB",
        },
        Line::MemtableFrozen {
            bytes: "4.0 KiB",
            records: 30,
            wal: "000008.log",
        },
        Line::FlushStarted {
            records: 30,
            table: "000009.sst",
        },
        Line::BlockWritten {
            block: 0,
            table: "000009.sst",
            records: 12,
            first: "“a”",
            last: "“k”",
            bytes: "1.0 KiB",
            compressed: true,
        },
        Line::BloomBuilt {
            table: "000009.sst",
            keys: 30,
            bits: 300,
            probes: 7,
        },
        Line::TableFinished {
            table: "000009.sst",
            bytes: "4.0 KiB",
            records: 30,
            blocks: 3,
            first: "“a”",
            last: "“k”",
        },
        Line::FlushFinished {
            table: "000009.sst",
        },
        Line::ManifestEdit {
            added: tables,
            removed: none,
        },
        Line::ManifestEdit {
            added: tables,
            removed: tables,
        },
        Line::WalRetired { wal: "000007.log" },
        Line::FileDeleted { name: "000009.sst" },
        Line::GetStarted {
            key: "“a”", seq: 9
        },
        Line::TableSkipped {
            level: 1,
            table: "000009.sst",
            range: None,
        },
        Line::TableSkipped {
            level: 1,
            table: "000009.sst",
            range: Some("“a”…“k”"),
        },
        Line::TableProbed {
            level: 1,
            table: "000009.sst",
            range: None,
        },
        Line::BloomAbsent {
            table: "000009.sst",
            tested: 3,
            bits: 300,
            clear: Some(17),
        },
        Line::BloomMaybe {
            table: "000009.sst",
            tested: 7,
        },
        Line::IndexPoints {
            table: "000009.sst",
            block: 1,
        },
        Line::IndexPast {
            table: "000009.sst",
        },
        Line::BlockRead {
            block: 1,
            table: "000009.sst",
            bytes: "1.0 KiB",
            offset: 4096,
        },
        Line::FalsePositive {
            table: "000009.sst",
        },
        Line::ScanStarted {
            reverse: true,
            sources: 3,
            seq: 9,
        },
        Line::CompactionPicked {
            level: 0,
            output: 1,
            due: Due::RunCount {
                level: 0,
                runs: 4,
                threshold: 4,
            },
            score: 1.0,
            inputs: tables,
            trivial_move: true,
        },
        Line::CompactionPicked {
            level: 1,
            output: 2,
            due: Due::LevelSize {
                level: 1,
                bytes: "9.0 KiB",
                target: "8.0 KiB",
            },
            score: 1.1,
            inputs: tables,
            trivial_move: false,
        },
        Line::CompactionFinished {
            level: 0,
            output: 1,
            tables_in: 4,
            tables_out: 1,
            read: "9.0 KiB",
            wrote: "8.0 KiB",
            records_in: 90,
            records_out: 60,
        },
        Line::RecoveryStarted { existing: true },
        Line::RecoveryStarted { existing: false },
        Line::ManifestReplayed {
            manifest: 3,
            edits: 5,
            tables: 2,
        },
        Line::WalReplayed {
            wal: "000007.log",
            batches: 2,
            records: 3,
            torn_at: Some(80),
        },
        Line::RecoveryFinished { seq: 9, tables: 2 },
    ];
    for slot in [MemtableSlot::Active, MemtableSlot::Immutable] {
        for found in [None, Some(ValueKind::Put), Some(ValueKind::Delete)] {
            lines.push(Line::MemtableSearched { slot, found });
        }
    }
    let places = [
        Place::Memtable(MemtableSlot::Immutable),
        Place::Table {
            level: 1,
            table: "000009.sst",
        },
        Place::Nowhere,
    ];
    for outcome in [
        GetOutcome::Found,
        GetOutcome::Deleted,
        GetOutcome::NotFound,
        GetOutcome::Expired,
    ] {
        for place in places {
            lines.push(Line::GetFinished {
                key: "“a”",
                outcome,
                place,
                probed: 2,
            });
        }
    }
    for decision in [
        ScanDecision::Returned,
        ScanDecision::Shadowed,
        ScanDecision::Tombstone,
        ScanDecision::Invisible,
        ScanDecision::Expired,
    ] {
        lines.push(Line::ScanStep {
            key: "“a”",
            seq: 3,
            decision,
        });
    }
    for fate in [
        EntryFate::Kept,
        EntryFate::Shadowed,
        EntryFate::TombstoneDroppedAtBottom,
        EntryFate::TombstoneKeptOlderDataBelow,
        EntryFate::KeptForSnapshot,
        EntryFate::CoveredByRangeTombstone,
    ] {
        lines.push(Line::CompactionEntry {
            key: "“a”",
            kind: ValueKind::Put,
            seq: 3,
            fate,
        });
        lines.push(Line::CompactionRangeTombstone {
            start: "“a”",
            end: "“m”",
            seq: 9,
            fate,
        });
    }
    for outcome in [
        FilterOutcome::Dropped,
        FilterOutcome::Tombstoned,
        FilterOutcome::ValueChanged,
    ] {
        for reason in [FilterReason::Filter, FilterReason::Expired] {
            lines.push(Line::CompactionFiltered {
                key: "“a”",
                seq: 3,
                outcome,
                reason,
            });
        }
    }
    for ttl_ms in [Some(3000), None] {
        lines.push(Line::TimeSet {
            now_ms: 5000,
            ttl_ms,
        });
    }
    for place in [
        Place::Memtable(MemtableSlot::Active),
        Place::Table {
            level: 2,
            table: "000007.sst",
        },
    ] {
        lines.push(Line::RangeTombstoneCovers { seq: 9, place });
    }
    lines.push(Line::RangeDeleted {
        start: "“a”",
        end: "“m”",
        seq: 9,
        bytes: "1.2 KiB",
    });
    lines
}

/// Words of Latin letters a Chinese sentence may keep: command keywords,
/// file names, units and terms quoted in parentheses as the chapters do.
pub(crate) const KEPT_WORDS: &[&str] = &[
    "put",
    "get",
    "scan",
    "delete",
    "snapshot",
    "MANIFEST",
    "KiB",
    "MiB",
    "GiB",
    "sst",
    "log",
    "torn",
    "tail",
    "WAL",
    "memtable",
    "flush",
    "compaction",
    "leveled",
    "tiered",
    "size",
    "bloom_bits_per_key",
    "B",
];

/// The words of Latin letters in `text` that are not in [`KEPT_WORDS`].
pub(crate) fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic() && c != '_')
        .filter(|w| w.len() > 1 && !KEPT_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_line_renders_in_both_languages() {
    let samples = samples();
    let mut seen = [false; VARIANTS];
    for line in &samples {
        if let Some(slot) = seen.get_mut(variant_index(line)) {
            *slot = true;
        }
        let en = text(Lang::En, line);
        let zh = text(Lang::Zh, line);
        assert!(!en.is_empty() && !zh.is_empty(), "{line:?}");
        // A value alone ("→ “v”") reads the same in both.
        if !matches!(line, Line::OutValue { .. }) {
            assert_ne!(en, zh, "{line:?}");
        }
    }
    let missing: Vec<usize> = (0..VARIANTS)
        .filter(|i| !seen.get(*i).copied().unwrap_or(false))
        .collect();
    assert!(missing.is_empty(), "no sample for variants {missing:?}");
}

#[test]
fn chinese_narration_keeps_no_english_word() {
    for line in &samples() {
        let zh = text(Lang::Zh, line);
        let words = english_words(&zh);
        assert!(words.is_empty(), "{words:?} left in {zh}");
    }
}

#[test]
fn arguments_appear_in_both_languages() {
    let line = Line::BlockRead {
        block: 5,
        table: "000042.sst",
        bytes: "3.5 KiB",
        offset: 8192,
    };
    for lang in Lang::ALL {
        let t = text(lang, &line);
        for arg in ["5", "000042.sst", "3.5 KiB", "8192"] {
            assert!(t.contains(arg), "{arg} missing from {t}");
        }
    }
}

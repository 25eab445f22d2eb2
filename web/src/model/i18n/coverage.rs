//! Every message renders in every language: the samples below name each
//! [`Msg`] variant at least once (`variant_index` has no wildcard arm, so
//! a new variant must be added there, and the test then fails until a
//! sample uses it).

use strata_engine::event::ScanDecision;

use super::{text, Lang, Msg};
use crate::model::compare::diff::MEASURES;
use crate::model::glossary::Term;
use crate::model::labs::LabPart;
use crate::model::theory::Reason;
use crate::model::views::scan::ScanColumn;

const VARIANTS: usize = 104;

fn variant_index(msg: &Msg) -> usize {
    match msg {
        Msg::AskHeading => 0,
        Msg::AskNumberLabel => 1,
        Msg::AskCheckAndPlay => 2,
        Msg::AskGiven { .. } => 3,
        Msg::AskRight { .. } => 4,
        Msg::AskWrong { .. } => 5,
        Msg::AskSkipped { .. } => 6,
        Msg::AskNotANumber { .. } => 7,
        Msg::PauseBeforeCompaction => 8,
        Msg::PauseBeforeCompactionHint => 9,
        Msg::PausedBeforeCompaction => 10,
        Msg::Tables { .. } => 11,
        Msg::BloomNoProbeYet => 12,
        Msg::BloomNoProbeForGet { .. } => 13,
        Msg::CommandErrorAt { .. } => 14,
        Msg::ScanRangeEmpty { .. } => 15,
        Msg::WriteRunsMaintenance => 16,
        Msg::BlurbThenYours { .. } => 17,
        Msg::MenuWithYours { .. } => 18,
        Msg::MenuOwn => 19,
        Msg::SceneTitle { .. } => 20,
        Msg::SceneBlurb => 21,
        Msg::OwnOperations => 22,
        Msg::TombstoneKeptBecause { .. } => 23,
        Msg::TableSummary { .. } => 24,
        Msg::TableBloom { .. } => 25,
        Msg::TableNoBloom => 26,
        Msg::TableClose => 27,
        Msg::TableRecords => 28,
        Msg::TableTombstone => 29,
        Msg::TableHint => 30,
        Msg::CommandBarLabel => 31,
        Msg::StartHere => 32,
        Msg::TourOffer => 33,
        Msg::TourNoThanks => 34,
        Msg::TourHeading { .. } => 35,
        Msg::TourNext => 36,
        Msg::TourFinish => 37,
        Msg::TourClose => 38,
        Msg::TourWal => 39,
        Msg::TourMemtable => 40,
        Msg::TourFrozen => 41,
        Msg::TourFlush => 42,
        Msg::TourManifest => 43,
        Msg::TourGet => 44,
        Msg::TourBloom => 45,
        Msg::Glossary => 46,
        Msg::GlossaryOpen => 47,
        Msg::GlossaryClose => 48,
        Msg::TermName(_) => 49,
        Msg::TermDefinition(_) => 50,
        Msg::TermExplain(_) => 51,
        Msg::CompareRatio { .. } => 52,
        Msg::CompareSame { .. } => 53,
        Msg::CompareOnlyOne { .. } => 54,
        Msg::CompareNothingYet { .. } => 55,
        Msg::InvariantsHold => 56,
        Msg::InvariantBroken { .. } => 57,
        Msg::TheoryReason { .. } => 58,
        Msg::Compare(_) => 59,
        Msg::LanguageChoice => 60,
        Msg::Tagline => 61,
        Msg::ScenarioLabel => 62,
        Msg::DismissMessage => 63,
        Msg::PanelsRegion => 64,
        Msg::TutorialOpen => 65,
        Msg::TutorialHide => 66,
        Msg::ChapterClose => 67,
        Msg::ChapterList => 68,
        Msg::ChapterNumber { .. } => 69,
        Msg::ChapterContents { .. } => 70,
        Msg::ChapterPrevious { .. } => 71,
        Msg::ChapterNext { .. } => 72,
        Msg::ChapterSteps { .. } => 73,
        // labs
        Msg::LabYours { .. } => 74,
        Msg::LabYoursHint { .. } => 75,
        Msg::LabNotYours { .. } => 76,
        Msg::LabNotYoursHint { .. } => 77,
        Msg::LabsNotProbed => 78,
        Msg::TableFilterGrid { .. } => 79,
        Msg::TableProbeMaybe { .. } => 80,
        Msg::TableProbeAbsent { .. } => 81,
        Msg::TableTestedBit { .. } => 82,
        Msg::ScanHeading => 83,
        Msg::ScanSummary { .. } => 84,
        Msg::ScanSourcesHeading => 85,
        Msg::ScanSourceMemtable => 86,
        Msg::ScanSourceImmutable => 87,
        Msg::ScanSourceTable { .. } => 88,
        Msg::ScanSourceLevel { .. } => 89,
        Msg::ScanSourceUnknown { .. } => 90,
        Msg::ScanSourceCounts { .. } => 91,
        Msg::ScanOrderHeading => 92,
        Msg::ScanDid { .. } => 93,
        Msg::ScanEarlier { .. } => 94,
        Msg::ScanColumnName { .. } => 95,
        // Saving to IndexedDB.
        Msg::SaveSaving => 96,
        Msg::SaveSaved => 97,
        Msg::SaveReopened => 98,
        Msg::SaveRetrying { .. } => 99,
        Msg::SaveStopped { .. } => 100,
        Msg::SaveLocked => 101,
        Msg::SaveUnavailable { .. } => 102,
        Msg::SaveOpening => 103,
    }
}

fn samples() -> Vec<Msg<'static>> {
    let mut all = vec![
        Msg::AskHeading,
        Msg::AskNumberLabel,
        Msg::AskCheckAndPlay,
        Msg::AskGiven { given: "7" },
        Msg::AskRight { answer: "2" },
        Msg::AskWrong {
            given: "7",
            answer: "2",
        },
        Msg::AskSkipped { answer: "2" },
        Msg::AskNotANumber { given: "7" },
        Msg::PauseBeforeCompaction,
        Msg::PauseBeforeCompactionHint,
        Msg::PausedBeforeCompaction,
        Msg::Tables { count: 3 },
        Msg::BloomNoProbeYet,
        Msg::BloomNoProbeForGet { key: "k3" },
        Msg::CommandErrorAt {
            column: 5,
            message: "oops",
        },
        Msg::ScanRangeEmpty {
            start: "b",
            end: "a",
        },
        Msg::WriteRunsMaintenance,
        Msg::BlurbThenYours { commands: 2 },
        Msg::MenuWithYours {
            title: "Scene 1",
            commands: 2,
        },
        Msg::MenuOwn,
        Msg::SceneTitle {
            number: 1,
            chapter: "Flush",
        },
        Msg::SceneBlurb,
        Msg::OwnOperations,
        Msg::TombstoneKeptBecause {
            key: "k3",
            tables: "L1-4",
        },
        Msg::TableSummary {
            bytes: "4.0 KiB",
            records: 10,
            tombstones: 1,
            blocks: 2,
        },
        Msg::TableBloom {
            bits: 64,
            set: 20,
            hashes: 3,
        },
        Msg::TableNoBloom,
        Msg::TableClose,
        Msg::TableRecords,
        Msg::TableTombstone,
        Msg::TableHint,
        Msg::CommandBarLabel,
        Msg::StartHere,
        Msg::TourOffer,
        Msg::TourNoThanks,
        Msg::TourHeading { step: 0, steps: 7 },
        Msg::TourNext,
        Msg::TourFinish,
        Msg::TourClose,
        Msg::TourWal,
        Msg::TourMemtable,
        Msg::TourFrozen,
        Msg::TourFlush,
        Msg::TourManifest,
        Msg::TourGet,
        Msg::TourBloom,
        Msg::Glossary,
        Msg::GlossaryOpen,
        Msg::GlossaryClose,
        Msg::InvariantsHold,
        Msg::InvariantBroken {
            side: "B",
            after_op: 4,
            message: "oops",
        },
        Msg::LanguageChoice,
        Msg::Tagline,
        Msg::ScenarioLabel,
        Msg::DismissMessage,
        Msg::PanelsRegion,
        Msg::TutorialOpen,
        Msg::TutorialHide,
        Msg::ChapterClose,
        Msg::ChapterList,
        Msg::ChapterNumber {
            position: 6,
            chapters: 14,
        },
        Msg::ChapterContents { chapters: 14 },
        Msg::ChapterPrevious { title: "Flush" },
        Msg::ChapterNext { title: "Flush" },
        Msg::ChapterSteps { bottom: false },
        Msg::ChapterSteps { bottom: true },
        Msg::TableFilterGrid {
            bits: 64,
            per_cell: 1,
        },
        Msg::TableFilterGrid {
            bits: 20480,
            per_cell: 20,
        },
        Msg::TableProbeMaybe {
            key: "k3",
            hashes: 7,
        },
        Msg::TableProbeAbsent {
            key: "k3",
            probe: 2,
            hashes: 7,
            bit: 41,
        },
        Msg::TableTestedBit { bit: 41, set: true },
        Msg::TableTestedBit {
            bit: 41,
            set: false,
        },
        Msg::ScanHeading,
        Msg::ScanSummary {
            sources: 3,
            snapshot: 42,
            reverse: false,
        },
        Msg::ScanSummary {
            sources: 3,
            snapshot: 42,
            reverse: true,
        },
        Msg::ScanSourcesHeading,
        Msg::ScanSourceMemtable,
        Msg::ScanSourceImmutable,
        Msg::ScanSourceTable {
            level: 0,
            table: "000004.sst",
        },
        Msg::ScanSourceLevel {
            level: 1,
            tables: 3,
        },
        Msg::ScanSourceUnknown { index: 2 },
        Msg::ScanSourceCounts {
            returned: 2,
            shadowed: 3,
            tombstones: 1,
            invisible: 0,
        },
        Msg::ScanOrderHeading,
        Msg::ScanDid {
            decision: ScanDecision::Returned,
        },
        Msg::ScanDid {
            decision: ScanDecision::Shadowed,
        },
        Msg::ScanDid {
            decision: ScanDecision::Tombstone,
        },
        Msg::ScanDid {
            decision: ScanDecision::Invisible,
        },
        Msg::ScanDid {
            decision: ScanDecision::Expired,
        },
        Msg::ScanEarlier { count: 12 },
        Msg::Tables { count: 1 },
        Msg::BlurbThenYours { commands: 1 },
    ];
    all.extend(
        ScanColumn::ALL
            .into_iter()
            .map(|column| Msg::ScanColumnName { column }),
    );
    // Saving to IndexedDB.
    all.extend([
        Msg::SaveSaving,
        Msg::SaveSaved,
        Msg::SaveReopened,
        Msg::SaveRetrying {
            failures: 1,
            max: 3,
            reason: "quota",
        },
        Msg::SaveStopped {
            max: 3,
            reason: "quota",
        },
        Msg::SaveLocked,
        Msg::SaveUnavailable { reason: "private" },
        Msg::SaveOpening,
    ]);
    for term in Term::ALL {
        all.extend([
            Msg::TermName(term),
            Msg::TermDefinition(term),
            Msg::TermExplain(term),
        ]);
    }
    for measure in MEASURES {
        all.extend([
            Msg::CompareRatio {
                side: "B",
                base: "A",
                measure,
                ratio: "2.4",
            },
            Msg::CompareSame {
                side: "B",
                base: "A",
                measure,
            },
            Msg::CompareOnlyOne {
                side: "B",
                base: "A",
                measure,
            },
            Msg::CompareNothingYet { measure },
        ]);
    }
    // labs
    all.push(Msg::LabsNotProbed);
    for part in LabPart::ALL {
        all.extend([
            Msg::LabYours { part },
            Msg::LabYoursHint {
                part,
                file: "src/student/bloom.rs",
            },
            Msg::LabNotYours { part },
            Msg::LabNotYoursHint {
                part,
                reason: "todo",
            },
        ]);
    }
    for reason in [
        Reason::FewerRewrites,
        Reason::L0Tables { tables: 4 },
        Reason::LastLevelNotFull,
        Reason::TableOverheads,
        Reason::TieredWorstCase,
    ] {
        all.push(Msg::TheoryReason { reason });
    }
    all.extend(super::compare::samples().into_iter().map(Msg::Compare));
    all
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn the_samples_name_every_variant() {
    let mut seen = [false; VARIANTS];
    for msg in samples() {
        if let Some(slot) = seen.get_mut(variant_index(&msg)) {
            *slot = true;
        }
    }
    let missing: Vec<usize> = (0..VARIANTS)
        .filter(|i| !seen.get(*i).copied().unwrap_or(false))
        .collect();
    assert!(missing.is_empty(), "variants without a sample: {missing:?}");
}

#[test]
fn every_message_renders_in_both_languages() {
    for msg in samples() {
        let en = text(Lang::En, &msg);
        let zh = text(Lang::Zh, &msg);
        assert!(!en.trim().is_empty(), "{msg:?}");
        assert!(!zh.trim().is_empty(), "{msg:?}");
        assert_ne!(en, zh, "{msg:?} is not translated");
    }
}

#[test]
fn chinese_text_is_chinese() {
    // "SSTable" is the Chinese name too: the edition keeps the English word.
    let same_in_both = Msg::TermName(Term::Sstable);
    for msg in samples().into_iter().filter(|m| *m != same_in_both) {
        let zh = text(Lang::Zh, &msg);
        assert!(has_cjk(&zh), "{msg:?}: {zh}");
        assert!(!has_cjk(&text(Lang::En, &msg)), "{msg:?}");
    }
}

#[test]
fn chinese_counts_need_no_plural() {
    assert_eq!(text(Lang::Zh, &Msg::Tables { count: 1 }), "1 张表");
    assert_eq!(text(Lang::Zh, &Msg::Tables { count: 3 }), "3 张表");
}

#[test]
fn chinese_arguments_appear_in_the_text() {
    let wrong = text(
        Lang::Zh,
        &Msg::AskWrong {
            given: "7",
            answer: "2",
        },
    );
    assert!(wrong.contains('7') && wrong.contains('2'), "{wrong}");
    let heading = text(Lang::Zh, &Msg::TourHeading { step: 0, steps: 7 });
    assert!(
        heading.contains("第 1 步") && heading.contains("共 7 步"),
        "{heading}"
    );
}

#[test]
fn chinese_compaction_is_never_compression() {
    for msg in samples() {
        let zh = text(Lang::Zh, &msg);
        assert!(!zh.contains("压缩"), "{msg:?}: {zh}");
    }
}

//! The message catalogue: every sentence the teaching parts of the
//! visualizer show (questions, the guided tour, the glossary, maintenance
//! and embed controls), one `match` per language.
//!
//! A message is a [`Msg`] value, with its arguments as fields; a language
//! is a module with one function `text(&Msg) -> String` whose `match` has
//! no wildcard arm, so the compiler lists every message a new language
//! still lacks. Adding a language: copy `en.rs`, translate each arm, add a
//! [`Lang`] variant and its arm in [`text`].

pub mod asks;
pub mod compare;
pub mod count;
#[cfg(test)]
mod coverage;
mod en;
pub mod errors;
#[cfg(test)]
mod literals;
pub mod localized;
pub mod narration;
mod presets;
pub mod script_errors;
pub mod ui;
mod zh;

use std::cell::Cell;

use strata_engine::event::ScanDecision;

use super::compare::diff::Measure;
use super::glossary::Term;
use super::labs::LabPart;
use super::theory::Reason;
use super::views::scan::ScanColumn;
pub use compare::CompareText;

/// A language of the catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Its code in links (`lang=zh`) and in `navigator.language`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of a link's `lang=` value, or an error naming the
    /// ones there are.
    pub fn from_code(code: &str) -> Result<Lang, String> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| format!("no language called {code:?} (there are en, zh)"))
    }

    /// The language for a browser's preferred language tag (`zh-CN`,
    /// `en-GB`): Chinese for any `zh`, English otherwise.
    pub fn of_browser(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Its name in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// The tutorials' edition in this language.
    pub fn edition(self) -> strata_tutorials::Lang {
        match self {
            Lang::En => strata_tutorials::Lang::En,
            Lang::Zh => strata_tutorials::Lang::Zh,
        }
    }
}

/// A message, with its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg<'a> {
    /// Heading of a question box.
    AskHeading,
    /// Prompt under a question that takes a number.
    AskNumberLabel,
    /// The button that records the answer and plays the command.
    AskCheckAndPlay,
    /// The answer given, before the command has played.
    AskGiven { given: &'a str },
    /// The answer given was right.
    AskRight { answer: &'a str },
    /// The answer given was wrong.
    AskWrong { given: &'a str, answer: &'a str },
    /// The student played past the question without answering.
    AskSkipped { answer: &'a str },
    /// A number was expected.
    AskNotANumber { given: &'a str },
    /// The toggle that pauses before every compaction.
    PauseBeforeCompaction,
    /// Its explanation.
    PauseBeforeCompactionHint,
    /// The player stopped before a compaction.
    PausedBeforeCompaction,
    /// A count of tables, with its plural.
    Tables { count: usize },
    /// The bloom panel before any get reached a table.
    BloomNoProbeYet,
    /// The bloom panel when the latest get probed no filter (yet).
    BloomNoProbeForGet { key: &'a str },
    /// A command that does not parse, with where.
    CommandErrorAt { column: usize, message: &'a str },
    /// A scan whose start is not before its end.
    ScanRangeEmpty { start: &'a str, end: &'a str },
    /// The outcome line of a write while its inline maintenance is shown.
    WriteRunsMaintenance,
    /// The blurb's note after commands were typed on top of a scenario.
    BlurbThenYours { commands: usize },
    /// The scenario menu's entry for the scenario with typed commands.
    MenuWithYours { title: &'a str, commands: usize },
    /// The scenario menu's entry for typed commands alone.
    MenuOwn,
    /// A scene's name: its number and chapter.
    SceneTitle { number: usize, chapter: &'a str },
    /// What follows a scene's name in its blurb.
    SceneBlurb,
    /// What typed commands alone are called.
    OwnOperations,
    /// Why a compaction kept a tombstone: the deeper tables named.
    TombstoneKeptBecause { key: &'a str, tables: &'a str },
    /// A table's sizes.
    TableSummary {
        bytes: &'a str,
        records: u64,
        tombstones: u64,
        blocks: usize,
    },
    /// A table's filter.
    TableBloom { bits: u64, set: u64, hashes: u32 },
    /// A table without a filter.
    TableNoBloom,
    /// Closing the table view.
    TableClose,
    /// The records list's name.
    TableRecords,
    /// A tombstone row.
    TableTombstone,
    /// The hint that tables open.
    TableHint,
    /// The one-line console's label.
    CommandBarLabel,
    /// The button that starts the tour.
    StartHere,
    /// The offer of the tour on a first visit.
    TourOffer,
    /// Declining it.
    TourNoThanks,
    /// The tour box's heading: step n of m.
    TourHeading { step: usize, steps: usize },
    /// Moving on in the tour.
    TourNext,
    /// The last step's button.
    TourFinish,
    /// Leaving the tour.
    TourClose,
    /// Tour step: the WAL.
    TourWal,
    /// Tour step: the memtable.
    TourMemtable,
    /// Tour step: the memtable is frozen.
    TourFrozen,
    /// Tour step: the flush writes a table.
    TourFlush,
    /// Tour step: the manifest records it.
    TourManifest,
    /// Tour step: a get.
    TourGet,
    /// Tour step: the bloom filter.
    TourBloom,
    /// The glossary's heading.
    Glossary,
    /// The button that opens the glossary.
    GlossaryOpen,
    /// Closing it.
    GlossaryClose,
    /// A term's name.
    TermName(Term),
    /// A term's definition, from the tutorials' glossary.
    TermDefinition(Term),
    /// What a term button says to a screen reader.
    TermExplain(Term),
    /// Compare mode: side `side` has `ratio` times side `base`'s figure.
    CompareRatio {
        side: &'a str,
        base: &'a str,
        measure: Measure,
        ratio: &'a str,
    },
    /// Compare mode: the two figures are within a few percent.
    CompareSame {
        side: &'a str,
        base: &'a str,
        measure: Measure,
    },
    /// Compare mode: only `side` has any of the figure.
    CompareOnlyOne {
        side: &'a str,
        base: &'a str,
        measure: Measure,
    },
    /// Compare mode: neither side has any of the figure yet.
    CompareNothingYet { measure: Measure },
    /// The quiet badge: every invariant check holds on a side.
    InvariantsHold,
    /// A side's invariant check failed; playback stops.
    InvariantBroken {
        side: &'a str,
        after_op: usize,
        message: &'a str,
    },
    /// Why a measured figure differs from the theory drawn beside it.
    TheoryReason { reason: Reason },
    // Compare mode's page and the theory panel: their own catalogue, in
    // `compare.rs`.
    /// A sentence of compare mode or of the theory panel.
    Compare(CompareText<'a>),
    /// The language switch's label.
    LanguageChoice,
    /// The line under the name in the top bar.
    Tagline,
    /// The scenario menu's label.
    ScenarioLabel,
    /// The button that closes a message.
    DismissMessage,
    /// What the row of panels is called to a screen reader.
    PanelsRegion,
    /// The button that opens the chapter panel.
    TutorialOpen,
    /// The same button while the panel is open.
    TutorialHide,
    /// Closing the chapter panel.
    ChapterClose,
    /// The table of contents, to a screen reader.
    ChapterList,
    /// The chapter's place: chapter n of m.
    ChapterNumber { position: usize, chapters: usize },
    /// The table of contents' summary.
    ChapterContents { chapters: usize },
    /// The link to the chapter before, to a screen reader.
    ChapterPrevious { title: &'a str },
    /// The link to the chapter after, to a screen reader.
    ChapterNext { title: &'a str },
    /// The previous/next links above (or below) the chapter.
    ChapterSteps { bottom: bool },

    // The visualizer on a student's code (cargo feature `labs`, see
    // `model::labs`): the panels' badges.
    /// The badge of a panel that runs the student's `part`.
    LabYours { part: LabPart },
    /// Its tooltip: where that code is.
    LabYoursHint { part: LabPart, file: &'a str },
    /// The badge when the student's `part` is not ready: the engine's own
    /// runs.
    LabNotYours { part: LabPart },
    /// Its tooltip: why, and where to read more.
    LabNotYoursHint { part: LabPart, reason: &'a str },
    /// Why, when the page was built without probing the labs.
    LabsNotProbed,
    // Table view: the filter bit by bit, and the bits the last get tested.
    /// What the grid of a table's filter shows.
    TableFilterGrid { bits: u64, per_cell: u64 },
    /// The last get tested a key here and every tested bit was set.
    TableProbeMaybe { key: &'a str, hashes: usize },
    /// The last get tested a key here and probe `probe` found `bit` clear.
    TableProbeAbsent {
        key: &'a str,
        probe: usize,
        hashes: usize,
        bit: u64,
    },
    /// One tested bit, named in the list under the grid.
    TableTestedBit { bit: u64, set: bool },
    // Scan view: the merging iterator's sources and the entries it yields.
    /// The scan view's heading.
    ScanHeading,
    /// What the scan merges, as of which sequence number, which way.
    ScanSummary {
        sources: usize,
        snapshot: u64,
        reverse: bool,
    },
    /// The sources list's heading.
    ScanSourcesHeading,
    /// A source: the active memtable.
    ScanSourceMemtable,
    /// A source: the immutable memtable.
    ScanSourceImmutable,
    /// A source: one table of a tiered level.
    ScanSourceTable { level: u32, table: &'a str },
    /// A source: a leveled level's cursor over its tables.
    ScanSourceLevel { level: u32, tables: usize },
    /// A source the structure shown does not name.
    ScanSourceUnknown { index: usize },
    /// What one source gave: returned, shadowed, tombstones, too new.
    ScanSourceCounts {
        returned: u64,
        shadowed: u64,
        tombstones: u64,
        invisible: u64,
    },
    /// The entries list's heading.
    ScanOrderHeading,
    /// What the scan did with an entry.
    ScanDid { decision: ScanDecision },
    /// Entries met before the ones listed.
    ScanEarlier { count: u64 },
    /// A column of the entries list.
    ScanColumnName { column: ScanColumn },
    // Saving to IndexedDB (`model::saving`): the status line, retries,
    // stopped writes and why IndexedDB could not be opened.
    /// A change waits for its IndexedDB commit.
    SaveSaving,
    /// Everything is committed.
    SaveSaved,
    /// The stored database was reopened.
    SaveReopened,
    /// A commit failed and is tried again.
    SaveRetrying {
        failures: u32,
        max: u32,
        reason: &'a str,
    },
    /// Commits kept failing: writes are stopped.
    SaveStopped { max: u32, reason: &'a str },
    /// Another tab has the database open.
    SaveLocked,
    /// IndexedDB could not be opened for another reason.
    SaveUnavailable { reason: &'a str },
    /// While IndexedDB is being opened.
    SaveOpening,
}

/// The text of `msg` in `lang`.
pub fn text(lang: Lang, msg: &Msg) -> String {
    match lang {
        Lang::En => en::text(msg),
        Lang::Zh => zh::text(msg),
    }
}

thread_local! {
    /// The language the page is shown in. The app sets it (through
    /// [`show_in`]) each time it draws a new snapshot of the controller,
    /// whose `lang()` is the one source of the choice; this cell only
    /// spares every component and view-model function a `lang` argument.
    /// Native tests never set it, so their [`tr`] is English.
    static SHOWN: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Shows the page in `lang` from now on (see [`tr`]).
pub fn show_in(lang: Lang) {
    SHOWN.with(|shown| shown.set(lang));
}

/// The language the page is shown in.
pub fn shown() -> Lang {
    SHOWN.with(Cell::get)
}

/// The text of `msg` in the language shown.
pub fn tr(msg: &Msg) -> String {
    text(shown(), msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(tr(&Msg::Tables { count: 1 }), "1 table");
        assert_eq!(tr(&Msg::Tables { count: 0 }), "0 tables");
        assert_eq!(tr(&Msg::Tables { count: 3 }), "3 tables");
    }

    #[test]
    fn tr_follows_the_language_shown() {
        // Each test runs on its own thread, so this cell is this test's.
        assert_eq!(tr(&Msg::Tables { count: 2 }), "2 tables");
        show_in(Lang::Zh);
        assert_eq!(shown(), Lang::Zh);
        assert_eq!(tr(&Msg::Tables { count: 2 }), "2 张表");
        show_in(Lang::En);
        assert_eq!(tr(&Msg::Tables { count: 2 }), "2 tables");
    }

    #[test]
    fn a_scan_source_counts_its_tombstones_with_the_right_noun() {
        let counts = |tombstones| {
            tr(&Msg::ScanSourceCounts {
                returned: 1,
                shadowed: 0,
                tombstones,
                invisible: 0,
            })
        };
        assert!(counts(1).contains("1 tombstone ·"), "{}", counts(1));
        assert!(counts(2).contains("2 tombstones ·"), "{}", counts(2));
    }

    #[test]
    fn arguments_appear_in_the_text() {
        let wrong = tr(&Msg::AskWrong {
            given: "3",
            answer: "2",
        });
        assert!(wrong.contains('3') && wrong.contains('2'), "{wrong}");
    }
}

//! The English catalogue.

use strata_engine::event::ScanDecision;

use super::{Lang, Msg};
use crate::model::compare::diff::Measure;
use crate::model::glossary::Term;
use crate::model::labs::LabPart;
use crate::model::theory::Reason;
use crate::model::views::scan::ScanColumn;

/// The English text of `msg`.
pub fn text(msg: &Msg) -> String {
    match msg {
        Msg::AskHeading => "Predict, then play".to_owned(),
        Msg::AskNumberLabel => "Your answer (a number)".to_owned(),
        Msg::AskCheckAndPlay => "Check and play".to_owned(),
        Msg::AskGiven { given } => {
            format!("You said {given}. Play on: the answer shows once the command has run.")
        }
        Msg::AskRight { answer } => format!("Right: {answer}, as the trace shows."),
        Msg::AskWrong { given, answer } => {
            format!("Not quite: you said {given}, the trace says {answer}.")
        }
        Msg::AskSkipped { answer } => format!("Played on without an answer: it was {answer}."),
        Msg::AskNotANumber { given } => format!("{given:?} is not a number."),
        Msg::PauseBeforeCompaction => "Pause before each compaction".to_owned(),
        Msg::PauseBeforeCompactionHint => {
            "Typed commands run due flushes and compactions as their own steps; with this on, playing stops at each compaction so you can look first."
                .to_owned()
        }
        Msg::PausedBeforeCompaction => {
            "Paused before a compaction: look at the levels, then play on.".to_owned()
        }
        Msg::Tables { count: 1 } => "1 table".to_owned(),
        Msg::Tables { count } => format!("{count} tables"),
        Msg::BloomNoProbeYet => {
            "No filter probed yet: a get that reaches a table tests its filter.".to_owned()
        }
        Msg::BloomNoProbeForGet { key } => format!(
            "The get for {key} has tested no filter (yet): it was answered before a table, or every table's key range excluded it."
        ),
        Msg::CommandErrorAt { column, message } => format!("at character {column}: {message}"),
        Msg::ScanRangeEmpty { start, end } => format!(
            "the range from {start} up to {end} is empty: a scan's start comes before its end (scan {end} {start}?)"
        ),
        Msg::WriteRunsMaintenance => {
            "written; the full memtable makes it flush (and compact) before it returns".to_owned()
        }
        Msg::BlurbThenYours { commands: 1 } => {
            " Then 1 command of yours ran: what you see now may differ.".to_owned()
        }
        Msg::BlurbThenYours { commands } => {
            format!(" Then {commands} commands of yours ran: what you see now may differ.")
        }
        Msg::MenuWithYours { title, commands: 1 } => format!("{title}, then 1 typed command"),
        Msg::MenuWithYours { title, commands } => {
            format!("{title}, then {commands} typed commands")
        }
        Msg::MenuOwn => "— your own operations —".to_owned(),
        Msg::SceneTitle { number, chapter } => format!("Scene {number} of “{chapter}”"),
        Msg::SceneBlurb => {
            " — the chapter's script, with the options it sets. Predict, then play.".to_owned()
        }
        Msg::OwnOperations => "your own operations".to_owned(),
        Msg::TombstoneKeptBecause { key, tables } => format!(
            "The tombstone of {key} is kept: {tables} below covers {key}, so an older value may lie there; dropping the tombstone would bring it back."
        ),
        Msg::TableSummary { bytes, records, tombstones, blocks } => format!(
            "{bytes} · {records} records, {tombstones} of them tombstones · {blocks} data blocks"
        ),
        Msg::TableBloom { bits, set, hashes } => {
            format!("Bloom filter: {set} of {bits} bits set, {hashes} hash functions per key.")
        }
        Msg::TableNoBloom => "No bloom filter (bloom_bits_per_key=0).".to_owned(),
        Msg::TableClose => "Close the table".to_owned(),
        Msg::TableRecords => "The table's records in key order".to_owned(),
        Msg::TableTombstone => "tombstone (delete)".to_owned(),
        Msg::TableHint => "Click a table to see its records.".to_owned(),
        Msg::CommandBarLabel => "Run a command".to_owned(),
        Msg::StartHere => "Start here".to_owned(),
        Msg::TourOffer => {
            "New to LSM-trees? A two-minute tour shows a write travel from the log to a table on disk, one step at a time."
                .to_owned()
        }
        Msg::TourNoThanks => "No thanks".to_owned(),
        Msg::TourHeading { step, steps } => format!("Tour · step {} of {steps}", step + 1),
        Msg::TourNext => "Next".to_owned(),
        Msg::TourFinish => "Finish the tour".to_owned(),
        Msg::TourClose => "Close the tour".to_owned(),
        Msg::TourWal => {
            "A put is first appended to the write-ahead log (WAL) on disk: if the machine crashes now, the write can be replayed from it."
                .to_owned()
        }
        Msg::TourMemtable => {
            "Then it goes into the memtable, a sorted table in memory: writing there is cheap, and reads look there first."
                .to_owned()
        }
        Msg::TourFrozen => {
            "The memtable is full: it is frozen (read-only) and a fresh one takes the next writes, so writers never wait for the disk."
                .to_owned()
        }
        Msg::TourFlush => {
            "The flush writes the frozen memtable as one sorted, immutable file, an SSTable, into level 0 (L0)."
                .to_owned()
        }
        Msg::TourManifest => {
            "The manifest records the new table; only now can reads find it, and the WAL it replaces can be deleted."
                .to_owned()
        }
        Msg::TourGet => {
            "A get looks in the memtable first, then in the tables from newest to oldest, and stops at the first answer."
                .to_owned()
        }
        Msg::TourBloom => {
            "Before reading a table from disk, its bloom filter answers \"maybe here\" or \"certainly not\": a no saves a disk read."
                .to_owned()
        }
        Msg::Glossary => "Glossary".to_owned(),
        Msg::GlossaryOpen => "Glossary".to_owned(),
        Msg::GlossaryClose => "Close the glossary".to_owned(),
        Msg::TermName(term) => term_name(*term).to_owned(),
        Msg::TermDefinition(term) => term.definition_in(Lang::En),
        Msg::TermExplain(term) => format!("What is {}?", term_name(*term)),
        Msg::CompareRatio {
            side,
            base,
            measure,
            ratio,
        } => compare_ratio(side, base, *measure, ratio),
        Msg::CompareSame {
            side,
            base,
            measure,
        } => compare_same(side, base, *measure),
        Msg::CompareOnlyOne {
            side,
            base,
            measure,
        } => compare_only_one(side, base, *measure),
        Msg::CompareNothingYet { measure } => compare_nothing_yet(*measure),
        Msg::InvariantsHold => "Invariants hold".to_owned(),
        Msg::InvariantBroken {
            side,
            after_op,
            message,
        } => format!(
            "{side}: an invariant is broken after operation {}: {message}. Playback stopped.",
            after_op + 1
        ),
        Msg::TheoryReason { reason } => theory_reason(*reason),
        Msg::Compare(t) => super::compare::en(t),
        Msg::LanguageChoice => "Language".to_owned(),
        Msg::Tagline => "an LSM-tree you can watch — the real engine, compiled to WebAssembly".to_owned(),
        Msg::ScenarioLabel => "Scenario".to_owned(),
        Msg::DismissMessage => "Dismiss the message".to_owned(),
        Msg::PanelsRegion => "Read path, bloom filter, compaction and statistics".to_owned(),
        Msg::TutorialOpen => "Tutorial".to_owned(),
        Msg::TutorialHide => "Hide the tutorial".to_owned(),
        Msg::ChapterClose => "Close the chapter".to_owned(),
        Msg::ChapterList => "Chapters".to_owned(),
        Msg::ChapterNumber { position, chapters } => format!("Chapter {position} of {chapters}"),
        Msg::ChapterContents { chapters } => format!("Contents ({chapters} chapters)"),
        Msg::ChapterPrevious { title } => format!("Previous chapter: {title}"),
        Msg::ChapterNext { title } => format!("Next chapter: {title}"),
        Msg::ChapterSteps { bottom } => format!("Previous and next chapter ({})", if *bottom { "bottom" } else { "top" }),
        // Saving to IndexedDB.
        Msg::SaveSaving => "Saving to IndexedDB…".to_owned(),
        Msg::SaveSaved => "Saved in IndexedDB".to_owned(),
        Msg::SaveReopened => "Reopened from IndexedDB".to_owned(),
        Msg::SaveRetrying { failures, max, reason } => format!(
            "Not saved yet ({reason}); trying again ({failures} of {max} attempts failed)."
        ),
        Msg::SaveStopped { max, reason } => format!(
            "Saving to IndexedDB failed {max} times in a row ({reason}). Writes are stopped so that nothing more is lost: reload the page, or keep the database in memory to go on."
        ),
        Msg::SaveLocked => "This database is open in another tab. Close it there (or keep working in that tab); here the database stays in memory and is not kept.".to_owned(),
        Msg::SaveUnavailable { reason } => format!(
            "IndexedDB is not available ({reason}); the database stays in memory."
        ),
        Msg::SaveOpening => "Opening IndexedDB…".to_owned(),
        // Table view: the filter bit by bit.
        Msg::TableFilterGrid { bits, per_cell: 1 } => format!("The filter's {bits} bits, one square per bit; set bits are filled."),
        Msg::TableFilterGrid { bits, per_cell } => format!("The filter's {bits} bits, {per_cell} to a square, shaded by how many are set."),
        Msg::TableProbeMaybe { key, hashes } => format!("The last get tested {key} here: all {hashes} of its bits are set, so the key may be present and the table's index is searched."),
        Msg::TableProbeAbsent { key, probe, hashes, bit } => format!("The last get tested {key} here: probe {probe} of {hashes} found bit {bit} clear, so the key is definitely absent and no block is read."),
        Msg::TableTestedBit { bit, set: true } => format!("bit {bit}: set"),
        Msg::TableTestedBit { bit, set: false } => format!("bit {bit}: clear"),
        // Scan view.
        Msg::ScanHeading => "Scan".to_owned(),
        Msg::ScanSummary { sources, snapshot, reverse } => format!("A merging iterator over {sources} sources, reading as of sequence {snapshot}, {}.", if *reverse { "from high keys to low" } else { "from low keys to high" }),
        Msg::ScanSourcesHeading => "Sources (newest first)".to_owned(),
        Msg::ScanSourceMemtable => "memtable".to_owned(),
        Msg::ScanSourceImmutable => "immutable memtable".to_owned(),
        Msg::ScanSourceTable { level, table } => format!("L{level} {table}"),
        Msg::ScanSourceLevel { level, tables } => format!("L{level}: one cursor over {tables} {}", if *tables == 1 { "table" } else { "tables" }),
        Msg::ScanSourceUnknown { index } => format!("source {index}"),
        Msg::ScanSourceCounts { returned, shadowed, tombstones, invisible } => format!("{returned} returned · {shadowed} shadowed · {tombstones} {} · {invisible} too new", if *tombstones == 1 { "tombstone" } else { "tombstones" }),
        Msg::ScanOrderHeading => "Entries in the order the merge yields them".to_owned(),
        Msg::ScanDid { decision } => match decision {
            ScanDecision::Returned => "returned",
            ScanDecision::Shadowed => "shadowed by a newer version, skipped",
            ScanDecision::Tombstone => "tombstone: the key is deleted, skipped",
            ScanDecision::Invisible => "newer than the snapshot, skipped",
            ScanDecision::Expired => "expired: older than the time to live, skipped",
        }
        .to_owned(),
        Msg::ScanEarlier { count } => format!("… {count} earlier entries not listed"),
        Msg::ScanColumnName { column } => match column {
            ScanColumn::Order => "#",
            ScanColumn::Key => "key",
            ScanColumn::Seq => "seq",
            ScanColumn::Source => "source",
            ScanColumn::Did => "what the scan did",
        }
        .to_owned(),
        // labs
        Msg::LabYours { part } => format!("your {}", lab_part(*part)),
        Msg::LabYoursHint { part, file } => format!("This panel runs your {} from {file} (the visualizer built with --features labs).", lab_part(*part)),
        Msg::LabNotYours { part } => format!("the engine's {}: your {} lab is not ready", lab_part(*part), part.lab()),
        Msg::LabNotYoursHint { part, reason } => format!("Your {} lab does not run yet, so the engine's own code runs in its place: {reason}. See tutorials/labs/README.md.", part.lab()),
        Msg::LabsNotProbed => "the labs were not probed; build the page with cargo run -p strata-site -- build --labs".to_owned(),
    }
}

/// What the student writes in a lab, after "your".
fn lab_part(part: LabPart) -> &'static str {
    match part {
        LabPart::Bloom => "bloom filter",
        LabPart::Merge => "merging iterator",
        LabPart::Picking => "picker",
        LabPart::Fates => "tombstone fates",
    }
}

/// `B writes 2.4× the bytes A writes.`
fn compare_ratio(side: &str, base: &str, measure: Measure, ratio: &str) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} writes {ratio}× the bytes {base} writes."),
        Measure::BytesStored => format!("{side} stores {ratio}× the bytes {base} stores."),
        Measure::TablesPerGet => {
            format!("{side} probes {ratio}× the tables per get {base} probes.")
        }
        Measure::BlocksPerGet => format!("{side} reads {ratio}× the blocks per get {base} reads."),
    }
}

fn compare_same(side: &str, base: &str, measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} writes about as many bytes as {base}."),
        Measure::BytesStored => format!("{side} stores about as many bytes as {base}."),
        Measure::TablesPerGet => format!("{side} probes about as many tables per get as {base}."),
        Measure::BlocksPerGet => format!("{side} reads about as many blocks per get as {base}."),
    }
}

fn compare_only_one(side: &str, base: &str, measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} has written to storage; {base} not yet."),
        Measure::BytesStored => format!("{side} holds tables; {base} none yet."),
        Measure::TablesPerGet => format!("{side}'s gets probe tables; {base}'s none."),
        Measure::BlocksPerGet => format!("{side}'s gets read blocks; {base}'s none."),
    }
}

fn theory_reason(reason: Reason) -> String {
    match reason {
        Reason::FewerRewrites => "Measured write amplification is below the estimate: the estimate assumes every write adds a new key and every level is full, while merges drop overwritten and deleted versions.".to_owned(),
        Reason::L0Tables { tables } => format!("L0 holds {tables} tables of recent versions that the leveled estimate leaves out."),
        Reason::LastLevelNotFull => "Level targets are static: the last level is less than T times the level above, so the upper levels hold old versions of much of the data.".to_owned(),
        Reason::TableOverheads => "Table bytes also count each key's trailer, block headers, indexes and filters, which the estimate leaves out.".to_owned(),
        Reason::TieredWorstCase => "The tiered space estimate is a worst case, every run of a full level holding the same keys; the levels are not all that full.".to_owned(),
    }
}

fn compare_nothing_yet(measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => "Nothing written to storage yet.".to_owned(),
        Measure::BytesStored => "No tables yet.".to_owned(),
        Measure::TablesPerGet | Measure::BlocksPerGet => {
            "No get has reached a table yet.".to_owned()
        }
    }
}

fn term_name(term: Term) -> &'static str {
    match term {
        Term::Wal => "the WAL",
        Term::Memtable => "the memtable",
        Term::Sstable => "an SSTable",
        Term::Level => "a level",
        Term::Run => "a run",
        Term::Bloom => "a bloom filter",
        Term::Tombstone => "a tombstone",
        Term::Compaction => "compaction",
        Term::Amplification => "WA, RA and SA",
    }
}

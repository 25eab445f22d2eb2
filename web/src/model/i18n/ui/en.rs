//! The panels in English.

use strata_engine::event::{EntryFate, GetOutcome};
use strata_engine::CompactionStrategy;

use super::Ui;
use crate::model::i18n::count::{count_in, Noun};
use crate::model::i18n::Lang;
use crate::model::setup::PANEL_OPTIONS;
use crate::model::views::structure::TableMark;

fn n(value: u64, noun: Noun) -> String {
    count_in(Lang::En, value, noun)
}

fn mark(mark: TableMark) -> &'static str {
    match mark {
        TableMark::Normal => "",
        TableMark::New => " · just added",
        TableMark::Input => " · compaction input",
        TableMark::Fading => " · removed, fading out",
        TableMark::SkippedRange => " · get skipped it: key outside its range",
        TableMark::FilteredOut => " · get skipped it: bloom filter said absent",
        TableMark::Read => " · get read a block",
        TableMark::FalsePositive => " · bloom false positive",
        TableMark::Answer => " · the get's answer",
        TableMark::KeepsTombstone => " · older data below: keeps a tombstone alive",
        TableMark::HiddenByRange => " · range delete: its versions in the range are hidden",
    }
}

fn legend_mark(mark: TableMark) -> &'static str {
    match mark {
        TableMark::Normal => "a table",
        TableMark::New => "just added by a manifest edit",
        TableMark::Input => "compaction input",
        TableMark::Fading => "removed, fading out",
        TableMark::SkippedRange => "get: key outside the range",
        TableMark::FilteredOut => "get: bloom said absent",
        TableMark::Read => "get: block read",
        TableMark::FalsePositive => "get: bloom false positive",
        TableMark::Answer => "get: answer found here",
        TableMark::KeepsTombstone => "older data below: keeps a tombstone",
        TableMark::HiddenByRange => "range delete: versions in the range hidden",
    }
}

fn fate(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "kept: newest version",
        EntryFate::Shadowed => "dropped: shadowed by a newer version",
        EntryFate::TombstoneDroppedAtBottom => "tombstone dropped at the bottom",
        EntryFate::TombstoneKeptOlderDataBelow => "tombstone kept: older data below",
        EntryFate::KeptForSnapshot => "kept for a snapshot",
        EntryFate::CoveredByRangeTombstone => "dropped: under a range tombstone",
    }
}

fn fate_short(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "kept",
        EntryFate::Shadowed => "shadowed",
        EntryFate::TombstoneDroppedAtBottom => "tombstone dropped",
        EntryFate::TombstoneKeptOlderDataBelow => "tombstone kept",
        EntryFate::KeptForSnapshot => "kept for snapshot",
        EntryFate::CoveredByRangeTombstone => "range-deleted",
    }
}

fn kind(tombstone: bool) -> &'static str {
    if tombstone {
        "tombstone"
    } else {
        "put"
    }
}

/// The English text of `ui`.
pub fn text(ui: &Ui) -> String {
    match *ui {
        Ui::IgnoredQuery { error } => format!("Ignored the query: {error}"),
        Ui::LinkUnreadableFallback { error } => {
            format!("Could not read the link: {error}. Showing the first scenario instead.")
        }
        Ui::LinkUnreadable { error } => format!("Could not read the link: {error}"),
        Ui::Timeline => "Timeline".to_owned(),
        Ui::Pause => "Pause (space)".to_owned(),
        Ui::PlayKey => "Play (space)".to_owned(),
        Ui::Play => "Play".to_owned(),
        Ui::ToStart => "To the start (Home)".to_owned(),
        Ui::PreviousOp => "Previous operation (shift+←)".to_owned(),
        Ui::StepBack => "Step back (←)".to_owned(),
        Ui::StepForward => "Step forward (→)".to_owned(),
        Ui::NextOp => "Next operation (shift+→)".to_owned(),
        Ui::ToEnd => "To the end (End)".to_owned(),
        Ui::Frame => "Frame".to_owned(),
        Ui::FrameOf { pos, total } => format!("frame {pos} of {total}"),
        Ui::FrameShort { pos, total } => format!("frame {pos} / {total}"),
        Ui::OpOf { op, ops } => format!("op {op} / {ops}"),
        Ui::Opening => "opening".to_owned(),
        Ui::Speed => "Speed".to_owned(),
        Ui::FramesPerSecond => "Frames per second".to_owned(),
        Ui::PerSecond { speed } => format!("{speed} /s"),
        Ui::EventOf { event, events } => format!("event {event} of {events}"),
        Ui::NoEvents => "no events".to_owned(),
        Ui::WhatHappens => "What happens".to_owned(),
        Ui::OpenTheDatabase => "open the database".to_owned(),
        Ui::OpenAndEmpty => "The database is open and empty.".to_owned(),
        _ => structure(ui),
    }
}

fn structure(ui: &Ui) -> String {
    match *ui {
        Ui::Structure => "Structure".to_owned(),
        Ui::MergeCursorAt { key } => format!("merge cursor at {key}"),
        Ui::TablesBeingWritten => "Tables being written".to_owned(),
        Ui::TableWritten {
            table,
            level,
            bytes,
        } => {
            format!("{table} for L{level}: written and synced, {bytes}")
        }
        Ui::TableWriting {
            table,
            level,
            blocks,
            bytes,
        } => {
            format!(
                "{table} for L{level}: writing, {}, {bytes}",
                n(blocks, Noun::Block)
            )
        }
        Ui::NoLog => "no log".to_owned(),
        Ui::WriteAheadLog => "Write-ahead log".to_owned(),
        Ui::WalHeading => "WAL".to_owned(),
        Ui::WalRecord {
            offset,
            bytes,
            records,
            seq,
        } => {
            format!(
                "offset {offset} · {bytes} · {} from seq {seq}",
                n(records, Noun::Record)
            )
        }
        Ui::WalWritten { bytes } => format!("{bytes} written"),
        Ui::WalSyncedTo { bytes } => format!(" · synced to {bytes}"),
        Ui::WalKeptFor { logs } => format!(" · kept for the immutable memtable: {logs}"),
        Ui::Memtable => "Memtable".to_owned(),
        Ui::MemtableMeta {
            records,
            bytes,
            capacity,
        } => {
            format!("{} · {bytes} of {capacity}", n(records, Noun::Record))
        }
        Ui::MemtableFill => "Memtable fill".to_owned(),
        Ui::SkiplistNodes => "Skiplist nodes in key order with their tower heights".to_owned(),
        Ui::Node {
            key,
            seq,
            tombstone,
            height,
        } => {
            format!("{key} · seq {seq} · {} · tower {height}", kind(tombstone))
        }
        Ui::More { count } => format!("+{count} more"),
        Ui::ImmutableMemtable => "Immutable memtable".to_owned(),
        Ui::NoneWaiting => "none waiting".to_owned(),
        Ui::ImmutableMeta { records, bytes } => format!("{} · {bytes}", n(records, Noun::Record)),
        Ui::ItsLog { wal } => format!("its log: {wal}"),
        Ui::FlushingInto { table } => format!("flushing into {table} →"),
        Ui::Mark(m) => mark(m).to_owned(),
        Ui::TableTitle {
            table,
            level,
            bytes,
            records,
            first,
            last,
            mark: m,
            tombstones,
            range_tombstones,
        } => {
            let mut title = format!(
                "{table} · L{level} · {bytes} · {} · {first}…{last}{}",
                n(records, Noun::Record),
                mark(m)
            );
            if tombstones > 0 {
                title.push_str(&format!(" · {}", n(tombstones, Noun::Tombstone)));
            }
            if range_tombstones > 0 {
                title.push_str(&format!(" · {}", n(range_tombstones, Noun::RangeTombstone)));
            }
            title
        }
        Ui::RangeTombstone { start, end, seq } => format!("range tombstone [{start}, {end}) · #{seq}"),
        Ui::RangeTombstoneAnswers { seq } => {
            format!("a range tombstone (#{seq}) covers the key — deleted, stop")
        }
        Ui::RangeTombstones => "Range tombstones in the memtable".to_owned(),
        Ui::RangeDeleteHides { start, end, tables } => format!("Range tombstone [{start}, {end}): every older version of a key in the range is hidden from now on — in {tables}. Compaction drops them later."),
        Ui::RangeDeleteHidesNothing { start, end } => format!("Range tombstone [{start}, {end}): no table holds keys of the range yet; only the memtable's older versions are hidden."),
        Ui::RunsOf { live, trigger } => format!("{live} of {trigger} runs"),
        Ui::SizeOf { bytes, target } => format!("{bytes} of {target}"),
        Ui::LevelLabel {
            level,
            tables,
            target,
            tiered,
        } => format!(
            "L{level}: {}, {target}{}",
            n(tables as u64, Noun::Table),
            if tiered {
                ", tiered (runs may overlap)"
            } else {
                ", leveled (sorted, disjoint)"
            }
        ),
        Ui::FillOfTrigger { percent } => format!("{percent}% of its trigger"),
        Ui::KeyAxis => "key axis →".to_owned(),
        Ui::LevelsOnAxis => "Levels, on one key axis".to_owned(),
        _ => compaction(ui),
    }
}

fn compaction(ui: &Ui) -> String {
    match *ui {
        Ui::Compaction => "Compaction".to_owned(),
        Ui::NoCompactionYet => "No compaction yet. ".to_owned(),
        Ui::NoCompactionYetAfter => " runs one when a level is over its trigger.".to_owned(),
        Ui::Strategy(s) => match s {
            CompactionStrategy::Leveled => "leveled",
            CompactionStrategy::SizeTiered => "size-tiered",
            CompactionStrategy::Hybrid => "hybrid",
            CompactionStrategy::Universal => "universal",
        }
        .to_owned(),
        Ui::DueRuns {
            level,
            runs,
            threshold,
        } => {
            format!("L{level} holds {runs} runs, trigger {threshold}")
        }
        Ui::DueSize {
            level,
            bytes,
            target,
        } => format!("L{level} holds {bytes}, target {target}"),
        Ui::DueManual { target_level } => {
            format!("full compaction of a range, down to L{target_level}")
        }
        Ui::DueSpaceAmplification {
            percent,
            max_percent,
        } => format!("newer runs {percent}% of the oldest, limit {max_percent}%"),
        Ui::DueSizeRatio { runs } => format!("{runs} runs of similar size"),
        Ui::Score { score } => format!("score {score:.2}"),
        Ui::TrivialMove => " · trivial move: no rewrite".to_owned(),
        Ui::InputsOf { level } => format!("L{level} inputs:"),
        Ui::NoInputs => " none".to_owned(),
        Ui::RecordsMerged => "Records merged".to_owned(),
        Ui::MergedOf { seen, total } => format!("{seen} / {total} records merged"),
        Ui::CursorAt { key } => format!(" · cursor at {key}"),
        Ui::Fate(f) => fate(f).to_owned(),
        Ui::FateShort(f) => fate_short(f).to_owned(),
        Ui::ColKey => "key".to_owned(),
        Ui::ColSeq => "seq".to_owned(),
        Ui::ColKind => "kind".to_owned(),
        Ui::ColFate => "fate".to_owned(),
        Ui::ColBlock => "block".to_owned(),
        Ui::ColLevel => "level".to_owned(),
        Ui::ColTables => "tables".to_owned(),
        Ui::ColBytes => "bytes".to_owned(),
        Ui::ColTarget => "target".to_owned(),
        Ui::Kind { tombstone } => kind(tombstone).to_owned(),
        Ui::PutOf { bytes } => format!("put, {bytes}"),
        Ui::Notable => "Tombstones and snapshot keeps in this compaction".to_owned(),
        Ui::NotableEntry {
            key,
            seq,
            tombstone,
            fate: f,
        } => {
            format!("{key} seq {seq} ({}): {}", kind(tombstone), fate(f))
        }
        Ui::OutputsIn { level } => format!("outputs in L{level}:"),
        Ui::InstalledMove => "Installed: the table moved down by a manifest edit alone.".to_owned(),
        Ui::Installed {
            read,
            wrote,
            records_in,
            records_out,
        } => {
            format!("Installed: read {read}, wrote {wrote}; {records_in} records in, {records_out} out.")
        }
        _ => read_path(ui),
    }
}

fn read_path(ui: &Ui) -> String {
    match *ui {
        Ui::ReadPath => "Read path".to_owned(),
        Ui::NoGetYet => "No get yet. Try ".to_owned(),
        Ui::Slot { immutable: false } => "memtable".to_owned(),
        Ui::Slot { immutable: true } => "immutable memtable".to_owned(),
        Ui::NoRecord => "no record".to_owned(),
        Ui::FoundStop { tombstone: false } => "found a value — stop".to_owned(),
        Ui::FoundStop { tombstone: true } => "found a tombstone — stop".to_owned(),
        Ui::BloomSaid { absent: true } => "bloom: definitely absent → ".to_owned(),
        Ui::BloomSaid { absent: false } => "bloom: maybe → ".to_owned(),
        Ui::OutsideRange => "key outside its range — skipped".to_owned(),
        Ui::RangeCovers => "range covers the key".to_owned(),
        Ui::FilteredOut => "skipped, no block read".to_owned(),
        Ui::IndexToBlock { block } => format!("index → block {block}"),
        Ui::PastLastBlock => "past its last block".to_owned(),
        Ui::BlockReadNo { block } => format!("block {block} read"),
        Ui::ReadForNothing => "block read for nothing: false positive".to_owned(),
        Ui::KeyIsHere => "the key is here — stop".to_owned(),
        Ui::GetAt { key, seq } => format!("get {key} at sequence {seq}"),
        Ui::Answer {
            outcome,
            memtable,
            table,
            tables,
        } => {
            let what = match outcome {
                GetOutcome::Found => "found",
                GetOutcome::Deleted => "deleted",
                GetOutcome::NotFound => "not found",
                GetOutcome::Expired => "expired",
            };
            let place = match (memtable, table) {
                (true, _) => " in a memtable".to_owned(),
                (false, Some((level, t))) => format!(" in L{level} {t}"),
                (false, None) => String::new(),
            };
            format!("→ {what}{place} · {} read", n(tables, Noun::Table))
        }
        _ => bloom(ui),
    }
}

fn bloom(ui: &Ui) -> String {
    match *ui {
        Ui::BloomFilter => "Bloom filter".to_owned(),
        Ui::Bit { position, set } => format!(
            "bit {position}: {}",
            match set {
                Some(true) => "set",
                Some(false) => "clear",
                None => "unknown",
            }
        ),
        Ui::BitArray {
            bits,
            per_cell,
            tested,
        } => {
            let fold = if per_cell > 1 {
                format!(" (each cell: {per_cell} bits)")
            } else {
                String::new()
            };
            format!("Bit array of {bits} bits{fold}; {tested} tested")
        }
        Ui::Verdict { absent: true, .. } => "definitely absent — no block read".to_owned(),
        Ui::Verdict {
            false_positive: true,
            ..
        } => "maybe… but it was a false positive".to_owned(),
        Ui::Verdict { .. } => "maybe present — read the block".to_owned(),
        Ui::BitsSet { set, bits } => format!(" · {set} of {bits} bits set"),
        Ui::ProbeLine { key, table, probes } => {
            format!("{key} in {table}: {}", n(probes, Noun::Probe))
        }
        Ui::Probes => "probes".to_owned(),
        Ui::DefinitelyAbsent => "definitely absent".to_owned(),
        Ui::FalsePositives => "false positives".to_owned(),
        Ui::FpObserved => "FP rate, observed".to_owned(),
        Ui::FpTheory { bits_per_key } => format!("FP rate, theory ({bits_per_key} bits/key)"),
        Ui::NoFilter => "no filter".to_owned(),
        _ => stats(ui),
    }
}

fn stats(ui: &Ui) -> String {
    match *ui {
        Ui::Statistics => "Statistics".to_owned(),
        Ui::WriteAmp => "write amplification".to_owned(),
        Ui::WriteAmpHow => "(flush + compaction bytes) / user bytes".to_owned(),
        Ui::ReadAmp => "read amplification".to_owned(),
        Ui::ReadAmpHow => "tables probed per get".to_owned(),
        Ui::SpaceAmp => "space amplification".to_owned(),
        Ui::SpaceAmpHow => "table bytes / live data bytes".to_owned(),
        Ui::BlocksPerGet => "blocks read per get".to_owned(),
        Ui::BloomFpRate => "bloom FP rate".to_owned(),
        Ui::LiveData => "live data / tables".to_owned(),
        Ui::AmpChart { ops, max } => {
            format!("Amplification over {ops} operations; scale 0 to {max}")
        }
        Ui::ChartScale { max } => format!(" (0 … {max}, over the operations)"),
        Ui::ChartKey { line: 0 } => "— WA".to_owned(),
        Ui::ChartKey { line: 1 } => "— RA".to_owned(),
        Ui::ChartKey { .. } => "— SA".to_owned(),
        Ui::Runs { runs } => format!("{runs} runs"),
        Ui::Legend => "Legend".to_owned(),
        Ui::Levels => "Levels".to_owned(),
        Ui::Tables => "Tables".to_owned(),
        Ui::Fates => "Record fates in a compaction".to_owned(),
        Ui::LegendMark(m) => legend_mark(m).to_owned(),
        _ => console(ui),
    }
}

fn console(ui: &Ui) -> String {
    match *ui {
        Ui::Operations => "Operations".to_owned(),
        Ui::Command => "Command".to_owned(),
        Ui::Run => "Run".to_owned(),
        Ui::KeyField => "key".to_owned(),
        Ui::ValueField => "value".to_owned(),
        Ui::BulkLoad => "Bulk load".to_owned(),
        Ui::Count => "count".to_owned(),
        Ui::Seed => "seed".to_owned(),
        Ui::Keys => "keys".to_owned(),
        Ui::From => "from".to_owned(),
        Ui::To => "to".to_owned(),
        Ui::DeleteRange => "delete range".to_owned(),
        Ui::CommandLanguage => "Command language".to_owned(),
        Ui::KeysHelp => "Keys: bare words, \"quoted strings\" or 0x hex.".to_owned(),
        Ui::Options => "Options".to_owned(),
        Ui::OptionsRestart => "Changing one restarts the scenario from its seed.".to_owned(),
        Ui::BackToPreset => "Back to the scenario's options".to_owned(),
        Ui::DatabaseFiles => "Database files".to_owned(),
        Ui::InMemory => "in memory".to_owned(),
        Ui::InIndexedDb => "in IndexedDB (kept on reload)".to_owned(),
        Ui::OptionLabel { name } => PANEL_OPTIONS
            .iter()
            .find(|o| o.name == name)
            .map_or(name, |o| o.label)
            .to_owned(),
        _ => sharing(ui),
    }
}

fn sharing(ui: &Ui) -> String {
    match *ui {
        Ui::TooLongForLink => "This log is too long for a link: export the trace instead.".to_owned(),
        Ui::LinkCopied => "Link copied.".to_owned(),
        Ui::CouldNotCopy { error } => {
            format!("Could not copy ({error}); the address bar holds the link.")
        }
        Ui::TooLongToEmbed => "This log is too long to embed: export the trace instead.".to_owned(),
        Ui::EmbedCopied => "Embed code copied.".to_owned(),
        Ui::CopyEmbedByHand => "Copy the embed code from the box below the buttons.".to_owned(),
        Ui::CopyLink => "Copy link".to_owned(),
        Ui::CopyEmbed => "Copy embed code".to_owned(),
        Ui::EmbedCode => "Embed code".to_owned(),
        Ui::Trace => "Trace".to_owned(),
        Ui::TraceHolds => "The options, the operations and every event, as JSON.".to_owned(),
        Ui::ExportTrace => "Export trace".to_owned(),
        Ui::ImportTrace => "Import trace…".to_owned(),
        Ui::CouldNotExport { error } => format!("Could not export: {error}"),
        Ui::CouldNotReadFile { error } => format!("Could not read the file: {error}"),
        Ui::Scene { number } => format!("Scene {number}"),
        Ui::RunSceneLabel { number } => format!("Run scene {number} in the visualizer"),
        Ui::RunScene => "▶ Run in the visualizer".to_owned(),
        Ui::SceneLoaded => {
            "Loaded: the visualizer starts at its first command. Predict, then play (space) or step (→)."
                .to_owned()
        }
        Ui::Colon => ": ".to_owned(),
        Ui::BrowserRefused => "the browser refused".to_owned(),
        Ui::NoAnchor => "no anchor element".to_owned(),
        Ui::FileNotText => "the file is not text".to_owned(),
        _ => String::new(),
    }
}

//! The narration in English.

use strata_engine::compaction::filter::{FilterOutcome, FilterReason};
use strata_engine::event::{EntryFate, GetOutcome, MemtableSlot, ScanDecision};
use strata_engine::ValueKind;

use super::{Due, Line, Place};
use crate::model::i18n::count::{count_in, list_in, Noun};
use crate::model::i18n::Lang;

fn n(value: u64, noun: Noun) -> String {
    count_in(Lang::En, value, noun)
}

fn slot(slot: MemtableSlot) -> &'static str {
    match slot {
        MemtableSlot::Active => "the memtable",
        MemtableSlot::Immutable => "the immutable memtable",
    }
}

fn kind(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Put => "put",
        ValueKind::Delete => "tombstone",
    }
}

fn fate(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "kept — the newest version of its key",
        EntryFate::Shadowed => "dropped — a newer version hides it from every reader",
        EntryFate::TombstoneDroppedAtBottom => {
            "tombstone dropped — nothing older lies below and no snapshot needs it: the key is gone for good"
        }
        EntryFate::TombstoneKeptOlderDataBelow => {
            "tombstone kept — older versions of the key may lie in a level below the output"
        }
        EntryFate::KeptForSnapshot => "kept — a live snapshot still sees it",
        EntryFate::CoveredByRangeTombstone => {
            "dropped — a newer range tombstone deletes it for every reader that could see it"
        }
    }
}

fn tables_at(tables: &[(String, u32)], word: &str) -> String {
    if tables.is_empty() {
        return "nothing".to_owned();
    }
    let names: Vec<String> = tables
        .iter()
        .map(|(t, l)| format!("{t} {word} L{l}"))
        .collect();
    list_in(Lang::En, &names)
}

/// The English text of `line`.
pub fn text(line: &Line) -> String {
    match *line {
        Line::OpBatch { writes } => format!("batch of {}", n(writes, Noun::Write)),
        Line::OpGetAt { key, snapshot } => format!("get {key} through snapshot {snapshot}"),
        Line::OpScan {
            start,
            end,
            reverse,
        } => format!(
            "scan {}…{}{}",
            start.unwrap_or("start"),
            end.unwrap_or("end"),
            if reverse { " (reverse)" } else { "" }
        ),
        Line::OpRelease { id } => format!("release snapshot {id}"),
        Line::OpStep => "maintenance step".to_owned(),
        Line::OpCompactRange { start, end } => format!(
            "full compaction of {}…{}",
            start.unwrap_or("start"),
            end.unwrap_or("end")
        ),
        Line::OutDone => "done".to_owned(),
        Line::OutValue { value } => format!("→ {value}"),
        Line::OutNotFound => "→ not found".to_owned(),
        Line::OutEntries { entries } => format!("→ {}", n(entries, Noun::Entry)),
        Line::OutNothingDue => "nothing was due".to_owned(),
        Line::OutFlushed { table } => format!("flushed into {table}"),
        Line::OutCompacted { level, output } => format!("compacted L{level} → L{output}"),
        Line::OutMaintenance => "maintenance done".to_owned(),
        Line::OutFailed { message } => format!("failed: {message}"),
        Line::QuietOp { op, outcome } => format!("{op}: {outcome}."),
        _ => writes(line),
    }
}

fn writes(line: &Line) -> String {
    match *line {
        Line::WalAppended { records, seq, wal, offset, bytes, fragments } => {
            let split = fragments
                .map(|f| format!(", split into {f} fragments across 32 KiB blocks"))
                .unwrap_or_default();
            format!(
                "Appended {} (sequence {seq}) to the write-ahead log {wal} at offset {offset}: {bytes}{split}.",
                n(records, Noun::Record)
            )
        }
        Line::WalSynced { wal } => format!("Synced {wal}: what it holds now survives a crash."),
        Line::MemtableInsert { key, kind: k, seq, height, records, bytes } => format!(
            "Inserted {key} ({}, seq {seq}) into the memtable's skiplist with a tower {height} high; it holds {} in {bytes}.",
            kind(k),
            n(records, Noun::Record)
        ),
        Line::RangeDeleted { start, end, seq, bytes } => format!(
            "Deleted every key from {start} up to (not including) {end} with one range tombstone (seq {seq}), kept beside the skiplist; the memtable holds {bytes}."
        ),
        Line::RangeTombstoneCovers { seq, place } => {
            let at = match place {
                Place::Memtable(s) => format!("in {}", slot(s)),
                Place::Table { level, table } => format!("in L{level} table {table}"),
                Place::Nowhere => String::new(),
            };
            format!("A range tombstone (seq {seq}) {at} covers the key and is newer than any version there: the key reads as deleted, whatever the filter said.")
        }
        Line::MemtableFrozen { bytes, records, wal } => format!(
            "The memtable is full ({bytes}, {}): it is frozen as the immutable memtable; new writes go to a fresh memtable and {wal}.",
            n(records, Noun::Record)
        ),
        Line::FlushStarted { records, table } => format!(
            "Flushing the immutable memtable ({}) into table {table} in L0.",
            n(records, Noun::Record)
        ),
        Line::BlockWritten { block, table, records, first, last, bytes, compressed } => format!(
            "Wrote data block {block} of {table}: {} from {first} to {last}, {bytes}{}.",
            n(records, Noun::Record),
            if compressed { ", compressed" } else { "" }
        ),
        Line::BloomBuilt { table, keys, bits, probes } => format!(
            "Built the bloom filter of {table}: {} in {bits} bits, {probes} probes per key.",
            n(keys, Noun::Key)
        ),
        Line::TableFinished { table, bytes, records, blocks, first, last } => format!(
            "Table {table} is written and synced: {bytes}, {}, {}, keys {first}…{last}.",
            n(records, Noun::Record),
            n(blocks, Noun::DataBlock)
        ),
        Line::FlushFinished { table } => {
            format!("Flush done: {table} is part of L0, and the immutable memtable is gone.")
        }
        Line::ManifestEdit { added, removed: [] } => format!(
            "Manifest edit, synced: added {}. The new table is now part of the database.",
            tables_at(added, "to")
        ),
        Line::ManifestEdit { added, removed } => format!(
            "Manifest edit, synced: added {}; removed {}. The inputs fade out; their files go once no reader needs them.",
            tables_at(added, "to"),
            tables_at(removed, "from")
        ),
        Line::WalRetired { wal } => format!("Deleted {wal}: its records are safe in a table now."),
        Line::FileDeleted { name } => format!("Deleted {name}: no version refers to it any more."),
        _ => reads(line),
    }
}

fn reads(line: &Line) -> String {
    match *line {
        Line::GetStarted { key, seq } => {
            format!("get {key}: reading as of sequence {seq}, newest data first.")
        }
        Line::MemtableSearched { slot: s, found: None } => {
            format!("Searched {}: no record of the key.", slot(s))
        }
        Line::MemtableSearched { slot: s, found: Some(k) } => format!(
            "Searched {}: found a {} — the search stops here.",
            slot(s),
            kind(k)
        ),
        Line::TableSkipped { level, table, range } => format!(
            "Skipped L{level} table {table}: the key is outside its range {}.",
            range.unwrap_or("its range")
        ),
        Line::TableProbed { level, table, range } => format!(
            "L{level} table {table} covers the key ({}): look closer.",
            range.unwrap_or("its range")
        ),
        Line::BloomAbsent { table, tested, bits, clear } => format!(
            "Bloom filter of {table}: tested {tested} of {bits} bits{} → definitely absent. No block is read.",
            clear.map(|b| format!(" (bit {b} is clear)")).unwrap_or_default()
        ),
        Line::BloomMaybe { table, tested } => format!(
            "Bloom filter of {table}: all {tested} tested bits are set → maybe present. Read the index."
        ),
        Line::IndexPoints { table, block } => {
            format!("The index of {table} points to data block {block}.")
        }
        Line::IndexPast { table } => format!("The key is past the last block of {table}."),
        Line::BlockRead { block, table, bytes, offset } => {
            format!("Read data block {block} of {table} ({bytes} at offset {offset}).")
        }
        Line::FalsePositive { table } => format!(
            "False positive: the filter of {table} said maybe, but the block does not hold the key. One block read for nothing."
        ),
        Line::GetFinished { key, outcome, place, probed } => {
            let answer = match outcome {
                GetOutcome::Found => "found",
                GetOutcome::Deleted => "deleted (a tombstone answers)",
                GetOutcome::NotFound => "not found",
                GetOutcome::Expired => "expired (older than the time to live, hidden)",
            };
            let place = match place {
                Place::Memtable(s) => format!(" in {}", slot(s)),
                Place::Table { level, table } => format!(" in L{level} table {table}"),
                Place::Nowhere => String::new(),
            };
            format!("get {key} → {answer}{place}; {} probed.", n(probed, Noun::Table))
        }
        Line::ScanStarted { reverse, sources, seq } => format!(
            "Scan{} merging {} as of sequence {seq}.",
            if reverse { " (reverse)" } else { "" },
            n(sources, Noun::Source)
        ),
        Line::ScanStep { key, seq, decision } => format!(
            "Scan met {key} (seq {seq}): {}.",
            match decision {
                ScanDecision::Returned => "returned",
                ScanDecision::Shadowed => "hidden by a newer version",
                ScanDecision::Tombstone => "deleted, skipped",
                ScanDecision::Invisible => "newer than the scan's snapshot, skipped",
                ScanDecision::Expired => "expired, skipped",
            }
        ),
        _ => maintenance(line),
    }
}

fn maintenance(line: &Line) -> String {
    match *line {
        Line::CompactionPicked { level, output, due, score, inputs, trivial_move } => {
            let why = match due {
                Due::RunCount { level, runs, threshold } => {
                    format!("L{level} holds {runs} runs, the trigger is {threshold}")
                }
                Due::LevelSize { level, bytes, target } => {
                    format!("L{level} holds {bytes}, its target is {target}")
                }
                Due::Manual { target_level } => {
                    format!("a full compaction of a key range takes it down to L{target_level}")
                }
                Due::SpaceAmplification { percent, max_percent } => format!(
                    "the runs newer than the oldest hold {percent}% of its bytes, over the {max_percent}% limit: every run merges"
                ),
                Due::SizeRatio { runs, size_ratio_percent } => format!(
                    "{runs} consecutive runs of similar size (each within {size_ratio_percent}% of the ones before it)"
                ),
            };
            let names: Vec<String> = inputs.iter().map(|(t, l)| format!("{t} (L{l})")).collect();
            let how = if trivial_move {
                " Nothing overlaps below: the table just moves down."
            } else {
                ""
            };
            format!(
                "Compaction picked L{level} → L{output}: {why} (score {score:.2}). Inputs: {}.{how}",
                list_in(Lang::En, &names)
            )
        }
        Line::CompactionEntry { key, kind: k, seq, fate: f } => {
            format!("{key} ({}, seq {seq}): {}.", kind(k), fate(f))
        }
        Line::CompactionRangeTombstone { start, end, seq, fate: f } => {
            format!("Range tombstone {start}..{end} (seq {seq}): {}.", fate(f))
        }
        Line::CompactionFinished { level, output, tables_in, tables_out, read, wrote, records_in, records_out } => format!(
            "Compaction L{level} → L{output} installed: {} in, {} out; read {read}, wrote {wrote}; {} in, {records_out} out.",
            n(tables_in, Noun::Table),
            n(tables_out, Noun::Table),
            n(records_in, Noun::Record)
        ),
        Line::RecoveryStarted { existing: true } => {
            "Opening: an existing database was found; recovering it.".to_owned()
        }
        Line::RecoveryStarted { existing: false } => {
            "Opening: no database yet; creating an empty one.".to_owned()
        }
        Line::ManifestReplayed { manifest, edits, tables } => format!(
            "Replayed MANIFEST-{manifest:06}: {} giving {}.",
            n(edits, Noun::Edit),
            n(tables, Noun::Table)
        ),
        Line::WalReplayed { wal, batches, records, torn_at } => format!(
            "Replayed {wal}: {}, {}{}.",
            n(batches, Noun::Batch),
            n(records, Noun::Record),
            torn_at
                .map(|o| format!("; a torn tail was cut at offset {o}"))
                .unwrap_or_default()
        ),
        Line::RecoveryFinished { seq, tables } => {
            format!("Open: last sequence {seq}, {}.", n(tables, Noun::Table))
        }
        Line::CompactionFiltered { key, seq, outcome, reason } => {
            let why = match reason {
                FilterReason::Filter => "the compaction filter",
                FilterReason::Expired => "expired (older than the time to live)",
            };
            let what = match outcome {
                FilterOutcome::Dropped => "dropped: nothing older can surface",
                FilterOutcome::Tombstoned => "written as a tombstone, so older versions stay hidden",
                FilterOutcome::ValueChanged => "written with the filter's new value",
            };
            format!("{key} (seq {seq}), {why}: {what}.")
        }
        Line::TimeSet { now_ms, ttl_ms: Some(ttl) } => format!(
            "The time is now {now_ms} ms: records written {ttl} ms ago or earlier are expired."
        ),
        Line::TimeSet { now_ms, ttl_ms: None } => {
            format!("The time is now {now_ms} ms (no time to live: nothing expires).")
        }
        _ => String::new(),
    }
}

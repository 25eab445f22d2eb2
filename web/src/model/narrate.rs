//! Each event in words: the narration line under the timeline, announced
//! to screen readers.

use strata_engine::event::{
    BloomVerdict, CompactionTrigger, EntryFate, FragmentKind, GetOutcome, GetSource, MemtableSlot,
    ScanDecision, TableDecision,
};
use strata_engine::trace::{OpOutcome, TraceOp};
use strata_engine::{Event, Maintenance, ValueKind};

use super::format::{bytes, key, plural, quoted, table, wal};
use super::views::Views;

fn slot_name(slot: MemtableSlot) -> &'static str {
    match slot {
        MemtableSlot::Active => "the memtable",
        MemtableSlot::Immutable => "the immutable memtable",
    }
}

fn kind_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Put => "put",
        ValueKind::Delete => "tombstone",
    }
}

fn range_of(views: &Views, file_number: u64) -> String {
    views
        .structure
        .levels
        .levels
        .iter()
        .flat_map(|l| &l.tables)
        .find(|t| t.file_number == file_number)
        .map(|t| format!("{}…{}", quoted(&t.smallest), quoted(&t.largest)))
        .unwrap_or_else(|| "its range".to_owned())
}

/// The operation in the command language, shortened for labels.
pub fn describe_op(op: &TraceOp) -> String {
    match op {
        TraceOp::Put { key: k, value } => format!("put {} = {}", quoted(k), quoted(value)),
        TraceOp::Delete { key: k } => format!("delete {}", quoted(k)),
        TraceOp::Batch { entries } => format!(
            "batch of {}",
            plural(entries.len() as u64, "write", "writes")
        ),
        TraceOp::Get { key: k, snapshot } => match snapshot {
            Some(s) => format!("get {} through snapshot {s}", quoted(k)),
            None => format!("get {}", quoted(k)),
        },
        TraceOp::Scan {
            start,
            end,
            reverse,
            ..
        } => format!(
            "scan {}…{}{}",
            start.as_deref().map_or("start".to_owned(), quoted),
            end.as_deref().map_or("end".to_owned(), quoted),
            if *reverse { " (reverse)" } else { "" }
        ),
        TraceOp::Snapshot => "snapshot".to_owned(),
        TraceOp::ReleaseSnapshot { id } => format!("release snapshot {id}"),
        TraceOp::Flush => "flush".to_owned(),
        TraceOp::Step => "maintenance step".to_owned(),
        TraceOp::Compact => "compact".to_owned(),
        TraceOp::CompactRange { start, end } => format!(
            "full compaction of {}…{}",
            start.as_deref().map_or("start".to_owned(), quoted),
            end.as_deref().map_or("end".to_owned(), quoted),
        ),
    }
}

/// The result of an operation, in words.
pub fn describe_outcome(outcome: &OpOutcome) -> String {
    match outcome {
        OpOutcome::Done => "done".to_owned(),
        OpOutcome::Value { value: Some(v) } => format!("→ {}", quoted(v)),
        OpOutcome::Value { value: None } => "→ not found".to_owned(),
        OpOutcome::Entries { entries } => {
            format!("→ {}", plural(entries.len() as u64, "entry", "entries"))
        }
        OpOutcome::Maintenance { work: None } => "nothing was due".to_owned(),
        OpOutcome::Maintenance {
            work: Some(Maintenance::Flushed { file_number }),
        } => {
            format!("flushed into {}", table(*file_number))
        }
        OpOutcome::Maintenance {
            work:
                Some(Maintenance::Compacted {
                    level,
                    output_level,
                    ..
                }),
        } => {
            format!("compacted L{level} → L{output_level}")
        }
        OpOutcome::Maintenance { work: Some(_) } => "maintenance done".to_owned(),
        OpOutcome::Failed { message } => format!("failed: {message}"),
    }
}

/// A sentence for an operation that caused no event.
pub fn narrate_quiet_op(op: &TraceOp, outcome: &OpOutcome) -> String {
    format!("{}: {}.", describe_op(op), describe_outcome(outcome))
}

/// A sentence for `event`, given the views after it.
pub fn narrate(event: &Event, views: &Views) -> String {
    match event {
        Event::WalAppended { file_number, offset, bytes: b, fragments, first_seq, count } => {
            let split = if fragments.len() > 1 || fragments.first() != Some(&FragmentKind::Full) {
                format!(", split into {} fragments across 32 KiB blocks", fragments.len())
            } else {
                String::new()
            };
            format!(
                "Appended {} (sequence {first_seq}) to the write-ahead log {} at offset {offset}: {}{split}.",
                plural(u64::from(*count), "record", "records"),
                wal(*file_number),
                bytes(*b)
            )
        }
        Event::WalSynced { file_number } => format!("Synced {}: what it holds now survives a crash.", wal(*file_number)),
        Event::MemtableInsert { key: k, seq, kind, tower_height, entries, bytes: b } => format!(
            "Inserted {} ({}, seq {seq}) into the memtable's skiplist with a tower {tower_height} high; it holds {} in {}.",
            quoted(k),
            kind_name(*kind),
            plural(*entries, "record", "records"),
            bytes(*b)
        ),
        Event::MemtableFrozen { entries, bytes: b, new_wal_file_number, .. } => format!(
            "The memtable is full ({}, {}): it is frozen as the immutable memtable; new writes go to a fresh memtable and {}.",
            bytes(*b),
            plural(*entries, "record", "records"),
            wal(*new_wal_file_number)
        ),
        Event::FlushStarted { file_number, entries } => format!(
            "Flushing the immutable memtable ({}) into table {} in L0.",
            plural(*entries, "record", "records"),
            table(*file_number)
        ),
        Event::BlockWritten { file_number, block_index, bytes: b, entries, first_key, last_key, compressed, .. } => format!(
            "Wrote data block {block_index} of {}: {} from {} to {}, {}{}.",
            table(*file_number),
            plural(u64::from(*entries), "record", "records"),
            quoted(first_key),
            quoted(last_key),
            bytes(*b),
            if *compressed { ", compressed" } else { "" }
        ),
        Event::BloomBuilt { file_number, keys, bits, hash_count } => format!(
            "Built the bloom filter of {}: {} in {bits} bits, {hash_count} probes per key.",
            table(*file_number),
            plural(*keys, "key", "keys")
        ),
        Event::TableFinished { table: t, data_blocks } => format!(
            "Table {} is written and synced: {}, {}, {}, keys {}…{}.",
            table(t.file_number),
            bytes(t.size_bytes),
            plural(t.entries, "record", "records"),
            plural(u64::from(*data_blocks), "data block", "data blocks"),
            quoted(&t.smallest),
            quoted(&t.largest)
        ),
        Event::FlushFinished { file_number } => format!("Flush done: {} is part of L0, and the immutable memtable is gone.", table(*file_number)),
        Event::ManifestEdit { added, removed, .. } => manifest_edit(added, removed),
        Event::WalRetired { file_number } => format!("Deleted {}: its records are safe in a table now.", wal(*file_number)),
        Event::FileDeleted { name } => format!("Deleted {}: no version refers to it any more.", key(name.as_bytes())),
        _ => narrate_read(event, views),
    }
}

fn manifest_edit(added: &[strata_engine::event::TableSummary], removed: &[(u32, u64)]) -> String {
    let list = |tables: Vec<String>| {
        if tables.is_empty() {
            "nothing".to_owned()
        } else {
            tables.join(", ")
        }
    };
    let added: Vec<String> = added
        .iter()
        .map(|t| format!("{} to L{}", table(t.file_number), t.level))
        .collect();
    let removed: Vec<String> = removed
        .iter()
        .map(|(l, f)| format!("{} from L{l}", table(*f)))
        .collect();
    if removed.is_empty() {
        format!(
            "Manifest edit, synced: added {}. The new table is now part of the database.",
            list(added)
        )
    } else {
        format!(
            "Manifest edit, synced: added {}; removed {}. The inputs fade out; their files go once no reader needs them.",
            list(added),
            list(removed)
        )
    }
}

fn narrate_read(event: &Event, views: &Views) -> String {
    match event {
        Event::GetStarted { key: k, snapshot_seq } => format!("get {}: reading as of sequence {snapshot_seq}, newest data first.", quoted(k)),
        Event::MemtableSearched { slot, found } => match found {
            None => format!("Searched {}: no record of the key.", slot_name(*slot)),
            Some(kind) => format!("Searched {}: found a {} — the search stops here.", slot_name(*slot), kind_name(*kind)),
        },
        Event::TableConsidered { level, file_number, decision } => match decision {
            TableDecision::SkippedKeyRange => format!(
                "Skipped L{level} table {}: the key is outside its range {}.",
                table(*file_number),
                range_of(views, *file_number)
            ),
            TableDecision::Probed => format!(
                "L{level} table {} covers the key ({}): look closer.",
                table(*file_number),
                range_of(views, *file_number)
            ),
        },
        Event::BloomProbe { file_number, bit_positions, bits, verdict } => {
            let clear = views
                .bloom
                .probe
                .as_ref()
                .and_then(|p| p.tested.iter().find(|b| b.set == Some(false)))
                .map(|b| format!(" (bit {} is clear)", b.position))
                .unwrap_or_default();
            match verdict {
                BloomVerdict::DefinitelyAbsent => format!(
                    "Bloom filter of {}: tested {} of {bits} bits{clear} → definitely absent. No block is read.",
                    table(*file_number),
                    bit_positions.len()
                ),
                BloomVerdict::MaybePresent => format!(
                    "Bloom filter of {}: all {} tested bits are set → maybe present. Read the index.",
                    table(*file_number),
                    bit_positions.len()
                ),
            }
        }
        Event::IndexSearch { file_number, block_index } => match block_index {
            Some(b) => format!("The index of {} points to data block {b}.", table(*file_number)),
            None => format!("The key is past the last block of {}.", table(*file_number)),
        },
        Event::BlockRead { file_number, block_index, offset, bytes: b } => format!(
            "Read data block {block_index} of {} ({} at offset {offset}).",
            table(*file_number),
            bytes(*b)
        ),
        Event::BloomFalsePositive { file_number } => format!(
            "False positive: the filter of {} said maybe, but the block does not hold the key. One block read for nothing.",
            table(*file_number)
        ),
        Event::GetFinished { key: k, outcome, source, tables_probed } => {
            let answer = match outcome {
                GetOutcome::Found => "found",
                GetOutcome::Deleted => "deleted (a tombstone answers)",
                GetOutcome::NotFound => "not found",
            };
            let place = match source {
                GetSource::Memtable { slot } => format!(" in {}", slot_name(*slot)),
                GetSource::Table { level, file_number } => format!(" in L{level} table {}", table(*file_number)),
                GetSource::Nowhere => String::new(),
            };
            format!("get {} → {answer}{place}; {} probed.", quoted(k), plural(u64::from(*tables_probed), "table", "tables"))
        }
        Event::ScanStarted { sources, snapshot_seq, reverse } => format!(
            "Scan{} merging {} as of sequence {snapshot_seq}.",
            if *reverse { " (reverse)" } else { "" },
            plural(u64::from(*sources), "source", "sources")
        ),
        Event::ScanStep { key: k, seq, decision, .. } => format!(
            "Scan met {} (seq {seq}): {}.",
            quoted(k),
            match decision {
                ScanDecision::Returned => "returned",
                ScanDecision::Shadowed => "hidden by a newer version",
                ScanDecision::Tombstone => "deleted, skipped",
                ScanDecision::Invisible => "newer than the scan's snapshot, skipped",
            }
        ),
        _ => narrate_compaction(event),
    }
}

fn narrate_compaction(event: &Event) -> String {
    match event {
        Event::CompactionPicked { level, output_level, score, trigger, inputs, trivial_move, .. } => {
            let why = match trigger {
                CompactionTrigger::RunCount { runs, threshold } => format!("L{level} holds {runs} runs, the trigger is {threshold}"),
                CompactionTrigger::LevelSize { bytes: b, target_bytes } => {
                    format!("L{level} holds {}, its target is {}", bytes(*b), bytes(*target_bytes))
                }
                CompactionTrigger::Manual { target_level } => {
                    format!("a full compaction of a key range takes it down to L{target_level}")
                }
                CompactionTrigger::SpaceAmplification { percent, max_percent } => format!(
                    "the runs newer than the oldest hold {percent}% of its bytes, over the {max_percent}% limit: every run merges"
                ),
                CompactionTrigger::SizeRatio { runs, size_ratio_percent } => format!(
                    "{runs} consecutive runs of similar size (each within {size_ratio_percent}% of the ones before it)"
                ),
            };
            let names: Vec<String> = inputs.iter().map(|t| format!("{} (L{})", table(t.file_number), t.level)).collect();
            let how = if *trivial_move { " Nothing overlaps below: the table just moves down." } else { "" };
            format!(
                "Compaction picked L{level} → L{output_level}: {why} (score {score:.2}). Inputs: {}.{how}",
                names.join(", ")
            )
        }
        Event::CompactionEntry { key: k, seq, kind, fate } => {
            let why = match fate {
                EntryFate::Kept => "kept — the newest version of its key",
                EntryFate::Shadowed => "dropped — a newer version hides it from every reader",
                EntryFate::TombstoneDroppedAtBottom => {
                    "tombstone dropped — nothing older lies below and no snapshot needs it: the key is gone for good"
                }
                EntryFate::TombstoneKeptOlderDataBelow => {
                    "tombstone kept — older versions of the key may lie in a level below the output"
                }
                EntryFate::KeptForSnapshot => "kept — a live snapshot still sees it",
            };
            format!("{} ({}, seq {seq}): {why}.", quoted(k), kind_name(*kind))
        }
        Event::CompactionFinished { level, output_level, inputs, outputs, bytes_read, bytes_written, entries_in, entries_out } => format!(
            "Compaction L{level} → L{output_level} installed: {} in, {} out; read {}, wrote {}; {} in, {} out.",
            plural(inputs.len() as u64, "table", "tables"),
            plural(outputs.len() as u64, "table", "tables"),
            bytes(*bytes_read),
            bytes(*bytes_written),
            plural(*entries_in, "record", "records"),
            entries_out
        ),
        Event::RecoveryStarted { existing } => {
            if *existing {
                "Opening: an existing database was found; recovering it.".to_owned()
            } else {
                "Opening: no database yet; creating an empty one.".to_owned()
            }
        }
        Event::ManifestReplayed { manifest_file_number, edits, tables } => format!(
            "Replayed MANIFEST-{manifest_file_number:06}: {} giving {}.",
            plural(u64::from(*edits), "edit", "edits"),
            plural(u64::from(*tables), "table", "tables")
        ),
        Event::WalReplayed { file_number, batches, records, truncated_at } => format!(
            "Replayed {}: {}, {}{}.",
            wal(*file_number),
            plural(*batches, "batch", "batches"),
            plural(*records, "record", "records"),
            truncated_at.map(|o| format!("; a torn tail was cut at offset {o}")).unwrap_or_default()
        ),
        Event::RecoveryFinished { last_seq, tables } => format!(
            "Open: last sequence {last_seq}, {}.",
            plural(u64::from(*tables), "table", "tables")
        ),
        other => format!("{other:?}"),
    }
}

/// The event's name as in the trace format (`wal_appended`, …).
pub fn event_kind(event: &Event) -> &'static str {
    match event {
        Event::WalAppended { .. } => "wal_appended",
        Event::WalSynced { .. } => "wal_synced",
        Event::MemtableInsert { .. } => "memtable_insert",
        Event::MemtableFrozen { .. } => "memtable_frozen",
        Event::FlushStarted { .. } => "flush_started",
        Event::BlockWritten { .. } => "block_written",
        Event::BloomBuilt { .. } => "bloom_built",
        Event::TableFinished { .. } => "table_finished",
        Event::FlushFinished { .. } => "flush_finished",
        Event::ManifestEdit { .. } => "manifest_edit",
        Event::WalRetired { .. } => "wal_retired",
        Event::FileDeleted { .. } => "file_deleted",
        Event::GetStarted { .. } => "get_started",
        Event::MemtableSearched { .. } => "memtable_searched",
        Event::TableConsidered { .. } => "table_considered",
        Event::BloomProbe { .. } => "bloom_probe",
        Event::IndexSearch { .. } => "index_search",
        Event::BlockRead { .. } => "block_read",
        Event::BloomFalsePositive { .. } => "bloom_false_positive",
        Event::GetFinished { .. } => "get_finished",
        Event::ScanStarted { .. } => "scan_started",
        Event::ScanStep { .. } => "scan_step",
        Event::CompactionPicked { .. } => "compaction_picked",
        Event::CompactionEntry { .. } => "compaction_entry",
        Event::CompactionFinished { .. } => "compaction_finished",
        Event::RecoveryStarted { .. } => "recovery_started",
        Event::ManifestReplayed { .. } => "manifest_replayed",
        Event::WalReplayed { .. } => "wal_replayed",
        Event::RecoveryFinished { .. } => "recovery_finished",
        _ => "event",
    }
}

//! Each event in words: the narration line under the timeline, announced
//! to screen readers.

use strata_engine::event::{
    BloomVerdict, CompactionTrigger, FragmentKind, GetSource, TableDecision,
};
use strata_engine::trace::{OpOutcome, TraceOp};
use strata_engine::{Event, Maintenance};

use super::format::{bytes, key, quoted, table, wal};
use super::i18n::narration::{say, Due, Line, Place};
use super::views::Views;

fn range_of(views: &Views, file_number: u64) -> Option<String> {
    views
        .structure
        .levels
        .levels
        .iter()
        .flat_map(|l| &l.tables)
        .find(|t| t.file_number == file_number)
        .map(|t| format!("{}…{}", quoted(&t.smallest), quoted(&t.largest)))
}

/// The operation in the command language, shortened for labels.
pub fn describe_op(op: &TraceOp) -> String {
    match op {
        TraceOp::Put { key: k, value } => format!("put {} = {}", quoted(k), quoted(value)),
        TraceOp::Delete { key: k } => format!("delete {}", quoted(k)),
        TraceOp::DeleteRange { start, end } => {
            format!("delete-range {} {}", quoted(start), quoted(end))
        }
        TraceOp::Batch { entries } => say(&Line::OpBatch {
            writes: entries.len() as u64,
        }),
        TraceOp::Get { key: k, snapshot } => match snapshot {
            Some(s) => say(&Line::OpGetAt {
                key: &quoted(k),
                snapshot: u64::from(*s),
            }),
            None => format!("get {}", quoted(k)),
        },
        TraceOp::Scan {
            start,
            end,
            reverse,
            ..
        } => {
            let start = start.as_deref().map(quoted);
            let end = end.as_deref().map(quoted);
            say(&Line::OpScan {
                start: start.as_deref(),
                end: end.as_deref(),
                reverse: *reverse,
            })
        }
        TraceOp::Snapshot => "snapshot".to_owned(),
        TraceOp::ReleaseSnapshot { id } => say(&Line::OpRelease { id: u64::from(*id) }),
        TraceOp::Flush => "flush".to_owned(),
        TraceOp::Step => say(&Line::OpStep),
        TraceOp::Compact => "compact".to_owned(),
        TraceOp::CompactRange { start, end } => {
            let start = start.as_deref().map(quoted);
            let end = end.as_deref().map(quoted);
            say(&Line::OpCompactRange {
                start: start.as_deref(),
                end: end.as_deref(),
            })
        }
        TraceOp::SetTime { now_ms } => format!("time {now_ms}"),
        TraceOp::AdvanceTime { by_ms } => format!("advance {by_ms}"),
    }
}

/// The result of an operation, in words.
pub fn describe_outcome(outcome: &OpOutcome) -> String {
    match outcome {
        OpOutcome::Done => say(&Line::OutDone),
        OpOutcome::Value { value: Some(v) } => say(&Line::OutValue { value: &quoted(v) }),
        OpOutcome::Value { value: None } => say(&Line::OutNotFound),
        OpOutcome::Entries { entries } => say(&Line::OutEntries {
            entries: entries.len() as u64,
        }),
        OpOutcome::Maintenance { work: None } => say(&Line::OutNothingDue),
        OpOutcome::Maintenance {
            work: Some(Maintenance::Flushed { file_number }),
        } => say(&Line::OutFlushed {
            table: &table(*file_number),
        }),
        OpOutcome::Maintenance {
            work:
                Some(Maintenance::Compacted {
                    level,
                    output_level,
                    ..
                }),
        } => say(&Line::OutCompacted {
            level: *level,
            output: *output_level,
        }),
        OpOutcome::Maintenance { work: Some(_) } => say(&Line::OutMaintenance),
        OpOutcome::Failed { message } => say(&Line::OutFailed { message }),
    }
}

/// A sentence for an operation that caused no event.
pub fn narrate_quiet_op(op: &TraceOp, outcome: &OpOutcome) -> String {
    say(&Line::QuietOp {
        op: &describe_op(op),
        outcome: &describe_outcome(outcome),
    })
}

/// A sentence for `event`, given the views after it.
pub fn narrate(event: &Event, views: &Views) -> String {
    match event {
        Event::WalAppended {
            file_number,
            offset,
            bytes: b,
            fragments,
            first_seq,
            count,
        } => {
            let split = fragments.len() > 1 || fragments.first() != Some(&FragmentKind::Full);
            say(&Line::WalAppended {
                records: u64::from(*count),
                seq: *first_seq,
                wal: &wal(*file_number),
                offset: *offset,
                bytes: &bytes(*b),
                fragments: split.then_some(fragments.len() as u64),
            })
        }
        Event::WalSynced { file_number } => say(&Line::WalSynced {
            wal: &wal(*file_number),
        }),
        Event::MemtableInsert {
            key: k,
            seq,
            kind,
            tower_height,
            entries,
            bytes: b,
        } => say(&Line::MemtableInsert {
            key: &quoted(k),
            kind: *kind,
            seq: *seq,
            height: *tower_height,
            records: *entries,
            bytes: &bytes(*b),
        }),
        Event::RangeDeleted {
            start,
            end,
            seq,
            bytes: b,
        } => say(&Line::RangeDeleted {
            start: &quoted(start),
            end: &quoted(end),
            seq: *seq,
            bytes: &bytes(*b),
        }),
        Event::MemtableFrozen {
            entries,
            bytes: b,
            new_wal_file_number,
            ..
        } => say(&Line::MemtableFrozen {
            bytes: &bytes(*b),
            records: *entries,
            wal: &wal(*new_wal_file_number),
        }),
        Event::FlushStarted {
            file_number,
            entries,
        } => say(&Line::FlushStarted {
            records: *entries,
            table: &table(*file_number),
        }),
        Event::BlockWritten {
            file_number,
            block_index,
            bytes: b,
            entries,
            first_key,
            last_key,
            compressed,
            ..
        } => say(&Line::BlockWritten {
            block: *block_index,
            table: &table(*file_number),
            records: u64::from(*entries),
            first: &quoted(first_key),
            last: &quoted(last_key),
            bytes: &bytes(*b),
            compressed: *compressed,
        }),
        Event::BloomBuilt {
            file_number,
            keys,
            bits,
            hash_count,
        } => say(&Line::BloomBuilt {
            table: &table(*file_number),
            keys: *keys,
            bits: *bits,
            probes: *hash_count,
        }),
        Event::TableFinished {
            table: t,
            data_blocks,
        } => say(&Line::TableFinished {
            table: &table(t.file_number),
            bytes: &bytes(t.size_bytes),
            records: t.entries,
            blocks: u64::from(*data_blocks),
            first: &quoted(&t.smallest),
            last: &quoted(&t.largest),
        }),
        Event::FlushFinished { file_number } => say(&Line::FlushFinished {
            table: &table(*file_number),
        }),
        Event::ManifestEdit { added, removed, .. } => {
            let added: Vec<(String, u32)> = added
                .iter()
                .map(|t| (table(t.file_number), t.level))
                .collect();
            let removed: Vec<(String, u32)> =
                removed.iter().map(|(l, f)| (table(*f), *l)).collect();
            say(&Line::ManifestEdit {
                added: &added,
                removed: &removed,
            })
        }
        Event::WalRetired { file_number } => say(&Line::WalRetired {
            wal: &wal(*file_number),
        }),
        Event::FileDeleted { name } => say(&Line::FileDeleted {
            name: &key(name.as_bytes()),
        }),
        _ => narrate_read(event, views),
    }
}

fn narrate_read(event: &Event, views: &Views) -> String {
    match event {
        Event::GetStarted {
            key: k,
            snapshot_seq,
        } => say(&Line::GetStarted {
            key: &quoted(k),
            seq: *snapshot_seq,
        }),
        Event::MemtableSearched { slot, found } => say(&Line::MemtableSearched {
            slot: *slot,
            found: *found,
        }),
        Event::TableConsidered {
            level,
            file_number,
            decision,
        } => {
            let range = range_of(views, *file_number);
            let (level, table, range) = (*level, &table(*file_number), range.as_deref());
            match decision {
                TableDecision::SkippedKeyRange => say(&Line::TableSkipped {
                    level,
                    table,
                    range,
                }),
                TableDecision::Probed => say(&Line::TableProbed {
                    level,
                    table,
                    range,
                }),
            }
        }
        Event::BloomProbe {
            file_number,
            bit_positions,
            bits,
            verdict,
        } => {
            let clear = views
                .bloom
                .probe
                .as_ref()
                .and_then(|p| p.tested.iter().find(|b| b.set == Some(false)))
                .map(|b| b.position);
            let (table, tested) = (&table(*file_number), bit_positions.len() as u64);
            match verdict {
                BloomVerdict::DefinitelyAbsent => say(&Line::BloomAbsent {
                    table,
                    tested,
                    bits: *bits,
                    clear,
                }),
                BloomVerdict::MaybePresent => say(&Line::BloomMaybe { table, tested }),
            }
        }
        Event::IndexSearch {
            file_number,
            block_index,
        } => match block_index {
            Some(b) => say(&Line::IndexPoints {
                table: &table(*file_number),
                block: *b,
            }),
            None => say(&Line::IndexPast {
                table: &table(*file_number),
            }),
        },
        Event::BlockRead {
            file_number,
            block_index,
            offset,
            bytes: b,
        } => say(&Line::BlockRead {
            block: *block_index,
            table: &table(*file_number),
            bytes: &bytes(*b),
            offset: *offset,
        }),
        Event::BloomFalsePositive { file_number } => say(&Line::FalsePositive {
            table: &table(*file_number),
        }),
        Event::RangeTombstoneCovers { source, seq } => {
            let mut name = String::new();
            say(&Line::RangeTombstoneCovers {
                seq: *seq,
                place: place(source, &mut name),
            })
        }
        Event::GetFinished {
            key: k,
            outcome,
            source,
            tables_probed,
        } => {
            let mut name = String::new();
            say(&Line::GetFinished {
                key: &quoted(k),
                outcome: *outcome,
                place: place(source, &mut name),
                probed: u64::from(*tables_probed),
            })
        }
        Event::ScanStarted {
            sources,
            snapshot_seq,
            reverse,
        } => say(&Line::ScanStarted {
            reverse: *reverse,
            sources: u64::from(*sources),
            seq: *snapshot_seq,
        }),
        Event::ScanStep {
            key: k,
            seq,
            decision,
            ..
        } => say(&Line::ScanStep {
            key: &quoted(k),
            seq: *seq,
            decision: *decision,
        }),
        _ => narrate_compaction(event),
    }
}

fn narrate_compaction(event: &Event) -> String {
    match event {
        Event::CompactionPicked {
            level,
            output_level,
            score,
            trigger,
            inputs,
            trivial_move,
            ..
        } => {
            let (size, target);
            let due = match trigger {
                CompactionTrigger::RunCount { runs, threshold } => Due::RunCount {
                    level: *level,
                    runs: *runs,
                    threshold: *threshold,
                },
                CompactionTrigger::LevelSize {
                    bytes: b,
                    target_bytes,
                } => {
                    size = bytes(*b);
                    target = bytes(*target_bytes);
                    Due::LevelSize {
                        level: *level,
                        bytes: &size,
                        target: &target,
                    }
                }
                CompactionTrigger::Manual { target_level } => Due::Manual {
                    target_level: *target_level,
                },
                CompactionTrigger::SpaceAmplification {
                    percent,
                    max_percent,
                } => Due::SpaceAmplification {
                    percent: *percent,
                    max_percent: *max_percent,
                },
                CompactionTrigger::SizeRatio {
                    runs,
                    size_ratio_percent,
                } => Due::SizeRatio {
                    runs: *runs,
                    size_ratio_percent: *size_ratio_percent,
                },
            };
            let inputs: Vec<(String, u32)> = inputs
                .iter()
                .map(|t| (table(t.file_number), t.level))
                .collect();
            say(&Line::CompactionPicked {
                level: *level,
                output: *output_level,
                due,
                score: *score,
                inputs: &inputs,
                trivial_move: *trivial_move,
            })
        }
        Event::CompactionEntry {
            key: k,
            seq,
            kind,
            fate,
        } => say(&Line::CompactionEntry {
            key: &quoted(k),
            kind: *kind,
            seq: *seq,
            fate: *fate,
        }),
        Event::CompactionRangeTombstone {
            start,
            end,
            seq,
            fate,
        } => say(&Line::CompactionRangeTombstone {
            start: &quoted(start),
            end: &quoted(end),
            seq: *seq,
            fate: *fate,
        }),
        Event::CompactionFinished {
            level,
            output_level,
            inputs,
            outputs,
            bytes_read,
            bytes_written,
            entries_in,
            entries_out,
        } => say(&Line::CompactionFinished {
            level: *level,
            output: *output_level,
            tables_in: inputs.len() as u64,
            tables_out: outputs.len() as u64,
            read: &bytes(*bytes_read),
            wrote: &bytes(*bytes_written),
            records_in: *entries_in,
            records_out: *entries_out,
        }),
        Event::RecoveryStarted { existing } => say(&Line::RecoveryStarted {
            existing: *existing,
        }),
        Event::ManifestReplayed {
            manifest_file_number,
            edits,
            tables,
        } => say(&Line::ManifestReplayed {
            manifest: *manifest_file_number,
            edits: u64::from(*edits),
            tables: u64::from(*tables),
        }),
        Event::WalReplayed {
            file_number,
            batches,
            records,
            truncated_at,
        } => say(&Line::WalReplayed {
            wal: &wal(*file_number),
            batches: *batches,
            records: *records,
            torn_at: *truncated_at,
        }),
        Event::RecoveryFinished { last_seq, tables } => say(&Line::RecoveryFinished {
            seq: *last_seq,
            tables: u64::from(*tables),
        }),
        Event::CompactionFiltered {
            key: k,
            seq,
            outcome,
            reason,
        } => say(&Line::CompactionFiltered {
            key: &quoted(k),
            seq: *seq,
            outcome: *outcome,
            reason: *reason,
        }),
        Event::TimeSet { now_ms, ttl_ms } => say(&Line::TimeSet {
            now_ms: *now_ms,
            ttl_ms: *ttl_ms,
        }),
        other => format!("{other:?}"),
    }
}

/// Where a get's answer came from, as the narration names it (`name`
/// holds a table's file name).
fn place<'a>(source: &GetSource, name: &'a mut String) -> Place<'a> {
    match source {
        GetSource::Memtable { slot } => Place::Memtable(*slot),
        GetSource::Table { level, file_number } => {
            *name = table(*file_number);
            Place::Table {
                level: *level,
                table: name,
            }
        }
        GetSource::Nowhere => Place::Nowhere,
    }
}

/// The event's name as in the trace format (`wal_appended`, …).
pub fn event_kind(event: &Event) -> &'static str {
    match event {
        Event::WalAppended { .. } => "wal_appended",
        Event::WalSynced { .. } => "wal_synced",
        Event::MemtableInsert { .. } => "memtable_insert",
        Event::RangeDeleted { .. } => "range_deleted",
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
        Event::RangeTombstoneCovers { .. } => "range_tombstone_covers",
        Event::GetFinished { .. } => "get_finished",
        Event::ScanStarted { .. } => "scan_started",
        Event::ScanStep { .. } => "scan_step",
        Event::CompactionPicked { .. } => "compaction_picked",
        Event::CompactionEntry { .. } => "compaction_entry",
        Event::CompactionRangeTombstone { .. } => "compaction_range_tombstone",
        Event::CompactionFinished { .. } => "compaction_finished",
        Event::RecoveryStarted { .. } => "recovery_started",
        Event::ManifestReplayed { .. } => "manifest_replayed",
        Event::WalReplayed { .. } => "wal_replayed",
        Event::RecoveryFinished { .. } => "recovery_finished",
        Event::CompactionFiltered { .. } => "compaction_filtered",
        Event::TimeSet { .. } => "time_set",
        _ => "event",
    }
}

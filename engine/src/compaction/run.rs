//! Executing a plan: one streaming merge from the inputs to the outputs.
//!
//! The inputs are read through a [`MergingIterator`]: one table cursor per
//! run of a tiered level, one [`LevelIter`] per leveled level. Each cursor
//! holds one data block (and a level cursor one open table), so memory
//! stays a few blocks per input however large the levels are. Each record
//! gets its fate from [`super::fate`] and, under a range tombstone, from
//! [`super::range_fate`]; kept records stream into the output tables, and
//! the kept range tombstones follow them, clipped to each output.

use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Error, Result};
use crate::event::EntryFate;
use crate::event::Event;
use crate::filename::table_name;
use crate::iter::InternalIterator;
use crate::level_iter::LevelIter;
use crate::manifest::{Version, VersionEdit, NUM_LEVELS};
use crate::merge::MergingIterator;
use crate::record::{
    internal_key, parse_internal_key, user_key, ParsedKey, ValueKind, KIND_FOR_SEEK, MAX_SEQNO,
};
use crate::table_meta::TableMeta;
use crate::ttl::TimedValue;

use super::fate::{is_kept, FateTracker};
use super::filter::{FilterDecision, FilterOutcome, FilterReason};
use super::output::{remove_unreferenced, Outputs};
use super::range_fate::RangeDeletions;
use super::subcompaction::{self, Span};
use super::{CompactionContext, CompactionOutcome, CompactionPlan};
use crate::range_tombstone::{clip_all, RangeTombstone};
use crate::sstable::Table;

/// Runs `plan`: emits `CompactionPicked`, then (unless it is a trivial
/// move) merges the inputs, emitting `CompactionEntry` per record, and
/// writes the outputs at `plan.output_level`, taking file numbers from
/// `new_file_number`. Writes no table when every record is dropped. With
/// more than one of `ctx.workers`, a large plan is merged in parts
/// ([`super::subcompaction`]), each part's events tagged with its index.
///
/// The returned edit is not applied and no input is deleted: the Db makes
/// the edit durable, installs the version, then deletes the inputs. On an
/// error, the outputs written so far are removed.
pub fn run(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
    new_file_number: &(dyn Fn() -> u64 + Sync),
) -> Result<CompactionOutcome> {
    ctx.tracer.emit(|| Event::CompactionPicked {
        strategy: plan.strategy,
        level: plan.level,
        output_level: plan.output_level,
        score: plan.score,
        trigger: plan.trigger,
        inputs: plan.input_summaries(),
        trivial_move: plan.trivial_move,
    });
    if plan.trivial_move {
        return Ok(trivial_move(plan));
    }
    let tombstones = input_range_tombstones(plan, ctx)?;
    let parts_max = ctx.workers.parallelism();
    let spans = subcompaction::split(plan, parts_max, ctx.options, &tombstones);
    let merged = match spans.as_slice() {
        [whole] => run_part(plan, ctx, whole, &tombstones, new_file_number)?,
        _ => run_parts(plan, ctx, &spans, &tombstones, new_file_number)?,
    };
    Ok(outcome(plan, merged))
}

/// What merging one part (or all) of a compaction wrote.
#[derive(Default)]
struct Merged {
    tables: Vec<TableMeta>,
    entries_in: u64,
    entries_out: u64,
}

/// Merges the inputs within `span` into tables of their own.
fn run_part(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
    span: &Span,
    tombstones: &[RangeTombstone],
    new_file_number: &(dyn Fn() -> u64 + Sync),
) -> Result<Merged> {
    let mut outputs = Outputs::new(ctx, plan, new_file_number);
    match merge(plan, ctx, &mut outputs, span, tombstones) {
        Ok((entries_in, entries_out)) => Ok(Merged {
            tables: std::mem::take(&mut outputs.finished),
            entries_in,
            entries_out,
        }),
        Err(e) => {
            outputs.abandon();
            Err(e)
        }
    }
}

/// Merges every part on `ctx.workers` and joins the results in key
/// order. If any part fails, the tables of the others are removed too.
fn run_parts(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
    spans: &[Span],
    tombstones: &[RangeTombstone],
    new_file_number: &(dyn Fn() -> u64 + Sync),
) -> Result<Merged> {
    let slots: Vec<Mutex<Option<Result<Merged>>>> =
        spans.iter().map(|_| Mutex::default()).collect();
    ctx.workers.run(spans.len(), &|i| {
        let (Some(span), Some(slot)) = (spans.get(i), slots.get(i)) else {
            return;
        };
        let tracer = ctx.tracer.for_part(u32::try_from(i).unwrap_or(u32::MAX));
        let part_ctx = CompactionContext {
            tracer: &tracer,
            open_table: Arc::clone(&ctx.open_table),
            ..*ctx
        };
        let merged = run_part(plan, &part_ctx, span, tombstones, new_file_number);
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(merged);
    });
    let mut whole = Merged::default();
    let mut failure = None;
    for slot in slots {
        match slot.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(Ok(part)) => {
                whole.tables.extend(part.tables);
                whole.entries_in += part.entries_in;
                whole.entries_out += part.entries_out;
            }
            Some(Err(e)) => {
                failure.get_or_insert(e);
            }
            None => {
                failure.get_or_insert(Error::WritesStopped(
                    "a part of a compaction did not run".to_owned(),
                ));
            }
        }
    }
    match failure {
        None => Ok(whole),
        Some(e) => {
            remove_unreferenced(ctx.storage, whole.tables.iter().map(|t| t.file_number));
            Err(e)
        }
    }
}

/// The edit that moves the single input down a level.
fn trivial_move(plan: &CompactionPlan) -> CompactionOutcome {
    let mut edit = VersionEdit::default();
    let mut outputs = Vec::new();
    for (level, t) in &plan.inputs {
        edit.remove_table(*level, t.file_number);
        edit.add_table(plan.output_level, TableMeta::clone(t));
        outputs.push(TableMeta::clone(t));
    }
    edit.compact_pointers.extend(plan.compact_pointer.clone());
    CompactionOutcome {
        edit,
        outputs,
        bytes_read: 0,
        bytes_written: 0,
        entries_in: 0,
        entries_out: 0,
    }
}

fn outcome(plan: &CompactionPlan, merged: Merged) -> CompactionOutcome {
    let mut edit = VersionEdit::default();
    for (level, t) in &plan.inputs {
        edit.remove_table(*level, t.file_number);
    }
    for t in &merged.tables {
        edit.add_table(plan.output_level, t.clone());
    }
    edit.compact_pointers.extend(plan.compact_pointer.clone());
    CompactionOutcome {
        edit,
        bytes_read: plan.input_bytes(),
        bytes_written: merged.tables.iter().map(|t| t.size_bytes).sum(),
        outputs: merged.tables,
        entries_in: merged.entries_in,
        entries_out: merged.entries_out,
    }
}

/// How often, in input records, a compaction that drops records calls
/// the pacer even though it wrote nothing.
const INPUT_ENTRIES_PER_PACE: u64 = 4096;

/// Streams every input record within `span` through its fate into
/// `outputs`, with the parts of the inputs' range tombstones (`tombstones`)
/// inside it; returns (records read, records written).
fn merge(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
    outputs: &mut Outputs,
    span: &Span,
    tombstones: &[RangeTombstone],
) -> Result<(u64, u64)> {
    let (mut input, sources) = open_inputs(plan, ctx)?;
    let below = OlderData::new(ctx.version, plan);
    let range_dels = RangeDeletions::new(
        &clip_all(tombstones, span.lo.as_deref(), span.hi.as_deref()),
        ctx.snapshots,
        |start, largest| below.may_overlap(start, largest),
        ctx.tracer,
    );
    outputs.set_range_tombstones(range_dels.kept().to_vec());
    let mut fates = FateTracker::new(ctx.snapshots);
    let (mut entries_in, mut entries_out) = (0u64, 0u64);
    match &span.lo {
        Some(lo) => input.seek(&internal_key(lo, MAX_SEQNO, KIND_FOR_SEEK))?,
        None => input.seek_to_first()?,
    }
    while input.valid() {
        let key = input.key();
        let Some(parsed) = parse_internal_key(key) else {
            let file = input
                .current_source()
                .and_then(|i| sources.get(i))
                .and_then(|tables| tables.iter().find(|t| t.covers(user_key(key))))
                .map_or_else(String::new, |t| table_name(t.file_number));
            return Err(Error::corruption(
                file,
                0,
                "malformed internal key in a compaction input",
            ));
        };
        if span.is_past(parsed.user_key) {
            break;
        }
        entries_in += 1;
        let new_key = fates.is_new_key(parsed.user_key);
        let fate = fates.next(parsed.user_key, parsed.seq, parsed.kind, || {
            below.may_hold(parsed.user_key)
        });
        let fate = if range_dels.is_empty() {
            fate
        } else {
            range_dels.refine(parsed.user_key, parsed.seq, fate)
        };
        ctx.tracer.emit(|| Event::CompactionEntry {
            key: parsed.user_key.to_vec(),
            seq: parsed.seq,
            kind: parsed.kind,
            fate,
        });
        let filtered = match fate {
            EntryFate::Kept => filter_record(plan, ctx, &below, &parsed, input.value())?,
            _ => None,
        };
        if let Some(filtered) = filtered {
            ctx.tracer.emit(|| Event::CompactionFiltered {
                key: parsed.user_key.to_vec(),
                seq: parsed.seq,
                outcome: filtered.outcome,
                reason: filtered.reason,
            });
            if let Some((key, value)) = filtered.record {
                outputs.add(&key, &value, new_key)?;
                entries_out += 1;
            }
        } else if is_kept(fate) {
            outputs.add(key, input.value(), new_key)?;
            entries_out += 1;
        } else if entries_in % INPUT_ENTRIES_PER_PACE == 0 {
            // A run of dropped records writes nothing; the pacer still
            // gets its turn (the background driver flushes there).
            ctx.pacer.pace(0);
        }
        input.next()?;
    }
    outputs.finish_last_table()?;
    Ok((entries_in, entries_out))
}

/// Every range tombstone of the input tables.
fn input_range_tombstones(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
) -> Result<Vec<RangeTombstone>> {
    let mut all = Vec::new();
    for (_, meta) in &plan.inputs {
        all.extend(Table::read_range_tombstones(ctx.storage, meta.file_number)?);
    }
    Ok(all)
}

/// An internal key and its value.
type Record = (Vec<u8>, Vec<u8>);

/// What the compaction filter does with a kept record, if it changes
/// anything: the outcome, the reason and the record to write instead
/// (`None` to drop it). Only a put newer than every snapshot is filtered:
/// first by its time to live, then by the caller's filter.
fn filter_record(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
    below: &OlderData,
    parsed: &ParsedKey<'_>,
    value: &[u8],
) -> Result<Option<Filtered>> {
    let filter = ctx.options.compaction_filter.0.as_ref();
    if filter.is_none() && ctx.expiry.is_none() {
        return Ok(None);
    }
    let unseen = ctx.snapshots.last().is_none_or(|&s| s < parsed.seq);
    if parsed.kind != ValueKind::Put || !unseen {
        return Ok(None);
    }
    let (decision, reason, write_time_ms) = match ctx.expiry {
        Some(expiry) => {
            let timed = TimedValue::decode_in(value, "(compaction input)")?;
            if timed.is_expired(expiry.now_ms, expiry.ttl_ms) {
                (FilterDecision::Remove, FilterReason::Expired, None)
            } else {
                let Some(filter) = filter else {
                    return Ok(None);
                };
                let decision = filter.filter(plan.level, parsed.user_key, timed.value);
                (decision, FilterReason::Filter, Some(timed.write_time_ms))
            }
        }
        None => match filter {
            Some(filter) => (
                filter.filter(plan.level, parsed.user_key, value),
                FilterReason::Filter,
                None,
            ),
            None => return Ok(None),
        },
    };
    Ok(
        apply_decision(ctx, below, parsed, decision, write_time_ms).map(|(outcome, record)| {
            Filtered {
                outcome,
                reason,
                record,
            }
        }),
    )
}

/// What a filter's decision on a record did.
struct Filtered {
    outcome: FilterOutcome,
    reason: FilterReason,
    /// The record written instead (`None`: dropped).
    record: Option<Record>,
}

/// The outcome of `decision` and the record to write instead. A changed
/// value keeps the record's write time (`write_time_ms`, with TTL).
fn apply_decision(
    ctx: &CompactionContext,
    below: &OlderData,
    parsed: &ParsedKey<'_>,
    decision: FilterDecision,
    write_time_ms: Option<u64>,
) -> Option<(FilterOutcome, Option<Record>)> {
    match decision {
        FilterDecision::Keep => None,
        FilterDecision::ChangeValue(v) => {
            let key = internal_key(parsed.user_key, parsed.seq, ValueKind::Put);
            let v = match write_time_ms {
                Some(t) => TimedValue::encode(t, &v),
                None => v,
            };
            Some((FilterOutcome::ValueChanged, Some((key, v))))
        }
        FilterDecision::Remove => {
            if ctx.snapshots.is_empty() && !below.may_hold(parsed.user_key) {
                return Some((FilterOutcome::Dropped, None));
            }
            let key = internal_key(parsed.user_key, parsed.seq, ValueKind::Delete);
            Some((FilterOutcome::Tombstoned, Some((key, Vec::new()))))
        }
    }
}

/// The merged view of the inputs, and each source's tables (to name a
/// damaged one). Levels are merged upper first; a leveled level is one
/// lazily opening source, a tiered level one source per run.
fn open_inputs(
    plan: &CompactionPlan,
    ctx: &CompactionContext,
) -> Result<(MergingIterator, Vec<Vec<Arc<TableMeta>>>)> {
    let mut levels: Vec<u32> = plan.inputs.iter().map(|(l, _)| *l).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut children: Vec<Box<dyn InternalIterator + Send>> = Vec::new();
    let mut sources = Vec::new();
    for level in levels {
        let tables: Vec<Arc<TableMeta>> = plan.inputs_at(level).cloned().collect();
        if ctx.version.is_tiered(level as usize) {
            for t in tables {
                let table = (ctx.open_table)(t.file_number)?;
                children.push(Box::new(table.iter()));
                sources.push(vec![t]);
            }
        } else {
            let mut sorted = tables;
            sorted.sort_by(|a, b| crate::record::compare_internal_keys(&a.smallest, &b.smallest));
            children.push(Box::new(LevelIter::new(
                sorted.clone(),
                Arc::clone(&ctx.open_table),
            )));
            sources.push(sorted);
        }
    }
    Ok((MergingIterator::new(children), sources))
}

/// The tables that may hold older versions of a key outside the inputs:
/// every level below the output, and the other runs of a tiered output
/// level.
struct OlderData {
    /// Leveled levels: sorted, disjoint; searched by bisection.
    leveled: Vec<Vec<Arc<TableMeta>>>,
    /// Tables of tiered levels (few): searched one by one.
    runs: Vec<Arc<TableMeta>>,
}

impl OlderData {
    fn new(version: &Version, plan: &CompactionPlan) -> Self {
        let output = plan.output_level as usize;
        let inputs = plan.input_file_numbers();
        let mut runs: Vec<Arc<TableMeta>> = Vec::new();
        if version.is_tiered(output) {
            let others = version.level(output).iter();
            runs.extend(others.filter(|t| !inputs.contains(&t.file_number)).cloned());
        }
        let mut leveled = Vec::new();
        for level in output + 1..NUM_LEVELS {
            if version.is_tiered(level) {
                runs.extend(version.level(level).iter().cloned());
            } else if !version.level(level).is_empty() {
                leveled.push(version.level(level).to_vec());
            }
        }
        Self { leveled, runs }
    }

    /// Whether some table outside the inputs, at or below the output
    /// level, overlaps the user keys `[start, largest]`.
    fn may_overlap(&self, start: &[u8], largest: &[u8]) -> bool {
        let meets =
            |t: &TableMeta| t.smallest_user_key() <= largest && start <= t.largest_user_key();
        self.runs.iter().any(|t| meets(t))
            || self.leveled.iter().any(|tables| {
                let i = tables.partition_point(|t| t.largest_user_key() < start);
                tables.get(i).is_some_and(|t| meets(t))
            })
    }

    /// Whether some table outside the inputs, at or below the output
    /// level, covers `user_key`.
    fn may_hold(&self, user_key: &[u8]) -> bool {
        self.runs.iter().any(|t| t.covers(user_key))
            || self.leveled.iter().any(|tables| {
                let i = tables.partition_point(|t| t.largest_user_key() < user_key);
                tables.get(i).is_some_and(|t| t.covers(user_key))
            })
    }
}

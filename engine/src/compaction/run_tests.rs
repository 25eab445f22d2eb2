//! Running compactions over real tables in a `MemStorage`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use proptest::prelude::*;
use strata_storage::{MemStorage, Storage};

use crate::error::Result;
use crate::event::{EntryFate, Event, Job, TraceRecorder, Tracer};
use crate::iter::InternalIterator;
use crate::manifest::{Version, NUM_LEVELS};
use crate::options::{CompactionStrategy, Options};
use crate::record::{parse_internal_key, SeqNo, ValueKind, MAX_SEQNO};
use crate::sstable::Table;
use crate::table_meta::TableMeta;

use super::fate::is_kept;
use super::testutil::{
    build_table, del, latest_model, meta, put, version_of, CountingOpener, Entry,
};
use super::{
    pick, run, CompactionContext, CompactionOutcome, CompactionPlan, NoPacing, OneAtATime, Pacer,
    Workers,
};

fn options(strategy: CompactionStrategy) -> Options {
    Options {
        compaction_strategy: strategy,
        block_size_bytes: 128,
        l0_compaction_trigger: 4,
        level_base_bytes: 1024,
        target_file_size_bytes: 1024,
        grandparent_overlap_factor: 10,
        ..Options::default()
    }
}

struct Fixture {
    storage: Arc<MemStorage>,
    options: Options,
    tables: Vec<(u32, TableMeta)>,
    next_file_number: u64,
}

/// What one run produced.
struct Ran {
    outcome: CompactionOutcome,
    events: Vec<Event>,
    /// The part of a split compaction each event came from.
    parts: Vec<Option<u32>>,
}

impl Fixture {
    fn new(options: Options) -> Self {
        Self {
            storage: Arc::new(MemStorage::new()),
            options,
            tables: Vec::new(),
            next_file_number: 1,
        }
    }

    fn table(&mut self, level: u32, entries: &[Entry]) -> Result<u64> {
        let n = self.next_file_number;
        self.next_file_number += 1;
        let meta = build_table(&self.storage, n, entries, &self.options)?;
        self.tables.push((level, meta));
        Ok(n)
    }

    /// A table known to the version only (never read): for grandparents.
    fn phantom(&mut self, level: u32, lo: &str, hi: &str, size_bytes: u64) {
        let n = self.next_file_number;
        self.next_file_number += 1;
        self.tables.push((level, meta(n, lo, hi, size_bytes, 1)));
    }

    fn version(&self) -> Version {
        version_of(
            &self.tables,
            self.options.compaction_strategy.tiered_levels(),
        )
    }

    fn pick(&self) -> CompactionPlan {
        pick(&self.version(), &self.options, &BTreeMap::new())
            .unwrap_or_else(|| panic!("a compaction is due"))
    }

    fn run_with(
        &mut self,
        plan: &CompactionPlan,
        snapshots: &[SeqNo],
        opener: &CountingOpener,
        pacer: &dyn Pacer,
        workers: &dyn Workers,
    ) -> Result<Ran> {
        let recorder = TraceRecorder::new();
        let tracer = Tracer::new(Some(recorder.clone())).for_job(1);
        let version = self.version();
        let ctx = CompactionContext {
            storage: self.storage.as_ref(),
            options: &self.options,
            tracer: &tracer,
            version: &version,
            snapshots,
            open_table: opener.opener(),
            pacer,
            expiry: None,
            workers,
        };
        let next = AtomicU64::new(self.next_file_number);
        let outcome = run(plan, &ctx, &|| next.fetch_add(1, Ordering::Relaxed))?;
        self.next_file_number = next.into_inner();
        let (jobs, events) = recorder
            .take_with_jobs()
            .into_iter()
            .unzip::<_, _, Vec<_>, _>();
        Ok(Ran {
            outcome,
            events,
            parts: jobs
                .iter()
                .map(|j: &Option<Job>| j.and_then(|j| j.part))
                .collect(),
        })
    }

    fn run(&mut self, plan: &CompactionPlan, snapshots: &[SeqNo]) -> Result<Ran> {
        let opener = CountingOpener::new(Arc::clone(&self.storage));
        self.run_with(plan, snapshots, &opener, &NoPacing, &OneAtATime)
    }

    /// Every record of table `n`.
    fn read(&self, n: u64) -> Result<Vec<Entry>> {
        let table = Table::open(self.storage.as_ref(), n)?;
        let mut it = table.iter();
        let mut out = Vec::new();
        it.seek_to_first()?;
        while it.valid() {
            out.push((it.key().to_vec(), it.value().to_vec()));
            it.next()?;
        }
        Ok(out)
    }

    fn read_all(&self, tables: &[TableMeta]) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        for t in tables {
            out.extend(self.read(t.file_number)?);
        }
        Ok(out)
    }
}

/// What a reader at `seq` sees: the newest version at or below it, per key.
fn visible_at(entries: &[Entry], seq: SeqNo) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let visible: Vec<Entry> = entries
        .iter()
        .filter(|(k, _)| parse_internal_key(k).is_some_and(|p| p.seq <= seq))
        .cloned()
        .collect();
    latest_model(&visible)
}

fn fates(events: &[Event]) -> Vec<(Vec<u8>, SeqNo, EntryFate)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::CompactionEntry { key, seq, fate, .. } => Some((key.clone(), *seq, *fate)),
            _ => None,
        })
        .collect()
}

/// Outputs are sorted by key and disjoint by user key.
fn assert_disjoint(outputs: &[TableMeta]) {
    for pair in outputs.windows(2) {
        if let [a, b] = pair {
            assert!(
                a.largest_user_key() < b.smallest_user_key(),
                "tables {} and {} share or reorder user keys",
                a.file_number,
                b.file_number
            );
        }
    }
}

/// The tables of every level after the edit, and a check that the tree
/// is still well formed.
fn applied(fx: &Fixture, outcome: &CompactionOutcome) -> Version {
    let after = fx
        .version()
        .apply(&outcome.edit)
        .unwrap_or_else(|e| panic!("edit does not apply: {e}"));
    after
        .check_invariants()
        .unwrap_or_else(|e| panic!("broken tree: {e}"));
    after
}

#[test]
fn events_announce_the_pick_then_one_fate_per_record() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    for seq in 1..=4u64 {
        fx.table(0, &[put("a", seq, "x"), put("b", seq + 10, "y")])?;
    }
    let plan = fx.pick();
    let ran = fx.run(&plan, &[])?;
    let first = ran.events.first();
    assert!(
        matches!(first, Some(Event::CompactionPicked { level: 0, output_level: 1, inputs, .. }) if inputs.len() == 4)
    );
    let fates = fates(&ran.events);
    assert_eq!(fates.len(), 8);
    assert_eq!(ran.outcome.entries_in, 8);
    assert_eq!(ran.outcome.entries_out, 2);
    let kept: Vec<_> = fates.iter().filter(|f| is_kept(f.2)).collect();
    assert_eq!(kept.len(), 2);
    assert!(ran
        .events
        .iter()
        .any(|e| matches!(e, Event::TableFinished { table, .. } if table.level == 1)));
    assert_eq!(
        fx.read_all(&ran.outcome.outputs)?,
        vec![put("a", 4, "x"), put("b", 14, "y")]
    );
    Ok(())
}

#[test]
fn an_all_tombstone_compaction_at_the_bottom_writes_no_table() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    fx.table(0, &[put("a", 1, "x"), put("b", 2, "y")])?;
    fx.table(0, &[del("a", 3)])?;
    fx.table(0, &[del("b", 4)])?;
    fx.table(0, &[del("a", 5), del("b", 6)])?;
    let plan = fx.pick();
    let files_before = fx.storage.list().map(|l| l.len()).unwrap_or(0);
    let ran = fx.run(&plan, &[])?;
    assert!(ran.outcome.outputs.is_empty());
    assert!(ran.outcome.edit.added.is_empty());
    assert_eq!(ran.outcome.edit.removed.len(), 4);
    assert_eq!(ran.outcome.entries_out, 0);
    assert_eq!(
        fx.storage.list().map(|l| l.len()).unwrap_or(0),
        files_before
    );
    let dropped = fates(&ran.events)
        .iter()
        .filter(|f| f.2 == EntryFate::TombstoneDroppedAtBottom)
        .count();
    assert_eq!(dropped, 2, "the newest tombstone of each key");
    Ok(())
}

#[test]
fn tombstones_stay_while_older_data_lies_below() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    fx.table(2, &[put("a", 1, "old")])?;
    for seq in 10..14 {
        fx.table(0, &[del("a", seq), del("z", seq)])?;
    }
    let plan = fx.pick();
    let ran = fx.run(&plan, &[])?;
    let fates = fates(&ran.events);
    assert!(fates.contains(&(b"a".to_vec(), 13, EntryFate::TombstoneKeptOlderDataBelow)));
    assert!(fates.contains(&(b"z".to_vec(), 13, EntryFate::TombstoneDroppedAtBottom)));
    assert_eq!(fx.read_all(&ran.outcome.outputs)?, vec![del("a", 13)]);
    Ok(())
}

#[test]
fn tiered_output_keeps_tombstones_over_older_runs_and_writes_one_table() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::SizeTiered));
    fx.table(1, &[put("k000", 1, "old")])?;
    for run in 0..4u64 {
        let entries: Vec<Entry> = (0..100u64)
            .map(|i| put(&format!("k{i:03}"), 10 + run * 100 + i, "some value bytes"))
            .chain([del("k000", 10 + run * 100 + 99)])
            .collect();
        fx.table(0, &entries)?;
    }
    let plan = fx.pick();
    assert!(!plan.split_outputs);
    let ran = fx.run(&plan, &[])?;
    assert_eq!(ran.outcome.outputs.len(), 1, "a tiered output is one run");
    assert!(ran.outcome.bytes_written > fx.options.target_file_size_bytes);
    let out = fx.read_all(&ran.outcome.outputs)?;
    assert_eq!(out.first(), Some(&del("k000", 409)));
    let after = applied(&fx, &ran.outcome);
    assert_eq!(after.level(1).len(), 2, "the new run joins the older one");
    Ok(())
}

#[test]
fn split_outputs_are_cut_at_target_size_and_never_inside_a_key() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    // Each key has 4 versions, all kept by snapshots between them.
    for v in 0..4u64 {
        let entries: Vec<Entry> = (0..60u64)
            .map(|i| put(&format!("key{i:03}"), 1 + v * 100 + i, "0123456789abcdef"))
            .collect();
        fx.table(0, &entries)?;
    }
    let plan = fx.pick();
    let ran = fx.run(&plan, &[100, 200, 300])?;
    let outputs = &ran.outcome.outputs;
    assert!(outputs.len() > 3, "{} outputs", outputs.len());
    assert_disjoint(outputs);
    assert_eq!(ran.outcome.entries_out, 240);
    let slack = 4 * (fx.options.block_size_bytes as u64 + 64);
    for t in outputs {
        assert!(
            t.size_bytes <= fx.options.target_file_size_bytes + slack,
            "{t:?}"
        );
        assert_eq!(t.entries % 4, 0, "every key's versions stay together");
    }
    applied(&fx, &ran.outcome);
    Ok(())
}

#[test]
fn split_outputs_obey_the_grandparent_limit() -> Result<()> {
    let mut opts = options(CompactionStrategy::Leveled);
    opts.grandparent_overlap_factor = 1;
    opts.target_file_size_bytes = 1 << 20;
    // Grandparents at L3 stay under their target: level 1 is picked.
    opts.level_size_ratio = 100;
    let limit = 1 << 20;
    let mut fx = Fixture::new(opts);
    let entries: Vec<Entry> = (0..200u64)
        .map(|i| put(&format!("key{i:03}"), i + 1, "v"))
        .collect();
    fx.table(1, &entries)?;
    for i in 0..20u64 {
        let (lo, hi) = (
            format!("key{:03}", i * 10 + 2),
            format!("key{:03}", i * 10 + 7),
        );
        fx.phantom(3, &lo, &hi, 400 << 10);
    }
    let plan = fx.pick();
    assert_eq!((plan.level, plan.grandparents.len()), (1, 20));
    let ran = fx.run(&plan, &[])?;
    let outputs = &ran.outcome.outputs;
    assert!(outputs.len() >= 5, "{} outputs", outputs.len());
    assert_disjoint(outputs);
    let overlap = |lo: &[u8], hi: &[u8]| -> u64 {
        plan.grandparents
            .iter()
            .filter(|g| g.smallest_user_key() <= hi && g.largest_user_key() >= lo)
            .map(|g| g.size_bytes)
            .sum()
    };
    for t in outputs {
        let (lo, hi) = (t.smallest_user_key(), t.largest_user_key());
        assert!(
            overlap(lo, hi) <= limit || overlap(lo, hi) == overlap(lo, lo),
            "{t:?}"
        );
    }
    Ok(())
}

#[test]
fn a_trivial_move_is_an_edit_without_io() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    let entries: Vec<Entry> = (0..200u64)
        .map(|i| put(&format!("key{i:03}"), i + 1, "value"))
        .collect();
    let n = fx.table(1, &entries)?;
    let plan = fx.pick();
    assert!(plan.trivial_move);
    let ran = fx.run(&plan, &[])?;
    assert_eq!(ran.outcome.edit.removed, vec![(1, n)]);
    assert_eq!(
        ran.outcome
            .edit
            .added
            .first()
            .map(|(l, t)| (*l, t.file_number)),
        Some((2, n))
    );
    assert_eq!(ran.outcome.edit.compact_pointers.len(), 1);
    assert_eq!((ran.outcome.bytes_written, ran.outcome.entries_in), (0, 0));
    assert!(fates(&ran.events).is_empty());
    assert!(matches!(
        ran.events.as_slice(),
        [Event::CompactionPicked {
            trivial_move: true,
            ..
        }]
    ));
    Ok(())
}

/// Checks, at every pace call, how many input tables are held.
struct WatchingPacer<'a> {
    opener: &'a CountingOpener,
    calls: AtomicU64,
    most_alive: AtomicUsize,
}

impl Pacer for WatchingPacer<'_> {
    fn pace(&self, _bytes_written: u64) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.most_alive
            .fetch_max(self.opener.alive(), Ordering::Relaxed);
    }
}

#[test]
fn memory_stays_one_table_per_leveled_input_level() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Leveled));
    let wide: Vec<Entry> = (0..400u64)
        .map(|i| put(&format!("key{i:03}"), 1000 + i, "upper"))
        .collect();
    fx.table(1, &wide)?;
    for t in 0..8u64 {
        let entries: Vec<Entry> = (t * 50..t * 50 + 50)
            .map(|i| put(&format!("key{i:03}"), 1 + i, "lower"))
            .collect();
        fx.table(2, &entries)?;
    }
    let plan = fx.pick();
    assert_eq!(plan.inputs.len(), 9);
    let opener = CountingOpener::new(Arc::clone(&fx.storage));
    let pacer = WatchingPacer {
        opener: &opener,
        calls: AtomicU64::new(0),
        most_alive: AtomicUsize::new(0),
    };
    let ran = fx.run_with(&plan, &[], &opener, &pacer, &OneAtATime)?;
    assert!(
        pacer.calls.load(Ordering::Relaxed) > 20,
        "paced {} times",
        pacer.calls.load(Ordering::Relaxed)
    );
    assert!(
        pacer.most_alive.load(Ordering::Relaxed) <= 2,
        "held {} tables",
        pacer.most_alive.load(Ordering::Relaxed)
    );
    assert_eq!(opener.opened(), 9, "each input opened once");
    assert_eq!(ran.outcome.entries_out, 400);
    Ok(())
}

#[test]
fn hybrid_level1_runs_merge_into_level2_tables() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::Hybrid));
    fx.table(2, &[put("b", 1, "old-b"), put("d", 2, "old-d")])?;
    fx.table(2, &[put("x", 3, "old-x")])?;
    for seq in 0..4u64 {
        fx.table(
            1,
            &[put("c", 10 + seq, "new-c"), put("d", 20 + seq, "new-d")],
        )?;
    }
    let plan = fx.pick();
    assert_eq!(
        (plan.level, plan.output_level, plan.inputs.len()),
        (1, 2, 5)
    );
    let ran = fx.run(&plan, &[])?;
    let got = latest_model(&fx.read_all(&ran.outcome.outputs)?);
    let want: BTreeMap<Vec<u8>, Vec<u8>> = [("b", "old-b"), ("c", "new-c"), ("d", "new-d")]
        .iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect();
    assert_eq!(got, want);
    let after = applied(&fx, &ran.outcome);
    assert!(after.level(1).is_empty());
    Ok(())
}

#[test]
fn the_last_tiered_level_merges_in_place() -> Result<()> {
    let mut fx = Fixture::new(options(CompactionStrategy::SizeTiered));
    let last = (NUM_LEVELS - 1) as u32;
    for seq in 0..4u64 {
        fx.table(last, &[put("a", 1 + seq, "v"), del("b", 10 + seq)])?;
    }
    let plan = fx.pick();
    let ran = fx.run(&plan, &[])?;
    assert_eq!(fx.read_all(&ran.outcome.outputs)?, vec![put("a", 4, "v")]);
    let after = applied(&fx, &ran.outcome);
    assert_eq!(after.level(last as usize).len(), 1);
    Ok(())
}

// ---- The merged content against a model, under random inputs ----------

/// Random records for four L0 tables and, optionally, an L2 table below
/// them, with distinct sequence numbers (those below are the oldest).
fn spread() -> impl Strategy<Value = (Vec<Vec<Entry>>, Vec<Entry>, Vec<SeqNo>)> {
    let record = (0u8..12, any::<bool>(), 0usize..6);
    (
        proptest::collection::vec(record, 1..160),
        proptest::collection::btree_set(1u64..200, 0..4),
        any::<bool>(),
    )
        .prop_map(|(raw, snapshots, data_below)| {
            let (mut above, mut below): (Vec<_>, Vec<_>) =
                raw.into_iter().partition(|(_, _, table)| *table < 4);
            if !data_below {
                below.clear();
            }
            let mut groups: Vec<Vec<Entry>> = vec![Vec::new(); 4];
            let mut below_entries = Vec::new();
            let ordered = below
                .drain(..)
                .map(|r| (true, r))
                .chain(above.drain(..).map(|r| (false, r)));
            for ((is_below, (k, is_put, table)), seq) in ordered.zip(1u64..) {
                let key = format!("key{k:02}");
                let entry = if is_put {
                    put(&key, seq, &format!("v{seq}"))
                } else {
                    del(&key, seq)
                };
                match groups.get_mut(table) {
                    Some(g) if !is_below => g.push(entry),
                    _ => below_entries.push(entry),
                }
            }
            (groups, below_entries, snapshots.into_iter().collect())
        })
}

fn check_model(
    strategy: CompactionStrategy,
    groups: &[Vec<Entry>],
    below: &[Entry],
    snapshots: &[SeqNo],
    parts: usize,
) -> Result<()> {
    let mut fx = Fixture::new(options(strategy));
    let mut all: Vec<Entry> = below.to_vec();
    for (i, group) in groups.iter().enumerate() {
        // A filler keeps every L0 slot occupied, so level 0 is due.
        let mut group = group.clone();
        if group.is_empty() {
            group.push(put(&format!("filler{i}"), 500 + i as u64, "f"));
        }
        all.extend(group.iter().cloned());
        fx.table(0, &group)?;
    }
    if !below.is_empty() {
        fx.table(2, below)?;
    }
    let plan = fx.pick();
    let opener = CountingOpener::new(Arc::clone(&fx.storage));
    let ran = fx.run_with(&plan, snapshots, &opener, &NoPacing, &Sequential(parts))?;
    assert_disjoint(&ran.outcome.outputs);
    let after = applied(&fx, &ran.outcome);
    let live: Vec<TableMeta> = after.tables().map(|(_, t)| TableMeta::clone(t)).collect();
    let after_entries = fx.read_all(&live)?;
    let reads: BTreeSet<SeqNo> = snapshots.iter().copied().chain([MAX_SEQNO]).collect();
    for seq in reads {
        assert_eq!(
            visible_at(&after_entries, seq),
            visible_at(&all, seq),
            "read at {seq}"
        );
    }
    if snapshots.is_empty() && !plan.trivial_move {
        // No snapshot: at most one version per key survives in the outputs,
        // and no tombstone survives at the bottom (a trivial move rewrites
        // nothing, so it keeps whatever its table held).
        let out = fx.read_all(&ran.outcome.outputs)?;
        let keys: BTreeSet<&[u8]> = out
            .iter()
            .map(|(k, _)| crate::record::user_key(k))
            .collect();
        assert_eq!(keys.len(), out.len());
        if below.is_empty() {
            let is_tombstone =
                |k: &[u8]| parse_internal_key(k).is_some_and(|p| p.kind == ValueKind::Delete);
            assert!(!out.iter().any(|(k, _)| is_tombstone(k)));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn merged_content_matches_a_model_at_every_snapshot(
        (groups, below, snapshots) in spread(),
        strategy in prop_oneof![
            Just(CompactionStrategy::Leveled),
            Just(CompactionStrategy::SizeTiered),
            Just(CompactionStrategy::Hybrid),
        ],
        parts in 1usize..4,
    ) {
        check_model(strategy, &groups, &below, &snapshots, parts)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

/// Offers `n` workers but runs the parts one after the other, last first:
/// what a split does, without depending on threads, and with file numbers
/// handed out in the reverse of key order.
struct Sequential(usize);

impl Workers for Sequential {
    fn parallelism(&self) -> usize {
        self.0
    }

    fn run(&self, count: usize, task: &(dyn Fn(usize) + Sync)) {
        (0..count).rev().for_each(task);
    }
}

// Sub-compactions: splitting one merge into key-range parts.
mod parts;

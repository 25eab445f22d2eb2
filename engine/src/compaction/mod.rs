//! Compaction: deciding which tables to merge, and merging them.
//!
//! Every level has a *score*; the level with the highest score at or above
//! 1.0 is compacted next (ties go to the upper level).
//! - A *tiered* level (level 0 always; more levels under the size-tiered
//!   and hybrid strategies) holds overlapping runs, one per table. Its
//!   score is its run count over `l0_compaction_trigger`.
//! - A *leveled* level holds one sorted run cut into disjoint tables. Its
//!   score is its size over its target ([`level_targets`]: static, or
//!   dynamic from the last level up). The last level, when leveled, has
//!   nowhere to go and is never compacted.
//!
//! [`pick`] turns the chosen level into a [`CompactionPlan`] (the rules per
//! kind of level live in the private `leveled` and `tiered` modules);
//! [`run`] executes a plan as one streaming merge, deciding each record's
//! fate with [`fate`], and returns the [`VersionEdit`] that installs the
//! result. The Db picks under its lock, runs without it, makes the edit
//! durable, installs the new version and only then deletes the inputs.

pub mod fate;
pub mod filter;
mod leveled;
pub mod manual;
mod output;
mod range_fate;
mod run;
pub mod subcompaction;
mod targets;
mod tiered;
mod universal;

#[cfg(test)]
mod pick_tests;
#[cfg(test)]
mod run_tests;
#[cfg(test)]
pub(crate) mod testutil;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::sync::Arc;

use strata_storage::Storage;

use crate::event::{CompactionTrigger, TableSummary, Tracer};
use crate::level_iter::TableOpener;
use crate::manifest::{Version, VersionEdit, NUM_LEVELS};
use crate::options::{CompactionStrategy, Options};
use crate::record::SeqNo;
use crate::table_meta::TableMeta;

pub use run::run;
pub use subcompaction::{OneAtATime, Workers};
pub use targets::{base_level, level_targets};

/// One compaction, decided: which tables go in, where the result goes.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactionPlan {
    /// The strategy that chose it.
    pub strategy: CompactionStrategy,
    /// The level being compacted.
    pub level: u32,
    /// The level the outputs go to: usually `level + 1`; `level` itself
    /// when a tiered last level (or a full compaction's deepest level)
    /// merges in place; further down when empty levels are skipped (dynamic
    /// level targets, universal compaction, full compaction).
    pub output_level: u32,
    /// The level's score when it was picked.
    pub score: f64,
    /// Why the level was due.
    pub trigger: CompactionTrigger,
    /// Input tables with their levels: those of `level` first (in the
    /// version's order), then those of `output_level` that overlap them.
    pub inputs: Vec<(u32, Arc<TableMeta>)>,
    /// The single input moves to `output_level` by a manifest edit alone.
    pub trivial_move: bool,
    /// Outputs are cut into several tables (the output level is leveled);
    /// otherwise the output is one table, a new run of a tiered level.
    pub split_outputs: bool,
    /// Tables of `output_level + 1` overlapping the inputs, which limit how
    /// far each output may reach (empty unless `split_outputs`).
    pub grandparents: Vec<Arc<TableMeta>>,
    /// The round-robin pointer of `level` to record with the result.
    pub compact_pointer: Option<(u32, Vec<u8>)>,
}

impl CompactionPlan {
    /// The input tables at `level`.
    pub fn inputs_at(&self, level: u32) -> impl Iterator<Item = &Arc<TableMeta>> {
        self.inputs
            .iter()
            .filter(move |(l, _)| *l == level)
            .map(|(_, t)| t)
    }

    /// File numbers of every input.
    pub fn input_file_numbers(&self) -> Vec<u64> {
        self.inputs.iter().map(|(_, t)| t.file_number).collect()
    }

    /// The inputs as shown in events.
    pub fn input_summaries(&self) -> Vec<TableSummary> {
        self.inputs
            .iter()
            .map(|(level, t)| table_summary(*level, t))
            .collect()
    }

    /// Total size of the inputs.
    pub fn input_bytes(&self) -> u64 {
        self.inputs.iter().map(|(_, t)| t.size_bytes).sum()
    }

    /// Every level the compaction reads, writes or passes over: no other
    /// compaction may touch them while it runs.
    pub fn levels(&self) -> RangeInclusive<u32> {
        let read = self.inputs.iter().map(|(level, _)| *level);
        let lo = read.clone().chain([self.level]).min().unwrap_or(self.level);
        let hi = read
            .chain([self.output_level])
            .max()
            .unwrap_or(self.output_level);
        lo..=hi
    }
}

/// A table as shown in events.
pub fn table_summary(level: u32, t: &TableMeta) -> TableSummary {
    t.summary(level)
}

/// Called between pieces of a compaction: with the bytes written since the
/// previous call, about once per output data block and once per finished
/// table, and with 0 every few thousand input records that were dropped.
/// The native background driver flushes a memtable that froze meanwhile
/// and sleeps to keep under `compaction_bytes_per_second`; the inline and
/// manual drivers do nothing, so their traces do not depend on it.
pub trait Pacer: Sync {
    /// `bytes_written` more bytes went to storage.
    fn pace(&self, bytes_written: u64);
}

/// A pacer that never waits (inline and manual maintenance, tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPacing;

impl Pacer for NoPacing {
    fn pace(&self, _bytes_written: u64) {}
}

/// What [`run`] needs from the Db.
pub struct CompactionContext<'a> {
    /// Where tables are read and written.
    pub storage: &'a dyn Storage,
    /// The database's options.
    pub options: &'a Options,
    /// Receives `CompactionPicked`, `CompactionEntry` and the output
    /// tables' events.
    pub tracer: &'a Tracer,
    /// The version the plan was picked from (it decides whether older data
    /// of a key may lie below the output).
    pub version: &'a Version,
    /// Sequence numbers of the live snapshots, ascending.
    pub snapshots: &'a [SeqNo],
    /// Opens input tables (the Db passes its table cache). Shared, because
    /// leveled inputs are read by [`crate::level_iter::LevelIter`]s that
    /// open their tables lazily.
    pub open_table: TableOpener,
    /// Rate limiting of output writes.
    pub pacer: &'a dyn Pacer,
    /// The TTL and the caller's time when the compaction started (`None`
    /// without TTL): records expired by then are removed.
    pub expiry: Option<crate::ttl::Expiry>,
    /// Who merges the parts of a split compaction ([`OneAtATime`]: it is
    /// never split).
    pub workers: &'a dyn Workers,
}

/// What a compaction produced.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactionOutcome {
    /// Removes every input, adds every output at the output level and sets
    /// the compaction pointer. Not yet applied.
    pub edit: VersionEdit,
    /// The new tables (for a trivial move, the moved table).
    pub outputs: Vec<TableMeta>,
    /// Bytes of the input tables (0 for a trivial move).
    pub bytes_read: u64,
    /// Bytes of the output tables (0 for a trivial move).
    pub bytes_written: u64,
    /// Records read.
    pub entries_in: u64,
    /// Records written.
    pub entries_out: u64,
}

/// Each level's score and the trigger it would report, level 0 first.
/// A score at or above 1.0 means the level is due, except for the last
/// level when it is leveled (it is reported but never compacted).
pub fn level_scores(version: &Version, options: &Options) -> Vec<(u32, f64, CompactionTrigger)> {
    let targets = level_targets(version, options);
    (0..NUM_LEVELS)
        .map(|level| {
            let trigger = if version.is_tiered(level) {
                CompactionTrigger::RunCount {
                    runs: version.level(level).len() as u64,
                    threshold: options.l0_compaction_trigger.max(1) as u64,
                }
            } else {
                CompactionTrigger::LevelSize {
                    bytes: version.level_bytes(level),
                    target_bytes: targets.get(level).copied().unwrap_or(0).max(1),
                }
            };
            let score = match trigger {
                CompactionTrigger::RunCount { runs, threshold } => runs as f64 / threshold as f64,
                CompactionTrigger::LevelSize {
                    bytes,
                    target_bytes,
                } => bytes as f64 / target_bytes as f64,
                CompactionTrigger::Manual { .. }
                | CompactionTrigger::SpaceAmplification { .. }
                | CompactionTrigger::SizeRatio { .. } => 0.0,
            };
            (level as u32, score, trigger)
        })
        .collect()
}

/// Whether `level` can be compacted at all.
fn compactable(version: &Version, level: usize) -> bool {
    level + 1 < NUM_LEVELS || version.is_tiered(level)
}

/// The most urgent compaction, if any level is due. `compact_pointers`
/// holds each leveled level's round-robin position (an internal key).
pub fn pick(
    version: &Version,
    options: &Options,
    compact_pointers: &BTreeMap<u32, Vec<u8>>,
) -> Option<CompactionPlan> {
    pick_avoiding(version, options, compact_pointers, &[])
}

/// The most urgent compaction that touches no level of `busy` (the level
/// ranges of compactions running now), so that it can run beside them:
/// levels are taken in [`pick`]'s order, skipping those that are busy or
/// whose plan would reach a busy level. With nothing busy it is [`pick`].
pub fn pick_avoiding(
    version: &Version,
    options: &Options,
    compact_pointers: &BTreeMap<u32, Vec<u8>>,
    busy: &[RangeInclusive<u32>],
) -> Option<CompactionPlan> {
    let free = |plan: &CompactionPlan| {
        let levels = plan.levels();
        !busy
            .iter()
            .any(|b| b.start() <= levels.end() && levels.start() <= b.end())
    };
    if options.compaction_strategy == CompactionStrategy::Universal {
        return universal::pick(version, options).filter(free);
    }
    let scores = level_scores(version, options);
    #[cfg(feature = "labs")]
    if let Some(lab) = crate::labs::current().picking {
        let values: Vec<f64> = scores.iter().map(|s| s.1).collect();
        let can: Vec<bool> = (0..scores.len()).map(|l| compactable(version, l)).collect();
        // A level that cannot be compacted (the last, leveled) is refused
        // whatever the lab says: compacting it would write it into itself.
        let chosen = (lab.choose_level)(&values, &can)
            .filter(|&l| can.get(l).copied().unwrap_or(false))
            .and_then(|l| scores.get(l).copied());
        return chosen
            .and_then(|(level, score, trigger)| {
                pick_in(version, options, compact_pointers, level, score, trigger)
            })
            .filter(free);
    }
    let mut due: Vec<(u32, f64, CompactionTrigger)> = scores
        .into_iter()
        .filter(|&(level, score, _)| score >= 1.0 && compactable(version, level as usize))
        .collect();
    // Highest score first; the sort is stable, so ties keep the upper level.
    due.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (level, score, trigger) in due {
        if busy.iter().any(|b| b.contains(&level)) {
            continue;
        }
        // The most urgent free level decides: if it has no plan, neither
        // does the tree (as in `pick`).
        let plan = pick_in(version, options, compact_pointers, level, score, trigger)?;
        if free(&plan) {
            return Some(plan);
        }
    }
    None
}

/// The plan for compacting `level`, which is due with `score`.
fn pick_in(
    version: &Version,
    options: &Options,
    compact_pointers: &BTreeMap<u32, Vec<u8>>,
    level: u32,
    score: f64,
    trigger: CompactionTrigger,
) -> Option<CompactionPlan> {
    let due = Due {
        level,
        score,
        trigger,
    };
    if version.is_tiered(level as usize) {
        tiered::pick(version, options, &due)
    } else {
        leveled::pick(version, options, compact_pointers, &due)
    }
}

/// The level chosen and why.
struct Due {
    level: u32,
    score: f64,
    trigger: CompactionTrigger,
}

/// The tables of `level` whose user-key range meets `[lo, hi]`, in the
/// level's order. Leveled levels are searched by bisection.
fn overlapping(version: &Version, level: usize, lo: &[u8], hi: &[u8]) -> Vec<Arc<TableMeta>> {
    let tables = version.level(level);
    let meets = |t: &TableMeta| t.smallest_user_key() <= hi && t.largest_user_key() >= lo;
    if version.is_tiered(level) {
        return tables.iter().filter(|t| meets(t)).cloned().collect();
    }
    let start = tables.partition_point(|t| t.largest_user_key() < lo);
    tables
        .iter()
        .skip(start)
        .take_while(|t| t.smallest_user_key() <= hi)
        .cloned()
        .collect()
}

/// The user-key range spanned by `tables` (`None` if there are none).
fn user_key_range<'t>(
    tables: impl IntoIterator<Item = &'t Arc<TableMeta>>,
) -> Option<(&'t [u8], &'t [u8])> {
    tables.into_iter().fold(None, |range, t| {
        let (lo, hi) = (t.smallest_user_key(), t.largest_user_key());
        Some(match range {
            None => (lo, hi),
            Some((a, b)) => (a.min(lo), b.max(hi)),
        })
    })
}

/// Completes a plan from the tables chosen at the compacted level: joins
/// the overlapping tables of a leveled output level, finds the
/// grandparents and decides whether a trivial move will do.
fn complete_plan(
    version: &Version,
    options: &Options,
    due: &Due,
    chosen: Vec<Arc<TableMeta>>,
    allow_trivial_move: bool,
    compact_pointer: Option<(u32, Vec<u8>)>,
) -> Option<CompactionPlan> {
    let level = due.level as usize;
    let output_level = if level + 1 < NUM_LEVELS {
        targets::output_level(version, options, level)
    } else {
        level
    };
    plan_into(
        version,
        options,
        due,
        chosen,
        output_level,
        allow_trivial_move,
        compact_pointer,
    )
}

/// Completes a plan writing `chosen` (tables of `due.level`) into
/// `output_level`: `due.level + 1`, or `due.level` itself to merge the
/// level's tables in place.
fn plan_into(
    version: &Version,
    options: &Options,
    due: &Due,
    chosen: Vec<Arc<TableMeta>>,
    output_level: usize,
    allow_trivial_move: bool,
    compact_pointer: Option<(u32, Vec<u8>)>,
) -> Option<CompactionPlan> {
    let (lo, hi) = user_key_range(&chosen)?;
    let (lo, hi) = (lo.to_vec(), hi.to_vec());
    let level = due.level as usize;
    let split_outputs = !version.is_tiered(output_level);
    let joined = if split_outputs && output_level != level {
        overlapping(version, output_level, &lo, &hi)
    } else {
        Vec::new()
    };
    let grandparents = if split_outputs {
        let all = chosen.iter().chain(&joined);
        let (glo, ghi) = user_key_range(all).unwrap_or((&lo, &hi));
        overlapping(version, output_level + 1, glo, ghi)
    } else {
        Vec::new()
    };
    let grandparent_bytes: u64 = grandparents.iter().map(|t| t.size_bytes).sum();
    let trivial_move = allow_trivial_move
        && split_outputs
        && chosen.len() == 1
        && joined.is_empty()
        && grandparent_bytes <= grandparent_limit_bytes(options);
    let mut inputs: Vec<(u32, Arc<TableMeta>)> =
        chosen.into_iter().map(|t| (due.level, t)).collect();
    inputs.extend(joined.into_iter().map(|t| (output_level as u32, t)));
    Some(CompactionPlan {
        strategy: options.compaction_strategy,
        level: due.level,
        output_level: output_level as u32,
        score: due.score,
        trigger: due.trigger,
        inputs,
        trivial_move,
        split_outputs,
        grandparents,
        compact_pointer,
    })
}

/// How many bytes of grandparents one output may overlap.
fn grandparent_limit_bytes(options: &Options) -> u64 {
    u64::from(options.grandparent_overlap_factor).saturating_mul(options.target_file_size_bytes)
}

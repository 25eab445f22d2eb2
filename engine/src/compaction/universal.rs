//! Universal compaction (RocksDB's): the tree is a list of sorted runs in
//! age order, and a compaction merges a contiguous stretch of it.
//!
//! Every level is tiered. The runs, newest first, are the tables of L0
//! (newest first), then those of L1, L2, … (a level normally holds one run;
//! a database written by the size-tiered strategy may hold several, and
//! they are taken newest first too). Nothing is picked until there are at
//! least `l0_compaction_trigger` runs; then, in order:
//!
//! 1. **Space amplification.** If the bytes of every run but the oldest are
//!    more than `universal_max_size_amplification_percent` % of the oldest
//!    run's, all runs merge into one (a full compaction into the last
//!    level): the space the newer runs may waste on stale versions is
//!    bounded by that percentage.
//! 2. **Size ratio.** From the newest run, runs are taken while the next
//!    one is at most `(100 + universal_size_ratio) %` of the bytes taken so
//!    far; a stretch of at least `universal_min_merge_width` runs merges.
//!    If the stretch from the newest run is too short, the same is tried
//!    from the next run, and so on. Runs of similar size merge, so each
//!    byte is rewritten about once per doubling of the data.
//! 3. **Run count.** Otherwise the newest runs merge, just enough of them
//!    (at least `universal_min_merge_width`) to bring the count back under
//!    the trigger.
//!
//! The output is one run (one table) that takes the place of the stretch:
//! in the level just above the next older run (so all levels between stay
//! empty), in L0 if that run is in L0, or in the last level if the stretch
//! ends with the oldest run. It is never placed above an older run or
//! below a newer one.

use std::sync::Arc;

use crate::event::CompactionTrigger;
use crate::manifest::{Version, NUM_LEVELS};
use crate::options::Options;
use crate::table_meta::TableMeta;

use super::{plan_into, CompactionPlan, Due};

/// One sorted run: a table and its level.
#[derive(Clone, Debug)]
struct Run {
    level: usize,
    table: Arc<TableMeta>,
}

/// Every run, newest first.
fn runs(version: &Version) -> Vec<Run> {
    (0..NUM_LEVELS)
        .flat_map(|level| {
            version.level(level).iter().map(move |t| Run {
                level,
                table: Arc::clone(t),
            })
        })
        .collect()
}

/// The stretch `[start, end)` of `runs` to merge, and why.
fn choose(runs: &[Run], options: &Options) -> Option<(usize, usize, CompactionTrigger)> {
    let threshold = options.l0_compaction_trigger.max(2);
    if runs.len() < threshold {
        return None;
    }
    let sizes: Vec<u64> = runs.iter().map(|r| r.table.size_bytes).collect();
    let (newer, oldest) = sizes.split_at(sizes.len() - 1);
    let oldest = oldest.first().copied().unwrap_or(0).max(1);
    let newer_bytes: u64 = newer.iter().sum();
    let percent = newer_bytes.saturating_mul(100) / oldest;
    if percent > u64::from(options.universal_max_size_amplification_percent) {
        let trigger = CompactionTrigger::SpaceAmplification {
            percent,
            max_percent: u64::from(options.universal_max_size_amplification_percent),
        };
        return Some((0, runs.len(), trigger));
    }
    let width = options.universal_min_merge_width.max(2);
    let ratio = u64::from(options.universal_size_ratio);
    for start in 0..sizes.len() {
        let mut taken = sizes.get(start).copied().unwrap_or(0);
        let mut end = start + 1;
        while let Some(&next) = sizes.get(end) {
            if next.saturating_mul(100) > taken.saturating_mul(100 + ratio) {
                break;
            }
            taken = taken.saturating_add(next);
            end += 1;
        }
        if end - start >= width {
            let trigger = CompactionTrigger::SizeRatio {
                runs: (end - start) as u64,
                size_ratio_percent: ratio,
            };
            return Some((start, end, trigger));
        }
    }
    let end = (runs.len() + 1 - threshold).max(width).min(runs.len());
    let trigger = CompactionTrigger::RunCount {
        runs: runs.len() as u64,
        threshold: threshold as u64,
    };
    Some((0, end, trigger))
}

/// Where the merge of `runs[start..end]` goes.
fn output_level(runs: &[Run], start: usize, end: usize) -> usize {
    let oldest_input = runs
        .get(end.saturating_sub(1))
        .map_or(0, |r| r.level)
        .max(runs.get(start).map_or(0, |r| r.level));
    match runs.get(end) {
        None => NUM_LEVELS - 1,
        Some(next) if next.level == 0 => 0,
        Some(next) => (next.level - 1).max(oldest_input),
    }
}

/// The universal strategy's next compaction, if one is due.
pub(super) fn pick(version: &Version, options: &Options) -> Option<CompactionPlan> {
    let runs = runs(version);
    let (start, end, trigger) = choose(&runs, options)?;
    let chosen = runs.get(start..end)?;
    let output = output_level(&runs, start, end);
    let level = chosen.first().map_or(0, |r| r.level);
    let due = Due {
        level: level as u32,
        score: runs.len() as f64 / options.l0_compaction_trigger.max(2) as f64,
        trigger,
    };
    let mut plan = plan_into(
        version,
        options,
        &due,
        chosen.iter().map(|r| Arc::clone(&r.table)).collect(),
        output,
        false,
        None,
    )?;
    // Inputs come from several levels: each keeps its own.
    plan.inputs = chosen
        .iter()
        .map(|r| (r.level as u32, Arc::clone(&r.table)))
        .collect();
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::CompactionStrategy;
    use crate::record::{internal_key, ValueKind};

    fn run(level: usize, n: u64, size_bytes: u64) -> Run {
        let key = |k: &str| internal_key(k.as_bytes(), n, ValueKind::Put);
        Run {
            level,
            table: Arc::new(TableMeta {
                file_number: n,
                size_bytes,
                entries: 1,
                smallest: key("a"),
                largest: key("z"),
                smallest_seq: n,
                largest_seq: n,
            }),
        }
    }

    fn options() -> Options {
        Options {
            compaction_strategy: CompactionStrategy::Universal,
            l0_compaction_trigger: 4,
            universal_max_size_amplification_percent: 200,
            universal_size_ratio: 1,
            universal_min_merge_width: 2,
            ..Options::default()
        }
    }

    #[test]
    fn fewer_runs_than_the_trigger_wait() {
        let runs = [run(0, 3, 10), run(0, 2, 10), run(6, 1, 100)];
        assert!(choose(&runs, &options()).is_none());
    }

    #[test]
    fn newer_runs_far_larger_than_the_oldest_merge_everything() {
        let runs = [
            run(0, 4, 100),
            run(0, 3, 100),
            run(0, 2, 100),
            run(6, 1, 100),
        ];
        let (start, end, trigger) = choose(&runs, &options()).expect("due");
        assert_eq!((start, end), (0, 4));
        assert_eq!(
            trigger,
            CompactionTrigger::SpaceAmplification {
                percent: 300,
                max_percent: 200
            }
        );
        assert_eq!(output_level(&runs, start, end), NUM_LEVELS - 1);
    }

    #[test]
    fn runs_of_similar_size_merge_and_stop_at_a_much_larger_one() {
        let runs = [
            run(0, 5, 10),
            run(0, 4, 10),
            run(0, 3, 20),
            run(4, 2, 100),
            run(6, 1, 1000),
        ];
        let (start, end, trigger) = choose(&runs, &options()).expect("due");
        assert_eq!((start, end), (0, 3), "10 + 10 ≥ 20, but 40 < 100");
        assert!(matches!(
            trigger,
            CompactionTrigger::SizeRatio { runs: 3, .. }
        ));
        assert_eq!(output_level(&runs, start, end), 3, "just above L4's run");
    }

    #[test]
    fn a_stretch_can_start_below_the_newest_run() {
        let runs = [run(0, 5, 1), run(0, 4, 50), run(0, 3, 50), run(6, 2, 1000)];
        let (start, end, _) = choose(&runs, &options()).expect("due");
        assert_eq!((start, end), (1, 3));
        assert_eq!(output_level(&runs, start, end), 5);
    }

    #[test]
    fn without_a_size_ratio_stretch_the_newest_runs_merge_to_meet_the_trigger() {
        let runs = [
            run(0, 5, 1),
            run(0, 4, 10),
            run(0, 3, 100),
            run(0, 2, 1000),
            run(6, 1, 10_000),
        ];
        let (start, end, trigger) = choose(&runs, &options()).expect("due");
        assert_eq!((start, end), (0, 2));
        assert!(matches!(
            trigger,
            CompactionTrigger::RunCount { runs: 5, .. }
        ));
        assert_eq!(
            output_level(&runs, start, end),
            0,
            "the next older run is in L0"
        );
    }
}

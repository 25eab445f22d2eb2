//! First-order amplification theory for the tree shapes Strata builds.
//!
//! Every formula the benchmarks, the docs and the visualizer draw beside a
//! measurement lives here, once, with its assumptions. They are estimates
//! for a steady state, not bounds on a particular run:
//!
//! - **Levels.** `levels` counts the levels in use *including L0*; the
//!   levels below L0 are `levels − 1`. A tree of `data_bytes` built from
//!   memtables of `memtable_bytes` needs about `⌈log_T(data / memtable)⌉`
//!   levels below L0 ([`levels_for`]).
//! - **Writes are new keys.** Write amplification assumes every write adds
//!   a key. Overwrites and deletes shrink data as merges drop old versions,
//!   so measured write amplification sits below the estimate.
//! - **Full levels.** Leveling assumes each level is `T` times the one
//!   above; static level targets and a last level that is not yet full
//!   change the measured space amplification.
//! - **Tiering's fan-in.** A size-tiered level merges when it holds `runs`
//!   runs (in Strata `l0_compaction_trigger`); that count plays the role
//!   the size ratio plays for leveling.
//!
//! Write amplification counts the flush: a byte is written once to L0 and
//! then once per rewrite. Space amplification is table bytes over live
//! bytes, ignoring per-table overheads (trailers, indexes, filters).

use crate::bloom::{optimal_hash_count, theoretical_false_positive_rate};
use crate::options::CompactionStrategy;

/// The number of levels in use, L0 included, for `data_bytes` of data
/// built from memtables of `memtable_bytes` with size ratio `size_ratio`:
/// `1 + max(1, ⌈log_T(data / memtable)⌉)` (data that fits one memtable
/// still needs L0 and one level to be compacted into). Computed with
/// integers, so exact powers of `T` land on their level count.
pub fn levels_for(data_bytes: u64, memtable_bytes: u64, size_ratio: u32) -> usize {
    let ratio = u64::from(size_ratio.max(2));
    let mut capacity = memtable_bytes.max(1);
    let mut below_l0 = 0usize;
    while capacity < data_bytes {
        capacity = capacity.saturating_mul(ratio);
        below_l0 += 1;
    }
    1 + below_l0.max(1)
}

/// Leveling's write amplification: `1 + (levels − 1)(T + 1)/2`.
///
/// The flush writes each byte once; below L0, a table merged into a level
/// `T` times larger meets on average `(T + 1) / 2` times its size of
/// overlapping data, all rewritten, once per level.
pub fn leveled_write_amp(levels: usize, size_ratio: u32) -> f64 {
    let below_l0 = levels.saturating_sub(1) as f64;
    1.0 + below_l0 * (f64::from(size_ratio) + 1.0) / 2.0
}

/// Tiering's write amplification: `levels`: the flush writes each byte
/// once, and each level below L0 rewrites it once, when its runs merge
/// into one run a level down.
pub fn tiered_write_amp(levels: usize) -> f64 {
    levels.max(1) as f64
}

/// Leveling's space amplification in the worst steady state, where every
/// level above the last holds only stale versions of keys the last level
/// has: `Σ_{i=0}^{levels−2} T^{−i}`, which tends to `T / (T − 1)`.
pub fn leveled_space_amp(levels: usize, size_ratio: u32) -> f64 {
    let t = f64::from(size_ratio.max(2));
    let below_l0 = levels.saturating_sub(1).max(1);
    (0..below_l0)
        .map(|i| t.powi(-i32::try_from(i).unwrap_or(i32::MAX)))
        .sum()
}

/// Tiering's space amplification in the worst case: `runs`, when every run
/// of the fullest level holds a version of the same keys.
pub fn tiered_space_amp(runs: usize) -> f64 {
    runs.max(1) as f64
}

/// Universal compaction's worst-case space amplification: the runs newer
/// than the oldest may hold up to `max_percent` % of its bytes before
/// everything merges, `1 + max_percent / 100` (3 at the default 200 %).
pub fn universal_space_amp(max_percent: u32) -> f64 {
    1.0 + f64::from(max_percent) / 100.0
}

/// Sorted runs a get for an absent key may probe under leveling:
/// `l0_runs + levels − 1` (each L0 table, then one table per level below).
pub fn leveled_runs_probed(levels: usize, l0_runs: usize) -> f64 {
    (l0_runs + levels.saturating_sub(1)) as f64
}

/// Sorted runs a get for an absent key may probe under tiering, at most:
/// `levels × runs` (every level full of runs, L0 included).
pub fn tiered_runs_probed(levels: usize, runs: usize) -> f64 {
    (levels.max(1) * runs.max(1)) as f64
}

/// The bloom filter's false-positive rate `(1 − e^(−k/b))^k` for `b` bits
/// per key with the engine's own probe count `k` (see
/// [`optimal_hash_count`]: `round(b · ln 2)`, clamped to `1..=30`). With
/// no bits a table has no filter and every probe reads: the rate is 1.
pub fn bloom_false_positive_rate(bits_per_key: u32) -> f64 {
    if bits_per_key == 0 {
        return 1.0;
    }
    theoretical_false_positive_rate(f64::from(bits_per_key), optimal_hash_count(bits_per_key))
}

/// Expected data blocks an absent get reads: one per run it probes whose
/// filter says "maybe", `runs_probed × fp_rate`.
pub fn absent_get_blocks(runs_probed: f64, bits_per_key: u32) -> f64 {
    runs_probed * bloom_false_positive_rate(bits_per_key)
}

/// What the theory predicts for one configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// Write amplification.
    pub write_amp: f64,
    /// Space amplification.
    pub space_amp: f64,
    /// Runs an absent get probes.
    pub runs_probed: f64,
    /// Data blocks an absent get reads.
    pub absent_blocks: f64,
}

/// The tree a prediction is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// The compaction strategy.
    pub strategy: CompactionStrategy,
    /// Levels in use, L0 included.
    pub levels: usize,
    /// Leveling's size ratio `T` (`level_size_ratio`).
    pub size_ratio: u32,
    /// Runs a tiered level (or L0) collects before it merges
    /// (`l0_compaction_trigger`).
    pub runs: usize,
    /// Bloom filter bits per key.
    pub bloom_bits_per_key: u32,
}

/// The prediction for `shape`. Hybrid tiers L0 and L1 and levels below:
/// tiering's writes and runs for L0 and L1, leveling's below; its space is
/// leveling's, as the tiered levels are small next to the leveled ones.
/// Universal: tiering's writes (runs of similar size merge, so a byte is
/// rewritten about once per level's worth of growth), the space its
/// space-amplification trigger allows at its default, and at most `runs`
/// runs (`l0_compaction_trigger`) to probe.
pub fn predict(shape: &Shape) -> Prediction {
    let Shape {
        strategy,
        levels,
        size_ratio,
        runs,
        bloom_bits_per_key,
    } = *shape;
    let (write_amp, space_amp, runs_probed) = match strategy {
        CompactionStrategy::Leveled => (
            leveled_write_amp(levels, size_ratio),
            leveled_space_amp(levels, size_ratio),
            leveled_runs_probed(levels, runs),
        ),
        CompactionStrategy::SizeTiered => (
            tiered_write_amp(levels),
            tiered_space_amp(runs),
            tiered_runs_probed(levels, runs),
        ),
        CompactionStrategy::Universal => (
            tiered_write_amp(levels),
            universal_space_amp(
                crate::options::Options::default().universal_max_size_amplification_percent,
            ),
            runs as f64,
        ),
        CompactionStrategy::Hybrid => {
            let tiered_levels = levels.min(2);
            let leveled_levels = levels.saturating_sub(tiered_levels);
            (
                tiered_write_amp(tiered_levels) + leveled_write_amp(leveled_levels + 1, size_ratio)
                    - 1.0,
                leveled_space_amp(levels, size_ratio),
                tiered_runs_probed(tiered_levels, runs) + leveled_levels as f64,
            )
        }
    };
    Prediction {
        write_amp,
        space_amp,
        runs_probed,
        absent_blocks: absent_get_blocks(runs_probed, bloom_bits_per_key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn levels_follow_the_log_of_data_over_memtable() {
        assert_eq!(levels_for(100 << 20, 1 << 20, 10), 3);
        assert_eq!(levels_for((100 << 20) + 1, 1 << 20, 10), 4);
        assert_eq!(levels_for(1 << 20, 1 << 20, 10), 2);
        assert_eq!(levels_for(0, 1 << 20, 10), 2);
        assert_eq!(levels_for(64 << 10, 1 << 10, 4), 4);
    }

    #[test]
    fn leveled_costs_match_known_values() {
        assert!(close(leveled_write_amp(1, 10), 1.0));
        assert!(close(leveled_write_amp(4, 10), 17.5));
        assert!(close(leveled_write_amp(2, 4), 3.5));
        assert!(close(leveled_space_amp(2, 10), 1.0));
        assert!(close(leveled_space_amp(3, 10), 1.1));
        assert!((leveled_space_amp(40, 10) - 10.0 / 9.0).abs() < 1e-12);
        assert!(close(leveled_runs_probed(4, 3), 6.0));
    }

    #[test]
    fn tiered_costs_match_known_values() {
        assert!(close(tiered_write_amp(5), 5.0));
        assert!(close(tiered_space_amp(4), 4.0));
        assert!(close(tiered_runs_probed(3, 4), 12.0));
    }

    #[test]
    fn bloom_rate_uses_the_engines_probe_count() {
        // 10 bits per key: k = round(6.93) = 7, about 0.82 %.
        assert!((bloom_false_positive_rate(10) - 0.008_19).abs() < 1e-4);
        // 5 bits: k = 3, about 9.2 %.
        assert!((bloom_false_positive_rate(5) - 0.0918).abs() < 1e-3);
        assert!(close(bloom_false_positive_rate(0), 1.0));
        assert!(close(absent_get_blocks(4.0, 0), 4.0));
    }

    #[test]
    fn more_bits_never_raise_the_false_positive_rate() {
        let rates: Vec<f64> = (0..=30).map(bloom_false_positive_rate).collect();
        assert!(
            rates.windows(2).all(|w| matches!(w, [a, b] if b <= a)),
            "{rates:?}"
        );
        assert!(rates.iter().all(|r| (0.0..=1.0).contains(r)));
    }

    #[test]
    fn costs_grow_with_levels_and_ratio() {
        for levels in 1..8 {
            assert!(leveled_write_amp(levels + 1, 10) > leveled_write_amp(levels, 10));
            assert!(tiered_write_amp(levels + 1) > tiered_write_amp(levels));
            assert!(leveled_space_amp(levels + 1, 10) >= leveled_space_amp(levels, 10));
            for t in 2..12 {
                assert!(leveled_write_amp(levels + 1, t + 1) > leveled_write_amp(levels + 1, t));
                // A larger ratio leaves less data in the upper levels.
                assert!(leveled_space_amp(levels + 2, t + 1) < leveled_space_amp(levels + 2, t));
            }
        }
        for data in [1u64 << 20, 1 << 25, 1 << 30] {
            assert!(levels_for(data * 8, 1 << 20, 4) >= levels_for(data, 1 << 20, 4));
            assert!(levels_for(data, 1 << 20, 10) <= levels_for(data, 1 << 20, 4));
        }
    }

    #[test]
    fn tiering_trades_writes_for_space_and_reads() {
        let shape = |strategy| Shape {
            strategy,
            levels: 4,
            size_ratio: 10,
            runs: 4,
            bloom_bits_per_key: 10,
        };
        let leveled = predict(&shape(CompactionStrategy::Leveled));
        let tiered = predict(&shape(CompactionStrategy::SizeTiered));
        let hybrid = predict(&shape(CompactionStrategy::Hybrid));
        assert!(close(leveled.write_amp, 17.5));
        assert!(close(tiered.write_amp, 4.0));
        assert!(tiered.write_amp < hybrid.write_amp && hybrid.write_amp < leveled.write_amp);
        assert!(tiered.space_amp > leveled.space_amp);
        assert!(tiered.runs_probed > leveled.runs_probed);
        assert!(close(
            tiered.absent_blocks,
            16.0 * bloom_false_positive_rate(10)
        ));
    }
}

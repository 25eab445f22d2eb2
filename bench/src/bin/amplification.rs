//! `amplification`: write, read and space amplification of each compaction
//! strategy on a deterministic overwrite workload, next to what the
//! first-order theory predicts for the level ratio.
//!
//! ```text
//! cargo run --release -p strata-bench --bin amplification -- [--ops N] [--keys K]
//! ```
//!
//! Default: 1,000,000 overwrites of 100-byte values over 100,000 16-byte
//! keys, uniform and skewed (80 % of writes to 20 % of keys), in memory.

use std::sync::Arc;

use anyhow::{bail, Context, Result};
use strata_engine::theory::{predict, Prediction, Shape};
use strata_engine::{CompactionStrategy, Db, MaintenanceMode, Options, Stats};
use strata_storage::MemStorage;

struct Config {
    ops: u64,
    keys: u64,
    memtable_kib: u64,
    base_kib: u64,
}

fn parse_args() -> Result<Config> {
    let mut config = Config {
        ops: 1_000_000,
        keys: 100_000,
        memtable_kib: 4096,
        base_kib: 10240,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64> {
            Ok(args
                .next()
                .with_context(|| format!("{name} needs a number"))?
                .parse()?)
        };
        match arg.as_str() {
            "--ops" => config.ops = number("--ops")?,
            "--keys" => config.keys = number("--keys")?.max(1),
            "--memtable-kib" => config.memtable_kib = number("--memtable-kib")?,
            "--base-kib" => config.base_kib = number("--base-kib")?,
            "--help" | "-h" => {
                println!("amplification [--ops N] [--keys K] [--memtable-kib M] [--base-kib B]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(config)
}

/// SplitMix64: the workload is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[derive(Clone, Copy, Debug)]
enum Distribution {
    Uniform,
    /// 80 % of operations go to the first 20 % of keys.
    Skewed,
}

fn pick_key(rng: &mut Rng, keys: u64, dist: Distribution) -> u64 {
    match dist {
        Distribution::Uniform => rng.next() % keys,
        Distribution::Skewed => {
            let hot = (keys / 5).max(1);
            if rng.next() % 10 < 8 {
                rng.next() % hot
            } else {
                hot + rng.next() % (keys - hot).max(1)
            }
        }
    }
}

fn key(i: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    k[8..].copy_from_slice(&i.to_be_bytes());
    k
}

struct Row {
    stats: Stats,
    space_amp: f64,
    ra_present_tables: f64,
    ra_present_blocks: f64,
    ra_absent_tables: f64,
    ra_absent_blocks: f64,
    levels_used: usize,
}

/// A strategy as run (leveled with static or dynamic level targets).
#[derive(Clone, Copy, Debug)]
struct Variant {
    strategy: CompactionStrategy,
    dynamic_levels: bool,
}

impl Variant {
    const ALL: [Variant; 5] = [
        Variant::of(CompactionStrategy::Leveled, false),
        Variant::of(CompactionStrategy::Leveled, true),
        Variant::of(CompactionStrategy::SizeTiered, false),
        Variant::of(CompactionStrategy::Hybrid, false),
        Variant::of(CompactionStrategy::Universal, false),
    ];

    const fn of(strategy: CompactionStrategy, dynamic_levels: bool) -> Self {
        Self {
            strategy,
            dynamic_levels,
        }
    }

    fn name(self) -> String {
        match self.dynamic_levels {
            true => format!("{:?} (dynamic levels)", self.strategy),
            false => format!("{:?}", self.strategy),
        }
    }
}

fn measure(config: &Config, variant: Variant, dist: Distribution) -> Result<Row> {
    let options = Options {
        compaction_strategy: variant.strategy,
        level_compaction_dynamic_level_bytes: variant.dynamic_levels,
        maintenance: MaintenanceMode::Inline,
        memtable_bytes_max: usize::try_from(config.memtable_kib << 10)?,
        level_base_bytes: config.base_kib << 10,
        target_file_size_bytes: (config.base_kib << 10).div_ceil(5).max(1024),
        ..Options::deterministic()
    };
    let db = Db::open(Arc::new(MemStorage::new()), options)?;
    let mut rng = Rng(42);
    let mut value = [0u8; 100];
    for op in 0..config.ops {
        value[..8].copy_from_slice(&op.to_le_bytes());
        db.put(key(pick_key(&mut rng, config.keys, dist)), value)?;
    }
    let stats = db.stats();
    let live = db.live_data_bytes()?;
    let space_amp = stats.space_amplification(live);
    let gets = 20_000u64;
    let (t0, b0, g0) = (stats.tables_probed, stats.blocks_read, stats.gets);
    for _ in 0..gets {
        db.get(key(rng.next() % config.keys))?;
    }
    let after_present = db.stats();
    for _ in 0..gets {
        db.get(key(config.keys + rng.next() % config.keys))?;
    }
    let after_absent = db.stats();
    let per = |a: u64, b: u64| (a - b) as f64 / gets as f64;
    let _ = g0;
    Ok(Row {
        levels_used: after_absent.levels.iter().filter(|l| l.tables > 0).count(),
        ra_present_tables: per(after_present.tables_probed, t0),
        ra_present_blocks: per(after_present.blocks_read, b0),
        ra_absent_tables: per(after_absent.tables_probed, after_present.tables_probed),
        ra_absent_blocks: per(after_absent.blocks_read, after_present.blocks_read),
        stats,
        space_amp,
    })
}

/// What `strata_engine::theory` predicts for `strategy` with the levels
/// the run used, the level ratio and L0 trigger of [`measure`]'s options.
fn theory(strategy: CompactionStrategy, levels: usize) -> Prediction {
    let options = Options::deterministic();
    predict(&Shape {
        strategy,
        levels,
        size_ratio: options.level_size_ratio,
        runs: options.l0_compaction_trigger,
        bloom_bits_per_key: options.bloom_bits_per_key,
    })
}

fn main() -> Result<()> {
    let config = parse_args()?;
    println!(
        "amplification: {} overwrites over {} keys (16-byte keys, 100-byte values), level ratio 10, L0 trigger 4, memtable {} KiB, L1 target {} KiB, in memory",
        config.ops, config.keys, config.memtable_kib, config.base_kib
    );
    println!(
        "| workload | strategy | levels used | WA | WA theory | SA | SA theory | RA get (tables/blocks) | RA absent (tables/blocks) | RA absent theory (runs/blocks) | compactions |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for dist in [Distribution::Uniform, Distribution::Skewed] {
        for variant in Variant::ALL {
            let row = measure(&config, variant, dist)?;
            let predicted = theory(variant.strategy, row.levels_used);
            let strategy = variant.name();
            let compactions: u64 = row.stats.levels.iter().map(|l| l.compactions).sum();
            println!(
                "| {dist:?} | {strategy} | {} | {:.2} | ≈{:.1} | {:.2} | ≈{:.2} | {:.2} / {:.2} | {:.2} / {:.3} | ≤{:.0} / {:.3} | {} |",
                row.levels_used,
                row.stats.write_amplification(),
                predicted.write_amp,
                row.space_amp,
                predicted.space_amp,
                row.ra_present_tables,
                row.ra_present_blocks,
                row.ra_absent_tables,
                row.ra_absent_blocks,
                predicted.runs_probed,
                predicted.absent_blocks,
                compactions,
            );
        }
    }
    Ok(())
}

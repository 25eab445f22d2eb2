//! `peers`: Strata side by side with fjall, redb and (feature `rocksdb`)
//! RocksDB, on db_bench-style workloads and on qlsm's seed workload.
//!
//! ```text
//! cargo run --release -p strata-bench-peers [--features rocksdb] -- [options]
//! ```
//! Run with `--help` for the options.

mod dbbench;
mod engine;
mod engines;
mod keys;
mod measure;
mod qlsm;
mod report;
mod strata_cache;
mod threads;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use engine::{EngineConfig, Kind};

const HELP: &str = "\
peers [options]
  --suite dbbench|qlsm|threads|all
                             what to run (default dbbench); threads: the
                             many-thread workloads (1/2/4 readers, 2 writers,
                             4 synced writers)
  --defaults                 every engine with its own default options (only
                             --sync and redb's write grouping still apply)
  --engines a,b,..           strata,fjall,rocksdb,redb (default: all built in)
  --num N                    db_bench entries (default 1000000)
  --reads N                  reads / seeks per read workload (default --num)
  --value-size N             bytes per value (default 100)
  --seek-nexts N             entries read after each seek (default 10)
  --sync                     also run fillsync (num/1000 synced writes)
  --scale F                  qlsm: fraction of the 26^5 keys (default 0.01)
  --full                     qlsm: all 11,881,376 keys (--scale 1)
  --cache-mib N              block/page cache budget per engine (default 8)
  --memtable-mib N           memtable / write buffer size (default 4)
  --strata-maintenance M     background (default) or inline
  --strata-l0-slowdown N     Strata: L0 tables that slow writers (default: Options')
  --strata-l0-stop N         Strata: L0 tables that stop writers (default: Options')
  --strata-jobs N            Strata: background threads (default: Options', 2)
  --strata-subcompactions N  Strata: parts a compaction may be split into
                             (default: Options', 2)
  --strata-mapped-files N    Strata: table files read through a memory map
                             (default: FsStorage's, 1000; 0: all with pread)
  --redb-writes-per-txn N    redb: writes per transaction (default 1000)
  --dir PATH                 where databases are created (default: temp dir)
  --out FILE                 also append the markdown tables to FILE
  --repeat N                 run everything N times (engines interleaved),
                             keep each workload's fastest run (default 1)
  --seed N                   key order seed (default 1)";

struct Args {
    suite: String,
    engines: Vec<Kind>,
    params: dbbench::Params,
    scale: f64,
    config: EngineConfig,
    dir: PathBuf,
    out: Option<PathBuf>,
    repeat: usize,
}

fn value<T: std::str::FromStr>(it: &mut impl Iterator<Item = String>, flag: &str) -> Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let v = it.next().with_context(|| format!("{flag} needs a value"))?;
    v.parse()
        .with_context(|| format!("bad value {v:?} for {flag}"))
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        suite: "dbbench".into(),
        engines: [Kind::Strata, Kind::Fjall, Kind::Rocksdb, Kind::Redb]
            .into_iter()
            .filter(|k| k.available())
            .collect(),
        params: dbbench::Params {
            num: 1_000_000,
            reads: 0,
            value_size: 100,
            seek_nexts: 10,
            sync: false,
            seed: 1,
        },
        scale: 0.01,
        config: EngineConfig {
            cache_bytes: 8 << 20,
            memtable_bytes: 4 << 20,
            sync: false,
            strata_background: true,
            strata_l0_slowdown: None,
            strata_l0_stop: None,
            strata_jobs: None,
            strata_subcompactions: None,
            strata_mapped_files: None,
            redb_writes_per_txn: 1000,
            defaults: false,
        },
        dir: std::env::temp_dir(),
        out: None,
        repeat: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let f = flag.as_str();
        match f {
            "--suite" => a.suite = value(&mut it, f)?,
            "--engines" => {
                let list: String = value(&mut it, f)?;
                a.engines = list
                    .split(',')
                    .map(|s| Kind::parse(s).with_context(|| format!("unknown engine {s:?}")))
                    .collect::<Result<_>>()?;
            }
            "--num" => a.params.num = value(&mut it, f)?,
            "--reads" => a.params.reads = value(&mut it, f)?,
            "--value-size" => a.params.value_size = value(&mut it, f)?,
            "--seek-nexts" => a.params.seek_nexts = value(&mut it, f)?,
            "--sync" => a.params.sync = true,
            "--defaults" => a.config.defaults = true,
            "--scale" => a.scale = value(&mut it, f)?,
            "--full" => a.scale = 1.0,
            "--cache-mib" => a.config.cache_bytes = value::<usize>(&mut it, f)? << 20,
            "--memtable-mib" => a.config.memtable_bytes = value::<usize>(&mut it, f)? << 20,
            "--strata-maintenance" => {
                let m: String = value(&mut it, f)?;
                a.config.strata_background = match m.as_str() {
                    "background" => true,
                    "inline" => false,
                    _ => bail!("--strata-maintenance is background or inline"),
                };
            }
            "--strata-l0-slowdown" => a.config.strata_l0_slowdown = Some(value(&mut it, f)?),
            "--strata-l0-stop" => a.config.strata_l0_stop = Some(value(&mut it, f)?),
            "--strata-jobs" => a.config.strata_jobs = Some(value(&mut it, f)?),
            "--strata-mapped-files" => a.config.strata_mapped_files = Some(value(&mut it, f)?),
            "--strata-subcompactions" => {
                a.config.strata_subcompactions = Some(value(&mut it, f)?);
            }
            "--redb-writes-per-txn" => a.config.redb_writes_per_txn = value(&mut it, f)?,
            "--dir" => a.dir = value(&mut it, f)?,
            "--out" => a.out = Some(value(&mut it, f)?),
            "--repeat" => a.repeat = value::<usize>(&mut it, f)?.max(1),
            "--seed" => a.params.seed = value(&mut it, f)?,
            "--help" | "-h" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            _ => bail!("unknown argument {flag:?} (try --help)"),
        }
    }
    if a.params.reads == 0 {
        a.params.reads = a.params.num;
    }
    if !(a.scale > 0.0 && a.scale <= 1.0) {
        bail!("--scale must be within (0, 1]");
    }
    for k in &a.engines {
        if !k.available() {
            bail!("{} needs `--features rocksdb`", k.name());
        }
    }
    Ok(a)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    if !["dbbench", "qlsm", "threads", "all"].contains(&args.suite.as_str()) {
        bail!("--suite is dbbench, qlsm, threads or all");
    }
    if args.config.defaults {
        eprintln!("every engine with its own default options");
    }
    let mut markdown = String::new();
    if args.suite == "dbbench" || args.suite == "all" {
        let p = &args.params;
        eprintln!(
            "db_bench: {} entries, 16-byte keys, {}-byte values, {} reads",
            p.num, p.value_size, p.reads
        );
        let mut all = Vec::new();
        for round in 0..args.repeat {
            for &kind in &args.engines {
                eprintln!("round {} of {}: {}", round + 1, args.repeat, kind.name());
                all.extend(dbbench::run(kind, &args.dir, &args.config, p)?);
            }
        }
        markdown += &report::dbbench(&measure::fastest(all));
    }
    if args.suite == "qlsm" || args.suite == "all" {
        let keys = ((qlsm::FULL_KEYS as f64) * args.scale).round().max(1.0) as u64;
        eprintln!("qlsm: {keys} keys (scale {})", args.scale);
        let mut all = Vec::new();
        for _ in 0..args.repeat {
            for &kind in &args.engines {
                all.extend(qlsm::run(kind, &args.dir, &args.config, keys)?);
            }
        }
        let all = measure::fastest(all);
        if !markdown.is_empty() {
            markdown.push('\n');
        }
        markdown += &report::qlsm(&all, args.scale);
    }
    if args.suite == "threads" || args.suite == "all" {
        let p = &args.params;
        eprintln!("threads: {} entries, {} reads", p.num, p.reads);
        let mut all = Vec::new();
        for round in 0..args.repeat {
            for &kind in &args.engines {
                eprintln!("round {} of {}: {}", round + 1, args.repeat, kind.name());
                all.extend(threads::run(kind, &args.dir, &args.config, p)?);
            }
        }
        if !markdown.is_empty() {
            markdown.push('\n');
        }
        markdown += &report::threads(&measure::fastest(all));
    }
    print!("{markdown}");
    if let Some(path) = &args.out {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(f, "{markdown}")?;
    }
    Ok(())
}

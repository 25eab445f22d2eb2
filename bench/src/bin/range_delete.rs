//! `range_delete`: what deleting a range of 100 000 keys costs with one
//! range tombstone against one point delete per key, and what a scan over
//! the deleted range costs before and after a full compaction, against a
//! scan over a range that never held a key.
//!
//! ```text
//! cargo run --release -p strata-bench --bin range_delete -- [--keys N] [--backend mem|fs]
//! ```
//!
//! Both databases hold `2N` keys, compacted into tables; the middle `N`
//! are deleted. Log bytes come from `Stats::wal_bytes_written`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use strata_engine::{Db, Options};
use strata_storage::{FsStorage, MemStorage, Storage};

/// Scans timed per case (each a fresh iterator run to its end): few over
/// a range of uncompacted tombstones, many over an empty one.
const SLOW_SCANS: u32 = 5;
const FAST_SCANS: u32 = 2000;

struct Config {
    keys: u64,
    backend: String,
}

fn parse_args() -> Result<Config> {
    let mut config = Config {
        keys: 100_000,
        backend: "mem".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--keys" => config.keys = args.next().context("--keys needs a number")?.parse()?,
            "--backend" => config.backend = args.next().context("--backend needs mem or fs")?,
            "--help" | "-h" => {
                println!("range_delete [--keys N] [--backend mem|fs]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(config)
}

fn key(i: u64) -> Vec<u8> {
    format!("key{i:010}").into_bytes()
}

fn open(backend: &str, dir: &tempfile::TempDir) -> Result<Db> {
    let storage: Arc<dyn Storage> = match backend {
        "mem" => Arc::new(MemStorage::new()),
        "fs" => Arc::new(FsStorage::open(dir.path())?),
        other => bail!("unknown backend {other:?}"),
    };
    Ok(Db::open(storage, Options::default())?)
}

/// A database holding keys `0..2n`, compacted down.
fn loaded(config: &Config, dir: &tempfile::TempDir) -> Result<Db> {
    let db = open(&config.backend, dir)?;
    for i in 0..2 * config.keys {
        db.put(key(i), [b'v'; 64])?;
    }
    db.compact_range::<&[u8]>(..)?;
    Ok(db)
}

/// Mean time of one scan over `[start, end)` run to its end, and what it
/// returned.
fn time_scan(db: &Db, start: &[u8], end: &[u8], scans: u32) -> Result<(Duration, usize)> {
    let mut found = 0;
    let began = Instant::now();
    for _ in 0..scans {
        found = db.scan(start..end)?.count();
    }
    Ok((began.elapsed() / scans, found))
}

struct Deleted {
    log_bytes: u64,
    took: Duration,
}

fn delete(db: &Db, config: &Config, ranged: bool) -> Result<Deleted> {
    let (first, end) = (config.keys / 2, config.keys / 2 + config.keys);
    let before = db.stats().wal_bytes_written;
    let began = Instant::now();
    if ranged {
        db.delete_range(key(first), key(end))?;
    } else {
        for i in first..end {
            db.delete(key(i))?;
        }
    }
    let took = began.elapsed();
    Ok(Deleted {
        log_bytes: db.stats().wal_bytes_written - before,
        took,
    })
}

fn main() -> Result<()> {
    let config = parse_args()?;
    let (first, end) = (key(config.keys / 2), key(config.keys / 2 + config.keys));
    // A range between two neighbouring keys: it never held a key.
    let (empty_start, empty_end) = (
        [key(7).as_slice(), b"a"].concat(),
        [key(7).as_slice(), b"z"].concat(),
    );
    println!(
        "range_delete: {} keys of {} deleted, backend {}",
        config.keys,
        2 * config.keys,
        config.backend
    );
    println!(
        "{:<14} {:>14} {:>12} {:>16} {:>16} {:>16}",
        "delete by", "log bytes", "time", "scan before", "scan after", "scan empty"
    );
    for ranged in [false, true] {
        let dir = tempfile::tempdir()?;
        let db = loaded(&config, &dir)?;
        let deleted = delete(&db, &config, ranged)?;
        let (before, n) = time_scan(&db, &first, &end, SLOW_SCANS)?;
        ensure!(n == 0, "{n} deleted keys visible");
        db.compact_range::<&[u8]>(..)?;
        let (after, n) = time_scan(&db, &first, &end, FAST_SCANS)?;
        ensure!(n == 0, "{n} deleted keys visible after compaction");
        let (empty, n) = time_scan(&db, &empty_start, &empty_end, FAST_SCANS)?;
        ensure!(n == 0, "the empty range holds {n} keys");
        let live = db.scan::<&[u8]>(..)?.count() as u64;
        ensure!(live == config.keys, "{live} keys live, not {}", config.keys);
        let name = if ranged {
            "range tomb."
        } else {
            "point deletes"
        };
        println!(
            "{name:<14} {:>14} {:>12.3?} {:>16.3?} {:>16.3?} {:>16.3?}",
            deleted.log_bytes, deleted.took, before, after, empty
        );
    }
    Ok(())
}

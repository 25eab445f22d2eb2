//! Strata's read workloads on a fixed tree, repeated: for before/after
//! comparisons of the read path on a busy machine.
//!
//! The tree is built once with inline maintenance (the same shape on every
//! run of the same build), then every read workload runs `--rounds` times;
//! the fastest round of each is reported, in CPU and wall micros per op.
//!
//! `readloop [--num N] [--rounds R] [--qlsm N]`

use std::sync::Arc;
use std::time::Instant;

use anyhow::{ensure, Result};
use strata_engine::{Db, MaintenanceMode, Options};
use strata_storage::FsStorage;

#[path = "../keys.rs"]
#[allow(dead_code)]
mod keys;

use keys::{db_key, missing_key, Rng};

fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit(')').next()?.to_owned();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Runs `body` (which does `ops` operations) `rounds` times; prints the best.
/// With `STRATA_READLOOP_ONLY` set, only workloads whose name starts with
/// its value run (to profile one of them).
fn timed(name: &str, rounds: usize, ops: u64, mut body: impl FnMut() -> Result<()>) -> Result<()> {
    if let Ok(only) = std::env::var("STRATA_READLOOP_ONLY") {
        if !name.starts_with(&only) {
            return Ok(());
        }
    }
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let (t, c) = (Instant::now(), cpu_seconds());
        body()?;
        best_wall = best_wall.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c);
    }
    let per = |s: f64| s * 1e6 / ops as f64;
    println!(
        "{name:<24} wall {:>8.3} µs/op   cpu {:>8.3} µs/op",
        per(best_wall),
        per(best_cpu)
    );
    Ok(())
}

fn open(dir: &std::path::Path) -> Result<Db> {
    let options = Options {
        maintenance: MaintenanceMode::Inline,
        ..Options::default()
    };
    let mut storage = FsStorage::open(dir)?;
    if let Some(files_max) = std::env::var("STRATA_READLOOP_MAPPED_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        storage = storage.with_mapped_files_max(files_max);
    }
    Ok(Db::open(Arc::new(storage), options)?)
}

fn random_suite(num: u64, rounds: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open(dir.path())?;
    let mut rng = Rng::new(1);
    let mut order: Vec<u64> = (0..num).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let value = vec![7u8; 100];
    for &i in &order {
        db.put(db_key(i), &value)?;
    }
    timed("readrandom", rounds, num, || {
        let mut rng = Rng::new(2);
        for _ in 0..num {
            ensure!(db.get(db_key(rng.below(num)))?.is_some());
        }
        Ok(())
    })?;
    timed("readmissing", rounds, num, || {
        let mut rng = Rng::new(3);
        for _ in 0..num {
            ensure!(db.get(missing_key(rng.below(num)))?.is_none());
        }
        Ok(())
    })?;
    let seeks = num / 4;
    timed("seekrandom (10 nexts)", rounds, seeks, || {
        let mut rng = Rng::new(4);
        for _ in 0..seeks {
            let n = db.scan(db_key(rng.below(num))..)?.take(10).count();
            ensure!(n > 0);
        }
        Ok(())
    })?;
    timed("readseq", rounds, num, || {
        ensure!(db.scan::<&[u8]>(..)?.count() as u64 == num);
        Ok(())
    })
}

fn qlsm_key(mut i: u64) -> [u8; 5] {
    let mut k = [b'a'; 5];
    for slot in k.iter_mut().rev() {
        *slot = b'a' + (i % 26) as u8;
        i /= 26;
    }
    k
}

fn qlsm_suite(keys: u64, rounds: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open(dir.path())?;
    let value = br#"{"A":1,"B":2,"C":3,"D":"abcdefghijklmnopqrstuvwxyz"}"#;
    for i in 0..keys {
        db.put(qlsm_key(i), value)?;
    }
    timed("qlsm query all", rounds, keys, || {
        for i in 0..keys {
            ensure!(db.get(qlsm_key(i))?.is_some());
        }
        Ok(())
    })?;
    for i in 0..keys {
        db.delete(qlsm_key(i))?;
    }
    timed("qlsm query absent", rounds, keys, || {
        for i in 0..keys {
            ensure!(db.get(qlsm_key(i))?.is_none());
        }
        Ok(())
    })
}

const USAGE: &str = "readloop [--num N] [--rounds R] [--qlsm N]
  --num N      random keys: build a tree of N entries, then repeat readrandom,
               readmissing, seekrandom and readseq on it (default: skip)
  --rounds R   rounds per workload; the fastest is reported (default 3)
  --qlsm N     insert the first N five-letter keys in order, then repeat
               query all; delete them all, then repeat query absent
               (default: skip)
STRATA_READLOOP_ONLY=NAME runs only the workloads whose name starts with NAME
STRATA_READLOOP_MAPPED_FILES=N maps at most N table files (0: read with pread)";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut num, mut rounds, mut qlsm) = (0u64, 3usize, 0u64);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let text = args.next().unwrap_or_default();
        let value: u64 = text
            .parse()
            .map_err(|_| anyhow::anyhow!("{flag} needs a whole number, not {text:?}\n{USAGE}"))?;
        match flag.as_str() {
            "--num" => num = value,
            "--rounds" => rounds = usize::try_from(value.max(1))?,
            "--qlsm" => qlsm = value,
            other => anyhow::bail!("unknown flag {other}\n{USAGE}"),
        }
    }
    if num == 0 && qlsm == 0 {
        anyhow::bail!("nothing to run: give --num or --qlsm\n{USAGE}");
    }
    if num > 0 {
        random_suite(num, rounds)?;
    }
    if qlsm > 0 {
        qlsm_suite(qlsm, rounds)?;
    }
    Ok(())
}

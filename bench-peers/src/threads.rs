//! Many-thread workloads: how each engine scales with threads.
//!
//! Per engine:
//! - `fillrandom`, 1 and 2 writers: every key once, random order, the
//!   permutation split between the writers (each in a fresh database).
//! - on the 1-writer database: `readrandom` with each thread count
//!   (`reads` gets in all, split between the threads), then
//!   `readwhilewriting` with each reader count: one writer overwrites
//!   random keys for as long as the readers read; the readers' gets are
//!   what is timed (db_bench's figure), the writer's puts are a row of
//!   their own.
//! - `fillsync`, 1 and 4 writers: `num / 1000` (at least 1000) random
//!   puts in all, each synced before it returns (fresh databases).
//!
//! Every figure is aggregate: wall time over all threads' operations.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::{ensure, Context, Result};

use crate::dbbench::Params;
use crate::engine::{Engine, EngineConfig, Handle, Kind};
use crate::keys::{db_key, Rng, Values};
use crate::measure::{Measurement, Timer};

/// Thread counts of the read workloads.
pub const READERS: [usize; 3] = [1, 2, 4];
/// Writer counts of `fillrandom`.
const FILL_WRITERS: [usize; 2] = [1, 2];
/// Writer counts of `fillsync`.
const SYNC_WRITERS: [usize; 2] = [1, 4];

/// Runs the many-thread workloads on `kind`.
pub fn run(kind: Kind, root: &Path, config: &EngineConfig, p: &Params) -> Result<Vec<Measurement>> {
    let values = Values::new(p.value_size, p.seed);
    let mut run = Run {
        kind,
        values: &values,
        p,
        out: Vec::new(),
    };
    let order = Rng::new(p.seed).permutation(p.num);
    for writers in FILL_WRITERS {
        let dir = tempfile::tempdir_in(root)?;
        let mut db = kind.open(dir.path(), config)?;
        run.fill("fillrandom", db.as_mut(), &order, writers)?;
        if writers == 1 {
            for readers in READERS {
                run.readrandom(db.as_mut(), readers)?;
            }
            for readers in READERS {
                run.readwhilewriting(db.as_mut(), readers)?;
            }
        }
        db.close()?;
    }
    let sync = EngineConfig {
        sync: true,
        ..config.clone()
    };
    let n = (p.num / 1000).max(1000);
    let order = Rng::new(p.seed ^ 5).permutation(n);
    for writers in SYNC_WRITERS {
        let dir = tempfile::tempdir_in(root)?;
        let mut db = kind.open(dir.path(), &sync)?;
        run.fill("fillsync", db.as_mut(), &order, writers)?;
        db.close()?;
    }
    Ok(run.out)
}

struct Run<'a> {
    kind: Kind,
    values: &'a Values,
    p: &'a Params,
    out: Vec<Measurement>,
}

/// Runs `work(thread index, handle)` on `threads` threads, each with its
/// own handle; returns the sum of what they return.
fn on_threads<F>(db: &mut dyn Engine, threads: usize, work: F) -> Result<u64>
where
    F: Fn(usize, &mut dyn Handle) -> Result<u64> + Sync,
{
    let mut handles = Vec::with_capacity(threads);
    for _ in 0..threads {
        handles.push(db.handle()?);
    }
    std::thread::scope(|s| {
        let work = &work;
        let joins: Vec<_> = handles
            .into_iter()
            .enumerate()
            .map(|(i, mut h)| {
                s.spawn(move || -> Result<u64> {
                    let n = work(i, h.as_mut())?;
                    h.finish()?;
                    Ok(n)
                })
            })
            .collect();
        let mut total = 0;
        for j in joins {
            total += j
                .join()
                .map_err(|_| anyhow::anyhow!("a workload thread panicked"))??;
        }
        Ok(total)
    })
}

impl Run<'_> {
    fn record(&mut self, workload: String, threads: usize, ops: u64, t: &Timer, bytes: u64) {
        let secs = t.secs();
        eprintln!(
            "  {:<8} {:<34} {:>10.3} micros/op",
            self.kind.name(),
            workload,
            secs * 1e6 / ops.max(1) as f64
        );
        self.out.push(Measurement {
            workload,
            engine: self.kind,
            ops,
            secs,
            cpu_secs: t.cpu_secs(),
            bytes,
            process_write_amp: t.write_amp(bytes),
            engine_write_amp: None,
            disk_bytes: None,
            peak_rss_bytes: t.peak_rss_bytes(),
            threads,
        });
    }

    /// Puts every key of `order` once, split between `writers` threads.
    fn fill(
        &mut self,
        name: &str,
        db: &mut dyn Engine,
        order: &[u64],
        writers: usize,
    ) -> Result<()> {
        let values = self.values;
        let chunk = order.len().div_ceil(writers).max(1);
        let t = Timer::start();
        let n = on_threads(db, writers, |i, h| {
            let mine = order.chunks(chunk).nth(i).unwrap_or(&[]);
            for &k in mine {
                h.put(&db_key(k), values.get(k))?;
            }
            Ok(mine.len() as u64)
        })?;
        ensure!(n == order.len() as u64, "{name}: wrote {n} keys");
        let bytes = n * (16 + values.size() as u64);
        self.record(format!("{name} ({writers} writers)"), writers, n, &t, bytes);
        Ok(())
    }

    fn readrandom(&mut self, db: &mut dyn Engine, readers: usize) -> Result<()> {
        let (num, per_thread) = (self.p.num, self.p.reads / readers as u64);
        let seed = self.p.seed;
        let t = Timer::start();
        let found = on_threads(db, readers, |i, h| {
            let mut rng = Rng::new(seed ^ (100 + i as u64));
            let mut found = 0;
            for _ in 0..per_thread {
                found += u64::from(h.get(&db_key(rng.below(num)))?.is_some());
            }
            Ok(found)
        })?;
        let ops = per_thread * readers as u64;
        ensure!(
            found == ops,
            "{}: readrandom found {found} of {ops}",
            self.kind.name()
        );
        let bytes = ops * (16 + self.values.size() as u64);
        self.record(
            format!("readrandom ({readers} threads)"),
            readers,
            ops,
            &t,
            bytes,
        );
        Ok(())
    }

    /// One writer overwrites random keys while `readers` threads read;
    /// thread 0 writes, the others read.
    fn readwhilewriting(&mut self, db: &mut dyn Engine, readers: usize) -> Result<()> {
        let (num, per_thread) = (self.p.num, self.p.reads / readers as u64);
        let (seed, values) = (self.p.seed, self.values);
        let done = AtomicBool::new(false);
        let readers_left = AtomicU64::new(readers as u64);
        let written = AtomicU64::new(0);
        let t = Timer::start();
        let found = on_threads(db, readers + 1, |i, h| {
            let mut rng = Rng::new(seed ^ (200 + i as u64));
            if i == 0 {
                let mut n = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let k = rng.below(num);
                    h.put(&db_key(k), values.get(k ^ 7))?;
                    n += 1;
                }
                written.store(n, Ordering::Relaxed);
                return Ok(0);
            }
            let mut found = 0;
            for _ in 0..per_thread {
                found += u64::from(h.get(&db_key(rng.below(num)))?.is_some());
            }
            if readers_left.fetch_sub(1, Ordering::Relaxed) == 1 {
                done.store(true, Ordering::Relaxed);
            }
            Ok(found)
        })
        .context("readwhilewriting")?;
        let ops = per_thread * readers as u64;
        ensure!(
            found == ops,
            "{}: readwhilewriting found {found} of {ops}",
            self.kind.name()
        );
        let bytes = ops * (16 + values.size() as u64);
        self.record(
            format!("readwhilewriting ({readers} readers)"),
            readers,
            ops,
            &t,
            bytes,
        );
        let puts = written.load(Ordering::Relaxed);
        let put_bytes = puts * (16 + values.size() as u64);
        let name = format!("readwhilewriting ({readers} readers): writer");
        self.record(name, readers, puts, &t, put_bytes);
        Ok(())
    }
}

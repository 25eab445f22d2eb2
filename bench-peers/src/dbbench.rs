//! db_bench-style workloads at LevelDB's classic parameters: `num` entries,
//! 16-byte keys, 100-byte values, one operation per write.
//!
//! Per engine, in one fresh database each:
//! - `fillseq`: keys in order.
//! - `fillrandom`: every key once, in random order; then on the same
//!   database `overwrite` (every key again, random order), `readrandom`,
//!   `readmissing`, `readseq` (one full scan), `seekrandom` (seek, then
//!   read `seek_nexts` entries), `compact` (a full compaction),
//!   `readrandom-compacted`, `deleterandom` (every key, random order).
//! - with `sync`: `fillsync`, `num / 1000` (at least 1000) random writes,
//!   each synced before it returns.

use std::path::Path;

use anyhow::{ensure, Result};

use crate::engine::{Engine, EngineConfig, Kind};
use crate::keys::{db_key, missing_key, Rng, Values};
use crate::measure::{dir_bytes, Measurement, Timer};

/// Parameters of one db_bench run.
#[derive(Clone, Debug)]
pub struct Params {
    pub num: u64,
    pub reads: u64,
    pub value_size: usize,
    pub seek_nexts: usize,
    pub sync: bool,
    pub seed: u64,
}

/// Runs every db_bench workload on `kind`, each database in a fresh
/// directory under `root`.
pub fn run(kind: Kind, root: &Path, config: &EngineConfig, p: &Params) -> Result<Vec<Measurement>> {
    let values = Values::new(p.value_size, p.seed);
    let mut out = Vec::new();
    let mut bench = Bench {
        kind,
        values: &values,
        p,
        out: &mut out,
    };
    bench.fillseq(root, config)?;
    bench.random_suite(root, config)?;
    if p.sync {
        bench.fillsync(root, config)?;
    }
    Ok(out)
}

struct Bench<'a> {
    kind: Kind,
    values: &'a Values,
    p: &'a Params,
    out: &'a mut Vec<Measurement>,
}

impl Bench<'_> {
    fn record(&mut self, workload: &str, ops: u64, timer: &Timer, bytes: u64) -> usize {
        let secs = timer.secs();
        self.out.push(Measurement {
            workload: workload.into(),
            engine: self.kind,
            ops,
            secs,
            cpu_secs: timer.cpu_secs(),
            bytes,
            process_write_amp: None,
            engine_write_amp: None,
            disk_bytes: None,
            peak_rss_bytes: timer.peak_rss_bytes(),
            threads: 1,
        });
        eprintln!(
            "  {:<8} {:<22} {:>10.3} micros/op",
            self.kind.name(),
            workload,
            secs * 1e6 / ops.max(1) as f64
        );
        self.out.len() - 1
    }

    /// Records a write workload: adds write amplification and disk space.
    fn record_write(
        &mut self,
        workload: &str,
        ops: u64,
        timer: &Timer,
        db: &dyn Engine,
        dir: &Path,
    ) {
        let user = ops * (16 + self.values.size() as u64);
        let i = self.record(workload, ops, timer, user);
        let m = &mut self.out[i];
        m.process_write_amp = timer.write_amp(user);
        m.engine_write_amp = db.reported_write_amp();
        m.disk_bytes = Some(dir_bytes(dir));
        if let Some(shape) = db.shape() {
            eprintln!("           shape after {workload}: {shape}");
        }
        if let Some(stalls) = db.stall_report() {
            eprintln!("           stalls in {workload}: {stalls}");
        }
    }

    fn fill(&self, db: &mut dyn Engine, order: &[u64], salt: u64) -> Result<()> {
        for (n, &i) in order.iter().enumerate() {
            db.put(&db_key(i), self.values.get(n as u64 ^ salt))?;
        }
        Ok(())
    }

    fn fillseq(&mut self, root: &Path, config: &EngineConfig) -> Result<()> {
        let dir = tempfile::tempdir_in(root)?;
        let mut db = self.kind.open(dir.path(), config)?;
        let order: Vec<u64> = (0..self.p.num).collect();
        let t = Timer::start();
        self.fill(db.as_mut(), &order, 0)?;
        self.record_write("fillseq", self.p.num, &t, db.as_ref(), dir.path());
        db.close()
    }

    fn fillsync(&mut self, root: &Path, config: &EngineConfig) -> Result<()> {
        let dir = tempfile::tempdir_in(root)?;
        let config = EngineConfig {
            sync: true,
            ..config.clone()
        };
        let mut db = self.kind.open(dir.path(), &config)?;
        let n = (self.p.num / 1000).max(1000);
        let order = Rng::new(self.p.seed ^ 5).permutation(n);
        let t = Timer::start();
        self.fill(db.as_mut(), &order, 0)?;
        self.record_write("fillsync", n, &t, db.as_ref(), dir.path());
        db.close()
    }

    fn random_suite(&mut self, root: &Path, config: &EngineConfig) -> Result<()> {
        let dir = tempfile::tempdir_in(root)?;
        let path = dir.path();
        let mut boxed = self.kind.open(path, config)?;
        let db = boxed.as_mut();
        let mut rng = Rng::new(self.p.seed);
        let order = rng.permutation(self.p.num);
        let t = Timer::start();
        self.fill(db, &order, 0)?;
        self.record_write("fillrandom", self.p.num, &t, db, path);
        let order = rng.permutation(self.p.num);
        let t = Timer::start();
        self.fill(db, &order, 1)?;
        self.record_write("overwrite", self.p.num, &t, db, path);
        self.readrandom(db, "readrandom", &mut rng)?;
        self.readmissing(db, &mut rng)?;
        self.readseq(db)?;
        self.seekrandom(db, &mut rng)?;
        let t = Timer::start();
        db.compact()?;
        let i = self.record("compact", 1, &t, 0);
        self.out[i].disk_bytes = Some(dir_bytes(path));
        self.readrandom(db, "readrandom-compacted", &mut rng)?;
        let order = rng.permutation(self.p.num);
        // Stalls of the read workloads and the compaction are not the
        // deletes'.
        let _ = db.stall_report();
        let t = Timer::start();
        for &i in &order {
            db.delete(&db_key(i))?;
        }
        self.record("deleterandom", self.p.num, &t, self.p.num * 16);
        if let Some(stalls) = db.stall_report() {
            eprintln!("           stalls in deleterandom: {stalls}");
        }
        boxed.close()
    }

    fn readrandom(&mut self, db: &mut dyn Engine, name: &str, rng: &mut Rng) -> Result<()> {
        let (mut found, mut bytes) = (0u64, 0u64);
        let t = Timer::start();
        for _ in 0..self.p.reads {
            if let Some(len) = db.get(&db_key(rng.below(self.p.num)))? {
                found += 1;
                bytes += 16 + len as u64;
            }
        }
        self.record(name, self.p.reads, &t, bytes);
        ensure!(
            found == self.p.reads,
            "{}: {name} found {found} of {}",
            self.kind.name(),
            self.p.reads
        );
        Ok(())
    }

    fn readmissing(&mut self, db: &mut dyn Engine, rng: &mut Rng) -> Result<()> {
        let mut found = 0u64;
        let t = Timer::start();
        for _ in 0..self.p.reads {
            found += u64::from(db.get(&missing_key(rng.below(self.p.num)))?.is_some());
        }
        self.record("readmissing", self.p.reads, &t, 0);
        ensure!(
            found == 0,
            "{}: readmissing found {found}",
            self.kind.name()
        );
        Ok(())
    }

    fn readseq(&mut self, db: &mut dyn Engine) -> Result<()> {
        let t = Timer::start();
        let (n, bytes) = db.scan(b"", usize::MAX)?;
        self.record("readseq", n, &t, bytes);
        ensure!(
            n == self.p.num,
            "{}: readseq saw {n} keys",
            self.kind.name()
        );
        Ok(())
    }

    fn seekrandom(&mut self, db: &mut dyn Engine, rng: &mut Rng) -> Result<()> {
        let (mut seen, mut bytes) = (0u64, 0u64);
        let t = Timer::start();
        for _ in 0..self.p.reads {
            let (n, b) = db.scan(&db_key(rng.below(self.p.num)), self.p.seek_nexts)?;
            seen += n;
            bytes += b;
        }
        let name = format!("seekrandom ({} nexts)", self.p.seek_nexts);
        self.record(&name, self.p.reads, &t, bytes);
        ensure!(seen > 0, "{}: seekrandom saw nothing", self.kind.name());
        Ok(())
    }
}

//! Strata on real files.

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use strata_engine::stats::{Stall, StallStats};
use strata_engine::{Db, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::FsStorage;

use crate::engine::{Engine, EngineConfig, Handle};

struct Strata {
    db: Arc<Db>,
    write: WriteOptions,
    /// Stall figures at the last `stall_report`.
    reported_stalls: Cell<StallStats>,
}

pub fn open(dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
    let mut storage = FsStorage::open(dir)?;
    if let Some(files_max) = config.strata_mapped_files {
        storage = storage.with_mapped_files_max(files_max);
    }
    let storage = Arc::new(storage);
    let options = if config.defaults {
        Options::default()
    } else {
        shared_options(config)
    };
    let db = Arc::new(Db::open(storage, options)?);
    let write = WriteOptions { sync: config.sync };
    Ok(Box::new(Strata {
        db,
        write,
        reported_stalls: Cell::new(StallStats::default()),
    }))
}

/// The harness's shared settings (cache, memtable, maintenance, triggers).
fn shared_options(config: &EngineConfig) -> Options {
    let options = Options {
        memtable_bytes_max: config.memtable_bytes,
        maintenance: if config.strata_background {
            MaintenanceMode::Background
        } else {
            MaintenanceMode::Inline
        },
        ..crate::strata_cache::with_cache(Options::default(), config.cache_bytes)
    };
    let mut options = options;
    if let Some(n) = config.strata_l0_slowdown {
        options.l0_slowdown_trigger = n;
        options.l0_stop_trigger = options.l0_stop_trigger.max(n);
    }
    if let Some(n) = config.strata_l0_stop {
        options.l0_stop_trigger = n;
    }
    if let Some(n) = config.strata_jobs {
        options.max_background_jobs = n;
    }
    if let Some(n) = config.strata_subcompactions {
        options.max_subcompactions = n;
    }
    options
}

fn put(db: &Db, write: WriteOptions, key: &[u8], value: &[u8]) -> Result<()> {
    if write.sync {
        let mut batch = WriteBatch::new();
        batch.put(key, value);
        db.write_opt(&batch, write)?;
    } else {
        db.put(key, value)?;
    }
    Ok(())
}

struct StrataHandle {
    db: Arc<Db>,
    write: WriteOptions,
}

impl Handle for StrataHandle {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        put(&self.db, self.write, key, value)
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.db.get(key)?.map(|v| v.len()))
    }
}

impl Engine for Strata {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        put(&self.db, self.write, key, value)
    }

    fn delete(&mut self, key: &[u8]) -> Result<()> {
        if self.write.sync {
            let mut batch = WriteBatch::new();
            batch.delete(key);
            self.db.write_opt(&batch, self.write)?;
        } else {
            self.db.delete(key)?;
        }
        Ok(())
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.db.get(key)?.map(|v| v.len()))
    }

    fn scan(&mut self, start: &[u8], limit: usize) -> Result<(u64, u64)> {
        let (mut n, mut bytes) = (0u64, 0u64);
        for kv in self.db.scan(start..)?.take(limit) {
            let (k, v) = kv?;
            n += 1;
            bytes += (k.len() + v.len()) as u64;
        }
        Ok((n, bytes))
    }

    fn compact(&mut self) -> Result<()> {
        self.db.compact_range::<&[u8]>(..)?;
        Ok(())
    }

    fn reported_write_amp(&self) -> Option<f64> {
        Some(self.db.stats().write_amplification())
    }

    fn stall_report(&self) -> Option<String> {
        let now = self.db.stats().stalls;
        let s = now.since(&self.reported_stalls.replace(now));
        let part = |name: &str, st: Stall| {
            format!("{name} {}x {:.1} ms", st.count, st.micros as f64 / 1e3)
        };
        Some(
            [
                part("total", s.total()),
                part("memtable-full", s.memtable_full),
                part("l0-stop", s.l0_stop),
                part("l0-slowdown", s.l0_slowdown),
                part("log-switch", s.log_switch),
            ]
            .join(", "),
        )
    }

    fn shape(&self) -> Option<String> {
        let levels = self.db.levels();
        let parts: Vec<String> = levels
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| format!("L{i}:{}", l.len()))
            .collect();
        Some(parts.join(" "))
    }

    fn handle(&mut self) -> Result<Box<dyn Handle>> {
        Ok(Box::new(StrataHandle {
            db: Arc::clone(&self.db),
            write: self.write,
        }))
    }

    fn close(self: Box<Self>) -> Result<()> {
        match Arc::try_unwrap(self.db) {
            Ok(db) => Ok(db.close()?),
            Err(_) => anyhow::bail!("strata: closed while a handle is alive"),
        }
    }
}

//! The native background driver: threads that flush and compact while
//! readers and writers carry on (`Options::max_background_jobs` of them),
//! and threads for the parts of a split compaction. It changes when work
//! happens, never what the work produces.
//!
//! This is the only place the engine uses threads, sleeps or clocks; the
//! core it drives stays deterministic.

use std::sync::{Arc, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{lock, DbInner};
use crate::compaction::Pacer;
use crate::db::Maintenance;
use crate::error::{Error, Result};
use crate::options::MaintenanceMode;
use crate::stats::Counters;

/// Starts the driver's threads if the options ask for background
/// maintenance. A first thread that cannot be spawned is an error: without
/// it, writers would wait forever for flushes that never come; later ones
/// only add parallelism, so the driver starts with those it got.
pub(super) fn start(inner: &Arc<DbInner>) -> Result<Vec<JoinHandle<()>>> {
    if inner.options.maintenance != MaintenanceMode::Background {
        return Ok(Vec::new());
    }
    let first = spawned_or_error(spawn_driver(Arc::clone(inner)))?;
    let mut threads = vec![first];
    for _ in 1..inner.options.max_background_jobs {
        match spawn_driver(Arc::clone(inner)) {
            Ok(handle) => threads.push(handle),
            Err(_) => break,
        }
    }
    Ok(threads)
}

#[cfg(test)]
thread_local! {
    /// Set by tests: the next driver spawn on this thread fails as an
    /// exhausted thread limit makes it fail.
    static REFUSE_NEXT_SPAWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn spawn_driver(driver: Arc<DbInner>) -> std::io::Result<JoinHandle<()>> {
    #[cfg(test)]
    if REFUSE_NEXT_SPAWN.with(|refuse| refuse.replace(false)) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "Resource temporarily unavailable (os error 11)",
        ));
    }
    std::thread::Builder::new()
        .name("strata-maintenance".into())
        .spawn(move || run(&driver))
}

fn spawned_or_error(spawned: std::io::Result<JoinHandle<()>>) -> Result<JoinHandle<()>> {
    spawned.map_err(|source| Error::Io {
        file: "(the background maintenance thread could not be started)".to_owned(),
        source,
    })
}

/// Delays a writer while L0 is crowded, giving compaction CPU time
/// (LevelDB's 1 ms slowdown).
pub(super) fn slow_down_writer() {
    std::thread::sleep(Duration::from_millis(1));
}

fn run(inner: &DbInner) {
    let pacer = FlushFirst {
        inner,
        limiter: RateLimiter::new(inner.options.compaction_bytes_per_second),
    };
    loop {
        {
            let mut state = lock(&inner.state);
            while !state.shutting_down && !inner.work_due_locked(&state) {
                state = inner
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.shutting_down {
                return;
            }
        }
        let started = Instant::now();
        match inner.background_step(&pacer) {
            Ok(Some(Maintenance::Compacted { output_level, .. })) => {
                if let Some(level) = inner.counters.levels.get(output_level as usize) {
                    let micros = started.elapsed().as_micros();
                    Counters::add(&level.micros, u64::try_from(micros).unwrap_or(u64::MAX));
                }
            }
            Ok(_) => {}
            // Writes now fail with it, and no work is due any more, so the
            // driver waits instead of retrying.
            Err(e) => inner.record_maintenance_error(Err(e)),
        }
        inner.changed.notify_all();
    }
}

/// The background driver's pacer: between pieces of compaction output it
/// flushes a memtable that froze meanwhile, so a writer waiting for the
/// only immutable-memtable slot waits for one flush, not for a whole
/// compaction and then the flush; then it applies the rate limit.
///
/// The flush's edit composes with the compaction's: the flush adds a newer
/// L0 table that the compaction did not pick and that holds only data
/// newer than every input, and the compaction's edit later removes exactly
/// its inputs from whatever version is current then. The inline and manual
/// drivers never flush mid-compaction, so their traces do not change.
struct FlushFirst<'a> {
    inner: &'a DbInner,
    limiter: RateLimiter,
}

impl Pacer for FlushFirst<'_> {
    fn pace(&self, bytes_written: u64) {
        // `try_lock`: a writer holding the lock is not waiting for the
        // flush (a waiting one sleeps on the condition variable); the next
        // piece of output looks again.
        let frozen = match self.inner.state.try_lock() {
            Ok(state) => state.imm.is_some() && state.stopped.is_none(),
            Err(_) => false,
        };
        if frozen {
            // A failure stops writes and is recorded in the state; the
            // compaction sees it before installing its edit.
            if let Ok(Some(_)) = self.inner.flush_imm() {
                Counters::add(&self.inner.counters.flushes_during_compaction, 1);
            }
        }
        self.limiter.pace(bytes_written);
    }
}

/// Runs the parts of a split compaction on threads of their own: one on
/// the compacting thread, the others on scoped threads that end with it.
pub(super) struct Threads {
    parallelism: usize,
}

impl Threads {
    pub(super) fn new(max_subcompactions: u32) -> Self {
        Self {
            parallelism: usize::try_from(max_subcompactions).unwrap_or(1).max(1),
        }
    }
}

impl crate::compaction::Workers for Threads {
    fn parallelism(&self) -> usize {
        self.parallelism
    }

    fn run(&self, count: usize, task: &(dyn Fn(usize) + Sync)) {
        std::thread::scope(|scope| {
            let mut on_this_thread = vec![0];
            for i in 1..count {
                let spawned = std::thread::Builder::new()
                    .name("strata-subcompaction".into())
                    .spawn_scoped(scope, move || task(i));
                // Without a thread, the part runs here after the first.
                if spawned.is_err() {
                    on_this_thread.push(i);
                }
            }
            on_this_thread.into_iter().for_each(task);
        });
    }
}

/// Sleeps after each piece of output so compaction writes stay under a
/// byte rate.
struct RateLimiter {
    bytes_per_second: Option<u64>,
    start: Instant,
    written: std::sync::atomic::AtomicU64,
}

impl RateLimiter {
    fn new(bytes_per_second: Option<u64>) -> Self {
        Self {
            bytes_per_second,
            start: Instant::now(),
            written: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl Pacer for RateLimiter {
    fn pace(&self, bytes_written: u64) {
        let Some(rate) = self.bytes_per_second else {
            return;
        };
        let total = self
            .written
            .fetch_add(bytes_written, std::sync::atomic::Ordering::Relaxed)
            + bytes_written;
        let due = Duration::from_secs_f64(total as f64 / rate as f64);
        if let Some(ahead) = due.checked_sub(self.start.elapsed()) {
            std::thread::sleep(ahead);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{Db, Options, WriteBatch, WriteOptions};
    use strata_storage::{MemStorage, Storage};

    fn open(storage: &MemStorage, maintenance: MaintenanceMode) -> Result<Db> {
        let options = Options {
            memtable_bytes_max: 1024,
            maintenance,
            ..Options::default()
        };
        Db::open(Arc::new(storage.clone()) as Arc<dyn Storage>, options)
    }

    fn key(i: u32) -> String {
        format!("key{i:04}")
    }

    /// Before open failed on a driver that could not start, writers of a
    /// background database could wait forever for flushes. Now open fails
    /// with the cause, after recovery made everything it replayed durable:
    /// a power cut right after the failed open loses no synced write.
    #[test]
    fn open_fails_when_the_driver_cannot_start_and_loses_nothing() {
        let storage = MemStorage::new();
        let db = open(&storage, MaintenanceMode::Manual).unwrap();
        for i in 0..300 {
            let mut batch = WriteBatch::new();
            batch.put(key(i), format!("value {i}"));
            db.write_opt(&batch, WriteOptions { sync: true }).unwrap();
        }
        // A power cut: several logs and a memtable to replay.
        let image = storage.snapshot();
        image.crash();
        drop(db);

        REFUSE_NEXT_SPAWN.with(|refuse| refuse.set(true));
        match open(&image, MaintenanceMode::Background) {
            Err(Error::Io { file, source }) => {
                assert!(file.contains("background maintenance thread"), "{file}");
                assert_eq!(source.kind(), std::io::ErrorKind::WouldBlock);
            }
            other => panic!("open should fail: {:?}", other.map(|_| ())),
        }
        // Another power cut right after the failed open.
        image.crash();

        let db = open(&image, MaintenanceMode::Background).unwrap();
        for i in 0..300 {
            assert_eq!(
                db.get(key(i)).unwrap(),
                Some(format!("value {i}").into_bytes()),
                "{}",
                key(i)
            );
        }
        db.put("after", "reopen").unwrap();
        db.flush().unwrap();
        assert_eq!(db.get("after").unwrap(), Some(b"reopen".to_vec()));
    }

    #[test]
    fn a_thread_that_cannot_start_is_an_error() {
        let refused = std::io::Error::new(std::io::ErrorKind::WouldBlock, "no more threads");
        match spawned_or_error(Err(refused)) {
            Err(Error::Io { file, source }) => {
                assert!(file.contains("background"), "{file}");
                assert_eq!(source.kind(), std::io::ErrorKind::WouldBlock);
            }
            other => panic!("not an I/O error: {:?}", other.map(|_| ())),
        }
    }
}

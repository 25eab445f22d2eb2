//! Forking: a second database that continues exactly where this one is.
//!
//! The visualizer steps backwards by restoring a checkpoint and replaying
//! forward; a checkpoint is a fork over a copy of the storage (cheap with
//! `MemStorage::snapshot`, whose tables are shared copy-on-write). A fork
//! behaves as the original would from the same point: same file numbers,
//! same skiplist towers, same events.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Condvar, Mutex};

use strata_storage::Storage;

use super::{lock, Db, DbInner, Snapshot, State, TableCache};
use crate::error::{IoContext, Result};
use crate::event::Tracer;
use crate::filename::wal_name;
use crate::manifest::{ManifestWriter, Version};
use crate::stats::Counters;
use crate::wal::LogWriter;

impl Db {
    /// A copy of this database over `storage`, which must hold a copy of
    /// this database's files taken while no write or maintenance ran (for
    /// example `MemStorage::snapshot` between two operations). `snapshots`
    /// are re-created in the fork (returned in the same order), so
    /// compactions there keep what they need. The fork has no observer and
    /// never runs a background thread.
    pub fn fork(
        &self,
        storage: Arc<dyn Storage>,
        snapshots: &[&Snapshot],
    ) -> Result<(Db, Vec<Snapshot>)> {
        let dir_lock = storage.lock().ctx(crate::filename::LOCK)?;
        let _work = self.inner.work_lock();
        let state = lock(&self.inner.state);
        let wal_number = state.wal.file_number();
        let name = wal_name(wal_number);
        let file = storage.open_append(&name).ctx(&name)?;
        // The frozen memtable's log, if any, is synced before the current
        // one, as in the original.
        let wal = match state.imm_wal_number {
            Some(imm_number) => {
                let imm_name = wal_name(imm_number);
                let imm_file = storage.open_append(&imm_name).ctx(&imm_name)?;
                let mut wal = LogWriter::new(imm_file, imm_number);
                wal.switch_to(file, wal_number);
                wal
            }
            None => LogWriter::new(file, wal_number),
        };
        let manifest = ManifestWriter::reopen(storage.as_ref(), state.manifest.file_number())?;
        let mut seqs = BTreeMap::new();
        for s in snapshots {
            *seqs.entry(s.seq()).or_insert(0) += 1;
        }
        let copy = State {
            mem: Arc::new(state.mem.duplicate()),
            imm: state.imm.as_ref().map(|m| Arc::new(m.duplicate())),
            imm_wal_number: state.imm_wal_number,
            wal,
            // Its own copy: a shared `Arc` would count as a reader of the
            // original's version and delay the original's file deletions.
            version: Arc::new(Version::clone(&state.version)),
            manifest,
            next_file_number: state.next_file_number,
            last_seq: state.last_seq,
            snapshots: seqs,
            tracer: Tracer::off(),
            stopped: state.stopped.clone(),
            maintenance_error: state.maintenance_error.clone(),
            compact_pointers: state.compact_pointers.clone(),
            versions: Vec::new(),
            obsolete_tables: state.obsolete_tables.clone(),
            shutting_down: false,
            running: Vec::new(),
            flushing: false,
        };
        let mut options = self.inner.options.clone();
        if options.maintenance == crate::options::MaintenanceMode::Background {
            options.maintenance = crate::options::MaintenanceMode::Inline;
        }
        let (current, visible_seq) = DbInner::reader_fields(&copy);
        let inner = Arc::new(DbInner {
            current,
            visible_seq,
            now_ms: std::sync::atomic::AtomicU64::new(
                self.inner.now_ms.load(std::sync::atomic::Ordering::Acquire),
            ),
            tables: TableCache::new(options.block_cache_bytes, options.max_open_tables),
            storage,
            options,
            state: Mutex::new(copy),
            changed: Condvar::new(),
            work: std::sync::RwLock::new(()),
            next_job: std::sync::atomic::AtomicU64::new(1),
            workers: Box::new(crate::compaction::OneAtATime),
            writers: Default::default(),
            counters: copy_counters(&self.inner.counters),
            _lock: dir_lock,
        });
        let handles = snapshots
            .iter()
            .map(|s| Snapshot::registered(inner.clone(), s.seq(), s.time_ms()))
            .collect();
        let db = Db {
            inner,
            #[cfg(not(target_arch = "wasm32"))]
            background: Mutex::new(Vec::new()),
        };
        Ok((db, handles))
    }
}

fn copy_counters(c: &Counters) -> Counters {
    let copy = Counters::default();
    let pairs = [
        (&copy.user_bytes_written, &c.user_bytes_written),
        (&copy.wal_bytes_written, &c.wal_bytes_written),
        (&copy.flush_bytes_written, &c.flush_bytes_written),
        (&copy.flushes, &c.flushes),
        (&copy.gets, &c.gets),
        (&copy.tables_probed, &c.tables_probed),
        (&copy.bloom_probes, &c.bloom_probes),
        (&copy.bloom_negatives, &c.bloom_negatives),
        (&copy.bloom_false_positives, &c.bloom_false_positives),
        (&copy.blocks_read, &c.blocks_read),
    ];
    for (to, from) in pairs {
        to.store(from.load(Relaxed), Relaxed);
    }
    for (to, from) in copy.levels.iter().zip(&c.levels) {
        for (t, f) in [
            (&to.compactions, &from.compactions),
            (&to.trivial_moves, &from.trivial_moves),
            (&to.bytes_read, &from.bytes_read),
            (&to.bytes_written, &from.bytes_written),
            (&to.micros, &from.micros),
        ] {
            t.store(f.load(Relaxed), Relaxed);
        }
    }
    copy
}

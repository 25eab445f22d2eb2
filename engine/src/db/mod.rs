//! The database: the public API over memtables, the WAL, tables and the
//! manifest.
//!
//! One mutex guards the mutable state (memtables, log writer, version,
//! manifest). Writers hold it for the whole write. Readers never take it:
//! what they read from (the memtables, the version, the tracer) is
//! published as one [`Current`] whenever it changes — a freeze, a flush, an
//! installed version, a new observer — and the last sequence number a
//! write made visible is an atomic the writer stores after its inserts.

#[cfg(not(target_arch = "wasm32"))]
mod background;
mod compact_range;
mod flush;
mod fork;
mod get;
mod group_commit;
mod maintenance;
mod manifest_switch;
mod open;
mod scan;
mod snapshot;
mod stall;
mod table_cache;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock, Weak};

use strata_storage::Storage;

use crate::batch::WriteBatch;
use crate::error::{Error, Result};
use crate::event::{Observer, Tracer};
use crate::manifest::{ManifestWriter, Version, NUM_LEVELS};
use crate::memtable::{MemTable, TowerView};
use crate::options::{Options, WriteOptions};
use crate::record::SeqNo;
use crate::stats::{Counters, LevelStats, Stats};
use crate::table_meta::TableMeta;
use crate::ttl::Expiry;
use crate::wal::LogWriter;

pub use maintenance::Maintenance;
pub use scan::Scan;
pub use snapshot::Snapshot;
use table_cache::TableCache;

/// An open Strata database. `Send + Sync`: share it between threads with an
/// `Arc` or by reference.
pub struct Db {
    inner: Arc<DbInner>,
    #[cfg(not(target_arch = "wasm32"))]
    background: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

struct DbInner {
    storage: Arc<dyn Storage>,
    options: Options,
    state: Mutex<State>,
    /// Signalled (with `state`) when a flush or compaction changes the tree,
    /// when work becomes due, and on shutdown.
    changed: Condvar,
    /// Held while maintenance runs. The background driver's threads hold
    /// it shared and keep out of each other's way through
    /// `State::running` and `State::flushing`; everything else (the inline
    /// and manual drivers, `flush`, `compact_range`, `fork`) holds it
    /// exclusively and so runs alone.
    work: RwLock<()>,
    /// Numbers units of maintenance; the background driver's are tagged
    /// with it in the trace ([`crate::Job`]).
    next_job: AtomicU64,
    /// Who merges the parts of a split compaction.
    workers: Box<dyn crate::compaction::Workers + Send>,
    /// Writes waiting for the writer that holds `state` to commit them
    /// with its own (`group_commit.rs`).
    writers: group_commit::WriterQueue,
    tables: TableCache,
    counters: Counters,
    /// What readers read from, republished by every change to it.
    current: RwLock<Arc<Current>>,
    /// The last sequence number whose write is fully in the memtable:
    /// stored (release) by the writer after its inserts, loaded (acquire)
    /// by readers after they load `current`.
    visible_seq: AtomicU64,
    /// The caller's time ([`Db::set_time`]), in milliseconds: puts are
    /// stamped with it and reads and compactions expire records by it
    /// when `Options::ttl_ms` is set.
    now_ms: AtomicU64,
    /// Exclusive use of the directory for as long as anything that can
    /// write to it lives: the `Db`, and any `Snapshot` that outlives it
    /// (it keeps the log writer alive). Declared last, so it is released
    /// only after the log writer and the manifest writer are dropped.
    _lock: strata_storage::DirLock,
}

/// Everything that changes, behind the database mutex.
struct State {
    mem: Arc<MemTable>,
    imm: Option<Arc<MemTable>>,
    /// The log holding the immutable memtable's records.
    imm_wal_number: Option<u64>,
    wal: LogWriter,
    version: Arc<Version>,
    manifest: ManifestWriter,
    next_file_number: u64,
    last_seq: SeqNo,
    /// Live snapshots: sequence number → how many handles pin it.
    snapshots: BTreeMap<SeqNo, usize>,
    tracer: Tracer,
    /// Set when a write to storage failed: what is on disk is unknown.
    stopped: Option<String>,
    /// The first failure of maintenance a write or the background driver
    /// ran (it also stops writes): see [`Db::maintenance_error`].
    maintenance_error: Option<String>,
    /// Round-robin compaction pointers: level → last compacted key.
    compact_pointers: BTreeMap<u32, Vec<u8>>,
    /// Earlier versions, alive while a reader holds them.
    versions: Vec<Weak<Version>>,
    /// Tables compacted away, deleted once no live version holds them.
    obsolete_tables: BTreeSet<u64>,
    /// Set when the database is closing: the background driver exits.
    shutting_down: bool,
    /// Compactions running now, with the levels each holds.
    running: Vec<RunningCompaction>,
    /// Whether a flush of the immutable memtable is under way.
    flushing: bool,
}

/// A compaction under way: no other may touch its levels.
struct RunningCompaction {
    /// A number of its own, to find it again.
    ticket: u64,
    #[cfg_attr(
        target_arch = "wasm32",
        expect(dead_code, reason = "only the background driver runs beside others")
    )]
    levels: std::ops::RangeInclusive<u32>,
}

impl State {
    fn allocate_file_number(&mut self) -> u64 {
        self.next_file_number += 1;
        self.next_file_number - 1
    }

    /// Makes `version` current; the old one stays pinned while readers
    /// hold it.
    fn install(&mut self, version: Arc<Version>) {
        let old = std::mem::replace(&mut self.version, version);
        self.versions.push(Arc::downgrade(&old));
    }
}

/// The parts of the state a read needs, published together so a reader
/// sees a memtable, an immutable memtable and a version that belong
/// together (between a flush's new version and its release of the
/// immutable memtable a reader may see the flushed records twice, in the
/// memtable and in the table: the same records, so the same answers).
struct Current {
    mem: Arc<MemTable>,
    imm: Option<Arc<MemTable>>,
    version: Arc<Version>,
    tracer: Tracer,
}

impl Current {
    fn of(state: &State) -> Self {
        Current {
            mem: Arc::clone(&state.mem),
            imm: state.imm.clone(),
            version: Arc::clone(&state.version),
            tracer: state.tracer.clone(),
        }
    }
}

/// What a read sees: the published state and the sequence number it reads
/// at.
struct ReadView {
    mem: Arc<MemTable>,
    imm: Option<Arc<MemTable>>,
    version: Arc<Version>,
    tracer: Tracer,
    seq: SeqNo,
    /// The TTL and the time the read applies it at (`None` without TTL).
    expiry: Option<Expiry>,
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Db {
    /// Opens (or creates, per [`Options::create_if_missing`]) the database
    /// stored in `storage`, recovering from the manifest and the logs.
    pub fn open(storage: Arc<dyn Storage>, options: Options) -> Result<Db> {
        open::open(storage, options, Tracer::off())
    }

    /// Like [`Db::open`], with `observer` receiving every event, recovery
    /// included.
    pub fn open_observed(
        storage: Arc<dyn Storage>,
        options: Options,
        observer: Arc<dyn Observer>,
    ) -> Result<Db> {
        open::open(storage, options, Tracer::new(Some(observer)))
    }

    /// Attaches (or with `None` detaches) the trace observer.
    pub fn set_observer(&self, observer: Option<Arc<dyn Observer>>) {
        let mut state = lock(&self.inner.state);
        state.tracer = Tracer::new(observer);
        self.inner.publish(&state);
    }

    /// The options the database runs with.
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    /// Stores `value` under `key`.
    pub fn put(&self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<()> {
        let mut batch = WriteBatch::new();
        batch.put(key, value);
        self.write(&batch)
    }

    /// Deletes `key` (writes a tombstone).
    pub fn delete(&self, key: impl AsRef<[u8]>) -> Result<()> {
        let mut batch = WriteBatch::new();
        batch.delete(key);
        self.write(&batch)
    }

    /// Deletes every key in `[start, end)` with one range tombstone: one log
    /// record and one sequence number, however many keys the range holds.
    /// Keys written later are visible again. An empty range (`start >=
    /// end`) writes nothing.
    pub fn delete_range(&self, start: impl AsRef<[u8]>, end: impl AsRef<[u8]>) -> Result<()> {
        let mut batch = WriteBatch::new();
        batch.delete_range(start, end);
        if batch.is_empty() {
            return Ok(());
        }
        self.write(&batch)
    }

    /// Applies every operation of `batch` atomically: after a crash, all of
    /// them or none are present.
    pub fn write(&self, batch: &WriteBatch) -> Result<()> {
        self.write_opt(batch, WriteOptions::default())
    }

    /// [`Db::write`] with options; with `sync` the write survives any crash
    /// once this returns `Ok`.
    pub fn write_opt(&self, batch: &WriteBatch, options: WriteOptions) -> Result<()> {
        self.inner.write(batch, options)
    }

    /// Sets the time, in milliseconds on the caller's clock: later puts
    /// are stamped with it, and with [`Options::ttl_ms`] set, reads,
    /// snapshots taken from now on and compactions expire records by it.
    /// The engine reads no clock itself, so a trace that records these
    /// calls replays exactly. The time starts at 0 when the database is
    /// opened. Time only moves forward: an earlier time than the current
    /// one is refused ([`Error::TimeWentBack`]), because a record a
    /// compaction already dropped as expired could not come back.
    pub fn set_time(&self, now_ms: u64) -> Result<()> {
        let state = lock(&self.inner.state);
        let before = self.inner.now_ms.load(Ordering::Acquire);
        if now_ms < before {
            return Err(Error::TimeWentBack {
                now_ms: before,
                requested_ms: now_ms,
            });
        }
        self.inner.now_ms.store(now_ms, Ordering::Release);
        state.tracer.emit(|| crate::event::Event::TimeSet {
            now_ms,
            ttl_ms: self.inner.options.ttl_ms,
        });
        Ok(())
    }

    /// The time last set with [`Db::set_time`] (0 until then).
    pub fn time_ms(&self) -> u64 {
        self.inner.now_ms.load(Ordering::Acquire)
    }

    /// The newest value of `key`, or `None` if it is absent, deleted or
    /// expired.
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Vec<u8>>> {
        let view = self.inner.read_view(None);
        self.inner.get(key.as_ref(), &view)
    }

    /// The live keys in `range` with their values, in key order; call
    /// `.rev()` for descending order.
    pub fn scan<K: AsRef<[u8]>>(&self, range: impl std::ops::RangeBounds<K>) -> Result<Scan> {
        let view = self.inner.read_view(None);
        Scan::new(&self.inner, view, range)
    }

    /// Pins the current state: reads through the snapshot ignore later
    /// writes. A snapshot keeps the database's internals, log writer
    /// included, and so its directory lock: until every snapshot is
    /// dropped, reopening the directory is refused.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(self.inner.clone())
    }

    /// Freezes the memtable and writes it, and any memtable already frozen,
    /// to L0 tables; then (except in manual mode) runs the compactions that
    /// are due. `Ok` means the flush is durable; a compaction failing after
    /// it is reported by [`Db::maintenance_error`].
    pub fn flush(&self) -> Result<()> {
        self.inner.flush_all()
    }

    /// Does the next unit of maintenance, if any, and says what it was: a
    /// flush first, then the most urgent compaction. The browser driver
    /// calls this to animate one step at a time.
    pub fn maintenance_step(&self) -> Result<Option<Maintenance>> {
        self.inner.maintenance_step(&crate::compaction::NoPacing)
    }

    /// Runs maintenance until no flush or compaction is due.
    pub fn compact(&self) -> Result<()> {
        self.inner.maintain_until_idle(&crate::compaction::NoPacing)
    }

    /// Compacts everything in `range` down to the deepest level that holds
    /// data, whether or not any compaction is due: the memtables are
    /// flushed, then each level's tables meeting the range are merged one
    /// level down, and the deepest level's are merged in place. Afterwards
    /// every record in the range has been through a merge at the bottom:
    /// shadowed versions are gone and tombstones are dropped unless a
    /// snapshot needs them. Writes may go on meanwhile; what they add is
    /// not included. Under background maintenance the driver cannot flush
    /// while a step holds the maintenance lock, so a writer that fills the
    /// memtable while a frozen one still waits for its flush waits until
    /// the full compaction is done. Returns how many compactions ran.
    pub fn compact_range<K: AsRef<[u8]>>(
        &self,
        range: impl std::ops::RangeBounds<K>,
    ) -> Result<u32> {
        let range = crate::compaction::manual::KeyRange::new(&range);
        self.inner
            .compact_range(&range, &crate::compaction::NoPacing)
    }

    /// Sum of key and value bytes of every live key: the size a database
    /// holding only live data would need, for space-amplification figures.
    /// Reads the whole database.
    pub fn live_data_bytes(&self) -> Result<u64> {
        let mut total = 0u64;
        for kv in self.scan::<&[u8]>(..)? {
            let (k, v) = kv?;
            total += (k.len() + v.len()) as u64;
        }
        Ok(total)
    }

    /// Resolves once every write synced before the call (a write with
    /// [`WriteOptions::sync`], a flush, a close) is in the storage's
    /// permanent store. On real files and in memory that is already so
    /// and it resolves at once. In the browser, `IdbStorage`'s sync
    /// reaches only its in-memory image and IndexedDB commits behind it:
    /// a page that must know a write survives a reload awaits this (and
    /// shows "saving…" until it resolves); an error says why the latest
    /// commit failed.
    pub fn persisted(&self) -> impl std::future::Future<Output = Result<()>> + 'static {
        let pending = self.inner.storage.persisted();
        async move {
            use crate::error::IoContext;
            pending.await.ctx("(the storage's permanent store)")
        }
    }

    /// Syncs the log and closes the database. After an earlier storage
    /// failure this reports it: what reached the disk is then unknown.
    pub fn close(self) -> Result<()> {
        self.shutdown();
        let mut state = lock(&self.inner.state);
        Self::check_writable_state(&state)?;
        self.inner.sync_wal(&mut state)
    }

    /// Stops the background driver, if any, waiting for its current unit.
    fn shutdown(&self) {
        lock(&self.inner.state).shutting_down = true;
        self.inner.changed.notify_all();
        #[cfg(not(target_arch = "wasm32"))]
        for handle in std::mem::take(
            &mut *self
                .background
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        ) {
            let _ = handle.join();
        }
    }

    /// Counters and amplification figures.
    pub fn stats(&self) -> Stats {
        let mut stats = Stats::from_counters(&self.inner.counters);
        let state = lock(&self.inner.state);
        stats.memtable_entries = state.mem.entries();
        stats.memtable_bytes = state.mem.approximate_bytes();
        stats.immutable_memtable = state.imm.is_some();
        stats.last_seq = state.last_seq;
        stats.levels.resize(NUM_LEVELS, LevelStats::default());
        let targets = crate::compaction::level_targets(&state.version, &self.inner.options);
        for (l, level) in stats.levels.iter_mut().enumerate() {
            level.tables = state.version.level(l).len() as u64;
            level.bytes = state.version.level_bytes(l);
            level.target_bytes = targets.get(l).copied().unwrap_or(0);
        }
        stats
    }

    /// The tables of every level, L0 newest first, deeper levels by key.
    pub fn levels(&self) -> Vec<Vec<TableMeta>> {
        let version = lock(&self.inner.state).version.clone();
        (0..NUM_LEVELS)
            .map(|l| version.level(l).iter().map(|t| (**t).clone()).collect())
            .collect()
    }

    /// The active memtable's skiplist towers in key order (at most `limit`).
    pub fn memtable_towers(&self, limit: usize) -> Vec<TowerView> {
        let mem = lock(&self.inner.state).mem.clone();
        mem.towers(limit)
    }

    /// The active memtable's range tombstones, by start key.
    pub fn memtable_range_tombstones(&self) -> Vec<crate::range_tombstone::RangeTombstone> {
        let mem = lock(&self.inner.state).mem.clone();
        mem.range_tombstones()
    }

    /// Checks the tree's shape: leveled levels sorted with disjoint key
    /// ranges, tiered levels newest first, no table listed twice, and every
    /// table's file present with the size the manifest records. Tests run
    /// it after every compaction; tools use it to verify a database.
    pub fn check_invariants(&self) -> std::result::Result<(), String> {
        let version = lock(&self.inner.state).version.clone();
        version.check_invariants()?;
        for (level, table) in version.tables() {
            let name = crate::filename::table_name(table.file_number);
            match self.inner.storage.len(&name) {
                Ok(len) if len == table.size_bytes => {}
                Ok(len) => {
                    return Err(format!(
                        "L{level} table {name}: {len} bytes on storage, {} in the manifest",
                        table.size_bytes
                    ))
                }
                Err(e) => return Err(format!("L{level} table {name}: {e}")),
            }
        }
        Ok(())
    }

    fn check_writable_state(state: &State) -> Result<()> {
        DbInner::check_writable(state)
    }

    /// Why maintenance that no caller asked for failed, if it did: the
    /// flushes and compactions a write triggers (`Inline` mode) or the
    /// background driver runs. The write that triggered it was applied and
    /// returned `Ok`; every later write returns [`Error::WritesStopped`]
    /// until the database is reopened. Maintenance a caller runs itself
    /// (`flush`, `compact`, `maintenance_step`) reports to that caller.
    pub fn maintenance_error(&self) -> Option<String> {
        lock(&self.inner.state).maintenance_error.clone()
    }

    /// How many writes wait in the writer queue for a leader to commit
    /// them (`group_commit.rs`); for tests of the queue.
    #[doc(hidden)]
    pub fn queued_writers(&self) -> usize {
        self.inner.queued_writers()
    }

    /// The last sequence number written.
    pub fn last_seq(&self) -> SeqNo {
        lock(&self.inner.state).last_seq
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.shutdown();
        let mut state = lock(&self.inner.state);
        if state.stopped.is_none() {
            // Best effort: a clean drop should lose nothing, but a failing
            // disk must not turn a drop into a panic.
            let _ = self.inner.sync_wal(&mut state);
        }
    }
}

impl DbInner {
    /// The published state, then the visible sequence number: loaded in
    /// that order, the number covers every record the memtables hold that
    /// a finished write put there, and records a later freeze moved to a
    /// newer memtable are writes that overlap this read.
    /// A snapshot passes its sequence number and time; other reads read
    /// at the newest of both.
    fn read_view(&self, at: Option<(SeqNo, u64)>) -> ReadView {
        let current = Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner));
        let (seq, now_ms) = at.unwrap_or_else(|| {
            let seq = self.visible_seq.load(Ordering::Acquire);
            (seq, self.now_ms.load(Ordering::Acquire))
        });
        ReadView {
            mem: Arc::clone(&current.mem),
            imm: current.imm.clone(),
            version: Arc::clone(&current.version),
            tracer: current.tracer.clone(),
            seq,
            expiry: Expiry::new(self.options.ttl_ms, now_ms),
        }
    }

    /// The TTL policy at the current time (`None` without TTL).
    fn expiry(&self) -> Option<Expiry> {
        Expiry::new(self.options.ttl_ms, self.now_ms.load(Ordering::Acquire))
    }

    /// Publishes the memtables, version and tracer of `state` to readers;
    /// called (with the state locked) after every change to them.
    fn publish(&self, state: &State) {
        let current = Arc::new(Current::of(state));
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = current;
    }

    /// Makes the writes up to `state.last_seq` visible to readers.
    fn publish_seq(&self, state: &State) {
        self.visible_seq.store(state.last_seq, Ordering::Release);
    }

    /// The two fields of a new `DbInner` that readers use.
    fn reader_fields(state: &State) -> (RwLock<Arc<Current>>, AtomicU64) {
        (
            RwLock::new(Arc::new(Current::of(state))),
            AtomicU64::new(state.last_seq),
        )
    }

    fn check_writable(state: &State) -> Result<()> {
        match &state.stopped {
            Some(reason) => Err(Error::WritesStopped(reason.clone())),
            None => Ok(()),
        }
    }

    /// Records a storage failure: every later write is refused until reopen.
    fn stop_on_error<T>(state: &mut State, result: Result<T>) -> Result<T> {
        if let Err(e) = &result {
            state.stopped.get_or_insert_with(|| e.to_string());
        }
        result
    }

    fn memtable_seed(&self, wal_number: u64) -> u64 {
        memtable_seed(&self.options, wal_number)
    }
}

/// Each memtable's towers come from the database seed and its log's number,
/// so replaying the same operations rebuilds the same skiplists.
fn memtable_seed(options: &Options, wal_number: u64) -> u64 {
    options.seed ^ wal_number.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

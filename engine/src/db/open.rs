//! Opening a database: CURRENT → manifest → WAL replay → a fresh manifest →
//! delete every file no version references.
//!
//! Crash safety rests on ordering. A table becomes part of the database only
//! through a synced manifest edit; a new manifest only through the atomic
//! rename of CURRENT; a log is deleted only after an edit saying its records
//! live in a table. Whatever a crash leaves behind is either referenced (and
//! complete) or garbage that this module deletes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Condvar, Mutex, RwLock};

use strata_storage::Storage;

use super::flush::write_table;
use super::write::insert_op;
use super::{memtable_seed, DbInner, State, TableCache};
use crate::batch::WriteBatch;
use crate::error::{Error, IoContext, Result};
use crate::event::{Event, Tracer};
use crate::filename::{self, manifest_name, wal_name, FileKind};
use crate::manifest::{self, ManifestWriter, RecoveredManifest, Version, VersionEdit};
use crate::memtable::MemTable;
use crate::options::{CompactionStrategy, Options};
use crate::record::SeqNo;
use crate::stats::Counters;
use crate::wal::{LogReader, LogWriter};

pub(super) fn open(
    storage: Arc<dyn Storage>,
    options: Options,
    tracer: Tracer,
) -> Result<super::Db> {
    options.validate()?;
    let dir_lock = storage.lock().ctx(filename::LOCK)?;
    let current = manifest::read_current(storage.as_ref())?;
    tracer.emit(|| Event::RecoveryStarted {
        existing: current.is_some(),
    });
    let recovered = match current {
        Some(_) if options.error_if_exists => return Err(Error::AlreadyExists),
        Some(number) => {
            let r = manifest::replay_manifest(storage.as_ref(), number)?;
            check_torn_manifest(storage.as_ref(), &r, number)?;
            check_strategy(&r.version, &options)?;
            check_write_times(&r, &options)?;
            tracer.emit(|| Event::ManifestReplayed {
                manifest_file_number: number,
                edits: r.edits,
                tables: r.version.table_count() as u32,
            });
            r
        }
        None => {
            refuse_orphaned_files(storage.as_ref())?;
            if !options.create_if_missing {
                return Err(Error::NotFound);
            }
            RecoveredManifest {
                version: Version::default()
                    .with_tiered_levels(options.compaction_strategy.tiered_levels()),
                log_number: 0,
                next_file_number: 1,
                last_seq: 0,
                edits: 0,
                compact_pointers: Vec::new(),
                write_times: options.ttl_ms.is_some(),
                torn_tail: false,
                valid_end: 0,
            }
        }
    };
    let files = storage.list().ctx("")?;
    let mut recovery = Recovery {
        next_file_number: files
            .iter()
            .filter_map(|name| match filename::parse(name)? {
                FileKind::Wal(n) | FileKind::Table(n) | FileKind::Manifest(n) => Some(n + 1),
                _ => None,
            })
            .fold(recovered.next_file_number.max(1), u64::max),
        mem: Arc::new(MemTable::new(options.seed)),
        last_seq: recovered.last_seq,
        edit: VersionEdit::default(),
        counters: Counters::default(),
        storage: storage.as_ref(),
        options: &options,
        tracer: &tracer,
    };
    // Oldest first, by number: string order is wrong past 999,999.
    let logs = filename::sorted_numbers(&files, |kind| match kind {
        FileKind::Wal(n) if n >= recovered.log_number => Some(n),
        _ => None,
    });
    let wal = recovery.replay_logs(&logs)?;
    let state = recovery.build_state(wal, &recovered)?;
    let (last_seq, tables) = (state.last_seq, state.version.table_count() as u32);
    let counters = std::mem::take(&mut recovery.counters);
    let (current, visible_seq) = DbInner::reader_fields(&state);
    let workers = super::maintenance::workers_for(&options);
    let inner = Arc::new(DbInner {
        current,
        visible_seq,
        now_ms: AtomicU64::new(0),
        tables: TableCache::new(options.block_cache_bytes, options.max_open_tables),
        storage,
        options,
        state: Mutex::new(state),
        changed: Condvar::new(),
        work: RwLock::new(()),
        next_job: AtomicU64::new(1),
        workers,
        writers: Default::default(),
        counters,
        _lock: dir_lock,
    });
    inner.delete_obsolete_files(&super::lock(&inner.state))?;
    tracer.emit(|| Event::RecoveryFinished { last_seq, tables });
    let db = super::Db {
        #[cfg(not(target_arch = "wasm32"))]
        background: Mutex::new(super::background::start(&inner)?),
        inner,
    };
    // Due compactions are not run here: a damaged table or a full disk
    // must not make the database unopenable. Inline mode runs them with
    // the next write that freezes a memtable (or `flush`/`compact`).
    Ok(db)
}

/// Most Strata files a [`Error::CurrentMissing`] names.
const ORPHANS_NAMED_MAX: usize = 20;

/// Without `CURRENT` a directory is a new database only if it holds no
/// data: no table and no log with records. (A crash while a database was
/// being created can leave an empty log and a manifest of an empty
/// version, never more: CURRENT is durable before the first write.)
/// Otherwise opening would start an empty database over the files and
/// delete them as obsolete, so it is refused, naming what was found.
fn refuse_orphaned_files(storage: &dyn Storage) -> Result<()> {
    let files = storage.list().ctx("")?;
    let has_data = files.iter().any(|name| match filename::parse(name) {
        Some(FileKind::Table(_)) => true,
        Some(FileKind::Wal(_)) => storage.len(name).map_or(true, |len| len > 0),
        _ => false,
    });
    if !has_data {
        return Ok(());
    }
    let mut found: Vec<(u64, String)> = files
        .into_iter()
        .filter_map(|name| match filename::parse(&name)? {
            FileKind::Wal(n) | FileKind::Table(n) | FileKind::Manifest(n) => Some((n, name)),
            _ => None,
        })
        .collect();
    found.sort();
    let more = found.len().saturating_sub(ORPHANS_NAMED_MAX);
    let mut found: Vec<String> = found
        .into_iter()
        .take(ORPHANS_NAMED_MAX)
        .map(|(_, name)| name)
        .collect();
    if more > 0 {
        found.push(format!("and {more} more"));
    }
    Err(Error::CurrentMissing { found })
}

/// A torn last manifest edit is ignored as a write a crash interrupted,
/// which the engine never acted on. If it did act on it — the log the state
/// before it needs, or one of its tables, was already deleted — the edit
/// was durable and was damaged afterwards: ignoring it would silently drop
/// a flush or a compaction, so that is corruption.
fn check_torn_manifest(storage: &dyn Storage, r: &RecoveredManifest, number: u64) -> Result<()> {
    if !r.torn_tail {
        return Ok(());
    }
    let log = wal_name(r.log_number);
    let mut needed = r.version.live_files().into_iter().map(filename::table_name);
    let missing = std::iter::once(log)
        .chain(&mut needed)
        .find(|name| !storage.exists(name).unwrap_or(true));
    match missing {
        None => Ok(()),
        Some(name) => Err(Error::corruption(
            manifest_name(number),
            r.valid_end,
            format!(
                "the last edit is damaged, but {name}, which the state before it needs, is gone"
            ),
        )),
    }
}

/// The level layout is fixed when a database is created: a strategy that
/// tiers a different number of levels would misread its tables.
fn check_strategy(version: &Version, options: &Options) -> Result<()> {
    let wanted = options.compaction_strategy.tiered_levels();
    if version.tiered_levels() == wanted {
        return Ok(());
    }
    let written_with = [
        CompactionStrategy::Leveled,
        CompactionStrategy::SizeTiered,
        CompactionStrategy::Hybrid,
    ]
    .into_iter()
    .find(|s| s.tiered_levels() == version.tiered_levels())
    .map_or_else(|| "another".to_owned(), |s| format!("{s:?}"));
    Err(Error::InvalidOptions(format!(
        "the database was created with the {written_with} compaction strategy \
         ({} tiered levels); open it with that strategy, not {:?}",
        version.tiered_levels(),
        options.compaction_strategy
    )))
}

/// Whether values carry write times is fixed when a database is created:
/// read with the other format, every value would be misread.
fn check_write_times(recovered: &RecoveredManifest, options: &Options) -> Result<()> {
    match (recovered.write_times, options.ttl_ms.is_some()) {
        (true, false) => Err(Error::InvalidOptions(
            "the database was created with ttl_ms set (its values carry write times); \
             open it with ttl_ms set"
                .to_owned(),
        )),
        (false, true) => Err(Error::InvalidOptions(
            "the database was created without ttl_ms (its values carry no write times); \
             open it without ttl_ms"
                .to_owned(),
        )),
        _ => Ok(()),
    }
}

/// How the log before the one being replayed ended.
#[derive(Clone, Copy, Debug)]
enum LogEnd {
    /// There is none: this is the first log replayed (or every log before
    /// it was empty).
    First,
    /// Its last record's last sequence number.
    LastSeq(SeqNo),
}

impl LogEnd {
    /// Whether a log whose first record starts at `first_seq` continues
    /// the history this end left off at.
    fn continues_at(self, first_seq: SeqNo) -> bool {
        match self {
            LogEnd::First => true,
            LogEnd::LastSeq(last) => last.checked_add(1) == Some(first_seq),
        }
    }
}

/// What opening builds up before the database exists.
struct Recovery<'a> {
    storage: &'a dyn Storage,
    options: &'a Options,
    tracer: &'a Tracer,
    mem: Arc<MemTable>,
    next_file_number: u64,
    last_seq: SeqNo,
    /// Tables written from replayed logs.
    edit: VersionEdit,
    counters: Counters,
}

impl Recovery<'_> {
    fn allocate_file_number(&mut self) -> u64 {
        self.next_file_number += 1;
        self.next_file_number - 1
    }

    /// Writes the memtable to a new L0 table and starts a new memtable.
    fn flush_memtable(&mut self, seed_number: u64) -> Result<()> {
        let file_number = self.allocate_file_number();
        let mem = std::mem::replace(
            &mut self.mem,
            Arc::new(MemTable::new(memtable_seed(self.options, seed_number))),
        );
        let meta = write_table(
            self.storage,
            self.options,
            self.tracer,
            &mut mem.iter(),
            &mem.range_tombstones(),
            file_number,
        )?;
        Counters::add(&self.counters.flush_bytes_written, meta.size_bytes);
        Counters::add(&self.counters.flushes, 1);
        self.edit.added.push((0, meta));
        Ok(())
    }

    /// Replays every log, oldest first, up to the first one that does not
    /// continue the history of the log before it. Keeps appending to the
    /// newest log when it alone holds the memtable; otherwise the memtable
    /// goes to L0 and a new log starts. Returns the writer of the log to
    /// continue.
    fn replay_logs(&mut self, logs: &[u64]) -> Result<LogWriter> {
        let mut before = LogEnd::First;
        for (i, &number) in logs.iter().enumerate() {
            self.mem = Arc::new(MemTable::new(memtable_seed(self.options, number)));
            let last = i + 1 == logs.len();
            before = self.replay_log(number, before, last)?;
            if logs.len() > 1 && !self.mem.is_empty() {
                self.flush_memtable(number)?;
            }
        }
        if let ([number], true) = (logs, self.edit.added.is_empty()) {
            let name = wal_name(*number);
            let file = self.storage.open_append(&name).ctx(&name)?;
            return Ok(LogWriter::new(file, *number));
        }
        if !self.mem.is_empty() {
            self.flush_memtable(0)?;
        }
        let number = self.allocate_file_number();
        let name = wal_name(number);
        let file = self.storage.create(&name).ctx(&name)?;
        self.mem = Arc::new(MemTable::new(memtable_seed(self.options, number)));
        Ok(LogWriter::new(file, number))
    }

    /// Replays one log into the memtable, writing the memtable to L0
    /// whenever it fills. Returns how the log ended.
    ///
    /// A freeze syncs the old log before the new one takes a record, so
    /// only the `last` log can end in a torn tail. In any other log a
    /// damaged end is damage to synced data (zeros after the last record
    /// are space reserved ahead of appends, not damage); so is a log whose first
    /// sequence number is not one past the previous log's last (sequence numbers are consecutive across logs). Each is
    /// `Corruption` naming the log: skipping it would drop the newer logs'
    /// synced records, and nothing is deleted.
    fn replay_log(&mut self, number: u64, before: LogEnd, last: bool) -> Result<LogEnd> {
        let name = wal_name(number);
        let mut reader = LogReader::new(self.storage.open(&name).ctx(&name)?, name.clone());
        let (mut batches, mut records) = (0, 0);
        // An empty log (one an interrupted recovery created) leaves the
        // history where it was: if it had lost synced records, the next
        // log's first sequence number would not continue.
        let mut end = before;
        while let Some(payload) = reader.read_record()? {
            let (first_seq, ops) =
                WriteBatch::decode(&payload, &name, reader.last_record_offset())?;
            if batches == 0 && !before.continues_at(first_seq) {
                return Err(Error::corruption(
                    &name,
                    reader.last_record_offset(),
                    format!(
                        "the log starts at sequence number {first_seq}, which does not \
                         continue the log before it ({before:?})"
                    ),
                ));
            }
            for (seq, op) in (first_seq..).zip(&ops) {
                insert_op(&self.mem, self.tracer, seq, op);
            }
            batches += 1;
            records += ops.len() as u64;
            let last = first_seq + (ops.len() as u64).saturating_sub(1);
            end = LogEnd::LastSeq(last);
            self.last_seq = self.last_seq.max(last);
            if self.mem.approximate_bytes() >= self.options.memtable_bytes_max as u64 {
                self.flush_memtable(number)?;
            }
        }
        if !last && reader.torn_tail() && !reader.tail_is_zeros()? {
            return Err(Error::corruption(
                &name,
                reader.valid_end(),
                "a log with a successor ends in damaged records; it was synced before \
                 the next log began, so this is damage, not a torn tail \
                 (`strata repair` salvages the records before it)",
            ));
        }
        // Only the log that stays in use is cut; an older one (whose zero
        // tail is space reserved ahead, cut off by a crash) is written to a
        // table and deleted once the new manifest is durable.
        let truncated_at = (last && reader.torn_tail()).then(|| reader.valid_end());
        if let Some(len) = truncated_at {
            self.storage.truncate(&name, len).ctx(&name)?;
        }
        self.tracer.emit(|| Event::WalReplayed {
            file_number: number,
            batches,
            records,
            truncated_at,
        });
        Ok(end)
    }

    /// Starts a fresh manifest describing the recovered state, points
    /// CURRENT at it, and assembles the database state.
    fn build_state(&mut self, wal: LogWriter, recovered: &RecoveredManifest) -> Result<State> {
        let version = recovered
            .version
            .apply(&self.edit)
            .map_err(|reason| Error::corruption("recovered tables", 0, reason))?;
        let manifest_number = self.allocate_file_number();
        let mut base = version.snapshot_edit();
        base.log_number = Some(wal.file_number());
        base.last_seq = Some(self.last_seq);
        base.next_file_number = Some(self.next_file_number);
        base.compact_pointers = recovered.compact_pointers.clone();
        base.tiered_levels = Some(version.tiered_levels() as u32);
        base.write_times = recovered.write_times.then_some(true);
        let manifest = ManifestWriter::create(self.storage, manifest_number, &base)?;
        Ok(State {
            mem: self.mem.clone(),
            imm: None,
            imm_wal_number: None,
            wal,
            version: Arc::new(version),
            manifest,
            next_file_number: self.next_file_number,
            last_seq: self.last_seq,
            snapshots: BTreeMap::new(),
            tracer: self.tracer.clone(),
            stopped: None,
            maintenance_error: None,
            compact_pointers: recovered.compact_pointers.iter().cloned().collect(),
            versions: Vec::new(),
            obsolete_tables: BTreeSet::new(),
            shutting_down: false,
            running: Vec::new(),
            flushing: false,
        })
    }
}

impl DbInner {
    /// Deletes tables, logs and manifests that the live state does not use,
    /// and leftovers of interrupted atomic writes.
    fn delete_obsolete_files(&self, state: &State) -> Result<()> {
        let live_tables = state.version.live_files();
        let live_manifest = manifest_name(state.manifest.file_number());
        for name in self.storage.list().ctx("")? {
            let obsolete = match filename::parse(&name) {
                Some(FileKind::Table(n)) => !live_tables.contains(&n),
                Some(FileKind::Wal(n)) => n != state.wal.file_number(),
                Some(FileKind::Manifest(_)) => name != live_manifest,
                Some(FileKind::Temp) => true,
                Some(FileKind::Current | FileKind::Lock) | None => false,
            };
            if obsolete {
                if let Some(FileKind::Table(n)) = filename::parse(&name) {
                    self.tables.evict(n);
                }
                if self.storage.remove(&name).is_ok() {
                    state.tracer.emit(|| Event::FileDeleted { name });
                }
            }
        }
        Ok(())
    }
}

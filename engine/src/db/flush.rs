//! Flush: the immutable memtable becomes a table in L0.
//!
//! The table is written without the state mutex (the frozen memtable does
//! not change), so writers carry on in the new memtable meanwhile; only the
//! manifest edit that installs it takes the mutex.

use std::sync::Arc;

use strata_storage::Storage;

use super::{lock, DbInner, State};
use crate::error::{IoContext, Result};
use crate::event::{Event, Tracer};
use crate::filename::wal_name;
use crate::iter::InternalIterator;
use crate::manifest::VersionEdit;
use crate::options::Options;
use crate::range_tombstone::RangeTombstone;
use crate::sstable::TableBuilder;
use crate::stats::Counters;
use crate::table_meta::TableMeta;

impl DbInner {
    /// Writes the immutable memtable, if any, to a new L0 table, installs
    /// it with one manifest edit, then retires the memtable's log. Returns
    /// the table's file number. The caller holds the maintenance lock.
    pub(super) fn flush_imm(&self) -> Result<Option<u64>> {
        let (imm, file_number, tracer) = {
            let mut state = lock(&self.state);
            Self::check_writable(&state)?;
            // Another of the background driver's threads is flushing it.
            if state.flushing {
                return Ok(None);
            }
            let Some(imm) = state.imm.clone() else {
                return Ok(None);
            };
            state.flushing = true;
            let file_number = state.allocate_file_number();
            let (_, tracer) = self.new_job(&state.tracer);
            (imm, file_number, tracer)
        };
        tracer.emit(|| Event::FlushStarted {
            file_number,
            entries: imm.entries(),
        });
        let written = write_table(
            self.storage.as_ref(),
            &self.options,
            &tracer,
            &mut imm.iter(),
            &imm.range_tombstones(),
            file_number,
        );
        let mut state = lock(&self.state);
        state.flushing = false;
        let meta = Self::stop_on_error(&mut state, written)?;
        Counters::add(&self.counters.flush_bytes_written, meta.size_bytes);
        let edit = VersionEdit {
            // No freeze can happen while `imm` waits, so the current log is
            // the one that follows the flushed memtable's.
            log_number: Some(state.wal.file_number()),
            next_file_number: Some(state.next_file_number),
            last_seq: Some(state.last_seq),
            added: vec![(0, meta)],
            ..VersionEdit::default()
        };
        let applied = self.log_and_apply(&mut state, edit);
        Self::stop_on_error(&mut state, applied)?;
        state.imm = None;
        self.publish(&state);
        // The frozen memtable's records are in a durable table now: its
        // log need not be synced before the current one any more.
        state.wal.release_predecessor();
        let retired = state.imm_wal_number.take();
        Counters::add(&self.counters.flushes, 1);
        drop(state);
        self.changed.notify_all();
        // Removing a file can sync the directory: done without the state
        // mutex, so writers carry on meanwhile.
        if let Some(old) = retired {
            if self.storage.remove(&wal_name(old)).is_ok() {
                tracer.emit(|| Event::WalRetired { file_number: old });
            }
        }
        tracer.emit(|| Event::FlushFinished { file_number });
        Ok(Some(file_number))
    }

    /// Makes `edit` durable in the manifest, then installs the new version.
    pub(super) fn log_and_apply(&self, state: &mut State, edit: VersionEdit) -> Result<()> {
        if !edit.added.is_empty() {
            // The new tables' directory entries must be durable before an
            // edit that refers to them.
            self.storage.sync_dir().ctx("")?;
            // The sync covered the current log's name too.
            state.wal.set_name_durable();
        }
        let version = state
            .version
            .apply(&edit)
            .map_err(|reason| crate::Error::corruption("version edit", 0, reason))?;
        state.manifest.append(&edit)?;
        let manifest_file_number = state.manifest.file_number();
        state.tracer.emit(|| Event::ManifestEdit {
            manifest_file_number,
            added: edit
                .added
                .iter()
                .map(|(level, t)| t.summary(*level))
                .collect(),
            removed: edit.removed.clone(),
            log_number: edit.log_number,
            next_file_number: edit.next_file_number,
            last_seq: edit.last_seq,
        });
        state.install(Arc::new(version));
        self.publish(state);
        self.maybe_rewrite_manifest(state, edit.log_number)
    }
}

/// Writes every entry of `source` and every range tombstone into a new L0
/// table `file_number`.
pub(super) fn write_table(
    storage: &dyn Storage,
    options: &Options,
    tracer: &Tracer,
    source: &mut dyn InternalIterator,
    range_tombstones: &[RangeTombstone],
    file_number: u64,
) -> Result<TableMeta> {
    let mut builder = TableBuilder::new(storage, file_number, 0, options, tracer.clone())?;
    source.seek_to_first()?;
    while source.valid() {
        builder.add(source.key(), source.value())?;
        source.next()?;
    }
    for t in range_tombstones {
        builder.add_range_tombstone(t)?;
    }
    builder.finish()
}

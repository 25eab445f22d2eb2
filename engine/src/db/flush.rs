//! Flush: the immutable memtable becomes a table in L0.

use strata_storage::Storage;

use super::{DbInner, Maintenance, State};
use crate::error::{IoContext, Result};
use crate::event::{Event, TableSummary, Tracer};
use crate::filename::wal_name;
use crate::iter::InternalIterator;
use crate::manifest::VersionEdit;
use crate::options::Options;
use crate::sstable::TableBuilder;
use crate::stats::Counters;
use crate::table_meta::TableMeta;

impl DbInner {
    pub(super) fn flush_all(&self) -> Result<()> {
        let mut state = super::lock(&self.state);
        Self::check_writable(&state)?;
        if state.imm.is_some() {
            self.flush_imm(&mut state)?;
        }
        if !state.mem.is_empty() {
            self.freeze(&mut state)?;
            self.flush_imm(&mut state)?;
        }
        Ok(())
    }

    pub(super) fn maintenance_step(&self) -> Result<Option<Maintenance>> {
        let mut state = super::lock(&self.state);
        Self::check_writable(&state)?;
        if state.imm.is_none() {
            return Ok(None);
        }
        let file_number = self.flush_imm(&mut state)?;
        Ok(Some(Maintenance::Flushed { file_number }))
    }

    /// Writes the immutable memtable to a new L0 table, installs it with one
    /// manifest edit, then retires the memtable's log. Returns the table's
    /// file number.
    pub(super) fn flush_imm(&self, state: &mut State) -> Result<u64> {
        let result = self.flush_imm_inner(state);
        Self::stop_on_error(state, result)
    }

    fn flush_imm_inner(&self, state: &mut State) -> Result<u64> {
        let Some(imm) = state.imm.clone() else {
            return Ok(0);
        };
        let file_number = state.next_file_number;
        state.next_file_number += 1;
        state.tracer.emit(|| Event::FlushStarted {
            file_number,
            entries: imm.entries(),
        });
        let meta = write_table(
            self.storage.as_ref(),
            &self.options,
            &state.tracer,
            &mut imm.iter(),
            file_number,
        )?;
        Counters::add(&self.counters.flush_bytes_written, meta.size_bytes);
        let edit = VersionEdit {
            log_number: Some(state.wal.file_number()),
            next_file_number: Some(state.next_file_number),
            last_seq: Some(state.last_seq),
            added: vec![(0, meta)],
            ..VersionEdit::default()
        };
        self.log_and_apply(state, edit)?;
        state.imm = None;
        if let Some(old) = state.imm_wal_number.take() {
            self.remove_file(state, &wal_name(old));
            state.tracer.emit(|| Event::WalRetired { file_number: old });
        }
        Counters::add(&self.counters.flushes, 1);
        state.tracer.emit(|| Event::FlushFinished { file_number });
        Ok(file_number)
    }

    /// Makes `edit` durable in the manifest, then installs the new version.
    pub(super) fn log_and_apply(&self, state: &mut State, edit: VersionEdit) -> Result<()> {
        if !edit.added.is_empty() {
            // The new tables' directory entries must be durable before an
            // edit that refers to them.
            self.storage.sync_dir().ctx("")?;
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
                .map(|(level, t)| table_summary(*level, t))
                .collect(),
            removed: edit.removed.clone(),
            log_number: edit.log_number,
            next_file_number: edit.next_file_number,
            last_seq: edit.last_seq,
        });
        state.version = std::sync::Arc::new(version);
        Ok(())
    }

    /// Deletes a file nothing needs any more. Failure only leaves garbage
    /// that the next open removes, so it is not an error.
    pub(super) fn remove_file(&self, state: &State, name: &str) {
        if self.storage.remove(name).is_ok() {
            state.tracer.emit(|| Event::FileDeleted {
                name: name.to_owned(),
            });
        }
    }
}

/// Writes every entry of `source` into a new L0 table `file_number`.
pub(super) fn write_table(
    storage: &dyn Storage,
    options: &Options,
    tracer: &Tracer,
    source: &mut dyn InternalIterator,
    file_number: u64,
) -> Result<TableMeta> {
    let mut builder = TableBuilder::new(storage, file_number, 0, options, tracer.clone())?;
    source.seek_to_first()?;
    while source.valid() {
        builder.add(source.key(), source.value())?;
        source.next()?;
    }
    builder.finish()
}

/// How a table appears in events.
pub(crate) fn table_summary(level: u32, t: &TableMeta) -> TableSummary {
    TableSummary {
        level,
        file_number: t.file_number,
        size_bytes: t.size_bytes,
        entries: t.entries,
        smallest: t.smallest_user_key().to_vec(),
        largest: t.largest_user_key().to_vec(),
    }
}

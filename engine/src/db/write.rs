//! The write path: log first, then memtable; freeze when full.

use std::sync::Arc;

use super::{lock, DbInner, State};
use crate::batch::{BatchOp, WriteBatch};
use crate::error::{IoContext, Result};
use crate::event::{Event, Tracer};
use crate::filename::wal_name;
use crate::memtable::MemTable;
use crate::options::WriteOptions;
use crate::record::{ValueKind, MAX_SEQNO};
use crate::stats::Counters;
use crate::wal::LogWriter;

impl DbInner {
    pub(super) fn write(&self, batch: &WriteBatch, options: WriteOptions) -> Result<()> {
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        let mut state = lock(&self.state);
        Self::check_writable(&state)?;
        self.make_room(&mut state)?;
        let count = batch.len() as u64;
        let first_seq = state.last_seq + 1;
        if first_seq + count > MAX_SEQNO {
            return Err(crate::Error::InvalidOptions(
                "sequence numbers exhausted".into(),
            ));
        }
        let payload = batch.encode(first_seq);
        let appended = state.wal.add_record(&payload);
        let info = Self::stop_on_error(&mut state, appended)?;
        let wal_number = state.wal.file_number();
        state.tracer.emit(|| Event::WalAppended {
            file_number: wal_number,
            offset: info.offset,
            bytes: info.bytes,
            fragments: info.fragments.clone(),
            first_seq,
            count: batch.len() as u32,
        });
        if options.sync {
            let synced = state.wal.sync();
            Self::stop_on_error(&mut state, synced)?;
            state.tracer.emit(|| Event::WalSynced {
                file_number: wal_number,
            });
        }
        Counters::add(&self.counters.wal_bytes_written, info.bytes);
        Counters::add(&self.counters.user_bytes_written, batch.user_bytes());
        for (seq, op) in (first_seq..).zip(batch.ops()) {
            insert_op(&state.mem, &state.tracer, seq, op);
        }
        state.last_seq = first_seq + count - 1;
        Ok(())
    }

    /// Freezes a full memtable, flushing the previous frozen one first if it
    /// is still waiting.
    pub(super) fn make_room(&self, state: &mut State) -> Result<()> {
        if state.mem.approximate_bytes() < self.options.memtable_bytes_max as u64 {
            return Ok(());
        }
        if state.imm.is_some() {
            self.flush_imm(state)?;
        }
        self.freeze(state)
    }

    /// Turns the active memtable into the immutable one, with a fresh log
    /// and memtable taking writes.
    pub(super) fn freeze(&self, state: &mut State) -> Result<()> {
        // The old log must be durable before a newer log can be: otherwise a
        // crash could keep later synced writes and lose earlier ones, a hole
        // in the history.
        let synced = state.wal.sync();
        Self::stop_on_error(state, synced)?;
        let new_number = state.next_file_number;
        let name = wal_name(new_number);
        // The new log's directory entry must be durable before any synced
        // write in it is acknowledged.
        let created = self
            .storage
            .create(&name)
            .and_then(|f| self.storage.sync_dir().map(|()| f))
            .ctx(&name);
        let file = Self::stop_on_error(state, created)?;
        state.next_file_number += 1;
        let old_wal = std::mem::replace(&mut state.wal, LogWriter::new(file, new_number));
        let old_number = old_wal.file_number();
        let seed = self.memtable_seed(new_number);
        let frozen = std::mem::replace(&mut state.mem, Arc::new(MemTable::new(seed)));
        state.tracer.emit(|| Event::MemtableFrozen {
            entries: frozen.entries(),
            bytes: frozen.approximate_bytes(),
            wal_file_number: old_number,
            new_wal_file_number: new_number,
        });
        state.imm = Some(frozen);
        state.imm_wal_number = Some(old_number);
        drop(old_wal);
        Ok(())
    }
}

/// Inserts one batch operation into the active memtable.
pub(super) fn insert_op(mem: &MemTable, tracer: &Tracer, seq: u64, op: &BatchOp) {
    let (key, kind, value): (&[u8], _, &[u8]) = match op {
        BatchOp::Put { key, value } => (key, ValueKind::Put, value),
        BatchOp::Delete { key } => (key, ValueKind::Delete, &[]),
    };
    let tower_height = mem.insert(key, seq, kind, value);
    tracer.emit(|| Event::MemtableInsert {
        key: key.to_vec(),
        seq,
        kind,
        tower_height,
        entries: mem.entries(),
        bytes: mem.approximate_bytes(),
    });
}

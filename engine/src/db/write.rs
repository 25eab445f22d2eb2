//! The write path: log first, then memtable; freeze when full.

use std::sync::Arc;

use std::sync::{MutexGuard, PoisonError};

use super::stall::StallTimer;
use super::{lock, DbInner, State};
use crate::batch::{BatchOp, WriteBatch};
use crate::error::{IoContext, Result};
use crate::event::{Event, Tracer};
use crate::filename::wal_name;
use crate::memtable::MemTable;
use crate::options::MaintenanceMode;
use crate::record::{ValueKind, MAX_SEQNO};
use crate::stats::Counters;

/// What a writer must do before its write fits.
enum Room {
    /// The memtable has room.
    Ready,
    /// The memtable is full and nothing waits: freeze it.
    Freeze,
    /// The memtable is full and the previous one still waits for its flush.
    FlushPending,
    /// Background mode: too many L0 tables; wait for compaction.
    Stop,
    /// Background mode: many L0 tables; delay this write a little.
    SlowDown,
}

impl DbInner {
    /// Appends `batches` to the log as one record, syncs it if `sync`, and
    /// inserts their operations into the memtable, numbered in order. The
    /// caller made room (`make_room`) and holds the state.
    pub(super) fn apply(
        &self,
        state: &mut State,
        batches: &[&WriteBatch],
        sync: bool,
    ) -> Result<()> {
        let count: u64 = batches.iter().map(|b| b.len() as u64).sum();
        let first_seq = state.last_seq + 1;
        if first_seq + count > MAX_SEQNO {
            return Err(crate::Error::InvalidOptions(
                "sequence numbers exhausted".into(),
            ));
        }
        let payload = WriteBatch::encode_group(batches, first_seq);
        let appended = state.wal.add_record(&payload);
        let info = Self::stop_on_error(state, appended)?;
        let wal_number = state.wal.file_number();
        state.tracer.emit(|| Event::WalAppended {
            file_number: wal_number,
            offset: info.offset,
            bytes: info.bytes,
            fragments: info.fragments.clone(),
            first_seq,
            count: u32::try_from(count).unwrap_or(u32::MAX),
        });
        if sync {
            self.sync_wal(state)?;
            state.tracer.emit(|| Event::WalSynced {
                file_number: wal_number,
            });
        }
        Counters::add(&self.counters.wal_bytes_written, info.bytes);
        let mut user_bytes: u64 = batches.iter().map(|b| b.user_bytes()).sum();
        if self.options.ttl_ms.is_some() {
            // The write times the engine added are not the user's bytes.
            let puts = batches.iter().flat_map(|b| b.ops());
            let puts = puts.filter(|op| op.kind() == ValueKind::Put).count() as u64;
            user_bytes = user_bytes.saturating_sub(puts * crate::ttl::WRITE_TIME_BYTES as u64);
        }
        Counters::add(&self.counters.user_bytes_written, user_bytes);
        let ops = batches.iter().flat_map(|b| b.ops());
        for (seq, op) in (first_seq..).zip(ops) {
            insert_op(&state.mem, &state.tracer, seq, op);
        }
        state.last_seq = first_seq + count - 1;
        self.publish_seq(state);
        Ok(())
    }

    /// Runs the maintenance a write made due (`Inline` mode): the write is
    /// applied (and synced if asked), so its result stays `Ok` whatever the
    /// maintenance does.
    pub(super) fn maintain_after_write(&self, frozen: bool) {
        if frozen && self.options.maintenance == MaintenanceMode::Inline {
            let maintained = self.maintain_until_idle(&crate::compaction::NoPacing);
            self.record_maintenance_error(maintained);
        }
    }

    /// Records a failure of maintenance no caller asked for: reported by
    /// `Db::maintenance_error`, and every later write is refused.
    pub(super) fn record_maintenance_error(&self, result: Result<()>) {
        if let Err(e) = result {
            let mut state = lock(&self.state);
            let reason = format!("maintenance failed: {e}");
            state.maintenance_error.get_or_insert_with(|| e.to_string());
            state.stopped.get_or_insert(reason);
            drop(state);
            self.changed.notify_all();
        }
    }

    fn room(&self, state: &State, slowed: bool) -> Room {
        let background = self.options.maintenance == MaintenanceMode::Background;
        let l0_tables = state.version.level(0).len();
        if background && l0_tables >= self.options.l0_stop_trigger {
            return Room::Stop;
        }
        if background && !slowed && l0_tables >= self.options.l0_slowdown_trigger {
            return Room::SlowDown;
        }
        if state.mem.approximate_bytes() < self.options.memtable_bytes_max as u64 {
            Room::Ready
        } else if state.imm.is_some() {
            Room::FlushPending
        } else {
            Room::Freeze
        }
    }

    /// Waits until the memtable can take a write and returns the locked
    /// state, given locked. A full memtable is frozen; a flush still
    /// pending is waited for (background mode) or done by this writer
    /// (other modes).
    pub(super) fn make_room<'a>(
        &'a self,
        mut state: MutexGuard<'a, State>,
    ) -> Result<MutexGuard<'a, State>> {
        let background = self.options.maintenance == MaintenanceMode::Background;
        let stalls = &self.counters.stalls;
        let mut slowed = false;
        let (mut waited_full, mut waited_stop) = (false, false);
        loop {
            Self::check_writable(&state)?;
            match self.room(&state, slowed) {
                Room::Ready => return Ok(state),
                Room::Freeze => {
                    self.freeze(&mut state)?;
                    drop(state);
                    self.changed.notify_all();
                    state = lock(&self.state);
                }
                room @ (Room::FlushPending | Room::Stop) if background => {
                    let timer = StallTimer::start(true);
                    state = self
                        .changed
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                    let (counter, waited) = match room {
                        Room::Stop => (&stalls.l0_stop, &mut waited_stop),
                        _ => (&stalls.memtable_full, &mut waited_full),
                    };
                    timer.stop(counter, !std::mem::replace(waited, true));
                }
                Room::FlushPending | Room::Stop => {
                    drop(state);
                    let _work = self.work_lock();
                    self.flush_imm()?;
                    drop(_work);
                    state = lock(&self.state);
                }
                Room::SlowDown => {
                    drop(state);
                    slowed = true;
                    let timer = StallTimer::start(background);
                    #[cfg(not(target_arch = "wasm32"))]
                    super::background::slow_down_writer();
                    timer.stop(&stalls.l0_slowdown, true);
                    state = lock(&self.state);
                }
            }
        }
    }

    /// Turns the active memtable into the immutable one, with a fresh log
    /// and memtable taking writes.
    ///
    /// The old log is synced first: a log with a successor is complete on
    /// disk before the successor takes a record, so recovery can tell a
    /// torn tail (only ever in the last log) from damage (anywhere else),
    /// and never drops a newer log for an older one's lost tail. The new
    /// log's directory entry is synced by the next `sync_wal`
    /// (`docs/durability.md`, "Log switches").
    ///
    /// The caller checked, under the same lock, that no memtable is
    /// frozen: the one slot for it must be empty.
    pub(super) fn freeze(&self, state: &mut State) -> Result<()> {
        debug_assert!(
            state.imm.is_none(),
            "a freeze would replace a frozen memtable"
        );
        let background = self.options.maintenance == MaintenanceMode::Background;
        let timer = StallTimer::start(background);
        let synced = state.wal.sync();
        Self::stop_on_error(state, synced)?;
        if !state.wal.name_durable() {
            // The old log's name must be durable before it has a successor:
            // recovery cannot see a hole where a whole log is missing.
            // (Rare: a flush's directory sync normally covered it.)
            let synced = self.storage.sync_dir().ctx("");
            Self::stop_on_error(state, synced)?;
            state.wal.set_name_durable();
        }
        let new_number = state.next_file_number;
        let name = wal_name(new_number);
        let created = self.storage.create(&name).ctx(&name);
        let file = Self::stop_on_error(state, created)?;
        timer.stop(&self.counters.stalls.log_switch, true);
        state.next_file_number += 1;
        let old_number = state.wal.file_number();
        state.wal.switch_to(file, new_number);
        // Synced above: nothing of it waits for the new log's first sync.
        state.wal.release_predecessor();
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
        self.publish(state);
        Ok(())
    }

    /// Makes every write so far durable: the new log's directory entry if
    /// a freeze has not made it durable yet, the frozen memtable's log if
    /// it is not synced yet, then the current log.
    pub(super) fn sync_wal(&self, state: &mut State) -> Result<()> {
        if !state.wal.name_durable() {
            let synced = self.storage.sync_dir().ctx("");
            Self::stop_on_error(state, synced)?;
            state.wal.set_name_durable();
        }
        let synced = state.wal.sync();
        Self::stop_on_error(state, synced)
    }
}

/// Inserts one batch operation into the active memtable.
pub(super) fn insert_op(mem: &MemTable, tracer: &Tracer, seq: u64, op: &BatchOp) {
    let (key, kind, value): (&[u8], _, &[u8]) = match op {
        BatchOp::Put { key, value } => (key, ValueKind::Put, value),
        BatchOp::Delete { key } => (key, ValueKind::Delete, &[]),
        BatchOp::DeleteRange { start, end } => {
            mem.insert_range_tombstone(start, end, seq);
            tracer.emit(|| Event::RangeDeleted {
                start: start.clone(),
                end: end.clone(),
                seq,
                bytes: mem.approximate_bytes(),
            });
            return;
        }
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

//! Group commit: synced writers that arrive together share one log
//! append and one sync.
//!
//! Synced writers line up in the writer queue. The writer at its front,
//! when no other is committing, becomes the *leader*: it takes the
//! database mutex, makes room, and takes the batches queued behind its own
//! (up to a size limit); it appends them all as one log record, syncs once,
//! inserts them in order, and marks each done. The writers it committed
//! wake with its result and return without touching the log; the next
//! writer at the front leads the next group.
//!
//! While a leader syncs, the writers behind it queue up, so N concurrent
//! synced writers need far fewer than N syncs: LevelDB's writer queue.
//! Followers wait on the queue's condition variable, not on the database
//! mutex, so they return as soon as their group is committed.
//!
//! Unsynced writes do not queue: they hold the mutex for microseconds, and
//! a copy of the batch and a wake-up would cost more than they save. They
//! take the mutex directly, between groups.
//!
//! Why it is safe:
//! - Every append happens with the database mutex held, one leader or
//!   unsynced writer at a time, and a batch leaves the queue only into the
//!   group of the leader that commits it, so the log, the memtable and the
//!   sequence numbers agree on one order.
//! - A group is one log record in the batch format, so recovery replays it
//!   whole or not at all: every batch stays atomic, and a synced writer
//!   returns only after the sync that covered its record.
//! - A writer that finds nobody committing and nobody queued commits alone
//!   without copying its batch. A single-threaded caller (the visualizer,
//!   the tutorials, the golden traces) always does: groups of one, traces
//!   unchanged, and no thread ever waits (which wasm32 could not do).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::{lock, DbInner, State};
use crate::batch::WriteBatch;
use crate::error::{Error, Result};
use crate::options::WriteOptions;

/// A synced write waiting for a leader.
struct Queued {
    batch: WriteBatch,
    /// Set by the leader that committed it.
    done: Option<Result<()>>,
}

/// The writers waiting, and whether one is committing.
#[derive(Default)]
struct Line {
    queue: VecDeque<Arc<Mutex<Queued>>>,
    /// A leader is committing a group.
    leading: bool,
}

/// The writer queue: who waits, who leads, and where they wait.
#[derive(Default)]
pub(super) struct WriterQueue {
    line: Mutex<Line>,
    /// Signalled when a leader finishes: its followers are done, and the
    /// writer now at the front may lead.
    turn: Condvar,
}

/// A group holds at most this many encoded bytes...
const GROUP_BYTES_MAX: usize = 1 << 20;
/// ...or, when the leader's own batch is small, only this much more than
/// it, so that a small write is not slowed by a large group.
const SMALL_GROUP_EXTRA_BYTES: usize = 128 << 10;

impl DbInner {
    /// Applies `batch` atomically, alone or in a group with concurrent
    /// writers' batches.
    /// With a time to live, every put is first stamped with the current
    /// time ([`crate::ttl::TimedValue`]).
    pub(super) fn write(&self, batch: &WriteBatch, options: WriteOptions) -> Result<()> {
        let stamped;
        let batch = match self.options.ttl_ms {
            Some(_) => {
                let now_ms = self.now_ms.load(std::sync::atomic::Ordering::Acquire);
                stamped = crate::ttl::stamp(batch, now_ms)?;
                &stamped
            }
            None => batch,
        };
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        if !options.sync {
            // An unsynced write holds the mutex for microseconds: queueing
            // it would cost more (a copy, a wake-up) than it saves.
            let state = self.make_room(lock(&self.state))?;
            let frozen = self.commit(state, batch, Vec::new(), false)?;
            self.maintain_after_write(frozen);
            return Ok(());
        }
        let mut line = self.writers.line();
        if !line.leading && line.queue.is_empty() {
            line.leading = true;
            drop(line);
            return self.lead(batch);
        }
        let queued = Arc::new(Mutex::new(Queued {
            batch: batch.clone(),
            done: None,
        }));
        line.queue.push_back(Arc::clone(&queued));
        loop {
            if let Some(result) = slot(&queued).done.take() {
                return result;
            }
            let first = line.queue.front().is_some_and(|q| Arc::ptr_eq(q, &queued));
            if first && !line.leading {
                line.leading = true;
                line.queue.pop_front();
                drop(line);
                let own = slot(&queued);
                return self.lead(&own.batch);
            }
            line = self
                .writers
                .turn
                .wait(line)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// How many writes wait for a leader.
    pub(super) fn queued_writers(&self) -> usize {
        self.writers.line().queue.len()
    }

    /// Commits the synced batch `own` with the batches queued behind it,
    /// hands the lead on, and runs the maintenance the write made due.
    fn lead(&self, own: &WriteBatch) -> Result<()> {
        let result = self.make_room(lock(&self.state)).and_then(|state| {
            let group = self.writers.take_group(own.encoded_bytes());
            self.commit(state, own, group, true)
        });
        let mut line = self.writers.line();
        line.leading = false;
        drop(line);
        self.writers.turn.notify_all();
        let frozen = result?;
        self.maintain_after_write(frozen);
        Ok(())
    }

    /// Appends and applies `own` and the queued batches of `group` after
    /// it, synced if `sync`, and marks the group's done. Returns whether a
    /// memtable is now frozen.
    fn commit(
        &self,
        mut state: MutexGuard<'_, State>,
        own: &WriteBatch,
        group: Vec<Arc<Mutex<Queued>>>,
        sync: bool,
    ) -> Result<bool> {
        let slots: Vec<MutexGuard<'_, Queued>> = group.iter().map(|q| slot(q)).collect();
        let mut batches = Vec::with_capacity(slots.len() + 1);
        batches.push(own);
        batches.extend(slots.iter().map(|q| &q.batch));
        let result = self.apply(&mut state, &batches, sync);
        drop(batches);
        for mut queued in slots {
            queued.done = Some(match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(for_follower(e, &state)),
            });
        }
        let frozen = state.imm.is_some();
        result.map(|()| frozen)
    }
}

impl WriterQueue {
    fn line(&self) -> MutexGuard<'_, Line> {
        self.line.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The oldest queued writes that fit in a group led by a batch of
    /// `leader_bytes`, taken off the queue.
    fn take_group(&self, leader_bytes: usize) -> Vec<Arc<Mutex<Queued>>> {
        let max_bytes = if leader_bytes <= SMALL_GROUP_EXTRA_BYTES {
            leader_bytes + SMALL_GROUP_EXTRA_BYTES
        } else {
            GROUP_BYTES_MAX.max(leader_bytes)
        };
        let mut line = self.line();
        let mut bytes = leader_bytes;
        let mut group = Vec::new();
        while let Some(next) = line.queue.front() {
            let next_bytes = slot(next).batch.encoded_bytes();
            if bytes + next_bytes > max_bytes {
                break;
            }
            bytes += next_bytes;
            group.extend(line.queue.pop_front());
        }
        group
    }
}

/// The error a follower gets when its group failed: the same words, as a
/// refusal when the failure stopped the database (as it did for the
/// leader's next write).
fn for_follower(e: &Error, state: &State) -> Error {
    match (e, &state.stopped) {
        (Error::InvalidOptions(reason), _) => Error::InvalidOptions(reason.clone()),
        (_, Some(reason)) => Error::WritesStopped(reason.clone()),
        (e, None) => Error::WritesStopped(e.to_string()),
    }
}

fn slot(queued: &Mutex<Queued>) -> MutexGuard<'_, Queued> {
    queued.lock().unwrap_or_else(PoisonError::into_inner)
}

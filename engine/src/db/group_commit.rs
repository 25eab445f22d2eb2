//! Group commit: writers that arrive together share one log append and
//! one sync.
//!
//! A writer that finds the database mutex free writes as it always did. A
//! writer that finds it held puts a copy of its batch in the writer queue
//! and then waits for the mutex. Whoever next holds the mutex to write,
//! the *leader*, takes the queued batches after its own (up to a size
//! limit), appends them all as one log record, syncs once if any of them
//! asked for a sync, inserts them in order and marks each done. A queued
//! writer that gets the mutex and finds its batch done returns its result
//! without touching the log; one whose batch is still queued leads.
//!
//! While a leader syncs, the writers behind it queue up, so N concurrent
//! synced writers need far fewer than N syncs: this is LevelDB's writer
//! queue, with the database mutex as the leader's token.
//!
//! Why it is safe:
//! - The queue is drained, and results are set, only with the database
//!   mutex held, so a writer holding the mutex sees a settled queue: its
//!   batch is either done or still queued, never half-committed.
//! - A group is one log record in the batch format, so recovery replays it
//!   whole or not at all: every batch stays atomic, and a synced writer
//!   returns only after the sync that covered its record.
//! - A single-threaded caller (the visualizer, the tutorials, the golden
//!   traces) always finds the mutex free: groups of one, traces unchanged.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use super::{lock, DbInner, State};
use crate::batch::WriteBatch;
use crate::error::{Error, Result};
use crate::options::WriteOptions;

/// A write waiting for a leader.
pub(super) struct Queued {
    batch: WriteBatch,
    sync: bool,
    /// Set, with the database mutex held, by the leader that committed it.
    done: Mutex<Option<Result<()>>>,
}

/// The writes waiting for a leader, oldest first.
pub(super) type WriterQueue = Mutex<VecDeque<Arc<Queued>>>;

/// A group holds at most this many encoded bytes...
const GROUP_BYTES_MAX: usize = 1 << 20;
/// ...or, when the leader's own batch is small, only this much more than
/// it, so that a small write is not slowed by a large group.
const SMALL_GROUP_EXTRA_BYTES: usize = 128 << 10;

impl DbInner {
    /// Applies `batch` atomically, alone or in a group with concurrent
    /// writers' batches.
    pub(super) fn write(&self, batch: &WriteBatch, options: WriteOptions) -> Result<()> {
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        let state = match self.state.try_lock() {
            Ok(state) => state,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return self.write_queued(batch, options),
        };
        let state = self.make_room(state)?;
        self.commit_group(state, batch, options.sync)
    }

    /// How many writes wait for a leader.
    pub(super) fn queued_writers(&self) -> usize {
        queue(&self.writers).len()
    }

    /// The mutex is held: queue a copy of `batch`, wait for the mutex, and
    /// return the result of the leader that committed it, or lead.
    fn write_queued(&self, batch: &WriteBatch, options: WriteOptions) -> Result<()> {
        let queued = Arc::new(Queued {
            batch: batch.clone(),
            sync: options.sync,
            done: Mutex::new(None),
        });
        queue(&self.writers).push_back(Arc::clone(&queued));
        let state = match self.make_room(lock(&self.state)) {
            Ok(state) => state,
            Err(e) => {
                // With the mutex held the queue is settled: either a leader
                // committed the batch, or it is still queued and must not be
                // committed after this writer reports the error.
                let _state = lock(&self.state);
                if let Some(result) = take_result(&queued) {
                    return result;
                }
                withdraw(&self.writers, &queued);
                return Err(e);
            }
        };
        if let Some(result) = take_result(&queued) {
            return result;
        }
        withdraw(&self.writers, &queued);
        self.commit_group(state, &queued.batch, queued.sync)
    }

    /// Commits `own` with the queued batches behind it, marks theirs done,
    /// and runs the maintenance the write made due.
    fn commit_group(
        &self,
        mut state: MutexGuard<'_, State>,
        own: &WriteBatch,
        own_sync: bool,
    ) -> Result<()> {
        let group = take_group(&self.writers, own.encoded_bytes());
        let mut batches = Vec::with_capacity(group.len() + 1);
        batches.push(own);
        batches.extend(group.iter().map(|q| &q.batch));
        let sync = own_sync || group.iter().any(|q| q.sync);
        let result = self.apply(&mut state, &batches, sync);
        for queued in &group {
            let theirs = match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(for_follower(e, &state)),
            };
            *done_slot(queued) = Some(theirs);
        }
        let frozen = state.imm.is_some();
        drop(state);
        result?;
        self.maintain_after_write(frozen);
        Ok(())
    }
}

/// The oldest queued writes that fit in a group led by a batch of
/// `leader_bytes`, taken off the queue.
fn take_group(writers: &WriterQueue, leader_bytes: usize) -> Vec<Arc<Queued>> {
    let max_bytes = if leader_bytes <= SMALL_GROUP_EXTRA_BYTES {
        leader_bytes + SMALL_GROUP_EXTRA_BYTES
    } else {
        GROUP_BYTES_MAX.max(leader_bytes)
    };
    let mut queue = queue(writers);
    let mut bytes = leader_bytes;
    let mut group = Vec::new();
    while let Some(next) = queue.front() {
        let next_bytes = next.batch.encoded_bytes();
        if bytes + next_bytes > max_bytes {
            break;
        }
        bytes += next_bytes;
        group.extend(queue.pop_front());
    }
    group
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

fn queue(writers: &WriterQueue) -> MutexGuard<'_, VecDeque<Arc<Queued>>> {
    writers.lock().unwrap_or_else(PoisonError::into_inner)
}

fn done_slot(queued: &Queued) -> MutexGuard<'_, Option<Result<()>>> {
    queued.done.lock().unwrap_or_else(PoisonError::into_inner)
}

fn take_result(queued: &Queued) -> Option<Result<()>> {
    done_slot(queued).take()
}

/// Takes `queued` off the queue (the caller holds the database mutex, so
/// no leader is taking it at the same time).
fn withdraw(writers: &WriterQueue, queued: &Arc<Queued>) {
    queue(writers).retain(|q| !Arc::ptr_eq(q, queued));
}

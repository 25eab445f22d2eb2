//! Maintenance: the units of background work — flushing the immutable
//! memtable, running one compaction — and deleting the files they make
//! obsolete.
//!
//! Every driver runs the same units: the inline writer, the native
//! background thread, and the page that calls [`crate::Db::maintenance_step`]
//! to animate one unit at a time. One lock serialises them, so for the same
//! operations and steps the trace is the same whichever driver ran them.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::RwLockReadGuard;
use std::sync::{Arc, MutexGuard, PoisonError, RwLockWriteGuard};

use serde::{Deserialize, Serialize};

use super::{lock, DbInner};
use crate::compaction::{
    self, CompactionContext, CompactionPlan, NoPacing, OneAtATime, Pacer, Workers,
};
use crate::error::Result;
use crate::event::{Event, Tracer};
use crate::filename::table_name;
use crate::options::{MaintenanceMode, Options};
use crate::stats::Counters;

/// What one unit of maintenance did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "work", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Maintenance {
    /// The immutable memtable became an L0 table.
    Flushed {
        /// The new table's file number.
        file_number: u64,
    },
    /// A compaction merged (or moved) tables one level down.
    Compacted {
        /// The level compacted.
        level: u32,
        /// The level written.
        output_level: u32,
        /// Input tables, removed.
        inputs: Vec<u64>,
        /// Output tables, added.
        outputs: Vec<u64>,
        /// Whether the table only moved (a manifest edit, no rewrite).
        trivial_move: bool,
    },
}

impl DbInner {
    /// Opens tables through the table cache, for iterators that outlive a
    /// borrow of `self`.
    pub(super) fn table_opener(&self) -> crate::level_iter::TableOpener {
        let tables = self.tables.clone();
        let storage = self.storage.clone();
        Arc::new(move |n| tables.get(storage.as_ref(), n))
    }

    /// The work lock, exclusively: no other maintenance runs meanwhile.
    pub(super) fn work_lock(&self) -> RwLockWriteGuard<'_, ()> {
        self.work.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The work lock, shared with the background driver's other threads.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn work_shared(&self) -> RwLockReadGuard<'_, ()> {
        self.work.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// A number for a new unit of work and the tracer of its events: under
    /// the background driver, whose units interleave, every event is
    /// tagged with the number ([`crate::Job`]); otherwise nothing is.
    pub(super) fn new_job(&self, tracer: &Tracer) -> (u64, Tracer) {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        let tracer = if self.options.maintenance == MaintenanceMode::Background {
            tracer.for_job(id)
        } else {
            tracer.clone()
        };
        (id, tracer)
    }

    /// Does the next unit of work: a pending flush first, then the most
    /// urgent compaction. `None` when nothing is due.
    pub(super) fn maintenance_step(&self, pacer: &dyn Pacer) -> Result<Option<Maintenance>> {
        let _work = self.work_lock();
        if let Some(file_number) = self.flush_imm()? {
            return Ok(Some(Maintenance::Flushed { file_number }));
        }
        self.compact_once(pacer)
    }

    /// One unit of the background driver's work, beside its other
    /// threads: the pending flush if no one runs it yet, else the most
    /// urgent compaction that touches no running compaction's levels.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn background_step(&self, pacer: &dyn Pacer) -> Result<Option<Maintenance>> {
        let _work = self.work_shared();
        if let Some(file_number) = self.flush_imm()? {
            return Ok(Some(Maintenance::Flushed { file_number }));
        }
        self.compact_picked(pacer, |state| {
            compaction::pick_avoiding(
                &state.version,
                &self.options,
                &state.compact_pointers,
                &state.busy_levels(),
            )
        })
    }

    /// Runs units of work until none is due.
    pub(super) fn maintain_until_idle(&self, pacer: &dyn Pacer) -> Result<()> {
        while self.maintenance_step(pacer)?.is_some() {}
        Ok(())
    }

    /// Whether a flush or a compaction is due (the background driver's
    /// wake-up condition).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn work_due_locked(&self, state: &super::State) -> bool {
        state.stopped.is_none()
            && ((state.imm.is_some() && !state.flushing)
                || compaction::pick_avoiding(
                    &state.version,
                    &self.options,
                    &state.compact_pointers,
                    &state.busy_levels(),
                )
                .is_some())
    }

    /// Freezes and flushes everything in memory, then runs every compaction
    /// that is due.
    pub(super) fn flush_all(&self) -> Result<()> {
        let _work = self.work_lock();
        // There is one slot for a frozen memtable, and a writer whose
        // memtable is full freezes it whenever the state is unlocked: so
        // the slot is checked empty and the freeze made under one lock,
        // and a memtable a writer froze meanwhile is flushed first.
        loop {
            self.flush_imm()?;
            let mut state = lock(&self.state);
            Self::check_writable(&state)?;
            if state.imm.is_some() {
                continue;
            }
            if !state.mem.is_empty() {
                self.freeze(&mut state)?;
            }
            break;
        }
        self.flush_imm()?;
        drop(_work);
        if self.options.maintenance != MaintenanceMode::Manual {
            // The flush is done: a failing compaction after it is reported
            // by `Db::maintenance_error` (and stops writes), not as a
            // failed flush.
            let compacted = self.maintain_until_idle(&NoPacing);
            self.record_maintenance_error(compacted);
        }
        Ok(())
    }

    fn compact_once(&self, pacer: &dyn Pacer) -> Result<Option<Maintenance>> {
        self.compact_picked(pacer, |state| {
            compaction::pick(&state.version, &self.options, &state.compact_pointers)
        })
    }

    /// Runs the compaction `pick` chooses from the state (under the state
    /// lock); `None` when it chooses none. The caller holds the work lock.
    /// While it runs, its levels are listed as busy in the state.
    pub(super) fn compact_picked(
        &self,
        pacer: &dyn Pacer,
        pick: impl FnOnce(&super::State) -> Option<CompactionPlan>,
    ) -> Result<Option<Maintenance>> {
        let (plan, version, snapshots, ticket, tracer) = {
            let mut state = lock(&self.state);
            Self::check_writable(&state)?;
            let Some(plan) = pick(&state) else {
                // Idle: a good moment for deletions that readers delayed.
                self.delete_obsolete_tables(state);
                return Ok(None);
            };
            let (ticket, tracer) = self.new_job(&state.tracer);
            state.running.push(super::RunningCompaction {
                ticket,
                levels: plan.levels(),
            });
            let snapshots: Vec<u64> = state.snapshots.keys().copied().collect();
            (plan, state.version.clone(), snapshots, ticket, tracer)
        };
        let done = self.run_compaction(pacer, &plan, version, &snapshots, &tracer);
        lock(&self.state).running.retain(|r| r.ticket != ticket);
        self.changed.notify_all();
        done
    }

    /// Runs `plan`, picked from `version`, then installs its result.
    fn run_compaction(
        &self,
        pacer: &dyn Pacer,
        plan: &CompactionPlan,
        version: Arc<crate::manifest::Version>,
        snapshots: &[u64],
        tracer: &Tracer,
    ) -> Result<Option<Maintenance>> {
        let outcome = {
            let ctx = CompactionContext {
                storage: self.storage.as_ref(),
                options: &self.options,
                tracer,
                version: &version,
                snapshots,
                open_table: self.table_opener(),
                pacer,
                expiry: self.expiry(),
                workers: self.workers.as_ref(),
            };
            compaction::run(plan, &ctx, &|| lock(&self.state).allocate_file_number())
        };
        // The version the plan came from must not pin the inputs below.
        drop(version);
        let mut state = lock(&self.state);
        let mut outcome = Self::stop_on_error(&mut state, outcome)?;
        // A flush that pre-empted this compaction may have failed.
        Self::check_writable(&state)?;
        outcome.edit.next_file_number = Some(state.next_file_number);
        let applied = self.log_and_apply(&mut state, outcome.edit.clone());
        Self::stop_on_error(&mut state, applied)?;
        if let Some((level, key)) = &plan.compact_pointer {
            state.compact_pointers.insert(*level, key.clone());
        }
        let inputs: Vec<u64> = plan.inputs.iter().map(|(_, t)| t.file_number).collect();
        let outputs: Vec<u64> = outcome.outputs.iter().map(|t| t.file_number).collect();
        self.count_compaction(plan, &outcome);
        tracer.emit(|| Event::CompactionFinished {
            level: plan.level,
            output_level: plan.output_level,
            inputs: inputs.clone(),
            outputs: outputs.clone(),
            bytes_read: outcome.bytes_read,
            bytes_written: outcome.bytes_written,
            entries_in: outcome.entries_in,
            entries_out: outcome.entries_out,
        });
        if !plan.trivial_move {
            state.obsolete_tables.extend(inputs.iter().copied());
        }
        self.delete_obsolete_tables(state);
        Ok(Some(Maintenance::Compacted {
            level: plan.level,
            output_level: plan.output_level,
            inputs,
            outputs,
            trivial_move: plan.trivial_move,
        }))
    }

    fn count_compaction(&self, plan: &CompactionPlan, outcome: &compaction::CompactionOutcome) {
        if let Some(level) = self.counters.levels.get(plan.output_level as usize) {
            Counters::add(&level.compactions, 1);
            Counters::add(&level.trivial_moves, u64::from(plan.trivial_move));
            Counters::add(&level.bytes_read, outcome.bytes_read);
            Counters::add(&level.bytes_written, outcome.bytes_written);
        }
    }

    /// Deletes tables that left the current version and that no reader
    /// still holds a version of. Failures leave garbage for the next open.
    /// Releases the state mutex (and wakes waiters) before removing files:
    /// a removal can sync the directory, and writers need not wait for it.
    pub(super) fn delete_obsolete_tables(&self, mut state: MutexGuard<'_, super::State>) {
        state.versions.retain(|v| v.strong_count() > 0);
        let pinned: BTreeSet<u64> = state
            .versions
            .iter()
            .filter_map(std::sync::Weak::upgrade)
            .chain(std::iter::once(Arc::clone(&state.version)))
            .flat_map(|v| v.live_files())
            .collect();
        let deletable: Vec<u64> = state
            .obsolete_tables
            .iter()
            .copied()
            .filter(|n| !pinned.contains(n))
            .collect();
        for n in &deletable {
            state.obsolete_tables.remove(n);
            self.tables.evict(*n);
        }
        let tracer = state.tracer.clone();
        drop(state);
        self.changed.notify_all();
        // No version lists these tables any more, so no reader opens them
        // and no later version adds them back.
        for n in deletable {
            let name = table_name(n);
            if self.storage.remove(&name).is_ok() {
                tracer.emit(|| Event::FileDeleted { name });
            }
        }
    }
}

impl super::State {
    /// The levels of every compaction running now.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn busy_levels(&self) -> Vec<std::ops::RangeInclusive<u32>> {
        self.running.iter().map(|r| r.levels.clone()).collect()
    }
}

/// Who merges the parts of a compaction: threads of their own under the
/// native background driver with `max_subcompactions` above 1, otherwise
/// the compacting thread alone (and then a compaction is never split).
pub(super) fn workers_for(options: &Options) -> Box<dyn Workers + Send> {
    #[cfg(not(target_arch = "wasm32"))]
    if options.maintenance == MaintenanceMode::Background && options.max_subcompactions > 1 {
        return Box::new(super::background::Threads::new(options.max_subcompactions));
    }
    let _ = options;
    Box::new(OneAtATime)
}

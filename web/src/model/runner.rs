//! A runner: one database, the snapshots an operation log has taken, and a
//! recorder — like the engine's `TraceRunner`, but able to fork.
//!
//! Stepping backwards is replay from a checkpoint, and a checkpoint is a
//! fork (`Db::fork` over a `MemStorage::snapshot`). The engine's
//! `TraceRunner` cannot be rebuilt around a forked database, so the
//! visualizer keeps its own database and snapshots and applies operations
//! with the engine's `trace::run_op`; a test checks that it records exactly
//! what `strata_engine::trace::replay` records.

use std::sync::Arc;

use strata_engine::event::TraceRecorder;
use strata_engine::script::Command;
use strata_engine::trace::{OpOutcome, TraceOp, TraceStep};
use strata_engine::{Db, Event, Options, Result, Snapshot};
use strata_storage::{MemStorage, Storage};

/// A database being driven by operations.
pub struct Runner {
    db: Db,
    /// The storage the database runs on.
    storage: Arc<dyn Storage>,
    /// The in-memory image of `storage` (the same files): what a checkpoint
    /// copies.
    image: MemStorage,
    /// Snapshots taken by `TraceOp::Snapshot`, by number; `None` once
    /// released.
    snapshots: Vec<Option<Snapshot>>,
    /// Present when this runner records events.
    recorder: Option<Arc<TraceRecorder>>,
}

impl Runner {
    /// Opens the database in `storage` (whose files are those of `image`),
    /// recording events; returns the runner and the events of opening.
    pub fn open(
        storage: Arc<dyn Storage>,
        image: MemStorage,
        options: Options,
    ) -> Result<(Runner, Vec<Event>)> {
        let recorder = TraceRecorder::new();
        let db = Db::open_observed(storage.clone(), options, recorder.clone())?;
        let open_events = recorder.take();
        let runner = Runner {
            db,
            storage,
            image,
            snapshots: Vec::new(),
            recorder: Some(recorder),
        };
        Ok((runner, open_events))
    }

    /// An in-memory database with `options`.
    pub fn open_in_memory(options: Options) -> Result<(Runner, Vec<Event>)> {
        let image = MemStorage::new();
        Runner::open(Arc::new(image.clone()), image, options)
    }

    /// Drops events recorded outside an operation (reads the visualizer
    /// makes for itself).
    pub fn discard_events(&self) {
        if let Some(r) = &self.recorder {
            r.take();
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The storage the database runs on.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// A copy of this runner over a copy of its files, recording nothing.
    /// Must be called between operations.
    pub fn fork(&self) -> Result<Runner> {
        let image = self.image.snapshot();
        let live: Vec<&Snapshot> = self.snapshots.iter().flatten().collect();
        let (db, mut forked) = self.db.fork(Arc::new(image.clone()), &live)?;
        forked.reverse();
        let snapshots = self
            .snapshots
            .iter()
            .map(|s| s.as_ref().and_then(|_| forked.pop()))
            .collect();
        Ok(Runner {
            db,
            storage: Arc::new(image.clone()),
            image,
            snapshots,
            recorder: None,
        })
    }

    /// The operations `command` stands for: loads expand from their seed; a
    /// range delete is one operation (one range tombstone).
    pub fn expand(&self, command: &Command) -> Result<Vec<TraceOp>> {
        match command {
            Command::SetOption { name, .. } => Err(strata_engine::Error::InvalidOptions(format!(
                "option {name} can only be set before the first command (use the options panel)"
            ))),
            _ => strata_engine::trace::expand(&self.db, command),
        }
    }

    /// Applies `op` and returns it with its outcome and events (none when
    /// this runner does not record).
    pub fn apply(&mut self, op: TraceOp) -> TraceStep {
        let outcome = self.run(&op).unwrap_or_else(|e| OpOutcome::Failed {
            message: e.to_string(),
        });
        let events = self.recorder.as_ref().map(|r| r.take()).unwrap_or_default();
        TraceStep {
            op,
            outcome,
            events,
        }
    }

    fn run(&mut self, op: &TraceOp) -> Result<OpOutcome> {
        strata_engine::trace::run_op(&self.db, &mut self.snapshots, op)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use strata_engine::script::Scene;
    use strata_engine::trace::{replay, Trace, TRACE_FORMAT_VERSION};
    use strata_engine::MaintenanceMode;

    fn scene() -> Scene {
        let text = "option memtable_bytes_max=1024\noption maintenance=manual\n\
                    load random 300 seed=4 keys=80\nsnapshot\ndelete key000007\nstep\nstep\n\
                    get key000007 @0\nget key000007\nscan key000010 .. rev limit=4\nrelease 0\ncompact\n";
        Scene::parse(text, &Options::deterministic()).unwrap()
    }

    fn record(runner: &mut Runner, scene: &Scene, open_events: Vec<Event>) -> Trace {
        let mut steps = Vec::new();
        for command in &scene.commands {
            for op in runner.expand(command).unwrap() {
                steps.push(runner.apply(op));
            }
        }
        Trace {
            format_version: TRACE_FORMAT_VERSION,
            options: scene.options.clone(),
            open_events,
            steps,
        }
    }

    #[test]
    fn records_what_the_engine_trace_runner_records() {
        let scene = scene();
        assert_eq!(scene.options.maintenance, MaintenanceMode::Manual);
        let (mut runner, open) = Runner::open_in_memory(scene.options.clone()).unwrap();
        let trace = record(&mut runner, &scene, open);
        assert_eq!(replay(&trace).unwrap(), trace);
    }

    #[test]
    fn a_fork_continues_with_the_same_outcomes_and_snapshots() {
        let scene = scene();
        let (mut runner, open) = Runner::open_in_memory(scene.options.clone()).unwrap();
        let trace = record(&mut runner, &scene, open);
        // Fork after the snapshot and the delete, then replay the rest.
        let cut = 300 + 2;
        let (mut head, _) = Runner::open_in_memory(scene.options.clone()).unwrap();
        for step in trace.steps.iter().take(cut) {
            head.apply(step.op.clone());
        }
        let mut fork = head.fork().unwrap();
        for step in trace.steps.iter().skip(cut) {
            let replayed = fork.apply(step.op.clone());
            assert_eq!(replayed.outcome, step.outcome, "{:?}", step.op);
            assert!(replayed.events.is_empty(), "a fork records nothing");
        }
        fork.db().check_invariants().unwrap();
    }
}

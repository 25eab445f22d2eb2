//! The session: the real engine driven by an operation log, with the trace
//! of everything it did, checkpoints to step back, and the views at the
//! frame shown.
//!
//! - The *head* runner is always at the end of the log; commands append
//!   operations to it and record their events.
//! - Every [`CHECKPOINT_INTERVAL`] operations the head is forked into a
//!   checkpoint (`Db::fork` over `MemStorage::snapshot`).
//! - The timeline is a list of *frames*: one per event (the events of
//!   opening first), or one for an operation that caused none. Showing
//!   frame `f` of operation `o` means: the database as it was before `o`
//!   (a *cursor* runner, restored from the nearest checkpoint and replayed
//!   forward — or the head itself), read through its accessors, then the
//!   events of `o` up to `f` fed to the views.

mod frames;
mod live;
mod seek;

use crate::model::i18n::errors::{error, Error};
use crate::model::i18n::localized::Localized;
use crate::model::i18n::{errors, script_errors, text};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use strata_engine::script::{parse_command, Command};
use strata_engine::trace::{Trace, TraceOp, TraceStep, TRACE_FORMAT_VERSION};
use strata_engine::{Event, MaintenanceMode, Options};
use strata_storage::{MemStorage, Storage};

use super::i18n::Msg;
use super::runner::Runner;
use super::views::stats::Sample;
use super::views::Views;
pub use frames::FrameRef;
use frames::Frames;
use live::LiveData;

/// Operations between two checkpoints.
pub const CHECKPOINT_INTERVAL: usize = 32;
/// Checkpoints kept; beyond this every other one is dropped (the interval
/// between the rest doubles).
pub const MAX_CHECKPOINTS: usize = 512;
/// An operation with this many events gets a checkpoint right after it.
pub const HEAVY_OP_EVENTS: usize = 400;
/// Most operations a session holds.
pub const MAX_SESSION_OPS: usize = 300_000;
/// Most key and value bytes one `load` may generate in a session (64 MiB).
pub const MAX_SESSION_LOAD_BYTES: u64 = 64 << 20;
/// Most maintenance steps run after one operation (a flush, then the
/// compactions it makes due, level after level).
const MAX_STEPS_AFTER_OP: usize = 64;

/// A copy of the database at an operation boundary.
struct Checkpoint {
    ops: usize,
    runner: Runner,
}

/// Operations that matter to a view looking back.
#[derive(Default)]
struct OpIndex {
    /// Operations holding a `GetStarted`.
    gets: Vec<usize>,
    /// Operations holding a `CompactionPicked`.
    compactions: Vec<usize>,
    /// Operations holding a `MemtableFrozen`.
    freezes: Vec<usize>,
}

impl OpIndex {
    fn note(&mut self, op: usize, events: &[Event]) {
        let has = |f: fn(&Event) -> bool| events.iter().any(f);
        if has(|e| matches!(e, Event::GetStarted { .. })) {
            self.gets.push(op);
        }
        if has(|e| matches!(e, Event::CompactionPicked { .. })) {
            self.compactions.push(op);
        }
        if has(|e| matches!(e, Event::MemtableFrozen { .. })) {
            self.freezes.push(op);
        }
    }
}

/// What the viewer shows now.
struct Viewer {
    pos: usize,
    frame: FrameRef,
    views: Rc<Views>,
}

/// The real engine, its operation log and trace, checkpoints, and the
/// views at the frame shown.
pub struct Session {
    trace: Trace,
    /// Source lines of the commands run, in order (what a link carries).
    commands: Vec<String>,
    /// The operation each of `commands` starts at.
    command_starts: Vec<usize>,
    frames: Frames,
    head: Runner,
    live: LiveData,
    /// The figures after opening, then after each operation.
    samples: Vec<Sample>,
    checkpoints: Vec<Checkpoint>,
    cursor: Option<(usize, Runner)>,
    index: OpIndex,
    /// Filter bits by table file number (`None`: could not be read).
    filters: RefCell<HashMap<u64, Option<Rc<Vec<u8>>>>>,
    /// Tombstone keys by table file number.
    tombstones: RefCell<HashMap<u64, Rc<Vec<Vec<u8>>>>>,
    /// Range tombstones read per table (tables never change).
    range_tombstones:
        RefCell<HashMap<u64, Rc<Vec<strata_engine::range_tombstone::RangeTombstone>>>>,
    viewer: Option<Viewer>,
    /// The last compaction looked back at: (operation, view).
    compaction_memo: Option<(usize, Rc<super::views::CompactionView>)>,
    /// A problem met while seeking (shown, never a crash).
    problem: Option<String>,
    /// Run due maintenance as steps of its own after each operation that
    /// froze a memtable, flushed or compacted (in manual maintenance).
    step_maintenance: bool,
}

/// What running a command did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    /// Operations appended.
    pub ops: usize,
    /// The first frame of the first of them (if any).
    pub first_frame: Option<usize>,
    /// Failures the operations reported (an operation that fails is still
    /// recorded).
    pub failures: Vec<String>,
}

impl Session {
    /// Opens the database in `storage` (whose in-memory image is `image`)
    /// with `options`, in manual or inline maintenance (background becomes
    /// manual: the visualizer runs no thread).
    pub fn open(
        storage: Arc<dyn Storage>,
        image: MemStorage,
        options: Options,
    ) -> Result<Session, String> {
        let mut options = options;
        if options.maintenance == MaintenanceMode::Background {
            options.maintenance = MaintenanceMode::Manual;
        }
        options.validate().map_err(|e| e.to_string())?;
        super::labs::plug_into_engine();
        let (head, open_events) =
            Runner::open(storage, image, options.clone()).map_err(|e| e.to_string())?;
        let live = LiveData::read(head.db()).map_err(|e| e.to_string())?;
        head.discard_events();
        let first = Checkpoint {
            ops: 0,
            runner: head.fork().map_err(|e| e.to_string())?,
        };
        let samples = vec![Sample::of(&head.db().stats(), live.bytes())];
        let frames = Frames::new(open_events.len());
        let mut session = Session {
            trace: Trace {
                format_version: TRACE_FORMAT_VERSION,
                options,
                open_events,
                steps: Vec::new(),
            },
            commands: Vec::new(),
            command_starts: Vec::new(),
            frames,
            head,
            live,
            samples,
            checkpoints: vec![first],
            cursor: None,
            index: OpIndex::default(),
            filters: RefCell::new(HashMap::new()),
            tombstones: RefCell::new(HashMap::new()),
            range_tombstones: RefCell::new(HashMap::new()),
            viewer: None,
            compaction_memo: None,
            problem: None,
            step_maintenance: false,
        };
        session.seek(session.frames.total().saturating_sub(1));
        Ok(session)
    }

    /// An empty in-memory database with `options`.
    pub fn in_memory(options: Options) -> Result<Session, String> {
        let image = MemStorage::new();
        Session::open(Arc::new(image.clone()), image, options)
    }

    /// The options (maintenance is manual or inline).
    pub fn options(&self) -> &Options {
        &self.trace.options
    }

    /// The trace so far: options, opening events, operations and events.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The command lines run so far.
    pub fn commands(&self) -> &[String] {
        &self.commands
    }

    /// The operations command `i` (of [`Session::commands`]) appended, and
    /// any maintenance steps run after it.
    pub fn command_ops(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.command_starts.get(i).copied().unwrap_or(self.ops());
        let end = self
            .command_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.ops());
        start..end
    }

    /// Operations in the log.
    pub fn ops(&self) -> usize {
        self.trace.steps.len()
    }

    /// Frames in the timeline.
    pub fn total_frames(&self) -> usize {
        self.frames.total()
    }

    /// The frame shown.
    pub fn pos(&self) -> usize {
        self.viewer.as_ref().map_or(0, |v| v.pos)
    }

    /// The views at the frame shown.
    pub fn views(&self) -> Rc<Views> {
        self.viewer
            .as_ref()
            .map(|v| v.views.clone())
            .unwrap_or_default()
    }

    /// What the frame at `pos` is.
    pub fn frame(&self, pos: usize) -> FrameRef {
        self.frames.at(pos)
    }

    /// The kind of the event frame `pos` shows (`wal_appended`, …), if
    /// it shows one.
    pub fn frame_kind(&self, pos: usize) -> Option<&'static str> {
        let event = match self.frames.at(pos) {
            FrameRef::Open { event } => self.trace.open_events.get(event),
            FrameRef::Op { op, event } => {
                self.trace.steps.get(op).and_then(|s| s.events.get(event?))
            }
        };
        event.map(super::narrate::event_kind)
    }

    /// The first frame of operation `op`.
    pub fn first_frame_of_op(&self, op: usize) -> usize {
        self.frames.first_of_op(op)
    }

    /// Takes (and clears) the last problem met.
    pub fn take_problem(&mut self) -> Option<String> {
        self.problem.take()
    }

    /// The database at the end of the log.
    pub fn head_db(&self) -> &strata_engine::Db {
        self.head.db()
    }

    /// Runs one line of the command language at the end of the log.
    /// Blank lines and comments do nothing. The error is in the language
    /// shown.
    pub fn run(&mut self, line: &str) -> Result<RunReport, String> {
        self.run_localized(line).map_err(|e| e.shown().to_owned())
    }

    /// [`run`](Self::run), with its error in every language (for a notice
    /// that outlives a switch of language).
    pub fn run_localized(&mut self, line: &str) -> Result<RunReport, Localized> {
        let parsed = parse_command(line).map_err(|e| {
            // One line: its column says where, the line number nothing.
            Localized::new(|lang| {
                let message = script_errors::text(lang, &e.problem);
                if e.column > 1 {
                    text(
                        lang,
                        &Msg::CommandErrorAt {
                            column: e.column,
                            message: &message,
                        },
                    )
                } else {
                    message
                }
            })
        })?;
        if let Some(Command::Op {
            op:
                TraceOp::Scan {
                    start: Some(start),
                    end: Some(end),
                    ..
                },
        }) = &parsed
        {
            if start >= end {
                let (start, end) = (String::from_utf8_lossy(start), String::from_utf8_lossy(end));
                return Err(Localized::new(|lang| {
                    text(
                        lang,
                        &Msg::ScanRangeEmpty {
                            start: &start,
                            end: &end,
                        },
                    )
                }));
            }
        }
        let Some(command) = parsed else {
            return Ok(RunReport {
                ops: 0,
                first_frame: None,
                failures: Vec::new(),
            });
        };
        let start = self.ops();
        let report = self.run_command_localized(&command)?;
        self.commands.push(line.trim().to_owned());
        self.command_starts.push(start);
        Ok(report)
    }

    /// Runs a parsed command at the end of the log.
    pub fn run_command(&mut self, command: &Command) -> Result<RunReport, String> {
        self.run_command_localized(command)
            .map_err(|e| e.shown().to_owned())
    }

    fn run_command_localized(&mut self, command: &Command) -> Result<RunReport, Localized> {
        // Sized before anything is generated: a link asking for gigabytes
        // gets a message, not a tab that runs out of memory.
        let room = MAX_SESSION_OPS.saturating_sub(self.ops()) as u64;
        command
            .check_load(room, MAX_SESSION_LOAD_BYTES)
            .map_err(|problem| Localized::new(|lang| script_errors::text(lang, &problem)))?;
        let ops = self.head.expand(command).map_err(|e| e.to_string())?;
        if self.ops() + ops.len() > MAX_SESSION_OPS {
            let too_many = Error::TooManyOps {
                ops: self.ops() + ops.len(),
                max: MAX_SESSION_OPS,
            };
            return Err(Localized::new(|lang| errors::text(lang, &too_many)));
        }
        let first_frame = (!ops.is_empty()).then(|| self.frames.total());
        let mut failures = Vec::new();
        let count = ops.len();
        for op in ops {
            let failed = self.append(op);
            let stepped = self.run_due_steps();
            if let Some(message) = failed.or(stepped) {
                if failures.len() < 5 {
                    failures.push(message);
                }
            }
        }
        Ok(RunReport {
            ops: count,
            first_frame,
            failures,
        })
    }

    /// Applies one operation at the head and records it; returns the
    /// failure message if it failed.
    fn append(&mut self, op: TraceOp) -> Option<String> {
        self.maybe_checkpoint();
        let step: TraceStep = self.head.apply(op);
        self.record(step)
    }

    /// Records an operation the head has applied.
    fn record(&mut self, step: TraceStep) -> Option<String> {
        let index = self.trace.steps.len();
        self.live.apply(&step.op, &step.outcome);
        self.samples
            .push(Sample::of(&self.head.db().stats(), self.live.bytes()));
        self.frames.push_op(step.events.len());
        self.index.note(index, &step.events);
        let failure = match &step.outcome {
            strata_engine::trace::OpOutcome::Failed { message } => Some(message.clone()),
            _ => None,
        };
        self.trace.steps.push(step);
        failure
    }

    /// Whether commands run from now on are followed by the maintenance
    /// they make due, one step (one operation, animated on its own) at a
    /// time. Only meaningful in manual maintenance: inline maintenance does
    /// it inside the write.
    pub fn set_step_maintenance(&mut self, on: bool) {
        self.step_maintenance = on;
    }

    /// After an operation that froze a memtable, flushed or compacted, runs
    /// maintenance steps until none is due. The last, idle step changes
    /// nothing and records no event: it is not kept in the log.
    fn run_due_steps(&mut self) -> Option<String> {
        if !self.step_maintenance || self.trace.options.maintenance != MaintenanceMode::Manual {
            return None;
        }
        let made_work = |events: &[Event]| {
            events.iter().any(|e| {
                matches!(
                    e,
                    Event::MemtableFrozen { .. }
                        | Event::FlushFinished { .. }
                        | Event::CompactionFinished { .. }
                )
            })
        };
        if !self
            .trace
            .steps
            .last()
            .is_some_and(|s| made_work(&s.events))
        {
            return None;
        }
        for _ in 0..MAX_STEPS_AFTER_OP {
            self.maybe_checkpoint();
            let probe = self.head.apply(TraceOp::Step);
            let idle = matches!(
                probe.outcome,
                strata_engine::trace::OpOutcome::Maintenance { work: None }
            ) && probe.events.is_empty();
            if idle {
                return None;
            }
            let failure = self.record(probe);
            if failure.is_some() {
                return failure;
            }
        }
        None
    }

    fn maybe_checkpoint(&mut self) {
        let ops = self.ops();
        let last = self.checkpoints.last().map_or(0, |c| c.ops);
        let interval = CHECKPOINT_INTERVAL << self.thinning();
        // After a heavy operation (a big compaction) a checkpoint saves
        // replaying it whenever the view steps past it.
        let heavy = self
            .trace
            .steps
            .last()
            .is_some_and(|s| s.events.len() >= HEAVY_OP_EVENTS);
        if ops < last + interval && !(heavy && ops > last) {
            return;
        }
        match self.head.fork() {
            Ok(runner) => self.checkpoints.push(Checkpoint { ops, runner }),
            Err(e) => {
                self.problem = Some(error(&Error::CouldNotCheckpoint {
                    error: &e.to_string(),
                }))
            }
        }
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            let mut keep = 0usize;
            self.checkpoints.retain(|_| {
                keep += 1;
                keep % 2 == 1
            });
        }
    }

    /// How many times the checkpoints were thinned (each doubles the
    /// interval).
    fn thinning(&self) -> u32 {
        let span = self.checkpoints.last().map_or(0, |c| c.ops);
        let n = self.checkpoints.len().max(1);
        let mut t = 0;
        while (CHECKPOINT_INTERVAL << t) * n < span && t < 20 {
            t += 1;
        }
        t
    }

    /// The figures after opening, then after each operation.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The operations that hold a compaction, in order.
    pub fn compaction_ops(&self) -> &[usize] {
        &self.index.compactions
    }

    /// Checkpoints held.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }
}

#[cfg(test)]
mod range_tests;
#[cfg(test)]
mod tests;

//! Traces: the inputs that drive a database — options and an operation
//! log — with the events each operation produced.
//!
//! A trace is enough to replay a run anywhere: the engine is deterministic,
//! so running the same operations with the same options (seed included) on
//! an empty in-memory database gives the same events on every target. The
//! command-line tool records traces; the visualizer imports and replays
//! them.
//!
//! ## Format
//! JSON: `{"format_version": 1, "options": {…}, "open_events": […],
//! "steps": [{"op": {…}, "outcome": {…}, "events": […]}, …]}`. Keys and
//! values are strings when printable, `{"hex": "…"}` otherwise.

use std::ops::Bound;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use strata_storage::Storage;

use crate::db::{Db, Maintenance, Snapshot};
use crate::error::{Error, Result};
use crate::event::{Event, TraceRecorder};
use crate::options::Options;
use crate::record::{MAX_KEY_BYTES, MAX_VALUE_BYTES};

/// The trace format this build writes and reads.
pub const TRACE_FORMAT_VERSION: u32 = 1;
/// Largest trace text accepted for import.
pub const MAX_TRACE_BYTES: usize = 256 << 20;
/// Most operations accepted in one trace.
pub const MAX_TRACE_OPS: usize = 1_000_000;
/// Most entries a traced scan records in its outcome.
pub const MAX_SCAN_ENTRIES: u32 = 10_000;

/// One entry of a traced batch: a put, or a delete when `value` is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchEntry {
    /// The key.
    #[serde(with = "crate::key_text")]
    pub key: Vec<u8>,
    /// The value; `None` deletes the key.
    #[serde(default, with = "crate::key_text::option")]
    pub value: Option<Vec<u8>>,
}

/// An operation a trace applies, in the words of the public API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum TraceOp {
    /// `Db::put`.
    Put {
        /// The key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// The value.
        #[serde(with = "crate::key_text")]
        value: Vec<u8>,
    },
    /// `Db::delete`.
    Delete {
        /// The key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
    },
    /// `Db::delete_range`: one range tombstone over `[start, end)`.
    DeleteRange {
        /// First key deleted.
        #[serde(with = "crate::key_text")]
        start: Vec<u8>,
        /// First key after the range.
        #[serde(with = "crate::key_text")]
        end: Vec<u8>,
    },
    /// `Db::write` of a batch.
    Batch {
        /// Its entries, in order.
        entries: Vec<BatchEntry>,
    },
    /// `Db::get`, or `Snapshot::get` when `snapshot` names one.
    Get {
        /// The key.
        #[serde(with = "crate::key_text")]
        key: Vec<u8>,
        /// A snapshot taken earlier in the trace (numbered from 0).
        #[serde(default)]
        snapshot: Option<u32>,
    },
    /// `Db::scan` over `[start, end)`, ascending or descending.
    Scan {
        /// First key (inclusive); `None` from the beginning.
        #[serde(default, with = "crate::key_text::option")]
        start: Option<Vec<u8>>,
        /// Last key (exclusive); `None` to the end.
        #[serde(default, with = "crate::key_text::option")]
        end: Option<Vec<u8>>,
        /// Descending order.
        #[serde(default)]
        reverse: bool,
        /// Stop after this many entries.
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `Db::snapshot`; the snapshots of a trace are numbered 0, 1, … in the
    /// order they are taken.
    Snapshot,
    /// Drops snapshot `id`.
    ReleaseSnapshot {
        /// The snapshot's number.
        id: u32,
    },
    /// `Db::flush`.
    Flush,
    /// `Db::maintenance_step`.
    Step,
    /// `Db::compact`: maintenance until nothing is due.
    Compact,
    /// `Db::compact_range` over `[start, end)`: everything in it goes
    /// down to the deepest level.
    CompactRange {
        /// First key (inclusive); `None` from the beginning.
        #[serde(default, with = "crate::key_text::option")]
        start: Option<Vec<u8>>,
        /// Last key (exclusive); `None` to the end.
        #[serde(default, with = "crate::key_text::option")]
        end: Option<Vec<u8>>,
    },
    /// `Db::set_time`: the caller's time, in milliseconds.
    SetTime {
        /// The new time.
        now_ms: u64,
    },
    /// `Db::set_time` to the current time plus `by_ms`.
    AdvanceTime {
        /// How far the time moves.
        by_ms: u64,
    },
}

/// What an operation returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OpOutcome {
    /// Done, nothing to return.
    Done,
    /// A get's answer.
    Value {
        /// The value, or `None` if absent.
        #[serde(default, with = "crate::key_text::option")]
        value: Option<Vec<u8>>,
    },
    /// A scan's entries (at most [`MAX_SCAN_ENTRIES`]).
    Entries {
        /// Keys and values, in scan order.
        entries: Vec<BatchEntry>,
    },
    /// What a maintenance step did.
    Maintenance {
        /// The unit of work, or `None` if nothing was due.
        work: Option<Maintenance>,
    },
    /// The operation failed; the message says why.
    Failed {
        /// The error, as text.
        message: String,
    },
}

/// One operation with what it returned and the events it caused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceStep {
    /// The operation.
    pub op: TraceOp,
    /// Its result.
    pub outcome: OpOutcome,
    /// The events, in order.
    pub events: Vec<Event>,
}

/// A recorded run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// [`TRACE_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// The options the database was opened with (seed included).
    pub options: Options,
    /// Events of opening the (empty) database.
    pub open_events: Vec<Event>,
    /// The operations, in order.
    pub steps: Vec<TraceStep>,
}

impl Trace {
    /// The trace as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Reads a trace, checking its size, version, options and operations;
    /// the error says what is wrong (never a panic).
    pub fn from_json(text: &str) -> std::result::Result<Trace, String> {
        if text.len() > MAX_TRACE_BYTES {
            return Err(format!("trace is larger than {MAX_TRACE_BYTES} bytes"));
        }
        let trace: Trace =
            serde_json::from_str(text).map_err(|e| format!("not a Strata trace: {e}"))?;
        if trace.format_version != TRACE_FORMAT_VERSION {
            return Err(format!(
                "trace format {} is not supported (this build reads {TRACE_FORMAT_VERSION})",
                trace.format_version
            ));
        }
        trace.options.validate().map_err(|e| e.to_string())?;
        if trace.steps.len() > MAX_TRACE_OPS {
            return Err(format!("more than {MAX_TRACE_OPS} operations"));
        }
        for (i, step) in trace.steps.iter().enumerate() {
            check_op(&step.op).map_err(|e| format!("operation {i}: {e}"))?;
        }
        Ok(trace)
    }

    /// The operations alone.
    pub fn ops(&self) -> impl Iterator<Item = &TraceOp> {
        self.steps.iter().map(|s| &s.op)
    }
}

fn check_op(op: &TraceOp) -> std::result::Result<(), String> {
    let key = |k: &[u8]| {
        if k.len() > MAX_KEY_BYTES {
            Err(format!("key of {} bytes exceeds {MAX_KEY_BYTES}", k.len()))
        } else {
            Ok(())
        }
    };
    let value = |v: &[u8]| {
        if v.len() > MAX_VALUE_BYTES {
            Err(format!(
                "value of {} bytes exceeds {MAX_VALUE_BYTES}",
                v.len()
            ))
        } else {
            Ok(())
        }
    };
    match op {
        TraceOp::Put { key: k, value: v } => key(k).and(value(v)),
        TraceOp::Delete { key: k } | TraceOp::Get { key: k, .. } => key(k),
        TraceOp::Batch { entries } => entries
            .iter()
            .try_for_each(|e| key(&e.key).and(e.value.as_deref().map_or(Ok(()), value))),
        TraceOp::Scan { start, end, .. } => start
            .as_deref()
            .map_or(Ok(()), key)
            .and(end.as_deref().map_or(Ok(()), key)),
        _ => Ok(()),
    }
}

/// Runs operations against a database and records each one's events.
pub struct TraceRunner {
    db: Db,
    recorder: Arc<TraceRecorder>,
    snapshots: Vec<Option<Snapshot>>,
    trace: Trace,
}

impl TraceRunner {
    /// Opens the database in `storage` with a recorder attached.
    pub fn open(storage: Arc<dyn Storage>, options: Options) -> Result<Self> {
        let recorder = TraceRecorder::new();
        let db = Db::open_observed(storage, options.clone(), recorder.clone())?;
        let open_events = recorder.take();
        Ok(Self {
            db,
            recorder,
            snapshots: Vec::new(),
            trace: Trace {
                format_version: TRACE_FORMAT_VERSION,
                options,
                open_events,
                steps: Vec::new(),
            },
        })
    }

    /// The database being driven.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Ends the run and returns the trace.
    pub fn finish(self) -> Trace {
        self.trace
    }

    /// Applies `op`, records it, and returns the recorded step. Errors of
    /// the operation are recorded as [`OpOutcome::Failed`], not returned.
    pub fn apply(&mut self, op: TraceOp) -> &TraceStep {
        let outcome = self.run(&op).unwrap_or_else(|e| OpOutcome::Failed {
            message: e.to_string(),
        });
        let events = self.recorder.take();
        let steps = &mut self.trace.steps;
        steps.push(TraceStep {
            op,
            outcome,
            events,
        });
        let last = steps.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "the step was just pushed")]
        &steps[last]
    }

    /// Runs one command of the script language, expanding bulk loads into
    /// the operations they stand for (so the trace replays exactly).
    /// Returns how many operations were recorded.
    pub fn execute(&mut self, command: &crate::script::Command) -> Result<usize> {
        let ops = expand(&self.db, command)?;
        // Nothing ran yet; anything recorded belongs to no operation.
        drop(self.recorder.take());
        let count = ops.len();
        for op in ops {
            self.apply(op);
        }
        Ok(count)
    }

    fn run(&mut self, op: &TraceOp) -> Result<OpOutcome> {
        run_op(&self.db, &mut self.snapshots, op)
    }
}

/// The operations a script command stands for: a bulk load expands from
/// its seed; a range delete is one operation (one range tombstone).
/// Options can only be set before the first command.
pub fn expand(_db: &Db, command: &crate::script::Command) -> Result<Vec<TraceOp>> {
    use crate::script::Command;
    Ok(match command {
        Command::Op { op } => vec![op.clone()],
        Command::Load { .. } => command.load_ops().unwrap_or_default(),
        Command::DeleteRange { start, end } => vec![TraceOp::DeleteRange {
            start: start.clone(),
            end: end.clone(),
        }],
        Command::SetOption { name, .. } => {
            return Err(Error::InvalidOptions(format!(
                "option {name} can only be set before the first command"
            )))
        }
    })
}

/// Applies one operation to `db`. `snapshots` are the trace's snapshots by
/// number (`None` once released); `TraceOp::Snapshot` appends to them.
pub fn run_op(db: &Db, snapshots: &mut Vec<Option<Snapshot>>, op: &TraceOp) -> Result<OpOutcome> {
    let snapshot = |snapshots: &[Option<Snapshot>], id: u32| -> Result<()> {
        match snapshots.get(id as usize) {
            Some(Some(_)) => Ok(()),
            _ => Err(Error::InvalidOptions(format!("no live snapshot {id}"))),
        }
    };
    Ok(match op {
        TraceOp::Put { key, value } => db.put(key, value).map(|()| OpOutcome::Done)?,
        TraceOp::Delete { key } => db.delete(key).map(|()| OpOutcome::Done)?,
        TraceOp::DeleteRange { start, end } => {
            db.delete_range(start, end).map(|()| OpOutcome::Done)?
        }
        TraceOp::Batch { entries } => {
            let mut batch = crate::batch::WriteBatch::new();
            for e in entries {
                match &e.value {
                    Some(v) => batch.put(&e.key, v),
                    None => batch.delete(&e.key),
                };
            }
            db.write(&batch).map(|()| OpOutcome::Done)?
        }
        TraceOp::Get {
            key,
            snapshot: None,
        } => OpOutcome::Value {
            value: db.get(key)?,
        },
        TraceOp::Get {
            key,
            snapshot: Some(id),
        } => {
            snapshot(snapshots, *id)?;
            let value = match snapshots.get(*id as usize) {
                Some(Some(s)) => s.get(key)?,
                _ => None,
            };
            OpOutcome::Value { value }
        }
        TraceOp::Scan {
            start,
            end,
            reverse,
            limit,
        } => scan(db, start, end, *reverse, *limit)?,
        TraceOp::Snapshot => {
            snapshots.push(Some(db.snapshot()));
            OpOutcome::Done
        }
        TraceOp::ReleaseSnapshot { id } => {
            snapshot(snapshots, *id)?;
            if let Some(slot) = snapshots.get_mut(*id as usize) {
                *slot = None;
            }
            OpOutcome::Done
        }
        TraceOp::Flush => db.flush().map(|()| OpOutcome::Done)?,
        TraceOp::Step => OpOutcome::Maintenance {
            work: db.maintenance_step()?,
        },
        TraceOp::Compact => db.compact().map(|()| OpOutcome::Done)?,
        TraceOp::CompactRange { start, end } => {
            db.compact_range(bounds(start, end))?;
            OpOutcome::Done
        }
        TraceOp::SetTime { now_ms } => db.set_time(*now_ms).map(|()| OpOutcome::Done)?,
        TraceOp::AdvanceTime { by_ms } => db
            .set_time(db.time_ms().saturating_add(*by_ms))
            .map(|()| OpOutcome::Done)?,
    })
}

/// `[start, end)`, open where `None`.
fn bounds(start: &Option<Vec<u8>>, end: &Option<Vec<u8>>) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    (
        start.clone().map_or(Bound::Unbounded, Bound::Included),
        end.clone().map_or(Bound::Unbounded, Bound::Excluded),
    )
}

fn scan(
    db: &Db,
    start: &Option<Vec<u8>>,
    end: &Option<Vec<u8>>,
    reverse: bool,
    limit: Option<u32>,
) -> Result<OpOutcome> {
    let range = bounds(start, end);
    let limit = limit.unwrap_or(MAX_SCAN_ENTRIES).min(MAX_SCAN_ENTRIES) as usize;
    let scan = db.scan(range)?;
    let items: Vec<_> = if reverse {
        scan.rev().take(limit).collect::<Result<_>>()?
    } else {
        scan.take(limit).collect::<Result<_>>()?
    };
    let entries = items
        .into_iter()
        .map(|(key, value)| BatchEntry {
            key,
            value: Some(value),
        })
        .collect();
    Ok(OpOutcome::Entries { entries })
}

/// Replays `trace`'s operations on a fresh in-memory database with the
/// trace's options and returns the new trace (equal to `trace` when the
/// engine behaves the same).
pub fn replay(trace: &Trace) -> Result<Trace> {
    let storage = Arc::new(strata_storage::MemStorage::new());
    let mut runner = TraceRunner::open(storage, trace.options.clone())?;
    for op in trace.ops() {
        runner.apply(op.clone());
    }
    Ok(runner.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::MaintenanceMode;

    fn sample() -> Result<Trace> {
        let options = Options {
            memtable_bytes_max: 2048,
            maintenance: MaintenanceMode::Manual,
            ..Options::deterministic()
        };
        let mut runner = TraceRunner::open(Arc::new(strata_storage::MemStorage::new()), options)?;
        for i in 0..200u32 {
            runner.apply(TraceOp::Put {
                key: format!("k{:03}", i % 50).into_bytes(),
                value: vec![b'v', i as u8],
            });
        }
        runner.apply(TraceOp::Snapshot);
        runner.apply(TraceOp::Delete {
            key: b"k007".to_vec(),
        });
        runner.apply(TraceOp::Step);
        runner.apply(TraceOp::Get {
            key: b"k007".to_vec(),
            snapshot: Some(0),
        });
        runner.apply(TraceOp::Scan {
            start: Some(b"k010".to_vec()),
            end: None,
            reverse: true,
            limit: Some(3),
        });
        runner.apply(TraceOp::ReleaseSnapshot { id: 0 });
        runner.apply(TraceOp::Get {
            key: b"k007".to_vec(),
            snapshot: Some(0),
        });
        Ok(runner.finish())
    }

    #[test]
    fn a_trace_survives_json_and_replays_to_itself() -> Result<()> {
        let trace = sample()?;
        let text = trace.to_json();
        let read = Trace::from_json(&text).map_err(Error::InvalidOptions)?;
        assert_eq!(read, trace);
        assert_eq!(replay(&read)?, trace);
        let last = trace.steps.last().map(|s| s.outcome.clone());
        assert!(
            matches!(last, Some(OpOutcome::Failed { .. })),
            "released snapshot: {last:?}"
        );
        Ok(())
    }

    #[test]
    fn a_range_delete_replays_to_itself() -> Result<()> {
        let scene = crate::script::Scene::parse(
            "option memtable_bytes_max=2048\nload random 100 seed=7 keys=40\ndelete-range key000010 key000020\n",
            &Options::deterministic(),
        )
        .map_err(|e| Error::InvalidOptions(e.to_string()))?;
        let storage = Arc::new(strata_storage::MemStorage::new());
        let mut runner = TraceRunner::open(storage, scene.options)?;
        for command in &scene.commands {
            runner.execute(command)?;
        }
        runner.execute(&crate::script::Command::Op {
            op: TraceOp::Scan {
                start: Some(b"key000010".to_vec()),
                end: Some(b"key000020".to_vec()),
                reverse: false,
                limit: None,
            },
        })?;
        let trace = runner.finish();
        let ops: Vec<&TraceOp> = trace.steps.iter().map(|s| &s.op).collect();
        assert_eq!(ops.len(), 102, "100 puts, one range delete, one scan");
        assert!(matches!(ops.get(100), Some(TraceOp::DeleteRange { .. })));
        let ranged = trace.steps.get(100).map(|s| &s.events);
        let tombstones = ranged
            .into_iter()
            .flatten()
            .filter(|e| matches!(e, crate::Event::RangeDeleted { .. }))
            .count();
        assert_eq!(tombstones, 1, "one range tombstone");
        let scanned = trace.steps.last().map(|s| s.outcome.clone());
        assert_eq!(
            scanned,
            Some(OpOutcome::Entries {
                entries: Vec::new()
            })
        );
        assert_eq!(replay(&trace)?, trace);
        Ok(())
    }

    #[test]
    fn malformed_traces_are_refused_with_a_message() -> Result<()> {
        let good = sample()?.to_json();
        let cases = [
            String::new(),
            "{}".to_owned(),
            "[1,2,3]".to_owned(),
            good.replacen("\"format_version\": 1", "\"format_version\": 99", 1),
            good.replacen("\"block_size_bytes\": 4096", "\"block_size_bytes\": 1", 1),
            good.replacen("\"op\": \"put\"", "\"op\": \"explode\"", 1),
            good.get(..good.len() / 2).unwrap_or_default().to_owned(),
        ];
        for (i, case) in cases.iter().enumerate() {
            let err = Trace::from_json(case).err();
            assert!(err.is_some(), "case {i} accepted");
        }
        Ok(())
    }
}

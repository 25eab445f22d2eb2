//! Delivering events: the [`Observer`] trait, the [`Tracer`] that hands
//! events to one (tagged with their background [`Job`], if any) and the
//! [`TraceRecorder`] that keeps them.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::Event;

/// Receives the engine's events, in order, on the thread that caused them.
pub trait Observer: Send + Sync {
    /// Called once per event.
    fn on_event(&self, event: &Event);

    /// Called instead of [`Observer::on_event`] for an event of a
    /// background job (see [`Job`]). By default the job is ignored.
    fn on_job_event(&self, job: Job, event: &Event) {
        let _ = job;
        self.on_event(event);
    }
}

/// Which unit of background work an event belongs to.
///
/// The native background driver runs several flushes and compactions at
/// once, and splits a large compaction into parts on threads of their
/// own, so their events interleave. Each unit gets a number (from 1, per
/// open database) and each part of a split compaction its index: every
/// event of the unit carries them. The first event of a job says what it
/// is (`FlushStarted` or `CompactionPicked`). The inline and manual
/// drivers run one unit at a time and tag nothing, so their traces are
/// unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Job {
    /// The unit's number.
    pub id: u64,
    /// The part of a split compaction (sub-compaction), from 0; `None`
    /// for events of the unit as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
}

/// Hands events to the attached observer, if any. Cheap to clone.
#[derive(Clone, Default)]
pub struct Tracer {
    observer: Option<Arc<dyn Observer>>,
    job: Option<Job>,
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracer")
            .field("on", &self.is_on())
            .field("job", &self.job)
            .finish()
    }
}

impl Tracer {
    /// A tracer that sends to `observer`.
    pub fn new(observer: Option<Arc<dyn Observer>>) -> Self {
        Self {
            observer,
            job: None,
        }
    }

    /// A tracer that drops everything.
    pub fn off() -> Self {
        Self::default()
    }

    /// Whether an observer is attached.
    #[inline]
    pub fn is_on(&self) -> bool {
        self.observer.is_some()
    }

    /// The same observer, with every event tagged as job `id`'s.
    pub fn for_job(&self, id: u64) -> Self {
        Self {
            observer: self.observer.clone(),
            job: Some(Job { id, part: None }),
        }
    }

    /// The same observer, tagging events as part `part` of this tracer's
    /// job; untagged if this tracer has no job.
    pub fn for_part(&self, part: u32) -> Self {
        Self {
            observer: self.observer.clone(),
            job: self.job.map(|job| Job {
                id: job.id,
                part: Some(part),
            }),
        }
    }

    /// The job this tracer tags events with.
    pub fn job(&self) -> Option<Job> {
        self.job
    }

    /// Builds the event and delivers it, only if an observer is attached.
    #[inline]
    pub fn emit(&self, event: impl FnOnce() -> Event) {
        if let Some(observer) = &self.observer {
            match self.job {
                None => observer.on_event(&event()),
                Some(job) => observer.on_job_event(job, &event()),
            }
        }
    }
}

/// An observer that keeps every event, for tests and trace export.
#[derive(Debug, Default)]
pub struct TraceRecorder {
    events: Mutex<Vec<(Option<Job>, Event)>>,
}

impl TraceRecorder {
    /// An empty recorder.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Removes and returns the events recorded so far.
    pub fn take(&self) -> Vec<Event> {
        self.take_with_jobs().into_iter().map(|(_, e)| e).collect()
    }

    /// Removes and returns the events recorded so far, each with the
    /// background job it belongs to (if any).
    pub fn take_with_jobs(&self) -> Vec<(Option<Job>, Event)> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn push(&self, job: Option<Job>, event: &Event) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((job, event.clone()));
    }
}

impl Observer for TraceRecorder {
    fn on_event(&self, event: &Event) {
        self.push(None, event);
    }

    fn on_job_event(&self, job: Job, event: &Event) {
        self.push(Some(job), event);
    }
}

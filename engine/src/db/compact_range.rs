//! [`crate::Db::compact_range`]: the full compaction of a key range, as
//! the steps [`crate::compaction::manual`] picks, run one after the other
//! under the work lock.

use std::collections::BTreeSet;
use std::ops::Bound;

use super::maintenance::Maintenance;
use super::{lock, DbInner};
use crate::compaction::manual::{self, KeyRange};
use crate::compaction::Pacer;
use crate::error::Result;
use crate::event::Event;

impl DbInner {
    /// Flushes the memtables, then compacts everything in `range` down to
    /// the deepest level holding data. Returns the compactions run.
    pub(super) fn compact_range(&self, range: &KeyRange, pacer: &dyn Pacer) -> Result<u32> {
        self.flush_all()?;
        let _work = self.work_lock();
        let (target_level, tracer) = {
            let state = lock(&self.state);
            Self::check_writable(&state)?;
            (manual::target_level(&state.version), state.tracer.clone())
        };
        let Some(target_level) = target_level else {
            return Ok(0);
        };
        let bound = |b: &Bound<Vec<u8>>| match b {
            Bound::Included(k) | Bound::Excluded(k) => Some(k.clone()),
            Bound::Unbounded => None,
        };
        tracer.emit(|| Event::CompactRangeStarted {
            start: bound(&range.start),
            end: bound(&range.end),
            end_inclusive: matches!(range.end, Bound::Included(_)),
            target_level,
        });
        let mut written = BTreeSet::new();
        let mut compactions = 0u32;
        for level in 0..target_level {
            let done = self.compact_picked(pacer, |state| {
                manual::pick_step(&state.version, &self.options, range, level, target_level)
            })?;
            if let Some(Maintenance::Compacted { outputs, .. }) = done {
                compactions += 1;
                written.extend(outputs);
            }
        }
        let done = self.compact_picked(pacer, |state| {
            manual::pick_bottom(&state.version, &self.options, range, target_level, &written)
        })?;
        compactions += u32::from(done.is_some());
        tracer.emit(|| Event::CompactRangeFinished { compactions });
        Ok(compactions)
    }
}

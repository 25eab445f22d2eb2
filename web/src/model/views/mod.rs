//! The views' state: one reducer per view, each fed the engine's events.
//!
//! A view starts from a [`Base`](crate::model::base::Base) read at an
//! operation boundary and follows the events of the operation shown, one
//! at a time. Parts that change rarely sit behind `Rc`s, so a component
//! whose part did not change is not redrawn.

pub mod bloom;
pub mod compaction;
pub mod read_path;
pub mod scan;
pub mod stats;
pub mod structure;

use std::rc::Rc;

use strata_engine::Event;

pub use bloom::{BloomView, FilterSource};
pub use compaction::CompactionView;
pub use read_path::ReadPathView;
pub use scan::ScanView;
pub use stats::StatsView;
pub use structure::StructureView;

/// Where the timeline stands, for the controls and the narration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameInfo {
    /// The frame shown (0-based).
    pub pos: usize,
    /// Frames in the timeline.
    pub total: usize,
    /// The operation shown (`None` while the database opens).
    pub op: Option<usize>,
    /// Operations in the log.
    pub ops: usize,
    /// The event within the operation (`None` for an operation without
    /// events).
    pub event: Option<usize>,
    /// Events of that operation.
    pub op_events: usize,
    /// The operation in words.
    pub op_label: String,
    /// Its result in words.
    pub op_outcome: String,
    /// The event's kind (`wal_appended`, …), for styling.
    pub event_kind: String,
    /// The sentence for the frame.
    pub narration: String,
}

/// Every view at one frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Views {
    /// WAL, memtables, levels.
    pub structure: StructureView,
    /// The latest get.
    pub read: Rc<ReadPathView>,
    /// The latest bloom probe and the counters.
    pub bloom: Rc<BloomView>,
    /// The latest compaction.
    pub compaction: Rc<CompactionView>,
    /// The scan of the operation shown, if it is one.
    pub scan: Rc<ScanView>,
    /// Amplification and history.
    pub stats: Rc<StatsView>,
    /// The frame.
    pub frame: FrameInfo,
}

impl Views {
    /// Feeds `event` to every view.
    pub fn reduce(&mut self, event: &Event, filters: &dyn FilterSource) {
        self.structure.reduce(event);
        if concerns_read(event) {
            Rc::make_mut(&mut self.read).reduce(event);
        }
        if concerns_bloom(event) {
            Rc::make_mut(&mut self.bloom).reduce(event, filters);
        }
        if concerns_compaction(event) {
            Rc::make_mut(&mut self.compaction).reduce(event);
        }
        if matches!(event, Event::ScanStarted { .. } | Event::ScanStep { .. }) {
            Rc::make_mut(&mut self.scan).reduce(event, &self.structure);
        }
    }
}

fn concerns_read(event: &Event) -> bool {
    matches!(
        event,
        Event::GetStarted { .. }
            | Event::MemtableSearched { .. }
            | Event::TableConsidered { .. }
            | Event::BloomProbe { .. }
            | Event::IndexSearch { .. }
            | Event::BlockRead { .. }
            | Event::BloomFalsePositive { .. }
            | Event::RangeTombstoneCovers { .. }
            | Event::GetFinished { .. }
    )
}

fn concerns_bloom(event: &Event) -> bool {
    matches!(
        event,
        Event::GetStarted { .. } | Event::BloomProbe { .. } | Event::BloomFalsePositive { .. }
    )
}

fn concerns_compaction(event: &Event) -> bool {
    matches!(
        event,
        Event::CompactionPicked { .. }
            | Event::CompactionEntry { .. }
            | Event::TableFinished { .. }
            | Event::CompactionFinished { .. }
    )
}

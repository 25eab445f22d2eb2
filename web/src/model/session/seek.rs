//! Seeking: the views at any frame, forwards incrementally, backwards by
//! restoring a checkpoint and replaying.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::sstable::Table;
use strata_engine::Event;
use strata_storage::Storage;

use super::{FrameRef, Session, Viewer};
use crate::model::base::Base;
use crate::model::i18n::errors::{error, Error};
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};
use crate::model::narrate::{describe_op, describe_outcome, event_kind, narrate, narrate_quiet_op};
use crate::model::runner::Runner;
use crate::model::views::bloom::{BloomView, FilterSource};
use crate::model::views::compaction::CompactionView;
use crate::model::views::read_path::ReadPathView;
use crate::model::views::stats::{Sample, StatsView};
use crate::model::views::structure::{ImmutableView, Lookback, StructureView, WalRecord, WAL_TAIL};
use crate::model::views::{FrameInfo, Views};

/// Points the statistics chart keeps.
pub const CHART_POINTS: usize = 300;
/// Operations the WAL tail looks back over.
const WAL_LOOKBACK_OPS: usize = 64;

/// Reads filters from the storage of the runner at the boundary shown,
/// remembering what it read (file numbers are never reused).
struct Filters<'a> {
    storage: &'a dyn Storage,
    cache: &'a RefCell<HashMap<u64, Option<Rc<Vec<u8>>>>>,
    tombstones: &'a RefCell<HashMap<u64, Rc<Vec<Vec<u8>>>>>,
    range_tombstones: &'a RefCell<HashMap<u64, Rc<Vec<RangeTombstone>>>>,
}

impl FilterSource for Filters<'_> {
    fn filter_bits(&self, file_number: u64) -> Option<Rc<Vec<u8>>> {
        if let Some(Some(bits)) = self.cache.borrow().get(&file_number) {
            return Some(bits.clone());
        }
        let bits = Table::open(self.storage, file_number)
            .ok()
            .and_then(|t| t.bloom().map(|f| f.encode()))
            .map(|encoded| Rc::new(encoded.get(1..).unwrap_or_default().to_vec()));
        if bits.is_some() {
            self.cache.borrow_mut().insert(file_number, bits.clone());
        }
        bits
    }

    fn tombstone_keys(&self, file_number: u64) -> Option<Rc<Vec<Vec<u8>>>> {
        if let Some(keys) = self.tombstones.borrow().get(&file_number) {
            return Some(keys.clone());
        }
        let keys = Rc::new(read_tombstone_keys(self.storage, file_number)?);
        self.tombstones
            .borrow_mut()
            .insert(file_number, keys.clone());
        Some(keys)
    }

    fn range_tombstones(&self, file_number: u64) -> Option<Rc<Vec<RangeTombstone>>> {
        if let Some(found) = self.range_tombstones.borrow().get(&file_number) {
            return Some(found.clone());
        }
        let found = Rc::new(Table::read_range_tombstones(self.storage, file_number).ok()?);
        self.range_tombstones
            .borrow_mut()
            .insert(file_number, found.clone());
        Some(found)
    }
}

/// The user keys of a table's tombstones (every record is read once: a
/// file never changes, and the session remembers the answer).
fn read_tombstone_keys(storage: &dyn Storage, file_number: u64) -> Option<Vec<Vec<u8>>> {
    use strata_engine::iter::InternalIterator;
    use strata_engine::record::parse_internal_key;
    let table = Table::open(storage, file_number).ok()?;
    let mut it = table.iter();
    it.seek_to_first().ok()?;
    let mut keys = Vec::new();
    while it.valid() {
        let parsed = parse_internal_key(it.key())?;
        if parsed.kind == strata_engine::ValueKind::Delete {
            keys.push(parsed.user_key.to_vec());
        }
        it.next().ok()?;
    }
    Some(keys)
}

/// Which run of events a frame belongs to: opening (`None`) or an
/// operation.
fn segment(frame: FrameRef) -> Option<usize> {
    frame.op()
}

impl Session {
    /// Shows frame `pos` (clamped to the timeline) and returns the views.
    pub fn seek(&mut self, pos: usize) -> Rc<Views> {
        let pos = pos.min(self.frames.total().saturating_sub(1));
        let target = self.frames.at(pos);
        let previous = self.viewer.take();
        let result = match previous {
            Some(v) if v.pos == pos => Ok(v.views.as_ref().clone()),
            Some(v) if pos > v.pos && segment(v.frame) == segment(target) => {
                let mut views = v.views.as_ref().clone();
                self.feed(&mut views, target, v.frame.events_upto());
                Ok(views)
            }
            Some(v) if pos > v.pos => self.cross_forward(&v, target),
            _ => self.rebuild(target),
        };
        let mut views = match result {
            Ok(views) => views,
            Err(e) => {
                self.problem = Some(error(&Error::CouldNotShowFrame {
                    pos,
                    error: &e.to_string(),
                }));
                Views::default()
            }
        };
        let upto = self.stats_upto(target);
        if views.stats.upto != upto {
            views.stats = Rc::new(self.stats_view(upto));
        }
        views.frame = self.frame_info(pos, target, &views);
        let views = Rc::new(views);
        self.viewer = Some(Viewer {
            pos,
            frame: target,
            views: views.clone(),
        });
        views
    }

    /// Moves by `delta` frames.
    pub fn step(&mut self, delta: isize) -> Rc<Views> {
        let pos = self.pos().saturating_add_signed(delta);
        self.seek(pos)
    }

    /// The events of the frame's segment.
    fn segment_events(&self, frame: FrameRef) -> &[Event] {
        match frame {
            FrameRef::Open { .. } => &self.trace.open_events,
            FrameRef::Op { op, .. } => self.trace.steps.get(op).map_or(&[], |s| &s.events),
        }
    }

    /// Feeds the events of `target`'s segment from index `from` up to the
    /// target's to every view.
    fn feed(&self, views: &mut Views, target: FrameRef, from: usize) {
        let runner = self.runner_for_view(target.boundary());
        let filters = Filters {
            storage: runner.storage().as_ref(),
            cache: &self.filters,
            tombstones: &self.tombstones,
            range_tombstones: &self.range_tombstones,
        };
        let events = self.segment_events(target);
        for event in events.iter().take(target.events_upto()).skip(from) {
            views.reduce(event, &filters);
        }
    }

    /// Forward across operations: a fresh structure from the new boundary;
    /// the read, bloom and compaction views carried over and fed what
    /// happened in between.
    fn cross_forward(&mut self, from: &Viewer, target: FrameRef) -> Result<Views, String> {
        let mut carried = from.views.as_ref().clone();
        let boundary = target.boundary();
        let base = self.base(boundary)?;
        {
            let runner = self.runner_for_view(boundary);
            let filters = Filters {
                storage: runner.storage().as_ref(),
                cache: &self.filters,
                tombstones: &self.tombstones,
                range_tombstones: &self.range_tombstones,
            };
            let rest = self.segment_events(from.frame);
            let mut side = SideViews::of(&carried);
            for event in rest.iter().skip(from.frame.events_upto()) {
                side.reduce(event, &filters);
            }
            let first = from.frame.op().map_or(0, |op| op + 1);
            for op in self.relevant_ops(first, boundary) {
                for event in self.trace.steps.get(op).map_or(&[][..], |s| &s.events) {
                    side.reduce(event, &filters);
                }
            }
            side.store(&mut carried);
        }
        let mut views = self.views_from_base(&base, boundary);
        // Most operations leave the levels as they were: keep the same
        // `Rc`, so the levels are not redrawn.
        if views.structure.levels == carried.structure.levels {
            views.structure.levels = carried.structure.levels.clone();
        }
        if views.structure.activity == carried.structure.activity {
            views.structure.activity = carried.structure.activity.clone();
        }
        views.read = carried.read;
        views.compaction = carried.compaction;
        if carried.bloom.probe.is_some() || carried.bloom.get_key().is_some() {
            let mut bloom = views.bloom.as_ref().clone();
            bloom.carry_probe(&carried.bloom);
            views.bloom = Rc::new(bloom);
        }
        self.feed(&mut views, target, 0);
        Ok(views)
    }

    /// Any frame, from the nearest checkpoint.
    fn rebuild(&mut self, target: FrameRef) -> Result<Views, String> {
        let boundary = target.boundary();
        let base = self.base(boundary)?;
        let mut views = self.views_from_base(&base, boundary);
        if target.op().is_some() {
            self.look_back(&mut views, boundary);
        }
        self.feed(&mut views, target, 0);
        Ok(views)
    }

    /// Operations in `first..end` that the read, bloom or compaction views
    /// care about, in order.
    fn relevant_ops(&self, first: usize, end: usize) -> Vec<usize> {
        let within = |list: &[usize]| -> Vec<usize> {
            let a = list.partition_point(|&o| o < first);
            let b = list.partition_point(|&o| o < end);
            list.get(a..b).unwrap_or_default().to_vec()
        };
        let mut ops = within(&self.index.gets);
        ops.extend(within(&self.index.compactions));
        ops.sort_unstable();
        ops.dedup();
        ops
    }

    /// Fills the read, bloom and compaction views from the last get and the
    /// last compaction before `boundary`.
    fn look_back(&mut self, views: &mut Views, boundary: usize) {
        let last_before = |list: &[usize]| {
            list.partition_point(|&o| o < boundary)
                .checked_sub(1)
                .and_then(|i| list.get(i).copied())
        };
        let get = last_before(&self.index.gets);
        let compaction = last_before(&self.index.compactions);
        let runner = self.runner_for_view(boundary);
        let filters = Filters {
            storage: runner.storage().as_ref(),
            cache: &self.filters,
            tombstones: &self.tombstones,
            range_tombstones: &self.range_tombstones,
        };
        if let Some(op) = get {
            let mut side = SideViews::of(views);
            for event in self.trace.steps.get(op).map_or(&[][..], |s| &s.events) {
                side.reduce(event, &filters);
            }
            side.compaction_touched = false;
            side.store(views);
        }
        if let Some(op) = compaction {
            let memo = self
                .compaction_memo
                .as_ref()
                .filter(|(o, _)| *o == op)
                .map(|(_, v)| v.clone());
            let view = memo.unwrap_or_else(|| {
                let mut view = CompactionView::default();
                for event in self.trace.steps.get(op).map_or(&[][..], |s| &s.events) {
                    view.reduce(event);
                }
                Rc::new(view)
            });
            self.compaction_memo = Some((op, view.clone()));
            views.compaction = view;
        }
    }

    /// Table `file_number`, key by key, as the frame shown has it (a
    /// table removed later is still read from the copy at this frame).
    pub fn table_detail(
        &self,
        file_number: u64,
    ) -> Result<crate::model::table_detail::TableDetail, String> {
        let boundary = self.frame(self.pos()).boundary();
        let runner = self.runner_for_view(boundary);
        crate::model::table_detail::read_table(runner.storage().as_ref(), file_number).or_else(
            |_| crate::model::table_detail::read_table(self.head.storage().as_ref(), file_number),
        )
    }

    /// The runner whose storage holds the tables at `boundary` (after
    /// [`Session::base`] positioned it).
    fn runner_for_view(&self, boundary: usize) -> &Runner {
        match &self.cursor {
            Some((at, runner)) if *at == boundary && boundary < self.ops() => runner,
            _ => &self.head,
        }
    }

    /// Positions a runner at `boundary` and reads the database there.
    fn base(&mut self, boundary: usize) -> Result<Base, String> {
        let runner = self.position(boundary)?;
        Ok(Base::read(runner, boundary))
    }

    /// A runner at `boundary`: the head at the end of the log, else the
    /// cursor, moved forward from where it is or from the nearest
    /// checkpoint.
    fn position(&mut self, boundary: usize) -> Result<&Runner, String> {
        if boundary >= self.ops() {
            return Ok(&self.head);
        }
        let checkpoint = self.checkpoints.iter().rposition(|c| c.ops <= boundary);
        let checkpoint_ops = checkpoint
            .and_then(|i| self.checkpoints.get(i))
            .map_or(0, |c| c.ops);
        let cursor_usable =
            matches!(&self.cursor, Some((at, _)) if *at <= boundary && *at >= checkpoint_ops);
        if !cursor_usable {
            let source = checkpoint
                .and_then(|i| self.checkpoints.get(i))
                .ok_or("no checkpoint before this point")?;
            let runner = source.runner.fork().map_err(|e| e.to_string())?;
            self.cursor = Some((source.ops, runner));
        }
        let steps = &self.trace.steps;
        let (at, runner) = self.cursor.as_mut().ok_or("no cursor")?;
        while *at < boundary {
            let op = steps.get(*at).ok_or("operation missing")?.op.clone();
            runner.apply(op);
            *at += 1;
        }
        Ok(runner)
    }

    fn views_from_base(&self, base: &Base, boundary: usize) -> Views {
        let lookback = self.lookback(base, boundary);
        let bits_per_key = base.options.bloom_bits_per_key;
        let mut structure = StructureView::from_base(base, lookback);
        let runner = self.runner_for_view(boundary);
        structure.read_tombstones(&Filters {
            storage: runner.storage().as_ref(),
            cache: &self.filters,
            tombstones: &self.tombstones,
            range_tombstones: &self.range_tombstones,
        });
        Views {
            structure,
            read: Rc::new(ReadPathView::default()),
            bloom: Rc::new(BloomView::new(&base.stats, bits_per_key)),
            compaction: Rc::new(CompactionView::default()),
            scan: Rc::default(),
            stats: Rc::new(self.stats_view(boundary + 1)),
            frame: FrameInfo::default(),
        }
    }

    /// The statistics over the first `upto` samples (`samples[0]` is after
    /// opening, `samples[o + 1]` after operation `o`).
    fn stats_view(&self, upto: usize) -> StatsView {
        let upto = upto.clamp(1, self.samples.len().max(1));
        let shown = self.samples.get(..upto).unwrap_or(&self.samples);
        let step = shown.len().div_ceil(CHART_POINTS).max(1);
        let mut history: Vec<Sample> = shown.iter().step_by(step).copied().collect();
        let current = shown.last().copied().unwrap_or_default();
        if shown.len() > 1 && !(shown.len() - 1).is_multiple_of(step) {
            history.push(current);
        }
        StatsView {
            current,
            history: Rc::new(history),
            ops: upto - 1,
            upto,
        }
    }

    /// Samples the statistics show at `target`: up to the operation's
    /// start, or its end on its last frame.
    fn stats_upto(&self, target: FrameRef) -> usize {
        match target {
            FrameRef::Open { .. } => 1,
            FrameRef::Op { op, event } => {
                let events = self.segment_events(target).len();
                let last = event.is_none_or(|e| e + 1 >= events);
                if last {
                    op + 2
                } else {
                    op + 1
                }
            }
        }
    }

    /// The frozen memtable and the WAL tail at `boundary`, from the trace.
    fn lookback(&self, base: &Base, boundary: usize) -> Lookback {
        let steps = &self.trace.steps;
        let immutable = base
            .stats
            .immutable_memtable
            .then(|| {
                let i = self
                    .index
                    .freezes
                    .partition_point(|&o| o < boundary)
                    .checked_sub(1)?;
                let op = *self.index.freezes.get(i)?;
                steps.get(op)?.events.iter().rev().find_map(|e| match e {
                    Event::MemtableFrozen {
                        entries,
                        bytes,
                        wal_file_number,
                        ..
                    } => Some(ImmutableView {
                        entries: *entries,
                        bytes: *bytes,
                        wal_file_number: Some(*wal_file_number),
                        flushing_into: None,
                    }),
                    _ => None,
                })
            })
            .flatten();
        let current = base.logs.last().map(|(n, _)| *n);
        let mut tail = Vec::new();
        'ops: for op in (boundary.saturating_sub(WAL_LOOKBACK_OPS)..boundary).rev() {
            for event in steps.get(op).map_or(&[][..], |s| &s.events).iter().rev() {
                match event {
                    Event::WalAppended {
                        file_number,
                        offset,
                        bytes,
                        fragments,
                        first_seq,
                        count,
                    } if Some(*file_number) == current => tail.push(WalRecord {
                        offset: *offset,
                        bytes: *bytes,
                        fragments: fragments.clone(),
                        first_seq: *first_seq,
                        count: *count,
                    }),
                    Event::MemtableFrozen { .. } => break 'ops,
                    _ => {}
                }
                if tail.len() >= WAL_TAIL {
                    break 'ops;
                }
            }
        }
        tail.reverse();
        Lookback {
            immutable,
            wal_tail: tail,
        }
    }

    fn frame_info(&self, pos: usize, target: FrameRef, views: &Views) -> FrameInfo {
        let mut info = FrameInfo {
            pos,
            total: self.frames.total(),
            op: target.op(),
            ops: self.ops(),
            ..FrameInfo::default()
        };
        let events = self.segment_events(target);
        info.op_events = events.len();
        let event = target
            .events_upto()
            .checked_sub(1)
            .and_then(|i| events.get(i));
        info.event = target.events_upto().checked_sub(1);
        match target.op().and_then(|op| self.trace.steps.get(op)) {
            Some(step) => {
                info.op_label = describe_op(&step.op);
                info.op_outcome = describe_outcome(&step.outcome);
            }
            None => info.op_label = ui(&Ui::OpenTheDatabase),
        }
        match (event, target.op().and_then(|op| self.trace.steps.get(op))) {
            (Some(event), step) => {
                info.event_kind = event_kind(event).to_owned();
                info.narration = narrate(event, views);
                // A write whose maintenance runs inline is not "done" while
                // its flush or compaction is shown: say what it is doing.
                if step.is_some_and(|s| is_write(&s.op)) && is_maintenance(&info.event_kind) {
                    info.op_outcome = tr(&Msg::WriteRunsMaintenance);
                }
            }
            (None, Some(step)) => {
                info.event_kind = "operation".to_owned();
                info.narration = narrate_quiet_op(&step.op, &step.outcome);
            }
            (None, None) => info.narration = ui(&Ui::OpenAndEmpty),
        }
        info
    }
}

/// Whether `op` writes (and so may run maintenance inline).
fn is_write(op: &strata_engine::trace::TraceOp) -> bool {
    use strata_engine::trace::TraceOp;
    matches!(
        op,
        TraceOp::Put { .. } | TraceOp::Delete { .. } | TraceOp::Batch { .. }
    )
}

/// Whether an event of kind `kind` belongs to a flush or a compaction.
fn is_maintenance(kind: &str) -> bool {
    matches!(
        kind,
        "memtable_frozen"
            | "flush_started"
            | "block_written"
            | "bloom_built"
            | "table_finished"
            | "flush_finished"
            | "manifest_edit"
            | "wal_retired"
            | "file_deleted"
            | "compaction_picked"
            | "compaction_entry"
            | "compaction_finished"
    )
}

/// The read, bloom-probe and compaction views, fed apart from the
/// structure (when looking back or crossing operations).
struct SideViews {
    read: ReadPathView,
    bloom: BloomView,
    compaction: CompactionView,
    read_touched: bool,
    compaction_touched: bool,
}

impl SideViews {
    fn of(views: &Views) -> Self {
        Self {
            read: views.read.as_ref().clone(),
            bloom: views.bloom.as_ref().clone(),
            compaction: views.compaction.as_ref().clone(),
            read_touched: false,
            compaction_touched: false,
        }
    }

    fn reduce(&mut self, event: &Event, filters: &dyn FilterSource) {
        self.read_touched |= self.read.reduce(event);
        self.read_touched |= self.bloom.reduce(event, filters);
        self.compaction_touched |= self.compaction.reduce(event);
    }

    /// Stores what changed into `views` (bloom: the probe only; the
    /// counters come from the base).
    fn store(self, views: &mut Views) {
        if self.compaction_touched {
            views.compaction = Rc::new(self.compaction);
        }
        if self.read_touched {
            views.read = Rc::new(self.read);
            let mut bloom = views.bloom.as_ref().clone();
            bloom.carry_probe(&self.bloom);
            views.bloom = Rc::new(bloom);
        }
    }
}

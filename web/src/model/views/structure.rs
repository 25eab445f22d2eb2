//! The structure view: WAL tail, memtable towers, the immutable memtable
//! and the levels with their tables on one key axis.

use std::rc::Rc;

use strata_engine::event::{
    BloomVerdict, EntryFate, FragmentKind, GetSource, TableDecision, TableSummary,
};
use strata_engine::{Event, TableMeta, TowerView};

use crate::model::axis::KeyAxis;
use crate::model::base::{Base, MAX_TOWERS};
use crate::model::views::bloom::FilterSource;

/// Records of the WAL tail shown.
pub const WAL_TAIL: usize = 6;

/// How a table is drawn right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableMark {
    /// Nothing happening to it.
    Normal,
    /// Added by the manifest edit of the operation shown.
    New,
    /// An input of the compaction shown.
    Input,
    /// Removed by the manifest edit: about to disappear.
    Fading,
    /// The get shown skipped it: the key is outside its range.
    SkippedRange,
    /// The get shown skipped it: its bloom filter said "definitely absent".
    FilteredOut,
    /// The get shown read a block of it.
    Read,
    /// Its bloom filter said "maybe" but the key was not there.
    FalsePositive,
    /// The get found its answer here.
    Answer,
    /// Its key range covers a tombstone the compaction shown had to keep:
    /// older data of that key may lie here.
    KeepsTombstone,
}

impl TableMark {
    /// The CSS class suffix and legend name.
    pub fn name(self) -> &'static str {
        match self {
            TableMark::Normal => "normal",
            TableMark::New => "new",
            TableMark::Input => "input",
            TableMark::Fading => "fading",
            TableMark::SkippedRange => "skipped",
            TableMark::FilteredOut => "filtered",
            TableMark::Read => "read",
            TableMark::FalsePositive => "false-positive",
            TableMark::Answer => "answer",
            TableMark::KeepsTombstone => "keeps-tombstone",
        }
    }
}

/// One table as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct TableView {
    /// File number.
    pub file_number: u64,
    /// Bytes on storage.
    pub size_bytes: u64,
    /// Records.
    pub entries: u64,
    /// Smallest user key.
    pub smallest: Vec<u8>,
    /// Largest user key.
    pub largest: Vec<u8>,
    /// Left edge on the key axis, `0..=1`.
    pub x0: f64,
    /// Right edge on the key axis, `0..=1`.
    pub x1: f64,
    /// What is happening to it.
    pub mark: TableMark,
    /// Its tombstones' keys (drawn as marks inside it), once read.
    pub tombstones: Option<Rc<Vec<Vec<u8>>>>,
}

impl TableView {
    fn from_meta(t: &TableMeta) -> Self {
        Self::new(
            t.file_number,
            t.size_bytes,
            t.entries,
            t.smallest_user_key(),
            t.largest_user_key(),
        )
    }

    fn from_summary(t: &TableSummary) -> Self {
        Self::new(
            t.file_number,
            t.size_bytes,
            t.entries,
            &t.smallest,
            &t.largest,
        )
    }

    fn new(
        file_number: u64,
        size_bytes: u64,
        entries: u64,
        smallest: &[u8],
        largest: &[u8],
    ) -> Self {
        Self {
            file_number,
            size_bytes,
            entries,
            smallest: smallest.to_vec(),
            largest: largest.to_vec(),
            x0: 0.0,
            x1: 1.0,
            mark: TableMark::Normal,
            tombstones: None,
        }
    }
}

/// One level.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelView {
    /// Its number.
    pub level: u32,
    /// Whether its tables may overlap (drawn as stacked runs).
    pub tiered: bool,
    /// Its tables in the engine's order (tiered: newest first).
    pub tables: Vec<TableView>,
    /// Bytes of its live tables.
    pub bytes: u64,
    /// Its target size (leveled levels; 0 for tiered ones).
    pub target_bytes: u64,
    /// For tiered levels: the run count that triggers a compaction.
    pub run_trigger: u64,
}

impl LevelView {
    /// How full the level is against its trigger: bytes / target for
    /// leveled levels, runs / trigger for tiered ones.
    pub fn fill(&self) -> f64 {
        if self.tiered {
            let runs = self.live_tables() as f64;
            runs / (self.run_trigger.max(1) as f64)
        } else if self.target_bytes > 0 {
            self.bytes as f64 / self.target_bytes as f64
        } else {
            0.0
        }
    }

    /// Tables that are not fading out.
    pub fn live_tables(&self) -> usize {
        self.tables
            .iter()
            .filter(|t| t.mark != TableMark::Fading)
            .count()
    }

    fn recount(&mut self) {
        self.bytes = self
            .tables
            .iter()
            .filter(|t| t.mark != TableMark::Fading)
            .map(|t| t.size_bytes)
            .sum();
    }
}

/// A table being written (flush or compaction output), not yet installed.
#[derive(Clone, Debug, PartialEq)]
pub struct WritingTable {
    /// Its file number.
    pub file_number: u64,
    /// The level it will join.
    pub level: u32,
    /// Data blocks written so far.
    pub blocks: u32,
    /// Bytes written so far.
    pub bytes: u64,
    /// The finished table, once synced.
    pub done: Option<TableSummary>,
    /// The part of the key axis its blocks cover so far (0..1): the table
    /// grows along the axis as blocks are written.
    pub span: Option<(f64, f64)>,
}

/// The levels and what moves between them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LevelsView {
    /// L0 … L6.
    pub levels: Vec<LevelView>,
    /// The key axis every level shares.
    pub axis: KeyAxis,
    /// The smallest and largest key on the axis.
    pub axis_ends: Option<(Vec<u8>, Vec<u8>)>,
}

/// What moves over the levels event by event: kept apart from
/// [`LevelsView`] so that the tables are redrawn only when they change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    /// Tables being written.
    pub writing: Vec<WritingTable>,
    /// The running compaction's output level.
    pub output_level: Option<u32>,
    /// The compaction's merge cursor (last key merged) and its place on
    /// the axis.
    pub merge_cursor: Option<(Vec<u8>, f64)>,
    /// The key the get shown looks up, and its place on the axis.
    pub get_key: Option<(Vec<u8>, f64)>,
    /// The latest tombstone a compaction had to keep, and the deeper
    /// tables whose range covers its key (level, file number).
    pub kept_tombstone: Option<KeptTombstone>,
}

/// A tombstone kept because older data of its key may lie deeper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptTombstone {
    /// The key.
    pub key: Vec<u8>,
    /// The deeper tables that force it to stay: (level, file number).
    pub below: Vec<(u32, u64)>,
}

impl Activity {
    fn writing_mut(&mut self, file_number: u64) -> &mut WritingTable {
        let at = match self
            .writing
            .iter()
            .position(|w| w.file_number == file_number)
        {
            Some(at) => at,
            None => {
                let level = self.output_level.unwrap_or(0);
                self.writing.push(WritingTable {
                    file_number,
                    level,
                    blocks: 0,
                    bytes: 0,
                    done: None,
                    span: None,
                });
                self.writing.len() - 1
            }
        };
        #[expect(clippy::indexing_slicing, reason = "found or just pushed")]
        &mut self.writing[at]
    }

    fn replace(&mut self, axis: &KeyAxis) {
        for (key, x) in self.merge_cursor.iter_mut().chain(self.get_key.iter_mut()) {
            *x = axis.position(key);
        }
    }
}

impl LevelsView {
    /// Levels worth drawing: down to the deepest non-empty one (or
    /// `also`), at least L0 and L1.
    pub fn shown(&self, also: Option<u32>) -> &[LevelView] {
        let deepest = self
            .levels
            .iter()
            .rposition(|l| !l.tables.is_empty())
            .unwrap_or(0);
        let also = also.map_or(0, |l| l as usize);
        let n = (deepest.max(also) + 1).clamp(2, self.levels.len().max(2));
        self.levels.get(..n).unwrap_or(&self.levels)
    }

    fn table_mut(&mut self, file_number: u64) -> Option<&mut TableView> {
        self.levels
            .iter_mut()
            .flat_map(|l| l.tables.iter_mut())
            .find(|t| t.file_number == file_number)
    }

    /// Recomputes the axis from every table and places the tables on it.
    fn relayout(&mut self) {
        let axis = KeyAxis::spanning(
            self.levels
                .iter()
                .flat_map(|l| &l.tables)
                .flat_map(|t| [t.smallest.as_slice(), t.largest.as_slice()]),
        );
        let mut ends: Option<(Vec<u8>, Vec<u8>)> = None;
        for table in self.levels.iter_mut().flat_map(|l| l.tables.iter_mut()) {
            table.x0 = axis.position(&table.smallest);
            table.x1 = axis.position(&table.largest);
            ends = Some(match ends {
                None => (table.smallest.clone(), table.largest.clone()),
                Some((lo, hi)) => (
                    lo.min(table.smallest.clone()),
                    hi.max(table.largest.clone()),
                ),
            });
        }
        self.axis = axis;
        self.axis_ends = ends;
    }

    /// Adds a table a manifest edit installed; its tombstones are read at
    /// the next operation boundary (the storage the frame is drawn from
    /// does not hold it yet).
    fn add(&mut self, table: &TableSummary) {
        let mut view = TableView::from_summary(table);
        view.mark = TableMark::New;
        if let Some(level) = self.levels.get_mut(table.level as usize) {
            let at = if level.tiered {
                0
            } else {
                level
                    .tables
                    .iter()
                    .position(|t| t.smallest > view.smallest)
                    .unwrap_or(level.tables.len())
            };
            level.tables.insert(at, view);
            level.recount();
        }
    }

    fn remove(&mut self, level: u32, file_number: u64) {
        if let Some(level) = self.levels.get_mut(level as usize) {
            for t in level
                .tables
                .iter_mut()
                .filter(|t| t.file_number == file_number)
            {
                t.mark = TableMark::Fading;
            }
            level.recount();
        }
    }

    /// Forgets the tables an earlier manifest edit removed.
    fn drop_faded(&mut self) {
        let mut dropped = false;
        for level in &mut self.levels {
            let before = level.tables.len();
            level.tables.retain(|t| t.mark != TableMark::Fading);
            dropped |= level.tables.len() != before;
        }
        if dropped {
            self.relayout();
        }
    }

    fn has_read_marks(&self) -> bool {
        self.levels.iter().flat_map(|l| &l.tables).any(|t| {
            !matches!(
                t.mark,
                TableMark::Normal | TableMark::New | TableMark::Input | TableMark::Fading
            )
        })
    }

    fn mark_of(&self, file_number: u64) -> Option<TableMark> {
        self.levels
            .iter()
            .flat_map(|l| &l.tables)
            .find(|t| t.file_number == file_number)
            .map(|t| t.mark)
    }

    fn mark(&mut self, file_number: u64, mark: TableMark) {
        if let Some(t) = self.table_mut(file_number) {
            t.mark = mark;
        }
    }

    fn clear_read_marks(&mut self) {
        for t in self.levels.iter_mut().flat_map(|l| l.tables.iter_mut()) {
            if !matches!(
                t.mark,
                TableMark::New | TableMark::Input | TableMark::Fading
            ) {
                t.mark = TableMark::Normal;
            }
        }
    }
}

/// One record in the WAL tail.
#[derive(Clone, Debug, PartialEq)]
pub struct WalRecord {
    /// Offset of its first fragment.
    pub offset: u64,
    /// Bytes, headers included.
    pub bytes: u64,
    /// How it was split across 32 KiB blocks.
    pub fragments: Vec<FragmentKind>,
    /// Sequence number of its first record.
    pub first_seq: u64,
    /// Records in it.
    pub count: u32,
}

/// The write-ahead log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WalView {
    /// The log taking writes.
    pub file_number: Option<u64>,
    /// Its size.
    pub size_bytes: u64,
    /// Bytes of it known to be synced.
    pub synced_bytes: u64,
    /// Its last records, oldest first; the last one is the newest.
    pub tail: Vec<WalRecord>,
    /// Older logs still on storage (waiting for their memtable's flush).
    pub older: Vec<u64>,
    /// Whether the last event appended to it.
    pub just_appended: bool,
}

/// The active memtable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemtableView {
    /// Its first nodes in key order, with tower heights.
    pub towers: Vec<TowerView>,
    /// Records in it.
    pub entries: u64,
    /// Approximate bytes.
    pub bytes: u64,
    /// The size at which it is frozen.
    pub capacity_bytes: u64,
    /// The last record inserted: (key, sequence number).
    pub last_insert: Option<(Vec<u8>, u64)>,
}

impl MemtableView {
    /// Records not drawn (past the first [`MAX_TOWERS`]).
    pub fn hidden(&self) -> u64 {
        self.entries.saturating_sub(self.towers.len() as u64)
    }
}

/// The frozen memtable waiting for its flush.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImmutableView {
    /// Records.
    pub entries: u64,
    /// Approximate bytes.
    pub bytes: u64,
    /// The log holding its records.
    pub wal_file_number: Option<u64>,
    /// The table it is being flushed into.
    pub flushing_into: Option<u64>,
}

/// Everything the structure view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StructureView {
    /// The log.
    pub wal: Rc<WalView>,
    /// The active memtable.
    pub memtable: Rc<MemtableView>,
    /// The immutable memtable, if one waits.
    pub immutable: Option<ImmutableView>,
    /// The levels.
    pub levels: Rc<LevelsView>,
    /// What moves over them.
    pub activity: Rc<Activity>,
}

/// What a base does not say and the trace does: the frozen memtable and
/// the WAL's last records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lookback {
    /// The last `MemtableFrozen` before the boundary, if the database still
    /// holds that memtable.
    pub immutable: Option<ImmutableView>,
    /// The last records appended to the current log, oldest first.
    pub wal_tail: Vec<WalRecord>,
}

impl StructureView {
    /// Marks the tables below the running compaction's output level whose
    /// key range covers `key`: they are why its tombstone stays.
    fn keep_tombstone(&mut self, key: &[u8]) {
        let below_level = self.activity.output_level.unwrap_or(0);
        let below: Vec<(u32, u64)> = self
            .levels
            .levels
            .iter()
            .filter(|l| l.level > below_level)
            .flat_map(|l| {
                l.tables
                    .iter()
                    .filter(|t| {
                        t.mark != TableMark::Fading
                            && t.smallest.as_slice() <= key
                            && key <= t.largest.as_slice()
                    })
                    .map(move |t| (l.level, t.file_number))
            })
            .collect();
        let levels = Rc::make_mut(&mut self.levels);
        for (_, file) in &below {
            levels.mark(*file, TableMark::KeepsTombstone);
        }
        Rc::make_mut(&mut self.activity).kept_tombstone = Some(KeptTombstone {
            key: key.to_vec(),
            below,
        });
    }

    /// Gives every table its tombstones' keys, read through `tables`
    /// (tables never change, so a source may remember them).
    pub fn read_tombstones(&mut self, tables: &dyn FilterSource) {
        let levels = Rc::make_mut(&mut self.levels);
        for t in levels.levels.iter_mut().flat_map(|l| l.tables.iter_mut()) {
            if t.tombstones.is_none() {
                t.tombstones = tables.tombstone_keys(t.file_number);
            }
        }
    }

    /// The view of `base`.
    pub fn from_base(base: &Base, lookback: Lookback) -> Self {
        let tiered = base.options.compaction_strategy.tiered_levels();
        let levels = base
            .levels
            .iter()
            .enumerate()
            .map(|(l, tables)| LevelView {
                level: l as u32,
                tiered: l < tiered,
                tables: tables.iter().map(TableView::from_meta).collect(),
                bytes: base.stats.levels.get(l).map_or(0, |s| s.bytes),
                target_bytes: base.stats.levels.get(l).map_or(0, |s| s.target_bytes),
                run_trigger: base.options.l0_compaction_trigger as u64,
            })
            .collect();
        let mut levels = LevelsView {
            levels,
            ..LevelsView::default()
        };
        levels.relayout();
        let current = base.logs.last().copied();
        let wal = WalView {
            file_number: current.map(|(n, _)| n),
            size_bytes: current.map_or(0, |(_, len)| len),
            synced_bytes: 0,
            tail: lookback.wal_tail,
            older: base.logs.iter().rev().skip(1).map(|(n, _)| *n).collect(),
            just_appended: false,
        };
        let memtable = MemtableView {
            towers: base.towers.clone(),
            entries: base.stats.memtable_entries,
            bytes: base.stats.memtable_bytes,
            capacity_bytes: base.options.memtable_bytes_max as u64,
            last_insert: None,
        };
        Self {
            wal: Rc::new(wal),
            memtable: Rc::new(memtable),
            immutable: lookback.immutable.filter(|_| base.stats.immutable_memtable),
            levels: Rc::new(levels),
            activity: Rc::new(Activity::default()),
        }
    }

    /// Follows one event.
    pub fn reduce(&mut self, event: &Event) {
        if self.wal.just_appended {
            Rc::make_mut(&mut self.wal).just_appended = false;
        }
        match event {
            Event::WalAppended { .. } | Event::WalSynced { .. } | Event::WalRetired { .. } => {
                reduce_wal(Rc::make_mut(&mut self.wal), event);
            }
            Event::MemtableInsert {
                key,
                seq,
                kind,
                tower_height,
                entries,
                bytes,
            } => {
                let mem = Rc::make_mut(&mut self.memtable);
                mem.entries = *entries;
                mem.bytes = *bytes;
                mem.last_insert = Some((key.clone(), *seq));
                let at = mem.towers.partition_point(|t| {
                    (t.key.as_slice(), std::cmp::Reverse(t.seq))
                        < (key.as_slice(), std::cmp::Reverse(*seq))
                });
                if at < MAX_TOWERS {
                    mem.towers.insert(
                        at,
                        TowerView {
                            key: key.clone(),
                            seq: *seq,
                            kind: *kind,
                            height: *tower_height,
                        },
                    );
                    mem.towers.truncate(MAX_TOWERS);
                }
            }
            Event::MemtableFrozen {
                entries,
                bytes,
                wal_file_number,
                new_wal_file_number,
            } => {
                self.immutable = Some(ImmutableView {
                    entries: *entries,
                    bytes: *bytes,
                    wal_file_number: Some(*wal_file_number),
                    flushing_into: None,
                });
                let capacity = self.memtable.capacity_bytes;
                self.memtable = Rc::new(MemtableView {
                    capacity_bytes: capacity,
                    ..MemtableView::default()
                });
                let wal = Rc::make_mut(&mut self.wal);
                wal.older.push(*wal_file_number);
                wal.file_number = Some(*new_wal_file_number);
                wal.size_bytes = 0;
                wal.synced_bytes = 0;
                wal.tail.clear();
            }
            Event::FlushStarted { file_number, .. } => {
                if let Some(imm) = &mut self.immutable {
                    imm.flushing_into = Some(*file_number);
                }
                let activity = Rc::make_mut(&mut self.activity);
                activity.output_level = None;
                activity.writing_mut(*file_number).level = 0;
            }
            Event::FlushFinished { .. } => self.immutable = None,
            _ => self.reduce_levels(event),
        }
    }

    fn reduce_levels(&mut self, event: &Event) {
        match event {
            Event::BlockWritten {
                file_number,
                bytes,
                first_key,
                last_key,
                ..
            } => {
                let (x0, x1) = (
                    self.levels.axis.position(first_key),
                    self.levels.axis.position(last_key),
                );
                let w = Rc::make_mut(&mut self.activity).writing_mut(*file_number);
                w.blocks += 1;
                w.bytes += bytes;
                w.span = Some(match w.span {
                    Some((a, b)) => (a.min(x0), b.max(x1)),
                    None => (x0, x1),
                });
            }
            Event::TableFinished { table, .. } => {
                Rc::make_mut(&mut self.activity)
                    .writing_mut(table.file_number)
                    .done = Some(table.clone());
            }
            Event::ManifestEdit { added, removed, .. } => {
                let levels = Rc::make_mut(&mut self.levels);
                // Tables removed by an earlier edit have faded out by now.
                levels.drop_faded();
                for (level, file) in removed {
                    levels.remove(*level, *file);
                }
                for table in added {
                    levels.add(table);
                }
                levels.relayout();
                let activity = Rc::make_mut(&mut self.activity);
                activity
                    .writing
                    .retain(|w| !added.iter().any(|t| t.file_number == w.file_number));
                activity.replace(&levels.axis);
            }
            Event::CompactionPicked {
                inputs,
                output_level,
                ..
            } => {
                let levels = Rc::make_mut(&mut self.levels);
                levels.drop_faded();
                for t in inputs {
                    levels.mark(t.file_number, TableMark::Input);
                }
                Rc::make_mut(&mut self.activity).output_level = Some(*output_level);
            }
            Event::CompactionEntry { key, fate, .. } => {
                let x = self.levels.axis.position(key);
                Rc::make_mut(&mut self.activity).merge_cursor = Some((key.clone(), x));
                if *fate == EntryFate::TombstoneKeptOlderDataBelow {
                    self.keep_tombstone(key);
                }
            }
            Event::CompactionFinished { .. } => {
                let activity = Rc::make_mut(&mut self.activity);
                activity.merge_cursor = None;
                activity.output_level = None;
            }
            Event::GetStarted { key, .. } => {
                if self.levels.has_read_marks() {
                    Rc::make_mut(&mut self.levels).clear_read_marks();
                }
                let x = self.levels.axis.position(key);
                Rc::make_mut(&mut self.activity).get_key = Some((key.clone(), x));
            }
            Event::TableConsidered {
                file_number,
                decision,
                ..
            } => {
                let mark = match decision {
                    TableDecision::SkippedKeyRange => TableMark::SkippedRange,
                    TableDecision::Probed => TableMark::Read,
                };
                self.set_mark(*file_number, mark);
            }
            Event::BloomProbe {
                file_number,
                verdict: BloomVerdict::DefinitelyAbsent,
                ..
            } => self.set_mark(*file_number, TableMark::FilteredOut),
            Event::BloomFalsePositive { file_number } => {
                self.set_mark(*file_number, TableMark::FalsePositive);
            }
            Event::GetFinished {
                source: GetSource::Table { file_number, .. },
                ..
            } => self.set_mark(*file_number, TableMark::Answer),
            _ => {}
        }
    }

    /// Marks a table, copying the levels only if the mark changes.
    fn set_mark(&mut self, file_number: u64, mark: TableMark) {
        if self.levels.mark_of(file_number).is_some_and(|m| m != mark) {
            Rc::make_mut(&mut self.levels).mark(file_number, mark);
        }
    }
}

fn reduce_wal(wal: &mut WalView, event: &Event) {
    match event {
        Event::WalAppended {
            file_number,
            offset,
            bytes,
            fragments,
            first_seq,
            count,
        } => {
            if wal.file_number != Some(*file_number) {
                wal.file_number = Some(*file_number);
                wal.tail.clear();
            }
            wal.tail.push(WalRecord {
                offset: *offset,
                bytes: *bytes,
                fragments: fragments.clone(),
                first_seq: *first_seq,
                count: *count,
            });
            if wal.tail.len() > WAL_TAIL {
                wal.tail.remove(0);
            }
            wal.size_bytes = offset + bytes;
            wal.just_appended = true;
        }
        Event::WalSynced { file_number } if wal.file_number == Some(*file_number) => {
            wal.synced_bytes = wal.size_bytes;
        }
        Event::WalRetired { file_number } => wal.older.retain(|n| n != file_number),
        _ => {}
    }
}

//! The levels on one key axis: tables, their marks, and the layout that
//! places them.

use std::rc::Rc;

use strata_engine::event::TableSummary;
use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::TableMeta;

use crate::model::axis::KeyAxis;

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
    /// The range delete shown covers part of its key range: the older
    /// versions there are hidden from every read from now on.
    HiddenByRange,
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
            TableMark::HiddenByRange => "hidden-by-range",
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
    /// Its range tombstones (drawn as bands inside it), once read.
    pub range_tombstones: Option<Rc<Vec<RangeTombstone>>>,
}

impl TableView {
    pub(super) fn from_meta(t: &TableMeta) -> Self {
        Self::new(
            t.file_number,
            t.size_bytes,
            t.entries,
            t.smallest_user_key(),
            t.largest_user_key(),
        )
    }

    pub(super) fn from_summary(t: &TableSummary) -> Self {
        Self::new(
            t.file_number,
            t.size_bytes,
            t.entries,
            &t.smallest,
            &t.largest,
        )
    }

    pub(super) fn new(
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
            range_tombstones: None,
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

    pub(super) fn recount(&mut self) {
        self.bytes = self
            .tables
            .iter()
            .filter(|t| t.mark != TableMark::Fading)
            .map(|t| t.size_bytes)
            .sum();
    }
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

    pub(super) fn table_mut(&mut self, file_number: u64) -> Option<&mut TableView> {
        self.levels
            .iter_mut()
            .flat_map(|l| l.tables.iter_mut())
            .find(|t| t.file_number == file_number)
    }

    /// Recomputes the axis from every table and places the tables on it.
    pub(super) fn relayout(&mut self) {
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
    pub(super) fn add(&mut self, table: &TableSummary) {
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

    pub(super) fn remove(&mut self, level: u32, file_number: u64) {
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
    pub(super) fn drop_faded(&mut self) {
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

    pub(super) fn has_read_marks(&self) -> bool {
        self.levels.iter().flat_map(|l| &l.tables).any(|t| {
            !matches!(
                t.mark,
                TableMark::Normal | TableMark::New | TableMark::Input | TableMark::Fading
            )
        })
    }

    pub(super) fn mark_of(&self, file_number: u64) -> Option<TableMark> {
        self.levels
            .iter()
            .flat_map(|l| &l.tables)
            .find(|t| t.file_number == file_number)
            .map(|t| t.mark)
    }

    pub(super) fn mark(&mut self, file_number: u64, mark: TableMark) {
        if let Some(t) = self.table_mut(file_number) {
            t.mark = mark;
        }
    }

    pub(super) fn clear_read_marks(&mut self) {
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

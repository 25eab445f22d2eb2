//! What moves over the levels: outputs growing block by block as they
//! are written, the merge cursor, the key a get looks up, the tombstone a
//! compaction keeps with the deeper tables that force it to, and a range
//! delete's band with the tables it hides.

use std::rc::Rc;

use strata_engine::event::TableSummary;

use super::{StructureView, TableMark};
use crate::model::axis::KeyAxis;
use crate::model::views::bloom::FilterSource;

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
    /// The range delete shown: a band over the key axis, and the tables
    /// whose older versions it hides.
    pub range_delete: Option<RangeBand>,
}

/// A range tombstone just written, drawn as a band across the levels.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeBand {
    /// First key deleted.
    pub start: Vec<u8>,
    /// First key after the range.
    pub end: Vec<u8>,
    /// Its sequence number.
    pub seq: u64,
    /// Its place on the key axis, `0..=1`: left and right edges.
    pub x0: f64,
    /// See `x0`.
    pub x1: f64,
    /// The tables holding keys of the range (level, file number): every
    /// version in them inside the range is now hidden.
    pub hides: Vec<(u32, u64)>,
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
    pub(super) fn writing_mut(&mut self, file_number: u64) -> &mut WritingTable {
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

    pub(super) fn replace(&mut self, axis: &KeyAxis) {
        for (key, x) in self.merge_cursor.iter_mut().chain(self.get_key.iter_mut()) {
            *x = axis.position(key);
        }
        if let Some(band) = &mut self.range_delete {
            (band.x0, band.x1) = axis.span(&band.start, &band.end);
        }
    }
}

impl StructureView {
    /// Marks the tables below the running compaction's output level whose
    /// key range covers `key`: they are why its tombstone stays.
    pub(super) fn keep_tombstone(&mut self, key: &[u8]) {
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

    /// Gives every table its tombstones' keys and its range tombstones,
    /// read through `tables` (tables never change, so a source may
    /// remember them).
    pub fn read_tombstones(&mut self, tables: &dyn FilterSource) {
        let levels = Rc::make_mut(&mut self.levels);
        for t in levels.levels.iter_mut().flat_map(|l| l.tables.iter_mut()) {
            if t.tombstones.is_none() {
                t.tombstones = tables.tombstone_keys(t.file_number);
            }
            if t.range_tombstones.is_none() {
                t.range_tombstones = tables.range_tombstones(t.file_number);
            }
        }
    }

    /// Draws the range delete `[start, end)` at `seq` as a band, and marks
    /// the tables whose keys it covers: their versions there are hidden.
    pub(super) fn show_range_delete(&mut self, start: &[u8], end: &[u8], seq: u64) {
        let hides: Vec<(u32, u64)> = self
            .levels
            .levels
            .iter()
            .flat_map(|l| {
                l.tables
                    .iter()
                    .filter(|t| {
                        t.mark != TableMark::Fading
                            && t.largest.as_slice() >= start
                            && t.smallest.as_slice() < end
                    })
                    .map(move |t| (l.level, t.file_number))
            })
            .collect();
        let levels = Rc::make_mut(&mut self.levels);
        for (_, file) in &hides {
            levels.mark(*file, TableMark::HiddenByRange);
        }
        let (x0, x1) = levels.axis.span(start, end);
        Rc::make_mut(&mut self.activity).range_delete = Some(RangeBand {
            start: start.to_vec(),
            end: end.to_vec(),
            seq,
            x0,
            x1,
            hides,
        });
    }
}

//! The scan view: the merging iterator's sources (memtables, each table
//! of a tiered level, one cursor per leveled level), the entries in the
//! order the merge yields them, and what the scan did with each —
//! returned, shadowed by a newer version, a tombstone skipped, or too new
//! for its snapshot.
//!
//! The sources are named from the structure when the scan starts, in the
//! order the engine builds them; each `ScanStep` carries the index of the
//! source its entry came from.

use strata_engine::event::ScanDecision;
use strata_engine::Event;

use crate::model::views::structure::{StructureView, TableMark};

/// Entries listed at most (the latest ones; the counts cover all).
pub const MAX_SCAN_ROWS: usize = 200;

/// The columns of the entries list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanColumn {
    /// The entry's place in the merge's output.
    Order,
    /// Its user key.
    Key,
    /// Its sequence number.
    Seq,
    /// The source it came from.
    Source,
    /// What the scan did with it.
    Did,
}

impl ScanColumn {
    /// Every column, in order.
    pub const ALL: [ScanColumn; 5] = [
        ScanColumn::Order,
        ScanColumn::Key,
        ScanColumn::Seq,
        ScanColumn::Source,
        ScanColumn::Did,
    ];
}

/// What one source of the merge is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The active memtable.
    Memtable,
    /// The frozen memtable waiting for its flush.
    Immutable,
    /// One table of a tiered level (its runs overlap).
    Table {
        /// Its level.
        level: u32,
        /// Its file number.
        file_number: u64,
    },
    /// A leveled level, read by one cursor across its tables.
    Level {
        /// The level.
        level: u32,
        /// Its tables.
        tables: usize,
    },
    /// The structure shown does not account for this source.
    Unknown,
}

/// One source and what came from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanSource {
    /// What it is.
    pub kind: SourceKind,
    /// Entries returned to the caller.
    pub returned: u64,
    /// Older versions hidden by a newer one.
    pub shadowed: u64,
    /// Tombstones skipped.
    pub tombstones: u64,
    /// Entries newer than the snapshot.
    pub invisible: u64,
    /// Puts older than the time to live, skipped (listed one by one in
    /// the entries, not in the counts line).
    pub expired: u64,
}

impl ScanSource {
    fn new(kind: SourceKind) -> Self {
        Self {
            kind,
            returned: 0,
            shadowed: 0,
            tombstones: 0,
            invisible: 0,
            expired: 0,
        }
    }

    /// Entries it gave the merge.
    pub fn entries(&self) -> u64 {
        self.returned + self.shadowed + self.tombstones + self.invisible + self.expired
    }
}

/// One entry the merge yielded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanEntry {
    /// Its place in the merge's output, from 1.
    pub order: u64,
    /// The user key.
    pub key: Vec<u8>,
    /// Its sequence number.
    pub seq: u64,
    /// What the scan did with it.
    pub decision: ScanDecision,
    /// The source it came from (index into [`ScanView::sources`]).
    pub source: u32,
}

/// The scan shown (within its operation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanView {
    /// Whether a scan is shown.
    pub started: bool,
    /// The sequence number it reads at.
    pub snapshot_seq: u64,
    /// Whether it runs from high keys to low.
    pub reverse: bool,
    /// The merge's sources, in the engine's order.
    pub sources: Vec<ScanSource>,
    /// The latest entries, in merge order.
    pub entries: Vec<ScanEntry>,
    /// Entries met in all.
    pub met: u64,
}

/// The merge's sources for the structure shown, in the order the engine
/// builds them: memtable, immutable memtable, each live table of a tiered
/// level (newest first), then each non-empty leveled level.
pub fn sources_of(structure: &StructureView) -> Vec<SourceKind> {
    let mut out = vec![SourceKind::Memtable];
    if structure.immutable.is_some() {
        out.push(SourceKind::Immutable);
    }
    for level in &structure.levels.levels {
        let live: Vec<u64> = level
            .tables
            .iter()
            .filter(|t| t.mark != TableMark::Fading)
            .map(|t| t.file_number)
            .collect();
        if live.is_empty() {
            continue;
        }
        if level.tiered {
            out.extend(live.into_iter().map(|file_number| SourceKind::Table {
                level: level.level,
                file_number,
            }));
        } else {
            out.push(SourceKind::Level {
                level: level.level,
                tables: live.len(),
            });
        }
    }
    out
}

impl ScanView {
    /// Entries returned, shadowed, tombstones skipped and too new, over
    /// every source.
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.sources.iter().fold((0, 0, 0, 0), |(r, s, t, i), x| {
            (
                r + x.returned,
                s + x.shadowed,
                t + x.tombstones,
                i + x.invisible,
            )
        })
    }

    /// Follows one event; `structure` names the sources when a scan
    /// starts. Returns whether the event concerned this view.
    pub fn reduce(&mut self, event: &Event, structure: &StructureView) -> bool {
        match event {
            Event::ScanStarted {
                sources,
                snapshot_seq,
                reverse,
            } => {
                let mut kinds = sources_of(structure);
                if kinds.len() != *sources as usize {
                    kinds = vec![SourceKind::Unknown; *sources as usize];
                }
                *self = ScanView {
                    started: true,
                    snapshot_seq: *snapshot_seq,
                    reverse: *reverse,
                    sources: kinds.into_iter().map(ScanSource::new).collect(),
                    ..ScanView::default()
                };
            }
            Event::ScanStep {
                key,
                seq,
                decision,
                source,
            } => {
                if let Some(s) = self.sources.get_mut(*source as usize) {
                    *match decision {
                        ScanDecision::Returned => &mut s.returned,
                        ScanDecision::Shadowed => &mut s.shadowed,
                        ScanDecision::Tombstone => &mut s.tombstones,
                        ScanDecision::Invisible => &mut s.invisible,
                        ScanDecision::Expired => &mut s.expired,
                    } += 1;
                }
                self.met += 1;
                self.entries.push(ScanEntry {
                    order: self.met,
                    key: key.clone(),
                    seq: *seq,
                    decision: *decision,
                    source: *source,
                });
                if self.entries.len() > MAX_SCAN_ROWS {
                    self.entries.remove(0);
                }
            }
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;

//! The read-path view: which memtables and tables a get visits, why each
//! table was skipped or read, and where it stops.

use strata_engine::event::{BloomVerdict, GetOutcome, GetSource, MemtableSlot, TableDecision};
use strata_engine::{Event, ValueKind};

/// What the get did at one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableVisit {
    /// The key is outside the table's key range.
    SkippedKeyRange,
    /// The range covers the key; the table is being looked at.
    Probing,
    /// The bloom filter said "definitely absent": no block read.
    FilteredOut,
    /// The filter said "maybe" (or there is none): the index was searched.
    IndexSearched {
        /// The data block chosen, if any.
        block: Option<u32>,
    },
    /// A data block was read.
    BlockRead {
        /// Which one.
        block: u32,
    },
    /// The filter said "maybe" but the key was not there.
    FalsePositive,
    /// The answer came from here.
    Answer,
    /// A range tombstone here covers the key and is newer than any version
    /// here: the answer is "deleted".
    RangeDeleted {
        /// The tombstone's sequence number.
        seq: u64,
    },
}

/// One stop of the read path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadStop {
    /// A memtable was searched.
    Memtable {
        /// Which one.
        slot: MemtableSlot,
        /// What it held for the key.
        found: Option<ValueKind>,
        /// The range tombstone that deletes the key here, if one does.
        range_seq: Option<u64>,
    },
    /// A table was considered.
    Table {
        /// Its level.
        level: u32,
        /// Its file number.
        file_number: u64,
        /// What happened there (the latest step).
        visit: TableVisit,
        /// The bloom verdict, if the filter was tested.
        bloom: Option<BloomVerdict>,
    },
}

/// The latest get.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadPathView {
    /// The key looked up (`None` before any get).
    pub key: Option<Vec<u8>>,
    /// The sequence number the get reads at.
    pub snapshot_seq: u64,
    /// The stops in order.
    pub stops: Vec<ReadStop>,
    /// The answer, once the get finished.
    pub outcome: Option<(GetOutcome, GetSource)>,
    /// Tables whose blocks were read.
    pub tables_probed: u32,
}

impl ReadPathView {
    /// Whether a get is under way (started, not finished).
    pub fn in_progress(&self) -> bool {
        self.key.is_some() && self.outcome.is_none()
    }

    fn last_table(&mut self, file: u64) -> Option<(&mut TableVisit, &mut Option<BloomVerdict>)> {
        self.stops.iter_mut().rev().find_map(|s| match s {
            ReadStop::Table {
                file_number,
                visit,
                bloom,
                ..
            } if *file_number == file => Some((visit, bloom)),
            _ => None,
        })
    }

    /// Records that a range tombstone at `source` answered the get.
    fn range_deleted(&mut self, source: GetSource, seq: u64) {
        match source {
            GetSource::Table { file_number, .. } => {
                if let Some((visit, _)) = self.last_table(file_number) {
                    *visit = TableVisit::RangeDeleted { seq };
                }
            }
            GetSource::Memtable { slot } => {
                let stop = self.stops.iter_mut().rev().find_map(|s| match s {
                    ReadStop::Memtable {
                        slot: at,
                        range_seq,
                        ..
                    } if *at == slot => Some(range_seq),
                    _ => None,
                });
                if let Some(range_seq) = stop {
                    *range_seq = Some(seq);
                }
            }
            GetSource::Nowhere => {}
        }
    }

    /// Follows one event; returns whether it concerned this view.
    pub fn reduce(&mut self, event: &Event) -> bool {
        match event {
            Event::GetStarted { key, snapshot_seq } => {
                *self = ReadPathView {
                    key: Some(key.clone()),
                    snapshot_seq: *snapshot_seq,
                    ..ReadPathView::default()
                };
            }
            Event::MemtableSearched { slot, found } => self.stops.push(ReadStop::Memtable {
                slot: *slot,
                found: *found,
                range_seq: None,
            }),
            Event::RangeTombstoneCovers { source, seq } => self.range_deleted(*source, *seq),
            Event::TableConsidered {
                level,
                file_number,
                decision,
            } => self.stops.push(ReadStop::Table {
                level: *level,
                file_number: *file_number,
                visit: match decision {
                    TableDecision::SkippedKeyRange => TableVisit::SkippedKeyRange,
                    TableDecision::Probed => TableVisit::Probing,
                },
                bloom: None,
            }),
            Event::BloomProbe {
                file_number,
                verdict,
                ..
            } => {
                if let Some((visit, bloom)) = self.last_table(*file_number) {
                    *bloom = Some(*verdict);
                    if *verdict == BloomVerdict::DefinitelyAbsent {
                        *visit = TableVisit::FilteredOut;
                    }
                }
            }
            Event::IndexSearch {
                file_number,
                block_index,
            } => {
                if let Some((visit, _)) = self.last_table(*file_number) {
                    *visit = TableVisit::IndexSearched {
                        block: *block_index,
                    };
                }
            }
            Event::BlockRead {
                file_number,
                block_index,
                ..
            } => {
                if let Some((visit, _)) = self.last_table(*file_number) {
                    *visit = TableVisit::BlockRead {
                        block: *block_index,
                    };
                }
            }
            Event::BloomFalsePositive { file_number } => {
                if let Some((visit, _)) = self.last_table(*file_number) {
                    *visit = TableVisit::FalsePositive;
                }
            }
            Event::GetFinished {
                outcome,
                source,
                tables_probed,
                ..
            } => {
                if let GetSource::Table { file_number, .. } = source {
                    if let Some((visit, _)) = self.last_table(*file_number) {
                        if !matches!(visit, TableVisit::RangeDeleted { .. }) {
                            *visit = TableVisit::Answer;
                        }
                    }
                }
                self.outcome = Some((*outcome, *source));
                self.tables_probed = *tables_probed;
            }
            _ => return false,
        }
        true
    }
}

//! The structure view: WAL tail, memtable towers, the immutable memtable
//! and the levels with their tables on one key axis.
//!
//! The levels' layout is in [`levels`], what moves over them (outputs
//! being written, the merge cursor, kept tombstones, a range delete's
//! band) in [`activity`], and
//! the log and memtables in [`memory`]; this file follows the events.

mod activity;
mod levels;
mod memory;

use std::rc::Rc;

use strata_engine::event::{BloomVerdict, EntryFate, GetSource, TableDecision};
use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::{Event, TowerView};

pub use activity::{Activity, KeptTombstone, RangeBand, WritingTable};
pub use levels::{LevelView, LevelsView, TableMark, TableView};
pub use memory::{ImmutableView, MemtableView, WalRecord, WalView, WAL_TAIL};

use crate::model::base::{Base, MAX_TOWERS};
use memory::reduce_wal;

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
            range_tombstones: base.range_tombstones.clone(),
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
            Event::RangeDeleted {
                start,
                end,
                seq,
                bytes,
            } => {
                let mem = Rc::make_mut(&mut self.memtable);
                mem.bytes = *bytes;
                let tombstone = RangeTombstone::new(start.clone(), end.clone(), *seq);
                let at = mem.range_tombstones.partition_point(|t| *t <= tombstone);
                mem.range_tombstones.insert(at, tombstone);
                self.show_range_delete(start, end, *seq);
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

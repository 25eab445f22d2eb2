//! The compaction view: why a compaction was picked, its inputs in both
//! levels, the merge cursor, each record's fate with its reason, the
//! outputs as they appear, and the totals once it is installed.

use strata_engine::event::{CompactionTrigger, EntryFate, TableSummary};
use strata_engine::{CompactionStrategy, Event, ValueKind};

/// Records of the merge shown (the latest ones).
pub const SHOWN_ENTRIES: usize = 12;

/// Every fate, in legend order.
pub const FATES: [EntryFate; 6] = [
    EntryFate::Kept,
    EntryFate::Shadowed,
    EntryFate::TombstoneDroppedAtBottom,
    EntryFate::TombstoneKeptOlderDataBelow,
    EntryFate::KeptForSnapshot,
    EntryFate::CoveredByRangeTombstone,
];

/// The CSS class suffix of a fate.
pub fn fate_name(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "kept",
        EntryFate::Shadowed => "shadowed",
        EntryFate::TombstoneDroppedAtBottom => "tombstone-dropped",
        EntryFate::TombstoneKeptOlderDataBelow => "tombstone-kept",
        EntryFate::KeptForSnapshot => "kept-for-snapshot",
        EntryFate::CoveredByRangeTombstone => "range-deleted",
    }
}

/// A fate in a few words (legend, tables), in the language shown.
pub fn fate_label(fate: EntryFate) -> String {
    crate::model::i18n::ui::ui(&crate::model::i18n::ui::Ui::Fate(fate))
}

/// A fate in a word or two (the merge table), in the language shown.
pub fn fate_short(fate: EntryFate) -> String {
    crate::model::i18n::ui::ui(&crate::model::i18n::ui::Ui::FateShort(fate))
}

fn fate_slot(fate: EntryFate) -> usize {
    FATES.iter().position(|f| *f == fate).unwrap_or(0)
}

/// One record the merge decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    /// The user key.
    pub key: Vec<u8>,
    /// Its sequence number.
    pub seq: u64,
    /// Put or delete.
    pub kind: ValueKind,
    /// What happened to it.
    pub fate: EntryFate,
}

/// Why and what: the pick.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    /// The strategy.
    pub strategy: CompactionStrategy,
    /// The level compacted.
    pub level: u32,
    /// The level written.
    pub output_level: u32,
    /// Its score.
    pub score: f64,
    /// Why it was due.
    pub trigger: CompactionTrigger,
    /// Inputs from both levels.
    pub inputs: Vec<TableSummary>,
    /// Whether the table only moves down.
    pub trivial_move: bool,
}

/// Totals of a finished compaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finished {
    /// Table bytes read.
    pub bytes_read: u64,
    /// Table bytes written.
    pub bytes_written: u64,
    /// Records read.
    pub entries_in: u64,
    /// Records written.
    pub entries_out: u64,
}

/// The latest compaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompactionView {
    /// The pick (`None` before any compaction).
    pub picked: Option<Picked>,
    /// The latest records decided, oldest first.
    pub entries: Vec<EntryView>,
    /// Records per fate, in [`FATES`] order.
    pub fate_counts: [u64; 6],
    /// Output tables finished so far.
    pub outputs: Vec<TableSummary>,
    /// Set once the manifest edit installed it.
    pub finished: Option<Finished>,
    /// The latest tombstones and records kept for a snapshot: the
    /// decisions worth a second look, kept after they scroll away.
    pub notable: Vec<EntryView>,
}

/// Notable records kept.
pub const NOTABLE_ENTRIES: usize = 4;

impl CompactionView {
    /// Records decided so far.
    pub fn entries_seen(&self) -> u64 {
        self.fate_counts.iter().sum()
    }

    /// The merge cursor: the last key decided.
    pub fn cursor(&self) -> Option<&[u8]> {
        self.entries.last().map(|e| e.key.as_slice())
    }

    /// Records with `fate` so far.
    pub fn count(&self, fate: EntryFate) -> u64 {
        self.fate_counts.get(fate_slot(fate)).copied().unwrap_or(0)
    }

    /// Whether a compaction is under way (picked, not finished).
    pub fn in_progress(&self) -> bool {
        self.picked.is_some() && self.finished.is_none()
    }

    /// Follows one event; returns whether it concerned this view.
    pub fn reduce(&mut self, event: &Event) -> bool {
        match event {
            Event::CompactionPicked {
                strategy,
                level,
                output_level,
                score,
                trigger,
                inputs,
                trivial_move,
            } => {
                *self = CompactionView {
                    picked: Some(Picked {
                        strategy: *strategy,
                        level: *level,
                        output_level: *output_level,
                        score: *score,
                        trigger: *trigger,
                        inputs: inputs.clone(),
                        trivial_move: *trivial_move,
                    }),
                    ..CompactionView::default()
                };
            }
            Event::CompactionEntry {
                key,
                seq,
                kind,
                fate,
            } if self.in_progress() => {
                if let Some(n) = self.fate_counts.get_mut(fate_slot(*fate)) {
                    *n += 1;
                }
                let entry = EntryView {
                    key: key.clone(),
                    seq: *seq,
                    kind: *kind,
                    fate: *fate,
                };
                if *kind == ValueKind::Delete || *fate == EntryFate::KeptForSnapshot {
                    self.notable.push(entry.clone());
                    if self.notable.len() > NOTABLE_ENTRIES {
                        self.notable.remove(0);
                    }
                }
                self.entries.push(entry);
                if self.entries.len() > SHOWN_ENTRIES {
                    self.entries.remove(0);
                }
            }
            Event::TableFinished { table, .. } if self.in_progress() => {
                self.outputs.push(table.clone());
            }
            Event::CompactionFinished {
                bytes_read,
                bytes_written,
                entries_in,
                entries_out,
                ..
            } => {
                self.finished = Some(Finished {
                    bytes_read: *bytes_read,
                    bytes_written: *bytes_written,
                    entries_in: *entries_in,
                    entries_out: *entries_out,
                });
            }
            _ => return false,
        }
        true
    }
}

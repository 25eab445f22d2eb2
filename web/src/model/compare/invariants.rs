//! The invariant badge: whether a side's tree keeps its shape.
//!
//! Two checks feed it. The engine's own `Db::check_invariants` (leveled
//! levels sorted and disjoint, tiered levels newest first, no table twice,
//! every table's file present with its recorded size) runs after every
//! operation while a comparison is built. [`check_levels`] checks the
//! levels as the view-model shows them at the cursor, so a reducer that
//! drew the tree wrong would be caught too.

use crate::model::i18n::{tr, Msg};
use crate::model::views::structure::{LevelsView, TableMark};

/// A broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The operation (0-based) after which it was found.
    pub after_op: usize,
    /// What is wrong.
    pub message: String,
}

/// The badge's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvariantStatus {
    /// Every check holds (the quiet badge).
    Hold,
    /// A check failed: playback stops and the message is shown.
    Broken(Violation),
}

impl InvariantStatus {
    /// Whether playback must stop.
    pub fn is_broken(&self) -> bool {
        matches!(self, InvariantStatus::Broken(_))
    }

    /// The badge's text for side `letter`.
    pub fn text(&self, letter: char) -> String {
        match self {
            InvariantStatus::Hold => tr(&Msg::InvariantsHold),
            InvariantStatus::Broken(v) => tr(&Msg::InvariantBroken {
                side: &letter.to_string(),
                after_op: v.after_op,
                message: &v.message,
            }),
        }
    }
}

/// Checks the levels shown: in every leveled level the live tables (those
/// not fading out) are in key order with disjoint ranges; in every level
/// each table's smallest key is not after its largest, no table is listed
/// twice, and every table holds bytes (its file was read).
pub fn check_levels(levels: &LevelsView) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for level in &levels.levels {
        let live = level.tables.iter().filter(|t| t.mark != TableMark::Fading);
        for table in live.clone() {
            if !seen.insert(table.file_number) {
                return Err(format!("table {} is shown twice", table.file_number));
            }
            if table.smallest > table.largest {
                return Err(format!(
                    "L{} table {}: smallest key after largest",
                    level.level, table.file_number
                ));
            }
            if table.size_bytes == 0 {
                return Err(format!(
                    "L{} table {}: no file behind it",
                    level.level, table.file_number
                ));
            }
        }
        if level.tiered {
            continue;
        }
        let live: Vec<_> = live.collect();
        for pair in live.windows(2) {
            if let [a, b] = pair {
                if a.largest >= b.smallest {
                    return Err(format!(
                        "L{}: tables {} and {} overlap or are out of order",
                        level.level, a.file_number, b.file_number
                    ));
                }
            }
        }
    }
    Ok(())
}

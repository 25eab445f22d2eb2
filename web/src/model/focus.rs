//! Which panel an event concerns: the one the player highlights and
//! brings into view, and the one a tour step points at.

/// A panel of the visualizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    /// WAL, memtables and levels.
    Structure,
    /// The latest get.
    ReadPath,
    /// The latest bloom probe.
    Bloom,
    /// The latest compaction.
    Compaction,
    /// Amplification figures.
    Stats,
}

impl Panel {
    /// Every panel, in page order.
    pub const ALL: [Panel; 5] = [
        Panel::Structure,
        Panel::ReadPath,
        Panel::Bloom,
        Panel::Compaction,
        Panel::Stats,
    ];

    /// The panel's name in links (`panels=structure,bloom`) and its CSS
    /// class.
    pub fn id(self) -> &'static str {
        match self {
            Panel::Structure => "structure",
            Panel::ReadPath => "read-path",
            Panel::Bloom => "bloom",
            Panel::Compaction => "compaction",
            Panel::Stats => "stats",
        }
    }

    /// The panel called `id`.
    pub fn from_id(id: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// The panel an event of kind `kind` (its trace tag) changes most.
pub fn panel_of(kind: &str) -> Option<Panel> {
    Some(match kind {
        "bloom_probe" | "bloom_false_positive" => Panel::Bloom,
        "get_started" | "memtable_searched" | "table_considered" | "index_search"
        | "block_read" | "get_finished" | "scan_started" | "scan_step" => Panel::ReadPath,
        "compaction_picked" | "compaction_entry" | "compaction_finished" => Panel::Compaction,
        "" => return None,
        _ => Panel::Structure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_round_trip_through_their_ids() {
        for p in Panel::ALL {
            assert_eq!(Panel::from_id(p.id()), Some(p));
        }
        assert_eq!(Panel::from_id("nope"), None);
    }

    #[test]
    fn events_point_at_the_panel_they_change() {
        assert_eq!(panel_of("bloom_probe"), Some(Panel::Bloom));
        assert_eq!(panel_of("block_read"), Some(Panel::ReadPath));
        assert_eq!(panel_of("compaction_entry"), Some(Panel::Compaction));
        assert_eq!(panel_of("wal_appended"), Some(Panel::Structure));
        assert_eq!(panel_of("flush_finished"), Some(Panel::Structure));
        assert_eq!(panel_of(""), None);
    }
}

//! A range delete on screen: a band over the key axis while it is shown,
//! the tables whose versions it hides marked, the tombstone listed in the
//! memtable, and a band inside the table it is flushed into.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use strata_engine::Options;

use super::*;
use crate::model::views::read_path::{ReadStop, TableVisit};
use crate::model::views::structure::TableMark;

/// Two tables in L0 (keys k000000…k000019 and k000020…k000039), then a
/// range delete over the middle of both.
fn session_with_range_delete() -> Session {
    let options = Options {
        memtable_bytes_max: 64 << 10,
        ..Options::deterministic()
    };
    let options = Options {
        maintenance: strata_engine::MaintenanceMode::Manual,
        ..options
    };
    let mut s = Session::in_memory(options).unwrap();
    for half in [0..20, 20..40] {
        for i in half {
            s.run(&format!("put k{i:06} v{i}")).unwrap();
        }
        s.run("flush").unwrap();
    }
    s.run("delete-range k000010 k000030").unwrap();
    s
}

fn frame_of(s: &Session, kind: &str) -> usize {
    (0..s.total_frames())
        .find(|p| s.frame_kind(*p) == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} frame"))
}

#[test]
fn a_range_delete_draws_a_band_and_marks_the_tables_it_hides() {
    let mut s = session_with_range_delete();
    let pos = frame_of(&s, "range_deleted");
    let views = s.seek(pos);
    let band = views
        .structure
        .activity
        .range_delete
        .clone()
        .expect("a band");
    assert_eq!(band.start, b"k000010");
    assert_eq!(band.end, b"k000030");
    assert!(band.x0 < band.x1, "{band:?}");
    assert_eq!(
        band.hides.len(),
        2,
        "both L0 tables hold keys of it: {band:?}"
    );
    let marked: Vec<TableMark> = views.structure.levels.levels[0]
        .tables
        .iter()
        .map(|t| t.mark)
        .collect();
    assert_eq!(marked, [TableMark::HiddenByRange, TableMark::HiddenByRange]);
    let listed = &views.structure.memtable.range_tombstones;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].start, b"k000010");
    // The same frame reached by a jump from the start.
    s.seek(0);
    assert_eq!(s.seek(pos).structure.activity.range_delete, Some(band));
}

#[test]
fn a_flushed_range_tombstone_is_drawn_inside_its_table() {
    let mut s = session_with_range_delete();
    s.run("flush").unwrap();
    // A table's contents are read at the next operation boundary.
    s.run("get k000015").unwrap();
    let last = s.total_frames() - 1;
    let views = s.seek(last);
    let with_ranges: Vec<usize> = views.structure.levels.levels[0]
        .tables
        .iter()
        .map(|t| t.range_tombstones.as_ref().map_or(0, |r| r.len()))
        .collect();
    assert_eq!(
        with_ranges,
        [1, 0, 0],
        "the newest L0 table holds it: {with_ranges:?}"
    );
    assert!(views.structure.memtable.range_tombstones.is_empty());
    assert_eq!(views.structure.activity.range_delete, None);
}

/// A get the range tombstone answers says so in the read path, in the
/// memtable and in a table; a newer put over the range is found again, and
/// no tombstone is said to answer.
#[test]
fn the_read_path_says_when_a_range_tombstone_answers() {
    let mut s = session_with_range_delete();
    s.run("get k000015").unwrap();
    let views = s.seek(s.total_frames() - 1);
    let memtable = views.read.stops.iter().find_map(|st| match st {
        ReadStop::Memtable { range_seq, .. } => Some(*range_seq),
        ReadStop::Table { .. } => None,
    });
    assert!(matches!(memtable, Some(Some(_))), "{:?}", views.read.stops);

    s.run("flush").unwrap();
    s.run("get k000015").unwrap();
    let views = s.seek(s.total_frames() - 1);
    let visits: Vec<TableVisit> = views
        .read
        .stops
        .iter()
        .filter_map(|st| match st {
            ReadStop::Table { visit, .. } => Some(*visit),
            ReadStop::Memtable { .. } => None,
        })
        .collect();
    assert!(
        matches!(visits.first(), Some(TableVisit::RangeDeleted { .. })),
        "{visits:?}"
    );
    assert_eq!(visits.len(), 1, "it stops there: {visits:?}");

    s.run("put k000015 back").unwrap();
    s.run("get k000015").unwrap();
    let last = s.trace().steps.last().unwrap();
    assert!(!last
        .events
        .iter()
        .any(|e| matches!(e, strata_engine::Event::RangeTombstoneCovers { .. })));
    let views = s.seek(s.total_frames() - 1);
    assert_eq!(
        views.read.outcome.map(|(o, _)| o),
        Some(strata_engine::event::GetOutcome::Found)
    );
}

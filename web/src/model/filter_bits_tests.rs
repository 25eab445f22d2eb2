#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use strata_engine::bloom::BloomFilter;
use strata_engine::event::BloomVerdict;
use strata_engine::Event;

use super::*;
use crate::model::presets::preset;
use crate::model::session::Session;

/// Runs a preset's scene in a fresh session.
fn run_preset(id: &str) -> Session {
    let p = preset(id).unwrap();
    let mut session = Session::in_memory(p.scene().unwrap().options.clone()).unwrap();
    for line in p.script.lines().map(str::trim) {
        if !line.starts_with("option") {
            session.run(line).unwrap();
        }
    }
    session
}

#[test]
fn a_small_filter_is_drawn_one_cell_per_bit() {
    let filter = BloomFilter::build(["a", "b", "c"], 10);
    let view = FilterBits::new(filter.clone());
    assert_eq!(view.bits_per_cell(), 1);
    let cells = view.cells(None);
    assert_eq!(cells.len() as u64, filter.bits());
    for cell in &cells {
        assert_eq!(cell.bits, 1);
        assert_eq!(cell.set == 1, view.is_set(cell.first));
        assert_eq!(cell.tested, None);
    }
    // Every key put in the filter has all its bits set, and they are
    // the positions the filter itself tests.
    for key in ["a", "b", "c"] {
        let marks = view.probe(key.as_bytes());
        assert!(marks.maybe_present());
        assert_eq!(marks.first_clear(), None);
        let positions: Vec<u64> = marks.tested.iter().map(|t| t.0).collect();
        assert_eq!(positions, filter.bit_positions(key.as_bytes()));
        let cells = view.cells(Some(&marks));
        for p in positions {
            assert_eq!(cells[p as usize].tested, Some(true));
        }
    }
}

#[test]
fn a_large_filter_groups_bits_per_cell_and_loses_none() {
    let keys: Vec<String> = (0..3000).map(|i| format!("key{i:06}")).collect();
    let filter = BloomFilter::build(&keys, 10);
    let view = FilterBits::new(filter.clone());
    assert!(view.bits() > MAX_CELLS);
    let cells = view.cells(None);
    assert!(cells.len() as u64 <= MAX_CELLS);
    assert_eq!(cells.iter().map(|c| c.bits).sum::<u64>(), view.bits());
    assert_eq!(cells.iter().map(|c| c.set).sum::<u64>(), view.set_count());
    // A key that is not there: the cell of its first clear bit is marked
    // clear, and the filter agrees it is absent.
    let absent = (0..)
        .map(|i| format!("other{i}"))
        .find(|k| !filter.may_contain(k.as_bytes()))
        .unwrap();
    let marks = view.probe(absent.as_bytes());
    let (_, pos) = marks.first_clear().unwrap();
    assert!(!view.is_set(pos));
    let cells = view.cells(Some(&marks));
    let cell = cells
        .iter()
        .find(|c| (c.first..c.first + c.bits).contains(&pos))
        .unwrap();
    assert_eq!(cell.tested, Some(false));
}

/// For every table a get's read path shows as filter-tested, the table
/// view's tested bits are the positions of the engine's `BloomProbe`
/// event for that table, and their verdict is the engine's.
fn probes_match_the_engine(preset: &str) -> usize {
    let mut s = run_preset(preset);
    let mut checked = 0;
    for pos in 0..s.total_frames() {
        let views = s.seek(pos);
        if views.frame.event_kind != "get_finished" {
            continue;
        }
        let op = views.frame.op.unwrap();
        let events = &s.trace().steps[op].events;
        for stop in &views.read.stops {
            let ReadStop::Table {
                file_number,
                bloom: Some(verdict),
                ..
            } = stop
            else {
                continue;
            };
            let detail = s.table_detail(*file_number).unwrap();
            let marks = detail
                .filter
                .as_ref()
                .unwrap()
                .probe_of_get(*file_number, &views.read)
                .unwrap();
            let engine_positions = events
                .iter()
                .find_map(|e| match e {
                    Event::BloomProbe {
                        file_number: f,
                        bit_positions,
                        ..
                    } if f == file_number => Some(bit_positions.clone()),
                    _ => None,
                })
                .unwrap();
            let positions: Vec<u64> = marks.tested.iter().map(|t| t.0).collect();
            assert_eq!(positions, engine_positions, "table {file_number}");
            assert_eq!(
                marks.maybe_present(),
                *verdict == BloomVerdict::MaybePresent,
                "table {file_number}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_tested_bits_are_the_engines_and_give_its_verdict() {
    let checked =
        probes_match_the_engine("false-positive") + probes_match_the_engine("bloom-saves-a-read");
    assert!(checked >= 3, "only {checked} probes checked");
}

#[test]
fn a_table_the_get_did_not_test_shows_no_probe() {
    let mut s = run_preset("bloom-saves-a-read");
    let views = s.seek(s.total_frames() - 1);
    let tested: Vec<u64> = views
        .read
        .stops
        .iter()
        .filter_map(|st| match st {
            ReadStop::Table {
                file_number,
                bloom: Some(_),
                ..
            } => Some(*file_number),
            _ => None,
        })
        .collect();
    let levels = views.structure.levels.clone();
    let other = levels
        .levels
        .iter()
        .flat_map(|l| &l.tables)
        .find(|t| !tested.contains(&t.file_number))
        .unwrap();
    let detail = s.table_detail(other.file_number).unwrap();
    assert_eq!(
        detail
            .filter
            .unwrap()
            .probe_of_get(other.file_number, &views.read),
        None
    );
}

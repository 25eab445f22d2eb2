//! Compare mode on real runs: identical options give identical frames,
//! seeking equals stepping on each side, differing options differ, the
//! invariant badge fires on broken state, and every comparison preset
//! holds its claims.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::diff::{differences, Measure};
use super::invariants::{check_levels, InvariantStatus};
use super::presets::{check, levels_used, COMPARE_PRESETS};
use super::*;
use crate::model::presets::visualizer_options;
use crate::model::views::structure::{LevelView, TableMark, TableView};

/// Manual maintenance with steps, flushes, gets and deletes: every kind of
/// frame, a few hundred operations.
const SCRIPT: &str = "option memtable_bytes_max=1024\n\
    load random 150 seed=4 keys=80 value_bytes=20\nstep\nstep\nget key000007\ndelete key000007\n\
    load random 150 seed=5 keys=80 value_bytes=20\nstep\nstep\nstep\nget key000007\nget key000031\n\
    compact\nget key000031\n";

fn compare(sides: &[SideSpec]) -> Comparison {
    Comparison::from_script(SCRIPT, &visualizer_options(), sides).unwrap()
}

fn strategy(name: &str) -> SideSpec {
    SideSpec::of(&[("compaction_strategy", name)])
}

#[test]
fn identical_options_show_identical_frames_at_every_operation() {
    let mut c = compare(&[strategy("leveled"), strategy("leveled")]);
    assert!(c.ops() > 300, "{} operations", c.ops());
    for done in 0..=c.ops() {
        let views = c.seek(done);
        assert_eq!(views[0], views[1], "after {done} operations");
    }
}

#[test]
fn every_side_runs_the_same_operations() {
    let c = compare(&[
        strategy("leveled"),
        strategy("size_tiered"),
        strategy("hybrid"),
    ]);
    let ops = |i: usize| -> Vec<_> {
        c.sides()[i]
            .session
            .trace()
            .steps
            .iter()
            .map(|s| s.op.clone())
            .collect()
    };
    assert_eq!(ops(0), ops(1));
    assert_eq!(ops(0), ops(2));
    assert_eq!(c.sides()[2].label(), "C: compaction_strategy=hybrid");
}

#[test]
fn seeking_equals_stepping_on_each_side() {
    let sides = [strategy("leveled"), strategy("size_tiered")];
    let mut stepped = compare(&sides);
    stepped.seek(0);
    let mut forward = vec![stepped.views()];
    while stepped.done() < stepped.ops() {
        forward.push(stepped.step(1));
    }
    // Stepping back restores each side from its own checkpoints.
    for done in (0..stepped.ops()).rev() {
        assert_eq!(stepped.step(-1), forward[done], "back to {done}");
    }
    let mut seeking = compare(&sides);
    let n = seeking.ops();
    for done in (0..=n).rev().step_by(7).chain((0..=n).step_by(13)) {
        assert_eq!(seeking.seek(done), forward[done], "seek to {done}");
        assert_eq!(seeking.done(), done);
    }
}

#[test]
fn leveled_and_tiered_write_different_amounts() {
    let script = "option maintenance=inline\nload random 1500 seed=9 keys=500 value_bytes=24\n";
    let sides = [strategy("leveled"), strategy("size_tiered")];
    let c = Comparison::from_script(script, &visualizer_options(), &sides).unwrap();
    let samples: Vec<_> = c
        .sides()
        .iter()
        .map(|s| *s.session.samples().last().unwrap())
        .collect();
    assert!(samples[1].write_amp < samples[0].write_amp, "{samples:?}");
    let writes = differences(&samples)
        .into_iter()
        .find(|d| d.measure == Measure::BytesWritten)
        .unwrap();
    assert!(writes.ratio.unwrap() < 1.0);
    let text = writes.text(&['A', 'B']);
    assert!(text.starts_with("B writes 0."), "{text} {samples:?}");
}

#[test]
fn a_key_sits_at_one_place_on_every_side() {
    let c = compare(&[strategy("leveled"), strategy("size_tiered")]);
    let axis = c.shared_axis();
    let placed: Vec<LevelsView> = (0..2)
        .map(|i| c.levels_on_shared_axis(i).unwrap())
        .collect();
    let mut shared_boundaries = 0;
    for a in placed[0].levels.iter().flat_map(|l| &l.tables) {
        assert_eq!(a.x0, axis.position(&a.smallest));
        for b in placed[1].levels.iter().flat_map(|l| &l.tables) {
            if a.smallest == b.smallest {
                assert_eq!(a.x0, b.x0);
                shared_boundaries += 1;
            }
        }
    }
    assert!(placed.iter().all(|p| p.axis == axis));
    assert!(shared_boundaries > 0);
    assert!(c.levels_on_shared_axis(2).is_none());
}

#[test]
fn invariants_hold_after_every_operation_of_real_runs() {
    let mut c = compare(&[
        strategy("leveled"),
        strategy("size_tiered"),
        strategy("hybrid"),
    ]);
    for done in 0..=c.ops() {
        c.seek(done);
        for (side, status) in c.invariants().iter().enumerate() {
            assert_eq!(*status, InvariantStatus::Hold, "side {side} after {done}");
        }
    }
}

fn table(file_number: u64, smallest: &str, largest: &str) -> TableView {
    TableView {
        file_number,
        size_bytes: 100,
        entries: 2,
        smallest: smallest.as_bytes().to_vec(),
        largest: largest.as_bytes().to_vec(),
        x0: 0.0,
        x1: 0.0,
        mark: TableMark::Normal,
        tombstones: None,
        range_tombstones: None,
    }
}

fn level(level: u32, tiered: bool, tables: Vec<TableView>) -> LevelView {
    LevelView {
        level,
        tiered,
        tables,
        bytes: 0,
        target_bytes: 0,
        run_trigger: 4,
    }
}

#[test]
fn a_broken_tree_is_caught() {
    let sound = LevelsView {
        levels: vec![
            level(0, true, vec![table(9, "a", "z"), table(8, "b", "y")]),
            level(1, false, vec![table(3, "a", "f"), table(4, "g", "m")]),
        ],
        ..LevelsView::default()
    };
    assert_eq!(check_levels(&sound), Ok(()));

    let mut overlapping = sound.clone();
    overlapping.levels[1].tables[1] = table(4, "e", "m");
    let err = check_levels(&overlapping).unwrap_err();
    assert!(err.contains("L1: tables 3 and 4 overlap"), "{err}");

    let mut unsorted = sound.clone();
    unsorted.levels[1].tables.swap(0, 1);
    assert!(check_levels(&unsorted)
        .unwrap_err()
        .contains("out of order"));

    let mut twice = sound.clone();
    twice.levels[1].tables[0].file_number = 9;
    assert!(check_levels(&twice).unwrap_err().contains("shown twice"));

    let mut missing = sound.clone();
    missing.levels[0].tables[0].size_bytes = 0;
    assert!(check_levels(&missing).unwrap_err().contains("no file"));

    // A table fading out may overlap its replacement.
    let mut fading = overlapping;
    fading.levels[1].tables[0].mark = TableMark::Fading;
    assert_eq!(check_levels(&fading), Ok(()));
}

#[test]
fn a_broken_side_shows_its_violation_from_that_operation_on() {
    let mut c = compare(&[strategy("leveled"), strategy("leveled")]);
    c.sides[1].engine_violation = Some(Violation {
        after_op: 10,
        message: "level 1: tables 5 and 6 overlap or are out of order".to_owned(),
    });
    c.seek(10);
    assert!(!c.invariants()[1].is_broken());
    c.seek(11);
    let status = c.invariants();
    assert_eq!(status[0], InvariantStatus::Hold);
    let InvariantStatus::Broken(v) = &status[1] else {
        panic!("{status:?}");
    };
    assert_eq!(v.after_op, 10);
    assert_eq!(
        status[1].text('B'),
        "B: an invariant is broken after operation 11: level 1: tables 5 and 6 overlap or are out of order. Playback stopped."
    );
    assert_eq!(status[0].text('A'), "Invariants hold");
}

#[test]
fn a_link_reopens_the_same_sides() {
    let sides = [
        strategy("leveled"),
        SideSpec::of(&[
            ("compaction_strategy", "size_tiered"),
            ("bloom_bits_per_key", "5"),
        ]),
    ];
    let c = compare(&sides);
    let again = Comparison::sides_from_link(&c.link_value(), &visualizer_options()).unwrap();
    assert_eq!(again, sides);
    let bad = Comparison::sides_from_link("bloom_bits_per_key:99|", &visualizer_options());
    assert!(bad.unwrap_err().contains("bloom_bits_per_key"));
}

#[test]
fn differences_follow_the_cursor() {
    let mut c = compare(&[strategy("leveled"), strategy("size_tiered")]);
    c.seek(0);
    let at_start = c.differences();
    assert!(at_start.iter().all(|d| d.ratio.is_none()), "{at_start:?}");
    assert_eq!(
        at_start[0].text(&c.letters()),
        "Nothing written to storage yet."
    );
    c.seek(c.ops());
    let written = c.differences()[0];
    assert_eq!(written.measure, Measure::BytesWritten);
    assert!(written.ratio.is_some());
}

#[test]
fn a_comparison_needs_two_or_three_sides() {
    let one = Comparison::from_script(SCRIPT, &visualizer_options(), &[strategy("leveled")]);
    assert!(one.err().unwrap().contains("two or three"));
    let four = vec![strategy("leveled"); 4];
    assert!(Comparison::from_script(SCRIPT, &visualizer_options(), &four).is_err());
    let setup = Setup::of_preset("l0-to-l1").unwrap();
    assert!(Comparison::from_setup(&setup, &[]).is_err());
    let bad = SideSpec::of(&[("level_size_ratio", "zero")]);
    assert!(
        Comparison::from_script(SCRIPT, &visualizer_options(), &[strategy("leveled"), bad])
            .is_err()
    );
}

#[test]
fn a_preset_setup_runs_on_every_side() {
    let setup = Setup::of_preset("l0-to-l1").unwrap();
    let mut c =
        Comparison::from_setup(&setup, &[strategy("leveled"), strategy("size_tiered")]).unwrap();
    assert_eq!(c.take_problems(), vec![]);
    let (single, _) = controller::build(&setup).unwrap();
    assert_eq!(c.ops(), single.ops());
    assert_eq!(c.done(), c.ops());
    assert_eq!(
        c.sides()[0].session.samples().last(),
        single.samples().last()
    );
}

/// Every comparison preset's claims hold on its real run.
#[test]
fn every_comparison_preset_shows_what_it_claims() {
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = COMPARE_PRESETS
            .iter()
            .map(|p| {
                s.spawn(move || {
                    let c = match p.build() {
                        Ok(c) => c,
                        Err(e) => return vec![format!("{}: {e}", p.id)],
                    };
                    for side in c.sides() {
                        let last = side.session.samples().last().copied().unwrap_or_default();
                        eprintln!(
                            "{} {}: WA {:.2} SA {:.2} table bytes {} tables/get {:.2} blocks/get {:.2} levels {} ops {}",
                            p.id,
                            side.label(),
                            last.write_amp,
                            last.space_amp,
                            last.table_bytes,
                            last.read_amp,
                            last.blocks_per_get,
                            levels_used(&last),
                            c.ops()
                        );
                    }
                    let mut failures: Vec<String> = p
                        .claims
                        .iter()
                        .filter_map(|claim| {
                            check(claim, &c).err().map(|e| format!("{}: {claim:?}: {e}", p.id))
                        })
                        .collect();
                    if p.claims.is_empty() {
                        failures.push(format!("{} claims nothing", p.id));
                    }
                    failures
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().unwrap_or_else(|_| vec!["panicked".to_owned()]))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_false_comparison_claim_says_what_the_run_shows() {
    let c = compare(&[strategy("leveled"), strategy("size_tiered")]);
    let claim = presets::CompareClaim::AtLeastPercentOf {
        side: 1,
        measure: Measure::BytesWritten,
        other: 0,
        percent: 1000,
    };
    assert!(check(&claim, &c).unwrap_err().starts_with("BytesWritten: "));
    let deeper = presets::CompareClaim::DeeperThan { side: 0, other: 0 };
    assert!(check(&deeper, &c).unwrap_err().contains("levels against"));
}

#[test]
fn comparison_presets_have_unique_ids_and_two_or_three_sides() {
    let mut ids: Vec<&str> = COMPARE_PRESETS.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), COMPARE_PRESETS.len());
    for p in COMPARE_PRESETS {
        assert!((2..=MAX_SIDES).contains(&p.sides.len()), "{}", p.id);
        assert_eq!(presets::compare_preset(p.id), Some(p));
        assert!(crate::model::presets::preset(p.id).is_none(), "{}", p.id);
    }
    assert!(presets::compare_preset("first-flush").is_none());
}

#[test]
fn the_engine_check_fires_when_a_table_file_is_gone() {
    use std::sync::Arc;
    use strata_storage::{MemStorage, Storage};
    let image = MemStorage::new();
    let mut session =
        Session::open(Arc::new(image.clone()), image.clone(), visualizer_options()).unwrap();
    session
        .run("load sequential 60 prefix=k value_bytes=16")
        .unwrap();
    session.run("flush").unwrap();
    assert_eq!(check_engine(&session, 1), None);
    let levels = session.head_db().levels();
    let table = levels.iter().flatten().next().unwrap();
    let name = strata_engine::filename::table_name(table.file_number);
    image.remove(&name).unwrap();
    let violation = check_engine(&session, 1).unwrap();
    assert_eq!(violation.after_op, 1);
    assert!(violation.message.contains(&name), "{violation:?}");
}

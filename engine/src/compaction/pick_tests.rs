//! Picking: scores, triggers and the inputs each strategy chooses.

use std::collections::BTreeMap;

use crate::event::CompactionTrigger;
use crate::options::{CompactionStrategy, Options};
use crate::table_meta::TableMeta;

use super::testutil::{meta, version_of};
use super::{level_scores, pick, CompactionPlan};

fn options(strategy: CompactionStrategy) -> Options {
    Options {
        compaction_strategy: strategy,
        l0_compaction_trigger: 4,
        level_base_bytes: 10_000,
        level_size_ratio: 10,
        target_file_size_bytes: 1_000,
        grandparent_overlap_factor: 10,
        ..Options::default()
    }
}

fn pick_in(
    strategy: CompactionStrategy,
    tables: &[(u32, TableMeta)],
    pointers: &BTreeMap<u32, Vec<u8>>,
) -> Option<CompactionPlan> {
    let version = version_of(tables, strategy.tiered_levels());
    pick(&version, &options(strategy), pointers)
}

fn numbers(plan: &CompactionPlan, level: u32) -> Vec<u64> {
    plan.inputs_at(level).map(|t| t.file_number).collect()
}

#[test]
fn level0_below_its_trigger_is_left_alone() {
    let tables: Vec<(u32, TableMeta)> = (1..=3).map(|n| (0, meta(n, "a", "z", 100, n))).collect();
    assert_eq!(
        pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new()),
        None
    );
}

#[test]
fn level0_picks_the_oldest_table_and_its_transitive_overlap() {
    let tables = vec![
        (0, meta(1, "a", "c", 100, 10)), // oldest
        (0, meta(2, "c", "e", 100, 20)), // overlaps 1
        (0, meta(3, "e", "g", 100, 30)), // overlaps 2 only
        (0, meta(4, "x", "z", 100, 40)), // overlaps none
        (1, meta(5, "b", "b", 100, 5)),
        (1, meta(6, "f", "f", 100, 5)),
        (1, meta(7, "h", "h", 100, 5)),
    ];
    let plan = pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 0 is due"));
    assert_eq!((plan.level, plan.output_level), (0, 1));
    assert_eq!(numbers(&plan, 0), [3, 2, 1], "newest first, table 4 stays");
    assert_eq!(numbers(&plan, 1), [5, 6], "level-1 tables within a..g join");
    assert!(plan.split_outputs && !plan.trivial_move);
    assert_eq!(
        plan.trigger,
        CompactionTrigger::RunCount {
            runs: 4,
            threshold: 4
        }
    );
}

#[test]
fn a_lone_oldest_level0_table_moves_down_trivially() {
    let mut tables: Vec<(u32, TableMeta)> = (2..=4)
        .map(|n| (0, meta(n, "m", "z", 100, n * 10)))
        .collect();
    tables.push((0, meta(1, "a", "b", 100, 1)));
    tables.push((1, meta(9, "c", "d", 100, 1)));
    let plan = pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 0 is due"));
    assert_eq!(numbers(&plan, 0), [1]);
    assert!(plan.trivial_move);
}

#[test]
fn level_scores_are_size_over_target_and_runs_over_trigger() {
    let tables = vec![
        (0, meta(1, "a", "b", 100, 1)),
        (0, meta(2, "a", "b", 100, 2)),
        (1, meta(3, "a", "b", 15_000, 1)),
        (2, meta(4, "a", "b", 50_000, 1)),
    ];
    let version = version_of(&tables, 1);
    let scores = level_scores(&version, &options(CompactionStrategy::Leveled));
    assert_eq!(scores.len(), crate::manifest::NUM_LEVELS);
    let got: Vec<(u32, f64)> = scores.iter().map(|(l, s, _)| (*l, *s)).take(3).collect();
    assert_eq!(got, [(0, 0.5), (1, 1.5), (2, 0.5)]);
    assert_eq!(
        scores.get(1).map(|s| s.2),
        Some(CompactionTrigger::LevelSize {
            bytes: 15_000,
            target_bytes: 10_000
        })
    );
}

#[test]
fn the_highest_score_goes_first_and_ties_prefer_the_upper_level() {
    let over = |level: u32, n: u64, bytes: u64| (level, meta(n, "a", "b", bytes, 1));
    // L1 at 2.0, L2 at 3.0: L2 first.
    let tables = vec![over(1, 1, 20_000), over(2, 2, 300_000)];
    let plan = pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new());
    assert_eq!(plan.map(|p| p.level), Some(2));
    // L1 and L2 both at 2.0: L1 first.
    let tables = vec![over(1, 1, 20_000), over(2, 2, 200_000)];
    let plan = pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new());
    assert_eq!(plan.map(|p| p.level), Some(1));
}

#[test]
fn the_round_robin_pointer_advances_and_wraps() {
    let tables = vec![
        (1, meta(1, "a", "b", 5_000, 1)),
        (1, meta(2, "c", "d", 5_000, 1)),
        (1, meta(3, "e", "f", 5_000, 1)),
    ];
    let mut pointers = BTreeMap::new();
    let mut order = vec![];
    for _ in 0..4 {
        let plan = pick_in(CompactionStrategy::Leveled, &tables, &pointers);
        let plan = plan.unwrap_or_else(|| panic!("level 1 is over its target"));
        let table = plan
            .inputs_at(1)
            .next()
            .map(|t| (t.file_number, t.largest.clone()));
        let (number, largest) = table.unwrap_or_else(|| panic!("one input"));
        assert_eq!(plan.compact_pointer, Some((1, largest.clone())));
        order.push(number);
        pointers.insert(1, largest);
    }
    assert_eq!(order, [1, 2, 3, 1]);
}

#[test]
fn a_table_with_nothing_below_moves_trivially_unless_grandparents_are_heavy() {
    let alone = vec![(1, meta(1, "c", "d", 20_000, 1))];
    let plan = pick_in(CompactionStrategy::Leveled, &alone, &BTreeMap::new());
    assert_eq!(plan.as_ref().map(|p| p.trivial_move), Some(true));

    let mut with_child = alone.clone();
    with_child.push((2, meta(2, "d", "e", 100, 1)));
    let plan = pick_in(CompactionStrategy::Leveled, &with_child, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 1 is due"));
    assert!(!plan.trivial_move);
    assert_eq!(numbers(&plan, 2), [2]);

    // 10 x 1000 bytes of grandparents is the limit; 10_001 is over it.
    let mut heavy = alone;
    heavy.push((3, meta(3, "a", "z", 10_001, 1)));
    let plan = pick_in(CompactionStrategy::Leveled, &heavy, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 1 is due"));
    assert!(!plan.trivial_move);
    assert_eq!(plan.grandparents.len(), 1);
}

#[test]
fn size_tiered_merges_every_run_into_one_run_below() {
    let mut tables: Vec<(u32, TableMeta)> = (1..=4)
        .map(|n| (0, meta(n, "a", "m", 100, 10 + n)))
        .collect();
    tables.push((1, meta(5, "b", "c", 400, 5)));
    tables.push((2, meta(6, "b", "c", 1600, 1)));
    let plan = pick_in(CompactionStrategy::SizeTiered, &tables, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 0 is due"));
    assert_eq!((plan.level, plan.output_level), (0, 1));
    assert_eq!(numbers(&plan, 0), [4, 3, 2, 1]);
    assert_eq!(numbers(&plan, 1), Vec::<u64>::new(), "older runs stay");
    assert!(!plan.split_outputs && !plan.trivial_move);
    assert!(plan.grandparents.is_empty());
}

#[test]
fn hybrid_level1_runs_join_the_overlapping_level2_tables() {
    let mut tables: Vec<(u32, TableMeta)> = (1..=4)
        .map(|n| (1, meta(n, "d", "k", 100, 10 + n)))
        .collect();
    tables.push((2, meta(5, "a", "b", 100, 1)));
    tables.push((2, meta(6, "c", "e", 100, 1)));
    tables.push((2, meta(7, "j", "p", 100, 1)));
    tables.push((2, meta(8, "q", "r", 100, 1)));
    tables.push((3, meta(9, "o", "o", 100, 1)));
    tables.push((3, meta(10, "x", "y", 100, 1)));
    let plan = pick_in(CompactionStrategy::Hybrid, &tables, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("level 1 is due"));
    assert_eq!((plan.level, plan.output_level), (1, 2));
    assert_eq!(numbers(&plan, 1).len(), 4);
    assert_eq!(numbers(&plan, 2), [6, 7]);
    assert!(plan.split_outputs);
    let gps: Vec<u64> = plan.grandparents.iter().map(|t| t.file_number).collect();
    assert_eq!(gps, [9], "grandparents span the joined range c..p");
}

#[test]
fn the_last_level_merges_its_runs_in_place_when_tiered() {
    let last = (crate::manifest::NUM_LEVELS - 1) as u32;
    let tables: Vec<(u32, TableMeta)> =
        (1..=4).map(|n| (last, meta(n, "a", "z", 100, n))).collect();
    let plan = pick_in(CompactionStrategy::SizeTiered, &tables, &BTreeMap::new());
    let plan = plan.unwrap_or_else(|| panic!("the last level is due"));
    assert_eq!((plan.level, plan.output_level), (last, last));
    assert_eq!(numbers(&plan, last).len(), 4);
    assert!(!plan.split_outputs && !plan.trivial_move);
}

#[test]
fn the_last_level_is_never_compacted_when_leveled() {
    let last = (crate::manifest::NUM_LEVELS - 1) as u32;
    let tables = vec![(last, meta(1, "a", "z", u64::MAX / 2, 1))];
    assert_eq!(
        pick_in(CompactionStrategy::Leveled, &tables, &BTreeMap::new()),
        None
    );
}

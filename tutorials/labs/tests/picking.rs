//! Lab 6 — compaction picking: each decision on its own, then the whole
//! pick against the engine's on versions recorded from real runs, the
//! model test and the chapter scenes with the student's picker.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::Data;
use strata_engine::compaction::{level_scores, pick};
use strata_engine::manifest::{Version, VersionEdit};
use strata_engine::record::{internal_key, ValueKind};
use strata_engine::{CompactionStrategy, Db, MaintenanceMode, Options};
use strata_labs::picking::{
    choose_level, is_trivial_move, level0_inputs, level_score, next_after_pointer, LevelShape,
};
use strata_labs::plug::{with_labs, without_labs, Lab};
use strata_storage::MemStorage;

#[test]
fn scores_are_runs_over_the_trigger_or_bytes_over_the_target() {
    let cases = [
        (
            LevelShape::Tiered {
                runs: 6,
                trigger_runs: 4,
            },
            1.5,
        ),
        (
            LevelShape::Tiered {
                runs: 3,
                trigger_runs: 0,
            },
            3.0,
        ),
        (
            LevelShape::Leveled {
                bytes: 5 << 20,
                target_bytes: 10 << 20,
            },
            0.5,
        ),
        (
            LevelShape::Leveled {
                bytes: 7,
                target_bytes: 0,
            },
            7.0,
        ),
    ];
    for (shape, score) in cases {
        assert_eq!(
            level_score(shape),
            score,
            "picking lab: level_score({shape:?})"
        );
    }
}

#[test]
fn the_highest_due_score_wins_and_ties_go_to_the_upper_level() {
    let all = [true; 4];
    assert_eq!(
        choose_level(&[0.5, 0.9, 0.2, 0.0], &all),
        None,
        "picking lab: nothing due"
    );
    assert_eq!(
        choose_level(&[1.0, 0.9, 0.2, 0.0], &all),
        Some(0),
        "picking lab: 1.0 is due"
    );
    assert_eq!(
        choose_level(&[1.5, 2.5, 2.5, 0.0], &all),
        Some(1),
        "picking lab: ties go up"
    );
    assert_eq!(
        choose_level(&[0.0, 1.2, 0.0, 9.0], &[true, true, true, false]),
        Some(1),
        "picking lab: a level that cannot be compacted is never chosen"
    );
}

#[test]
fn the_pointer_moves_round_robin_and_wraps() {
    let keys: Vec<Vec<u8>> = [b"c", b"f", b"k"]
        .iter()
        .map(|k| internal_key(*k, 5, ValueKind::Put))
        .collect();
    let largest: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
    let at = |k: &[u8], seq| internal_key(k, seq, ValueKind::Put);
    assert_eq!(
        next_after_pointer(&largest, None),
        Some(0),
        "picking lab: no pointer yet"
    );
    assert_eq!(
        next_after_pointer(&largest, Some(&at(b"c", 5))),
        Some(1),
        "picking lab: past c"
    );
    assert_eq!(
        next_after_pointer(&largest, Some(&at(b"c", 9))),
        Some(0),
        "picking lab: c@5 sorts after c@9, so the table ending at c@5 is past the pointer"
    );
    assert_eq!(
        next_after_pointer(&largest, Some(&at(b"k", 5))),
        Some(0),
        "picking lab: wraps"
    );
    assert_eq!(
        next_after_pointer(&[], None),
        None,
        "picking lab: an empty level"
    );
}

#[test]
fn level0_takes_the_oldest_table_and_its_transitive_overlap() {
    let r = |a: &'static str, b: &'static str| (a.as_bytes(), b.as_bytes());
    // Newest first: the oldest is [m, p]; [k, n] overlaps it, [a, l] then
    // overlaps [k, n]; [x, z] never joins.
    let ranges = [r("a", "l"), r("x", "z"), r("k", "n"), r("m", "p")];
    assert_eq!(
        level0_inputs(&ranges),
        vec![0, 2, 3],
        "picking lab: transitive overlap"
    );
    let alone = [r("a", "b"), r("c", "d")];
    assert_eq!(
        level0_inputs(&alone),
        vec![1],
        "picking lab: only the oldest"
    );
    assert!(
        level0_inputs(&[]).is_empty(),
        "picking lab: an empty level 0"
    );
}

#[test]
fn trivial_moves_need_one_table_and_nothing_below() {
    assert!(
        is_trivial_move(1, 0, 100, 100),
        "picking lab: one table, nothing below"
    );
    assert!(
        !is_trivial_move(2, 0, 0, 100),
        "picking lab: two tables must merge"
    );
    assert!(
        !is_trivial_move(1, 1, 0, 100),
        "picking lab: a table below must merge"
    );
    assert!(
        !is_trivial_move(1, 0, 101, 100),
        "picking lab: too many grandparent bytes"
    );
}

/// Versions a real database went through, with its options.
fn recorded_versions(strategy: CompactionStrategy, seed: u64) -> (Options, Vec<Version>) {
    let options = Options {
        memtable_bytes_max: 1024,
        level_base_bytes: 8 << 10,
        target_file_size_bytes: 2 << 10,
        l0_compaction_trigger: 3,
        compaction_strategy: strategy,
        maintenance: MaintenanceMode::Manual,
        seed,
        ..Options::deterministic()
    };
    let db = Db::open(Arc::new(MemStorage::new()), options.clone()).expect("open");
    let mut data = Data::new(seed);
    let mut versions = Vec::new();
    for round in 0..120 {
        for _ in 0..20 {
            let key = format!("k{:04}", data.below(500));
            db.put(key, data.bytes(20)).expect("put");
        }
        if round % 3 == 0 {
            db.maintenance_step().expect("step");
        }
        let edit = VersionEdit {
            added: db
                .levels()
                .into_iter()
                .enumerate()
                .flat_map(|(l, ts)| ts.into_iter().map(move |t| (l as u32, t)))
                .collect(),
            ..VersionEdit::default()
        };
        let version = Version::default()
            .apply(&edit)
            .expect("a recorded version")
            .with_tiered_levels(strategy.tiered_levels());
        versions.push(version);
    }
    (options, versions)
}

#[test]
fn scores_equal_the_engines_on_recorded_versions() {
    let (options, versions) = recorded_versions(CompactionStrategy::Leveled, 1);
    for (i, version) in versions.iter().enumerate() {
        for (level, score, _) in level_scores(version, &options) {
            let l = level as usize;
            let shape = if version.is_tiered(l) {
                LevelShape::Tiered {
                    runs: version.level(l).len() as u64,
                    trigger_runs: options.l0_compaction_trigger as u64,
                }
            } else {
                LevelShape::Leveled {
                    bytes: version.level_bytes(l),
                    target_bytes: options.level_target_bytes(l),
                }
            };
            assert_eq!(
                level_score(shape),
                score,
                "picking lab: version {i}, level {level}"
            );
        }
    }
}

#[test]
fn picks_equal_the_engines_on_recorded_versions() {
    let mut compared = 0;
    for (strategy, seed) in [
        (CompactionStrategy::Leveled, 2),
        (CompactionStrategy::Leveled, 3),
        (CompactionStrategy::Hybrid, 4),
        (CompactionStrategy::SizeTiered, 5),
    ] {
        let (options, versions) = recorded_versions(strategy, seed);
        let mut data = Data::new(seed);
        for (i, version) in versions.iter().enumerate() {
            // No pointers, then a pointer at a random table of each level.
            let mut pointers = vec![BTreeMap::new()];
            let mut random = BTreeMap::new();
            for (level, table) in version.tables() {
                if data.below(3) == 0 {
                    random.insert(level, table.largest.clone());
                }
            }
            pointers.push(random);
            for pointers in &pointers {
                let engine = without_labs(|| pick(version, &options, pointers));
                let yours = with_labs(&[Lab::Picking], || pick(version, &options, pointers));
                assert!(
                    yours == engine,
                    "picking lab: {strategy:?} version {i}: the plan with your picker \
                     ({yours:?}) differs from the engine's ({engine:?})"
                );
                compared += usize::from(engine.is_some());
            }
        }
    }
    assert!(
        compared > 20,
        "picking lab: only {compared} due compactions compared"
    );
}

#[test]
fn the_engine_with_your_picker_agrees_with_a_btreemap() {
    let checked = with_labs(&[Lab::Picking], || common::model_test(6, 4000));
    assert!(checked > 500, "picking lab: only {checked} reads checked");
}

#[test]
fn the_chapter_scenes_are_unchanged_with_your_picker() {
    let scenes = common::scenes_unchanged_with(&[Lab::Picking]);
    assert!(scenes > 14, "picking lab: only {scenes} scenes replayed");
}
